"""Reusing name resolution across edits, one top-level item at a time.

Walking a top-level item (a function, a declaration section, a statement) creates
scopes, symbols, references and call sites that depend only on the item's green node
and on the answers the file scope gave to the lookups the walk made. A ``Template``
records those objects (positions relative to the item, links as indexes) and those
answers; when a later snapshot holds the same green node and the file scope answers
the same way, the template is instantiated as fresh objects at the item's new position
instead of walking the tree again (a ``ReplayedItem``: scopes and symbols at once,
references only when something asks for them; what a keystroke's diagnostics and type
check need is answered from the template's own tables). References bound inside the item's own scopes are
bound in the template already (declarations are hoisted, so an item's scopes are
complete once it is walked); ``Resolver.bind`` binds the rest against the file scope.
The result is exactly what a full walk gives (a hypothesis test compares them).
"""

from __future__ import annotations

import bisect
import operator
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from ..language.model import LanguageDefinition
from ..language.run_spec import RunSpec, Selector, Step
from ..syntax import kinds as K
from ..syntax.tokens import TRIVIA
from ..syntax.tree import GreenNode, kind_bit
from .grammar_meaning import HEADING, holds_statements, meanings_of
from .implicit_types import Implicit, implicit_twin
from .model import (
    ISOLATED_KINDS,
    UNUSED_KINDS,
    CallFacts,
    CallSite,
    ItemNames,
    Reference,
    Scope,
    Span,
    Symbol,
    SymbolKind,
    hidden,
    hides,
    label_key,
    lookup_in,
    other_spellings,
    reference_key,
    spelled_alike,
    type_key,
    visible_at,
)

if TYPE_CHECKING:  # the grammar spec imports PyYAML
    from ..language.grammar_spec import Meaning

# a call of a member right after a name (``C.Add(1, 2)``), as an item's walk found it:
# the name's reference (its index among the item's), the member's name, start and end,
# the call's start and end, its argument list's, its arguments' ranges, and the names of
# the members between the name and the called one (``S.Calc.Add(1)``: ``("Calc",)``; an
# empty argument list among them is ``"()"``: ``GetList().Add(X)``)
MemberCall = tuple[int, str, int, int, int, int, int, int, tuple[tuple[int, int], ...],
                   tuple[str, ...]]

# A top-level node of these kinds is not one item but one per child node: a program's
# main block (BEGIN ... END.) can be most of the file, and a keystroke re-walks and
# re-infers only the item it changed. Name resolution and inference pass a block's
# scope and state through unchanged (no handler), so its statements walked one by one
# give exactly what the block walked whole gives.
SPLIT_KINDS = frozenset({K.BLOCK})
# In a grammar-defined language, likewise the kinds whose meaning is a block or a list
# of lines and nothing else (``grammar_meaning.holds_statements``: Turbo Pascal's main
# block and its statement list, QBasic's top-level IF and WHILE), and those without
# meaning whose ``run:`` is a block around one that splits (a template's main block,
# `block '.'`: ``Splits.wrappers``),
# at any depth below a split node. False: a grammar's items are the file's child nodes
# (tests compare).
SPLIT_GRAMMAR_BLOCKS = True
# Likewise a loop whose condition narrows no type (``Splits.guarded``: the keyword
# level's WHILE; a grammar's loop by its ``run:`` annotation, ``_grammar_loops``): its
# condition is an item (inferred as a condition, ``types.check``) and its body's
# statements are items, so a keystroke in a long loop body re-walks one statement. A
# condition that may narrow (a comparison with nil: the body sees the name without nil)
# keeps the loop one item. False: loops are one item.
SPLIT_GUARDED = True
GUARDED_KINDS = frozenset({K.WHILE_STMT})
# A loop holding one of these is kept one item: they may declare a name in the file
# scope, and inference widens an undeclared name's type by the later assignments of its
# own unit only (``Inferencer.assign``), so the body's statements as units of their own
# would type it otherwise. The resolver's handlers that declare (``resolve._HANDLERS``;
# a test keeps the two together), and an assignment where assignments declare.
DECLARING_KINDS = frozenset({
    K.FUNCTION_DECL, K.CLASS_DECL, K.LAMBDA_EXPR, K.VAR_DECL, K.CONST_DECL, K.LET_STMT,
    K.TYPE_DECL, K.FOR_STMT, K.FOR_IN_STMT, K.PROGRAM_HEADER, K.IMPORT_STMT,
    K.EXCEPT_CLAUSE})
# the kinds name resolution or inference does more at than walk the children: a
# grammar's rule of that name is never split
_BUILTIN_KINDS = frozenset(v for k, v in vars(K).items() if k.isupper() and isinstance(v, str))


