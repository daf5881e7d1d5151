"""Type checks of grammar-defined languages (types/grammar_infer.py): declared types from
the `type: true` annotations and the definition's `types:` table, expression types from
the `run:` annotations, conditions by `structure.boolean_conditions`."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from types_helpers import (
    assert_edits_match_a_fresh_check,
    check,
    check_parsed,
    edit_lists,
    found,
    symbol_type,
    type_text,
)

from craftls.language.catalog import BUNDLED_DIR, bundled
from craftls.language.loader import load_definition_text
from craftls.semantics.resolve import resolve_names
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse
from craftls.types import TypeCache, TypeChecker

PROGRAM = """program P;
var s: string; n: Integer; b: Boolean; r: Real;
begin
  n := 1;
  s := n;
  n := s + 1;
  b := n;
  if n then n := 2;
  r := n;
  n := r;
  WriteLn(s)
end.
"""


def _codes(language: str, text: str) -> list[tuple[str, str]]:
    codes: list[tuple[str, str]] = found(check(language, text), text)
    return codes


def test_assignments_of_another_type_are_errors() -> None:
    assert _codes("turbopascal", PROGRAM) == [
        ("type-mismatch", "n"),  # s := n
        ("type-mismatch", "s + 1"),  # n := s + 1
        ("type-mismatch", "n"),  # b := n
        ("condition-type", "n"),  # if n then
        ("type-mismatch", "r"),  # n := r (r := n widens)
    ]
    report = check("turbopascal", PROGRAM)
    messages = [d.message for d in report.diagnostics]
    assert messages[0] == "Cannot assign to 's': expected SHORTSTRING, found INTEGER"
    assert messages[2] == "Cannot assign to 'b': expected BOOLEAN, found INTEGER"
    assert report.diagnostics[3].severity == "error"


def test_expression_types_follow_the_run_operators() -> None:
    text = """program P;
var a, b: Integer; x: Real; t: Boolean; c: Char;
begin
  x := a / b;
  a := a div b + a mod b * 2;
  t := (a < b) and not t;
  a := a and b;
  c := Chr(a);
  a := Ord(c) + Length('abc');
  a := -a;
  x := x * 2 + 1.5
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == []
    assert type_text(report, text, "a / b") == "REAL"
    assert type_text(report, text, "a div b + a mod b * 2") == "INTEGER"
    assert type_text(report, text, "(a < b) and not t") == "BOOLEAN"
    assert type_text(report, text, "a and b") == "INTEGER"  # bitwise on integers
    bad = text.replace("a := -a;", "a := a / b;").replace("c := Chr(a);", "t := a + 1;")
    assert found(check("turbopascal", bad), bad) == [("type-mismatch", "a + 1"),
                                                     ("type-mismatch", "a / b")]


def test_functions_give_their_declared_result_and_check_it() -> None:
    text = """program P;
var n: Integer; s: string;
function Twice(k: Integer): Integer;
begin
  Twice := k * 2
end;
function Name: string;
begin
  Name := 42
end;
begin
  s := Twice(3);
  n := Twice(n) + 1;
  n := Name
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == [("return-type", "42"), ("type-mismatch", "Twice(3)"),
                                   ("type-mismatch", "Name")]
    assert symbol_type(report, "k") == "INTEGER"


def test_arguments_of_the_program_s_own_routines_are_checked() -> None:
    text = """program P;
var n: Integer; s: string;
procedure Show(k: Integer; t: string; x: Real);
begin
  WriteLn(k, t, x)
end;
begin
  Show(n, s, n);
  Show(s, 'a', 2.5);
  Show(1, 2, 'x');
  WriteLn(n, s, 1.5:8:2)
end.
"""
    assert _codes("turbopascal", text) == [("argument-type", "s"), ("argument-type", "2"),
                                           ("argument-type", "'x'")]


def test_unknown_types_give_no_error() -> None:
    # an enumeration, a set, a type of another unit, a name the types: table does not
    # list, a whole array, an operator without a canonical meaning
    text = """program P;
