"""The reference interpreter on small programs: values, calls, errors and limits."""

from __future__ import annotations

import io

import pytest

from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled


def run(language: str, text: str, stdin: str = "", **limits: float) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(bundled(language), text, "prog", out, err, io.StringIO(stdin),
                     **limits)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


PASCAL_VAR = """PROGRAM P;
VAR A, B : INTEGER; R : REAL;
PROCEDURE Swap(VAR X, Y : INTEGER);
VAR T : INTEGER;
BEGIN
  T := X; X := Y; Y := T
END;
FUNCTION Fact(N : INTEGER) : INTEGER;
BEGIN
  IF N <= 1 THEN Fact := 1 ELSE Fact := N * Fact(N - 1)
END;
BEGIN
  A := 1; B := 2;
  Swap(A, B);
  WriteLn(A, ' ', B);
  WriteLn(Fact(25));
  WriteLn(-7 DIV 2, ' ', -7 MOD 2, ' ', 7 / 2);
  R := 3;
  WriteLn(R, ' ', Round(2.5), ' ', Round(-2.5), ' ', Trunc(-2.7));
  Inc(A, 10);
  WriteLn(A, ' ', Odd(A), ' ', Length('abc'), ' ', Copy('hello', 2, 3))
END.
"""


def test_pascal_var_parameters_recursion_and_arithmetic() -> None:
    code, out, err = run("pascal", PASCAL_VAR)
    assert (code, err) == (0, "")
    assert out == ("2 1\n15511210043330985984000000\n-3 -1 3.5\n3.0 3 -3 -2\n"
                   "12 FALSE 3 ell\n")


TEACH = """teach fib(n: int) -> int:
    when n < 2:
        give_back n
    give_back fib(n - 1) + fib(n - 2)

remember xs = []
repeat_for i inside range(10):
    add_to(xs, fib(i))
show(xs, length(xs), -7 // 2, -7 % 2, yes, nothing)
remember name = ask("name? ")
show("hello", name)
"""


def test_teachlang_lists_floor_division_and_input() -> None:
    code, out, err = run("teachlang", TEACH, stdin="Ada\n")
    assert (code, err) == (0, "")
    assert out == "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34] 10 -4 1 yes nothing\nname? hello Ada\n"


def test_reading_past_the_end_of_input_fails_clearly() -> None:
    code, out, err = run("teachlang", TEACH)
    assert code == 1
    assert out.endswith("name? ")
    assert err.startswith("prog:10:17: runtime error: ask: no more input (stdin has ended)")


RUNTIME_ERROR = """PROGRAM P;
VAR Z : INTEGER;
FUNCTION Inner(X : INTEGER) : INTEGER;
BEGIN
  Inner := 10 DIV X
END;
FUNCTION Outer(X : INTEGER) : INTEGER;
BEGIN
  Outer := Inner(X - 1)
END;
BEGIN
  Z := Outer(1)
END.
"""


def test_runtime_error_has_place_and_traceback_in_the_programs_names() -> None:
    code, out, err = run("pascal", RUNTIME_ERROR)
    assert code == 1
    assert err == ("prog:5:15: runtime error: division by zero\n"
                   "traceback (most recent call last):\n"
                   "  prog:12:8: in the main program\n"
                   "  prog:9:12: in Outer\n"
                   "  prog:5:15: in Inner\n")


@pytest.mark.parametrize(("text", "message"), [
    ("remember xs = [1, 2]\nshow(xs[2])\n", "prog:2:9: runtime error: index 2 out of range 0..1"),
    ("show(missing + 1)\n", "prog:1:6: runtime error: undefined name 'missing'"),
    ('show(1 + "a")\n', "prog:1:8: runtime error: + needs numbers, not integer and string"),
    ("show(1 / 0)\n", "prog:1:8: runtime error: division by zero"),
])
def test_runtime_errors(text: str, message: str) -> None:
    code, _, err = run("teachlang", text)
    assert code == 1
    assert err.splitlines()[0] == message


def test_unrunnable_builtin_is_a_build_error_at_the_call() -> None:
    code, out, err = run("basic", 'PRINT "a"\nPRINT TIMER()\n')
    assert (code, out) == (1, "")
    assert err.startswith("prog:2:7: error: the builtin 'TIMER' is not runnable")


def test_step_limit_stops_an_endless_loop() -> None:
    code, _, err = run("teachlang", "as_long_as yes:\n    nothing_to_do\n", max_steps=1000)
    assert code == 1
    assert "stopped: the program ran more than the allowed number of steps" in err


def test_timeout_stops_an_endless_loop() -> None:
    code, _, err = run("teachlang", "remember i = 0\nas_long_as yes:\n    i = i + 1\n",
                       timeout=0.2)
    assert code == 1
    assert "stopped: the program ran past its time limit" in err


def test_deep_recursion_is_a_runtime_error() -> None:
    code, _, err = run("teachlang", "teach f(n: int) -> int:\n    give_back f(n + 1)\n\nshow(f(0))\n")
    assert code == 1
    assert "runtime error: stack overflow: more than 10000 nested calls" in err


def test_basic_print_joins_its_values_and_a_trailing_separator_keeps_the_line() -> None:
    text = 'PRINT 1; "a";\nPRINT "b"\nPRINT\nPRINT 2, 3.5; "c" & STR$(4)\nPRINT "d";\n'
    assert run("basic", text) == (0, "1ab\n\n23.5c4\nd", "")


def test_semicolons_between_arguments_are_refused_unless_the_builtin_prints_items() -> None:
    code, out, err = run("basic", 'INPUT "a"; "b"\n')
    assert (code, out) == (1, "")
    assert err == ("prog:1:7: error: arguments separated by ';' is not supported by "
                   "craftls run/build\n")