@dataclass(frozen=True)
class Splits:
    """Which nodes of a file are analysed as one item per child node (``splits_of``)."""

    kinds: frozenset[str]
    # nodes whose walk changes the scope of the siblings after them (``opens``: WITH):
    # a node with such a child is not split, its children are one walk
    opening: frozenset[str] = frozenset()
    # of ``kinds``, the loops split only when their condition (the first child of an
    # expression kind: ``condition``) cannot narrow a type, and those expression kinds
    guarded: frozenset[str] = frozenset()
    expressions: frozenset[str] = frozenset()
    # the ``GreenNode.kinds`` bits of the kinds that keep a guarded loop whole
    declaring: int = 0
    # a grammar's guarded loops: per kind, the selectors of its condition part (its
    # ``run:`` annotation's ``condition``, read as the type walk reads it), and whether
    # the selectors' words are case-folded; none: the first child of an expression kind
    conditions: tuple[tuple[str, tuple[Selector, ...]], ...] = ()
    fold: bool = False
    # nodes without meaning that only hold others (``run: block``: a template's main
    # block, `block '.'`): split when their one child node splits (not where the parts
    # would be units of their own: QBasic's `CONST AS LONG a = 1, b = 2`, whose items'
    # type is written in the node around them)
    wrappers: frozenset[str] = frozenset()

    def splits(self, green: GreenNode) -> bool:
        if green.kind not in self.kinds:
            return False
        children = green.node_children()
        if not children:
            return False
        if green.kind in self.guarded:
            if green.kinds & self.declaring:
                return False
            condition = self.condition(green)
            if condition is not None and may_narrow(condition, not self.conditions):
                return False
        elif green.kind in self.wrappers and (len(children) != 1
                                              or not self.splits(children[0][2])):
            return False
        # C-level: a main block has thousands of children, and a keystroke asks again
        return not self.opening or self.opening.isdisjoint(
            map(_KIND, map(_NODE, children)))

    def condition(self, green: GreenNode) -> GreenNode | None:
        """The condition of a guarded loop: its first child of an expression kind (what
        inference checks as the condition, ``Inferencer.guarded``); in a grammar's tree,
        the first node its ``run:`` annotation's condition selects (``grammar_infer``'s
        ``condition_part``)."""
        if self.conditions:
            selectors = dict(self.conditions).get(green.kind, ())
            return select_condition(green, selectors, self.fold)
        expressions = self.expressions
        return next((c for _, _, c in green.node_children() if c.kind in expressions), None)


def select_condition(green: GreenNode, selectors: tuple[Selector, ...], fold: bool
                     ) -> GreenNode | None:
    """The first node the ``run:`` selectors pick among ``green``'s children (as
    ``types.grammar_infer._Walk.select`` picks them, on the green node: no positions)."""
    for selector in selectors:
        groups = _step(_items(green), selector[0], fold)
        for step in selector[1:]:
            groups = [inner for group in groups for n in group
                      for inner in _step(_items(n), step, fold)]
        for group in groups:
            if group:
                return group[0]
    return None


def _items(green: GreenNode) -> list[GreenNode | str]:
    """A node's child nodes and the texts of its significant direct tokens."""
    return [c if type(c) is GreenNode else c[1] for c in green.children  # type: ignore[index]
            if type(c) is GreenNode or c[0] not in TRIVIA]  # type: ignore[index]


def _step(items: list[GreenNode | str], step: Step, fold: bool) -> list[list[GreenNode]]:
    out: list[list[GreenNode]] = []
    if step.kind in ("after", "before", "from"):
        words = {w.lower() for w in step.tokens} if fold else set(step.tokens)
        hits = [i for i, item in enumerate(items) if type(item) is str
                and (item.lower() if fold else item) in words]
        if not hits:
            return []
        if step.kind != "after":
            part = items[:hits[0]] if step.kind == "before" else items[hits[0] + 1:]
            out = [[n for n in part if type(n) is GreenNode]]
        else:
            for at in hits:
                end = next((i for i in range(at + 1, len(items)) if type(items[i]) is str),
                           len(items))
                out.append([n for n in items[at + 1:end] if type(n) is GreenNode])
    else:
        kids = [c for c in items if type(c) is GreenNode]
        if step.kind == "nth":
            at = step.number - 1 if step.number > 0 else step.number
            out = [[kids[at]]] if -len(kids) <= at < len(kids) else []
        elif step.kind == "all":
            out = [kids]
        elif step.kind == "rule":
            out = [[c for c in kids if c.kind == step.rule]]
    if step.group:
        out = out[step.group - 1:step.group]
    return out


def may_narrow(condition: GreenNode, literals: bool = True) -> bool:
    """Can inference narrow a name's type by this condition? Only a comparison with the
    null literal does (``Inferencer.narrowing``, ``grammar_infer``'s ``narrowing``): a
    condition holding no null literal narrows nothing, whatever the types. ``literals``:
    the null token is inside a ``LITERAL`` node (a keyword-level tree; a grammar's
    names its literals itself, so its every node is looked into)."""
    if literals and not condition.contains(K.LITERAL):
        return False
    stack = [condition]
    while stack:
        node = stack.pop()
        for child in node.children:
            if type(child) is GreenNode:
                if not literals or child.contains(K.LITERAL):
                    stack.append(child)
            elif child[0] == "kw_null":  # type: ignore[index]
                return True
    return False


def kinds_bits(kinds: Iterable[str]) -> int:
    """The ``GreenNode.kinds`` bits of ``kinds``."""
    bits = 0
    for kind in kinds:
        bits |= kind_bit(kind)
    return bits


KEYWORD_SPLITS = Splits(SPLIT_KINDS | GUARDED_KINDS, guarded=GUARDED_KINDS,
                        expressions=K.EXPRESSIONS, declaring=kinds_bits(DECLARING_KINDS))
_NODE = operator.itemgetter(2)
_KIND = operator.attrgetter("kind")


def splits_of(definition: LanguageDefinition) -> Splits:
    """The split rule of a definition's files: ``SPLIT_KINDS``, and a grammar's
    statement-holding blocks and lists (read at call time: a test may change them).
    Kept per definition (held weakly, a few at a time): every keystroke asks."""
    key = (id(definition), SPLIT_KINDS, SPLIT_GRAMMAR_BLOCKS, SPLIT_GUARDED)
    kept = _SPLITS.get(key)
    if kept is not None and kept[0]() is definition:
        return kept[1]
    splits = _splits_of(definition)
    if len(_SPLITS) >= 64:
        _SPLITS.clear()
    _SPLITS[key] = (weakref.ref(definition), splits)
    return splits


_SPLITS: dict[tuple[int, frozenset[str], bool, bool],
              tuple[weakref.ref[LanguageDefinition], Splits]] = {}


