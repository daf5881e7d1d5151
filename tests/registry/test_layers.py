"""Each layer alone: breaker, rate limiter, memory cache, retry policy, Retry-After."""

from __future__ import annotations

import asyncio
import email.utils
from typing import Any

import pytest

from craftls.registry.breaker import BreakerRegistry, CircuitBreaker, State
from craftls.registry.cache import MemoryCache
from craftls.registry.errors import CircuitOpen, NotFound, RateLimited, RegistryUnavailable
from craftls.registry.ratelimit import HostRateLimiter, parse_retry_after
from craftls.registry.retry import TransientError, make_retrying
from craftls.registry.timing import FakeTiming


async def _fail() -> None:
    raise RegistryUnavailable("down")


async def _ok() -> str:
    return "ok"


def _breaker(fake: FakeTiming, events: list[Any] | None = None, threshold: int = 3
             ) -> CircuitBreaker:
    listener = (lambda name, old, new, snap: events.append((old, new))) if events is not None \
        else None
    return CircuitBreaker("host", threshold, 60.0, clock=fake.clock, listener=listener)


async def test_breaker_opens_after_consecutive_failures(fake):
    events: list[Any] = []
    breaker = _breaker(fake, events)
    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            await breaker.call(_fail)
    snap = breaker.state()
    assert snap.state is State.OPEN and snap.failure_count == 3
    assert snap.last_failure_time == fake.now
    assert snap.next_probe_time == fake.now + 60
    calls = 0

    async def counted() -> str:
        nonlocal calls
        calls += 1
        return "ok"

    with pytest.raises(CircuitOpen) as info:
        await breaker.call(counted)
    assert calls == 0 and info.value.retry_after == 60
    assert events == [(State.CLOSED, State.OPEN)]


async def test_breaker_success_resets_count(fake):
    breaker = _breaker(fake)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            await breaker.call(_fail)
    await breaker.call(_ok)
    with pytest.raises(RegistryUnavailable):
        await breaker.call(_fail)
    assert breaker.state().state is State.CLOSED
    assert breaker.state().failure_count == 1


async def test_breaker_ignores_4xx_and_cancellation(fake):
    breaker = _breaker(fake, threshold=1)

    async def missing() -> None:
        raise NotFound("404")

    async def cancelled() -> None:
        raise asyncio.CancelledError

    with pytest.raises(NotFound):
        await breaker.call(missing)
    with pytest.raises(asyncio.CancelledError):
        await breaker.call(cancelled)
    assert breaker.state().state is State.CLOSED
    assert breaker.state().failure_count == 0


async def test_half_open_admits_exactly_one_probe(fake):
    events: list[Any] = []
    breaker = _breaker(fake, events, threshold=1)
    with pytest.raises(RegistryUnavailable):
        await breaker.call(_fail)
    fake.advance(61)
    assert breaker.state().state is State.HALF_OPEN
    gate = asyncio.Event()

    async def slow_probe() -> str:
        await gate.wait()
        return "probe"

    probe = asyncio.create_task(breaker.call(slow_probe))
    await asyncio.sleep(0)
    with pytest.raises(CircuitOpen):
        await breaker.call(_ok)
    gate.set()
    assert await probe == "probe"
    assert breaker.state().state is State.CLOSED
    assert events == [(State.CLOSED, State.OPEN), (State.OPEN, State.HALF_OPEN),
                      (State.HALF_OPEN, State.CLOSED)]


async def test_failed_probe_reopens_and_cancelled_probe_frees_slot(fake):
    breaker = _breaker(fake, threshold=1)
    with pytest.raises(RegistryUnavailable):
        await breaker.call(_fail)
    fake.advance(61)

    async def cancelled() -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await breaker.call(cancelled)
    assert breaker.state().state is State.HALF_OPEN  # slot released, still half-open
    with pytest.raises(RegistryUnavailable):
        await breaker.call(_fail)
    snap = breaker.state()
    assert snap.state is State.OPEN and snap.next_probe_time == fake.now + 60


async def test_broken_listener_does_not_break_calls(fake):
    def listener(*_args: object) -> None:
        raise RuntimeError("audit down")

    breaker = CircuitBreaker("h", 1, 60, clock=fake.clock, listener=listener)
    with pytest.raises(RegistryUnavailable):
        await breaker.call(_fail)
    assert breaker.state().state is State.OPEN


