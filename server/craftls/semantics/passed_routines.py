"""Routines named as arguments passed by reference before their definition.

A name passed alone as an argument by reference (the grammar annotation ``by_reference``
with ``assigns``: QBasic's ``CALL Show(Later%)``) is declared as a variable when nothing
of that name is known where it stands. When the file defines a routine of that name in
its file scope further down (``FUNCTION Later%``), the name is that routine called, not
a new variable, and that declaration is no duplicate of it.

Which routines the file defines is known only from the whole file, so while one of them
is passed so the file's items are walked afresh, not replayed (``Resolver.visit_item``),
as for dotted names (``dotted_names``): a replayed walk would keep an answer that an edit
elsewhere (removing the routine) changed."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from ..syntax import kinds as K
from ..syntax.tree import SyntaxNode, kind_bit
from .model import SymbolKind, other_spellings

if TYPE_CHECKING:
    from .resolve import Resolver

ROUTINES = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)


def passed_routine_keys(resolver: Resolver) -> frozenset[str]:
    """The keys of the routines the file scope defines that a by-reference argument
    names (empty when the grammar passes nothing by reference, without a walk)."""
    passing = {k for k, m in resolver.meanings.items() if m.by_reference and m.assigns}
    defining = {k for k, m in resolver.meanings.items()
                if m.declares in ROUTINES and not m.dotted}
    if not passing or not defining:
        return frozenset()
    passed = _names(resolver, resolver.parsed.root, passing, descend=True)
    if not passed:
        return frozenset()
    defined = _names(resolver, resolver.parsed.root, defining, descend=False)
    spelled = {other for key in passed for other in other_spellings(key, resolver.marks)}
    return frozenset(key for key in defined if key in passed or key in spelled)


def _names(resolver: Resolver, root: SyntaxNode, kinds: set[str], descend: bool) -> set[str]:
    """The keys of the names of the nodes of ``kinds`` (only subtrees holding one are
    entered; ``descend``: also inside such a node)."""
    bits = reduce(or_, map(kind_bit, kinds), 0)
    found: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind in kinds:
            name = node.child_of_kind(K.NAME_REF)
            token = name.first_token() if name is not None else None
            if token is not None:
                found.add(resolver.key(token.text))
            if not descend:
                continue
        stack.extend(c for c in node.children() if c.green.kinds & bits)
    return found


def passed_routine(resolver: Resolver, name: SyntaxNode) -> bool:
    """Does the by-reference argument ``name`` name a routine of the file scope?"""
    if not resolver.passed:
        return False
    token = name.first_token()
    if token is None:
        return False
    key = resolver.key(token.text)
    return key in resolver.passed or any(
        other in resolver.passed for other in other_spellings(key, resolver.marks))
