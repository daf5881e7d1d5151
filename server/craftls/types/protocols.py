"""Protocols: structural interfaces declared in a language definition.

A type conforms to a protocol when it has every non-optional member with a
compatible type: a property's type must be assignable (a readonly property
accepts a mutable field and a subtype, a mutable one needs a mutable member of
exactly compatible type), a method's parameters are contravariant and its
result covariant (int widens to float). Conformance is memoized per
(type, protocol) pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..language.model import BlockStyle, LanguageDefinition, Protocol, StatementSeparation
from .model import (
    ANY,
    NONE,
    FunctionType,
    ListType,
    MapType,
    Member,
    ProtocolType,
    RecordType,
    Type,
    TypeVar,
    assignable,
    function_assignable,
    is_dynamic,
    render,
    strip,
    type_names,
)


@dataclass(frozen=True)
class Problem:
    """Why one member of a protocol is not satisfied."""

    member: str
    kind: str  # missing | mismatch | readonly | not-a-method | not-a-property
    expected: str
    found: str
    message: str


@dataclass(frozen=True)
class Conformance:
    type_name: str
    protocol: str
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.member for p in self.problems if p.kind == "missing")

    def summary(self) -> str:
        return f"{self.type_name} does not conform to {self.protocol}: " + "; ".join(
            p.message for p in self.problems)


# ------------------------------------------------------------------ building


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
        from .model import parse_type
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


def _shape(t: Type) -> Type:
    """Lists are lists whatever their elements (and maps whatever their entries)."""
    t = strip(t)
    if isinstance(t, ListType):
        return ListType(ANY)
    if isinstance(t, MapType):
        return MapType(ANY, ANY)
    return t


def builtin_members(definition: LanguageDefinition, t: Type) -> tuple[Member, ...]:
    """Members of a built-in type: a protocol named like one of the type's names
    (``Text`` for a language whose ``text`` means str) describes the type's methods."""
    if not definition.protocols:
        return ()
    return _builtin_members(definition, _shape(t))


@lru_cache(maxsize=256)
def _builtin_members(definition: LanguageDefinition, t: Type) -> tuple[Member, ...]:
    names = type_names(definition)
    found: list[Member] = []
    for protocol in definition.protocols:
        canonical = _canonical_name(names, protocol.name)
        if _shape(names.lookup(protocol.name)) == t \
                or (canonical is not None and _shape(canonical) == t):
            pt = protocol_type(definition, protocol.name)
            if pt is not None:
                found.extend(pt.members)
    return tuple(found)


def _canonical_name(names, name: str) -> Type | None:  # type: ignore[no-untyped-def]
    canonical = names.surface.get(name.lower())
    return names.parse(canonical) if canonical is not None else None


def type_members(t: Type, definition: LanguageDefinition | None = None) -> tuple[Member, ...]:
    """Every member of a value of type ``t`` (fields, methods, properties)."""
    t = strip(t)
    if isinstance(t, RecordType):
        return tuple([Member(n, "field", ft) for n, ft in t.fields]
                     + [Member(n, "method", mt, True) for n, mt in t.methods])
    if isinstance(t, ProtocolType):
        return t.members
    if definition is not None:
        return builtin_members(definition, t)
    return ()


# ------------------------------------------------------------------ conformance


@lru_cache(maxsize=65536)
def conformance(t: Type, protocol: ProtocolType, extra: tuple[Member, ...] = ()) -> Conformance:
    """Does ``t`` structurally conform to ``protocol``? ``extra``: members a built-in type
    gets from its definition (see ``builtin_members``)."""
    name = render(t)
    s = strip(t)
    if is_dynamic(s) or s == protocol:
        return Conformance(name, protocol.name)
    own: dict[str, Member] = {}
    fold = protocol.fold
    for m in (*type_members(s), *extra):
        own.setdefault(m.name.lower() if fold else m.name, m)
    problems: list[Problem] = []
    for wanted in protocol.members:
        found = own.get(wanted.name.lower() if fold else wanted.name)
        problem = _check_member(wanted, found)
        if problem is not None:
            problems.append(problem)
    return Conformance(name, protocol.name, tuple(problems))


