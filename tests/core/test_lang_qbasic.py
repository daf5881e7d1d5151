"""QBasic / FreeBASIC, the bundled grammar-defined language `qbasic` (issue 17): our own
programs (tests/fixtures/qbasic/, examples/qbasic/) check clean section by section,
wrong programs give exactly the expected diagnostics, and every editor feature works on
it; plus the grammar engine features it needed (``NEWLINE``, ``member``, ``arguments``),
each tested on a small grammar of its own."""

from __future__ import annotations

import dataclasses
import threading
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.cli.editor_cmd import claimed_extensions, neovim_filetypes
from craftls.features import hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.catalog import BUNDLED_DIR, all_bundled, bundled, by_extension
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.model import SymbolKind
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.tokens import TRIVIA
from craftls.syntax.tree import SyntaxNode
from craftls.workspace.line_index import LineIndex

from .test_cli import craftls
from .test_incremental import assert_edits_reparse_as_fresh, draw_edits

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "qbasic"
EXAMPLES = ROOT / "examples" / "qbasic"
PROGRAMS = sorted(FIXTURES.glob("*.bas")) + sorted(EXAMPLES.glob("*.bas"))
# formatting a fixture with its indentation taken out gives it back; of the others,
# io_graphics.bas has `INPUT ; "prompt"` (written `INPUT;`) and preprocessor.bas lines
# the preprocessor skips, which keep the indentation they are written with
FORMATTED_AS_WRITTEN = [FIXTURES / n for n in ("control.bas", "declarations.bas", "files.bas",
                                                "freebasic.bas", "grades.bas")] \
    + sorted(EXAMPLES.glob("*.bas"))


def qb() -> LanguageDefinition:
    return bundled("qbasic")


def analysis(text: str) -> FileAnalysis:
    return analyze_with_types(parse(qb(), text))


def kinds(node: SyntaxNode) -> set[str]:
    return {n.kind for n in node.descendants()}


def significant(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in parse(qb(), text).root.leaves() if t.kind not in TRIVIA]


# ---------------------------------------------------------------- the definition

def test_the_bundled_definition_loads_without_problems() -> None:
    text = (BUNDLED_DIR / "qbasic.yaml").read_text(encoding="utf-8")
    loaded, problems = load_definition_text(text, "qbasic.yaml")
    assert problems == []
    assert loaded is not None and loaded.id == "qbasic" and loaded.grammar is not None
    assert {".bas", ".bi", ".bm"} == set(loaded.extensions)
    assert len(loaded.builtins) >= 100  # QBasic's library, so real programs resolve


