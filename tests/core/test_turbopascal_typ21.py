"""The bundled Pascal reports a type name nothing declares as an undefined name, as it does
a value's (``structure.undefined_types``; Free Pascal says "Identifier not found"), and
keeps quiet where the name may be declared elsewhere: a unit that cannot be read, a part
of a qualified name after the first (a unit's or a type's member), a type nested in an
ancestor declared elsewhere."""

from __future__ import annotations

from craftls.semantics.diagnostics import analyze_file
from craftls.semantics.item_walks import TemplateCache
from craftls.syntax.parse import parse
from craftls.workspace.line_index import LineIndex

from .test_lang_turbopascal import TP, shown


def undefined(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, severity, message) of each undefined name, 1-based."""
    return [(line, col, severity, message) for line, col, severity, code, message
            in shown(text) if code == "undefined-name"]


MISSPELLED = """program Sums;
type
  TPair = record
    A, B: Intger;
  end;
  TShape = class(TShapeBase)
    FArea: Reel;
    function Area(Scale: Dubble): Reel;
    property Size: Integr read FArea;
  end;
var
  X: Intger;
  P: ^TPear;
  Xs: array[1..3] of Chaar;
function Twice(Scale: Dubble): Reel;
begin
  Twice := Scale;
end;
begin
  X := Totl;
end.
"""


def test_a_misspelled_type_name_is_an_undefined_name_as_a_variable_s_is() -> None:
    """A field's, a variable's, a parameter's, a result's, a property's, an ancestor's, a
    pointer's and an element's type: each misspelled name is reported where it is
    written, with the code and severity of the misspelled variable `Totl`."""
    assert undefined(MISSPELLED) == [
        (4, 11, "warning", "undefined name 'Intger'"),
        (6, 18, "warning", "undefined name 'TShapeBase'"),
        (7, 12, "warning", "undefined name 'Reel'"),
        (8, 26, "warning", "undefined name 'Dubble'"),
        (8, 35, "warning", "undefined name 'Reel'"),
        (9, 20, "warning", "undefined name 'Integr'"),
        (12, 6, "warning", "undefined name 'Intger'"),
        (13, 7, "warning", "undefined name 'TPear'"),
        (14, 22, "warning", "undefined name 'Chaar'"),
        (15, 23, "warning", "undefined name 'Dubble'"),
        (15, 32, "warning", "undefined name 'Reel'"),
        (20, 8, "warning", "undefined name 'Totl'"),
    ]


def test_an_unknown_interface_of_a_method_resolution_clause_is_undefined() -> None:
    text = """program Greeter;
{$mode objfpc}
type
  IGreet = interface
    procedure Greet;
  end;
  TGreeter = class(TInterfacedObject, IGreet)
    procedure Hello;
    procedure IGret.Greet = Hello;
  end;
procedure TGreeter.Hello;
begin
end;
begin
end.
"""
    assert undefined(text) == [(9, 15, "warning", "undefined name 'IGret'")]


def test_declared_builtin_standard_and_forward_type_names_are_not_reported() -> None:
    """The definition's types, a class the runtime has (TStringList), a pointer to a type
    declared after it, a standard unit's types (Forms' TForm, Dos' Registers) and a type
    named through its unit (`System.Integer`, `Dos.Registers`) are all known."""
    text = """program Known;
uses Dos, Forms, StdCtrls;
type
  PNode = ^TNode;
  TNode = record
    Value: Integer;
    Next: PNode;
  end;
  TMain = class(TForm)
    Go: TButton;
  end;
var
  N: TNode;
  L: TStringList;
  R: Registers;
  Q: Dos.Registers;
  I: System.Integer;
  S: ShortString;
begin
  N.Value := 1;
end.
"""
    assert undefined(text) == []


def test_a_qualified_type_s_parts_after_the_first_are_members() -> None:
    """`TOuter.TInner` (a nested type) and a unit's type through its name are not looked
    up at the file scope; the qualifier itself is, when it names no unit."""
    text = """program Nested;
{$mode objfpc}
type
  TOuter = class
  type
    TInner = class
      N: Integer;
    end;
  end;
var
  I: TOuter.TInner;
  J: TOutr.TInner;
