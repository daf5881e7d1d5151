"""The WebAssembly back end agrees with the interpreter, byte for byte (on every example:
test_golden.py), on runtime errors (at the source position, with the traceback)
and limits. wasmtime is a dependency of craftls: these tests never skip."""

from __future__ import annotations

import io

import pytest

from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition

from .programs import HAND_WRITTEN

Run = tuple[int, str, str]


def both(definition: LanguageDefinition, text: str, path: str, stdin: str = "",
         max_steps: int | None = None) -> tuple[Run, Run]:
    runs = []
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(definition, text, path, out, err, io.StringIO(stdin), max_steps,
                         target=target)
        runs.append((code, out.getvalue(), err.getvalue()))
    return runs[0], runs[1]


# what the back end itself must get right: VAR parameters on locals (kept in memory
# cells), Inc/Dec, value copies of arrays and records, Halt, unset variables, type errors
WASM_CASES = HAND_WRITTEN + [
    ("pascal", "PROGRAM P;\nTYPE R = RECORD A : INTEGER; B : REAL END;\n"
     "VAR X, Y : ARRAY [0..2] OF INTEGER; P, Q : R;\n"
     "PROCEDURE Swap(VAR A, B : INTEGER);\nVAR T : INTEGER;\nBEGIN T := A; A := B; B := T END;\n"
     "FUNCTION Twice(N : INTEGER) : INTEGER;\nVAR K : INTEGER;\n"
     "BEGIN K := N; Inc(K, N); Swap(K, N); Twice := N END;\n"
     "BEGIN\n  X[0] := 1; X[1] := 2; Y := X; Y[0] := 9; Swap(X[0], X[1]);\n"
     "  P.A := 3; P.B := 1; Q := P; Q.A := 4; Dec(P.A);\n"
     "  WriteLn(X[0], ' ', X[1], ' ', Y[0], ' ', P.A, ' ', P.B, ' ', Q.A, ' ', Twice(21));\n"
     "  Halt(3); WriteLn('not reached')\nEND.\n", ""),
    ("pascal", "PROGRAM P;\nVAR I : INTEGER; S : STRING;\nBEGIN\n  S := 'abc';\n"
     "  CASE Length(S) OF 1, 2: WriteLn('short'); 3..5: WriteLn('mid') ELSE WriteLn('long') END;\n"
     "  I := 0;\n  REPEAT I := I + 2 UNTIL I > 7;\n  WriteLn(I, ' ', S < 'abd', ' ', 7 DIV -2, ' ', "
     "-7 MOD 2, ' ', Ord(S[2]), Chr(65), ' ', Round(2.5), Round(-2.5), Trunc(-2.7));\n"
     "  WriteLn(S[I])\nEND.\n", ""),
    ("teachlang", "remember n = 5\nteach f(k: int) -> int:\n    give_back k * undefined_name\n\n"
     "show(n + \"x\")\n", ""),
    ("teachlang", "teach f(k: int) -> int:\n    when k > 0:\n        give_back f(k - 1) + 1\n"
     "    give_back 0\n\nshow(f(2000), -7 // 2, -7 % 2)\nshow(7.5 // 2)\n", ""),
    ("teachlang", 'remember xs = [1, "a", 2.5, yes, nothing, [3]]\nshow(xs, length(xs))\n'
     'repeat_for c inside "hé":\n    show(c)\nshow(1 == 1.0, "b" > "a", [1] == [1])\n', ""),
]


@pytest.mark.parametrize(("language", "text", "stdin"), WASM_CASES)
def test_runtime_errors_input_and_formatting_agree(language: str, text: str, stdin: str) -> None:
    interpreted, wasm = both(bundled(language), text, "prog", stdin)
    assert wasm == interpreted


def test_a_runtime_error_points_at_its_line_with_the_traceback() -> None:
    text = "teach g(n: int) -> int:\n    give_back 10 // n\n\nshow(g(2))\nshow(g(0))\n"
    interpreted, wasm = both(bundled("teachlang"), text, "prog.teach")
    assert wasm == (1, "5\n", "prog.teach:2:18: runtime error: division by zero\n"
                    "traceback (most recent call last):\n"
                    "  prog.teach:5:6: in the main program\n  prog.teach:2:18: in g\n")
    assert wasm == interpreted


def test_max_steps_stops_a_wasm_run_where_the_interpreter_stops() -> None:
    text = "remember i = 0\nas_long_as yes:\n    i = i + 1\n    show(i)\n"
    interpreted, wasm = both(bundled("teachlang"), text, "loop.teach", max_steps=3)
    assert wasm == interpreted
    assert wasm[1] == "1\n2\n3\n"
    assert "stopped: the program ran more than the allowed number of steps" in wasm[2]


def test_timeout_stops_an_endless_wasm_run() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(bundled("teachlang"), "as_long_as yes:\n    remember x = 1\n", "l.teach",
                     out, err, io.StringIO(), timeout=0.5, target="wasm")
    assert (code, err.getvalue()) == (1, "l.teach: stopped: the program ran past its time "
                                         "limit\n")


def test_nesting_deeper_than_the_wasm_stack_is_a_runtime_error_at_the_call() -> None:
    out, err = io.StringIO(), io.StringIO()
    text = "teach f(n: int) -> int:\n    give_back f(n + 1)\n\nshow(f(0))\n"
    code = interpret(bundled("teachlang"), text, "deep.teach", out, err, io.StringIO(),
                     target="wasm")
    assert code == 1
    first = err.getvalue().split("\n")[0]
    assert first.startswith("deep.teach:2:15: runtime error: stack overflow: the program "
                            "nests too deeply")


def test_unsupported_constructs_are_build_errors_at_their_place() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(bundled("teachlang"), "show(99999999999999999999)\nstop\n", "b.teach",
                     out, err, io.StringIO(), target="wasm")
    assert (code, out.getvalue()) == (1, "")
    assert err.getvalue() == (
        "b.teach:1:6: error: this integer does not fit the WebAssembly back end's 64 bits\n"
        "b.teach:2:1: error: break outside a loop\n")
