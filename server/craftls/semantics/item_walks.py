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

import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from ..language.model import LanguageDefinition
from ..syntax.tree import GreenNode
from .model import ItemNames, Reference, Scope, Symbol, SymbolKind

DECLARE, LOOKUP = "declare", "lookup"
ROOT = -1  # the index that stands for the file scope
NONE = -1  # no symbol inside the item / no slot among the references bound at the file scope
RootEvent = tuple[str, str, Any]  # (DECLARE, key, symbol) | (LOOKUP, key, kind or None)
TYPE_TARGETS = (SymbolKind.TYPE, SymbolKind.MODULE)


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

    scopes: list[tuple[str, int, int, int]]  # kind, start, end, parent index
    scope_owners: list[int]
    scope_symbols: list[list[tuple[str, int]]]
    symbols: list[tuple[Any, ...]]
    symbol_params: list[list[int]]
    # name, start, end, is_write, is_type, scope, symbol bound inside the item, root slot
    references: list[tuple[str, int, int, bool, bool, int, int, int]]
    root_refs: list[tuple[int, str, bool, bool, str]]  # reference, key, is_write, is_type, name
    unbound_candidates: list[tuple[int, int, bool]]  # not bound inside: reference, slot, is_type
    calls: list[tuple[int, int, int, int, int, int, list[tuple[int, int]]]]
    duplicates: list[tuple[int, int]]
    root_events: list[tuple[str, str, Any]]  # DECLARE events hold a symbol index

    @classmethod
    def from_walk(cls, walk: ItemWalk, base: int, root: Scope, fold: bool) -> Template:
        scope_index = {id(s): i for i, s in enumerate(walk.scopes)}
        symbol_index = {id(s): i for i, s in enumerate(walk.symbols)}
        ref_index = {id(r): i for i, r in enumerate(walk.references)}

        def scope_of(scope: Scope | None) -> int:
            return ROOT if scope is None or scope is root else scope_index[id(scope)]

        reads = [s.reads for s in walk.symbols]
        writes = [s.writes for s in walk.symbols]
        references = []
        root_refs: list[tuple[int, str, bool, bool, str]] = []
        for i, r in enumerate(walk.references):
            bound = _bind_locally(r, root, fold)
            key = r.name.lower() if fold else r.name
            target = symbol_index[id(bound)] if isinstance(bound, Symbol) else NONE
            slot = NONE
            if target != NONE:
                if r.is_write:
                    writes[target] += 1
                else:
                    reads[target] += 1
            elif bound is None:  # bound at the file scope, by ``ReplayedItem.bind``
                slot = len(root_refs)
                root_refs.append((i, key, r.is_write, r.is_type, r.name))
            references.append((r.name, r.start - base, r.end - base, r.is_write, r.is_type,
                               scope_of(r.scope), target, slot))
        return cls(
            [(s.kind, s.start - base, s.end - base, scope_of(s.parent)) for s in walk.scopes],
            [symbol_index[id(s.owner)] if s.owner is not None else ROOT for s in walk.scopes],
            [[(k, symbol_index[id(v)]) for k, v in s.symbols.items()] for s in walk.scopes],
            [(s.name, s.kind, s.start - base, s.end - base, s.decl_start - base,
              s.decl_end - base, scope_of(s.scope), s.type_text, s.result_text, s.doc,
              reads[i], writes[i]) for i, s in enumerate(walk.symbols)],
            [[symbol_index[id(p)] for p in s.params] for s in walk.symbols],
            references,
            root_refs,
            [(i, r[7], r[4]) for i, r in enumerate(references) if r[6] == NONE],
            [(ref_index[id(c.callee)], c.args, c.start - base, c.end - base,
              c.args_start - base, c.args_end - base,
              [(a - base, b - base) for a, b in c.arg_ranges]) for c in walk.calls],
            [(symbol_index[id(a)], symbol_index[id(b)]) for a, b in walk.duplicates],
            [(kind, key, symbol_index[id(v)] if kind == DECLARE else v)
             for kind, key, v in walk.root_events])

    def answers_match(self, root: Scope) -> bool:
        """Would the file scope, as it is now, answer the walk's lookups as it did?"""
        declared: dict[str, str] = {}
        for kind, key, value in self.root_events:
            if kind == DECLARE:
                if key not in declared and key not in root.symbols:
                    declared[key] = self.symbols[value][1]
                continue
            found = declared.get(key)
            if found is None:
                symbol = root.symbols.get(key)
                found = symbol.kind if symbol is not None else None
            if found != value:
                return False
        return True

    def instantiate(self, base: int, end: int, root: Scope, call_site: Any) -> ReplayedItem:
        """Fresh objects at ``base`` (nothing is shared with earlier snapshots: binding
        mutates symbols and references). References are made when first asked for."""
        scopes: list[Scope] = []
        for kind, start, stop, parent_index in self.scopes:
            parent = root if parent_index == ROOT else scopes[parent_index]
            scope = Scope(kind, start + base, stop + base, parent)
            parent.children.append(scope)
            scopes.append(scope)
        symbols = [Symbol(name, kind, start + base, stop + base, ds + base, de + base,
                          root if si == ROOT else scopes[si], type_text, [], result_text,
                          doc, reads, writes)
                   for (name, kind, start, stop, ds, de, si, type_text, result_text, doc,
                        reads, writes) in self.symbols]
        for symbol, params in zip(symbols, self.symbol_params, strict=True):
            if params:
                symbol.params.extend(symbols[i] for i in params)
        for scope, owner, entries in zip(scopes, self.scope_owners,
                                             self.scope_symbols, strict=True):
            if owner != ROOT:
                scope.owner = symbols[owner]
            scope.symbols = {key: symbols[i] for key, i in entries}
        item = ReplayedItem(self, base, end, root, scopes, symbols)
        item.calls = [call_site(item.reference(ri), args, s + base, e + base, a_s + base,
                                a_e + base, [(a + base, b + base) for a, b in ranges])
                      for ri, args, s, e, a_s, a_e, ranges in self.calls]
        item.duplicates = [(symbols[a], symbols[b]) for a, b in self.duplicates]
        item.root_events = [(kind, key, symbols[v] if kind == DECLARE else v)
                            for kind, key, v in self.root_events]
        return item


