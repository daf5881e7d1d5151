"""Error recovery of the keyword-level languages (block styles, ``syntax/parser.py``):
one error per mistake, at the mistake, and the parse goes on at the next statement
(issue 13: no second, weaker tree). Small programs of our own, each with one mistake;
the line after it holds a second one, which must be found too (the parse resumed)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from benchmarks.recovery import mutations

from craftls.language.catalog import bundled
from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.tree import SyntaxNode

from .conftest import served_by
from .test_incremental import assert_edits_reparse_as_fresh

ROOT = Path(__file__).resolve().parents[2]
KEYWORD_LEVEL = ("pascal", "basic", "teachlang", "espanol", "curly")


# A template-served definition (``structure.engine: template``) names its nodes by its
# grammar's rules: which construct a node is, by the keyword level's kind (the names are
# the engine's detail; the tests ask which constructs the parse kept)
TEMPLATE_KINDS = {
    "function_decl": K.FUNCTION_DECL, "procedure_decl": K.FUNCTION_DECL,
    "if_stmt": K.IF_STMT, "while_stmt": K.WHILE_STMT, "for_count": K.FOR_STMT,
    "for_in": K.FOR_IN_STMT, "case_stmt": K.CASE_STMT, "var_decl": K.VAR_DECL,
    "block": K.BLOCK, "main_block": K.BLOCK, "program_header": K.PROGRAM_HEADER,
    "call": K.EXPR_STMT, "bare_call": K.EXPR_STMT, "expr_stmt": K.EXPR_STMT,
}


def kind_of(node: SyntaxNode) -> str:
    """The node's construct, whichever engine built it."""
    return TEMPLATE_KINDS.get(node.kind, node.kind.upper())


def kinds(nodes: Iterable[SyntaxNode]) -> list[str]:
    return [kind_of(n) for n in nodes]


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


@pytest.mark.parametrize("engine, message", [
    ("keywords", "expected ':' and a type"),
    # the template names what else could come after the name (another name of the
    # declaration): one error on the line as well, the type and the section kept
    ("template", "expected ',' or ':', found 'integer'"),
])
def test_a_declaration_whose_colon_is_missing_keeps_its_type_and_the_section(
        engine: str, message: str) -> None:
    text = "program p;\nvar\n  a integer;\n  b : integer;\nbegin\n  b := 1;\nend.\n"
    parsed = parse(served_by("pascal", engine), text)
    assert [(text.count("\n", 0, e.start) + 1, e.message) for e in parsed.errors] == [
        (3, message)]
    assert [kind_of(d) for d in parsed.root.descendants()
            if kind_of(d) == K.VAR_DECL] == [K.VAR_DECL] * 2


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


# ---------------------------------------------------------------- a construct's opener
# deleted, an inner construct's closer deleted (in every block style)

BASIC_ROUTINES = ("FUNCTION F(n AS INTEGER) AS INTEGER\n    DIM t AS INTEGER = 0\nBODY"
                  "    RETURN t\nEND FUNCTION\n\nSUB G\n    PRINT 1\nEND SUB\n")
ESPANOL_ROUTINES = ("función f(a: Entero): Entero\nBODY    retornar a\nfin función\n\n"
                    "procedimiento g()\n    escribir(1)\nfin procedimiento\n")


@pytest.mark.parametrize("language, text, expected", [
    # the IF line deleted: its END IF has nothing to close
    ("basic", BASIC_ROUTINES.replace("BODY", "        t = t + 1\n    END IF\n"),
     (3, "'END IF' without 'IF': the block it closes begins here")),
    # from an ELSE on, the IF is what follows, up to its END IF
    ("basic", BASIC_ROUTINES.replace("BODY", "        t = 1\n    ELSE\n        t = 2\n"
                                             "    END IF\n"),
     (3, "'ELSE' without 'IF': the block it closes begins here")),
    ("basic", BASIC_ROUTINES.replace("BODY", "        t = t + 1\n    WEND\n"),
     (3, "'WEND' without 'WHILE': the block it closes begins here")),
    ("espanol", ESPANOL_ROUTINES.replace("BODY", "        a = a + 1\n    fin mientras\n"),
     (2, "'fin mientras' without 'mientras': the block it closes begins here")),
])
def test_an_orphan_closer_is_one_error_and_the_routines_after_it_parse(
        language: str, text: str, expected: tuple[int, str]) -> None:
    assert errors(language, text) == [expected]
    tree = parse(bundled(language), text).root
    assert [kind_of(n) for n in tree.children()] == [K.FUNCTION_DECL, K.FUNCTION_DECL]


