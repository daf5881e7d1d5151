"""qbasic forms of the bas26 round: the type an unmarked name takes from its first letter
shown and checked (DEFINT's INTEGER, the default SINGLE), type names nothing declares
reported (`structure.undefined_types`, with `structure.known_types` for QB64's and
FreeBASIC's own), statements before ':' that are no labels (`LPRINT : LPRINT`).
Programs written for these tests."""
from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.hover import hover
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse

from .test_qbasic_basic19 import problems, qb


def shown_type(text: str, at: str, nth: int = 0) -> str | None:
    """The type hover shows for the name starting at the ``nth`` ``at`` of ``text``."""
    analysis = analyze_with_types(parse(qb(), text), None)
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(at, offset + 1)
    info = hover(analysis, offset)
    assert info is not None
    found = [line for line in info.markdown.splitlines() if line.startswith("type: ")]
    return found[0][len("type: `"):-1] if found else None


DEFINT = """DEFINT I-N
total = 0
FOR idx = 1 TO 3
    total = total + idx
NEXT idx
DIM k
PRINT total, idx, k
ratio = total / 2
PRINT ratio
"""


def test_hover_shows_the_type_a_deftype_statement_gives() -> None:
    assert shown_type(DEFINT, "idx") == "INTEGER"
    assert shown_type(DEFINT, "idx", 2) == "INTEGER"  # a use, in PRINT
    assert shown_type(DEFINT, "k", 1) == "INTEGER"  # DIM k, no AS
    # names outside I-N are SINGLE, QBasic's default
    assert shown_type(DEFINT, "total") == "SINGLE"
    assert shown_type(DEFINT, "ratio", 1) == "SINGLE"


def test_a_marked_name_shows_its_type_where_it_is_used() -> None:
    text = "count% = 3\nPRINT count%\nname$ = \"a\"\nPRINT name$\n"
    assert shown_type(text, "count%", 1) == "INTEGER"
    assert shown_type(text, "name$", 1) == "STRING"


def test_a_parameter_without_a_type_has_its_letter_s_type() -> None:
    text = "DEFINT A-Z\nDEFSTR S\nSUB Show (n, s)\n    PRINT n, s\nEND SUB\n"
    assert shown_type(text, "n,") == "INTEGER"
    assert shown_type(text, "s)") == "STRING"


def test_the_same_statement_under_other_deftypes_has_other_types() -> None:
    # the type check keeps a statement's result by its text: the letters are in its key
    body = "idx = 1\nPRINT idx\n"
    assert shown_type("DEFINT I\n" + body, "idx") == "INTEGER"
    assert shown_type(body, "idx") == "SINGLE"
    assert shown_type("DEFSTR I\n" + body.replace("1", '"a"'), "idx") == "STRING"


def test_a_deftype_s_type_is_checked() -> None:
    text = 'DEFINT I\nDEFSTR S\nidx = "one"\ns = 2\nPRINT idx, s\n'
    assert [(p[0], p[1]) for p in problems(text)] == [(3, "type-mismatch"), (4, "type-mismatch")]
    assert "expected INTEGER, found STRING" in problems(text)[0][2]


def test_a_text_into_a_name_of_the_default_type_stays_a_text_variable() -> None:
    # as before this round: no DEFtype names its letter, the value says what it holds
    text = 'greeting = "hi"\nPRINT greeting + "!"\n'
    assert problems(text) == []
    assert shown_type(text, "greeting", 1) == "STRING"


def test_completion_detail_reads_marked_and_lettered_names_alike() -> None:
    text = "DEFINT I-N\nidx = 1\nj% = 2\nPRINT \n"
    analysis = analyze_with_types(parse(qb(), text), None)
    details = {c.label: c.detail for c in complete(analysis, len(text) - 1)[0]}
    assert details["idx"] == "variable idx" and details["j%"] == "variable j%"


LPRINT = """CLS
LPRINT : LPRINT "Report"
WRITE : WRITE 1, 2
CLOSE : LOCATE : COLOR : PRINT
LPRINT : LPRINT "End"
GOTO done
done:
END
"""


def test_statements_before_a_colon_are_no_labels() -> None:
    parsed = parse(qb(), LPRINT)
    assert parsed.errors == []
    analysis = analyze_with_types(parsed, None)
    labels = [s.name for s in analysis.model.symbols if s.kind == "label"]
    assert labels == ["done"]
    assert problems(LPRINT) == []


QB64_TYPES = """TYPE Pixel
    r AS _UNSIGNED _BYTE
    flag AS _BIT
    big AS _INTEGER64
    addr AS _OFFSET
END TYPE
DIM p AS Pixel, q AS Pixle
DIM m AS _MEM
DIM n AS INTEGER
n = "x"
PRINT p.r, q, m.SIZE, n
"""


def test_type_names_nothing_declares_are_undefined_but_qb64_s_are_known() -> None:
    found = problems(QB64_TYPES)
    assert [(p[0], p[1], p[2]) for p in found if p[1] == "undefined-name"] == [
        (7, "undefined-name", "undefined name 'Pixle'")]
    # INTEGER is still shown and named INTEGER (no _BYTE for it)
    mismatch = [p for p in found if p[1] == "type-mismatch"]
    assert len(mismatch) == 1 and "expected INTEGER" in mismatch[0][2]
    assert shown_type(QB64_TYPES, "n =") == "INTEGER"


def test_a_routine_type_s_parameters_are_no_type_names() -> None:
    text = ("TYPE Handler AS SUB (BYVAL code AS LONG)\n"
            "DIM table(3) AS SUB (n AS LONG, s AS STRING)\n"
            "DIM h AS Handler\ntable(1)(2, \"a\")\nh(1)\n")
    assert problems(text) == []


def test_a_type_alias_may_name_an_opaque_type() -> None:
    # FreeBASIC: a C library's handle, only ever used through pointers
    text = "TYPE AS Context ContextT\nTYPE Window AS WindowRec\nDIM c AS ContextT PTR\n" \
           "DIM w AS Window PTR\nDIM z AS Zone\nPRINT c, w, z\n"
    assert [(p[0], p[2]) for p in problems(text)] == [(5, "undefined name 'Zone'")]


def test_unsigned_is_read_before_a_type_on_its_own_line_only() -> None:
    text = "TYPE Unsigned\n    v AS LONG\nEND TYPE\nDIM u AS Unsigned\nu.v = 1\n" \
           "DIM k AS UNSIGNED LONG\nk = u.v\nPRINT k\n"
    assert problems(text) == []


def test_known_types_are_warned_about_when_misused() -> None:
    head = "name: T\nid: t\nextensions: ['.t']\ntypes: {Int: int}\n" \
           "keywords:\n  dim: {spelling: DIM}\n"
    _, found = load_definition_text(head + "structure:\n  known_types: [Byte]\n")
    assert any("'known_types' has no effect without 'undefined_types: true'" in p.message
               for p in found)
    _, found = load_definition_text(
        head + "structure:\n  undefined_types: true\n"
        "  known_types: [Byte, 'Long Word', int, DIM, byte]\n")
    messages = sorted(p.message for p in found)
    assert messages == sorted([
        "known type 'Long Word' is not one name: no type name matches it",
        "known type 'int' is a name of 'types' already (known there)",
        "known type 'DIM' is a keyword: no type name matches it",
        "known type 'byte' is listed twice"])
    definition, found = load_definition_text(
        head + "structure:\n  undefined_types: true\n  known_types: [Byte]\n")
    assert found == [] and definition is not None
    assert definition.structure.known_types == ("Byte",)
