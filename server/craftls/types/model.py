"""The type model: canonical types, their constructors, rendering and the parsing of
canonical type strings.

Types are immutable, hashable values with a precomputed hash, so the relations over
them (``assignability.py``: assignability, joins, protocol conformance) can be memoized
cheaply; a language's surface names are in ``names.py``.
Unknown type names are *opaque*: compatible with everything, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ..language.defaults import COMMON_TYPE_NAMES


class Type:
    """Base class: subclasses set ``_key`` (a tuple) and get value semantics."""

    __slots__ = ("_key", "_hash")
    _key: tuple[object, ...]
    _hash: int

    def _init(self, key: tuple[object, ...]) -> None:
        self._key = key
        self._hash = hash(key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (type(other) is type(self) and other._hash == self._hash
                                 and other._key == self._key)

    def __repr__(self) -> str:
        return f"<type {self}>"

    def __str__(self) -> str:
        return render(self)


class Prim(Type):
    """int, float, bool, str, none, any and unknown."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name
        self._init(("prim", name))


INT = Prim("int")
FLOAT = Prim("float")
BOOL = Prim("bool")
STR = Prim("str")
NONE = Prim("none")
ANY = Prim("any")
UNKNOWN = Prim("unknown")
PRIMS = {p.name: p for p in (INT, FLOAT, BOOL, STR, NONE, ANY, UNKNOWN)}
NUMERIC = (INT, FLOAT)