uses Foo;
type TColor = (Red, Green); TInt = set of Char;
var c: TColor; i: TInt; f: Foo.TThing; w: UnknownType; a: array[1..3] of Integer;
    n: Integer; s: string;
begin
  c := 1;
  i := 'x';
  f := 2;
  w := 'y';
  n := a[1];
  a[1] := n;
  n := c;
  n := n xor 1;
  s := w;
  n := i;
  if w then n := 0;
  while f do n := 1;
  n := 'z'
end.
"""
    # only the last line, whose types are all known
    assert _codes("turbopascal", text) == [("type-mismatch", "'z'")]


def test_conditions_are_checked_only_where_the_definition_says_so() -> None:
    text = "program P;\nvar n: Integer;\nprocedure Q;\nbegin\n  while n do n := 1\nend;\n" \
        "begin\n  if n then n := 1;\n  while n > 0 do n := 0\nend.\n"
    assert _codes("turbopascal", text) == [("condition-type", "n")] * 2
    # the same grammar without the key: a condition is not checked
    source = (BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    assert "boolean_conditions: true" in source
    lenient, problems = load_definition_text(source.replace("boolean_conditions: true", ""))
    assert lenient is not None and not [p for p in problems if p.severity == "error"]
    parsed = parse(lenient, text)
    report = TypeChecker(lenient).check(parsed, resolve_names(parsed))
    assert report.diagnostics == []


def test_a_repeat_loop_s_condition_is_checked_split_or_not() -> None:
    # `repeat ... until c` holds statements: at the top level its parts are units of
    # their own (the condition alone), inside a routine it is walked whole; its
    # condition is checked as a condition either way
    text = ("program P;\nvar n: Integer;\nprocedure Q;\nbegin\n  repeat n := 1 until n\nend;\n"
            "begin\n  repeat n := 'a' until n;\n  repeat n := 2 until n > 1\nend.\n")
    assert _codes("turbopascal", text) == [("condition-type", "n"), ("type-mismatch", "'a'"),
                                           ("condition-type", "n")]


def test_a_keyword_level_language_reads_the_same_key() -> None:
    text = "PROGRAM P;\nVAR N : INTEGER;\nBEGIN\n  IF N THEN N := 1;\n  IF N > 0 THEN N := 2\nEND.\n"
    assert _codes("pascal", text) == []
    source = (BUNDLED_DIR / "pascal.yaml").read_text(encoding="utf-8")
    strict, _ = load_definition_text(source.replace("structure:\n", "structure:\n"
                                                    "  boolean_conditions: true\n", 1))
    assert strict is not None and strict.structure.boolean_conditions
    parsed = parse(strict, text)
    report = TypeChecker(strict).check(parsed, resolve_names(parsed))
    assert [(d.code, d.severity, text[d.start:d.end]) for d in report.diagnostics] == [
        ("condition-type", "error", "N")]


def test_type_aliases_subranges_arrays_and_string_characters() -> None:
    text = """program P;
type TInt = Integer; TDigit = 0..9; TRow = array[1..3] of Real;
  TGrid = array[1..2, 1..4] of TInt; TName = string;
var n: TInt; d: TDigit; row: TRow; g: TGrid; s: TName; c: Char; x: Real;
begin
  n := 1; d := 5; row[1] := n; g[1, 2] := n; c := s[1]; x := row[2];
  n := 'a';
  d := 'b';
  row[1] := 'c';
  g[1, 2] := 2.5;
  n := s[1];
  n := row[3];
  s := g[2, 1]
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == [("type-mismatch", "'a'"), ("type-mismatch", "'b'"),
                                   ("type-mismatch", "'c'"), ("type-mismatch", "2.5"),
                                   ("type-mismatch", "s[1]"), ("type-mismatch", "row[3]"),
                                   ("type-mismatch", "g[2, 1]")]
    assert report.diagnostics[0].message == "Cannot assign to 'n': expected TInt, found SHORTSTRING"
    assert type_text(report, text, "g[1, 2]") == "TInt"


