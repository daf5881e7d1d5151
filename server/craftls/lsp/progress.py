"""Work-done progress the server starts itself (``window/workDoneProgress/create``,
then ``$/progress`` begin, reports and end), for package installs."""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import Any

from lsprotocol import types as lsp

log = logging.getLogger("craftls.packages")
_progress_ids = itertools.count(1)


class LspProgress:
    """A ``registry.progress.Progress`` that reports through ``$/progress``.

    Server-initiated progress needs ``window/workDoneProgress/create`` first, which is
    sent only to clients declaring ``window.workDoneProgress``; for others this reports
    nothing (the work still runs)."""

    def __init__(self, server: Any, token: str | None) -> None:
        self.server = server
        self.token = token
        self.total = self.done = 0

    @classmethod
    async def begin(cls, server: Any, title: str, message: str) -> LspProgress:
        token: str | None = None
        if server.client_supports("window.work_done_progress"):
            token = f"craftls-install-{next(_progress_ids)}"
            try:
                await asyncio.wait_for(server.work_done_progress.create_async(token), 10)
            except Exception:  # a client that refuses gets no progress, the work goes on
                log.info("client refused progress token %s", token)
                token = None
        progress = cls(server, token)
        if token is not None:
            server.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(
                title=title, message=message, percentage=0, cancellable=False))
        return progress

    def start(self, total: int) -> None:
        self.total, self.done = max(total, 0), 0
        self._report(f"0/{self.total} packages")

    def advance(self, note: str = "") -> None:
        self.done = min(self.done + 1, self.total)
        self._report(f"{self.done}/{self.total} {note}".rstrip())

    def note(self, message: str) -> None:
        """A wait the registry asked for ("registry X asked us to wait 30 s (429)")."""
        self._report(message)

    def _report(self, message: str) -> None:
        if self.token is None:
            return
        percentage = self.done * 100 // self.total if self.total else 0
        self.server.work_done_progress.report(self.token, lsp.WorkDoneProgressReport(
            message=message, percentage=percentage))

    def end(self, message: str) -> None:
        if self.token is None:
            return
        self.server.work_done_progress.end(self.token, lsp.WorkDoneProgressEnd(message=message))
        self.server.work_done_progress.tokens.pop(self.token, None)
        self.token = None
