"""Pascal recovery and constructs found while measuring the held-out corpus pascal10 (real
programs; each construct here is written anew)."""

from __future__ import annotations

from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

UNIT = """unit Shapes;
interface
type
  TShape = object
    Sides: Integer;
    procedure Grow(By: Integer);
  end;
procedure Twice(var N: Integer);
implementation
procedure TShape.Grow(By: Integer);
var
  Step: Integer;
begin
  Step := By;
  Sides := Sides + Step
end;
procedure Twice(var N: Integer);
begin
  N := N * 2
end;
end.
"""

PROGRAM = """program Counts;
var
  Total: Integer;
function Half(N: Integer): Integer;
begin
  Half := N div 2
end;
procedure Add(N: Integer);
var
  Part: Integer;
begin
  Part := Half(N);
  Total := Total + Part
end;
begin
  Total := 0;
  Add(4);
  WriteLn(Total)
end.
"""


def _syntax(text: str, original: str) -> list[tuple[int, str]]:
    assert text != original
    return [(d[0], d[4]) for d in shown(text) if d[3] == "syntax"]


def test_a_top_level_routine_that_lost_its_word_is_one_error() -> None:
    """The heading is the one error and the body stays the routine's: its parameters and
    locals are declared, its `end;` is no stray end of the program."""
    assert shown(UNIT) == [] and shown(PROGRAM) == []
    methods = "'procedure', 'function', 'constructor', 'destructor' or 'operator'"
    text = UNIT.replace("procedure TShape.Grow(By", "TShape.Grow(By")
    assert [d[1:] for d in shown(text)] == [
        (1, "error", "syntax", f"expected {methods}, found 'TShape'")]
    assert shown(text)[0][0] == 10
    text = UNIT.replace("procedure Twice(var N: Integer);\nbegin",
                        "Twice(var N: Integer);\nbegin")
    assert [(d[0], d[4]) for d in shown(text)] == [
        (17, "expected 'procedure', found 'Twice'")]
    text = PROGRAM.replace("procedure Add(N", "Add(N")
    assert [(d[0], d[4]) for d in shown(text)] == [
        (8, "expected 'procedure', found 'Add'")]
    text = PROGRAM.replace("function Half(N", "Half(N")
    assert [(d[0], d[4]) for d in shown(text)] == [
        (4, "expected 'function', found 'Half'")]
    kinds = [n.kind for n in parse(TP, text).root.children()]
    assert kinds[2:5] == ["function_decl", "procedure_decl", "main_block"]


def test_a_top_level_line_that_is_no_item_is_still_one_error() -> None:
    """Only a form whose rest parses with no other error is taken: a statement among the
    declarations is no routine."""
    text = PROGRAM.replace("procedure Add", "Total := 1;\nprocedure Add")
    assert _syntax(text, PROGRAM) == [(8, "unexpected 'Total'")]
    text = PROGRAM.replace("procedure Add", "WriteLn(Total);\nprocedure Add")
    assert _syntax(text, PROGRAM) == [(8, "unexpected 'WriteLn'")]
