"""A minimal progress bar on stderr for long CLI work (never on stdout)."""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class Progress(Protocol):
    """What long operations report to: a total, then one step at a time."""

    def start(self, total: int) -> None: ...

    def advance(self, note: str = "") -> None: ...

    def note(self, message: str) -> None:
        """Something the user should know while waiting (a 429 pause, a retry)."""


class ProgressBar:
    """``[#####.....] 5/10 label``; redrawn in place on a terminal, silent otherwise."""

    def __init__(self, label: str = "", stream: TextIO | None = None,
                 enabled: bool | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.width = width
        self.total = self.done = 0

    def start(self, total: int) -> None:
        self.total, self.done = max(total, 0), 0
        self._draw("")

    def advance(self, note: str = "") -> None:
        self.done = min(self.done + 1, self.total)
        self._draw(note)

    def note(self, message: str) -> None:
        """Always shown (a terminal or not), on its own line, then the bar again."""
        if self.enabled and self.total:
            self.stream.write("\r\x1b[K")
        self.stream.write(f"craftls: {message}\n")
        self.stream.flush()
        self._draw("")

    def _draw(self, note: str) -> None:
        if not self.enabled or self.total == 0:
            return
        filled = self.width * self.done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {self.done}/{self.total} {self.label} {note}".rstrip()
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\n")
            self.stream.flush()