def _splits_of(definition: LanguageDefinition) -> Splits:
    meanings = meanings_of(definition)
    kinds = set(SPLIT_KINDS)
    if SPLIT_GRAMMAR_BLOCKS and definition.grammar is not None:
        kinds.update(kind for kind, meaning in meanings.items()
                     if kind not in _BUILTIN_KINDS and holds_statements(meaning))
    guarded: frozenset[str] = frozenset()
    expressions: frozenset[str] = frozenset()
    declaring = DECLARING_KINDS
    conditions: tuple[tuple[str, tuple[Selector, ...]], ...] = ()
    wrappers: frozenset[str] = frozenset()
    grammar = definition.grammar
    if SPLIT_GRAMMAR_BLOCKS and grammar is not None:
        wrappers = frozenset(kind for kind, run in _runs(definition).items()
                             if run.construct == "block" and kind not in meanings
                             and kind not in _BUILTIN_KINDS)
        kinds.update(wrappers)
    if SPLIT_GUARDED and grammar is None:
        guarded = GUARDED_KINDS
        kinds.update(guarded)
        extension = definition.grammar_extension
        expressions = K.EXPRESSIONS if extension is None \
            else K.EXPRESSIONS | extension.expression_kinds()
        if definition.structure.declarations == "assignment":
            declaring = declaring | {K.ASSIGN_STMT}
    elif SPLIT_GUARDED and grammar is not None:
        conditions = _grammar_loops(definition, meanings)
        guarded = frozenset(kind for kind, _ in conditions)
        kinds.update(guarded)
        declaring = frozenset(kind for kind, meaning in meanings.items() if _declares(meaning))
    return Splits(frozenset(kinds), frozenset(k for k, m in meanings.items() if m.opens),
                  guarded, expressions, kinds_bits(declaring), conditions,
                  not definition.lexical.case_sensitive, wrappers)


# the ``run:`` constructs of a loop guarded by a condition (``while c do``, ``repeat
# ... until c``, QBasic's ``DO WHILE c ... LOOP``)
GUARDED_LOOPS = frozenset({"while", "repeat", "loop"})


def _runs(definition: LanguageDefinition) -> dict[str, RunSpec]:
    grammar = definition.grammar
    return {} if grammar is None else {p.name: p.run for p in grammar.rules if p.run}


def _grammar_loops(definition: LanguageDefinition, meanings: dict[str, Meaning]
                   ) -> tuple[tuple[str, tuple[Selector, ...]], ...]:
    """A grammar's loops split as the keyword level's ``WHILE`` (``Splits.guarded``), with
    their condition's selectors: the rules whose ``run:`` is a loop with a condition
    part (not a truthy one: its condition, a unit of its own, is no condition to check)
    and whose meaning, if any, asks nothing of the walk (no scope, no name: ``fold``
    only). A loop that is a block of lines already splits (``holds_statements``)."""
    found = []
    for kind, run in _runs(definition).items():
        meaning = meanings.get(kind)
        if run.construct not in GUARDED_LOOPS or run.truthy or kind in _BUILTIN_KINDS \
                or not run.part("condition"):
            continue
        if meaning is not None and (holds_statements(meaning) or replace(
                meaning, fold=False, branch=False) != type(meaning)()):
            continue
        found.append((kind, run.part("condition")))
    return tuple(found)


# what a meaning may say and still declare nothing (a grammar's ``Splits.declaring``)
_NOT_DECLARING = {"type": False, "call": False, "member": False, "arguments": False,
                  "block": False, "lines": False, "recover_lines": False, "fold": False,
                  "writes": False, "branch": False, "branches_at": (), "plain_names": False,
                  "used_with": ()}


def _declares(meaning: Meaning) -> bool:
    """May a node of this meaning declare a name (or open a scope, import, export...)?
    A grammar's guarded loop holding one is kept one item, as the keyword level's
    holding a ``DECLARING_KINDS`` node."""
    return replace(meaning, **_NOT_DECLARING) != type(meaning)()  # type: ignore[arg-type]


# MARKED: a lookup of another spelling of a name (``structure.type_marks``), answered
# by whether the file scope declares that spelling ``spelled_alike`` (True/False)
# HIDDEN: a lookup answered past an ``isolated`` scope, where the file scope's variables
# that are not ``shared`` are not seen (answered by kind or None, as LOOKUP)
# HOISTED: a lookup at the file's start, answered by the declaration visible throughout
# (a global: Lua's `_G.x = v`), whatever declaration visible from a point is the head
DECLARE, LOOKUP, MARKED, HIDDEN = "declare", "lookup", "marked", "hidden"
HOISTED_LOOKUP = "hoisted"
# the mark before the key of a reference the file scope answers past an ``isolated`` scope
# (``Template.root_refs``): no key starts with it
PAST_ISOLATED = "\x00"
# the mark before the key of a ``hoisted`` reference: answered by the file scope's
# declaration visible throughout (a global), as at the file's start
HOISTED = "\x01"
ROOT = -1  # the index that stands for the file scope
NONE = -1  # no symbol inside the item / no slot among the references bound at the file scope
# (DECLARE, key, symbol) | (LOOKUP or HIDDEN, key, kind or None) | (MARKED, key, bool)
RootEvent = tuple[str, str, Any]
TYPE_TARGETS = (SymbolKind.TYPE, SymbolKind.MODULE)


def is_split(green: GreenNode, splits: Splits | None = None) -> bool:
    """Is this node, top-level or a child of a split one, analysed as one item per
    child node (``splits``: the definition's, ``splits_of``; else ``SPLIT_KINDS``)?"""
    if splits is None:
        return green.kind in SPLIT_KINDS and bool(green.node_children())
    return splits.splits(green)


@dataclass
class ItemWalk:
    """The live objects one item's walk made."""

    scopes: list[Scope]  # parents before children
    symbols: list[Symbol]
    references: list[Reference]
    calls: list[Any]  # CallSite (resolve.py)
    duplicates: list[tuple[Symbol, Symbol]]  # inside the item's own scopes
    root_events: list[RootEvent]  # in walk order


