"""The structured and ordinal constructs of a grammar-defined language
(``codegen/lower_structured.py``, ``codegen/lower_ordinals.py``) in Turbo Pascal: records
and fields, units, labels and forward GOTO, nested routines, character-code strings,
``Str``, enumerations, sets, CASE, pointers, typed constants, variant records and field
widths; each program runs in the interpreter, as C and as WebAssembly with the same
output (checked by hand against Free Pascal), and what cannot run is refused at its
place."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.codegen.c_emit import generate_c
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled

PASCAL = bundled("turbopascal")


def run(text: str, target: str = "interp") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(PASCAL, text, "prog", out, err, io.StringIO(""), target=target)
    return code, out.getvalue(), err.getvalue()


def run_three_ways(text: str) -> tuple[int, str, str]:
    """The interpreter's run, after checking that C and WebAssembly give the same."""
    expected = run(text)
    assert run(text, "wasm") == expected
    native = run_c(generate_c(build_program(PASCAL, text, "prog")).text, "", timeout=60)
    assert (native.returncode, native.stdout, native.stderr) == expected
    return expected


COUNTERS = """program P;
type
  TCounter = record
    Name: string[16];
    Value: LongInt;
  end;
  TPair = record
    Left, Right: TCounter;
    Marks: array[1..3] of Integer;
  end;
var
  A, B: TCounter;
  Pair: TPair;
  Created: Integer;

function Digits(N: LongInt): Integer; forward;

procedure Reset(var C: TCounter; const Name: string);
begin
  C.Name := Name;
  C.Value := 0;
  Inc(Created);
end;

procedure Bump(var C: TCounter; By: LongInt);
label
  Done;
begin
  if By = 0 then
    goto Done;
  C.Value := C.Value + By;
  Done:
  ;
end;

function Digits(N: LongInt): Integer;
var
  Count: Integer;

  procedure Step;
  begin
    N := N div 10;
    Inc(Count);
  end;

begin
  Count := 1;
  while Abs(N) >= 10 do
    Step;
  Digits := Count;
end;

function Describe(const C: TCounter): string;
var
  Text: string;
begin
  Str(C.Value, Text);
  Describe := C.Name + '=' + Text + ' (' + Chr(Ord('0') + Digits(C.Value)) + ' digits)'#$41#66'!'#10;
end;

begin
  Created := 0;
  Reset(A, 'apples');
  Bump(A, 12345);
  Bump(A, 0);
  Bump(A, -99999);
  Write(Describe(A));
  Reset(B, 'b');
  Write(Describe(B));
  B := A;
  Bump(A, 1);
  Pair.Left := A;
  Pair.Right := B;
  Pair.Marks[2] := 7;
  Pair.Left.Value := Pair.Left.Value * 2;
  WriteLn(Created, ' ', Digits(-7), ' ', Digits(1000000), ' ', B.Value, ' ',
          Pair.Left.Value, ' ', Pair.Right.Value, ' ', Pair.Marks[2] + Pair.Marks[1], #9'|');
end.
"""


def test_records_nested_routines_goto_and_character_codes() -> None:
    # Pascal: -87654 has 5 digits; Bump(A, 0) jumps over the addition; records are
    # copied on assignment; Step changes its outer routine's N and Count
    assert run_three_ways(COUNTERS) == (0, (
        "apples=-87654 (5 digits)AB!\nb=0 (1 digits)AB!\n"
        "2 1 7 -87654 -175306 -87654 7\t|\n"), "")


def test_goto_skips_to_its_label_from_inside_nested_statements() -> None:
    text = ("program P;\nlabel 1, Skip;\nvar I: Integer;\nbegin\n  I := 0;\n"
            "  begin\n    if I = 0 then\n    begin\n      WriteLn('a');\n      goto Skip;\n"
            "      WriteLn('never')\n    end;\n    WriteLn('never either')\n  end;\n"
            "  WriteLn('not reached');\nSkip:\n  WriteLn('b');\n  I := I + 1;\n"
            "  if I > 5 then goto 1;\n  WriteLn('c');\n1: WriteLn('d')\nend.\n")
    assert run_three_ways(text) == (0, "a\nb\nc\nd\n", "")


