"""Scopes, symbols and references: the semantic model of one file."""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar

from mypy_extensions import mypyc_attr

T = TypeVar("T")


class SymbolKind:
    PROGRAM: Final = "program"
    CONSTANT: Final = "constant"
    VARIABLE: Final = "variable"
    TYPE: Final = "type"
    FUNCTION: Final = "function"
    PROCEDURE: Final = "procedure"
    PARAMETER: Final = "parameter"
    LOOP_VARIABLE: Final = "loop variable"
    FIELD: Final = "field"
    MODULE: Final = "module"
    LABEL: Final = "label"  # a jump target (GOTO, GOSUB), declared by a grammar


ROUTINE_KINDS = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)

# Links that point back up the model (a symbol to its scope, a scope to its parent) are
# weak, so a model has no reference cycles: a replaced snapshot's model is freed by
# reference counting at once instead of piling up for the cyclic garbage collector,
# whose passes over a few hundred thousand dead objects stalled typing for ~0.5 s.
# Everything stays reachable top-down from ``SemanticModel`` while anyone holds it.


def _weak(scope: Scope | None) -> Callable[[], Scope | None]:
    return _NO_SCOPE if scope is None else weakref.ref(scope)


def _no_scope() -> None:
    return None


_NO_SCOPE = _no_scope


def _alive(ref: Callable[[], Scope | None]) -> Scope:
    scope = ref()
    if scope is None:
        raise LookupError("this symbol's semantic model is gone (hold the analysis, "
                          "not only its symbols)")
    return scope


class Symbol:
    __slots__ = ("name", "kind", "start", "end", "decl_start", "decl_end", "_scope",
                 "type_text", "params", "result_text", "doc", "reads", "writes",
                 "visible_from", "shadowed", "shared")

    def __init__(self, name: str, kind: str, start: int, end: int, decl_start: int,
                 decl_end: int, scope: Scope, type_text: str | None = None,
                 params: list[Symbol] | None = None, result_text: str | None = None,
                 doc: str = "", reads: int = 0, writes: int = 0,
                 visible_from: int = 0) -> None:
        self.name = name
        self.kind = kind
        self.start = start  # the name's range
        self.end = end
        self.decl_start = decl_start  # the declaring node's range
        self.decl_end = decl_end
        self._scope = _weak(scope)
        self.type_text = type_text
        self.params: list[Symbol] = [] if params is None else params
        self.result_text = result_text
        self.doc = doc
        self.reads = reads
        self.writes = writes
        # 0: visible in its whole scope (hoisted); else the offset it is visible from
        # (Lua's `local x` after its statement). A later declaration of the same name in
        # the same scope hides this one from its own ``visible_from`` on: ``shadowed``
        # links the scope's declarations of one name, latest visibility first.
        self.visible_from = visible_from
        self.shadowed: Symbol | None = None
        # declared inside a grammar's ``shared`` node (QBasic's DIM SHARED): a variable an
        # ``isolated`` scope inside its own sees (``hidden``)
        self.shared = False

    @property
    def implicit(self) -> bool:
        """Declared without a name in the text (``self`` of a ``function t:m()``)."""
        return self.end == self.start

    @property
    def scope(self) -> Scope:
        return _alive(self._scope)

    def parameter_labels(self) -> list[str]:
        """Each parameter as a signature writes it (``x: INTEGER``, or ``x``)."""
        return [p.name + (f": {p.type_text}" if p.type_text else "") for p in self.params]

    def signature(self) -> str:
        if self.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
            params = ", ".join(self.parameter_labels())
            result = f": {self.result_text}" if self.result_text else ""
            return f"{self.kind} {self.name}({params}){result}"
        typ = f": {self.type_text}" if self.type_text else ""
        return f"{self.kind} {self.name}{typ}"

    def __repr__(self) -> str:
        return f"Symbol({self.kind} {self.name}@{self.start})"


