from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from craftls.language.catalog import bundled, bundled_ids
from craftls.language.loader import load_definition_text
from craftls.language.model import BlockStyle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsercraft"


def test_at_least_five_bundled_languages_cover_every_block_style() -> None:
    ids = bundled_ids()
    assert len(ids) >= 5
    styles = {bundled(i).structure.block_style for i in ids}
    assert styles == set(BlockStyle)


def test_every_bundled_definition_loads_without_problems(language_id: str) -> None:
    from craftls.language.catalog import BUNDLED_DIR
    text = (BUNDLED_DIR / f"{language_id}.yaml").read_text(encoding="utf-8")
    definition, problems = load_definition_text(text)
    assert definition is not None
    assert problems == []


def test_yaml_boolean_keys_stay_keyword_names() -> None:
    definition, problems = load_definition_text(
        "name: T\nkeywords:\n  true: YES\n  false: NO\n  null: NADA\n  on: ON\n")
    assert definition is not None, problems
    assert definition.keywords["true"] == ("YES",)
    assert definition.keywords["false"] == ("NO",)
    assert definition.keywords["null"] == ("NADA",)
    assert definition.keywords["on"] == ("ON",)


def test_a_shown_type_that_types_does_not_name_is_warned_about() -> None:
    definition, problems = load_definition_text(
        "name: T\ntypes:\n  CHAR: str\nstructure:\n  shown_types: [Char, Byte]\n")
    assert definition is not None
    assert definition.structure.shown_types == ("Char", "Byte")
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "shown type 'Byte' is no name of 'types' nor a type word of a "
                    "'type_name' rule: it is shown by nothing")]


def test_parsercraft_canonical_dialect_maps_keywords_functions_operators() -> None:
    text = """
metadata: {name: Demo Lang, version: 2.0.0}
keywords:
  if: {original: if, custom: cuando, category: control, description: Conditional}
  "true": {original: "true", custom: verdad, category: literal}
  begin: {original: begin, custom: BEGIN}
  end: {original: end, custom: END}
functions:
  print: {name: say, arity: -1, min_args: -1, max_args: -1, description: Print}
  len: {name: len, arity: 1}
operators:
  ":=": {symbol: ":=", precedence: 1, associativity: right}
  "+": {symbol: "+", precedence: 10, associativity: left}
syntax_options: {single_line_comment: "//", array_start_index: 1}
parsing_config: {string_delimiters: ['"'], escape_character: "\\\\"}
runtime: {debug_mode: false}
"""
    definition, problems = load_definition_text(text)
    assert definition is not None, problems
    assert definition.name == "Demo Lang"
    assert definition.keywords["if"] == ("cuando",)
    assert definition.keywords["true"] == ("verdad",)
    assert definition.keyword_categories["if"] == "control"
    assert definition.structure.block_style is BlockStyle.BEGIN_END
    assert definition.structure.assignment == ":="
    assert definition.structure.index_base == 1
    say = definition.builtin("say")
    assert say is not None and say.max_args is None
    length = definition.builtin("len")
    assert length is not None and (length.min_args, length.max_args) == (1, 1)


def test_parsercraft_legacy_dialect() -> None:
    text = """
metadata: {name: Old}
keywords: {if: SI, while: MIENTRAS}
builtin_functions:
  show: {new_name: MOSTRAR, arity: 2}
operators: []
"""
    definition, problems = load_definition_text(text)
    assert definition is not None, problems
    assert definition.builtin("MOSTRAR") is not None
    assert any(op.symbol == "+" for op in definition.operators)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.name)
