"""Error recovery of the block-style templates where the keyword level reads the layout,
round 21 (rec21a, ``syntax/peg_block_recovery.py``): a second mistake on the file's last
line after one on an earlier line (both reported, the construct kept); a routine's
heading deleted at the top level (its orphan closer reported where its body's deeper
lines begin, the lines and the closer one block); an inner loop's header deleted at the
top level, its closer naming the outer loop's construct (the deeper closer the orphan,
the outer loop closed by its own). Programs written here; each engine's errors compared,
or the template's message pinned where the two word it differently."""

from __future__ import annotations

import pytest
from tests.core.conftest import parses_clean_both_ways, served_by
from tests.core.test_incremental import assert_edits_reparse_as_fresh

from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse

BEGINS = ": the block it closes begins here"

TEACH = """\
teach scale(v: int) -> int:
    remember total = v * 2
    show(total)
    give_back total
"""

BASIC = """\
DIM limit AS INTEGER = 3

FUNCTION Grow(amount AS INTEGER) AS INTEGER
    limit = limit + amount
    PRINT limit
    RETURN limit
END FUNCTION

SUB Report
    PRINT limit
END SUB
"""

ESPANOL = """\
variable tope = 3

función crece(cuanto: Entero): Entero
    tope = tope + cuanto
    escribir(tope)
    retornar tope
fin función

para fila = 1 hasta 2 hacer
    variable suma = 0
    para col en [1, 2] hacer
        suma = suma + col
    fin para
    escribir(suma)
fin para
escribir("listo")
"""


def both(language: str, text: str) -> list[list[tuple[int, str]]]:
    """Each engine's errors (line, message)."""
    return [[(text.count("\n", 0, e.start) + 1, e.message)
             for e in parse(served_by(language, engine), text).errors]
            for engine in ("keywords", "template")]


@pytest.mark.parametrize("language, text", [("teachlang", TEACH), ("basic", BASIC),
                                            ("espanol", ESPANOL)])
def test_the_programs_are_valid(language: str, text: str) -> None:
    parses_clean_both_ways(language, text)


@pytest.mark.parametrize("first, message", [
    # a called name written twice inside a call's parentheses
    ("    show(big big(total, 1))\n", "'big' written twice"),
    # a list's ',' missing
    ("    remember parts = [4 5, total]\n", "expected ']' or ',', found '5'"),
])
def test_a_second_mistake_on_the_last_line_is_reported_too(first: str, message: str) -> None:
    """The first mistake's line read as written stops inside it (``show`` alone); the
    block read in recovery mode reaches the file's end, where its last line misses its
    operand: nothing follows that could be the rest of that mistake, so the routine is
    kept and each mistake is one error on its own line, as the keyword level reports."""
    text = TEACH.replace("    show(total)\n", first).replace("give_back total\n",
                                                                "give_back total +\n")
    keywords, template = both("teachlang", text)
    assert [line for line, _ in keywords] == [line for line, _ in template] == [3, 4]
    assert template == [(3, message), (4, "expected an expression, found the end of the file")]
    tree = parse(served_by("teachlang", "template"), text).root
    assert [n.kind for n in tree.children()] == ["function_decl"]


def test_the_first_mistake_alone_is_still_one_error() -> None:
    text = TEACH.replace("    show(total)\n", "    show(big big(total, 1))\n")
    assert both("teachlang", text) == [[(3, "'big' written twice")]] * 2


@pytest.mark.parametrize("language, text, expected", [
    # a routine's heading deleted at the top level: its body's lines, deeper than its
    # closer, were its block
    ("basic", BASIC.replace("FUNCTION Grow(amount AS INTEGER) AS INTEGER\n", "\n"),
     (4, "'END FUNCTION' without 'FUNCTION'" + BEGINS)),
    ("espanol", ESPANOL.replace("función crece(cuanto: Entero): Entero\n", "\n"),
     (4, "'fin función' without 'función'" + BEGINS)),
    # an inner loop's header deleted inside a top-level loop: its closer, which names
    # the outer loop's construct too, stands deeper than the outer loop's line, and
    # the outer loop's own closer follows at its column
    ("espanol", ESPANOL.replace("    para col en [1, 2] hacer\n", "\n"),
     (12, "'fin para' without 'para'" + BEGINS)),
])
def test_an_orphan_closer_at_the_top_level_is_reported_where_its_body_began(
        language: str, text: str, expected: tuple[int, str]) -> None:
    keywords, template = both(language, text)
    assert keywords == template == [expected]
    parsed = parse(served_by(language, "template"), text)
    assert parsed.root.text == text
    # the steps after the orphan's block are parsed as written: the routine or the
    # statement after it is no error
    last = list(parsed.root.children())[-1]
    assert last.kind in ("procedure_decl", "call") and not last.errors()


def test_the_lines_of_an_orphans_block_stay_statements() -> None:
    text = BASIC.replace("FUNCTION Grow(amount AS INTEGER) AS INTEGER\n", "\n")
    tree = parse(served_by("basic", "template"), text).root
    block = list(tree.children())[1]
    assert [n.kind for n in block.children() if n.kind != "ERROR"] == [
        "name_assignment", "bare_call", "return_stmt"]


def test_a_top_level_line_that_is_no_deeper_is_no_orphans_block() -> None:
    """An indented top-level run whose closer closes a construct written in it (an IF
    whose END IF is less indented) is no orphan: its lines parse as written."""
    text = "DIM a AS INTEGER\n    IF a > 1 THEN\n        a = 2\n  END IF\nPRINT a\n"
    assert both("basic", text) == [[], []]


@pytest.mark.parametrize("language, text, at", [
    ("basic", BASIC, "FUNCTION Grow(amount AS INTEGER) AS INTEGER\n"),
    ("espanol", ESPANOL, "    para col en [1, 2] hacer\n"),
    ("espanol", ESPANOL, "función crece(cuanto: Entero): Entero\n"),
])
def test_deleting_and_typing_again_the_header_reparses_as_from_scratch(
        language: str, text: str, at: str) -> None:
    definition = served_by(language, "template")
    start = text.index(at)
    assert_edits_reparse_as_fresh(definition, text, [
        TextEdit(start, start + len(at), "\n"), TextEdit(start, start + 1, at),
        TextEdit(start, start + len(at), ""), TextEdit(start, start, at)])


def test_two_mistakes_in_a_routine_after_a_clean_line_keep_the_routine_whole() -> None:
    """The routine read as written stops before its first mistake (its third line);
    read in recovery mode it reaches where its deeper lines end with two errors, which
    it keeps: the lines after the first mistake are no top-level steps."""
    text = TEACH.replace("    show(total)\n", "    show(big big(total, 1))\n"
                                              "    show(total +)\n") + "\nshow(scale(1))\n"
    keywords, template = both("teachlang", text)
    assert keywords == template == [(3, "'big' written twice"),
                                    (4, "expected an expression, found ')'")]
    tree = parse(served_by("teachlang", "template"), text).root
    assert [n.kind for n in tree.children()] == ["function_decl", "call"]
