"""qbasic forms of the bas27 round: a statement's word before ':' is that statement, no
label (`READ:`, `PCOPY:`, `LINE:` are those statements without their arguments, which
they report); LONG and DOUBLE shown by their names (`structure.shown_types` of a
`type_name` rule's words), checked as before. Programs written for these tests."""
from __future__ import annotations

import io

from craftls.codegen.runner import interpret
from craftls.features.analysis import analyze_with_types
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse

from .test_qbasic_bas26 import shown_type
from .test_qbasic_basic19 import problems, qb


def refused(text: str) -> str:
    """What ``craftls run`` writes when it refuses the program."""
    out, err = io.StringIO(), io.StringIO()
    assert interpret(qb(), text, "prog", out, err, io.StringIO()) == 1
    return err.getvalue()


def labels(text: str) -> list[str]:
    analysis = analyze_with_types(parse(qb(), text), None)
    return [s.name for s in analysis.model.symbols if s.kind == "label"]


def syntax_errors(text: str) -> list[tuple[int, str]]:
    return [(text.count("\n", 0, e.start) + 1, e.message) for e in parse(qb(), text).errors]


def test_a_statement_word_before_a_colon_names_no_label() -> None:
    text = "DIM cells(4)\nWIDTH: PRINT \"w\"\nERASE: PRINT \"e\"\nSCREEN: SOUND: PCOPY: PRINT\n" \
           "KILL: PRINT\nGOTO finish\nfinish:\nEND\n"
    assert labels(text) == ["finish"]
    # WIDTH's arguments may all be left out; the others need theirs
    assert [(p[0], p[2]) for p in problems(text)] == [
        (3, "'ERASE' takes at least 1 arguments, 0 given"),
        (4, "'SOUND' takes 2 arguments, 0 given"),
        (4, "'PCOPY' takes 2 arguments, 0 given"),
        (5, "'KILL' takes 1 argument, 0 given")]


def test_read_before_a_colon_is_a_read_without_its_variables() -> None:
    text = "DATA 1, 2\nREAD: PRINT \"r\"\nREAD first, second\nPRINT first + second\n"
    assert labels(text) == []
    assert syntax_errors(text) == [(2, "expected variable, found ':'")]
    # no call of an undefined READ either
    assert [p[1] for p in problems(text)] == ["syntax"]


def test_read_takes_no_variable_of_the_next_line() -> None:
    text = "DATA 1\nREAD\ncount = 2\nPRINT count\n"
    assert syntax_errors(text) == [(2, "expected variable, found the end of the line")]
    analysis = analyze_with_types(parse(qb(), text), None)
    assert not [d for d in analysis.diagnostics if d.code == "unused-variable"]


def test_line_needs_its_corners() -> None:
    text = "SCREEN 12\nLINE: PRINT \"l\"\nLINE (0, 0)-(9, 9), 4, BF: LINE -(20, 20)\n" \
           "LINE INPUT answer$\nPRINT answer$\n"
    assert labels(text) == []
    assert syntax_errors(text) == [(2, "expected coordinates, found ':'")]


def test_key_list_is_a_statement() -> None:
    text = "KEY LIST: KEY ON\nKEY 1, \"HELP\"\nKEY(1) ON\n"
    # LIST is no variable passed to a SUB KEY (which would be never used)
    assert analyze_with_types(parse(qb(), text), None).diagnostics == []


WIDE = """DEFDBL D
DEFLNG L
DIM table(5) AS DOUBLE
DIM whole AS LONG, part AS SINGLE
dist = 1.5
lines = 3
table(1) = dist
FUNCTION Area# (w AS DOUBLE, n AS LONG)
    Area# = w * n
END FUNCTION
SUB Take (k AS INTEGER, s AS SINGLE)
    PRINT k, s
END SUB
Take lines, dist
total& = lines + whole
ratio# = Area#(dist, lines) / 2
part = ratio#
count% = total&
PRINT table(1), total&, ratio#, part, count%
"""


def test_long_and_double_are_shown_by_their_names() -> None:
    assert shown_type(WIDE, "dist") == "DOUBLE"  # DEFDBL D
    assert shown_type(WIDE, "lines") == "LONG"  # DEFLNG L
    assert shown_type(WIDE, "whole") == "LONG"  # AS LONG
    assert shown_type(WIDE, "part") == "SINGLE"
    assert shown_type(WIDE, "table") == "[DOUBLE]"
    assert shown_type(WIDE, "total&") == "LONG"  # its mark
    assert shown_type(WIDE, "ratio#", 1) == "DOUBLE"  # and where it is used
    assert shown_type(WIDE, "count%") == "INTEGER"
    assert shown_type(WIDE, "Area#") == "fn(w: DOUBLE, n: LONG) -> DOUBLE"


