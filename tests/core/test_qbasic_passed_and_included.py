"""QBasic names that come from elsewhere in the program: a FUNCTION named as a
by-reference argument before its definition (no new variable, no duplicate), and the
names a `'$INCLUDE:` / `$INCLUDE:` file declares (the definition's `includes`)."""

from __future__ import annotations

from pathlib import Path

from craftls.features import semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.caches import MEMOS, AnalysisCaches
from craftls.language.catalog import BUNDLED_DIR, bundled
from craftls.language.loader import load_definition_text
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.item_walks import TemplateCache
from craftls.semantics.model import SymbolKind
from craftls.syntax.parse import parse
from craftls.types.cache import TypeCache

PASSED = """CALL Show(Later%)
Show Later%
y = Later%
PRINT y
FUNCTION Later%
    Later% = 3
END FUNCTION
SUB Show (v%)
    PRINT v%
END SUB
"""


def check(text: str, path: Path | None = None, caches: AnalysisCaches | None = None
          ) -> FileAnalysis:
    return analyze_with_types(parse(bundled("qbasic"), text), path, caches=caches)


def problems(analysis: FileAnalysis) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in analysis.diagnostics
            if d.severity in ("error", "warning")]


def test_a_function_passed_by_reference_before_its_definition_is_that_function() -> None:
    analysis = check(PASSED)
    assert problems(analysis) == []
    later = [s for s in analysis.model.symbols if s.name.lower() == "later%"]
    assert [s.kind for s in later] == [SymbolKind.FUNCTION]
    # both arguments and the read are uses of the FUNCTION
    assert len([r for r in analysis.model.references if r.symbol is later[0]]) >= 3


def test_without_the_function_the_argument_is_a_variable_again_after_an_edit() -> None:
    """The answer depends on the whole file: a session that analysed the file with the
    FUNCTION and then without it answers as a fresh analysis (no replayed walk)."""
    caches = AnalysisCaches(TypeCache(), TemplateCache(), MEMOS)
    without = PASSED.replace("FUNCTION Later%\n    Later% = 3\nEND FUNCTION\n", "")
    check(PASSED, caches=caches)
    edited = check(without, caches=caches)
    assert problems(edited) == problems(check(without))
    kinds = {s.kind for s in edited.model.symbols if s.name.lower() == "later%"}
    assert kinds == {SymbolKind.VARIABLE}
    again = check(PASSED, caches=caches)
    assert problems(again) == []


