"""Checking a refactoring's result: it must parse and resolve no worse than the file did."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ...semantics.diagnostics import Diagnostic, FileAnalysis, analyze_file
from ...syntax.incremental import TextEdit
from ...syntax.incremental import apply_edits as reparse
from .errors import RefactorRefused

CHECKED_CODES = ("undefined-name", "duplicate-declaration")


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[:edit.start] + edit.text + out[edit.end:]
    return out


def verified(analysis: FileAnalysis, edits: list[TextEdit], what: str
             ) -> tuple[TextEdit, ...]:
    """The edits, if the result parses and resolves no worse than the file did."""
    ordered = tuple(sorted(edits, key=lambda e: (e.start, e.end)))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise RefactorRefused(f"{what} would need overlapping edits")
    parsed, _ = reparse(analysis.parsed, list(reversed(ordered)))
    if len(parsed.errors) > len(analysis.parsed.errors):
        raise RefactorRefused(f"{what} would not give valid "
                              f"{analysis.parsed.definition.name}: {parsed.errors[0].message}")
    externals: dict[str, str] = {}
    for exports in analysis.modules.values():
        externals.update(exports.names)
    before = _problem_counts(analysis.diagnostics)
    after = _problem_counts(analyze_file(parsed, externals).diagnostics)
    for code in CHECKED_CODES:
        if after[code] > before[code]:
            raise RefactorRefused(f"{what} would add a problem ({code.replace('-', ' ')})")
    return ordered


def _problem_counts(diagnostics: Iterable[Diagnostic]) -> Counter[str]:
    return Counter(d.code for d in diagnostics if d.code in CHECKED_CODES)
