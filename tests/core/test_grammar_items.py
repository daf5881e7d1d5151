"""A grammar-defined language's lists of items (a ``lines`` rule that is, or ends with,
a loop, or with a loop and closing literals: Turbo Pascal's statements, case arms,
const/type/var sections, a block template's BEGIN..END and braces) are reparsed
item by item after an edit inside a top-level step (``incremental._grammar_items_reparse``,
``peg.PegParser.lines_repeat``): the result equals a fresh parse, every node's notes
included, and a keystroke in a long main block parses one statement again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax import peg
from craftls.syntax.build import syntax_build
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import lex
from craftls.syntax.parse import ParsedFile, parse
from craftls.syntax.peg_tables import tables_for
from craftls.syntax.tree import GreenNode

from .conftest import served_by
from .test_incremental import assert_edits_reparse_as_fresh

TP = bundled("turbopascal")

STATEMENTS = [
    "T := T + {i} * (I - 3)",
    "if T > {i} then\n    begin\n      T := T - 1;\n      I := I + 1\n    end",
    "while I < {i} do\n    I := I + 2",
    "repeat\n    T := T div 2;\n    I := I - 1\n  until I < {i}",
    "case I of\n    1: T := 1;\n    2, 3: T := {i}\n  else\n    T := 0\n  end",
    "WriteLn(T, ' ', I)",
]


ROUTINES = """function F(A, B: Integer): Integer;
var
  U: Integer;
begin
  U := A * 3 + B div 2;
  if U > 10 then
    U := U mod 10;
  F := U
end;

procedure Q(X: Integer);
  procedure Inner;
  begin
    WriteLn(X);
    X := X - 1
  end;
begin
  Inner
end;
"""


def program(statements: int) -> str:
    """A program whose main block holds ``statements`` statements of every kind, lists
    nested in them (a compound's, a REPEAT's, case arms), after const and var sections
    and routines (a routine's statements: its body's first items)."""
    body = ";\n".join("  " + STATEMENTS[i % len(STATEMENTS)].format(i=i)
                      for i in range(statements))
    return ("program P;\nconst\n  A = 1;\n  B = 2;\n  C = 3;\nvar\n  T, I: Integer;\n"
            f"{ROUTINES}begin\n{body}\nend.\n")


FRAGMENTS = ["", "x", "7", " ", "\n", ";", "begin ", "end", "end;", ":=", "if a then ",
             "else ", "(", ")", "{", "}", "'", "until ", "case ", "repeat ", "2: ", "D = 4;"]


@st.composite
def main_block_edits(draw: st.DrawFn) -> tuple[str, list[TextEdit]]:
    """One to six edits, each somewhere after the program's heading (most inside the
    main block, some in its sections), replacing up to 12 characters."""
    text = program(draw(st.integers(4, 24)))
    edits = []
    length = len(text)
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(len("program P;\n"), length))
        end = draw(st.integers(start, min(length, start + 12)))
        new = draw(st.sampled_from(FRAGMENTS))
        edits.append(TextEdit(start, end, new))
        length += len(new) - (end - start)
    return text, edits


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=main_block_edits())
def test_edits_in_lists_of_items_reparse_as_from_scratch(case: tuple[str, list[TextEdit]]
                                                         ) -> None:
    text, edits = case
    assert_edits_reparse_as_fresh(TP, text, edits)


def _main_statements(parsed: ParsedFile) -> GreenNode:
    main = parsed.green.node_children()[-1][2]
    assert main.kind == "main_block"
    statements = main.node_children()[0][2]
    assert statements.kind == "statements"
    return statements


def test_a_keystroke_in_a_long_main_block_parses_one_statement_again() -> None:
    text = program(3_000)
    parsed = parse(TP, text)
    at = text.index("* (I - 3)", len(text) // 2) - 1  # `T := T + 1500 * ...`: a digit more
    new, stats = apply_edit(parsed, TextEdit(at, at, "7"))
    assert stats.strategy == "item" and stats.reparsed_items == 1
    assert stats.made is not None and stats.made[1] - stats.made[0] < 40
    assert new.green == parse(TP, new.text).green
    before = {id(g) for _, _, g in _main_statements(parsed).node_children()}
    after = [g for _, _, g in _main_statements(new).node_children()]
    assert sum(1 for g in after if id(g) not in before) == 1


def test_an_edit_in_a_nested_list_parses_its_items_only() -> None:
    text = program(600)
    parsed = parse(TP, text)
    # inside the compound statement of an IF in the middle: `I := I + 1`
    at = text.index("I := I + 1\n    end", len(text) // 2) + len("I := I + ")
    new, stats = apply_edit(parsed, TextEdit(at, at + 1, "42"))
    # the compound's two statements: the list's first item is parsed again with the
    # second (``_ItemRun.first_item``), not the IF around them
    assert stats.strategy == "item" and stats.reparsed_items == 2
    assert stats.made is not None
    assert new.text[stats.made[0]:stats.made[1]] == "T := T - 1;\n      I := I + 42"
    assert new.green == parse(TP, new.text).green
    kept = {id(g) for _, _, g in _main_statements(parsed).node_children()}
    changed = [g for _, _, g in _main_statements(new).node_children() if id(g) not in kept]
    assert [g.kind for g in changed] == ["if_stmt"]  # the path copied, nothing more


def test_a_syntax_error_typed_into_a_statement_parses_the_step_again() -> None:
    text = program(60)
    parsed = parse(TP, text)
    at = text.index(" * (I - 3)", len(text) // 2)
    new, _ = apply_edit(parsed, TextEdit(at, at + 2, ""))  # `T := T + 30 (I - 3)`
    fresh = parse(TP, new.text)
    assert new.green == fresh.green and new.errors
    mended, _ = apply_edit(new, TextEdit(at, at, " *"))
    assert mended.green == parse(TP, text).green and not mended.errors


LOOKED_INTO = """name: Looked
lexical:
  case_sensitive: true
