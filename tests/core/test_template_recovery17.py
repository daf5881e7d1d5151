"""Error recovery of the block-style grammar templates (tmpl17a): a construct whose first
keyword is deleted is one error, as at the keyword level, not an unexpected word and then
each closer of the construct's body (``opener_lost`` in the PEG engine). The programs are
the keyword-level language's own; each case deletes one word and both parsers must give
exactly one error, on the line of the mistake."""

from __future__ import annotations

import pytest
from tests.core.conftest import error_lines, parses_clean_both_ways, served_by
from tests.core.test_block_templates import templated

from craftls.syntax.parse import parse

PASCAL = """\
PROGRAM Walk;
VAR Row, Col: INTEGER;

FUNCTION Twice(X: INTEGER): INTEGER;
BEGIN
  Twice := X + X
END;

BEGIN
  Row := 1;
  WHILE Row <= 3 DO
  BEGIN
    FOR Col := 1 TO 3 DO
      WriteLn(Twice(Col));
    IF Row = 2 THEN
      WriteLn(Row);
    Row := Row + 1
  END;
  CASE Row OF
    1: WriteLn(1);
    2: WriteLn(2)
  END;
  WriteLn(Row)
END.
"""

CURLY = """\
fn sign(n: int) -> int {
    let s: int = 0;
    if (n == 0) {
        s = 0;
    } else if (n > 0) {
        s = 1;
    } else {
        s = 0 - 1;
    }
    while (n > 10) {
        n = n - 10;
    }
    return s;
}
"""

# (language, program, the word deleted, the line it is on)
CASES = [
    ("pascal", PASCAL, "WHILE ", 11),
    ("pascal", PASCAL, "FOR ", 13),
    ("pascal", PASCAL, "IF ", 15),
    ("pascal", PASCAL, "CASE ", 19),
    ("pascal", PASCAL, "FUNCTION ", 4),
    ("curly", CURLY, "if ", 3),
    ("curly", CURLY, "while ", 10),
]


@pytest.mark.parametrize("language", ["pascal", "curly"])
def test_the_programs_parse_clean_both_ways(language: str) -> None:
    parses_clean_both_ways(language, PASCAL if language == "pascal" else CURLY)


@pytest.mark.parametrize(("language", "text", "word", "line"), CASES,
                         ids=[f"{c[0]}-{c[2].strip()}" for c in CASES])
def test_a_construct_without_its_first_keyword_is_one_error(
        language: str, text: str, word: str, line: int) -> None:
    lines = text.splitlines(keepends=True)
    assert word in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(word, "", 1)
    mutated = "".join(lines)
    assert error_lines(served_by(language, "keywords"), mutated) == [line]
    assert error_lines(templated(language), mutated) == [line]


def test_a_template_error_names_the_missing_word() -> None:
    mutated = PASCAL.replace("  IF Row", "  Row", 1)
    errors = parse(templated("pascal"), mutated).errors
    assert len(errors) == 1
    assert "'IF'" in errors[0].message


def test_a_word_that_can_follow_the_statement_is_no_lost_opener() -> None:
    # ``x ELSE`` inside an IF is the IF's own ELSE: the program stays clean, and a
    # mistake elsewhere in the block (a missing ';') stays one error
    text = PASCAL.replace("      WriteLn(Row);", "      WriteLn(Row)\n    ELSE\n      Row := 0;", 1)
    assert parse(templated("pascal"), text).errors == []
    broken = text.replace("Row := Row + 1", "Row := Row + 1 Col := 2", 1)
    assert len(parse(templated("pascal"), broken).errors) == 1


def test_a_routine_whose_brace_is_deleted_keeps_its_body() -> None:
    # the '{' after the heading deleted: one error, the lines after it are the body,
    # its '}' no stray closer at the file's level
    mutated = CURLY.replace("-> int {", "-> int", 1)
    assert len(parse(served_by("curly", "keywords"), mutated).errors) == 1
    errors = error_lines(templated("curly"), mutated)
    assert len(errors) == 1 and errors[0] <= 2
