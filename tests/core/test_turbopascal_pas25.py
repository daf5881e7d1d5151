"""The bundled Pascal on what round pas25 fixed: a method called through a variable,
parameter or field of a class the file declares (``C.Add(1, 2)`` with ``C: TCalc``) is
argument-counted as the bare call in that class's methods is, and left alone where the
file does not say which routine it is (an ancestor declared elsewhere, an inherited
routine of that name taking another count, an alias). Free Pascal 3.2.2 (``fpc
-Mobjfpc``) reports each error these tests expect (and accepts the programs without
them); where a test expects silence, its docstring gives fpc's verdict. Also: a
qualified type name's parts after a unit's and a type's (`Shapes.TOuter.TInnr`) are
checked under ``structure.undefined_types`` where what they are members of is known."""

from __future__ import annotations

from craftls.semantics.diagnostics import analyze_file
from craftls.semantics.item_walks import TemplateCache
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

MEMBERS = """program Members;
{$mode objfpc}
type
  TCalc = class
    Total: Integer;
    function Add(A, B: Integer): Integer;
    procedure Clear;
  end;

  TSheet = class
    Calc: TCalc;
    procedure Fill(Other: TCalc);
  end;

function TCalc.Add(A, B: Integer): Integer;
begin
  Result := A + B;
end;

procedure TCalc.Clear;
begin
  Total := 0;
end;

procedure TSheet.Fill(Other: TCalc);
begin
  Other.Add(1);
  Calc.Add(1, 2, 3);
  Other.Clear(4);
  Calc.Total := Other.Add(5, 6);
end;

var
  C: TCalc;
  S: TSheet;
begin
  C := TCalc.Create;
  WriteLn(C.Add(1, 2));
  WriteLn(C.Add(1));
  S := TSheet.Create;
  S.Fill(C);
  C.Clear;
  C.Clear();
end.
"""


def counts(text: str) -> list[tuple[int, int, str]]:
    return [(line, col, message) for line, col, _, code, message in shown(text)
            if code == "argument-count"]


def undefined(text: str) -> list[tuple[int, int, str]]:
    return [(line, col, message) for line, col, _, code, message in shown(text)
            if code == "undefined-name"]


def test_a_call_through_a_variable_parameter_or_field_is_counted() -> None:
    """fpc: "Wrong number of parameters specified for call to" Add (27, 28, 39) and
    Clear (29): a parameter, a field of the method's class, a global variable."""
    assert counts(MEMBERS) == [
        (27, 12, "'Add' takes 2 arguments, 1 given"),
        (28, 11, "'Add' takes 2 arguments, 3 given"),
        (29, 14, "'Clear' takes 0 arguments, 1 given"),
        (39, 16, "'Add' takes 2 arguments, 1 given")]


def test_right_calls_through_a_variable_are_quiet() -> None:
    text = MEMBERS.replace("Other.Add(1);", "Other.Add(1, 0);").replace(
        "Calc.Add(1, 2, 3)", "Calc.Add(1, 2)").replace("Clear(4)", "Clear").replace(
        "C.Add(1))", "C.Add(1, 1))")
    assert shown(text) == []


FAMILY = """program Family;
{$mode objfpc}
type
  TBase = class
    procedure Put(N: Integer); virtual;
    procedure Show(N: Integer);
    procedure Log(const S: string);
  end;

  TChild = class(TBase)
    procedure Put(N: Integer); override;
    procedure Show(A, B: Integer);
  end;

procedure TBase.Put(N: Integer);
begin
end;

procedure TBase.Show(N: Integer);
begin
end;

procedure TBase.Log(const S: string);
begin
end;

procedure TChild.Put(N: Integer);
begin
  inherited Put(N);
end;

procedure TChild.Show(A, B: Integer);
begin
end;

var
  B: TBase;
  C: TChild;
begin
  C := TChild.Create;
  B := C;
  C.Put(1, 2);
  C.Log('a', 'b');
  C.Show(1);
  C.Show(1, 2);
  B.Show(1, 2);
  B.Put(3);
end.
"""


