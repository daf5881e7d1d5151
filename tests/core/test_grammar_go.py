"""A Go subset, a fourth language outside the built-in shapes written from
docs/language-definition.md alone (tests/fixtures/grammar/go.yaml, programs in
tests/fixtures/grammar/go/). What the earlier ones did not need: statements that end at
a line break only after a value (Go's automatic semicolons, written with `NEWLINE`
lookaheads), packages imported by a path in a string (`name_from_string`), methods
declared outside their type (`receiver`), header expressions where `T{` is the block's
brace, and `case`/`default` aligned with their `switch`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import FormatOptions, format_text
from craftls.language.loader import load_definition, load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
SHAPES_PATH = FIXTURES / "go" / "shapes.go"
SHAPES = SHAPES_PATH.read_text(encoding="utf-8")
TABS = FormatOptions(insert_spaces=False)


def at(snippet: str, occurrence: int = 0, text: str = SHAPES) -> int:
    return [m.start() for m in re.finditer(re.escape(snippet), text)][occurrence]


def line_of(offset: int, text: str = SHAPES) -> int:
    return text.count("\n", 0, offset) + 1


@pytest.fixture(scope="module")
def go() -> LanguageDefinition:
    return load_definition(FIXTURES / "go.yaml")


@pytest.fixture(scope="module")
def shapes(go: LanguageDefinition) -> FileAnalysis:
    return analyze_with_types(parse(go, SHAPES), SHAPES_PATH)


def problems(go: LanguageDefinition, body: str) -> list[tuple[int, str]]:
    text = f"package main\n\nfunc main() {{\n\tx := 1\n\t{body}\n\tprintln(x)\n}}\n"
    found = analyze_with_types(parse(go, text), None)
    return [(line_of(d.start, text), d.message) for d in found.diagnostics
            if d.severity == "error"]


def test_the_program_checks_clean(shapes: FileAnalysis) -> None:
    assert [d.message for d in shapes.diagnostics] == []


def test_a_package_is_named_by_its_paths_last_part(shapes: FileAnalysis) -> None:
    """`import "fmt"` declares `fmt`, `str "strings"` declares `str`: their uses go to
    the import; the path is no name to rename."""
    shown = hover.hover(shapes, at("fmt.Errorf"))
    assert shown is not None and "module fmt" in shown.markdown
    assert [line_of(s.start) for s in navigation.references(shapes, at("fmt.Errorf"))] == [
        5, 35, 40, 60, 74, 76, 79]
    found = navigation.definition(shapes, at("str.ToUpper"))
    assert found is not None and line_of(found.start) == 7
    with pytest.raises(navigation.RenameRefused):
        navigation.prepare_rename(shapes, at("fmt.Println"))


def test_fields_through_values_pointers_and_literals(shapes: FileAnalysis) -> None:
    """`r.Min.Name` through a pointer receiver, `far.X` through `var far Point`,
    `origin.X` through `origin := Point{...}`."""
    shown = hover.hover(shapes, at("Min.Name") + 4)
    assert shown is not None and "field Name: string" in shown.markdown
    assert [line_of(s.start) for s in navigation.references(shapes, at("X, Y"))] == [
        16, 42, 42, 57]
    edits = navigation.rename_spans(shapes, at("W, H"), "Width")
    assert [line_of(s.start) for s in edits] == [27, 31]


def test_a_method_is_a_member_of_its_receivers_type(shapes: FileAnalysis) -> None:
    """`func (r *Rect) Area()`: `r.Area()` on a `*Rect` reaches the method, which takes
    no argument for its receiver."""
    use = at("r.Area()") + 2
    found = navigation.definition(shapes, use)
    assert found is not None and line_of(found.start) == 30
    shown = hover.hover(shapes, use)
    assert shown is not None and "function Area" in shown.markdown
    assert [line_of(s.start) for s in navigation.references(shapes, use)] == [30, 79]


def test_completion(go: LanguageDefinition) -> None:
    def offered(old: str, new: str) -> list[str]:
        start = SHAPES.index(old)
        edited = SHAPES[:start] + new + SHAPES[start + len(old):]
        found = analyze_with_types(parse(go, edited), SHAPES_PATH)
        return [c.label for c in completion.complete(found, start + len(new))[0]]
    assert offered("r.W * r.H", "r.")[:5] == ["Min", "W", "H", "Area", "Label"]
    assert offered("far.X = Top", "far.")[:3] == ["X", "Y", "Name"]
    assert offered("origin, 2)", "origin.")[:3] == ["X", "Y", "Name"]
    assert "return" in offered("\tn := 0\n", "\tn := 0\n\tret")
    assert "range" in offered("range shapes", "ran")


def test_signature_help(shapes: FileAnalysis) -> None:
    info = hover.signature_help(shapes, at("origin, 2") + 8)
    assert info is not None
    assert (info.label, info.active_parameter) == (
        "function scale(p: Point, by: float64)", 1)


def test_symbols_folding_and_selection(shapes: FileAnalysis) -> None:
    symbols = [(s.name, s.kind) for s in outline.document_symbols(shapes)]
    assert symbols[:6] == [("main", "program"), ("fmt", "module"), ("os", "module"),
                           ("str", "module"), ("Tau", "constant"), ("Top", "constant")]
    assert ("Area", "function") in symbols and ("scale", "function") in symbols
    folds = {(line_of(f.start), line_of(f.end)) for f in outline.folding_ranges(shapes)}
    assert {(4, 8), (10, 13), (15, 18), (38, 44), (54, 80), (72, 77)} <= folds
    texts = [SHAPES[a:b] for a, b in outline.selection_ranges(shapes, at("by <= 0"))]
    assert texts[:2] == ["by", "by <= 0"] and texts[2].startswith("if by <= 0 {")


def test_semantic_tokens(shapes: FileAnalysis) -> None:
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(shapes)}
    assert tokens[at("func")] == ("keyword", ())
    assert tokens[at("Area")] == ("function", ("declaration",))
    assert tokens[at("by <= 0")] == ("parameter", ())
    assert tokens[at("X, p.Y")] == ("property", ())
    assert tokens[at("Point, by")] == ("type", ())


def test_formatting_gives_gofmts_indentation(go: LanguageDefinition) -> None:
    """With tabs (the editor's insertSpaces off), a flattened program formats back to
    gofmt's layout, but for the column alignment gofmt adds (`Min  Point`)."""
    flat = "".join(line.lstrip("\t") for line in SHAPES.splitlines(True))
    formatted = format_text(parse(go, flat), TABS)
    assert formatted == SHAPES.replace("Min  Point", "Min Point")
    assert format_text(parse(go, formatted), TABS) == formatted


@pytest.mark.parametrize("text", [
    "package p\n\nconst (\n\tA = iota\n\tB\n)\n\nvar (\n\tx, y int\n\tz = []string{\n\t\t\"a\",\n\t}\n)\n",
    "package p\n\nfunc f(ch chan int, xs ...int) (n int, err error) {\n\tselect {\n\tcase v := <-ch:\n"
    "\t\tn = v\n\tdefault:\n\t}\n\tswitch t := interface{}(n).(type) {\n\tcase int, string:\n"
    "\t\t_ = t\n\t}\n\tfor i := range xs {\n\t\tn += xs[i]\n\t}\n\treturn\n}\n"])
def test_formatting_keeps_the_tokens_and_is_idempotent(go: LanguageDefinition,
                                                       text: str) -> None:
    formatted = format_text(parse(go, text), TABS)
    assert formatted == text
    kept = [t[:2] for t in lex(go, formatted)[0] if t[0] not in ("ws", "nl")]
    assert kept == [t[:2] for t in lex(go, text)[0] if t[0] not in ("ws", "nl")]


def test_a_composite_literal_is_no_block_in_a_header(go: LanguageDefinition) -> None:
    """`if p == origin {`: the `{` is the block's, not a literal `origin{...}`; inside
    parentheses a literal is allowed again."""
    assert problems(go, "if x == x {\n\t\tx = 2\n\t}") == []
    assert problems(go, "for _, c := range []int{1, 2} {\n\t\tx += c\n\t}") == []
    assert problems(go, "if (T{} == T{}) {\n\t}") == []


def test_a_line_break_ends_a_statement_after_a_value(go: LanguageDefinition) -> None:
    """Go's semicolons: `return` at a line's end returns nothing (the next line is a
    statement of its own), an operator at a line's end goes on, one at a line's start
    does not continue the line before."""
    text = "package p\n\nfunc f() int {\n\tx := 1 +\n\t\t2\n\tif x > 0 {\n\t\treturn\n\t}\n\treturn x\n}\n"
    tree = parse(go, text)
    assert [n.text for n in tree.root.descendants_of_kind("return_stmt")] == [
        "return", "return x"]
    assert problems(go, "x = x\n\t-1 + x") == []  # two statements


@pytest.mark.parametrize(("body", "expected"), [
    ("x = (x + 1", [(5, "expected ')', found the end of the line")]),
    ("if x > 1 {\n\t\tx = 2", [(8, "expected '}', found the end of the file")]),
    ("for i := 0; i < 3 i++ {\n\t}", [(5, "expected ';', found 'i'")]),
    ("fmt.Println(x y)", [(5, "expected ')', ',' or '...', found 'y'")]),
    ("y := T{A: 1 B: 2}", [(5, "expected '}' or ',', found 'B'")])])
def test_one_error_per_mistake(go: LanguageDefinition, body: str,
                               expected: list[tuple[int, str]]) -> None:
    assert problems(go, body) == expected


def test_the_new_annotations_are_checked() -> None:
    """`name_from_string` needs a pattern with a group and `declares`; `receiver` means
    something only inside a rule that declares a routine."""
    source = (FIXTURES / "go.yaml").read_text(encoding="utf-8")
    broken = source.replace(r"""name_from_string: '([A-Za-z_]\w*)(?:[.-]v\d+)?"$'""",
                            "name_from_string: '[a-z]+'")
    broken = broken.replace("receiver: {match: \"'(' (receiver_name? type)? ')'\", "
                            "receiver: true}",
                            "receiver: {match: \"'(' (receiver_name? type)? ')'\"}\n"
                            "    package_clause_name: {match: IDENT, receiver: true}")
    assert broken != source
    _, found = load_definition_text(broken)
    assert {(p.message, p.severity) for p in found} >= {
        ("'name_from_string' in rule 'import_spec' must be a regular expression with a "
         "group (the name)", "error"),
        ("'receiver' in rule 'package_clause_name' does nothing: no rule that declares a "
         "function or procedure names it", "warning")}


def test_each_case_clause_is_a_scope_of_its_own(go: LanguageDefinition) -> None:
    """`y` declared in two clauses of a type switch (a `select` alike) is two names:
    each clause's uses go to its own."""
    text = ("package p\n\nfunc f(x any, ch chan int) {\n\tswitch v := x.(type) {\n"
            "\tcase int:\n\t\ty := v + 1\n\t\tprintln(y)\n\tcase string:\n\t\ty := v\n"
            "\t\tprintln(y)\n\t}\n\tselect {\n\tcase n := <-ch:\n\t\ty := n\n\t\tprintln(y)\n"
            "\tdefault:\n\t}\n}\n")
    found = analyze_with_types(parse(go, text), None)
    assert [d.message for d in found.diagnostics] == []
    for clause, lines in ((0, [6, 7]), (1, [9, 10]), (2, [14, 15])):
        spans = navigation.references(found, at("y :=", clause, text))
        assert [line_of(s.start, text) for s in spans] == lines
    assert format_text(parse(go, text), TABS) == text


def test_the_blank_identifier_is_coloured_a_variable(go: LanguageDefinition) -> None:
    """`_` is a grammar word (`blank: "'_'"`) and a placeholder: a variable, no keyword."""
    text = "package p\n\nfunc f() {\n\t_ = 1\n\tfor _, c := range \"ab\" {\n\t\t_ = c\n\t}\n}\n"
    found = analyze_with_types(parse(go, text), None)
    tokens = {t.start: t.type for t in semantic_tokens.classify(found)}
    assert [tokens[m.start()] for m in re.finditer("_", text)] == ["variable"] * 3


def test_a_name_declared_by_a_composite_literal_has_its_type(go: LanguageDefinition) -> None:
    """`origin := Point{X: 1}`: hover shows `Point` (the literal's leading type), not the
    literal; a value with no leading type (`&Point{}`, a function literal) shows none."""
    text = ("package p\n\ntype Point struct {\n\tX int\n}\n\nfunc f() {\n"
            "\torigin := Point{X: 1}\n\tp, n := &Point{}, 2\n\tg := func() int { return 1 }\n"
            "\tprintln(origin.X, p, n, g)\n}\n")
    found = analyze_with_types(parse(go, text), None)
    shown = [hover.hover(found, at(name, 0, text)) for name in ("origin :=", "p, n", "g :=")]
    assert [s.markdown.split("\n")[1] if s else "" for s in shown] == [
        "variable origin: Point", "variable p", "variable g"]


def test_a_comment_last_in_a_block_is_indented_as_the_block_s_body(
        go: LanguageDefinition) -> None:
    """gofmt's layout: a comment line before `}` (or a group's `)`) is the body's."""
    text = ("package p\n\nvar (\n\ta = 1\n\t// more later\n)\n\nfunc f() {\n\tif true {\n"
            "\t\t_ = a\n\t\t// last\n\t}\n\txs := []int{\n\t\t1,\n\t\t// two later\n\t}\n"
            "\t_ = xs\n\t// end of f\n}\n")
    flat = "".join(line.lstrip("\t") for line in text.splitlines(True))
    assert format_text(parse(go, flat), TABS) == text


def test_a_closing_bracket_alone_on_its_line_aligns_with_its_opening_line(
        go: LanguageDefinition) -> None:
    """gofmt's layout: the `)` or `]` that closes a call or an index spread over lines
    stands at the depth of the line its opener is on, as a literal's `}` does; a
    comment line before it is an element's."""
    text = ("package p\n\nfunc f() {\n\tfmt.Println(\n\t\t1,\n\t\t// two\n\t)\n"
            "\tg(a, []int{\n\t\t1,\n\t})\n\tif ok {\n\t\th(\n\t\t\tb,\n\t\t)\n\t}\n"
            "\t_ = m[k(\n\t\t1,\n\t)]\n}\n")
    flat = "".join(line.lstrip("\t") for line in text.splitlines(True))
    assert format_text(parse(go, flat), TABS) == text
    assert format_text(parse(go, text), TABS) == text


def test_elements_after_a_closing_brace_are_one_deeper_than_its_line(
        go: LanguageDefinition) -> None:
    """gofmt's `}, {` between the elements of a literal: each element's fields one
    deeper than the line its `{` is on; a block's `}` after a condition continued on
    the next line stays at its statement's depth."""
    text = ("package p\n\nvar xs = []T{\n\t{\n\t\tA: 1,\n\t}, {\n\t\tA: []int{\n\t\t\t2,\n"
            "\t\t},\n\t},\n}\n\nfunc f(a, b bool) {\n\tif a ||\n\t\tb {\n\t\tg(\n\t\t\t1,\n"
            "\t\t)\n\t}\n}\n")
    flat = "".join(line.lstrip("\t") for line in text.splitlines(True))
    assert format_text(parse(go, flat), TABS) == text
