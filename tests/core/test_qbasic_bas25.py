"""qbasic forms of the bas25 round: names typed by their first letter (QBasic's default
SINGLE and DEFtype statements: `x` and `x!` are one variable, `i` and `i%` after DEFINT
A-Z), CONST among a TYPE's fields (FreeBASIC).
Programs written for these tests."""
from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.features.hover import hover
from craftls.language.loader import load_definition_text
from craftls.semantics.item_walks import ReplayedItem
from craftls.semantics.model import SemanticModel
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

from .test_qbasic_basic19 import problems, qb


def bindings(text: str) -> dict[tuple[int, str], tuple[str, int] | None]:
    """(line, name) of each use -> (declared name, its line), or None when unbound."""
    model: SemanticModel = analyze_with_types(parse(qb(), text), None).model
    line = lambda at: text.count("\n", 0, at) + 1  # noqa: E731
    return {(line(r.start), r.name): (r.symbol.name, line(r.symbol.start))
            if r.symbol is not None else None for r in model.references}


def all_problems(text: str) -> list[tuple[int, str, str]]:
    """(line, code, message) of every diagnostic, hints included."""
    found = analyze_with_types(parse(qb(), text), None)
    return [(text.count("\n", 0, d.start) + 1, d.code, d.message) for d in found.diagnostics]


DEFAULT_SINGLE = """speed = 1.5
PRINT speed!
limit! = 10
PRINT limit
count% = 3
PRINT count%
"""


def test_a_name_and_its_single_mark_are_one_variable_by_default() -> None:
    found = bindings(DEFAULT_SINGLE)
    assert found[(2, "speed!")] == ("speed", 1)
    assert found[(4, "limit")] == ("limit!", 3)
    assert all_problems(DEFAULT_SINGLE) == []


def test_another_mark_is_another_variable() -> None:
    # count% is INTEGER, count (SINGLE by default) another variable, never set
    text = "count% = 3\nPRINT count\nname$ = \"a\"\nname = 2\nPRINT name$, name\n"
    found = bindings(text)
    assert found[(2, "count")] is None
    assert found[(5, "name$")] == ("name$", 3) and found[(5, "name")] == ("name", 4)
    assert [(p[0], p[1]) for p in problems(text)] == [(2, "undefined-name")]


DEFINT = """DEFINT A-Z
DEFSTR S
total = 0
FOR i = 1 TO 3
    total% = total% + i%
NEXT i
s = "sum"
PRINT s$; total
ratio! = 0.5
PRINT ratio
"""


def test_defint_makes_an_unmarked_name_the_integer_one() -> None:
    found = bindings(DEFINT)
    assert found[(5, "total%")] == ("total", 3)
    assert found[(5, "i%")] == ("i", 4)
    assert found[(8, "s$")] == ("s", 7)
    # ratio is INTEGER after DEFINT A-Z: ratio! is another variable
    assert found[(10, "ratio")] is None
    assert [(p[0], p[1]) for p in problems(DEFINT)] == [(10, "undefined-name")]


def test_deftype_letters_ranges_and_lists() -> None:
    text = "DEFLNG A-C, X\nDEFDBL D\nbig& = 1\nx& = 2\nd# = 3\nPRINT big, x, d, c&\n"
    found = bindings(text)
    assert found[(6, "big")] == ("big&", 3)
    assert found[(6, "x")] == ("x&", 4)
    assert found[(6, "d")] == ("d#", 5)
    assert found[(6, "c&")] is None


def test_qb64_define_names_the_type() -> None:
    text = "_DEFINE A-Z AS LONG\nn& = 1\nPRINT n\n_DEFINE U AS _UNSIGNED LONG\nu~& = 2\nPRINT u\n"
    found = bindings(text)
    assert found[(3, "n")] == ("n&", 2)
    assert found[(6, "u")] == ("u~&", 5)


def test_a_deftype_in_a_comment_or_string_sets_nothing() -> None:
    text = "' DEFINT A-Z\nPRINT \"DEFSTR A-Z\"\nn% = 1\nPRINT n\n"
    assert bindings(text)[(4, "n")] is None


def test_a_sub_reads_its_own_names_by_the_file_s_defaults() -> None:
    text = "DEFINT A-Z\nSUB Tally (n)\n    sum = n + 1\n    PRINT sum%, n%\nEND SUB\n"
    found = bindings(text)
    assert found[(4, "sum%")] == ("sum", 3)
    assert found[(4, "n%")] == ("n", 2)


