"""`Self` in a method's body is the object the method belongs to (``implicit_parameter``
on the ``opens`` node of `procedure T.M`): its fields and methods are typed through it
(hover, completion after `Self.`, type checks), for an object type and a class type (the
``class`` construct) alike; a Char is shown as Char (``structure.shown_types``). The
program below is accepted by Free Pascal 3.2.2 (`fpc -s -Mobjfpc`)."""

from __future__ import annotations

from craftls.features import hover
from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

SELF = """program SelfTypes;
{$mode objfpc}
type
  TShape = object
    Sides: Integer; Mark: Char;
    { the methods }
    procedure Grow(By: Integer);
    function Area: Real;
  end;
  TBase = class
    Count: Integer;
    function Twice(K: Integer): Integer;
  end;
  TCounter = class(TBase)
    Name: string;
    Initial: Char;
    procedure Bump;
  end;
var
  S: TShape;
  C, D: TCounter;
  Ch: Char;
procedure TShape.Grow(By: Integer);
begin
  Self.Sides := Self.Sides + By;
  Self.Mark := '*';
  Ch := Self.Mark
end;
function TShape.Area: Real;
begin
  Area := Self.Sides * 1.5
end;
function TBase.Twice(K: Integer): Integer;
begin
  Result := 2 * K + Self.Count
end;
procedure TCounter.Bump;
begin
  Self.Count := Self.Twice(Self.Count);
  Self.Name := 'bumped';
  Self.Initial := Self.Name[1]
end;
begin
  S.Grow(1);
  C := TCounter.Create;
  D := C;
  C.Bump;
  C.Count := D.Count + 1;
  D := nil;
  WriteLn(S.Area:0:1, C.Name, Ch);
  C.Free
end.
"""


def _hover_type(text: str, snippet: str, at: int) -> str:
    info = hover.hover(analyze_with_types(parse(TP, text)), text.index(snippet) + at)
    assert info is not None
    return info.markdown.rsplit("type: ", 1)[1]


def test_self_and_its_members_have_types_in_hover() -> None:
    assert _hover_type(SELF, "Self.Sides :=", 0) == "`TShape`"
    assert _hover_type(SELF, "Self.Sides :=", 6) == "`INTEGER`"
    assert _hover_type(SELF, "Self.Count := Self.Twice", 0) == "`TCounter`"
    # a member of the ancestor class, through Self
    assert _hover_type(SELF, "Self.Count := Self.Twice", 6) == "`INTEGER`"
    assert _hover_type(SELF, "Self.Initial :=", 6) == "`Char`"


def test_a_char_is_shown_as_char() -> None:
    assert _hover_type(SELF, "Ch: Char", 0) == "`Char`"
    assert _hover_type(SELF, "Mark: Char", 0) == "`Char`"
    wrong = SELF.replace("  Self.Mark := '*';", "  Self.Mark := 1;")
    assert [d[4] for d in shown(wrong)] == [
        "Cannot assign to 'Self.Mark': expected Char, found INTEGER"]


def test_completion_after_self_offers_the_type_s_members() -> None:
    analysis = analyze_with_types(parse(TP, SELF))
    at = SELF.index("Self.Sides + By") + len("Self.")
    labels = [c.label for c in complete(analysis, at)[0]]
    assert labels[:4] == ["Sides", "Mark", "Grow", "Area"]
    at = SELF.index("Self.Name := ") + len("Self.")
    labels = [c.label for c in complete(analysis, at)[0]]
    assert {"Name", "Initial", "Bump", "Count", "Twice"} <= set(labels)


def test_assignments_and_calls_through_self_are_checked() -> None:
    assert shown(SELF) == []
    wrong = SELF.replace("Self.Sides := Self.Sides + By;", "Self.Sides := 'many';") \
        .replace("Self.Name := 'bumped';", "Self.Name := Self.Twice('x');")
    assert [(d[0], d[3], d[4]) for d in shown(wrong)] == [
        (25, "type-mismatch", "Cannot assign to 'Self.Sides': expected INTEGER, "
                              "found SHORTSTRING"),
        (40, "type-mismatch", "Cannot assign to 'Self.Name': expected SHORTSTRING, "
                              "found INTEGER"),
        (40, "argument-type", "Argument 1 of 'Twice' (K): expected INTEGER, found SHORTSTRING")]


def test_a_class_s_members_are_typed_through_a_variable_of_it() -> None:
    wrong = SELF.replace("C.Count := D.Count + 1;", "C.Count := D.Name;")
    assert [(d[0], d[4]) for d in shown(wrong)] == [
        (48, "Cannot assign to 'C.Count': expected INTEGER, found SHORTSTRING")]


def test_a_method_named_without_its_arguments_is_not_known() -> None:
    # TCommonDialog.Execute of another unit takes none; this class's overrides one
    # that takes one: `if D.Execute then` calls the ancestor's
    text = """program Dialogs;
{$mode objfpc}
uses Classes;
type
  TPicker = class(TComponent)
    function Execute(Parent: Integer): Boolean;
  end;
function TPicker.Execute(Parent: Integer): Boolean;
begin
  Result := Parent > 0
end;
var D: TPicker;
begin
  D := TPicker.Create(nil);
  if D.Execute then WriteLn('picked');
  if D.Execute(1) then WriteLn('picked')
end.
"""
    assert shown(text) == []
