"""qbasic forms of the bas27 round: a statement's word before ':' is that statement, no
label (`READ:`, `PCOPY:`, `LINE:` are those statements without their arguments, which
they report). Programs written for these tests."""
from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_qbasic_basic19 import problems, qb


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
