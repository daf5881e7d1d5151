"""The PEG engine's generated fast path (``syntax/peg_fast.py``): every parse gives the
same tree and the same lookaheads as the interpreter alone, on the bundled grammars, on
generated grammars and on any text, and what it hands back (depth, macro uses, a parse
in another thread) the interpreter parses."""

from __future__ import annotations

import gc
import weakref
from typing import cast

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax import kinds as K
from craftls.syntax import peg
from craftls.syntax.lexer import lex
from craftls.syntax.peg_fast import FastItem
from craftls.syntax.peg_tables import tables_for
from craftls.syntax.tokens import Token
from craftls.syntax.tree import HAS_ERROR, GreenNode

from .test_block_templates import templated
from .test_grammar_engine import (
    FIXTURES,
    HEAD,
    LUA_WORDS,
    PASCAL_WORDS,
    TEMPLE_WORDS,
    expressions,
    language,
)
from .test_incremental import _summaries

GRAMMARS = ["templecode.yaml", "minilua.yaml", "pascal_subset.yaml"]


def both_ways(definition: LanguageDefinition, text: str, monkeypatch: pytest.MonkeyPatch
              ) -> tuple[tuple[GreenNode, tuple[int, ...] | None, tuple[bool, ...] | None],
                         ...]:
    """The file's tree, lookaheads and clean steps with the fast path, then with the
    interpreter."""
    tokens, _ = lex(definition, text)
    out = []
    for fast in (True, False):
        monkeypatch.setattr(peg, "FAST_PATH", fast)
        out.append(peg.parse_grammar_file(definition, tokens))
    return tuple(out)


def fast_path_of(definition: LanguageDefinition, monkeypatch: pytest.MonkeyPatch
                 ) -> FastItem:
    monkeypatch.setattr(peg, "FAST_PATH", True)  # whichever build runs the tests
    found = peg.fast_item_for(tables_for(definition))
    assert found is not None
    return found


def assert_same(definition: LanguageDefinition, text: str, monkeypatch: pytest.MonkeyPatch
                ) -> None:
    fast, interpreted = both_ways(definition, text, monkeypatch)
    assert fast[0] == interpreted[0]
    assert fast[1] == interpreted[1]
    assert fast[2] == interpreted[2]
    # every node's notes, the items' of a list (how far they looked, at what depth) too
    assert _summaries(fast[0]) == _summaries(interpreted[0])
    assert fast[0].width == len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(TEMPLE_WORDS + LUA_WORDS + PASCAL_WORDS), max_size=80),
       which=st.sampled_from(GRAMMARS))