# References of replayed items are made lazily, possibly by two threads at once (a
# request and the diagnostics run): one lock keeps each reference a single object.
_MAKING = threading.Lock()


class ReplayedItem(ItemNames):
    """An item's names made again from its template at ``base``: scopes and symbols now,
    references when first asked for. ``bind`` answers the references the item's own
    scopes could not, against the file scope."""

    __slots__ = ("template", "base", "root", "scopes", "calls", "duplicates", "root_events",
                 "_made", "_targets", "_builtins")

    def __init__(self, template: Template, base: int, end: int, root: Scope,
                 scopes: list[Scope], symbols: list[Symbol]) -> None:
        super().__init__(base, end, symbols, None)
        self.template = template
        self.base = base
        self.root = root
        self.scopes = scopes
        self.calls: list[Any] = []
        self.duplicates: list[tuple[Symbol, Symbol]] = []
        self.root_events: list[RootEvent] = []
        self._made: list[Reference | None] = [None] * len(template.references)
        n = len(template.root_refs)
        self._targets: list[Symbol | None] = [None] * n
        self._builtins: list[str | None] = [None] * n

    def bind(self, builtin_name: Callable[[str], str | None]) -> None:
        symbols = self.root.symbols
        targets, builtins, made = self._targets, self._builtins, self._made
        for slot, (ref_index, key, is_write, is_type, name) in enumerate(
                self.template.root_refs):
            symbol = symbols.get(key)
            if symbol is not None and is_type and symbol.kind not in TYPE_TARGETS:
                symbol = None
            targets[slot] = symbol
            if symbol is not None:
                if is_write:
                    symbol.writes += 1
                else:
                    symbol.reads += 1
            elif not is_type:
                builtins[slot] = builtin_name(name)
            ref = made[ref_index]
            if ref is not None:
                ref.symbol, ref.builtin = symbol, builtins[slot]

    def reference(self, i: int) -> Reference:
        ref = self._made[i]
        if ref is None:
            with _MAKING:
                ref = self._made[i]
                if ref is None:
                    ref = self._made[i] = self._make(i)
        return ref

    def _make(self, i: int) -> Reference:
        name, start, end, is_write, is_type, si, target, slot = self.template.references[i]
        base = self.base
        symbol = self.symbols[target] if target != NONE else \
            self._targets[slot] if slot != NONE else None
        builtin = self._builtins[slot] if slot != NONE else None
        return Reference(name, start + base, end + base, symbol, builtin, is_write, is_type,
                         self.root if si == ROOT else self.scopes[si])

    def references(self) -> list[Reference]:
        if self._references is None:
            made = [self.reference(i) for i in range(len(self._made))]
            self._references = made
        return self._references

    def unbound(self, types: bool = True) -> Iterator[Reference]:
        targets = self._targets
        for i, slot, is_type in self.template.unbound_candidates:
            if (slot == NONE or targets[slot] is None) and (types or not is_type):
                yield self.reference(i)

    def used_outside(self) -> Iterator[Symbol]:
        start, end = self.start, self.end
        for symbol in self._targets:
            if symbol is not None and not start <= symbol.start < end:
                yield symbol


