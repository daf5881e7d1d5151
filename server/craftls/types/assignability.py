"""Assignability between types, joins, and structural conformance to protocols.

These relations call one another (a value conforms to a protocol when each member's type
is assignable, and a protocol is assignable from the types that conform to it), so they
live in one module; all are memoized on the types' precomputed hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .model import (
    ANY,
    FLOAT,
    INT,
    NONE,
    NUMERIC,
    STR,
    UNKNOWN,
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
    is_dynamic,
    optional,
    render,
    strip,
)

# none is accepted where a value of one of these (reference) types is expected
_NULLABLE = (ListType, MapType, RecordType, FunctionType, ProtocolType)


@lru_cache(maxsize=65536)
def assignable(src: Type, dst: Type) -> str | None:
    """``None`` when a value of type ``src`` may be used where ``dst`` is expected;
    otherwise the reason why not (one short sentence)."""
    if src is dst:
        return None
    src, dst = strip(src), strip(dst)
    if src == dst or is_dynamic(src) or dst is ANY or dst is UNKNOWN or isinstance(dst, Opaque):
        return None
    if isinstance(dst, TypeVar):
        return None if dst.constraint is None else assignable(src, dst.constraint)
    if isinstance(src, UnionType):
        for m in src.members:
            why = assignable(m, dst)
            if why is not None:
                return f"{render(m)} is one of its possible types and {why}"
        return None
    if isinstance(dst, UnionType):
        if any(assignable(src, m) is None for m in dst.members):
            return None
        return f"{render(src)} is none of {render(dst)}"
    if src is NONE:
        if dst is STR or isinstance(dst, _NULLABLE):
            return None
        return f"none is not a {render(dst)} value"
    if src is INT and dst is FLOAT:
        return None
    if isinstance(dst, ListType):
        if not isinstance(src, ListType):
            return f"{render(src)} is not a list"
        why = assignable(src.elem, dst.elem)
        return None if why is None else f"its elements: {why}"
    if isinstance(dst, MapType):
        if not isinstance(src, MapType):
            return f"{render(src)} is not a map"
        why = assignable(src.key, dst.key) or assignable(src.value, dst.value)
        return None if why is None else f"its entries: {why}"
    if isinstance(dst, RecordType):
        if not isinstance(src, RecordType):
            return f"{render(src)} is not a record"
        if src.name == dst.name and src.fold == dst.fold and src.fields == dst.fields:
            return None
        for name, ftype in dst.fields:
            found = src.member(name)
            if found is None:
                return f"{src.name} has no field {name}"
            why = assignable(found[1], ftype)
            if why is not None:
                return f"field {name}: {why}"
        return None
    if isinstance(dst, ProtocolType):
        result = conformance(src, dst)
        return None if result.ok else result.summary()
    if isinstance(dst, FunctionType):
        if not isinstance(src, FunctionType):
            return f"{render(src)} is not a function"
        return function_assignable(src, dst)
    if dst is FLOAT and src is not INT:
        return f"{render(src)} is not a number"
    return f"{render(src)} is not {render(dst)}"


def function_assignable(src: FunctionType, dst: FunctionType) -> str | None:
    """Can ``src`` stand where ``dst`` is expected: contravariant parameters,
    covariant result, and it must accept as many arguments as ``dst`` is called with."""
    n = len(dst.params)
    if src.required > n or (n > len(src.params) and not src.variadic):
        return f"it takes {len(src.params)} parameter(s), not {n}"
    for i, expected in enumerate(dst.params):
        own = src.params[min(i, len(src.params) - 1)] if src.params else ANY
        why = assignable(expected, own)
        if why is not None:
            return f"parameter {i + 1} takes {render(own)}, but is given {render(expected)}"
    if dst.result is not NONE:
        why = assignable(src.result, dst.result)
        if why is not None:
            return f"it returns {render(src.result)}, not {render(dst.result)}"
    return None


def join(a: Type, b: Type) -> Type:
    """The type of a value that is either ``a`` or ``b`` (for inference, never for checks).
    Unrelated types join to ``any`` so an inferred type never causes a false positive."""
    if a == b:
        return a
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if a is ANY or b is ANY:
        return ANY
    sa, sb = strip(a), strip(b)
    if sa is NONE:
        return optional(b)
    if sb is NONE:
        return optional(a)
    if sa in NUMERIC and sb in NUMERIC:
        return FLOAT
    if isinstance(sa, ListType) and isinstance(sb, ListType):
        return ListType(join(sa.elem, sb.elem))
    if assignable(b, a) is None:
        return a
    if assignable(a, b) is None:
        return b
    return ANY


# ------------------------------------------------------------------ conformance


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
    """Whether a type conforms to a protocol, and why not."""

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


def own_members(t: Type) -> tuple[Member, ...]:
    """The members a type declares itself (a record's fields and methods, a protocol's
    members); a built-in type's come from its definition (``protocols.type_members``)."""
    t = strip(t)
    if isinstance(t, RecordType):
        return tuple([Member(n, "field", ft) for n, ft in t.fields]
                     + [Member(n, "method", mt, True) for n, mt in t.methods])
    if isinstance(t, ProtocolType):
        return t.members
    return ()


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
    for m in (*own_members(s), *extra):
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


__all__ = ["Conformance", "Problem", "assignable", "conformance", "function_assignable",
           "join", "own_members"]
