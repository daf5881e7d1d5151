"""Error recovery of the block-style grammar templates, round 21 (rec21b): a REPEAT
whose line is deleted (its UNTIL, which is not the construct's last element, an orphan
named and placed as the keyword level does), a CASE whose header line is deleted (its
arms parsed as that CASE's, one error before the first), and an orphan '}' after an IF
whose last line is its ELSE part (which part lost its '{' is not known: the error stays
at the closer; the ELSE part is known by the ``run:`` annotations). Programs written
here; each has one mistake, and both engines give one error on the same line."""

from __future__ import annotations

import pytest
from tests.core.conftest import served_by
from tests.core.test_incremental import assert_edits_reparse_as_fresh

from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.peg_tables import tables_for

ORPHAN_BODY = ": the block it closes begins here"

REPEAT_IN_ROUTINE = """\
program tally;
var n, sum : integer;

procedure Count(limit : integer);
var k : integer;
begin
  k := 0;
  sum := 0;

    k := k + 1;
    sum := sum + k;
  until k >= limit;
  WriteLn(sum);
end;

begin
  Count(4);
end.
"""

REPEAT_FLAT = """\
program tally;
var k : integer;
begin
k := 0;
k := k + 1;
until k > 3;
WriteLn(k);
end.
"""

CASE_IN_ROUTINE = """\
program grades;
var mark : integer;

procedure Say(mark : integer);
begin
  WriteLn(mark);
    'A', 'B': WriteLn('good');
    'C': WriteLn('fair')
  else
    WriteLn('poor')
  end;
  WriteLn('done');
end;

begin
  Say(3);
end.
"""

CASE_IN_MAIN = """\
program grades;
var mark, low : integer;
begin
  mark := 2;
    low: mark := 10;
    2: mark := 20;
  end;
  WriteLn(mark);
end.
"""

CURLY_ELSE = """\
fn sign(a: int) -> int {
    if (a > 0)
        a = 1;
    else
        a = 0;
    }
    return a;
}

fn main() -> void {
    print(sign(3));
}
"""


def lines(language: str, engine: str, text: str) -> list[tuple[int, str]]:
    return [(text.count("\n", 0, e.start) + 1, e.message)
            for e in parse(served_by(language, engine), text).errors]


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_a_repeat_line_deleted_is_one_error_where_its_body_began(engine: str) -> None:
    # the lines deeper than the UNTIL before it were the REPEAT's body (line 10); the
    # statement after the UNTIL and the routine's END are parsed as written
    assert lines("pascal", engine, REPEAT_IN_ROUTINE) == [
        (10, "'until' without 'REPEAT'" + ORPHAN_BODY)]
    root = parse(served_by("pascal", engine), REPEAT_IN_ROUTINE).root
    assert root.text == REPEAT_IN_ROUTINE
    assert sum(1 for n in root.children() if n.kind.lower().endswith("procedure_decl")
               or n.kind == "FUNCTION_DECL") == 1


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_a_repeat_line_deleted_in_a_flat_layout_stays_at_its_until(engine: str) -> None:
    # no line deeper than the UNTIL: no evidence of where the REPEAT was
    assert lines("pascal", engine, REPEAT_FLAT) == [(6, "'until' without 'REPEAT'")]


@pytest.mark.parametrize("engine, text, line", [
    ("keywords", CASE_IN_ROUTINE, 7), ("template", CASE_IN_ROUTINE, 7),
    # (an arm whose label is a name: the keyword level, which looks for a literal,
    # first reports a ';' missing; the template reads it as the arm it is)
    ("template", CASE_IN_MAIN, 5)])
def test_a_case_header_deleted_is_one_error_before_its_first_arm(engine: str, text: str,
                                                                 line: int) -> None:
    errors = lines("pascal", engine, text)
    assert [at for at, _ in errors] == [line], errors
    assert "'CASE ... OF' before this" in errors[0][1]


def test_the_template_parses_the_arms_of_a_case_without_its_header_as_that_case() -> None:
    root = parse(served_by("pascal", "template"), CASE_IN_ROUTINE).root
    cases = [n for n in root.descendants() if n.kind == "case_stmt"]
    assert len(cases) == 1
    assert [n.kind for n in cases[0].children()] == [
        "ERROR", "case_arm", "case_arm", "case_else"]
    # the statement after the CASE is the routine's, as written
    body = cases[0].parent
    assert body is not None and "WriteLn('done')" in body.text
    assert root.text == CASE_IN_ROUTINE


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_an_orphan_brace_after_an_if_ending_in_its_else_part_stays_at_the_brace(
        engine: str) -> None:
    # the IF at the brace's column runs on lines after its header, but its last line is
    # its ELSE part's: which of its parts lost its '{' is not known
    assert lines("curly", engine, CURLY_ELSE) == [(6, "'}' without '{'")]


def test_the_else_and_else_if_parts_are_read_from_the_run_annotations() -> None:
    # (what the template's ``run:`` annotations take as an ``else`` or ``elif`` part)
    assert tables_for(served_by("curly", "template")).chain_parts == {
        "elif_clause", "else_clause"}
    pascal = tables_for(served_by("pascal", "template")).chain_parts
    assert {"else_clause", "case_else"} <= pascal
    assert not pascal & {"if_stmt", "case_arm", "block"}


def test_the_same_programs_written_correctly_have_no_errors() -> None:
    fixed = [
        REPEAT_IN_ROUTINE.replace("  sum := 0;\n\n", "  sum := 0;\n  repeat\n"),
        REPEAT_FLAT.replace("k := 0;\n", "k := 0;\nrepeat\n"),
        CASE_IN_ROUTINE.replace("  WriteLn(mark);\n", "  WriteLn(mark);\n  case mark of\n"),
        CASE_IN_MAIN.replace("  mark := 2;\n", "  mark := 2;\n  case mark of\n"),
    ]
    for text in fixed:
        assert lines("pascal", "template", text) == [], text
    assert lines("curly", "template", CURLY_ELSE.replace("(a > 0)\n", "(a > 0) {\n")
                 .replace("    else\n", "    } else {\n")) == []


@pytest.mark.parametrize("text, anchor", [
    (REPEAT_IN_ROUTINE, "    k := k + 1;"), (CASE_IN_ROUTINE, "    'C'"),
    (CASE_IN_MAIN, "    2: mark")])
def test_edits_around_these_recoveries_reparse_as_from_scratch(text: str,
                                                               anchor: str) -> None:
    # each recovery looked past the line it reports (the UNTIL, the arms' END): an edit
    # there must reparse the whole construct
    at = text.index(anchor)
    assert_edits_reparse_as_fresh(served_by("pascal", "template"), text, [
        TextEdit(at, at, "  "), TextEdit(at, at + 2, ""), TextEdit(at, at, "x"),
        TextEdit(at, at + 1, "")])