def test_record_fields_nested_records_and_arrays_of_records() -> None:
    text = """program P;
type TPoint = record x, y: Integer end;
  TShape = record name: string; at: TPoint; size: record w, h: Real end end;
  TShapes = array[1..9] of TShape;
var pt: TPoint; sh: TShape; all: TShapes; n: Integer;
begin
  pt.x := 1; sh.at.y := pt.x; all[2].size.w := 1; n := all[1].at.x;
  pt.y := 'a';
  sh.name := 3;
  all[1].at.x := 'b';
  n := sh.size.h;
  n := all[1].name;
  n := sh.nothing;
  sh := pt
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == [("type-mismatch", "'a'"), ("type-mismatch", "3"),
                                   ("type-mismatch", "'b'"), ("type-mismatch", "sh.size.h"),
                                   ("type-mismatch", "all[1].name")]
    assert report.diagnostics[2].message == \
        "Cannot assign to 'all[1].at.x': expected INTEGER, found SHORTSTRING"


def test_pointers_are_dereferenced_to_their_target() -> None:
    text = """program P;
type PNode = ^TNode; TNode = record value: Integer; next: PNode end;
var head: PNode; n: Integer;
begin
  head := nil; New(head); head^.value := 1; n := head^.next^.value;
  head^.value := 'x';
  n := head
end.
"""
    assert _codes("turbopascal", text) == [("type-mismatch", "'x'")]
    # the same types local to a routine: one unit, TNode walked where PNode names it
    local = """program P;
procedure Q;
type PNode = ^TNode; TNode = record value: Integer; next: PNode end;
var head: PNode; n: Integer;
begin
  n := head^.next^.value;
  head^.value := 'x'
end;
begin
end.
"""
    assert _codes("turbopascal", local) == [("type-mismatch", "'x'")]


def test_object_methods_arguments_results_and_parent_members() -> None:
    text = """program P;
type TBase = object
    count: Integer;
    procedure Add(k: Integer);
  end;
  TNamed = object(TBase)
    function Name: string;
    function Scaled(by: Real): Real;
  end;
var o: TNamed; n: Integer; s: string;
procedure TBase.Add(k: Integer);
begin
  count := count + k
end;
function TNamed.Name: string;
begin
  Name := 'named'
end;
function TNamed.Scaled(by: Real): Real;
begin
  Scaled := count * by
end;
begin
  o.Add(1); o.count := 2; s := o.Name; n := o.count;
  o.Add('x');
  n := o.Name;
  n := o.Scaled(2);
  o.count := 'y'
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == [("argument-type", "'x'"), ("type-mismatch", "o.Name"),
                                   ("type-mismatch", "o.Scaled(2)"), ("type-mismatch", "'y'")]
    assert report.diagnostics[0].message == "Argument 1 of 'Add' (k): expected INTEGER, " \
        "found SHORTSTRING"


def test_an_object_s_own_method_overrides_its_parent_s_and_a_constructor_is_no_procedure(
        ) -> None:
    text = """program P;
type TBase = object
    n: Integer;
    constructor Init;
    procedure Show(k: Integer);
  end;
  TChild = object(TBase)
    constructor Init;
    procedure Show(s: string);
  end;
var c: TChild; ok: Boolean;
constructor TBase.Init;
begin
  n := 0
end;
procedure TBase.Show(k: Integer);
begin
end;
constructor TChild.Init;
begin
  if not TBase.Init then Fail;
  if Init then n := 1
end;
procedure TChild.Show(s: string);
begin
end;
begin
  c.Show('x');
  c.Show(1);
  ok := c.Init
end.
"""
    assert _codes("turbopascal", text) == [("argument-type", "1")]