@dataclass
class Template:
    """An item's walk with positions relative to the item and links as list indexes."""

    # kind, start, end, parent index, what an ``isolated`` scope lets through (else None)
    scopes: list[tuple[str, int, int, int, frozenset[str] | None]]
    scope_owners: list[int]
    scope_symbols: list[list[tuple[str, int]]]
    symbols: list[tuple[Any, ...]]
    symbol_params: list[list[int]]
    # name, start, end, is_write, is_type, scope, symbol bound inside the item, root slot
    references: list[tuple[str, int, int, bool, bool, int, int, int]]
    # one slot per group of references that the file scope answers alike (``_slots``):
    # first reference, key, is_write, is_type, name, how many references share it (a
    # script names the same globals over and over)
    root_refs: list[tuple[int, str, bool, bool, str, int]]
    slot_refs: list[list[int]]  # per slot, its references (by index)
    unbound_candidates: list[tuple[int, int, bool]]  # not bound inside: reference, slot, is_type
    calls: list[tuple[int, int, int, int, int, int, list[tuple[int, int]]]]
    duplicates: list[tuple[int, int]]
    root_events: list[tuple[str, str, Any]]  # DECLARE events hold a symbol index
    # what ``answers_match`` checks: ``root_events`` without the repeats that cannot
    # change the answer (``_checks``)
    checks: list[tuple[str, str, Any]]
    # an item looks up a name after declaring it visible from a point: which of its
    # declarations the lookup saw depends on where it was made, so the walk is not
    # reused (a segment: any of its items does; ``_self_positional``)
    self_positional: bool
    # a segment of consecutive items (``segments.merge``): per item, its range relative
    # to the segment and the slots its references use, in first-use order; None for one
    parts: list[tuple[int, int, list[int]]] | None
    # the names of the routine bodies without parameter lists it holds, which no heading
    # of the file named when it was walked: replayed only while none does
    # (``Resolver.take_headings``)
    headless: frozenset[str] = frozenset()
    # the calls of another value's method it holds (``MemberCall``, offsets relative to
    # the item): counted once the file's types are known (``grammar_members``)
    member_calls: tuple[MemberCall, ...] = ()
    # the file's marks by first letter it was walked with (``implicit_types``): replayed
    # only while they are the same
    implicit: Implicit | None = None

    @classmethod
    def from_walk(cls, walk: ItemWalk, base: int, root: Scope, fold: bool,
                  marks: tuple[str, ...] = (), labels: bool = False,
                  implicit: Implicit | None = None) -> Template:
        scope_index = {id(s): i for i, s in enumerate(walk.scopes)}
        symbol_index = {id(s): i for i, s in enumerate(walk.symbols)}
        ref_index = {id(r): i for i, r in enumerate(walk.references)}

        def scope_of(scope: Scope | None) -> int:
            return ROOT if scope is None or scope is root else scope_index[id(scope)]

        reads = [s.reads for s in walk.symbols]
        writes = [s.writes for s in walk.symbols]
        references = []
        root_keys: list[tuple[int, str]] = []
        for i, r in enumerate(walk.references):
            bound = _bind_locally(r, root, fold, marks, implicit)
            target = symbol_index[id(bound)] if isinstance(bound, Symbol) else NONE
            slot = NONE
            if target != NONE:
                if r.is_write:
                    writes[target] += 1
                else:
                    reads[target] += 1
            elif bound is None:  # bound at the file scope, by ``ReplayedItem.bind``
                slot = 0  # numbered by ``_slots``
                key = reference_key(r, fold)
                if r.hoisted:
                    key = HOISTED + key
                root_keys.append((i, PAST_ISOLATED + key if hides(r.scope, key, root) else key))
            references.append((r.name, r.start - base, r.end - base, r.is_write, r.is_type,
                               scope_of(r.scope), target, slot))
        return template_of(
            [(s.kind, s.start - base, s.end - base, scope_of(s.parent),
              frozenset(s.isolated) if s.isolated is not None else None)
             for s in walk.scopes],
            [symbol_index[id(s.owner)] if s.owner is not None else ROOT for s in walk.scopes],
            [_declared_in(s, symbol_index, fold, labels) for s in walk.scopes],
            [(s.name, s.kind, s.start - base, s.end - base, s.decl_start - base,
              s.decl_end - base, scope_of(s.scope), s.type_text, s.result_text, s.doc,
              reads[i], writes[i], s.visible_from - base if s.visible_from else 0, s.shared)
             for i, s in enumerate(walk.symbols)],
            [[symbol_index[id(p)] for p in s.params] for s in walk.symbols],
            references, root_keys,
            [(ref_index[id(c.callee)], c.args, c.start - base, c.end - base,
              c.args_start - base, c.args_end - base,
              [(a - base, b - base) for a, b in c.arg_ranges]) for c in walk.calls],
            [(symbol_index[id(a)], symbol_index[id(b)]) for a, b in walk.duplicates],
            [(kind, key, symbol_index[id(v)] if kind == DECLARE else v)
             for kind, key, v in walk.root_events])

    def answers_match(self, root: Scope) -> bool:
        """Would the file scope, as it is now, answer the walk's lookups as it did?"""
        if self.self_positional:
            return False
        declared: dict[str, tuple[Any, ...]] = {}
        for kind, key, value in self.checks:
            if kind == DECLARE:
                symbol = self.symbols[value]
                # visible from a point: the latest such declaration answers from here on
                # (``Scope.add`` makes it the head); a hoisted one only the first
                if symbol[12] or key not in declared and key not in root.symbols:
                    declared[key] = symbol
                continue
            own = declared.get(key)
            # (a hoisted lookup is answered by the item's own declaration visible throughout)
            if own is not None and not (kind == HOISTED_LOOKUP and own[12]):
                found: Any = spelled_alike(own[1], own[7]) if kind == MARKED else own[1]
                if kind == HIDDEN and own[1] in ISOLATED_KINDS and not own[13]:
                    found = None
            else:
                found = _file_answer(kind, root, key)
            if found != value:
                return False
        return True

    def instantiate(self, base: int, end: int, root: Scope) -> ReplayedItem:
        """The item again at ``base``: only what the file scope sees is made now."""
        return ReplayedItem(self, base, end, root)

    @cached_property
    def declared(self) -> list[int]:
        """The symbols the item declares in the file scope (by index)."""
        return [v for kind, _, v in self.root_events if kind == DECLARE]

    @cached_property
    def heading_names(self) -> list[tuple[int, str, int]]:
        """The item's routine headings without bodies (``grammar_meaning.HEADING``
        scopes): scope index, the heading's name (its first reference), its start."""
        found: dict[int, tuple[str, int]] = {}
        headings = {i for i, scope in enumerate(self.scopes) if scope[0] == HEADING}
        if not headings:
            return []
        for name, start, _, _, _, scope, _, _ in self.references:
            if scope in headings and (scope not in found or start < found[scope][1]):
                found[scope] = (name, start)
        return [(i, name, start) for i, (name, start) in sorted(found.items())]

    @cached_property
    def unused_locals(self) -> list[tuple[str, int, int]]:
        """Variables and constants of the item's own scopes that nothing reads (only the
        item can see them, so this is known once the item is walked)."""
        declared = set(self.declared)
        return [(s[0], s[2], s[3]) for i, s in enumerate(self.symbols)
                if i not in declared and s[1] in UNUSED_KINDS and s[10] == 0]


