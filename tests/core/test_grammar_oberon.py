"""Oberon-07, a language outside the built-in shapes, defined by a grammar written from
docs/language-definition.md alone (issue 13: "a language author can write a grammar ...
from the docs alone and get every editor feature"). The definition and the programs are
fixtures (tests/fixtures/grammar/oberon07.yaml, tests/fixtures/grammar/oberon/), not a
bundled language; each editor feature is asked through the core API, as
test_feature_parity.py asks the bundled languages."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.documents import open_document
from craftls.features.formatting import format_text
from craftls.features.host import AnalysisHost
from craftls.features.quickfix import quick_fixes
from craftls.language.loader import load_definition
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
DEFINITION_PATH = FIXTURES / "oberon07.yaml"
PROGRAMS = FIXTURES / "oberon"
SHAPES = (PROGRAMS / "Shapes.ob07").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def oberon() -> LanguageDefinition:
    return load_definition(DEFINITION_PATH)


def analysis(definition: LanguageDefinition, text: str = SHAPES,
             path: Path | None = None) -> FileAnalysis:
    return analyze_with_types(parse(definition, text), path)


def at(snippet: str, occurrence: int = 0, text: str = SHAPES) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    return start


def line_of(offset: int, text: str = SHAPES) -> int:
    return text.count("\n", 0, offset) + 1


# ---------------------------------------------------------------- the definition

def test_language_check_accepts_the_definition_without_warnings() -> None:
    checked = subprocess.run([sys.executable, "-m", "craftls", "language", "check",
                              str(DEFINITION_PATH)], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stdout + checked.stderr
    assert "ok: Oberon-07" in checked.stdout


def test_the_programs_check_clean(oberon: LanguageDefinition) -> None:
    for path in sorted(PROGRAMS.glob("*.ob07")):
        found = analysis(oberon, path.read_text(encoding="utf-8"), path)
        assert [d.message for d in found.diagnostics] == [], path.name


# ---------------------------------------------------------------- names

def test_hover_names_procedures_variables_constants_and_fields(oberon: LanguageDefinition
                                                              ) -> None:
    result = analysis(oberon)
    for snippet, occurrence, shown, line in [
            ("Swap", 1, "procedure Swap(a: INTEGER, b: INTEGER)", 26),
            ("total", 1, "variable total: INTEGER", 24),
            ("Scale", 1, "constant Scale", 7), ("Max", 1, "constant Max", 6),
            ("value", 1, "field value", 15),  # n.value: through Node = POINTER TO NodeDesc
            ("origin.x", 0, "field x", 11)]:
        offset = at(snippet, occurrence) + (len("origin.") if "." in snippet else 0)
        found = hover.hover(result, offset)
        assert found is not None, snippet
        assert shown in found.markdown and f"declared on line {line}" in found.markdown


def test_definition_references_and_highlights(oberon: LanguageDefinition) -> None:
    result = analysis(oberon)
    declared = at("count")  # VAR total, count: INTEGER
    used = at("count := 0")
    span = navigation.definition(result, used)
    assert span is not None and span.start == declared
    uses = [line_of(s.start) for s in navigation.references(result, used)]
    assert uses == [24, 73, 74, 75, 75, 75, 76, 79, 80]
    highlights = navigation.highlights(result, used)
    assert [line_of(s.start) for s in highlights] == uses
    # the declaration and `count := 0` (the assignment rule `writes`) are writes; the
    # index in `row[count] := ...` and the argument of INC are reads
    assert [line_of(s.start) for s in highlights if s.is_write] == [24, 73]
    # `s := s + v[i]`: the target is a write and the operand a read; a FOR's control
    # variable (`control_variable: {match: IDENT, writes: true}`) is written
    summed = navigation.highlights(result, at("s := s"))
    assert [(line_of(h.start), h.is_write) for h in summed] == [
        (33, True), (35, True), (37, True), (37, False), (39, False)]
    counted = navigation.highlights(result, at("i := 0"))
    assert [(line_of(h.start), h.is_write) for h in counted] == [
        (33, True), (36, True), (37, False)]
    # `END Swap` names the procedure it closes
    closing = navigation.definition(result, at("END Swap") + len("END "))
    assert closing is not None and closing.start == at("Swap")


def test_rename_a_variable_a_procedure_and_a_field(oberon: LanguageDefinition) -> None:
    result = analysis(oberon)
    spans = navigation.rename_spans(result, at("Swap", 1), "Exchange")
    assert sorted(s.start for s in spans) == [at("Swap"), at("Swap", 1), at("Swap", 2)]
    span, name = navigation.prepare_rename(result, at("value", 1))
    assert (span.start, name) == (at("value", 1), "value")
    fields = navigation.rename_spans(result, at("value"), "payload")
    assert [line_of(s.start) for s in sorted(fields, key=lambda s: s.start)] == [15, 64, 84]
    with pytest.raises(navigation.RenameRefused):
        navigation.rename_spans(result, at("VAR t") + len("VAR "), "a")  # Swap's parameter


# ---------------------------------------------------------------- completion

def complete_at(definition: LanguageDefinition, old: str, new: str, cursor: int,
                path: Path | None = None, text: str = SHAPES) -> list[str]:
    """The labels offered after replacing ``old`` by ``new`` with the cursor ``cursor``
    characters into ``new``."""
    start = text.index(old)
    edited = text[:start] + new + text[start + len(old):]
    found, _ = completion.complete(analysis(definition, edited, path), start + cursor)
    return [c.label for c in found]


def test_completion_offers_the_names_in_scope(oberon: LanguageDefinition) -> None:
    inside = complete_at(oberon, "s := s + v[i]", "s := s + v[i] + ", 16)
    assert {"s", "i", "v", "n", "Max", "total", "Sum"} <= set(inside)
    outside = complete_at(oberon, "total := Sum(row, Max)", "total := ", 9)
    assert "total" in outside and "s" not in outside  # Sum's local is out of scope


def test_completion_puts_the_words_the_grammar_expects_first(oberon: LanguageDefinition
                                                              ) -> None:
    assert complete_at(oberon, "UNTIL count <= 0", "UN", 2) == ["UNTIL"]
    after_for = complete_at(oberon, "FOR i := 0 TO n - 1 BY 1 DO",
                            "FOR i := 0 TO n - 1 ", len("FOR i := 0 TO n - 1 "))
    assert {"BY", "DO"} <= set(after_for) and "WHILE" not in after_for
    assert all(word.isupper() for word in after_for[:after_for.index("DO") + 1])


def test_completion_after_a_dot_offers_members(oberon: LanguageDefinition) -> None:
    # the fields of the record a pointer points to, with and without a prefix
    assert complete_at(oberon, "n.value := v", "n.", 2) == ["value", "next"]
    assert complete_at(oberon, "n.value := v", "n.v", 3) == ["value"]
    assert complete_at(oberon, "origin.y := 2", "origin.", 7) == ["x", "y"]
    # a builtin library table's functions
    assert complete_at(oberon, "Out.Ln\n", "Out.\n", 4) == ["Int", "Real", "Char",
                                                             "String", "Ln"]


def test_an_imported_module_exports_only_its_marked_names(oberon: LanguageDefinition
                                                          ) -> None:
    main = PROGRAMS / "Main.ob07"
    text = main.read_text(encoding="utf-8")
    labels = complete_at(oberon, "Counters.Next()", "Counters.()", len("Counters."),
                         main, text)
    assert labels == ["Next", "count"]  # `hidden` has no export mark
    result = analysis(oberon, text, main)
    span = navigation.definition(result, at("Counters.Next", text=text))
    assert span is not None and span.start == at("Counters", text=text)  # the IMPORT


def test_hover_and_definition_of_an_imported_modules_exported_name(
        oberon: LanguageDefinition) -> None:
    """`Counters.Next`: the member part after an imported module names what that module
    exports; hover shows it and definition goes to its declaration in the module's file
    (a name without the export mark is not one)."""
    main = PROGRAMS / "Main.ob07"
    text = main.read_text(encoding="utf-8")
    result = analysis(oberon, text, main)
    offset = at("Counters.Next", text=text) + len("Counters.")
    assert navigation.external_target(result, offset) == (
        str(PROGRAMS / "Counters.ob07"), "Next")
    shown = hover.hover(result, offset)
    assert shown is not None and "Next" in shown.markdown and "Counters.ob07" in shown.markdown
    assert (shown.start, shown.end) == (offset, offset + len("Next"))
    assert navigation.external_target(
        result, at("Counters.hidden", text=text) + len("Counters.")) is None
    host = AnalysisHost(lambda p: oberon if p.suffix == ".ob07" else None,
                        lambda: [PROGRAMS])
    uri = main.as_uri()
    host.documents[uri] = open_document(uri, 1, text, oberon, host.imports, host.caches)
    found = host.definition(uri, offset)
    counters = (PROGRAMS / "Counters.ob07").read_text(encoding="utf-8")
    assert found is not None and found.uri == (PROGRAMS / "Counters.ob07").as_uri()
    assert found.start == counters.index("Next")


def test_hover_and_signature_help_on_a_library_function(oberon: LanguageDefinition) -> None:
    """`Out.Int(`: a builtin library's function written as a member part (completion
    offered it after `Out.`): hover shows it and signature help follows its arguments."""
    result = analysis(oberon)
    offset = at("Out.Int(list.value") + len("Out.")
    shown = hover.hover(result, offset)
    assert shown is not None and "Out.Int(x: int, width: int)" in shown.markdown
    assert (shown.start, shown.end) == (offset, offset + len("Int"))
    info = hover.signature_help(result, at("list.value, 0") + len("list.value, "))
    assert info is not None
    assert (info.label, info.parameters, info.active_parameter) == (
        "Out.Int(x: int, width: int) -> any", ["x: int", "width: int"], 1)
    # the innermost call wins: inside Classify's arguments, Classify's help
    inner = hover.signature_help(result, at("total MOD 7"))
    assert inner is not None and inner.label == "procedure Classify(k: INTEGER): INTEGER"
    outer = hover.signature_help(result, at(", 4);") + len(", "))
    assert outer is not None and outer.label.startswith("Out.Int(") \
        and outer.active_parameter == 1
    assert hover.signature_help(result, at("Out.Ln") + len("Out.Ln")) is None


@pytest.mark.parametrize(("call", "label", "active"), [
    ("Out.Int(|)", "Out.Int(", 0),
    ("Out.Int(n |)", "Out.Int(", 0),  # still the first argument before its separator
    ("Out.Int(n, |)", "Out.Int(", 1),  # parses as `Out.Int(n` and an error: `, )`
    ("Swap(n, |)", "procedure Swap(a: INTEGER, b: INTEGER)", 1),
    ("Swap(n, |", "procedure Swap(a: INTEGER, b: INTEGER)", 1),
])
def test_signature_help_while_typing(oberon: LanguageDefinition, call: str, label: str,
                                     active: int) -> None:
    text = SHAPES.replace("Out.Ln\nEND Shapes.", call.replace("|", "") + "\nEND Shapes.")
    offset = text.index(call.replace("|", "")) + call.index("|")
    info = hover.signature_help(analysis(oberon, text), offset)
    assert info is not None and info.label.startswith(label)
    assert info.active_parameter == active


# ---------------------------------------------------------------- calls and outline

def test_signature_help_for_procedures_and_builtins(oberon: LanguageDefinition) -> None:
    result = analysis(oberon)
    info = hover.signature_help(result, at("row, Max") + len("row, "))
    assert info is not None
    assert (info.label, info.parameters, info.active_parameter) == (
        "procedure Sum(v: ARRAY OF INTEGER, n: INTEGER): INTEGER",
        ["v: ARRAY OF INTEGER", "n: INTEGER"], 1)
    builtin = hover.signature_help(result, at("INC(count)") + len("INC("))
    assert builtin is not None and builtin.label.startswith("INC(v: int")


def test_document_symbols(oberon: LanguageDefinition) -> None:
    symbols = outline.document_symbols(analysis(oberon))
    assert [(s.name, s.kind) for s in symbols] == [
        ("Shapes", "program"), ("Out", "module"), ("Max", "constant"), ("Scale", "constant"),
        ("Point", "type"), ("Node", "type"), ("NodeDesc", "type"), ("Row", "type"),
        ("origin", "variable"), ("row", "variable"), ("list", "variable"),
        ("total", "variable"), ("count", "variable"), ("Swap", "procedure"),
        ("Sum", "procedure"), ("Classify", "procedure"), ("Push", "procedure")]
    sum_proc = symbols[14]
    assert [(c.name, c.kind) for c in sum_proc.children] == [("i", "variable"),
                                                             ("s", "variable")]


def test_folding_covers_procedures_records_and_statements(oberon: LanguageDefinition
                                                          ) -> None:
    folds = {(line_of(f.start), line_of(f.end))
             for f in outline.folding_ranges(analysis(oberon))}
    assert {(26, 30), (32, 40), (42, 58), (60, 67)} <= folds  # PROCEDURE .. END Name
    assert {(10, 12), (14, 17)} <= folds  # RECORD .. END
    assert {(36, 38), (45, 49), (50, 56), (74, 77), (78, 80), (69, 88)} <= folds


def test_selection_ranges_grow_from_the_token_to_the_file(oberon: LanguageDefinition
                                                          ) -> None:
    offset = at("n - 1")
    ranges = outline.selection_ranges(analysis(oberon), offset)
    assert ranges[0] == (offset, offset + 1)
    assert (offset, offset + len("n - 1")) in ranges
    assert ranges[-1] == (0, len(SHAPES))
    assert all(a[0] >= b[0] and a[1] <= b[1] and a != b for a, b in pairwise(ranges))


def test_semantic_tokens(oberon: LanguageDefinition) -> None:
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(analysis(oberon))}
    assert tokens[at("Swap")] == ("function", ("declaration",))
    assert tokens[at("Swap", 1)] == ("function", ())
    assert tokens[at("a, b")] == ("parameter", ("declaration",))
    assert tokens[at("Point")] == ("type", ("declaration",))
    assert tokens[at("x, y")] == ("property", ("declaration",))
    assert tokens[at("Max")] == ("variable", ("declaration", "readonly"))
    assert tokens[at("INTEGER")] == ("type", ("defaultLibrary",))  # a type of the language
    assert tokens[at("ODD")] == ("function", ("defaultLibrary",))
    assert tokens[at("#")][0] == "operator"
    assert tokens[at("(* Records")][0] == "comment"
    assert tokens[at("WHILE")][0] == "keyword"


# ---------------------------------------------------------------- formatting

def significant(definition: LanguageDefinition, text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in parse(definition, text).root.leaves()
            if not t.is_trivia]


def test_formatting_is_idempotent_and_keeps_every_token(oberon: LanguageDefinition) -> None:
    assert format_text(parse(oberon, SHAPES)) == SHAPES
    flat = "".join(line.lstrip(" ") for line in SHAPES.splitlines(keepends=True))
    fixed = format_text(parse(oberon, flat))
    assert fixed == SHAPES  # every line indented again as written
    assert significant(oberon, fixed) == significant(oberon, flat)


def test_statements_of_an_optional_choice_are_lines_in_the_main_block(
        oberon: LanguageDefinition) -> None:
    """`statement: "(assignment / while_stmt / ...)?"` (Oberon's statement may be empty):
    a WHILE in the module's body is laid out as a statement, like an assignment (it
    went to column 0 while the assignments around it were indented)."""
    text = ("MODULE M;\nVAR i: INTEGER;\nBEGIN\ni := 0;\nWHILE i < 3 DO\nINC(i)\nEND;\n"
            "i := 1\nEND M.\n")
    assert format_text(parse(oberon, text)) == (
        "MODULE M;\nVAR i: INTEGER;\nBEGIN\n  i := 0;\n  WHILE i < 3 DO\n    INC(i)\n"
        "  END;\n  i := 1\nEND M.\n")


def test_case_arms_take_wirths_layout(oberon: LanguageDefinition) -> None:
    """`'CASE' expression 'OF' case_arm ('|' case_arm)* 'END'`: the `|` that separates the
    turns of the block's loop starts its line at the block's depth, as `ELSIF` and
    `END` do, and the first arm, which has none, sits one level in (Wirth's layout)."""
    text = ("MODULE M;\nVAR k, r: INTEGER;\nBEGIN\nCASE k OF\n0: r := 0\n| 1, 2: r := 1\n"
            "|3: IF k # 0 THEN\nr := 2\nEND\nEND\nEND M.\n")
    expected = ("MODULE M;\nVAR k, r: INTEGER;\nBEGIN\n  CASE k OF\n    0: r := 0\n"
                "  | 1, 2: r := 1\n  | 3: IF k # 0 THEN\n      r := 2\n    END\n  END\nEND M.\n")
    formatted = format_text(parse(oberon, text))
    assert formatted == expected
    assert format_text(parse(oberon, formatted)) == formatted
    assert significant(oberon, formatted) == significant(oberon, text)


# ---------------------------------------------------------------- diagnostics

BODY = "MODULE M;\nVAR x, i: INTEGER;\nBEGIN\n  x := 0;\n  {}\n  i := x\nEND M.\n"


@pytest.mark.parametrize(("statement", "expected"), [
    ("x := y;", [(5, "undefined name 'y'", "undefined-name")]),
    ("Foo(x);", [(5, "undefined name 'Foo'", "undefined-name")]),
    ("WHILE x < 3 x := x + 1 END;", [(5, "expected 'DO', found 'x'", "syntax")]),
    ("FOR i = 0 TO 3 DO x := i END;", [(5, "expected ':=', found '='", "syntax")]),
    ("REPEAT x := x - 1 UNTIL;", [(5, "expected expression, found ';'", "syntax")]),
    ("IF x # 1 THEN x := 2 ELSIF THEN x := 3 END;",
     [(5, "expected expression, found 'THEN'", "syntax")]),
    ("x := 1\n  x := 2;", [(5, "expected ';', found 'x'", "syntax")]),
    # a mistake inside the parentheses is reported there, not as an unexpected '(' or
    # ':=' after the name (call_stmt's lookahead lets recovery reach the longer form)
    ("x := (x + 1;", [(5, "expected ')', found ';'", "syntax")]),
    ("INC(x, 2;", [(5, "expected ')' or ',', found ';'", "syntax")]),
])
def test_one_diagnostic_per_mistake(oberon: LanguageDefinition, statement: str,
                                    expected: list[tuple[int, str, str]]) -> None:
    text = BODY.replace("{}", statement)
    found = [(line_of(d.start, text), d.message, d.code)
             for d in analysis(oberon, text).diagnostics if d.severity != "hint"]
    assert found == expected


def test_quick_fixes_insert_what_is_missing_and_correct_a_typo(oberon: LanguageDefinition
                                                                ) -> None:
    broken = SHAPES.replace("Push(total)", "Push(total")
    fixes = quick_fixes(analysis(oberon, broken), 0, len(broken))
    assert [(f.title, e.start, e.text) for f in fixes for e in f.edits] == [
        ("Insert ')'", broken.index("Push(total") + len("Push(total"), ")")]
    typo = SHAPES.replace("Push(total)", "Push(totl)")
    titles = [f.title for f in quick_fixes(analysis(oberon, typo), 0, len(typo))]
    assert titles[:1] == ["Change to 'total'"]


def test_parameter_inlay_hints(oberon: LanguageDefinition) -> None:
    hints = outline.inlay_hints(analysis(oberon), 0, len(SHAPES))
    assert [(h.offset, h.label) for h in hints if h.kind == "parameter"][:2] == [
        (at("origin.x, origin.y"), "a:"), (at("origin.y)"), "b:")]
