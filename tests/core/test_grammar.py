"""The grammar section of a definition: notation, annotations, checks with positions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from craftls.language.grammar_spec import (
    CHOICE,
    CLASS,
    LIT,
    PLUS,
    RULE,
    SEP,
    SEQ,
    NotationError,
    parse_expression,
)
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.language.problems import DefinitionProblem
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import TRIVIA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
TEMPLECODE = FIXTURES / "templecode.yaml"

HEADER = """name: Tiny
lexical:
  case_sensitive: false
  line_comments: ["#"]
keywords:
  let: LET
  print: PRINT
  end: END
operators:
  - {symbol: "+", precedence: 4}
structure:
  statements: newline
"""


def load(grammar: str) -> tuple[LanguageDefinition | None, list[DefinitionProblem]]:
    return load_definition_text(HEADER + grammar)


def at(offset: int) -> tuple[int, int]:
    return 1, offset + 1


def test_the_notation_reads_every_construct() -> None:
    expr = parse_expression("'LET' IDENT ('=' expr)? / item % ',' / x+ !y &z", at)
    assert expr.op == CHOICE
    first, second, third = expr.items
    assert first.op == SEQ and [e.op for e in first.items] == [LIT, CLASS, "opt"]
    assert second.op == SEP and second.items[0].op == RULE and second.items[1].text == ","
    assert [e.op for e in third.items] == [PLUS, "not", "and"]
    assert first.items[1].column == 7  # positions point at each element


@pytest.mark.parametrize("text,message,offset", [
    ("'a' (b", "expected ')'", 6),
    ("a / / b", "empty alternative", 4),
    ("''", "empty literal", 0),
    ("a $ b", "unexpected '$'", 2),
    ("(" * 60 + "a" + ")" * 60, "nested too deeply", 40),
])
def test_notation_errors_say_where(text: str, message: str, offset: int) -> None:
    with pytest.raises(NotationError) as caught:
        parse_expression(text, at)
    assert message in caught.value.message
    assert caught.value.offset == offset


def test_a_native_grammar_loads_with_its_annotations() -> None:
    definition, problems = load("""grammar:
  start: file
  rules:
    file: "item*"
    item: "let / show"
    let:
      match: "'LET' IDENT '=' value"
      declares: variable
    show: "'PRINT' value % ','"
    value: "NUMBER / IDENT"
