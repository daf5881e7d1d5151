"""A block style's template (``PegTables.block_messages``): a closer the layout gives to
an outer construct (rp20).

A block inside a routine that lost its closer (``begin ... end`` whose inner ``end`` is
deleted) takes the closer written for the construct around it, and that construct then
runs on into the next routine. The keyword level reads the layout (``layout_verdict``):
a closer first on its line, less indented than the line the inner block opened on, is
the outer one's, and the inner block's closer is missing after its last statement. The
engine (``peg.py``) calls these functions from small hooks: the step's item is parsed
again with such a closer as ``layout_closer``; an alternative that begins on a line
deeper than it may not run past it, and a sequence that begins on such a line reports
its closer missing there instead of taking it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .peg_tables import OP_OPT

if TYPE_CHECKING:
    from .peg import PegParser

NO_MATCH = -1


def layout_closers(parser: PegParser, p: int, end: int) -> list[int]:
    """The closers first on their line after ``p``'s, up to ``end``, that stand less
    indented than the line before them and no less than ``p``'s line (a closer back at
    an outer construct's level, after a deeper block's lines)."""
    closers, lit, bol = parser.closing_keys(), parser.lit, parser.bol
    leads = parser.line_leads()
    found: list[int] = []
    before = leads[p]
    for c in range(p + 1, min(end, parser.n)):
        if not bol[c]:
            continue
        if lit[c] in closers and leads[p] <= leads[c] < before:
            found.append(c)
        before = leads[c]
    return found


def next_headings(parser: PegParser, p: int, end: int) -> list[int]:
    """The tokens after ``p`` up to ``end`` that begin a line no deeper than ``p``'s
    with ``p``'s word (the next routine's heading after a routine's): where the layout
    is flat, what ends the item's block whose closer is missing (the keyword level's
    ``routine_ends_block``)."""
    lit, bol = parser.lit, parser.bol
    leads = parser.line_leads()
    word = lit[p]
    return [c for c in range(p + 1, min(end, parser.n))
            if bol[c] and lit[c] == word and leads[c] <= leads[p]]


def runs_past_layout_closer(parser: PegParser, p: int, q: int) -> bool:
    """An alternative that matched from ``p`` to ``q`` in recovery mode runs past the
    ``layout_closer`` while it begins on a line deeper than the closer's, or on a line
    as deep and goes on past the closer's line (the closer is then none of its own:
    a construct that begins at its column ends with it): the closer is an outer
    construct's, the alternative may not take it (as written, an inner construct
    took it)."""
    c = parser.layout_closer
    if not p < c < q:
        return False
    leads = parser.line_leads()
    if leads[p] != leads[c]:
        return leads[p] > leads[c]
    bol = parser.bol
    return any(bol[j] for j in range(c + 1, q))
def closer_given_out(parser: PegParser, e: int, k: int, p: int, q: int) -> bool:
    """Element ``k`` of sequence ``e`` (begun at ``p``) is its closer, at the
    ``layout_closer`` ``q``, and the sequence began on a line deeper than the closer's:
    the closer is an outer construct's, this one's is missing."""
    if q != parser.layout_closer or k != parser.closer_of(e):
        return False
    leads = parser.line_leads()
    return leads[p] > leads[q]


def missing_before_outer_closer(parser: PegParser, e: int, k: int, p: int, q: int) -> str:
    """The message of sequence ``e``'s closer ``k`` missing before an outer construct's
    closer at ``q``: the construct named by its first line as written, from that line's
    first token (as the keyword level quotes it: "expected 'END' to close 'begin'"),
    without what was found there, a closer of the kind expected that naming would only
    confuse."""
    names = parser.t.names[k] or " or ".join(parser.t.first_names[k])
    bol = parser.bol
    first = p
    while first > 0 and not bol[first]:
        first -= 1
    last = p
    while last + 1 < q and not bol[last + 1]:
        last += 1
    tokens = parser.tokens[parser.index[first]:parser.index[last] + 1]
    header = "".join(token[1] for token in tokens)
    if len(header) > 40:
        header = header[:37].rstrip() + "..."
    return f"expected {names} to close '{header}'" if names else parser.missing(k, q)


def left_empty_at_close(parser: PegParser, k: int, at: int, p: int, q: int) -> bool:
    """``closer_missing_by_layout``: an optional element ``k`` (not the first) of a
    sequence begun at ``p`` on a line deeper than ``close_at``'s (``q``) is left empty
    there: a separated list's turn (``';' statement?``) then ends where the line back at
    the outer level begins, as a turn that ends with its statement does, and the list
    ends there."""
    return at > 0 and q == parser.close_at and parser.layout_close \
        and parser.ops[k] == OP_OPT and parser.closes_here(p, q)
