"""qbasic forms real FreeBASIC and QB64 programs use (the basic16 corpus): a name declared
in two branches of one IF (`branches_at`), a SUB called bare with a missing argument, a
type named through `#define`, `UNSIGNED`, a method called in a WITH block, `DELETE[]`
and an array called `preserve`. Programs written for these tests."""
from __future__ import annotations

import re
from functools import cache

import pytest

from craftls.cli.editor_cmd import emacs_mode, textmate_grammar
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse


@cache
def qb() -> LanguageDefinition:
    return bundled("qbasic")


def analysis(text: str) -> FileAnalysis:
    return analyze_with_types(parse(qb(), text))


def problems(text: str) -> list[tuple[int, str, str]]:
    """(line, code, message) of the errors and warnings, hints left out."""
    found = analysis(text)
    lines = [text.count("\n", 0, d.start) + 1 for d in found.diagnostics]
    return [(line, d.code, d.message) for line, d in zip(lines, found.diagnostics, strict=True)
            if d.severity in ("error", "warning")]


BRANCHES = """SUB Pick (c AS INTEGER)
    IF c = 1 THEN
        VAR label = "one"
        PRINT label
    ELSEIF c = 2 THEN
        VAR label = "two"
        PRINT label
    ELSE
        VAR label = "many"
        PRINT label
    END IF
    IF c THEN DIM k AS INTEGER ELSE DIM k AS LONG
END SUB
"""


def test_a_name_declared_in_each_branch_of_an_if_is_no_duplicate() -> None:
    """FreeBASIC: each branch of an IF is a block of its own; the THEN, ELSEIF and ELSE
    parts of a block IF and the two parts of a one-line IF may each declare the name."""
    assert problems(BRANCHES) == []


def test_a_name_declared_twice_in_one_branch_is_still_a_duplicate() -> None:
    text = ("SUB Pick (c AS INTEGER)\n    IF c THEN\n        DIM k AS INTEGER\n"
            "        DIM k AS LONG\n    ELSE\n        DIM k AS LONG\n    END IF\nEND SUB\n")
    assert [(line, code) for line, code, _ in problems(text)] == [
        (4, "duplicate-declaration")]


CALLS = """SUB Show (n AS INTEGER)
    PRINT n
END SUB
SUB Hello
    PRINT "hello"
END SUB
SUB Greet (who AS STRING = "you")
    PRINT who
END SUB
Show
CALL Show
Show 1
Hello
CALL Hello
Greet
"""


def test_a_sub_called_bare_is_a_call_without_arguments() -> None:
    """`Show` alone (and `CALL Show`) passes no argument to a SUB that takes one: an
    argument-count error at the name; a SUB without parameters, or whose parameters all
    have default values, may be called so."""
    assert problems(CALLS) == [
        (10, "argument-count", "'Show' takes 1 argument, 0 given"),
        (11, "argument-count", "'Show' takes 1 argument, 0 given")]


DEFINED_TYPE = """#define UINT unsigned integer
#define BYTEPTR UBYTE PTR
DECLARE FUNCTION Sum (BYVAL a AS UINT, BYVAL b AS UINT) AS UINT
FUNCTION Sum (BYVAL a AS UINT, BYVAL b AS UINT) AS UINT
    DIM total AS UINT = a + b
    RETURN total
END FUNCTION
DIM p AS BYTEPTR
DIM q AS UNSIGNED LONG
PRINT Sum(1, 2), p, q
"""


def test_a_type_named_by_a_define_and_unsigned_types() -> None:
    """`#define UINT unsigned integer` then `AS UINT`: the use parses as the macro's
    body, FreeBASIC's UNSIGNED before an integer type; the calls count two arguments."""
    parsed = parse(qb(), DEFINED_TYPE)
    assert parsed.errors == []
    assert problems(DEFINED_TYPE) == []
    wrong = DEFINED_TYPE.replace("PRINT Sum(1, 2)", "PRINT Sum(1)")
    assert [(line, code) for line, code, _ in problems(wrong)] == [(10, "argument-count")]


def test_unsigned_alone_is_still_a_type_name() -> None:
    """UNSIGNED is matched by its text before a type only: a TYPE may be called so."""
    text = "TYPE Unsigned\n    v AS LONG\nEND TYPE\nDIM u AS Unsigned\nu.v = 1\nPRINT u.v\n"
    assert parse(qb(), text).errors == []
    assert problems(text) == []


WITH_BLOCK = """TYPE Counter
    total AS LONG
    DECLARE SUB Add (n AS LONG)
    DECLARE SUB Reset
END TYPE
SUB Counter.Add (n AS LONG)
    total += n
END SUB
SUB Counter.Reset
    total = 0
END SUB
DIM c AS Counter
WITH c
    .Reset
    .Add 2
    .Add(3)
    PRINT .total
END WITH
DIM values AS LONG PTR = NEW LONG[10]
DELETE[] values
"""


def test_a_method_called_in_a_with_block_and_delete_of_an_array() -> None:
    parsed = parse(qb(), WITH_BLOCK)
    assert parsed.errors == []
    assert problems(WITH_BLOCK) == []


@pytest.mark.parametrize("text", [
    "REDIM preserve(10) AS INTEGER\npreserve(1) = 2\nPRINT preserve(1)\n",
    "REDIM preserve(10)\nREDIM PRESERVE preserve(20)\nPRINT preserve(1)\n",
    "REDIM a(5)\nREDIM _PRESERVE a(9)\nREDIM PRESERVE SHARED b(3)\nPRINT a(1), b(1)\n",
])
def test_an_array_called_preserve(text: str) -> None:
    """PRESERVE after REDIM is the word only when an array follows it: `REDIM
    preserve(10)` resizes the array called preserve."""
    assert parse(qb(), text).errors == []
    assert problems(text) == []


def test_editors_colour_preserve_after_redim_only() -> None:
    """PRESERVE is no keyword (a parameter may be called preserve), so the generated
    TextMate grammar and Emacs mode colour it, as the grammar reads it, right after
    REDIM (the words a grammar matches by their text after a keyword: END WITH too)."""
    patterns = textmate_grammar(qb())["repository"]["words"]["patterns"]
    contextual = [re.compile(p["match"]) for p in patterns if "captures" in p]
    found = [m.group(1, 3) for line in ("REDIM PRESERVE a(9)", "redim _preserve b(2)",
                                        "END WITH", "SUB s (preserve AS LONG)", "preserve = 1")
             for c in contextual if (m := c.match(line))]
    assert found == [("REDIM", "PRESERVE"), ("redim", "_preserve"), ("END", "WITH")]
    mode = emacs_mode(qb())
    assert '(regexp-opt \'("REDIM")) "[ \\t]+\\\\(" (regexp-opt \'("_PRESERVE" "PRESERVE"))' \
        in mode