def test_long_and_double_are_checked_as_whole_numbers_and_reals() -> None:
    # numbers of every width go into each other; a text into none
    assert problems(WIDE) == []
    found = problems(WIDE + 'dist = "far"\nwhole = "many"\nratio# = "r"\n')
    assert [(p[0], p[2]) for p in found] == [
        (20, "Cannot assign to 'dist': expected DOUBLE, found STRING"),
        (21, "Cannot assign to 'whole': expected LONG, found STRING"),
        (22, "Cannot assign to 'ratio#': expected DOUBLE, found STRING")]


SHOWN = """name: T
id: t
extensions: ['.t']
structure:
  shown_types: [DOUBLE, Real]
grammar:
  start: program
  rules:
    program: "decl*"
    decl:
      match: "'DIM' IDENT 'AS' type_word"
      declares: variable
    type_word:
      match: "'DOUBLE' / 'SINGLE'"
      run: {is: type_name, types: {DOUBLE: float, SINGLE: float}}
"""


def test_a_shown_type_may_be_a_type_word_of_the_grammar() -> None:
    definition, found = load_definition_text(SHOWN)
    assert definition is not None
    assert [(p.severity, p.message) for p in found] == [
        ("warning", "shown type 'Real' is no name of 'types' nor a type word of a "
                    "'type_name' rule: it is shown by nothing")]


ROUTINES = """DIM table(3) AS FUNCTION (n AS LONG) AS LONG
DIM handlers(2) AS SUB (n AS LONG, s AS STRING)
count = table(1)(2) + 1
PRINT table(2)(count); count
handlers(1)(2, "a")
DIM cells(3)
PRINT cells(1) (2)
"""


def test_an_element_of_an_array_of_routines_is_called_in_an_expression() -> None:
    # FreeBASIC: table(1) is a FUNCTION, called with (2) (QB64 has no routine types)
    assert syntax_errors(ROUTINES) == []
    assert problems(ROUTINES) == []
    analysis = analyze_with_types(parse(qb(), ROUTINES), None)
    assert not [d for d in analysis.diagnostics if d.code == "unused-variable"]


def test_values_may_come_before_using_in_a_print() -> None:
    # QB64's and FreeBASIC's PRINT [#n,] [values;] USING fmt; values
    text = 'score = 92.5\nwho$ = "Ann"\nPRINT who$; TAB(20); "  "; USING "###.#%"; score\n' \
           'LPRINT who$; USING "##"; score;\nOPEN "r.txt" FOR OUTPUT AS #3\n' \
           'PRINT #3, who$; " "; USING "###.#"; score, score\nPRINT USING "##"; score\n'
    assert syntax_errors(text) == []
    assert problems(text) == []
    assert syntax_errors("PRINT 1; USING\n") == [(1, "expected expression, found the end of the file")]
    # run and build refuse it at its place (they format USING first only)
    assert "prog:1:12: error: 'print using after' (its rule has no run: annotation) is not " \
        "supported by craftls run/build" in refused('PRINT "a"; USING "##"; 5\n')


def unused(text: str) -> list[str]:
    analysis = analyze_with_types(parse(qb(), text), None)
    return [d.message for d in analysis.diagnostics if d.code == "unused-variable"]


STORES = """TYPE Param
    Type AS LONG
    count AS LONG
END TYPE
DIM p AS Param
DIM kind AS LONG, many AS LONG
kind = 4: many = 2
WITH p
    .Type = kind
    .count = many
END WITH
PRINT p.count
SUB Fill (BYVAL dest AS LONG PTR, BYVAL n AS LONG)
    DIM AS LONG PTR at = dest
    DIM last AS LONG
    * at = n
    at += 1
    last = *(at - 1)
    *(at + 1) = last
END SUB
"""


def test_a_field_of_a_with_block_or_a_store_through_a_pointer_assigns_no_variable() -> None:
    # the names on the right are read: before, `.count = many` assigned `many`, and
    # `.Type = kind` (a field spelled as a keyword) too; `* at = n` assigned `at`
    assert unused(STORES) == []
    assert problems(STORES) == []
    # a name nothing declares there is read, so undefined
    found = problems(STORES.replace(".count = many", ".count = plenty"))
    assert [(p[0], p[2]) for p in found] == [(10, "undefined name 'plenty'")]


def test_a_type_s_width_is_on_its_line() -> None:
    # `DIM last AS LONG` then `*at = 5`: no LONG * at (a width), but a store
    text = "SUB Put (BYVAL at AS LONG PTR)\n    DIM last AS LONG\n    *at = 5\n" \
           "    last = *at\n    PRINT last\nEND SUB\nDIM s AS STRING * 8\nPRINT s\n"
    assert syntax_errors(text) == []
    assert problems(text) == [] and unused(text) == []
    assert shown_type(text, "s AS") == "STRING"