def test_fields_and_methods_named_alone_in_with_and_in_a_method_s_body() -> None:
    text = """program P;
type TR = record x: Integer; s: string end;
  TObj = object
    v: Integer;
    name: string;
    procedure SetV(k: Integer);
    function Get: Integer;
  end;
var r: TR; o: TObj;
procedure TObj.SetV(k: Integer);
begin
  v := k;
  v := 'a';
  name := k
end;
function TObj.Get: Integer;
begin
  SetV(Get * 2);
  SetV('d');
  name := Get;
  Get := v
end;
begin
  with r do begin x := 1; s := 'ok'; x := 'b'; s := 3 end;
  with o do v := 'c'
end.
"""
    # and the methods named alone in a method's body: their parameters and results
    assert _codes("turbopascal", text) == [("type-mismatch", "'a'"), ("type-mismatch", "k"),
                                           ("argument-type", "'d'"), ("type-mismatch", "Get"),
                                           ("type-mismatch", "'b'"), ("type-mismatch", "3"),
                                           ("type-mismatch", "'c'")]


def test_an_enumeration_s_values_are_of_its_type_and_never_wrong() -> None:
    text = """program P;
type TColor = (Red, Green, Blue);
var c: TColor; n: Integer;
begin
  c := Green; n := Ord(c); c := Succ(c); n := 1
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == []
    assert type_text(report, text, "Green", 1) == "TColor"
    assert symbol_type(report, "Red") == "TColor"
    # Succ and Pred give their argument's type (the builtins' `type: T`, `returns: T`)
    assert type_text(report, text, "Succ(c)") == "TColor"
    bad = text.replace("n := 1", "n := Pred(c); n := Succ(n); c := Succ('a'); n := Succ('b')")
    assert _codes("turbopascal", bad) == [("type-mismatch", "Succ('b')")]


def test_var_parameters_take_variables_of_their_own_type() -> None:
    text = """program P;
type TRec = record n: Integer end;
var n: Integer; x: Real; s: string; r: TRec; a: array[1..3] of Integer;
procedure Swap(var k: Integer; var t: string; m: Real);
begin
end;
function Twice(k: Integer): Integer;
begin
  Twice := 2 * k
end;
begin
  Swap(n, s, n);
  Swap(r.n, s, 1);
  Swap(a[2], s, x);
  Swap(Integer(x), s, x);
  Swap(1, s, 1);
  Swap(n + 1, s, 1);
  Swap(Twice(n), s, 1);
  Swap(n, 'abc', 1);
  Swap(x, s, 1)
end.
"""
    report = check("turbopascal", text)
    assert found(report, text) == [("var-argument", "1"), ("var-argument", "n + 1"),
                                   ("var-argument", "Twice(n)"), ("var-argument", "'abc'"),
                                   ("argument-type", "x")]
    messages = [d.message for d in report.diagnostics]
    assert messages[0] == \
        "Argument 1 of 'Swap' (k) must be a variable: its parameter is passed by reference"
    assert messages[-1] == "Argument 1 of 'Swap' (k): expected INTEGER, found REAL"
    # the integer where a real is passed by reference: not the real the routine stores
    text2 = text.replace("var t: string; m: Real", "var t: string; var m: Real")
    codes = _codes("turbopascal", text2.replace("Swap(n, s, n);", "Swap(n, s, n); Swap(n, s, 2.5);"))
    assert ("argument-type", "n") in codes and ("var-argument", "2.5") in codes


QBASIC = """DECLARE SUB Show (t$, n%)
DECLARE FUNCTION Twice% (k%)
DIM s AS STRING, n AS INTEGER, x AS DOUBLE
DIM names$(10), counts(5) AS LONG
s = "a": n = 2: x = 2.5: n = x
a$ = "b": b% = 3: c! = 1.5: b% = c!: w = "any": w = 1
names$(1) = "x": counts(2) = 7: x = VAL(a$) + ASC(s): T# = TIMER
CALL Show(s, n): Show "t", 2.5
s = 5
n = "z"
a$ = 1
b% = a$ + "q"
names$(2) = 3
counts(1) = "w"
CALL Show(1, "t")
s = Twice%(2)
SUB Show (t$, n%)
  PRINT t$, n%
