"""qbasic forms the bas23 corpus showed: a one-line IF closed by ENDIF, an unnamed TYPE in
a UNION, QB64's fixed-length string names (a$10), SYSTEM with an exit code, FreeBASIC's
`..name` for the global one, a header whose includer reads a library header, a name DIMmed
again in another CASE and used there.
Programs written for these tests."""
from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_qbasic_basic19 import problems, qb
from .test_qbasic_passed_and_included import check
from .test_qbasic_passed_and_included import problems as included_problems


def hints(text: str) -> list[tuple[int, str, str]]:
    """(line, code, message) of the hints."""
    found = analyze_with_types(parse(qb(), text), None)
    return [(text.count("\n", 0, d.start) + 1, d.code, d.message) for d in found.diagnostics
            if d.severity == "hint"]


ENDIF_ONE_LINE = """DIM AS LONG a = 3, b = 0
IF a > 1 THEN:b = 1:ENDIF
if a > 2 then:b = 2:endif
IF a > 3 THEN b = 3 : ENDIF
IF a > 4 THEN: b = 4: END IF
PRINT b
"""


def test_a_one_line_if_may_end_with_endif_in_one_word() -> None:
    assert problems(ENDIF_ONE_LINE) == []


def test_endif_on_a_one_line_if_does_not_close_the_block_around_it() -> None:
    # the block IF still needs its own END IF: one error, at the end of the file
    found = problems("DIM x AS LONG\nIF x = 0 THEN\n    IF x < 1 THEN:x = 1:ENDIF\n")
    assert len(found) == 1 and found[0][1] == "syntax"


UNION_OF_PARTS = """UNION Rgba
    whole AS ULONG
    TYPE
        r AS UBYTE
        g AS UBYTE
        b AS UBYTE
        a AS UBYTE
    END TYPE
    DECLARE SUB darken (BYVAL by AS UBYTE)
END UNION
SUB Rgba.darken (BYVAL by AS UBYTE)
    this.r -= by
END SUB
DIM c AS Rgba
c.whole = &hFF8040FF
c.darken 16
PRINT c.r, c.whole
"""


def test_a_union_may_hold_an_unnamed_type_and_methods() -> None:
    assert problems(UNION_OF_PARTS) == []


def test_type_alone_on_a_line_is_no_alias_of_the_next_lines_field() -> None:
    # TYPE with its name on the next line was read as `TYPE r AS UBYTE` (an alias)
    text = "TYPE Pair\n    TYPE\n        lo AS USHORT\n    END TYPE\n    hi AS USHORT\nEND TYPE\n"
    assert problems(text) == []
    # an alias on one line is still one
    assert problems("TYPE Handle AS ANY PTR\nDIM h AS Handle\nPRINT h\n") == []


FIXED_STRINGS = """INPUT "Continue (Y/N)? ", answer$1
IF UCASE$(answer$1) = "Y" THEN SYSTEM 1
code$8 = "ABCDEFGH"
PRINT code$8
SYSTEM
"""


def test_qb64_names_a_fixed_length_string_with_its_length_after_the_mark() -> None:
    assert problems(FIXED_STRINGS) == []


def test_system_takes_at_most_one_exit_code() -> None:
    found = problems("SYSTEM 1, 2\n")
    assert [code for _, code, _ in found] == ["argument-count"]


GLOBAL_CALL = """TYPE Sprite
    img AS ANY PTR
    DECLARE SUB put (BYVAL x AS LONG, BYVAL y AS LONG)
END TYPE
SUB Sprite.put (BYVAL x AS LONG, BYVAL y AS LONG)
    ..put (x, y), this.img, PSET
END SUB
DIM s AS Sprite
s.put 1, 2
"""


def test_two_periods_name_the_global_routine() -> None:
    assert problems(GLOBAL_CALL) == []


