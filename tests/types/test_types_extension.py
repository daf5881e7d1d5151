"""Types in a keyword-level language with grammar extension forms (examples/curlyplus):
the operands inside a form are checked like any expression, and a form's own value is of
the type its rule's ``result_type`` gives, else unknown, so a form without one never
causes a type error of its own."""

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


# ---------------------------------------------------------------- a form's own type

def _typed(results: dict[str, str]) -> str:
    """The example's definition with ``result_type`` on the named rules."""
    text = (EXAMPLE / "curlyplus.yaml").read_text(encoding="utf-8")
    for rule, result in results.items():
        start = text.index(f"    {rule}: {{match:")
        end = text.index("\n", start)
        text = text[:end - 1] + f", result_type: {result!r}}}" + text[end:]
    return text


@cache
def typed_curlyplus() -> LanguageDefinition:
    definition, problems = load_definition_text(_typed(
        {"duration": "int", "power": "operand 1", "factorial": "integer"}))
    assert definition is not None and definition.grammar_extension is not None, problems
    assert [p.message for p in problems if p.severity != "info"] == []
    return definition


def typed_check(text: str) -> TypeReport:
    parsed = parse(typed_curlyplus(), text)
    assert parsed.errors == []
    return TypeChecker(typed_curlyplus()).check(parsed, resolve_names(parsed))


def test_a_form_s_result_type_is_its_value_s_type_and_is_checked() -> None:
    text = (F + "let a = 250 ms;\nlet b = 2.5 pow 2;\nlet c = 2 pow 3;\nlet d = 3!;\n"
            "let e: string = 250 ms;\nlet g: bool = 3!;\nlet h: int = 4 pow 2;\n")
    report = typed_check(text)
    assert symbol_type(report, "a") == "int"
    assert symbol_type(report, "b") == "float"  # operand 1: the left operand's type
    assert symbol_type(report, "c") == "int"
    assert symbol_type(report, "d") == "int"  # 'integer': the language's name for int
    assert found(report, text) == [("type-mismatch", "250 ms"), ("type-mismatch", "3!")]


def test_a_form_whose_operand_it_names_is_missing_stays_unknown() -> None:
    definition, _ = load_definition_text(_typed({"duration": "operand 2"}))
    assert definition is not None
    text = "let a = 250 ms;\nlet s: string = 250 ms;\n"
    parsed = parse(definition, text)
    report = TypeChecker(definition).check(parsed, resolve_names(parsed))
    assert symbol_type(report, "a") == "unknown"  # one operand, 250: no second
    assert found(report, text) == []


def test_a_result_type_that_cannot_be_used_is_a_warning_at_its_place() -> None:
    source = _typed({"duration": "colour", "power": "operand x", "factorial": "int"})
    source = source.replace("    repeat_until:\n", "    repeat_until:\n      result_type: int\n")
    definition, problems = load_definition_text(source)
    assert definition is not None and definition.grammar_extension is not None
    lines = source.splitlines()

    def place(snippet: str) -> tuple[int, int]:
        line = next(i for i, text in enumerate(lines) if snippet in text)
        return line + 1, lines[line].index(snippet) + 1

    warnings = [(p.message, (p.line, p.column)) for p in problems if p.severity == "warning"]
    assert warnings == [
        ("'result_type' of rule 'duration': 'colour' is no type name of the language (its "
         "'types' or a common name such as int, string, bool; or 'operand N'); the form's "
         "value stays of unknown type", place("'colour'")),
        ("'result_type' of rule 'power': 'operand' takes the operand's number (1 is the "
         "first), not 'x'; the form's value stays of unknown type", place("'operand x'")),
        ("'result_type' of rule 'repeat_until': only an operand, prefix, infix or postfix "
         "form has a value; ignored", place("result_type: int")),
    ]
    assert definition.grammar_extension.results == (("factorial", "int"),)
