"""Type checking a file: split it into units, infer each (or reuse the cache),
and answer questions about the result (diagnostics, hover, inlay hints,
completion, quick fixes). Plain dataclasses only: no LSP types here."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..language.model import LanguageDefinition
from ..semantics.item_walks import file_items
from ..semantics.model import ItemNames, Reference, SemanticModel, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tree import GreenNode
from .infer import Export, Inferencer, UnitContext, UnitResult
from .model import Member, RecordType, Type, strip
from .names import TypeNames, protocol_type
from .protocols import protocol_stub_parts

if TYPE_CHECKING:
    from . import TypeChecker

MAX_DEPENDENCY_DEPTH = 200


@dataclass(frozen=True)
class TypeDiagnostic:
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


class TypeReport:
    """The types of one file, as checked by ``TypeChecker.check``."""

    def __init__(self, checker: TypeChecker, parsed: ParsedFile, model: SemanticModel,
                 units: list[tuple[int, int, UnitResult]]) -> None:
        self.checker = checker
        self.definition: LanguageDefinition = checker.definition
        self.names: TypeNames = checker.names
        self.parsed = parsed
        self.model = model
        self.units = units
        self._starts = [u[0] for u in units]
        self._diagnostics: list[TypeDiagnostic] | None = None

    # ------------------------------------------------------------ lookups

    def _unit(self, offset: int) -> tuple[int, int, UnitResult] | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset <= self.units[i][1]:
            return self.units[i]
        return None

    def display(self, t: Type) -> str:
        return self.names.display(t)

    @property
    def diagnostics(self) -> list[TypeDiagnostic]:
        if self._diagnostics is None:
            out = []
            for start, _, result in self.units:
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
        for start, _, result in self.units:
            for rel, t, name in result.inlays:
                text = self.display(t)
                out.append(InlayType(start + rel, name, t, text, prefix + text))
        return out

    def members_of(self, t: Type) -> list[Member]:
        return self.checker.members_of(t)

    # ------------------------------------------------------------ quick fix

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
        node = next((n for n in decl.descendants() if n.kind == K.RECORD_TYPE), None)
        if node is None:
            return None
        fields_nodes = node.children_of_kind(K.FIELD_DECL)
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


def _units(green: GreenNode) -> list[tuple[GreenNode, int]]:
    """The file's inference units: the items of name resolution (``file_items``: a main
    block's statements are units of their own)."""
    return [(node, offset) for _, _, offset, node in file_items(green)]


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
        self.units = _units(parsed.green)
        self.starts = [s for _, s in self.units]
        self.results: list[UnitResult | None] = [None] * len(self.units)
        self.busy = [False] * len(self.units)
        self.depth = 0
        self._ctx: UnitContext | None = None

    def ctx(self) -> UnitContext:
        if self._ctx is None:
            checker = self.checker
            self._ctx = UnitContext(
                checker.definition, checker.names, _ByStart(self.model.reference_starting_at),
                _ByStart(self.model.symbol_starting_at), self.export_of, checker.operators,
                not checker.definition.lexical.case_sensitive)
        return self._ctx

    def items_of(self, i: int, start: int, end: int) -> list[ItemNames]:
        """The name-resolution items inside unit ``i`` (the same nodes, as a rule: then
        found by index)."""
        items = self.model.items
        if len(items) == len(self.units) and items[i].start == start:
            return [items[i]]
        return self.model.items_between(start, end)

    def unit_index(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.starts[i] + self.units[i][0].width:
            return i
        return None

    def export_of(self, symbol: Symbol) -> Export | None:
        i = self.unit_index(symbol.start)
        if i is None or self.busy[i]:
            return None  # a dependency cycle: seen as unknown
        result = self.compute(i)
        if result is None:
            return None
        return result.exports.get(symbol.start - self.starts[i])

    def compute(self, i: int) -> UnitResult | None:
        result = self.results[i]
        if result is not None:
            return result
        if self.depth >= MAX_DEPENDENCY_DEPTH:
            return None
        self.busy[i] = True
        self.depth += 1
        try:
            green, start = self.units[i]
            end = start + green.width
            deps: list[tuple[str, str, Export | None]] = []
            seen: set[int] = set()
            for item in self.items_of(i, start, end):
                for sym in item.used_outside():
                    if start <= sym.start < end or id(sym) in seen:
                        continue
                    seen.add(id(sym))
                    deps.append((sym.name, sym.kind, self.export_of(sym)))
            if self.checker.cache.maxsize:
                result = self._through_cache(green, start, end, deps)
            else:  # a cache that keeps nothing (a one-shot check): no keys to build
                result = Inferencer(self.ctx(), start, end).run(green)
            self.results[i] = result
            return result
        finally:
            self.busy[i] = False
            self.depth -= 1

    def _through_cache(self, green: GreenNode, start: int, end: int,
                       deps: list[tuple[str, str, Export | None]]) -> UnitResult:
        """The unit's result from the cache, or inferred and stored there."""
        cache = self.checker.cache
        text = self.parsed.text
        column = start - (text.rfind("\n", 0, start) + 1)
        context = (self.checker.key, column, tuple(deps))
        result = cache.for_node(green, context)  # an unchanged unit: no text key
        if result is None:
            key = UnitKey((self.checker.key, text[start:end], column, green.node_count,
                           context[2]))
            result = cache.get(key)
            if result is None:
                result = Inferencer(self.ctx(), start, end).run(green)
                cache.put(key, result)
            cache.put_for_node(green, context, result)
        return result

    def run(self) -> TypeReport:
        units: list[tuple[int, int, UnitResult]] = []
        for i, (green, start) in enumerate(self.units):
            result = self.compute(i)
            if result is None:  # only past the depth limit; retried from the top level
                result = self.compute(i) or UnitResult()
            units.append((start, start + green.width, result))
        self._ctx = None  # it refers back to this run: no cycle may keep the model alive
        return TypeReport(self.checker, self.parsed, self.model, units)


T = TypeVar("T")


class _ByStart(Generic[T]):
    """``UnitContext.ref_at`` and ``sym_at``: found through their item, so that inferring
    one unit makes only the objects of the items it looks at."""

    def __init__(self, find: Callable[[int], T | None]) -> None:
        self.get = find


def check_file(checker: TypeChecker, parsed: ParsedFile, model: SemanticModel) -> TypeReport:
    return _Run(checker, parsed, model).run()


__all__ = ["InlayType", "TypeAt", "TypeDiagnostic", "TypeReport", "check_file"]
