"""qbasic forms of FreeBASIC the basic19 corpus showed: a TYPE's value in parentheses,
unnamed array parameters, EXIT DO, DO, bit fields, EXTERN variables, !"..." strings with
escaped quotes, `#if 0` regions, HEX$'s digits. Programs written for these tests."""
from __future__ import annotations

from functools import cache

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition
from craftls.syntax.parse import parse


@cache
def qb() -> LanguageDefinition:
    return bundled("qbasic")


def problems(text: str) -> list[tuple[int, str, str]]:
    """(line, code, message) of the errors and warnings, unused variables left out."""
    found = analyze_with_types(parse(qb(), text), None)
    return [(text.count("\n", 0, d.start) + 1, d.code, d.message) for d in found.diagnostics
            if d.severity in ("error", "warning") and d.code != "unused-variable"]


TUPLES = """TYPE Vec3
    AS SINGLE x, y, z
END TYPE
TYPE Camera
    AS Vec3 eye = (0, 0, -5), up = (0, 1, 0)
    lookat AS Vec3 = (0, 0, 0)
END TYPE
TYPE Grid
    DECLARE SUB Blend (() AS SINGLE, weights() AS SINGLE)
    AS LONG cells
END TYPE
SUB Grid.Blend (src() AS SINGLE, weights() AS SINGLE)
    cells = UBOUND(src) + UBOUND(weights)
END SUB
DIM cam AS Camera
DIM AS Vec3 corner = (1, 2, 3), nested(1) = {(1, 1, 1), (2, 2, 2)}
PRINT cam.eye.z + corner.x + nested(1).y
"""


def test_a_type_s_value_in_parentheses_and_an_unnamed_array_parameter() -> None:
    """`AS Vec3 eye = (0, 0, -5)` in a TYPE and in a DIM (also inside braces), and a
    declaration's array parameter without a name, `() AS SINGLE`."""
    assert problems(TUPLES) == []


def test_parentheses_with_one_value_stay_an_expression() -> None:
    assert problems("DIM AS LONG n = (2 + 3) * 4\nPRINT n\n") == []
    assert [code for _, code, _ in problems("DIM AS LONG n = (2 + 3\nPRINT n\n")] == ["syntax"]


LOOPS = """DIM AS LONG i, j, hits
FOR i = 1 TO 9
    FOR j = 1 TO 9
        IF i * j = 12 THEN hits += 1: CONTINUE FOR, FOR
        IF i * j > 60 THEN EXIT FOR, FOR
    NEXT
NEXT
DO
    DO
        hits -= 1
        IF hits < 0 THEN EXIT DO, DO
    LOOP
LOOP
PRINT hits
"""


def test_leaving_several_loops_at_once() -> None:
    assert problems(LOOPS) == []


def test_exit_names_loops_only_after_its_comma() -> None:
    found = problems("DO\n    EXIT DO, SUB\nLOOP\n")
    assert [(line, code) for line, code, _ in found] == [(2, "syntax")]


BITS = """TYPE Pixel FIELD = 1
    AS UBYTE red : 5, green : 6
    blue : 5 AS UBYTE
    AS LONG alpha
END TYPE
DIM p AS Pixel
p.red = 31: p.blue = p.green
PRINT p.alpha
"""


def test_bit_fields_in_both_spellings() -> None:
    assert problems(BITS) == []


EXTERNS = """EXTERN frameCount AS LONG
EXTERN palette(0 TO 15) ALIAS "pal_table" AS ULONG
EXTERN AS DOUBLE elapsed, budget
PRINT frameCount, palette(3), elapsed / budget
"""


def test_extern_variables_are_declared() -> None:
    """EXTERN names a variable another module defines: no undefined name where it is used."""
    assert problems(EXTERNS) == []


def test_an_extern_block_still_takes_its_declarations() -> None:
    text = 'EXTERN "C"\n    DECLARE FUNCTION tick () AS LONG\nEND EXTERN\nPRINT tick()\n'
    assert problems(text) == []


