from __future__ import annotations

import asyncio
import errno

import pytest

from craftls.ops.errors import ErrorCategory, ErrorStats, Severity, ValidationError, classify


class ConnectError(Exception):  # shaped like httpx.ConnectError
    pass


class RemoteProtocolError(Exception):
    pass


class Flaky(Exception):
    retryable = True


class RegistryDown(Exception):
    category = "network"
    severity = "high"


class ReadTimeout(Exception):  # shaped like httpx.ReadTimeout
    pass


@pytest.mark.parametrize("exc, category", [
    (TimeoutError(), ErrorCategory.TIMEOUT),
    (asyncio.TimeoutError(), ErrorCategory.TIMEOUT),  # noqa: UP041 (the alias itself)
    (ReadTimeout(), ErrorCategory.TIMEOUT),
    (ConnectionRefusedError(), ErrorCategory.NETWORK),
    (OSError("boom"), ErrorCategory.NETWORK),
    (ConnectError(), ErrorCategory.NETWORK),
    (RemoteProtocolError(), ErrorCategory.NETWORK),
    (Flaky(), ErrorCategory.NETWORK),
    (MemoryError(), ErrorCategory.RESOURCE),
    (RecursionError(), ErrorCategory.RESOURCE),
    (OSError(errno.ENOSPC, "disk full"), ErrorCategory.RESOURCE),
    (ValueError("bad"), ErrorCategory.VALIDATION),
    (ValidationError("bad"), ErrorCategory.VALIDATION),
    (KeyError("x"), ErrorCategory.INTERNAL),
    (RuntimeError("x"), ErrorCategory.INTERNAL),
])
def test_classify_category(exc: BaseException, category: ErrorCategory) -> None:
    assert classify(exc)[0] is category


def test_foreign_validation_error_by_name() -> None:
    class ValidationError(Exception):  # e.g. jsonschema's, not a ValueError
        pass

    assert classify(ValidationError())[0] is ErrorCategory.VALIDATION


def test_severities() -> None:
    assert classify(ValueError())[1] is Severity.LOW
    assert classify(ConnectionError())[1] is Severity.MEDIUM
    assert classify(MemoryError())[1] is Severity.CRITICAL
    assert classify(RuntimeError())[1] is Severity.HIGH


def test_declared_category_and_severity_win() -> None:
    assert classify(RegistryDown()) == (ErrorCategory.NETWORK, Severity.HIGH)


def test_stats_counts_and_ring(clock) -> None:
    stats = ErrorStats(recent_size=3, clock=clock, wall_clock=clock)
    for exc in [ValueError("a"), TimeoutError("b"), ValueError("c"), RuntimeError("d")]:
        stats.record(exc, source="test")
    assert stats.counts_by_category()["validation"] == 2
    assert stats.counts_by_category()["timeout"] == 1
    assert stats.counts_by_severity()["high"] == 1
    assert stats.total == 4
    assert [r.message for r in stats.recent()] == ["b", "c", "d"]  # ring bounded to 3
    assert [r.message for r in stats.recent(1)] == ["d"]


def test_cancellation_is_not_an_error(clock) -> None:
    stats = ErrorStats(clock=clock)
    assert stats.record(asyncio.CancelledError()) is None
    assert stats.total == 0


def test_rate_over_sliding_window(clock) -> None:
    stats = ErrorStats(window_s=60, clock=clock)
    for _ in range(6):
        stats.record(RuntimeError())
    assert stats.rate() == pytest.approx(6 / 60)
    clock.advance(30)
    stats.record(RuntimeError())
    assert stats.count_in_window() == 7
    clock.advance(31)  # the first six are now older than 60 s
    assert stats.count_in_window() == 1
    assert stats.rate() == pytest.approx(1 / 60)


def test_persistent_needs_count_and_spread(clock) -> None:
    stats = ErrorStats(clock=clock)
    for _ in range(10):  # a burst within one minute: not persistent
        stats.record(ConnectionError())
    assert stats.persistent(minutes=5, min_count=5) == []
    for _ in range(3):
        clock.advance(70)
        stats.record(ConnectionError())
    assert stats.persistent(minutes=5, min_count=5) == [ErrorCategory.NETWORK]
    clock.advance(10 * 60)  # all of it is history now
    assert stats.persistent(minutes=5, min_count=5) == []


def test_payload_shape(clock) -> None:
    stats = ErrorStats(clock=clock, wall_clock=clock)
    stats.record(ValueError("x"), source="config")
    payload = stats.to_payload()
    assert set(payload) == {"total", "byCategory", "bySeverity", "ratePerSecond", "windowSeconds",
                            "persistent", "recent"}
    assert payload["recent"][0]["source"] == "config"
    assert payload["recent"][0]["time"].endswith("Z")
