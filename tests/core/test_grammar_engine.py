"""The PEG engine: the same lossless tree, recovery, bounds and incremental reparse for
grammar-defined languages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.peg import PegParser, RuleInfo
from craftls.syntax.peg_tables import tables_for
from craftls.syntax.tree import SyntaxNode

from .test_block_templates import templated
from .test_incremental import assert_edits_reparse_as_fresh, draw_edits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"


@cache
def language(name: str) -> LanguageDefinition:
    definition, problems = load_definition_text((FIXTURES / name).read_text(encoding="utf-8"),
                                                name)
    assert definition is not None, problems
    return definition


def templecode() -> LanguageDefinition:
    return language("templecode.yaml")


def minilua() -> LanguageDefinition:
    return language("minilua.yaml")


def kinds_of(root: SyntaxNode) -> list[str]:
    return [child.kind for child in root.children()]


@pytest.mark.parametrize("name", ["turtle.ret", "quiz.ret"])
def test_templecode_programs_parse_through_their_own_grammar(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    parsed = parse(templecode(), text)
    assert parsed.errors == []
    assert parsed.root.text == text


def test_templecode_statements_become_their_rules() -> None:
    text = "REM hi\nSAY \"a\"\nREPEAT 4\n  FD 10\n  RT 90\nEND\nLET x = 1\nx = x + 1\nEND\n"
    parsed = parse(templecode(), text)
    assert parsed.errors == []
    assert kinds_of(parsed.root) == ["say_stmt", "repeat_stmt", "let_stmt", "assignment"]
    repeat = parsed.root.child_of_kind("repeat_stmt")
    assert repeat is not None
    assert kinds_of(repeat) == [K.LITERAL, "turtle_move", "turtle_turn"]
    # the comment and the final END (the start rule's closing part) stay in the file node
    assert [t.text for t in parsed.root.tokens()] == ["END"]


def test_rules_without_meaning_add_no_level() -> None:
    parsed = parse(templecode(), "SAY 1\n")
    say = parsed.root.child_of_kind("say_stmt")
    assert say is not None
    # expr -> comparison -> ... -> primary all matched one number: one LITERAL node
    assert kinds_of(say) == [K.LITERAL]


@pytest.mark.parametrize("text,errors,after", [
    ("SAY 1, 2\nSAY 3\n", ["unexpected ','"], ["say_stmt", K.ERROR, "say_stmt"]),
    ("IF x THEN\n  SAY 1 )\n  SAY 2\nENDIF\nSAY 3\n", ["unexpected ')'"],
     ["if_stmt", "say_stmt"]),
    ("REPEAT 3\n  FD 10\nSAY 1\n", ["expected 'END', found the end of the file"],
     ["repeat_stmt"]),
    ("FOR = 1 TO 3\n  SAY i\nNEXT\nSAY 2\n", ["expected a name, found '='"],
     ["for_stmt", "say_stmt"]),
    ("ENDIF\nSAY 1\n", ["unexpected 'ENDIF'"], [K.ERROR, "say_stmt"]),
])
def test_one_error_per_mistake_and_parsing_resumes(text: str, errors: list[str],
                                                   after: list[str]) -> None:
    parsed = parse(templecode(), text)
    assert [e.message for e in parsed.errors] == errors
    assert kinds_of(parsed.root) == after
    assert parsed.root.text == text


def test_a_lookahead_adds_nothing_to_what_a_message_expects() -> None:
    # `!'('` looks at the token where `typed?` already failed: what it looked for is no
    # expectation (it used to be added to the list the message is made from)
    grammar = ("    r0: \"item*\"\n    item: \"'let' IDENT typed? !'(' '=' NUMBER\"\n"
               "    typed: \"',' IDENT\"\n")
    definition, problems = load_definition_text(HEAD + grammar)
    assert definition is not None and problems == []
    parsed = parse(definition, "let x 5\nlet y = 2\n")
    assert [e.message for e in parsed.errors] == ["expected ',' or '=', found '5'"]


REJECTING = ("    r0: \"item*\"\n    item: \"let / call / bare\"\n"
             "    let: \"'let' IDENT '=' NUMBER\"\n"
             "    call: \"&(IDENT ('.' IDENT)* '(') path '(' ')'\"\n"
             "    path: \"IDENT ('.' IDENT)*\"\n"
             "    bare:\n      match: \"path\"\n      error: \"a path alone is no statement\"\n")


@pytest.mark.parametrize("text, errors", [
    ("let x = 1\na.b\nlet y = 2\n", [("a.b", "a path alone is no statement")]),
    ("a.b()\na\n", [("a", "a path alone is no statement")]),
    # the form being typed: its own mistake is the one error, the node adds none
    ("let x = 1\na.\nlet y = 2\n", [("", "expected a name, found the end of the line")]),
    ("a.b()\nlet y = 2\n", []),
])
def test_a_rejected_form_is_one_error_over_its_node(text: str,
                                                    errors: list[tuple[str, str]]) -> None:
    """``error`` on a rule: a form the language rejects, recognised (its node and names
    kept) and reported once, with the rule's message; a node that holds an error already
    (the form being typed) gets none of its own. The same as written (the generated fast
    path) and in recovery mode (the interpreter)."""
    definition, problems = load_definition_text(HEAD + REJECTING)
    assert definition is not None and problems == []
    parsed = parse(definition, text)
    assert [(text[e.start:e.end], e.message) for e in parsed.errors] == errors
    assert parsed.root.text == text
    tokens, _ = lex(definition, text)
    interpreter = PegParser(tables_for(definition), tokens)
    interpreter.fast = None  # every item by the interpreter's rules
    assert interpreter.parse_file() == parsed.root.green


def test_a_rule_s_error_must_be_a_text() -> None:
    definition, problems = load_definition_text(
        HEAD + REJECTING.replace('error: \"a path alone is no statement\"', "error: ''"))
    assert [p.message for p in problems] == ["'error' in rule 'bare' must be a non-empty text"]


def test_minilua_sample_parses_cleanly() -> None:
    text = (FIXTURES / "sample.mlua").read_text(encoding="utf-8")
    parsed = parse(minilua(), text)
    assert parsed.errors == []
    assert kinds_of(parsed.root) == ["local_stmt", "function_decl", "local_stmt", "call",
                                     "call"]


PASCAL_PROGRAM = """PROGRAM P;
VAR
  Total, I : INTEGER;

