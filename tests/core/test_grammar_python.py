"""A Python 3 subset, an indentation language written from docs/language-definition.md
(tests/fixtures/grammar/python.yaml, a test fixture, not a bundled language; the program
is tests/fixtures/grammar/python/inventory.py.txt). What it needed beyond the earlier
fixtures: blocks by indentation (`INDENT`/`DEDENT`), and Python's implicit line joining,
`lexical.brackets_join_lines`: a line break inside brackets is no line break, so a
statement runs on inside `( )`, `[ ]` and `{ }` and ends at a line break elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.loader import load_definition, load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
PROGRAM_PATH = FIXTURES / "python" / "inventory.py.txt"
PROGRAM = PROGRAM_PATH.read_text(encoding="utf-8")


def at(snippet: str, occurrence: int = 0, text: str = PROGRAM) -> int:
    return [m.start() for m in re.finditer(re.escape(snippet), text)][occurrence]


def line_of(offset: int, text: str = PROGRAM) -> int:
    return text.count("\n", 0, offset) + 1


@pytest.fixture(scope="module")
def python() -> LanguageDefinition:
    return load_definition(FIXTURES / "python.yaml")


@pytest.fixture(scope="module")
def program(python: LanguageDefinition) -> FileAnalysis:
    return analyze_with_types(parse(python, PROGRAM), PROGRAM_PATH)


def diagnostics(python: LanguageDefinition, text: str) -> list[tuple[int, str]]:
    found = analyze_with_types(parse(python, text), None)
    return [(line_of(d.start, text), d.message) for d in found.diagnostics
            if d.severity in ("error", "warning")]


def test_the_program_checks_clean(program: FileAnalysis) -> None:
    assert [d.message for d in program.diagnostics] == []


def test_a_line_break_inside_brackets_is_no_line_break(python: LanguageDefinition) -> None:
    """A heading continued inside its parentheses, deeper than its body (`b):` at column
    10) still has its body; an operator on the next line inside brackets goes on; outside
    them a line break ends the statement (`return` alone returns nothing)."""
    text = ("class A:\n    def f(self, a,\n          b):\n        total = (a\n"
            "                 + b)\n        if total:\n            return\n"
            "        return [\n            total,\n        ]\n")
    assert diagnostics(python, text) == []
    tree = parse(python, text)
    assert [n.text for n in tree.root.descendants_of_kind("return_stmt")] == [
        "return", "return [\n            total,\n        ]"]
    assert [n.text for n in tree.root.descendants_of_kind("sum")] == [
        "a\n                 + b"]
    # without the key the continued heading's line is the one INDENT compares with
    plain = (FIXTURES / "python.yaml").read_text(encoding="utf-8").replace(
        "  brackets_join_lines: true\n", "")
    joined_off, _ = load_definition_text(plain)
    assert joined_off is not None
    assert diagnostics(joined_off, text) != []


def test_a_missing_closer_does_not_take_the_rest_of_the_file(
        python: LanguageDefinition) -> None:
    """A line indented no deeper than the statement where a bracket opened ends the
    joining: the `)` is missing there, one error, and the next routine is a routine."""
    text = "def f(x):\n    y = g(x,\n    return y\n\n\ndef h():\n    return 1\n"
    found = diagnostics(python, text)
    assert len([m for _, m in found if "expected" in m]) == 1
    tree = parse(python, text)
    assert [n.text.split("(")[0] for n in tree.root.descendants_of_kind("funcdef")][-1] \
        == "def h"


@pytest.mark.parametrize(("body", "expected"), [
    ("x = (x + 1", [(2, "expected 'async', 'for', ',' or ')', found the end of the line")]),
    ("if x > 1\n    x = 2", [(2, "expected ':', found the end of the line")]),
    ("print(x y)", [(2, "expected ')' or ',', found 'y'")]),
    ("x = [1, 2", [(2, "expected ']' or '=', found the end of the line")])])
def test_one_error_per_mistake(python: LanguageDefinition, body: str,
                               expected: list[tuple[int, str]]) -> None:
    text = f"def f(x):\n    {body.replace(chr(10), chr(10) + '    ')}\n    return x\n"
    assert diagnostics(python, text) == expected


def test_names_declared_by_assignment_import_and_parameters(
        python: LanguageDefinition) -> None:
    """Assignments declare (Python has no declarations), imports declare their last name
    or alias (`import os.path as paths`, `from m import a as b`), the parts of a
    module's path are no references; an unknown name is reported, builtins are not."""
    text = ("import os.path as paths\nfrom collections import Counter as C\n"
            "x = C(paths.sep)\nprint(len(x), missing, __name__)\n")
    assert diagnostics(python, text) == [(4, "undefined name 'missing'")]


