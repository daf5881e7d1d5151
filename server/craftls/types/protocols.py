"""Protocols: structural interfaces declared in a language definition.

A type conforms to a protocol when it has every non-optional member with a
compatible type: a property's type must be assignable (a readonly property
accepts a mutable field and a subtype, a mutable one needs a mutable member of
exactly compatible type), a method's parameters are contravariant and its
result covariant (int widens to float). Conformance itself is decided in
``assignability.py`` (memoized per (type, protocol) pair), protocols are built from
their names in ``names.py``; this module adds the members a definition gives its
built-in types and the quick-fix stubs.
"""

from __future__ import annotations

from functools import lru_cache

from ..language.model import BlockStyle, LanguageDefinition, StatementSeparation
from .assignability import Conformance, Problem, conformance, own_members
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
    strip,
)
from .names import find_protocol, protocol_type, type_names


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
    own = own_members(t)
    if own or isinstance(strip(t), (RecordType, ProtocolType)):
        return own
    if definition is not None:
        return builtin_members(definition, t)
    return ()


# ------------------------------------------------------------------ conformance


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