END SUB
FUNCTION Twice% (k%)
  Twice% = k% * 2.5
  Twice = "bad"
END FUNCTION
"""


def test_qbasic_declarations_and_type_marks_give_types() -> None:
    # AS INTEGER / STRING ... and the marks $ % & ! #: a text where a number goes, or a
    # number where a text goes, is QBasic's "Type mismatch"; numbers convert (n = x
    # rounds); a name with neither a mark nor a declaration is any type (DEFSTR)
    report = check("qbasic", QBASIC)
    assert found(report, QBASIC) == [
        ("type-mismatch", "5"), ("type-mismatch", '"z"'), ("type-mismatch", "1"),
        ("type-mismatch", 'a$ + "q"'), ("type-mismatch", "3"), ("type-mismatch", '"w"'),
        ("argument-type", "1"), ("argument-type", '"t"'), ("type-mismatch", "Twice%(2)"),
        ("return-type", '"bad"')]
    assert report.diagnostics[0].message == "Cannot assign to 's': expected STRING, found INTEGER"
    assert report.diagnostics[7].message == \
        "Argument 2 of 'Show' (n%): expected INTEGER, found STRING"
    assert type_text(report, QBASIC, "c!", 1) == "SINGLE"
    assert symbol_type(report, "k%") == "INTEGER"


def test_qbasic_passes_an_expression_by_reference_in_a_temporary() -> None:
    # structure.by_reference_variables: false (FreeBASIC's BYREF takes an expression)
    text = """DECLARE SUB Bump (BYREF n AS INTEGER, BYREF s AS STRING)
DIM k AS INTEGER
Bump k, "a"
Bump 1 + k, "b" + "c"
Bump "x", k
SUB Bump (BYREF n AS INTEGER, BYREF s AS STRING)
  n = n + 1
END SUB
"""
    assert _codes("qbasic", text) == [("argument-type", '"x"'), ("argument-type", "k")]
    source = (BUNDLED_DIR / "qbasic.yaml").read_text(encoding="utf-8")
    assert "by_reference_variables: false" in source
    strict, _ = load_definition_text(source.replace("by_reference_variables: false", ""))
    assert strict is not None and strict.structure.by_reference_variables
    parsed = parse(strict, text)
    report = TypeChecker(strict).check(parsed, resolve_names(parsed))
    assert sorted((d.start, d.code, text[d.start:d.end]) for d in report.diagnostics) == [
        (text.index('"a"'), "var-argument", '"a"'), (text.index("1 + k"), "var-argument", "1 + k"),
        (text.index('"b"'), "var-argument", '"b" + "c"'),
        (text.index('"x"'), "argument-type", '"x"'), (text.index('"x"'), "var-argument", '"x"'),
        (text.index('"x", k') + 5, "argument-type", "k")]


def test_qbasic_records_arrays_and_first_assignments() -> None:
    # a TYPE's fields, an array of records, an array of marked names, and a marked name
    # whose first assignment declares it
    text = """TYPE Pos
  x AS INTEGER
  label AS STRING * 8
END TYPE
DIM p AS Pos, ps(5) AS Pos
DIM a$(10), b%(3)
p.x = 1: p.label = "ok": ps(1).x = 2: a$(2) = "s": b%(1) = 3: t$ = p.label
p.x = "e1"
ps(2).label = 3
a$(1) = 4
b%(2) = "e2"
n$ = p.x
m$ = 5
"""
    report = check("qbasic", text)
    assert found(report, text) == [("type-mismatch", '"e1"'), ("type-mismatch", "3"),
                                   ("type-mismatch", "4"), ("type-mismatch", '"e2"'),
                                   ("type-mismatch", "p.x"), ("type-mismatch", "5")]
    assert report.diagnostics[1].message == \
        "Cannot assign to 'ps(2).label': expected STRING, found INTEGER"


def test_qbasic_array_parameters_are_arrays_of_their_type() -> None:
    # items() AS T, a$(): the routine's `arrays` token makes the parameter an array
    text = """DECLARE SUB Hi (a$(), b%(), c AS INTEGER, d() AS STRING)
