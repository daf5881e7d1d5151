"""Any definition ``language check`` accepts never crashes the lexer, parser or checker,
whatever the text, and no message shows a Python value such as None.

Definitions come from mutated ParserCraft configs and native definitions: odd string
delimiters, empty and multi-character markers, symbolic keywords, separators."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.analysis import analyze_with_types
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.parse import parse

CONFIGS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "parsercraft-configs"
BASES = [yaml.safe_load(p.read_text(encoding="utf-8"))
         for p in sorted([*CONFIGS.glob("*.yaml"), *CONFIGS.glob("*.json")])]
NATIVE = {"name": "N", "keywords": {"if": "if", "while": "while", "end": "end"},
          "structure": {"block_style": "keyword_terminated"}}

markers = st.sampled_from(["", " ", "#", "//", "--", "'", '"', '"""', "'''", "(*", "*)", "{",
                           "}", ":", ";", "_", "\\", "!", "REM", "<<", "%%", "[", "]", "=",
                           "END", "0", "\n"])
words = st.sampled_from(["if", "IF", "then", "end", "END", "fi", "to", "TO", ":", ";", "=",
                         "==", "(", ",", "{", "None", "True", "yes", "x", "_", "'", "9", ""])
concepts = st.sampled_from(["if", "then", "else", "elif", "while", "for", "to", "do", "end",
                            "begin", "function", "def", "return", "let", "True", "None",
                            "try", "except", "finally", "next", "wend", "==", "not", "rem"])


@st.composite
def parsercraft_config(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(BASES)))
    keywords = data.setdefault("keywords", {})
    if isinstance(keywords, dict):
        for _ in range(draw(st.integers(0, 4))):
            keywords[draw(concepts)] = draw(words)
    parsing = data.setdefault("parsing", {})
    for key in ("comment_style", "multiline_comment_start", "multiline_comment_end",
                "statement_separator", "line_continuation"):
        if draw(st.booleans()):
            parsing[key] = draw(markers)
    if draw(st.booleans()):
        parsing["string_delimiters"] = draw(st.lists(markers, max_size=3))
    if draw(st.booleans()):
        data.setdefault("parsing_config", {})["escape_character"] = draw(
            st.sampled_from(["", "\\", "^"]))
    _syntax_keys(draw, data)
    return data


def _syntax_keys(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """The keys issue 18 honours, with odd values too."""
    config = data.setdefault("parsing_config", {})
    if isinstance(config, dict) and draw(st.booleans()):
        config["allow_raw_strings"] = draw(st.booleans())
        config["raw_string_prefix"] = draw(st.sampled_from(["r", "R", "", "x1", "b"]))
        config["index_access_start"] = draw(st.sampled_from(["[", "(", "<"]))
        config["key_value_separator"] = draw(st.sampled_from([":", "=", "=>", ";"]))
    syntax = data.setdefault("syntax", {})
    if isinstance(syntax, dict):
        for key in ("parentheses_required", "function_keyword_required", "block_end_required"):
            if draw(st.booleans()):
                syntax[key] = draw(st.booleans())
    if draw(st.booleans()):
        data.setdefault("syntax_options", {})["array_start_index"] = draw(
            st.integers(-3, 3))


@st.composite
def native_definition(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(NATIVE)
    data["structure"]["block_style"] = draw(st.sampled_from(
        ["braces", "begin_end", "keyword_terminated", "indentation"]))
    data["structure"]["separators"] = draw(st.lists(st.sampled_from([":", "!", "|"]),
                                                    max_size=2))
    data["lexical"] = {
        "strings": [{"delimiter": d, "escape": e, "multiline": m} for d, e, m in draw(
            st.lists(st.tuples(st.sampled_from(['"', "'", '"""', "''", "`", "%%"]),
                               st.sampled_from(["backslash", "doubled", "none"]),
                               st.booleans()), max_size=3))],
        "line_comments": draw(st.lists(st.sampled_from(["#", "--", "REM", "'"]), max_size=2)),
        "line_continuation": draw(st.sampled_from(["", "_", "\\", "&"])),
    }
    for _ in range(draw(st.integers(0, 3))):
        data["keywords"][draw(concepts)] = draw(words)
    return data


pieces = st.sampled_from(list("ifthenwhiledoEND TO=:;,.()[]{}#'\"_\\!\n\t01x$r")
                         + ["class ", "lambda ", "def ", "f(x):", "  "]
                         + ['"' * 3, "'" * 3, "(*", "*)", "REM ", "    ", "None", "yes"])
texts = st.lists(pieces, max_size=60).map("".join)


def check_text(definition: LanguageDefinition, text: str) -> None:
    parsed = parse(definition, text)
    assert parsed.root.text == text
    analysis = analyze_with_types(parsed, None)
    spelled_none = any("None" in s for spellings in definition.keywords.values()
                       for s in spellings)
    for d in analysis.diagnostics:
        assert spelled_none or "None" in text or "None" not in d.message, d.message


def load(data: dict[str, Any]) -> LanguageDefinition | None:
    text = yaml.safe_dump(data, allow_unicode=True)
    definition, problems = load_definition_text(text)
    for p in problems:
        assert "Traceback" not in p.message
    return definition


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(parsercraft_config(), native_definition()),
       st.lists(texts, min_size=1, max_size=3))
def test_mutated_definitions_never_crash(data: dict[str, Any], samples: list[str]) -> None:
    """ParserCraft configs and native definitions alike."""
    definition = load(data)
    if definition is not None:
        for text in samples:
            check_text(definition, text)
