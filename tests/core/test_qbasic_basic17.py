"""qbasic forms real FreeBASIC, QB64 and QBJS programs use (the basic17 corpus): procedure
heading attributes, varargs, names spelled as keywords, a '_' ending a FreeBASIC name,
QBJS's `$IF JAVASCRIPT` and IMPORT, names token-pasting macros make, and the parameters
of library prototypes. Programs written for these tests."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import BUNDLED_DIR, bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse


@cache
def qb() -> LanguageDefinition:
    return bundled("qbasic")


def analysis(text: str, path: Path | None = None) -> FileAnalysis:
    return analyze_with_types(parse(qb(), text), path)


def problems(text: str, path: Path | None = None) -> list[tuple[int, str, str]]:
    """(line, code, message) of the errors and warnings, hints left out."""
    found = analysis(text, path)
    return [(text.count("\n", 0, d.start) + 1, d.code, d.message) for d in found.diagnostics
            if d.severity in ("error", "warning")]


HEADINGS = """#include once "crt.bi"
DIM SHARED ready AS LONG
SUB Setup CONSTRUCTOR 101
    ready = 1
END SUB
SUB Teardown DESTRUCTOR
    ready = 0
END SUB
SUB Mix CDECL (BYVAL buffer AS ANY PTR, BYVAL frames AS ULONG)
    PRINT frames
END SUB
FUNCTION Sum ALIAS "sum_all" (a AS LONG, b AS LONG) AS LONG EXPORT
    RETURN a + b
END FUNCTION
DECLARE SUB Trace (BYVAL level AS LONG, BYVAL text AS ZSTRING PTR, ...)
DIM AS SINGLE weights(...) = {0.5, 1.5}
DIM AS LONG steps(1) => {1, 2}
Mix 0, 2
PRINT Sum(1, 2), weights(0), steps(1)
Trace 1, "a", 2, 3
"""


def test_freebasic_heading_attributes_varargs_and_arrow_initializers() -> None:
    """Module constructors and destructors (with a priority), a calling convention and
    ALIAS before the parameters, EXPORT after them, `...` in a declaration and an array's
    bound, and `=>` before an initializer."""
    assert problems(HEADINGS) == []


KEYWORD_NAMES = """TYPE Picture
    data AS ANY PTR
    width AS LONG
    AS LONG type, format
END TYPE
DECLARE SUB Upload (BYVAL data AS ANY PTR, BYVAL type AS LONG)
DIM p AS Picture
p.width = 2
Upload p.data, p.width
"""


def test_a_field_or_a_declared_parameter_may_be_spelled_as_a_keyword() -> None:
    assert problems(KEYWORD_NAMES) == []


TYPES = """#include "fbgfx.bi"
TYPE AS Engine Engine_
ENUM
    OFF_STATE = 0
    ON_STATE
END ENUM
TYPE Holder
    ENUM Mode
        modeA
        modeB
    END ENUM
    #ifdef WITH_NAME
    label AS STRING * 4 - 1
    #endif
    m AS Mode
END TYPE
TYPE tMatte_
    shade AS SINGLE
END TYPE
DIM h AS Holder
DIM t AS tMatte_
COMMON SHARED AS LONG counter, total
SELECT CASE AS CONST h.m
CASE 0
    PRINT ON_STATE
END SELECT
PRINT t.shade, counter, total, OFF_STATE
"""


def test_anonymous_enums_enums_in_a_type_and_a_name_ending_in_an_underscore() -> None:
    """An ENUM with no name (its members on the next lines), an ENUM and a preprocessor
    line inside a TYPE, TYPE AS T name, STRING * 4 - 1, COMMON SHARED AS T, SELECT CASE
    AS CONST; in a FreeBASIC file (one with a preprocessor line) `tMatte_` at a line's
    end is a name, not a line continuation."""
    assert problems(TYPES) == []


def test_without_a_preprocessor_line_a_final_underscore_still_continues_the_line() -> None:
    """QB64 reads `total = a_` at a line's end as a continuation: the FreeBASIC reading
    is only for files that are FreeBASIC's."""
    text = "a = 1: b = 2\ntotal = a_\n    + b\nPRINT total\n"
    assert problems(text) == []
    assert problems("#include \"x.bi\"\n" + text) != []