DIM x$(5), y%(3), z(2) AS STRING
Hi x$(), y%(), 1, z()
CALL Hi(x$(), y%(), 2, z())
CALL Hi(x$(), y%(), "c", z())
SUB Hi (a$(), b%(), c AS INTEGER, d() AS STRING)
  a$(1) = "s": b%(1) = 2: d(0) = "t"
  a$(2) = 3
END SUB
"""
    assert _codes("qbasic", text) == [("argument-type", '"c"'), ("type-mismatch", "3")]


def test_an_edit_of_a_declaration_gives_the_fresh_answer() -> None:
    definition = bundled("turbopascal")
    checker = TypeChecker(definition, TypeCache())
    text = "program P;\nvar s: string;\nbegin\n  s := 'a';\n  s := 'b'\nend.\n"
    parsed = parse(definition, text)
    assert check_parsed(parsed, checker).diagnostics == []
    at = text.index("string")
    parsed2, _ = apply_edit(parsed, TextEdit(at, at + len("string"), "Integer"))
    report = check_parsed(parsed2, checker)
    assert found(report, parsed2.text) == [("type-mismatch", "'a'"), ("type-mismatch", "'b'")]
    # and back
    at = parsed2.text.index("Integer")
    parsed3, _ = apply_edit(parsed2, TextEdit(at, at + len("Integer"), "string"))
    assert check_parsed(parsed3, checker).diagnostics == []


BASE = """program P;
const Limit = 10;
var s: string; n: Integer; b: Boolean; r: Real;
function Twice(k: Integer): Integer;
begin
  Twice := k * 2
end;
begin
  n := Twice(Limit);
  r := n / 2;
  s := 'x';
  b := n > 1;
  if b then n := 1;
  while n < 3 do n := n + 1
end.
"""
SNIPPETS = ["repeat ", " until n", " until n > 1", "1", "2.5", "'s'", "n", "Twice(", ")", ";", "\n", " ", "Integer", "string",
            "Boolean", "b := ", "n := ", "if n then ", "s", "+", "Limit", "var q: Real;"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_lists(SNIPPETS))
def test_cached_answers_equal_a_from_scratch_check(edits: list[Any]) -> None:
    assert_edits_match_a_fresh_check("turbopascal", BASE, edits)


RECORDS = """program P;
type TR = record x: Integer; s: string end;
  TObj = object
    v: Integer;
    procedure SetV(k: Integer);
  end;
  TRs = array[1..3] of TR;
var r: TR; o: TObj; rs: TRs; n: Integer;
procedure TObj.SetV(k: Integer);
begin
  v := k
end;
procedure Bump(var k: Integer);
begin
  k := k + 1
end;
begin
  with r do x := 1;
  rs[1].s := 'a';
  o.SetV(n);
  Bump(r.x);
  repeat n := n + 1 until n > 3
