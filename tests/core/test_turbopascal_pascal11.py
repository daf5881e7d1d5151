"""Pascal constructs and diagnostics found while measuring the corpus pascal11 (real
programs; each construct here is written anew)."""

from __future__ import annotations

from craftls.semantics.diagnostics import analyze_file
from craftls.syntax.parse import parse
from craftls.workspace.line_index import LineIndex

from .test_lang_turbopascal import TP, check, shown
from .test_turbopascal_pascal10 import PROGRAM, UNIT


def test_hint_directives_on_every_kind_of_declaration() -> None:
    """Free Pascal's and Delphi's hint directives (`deprecated` with or without its
    message, `platform`, `experimental`, `unimplemented`) after a constant, a type, a
    variable (its initial value too), a field, a routine (among its other directives) and
    a unit's name: no error; fpc -Mobjfpc accepts this unit."""
    text = """unit Legacy platform;
{$mode objfpc}
interface
const
  OldLimit = 5 deprecated 'use Limit';
  Limit: Integer = 6 experimental;
type
  TOldSize = Integer deprecated;
  TPair = record
    A: Integer;
    B: Integer deprecated;
  end platform;
  TShape = class
  public
    constructor Create(N: Integer); overload; deprecated 'use Make';
    procedure Draw; virtual; unimplemented;
  end;
var
  Shapes: Integer deprecated 'no longer counted';
  Sides: Integer = 4 experimental;
procedure Reset; deprecated;
function Area(S: TOldSize): Integer; overload; deprecated 'use TShape';
implementation
constructor TShape.Create(N: Integer);
begin
  Sides := N
end;
procedure TShape.Draw;
begin
end;
procedure Reset;
begin
  Shapes := 0
end;
function Area(S: TOldSize): Integer;
begin
  Area := S * Sides + OldLimit + Limit
end;
end.
"""
    assert shown(text) == []
    # a hint is no place for any word: a misspelt one is still a mistake
    bad = text.replace("Integer deprecated 'no longer", "Integer deprecatd 'no longer")
    assert [(d[0], d[4]) for d in shown(bad)] == [
        (19, "expected ';', '=' or 'absolute', found 'deprecatd'")]


def _hints(text: str) -> list[tuple[int, str]]:
    index = LineIndex(text)
    return [(index.position(d.start)[0] + 1, d.message) for d in check(text).diagnostics
            if d.severity == "hint"]


def test_a_units_interface_names_are_not_never_used() -> None:
    """What a unit's interface declares (an enumeration's values, constants, variables, a
    class's constants) is for the units that import it: no "never used" hint; what its
    implementation or a program declares and nothing reads still has one."""
    text = """unit Palette;
interface
type
  TColour = (Red, Green, Blue);
  TBox = class
  public
    const Sides = 4;
  end;
const
  Opaque = 255;
var
  Current: TColour;
procedure Reset;
implementation
const
  Hidden = 1;
var
  Spare: Integer;
procedure Reset;
begin
  Current := Red
end;
end.
"""
    assert _hints(text) == [(16, "'Hidden' is never used"), (18, "'Spare' is never used")]
    program = """program Colours;
type
  TColour = (Red, Green);
const
  Opaque = 255;
var
  Current: TColour;
begin
  Current := Red
end.
"""
    assert _hints(program) == [(3, "'Green' is never used"), (5, "'Opaque' is never used"),
                               (7, "'Current' is never used")]


def test_the_modern_run_time_librarys_file_and_comparer_classes_are_known() -> None:
    """System.IOUtils' TPath, TFile and TDirectory, Generics.Defaults' comparers,
    SysUtils' CharInSet and Masks' MatchesMask: names of the run-time library, not
    undefined ones."""
    text = """program Files;
{$mode delphi}
uses System.SysUtils, System.IOUtils, System.Masks, System.Generics.Defaults,
  System.Generics.Collections;
var
  Names: TList<string>;
  Name: string;
begin
  Names := TList<string>.Create(TComparer<string>.Default);
  for Name in TDirectory.GetFiles('.') do
    if MatchesMask(Name, '*.pas') and TFile.Exists(Name)
        and not CharInSet(Name[1], ['.', '_']) then
      Names.Add(TPath.GetFileName(Name));
  WriteLn(Names.Count)
end.
"""
    assert shown(text) == []