def test_parsercraft_fixture_files_load_unchanged(fixture: Path) -> None:
    definition, problems = load_definition_text(fixture.read_text(encoding="utf-8"))
    assert definition is not None, problems
    assert not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("text, fragment, line", [
    ("name: X\nkeywordz: {}\n", "unknown key 'keywordz' (did you mean 'keywords'?)", 2),
    ("name: X\nlexical:\n  identifier: '[a-z'\n", "invalid pattern", 3),
    ("name: X\nstructure:\n  block_style: curly\n", "not a valid block_style", 3),
    ("name: X\nkeywords: [1, 2\n", "invalid YAML", 3),
    ("name: X\nstructure:\n  type_marks: ['$', '$$$$']\n", "a type mark is 1 to 3 characters", 3),
    ("name: X\nstructure:\n  type_marks: ['a']\n", "none a letter, digit or '_', not 'a'", 3),
    ("name: X\nstructure:\n  labels: own\n", "'labels' must be one of shared, separate", 3),
])
def test_bad_definitions_are_reported_with_position(text: str, fragment: str, line: int) -> None:
    definition, problems = load_definition_text(text)
    assert definition is None
    matching = [p for p in problems if fragment in p.message]
    assert matching, problems
    assert matching[0].line == line


@pytest.mark.parametrize("text, fragment, line", [
    ("name: X\nkeywords:\n  if: WHEN\n  while: WHEN\n", "'WHEN' spells both 'if' and 'while'", 4),
    ("name: X\nkeywords:\n  if: DIV\noperators:\n  - {symbol: DIV, precedence: 3}\n",
     "the operator wins", 3),
    ("name: X\nkeywords:\n  is: '='\n", "also the assignment symbol", 3),
])
def test_shared_spellings_load_with_a_warning(text: str, fragment: str, line: int) -> None:
    definition, problems = load_definition_text(text)
    assert definition is not None, problems
    assert [p.severity for p in problems] == ["warning"]
    assert fragment in problems[0].message and problems[0].line == line


def test_a_shared_spelling_lexes_as_the_statement_concept_and_serves_the_other() -> None:
    definition, _ = load_definition_text("name: X\nkeywords:\n  to: TO\n  function: TO\n"
                                         "  for: FOR\n")
    assert definition is not None
    assert definition.keywords["function"] == ("TO",) and "to" not in definition.keywords
    assert definition.shared_spellings == {"to": ("TO",)} and definition.has("to")


def test_language_check_command_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("name: Good\nkeywords: {if: IF}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nkeywords:\n  if: X\nstructure:\n  block_style: curly\n")
    run = [sys.executable, "-m", "craftls", "language", "check"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    failed = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert failed.returncode == 2
    assert f"{bad}:5:" in failed.stdout and "not a valid block_style" in failed.stdout
    assert "Traceback" not in failed.stderr


def test_bundled_definitions_validate_against_the_shipped_json_schema(language_id: str) -> None:
    import json

    import jsonschema

    from craftls.language.catalog import BUNDLED_DIR
    from craftls.language.yamlsource import load_yaml
    schema = json.loads((BUNDLED_DIR.parent / "definition.schema.json").read_text())
    data = load_yaml((BUNDLED_DIR / f"{language_id}.yaml").read_text(encoding="utf-8")).data
    jsonschema.validate(data, schema)


def test_the_json_schema_rejects_a_wrong_shape() -> None:
    import json

    import jsonschema
    import pytest as _pytest

    from craftls.language.catalog import BUNDLED_DIR
    schema = json.loads((BUNDLED_DIR.parent / "definition.schema.json").read_text())
    with _pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "X", "structure": {"block_style": "curly"}}, schema)


def test_the_json_schema_lists_every_run_construct_the_loader_accepts() -> None:
    """The shipped schema's `run` constructs (the short form and `is`) are exactly those
    `run_spec` reads: an editor validating a definition with it neither rejects a
    construct craftls runs nor offers one it refuses."""
    import json

    from craftls.language.catalog import BUNDLED_DIR
    from craftls.language.run_spec import CONSTRUCTS
    schema = json.loads((BUNDLED_DIR.parent / "definition.schema.json").read_text())
    found: list[list[str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "run":
                    found.extend(option["enum"] for option in value["oneOf"] if "enum" in option)
                    found.extend(option["properties"]["is"]["enum"]
                                 for option in value["oneOf"] if "properties" in option)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema)
    assert len(found) == 2
    assert all(sorted(enum) == sorted(CONSTRUCTS) for enum in found)
