"""Error recovery of the block-style grammar templates, round 25 (msg25): a top-level
statement whose end is missing inside its line (``DIM q  LIST = [1]``, ``PRINT 1 2``)
is one error where the keyword level reports it, at the token found instead of the
line's end, the rest of the line the rest of that mistake; not the whole line one
"unexpected 'DIM'" from its first token (as a statement inside a block already was);
and a statement's missing end is named as the keyword level names it, "expected a new
line or ';' after the statement" (``peg_block_recovery.item_end_message``), not "the end
of the line or ';'". Programs written here; each case compared through both engines."""

from __future__ import annotations

import pytest
from tests.core.conftest import parses_clean_both_ways, served_by
from tests.core.test_incremental import assert_edits_reparse_as_fresh

from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.tree import SyntaxNode

BASIC = """\
DIM prices AS LIST = [1, 2, 3]
DIM total AS INTEGER = 0
FOR i = 1 TO 3
    total = total + prices[i]
NEXT i
PRINT total
"""

TEACHLANG = """\
remember start = 4
remember twice = start * 2
show(twice)
"""

ESPANOL = """\
variable cuenta = 1
variable doble = cuenta * 2
mostrar(doble)
"""

# (language, program, line replaced, its replacement, the token found instead of the end)
CASES = [
    ("basic", BASIC, "DIM total AS INTEGER = 0", "DIM total  INTEGER = 0", "INTEGER"),
    ("basic", BASIC, "PRINT total", "PRINT total 2", "2"),
    ("basic", BASIC, "    total = total + prices[i]", "    total = total + prices[i] 2", "2"),
    ("basic", BASIC, "DIM total AS INTEGER = 0", "DIM total AS INTEGER = 0 prices", "prices"),
    ("teachlang", TEACHLANG, "remember twice = start * 2", "remember twice = start 2", "2"),
    ("espanol", ESPANOL, "variable doble = cuenta * 2", "variable doble = cuenta 2", "2"),
]


def errors(language: str, engine: str, text: str) -> list[tuple[int, int, str]]:
    """Each error's line, its start's offset and its message."""
    return [(text.count("\n", 0, e.start) + 1, e.start, e.message)
            for e in parse(served_by(language, engine), text).errors]


def mutated(program: str, old: str, new: str) -> str:
    assert program.count(old) == 1
    return program.replace(old, new)


@pytest.mark.parametrize("language, program", [("basic", BASIC), ("teachlang", TEACHLANG),
                                               ("espanol", ESPANOL)],
                         ids=["basic", "teachlang", "espanol"])
def test_the_programs_are_valid_as_written(language: str, program: str) -> None:
    parses_clean_both_ways(language, program)


@pytest.mark.parametrize("language, program, old, new, found", CASES,
                         ids=[f"{c[0]}:{c[3]}" for c in CASES])
def test_a_top_level_statement_cut_short_is_one_error_at_the_token_found(
        language: str, program: str, old: str, new: str, found: str) -> None:
    text = mutated(program, old, new)
    keywords = errors(language, "keywords", text)
    template = errors(language, "template", text)
    assert len(keywords) == 1, keywords
    assert len(template) == 1, template
    line, start, message = template[0]
    # where the keyword level reports it: the token written where the line should end
    assert (line, start) == keywords[0][:2]
    assert text[start:].startswith(found)
    assert start > text.index(new)  # (not the line's first token)
    assert message == f"expected a new line or ';' after the statement, found '{found}'"


def top_level_nodes(text: str) -> list[tuple[int, int, str]]:
    """The template's top-level nodes of ``text``: start, end, kind."""
    root = parse(served_by("basic", "template"), text).root
    assert root.text == text  # lossless
    return [(c.start, c.end, c.kind) for c in root.children_with_tokens()
            if isinstance(c, SyntaxNode)]


def test_the_rest_of_the_line_is_in_the_statement_and_the_next_lines_parse() -> None:
    text = mutated(BASIC, "DIM total AS INTEGER = 0", "DIM total  INTEGER = 0")
    line = text.index("DIM total")
    after = [n for n in top_level_nodes(text) if n[0] >= line]
    # the broken line is one step, its statement up to the line's end; the FOR loop next
    assert after[0][:2] == (line, text.index("\n", line))
    assert after[1][0] == text.index("FOR")


def test_a_statement_after_a_semicolon_on_that_line_is_its_own() -> None:
    text = mutated(BASIC, "PRINT total", "PRINT total 2; PRINT 3")
    template = errors("basic", "template", text)
    assert [m for _, _, m in template] == ["expected a new line or ';' after the statement, found '2'"]
    starts = [n[0] for n in top_level_nodes(text)]
    assert text.index("PRINT 3") in starts


def test_a_name_missing_after_the_word_stays_reported_at_it() -> None:
    # the statement's part before its end does not match as written: no cut-short parse
    text = mutated(BASIC, "DIM total AS INTEGER = 0", "DIM  AS INTEGER = 0")
    keywords = errors("basic", "keywords", text)
    template = errors("basic", "template", text)
    assert [m for _, _, m in template] == [m for _, _, m in keywords] == [
        "expected a name, found 'AS'"]