def test_language_list_and_check_show_it() -> None:
    listed = craftls("language", "list")
    assert listed.returncode == 0 and "qbasic" in listed.stdout
    checked = craftls("language", "check", str(BUNDLED_DIR / "qbasic.yaml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_bas_goes_to_qbasic_and_the_teaching_basic_is_chosen_by_binding(tmp_path: Path) -> None:
    # a grammar that defines the whole language takes an extension before a
    # keyword-level definition that lists it too
    assert by_extension("game.bas").id == "qbasic"  # type: ignore[union-attr]
    assert by_extension("lib.bi").id == "qbasic"  # type: ignore[union-attr]
    # the editors agree with the server: .bas, .bi and .bm are qbasic's
    claimed = claimed_extensions(all_bundled())
    assert claimed["qbasic"] == (".bas", ".bi", ".bm") and claimed["basic"] == ()
    assert neovim_filetypes(all_bundled()).count('["bas"] = "qbasic"') == 1
    result = craftls("check", str(FIXTURES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": 0 errors, 0 warnings" in result.stderr
    # the teaching BASIC's programs, by a binding (examples/craft.toml binds its folder)
    program = tmp_path / "primes.bas"
    program.write_text((ROOT / "examples" / "basic" / "primes.bas").read_text(encoding="utf-8"),
                       encoding="utf-8")
    # FreeBASIC's IIF is qbasic's builtin, not the teaching BASIC's
    choice = tmp_path / "choice.bas"
    choice.write_text("PRINT IIF(1 < 2, 3, 4)\n", encoding="utf-8")
    result = craftls("check", str(choice), cwd=tmp_path)
    assert result.returncode == 0 and ": 0 errors, 0 warnings" in result.stderr, result.stdout
    (tmp_path / "craft.toml").write_text(
        '[[languages]]\ndefinition = "basic"\nfiles = ["*.bas"]\n', encoding="utf-8")
    result = craftls("check", str(program), cwd=tmp_path)
    assert result.returncode == 0 and ": 0 errors, 0 warnings" in result.stderr, result.stdout
    result = craftls("check", str(choice), cwd=tmp_path)
    assert "undefined name 'IIF'" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_our_programs_check_clean(path: Path) -> None:
    parsed = parse(qb(), path.read_text(encoding="utf-8"))
    assert [e.message for e in parsed.errors] == []
    assert [(d.severity, d.message) for d in analyze_with_types(parsed, path).diagnostics] == []


def test_each_section_parses_into_its_own_rules() -> None:
    found: set[str] = set()
    for path in PROGRAMS:
        found |= kinds(parse(qb(), path.read_text(encoding="utf-8")).root)
    assert {"if_stmt", "if_line", "select_stmt", "case_clause", "do_stmt", "while_stmt",
            "for_stmt", "exit_stmt", "label", "line_number", "gosub_stmt", "on_stmt",
            "dim_stmt", "redim_stmt", "const_stmt", "type_def", "field_decl", "declare_stmt",
            "sub_def", "function_def", "def_fn", "def_seg", "static_stmt", "shared_stmt",
            "open_stmt", "print_stmt", "input_stmt", "line_input", "line_stmt", "data_stmt",
            "read_stmt", "restore_stmt", "file_number", "coordinates", "dim_group",
            "directive", "define", "member", "deftype_stmt", "event_stmt"} <= found


@pytest.mark.parametrize("text, rules", [
    ("IF a THEN 100\n", ["if_stmt"]),
    ("IF a THEN b = 1 ELSE b = 2: PRINT b\n", ["if_stmt"]),
    ("IF a THEN IF b THEN PRINT 1 ELSE PRINT 2\n", ["if_stmt"]),
    ("x = 1: y = 2: PRINT x\n", ["assign_stmt", "separator", "assign_stmt", "separator",
                                 "print_stmt"]),
    ("Start: CLS: PRINT\n", ["label", "plain_call", "separator", "print_stmt"]),
    ("10 PRINT \"a\"\n20 GOTO 10\n", ["line_number", "print_stmt", "line_number", "goto_stmt"]),
    ("NEXT\n", ["ERROR"]),
])
def test_statements_end_with_their_line_or_a_colon(text: str, rules: list[str]) -> None:
    assert [c.kind for c in parse(qb(), text).root.children()] == rules


# ---------------------------------------------------------------- wrong programs

WRONG = [
    ('DIM n AS INTEGER\nn = LEN("a", "b")\nPRINT n\nFOR i% = 1 TO 3\n    PRINT i%\n',
     [(2, 8, "error", "argument-count", "'LEN' takes 1 argument, 2 given"),
      (5, 13, "error", "syntax", "expected 'NEXT' or ',', found the end of the file")]),
    ("SUB Show (a)\n    PRINT a\nEND SUB\nCALL Show(1, 2)\nGOTO Nowhere\n"
     "SELECT CASE 3\n    CASE 1\n        PRINT 1\n",
     [(4, 10, "error", "argument-count", "'Show' takes 1 argument, 2 given"),
      (5, 6, "warning", "undefined-name", "undefined name 'Nowhere'"),
      (8, 16, "error", "syntax", "expected 'END' or 'CASE', found the end of the file")]),
    ("PRINT 1\nx = 1 2\nCONST K = 1, K = 2\n",
     # the line is one ERROR node (too many tokens could follow `1` to name them)
     [(2, 1, "error", "syntax", "unexpected 'x'"),
      (3, 14, "error", "duplicate-declaration", "'K' is already declared in this scope")]),
    # a stray token in a SUB: one error, the SUB keeps its statements (x declared,
    # Missing% checked) and the SUB after it is one (its call is checked against Show)
    ("SUB Show (a AS INTEGER)\n  DIM x AS INTEGER\n  x = 1\n  ) x = 2\n  PRINT x, Missing%\n"
     "  IF a > 0 THEN\n    PRINT a\n  END IF\nEND SUB\n\nSUB Other\n  Show 1, 2\nEND SUB\n",
     [(4, 3, "error", "syntax", "unexpected ')'"),
      (5, 12, "warning", "undefined-name", "undefined name 'Missing%'"),
      (12, 8, "error", "argument-count", "'Show' takes 1 argument, 2 given")]),
    # a missing closer found further on the line: one error there, not the whole line
    ('PRINT LEN("a" 2)\nPRINT 2\n',
     [(1, 15, "error", "syntax", "expected ')', found '2'")]),
]


# one mistake, one error in the tree (not only one shown per line)
ONE_ERROR = [
    # a line that is no statement: one error (its word written twice), not one per piece
    # between ',' and ';'
    ('x = 1\nPRINT PRINT MID$("ab", 2, 1); LEN("a"); 2\nPRINT x\n', "'PRINT' written twice"),
    # the rest of the line after a missing element is that mistake's, not a second
    # error at the same place ("unexpected 'TO'")
    ("x = 1\nFOR i = 1 TO TO 3\n  x = x + i\nNEXT i\nPRINT x\n", "expected expression, found 'TO'"),
    # a missing THEN / GOTO found further on the line takes the tokens before it (a
    # choice of forms that each begin with a word is looked for as a word is)
    ("score = 1\nIF score >= 90 90 THEN\n  PRINT \"A\"\nELSEIF score >= 80 THEN\n"
     "  PRINT \"B\"\nEND IF\nPRINT score\n", "expected 'GOTO' or 'THEN', found '90'"),
    # an operator written twice: its operand is missing where the second one is
    ("score = 1\nIF score >= >= 90 THEN\n  PRINT \"A\"\nELSEIF score >= 80 THEN\n"
     "  PRINT \"B\"\nEND IF\nPRINT score\n", "expected expression, found '>='"),
    # the rest of that line goes on past a ',' (which ends a FOR's body in ``NEXT j,
    # i``, never a CASE's): the CASEs after it stay the SELECT's
    ("score = 1\nSELECT CASE score\n  CASE IS >= 90: PRINT \"top\"\n  CASE TO 89, 65\n"
     "    PRINT \"good\"\n  CASE 1, 2\n    PRINT \"low\"\n  CASE ELSE\n    PRINT \"other\"\n"
     "END SELECT\nPRINT score\n", "expected 'ELSE' or CASE value, found 'TO'"),
    # a block IF whose THEN line goes on with a mistake keeps its block (its ELSEIF
    # and ELSE were errors of their own, and its END IF too); a one-line IF with a
    # mistake is no block that runs into the routine's END
    ('score = 1\nIF score >= 90 THEN THEN\n  PRINT "A"\nELSEIF score >= 70 THEN\n  PRINT "B"\n'
     'ELSE\n  PRINT "F"\nEND IF\nPRINT score\n', "unexpected 'THEN'"),
    ("FUNCTION F# (n AS INTEGER)\n  IF n <= 1 THEN = 1 ELSE F# = n\nEND FUNCTION\nPRINT F#(2)\n",
     "unexpected '='"),
    # so does a line that is no item of its own
    ("score = 1\nSELECT CASE score\n  CASE 1 1, 2\n    PRINT \"low\"\n  CASE ELSE\n"
     "    PRINT \"other\"\nEND SELECT\nPRINT score\n", "'1' written twice"),
    # ... and stops at one that can end it (a NEXT after a ':')
    ("FOR i = 1 TO TO 3: BEEP: NEXT i\nPRINT i\n", "expected expression, found 'TO'"),
]


@pytest.mark.parametrize("text, message", ONE_ERROR)
def test_one_mistake_is_one_error_in_the_tree(text: str, message: str) -> None:
    assert [e.message for e in parse(qb(), text).errors] == [message]


@pytest.mark.parametrize("text, expected", WRONG)
def test_wrong_programs_give_exactly_the_expected_diagnostics(
        text: str, expected: list[tuple[int, int, str, str, str]]) -> None:
    index = LineIndex(text)
    found = []
    for d in analysis(text).diagnostics:
        if d.severity == "hint":
            continue
        line, col = index.position(d.start)
        found.append((line + 1, col + 1, d.severity, d.code, d.message))
    assert found == expected


# ---------------------------------------------------------------- editor features

GREET = ('DECLARE SUB Greet (who$, times%)\nGreet "ada", 2\nCALL Greet("bob", 1)\n'
         "GOSUB Done\nEND\nDone:\nRETURN\nSUB Greet (who$, times%)\n"
         "    FOR i% = 1 TO times%\n        PRINT who$\n    NEXT\nEND SUB\n")


def test_a_declare_and_its_sub_are_one_symbol() -> None:
    a = analysis(GREET)
    assert a.diagnostics == []
    declared = [s for s in a.model.symbols if s.name == "Greet"]
    assert [(s.kind, [p.name for p in s.params]) for s in declared] == [
        (SymbolKind.PROCEDURE, ["who$", "times%"])]
    sub = GREET.index("\nSUB Greet (") + 5
    uses = [GREET.index("Greet"), GREET.index('Greet "'), GREET.index("Greet(")]
    spans = navigation.rename_spans(a, sub, "Hello")
    assert sorted(s.start for s in spans) == [*uses, sub]
    for use in uses:
        target = navigation.definition(a, use)
        assert target is not None and target.start == sub
    refs = [r.start for r in navigation.references(a, uses[0])]
    assert sorted(refs) == [*uses, sub]


def test_labels_are_declared_and_gosub_goes_to_them() -> None:
    a = analysis(GREET)
    label = GREET.index("Done:")
    target = navigation.definition(a, GREET.index("GOSUB Done") + 6)
    assert target is not None and target.start == label
    spans = navigation.rename_spans(a, label, "Finish")
    assert sorted(s.start for s in spans) == [GREET.index("GOSUB Done") + 6, label]


LABELLED = "d = 0\nGOSUB d\nPRINT d\nRESTORE d\nEND\nd:\nd = d + 1\nRETURN\nSUB s\n    GOTO d\n    d:\nEND SUB\n"


def test_a_label_and_a_variable_of_one_name_are_two_names() -> None:
    """`structure.labels: separate`: `d:` and `d = 0` are no duplicate; GOSUB, RESTORE
    and GOTO name the label, the other uses the variable (a SUB's label is its own)."""
    a = analysis(LABELLED)
    assert [(d.severity, d.message) for d in a.diagnostics] == []
    label = LABELLED.index("d:\n")
    jumps = [LABELLED.index("GOSUB d") + 6, LABELLED.index("RESTORE d") + 8]
    assert sorted(r.start for r in navigation.references(a, label)) == [*jumps, label]
    variable = [LABELLED.index("d = 0"), LABELLED.index("PRINT d") + 6,
                LABELLED.index("d = d"), LABELLED.index("= d +") + 2]
    assert sorted(r.start for r in navigation.references(a, 0)) == variable
    inner = LABELLED.index("    d:") + 4
    target = navigation.definition(a, LABELLED.index("GOTO d") + 5)
    assert target is not None and target.start == inner
    assert sorted(s.start for s in navigation.rename_spans(a, label, "Again")) == [
        *jumps, label]


def test_a_label_is_renamed_among_the_labels() -> None:
    text = "x = 1\nGOTO d\nd:\ne:\nPRINT x\n"
    a = analysis(text)
    label = text.index("d:")
    assert sorted(s.start for s in navigation.rename_spans(a, label, "x")) == [
        text.index("GOTO d") + 5, label]
    with pytest.raises(navigation.RenameRefused, match="already declared"):
        navigation.rename_spans(a, label, "e")


def test_with_shared_labels_a_label_and_a_variable_clash() -> None:
    definition = qb()
    shared = dataclasses.replace(definition, structure=dataclasses.replace(
        definition.structure, labels="shared"))
    found = analyze_with_types(parse(shared, LABELLED)).diagnostics
    assert [d.message for d in found if d.severity == "error"] == [
        "'d' is already declared in this scope"]


def test_line_numbers_are_labels_that_jumps_refer_to() -> None:
    text = "10 PRINT 1\n20 GOTO 10\nIF 1 THEN 10 ELSE 30\nGOSUB 20\n"
    a = analysis(text)
    assert [d.message for d in a.diagnostics] == ["undefined name '30'"]
    assert [(s.name, s.kind) for s in a.model.symbols] == [("10", SymbolKind.LABEL),
                                                           ("20", SymbolKind.LABEL)]
    target = navigation.definition(a, text.index("GOTO 10") + 5)
    assert target is not None and target.start == 0
    assert sorted(r.start for r in navigation.references(a, 0)) == [
        0, text.index("GOTO 10") + 5, text.index("THEN 10") + 5]


MARKED = ('DECLARE FUNCTION Menu% ()\nDIM s AS STRING\nchoice = Menu\nPRINT Menu%; choice\n'
          's$ = "a"\nPRINT s; s$\na = 1\na$ = "x"\nPRINT a; a$\nEND\n'
          'FUNCTION Menu%\n    Menu = 1\nEND FUNCTION\n'
          'SUB Show (t AS STRING)\n    PRINT t$\nEND SUB\n')


def test_a_name_with_its_type_mark_is_the_name_declared_with_that_type() -> None:
    """`structure.type_marks`: FUNCTION Menu% is also Menu, a variable DIMmed AS STRING
    (or a parameter) is also s$; a and a$ that only assignments make stay two names."""
    a = analysis(MARKED)
    assert [(d.severity, d.message) for d in a.diagnostics] == []
    function = MARKED.index("FUNCTION Menu%\n") + 9
    uses = [MARKED.index("= Menu\n") + 2, MARKED.index("Menu%;"), MARKED.index("Menu = 1")]
    target = navigation.definition(a, uses[0])
    assert target is not None and target.start == function
    heading = MARKED.index("Menu% ()")
    assert sorted(r.start for r in navigation.references(a, function)) == sorted(
        [heading, *uses, function])
    dim = MARKED.index("s AS STRING")
    assert sorted(r.start for r in navigation.references(a, dim)) == [
        dim, MARKED.index('s$ = "a"'), MARKED.index("s; s$"), MARKED.index("s$\na = 1")]
    assert [(s.name, s.kind) for s in a.model.symbols if s.name.lower().startswith("a")] == [
        ("a", SymbolKind.VARIABLE), ("a$", SymbolKind.VARIABLE)]
    param = MARKED.index("t AS STRING")
    assert sorted(r.start for r in navigation.references(a, param)) == [
        param, MARKED.index("t$\nEND SUB")]


def test_without_type_marks_the_spellings_are_different_names() -> None:
    definition = qb()
    plain = dataclasses.replace(definition, structure=dataclasses.replace(
        definition.structure, type_marks=()))
    found = analyze_with_types(parse(plain, MARKED)).diagnostics
    assert {d.message for d in found if d.severity == "warning"} == {
        "undefined name 'Menu'", "undefined name 't$'"}


def test_hover_and_signature_help_on_a_sub() -> None:
    a = analysis(GREET)
    info = hover.hover(a, GREET.index('Greet "'))
    assert info is not None and "procedure Greet(who$, times%)" in info.markdown
    for at in (GREET.index("2\n"), GREET.index('1)')):  # without and with parentheses
        help_ = hover.signature_help(a, at)
        assert help_ is not None and help_.parameters == ["who$", "times%"]
        assert help_.active_parameter == 1


def test_signature_help_after_a_call_that_ends_the_file_answers() -> None:
    # `CLOSE #2` is a call whose last argument ends where only the line break is left:
    # counting its arguments used to ask for the token after the file's last one forever
    text = "CLOSE #1\nCLOSE #2\n"
    a = analysis(text)
    answered: list[int] = []

    def every_offset() -> None:
        for offset in range(len(text) + 1):
            hover.signature_help(a, offset)
            answered.append(offset)

    worker = threading.Thread(target=every_offset, daemon=True)
    worker.start()
    worker.join(30)
    assert answered[-1:] == [len(text)]


def test_a_one_argument_statement_call_counts_one_argument() -> None:
    a = analysis("SUB One (a)\nEND SUB\nOne 5\nSCREEN 12\nOne 1, 2\n")
    assert [d.message for d in a.diagnostics] == ["'One' takes 1 argument, 2 given"]


def test_parameters_locals_and_shared_variables_have_their_scopes() -> None:
    text = ("DIM SHARED total AS INTEGER\nx = 1\nSUB Add (BYVAL n AS INTEGER, items())\n"
            "    SHARED x\n    local = n + x\n    total = total + local + items(1)\nEND SUB\n")
    a = analysis(text)
    assert a.diagnostics == []
    total = navigation.definition(a, text.index("total = total") + 8)
    assert total is not None and total.start == text.index("total AS")
    shared = navigation.definition(a, text.index("SHARED x") + 7)
    assert shared is not None and shared.start == text.index("x = 1")
    add = next(s for s in a.model.symbols if s.name == "Add")
    assert [p.name for p in add.params] == ["n", "items"]


def test_a_sub_sees_only_the_module_variables_it_shares() -> None:
    """``isolated``/``shared``: a FUNCTION's own `a = 1` is its local, not the module's
    `a` declared STRING (no type error); a SUB sees DIM SHARED, COMMON SHARED, REDIM
    SHARED and what its SHARED statement names, and the module's CONSTs, TYPEs, DEF FNs,
    SUBs and labels; the module's other variables are no names of the SUB's."""
    text = ("DIM a AS STRING * 5\nDIM SHARED t AS INTEGER\nCOMMON SHARED c\n"
            "REDIM SHARED r(3)\nCONST LIMIT = 10\nTYPE P\n    x AS INTEGER\nEND TYPE\n"
            "DEF FNsq (v) = v * v\nn = 3\na = \"hello\"\nPRINT a; n; Life(2)\nCALL Show\n"
            "ON ERROR GOTO handler\nEND\nhandler:\nRESUME NEXT\n"
            "FUNCTION Life (k)\n    a = 1\n    b = a + k + LIMIT + FNsq(2)\n"
            "    DIM q AS P\n    q.x = b\n    t = t + q.x + c + r(1)\n    Life = b\n"
            "END FUNCTION\nSUB Show\n    SHARED n\n    FOR i = 1 TO n\n    NEXT\n"
            "    PRINT Life(i); i\nEND SUB\n")
    a = analysis(text)
    assert [(d.code, d.message) for d in a.diagnostics] == []
    local = navigation.definition(a, text.index("b = a + k") + 4)
    assert local is not None and local.start == text.index("a = 1")
    for name, at in (("t = t", "t AS INTEGER"), ("c + r", "c\n"), ("r(1)", "r(3)"),
                     ("LIMIT + FNsq", "LIMIT = 10"), ("FNsq(2)", "FNsq (v)"),
                     ("P\n    q.x", "P\n    x AS")):
        found = navigation.definition(a, text.index(name))
        assert found is not None and found.start == text.index(at), name
    shown = navigation.definition(a, text.index("TO n") + 3)
    assert shown is not None and shown.start == text.index("n = 3")
    # the module's i (none) and the SUB's loop variable: the SUB's own
    loop = navigation.definition(a, text.index("i); i") + 4)
    assert loop is not None and loop.start == text.index("i = 1 TO")


def test_a_module_variable_a_sub_does_not_share_is_no_name_of_the_sub() -> None:
    text = "count = 3\nx$ = \"a\"\nCALL Show\nSUB Show\n    PRINT count; x$\nEND SUB\n"
    a = analysis(text)
    assert sorted((d.code, d.message) for d in a.diagnostics
                  if d.severity == "warning") == [
        ("undefined-name", "undefined name 'count'"), ("undefined-name", "undefined name 'x$'")]
    names = {s.name for s in a.model.visible_symbols(text.index("PRINT count"))}
    assert "Show" in names and "count" not in names and "x$" not in names


def assert_clean(text: str) -> None:
    parsed = parse(qb(), text)
    assert [e.message for e in parsed.errors] == []
    assert [(d.code, d.message) for d in analyze_with_types(parsed).diagnostics] == []


def test_qb64_forms_real_programs_use() -> None:
    """REDIM SHARED x without bounds, QB64-PE's _ANDALSO and _ORELSE, and the metacommand
    conditionals $IF / $ELSE / $END IF (only the first branch is parsed: no CONST
    declared twice)."""
    text = ('$IF WIN THEN\nCONST SEP = "\\"\n$ELSEIF MAC THEN\nCONST SEP = ":"\n$ELSE\n'
            'CONST SEP = "/"\n$END IF\nREDIM SHARED room\nDIM AS STRING s\n'
            'REDIM SHARED AS _UNSIGNED LONG low, high\nlow = 1\n'
            'IF room > 0 _ANDALSO s = "" THEN PRINT SEP\n'
            'IF room > 0 _ORELSE s <> "" THEN PRINT 2\nCALL Show\nSUB Show\n'
            '    room = room + low + high\n    SHARED AS _UNSIGNED INTEGER spec(), n\n    n = spec(1)\n'
            'END SUB\n')
    assert_clean(text)
    shared = navigation.definition(analysis(text), text.index("room + low"))
    assert shared is not None and shared.start == text.index("room\nDIM")
    # QB64's marks on numbers (0%%, 12&&, 3~&, 0.5##) and _MK$ / _CV with a type first
    marked = ("CONST A%% = 0%%\nCONST B&& = 12&&\nx~& = 3~&\ny## = 0.5##\n"
              "v$ = _MK$(LONG, 0) + _MK$(_INTEGER64, B&&)\nn& = _CV(LONG, v$)\n"
              "PRINT A%%, x~&, y##, n&\n"
              # QB64 and QB64-PE builtins real programs use
              'IF _TOTALDROPPEDFILES > 0 THEN f$ = _DROPPEDFILE$: _FINISHDROP\n'
              '_ASSERT 1 > 0, "no"\nz = _IIF(f$ = "", 1, 2)\nIF _BUTTONCHANGE(1) THEN PRINT z\n')
    assert_clean(marked)


def test_qb64_forms_of_the_ninth_round() -> None:
    """A '_' ending a line continues it with no blank before it (`OR_`, `THEN_`; a name
    with an underscore inside stays whole), SHELL's options _HIDE and _DONTWAIT, and
    metacommand lines among a DECLARE LIBRARY's declarations."""
    assert_clean("a = 4: b = 16\nIF (a AND 4) OR_\n    (b AND 16) THEN_\n    PRINT a\n"
                 "my_total = a_\n    + b\nPRINT my_total\n")
    assert_clean('cmd$ = "dir"\nSHELL _HIDE "DIR " + cmd$\nShell _DontWait _Hide cmd$\n'
                 'SHELL cmd$\n')
    assert_clean('$IF WIN THEN\nDECLARE DYNAMIC LIBRARY "a"\n$ELSE\nDECLARE LIBRARY "b"\n'
                 '$END IF\n    FUNCTION f& (BYVAL x AS LONG)\n$IF 64BIT THEN\n    SUB g\n'
                 '$END IF\nEND DECLARE\nPRINT f&(1)\ng\n')


def test_a_routine_with_a_period_in_its_name_is_no_undefined_name() -> None:
    """QB64's SUB Console.Log / FUNCTION Path.Join$ (``external`` on the method form):
    calls of them are no undefined names; other undefined names stay reported."""
    text = ('Console.Log Path.Join$("a", "b")\nPRINT Other.Thing\n'
            'SUB Console.Log (m$)\n    PRINT m$\nEND SUB\n'
            'FUNCTION Path.Join$ (a AS STRING, b AS STRING)\n    Path.Join$ = a + "/" + b\n'
            'END FUNCTION\n')
    a = analysis(text)
    assert [(d.code, d.message) for d in a.diagnostics] == [
        ("undefined-name", "undefined name 'Other'")]


def test_a_dotted_routine_name_may_start_with_a_keyword() -> None:
    """QB64 libraries name routines String.concat$ or Print.Line: the keyword before the
    period is the name's first part (one name token: ``lexical.keyword_name_joiner``), in
    the heading, in the result's assignment and in calls (a statement's own keyword stays
    that statement: PRINT .x in a WITH block)."""
    text = ('FUNCTION String.concat$ (this AS STRING, other AS STRING)\n'
            '    String.concat = this + other\nEND FUNCTION\n'
            'FUNCTION String.trim$ (s AS STRING)\n    String.trim = LTRIM$(RTRIM$(s))\n'
            'END FUNCTION\n'
            'FUNCTION String.Length& (s AS STRING)\n    String.Length = LEN(s)\nEND FUNCTION\n'
            'SUB Print.Line (msg AS STRING)\n    PRINT msg\nEND SUB\n'
            'FUNCTION String.only% (this AS STRING)\n    t$ = String.trim$(this)\n'
            '    FOR i = 0 TO String.Length(t$) - 1\n    NEXT\n'
            '    String.only = String.concat$(t$, "x") = ""\nEND FUNCTION\n'
            'TYPE Pt\n    x AS INTEGER\nEND TYPE\nDIM p AS Pt\n'
            'WITH p\n    PRINT .x\nEND WITH\n')
    a = analysis(text)
    assert a.diagnostics == []
    with_print = parse(qb(), text).root
    assert "print_stmt" in {n.kind for n in with_print.descendants()
                            if n.start == text.index("PRINT .x")}


NODES = ("TYPE Cell\n    player AS INTEGER\nEND TYPE\nTYPE Node\n    value AS INTEGER\n"
         "END TYPE\nDIM SHARED GG(8, 8) AS Cell\nDIM node AS Node\nnode.value = 2\n"
         "PRINT node.value\nSUB Show (i, j)\n    DIM other AS Node\n"
         "    PRINT GG(i, j).player, other.value\nEND SUB\n")


def test_a_type_and_a_variable_of_one_name_are_two_and_an_element_has_its_array_s_type() -> None:
    """structure.type_names: separate: in DIM node AS Node the type position names the
    TYPE and the variable is its own name (no duplicate-declaration); node.value is
    the variable's field (also when the file's items are replayed from templates);
    GG(i, j).player is the field of the array's element type."""
    text = NODES
    for _ in range(2):  # the second analysis replays the items the first one walked
        a = analysis(text)
        assert [d.code for d in a.diagnostics if d.severity != "hint"] == []
        node_type = text.index("Node\n")
        for use in (text.index("AS Node\nnode"), text.index("AS Node\n    PRINT")):
            found = navigation.definition(a, use + 3)
            assert found is not None and found.start == node_type
        variable = text.index("node AS")
        for use in (text.index("node.value = 2"), text.index("PRINT node") + 6):
            found = navigation.definition(a, use)
            assert found is not None and found.start == variable
        value = text.index("value AS")
        for use in (text.index("node.value = 2") + 5, text.index("other.value") + 6):
            found = navigation.definition(a, use)
            assert found is not None and found.start == value
        player = navigation.definition(a, text.index(").player") + 2)
        assert player is not None and player.start == text.index("player AS")
        info = hover.hover(a, text.index("AS Node\nnode") + 3)
        assert info is not None and "type" in info.markdown
    uses = [(r.start, text[r.start:r.end]) for r in navigation.references(a, node_type)]
    assert uses == [(node_type, "Node"), (text.index("Node\nnode"), "Node"),
                    (text.index("Node\n    PRINT"), "Node")]
    assert [text[r.start:r.end] for r in navigation.references(a, variable)] == ["node"] * 3


DOTTED = ('Console.Log Path.Join$("a", "b")\nx$ = Path.join(x$, "c")\nPRINT x$\n'
          'CALL Console.Log("d")\nTYPE Pt\n    x AS INTEGER\nEND TYPE\nDIM p AS Pt\n'
          'p.x = 1\nPRINT p.x\n'
          'SUB Console.Log (m$)\n    PRINT m$\nEND SUB\n'
          'FUNCTION Path.Join$ (a AS STRING, b AS STRING)\n    Path.Join$ = a + "/" + b\n'
          'END FUNCTION\n'
          'FUNCTION String.concat$ (a AS STRING, b AS STRING)\n    String.concat = a + b\n'
          'END FUNCTION\nPRINT String.concat$("a", "b")\n')


def test_a_dotted_routine_is_declared_under_its_whole_name_and_its_calls_use_it() -> None:
    """QB64's SUB Console.Log / FUNCTION Path.Join$ (grammar annotation ``dotted``): one
    symbol of the whole name, which calls with or without CALL, in an expression, and
    the result's assignment refer to (with or without the type mark); a record's p.x
    stays the variable p and its field."""
    a = analysis(DOTTED)
    assert a.diagnostics == []
    routines = {(s.name, s.kind, len(s.params)) for s in a.model.symbols
                if "." in s.name}
    assert routines == {("Console.Log", SymbolKind.PROCEDURE, 1),
                        ("Path.Join$", SymbolKind.FUNCTION, 2),
                        ("String.concat$", SymbolKind.FUNCTION, 2)}
    heading = DOTTED.index("Console.Log (m$)")
    for use in (0, DOTTED.index('Console.Log("d")'), 8):
        found = navigation.definition(a, use)
        assert found is not None and (found.start, found.end) == (heading, heading + 11)
    joins = [(r.start, r.end) for r in navigation.references(a, DOTTED.index("Join$"))]
    assert [DOTTED[s:e] for s, e in joins] == ["Path.Join$", "Path.join", "Path.Join$",
                                                "Path.Join$"]
    concat = navigation.definition(a, DOTTED.index('concat$("a"'))
    assert concat is not None and concat.start == DOTTED.index("String.concat$ (")
    x = navigation.definition(a, DOTTED.index("p.x = 1") + 2)
    assert x is not None and DOTTED[x.start:x.end] == "x" and x.start == DOTTED.index("x AS")
    p = navigation.definition(a, DOTTED.index("p.x = 1"))
    assert p is not None and p.start == DOTTED.index("p AS Pt")
    info = hover.hover(a, DOTTED.index("join(x$"))
    assert info is not None and "Path.Join$" in info.markdown \
        and (info.start, info.end) == (DOTTED.index("Path.join"), DOTTED.index("(x$"))
    help_ = hover.signature_help(a, DOTTED.index('"b")'))
    assert help_ is not None and help_.label == "function Path.Join$(a: STRING, b: STRING)" \
        and help_.active_parameter == 1
    parts = {DOTTED[t.start:t.start + t.length]: t.type
             for t in semantic_tokens.classify(a, 0, DOTTED.index("\n"))}
    assert parts == {"Console": "function", "Log": "function", "Path": "function",
                     "Join$": "function", '"a"': "string", '"b"': "string"}


def test_a_dotted_routine_is_renamed_whole_and_its_calls_are_counted() -> None:
    a = analysis(DOTTED)
    spans = navigation.rename_spans(a, DOTTED.index("Log"), "Console.Write")
    assert {DOTTED[s.start:s.end] for s in spans} == {"Console.Log"} and len(spans) == 3
    wrong = analysis(DOTTED + 'PRINT Path.Join$("a")\nConsole.Log 1, 2\n')
    assert [(d.code, d.message) for d in wrong.diagnostics] == [
        ("argument-count", "'Path.Join$' takes 2 arguments, 1 given"),
        ("argument-count", "'Console.Log' takes 1 argument, 2 given")]


def test_type_fields_are_fields_and_member_names_are_no_references() -> None:
    text = "TYPE Pt\n    x AS INTEGER\n    y AS INTEGER\nEND TYPE\nDIM p AS Pt\np.x = 1\nPRINT p.y\n"
    a = analysis(text)
    assert a.diagnostics == []
    assert {(s.name, s.kind) for s in a.model.symbols} >= {
        ("Pt", SymbolKind.TYPE), ("x", SymbolKind.FIELD), ("y", SymbolKind.FIELD),
        ("p", SymbolKind.VARIABLE)}
    pt = navigation.definition(a, text.index("AS Pt") + 3)
    assert pt is not None and pt.start == text.index("Pt")


def test_document_symbols_and_folding() -> None:
    a = analysis((FIXTURES / "declarations.bas").read_text(encoding="utf-8"))
    items = {i.name: i for i in outline.document_symbols(a)}
    assert {"Point2", "Player", "LIMIT", "calls", "Fill", "Swap2", "Total&", "Counter%",
            "FNsquare"} <= set(items)
    assert [c.name for c in items["Counter%"].children] == ["count"]
    text = "SUB S\n    IF a THEN\n        b = 1\n    END IF\nEND SUB\nPRINT 1\n"
    folds = [(f.start, f.end) for f in outline.folding_ranges(analysis(text))]
    assert folds == [(0, text.index("END SUB") + 7),
                     (text.index("IF"), text.index("END IF") + 6)]


def test_semantic_tokens_classify_the_program() -> None:
    text = "' note\nCONST K = 1\nSUB S (p)\n    PRINT \"s\"; p; K\nEND SUB\n"
    found = {(text[t.start:t.start + t.length], t.type)
             for t in semantic_tokens.classify(analysis(text))}
    assert {("' note", "comment"), ("CONST", "keyword"), ("K", "variable"),
            ('"s"', "string"), ("S", "function"), ("p", "parameter"),
            ("PRINT", "keyword"), ("1", "number")} <= found


@pytest.mark.parametrize("path", FORMATTED_AS_WRITTEN, ids=lambda p: p.name)
def test_formatting_gives_back_our_indentation_and_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    flat = "\n".join(line.strip() for line in text.splitlines()) + "\n"
    formatted = format_text(parse(qb(), flat))
    assert formatted == text
    assert format_text(parse(qb(), formatted)) == formatted


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_formatting_keeps_every_token_and_crlf(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(parse(qb(), text))
    assert significant(formatted) == significant(text)
    assert format_text(parse(qb(), formatted)) == formatted
    crlf = text.replace("\n", "\r\n")
    assert format_text(parse(qb(), crlf)) == formatted.replace("\n", "\r\n")


def test_empty_arguments_and_coordinates_format_without_changing_tokens() -> None:
    """An omitted argument keeps its place: `LOCATE , 5` is not `LOCATE, 5` (QBasic's
    own editor writes it so), and `, , BF` is not `,, BF`."""
    text = "LOCATE , 5\nLINE (1, 2)-STEP(3, 4), , BF\nDEFINT A-Z\nCOLOR , 1\n"
    assert format_text(parse(qb(), text)) == text
    squeezed = "LOCATE   ,5\nLINE (1,2)-STEP(3,4),,BF\nDEFINT A-Z\nCOLOR,1\n"
    assert format_text(parse(qb(), squeezed)) == text


# ---------------------------------------------------------------- incremental

FRAGMENTS = ["", "x", "1", " ", "\n", ":", "(", ")", '"', "'", "PRINT ", "END IF\n",
             "NEXT i%", "IF a THEN ", "SUB S\n", "END SUB\n", "CASE ", "DO\n", "LOOP\n",
             "Label:", "10 ", "_\n", ",", "REM "]


@cache
def program_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in PROGRAMS]


@st.composite
def edit_cases(draw: st.DrawFn) -> tuple[str, list[TextEdit]]:
    text = draw(st.sampled_from(program_texts()))
    return text, draw_edits(draw, text, FRAGMENTS, 12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edit_cases())
def test_incremental_reparse_equals_a_fresh_parse(case: tuple[str, list[TextEdit]]) -> None:
    text, edits = case
    assert_edits_reparse_as_fresh(qb(), text, edits)


# ---------------------------------------------------------------- engine features

LINES = """name: Lines
lexical: {line_comments: ["#"]}
keywords: {say: SAY, go: GO}
structure: {statements: newline}
grammar:
  start: file
  rules:
    file: "item*"
    item: "mark / statement"
    mark:
      match: "NEWLINE IDENT ':'"
      declares: label
    statement: "(say / go) end"
    say: "'SAY' IDENT*"
    go: "'GO' IDENT"
    end: "NEWLINE / &':'"
"""


def lines_language() -> LanguageDefinition:
    definition, problems = load_definition_text(LINES)
    assert definition is not None and problems == [], problems
    return definition


def test_newline_matches_where_a_line_ends() -> None:
    definition = lines_language()
    parsed = parse(definition, "top:\nSAY a b\nSAY c\n  # note\nGO top\n")
    assert parsed.errors == []
    assert [c.kind for c in parsed.root.children()] == ["mark", "say", "say", "go"]
    # `a b` on one line, but a name on the next line starts a new statement
    wrong = parse(definition, "GO a b\n")
    assert [e.message for e in wrong.errors] == ["expected the end of the line or ':', found 'b'"]
    # a label only at the start of a line: in `SAY x y:` the ':' is left over
    assert [c.kind for c in parse(definition, "SAY x y:\nz:\n").root.children()] == [
        "say", "ERROR", "mark"]


def test_newline_in_a_loop_is_a_loop_that_matches_nothing() -> None:
    text = LINES.replace('"item*"', '"item* NEWLINE*"')
    definition, problems = load_definition_text(text)
    assert definition is None or any("repeat without consuming" in p.message for p in problems)
    assert any("repeat without consuming" in p.message for p in problems)


def test_member_and_arguments_annotations() -> None:
    text = LINES.replace('''    statement: "(say / go) end"''', '''    statement: "(say / go / use) end"
    use:
      match: "IDENT part* ('(' args ')')?"
      call: true
    part:
      match: "'.' IDENT"
      member: true
    args:
      match: "IDENT % ','"
      arguments: true''')
    definition, problems = load_definition_text(text)
    assert definition is not None and problems == [], problems
    source = "top:\nthing.field.more(top)\n"
    a = analyze_with_types(parse(definition, source))
    assert [d.message for d in a.diagnostics] == ["undefined name 'thing'"]  # not field, more
    (call,) = a.model.calls_between(0, len(source))
    assert call.args == 1  # one argument: the list is still its own node


# ---------------------------------------------------------------- preprocessor (grammar.preprocessor)

def syntax_errors(text: str) -> list[str]:
    return [e.message for e in parse(qb(), text).errors]


def test_an_object_like_macro_parses_as_its_body() -> None:
    text = ('#define NL !"\\n"\n#define NOT_EQUAL <>\n#define ALSO AND\n#define LOOK\n'
            's$ = "a" NL "b"\nIF 1 NOT_EQUAL 2 ALSO 3 > 2 THEN PRINT s$ LOOK\n')
    parsed = parse(qb(), text)
    assert [e.message for e in parsed.errors] == []
    assert parsed.root.text == text  # every character stays in the tree
    # without the macros the uses are errors: the expansion is what makes them parse
    assert syntax_errors(text.replace("#define", "' #define")) != []


def test_a_macro_use_is_a_reference_to_its_define() -> None:
    text = '#define NL !"\\n"\nPRINT "a" NL "b"\nPRINT NL\n'
    a = analysis(text)
    assert [d.message for d in a.diagnostics] == []
    name = text.index("NL")
    uses = [text.index("NL", name + 1), text.rindex("NL")]
    for use in uses:
        target = navigation.definition(a, use)
        assert target is not None and target.start == name
    assert sorted(r.start for r in navigation.references(a, name)) == [name, *uses]


def test_macros_follow_define_and_undef_and_function_like_ones_stay_calls() -> None:
    assert syntax_errors("#define EQ =\n#undef EQ\nIF a EQ b THEN x = 1\n") != []
    assert syntax_errors("IF a EQ b THEN x = 1\n#define EQ =\n") != []
    # a function-like macro (name and '(' touch) is not expanded: its uses are calls
    assert syntax_errors("#define TWICE(a) ((a) * 2)\nx = TWICE(3)\n") == []
    # a macro whose body uses an earlier one gets that one's expansion
    assert syntax_errors('#define NL !"\\n"\n#define TWO "a" NL "b"\nx$ = "<" TWO ">"\n') == []


def test_only_a_conditional_s_first_branch_is_parsed() -> None:
    text = ("#ifdef BIG\nSUB grow (BYVAL n AS LONG)\n#else\nSUB grow (BYVAL n AS INTEGER)\n"
            "#endif\n    PRINT n\nEND SUB\n")
    parsed = parse(qb(), text)
    assert [e.message for e in parsed.errors] == []
    assert parsed.root.text == text
    subs = [n for n in parsed.root.descendants() if n.kind == "sub_def"]
    assert len(subs) == 1
    # nested conditionals are counted; an #else without #endif skips nothing
    nested = ("#if A\n#if B\nx = 1\n#else\nx = (\n#endif\n#else\ny = (\n#endif\n")
    assert syntax_errors(nested) == []
    assert syntax_errors("#if A\nx = 1\n#else\ny = (\n") != []


def test_a_multi_line_macro_s_body_is_not_parsed() -> None:
    text = "#macro swapper(a, b)\n    tmp = a: a = b: b = tmp\n    IF (\n#endmacro\nswapper(x, y)\n"
    assert syntax_errors(text) == []
    assert any(s.name == "swapper" for s in analysis(text).model.symbols)


def test_an_edit_near_a_directive_reparses_as_fresh() -> None:
    text = (FIXTURES / "preprocessor.bas").read_text(encoding="utf-8")
    at = text.index("#define NOT_EQUAL")
    edits = [TextEdit(at, at, "' "), TextEdit(at, at + 2, "")]
    assert_edits_reparse_as_fresh(qb(), text, edits)
    assert_edits_reparse_as_fresh(qb(), text, [TextEdit(text.index("#else"), text.index("#else") + 1, "")])


PREPROCESSOR_PROBLEMS = """name: Pre
lexical: {line_comments: ["'"]}
operators: [{symbol: "#", precedence: 1}]
structure: {statements: newline}
grammar:
  start: file
  preprocessor:
    marker: "#"
    define: [DEFINE, "not a word"]
    conditional: [IF]
    alternative: [ELSE]
    macro: [IF]
    flavour: gnu
  rules:
    file: "ANY*"
"""


def test_what_the_preprocessor_section_does_not_understand_is_a_warning_at_its_place() -> None:
    definition, problems = load_definition_text(PREPROCESSOR_PROBLEMS)
    assert definition is not None and definition.grammar is not None
    found = {(p.message.split(" ")[0], p.line, p.severity) for p in problems}
    lines = PREPROCESSOR_PROBLEMS.splitlines()
    assert all(p.severity == "warning" for p in problems), problems
    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)
    messages = {p.line: p.message for p in problems}
    assert "not a word" in messages[line_of("define: [DEFINE")]
    assert "already listed" in messages[line_of("macro: [IF]")]
    assert "end_conditional" in messages[line_of("alternative: [ELSE]")]
    assert "flavour" in messages[line_of("flavour: gnu")]
    assert len(found) == 4
    spec = definition.grammar.preprocessor
    assert spec is not None and spec.define == ("DEFINE",) and spec.alternative == ()
    bad_marker = PREPROCESSOR_PROBLEMS.replace('marker: "#"', 'marker: "@@"')
    definition, problems = load_definition_text(bad_marker)
    assert definition is not None and definition.grammar is not None
    assert definition.grammar.preprocessor is None
    assert any("marker" in p.message and p.line == line_of("marker:") for p in problems)


# ---------------------------------------------------------------- FreeBASIC forms

@pytest.mark.parametrize("text", [
    "REDIM (items(i).parts)(n)\n",
    "REDIM store.items(10), p->items(5)\n",
    "REDIM AS INTEGER a(5), b(6)\n",
    "CONST AS INTEGER FRAMES = 60, SKIP = 1000 / FRAMES\n",
    "STATIC AS DOUBLE ratio = 1.5f\n",
    "x = 10d + 5u + 7ul + 8ll + 9ull + 1.5F\n",
    "IF s[i - 1] = 65 THEN s[i] = 66\n",
    "IF OPEN(\"a.txt\" FOR INPUT AS #1) THEN PRINT \"no file\"\n",
    "n = 9 * SIZEOF(INTEGER)\n",
    "CLEAR BYVAL buffer, 0, 16\n",
    "SUB total(values(ANY) AS INTEGER, grid(ANY, ANY) AS INTEGER)\nEND SUB\n",
    "WITH p\n    .x += 1\nEND WITH\n",
    "n = a - *p\n*p += 1\n",
    "s$ = \"a\" !\"\\n\" \"b\"\n",
    # unnamed parameters of a declaration, OPERATOR CAST without parentheses, and a
    # field group after a DECLARE (its AS is no result type of the DECLARE)
    "TYPE V\n    DECLARE OPERATOR CAST AS STRING\n    DECLARE SUB f (AS SINGLE = 1, BYREF AS"
    " STRING)\n    AS SINGLE x, y\nEND TYPE\nDECLARE FUNCTION g (BYVAL AS LONG) AS LONG\n",
    "NAMESPACE ext.net\n    DIM SHARED n AS INTEGER\nEND NAMESPACE\n",
    "ENUM Hook EXPLICIT\n    first\n    second\nEND ENUM\n",
])
def test_freebasic_forms_parse(text: str) -> None:
    assert syntax_errors(text) == []


# ---------------------------------------------------------------- formatting

def test_a_line_continuation_stays_and_its_lines_are_indented_one_deeper() -> None:
    text = "IF a THEN\n    x = 1 + _\n        2\n    PRINT \"a\"; _\n        \"b\"\nEND IF\n"
    squeezed = "IF a THEN\nx = 1 +   _\n2\n  PRINT \"a\";_\n\"b\"\nEND IF\n"
    assert format_text(parse(qb(), text)) == text
    assert format_text(parse(qb(), squeezed)) == text
    crlf = squeezed.replace("\n", "\r\n")
    assert format_text(parse(qb(), crlf)) == text.replace("\n", "\r\n")


def test_lines_the_preprocessor_skips_are_formatted_as_written() -> None:
    text = "#ifdef A\nx  =  1\n#else\ny  =   2\n  #endif\n"
    assert format_text(parse(qb(), text)) == "#ifdef A\nx = 1\n#else\ny  =   2\n#endif\n"


def test_qb64_switch_statements_and_bit_marks_on_numbers() -> None:
    """QB64's _CONTROLCHR OFF / _BLINK ON are statements (before, an error: and in a
    block of a SUB, its ELSEIFs became errors too); a number may end with _BIT's mark
    (1`, 0~`) as a name may."""
    text = ('SUB Box (shut AS INTEGER)\n    IF shut THEN\n        PRINT 1\n'
            '    ELSEIF shut = 2 THEN\n        _CONTROLCHR OFF\n        PRINT CHR$(7)\n'
            '        _CONTROLCHR ON\n    END IF\nEND SUB\n'
            '_BLINK OFF\nCONST low` = -1`, high~` = 1~`\nPRINT low`; high~`; _CONTROLCHR\n')
    a = analysis(text)
    assert a.diagnostics == []


def test_qb64_pe_constants_and_opengl_statements_are_builtins() -> None:
    """QB64-PE's built-in constants (_SIZE_OF_LONG, _CHR_QUOTE, _KEY_F1, _ERR_...) and
    QB64's OpenGL statements (_glBegin ... _glEnd in SUB _GL) are no undefined names;
    other names with a leading _ still are."""
    text = ('PRINT _SIZE_OF_LONG * 2; _CHR_QUOTE + _STR_LF; _ASC_SPACE\n'
            'IF _KEYHIT = _KEY_F1 THEN PRINT _ERR_FILE_NOT_FOUND\n'
            'x$ = _READFILE$("a.txt"): _WRITEFILE "b.txt", x$\n'
            'SUB _GL\n    _glMatrixMode _GL_PROJECTION\n    _glLoadIdentity\n'
            '    _gluPerspective 45, 1, 0.1, 100\n    _glBegin _GL_QUADS\n'
            '    _glVertex3f 0, 0, 0\n    _glEnd\n    _glNotAFunction 1\nEND SUB\n'
            'PRINT _KEY_NOT_A_KEY\n')
    a = analysis(text)
    assert [d.message for d in a.diagnostics if d.severity != "hint"] == [
        "undefined name '_glNotAFunction'", "undefined name '_KEY_NOT_A_KEY'"]


def test_qb64_fps_statement_is_known() -> None:
    """QB64's `_FPS 60` (a held-out program's OpenGL loop) is a statement of the runtime,
    not an undefined name."""
    text = "SUB _GL\n    _FPS 60\nEND SUB\n"
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] == []


def test_freebasic_iif_true_false_and_screen_locking_are_builtins() -> None:
    """FreeBASIC's IIF, TRUE, FALSE, SCREENLOCK / SCREENUNLOCK and GETJOYSTICK (basic12's
    FreeBASIC programs) are no undefined names; a QBasic program's own CONST TRUE is
    still its own declaration (no duplicate)."""
    text = ('SCREENLOCK\nlft = IIF(1 < 2, TRUE, FALSE)\nSCREENUNLOCK\n'
            'b = 0\nIF GETJOYSTICK(0, b) THEN PRINT b\nIF GETJOYSTICK(1) THEN PRINT 1\n')
    assert [d.message for d in analysis(text).diagnostics if d.severity != "hint"] == []
    own = "CONST TRUE = -1, FALSE = NOT TRUE\nIF FALSE THEN PRINT TRUE\n"
    assert [d.message for d in analysis(own).diagnostics if d.severity != "hint"] == []


@pytest.mark.parametrize("text, line, column", [
    # in a FOR loop: missing before NEXT, which closes the loop
    ("SUB A\nFOR i = 1 TO 3\n    IF i > 1 THEN\n        PRINT i\nNEXT\nEND SUB\n", 4, 16),
    # in a SUB: missing before END SUB (not an END statement followed by a stray SUB)
    ("SUB Check (n)\n    IF n > 1 THEN\n        n = n - 1\n    PRINT n\nEND SUB\nPRINT 1\n", 4, 12),
    # at the end of the file
    ("n = 2\nIF n > 1 THEN\n    PRINT n\nFOR i = 1 TO 3\n    PRINT i\nNEXT\n", 6, 5),
])
def test_a_block_if_without_its_end_if_is_one_error_where_the_block_must_end(
        text: str, line: int, column: int) -> None:
    """`IF c THEN` and a line break start a block IF even when its END IF is missing: one
    error where the block must end (before the closer of the block around it, or the
    file's end), naming what is missing; before, it was taken for a one-line IF with its
    statement missing ("expected more") at the end of the IF's line, or an END statement
    followed by a stray SUB."""
    parsed = parse(qb(), text)
    index = LineIndex(text)
    found = [(index.position(e.start)[0] + 1, index.position(e.start)[1] + 1, e.message)
             for e in parsed.errors]
    assert [(a, b) for a, b, _ in found] == [(line, column)]
    assert found[0][2].startswith("expected 'END IF' or 'ENDIF', found the end of")
    # the line after the IF's is its body (a block IF, not a one-line one)
    pending, ifs = [parsed.root], []
    while pending:
        node = pending.pop()
        ifs += [node] if node.kind == "if_stmt" else []
        pending.extend(node.children())
    assert len(ifs) == 1 and "\n" in text[ifs[0].start:ifs[0].end].strip()


def test_freebasic_objects_operators_namespaces_asm_and_draw_string() -> None:
    """FreeBASIC forms of basic12's tuning programs: NEW T / NEW T() / NEW T[n]; a
    CONSTRUCTOR without parentheses and its END CONSTRUCTOR (before, an END statement
    ending the program with CONSTRUCTOR as its value); DECLARE OPERATOR - and OPERATOR \\;
    OPERATOR INT on a TYPE, whose INT(v) is no number; NAMESPACE ... END NAMESPACE;
    ASM ... END ASM (its registers no names) and ASM on one line; DRAW STRING;
    &hFFull; USING FB."""
    text = ('USING FB\nTYPE Vec\n    x AS DOUBLE\n    DECLARE CONSTRUCTOR ()\nEND TYPE\n'
            'DECLARE OPERATOR - (a AS Vec) AS Vec\n'
            'CONSTRUCTOR Vec\n    PRINT 1\nEND CONSTRUCTOR\n'
            'OPERATOR \\ (a AS Vec, b AS DOUBLE) AS Vec\n    RETURN TYPE(a.x \\ b)\nEND OPERATOR\n'
            'OPERATOR INT (a AS Vec) AS Vec\n    RETURN TYPE(INT(a.x))\nEND OPERATOR\n'
            'DIM v AS Vec\nv = INT(v)\nDIM p AS Vec PTR = NEW Vec\np = NEW Vec()\n'
            'DIM q AS INTEGER PTR = NEW INTEGER[4]\n'
            'NAMESPACE Shapes\n    CONST Sides = 4\nEND NAMESPACE\n'
            'DIM mask AS ULONGINT = &hFFFFFFFFull\n'
            'ASM\n    mov eax, [mask]\n    jns 0f\nEND ASM\nASM nop\n'
            'DRAW STRING (10, 20), "hi", RGB(255, 255, 255)\nPRINT p->x, q[0], Sides\n')
    a = analysis(text)
    assert [(d.code, d.message) for d in a.diagnostics if d.severity != "hint"] == []
    assert a.parsed.errors == []


def test_a_freebasic_macro_takes_as_many_arguments_as_it_has_parameters() -> None:
    """`#macro array_append(arr, value)`: a call gives two arguments (before: "takes 0
    arguments, 2 given"); one with one argument is still an error; a macro without
    parameters is called with none."""
    text = ('#macro array_append(arr, value)\n    redim preserve arr(ubound(arr) + 1)\n'
            '    arr(ubound(arr)) = value\n#endmacro\n#macro ding\n    beep\n#endmacro\n'
            'dim a(any) as integer\narray_append(a, 3)\narray_append(a)\nding\n')
    assert [d.message for d in analysis(text).diagnostics if d.severity != "hint"] == [
        "'array_append' takes 2 arguments, 1 given"]


def test_freebasic_enum_names_var_sizeof_and_cast() -> None:
    """FreeBASIC: an ENUM's name is a type its values are named through (Ids.Cube);
    VAR x = value declares x (a QBasic variable named var is still one); SIZEOF(variable)
    and CAST(name of a type, value) are builtins."""
    text = ('enum Ids\n    Cube = 0\n    Pyr = 1\nend enum\ndim objects(3) as integer\n'
            'objects(Ids.Cube) = sizeof(objects(0))\nvar ev = objects(Ids.Pyr) + 1, other = "x"\n'
            'print ev; other; cast(Ids, 2); sizeof(integer)\nvar = 3\nprint var\n')
    assert [d.message for d in analysis(text).diagnostics if d.severity != "hint"] == []


def test_a_freebasic_constructor_or_property_body_sees_this_and_the_fields() -> None:
    """CONSTRUCTOR T and PROPERTY T.size: THIS is the object, and the TYPE's fields are
    names in the body (before: THIS a new variable, `v` undefined)."""
    text = ('TYPE T\n    v AS INTEGER\n    DECLARE CONSTRUCTOR ()\n'
            '    DECLARE PROPERTY size () AS INTEGER\nEND TYPE\n'
            'CONSTRUCTOR T\n    THIS.v = 1\n    PRINT v\nEND CONSTRUCTOR\n'
            'PROPERTY T.size () AS INTEGER\n    RETURN v * 2\nEND PROPERTY\n'
            'DIM x AS T\nPRINT x.size\n')
    assert [(d.code, d.message) for d in analysis(text).diagnostics] == []


def not_hints(text: str) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in analysis(text).diagnostics if d.severity != "hint"]


def test_freebasic_type_fields_written_as_dim_and_access_sections() -> None:
    """Inside a TYPE, FreeBASIC's `Dim As Integer x, y` and `Dim z As Integer` are fields
    (before: a syntax error at the DIM); `Private:` / `Public:` / `Protected:` sections,
    one with a field after it on its line. The fields are the record's: assigning one to a
    STRING is a type mismatch."""
    text = ('Type Box\nPrivate: w As Integer\nPublic:\n'
            '    Dim As Integer x, y = 2\n    Dim z As Double, label As String * 8\n'
            'Protected:\n    Declare Constructor ()\nEnd Type\n'
            'Dim b As Box\nb.y = 1: b.z = b.x / 2: b.label = "a"\nDim s As String\ns = b.x\n'
            'Print s\n')
    assert not_hints(text) == [
        ("type-mismatch", "Cannot assign to 's': expected STRING, found INTEGER")]


def test_a_freebasic_union_holds_fields_and_an_unnamed_type() -> None:
    """UNION ... END UNION inside a TYPE, holding an unnamed TYPE ... END TYPE: their
    fields are the enclosing TYPE's (v.lo); a UNION may also stand alone as a type."""
    text = ('Type Value\n    kind As Integer\n    Union\n        i As Long\n        Type\n'
            '            lo As Short\n            hi As Integer\n        End Type\n'
            '        Dim d As Double\n    End Union\nEnd Type\n'
            'Union Word\n    whole As Long\n    bytes(3) As UByte\nEnd Union\n'
            'Dim v As Value\nDim wd As Word\nv.lo = 1: v.d = 2.5: wd.whole = v.i\n'
            'Dim s As String\ns = v.hi\nPrint s\n')
    assert not_hints(text) == [
        ("type-mismatch", "Cannot assign to 's': expected STRING, found INTEGER")]


def test_function_equals_value_sets_the_result_inside_the_function() -> None:
    """FreeBASIC's `Function = value` in a FUNCTION's body (before: "expected a name")."""
    text = ('Function Twice (n As Integer) As Integer\n    Function = n * 2\n'
            '    If n < 0 Then Function = 0\nEnd Function\nPrint Twice(3)\n')
    assert not_hints(text) == []


def test_freebasic_combined_assignments_of_word_operators() -> None:
    """`a Shl= 2`, `Shr=`, `And=`, `Or=`, `Xor=`, `Mod=`, `Eqv=`, `Imp=` (a blank may
    stand before the '=') next to the symbol ones; `Operator Shl=` on a TYPE."""
    text = ('Type Bits\n    n As Integer\n    Declare Operator Shl= (ByVal k As Integer)\n'
            'End Type\nDim As Integer a = 1\n'
            'a shl= 2\na Shr= 1\na AND= 3\na or = 4\na xor= 5\na mod= 3\na eqv= 1\na imp= 0\n'
            'a \\= 2\na ^= 2\na += 1: a -= 1: a *= 2: a /= 2\nDim s As String\ns &= "x"\n'
            'Dim b As Bits\nb.n shl= 1\nPrint a; s\n')
    assert not_hints(text) == []


def test_a_comment_may_follow_a_line_continuation() -> None:
    """`_ ' why` continues the line, in a parameter list as in a statement; formatting
    keeps the comment."""
    text = ("Sub F (a As Integer, _ ' the first\n    b As Integer) ' the second\n"
            "    Print a + _ REM and\n        b\nEnd Sub\nF 1, 2\n")
    assert not_hints(text) == []
    crlf = text.replace("\n", "\r\n")
    assert not_hints(crlf) == []
    assert format_text(parse(qb(), text)) == text


def test_freebasic_overloaded_routines_are_no_duplicates() -> None:
    """`FUNCTION f OVERLOAD (...)` and `SUB s OVERLOAD (...)` twice, and two bodies
    without the mark after a `DECLARE FUNCTION h OVERLOAD`: one routine name each, its
    calls counted against the overload that fits. Without any mark a second FUNCTION of
    a name stays a duplicate (QBasic's "Duplicate definition")."""
    text = ('Declare Function Half Overload (a As Integer) As Integer\n'
            'Declare Function Half (a As String) As String\n'
            'Function Twice Overload (a As Integer) As Integer\n    Return a * 2\n'
            'End Function\nFunction Twice Overload (a As String) As String\n'
            '    Return a + a\nEnd Function\n'
            'Sub Show Overload (a As Integer)\n    Print a\nEnd Sub\n'
            'Sub Show Overload (a As String, b As String)\n    Print a; b\nEnd Sub\n'
            'Function Half (a As Integer) As Integer\n    Return a \\ 2\nEnd Function\n'
            'Function Half (a As String) As String\n    Return Left(a, 1)\nEnd Function\n'
            'Function Once (a As Integer) As Integer\n    Return a\nEnd Function\n'
            'Function Once (a As String) As String\n    Return a\nEnd Function\n'
            'Print Twice(3); Twice("x"); Half(4); Half("ab"); Once(1)\n'
            'Show 1\nShow "a", "b"\nShow 1, 2, 3\n')
    assert not_hints(text) == [
        ("duplicate-declaration", "'Once' is already declared in this scope"),
        ("argument-count", "no routine 'Show' takes 3 arguments (its overloads take 1 or 2)")]


def test_sub_t_m_is_a_method_of_t_only_when_t_is_a_type() -> None:
    """FreeBASIC's `SUB Mesh.grow` after `TYPE Mesh`: the body sees THIS and the fields,
    and the routine keeps its whole dotted name (`Mesh.grow 2` counts its arguments).
    QB64's `SUB Console.Log`, with no TYPE Console, opens nothing: a field name there is
    undefined, and `Console` itself is no undefined name."""
    text = ('Type Mesh\n    count As Integer\nEnd Type\n'
            'Sub Mesh.grow (n As Integer)\n    count = count + n\n    Print this.count\n'
            'End Sub\n'
            'Function Mesh.size () As Integer\n    Return count\nEnd Function\n'
            'Sub Console.Log (msg As String)\n    Print msg; count\nEnd Sub\n'
            'Console.Log "hi"\nMesh.grow 2\nMesh.grow 1, 2\nPrint Mesh.size\n')
    assert not_hints(text) == [
        ("undefined-name", "undefined name 'count'"),
        ("argument-count", "'Mesh.grow' takes 1 argument, 2 given")]


def test_freebasic_runtime_names_and_sleep_with_a_flag() -> None:
    """CURDIR, EXEPATH, STRPTR, DELETE p, DYLIBLOAD / DYLIBSYMBOL / DYLIBFREE are
    FreeBASIC's runtime (before: undefined names), and `SLEEP ms, 1` takes its flag."""
    text = ('Dim p As Integer Ptr = New Integer\nDelete p\nSleep 10, 1\n'
            'Print CurDir; ExePath; StrPtr("a")\nDim h As Any Ptr = DyLibLoad("m")\n'
            'Print DyLibSymbol(h, "f")\nDyLibFree h\nSleep 1, 2, 3\n')
    assert not_hints(text) == [
        ("argument-count", "'SLEEP' takes 0 to 2 arguments, 3 given")]


def test_a_name_dimmed_in_two_blocks_is_no_duplicate() -> None:
    """FreeBASIC's blocks are scopes: `CASE 1: DIM k ... CASE 2: DIM k`, a DIM in each of
    two loops, one in a loop inside the loop that DIMs it (shadowing) and one after the
    SELECT are no duplicates; two DIMs of a name in one block, or at one level outside
    any block, still are."""
    text = ('Dim n As Integer = 1\nSelect Case n\nCase 1\n    Dim k As Integer = 1\n'
            '    Print k\nCase 2\n    Dim k As Integer = 2\n    Print k\nCase Else\n'
            '    Dim j As Integer\n    Dim j As Integer\n    Print j\nEnd Select\n'
            'Dim k As Integer\nPrint k\n'
            'For i As Integer = 1 To 2\n    Dim t As String = "a"\n'
            '    Do\n        Dim t As String = "b"\n        Print t\n    Loop\n'
            '    Print t\nNext\nWhile n < 3\n    Dim t As String\n    n += 1\nWend\n'
            'Dim m As Integer\nDim m As Integer\nPrint m\n')
    assert not_hints(text) == [
        ("duplicate-declaration", "'j' is already declared in this scope"),
        ("duplicate-declaration", "'m' is already declared in this scope")]
