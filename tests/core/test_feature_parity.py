"""Every editor feature on both kinds of language (issue 13, "one engine"): the same
program in a keyword-level language (the bundled Curly, the built-in parser) and in a
grammar-defined one (the bundled Lua, the PEG engine) gets the same answers from hover,
definition, references, highlights, rename, completion, signature help, symbols,
folding, selection ranges, semantic tokens, formatting, quick fixes, inlay hints, and
the refactorings (declare variable, extract function).

Types come from each kind's own inference (a grammar's from its `run:` and `types:`
data): where a value's type is known, both show it in hover and as an inlay hint."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_edits, format_text
from craftls.features.quickfix import quick_fixes
from craftls.features.refactor import EXTRACT, QUICKFIX, apply_edits, refactor_actions
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse

from .conftest import served_by


@dataclass(frozen=True)
class Case:
    language: str
    text: str  # a function add(a, b) with a local total, a call add(1, 2) stored in x
    badly_indented: str  # the function, its body indented wrong
    # "grammar": defined by a whole-language grammar; "keywords" / "template": a
    # keyword-level definition served by that engine, whichever its bundled file chooses
    engine: str

    def analysis(self, text: str | None = None) -> FileAnalysis:
        definition = bundled(self.language) if self.engine == "grammar" \
            else served_by(self.language, self.engine)
        return analyze_with_types(parse(definition, self.text if text is None else text))

    def at(self, snippet: str, occurrence: int = 0) -> int:
        start = -1
        for _ in range(occurrence + 1):
            start = self.text.index(snippet, start + 1)
        return start


CURLY = ("curly",
         "fn add(a, b) {\n    let total = a + b;\n    return total;\n}\n"
         "let x = add(1, 2);\nprint(x);\n",
         "fn add(a, b) {\nlet total = a + b;\n      return total;\n}\n")
CASES = [
    # the keyword level, and the template when the bundled file chooses it
    *(Case(*CURLY, engine=e) for e in sorted({"keywords", bundled("curly").structure.engine})),
    Case("lua",
         "local function add(a, b)\n  local total = a + b\n  return total\nend\n"
         "local x = add(1, 2)\nprint(x)\n",
         "local function add(a, b)\nlocal total = a + b\n      return total\nend\n",
         engine="grammar"),
]


@pytest.fixture(params=CASES, ids=[f"{c.language}-{c.engine}" for c in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    found: Case = request.param
    assert bundled(found.language).keyword_level == (found.engine != "grammar")
    return found


def test_the_program_checks_clean(case: Case) -> None:
    assert [d.message for d in case.analysis().diagnostics] == []


def test_hover_names_the_symbol_and_its_declaration(case: Case) -> None:
    use = case.at("total", 1)
    info = hover.hover(case.analysis(), use)
    assert info is not None and (info.start, info.end) == (use, use + len("total"))
    assert "variable total" in info.markdown and "declared on line 2" in info.markdown


def test_definition_references_and_highlights(case: Case) -> None:
    result = case.analysis()
    declared, used = case.at("total"), case.at("total", 1)
    span = navigation.definition(result, used)
    assert span is not None and span.start == declared
    for found in (navigation.references(result, used), navigation.highlights(result, used)):
        assert [(s.start, s.is_write) for s in found] == [(declared, True), (used, False)]


def test_rename_and_its_preparation(case: Case) -> None:
    result = case.analysis()
    span, name = navigation.prepare_rename(result, case.at("total", 1))
    assert (span.start, name) == (case.at("total", 1), "total")
    spans = navigation.rename_spans(result, case.at("total"), "sum")
    assert sorted(s.start for s in spans) == [case.at("total"), case.at("total", 1)]
    with pytest.raises(navigation.RenameRefused):
        navigation.rename_spans(result, case.at("total"), "a")  # would hide the parameter


def test_completion_offers_the_visible_names(case: Case) -> None:
    at = case.at("return")
    text = case.text[:at] + "to" + case.text[at + len("return"):]
    candidates, _ = completion.complete(case.analysis(text), at + 2)
    assert "total" in [c.label for c in candidates]
    at = case.at("(1, 2)")
    text = case.text[:at] + case.text[at:].replace("add(1, 2)", "a", 1)
    labels = [c.label for c in completion.complete(case.analysis(text), at)[0]]
    assert "add" in labels and "total" not in labels  # the function's local is out of scope


def test_signature_help_at_a_call(case: Case) -> None:
    info = hover.signature_help(case.analysis(), case.at("1, 2)") + 3)
    assert info is not None
    assert (info.label, info.parameters, info.active_parameter) == (
        "function add(a, b)", ["a", "b"], 1)


def test_document_symbols(case: Case) -> None:
    symbols = outline.document_symbols(case.analysis())
    assert [(s.name, s.kind) for s in symbols] == [("add", "function"), ("x", "variable")]
    assert [(c.name, c.kind) for c in symbols[0].children] == [("total", "variable")]
    assert symbols[0].name_start == case.at("add")


def test_folding_covers_the_function(case: Case) -> None:
    folds = outline.folding_ranges(case.analysis())
    lines = [(case.text.count("\n", 0, f.start), case.text.count("\n", 0, f.end))
             for f in folds]
    assert (0, 3) in lines  # from its first line to its closing '}' or 'end'
    assert all(last < 4 for _, last in lines)  # nothing else folds


def test_selection_ranges_grow_from_the_token_to_the_file(case: Case) -> None:
    at = case.at("a + b")
    ranges = outline.selection_ranges(case.analysis(), at)
    assert ranges[0] == (at, at + 1)
    assert (at, at + len("a + b")) in ranges
    assert ranges[-1] == (0, len(case.text))
    assert all(a[0] >= b[0] and a[1] <= b[1] and a != b for a, b in pairwise(ranges))


def test_semantic_tokens_classify_declarations_and_uses(case: Case) -> None:
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(case.analysis())}
    assert tokens[case.at("add")] == ("function", ("declaration",))
    assert tokens[case.at("add", 1)][0] == "function"
    assert tokens[case.at("total")] == ("variable", ("declaration",))
    assert tokens[case.at("a, b")] == ("parameter", ("declaration",))


def test_formatting_the_file_and_a_range(case: Case) -> None:
    parsed = parse(bundled(case.language), case.badly_indented)
    fixed = format_text(parsed)
    assert fixed == "".join(case.text.splitlines(keepends=True)[:4])  # the function
    edits = format_edits(parsed, line_range=(1, 1))
    assert len(edits) == 1 and edits[0].start == case.badly_indented.index("\n") + 1
    after = case.badly_indented[:edits[0].start] + edits[0].text \
        + case.badly_indented[edits[0].end:]
    assert after == fixed


def test_quick_fixes_insert_what_is_missing_and_correct_a_typo(case: Case) -> None:
    broken = case.text.replace("print(x)", "print(x")
    fixes = quick_fixes(case.analysis(broken), 0, len(broken))
    assert [(f.title, e.start, e.text) for f in fixes for e in f.edits] == [
        ("Insert ')'", broken.index("print(x") + len("print(x"), ")")]
    typo = case.text.replace("print(x)", "print(xx)")
    titles = [f.title for f in quick_fixes(case.analysis(typo), 0, len(typo))]
    assert titles[:1] == ["Change to 'x'"]


def test_inlay_hints_name_the_parameters(case: Case) -> None:
    hints = outline.inlay_hints(case.analysis(), 0, len(case.text))
    assert [(h.offset, h.label) for h in hints if h.kind == "parameter"] == [
        (case.at("1, 2"), "a:"), (case.at("2)"), "b:")]


def test_inlay_hints_show_an_inferred_type(case: Case) -> None:
    text = case.text + {"curly": "let y = 1.5;\n", "lua": "local y = 1.5\n"}[case.language]
    hints = outline.inlay_hints(case.analysis(text), 0, len(text))
    at = text.index("y = 1.5") + 1
    assert [h.label for h in hints if h.kind == "type" and h.offset == at] == [
        {"curly": ": float", "lua": ": number"}[case.language]]


# the refactorings, on a program of each language's own: Curly's undefined name is one it
# assigns (keyword-level declares those), Lua's one it reads (an assignment makes a global)
REFACTORED = {
    "curly": ("fn show(n) {\n    d = n * 2;\n    print(d);\n    print(n);\n}\nshow(2);\n",
              "    let d = n * 2;\n"),
    "lua": ("local function show(n)\n  print(d)\n  print(n)\nend\nshow(2)\n",
            "  local d = nil\n  print(d)\n"),
}


def test_refactorings_declare_a_variable_and_extract_a_function(case: Case) -> None:
    text, declared = REFACTORED[case.language]
    analysis = case.analysis(text)
    at = text.index("d", text.index("\n"))
    fixes = [a for a in refactor_actions(analysis, at, at + 1) if a.kind == QUICKFIX]
    assert [a.title for a in fixes] == ["Declare variable 'd'"]
    result = apply_edits(text, fixes[0].edits)
    assert declared in result
    after = case.analysis(result)
    assert after.parsed.errors == [] and after.diagnostics == []
    start = text.index("print(d)")
    end = text.index("print(n)") + len("print(n)")
    extracts = [a for a in refactor_actions(after, start + len(result) - len(text),
                                            end + len(result) - len(text)) if a.kind == EXTRACT]
    assert "Extract to function 'extracted'" in [a.title for a in extracts]
    function = next(a for a in extracts if a.title == "Extract to function 'extracted'")
    extracted = case.analysis(apply_edits(result, function.edits))
    assert extracted.parsed.errors == [] and extracted.diagnostics == []
