"""The `registry` health check: closed breakers and recent success are HEALTHY; an open
or half-open breaker, a failing last request or a throttled host are DEGRADED with a
message saying the server serves from its cache; nothing is ever UNHEALTHY."""

from __future__ import annotations

from typing import Any

import pytest

from craftls.ops.checks import registry_check
from craftls.ops.health import HealthMonitor, HealthStatus

H, D = HealthStatus.HEALTHY, HealthStatus.DEGRADED
NOW = 1_700_000_000.0
HOST = "registry.example:443"


def breaker(state: str = "closed", failures: int = 0) -> dict[str, Any]:
    return {"state": state, "failure_count": failures, "last_failure_time": None,
            "next_probe_time": 60.0 if state == "open" else None}


def limiter(in_window: int = 0, max_rate: float = 100, paused: float = 0.0) -> dict[str, Any]:
    return {"requests_in_window": in_window, "available_capacity": max_rate - in_window,
            "max_rate": max_rate, "period": 60.0, "paused_for": paused}


def snap(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"breakers": {HOST: breaker()}, "limiters": {HOST: limiter(3)},
                            "lastSuccess": NOW - 5, "lastFailure": None, "lastError": None,
                            "latencyMs": {"last": 42.0, "p95": 80.0}, "now": NOW}
    base.update(changes)
    return base


def run(data: dict[str, Any] | None) -> Any:
    return registry_check(lambda: data)()


def test_closed_breakers_and_recent_success_are_healthy() -> None:
    out = run(snap())
    assert out.status is H
    assert out.message == "circuits closed; last success 5s ago (42 ms)"
    assert out.details["breakers"] == {HOST: "closed"}
    assert out.details["limiterSaturation"] == {HOST: 0.03}
    assert out.details["latencyMs"] == {"last": 42.0, "p95": 80.0}
    assert out.details["lastSuccess"] == "2023-11-14T22:13:15.000Z"


def test_no_request_yet_and_no_registry_are_healthy() -> None:
    assert run(snap(lastSuccess=None, breakers={}, limiters={})).message == \
        "no registry request yet"
    assert run(None).status is H


@pytest.mark.parametrize("state, words", [("open", "circuit open for registry.example:443 "
                                                   "after 10 failures"),
                                          ("half_open", "circuit half-open for "
                                                        "registry.example:443 (probing)")])
def test_open_or_half_open_breaker_is_degraded_and_serves_from_cache(state: str,
                                                                     words: str) -> None:
    out = run(snap(breakers={HOST: breaker(state, 10), "other:80": breaker()}))
    assert out.status is D
    assert out.message.startswith(words)
    assert out.message.endswith("serving packages from the cache")
    assert out.details["breakers"] == {HOST: state, "other:80": "closed"}


def test_failures_below_the_threshold_are_degraded() -> None:
    out = run(snap(breakers={HOST: breaker("closed", 2)}))
    assert (out.status, out.message) == (D, "last request to registry.example:443 failed "
                                            "(2 in a row); serving packages from the cache")


def test_last_request_failed_after_last_success_is_degraded() -> None:
    failing = snap(lastFailure=NOW - 3, lastError="RegistryUnavailable: boom")
    out = run(failing)
    assert out.status is D
    assert "failed 3s ago: RegistryUnavailable: boom" in out.message
    recovered = snap(lastFailure=NOW - 30, lastSuccess=NOW - 3)
    assert run(recovered).status is H


def test_throttling_and_saturation_are_degraded() -> None:
    paused = run(snap(limiters={HOST: limiter(3, paused=30.0)}))
    assert paused.status is D and "asked us to slow down for 30s" in paused.message
    full = run(snap(limiters={HOST: limiter(95)}))
    assert full.status is D and "rate limit for registry.example:443 at 95%" in full.message
    assert run(snap(limiters={HOST: limiter(80)})).status is H


async def test_registry_outage_makes_the_server_degraded_never_unhealthy() -> None:
    data = {"value": snap()}
    monitor = HealthMonitor(debounce_s=0)
    monitor.register("syntax", lambda: H)
    monitor.register("registry", registry_check(lambda: data["value"]))
    await monitor.run_checks()
    assert monitor.status is H
    data["value"] = snap(breakers={HOST: breaker("open", 10)}, lastFailure=NOW,
                         lastError="ConnectError")
    await monitor.run_checks()
    assert monitor.status is D
    assert monitor.latest("registry").status is D  # type: ignore[union-attr]
    data["value"] = snap(lastSuccess=NOW + 1, lastFailure=NOW)
    await monitor.run_checks()
    assert monitor.status is H