begin
end.
"""
    assert undefined(text) == [(12, 6, "warning", "undefined name 'TOutr'")]


def test_a_type_of_an_ancestor_declared_elsewhere_is_not_reported_in_its_class() -> None:
    """In a method of a class whose ancestor nothing here declares, a type name may be
    one the ancestor declares, as a bare value name may be its member: neither is
    reported there. In the class's declaration both are, as a value's name is."""
    text = """program Heirs;
{$mode objfpc}
type
  TChild = class(TUnknownBase)
    procedure Handle(var E: TBaseEvent);
  end;
procedure TChild.Handle(var E: TBaseEvent);
var
  D: TBaseDialog;
begin
  FCount := 1;
end;
begin
end.
"""
    assert [(line, message) for line, _, _, message in undefined(text)] == [
        (4, "undefined name 'TUnknownBase'"), (5, "undefined name 'TBaseEvent'")]


def test_a_unit_that_cannot_be_read_keeps_type_names_quiet_as_value_names() -> None:
    """While a used unit is missing, any name may be its: no type name is reported, as no
    value name is (the warning at the `uses` says so)."""
    text = """program Client;
uses Widgets;
var
  W: TWidget;
begin
  W := MakeWidget;
end.
"""
    analysis = analyze_file(parse(TP, text), missing_modules=["Widgets"])
    index = LineIndex(text)
    assert [(index.position(d.start)[0] + 1, d.code) for d in analysis.diagnostics
            if d.severity != "hint"] == [(2, "unresolved-import")]
    # and without the missing unit, both are reported
    assert [message for _, _, _, message in undefined(text.replace("uses Widgets;\n", ""))] \
        == ["undefined name 'TWidget'", "undefined name 'MakeWidget'"]


def test_a_replayed_item_reports_the_type_names_its_walk_did() -> None:
    """The second analysis of a snapshot replays its items' walks (``TemplateCache``):
    the undefined type names are the same, each type slot answered by the file scope."""
    parsed = parse(TP, MISSPELLED)
    cache = TemplateCache()
    first = [(d.start, d.message) for d in analyze_file(parsed, templates=cache).diagnostics]
    hits = cache.hits
    again = [(d.start, d.message) for d in analyze_file(parsed, templates=cache).diagnostics]
    assert cache.hits > hits
    assert again == first
    assert sum("undefined name" in message for _, message in again) == 12


def test_nested_forward_and_generic_type_names_are_found() -> None:
    """A type nested in a class named bare from its methods' headings and bodies (and
    from the class), a class declared forward, a generic's type parameter in it and in
    its methods, generic instances (delphi and objfpc syntax)."""
    delphi = """program N;
{$mode delphi}
uses Generics.Collections;
type
  TB = class;
  TA = class
    F: TB;
    L: TList<TB>;
  end;
  TB = class
  end;
  TOuter = class
  type
    TInner = class
      V: Integer;
    end;
  private
    FI: TInner;
    procedure Foo(X: TInner);
    function Make: TInner;
  end;
procedure TOuter.Foo(X: TInner);
var
  I: TInner;
  J: TOuter.TInner;
begin
  I := X; J := I; FI := J;
end;
function TOuter.Make: TInner;
begin
  Result := TInner.Create;
end;
var A: TA; O: TOuter;
begin
  A := TA.Create; O := TOuter.Create; O.Make;
end.
"""
    objfpc = """program G;
{$mode objfpc}
uses fgl, Generics.Collections;
type
  generic TBox<T> = class
    Item: T;
    function Get: T;
  end;
  TIntBox = specialize TBox<Integer>;
  TList2 = specialize TFPGList<Integer>;
  TRec = record
    case Kind: Byte of
      0: (I: Integer);
      1: (R: Real);
  end;
  TProc = procedure(A: Integer; var B: TRec);
  TArr = array of TRec;
  TSet = set of Char;
function TBox.Get: T;
begin
  Result := Item;
end;
generic function Largest<T>(const A, B: T): T;
begin
  if A > B then Result := A else Result := B;
end;
var
  B: TIntBox;
  D: specialize TDictionary<String, TRec>;
begin
  B := TIntBox.Create;
  WriteLn(specialize Largest<Integer>(1, 2));
end.
"""
    assert undefined(delphi) == []
    assert undefined(objfpc) == []
    assert undefined(delphi.replace("J: TOuter.TInner", "J: TInnr")) == [
        (25, 6, "warning", "undefined name 'TInnr'")]
