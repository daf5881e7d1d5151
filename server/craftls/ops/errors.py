"""Error classification and accounting.

`classify` tells what kind of failure an exception is, so callers can decide to
retry (network, timeout), fall back to a cache, or report. `ErrorStats` keeps the
numbers that `craftls/stats` and the health checks read: counts, a ring of recent
errors, the error rate over a sliding window and persistent-failure detection.
"""

from __future__ import annotations

import asyncio
import errno
import threading
from collections import Counter, deque
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from craftls.ops.clock import Clock, monotonic, rfc3339, wall

E = TypeVar("E", bound=StrEnum)


class ErrorCategory(StrEnum):
    VALIDATION = "validation"
    NETWORK = "network"
    TIMEOUT = "timeout"
    RESOURCE = "resource"
    INTERNAL = "internal"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class ValidationError(ValueError):
    """Bad input from a user or a definition file: report it, never retry it."""


# Default severity per category: a bad input is the user's to fix (low); transport
# trouble usually heals by itself (medium); our own bugs and exhaustion are high.
_DEFAULT_SEVERITY = {
    ErrorCategory.VALIDATION: Severity.LOW,
    ErrorCategory.NETWORK: Severity.MEDIUM,
    ErrorCategory.TIMEOUT: Severity.MEDIUM,
    ErrorCategory.RESOURCE: Severity.HIGH,
    ErrorCategory.INTERNAL: Severity.HIGH,
}

# Substrings of exception class names (anywhere in the MRO) that mean transport
# trouble in libraries we do not import here (httpx.ConnectError, RemoteProtocolError ...).
_NETWORK_NAME_HINTS = ("connect", "network", "transport", "socket", "dns", "remote", "http")
_RESOURCE_ERRNOS = frozenset({errno.ENOSPC, errno.ENOMEM, errno.EMFILE, errno.ENFILE, errno.EDQUOT})


def _mro_names(exc: BaseException) -> list[str]:
    return [cls.__name__.lower() for cls in type(exc).__mro__]


def _declared(exc: BaseException, attr: str, enum: type[E]) -> E | None:
    """An exception may declare its own `category`/`severity` (our registry errors do)."""
    value = getattr(exc, attr, None)
    try:
        return enum(value) if value is not None else None
    except ValueError:
        return None


def _category_of(exc: BaseException) -> ErrorCategory:
    declared = _declared(exc, "category", ErrorCategory)
    if declared is not None:
        return declared
    names = _mro_names(exc)
    # TimeoutError is an OSError subclass (and asyncio.TimeoutError is TimeoutError), so first.
    if isinstance(exc, TimeoutError) or any("timeout" in n for n in names):
        return ErrorCategory.TIMEOUT
    if isinstance(exc, MemoryError | RecursionError):
        return ErrorCategory.RESOURCE
    if isinstance(exc, OSError) and exc.errno in _RESOURCE_ERRNOS:
        return ErrorCategory.RESOURCE
    if isinstance(exc, OSError) or getattr(exc, "retryable", False):
        return ErrorCategory.NETWORK
    if any(hint in n for n in names for hint in _NETWORK_NAME_HINTS):
        return ErrorCategory.NETWORK
    if isinstance(exc, ValueError) or "validationerror" in names:
        return ErrorCategory.VALIDATION
    return ErrorCategory.INTERNAL


def classify(exc: BaseException) -> tuple[ErrorCategory, Severity]:
    """Return (category, severity) of an exception.

    Order: a declared ``category``/``severity`` attribute; TimeoutError or a *Timeout*
    class -> timeout; MemoryError/RecursionError or an OSError for a full disk or
    exhausted descriptors -> resource; other OSError (ConnectionError included), a
    truthy ``retryable`` attribute or a network-ish class name -> network;
    ValueError or any *ValidationError* -> validation; anything else -> internal.
    """
    category = _category_of(exc)
    severity = _declared(exc, "severity", Severity)
    if severity is None:
        severity = Severity.CRITICAL if isinstance(exc, MemoryError) else _DEFAULT_SEVERITY[category]
    return category, severity


def is_countable(exc: BaseException) -> bool:
    """Cancellation and interpreter exit are control flow, not errors: never count them."""
    return not isinstance(exc, asyncio.CancelledError | KeyboardInterrupt | SystemExit | GeneratorExit)


@dataclass(frozen=True)
class ErrorRecord:
    """One counted error."""

    time: float  # wall clock, for people
    category: ErrorCategory
    severity: Severity
    type_name: str
    message: str
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": rfc3339(self.time),
            "category": self.category.value,
            "severity": self.severity.value,
            "type": self.type_name,
            "message": self.message,
            "source": self.source,
        }