PASCAL = """\
program tally;
type pair = record low, high : integer; end;
var span : pair; total : integer;
procedure show(first : integer; last : integer);
begin
  WriteLn(first, last)
end;
begin
  span.low := 1;
  total := span.low + 2;
  if total > 1 then total := 0;
  show(total, 3)
end.
"""

CURLY = """\
fn scale(n: int, times: int) -> int {
    let step: int = n * times;
    print(step, times);
    return step;
}
"""

# (language, program, text replaced, its replacement, the token written twice)
DOUBLED = [
    ("pascal", PASCAL, "  span.low := 1;", "  span span.low := 1;", "span"),
    ("pascal", PASCAL, "  total := span.low + 2;", "  total := span.low + 2 2;", "2"),
    ("pascal", PASCAL, "first : integer; last", "first : integer; last last", "last"),
    ("pascal", PASCAL, "  show(total, 3)", "  show(total total, 3)", "total"),
    ("curly", CURLY, "    return step;", "    return return step;", "return"),
    ("curly", CURLY, "    let step: int = n * times;", "    let step: int int = n * times;",
     "int"),
    ("curly", CURLY, "    print(step, times);", "    print(step step, times);", "step"),
    ("curly", CURLY, "    print(step, times);", "    print(step, times));", ")"),
    ("basic", BASIC, "    total = total + prices[i]", "    total = total + prices prices[i]",
     "prices"),
    ("teachlang", TEACHLANG, "show(twice)", "show(twice twice)", "twice"),
]


@pytest.mark.parametrize("language, program", [("pascal", PASCAL), ("curly", CURLY)],
                         ids=["pascal", "curly"])
def test_the_doubled_programs_are_valid_as_written(language: str, program: str) -> None:
    parses_clean_both_ways(language, program)


@pytest.mark.parametrize("language, program, old, new, doubled", DOUBLED,
                         ids=[f"{c[0]}:{c[3].strip()}" for c in DOUBLED])
def test_an_error_at_a_token_written_twice_names_it(language: str, program: str, old: str,
                                                    new: str, doubled: str) -> None:
    text = mutated(program, old, new)
    keywords = errors(language, "keywords", text)
    template = errors(language, "template", text)
    assert len(template) == 1, template
    line, start, message = template[0]
    assert message == f"'{doubled}' written twice"
    assert [(line, message)] == [(k[0], k[2]) for k in keywords]
    assert text[start:].startswith(doubled)  # at the copy, not after the token before it
    assert text[:start].rstrip().endswith(doubled)


def test_a_semicolon_after_one_is_no_token_written_twice() -> None:
    # (an empty statement's: the keyword level says "unexpected ';'" there, not that)
    text = mutated(CURLY, "    return step;", "    return step;;")
    assert all("written twice" not in m for _, _, m in errors("curly", "template", text))


NESTED = """\
DIM total AS INTEGER = 0
FOR i = 1 TO 3
    FOR j = 1 TO i
        total = total + j
    NEXT j
NEXT i
WHILE total > 0
    WHILE total > 5
        total = total - 5
    WEND
    total = total - 1
WEND
PRINT total
"""


def test_the_nested_loops_are_valid_as_written() -> None:
    parses_clean_both_ways("basic", NESTED)


@pytest.mark.parametrize("header, closer", [("    FOR j = 1 TO i\n", "NEXT"),
                                            ("    WHILE total > 5\n", "WEND")],
                         ids=["FOR", "WHILE"])
def test_an_inner_loops_header_deleted_is_one_error_where_its_body_began(
        header: str, closer: str) -> None:
    # the outer loop took the inner one's closer (NEXT goes on with a name: a closer the
    # layout reads by its first word, ``closing_words``); the outer one's then closed
    # nothing: one error, before the inner body's first line, as the keyword level
    text = mutated(NESTED, header, "")
    keywords = errors("basic", "keywords", text)
    template = errors("basic", "template", text)
    outer = "FOR" if closer == "NEXT" else "WHILE"
    assert [m for _, _, m in template] == [
        f"'{closer}' without '{outer}': the block it closes begins here"]
    assert template == keywords


def test_a_next_that_closes_nothing_is_named_as_an_orphan() -> None:
    text = mutated(NESTED, "PRINT total", "PRINT total\nNEXT i")
    assert [m for _, _, m in errors("basic", "template", text)] == ["'NEXT' without 'FOR'"]


EDITS = [(c[0], c[1], c[2], c[3]) for c in CASES + DOUBLED] + [
    ("basic", NESTED, "    FOR j = 1 TO i\n", ""), ("basic", NESTED, "    WHILE total > 5\n", "")]


@pytest.mark.parametrize("language, program, old, new", EDITS,
                         ids=[f"{c[0]}:{c[3].strip() or c[2].strip()}" for c in EDITS])
def test_each_mistake_typed_and_mended_reparses_as_from_scratch(
        language: str, program: str, old: str, new: str) -> None:
    definition = served_by(language, "template")
    at = program.index(old)
    assert_edits_reparse_as_fresh(definition, program, [
        TextEdit(at, at + len(old), new), TextEdit(at, at + len(new), old)])