def test_a_label_is_not_read_as_a_variable_of_the_default_type() -> None:
    text = "GOTO done\nPRINT 1\ndone:\nPRINT 2\n"
    assert problems(text) == []


def test_hover_shows_the_type_the_first_letter_gives() -> None:
    text = "DEFINT A-Z\ni = 1\nPRINT i%\n"
    analysis = analyze_with_types(parse(qb(), text), None)
    info = hover(analysis, text.index("i%"))
    assert info is not None and "variable i" in info.markdown


def test_implicit_types_must_name_marks_of_type_marks() -> None:
    definition, problems_found = load_definition_text(
        "name: T\nid: t\nextensions: ['.t']\n"
        "structure:\n  type_marks: ['$', '%']\n"
        "  implicit_types:\n    default: '!'\n    statements: {DEFINT: '%', DEFX: '?'}\n"
        "    colour: red\n")
    messages = [p.message for p in problems_found]
    assert any("'!'" in m for m in messages)
    assert any("'?'" in m for m in messages)
    assert any("unknown key 'colour'" in m for m in messages)
    assert definition is None
    definition, problems_found = load_definition_text(
        "name: T\nid: t\nextensions: ['.t']\n"
        "structure:\n  type_marks: ['$', '%']\n"
        "  implicit_types:\n    statements: {DEFINT: '%', DEFSTR: '$'}\n")
    assert problems_found == [] and definition is not None
    spec = definition.structure.implicit_types
    assert spec is not None and spec.default == ""
    assert spec.statements == (("DEFINT", "%"), ("DEFSTR", "$"))


TYPE_CONSTS = """TYPE Grid
    CONST AS INTEGER ROWS = 20
    CONST COLS AS INTEGER = 10, CELLS = ROWS * COLS
    cell(0 TO 199) AS UBYTE
    DECLARE FUNCTION size () AS INTEGER
END TYPE
FUNCTION Grid.size () AS INTEGER
    RETURN ROWS * COLS
END FUNCTION
DIM g AS Grid
PRINT g.size()
"""


def test_a_type_may_hold_consts_its_methods_read() -> None:
    assert all_problems(TYPE_CONSTS) == []
    found = bindings(TYPE_CONSTS)
    assert found[(8, "ROWS")] == ("ROWS", 2)
    assert found[(8, "COLS")] == ("COLS", 3)


SCREEN_EVENTS = """#include "fbgfx.bi"
Using FB
Dim e As FB.EVENT
Dim font As Any Ptr
ScreenRes 320, 200, 32
If ScreenEvent(@e) Then
    Select Case e.type
    Case EVENT_MOUSE_BUTTON_PRESS, EVENT_WINDOW_CLOSE
        Draw String (10, 10), "hit", , font, CUSTOM, @e
        Draw String (10, 20), "hit", , font, XOR
    End Select
End If
"""


def test_fbgfx_screen_events_and_draw_string_methods() -> None:
    # SCREENEVENT and fbgfx.bi's EVENT_ kinds are known; DRAW STRING's method is a word
    assert all_problems(SCREEN_EVENTS) == []
    assert (9, "CUSTOM") not in bindings(SCREEN_EVENTS)  # no variable passed



def _uses(analysis_model: SemanticModel, text: str, name: str) -> list[tuple[int, int] | None]:
    """Where each use of ``name`` is declared: (line of the use, line of the declaration)."""
    line = lambda at: text.count("\n", 0, at) + 1  # noqa: E731
    return [(line(r.start), line(r.symbol.start)) if r.symbol is not None else None
            for r in analysis_model.references if r.name == name]


EDITED = """DEFINT A-Z
SUB Tally
    n = 1
    PRINT n%
END SUB
SUB Other
    PRINT 2
END SUB
"""


def test_replayed_items_follow_the_file_s_deftype_statements() -> None:
    # an edit elsewhere replays the SUB and keeps n% bound to n; changing DEFINT to DEFSNG
    # makes n% another variable, though the SUB's text is unchanged
    parsed = parse(qb(), EDITED)
    assert _uses(analyze_with_types(parsed).model, EDITED, "n%") == [(4, 3)]
    at = EDITED.index("PRINT 2") + len("PRINT ")
    edited, _ = apply_edit(parsed, TextEdit(at, at + 1, "3"))
    model = analyze_with_types(edited).model
    assert any(isinstance(item, ReplayedItem) for item in model.items)
    assert _uses(model, edited.text, "n%") == [(4, 3)]
    single, _ = apply_edit(edited, TextEdit(0, len("DEFINT"), "DEFSNG"))
    assert _uses(analyze_with_types(single).model, single.text, "n%") == [None]
