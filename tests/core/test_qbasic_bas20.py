"""qbasic forms the bas20 corpus showed: a one-line IF ended by END IF, a TYPE's STATIC
field defined with STATIC at the module level, LINE drawing on an image given first, a
routine an included header only DECLAREs called without its type mark, $USELIBRARY, a
field a method assigns.
Programs written for these tests."""
from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import BUNDLED_DIR
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse

from .test_qbasic_basic19 import problems, qb
from .test_qbasic_passed_and_included import check
from .test_qbasic_passed_and_included import problems as included_problems_of


def included_problems(text: str, path: Path) -> list[tuple[str, str]]:
    return included_problems_of(check(text, path))

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


def test_a_routine_an_included_header_only_declares_is_called_without_its_mark(
        tmp_path: Path) -> None:
    """A QuickBASIC library's header DECLAREs FUNCTION Area% (...); the program calls it
    as Area(...), as it may a FUNCTION defined in a file it includes."""
    (tmp_path / "SHAPES.BI").write_text(
        "DEFINT A-Z\nDECLARE FUNCTION Area% (BYVAL w%, BYVAL h%)\nDECLARE SUB Frame (n%)\n",
        encoding="utf-8")
    (tmp_path / "demo").mkdir()
    text = "REM $INCLUDE: 'Shapes.bi'\nDEFINT A-Z\nsize = Area(3, 4) + Area%(1, 1)\nFrame size\n"
    assert included_problems(text, tmp_path / "demo" / "main.bas") == []
    # a name the header does not declare is still reported
    found = included_problems(text.replace("Area(3", "Aera(3"), tmp_path / "demo" / "main.bas")
    assert [code for code, _ in found] == ["undefined-name"]


def test_a_library_the_installation_ships_leaves_names_unknown_and_says_so(
        tmp_path: Path) -> None:
    """QB64-PE's $USELIBRARY:'author/name' pulls in a library of its Libraries Pack: no
    file is looked for, its routines are no undefined names, and a hint says why."""
    text = "$USELIBRARY:'someone/Lists'\nList_Add 3\nPRINT List_Count\n"
    found = check(text, tmp_path / "main.bas").diagnostics
    assert [(d.severity, d.code) for d in found] == [("hint", "library-include")]
    assert text[found[0].start:found[0].end] == "someone/Lists"
    # without it the same names are undefined
    plain = included_problems(text.split("\n", 1)[1], tmp_path / "main.bas")
    assert [code for code, _ in plain] == ["undefined-name", "undefined-name"]


def test_a_library_use_pattern_needs_a_group() -> None:
    text = (BUNDLED_DIR / "qbasic.yaml").read_text(encoding="utf-8").replace(
        ":[ \\\\t]*'([^'\\\\r\\\\n]+)'\"", ":[ \\\\t]*'[^'\\\\r\\\\n]+'\"", 1)
    definition, found = load_definition_text(text)
    errors = [p.message for p in found if p.severity == "error"]
    assert len(errors) == 1 and "USELIBRARY" in errors[0] and "has no group" in errors[0]
    assert definition is None


FIELDS_ASSIGNED = """TYPE Point2
    DECLARE CONSTRUCTOR (AS SINGLE, AS SINGLE)
    DECLARE SUB moveBy (AS SINGLE)
    AS SINGLE x, y
END TYPE
CONSTRUCTOR Point2 (ax AS SINGLE, ay AS SINGLE)
    x = ax : y = ay
END CONSTRUCTOR
SUB Point2.moveBy (d AS SINGLE)
    x = x + d
    scratch = d * 2
END SUB
DIM p AS Point2 = Point2(1, 2)
p.moveBy 3
PRINT p.x; p.y
"""


def test_a_field_a_methods_body_assigns_is_the_field() -> None:
    """x = ax in a CONSTRUCTOR or a method assigns the field x (no variable x of the
    body, never used); a name that is no field is still a variable of the body."""
    found = analyze_with_types(parse(qb(), FIELDS_ASSIGNED), None)
    unused = [FIELDS_ASSIGNED[d.start:d.end] for d in found.diagnostics
              if d.code == "unused-variable"]
    assert unused == ["scratch"]
    model = found.model
    at = FIELDS_ASSIGNED.index("x = ax")
    symbol = model.symbol_at(at)
    assert symbol is not None and symbol.start == FIELDS_ASSIGNED.index("x, y")
