"""Where recovery inside a block may resume: FOLLOW sets of a grammar's loops.

An item that fails as written is parsed again in recovery mode (``peg.py``). A loop
over the top-level items already skips a bad line there; a loop deeper down (the
statements between ``begin`` and ``end``, a Lua block, a BASIC ``IF`` body) used to
stop at the first token it could not take, so the whole enclosing construct failed,
and the file got a misleading error at the construct's start plus one at the token.

Panic-mode recovery with FOLLOW sets, as in LL parsers: a loop of a rule that holds a
list of items (``lines: true``: statements, declarations, case arms) that stops at a
token that neither its body can start with nor anything after the loop can start with
(in any context of the grammar) skips tokens, as one ``ERROR`` node, up to one of those
tokens and goes on. Such a token can never be taken by what follows, so a skip never
takes a token away from a correct parse. A loop that may be followed by any token
(``ANY``) never skips. Other loops (a table's fields, an expression's operators) do
not skip: there a missing closer (``{1, 2`` then a new statement) is the likelier
mistake, and the committed sequence around them reports it where it is.

A token that only the loop's body can start with (in FIRST of the body, not in FOLLOW
of the loop, no item's first word and no list's closer) starts an item of the list
whatever comes after it, so where the body fails there even in recovery mode, it is
parsed again *committed* from its first element (``Grid TGrid;`` in a ``var`` section
is a declaration whose ':' is missing, not the end of the section).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from . import peg_tables as T  # its OP_ codes by module: peg.py alone lists them
from .peg_tables import PegTables

ANY_KEY: Final = "*any*"  # any token can come here: a loop followed by it never skips
END_KEY: Final = "*end*"  # the end of the file
LINE_KEY: Final = "*line*"  # a line break (``NEWLINE``): a skip stops at a new line


@dataclass(frozen=True)
class LoopRecovery:
    """A loop's recovery: the token keys (literal or class) at which its skip stops,
    and those of them that only its body can start with (an item of the list begins
    there, whatever follows)."""

    stops: frozenset[str]
    starts: frozenset[str]
    # the words an item starts with that its body can start with too (Turbo Pascal's
    # ``procedure`` in an object's methods): an item of the list there only if, parsed
    # committed, it ends where the list goes on: at a token in ``goes_on``, what its
    # body can start with or what can follow it (``resync_list``)
    words: frozenset[str] = frozenset()
    goes_on: frozenset[str] = frozenset()
    # what can follow the loop (its FOLLOW set): a skip over a stray token is kept only
    # where the items after it run up to one of these (``PegParser.stray``)
    ends: frozenset[str] = frozenset()


def resync_stops(t: PegTables) -> dict[int, LoopRecovery]:
    """Loop expression -> its recovery: where its skip stops (what its body can start
    with, what can follow it, and where an item or a statement list can start or end)
    and where only its body can begin. Only loops of item lists; those followed by
    ``ANY`` are left out."""
    loops = _item_loops(t)
    if not loops and not t.lists:
        return {}
    first, nullable = _first_sets(t)
    follow = _follow_sets(t, first, nullable)
    extra = t.sync | t.closers
    found: dict[int, LoopRecovery] = {}
    for e in loops:
        body = first[t.kids[e][0]]
        keys = follow[e] | body
        if ANY_KEY not in keys:
            found[e] = LoopRecovery(frozenset(keys | extra),
                                    frozenset(body - follow[e] - extra),
                                    frozenset((body - follow[e]) & t.sync),
                                    frozenset(keys), frozenset(follow[e]))
    # a loop over the items (a block's statements, which recovers item by item): its
    # FOLLOW set only, where it can end (``PegParser.skip``)
    for e in t.lists:
        if ANY_KEY not in follow[e]:
            found[e] = LoopRecovery(frozenset(follow[e]), frozenset())
    return found


def follow_sets(t: PegTables) -> list[frozenset[str]]:
    """Each expression's FOLLOW set: the token keys (``END_KEY`` for the end of the
    file, ``ANY_KEY`` for any token) that can come right after a match of it, in any
    context of the grammar."""
    first, nullable = _first_sets(t)
    return [frozenset(keys) for keys in _follow_sets(t, first, nullable)]


def step_starts(t: PegTables) -> frozenset[str] | None:
    """The token keys a top-level step can start with: an item's FIRST, and the start
    rule's closing part's; None where any token can (``ANY``)."""
    first, nullable = _first_sets(t)
    keys = first[t.item] | _first_of_run(t.suffix, first, nullable)[0]
    return None if ANY_KEY in keys else frozenset(keys)


def loop_bodies(t: PegTables) -> frozenset[int]:
    """The expressions a loop may go on with (its body, a separator, a binary operator
    level's operator and operand): what they were expected for is optional, the
    tokens that may follow a finished part (an operand's operators, a name's
    suffixes), named in a message only where they are few."""
    found = {t.kids[e][0] for e, op in enumerate(t.ops) if op in (T.OP_STAR, T.OP_PLUS)}
    found.update(k for e, op in enumerate(t.ops) if op == T.OP_SEP for k in t.kids[e])
    found.update(t.level_body)
    return frozenset(found)


SEPARATORS: Final = frozenset({",", ";"})


def operator_turns(t: PegTables) -> dict[int, int]:
    """The turns of operator loops (``operand (('+' / '-') operand)*``: a sequence
    whose loop's body is a literal or a choice of literals, after elements that take no
    token, then the element the loop follows): each with the index of its operator in
    it. Once the operator matched, in recovery mode, the operand after it is missing
    where it fails (``recovering``)."""
    found: dict[int, int] = {}
    for e, op in enumerate(t.ops):
        if op != T.OP_SEQ:
            continue
        kids = t.kids[e]
        for before, loop in zip(kids, kids[1:], strict=False):
            if t.ops[loop] != T.OP_STAR or t.ops[t.kids[loop][0]] != T.OP_SEQ:
                continue
            body = t.kids[loop][0]
            turn = t.kids[body]
            at = 0
            while at < len(turn) and _takes_nothing(t, turn[at]):
                at += 1
            if at + 2 == len(turn) and _same(t, turn[at + 1], before) \
                    and _literals(t, turn[at]):
                found[body] = at
    return found


def _literals(t: PegTables, e: int) -> bool:
    """A literal or a choice of literals, or a call of a rule that is one of operators
    (Modula-2's ``add_operator: "'+' / '-' / 'OR'"``; not of separators, Lua's
    ``field_separator: "',' / ';'"``, whose list recovers as a list)."""
    rule = t.ops[e] == T.OP_RULE
    if rule:
        e = t.rule_expr[t.kids[e][0]]
    literals = (e,) if t.ops[e] == T.OP_LIT else tuple(t.kids[e]) \
        if t.ops[e] == T.OP_CHOICE else ()
    return bool(literals) and all(t.ops[k] == T.OP_LIT for k in literals) and not (
        rule and any(t.key_texts.get(t.keys[k]) in SEPARATORS for k in literals))


def _takes_nothing(t: PegTables, e: int) -> bool:
    """A lookahead, or a call of a rule that is one (``same_line: "!NEWLINE"``)."""
    if t.ops[e] == T.OP_RULE:
        e = t.rule_expr[t.kids[e][0]]
    return t.ops[e] in (T.OP_NOT, T.OP_AND)


def _same(t: PegTables, a: int, b: int) -> bool:
    """Two expressions that call the same rule (or are one)."""
    return a == b or (t.ops[a] == t.ops[b] == T.OP_RULE and t.kids[a] == t.kids[b])


def opener_rules(t: PegTables
                 ) -> tuple[tuple[tuple[int, frozenset[str]], ...], frozenset[str]]:
    """The rules of blocks (forms that hold a list of items) that begin with a word an
    item starts with: where a line fails as an item, one of them may be there without
    its first word (``x < 0 then ... end`` is an ``if`` without its ``if``), each with
    the literals written in it (not in the rules it calls); and the words items start
    with."""
    first, _ = _first_sets(t)
    words = frozenset(k for k in first[t.item] if k in t.literal_keys)
    found = []
    for r, e in enumerate(t.rule_expr):
        kids = t.kids[e]
        if t.ops[e] == T.OP_SEQ and len(kids) > 1 and t.ops[kids[0]] == T.OP_LIT \
                and t.keys[kids[0]] in words and _holds_items(t, e):
            found.append((r, _literals_in(t, e)))
    return tuple(found), words


def _literals_in(t: PegTables, e: int) -> frozenset[str]:
    found = set()
    todo = [e]
    while todo:
        i = todo.pop()
        if t.ops[i] == T.OP_LIT:
            found.add(t.keys[i])
        elif t.ops[i] != T.OP_RULE:
            todo.extend(t.kids[i])
    return frozenset(found)


def _holds_items(t: PegTables, e: int) -> bool:
    """Expression ``e`` holds a list of items (a block's statements), written in it
    or as a call of a ``lines`` rule."""
    todo = [e]
    while todo:
        i = todo.pop()
        if i in t.lists or i in t.lines_loops:
            return True
        if t.ops[i] == T.OP_RULE:
            r = t.kids[i][0]
            if t.rule_lines and t.rule_lines[r] or t.rule_expr[r] in t.lists:
                return True
            continue
        todo.extend(t.kids[i])
    return False


def _item_loops(t: PegTables) -> set[int]:
    """The loops written in the rules that hold a list of items (not through the rules
    they call), except loops over the top-level items."""
    loops: set[int] = set()
    todo = [t.rule_expr[r] for r, lines in enumerate(t.rule_lines) if lines]
    while todo:
        e = todo.pop()
        op = t.ops[e]
        if op in (T.OP_STAR, T.OP_PLUS, T.OP_SEP) and e not in t.lists:
            loops.add(e)
        if op != T.OP_RULE:
            todo.extend(t.kids[e])
    return loops


def _first_sets(t: PegTables) -> tuple[list[set[str]], list[bool]]:
    """FIRST (the keys a match can start with, ANY_KEY for any token) and whether the
    expression can match empty; lookaheads and line breaks take no token. ``PegTables``
    has FIRST sets too, but None there means "empty or anything", too coarse here."""
    n = len(t.ops)
    first: list[set[str]] = [set() for _ in range(n)]
    nullable = [False] * n
    changed = True
    while changed:
        changed = False
        for i in range(n):
            f, z = _first_of(t, i, first, nullable)
            if z != nullable[i] or not f <= first[i]:
                first[i] |= f
                nullable[i] = z
                changed = True
    return first, nullable


def _first_of(t: PegTables, i: int, first: list[set[str]], nullable: list[bool]
              ) -> tuple[set[str], bool]:
    op = t.ops[i]
    if op in (T.OP_LIT, T.OP_CLASS):
        return {t.keys[i]}, False
    if op == T.OP_ANY:
        return {ANY_KEY}, False
    if op in T.ZERO_WIDTH_OPS:
        return {LINE_KEY}, True
    if op in (T.OP_NOT, T.OP_AND):
        return set(), True
    kids = t.kids[i]
    if op == T.OP_RULE:
        target = t.rule_expr[kids[0]]
        return first[target], nullable[target]
    if op == T.OP_SEQ:
        return _first_of_run(kids, first, nullable)
    if op == T.OP_CHOICE:
        out: set[str] = set()
        for k in kids:
            out |= first[k]
        return out, any(nullable[k] for k in kids)
    if op in (T.OP_OPT, T.OP_STAR):
        return first[kids[0]], True
    return first[kids[0]], nullable[kids[0]]  # PLUS, SEP


def _first_of_run(run: tuple[int, ...], first: list[set[str]], nullable: list[bool]
                  ) -> tuple[set[str], bool]:
    """FIRST of elements in sequence, and whether all of them can match empty."""
    out: set[str] = set()
    for k in run:
        out |= first[k]
        if not nullable[k]:
            return out, False
    return out, True


def _follow_sets(t: PegTables, first: list[set[str]], nullable: list[bool]
                 ) -> list[set[str]]:
    """FOLLOW of every expression, as a fixed point over the rules: the keys that can
    come right after a match of it, in any context."""
    n = len(t.ops)
    follow: list[set[str]] = [set() for _ in range(n)]
    _seed_file(t, first, nullable, follow)
    changed = True
    while changed:
        changed = False
        for i in range(n):
            for k, keys in _passed_on(t, i, first, nullable, follow):
                if not keys <= follow[k]:
                    follow[k] |= keys
                    changed = True
    return follow


def _seed_file(t: PegTables, first: list[set[str]], nullable: list[bool],
               follow: list[set[str]]) -> None:
    """A file: the prefix, items, the suffix, the end."""
    after_items, open_end = _first_of_run(t.suffix, first, nullable)
    items_follow = first[t.item] | after_items | ({END_KEY} if open_end else set())
    follow[t.item] |= items_follow
    elements = (*t.prefix, t.item)
    for at, k in enumerate(t.prefix):
        keys, empty = _first_of_run(elements[at + 1:], first, nullable)
        follow[k] |= keys | (items_follow if empty else set())
    for at, k in enumerate(t.suffix):
        keys, empty = _first_of_run(t.suffix[at + 1:], first, nullable)
        follow[k] |= keys | ({END_KEY} if empty else set())


def _passed_on(t: PegTables, i: int, first: list[set[str]], nullable: list[bool],
               follow: list[set[str]]) -> list[tuple[int, set[str]]]:
    """What expression ``i`` adds to the FOLLOW sets of its parts."""
    op = t.ops[i]
    kids = t.kids[i]
    mine = follow[i]
    if op == T.OP_SEQ:
        out = []
        for at, k in enumerate(kids):
            keys, empty = _first_of_run(kids[at + 1:], first, nullable)
            out.append((k, keys | mine if empty else keys))
        return out
    if op in (T.OP_CHOICE, T.OP_OPT):
        return [(k, mine) for k in kids]
    if op in (T.OP_STAR, T.OP_PLUS):
        return [(kids[0], first[kids[0]] | mine)]
    if op == T.OP_SEP:
        body, separator = kids
        return [(body, first[separator] | mine), (separator, first[body])]
    if op == T.OP_RULE:
        return [(t.rule_expr[kids[0]], mine)]
    return []
