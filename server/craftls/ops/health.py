"""Health levels, check results and the health monitor.

Rules (also in docs/runbook.md):

* A service is HEALTHY, DEGRADED or UNHEALTHY as its check says. A check that
  raises makes its service UNHEALTHY. A check that exceeds its timeout makes it
  DEGRADED (slow: a loaded machine, a first run that builds tables) and is left
  running; if it has still not answered when the next run comes, the service is
  UNHEALTHY (stuck). A loaded machine is not a broken parser.
* Overall: any *critical* service (by default ``syntax`` and ``lsp``, without
  which editing is broken) UNHEALTHY -> UNHEALTHY; otherwise any service not
  HEALTHY -> DEGRADED; otherwise HEALTHY. So a ``registry`` outage, like any
  non-critical service, makes the server at most DEGRADED: editing still works
  from the cache.
* Listeners hear about the first run (``HealthChange.initial``, whatever the
  levels: a status line needs a value from the start), then only about changes of
  the overall level or of a service's level. The level before the first run is
  taken as HEALTHY, so the first report's ``services`` and ``overall`` name only
  what is not healthy.

Checks run periodically (`run_forever`, every `interval_s`) and on events
(`trigger`, debounced so that a burst of events causes one run).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from craftls.ops.aio import call_in_daemon_thread, call_maybe_async
from craftls.ops.clock import Clock, monotonic, rfc3339, wall

log = logging.getLogger(__name__)


class HealthStatus(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    UNHEALTHY = "unhealthy"


CRITICAL_SERVICES = frozenset({"syntax", "lsp"})


@dataclass(frozen=True)
class CheckOutcome:
    """What a check function returns; the monitor adds timing."""

    status: HealthStatus
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """One check run of one service."""

    status: HealthStatus
    response_time_ms: float
    message: str
    details: Mapping[str, Any]
    time: float  # wall-clock POSIX timestamp

    def to_payload(self) -> dict[str, Any]:
        """The per-service entry of `craftls/health`."""
        return {
            "status": self.status.value,
            "responseTimeMs": round(self.response_time_ms, 3),
            "message": self.message,
            "details": dict(self.details),
        }

    def to_history_entry(self) -> dict[str, Any]:
        return {**self.to_payload(), "time": rfc3339(self.time)}


CheckReturn = CheckOutcome | HealthStatus | str | tuple[Any, ...]
CheckFn = Callable[[], CheckReturn | Awaitable[CheckReturn]]


@dataclass(frozen=True)
class HealthChange:
    """What listeners receive: only levels that changed, plus the full new payload."""

    reason: str
    overall: tuple[HealthStatus, HealthStatus] | None
    services: Mapping[str, tuple[HealthStatus, HealthStatus]]
    payload: Mapping[str, Any]
    initial: bool = False  # the first run's report, sent even when all is healthy


Listener = Callable[[HealthChange], Any]


def overall_status(statuses: Mapping[str, HealthStatus],
                   critical: Iterable[str] = CRITICAL_SERVICES) -> HealthStatus:
    """Combine service levels with the rules in the module docstring."""
    critical = frozenset(critical)
    if any(s is HealthStatus.UNHEALTHY and n in critical for n, s in statuses.items()):
        return HealthStatus.UNHEALTHY
    if any(s is not HealthStatus.HEALTHY for s in statuses.values()):
        return HealthStatus.DEGRADED
    return HealthStatus.HEALTHY


def _normalize(value: Any) -> CheckOutcome:
    """Accept CheckOutcome, a bare status, or (status, message[, details])."""
    if isinstance(value, CheckOutcome):
        return value
    if isinstance(value, HealthStatus | str):
        return CheckOutcome(HealthStatus(value))
    if isinstance(value, tuple) and 1 <= len(value) <= 3:
        return CheckOutcome(HealthStatus(value[0]), *value[1:])
    raise TypeError(f"health check returned {type(value).__name__}, expected CheckOutcome")


def _drop_result(run: asyncio.Future[Any]) -> None:
    """A slow check's late answer is not used (the next run asks again); reading its
    exception keeps asyncio from logging it as never retrieved."""
    if not run.cancelled():
        run.exception()


@dataclass
class _Check:
    fn: CheckFn
    timeout_s: float
    in_thread: bool
    history: deque[CheckResult]
    # the run that outlived its timeout, still going: the next run reports it stuck
    pending: asyncio.Future[Any] | None = None
    pending_since: float = 0.0


class HealthMonitor:
    """Runs named checks, keeps bounded history and reports level changes."""

    def __init__(self, *, interval_s: float = 30.0, history_size: int = 100,
                 check_timeout_s: float = 5.0, debounce_s: float = 1.0,
                 critical: Iterable[str] = CRITICAL_SERVICES,
                 clock: Clock = monotonic, wall_clock: Clock = wall) -> None:
        self._interval_s = interval_s
        self._history_size = history_size
        self._check_timeout_s = check_timeout_s
        self._debounce_s = debounce_s
        self._critical = frozenset(critical)
        self._clock = clock
        self._wall = wall_clock
        self._checks: dict[str, _Check] = {}
        self._latest: dict[str, CheckResult] = {}
        self._overall = HealthStatus.HEALTHY
        self._last_run: float | None = None
        self._listeners: list[Listener] = []
        self._run_lock = asyncio.Lock()
        self._trigger_reasons: dict[str, None] = {}  # ordered set
        self._trigger_task: asyncio.Task[None] | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self.runs = 0

    # -- registration -------------------------------------------------------

    def register(self, name: str, fn: CheckFn, *, timeout_s: float | None = None,
                 in_thread: bool = False) -> None:
        """Add a check. Sync checks run on the loop and must be cheap; pass
        ``in_thread=True`` for a blocking one. Re-registering a name replaces it."""
        old = self._checks.get(name)
        history = old.history if old else deque(maxlen=self._history_size)
        timeout = self._check_timeout_s if timeout_s is None else timeout_s
        self._checks[name] = _Check(fn, timeout, in_thread, history)

    def unregister(self, name: str) -> None:
        self._checks.pop(name, None)
        self._latest.pop(name, None)

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(HealthChange)` on level changes; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def set_interval(self, interval_s: float) -> None:
        """Apply a new `health_check_interval`; the periodic loop picks it up at once."""
        self._interval_s = interval_s
        self._wake.set()

    # -- running ------------------------------------------------------------

    async def run_checks(self, reason: str = "manual") -> dict[str, CheckResult]:
        """Run every check concurrently, record results, notify listeners of changes."""
        async with self._run_lock:  # periodic and triggered runs never interleave
            names = list(self._checks)
            results = await asyncio.gather(*(self._run_one(n, self._checks[n]) for n in names))
            previous = {n: r.status for n, r in self._latest.items()}
            for name, result in zip(names, results, strict=True):
                if name in self._checks:  # unregistered while running: drop
                    self._checks[name].history.append(result)
                    self._latest[name] = result
            self._last_run = self._wall()
            self.runs += 1
            await self._notify_changes(reason, previous)
            return dict(self._latest)

    async def _run_one(self, name: str, check: _Check) -> CheckResult:
        start = self._clock()
        try:
            outcome = await self._outcome(check, start)
        except Exception as exc:  # a broken check must not break the monitor
            log.warning("health check %r failed", name, exc_info=True)
            outcome = CheckOutcome(HealthStatus.UNHEALTHY,
                                   f"check failed: {type(exc).__name__}: {exc}")
        elapsed_ms = (self._clock() - start) * 1000.0
        return CheckResult(outcome.status, elapsed_ms, outcome.message,
                           dict(outcome.details), self._wall())

    async def _outcome(self, check: _Check, start: float) -> CheckOutcome:
        if check.pending is not None and not check.pending.done():
            return CheckOutcome(HealthStatus.UNHEALTHY, f"check stuck: no answer "
                                f"{start - check.pending_since:.0f}s after it started")
        check.pending = None
        run = asyncio.ensure_future(self._invoke(check))
        try:
            # shielded: a slow check goes on, so the next run can tell slow from stuck
            value = await asyncio.wait_for(asyncio.shield(run), check.timeout_s)
        except TimeoutError:
            run.add_done_callback(_drop_result)
            check.pending, check.pending_since = run, start
            return CheckOutcome(HealthStatus.DEGRADED,
                                f"check slow: no answer within {check.timeout_s:g}s")
        return _normalize(value)

    @staticmethod
    async def _invoke(check: _Check) -> Any:
        if check.in_thread and not inspect.iscoroutinefunction(check.fn):
            return await call_in_daemon_thread(check.fn)
        return await call_maybe_async(check.fn)

    async def _notify_changes(self, reason: str, previous: Mapping[str, HealthStatus]) -> None:
        old_overall = self._overall
        self._overall = overall_status(self.statuses(), self._critical)
        services = {
            name: (previous.get(name, HealthStatus.HEALTHY), result.status)
            for name, result in self._latest.items()
            if previous.get(name, HealthStatus.HEALTHY) is not result.status
        }
        overall = (old_overall, self._overall) if old_overall is not self._overall else None
        initial = self.runs == 1
        if overall is None and not services and not initial:
            return
        change = HealthChange(reason, overall, services, self.to_payload(), initial)
        for listener in list(self._listeners):
            try:
                result = listener(change)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("health listener failed")

    def trigger(self, reason: str) -> None:
        """Ask for an extra run soon (a breaker opened, an error burst ...).

        Triggers within `debounce_s` of each other are coalesced into one run whose
        reason lists them all. Call from the event loop thread; from another thread
        use ``loop.call_soon_threadsafe(monitor.trigger, reason)``.
        """
        self._trigger_reasons[reason] = None
        if self._trigger_task is None or self._trigger_task.done():
            self._trigger_task = asyncio.get_running_loop().create_task(self._run_triggered())

    async def _run_triggered(self) -> None:
        # Loop so that triggers arriving during a run get a run of their own.
        while self._trigger_reasons:
            await asyncio.sleep(self._debounce_s)
            reasons = "; ".join(self._trigger_reasons)
            self._trigger_reasons.clear()
            await self.run_checks(reasons)

    async def run_forever(self) -> None:
        """Periodic loop: run checks, then wait `interval_s` (or until the interval changes)."""
        while True:
            try:
                await self.run_checks("periodic")
            except Exception:  # keep monitoring even if something unexpected broke
                log.exception("periodic health run failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval_s)

    def start(self) -> asyncio.Task[None]:
        """Start the periodic loop on the running loop (idempotent)."""
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(
                self.run_forever(), name="craftls-health")
        return self._loop_task

    async def stop(self) -> None:
        """Cancel the periodic loop, any pending triggered run and slow checks (a shutdown step)."""
        for check in self._checks.values():
            if check.pending is not None:
                check.pending.cancel()
        for task in (self._loop_task, self._trigger_task):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._loop_task = self._trigger_task = None

    # -- reading ------------------------------------------------------------

    @property
    def status(self) -> HealthStatus:
        return self._overall

    def statuses(self) -> dict[str, HealthStatus]:
        return {name: result.status for name, result in self._latest.items()}

    def latest(self, service: str) -> CheckResult | None:
        return self._latest.get(service)

    def history(self, service: str, limit: int | None = None) -> list[CheckResult]:
        """Past results of a service, oldest first, at most `limit` (bounded by history_size)."""
        check = self._checks.get(service)
        items = list(check.history) if check else []
        return items[-limit:] if limit else items

    def history_payload(self, service: str, limit: int | None = None) -> list[dict[str, Any]]:
        return [r.to_history_entry() for r in self.history(service, limit)]

    def to_payload(self) -> dict[str, Any]:
        """Exactly ``{status, services: {name: {status, responseTimeMs, message, details}}, time}``."""
        return {
            "status": self._overall.value,
            "services": {name: r.to_payload() for name, r in self._latest.items()},
            "time": rfc3339(self._last_run if self._last_run is not None else self._wall()),
        }