class Opaque(Type):
    """A type name nobody defined: kept for display, compatible with everything."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name
        self._init(("opaque", name))


class PointerType(Opaque):
    """A pointer to a type (Pascal's ``^T``): compatible with everything, as an opaque
    name is (``nil``, ``Ptr(...)``, ``@x``), and dereferenced to its target."""

    __slots__ = ("target",)

    def __init__(self, target: Type) -> None:
        self.name, self.target = f"^{render(target)}", target
        self._init(("pointer", target))


class ListType(Type):
    """``[T]``: a list, or an array with an index base and bounds when known."""

    __slots__ = ("elem", "low", "high")

    def __init__(self, elem: Type, low: int | None = None, high: int | None = None) -> None:
        self.elem, self.low, self.high = elem, low, high
        self._init(("list", elem, low, high))


class MapType(Type):
    __slots__ = ("key", "value")

    def __init__(self, key: Type, value: Type) -> None:
        self.key, self.value = key, value
        self._init(("map", key, value))


class FunctionType(Type):
    """A function or procedure type. ``required``: parameters without a default."""

    __slots__ = ("params", "result", "required", "variadic", "names", "numeric_generic",
                 "by_reference", "own")

    def __init__(self, params: tuple[Type, ...], result: Type, required: int | None = None,
                 variadic: bool = False, names: tuple[str, ...] = (),
                 numeric_generic: bool = False, by_reference: tuple[int, ...] = (),
                 own: FunctionType | None = None) -> None:
        self.params, self.result = params, result
        self.required = len(params) if required is None else required
        self.variadic, self.names, self.numeric_generic = variadic, names, numeric_generic
        # the indexes of the parameters passed by reference (Pascal's `var`): an argument
        # there must be a variable of the parameter's own type
        self.by_reference = by_reference
        # one of several routines of one name (overloads): ``params`` and ``result`` are
        # unknown to a reader that does not choose among them; this is its own signature
        self.own = own
        self._init(("fn", params, result, self.required, variadic, names, numeric_generic,
                    by_reference, own))


class RecordType(Type):
    """A record (or class): named, with fields and methods; structural for assignability."""

    __slots__ = ("name", "fields", "methods", "fold", "_index")

    def __init__(self, name: str, fields: tuple[tuple[str, Type], ...],
                 methods: tuple[tuple[str, FunctionType], ...] = (), fold: bool = False) -> None:
        self.name, self.fields, self.methods, self.fold = name, fields, methods, fold
        self._init(("record", name, fields, methods, fold))
        index: dict[str, tuple[str, Type, str]] = {}
        for n, t in fields:
            index.setdefault(n.lower() if fold else n, (n, t, "field"))
        for n, m in methods:
            index.setdefault(n.lower() if fold else n, (n, m, "method"))
        self._index = index

    def member(self, name: str) -> tuple[str, Type, str] | None:
        return self._index.get(name.lower() if self.fold else name)


class UnionType(Type):
    __slots__ = ("members",)

    def __init__(self, members: tuple[Type, ...]) -> None:
        self.members = members
        self._init(("union", members))


class Alias(Type):
    """A named type standing for another (Pascal ``TYPE Ledger = ARRAY ...``)."""

    __slots__ = ("name", "target")

    def __init__(self, name: str, target: Type) -> None:
        self.name, self.target = name, target
        self._init(("alias", name, target))


class TypeVar(Type):
    """A generic type parameter, optionally constrained (``T: float``)."""

    __slots__ = ("name", "constraint")

    def __init__(self, name: str, constraint: Type | None = None) -> None:
        self.name, self.constraint = name, constraint
        self._init(("var", name, constraint))


class Member(NamedTuple):
    """A member of a protocol (or of a type, for completion)."""

    name: str
    kind: str  # method | property | field
    type: Type  # a FunctionType for methods
    readonly: bool = False
    optional: bool = False


class ProtocolType(Type):
    """A protocol from the definition, with ``extends`` flattened and type args applied."""

    __slots__ = ("name", "members", "args", "fold", "_index")

    def __init__(self, name: str, members: tuple[Member, ...], args: tuple[Type, ...] = (),
                 fold: bool = True) -> None:
        self.name, self.members, self.args, self.fold = name, members, args, fold
        self._init(("protocol", name, members, args))
        self._index = {(m.name.lower() if fold else m.name): m for m in members}

    def member(self, name: str) -> Member | None:
        return self._index.get(name.lower() if self.fold else name)


# ------------------------------------------------------------------ constructors


def union(*types: Type) -> Type:
    """A union, flattened and deduplicated; ``any``/``unknown`` absorb the rest."""
    flat: list[Type] = []
    for t in types:
        for m in (t.members if isinstance(t, UnionType) else (t,)):
            if m is ANY or m is UNKNOWN:
                return m
            if m not in flat:
                flat.append(m)
    if INT in flat and FLOAT in flat:
        flat.remove(INT)
    if len(flat) == 1:
        return flat[0]
    flat.sort(key=lambda t: (t is NONE, render(t)))
    return UnionType(tuple(flat))


def optional(t: Type) -> Type:
    return union(t, NONE)


def strip(t: Type) -> Type:
    """Look through aliases."""
    while isinstance(t, Alias):
        t = t.target
    return t


def without_none(t: Type) -> Type:
    t = strip(t)
    if isinstance(t, UnionType):
        rest = [m for m in t.members if m is not NONE]
        return union(*rest) if rest else NONE
    return t


def is_dynamic(t: Type) -> bool:
    """any, unknown, opaque names and type variables: never reported."""
    t = strip(t)
    return t is ANY or t is UNKNOWN or isinstance(t, (Opaque, TypeVar))


def element_of(t: Type) -> Type:
    """What iterating over (or indexing) a value of type ``t`` gives."""
    t = strip(t)
    if isinstance(t, ListType):
        return t.elem
    if t is STR:
        return STR
    if isinstance(t, MapType):
        return t.key
    if t is ANY:
        return ANY
    return UNKNOWN


# ------------------------------------------------------------------ rendering


def render(t: Type, names: Callable[[Type], str | None] | None = None) -> str:
    """Canonical text of a type (``names`` may give a surface name for a type)."""
    if names is not None:
        surface = names(t)
        if surface is not None:
            return surface
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, (Opaque, RecordType, Alias)):
        return t.name
    if isinstance(t, TypeVar):
        return t.name
    if isinstance(t, ListType):
        inner = render(t.elem, names)
        if t.low is not None and t.high is not None:
            return f"[{inner}; {t.low}..{t.high}]"
        return f"[{inner}]"
    if isinstance(t, MapType):
        return f"{{{render(t.key, names)}: {render(t.value, names)}}}"
    if isinstance(t, FunctionType):
        parts = []
        for i, p in enumerate(t.params):
            text = render(p, names)
            if i < len(t.names) and t.names[i]:
                text = f"{t.names[i]}: {text}"
            if i >= t.required:
                text += "?"
            parts.append(text)
        if t.variadic:
            parts.append("...")
        return f"fn({', '.join(parts)}) -> {render(t.result, names)}"
    if isinstance(t, UnionType):
        rest = [m for m in t.members if m is not NONE]
        if len(rest) == 1 and len(t.members) == 2:
            inner = render(rest[0], names)
            return f"({inner})?" if isinstance(rest[0], (UnionType, FunctionType)) else inner + "?"
        return " | ".join(render(m, names) for m in t.members)
    if isinstance(t, ProtocolType):
        if t.args:
            return f"{t.name}<{', '.join(render(a, names) for a in t.args)}>"
        return t.name
    return "?"


# ------------------------------------------------------------------ parsing

_TOKEN = re.compile(r"\s*(->|\.\.\.|[\[\]{}(),:|?<>]|[^\s\[\]{}(),:|?<>]+)")


class TypeSyntaxError(ValueError):
    pass


def tokenize(text: str) -> list[str]:
    out = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        out.append(m.group(1))
        pos = m.end()
    return out


Lookup = Callable[[str, tuple[Type, ...]], Type]


def parse_type(text: str, lookup: Lookup | None = None) -> Type:
    """Parse a canonical type string: ``int``, ``[str]``, ``str | [any]``,
    ``{str: int}``, ``fn(int, int) -> int``, ``int?``, ``Box<int>``.
    Names go through ``lookup`` (default: the canonical names, else opaque).
    Malformed text gives ``unknown`` (never an error)."""
    try:
        parser = _TypeParser(tokenize(text), lookup or _canonical_lookup)
        result = parser.union()
        if parser.i != len(parser.toks):
            return UNKNOWN
        return result
    except (TypeSyntaxError, IndexError, RecursionError):
        return UNKNOWN


def _canonical_lookup(name: str, args: tuple[Type, ...]) -> Type:
    prim = PRIMS.get(name.lower())
    if prim is not None:
        return prim
    common = COMMON_TYPE_NAMES.get(name.lower())
    if common is not None and common != name:
        return parse_type(common)
    return Opaque(name)


class _TypeParser:
    def __init__(self, toks: list[str], lookup: Lookup) -> None:
        self.toks, self.i, self.lookup = toks, 0, lookup

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if not tok or (expected is not None and tok != expected):
            raise TypeSyntaxError(f"expected {expected!r}")
        self.i += 1
        return tok

    def union(self) -> Type:
        parts = [self.postfix()]
        while self.peek() == "|":
            self.take()
            parts.append(self.postfix())
        return union(*parts) if len(parts) > 1 else parts[0]

    def postfix(self) -> Type:
        t = self.primary()
        while self.peek() == "?":
            self.take()
            t = optional(t)
        return t

    def primary(self) -> Type:
        tok = self.take()
        if tok == "[":
            inner = self.union()
            self.take("]")
            return ListType(inner)
        if tok == "{":
            key = self.union()
            self.take(":")
            value = self.union()
            self.take("}")
            return MapType(key, value)
        if tok == "(":
            inner = self.union()
            self.take(")")
            return inner
        if tok in ("fn", "function") and self.peek() == "(":
            self.take("(")
            params: list[Type] = []
            names: list[str] = []
            required = 0
            variadic = False
            while self.peek() != ")":
                if self.peek() == "...":
                    self.take()
                    variadic = True
                else:
                    name = ""
                    if self.i + 1 < len(self.toks) and self.toks[self.i + 1] == ":":
                        name = self.take()
                        self.take(":")
                    p = self.postfix()
                    is_optional = isinstance(p, UnionType) and NONE in p.members
                    if not is_optional:
                        required = len(params) + 1
                    params.append(without_none(p) if is_optional else p)
                    names.append(name)
                if self.peek() == ",":
                    self.take()
                elif self.peek() != ")":
                    raise TypeSyntaxError("expected ',' or ')'")
            self.take(")")
            result: Type = NONE
            if self.peek() == "->":
                self.take()
                result = self.postfix()
            return FunctionType(tuple(params), result, required, variadic,
                                tuple(names) if any(names) else ())
        if tok in "[]{}(),:|?<>" or tok == "->":
            raise TypeSyntaxError(f"unexpected {tok!r}")
        args: tuple[Type, ...] = ()
        if self.peek() in ("<", "["):
            close = ">" if self.peek() == "<" else "]"
            self.take()
            items = [self.union()]
            while self.peek() == ",":
                self.take()
                items.append(self.union())
            self.take(close)
            args = tuple(items)
        return self.lookup(tok, args)