@pytest.mark.parametrize("language, text, expected", [
    ("basic", BASIC_ROUTINES.replace("BODY", "    IF n > 1 THEN\n        t = t + 1\n"),
     (4, "expected 'ENDIF' to close 'IF n > 1 THEN'")),
    ("basic", BASIC_ROUTINES.replace("BODY", "    WHILE n > 1\n        FOR t = 1 TO n\n"
                                             "            PRINT t\n        n = n - 1\n"
                                             "    WEND\n"),
     (5, "expected 'NEXT' to close 'FOR t = 1 TO n'")),
    ("espanol", ESPANOL_ROUTINES.replace("BODY", "    si a > 1 entonces\n        a = 2\n"),
     (3, "expected 'fin' to close 'si a > 1 entonces'")),
    # without the layout's evidence (no statement back at the inner construct's
    # indentation), at the outer closer
    ("basic", BASIC_ROUTINES.replace("BODY", "    IF n > 1 THEN\n        t = t + 1\n")
     .replace("    RETURN t\n", ""),
     (5, "expected 'ENDIF' to close 'IF n > 1 THEN', found 'END FUNCTION'")),
])
def test_an_inner_construct_without_its_closer_is_one_error_after_its_last_statement(
        language: str, text: str, expected: tuple[int, str]) -> None:
    """Not at the end of the file: the statements back at the inner construct's line
    indentation are the outer one's, which closes as written, and what follows it
    parses as before."""
    for engine, wanted in (("keywords", expected),
                           ("template", TEMPLATE_INNER_CLOSER.get(text, expected))):
        assert engine_errors(language, engine, text) == [wanted], engine
        tree = parse(served_by(language, engine), text).root
        assert [kind_of(n) for n in tree.children()] == [K.FUNCTION_DECL] * 2, engine


# the template's answers where they differ: the closer named in full, each of its
# forms ("'ENDIF' or 'END IF'", not the first word of the first), and without the
# layout's evidence right after the block's last statement, where the template
# reports every missing token (the closer it found named as written, not 'END')
TEMPLATE_INNER_CLOSER = {
    BASIC_ROUTINES.replace("BODY", "    IF n > 1 THEN\n        t = t + 1\n"):
        (4, "expected 'ENDIF' or 'END IF' to close 'IF n > 1 THEN'"),
    BASIC_ROUTINES.replace("BODY", "    WHILE n > 1\n        FOR t = 1 TO n\n"
                                   "            PRINT t\n        n = n - 1\n    WEND\n"):
        (5, "expected 'NEXT' or 'END FOR' to close 'FOR t = 1 TO n'"),
    ESPANOL_ROUTINES.replace("BODY", "    si a > 1 entonces\n        a = 2\n"):
        (3, "expected 'fin si' to close 'si a > 1 entonces'"),
    BASIC_ROUTINES.replace("BODY", "    IF n > 1 THEN\n        t = t + 1\n")
    .replace("    RETURN t\n", ""):
        (4, "expected 'ENDIF' or 'END IF' to close 'IF n > 1 THEN', found 'END FUNCTION'"),
}


def engine_errors(language: str, engine: str, text: str) -> list[tuple[int, str]]:
    """``errors`` of the language served by ``engine`` (where the engines' answers are
    as good, each pinned)."""
    return [(text.count("\n", 0, e.start) + 1, e.message)
            for e in parse(served_by(language, engine), text).errors]


# a routine's opener missing: the keyword level reports it after the heading, the
# template where the body it opens begins, naming what it found there; one error, the
# body kept, either way
@pytest.mark.parametrize("language, text, keywords, template", [
    ("curly", "fn f(a: int) -> int\n    let b: int = a;\n    return b;\n}\n"
              "fn g() -> int {\n    return 1;\n}\n", (1, "expected '{'"),
     (2, "expected '{', found 'let'")),
    ("pascal", "program p;\nprocedure P;\n  WriteLn(1);\n  WriteLn(2);\nend;\n"
               "procedure Q;\nbegin\n  P;\nend;\nbegin\n  Q;\nend.\n", (2, "expected 'BEGIN'"),
     (3, "expected 'BEGIN', found 'WriteLn'")),
])
def test_a_routine_without_its_opener_keeps_its_body(
        language: str, text: str, keywords: tuple[int, str], template: tuple[int, str]) -> None:
    """The statements after the heading are its body up to its own closer, which is no
    orphan at the top level."""
    for engine, expected in (("keywords", keywords), ("template", template)):
        assert engine_errors(language, engine, text) == [expected], engine
        tree = parse(served_by(language, engine), text).root
        assert [kind_of(n) for n in tree.children()
                if kind_of(n) != K.PROGRAM_HEADER][:2] == [K.FUNCTION_DECL] * 2, engine