FUNCTION F0(A, B : INTEGER) : INTEGER;
VAR
  T : INTEGER;
BEGIN
  T := A * 3 + B DIV 2;
  IF T > 100 THEN
    T := T MOD 100
  ELSE
    T := T + 1;
  F0 := T
END;

BEGIN
  Total := 0;
  FOR I := 1 TO 10 DO
    Total := Total + F0(I, 2);
  WriteLn(Total)
END.
"""


def test_the_pascal_subset_parses_the_benchmark_program_cleanly() -> None:
    """The grammar that bench_grammar compares with tree-sitter-pascal covers its text."""
    parsed = parse(language("pascal_subset.yaml"), PASCAL_PROGRAM)
    assert parsed.errors == []
    assert kinds_of(parsed.root) == ["program_head", "var_section", "routine", "main_block"]
    # operator levels: one node per level that has operators, none for the others
    simple = next(n for n in parsed.root.descendants() if n.kind == "simple")
    assert [(c.kind, c.text) for c in simple.children()] == [("term", "A * 3"),
                                                             ("term", "B DIV 2")]
    assert [child[1] for child in simple.green.children if type(child) is tuple] == \
        [" ", "+", " "]


def _parse_by_the_rules(definition: LanguageDefinition, text: str) -> PegParser:
    """A parser with the operator-level loop (``climb``) switched off: every level is
    parsed by its rule, as written."""
    tables = tables_for(definition)
    tokens, _ = lex(definition, text)
    parser = PegParser(tables, tokens)
    parser.fast = None  # (its generated code climbs too)
    rules = []
    for i in parser.rules:
        rule = RuleInfo(i.expr, i.op, i.kind, i.keep, None, i.guard, i.error)
        rule.x = i.x  # (its expression's ``Element``, set with the tables)
        rules.append(rule)
    parser.rules = rules
    return parser


EXPRESSION_WORDS = ["x", "1", "(", ")", "+", "-", "*", "/", "<", "=", "<>", "NOT", "not",
                    "and", "DIV", "f", ",", "..", '"s"', "\n", "AND", "MOD", "^", "&", "\n"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(EXPRESSION_WORDS), max_size=25),
       case=st.sampled_from([("templecode.yaml", "SAY "), ("minilua.yaml", "return "),
                             ("pascal_subset.yaml", "BEGIN X := "), ("basic", "PRINT "),
                             ("basic", "x = ")]))
def test_operator_levels_in_one_loop_build_what_the_rules_build(
        words: list[str], case: tuple[str, str]) -> None:
    """The same tree and messages (and completions at the end) with the loop as with
    the rules parsed one by one; also where an operator must stay on the line of what
    it follows (the BASIC template's ``level (!NEWLINE op level)*``)."""
    which, head = case
    definition = language(which) if which.endswith(".yaml") else templated(which)
    text = head + " ".join(words)
    assert parse(definition, text).green == _parse_by_the_rules(definition, text).parse_file()
    tables = tables_for(definition)
    tokens, _ = lex(definition, text)
    wanted: list[set[str]] = []
    for parser in (PegParser(tables, tokens), _parse_by_the_rules(definition, text)):
        parser.at_end = set()
        parser.ev(tables.item, 0, False)
        wanted.append(parser.at_end)
    assert wanted[0] == wanted[1]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "SAY " + "(" * 5000 + "1" + ")" * 5000 + "\nSAY 2\n"
    parsed = parse(templecode(), text)
    assert parsed.root.text == text
    assert parsed.errors
    assert kinds_of(parsed.root)[-1] == "say_stmt"


TEMPLE_WORDS = ["SAY", "LET", "x", "y", "=", "1", "2.5", '"s"', "(", ")", ",", "+", "*", "<>",
                "IF", "THEN", "ELSE", "ENDIF", "FOR", "TO", "NEXT", "REPEAT", "END", "WHILE",
                "WEND", "FD", "GOSUB", "lbl", ":", "REM c", "'", "\n", " ", "\t", "#", "🙂"]
PASCAL_WORDS = ["BEGIN", "END", ";", ":=", "VAR", "FUNCTION", "DIV", ".", "PROGRAM", "DO"]
LUA_WORDS = ["local", "function", "f", "x", "(", ")", "=", ",", "{", "}", ":", "end", "if",
             "then", "while", "do", "return", "1", '"s"', "..", "--c", "\n", " ", "+", "$"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(TEMPLE_WORDS + LUA_WORDS + PASCAL_WORDS), max_size=60),
       which=st.sampled_from(["templecode.yaml", "minilua.yaml", "pascal_subset.yaml"]))