def test_definition_references_and_rename(program: FileAnalysis) -> None:
    found = navigation.definition(program, at("= capacity") + 2)
    assert found is not None and line_of(found.start) == 21
    assert [line_of(s.start) for s in navigation.references(program, at("LIMIT"))] == [
        9, 21, 56, 70]
    edits = navigation.rename_spans(program, at("count=1"), "amount")
    assert [line_of(s.start) for s in edits] == [28, 29, 34]
    # a keyword argument's name is no reference to a variable of that name
    assert all(PROGRAM[s.start:s.end] == "count" for s in edits)
    assert line_of(at("count=2")) not in [line_of(s.start) for s in edits]


def test_hover_and_signature_help(program: FileAnalysis) -> None:
    shown = hover.hover(program, at('Shelf("tools"'))
    assert shown is not None and "type Shelf" in shown.markdown
    shown = hover.hover(program, at("totals([shelf])"))
    assert shown is not None and "function totals(shelves)" in shown.markdown
    info = hover.signature_help(program, at("[shelf])") + 1)
    assert info is not None and (info.label, info.active_parameter) == (
        "function totals(shelves)", 0)


def test_completion(python: LanguageDefinition) -> None:
    def offered(new: str) -> list[str]:
        old = "    total = 0\n"
        start = PROGRAM.index(old) + len(old)
        edited = PROGRAM[:start] + new + PROGRAM[start:]
        found = analyze_with_types(parse(python, edited), PROGRAM_PATH)
        return [c.label for c in completion.complete(found, start + len(new))[0]]
    assert offered("    ret")[:1] == ["return"]
    # the line being typed stays in `run`'s block: its locals, then the file's names
    assert offered("    x = to")[:2] == ["total", "totals"]
    after_operand = offered("    if total ")
    assert after_operand[:6] == ["and", "if", "in", "is", "not", "or"]
    assert "LIMIT" in after_operand


def test_symbols_folding_and_semantic_tokens(program: FileAnalysis) -> None:
    symbols = [(s.name, s.kind) for s in outline.document_symbols(program)]
    assert symbols[:5] == [("json", "module"), ("paths", "module"), ("Counter", "variable"),
                           ("Ordered", "variable"), ("LIMIT", "variable")]
    assert ("Shelf", "type") in symbols and ("totals", "function") in symbols
    folds = {(line_of(f.start), line_of(f.end)) for f in outline.folding_ranges(program)}
    assert {(12, 15), (18, 48), (28, 35), (37, 45), (51, 62)} <= folds
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(program)}
    assert tokens[at("def")] == ("keyword", ())
    assert tokens[at("tracked(func)")] == ("function", ("declaration",))
    assert tokens[at("func)")] == ("parameter", ("declaration",))


