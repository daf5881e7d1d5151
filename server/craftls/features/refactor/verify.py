"""Checking a refactoring's result: it must parse and resolve no worse than the file did."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ...semantics.diagnostics import Diagnostic, FileAnalysis, analyze_file
from ...syntax.incremental import TextEdit, apply_edit
from ...syntax.parse import ParsedFile, parse
from ...syntax.tree import HAS_ERROR
from .errors import RefactorRefused

CHECKED_CODES = ("undefined-name", "duplicate-declaration")


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[:edit.start] + edit.text + out[edit.end:]
    return out


def edited(parsed: ParsedFile, edits: list[TextEdit]) -> ParsedFile:
    """The parse after ``edits`` (each in the text the ones before it left, as
    ``incremental.apply_edits`` takes them): each edit reparsed incrementally while the
    tree holds no mistake; once it does, the rest of the text is parsed once. Near a
    mistake an edit parses again the whole step around it (or up to the file's end) with
    the recovery, about what a fresh parse costs (a grammar template's recovery: ten
    times the keyword level's), so a rename's dozen edits would cost a dozen parses."""
    for at, edit in enumerate(edits):
        if parsed.green.kinds & HAS_ERROR and at < len(edits) - 1:
            text = parsed.text
            for rest in edits[at:]:
                text = text[:rest.start] + rest.text + text[rest.end:]
            return parse(parsed.definition, text)
        parsed, _ = apply_edit(parsed, edit)
    return parsed


def verified(analysis: FileAnalysis, edits: list[TextEdit], what: str
             ) -> tuple[TextEdit, ...]:
    """The edits, if the result parses and resolves no worse than the file did."""
    ordered = tuple(sorted(edits, key=lambda e: (e.start, e.end)))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise RefactorRefused(f"{what} would need overlapping edits")
    parsed = edited(analysis.parsed, list(reversed(ordered)))
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