""")
    assert problems == []
    assert definition is not None and definition.grammar is not None
    grammar = definition.grammar
    assert grammar.start == "file" and grammar.notation == "native"
    let = grammar.rule("let")
    assert let is not None and let.meaning.declares == "variable"
    assert not grammar.inferred  # annotated grammars keep their own meanings


def problems_of(grammar: str) -> list[tuple[str, int, int, str]]:
    _, problems = load(grammar)
    return [(p.message, p.line, p.column, p.severity) for p in problems]


def grammar_lines(*rules: str) -> str:
    return "grammar:\n  start: file\n  rules:\n" + "".join(f"    {r}\n" for r in rules)


def test_unknown_rule_is_an_error_at_its_place() -> None:
    found = problems_of(grammar_lines('file: "item*"', 'item: "\'PRINT\' valu"'))
    line = HEADER.count("\n") + 5
    assert ("unknown rule 'valu' in rule 'item'", line, 20, "error") in found


def test_unreachable_rule_is_a_warning() -> None:
    definition, problems = load(grammar_lines('file: "item*"', 'item: "\'PRINT\' NUMBER"',
                                              'lost: "IDENT"'))
    assert definition is not None
    assert [(p.message, p.severity) for p in problems] == [
        ("rule 'lost' is unreachable from the start rule 'file'", "warning")]
    assert problems[0].line == HEADER.count("\n") + 6 and problems[0].column == 5


def test_left_recursion_is_reported_with_its_cycle() -> None:
    found = problems_of(grammar_lines('file: "sum*"', 'sum: "term \'+\' NUMBER / NUMBER"',
                                      'term: "sum? other"', 'other: "IDENT"'))
    messages = [m for m, *_ in found]
    assert any("left recursion: sum -> term -> sum" in m for m in messages), messages


def test_a_loop_whose_body_can_match_empty_is_an_error() -> None:
    found = problems_of(grammar_lines('file: "item*"', 'item: "(\'PRINT\'? NUMBER?)*"'))
    assert any("can repeat without consuming input" in m and col == 12
               for m, _, col, _ in found), found


def test_a_literal_the_lexer_never_produces_is_an_error() -> None:
    found = problems_of(grammar_lines('file: "item*"', 'item: "\'PRINT\' \'<>\' \'#x\' NUMBER"'))
    messages = [m for m, *_ in found]
    assert any("never produces '<>'" in m for m in messages)  # '<' '>' are no operators
    assert any("never produces '#x'" in m for m in messages)  # a comment, not a token
    # each says why, and what to do
    assert any("'<>'" in m and m.endswith("list it under 'operators'") for m in messages)
    assert any("'#x'" in m and "'#' starts a line comment" in m for m in messages)


def test_the_default_line_comment_is_named_when_it_takes_a_literal() -> None:
    """A lexical section without line_comments gets '#': a newcomer's '#' operator
    (Oberon's not-equal) is then never a token, and the error says where '#' came from."""
    text = HEADER.replace('  line_comments: ["#"]\n', "").replace(
        '  - {symbol: "+", precedence: 4}', '  - {symbol: "+", precedence: 4}\n'
        '  - {symbol: "#", precedence: 3}')
    _, found = load_definition_text(text + grammar_lines('file: "item*"',
                                                         'item: "NUMBER \'#\' NUMBER"'))
    assert [p.message for p in found] == [
        "operator '#' can never be written: '#' starts a line comment (the default "
        "lexical.line_comments is ['#']; write 'line_comments: []' under lexical for none)",
        "the lexer never produces '#' as one token, so this literal in rule 'item' can "
        "never match: '#' starts a line comment (lexical.line_comments is ['#']; ['#'] "
        "when the lexical section does not list any: write 'line_comments: []' for none)"]


def test_imports_without_declares_is_a_warning_that_says_what_to_add() -> None:
    found = problems_of(grammar_lines('file: "item*"', 'item: "\'LET\' used"',
                                      'used: {match: "IDENT", imports: true}'))
    assert ("'imports' in rule 'used' needs 'declares': the module is found, but its name "
            "is an undefined name: add 'declares: module'", HEADER.count("\n") + 6, 37,
            "warning") in found


def test_bad_annotations_and_unknown_keys_are_named() -> None:
    found = problems_of(grammar_lines('file: "item*"',
                                      'item: {match: "IDENT", declares: thing, colour: red}'))
    messages = [(m, s) for m, _, _, s in found]
    assert any("'declares' in rule 'item' must be one of" in m for m, _ in messages)
    assert ("unknown key 'colour' in rule 'item'", "warning") in messages


def test_a_grammar_without_its_start_rule_is_rejected() -> None:
    definition, problems = load("grammar:\n  start: nowhere\n  rules:\n    a: \"IDENT\"\n")
    assert definition is None
    assert any("the start rule 'nowhere' is not defined" in p.message for p in problems)


def test_templecode_grammar_loads_as_is_with_defaults() -> None:
    definition, problems = load_definition_text(TEMPLECODE.read_text(encoding="utf-8"))
    assert definition is not None, problems
    assert [p for p in problems if p.severity == "error"] == []
    grammar = definition.grammar
    assert grammar is not None and grammar.notation == "parsercraft" and grammar.inferred
    meanings = {p.name: p.meaning for p in grammar.rules}
    assert meanings["let_stmt"].assigns == "variable"
    assert meanings["assignment"].assigns == "variable"
    assert meanings["for_stmt"].assigns == "loop_variable"
    assert meanings["label_def"].declares == "label"
    assert meanings["repeat_stmt"].block and meanings["if_stmt"].block
    # both comment patterns are the definition's own comment markers: no warning
    assert not any("comment pattern" in p.message for p in problems)


def test_every_literal_an_accepted_grammar_uses_lexes_as_one_token() -> None:
    definition, _ = load_definition_text(TEMPLECODE.read_text(encoding="utf-8"))
    assert definition is not None and definition.grammar is not None
    from craftls.language.grammar_spec import walk
    for production in definition.grammar.rules:
        for element in walk(production.expr):
            if element.op == LIT:
                tokens, _ = lex(definition, element.text)
                assert len([t for t in tokens if t[0] not in TRIVIA]) == 1, element.text


def test_an_unknown_comment_pattern_is_a_warning() -> None:
    _, problems = load('grammar:\n  start: f\n  comments: ["//.*"]\n  rules:\n'
                       '    f: "NUMBER*"\n')
    assert any("comment pattern '//.*'" in p.message and p.severity == "warning"
               for p in problems)


def test_language_check_shows_grammar_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(HEADER + grammar_lines('file: "item*"', 'item: "\'PRINT\' valu"'),
                    encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "craftls.cli.main", "language", "check",
                          str(path)], capture_output=True, text=True, check=False)
    line = HEADER.count("\n") + 5
    assert f"{path}:{line}:20: error: unknown rule 'valu' in rule 'item'" in run.stdout
    assert run.returncode == 2


def test_a_rule_display_name_names_it_in_messages_and_must_be_text() -> None:
    value = "NUMBER / IDENT / STRING / '(' NUMBER ')' / '[' NUMBER ']'"
    rules = ('file: "item*"', 'item: "\'PRINT\' print_value"')
    definition, problems = load(grammar_lines(
        *rules, f'print_value: {{match: "{value}", display: value}}'))
    assert definition is not None and problems == []
    assert [e.message for e in parse(definition, "PRINT\n").errors] == [
        "expected value, found the end of the file"]
    # without it, the rule's name in words
    plain, _ = load(grammar_lines(*rules, f'print_value: "{value}"'))
    assert plain is not None
    assert [e.message for e in parse(plain, "PRINT\n").errors] == [
        "expected print value, found the end of the file"]
    found = problems_of(grammar_lines(
        *rules, f'print_value: {{match: "{value}", display: ""}}'))
    assert any("'display' in rule 'print_value' must be a non-empty text" in m
               for m, *_ in found), found
