"""The ``syntax`` health check's canary parses with the languages in use whose parser
is built: a grammar's first build, under way for its first document in another thread,
is no stuck parser."""

from __future__ import annotations

from pathlib import Path

from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.lsp.operations import Operations
from craftls.ops.health import HealthStatus
from craftls.syntax.parse import parse, parser_built

GRAMMAR = """\
id: {id}
name: Canary grammar
extensions: [".cgr"]
keywords: [say]
grammar:
  start: program
  rules:
    program: "statement*"
    statement: "'say' IDENT"
"""
KEYWORD_LEVEL = Path(__file__).resolve().parents[2] / "server" / "craftls" / "language" \
    / "bundled" / "curly.yaml"


def fresh_grammar(language_id: str) -> LanguageDefinition:
    """A grammar-defined definition no parse has used: its tables are shared with an
    equal definition's (``tables_for``), so each test's has an id of its own."""
    definition, problems = load_definition_text(GRAMMAR.replace("{id}", language_id),
                                                f"{language_id}.yaml")
    assert definition is not None, problems
    return definition


def test_a_grammar_s_parser_is_built_by_its_first_parse() -> None:
    definition = fresh_grammar("canary-first-parse")
    assert not parser_built(definition)
    assert parse(definition, "say hello\n").errors == []
    assert parser_built(definition)


def test_a_keyword_level_parser_counts_as_built() -> None:
    definition, _ = load_definition_text(KEYWORD_LEVEL.read_text(encoding="utf-8"), "kw")
    assert definition is not None
    if definition.grammar is None:  # served by the keyword-level parser
        assert parser_built(definition)


def test_the_canary_leaves_a_grammar_being_built_to_its_next_run() -> None:
    definition = fresh_grammar("canary-check")
    check = Operations(definitions=lambda: [definition])._syntax_check
    outcome = check()
    assert (outcome.status, outcome.message) == (HealthStatus.HEALTHY, "no language parsed yet")
    assert (outcome.details["languages"], outcome.details["building"]) == (0, 1)
    assert not parser_built(definition)  # the check built nothing
    parse(definition, "say x\n")
    outcome = check()
    assert (outcome.status, outcome.message) == (HealthStatus.HEALTHY, "canary parses ok")
    assert (outcome.details["languages"], outcome.details["building"]) == (1, 0)


def test_no_language_in_use_is_said_so() -> None:
    outcome = Operations()._syntax_check()
    assert outcome.message == "no language in use yet"
