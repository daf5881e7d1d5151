"""qbasic forms the basic20 corpus (and basic19's leftovers) showed: labels with periods,
a TYPE's STATIC fields, CONST methods, procedure types and named types inside a TYPE,
TYPE<T>.member, a #define that ends with its SUB, a #macro used without parentheses.
Programs written for these tests."""
from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse

from .test_qbasic_basic19 import problems, qb

LABELS = """score = 0
IF score = 0 THEN GOTO Scan.Done
GOSUB Tally.Up
Scan.Done:
PRINT "done": GOSUB Tally.Up
END
Tally.Up:
    score = score + 1
    RETURN
"""


def test_a_label_with_periods_is_one_name() -> None:
    assert problems(LABELS) == []


def test_a_jump_to_a_dotted_label_refers_to_the_whole_name() -> None:
    parsed = parse(qb(), LABELS)
    model = analyze_with_types(parsed, None).model
    at = LABELS.index("Tally.Up", LABELS.index("GOSUB"))
    symbol = model.symbol_at(at + 1)
    assert symbol is not None and symbol.name == "Tally.Up"
    assert symbol.start == LABELS.index("Tally.Up:")


def test_a_misspelled_dotted_label_is_reported() -> None:
    found = problems("GOTO Scan.Dome\nScan.Done:\nPRINT 1\n")
    assert [code for _, code, _ in found] == ["undefined-name"]


MEMBERS = """#define MAXW 8
TYPE Gadget
PRIVATE:
    STATIC made AS LONG
    AS LONG left_, right_
    TYPE Notify AS SUB (AS LONG, AS ANY PTR)
    TYPE Span
        first AS LONG
        last AS LONG
    END TYPE
PUBLIC:
    DECLARE CONST FUNCTION wide () AS LONG
    DECLARE CONST SUB show (x AS LONG, _
        y AS LONG,_
        tag AS BYTE ALIAS "char")
    DECLARE STATIC FUNCTION count () AS LONG
END TYPE
DIM Gadget.made AS LONG = 0
PRIVATE CONST FUNCTION Gadget.wide () AS LONG
    RETURN right_ - left_ + MAXW
END FUNCTION
CONST SUB Gadget.show (x AS LONG, y AS LONG, tag AS BYTE)
    PRINT x, y, tag, wide()
END SUB
FUNCTION Gadget.count () AS LONG
    RETURN made
END FUNCTION
PRINT TYPE<Gadget>.count()
"""


def test_static_fields_const_methods_and_types_inside_a_type() -> None:
    """STATIC fields (and their DIM T.field), CONST methods declared and defined, a
    procedure type and a named TYPE inside a TYPE, a lone '_' continuing a line after a
    comma, a parameter type's C++ name, TYPE<T>.member."""
    assert problems(MEMBERS) == []


def test_a_static_field_s_dim_sees_the_type_not_the_file() -> None:
    text = MEMBERS + "PRINT made\n"
    assert [(line, code) for line, code, _ in problems(text)] == [(29, "undefined-name")]


def test_assert_and_trim_with_characters() -> None:
    text = 'DIM s AS STRING = "  a,"\nASSERT(LEN(s) > 0)\nASSERTWARN(1)\n' \
           's = LTRIM(s, " ") + RTRIM$(s, ANY " ,")\nPRINT s\n'
    assert problems(text) == []
    found = problems('PRINT LTRIM$("a", "b", "c")\n')
    assert [code for _, code, _ in found] == ["argument-count"]


SCOPED = """SUB First ()
    #define k 3
    PRINT k
END SUB
SUB Second ()
    DIM k AS LONG = 4
    PRINT k
END SUB
#define w 2
PRIVATE SUB Third ()
    #define w 5
    PRINT w
END SUB
DIM AS LONG total = w
PRINT total
"""


def test_a_define_inside_a_sub_ends_with_it() -> None:
    """FreeBASIC undefines a #define at the END SUB of the SUB it is in; one that
    replaced an earlier #define gives the name back to it."""
    assert problems(SCOPED) == []


def test_a_define_at_the_top_goes_on_past_a_sub() -> None:
    text = "#define k 3\nSUB First ()\n    PRINT k\nEND SUB\nPRINT k\n"
    assert problems(text) == []
    assert [code for _, code, _ in problems(text + "DIM k AS LONG\n")] == ["syntax"]


LINE_MACRO = """DIM other AS LONG
#macro CATCH ? (decl)
    DIM decl
#endmacro
#macro SHOW(a, b)
    PRINT a; b
#endmacro
CATCH failure AS STRING
CATCH(other)
SHOW 1, 2
SHOW(3, 4)
"""


def test_a_macro_marked_with_a_question_mark_takes_the_rest_of_its_line() -> None:
    assert problems(LINE_MACRO) == []
    plain = LINE_MACRO.replace("CATCH ? (decl)", "CATCH(decl)")
    assert [code for _, code, _ in problems(plain)] == ["syntax"]


