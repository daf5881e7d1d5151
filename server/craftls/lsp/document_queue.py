"""The order of the notifications that change a document, when some of them work off the
event loop.

``didOpen`` parses on a worker thread (a 17,500-line file takes about a second), so the
event loop goes on reading messages meanwhile. A ``didChange`` or ``didClose`` for the
same URI that arrives during that parse must still be applied after it, in the order the
client sent them: each such step is queued behind the URI's previous step. A request for
the URI waits (bounded) until the steps queued before it have run, so it sees the
document as the client last described it. URIs with nothing queued cost nothing: their
changes are applied at once, on the event loop, as before.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("craftls")
Step = Callable[[], Awaitable[None]]


class DocumentQueue:
    def __init__(self) -> None:
        self._tails: dict[str, asyncio.Task[None]] = {}  # uri -> its last queued step

    def busy(self, uri: str) -> bool:
        """Steps for ``uri`` are queued or running: a new change must queue behind them."""
        return uri in self._tails

    def __len__(self) -> int:
        return len(self._tails)

    def enqueue(self, uri: str, step: Step) -> asyncio.Task[None]:
        """Run ``step`` once every step queued earlier for ``uri`` has finished."""
        task = asyncio.ensure_future(self._after(self._tails.get(uri), uri, step))
        self._tails[uri] = task
        task.add_done_callback(functools.partial(self._finished, uri))
        return task

    async def settled(self, uri: str, timeout: float) -> bool:
        """Wait until the steps queued for ``uri`` so far have run (at most ``timeout``
        seconds); False when they are still running. Cancelling the waiter leaves the
        steps running: they are the client's edits."""
        tail = self._tails.get(uri)
        if tail is None:
            return True
        done, _ = await asyncio.wait([tail], timeout=timeout)
        return bool(done)

    async def all_settled(self, timeout: float) -> bool:
        """``settled`` for every document (a workspace-wide request)."""
        tails = list(self._tails.values())
        if not tails:
            return True
        _, running = await asyncio.wait(tails, timeout=timeout)
        return not running

    def cancel_all(self) -> None:
        """At shutdown: nothing queued will be needed."""
        for task in list(self._tails.values()):
            task.cancel()

    @staticmethod
    async def _after(previous: asyncio.Task[None] | None, uri: str, step: Step) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # a failed step was logged; the next one runs
        try:
            await step()
        except Exception:
            log.exception("updating %s failed", uri)

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._tails.get(uri) is task:
            del self._tails[uri]
