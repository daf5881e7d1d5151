"""Rename across files: uses of an exported (top-level) symbol in the files that
import its module, either qualified (``stats.mean``) or unqualified (``USES MathLib``
then ``Square(2)``)."""

from __future__ import annotations

from ..semantics.diagnostics import FileAnalysis
from ..syntax import kinds as K
from ..workspace.imports import imported_modules
from .navigation import Span


def importers_references(name: str, module: str, analysis: FileAnalysis) -> list[Span]:
    """Spans in ``analysis`` (another file) that refer to ``module``'s ``name``."""
    fold = (lambda s: s.lower()) if not analysis.parsed.definition.lexical.case_sensitive \
        else (lambda s: s)
    if fold(module) not in {fold(m) for m, _, _ in imported_modules(analysis.parsed)}:
        return []
    spans: list[Span] = []
    for ref in analysis.model.references:
        if ref.symbol is None and fold(ref.name) == fold(name):
            spans.append(Span(ref.start, ref.end, ref.is_write))
    for node in analysis.parsed.root.descendants():
        if node.kind != K.MEMBER_EXPR:
            continue
        parts = node.children_of_kind(K.NAME_REF)
        if len(parts) == 2 and fold(parts[0].text.strip()) == fold(module) \
                and fold(parts[1].text.strip()) == fold(name):
            token = parts[1].first_token()
            if token is not None:
                spans.append(Span(token.start, token.end))
    return sorted(set(spans), key=lambda s: s.start)


def is_exported(analysis: FileAnalysis, offset: int) -> bool:
    symbol = analysis.model.symbol_at(offset)
    return symbol is not None and symbol.scope is analysis.model.root_scope \
        and symbol.kind not in ("module", "program")
