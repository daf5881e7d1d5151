"""The type names of one language: its ``types`` map, the common names, the canonical
ones and its protocols (a protocol named in a type is built here, with ``extends``
flattened and type arguments applied)."""

from __future__ import annotations

from functools import lru_cache

from ..language.defaults import COMMON_TYPE_NAMES
from ..language.model import Builtin, LanguageDefinition, Protocol
from .model import (
    FLOAT,
    PRIMS,
    UNKNOWN,
    FunctionType,
    Member,
    Opaque,
    ProtocolType,
    Type,
    TypeVar,
    parse_type,
    render,
)


class TypeNames:
    """Type names of one language: its ``types`` map, then COMMON_TYPE_NAMES (both
    case-insensitively), the canonical names, then its protocols; else opaque."""

    def __init__(self, definition: LanguageDefinition) -> None:
        self.definition = definition
        self.fold = not definition.lexical.case_sensitive
        self.surface: dict[str, str] = {k.lower(): v for k, v in definition.types.items()}
        self._cache: dict[tuple[str, tuple[Type, ...]], Type] = {}
        self._busy: set[str] = set()
        self._display: dict[Type, str] = {}
        for surface, canonical in definition.types.items():
            t = self.parse(canonical)
            self._display.setdefault(t, surface)
        # then a grammar's type words (QBasic's `types` of its type_name rule: INTEGER
        # for an integer, SINGLE for a real), its keywords rather than names
        for rule in definition.grammar.rules if definition.grammar is not None else ():
            if rule.run is not None and rule.run.construct == "type_name":
                for surface, canonical in rule.run.types:
                    self._display.setdefault(self.parse(canonical), surface)
        self._builtins: dict[str, FunctionType] = {}

    def parse(self, text: str) -> Type:
        return parse_type(text, self.lookup)

    def lookup(self, name: str, args: tuple[Type, ...] = ()) -> Type:
        key = (name, args)
        found = self._cache.get(key)
        if found is not None:
            return found
        folded = name.lower()
        result: Type | None = None
        if folded in self._busy:
            return UNKNOWN  # a definition mapping a name to itself, circularly
        self._busy.add(folded)
        try:
            canonical = self.surface.get(folded)
            if canonical is None:
                canonical = COMMON_TYPE_NAMES.get(folded)
            if folded in PRIMS and (canonical is None or canonical == folded):
                result = PRIMS[folded]
            elif canonical is not None:
                result = self.parse(canonical)
            else:
                result = protocol_type(self.definition, name, args)
                if result is None:
                    result = Opaque(name)
        finally:
            self._busy.discard(folded)
        self._cache[key] = result
        return result

    def display(self, t: Type) -> str:
        """The type as the language spells it (``INTEGER`` rather than ``int``)."""
        return render(t, self._display.get)

    def builtin_named(self, name: str) -> FunctionType | None:
        """The signature of the builtin called ``name`` (``None`` if there is none)."""
        found = self._builtins.get(name)
        if found is None:
            builtin = self.definition.builtin(name)
            if builtin is None:
                return None
            found = self.builtin(builtin)
            self._builtins[name] = found
        return found

    def builtin(self, builtin: Builtin) -> FunctionType:
        found = self._builtins.get(builtin.name)
        if found is None:
            params = tuple(self.parse(p.type) for p in builtin.params)
            required = builtin.min_args if builtin.min_args else sum(
                1 for p in builtin.params if not p.optional)
            result = self.parse(builtin.returns)
            generic = bool(params) and result is FLOAT and all(p is FLOAT for p in params)
            found = FunctionType(params, result, min(required, len(params)),
                                 builtin.max_args is None, tuple(p.name for p in builtin.params),
                                 numeric_generic=generic)
            self._builtins[builtin.name] = found
        return found


@lru_cache(maxsize=64)
def type_names(definition: LanguageDefinition) -> TypeNames:
    return TypeNames(definition)


# ------------------------------------------------------------------ protocols by name


def find_protocol(definition: LanguageDefinition, name: str) -> Protocol | None:
    folded = name.lower()
    for p in definition.protocols:
        if p.name == name:
            return p
    for p in definition.protocols:
        if p.name.lower() == folded:
            return p
    return None


def protocol_type(definition: LanguageDefinition, name: str,
                  args: tuple[Type, ...] = ()) -> ProtocolType | None:
    """The protocol ``name`` of the definition as a type (``None`` if there is none)."""
    protocol = find_protocol(definition, name)
    if protocol is None:
        return None
    return _protocol_type(definition, protocol.name, args)


@lru_cache(maxsize=4096)
def _protocol_type(definition: LanguageDefinition, name: str,
                   args: tuple[Type, ...]) -> ProtocolType | None:
    protocol = find_protocol(definition, name)
    if protocol is None:
        return None
    members = _flatten(definition, protocol, args, set())
    return ProtocolType(protocol.name, tuple(members.values()), args,
                        fold=not definition.lexical.case_sensitive)


def _flatten(definition: LanguageDefinition, protocol: Protocol, args: tuple[Type, ...],
             seen: set[str]) -> dict[str, Member]:
    """Members of ``protocol`` and the ones it extends (its own win over inherited ones)."""
    seen.add(protocol.name.lower())
    names = type_names(definition)
    bindings: dict[str, Type] = {}
    for i, spec in enumerate(protocol.type_params):
        var_name, _, constraint = spec.partition(":")
        var_name = var_name.strip()
        bound = names.parse(constraint.strip()) if constraint.strip() else None
        bindings[var_name] = args[i] if i < len(args) else TypeVar(var_name, bound)

    def parse(text: str) -> Type:
        def lookup(name: str, targs: tuple[Type, ...]) -> Type:
            if name in bindings and not targs:
                return bindings[name]
            return names.lookup(name, targs)
        return parse_type(text, lookup)

    members: dict[str, Member] = {}
    for parent_ref in protocol.extends:
        parent_name = parent_ref.split("<")[0].strip()
        parent = find_protocol(definition, parent_name)
        if parent is None or parent.name.lower() in seen:
            continue
        parent_args: tuple[Type, ...] = ()
        if "<" in parent_ref:
            pt = parse(parent_ref)
            if isinstance(pt, ProtocolType):
                parent_args = pt.args
        members.update(_flatten(definition, parent, parent_args, seen))
    for m in protocol.members:
        if m.kind == "method":
            params = tuple(parse(p.type) for p in m.params)
            required = sum(1 for p in m.params if not p.optional)
            ft = FunctionType(params, parse(m.returns), required,
                              names=tuple(p.name for p in m.params))
            members[m.name.lower()] = Member(m.name, "method", ft, True, m.optional)
        else:
            members[m.name.lower()] = Member(m.name, "property", parse(m.type), m.readonly,
                                             m.optional)
    return members


__all__ = ["TypeNames", "find_protocol", "protocol_type", "type_names"]
