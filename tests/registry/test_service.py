"""What the language server needs from the registry: caret requirements, craft.toml edits,
"is anything missing?", and the long-lived RegistryService (lookups against a deadline,
probes that close an open breaker, live settings, warm state). Real loopback HTTP."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from craftls.registry.breaker import State
from craftls.registry.config import RegistryConfig
from craftls.registry.errors import FormatError, NotFound
from craftls.registry.format import (
    PackageIndex,
    VersionEntry,
    caret_requirement,
    newest_version,
    parse_specifier,
)
from craftls.registry.installer import install_workspace, missing_installation
from craftls.registry.service import RegistryService, lookup_names
from craftls.registry.workspace import dependency_edit, with_dependency

from .conftest import Fault, FaultServer

SHA = "0" * 64


def service_for(tmp_path: Path, records: list[tuple[Any, ...]] | None = None,
                transitions: list[State] | None = None, **overrides: Any) -> RegistryService:
    settings: dict[str, Any] = {"cache_dir": tmp_path / "cache", "token": None,
                                "read_timeout": 2.0, "connect_timeout": 2.0,
                                "max_attempts": 1}
    settings.update(overrides)

    def audit(event_type: str, action: str, outcome: str = "success", **fields: Any) -> None:
        if records is not None:
            records.append((event_type, action, outcome, fields))

    def on_transition(host: str, old: State, new: State) -> None:
        if transitions is not None:
            transitions.append(new)

    return RegistryService(RegistryConfig(**settings), audit=audit,
                           on_transition=on_transition)


def workspace(tmp_path: Path, url: str, deps: str = "") -> Path:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)
    (ws / "craft.toml").write_text(f'[registry]\nurls = ["{url}"]\n\n[dependencies]\n{deps}',
                                   encoding="utf-8")
    return ws


# ------------------------------------------------------------------ pure helpers

@pytest.mark.parametrize("text, expected", [
    ("^2.1.0", ">=2.1.0,<3"), ("^0.3.1", ">=0.3.1,<0.4"), ("^0.0.4", ">=0.0.4,<0.0.5"),
    ("^1.2", ">=1.2,<2"), ("^0", ">=0,<1")])
def test_caret_requirements(text: str, expected: str) -> None:
    assert parse_specifier(text) == parse_specifier(expected)


def test_caret_accepts_compatible_versions_only() -> None:
    spec = parse_specifier(caret_requirement("2.1.0"))
    assert caret_requirement(Version("2.1.0")) == "^2.1.0"
    assert [str(v) for v in spec.filter([Version(v) for v in ("2.0.9", "2.1.0", "2.9", "3.0")])] \
        == ["2.1.0", "2.9"]
    with pytest.raises(FormatError):
        parse_specifier("^two")


def test_newest_version_skips_yanked_and_prereleases() -> None:
    def entry(version: str, yanked: bool = False) -> VersionEntry:
        return VersionEntry("x", Version(version), {}, SHA, "a.tar.gz", yanked=yanked)

    index = PackageIndex("x", "", (entry("1.0"), entry("2.0", yanked=True), entry("1.5"),
                                   entry("3.0rc1")))
    assert newest_version(index) == Version("1.5")
    assert newest_version(PackageIndex("x", "", (entry("3.0rc1"),))) == Version("3.0rc1")
    assert newest_version(PackageIndex("x", "", ())) is None


def test_with_dependency_keeps_everything_else() -> None:
    text = ("# my workspace\r\n[registry]\r\nurls = []\r\n\r\n[dependencies]\r\n"
            "mathlib = \">=2\"\r\n\r\n[settings]\r\nhealth_check_interval = 10\r\n")
    new = with_dependency(text, "StrUtils", "^1.1.0")
    assert new == text.replace('mathlib = ">=2"\r\n', 'mathlib = ">=2"\r\nstrutils = "^1.1.0"\r\n')
    assert with_dependency(new, "strutils", "^2") == new.replace("^1.1.0", "^2")
    assert with_dependency("", "mathlib", "^2.0.0") == '[dependencies]\nmathlib = "^2.0.0"\n'
    with pytest.raises(FormatError):
        with_dependency(text, "mathlib", "not a requirement")


@pytest.mark.parametrize("text", [
    '[registry]\nurls = []\n\n[dependencies]\na = "1"\n\n[settings]\nx = 1\n',
    '[registry]\nurls = []',  # no final newline, no [dependencies]
    "",
    '[dependencies]\nstrutils = "1"'])
def test_dependency_edit_is_minimal_and_whole_lines(text: str) -> None:
    start, end, new_text = dependency_edit(text, "strutils", "^1.1.0")
    assert text[:start] + new_text + text[end:] == with_dependency(text, "strutils", "^1.1.0")
    assert start == 0 or text[start - 1] == "\n"
    assert len(new_text) < len(text) + 40


def test_lookup_names_maps_modules_to_packages() -> None:
    assert lookup_names("MathLib", RegistryService(RegistryConfig(token=None)), []) == \
        ["mathlib"]
    assert lookup_names("not a name!", RegistryService(RegistryConfig(token=None)), []) == []


# ------------------------------------------------------------------ installs

async def test_missing_installation_reads_lock_and_store(tmp_path: Path,
                                                         server: FaultServer) -> None:
    ws = workspace(tmp_path, server.url, 'mathlib = ">=2"\n')
    service = service_for(tmp_path)
    cache = tmp_path / "cache"
    assert missing_installation(ws, cache) == "craft.lock is missing"
    report = await service.install(ws)
    assert report.lock.by_name()["mathlib"].version == "2.0.0"
    assert missing_installation(ws, cache) is None
    (ws / "craft.toml").write_text((ws / "craft.toml").read_text() + 'strutils = "*"\n')
    assert missing_installation(ws, cache) == "craft.lock does not match craft.toml"
    await install_workspace(ws, service.client)
    shutil.rmtree(service.client.store.package_dir(report.lock.by_name()["mathlib"].sha256))
    assert missing_installation(ws, cache) == "not installed: mathlib"
    assert missing_installation(workspace(tmp_path / "empty", server.url), cache) is None
    await service.aclose()


async def test_add_and_install_restores_craft_toml_when_it_fails(
        tmp_path: Path, server: FaultServer) -> None:
    ws = workspace(tmp_path, server.url)
    before = (ws / "craft.toml").read_text()
    records: list[tuple[Any, ...]] = []
    service = service_for(tmp_path, records)
    server.add("/archives/mathlib/mathlib-2.0.0.tar.gz", Fault("status", 404))
    with pytest.raises(NotFound):
        await service.add_and_install(ws, "mathlib")
    assert (ws / "craft.toml").read_text() == before
    assert [(r[1], r[2]) for r in records] == [("fetch", "success"), ("add", "success"),
                                               ("install", "failure")]
    with pytest.raises(NotFound, match="nosuch"):
        await service.add_and_install(ws, "nosuch")
    report = await service.add_and_install(ws, "mathlib")
    assert 'mathlib = "^2.0.0"' in (ws / "craft.toml").read_text()
    assert sorted(report.locations) == ["mathlib"]
    assert service.counters["installs"] == 1 and service.counters["installFailures"] == 1
    await service.aclose()


# ------------------------------------------------------------------ lookups

async def test_lookup_answers_from_cache_when_the_registry_is_slow(
        tmp_path: Path, server: FaultServer) -> None:
    first = service_for(tmp_path)
    fresh = await first.lookup("mathlib", [server.url], deadline=5)
    assert fresh is not None and not fresh.stale and str(fresh.newest()) == "2.0.0"
    assert fresh.requirement() == "^2.0.0" and fresh.exports("mathlib")
    await first.aclose()

    later = service_for(tmp_path)  # a new process: empty memory, disk cache kept
    server.add("/packages/mathlib.json", Fault("sleep", seconds=0.5))
    quick = await later.lookup("mathlib", [server.url], deadline=0.01)
    assert quick is not None and quick.stale and quick.requirement() == "^2.0.0"
    task = later.prefetch("mathlib", [server.url])  # the same fetch, still running
    assert task is not None
    confirmed = await task
    assert confirmed is not None and not confirmed.stale
    assert later.cached_lookup("mathlib", [server.url]) == confirmed
    await later.aclose()


async def test_unknown_package_is_remembered_as_absent(tmp_path: Path,
                                                       server: FaultServer) -> None:
    records: list[tuple[Any, ...]] = []
    service = service_for(tmp_path, records)
    assert await service.lookup("nosuch", [server.url]) is None
    assert service.recently_absent("nosuch", [server.url])
    assert not service.recently_absent("mathlib", [server.url])
    assert records[-1][:3] == ("package", "fetch", "success")
    assert records[-1][3]["details"] == {"found": False, "registries": 1}
    await service.aclose()


# ------------------------------------------------------------------ breakers

async def test_open_breaker_is_probed_and_closes_when_the_registry_answers(
        tmp_path: Path, server: FaultServer) -> None:
    records: list[tuple[Any, ...]] = []
    transitions: list[State] = []
    service = service_for(tmp_path, records, transitions, breaker_failures=1,
                          breaker_reset=0.2)
    service.start()
    server.add("/packages/strutils.json", Fault("status", 503))
    assert await service.lookup("strutils", [server.url]) is None  # failed, nothing cached
    host = server.base.removeprefix("http://")
    assert service.health_snapshot()["breakers"][host]["state"] in ("open", "half_open")
    assert service.last_error is not None and "503" in service.last_error
    for _ in range(200):  # the prober sends one request after the reset timeout
        if State.CLOSED in transitions:
            break
        await asyncio.sleep(0.02)
    assert transitions == [State.OPEN, State.HALF_OPEN, State.CLOSED]
    assert [r[1] for r in records if r[0] == "circuit_breaker"] == ["open", "half_open",
                                                                   "closed"]
    assert server.statuses("/index.json") == [200]  # the probe
    snapshot = service.health_snapshot()
    assert snapshot["breakers"][host]["state"] == "closed"
    assert snapshot["lastSuccess"] > snapshot["lastFailure"]
    assert service.counters["probes"] == 1 and service.counters["probeFailures"] == 0
    await service.aclose()


async def test_the_probe_loop_ends_once_closed_even_if_its_cancellation_was_lost(
        tmp_path: Path) -> None:
    # Python 3.11's wait_for can swallow a cancellation (gh-86296): closing must not rest
    # on the cancellation alone, or aclose would wait for the loop for ever
    service = service_for(tmp_path)
    service.start()
    await asyncio.sleep(0.01)  # the loop waits for a breaker to open
    prober = service._prober
    assert prober is not None and not prober.done()
    service._closed = True  # closed, its cancellation lost
    service._wake.set()
    await asyncio.wait_for(asyncio.shield(prober), 2)
    assert prober.done() and not prober.cancelled()
    await service.aclose()


async def test_settings_apply_to_the_live_client(tmp_path: Path) -> None:
    service = service_for(tmp_path)
    existing = service.client.breakers.for_host("a.example")
    service.configure(breaker_failures=3, breaker_reset=5, rate_limit=10, rate_period=2,
                      batch_size=7)
    assert (existing.failure_threshold, existing.reset_timeout) == (3, 5)
    assert service.client.breakers.for_host("b.example").failure_threshold == 3
    assert (service.client.limiter.max_rate, service.client.limiter.period) == (10, 2)
    assert service.client.config.batch_size == 7
    await service.aclose()


# ------------------------------------------------------------------ warm state

async def test_warm_state_brings_indexes_back_without_the_network(
        tmp_path: Path, server: FaultServer) -> None:
    first = service_for(tmp_path)
    assert await first.lookup("mathlib", [server.url]) is not None
    first.counters["installs"] = 2
    state = first.warm_state()
    assert state["packages"] == {server.url: ["mathlib"]}
    await first.aclose()
    server.close()  # the registry is gone for the next start

    second = service_for(tmp_path)
    assert second.restore(state) == 1
    assert second.known_packages() == ["mathlib"]
    found = second.cached_lookup("mathlib", [server.url])
    assert found is not None and found.stale and found.requirement() == "^2.0.0"
    assert second.known_exporter("MathLib", [server.url]) == found
    assert second.counters["installs"] == 2
    assert second.previous_session["lastSuccess"] == state["lastSuccess"]
    assert second.restore({"packages": "garbage", "counters": []}) == 0
    assert second.restore(None) == 0
    await second.aclose()
