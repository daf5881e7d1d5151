"""Rename across files: uses of an exported (top-level) symbol in the files that
import its module, either qualified (``stats.mean``) or unqualified (``USES MathLib``
then ``Square(2)``).

The uses are a file's *external references* (``workspace.index``): the workspace index
keeps them per file, so a rename reads them instead of re-analysing every importer."""

from __future__ import annotations

from ..semantics.diagnostics import FileAnalysis
from ..workspace.index import external_references
from .navigation import Span


def importers_references(name: str, module: str, analysis: FileAnalysis) -> list[Span]:
    """Spans in ``analysis`` (another file) that refer to ``module``'s ``name``."""
    refs = external_references(analysis.parsed, analysis.model)
    return [Span(start, end, write) for start, end, write in refs.to(module, name)]


def is_exported(analysis: FileAnalysis, offset: int) -> bool:
    symbol = analysis.model.symbol_at(offset)
    return symbol is not None and symbol.scope is analysis.model.root_scope \
        and symbol.kind not in ("module", "program")
