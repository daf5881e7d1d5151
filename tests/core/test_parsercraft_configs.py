"""Every ParserCraft config loads (warnings at most), its keys are honoured or warned
with their YAML position, and ``--explain`` prints a native definition that loads
to the same language."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from craftls.language.explain import explain
from craftls.language.grammar_spec import Expr, GrammarSpec
from craftls.language.loader import load_definition_text
from craftls.language.model import BlockStyle, LanguageDefinition

CONFIGS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "parsercraft-configs"
ALL = sorted([*CONFIGS.glob("*.yaml"), *CONFIGS.glob("*.json")])


def load(path: Path) -> LanguageDefinition:
    definition, problems = load_definition_text(path.read_text(encoding="utf-8"), str(path))
    assert definition is not None, problems
    assert [p for p in problems if p.severity == "error"] == []
    return definition


def test_the_22_configs_are_there() -> None:
    assert len(ALL) == 22


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_every_config_loads_with_warnings_at_most(config: Path) -> None:
    load(config)


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_explain_round_trips_to_the_same_language(config: Path) -> None:
    definition = load(config)
    text = explain(definition)
    assert isinstance(yaml.safe_load(text), dict)
    again, problems = load_definition_text(text, "explained")
    assert again is not None, problems
    # the only problems left are the shared spellings' warnings, the same as before
    assert all(p.severity == "warning" for p in problems)
    # the grammar block is printed too (TempleCode's), and loads to the same grammar
    assert ("\ngrammar:\n" in text) == (definition.grammar is not None)
    assert same_grammar(again.grammar, definition.grammar)
    assert dataclasses.replace(again, source_path=None, grammar=None) == \
        dataclasses.replace(definition, source_path=None, grammar=None)


def same_grammar(a: GrammarSpec | None, b: GrammarSpec | None) -> bool:
    """Equal productions and meanings; where in the YAML they were written, and in
    which notation, may differ."""
    def plain(expr: Expr) -> Expr:
        return dataclasses.replace(expr, items=tuple(plain(i) for i in expr.items),
                                   line=0, column=0)
    if a is None or b is None:
        return a is b
    return a.start == b.start and [(p.name, plain(p.expr), p.meaning) for p in a.rules] == \
        [(p.name, plain(p.expr), p.meaning) for p in b.rules]


def test_explain_prints_a_native_grammar_with_its_meanings() -> None:
    """Every operator of the notation, nested where parentheses are needed, and the
    meaning annotations of a native grammar come back the same."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "grammar" / "minilua.yaml"
    definition = load(path)
    text = explain(definition)
    again = load_definition_text(text, "explained")[0]
    assert again is not None and same_grammar(again.grammar, definition.grammar)
    assert again.grammar is not None and again.grammar.meanings()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = data["grammar"]["rules"]
    rules["statement"] += " / odd"
    rules["odd"] = "!('local' 'x') &IDENT (x / 'return')+ (IDENT % ',')? ('(' / ')')* 'end'"
    rules["x"] = {"match": "'x' IDENT", "assigns": "variable"}
    with_odd = load_definition_text(yaml.safe_dump(data, sort_keys=False), "odd")[0]
    assert with_odd is not None and with_odd.grammar is not None
    rendered = load_definition_text(explain(with_odd), "again")[0]
    assert rendered is not None and same_grammar(rendered.grammar, with_odd.grammar)


