"""Modula-2, a second language outside the built-in shapes written from
docs/language-definition.md alone (issue 13: "a language author can write a grammar ...
from the docs alone and get every editor feature"). The definition and the programs are
fixtures (tests/fixtures/grammar/modula2.yaml, tests/fixtures/grammar/modula2/), not a
bundled language; each editor feature is asked through the core API. What Oberon's
fixture (test_grammar_oberon.py) does not have: names imported one by one from a module
(`FROM InOut IMPORT WriteString`), written as `external` nodes beside the `imports` one."""

from __future__ import annotations

import dataclasses
import re
from itertools import pairwise
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.loader import load_definition
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse
from craftls.workspace.imports import ModuleResolver

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
DEFINITION_PATH = FIXTURES / "modula2.yaml"
PROGRAMS = FIXTURES / "modula2"
TALLY_PATH = PROGRAMS / "Tally.mod"
TALLY = TALLY_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def modula2() -> LanguageDefinition:
    return load_definition(DEFINITION_PATH)


@pytest.fixture(scope="module")
def tally(modula2: LanguageDefinition) -> FileAnalysis:
    return analysis(modula2)


def analysis(definition: LanguageDefinition, text: str = TALLY,
             path: Path | None = TALLY_PATH) -> FileAnalysis:
    return analyze_with_types(parse(definition, text), path)


def at(snippet: str, occurrence: int = 0, text: str = TALLY) -> int:
    return [m.start() for m in re.finditer(re.escape(snippet), text)][occurrence]


def line_of(offset: int, text: str = TALLY) -> int:
    return text.count("\n", 0, offset) + 1


def test_the_program_checks_clean(tally: FileAnalysis) -> None:
    assert [d.message for d in tally.diagnostics] == []


# ------------------------------------------------- names imported from a library

def test_a_name_imported_from_a_builtin_library_is_its_function(tally: FileAnalysis) -> None:
    """`FROM InOut IMPORT WriteString, WriteInt`: the names are InOut's functions (the
    builtin `InOut` lists them as `members`), used alone."""
    use = at("WriteString", 1)
    shown = hover.hover(tally, use)
    assert shown is not None
    assert "InOut.WriteString(s: str)" in shown.markdown
    assert "function of the builtin library `InOut`" in shown.markdown
    info = hover.signature_help(tally, at("total, 4") + len("total, "))
    assert info is not None
    assert (info.label, info.active_parameter) == ("InOut.WriteInt(n: int, w: int) -> any", 1)
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(tally)}
    assert tokens[use] == ("function", ("defaultLibrary",))
    assert tokens[at("WriteString")] == ("function", ("defaultLibrary",))  # in the import


def test_a_library_function_imported_alone_has_its_argument_count(
        modula2: LanguageDefinition) -> None:
    text = ("MODULE M;\nFROM InOut IMPORT WriteString;\nBEGIN\n  WriteString('a', 'b');\n"
            "  WriteLn\nEND M.\n")
    found = [(d.code, d.message) for d in analysis(modula2, text, None).diagnostics]
    # WriteLn is InOut's too, but this file does not import it
    assert found == [("argument-count", "'WriteString' takes 1 argument, 2 given"),
                     ("undefined-name", "undefined name 'WriteLn'")]


def test_completion_offers_the_names_the_imports_make_known(
        modula2: LanguageDefinition) -> None:
    """Typing a statement: InOut's functions the file imports one by one, and what the
    imported Stacks.def exports, with their signatures."""
    offered = {}
    for typed in ("Wri", "Pu", "Capa"):
        start = TALLY.index("   WriteLn\nEND")
        edited = TALLY[:start] + f"   {typed}\nEND Tally.\n"
        found, _ = completion.complete(analysis(modula2, edited), start + 3 + len(typed))
        offered.update({c.label: (c.kind, c.detail) for c in found})
    assert offered["WriteString"] == ("function", "InOut.WriteString(s: str) -> any")
    assert offered["WriteInt"] == ("function", "InOut.WriteInt(n: int, w: int) -> any")
    assert offered["Push"] == ("function", "procedure Push(s: Stack, value: INTEGER)")
    assert offered["Capacity"][0] == "variable"
    assert "WriteCard" not in offered  # InOut's, but not imported


def test_a_name_imported_from_a_module_file_is_its_export(tally: FileAnalysis) -> None:
    """`FROM Stacks IMPORT Push, Capacity` with Stacks.def next to the program."""
    shown = hover.hover(tally, at("Capacity", 1))
    assert shown is not None and "Stacks.def" in shown.markdown


def test_an_implementation_module_sees_its_definition_module(
        modula2: LanguageDefinition) -> None:
    """`IMPLEMENTATION MODULE Stacks` imports the module of its own name (the fixture's
    `own_definition: {declares: module, imports: true}`): Stacks.def's `Capacity` is
    known in Stacks.mod, which is never its own import."""
    path = PROGRAMS / "Stacks.mod"
    found = analysis(modula2, path.read_text(encoding="utf-8"), path)
    assert [d.message for d in found.diagnostics] == []


@pytest.mark.parametrize(("extensions", "chosen"), [
    ((".def", ".mod"), "Stacks.def"), ((".mod", ".def"), "Stacks.mod")])
def test_of_two_files_of_a_modules_name_the_first_extension_wins(
        modula2: LanguageDefinition, extensions: tuple[str, ...], chosen: str) -> None:
    language = dataclasses.replace(modula2, extensions=extensions)
    located = ModuleResolver().locate("Stacks", TALLY_PATH, language)
    assert located == PROGRAMS / chosen


