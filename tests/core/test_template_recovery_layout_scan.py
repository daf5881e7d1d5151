"""An indented block template's layout look asked of every step (``peg_block_recovery.
deeper_runs``, the runs of lines indented too deep that ``indentation_errors`` reports)
reads the lines' first tokens and the brackets between them, not every token: on
generated texts (indentation, brackets over lines, comments, blank lines) it finds
the runs that the walk over every token, as its definition reads, finds."""

from __future__ import annotations

from functools import cache

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.core.conftest import served_by

from craftls.language.model import LanguageDefinition
from craftls.syntax import peg_block_recovery as blocks
from craftls.syntax.lexer import lex
from craftls.syntax.peg import PegParser
from craftls.syntax.peg_tables import tables_for


@cache
def teachlang() -> LanguageDefinition:
    return served_by("teachlang", "template")


def runs_token_by_token(parser: PegParser, p: int, end: int) -> list[tuple[int, int]]:
    """``deeper_runs`` as its definition reads: every token from ``p`` to ``end``, a
    line's first token skipped where a bracket opened from ``p`` on is still open."""
    leads, bol, lit = parser.line_leads(), parser.bol, parser.lit
    tokens, index = parser.tokens, parser.index
    openers = blocks.indent_openers(parser)
    inside: list[bool] = []
    depth = 0
    for t in range(p, end):
        inside.append(depth > 0)
        text = tokens[index[t]][1]
        if text in {"(", "[", "{"}:
            depth += 1
        elif text in {")", "]", "}"} and depth > 0:
            depth -= 1
    stack = [leads[p]]
    runs: list[tuple[int, int]] = []
    t = p + 1
    while t < end:
        if not bol[t] or inside[t - p]:
            t += 1
            continue
        lead = leads[t]
        if lead > stack[-1] and lit[t - 1] in openers:
            stack.append(lead)
        else:
            while len(stack) > 1 and stack[-1] > lead:
                stack.pop()
            if lead != stack[-1]:
                first = t
                t += 1
                while t < end and not (bol[t] and not inside[t - p] and leads[t] <= stack[-1]):
                    t += 1
                runs.append((first, t))
                continue
        t += 1
    return runs


LINES = ["x = 1", "when x > 1:", "teach f(a):", "show(a,", "b)", "[1, 2,", "3]", ")", "(",
         "# a note", "", "give_back {", "}", "otherwise:", "y = (x", "b) + (c"]
INDENTS = ["", "", "  ", "    ", "      ", "\t", "        "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(INDENTS), st.sampled_from(LINES)), max_size=16))
# a line that goes on inside brackets, deeper; a block back at a column none has
@example([("", "when x > 1:"), ("    ", "show(a,"), ("        ", "b)"), ("  ", "x = 1")])
@example([("", "teach f(a):"), ("  ", "y = (x"), ("", "x = 1"), ("    ", ")"),
          ("      ", "x = 1")])
# a closer of a bracket opened before the item, then an opener, on one line
@example([("", "x = 1"), ("", "b) + (c"), ("  ", "x = 1")])
def test_deeper_runs_are_those_of_the_walk_over_every_token(
        lines: list[tuple[str, str]]) -> None:
    definition = teachlang()
    text = "".join(indent + line + "\n" for indent, line in lines)
    tokens, _ = lex(definition, text)
    parser = PegParser(tables_for(definition), tokens)
    assert parser.t.indented and parser.t.block_template
    n = parser.n
    for p in [k for k in range(n) if parser.bol[k]] + ([0] if n else []):
        for end in {n, *(k for k in range(p + 1, n) if parser.bol[k]), min(n, p + 3)}:
            if end > p:
                assert blocks.deeper_runs(parser, p, end) == \
                    runs_token_by_token(parser, p, end), (p, end)
    # the brackets found by their pair ids, and by their texts (as where a macro is
    # expanded or a bracket is none of the grammar's literals)
    texts = [tokens[parser.index[k]][1] for k in range(n)]
    expected = b"".join(b"(" if text in {"(", "[", "{"} else b")"
                        if text in {")", "]", "}"} else b"." for text in texts)
    assert blocks.bracket_marks(parser) == expected
    parser.bracket_marks, parser.uses = None, {n}
    assert blocks.marks_by_pairs(parser) is None
    assert blocks.bracket_marks(parser) == expected
