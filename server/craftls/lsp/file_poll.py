"""Hot reload for clients that cannot watch files for the server.

A client registers ``workspace/didChangeWatchedFiles`` watchers only when it declares
dynamic registration; Neovim 0.11 on Linux does not, so a definition edited outside the
editor would never be noticed. For those clients the server looks itself: once a second
it compares the (mtime, size) of the few files it depends on (the definition files in
use and each root's ``craft.toml``) with what it saw last, and reports the differences
as the file events a watching client would have sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from lsprotocol import types as lsp

from ..workspace.index import file_stamp

log = logging.getLogger("craftls")
Stamp = tuple[int, int] | None  # (mtime_ns, size); None when the file does not exist

POLL_SECONDS = 1.0
MAX_POLLED_FILES = 256  # a stat each per second, whatever the workspace declares


class FilePoller:
    def __init__(self, paths: Callable[[], Iterable[Path]],
                 changed: Callable[[Sequence[lsp.FileEvent]], None],
                 interval: float = POLL_SECONDS) -> None:
        self._paths = paths  # asked every turn: the files in use change with craft.toml
        self._changed = changed
        self.interval = interval
        self._seen: dict[Path, Stamp] = {}

    def watched(self) -> list[Path]:
        return list(dict.fromkeys(self._paths()))[:MAX_POLLED_FILES]

    def remember(self, path: Path) -> None:
        """The server already acted on ``path``'s current state (e.g. at ``didSave``):
        the next turn must not report it again."""
        if path in self._seen:
            self._seen[path] = file_stamp(path)

    def compare(self, stamps: dict[Path, Stamp]) -> list[lsp.FileEvent]:
        """The events between the last turn and ``stamps``; a file seen for the first time
        is only remembered (the server loaded it when it started to use it)."""
        events = []
        for path, stamp in stamps.items():
            if path in self._seen and self._seen[path] != stamp:
                events.append(lsp.FileEvent(uri=path.as_uri(), type=_change_type(
                    self._seen[path], stamp)))
        self._seen = stamps
        return events

    async def run(self) -> None:
        """Until cancelled (at shutdown). The stats run on a worker thread: a slow or
        network file system must not stall the event loop."""
        self.compare(await asyncio.to_thread(_stamps, self.watched()))
        while True:
            await asyncio.sleep(self.interval)
            events = self.compare(await asyncio.to_thread(_stamps, self.watched()))
            if events:
                try:
                    self._changed(events)
                except Exception:  # a failed reload must not end the polling
                    log.exception("reloading changed files failed")


def _stamps(paths: list[Path]) -> dict[Path, Stamp]:
    return {path: file_stamp(path) for path in paths}


def _change_type(before: Stamp, after: Stamp) -> lsp.FileChangeType:
    if before is None:
        return lsp.FileChangeType.Created
    if after is None:
        return lsp.FileChangeType.Deleted
    return lsp.FileChangeType.Changed