keywords:
  go: go
  stop: stop
  then: then
grammar:
  start: file
  rules:
    file: "item*"
    # the first alternative looks over the list's words before the list is parsed
    item: "'go' IDENT* 'then' / 'go' words 'stop'"
    words:
      match: "word*"
      lines: true
    word:
      match: "IDENT"
      declares: variable
"""


def _load(text: str) -> LanguageDefinition:
    definition, problems = load_definition_text(text)
    assert definition is not None and not problems, problems
    return definition


def test_a_step_that_looked_into_its_list_first_is_parsed_again_whole() -> None:
    definition = _load(LOOKED_INTO)
    text = "go a b c d e stop\ngo f g stop\n"
    parsed = parse(definition, text)
    assert parsed.clean == (False, False)  # the alternative before the list looked at it
    at = text.index("c")
    new, stats = apply_edit(parsed, TextEdit(at, at + 1, "then"))  # now the first matches
    fresh = parse(definition, new.text)
    assert new.green == fresh.green and stats.made is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(["go", "stop", "then", "a", "b", " ", "\n"]),
                      max_size=30),
       edits=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 4),
                                st.sampled_from(["", "a", "then", "stop", "go ", " "])),
                      min_size=1, max_size=4))
def test_edits_where_a_list_was_looked_into_reparse_as_from_scratch(
        words: list[str], edits: list[tuple[int, int, str]]) -> None:
    text = " ".join(words)
    changes = []
    length = len(text)
    for start, span, new in edits:
        start = min(start, length)
        end = min(length, start + span)
        changes.append(TextEdit(start, end, new))
        length += len(new) - (end - start)
    assert_edits_reparse_as_fresh(_load(LOOKED_INTO), text, changes)


def test_each_statement_of_a_main_block_has_a_budget_of_its_own(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A main block whose statements together spend more evaluations than one step's
    budget parses without errors: each item of a list has its own (before, a main block
    of about 12,500 generated lines ran out, and 14,000 lines parsed with 9,335 errors).
    The budget is made small here, in the interpreter (the compiled build inlines it)."""
    monkeypatch.setattr(peg, "FAST_PATH", False)
    monkeypatch.setattr(peg, "STEP_FUEL", 2_000)
    text = program(200)
    tokens, _ = lex(TP, text)
    assert tables_for(TP).lines_rules  # the statements are a list of items
    green, _, _ = peg.parse_grammar_file(TP, tokens)
    assert green.width == len(text) and not _errors(green)


