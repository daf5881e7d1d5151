from __future__ import annotations

from craftls.ops.checks import (
    LatencyThresholds,
    cache_check,
    errors_check,
    latency_check,
    memory_check,
    read_rss_bytes,
)
from craftls.ops.errors import ErrorStats
from craftls.ops.health import HealthStatus
from craftls.ops.latency import LatencyTracker
from craftls.ops.settings import Settings

H, D, U = HealthStatus.HEALTHY, HealthStatus.DEGRADED, HealthStatus.UNHEALTHY
MIB = 1024 * 1024


def test_read_rss_bytes_is_plausible() -> None:
    rss = read_rss_bytes()
    assert rss is not None and 1 * MIB < rss < 64 * 1024 * MIB


def test_memory_levels() -> None:
    def at(mb: float) -> HealthStatus:
        return memory_check(100, 0.7, 0.9, read_rss=lambda: int(mb * MIB))().status

    assert (at(69), at(70), at(89), at(90), at(150)) == (H, D, D, U, U)
    outcome = memory_check(100, read_rss=lambda: 50 * MIB)()
    assert outcome.details == {"rssMb": 50.0, "budgetMb": 100, "ratio": 0.5}


def test_memory_unknown_is_healthy() -> None:
    assert memory_check(100, read_rss=lambda: None)().status is H


def _tracker(ms: float, n: int = 30, errors: int = 0) -> LatencyTracker:
    t = LatencyTracker()
    for i in range(n):
        t.record("textDocument/completion", ms, ok=i >= errors)
    t.record("textDocument/hover", 10_000.0)  # too few samples to count
    return t


def test_latency_levels() -> None:
    th = LatencyThresholds(p95_warning_ms=200, p95_critical_ms=1000,
                           error_rate_warning=0.01, error_rate_critical=0.05, min_samples=20)
    assert latency_check(_tracker(50), th)().status is H
    assert latency_check(_tracker(300), th)().status is D
    assert latency_check(_tracker(1500), th)().status is U
    assert latency_check(_tracker(50, n=100, errors=2), th)().status is D
    assert latency_check(_tracker(50, n=100, errors=10), th)().status is U
    out = latency_check(_tracker(300), th)()
    assert out.details["slowestMethod"] == "textDocument/completion"


def test_latency_needs_samples_and_reads_live_thresholds() -> None:
    assert latency_check(_tracker(5000, n=5))().status is H
    settings = {"s": Settings()}
    check = latency_check(_tracker(300), lambda: LatencyThresholds.from_settings(settings["s"]))
    assert check().status is D
    settings["s"] = Settings(lsp_p95_warning_ms=500, lsp_p95_critical_ms=1000)
    assert check().status is H


def test_cache_check() -> None:
    good = {"ast": {"size": 10, "maxsize": 100, "hits": 3, "misses": 1}}
    out = cache_check(lambda: good)()
    assert out.status is H and out.details["ast"]["hitRate"] == 0.75
    assert cache_check(lambda: {"ast": {"size": 101, "maxsize": 100}})().status is D
    corrupt = cache_check(lambda: {"registry": {"size": 1, "corrupt": 2}})()
    assert corrupt.status is D and "2 corrupt" in corrupt.message


def test_errors_check(clock) -> None:
    stats = ErrorStats(clock=clock)
    check = errors_check(stats, minutes=5, min_count=3)
    assert check().status is H
    for _ in range(3):
        stats.record(ConnectionError())
        clock.advance(61)
    out = check()
    assert out.status is D and "network" in out.message
