"""Quick fixes for diagnostics: did-you-mean for unknown names."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..semantics.diagnostics import Diagnostic, FileAnalysis
from ..syntax.incremental import TextEdit


@dataclass(frozen=True)
class QuickFix:
    title: str
    edits: tuple[TextEdit, ...]
    preferred: bool = False


def unresolved_imports(analysis: FileAnalysis, start: int, end: int) -> dict[str, Diagnostic]:
    """The ``unresolved-import`` diagnostics touching ``start``..``end``, by module as
    written, the first per module (case-insensitively): what package fixes answer."""
    found: dict[str, Diagnostic] = {}
    seen: set[str] = set()
    for d in analysis.diagnostics:
        module = d.data.get("module") if d.code == "unresolved-import" else None
        if not isinstance(module, str) or d.end < start or d.start > end \
                or module.casefold() in seen:
            continue
        seen.add(module.casefold())
        found[module] = d
    return found


def quick_fixes(analysis: FileAnalysis, start: int, end: int) -> list[QuickFix]:
    fixes: list[QuickFix] = []
    model = analysis.model
    definition = analysis.parsed.definition
    fixes.extend(_protocol_fixes(analysis, start, end))
    fixes.extend(_missing_token_fixes(analysis, start, end))
    for d in analysis.diagnostics:
        if d.code != "undefined-name" or d.end < start or d.start > end:
            continue
        name = d.data.get("name", "")
        candidates = [s.name for s in model.visible_symbols(d.start)]
        candidates += [b.name for b in definition.builtins]
        candidates += [s[0] for s in definition.keywords.values()]
        lowered = {c.lower(): c for c in candidates}
        for i, match in enumerate(difflib.get_close_matches(name.lower(), list(lowered), n=3,
                                                            cutoff=0.6)):
            fixes.append(QuickFix(f"Change to '{lowered[match]}'",
                                  (TextEdit(d.start, d.end, lowered[match]),), i == 0))
    return fixes


def _protocol_fixes(analysis: FileAnalysis, start: int, end: int) -> list[QuickFix]:
    """Insert the members a record lacks to conform to a protocol, in the language's syntax."""
    report = analysis.types
    if report is None:
        return []
    fixes = []
    for d in report.diagnostics:
        if d.code != "protocol-conformance" or d.end < start or d.start > end:
            continue
        fix = report.protocol_fix(d)
        if fix is not None:
            offset, text = fix
            fixes.append(QuickFix(f"Add the members '{d.data.get('record')}' needs for "
                                  f"'{d.data.get('protocol')}'",
                                  (TextEdit(offset, offset, text),), True))
    return fixes


_EXPECTED = re.compile(r"^expected '([^']+)'")


def _missing_token_fixes(analysis: FileAnalysis, start: int, end: int) -> list[QuickFix]:
    """For a syntax error at a point that names what is missing (a block terminator such
    as END, ENDIF or '}', a ';' or a ')'): insert it there."""
    fixes = []
    for d in analysis.diagnostics:
        if d.code != "syntax" or d.start != d.end or d.end < start or d.start > end:
            continue
        match = _EXPECTED.match(d.message)
        if match is None:
            continue
        missing = match.group(1)
        text = analysis.parsed.text
        closing = _CLOSES.search(d.message)
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.start) % (len(text) + 1)
        if closing is not None and text[line_start:d.start].strip() \
                and not text[d.start:line_end].strip():
            # a closer missing after a block's last statement: on a line of its own, at
            # its opener's indentation (``PRINT "yes"ENDIF`` is a mistake of its own)
            inserted = "\n" + _opener_indentation(text, line_start, closing.group(1)) + missing
            fixes.append(QuickFix(f"Insert '{missing}'",
                                  (TextEdit(d.start, d.start, inserted),), preferred=True))
            continue
        before = text[d.start - 1:d.start] if d.start > 0 else ""
        needs_space = missing[:1].isalnum() and (before.isalnum() or before in (")", "'"))
        fixes.append(QuickFix(f"Insert '{missing}'",
                              (TextEdit(d.start, d.start,
                                           (" " if needs_space else "") + missing),),
                              preferred=True))
    return fixes


_CLOSES = re.compile(r" to close '([^']+)'")


def _opener_indentation(text: str, before: int, opener: str) -> str:
    """The indentation of the nearest line before ``before`` that starts with the quoted
    opener (the heading a closer message names), else none."""
    for line in reversed(text[:before].split("\n")):
        stripped = line.lstrip()
        if stripped and stripped.lower().startswith(opener.lower()):
            return line[:len(line) - len(stripped)]
    return ""