@pytest.mark.parametrize("config, text, expected", [
    ("basic_like.yaml", "DEF square(x)\n    IF x > 1 THEN\n        x = 2\n    RETURN x * x\n"
                        "END DEF\nPRINT square(2)\n",
     [(3, "expected 'END' to close 'IF x > 1 THEN'")]),
    ("basic_like.yaml", "DEF square(x)\n        x = 2\n    END IF\n    RETURN x * x\n"
                        "END DEF\nPRINT square(2)\n",
     [(2, "'END IF' without 'IF': the block it closes begins here")]),
])
def test_parsercraft_configs_recover_the_same_way(
        config: str, text: str, expected: list[tuple[int, str]]) -> None:
    from craftls.language.loader import load_definition
    configs = ROOT.parent / "shared" / "reference" / "parsercraft-configs"
    parsed = parse(load_definition(configs / config), text)
    assert [(text.count("\n", 0, e.start) + 1, e.message) for e in parsed.errors] == expected


@pytest.mark.parametrize("language, text", [
    ("basic", BASIC_ROUTINES.replace("BODY", "    IF n > 1 THEN\n        t = t + 1\n"
                                             "    END IF\n")),
    ("espanol", ESPANOL_ROUTINES.replace("BODY", "    mientras a > 1 hacer\n"
                                                 "        a = a - 1\n    fin mientras\n")),
    ("curly", "fn f(a: int) -> int {\n    if (a > 1) {\n        a = 2;\n    }\n"
              "    return a;\n}\n"),
])
def test_an_opener_or_inner_closer_deleted_and_typed_again_reparses_as_from_scratch(
        language: str, text: str) -> None:
    """The edits that make these mistakes, typed into a parsed program and undone."""
    definition = bundled(language)
    for kind in ("opener", "closer"):
        for at, mutated in mutations(text, definition, 20)[kind]:
            cut = len(text) - len(mutated)
            assert_edits_reparse_as_fresh(definition, text, [
                TextEdit(at, at + cut, ""), TextEdit(at, at, text[at:at + cut])])


# ---------------------------------------------------------------- the layout as evidence:
# a closer that names no construct (END alone, '}') lines up with its opener's line

PASCAL_ROUTINES = ("program p;\nprocedure P;\nbegin\nBODYend;\n\nprocedure Q;\nbegin\n"
                   "  P;\nend;\n\nbegin\n  Q;\nend.\n")
CURLY_ROUTINES = "fn f(a: int) -> int {\nBODY}\n\nfn g() -> int {\n    return 1;\n}\n"
RUBY_ROUTINES = "def f(x)\nBODYend\n\ndef g()\n  return 1\nend\n"


@pytest.mark.parametrize("language, text, expected", [
    # the inner END deleted: the routine's END is not the inner block's
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  while x > 1 do\n  begin\n    x := x - 1;\n"
                                               "    WriteLn(x);\n"),
     (7, "expected 'END' to close 'begin'")),
    # the statements back at the block's indentation are the routine's
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  if x > 1 then begin\n    x := 2;\n"
                                               "  x := 3;\n"),
     (5, "expected 'END' to close 'if x > 1 then begin'")),
    # a CASE's END, inside a block whose END is there
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  while x > 1 do\n  begin\n    case x of\n"
                                               "      1: x := 2\n    else\n      x := 3\n"
                                               "  end;\n"),
     (9, "expected 'END' to close 'case x of'")),
    # the closer's line deleted with its ';': the one error is the missing ';'
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  case x of\n    1: x := 2\n  else\n"
                                               "    x := 3\n  x := 4;\n"),
     (7, "expected ';'")),
    ("curly", CURLY_ROUTINES.replace("BODY", "    if (a > 1) {\n        a = 2;\n"
                                             "    return a;\n"),
     (3, "expected '}' to close 'if (a > 1) {'")),
    ("curly", CURLY_ROUTINES.replace("BODY", "    while (a > 1) {\n        if (a > 2) {\n"
                                             "            a = 2;\n        a = a - 1;\n"
                                             "    }\n    return a;\n"),
     (4, "expected '}' to close 'if (a > 2) {'")),
])
def test_an_inner_block_without_its_closer_is_one_error_at_the_block(
        language: str, text: str, expected: tuple[int, str]) -> None:
    """Not at the end of the file: the closer at the routine's indentation is the
    routine's, and the routines after it parse as written."""
    template = TEMPLATE_CLOSER_MISSING.get(text)
    for engine, wanted in (("keywords", expected), ("template", template)) if template \
            else ((None, expected),):
        definition = served_by(language, engine) if engine else bundled(language)
        parsed = parse(definition, text)
        assert [(text.count("\n", 0, e.start) + 1, e.message)
                for e in parsed.errors] == [wanted], engine
        assert [kind_of(n) for n in parsed.root.children()
                if kind_of(n) in (K.FUNCTION_DECL, K.BLOCK)][:2] == [K.FUNCTION_DECL] * 2