# A replayed item's objects are made lazily, possibly by two threads at once (a request
# and the diagnostics run): one lock keeps each of them a single object.
_MAKING = threading.RLock()
# Shared by every replayed item with nothing of the kind (most of them): a keystroke
# replays every unchanged item, and fewer allocations mean fewer GC passes.
_NOTHING: tuple[()] = ()


class ReplayedItem(ItemNames):
    """An item made again from its template at ``base``.

    At once: the symbols it declares in the file scope (with their parameters), which
    other items bind to. ``bind`` then answers, against the file scope, the references
    the item's own scopes could not. Everything else (scopes, other symbols, references,
    call sites) is made on first use, all at once per item (``_make_all``); until then
    the diagnostics and type-dependency questions are answered from the template."""

    __slots__ = ("template", "base", "root", "declared", "duplicates",
                 "_scope_objs", "_symbol_objs", "_made", "_targets", "_builtins", "_complete",
                 "_scoped", "_more_calls")

    def __init__(self, template: Template, base: int, end: int, root: Scope) -> None:
        # this runs for every unchanged item on every keystroke: it allocates little
        self.start = self.base = base
        self.end = end
        self.template = template
        self.root = root
        self._ordered = self._by_start = self._symbols_by_start = None
        self._scope_objs: list[Scope | None] = [None] * len(template.scopes)
        self._symbol_objs: list[Symbol | None] = [None] * len(template.symbols)
        self._made: list[Reference | None] | None = None
        self._targets: list[Symbol | None] = _NOTHING  # type: ignore[assignment]
        self._builtins: list[str | None] = _NOTHING  # type: ignore[assignment]
        self._complete = self._scoped = False
        symbol_params = template.symbol_params
        self.declared = []
        for i in template.declared:
            symbol = self._symbol(i)
            if symbol_params[i]:
                symbol.params.extend([self._symbol(p) for p in symbol_params[i]])
            self.declared.append(symbol)
        self.duplicates: list[tuple[Symbol, Symbol]] = _NOTHING  # type: ignore[assignment]
        # calls found after the walk (``add_call``): not in the template
        self._more_calls: list[CallSite] = _NOTHING  # type: ignore[assignment]

    def declarations(self) -> Iterator[tuple[str, Symbol]]:
        """What the item declares in the file scope, in order: (key, symbol)."""
        objs = self._symbol_objs
        for kind, key, v in self.template.root_events:
            if kind == DECLARE:
                yield key, objs[v]

    # ------------------------------------------------------------ making objects

    def _scope(self, i: int) -> Scope:
        """A scope's object; its symbols, owner and children come with ``_make_all``."""
        scope = self._scope_objs[i]
        if scope is None:
            kind, start, end, parent, isolated = self.template.scopes[i]
            scope = Scope(kind, start + self.base, end + self.base,
                          self.root if parent == ROOT else self._scope(parent))
            if isolated is not None:
                scope.isolated = set(isolated)
            self._scope_objs[i] = scope
        return scope

    def _symbol(self, i: int) -> Symbol:
        symbol = self._symbol_objs[i]
        if symbol is None:
            (name, kind, start, end, ds, de, si, type_text, result_text, doc, reads,
             writes, visible_from, shared) = self.template.symbols[i]
            base = self.base
            symbol = Symbol(name, kind, start + base, end + base, ds + base, de + base,
                            self.root if si == ROOT else self._scope(si), type_text, [],
                            result_text, doc, reads, writes,
                            visible_from + base if visible_from else 0)
            symbol.shared = shared
            self._symbol_objs[i] = symbol
        return symbol

    def make_scopes(self) -> None:
        """Make the item's scopes and symbols (not yet its references, which need
        ``bind``): what reading a type's members from its scope needs."""
        if self._scoped:
            return
        with _MAKING:
            if self._scoped:
                return
            t = self.template
            scopes = [self._scope(i) for i in range(len(t.scopes))]
            tops = []
            for scope, (_, _, _, parent, _) in zip(scopes, t.scopes, strict=True):
                if parent == ROOT:
                    tops.append(scope)
                else:
                    scopes[parent].children.append(scope)
            declared = set(t.declared)
            symbols = [self._symbol(i) for i in range(len(t.symbols))]
            for i, (symbol, params) in enumerate(zip(symbols, t.symbol_params, strict=True)):
                if params and i not in declared:
                    symbol.params.extend(symbols[p] for p in params)
            _fill_scopes(scopes, symbols, t)
            self.duplicates = [(symbols[a], symbols[b]) for a, b in t.duplicates]
            self._symbols = symbols
            if tops:  # a new list: a reader may be walking the old one on another thread
                self.root.children = sorted([*self.root.children, *tops],
                                            key=lambda scope: scope.start)
            self._scoped = True

    def _make_all(self) -> None:
        if self._complete:
            return
        self.make_scopes()
        with _MAKING:
            if self._complete:
                return
            t = self.template
            self._calls = [CallSite(self._reference(ri), args, s + self.base, e + self.base,
                                    a_s + self.base, a_e + self.base,
                                    [(a + self.base, b + self.base) for a, b in ranges])
                           for ri, args, s, e, a_s, a_e, ranges in t.calls]
            self._calls.extend(self._more_calls)
            self._references = [self._reference(i) for i in range(len(t.references))]
            self._complete = True

    def _reference(self, i: int) -> Reference:
        if self._made is None:
            self._made = [None] * len(self.template.references)
        ref = self._made[i]
        if ref is None:
            name, start, end, is_write, is_type, si, target, slot = self.template.references[i]
            base = self.base
            ref = Reference(name, start + base, end + base,
                            self._symbol(target) if target != NONE else
                            self._targets[slot] if slot != NONE else None,
                            self._builtins[slot] if slot != NONE else None, is_write, is_type,
                            self.root if si == ROOT else self._scope(si))
            self._made[i] = ref
        return ref

    def heading_scopes(self, wanted: set[str], key: Callable[[str], str]
                       ) -> list[tuple[Scope, str, int]]:
        """The item's routine headings whose names ``key`` to one of ``wanted``, as
        (scope, name, start): their scopes made, with their parameters."""
        found = [(i, name, start) for i, name, start in self.template.heading_names
                 if key(name) in wanted]
        if not found:
            return []
        self.make_scopes()
        return [(self._scope(i), name, start + self.base) for i, name, start in found]

    def symbols(self) -> list[Symbol]:
        self._make_all()
        return self._symbols

    def references(self) -> list[Reference]:
        self._make_all()
        return self._references

    def calls(self) -> list[CallSite]:
        self._make_all()
        return self._calls

    def reference(self, i: int) -> Reference:
        """The item's reference of index ``i`` (after ``bind``), made alone."""
        with _MAKING:
            return self._reference(i)

    def add_call(self, site: CallSite) -> None:
        with _MAKING:
            if not self._more_calls:  # the shared empty one
                self._more_calls = []
            self._more_calls.append(site)
            if self._complete:
                self._calls.append(site)

    # ------------------------------------------------------------ binding and answers

    def bind(self, builtin_name: Callable[[str], str | None],
             marks: tuple[str, ...] = (), implicit: Implicit | None = None) -> None:
        n = len(self.template.root_refs)
        if not n:
            return
        references, base = self.template.references, self.base
        targets: list[Symbol | None] = [None] * n
        builtins: list[str | None] = [None] * n
        self._targets, self._builtins = targets, builtins
        for slot, (ri, key, is_write, is_type, name, count) in \
                enumerate(self.template.root_refs):
            symbol = self._root_answer(key, references[ri][1] + base, marks,
                                       None if is_type else implicit)
            if is_type and (symbol is None or symbol.kind != SymbolKind.TYPE):
                # a type of a variable's name (``structure.type_names: separate``)
                symbol = self._root_answer(type_key(key), references[ri][1] + base, ()) \
                    or symbol
            if symbol is not None and is_type and symbol.kind not in TYPE_TARGETS:
                symbol = None
            targets[slot] = symbol
            if symbol is not None:
                if is_write:
                    symbol.writes += count
                else:
                    symbol.reads += count
            elif not is_type:
                builtins[slot] = builtin_name(name)

    def _root_answer(self, key: str, at: int, marks: tuple[str, ...],
                     implicit: Implicit | None = None) -> Symbol | None:
        """The file scope's declaration of a slot's ``key`` at ``at`` (a slot's references
        answer alike); past an ``isolated`` scope, a variable not ``shared`` is not seen."""
        past = key[:1] == PAST_ISOLATED
        if past:
            key = key[1:]
        if key[:1] == HOISTED:
            key, at = key[1:], 0
        symbol = self.root.symbols.get(key)
        if symbol is not None and symbol.visible_from:
            symbol = visible_at(symbol, at)
        if symbol is None and marks:  # s$ for s declared AS STRING
            symbol = lookup_in(self.root, key, at, other_spellings(key, marks),
                               implicit_twin(key, marks, implicit))
        return None if past and symbol is not None and hidden(symbol) else symbol

    def unbound(self, types: bool = True) -> Iterator[Reference]:
        targets = self._targets
        for i, slot, is_type in self.template.unbound_candidates:
            if (slot == NONE or targets[slot] is None) and (types or not is_type):
                self._make_all()
                yield self._reference(i)

    def undefined(self) -> Iterator[Span]:
        """Per slot, not per reference: a segment of a script has thousands of references
        to a few globals, and almost every slot is bound."""
        targets, builtins, base = self._targets, self._builtins, self.base
        t = self.template
        found: list[int] = []
        for slot, refs in enumerate(t.slot_refs):
            if targets[slot] is None and builtins[slot] is None and not t.root_refs[slot][3]:
                found.extend(refs)
        references = t.references
        for i in sorted(found):  # in reference order, as a walk finds them
            name, start, end = references[i][:3]
            yield name, start + base, end + base

    def undefined_types(self) -> Iterator[Span]:
        """Type names the file scope does not declare, per slot as ``undefined``."""
        targets, base = self._targets, self.base
        t = self.template
        found = [i for slot, refs in enumerate(t.slot_refs)
                 if targets[slot] is None and t.root_refs[slot][3] for i in refs]
        references = t.references
        for i in sorted(found):
            name, start, end = references[i][:3]
            yield name, start + base, end + base

    def unused(self) -> Iterator[Span]:
        for s in self.declared:
            if s.reads == 0 and s.kind in UNUSED_KINDS:
                yield s.name, s.start, s.end
        base = self.base
        for name, start, end in self.template.unused_locals:
            yield name, start + base, end + base

    def call_facts(self) -> Iterator[CallFacts]:
        t, base = self.template, self.base
        for ri, args, _, _, a_s, a_e, _ in t.calls:
            name, _, _, _, _, _, target, slot = t.references[ri]
            if target != NONE:
                callee = t.symbols[target]
                yield (None, callee[1], callee[0], len(t.symbol_params[target]), args,
                       a_s + base, a_e + base)
                continue
            symbol = self._targets[slot] if slot != NONE else None
            builtin = self._builtins[slot] if slot != NONE else None
            yield (builtin, symbol.kind if symbol is not None else None,
                   symbol.name if symbol is not None else name,
                   len(symbol.params) if symbol is not None else 0, args, a_s + base,
                   a_e + base)
        for site in self._more_calls:
            method = site.callee.symbol
            if method is not None:
                yield (None, method.kind, method.name, len(method.params), site.args,
                       site.args_start, site.args_end)

    def used_outside(self) -> Iterator[Symbol]:
        yield from self.targets_outside(range(len(self._targets)), self.start, self.end)

    def targets_outside(self, slots: Iterable[int], start: int, end: int
                        ) -> Iterator[Symbol]:
        """The file-scope declarations outside ``start``-``end`` that ``slots`` are bound
        to (after ``bind``)."""
        targets = self._targets
        for slot in slots:
            symbol = targets[slot]
            if symbol is not None and not start <= symbol.start < end:
                yield symbol