@mypyc_attr(native_class=False)  # compiled (setup.py), but weakly referenced (``_weak``)
class Scope:
    __slots__ = ("kind", "start", "end", "_parent", "owner", "symbols", "children",
                 "open_ended", "isolated", "__weakref__")

    def __init__(self, kind: str, start: int, end: int, parent: Scope | None,
                 owner: Symbol | None = None) -> None:
        self.kind = kind  # file | function | loop
        self.start = start
        self.end = end
        self._parent = _weak(parent)
        self.owner = owner
        self.symbols: dict[str, Symbol] = {}
        self.children: list[Scope] = []
        # the members of a type declared elsewhere (``with r do`` on a record of another
        # unit): names not all known, so a name found nowhere may be one of them
        self.open_ended = False
        # a grammar's ``isolated`` scope (QBasic's SUB): the names of the ``global``
        # assignments made in it (SHARED x), the only variables of the scopes around it
        # it sees besides the ``shared`` ones; None: it sees them all
        self.isolated: set[str] | None = None

    @property
    def parent(self) -> Scope | None:
        return self._parent()

    def __repr__(self) -> str:
        return f"Scope({self.kind} {self.start}-{self.end})"

    def lookup(self, key: str, offset: int | None = None) -> Symbol | None:
        """The declaration ``key`` names here; at ``offset``, only one visible there."""
        scope: Scope | None = self
        hide = False
        while scope is not None:
            symbol = scope.symbols.get(key)
            if symbol is not None and offset is not None:
                symbol = visible_at(symbol, offset)
            if symbol is not None and not (hide and hidden(symbol)):
                return symbol
            if scope.isolated is not None and key not in scope.isolated:
                hide = True
            scope = scope._parent()
        return None

    def add(self, key: str, symbol: Symbol) -> Symbol | None:
        """Declare ``symbol`` here. Declarations visible from a point (``visible_from``)
        chain with the others of their name, latest visibility first; of two hoisted
        ones the first stays, and it is returned (a duplicate)."""
        head = self.symbols.get(key)
        if head is None:
            self.symbols[key] = symbol
            return None
        if not symbol.visible_from:
            bottom = head
            while bottom.shadowed is not None:
                bottom = bottom.shadowed
            if not bottom.visible_from:
                return bottom
            bottom.shadowed = symbol
            return None
        if head.visible_from <= symbol.visible_from:
            symbol.shadowed = head
            self.symbols[key] = symbol
            return None
        above = head
        while above.shadowed is not None and above.shadowed.visible_from > symbol.visible_from:
            above = above.shadowed
        symbol.shadowed, above.shadowed = above.shadowed, symbol
        return None

    def declared(self) -> Iterator[Symbol]:
        """Every declaration of this scope, the shadowed ones included."""
        for head in self.symbols.values():
            symbol: Symbol | None = head
            while symbol is not None:
                yield symbol
                symbol = symbol.shadowed

    def chain(self) -> list[Scope]:
        scopes = []
        scope: Scope | None = self
        while scope is not None:
            scopes.append(scope)
            scope = scope._parent()
        return scopes


def label_key(key: str) -> str:
    """Where labels are names of their own (``structure.labels: separate``), the key a
    label is declared and looked up by: no other name's key ends in a colon."""
    return key + ":"


def type_key(key: str) -> str:
    """Where types are names of their own (``structure.type_names: separate``), the key a
    type is declared by when a name of another kind has its key in its scope: no other
    name's key ends in a space."""
    return key + " "


def separated(scope: Scope, key: str, symbol: Symbol, previous: Symbol) -> bool:
    """Declare ``symbol`` when ``previous`` holds its key in ``scope`` and one of them is
    a type, the other not: the type moves to ``type_key``. False (a duplicate) when both
    or neither are types, or a type has that key already."""
    is_type = symbol.kind == SymbolKind.TYPE
    if is_type == (previous.kind == SymbolKind.TYPE) or type_key(key) in scope.symbols:
        return False
    if is_type:
        scope.symbols[type_key(key)] = symbol
        return True
    if scope.symbols.get(key) is not previous or previous.shadowed is not None:
        return False
    scope.symbols[key] = symbol
    scope.symbols[type_key(key)] = previous
    return True


def name_key(name: str, fold: bool, escape: str = "") -> str:
    """A name's key: without the prefix that makes a reserved word a name
    (``lexical.name_escape``: Delphi's ``&Type`` is ``Type``), in lower case where the
    language ignores case."""
    if escape and name.startswith(escape):
        name = name[len(escape):]
    return name.lower() if fold else name


