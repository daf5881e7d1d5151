"""Error recovery of the block-style templates where the keyword level reads the layout
(rb20, ``syntax/peg_block_recovery.py``): an orphan closer or clause whose lines before
it stand deeper is reported where its construct began; an inner construct's closer
missing before a line back at its indentation is reported after its last statement; a
construct's name left alone on its line is what is left of its closer; lines indented
deeper than their block (an indentation block style) are one error. Programs written
here; each has one mistake, which both engines report once, on the same line."""

from __future__ import annotations

import pytest
from tests.core.conftest import error_lines, parses_clean_both_ways, served_by
from tests.core.test_incremental import assert_edits_reparse_as_fresh

from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse

BASIC = """\
SUB Count(top AS INTEGER)
    DIM k AS INTEGER = 0
    WHILE k < top
        k = k + 2
        PRINT k
    WEND
    PRINT "done"
END SUB

FUNCTION Half(v AS INTEGER) AS INTEGER
    IF v > 10 THEN
        v = v - 10
    ELSE
        v = v / 2
    END IF
    RETURN v
END FUNCTION
"""

ESPANOL = """\
procedimiento cuenta(tope: Entero)
    variable k = 0
    mientras k < tope hacer
        k = k + 2
        escribir(k)
    fin mientras
    escribir("listo")
fin procedimiento

función mitad(v: Entero): Entero
    si v > 10 entonces
        v = v - 10
    sino
        v = v / 2
    fin si
    retornar v
fin función
"""

TEACH = """\
teach clamp(v: int) -> int:
    remember low = 0
    when v < low:
        v = low
        show(v)
    otherwise:
        show([v,
            low])
    give_back v
"""


BEGINS = ": the block it closes begins here"


def both(language: str, text: str) -> list[list[tuple[int, str]]]:
    """Each engine's errors (line, message)."""
    return [[(text.count("\n", 0, e.start) + 1, e.message)
             for e in parse(served_by(language, engine), text).errors]
            for engine in ("keywords", "template")]


@pytest.mark.parametrize("language, text", [("basic", BASIC), ("espanol", ESPANOL),
                                            ("teachlang", TEACH)])
def test_the_programs_are_valid(language: str, text: str) -> None:
    parses_clean_both_ways(language, text)


@pytest.mark.parametrize("language, text, expected", [
    # a loop's header line deleted: its closer's block begins at the deeper lines
    ("basic", BASIC.replace("    WHILE k < top\n", "\n"), (4, "'WEND' without 'WHILE'" + BEGINS)),
    ("espanol", ESPANOL.replace("    mientras k < tope hacer\n", ""),
     (3, "'fin mientras' without 'mientras'" + BEGINS)),
    # an IF's line deleted: its ELSE part and END IF are one error, at its first body
    ("basic", BASIC.replace("    IF v > 10 THEN\n", ""), (11, "'ELSE' without 'IF'" + BEGINS)),
    # a routine's closer without its first word: the word left closes the routine
    ("basic", BASIC.replace("END SUB", "SUB"), (8, "expected 'END SUB', found 'SUB'")),
    ("espanol", ESPANOL.replace("fin procedimiento", "procedimiento"),
     (8, "expected 'fin procedimiento', found 'procedimiento'")),
])
def test_one_mistake_is_the_same_error_both_ways_and_the_routines_stay(
        language: str, text: str, expected: tuple[int, str]) -> None:
    keywords, template = both(language, text)
    assert keywords == template == [expected]
    tree = parse(served_by(language, "template"), text).root
    assert len(list(tree.children())) == 2


@pytest.mark.parametrize("language, text, keywords, template", [
    # the loop's closer deleted: the next line is back at the loop's indentation
    ("basic", BASIC.replace("    WEND\n", ""),
     (5, "expected 'WEND' to close 'WHILE k < top'"),
     (5, "expected 'WEND' or 'END WHILE' to close 'WHILE k < top'")),
    ("espanol", ESPANOL.replace("    fin si\n", ""),
     (14, "expected 'fin' to close 'si v > 10 entonces'"),
     (14, "expected 'fin si' to close 'si v > 10 entonces'")),
])
def test_an_inner_closer_missing_before_a_line_at_its_indentation_is_one_error(
        language: str, text: str, keywords: tuple[int, str], template: tuple[int, str]
        ) -> None:
    """The template names the closer in full, each of its forms."""
    assert both(language, text) == [[keywords], [template]]


@pytest.mark.parametrize("text, line", [
    # a line indented deeper than the one before it, which opens no block
    (TEACH.replace("        show(v)\n", "            show(v)\n"), 5),
    # two such lines are one mistake
    (TEACH.replace("    remember low = 0\n", "    remember low = 0\n      low = 1\n"
                   "      low = 2\n"), 3),
    # a line back at a column no enclosing block has
    (TEACH.replace("        show(v)\n", "      show(v)\n"), 5),
    # the WHEN line deleted: the OTHERWISE after its deeper lines is the same mistake
    (TEACH.replace("    when v < low:\n", "\n"), 4),
])
def test_lines_indented_deeper_than_their_block_are_one_error(text: str, line: int) -> None:
    keywords, template = both("teachlang", text)
    assert keywords == template == [(line, "unexpected indentation")]


@pytest.mark.parametrize("language, text, at", [
    ("basic", BASIC, "    WHILE k < top\n"),
    ("espanol", ESPANOL, "    fin si\n"),
    ("teachlang", TEACH, "    when v < low:\n"),
])
def test_deleting_and_typing_again_the_lines_these_read_reparses_as_from_scratch(
        language: str, text: str, at: str) -> None:
    definition = served_by(language, "template")
    start = text.index(at)
    assert_edits_reparse_as_fresh(definition, text, [
        TextEdit(start, start + len(at), ""), TextEdit(start, start, at),
        TextEdit(start, start, "    "), TextEdit(start, start + 4, "")])
    assert error_lines(definition, text) == []
