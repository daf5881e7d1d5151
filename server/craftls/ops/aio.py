"""Small asyncio helpers shared by the health monitor and the shutdown coordinator."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def call_in_daemon_thread(fn: Callable[[], T]) -> T:
    """Run a blocking callable in a fresh daemon thread and await its result.

    Not `asyncio.to_thread`: a call that never returns would sit in the loop's
    default executor, and on Python 3.11 `asyncio.run()` waits for that executor
    without a timeout at exit, so one stuck check or shutdown step would hang the
    process. A daemon thread is abandoned at exit instead.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if future.done():  # the awaiting side timed out or was cancelled
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def worker() -> None:
        try:
            result = fn()
        except BaseException as exc:  # handed to the awaiting coroutine
            _call_soon(loop, settle, False, exc)
        else:
            _call_soon(loop, settle, True, result)

    threading.Thread(target=worker, name="craftls-ops-worker", daemon=True).start()
    return await future


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable[..., None], *args: Any) -> None:
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:
        pass  # the loop closed while the thread ran: nobody is waiting any more


async def call_maybe_async(fn: Callable[[], Any]) -> Any:
    """Call a sync or async callable on the loop and return its (awaited) result."""
    result = fn()
    if inspect.isawaitable(result):
        result = await result
    return result
