"""The type system: canonical types, protocols, inference and checking.

Pure Python (no LSP types). The entry point is ``TypeChecker``::

    checker = TypeChecker(definition)           # or TypeChecker(definition, shared_cache)
    report = checker.check(parsed, model)       # model = semantics.resolve.resolve_names(parsed)
    report.diagnostics                          # [TypeDiagnostic]
    report.type_at(offset)                      # TypeAt | None (innermost around offset)
    report.type_ending_at(end, start, symbol)   # Type | None (hover's name, '.' receiver)
    report.inferred_variable_types()            # [InlayType] (inlay hints)
    checker.members_of(type)                    # [Member] (completion after '.')
"""

from __future__ import annotations

from ..language.model import LanguageDefinition
from ..semantics.model import SemanticModel, Symbol
from ..syntax.parse import ParsedFile
from .assignability import assignable
from .cache import TypeCache
from .check import InlayType, TypeAt, TypeDiagnostic, TypeReport, check_file
from .grammar_infer import grammar_types
from .infer import operator_table
from .model import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    NONE,
    STR,
    UNKNOWN,
    Alias,
    FunctionType,
    ListType,
    MapType,
    Member,
    Opaque,
    ProtocolType,
    RecordType,
    Type,
    TypeVar,
    UnionType,
    parse_type,
)
from .names import type_names
from .protocols import Conformance, conforms, protocol_stubs, protocol_type, type_members


class TypeChecker:
    """Checks files of one language; share a ``TypeCache`` between checkers (and files)."""

    def __init__(self, definition: LanguageDefinition, cache: TypeCache | None = None) -> None:
        self.definition = definition
        self.cache = cache if cache is not None else TypeCache()
        self.names = type_names(definition)
        self.operators = operator_table(definition)
        self.grammar = grammar_types(definition, self.names)
        self.key = definition

    def check(self, parsed: ParsedFile, model: SemanticModel) -> TypeReport:
        """Types and type diagnostics of ``parsed`` (``model``: its name resolution)."""
        return check_file(self, parsed, model)

    def parse_type(self, text: str) -> Type:
        """A type written in the language's or the canonical notation (``INTEGER``, ``[str]``)."""
        return self.names.parse(text)

    def display(self, t: Type) -> str:
        return self.names.display(t)

    def members_of(self, t: Type) -> list[Member]:
        """Fields, methods and properties of a value of type ``t``, for completion."""
        return list(type_members(t, self.definition))

    def protocol(self, name: str) -> ProtocolType | None:
        return protocol_type(self.definition, name)

    def conforms(self, t: Type, protocol: str | ProtocolType) -> Conformance | None:
        p = self.protocol(protocol) if isinstance(protocol, str) else protocol
        return conforms(t, p, self.definition) if p is not None else None

    def protocol_stubs(self, record: Type, protocol: str | ProtocolType) -> str:
        p = self.protocol(protocol) if isinstance(protocol, str) else protocol
        return protocol_stubs(record, p, self.definition) if p is not None else ""

    def type_of_symbol(self, report: TypeReport, symbol: Symbol) -> Type | None:
        return report.type_of_symbol(symbol)


__all__ = [
    "ANY", "BOOL", "FLOAT", "INT", "NONE", "STR", "UNKNOWN", "Alias", "Conformance",
    "FunctionType", "InlayType", "ListType", "MapType", "Member", "Opaque", "ProtocolType",
    "RecordType", "Type", "TypeAt", "TypeCache", "TypeChecker", "TypeDiagnostic", "TypeReport",
    "TypeVar", "UnionType", "assignable", "conforms", "parse_type", "protocol_stubs",
    "type_members",
]
