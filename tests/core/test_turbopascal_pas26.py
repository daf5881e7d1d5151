"""The bundled Pascal on what round pas26 added: a method called through a chain of
members (``P.Meter.Bump(1)``: a field, a property, a function's result, ``Self``'s
members), on a function's result (``Fresh.Bump(3)``, ``GetMeter().Bump``,
``Nth(2).Mix``), on a type (a class method ``TMeter.Zero(1)``, a constructor
``TMeter.Make(1, 2)``) and through a cast (``TMeter(X).Mix``) is argument-counted when
each step's type is one the file declares, all its ancestors too; left alone where it
is not sure (an ancestor of another unit, a pointer, an alias, an overloaded function's
result). Free Pascal 3.2.2 (``fpc -Mobjfpc``) reports each error these tests expect
and accepts the programs without them; where a test expects silence, its docstring
gives fpc's verdict. Also: ``System.SysUtils.Exception`` where the file names no
dotted ``System.*`` unit names ``SysUtils`` undefined, as fpc does."""

from __future__ import annotations

from craftls.features import hover, navigation
from craftls.semantics.diagnostics import analyze_file
from craftls.semantics.item_walks import TemplateCache
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, check, shown

CHAINS = """program Chains;
{$mode objfpc}
type
  TMeter = class
    Level: Integer;
    function Bump(Step: Integer; Times: Integer = 1): Integer;
    function Mix(A, B: Integer): Integer; overload;
    function Mix(A, B, C: Integer): Integer; overload;
    class function Zero(Base: Integer): TMeter;
    constructor Make(A, B: Integer);
  end;

  TPanel = class
  private
    FMeter: TMeter;
    function GetMeter: TMeter;
    function Nth(N: Integer): TMeter;
  public
    Inner: TMeter;
    property Meter: TMeter read GetMeter;
    procedure Tick;
  end;

function TMeter.Bump(Step: Integer; Times: Integer = 1): Integer;
begin
  Level := Level + Step * Times;
  Result := Level;
end;

function TMeter.Mix(A, B: Integer): Integer;
begin
  Result := A + B;
end;

function TMeter.Mix(A, B, C: Integer): Integer;
begin
  Result := A + B + C;
end;

class function TMeter.Zero(Base: Integer): TMeter;
begin
  Result := TMeter.Make(Base, 0);
end;

constructor TMeter.Make(A, B: Integer);
begin
  Level := A + B;
end;

function TPanel.GetMeter: TMeter;
begin
  Result := FMeter;
end;

function TPanel.Nth(N: Integer): TMeter;
begin
  Result := FMeter;
end;

procedure TPanel.Tick;
begin
  Meter.Bump();
  GetMeter.Mix(1);
  GetMeter().Bump(1, 2, 3);
  Self.Inner.Bump(1, 2, 3);
  Nth(2).Mix(1, 2, 3, 4);
end;

function Fresh: TMeter;
begin
  Result := TMeter.Zero(0);
end;

var
  P: TPanel;
begin
  P := TPanel.Create;
  P.Inner := TMeter.Make(1);
  P.Meter.Bump(1, 2, 3);
  P.Inner.Mix(5);
  Fresh.Bump();
  TMeter.Zero(1, 2);
  TMeter(P.Inner).Mix(1);
  P.Tick;
end.
"""

RIGHT = (CHAINS.replace("Meter.Bump();", "Meter.Bump(1);")
         .replace("GetMeter.Mix(1);", "GetMeter.Mix(1, 2);")
         .replace("GetMeter().Bump(1, 2, 3)", "GetMeter().Bump(1, 2)")
         .replace("Self.Inner.Bump(1, 2, 3)", "Self.Inner.Bump(1)")
         .replace("Nth(2).Mix(1, 2, 3, 4)", "Nth(2).Mix(1, 2, 3)")
         .replace("TMeter.Make(1);", "TMeter.Make(1, 2);")
         .replace("P.Meter.Bump(1, 2, 3)", "P.Meter.Bump(1, 2)")
         .replace("P.Inner.Mix(5)", "P.Inner.Mix(5, 6)")
         .replace("Fresh.Bump();", "Fresh.Bump(3);")
         .replace("TMeter.Zero(1, 2)", "TMeter.Zero(1)")
         .replace("TMeter(P.Inner).Mix(1)", "TMeter(P.Inner).Mix(1, 2)"))


def counts(text: str) -> list[tuple[int, str]]:
    return [(line, message) for line, _, _, code, message in shown(text)
            if code == "argument-count"]


def undefined(text: str) -> list[tuple[int, int, str]]:
    return [(line, col, message) for line, col, _, code, message in shown(text)
            if code == "undefined-name"]