def _check_member(wanted: Member, found: Member | None) -> Problem | None:
    expected = render(wanted.type)
    if found is None:
        if wanted.optional:
            return None
        return Problem(wanted.name, "missing", expected, "", f"missing {wanted.kind} "
                       f"{wanted.name}: {expected}")
    got = render(found.type)
    if wanted.kind == "method":
        ft = strip(found.type)
        if is_dynamic(ft):
            return None
        if not isinstance(ft, FunctionType):
            return Problem(wanted.name, "not-a-method", expected, got,
                           f"{wanted.name} should be a method {expected}, found {got}")
        assert isinstance(wanted.type, FunctionType)
        why = function_assignable(ft, wanted.type)
        if why is not None:
            return Problem(wanted.name, "mismatch", expected, got,
                           f"method {wanted.name} is {got}, expected {expected} ({why})")
        return None
    if found.kind == "method" and not isinstance(strip(wanted.type), FunctionType):
        return Problem(wanted.name, "not-a-property", expected, got,
                       f"{wanted.name} should be a property of type {expected}, found a method")
    why = assignable(found.type, wanted.type)
    if why is not None:
        return Problem(wanted.name, "mismatch", expected, got,
                       f"property {wanted.name} has type {got}, expected {expected}")
    if not wanted.readonly:
        if found.readonly:
            return Problem(wanted.name, "readonly", expected, got,
                           f"property {wanted.name} must be writable, but is read-only")
        if assignable(wanted.type, found.type) is not None:
            return Problem(wanted.name, "mismatch", expected, got,
                           f"writable property {wanted.name} has type {got}, "
                           f"expected exactly {expected}")
    return None


def conforms(t: Type, protocol: ProtocolType, definition: LanguageDefinition | None = None
             ) -> Conformance:
    """Conformance, counting a built-in type's members from the definition."""
    extra = builtin_members(definition, t) if definition is not None \
        and not isinstance(strip(t), (RecordType, ProtocolType)) else ()
    return conformance(t, protocol, extra)


# ------------------------------------------------------------------ quick-fix stubs


def protocol_stub_parts(record: Type, protocol: ProtocolType, definition: LanguageDefinition,
                        indent: str | None = None) -> tuple[str, str]:
    """The missing members of ``record`` as (field lines, method declarations), in the
    language's own syntax: fields go inside the record, methods after it."""
    names = type_names(definition)
    s = definition.structure
    ind = " " * definition.formatting.indent_width if indent is None else indent
    result = conforms(record, protocol, definition)
    missing = [m for m in protocol.members if m.name in result.missing]
    terminator = ";" if s.statements is not StatementSeparation.NEWLINE else ""
    ann = s.type_annotation or ":"
    pad = " " if s.declarations == "sections" or ann[:1].isalpha() else ""
    fields = []
    methods = []
    for m in missing:
        if m.kind == "property":
            fields.append(f"{ind}{m.name}{pad}{ann} {names.display(m.type)}{terminator}")
        else:
            assert isinstance(m.type, FunctionType)
            methods.append(_method_stub(m.name, m.type, definition, ind))
    return "\n".join(fields) + ("\n" if fields else ""), "\n\n".join(methods) + (
        "\n" if methods else "")


def protocol_stubs(record: Type, protocol: ProtocolType, definition: LanguageDefinition,
                   indent: str | None = None) -> str:
    """Text declaring every member ``record`` misses to conform to ``protocol``."""
    fields, methods = protocol_stub_parts(record, protocol, definition, indent)
    return fields + ("\n" if fields and methods else "") + methods


def _method_stub(name: str, ft: FunctionType, definition: LanguageDefinition, ind: str) -> str:
    names = type_names(definition)
    s = definition.structure
    is_procedure = ft.result is NONE and definition.has("procedure")
    keyword = definition.spelling("procedure" if is_procedure else "function") or "function"
    ann = s.type_annotation or ":"
    pad = " " if s.declarations == "sections" or ann[:1].isalpha() else ""
    sep = "; " if s.declarations == "sections" else ", "
    params = sep.join(
        f"{(ft.names[i] if i < len(ft.names) and ft.names[i] else f'arg{i + 1}')}{pad}{ann} "
        f"{names.display(p)}" for i, p in enumerate(ft.params))
    header = f"{keyword} {name}({params})" if params or s.block_style is not BlockStyle.BEGIN_END \
        else f"{keyword} {name}"
    if not is_procedure and ft.result is not NONE:
        rt = s.result_type or ":"
        rpad = " " if s.declarations == "sections" or rt[:1].isalpha() or rt == "->" else ""
        header += f"{rpad}{rt} {names.display(ft.result)}"
    style = s.block_style
    if style is BlockStyle.BEGIN_END:
        begin = definition.spelling("begin") or "begin"
        end = definition.spelling("end") or "end"
        return f"{header};\n{begin}\n{end};"
    if style is BlockStyle.BRACES:
        return f"{header} {{\n}}"
    if style is BlockStyle.INDENTATION:
        body = definition.spelling("pass") or definition.spelling("return") or "pass"
        return f"{header}{s.block_open}\n{ind}{body}"
    end = definition.spelling("end") or "end"
    return f"{header}\n{end} {keyword}"


__all__ = ["Conformance", "Problem", "builtin_members", "conformance", "conforms",
           "find_protocol", "protocol_stub_parts", "protocol_stubs", "protocol_type",
           "type_members"]