def test_the_names_an_included_file_declares_are_known(tmp_path: Path) -> None:
    """`'$INCLUDE:`, `REM $INCLUDE:` and QB64's bare `$INCLUDE:` name a file relative to
    the including one's folder or one above it (its last part in any case); what it
    includes in turn is followed;
    a file that is not there is one warning at its name."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "keys.bi").write_text(
        "CONST KeyUp = 18432\nDECLARE FUNCTION Twice% (n%)\n'$INCLUDE: 'lib/deep.bi'\n",
        encoding="utf-8")
    (tmp_path / "lib" / "DEEP.BI").write_text("DIM SHARED Counter AS INTEGER\n",
                                             encoding="utf-8")
    (tmp_path / "keys.bm").write_text("FUNCTION Twice% (n%)\n    Twice% = n% * 2\nEND FUNCTION\n",
                                      encoding="utf-8")
    text = ("'$INCLUDE: 'keys.bi'\nPRINT KeyUp, Counter\nPRINT Twice%(3)\n"
            "REM $INCLUDE: 'missing.bi'\n$INCLUDE:'KEYS.BM'\n")
    main = tmp_path / "main.bas"
    main.write_text(text, encoding="utf-8")
    found = problems(check(text, main))
    assert found == [("unresolved-include", "included file 'missing.bi' is not found next to "
                      "this file: the names it declares are not known here, and no name is reported "
         "undefined in this file")]
    # a name not found from the file's folder is looked for from the folders above it
    # (QB64 reads it relative to its own folder, which holds the project)
    (tmp_path / "prog").mkdir()
    nested = "'$INCLUDE: 'keys.bi'\nPRINT KeyUp, Counter\n"
    assert problems(check(nested, tmp_path / "prog" / "sub.bas")) == []
    # without the file's place nothing is included: the names are undefined
    assert {m for c, m in problems(check(text)) if c == "undefined-name"} == {
        "undefined name 'KeyUp'", "undefined name 'Counter'", "undefined name 'Twice%'"}


def test_an_include_pattern_needs_a_group() -> None:
    text = (BUNDLED_DIR / "qbasic.yaml").read_text(encoding="utf-8").replace(
        "['\\\"]([^'\\\"\\\\r\\\\n]+)['\\\"]\"", "'[^'\\\\r\\\\n]+'\"", 1)
    assert "includes" in text
    definition, found = load_definition_text(text)
    assert [p.message for p in found if p.severity == "error"] == [
        "pattern \"^[ \\\\t]*(?:(?:'|REM[ \\\\t])[ \\\\t]*)?\\\\$INCLUDE[ \\\\t]*:[ \\\\t]*"
        "'[^'\\\\r\\\\n]+'\" has no group: its first group must match the included file's name"]


def test_the_metacommand_names_its_file_in_either_quotes(tmp_path: Path) -> None:
    """FreeBASIC's -lang qb reads `'$include: "file.bi"` as QB's `'$INCLUDE: 'file.bi'`:
    the file is followed, and a missing one warns, in either quotes; a Windows path
    naming a header FreeBASIC ships is no warning."""
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "net.bi").write_text(
        "CONST Port = 8080\nDECLARE SUB Serve (p AS INTEGER)\n", encoding="utf-8")
    (tmp_path / "util.bi").write_text("DIM SHARED Hits AS LONG\n", encoding="utf-8")
    text = ("'$include: \"win\\winsock.bi\"\n'$include: \"inc\\net.bi\"\n"
            "REM $INCLUDE: 'util.bi'\n'$INCLUDE: \"gone.bi\"\nServe 80\nPRINT Hits, Port\n")
    main = tmp_path / "main.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == [
        ("unresolved-include", "included file 'gone.bi' is not found next to this file: "
         "the names it declares are not known here, and no name is reported "
         "undefined in this file")]
    # without the files the names are undefined: the includes are what declares them
    assert {m for c, m in problems(check(text)) if c == "undefined-name"} == {
        "undefined name 'Serve'", "undefined name 'Port'", "undefined name 'Hits'"}


def test_an_included_routine_is_named_with_or_without_its_mark_and_dos_bytes_are_read(
        tmp_path: Path) -> None:
    """A FUNCTION Width& or CONST Max% of an included file is called as `Width` too, as in
    the file itself (``type_marks``); a byte that is no UTF-8 (a DOS program's box
    drawing) does not keep its names from the includer."""
    (tmp_path / "lib.bm").write_bytes(
        b"CONST Max% = 3\nFUNCTION Width& (n AS LONG)\n    PRINT \"\xc9\xcd\xbb\"\n"
        b"    Width& = n * 2\nEND FUNCTION\n")
    text = "'$INCLUDE: 'lib.bm'\nPRINT Width(Max), Width&(1), Max%\n"
    assert problems(check(text, tmp_path / "main.bas")) == []


def test_freebasic_include_is_followed_and_a_shipped_header_is_no_warning(
        tmp_path: Path) -> None:
    """FreeBASIC's `#include once "inc/vec.bi"` is followed as `'$INCLUDE:` is (its TYPE
    is known, and so is the function it DECLAREs and defines nowhere: a library's header); `#include "fbgfx.bi"` and `#INCLUDE "crt/string.bi"`
    name headers FreeBASIC ships (`shipped_includes`, `library_includes`): no
    warning; a program's own header that is missing still warns."""
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "vec.bi").write_text(
        "TYPE Vec2\n    x AS DOUBLE\nEND TYPE\nDECLARE FUNCTION Len2 (v AS Vec2) AS DOUBLE\n",
        encoding="utf-8")
    text = ('#include "fbgfx.bi"\n#INCLUDE "crt/string.bi"\n#include once "inc/vec.bi"\n'
            '#include "mine.bi"\nDIM p AS Vec2\nPRINT Len2(p)\n')
    main = tmp_path / "main.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == [
        ("unresolved-include", "included file 'mine.bi' is not found next to this file: "
         "the names it declares are not known here, and no name is reported "
         "undefined in this file")]