EXPECTED = [
    (62, "'Bump' takes 1 to 2 arguments, 0 given"),  # a property, in its class's method
    (63, "no routine 'Mix' takes 1 argument (its overloads take 2 or 3)"),  # GetMeter.
    (64, "'Bump' takes 1 to 2 arguments, 3 given"),  # GetMeter().
    (65, "'Bump' takes 1 to 2 arguments, 3 given"),  # Self.Inner.
    (66, "no routine 'Mix' takes 4 arguments (its overloads take 2 or 3)"),  # Nth(2).
    (78, "'Make' takes 2 arguments, 1 given"),  # a constructor on the type
    (79, "'Bump' takes 1 to 2 arguments, 3 given"),  # P.Meter.
    (80, "no routine 'Mix' takes 1 argument (its overloads take 2 or 3)"),  # P.Inner.
    (81, "'Bump' takes 1 to 2 arguments, 0 given"),  # Fresh. (a function named alone)
    (82, "'Zero' takes 1 argument, 2 given"),  # a class function on the type
    (83, "no routine 'Mix' takes 1 argument (its overloads take 2 or 3)"),  # a cast
]


def test_calls_through_chains_results_types_and_casts_are_counted() -> None:
    """fpc: "Wrong number of parameters specified for call to" on each of these lines."""
    assert counts(CHAINS) == EXPECTED


def test_the_same_calls_with_the_right_counts_are_quiet() -> None:
    assert shown(RIGHT) == []


def test_a_replayed_item_counts_its_chained_calls_as_its_walk_did() -> None:
    """The second analysis replays the items' walks (``TemplateCache``): the chains are
    kept in the templates and counted again."""
    parsed = parse(TP, CHAINS)
    cache = TemplateCache()
    first = [(d.start, d.message) for d in analyze_file(parsed, templates=cache).diagnostics]
    hits = cache.hits
    again = [(d.start, d.message) for d in analyze_file(parsed, templates=cache).diagnostics]
    assert cache.hits > hits
    assert again == first
    assert sum("argument" in message for _, message in again) == len(EXPECTED)


UNSURE = """program Unsure;
{$mode objfpc}
uses Classes;
type
  TMeter = class
    function Bump(Step: Integer): Integer;
  end;
  PMeter = ^TMeter;
  TAlias = TMeter;

  TLines = class(TStringList)
    function Last(N: Integer): Integer;
  end;

  THolder = class
    Lines: TLines;
    Ptr: PMeter;
    Same: TAlias;
    function Pick: TMeter; overload;
    function Pick(N: Integer): TMeter; overload;
  end;

function TMeter.Bump(Step: Integer): Integer;
begin
  Result := Step;
end;

function TLines.Last(N: Integer): Integer;
begin
  Result := N;
end;

function THolder.Pick: TMeter;
begin
  Result := nil;
end;

function THolder.Pick(N: Integer): TMeter;
begin
  Result := nil;
end;

var
  H: THolder;
begin
  H := THolder.Create;
  H.Lines.Last(1, 2);
  H.Ptr^.Bump(1, 2);
  H.Same.Bump(1, 2);
  H.Pick.Bump(1, 2);
  H.Pick(1).Bump(1, 2);
  TLines.Create.Last(1, 2);
end.
"""


def test_chains_the_file_cannot_be_sure_of_are_not_judged() -> None:
    """fpc reports every call of the main block ("Wrong number of parameters"); none is
    judged here: TLines's ancestor is Classes' TStringList (which may declare a Last of
    its own count), Ptr^ goes through a pointer, TAlias is an alias, Pick is overloaded
    (which one's result?), and a constructor's result is not followed."""
    assert counts(UNSURE) == []


def test_hover_and_definition_on_a_chained_call_follow_the_overload_it_means() -> None:
    """`Nth(2).Mix(1, 2, 3)` means the second Mix (its heading on line 8), as a bare call
    of an overloaded routine does."""
    analysis = check(RIGHT)
    at = RIGHT.index("Nth(2).Mix(1, 2, 3)") + len("Nth(2).")
    info = hover.hover(analysis, at)
    assert info is not None and "Mix(A: Integer, B: Integer, C: Integer)" in info.markdown
    span = navigation.definition(analysis, at)
    assert span is not None and RIGHT.count("\n", 0, span.start) + 1 == 8


def test_a_standard_unit_s_longer_name_is_checked_when_no_dotted_unit_begins_so() -> None:
    """fpc 3.2.2: "Identifier not found "SysUtils"" at each (objfpc and delphi mode):
    System has no member SysUtils. With ``uses System.SysUtils`` (Delphi's unit scope
    names; fpc 3.2.2 finds no such unit) the name is that unit's: quiet. Without a uses
    clause fpc reports `SysUtils.Exception` too ("Identifier not found "SysUtils"" at
    6,6: no uses names the unit, round pas27)."""
    text = """program Scoped;
{$mode objfpc}
uses SysUtils;
var
  E: System.SysUtils.Exception;
  F: SysUtils.Exception;
  G: System.TObject;
begin
  E := nil; F := nil; G := nil;
  WriteLn(E = nil, F = nil, G = nil);
end.
"""
    assert undefined(text) == [(5, 13, "undefined name 'SysUtils'")]
    assert undefined(text.replace("uses SysUtils;", "")) == [
        (5, 13, "undefined name 'SysUtils'"), (6, 6, "undefined name 'SysUtils'")]
    delphi = text.replace("{$mode objfpc}", "{$mode delphi}").replace(
        "uses SysUtils;", "uses System.SysUtils;")
    assert undefined(delphi) == []