def _preprocessor_warnings(section: str) -> list[str]:
    text = f"""name: T
id: t
extensions: [".t"]
lexical: {{line_comments: ["'"]}}
operators: [{{symbol: "#", precedence: 1}}, {{symbol: "?", precedence: 1}}]
structure: {{statements: newline}}
grammar:
  start: file
  preprocessor:
    marker: "#"
    define: [DEFINE]
{section}
  rules:
    file: "ANY*"
"""
    _, problems_found = load_definition_text(text)
    return [p.message for p in problems_found]


def test_the_loader_checks_define_scope_and_line_argument() -> None:
    good = "    define_scope: {open: [SUB], close: [END], modifiers: [PRIVATE]}\n" \
           "    line_argument: \"?\""
    assert _preprocessor_warnings(good) == []
    cases = {"    define_scope: {open: [SUB]}": "needs 'open' and 'close'",
             "    define_scope: {open: [SUB], close: [END], after: [X]}": "define_scope.after",
             "    define_scope: [SUB]": "must be a mapping",
             "    line_argument: \"\"": "line_argument"}
    for section, expected in cases.items():
        assert any(expected in m for m in _preprocessor_warnings(section)), section


def test_dim_as_fields_of_a_type_inside_a_namespace() -> None:
    """`DIM AS LONG x` in a TYPE is a field x, not a field called Dim followed by x
    (which top-level recovery hid, but a NAMESPACE or SCOPE around the TYPE did not)."""
    text = "NAMESPACE Shapes\n    TYPE Box\n        DIM AS LONG w, h\n" \
           "        STATIC AS LONG made\n    END TYPE\nEND NAMESPACE\n" \
           "SCOPE\n    TYPE Cell\n        DIM AS LONG v\n    END TYPE\nEND SCOPE\n"
    assert problems(text) == []


def test_cast_names_a_type_in_a_call_s_arguments() -> None:
    """CAST(SHORT, x) inside a call statement's arguments and in an expression: SHORT is
    the type, no undefined name."""
    text = "DIM AS LONG c = 70000\nDIM AS SHORT PTR p\nSUB add (v AS SHORT)\n" \
           "    PRINT v\nEND SUB\nadd(CAST(SHORT, c SHR 16))\n" \
           "PRINT CAST(SHORT, c) + CPTR(SHORT PTR, p)[0]\n"
    assert problems(text) == []


def test_a_name_declared_in_two_namespaces_is_no_duplicate() -> None:
    """FreeBASIC: a TYPE and a SUB of one name in two NAMESPACEs (and one outside) are
    names of their own namespaces; twice in one namespace still is a duplicate."""
    text = "NAMESPACE Geo\n    TYPE Spot\n        x AS INTEGER\n    END TYPE\n" \
           "    SUB Draw1 ()\n    END SUB\nEND NAMESPACE\n" \
           "NAMESPACE Gfx\n    TYPE Spot\n        c AS INTEGER\n    END TYPE\n" \
           "    SUB Draw1 ()\n    END SUB\nEND NAMESPACE\n" \
           "TYPE Spot\n    z AS INTEGER\nEND TYPE\nDIM s AS Geo.Spot\ns.x = 1\nPRINT s.x\n"
    assert problems(text) == []
    twice = text.replace("END NAMESPACE\nNAMESPACE Gfx", "    SUB Draw1 ()\n    END SUB\n"
                         "END NAMESPACE\nNAMESPACE Gfx", 1)
    assert problems(twice) == [(7, "duplicate-declaration",
                                "'Draw1' is already declared in this scope")]


def test_defaults_declared_in_an_included_header_let_calls_leave_them_out(
        tmp_path: Path) -> None:
    """FreeBASIC: `DECLARE SUB Box (w, c = 7)` in a header (here included through another
    header), the SUB's body in the program without the defaults: `Box 3` passes enough;
    a call leaving out a parameter without a default still is too few."""
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "shapes.bi").write_text(
        "DECLARE SUB Box (BYVAL w AS INTEGER, BYVAL c AS INTEGER = 7)\n"
        "DECLARE FUNCTION Area (a AS INTEGER, b AS INTEGER = 1) AS INTEGER\n", encoding="utf-8")
    (tmp_path / "all.bi").write_text('#include "inc/shapes.bi"\n', encoding="utf-8")
    text = '#include "all.bi"\nSUB Box (BYVAL w AS INTEGER, BYVAL c AS INTEGER)\n' \
           "    PRINT w, c\nEND SUB\nFUNCTION Area (a AS INTEGER, b AS INTEGER) AS INTEGER\n" \
           "    RETURN a * b\nEND FUNCTION\nBox 3\nBox 3, 4\nPRINT Area(2)\nPRINT Area()\n"
    found = analyze_with_types(parse(qb(), text), tmp_path / "main.bas")
    assert [(text.count("\n", 0, d.start) + 1, d.message) for d in found.diagnostics
            if d.severity == "error"] == [(11, "'Area' takes 1 to 2 arguments, 0 given")]
