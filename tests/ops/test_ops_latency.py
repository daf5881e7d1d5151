from __future__ import annotations

import asyncio

import pytest

from craftls.ops.latency import LatencyTracker, percentile


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([], 95) == 0.0
    assert percentile([7.0], 99) == 7.0
    ten = [float(v) for v in range(1, 11)]
    assert percentile(ten, 95) == 10  # rank 9.5 rounds up: never under-report a tail
    assert percentile([1.0, 2.0, 3.0], 50) == 2


def test_stats_per_method() -> None:
    t = LatencyTracker()
    for ms in range(1, 101):
        t.record("textDocument/hover", float(ms))
    t.record("textDocument/completion", 5.0, ok=False)
    hover = t.stats("textDocument/hover")
    assert hover is not None
    assert (hover.p50_ms, hover.p95_ms, hover.p99_ms, hover.max_ms) == (50, 95, 99, 100)
    assert hover.count == 100 and hover.errors == 0 and hover.error_rate == 0
    completion = t.stats("textDocument/completion")
    assert completion is not None and completion.error_rate == 1.0
    assert t.stats("unknown") is None
    assert t.methods() == ["textDocument/completion", "textDocument/hover"]
    assert t.overall_error_rate() == pytest.approx(1 / 101)


def test_window_is_bounded_but_totals_are_not() -> None:
    t = LatencyTracker(window=10)
    for _ in range(10):
        t.record("m", 1000.0, ok=False)
    for _ in range(10):
        t.record("m", 1.0)
    s = t.stats("m")
    assert s is not None
    assert s.window_count == 10 and s.p99_ms == 1.0 and s.error_rate == 0.0
    assert s.count == 20 and s.errors == 10


def test_measure_records_duration_and_errors(clock) -> None:
    t = LatencyTracker(clock=clock)
    with t.measure("a"):
        clock.advance(0.25)
    with pytest.raises(RuntimeError), t.measure("a"):
        raise RuntimeError
    with pytest.raises(asyncio.CancelledError), t.measure("a"):
        raise asyncio.CancelledError
    s = t.stats("a")
    assert s is not None
    assert s.max_ms == pytest.approx(250.0)
    assert s.count == 3 and s.errors == 1  # cancellation is not a failure


def test_payload_keys() -> None:
    t = LatencyTracker()
    t.record("m", 2.0)
    assert set(t.to_payload()["m"]) == {"count", "errors", "errorRate", "p50Ms", "p95Ms", "p99Ms",
                                         "maxMs", "windowCount"}
