"""Editor features on grammar-defined languages: meaning from annotations (MiniLua) and
from the defaults (TempleCode's ParserCraft grammar, un-annotated)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from craftls.features import hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.model import SymbolKind
from craftls.syntax.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"


@cache
def language(name: str) -> LanguageDefinition:
    definition, problems = load_definition_text((FIXTURES / name).read_text(encoding="utf-8"))
    assert definition is not None, problems
    return definition


def analysis_of(language_file: str, text: str) -> FileAnalysis:
    return analyze_with_types(parse(language(language_file), text))


def lua(text: str) -> FileAnalysis:
    return analysis_of("minilua.yaml", text)


def temple(text: str) -> FileAnalysis:
    return analysis_of("templecode.yaml", text)


def test_annotated_declarations_become_symbols_with_scopes_and_parameters() -> None:
    text = (FIXTURES / "sample.mlua").read_text(encoding="utf-8")
    analysis = lua(text)
    symbols = {(s.name, s.kind) for s in analysis.model.symbols}
    assert {("greeting", SymbolKind.VARIABLE), ("greet", SymbolKind.FUNCTION),
            ("name", SymbolKind.PARAMETER), ("times", SymbolKind.PARAMETER),
            ("count", SymbolKind.VARIABLE), ("first", SymbolKind.FIELD)} <= symbols
    outline_items = {i.name: i for i in outline.document_symbols(analysis)}
    assert [c.name for c in outline_items["greet"].children] == ["count"]  # its own scope
    greet = next(s for s in analysis.model.symbols if s.name == "greet")
    assert [p.name for p in greet.params] == ["name", "times"]
    assert [d.message for d in analysis.diagnostics if d.severity == "warning"] == [
        "undefined name 'logger'"]


def test_definition_references_and_rename_follow_the_scopes() -> None:
    text = ("local n = 1\nfunction f(n)\n  return n + 1\nend\nprint(n)\n")
    analysis = lua(text)
    param_use = text.index("n + 1")
    target = navigation.definition(analysis, param_use)
    assert target is not None and target.start == text.index("(n)") + 1
    outer = [r.start for r in navigation.references(analysis, text.index("n = 1"))]
    assert outer == [text.index("n = 1"), text.index("print(n)") + 6]
    spans = navigation.rename_spans(analysis, param_use, "m")
    assert sorted(s.start for s in spans) == [text.index("(n)") + 1, param_use]


def test_hover_and_signature_help_on_a_grammar_call() -> None:
    text = "function add(a, b)\n  return a + b\nend\nadd(1, 2)\n"
    analysis = lua(text)
    info = hover.hover(analysis, text.index("add(1"))
    assert info is not None and "function add(a, b)" in info.markdown
    help_ = hover.signature_help(analysis, text.index("2)"))
    assert help_ is not None and help_.parameters == ["a", "b"] and help_.active_parameter == 1


def test_semantic_tokens_classify_grammar_tokens() -> None:
    text = "local x = \"s\" -- note\nfunction f(p)\n  return p\nend\n"
    analysis = lua(text)
    found = {(text[t.start:t.start + t.length], t.type)
             for t in semantic_tokens.classify(analysis)}
    assert {("local", "keyword"), ("x", "variable"), ('"s"', "string"), ("-- note", "comment"),
            ("f", "function"), ("p", "parameter")} <= found


def test_templecode_defaults_declare_assign_loop_variables_and_labels() -> None:
    text = ("PROGRAM demo\nLET size = 10\nsize = size + 1\nFOR i = 1 TO 3\n  FD size\nNEXT i\n"
            "ASK \"name?\", who\nGOSUB draw\nEND\n")
    text = text.replace("END\n", "draw:\nSAY who\n")
    analysis = temple(text)
    assert analysis.diagnostics == []
    symbols = [(s.name, s.kind) for s in analysis.model.symbols]
    assert symbols == [("demo", SymbolKind.PROGRAM), ("size", SymbolKind.VARIABLE),
                       ("i", SymbolKind.LOOP_VARIABLE), ("who", SymbolKind.VARIABLE),
                       ("draw", SymbolKind.LABEL)]
    # GOSUB before the label: declarations are hoisted
    target = navigation.definition(analysis, text.index("draw\n"))
    assert target is not None and target.start == text.index("draw:")
    writes = [r.is_write for r in navigation.references(analysis, text.index("size = 10"))]
    assert writes == [True, True, False, False]  # LET, the assignment, two reads


def test_folding_from_grammar_blocks() -> None:
    text = "REPEAT 4\n  FD 10\n  RT 90\nEND\nSAY 1\n"
    analysis = temple(text)
    assert [(f.start, f.end, f.kind) for f in outline.folding_ranges(analysis)] == [
        (0, text.index("END") + 3, "region")]


def test_formatting_indents_grammar_blocks_and_is_idempotent() -> None:
    text = (FIXTURES / "turtle.ret").read_text(encoding="utf-8")
    flat = "\n".join(line.strip() for line in text.splitlines()) + "\n"
    definition = language("templecode.yaml")
    formatted = format_text(parse(definition, flat))
    # the fixture indents by two spaces a level; the definition's indent width is four
    expected = "".join(" " * (2 * (len(line) - len(line.lstrip(" ")))) + line.lstrip(" ")
                       for line in text.splitlines(keepends=True))
    assert formatted == expected
    assert format_text(parse(definition, formatted)) == formatted


def test_completion_offers_the_words_the_grammar_accepts_at_the_cursor() -> None:
    from craftls.features.completion import complete

    text = "LET n = 2\nREPEAT 4\n  FD n\n  FO\nEND\n"
    analysis = temple(text)
    labels = [(c.label, c.kind) for c in complete(analysis, text.index("FO") + 2)[0]]
    # FORWARD is a builtin (a turtle command with its signature) the grammar names
    assert labels == [("FOR", "keyword"), ("FORWARD", "function")]
    inside = [c.label for c in complete(analysis, text.index("  FO") + 2)[0]]
    # statements or the END of the REPEAT; not the closers of other blocks
    assert {"SAY", "LET", "REPEAT", "END", "FORWARD", "n"} <= set(inside)
    assert not {"ENDIF", "ELSE", "NEXT", "WEND", "THEN", "TO"} & set(inside)
    assert inside.index("n") > inside.index("WHILE")  # the grammar's words first
    after_for = "FOR i = 1 "
    words = [c.label for c in complete(temple(after_for), len(after_for))[0]
             if c.kind == "keyword"]
    assert words == ["TO"]


def test_formatting_spaces_a_grammar_s_binary_operators_only() -> None:
    definition = language("templecode.yaml")
    assert format_text(parse(definition, "x=-size*2\nLET  y =  x<>3\n")) == \
        "x = -size * 2\nLET y = x <> 3\n"
    lua_definition = language("minilua.yaml")
    assert format_text(parse(lua_definition, "local t={a=1,2}\nprint(a..b)\n")) == \
        "local t = {a = 1, 2}\nprint(a .. b)\n"


def test_type_annotations_give_the_declared_type_and_type_references() -> None:
    definition, problems = load_definition_text("""name: Typed
lexical: {line_comments: ["#"]}
keywords: {var: var, type: type}
structure: {statements: newline}
grammar:
  start: file
  rules:
    file: "(var_decl / type_decl)*"
    var_decl:
      match: "'var' IDENT ':' type_ref"
      declares: variable
    type_ref:
      match: "IDENT"
      type: true
    type_decl:
      match: "'type' IDENT '=' NUMBER"
      declares: type
""")
    assert definition is not None, problems
    text = "var a : Meters\ntype Meters = 1\nvar b : Missing\n"
    analysis = analyze_with_types(parse(definition, text))
    a = next(s for s in analysis.model.symbols if s.name == "a")
    assert a.type_text == "Meters"
    target = navigation.definition(analysis, text.index("Meters"))
    assert target is not None and target.start == text.index("Meters =")
    assert navigation.definition(analysis, text.index("Missing")) is None
