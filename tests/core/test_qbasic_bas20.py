"""qbasic forms the bas20 corpus showed: a one-line IF ended by END IF, a TYPE's STATIC
field defined with STATIC at the module level, LINE drawing on an image given first.
Programs written for these tests."""
from __future__ import annotations

from .test_qbasic_basic19 import problems

ONE_LINE_END_IF = """DIM AS LONG a = 2, b = 1, c = 0
IF a > b THEN SWAP a, b : c = 1 : END IF
IF (c = 1) THEN PRINT "swapped" ELSE PRINT "kept" : END IF
IF a < b THEN c = 2: END IF
PRINT a; b; c
"""


def test_a_one_line_if_may_end_with_end_if() -> None:
    assert problems(ONE_LINE_END_IF) == []


def test_end_if_on_a_one_line_if_does_not_close_the_block_around_it() -> None:
    # the block IF still needs its own END IF: one error, at the end of the file
    found = problems("DIM x AS LONG\nIF x = 0 THEN\n    IF x < 1 THEN x = 1 : END IF\n")
    assert len(found) == 1 and found[0][1] == "syntax"


STATIC_MEMBERS = """TYPE Counter
    DECLARE STATIC SUB bump (AS LONG)
    STATIC AS LONG total
    STATIC AS STRING label
    STATIC made AS DOUBLE
END TYPE
STATIC AS LONG Counter.total
STATIC AS STRING Counter.label = "clicks"
STATIC Counter.made AS DOUBLE = 1.5
SUB Counter.bump (by AS LONG)
    total = total + by
    PRINT label; made
END SUB
Counter.bump 3
"""


def test_static_defines_a_types_static_field_at_the_module_level() -> None:
    assert problems(STATIC_MEMBERS) == []


def test_a_static_variable_is_still_a_static_statement() -> None:
    text = "SUB Tick\n    STATIC calls AS LONG\n    calls = calls + 1\n    PRINT calls\nEND SUB\nTick\n"
    assert problems(text) == []


DRAW_ON_IMAGE = """DIM AS ANY PTR img = IMAGECREATE(64, 64)
DIM AS LONG x = 3, y = 4
LINE img, (0, 0)-(x, y), RGB(255, 0, 0), BF
LINE img, -(x * 2, y * 2), 7
LINE (0, 0)-(x, y), 2
LINE -(9, 9)
IMAGEDESTROY img
"""


def test_line_may_draw_on_an_image_named_first() -> None:
    assert problems(DRAW_ON_IMAGE) == []


def test_line_without_coordinates_after_the_image_is_reported() -> None:
    assert [code for _, code, _ in problems("DIM AS ANY PTR img\nLINE img, 7 8\n")] == ["syntax"]
