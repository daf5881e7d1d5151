"""Where a program's main part starts (features/main_part.py: the "Run" code lens's
line): the first top-level item that is no declaration, by node kinds at the keyword
level and by the grammar's annotations otherwise."""

from __future__ import annotations

import pytest
from tests.core.conftest import SAMPLES, served_by

from craftls.features.main_part import main_start
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

KEYWORD_LEVEL_SAMPLES = [(language, path) for language, path in SAMPLES
                         if bundled(language).keyword_level]


def main_line(definition, text: str) -> str:
    return text[main_start(parse(definition, text)):].split("\n", 1)[0]


@pytest.mark.parametrize("language, path", KEYWORD_LEVEL_SAMPLES,
                         ids=[p.name for _, p in KEYWORD_LEVEL_SAMPLES])
def test_the_template_finds_the_main_part_where_the_keyword_level_does(language, path) -> None:
    text = path.read_text(encoding="utf-8")
    assert main_line(served_by(language, "template"), text) == \
        main_line(served_by(language, "keywords"), text)


PASCAL = """\
program Demo;
uses Crt;
const Limit = 3;
type Pair = record a, b : integer end;
var total : integer;
procedure Show(n : integer);
begin
  WriteLn(n)
end;
begin
  total := Limit;
  Show(total)
end.
"""

CURLY = """\
import stats;
fn twice(x: int) -> int { return x * 2; }
let start = twice(2);
print(start);
"""


@pytest.mark.parametrize("language, engine", [("turbopascal", None), ("pascal", "keywords"),
                                              ("pascal", "template")])
def test_headings_imports_sections_and_routines_come_before_the_main_part(
        language: str, engine: str | None) -> None:
    definition = bundled(language) if engine is None else served_by(language, engine)
    assert main_line(definition, PASCAL) == "begin"


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_a_variable_with_its_value_is_a_statement_of_the_main_part(engine: str) -> None:
    assert main_line(served_by("curly", engine), CURLY) == "let start = twice(2);"


def test_a_file_of_declarations_only_has_its_main_part_at_the_top() -> None:
    text = "fn one() -> int { return 1; }\n"
    assert main_start(parse(served_by("curly", "template"), text)) == 0
