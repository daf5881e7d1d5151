"""Ready-made health checks built from plain callables and objects.

Each builder returns a zero-argument function for `HealthMonitor.register`; none
of them knows about LSP, caches or the registry, only about numbers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from craftls.ops.clock import rfc3339
from craftls.ops.errors import ErrorStats
from craftls.ops.health import CheckOutcome, HealthStatus
from craftls.ops.latency import LatencyTracker
from craftls.ops.settings import Settings

_MIB = 1024 * 1024


def read_rss_bytes() -> int | None:
    """Current resident set size: /proc/self/statm, else peak RSS from getrusage, else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            resident_pages = int(f.read().split()[1])
        return resident_pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource  # not on Windows
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # ru_maxrss is bytes on macOS, KiB elsewhere; it is the peak, an upper bound of now.
    return peak if sys.platform == "darwin" else peak * 1024


def memory_check(budget_mb: float, warn: float = 0.70, crit: float = 0.90, *,
                 read_rss: Callable[[], int | None] = read_rss_bytes) -> Callable[[], CheckOutcome]:
    """DEGRADED at `warn` x budget, UNHEALTHY at `crit` x budget of resident memory."""

    def check() -> CheckOutcome:
        rss = read_rss()
        if rss is None:
            # Unknown is not a fault of the server; do not raise alarms on odd platforms.
            return CheckOutcome(HealthStatus.HEALTHY, "memory usage unknown on this platform")
        ratio = rss / (budget_mb * _MIB)
        details = {"rssMb": round(rss / _MIB, 1), "budgetMb": budget_mb, "ratio": round(ratio, 3)}
        if ratio >= crit:
            status = HealthStatus.UNHEALTHY
        elif ratio >= warn:
            status = HealthStatus.DEGRADED
        else:
            status = HealthStatus.HEALTHY
        message = f"{details['rssMb']} MiB of {budget_mb:g} MiB ({ratio:.0%})"
        return CheckOutcome(status, message, details)

    return check


@dataclass(frozen=True)
class LatencyThresholds:
    """When LSP latency or failures make the `lsp` service DEGRADED or UNHEALTHY."""

    p95_warning_ms: float = 200.0
    p95_critical_ms: float = 1000.0
    error_rate_warning: float = 0.01
    error_rate_critical: float = 0.05
    # A method needs this many samples in its window before it can alarm, so one
    # slow first request (cold caches) does not flip the server to DEGRADED.
    min_samples: int = 20

    @classmethod
    def from_settings(cls, settings: Settings, min_samples: int = 20) -> LatencyThresholds:
        return cls(settings.lsp_p95_warning_ms, settings.lsp_p95_critical_ms,
                   settings.error_rate_warning, settings.error_rate_critical, min_samples)


def _level(value: float, warning: float, critical: float) -> HealthStatus:
    if value >= critical:
        return HealthStatus.UNHEALTHY
    if value >= warning:
        return HealthStatus.DEGRADED
    return HealthStatus.HEALTHY


_RANK = {HealthStatus.HEALTHY: 0, HealthStatus.DEGRADED: 1, HealthStatus.UNHEALTHY: 2}


def latency_check(tracker: LatencyTracker,
                  thresholds: LatencyThresholds | Callable[[], LatencyThresholds] | None = None,
                  ) -> Callable[[], CheckOutcome]:
    """Worst p95 and worst error rate over methods with enough samples.

    `thresholds` may be a callable so a settings change applies without re-registering.
    """

    def check() -> CheckOutcome:
        th = thresholds() if callable(thresholds) else thresholds or LatencyThresholds()
        stats = [s for s in tracker.snapshot().values() if s.window_count >= th.min_samples]
        if not stats:
            return CheckOutcome(HealthStatus.HEALTHY, "not enough requests yet")
        slowest = max(stats, key=lambda s: s.p95_ms)
        failing = max(stats, key=lambda s: s.error_rate)
        status = max(_level(slowest.p95_ms, th.p95_warning_ms, th.p95_critical_ms),
                     _level(failing.error_rate, th.error_rate_warning, th.error_rate_critical),
                     key=_RANK.__getitem__)
        details = {"slowestMethod": slowest.method, "p95Ms": round(slowest.p95_ms, 3),
                   "mostFailingMethod": failing.method, "errorRate": round(failing.error_rate, 4)}
        message = (f"p95 {slowest.p95_ms:.0f} ms ({slowest.method}); "
                   f"error rate {failing.error_rate:.1%} ({failing.method})")
        return CheckOutcome(status, message, details)

    return check


def cache_check(get_stats: Callable[[], Mapping[str, Mapping[str, Any]]]) -> Callable[[], CheckOutcome]:
    """Caches as `{name: {size, maxsize?, hits?, misses?, corrupt?}}`.

    A cache reporting corrupt entries, or holding more than its maxsize (eviction
    broken, memory will grow), is DEGRADED: the server still works, more slowly.
    """

    def check() -> CheckOutcome:
        caches = get_stats()
        problems: list[str] = []
        details: dict[str, Any] = {}
        for name, st in caches.items():
            size, maxsize = st.get("size", 0), st.get("maxsize")
            hits, misses = st.get("hits", 0), st.get("misses", 0)
            lookups = hits + misses
            details[name] = {"size": size, "maxsize": maxsize,
                             "hitRate": round(hits / lookups, 3) if lookups else None}
            if st.get("corrupt"):
                problems.append(f"{name}: {st['corrupt']} corrupt entries")
            if maxsize is not None and size > maxsize:
                problems.append(f"{name}: size {size} over maxsize {maxsize}")
        if problems:
            return CheckOutcome(HealthStatus.DEGRADED, "; ".join(problems), details)
        return CheckOutcome(HealthStatus.HEALTHY, f"{len(caches)} caches ok", details)

    return check


