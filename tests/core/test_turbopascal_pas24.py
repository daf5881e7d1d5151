"""The bundled Pascal on what round pas24 fixed: a method called through `Self` is
argument-counted as the same call without it (the member the opened scope around the
``implicit_parameter`` names), and the name after a unit's in a qualified type name
(`SysUtils.TExeption`) is checked as the bare name is (``structure.undefined_types``).
Free Pascal 3.2.2 (`fpc -Mobjfpc`) reports each error these tests expect, and accepts the
programs without them."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.features.outline import inlay_hints
from craftls.semantics.diagnostics import analyze_file
from craftls.syntax.parse import parse
from craftls.workspace.line_index import LineIndex

from .test_lang_turbopascal import TP, shown

THROUGH_SELF = """program Counting;
{$mode objfpc}
type
  TCounter = class
    Total: Integer;
    procedure Add(N: Integer);
    function Twice(K: Integer): Integer;
    procedure Run;
  end;

procedure TCounter.Add(N: Integer);
begin
  Total := Total + N;
end;

function TCounter.Twice(K: Integer): Integer;
begin
  Result := 2 * K;
end;

procedure TCounter.Run;
begin
  Add(1, 2);
  Self.Add(1, 2);
  Self.Add(3);
  Total := Self.Twice(Self.Twice(4), 5);
end;

var
  C: TCounter;
begin
  C := TCounter.Create;
  C.Run;
  C.Free;
end.
"""


def counts(text: str) -> list[tuple[int, int, str]]:
    return [(line, col, message) for line, col, _, code, message in shown(text)
            if code == "argument-count"]


def test_a_call_through_self_is_counted_as_the_call_without_it() -> None:
    """fpc: "Wrong number of parameters specified for call to "Add"" on lines 23 and 24,
    to "Twice" on line 26 (the outer call; the inner one is right)."""
    assert counts(THROUGH_SELF) == [
        (23, 6, "'Add' takes 1 argument, 2 given"),
        (24, 11, "'Add' takes 1 argument, 2 given"),
        (26, 22, "'Twice' takes 1 argument, 2 given")]


def test_right_calls_through_self_are_quiet() -> None:
    text = THROUGH_SELF.replace("Add(1, 2)", "Add(1)").replace("Self.Twice(4), 5)",
                                                                 "Self.Twice(4))")
    assert shown(text) == []


def test_a_call_through_self_of_overloads_is_counted_against_each() -> None:
    """Several methods of one name: wrong only when none takes that many."""
    text = """program Overloads;
{$mode objfpc}
type
  TCounter = class
    Total: Integer;
    procedure Add(N: Integer); overload;
    procedure Add(A, B: Integer); overload;
    procedure Run;
  end;

procedure TCounter.Add(N: Integer);
begin
  Total := Total + N;
end;

procedure TCounter.Add(A, B: Integer);
begin
  Total := Total + A + B;
end;

procedure TCounter.Run;
begin
  Self.Add(1);
  Self.Add(1, 2);
  Self.Add(1, 2, 3);
end;

begin
end.
"""
    assert counts(text) == [
        (25, 11, "no routine 'Add' takes 3 arguments (its overloads take 1 or 2)")]


def test_a_member_that_is_no_routine_is_not_counted_another_object_s_method_is() -> None:
    """`Self.Total` is a field; `Other.Add(1, 2)` is a call of another object's method,
    counted since pas25 through Other's declared type (fpc reports it)."""
    text = """program Members;
{$mode objfpc}
type
  TCounter = class
    Total: Integer;
    procedure Add(N: Integer);
    procedure Run(Other: TCounter);
  end;

procedure TCounter.Add(N: Integer);
begin
  Total := Self.Total + N;
end;

procedure TCounter.Run(Other: TCounter);
begin
  Other.Add(1, 2);
end;

begin
end.
"""
    assert counts(text) == [(17, 12, "'Add' takes 1 argument, 2 given")]


