"""Inline variable: replace each use by the value it is assigned once."""

from __future__ import annotations

from ...language.model import Associativity
from ...semantics.diagnostics import FileAnalysis
from ...semantics.model import Reference, Symbol, SymbolKind
from ...syntax import kinds as K
from ...syntax.incremental import TextEdit
from ...syntax.tree import SyntaxNode
from .errors import RefactorRefused
from .grammar_forms import grammar_inline_variable
from .syntax import LanguageSyntax
from .tree import LOOPS, first_child, initializer_of
from .verify import verified

ATOMIC = frozenset({K.LITERAL, K.NAME_REF, K.PAREN_EXPR, K.CALL_EXPR, K.INDEX_EXPR,
                    K.MEMBER_EXPR, K.LIST_EXPR})


def inline_variable(analysis: FileAnalysis, offset: int) -> tuple[TextEdit, ...]:
    """Replace every use of the variable at ``offset`` by the expression it is assigned
    (once), and remove that assignment and its declaration."""
    if analysis.parsed.definition.grammar is not None:
        return grammar_inline_variable(analysis, offset)
    syntax = LanguageSyntax(analysis)
    symbol = analysis.model.symbol_at(offset)
    if symbol is None or symbol.kind not in (SymbolKind.VARIABLE, SymbolKind.CONSTANT):
        raise RefactorRefused("there is no variable to inline here")
    declaration = syntax.root.covering_node(symbol.decl_start, symbol.decl_end)
    assignment, value = _single_assignment(analysis, symbol, declaration)
    reads = [r for r in analysis.model.references_to(symbol) if not r.is_write]
    _check_inlinable(analysis, symbol, assignment, value, reads)
    edits = [TextEdit(r.start, r.end, _operand_text(syntax, value, r)) for r in reads]
    edits += syntax.removal(assignment)
    if assignment != declaration:
        edits += syntax.declarations_removal([symbol])
    return verified(analysis, edits, f"inlining '{symbol.name}'")


def _single_assignment(analysis: FileAnalysis, symbol: Symbol, declaration: SyntaxNode
                       ) -> tuple[SyntaxNode, SyntaxNode]:
    """The statement that gives the variable its only value, and that value."""
    initializer = initializer_of(declaration)
    writes = [r for r in analysis.model.references_to(symbol) if r.is_write]
    if initializer is not None and not writes:
        if len(declaration.children_of_kind(K.NAME)) > 1:
            raise RefactorRefused("the declaration declares more than one name")
        return declaration, initializer
    if initializer is not None or len(writes) != 1:
        raise RefactorRefused(f"'{symbol.name}' is assigned more than once")
    target = analysis.parsed.root.covering_node(writes[0].start, writes[0].end)
    statement = target.parent
    value = initializer_of(statement) if statement is not None else None
    if statement is None or statement.kind != K.ASSIGN_STMT or value is None \
            or first_child(statement) != target:
        raise RefactorRefused(f"'{symbol.name}' is not given its value by an assignment")
    return statement, value


def _check_inlinable(analysis: FileAnalysis, symbol: Symbol, assignment: SyntaxNode,
                     value: SyntaxNode, reads: list[Reference]) -> None:
    if not reads:
        raise RefactorRefused(f"'{symbol.name}' is never read")
    if any(r.start < assignment.end for r in reads):
        raise RefactorRefused(f"'{symbol.name}' is read before it is assigned")
    if len(reads) > 1 and any(n.kind == K.CALL_EXPR for n in value.descendants()):
        raise RefactorRefused("the value calls a routine; inlining it would call it "
                              "more than once")
    used = [r for r in analysis.model.references if value.start <= r.start < value.end]
    for read in reads:
        for name in used:
            _check_same_binding(analysis, name, read)
            _check_unchanged(analysis, name, assignment, read)


def _check_same_binding(analysis: FileAnalysis, name: Reference, read: Reference) -> None:
    scope = read.scope or analysis.model.root_scope
    if scope.lookup(analysis.model.key(name.name)) is not name.symbol:
        raise RefactorRefused(f"'{name.name}' means something else where the variable "
                              f"is used")


def _check_unchanged(analysis: FileAnalysis, name: Reference, assignment: SyntaxNode,
                     read: Reference) -> None:
    if name.symbol is None:
        return
    root = analysis.parsed.root
    loops = [a for a in root.covering_node(read.start, read.end).ancestors()
             if a.kind in LOOPS and not (a.start <= assignment.start < a.end)]
    for write in analysis.model.references_to(name.symbol):
        if not write.is_write:
            continue
        if assignment.end <= write.start < read.start or any(
                loop.start <= write.start < loop.end for loop in loops):
            raise RefactorRefused(f"'{name.name}' changes between the assignment and a use")


def _operand_text(syntax: LanguageSyntax, value: SyntaxNode, read: Reference) -> str:
    site = syntax.root.covering_node(read.start, read.end)
    text = value.text
    return f"({text})" if _needs_parentheses(syntax, value, site) else text


def _needs_parentheses(syntax: LanguageSyntax, value: SyntaxNode, site: SyntaxNode) -> bool:
    parent = site.parent
    if value.kind in ATOMIC or parent is None:
        return False
    if parent.kind in (K.CALL_EXPR, K.INDEX_EXPR, K.MEMBER_EXPR, K.UNARY_EXPR):
        return parent.kind == K.UNARY_EXPR or first_child(parent) == site
    if parent.kind not in (K.BINARY_EXPR, K.RANGE_EXPR):
        return False
    if value.kind != K.BINARY_EXPR:
        return True
    outer = syntax.operator(parent)
    inner = syntax.operator(value)
    if outer is None or inner is None:
        return True
    if inner[0] != outer[0]:
        return inner[0] < outer[0]
    left = first_child(parent) == site
    return outer[1] is Associativity.NONE or left == (outer[1] is Associativity.RIGHT)
