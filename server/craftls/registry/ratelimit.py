"""Per-host rate limiting (aiolimiter leaky bucket) with bounded waits and 429 pauses.

An ``AsyncLimiter`` binds to the event loop that first uses it, so limiters are kept
per (loop, host): pytest and ``asyncio.run`` create a fresh loop each time.
"""

from __future__ import annotations

import asyncio
import collections
import email.utils
import math
import weakref
from typing import Any

from aiolimiter import AsyncLimiter

from .errors import RateLimited
from .timing import Timing


def parse_retry_after(value: str | None, now_wall: float, cap: float = math.inf
                      ) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), capped."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - now_wall
    return min(max(seconds, 0.0), cap)


class HostRateLimiter:
    """``acquire(host)`` waits for capacity at most ``max_wait`` seconds, else RateLimited."""

    def __init__(self, max_rate: float = 5000, period: float = 60.0, max_wait: float = 10.0,
                 timing: Timing | None = None) -> None:
        self.max_rate = max_rate
        self.period = period
        self.max_wait = max_wait
        self._timing = timing or Timing()
        self._limiters: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, AsyncLimiter]] = weakref.WeakKeyDictionary()
        self._paused_until: dict[str, float] = {}
        self._recent: dict[str, collections.deque[float]] = {}

    def _limiter(self, host: str) -> AsyncLimiter:
        per_loop = self._limiters.setdefault(asyncio.get_running_loop(), {})
        limiter = per_loop.get(host)
        if limiter is None:
            limiter = per_loop[host] = AsyncLimiter(self.max_rate, self.period)
        return limiter

    def configure(self, max_rate: float, period: float) -> None:
        """New limits; buckets are recreated on their next use (the window count stays)."""
        if (max_rate, period) != (self.max_rate, self.period):
            self.max_rate, self.period = max_rate, period
            self._limiters = weakref.WeakKeyDictionary()

    async def acquire(self, host: str, budget: float | None = None) -> None:
        """Wait out a 429 pause (at most ``budget`` seconds, default ``max_wait``) and the
        bucket (at most ``max_wait``), or raise RateLimited if that is too long.

        A pause delays every request queued for the host; it fails them only when it
        would outlast the caller's budget (the operation's deadline)."""
        pause = self._paused_until.get(host, 0.0) - self._timing.clock()
        if pause > 0:
            budget = self.max_wait if budget is None else budget
            if pause > budget:
                raise RateLimited(f"registry {host} asked us to wait {pause:.0f} s (429), "
                                  f"more than the {max(budget, 0):.0f} s left",
                                  retry_after=pause)
            await self._timing.sleep(pause)
        try:
            async with asyncio.timeout(max(self.max_wait - max(pause, 0.0), 0.0)):
                await self._limiter(host).acquire()
        except TimeoutError:
            raise RateLimited(f"rate limit for {host} ({self.max_rate:g} requests per "
                              f"{self.period:g}s) reached; waited {self.max_wait:g}s",
                              retry_after=self.period / self.max_rate) from None
        self._note(host)

    def pause(self, host: str, seconds: float) -> bool:
        """A 429 said "come back later": hold every caller for this host until then.

        True when this starts a pause (none was running): the one to tell the user."""
        now = self._timing.clock()
        previous = self._paused_until.get(host, 0.0)
        self._paused_until[host] = max(now + seconds, previous)
        return previous <= now

    def _note(self, host: str) -> None:
        now = self._timing.clock()
        recent = self._recent.setdefault(host, collections.deque())
        recent.append(now)
        self._trim(recent, now)

    def _trim(self, recent: collections.deque[float], now: float) -> None:
        while recent and recent[0] <= now - self.period:
            recent.popleft()

    def stats(self) -> dict[str, dict[str, Any]]:
        """Requests in the current window, remaining capacity and pause per host."""
        now = self._timing.clock()
        out = {}
        for host, recent in sorted(self._recent.items()):
            self._trim(recent, now)
            out[host] = {
                "requests_in_window": len(recent),
                "available_capacity": max(0.0, self.max_rate - len(recent)),
                "max_rate": self.max_rate,
                "period": self.period,
                "paused_for": max(0.0, self._paused_until.get(host, 0.0) - now),
            }
        return out
