"""A keyword-level language's grammar extension forms run from their rules' ``run:``
annotations (examples/curlyplus): the example runs as its golden file says (checked by
hand) in the interpreter, in C and in WebAssembly; a form without a meaning is refused
at its line and column, and a form's node is never dropped."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest

from craftls.codegen.c_emit import generate_c
from craftls.codegen.errors import BuildError
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition

from .goldens import GOLDEN, recorded

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "curlyplus"
DEFINITION_TEXT = (EXAMPLE / "curlyplus.yaml").read_text(encoding="utf-8")
PROGRAM = EXAMPLE / "countdown.cplus"
NAME = "examples/curlyplus/countdown.cplus"


@cache
def curlyplus(text: str = DEFINITION_TEXT) -> LanguageDefinition:
    definition, problems = load_definition_text(text)
    assert definition is not None and definition.grammar_extension is not None, problems
    return definition


def run(text: str, definition: LanguageDefinition | None = None,
        target: str = "interp") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition or curlyplus(), text, "prog", out, err, io.StringIO(),
                     max_steps=100_000, target=target)
    return code, out.getvalue(), err.getvalue()


def golden() -> str:
    return (GOLDEN / "curlyplus-countdown.cplus.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["interp", "wasm"])
def test_the_example_runs_as_recorded(target: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(curlyplus(), PROGRAM.read_text(encoding="utf-8"), NAME, out, err,
                     io.StringIO(), target=target)
    assert recorded(code, out.getvalue(), err.getvalue()) == golden()


def test_the_example_compiled_to_c_runs_as_recorded() -> None:
    program = build_program(curlyplus(), PROGRAM.read_text(encoding="utf-8"), NAME)
    native = run_c(generate_c(program).text, "", timeout=60)
    assert recorded(native.returncode, native.stdout, native.stderr) == golden()


def test_each_form_means_what_its_annotation_says() -> None:
    text = ("fn factorial(n: int) -> int {\n    return n * 10;\n}\n"
            "enum E { A, B };\n"
            "let d = 3 ms;\n"
            "let p = -2 pow 2;\n"
            "let i = 0;\n"
            "repeat {\n    i = i + 1;\n} until i >= 3 pow 1;\n"
            "print(d, p, B, i, 4!, (1 + 1)!);\n")
    # `-2 pow 2` runs as the tree groups it, (-2) pow 2; `4!` calls factorial
    assert run(text) == (0, "3 4 1 3 40 20\n", "")


def test_form_nodes_in_every_expression_place_are_lowered_not_dropped() -> None:
    text = ("fn f(x: int) -> int {\n    return x pow 2;\n}\n"
            "let a = 5 ms;\nlet b: int = 2;\nb = 7 ms;\n"
            "if (b pow 1 == 7) {\n    print(f(a), b);\n}\n"
            "while (a pow 1 > 3) {\n    a = a - 1;\n}\nprint(a);\n")
    assert run(text) == (0, "25 7\n3\n", "")


def _without_run(rule: str) -> LanguageDefinition:
    lines = DEFINITION_TEXT.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"    {rule}:"))
    if "match:" in lines[at]:  # `rule: {match: "...", run: {...}}` on one line
        match = lines[at].split("match: ")[1].split(", run:")[0]
        lines[at] = f"    {rule}: {match}\n"
    else:  # a block: drop its `run:` line
        run_line = next(i for i in range(at + 1, len(lines)) if "run:" in lines[i])
        del lines[run_line]
    return curlyplus("".join(lines))


@pytest.mark.parametrize(("rule", "text", "where"), [
    ("factorial", "let x = 2;\nprint(x!);\n", "2:7"),
    ("duration", "let d = 5 ms;\n", "1:9"),
    ("power", "print(1 +\n  2 pow 3);\n", "2:3"),
    ("repeat_until", "let i = 0;\nrepeat {\n    i = i + 1;\n} until i > 2;\n", "2:1"),
    ("enum_decl", "enum E { A };\n", "1:1"),
])
def test_a_form_without_run_is_refused_at_its_line_and_column(
        rule: str, text: str, where: str) -> None:
    definition = _without_run(rule)
    for target in ("interp", "wasm"):
        code, out, err = run(text, definition, target)
        assert (code, out) == (1, "")
        assert f"prog:{where}: error: the form '{rule}' has no meaning when the program " \
               f"runs (its rule grammar.rules.{rule} has no run: annotation)" in err
    with pytest.raises(BuildError):
        build_program(definition, text, "prog")


def test_an_operator_the_annotation_does_not_name_is_refused() -> None:
    definition = curlyplus(DEFINITION_TEXT.replace("ops: {pow: pow}", "ops: {power: pow}"))
    code, _, err = run("print(2 pow 3);\n", definition)
    assert code == 1
    assert "prog:1:9: error: the operator 'pow' is not supported by craftls run/build " \
           "(run.ops of grammar.rules.power does not name it)" in err


def test_a_construct_that_is_not_a_value_is_refused_where_a_value_belongs() -> None:
    definition = curlyplus(DEFINITION_TEXT.replace("run: {is: group, value: 1}",
                                                   "run: {is: while, condition: 1}"))
    code, _, err = run("let d = 5 ms;\n", definition)
    assert code == 1 and "prog:1:9: error: the form 'duration' means 'while', which is " \
                         "not a value" in err


def test_a_form_with_a_child_no_part_takes_is_refused() -> None:
    definition = curlyplus(DEFINITION_TEXT.replace(", ignore: 1}", "}"))
    code, _, err = run("enum Color { Red };\n", definition)
    assert code == 1
    assert "prog:1:6: error: a name in 'enum decl' is not supported by craftls run/build" \
        in err


def test_a_statement_form_can_mean_if_with_an_else_body() -> None:
    text = DEFINITION_TEXT.replace("statement: [repeat_until, enum_decl]",
                                   "statement: [repeat_until, enum_decl, unless]").replace(
        "    enum_member:", "    unless:\n      match: \"'unless' expression statement\"\n"
                           "      run: {is: if, condition: 1, else: 2}\n    enum_member:"
    ).replace("  enum: {spelling", "  unless: {spelling: unless, category: control}\n"
                                   "  enum: {spelling")
    definition = curlyplus(text)
    # a statement form ends with the language's terminator, as repeat ... until does
    program = "unless (1 > 2) {\n    print(\"a\");\n};\nunless (2 > 1) {\n    print(\"b\");\n};\n"
    assert run(program, definition) == (0, "a\n", "")


def test_a_form_that_means_none_runs_nothing_whatever_it_holds() -> None:
    definition = curlyplus(DEFINITION_TEXT.replace(
        "run: {is: enum, values: enum_member, ignore: 1}", "run: none"))
    assert run("enum E { A, B };\nprint(1);\n", definition) == (0, "1\n", "")
    code, _, err = run("enum E { A };\nprint(A);\n", definition)
    assert code == 1 and "prog:2:7: runtime error: undefined name 'A'" in err  # no constant
