"""Scopes, symbols and references: the semantic model of one file."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


class SymbolKind:
    PROGRAM = "program"
    CONSTANT = "constant"
    VARIABLE = "variable"
    TYPE = "type"
    FUNCTION = "function"
    PROCEDURE = "procedure"
    PARAMETER = "parameter"
    LOOP_VARIABLE = "loop variable"
    FIELD = "field"
    MODULE = "module"


@dataclass(eq=False, slots=True)
class Symbol:
    name: str
    kind: str
    start: int  # the name's range
    end: int
    decl_start: int  # the declaring node's range
    decl_end: int
    scope: Scope
    type_text: str | None = None
    params: list[Symbol] = field(default_factory=list)
    result_text: str | None = None
    doc: str = ""
    reads: int = 0
    writes: int = 0

    def signature(self) -> str:
        if self.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
            params = ", ".join(p.name + (f": {p.type_text}" if p.type_text else "")
                               for p in self.params)
            result = f": {self.result_text}" if self.result_text else ""
            return f"{self.kind} {self.name}({params}){result}"
        typ = f": {self.type_text}" if self.type_text else ""
        return f"{self.kind} {self.name}{typ}"

    def __repr__(self) -> str:
        return f"Symbol({self.kind} {self.name}@{self.start})"


@dataclass(eq=False, slots=True)
class Scope:
    kind: str  # file | function
    start: int
    end: int
    parent: Scope | None
    owner: Symbol | None = None
    symbols: dict[str, Symbol] = field(default_factory=dict)
    children: list[Scope] = field(default_factory=list)

    def lookup(self, key: str) -> Symbol | None:
        scope: Scope | None = self
        while scope is not None:
            symbol = scope.symbols.get(key)
            if symbol is not None:
                return symbol
            scope = scope.parent
        return None

    def chain(self) -> list[Scope]:
        scopes = []
        scope: Scope | None = self
        while scope is not None:
            scopes.append(scope)
            scope = scope.parent
        return scopes


@dataclass(eq=False, slots=True)
class Reference:
    name: str
    start: int
    end: int
    symbol: Symbol | None
    builtin: str | None = None  # the builtin's name when it refers to one
    is_write: bool = False
    is_type: bool = False
    scope: Scope | None = None


@dataclass
class SemanticModel:
    """Everything name resolution found in a file; positions are text offsets."""

    root_scope: Scope
    symbols: list[Symbol]
    references: list[Reference]
    fold: bool
    _starts: list[int] = field(default_factory=list, repr=False)
    _ordered: list[Reference | Symbol] = field(default_factory=list, repr=False)

    def key(self, name: str) -> str:
        return name.lower() if self.fold else name

    def _index(self) -> None:
        if not self._ordered:
            items: list[Reference | Symbol] = [*self.symbols, *self.references]
            items.sort(key=lambda item: item.start)
            self._ordered = items
            self._starts = [item.start for item in items]

    def at(self, offset: int) -> Reference | Symbol | None:
        """The declaration name or reference covering ``offset``."""
        self._index()
        i = bisect.bisect_right(self._starts, offset) - 1
        while i >= 0:
            item = self._ordered[i]
            if item.start <= offset <= item.end:
                return item
            if item.end < offset and self._starts[i] < offset - 256:
                return None
            i -= 1
        return None

    def symbol_at(self, offset: int) -> Symbol | None:
        item = self.at(offset)
        if isinstance(item, Reference):
            return item.symbol
        return item

    def references_to(self, symbol: Symbol) -> list[Reference]:
        return [r for r in self.references if r.symbol is symbol]

    def scope_at(self, offset: int) -> Scope:
        scope = self.root_scope
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
        for scope in self.scope_at(offset).chain():
            for key, symbol in scope.symbols.items():
                if key not in seen:
                    seen.add(key)
                    result.append(symbol)
        return result