def test_a_missing_unit_is_named_where_it_is_used_not_in_the_units_own_name() -> None:
    """`unit Acme.Helpers;` beside `uses Acme.Consts` (a unit not found): the warning is on
    the `uses` clause's name only; the unit's own name, a module Acme too, is no import."""
    text = """unit Acme.Helpers;
interface
uses SysUtils, Acme.Consts;
procedure Help;
implementation
procedure Help;
begin
end;
end.
"""
    analysis = analyze_file(parse(TP, text), missing_modules=["Acme.Consts"])
    index = LineIndex(text)
    assert [(index.position(d.start)[0] + 1, d.message) for d in analysis.diagnostics
            if d.code == "unresolved-import"] == [
        (3, "module 'Acme.Consts' is not in the workspace or the installed packages "
            "(run 'craftls install'); while it is missing, no name is reported undefined in "
            "this file")]


def test_a_routine_whose_begin_is_missing_with_nothing_declared_is_one_error() -> None:
    """A routine's `begin` missing right after its heading (no declarations between):
    one error, "expected 'begin'", and the statements are its block, the routine
    declared (it was two errors and an undefined name: the heading taken as a FORWARD
    one, its statements a stray)."""
    heading = "function Half(N: Integer): Integer;\n"
    text = PROGRAM.replace(heading + "begin\n", heading)
    assert [(d[0], d[4]) for d in shown(text)] == [(5, "expected 'begin', found 'Half'")]
    text = PROGRAM.replace(heading + "begin\n  Half := N div 2",
                           heading + "  if N > 0 then Half := N div 2 else Half := 0")
    assert [(d[0], d[4]) for d in shown(text)] == [(5, "expected 'begin', found 'if'")]
    # in a unit's implementation
    text = UNIT.replace("procedure Twice(var N: Integer);\nbegin\n  N :=",
                        "procedure Twice(var N: Integer);\n  N :=")
    assert [(d[0], d[4]) for d in shown(text)] == [(18, "expected 'begin', found 'N'")]


def test_a_variables_initial_value_is_checked_against_its_type() -> None:
    """`var Count: Integer = 'five';` is the error fpc gives ("Incompatible types"), as a
    typed constant's is; an Integer into a Real, an array's aggregate, a value of the
    variable's type are not."""
    text = """program Init;
var
  Count: Integer = 'five';
  Name: string = 5;
  Ratio: Real = 5;
  Flag: Boolean = 1;
  Ok: Integer = 3;
  Letters: array[1..3] of Char = ('a', 'b', 'c');
begin
  WriteLn(Count, Name, Ratio, Flag, Ok, Letters[1])
end.
"""
    assert [(d[0], d[3], d[4].split(":")[0]) for d in shown(text)] == [
        (3, "type-mismatch", "Cannot initialize 'Count'"),
        (4, "type-mismatch", "Cannot initialize 'Name'"),
        (6, "type-mismatch", "Cannot initialize 'Flag'")]


def test_a_broken_heading_is_not_read_as_an_asm_block_without_its_asm() -> None:
    """Where a routine's heading broke (a function type as a parameter's type, which
    Turbo Pascal has not), its body is not taken as an `asm` block that lost its `asm`
    (an opaque body takes any tokens): no "expected 'asm'"."""
    text = """program Apply;
function Twice(f: function(x: Real): Real;
               a: Real): Real;
begin
  Result := f(f(a))
end;
begin
  WriteLn(1)
end.
"""
    found = [(d[0], d[4]) for d in shown(text) if d[3] == "syntax"]
    assert found[0] == (2, "expected type, found 'function'")
    assert not any("'asm'" in message for _, message in found)


def test_an_inherited_property_is_assigned() -> None:
    """`inherited Name := value` writes the ancestor's property (Delphi, Free Pascal
    objfpc): one statement, no error; `inherited Create(...)` and a bare `inherited` stay
    calls."""
    text = """unit Boxes;
{$mode objfpc}
interface
type
  TBase = class
  private
    FReadOnly: Boolean;
    FItems: array[0..3] of Integer;
  public
    constructor Create(N: Integer);
    procedure SetReadOnly(V: Boolean); virtual;
    property ReadOnly: Boolean read FReadOnly write FReadOnly;
  end;
  TBox = class(TBase)
  public
    constructor Create(N: Integer);
    procedure SetReadOnly(V: Boolean); override;
  end;
implementation
constructor TBase.Create(N: Integer);
begin
  FItems[0] := N
end;
procedure TBase.SetReadOnly(V: Boolean);
begin
  FReadOnly := V
end;
constructor TBox.Create(N: Integer);
begin
  inherited Create(N);
  inherited ReadOnly := True
end;
procedure TBox.SetReadOnly(V: Boolean);
begin
  inherited;
  inherited ReadOnly := not V;
end;
end.
"""
    assert shown(text) == []
    tree = parse(TP, text)
    assert tree.errors == []
