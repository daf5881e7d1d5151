"""Overloaded routines (several routines of one name in one scope, Free Pascal's
`overload;`): a call means the one its arguments fit, by their number and, where the
type check knows them, their types. Argument-count and argument-type errors come only
when none fits; go to definition, hover, references and signature help follow the one
chosen. Free Pascal 3.2.2 (`fpc -s -Mobjfpc`) accepts every program here but for the
lines the tests mark wrong, where it reports the same mistake."""

from __future__ import annotations

from craftls.features import hover, navigation
from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

SHOWS = """program Shows;
{$mode objfpc}
procedure Show(A: Integer); overload;
begin
  WriteLn(A);
end;

procedure Show(const S: string; N: Integer); overload;
begin
  WriteLn(S, N);
end;

function Twice(A: Integer): Integer; overload;
begin
  Twice := A * 2;
end;

function Twice(const S: string): string; overload;
begin
  Twice := S + S;
end;

var
  T: string;
  N: Integer;
begin
  Show(1);
  Show('a', 2);
  T := Twice('ab');
  N := Twice(3) + 1;
  WriteLn(T, N);
end.
"""


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def test_overloaded_calls_that_fit_one_routine_check_clean() -> None:
    assert shown(SHOWS) == []


def test_a_call_no_overload_takes_that_many_arguments_is_an_error() -> None:
    wrong = SHOWS.replace("  Show(1);", "  Show(1, 2, 3);")
    assert [(d[0], d[3], d[4]) for d in shown(wrong)] == [
        (27, "argument-count", "no routine 'Show' takes 3 arguments (its overloads take 1 or 2)")]


def test_the_result_of_the_overload_the_argument_types_choose_is_checked() -> None:
    wrong = SHOWS.replace("  N := Twice(3) + 1;", "  N := Twice('ab');")
    assert [(d[0], d[3]) for d in shown(wrong)] == [(30, "type-mismatch")]


def test_the_one_overload_of_that_many_arguments_has_its_arguments_checked() -> None:
    wrong = SHOWS.replace("  Show('a', 2);", "  Show('a', 'b');")
    assert [(d[0], d[3]) for d in shown(wrong)] == [(28, "argument-type")]


def test_a_mark_on_the_second_routine_only_makes_both_overloads() -> None:
    text = """program Halves;
{$mode objfpc}
function Half(A: Integer): Integer;
begin
  Half := A div 2;
end;

function Half(A: Real): Real; overload;
begin
  Half := A / 2;
end;

var
  R: Real;
begin
  R := Half(2.5) + Half(4);
  WriteLn(R);
end.
"""
    assert shown(text) == []


def test_overloads_marked_in_a_unit_s_interface_only_are_no_duplicates() -> None:
    text = """unit Areas;
{$mode objfpc}
interface
function Area(W: Integer): Integer; overload;
function Area(W, H: Integer): Integer; overload;
implementation
function Area(W: Integer): Integer;
begin
  Result := W * W;
end;
function Area(W, H: Integer): Integer;
begin
  Result := W * H;
end;
initialization
  WriteLn(Area(2), Area(2, 3));
end.
"""
    assert shown(text) == []
    assert [d[4] for d in shown(text.replace("Area(2, 3)", "Area(2, 3, 4)"))] == [
        "no routine 'Area' takes 3 arguments (its overloads take 1 or 2)"]


def test_definition_and_hover_follow_the_overload_a_call_means() -> None:
    analysis = analyze_with_types(parse(TP, SHOWS))
    wanted = {"Show(1)": 3, "Show('a'": 8, "Twice('ab')": 18, "Twice(3)": 13}
    for call, line in wanted.items():
        at = SHOWS.index(call)
        span = navigation.definition(analysis, at)
        assert span is not None and line_of(SHOWS, span.start) == line, call
    info = hover.hover(analysis, SHOWS.index("Twice('ab')"))
    assert info is not None and "function Twice(S: string): string" in info.markdown


def test_references_of_an_overload_are_the_calls_that_mean_it() -> None:
    analysis = analyze_with_types(parse(TP, SHOWS))
    second = SHOWS.index("Show(const") + 1
    assert [line_of(SHOWS, s.start) for s in navigation.references(analysis, second)] == [8, 28]
    first = SHOWS.index("Show(A") + 1
    assert [line_of(SHOWS, s.start) for s in navigation.references(analysis, first)] == [3, 27]


def test_signature_help_shows_the_overload_the_call_means() -> None:
    analysis = analyze_with_types(parse(TP, SHOWS))
    inside = SHOWS.index("Show('a', 2)") + len("Show(")
    found = hover.signature_help(analysis, inside)
    assert found is not None and found.label == "procedure Show(S: string, N: Integer)"
    inside = SHOWS.index("Twice('ab')") + len("Twice(")
    found = hover.signature_help(analysis, inside)
    assert found is not None and found.label == "function Twice(S: string): string"
    inside = SHOWS.index("Twice(3)") + len("Twice(")
    found = hover.signature_help(analysis, inside)
    assert found is not None and found.label == "function Twice(A: Integer): Integer"