def reference_key(ref: Reference, fold: bool) -> str:
    key = ref.name.lower() if fold else ref.name
    return label_key(key) if ref.label else key


# the kinds whose name keeps its meaning without its type mark (a FUNCTION Menu% called
# as Menu); a variable only when declared with a type (DIM s AS STRING read as s$)
TYPE_MARKED_KINDS = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE, SymbolKind.CONSTANT)


def other_spellings(key: str, marks: tuple[str, ...]) -> tuple[str, ...]:
    """The keys ``key`` may also be written as (``structure.type_marks``, longest first):
    without its mark, or, when it has none, with each mark."""
    if not marks or not key:
        return ()
    for mark in marks:
        if key.endswith(mark):  # QB64's a~&& is a without its mark ~&&, not a~& without &
            return (key[:-len(mark)],) if len(key) > len(mark) else ()
    return tuple(key + mark for mark in marks)


def spelled_alike(kind: str, type_text: str | None) -> bool:
    """Is a declaration of this kind and written type named alike with or without a
    type mark?"""
    return kind in TYPE_MARKED_KINDS or bool(type_text)


def lookup_in(scope: Scope, key: str, offset: int | None,
              others: tuple[str, ...], twin: str | None = None) -> Symbol | None:
    """The declaration ``key`` names directly in ``scope`` at ``offset`` (None: any), or
    its ``twin`` (the spelling with or without the mark its first letter gives it:
    ``implicit_types.implicit_twin``), or one of its other spellings
    (``other_spellings``) declared with a fixed type."""
    symbol = scope.symbols.get(key)
    if symbol is not None and offset is not None:
        symbol = visible_at(symbol, offset)
    if symbol is not None:
        return symbol
    if twin is not None:
        symbol = scope.symbols.get(twin)
        if symbol is not None and offset is not None:
            symbol = visible_at(symbol, offset)
        if symbol is not None:
            return symbol
    for other in others:
        symbol = scope.symbols.get(other)
        if symbol is not None and offset is not None:
            symbol = visible_at(symbol, offset)
        if symbol is not None and spelled_alike(symbol.kind, symbol.type_text):
            return symbol
    return None


def lookup_spelled(scope: Scope | None, key: str, offset: int | None,
                   marks: tuple[str, ...], twin: str | None = None) -> Symbol | None:
    """``Scope.lookup`` where a name with or without a type mark is one name: each scope,
    innermost first, answers by ``lookup_in``."""
    others: tuple[str, ...] | None = None  # made when a scope does not know the key itself
    hide = False
    while scope is not None:
        symbol = scope.symbols.get(key)
        if symbol is not None and offset is not None:
            symbol = visible_at(symbol, offset)
        if symbol is not None and not (hide and hidden(symbol)):
            return symbol
        if others is None:
            others = other_spellings(key, marks)
        if others or twin is not None:
            symbol = lookup_in(scope, key, offset, others, twin)
            if symbol is not None and not (hide and hidden(symbol)):
                return symbol
        if scope.isolated is not None and key not in scope.isolated \
                and (twin is None or twin not in scope.isolated):
            hide = True
        scope = scope.parent
    return None


# the kinds of name an ``isolated`` scope does not see in the scopes around it unless
# ``shared`` (QBasic's SUB sees the module's constants, types, routines and labels)
ISOLATED_KINDS = frozenset({SymbolKind.VARIABLE, SymbolKind.LOOP_VARIABLE,
                            SymbolKind.PARAMETER})


def hidden(symbol: Symbol) -> bool:
    """Is ``symbol`` out of sight from inside an ``isolated`` scope around which it is
    declared (a variable, not ``shared``)?"""
    return symbol.kind in ISOLATED_KINDS and not symbol.shared


def hides(scope: Scope | None, key: str, until: Scope | None = None) -> bool:
    """Does a lookup of ``key`` from ``scope`` cross an ``isolated`` scope that does not
    let it through, before reaching ``until`` (None: the outermost scope)?"""
    while scope is not None and scope is not until:
        if scope.isolated is not None and key not in scope.isolated:
            return True
        scope = scope.parent
    return False