def _bind_locally(ref: Reference, root: Scope, fold: bool) -> Symbol | bool | None:
    """The declaration ``ref`` binds to inside the item's own scopes; None when the file
    scope must answer; False when it is bound to nothing (a type name that an inner
    non-type declaration hides)."""
    key = ref.name.lower() if fold else ref.name
    scope = ref.scope
    while scope is not None and scope is not root:
        symbol = scope.symbols.get(key)
        if symbol is not None:
            if ref.is_type and symbol.kind not in TYPE_TARGETS:
                return False
            return symbol
        scope = scope.parent
    return None


class TemplateCache:
    """Bounded and thread-safe (analyses run on worker threads). Keyed by the identity
    of the green node: green nodes are immutable and shared between snapshots. Entries
    hold the node weakly and leave with it: an edited item's old node must not be kept
    alive by its template (under a load test that was most of the server's growth)."""

    def __init__(self, maxsize: int = 10_000) -> None:  # the ast_cache_size default
        self._entries: LRUCache[int, tuple[weakref.ref[GreenNode], LanguageDefinition,
                                           Template]] = LRUCache(maxsize=maxsize)
        # re-entrant: a node can die (and its entry leave) while an entry is being added
        self._lock = threading.RLock()
        self.hits = 0
        self.misses = 0

    def get(self, green: GreenNode, definition: LanguageDefinition) -> Template | None:
        with self._lock:
            entry = self._entries.get(id(green))
        if entry is None or entry[0]() is not green or entry[1] is not definition:
            return None
        return entry[2]

    def put(self, green: GreenNode, definition: LanguageDefinition, template: Template) -> None:
        key = id(green)
        ref = weakref.ref(green, lambda dead: self._forget(key, dead))
        with self._lock:
            self._entries[key] = (ref, definition, template)

    def _forget(self, key: int, dead: weakref.ref[GreenNode]) -> None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is dead:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def resize(self, maxsize: int) -> None:
        if maxsize != self._entries.maxsize:
            with self._lock:
                self._entries = LRUCache(maxsize=max(1, maxsize))

    def stats(self) -> dict[str, int]:
        return {"size": len(self._entries), "maxsize": int(self._entries.maxsize),
                "hits": self.hits, "misses": self.misses}


ITEM_WALKS = TemplateCache()