@pytest.mark.parametrize(("text", "where", "what"), [
    ("label L;\nbegin\nL: WriteLn(1);\n  goto L\nend.\n", "5:3",
     "this goto is not supported by craftls run/build: only a jump forward"),
    ("label L;\nvar I: Integer;\nbegin\n  for I := 1 to 3 do\n    if I = 2 then goto L;\n"
     "L: WriteLn(1)\nend.\n", "6:19", "this goto is not supported"),
    ("label L;\nbegin\n  begin\n  L: WriteLn(1)\n  end;\n  goto L\nend.\n", "7:3",
     "this goto is not supported"),
    ("type R = record X: Integer end;\nvar V: array[1..2] of R;\nbegin\n"
     "  with V[1] do X := 1\nend.\n", "5:8", "with on an array element or a pointer's "
     "variable is not supported by craftls run/build"),
    ("var V: Integer;\nbegin\n  with V do V := 1\nend.\n", "4:8",
     "with needs a variable declared as a record or object"),
    ("type TK = (A, B);\nvar K: TK;\nfunction F: TK; begin F := B end;\nbegin\n"
     "  K := A;\n  WriteLn(Ord(K), ' ', K, F)\nend.\n", "7:24",
     "writing an enumeration value is not supported by craftls run/build"),
    ("type TK = (A, B);\nbegin\n  WriteLn(TK(0), B:2)\nend.\n", "4:11",
     "writing an enumeration value is not supported"),
    ("procedure Count;\nconst N: Integer = 0;\nbegin\n  N := N + 1\nend;\nbegin\nend.\n",
     "3:7", "a typed constant inside a routine (a variable that keeps its value between "
     "calls) is not supported"),
    ("var S: string;\nbegin\n  WriteLn(Str(1, S))\nend.\n", "4:11",
     "Str stores into its last argument: it is a statement, not a value"),
])
def test_what_cannot_run_is_refused_at_its_place(text: str, where: str, what: str) -> None:
    code, out, err = run("program P;\n" + text)
    assert code == 1 and out == ""
    assert f"prog:{where}: error: {what}" in err


ORDINALS = """program P;
const
  Primes: array[1..4] of Integer = (2, 3, 5, 7);
  Grid: array[1..2, 1..2] of Integer = ((1, 2), (3, 4));
  Greeting: string = 'hi';
type
  TColor = (Red, Green, Blue);
  TColors = set of TColor;
  TDigits = set of 0..9;
  PItem = ^TItem;
  TItem = record
    Value: Integer;
    Next: PItem;
  end;
  TShape = record
    case Kind: TColor of
      Red: (Radius: Real);
      Green, Blue: (Width, Height: Real);
  end;
var
  C: TColor;
  Warm, All: TColors;
  D: TDigits;
  I, Sum: Integer;
  List, Item: PItem;
  S: TShape;
  T: string;
begin
  Warm := [Red];
  All := [Red..Blue];
  D := [1, 3, 5..7] - [6];
  for I := 0 to 9 do
    if I in D then Write(I);
  WriteLn(' ', Green in All - Warm, ' ', Red in All - Warm, ' ', Warm <= All, ' ',
          All <= Warm, ' ', Warm * All = [Red], ' ', Warm + [Blue] <> All, ' ', [] = D - D);
  for C := Red to Blue do
    case C of
      Red: Write('red ');
      Green..Blue: Write('cool', Ord(C), ' ');
    end;
  for I := 1 to 12 do
    case I mod 4 of
      0: Write('a');
      1, 2: Write('b');
    else
      Write('-')
    end;
  WriteLn;
  WriteLn(Ord(Blue), ' ', Ord(True), ' ', Ord('A'), ' ', Ord(TColor(2) = Blue), ' ',
          Integer(False), ' ', Primes[4] + Grid[2, 1], Greeting);
  List := nil;
  for I := 1 to 4 do
  begin
    New(Item);
    Item^.Value := Primes[I] * 10;
    Item^.Next := List;
    List := Item;
  end;
  Sum := 0;
  Item := List;
  while Item <> nil do
  begin
    Sum := Sum + Item^.Value;
    Item := Item^.Next;
  end;
  List^.Next^.Value := 0;
  WriteLn(Sum, ' ', List^.Value, ' ', List^.Next^.Value, ' ', Item = nil);
  Dispose(List);
  WriteLn(List = nil);
  S.Kind := Green;
  S.Width := 2;
  S.Height := 1.5;
  WriteLn(S.Width * S.Height:6:2, '|', 7:3, '|', 'ab':4, '|', True:6, '|', -2.5:0:0, '|',
          Pi:1:5, '|', 1/3:8:3);
  Str(Pi:4:2, T);
  WriteLn(T);
end.
"""


def test_enumerations_sets_case_pointers_typed_constants_and_widths() -> None:
    # as Free Pascal 3.2 (fpc -Mtp) writes it, but for booleans: Pascal writes TRUE and
    # FALSE, the runtime the definition's spelling; -2.5:0:0 rounds away from zero
    assert run_three_ways(ORDINALS) == (0, (
        "1357 true false true false true true true\n"
        "red cool1 cool2 bb-abb-abb-a\n"
        "2 1 65 1 0 10hi\n"
        "170 70 0 true\n"
        "false\n"
        "  3.00|  7|  ab|  true|-3|3.14159|   0.333\n"
        "3.14\n"), "")


