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
    # a type of the program's own, a type of another unit, a name the types: table does
    # not list, an array, a selector chain, an operator without a canonical meaning
    text = """program P;
uses Foo;
type TColor = (Red, Green); TInt = Integer;
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