# the template's answers where they differ: a CASE's closing line deleted with its ';'
# before a statement at the CASE's column: the keyword level reads the statement as the
# ELSE part's next one and reports the ';' missing; the template reads the layout (the
# statement back at the CASE's column) and reports the CASE's END missing, which is what
# was deleted (same line, one error, the routines after it parsed)
TEMPLATE_CLOSER_MISSING = {
    PASCAL_ROUTINES.replace("BODY", "  case x of\n    1: x := 2\n  else\n"
                                    "    x := 3\n  x := 4;\n"):
        (7, "expected 'END' to close 'case x of'"),
}


@pytest.mark.parametrize("language, text, expected", [
    # the inner BEGIN deleted: its END is an orphan, the routine's END closes it
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  while x > 1 do\n    x := x - 1;\n"
                                               "    WriteLn(x);\n  end;\n  x := 0;\n"),
     (4, "unexpected 'end': the block it closes begins here")),
    ("curly", CURLY_ROUTINES.replace("BODY", "    if (a > 1)\n        a = 2;\n        a = 3;\n"
                                             "    }\n    return a;\n"),
     (2, "'}' without '{': the block it closes begins here")),
    # with an ELSE after it on its line: the rest of the IF, one error
    ("curly", CURLY_ROUTINES.replace("BODY", "    if (a > 1)\n        a = 2;\n    } else {\n"
                                             "        a = 3;\n    }\n    return a;\n"),
     (2, "'}' without '{': the block it closes begins here")),
    ("curly", CURLY_ROUTINES.replace("BODY", "        a = 2;\n    } else {\n"
                                             "        a = 3;\n    }\n    return a;\n"),
     (2, "'}' without '{': the block it closes begins here")),
])
def test_an_inner_block_without_its_opener_is_one_error_and_the_outer_stays_open(
        language: str, text: str, expected: tuple[int, str]) -> None:
    assert errors(language, text) == [expected]
    tree = parse(bundled(language), text).root
    assert [kind_of(n) for n in tree.children()
            if kind_of(n) in (K.FUNCTION_DECL, K.BLOCK)][:2] == [K.FUNCTION_DECL] * 2


@pytest.mark.parametrize("language, text", [
    # closers written deeper than their openers' lines, at every level (banner style)
    ("curly", CURLY_ROUTINES.replace("BODY", "    while (a > 1) {\n        if (a > 2) {\n"
                                             "            a = 2;\n            }\n"
                                             "        a = 3;\n        }\n    return a;\n    ")),
    # an inner closer written shallower, at the outer opener's column, the outer's after
    ("curly", CURLY_ROUTINES.replace("BODY", "    while (a > 1) {\n        a = 3;\n}\n"
                                             "    return a;\n")),
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  while x > 1 do\n  begin\n    x := 2;\n"
                                               "end;\n")),
    # an inner closer written deeper, the outer's at its opener's column
    ("pascal", PASCAL_ROUTINES.replace("BODY", "  while x > 1 do\n  begin\n    x := 2;\n"
                                               "    end;\n  x := 1;\n")),
    ("curly", CURLY_ROUTINES.replace("BODY", "    while (a > 1) {\n        a = 3;\n"
                                             "        }\n")),
    # an ELSE IF chain laid out as nested statements (as range formatting left it):
    # the closers before each ELSE stand deeper than the line their block opened on
    ("curly", CURLY_ROUTINES.replace("BODY", "    if (a < 0) {\n        a = 1;\n"
                                             "    } else if (a < 12) {\n            a = 2;\n"
                                             "        } else if (a < 22) {\n\n        a = 3;\n"
                                             "    } else {\n        a = 4;\n    }\n")),
])
def test_valid_programs_laid_out_otherwise_have_no_errors(language: str, text: str) -> None:
    """The layout only decides between readings of a mistake: closers that do not line
    up with their openers in a valid program are taken as written."""
    assert errors(language, text) == []


@pytest.mark.parametrize("text, expected", [
    (RUBY_ROUTINES.replace("BODY", "  if x > 1 then\n    x = 2\n  return x\n"),
     [(3, "expected 'end' to close 'if x > 1 then'")]),
    (RUBY_ROUTINES.replace("BODY", "  while x > 1 do\n    if x > 2 then\n      x = 2\n"
                                   "    x = x - 1\n  end\n  return x\n"),
     [(4, "expected 'end' to close 'if x > 2 then'")]),
    (RUBY_ROUTINES.replace("BODY", "    x = 2\n  end\n  return x\n"),
     [(2, "unexpected 'end': the block it closes begins here")]),
])
def test_a_parsercraft_config_whose_blocks_end_with_end_reads_the_layout(
        text: str, expected: list[tuple[int, str]]) -> None:
    from craftls.language.loader import load_definition
    configs = ROOT.parent / "shared" / "reference" / "parsercraft-configs"
    parsed = parse(load_definition(configs / "ruby_like.yaml"), text)
    assert [(text.count("\n", 0, e.start) + 1, e.message) for e in parsed.errors] == expected
    assert [n.kind for n in parsed.root.children()] == [K.FUNCTION_DECL] * 2