def test_formatting_indents_blocks_and_keeps_the_tokens(python: LanguageDefinition) -> None:
    """Two-space blocks become four; decorators stay at their routine's depth, lines
    continued inside brackets one deeper than their statement (an `or` too), a closing
    bracket alone on its line at the statement's depth (black's layout), and the
    result formats again unchanged."""
    text = ("@tracked\n@other(1)\ndef f(a, b=1):\n  if (a\n    or b):\n    return a\n"
            "  return g(\n    a=1,\n  )\n")
    formatted = format_text(parse(python, text))
    assert formatted == (
        "@tracked\n@other(1)\ndef f(a, b=1):\n    if (a\n        or b):\n        return a\n"
        "    return g(\n        a=1,\n    )\n")
    assert format_text(parse(python, formatted)) == formatted
    kept = [t[:2] for t in lex(python, formatted)[0] if t[0] not in ("ws", "nl")]
    assert kept == [t[:2] for t in lex(python, text)[0] if t[0] not in ("ws", "nl")]


def test_the_program_formats_to_itself(python: LanguageDefinition) -> None:
    formatted = format_text(parse(python, PROGRAM))
    assert format_text(parse(python, formatted)) == formatted
    assert formatted.splitlines()[:6] == PROGRAM.splitlines()[:6]


def test_the_key_is_checked() -> None:
    source = (FIXTURES / "python.yaml").read_text(encoding="utf-8")
    broken = source.replace("brackets_join_lines: true", "brackets_join_lines: 1")
    _, found = load_definition_text(broken)
    assert any("brackets_join_lines" in p.message and p.severity == "error"
               for p in found)


@pytest.mark.parametrize("edits", [
    [(615, 1, "["), (759, 3, "\n    ")],
    [(321, 1, ")"), (719, 3, "#"), (797, 1, ",")],
    [(1713, 3, ":"), (1308, 0, "    "), (1300, 0, "[")]])
def test_an_edit_reparses_as_a_full_parse(python: LanguageDefinition,
                                          edits: list[tuple[int, int, str]]) -> None:
    """A bracket written or removed joins or parts lines beyond the items around it:
    the incremental parse still equals a parse of the whole text."""
    parsed, text = parse(python, PROGRAM), PROGRAM
    for start, length, new in edits:
        parsed, _ = apply_edit(parsed, TextEdit(start, start + length, new))
        text = text[:start] + new + text[start + length:]
        assert parsed.green == parse(python, text).green


def test_a_dot_after_a_keyword_keeps_its_space(python: LanguageDefinition) -> None:
    """`from . import x`: a `.` that is no member access (a word on one side of it)
    keeps the blank written beside it; `from .a import b` and `x.y` stay tight."""
    text = "from . import x\nfrom .. import y\nfrom .a import b\nz = x.y\n"
    assert format_text(parse(python, text)) == text
    assert format_text(parse(python, "from .  import x\n")) == "from . import x\n"


def test_closing_brackets_of_lists_and_literals_align_with_their_statement(
        python: LanguageDefinition) -> None:
    text = ("xs = [\n    1,\n]\nd = {\n    'a': [\n        2,\n    ],\n}\n"
            "if xs:\n    f(a, [\n        1,\n    ])\n")
    messy = ("xs = [\n1,\n  ]\nd = {\n 'a': [\n  2,\n    ],\n   }\n"
             "if xs:\n    f(a, [\n 1,\n        ])\n")
    assert format_text(parse(python, messy)) == text
    assert format_text(parse(python, text)) == text


@pytest.mark.parametrize(("body", "line"), [
    ("a = 1\n    b = = 2\n    c = 3", 3),
    ("b = )\n    c = 3", 2),
    ("if x:\n        a = 1\n        b = )\n        c = 3\n    else:\n        d = 4", 4)])
def test_a_wrong_line_in_a_block_is_one_error_there_and_the_block_goes_on(
        python: LanguageDefinition, body: str, line: int) -> None:
    """One error, on the wrong line (not "expected more" at the block's header), and
    the routine's block keeps its lines after it (its `return`)."""
    text = f"def f(x):\n    {body}\n    return x\n\ny = 1\n"
    tree = parse(python, text)
    assert [line_of(e.start, text) for e in tree.errors] == [line]
    assert [n.text.split("\n")[-1].strip() for n in tree.root.descendants_of_kind(
        "funcdef")] == ["return x"]
