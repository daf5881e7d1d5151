"""Type checking a file: split it into units, infer each (or reuse the cache),
and answer questions about the result (diagnostics, hover, inlay hints,
completion, quick fixes). Plain dataclasses only: no LSP types here."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ..language.model import LanguageDefinition
from ..semantics.item_walks import ReplayedItem, Splits, splits_of
from ..semantics.model import Reference, SemanticModel, Symbol, SymbolKind
from ..semantics.segments import item_node, item_nodes, part_count, used_outside_part
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tree import GreenNode
from .infer import ByStart, Export, Inferencer, UnitContext, UnitResult
from .model import ANY, Member, RecordType, Type, strip
from .names import TypeNames, protocol_type
from .protocols import protocol_stub_parts

if TYPE_CHECKING:
    from . import TypeChecker

MAX_DEPENDENCY_DEPTH = 200


@dataclass(frozen=True)
class TypeDiagnostic:
    """A type error or warning, as a text range."""

    start: int
    end: int
    severity: str  # error | warning
    message: str
    code: str  # type-mismatch | argument-type | return-type | condition-type | protocol-conformance
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class TypeAt:
    """The type of what is at an offset (for hover)."""

    start: int
    end: int
    type: Type
    text: str  # the type as the language spells it


@dataclass(frozen=True)
class InlayType:
    """An inferred variable type: show ``label`` at ``offset`` (right after the name)."""

    offset: int
    name: str
    type: Type
    text: str
    label: str


_DIAGNOSTICS = operator.attrgetter("diagnostics")


class TypeReport:
    """The types of one file, as checked by ``TypeChecker.check``."""

    def __init__(self, checker: TypeChecker, parsed: ParsedFile, model: SemanticModel,
                 starts: list[int], nodes: list[GreenNode], results: list[UnitResult]
                 ) -> None:
        """``starts``, ``nodes``, ``results``: per unit (parallel lists, made without a
        tuple per unit: a keystroke in a 10,000-line script checks thousands)."""
        self.checker = checker
        self.definition: LanguageDefinition = checker.definition
        self.names: TypeNames = checker.names
        self.parsed = parsed
        self.model = model
        self._starts = starts
        self._nodes = nodes
        self._results = results
        self._diagnostics: list[TypeDiagnostic] | None = None

    @property
    def units(self) -> list[tuple[int, int, UnitResult]]:
        """(start, end, result) per unit."""
        return [(start, start + node.width, result)
                for start, node, result in zip(self._starts, self._nodes, self._results,
                                               strict=True)]

    # ------------------------------------------------------------ lookups

    def overload_at(self, offset: int) -> int | None:
        """The place, among the routines of its name, of the overload the call whose
        callee starts at ``offset`` means (as its arguments' types choose it)."""
        unit = self._unit(offset)
        return unit[2].overloads.get(offset - unit[0]) if unit is not None else None

    def _unit(self, offset: int) -> tuple[int, int, UnitResult] | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset <= self._starts[i] + self._nodes[i].width:
            return self._starts[i], self._starts[i] + self._nodes[i].width, self._results[i]
        return None

    def display(self, t: Type) -> str:
        return self.names.display(t)

    @property
    def diagnostics(self) -> list[TypeDiagnostic]:
        if self._diagnostics is None:
            out = []
            # only the units with diagnostics, found by C-level iteration (thousands of
            # units, a few with diagnostics)
            with_any = map(_DIAGNOSTICS, self._results)
            for start, result in compress(zip(self._starts, self._results, strict=True),
                                          with_any):
                for d in result.diagnostics:
                    out.append(TypeDiagnostic(d.start + start, d.end + start, d.severity,
                                              d.message, d.code, dict(d.data)))
            self._diagnostics = out
        return self._diagnostics

    def type_of_symbol(self, symbol: Symbol) -> Type | None:
        unit = self._unit(symbol.start)
        if unit is None:
            return None
        return unit[2].symbol_types.get(symbol.start - unit[0])

    def symbol_types(self) -> dict[Symbol, Type]:
        out = {}
        for symbol in self.model.symbols:
            t = self.type_of_symbol(symbol)
            if t is not None:
                out[symbol] = t
        return out

    def expression_type(self, start: int, end: int) -> Type | None:
        unit = self._unit(start)
        if unit is None:
            return None
        rs, re_ = start - unit[0], end - unit[0]
        for s, e, t in unit[2].exprs:
            if s == rs and e == re_:
                return t
        return None

    def type_ending_at(self, end: int, start: int = 0, symbol: Symbol | None = None
                       ) -> Type | None:
        """The type of the name or expression that ends at ``end`` (beginning at or after
        ``start``): the smallest one recorded there, else ``symbol``'s; never that of an
        expression around it (`mode == "a"` is a boolean and `f(p)` f's result, neither is
        `mode` or `p`; hover names the name's span, completion the receiver before '.')."""
        unit = self._unit(max(end - 1, start))
        best: tuple[int, Type] | None = None
        if unit is not None:
            rs, re_ = start - unit[0], end - unit[0]
            for s, e, t in unit[2].exprs:
                if e == re_ and s >= rs and (best is None or s > best[0]):
                    best = (s, t)
        if best is not None:
            return best[1]
        return self.type_of_symbol(symbol) if symbol is not None else None

    def type_at(self, offset: int) -> TypeAt | None:
        """The innermost typed expression or declared name at ``offset``."""
        item = self.model.at(offset)
        if isinstance(item, Symbol):
            t = self.type_of_symbol(item)
            if t is not None:
                return TypeAt(item.start, item.end, t, self.display(t))
        unit = self._unit(offset)
        if unit is None:
            return None
        rel = offset - unit[0]
        best: tuple[int, int, Type] | None = None
        for s, e, t in unit[2].exprs:
            if s <= rel <= e and (best is None or e - s < best[1] - best[0]):
                best = (s, e, t)
        if best is None:
            if isinstance(item, Reference) and item.symbol is not None:
                t = self.type_of_symbol(item.symbol)
                if t is not None:
                    return TypeAt(item.start, item.end, t, self.display(t))
            return None
        return TypeAt(best[0] + unit[0], best[1] + unit[0], best[2], self.display(best[2]))

    def inferred_variable_types(self) -> list[InlayType]:
        annotation = self.definition.structure.type_annotation or ":"
        prefix = f"{annotation} " if not annotation[:1].isalpha() else f" {annotation} "
        out = []
        for start, result in zip(self._starts, self._results, strict=True):
            for rel, t, name in result.inlays:
                text = self.display(t)
                out.append(InlayType(start + rel, name, t, text, prefix + text))
        return out

    def members_of(self, t: Type) -> list[Member]:
        return self.checker.members_of(t)

    # ------------------------------------------------------------ quick fix

    def record_kinds(self) -> tuple[frozenset[str], frozenset[str]]:
        """The node kinds of a record type and of its fields: the keyword level's, or a
        grammar's rules whose ``run:`` is a ``record`` and a ``declare`` (a template's)."""
        grammar = self.definition.grammar
        if grammar is None:
            return frozenset({K.RECORD_TYPE}), frozenset({K.FIELD_DECL})
        runs = {p.name: p.run.construct for p in grammar.rules if p.run is not None}
        return (frozenset(n for n, c in runs.items() if c == "record"),
                frozenset(n for n, c in runs.items() if c == "declare"))

    def protocol_fix(self, diagnostic: TypeDiagnostic) -> tuple[int, str] | None:
        """For a ``protocol-conformance`` diagnostic on a record declared in this file:
        (offset, text) inserting the missing properties as fields of the record.
        (Methods: ``TypeChecker.protocol_stubs``; records cannot hold them in every language.)"""
        data = diagnostic.data
        if diagnostic.code != "protocol-conformance" or "record" not in data:
            return None
        protocol = protocol_type(self.definition, data.get("protocol", ""))
        record_symbol = next((s for s in self.model.symbols if s.kind == SymbolKind.TYPE
                              and self.model.key(s.name) == self.model.key(data["record"])), None)
        if protocol is None or record_symbol is None:
            return None
        record = self.type_of_symbol(record_symbol)
        if record is None or not isinstance(strip(record), RecordType):
            return None
        decl = self.parsed.root.covering_node(record_symbol.decl_start, record_symbol.decl_end)
        record_kinds, field_kinds = self.record_kinds()
        node = next((n for n in decl.descendants() if n.kind in record_kinds), None)
        if node is None:
            return None
        fields_nodes = [n for n in node.children() if n.kind in field_kinds]
        text = self.parsed.text
        if fields_nodes:
            anchor = fields_nodes[-1]
            line_start = text.rfind("\n", 0, anchor.start) + 1
            indent = text[line_start:anchor.start]
            if indent.strip():
                indent = " " * self.definition.formatting.indent_width
            offset = anchor.end
        else:
            first = node.first_token()
            offset = first.end if first is not None else node.start
            line_start = text.rfind("\n", 0, node.start) + 1
            indent = text[line_start:line_start + len(text[line_start:]) -
                          len(text[line_start:].lstrip(" \t"))]
            indent += " " * self.definition.formatting.indent_width
        fields, _ = protocol_stub_parts(record, protocol, self.definition, indent)
        if not fields:
            return None
        return offset, "\n" + fields.rstrip("\n")


# ------------------------------------------------------------------ the driver


class UnitKey:
    """A unit's cache key with its hash computed once: the LRU/TTL cache hashes a key
    several times per lookup, and this one holds a definition and a tuple of exports
    (the same idea as ``functools.lru_cache``'s ``_HashedSeq``). A class of its own, not
    a tuple subclass: mypyc compiles this module, and it cannot subclass tuple."""

    __slots__ = ("parts", "_hash")

    def __init__(self, parts: tuple[Any, ...]) -> None:
        self.parts = parts
        self._hash = hash(parts)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, UnitKey) and self._hash == other._hash
                and self.parts == other.parts)