def test_a_library_header_no_folder_holds_leaves_names_unknown_and_says_so(
        tmp_path: Path) -> None:
    """`#include "windows.bi"` (``structure.library_includes``): no warning, but the Win32
    names it declares are unknown here, so none is reported undefined, and a hint at the
    include says so; the same when the program's own header includes such a library.
    `fbgfx.bi` (``shipped_includes``: its names are builtins) leaves a misspelt name
    undefined."""
    def hints(analysis: FileAnalysis) -> list[tuple[str, str]]:
        return [(d.code, d.message) for d in analysis.diagnostics if d.severity == "hint"
                and d.code == "library-include"]

    calls = 'DIM h AS HWND\nh = FindWindow(NULL, "x")\nPRINT Widht\n'
    text = '#include "windows.bi"\n' + calls
    main = tmp_path / "main.bas"
    main.write_text(text, encoding="utf-8")
    found = check(text, main)
    assert problems(found) == []
    assert hints(found) == [("library-include", "'windows.bi' is a library header the "
                             "compiler ships, which craftls does not read: no name is "
                             "reported undefined in this file")]
    (tmp_path / "net.bi").write_text('#include once "win/winsock2.bi"\nCONST Port = 80\n',
                                     encoding="utf-8")
    nested = '#include "net.bi"\nPRINT Port\n' + calls
    found = check(nested, main)
    assert problems(found) == []
    assert hints(found) == [("library-include", "'net.bi' includes 'win/winsock2.bi', "
                             "which is a library header the compiler ships, which craftls "
                             "does not read: no name is reported undefined in this file")]
    graphics = '#include "fbgfx.bi"\nSCREENRES 320, 200\nPRINT Widht\n'
    found = check(graphics, main)
    assert problems(found) == [("undefined-name", "undefined name 'Widht'")]
    assert hints(found) == []
    # a project's own copy of a library header is read: its names are known, the others not
    (tmp_path / "windows.bi").write_text("CONST NULL = 0\n", encoding="utf-8")
    found = check('#include "windows.bi"\nPRINT NULL, Widht\n', main)
    assert problems(found) == [("undefined-name", "undefined name 'Widht'")]


def test_an_include_not_beside_the_file_is_found_in_a_folder_of_its_own(tmp_path: Path) -> None:
    """FreeBASIC's `#include once "vec.bi"` in `src/mesh.bas` of a project compiled with
    `-i src/inc`: not beside the file nor above it, the file is looked for in the
    folders of the includer's own folder."""
    (tmp_path / "src" / "inc").mkdir(parents=True)
    (tmp_path / "src" / "inc" / "vec.bi").write_text(
        "TYPE Vec2\n    x AS DOUBLE\nEND TYPE\nCONST Origin = 0\n", encoding="utf-8")
    text = '#include once "vec.bi"\nDIM p AS Vec2\nPRINT p.x, Origin\n'
    main = tmp_path / "src" / "mesh.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == []


def test_a_project_s_include_folder_and_its_copy_of_a_shipped_header_are_found(
        tmp_path: Path) -> None:
    """`tests/unit/sets.bas` of a project compiled with `-i include/basic`:
    `#include once "ext/sets.bi"` is found two folders below the folder two above the
    file; `ext/*` names headers FreeBASIC ships, but a project's own copy is looked for
    first (as the compiler's `-i` path is), and its names are known. A shipped header
    the project does not hold stays no warning; a bare name (no folder part) is not
    looked for that far (`nowhere.bi` still warns)."""
    (tmp_path / "include" / "basic" / "ext").mkdir(parents=True)
    (tmp_path / "include" / "basic" / "ext" / "sets.bi").write_text(
        "#define set_ok(v) ((v) <> 0)\nDECLARE FUNCTION set_size (n AS LONG) AS LONG\n",
        encoding="utf-8")
    (tmp_path / "include" / "basic" / "nowhere.bi").write_text("CONST Far = 1\n",
                                                               encoding="utf-8")
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    text = ('#include once "ext/sets.bi"\n#include "ext/other.bi"\n#include "nowhere.bi"\n'
            'PRINT set_ok(1); set_size(2); Far\n')
    main = tmp_path / "tests" / "unit" / "sets.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == [
        ("unresolved-include", "included file 'nowhere.bi' is not found next to this "
         "file: the names it declares are not known here, and no name is reported "
         "undefined in this file")]


def test_a_method_of_a_type_an_included_file_declares_sees_names_it_cannot_list(
        tmp_path: Path) -> None:
    """`SUB Socket.fill` in `socket.bas` whose TYPE Socket is in the `socket.bi` it
    includes: the body's bare names may be the type's fields (not known here), so none
    is undefined; QB64's `SUB Console.Log` beside it, Console being no type, still
    reports its unknown names."""
    (tmp_path / "socket.bi").write_text("TYPE Socket\n    limit AS INTEGER\nEND TYPE\n",
                                        encoding="utf-8")
    text = ('#include once "socket.bi"\nSUB Socket.fill (n AS INTEGER)\n'
            '    limit = limit + n\n    PRINT this.limit\nEND SUB\n'
            'SUB Console.Log (m AS STRING)\n    PRINT m; limit2\nEND SUB\n')
    main = tmp_path / "socket.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == [("undefined-name", "undefined name 'limit2'")]