def test_routines_without_their_begin_one_after_another_parse_in_one_pass() -> None:
    """Headings each followed by statements and no BEGIN or END (a unit's interface
    read as a program): one error each. Each routine's body was tried inside the one
    before it and given up again, which parsed the rest of the file 2^n times."""
    text = "program p;\n" + "".join(f"procedure P{i}(a: integer);\n  x := {i};\n"
                                    for i in range(40)) + "begin\nend.\n"
    assert engine_errors("pascal", "keywords", text) == [
        (2 + 2 * i, "expected 'BEGIN'") for i in range(40)]
    # (the template: where each body begins, as for a routine without its opener
    # above, in the keyword level's words (nothing found named on a line of its own,
    # msg23); one error each either way)
    assert engine_errors("pascal", "template", text) == [
        (3 + 2 * i, "expected 'BEGIN'") for i in range(40)]


# ---------------------------------------------------------------- a deleted opener is
# reported where it was: the lines indented deeper than its orphan closer were its body

ORPHAN_BODY = ": the block it closes begins here"


@pytest.mark.parametrize("language, text, expected", [
    # a routine's heading deleted: its body's first line, not its END FUNCTION
    ("basic", "DIM t AS INTEGER\n\n    t = 1\n    PRINT t\nEND FUNCTION\n\nSUB G\n"
              "    PRINT 1\nEND SUB\n", (3, "'END FUNCTION' without 'FUNCTION'")),
    # a loop's header line deleted inside a routine
    ("espanol", "función f(a: Entero): Entero\n    b = 0\n\n        b = b + 1\n"
                "        b = b * 2\n    fin para\n    retornar b\nfin función\n",
     (4, "'fin para' without 'para'")),
    ("curly", "fn f(a: int) -> int {\n    let b: int = 0;\n\n        b = b + 1;\n"
              "        b = b * 2;\n    }\n    return b;\n}\n", (4, "'}' without '{'")),
    # a block's BEGIN on a line of its own deleted: the WHILE whose block it was
    ("pascal", "program p;\nvar x : integer;\nbegin\n  while x > 1 do\n\n    x := x - 1;\n"
               "    x := x - 2;\n    WriteLn(x);\n  end;\n  x := 0;\nend.\n",
     (4, "unexpected 'end'")),
    # a WHILE's '{' deleted: its one-statement body (an IF with a block) and the
    # statements after it up to the orphan '}' were its block
    ("curly", "fn f(a: int) -> int {\n    while (a > 1)\n        if (a > 5) {\n"
              "            a = 5;\n        }\n        a = a - 1;\n    }\n    return a;\n}\n",
     (2, "'}' without '{'")),
    # a REPEAT's line deleted after a FOR whose body is one statement: not the FOR's
    # block (an UNTIL closes no block)
    ("pascal", "program p;\nvar x : integer;\nbegin\n  for x := 1 to 3 do\n"
               "    WriteLn(x);\n\n    x := x - 1\n  until x < 1;\nend.\n",
     (7, "'until' without 'REPEAT'")),
    # an IF's line deleted before its ELSE: the ELSE's error goes to the IF's body
    ("basic", "SUB S(n AS INTEGER)\n\n        PRINT 1\n        PRINT 2\n    ELSE\n"
              "        PRINT 3\n    END IF\nEND SUB\n", (3, "'ELSE' without 'IF'")),
])
def test_a_deleted_opener_is_one_error_where_it_was(
        language: str, text: str, expected: tuple[int, str]) -> None:
    line, message = expected
    assert errors(language, text) == [(line, message + ORPHAN_BODY)]
    # the statements after the closer are the enclosing list's, parsed as written
    assert parse(bundled(language), text).root.text == text


def test_a_deleted_opener_in_an_unindented_program_stays_at_its_closer() -> None:
    """Without lines indented deeper than the closer there is no evidence of where the
    opener was: the error stays at the closer."""
    text = "SUB S(n AS INTEGER)\nPRINT 1\nEND IF\nEND SUB\n"
    assert errors("basic", text) == [(3, "'END IF' without 'IF'")]


