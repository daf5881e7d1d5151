"""The programs' clock is fixed in these tests (QBasic's TIMER reads CRAFTLS_CLOCK when it
is set, in the interpreter, the C program and the WebAssembly host alike), so a program
that seeds its random numbers from the clock (`RANDOMIZE TIMER`) runs reproducibly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .goldens import CLOCK


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CRAFTLS_CLOCK", CLOCK)
    yield
