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


MODERN = """library Acme.Tools;
{$mode delphi}
type
  TFunc = reference to function(const A: Integer): Integer;
  TProc = reference to procedure(const S: string);
  TCounter = record
    Count: Integer;
    class operator In(A: Integer; B: TCounter): Boolean;
  end;
class operator TCounter.In(A: Integer; B: TCounter): Boolean;
begin
  Result := A < B.Count
end;
procedure Run(F: TFunc; P: TProc);
begin
  P(IntToStr(F(2)))
end;
procedure Main;
var
  Total: Integer;
begin
  Total := 0;
  var Step := 2;
  var A, B: Integer;
  const Limit = 10;
  A := Limit;
  B := A;
  for var I := 1 to Limit do
    Total := Total + I * Step + B;
  for var C: Char in 'abc' do
    Write(C);
  Run(function(const A: Integer): Integer
    var
      Twice: Integer;
    begin
      Twice := A * 2;
      Result := Twice + Total
    end,
    procedure(const S: string)
    begin
      WriteLn(S)
    end)
end;
begin
  Main
end.
"""


def test_modern_delphi_forms_check_clean() -> None:
    """A library's dotted name, an operator named `In`, Delphi 10.3's inline variables and
    constants (in a statement list, in a `for`), anonymous methods as arguments: no
    error, and their names are declared (no undefined name)."""
    assert shown(MODERN) == []


def test_inline_declarations_leave_other_names_undefined() -> None:
    # a name nothing declares is still undefined
    text = MODERN.replace("B := A;", "B := A + Missing;")
    assert [(d[0], d[4]) for d in shown(text)] == [(27, "undefined name 'Missing'")]
    # a mistake inside an anonymous method is one error there
    text = MODERN.replace("      Twice := A * 2;", "      Twice := A * ;")
    assert _syntax(text, MODERN) == [(36, "expected operand, found ';'")]


def test_a_skipped_branch_ends_at_ifend_or_a_named_endif() -> None:
    """`{$ELSE}` / `{$ELSEIF ...}` skips to whichever comes first of `{$ENDIF}`, `{$ENDIF
    NAME}` and Delphi's `{$IFEND}`, not to the next `{$ENDIF}` further on."""
    text = """program Flags;
var
  Size: Integer;
{$IF SizeOf(Pointer) = 8}
  Wide: Int64;
{$ELSEIF SizeOf(Pointer) = 4}
  Wide: LongInt;
{$ELSE}
  Wide: SmallInt;
{$IFEND}
  Count: Integer;
begin
  {$IFDEF DEBUG}Size := 1;{$ELSE}Size := 2;{$ENDIF DEBUG}
  Count := Size;
  Wide := Count
end.
"""
    assert shown(text) == []
    # a name declared after the branch is a name: it was once inside the skipped text
    assert [(d[0], d[4]) for d in shown(text.replace("  Count: Integer;\n", ""))] == [
        (13, "undefined name 'Count'"), (14, "undefined name 'Count'")]


def test_free_pascal_operators_and_record_operators() -> None:
    """Free Pascal's operator overloading (the result named or not), in the interface and
    the implementation; an advanced record's class operators of one name are overloads."""
    text = """unit Vectors;
{$mode objfpc}
interface
type
  TVec = record
    X, Y: Integer;
    class operator Implicit(N: Integer): TVec;
    class operator Implicit(V: TVec): Integer;
  end;
operator + (A, B: TVec) R: TVec;
operator ** (A, B: TVec): Integer;
implementation
class operator TVec.Implicit(N: Integer): TVec;
begin
  Result.X := N;
  Result.Y := N
end;
class operator TVec.Implicit(V: TVec): Integer;
begin
  Result := V.X
end;
operator + (A, B: TVec) R: TVec;
begin
  R.X := A.X + B.X;
  R.Y := A.Y + B.Y
end;
operator ** (A, B: TVec): Integer;
begin
  Result := A.X * B.X + A.Y * B.Y
end;
end.
"""
    assert shown(text) == []
    assert [(d[0], d[4]) for d in shown(text.replace("R.Y := A.Y", "Q.Y := A.Y"))] == [
        (25, "undefined name 'Q'")]


def test_a_routine_body_that_lost_its_begin_is_one_error() -> None:
    """The `var` section ends where statements follow (a block without its `begin`), and
    the routine takes them as its block: not each statement a wrong declaration."""
    text = PROGRAM.replace("  Part: Integer;\nbegin\n", "  Part: Integer;\n")
    assert [(d[0], d[4]) for d in shown(text)] == [(11, "expected 'begin', found 'Part'")]
    text = UNIT.replace("  Step: Integer;\nbegin\n", "  Step: Integer;\n")
    assert [(d[0], d[4]) for d in shown(text)] == [(13, "expected 'begin', found 'Step'")]
    # a first statement that begins with a word, which no declaration list can take
    text = PROGRAM.replace("  Part: Integer;\nbegin\n  Part := Half(N);",
                           "  Part: Integer;\n  if N > 0 then Part := Half(N) else Part := 0;")
    assert [(d[0], d[4]) for d in shown(text)] == [(11, "expected 'begin', found 'if'")]
    # a wrong declaration line among declarations is still that line's one error
    text = PROGRAM.replace("  Part: Integer;\n", "  Part Integer;\n  Count: Integer;\n")
    assert _syntax(text, PROGRAM) == [(10, "expected ',' or ':', found 'Integer'")]
