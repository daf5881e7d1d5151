"""Error recovery of the block-style grammar templates, round 26 (msg26): each mistake
one error where the keyword level reports it, with its message.

- a statement inside a block whose end is missing inside its line (``RETURN s 0.05 *``,
  ``x = x 2 +``): the rest of the line is the rest of that mistake
  (``peg_block_recovery.rest_of_statement``), not items of their own with errors of
  their own ("expected an expression" at the line's end);
- a ';'-separated list's separator missing inside a line where the item read after it
  has an error of its own (``a := a 1 +;``): one error up to the ';'
  (``rest_after_separator``);
- a line whose committed parse chose a form missing another element than the
  statement's end (``show() "x"``, ``show(1) show(2)``: an assignment whose '=' is
  missing) is the statement as written, its end missing (``written_then_end_missing``),
  at the top level and inside a block;
- a type missing is "expected a type" (the template's ``type`` rule's display), not
  the tokens a type begins with.

Programs written here; each case compared through both engines."""

from __future__ import annotations

import pytest
from tests.core.conftest import parses_clean_both_ways, served_by

from craftls.syntax.parse import parse

BASIC = """\
FUNCTION Scale(s AS DOUBLE) AS DOUBLE
    RETURN s * 0.5
END FUNCTION
DIM x AS INTEGER = 1
WHILE x < 9
    x = x * 2
    DIM y AS DOUBLE = Scale(x)
WEND
IF x > 4 THEN
    PRINT x
END IF
"""

PASCAL = """\
program grow;
var a : integer;
  b : array [1..8] of real;
  c : integer;
begin
  a := 1;
  if a > 0 then
  begin
    a := a + 1;
    a := a * 2
  end
end.
"""

TEACHLANG = """\
remember n = 3
show(n)
when n > 1:
    show(n)
    remember m = n * 2
"""

ESPANOL = """\
variable cuenta = 1
mientras cuenta < 9 hacer
    cuenta = cuenta * 2
fin mientras
"""

CURLY = """\
fn twice(n: int) -> int {
    let m: int = n * 2;
    return m;
}
"""

PROGRAMS = {"basic": BASIC, "pascal": PASCAL, "teachlang": TEACHLANG, "espanol": ESPANOL,
            "curly": CURLY}

# (language, text replaced, its replacement, the one error's message, its token)
CASES = [
    ("basic", "    RETURN s * 0.5", "    RETURN s 0.5 *",
     "expected a new line or ';' after the statement, found '0.5'", "0.5"),
    # (a routine's statement led by its word: its rest too, the routine not closed early)
    ("basic", "    RETURN s * 0.5", "    RETURN s - 3) * 0.5",
     "expected a new line or ';' after the statement, found ')'", ") * 0.5"),
    ("basic", "    x = x * 2", "    x = x 2 *",
     "expected a new line or ';' after the statement, found '2'", "2"),
    ("basic", "    DIM y AS DOUBLE = Scale(x)", "    DIM y DOUBLE AS = Scale(x)",
     "expected a new line or ';' after the statement, found 'DOUBLE'", "DOUBLE"),
    ("espanol", "    cuenta = cuenta * 2", "    cuenta = cuenta 2 *",
     "expected a new line or ';' after the statement, found '2'", "2"),
    ("pascal", "    a := a + 1;", "    a := a 1 +;", "expected ';', found '1'", "1"),
    # a var section's declaration whose type is missing: the section goes on after it
    ("pascal", "array [1..8] of real;", "array [1..8] of ;", "expected a type, found ';'",
     ";\n  c"),
    ("teachlang", "show(n)\nwhen", 'show()"n"\nwhen',
     "expected a new line or ';' after the statement, found '\"n\"'", '"n"'),
    ("teachlang", "show(n)\nwhen", "show(n) show(n)\nwhen",
     "expected a new line or ';' after the statement, found 'show'", "show(n)\nwhen"),
    ("teachlang", "    show(n)", "    show(n) show(n)",
     "expected a new line or ';' after the statement, found 'show'", "show(n)\n    remember"),
    ("basic", "DIM x AS INTEGER = 1", "DIM x AS = 1", "expected a type, found '='", "= 1"),
    ("curly", "    let m: int = n * 2;", "    let m: = n * 2;", "expected a type, found '='",
     "= n"),
]