METHODS = """TYPE Canvas
    DECLARE SUB Line (x AS LONG)
    DECLARE SUB Line (x AS STRING)
    x AS LONG
END TYPE
SUB Canvas.Line (x AS LONG)
    PRINT x
END SUB
SUB Canvas.Line (x AS STRING)
    PRINT x
END SUB
DIM handlers(2) AS SUB (n AS LONG)
DIM c AS Canvas PTR
handlers(1)(2)
c[0].Line 3
"""


def test_methods_overload_without_the_mark_and_statements_call_through_indexes() -> None:
    """Two bodies of one method with other parameters are no duplicate (FreeBASIC's
    methods overload without OVERLOAD); `handlers(1)(2)` and `c[0].Line 3` are calls."""
    assert problems(METHODS) == []


def test_a_method_body_written_twice_in_a_plain_sub_is_still_a_duplicate() -> None:
    text = "SUB Draw (x AS LONG)\nEND SUB\nSUB Draw (x AS LONG)\nEND SUB\n"
    assert [c for _, c, _ in problems(text)] == ["duplicate-declaration"]


QBJS = """Import Sys From "./system.bas"
Export Twice
Function Twice (s As String)
$If Javascript Then
    if (s == undefined) { s = ""; }
$Else
    Twice = Sys.ToString(s) + s
$End If
End Function
$IF WIN THEN
    PRINT Twice("a")
$END IF
"""


def test_qbjs_javascript_blocks_are_skipped_and_its_imports_name_modules() -> None:
    """QB64 sets no JAVASCRIPT (`grammar.preprocessor.unset`): the first branch of
    `$IF JAVASCRIPT THEN` is skipped, its `$ELSE` branch read; `$IF WIN` is read as
    before. IMPORT names a module."""
    assert problems(QBJS) == []
    # the $ELSE branch is parsed: a mistake in it is reported
    broken = QBJS.replace("Twice = Sys.ToString(s) + s", "Twice = = s")
    assert [c for _, c, _ in problems(broken)] == ["syntax"]


def test_an_inner_conditional_in_a_skipped_branch_ends_nothing() -> None:
    text = ("$IF JAVASCRIPT THEN\n$IF WIN THEN\nx {\n$ELSE\ny }\n$END IF\nz {\n$ELSE\n"
            "PRINT 1\n$END IF\n")
    assert problems(text) == []


PASTING = """#define declare_fn(n) DIM SHARED AS t##n n
TYPE tOpen AS FUNCTION (BYVAL f AS LONG) AS LONG
TYPE tShut AS FUNCTION () AS LONG
declare_fn(Open_)
declare_fn(Shut)
IF Shut() THEN PRINT Open_(1)
PRINT Other
"""


def test_names_a_token_pasting_macro_makes_are_no_undefined_names() -> None:
    """The macro is not expanded: the names its uses pass and make may exist, so they
    are never reported undefined; a name no macro use gives still is."""
    assert problems(PASTING) == [(7, "undefined-name", "undefined name 'Other'")]


def test_an_includer_knows_the_names_a_pasting_macro_of_the_included_file_makes(
        tmp_path: Path) -> None:
    (tmp_path / "sound.bi").write_text(PASTING.replace("PRINT Other\n", ""),
                                       encoding="utf-8")
    text = '#include "sound.bi"\nPRINT Shut(), Missing\n'
    main = tmp_path / "main.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(text, main) == [(2, "undefined-name", "undefined name 'Missing'")]


LIBRARY = """DECLARE LIBRARY "draw"
    SUB DrawLine (BYVAL vec AS _FLOAT, BYVAL vec AS _FLOAT, BYVAL colour AS _UNSIGNED LONG)
    FUNCTION Blend~& (BYVAL colour AS _UNSIGNED LONG, BYVAL colour AS _UNSIGNED LONG)
END DECLARE
DrawLine 1, 2, 3
PRINT Blend~&(1, 2)
"""


