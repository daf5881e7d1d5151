"""Error recovery of the block-style grammar templates, round 22 (msg22): an assignment
whose operand is missing before a token that cannot begin one (``total := * 3;``) is one
error, "expected an expression" right after the assignment's symbol, as the keyword level
reports it, not an unexpected assignment symbol over the rest of the statement; an
operand missing after a binary operator likewise. Programs written here; both engines
give the same one error at the same place."""

from __future__ import annotations

import pytest
from tests.core.conftest import served_by

from craftls.syntax.parse import parse

PASCAL = """\
program scale;
var total, step : integer;
begin
  step := 2;
  total := @;
  WriteLn(total);
end.
"""

CURLY = """\
fn scale() -> int {
    let step: int = 2;
    let total: int = 0;
    total = @;
    return total;
}
"""

CASES = [
    ("pascal", PASCAL, "* step", "total :="),
    ("pascal", PASCAL, ") step", "total :="),
    ("pascal", PASCAL, "step + * 4", "step +"),
    ("curly", CURLY, "* step", "total ="),
    ("curly", CURLY, ") step", "total ="),
    ("curly", CURLY, "step - / 4", "step -"),
]


def errors(language: str, engine: str, text: str) -> list[tuple[str, int, int]]:
    return [(e.message, e.start, e.end) for e in parse(served_by(language, engine), text).errors]


@pytest.mark.parametrize("engine", ["keywords", "template"])
@pytest.mark.parametrize("language, program, value, before", CASES,
                         ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_a_missing_operand_after_an_assignment_is_one_error_after_its_symbol(
        engine: str, language: str, program: str, value: str, before: str) -> None:
    text = program.replace("@", value)
    found = errors(language, engine, text)
    assert len(found) == 1, found
    message, start, end = found[0]
    assert message.startswith("expected an expression, found "), message
    assert start == end
    assert text[:start].rstrip().endswith(before)


@pytest.mark.parametrize("language, program, value, before", CASES,
                         ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_both_engines_report_it_alike(language: str, program: str, value: str,
                                      before: str) -> None:
    text = program.replace("@", value)
    assert errors(language, "template", text) == errors(language, "keywords", text)


@pytest.mark.parametrize("language, program", [("pascal", PASCAL), ("curly", CURLY)],
                         ids=["pascal", "curly"])
def test_the_same_programs_written_correctly_have_no_errors(language: str,
                                                            program: str) -> None:
    text = program.replace("@", "step * 3")
    for engine in ("keywords", "template"):
        assert errors(language, engine, text) == []
