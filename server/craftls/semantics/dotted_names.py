"""Dotted routine names (the grammar annotation ``dotted``): QB64's ``SUB Console.Log``
and ``FUNCTION Path.Join$`` declare one name made of a word and the ``member`` parts after
it, and a use of that whole name (``Console.Log "x"``, ``Path.Join$(a$, b$)``, the
result assigned as ``Path.Join$ = ...``) refers to the routine. Any other name followed
by members (``p.x`` of a record) stays a name and its fields.

Which dotted names a file declares is known only from the whole file, so the file's
items are walked afresh, not replayed (``Resolver.visit_item``), while it declares any;
the uses are bound once the walk is done (``bind_dotted_uses``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from ..syntax import kinds as K
from ..syntax.tokens import IDENT, TRIVIA
from ..syntax.tree import SyntaxNode, SyntaxToken, kind_bit
from .model import CallSite, ItemNames, Reference, Scope, Symbol, other_spellings

if TYPE_CHECKING:
    from .resolve import Resolver

# a dotted name: (its first part's start, the whole name as written, its end, the
# child node after its last part or None)
Run = tuple[int, str, int, SyntaxNode | None]


def _word(child: SyntaxNode | SyntaxToken) -> str | None:
    """The text of a child that is one word (a name, or a keyword spelled as one)."""
    tokens = list(child.significant_leaves()) if isinstance(child, SyntaxNode) else [child]
    if len(tokens) != 1:
        return None
    token = tokens[0]
    return token.text if token.kind == IDENT or token.kind.startswith("kw_") else None


def runs(resolver: Resolver, node: SyntaxNode) -> Iterator[Run]:
    """Each word among ``node``'s own children followed by ``member`` children: the
    dotted name they make."""
    meanings = resolver.meanings
    children = [c for c in node.children_with_tokens()
                if not (isinstance(c, SyntaxToken) and c.kind in TRIVIA)]
    i = 0
    while i < len(children):
        head = children[i]
        word = _word(head)
        parts = [word] if word is not None else []
        j = i + 1
        while parts and j < len(children):
            child = children[j]
            if not isinstance(child, SyntaxNode):
                break
            meaning = meanings.get(child.kind)
            if meaning is None or not meaning.member:
                break
            parts.append("".join(t.text for t in child.significant_leaves()))
            j += 1
        if len(parts) > 1:
            after = children[j] if j < len(children) else None
            yield (head.start, "".join(parts), children[j - 1].end,
                   after if isinstance(after, SyntaxNode) else None)
            i = j
        else:
            i += 1


def dotted_keys(resolver: Resolver) -> frozenset[str]:
    """The dotted names the file's ``dotted`` nodes declare, as keys (found without the
    name walk: only subtrees holding such a node are entered)."""
    kinds = {k for k, m in resolver.meanings.items() if m.dotted and m.declares}
    bits = reduce(or_, map(kind_bit, kinds), 0)
    found: set[str] = set()
    stack = [resolver.parsed.root]
    while stack:
        node = stack.pop()
        if node.kind in kinds:
            first = next(runs(resolver, node), None)
            if first is not None:
                found.add(resolver.key(first[1]))
            continue
        stack.extend(c for c in node.children() if c.green.kinds & bits)
    return frozenset(found)


def known(resolver: Resolver, name: str) -> bool:
    key = resolver.key(name)
    return key in resolver.dotted or any(
        other in resolver.dotted for other in other_spellings(key, resolver.marks))


def declare_dotted(resolver: Resolver, node: SyntaxNode, scope: Scope, kind: str
                   ) -> Symbol | None:
    """The node's dotted name, declared whole: its range is the whole name."""
    first = next(runs(resolver, node), None)
    if first is None:
        return None
    start, name, end, _ = first
    symbol = Symbol(name, kind, start, end, node.start, node.end, scope)
    return resolver.add_symbol(scope, symbol)


def dotted_use(resolver: Resolver, node: SyntaxNode, name: SyntaxNode) -> bool:
    """Does ``name`` start a use of a declared dotted name among ``node``'s children?"""
    return any(start == name.start and known(resolver, text)
               for start, text, _, _ in runs(resolver, node))


def bind_dotted_uses(resolver: Resolver) -> None:
    """Make each use of a declared dotted name one reference to the whole name (the
    walk made one to its first part, or none when that part is a keyword), and count
    the arguments of its call (as for a plain name, a call without an argument list
    is not counted)."""
    if not resolver.dotted:
        return
    items = [item for item in resolver.items if isinstance(item, ItemNames)]
    refs = {r.start: r for item in items for r in item.references()}
    calls = {id(c.callee): c for item in items for c in item.calls()}
    declared = {s.start for s in resolver.symbols}
    todo = [resolver.parsed.root]
    while todo:
        node = todo.pop()
        todo.extend(node.children())
        for start, text, end, after in runs(resolver, node):
            if start in declared or not known(resolver, text):
                continue
            ref = refs.get(start)
            item = next((i for i in items if i.start <= start < i.end), None)
            if ref is None:
                if item is None:
                    continue
                ref = Reference(text, start, end, None, scope=_scope_at(resolver.root_scope,
                                                                         start))
                item.references().append(ref)
                refs[start] = ref
            ref.name, ref.end = text, end
            call = calls.get(id(ref))
            args = after if after is not None and _argument_list(resolver, after) else None
            if call is not None and item is not None:
                item.calls().remove(call)
                resolver.calls.remove(call)
            if args is not None and item is not None:
                site = _call_site(ref, node, args)
                item.calls().append(site)
                resolver.calls.append(site)


def _argument_list(resolver: Resolver, node: SyntaxNode) -> bool:
    meaning = resolver.meanings.get(node.kind)
    first = node.first_token()
    return (meaning is not None and meaning.arguments) \
        or (first is not None and first.text == "(")


def _call_site(callee: Reference, node: SyntaxNode, args: SyntaxNode) -> CallSite:
    exprs = [c for c in args.children() if c.kind != K.ERROR]
    return CallSite(callee, len(exprs), node.start, node.end, args.start, args.end,
                    [(e.start, e.end) for e in exprs])


def _scope_at(scope: Scope, offset: int) -> Scope:
    for child in scope.children:
        if child.start <= offset < child.end:
            return _scope_at(child, offset)
    return scope


def dotted_name(node: SyntaxNode, first: SyntaxNode, members: set[str]) -> tuple[str, int]:
    """The name ``first`` starts in ``node`` with the member parts right after it
    (``System.SysUtils``: a unit within a namespace is one module, in a file named so),
    and where it ends."""
    parts, end = [first.text.strip()], first.end
    for child in node.children():
        if child.start < first.end:
            continue
        ref = child.child_of_kind(K.NAME_REF) if child.kind in members else None
        if ref is None:
            break
        parts.append(ref.text.strip())
        end = ref.end
    return ".".join(parts), end
