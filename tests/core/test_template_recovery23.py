"""Error recovery of the block-style grammar templates, round 23 (msg23): where the
keyword level names a token written twice ("'b' written twice"), a separator or a word
missing before a line of its own ("expected ';'", nothing found named) and an operand
missing before a line that also lacks its ';', the template gives
the same errors at the same places. Programs written here; each case compared through
both engines."""

from __future__ import annotations

import pytest
from tests.core.conftest import parses_clean_both_ways, served_by

from craftls.syntax.parse import parse

PASCAL = """\
program tally;
var total, step : integer;
function grade(n : integer) : integer;
begin
  if n > 1 then
    grade := 2
  else
    grade := 1
end;
begin
  step := 2;
  total := step + 1;
  WriteLn(total);
end.
"""

CURLY = """\
fn scale(n: int) -> int {
    let step: int = 2;
    let total: int = n * step;
    print(total);
    return total;
}
"""

BASIC = """\
DIM prices AS LIST = [1, 2, 3]
DIM total AS INTEGER = 0
FOR i = 1 TO 3
    total = total + prices[i]
NEXT i
PRINT total
"""

TEACHLANG = """\
teach double_of(n: int) -> int:
    remember twice = n * 2
    give_back twice

show(double_of(4))
"""

# (language, program, text replaced, its replacement)
CASES = [
    ("pascal", PASCAL, "  total := step + 1;", "  total total := step + 1;"),
    ("pascal", PASCAL, "  total := step + 1;", "  total := step + step step;"),
    ("pascal", PASCAL, "program tally;", "program program tally;"),
    ("pascal", PASCAL, "  step := 2;", "  step := 2"),
    ("pascal", PASCAL, "  total := step + 1;", "  total := * 2\n  step := 3;"),
    ("curly", CURLY, "    let total: int = n * step;", "    let total: int = n * step step;"),
    ("curly", CURLY, "    print(total);", "    print print(total);"),
]


def errors(language: str, engine: str, text: str) -> list[tuple[str, int, int]]:
    return [(e.message, e.start, e.end) for e in parse(served_by(language, engine), text).errors]


def mutated(program: str, old: str, new: str) -> str:
    assert program.count(old) == 1
    return program.replace(old, new)


@pytest.mark.parametrize("language, program", [("pascal", PASCAL), ("curly", CURLY),
                                               ("basic", BASIC), ("teachlang", TEACHLANG)],
                         ids=["pascal", "curly", "basic", "teachlang"])
def test_the_programs_are_valid_as_written(language: str, program: str) -> None:
    parses_clean_both_ways(language, program)


@pytest.mark.parametrize("language, program, old, new", CASES,
                         ids=[f"{c[0]}:{c[3].strip()}" for c in CASES])
def test_both_engines_report_the_mistake_alike(language: str, program: str, old: str,
                                               new: str) -> None:
    text = mutated(program, old, new)
    keywords = errors(language, "keywords", text)
    assert keywords, "the mutation is a mistake"
    assert errors(language, "template", text) == keywords


@pytest.mark.parametrize("language, program, old, new, doubled", [
    ("pascal", PASCAL, "  total := step + 1;", "  total total := step + 1;", "total"),
    ("curly", CURLY, "    print(total);", "    print print(total);", "print"),
    ("pascal", PASCAL, "program tally;", "program program tally;", "program"),
], ids=["pascal", "curly", "pascal-heading"])
def test_a_token_written_twice_is_one_error_over_the_copy(
        language: str, program: str, old: str, new: str, doubled: str) -> None:
    text = mutated(program, old, new)
    found = errors(language, "template", text)
    assert len(found) == 1, found
    message, start, end = found[0]
    assert message == f"'{doubled}' written twice"
    assert text[start:end] == doubled
    assert text[:start].rstrip().endswith(doubled)


def test_an_operand_and_a_separator_missing_are_two_errors_on_their_line() -> None:
    text = mutated(PASCAL, "  total := step + 1;", "  total := * 2\n  step := 3;")
    found = errors("pascal", "template", text)
    line = text.index("  total := * 2")
    assert [(m, s - line, e - line) for m, s, e in found] == [
        ("expected an expression, found '*'", 11, 11), ("expected ';'", 14, 14)]