# ------------------------------------------------- every editor feature

def test_hover_definition_references_highlights_and_rename(tally: FileAnalysis) -> None:
    for snippet, occurrence, shown in [
            ("Swap", 1, "procedure Swap(a: INTEGER, b: INTEGER)"),
            ("Sum", 1, "procedure Sum(v: ARRAY OF INTEGER, n: CARDINAL): INTEGER"),
            ("total", 1, "variable total: INTEGER"), ("red", 1, "constant red"),
            ("x := y", 0, "field x: INTEGER")]:  # inside WITH origin DO
        found = hover.hover(tally, at(snippet, occurrence))
        assert found is not None and shown in found.markdown, snippet
    used = at("count := 0")
    span = navigation.definition(tally, used)
    assert span is not None and span.start == at("count")
    assert [line_of(s.start) for s in navigation.references(tally, used)] == [
        20, 53, 54, 55, 55, 55, 56, 71, 72]
    writes = [line_of(h.start) for h in navigation.highlights(tally, used) if h.is_write]
    assert writes == [20, 53]
    assert sorted(line_of(s.start) for s in navigation.rename_spans(
        tally, at("Swap", 1), "Exchange")) == [23, 27, 52]  # with END Swap
    assert sorted(line_of(s.start) for s in navigation.rename_spans(
        tally, at("x, y"), "px")) == [12, 50, 52, 61]  # the field, also inside WITH


def complete_at(definition: LanguageDefinition, old: str, new: str, cursor: int) -> list[str]:
    start = TALLY.index(old)
    edited = TALLY[:start] + new + TALLY[start + len(old):]
    found, _ = completion.complete(analysis(definition, edited), start + cursor)
    return [c.label for c in found]


def test_completion_keywords_then_names_then_members(modula2: LanguageDefinition) -> None:
    after_for = complete_at(modula2, "FOR i := 0 TO n - 1 DO", "FOR i := 0 TO n - 1 ",
                            len("FOR i := 0 TO n - 1 "))
    assert {"BY", "DO"} <= set(after_for) and "WHILE" not in after_for
    at_statement = complete_at(modula2, "   WriteLn\nEND Tally.", "   \nEND Tally.", 3)
    keywords = at_statement[:at_statement.index("blue")]
    assert {"IF", "WHILE", "LOOP", "EXIT", "WITH", "END"} <= set(keywords)
    assert {"count", "Classify", "Limit"} <= set(at_statement)
    assert complete_at(modula2, "origin.y := 2", "origin.", 7) == ["x", "y"]


def test_signature_help_outline_folding_and_selection(tally: FileAnalysis) -> None:
    info = hover.signature_help(tally, at("row, Limit") + len("row, "))
    assert info is not None and info.active_parameter == 1
    assert info.label == "procedure Sum(v: ARRAY OF INTEGER, n: CARDINAL): INTEGER"
    symbols = outline.document_symbols(tally)
    assert [s.name for s in symbols][:4] == ["Tally", "InOut", "Stacks", "Storage"]
    sum_proc = next(s for s in symbols if s.name == "Sum")
    assert (sum_proc.kind, [c.name for c in sum_proc.children]) == ("procedure", ["i", "s"])
    folds = {(line_of(f.start), line_of(f.end)) for f in outline.folding_ranges(tally)}
    assert {(11, 13), (23, 27), (29, 37), (39, 47), (41, 46), (49, 78)} <= folds
    offset = at("n - 1")
    ranges = outline.selection_ranges(tally, offset)
    assert (offset, offset + len("n - 1")) in ranges and ranges[-1] == (0, len(TALLY))
    assert all(a[0] >= b[0] and a[1] <= b[1] and a != b for a, b in pairwise(ranges))


def significant(definition: LanguageDefinition, text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in parse(definition, text).root.leaves()
            if not t.is_trivia]


def test_formatting_indents_sections_procedures_and_case_arms(
        modula2: LanguageDefinition) -> None:
    assert format_text(parse(modula2, TALLY)) == TALLY
    flat = "".join(line.lstrip(" ") for line in TALLY.splitlines(keepends=True))
    fixed = format_text(parse(modula2, flat))
    assert fixed == TALLY
    assert significant(modula2, fixed) == significant(modula2, flat)


BODY = "MODULE M;\nVAR x, i: INTEGER;\nBEGIN\n  x := 0;\n  {}\n  i := x\nEND M.\n"


@pytest.mark.parametrize(("statement", "expected"), [
    ("x := y;", [(5, "undefined name 'y'")]),
    ("WHILE x < 3 x := x + 1 END;", [(5, "expected 'DO', found 'x'")]),
    ("FOR i = 0 TO 3 DO x := i END;", [(5, "expected ':=', found '='")]),
    ("x := 1\n  x := 2;", [(5, "expected ';', found 'x'")]),
    ("x := (x + 1;", [(5, "expected ')', found ';'")]),
    ("REPEAT x := x - 1 UNTIL;", [(5, "expected expression, found ';'")]),
    # the operator is a rule of literals (add_operator): the turn is committed after it
    ("x := x + ;", [(5, "expected expression, found ';'")]),
    ("CASE x OF 1: x := 2 | | 3: x := 1 END;", []),  # an empty arm is Modula-2
])
def test_one_diagnostic_per_mistake(modula2: LanguageDefinition, statement: str,
                                    expected: list[tuple[int, str]]) -> None:
    text = BODY.replace("{}", statement)
    found = [(line_of(d.start, text), d.message)
             for d in analysis(modula2, text, None).diagnostics if d.severity != "hint"]
    assert found == expected
