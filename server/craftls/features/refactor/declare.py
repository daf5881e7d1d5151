"""Declare variable: the quick fix for an undefined name (keyword-level: one that is
assigned; a grammar's: as ``grammar.refactoring.declare_undefined`` writes it)."""

from __future__ import annotations

from ...semantics.diagnostics import Diagnostic, FileAnalysis
from ...syntax.incremental import TextEdit
from .errors import RefactorRefused
from .grammar_declare import Declaration, first_unresolved_use, grammar_declare_variable
from .syntax import LanguageSyntax
from .tree import initializer_of, routine_of
from .verify import verified


def declare_variable(analysis: FileAnalysis, diagnostic: Diagnostic) -> tuple[TextEdit, ...]:
    """For an undefined name: declare it, in the enclosing scope, with the type of the
    assigned value when it is known."""
    return declaration(analysis, diagnostic).edits


def declaration(analysis: FileAnalysis, diagnostic: Diagnostic) -> Declaration:
    if diagnostic.code != "undefined-name":
        raise RefactorRefused("not an undefined name")
    if analysis.parsed.definition.grammar is not None:
        return grammar_declare_variable(analysis, diagnostic)
    syntax = LanguageSyntax(analysis)
    ref = first_unresolved_use(analysis, diagnostic, writes_only=True)
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
    return Declaration(verified(analysis, edits, f"declaring '{ref.name}'"), None)
