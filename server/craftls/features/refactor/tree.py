"""Syntax-tree helpers shared by the refactorings: statement lists, the enclosing
routine, statement ends, a declaration's or assignment's value."""

from __future__ import annotations

from collections.abc import Iterator

from ...syntax import kinds as K
from ...syntax.tokens import PUNCT
from ...syntax.tree import SyntaxNode, SyntaxToken

LOOPS = frozenset({K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.REPEAT_STMT})


def is_statement_list(node: SyntaxNode) -> bool:
    if node.kind in (K.BLOCK, K.SOURCE_FILE):
        return True
    return node.kind == K.ELSE_CLAUSE and node.parent is not None \
        and node.parent.kind == K.CASE_STMT


def routine_of(node: SyntaxNode) -> SyntaxNode | None:
    return next((a for a in node.ancestors() if a.kind == K.FUNCTION_DECL), None)


def first_child(node: SyntaxNode) -> SyntaxNode | None:
    return next(node.children(), None)


def core_end(node: SyntaxNode) -> int:
    """The end of a statement without its trailing ';'."""
    tokens = list(_significant(node))
    if len(tokens) > 1 and tokens[-1].kind == PUNCT and tokens[-1].text == ";":
        return tokens[-2].end
    return tokens[-1].end if tokens else node.end


def _significant(node: SyntaxNode) -> Iterator[SyntaxToken]:
    return node.significant_leaves()


def initializer_of(node: SyntaxNode) -> SyntaxNode | None:
    """The value of a declaration (``let x = value``) or an assignment."""
    if node.kind not in (K.LET_STMT, K.VAR_DECL, K.CONST_DECL, K.ASSIGN_STMT):
        return None
    children = list(node.children())
    if node.kind == K.ASSIGN_STMT:
        children = children[1:]
    values = [c for c in children if c.kind in K.EXPRESSIONS]
    return values[-1] if values else None
