"""The ``globals`` setting in the analysis: names a file may use undeclared, per
language (a host's globals, those another file of the program defines)."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import new_analysis_caches
from craftls.features.completion import complete
from craftls.language.catalog import resolve_definition
from craftls.syntax.parse import parse

LUA = "loom.graphics.print(game_state)\nlocal x = hud\nprint(x, missing)\n"
PASCAL = "PROGRAM P;\nBEGIN\n  WriteLn(Gadget, Missing)\nEND.\n"


def undefined(language: str, text: str, **kwargs: object) -> list[str]:
    analysis = analyze_with_types(parse(resolve_definition(language), text), **kwargs)  # type: ignore[arg-type]
    return [text[d.start:d.end] for d in analysis.diagnostics if d.code == "undefined-name"]


def test_extra_globals_are_known_names() -> None:
    assert undefined("lua", LUA) == ["loom", "game_state", "hud", "missing"]
    assert undefined("lua", LUA, extra_globals={"loom", "hud", "game_state"}) == ["missing"]


def test_the_caches_hold_the_setting_per_language() -> None:
    caches = new_analysis_caches()
    assert caches.set_globals({"lua": ["loom", "hud"], "turbopascal": ["gadget"]})
    assert not caches.set_globals({"lua": ("hud", "loom"), "turbopascal": ["gadget"]})
    # the languages whose names changed: only their open documents are analysed again
    assert caches.set_globals({"lua": ["loom"], "turbopascal": ["gadget"]}) == {"lua"}
    assert caches.set_globals({"lua": ["loom", "hud"]}) == {"lua", "turbopascal"}
    assert caches.set_globals({"lua": ["loom", "hud"], "turbopascal": ["gadget"]}) \
        == {"turbopascal"}
    assert undefined("lua", LUA, caches=caches) == ["game_state", "missing"]
    # Pascal's names fold case: the setting's do too
    assert undefined("turbopascal", PASCAL, caches=caches) == ["Missing"]
    assert undefined("turbopascal", PASCAL) == ["Gadget", "Missing"]


def test_completion_offers_the_setting_s_names() -> None:
    text = "local lo = 1\nprint(lo)\n"
    analysis = analyze_with_types(parse(resolve_definition("lua"), text),
                                  extra_globals={"loom", "lobby", "hud"})
    offset = text.index("lo)") + 2
    labels = [c.label for c in complete(analysis, offset)[0]]
    # the local first, then the builtins (load...), the setting's names and the host
    # global LÖVE gives every Lua file (love); hud does not start with the prefix
    assert labels[0] == "lo" and labels[-3:] == ["lobby", "loom", "love"] and "load" in labels
    assert "hud" not in labels
    loom = next(c for c in complete(analysis, offset)[0] if c.label == "loom")
    assert (loom.kind, loom.detail) == ("variable", "global (globals setting)")
    plain = analyze_with_types(parse(resolve_definition("lua"), text))
    assert "loom" not in [c.label for c in complete(plain, offset)[0]]
