from __future__ import annotations

from craftls.language.catalog import bundled
from craftls.semantics.resolve import resolve_names
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