def test_breaker_registry_stats_are_plain_data(fake):
    reg = BreakerRegistry(clock=fake.clock)
    reg.for_host("a:1")
    assert reg.stats() == {"a:1": {"state": "closed", "failure_count": 0,
                                   "last_failure_time": None, "next_probe_time": None}}


async def test_rate_limiter_bounded_wait(fake):
    limiter = HostRateLimiter(max_rate=2, period=1.0, max_wait=0.05, timing=fake.timing())
    await limiter.acquire("h")
    await limiter.acquire("h")
    with pytest.raises(RateLimited) as info:
        await limiter.acquire("h")
    assert info.value.retry_after == pytest.approx(0.5)
    stats = limiter.stats()["h"]
    assert stats["requests_in_window"] == 2 and stats["available_capacity"] == 0


async def test_rate_limiter_pause_after_429(fake):
    limiter = HostRateLimiter(max_wait=10, timing=fake.timing())
    limiter.pause("h", 4)
    await limiter.acquire("h")
    assert fake.slept == [4]
    limiter.pause("h", 30)
    with pytest.raises(RateLimited) as info:
        await limiter.acquire("h")
    assert info.value.retry_after == 30
    await limiter.acquire("other")  # other hosts are not paused


def test_rate_limiter_per_event_loop(fake):
    limiter = HostRateLimiter(max_rate=1, period=60, max_wait=0.01, timing=fake.timing())

    async def once() -> None:
        await limiter.acquire("h")

    asyncio.run(once())
    asyncio.run(once())  # a new loop gets its own AsyncLimiter: no cross-loop reuse


def test_parse_retry_after():
    now = 1_700_000_000.0
    assert parse_retry_after("12", now, 60) == 12
    assert parse_retry_after("600", now, 60) == 60
    assert parse_retry_after(email.utils.formatdate(now + 20, usegmt=True), now, 60) == 20
    assert parse_retry_after(email.utils.formatdate(now - 20, usegmt=True), now, 60) == 0
    assert parse_retry_after("soon", now, 60) is None
    assert parse_retry_after(None, now, 60) is None


async def test_memory_cache_ttl_uses_injected_timer(fake):
    cache: MemoryCache[str] = MemoryCache(10, ttl=5, timer=fake.clock)
    loads = 0

    async def load() -> str:
        nonlocal loads
        loads += 1
        return "v"

    assert await cache.get_or_load("k", load) == "v"
    assert await cache.get_or_load("k", load) == "v"
    fake.advance(6)
    assert await cache.get_or_load("k", load) == "v"
    assert loads == 2
    assert cache.stats()["hits"] == 1 and cache.stats()["misses"] == 2


async def test_memory_cache_does_not_keep_failures(fake):
    cache: MemoryCache[str] = MemoryCache(10, ttl=5, timer=fake.clock)

    async def boom() -> str:
        raise RegistryUnavailable("x")

    with pytest.raises(RegistryUnavailable):
        await cache.get_or_load("k", boom)
    assert cache.get("k") is None and cache.stats()["in_flight"] == 0


async def test_retry_policy_only_retries_transient_errors_on_get(fake):
    attempts = 0

    async def run(method: str, exc: Exception) -> None:
        nonlocal attempts
        async for attempt in make_retrying(method, attempts=3, base=0.1, maximum=1,
                                           jitter=0.1, sleep=fake.sleep):
            with attempt:
                attempts += 1
                raise exc

    with pytest.raises(TransientError):
        await run("GET", TransientError("503", 503))
    assert attempts == 3
    attempts = 0
    with pytest.raises(TransientError):
        await run("POST", TransientError("503", 503))
    assert attempts == 1
    attempts = 0
    with pytest.raises(NotFound):
        await run("GET", NotFound("404"))
    assert attempts == 1


async def test_backoff_grows_with_jitter(fake):
    async for attempt in make_retrying("GET", attempts=4, base=1, maximum=100, jitter=0.5,
                                       sleep=fake.sleep):
        with attempt:
            if attempt.retry_state.attempt_number < 4:
                raise TransientError("x")
    assert len(fake.slept) == 3
    for waited, base in zip(fake.slept, (1, 2, 4), strict=True):
        assert base <= waited <= base + 0.5