def _errors(green: GreenNode) -> list[GreenNode]:
    found = []
    stack = [green]
    while stack:
        node = stack.pop()
        if node.kind == "ERROR" or node.error is not None:
            found.append(node)
        stack.extend(child for _, _, child in node.node_children())
    return found


# ---------------------------------------------------------------- a list's first item

def test_an_edit_in_a_routines_first_statement_parses_its_statements_only() -> None:
    """A keystroke in a routine's first statement (the part of ``statements`` before
    its loop) parses the list again from its start, up to the first old statement after
    the edit, instead of the whole routine (``_ItemRun.first_item``); the routine's
    heading and declarations stay the same nodes."""
    text = program(30)
    parsed = parse(TP, text)
    at = text.index("A * 3") + len("A * ")
    new, stats = apply_edit(parsed, TextEdit(at, at + 1, "7"))
    fresh = parse(TP, new.text)
    assert new.green == fresh.green and new.clean == fresh.clean
    assert stats.strategy == "item" and stats.made is not None
    assert new.text[stats.made[0]:stats.made[1]] == \
        "U := A * 7 + B div 2;\n  if U > 10 then\n    U := U mod 10"
    old_routine = parsed.green.node_children()[3][2]
    new_routine = new.green.node_children()[3][2]
    assert old_routine.kind == new_routine.kind == "function_decl"
    assert [id(g) for _, _, g in old_routine.node_children()][:3] == \
        [id(g) for _, _, g in new_routine.node_children()][:3]  # the heading's parts


HEADER = """name: Header
lexical:
  case_sensitive: true
keywords:
  go: go
  do: do
  stop: stop
  shout: shout
grammar:
  start: file
  rules:
    file: "item*"
    # the step chooses by the list's first token, before the list (without taking it)
    item: "'go' (quiet / loud) 'stop' / 'do' block 'stop'"
    # a list whose rule has two parts before its loop
    block:
      match: "'[' word? (';' word?)*"
      lines: true
    quiet:
      match: "!'shout' words"
      fold: true
    loud:
      match: "words"
      fold: true
    words:
      match: "word? (';' word?)*"
      lines: true
    word:
      match: "(IDENT / 'shout') IDENT*"
      fold: true
"""


def test_an_edit_past_a_lists_first_token_parses_the_list_only() -> None:
    definition = _load(HEADER)
    text = "go alpha beta gamma; c d; e stop\ngo x stop\n"
    parsed = parse(definition, text)
    assert parsed.clean == (True, True)
    at = text.index("gamma") + 2
    new, stats = apply_edit(parsed, TextEdit(at, at + 1, "M"))
    assert new.green == parse(definition, new.text).green
    # the first word and the next (where the run met an old item), nothing before
    assert stats.made is not None and new.text[stats.made[0]:stats.made[1]] == \
        "alpha beta gaMma; c d"


def test_an_edit_in_a_lists_first_token_parses_the_step_again() -> None:
    """What came before the list looked at its first token (``!'shout'``): an edit
    there may change what the step is, so the step is parsed again whole."""
    definition = _load(HEADER)
    text = "go alpha beta gamma; c d; e stop\ngo x stop\n"
    parsed = parse(definition, text)
    at = text.index("alpha")
    new, stats = apply_edit(parsed, TextEdit(at, at + len("alpha"), "shout"))
    fresh = parse(definition, new.text)
    assert new.green == fresh.green and stats.made is None
    first = fresh.green.node_children()[0][2]
    assert [g.kind for _, _, g in first.node_children()] == ["loud"]