# (language, text replaced, its replacement, the one error's message, at the end of
# this text) a statement missing where a line ends: named as the keyword level names it
ENDED = [
    ("pascal", "  if a > 0 then\n  begin", "  if a > 0 then\n  else\n  begin",
     "expected a statement", "then"),
]


def errors(language: str, engine: str, text: str) -> list[tuple[int, int, str]]:
    """Each error's line, its start's offset and its message."""
    return [(text.count("\n", 0, e.start) + 1, e.start, e.message)
            for e in parse(served_by(language, engine), text).errors]


def mutated(program: str, old: str, new: str) -> str:
    assert program.count(old) == 1
    return program.replace(old, new)


@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_the_programs_are_valid_as_written(language: str) -> None:
    parses_clean_both_ways(language, PROGRAMS[language])


@pytest.mark.parametrize("language, old, new, message, found", CASES,
                         ids=[f"{c[0]}:{c[2].strip()}" for c in CASES])
def test_one_error_where_the_keyword_level_reports_it(language: str, old: str, new: str,
                                                      message: str, found: str) -> None:
    text = mutated(PROGRAMS[language], old, new)
    keywords = errors(language, "keywords", text)
    template = errors(language, "template", text)
    assert len(template) == 1, template
    line, start, got = template[0]
    assert got == message
    assert [(line, got)] == [(k[0], k[2]) for k in keywords]
    # at the token found, the replaced line's (not its first token, nor after it)
    at = text.index(new)
    assert at < start < at + len(new)
    assert text[start:].startswith(found)


@pytest.mark.parametrize("language, old, new, message, found", CASES,
                         ids=[f"{c[0]}:{c[2].strip()}" for c in CASES])
def test_the_tree_keeps_every_character(language: str, old: str, new: str, message: str,
                                        found: str) -> None:
    text = mutated(PROGRAMS[language], old, new)
    assert parse(served_by(language, "template"), text).root.text == text


def test_a_closer_after_the_mistake_still_closes_its_block() -> None:
    # the rest of a statement's line stops at a closer: ``IF END`` (``END IF`` swapped)
    # is the IF's condition missing at ``END``, and ``END FUNCTION`` closes the routine
    text = mutated(BASIC, "    RETURN s * 0.5\n", "    IF s > 0 THEN\n        RETURN s\n    IF END\n")
    template = errors("basic", "template", text)
    assert [(ln, m) for ln, _, m in template] == [(4, "expected an expression, found 'END'")]
    assert template == errors("basic", "keywords", text)


def test_a_statement_after_the_mistake_on_its_line_is_its_own() -> None:
    # (a statement's word ends the rest of the mistake: ``PRINT 1 PRINT 2``)
    text = mutated(BASIC, "    x = x * 2", "    x = x 2 PRINT x")
    template = errors("basic", "template", text)
    assert [m for _, _, m in template] == [
        "expected a new line or ';' after the statement, found '2'"]
    root = parse(served_by("basic", "template"), text).root
    assert root.text == text


@pytest.mark.parametrize("language, old, new, message, before", ENDED,
                         ids=[f"{c[0]}:{c[2].strip()}" for c in ENDED])
def test_a_statement_missing_at_a_line_end_is_named_a_statement(
        language: str, old: str, new: str, message: str, before: str) -> None:
    text = mutated(PROGRAMS[language], old, new)
    template = errors(language, "template", text)
    assert [m for _, _, m in template] == [message]
    assert template == errors(language, "keywords", text)
    start = template[0][1]
    assert text[:start].endswith(before)  # (zero-width, after the word, at the line's end)


def test_a_declaration_without_its_semicolon_names_no_construct_it_closes() -> None:
    # (one error where the ';' is missing, the section going on after it; no "to close
    # 'var a : integer;'": the declaration's names are no body after a header)
    text = mutated(PASCAL, "  b : array [1..8] of real;", "  b : array [1..8] of real")
    template = errors("pascal", "template", text)
    assert len(template) == 1, template
    line, start, message = template[0]
    assert (line, start) == errors("pascal", "keywords", text)[0][:2]
    assert text[:start].endswith("of real")
    assert "to close" not in message
