"""Types in a keyword-level language with grammar extension forms (examples/curlyplus):
the operands inside a form are checked like any expression, and a form's own value is of
unknown type, so a form never causes a type error of its own."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from types_helpers import found, symbol_type

from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.resolve import resolve_names
from craftls.syntax.parse import parse
from craftls.types import TypeChecker, TypeReport

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "curlyplus"


@cache
def curlyplus() -> LanguageDefinition:
    definition, problems = load_definition_text(
        (EXAMPLE / "curlyplus.yaml").read_text(encoding="utf-8"))
    assert definition is not None and definition.grammar_extension is not None, problems
    return definition


def check(text: str) -> TypeReport:
    parsed = parse(curlyplus(), text)
    assert parsed.errors == []
    return TypeChecker(curlyplus()).check(parsed, resolve_names(parsed))


F = "fn f(n: int) -> int {\n    return n;\n}\n"


def test_the_example_checks_clean() -> None:
    text = (EXAMPLE / "countdown.cplus").read_text(encoding="utf-8")
    report = check(text)
    assert found(report, text) == []
    assert symbol_type(report, "count") == "int"


def test_a_form_in_a_typed_place_is_unknown_not_an_error() -> None:
    text = (F + "let a: int = 2 pow 3;\nlet s: string = 250 ms;\nlet b: int = f(3!);\n"
            "let d = 2 pow 3;\nlet c: bool = f(1) pow 2;\n")
    report = check(text)
    assert found(report, text) == []
    assert symbol_type(report, "d") == "unknown"
    assert symbol_type(report, "a") == "int"  # the declared type stands


def test_the_operands_inside_a_form_are_checked() -> None:
    text = (F + 'let z = f("x") pow 2;\nlet y = f("y")!;\nlet w = 1 pow f(true);\n'
            'let s: string = "a";\nrepeat {\n    let n: int = s;\n} until f("u") > 1;\n')
    report = check(text)
    assert found(report, text) == [
        ("argument-type", '"x"'), ("argument-type", '"y"'), ("argument-type", "true"),
        ("type-mismatch", "s"), ("argument-type", '"u"')]