def test_reals_with_decimals_round_as_free_pascal_writes_them() -> None:
    # each value at :0:2, :0:0 and :9:3, as fpc -Mtp writes them: 15 significant digits,
    # then halves away from zero (1.005 is 1.00499999999999989 as a double)
    values = ["1.005", "2.675", "-0.001", "-2.5", "1/3", "1e22", "9.9999999999999995",
              "0.006", "0", "1e-300"]
    body = "".join(f"  X := {v};\n  WriteLn(X:0:2, '|', X:0:0, '|', X:9:3);\n" for v in values)
    code, out, err = run_three_ways(f"program P;\nvar X: Real;\nbegin\n{body}end.\n")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "1.01|1|    1.005", "2.68|3|    2.675", "-0.00|-0|   -0.001", "-2.50|-3|   -2.500",
        "0.33|0|    0.333", "10000000000000000000000.00|10000000000000000000000|"
        "10000000000000000000000.000", "10.00|10|   10.000", "0.01|0|    0.006",
        "0.00|0|    0.000", "0.00|0|    0.000"]


@pytest.mark.parametrize(("text", "message"), [
    ("WriteLn(1.5:4)", "prog:3:9: runtime error: Write: a real written with a width needs "
                       "its number of decimals (x:width:decimals)"),
    ("WriteLn(1:-1)", "prog:3:9: runtime error: Write: a field width must be from 0 to "
                      "100000000, not -1"),
])
def test_field_width_errors_are_the_same_in_every_back_end(text: str, message: str) -> None:
    code, out, err = run_three_ways(f"program P;\nbegin\n{text}\nend.\n")
    assert code == 1 and err.startswith(message)


OBJECTS = """program P;
type
  TShape = object
    Name: string;
    Scale: Integer;
    constructor Init(const N: string);
    function Area: Integer; virtual;
    procedure Show;
  end;
  TSquare = object(TShape)
    Side: Integer;
    constructor Make(S: Integer);
    function Area: Integer; virtual;
  end;
  TBig = object(TSquare)
    function Area: Integer; virtual;
  end;

constructor TShape.Init(const N: string);
begin
  Name := N;
  Scale := 1;
end;

function TShape.Area: Integer;
begin
  Area := 0;
end;

procedure TShape.Show;
begin
  WriteLn(Name, ': ', Area * Scale);
end;

constructor TSquare.Make(S: Integer);
begin
  inherited Init('square');
  Side := S;
end;

function TSquare.Area: Integer;
begin
  Area := Side * Side;
end;

function TBig.Area: Integer;
begin
  Area := inherited Area * 100;
end;

var
  Plain: TShape;
  Square: TSquare;
  Big: TBig;
begin
  Plain.Init('plain');
  Square.Make(3);
  Big.Make(2);
  Big.Name := 'big';
  Plain.Show;
  Square.Show;
  Big.Show;
  Big.Scale := 2;
  Big.Show;
  WriteLn(Square.Area + Big.Area);
end.
"""


def test_objects_fields_methods_virtual_calls_and_inherited() -> None:
    # Show, a static method of TShape, calls the virtual Area of the object's own type;
    # a bare field or method name in a method is Self's (as fpc -Mtp runs it)
    assert run_three_ways(OBJECTS) == (0, (
        "plain: 0\nsquare: 9\nbig: 400\nbig: 800\n409\n"), "")


def test_a_virtual_method_of_an_object_no_constructor_initialised_is_a_runtime_error(
        ) -> None:
    text = OBJECTS.replace("  Plain.Init('plain');\n", "")
    code, out, err = run_three_ways(text)
    assert code == 1 and out == ""
    assert err.startswith("prog:25:1: runtime error: assertion failed: a virtual method of "
                          "an object that no constructor initialised\ntraceback (most recent "
                          "call last):\n  prog:59:9: in the main program\n  prog:32:23: in "
                          "TShape.Show\n")


# a body may leave out what its heading gave: the parameters and the result type of a
# FORWARD heading, and of a method's heading in its object type (fpc -Mtp runs both)
HEADLESS = """program H;
type
  TCounter = object
    Count: Integer;
    procedure Add(Step: Integer; var Total: Integer);
    function Twice(V: Integer): Integer;
  end;
function Scaled(N: Integer; var Parts: string): Integer; forward;
procedure TCounter.Add;
begin
  Count := Count + Step;
  Total := Total + Count
end;
function TCounter.Twice;
begin
  Twice := V * 2 + Count
end;
function Scaled;
begin
  Parts := Parts + '*';
  Scaled := N * 10
end;
var C: TCounter; T: Integer; S: string;
begin
  C.Count := 0; T := 100; S := '';
  C.Add(3, T);
  C.Add(4, T);
  WriteLn(C.Count, ' ', T, ' ', C.Twice(5));
  WriteLn(Scaled(2, S) + Scaled(3, S), ' ', S)
end.
"""


