"""The ``globals`` setting in the analysis: names a file may use undeclared, per
language (a host's globals, those another file of the program defines)."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import new_analysis_caches
from craftls.language.catalog import resolve_definition
from craftls.syntax.parse import parse

LUA = "love.graphics.print(game_state)\nlocal x = vim\nprint(x, missing)\n"
PASCAL = "PROGRAM P;\nBEGIN\n  WriteLn(Screen, Missing)\nEND.\n"


def undefined(language: str, text: str, **kwargs: object) -> list[str]:
    analysis = analyze_with_types(parse(resolve_definition(language), text), **kwargs)  # type: ignore[arg-type]
    return [text[d.start:d.end] for d in analysis.diagnostics if d.code == "undefined-name"]


def test_extra_globals_are_known_names() -> None:
    assert undefined("lua", LUA) == ["love", "game_state", "vim", "missing"]
    assert undefined("lua", LUA, extra_globals={"love", "vim", "game_state"}) == ["missing"]


def test_the_caches_hold_the_setting_per_language() -> None:
    caches = new_analysis_caches()
    assert caches.set_globals({"lua": ["love", "vim"], "turbopascal": ["screen"]})
    assert not caches.set_globals({"lua": ("vim", "love"), "turbopascal": ["screen"]})
    assert undefined("lua", LUA, caches=caches) == ["game_state", "missing"]
    # Pascal's names fold case: the setting's do too
    assert undefined("turbopascal", PASCAL, caches=caches) == ["Missing"]
    assert undefined("turbopascal", PASCAL) == ["Screen", "Missing"]
