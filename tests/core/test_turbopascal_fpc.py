"""Turbo Pascal and Free Pascal constructs found missing on the held-out corpus pascal5
(real programs; each construct here is written anew): inline machine code as a
statement, `&`-escaped names, the System unit named as a qualifier, the run-time
library's Assert, FileRec/TextRec and Math's Floor/Ceil; Free Pascal {$mode objfpc} /
Delphi classes, advanced records, properties, exceptions, generics and overloads. Every
program here is accepted by Free Pascal in the mode its first line or its {$mode}
names."""

from __future__ import annotations

import pytest

from craftls.features import navigation, outline
from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

# programs that check clean, each naming the construct it shows (and the fpc mode that
# accepts it, in its first comment)
CLEAN = {
    # Turbo Pascal 7 (and fpc for i8086; the x86-64 fpc here has no inline code)
    "inline machine code as a statement and as a routine's body":
        "{ -Mtp } program P;\nprocedure CliOff; inline($FA);\nprocedure Pushf;\n"
        "begin\n  inline($9C/\n         $FF/$5E/$06);\n  CliOff\nend;\n"
        "begin\n  Pushf;\n  if True then inline($FB)\nend.\n",
    "an ampersand escapes a name":
        "{ -Mobjfpc } program P;\nvar &type, x: Integer;\nbegin\n  &type := 1;\n"
        "  x := &type + &17\nend.\n",
    "an ampersand names a Pascal variable in assembler":
        "{ -Mtp } program P;\n{$asmmode intel}\nvar x, y: LongInt;\n"
        "procedure HLine; assembler;\nasm\n  mov eax, &x\n  mov ecx, &y\nend;\n"
        "begin\n  HLine\nend.\n",
    "the System unit qualifies its routines":
        "{ -Mtp } program P;\nvar s: string; w, e: Integer;\n"
        "procedure Val(n: Integer);\nbegin\nend;\n"
        "begin\n  s := '12';\n  System.Val(s, w, e);\n  Val(w)\nend.\n",
    "run-time library names: Assert, Math, the Dos unit's file records":
        "{ -Mobjfpc } program P;\nuses Dos, Math;\nvar f: file; t: Text; r: Real;\n"
        "begin\n  Assert(Floor(2.5) = 2);\n  Assert(Ceil(2.5) = 3, 'ceil');\n"
        "  WriteLn(FileRec(f).Mode, TextRec(t).BufSize)\nend.\n",
    "run-time library names: memory and type information":
        "program Mem;\n{$mode objfpc}\nvar p: PByte;\nbegin\n  p := AllocMem(16);\n"
        "  ReAllocMem(p, 32);\n  WriteLn(TypeInfo(Integer) <> nil);\n  FreeMem(p)\nend.\n",
    # fpc -Mtp accepts this: try, raise, on, class, is, as are not reserved there
    "the words of objfpc stay names in Turbo Pascal":
        "program P;\nvar Try, Raise, On, Class, Is, As: Integer;\nbegin\n"
        "  Try := 1; Raise := Try; On := 2; Class := On; Is := 1; As := Is\nend.\n",
    # (P^).Next := nil in Turbo Pascal, (S as TSquare).Edge := 2 in objfpc
    "a parenthesised designator is an assignment target":
        "program Links;\ntype PNode = ^TNode; TNode = record Next: PNode end;\n"
        "var P: PNode;\nbegin\n  New(P);\n  (P^).Next := nil;\n  Dispose(P)\nend.\n",
    "a semicolon before except or finally ends the statements":
        "program P;\n{$mode objfpc}\nuses SysUtils;\nvar n: Integer;\nbegin\n  try\n"
        "    n := StrToInt('x');\n  except\n    n := 0;\n  end;\n  try\n    n := 1;\n"
        "  finally\n    WriteLn(n);\n  end\nend.\n",
}


@pytest.mark.parametrize("text", CLEAN.values(), ids=list(CLEAN))
def test_programs_using_the_construct_check_clean(text: str) -> None:
    assert shown(text) == []


