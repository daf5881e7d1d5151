"""The structured constructs of a grammar-defined language (``codegen/lower_structured.py``)
in Turbo Pascal: records and fields, units, labels and forward GOTO, nested routines,
character-code strings and ``Str``; each program runs in the interpreter, as C and as
WebAssembly with the same output, and what cannot run is refused at its place."""

from __future__ import annotations

import io

import pytest

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
    ("type R = record\n  case K: Integer of\n    1: (X: Integer);\n  end;\nbegin\nend.\n",
     "3:3", "'variant part' in a record is not supported"),
    ("var S: string;\nbegin\n  WriteLn(Str(1, S))\nend.\n", "4:11",
     "Str stores into its last argument: it is a statement, not a value"),
])
def test_what_cannot_run_is_refused_at_its_place(text: str, where: str, what: str) -> None:
    code, out, err = run("program P;\n" + text)
    assert code == 1 and out == ""
    assert f"prog:{where}: error: {what}" in err