@st.composite
def word_edits(draw: st.DrawFn) -> tuple[str, list[TextEdit]]:
    """Steps of Header (``go`` or ``do [`` words ``stop``, some of them broken) and edits
    that each replace a word or a separator (a list's first word among them) with
    another."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        pieces += draw(st.sampled_from([["go", " "], ["do", " ", "[", " "]]))
        for _ in range(draw(st.integers(0, 10))):
            pieces += [draw(st.sampled_from(["alpha", "b", "alpha", "b", ";", ";", "shout",
                                             "stop"])),
                       draw(st.sampled_from([" ", " ", "\n"]))]
        pieces += [draw(st.sampled_from(["stop", "b", ";"])), "\n"]
    text = "".join(pieces)
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(pieces) - 1))
        new = draw(st.sampled_from(["", "shout", "alpha", "b", "bb", "c;", ";", "stop",
                                    " go ", "[", " do "]))
        start = sum(len(piece) for piece in pieces[:i])
        edits.append(TextEdit(start, start + len(pieces[i]), new))
        pieces[i] = new
    return text, edits


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=word_edits())
def test_edits_where_a_step_chose_by_a_lists_first_token_reparse_as_from_scratch(
        case: tuple[str, list[TextEdit]]) -> None:
    text, edits = case
    assert_edits_reparse_as_fresh(_load(HEADER), text, edits)


def _heavy_routine(terms: int) -> str:
    """A routine whose heading costs about as many evaluations as its first statement
    (thirty parameters, ``terms`` terms)."""
    params = "; ".join(f"A{i}: Integer" for i in range(30))
    expression = " + ".join(f"(A0 * {i})" for i in range(terms))
    return f"procedure P({params});\nbegin\n  A0 := {expression};\n  A0 := 1\nend;\n"


def test_a_lists_first_item_has_a_budget_of_its_own(monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    """The heading before a list and the list's first item each fit the step's budget,
    together they do not: the list has a budget of its own (``call_lines_rule``), so
    its first item depends on nothing before the list (before, the step ran out and
    was parsed with errors)."""
    monkeypatch.setattr(peg, "FAST_PATH", False)
    monkeypatch.setattr(peg, "STEP_FUEL", 800)
    parsed = parse(TP, _heavy_routine(30))
    assert not parsed.errors and parsed.clean == (True,)


def test_a_first_item_that_grows_past_what_the_heading_left_reparses_as_fresh(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that makes a list's first item cost more than the heading before it left
    of the step's budget: the list parsed again from its start (with the budget a list
    starts with) equals a fresh parse."""
    monkeypatch.setattr(peg, "FAST_PATH", False)
    monkeypatch.setattr(peg, "STEP_FUEL", 800)
    text = _heavy_routine(5)
    grown = " + ".join(f"(A0 * {i})" for i in range(5, 30))
    at = text.index("(A0 * 4)") + len("(A0 * 4)")
    assert_edits_reparse_as_fresh(TP, text, [TextEdit(at, at, " + " + grown)])


def test_an_edit_in_a_list_that_a_failed_step_before_looked_into_parses_that_step_again(
        ) -> None:
    """A routine whose body is broken is a heading alone (a failed step), and its parse
    looked through the var section after it: an edit in that section's items parses the
    failed step again too, so its lookahead stays what a fresh parse finds (before, the
    section's items alone were parsed again and the step kept its old lookahead)."""
    text = ("program P;\nfunction F(A, B: Integer): Integer;\nvar\n  U: Integer;\n"
            "  V: Integer;\n  W: Integer;\nbegin\n  U := U mod until F := U\nend;\n"
            "begin\nend.\n")
    parsed = parse(TP, text)
    kinds = [g.kind for _, _, g in parsed.green.node_children()]
    assert kinds[1:3] == ["forward_routine", "var_section"]
    assert parsed.clean is not None and parsed.clean[2]
    at = text.index("W: Integer") + len("W: ")
    assert_edits_reparse_as_fresh(TP, text, [TextEdit(at, at + 1, "")])


