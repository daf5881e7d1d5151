from __future__ import annotations

import asyncio
import re
import time

import pytest

from craftls.ops.health import (
    CheckOutcome,
    HealthChange,
    HealthMonitor,
    HealthStatus,
    overall_status,
)

H, D, U = HealthStatus.HEALTHY, HealthStatus.DEGRADED, HealthStatus.UNHEALTHY


class Switch:
    """A check whose answer the test sets."""

    def __init__(self, status: HealthStatus = H) -> None:
        self.status = status
        self.calls = 0

    def __call__(self) -> CheckOutcome:
        self.calls += 1
        return CheckOutcome(self.status, f"is {self.status.value}", {"n": self.calls})


@pytest.mark.parametrize("statuses, expected", [
    ({}, H),
    ({"syntax": H, "lsp": H, "registry": H}, H),
    ({"syntax": U}, U),
    ({"lsp": U, "registry": H}, U),
    ({"syntax": D, "lsp": D}, D),
    ({"registry": U, "syntax": H, "lsp": H}, D),  # a registry outage is at most DEGRADED
    ({"memory": U, "syntax": H}, D),
    ({"types": D}, D),
])
def test_overall_rules(statuses: dict[str, HealthStatus], expected: HealthStatus) -> None:
    assert overall_status(statuses) is expected


def test_critical_set_is_configurable() -> None:
    assert overall_status({"memory": U}, critical={"memory"}) is U


