"""Extract variable: name the selected expression just before its statement."""

from __future__ import annotations

from ...language.model import BlockStyle
from ...semantics.diagnostics import FileAnalysis
from ...syntax import kinds as K
from ...syntax.incremental import TextEdit
from ...syntax.tree import SyntaxNode
from .errors import RefactorRefused
from .grammar_declare import section_extract_variable
from .grammar_forms import grammar_extract_variable
from .syntax import LanguageSyntax
from .text import indent_of, line_start, starts_line, trim
from .tree import first_child, is_statement_list, routine_of
from .verify import verified

COMPOUND_BODIES = frozenset({K.IF_STMT, K.ELIF_CLAUSE, K.ELSE_CLAUSE, K.WHILE_STMT, K.FOR_STMT,
                             K.FOR_IN_STMT, K.CASE_ARM})


def extract_variable(analysis: FileAnalysis, start: int, end: int,
                     name: str = "value") -> tuple[TextEdit, ...]:
    """Declare ``name`` with the selected expression as its value just before the
    statement that uses it, and use ``name`` in its place."""
    grammar = analysis.parsed.definition.grammar
    if grammar is not None and grammar.assign_variable and not grammar.declare_variable:
        return section_extract_variable(analysis, start, end, name)
    if grammar is not None:
        return grammar_extract_variable(analysis, start, end, name)
    syntax = LanguageSyntax(analysis)
    syntax.check_name(name)
    expr = _selected_expression(analysis, start, end)
    statement, placement = _statement_for(syntax, expr)
    value = expr.text
    type_text = syntax.type_text(analysis.types.expression_type(expr.start, expr.end)
                                 if analysis.types is not None else None)
    edits = []
    if syntax.sections:
        edits.append(syntax.add_var_entry(routine_of(statement), name, type_text))
        new_statement = syntax.assignment(name, value) + syntax.terminator
    else:
        new_statement = syntax.declaration(name, type_text, value)
    edits += _insert_statement(syntax, statement, placement, new_statement, expr, name)
    return verified(analysis, edits, "extracting the variable")


def _selected_expression(analysis: FileAnalysis, start: int, end: int) -> SyntaxNode:
    text = analysis.parsed.text
    s, e = trim(text, start, end)
    node = analysis.parsed.root.covering_node(s, e)
    while node.parent is not None and node.parent.kind in K.EXPRESSIONS \
            and (node.parent.start, node.parent.end) == (node.start, node.end):
        node = node.parent
    if node.kind not in K.EXPRESSIONS or (node.start, node.end) != (s, e):
        raise RefactorRefused("select a whole expression to extract")
    _check_expression_place(node)
    return node


def _check_expression_place(node: SyntaxNode) -> None:
    parent = node.parent
    first = first_child(parent) if parent is not None else None
    if parent is None:
        raise RefactorRefused("select a whole expression to extract")
    if parent.kind == K.EXPR_STMT:
        raise RefactorRefused("the statement's expression gives no value to extract")
    if _is_assignment_target(node):
        raise RefactorRefused("an assignment's target cannot be extracted")
    if parent.kind == K.CALL_EXPR and first == node:
        raise RefactorRefused("a routine's name cannot be extracted")
    if parent.kind == K.MEMBER_EXPR and first != node:
        raise RefactorRefused("a member's name cannot be extracted")
    if parent.kind == K.CASE_ARM:
        raise RefactorRefused("a case label cannot be extracted")
    if any(a.kind in (K.PARAM_LIST, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
                      K.IMPORT_STMT) for a in node.ancestors()):
        raise RefactorRefused("only expressions inside statements can be extracted")


def _is_assignment_target(node: SyntaxNode) -> bool:
    """``x`` or ``x[i]`` or ``x.f`` left of an assignment (its index is an ordinary value)."""
    while node.parent is not None and node.parent.kind in (K.INDEX_EXPR, K.MEMBER_EXPR) \
            and first_child(node.parent) == node:
        node = node.parent
    return node.parent is not None and node.parent.kind == K.ASSIGN_STMT \
        and first_child(node.parent) == node


def _statement_for(syntax: LanguageSyntax, expr: SyntaxNode) -> tuple[SyntaxNode, str]:
    """The statement to declare the variable before, and how: on the line above it
    ("line"), right before it after a ';' on the same line ("inline"), or by wrapping it
    in a block first ("wrap": a lone statement in a BEGIN..END or brace language's body)."""
    child = expr
    for node in expr.ancestors():
        if node is expr:
            continue
        _check_evaluation_order(node, child)
        if node.kind in K.STATEMENTS and node.kind != K.BLOCK:
            return node, _placement(syntax, node)
        child = node
    raise RefactorRefused("the expression is not inside a statement")


def _check_evaluation_order(node: SyntaxNode, child: SyntaxNode) -> None:
    """Moving an expression out of a loop's condition or an ELSE IF condition would
    change how often (or whether) it is evaluated."""
    if child.kind not in K.EXPRESSIONS:
        return
    if node.kind in (K.WHILE_STMT, K.REPEAT_STMT):
        raise RefactorRefused("a loop condition is evaluated on every turn; "
                              "it cannot be extracted before the loop")
    if node.kind == K.ELIF_CLAUSE:
        raise RefactorRefused("this condition is evaluated only when the ones before it "
                              "fail; it cannot be extracted before the statement")
    if node.kind in (K.FOR_STMT, K.FOR_IN_STMT) and _after_body(node, child):
        raise RefactorRefused("select an expression of the loop's header or body")


def _after_body(loop: SyntaxNode, child: SyntaxNode) -> bool:
    return any(c.start < child.start and (c.kind in K.STATEMENTS) for c in loop.children())


def _placement(syntax: LanguageSyntax, statement: SyntaxNode) -> str:
    parent = statement.parent
    if parent is not None and is_statement_list(parent):
        if starts_line(syntax.text, statement.start):
            return "line"
        if _after_separator(syntax.text, statement):
            return "inline"
    if parent is not None and parent.kind in COMPOUND_BODIES \
            and syntax.style in (BlockStyle.BEGIN_END, BlockStyle.BRACES):
        return "wrap"
    raise RefactorRefused("the expression's statement shares its line with another "
                          "construct; put it on a line of its own first")


def _after_separator(text: str, statement: SyntaxNode) -> bool:
    """Does the statement follow another one and its ';' on the same line?"""
    before = text[line_start(text, statement.start):statement.start].rstrip()
    return before.endswith(";")


def _insert_statement(syntax: LanguageSyntax, statement: SyntaxNode, placement: str,
                      new_statement: str, expr: SyntaxNode, name: str) -> list[TextEdit]:
    text = syntax.text
    use = TextEdit(expr.start, expr.end, name)
    if placement == "line":
        indent = indent_of(text, statement.start)
        return [TextEdit(statement.start, statement.start,
                            new_statement + syntax.separator + "\n" + indent), use]
    if placement == "inline":
        joined = new_statement if new_statement.endswith(";") else new_statement + ";"
        return [TextEdit(statement.start, statement.start, joined + " "), use]
    end = syntax.statement_end(statement)
    original = (text[statement.start:expr.start] + name + text[expr.end:end])
    return [TextEdit(statement.start, end,
                        syntax.wrapped([new_statement, original], indent_of(text,
                                                                           statement.start)))]
