"""Error recovery of the block-style grammar templates for ``curly`` and ``pascal``
(recov18a): one mistake is one error through the template, as at the keyword level. The
programs are written for these tests; each case makes one change and the template must
give exactly one error, on the line of the mistake (or the line before it, where the
mistake is a missing closer at the end of that line)."""

from __future__ import annotations

import pytest
from tests.core.test_block_templates import templated

from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

CURLY = """\
fn grade(score: int) -> string {
    let label: string = "none";
    if (score > 90) {
        label = "top";
    } else if (score > 50) {
        label = "pass";
    } else {
        label = "fail";
    }
    return label;
}

fn count_high(marks: [int], limit: int) -> int {
    let seen: int = 0;
    let weights: [float] = [0.5, 1.5, 2.5,
                            3.5, 4.5];
    for m in marks {
        if (m > limit) {
            seen = seen + 1;
            print(weights[0]);
        } else {
            seen = seen + 0;
        }
    }
    return seen;
}

print(grade(70), count_high([1, 99, 42], 40));
"""

PASCAL = """\
PROGRAM Stock;
VAR
  Items: INTEGER;
  Price: REAL;
  Name: STRING;
  Left: INTEGER;

PROCEDURE Show(Count: INTEGER);
VAR
  Total: INTEGER;
  Step: INTEGER;
BEGIN
  Total := 0;
  FOR Step := 1 TO Count DO
    Total := Total + Step;
  CASE Total OF
    1, 2: WriteLn('few');
    3..9: WriteLn('some')
  ELSE
    WriteLn('many')
  END;
  WriteLn(Total)
END;

BEGIN
  Items := 3;
  Price := 1.5;
  Name := 'tea';
  Left := Items - 1;
  Show(Items);
  WriteLn(Name, Price, Left)
END.
"""

# (language, program, text replaced, its replacement, the line of the error)
CASES = [
    # the '}' before an ELSE deleted: the block ends there, the ELSE is the IF's
    ("curly", CURLY, "        label = \"top\";\n    } else", "        label = \"top\";\n     else", 4),
    # an IF's header line deleted inside a loop inside a routine
    ("curly", CURLY, "        if (m > limit) {\n", "", 20),
    # a token of a list literal written twice, the list running over two lines
    ("curly", CURLY, "[0.5, 1.5,", "[0.5, 1.5, ,", 15),
    ("curly", CURLY, "[0.5, 1.5,", "[0.5 0.5, 1.5,", 15),
    # a declaration missing its ':' ends no section: the declarations after it stay
    ("pascal", PASCAL, "  Total: INTEGER;", "  Total INTEGER;", 10),
    # a CASE whose END is deleted: one error, not also a ';' missing there
    ("pascal", PASCAL, "    WriteLn('many')\n  END;\n", "    WriteLn('many')\n\n", 20),
]


def error_lines(definition, text: str) -> list[int]:
    return [text.count("\n", 0, e.start) + 1 for e in parse(definition, text).errors]


@pytest.mark.parametrize("language", ["pascal", "curly"])
def test_the_programs_parse_clean_both_ways(language: str) -> None:
    text = PASCAL if language == "pascal" else CURLY
    assert parse(bundled(language), text).errors == []
    assert parse(templated(language), text).errors == []


@pytest.mark.parametrize(("language", "text", "old", "new", "line"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_one_mistake_is_one_error_through_the_template(
        language: str, text: str, old: str, new: str, line: int) -> None:
    assert text.count(old) == 1
    mutated = text.replace(old, new, 1)
    assert len(parse(bundled(language), mutated).errors) == 1
    assert error_lines(templated(language), mutated) == [line]


def test_two_statements_on_a_line_after_a_section_stay_clean() -> None:
    # a loop of declarations that looked past its end at a line of statements: no
    # declaration is made of them (``splits_line`` only where the line is no item)
    text = "VAR\n  A: INTEGER;\nA := 1; WriteLn(A);\nA := A + 1;\n"
    assert parse(templated("pascal"), text).errors == []


def test_a_doubled_comma_in_a_call_is_one_error() -> None:
    mutated = CURLY.replace("count_high([1, 99, 42], 40)", "count_high([1, 99, 42], , 40)", 1)
    assert error_lines(templated("curly"), mutated) == [28]
