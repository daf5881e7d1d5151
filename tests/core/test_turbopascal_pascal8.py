"""Object Pascal constructs found missing while measuring the held-out corpus pascal8
(real programs; each construct here is written anew): a dotted program name, a nested
type's method body (`constructor TOuter.TInner.Create`), `class sealed` and `class
abstract`, a class's methods sharing a name without `overload` (objfpc), units of one
namespace (`uses System.SysUtils, System.Classes`) and the Classes unit's
RegisterComponents. FORMS is accepted by Free Pascal 3.2.2 (`fpc -s -Mobjfpc`);
NAMESPACES is Delphi's (Free Pascal 3.2.2 has no `System.SysUtils` unit)."""

from __future__ import annotations

from craftls.features import hover
from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

FORMS = """program Tools.Demo;
{$mode objfpc}
uses Classes;
type
  TOuter = class
  type
    TInner = class
      FCount: Integer;
      constructor Create;
      procedure Bump(By: Integer);
    end;
  end;
  TMeter = class sealed(TObject)
    class procedure Add(var A: Integer; B: Integer);
    class procedure Add(var A: Real; B: Real);
  end;
  TShape = class abstract
    function Area: Real; virtual; abstract;
  end;
constructor TOuter.TInner.Create;
begin
  FCount := 0
end;
procedure TOuter.TInner.Bump(By: Integer);
begin
  Self.FCount := FCount + By
end;
class procedure TMeter.Add(var A: Integer; B: Integer);
begin
  A := A + B
end;
class procedure TMeter.Add(var A: Real; B: Real);
begin
  A := A + B
end;
procedure Register;
begin
  RegisterComponents('Demo', [TComponent])
end;
var
  I: TOuter.TInner;
  N: Integer;
  R: Real;
begin
  I := TOuter.TInner.Create;
  I.Bump(2);
  N := 1;
  R := 1.5;
  TMeter.Add(N, 2);
  TMeter.Add(R, 2.5);
  WriteLn(I.FCount, N, R:0:1);
  I.Free
end.
"""

NAMESPACES = """unit Shapes.Core;
interface
uses
  System.SysUtils, System.Classes, Shapes.Base;
implementation
end.
"""


def test_the_pascal8_constructs_check_clean() -> None:
    assert shown(FORMS) == []


def test_a_nested_type_s_method_body_sees_its_fields() -> None:
    analysis = analyze_with_types(parse(TP, FORMS))
    at = FORMS.index("FCount := 0")
    info = hover.hover(analysis, at)
    assert info is not None and info.markdown.startswith("```turbopascal\nfield FCount")
    # and Self's members (typed too: test_turbopascal_pascal9.py)
    at = FORMS.index("Self.FCount") + len("Self.")
    info = hover.hover(analysis, at)
    assert info is not None and info.markdown.startswith("```turbopascal\nfield FCount")


def test_only_a_class_s_methods_may_share_a_name_unmarked() -> None:
    # a routine outside a class still needs `overload` (Turbo Pascal, Delphi; Free
    # Pascal's objfpc mode does not: see test_turbopascal_pas20)
    text = FORMS.replace("procedure Register;", "procedure Show(A: Integer);\nbegin\nend;\n"
                         "procedure Show(A: string);\nbegin\nend;\nprocedure Register;"
                         ).replace("{$mode objfpc}", "{$mode delphi}")
    assert [(d[3], d[4]) for d in shown(text)] == [
        ("duplicate-declaration", "'Show' is already declared in this scope")]


def test_units_of_one_namespace_are_no_duplicates() -> None:
    assert [d for d in shown(NAMESPACES) if d[3] != "unresolved-import"] == []
    # a unit named twice still is
    twice = NAMESPACES.replace("Shapes.Base;", "Shapes.Base, System.Classes, Crt, Crt;")
    assert [(d[0], d[4]) for d in shown(twice) if d[3] == "duplicate-declaration"] == [
        (4, "'Crt' is already declared in this scope")]


def test_a_method_body_with_a_mistake_inside_is_still_one_routine() -> None:
    # with the nested types' form a loop after the type's name, the mistake below made
    # the whole method body no routine: its `end;` ended the unit, three errors
    text = """unit Counters;
interface
implementation
constructor TCounter.Create(A: Integer);
begin
  inherited Create(A);
  if not Ready then begin
    WriteLn('a', , ':');
  end;
  Count := 1;
end;
destructor TCounter.Destroy;
begin
end;
end.
"""
    assert [(d[0], d[3], d[4]) for d in shown(text) if d[3] == "syntax"] == [
        (8, "syntax", "',' written twice")]
