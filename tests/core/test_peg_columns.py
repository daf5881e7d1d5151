"""The PEG engine's token columns (``PegParser``) on a text whose tokens are all
significant, and its lexical-error flag (``GreenNode``'s ``clean``: the test per token
child skipped where the parser's tokens hold no lexical error), with the interpreter
alone and with the fast path."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled
from craftls.syntax import peg
from craftls.syntax.parse import parse
from craftls.syntax.peg_tables import tables_for
from craftls.syntax.tokens import COMMENT, IDENT, NEWLINE, STRING, TRIVIA, WHITESPACE, Token
from craftls.syntax.tree import HAS_ERROR, SyntaxNode

HEAD = "PROGRAM P;\nVAR x: INTEGER;\nBEGIN\n"


def statements(count: int, blank: str) -> str:
    """``count`` assignments, separated by ``blank`` (none: every token significant)."""
    return HEAD + blank.join(f"x{blank}:={blank}x{blank}+{blank}{i};" for i in range(count)) \
        + "\nEND.\n"


def shape(node: SyntaxNode) -> list[tuple[str, int, int]]:
    return [(n.kind, n.start, n.end) for n in node.descendants()]


@pytest.mark.parametrize("fast", [False, True])
def test_a_text_with_no_blanks_parses_to_the_same_tree(
        fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # every token of the statements is significant
    monkeypatch.setattr(peg, "FAST_PATH", fast)
    definition = bundled("turbopascal")
    dense = statements(400, "")
    parsed = parse(definition, dense)
    assert parsed.errors == []
    assert parsed.root.text == dense
    spaced = parse(definition, statements(400, " "))
    assert [n.kind for n in spaced.root.descendants()] == \
        [n.kind for n in parsed.root.descendants()]


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("mistake", ["'abc", "1 & + 2"])
def test_a_lexical_error_is_found_on_every_parse_of_a_text(
        fast: bool, mistake: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the second parse finds the tokens' keys known from the first: a lexical error's
    # are never kept there, so the flag still sees it
    monkeypatch.setattr(peg, "FAST_PATH", fast)
    definition = bundled("turbopascal")
    text = HEAD + f"  x := {mistake}\nEND.\n"
    for _ in range(2):
        # the token is a child of the assignment's nodes, which hold no other error
        parsed = parse(definition, text)
        assert parsed.root.green.kinds & HAS_ERROR
        assert [e.message for e in parsed.errors] == \
            ["unterminated string" if "'" in mistake else "unexpected character"]
    clean = parse(definition, HEAD + "  x := 1 + 2\nEND.\n")
    assert clean.errors == []
    assert not clean.root.green.kinds & HAS_ERROR


def leads_token_by_token(tokens: list[Token], index: list[int], n: int,
                         before: list[Token] | None) -> list[int]:
    """``peg.line_indentations`` as its definition reads: every token in order, the
    whitespace that begins a line gathered until its first significant token."""
    leads = [0] * n
    lead, at_start, k = "", True, 0
    for i, (kind, value) in enumerate([*(before or ()), *tokens]):
        i -= len(before or ())
        if i >= 0 and k < n and index[k] == i:
            at_start = False
            while k < n and index[k] == i:
                leads[k] = len(lead.expandtabs(8))
                k += 1
        elif kind == WHITESPACE and at_start:
            lead += value
        elif kind not in TRIVIA:
            at_start = False
        if "\n" in value or "\r" in value:
            at_start, lead = True, ""
    return leads


PIECES = [(WHITESPACE, " "), (WHITESPACE, "\t"), (WHITESPACE, "  "), (NEWLINE, "\n"),
          (NEWLINE, "\r\n"), (NEWLINE, "\r"), (COMMENT, "{c}"), (COMMENT, "{a\nb}"),
          (IDENT, "x"), (STRING, "'a\nb'"), (WHITESPACE, " \n ")]


@given(st.lists(st.sampled_from(PIECES), max_size=14),
       st.none() | st.lists(st.sampled_from(PIECES), max_size=4),
       st.lists(st.sampled_from([0, 1, 1, 1, 2]), min_size=14, max_size=14))
def test_line_indentations_read_by_significant_token_as_token_by_token(
        tokens: list[Token], before: list[Token] | None, uses: list[int]) -> None:
    # ``uses``: how many significant positions each significant token has (0: hidden
    # by the preprocessor, 2: a macro's expansion)
    index = [i for i, (kind, _) in enumerate(tokens) if kind not in TRIVIA
             for _ in range(uses[i])]
    n = len(index)
    assert peg.line_indentations(tokens, index, n, before) == \
        leads_token_by_token(tokens, index, n, before)


@given(st.lists(st.sampled_from(PIECES), max_size=14),
       st.lists(st.sampled_from([0, 1, 1, 1]), min_size=14, max_size=14))
# a line that begins after a string or a comment over lines, and the first line
@example([(STRING, "'a\nb'"), (WHITESPACE, " "), (IDENT, "x")], [1] * 14)
@example([(WHITESPACE, " "), (IDENT, "x"), (COMMENT, "{a\nb}"), (IDENT, "y")], [1] * 14)
def test_one_tokens_line_indentation_is_what_line_indentations_gives_it(
        tokens: list[Token], uses: list[int]) -> None:
    # ``PegParser.lead_of`` (what a block template's clean item asks of a few lines,
    # ``misplaced_closer``, rather than every token's ``line_leads``): each
    # significant token's, read alone, before and after ``line_leads``; ``uses`` 0: a
    # token hidden by the preprocessor (no position)
    parser = peg.PegParser(tables_for(bundled("turbopascal")), [])
    parser.tokens = tokens
    parser.index = [i for i, (kind, _) in enumerate(tokens) if kind not in TRIVIA
                    and uses[i]]
    parser.n = len(parser.index)
    expected = peg.line_indentations(tokens, parser.index, parser.n)
    assert [parser.lead_of(k) for k in range(parser.n)] == expected
    assert parser.leads is None  # worked out token by token, not all at once
    parser.line_leads()
    assert [parser.lead_of(k) for k in range(parser.n)] == expected


def _lines_text(pieces: list[tuple[str, str]]) -> str:
    return "".join(indent + piece for indent, piece in pieces)


LINE_PIECES = {
    # a comment over lines and within one, a string over lines, CR and CRLF breaks
    "turbopascal": ["x := 1;\n", "BEGIN\n", "{ a\n b }", "(* c *) y\n", "'s'\n", "\r\n",
                    "\r", "END.\n", "\n", "x := 'a\nb'; z\n", "{\r}", "\t"],
    # a line continuation: whitespace that holds a line break
    "qbasic": ["PRINT 1\n", "IF a THEN\n", "x = 1 + _\n", "' note\n", "END IF\n", "\n",
               "a$ = \"s\"\n", "\r\n", "REM x\n"],
    "lua": ["local x = 1\n", "--[[ a\nb ]] y()\n", "s = [[a\nb]] z\n", "-- c\n", "end\n",
            "\n", "\r\n", "f(a,\n", "b)\n"],
}


@pytest.mark.parametrize("language", sorted(LINE_PIECES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_line_leads_read_line_by_line_are_the_token_by_token_ones(
        language: str, data: st.DataObject) -> None:
    # ``PegParser.line_leads`` from the lines' first tokens (``leads_by_lines``) where
    # every line break stands in a newline or a comment over lines, else token by token:
    # the same widths as ``line_indentations`` on every text
    from craftls.syntax.lexer import lex
    definition = bundled(language)
    pieces = data.draw(st.lists(st.tuples(st.sampled_from(["", " ", "  ", "\t", "    "]),
                                          st.sampled_from(LINE_PIECES[language])),
                                max_size=12))
    text = _lines_text(pieces)
    tokens, _ = lex(definition, text)
    parser = peg.PegParser(tables_for(definition), tokens)
    assert parser.line_leads() == peg.line_indentations(tokens, parser.index, parser.n)


@pytest.mark.parametrize(("language", "text", "by_bol"), [
    ("turbopascal", "BEGIN\n  x := 1; { a\n b }\n    y := 2\nEND.\n", True),
    ("lua", "local s = [[a\nb]] x()\n  y()\n", False),  # a string over lines
    ("lua", "local s = 1 --[[a\nb]] x()\n  y()\n", True),  # a comment over lines
    ("turbopascal", "BEGIN\n  x := 1; {\r}  y := 2\nEND.\n", False),  # CR in a comment
    ("qbasic", "PRINT 1\n  x = 1\n", False),  # (a line continuation is defined)
])
def test_line_leads_are_read_line_by_line_where_bol_holds_every_break(
        language: str, text: str, by_bol: bool) -> None:
    from craftls.syntax.lexer import lex
    definition = bundled(language)
    tokens, _ = lex(definition, text)
    parser = peg.PegParser(tables_for(definition), tokens)
    assert parser.breaks_by_bol == by_bol
    assert parser.line_leads() == peg.line_indentations(tokens, parser.index, parser.n)
