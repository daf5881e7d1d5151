from __future__ import annotations

from craftls.language.catalog import bundled
from craftls.types import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    NONE,
    STR,
    UNKNOWN,
    FunctionType,
    ListType,
    MapType,
    Opaque,
    RecordType,
    TypeChecker,
    UnionType,
    assignable,
    parse_type,
)
from craftls.types.assignability import join
from craftls.types.model import Alias, TypeVar, optional, union


def test_parse_canonical_type_strings() -> None:
    assert parse_type("int") is INT
    assert parse_type("[str]") == ListType(STR)
    assert parse_type("str | [any]") == UnionType((STR, ListType(ANY))) or \
        parse_type("str | [any]") == union(STR, ListType(ANY))
    assert parse_type("{str: int}") == MapType(STR, INT)
    fn = parse_type("fn(int, int) -> int")
    assert isinstance(fn, FunctionType) and fn.params == (INT, INT) and fn.result is INT
    assert parse_type("int?") == optional(INT)
    assert parse_type("fn(x: int, y: str?) -> bool") == FunctionType((INT, STR), BOOL, 1,
                                                                    names=("x", "y"))
    assert str(parse_type("{str: [int]}")) == "{str: [int]}"
    assert str(parse_type("fn(int) -> str")) == "fn(int) -> str"


def test_malformed_and_unknown_names_are_never_errors() -> None:
    assert parse_type("[int") is UNKNOWN
    assert parse_type("Widget") == Opaque("Widget")
    for t in (INT, STR, ListType(INT), RecordType("R", ())):
        assert assignable(Opaque("Widget"), t) is None
        assert assignable(t, Opaque("Widget")) is None


def test_surface_names_map_case_insensitively() -> None:
    pascal = TypeChecker(bundled("pascal"))
    assert pascal.parse_type("INTEGER") is INT
    assert pascal.parse_type("integer") is INT
    assert pascal.parse_type("Real") is FLOAT
    assert pascal.parse_type("longint") is INT  # COMMON_TYPE_NAMES
    assert pascal.parse_type("Char") is STR
    assert pascal.display(INT) == "INTEGER"
    basic = TypeChecker(bundled("basic"))
    assert basic.parse_type("list") == ListType(ANY)
    assert basic.display(FLOAT) == "DOUBLE"
    teach = TypeChecker(bundled("teachlang"))
    assert teach.parse_type("truth") is BOOL and teach.display(STR) == "text"
    assert teach.parse_type("Gadget") == Opaque("Gadget")


def test_assignability_rules() -> None:
    assert assignable(INT, FLOAT) is None  # int widens to float
    assert assignable(FLOAT, INT) is not None
    assert assignable(ANY, INT) is None and assignable(INT, ANY) is None
    assert assignable(UNKNOWN, STR) is None and assignable(STR, UNKNOWN) is None
    assert assignable(STR, union(STR, ListType(ANY))) is None
    assert assignable(INT, union(STR, ListType(ANY))) is not None
    assert assignable(union(INT, STR), STR) is not None
    assert assignable(NONE, optional(INT)) is None
    assert assignable(NONE, INT) is not None
    assert assignable(NONE, STR) is None  # references may be nil
    assert assignable(optional(INT), INT) is not None
    assert assignable(ListType(INT), ListType(FLOAT)) is None
    assert assignable(ListType(STR), ListType(INT)) is not None
    assert assignable(ListType(INT, 1, 4), ListType(ANY)) is None
    assert assignable(Alias("Ledger", ListType(INT)), ListType(INT)) is None
    assert assignable(TypeVar("T", FLOAT), FLOAT) is None
    assert assignable(INT, TypeVar("T", FLOAT)) is None
    assert assignable(STR, TypeVar("T", FLOAT)) is not None


def test_structural_records() -> None:
    point = RecordType("Point", (("x", FLOAT), ("y", FLOAT)))
    named = RecordType("Named", (("x", INT), ("y", FLOAT), ("name", STR)))
    assert assignable(named, point) is None  # has every field, int widens
    why = assignable(point, named)
    assert why is not None and ("name" in why or "x" in why)
    assert "name" in (assignable(RecordType("P", (("x", INT), ("y", INT))), named) or "")
    assert assignable(RecordType("P", (("x", STR), ("y", FLOAT))), point) is not None


def test_functions_are_contravariant_and_covariant() -> None:
    takes_float = FunctionType((FLOAT,), INT)
    takes_int = FunctionType((INT,), FLOAT)
    assert assignable(takes_float, takes_int) is None
    assert assignable(takes_int, takes_float) is not None
    assert assignable(FunctionType((INT, INT), INT), FunctionType((INT,), INT)) is not None


def test_join() -> None:
    assert join(INT, FLOAT) is FLOAT
    assert join(NONE, STR) == optional(STR)
    assert join(optional(STR), STR) == optional(STR)
    assert join(INT, STR) is ANY
    assert join(ListType(INT), ListType(FLOAT)) == ListType(FLOAT)


def test_types_hash_and_compare_by_value() -> None:
    a = RecordType("R", (("x", INT),))
    b = RecordType("R", (("x", INT),))
    assert a == b and hash(a) == hash(b) and a is not b
    assert {a: 1}[b] == 1