def template_of(scopes: list[tuple[str, int, int, int, frozenset[str] | None]],
                scope_owners: list[int],
                scope_symbols: list[list[tuple[str, int]]], symbols: list[tuple[Any, ...]],
                symbol_params: list[list[int]],
                references: list[tuple[str, int, int, bool, bool, int, int, int]],
                root_keys: list[tuple[int, str]],
                calls: list[tuple[int, int, int, int, int, int, list[tuple[int, int]]]],
                duplicates: list[tuple[int, int]], events: list[tuple[str, str, Any]],
                parts: list[tuple[int, int, list[int]]] | None = None,
                self_positional: bool | None = None) -> Template:
    """A template from its tables; ``root_keys``: the references the file scope answers
    (index, key), whose slots (the last field of ``references``) are numbered here."""
    root_refs, slot_refs = _slots(references, root_keys, _positional(events, symbols))
    if self_positional is None:
        self_positional = _self_positional(events, symbols)
    return Template(scopes, scope_owners, scope_symbols, symbols, symbol_params, references,
                    root_refs, slot_refs,
                    [(i, r[7], r[4]) for i, r in enumerate(references) if r[6] == NONE],
                    calls, duplicates, events, _checks(events, symbols), self_positional,
                    parts)


def _positional(events: list[tuple[str, str, Any]], symbols: list[tuple[Any, ...]]
                ) -> dict[str, list[int]]:
    """Per key, where the file-scope declarations visible from a point become visible
    (relative, in order)."""
    out: dict[str, list[int]] = {}
    for kind, key, value in events:
        if kind == DECLARE and symbols[value][12]:
            out.setdefault(key, []).append(symbols[value][12])
    for positions in out.values():
        positions.sort()
    return out


