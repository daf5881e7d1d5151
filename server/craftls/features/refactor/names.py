"""Fresh names for what a refactoring introduces."""

from __future__ import annotations

from ...semantics.diagnostics import FileAnalysis
from .syntax import LanguageSyntax


def fresh_name(analysis: FileAnalysis, base: str) -> str:
    """``base``, or ``base2``, ``base3``... when the file or the language already uses it."""
    syntax = LanguageSyntax(analysis)
    taken = {syntax.key(s.name) for s in analysis.model.symbols}
    taken |= {syntax.key(r.name) for r in analysis.model.references}
    name, n = base, 1
    while syntax.key(name) in taken or syntax.is_reserved(name):
        n += 1
        name = f"{base}{n}"
    return name
