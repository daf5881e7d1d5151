"""Quoted words (`lexical.strings[].ends_at`): a string that opens with its delimiter and
has no closing one, ending before a blank, a line break or one of the `ends_at`
characters — Logo's `"count`, which ends at a `]` too. The same rule in a
grammar-defined language (tests/fixtures/grammar/minilogo.yaml) and in a keyword-level
one, in the lexer's two paths, after an edit, in the runtime's value and in the
generated editor grammars."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from craftls.cli.editor_cmd import emacs_mode, language_configuration, textmate_grammar
from craftls.codegen.lower import _Lowering
from craftls.features import semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.language.loader import load_definition, load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import _lex_loop, lex, tables_for
from craftls.syntax.parse import parse
from craftls.syntax.tokens import STRING, TRIVIA

LOGO = Path(__file__).resolve().parents[1] / "fixtures" / "grammar" / "minilogo.yaml"

PROGRAM = """\
; a square, then words
to square :size
  repeat 4 [forward :size right 90]
end
square 50
print "hello
make "total 10
print [a "b c]
repeat 2 [print "count]
print "a\\ b
print "
"""

KEYWORD_LEVEL = """\
name: Words
id: words
lexical:
  strings:
    - {delimiter: "'"}
    - {delimiter: '"', ends_at: "()[],", escape: none}
keywords:
  let: let
structure:
  block_style: braces
  statements: terminator
builtins:
  - {name: say, min_args: 1, max_args: 2}
"""


def logo() -> LanguageDefinition:
    return load_definition(LOGO)


def words() -> LanguageDefinition:
    definition, problems = load_definition_text(KEYWORD_LEVEL)
    assert definition is not None and not [p for p in problems if p.severity == "error"]
    return definition


def strings(definition: LanguageDefinition, text: str) -> list[str]:
    return [t for kind, t in lex(definition, text)[0] if kind == STRING]


def test_a_quoted_word_ends_at_a_blank_or_a_bracket_in_a_grammar_language() -> None:
    definition = logo()
    assert strings(definition, PROGRAM) == [
        '"hello', '"total', '"b', '"count', '"a\\ b', '"']
    at = PROGRAM.index('"count]')
    tokens = [t for t in lex(definition, PROGRAM)[0] if t[0] not in TRIVIA]
    assert ("punct", "]") in tokens[tokens.index(("string", '"count')):][:2]
    analysis = analyze_with_types(parse(definition, PROGRAM))
    assert analysis.parsed.errors == [] and analysis.diagnostics == []
    kinds = {t.start: t.type for t in semantic_tokens.classify(analysis)}
    assert kinds[at] == "string"


def test_the_token_loop_agrees_with_the_whole_text_path() -> None:
    for definition in (logo(), words()):
        tables = tables_for(definition)
        assert tables.texts_pattern is not None  # still context free
        assert _lex_loop(tables, PROGRAM, 0, len(PROGRAM))[0] == lex(definition, PROGRAM)[0]


def test_a_keyword_level_language_reads_them_with_its_own_end_characters() -> None:
    definition = words()
    text = "let w = \"apple;\nsay(\"pear, 'a b');\nsay(\"x\\y);\n"
    assert strings(definition, text) == ['"apple;', '"pear', "'a b'", '"x\\y']
    fixed = text.replace('"apple;', '"apple ;')
    analysis = analyze_with_types(parse(definition, fixed))
    assert analysis.parsed.errors == []
    assert [d.message for d in analysis.diagnostics] == ["'w' is never used"]


def test_an_edit_relexes_the_word_it_touches() -> None:
    definition = logo()
    old = parse(definition, PROGRAM)
    at = PROGRAM.index('"hello') + len('"hello')
    new, _ = apply_edit(old, TextEdit(at, at, "world]"))
    text = PROGRAM[:at] + "world]" + PROGRAM[at:]
    assert new.text == text
    assert [(t.kind, t.text) for t in new.root.leaves()] == \
        [(t.kind, t.text) for t in parse(definition, text).root.leaves()]
    assert '"helloworld' in strings(definition, text)


def test_the_value_of_a_word_is_its_text_after_the_delimiter() -> None:
    lowering = _Lowering.__new__(_Lowering)
    lowering.d = logo()
    assert lowering.string('"hello') == "hello"
    assert lowering.string('"a\\ b') == "a b"
    assert lowering.string('"') == ""


@pytest.mark.parametrize("rule, message", [
    ("{delimiter: '\"', ends_at: '[]', multiline: true}", "ends_at must be a string"),
    ("{delimiter: '\"', ends_at: '[]', line_end_closes: true}", "ends_at must be a string"),
    ("{delimiter: '\"', ends_at: '[]', escape: doubled}", "ends_at must be a string"),
    ("{delimiter: '\"', ends_at: 3}", "ends_at must be a string"),
    ("{delimiter: '\"', end_at: '[]'}", "unknown key 'lexical.strings.end_at' (did you "
                                        "mean 'ends_at'?)"),
])
def test_the_rule_is_checked(rule: str, message: str) -> None:
    text = KEYWORD_LEVEL.replace("""    - {delimiter: '"', ends_at: "()[],", escape: none}""",
                                 f"    - {rule}")
    _, problems = load_definition_text(text)
    assert any(message in p.message for p in problems), [p.message for p in problems]


def test_the_editor_grammars_colour_the_word_and_close_no_quote() -> None:
    definition = logo()
    grammar = textmate_grammar(definition)
    rules = grammar["repository"]["strings"]["patterns"]
    word = next(r for r in rules if "match" in r)
    found = re.search(word["match"], 'repeat 2 [print "count]')
    assert found is not None and found.group() == '"count'
    assert re.search(word["match"], 'print "a\\ b').group() == '"a\\ b'  # type: ignore[union-attr]
    config = language_configuration(definition)
    assert all(p["open"] != '"' for p in config["autoClosingPairs"])
    mode = emacs_mode(definition)
    assert '(modify-syntax-entry ?\\" "." table)' in mode
    assert '("\\"[^]\\t\\n ()[]*" . font-lock-string-face)' in mode