class ErrorStats:
    """Thread-safe error accounting with a sliding window on an injectable clock.

    Window timestamps come from the monotonic `clock`; `wall` stamps the records.
    Events older than `horizon_s` are forgotten, so rates and persistence can only
    look back that far; `max_events` bounds memory during an error storm.
    """

    def __init__(self, *, recent_size: int = 100, window_s: float = 60.0,
                 horizon_s: float = 900.0, max_events: int = 10_000,
                 clock: Clock = monotonic, wall_clock: Clock = wall) -> None:
        self._window_s = window_s
        self._horizon_s = max(horizon_s, window_s)
        self._clock = clock
        self._wall = wall_clock
        self._lock = threading.Lock()  # errors are recorded from worker threads too
        self._by_category: Counter[ErrorCategory] = Counter()
        self._by_severity: Counter[Severity] = Counter()
        self._recent: deque[ErrorRecord] = deque(maxlen=recent_size)
        self._events: deque[tuple[float, ErrorCategory]] = deque(maxlen=max_events)

    def record(self, exc: BaseException, source: str | None = None) -> ErrorRecord | None:
        """Classify and count `exc`; cancellation is ignored (returns None)."""
        if not is_countable(exc):
            return None
        category, severity = classify(exc)
        return self.record_category(category, severity, type(exc).__name__, str(exc), source)

    def record_category(self, category: ErrorCategory, severity: Severity, type_name: str,
                        message: str, source: str | None = None) -> ErrorRecord:
        """Count an error that was not raised as an exception (e.g. an LSP error response)."""
        rec = ErrorRecord(self._wall(), category, severity, type_name, message[:500], source)
        now = self._clock()
        with self._lock:
            self._by_category[category] += 1
            self._by_severity[severity] += 1
            self._recent.append(rec)
            self._events.append((now, category))
            self._prune(now)
        return rec

    def _prune(self, now: float) -> None:
        while self._events and self._events[0][0] < now - self._horizon_s:
            self._events.popleft()

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self._by_category.values())

    def counts_by_category(self) -> dict[str, int]:
        with self._lock:
            return {c.value: self._by_category[c] for c in ErrorCategory}

    def counts_by_severity(self) -> dict[str, int]:
        with self._lock:
            return {s.value: self._by_severity[s] for s in Severity}

    def recent(self, limit: int | None = None) -> list[ErrorRecord]:
        """Most recent errors, oldest first."""
        with self._lock:
            items = list(self._recent)
        return items[-limit:] if limit else items

    def count_in_window(self, window_s: float | None = None,
                        category: ErrorCategory | None = None) -> int:
        window = self._window_s if window_s is None else min(window_s, self._horizon_s)
        now = self._clock()
        with self._lock:
            self._prune(now)
            return sum(1 for t, c in self._events
                       if t >= now - window and (category is None or c == category))

    def rate(self, window_s: float | None = None) -> float:
        """Errors per second over the sliding window."""
        window = self._window_s if window_s is None else min(window_s, self._horizon_s)
        return self.count_in_window(window) / window if window > 0 else 0.0

    def persistent(self, *, minutes: float = 5.0, min_count: int = 5,
                   min_distinct_minutes: int = 3) -> list[ErrorCategory]:
        """Categories that keep failing: at least `min_count` errors in the last `minutes`,
        spread over at least `min_distinct_minutes` different minutes.

        The spread rule tells a one-off burst (one bad save) from a failure that
        survives retries and recovery, which is what needs a human.
        """
        window = min(minutes * 60.0, self._horizon_s)
        now = self._clock()
        with self._lock:
            self._prune(now)
            recent = [(t, c) for t, c in self._events if t >= now - window]
        found: list[ErrorCategory] = []
        for category in ErrorCategory:
            times = [t for t, c in recent if c == category]
            buckets = {int((now - t) // 60) for t in times}
            if len(times) >= min_count and len(buckets) >= min_distinct_minutes:
                found.append(category)
        return found

    def to_payload(self, recent_limit: int = 20) -> dict[str, Any]:
        """The `errors` part of the craftls/stats response."""
        return {
            "total": self.total,
            "byCategory": self.counts_by_category(),
            "bySeverity": self.counts_by_severity(),
            "ratePerSecond": self.rate(),
            "windowSeconds": self._window_s,
            "persistent": [c.value for c in self.persistent()],
            "recent": [r.to_dict() for r in self.recent(recent_limit)],
        }