def test_a_header_whose_includer_reads_a_library_header_reports_no_undefined_names(
        tmp_path: Path) -> None:
    """`main.bas` includes SDL's mixer (a library header craftls does not read) and then
    `inc/sound.bi`, whose routines call the mixer: checked alone, the header sees what its
    includer sees, so no name is undefined there, and a hint at its start says why."""
    (tmp_path / "inc").mkdir()
    header = tmp_path / "inc" / "sound.bi"
    body = "SUB PlayTune (BYVAL f AS STRING)\n    Mix_PlayMusic(Mix_LoadMus(f), 1)\nEND SUB\n"
    header.write_text(body, encoding="utf-8")
    main = tmp_path / "main.bas"
    main.write_text('#include once "SDL2/SDL_mixer.bi"\n#include "inc/sound.bi"\n'
                    'PlayTune "a.ogg"\n', encoding="utf-8")
    found = check(body, header)
    assert included_problems(found) == []
    said = [(d.code, d.message) for d in found.diagnostics if d.severity == "hint"
            and d.code == "library-include"]
    assert said == [("library-include", "this file is included by '../main.bas', whose "
                     "includes reach 'SDL2/SDL_mixer.bi', a library header the compiler "
                     "ships, which craftls does not read: no name is reported undefined "
                     "in this file")]
    # an includer that reads every file it includes leaves the names undefined
    main.write_text('#include "inc/sound.bi"\nPlayTune "a.ogg"\n', encoding="utf-8")
    found = check(body, header)
    assert [code for code, _ in included_problems(found)] == ["undefined-name"] * 2


def test_a_header_whose_includer_includes_a_missing_file_reports_no_undefined_names(
        tmp_path: Path) -> None:
    header = tmp_path / "tip.bi"
    body = "CONST Shade = BGR(10, 20, 30)\nPRINT Shade\n"
    header.write_text(body, encoding="utf-8")
    (tmp_path / "host.bi").write_text('#include once "Afx/CWindow.inc"\n#include "tip.bi"\n',
                                      encoding="utf-8")
    found = check(body, header)
    assert included_problems(found) == []
    assert [(d.severity, d.code) for d in found.diagnostics if d.code != "unused-variable"] \
        == [("hint", "unresolved-include")]


CASES = """SUB Handle (BYVAL cmd AS STRING)
    SELECT CASE cmd
    CASE "set"
        DIM AS INTEGER id = VAL(cmd)
        PRINT id
    CASE "get"
        DIM AS INTEGER id = 2
        IF id > 1 THEN PRINT id
    CASE "drop"
        DIM AS INTEGER id = 3
    END SELECT
END SUB
Handle "set"
"""


def test_a_name_dimmed_again_in_another_case_and_used_there_is_used() -> None:
    # the third DIM is never used in its CASE: still said
    assert hints(CASES) == [(10, "unused-variable", "'id' is never used")]


DRAWING_WORDS = """DIM img AS ANY PTR
PUT (1, 2), img, TRANS
PUT (1, 2), img, ALPHA, 128
CIRCLE (5, 5), 3, 4, , , , F
DIM alpha AS SINGLE
alpha = 0.5
PRINT alpha
OPEN "data.bin" FOR RANDOM AS #1
DIM r AS LONG
PUT #1, , r
"""


def test_put_methods_and_the_circle_fill_flag_are_words_not_variables() -> None:
    # ALPHA after PUT made a variable, then DIM alpha was a duplicate of it
    assert problems(DRAWING_WORDS) == []
    assert hints(DRAWING_WORDS) == []


def test_a_constant_an_included_file_declares_passed_to_a_sub_is_no_new_variable(
        tmp_path: Path) -> None:
    (tmp_path / "flip.bi").write_text("CONST Across = 1\n", encoding="utf-8")
    text = ("'$INCLUDE: 'flip.bi'\nSUB Turn (BYVAL img AS LONG, BYVAL how AS INTEGER)\n"
            "    PRINT img, how\nEND SUB\nTurn 5, Across\n")
    found = check(text, tmp_path / "main.bas")
    assert [d.message for d in found.diagnostics if d.code == "unused-variable"] == []


def test_a_headers_constants_are_its_includers_and_not_reported_unused(tmp_path: Path) -> None:
    """A header's CONSTs and ENUM members are there for the files that include it: checked
    where it is included, none is "never used"; a routine's own variable still is, and
    so is the same CONST in a file nothing includes."""
    header = tmp_path / "sprites.bi"
    body = ("CONST Flipped = 1\nENUM Detect\n    NoDetect\n    BoxDetect\nEND ENUM\n"
            "SUB Show (BYVAL n AS INTEGER)\n    DIM spare AS INTEGER\n    PRINT n\nEND SUB\n")
    header.write_text(body, encoding="utf-8")
    (tmp_path / "game.bas").write_text("'$INCLUDE: 'sprites.bi'\nShow 1\n", encoding="utf-8")
    unused = [d.message for d in check(body, header).diagnostics if d.code == "unused-variable"]
    assert unused == ["'spare' is never used"]
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "sprites.bi").write_text(body, encoding="utf-8")
    unused = [d.message for d in check(body, alone / "sprites.bi").diagnostics
              if d.code == "unused-variable"]
    assert "'Flipped' is never used" in unused and "'spare' is never used" in unused