def test_an_edit_that_makes_an_orphans_block_does_not_keep_the_orphan_step() -> None:
    """An END typed into a WHILE's body closes it there: the statements after it, and
    an ELSEIF without its IF further down, become the file's steps, and the ELSEIF's
    block begins at the deeper statements before it. The old ELSEIF step may not be
    kept where the run reaches it (found by the differential test of bodies)."""
    from .test_incremental import BODY_PROGRAMS
    assert_edits_reparse_as_fresh(bundled("basic"), BODY_PROGRAMS["basic"], [
        TextEdit(315, 318, ")"), TextEdit(135, 136, "+"), TextEdit(935, 939, "\n"),
        TextEdit(692, 698, "t = 1\n"), TextEdit(495, 501, "END")])


NESTED_PARA = ("para i = 1 hasta 3 hacer\n    variable fila = \"\"\n"
               "    para p en precios hacer\n        fila = fila + p\nEND_INNER"
               "    escribir(i, fila)\nfin para\ninforme()\n")


@pytest.mark.parametrize("text, expected", [
    # the inner loop's closer deleted: the outer one's, at the outer line's column, is
    # not the inner one's (one name closes both)
    (NESTED_PARA.replace("END_INNER", ""),
     [(4, "expected 'fin' to close 'para p en precios hacer'")]),
    # the inner loop's header deleted: its closer, deeper than the outer's line, is an
    # orphan whose block begins where the header was
    (NESTED_PARA.replace("    para p en precios hacer\n", "\n")
     .replace("END_INNER", "    fin para\n"),
     [(4, "'fin para' without 'para'" + ORPHAN_BODY)]),
])
def test_a_closer_that_names_its_construct_lines_up_among_constructs_of_that_name(
        text: str, expected: list[tuple[int, str]]) -> None:
    if bundled("espanol").structure.engine == "template":  # (its closer named in full)
        expected = [(line, message.replace("'fin' to", "'fin para' to"))
                    for line, message in expected]
    assert errors("espanol", text) == expected
    tree = parse(bundled("espanol"), text).root
    assert [kind_of(n) for n in tree.children()] == [K.FOR_STMT, K.EXPR_STMT]


def test_an_inner_loop_without_its_closer_among_loops_of_its_name_through_the_template(
        ) -> None:
    """As the keyword level, the closer named in full (its name as well as 'fin')."""
    text = NESTED_PARA.replace("END_INNER", "")
    assert engine_errors("espanol", "template", text) == [
        (4, "expected 'fin para' to close 'para p en precios hacer'")]


@pytest.mark.parametrize("text", [
    # closers of one name written deeper than their openers' lines (banner style)
    NESTED_PARA.replace("END_INNER", "        fin para\n"),
    NESTED_PARA.replace("END_INNER", "    fin para\n").replace("\nfin para\n", "\n    fin para\n"),
    # an ELSE deeper than its IF
    "si a > 1 entonces\n    a = 2\n        sino\n    a = 3\nfin si\n",
])
def test_valid_keyword_terminated_programs_laid_out_otherwise_have_no_errors(text: str) -> None:
    assert errors("espanol", text) == []


def test_an_else_if_chain_whose_last_block_lost_its_opener_is_not_reported_at_its_if() -> None:
    """Which part of a chain lost its '{' is not known: the error stays at the orphan
    '}', next to the part that lost it, not at the chain's first line."""
    text = ("fn f(t: int) -> int {\n    if (t < 0) {\n        return 1;\n"
            "    } else if (t < 9)\n        return 2;\n    } else {\n        return 3;\n"
            "    }\n}\n")
    assert errors("curly", text) == [(6, "'}' without '{'")]


def test_a_routines_begin_deleted_after_its_var_section_is_one_error() -> None:
    """The statements after the section are not declarations gone wrong: the section
    ends before the first one, and the routine reports its BEGIN missing there."""
    text = ("program p;\nprocedure P;\nvar\n  k : integer;\n  WriteLn(k);\n  k := 2;\n"
            "end;\nbegin\n  P;\nend.\n")
    assert engine_errors("pascal", "keywords", text) == [(4, "expected 'BEGIN'")]
    # (the template: where the body begins, as for a routine without its opener above)
    assert engine_errors("pascal", "template", text) == [
        (5, "expected 'BEGIN', found 'WriteLn'")]


@pytest.mark.parametrize("language, text, expected", [
    ("basic", BASIC_ROUTINES.replace("BODY", "").replace("END FUNCTION", "FUNCTION"),
     (4, "expected 'END FUNCTION', found 'FUNCTION'")),
    ("espanol", ESPANOL_ROUTINES.replace("BODY", "").replace("fin función", "función"),
     (3, "expected 'fin función', found 'función'")),
])
def test_a_closer_whose_end_was_deleted_is_one_error_and_closes_its_construct(
        language: str, text: str, expected: tuple[int, str]) -> None:
    """The construct's name alone on its line is what is left of its closer, not a new
    construct without a name that takes the rest of the file."""
    assert errors(language, text) == [expected]
    tree = parse(bundled(language), text).root
    assert [kind_of(n) for n in tree.children()] == [K.FUNCTION_DECL, K.FUNCTION_DECL]