def _slots(references: list[tuple[str, int, int, bool, bool, int, int, int]],
           root_keys: list[tuple[int, str]], positional: dict[str, list[int]]
           ) -> tuple[list[tuple[int, str, bool, bool, str, int]], list[list[int]]]:
    """One slot per group of references the file scope answers alike: same key, name,
    write and type flags, and no declaration of the key by these items becoming visible
    between them. (Declarations of other items become visible outside these items'
    range, and a chain of declarations answers by position monotonically, so the first
    reference of a slot answers for all: ``ReplayedItem.bind``.)"""
    slots: dict[tuple[str, bool, bool, str, int], int] = {}
    slot_refs: list[list[int]] = []
    for i, key in root_keys:
        name, start, _, is_write, is_type, scope, target, _ = references[i]
        since = bisect.bisect_right(positional[key], start) if key in positional else 0
        slot = slots.setdefault((key, is_write, is_type, name, since), len(slots))
        if slot == len(slot_refs):
            slot_refs.append([])
        slot_refs[slot].append(i)
        references[i] = (name, start, references[i][2], is_write, is_type, scope, target, slot)
    root_refs = [(slot_refs[slot][0], key, is_write, is_type, name, len(slot_refs[slot]))
                 for (key, is_write, is_type, name, _), slot in slots.items()]
    return root_refs, slot_refs


def _self_positional(events: list[tuple[str, str, Any]], symbols: list[tuple[Any, ...]]
                     ) -> bool:
    """Does the item look up a name after declaring it visible from a point?"""
    positional: set[str] = set()
    for kind, key, value in events:
        if kind == DECLARE:
            if symbols[value][12]:
                positional.add(key)
        elif key in positional:
            return True
    return False


def _checks(events: list[tuple[str, str, Any]], symbols: list[tuple[Any, ...]]
            ) -> list[tuple[str, str, Any]]:
    """The events ``answers_match`` must check. A key's answer changes only at its first
    declaration and at each one visible from a point (later hoisted ones find it
    declared), so a lookup that repeats an earlier one of the same key with the same
    expected answer and no such declaration between them checks nothing new."""
    out: list[tuple[str, str, Any]] = []
    changes: dict[str, int] = {}
    seen: set[tuple[str, Any, int]] = set()
    for event in events:
        kind, key, value = event
        if kind == DECLARE:
            if key not in changes or symbols[value][12]:
                changes[key] = changes.get(key, 0) + 1
                out.append(event)
            continue
        mark = (key, value, changes.get(key, 0))
        if mark not in seen:
            seen.add(mark)
            out.append(event)
    return out


