"""Error recovery of the keyword-level languages (block styles, ``syntax/parser.py``):
one error per mistake, at the mistake, and the parse goes on at the next statement
(issue 13: no second, weaker tree). Small programs of our own, each with one mistake;
the line after it holds a second one, which must be found too (the parse resumed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.recovery import mutations

from craftls.language.catalog import bundled
from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse

from .test_incremental import assert_edits_reparse_as_fresh

ROOT = Path(__file__).resolve().parents[2]
KEYWORD_LEVEL = ("pascal", "basic", "teachlang", "espanol", "curly")


def errors(language: str, text: str) -> list[tuple[int, str]]:
    """Each syntax error: its line (from 1) and its message."""
    return [(text.count("\n", 0, e.start) + 1, e.message)
            for e in parse(bundled(language), text).errors]


# STATEMENT is where the mistake goes; LAST, after the statement after it, is '' or
# ' +' (a second mistake there)
PASCAL = "program p;\nvar\n  x : integer;\nbegin\nSTATEMENT\n  x := 3LAST;\nend.\n"
TEACH = "teach f(a: int) -> int:\nSTATEMENT\n    give_back aLAST\n"
CURLY = "fn f(a: int) -> int {\nSTATEMENT\n    return aLAST;\n}\n"
BASIC = "SUB S(n AS INTEGER)\nSTATEMENT\n    PRINT nLAST\nEND SUB\n"
ESPANOL = "función f(a: Entero): Entero\nSTATEMENT\n    retornar aLAST\nfin función\n"


def program(template: str, statement: str, last: str = "") -> str:
    return template.replace("STATEMENT", statement).replace("LAST", last)


@pytest.mark.parametrize("language, template, statement", [
    # a token written twice: the second is the mistake, the statement is kept
    ("pascal", PASCAL, "  if x x > 1 then x := 2;"),
    ("pascal", PASCAL, "  if if x > 1 then x := 2;"),
    ("pascal", PASCAL, "  while x > 1 do do x := x - 1;"),
    ("pascal", PASCAL, "  x := := 2;"),
    ("pascal", PASCAL, "  x x := 2;"),
    ("pascal", PASCAL, "  WriteLn(x, x));"),
    ("teachlang", TEACH, "    when a a > 1:\n        a = 2"),
    ("teachlang", TEACH, "    remember b b = 0"),
    ("teachlang", TEACH, "    show(max max(a, 1))"),
    ("curly", CURLY, "    let b: int int = 0;"),
    ("curly", CURLY, "    if (a a > 1) {\n        a = 2;\n    }"),
    ("basic", BASIC, "    IF n > 1 THEN THEN\n        PRINT 1\n    ELSE\n        PRINT 2\n    END IF"),
    ("basic", BASIC, "    IF n > 1 THEN\n        PRINT 1\n    ELSE ELSE\n        PRINT 2\n    END IF"),
    ("basic", BASIC, "    IF n > 1 THEN\n        PRINT 1\n    ELSE\n        PRINT 2\n    END END IF"),
    ("espanol", ESPANOL, "    si a > 1 entonces entonces\n        a = 2\n    fin si"),
    # something left out or in the way: skipped up to what was expected, one error
    ("pascal", PASCAL, "  if x 1 > 1 then x := 2;"),
    ("pascal", PASCAL, "  WriteLn(x y, 1);"),
    ("pascal", PASCAL, "  WriteLn 'a', x);"),
    ("teachlang", TEACH, "    when a  1:\n        a = 2"),
    ("teachlang", TEACH, "    remember b = [1 2, 3]"),
    ("curly", CURLY, "    b = max(a, 1) 2;"),
])
def test_one_mistake_is_one_error_and_the_next_statement_is_parsed(
        language: str, template: str, statement: str) -> None:
    found = errors(language, program(template, statement))
    assert len(found) == 1, found
    # the statement after it is parsed: a mistake there is found as well
    assert len(errors(language, program(template, statement, " +"))) == 2


def test_a_declaration_whose_colon_is_missing_keeps_its_type_and_the_section() -> None:
    text = "program p;\nvar\n  a integer;\n  b : integer;\nbegin\n  b := 1;\nend.\n"
    assert errors("pascal", text) == [(3, "expected ':' and a type")]
    tree = parse(bundled("pascal"), text).root
    assert [d.kind for d in tree.descendants() if d.kind == K.VAR_DECL] == [K.VAR_DECL] * 2


def test_lines_indented_too_deep_are_one_error() -> None:
    text = "teach f(a: int) -> int:\n    a = 1\n        a = 2\n        a = 3\n    give_back a\n"
    assert errors("teachlang", text) == [(3, "unexpected indentation")]


def test_the_tokens_skipped_over_stay_in_the_tree() -> None:
    for language, template, statement in (("pascal", PASCAL, "  if x 1 > 1 then x := 2;"),
                                          ("teachlang", TEACH, "    remember b = [1 2, 3]")):
        text = program(template, statement)
        assert parse(bundled(language), text).root.text == text


@pytest.mark.parametrize("language", KEYWORD_LEVEL)
def test_mutated_examples_reparse_incrementally_as_from_scratch(language: str) -> None:
    """Each mistake the recovery benchmark makes, typed into a parsed example, gives
    the tree a parse of the whole text does."""
    definition = bundled(language)
    path = sorted((ROOT / "examples" / language).iterdir())[0]
    text = path.read_text(encoding="utf-8")
    for texts in mutations(text, definition, 12).values():
        for _, mutated in texts:
            # the one edit that turns the text into the mutated one
            start = 0
            while text[start] == mutated[start]:
                start += 1
            tail = 0
            while tail < min(len(text), len(mutated)) - start \
                    and text[-1 - tail] == mutated[-1 - tail]:
                tail += 1
            edit = TextEdit(start, len(text) - tail, mutated[start:len(mutated) - tail])
            assert_edits_reparse_as_fresh(definition, text, [edit])
            # and mended again
            assert_edits_reparse_as_fresh(definition, mutated, [
                TextEdit(start, len(mutated) - tail, text[start:len(text) - tail])])
