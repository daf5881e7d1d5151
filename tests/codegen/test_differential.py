"""The C back end agrees with the interpreter, byte for byte: on every runnable example
and on random programs in the Pascal-style language and TeachLang."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from craftls.codegen.c_emit import generate_c
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition
from craftls.workspace.manifest import definition_for_file

from .goldens import ROOT, runnable_examples
from .programs import Pascal, Teach, programs

# A C compiler is a test requirement (.ci/install-editors.sh installs gcc): without one
# these tests fail rather than skip.


def both(definition: LanguageDefinition, text: str, path: str,
         stdin: str = "") -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, text, path, out, err, io.StringIO(stdin))
    native = run_c(generate_c(build_program(definition, text, path)).text, stdin, timeout=60)
    return (code, out.getvalue(), err.getvalue()), (native.returncode, native.stdout,
                                                    native.stderr)


RUNNABLE = runnable_examples()


def test_most_examples_are_compared() -> None:
    assert len(RUNNABLE) >= 5


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_compiled_to_c_prints_what_the_interpreter_prints(path: Path) -> None:
    definition = definition_for_file(path)
    assert definition is not None
    rel = path.relative_to(ROOT).as_posix()
    interpreted, native = both(definition, path.read_text(encoding="utf-8"), rel)
    assert native == interpreted


@pytest.mark.parametrize(("language", "text", "stdin"), [
    ("pascal", "PROGRAM P;\nVAR X : REAL;\nBEGIN\n  X := 0.1 + 0.2;\n  WriteLn(X, ' ', 1.0e22 * 10.0,"
     " ' ', 1.0 / 3.0, ' ', 123456789.0 * 1000000000.0, ' ', 0.00001)\nEND.\n", ""),
    ("teachlang", "teach g(n: int) -> int:\n    give_back 10 // n\n\nteach h(n: int) -> int:\n"
     "    give_back g(n - 1)\n\nshow(h(3))\nshow(h(1))\n", ""),
    ("teachlang", 'remember t = ask("? ")\nshow(to_number(t) * 2, to_whole(to_number(t)))\n'
     "show(ask(\"again? \"))\n", "2.5\n"),
    ("teachlang", "remember xs = [1, 2]\nadd_to(xs, 3)\nshow(xs, xs[3])\n", ""),
    ("pascal", "PROGRAM P;\nVAR A : ARRAY [1..3] OF INTEGER; I : INTEGER;\nBEGIN\n"
     "  FOR I := 3 DOWNTO 1 DO A[I] := I * I;\n  WriteLn(A[1], A[2], A[3], A[I - 1]);\n"
     "  WriteLn(A[I + 3])\nEND.\n", ""),
    ("espanol", 'escribir(mayúsculas("ñandú abc"), 7 % -2, -7 % 2, 2 ^ 10, 2 ^ 0.5)\n', ""),
    ("teachlang", 'remember t = " a,b,,c \\t"\nremember xs = t.strip().split(",")\n'
     'show(xs, xs.pop(), xs, xs.contains("b"), t.starts_with(" a"), "ab".replace("", "-"))\n'
     'show("banana".replace("an", "AN"), "x".split("x"), [].pop())\n', ""),
])
def test_runtime_errors_input_and_formatting_agree(language: str, text: str, stdin: str) -> None:
    interpreted, native = both(bundled(language), text, "prog", stdin)
    assert native == interpreted


@pytest.mark.parametrize("renderer", [Pascal(), Teach()], ids=["pascal", "teachlang"])
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(program=programs())
def test_random_programs_agree(renderer: Pascal, program: dict) -> None:
    language = "pascal" if renderer.ext == ".pas" else "teachlang"
    text = renderer.render(program)
    interpreted, native = both(bundled(language), text, "random" + renderer.ext)
    assert interpreted[0] == 0, (text, interpreted)
    assert native == interpreted, text