def test_a_library_prototype_may_repeat_a_parameter_name() -> None:
    """A DECLARE LIBRARY routine has no body: its parameters' names are documentation
    (`prototype`); every parameter still counts for the arguments."""
    assert problems(LIBRARY) == []
    assert [c for _, c, _ in problems(LIBRARY.replace("DrawLine 1, 2, 3", "DrawLine 1, 2"))] \
        == ["argument-count"]


def test_the_new_keys_are_known_to_the_definition_check() -> None:
    """The bundled definition uses `prototype`, `grammar.preprocessor.unset` and a lexical
    mode's `identifier` without a warning; a mode's identifier that is no pattern is an
    error at its place."""
    text = (BUNDLED_DIR / "qbasic.yaml").read_text(encoding="utf-8")
    _, found = load_definition_text(text)
    assert [p.message for p in found] == []
    broken = text.replace("      identifier: '(?i:l?print", "      identifier: '(?i:(l?print", 1)
    _, found = load_definition_text(broken)
    assert [p.path for p in found] == ["lexical.modes.0.identifier"]


CLASS_EXITS = """TYPE Counter
    total AS LONG
    DECLARE CONSTRUCTOR (start AS LONG)
    DECLARE DESTRUCTOR ()
    DECLARE OPERATOR CAST () AS STRING
    DECLARE PROPERTY size () AS LONG
END TYPE
CONSTRUCTOR Counter (start AS LONG)
    IF start < 0 THEN EXIT CONSTRUCTOR
    total = start
END CONSTRUCTOR
DESTRUCTOR Counter ()
    IF total = 0 THEN
        EXIT DESTRUCTOR
    END IF
    PRINT total
END DESTRUCTOR
OPERATOR Counter.CAST () AS STRING
    IF total = 0 THEN EXIT OPERATOR
    RETURN STR(total)
END OPERATOR
PROPERTY Counter.size () AS LONG
    IF total = 0 THEN EXIT PROPERTY
    RETURN total
END PROPERTY
DIM c AS Counter = Counter(3)
PRINT c.size
"""


def test_exit_leaves_a_constructor_destructor_operator_or_property() -> None:
    """FreeBASIC's EXIT CONSTRUCTOR, EXIT DESTRUCTOR, EXIT OPERATOR and EXIT PROPERTY
    leave the method they stand in, as EXIT SUB does a SUB."""
    assert problems(CLASS_EXITS) == []


VISIBLE_TYPES = """PRIVATE TYPE Slot
    used AS LONG
END TYPE
PUBLIC TYPE Pool
    count AS LONG
END TYPE
PRIVATE SUB Reset (p AS Pool)
    p.count = 0
END SUB
PUBLIC FUNCTION Size (p AS Pool) AS LONG
    RETURN p.count
END FUNCTION
DIM s AS Slot
DIM p AS Pool
s.used = 1
Reset p
PRINT Size(p), s.used
"""


def test_a_type_may_be_private_or_public() -> None:
    """FreeBASIC: PRIVATE TYPE / PUBLIC TYPE (as PRIVATE SUB, PUBLIC FUNCTION) say whether
    other modules see the type; the type is declared as without the word."""
    assert problems(VISIBLE_TYPES) == []


BYVAL_ARGUMENTS = """DECLARE SUB Clear (BYVAL target AS ANY PTR)
FUNCTION Fill (BYVAL target AS LONG PTR, BYVAL n AS LONG) AS LONG
    RETURN n + target[0]
END FUNCTION
DIM buffer AS LONG
IF Fill(BYVAL @buffer, BYVAL 0) <> 0 THEN
    Clear(BYVAL @buffer)
END IF
PRINT Fill(@buffer, 4)
"""


def test_byval_may_mark_an_argument_in_parentheses() -> None:
    """FreeBASIC: BYVAL before an argument passes its value as it is (a pointer to a
    parameter declared BYREF or ANY); written in a call's parentheses it is no syntax
    error, and the arguments still count."""
    assert problems(BYVAL_ARGUMENTS) == []
    assert [c for _, c, _ in problems(BYVAL_ARGUMENTS.replace("BYVAL 0)", "BYVAL 0, 1)"))] \
        == ["argument-count"]