def test_namespaces_reopen_and_an_included_one_is_known(tmp_path: Path) -> None:
    """FreeBASIC's `NAMESPACE ext ... END NAMESPACE` opened twice is one namespace (no
    duplicate); `NAMESPACE ext.text` declared in an included header is known to the
    includer as `ext` and, after `USING ext`, as `text`; a header's `#if not
    __FB_DEBUG__` reads one name (`__FB_DEBUG__` ends with `_`, no line continuation),
    so the `#define` in its first branch is the includer's too."""
    (tmp_path / "lib.bi").write_text(
        "#if not __FB_DEBUG__\n#define DPRINT(x)\n#endif\n"
        "namespace ext.text\n    declare function up (s as string) as string\n"
        "end namespace\n", encoding="utf-8")
    text = ('#include once "lib.bi"\nnamespace app\n    dim shared a as integer\n'
            'end namespace\nnamespace app\n    dim shared b as integer\nend namespace\n'
            'using ext\nusing text\nDPRINT("x")\nprint a; b\n')
    main = tmp_path / "main.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == []


def test_a_call_may_leave_out_parameters_with_default_values() -> None:
    """FreeBASIC's `b AS INTEGER = 5` (named or not, in a body or a DECLARE) may be left
    out of a call; the parameters without one may not, nor may a call pass more."""
    text = ('DECLARE SUB Mark (BYVAL AS INTEGER = 1, AS STRING = "*")\n'
            "SUB Show (a AS INTEGER, b AS INTEGER = 5)\n    PRINT a, b\nEND SUB\n"
            'FUNCTION Pad$ (s AS STRING, w AS INTEGER = 10, c AS STRING = " ")\n'
            "    Pad$ = s + STRING$(w, c)\nEND FUNCTION\n"
            "SUB Mark (BYVAL n AS INTEGER, t AS STRING)\n    PRINT n; t\nEND SUB\n"
            'Show 1\nShow 1, 2\nPRINT Pad$("a"), Pad$("a", 3), Pad$("a", 3, "-")\n'
            'Mark\nMark 2\nMark 2, "+"\n'
            "PRINT Pad$()\nShow 1, 2, 3\nMark 1, \"+\", 3\n")
    assert problems(check(text)) == [
        ("argument-count", "'Pad$' takes 1 to 3 arguments, 0 given"),
        ("argument-count", "'Show' takes 1 to 2 arguments, 3 given"),
        ("argument-count", "'Mark' takes 0 to 2 arguments, 3 given")]


def test_preserve_is_a_word_of_redim_and_a_name_elsewhere() -> None:
    """QB64 takes `preserve` as a parameter's name; after REDIM it is still the word
    that keeps the array's items (highlighted a keyword there, a parameter elsewhere)."""
    text = ("DIM a(5) AS INTEGER\nredim preserve a(10) AS INTEGER\nREDIM PRESERVE SHARED b(3)\n"
            "SUB Split (s AS STRING, parts() AS STRING, preserve AS INTEGER)\n"
            "    IF preserve = 0 THEN REDIM parts(0)\n    PRINT s; preserve; parts(0)\nEND SUB\n"
            'DIM p(1) AS STRING\nSplit "a b", p(), 1\nPRINT a(1), b(1)\n')
    analysis = check(text)
    assert problems(analysis) == []
    param = [s for s in analysis.model.symbols if s.name.lower() == "preserve"]
    assert [s.kind for s in param] == [SymbolKind.PARAMETER]
    assert len([r for r in analysis.model.references if r.symbol is param[0]]) == 2
    kinds = {(text[t.start:t.start + t.length], t.type)
             for t in semantic_tokens.classify(analysis)}
    assert {("preserve", "keyword"), ("PRESERVE", "keyword"),
            ("preserve", "parameter")} <= kinds


def test_a_bare_include_name_is_found_below_the_folder_above(tmp_path: Path) -> None:
    """`src/regex.bas` of a project compiled with `-i include/freebasic`: `#include once
    "vmatch.bi"` (no folder part) is found two folders below the folder above the file,
    and its names are known; a bare name is not looked for below folders further up."""
    (tmp_path / "include" / "freebasic").mkdir(parents=True)
    (tmp_path / "include" / "freebasic" / "vmatch.bi").write_text(
        "DECLARE FUNCTION regex_match (p AS STRING) AS LONG\nCONST REGEX_ANY = 1\n",
        encoding="utf-8")
    (tmp_path / "src").mkdir()
    text = '#include once "vmatch.bi"\nPRINT regex_match("a*"); REGEX_ANY\n'
    main = tmp_path / "src" / "regex.bas"
    main.write_text(text, encoding="utf-8")
    assert problems(check(text, main)) == []
    deeper = tmp_path / "src" / "tools" / "find.bas"
    deeper.parent.mkdir()
    deeper.write_text(text, encoding="utf-8")
    assert [code for code, _ in problems(check(text, deeper))] == ["unresolved-include"]