# ---------------------------------------------------------------- a step that needs more fuel

LUA = bundled("lua")


def _data_table(fields: int) -> str:
    """A data file's one statement: ``return`` of a table of ``fields`` fields (each a
    few tokens, as generated keyboard layouts and dictionaries are)."""
    rows = ",\n".join(f'  k{i} = {{"a", "b", {i}}}' for i in range(fields))
    return f"return {{\n{rows}\n}}\n"


def test_a_statement_longer_than_the_steps_fuel_is_parsed_with_more(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One statement whose parse takes more evaluations than a step's budget, while it
    takes a token per few of them (a data file's ``return { ... }`` of 100,000 tokens),
    is parsed again with more fuel (``PegParser.refuel``): no error (before, it ran out
    and the table was errors). The budget is made small here, in the interpreter."""
    monkeypatch.setattr(peg, "FAST_PATH", False)
    monkeypatch.setattr(peg, "STEP_FUEL", 2_000)
    text = _data_table(300)
    parsed = parse(LUA, text)
    assert not parsed.errors
    assert parsed.green.width == len(text)
    kinds = [g.kind for _, _, g in parsed.green.node_children()]
    assert kinds == ["return_stmt"]


def _in_the_pure_build(request: pytest.FixtureRequest) -> bool:
    """The compiled build inlines the engine's budgets (``Final``), which a test cannot
    make small: under it, run the test with the pure sources in a child process (True,
    and it passed there)."""
    if syntax_build() != "compiled":
        return False
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root / "server"), "CRAFTLS_EXPECT_BUILD": "pure"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"{request.path}::{request.node.name}"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    return True


def test_a_step_that_looks_at_few_tokens_is_not_given_more_fuel(
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """A step that runs out while it looks at a token per more than ``FUEL_PER_TOKEN``
    evaluations is stuck, not making progress: it is not parsed again with more (it
    ends as it did, with an error), and the parse's spare fuel bounds what all steps
    may take beyond their budget."""
    if _in_the_pure_build(request):
        return
    monkeypatch.setattr(peg, "FAST_PATH", False)
    monkeypatch.setattr(peg, "STEP_FUEL", 2_000)
    monkeypatch.setattr(peg, "FUEL_PER_TOKEN", 1)
    assert parse(LUA, _data_table(300)).errors
    calls: list[bool] = []
    refuel = peg.PegParser.refuel

    def counted(self: peg.PegParser, p: int) -> bool:
        granted = refuel(self, p)
        calls.append(granted)
        return granted
    monkeypatch.setattr(peg, "FUEL_PER_TOKEN", 32)
    monkeypatch.setattr(peg.PegParser, "refuel", counted)
    assert not parse(LUA, _data_table(300)).errors
    assert calls and all(calls[:-1]) and len(calls) < 12


def test_an_edit_in_a_statement_parsed_with_more_fuel_reparses_as_fresh(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit inside such a statement parses it again with the fuel it needs: the
    result equals a fresh parse (the more fuel is decided by the step's own tokens)."""
    monkeypatch.setattr(peg, "FAST_PATH", False)
    monkeypatch.setattr(peg, "STEP_FUEL", 2_000)
    text = "local x = 1\n" + _data_table(300)
    at = text.index("k150")
    assert_edits_reparse_as_fresh(LUA, text, [TextEdit(at, at + 4, "key150")])


# Lists whose loop is followed by closing literals (``peg_tables.list_loop``): a block
# template's ``'BEGIN' statement? (';' statement?)* 'END'`` and ``'{' statement* '}'``,
# served through the template whichever engine the bundled files choose.
CLOSED = {"pascal": served_by("pascal", "template"), "curly": served_by("curly", "template")}


def closed_program(language_id: str, statements: int) -> str:
    """A main block (Pascal) or a script with a function and braces (curly) of about
    ``statements`` statements, blocks nested in blocks."""
    if language_id == "pascal":
        body = "".join(f"  T := T + {i} * (T - 1);\n  IF T > {i} THEN\n  BEGIN\n"
                       f"    T := T - {i};\n    T := T MOD 7\n  END;\n"
                       for i in range(statements // 4))
        return f"PROGRAM M;\nVAR T : INTEGER;\nBEGIN\n  T := 0;\n{body}  WriteLn(T)\nEND.\n"
    body = "".join(f"    t = t + a * {i};\n    if (t > {i}) {{\n        t = t - {i};\n"
                   f"        {{ t = t % 7; }}\n    }}\n" for i in range(statements // 4))
    return f"let t: int = 0;\nfn f(a: int) -> int {{\n{body}    return t;\n}}\nt = f(2);\n"


def test_a_block_templates_blocks_are_lists_of_items() -> None:
    """The template's block rule, its loop followed by its closer, is a list of items."""
    for definition in CLOSED.values():
        tables = tables_for(definition)
        assert "block" in {tables.rule_kind[r] for r in tables.lines_rules}


@pytest.mark.parametrize("language_id", sorted(CLOSED))
def test_a_keystroke_in_a_closed_block_parses_one_statement_again(language_id: str) -> None:
    """A digit typed into a statement in the middle of a 2,000-statement block: the block's
    items around it are parsed again, its closer and every other statement are kept."""
    definition = CLOSED[language_id]
    text = closed_program(language_id, 2_000)
    parsed = parse(definition, text)
    at = text.index("+ 251 *" if language_id == "pascal" else "* 251;") + 3
    edited, stats = apply_edit(parsed, TextEdit(at, at, "9"))
    assert stats.strategy == "item" and stats.reparsed_items <= 2, stats
    assert stats.reparsed_nodes < 60, stats
    assert edited.green == parse(definition, edited.text).green
    # the statement made anew sits in the block's list, between kept ones
    mended, stats = apply_edit(edited, TextEdit(at, at + 1, ""))
    assert stats.strategy == "item" and stats.reparsed_nodes < 60, stats
    assert mended.green == parsed.green


CLOSED_FRAGMENTS = ["", "7", "+", " ", "\n", ";", "(", ")", "'", "BEGIN ", "END", "END;",
                    "{", "}", "{ ", "} ", "t = 1;\n", "T := 1;", "IF T THEN ", "if (t) ",
                    "(*", "*)", "//"]


@st.composite
def closed_block_edits(draw: st.DrawFn) -> tuple[str, str, list[TextEdit]]:
    """A program and one to six edits of it, each on its own (``draw_edits`` on the
    unchanged text)."""
    language_id = draw(st.sampled_from(sorted(CLOSED)))
    text = closed_program(language_id, draw(st.integers(4, 24)))
    edits = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 8)))
        edits.append(TextEdit(start, end, draw(st.sampled_from(CLOSED_FRAGMENTS))))
    return language_id, text, edits


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=closed_block_edits())
def test_edits_in_closed_lists_reparse_as_from_scratch(case: tuple[str, str, list[TextEdit]]
                                                       ) -> None:
    """An edit in or around blocks with closers (at a closer, before it, a closer put in
    or deleted, comments and strings opened): the tree, every node's notes, the steps'
    lookahead and cleanness equal a fresh parse's. Each edit is made to the program as
    written (not in sequence: after several edits that leave errors, a template-served
    step's kept lookahead may differ from a fresh parse's, on main as well, with or
    without lists with closers: a gap of the step reparse, not of the lists')."""
    language_id, text, edits = case
    for edit in edits:
        assert_edits_reparse_as_fresh(CLOSED[language_id], text, [edit])