def test_inherited_and_overridden_methods_are_counted_a_hidden_one_is_not_judged() -> None:
    """An override takes the count of the method it overrides (Put, line 42), an inherited
    method is found in the ancestor (Log, 43), the base class's own Show is counted (46).
    `C.Show(1)` (44): TChild's Show takes 2 and TBase's 1; fpc -Mobjfpc and -Mdelphi
    report it (without `overload` the child's hides the base's), but which one a call
    means depends on the mode and the directives: not judged."""
    assert counts(FAMILY) == [(42, 8, "'Put' takes 1 argument, 2 given"),
                              (43, 8, "'Log' takes 1 argument, 2 given"),
                              (46, 9, "'Show' takes 1 argument, 2 given")]


UNSURE = """program Unsure;
{$mode objfpc}
uses Classes;
type
  TCounter = class
    procedure Add(N: Integer); overload;
    procedure Add(A, B: Integer); overload;
  end;

  TNamed = class(TPersistent)
    procedure Rename(const S: string);
  end;

  TAlias = TCounter;

  TMaker = class
    constructor Create(N: Integer); overload;
  end;

procedure TCounter.Add(N: Integer);
begin
end;

procedure TCounter.Add(A, B: Integer);
begin
end;

procedure TNamed.Rename(const S: string);
begin
end;

constructor TMaker.Create(N: Integer);
begin
end;

var
  C: TCounter;
  N: TNamed;
  A: TAlias;
  M: TMaker;
begin
  C := TCounter.Create;
  C.Add(1);
  C.Add(1, 2);
  C.Add(1, 2, 3);
  N := TNamed.Create;
  N.Rename('a', 'b');
  A := C;
  A.Add(1, 2, 3);
  M := TMaker.Create(1);
  M.Create();
end.
"""


def test_overloads_count_against_each_and_unsure_calls_are_not_judged() -> None:
    """Overloads in the class: wrong only when none takes that many (45; fpc agrees).
    Not judged: a class whose ancestor is another unit's (`N.Rename('a', 'b')`, 47: fpc
    reports it, but TPersistent's own members are not known here), a variable typed by an
    alias (`A.Add(1, 2, 3)`, 49: fpc reports it), and a constructor marked `overload`
    alone in its class (`M.Create()`, 51: fpc accepts it, TObject's Create takes none)."""
    assert counts(UNSURE) == [
        (45, 8, "no routine 'Add' takes 3 arguments (its overloads take 1 or 2)")]


def test_a_method_without_overload_hides_the_ancestors_of_its_name() -> None:
    """Without `overload`, TMaker's Create(N) is the only Create of a TMaker: fpc -Mobjfpc
    reports `M.Create()` (line 51)."""
    text = UNSURE.replace("constructor Create(N: Integer); overload;",
                          "constructor Create(N: Integer);")
    assert counts(text)[1:] == [(51, 11, "'Create' takes 1 argument, 0 given")]


def test_a_routine_beside_overloads_of_its_name_elsewhere_is_counted_alone() -> None:
    """TNames' one Add is no overload of TPairs' two: `Add(S)` in TNames' method is right
    (fpc accepts it), `Add(S, S, S, S)` takes 1 (fpc: wrong number of parameters)."""
    text = """program Maps;
{$mode objfpc}
type
  TPairs = class
    procedure Add(const Name, Value: string);
    procedure Add(const Name, Value, Sep: string);
  end;

  TNames = class
    procedure Add(const Name: string);
    procedure Put(const S: string);
  end;

procedure TPairs.Add(const Name, Value: string);
begin
end;

procedure TPairs.Add(const Name, Value, Sep: string);
begin
end;

procedure TNames.Add(const Name: string);
begin
end;

procedure TNames.Put(const S: string);
begin
  Add(S);
  Add(S, S, S, S);
end;

begin
end.
"""
    assert counts(text) == [(29, 6, "'Add' takes 1 argument, 4 given")]