async def test_run_checks_records_results_and_payload_shape() -> None:
    mon = HealthMonitor()
    mon.register("syntax", Switch())

    async def lsp() -> CheckOutcome:
        return CheckOutcome(D, "slow", {"p95Ms": 300})

    mon.register("lsp", lsp)
    await mon.run_checks()
    payload = mon.to_payload()
    assert set(payload) == {"status", "services", "time"}
    assert payload["status"] == "degraded"
    assert set(payload["services"]) == {"syntax", "lsp"}
    entry = payload["services"]["lsp"]
    assert set(entry) == {"status", "responseTimeMs", "message", "details"}
    assert entry == {"status": "degraded", "responseTimeMs": entry["responseTimeMs"],
                     "message": "slow", "details": {"p95Ms": 300}}
    assert isinstance(entry["responseTimeMs"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", payload["time"])


async def test_check_return_shapes_accepted() -> None:
    mon = HealthMonitor()
    mon.register("a", lambda: D)
    mon.register("b", lambda: (U, "down", {"x": 1}))
    mon.register("c", lambda: "healthy")
    results = await mon.run_checks()
    assert (results["a"].status, results["b"].status, results["c"].status) == (D, U, H)
    assert results["b"].message == "down"


async def test_a_failing_check_is_unhealthy_and_a_slow_one_degraded() -> None:
    mon = HealthMonitor(check_timeout_s=0.05)

    def broken() -> CheckOutcome:
        raise RuntimeError("kaput")

    async def slow() -> CheckOutcome:
        await asyncio.sleep(10)
        return CheckOutcome(H)

    mon.register("syntax", broken)
    mon.register("lsp", slow)
    results = await mon.run_checks()
    assert results["syntax"].status is U and "kaput" in results["syntax"].message
    assert results["lsp"].status is D and "slow" in results["lsp"].message
    assert mon.status is U
    await mon.stop()


async def test_a_slow_check_still_running_at_the_next_run_is_stuck() -> None:
    mon = HealthMonitor(check_timeout_s=0.05)
    release = asyncio.Event()

    async def hanging() -> CheckOutcome:
        await release.wait()
        return CheckOutcome(H)

    mon.register("lsp", hanging)
    assert (await mon.run_checks())["lsp"].status is D
    assert mon.status is D  # a critical service that is only slow: not unhealthy
    second = await mon.run_checks()
    assert second["lsp"].status is U and "stuck" in second["lsp"].message
    assert mon.status is U
    release.set()  # it answers at last: the next run asks again and is healthy
    await asyncio.sleep(0.01)
    assert (await mon.run_checks())["lsp"].status is H


async def test_a_slow_blocking_check_in_a_thread_is_degraded_then_recovers() -> None:
    mon = HealthMonitor(check_timeout_s=0.05)
    calls = []

    def first_slow() -> CheckOutcome:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.2)  # a first run that builds tables on a loaded machine
        return CheckOutcome(H)

    mon.register("syntax", first_slow, in_thread=True)
    assert (await mon.run_checks())["syntax"].status is D
    await asyncio.sleep(0.3)
    assert (await mon.run_checks())["syntax"].status is H
    assert len(calls) == 2


async def test_blocking_check_in_thread_does_not_block_the_loop() -> None:
    mon = HealthMonitor()

    def blocking() -> CheckOutcome:
        time.sleep(0.2)
        return CheckOutcome(H)

    mon.register("disk", blocking, in_thread=True)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    await mon.run_checks()
    task.cancel()
    assert ticks >= 3


async def test_listener_hears_the_first_run_then_only_changes() -> None:
    mon = HealthMonitor()
    syntax, registry = Switch(), Switch()
    mon.register("syntax", syntax)
    mon.register("registry", registry)
    changes: list[HealthChange] = []
    mon.add_listener(changes.append)

    await mon.run_checks()  # healthy start: one initial report, nothing changed
    assert len(changes) == 1 and changes[0].initial
    assert changes[0].overall is None and changes[0].services == {}
    assert changes[0].payload["status"] == "healthy"
    assert set(changes[0].payload["services"]) == {"syntax", "registry"}
    await mon.run_checks()  # same levels again: silent
    assert len(changes) == 1
    registry.status = U
    await mon.run_checks("breaker opened")
    assert len(changes) == 2
    assert not changes[1].initial
    assert changes[1].overall == (H, D)
    assert changes[1].services == {"registry": (H, U)}
    assert changes[1].reason == "breaker opened"
    assert changes[1].payload["status"] == "degraded"
    await mon.run_checks()  # same levels again: silent
    await mon.run_checks()
    assert len(changes) == 2
    syntax.status = D  # a service change while the overall level stays DEGRADED
    await mon.run_checks()
    assert len(changes) == 3
    assert changes[2].overall is None and changes[2].services == {"syntax": (H, D)}


async def test_unhealthy_start_is_reported_and_async_listener_awaited() -> None:
    mon = HealthMonitor()
    mon.register("lsp", Switch(U))
    seen: list[HealthChange] = []

    async def listener(change: HealthChange) -> None:
        seen.append(change)

    mon.add_listener(listener)
    await mon.run_checks()
    assert len(seen) == 1 and seen[0].overall == (H, U) and seen[0].initial


async def test_listener_error_does_not_break_monitor_and_unsubscribe() -> None:
    mon = HealthMonitor()
    sw = Switch()
    mon.register("syntax", sw)
    calls: list[HealthChange] = []

    def bad(_: HealthChange) -> None:
        raise RuntimeError("listener bug")

    mon.add_listener(bad)
    unsubscribe = mon.add_listener(calls.append)
    sw.status = D
    await mon.run_checks()
    assert len(calls) == 1
    unsubscribe()
    sw.status = H
    await mon.run_checks()
    assert len(calls) == 1


async def test_history_is_bounded_and_limited() -> None:
    mon = HealthMonitor(history_size=3)
    sw = Switch()
    mon.register("cache", sw)
    for _ in range(5):
        await mon.run_checks()
    history = mon.history("cache")
    assert len(history) == 3
    assert [r.details["n"] for r in history] == [3, 4, 5]  # oldest first, newest kept
    assert [r.details["n"] for r in mon.history("cache", limit=2)] == [4, 5]
    assert mon.history("nope") == []
    entry = mon.history_payload("cache", 1)[0]
    assert set(entry) == {"status", "responseTimeMs", "message", "details", "time"}


async def test_trigger_coalesces_bursts() -> None:
    mon = HealthMonitor(debounce_s=0.5)
    sw = Switch()
    mon.register("registry", sw)
    reasons: list[str] = []
    mon.add_listener(lambda c: reasons.append(c.reason))
    sw.status = U
    for reason in ["breaker opened", "error burst", "breaker opened"]:
        mon.trigger(reason)
        await asyncio.sleep(0.02)  # spread out, but within the debounce window
    assert sw.calls == 0
    await asyncio.sleep(0.8)
    assert sw.calls == 1  # three triggers, one run
    assert reasons == ["breaker opened; error burst"]


async def test_trigger_during_run_gets_its_own_run() -> None:
    mon = HealthMonitor(debounce_s=0.01)
    started = asyncio.Event()

    async def slow() -> CheckOutcome:
        started.set()
        await asyncio.sleep(0.05)
        return CheckOutcome(H)

    mon.register("x", slow)
    mon.trigger("first")
    await started.wait()
    mon.trigger("second")
    await asyncio.sleep(0.2)
    assert mon.runs == 2


async def test_periodic_loop_runs_and_stops() -> None:
    mon = HealthMonitor(interval_s=0.02)
    sw = Switch()
    mon.register("memory", sw)
    mon.start()
    assert mon.start() is mon.start()  # idempotent
    await asyncio.sleep(0.15)
    await mon.stop()
    runs = sw.calls
    assert runs >= 3
    await asyncio.sleep(0.05)
    assert sw.calls == runs  # stopped means stopped


async def test_set_interval_wakes_the_loop() -> None:
    mon = HealthMonitor(interval_s=3600)
    sw = Switch()
    mon.register("memory", sw)
    mon.start()
    await asyncio.sleep(0.02)
    assert sw.calls == 1
    mon.set_interval(0.01)
    await asyncio.sleep(0.1)
    await mon.stop()
    assert sw.calls >= 3


async def test_unregister_removes_service() -> None:
    mon = HealthMonitor()
    mon.register("lsp", Switch(U))
    await mon.run_checks()
    mon.unregister("lsp")
    await mon.run_checks()
    assert mon.to_payload()["services"] == {} and mon.status is H