def test_any_text_parses_losslessly(words: list[str], which: str) -> None:
    text = " ".join(words)
    parsed = parse(language(which), text)
    assert parsed.root.text == text
    _nodes_start_and_end_with_significant_tokens(parsed.root)


def _nodes_start_and_end_with_significant_tokens(root: SyntaxNode) -> None:
    for node in root.descendants():
        if node is root or node.green.width == 0:
            continue
        leaves = list(node.leaves())
        assert not leaves[0].is_trivia and not leaves[-1].is_trivia, node


# ---------------------------------------------------------------- generated grammars

HEAD = """name: Gen
lexical:
  case_sensitive: true
  line_comments: ["#"]
keywords:
  let: let
  end: end
operators:
  - {symbol: "+", precedence: 4}
  - {symbol: "=", precedence: 2}
grammar:
  start: r0
  rules:
"""
ATOMS = ["'let'", "'end'", "'+'", "'='", "'('", "')'", "','", "IDENT", "NUMBER", "STRING",
         "ANY", "r0", "r1", "r2", "r3"]


def expressions(depth: int) -> st.SearchStrategy[str]:
    atom = st.sampled_from(ATOMS)
    if depth == 0:
        return atom
    inner = expressions(depth - 1)
    return st.one_of(
        atom,
        st.tuples(inner, st.sampled_from(["?", "*", "+", ""])).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(" ".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(" + " / ".join(xs) + ")"),
        st.tuples(st.sampled_from(["!", "&"]), inner).map("".join),
        st.tuples(inner, atom).map(lambda xs: f"({xs[0]} % {xs[1]})"),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(expressions(3), min_size=4, max_size=4),
       inputs=st.lists(st.lists(st.sampled_from(["let", "end", "+", "=", "(", ")", ",", "x",
                                                 "1", '"s"', "\n", "#c\n", "?"]),
                                max_size=40), min_size=1, max_size=3))
def test_generated_grammars_that_check_accepts_parse_any_input(rules: list[str],
                                                               inputs: list[list[str]]) -> None:
    body = "".join(f"    r{i}: \"{rule}\"\n" for i, rule in enumerate(rules))
    definition, problems = load_definition_text(HEAD + body)
    if definition is None:  # rejected: every error has a place
        assert all(p.line > 0 and p.column > 0 for p in problems)
        return
    for words in inputs:
        text = " ".join(words)
        parsed = parse(definition, text)
        assert parsed.root.text == text


# ---------------------------------------------------------------- incremental

FRAGMENTS = ["", "x", "1", " ", "\n", "(", ")", '"', "SAY ", "END", "ENDIF\n", "NEXT i",
             "REPEAT 2\n", "=", ",", "local ", "end\n", "{", "}", "function f()\n", "REM ",
             "'", "--", "do", "IF a THEN ", "BEGIN ", "END;", ";", ":=", " DIV ", "I="]


@st.composite
def edit_sequences(draw: st.DrawFn) -> tuple[str, str, list[TextEdit]]:
    which, name = draw(st.sampled_from([("templecode.yaml", "turtle.ret"),
                                        ("templecode.yaml", "quiz.ret"),
                                        ("minilua.yaml", "sample.mlua"),
                                        ("pascal_subset.yaml", "")]))
    text = (FIXTURES / name).read_text(encoding="utf-8") if name else PASCAL_PROGRAM
    return which, text, draw_edits(draw, text, FRAGMENTS, 10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edit_sequences())
def test_incremental_reparse_equals_parse_from_scratch(case: tuple[str, str, list[TextEdit]]
                                                       ) -> None:
    which, text, edits = case
    assert_edits_reparse_as_fresh(language(which), text, edits)


def test_a_one_character_edit_reparses_one_item_of_a_long_file() -> None:
    body = "".join(f"LET v{i} = {i}\nREPEAT 2\n  FD v{i}\nEND\n" for i in range(300))
    parsed = parse(templecode(), body)
    at = body.index("FD v150") + len("FD v15")
    edited, stats = apply_edit(parsed, TextEdit(at, at, "7"))
    assert stats.strategy == "item"
    assert stats.reparsed_nodes < 10
    assert edited.green == parse(templecode(), edited.text).green
    # untouched items are the same objects: the reparse shared them
    old_items = [c.green for c in parsed.root.children()]
    new_items = [c.green for c in edited.root.children()]
    assert sum(a is b for a, b in zip(old_items, new_items, strict=True)) == len(old_items) - 1


def test_an_edit_far_after_an_error_reparses_only_the_items_that_looked_at_it() -> None:
    """Each top-level node keeps how far its parse looked: an edit reuses every node
    whose lookahead misses it, even after a syntax error (a failed item's parse looks
    further than a clean one, so only the items near the error look past their end)."""
    body = "".join(f"LET v{i} = {i}\nREPEAT 2\n  FD v{i}\nEND\n" for i in range(300))
    broken = "LET = = 1\nSAY (1 +\nFOR s = 3 TO 6\n  END\nNEXT s\n" + body  # three errors
    parsed = parse(templecode(), broken)
    assert len(parsed.errors) >= 3 and parsed.lookahead is not None
    assert len(parsed.lookahead) > 600  # every LET and REPEAT its own item
    at = broken.index("FD v250") + len("FD v25")
    edited, stats = apply_edit(parsed, TextEdit(at, at, "7"))
    assert edited.green == parse(templecode(), edited.text).green
    assert edited.lookahead == parse(templecode(), edited.text).lookahead
    assert stats.strategy == "item"
    assert stats.reparsed_items <= 2
    old_items = [c.green for c in parsed.root.children()]
    new_items = [c.green for c in edited.root.children()]
    assert sum(a is b for a, b in zip(old_items, new_items, strict=True)) >= len(old_items) - 2


def test_an_edit_an_erroneous_item_looked_at_reparses_it() -> None:
    """A FOR without its body fails, and its parse looked at the next line's 'END': an
    edit before that line changes the FOR's parse (which an edit outside the FOR's own
    text would miss, were the lookahead not kept) and must parse it again."""
    text = "FOR s = 3 TO 6\n  END\nNEXT s\nPENUP\n"
    parsed = parse(templecode(), text)
    first, *_ = parsed.root.children()
    assert first.kind == "for_stmt" and parsed.lookahead is not None
    assert parsed.lookahead[0] > 0  # it looked past its end
    for at in range(first.end, text.index("NEXT")):
        for fragment in ("(", "SAY 1", "\n"):
            edited, stats = apply_edit(parsed, TextEdit(at, at, fragment))
            fresh = parse(templecode(), edited.text)
            assert edited.green == fresh.green and edited.lookahead == fresh.lookahead
            assert stats.strategy == "item"


def test_the_lookahead_bound_carried_from_edit_to_edit_covers_every_node() -> None:
    """An edit finds the first node whose lookahead reaches it by bisecting from the
    longest lookahead back; the file carries that length as a bound instead of a walk
    over every node per edit. A chain of edits (one makes a long-looking failed item,
    one mends it) keeps a bound at least the longest, and each result is the full
    parse's."""
    text = "".join(f"LET v{i} = {i}\nREPEAT 2\n  FD v{i}\nEND\n" for i in range(60))
    parsed = parse(templecode(), text)
    assert parsed.lookahead is not None and parsed.lookahead_bound == max(parsed.lookahead)
    at = text.index("LET v30")  # a FOR without its body looks further than any item here
    for start, end, fragment in ((at, at, "FOR s = 3 TO 6\n  END\n"), (at, at + 21, ""),
                                 (text.index("LET v40") + 4, text.index("LET v40") + 4, "(")):
        parsed, stats = apply_edit(parsed, TextEdit(start, end, fragment))
        fresh = parse(templecode(), parsed.text)
        assert parsed.green == fresh.green and parsed.lookahead == fresh.lookahead
        assert parsed.lookahead is not None and parsed.lookahead_bound is not None
        assert parsed.lookahead_bound >= max(parsed.lookahead)
        assert stats.strategy == "item"


def test_an_edit_two_items_after_an_error_reparses_as_from_scratch() -> None:
    """The case that made every edit after an error parse the whole file: a broken VAR
    section's failed parse reads on into the routine after it, so an edit there changes
    the section's error message."""
    definition = language("pascal_subset.yaml")
    text = PASCAL_PROGRAM.replace("T : INTEGER", "T : I=TEGER")
    parsed = parse(definition, text)
    at = text.index("F0 := T") + len("F0")
    edited, stats = apply_edit(parsed, TextEdit(at, at, " DIV "))
    fresh = parse(definition, edited.text)
    assert edited.green == fresh.green and edited.lookahead == fresh.lookahead
    assert [e.message for e in edited.errors] == [e.message for e in fresh.errors]
    assert stats.strategy == "item"


def test_a_long_string_opened_by_an_edit_reparses_past_the_first_window() -> None:
    """An edit that opens a Lua long string or comment makes one token of the lines up
    to its closing bracket: the reparse lexes and parses on past its first window (which
    may end just after a complete statement), up to a step that ends where an old one
    begins, or to the end of the file."""
    definition = bundled("lua")
    text = "".join(f"do local v{i} = {i} end\n" for i in range(40)) + "x = ']]'\ny = 1\n"
    parsed = parse(definition, text)
    for at in range(0, 200, 7):
        for fragment in ("[[", "--[[", "\""):
            edited, _ = apply_edit(parsed, TextEdit(at, at, fragment))
            fresh = parse(definition, edited.text)
            assert edited.green == fresh.green and edited.lookahead == fresh.lookahead


def test_a_tokens_end_is_the_same_whichever_token_was_asked_before() -> None:
    """``PegParser.end_of`` walks from the token asked before, forwards or back: every
    significant token's end, asked in any order, is where its text ends (trivia and
    macro-free text of turbopascal, comments and blank lines between tokens)."""
    definition = bundled("turbopascal")
    text = "program P; { a comment }\nvar x: Integer;\n\nbegin\n  x := 1 + 2;\nend.\n"
    tokens, _ = lex(definition, text)
    parser = PegParser(tables_for(definition), tokens)
    expected = []
    offset = 0
    for _kind, value in tokens:
        offset += len(value)
        if value.strip() and not value.startswith("{"):
            expected.append(offset)
    assert parser.n == len(expected)
    order = [5, 0, parser.n - 1, 3, 3, 1, parser.n - 2, 2]
    assert [parser.end_of(p) for p in order] == [expected[p] for p in order]
    assert parser.token_start(4) == expected[4] - len(tokens[parser.index[4]][1])


# ---------------------------------------------------------------- indented blocks

INDENTED_FRAGMENTS = ["", "x", " ", "  ", "    ", "\t", "\n", "\n    ", "\n        ", ":", "(",
                      ")", "{-", "-}", "#", ";", "else:\n    ", "if x:\n    ", "pass",
                      "otherwise:\n    ", "when x:\n    ", "nothing_to_do"]
ROOT = FIXTURES.parents[2]


def indented(which: str) -> LanguageDefinition:
    return language(which) if which.endswith(".yaml") else templated(which)


@st.composite
def indented_edit_sequences(draw: st.DrawFn) -> tuple[str, str, list[TextEdit]]:
    which, path = draw(st.sampled_from([
        ("indented.yaml", FIXTURES / "indented.mind"),
        ("indented.yaml", None),
        ("teachlang", ROOT / "examples" / "teachlang" / "grades.teach"),
        ("teachlang", ROOT / "examples" / "teachlang" / "guessing.teach")]))
    text = path.read_text(encoding="utf-8") if path else long_indented_file(4)
    return which, text, draw_edits(draw, text, INDENTED_FRAGMENTS, 10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=indented_edit_sequences())
def test_edits_of_indented_blocks_reparse_as_from_scratch(
        case: tuple[str, str, list[TextEdit]]) -> None:
    """A grammar with ``INDENT``/``DEDENT`` reparses only the steps and items around an
    edit: a window's first line is indented as the old tree's tokens before it say, an
    old step or item is kept only where its first line's indentation is as it was, and
    a list's items compare with the indentation of the line the list began on."""
    which, text, edits = case
    assert_edits_reparse_as_fresh(indented(which), text, edits)


def long_indented_file(functions: int) -> str:
    return "".join(f"def f{i}(a):\n    x = a + {i}\n    if x < 3:\n        x = x * 2\n"
                   f"    else:\n        pass\n    return x\n" for i in range(functions))


def test_a_one_character_edit_in_an_indented_file_reparses_one_item() -> None:
    definition = language("indented.yaml")
    text = long_indented_file(200)
    parsed = parse(definition, text)
    assert parsed.errors == []
    for at, fragment in ((text.index("x * 2", text.index("def f150")) + 5, "1"),
                         (text.index("return x", text.index("def f70")), " "),
                         (text.index("    else", text.index("def f9(")), "\n")):
        edited, stats = apply_edit(parsed, TextEdit(at, at, fragment))
        fresh = parse(definition, edited.text)
        assert edited.green == fresh.green and edited.lookahead == fresh.lookahead
        # the items of one body around the edit, not its function (an item-level reuse)
        assert stats.strategy == "item" and stats.reparsed_nodes < 20
        old_items = [c.green for c in parsed.root.children()]
        new_items = [c.green for c in edited.root.children()]
        assert sum(a is b for a, b in zip(old_items, new_items, strict=True)) \
            == len(old_items) - 1


# lines whose indentation a window's first line or a list's rule decides: a statement
# after ';' on an indented line begins a window inside the line (its line is indented
# 2, not 1), a block's items after the edit compare with its header's line
AFTER_SEMICOLONS = "def f(a):\n  a = 1; if a:\n  pass\n  b = 2\n  c = 3\n  d = 4\ne = 5\n"


@pytest.mark.parametrize("text", [AFTER_SEMICOLONS, long_indented_file(3)])
def test_every_edit_of_an_indented_line_reparses_as_from_scratch(text: str) -> None:
    definition = language("indented.yaml")
    parsed = parse(definition, text)
    for at in range(len(text)):
        for edit in (TextEdit(at, at, " "), TextEdit(at, at, "\n"),
                     TextEdit(at, min(at + 2, len(text)), ""), TextEdit(at, at, "x;")):
            edited, _ = apply_edit(parsed, edit)
            fresh = parse(definition, edited.text)
            assert edited.green == fresh.green and edited.lookahead == fresh.lookahead, edit