def test_bodies_that_leave_out_their_heading_s_parameters_run() -> None:
    assert run_three_ways(HEADLESS) == (0, "7 110 17\n50 **\n", "")
    # a call still passes exactly the heading's parameters
    code, out, err = run(HEADLESS.replace("C.Add(4, T)", "C.Add(4)"))
    assert code != 0 and "Add takes 2 argument(s), 1 given" in err


# ----- random programs over records, sets, CASE and field widths -----

def _int_expr(depth: int) -> st.SearchStrategy[str]:
    leaves = st.one_of(st.integers(0, 40).map(str),
                       st.sampled_from(("R.X", "R.Y", "Q.X", "Ord(3 in S)")))
    if depth == 0:
        return leaves
    sub = _int_expr(depth - 1)
    return st.one_of(leaves, st.tuples(sub, st.sampled_from(("+", "-", "*")), sub).map(
        lambda t: f"(({t[0]} {t[1]} {t[2]}) mod 1000)"))


def _element(depth: int) -> st.SearchStrategy[str]:
    return _int_expr(depth).map(lambda e: f"Abs({e}) mod 21")


def _statement(depth: int) -> st.SearchStrategy[str]:
    simple = st.one_of(
        st.tuples(st.sampled_from(("R.X", "R.Y", "Q.X")), _int_expr(2)).map(
            lambda t: f"{t[0]} := {t[1]}"),
        _element(1).map(lambda e: f"S := S + [{e}]"),
        _element(1).map(lambda e: f"S := S - [{e}]"),
        st.just("S := S - [2..4, 7]"),
        st.just("T := S * [0..10]"),
        st.just("Q := R"),
        st.tuples(_element(1), _int_expr(1)).map(
            lambda t: f"WriteLn({t[0]} in S, ' ', S = T, ' ', T <= S, ' ', {t[1]}:6, '|', "
                      f"{t[1]} / 7:0:3, '|', R.X, ' ', Q.X)"),
    )
    if depth == 0:
        return simple
    inner = st.lists(_statement(depth - 1), min_size=1, max_size=3).map(
        lambda body: "begin\n" + ";\n".join(body) + "\nend")
    return st.one_of(simple, st.tuples(_int_expr(1), inner, inner, inner).map(
        lambda t: f"case Abs({t[0]}) mod 4 of\n  0: {t[1]};\n  1, 2: {t[2]}\nelse\n{t[3]}\n"
                  "end"))


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=st.lists(_statement(2), min_size=1, max_size=6))
def test_random_record_set_and_case_programs_agree_in_every_back_end(body: list[str]) -> None:
    text = ("program P;\ntype\n  TPair = record X, Y: Integer end;\n  TSmall = set of 0..20;\n"
            "var\n  R, Q: TPair;\n  S, T: TSmall;\nbegin\n" + ";\n".join(body)
            + ";\n  WriteLn(R.X, ' ', R.Y, ' ', Q.X, ' ', 5 in S, ' ', 5 in T)\nend.\n")
    code, _, err = run_three_ways(text)
    assert (code, err) == (0, ""), text


WITH = """program W;
type
  TPoint = record X, Y: Integer end;
  TBox = record Corner: TPoint; Name: string end;
  TCounter = object
    N: Integer;
    constructor Init;
    procedure Add(K: Integer);
  end;
constructor TCounter.Init;
begin
  N := 0
end;
procedure TCounter.Add(K: Integer);
begin
  N := N + K
end;
var
  B: TBox;
  X: Integer;
  C: TCounter;
  A: array[1..2] of TPoint;
begin
  X := 100;
  with B, Corner do
  begin
    Name := 'box';
    X := 3;
    Y := X * 2;
  end;
  with B.Corner do WriteLn(X, ' ', Y);
  WriteLn(X, ' ', B.Name, ' ', B.Corner.X);
  with C do
  begin
    Init;
    Add(5);
    Add(N)
  end;
  WriteLn(C.N);
end.
"""


def test_with_names_the_fields_and_methods_of_its_targets_before_variables() -> None:
    # as fpc -Mtp runs it: inside WITH B, Corner the X is B.Corner.X, not the variable X
    assert run_three_ways(WITH) == (0, "3 6\n100 box 3\n10\n", "")
