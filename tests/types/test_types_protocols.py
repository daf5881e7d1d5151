from __future__ import annotations

import time

from craftls.language.catalog import bundled
from craftls.types import (
    FLOAT,
    INT,
    STR,
    FunctionType,
    ListType,
    Member,
    ProtocolType,
    RecordType,
    TypeChecker,
)
from craftls.types.model import Type
from craftls.types.protocols import conformance, protocol_stub_parts


def conforms(checker: TypeChecker, t: Type, protocol: str | ProtocolType) -> bool:
    """Whether ``t`` conforms (the protocol must be known)."""
    result = checker.conforms(t, protocol)
    assert result is not None, protocol
    return result.ok


def shape(readonly: bool = True) -> ProtocolType:
    return ProtocolType("Shape", (
        Member("area", "method", FunctionType((), FLOAT)),
        Member("name", "property", STR, readonly=readonly),
        Member("tag", "property", STR, optional=True),
    ))


def test_missing_and_mismatched_members_are_explained() -> None:
    r = RecordType("Box", (("name", INT),))
    result = conformance(r, shape())
    assert not result.ok
    kinds = {p.member: p.kind for p in result.problems}
    assert kinds == {"area": "missing", "name": "mismatch"}
    assert result.missing == ("area",)
    assert "Box does not conform to Shape" in result.summary()
    assert "property name has type int, expected str" in result.summary()


def test_optional_members_may_be_missing() -> None:
    r = RecordType("Box", (("name", STR),), (("area", FunctionType((), FLOAT)),))
    assert conformance(r, shape()).ok


def test_mutable_satisfies_readonly_but_not_the_reverse() -> None:
    r = RecordType("Box", (("name", STR),), (("area", FunctionType((), FLOAT)),))
    assert conformance(r, shape(readonly=True)).ok
    assert conformance(r, shape(readonly=False)).ok  # a field is writable
    ro = ProtocolType("RO", (Member("name", "property", STR, readonly=True),))
    rw = ProtocolType("RW", (Member("name", "property", STR, readonly=False),))
    result = conformance(ro, rw)
    assert [p.kind for p in result.problems] == ["readonly"]


def test_methods_contravariant_params_covariant_returns_int_to_float() -> None:
    proto = ProtocolType("Scaler", (Member("scale", "method", FunctionType((INT,), FLOAT)),))
    # takes a wider parameter, returns a narrower result: fine
    ok = RecordType("A", (), (("scale", FunctionType((FLOAT,), INT)),))
    assert conformance(ok, proto).ok
    narrow_param = RecordType("B", (), (("scale", FunctionType((STR,), FLOAT)),))
    assert [p.kind for p in conformance(narrow_param, proto).problems] == ["mismatch"]
    wide_result = RecordType("C", (), (("scale", FunctionType((INT,), STR)),))
    assert not conformance(wide_result, proto).ok
    arity = RecordType("D", (), (("scale", FunctionType((INT, INT), FLOAT)),))
    assert "parameter" in conformance(arity, proto).summary()
    # a mutable float property accepts exactly float; a readonly one accepts int
    prop_ro = ProtocolType("P", (Member("size", "property", FLOAT, readonly=True),))
    prop_rw = ProtocolType("Q", (Member("size", "property", FLOAT),))
    int_field = RecordType("E", (("size", INT),))
    assert conformance(int_field, prop_ro).ok
    assert not conformance(int_field, prop_rw).ok


def test_definition_protocols_extends_and_generics() -> None:
    checker = TypeChecker(bundled("curly"))
    shape_p = checker.protocol("Shape")
    assert shape_p is not None
    assert {m.name for m in shape_p.members} == {"name", "area"}  # 'name' from Named
    seq = checker.parse_type("Sequence<str>")
    assert isinstance(seq, ProtocolType)
    get = seq.member("get")
    assert get is not None and isinstance(get.type, FunctionType) and get.type.result is STR
    generic = checker.protocol("Sequence")
    assert generic is not None
    good = RecordType("Words", (), (("get", FunctionType((INT,), STR)),
                                    ("size", FunctionType((), INT))))
    assert conforms(checker, good, "Sequence")  # unbound T accepts anything
    assert conforms(checker, good, seq)
    int_sequence = checker.parse_type("Sequence<int>")
    assert isinstance(int_sequence, ProtocolType)
    assert not conforms(checker, good, int_sequence)


def test_builtin_types_get_members_from_protocols_named_like_them() -> None:
    checker = TypeChecker(bundled("teachlang"))
    names = {m.name for m in checker.members_of(STR)}
    assert {"upper", "lower", "split"} <= names
    assert {"append", "pop"} <= {m.name for m in checker.members_of(ListType(INT))}
    record = RecordType("P", (("x", FLOAT),))
    assert [m.name for m in checker.members_of(record)] == ["x"]


def test_conformance_is_memoized_and_fast() -> None:
    protocols = [ProtocolType(f"P{i}", (Member("area", "method", FunctionType((), FLOAT)),
                                         Member(f"f{i}", "property", STR)))
                 for i in range(10)]
    r = RecordType("Memo", tuple((f"f{i}", STR) for i in range(10)),
                   (("area", FunctionType((), INT)),))
    for p in protocols:
        assert conformance(r, p).ok
    hits = conformance.cache_info().hits
    start = time.perf_counter()
    for p in protocols:
        conformance(r, p)
    assert conformance.cache_info().hits == hits + 10
    assert time.perf_counter() - start < 0.01


def test_protocol_stubs_in_the_language_syntax() -> None:
    pascal = TypeChecker(bundled("pascal"))
    empty = RecordType("Circle", (("Radius", FLOAT),), fold=True)
    shape = pascal.protocol("Shape")
    assert shape is not None
    fields, methods = protocol_stub_parts(empty, shape, pascal.definition,
                                          "    ")
    assert fields == "    Name : STRING;\n"
    assert methods == "FUNCTION Area : REAL;\nBEGIN\nEND;\n"
    curly = TypeChecker(bundled("curly"))
    text = curly.protocol_stubs(RecordType("E", ()), "Shape")
    assert "    name: string;" in text and "fn area() -> float {\n}" in text
    basic_like = TypeChecker(bundled("teachlang"))
    text = basic_like.protocol_stubs(RecordType("E", ()), "List")
    assert "teach append(item: any) -> none:" not in text
    assert "teach pop() -> any:\n    nothing_to_do" in text
