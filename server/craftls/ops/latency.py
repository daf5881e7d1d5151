"""Latency and error accounting per LSP method.

Each method keeps a bounded window of recent samples, so percentiles describe
current behaviour (not the whole session) and memory stays constant.
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from craftls.ops.clock import Clock, monotonic


@dataclass(frozen=True)
class MethodStats:
    """Latency summary of one method: totals since start, percentiles over the window."""

    method: str
    count: int
    errors: int
    window_count: int
    window_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def error_rate(self) -> float:
        """Share of failed requests in the window (recent behaviour, not history)."""
        return self.window_errors / self.window_count if self.window_count else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count, "errors": self.errors, "errorRate": self.error_rate,
            "p50Ms": self.p50_ms, "p95Ms": self.p95_ms, "p99Ms": self.p99_ms,
            "maxMs": self.max_ms, "windowCount": self.window_count,
        }


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of an ascending list; 0.0 when empty."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class _Window:
    __slots__ = ("samples", "count", "errors")

    def __init__(self, size: int) -> None:
        self.samples: deque[tuple[float, bool]] = deque(maxlen=size)
        self.count = 0
        self.errors = 0


class LatencyTracker:
    """Records duration and success of requests per method (thread-safe)."""

    def __init__(self, window: int = 1000, clock: Clock = monotonic) -> None:
        if window < 1:
            raise ValueError("window must be >= 1")
        self._size = window
        self._clock = clock
        self._lock = threading.Lock()
        self._methods: dict[str, _Window] = {}

    def record(self, method: str, duration_ms: float, ok: bool = True) -> None:
        with self._lock:
            win = self._methods.get(method)
            if win is None:
                win = self._methods[method] = _Window(self._size)
            win.samples.append((duration_ms, ok))
            win.count += 1
            win.errors += 0 if ok else 1

    @contextmanager
    def measure(self, method: str) -> Iterator[None]:
        """Time a block; an exception leaving it counts as an error (cancellation does not)."""
        start = self._clock()
        ok = True
        try:
            yield
        except BaseException as exc:
            ok = _is_cancellation(exc)
            raise
        finally:
            self.record(method, (self._clock() - start) * 1000.0, ok)

    def stats(self, method: str) -> MethodStats | None:
        with self._lock:
            win = self._methods.get(method)
            if win is None:
                return None
            samples = list(win.samples)
            count, errors = win.count, win.errors
        durations = sorted(d for d, _ in samples)
        return MethodStats(
            method, count, errors, len(samples), sum(1 for _, ok in samples if not ok),
            percentile(durations, 50), percentile(durations, 95), percentile(durations, 99),
            durations[-1] if durations else 0.0,
        )

    def methods(self) -> list[str]:
        with self._lock:
            return sorted(self._methods)

    def snapshot(self) -> dict[str, MethodStats]:
        """Stats of every method seen so far."""
        return {m: s for m in self.methods() if (s := self.stats(m)) is not None}

    def overall_error_rate(self) -> float:
        """Failed share of all requests in the windows of all methods."""
        stats = self.snapshot().values()
        total = sum(s.window_count for s in stats)
        return sum(s.window_errors for s in stats) / total if total else 0.0

    def to_payload(self) -> dict[str, Any]:
        return {m: s.to_dict() for m, s in self.snapshot().items()}

    def reset(self) -> None:
        with self._lock:
            self._methods.clear()


def _is_cancellation(exc: BaseException) -> bool:
    # A request cancelled by the client ($/cancelRequest) is not a server failure.
    return isinstance(exc, asyncio.CancelledError)