class _Run:
    """One check of one file: computes units on demand, dependencies first."""

    def __init__(self, checker: TypeChecker, parsed: ParsedFile, model: SemanticModel) -> None:
        self.checker = checker
        self.parsed = parsed
        self.model = model
        # the file's inference units: the items of name resolution (``item_nodes``: a
        # main block's statements are units of their own)
        listed = model.item_lists  # as name resolution listed them, when it did
        splits = splits_of(parsed.definition)
        if listed is not None and listed[0] is parsed.green:
            self.nodes, offsets = listed[1], listed[2]
        else:
            self.nodes, offsets = item_nodes(parsed.green, splits)
        base = parsed.root.start
        self.starts = offsets if base == 0 else [base + o for o in offsets]
        self.conditions = self._conditions(splits)
        self.results: list[UnitResult | None] = [None] * len(self.nodes)
        self.busy = [False] * len(self.nodes)
        self.depth = 0
        # how many times a dependency was seen as unknown (a cycle, the depth limit), and
        # the units inferred since ``log`` was set (``_clean_context``)
        self.cuts = 0
        self.log: list[int] | None = None
        self._ctx: UnitContext | None = None
        self._reassigned: list[int] | None = None

    def _conditions(self, splits: Splits) -> frozenset[int]:
        """The units that are the condition of a loop split into items: found among the
        units of an expression kind (C-level; none but these, as a rule) by their
        parent."""
        grammar = self.checker.grammar
        if grammar is not None:
            return frozenset(grammar.condition_units(self.parsed.root, self.nodes, self.starts,
                                                     splits.guarded))
        if not splits.guarded:
            return frozenset()
        nodes, root = self.nodes, self.parsed.root
        found = []
        for i in compress(range(len(nodes)), map(splits.expressions.__contains__,
                                                 map(_KIND, nodes))):
            parent = item_node(root, self.starts[i], nodes[i], splits).parent
            if parent is None or parent.kind not in splits.guarded:
                continue
            expressions = splits.expressions
            first = next(((rel, c) for _, rel, c in parent.green.node_children()
                          if c.kind in expressions), None)
            # the loop's first expression child itself, not an equal node beside it
            if first is not None and first[1] is nodes[i] \
                    and parent.start + first[0] == self.starts[i]:
                found.append(i)
        return frozenset(found)

    def ctx(self) -> UnitContext:
        if self._ctx is None:
            checker = self.checker
            tables = self.model.starting_at_tables()
            ref_at: ByStart[Reference]
            sym_at: ByStart[Symbol]
            if tables is not None:  # every item walked (a whole file's first check)
                ref_at, sym_at = tables
            else:
                ref_at = _ByStart(self.model.reference_starting_at)
                sym_at = _ByStart(self.model.symbol_starting_at)
            self._ctx = UnitContext(checker.definition, checker.names, ref_at, sym_at,
                                    self.export_of, checker.operators,
                                    not checker.definition.lexical.case_sensitive,
                                    checker.grammar, self.model.overloads,
                                    self.model.implicit)
        return self._ctx

    def used_outside(self, i: int, start: int, end: int) -> Iterator[Symbol]:
        """The declarations outside unit ``i`` that its references are bound to (with
        the other overloads of a routine: a call chooses among them)."""
        overloads = self.model.overloads
        if not overloads:
            yield from self._used_outside(i, start, end)
            return
        yield from _with_overloads(self._used_outside(i, start, end), overloads)
        yield from _declared_overloads(overloads, start, end)

    def _used_outside(self, i: int, start: int, end: int) -> Iterator[Symbol]:
        """``used_outside`` without overloads: from its name-resolution item (the same
        node, as a rule: then found by index), or its part of a replayed segment."""
        items = self.model.items
        # the same extent, not only the same start: a zero-width item (an error where a
        # statement was expected) starts where the next one does
        if len(items) == len(self.nodes) and items[i].start == start and items[i].end == end:
            yield from items[i].used_outside()
            return
        for item in self.model.items_between(start, end):
            if isinstance(item, ReplayedItem):
                yield from used_outside_part(item, start, end)
            else:
                yield from item.used_outside()

    # ------------------------------------------------------------ segments
    #
    # A dependency cycle is cut where the check first comes back to a unit it is
    # inferring: that unit sees the other as unknown (``export_of``), so which unit of a
    # cycle is cut depends on the order units are inferred in. From scratch that is the
    # file's order (``run``), each unit's dependencies first. A segment's results are
    # kept and looked up as one, after inferring its dependencies outside it (they are
    # the key): that order differs, so it is used only where it cannot change an answer
    # (``_clean_context``), and a segment is taken up at its place in the file's order.

    def segments(self) -> list[tuple[int, int, Any, ReplayedItem | None]]:
        """The file's segments whose results are kept as one, in the file's order: (first
        unit, how many, merged template, the replayed item or None when its items were
        walked or replayed one by one this time: ``model.segments``)."""
        if not self.checker.cache.maxsize:
            return []
        found: list[tuple[int, int, Any, ReplayedItem | None]] = [
            (first, count, template, None) for first, count, template in self.model.segments
            if count > 1]
        cursor, starts = 0, self.starts
        for item in self.model.items:
            count = part_count(item)
            if count > 1 and cursor + count <= len(starts) and starts[cursor] == item.start:
                assert isinstance(item, ReplayedItem)
                found.append((cursor, count, item.template, item))
            cursor += count
        found.sort(key=operator.itemgetter(0))
        return found

    def check_segment(self, first: int, count: int, template: object,
                      item: ReplayedItem | None) -> None:
        """A segment's units, reached in the file's order: their results kept as one (a
        replayed segment checked before with the same dependencies outside it), or
        inferred in order and then kept. Neither when a unit of it was inferred already
        (an earlier unit depends on it) or a cycle runs through its dependencies: then its
        units are inferred one by one as from scratch (``run``)."""
        end = first + count
        if any(map(operator.is_not, self.results[first:end], repeat(None))):
            return
        if self.conditions and any(map(self.conditions.__contains__, range(first, end))):
            return  # a loop's condition: its segment's results are not kept as one
        if item is not None:
            overloads = self.model.overloads
            outside: Iterator[Symbol] = chain(
                _with_overloads(item.used_outside(), overloads),
                _declared_overloads(overloads, item.start, item.end))
        else:
            outside = self.segment_outside(first, count)
        context = self._clean_context(first, count, outside)
        if context is None:
            return
        cache = self.checker.cache
        if item is not None:
            found = cache.for_segment(template, context)
            if found is not None and len(found) == count:
                self.results[first:end] = found
                return
        self.compute_between(first, end)
        cache.put_for_segment(template, context, cast("tuple[UnitResult, ...]",
                                                      tuple(self.results[first:end])))

    def _clean_context(self, first: int, count: int, outside: Iterator[Symbol]
                       ) -> Hashable | None:
        """``segment_context`` of units ``first``..``first + count`` (none inferred yet),
        if inferring their dependencies outside them now gave what a check from scratch
        gives them: that inference met no cycle and no depth limit (then no order of
        inference cuts anything in it: every unit it inferred is not on a cycle of units
        not yet inferred) and did not reach the segment's own units (from scratch they
        would have been inferred first). Otherwise None, and what it inferred is
        forgotten: from scratch those units come later, in another order. (One order
        effect is left: from scratch a chain of dependencies is entered deeper, by the
        path from the segment's unit to it, so a chain of nearly
        ``MAX_DEPENDENCY_DEPTH`` units can meet the limit there and not here.)"""
        cuts, log = self.cuts, self.log
        self.log = []
        try:
            last = first + count - 1
            context = self.segment_context(self.starts[first], outside,
                                           self.starts[last] + self.nodes[last].width)
            inferred = self.log
        finally:
            self.log = log
        if self.cuts == cuts and all(map(operator.is_, self.results[first:first + count],
                                         repeat(None))):
            return context
        for i in inferred:
            self.results[i] = None
        return None

    def segment_context(self, start: int, symbols: Iterator[Symbol], end: int) -> Hashable:
        """A segment's results depend on its nodes (the template stands for them), its
        column, what the symbols outside it that it uses export (in first-use order), as
        long as those were inferred first (``check_segment``), and which of its variables
        are assigned again (``reassigned_between``). Inference reads no text: the same
        nodes give the same results."""
        deps: list[tuple[str, str, Export | None]] = []
        seen: set[int] = set()
        for sym in symbols:
            if id(sym) not in seen:
                seen.add(id(sym))
                deps.append((sym.name, sym.kind, self.export_of(sym)))
        text = self.parsed.text
        return (self.checker.key, start - (text.rfind("\n", 0, start) + 1), tuple(deps),
                self.reassigned_between(start, end))

    def segment_outside(self, first: int, count: int) -> Iterator[Symbol]:
        """``used_outside`` of the units ``first``..``first + count`` taken together."""
        starts, nodes = self.starts, self.nodes
        start = starts[first]
        end = starts[first + count - 1] + nodes[first + count - 1].width
        for i in range(first, first + count):
            for sym in self.used_outside(i, starts[i], starts[i] + nodes[i].width):
                if not start <= sym.start < end:
                    yield sym

    def compute_between(self, first: int, end: int) -> None:
        """Units ``first``..``end`` that have no result yet, in order, found by C-level
        iteration (after a keystroke almost every unit has its result from its segment);
        ``is``, since ``==`` would call each result's dataclass ``__eq__``."""
        results = self.results
        for at in list(compress(range(first, end),
                                map(operator.is_, results[first:end], repeat(None)))):
            if results[at] is None:  # computing an earlier one may have computed it
                result = self.compute(at)
                if result is None:  # only past the depth limit; retried from the top level
                    result = self.compute(at) or UnitResult()
                results[at] = result

    def unit_index(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.starts[i] + self.nodes[i].width:
            return i
        return None

    def export_of(self, symbol: Symbol) -> Export | None:
        i = self.unit_index(symbol.start)
        if i is None:
            return None
        if self.busy[i]:
            self.cuts += 1
            return None  # a dependency cycle: seen as unknown
        result = self.compute(i)
        if result is None:
            return None
        exp = result.exports.get(symbol.start - self.starts[i])
        if exp is not None and not exp.declared and symbol.kind == SymbolKind.VARIABLE \
                and symbol.writes:
            # no type written and assigned again (by another unit: a file-level variable
            # is its declaration's unit): it may hold anything there (`a = {}` after
            # `a = "s"`), not only what its declaration inferred
            return exp._replace(type=ANY)
        return exp

    def reassigned_between(self, start: int, end: int) -> tuple[int, ...]:
        """The file-level variables declared in ``start``..``end`` that are assigned
        again, by offset from ``start``: what others see of them depends on assignments
        anywhere in the file (``export_of``), so a segment's results do too."""
        if self._reassigned is None:
            found = []
            for symbol in self.model.file_scope.symbols.values():
                at: Symbol | None = symbol
                while at is not None:  # each declaration of the name (Lua's `local x`)
                    if at.kind == SymbolKind.VARIABLE and at.writes:
                        found.append(at.start)
                    at = at.shadowed
            self._reassigned = sorted(found)
        starts = self._reassigned
        low, high = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return tuple(at - start for at in starts[low:high])

    def compute(self, i: int) -> UnitResult | None:
        result = self.results[i]
        if result is not None:
            return result
        if self.depth >= MAX_DEPENDENCY_DEPTH:
            self.cuts += 1
            return None
        self.busy[i] = True
        self.depth += 1
        try:
            green, start = self.nodes[i], self.starts[i]
            end = start + green.width
            deps: list[tuple[str, str, Export | None]] = []
            seen: set[int] = set()
            for sym in self.used_outside(i, start, end):
                if start <= sym.start < end or id(sym) in seen:
                    continue
                seen.add(id(sym))
                deps.append((sym.name, sym.kind, self.export_of(sym)))
            condition = i in self.conditions
            if self.checker.cache.maxsize:
                result = self._through_cache(green, start, end, deps, condition)
            else:  # a cache that keeps nothing (a one-shot check): no keys to build
                result = Inferencer(self.ctx(), start, end).run(green, condition)
            self.results[i] = result
            if self.log is not None:
                self.log.append(i)
            return result
        finally:
            self.busy[i] = False
            self.depth -= 1

    def _through_cache(self, green: GreenNode, start: int, end: int,
                       deps: list[tuple[str, str, Export | None]], condition: bool = False
                       ) -> UnitResult:
        """The unit's result from the cache, or inferred and stored there (a loop's
        condition under keys of its own: the same node as a statement checks less)."""
        cache = self.checker.cache
        text = self.parsed.text
        column = start - (text.rfind("\n", 0, start) + 1)
        checker_key: Hashable = (self.checker.key, _CONDITION) if condition \
            else self.checker.key
        implicit = self.model.implicit
        if implicit is not None and implicit[1]:  # a DEFINT's letters type its names
            checker_key = (checker_key, tuple(sorted(implicit[1].items())))
        context = (checker_key, column, tuple(deps))
        result = cache.for_node(green, context)  # an unchanged unit: no text key
        if result is None:
            key = UnitKey((checker_key, text[start:end], column, green.node_count,
                           context[2]))
            result = cache.get(key)
            if result is None:
                result = Inferencer(self.ctx(), start, end).run(green, condition)
                cache.put(key, result)
            cache.put_for_node(green, context, result)
        return result

    def run(self) -> TypeReport:
        """Every unit in the file's order (each one's dependencies first), a segment's at
        once where they are kept as one."""
        done = 0
        for first, count, template, item in self.segments():
            self.compute_between(done, first)
            self.check_segment(first, count, template, item)
            done = first  # its units, if it left them to be inferred one by one
        self.compute_between(done, len(self.nodes))
        self._ctx = None  # it refers back to this run: no cycle may keep the model alive
        return TypeReport(self.checker, self.parsed, self.model, self.starts, self.nodes,
                          cast("list[UnitResult]", self.results))  # none is None by now


T = TypeVar("T")
_KIND = operator.attrgetter("kind")
_CONDITION = "condition"  # in the cache keys of a loop's condition unit


class _ByStart(Generic[T]):
    """``UnitContext.ref_at`` and ``sym_at``: found through their item, so that inferring
    one unit makes only the objects of the items it looks at."""

    def __init__(self, find: Callable[[int], T | None]) -> None:
        self.get = find


def check_file(checker: TypeChecker, parsed: ParsedFile, model: SemanticModel) -> TypeReport:
    return _Run(checker, parsed, model).run()


__all__ = ["InlayType", "TypeAt", "TypeDiagnostic", "TypeReport", "check_file"]


def _with_overloads(symbols: Iterator[Symbol], overloads: Mapping[Symbol, list[Symbol]]
                    ) -> Iterator[Symbol]:
    """``symbols``, each followed by its other overloads (``SemanticModel.overloads``)."""
    for sym in symbols:
        yield sym
        group = overloads.get(sym) if overloads else None
        if group is not None:
            yield from (s for s in group if s is not sym)


def _declared_overloads(overloads: Mapping[Symbol, list[Symbol]], start: int, end: int
                        ) -> Iterator[Symbol]:
    """The other overloads, outside ``start``-``end``, of the routines declared inside
    it: whether a routine is one of several (its type then says so) depends on them."""
    for sym, group in overloads.items():
        if start <= sym.start < end:
            yield from (s for s in group if not start <= s.start < end)