SHAPES = """program Shapes;
{$mode objfpc}{$H+}
{$modeswitch advancedrecords}
uses SysUtils;

type
  EShapeError = class(Exception);
  TShape = class;
  TShapeClass = class of TShape;

  TShape = class(TObject)
  strict private
    FName: string;
  private
    FSides: Integer;
    function GetSide(Index: Integer): Integer;
  protected
    procedure SetName(const Value: string); virtual;
  public
    class var Count: Integer;
    constructor Create(const AName: string; ASides: Integer);
    destructor Destroy; override;
    function Area: Double; virtual; abstract;
    class function Kind: string; static;
    property Name: string read FName write SetName;
    property Sides: Integer read FSides;
    property Side[Index: Integer]: Integer read GetSide; default;
  published
    property Tag: Integer read FSides write FSides stored False;
  end;

  TSquare = class(TShape)
  public
    Edge: Double;
    function Area: Double; override;
  end;

  TPoint2 = record
  private
    FX, FY: Integer;
  public
    procedure Move(DX, DY: Integer);
    property X: Integer read FX;
    property Y: Integer read FY write FY;
  end;

constructor TShape.Create(const AName: string; ASides: Integer);
begin
  inherited Create;
  FName := AName;
  FSides := ASides;
  Inc(Count)
end;

destructor TShape.Destroy;
begin
  Dec(Count);
  inherited Destroy
end;

function TShape.GetSide(Index: Integer): Integer;
begin
  if (Index < 0) or (Index >= FSides) then
    raise EShapeError.Create('no such side');
  Result := Index
end;

procedure TShape.SetName(const Value: string);
begin
  FName := Value
end;

class function TShape.Kind: string;
begin
  Result := 'shape'
end;

function TSquare.Area: Double;
begin
  Result := Edge * Edge
end;

procedure TPoint2.Move(DX, DY: Integer);
begin
  FX := FX + DX;
  FY := FY + DY
end;

var
  S: TShape;
  P: TPoint2;
  C: TShapeClass;
begin
  C := TSquare;
  S := TSquare.Create('square', 4);
  try
    if S is TSquare then
      (S as TSquare).Edge := 2.0;
    WriteLn(S.Name, ' ', S.Area:0:1, ' ', S[1], ' ', TShape.Kind, ' ', C.ClassName);
    try
      WriteLn(S[7])
    except
      on E: EShapeError do
        WriteLn('error: ', E.Message);
      on EConvertError do
        WriteLn('conversion')
      else
        raise
    end
  finally
    S.Free
  end;
  P.Move(1, 2);
  WriteLn(P.X, P.Y);
  try
    raise EShapeError.Create('bare')
  except
    WriteLn('caught')
  end
end.
"""


def lines_of(text: str, offsets: list[int]) -> list[int]:
    return [text.count("\n", 0, at) + 1 for at in offsets]


def test_classes_advanced_records_properties_and_exceptions_check_clean() -> None:
    assert parse(TP, SHAPES).errors == []
    assert shown(SHAPES) == []
    analysis = analyze_with_types(parse(TP, SHAPES))
    assert [s.name for s in outline.document_symbols(analysis)] == [
        "Shapes", "SysUtils", "EShapeError", "TShapeClass", "TShape", "TSquare", "TPoint2",
        "S", "P", "C"]
    # a property's read/write names are the class's fields; a method body sees them
    field = [r.start for r in navigation.references(analysis, SHAPES.index("FName"))]
    assert lines_of(SHAPES, field) == [13, 25, 50, 70]
    # the forward declaration `TShape = class;` names the class declared after it
    forward = [r.start for r in navigation.references(analysis, SHAPES.index("TShape = class;"))]
    assert lines_of(SHAPES, forward)[:3] == [8, 9, 11]
    # an exception handler's name is declared for its statement only
    handler = [r.start for r in navigation.references(analysis, SHAPES.index("E: EShape"))]
    assert lines_of(SHAPES, handler) == [103, 104]


def test_a_try_without_except_or_finally_is_one_error() -> None:
    text = "program P;\nbegin\n  try\n    WriteLn(1)\n  end;\n  WriteLn(2)\nend.\n"
    assert shown(text) == [(4, 15, "error", "syntax", "expected 'except' or 'finally', found 'end'")]


