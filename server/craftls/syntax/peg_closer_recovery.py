"""A block style's template (``PegTables.block_template``): a closer the layout gives to
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

Also (rec21b): a closer that is not its construct's last element (``'UNTIL' expr`` after
a REPEAT's body) is named as an orphan where its construct's line is deleted, and
reported where the body began; a construct whose header line is deleted (a CASE's
``CASE x OF``) is parsed from its list's first item, after one error there, as the
keyword level's ``parse_headless_arms`` does.

The parts block templates' recovery shares (``NO_MATCH``, ``ORPHAN_BODY``, ``closers_at``,
``remade``) live in ``peg_block_recovery``, imported from there: one name each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import kinds as K
from .peg_block_recovery import NO_MATCH, ORPHAN_BODY, closers_at, remade
from .peg_tables import (
    OP_AND,
    OP_CHOICE,
    OP_LIT,
    OP_NOT,
    OP_OPT,
    OP_PLUS,
    OP_RULE,
    OP_SEQ,
    OP_STAR,
)
from .tokens import PUNCT, TRIVIA
from .tree import HAS_ERROR, GreenNode, SyntaxError_

if TYPE_CHECKING:
    from .peg import PegParser
    from .peg_tables import PegTables

# ``clause_closers`` by the tables' identity (kept with them, so the identity holds)
_CLAUSE_CLOSERS: dict[int, tuple[PegTables, dict[str, str]]] = {}
# ``closing_words`` by the tables' identity (kept with them, so the identity holds)
_CLOSING_WORDS: dict[int, tuple[PegTables, frozenset[str]]] = {}
# ``headless_forms`` by the tables' identity, then by the list's turn
_HEADLESS_FORMS: dict[int, tuple[PegTables, dict[int, list[tuple[int, tuple[int, ...], int]]]]] \
    = {}


def layout_closers(parser: PegParser, p: int, end: int) -> list[int]:
    """The closers first on their line after ``p``'s, up to ``end``, that stand less
    indented than the line before them and no less than ``p``'s line (a closer back at
    an outer construct's level, after a deeper block's lines)."""
    closers, lit, bol = parser.closing_keys(), parser.lit, parser.bol
    leads = parser.line_leads()
    found: list[int] = []
    before = leads[p]
    last_line = end - 1  # (one at ``p``'s column on the item's last line is its own)
    while last_line > p and not bol[last_line]:
        last_line -= 1
    for c in range(p + 1, min(end, parser.n)):
        if not bol[c]:
            continue
        if lit[c] in closers and leads[p] <= leads[c] < before and (
                leads[p] < leads[c] or c < last_line):
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
    header = parser.line_text(first, last)
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


def misplaced_closer(parser: PegParser, p: int, end: int) -> int:
    """The item at ``p`` parsed clean up to ``end``, its last line a closer that stands
    deeper than the item's first line, and the next line back at the item's column or
    less beginning, at that column, with a closer of the same construct: the layout says
    that closer is the item's, and the deeper one an orphan (a block inside lost its
    opener: ``if (x)`` without its ``{``, the ``}`` that closed that block closed the
    routine; an inner loop's header deleted: its ``fin para`` closed the outer loop,
    whose own one then closed nothing); the deeper closer's first token, or NO_MATCH.
    A closer is a literal that closes a sequence after a list (``closing_keys``:
    ``'}'``, ``'end'``) on both lines, or else a rule that names its construct (``'fin'
    (!NEWLINE 'para')?``, ``closers_at``), one of them matching on both lines, or else
    the first word of a closer that may go on with a name (``'NEXT' (!NEWLINE IDENT)?``,
    ``closing_words``) on both lines. What it looks at is noted in ``reach``."""
    bol, lit = parser.bol, parser.lit
    n = parser.n
    last = end - 1
    while last > p and not bol[last]:
        last -= 1
    if last <= p:
        return NO_MATCH
    # the lines' indentation read line by line (``lead_of``): asked of every clean item,
    # ``line_leads`` would work out every token's (~8 % of a clean parse)
    column = parser.lead_of(p)
    if parser.lead_of(last) <= column:
        return NO_MATCH
    closers = parser.closing_keys()
    literal = lit[last] in closers
    mine = [] if literal else closers_at(parser, last)
    words = closing_words(parser) if not literal and not mine else frozenset()
    if not literal and not mine and lit[last] not in words:
        return NO_MATCH
    j = end
    while j < n and not (bol[j] and parser.lead_of(j) <= column):
        j += 1
    parser.reach = max(parser.reach, j)
    if j >= n or parser.lead_of(j) != column:
        return NO_MATCH
    if literal and lit[j] in closers:
        return last
    if words:
        return last if lit[j] in words else NO_MATCH
    if literal:
        mine = closers_at(parser, last)
    return last if mine and set(mine) & set(closers_at(parser, j)) else NO_MATCH


DOUBLED = " written twice"  # (``PegParser.doubled_message``)


def closing_words(parser: PegParser) -> frozenset[str]:
    """The literal keys a construct's last element after a list begins with where that
    element is a closer that may go on with a name (``'NEXT' (!NEWLINE IDENT)? /
    end_for``: NEXT, END), which ``closer_of`` (words only) and ``closing_keys`` (a
    literal) leave out: an element that begins with literals only, not an option.
    Worked out once per grammar."""
    t = parser.t
    kept = _CLOSING_WORDS.get(id(t))
    if kept is not None and kept[0] is t:
        return kept[1]
    ops, kids = parser.ops, parser.kids
    found: set[str] = set()
    for e, parts in enumerate(kids):
        if ops[e] != OP_SEQ or len(parts) < 2 or ops[parts[0]] != OP_LIT:
            continue
        last = parts[-1]
        if ops[last] in (OP_OPT, OP_STAR, OP_PLUS, OP_LIT) \
                or not any(parser.list_like(k, 2) for k in parts[1:-1]):
            continue
        found |= first_words(parser, last, 4)
    words = frozenset(found)
    if len(_CLOSING_WORDS) >= 64:
        _CLOSING_WORDS.clear()
    _CLOSING_WORDS[id(t)] = (t, words)
    return words


def word_closer_orphan(parser: PegParser, p: int) -> str:
    """Token ``p``, first on its line, a ``closing_words`` word that nothing open took (a
    FOR's header deleted: ``NEXT j``): "'NEXT' without 'FOR'", the closer's words (as the
    construct's last element matches it, without the name after them) and the
    construct's first word, as the keyword level names it; '' where it is none, or closes constructs of several words."""
    if p >= parser.n or not parser.bol[p] or parser.lit[p] not in closing_words(parser):
        return ""
    ops, kids, stack = parser.ops, parser.kids, parser.stack
    mark = len(stack)
    openers: set[str] = set()
    end = p
    track, parser.track = parser.track, False  # (a look, no expectation of the item's)
    for e, parts in enumerate(kids):
        if ops[e] != OP_SEQ or len(parts) < 2 or ops[parts[0]] != OP_LIT \
                or ops[parts[-1]] in (OP_OPT, OP_STAR, OP_PLUS, OP_LIT) \
                or parser.lit[p] not in first_words(parser, parts[-1], 4) \
                or not any(parser.list_like(k, 2) for k in parts[1:-1]):
            continue
        r = parser.ev(parts[-1], p, False)
        del stack[mark:]
        if r > p:
            openers.add(parser.t.names[parts[0]])
            end = max(end, r)
    parser.track = track
    if len(openers) != 1 or end <= p:
        return ""
    words = p + 1  # (its words: ``NEXT``, not the name it goes on with)
    while words < end and parser.lit[words]:
        words += 1
    written = " ".join(parser.tokens[parser.index[i]][1] for i in range(p, words))
    return f"'{written}' without {openers.pop()}"


def first_words(parser: PegParser, e: int, depth: int) -> frozenset[str]:
    """The literal keys ``e`` begins with where each of its alternatives begins with a
    literal, past lookaheads (``'NEXT' (!NEWLINE IDENT)? / end_for``, ``end_for: !(...)
    'END' ...``: NEXT, END); none where one may begin otherwise."""
    ops, kids = parser.ops, parser.kids
    op = ops[e]
    if op == OP_LIT:
        return frozenset((parser.keys[e],))
    if depth <= 0:
        return frozenset()
    if op == OP_RULE:
        return first_words(parser, parser.t.rule_expr[parser.rule_of[e]], depth - 1)
    if op == OP_CHOICE:
        found: list[frozenset[str]] = [first_words(parser, k, depth - 1) for k in kids[e]]
        return frozenset().union(*found) if all(found) else frozenset()
    if op == OP_SEQ:
        parts = [k for k in kids[e] if ops[k] not in (OP_NOT, OP_AND)]
        return first_words(parser, parts[0], depth - 1) if parts else frozenset()
    return frozenset()


def token_spans(elements: list[object], p: int) -> dict[int, tuple[int, int]]:
    """Each node's first and last significant token (by ``id``) in ``elements``, whose
    tokens begin at significant token ``p``; a node without one is left out."""
    spans: dict[int, tuple[int, int]] = {}
    at = p
    todo: list[tuple[object, int]] = [(x, -1) for x in reversed(elements)]
    while todo:
        x, first = todo.pop()
        if first >= 0:
            if at > first:
                spans[id(x)] = (first, at - 1)
        elif type(x) is GreenNode:
            todo.append((x, at))
            todo.extend((c, -1) for c in reversed(x.children))
        elif x[0] not in TRIVIA:  # type: ignore[index]
            at += 1
    return spans


def orphan_path(children: tuple[object, ...] | list[object], spans: dict[int, tuple[int, int]],
                c: int) -> list[tuple[tuple[object, ...] | list[object], int]]:
    """The path down to the ERROR node over the orphan closer ``c``: each level's
    children and the index taken; [] if there is none."""
    for i, x in enumerate(children):
        if type(x) is not GreenNode or id(x) not in spans:
            continue
        first, last = spans[id(x)]
        if not first <= c <= last:
            continue
        if x.kind == K.ERROR and x.error and first == c:
            return [(children, i)]
        below = orphan_path(x.children, spans, c)
        return [(children, i), *below] if below else []
    return []


def block_begins(parser: PegParser, siblings: tuple[object, ...] | list[object], at: int,
                 spans: dict[int, tuple[int, int]], c: int) -> int:
    """The index among ``siblings`` of the first of the items right before the orphan
    closer ``c`` (at ``at``) that begin lines deeper than its line: the body of the
    construct whose opener was deleted (with the item at the closer's column before
    them whose body is one statement on the lines after its header, where the closer
    ends a block: its BEGIN or '{' deleted, as the keyword level's ``lost_braces``);
    -1 if none."""
    bol, leads = parser.bol, parser.line_leads()
    column = leads[c]
    lost = block_closer(parser, c)
    first = -1
    for j in range(at - 1, -1, -1):
        x = siblings[j]
        if type(x) is not GreenNode:
            if x[0] in TRIVIA or x[0] == PUNCT:  # type: ignore[index]
                continue  # (a list's separator)
            break
        if id(x) not in spans or x.kind == K.ERROR:
            break
        start, last = spans[id(x)]
        if not bol[start]:
            break
        if leads[start] > column:
            first = j
            continue
        if lost and leads[start] == column and any(bol[t] for t in range(start + 1, last + 1)) \
                and leads[last] > column and not ends_with_chain(parser, x):
            first = j
        break
    return first


def ends_with_chain(parser: PegParser, node: GreenNode) -> bool:
    """The node's last line belongs to an ELSE or ELSE IF part, a rule the ``run:``
    annotations take as a construct's ``else`` or ``elif`` part (``PegTables.
    chain_parts``): which of a chain's parts lost its opener is not known."""
    parts = parser.t.chain_parts
    last = node
    while True:
        kids = [k for k in last.children if type(k) is GreenNode]
        if not kids:
            return False
        last = kids[-1]
        if last.kind in parts:
            return True


def block_words(parser: PegParser) -> tuple[frozenset[str], frozenset[str]]:
    """The opening and the closing literals of the blocks (a sequence of its opening
    literal, lists and its closer: ``'{' statement* '}'``)."""
    ops, kids, keys = parser.ops, parser.kids, parser.keys
    parser.closer_of(0)  # (made on first use)
    openers: set[str] = set()
    closers: set[str] = set()
    for x, k in enumerate(parser.closers or ()):
        parts = kids[x]
        if k >= 0 and ops[k] == OP_LIT and ops[parts[0]] == OP_LIT and all(
                ops[j] in (OP_OPT, OP_STAR, OP_PLUS) for j in parts[1:-1]):
            openers.add(keys[parts[0]])
            closers.add(keys[k])
    return frozenset(openers), frozenset(closers)


def block_closer(parser: PegParser, c: int) -> bool:
    """The closer at ``c`` ends a block (``block_words``), whose opener a statement's
    header may have lost."""
    return parser.lit[c] in block_words(parser)[1]


def move_before_construct(parser: PegParser, mark: int, path: list[tuple[tuple[object, ...]
                          | list[object], int]], c: int) -> None:
    """The orphan closer ``c`` inside a construct that begins its line at the closer's
    column (``if (x)`` whose ``{`` was deleted, the closer before its ``else``): the
    error moves before the construct, the closer the rest of it."""
    siblings, at = path[-1]
    orphan = siblings[at]
    assert type(orphan) is GreenNode
    replaced: tuple[object, ...] = (*siblings[:at], GreenNode(K.ERROR, orphan.children),
                                    *siblings[at + 1:])
    outer, i = path[-2]
    node = outer[i]
    assert type(node) is GreenNode
    moved = GreenNode(K.ERROR, (), f"{orphan.error}{ORPHAN_BODY}")
    rebuild(parser, mark, path[:-2],
            (*outer[:i], moved, remade(node, list(replaced)), *outer[i + 1:]))


def rebuild(parser: PegParser, mark: int, path: list[tuple[tuple[object, ...] | list[object], int]],
            replaced: tuple[object, ...]) -> None:
    """The nodes along ``path`` made again around ``replaced`` (the children of the
    last), up to the step's elements on the stack."""
    for children, i in reversed(path):
        node = children[i]
        assert type(node) is GreenNode
        replaced = (*children[:i], remade(node, list(replaced)), *children[i + 1:])
    parser.stack[mark:] = list(replaced)


def move_orphan_error(parser: PegParser, mark: int, p: int, c: int) -> None:
    """The step's one error is the orphan closer ``c`` (its elements on the stack from
    ``mark``, its tokens from ``p``): where the items right before it in its list begin
    deeper lines (``block_begins``), the error moves to the first of them, as the
    keyword level's ``wrap_orphan`` moves it, and the closer is the rest of it."""
    stack = parser.stack
    elements = stack[mark:]
    spans = token_spans(elements, p)
    path = orphan_path(elements, spans, c)
    if not path:
        return
    siblings, at = path[-1]
    first = -1
    if len(path) > 1:
        parent = path[-2][0][path[-2][1]]
        assert type(parent) is GreenNode
        start = spans[id(parent)][0]
        if parser.bol[start] and parser.line_leads()[start] == parser.line_leads()[c] \
                and block_closer(parser, c):
            move_before_construct(parser, mark, path, c)
            return
        if parser.lit[start] not in block_words(parser)[0]:
            return  # (a construct's part: which part lost its opener is not known)
    first = block_begins(parser, siblings, at, spans, c)
    if first < 0:
        return
    orphan = siblings[at]
    assert type(orphan) is GreenNode
    rest = GreenNode(K.ERROR, orphan.children)
    moved = GreenNode(K.ERROR, (), f"{orphan.error}{ORPHAN_BODY}")
    replaced: tuple[object, ...] = (*siblings[:first], moved, *siblings[first:at], rest,
                                    *siblings[at + 1:])
    rebuild(parser, mark, path[:-1], replaced)


def first_word_name(parser: PegParser, e: int, name: str) -> str:
    """The name a message gives element ``e`` missing: in a block style's template, a
    rule that can only begin with one literal by that literal ("expected 'BEGIN'", as
    the keyword level says, not the template's rule name "block")."""
    if not parser.t.block_template or parser.ops[e] <= OP_LIT:
        return name
    first = parser.t.first_names[e]
    if len(first) == 1 and first[0][:1] in "'\"":
        return first[0]
    return name


def found_where_written(text: str, errors: list[SyntaxError_]) -> list[SyntaxError_]:
    """A block style's template's errors placed as the keyword level places them: a
    zero-width error that names what it found ("expected an expression, found ';'"),
    which the engine places right after the token before it, goes to that token where
    only spaces on its line stand between (``(1 + ;``: at the ';', not after the '+');
    so does one that names a token written twice (``A A.Owner``: at the copy)."""
    placed: list[SyntaxError_] = []
    for error in errors:
        found = error.message.rpartition(", found ")[2]
        if error.message.endswith(DOUBLED):  # ("'A' written twice": at its copy)
            found = error.message[:-len(DOUBLED)]
        if error.start == error.end and len(found) > 2 and found[0] == found[-1] \
                and found[0] in "'\"":
            at = error.start
            while at < len(text) and text[at] in " \t":
                at += 1
            if at > error.start and text.startswith(found[1:-1], at):
                error = SyntaxError_(error.message, at, at)
        placed.append(error)
    return placed


# ---------------------------------------------------------------- a closer that is no
# construct's last element (``'REPEAT' body 'UNTIL' expr``)


def clause_closers(parser: PegParser) -> dict[str, str]:
    """By a literal's key: the quoted first word of the constructs that literal ends
    the block of without being their last element (a sequence that opens with a word,
    calls a ``lines`` rule, a list of items, then the literal, then no such list nor
    loop: ``'REPEAT' repeat_body 'UNTIL' expr``), '' where constructs of several words have it; what
    ``orphan_message`` names an orphan by where ``closer_of`` (a last element) knows
    none. Worked out once per grammar."""
    t = parser.t
    kept = _CLAUSE_CLOSERS.get(id(t))
    if kept is not None and kept[0] is t:
        return kept[1]
    ops, kids, keys = parser.ops, parser.kids, parser.keys
    found: dict[str, set[str]] = {}
    for x, parts in enumerate(kids):
        if ops[x] != OP_SEQ or len(parts) < 4 or ops[parts[0]] != OP_LIT:
            continue
        for i in range(2, len(parts) - 1):
            before = parts[i - 1]
            if ops[parts[i]] == OP_LIT and holds_lines(parser, before) \
                    and not any(holds_lines(parser, k) or ops[k] in (OP_STAR, OP_PLUS)
                                for k in parts[i + 1:]):
                found.setdefault(keys[parts[i]], set()).add(t.names[parts[0]])
    words = {key: next(iter(names)) if len(names) == 1 else "" for key, names in found.items()}
    if len(_CLAUSE_CLOSERS) >= 64:
        _CLAUSE_CLOSERS.clear()
    _CLAUSE_CLOSERS[id(t)] = (t, words)
    return words


def holds_lines(parser: PegParser, e: int) -> bool:
    """Expression ``e`` calls a ``lines`` rule (a block's list of items)."""
    return parser.ops[e] == OP_RULE and parser.t.rule_lines[parser.rule_of[e]]


def clause_closer_orphan(parser: PegParser, p: int) -> str:
    """Token ``p``, first on its line, a ``clause_closers`` word that nothing open took
    (the construct's first line deleted: ``until x < 1`` without its ``REPEAT``):
    "'until' without 'REPEAT'", as the keyword level names it; '' if it is none."""
    if p >= parser.n or not parser.bol[p]:
        return ""
    opener = clause_closers(parser).get(parser.lit[p], "")
    if not opener:
        return ""
    return f"'{parser.tokens[parser.index[p]][1]}' without {opener}"


def clause_orphan_moved(parser: PegParser, mark: int, p: int) -> None:
    """The step from ``p`` (its elements on the stack from ``mark``) parsed in recovery
    mode with one error, a ``clause_closer_orphan`` skipped: where the items right before
    it in its list begin deeper lines, the error moves to the first of them
    (``move_orphan_error``), as for an orphan closer that is its construct's last
    element."""
    elements = parser.stack[mark:]
    todo = [x for x in elements if type(x) is GreenNode and x.kinds & HAS_ERROR]
    found: GreenNode | None = None
    while todo:
        node = todo.pop()
        if node.kind == K.ERROR and node.error:
            if found is not None:
                return  # (more than one error)
            found = node
        todo.extend(x for x in node.children if type(x) is GreenNode and x.kinds & HAS_ERROR)
    if found is None or not found.children:
        return
    spans = token_spans(elements, p)
    if id(found) not in spans:
        return
    c = spans[id(found)][0]
    message = clause_closer_orphan(parser, c)
    if message and found.error == message:
        move_orphan_error(parser, mark, p, c)


# ---------------------------------------------------------------- a construct whose
# header line is deleted, its list's items left (``1: x := 2`` without ``CASE x OF``)


def headless_forms(parser: PegParser, body: int) -> list[tuple[int, tuple[int, ...], int]]:
    """The constructs an item of the list whose turn is ``body`` can be (through its
    sequences, choices and rules, a few levels down) that are a ``lines`` rule's
    sequence of an opening literal, a header (no list), then a loop over items (``'CASE'
    expr 'OF' case_arm* case_else? 'END'``): each as (its rule, its elements, the index
    of its loop). Worked out once per grammar and list."""
    t = parser.t
    kept = _HEADLESS_FORMS.get(id(t))
    if kept is None or kept[0] is not t:
        if len(_HEADLESS_FORMS) >= 64:
            _HEADLESS_FORMS.clear()
        kept = _HEADLESS_FORMS[id(t)] = (t, {})
    known = kept[1].get(body)
    if known is None:
        known = kept[1][body] = forms_below(parser, body)
    return known


def forms_below(parser: PegParser, body: int) -> list[tuple[int, tuple[int, ...], int]]:
    """``headless_forms``, worked out."""
    ops, kids, t = parser.ops, parser.kids, parser.t
    forms: list[tuple[int, tuple[int, ...], int]] = []
    seen: set[int] = set()
    todo = [(body, -1, 0)]
    while todo:
        e, rule, depth = todo.pop()
        if e in seen or depth > 6:
            continue
        seen.add(e)
        op = ops[e]
        if op == OP_RULE:
            r = parser.rule_of[e]
            todo.append((t.rule_expr[r], r, depth + 1))
        elif op == OP_SEQ:
            parts = kids[e]
            at = next((j for j, k in enumerate(parts) if ops[k] in (OP_STAR, OP_PLUS)), -1)
            if rule >= 0 and t.rule_lines[rule] and at >= 2 and ops[parts[0]] == OP_LIT \
                    and not any(holds_lines(parser, k) for k in parts[1:at]):
                forms.append((rule, parts, at))
            else:
                todo.extend((k, -1, depth + 1) for k in parts if ops[k] != OP_LIT)
        elif op in (OP_CHOICE, OP_OPT):
            todo.extend((k, -1, depth + 1) for k in kids[e])
    return forms


def tokens_in(x: object) -> int:
    """How many significant tokens element ``x`` (a token or a node) holds."""
    if type(x) is not GreenNode:
        return 0 if x[0] in TRIVIA else 1  # type: ignore[index]
    count = 0
    todo: list[object] = [x]
    while todo:
        y = todo.pop()
        if type(y) is GreenNode:
            todo.extend(y.children)
        elif y[0] not in TRIVIA:  # type: ignore[index]
            count += 1
    return count


def stack_index_of(parser: PegParser, s: int, q: int) -> int:
    """The index on the stack, which holds the tokens up to ``q``, of the first element
    of token ``s`` on; -1 where a node holds tokens before ``s`` too."""
    stack = parser.stack
    left = q - s
    i = len(stack)
    while left > 0 and i > 0:
        i -= 1
        left -= tokens_in(stack[i])
    return i if left == 0 else -1


def errors_in(elements: list[object], limit: int) -> int:
    """How many reported errors ``elements`` hold (counted up to ``limit``)."""
    found = 0
    todo = [x for x in elements if type(x) is GreenNode and x.kinds & HAS_ERROR]
    while todo and found < limit:
        node = todo.pop()
        if node.error is not None:
            found += 1
        todo.extend(x for x in node.children if type(x) is GreenNode and x.kinds & HAS_ERROR)
    return found


HEADLESS_FUEL = 60_000  # (as ``peg.OPENER_FUEL``: a look of its own, on a budget)


def headless_list(parser: PegParser, body: int, p: int, q: int, goes_on: frozenset[str]
                  ) -> int:
    """Recovery mode, a list begun at ``p`` (its turn ``body``) that cannot go on at
    token ``q``, inside the line whose first token ``s`` began the item it took last:
    where that line is the first item of a construct's list whose header line was
    deleted (``headless_forms``: ``1: x := 2;`` and the arms after it, no statement
    each wrong), the item is given back and the construct parsed from ``s`` on after
    one zero-width error ("expected 'CASE ... OF' before this case arm"), as the
    keyword level's ``parse_headless_arms``; kept where that is its one error, it runs
    past the line and the list goes on after it (``goes_on``: what continues or
    follows the list). Where it ended, or NO_MATCH."""
    n, bol, lit, cls = parser.n, parser.bol, parser.lit, parser.cls
    if q >= n or bol[q] or parser.opening or not parser.t.block_template:
        return NO_MATCH
    s = q
    while s > p and not bol[s]:
        s -= 1
    if not bol[s]:
        return NO_MATCH
    first = parser.first
    forms = [(r, parts, at) for r, parts, at in headless_forms(parser, body)
             if (f := first[parser.kids[parts[at]][0]]) is not None
             and (lit[s] in f or cls[s] in f)]
    at_stack = stack_index_of(parser, s, q) if forms else -1
    if at_stack < 0:
        return NO_MATCH
    line_end = q
    while line_end < n and not bol[line_end]:
        line_end += 1
    parser.reach = max(parser.reach, line_end)
    stack, t = parser.stack, parser.t
    given = stack[at_stack:]
    del stack[at_stack:]
    far, expected, tried = parser.far, parser.expected[:], len(parser.tried)
    fuel, starved = parser.fuel, parser.starved
    budget = parser.fuel = min(fuel, HEADLESS_FUEL)
    saved = parser.frame
    parser.opening = True  # one at a time: the construct's lists recover as they are
    best, kept = NO_MATCH, given
    for rule, parts, at in forms:
        parser.frame = s
        header = [t.names[k][1:-1] for k in parts[:at] if parser.ops[k] == OP_LIT]
        opened = f"{header[0]} ... {header[-1]}" if len(header) > 1 else header[0]
        item = t.names[parser.kids[parts[at]][0]]
        parser.error_here(f"expected '{opened}' before this {item}")
        r = parser.rest_of(parts[at - 1:], s)
        if r > max(best, line_end) and errors_in(stack[at_stack:], 2) == 1 \
                and r < n and (lit[r] in goes_on or cls[r] in goes_on):
            best = r
            kept = [GreenNode(t.rule_kind[rule], tuple(stack[at_stack:]))]  # type: ignore[arg-type]
            parser.taint = True  # (what the line is depends on the lines after it)
        del stack[at_stack:]
    parser.opening = False
    parser.frame = saved
    if parser.fuel <= 0:
        parser.clear_memo()
    parser.fuel = fuel - (budget - parser.fuel)
    parser.starved = starved or parser.fuel <= 0
    parser.far, parser.expected = far, expected
    del parser.tried[tried:], parser.tried_at[tried:], parser.tried_depth[tried:]
    stack.extend(kept)
    return best
