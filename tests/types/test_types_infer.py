"""Inference rules, through the pure core."""

from __future__ import annotations

from types_helpers import check, found, symbol_type, type_text

CURLY = """fn twice(n: int) -> int {
    return n * 2;
}
fn guess(n: int) {
    return n / 2;
}
let a = 1;
let b = 2.5;
let c = "x" + "y";
let d = a + b;
let e = a < b;
let f = 7 % 2;
let g = [1, 2, 3];
let h = [];
let i = twice(a);
let j = sqrt(2.0);
let k = len("abc");
let l = max(1, 2);
let m = !e;
let n = -a;
let o = null;
let p = g[0];
let q = "abc"[1];
let r = guess(4);
let s = unknown_thing + 1;
let t = a / 2;
for x in g {
    print(x);
}
for y in 0..3 {
    print(y);
}
"""


def test_literals_operators_and_declarations() -> None:
    report = check("curly", CURLY)
    expected = {"a": "int", "b": "float", "c": "string", "d": "float", "e": "bool",
                "f": "int", "g": "[int]", "h": "[any]", "i": "int", "j": "float",
                "k": "int", "m": "bool", "n": "int", "o": "void", "p": "int",
                "q": "string", "r": "float", "t": "float", "x": "int", "y": "int"}
    for name, want in expected.items():
        assert symbol_type(report, name) == want, name
    assert symbol_type(report, "l") == "int"  # min/max keep ints ints
    assert symbol_type(report, "s") is None or symbol_type(report, "s") == "unknown"
    assert symbol_type(report, "guess") == "fn(n: int) -> float"  # result from returns
    assert report.diagnostics == []


def test_unknown_stays_unknown_silently() -> None:
    report = check("curly", "let z: Widget = mystery(1);\nlet w: int = z;\nz = 4;\n")
    assert report.diagnostics == []
    assert symbol_type(report, "z") == "Widget"


PASCAL = """PROGRAM P;
TYPE
  Point = RECORD
    X, Y : REAL;
  END;
  Grid = ARRAY [1..3, 1..4] OF INTEGER;
CONST
  Size = 10;
VAR
  G : Grid;
  Pt : Point;
  Q : INTEGER;
FUNCTION Half(N : INTEGER) : REAL;
BEGIN
  Half := N / 2
END;
FUNCTION IsBig(N : INTEGER) : BOOLEAN;
BEGIN
  IsBig := N > Size
END;
BEGIN
  Q := G[1, 2];
  Q := 7 DIV 2;
  Q := 7 MOD 2;
  WriteLn(Pt.X, Half(Q), G[1], Size AND 3, NOT IsBig(Q))
END.
"""


def test_pascal_records_arrays_and_function_results() -> None:
    report = check("pascal", PASCAL)
    assert report.diagnostics == []
    assert symbol_type(report, "G") == "Grid"
    assert symbol_type(report, "Half", "function") == "fn(N: INTEGER) -> REAL"
    assert type_text(report, PASCAL, "G[1, 2]") == "INTEGER"
    assert type_text(report, PASCAL, "G[1]") == "[INTEGER; 1..4]"
    assert type_text(report, PASCAL, "Pt.X") == "REAL"
    assert type_text(report, PASCAL, "7 DIV 2") == "INTEGER"
    assert type_text(report, PASCAL, "N / 2") == "REAL"
    assert type_text(report, PASCAL, "Size AND 3") == "INTEGER"  # bitwise
    assert type_text(report, PASCAL, "NOT IsBig(Q)") == "BOOLEAN"
    assert type_text(report, PASCAL, "N > Size") == "BOOLEAN"


def test_pascal_style_function_result_from_name_assignments() -> None:
    text = "PROGRAM P;\nFUNCTION F(N : INTEGER) : STRING;\nBEGIN\n  F := N\nEND;\nBEGIN\nEND.\n"
    report = check("pascal", text)
    assert [(d.code, text[d.start:d.end]) for d in report.diagnostics] == [("return-type", "N")]
    assert report.diagnostics[0].message == \
        "Result of 'F': expected STRING, found INTEGER"


def test_loops_give_loop_variables_types() -> None:
    text = ('remember names = ["a", "b"]\nrepeat_for n inside names:\n    show(n)\n'
            'repeat_for i inside range(3):\n    show(i)\nrepeat_for c inside "abc":\n    show(c)\n')
    report = check("teachlang", text)
    assert symbol_type(report, "n") == "text"
    assert symbol_type(report, "i") == "int"
    assert symbol_type(report, "c") == "text"
    basic = "DIM total AS INTEGER\nFOR k = 1 TO 10\n    total = total + k\nNEXT k\n"
    assert symbol_type(check("basic", basic), "k") == "INTEGER"


def test_methods_of_builtin_types_from_protocols() -> None:
    text = 'remember s = " Hi "\nremember parts = s.strip().split(",")\nremember u = s.upper()\n'
    report = check("teachlang", text)
    assert symbol_type(report, "parts") == "[text]"
    assert symbol_type(report, "u") == "text"


def test_narrowing_nil_checks() -> None:
    text = """fn first(xs: [string]) -> string {
    let found = null;
    for x in xs {
        found = x;
    }
    if (found != null) {
        print(found);
    } else {
        print(found);
    }
    return found;
}
"""
    report = check("curly", text)
    assert symbol_type(report, "found") == "string?"
    assert type_text(report, text, "found", 3) == "string"  # print(found) in the then branch
    assert type_text(report, text, "found", 4) == "void"  # ... and in the else branch
    assert report.diagnostics == []
    ints = ("fn f(n: int) -> int {\n    let x = null;\n    if (n > 0) {\n        x = n;\n    }\n"
            "    if (x != null) {\n        return twice(x);\n    }\n    return twice(x);\n}\n"
            "fn twice(n: int) -> int {\n    return n * 2;\n}\n")
    report = check("curly", ints)
    assert found(report, ints) == [("argument-type", "x")]  # only the unnarrowed one
    assert report.diagnostics[0].start == ints.rindex("x)")


def test_unannotated_variables_widen_and_are_not_checked() -> None:
    text = ("teach f(n: int) -> text:\n    remember r = nothing\n    when n > 1:\n"
            "        r = \"big\"\n    give_back r\n")
    report = check("teachlang", text)
    assert symbol_type(report, "r") == "text?"
    assert report.diagnostics == []
    text = "remember x = 1\nx = \"one\"\n"
    assert check("teachlang", text).diagnostics == []


def test_hover_and_inlay_queries() -> None:
    text = "let total = 2 + 3;\nlet name: string = \"n\";\nfor v in [1.5] {\n    print(v);\n}\n"
    report = check("curly", text)
    at = report.type_at(text.index("2 + 3") + 2)
    assert at is not None and at.text == "int" and text[at.start:at.end] == "2 + 3"
    at = report.type_at(text.index("total"))
    assert at is not None and at.text == "int"
    hints = [(h.offset, h.label) for h in report.inferred_variable_types()]
    assert hints == [(text.index("total") + 5, ": int"), (text.index("v in") + 1, ": float")]
    basic = check("basic", "LET running = TRUE\n")
    assert [h.label for h in basic.inferred_variable_types()] == [" AS BOOLEAN"]
