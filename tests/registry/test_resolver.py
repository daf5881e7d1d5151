"""Resolution, conflict explanations, cycles, yanked and pre-release handling."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    mathlib = found["mathlib"]
    assert mathlib is not None and mathlib.source == server.url


SPECS = ["*", ">=1.1", "<2", ">=2", "==1.0.0", "^1.0.0", "!=1.1.0"]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[dict[str, SourcedIndex | None], dict[str, str],
                                     dict[str, str]]:
    names = [f"p{i}" for i in range(draw(st.integers(1, 6)))]
    indexes: dict[str, SourcedIndex | None] = {}
    for name in names:
        versions = draw(st.lists(st.sampled_from(["1.0.0", "1.1.0", "2.0.0", "2.1.0b1"]),
                                 min_size=0, max_size=4, unique=True))
        entries = []
        for version in versions:
            deps = draw(st.dictionaries(st.sampled_from(names + ["ghost"]),
                                        st.sampled_from(SPECS), max_size=3))
            entries.append((version, deps, draw(st.booleans()) and draw(st.booleans())))
        indexes[name] = index(name, *entries)
    roots = draw(st.dictionaries(st.sampled_from(names), st.sampled_from(SPECS),
                                 min_size=1, max_size=3))
    preferred = draw(st.dictionaries(st.sampled_from(names),
                                     st.sampled_from(["1.0.0", "1.1.0", "2.0.0"]), max_size=2))
    return indexes, roots, preferred


def outcome(indexes, roots, preferred, first_choices: bool):
    try:
        return picked(resolve(roots, indexes, preferred=preferred,
                              first_choices=first_choices))
    except ResolutionConflict as exc:
        return ("conflict", str(exc))


@settings(max_examples=400, deadline=None)
@given(case=graphs())
def test_first_choices_agree_with_resolvelib(case) -> None:
    indexes, roots, preferred = case
    assert outcome(indexes, roots, preferred, True) == outcome(indexes, roots, preferred,
                                                               False)


def test_first_choices_answer_a_graph_without_conflicts() -> None:
    from craftls.registry.format import parse_specifier
    from craftls.registry.resolver import RegistryProvider, Requirement, resolvelib_first_choices
    indexes = {"mathlib": index("mathlib", ("1.0.0", {}), ("2.0.0", {})),
               "strutils": index("strutils", ("1.1.0", {"mathlib": ">=2"}))}
    chosen = resolvelib_first_choices(RegistryProvider(indexes),
                                      [Requirement("strutils", parse_specifier("*"))])
    assert chosen is not None and picked(chosen) == {"strutils": "1.1.0", "mathlib": "2.0.0"}
    conflicting = {"a": index("a", ("1.0.0", {"b": "<2"})),
                   "b": index("b", ("1.0.0", {}), ("2.0.0", {})),
                   "c": index("c", ("1.0.0", {"b": ">=2"}))}
    roots = [Requirement("a", parse_specifier("*")), Requirement("c", parse_specifier("*"))]
    assert resolvelib_first_choices(RegistryProvider(conflicting), roots) is None


def test_a_package_that_requires_itself() -> None:
    indexes = {"loop": index("loop", ("1.0.0", {"loop": "*"}), ("2.0.0", {"loop": "<2"}))}
    # 2.0.0 asks for a version of itself it is not: it can never be installed
    assert picked(resolve({"loop": "*"}, indexes)) == {"loop": "1.0.0"}
    assert picked(resolve({"loop": "*"}, indexes, first_choices=False)) == {"loop": "1.0.0"}