def visible_at(symbol: Symbol | None, offset: int) -> Symbol | None:
    """The first of a scope's declarations of one name (``Scope.add``'s chain) that is
    visible at ``offset``."""
    while symbol is not None and symbol.visible_from > offset:
        symbol = symbol.shadowed
    return symbol


class Reference:
    """A use of a name, and the declaration or builtin it is bound to.

    A plain class, not a dataclass: mypyc compiles this module, and a dataclass's
    ``__init__`` is made by ``dataclasses`` at import, so it stays interpreted (one call
    per name of a file: ~10 % of the compiled name walk)."""

    __slots__ = ("name", "start", "end", "symbol", "builtin", "is_write", "is_type", "scope",
                 "maybe_member", "label", "hoisted")

    def __init__(self, name: str, start: int, end: int, symbol: Symbol | None,
                 builtin: str | None = None, is_write: bool = False, is_type: bool = False,
                 scope: Scope | None = None, maybe_member: bool = False,
                 label: bool = False, hoisted: bool = False) -> None:
        self.name = name
        self.start = start
        self.end = end
        self.symbol = symbol
        self.builtin = builtin  # the builtin's name when it refers to one
        self.is_write = is_write
        self.is_type = is_type
        self.scope = scope
        # bound to nothing inside an open-ended scope: maybe a member no one here declares
        self.maybe_member = maybe_member
        # names a label where labels are names of their own (``structure.labels``): it is
        # looked up by ``label_key`` (binding only: a replayed item's slots keep the key)
        self.label = label
        # bound to its scope's declaration visible throughout (hoisted: Lua's global x,
        # for `_G.x`), never to one visible from a point on (a `local x` before it)
        self.hoisted = hoisted

    def __repr__(self) -> str:
        return (f"Reference(name={self.name!r}, start={self.start}, end={self.end}, "
                f"symbol={self.symbol!r}, builtin={self.builtin!r}, is_write={self.is_write}, "
                f"is_type={self.is_type}, scope={self.scope!r}, "
                f"maybe_member={self.maybe_member})")


class CallSite:
    """A call whose callee is a plain name, for argument-count checks."""

    __slots__ = ("callee", "args", "start", "end", "args_start", "args_end", "arg_ranges")

    def __init__(self, callee: Reference, args: int, start: int, end: int, args_start: int,
                 args_end: int, arg_ranges: list[tuple[int, int]]) -> None:
        self.callee = callee
        self.args = args
        self.start = start
        self.end = end
        self.args_start = args_start
        self.args_end = args_end
        self.arg_ranges = arg_ranges


# What an argument-count check needs of a call, without making its objects:
# (builtin name, callee kind, callee name, parameter count, arguments, args start, end)
CallFacts = tuple[str | None, str | None, str, int, int, int, int]
Span = tuple[str, int, int]  # a name and its range
UNUSED_KINDS = (SymbolKind.VARIABLE, SymbolKind.CONSTANT)