def _file_answer(kind: str, root: Scope, key: str) -> str | bool | None:
    """What the file scope answers a walk's check of ``key`` now (``answers_match``)."""
    head = root.symbols.get(key)
    if kind == MARKED:
        return head is not None and spelled_alike(head.kind, head.type_text)
    if kind == HOISTED_LOOKUP:
        head = visible_at(head, 0)
    if head is None or kind == HIDDEN and hidden(head):
        return None
    return head.kind


def _bind_locally(ref: Reference, root: Scope, fold: bool, marks: tuple[str, ...] = (),
                  implicit: Implicit | None = None) -> Symbol | bool | None:
    """The declaration ``ref`` binds to inside the item's own scopes; None when the file
    scope must answer; False when it is bound to nothing (a type name that an inner
    non-type declaration hides). With ``marks``, each scope answers as ``lookup_in``."""
    key = reference_key(ref, fold)
    others = other_spellings(key, marks)
    twin = None if ref.label or ref.is_type else implicit_twin(key, marks, implicit)
    scope = ref.scope
    hide = False
    while scope is not None and scope is not root:
        symbol = lookup_in(scope, key, ref.start, others, twin)
        if symbol is not None and not (hide and hidden(symbol)):
            if ref.is_type and symbol.kind not in TYPE_TARGETS:
                return False
            return symbol
        if scope.isolated is not None and key not in scope.isolated:
            hide = True
        scope = scope.parent
    return None


def _fill_scopes(scopes: list[Scope], symbols: list[Symbol], template: Template) -> None:
    """The owners and declarations of an item's replayed scopes."""
    for scope, owner, entries in zip(scopes, template.scope_owners, template.scope_symbols,
                                     strict=True):
        if owner != ROOT:
            scope.owner = symbols[owner]
        for key, i in entries:  # in declaration order: the same chains again
            scope.add(key, symbols[i])


def _declared_in(scope: Scope, symbol_index: dict[int, int], fold: bool,
                 labels: bool = False) -> list[tuple[str, int]]:
    """A scope's declarations (key, symbol index) in the order they were made, so that
    ``Scope.add`` links the same chains again (``labels``: a label's key is
    ``label_key``)."""
    entries = [(label_key(key) if labels and s.kind == SymbolKind.LABEL else key,
                symbol_index[id(s)])
               for s in scope.declared() for key in (s.name.lower() if fold else s.name,)]
    return sorted(entries, key=lambda entry: entry[1])


class _Anchor:
    """Weakly referenced in place of a green node (``GreenNode.anchor``): a node
    compiled by mypyc cannot be weakly referenced, and only the node holds this."""

    __slots__ = ("__weakref__",)


class LinkedCache(Protocol):
    """A cache of what is made from templates, bounded by the template cache's size."""

    def clear(self) -> None: ...
    def resize_for(self, templates: int) -> None: ...


class TemplateCache:
    """Bounded and thread-safe (analyses run on worker threads). Keyed by the identity
    of the green node (of its anchor): green nodes are immutable and shared between
    snapshots. Entries hold the node's anchor weakly and leave with the node: an edited
    item's old node must not be kept alive by its template (under a load test that was
    most of the server's growth)."""

    def __init__(self, maxsize: int = 50_000) -> None:  # the ast_cache_size default
        # An OrderedDict used as an LRU rather than cachetools' LRUCache: every keystroke
        # looks up every top-level item of the file, and LRUCache's pure-Python get
        # (contains, getitem, link update) cost ~2 us per lookup against ~0.3 here.
        self.maxsize = maxsize
        self._entries: OrderedDict[int, tuple[weakref.ref[_Anchor], LanguageDefinition,
                                              Template]] = OrderedDict()
        # re-entrant: a node can die (and its entry leave) while an entry is being added
        self._lock = threading.RLock()
        self.hits = 0
        self.misses = 0
        # caches made of these templates (``segments.SegmentCache``): cleared and
        # resized with this one
        self.linked: list[LinkedCache] = []

    def link(self, cache: LinkedCache) -> None:
        self.linked.append(cache)
        cache.resize_for(self.maxsize)

    def get(self, green: GreenNode, definition: LanguageDefinition) -> Template | None:
        anchor = green.anchor
        if anchor is None:
            return None
        key = id(anchor)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is None or entry[0]() is not anchor or entry[1] is not definition:
            return None
        return entry[2]

    def put(self, green: GreenNode, definition: LanguageDefinition, template: Template) -> None:
        if not self.maxsize:
            return
        with self._lock:
            anchor = green.anchor
            if not isinstance(anchor, _Anchor):
                anchor = _Anchor()
                green.anchor = anchor
            key = id(anchor)
            ref = weakref.ref(anchor, lambda dead: self._forget(key, dead))
            self._entries[key] = (ref, definition, template)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def _forget(self, key: int, dead: weakref.ref[_Anchor]) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is dead:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        for cache in self.linked:
            cache.clear()

    @property
    def recording(self) -> bool:
        """Are templates kept? Size 0 keeps none: a one-shot check (``craftls check``)
        sees each item once, and recording a template costs about a sixth of a walk."""
        return self.maxsize > 0

    def resize(self, maxsize: int) -> None:
        with self._lock:
            self.maxsize = max(0, maxsize)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        for cache in self.linked:
            cache.resize_for(self.maxsize)

    def stats(self) -> dict[str, int]:
        return {"size": len(self._entries), "maxsize": self.maxsize,
                "hits": self.hits, "misses": self.misses}


ITEM_WALKS = TemplateCache()
