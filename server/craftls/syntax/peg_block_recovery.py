"""Recovery a block style's template answers as the keyword level does (issue 13: one
engine for the bundled keyword-level languages). Small functions the PEG engine
(``peg.py``) calls where ``PegTables.block_template`` says the grammar is a block
style's template; each reads the layout the keyword-level parser reads for the same
mistake, so a template-served definition reports it at the same place.

Block templates' recovery is one concept in two modules: this one holds the parts both
use (``NO_MATCH``, ``ORPHAN_BODY``, the closers that match at a line's start,
``closers_at``, and the edits of a step's finished nodes: ``remade``, ``error_inside``,
``silence_error``, ``error_offsets``) with the layout reads of an indented or a
keyword-terminated block (an orphan closer whose construct's first line was deleted,
lines indented too deep, a closer's remnant, the messages of a missing closer);
``peg_closer_recovery`` imports them for a closer the layout gives to an outer
construct, a clause closer without its construct and a construct without its header.

- an orphan closer (its construct's first line deleted) whose lines before it stand
  deeper than its own: the error goes where the construct began, before the first of
  them ("'END IF' without 'IF': the block it closes begins here"), as
  ``parser.wrap_orphan`` places it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import compress
from typing import TYPE_CHECKING, Final, cast

from . import kinds as K
from .peg_tables import (
    OP_AND,
    OP_CHOICE,
    OP_LIT,
    OP_NEWLINE,
    OP_NOT,
    OP_OPT,
    OP_PLUS,
    OP_RULE,
    OP_SEQ,
    OP_STAR,
    SEMICOLON_KEY,
    token_keys,
)
from .tokens import PUNCT, WHITESPACE, Token
from .tree import HAS_ERROR, GreenNode

if TYPE_CHECKING:
    from .peg import PegParser
    from .peg_follow import LoopRecovery
    from .peg_tables import PegTables

# what an orphan closer's message (``PegParser.stray_message``) ends with where it is reported
# where its construct began (the keyword level's ``wrap_orphan`` writes the same)
ORPHAN_BODY: Final = ": the block it closes begins here"
# ``indent_openers`` by the tables' identity (kept with them, so the identity holds)
_OPENERS: dict[int, tuple[PegTables, frozenset[str]]] = {}
NO_MATCH: Final = -1
# ``list_ends`` by the tables' identity (kept with them, so the identity holds)
_LIST_ENDS: dict[int, tuple[PegTables, frozenset[str]]] = {}
BRACKET_OPENERS: Final = frozenset("([{")
BRACKET_CLOSERS: Final = frozenset(")]}")
BRACKETS: Final = BRACKET_OPENERS | BRACKET_CLOSERS
# ``bracket_marks``' bytes
OPEN_MARK: Final = b"("
CLOSE_MARK: Final = b")"
OTHER_MARK: Final = b"."
OPEN_BYTE: Final = OPEN_MARK[0]
CLOSE_BYTE: Final = CLOSE_MARK[0]
OTHER_BYTE: Final = OTHER_MARK[0]


def orphan_body_start(parser: PegParser, q: int, floor: int) -> int:
    """The first token of the run of lines right before the line of token ``q`` (a
    closer first on its line) indented deeper than that line, from ``floor`` on (the
    list the closer ends); -1 where the line before is no deeper (no evidence of where
    the opener was: the error stays at the closer)."""
    if q <= floor or q >= parser.n or not parser.bol[q]:
        return -1
    leads, bol = parser.line_leads(), parser.bol
    column = leads[q]
    first = -1
    t = q - 1
    while t >= floor:
        if bol[t]:
            if leads[t] <= column:
                break
            first = t
        t -= 1
    return first


def remade(node: GreenNode, children: list[object]) -> GreenNode:
    """``node`` made again around ``children`` (its edited ones), its kind, error and
    lookahead kept (the walks of ``error_inside`` and ``silence_error``)."""
    made = GreenNode(node.kind, cast("tuple[GreenNode | Token, ...]", tuple(children)),
                     node.error)
    made.lookahead = node.lookahead
    return made


def error_inside(children: list[object], back: int, error: GreenNode) -> bool:
    """``error`` put into ``children`` ``back`` characters before their end, the nodes on
    the way made again around it; False where that falls inside a token."""
    i = len(children)
    while i > 0 and back > 0:
        child = children[i - 1]
        width = child.width if isinstance(child, GreenNode) else len(cast(Token, child)[1])
        if width <= back:
            back -= width
            i -= 1
            continue
        if not isinstance(child, GreenNode):
            return False
        inner: list[object] = list(child.children)
        if not error_inside(inner, back, error):
            return False
        children[i - 1] = remade(child, inner)
        return True
    children.insert(i, error)
    return True


def error_at_orphan_body(parser: PegParser, top: int, q: int, floor: int, message: str
                         ) -> bool:
    """An orphan closer at ``q`` reported with ``message``: where the lines before it
    (``orphan_body_start``) were its construct's body, a zero-width error with the
    message goes before the first of them, inside what the stack holds below ``top``
    (which ends where token ``q - 1`` does); True if it went there (the closer is then
    the rest of that mistake)."""
    first = orphan_body_start(parser, q, floor)
    if first < 0:
        return False
    back = parser.end_of(q - 1) - parser.token_start(first)
    stack = parser.stack
    below = stack[:top]
    error = GreenNode(K.ERROR, (), message + ORPHAN_BODY)
    if not error_inside(below, back, error):
        return False
    stack[:top] = below
    return True


def orphan_clause_moved(parser: PegParser, kept: list[object], top: int, q: int,
                        floor: int) -> list[object]:
    """The rest of a construct from its clause at ``q`` (``kept``, to go on the stack at
    ``top``), whose first line is missing (``PegParser.orphan_clause``): where the lines
    before the clause were its construct's first body, its zero-width error moves there
    (``error_at_orphan_body``); the elements without it then, else ``kept``."""
    at = next((i for i, x in enumerate(kept[:3]) if isinstance(x, GreenNode)
               and x.kind == K.ERROR and x.width == 0 and x.error), -1)
    if at < 0:
        return kept
    error = kept[at]
    assert isinstance(error, GreenNode) and error.error is not None
    if not error_at_orphan_body(parser, top, q, floor, error.error):
        return kept
    return kept[:at] + kept[at + 1:]


def closers_at(parser: PegParser, q: int) -> list[int]:
    """The closers (``PegParser.closer_of``'s) that match as written at token ``q``, the
    first of its line; none elsewhere."""
    if q >= parser.n or not parser.bol[q]:
        return []
    if parser.closers is None:
        parser.closer_of(0)
    stack = parser.stack
    mark = len(stack)
    found: list[int] = []
    track, parser.track = parser.track, False  # (a look, no expectation of the item's)
    for c in parser.closer_list:
        if c >= 0 and parser.ev(c, q, False) > q:
            found.append(c)
        del stack[mark:]
    parser.track = track
    return found


def named_stray(parser: PegParser, kids: tuple[int, ...], at: int, q: int,
                began: list[int]) -> int:
    """``PegParser.past_stray`` where element ``at`` of the sequence is its last, a
    closer that is a rule naming its construct (``end_for: 'fin' (!NEWLINE 'para')?``,
    no literals of the sequence's own) or a choice of closers (``'NEXT' (!NEWLINE
    IDENT)? / end_for``), written at the stray closer ``q``: its tokens
    the error, reported where the lines before it deeper than its own began
    (``error_at_orphan_body``: its construct's first line deleted) and else at it, and
    the index of the list before it to go on from after it (``ends_at``); else -1."""
    if at != len(kids) - 1 or parser.ops[kids[at]] not in (OP_RULE, OP_CHOICE):
        return -1
    stack = parser.stack
    mark = len(stack)
    track, parser.track = parser.track, False  # (a look, no expectation of the item's)
    end = parser.ev(kids[at], q, False)
    parser.track = track
    del stack[mark:]
    if end <= q:
        return -1
    for j in range(at - 1, -1, -1):
        if parser.list_like(kids[j], 2):
            message: str | None = parser.stray_message(q)
            if error_at_orphan_body(parser, len(stack), q, began[j], cast(str, message)):
                message = None  # (reported where its construct began)
            parser.error_over(q, end, message)
            parser.ends_at = end
            return j
    return -1


def ends_its_block(parser: PegParser, p: int, q: int) -> bool:
    """An item at ``p``, parsed in recovery mode up to ``q`` with more than one error,
    in an indented block style: ``q`` is where the lines indented deeper than ``p``'s
    end (the first line back at its column or less, or the end of the file), so the
    item took its whole block as the layout gives it, each mistake in it an error of
    its own (a routine whose third and fourth lines each have one), not only the lines
    before its first mistake, the others then steps of their own."""
    if not parser.t.indented or not parser.bol[p]:
        return False
    leads, bol, n = parser.line_leads(), parser.bol, parser.n
    t = p + 1
    while t < n and not (bol[t] and leads[t] <= leads[p]):
        t += 1
    return q == t


def missing_at_the_end(parser: PegParser, r: int) -> bool:
    """An alternative matched as written (``show`` of ``show(max max(a, 1))``, or a
    block's lines up to that one), and another reached the end of the file in recovery
    mode, its last element missing there (``give_back a +`` on the last line): in an
    indented block style, whose blocks need no closer, that is the last line's own
    mistake, and nothing follows that could be the rest of it; the further one is kept,
    each mistake one error on its line, as the keyword level reports them."""
    return parser.t.indented and r >= parser.n


def rest_of_missing(parser: PegParser, follow: frozenset[str], first: frozenset[str],
                    q: int, r: int) -> int:
    """An alternative matched as written up to ``q``, and another reached ``r`` in
    recovery mode, its last element missing there, at a token nothing can follow the
    choice with (``a := * 2;``: the assignment's operand missing at ``*``, the
    expression statement ``a`` matched as written): where the tokens from ``r`` up to
    one that ends the choice (can follow it, ``follow``, and cannot begin it, ``first``:
    a ';', a closer) are on the line ``q`` is on, or the line ends after ``r`` (``a :=
    * 2`` whose ';' is missing too, reported missing there then), they are the rest of
    that one mistake, as the keyword level takes them (one error, the operand missing,
    not an unexpected ``:=``); that token, else NO_MATCH."""
    bol, lit, cls, n = parser.bol, parser.lit, parser.cls, parser.n
    for j in range(q + 1, n):
        if bol[j]:
            return j if j > r else NO_MATCH
        if j > r and (lit[j] in follow and lit[j] not in first
                      or cls[j] in follow and cls[j] not in first):
            return j
    return NO_MATCH


def closing_message(parser: PegParser, wanted: str, header: str, q: int) -> str:
    """A construct's closer (``wanted``) missing at ``q`` ("expected 'END IF' to close
    'IF n > 1 THEN', found 'END FUNCTION'"): what was found there named as written in
    full where it is another closer (not its first word alone); ``q`` NO_MATCH: missing
    before a line of the enclosing list, nothing found in its place."""
    message = f"expected {wanted} to close '{header}'"
    if q < 0:
        return message
    end = parser.closer_at(q)
    if end <= q + 1:
        return f"{message}, found {parser.describe(q)}"
    words = " ".join(parser.tokens[parser.index[i]][1] for i in range(q, end))
    return f"{message}, found '{words}'"


def ends_block(parser: PegParser, e: int, at: int) -> bool:
    """Element ``at`` of sequence ``e`` is its last, after a list: what closes the
    construct even where it may go on with a name (``'NEXT' (!NEWLINE IDENT)?``), which
    ``closer_of`` leaves out (no words only)."""
    kids = parser.kids[e]
    return at == len(kids) - 1 and at > 0 and any(parser.list_like(k, 2) for k in kids[:at])


def closer_names(parser: PegParser, k: int) -> str:
    """A closer's alternatives as a message names them ("'NEXT' or 'END FOR'"), each
    by its name or its first literal's, where the choice has neither (one of them goes
    on with a name); '' if none."""
    t = parser.t
    if parser.ops[k] != OP_CHOICE:
        return ""
    names: list[str] = []
    for alternative in parser.kids[k]:
        name = t.names[alternative]
        if not name and parser.ops[alternative] == OP_SEQ:
            name = t.names[parser.kids[alternative][0]]
        if not name:
            return ""
        names.append(name)
    return " or ".join(dict.fromkeys(names)) if len(names) < 3 else ""


def clause_before(parser: PegParser, kids: tuple[int, ...], at: int, began: list[int],
                  q: int) -> int:
    """The index of the element before ``kids[at]`` (a closer missing at ``q``) that
    took tokens up to ``q``, where that is an optional clause ending with a list (an
    IF's ``ELSE`` part, whose lines then held a clause of no construct of theirs: the
    IF line before it deleted), the options after it having taken none; -1 if none
    (``PegParser.list_before`` finds a list itself)."""
    ops = parser.ops
    for j in range(at - 1, -1, -1):
        if began[j] == q:
            if ops[kids[j]] in (OP_OPT, OP_STAR):
                continue
            return -1
        k = kids[j]
        return j if ops[k] == OP_OPT and parser.list_like(parser.kids[k][0], 4) else -1
    return -1


def tail_words(parser: PegParser, e: int, depth: int = 6) -> frozenset[str]:
    """The literal keys a closer ``e`` may end with after its first word (``'END'
    (!NEWLINE 'FUNCTION')?``: FUNCTION; a one-word closer: none)."""
    ops, kids = parser.ops, parser.kids
    op = ops[e]
    if depth <= 0:
        return frozenset()
    if op == OP_RULE:
        return tail_words(parser, parser.t.rule_expr[parser.rule_of[e]], depth - 1)
    if op == OP_CHOICE:
        return frozenset().union(*(tail_words(parser, k, depth - 1) for k in kids[e]))
    if op == OP_SEQ:
        parts = [k for k in kids[e] if ops[k] not in (OP_NOT, OP_AND, OP_NEWLINE)]
        return words_of(parser, parts[-1], depth - 1) if len(parts) > 1 else frozenset()
    return frozenset()


def words_of(parser: PegParser, e: int, depth: int) -> frozenset[str]:
    """The literal keys ``e`` (a literal, an option or choice of them, a sequence
    ending with one) may end with."""
    ops, kids = parser.ops, parser.kids
    op = ops[e]
    if op == OP_LIT:
        return frozenset((parser.keys[e],))
    if depth <= 0:
        return frozenset()
    if op in (OP_OPT, OP_CHOICE):
        return frozenset().union(*(words_of(parser, k, depth - 1) for k in kids[e]))
    if op == OP_SEQ:
        parts = [k for k in kids[e] if ops[k] not in (OP_NOT, OP_AND, OP_NEWLINE)]
        return words_of(parser, parts[-1], depth - 1) if parts else frozenset()
    return frozenset()


def closer_remnant(parser: PegParser, q: int) -> bool:
    """Token ``q``, alone on its line, is the word the innermost open construct's
    closer ends with (``FUNCTION`` of ``END FUNCTION``, its ``END`` deleted): what is
    left of that closer, not a construct of its own (one without a name that would
    take the rest of the file), as the keyword level reads it."""
    if not parser.open_closers or q >= parser.n or not parser.bol[q] \
            or q + 1 < parser.n and not parser.bol[q + 1]:
        return False
    closer = parser.open_closers[-1]
    words = parser.tail_words.get(closer)
    if words is None:
        words = parser.tail_words[closer] = tail_words(parser, closer)
    return parser.lit[q] in words


def remnant_message(parser: PegParser, k: int, q: int) -> str:
    """The closer ``k`` missing where ``closer_remnant`` is at ``q``: "expected 'END
    FUNCTION', found 'FUNCTION'"."""
    t = parser.t
    wanted = t.names[k] or closer_names(parser, k) or " or ".join(t.first_names[k])
    return f"expected {wanted}, found {parser.describe(q)}"


# ---------------------------------------------------------------- lines indented too deep


def indent_openers(parser: PegParser) -> frozenset[str]:
    """The literals right before an indented block in the grammar (``suite: ':'
    ((INDENT statement)+ / ...)``): a line that ends with one may be followed by a
    deeper one."""
    kept = _OPENERS.get(id(parser.t))
    if kept is not None and kept[0] is parser.t:
        return kept[1]
    ops, kids = parser.ops, parser.kids
    keys = {parser.keys[k] for x in range(len(ops)) if ops[x] == OP_SEQ
            for k, after in zip(kids[x], kids[x][1:], strict=False)
            if ops[k] == OP_LIT and opens_indent(parser, after, 3)}
    if len(_OPENERS) >= 64:
        _OPENERS.clear()
    _OPENERS[id(parser.t)] = (parser.t, frozenset(keys))
    return frozenset(keys)


def opens_indent(parser: PegParser, e: int, depth: int) -> bool:
    """Expression ``e`` is (or may be) a loop over indented lines (``INDENT`` first)."""
    op = parser.ops[e]
    if op in (OP_PLUS, OP_STAR):
        return parser.indent_guarded(parser.kids[e][0])
    if depth <= 0:
        return False
    if op in (OP_CHOICE, OP_OPT):
        return any(opens_indent(parser, k, depth - 1) for k in parser.kids[e])
    if op == OP_RULE:
        return opens_indent(parser, parser.t.rule_expr[parser.rule_of[e]], depth - 1)
    return False


def deeper_runs(parser: PegParser, p: int, end: int) -> list[tuple[int, int]]:
    """The runs of lines of the item from ``p`` to ``end`` indented deeper than their
    block where no line before opens one (a header line deleted, or indented too
    deep), or back to a column no enclosing block has: (first token, the first token
    after the run) each, as the keyword level reports them, one error a run. A line
    inside brackets opened from ``p`` on goes on its statement (``open_lines``)."""
    lines = open_lines(parser, p, end)
    if not lines:
        return []
    leads, lit = parser.line_leads(), parser.lit
    openers = indent_openers(parser)
    blocks = [leads[p]]
    runs: list[tuple[int, int]] = []
    i, count = 0, len(lines)
    while i < count:
        t = lines[i]
        lead = leads[t]
        if lead > blocks[-1] and lit[t - 1] in openers:
            blocks.append(lead)
        else:
            while len(blocks) > 1 and blocks[-1] > lead:
                blocks.pop()
            if lead != blocks[-1]:
                first = t  # up to the next line back at the block's column or less
                i += 1
                while i < count and leads[lines[i]] > blocks[-1]:
                    i += 1
                runs.append((first, lines[i] if i < count else end))
                continue
        i += 1
    return runs


def open_lines(parser: PegParser, p: int, end: int) -> list[int]:
    """The first tokens of the lines after ``p``'s up to ``end`` that stand outside the
    brackets opened from ``p`` on. Asked of every step of an indented template: it
    reads the lines' first tokens (``line_firsts``) and counts the brackets between
    them (``bracket_marks``: a C-level count a line, not a step a bracket), not every
    token; an item of one line reads nothing more, one without an opener before its
    last line no more than one ``find``."""
    firsts = line_firsts(parser)
    i, stop = bisect_right(firsts, p), bisect_left(firsts, end)
    if i >= stop:
        return []
    marks = bracket_marks(parser)
    find = marks.find
    if find(OPEN_MARK, p, firsts[stop - 1]) < 0:
        return firsts[i:stop]  # (no bracket open at any of them)
    count = marks.count
    found: list[int] = []
    depth = 0  # of the brackets from ``p`` before the line's first token
    at = p
    for t in firsts[i:stop]:
        if depth == 0 and find(OPEN_MARK, at, t) < 0:
            found.append(t)  # (a closer at depth 0 closes none of them)
            at = t
            continue
        closers = count(CLOSE_MARK, at, t)
        if closers <= depth:  # (no closer meets depth 0: none is passed over)
            depth += count(OPEN_MARK, at, t) - closers
        else:
            for mark in marks[at:t].translate(None, OTHER_MARK):
                if mark == OPEN_BYTE:
                    depth += 1
                elif depth > 0:
                    depth -= 1
        at = t
        if depth == 0:
            found.append(t)
    return found


def line_firsts(parser: PegParser) -> list[int]:
    """The significant tokens that begin a line (``bol``), in order, once per parse."""
    found = parser.line_firsts
    if found is None:
        found = parser.line_firsts = list(compress(range(parser.n), parser.bol))
    return found


def bracket_marks(parser: PegParser) -> bytes:
    """A byte per significant token, once per parse: ``OPEN_MARK`` for a token in
    ``BRACKET_OPENERS``, ``CLOSE_MARK`` in ``BRACKET_CLOSERS``, else ``OTHER_MARK``.
    Read from the tokens' pair ids (``marks_by_pairs``) where it can, else from their
    texts."""
    found = parser.bracket_marks
    if found is None:
        found = marks_by_pairs(parser)
        if found is None:
            tokens, index = parser.tokens, parser.index
            found = bytes(OPEN_BYTE if text in BRACKET_OPENERS else CLOSE_BYTE
                          if text in BRACKET_CLOSERS else OTHER_BYTE
                          for text in (tokens[index[k]][1] for k in range(parser.n)))
        parser.bracket_marks = found
    return found


def marks_by_pairs(parser: PegParser) -> bytes | None:
    """``bracket_marks`` where each bracket is one of the grammar's literals (so one
    pair id each: its text's literal key, no class) and no macro is expanded (an
    expansion's keys are its body's): the pair ids (``PegParser.tid``) as bytes,
    translated (C-level, not a step a token: ~3.5 M instructions of a 1,000-line parse
    otherwise); None where a bracket is no literal, a macro is used, or an id does
    not fit in a byte."""
    t = parser.t
    keys = {c: token_keys(PUNCT, c, t.fold)[0] for c in BRACKETS}
    if not set(keys.values()) <= t.literal_keys or parser.uses:
        return None
    try:
        ids = bytes(parser.tid[:parser.n])
    except ValueError:  # (an id past 255)
        return None
    table = bytearray(OTHER_MARK * 256)
    for c, key in keys.items():
        pair = t.pair_ids.get((key, ""), -1)
        if 0 <= pair < 256:
            table[pair] = OPEN_BYTE if c in BRACKET_OPENERS else CLOSE_BYTE
    return ids.translate(table)


def indentation_errors(parser: PegParser, p: int, end: int, mark: int) -> None:
    """An indented block style's step from ``p`` to ``end`` (its elements on the stack
    from ``mark``): each run of lines indented too deep (``deeper_runs``) one error,
    "unexpected indentation", before its first line, unless the parse reported one
    there or on the line before already; a clause word the parse reported right after the run (an
    ``otherwise`` whose ``when`` line was deleted) is the rest of that mistake."""
    if end > parser.n or end <= p:
        return
    stack = parser.stack
    runs = deeper_runs(parser, p, end)
    if not runs:
        return
    below: list[object] = stack[mark:]
    stop = parser.end_of(end - 1)
    for first, after in reversed(runs):
        start = parser.token_start(first)
        limit = parser.token_start(after) if after < end else stop + 1
        line = first - 1  # (an error on the line before: a header's ':' missing there)
        while line > p and not parser.bol[line]:
            line -= 1
        since = parser.token_start(line)
        if any(since <= at < limit for at in error_offsets(below, stop)):
            continue
        if after < end and parser.no_item_starts(after):
            silence_error(below, stop - parser.token_start(after))
        error_inside(below, stop - start, GreenNode(K.ERROR, (), "unexpected indentation"))
    stack[mark:] = below


def error_offsets(children: list[object], stop: int) -> list[int]:
    """Where each reported error among ``children`` (which end at ``stop``) begins."""
    found: list[int] = []
    at = stop - sum(c.width if isinstance(c, GreenNode) else len(cast(Token, c)[1])
                    for c in children)
    pending: list[tuple[int, GreenNode]] = []
    for c in children:
        if isinstance(c, GreenNode):
            pending.append((at, c))
            at += c.width
        else:
            at += len(cast(Token, c)[1])
    while pending:
        offset, node = pending.pop()
        if node.error is not None and node.kind == K.ERROR:
            found.append(offset)
        for c in node.children:
            if isinstance(c, GreenNode):
                pending.append((offset, c))
                offset += c.width
            else:
                offset += len(c[1])
    return found


def silence_error(children: list[object], back: int) -> bool:
    """The reported error that begins ``back`` characters before the end of
    ``children`` made the rest of a mistake reported elsewhere (no message), the
    nodes on the way made again around it; False if none begins there."""
    i = len(children)
    while i > 0:
        child = children[i - 1]
        width = child.width if isinstance(child, GreenNode) else len(cast(Token, child)[1])
        if width < back:
            back -= width
            i -= 1
            continue
        if not isinstance(child, GreenNode):
            return False
        if child.kind == K.ERROR and width == back and child.error is not None:
            children[i - 1] = GreenNode(K.ERROR, child.children, None)
            return True
        inner: list[object] = list(child.children)
        if not silence_error(inner, back):
            return False
        children[i - 1] = remade(child, inner)
        return True
    return False


# ---------------------------------------------------------------- an orphan at the top level


def orphan_block(parser: PegParser, p: int) -> int:
    """A top-level step at ``p``, the first of a run of lines indented deeper than the
    line before it, ended by a closer less indented than all of them that no item of
    the run takes (``orphan_after``): the header line of the construct whose body they
    were was deleted (``'END FUNCTION' without 'FUNCTION'``), and as the keyword level's
    ``wrap_orphan`` makes them, the lines and the closer are one block with one error,
    before its first line: the lines parsed as the construct's list (``body``, the
    first of its lists that ends right at the closer), the closer the rest of the
    mistake. Where the step ended (the closer's line), or -1 (the step is parsed as
    usual; what the look at the lines after ``p`` took is kept in ``reach``)."""
    c = orphan_after(parser, p)
    if c < 0:
        return -1
    stack = parser.stack
    base = len(stack)
    closed = parser.closer_at(c)
    for e in construct_lists(parser, c):
        for rec in (False, True):
            q = parser.ev(e, p, rec)
            last = stack[-1] if q > p and len(stack) > base else None
            if q == c and type(last) is GreenNode:
                stack.pop()
                below = len(stack)
                message = parser.stray_message(c)
                stack.append(GreenNode(K.ERROR, (), message + ORPHAN_BODY))
                stack.extend(last.children)
                parser.error_over(c, closed, None)
                block = remade(last, stack[below:])
                del stack[below:]
                stack.append(block)
                parser.taint = True
                return closed
            del stack[base:]
    return -1


def orphan_after(parser: PegParser, p: int) -> int:
    """The closer that ends the run of lines from ``p``'s (``orphan_block``): the first
    token of the first line after ``p``'s less indented than each line of the run,
    where that is a closer no less indented than the line before ``p``'s (the file's
    start: column 0); -1 if there is none, ``p``'s line no deeper than the line before
    it (a top-level line not indented: no look), or a line back at that column or less
    comes first. What it looks at is noted in ``reach``."""
    n, bol, index = parser.n, parser.bol, parser.index
    i = index[p] if p < n else 0
    # the token before ``p`` (before a window's first token: the old tree's,
    # ``line_before``)
    line_before = parser.line_before
    kind = parser.tokens[i - 1][0] if i > 0 else line_before[-1][0] if line_before else ""
    if not bol[p] or kind != WHITESPACE:
        return -1  # (most top-level lines: not indented)
    if parser.closers is None:
        parser.closer_of(0)
    if not parser.closer_list:
        return -1
    leads = parser.line_leads()
    before = p - 1
    while before > 0 and not bol[before]:
        before -= 1
    # (a window's first step: the line before the window's, ``lead_before``)
    base = leads[before] if p > 0 else parser.lead_before
    lowest = leads[p]
    if lowest <= base:
        return -1
    t = p + 1
    while t < n:
        if bol[t] and leads[t] < lowest:
            if leads[t] >= base and closers_at(parser, t):
                break
            if leads[t] <= base:
                t = n
                break
            lowest = leads[t]
        t += 1
    parser.reach = max(parser.reach, t)
    return t if t < n else -1


def construct_lists(parser: PegParser, c: int) -> list[int]:
    """The lists (rule calls) of the constructs the closers at ``c`` end
    (``closers_at``), each construct's in order: where the lines before an orphan closer
    go (a routine's ``body``)."""
    found: list[int] = []
    ops, kids = parser.ops, parser.kids
    closers = set(closers_at(parser, c))
    if not closers or parser.closers is None:
        return found
    for x, k in enumerate(parser.closers):
        if k not in closers:
            continue
        for e in kids[x]:
            if ops[e] == OP_RULE and parser.list_like(e, 2) and e not in found \
                    and all(parser.rule_of[e] != parser.rule_of[f] for f in found):
                found.append(e)
    return found


# ---------------------------------------------------------------- a statement's end missing


def item_sequence(parser: PegParser) -> int:
    """The sequence an item is where items are lines and end with one of a line break
    and literals (``statement: inline_statement (NEWLINE / ';')``), found through the
    item's rules; NO_MATCH if the item is no such sequence."""
    ops, kids, t = parser.ops, parser.kids, parser.t
    e = t.item
    for _ in range(4):
        if ops[e] != OP_RULE:
            break
        e = t.rule_expr[parser.rule_of[e]]
    if ops[e] != OP_SEQ or len(kids[e]) < 2:
        return NO_MATCH
    last = kids[e][-1]
    if ops[last] != OP_CHOICE or not any(ops[k] == OP_NEWLINE for k in kids[last]) \
            or not all(ops[k] in (OP_NEWLINE, OP_LIT) for k in kids[last]):
        return NO_MATCH
    return e


def item_end(parser: PegParser) -> int:
    """The expression that ends an item where items are lines (``item_sequence``'s last
    element: ``(NEWLINE / ';')``); NO_MATCH if none."""
    e = item_sequence(parser)
    return parser.kids[e][-1] if e >= 0 else NO_MATCH


def item_end_message(parser: PegParser, e: int, p: int) -> str:
    """Element ``e`` missing at ``p``, where that is the end of an item that is a line
    (``item_end``): named as the keyword level names a statement's missing end
    ("expected a new line or ';' after the statement, found 'LIST'"; nothing found
    named where a line begins at ``p``); '' for any other element."""
    if e != item_end(parser):
        return ""
    names = [parser.t.names[k] if parser.ops[k] == OP_LIT else "a new line"
             for k in parser.kids[e]]
    names.sort(key=lambda name: name != "a new line")
    message = f"expected {' or '.join(names)} after the statement"
    if p >= parser.n or parser.bol[p]:
        return message
    return f"{message}, found {parser.describe(p)}"


def rest_of_statement(parser: PegParser, q: int, r: int, mark: int) -> int:
    """Inside a block's list in recovery mode: the item from ``q`` ended at ``r`` inside
    its line with its one error there, its last element missing (``RETURN s 0.05 *``:
    its end missing at ``0.05``): the tokens from ``r`` up to where the keyword level's
    ``skip_rest`` stops (the line's end outside brackets, a ';' taken with them, a
    closer or a word a statement begins with) are the rest of that mistake, in the
    item's node without a message of their own, not items of their own with errors of
    their own (``0.05 *``: "expected an expression"). Not at a closer or a statement's
    word at ``r`` (``PRINT 1 PRINT 2``: the next statement). Where the item now ends
    (``r`` where this does not apply)."""
    if r >= parser.n or parser.bol[r] or r <= q or not parser.ends_missing(mark) \
            or not _one_error(parser.stack[mark:]) or _stops_rest(parser, r):
        return r
    j = _rest_end(parser, r, True)
    last = parser.stack[-1]
    if type(last) is not GreenNode:
        return r
    parser.mistake_into(last, r, j)
    return j


def _one_error(elements: list[object]) -> bool:
    """``elements`` hold exactly one error node with a message."""
    found = 0
    todo = [e for e in elements if type(e) is GreenNode and e.kinds & HAS_ERROR]
    while todo:
        node = todo.pop()
        if node.error is not None:
            found += 1
            if found > 1:
                return False
        todo.extend(c for c in node.children if type(c) is GreenNode and c.kinds & HAS_ERROR)
    return found == 1


def _stops_rest(parser: PegParser, j: int) -> bool:
    """A skip over the rest of a statement stops before token ``j``: a '}', or a word
    (no punctuation) that ends a list (a closer of the block style) or that a statement
    can begin with."""
    key = parser.lit[j]
    if not key:
        return False
    if key.startswith("p:"):
        return parser.tokens[parser.index[j]][1] == "}"
    return key in list_ends(parser.t) or key in parser.item_firsts()


def list_ends(t: PegTables) -> frozenset[str]:
    """The keys that end one of the grammar's lists (its loops' ``LoopRecovery.ends``:
    END, ELSE, NEXT, an expression list's ')' too), once the loops' recovery is worked
    out (``resync_for``, on the first recovery); none before."""
    kept = _LIST_ENDS.get(id(t))
    if kept is not None and kept[0] is t:
        return kept[1]
    if not t.resync:
        return frozenset()
    loops = cast("dict[int, LoopRecovery]", t.resync[0])
    ends: set[str] = set()
    for recovery in loops.values():
        ends |= recovery.ends
    words = frozenset(ends)
    if len(_LIST_ENDS) >= 64:
        _LIST_ENDS.clear()
    _LIST_ENDS[id(t)] = (t, words)
    return words


def _rest_end(parser: PegParser, r: int, semicolon: bool) -> int:
    """Where the keyword level's ``skip_rest`` from token ``r`` stops: before the line's
    end outside brackets, a closer or a statement's word (``_stops_rest``), or a ';'
    (past it where ``semicolon``: the statement's separator, taken with the rest)."""
    n, bol, lit = parser.n, parser.bol, parser.lit
    j = r + 1
    depth = 0
    while j < n:
        text = parser.tokens[parser.index[j]][1]
        if depth == 0 and (bol[j] or _stops_rest(parser, j)):
            break
        if text in BRACKET_OPENERS:
            depth += 1
        elif text in BRACKET_CLOSERS and depth:
            depth -= 1
        elif depth == 0 and lit[j] == SEMICOLON_KEY:
            return j + 1 if semicolon else j
        j += 1
    return j


def rest_after_separator(parser: PegParser, q: int, r: int, mark: int) -> int:
    """Inside a block's list of ``';' item`` in recovery mode: the separator reported
    missing at ``q`` inside its line, the item read after it up to ``r`` with an error
    of its own (``a := a 1 +;``: "expected ';', found '1'", then "expected an
    expression" at the ';'): the tokens from ``q`` up to where the keyword level's
    ``skip_rest`` stops (before the ';') are that one mistake, one error over them
    with the separator's message. Where the skip ends, or NO_MATCH (nothing done)."""
    if parser.bol[q] or r <= q:
        return NO_MATCH
    errors = _error_nodes(parser.stack[mark:])
    if len(errors) < 2 or errors[0].width or errors[0].error is None:
        return NO_MATCH
    j = _rest_end(parser, q, False)
    if j < r:
        return NO_MATCH  # (the item went on past where the skip stops)
    message = errors[0].error
    del parser.stack[mark:]
    parser.error_over(q, j, message)
    return j


def _error_nodes(elements: list[object]) -> list[GreenNode]:
    """The error nodes with a message ``elements`` hold, in order."""
    found: list[GreenNode] = []
    todo = [e for e in reversed(elements) if type(e) is GreenNode and e.kinds & HAS_ERROR]
    while todo:
        node = todo.pop()
        if node.error is not None:
            found.append(node)
        todo.extend(c for c in reversed(node.children)
                    if type(c) is GreenNode and c.kinds & HAS_ERROR)
    return found


def written_then_end_missing(parser: PegParser, seq: int, p: int, q: int) -> bool:
    """``PegParser.item_cut_short`` where the committed parse chose another form, which
    misses another element than the item's end (``show() "x"``: an assignment whose
    '=' is missing at ``"x"``): the item's part before its end as written from ``p`` up
    to ``q`` (inside the line), then its end missing there, as the keyword level reads
    it ("expected a new line or ';' after the statement, found '"x"'"); the item's node
    on the stack. Only where the item's rule is that sequence itself (its node is the
    rule's); False (nothing made) otherwise."""
    ops, kids, t = parser.ops, parser.kids, parser.t
    item = t.item
    if ops[item] != OP_RULE or t.rule_expr[parser.rule_of[item]] != seq:
        return False
    stack = parser.stack
    mark = len(stack)
    parser.push_gap(p)  # (the trivia before the node, as ``PegParser.evaluate`` does)
    inner = len(stack)
    track, parser.track = parser.track, False  # (as written: no expectation of its own)
    frame, parser.frame = parser.frame, p
    r = p
    for k in kids[seq][:-1]:
        r = parser.ev(k, r, False)
        if r < 0:
            break
    parser.track, parser.frame = track, frame
    if r != q:
        del stack[mark:]
        return False
    parser.error_here(item_end_message(parser, kids[seq][-1], q))
    rule = parser.rules[parser.rule_of[item]]
    node = GreenNode(rule.kind, cast("tuple[GreenNode | Token, ...]", tuple(stack[inner:])))
    del stack[inner:]
    stack.append(node)
    return True


def rule_named(parser: PegParser, e: int, name: str) -> str:
    """Element ``e`` missing where the furthest failure expected only the tokens it
    begins with: its rule's ``display`` name where it has one ("expected a type", as
    the keyword level says, not "expected a name or '['"); '' otherwise."""
    t = parser.t
    if parser.ops[e] != OP_RULE or not name:
        return ""
    if name != t.names[e] or name == t.rule_kind[parser.rule_of[e]].replace("_", " "):
        return ""  # (a rule without a ``display`` of its own)
    firsts = t.first_names[e]
    return name if firsts and all(x in firsts for x in parser.expected) else ""


def next_item_strands(parser: PegParser, q: int) -> bool:
    """An item that ended as written at ``q``, after looking past it, where the item
    parsed as written at ``q`` ends inside its line at a token no item can begin with
    (``b : array [1..8] of ;`` after a ``var`` section's declarations: the statement
    ``b``, then ':'): the item likely stopped short at a mistake of its own, as where
    it ``strands`` (``PegParser.reach_further`` then keeps it parsed in recovery mode
    where that reaches further with one error), not a line of statements' errors."""
    if q >= parser.n or parser.reach <= q:
        return False
    stack = parser.stack
    mark = len(stack)
    reach = parser.reach
    r = parser.item_fast(q)
    del stack[mark:]
    parser.reach = max(parser.reach, reach)
    return q < r < parser.n and not parser.bol[r] and parser.no_item_starts(r)
