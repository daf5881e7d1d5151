"""Retry policy: tenacity, one fresh ``AsyncRetrying`` per logical fetch.

A shared ``AsyncRetrying`` must not be used by concurrent coroutines, so
:func:`make_retrying` builds a new one each time. Only idempotent GETs are retried,
only for transport errors, 429, 502, 503 and 504; a Retry-After header (capped)
replaces the exponential backoff for that attempt.
"""

from __future__ import annotations

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from .timing import Sleep

RETRY_STATUSES = frozenset({429, 502, 503, 504})


class TransientError(Exception):
    """One failed attempt worth retrying (transport error or 429/502/503/504)."""

    def __init__(self, message: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class _WaitRetryAfter:
    """Use the server's Retry-After when present, else exponential backoff with jitter."""

    def __init__(self, base: float, maximum: float, jitter: float) -> None:
        self._backoff = wait_exponential_jitter(multiplier=base, max=maximum, jitter=jitter)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientError) and exc.retry_after is not None:
            return exc.retry_after
        return float(self._backoff(state))


def make_retrying(method: str, *, attempts: int, base: float, maximum: float, jitter: float,
                  sleep: Sleep) -> AsyncRetrying:
    """A new retry controller for one call; non-GET methods get a single attempt."""
    return AsyncRetrying(
        stop=stop_after_attempt(attempts if method.upper() == "GET" else 1),
        wait=_WaitRetryAfter(base, maximum, jitter),
        retry=retry_if_exception_type(TransientError),
        sleep=sleep,
        reraise=True,
    )