@mypyc_attr(allow_interpreted_subclasses=True)  # item_walks.ReplayedItem, interpreted
class ItemNames:
    """The names of one top-level item: its symbols, the references and calls inside it.

    Items are the unit of reuse (see ``item_walks``): a model is a list of them, and the
    lookups below touch only the items they need. This class holds a freshly walked
    item; ``item_walks.ReplayedItem`` makes a reused item's objects on demand."""

    __slots__ = ("start", "end", "_symbols", "_references", "_calls", "_ordered", "_starts",
                 "_by_start", "_symbols_by_start")

    def __init__(self, start: int, end: int, symbols: list[Symbol],
                 references: list[Reference], calls: list[CallSite]) -> None:
        self.start = start
        self.end = end
        self._symbols = symbols
        self._references = references
        self._calls = calls
        self._ordered: list[Reference | Symbol] | None = None
        self._starts: list[int] | None = None
        self._by_start: dict[int, Reference] | None = None
        self._symbols_by_start: dict[int, Symbol] | None = None

    def symbols(self) -> list[Symbol]:
        return self._symbols

    def references(self) -> list[Reference]:
        return self._references

    def calls(self) -> list[CallSite]:
        return self._calls

    def add_call(self, site: CallSite) -> None:
        """A call found after the walk (``grammar_members.bind_member_calls``)."""
        self._calls.append(site)

    def unbound(self, types: bool = True) -> Iterator[Reference]:
        """References bound to nothing (``types``: type names included)."""
        return (r for r in self.references() if r.symbol is None and (types or not r.is_type))

    def undefined(self) -> Iterator[Span]:
        """Value names bound to nothing, not even a builtin."""
        for r in self.unbound(types=False):
            if r.builtin is None and not r.maybe_member:
                yield r.name, r.start, r.end

    def undefined_types(self) -> Iterator[Span]:
        """Type names bound to nothing (builtins are not looked up for them)."""
        for r in self.references():
            if r.symbol is None and r.is_type and not r.maybe_member:
                yield r.name, r.start, r.end

    def unused(self) -> Iterator[Span]:
        """Variables and constants that are never read."""
        for s in self.symbols():
            if s.reads == 0 and s.kind in UNUSED_KINDS:
                yield s.name, s.start, s.end

    def call_facts(self) -> Iterator[CallFacts]:
        for call in self.calls():
            ref, symbol = call.callee, call.callee.symbol
            yield (ref.builtin, symbol.kind if symbol is not None else None,
                   symbol.name if symbol is not None else ref.name,
                   len(symbol.params) if symbol is not None else 0,
                   call.args, call.args_start, call.args_end)

    def used_outside(self) -> Iterator[Symbol]:
        """The declarations outside the item that its references are bound to, in
        reference order (repeats included)."""
        start, end = self.start, self.end
        for ref in self.references():
            symbol = ref.symbol
            if symbol is not None and not start <= symbol.start < end:
                yield symbol

    def at(self, offset: int) -> Reference | Symbol | None:
        if self._ordered is None:
            items: list[Reference | Symbol] = [*self.symbols(), *self.references()]
            items.sort(key=lambda item: item.start)
            self._starts = [item.start for item in items]
            self._ordered = items
        assert self._starts is not None
        i = bisect.bisect_right(self._starts, offset) - 1
        while i >= 0:
            item = self._ordered[i]
            if item.start <= offset <= item.end:
                return item
            if item.end < offset and self._starts[i] < offset - 256:
                return None
            i -= 1
        return None

    def reference_starting_at(self, offset: int) -> Reference | None:
        if self._by_start is None:
            self._by_start = {r.start: r for r in self.references()}
        return self._by_start.get(offset)

    def symbol_starting_at(self, offset: int) -> Symbol | None:
        if self._symbols_by_start is None:
            self._symbols_by_start = {s.start: s for s in self.symbols()}
        return self._symbols_by_start.get(offset)