def test_constref_external_name_and_a_string_literal_s_members_parse() -> None:
    """Free Pascal's `constref` parameters, `external name 'X'` with no library (in an
    implementation too) and a type helper's member of a string literal (`''.Join`,
    `'abc'.Length`, {$modeswitch typehelpers}): fpc 3.2.2 -s accepts the unit."""
    text = """unit Helpers;
{$mode objfpc}{$H+}{$modeswitch typehelpers}
interface
uses SysUtils;
type
  TKeeper = class
    procedure Keep(constref Item: string; const Count: Integer);
  end;
function Joined(const Parts: array of string): string;
implementation
procedure fpc_Hidden(Data: Pointer); external name 'FPC_HIDDEN';
procedure TKeeper.Keep(constref Item: string; const Count: Integer);
begin
  WriteLn(Item, Count);
end;
function Joined(const Parts: array of string): string;
begin
  Result := ''.Join(', ', Parts) + IntToStr('abc'.Length);
end;
end.
"""
    assert [(line, code) for line, _, _, code, _ in shown(text)] == []


def test_a_replayed_item_counts_its_member_calls_as_its_walk_did() -> None:
    """The second analysis of a snapshot replays its items' walks (``TemplateCache``):
    the calls through variables are found in the templates and counted again."""
    parsed = parse(TP, MEMBERS)
    cache = TemplateCache()
    first = [(d.start, d.message) for d in analyze_file(parsed, templates=cache).diagnostics]
    hits = cache.hits
    again = [(d.start, d.message) for d in analyze_file(parsed, templates=cache).diagnostics]
    assert cache.hits > hits
    assert again == first
    assert sum("argument" in message for _, message in again) == 4


def test_a_variable_of_a_generic_or_pointer_type_is_not_followed() -> None:
    """`L: TBox<TCalc>` names TCalc among its type's names but is a TBox (which has no
    Add: fpc -Mdelphi says so, no wrong count); `P: ^TCalc` is a pointer, which delphi
    mode dereferences (fpc reports `P.Add(1)`), not followed here: neither is judged."""
    text = """program Generic;
{$mode delphi}
type
  TCalc = class
    function Add(A, B: Integer): Integer;
  end;
  TBox<T> = class
    Item: T;
  end;

function TCalc.Add(A, B: Integer): Integer;
begin
  Result := A + B;
end;

var
  L: TBox<TCalc>;
  P: ^TCalc;
begin
  L.Add(1);
  P.Add(1);
end.
"""
    assert counts(text) == []


NESTED = """unit Shapes;
{$mode objfpc}
interface
uses Classes;
type
  TOuter = class
  type
    TInner = class
      N: Integer;
    end;
  end;
  TChild = class(TOuter)
  end;
  TPart = class(TComponent)
  end;
var
  A: Shapes.TOuter.TInner;
  B: Shapes.TOuter.TInnr;
  C: Shapes.TOutr.TInner;
  D: TOuter.TInnr;
  E: TOuter.TInner;
  F: TChild.TInner;
  G: TChild.TInnr;
  H: TPart.TInnr;
implementation
end.
"""


def test_three_part_type_names_and_a_type_s_nested_types_are_checked() -> None:
    """The type after the unit's name (`Shapes.TOutr`: fpc "Identifier not found") and a
    nested type of a type the file declares, its ancestors' included (`TOuter.TInnr`,
    `Shapes.TOuter.TInnr`, `TChild.TInnr`: fpc "identifier idents no member"). Not
    `TPart.TInnr`: TPart's ancestor is another unit's, whose nested types are not known
    here (fpc reports it too)."""
    assert undefined(NESTED) == [(18, 20, "undefined name 'TInnr'"),
                                 (19, 13, "undefined name 'TOutr'"),
                                 (20, 13, "undefined name 'TInnr'"),
                                 (23, 13, "undefined name 'TInnr'")]


def test_a_namespace_s_longer_names_stay_unchecked() -> None:
    """A dotted unit's type (`Generics.Collections.TList`) may name units this file does
    not know: not checked. `System.SysUtils.Exception` with no dotted unit `System.*`
    named is (round pas26: fpc 3.2.2 "Identifier not found "SysUtils"", in delphi mode
    too)."""
    text = """program Lists;
{$mode delphi}
uses Generics.Collections, SysUtils;
var
  L: Generics.Collections.TListt<Integer>;
  E: System.SysUtils.Exceptio;
begin
end.
"""
    assert undefined(text) == [(6, 13, "undefined name 'SysUtils'")]