def test_explain_command_prints_yaml_and_problems_apart(tmp_path: Path) -> None:
    config = CONFIGS / "timewarp_templecode.yaml"
    run = subprocess.run([sys.executable, "-m", "craftls", "language", "check", "--explain",
                          str(config)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert yaml.safe_load(run.stdout)["structure"]["block_style"] == "keyword_terminated"
    assert "'TO' spells both 'function' and 'to'" in run.stderr


def problems_of(text: str) -> list[tuple[int, int, str, str]]:
    definition, problems = load_definition_text(text)
    assert definition is not None, problems
    return [(p.line, p.column, p.severity, p.message) for p in problems]


def test_unsupported_keys_are_warned_at_their_yaml_position() -> None:
    text = ("name: T\nkeywords:\n  def: fn\nparsing:\n  comment_style: '#'\n"
            "  statment_separator: ';'\nsyntax:\n  array_index_base: one\n"
            "parsing_config:\n  index_access_start: '<'\ngrammer: {}\n")
    found = problems_of(text)
    assert (6, 3, "warning", "unknown key 'parsing.statment_separator' ignored "
                             "(did you mean 'statement_separator'?)") in found
    assert any(line == 8 and "not 'one'" in message for line, _, _, message in found)
    assert any(line == 10 and "'<' as index access start" in message
               for line, _, _, message in found)
    assert (11, 1, "warning", "unknown key 'grammer' ignored (did you mean 'grammar'?)") in found


def test_ide_and_runtime_keys_are_accepted_quietly() -> None:
    text = ("metadata: {name: T, author: me, icon: t.ico, year: 1999}\n"
            "keywords: {if: si}\nruntime: {debug_mode: true, strict_mode: false}\n"
            "color_palette: {0: {name: black, hex: '#000'}}\nide_theme: {name: dark}\n"
            "syntax_options: {three_valued_logic: true, enable_time_travel: true}\n")
    assert problems_of(text) == []


def test_python_keyword_maps_are_python_with_renamed_words() -> None:
    d = load(CONFIGS / "teachscript.yaml")
    assert d.structure.block_style is BlockStyle.INDENTATION and d.structure.block_open == ":"
    assert d.lexical.line_comments == ("#",)
    assert d.keywords["true"] == ("yes",) and d.keywords["null"] == ("nothing",)
    assert d.keywords["function"] == ("teach",) and d.keywords["pass"] == ("pass",)
    equals = next(op for op in d.operators if op.symbol == "equals")
    assert equals.result == "bool" and equals.binary
    assert "+=" in d.structure.compound_assignments
    assert d.structure.declarations == "assignment"


def test_capitalised_literal_keys_and_def_with_function() -> None:
    d, _ = load_definition_text("name: T\nkeywords:\n  def: fn\n  function: func\n"
                                "  TRUE: oui\n  None: rien\n")
    assert d is not None
    assert d.keywords["function"] == ("fn", "func")
    assert d.keywords["true"] == ("oui",) and d.keywords["null"] == ("rien",)
    assert d.keywords["false"] == ("False",)  # not renamed: keeps Python's spelling


def test_pascal_like_config() -> None:
    d = load(CONFIGS / "pascal_like.yaml")
    assert d.structure.block_style is BlockStyle.BEGIN_END
    assert d.structure.function_result == "name" and d.structure.program_terminator == "."
    assert [(b.open, b.close) for b in d.lexical.block_comments] == [("(*", "*)")]
    assert d.structure.index_base == 1


def test_basic_like_configs() -> None:
    d = load(CONFIGS / "timewarp_templecode.yaml")
    assert d.structure.block_style is BlockStyle.KEYWORD_TERMINATED
    assert ":" in d.structure.separators and d.lexical.line_continuation == "_"
    assert "REM" in d.lexical.line_comments and "'" in d.lexical.line_comments
    assert d.structure.line_numbers and not d.lexical.case_sensitive
    assert d.shared_spellings == {"to": ("TO",)}
    gw = load(CONFIGS / "gw_basic.yaml")
    assert gw.keywords["wend"] == ("WEND",) and "next" in gw.keywords
    assert gw.lexical.identifier.endswith("[$%&!#]?")


def test_a_multi_character_delimiter_without_escape_lexes() -> None:
    from craftls.syntax.parse import parse
    triple_double, triple_single = '"' * 3, "'" * 3
    text = ("name: T\nkeywords: {if: si}\nparsing_config:\n"
            f"  string_delimiters: [{triple_double!r}, {triple_single!r}]\n"
            "  escape_character: ''\n")
    d, problems = load_definition_text(text)
    assert d is not None, problems
    assert {(s.delimiter, s.escape) for s in d.lexical.strings} == {
        (triple_double, "none"), (triple_single, "none")}
    source = f"x = {triple_single}a\nb{triple_single}\ny = {triple_double}c{triple_double}\n"
    parsed = parse(d, source)
    assert parsed.root.text == source
    assert parsed.errors == []


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_explained_definitions_validate_against_the_json_schema(config: Path) -> None:
    import json

    import jsonschema

    from craftls.language.catalog import BUNDLED_DIR
    from craftls.language.yamlsource import load_yaml
    schema = json.loads((BUNDLED_DIR.parent / "definition.schema.json").read_text())
    jsonschema.validate(load_yaml(explain(load(config))).data, schema)


def test_python_family_programs_may_call_pythons_builtins() -> None:
    """ParserCraft execs the translated program with Python's builtins, so they are
    builtins of every Python-family config (with their argument counts where Python
    records them); the config's own names and keyword spellings win."""
    from craftls.features.analysis import analyze_with_types
    from craftls.syntax.parse import parse
    teach = load(CONFIGS / "teachscript.yaml")
    text = ("remember words = sorted([\"b\", \"a\"])\nprint(len(words), isinstance(words, list))\n"
            "try:\n    raise ValueError(\"x\")\nexcept ValueError as problem:\n"
            "    say(repr(problem), abs(-1))\nsay(len(words, words))\n")
    found = [(d.severity, d.message) for d in analyze_with_types(parse(teach, text), None).diagnostics
             if d.severity != "hint"]
    assert found == [("error", "'len' takes 1 argument, 2 given")]
    printer = teach.builtin("print")
    assert printer is not None and printer.implements == "print_line"
    assert teach.builtin("say") is not None  # the config's own name is kept
    assert load(CONFIGS / "pascal_like.yaml").builtin("sorted") is None  # not Python-family