GENERICS = """program Generics;
{$mode objfpc}{$H+}
{$modeswitch advancedrecords}

type
  generic TPair<TKey, TValue> = record
    Key: TKey;
    Value: TValue;
    procedure Clear;
  end;
  TNamed = specialize TPair<string, Integer>;

  generic TStack<T> = class
  private
    FItems: array of T;
  public
    procedure Push(const Item: T);
    function Pop: T;
  end;
  TIntStack = specialize TStack<Integer>;

procedure TPair.Clear;
begin
  Key := Default(TKey);
  Value := Default(TValue)
end;

procedure TStack.Push(const Item: T);
begin
  SetLength(FItems, Length(FItems) + 1);
  FItems[High(FItems)] := Item
end;

function TStack.Pop: T;
begin
  Result := FItems[High(FItems)];
  SetLength(FItems, Length(FItems) - 1)
end;

generic function Largest<T>(const A, B: T): T;
begin
  if A > B then
    Result := A
  else
    Result := B
end;

generic procedure Show<T>(const Items: array of T);
var
  I: Integer;
begin
  for I := 0 to High(Items) do
    Write(Items[I], ' ');
  WriteLn
end;

var
  N: TNamed;
  S: TIntStack;
begin
  N.Key := 'seven';
  N.Value := 7;
  WriteLn(N.Key, ' ', N.Value);
  N.Clear;
  S := TIntStack.Create;
  S.Push(3);
  S.Push(specialize Largest<Integer>(4, 9));
  WriteLn(S.Pop, ' ', S.Pop);
  S.Free;
  specialize Show<string>(['a', 'b']);
  specialize Show<Integer>([1, 2, 3])
end.
"""


def test_generic_types_and_routines_and_their_specializations_check_clean() -> None:
    assert parse(TP, GENERICS).errors == []
    assert shown(GENERICS) == []
    analysis = analyze_with_types(parse(TP, GENERICS))
    # a generic routine's body and its calls are the routine's
    largest = [r.start for r in navigation.references(analysis, GENERICS.index("Largest"))]
    assert lines_of(GENERICS, largest) == [40, 67]
    # the type parameters are types inside the generic and its methods, one set per generic
    item = [r.start for r in navigation.references(analysis, GENERICS.index("T>"))]
    assert lines_of(GENERICS, item) == [13, 15, 17, 18, 28, 34]


def test_min_and_max_of_a_unit_the_workspace_lacks_take_any_arguments() -> None:
    # Stats is the program's own unit (not in the workspace here): its Min takes an array
    text = ("program P;\nuses Stats;\nvar a: array[1..3] of Integer;\nbegin\n"
            "  WriteLn(Min(a), Max(a), Min(1, 2))\nend.\n")
    assert [d for d in shown(text) if d[3] != "unresolved-import"] == []


OVERLOADS = """program Over;
{$mode objfpc}

function Twice(N: Integer): Integer; overload;
begin
  Result := N * 2
end;

function Twice(const S: string): string; overload;
begin
  Result := S + S
end;

procedure Show(A, B: Integer); overload;
begin
  WriteLn(A, ' ', B)
end;

procedure Show(A: Integer); overload;
begin
  WriteLn(A)
end;

begin
  WriteLn(Twice(2), ' ', Twice('ab'));
  Show(1);
  Show(1, 2)
end.
"""


def test_routines_marked_overload_share_their_name() -> None:
    assert shown(OVERLOADS) == []
    # without the mark a second routine of the name is still an error in Turbo Pascal's
    # mode (fpc -Mtp: "Procedure overloading is switched off") and Delphi's, and so is a
    # variable of the name; a call still means the routine its arguments fit, so the
    # mistake is not reported again at each call. Free Pascal's own modes take routines
    # of one name without the mark (fpc -Mobjfpc accepts `plain`)
    plain = OVERLOADS.replace("; overload;", ";")
    assert shown(plain) == []
    for mode in ("{$mode tp}", "{$mode delphi}"):
        assert [(d[0], d[3]) for d in shown(plain.replace("{$mode objfpc}", mode))] == [
            (9, "duplicate-declaration"), (19, "duplicate-declaration")], mode
    clash = OVERLOADS.replace("begin\n  WriteLn(Twice", "var Show: Integer;\nbegin\n  WriteLn(Twice")
    assert [(d[0], d[3]) for d in shown(clash)] == [(24, "duplicate-declaration")]


def test_a_doubled_parenthesis_in_a_call_is_still_one_error() -> None:
    # a parenthesised assignment target is guarded: a stray '(' starts no statement
    text = "program P;\nbegin\n  WriteLn( ('a', 1);\n  WriteLn('b')\nend.\n"
    assert [d[3] for d in shown(text)] == ["syntax"]