def errors_check(stats: ErrorStats, *, minutes: float = 5.0,
                 min_count: int = 5) -> Callable[[], CheckOutcome]:
    """DEGRADED while some error category keeps failing (see ErrorStats.persistent)."""

    def check() -> CheckOutcome:
        persistent = stats.persistent(minutes=minutes, min_count=min_count)
        details = {"ratePerSecond": round(stats.rate(), 4),
                   "persistent": [c.value for c in persistent]}
        if persistent:
            names = ", ".join(c.value for c in persistent)
            return CheckOutcome(HealthStatus.DEGRADED, f"persistent errors: {names}", details)
        return CheckOutcome(HealthStatus.HEALTHY, "no persistent errors", details)

    return check


def registry_check(snapshot: Callable[[], Mapping[str, Any] | None], *,
                   saturation_warning: float = 0.9) -> Callable[[], CheckOutcome]:
    """The package registry, from a plain snapshot (see ``RegistryService.health_snapshot``):

    ``{breakers: {host: {state, failure_count, next_probe_time}}, limiters: {host:
    {requests_in_window, max_rate, paused_for}}, lastSuccess, lastFailure, lastError,
    latencyMs: {last, p95}, now}`` (times are wall-clock POSIX seconds).

    HEALTHY: every breaker closed, the last request succeeded, no host pausing us.
    DEGRADED: a breaker open or half-open, the last request failed, a 429 pause or a
    limiter at ``saturation_warning`` of its window. Never UNHEALTHY: without the
    registry the server keeps working from its cache, so the message says so.
    """

    def check() -> CheckOutcome:
        snap = snapshot()
        if not snap:
            return CheckOutcome(HealthStatus.HEALTHY, "no registry configured")
        now = float(snap.get("now") or 0.0)
        breakers: Mapping[str, Mapping[str, Any]] = snap.get("breakers") or {}
        limiters: Mapping[str, Mapping[str, Any]] = snap.get("limiters") or {}
        latency = snap.get("latencyMs") or {}
        saturation = {host: round(st.get("requests_in_window", 0) / st["max_rate"], 3)
                      for host, st in limiters.items() if st.get("max_rate")}
        paused = {host: round(st.get("paused_for", 0.0), 1) for host, st in limiters.items()
                  if st.get("paused_for", 0.0) > 0}
        details: dict[str, Any] = {
            "breakers": {host: st.get("state") for host, st in breakers.items()},
            "lastSuccess": _rfc(snap.get("lastSuccess")),
            "lastFailure": _rfc(snap.get("lastFailure")),
            "lastError": snap.get("lastError"),
            "latencyMs": {k: round(v, 1) if isinstance(v, int | float) else None
                          for k, v in latency.items()},
            "limiterSaturation": saturation,
        }
        problems: list[str] = []
        for host, st in sorted(breakers.items()):
            state = st.get("state")
            if state == "open":
                wait = st.get("next_probe_time")
                problems.append(f"circuit open for {host} after {st.get('failure_count', 0)} "
                                f"failures" + (" (next probe scheduled)" if wait else ""))
            elif state == "half_open":
                problems.append(f"circuit half-open for {host} (probing)")
            elif st.get("failure_count", 0) > 0:
                problems.append(f"last request to {host} failed "
                                f"({st['failure_count']} in a row)")
        last_ok, last_bad = snap.get("lastSuccess"), snap.get("lastFailure")
        if not problems and last_bad is not None and (last_ok is None or last_bad > last_ok):
            problems.append(f"last registry request failed {_ago(now, last_bad)}: "
                            f"{snap.get('lastError') or 'unknown error'}")
        for host, seconds in sorted(paused.items()):
            problems.append(f"{host} asked us to slow down for {seconds:g}s")
        for host, ratio in sorted(saturation.items()):
            if ratio >= saturation_warning and host not in paused:
                problems.append(f"rate limit for {host} at {ratio:.0%} of its window")
        if problems:
            return CheckOutcome(HealthStatus.DEGRADED,
                                "; ".join(problems) + "; serving packages from the cache",
                                details)
        if last_ok is None:
            return CheckOutcome(HealthStatus.HEALTHY, "no registry request yet", details)
        took = latency.get("last")
        timing = f" ({took:.0f} ms)" if isinstance(took, int | float) else ""
        return CheckOutcome(HealthStatus.HEALTHY,
                            f"circuits closed; last success {_ago(now, last_ok)}{timing}",
                            details)

    return check


def _rfc(value: Any) -> str | None:
    return rfc3339(value) if isinstance(value, int | float) else None


def _ago(now: float, then: float) -> str:
    seconds = max(0.0, now - then)
    return f"{seconds:.0f}s ago" if seconds < 120 else f"{seconds / 60:.0f} min ago"