QUALIFIED = """unit Shapes;
{$mode objfpc}
interface
uses SysUtils;
type
  TShape = class
    Sides: Integer;
  end;
var
  Good: Shapes.TShape;
  Bad: Shapes.TShap;
  Failure: SysUtils.Exception;
  Misspelled: SysUtils.TExeption;
  Root: System.TObjekt;
implementation
end.
"""


def undefined(text: str) -> list[tuple[int, int, str]]:
    return [(line, col, message) for line, col, _, code, message in shown(text)
            if code == "undefined-name"]


def test_the_type_after_a_unit_s_name_is_checked() -> None:
    """The file's own unit, a standard unit (SysUtils, System): fpc "Identifier not
    found" for TShap, TExeption and TObjekt."""
    assert undefined(QUALIFIED) == [(11, 15, "undefined name 'TShap'"),
                                    (13, 24, "undefined name 'TExeption'"),
                                    (14, 16, "undefined name 'TObjekt'")]


def test_longer_qualified_names_and_a_type_s_members_stay_unchecked() -> None:
    """`Generics.Collections.TList`: a unit inside a namespace (`uses
    Generics.Collections` declares its first name), so the names after it may be a
    unit's; `TOuter.TInner`: a type's member."""
    text = """program Lists;
{$mode objfpc}
uses Generics.Collections;
type
  TOuter = class
  type
    TInner = class
      N: Integer;
    end;
  end;
var
  L: Generics.Collections.TList<Integer>;
  I: TOuter.TInner;
begin
end.
"""
    assert undefined(text) == []


def test_a_unit_that_cannot_be_read_keeps_its_qualified_types_quiet() -> None:
    """While a used unit is missing, nothing is reported, its qualified names neither."""
    text = """program Client;
uses Widgets;
var
  W: Widgets.TWidgit;
begin
end.
"""
    analysis = analyze_file(parse(TP, text), missing_modules=["Widgets"])
    index = LineIndex(text)
    assert [(index.position(d.start)[0] + 1, d.code) for d in analysis.diagnostics
            if d.severity != "hint"] == [(2, "unresolved-import")]


def test_a_read_unit_s_exported_type_is_known_through_its_name() -> None:
    """A unit of the workspace that is read: the types it exports are known (the
    names ``externals`` gives), others are not."""
    text = """program Client;
uses Widgets;
var
  W: Widgets.TWidget;
  V: Widgets.TWidgit;
begin
end.
"""
    analysis = analyze_file(parse(TP, text), externals={"twidget": "type from Widgets"})
    index = LineIndex(text)
    assert [(index.position(d.start)[0] + 1, d.message) for d in analysis.diagnostics
            if d.code == "undefined-name"] == [(5, "undefined name 'TWidgit'")]


def test_sysutils_search_record_is_a_known_type() -> None:
    """SysUtils' TSearchRec (FindFirst's), bare or through its unit: fpc accepts both."""
    text = """program Search;
{$mode objfpc}
uses SysUtils;
var
  A: TSearchRec;
  B: SysUtils.TSearchRec;
begin
  if FindFirst('*', faAnyFile, A) = 0 then
    FindClose(A);
  B := A;
end.
"""
    assert undefined(text) == []


def test_a_call_through_self_has_the_parameter_hints_of_the_call_without_it() -> None:
    """The counted call is a call of the method: its arguments get the parameters' names
    as inlay hints, as those of `Put(1, 2)` do."""
    text = """program Hints;
{$mode objfpc}
type
  TBox = class
    procedure Put(Row, Col: Integer);
    procedure Run;
  end;
procedure TBox.Put(Row, Col: Integer);
begin
end;
procedure TBox.Run;
begin
  Put(1, 2);
  Self.Put(3, 4);
end;
begin
end.
"""
    hints = inlay_hints(analyze_with_types(parse(TP, text)), 0, len(text))
    assert [(text[h.offset], h.label) for h in hints if h.kind == "parameter"] == [
        ("1", "Row:"), ("2", "Col:"), ("3", "Row:"), ("4", "Col:")]
