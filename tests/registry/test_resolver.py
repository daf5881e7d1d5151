"""Resolution, conflict explanations, cycles, yanked and pre-release handling."""

from __future__ import annotations

import pytest

from craftls.registry.errors import ResolutionConflict
from craftls.registry.format import PackageIndex, VersionEntry, parse_version
from craftls.registry.resolver import SourcedIndex, gather_indexes, resolve

SHA = "0" * 64


def index(name: str, *versions: tuple[str, dict[str, str]] | tuple[str, dict[str, str], bool]
          ) -> SourcedIndex:
    entries = []
    for item in versions:
        version, deps = item[0], item[1]
        yanked = item[2] if len(item) > 2 else False
        entries.append(VersionEntry(name, parse_version(version), deps, SHA,
                                    f"archives/{name}-{version}.tar.gz", yanked=yanked))
    return SourcedIndex("file:///reg/index.json", PackageIndex(name, "", tuple(entries)))


def picked(result) -> dict[str, str]:
    return {name: str(c.version) for name, c in result.items()}


def test_picks_newest_compatible_versions():
    indexes = {"mathlib": index("mathlib", ("1.0.0", {}), ("2.0.0", {})),
               "strutils": index("strutils", ("1.0.0", {"mathlib": "<2"}),
                                 ("1.1.0", {"mathlib": ">=2"}))}
    assert picked(resolve({"strutils": "*"}, indexes)) == {"mathlib": "2.0.0",
                                                           "strutils": "1.1.0"}


def test_backtracks_to_satisfy_everyone():
    indexes = {"mathlib": index("mathlib", ("1.0.0", {}), ("2.0.0", {})),
               "strutils": index("strutils", ("1.0.0", {"mathlib": "<2"}),
                                 ("1.1.0", {"mathlib": ">=2"}))}
    assert picked(resolve({"strutils": "*", "mathlib": "<2"}, indexes)) == {
        "mathlib": "1.0.0", "strutils": "1.0.0"}


def test_conflict_is_explained_in_words():
    indexes = {"mathlib": index("mathlib", ("1.0.0", {}), ("2.0.0", {})),
               "strutils": index("strutils", ("1.0", {"mathlib": "<2"}))}
    with pytest.raises(ResolutionConflict) as info:
        resolve({"mathlib": ">=2", "strutils": "==1.0"}, indexes, label="app")
    assert str(info.value) == "app needs mathlib>=2, but strutils 1.0 needs mathlib<2"


def test_missing_package_is_explained():
    indexes = {"app-lib": index("app-lib", ("1.0.0", {"nosuch": ">=1"})), "nosuch": None}
    with pytest.raises(ResolutionConflict) as info:
        resolve({"app-lib": "*"}, indexes, label="app")
    assert "app-lib 1.0.0 needs nosuch>=1" in str(info.value)
    assert "no configured registry has a package named 'nosuch'" in str(info.value)


def test_unavailable_version_lists_what_exists():
    indexes = {"mathlib": index("mathlib", ("1.0.0", {}), ("2.0.0", {}, True))}
    with pytest.raises(ResolutionConflict) as info:
        resolve({"mathlib": ">=3"}, indexes, label="app")
    assert str(info.value) == ("app needs mathlib>=3, but the registry only has mathlib "
                               "1.0.0, 2.0.0 (yanked)")


def test_cycles_resolve():
    indexes = {"a": index("a", ("1.0", {"b": ">=1"})),
               "b": index("b", ("1.0", {"c": ">=1"})),
               "c": index("c", ("1.0", {"a": ">=1"}))}
    assert picked(resolve({"a": "*"}, indexes)) == {"a": "1.0", "b": "1.0", "c": "1.0"}


def test_yanked_only_when_pinned():
    indexes = {"m": index("m", ("1.0", {}), ("1.1", {}, True))}
    assert picked(resolve({"m": "*"}, indexes)) == {"m": "1.0"}
    assert picked(resolve({"m": "==1.1"}, indexes)) == {"m": "1.1"}


def test_prereleases_need_opt_in():
    indexes = {"m": index("m", ("1.0", {}), ("2.0rc1", {}))}
    assert picked(resolve({"m": "*"}, indexes)) == {"m": "1.0"}
    assert picked(resolve({"m": ">=2.0rc1"}, indexes)) == {"m": "2.0rc1"}
    only_pre = {"m": index("m", ("2.0b1", {}))}
    assert picked(resolve({"m": "*"}, only_pre)) == {"m": "2.0b1"}


def test_locked_versions_are_preferred():
    indexes = {"m": index("m", ("1.0", {}), ("1.5", {}), ("2.0", {}))}
    assert picked(resolve({"m": ">=1"}, indexes, preferred={"m": "1.5"})) == {"m": "1.5"}
    assert picked(resolve({"m": ">=2"}, indexes, preferred={"m": "1.5"})) == {"m": "2.0"}


async def test_gather_follows_dependencies_and_registry_order(server, make_client,
                                                              registry_dir):
    missing_first = (registry_dir.parent / "empty" / "index.json").as_uri()
    async with make_client() as client:
        found = await gather_indexes(client, [missing_first, server.url], ["strutils", "zzz"])
    assert set(found) == {"strutils", "mathlib", "zzz"}
    assert found["zzz"] is None
    assert found["mathlib"].source == server.url
