"""Graceful shutdown: every cleanup step registered in one place, run once, in order.

The LSP `shutdown` request, SIGTERM/SIGINT and the death of the editor process
all end in `ShutdownCoordinator.run()`. A step that fails or exceeds its timeout
is logged and the next step still runs: a stuck registry connection must not stop
the audit log from being flushed.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from craftls.ops.aio import call_in_daemon_thread
from craftls.ops.clock import Clock, monotonic

log = logging.getLogger(__name__)

StepFn = Callable[[], Any]


class StepStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class StepResult:
    name: str
    order: int
    status: StepStatus
    duration_ms: float
    error: str | None = None


@dataclass(frozen=True)
class ShutdownReport:
    reason: str
    steps: tuple[StepResult, ...]
    duration_ms: float

    @property
    def ok(self) -> bool:
        return all(s.status is StepStatus.OK for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "ok": self.ok, "durationMs": round(self.duration_ms, 3),
                "steps": [{"name": s.name, "order": s.order, "status": s.status.value,
                           "durationMs": round(s.duration_ms, 3), "error": s.error}
                          for s in self.steps]}


@dataclass(frozen=True)
class _Step:
    name: str
    fn: StepFn
    order: int
    timeout_s: float
    on_loop: bool
    seq: int  # registration order breaks ties between equal orders


class ShutdownCoordinator:
    """Runs registered shutdown steps by ascending `order`; the first `run()` wins."""

    def __init__(self, *, default_timeout_s: float = 5.0, clock: Clock = monotonic) -> None:
        self._default_timeout_s = default_timeout_s
        self._clock = clock
        self._steps: dict[str, _Step] = {}
        self._task: asyncio.Task[ShutdownReport] | None = None
        self.reason: str | None = None

    def register(self, name: str, fn: StepFn, *, order: int = 100,
                 timeout_s: float | None = None, on_loop: bool = False) -> None:
        """Add a step. Coroutine functions run on the loop; sync functions run in a
        daemon thread so their timeout can be enforced, unless `on_loop=True` (needed
        for code that touches asyncio or pygls objects; then no timeout applies)."""
        if name in self._steps:
            raise ValueError(f"shutdown step {name!r} is already registered")
        if self.started:
            raise RuntimeError("cannot register shutdown steps after shutdown started")
        timeout = self._default_timeout_s if timeout_s is None else timeout_s
        self._steps[name] = _Step(name, fn, order, timeout, on_loop, len(self._steps))

    @property
    def started(self) -> bool:
        return self._task is not None

    @property
    def done(self) -> bool:
        return self._task is not None and self._task.done()

    def steps(self) -> list[str]:
        """Step names in execution order."""
        return [s.name for s in self._ordered()]

    def _ordered(self) -> list[_Step]:
        return sorted(self._steps.values(), key=lambda s: (s.order, s.seq))

    async def run(self, reason: str = "shutdown") -> ShutdownReport:
        """Run all steps once. Later or concurrent calls wait for and return the same report."""
        if self._task is None:
            self.reason = reason
            self._task = asyncio.get_running_loop().create_task(self._run_all(reason))
        # shield: a caller being cancelled (e.g. its request) must not abort the shutdown.
        return await asyncio.shield(self._task)

    async def _run_all(self, reason: str) -> ShutdownReport:
        log.info("shutting down (%s)", reason)
        start = self._clock()
        results = [await self._run_step(step) for step in self._ordered()]
        report = ShutdownReport(reason, tuple(results), (self._clock() - start) * 1000.0)
        log.info("shutdown finished in %.0f ms, ok=%s", report.duration_ms, report.ok)
        return report

    async def _run_step(self, step: _Step) -> StepResult:
        start = self._clock()
        status, error = StepStatus.OK, None
        try:
            if step.on_loop and not inspect.iscoroutinefunction(step.fn):
                result = step.fn()
                if inspect.isawaitable(result):
                    await asyncio.wait_for(_as_coroutine(result), step.timeout_s)
            elif inspect.iscoroutinefunction(step.fn):
                await asyncio.wait_for(step.fn(), step.timeout_s)
            else:
                result = await asyncio.wait_for(call_in_daemon_thread(step.fn), step.timeout_s)
                if inspect.isawaitable(result):  # a sync wrapper returning a coroutine
                    await asyncio.wait_for(_as_coroutine(result), step.timeout_s)
        except TimeoutError:
            status, error = StepStatus.TIMEOUT, f"timed out after {step.timeout_s:g}s"
            log.warning("shutdown step %r timed out after %gs", step.name, step.timeout_s)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the coordinator itself is being cancelled
            # The step cancelled something of its own and let it escape: just a failed step.
            status, error = StepStatus.FAILED, "CancelledError"
            log.warning("shutdown step %r was cancelled", step.name)
        except Exception as exc:
            status, error = StepStatus.FAILED, f"{type(exc).__name__}: {exc}"
            log.exception("shutdown step %r failed", step.name)
        return StepResult(step.name, step.order, status, (self._clock() - start) * 1000.0, error)


async def _as_coroutine(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def exit_process(code: int) -> NoReturn:
    """End the process now: flush the logs and the standard streams, then `os._exit`.

    Called once the shutdown steps have run (LSP `exit`, a signal, the editor gone).
    What a normal interpreter exit would still do is wait for the worker threads (pygls'
    stdin reader blocks on the client's pipe; an index step may be mid-file) and then
    free every module's objects: 1-3 s per server on a loaded machine, which an editor
    restarting the server and every protocol test waited for, for nothing. Anything that
    must survive the process is written by a shutdown step, never by `atexit`.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        # closed, or the client is gone: nothing left to keep
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def install_signal_handlers(loop: asyncio.AbstractEventLoop,
                            callback: Callable[[str], Any]) -> Callable[[], None]:
    """Call `callback(signal_name)` on SIGTERM/SIGINT, on the loop thread.

    Returns a function that removes the handlers. On Windows, where the loop has no
    signal support, falls back to `signal.signal` and hops onto the loop.
    """
    installed: list[signal.Signals] = []
    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, callback, sig.name)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):
            def handler(signum: int, _frame: Any, name: str = sig.name) -> None:
                loop.call_soon_threadsafe(callback, name)

            previous[sig] = signal.signal(sig, handler)

    def uninstall() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)
        for sig, old in previous.items():
            signal.signal(sig, old)

    return uninstall


def pid_alive(pid: int) -> bool:
    """Whether process `pid` exists (an existing process of another user counts)."""
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: existence check only, nothing is delivered
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_alive_windows(pid: int) -> bool:
    # On Windows os.kill(pid, 0) would *terminate* the process (TerminateProcess with
    # exit code 0), so the editor would be killed by the very check meant to watch it.
    import ctypes

    synchronize, wait_timeout = 0x00100000, 0x00000102
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False
    try:
        return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
    finally:
        kernel32.CloseHandle(handle)


def watch_parent_process(pid: int | None, callback: Callable[[], Any], interval_s: float = 5.0,
                         *, is_alive: Callable[[int], bool] = pid_alive) -> asyncio.Task[None] | None:
    """Poll the editor's process (`initialize` processId) and call `callback()` once it is gone.

    Without this a server whose editor crashed lives on as an orphan. Returns the
    watching task (cancel it at shutdown), or None when there is no pid to watch.
    """
    if not pid:
        return None

    async def watch() -> None:
        while is_alive(pid):
            await asyncio.sleep(interval_s)
        log.warning("client process %d is gone", pid)
        result = callback()
        if inspect.isawaitable(result):
            await result

    return asyncio.get_running_loop().create_task(watch(), name="craftls-parent-watch")
