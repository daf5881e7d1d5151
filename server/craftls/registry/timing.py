"""Injectable time sources so every layer can be tested without real sleeping."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Timing:
    """A monotonic clock, a wall clock (for HTTP dates) and an async sleep."""

    clock: Clock = time.monotonic
    wall_clock: Clock = time.time
    sleep: Sleep = asyncio.sleep


@dataclass
class FakeTiming:
    """A manual clock whose ``sleep`` advances time instantly; used by tests and benchmarks."""

    now: float = 1000.0
    wall: float = 1_700_000_000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.wall += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)

    def timing(self) -> Timing:
        return Timing(clock=self.clock, wall_clock=self.wall_clock, sleep=self.sleep)
