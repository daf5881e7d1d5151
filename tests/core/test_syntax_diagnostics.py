"""Syntax errors as the user sees them: at most one per line (the cause, or the lexical
error the parser's errors follow from), never a pile of errors at one position."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import all_bundled
from craftls.syntax.parse import parse

from .conftest import served_by

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = {d.id: d for d in all_bundled()}
EXTENSIONS = {".pas": "pascal", ".bas": "basic", ".cur": "curly", ".esp": "espanol",
              ".teach": "teachlang"}


def syntax_of(language: str, text: str) -> list[tuple[int, str]]:
    analysis = analyze_with_types(parse(DEFINITIONS[language], text))
    return [(d.start, d.message) for d in analysis.diagnostics if d.code == "syntax"]


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def test_one_missing_token_gives_one_error_at_its_position() -> None:
    text = "PROGRAM P;\nBEGIN\n  x := (1 + ;\n  y := 2;\nEND.\n"
    raw = parse(DEFINITIONS["pascal"], text).errors
    assert len(raw) == 1  # the parser itself reports it once (it reported it twice)
    shown = syntax_of("pascal", text)
    assert shown == [(text.index(" ;") + 1, "expected an expression, found ';'")]


@pytest.mark.parametrize("engine, at_end", [("keywords", 2), ("template", 1)])
def test_a_missing_closer_is_reported_once(engine: str, at_end: int) -> None:
    # two constructs left open at the end of the file: both closers missing there. The
    # keyword level reports each (shown once); the template the inner one's only (the
    # outer one's follows from it: one error per position), naming what it closes
    text = (ROOT / "examples" / "espanol" / "inventario.esp").read_text()
    broken = text + "\nsi a > 1 entonces\n    mientras a > 2 hacer\n        a = 1\n"
    definition = served_by("espanol", engine)
    raw = Counter(e.start for e in parse(definition, broken).errors)
    assert max(raw.values()) == at_end
    analysis = analyze_with_types(parse(definition, broken))
    shown = [(d.start, d.message) for d in analysis.diagnostics if d.code == "syntax"]
    assert len(shown) == len({s for s, _ in shown})
    assert any("to close 'mientras" in message for _, message in shown)


def test_a_lexical_error_wins_over_the_parser_errors_of_its_line() -> None:
    text = "PROGRAM P;\nBEGIN\n  x := 1 & 2 3;\n  x := 1\nEND.\n"
    raw = [e.message for e in parse(DEFINITIONS["pascal"], text).errors]
    # the parser's own error on the line (its wording is the engine's) is not shown
    assert raw[0] == "unexpected character" and len(raw) == 2 and "'2'" in raw[1]
    assert syntax_of("pascal", text) == [(text.index("&"), "unexpected character")]


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "examples").glob("*/*.*")
                                        if p.suffix in EXTENSIONS), ids=lambda p: p.name)
def test_deleting_any_token_shows_at_most_one_syntax_error_per_line(path: Path) -> None:
    text = path.read_text()
    language = EXTENSIONS[path.suffix]
    for match in list(re.finditer(r"\w+|[^\w\s]+", text))[::5]:
        broken = text[:match.start()] + text[match.end():]
        shown = syntax_of(language, broken)
        lines = [line_of(broken, s) for s, _ in shown]
        assert len(lines) == len(set(lines)), (match.group(), shown)
        assert bool(shown) == bool(parse(DEFINITIONS[language], broken).errors)


def test_a_missing_keyword_does_not_cascade_over_the_following_lines() -> None:
    """Deleting a CASE: its OF says what the header was, so the parser reports the
    missing keyword once, on the CASE's line, and reads the arms and the ELSE as that
    CASE's (6 errors on 6 lines before kwrec12, of which the diagnostics showed 3)."""
    text = (ROOT / "examples" / "pascal" / "bank.pas").read_text()
    at = text.index("CASE Ops[I] OF")
    broken = text[:at] + text[at + len("CASE "):]
    raw = parse(DEFINITIONS["pascal"], broken).errors
    assert [line_of(broken, e.start) for e in raw] == [line_of(broken, at)]
    assert syntax_of("pascal", broken) == [(raw[0].start, raw[0].message)]


CLEAN = [p for p in sorted((ROOT / "examples").glob("*/*.*")) if p.suffix in EXTENSIONS
         and not parse(DEFINITIONS[EXTENSIONS[p.suffix]], p.read_text()).errors]


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_deleting_a_token_shows_a_bounded_number_of_errors(path: Path) -> None:
    """Every fifth token of a sample that parses, deleted: at most 7 syntax errors (the
    parser's recovery reported up to 9 on as many lines)."""
    text = path.read_text()
    language = EXTENSIONS[path.suffix]
    for match in list(re.finditer(r"\w+|[^\w\s]+", text))[::5]:
        broken = text[:match.start()] + text[match.end():]
        shown = syntax_of(language, broken)
        assert len(shown) <= 7, (match.group(), match.start(), shown)
