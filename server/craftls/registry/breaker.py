"""Per-host circuit breaker.

Written here rather than taken from pybreaker: pybreaker 1.4 never counts failures
of a decorated ``async def``, lets every concurrent caller through when half-open,
counts ``CancelledError`` as a failure and reads the wall clock. This one is async
aware, lets exactly one probe through, ignores cancellation and takes a clock.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from .errors import CircuitOpen, RateLimited, RegistryUnavailable
from .timing import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")


class State(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerState:
    """A snapshot for health monitors; times are on the breaker's clock."""

    state: State
    failure_count: int
    last_failure_time: float | None
    next_probe_time: float | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        return data


#: Called as ``listener(name, old_state, new_state, snapshot)`` on every transition.
Listener = Callable[[str, State, State, BreakerState], None]


class Outcome(enum.Enum):
    SUCCESS = "success"
    FAILURE = "failure"
    IGNORE = "ignore"


def classify(exc: BaseException | None) -> Outcome:
    """Transport trouble and 5xx are failures; local throttling and cancellation change
    nothing; any other answer (404, integrity...) proves the host is alive."""
    if exc is None:
        return Outcome.SUCCESS
    if isinstance(exc, asyncio.CancelledError | CircuitOpen | RateLimited):
        return Outcome.IGNORE
    if isinstance(exc, RegistryUnavailable):
        return Outcome.FAILURE
    return Outcome.SUCCESS


class CircuitBreaker:
    """CLOSED -> OPEN after ``failure_threshold`` consecutive failures; OPEN rejects until
    ``reset_timeout`` has passed; then HALF_OPEN admits one probe whose result closes or
    re-opens the circuit."""

    def __init__(self, name: str, failure_threshold: int = 10, reset_timeout: float = 60.0,
                 clock: Clock = time.monotonic, listener: Listener | None = None) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._listener = listener
        self._state = State.CLOSED
        self._failures = 0
        self._last_failure: float | None = None
        self._opened_at: float | None = None
        self._probe_in_flight = False

    def state(self) -> BreakerState:
        """Current state (an OPEN breaker whose timeout passed reports HALF_OPEN)."""
        self._maybe_half_open()
        next_probe = None
        if self._state is State.OPEN and self._opened_at is not None:
            next_probe = self._opened_at + self.reset_timeout
        return BreakerState(self._state, self._failures, self._last_failure, next_probe)

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run ``fn`` under the breaker: one call, one count, whatever ``fn`` retries inside."""
        is_probe = self._admit()
        try:
            result = await fn()
        except BaseException as exc:
            self._record(classify(exc), is_probe)
            raise
        self._record(Outcome.SUCCESS, is_probe)
        return result

    def _admit(self) -> bool:
        self._maybe_half_open()
        if self._state is State.CLOSED:
            return False
        if self._state is State.HALF_OPEN and not self._probe_in_flight:
            self._probe_in_flight = True
            return True
        wait = None
        if self._state is State.OPEN and self._opened_at is not None:
            wait = max(0.0, self._opened_at + self.reset_timeout - self._clock())
        raise CircuitOpen(f"registry host {self.name} is failing; calls paused "
                          f"(next probe in {wait or 0:.0f}s)", retry_after=wait)

    def _record(self, outcome: Outcome, is_probe: bool) -> None:
        if is_probe:
            self._probe_in_flight = False
        if outcome is Outcome.IGNORE:
            return
        if outcome is Outcome.SUCCESS:
            self._failures = 0
            if self._state is not State.CLOSED:
                self._transition(State.CLOSED)
            return
        self._failures += 1
        self._last_failure = self._clock()
        if self._state is State.HALF_OPEN or self._failures >= self.failure_threshold:
            self._opened_at = self._last_failure
            if self._state is not State.OPEN:
                self._transition(State.OPEN)

    def _maybe_half_open(self) -> None:
        if (self._state is State.OPEN and self._opened_at is not None
                and self._clock() >= self._opened_at + self.reset_timeout):
            self._transition(State.HALF_OPEN)

    def _transition(self, new: State) -> None:
        old, self._state = self._state, new
        if new is State.CLOSED:
            self._opened_at = None
        log.info("circuit breaker %s: %s -> %s", self.name, old.value, new.value)
        if self._listener is not None:
            try:
                self._listener(self.name, old, new, self.state())
            except Exception:  # a broken audit hook must not break fetching
                log.exception("circuit breaker listener failed")


class BreakerRegistry:
    """One breaker per host, created on first use with shared settings."""

    def __init__(self, failure_threshold: int = 10, reset_timeout: float = 60.0,
                 clock: Clock = time.monotonic, listener: Listener | None = None) -> None:
        self._settings = (failure_threshold, reset_timeout, clock, listener)
        self._breakers: dict[str, CircuitBreaker] = {}

    def for_host(self, host: str) -> CircuitBreaker:
        breaker = self._breakers.get(host)
        if breaker is None:
            threshold, reset, clock, listener = self._settings
            breaker = CircuitBreaker(host, threshold, reset, clock, listener)
            self._breakers[host] = breaker
        return breaker

    def configure(self, failure_threshold: int, reset_timeout: float) -> None:
        """New settings for every breaker, existing ones included (state is kept)."""
        _, _, clock, listener = self._settings
        self._settings = (failure_threshold, reset_timeout, clock, listener)
        for breaker in self._breakers.values():
            breaker.failure_threshold = failure_threshold
            breaker.reset_timeout = reset_timeout

    def hosts(self) -> list[str]:
        return sorted(self._breakers)

    def stats(self) -> dict[str, dict[str, Any]]:
        return {host: b.state().to_json() for host, b in sorted(self._breakers.items())}
