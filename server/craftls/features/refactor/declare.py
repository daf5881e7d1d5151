"""Declare variable: the quick fix for an undefined name that is assigned."""

from __future__ import annotations

from ...semantics.diagnostics import Diagnostic, FileAnalysis
from ...semantics.model import Reference
from ...syntax.incremental import TextEdit
from .errors import RefactorRefused
from .syntax import LanguageSyntax
from .tree import initializer_of, routine_of
from .verify import verified


def declare_variable(analysis: FileAnalysis, diagnostic: Diagnostic) -> tuple[TextEdit, ...]:
    """For an undefined name that is assigned: declare it, in the enclosing scope, with
    the type of the assigned value when it is known."""
    if diagnostic.code != "undefined-name":
        raise RefactorRefused("not an undefined name")
    syntax = LanguageSyntax(analysis)
    ref = _first_unresolved_write(analysis, diagnostic)
    target = syntax.root.covering_node(ref.start, ref.end)
    statement = target.parent
    value = initializer_of(statement) if statement is not None else None
    if statement is None or value is None:
        raise RefactorRefused(f"'{ref.name}' is not assigned here")
    type_text = syntax.type_text(analysis.types.expression_type(value.start, value.end)
                                 if analysis.types is not None else None)
    if syntax.sections:
        edits = [syntax.add_var_entry(routine_of(statement), ref.name, type_text)]
    else:
        edits = [syntax.declaring_prefix(statement, target, type_text)]
    return verified(analysis, edits, f"declaring '{ref.name}'")


def _first_unresolved_write(analysis: FileAnalysis, diagnostic: Diagnostic) -> Reference:
    model = analysis.model
    here = model.at(diagnostic.start)
    if not isinstance(here, Reference) or here.symbol is not None:
        raise RefactorRefused("there is no undefined name here")
    key = model.key(here.name)
    writes = [r for r in model.references if r.symbol is None and r.is_write
              and model.key(r.name) == key and r.scope is here.scope]
    if not writes:
        raise RefactorRefused(f"'{here.name}' is never assigned")
    return min(writes, key=lambda r: r.start)