@pytest.mark.parametrize("text, line", [
    # a WHEN's line deleted in the middle of a body: its lines are indented too deep,
    # and its OTHERWISE at the body's indentation is the rest of it
    ("teach f(a: int) -> int:\n    a = 1\n\n        a = 2\n    otherwise:\n"
     "        a = 3\n    give_back a\n", 4),
    # the first statement of a WHEN's body: the OTHERWISE after it is indented too deep
    ("teach f(a: int) -> int:\n    when a > 1:\n\n            a = 2\n        otherwise:\n"
     "            a = 3\n    give_back a\n", 5),
])
def test_an_indented_when_whose_header_was_deleted_is_one_error(text: str, line: int) -> None:
    assert errors("teachlang", text) == [(line, "unexpected indentation")]


def test_an_edit_in_an_else_part_that_an_orphans_layout_look_read_reparses_as_from_scratch(
        ) -> None:
    """An orphan '}' in an IF's first block read the layout down into the IF's ELSE
    part (how its closers line up): an edit there changes that block's look, so the
    ELSE part may not be parsed alone (found by a longer run of the differential test;
    it failed on main too)."""
    text = (ROOT / "examples" / "curly" / "report.cur").read_text(encoding="utf-8")
    assert_edits_reparse_as_fresh(bundled("curly"), text, [
        TextEdit(1067, 1068, "\n"), TextEdit(165, 176, "when x:\n"), TextEdit(283, 295, "1"),
        TextEdit(441, 441, "'")])


# kwrec12: a header's keyword deleted (its THEN, DO, OF, TO, '{' or ':' still there), a
# CASE's header line deleted, an IF line deleted inside another IF's ELSE part, routine
# headings that lost their keyword, name or parenthesis, a routine after a body that lost
# its END, a header indented too deep: one error each, on the mistake's line, and the
# statement after it is parsed (a second mistake there is found too)
@pytest.mark.parametrize("language, template, statement, kind", [
    ("pascal", PASCAL, "  x > 1 then\n    x := 2\n  else\n    x := 4;", K.IF_STMT),
    ("pascal", PASCAL, "  x > 1 do\n    x := 2;", K.WHILE_STMT),
    ("pascal", PASCAL, "  x := 1 to 3 do\n    x := 2;", K.FOR_STMT),
    ("pascal", PASCAL, "  x of\n    1: x := 2;\n    2, 3: x := 4\n  else\n    x := 5\n  end;",
     K.CASE_STMT),
    ("basic", BASIC, "    n > 1 THEN\n        PRINT 1\n    ELSE\n        PRINT 2\n    END IF",
     K.IF_STMT),
    ("espanol", ESPANOL, "    x en [1, 2] hacer\n        a = x\n    fin para", K.FOR_IN_STMT),
    ("espanol", ESPANOL, "    a > 1 entonces\n        a = 2\n    sino\n        a = 3\n    fin si",
     K.IF_STMT),
    ("curly", CURLY, "    (a > 1) {\n        a = 2;\n    } else {\n        a = 3;\n    }",
     K.IF_STMT),
    ("teachlang", TEACH, "    a > 1:\n        a = 2\n    otherwise:\n        a = 3", K.IF_STMT),
])
def test_a_header_whose_keyword_was_deleted_is_one_error_and_its_construct(
        language: str, template: str, statement: str, kind: str) -> None:
    text = program(template, statement)
    found = errors(language, text)
    assert [line for line, _ in found] == [text.count("\n", 0, text.index(statement)) + 1], found
    assert kind in {kind_of(n) for n in parse(bundled(language), text).root.descendants()}
    assert len(errors(language, program(template, statement, " +"))) == 2


