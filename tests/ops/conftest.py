"""Shared fixtures: a hand-driven clock and folders that keep tests out of the real home."""

from __future__ import annotations

from pathlib import Path

import pytest


class FakeClock:
    """A clock tests move by hand: `clock()` reads it, `clock.advance(s)` moves it."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Any code path falling back to the default folders lands in tmp_path, never in $HOME.
    monkeypatch.setenv("CRAFTLS_LOG_DIR", str(tmp_path / "env-log"))
    monkeypatch.setenv("CRAFTLS_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.setenv("CRAFTLS_CONFIG_DIR", str(tmp_path / "env-config"))
