"""Error recovery of the block-style grammar templates (rp20): the layout as evidence of
which construct a closer belongs to, as the keyword level reads it (``peg_closer_recovery``).
A closer back at an outer construct's column is that one's (the inner block's closer is
missing after its last statement); a routine closed by a deeper closer, with one at its
column after it, lost an inner opener (the error goes where the opener was). Programs
written here; each has one mistake, and both engines must give one error on its line."""

from __future__ import annotations

import pytest
from tests.core.conftest import served_by
from tests.core.test_incremental import assert_edits_reparse_as_fresh

from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse

PASCAL = """\
program shop;
var total : integer;

procedure Restock(n : integer);
begin
  while n < 10 do
  begin
    n := n + 2;
    total := total + n;
end;

procedure Report;
begin
  WriteLn(total);
end;

begin
  Restock(3);
  Report;
end.
"""

CURLY = """\
fn clamp(v: int) -> int {
    while (v > 100)
        v = v - 10;
        v = v - 1;
    }
    return v;
}

fn main() -> void {
    print(clamp(7));
}
"""

CURLY_FLAT = """\
fn twice(v: int) -> int {
if (v > 1) {
v = v * 2;
}
return v;

fn main() -> void {
print(twice(3));
}
"""


def lines(language: str, engine: str, text: str) -> list[tuple[int, str]]:
    return [(text.count("\n", 0, e.start) + 1, e.message)
            for e in parse(served_by(language, engine), text).errors]


def routines(language: str, engine: str, text: str) -> list[str]:
    return [n.kind for n in parse(served_by(language, engine), text).root.children()
            if n.kind in ("procedure_decl", "function_decl", K.FUNCTION_DECL)]


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_an_inner_end_at_the_routines_column_is_the_routines(engine: str) -> None:
    # the inner block's END deleted: the END at the routine's column is the routine's,
    # the inner block's is missing after its last statement (line 9)
    assert lines("pascal", engine, PASCAL) == [(9, "expected 'END' to close 'begin'")]
    assert len(routines("pascal", engine, PASCAL)) == 2


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_a_deeper_closer_with_one_at_the_routines_column_after_it_is_an_orphan(
        engine: str) -> None:
    # the WHILE's '{' deleted: its '}' closed the routine; the error goes to the WHILE's
    # line, and the routine ends at its own '}'
    assert lines("curly", engine, CURLY) == [
        (2, "'}' without '{': the block it closes begins here")]
    assert len(routines("curly", engine, CURLY)) == 2


@pytest.mark.parametrize("engine, line", [("keywords", 4), ("template", 5)])
def test_a_flat_routine_without_its_closer_ends_at_the_next_heading(engine: str,
                                                                    line: int) -> None:
    # one error, and the next routine parsed as written; the template's is after the
    # routine's last statement (``return v;``), where the '}' goes; the keyword level's
    # after the IF's '}', which in a flat layout it may take for the routine's
    assert [at for at, _ in lines("curly", engine, CURLY_FLAT)] == [line]
    assert len(routines("curly", engine, CURLY_FLAT)) == 2


def test_the_same_programs_written_correctly_have_no_errors() -> None:
    fixed = [
        ("pascal", PASCAL.replace("total + n;\n", "total + n;\n  end;\n")),
        ("curly", CURLY.replace("(v > 100)\n", "(v > 100) {\n")),
        ("curly", CURLY_FLAT.replace("return v;\n", "return v;\n}\n")),
        # closers laid out deeper than their openers (banner style) are taken as written
        ("curly", CURLY.replace("(v > 100)\n", "(v > 100) {\n").replace("\n}\n\nfn",
                                                                         "\n    }\n\nfn")),
    ]
    for language, text in fixed:
        assert lines(language, "template", text) == [], text


def test_a_missing_operand_is_reported_at_the_token_found() -> None:
    text = "fn f() -> int {\n    let a: int = (2 * ;\n    return a;\n}\n"
    for engine in ("keywords", "template"):
        errors = parse(served_by("curly", engine), text).errors
        assert [(e.start, e.message.endswith("found ';'")) for e in errors] == [
            (text.index(";"), True)], engine


@pytest.mark.parametrize("language, text", [
    ("pascal", PASCAL), ("curly", CURLY), ("curly", CURLY_FLAT)])
def test_edits_around_the_layout_recoveries_reparse_as_from_scratch(language: str,
                                                                    text: str) -> None:
    # each recovery looked past the item (the closer at its column): an edit there
    # must reparse the item too
    at = text.index("\nfn main") if language == "curly" else text.index("end;\n\nprocedure")
    assert_edits_reparse_as_fresh(served_by(language, "template"), text, [
        TextEdit(at, at, "    "), TextEdit(at, at + 4, ""), TextEdit(at, at, "x"),
        TextEdit(at, at + 1, "")])