@pytest.mark.parametrize("language, text, line", [
    # a CASE's header line deleted: its arms begin with literals, which no statement does
    ("pascal", "program p;\nvar x : integer;\nbegin\n  x := 1;\n    1: x := 2;\n"
               "    2, 3: x := 4\n  else\n    x := 5\n  end;\n  x := 0;\nend.\n", 5),
    # an IF line deleted inside another IF's ELSE part: its ELSE is no part of that IF
    ("basic", "SUB S(n AS INTEGER)\n    IF n > 1 THEN\n        PRINT 1\n    ELSE\n"
              "            PRINT 2\n        ELSE\n            PRINT 3\n        END IF\n"
              "    END IF\nEND SUB\n", 5),
    ("espanol", "procedimiento p(a: Entero)\n    si a > 1 entonces\n        a = 2\n    sino\n"
                "            a = 3\n        sino\n            a = 4\n        fin si\n"
                "    fin si\nfin procedimiento\n", 5),
    # routine headings: the name, the '(' or ')' or the keyword deleted
    ("pascal", "program p;\nprocedure (x : integer);\nbegin\n  x := 1;\nend;\n\nbegin\nend.\n", 2),
    ("pascal", "program p;\nP(VAR x : integer);\nbegin\n  x := 1;\nend;\n\nbegin\nend.\n", 2),
    ("pascal", "program p;\nfunction F(x : integer) : integer;\nbegin\n  F := x\n\n"
               "procedure Q;\nbegin\n  F(2);\nend;\n\nbegin\n  Q;\nend.\n", 4),
    ("basic", "Twice(n AS INTEGER) AS INTEGER\n    RETURN n * 2\nEND FUNCTION\nPRINT Twice(2)\n", 1),
    ("basic", "SUB (n AS INTEGER)\n    PRINT n\nEND SUB\nPRINT 1\n", 1),
    ("espanol", "doble(a: Entero): Entero\n    retornar a * 2\nfin función\n", 1),
    ("curly", "fn f( {\n    return 1;\n}\n\nfn g() {\n    f();\n}\n", 1),
    ("curly", "fn fa: int) -> int {\n    return a;\n}\n\nfn g() {\n    f(1);\n}\n", 1),
    ("curly", "fn main) -> void {\n    print(1);\n}\n", 1),
    ("curly", "twice(a: int) -> int {\n    return a * 2;\n}\n", 1),
    ("teachlang", "twice(a: int) -> int:\n    give_back a * 2\n\nshow(twice(1))\n", 1),
    # a block's END or '}' deleted where the layout is flat: the next routine at the
    # block's column ends it (the error after its last statement, not at the file's end)
    ("pascal", "program p;\nprocedure P;\nbegin\nif 1 > 0 then\nbegin\nWriteLn(1);\nend;\n\n"
               "procedure Q;\nbegin\nWriteLn(2);\nend;\n\nbegin\nP;\nend.\n", 7),
    ("curly", "fn f(a: int) -> int {\nif (a > 1) {\na = 2;\nreturn a;\n}\n\n"
              "fn g() -> int {\nreturn 1;\n}\n", 5),
    # a header indented deeper than its block: its body need not be deeper still
    ("teachlang", "teach f(a: int) -> int:\n    remember b = 0\n        when a > 1:\n"
                  "        b = 1\n    give_back b\n", 3),
])
def test_one_mistake_in_a_construct_or_a_heading_is_one_error_on_its_line(
        language: str, text: str, line: int) -> None:
    assert [at for at, _ in errors(language, text)] == [line], errors(language, text)


@pytest.mark.parametrize("language, text, kind", [
    # what the rules above look for, written correctly, is no mistake
    ("basic", "SUB Show(n AS INTEGER)\n    PRINT n\nEND SUB\nShow(2)\nShow(n)\n", K.EXPR_STMT),
    ("pascal", "program p;\nvar x : integer;\nbegin\n  case x of\n    1: x := 2;\n"
               "    2, 3: x := 4\n  end;\nend.\n", K.CASE_STMT),
    ("curly", "fn f(a: int) -> int {\n    let b: int = a;\n    return b;\n}\n", K.FUNCTION_DECL),
])
def test_forms_the_recovery_rules_look_for_parse_clean_when_written_correctly(
        language: str, text: str, kind: str) -> None:
    assert errors(language, text) == []
    assert kind in {kind_of(n) for n in parse(bundled(language), text).root.descendants()}


@pytest.mark.parametrize("language, text", [
    ("basic", "SUB S(n AS INTEGER)\n    IF n > 1 THEN\n        PRINT 1\n    ELSE\n"
              "            PRINT 2\n        ELSE\n            PRINT 3\n        END IF\n"
              "    END IF\nEND SUB\n"),
    ("teachlang", "teach f(a: int) -> int:\n    remember b = 0\n        when a > 1:\n"
                  "        b = 1\n    give_back b\n"),
    ("curly", "fn f(a: int) -> int {\nif (a > 1) {\nb = 1;\nreturn a;\n}\n\n"
              "fn g() -> int {\nreturn 1;\n}\n"),
])
def test_edits_around_the_new_recoveries_reparse_as_from_scratch(language: str,
                                                                 text: str) -> None:
    at = text.index("PRINT 3") if language == "basic" else text.index("b = 1")
    assert_edits_reparse_as_fresh(bundled(language), text, [
        TextEdit(at, at, "x"), TextEdit(at, at + 1, ""), TextEdit(at, at, "\n")])