def test_escaped_quotes_in_a_bang_string() -> None:
    text = 'DIM AS STRING title = !"Say \\"hi\\"\\tnow"\nPRINT title; "plain \\"\n'
    assert problems(text) == []


def test_a_plain_string_s_backslash_still_ends_nothing() -> None:
    """Without the `!` a backslash is a character: the quote after it ends the string
    (what follows, b, is then a name)."""
    found = problems('PRINT "a\\"b"\n')
    assert [(code, "'b'" in message) for _, code, message in found] == [("undefined-name", True)]


SWITCHED_OFF = """DIM AS LONG total
#if 0
    this line ( is no BASIC at all
#else
    total = 1
#endif
PRINT total
"""


def test_an_if_0_region_is_skipped_and_its_else_read() -> None:
    assert problems(SWITCHED_OFF) == []
    # an `#if` on a name is not known false: its first branch is read
    found = problems(SWITCHED_OFF.replace("#if 0", "#if DEBUG"))
    assert [(line, code) for line, code, _ in found][:1] == [(3, "syntax")]


def test_hex_and_oct_take_a_digit_count() -> None:
    assert problems('PRINT HEX$(255, 4); OCT$(8, 3)\nBLOAD "pic.bmp", 0, 0\n') == []
    found = problems("PRINT HEX$(255, 4, 1)\n")
    assert [code for _, code, _ in found] == ["argument-count"]


KEYWORD_MACRO = """#define LOCAL private
#define AS_REAL as single
LOCAL FUNCTION Half (x AS_REAL) AS_REAL
    RETURN x / 2
END FUNCTION
LOCAL FUNCTION Quarter (x AS_REAL) AS_REAL
    RETURN Half(Half(x))
END FUNCTION
PRINT Quarter(8)
"""


def test_a_macro_standing_for_a_keyword_is_no_declared_name() -> None:
    """`LOCAL FUNCTION Half`: the function declares Half, not the macro's name LOCAL
    (before: LOCAL twice, a duplicate, and Half undefined)."""
    assert problems(KEYWORD_MACRO) == []


def test_a_macro_standing_for_a_value_is_still_its_reference() -> None:
    """A macro use whose body is a name or a number stays a reference to the macro:
    go-to-definition from the use reaches the #define line."""
    text = "#define LIMIT 10\nPRINT LIMIT\n"
    found = analyze_with_types(parse(qb(), text), None)
    use = text.rindex("LIMIT")
    targets = [s for s in found.model.symbols if s.name == "LIMIT"]
    assert targets and any(use in [r.start for r in found.model.references_to(s)]
                           for s in targets)


def test_qb64_exit_case_leaves_the_select() -> None:
    text = ("DIM k AS LONG\nSELECT CASE k\n    CASE 1\n        IF k > 0 THEN EXIT CASE\n"
            "        PRINT k\n    CASE ELSE\n        EXIT SELECT\nEND SELECT\n")
    assert problems(text) == []


WITH_CALLS = """TYPE Vec3
    AS SINGLE x, y, z
END TYPE
TYPE Shape
    DECLARE SUB Place (n AS LONG, at AS Vec3 = (0, 0, 0))
    DECLARE SUB Scale (w AS SINGLE, h AS SINGLE)
    AS LONG id
    AS SINGLE w, h
END TYPE
SUB Shape.Place (n AS LONG, at AS Vec3 = (0, 0, 0))
    id = n
END SUB
SUB Shape.Scale (w AS SINGLE, h AS SINGLE)
    This.w = w: This.h = h
END SUB
TYPE Scene
    AS Shape items(3)
    AS LONG last
END TYPE
DIM s AS Scene
DIM p AS Scene PTR = @s
WITH *p
    .items(.last).Place 1
    .items(0).Scale .items(1).w / 2, .items(1).h / 2
    .last += 1
END WITH
"""


def test_with_calls_through_an_element_and_with_member_arguments() -> None:
    """In a WITH block a method of an element (`.items(i).Place 1`) and a call whose
    first argument starts with a member (`.Scale .w / 2, ...`); a parameter's default
    may be a TYPE's value in parentheses."""
    assert problems(WITH_CALLS) == []
