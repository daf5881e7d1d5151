from __future__ import annotations

from hypothesis import strategies as st

from craftls.language.catalog import bundled
from craftls.semantics.resolve import resolve_names
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import ParsedFile, parse
from craftls.types import TypeCache, TypeChecker, TypeReport


def check(language: str, text: str, cache: TypeCache | None = None) -> TypeReport:
    definition = bundled(language)
    parsed = parse(definition, text)
    return TypeChecker(definition, cache).check(parsed, resolve_names(parsed))


def check_parsed(parsed: ParsedFile, checker: TypeChecker) -> TypeReport:
    return checker.check(parsed, resolve_names(parsed))


def type_text(report: TypeReport, text: str, snippet: str, occurrence: int = 0) -> str | None:
    """The displayed type of the expression spelled ``snippet`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    t = report.expression_type(start, start + len(snippet))
    return report.display(t) if t is not None else None


def symbol_type(report: TypeReport, name: str, kind: str | None = None) -> str | None:
    for symbol, t in report.symbol_types().items():
        if symbol.name == name and (kind is None or symbol.kind == kind):
            return report.display(t)
    return None


def found(report: TypeReport, text: str) -> list[tuple[str, str]]:
    return [(d.code, text[d.start:d.end]) for d in report.diagnostics]


def assert_edits_match_a_fresh_check(language: str, base: str,
                                     edits: list[tuple[int, int, str]]) -> None:
    """Each edit (position, length, insertion) applied in turn: the cached check of the
    edited file gives the units and diagnostics of a check from scratch."""
    definition = bundled(language)
    checker = TypeChecker(definition, TypeCache())
    parsed = parse(definition, base)
    check_parsed(parsed, checker)
    for position, length, insert in edits:
        start = position % (len(parsed.text) + 1)
        end = min(len(parsed.text), start + length)
        parsed, _ = apply_edit(parsed, TextEdit(start, end, insert))
        cached = check_parsed(parsed, checker)
        fresh = check_parsed(parse(definition, parsed.text), TypeChecker(definition, TypeCache()))
        assert cached.units == fresh.units
        assert cached.diagnostics == fresh.diagnostics


def edit_lists(snippets: list[str]) -> st.SearchStrategy[list[tuple[int, int, str]]]:
    """Up to six edits (position, length replaced, one of ``snippets`` inserted)."""
    return st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4),
                              st.sampled_from(snippets)), min_size=1, max_size=6)