@mypyc_attr(native_class=False)  # a weak key (completion_names._FILE_NAMES)
class SemanticModel:
    """Everything name resolution found in a file; positions are text offsets.

    Items replayed from earlier snapshots make their objects on demand: the properties
    ``symbols``, ``references`` and ``root_scope`` (with every nested scope) make them
    all, while the lookups by offset make only the items they touch and what a
    keystroke's diagnostics and type check read (``undefined_names``,
    ``unused_names``, ``call_facts``, ``used_outside``, the file scope's own symbols)
    comes from the replay tables. ``file_scope`` is the file scope as it is: its
    ``symbols`` are complete, its ``children`` only the scopes of items made so far."""

    def __init__(self, file_scope: Scope, items: list[ItemNames], fold: bool,
                 escape: str = "") -> None:
        self.file_scope = file_scope
        self.items = items
        self.fold = fold
        self.escape = escape  # ``lexical.name_escape``
        self._item_starts = [item.start for item in items]
        self._symbols: list[Symbol] | None = None
        self._references: list[Reference] | None = None
        # segments whose items were walked or replayed one by one this time: (first
        # item, how many, the segment's merged template), for the type check to keep
        # their results as one (``types.check._Run.check_segment``)
        self.segments: list[tuple[int, int, Any]] = []
        # the file node and its items as ``segments.item_nodes`` listed them (nodes,
        # offsets): the type check's units are the same, and a keystroke lists them once
        self.item_lists: tuple[Any, list[Any], list[int]] | None = None
        # several routines of one name in one scope (overloads): each of them -> all of
        # them in declaration order, and how many of its last parameters have default
        # values; a call means the one its arguments fit (``overload_for``)
        self.overloads: dict[Symbol, list[Symbol]] = {}
        self.optional_params: dict[Symbol, int] = {}
        # a routine defined apart from its declaration (a method body, Pascal's
        # `function TCalc.Twice`, of the routine its type declares): the body's routine ->
        # the declaration, and back (``grammar_members.link_method_bodies``)
        self.declared: dict[Symbol, Symbol] = {}
        self.defined: dict[Symbol, list[Symbol]] = {}
        # the file's marks by first letter (``structure.implicit_types``), as the walk
        # read them: the type check types an unmarked name by them
        self.implicit: tuple[str, dict[str, str]] | None = None

    def declaration_of(self, symbol: Symbol) -> Symbol:
        """The declaration a routine defined apart from it defines (``declared``), else
        ``symbol``: what go to definition and hover show for both."""
        return self.declared.get(symbol, symbol)

    def overload_for(self, symbol: Symbol, args: int, typing: bool = False) -> Symbol:
        """The routine of ``symbol``'s overloads that a call with ``args`` arguments
        means: the first that takes exactly that many, else the first whose default
        values make up the difference; ``typing`` (a call still being written): else
        the first that takes more. ``symbol`` itself when none fits or it has none."""
        group = self.overloads.get(symbol)
        if not group:
            return symbol
        fitting = self.overloads_taking(symbol, args)
        if fitting:
            return next((s for s in fitting if len(s.params) == args), fitting[0])
        if typing:
            return next((s for s in group if len(s.params) > args), symbol)
        return symbol

    def overloads_taking(self, symbol: Symbol, args: int) -> list[Symbol]:
        """``symbol``'s overloads (or ``symbol``) a call with ``args`` arguments fits."""
        group = self.overloads.get(symbol) or [symbol]
        optional = self.optional_params
        return [s for s in group
                if len(s.params) - optional.get(s, 0) <= args <= len(s.params)]

    @property
    def symbols(self) -> list[Symbol]:
        if self._symbols is None:
            self._symbols = [s for item in self.items for s in item.symbols()]
        return self._symbols

    @property
    def references(self) -> list[Reference]:
        if self._references is None:
            self._references = [r for item in self.items for r in item.references()]
        return self._references

    @property
    def root_scope(self) -> Scope:
        """The file scope with every scope of every item under it."""
        self.symbols  # noqa: B018 (makes every item)
        return self.file_scope

    def key(self, name: str) -> str:
        return name_key(name, self.fold, self.escape)

    def items_at(self, offset: int) -> list[ItemNames]:
        """The item that starts at or before ``offset`` and the one before it (an offset
        just past an item's last name belongs to it)."""
        i = bisect.bisect_right(self._item_starts, offset) - 1
        return [self.items[j] for j in (i, i - 1) if j >= 0]

    def items_between(self, start: int, end: int) -> list[ItemNames]:
        lo = max(0, bisect.bisect_right(self._item_starts, start) - 1)
        hi = bisect.bisect_left(self._item_starts, end)
        return [item for item in self.items[lo:hi] if item.end > start or item.start >= start]

    def at(self, offset: int) -> Reference | Symbol | None:
        """The declaration name or reference covering ``offset``."""
        return self._first_at(offset, ItemNames.at)

    def reference_starting_at(self, offset: int) -> Reference | None:
        return self._first_at(offset, ItemNames.reference_starting_at)

    def symbol_starting_at(self, offset: int) -> Symbol | None:
        return self._first_at(offset, ItemNames.symbol_starting_at)

    def starting_at_tables(self) -> tuple[dict[int, Reference], dict[int, Symbol]] | None:
        """The references and the declarations by start, for the whole file, when every
        item was walked (none replayed): what ``reference_starting_at`` and
        ``symbol_starting_at`` answer, one dict look-up each (a whole-file type check
        asks them once per name). None when an item was replayed: these would make
        every replayed item's objects, where a keystroke's check looks at a few."""
        items = self.items
        for item in items:
            if type(item) is not ItemNames:
                return None
        # in the file's order: where two items hold a start (they touch), the later one's
        # wins, as in ``_first_at``
        references = {r.start: r for item in items for r in item.references()}
        symbols = {s.start: s for item in items for s in item.symbols()}
        return references, symbols

    def _first_at(self, offset: int, lookup: Callable[[ItemNames, int], T]) -> T | None:
        """``lookup`` asked of the items at ``offset`` (see ``items_at``), first answer.
        Without ``items_at``'s list: the type check asks this once per name. Items of
        no width at ``offset`` (errors, between the items of a split loop) are passed
        over to the one before them, which may end there; one that does not reach
        ``offset`` is not asked (a replayed item asked makes its objects: a declaration's
        name, where no reference starts, would make the previous item's)."""
        starts, items = self._item_starts, self.items
        i = bisect.bisect_right(starts, offset) - 1
        while i >= 0:
            found = lookup(items[i], offset)
            if found is not None:
                return found
            if starts[i] < offset:
                return lookup(items[i - 1], offset) if i > 0 and items[i - 1].end >= offset \
                    else None
            i -= 1
        return None

    def items_touching(self, start: int, end: int) -> list[ItemNames]:
        """The items that overlap ``[start, end]`` or touch it at either end: where a
        main block's statements are items of their own, a call ``f(a`` cut short by an
        error ends where the next item starts."""
        lo = max(0, bisect.bisect_left(self._item_starts, start) - 1)
        hi = bisect.bisect_right(self._item_starts, end)
        return [item for item in self.items[lo:hi] if item.end >= start]

    def calls_between(self, start: int, end: int) -> list[CallSite]:
        return [c for item in self.items_touching(start, end) for c in item.calls()
                if c.end >= start and c.start <= end]

    def undefined_names(self) -> Iterator[Span]:
        for item in self.items:
            yield from item.undefined()

    def unused_names(self) -> Iterator[Span]:
        for item in self.items:
            yield from item.unused()

    def undefined_type_names(self) -> Iterator[Span]:
        for item in self.items:
            yield from item.undefined_types()

    def call_facts(self) -> Iterator[CallFacts]:
        for item in self.items:
            yield from item.call_facts()

    def symbol_at(self, offset: int) -> Symbol | None:
        item = self.at(offset)
        if isinstance(item, Reference):
            return self.meant(item)
        return item

    def meant(self, ref: Reference) -> Symbol | None:
        """The declaration ``ref`` means: its symbol, or, when it names overloaded
        routines and calls one, the one its call's arguments fit (``overload_for``)."""
        symbol = ref.symbol
        if symbol is None or symbol not in self.overloads:
            return symbol
        for call in self.calls_between(ref.start, ref.end):
            if call.callee.start == ref.start:
                return self.overload_for(symbol, call.args)
        return symbol

    def references_to(self, symbol: Symbol) -> list[Reference]:
        group = self.overloads.get(symbol)
        if group is None:
            return [r for r in self.references if r.symbol is symbol]
        # an overload: the names bound to any of its routines that mean it (``meant``)
        return [r for r in self.references
                if r.symbol is not None and r.symbol in group and self.meant(r) is symbol]

    def scope_at(self, offset: int) -> Scope:
        for item in self.items_at(offset):
            item.symbols()  # makes the item's scopes
        scope = self.file_scope
        while True:
            for child in scope.children:
                if child.start <= offset <= child.end:
                    scope = child
                    break
            else:
                return scope

    def visible_symbols(self, offset: int) -> list[Symbol]:
        """Symbols visible at ``offset``, innermost scope first, shadowed names once."""
        seen: set[str] = set()
        result: list[Symbol] = []
        windows: set[str] | None = None  # inside an ``isolated`` scope: what it lets through
        for scope in self.scope_at(offset).chain():
            for key, head in scope.symbols.items():
                symbol = visible_at(head, offset)
                if symbol is not None and key not in seen and not (
                        windows is not None and key not in windows and hidden(symbol)):
                    seen.add(key)
                    result.append(symbol)
            if scope.isolated is not None:
                windows = scope.isolated if windows is None else windows & scope.isolated
        return result