# a look at the next item inside a block (``cut_short``) filled the interpreter's memo
# without notes of what was expected, and the item parsed there next took its rules from
# it: the block's missing closer was named with other tokens than with the fast path
@example(words=["if", "SAY", "return"], which="templecode.yaml")
@example(words=["if", "SAY", "SAY", "return", "if", "SAY"], which="minilua.yaml")
def test_the_fast_path_builds_what_the_interpreter_builds(
        words: list[str], which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(language(which), " ".join(words), monkeypatch)


PASCAL_PIECES = ["program p;", "unit u;", "interface", "implementation", "uses crt;",
                 "type", "t = record", "a, b: integer;", "end;", "var", "x: array[1..9] of",
                 "real;", "const", "c = 3;", "procedure q(var v: t);", "function f: t;",
                 "forward;", "begin", "end.", "x := 1 + 2 * (3 - f(x, y)) div 4;",
                 "if x < 1 then", "else", "while not b do", "for i := 1 to 9 do",
                 "repeat", "until x >= 2;", "case x of", "1..2: y := 3;", "with r do",
                 "writeln(x:8:2);", "s := [1, 2..5];", "p^.next := nil;", "@x", "'str'",
                 "{ c }", "(* c *)", "// c", "\n", ";", ")", "(", ",", ":", "."]


@settings(max_examples=200, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(PASCAL_PIECES), max_size=60))
def test_the_fast_path_builds_what_the_interpreter_builds_for_turbopascal(
        pieces: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(bundled("turbopascal"), " ".join(pieces), monkeypatch)


# a generated grammar's rules, and texts of its words
GENERATED_RULES = st.lists(expressions(3), min_size=4, max_size=4)
GENERATED_INPUTS = st.lists(st.lists(st.sampled_from(["let", "end", "+", "=", "(", ")", ",", "x",
                                                      "1", '"s"', "\n", "#c\n", "?"]),
                                     max_size=40), min_size=1, max_size=3)


def generated(rules: list[str]) -> LanguageDefinition | None:
    body = "".join(f"    r{i}: \"{rule}\"\n" for i, rule in enumerate(rules))
    return load_definition_text(HEAD + body)[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@example(rules=["'let'?", "'let'", "'let'", "(IDENT? % 'let')?"], inputs=[["let"]])
@given(rules=GENERATED_RULES, inputs=GENERATED_INPUTS)
def test_the_fast_path_of_a_generated_grammar_builds_what_the_interpreter_builds(
        rules: list[str], inputs: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    definition = generated(rules)
    if definition is None:
        return
    for words in inputs:
        assert_same(definition, " ".join(words), monkeypatch)


def memoising_every_rule(definition: LanguageDefinition, text: str
                         ) -> tuple[GreenNode, tuple[int, ...] | None, tuple[bool, ...]]:
    """The interpreter's parse with every rule's result kept per position, as before
    ``peg.call_modes_for`` chose the rules worth it."""
    tokens, _ = lex(definition, text)
    parser = peg.PegParser(tables_for(definition), tokens)
    parser.call_modes = [peg.CALL_LINES if mode == peg.CALL_LINES else peg.CALL_MEMO
                         for mode in parser.call_modes]
    run = peg.run_steps(parser, 0, at_end=True, resume=None)
    assert run is not None
    children = cast("tuple[GreenNode | Token, ...]", tuple(run.elements))
    return GreenNode(K.SOURCE_FILE, children), run.lookahead, run.clean


def assert_same_memo(definition: LanguageDefinition, text: str,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(peg, "FAST_PATH", False)
    if tables_for(definition).prefix:
        return  # no steps of one node each: ``parse_grammar_file`` parses it whole
    tokens, _ = lex(definition, text)
    chosen = peg.parse_grammar_file(definition, tokens)
    every = memoising_every_rule(definition, text)
    assert chosen == every
    assert _summaries(chosen[0]) == _summaries(every[0])


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rules=GENERATED_RULES, inputs=GENERATED_INPUTS)
def test_the_interpreter_memoising_only_some_rules_builds_what_memoising_all_builds(
        rules: list[str], inputs: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the rules that backtracking can call twice at one position (or that may hold
    a list of items) are kept per position while an item is parsed as written
    (``peg.call_modes_for``); the trees, lookaheads and clean steps are those of an
    interpreter that keeps every rule's result."""
    definition = generated(rules)
    if definition is None:
        return
    for words in inputs:
        assert_same_memo(definition, " ".join(words), monkeypatch)


@settings(max_examples=100, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(PASCAL_PIECES), max_size=60),
       which=st.sampled_from(["turbopascal", "templecode.yaml", "minilua.yaml"]))
def test_memoising_only_some_rules_builds_the_same_trees_for_real_grammars(
        pieces: list[str], which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    definition = bundled(which) if which == "turbopascal" else language(which)
    assert_same_memo(definition, " ".join(pieces), monkeypatch)


def test_a_nesting_past_the_depth_limit_is_handed_to_the_interpreter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "SAY " + "(" * 3000 + "1" + ")" * 3000 + "\nSAY 2\n"
    definition = language("templecode.yaml")
    fast = fast_path_of(definition, monkeypatch)
    handed_back: list[int] = []
    original = FastItem.item

    def spy(self: FastItem, parser: peg.PegParser, p: int) -> int | None:
        found = original(self, parser, p)
        if found is None:
            handed_back.append(p)
        return found

    monkeypatch.setattr(FastItem, "item", spy)
    assert_same(definition, text, monkeypatch)
    assert handed_back == [0]  # the deep item; the next one the fast path parsed
    assert not fast.lock.locked()


def test_a_parse_while_another_holds_the_fast_path_is_the_interpreters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    definition = language("minilua.yaml")
    text = "function f(a)\n  local t = {x = a, 1}\n  return a .. t\nend\n"
    fast = fast_path_of(definition, monkeypatch)
    tokens, _ = lex(definition, text)
    parser = peg.PegParser(tables_for(definition), tokens)
    with fast.lock:  # as a parse in another thread would
        assert fast.item(parser, 0) is None
        held = peg.parse_grammar_file(definition, tokens)
    assert held == both_ways(definition, text, monkeypatch)[0]


def test_macro_uses_are_parsed_by_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    definition = bundled("qbasic")
    text = "#define LIMIT 10\nFOR i = 1 TO LIMIT\n  PRINT i\nNEXT i\n"
    tokens, _ = lex(definition, text)
    parser = peg.PegParser(tables_for(definition), tokens)
    assert parser.uses
    assert fast_path_of(definition, monkeypatch).item(parser, 0) is None
    assert_same(definition, text, monkeypatch)


def test_the_fast_path_leaves_nothing_of_a_parse_behind(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    definition = language("templecode.yaml")
    fast = fast_path_of(definition, monkeypatch)
    tokens, _ = lex(definition, "SAY 1\n")
    peg.parse_grammar_file(definition, tokens)
    assert all(fast.ns[name] is None for name in ("P", "stack", "elements", "lit"))
    assert fast.ns["memo"] == {}


def test_a_parser_is_freed_without_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """No reference cycle through the fast path's bindings: the parse's arrays go when
    the parser goes, with the collector paused as it is during parses."""
    definition = language("templecode.yaml")
    fast_path_of(definition, monkeypatch)
    tokens, _ = lex(definition, "SAY 1\nLET x = 2\n")
    parser = peg.PegParser(tables_for(definition), tokens)
    peg.run_steps(parser, 0, at_end=True, resume=None)
    marker = _Marker()
    parser.stack.append(marker)  # goes when the parser's stack goes
    gone = weakref.ref(marker)
    del marker
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del parser
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


# programs of indented blocks: the test grammar's (INDENT, !DEDENT, block comments over
# lines) and the indentation template's (the keyword-level teachlang as a grammar):
# its headers, the clauses that continue one, its simple statements, and pieces out of
# place
INDENTED_PIECES = {
    "indented.yaml": (["def f(a, b):", "if x == 1:", "while y < 2:"], ["else:"],
                      ["return", "return x", "x = f(1)", "pass", "y = 1; z = 2"],
                      ["y = (1 +", ")", "{-", "-}", "# c", ":", "else"]),
    "teachlang": (["teach f(a: int) -> int:", "when x == 1:", "as_long_as y < 2:",
                   "repeat_for i inside items:"], ["orwhen x:", "otherwise:"],
                  ["give_back x", "remember y = [1, 2]", "show(x)", "nothing_to_do",
                   "y = 1; z = 2"],
                  ["(", ")", "# c", ":", "otherwise", "when x"])}
INDENTS = ["    ", "  ", "\t", "        "]


@st.composite
def indented_programs(draw: st.DrawFn, which: str) -> str:
    """Lines in blocks, each block indented deeper than its header by one of
    ``INDENTS`` (now and then by another one, or not at all), a clause after a block
    at its header's indentation (or another's), a piece out of place now and then."""
    headers, clauses, simple, odd = INDENTED_PIECES[which]
    lines: list[str] = []

    def block(lead: str, depth: int) -> None:
        for _ in range(draw(st.integers(1, 3))):
            shape = draw(st.sampled_from(["simple", "simple", "header", "odd"])) \
                if depth < 3 else "simple"
            pieces = {"simple": simple, "header": headers, "odd": odd}[shape]
            lines.append(lead + draw(st.sampled_from(pieces)))
            if shape == "header":
                inner = lead + draw(st.sampled_from(INDENTS))
                block(inner if draw(st.integers(0, 5)) else lead, depth + 1)
                if draw(st.booleans()):
                    lines.append(draw(st.sampled_from([lead, lead, inner, ""]))
                                 + draw(st.sampled_from(clauses)))
                    block(inner, depth + 1)

    block(draw(st.sampled_from(["", "", " "])), 0)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), which=st.sampled_from(sorted(INDENTED_PIECES)))
def test_the_fast_path_builds_what_the_interpreter_builds_for_indented_blocks(
        data: st.DataObject, which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``INDENT`` and ``DEDENT`` in the generated code: they read each line's
    indentation and where the rule being parsed began, as the interpreter does."""
    text = data.draw(indented_programs(which))
    definition = language(which) if which.endswith(".yaml") else templated(which)
    assert_same(definition, text, monkeypatch)


TEMPLATE_PIECES = ["\n", "\n", " ", "(", ")", ",", ";", "+", "=", "x", "1", '"s"', "[", "]",
                   "IF ", "THEN", "END IF", "END", "si ", "fin", "{", "}", "begin ", "end;"]


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), which=st.sampled_from(["basic", "espanol", "curly", "pascal"]))
def test_the_fast_path_builds_what_the_interpreter_builds_for_the_templates(
        data: st.DataObject, which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The block-style templates' grammars (``!NEWLINE x`` in a newline language's
    forms, which the fast path tests by ``x``'s FIRST): part of an example, edited."""
    assert_same(templated(which), template_text(data, which), monkeypatch)


def template_text(data: st.DataObject, which: str) -> str:
    """Part of the bundled examples of language ``which``, edited a few times."""
    text = "".join(p.read_text(encoding="utf-8")
                   for p in sorted((FIXTURES.parents[2] / "examples" / which).iterdir()))
    start = data.draw(st.integers(0, len(text)))
    text = text[start:start + data.draw(st.integers(0, 400))]
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(TEMPLATE_PIECES)) \
            + text[at + data.draw(st.integers(0, 3)):]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(),
       which=st.sampled_from(["basic", "espanol", "curly", "pascal", "teachlang"]))
def test_memoising_only_some_rules_builds_the_same_trees_for_the_templates(
        data: st.DataObject, which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The templates' memo choice (``peg_fast.memo_rules``: no entry for a rule an
    alternative calls last, as its expression's ``level0`` after ``name ':='``) against
    an interpreter that keeps every rule's result: the same trees, lookaheads and clean
    steps, on their examples' text and on edits of it."""
    assert_same_memo(templated(which), template_text(data, which), monkeypatch)


def test_an_indentation_grammar_has_a_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURES / "indented.mind").read_text(encoding="utf-8")
    for definition in (language("indented.yaml"), templated("teachlang")):
        assert tables_for(definition).indented
        fast_path_of(definition, monkeypatch)
        assert_same(definition, text, monkeypatch)


class _Marker:
    """A weakly referable object (a list or a token is not)."""


# each template's binary operators (the levels of its climb), a unary one, and what can
# follow an operand instead of an operator (a line break, a closer, a keyword)
CLIMB_OPERATORS = {
    "basic": ["^", "*", "MOD", "+", "&", "=", "<>", "AND", "OR", "..", "NOT", "-"],
    "curly": ["*", "%", "+", "-", "<", "==", "!=", "&&", "||", "!"],
    "pascal": ["*", "DIV", "+", "-", "OR", "=", "<=", "AND", "NOT"],
    "teachlang": ["*", "//", "+", "-", "<", "==", "and", "or", "inside", "not"],
}
CLIMB_STATEMENTS = {
    "basic": ("PRINT {}\n", "x = {}\n"),
    "curly": ("print({});\n", "x = {};\n"),
    "pascal": ("BEGIN\n  x := {};\n  WriteLn({})\nEND.\n",),
    "teachlang": ("show({})\n", "x = {}\n"),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), which=st.sampled_from(sorted(CLIMB_OPERATORS)))
def test_the_climb_that_starts_at_the_operators_level_builds_what_the_interpreter_builds(
        data: st.DataObject, which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path's operator climb skips the levels below the first operator after
    the first operand (every level when none follows): operators of every level in any
    order, an operator after a line break (which a newline language's level does not
    take), one missing its operand; the same trees, lookaheads and kinds."""
    pieces = st.sampled_from(CLIMB_OPERATORS[which] + ["a", "1", "(b)", "\n", ")"])
    operands = st.sampled_from(["a", "f(1)", "2", "(b + 1)", '"s"'])
    words = data.draw(st.lists(st.tuples(pieces, operands), max_size=8))
    expression = " ".join(f"{op} {operand}" for op, operand in words)
    start = data.draw(operands)
    text = "".join(form.replace("{}", f"{start} {expression}")
                   for form in CLIMB_STATEMENTS[which])
    assert_same(templated(which), text, monkeypatch)


def test_a_node_over_a_lexical_error_is_marked_on_the_fast_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path passes the parse's ``clean`` to its nodes (no look-up per token
    child): a parse with an unterminated string marks the nodes above it, as the
    interpreter does, and one without marks none."""
    for text, marked in (('x = "open\ny = 1\n', True), ('x = "closed"\ny = 1\n', False)):
        fast, interpreted = both_ways(templated("basic"), text, monkeypatch)
        assert _summaries(fast[0]) == _summaries(interpreted[0])
        assert bool(fast[0].kinds & HAS_ERROR) is marked