end.
"""
RECORD_SNIPPETS = ["x: string;", "v: Real;", "'b'", "2", "string", "Integer", "rs[2].x",
                   "r.x", "n + 1", "with o do ", "v := 'c';", ";", " ", "\n", "TR", "^TR"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_lists(RECORD_SNIPPETS))
def test_cached_answers_on_records_equal_a_from_scratch_check(edits: list[Any]) -> None:
    assert_edits_match_a_fresh_check("turbopascal", RECORDS, edits)


QBASIC_SNIPPETS = ["a$", "n%", "5", '"t"', "AS STRING", "AS INTEGER", "DIM x AS LONG\n",
                   "CALL Show(1, 2)\n", "$", "%", " ", "\n", "="]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_lists(QBASIC_SNIPPETS))
def test_cached_answers_on_qbasic_equal_a_from_scratch_check(edits: list[Any]) -> None:
    assert_edits_match_a_fresh_check("qbasic", QBASIC, edits)


def test_qbasic_qb64_s_longer_marks_give_types() -> None:
    # QB64's marks are up to three characters (`~&` unsigned long, `%%` byte, `##` float)
    text = 'b~& = 7\nf## = 1.5\nw%% = "x"\nb~& = "y"\nt$ = b~&\n'
    report = check("qbasic", text)
    assert found(report, text) == [("type-mismatch", '"x"'), ("type-mismatch", '"y"'),
                                   ("type-mismatch", "b~&")]


def test_qbasic_truth_values_are_numbers_and_array_parameters_take_any_dimensions() -> None:
    # found on real programs (QB64 demos, Microsoft's NIBBLES): a comparison is -1 or 0,
    # an array parameter `b()` takes an array of its elements however many dimensions it
    # has, and a builtin the data says gives nothing (FreeBASIC's Width()) is no error
    text = ("TYPE Cell\n  x AS INTEGER\nEND TYPE\n"
            "DECLARE SUB Clear (b() AS Cell)\n"
            "DIM grid(10, 10) AS Cell\nDIM flag AS INTEGER\n"
            "flag = (3 > 2)\nlb% = ((flag AND 1) <> 0)\nClear grid()\nw% = CLS\n"
            "s$ = (1 = 1)\n"
            "SUB Clear (b() AS Cell)\n  b(0).x = 0\nEND SUB\n")
    report = check("qbasic", text)
    assert found(report, text) == [("type-mismatch", "(1 = 1)")]  # still no text


def test_qbasic_a_sub_s_own_variable_is_not_the_module_s() -> None:
    """``isolated``: a FUNCTION's `a = 1` is its own variable, not the module's `a`
    declared STRING * 5; a DIM SHARED variable is the SUB's too, and DIM SHARED AS STRING
    s types s (the type before the names)."""
    text = """DIM a AS STRING * 5
DIM SHARED AS STRING s
a = "hello"
PRINT Life(2)
FUNCTION Life (k)
    a = 1
    s = 2
    Life = a + k
END FUNCTION
"""
    assert _codes("qbasic", text) == [("type-mismatch", "2")]


def test_qbasic_a_field_with_a_default_value_is_checked_without_failing() -> None:
    """FreeBASIC's ``flag AS BOOLEAN = FALSE`` in a TYPE: the field's declare run refuses
    the '=' (code generation has no initialised fields: no parts), and the check went on
    to read its bounds and failed; the other fields keep their types."""
    text = """TYPE Mesh
    doubleSided AS INTEGER = 0
    faces(ANY) AS INTEGER
    count AS INTEGER
END TYPE
DIM m AS Mesh
m.count = "no"
"""
    assert _codes("qbasic", text) == [("type-mismatch", '"no"')]


def test_qbasic_fields_with_default_values_keep_their_types() -> None:
    """FreeBASIC's ``scale AS SINGLE = 2.5`` and ``AS LONG a = 1, b``: `craftls run`
    refuses the default, the type check still knows each field's type."""
    text = """TYPE Gauge
    scale AS SINGLE = 2.5
    AS STRING label = "g", unit
    AS LONG a = 1, b
END TYPE
DIM g AS Gauge
g.scale = "wide"
g.label = 3
g.unit = 4
g.a = "x"
g.b = 7
"""
    assert _codes("qbasic", text) == [("type-mismatch", '"wide"'), ("type-mismatch", "3"),
                                      ("type-mismatch", "4"), ("type-mismatch", '"x"')]


def test_qbasic_a_type_that_extends_another_has_its_fields() -> None:
    """FreeBASIC's ``TYPE Circle EXTENDS Shape``: Shape's fields are Circle's too, with
    their types (the record is refused by `craftls run`, typed all the same)."""
    text = """TYPE Shape
    edges AS INTEGER
END TYPE
TYPE Circle EXTENDS Shape
    radius AS SINGLE
END TYPE
DIM c AS Circle
c.edges = "none"
c.radius = "big"
c.edges = 0
"""
    assert _codes("qbasic", text) == [("type-mismatch", '"none"'), ("type-mismatch", '"big"')]
