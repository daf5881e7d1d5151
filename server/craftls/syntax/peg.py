"""The PEG engine: a definition's grammar (``peg_tables``) run over the lexer's tokens,
building the same lossless green tree as the keyword-level parser.

Guarantees (the same as ``parser.py``):
* lossless: every token, trivia included, is in the tree; a node begins and ends with
  a significant token and trivia between two children belong to the parent;
* never fails: a file is a run of *steps*; a step is one item (the start rule's
  repeated element), the start rule's closing part at the end of the file, or one
  ``ERROR`` node over the tokens up to the next place an item can start (a new line in
  newline-separated languages, after ';', or a token an item can start with);
* one error per mistake: an item that fails as written is parsed again in recovery
  mode, where a sequence that began with a literal is *committed* (a missing element
  becomes a zero-width ``ERROR`` and the rest still parses) and a list of items skips a
  bad line as one ``ERROR`` and goes on until a token that can close the list;
* bounded: rule results are memoised per step (packrat; the table is emptied at each
  step), recursion is depth-limited and every step has a budget of expression
  evaluations (a fixed one, made four times bigger for a step that ran out while it
  took a token per few evaluations, within a spare amount per token of the file:
  ``refuel``), so no grammar and no input can hang the parser or exhaust the stack;
* incremental: a step depends only on the tokens from its first token on (and on
  whether a line break precedes it), so ``peg_incremental`` can parse one step again.
"""

from __future__ import annotations

import sys
import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING, Final, cast

from ..language.model import LanguageDefinition
from . import kinds as K
from .build import syntax_build
from .peg_block_recovery import (
    clause_before,
    closer_names,
    closer_remnant,
    closing_message,
    ends_block,
    ends_its_block,
    error_at_orphan_body,
    indentation_errors,
    item_end_message,
    item_sequence,
    missing_at_the_end,
    named_stray,
    next_item_strands,
    orphan_block,
    orphan_clause_moved,
    remnant_message,
    rest_after_separator,
    rest_of_missing,
    rest_of_statement,
    rule_named,
    written_then_end_missing,
)
from .peg_closer_recovery import (
    clause_closer_orphan,
    clause_orphan_moved,
    closer_given_out,
    closing_words,
    first_word_name,
    headless_list,
    layout_closers,
    left_empty_at_close,
    misplaced_closer,
    missing_before_outer_closer,
    move_orphan_error,
    next_headings,
    runs_past_layout_closer,
    word_closer_orphan,
)
from .peg_fast import FastItem, holding_lists, memo_rules
from .peg_follow import (
    END_KEY,
    LINE_KEY,
    LoopRecovery,
    follow_sets,
    loop_bodies,
    opener_rules,
    operator_turns,
    resync_stops,
    step_starts,
)
from .peg_tables import (
    CLASS_IDENT,
    CLASS_KEYWORD,
    CLASS_NUMBER,
    CLASS_STRING,
    LINES_CHARS,
    LINES_SHIFT,
    OP_AND,
    OP_ANY,
    OP_CHOICE,
    OP_CLASS,
    OP_DEDENT,
    OP_INDENT,
    OP_LIT,
    OP_NEWLINE,
    OP_OPT,
    OP_PLUS,
    OP_RULE,
    OP_SEP,
    OP_SEQ,
    OP_STAR,
    SEMICOLON_KEY,
    ZERO_WIDTH_OPS,
    PegTables,
    list_loop,
    rejected,
    tables_for,
    token_keys,
)
from .preprocess import preprocess
from .tokens import COMMENT, LEX_ERRORS, NEWLINE, STRING, TRIVIA, WHITESPACE, Token
from .tree import HAS_ERROR, GreenNode, SyntaxNode, kind_bit

if TYPE_CHECKING:
    # compiled by mypyc, a machine integer: the fuel and depth are counted on every
    # evaluation, without the tagged integer's checks (pure Python: an int)
    from mypy_extensions import i64

# nested expression evaluations (each at most three Python frames): a grammar with one
# rule per precedence level (Lua's twelve) spends about 25 on a parenthesised operand,
# and real programs nest calls, functions and parentheses ten deep
MAX_DEPTH: Final = 400
FRAMES_PER_DEPTH: Final = 3
CALLER_FRAMES: Final = 600  # the server's and the features' own frames below a parse
STEP_FUEL: Final = 400_000  # expression evaluations per step: ends any pathological grammar
# a step that ran out of fuel while it looked at a token per this many evaluations or
# fewer was making progress (a data file's one ``return { ... }`` of 100,000 tokens), not
# stuck: it is parsed again with four times the fuel (twice cost a third more on a 900 KB
# table: each attempt runs the fast path, then the interpreter, until the fuel ends).
# What a parse may take so is at most this much per token of the file (``spare_fuel``):
# the work stays linear in the file's length
FUEL_PER_TOKEN: Final = 32
MAX_EXPECTED: Final = 4
# how much deeper than the shallowest evaluation that expected something at a token
# another one's expectations there still count for a message (``wanted_at``): a
# sequence's own loops and options (the ',' of an argument list before its ')')
EXPECTED_DEPTH: Final = 3
NO_MATCH: Final = -1
REFUELLED: Final = -2  # a step ran out of fuel, to be parsed again with more (``refuel``)
NOT_KEPT: Final = -3  # the memo holds no result for a rule at a position (``kept_end``)
TOO_MANY: Final = "*"  # an expected token without a name: the message says "unexpected"
NO_KEY: Final = "\0"  # a key no token has
# expression evaluations a block without its opening word may take (``missing_opener``)
OPENER_FUEL: Final = 60_000
# ``PegParser.spotless``: a try kept only without errors, or also without skips
SPOTLESS: Final = 1
SPOTLESS_SKIPS: Final = 2
# how many parses with a doubled opener as the error a step may try (``doubled_opener``)
DOUBLED_TRIES: Final = 4
# how many parses with a stray closer as the error a step may try (``stray_closer``)
STRAY_TRIES: Final = 3
# how ``retry_item`` keeps a parse again (``retry_kept``)
RETRY_STRAY: Final = 0
RETRY_RECOVERED: Final = 1
RETRY_CLOSE: Final = 2
RETRY_SKIPPED: Final = 3
RETRY_LAYOUT: Final = 4  # (``peg_closer_recovery``)
# a sequence's guard (``guard_of``) is checked only where no depth or fuel limit can end
# the sequence within its elements (a guard has a few; a rule's sequence is one level more)
GUARD_DEPTH: Final = MAX_DEPTH - 4
GUARD_FUEL: Final = 64
GUARD_LENGTH: Final = 8
PUNCT_PREFIX: Final = "p:"  # a punctuation token's literal key begins with it (``token_keys``)
LITERAL_AHEAD: Final = 32  # tokens a missing literal is looked for ahead (``literal_ahead``)
KNOWN_TOKENS: Final = 100_000  # bounds ``PegTables.known_tokens`` (distinct tokens)
# token positions whose int objects are kept between parses (``token_positions``): a
# 16,000-line file's tokens, 4.7 MB at most
POSITIONS_KEPT: Final = 1 << 17


# the generated fast path (``peg_fast``) parses items as written; the interpreter below
# does everything else (recovery, expectations, completion) and what the fast path hands
# back. Pure Python only: compiled by mypyc, the interpreter runs faster than generated
# Python does (docs/performance.md). Not Final: the tests compare the two on one build.
FAST_PATH = syntax_build() != "compiled"
# where each significant token ends kept in a list (``PegParser.end_of``): interpreted only
KEEP_ENDS: Final = FAST_PATH
_FAST_LOCK: Final = threading.Lock()
_RESYNC_LOCK: Final = threading.Lock()
_MODES_LOCK: Final = threading.Lock()
_PAIRS_LOCK: Final = threading.Lock()  # new pair ids and their ``FirstRows``
# how a rule is called as written, when no expectations are noted (``call_modes_for``)
CALL_PLAIN: Final = 0
CALL_MEMO: Final = 1
CALL_LINES: Final = 2
CALL_MEMO_LISTS: Final = 3  # ``CALL_MEMO``, for a rule whose node may hold a list of items
# the memo's slots per (rule, recovery): by the position's last bits, so that a rule
# called at several tokens of one statement (a name, an expression) mostly finds its own
# (sixteen: with four, a routine of the 10,000-line Pascal put 4,200 entries in the dict
# and asked it 12,500 times; with eight, the compiled parse of those lines still stored
# 4,200 entries there and asked it 10,800 times; with sixteen, none: -2 % instructions)
MEMO_WAYS_SHIFT: Final = 4
MEMO_WAYS_MASK: Final = (1 << MEMO_WAYS_SHIFT) - 1
# a rule's failure that took at most this many evaluations (a sequence's guard, a choice
# whose alternatives the token rules out) is not kept in the memo (``call_rule``)
CHEAP_FAILURE: Final = 2


def fast_item_for(tables: PegTables) -> FastItem | None:
    """The grammar's generated item parser, made once per tables (per definition)."""
    if not FAST_PATH:
        return None
    if not tables.fast:
        with _FAST_LOCK:
            if not tables.fast:
                tables.fast.append(FastItem(tables, MAX_DEPTH, STEP_FUEL))
    return cast(FastItem, tables.fast[0])


def resync_for(tables: PegTables) -> dict[int, LoopRecovery]:
    """Each loop's recovery (``peg_follow``): where its skip stops, where only its body
    can begin; worked out once per tables (per definition)."""
    if not tables.resync:
        with _RESYNC_LOCK:
            if not tables.resync:
                tables.resync.append(resync_stops(tables))
    return cast("dict[int, LoopRecovery]", tables.resync[0])


Openers = tuple[tuple[tuple[int, frozenset[str]], ...], frozenset[str]]


RecoverySets = tuple[frozenset[int], Openers, list[frozenset[str]], dict[int, int],
                     frozenset[str]]


def recovery_sets_for(tables: PegTables) -> RecoverySets:
    """``loop_bodies``, ``opener_rules``, ``follow_sets``, ``operator_turns`` and the
    block openers' words (the first literals of ``opener_rules``) of the tables, worked
    out once per tables (on the first error)."""
    if not tables.message_sets:
        with _RESYNC_LOCK:
            if not tables.message_sets:
                openers = opener_rules(tables)
                words = frozenset(tables.keys[tables.kids[tables.rule_expr[r]][0]]
                                  for r, _ in openers[0])
                tables.message_sets.append((loop_bodies(tables), openers,
                                            follow_sets(tables), operator_turns(tables),
                                            words))
    return cast("RecoverySets", tables.message_sets[0])


def call_modes_for(tables: PegTables) -> list[int]:
    """Per rule, how ``call_rule`` takes it as written while no expectations are noted
    (``PegParser.track`` off: the first parse of every item): a list of items
    (``CALL_LINES``), through the packrat memo (``CALL_MEMO``: the rules that
    backtracking can call twice at one position, or whose node may hold a list of items;
    ``peg_fast.memo_rules``, the generated fast path's choice; ``CALL_MEMO_LISTS`` for
    those whose node may hold a list of items), or evaluated each time (``CALL_PLAIN``:
    most rule calls, which would pay for a memo entry never read). Worked out once per
    tables (per definition).

    The result is the same either way: a rule called twice at a position after all is
    evaluated twice, to the same tree and looks. It may cost more of the step's fuel;
    should that run out, the item is parsed again from scratch, with the memo (``step``).
    While expectations are noted every rule goes through the memo, as before: a replay
    notes none, and which ones a message names depends on that."""
    if not tables.call_modes:
        with _MODES_LOCK:
            if not tables.call_modes:
                memo = memo_rules(tables)
                holding = holding_lists(tables)
                tables.call_modes.append(
                    [CALL_LINES if r in tables.lines_rules
                     else (CALL_MEMO_LISTS if r in holding else CALL_MEMO) if r in memo
                     else CALL_PLAIN for r in range(len(tables.rule_expr))])
    return cast("list[int]", tables.call_modes[0])


class RuleInfo:
    """What a rule call reads of its rule (``evaluate_rule``), in one object: one list
    read per call instead of one per table column (compiled by mypyc, a native class
    whose fields are read directly; a list read costs a reference count and a check)."""

    def __init__(self, expr: int, op: int, kind: str, keep: bool,
                 chain: tuple[int, ...] | None, guard: tuple[Element, ...],
                 error: str | None) -> None:
        self.expr = expr  # its expression
        self.op = op  # that expression's operator
        self.kind = kind
        self.keep = keep
        self.error = error  # a rejected form's message (``PegTables.rule_error``)
        self.chain = chain
        self.guard = guard  # its expression's ``guard_of``
        self.mode = CALL_PLAIN  # how ``call_rule`` takes it (``call_modes_for``)
        # its expression's ``Element`` (``evaluate`` runs a sequence from it directly)
        self.x: Element | None = None
        # its node's ``kind_bit`` (``GreenNode``'s ``bit``), on its first node: a kind
        # has a bit once a node of it is made, so the bits of the kinds a file makes stay
        # small ints (every rule's at once, Pascal's would need more than 62 bits)
        self.bit = 0


class MemoSlot:
    """One memo slot's entry (``PegParser.call_rule``): compiled by mypyc, a native class
    whose machine-integer fields are stored and compared without boxing (three list
    columns boxed the key at each store and read it back as an object)."""

    def __init__(self) -> None:
        self.key: i64 = -1  # ``memo_base + p`` of its entry (older than ``memo_base``: none)
        self.end: i64 = NO_MATCH  # where the rule ended less ``p`` (-1: it failed)
        self.made: object = None  # what it made


class Element:
    """What ``elements_in`` reads of one of its elements, in one object (as ``RuleInfo``)."""

    def __init__(self, e: int, op: int, key: str, first: frozenset[str] | None, fid: int
                 ) -> None:
        self.e = e  # the element's expression
        self.op = op
        self.key = key
        self.first = first
        self.fid = fid  # its FIRST set's column in ``FirstRows`` (-1: none)
        self.rule = -1  # the rule a rule call calls (``elements_in`` calls it directly)
        # a sequence's elements and guard (``rule_infos_for``), read by ``elements_in``
        self.elements: tuple[Element, ...] = ()
        self.guard: tuple[Element, ...] = ()


RuleInfos = tuple[list[RuleInfo], list[Element]]


def rule_infos_for(tables: PegTables) -> RuleInfos:
    """Each rule's ``RuleInfo`` and each expression as an ``Element`` (what ``ev`` reads
    of it: one list read instead of two or three; a sequence's with its elements and
    guard, ``guard_of``), made once per tables (per definition)."""
    if not tables.rule_infos:
        modes = call_modes_for(tables)  # (before the lock: it takes the lock itself)
        with _MODES_LOCK:
            if not tables.rule_infos:
                ops, kids = tables.ops, tables.kids
                fid = first_rows_for(tables).fid
                exprs = [Element(e, ops[e], tables.keys[e], tables.first[e], fid[e])
                         for e in range(len(ops))]
                elements = [tuple(exprs[k] for k in kids[e]) if ops[e] == OP_SEQ else ()
                            for e in range(len(ops))]
                guards = [guard_of(tables, row) for row in elements]
                rules = [RuleInfo(expr, ops[expr], tables.rule_kind[r], tables.rule_keep[r],
                                  tables.level_chain[r], guards[expr], tables.rule_error[r])
                         for r, expr in enumerate(tables.rule_expr)]
                for expr in tables.rule_expr:
                    guards[expr] = ()  # ``evaluate`` checks it, before the trivia
                for rule, mode in zip(rules, modes, strict=True):
                    rule.mode = mode
                    rule.x = exprs[rule.expr]
                for x, row, guard in zip(exprs, elements, guards, strict=True):
                    x.elements = row
                    x.guard = guard
                    if x.op == OP_RULE:
                        x.rule = kids[x.e][0]
                tables.rule_infos.append((rules, exprs))
    return cast("RuleInfos", tables.rule_infos[0])


def form_walk(tables: PegTables, body: int, levels: int,
              leading: bool) -> tuple[list[int], list[tuple[int, ...]], list[int]]:
    """``PegParser.first_form``'s walk of ``body``: the sequences through choices and
    rules ``levels`` deep (and, ``leading``, those first in a sequence, at its depth), in
    the order it offers them, each with the rule whose expression it is (-1: none), its
    elements, and the index past the sequences found under its first element (where
    the sequence itself fits, the walk does not go down into it)."""
    ops, kids, rule_expr = tables.ops, tables.kids, tables.rule_expr
    rules: list[int] = []
    seqs: list[tuple[int, ...]] = []
    skips: list[int] = []
    # (expression, its rule, depth); a negative expression ``-1 - i``: sequence ``i``'s
    # forms end here
    todo = [(body, -1, 0)]
    while todo:
        e, rule, depth = todo.pop()
        if e < 0:
            skips[-1 - e] = len(seqs)
        elif ops[e] == OP_RULE and depth < levels:
            r = kids[e][0]
            todo.append((rule_expr[r], r, depth + 1))
        elif ops[e] == OP_CHOICE and depth < levels:
            todo.extend((k, -1, depth + 1) for k in reversed(kids[e]))
        elif ops[e] == OP_SEQ:
            i = len(seqs)
            rules.append(rule)
            seqs.append(kids[e])
            skips.append(i + 1)
            if leading:
                todo.append((-1 - i, -1, depth))
                todo.append((kids[e][0], -1, depth))  # (``headless_block``)
    return rules, seqs, skips


def fitting_forms(tables: PegTables, body: int, levels: int, leading: bool,
                  fits: Callable[[tuple[int, ...]], bool]) -> list[tuple[int, tuple[int, ...]]]:
    """``PegParser.first_form``'s forms: the sequences of ``form_walk`` (kept per
    (body, levels, leading) in ``tables.form_walks``, the grammar walked once) whose
    elements ``fits``, each with its rule (-1: none), in the walk's order."""
    key = (body, levels, leading)
    walk = tables.form_walks.get(key)
    if walk is None:
        walk = tables.form_walks[key] = form_walk(tables, body, levels, leading)
    rules, seqs, skips = walk
    forms: list[tuple[int, tuple[int, ...]]] = []
    i, count = 0, len(seqs)
    while i < count:
        if fits(seqs[i]):
            forms.append((rules[i], seqs[i]))
            i = skips[i]  # (not the forms under its first element)
        else:
            i += 1
    return forms


def rule_calls_for(tables: PegTables) -> list[int]:
    """Per expression, the rule it calls (-1: not a rule call): ``kids[e][0]`` of a rule
    call, read by ``run`` without a tuple read and an unboxing per call."""
    if not tables.rule_calls:
        with _MODES_LOCK:
            if not tables.rule_calls:
                tables.rule_calls.append([kids[0] if op == OP_RULE else -1
                                          for op, kids in zip(tables.ops, tables.kids, strict=True)])
    return cast("list[int]", tables.rule_calls[0])


class FirstRows:
    """Whether a token can start an expression, by the token's pair id and the column
    of the expression's FIRST set (``fid``; a binary operator level's operators have
    one too, ``level_fid``): a list read and a byte read where a FIRST check made two
    set look-ups (the literal key, the class key). One row per pair id, made when the
    pair first appears (bounded, as the pair ids are); shared by every parse with the
    same tables (``first_rows_for``)."""

    def __init__(self, tables: PegTables) -> None:
        columns: dict[frozenset[str], int] = {}
        self.fid = [-1 if f is None else columns.setdefault(f, len(columns))
                    for f in tables.first]
        # a level's operators are literal keys: no class key is one, so the row's
        # test (the literal key or the class key in the set) is the literal's
        self.level_fid = [columns.setdefault(ops, len(columns)) if ops else -1
                          for ops in tables.level_ops]
        self.sets = list(columns)
        self.rows: list[bytes] = []

    def fill(self, pair_ids: dict[tuple[str, str], int]) -> None:
        """The rows of the pair ids made since the last call (the caller holds
        ``_PAIRS_LOCK``)."""
        rows = self.rows
        if len(rows) >= len(pair_ids):
            return
        by_id = {pair: key for key, pair in pair_ids.items()}
        while len(rows) < len(pair_ids):
            lit, cls = by_id[len(rows)]
            rows.append(bytes([1 if lit in f or cls in f else 0 for f in self.sets]))


def first_rows_for(tables: PegTables) -> FirstRows:
    """The tables' ``FirstRows``, made on first use."""
    if not tables.first_rows:
        with _PAIRS_LOCK:
            if not tables.first_rows:
                tables.first_rows.append(FirstRows(tables))
    return cast(FirstRows, tables.first_rows[0])


def guard_of(tables: PegTables, elements: tuple[Element, ...]) -> tuple[Element, ...]:
    """A sequence's first elements that each take exactly one token its FIRST set
    decides (a literal, a token class, a choice of those), then the element after them
    when its FIRST set is known: checked against the tokens before anything is pushed
    (``guard_miss``), a sequence that fails there (``call: IDENT args`` at a name
    without a ``(``) fails at once, noting what it would have noted. Empty where that
    would check no more than the caller's FIRST check of the first element."""
    ops, kids, first = tables.ops, tables.kids, tables.first
    guard: list[Element] = []
    for x in elements:
        if x.op in (OP_LIT, OP_CLASS) or (x.op == OP_CHOICE and x.first is not None and all(
                ops[k] in (OP_LIT, OP_CLASS) for k in kids[x.e])):
            guard.append(x)
            continue
        if first[x.e] is not None:
            guard.append(x)
        break
    return tuple(guard[:GUARD_LENGTH]) if len(guard) > 1 else ()


def starts_for(tables: PegTables) -> frozenset[str] | None:
    """The token keys a step can start with (``peg_follow.step_starts``), worked out
    once per tables (per definition)."""
    if not tables.step_starts:
        with _RESYNC_LOCK:
            if not tables.step_starts:
                tables.step_starts.append(step_starts(tables))
    return cast("frozenset[str] | None", tables.step_starts[0])


# the int objects of the token positions 0, 1, ... (``token_positions``), replaced whole
# by a longer list when a longer text needs one
_POSITIONS: Final[list[list[object]]] = [[]]


def token_positions(size: int) -> list[object]:
    """The int objects of the token positions up to ``size`` (or ``POSITIONS_KEPT``),
    made once and kept between parses: compiled by mypyc, a position stored in a list
    (``PegParser.index``) is otherwise a new int object, made per significant token
    and freed with the list (~2 % of a compiled parse)."""
    kept = _POSITIONS[0]
    if len(kept) < size and len(kept) < POSITIONS_KEPT:
        kept = cast("list[object]", list(range(min(max(size, 2 * len(kept)),
                                                   POSITIONS_KEPT))))
        _POSITIONS[0] = kept
    return kept


def ensure_recursion_room() -> None:
    """Raise the interpreter's recursion limit (never lower it) so that ``MAX_DEPTH``
    nested evaluations fit: the depth limit, not a RecursionError, is what stops a
    deep parse. Python 3.11 runs Python-to-Python calls without the C stack."""
    needed = MAX_DEPTH * FRAMES_PER_DEPTH + CALLER_FRAMES
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


class PegParser:
    def __init__(self, tables: PegTables, tokens: list[Token], starts_line: bool = True
                 ) -> None:
        ensure_recursion_room()
        self.t = tables
        self.tokens = tokens
        self.elements = cast("list[object]", tokens)
        newline_seen = starts_line
        fold = tables.fold
        # a token's keys, by the token: a file's thousands of tokens need a few hundred
        # key computations, and an edit's window mostly none
        known = tables.known_tokens
        if len(known) >= KNOWN_TOKENS:
            known.clear()
        pre = preprocess(tables.preprocessor, tokens, fold)
        hidden, expansions = pre.hidden, pre.expansions
        # a macro use's positions: the first matches the use's own token (``uses``), the
        # others (``continued``) match the rest of its body and add nothing to the tree
        self.uses: set[int] = set()
        self.continued: set[int] = set()
        # the columns at their largest, never grown (and copied) by appends, token by
        # token, nor cut to size after (a cut releases each item: ~1 % of a parse); only
        # their first ``n`` items are the significant tokens'
        size = len(tokens) + (sum(len(body) for body in expansions.values())
                              if expansions else 0)
        lit = [""] * size
        cls = [""] * size
        index = [0] * size
        # the positions as the int objects kept for them (none made per parse), written
        # through an object-typed view (compiled, an int-typed store boxes anew)
        positions = token_positions(len(tokens))
        kept = len(positions)
        index_objects = cast("list[object]", index)
        bol = [False] * size
        tid = [0] * size
        # interpreted, where each significant token ends is kept per token (``end_of``
        # reads it): there ``end_of``'s walk over the token lengths was ~100 M
        # instructions of a 10,000-line parse (~8 %); compiled, the walk is cheaper than
        # a boxed int per token
        keep_ends = KEEP_ENDS
        ends = [0] * size if keep_ends else []
        total = 0
        k = 0
        # tested once, not per token (compiled, a set's and a dict's truth are calls)
        preprocessed = bool(hidden) or bool(expansions)
        # no token is a lexical error (``GreenNode``'s ``clean``): such tokens are never
        # in ``known`` (``token_keys``), so this is noted where a token's keys are not found
        clean = True
        # each line break stands in a trivia token that sets ``bol`` (a newline, a
        # comment over lines): ``line_leads`` then reads the lines' first tokens only
        breaks_by_bol = not preprocessed and not tables.join_brackets \
            and not tables.blank_breaks
        for i, (kind, value) in enumerate(tokens):
            total += len(value)
            # the commonest trivia told apart by identity (the lexer's kinds are these
            # constants), and a significant token by its keys, known from its text and
            # kind (only significant tokens are kept there): a set look-up per token
            # (~6 M instructions of a 10,000-line parse) only for the others
            if kind is WHITESPACE:
                continue
            if kind is NEWLINE:
                newline_seen = True
                continue
            # by the text (its hash is kept with the string), the kind checked: a look-up
            # by the token would hash a tuple, boxed anew from its unpacked fields when
            # compiled
            found = known.get(value)
            # a known significant token goes straight to its columns (each test and
            # store here is paid per token: -15 % of this loop's instructions with the
            # rest below taken only where needed)
            if found is None or found[0] != kind or preprocessed:
                if found is None or found[0] != kind:
                    if kind in LEX_ERRORS:
                        clean = False
                    if kind in TRIVIA:
                        if kind == NEWLINE or (kind == COMMENT and "\n" in value):
                            newline_seen = True
                        elif "\r" in value or "\n" in value:
                            breaks_by_bol = False
                        continue
                    found = None
                if preprocessed and i in hidden:
                    continue  # a skipped preprocessor region: in the tree, between nodes
                body = expansions.get(i) if preprocessed else None
                if body is not None:
                    for at, shown in enumerate(body):
                        keys = self.token_keys(shown[0], shown[1], known)
                        (self.continued if at else self.uses).add(k)
                        _, lit[k], cls[k], tid[k] = keys
                        index[k] = i
                        if keep_ends:
                            ends[k] = total
                        bol[k] = newline_seen
                        newline_seen = False
                        k += 1
                    continue
                if found is None:
                    found = self.token_keys(kind, value, known)
                    if "\n" in value or "\r" in value:  # (never kept in ``known``)
                        breaks_by_bol = False
            _, lit[k], cls[k], tid[k] = found
            # interpreted, the position as enumerate made it; compiled, as an int
            # object kept for it (a store of the native int would box it anew)
            if keep_ends:
                index[k] = i
                ends[k] = total
            else:
                index_objects[k] = positions[i] if i < kept else i
            bol[k] = newline_seen
            newline_seen = False
            k += 1
        if tables.join_brackets:
            join_bracket_lines(tokens, index, bol, k)
        self.lit, self.cls, self.index, self.bol, self.tid = lit, cls, index, bol, tid
        self.clean = clean
        self.text_end = total  # where the last token ends
        self.ends = ends  # empty: not kept (``end_of`` walks)
        self.leads: list[int] | None = None  # ``line_leads``
        self.breaks_by_bol = breaks_by_bol
        self.bol_tokens = tokens  # (what ``bol`` was worked out from)
        # the significant tokens that begin a line and those that are brackets, worked
        # out on first use (an indented block template's ``deeper_runs``)
        self.line_firsts: list[int] | None = None
        self.bracket_marks: bytes | None = None
        # a window's tokens (an incremental reparse) may begin inside a line: the tokens
        # of that line before them (its indentation, for ``line_leads``); and the
        # indentation that ``INDENT`` compares with while the rule began before them
        self.line_before: list[Token] | None = None
        self.outer_lead: i64 = -1
        # the indentation of the line of the last significant token before the tokens
        # (a window's: what a block template's first step compares its own line with,
        # ``peg_block_recovery.orphan_after``); 0 where none comes before them (the
        # file's start)
        self.lead_before: i64 = 0
        # ``end_of``'s cursor: a token (an index in ``tokens``) and where it ends
        self.cursor: i64 = -1
        self.cursor_end: i64 = 0
        first_rows = first_rows_for(tables)
        if len(first_rows.rows) < len(tables.pair_ids):
            with _PAIRS_LOCK:
                first_rows.fill(tables.pair_ids)
        self.rows = first_rows.rows
        self.fid = first_rows.fid
        self.level_fid = first_rows.level_fid
        self.n = k
        # the furthest significant token the current step looked at (n or more: it
        # looked at the end of the tokens): its *lookahead extent*; the step's result
        # depends on nothing else than the tokens up to it (and whether a line break
        # precedes its first token; where the layout is read, its line's indentation,
        # and a block template's the line's before it: ``lead_before``), so an
        # incremental reparse keeps every step whose extent an edit misses
        self.reach = -1
        self.stack: list[object] = []
        # the turns of lists of items that failed as written, each with a budget of its
        # own and no limit ending an evaluation (``lines_repeat``, ``written_turn``), by
        # ``turn_key``: ``reach`` before and after it, and whether it noted what
        # it expected. Unclosed blocks nested as deep as the text is long each tried the
        # next one's turn as written, the rest of the text, at each level (the square of
        # its length); each is parsed so once. Emptied with the memo where the parse as
        # written may change (a doubled opener, a new step)
        self.failed_turns: dict[int, tuple[int, int, bool]] = {}
        self.cut_offs: i64 = 0  # evaluations the depth limit or the fuel ended (``cut_off``)
        self.memo_cut_offs: i64 = 0  # ``cut_offs`` when the memo was last emptied
        # a rule's result per (rule, position, recovery): where it ended, and its node
        # (it took a token) or the zero-width errors it made (none). Its first entry per
        # (rule, recovery, position modulo ``MEMO_WAYS``) since the memo was emptied is in
        # that slot (``slots``), the others in ``memo``: a look-up that finds nothing
        # (most of them) reads one list item, without a boxed key and a dict look-up
        self.memo: dict[object, tuple[int, object]] = {}
        # per slot its entry, made on the slot's first store (an edit's parse uses few);
        # ``clear_memo`` empties them all by moving ``memo_base`` on
        self.slots: list[MemoSlot | None] = \
            [None] * ((2 * len(tables.rule_expr)) << MEMO_WAYS_SHIFT)
        self.memo_base: i64 = 0
        self.leaves: dict[object, GreenNode] = {}
        # the same leaves by their token's text (a text's hash is kept with the string,
        # a token's is worked out at each look-up): the leaf of the first token with
        # that text that became one, its kind compared before it is used
        self.leaf_texts: dict[str, GreenNode] = {}
        self.frame = -1  # where the node being built starts (trivia before it is outside)
        self.depth: i64 = 0
        self.fuel: i64 = STEP_FUEL
        self.step_fuel: i64 = STEP_FUEL  # the current step's (``refuel``)
        self.starved = False  # the step's fuel ended an evaluation (not a budget of its own)
        self.spare_fuel: i64 = FUEL_PER_TOKEN * self.n
        self.far = -1
        self.expected: list[str] = []
        # every expectation noted in the step, where it was (``wanted_at``): the token
        # positions, and for each the expression that failed there (``~e``: each token
        # of its FIRST set) and how deep the evaluation was
        self.tried_at: list[int] = []
        self.tried: list[int] = []
        self.tried_depth: list[int] = []
        self.opening = False  # ``missing_opener`` is running
        # ``rest_without_opener`` is parsing a rest kept only without errors (SPOTLESS)
        # or not even a skip without a message (SPOTLESS_SKIPS): a list in it that has
        # one goes on no further (``item_list``, ``resync_list``); 0: none is
        self.spotless: i64 = 0
        self.form_words: dict[tuple[int, ...], frozenset[str]] = {}  # ``words_after_opener``
        self.following = False  # ``block_follows`` is running
        self.block_at = NO_MATCH  # where ``block_follows`` last ended a list
        # recovery: the tokens where a loop ended because a skip from there would have
        # taken the rest of the file (``resync_list``): only an outer level can take them
        # (``outer_only``); and where the loop just evaluated may have ended instead
        # (``recovering``): None, or the position and stack length after its last turn
        # that ended with a missing element at such a token
        self.left_out: set[int] = set()
        self.soft: tuple[int, int] | None = None
        self.commit_at = NO_MATCH  # sequences that begin here are committed (``committed``)
        # a sequence that begins here takes its doubled opener as an error
        # (``doubled_opener``)
        self.doubled_at = NO_MATCH
        self.doubled_tries = DOUBLED_TRIES  # how many more a step may make
        # a sequence whose closing literal is this token takes it as a stray instead, its
        # list going on after it (``stray_closer``)
        self.stray_at = NO_MATCH
        # a list that reaches this token ends there, the closer after it missing instead
        # of the token skipped (``closer_missing``)
        self.close_at = NO_MATCH
        # the innermost loop that reaches ``close_at`` ends there, the ones around it go
        # on (``closer_missing_by_layout``: a line back at an outer level)
        self.layout_close = False
        # a closer the layout gives to an outer construct (``peg_closer_recovery``)
        self.layout_closer = NO_MATCH
        # ``close_at`` is the next heading at the item's column (``next_headings``)
        self.layout_flat = False
        self.closing: frozenset[str] | None = None  # ``closing_keys``
        self.clauses: dict[str, list[tuple[int, int, int]]] | None = None  # ``clause_forms``
        # the closer of each sequence that ends with one after a list (``closer_of``,
        # on first use) and those of the sequences being recovered, innermost last
        # (``stray_end``)
        self.closers: list[int] | None = None
        self.open_closers: list[int] = []
        self.closer_list: list[int] = []  # the distinct closers
        self.opener_words: dict[int, str] = {}  # ``opener_word``, on first use
        self.tail_words: dict[int, frozenset[str]] = {}  # ``closer_remnant``, on first use
        self.ends_at = NO_MATCH  # where ``option_without_opener``'s form ended
        self.step_mark = 0  # where the current step's elements begin on the stack
        # the token keys a step can start with ({NO_KEY}: any), on first use (``strands``)
        self.starts: frozenset[str] | None = None
        # expectations are recorded (for messages and completion) only while this is
        # set: an item is parsed first without them, and again with them only if it fails
        self.track = True
        self.at_end: set[str] | None = None  # literal keys wanted at the end (completion)
        # those a lookahead looked for at the end (``words_expected_at`` tries each)
        self.maybe_end: set[str] | None = None
        # whether the end of the tokens is a line break (``NEWLINE`` matches there): not
        # where they stop at a cursor in the middle of a line (completion)
        self.end_breaks_line = True
        # completion: the old tree's items before the cursor (``ev_short_of_end``)
        self.known: KnownItems | None = None
        # an incremental reparse of a step: the old items a turn of a list of items may
        # take as they were (``incremental._OldItems``: where they end, NO_MATCH if none)
        self.reuse: Callable[[PegParser, int, int, int, bool], int] | None = None
        # table columns read on every step
        self.ops = tables.ops
        self.keys = tables.keys
        self.kids = tables.kids
        self.first = tables.first
        self.level_chain = tables.level_chain
        self.level_ops = tables.level_ops
        self.level_first = tables.level_first
        self.level_body = tables.level_body
        self.level_operand = tables.level_operand
        self.fast = fast_item_for(tables)
        # lists of items reparsed item by item (``lines_repeat``): the rules, their
        # loops, the kind bits of their nodes
        self.lines_rules = tables.lines_rules
        self.lines_loops = tables.lines_loops
        # (their bodies, and the loop of each: ``written_turn``)
        self.lines_bodies = {tables.kids[e][0]: e for e in tables.lines_loops}
        self.call_modes = call_modes_for(tables)
        self.rules, self.exprs = rule_infos_for(tables)
        self.rule_of = rule_calls_for(tables)
        self.lines_mask = 0
        for r in tables.lines_rules:
            self.lines_mask |= kind_bit(tables.rule_kind[r])
        # set when the current step's items may not be parsed again on their own: it was
        # parsed in recovery mode, something before a list looked into it, or a list
        # was replayed from the memo (``run_steps`` resets it per step)
        self.taint = False
        # what the fast path reads, by the names its generated code uses (the parser
        # itself is bound apart: a reference to it here would be a cycle, and a parse's
        # arrays would wait for the collector instead of going with the parser)
        self.env: dict[str, object] = {
            "lit": lit, "cls": cls, "tid": tid, "bol": bol, "index": index,
            "elements": self.elements, "stack": self.stack, "leaves": self.leaves,
            "n": self.n, "CLEAN": clean}

    def fast_env(self) -> dict[str, object]:
        if self.t.indented and "leads" not in self.env:  # what the fast path's INDENT reads
            self.env["leads"] = self.line_leads()  # (worked out already by a recovery's look)
        return self.env

    def token_start(self, p: int) -> int:
        """Where significant token ``p`` starts (``end_of`` is where it ends)."""
        return self.end_of(p) - len(self.tokens[self.index[p]][1])

    def end_of(self, p: int) -> int:
        """Where significant token ``p`` ends, in characters from the first token's start
        (what a step's and an item's lookahead are measured in): summed from the token
        asked before, as steps and items ask in the order of the text, rather than kept
        per token (a list of them made a boxed int per significant token, ~2 % of a
        compiled parse with its release); interpreted, read from ``ends``."""
        if self.ends:
            return self.ends[p]
        target: i64 = self.index[p]
        i = self.cursor
        end = self.cursor_end
        # read as tuples of any length (compiled, a ``Token`` is unpacked into its two
        # typed fields for its text's length)
        tokens = cast("list[tuple[object, ...]]", self.tokens)
        while i < target:
            i += 1
            end += len(cast(str, tokens[i][1]))
        while i > target:
            end -= len(cast(str, tokens[i][1]))
            i -= 1
        self.cursor = i
        self.cursor_end = end
        return end

    def item_lookahead(self, reach: int, r: int, depth: int) -> int:
        """The ``GreenNode.lookahead`` of a node that ends a turn of a list of items before
        significant token ``r`` (``lines_repeat``), the turns since the last such node
        having looked up to token ``reach``: the depth the turns ran at, and the
        characters from the node's end to the end of that token (past the last token: to
        one past its end)."""
        end = self.end_of(r - 1)
        seen = self.text_end + 1 if reach >= self.n else self.end_of(reach)
        return ((depth + 1) << LINES_SHIFT) | min(seen - end, LINES_CHARS)

    def token_keys(self, kind: str, text: str, known: dict[str, tuple[str, str, str, int]]
                   ) -> tuple[str, str, str, int]:
        """A token's (kind, literal key, class key, pair id), remembered in ``known`` by
        its text."""
        key, klass = token_keys(kind, text, self.t.fold)
        if key not in self.t.literal_keys:
            key = ""  # matches no literal
        pair_ids = self.t.pair_ids
        pair = pair_ids.get((key, klass))
        if pair is None:  # bounded: (literals + 1) x classes
            with _PAIRS_LOCK:
                pair = pair_ids.get((key, klass))
                if pair is None:
                    pair = pair_ids[(key, klass)] = len(pair_ids)
        keys = (kind, key, klass, pair)
        # (``clean``: a lexical error's keys are worked out each time; ``breaks_by_bol``:
        # those of a token over lines)
        if kind not in LEX_ERRORS and "\n" not in text and "\r" not in text:
            known[text] = keys
        return keys

    # ------------------------------------------------------------ the file

    def parse_file(self) -> GreenNode:
        p = 0
        if self.t.prefix:
            p = self.parse_prefix()
        while p < self.n:
            p = self.step(p)
        self.stack.extend(self.elements[self.index[self.n - 1] + 1 if self.n else 0:])
        return GreenNode(K.SOURCE_FILE, cast("tuple[GreenNode | Token, ...]",
                                             tuple(self.stack)))

    def parse_prefix(self) -> int:
        self.reset_step()
        for rec in (False, True):
            mark = len(self.stack)
            q = 0
            for e in self.t.prefix:
                q = self.ev(e, q, rec)
                if q < 0:
                    break
            if q > 0:
                return q
            del self.stack[mark:]
        return 0

    def clear_memo(self) -> None:
        """Empty the packrat memo (its slots by moving ``memo_base`` past their keys),
        and the turns known to fail as written (``failed_turns``)."""
        self.clear_turn_memo()
        if len(self.failed_turns):
            self.failed_turns.clear()

    def clear_turn_memo(self) -> None:
        """Empty the packrat memo before a list of items or its turn (``lines_repeat``),
        whose results depend on its own tokens only; ``failed_turns`` stays: a turn
        that failed as written fails there again, whatever the list around it."""
        self.memo_base += self.n + 1
        if len(self.memo):
            self.memo.clear()
        self.memo_cut_offs = self.cut_offs

    def reset_step(self) -> None:
        self.clear_memo()
        self.doubled_tries = DOUBLED_TRIES
        self.fuel = self.step_fuel
        self.starved = False
        self.far = -1
        self.expected = []
        self.tried_at.clear()
        self.tried.clear()
        self.tried_depth.clear()
        self.left_out.clear()

    def step(self, p: int) -> int:
        """One top-level step from significant token ``p``; returns where it ended
        (``reach`` is then how far it looked). A step that ran out of fuel while making
        progress is parsed again with more (``refuel``)."""
        taint = self.taint
        self.step_fuel = STEP_FUEL
        mark = len(self.stack)
        while True:
            end = self.step_once(p)
            if end != REFUELLED:
                self.step_fuel = STEP_FUEL
                if self.t.block_template and self.t.indented:
                    indentation_errors(self, p, end, mark)  # (the keyword level's)
                return end
            del self.stack[mark:]
            self.taint = taint

    def refuel(self, p: int) -> bool:
        """The step from ``p`` ran out of fuel: four times as much for it, if it looked at a
        token per ``FUEL_PER_TOKEN`` evaluations or fewer (it was making progress) and
        the parse has that much to spare. Decided by the step's own tokens alone (an
        incremental reparse decides as the whole file's did) but for the spare fuel,
        which only a pathological grammar or input runs out of."""
        more = 3 * self.step_fuel
        if self.step_fuel > FUEL_PER_TOKEN * (self.reach - p + 1) or more > self.spare_fuel:
            return False
        self.spare_fuel -= more
        self.step_fuel += more
        return True

    def step_once(self, p: int) -> int:
        """``step`` with the step's fuel; REFUELLED when the item ran out of it (as
        written or in recovery mode) and is to be parsed again with more (``refuel``)."""
        self.reset_step()
        self.reach = p
        mark = self.step_mark = len(self.stack)
        if self.t.block_template and (end := orphan_block(self, p)) > p:
            return end  # (lines whose construct's header was deleted, then its closer)
        end = self.item_fast(p)
        if self.starved and self.refuel(p):
            return REFUELLED
        if end > p:
            if not self.strands(end) and not self.cut_short(end) \
                    and not self.left_in_block(p, end) \
                    and not (self.t.block_template and next_item_strands(self, end)):
                return self.orphan_by_layout(p, end, mark) if self.t.block_template \
                    else end
            return self.reach_further(p, end, mark)
        self.taint = True  # recovery mode: its lists are no runs of items as written
        self.reset_step()  # parsed again from scratch, this time noting what it expected
        end = self.item_at(p)
        if self.starved and self.refuel(p):
            return REFUELLED
        if end > p:
            if _errors_in(self.stack[mark:], 2) > 1:
                end = self.stray_closer(p, end, mark, True)
            if _errors_in(self.stack[mark:], 2) > 1:
                end = self.closer_missing(p, end, mark)
            elif end < self.n:
                q = self.stray_before_skip(p, end, mark)
                end = q if q != end else self.outer_closer_by_layout(p, end, mark)
            elif self.t.block_template:
                # a block style's template only (its layout is the keyword level's
                # evidence); a grammar-defined language's answers stay its own
                q = self.closer_missing_by_layout(p, end, mark)
                end = q if q != end else self.outer_closer_by_layout(p, end, mark)
            if self.t.block_template:
                clause_orphan_moved(self, mark, p)  # (where its construct began)
            if self.strands(end) and self.ends_missing(mark):
                return self.rest_of_mistake(end, mark)
            return end
        if self.t.suffix:
            mark = len(self.stack)
            far, expected = self.far, self.expected  # the closing part is no expectation
            q = p
            for e in self.t.suffix:
                q = self.ev(e, q, False)
                if q < 0:
                    break
            self.reach = max(self.reach, q)  # the tokens it took, kept or given back
            if q > p and q >= self.n:
                return q
            del self.stack[mark:]
            self.far, self.expected = far, expected
        if self.t.block_template and (end := self.item_cut_short(p, mark)) > p:
            return end  # (``DIM q LIST = [1]``: its end missing at ``LIST``)
        end = self.missing_opener(p)
        if end > p:
            return end
        end = self.step_without_opener(p)
        if end > p:
            return end
        return self.skip_steps(p)

    def strands(self, q: int) -> bool:
        """An item that ended at ``q`` as written, after looking at token ``q`` (a loop
        that stopped there), leaves a token there that no item can start with: what
        comes next is no step of its own, so the item likely stopped short at a mistake
        of its own (a declaration section whose next line is wrong ended before it, and
        every line after it was an error of its own; ``x = function() ... end`` with a
        mistake in the function was the call statement ``x``). Only where it looked at
        ``q``: the step's result then still depends on no token past its lookahead."""
        if q >= self.n or self.reach < q:
            return False
        return self.no_item_starts(q)

    def item_firsts(self) -> frozenset[str]:
        """The keys an item can begin with (``NO_KEY`` among them: any token may)."""
        first = self.starts
        if first is None:
            first = self.starts = starts_for(self.t) or frozenset((NO_KEY,))
        return first

    def no_item_starts(self, q: int) -> bool:
        """No item can begin with token ``q`` (a clause's word: ``otherwise``)."""
        first = self.item_firsts()
        return NO_KEY not in first and self.lit[q] not in first and self.cls[q] not in first

    def cut_short(self, q: int) -> bool:
        """An item that ended at ``q`` as written, after looking past token ``q`` (a
        part of it that failed further on: ``f(a, function() ... end)`` with a mistake
        in the function is the call statement ``f``), leaves a token there, inside its
        line, at which no item can be parsed as written: the item likely stopped short
        at a mistake of its own, as where it ``strands``. What the look at ``q`` took is
        kept in ``reach``."""
        if q >= self.n or self.reach <= q or (self.t.newline_items and self.bol[q]):
            return False
        return self.no_item_at(q)

    def no_item_at(self, q: int) -> bool:
        """No item parses as written at ``q`` (what it made is dropped)."""
        mark = len(self.stack)
        end = self.item_fast(q)
        del self.stack[mark:]
        return end <= q

    def left_in_block(self, p: int, q: int) -> bool:
        """An item at ``p`` that ended as written at ``q``, the first token of a line
        indented deeper than the item's first line, where no item can be parsed as
        written (an ``INDENT`` grammar): the line is inside a block of the item, whose
        loop ended there as a PEG loop does at a line that is no statement. That line
        is the item's mistake (``reach_further`` keeps the item parsed in recovery mode,
        the line an error inside its block, where that is its one error), not a step of
        its own, which would take the block's lines after it out of the block."""
        if not self.t.indented or q >= self.n or not self.bol[q]:
            return False
        leads = self.line_leads()
        return leads[q] > leads[p] and self.no_item_at(q)

    def left_in_block_noted(self, p: int, q: int) -> bool:
        """``left_in_block`` inside a step in recovery mode (as ``cut_short_noted``)."""
        return self.t.indented and self.bol[q] and self.line_leads()[q] > \
            self.line_leads()[p] and self.cut_short_noted(q, True)

    def cut_short_noted(self, q: int, line: bool = False) -> bool:
        """``cut_short`` inside a step in recovery mode, whose evaluations note what they
        expected. The look at ``q`` evaluates without notes, in a memo of its own, as the
        fast path does: in the step's, the item parsed at ``q`` next would take the
        rules it evaluated from there without the notes of what they expected, and a
        message would name other tokens than with the fast path. ``line``: the look
        at a line's first token (``left_in_block_noted``), where no item parses."""
        if not line and (q >= self.n or self.reach <= q
                         or (self.t.newline_items and self.bol[q])):
            return False  # (``cut_short``'s own tests)
        # the item as written at ``q``, if the step's memo has it (an item as written
        # evaluated there already, noting what it expected): the same end. Unclosed
        # blocks nested as deep as the text each looked at the next one's item, whose
        # block is the rest of the text: parsed again at each level, the square of its
        # length; read from the memo, which the parse as written of the outermost
        # filled, once
        item = self.t.item
        if self.ops[item] == OP_RULE:
            end = self.kept_end(self.rule_of[item], q, False)
            if end != NOT_KEPT:
                return end <= q
        memo, slots, exact = self.memo, self.slots, self.memo_cut_offs
        self.memo = {}
        self.slots = [None] * len(slots)
        short = self.no_item_at(q)
        self.memo, self.slots, self.memo_cut_offs = memo, slots, exact
        return short

    def kept_end(self, r: int, p: int, rec: bool) -> int:
        """Where rule ``r``'s evaluation at ``p`` that the memo keeps ended (NO_MATCH: it
        failed), read as ``call_rule`` reads it; NOT_KEPT if the memo holds none, or if
        a limit ended an evaluation since the memo was emptied (its entries may then
        hold a failure the depth limit made, where an evaluation here would look
        further). Its looks are within ``reach`` already: the memo is emptied where
        ``reach`` is set back (``call_lines_rule``)."""
        if self.cut_offs != self.memo_cut_offs:
            return NOT_KEPT
        cell = self.slots[((r + r + rec) << MEMO_WAYS_SHIFT) | (p & MEMO_WAYS_MASK)]
        if cell is not None and cell.key == self.memo_base + p:
            return cell.end + p if cell.end >= 0 else NO_MATCH
        if len(self.memo):
            hit = self.memo.get(((r * (self.n + 1) + p) << 1) | rec)
            if hit is not None:
                return hit[0]
        return NOT_KEPT

    def reach_further(self, p: int, end: int, mark: int) -> int:
        """The item at ``p`` that ended as written at ``end`` (its elements on the stack
        from ``mark``) where no item can start (``strands``), parsed again in recovery
        mode: that one if it reaches further with one error, the mistake inside it
        then recovered instead of the item's end. With more, the item as written is
        kept and what follows it is one skip (``skip_steps``): the tokens after it
        are likelier no part of it (the statements of a main block whose ``begin`` is
        missing, after a ``var`` section, are no declarations). The step is tainted
        either way: which one it kept depends on more than its lists' items."""
        self.taint = True
        q = self.stray_closer(p, end, mark, False)
        if q > end:
            return q
        kept = self.stack[mark:]
        del self.stack[mark:]
        reach = self.reach
        self.reset_step()
        q = self.ev(self.t.item, p, True)
        if q > end and (_errors_in(self.stack[mark:], 2) == 1
                        or self.t.block_template and ends_its_block(self, p, q)):
            self.reach = max(self.reach, reach)
            return q
        del self.stack[mark:]
        q = self.missing_opener(p)
        self.reach = max(self.reach, reach)
        if q > end:
            return q
        self.stack.extend(kept)
        return end

    def stray_closer(self, p: int, end: int, mark: int, recovered: bool) -> int:
        """The item at ``p`` parsed up to ``end`` (its elements on the stack from
        ``mark``) as written where it strands, or in recovery mode with two errors or
        more: a closer written once too often (``end`` doubled inside a routine closed
        the routine there, and its statements after it were errors) taken as a stray,
        the list before it going on past it. Which closer: the first that begins its
        line at another indentation than its construct's first line (``stray_candidates``;
        a doubled one closes the construct around it, every one after it is off too). Kept
        if the item then reaches further (as far, where it was ``recovered``) with that
        one error; the item's end, its elements as they were, if none does."""
        if self.doubled_at != NO_MATCH or self.stray_at != NO_MATCH \
                or self.close_at != NO_MATCH:
            return end
        candidates = self.stray_candidates(self.stack[mark:], p)
        return self.retry_item(p, end, mark, candidates,
                               RETRY_RECOVERED if recovered else RETRY_STRAY)

    def retry_item(self, p: int, end: int, mark: int, candidates: list[int], mode: int
                   ) -> int:
        """The item at ``p`` (that ended at ``end``, its elements on the stack from
        ``mark``) parsed again in recovery mode with each candidate token in turn as the
        stray closer (``stray_at``) or, with ``RETRY_CLOSE``, as where a list ends before
        a missing closer (``close_at``): the first kept by ``retry_kept`` with one error is
        kept; else the item's end, its elements as they were."""
        if not candidates:
            return end
        stack = self.stack
        kept = stack[mark:]
        del stack[mark:]
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        fuel, starved, reach = self.fuel, self.starved, self.reach
        budget = self.fuel = min(fuel, OPENER_FUEL)
        best = NO_MATCH
        for c in candidates[:STRAY_TRIES]:
            self.clear_memo()
            if mode == RETRY_CLOSE:
                self.close_at = c
            elif mode == RETRY_LAYOUT:
                self.layout_closer = c
            else:
                self.stray_at = c
            q = self.ev(self.t.item, p, True)
            self.stray_at = self.close_at = self.layout_closer = NO_MATCH
            self.clear_memo()
            if not self.strands(q) and _errors_in(stack[mark:], 2) == 1 \
                    and self.retry_kept(mode, q, end):
                best = q
                if mode != RETRY_CLOSE and mode != RETRY_LAYOUT and self.t.block_template:
                    move_orphan_error(self, mark, p, c)  # (where its opener was)
                break
            del stack[mark:]
        self.fuel = fuel - (budget - self.fuel)
        self.starved = starved or self.fuel <= 0
        self.reach = max(self.reach, reach)
        if best > 0:
            self.taint = True
            return best
        stack.extend(kept)
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return end

    def retry_kept(self, mode: int, q: int, end: int) -> bool:
        """``retry_item``'s parse that ended at ``q`` with one error is kept: it reaches
        further than ``end`` (as far: ``RETRY_RECOVERED``, the item had more errors);
        ``RETRY_CLOSE``: or it ends short of ``end`` where items as written take the
        tokens up to there (a block closed earlier); ``RETRY_SKIPPED`` (the item had one
        error): it reaches further, and items as written do not take the tokens up to
        there (the steps after the item would have an error of their own)."""
        if mode in (RETRY_CLOSE, RETRY_LAYOUT):
            return q >= end or self.written_up_to(q, end)
        if mode == RETRY_SKIPPED:
            return q > end and not self.written_up_to(end, q)
        return q > end or mode == RETRY_RECOVERED and q == end

    def closer_missing(self, p: int, end: int, mark: int) -> int:
        """The item at ``p`` parsed in recovery mode up to ``end`` with two errors or
        more (its elements on the stack from ``mark``): a block's closer missing before
        a word that goes on with the construct around the block (``{ ... else { ...
        }``: the ``'}'`` before ``else`` missing) was taken for a stray word inside the
        block, and the closer of the block around it then missing too. Each of the first
        tokens skipped inside it (``skip_starts``) tried as where the list ends, the
        block's closer missing there (``retry_item``)."""
        if self.doubled_at != NO_MATCH or self.stray_at != NO_MATCH \
                or self.close_at != NO_MATCH:
            return end
        return self.retry_item(p, end, mark, self.skip_starts(self.stack[mark:], p),
                               RETRY_CLOSE)

    def closer_missing_by_layout(self, p: int, end: int, mark: int) -> int:
        """The item at ``p`` parsed in recovery mode up to the end of the file with one
        error (a closer missing there): where a block inside it lost its closer, the
        lines after the block, back at an outer level, were taken into it, and the
        item's own closer then closed it. Each line of the item that is no closer and
        stands less indented than the line before it, still deeper than the item's first
        line (a statement back at the level of the line that opened the block), tried as
        where the list ends, the block's closer missing there (``retry_item``,
        ``RETRY_CLOSE``): kept where the item then ends with that one error and items as
        written take the rest. A line back at the item's own level is no evidence (a
        Lua function without its ``end`` before the next statement: at the file's end)."""
        if self.doubled_at != NO_MATCH or self.stray_at != NO_MATCH \
                or self.close_at != NO_MATCH or not self.bol[p]:
            return end
        self.layout_close = True
        lines = [c for c in self.dedented_lines(p, end) if not self.no_item_starts(c)]
        end = self.retry_item(p, end, mark, lines, RETRY_CLOSE)  # (no clause's line)
        self.layout_close = False
        return end

    def outer_closer_by_layout(self, p: int, end: int, mark: int) -> int:
        """The item at ``p`` parsed in recovery mode up to ``end`` with one error, as
        no retry changed it: in a block style's template, each closer back at an outer
        level (``layout_closers``) tried as the outer construct's, the inner block's
        closer missing before it (``peg_closer_recovery``)."""
        if not self.t.block_template or not self.bol[p] or _errors_in(
                self.stack[mark:], 2) != 1 or self.doubled_at != NO_MATCH \
                or self.stray_at != NO_MATCH or self.close_at != NO_MATCH:
            return end
        if end < self.n:  # (at the file's end ``step_once`` tried these already)
            q = self.closer_missing_by_layout(p, end, mark)
            if q != end:
                return q
        q = self.retry_item(p, end, mark, layout_closers(self, p, end), RETRY_LAYOUT)
        if q != end:
            return q
        self.layout_close = self.layout_flat = True
        q = self.retry_item(p, end, mark, next_headings(self, p, end), RETRY_CLOSE)
        self.layout_close = self.layout_flat = False
        return q

    def orphan_by_layout(self, p: int, end: int, mark: int) -> int:
        """The item at ``p`` parsed clean up to ``end`` in a block style's template:
        where its own closer stands deeper than its first line and one at its column
        follows (``misplaced_closer``), the deeper one is tried as a stray
        (``stray_at``), kept where the item then reaches further with that one error."""
        bol = self.bol
        if not bol[p]:
            return end
        # what both ask first, once: an item whose last line stands no deeper than its
        # first (one line, or its closer back at its column: most clean items) has no
        # misplaced closer
        last = end - 1
        while last > p and not bol[last]:
            last -= 1
        if last <= p or self.lead_of(last) <= self.lead_of(p):
            return end
        c = misplaced_closer(self, p, end)
        if c < 0:
            return end
        q = self.retry_item(p, end, mark, [c], RETRY_STRAY)
        if q != end:
            self.taint = True
        return q

    def lead_of(self, k: int) -> int:
        """Significant token ``k``'s ``line_leads`` entry, worked out for it alone (a
        block template's clean item asks a few lines', ``misplaced_closer``): the
        whitespace before the first significant token of its line, from the last token
        that holds a line break (as ``line_indentations`` reads it). A window's tokens,
        macro expansions and joined bracket lines ask ``line_leads`` itself."""
        if self.leads is not None or self.line_before is not None or self.uses \
                or self.t.join_brackets:
            return self.line_leads()[k]
        tokens, index = self.tokens, self.index
        while True:
            i = index[k]
            stop = index[k - 1] if k > 0 else 0  # the token before it, or the first
            j = i - 1
            while j >= stop:
                value = tokens[j][1]
                if "\n" in value or "\r" in value:
                    return _lead_width("", tokens, j + 1, i)
                j -= 1
            if k == 0:  # the first line (no line break before it)
                return _lead_width("", tokens, 0, i)
            k -= 1  # on the line of the token before it

    def closes_here(self, p: int, q: int) -> bool:
        """A list in recovery mode from ``p`` ends at ``close_at`` (``q``): for
        ``closer_missing_by_layout`` only a list whose first line is deeper than the
        line ``q`` begins (the block that lost its closer; the lists around it go on)."""
        if not self.layout_close:
            return True
        leads = self.line_leads()
        return leads[p] > leads[q] or self.layout_flat and leads[p] >= leads[q]

    def dedented_lines(self, p: int, end: int) -> list[int]:
        """The first tokens of the lines after ``p``'s, up to ``end``, that are no closer
        and stand less indented than the line before them, deeper than ``p``'s."""
        closers, lit, bol = self.closing_keys(), self.lit, self.bol
        leads = self.line_leads()
        found: list[int] = []
        before = leads[p]
        for c in range(p + 1, end):
            if not bol[c]:
                continue
            if lit[c] not in closers and leads[p] < leads[c] < before:
                found.append(c)
            before = leads[c]
        return found

    def stray_before_skip(self, p: int, end: int, mark: int) -> int:
        """The item at ``p`` parsed in recovery mode up to ``end`` with one error, tokens
        skipped right after a closer at the start of a line (``for t in xs { if (x)
        a(); b(); } else { ... } } return 1; }``: the ``if`` lost its ``{``, its ``}``
        closed the loop, the ``else`` was skipped, and the routine's ``}`` then closed
        it early, the last ``}`` an error of its own): that closer tried as the stray
        (``stray_at``), kept where the item then reaches further past what items as
        written do not take (``RETRY_SKIPPED``)."""
        if self.doubled_at != NO_MATCH or self.stray_at != NO_MATCH \
                or self.close_at != NO_MATCH:
            return end
        closers, lit, bol = self.closing_keys(), self.lit, self.bol
        candidates = [c - 1 for c in self.skip_starts(self.stack[mark:], p)
                      if c - 1 > p and bol[c - 1] and lit[c - 1] in closers]
        return self.retry_item(p, end, mark, candidates, RETRY_SKIPPED)

    def written_up_to(self, q: int, end: int) -> bool:
        """Items as written run from ``q`` (past the item's end when a retry made it
        shorter: a block closed earlier) up to ``end`` or past it (what they push taken
        back): the tokens the item no longer takes are no errors of their own."""
        stack = self.stack
        mark = len(stack)
        r = q
        while 0 <= r < end:
            r = self.item_fast(r)
        del stack[mark:]
        return r >= end

    def skip_starts(self, elements: list[object], p: int) -> list[int]:
        """The first token of each run of tokens skipped as an error (an ERROR node with
        a message and tokens) in ``elements``, whose tokens begin at token ``p``."""
        found: list[int] = []
        at = p
        todo: list[object] = list(reversed(elements))
        while todo:
            x = todo.pop()
            if type(x) is GreenNode:
                if x.kind == K.ERROR and x.error is not None and x.width > 0:
                    found.append(at)
                todo.extend(reversed(x.children))
            elif cast(Token, x)[0] not in TRIVIA:
                at += 1
        return found

    def stray_candidates(self, elements: list[object], p: int) -> list[int]:
        """The closers (``closing_keys``) of the nodes in ``elements`` (whose tokens
        begin at significant token ``p``) that begin their line at another indentation
        than the node's first line, in order: where a closer written once too often
        would be (it closes the construct around it, at that one's indentation or none).
        In a block style's template, also a node's last line that begins with a closer
        that may go on with a name (``NEXT j`` at another indentation than its FOR:
        an inner loop's header deleted, ``closing_words``)."""
        closers, lit, bol, n = self.closing_keys(), self.lit, self.bol, self.n
        leads = self.line_leads()
        words = closing_words(self) if self.t.block_template else frozenset()
        found: set[int] = set()
        # the indentation of a line the step begins inside of is not its own (an
        # incremental reparse's tokens may begin there): nodes that begin on it are left
        # out, so that the step's result depends on its own tokens only
        line_two = p
        while line_two < n and not bol[line_two]:
            line_two += 1
        at = p
        # (element, -1) to walk; (node, its first token) once its tokens are counted
        todo: list[tuple[object, int]] = [(x, -1) for x in reversed(elements)]
        while todo:
            x, first = todo.pop()
            if first >= 0:
                last = at - 1
                while first < last < n and not bol[last] and lit[last] in closers:
                    last -= 1  # (the first word of a closer of several: ``END IF``)
                if line_two <= first < last < n and lit[last] in closers and bol[last] \
                        and leads[last] != leads[first] \
                        and self.closes_itself(cast(GreenNode, x)):
                    found.add(last)
                elif words and line_two <= first < last < n:
                    # a closer that may go on with a name (``NEXT j``, ``closing_words``)
                    while last > first and not bol[last]:
                        last -= 1
                    if last > first and lit[last] in words and leads[last] != leads[first]:
                        found.add(last)
            elif type(x) is GreenNode:
                todo.append((x, at))
                todo.extend((c, -1) for c in reversed(x.children))
            elif cast(Token, x)[0] not in TRIVIA:
                at += 1
        return sorted(found)

    def closing_keys(self) -> frozenset[str]:
        """The literals that close a sequence after a list (``'begin' statements
        'end'``), worked out once per tables (a block template's clean items ask)."""
        if self.closing is None:
            kept = self.t.closing_keys
            if not kept:
                ops, kids, keys = self.ops, self.kids, self.keys
                found = frozenset(
                    keys[k] for e, parts in enumerate(kids)
                    if ops[e] == OP_SEQ and len(parts) > 1 and ops[parts[-1]] == OP_LIT
                    and any(self.list_like(k, 2) for k in parts[:-1])
                    for k in self.closing_run(parts))
                with _MODES_LOCK:
                    if not kept:
                        kept.append(found)
            self.closing = kept[0]
        return self.closing

    def closing_run(self, parts: tuple[int, ...]) -> tuple[int, ...]:
        """The literals a sequence ends with (``'END' 'IF'``)."""
        at = len(parts)
        while at > 0 and self.ops[parts[at - 1]] == OP_LIT:
            at -= 1
        return parts[at:]

    @staticmethod
    def closes_itself(node: GreenNode) -> bool:
        """``node``'s last token is a child of its own (its closer), not a child node's."""
        for child in reversed(node.children):
            if isinstance(child, GreenNode):
                if child.width > 0:
                    return False
            elif child[0] not in TRIVIA:
                return True
        return False

    def past_stray(self, kids: tuple[int, ...], at: int, q: int, began: list[int]) -> int:
        """``recovering``'s sequence at its element ``kids[at]``, at the stray closer ``q``
        (``stray_closer``): where that element begins the closing literals the tokens
        from ``q`` are (``end``, ``END IF``), those tokens as the error and the index of
        the list before them (a loop, or a rule whose expression is one or ends with
        one) to go on from after them (``ends_at``); else -1."""
        ops, keys, lit, n = self.ops, self.keys, self.lit, self.n
        width = 0
        while at + width < len(kids) and ops[kids[at + width]] == OP_LIT \
                and q + width < n and lit[q + width] == keys[kids[at + width]]:
            width += 1
        if width == 0 and self.t.block_template:
            return named_stray(self, kids, at, q, began)  # (``'fin' (!NEWLINE 'para')?``)
        if width == 0 or at + width < len(kids):
            return -1  # (``END SUB`` at ``END IF``: not that sequence's closer)
        for j in range(at - 1, -1, -1):
            if self.list_like(kids[j], 2):
                self.error_over(q, q + width, self.stray_message(q))
                self.ends_at = q + width
                return j
        return -1

    def option_past_stray(self, e: int, q: int) -> bool:
        """``recovering``'s sequence at its option ``e``, at the stray closer ``q``
        (``stray_closer``) that the option's first word follows (``if (x) return 1; }
        else { ... }`` whose block lost its ``{``: the ``else`` goes on with the ``if``):
        the closer as the error (on the stack), the option then parsed after it."""
        if self.ops[e] != OP_OPT or q + 1 >= self.n:
            return False
        first = self.first[self.kids[e][0]]
        if first is None or (self.lit[q + 1] not in first and self.cls[q + 1] not in first):
            return False
        self.error_over(q, q + 1, self.stray_message(q))
        return True

    def stray_message(self, q: int) -> str:
        """The message of the stray closer at ``q``: in a block style's template, as the
        keyword level names an orphan (``orphan_message``)."""
        return self.orphan_message(q) or f"unexpected {self.describe(q)}"

    def list_like(self, e: int, depth: int) -> bool:
        """Expression ``e`` is a loop, or (``depth`` levels of rules and sequences down)
        a rule whose expression is one or a sequence that ends with one."""
        ops, kids = self.ops, self.kids
        op = ops[e]
        if op in (OP_STAR, OP_PLUS, OP_SEP):
            return True
        if depth <= 0:
            return False
        if op == OP_RULE:
            return self.list_like(self.t.rule_expr[self.rule_of[e]], depth - 1)
        if op == OP_SEQ and kids[e]:
            return self.list_like(kids[e][-1], depth - 1)
        return False

    def item_further(self, p: int, end: int, mark: int) -> int:
        """Inside a list in recovery mode: the item at ``p`` that ended at ``end`` (its
        elements on the stack from ``mark``) where it was ``cut_short``, parsed in
        recovery mode instead if that reaches further with one error (as at the top
        level: ``reach_further``)."""
        kept = self.stack[mark:]
        del self.stack[mark:]
        q = self.ev(self.t.item, p, True)
        if q > end and _errors_in(self.stack[mark:], 2) == 1:
            return q
        del self.stack[mark:]
        self.stack.extend(kept)
        return end

    def missing_opener(self, p: int) -> int:
        """Recovery mode, no item at ``p`` even in recovery mode, and no word an item
        starts with there: a form that begins with such a word (``opener_rules``),
        parsed from its second element on, if one runs past the line with no error but
        the zero-width one for its missing word (``x < 0 then ... else ... end``: an
        ``if`` without its ``if``, not an error for the line and one for each of its
        orphaned ``else`` and ``end``); the one that reaches furthest. NO_MATCH if
        none."""
        lit, cls, n, bol = self.lit, self.cls, self.n, self.bol
        openers, words = recovery_sets_for(self.t)[1]
        if p >= n or lit[p] in words or self.opening:
            return NO_MATCH
        line_end = p + 1
        while line_end < n and not bol[line_end]:
            line_end += 1
        if line_end > self.reach:
            self.reach = line_end
        t, stack, first = self.t, self.stack, self.first
        last = lit[line_end - 1] if line_end < n else ""
        # a block opener's line ends with its word (``then``, ``do``), or, where items
        # are lines, with whatever its header ends with (``FOR i = 1 TO n``)
        lines = t.newline_items
        if last not in t.literal_keys and not lines:
            return NO_MATCH
        outer = len(stack)
        best = NO_MATCH
        kept: list[object] = []
        self.opening = True  # one at a time: the block inside one is parsed as it is
        # a budget of its own: a file whose every line fails would else parse the rest
        # of the file again at each line; what ran out of it is not kept in the memo
        fuel = self.fuel
        starved = self.starved
        budget = self.fuel = min(fuel, OPENER_FUEL)
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        for r, literals in openers:
            if last not in literals and not lines:
                continue
            parts = self.kids[t.rule_expr[r]]
            f = first[parts[1]]
            if f is None or (lit[p] not in f and cls[p] not in f):
                continue  # (None: the rest may begin with a list, ``do ... end``)
            q, mark = self.rest_without_opener(parts, p, self.describe(p),
                                               last not in literals)
            # (a header whose line does not end with one of its words: no skip either,
            # not even one taken as the rest of that mistake)
            if q > line_end and q > best \
                    and _errors_in(stack[mark:], 2, last not in literals) == 1:
                best = q
                kept = [*stack[outer:mark], GreenNode(
                    t.rule_kind[r], cast("tuple[GreenNode | Token, ...]", tuple(stack[mark:])))]
            del stack[outer:]
        self.opening = False
        if self.fuel <= 0:
            self.clear_memo()
        self.fuel = fuel - (budget - self.fuel)
        self.starved = starved or self.fuel <= 0
        if best < 0 and lines:
            # what the tries of headers that end with no word of theirs expected is no
            # expectation at this line (the skip's message names what the list wanted)
            self.far, self.expected = far, expected
            del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        stack.extend(kept)
        return best

    def item_fast(self, p: int) -> int:
        """An item at ``p`` as written, without noting expectations (most items are
        right, and their expectations would be thrown away); NO_MATCH if none."""
        mark = len(self.stack)
        # (with old items to take, the interpreter: its loops ask for them, rec25)
        if self.fast is not None and self.doubled_at == NO_MATCH and self.reuse is None:
            found = self.fast.item(self, p)
            if found is not None:
                if found > p:
                    return found
                del self.stack[mark:]
                return NO_MATCH
            # handed back (fuel, depth, a macro use, another thread): the parser's
            # state is as it was (the fast path writes back only what it finished)
            del self.stack[mark:]
        self.track = False
        end = self.ev(self.t.item, p, False)
        self.track = True
        if end > p:
            return end
        del self.stack[mark:]
        return NO_MATCH

    def ev_fast(self, e: int, p: int) -> int:
        """``ev(e, p, False)`` through the fast path when it has ``e``: an incremental
        reparse's items (``lines_repeat`` with ``resume``), which the fast path, run
        for whole steps, does not stop where an old item may be kept."""
        fast = self.fast
        first = self.first[e]
        if fast is not None and OP_RULE <= self.ops[e] <= OP_AND and (
                first is None or (p < self.n and (self.lit[p] in first
                                                  or self.cls[p] in first))):
            mark = len(self.stack)
            found = fast.item(self, p, e)
            if found is not None and found >= 0:
                return found
            del self.stack[mark:]
            if found is not None:
                return NO_MATCH
        return self.ev(e, p, False)

    def ev_short_of_end(self, e: int, p: int, depth: int) -> int:
        """Completion (``words_expected_at``): a turn of a list of items (``e``, at
        ``depth``) that looks at no token from the end of the tokens (the cursor) on,
        where alone the interpreter's notes are what completion keeps: the old tree's
        items from ``p`` that did not look that far, taken as they are (``KnownItems``:
        nothing is parsed or pushed), else one item through the fast path; else (it
        looked at the end) the interpreter. Also a turn of another loop (``depth``
        NO_MATCH: through the fast path only, its items having noted no look)."""
        if self.known is not None and depth >= 0:
            end = self.known.skip(self, e, p, depth)
            if end > p:
                if end - 1 > self.reach:
                    self.reach = end - 1
                return end
        reach, fuel, taint = self.reach, self.fuel, self.taint
        mark = len(self.stack)
        end = self.ev_fast(e, p)
        if self.reach < self.n:
            return end
        _truncate(self.stack, mark)
        self.reach, self.fuel, self.taint = reach, fuel, taint
        return self.ev(e, p, False)

    def item_at(self, p: int) -> int:
        """An item at ``p``: as written, else in recovery mode; NO_MATCH if neither
        consumes a token."""
        mark = len(self.stack)
        item = self.t.item
        # (where a stray closer is the error, as written would take it: ``stray_closer``)
        for rec in ((True,) if self.stray_at >= p or self.layout_close and self.close_at > p
                    else (False, True)):
            end = self.ev(item, p, rec)
            if end > p:
                return end
            del self.stack[mark:]
        return NO_MATCH

    def skip(self, p: int, loop: LoopRecovery | None = None) -> int:
        """One ERROR node from ``p`` up to the next place an item can start (inside
        a list of items: ``loop``, its FOLLOW set as ``stops``)."""
        q = self.skip_to(p)
        message = self.skip_message(p)
        if loop is not None and self.t.newline_items:
            # it goes on past a closer inside its line that cannot end this list
            # (``CASE TO 89, 65``: the ``,`` of ``NEXT j, i`` ends a FOR's body, not a
            # CASE's, which would end there and leave every CASE after it an error)
            stops, lit = loop.stops, self.lit
            while q < self.n and not self.bol[q] and lit[q] in self.t.closers \
                    and lit[q] not in stops:
                q = self.skip_to(q)
        self.error_over(p, q, message)
        return q

    def skip_message(self, p: int) -> str | None:
        """The message of a skip from ``p`` inside a step; None where the step's last
        element is a zero-width error, which is then at ``p``: the skipped tokens are
        the rest of that mistake, reported there already (one error per position:
        ``IF a >= >= 1 THEN`` is "expected 'THEN', found '>='", not that and then
        "unexpected '>='")."""
        return None if self.ends_missing(self.step_mark) or self.after_stray(p) \
            else self.orphan_message(p) or self.message(p)

    def orphan_message(self, p: int) -> str:
        """A closer that begins the line at ``p`` and that nothing open takes (its
        construct's first line deleted): "'END IF' without 'IF'", the closer as written
        and the word its construct opens with (``opener_word``), as the keyword level
        names it; '' where ``p`` is no closer's."""
        if p >= self.n or not self.bol[p] or not self.t.block_template:
            return ""
        if self.closers is None:
            self.closer_of(0)
        stack = self.stack
        mark = len(stack)
        best, end = NO_MATCH, p
        track, self.track = self.track, False  # (a look, no expectation of the item's)
        for c in self.closer_list:
            r = self.ev(c, p, False)
            del stack[mark:]
            if r > end:
                best, end = c, r
        self.track = track
        opener = self.opener_word(best) if best >= 0 else ""
        if not opener:  # (``'UNTIL' expr`` after a body; ``NEXT j``)
            return clause_closer_orphan(self, p) or word_closer_orphan(self, p)
        written = " ".join(self.tokens[self.index[i]][1] for i in range(p, end))
        return f"'{written}' without {opener}"

    def opener_word(self, closer: int) -> str:
        """The quoted first word of the construct that ``closer`` ends
        (``construct_word``); '' if none."""
        words = self.opener_words
        if closer not in words:
            closed = [x for x in range(len(self.ops)) if self.closer_of(x) == closer]
            if self.t.block_template and self.ops[closer] == OP_LIT:
                key = self.keys[closer]  # (each rule's own copy of the literal)
                closed = [x for x in range(len(self.ops)) if (c := self.closer_of(x)) >= 0
                          and self.ops[c] == OP_LIT and self.keys[c] == key]
            found = [w for x in closed if (w := self.construct_word(x))]
            # (a closer of constructs of several words names none: "unexpected 'end'",
            # as the keyword level says, not the first construct's word)
            words[closer] = found[0] if len(set(found)) == 1 else ""
        return words[closer]

    def construct_word(self, x: int) -> str:
        """The quoted first word of sequence ``x``, or where it begins with no word
        (``if_block: NEWLINE body ...``) of a sequence that begins with one and goes on
        with it (``'IF' expr 'THEN' (if_block / if_line)``); '' if none."""
        ops, kids = self.ops, self.kids
        if ops[kids[x][0]] == OP_LIT:
            return self.t.names[kids[x][0]]
        return next((self.t.names[kids[y][0]] for y in range(len(ops))
                     if ops[y] == OP_SEQ and ops[kids[y][0]] == OP_LIT
                     and any(self.leads_into(k, x, 3) for k in kids[y][1:])), "")

    def after_stray(self, p: int) -> bool:
        """Token ``p`` right after the stray closer taken as the error (``stray_closer``):
        skipped, it is the rest of that mistake (``return 1; } else { ... }`` whose
        ``if`` line is lost: the ``else`` belongs to no construct either)."""
        return p - 1 == self.stray_at and p > 0 and self.after_skip()

    def skip_to(self, p: int) -> int:
        """The next place after ``p`` an item can start: a new line in newline-separated
        languages, after ';', a list's closer or an item's first word."""
        t = self.t
        lit, bol = self.lit, self.bol
        q = max(p + 1, self.closer_at(p))
        while q < self.n:
            if (t.newline_items and bol[q]) or lit[q - 1] == "p:;" or lit[q] in t.closers \
                    or lit[q] in t.sync:
                break
            q += 1
        return q

    def closer_at(self, p: int) -> int:
        """Where a closer (``closer_of``) that begins the line at ``p`` ends, the
        furthest of those that match there (``END FOR``: a skip takes it whole, not
        ``END`` and then a FOR from its word); NO_MATCH if none."""
        if p >= self.n or not self.bol[p]:
            return NO_MATCH
        return self.closer_end(p, [])

    def closer_end(self, p: int, leave_out: list[int], among: list[int] | None = None) -> int:
        """Where the furthest of the closers (``among``, else all of ``closer_of``'s)
        not in ``leave_out`` that match at ``p`` ends, as written; NO_MATCH if none."""
        if among is None:
            if self.closers is None:
                self.closer_of(0)
            among = self.closer_list
        stack = self.stack
        mark = len(stack)
        end = NO_MATCH
        track, self.track = self.track, False  # (a look, no expectation of the item's)
        for c in among:
            if c >= 0 and c not in leave_out:
                end = max(end, self.ev(c, p, False))
                del stack[mark:]
        self.track = track
        return end

    def item_cut_short(self, p: int, mark: int) -> int:
        """Recovery mode, a block style's template, no item at ``p`` even in recovery
        mode: the item ``committed`` from its first element, where that ends inside
        ``p``'s line with one error, its last element missing there (``DIM q LIST =
        [1]``, ``PRINT 1 2`` at the top level: the statement's end missing at ``LIST``,
        ``2``): the tokens from there up to where a skip ends (the line's end, after a
        ';') are the rest of that mistake, as the keyword level's ``skip_rest`` takes
        them, not the whole line one "unexpected 'DIM'" (as a list's ``resync_list``
        does inside a block). Only where the item's part before its end
        (``item_sequence``) matches as written up to there: the one error is that end
        missing, not a part the committed parse chose that misses something else (``DIM
        AS INTEGER = 1`` is its name missing at ``AS``, not a '.' at ``=``). Where the
        step ended, or NO_MATCH."""
        seq = item_sequence(self)
        if seq < 0:
            return NO_MATCH
        stack = self.stack
        track, self.track = self.track, False  # (a look, no expectation of the item's)
        q = p
        for k in self.kids[seq][:-1]:
            q = self.ev(k, q, False)
            if q < 0:
                break
        self.track = track
        del stack[mark:]
        if not p < q < self.n or self.bol[q]:
            return NO_MATCH
        r = self.committed(self.t.item, p)
        if r != q or not self.ends_missing(mark) or _errors_in(stack[mark:], 2) != 1:
            del stack[mark:]
            if not written_then_end_missing(self, seq, p, q):
                return NO_MATCH  # (else ``show() "x"``: not the committed assignment)
        return self.rest_of_line_mistake(q)

    def rest_of_line_mistake(self, p: int) -> int:
        """``rest_of_mistake`` for an item that ends at a line break (``item_cut_short``)
        up to the end of ``p``'s line or past a ';' (an item's first word inside the
        line is no new statement there: ``PRINT 1 PRINT 2``)."""
        stack = self.stack
        last = stack[-1]
        assert type(last) is GreenNode
        bol, lit = self.bol, self.lit
        q = p + 1
        while q < self.n and not bol[q] and lit[q - 1] != SEMICOLON_KEY:
            q += 1
        if q > self.reach:
            self.reach = q
        self.mistake_into(last, p, q)
        self.taint = True
        return q

    def skip_steps(self, p: int) -> int:
        """A step that is no item even in recovery mode: one ERROR node from ``p`` over
        the places after it where no item can start either (as written or in recovery
        mode), up to the first where one can. They are the same mistake's: a missing
        opener (``begin`` deleted, the statements after it) or a line cut in pieces,
        each piece no item of its own; one error for them, not one per piece."""
        message = self.orphan_message(p) or self.message(p)
        q = self.skip_to(p)
        while q < self.n and not self.item_starts(q):
            q = self.skip_to(q)
        self.error_over(p, q, message)
        return q

    def rest_of_mistake(self, p: int, mark: int) -> int:
        """An item parsed in recovery mode that ends with a missing element at ``p``,
        where no item can start: the tokens from there up to the first place an item
        can start are the rest of that mistake, reported at ``p`` already (``IF a >=
        >= 1 THEN``: "expected 'THEN', found '>='", not that and then "unexpected
        '>='"). They go into the item's node, as an ERROR node without a message of its
        own (one error per position; the step stays one node)."""
        stack = self.stack
        last = stack[-1] if len(stack) > mark else None
        if type(last) is not GreenNode:
            return p
        q = self.skip_to(p)
        while q < self.n and not self.item_starts(q):
            q = self.skip_to(q)
        self.mistake_into(last, p, q)
        return q

    def mistake_into(self, last: GreenNode, p: int, q: int) -> None:
        """The item node ``last`` (the stack's top) again, with the tokens from ``p`` to
        ``q`` in it as an ERROR node without a message of its own: the rest of a mistake
        reported at ``p`` already (one error per position; the step stays one node)."""
        stack = self.stack
        stack.pop()
        base = len(stack)
        stack.extend(last.children)
        self.error_over(p, q, None)
        children = cast("tuple[GreenNode | Token, ...]", tuple(stack[base:]))
        del stack[base:]
        stack.append(GreenNode(last.kind, children, last.error))

    def item_starts(self, q: int) -> bool:
        """An item can be parsed at ``q`` (as written, else in recovery mode); what it
        made is taken back, what it looked at kept in ``reach``."""
        stack = self.stack
        mark = len(stack)
        self.fuel = STEP_FUEL
        starved = self.starved
        self.track = False
        end = self.ev(self.t.item, q, False)
        if end <= q:
            del stack[mark:]
            end = self.ev(self.t.item, q, True)
        self.track = True
        self.starved = starved
        del stack[mark:]
        if end - 1 > self.reach:  # the tokens it took, then gave back
            self.reach = end - 1
        return end > q

    def skip_end(self, p: int, stops: frozenset[str]) -> int:
        """Where a loop's recovery skip from ``p`` ends: the next token in ``stops``
        (``peg_follow``), or a new line where one can end what follows, or the end."""
        lit, cls, bol = self.lit, self.cls, self.bol
        lines = self.t.newline_items or LINE_KEY in stops
        q = p + 1
        while q < self.n and lit[q] not in stops and cls[q] not in stops \
                and not (lines and bol[q]):
            q += 1
        return q

    def error_over(self, p: int, q: int, message: str | None) -> None:
        """Tokens ``p`` up to ``q`` as one ERROR node with ``message`` (None: the tokens
        of an error reported at ``p`` already, ``skip_message``)."""
        if q > self.reach:
            self.reach = q
        self.push_gap(p)
        # a macro use's later positions: its token is in the tree already
        first = self.index[p] + (1 if self.continued and p in self.continued else 0)
        children = self.elements[first:self.index[q - 1] + 1]
        self.stack.append(GreenNode(K.ERROR, cast("tuple[GreenNode | Token, ...]",
                                                  tuple(children)), message))

    # ------------------------------------------------------------ messages

    def describe(self, p: int, found: bool = False) -> str:
        """Token ``p`` for a message; ``found``: what came instead of an expected token
        after some of the item, where a line break means the line ended too soon."""
        if p >= self.n:
            return "the end of the file"
        if found and self.t.newline_items and self.bol[p]:
            return "the end of the line"
        return repr(self.tokens[self.index[p]][1])

    def wanted(self) -> str:
        """The tokens expected at the furthest failure ("'a', 'b' or 'c"), or ''."""
        return _or_list(self.expected)

    def wanted_at(self, p: int, name: str = "") -> list[str]:
        """The tokens expected at ``p`` in the step so far, for a message; none where
        there are none or too many to name. Those expected in the evaluations nearest the
        surface (``EXPECTED_DEPTH``), which is where the element missing there was
        looked for: what a part deep inside the element before it would have gone on
        with (an operand's operators, a name's call arguments) is no help. Where they
        are still too many, the single tokens tried there (the ``,`` and ``)`` of an
        argument list). ``name``: the element missing there, for a group of tokens too
        big to list that has no name of its own."""
        bodies = recovery_sets_for(self.t)[0]
        tried, t = self.tried, self.t
        found = [at for at, where in enumerate(self.tried_at) if where == p]
        if not found:
            return []
        depths = self.tried_depth
        top = min(depths[at] for at in found) + EXPECTED_DEPTH
        for singles in (False, True):
            names: list[str] = []
            for at in found:
                e = tried[at]
                if depths[at] > top:
                    continue
                if e >= 0:
                    group: tuple[str, ...] = (t.names[e],)
                elif singles:
                    continue
                else:
                    group = t.first_names[~e]
                    if len(group) > MAX_EXPECTED:
                        # too many to list: the group by its name ("expression"), or
                        # left out when it only goes on a loop (the operators or
                        # suffixes after an operand)
                        group = () if ~e in bodies else (t.names[~e] or name,)
                        group = group if group[:1] != ("",) else ()
                for one in group:
                    if one not in names:
                        names.append(one)
            if names and len(names) <= MAX_EXPECTED:
                return names
        return []

    def message(self, p: int) -> str:
        if self.t.block_template and self.far == p and (doubled := self.doubled_message(p)):
            return doubled
        wanted = self.wanted() if self.far >= p else ""
        if wanted:
            return f"expected {wanted}, found {self.describe(self.far, self.far > p)}"
        return f"unexpected {self.describe(p)}"

    def fail(self, p: int, e: int) -> None:
        """A terminal did not match at ``p``: remember it for the message."""
        if p > self.reach:
            self.reach = p
        if self.at_end is not None and p >= self.n and self.ops[e] == OP_LIT:
            self.at_end.add(self.keys[e])
        self.tried_at.append(p)
        self.tried.append(e)
        self.tried_depth.append(self.depth)
        self.expect(p, self.t.names[e])

    def fail_first(self, p: int, e: int) -> None:
        """No token expression ``e`` can start with: each is expected."""
        if p > self.reach:
            self.reach = p
        first = self.first[e]
        if self.at_end is not None and p >= self.n and first is not None:
            self.at_end.update(first)
        self.tried_at.append(p)
        self.tried.append(~e)
        self.tried_depth.append(self.depth)
        if p < self.far:
            return
        for name in self.t.first_names[e]:
            self.expect(p, name)

    def expect(self, p: int, name: str) -> None:
        if p > self.far:
            self.far = p
            self.expected = [name]
        elif p == self.far and name not in self.expected:
            self.expected.append(name)

    # ------------------------------------------------------------ building

    def push_gap(self, p: int) -> None:
        """The trivia before token ``p``, when ``p`` is not where the node starts."""
        if p > self.frame:
            start = self.index[p - 1] + 1 if p > 0 else 0
            end = self.index[p]
            if start < end:
                self.stack.extend(self.elements[start:end])

    def push_token(self, p: int) -> None:
        at = self.gap_before(p, False)
        if at >= 0:
            self.stack.append(self.elements[at])

    def gap_before(self, p: int, named: bool = True) -> int:
        """What a token push does first (``push_gap`` without a slice: this runs once
        per token taken): the trivia before token ``p`` where the node does not start
        there; the token's index in ``elements``, or -1 where ``p`` is a macro use's
        position (``push_use`` pushed what it stands for; ``named``: its body was taken
        as a name or a literal, not as a keyword)."""
        index = self.index
        at = index[p]
        if p > self.frame:
            start = index[p - 1] + 1 if p > 0 else 0
            if start < at:  # one or two tokens: appended, without a slice of them
                stack, elements = self.stack, self.elements
                while start < at:
                    stack.append(elements[start])
                    start += 1
        if len(self.uses) and (p in self.uses or p in self.continued):  # (a set's size: no call)
            self.push_use(p, named)
            return -1
        return at

    def push_use(self, p: int, named: bool) -> None:
        """A macro use: the use's name once, at its first position, nothing at the
        others. Where its body starts with a name or a literal the name is a reference to
        the macro; where it starts with a keyword (`#define EASEDEF PRIVATE`, then
        `EASEDEF FUNCTION f`) it is a bare token, as the keyword would be: no name the
        heading could take for the one it declares."""
        if p in self.uses:
            token = cast(Token, self.elements[self.index[p]])
            if not named and self.cls[p] in (CLASS_KEYWORD, CLASS_IDENT):  # (a word)
                self.stack.append(token)
                return
            leaf = self.leaves.get(token)
            if leaf is None:
                leaf = self.leaves[token] = GreenNode(K.NAME_REF, (token,))
            self.stack.append(leaf)

    def push_leaf(self, p: int, kind: str) -> None:
        """A name or literal token as its shared leaf node (as in the other parser)."""
        at = self.gap_before(p)
        if at < 0:
            return
        token = cast(Token, self.elements[at])
        leaf = self.leaf_texts.get(token[1])
        if leaf is None or cast(Token, leaf.children[0])[0] is not token[0]:
            leaf = self.leaves.get(token)
            if leaf is None:
                leaf = self.leaves[token] = GreenNode(kind, (token,))
            if token[1] not in self.leaf_texts:
                self.leaf_texts[token[1]] = leaf
        self.stack.append(leaf)

    def error_here(self, message: str) -> None:
        self.stack.append(GreenNode(K.ERROR, (), message))

    # ------------------------------------------------------------ evaluation

    def ev(self, e: int, p: int, rec: bool) -> int:
        """Match expression ``e`` at significant token ``p``; its elements go on the
        stack. Returns the position after the match, or NO_MATCH (stack unchanged)."""
        x = self.exprs[e]  # its operator, key and FIRST column in one read
        op = x.op
        n = self.n
        if op == OP_LIT:
            if p < n and self.lit[p] == x.key:
                self.push_token(p)
                return p + 1
            if self.track:
                self.fail(p, e)
            elif p > self.reach:
                self.reach = p
            return NO_MATCH
        if op == OP_CLASS:
            if p < n and self.cls[p] == x.key:
                self.push_class(p)
                return p + 1
            if self.track:
                self.fail(p, e)
            elif p > self.reach:
                self.reach = p
            return NO_MATCH
        if op == OP_ANY:
            if p < n:
                self.push_token(p)
                return p + 1
            if self.track:
                self.fail(p, e)
            elif p > self.reach:
                self.reach = p
            return NO_MATCH
        if op >= OP_NEWLINE:  # the zero-width ones: one test for all
            return self.line_break(e, p) if op == OP_NEWLINE else self.indented_line(op, e, p)
        fid = x.fid
        if fid >= 0 and (p >= n or not self.rows[self.tid[p]][fid]):
            if self.track:
                self.fail_first(p, e)
            elif p > self.reach:
                self.reach = p
            return NO_MATCH
        return self.run(op, e, p, rec)

    def run(self, op: int, e: int, p: int, rec: bool) -> int:
        """``ev`` of a compound expression (``op``: ``ops[e]``, no terminal) whose FIRST
        the caller has checked against token ``p``: a rule call is checked once, where it
        is made, instead of again in ``ev`` and in its rule's expression."""
        # the fuel and the depth read once each (compiled, each read of a machine-integer
        # attribute checks it is set); the depth put back as it was, which is what the
        # evaluations inside leave it at
        fuel = self.fuel - 1
        self.fuel = fuel
        depth = self.depth
        if depth >= MAX_DEPTH or fuel <= 0:
            return self.cut_off(p)
        self.depth = depth + 1
        if op == OP_RULE:
            end = self.call_rule(self.rule_of[e], p, rec)
        elif op == OP_SEQ:
            # (as written too where a doubled opener is the error: ``doubled_opener``)
            end = self.recovering(e, p) if rec or p == self.doubled_at \
                else self.elements_in(self.exprs[e], p)
        elif op == OP_CHOICE:
            end = self.choice(e, p, rec)
        else:
            end = self.compound(op, e, p, rec)
        self.depth = depth
        return end

    def cut_off(self, p: int) -> int:
        """The depth limit or the step's fuel ends an evaluation at ``p``: a failure
        there, like any other, marks how far the step looked. (A failed parse looked at
        its tokens up to where it failed, and a failure is noted at or past every token
        it took back, so ``reach`` needs no note per token taken.)"""
        if p > self.reach:
            self.reach = p
        if self.fuel <= 0:
            self.starved = True
        self.cut_offs += 1
        return NO_MATCH

    def push_class(self, p: int) -> None:
        """A token matched by its class: names and literals as their shared leaves. The
        class key says which, but for a string: an unterminated one is a bare token."""
        klass = self.cls[p]
        if klass == CLASS_IDENT:
            self.push_leaf(p, K.NAME_REF)
        elif klass == CLASS_NUMBER or (klass == CLASS_STRING
                                       and self.tokens[self.index[p]][0] == STRING):
            self.push_leaf(p, K.LITERAL)
        else:
            self.push_token(p)

    def line_break(self, e: int, p: int) -> int:
        """``NEWLINE``: matches no token, where a line break (or the end of the file)
        comes before token ``p``; what newline-sensitive statement forms end with."""
        if p > self.reach:  # whether a line ends before it is a look at token p
            self.reach = p
        if p >= self.n and self.end_breaks_line or p < self.n and self.bol[p]:
            return p
        if self.track:
            self.fail(p, e)
        return NO_MATCH

    def indented_line(self, op: int, e: int, p: int) -> int:
        """``INDENT`` (``DEDENT``): matches no token, where a line break comes before
        token ``p`` and its line is indented deeper (less) than the line where the rule's
        match began (token ``frame``): the lines of an indented block (``suite: ':'
        (INDENT statement)+``), the end of the file a DEDENT too. Nothing but ``p`` and
        the rule's start decides it, so the memo holds."""
        if p > self.reach:
            self.reach = p
        lead = self.line_leads()
        start = lead[self.frame] if 0 <= self.frame < self.n else self.outer_lead
        if p < self.n and self.bol[p] and (lead[p] > start if op == OP_INDENT
                                           else lead[p] < start):
            return p
        if p >= self.n and op == OP_DEDENT:
            return p
        if self.track:
            self.fail(p, e)
        return NO_MATCH

    def line_text(self, first: int, last: int) -> str:
        """The text of significant tokens ``first`` (the first of its line, or of the
        tokens) to ``last``: a line's as written, quoted by a message. A window's first
        token (an incremental reparse) that begins no line is quoted from its line's
        first token, before the window (``line_before``), as a whole parse quotes it."""
        tokens, index = self.tokens, self.index
        text = "".join(token[1] for token in tokens[index[first]:index[last] + 1])
        before = self.line_before
        if first > 0 or self.bol[0] or not before:
            return text
        k = 0
        while k < len(before) and before[k][0] in TRIVIA:
            k += 1
        if k == len(before):
            return text
        return "".join(token[1] for token in before[k:]) \
            + "".join(token[1] for token in tokens[:index[0]]) + text

    def line_leads(self) -> list[int]:
        """Each significant token's line indentation (the width of the whitespace that
        begins its line, a tab to the next multiple of 8), worked out on first use: only
        a grammar with ``INDENT`` asks."""
        if self.leads is None:
            if self.breaks_by_bol and self.line_before is None \
                    and self.tokens is self.bol_tokens:
                self.leads = self.leads_by_lines()
                return self.leads
            self.leads = line_indentations(self.tokens, self.index, self.n,
                                            self.line_before)
            if self.t.join_brackets:  # a line inside brackets is its statement's line
                leads, bol = self.leads, self.bol
                for k in range(1, self.n):
                    if not bol[k]:
                        leads[k] = leads[k - 1]
        return self.leads

    def leads_by_lines(self) -> list[int]:
        """``line_indentations`` where each line break stands in a newline or a
        comment, each of which sets ``bol`` (``breaks_by_bol``): a line's tokens share
        the width of the whitespace before its first one (``line_firsts``), read back to
        the last token that holds a line break; the first token's line read from the
        start of the tokens (``line_indentations``, one loop per significant token,
        cost 10-13 M instructions per 1,000 lines, interpreted)."""
        tokens, index, n = self.tokens, self.index, self.n
        leads: list[int] = []
        if n <= 0:
            return leads
        firsts = self.line_firsts
        if firsts is None:
            firsts = self.line_firsts = list(compress(range(n), self.bol))
        width = _line_width(tokens, 0, index[0])
        since = 0
        for k in firsts:
            if k > 0:
                leads += [width] * (k - since)
                width = _line_width(tokens, index[k - 1] + 1, index[k])
                since = k
        leads += [width] * (n - since)
        return leads

    def elements_in(self, seq: Element, p: int, rec: bool = False) -> int:
        """Sequence ``seq``'s elements in order. Terminals are matched here rather than
        through ``ev`` (the same checks, a call less per token), a rule call is made here
        rather than through ``run`` (its fuel and depth counted here: a call less per
        rule call), and an element that cannot start with the token fails before it is
        called."""
        guard = seq.guard
        if guard and self.depth < GUARD_DEPTH and self.fuel > GUARD_FUEL:
            spent = self.guard_miss(guard, p)
            if spent >= 0:
                self.fuel -= spent
                return NO_MATCH
        mark = len(self.stack)
        q = p
        n = self.n
        lit, cls = self.lit, self.cls
        for x in seq.elements:
            op = x.op
            if op == OP_LIT:
                if q < n and lit[q] == x.key:
                    self.push_token(q)
                    q += 1
                    continue
            elif op == OP_CLASS:
                if q < n and cls[q] == x.key:
                    self.push_class(q)
                    q += 1
                    continue
            else:
                f = x.fid
                if f < 0 or (q < n and self.rows[self.tid[q]][f]):
                    if op != OP_RULE:
                        q = self.ev(x.e, q, rec) if op > OP_AND else self.run(op, x.e, q, rec)
                    else:  # ``run`` of a rule call
                        fuel = self.fuel - 1
                        self.fuel = fuel
                        depth = self.depth
                        if depth >= MAX_DEPTH or fuel <= 0:
                            q = self.cut_off(q)
                        else:
                            self.depth = depth + 1
                            q = self.call_rule(x.rule, q, rec)
                            self.depth = depth
                    if q >= 0:
                        continue
                    _truncate(self.stack, mark)
                    return NO_MATCH
                if self.track:
                    self.fail_first(q, x.e)
                elif q > self.reach:
                    self.reach = q
                _truncate(self.stack, mark)
                return NO_MATCH
            # a terminal that did not match
            if self.track:
                self.fail(q, x.e)
            elif q > self.reach:
                self.reach = q
            _truncate(self.stack, mark)
            return NO_MATCH
        return q

    def guard_miss(self, guard: tuple[Element, ...], p: int) -> int:
        """Where a sequence's ``guard_of`` does not match at ``p``, the failure noted as
        the sequence would note it, where it would fail (the elements before it
        matched, and matching pushes nothing that stays), and the fuel the sequence
        would have spent up to there (a choice is one evaluation); -1 where it matches.
        The caller makes sure no depth or fuel limit could have ended the sequence
        first (``GUARD_DEPTH``, ``GUARD_FUEL``)."""
        q = p
        n = self.n
        lit, cls = self.lit, self.cls
        spent = 0
        for x in guard:
            op = x.op
            terminal = op in (OP_LIT, OP_CLASS)
            if terminal:
                if q < n and (lit[q] if op == OP_LIT else cls[q]) == x.key:
                    q += 1
                    continue
            elif x.fid >= 0 and q < n and self.rows[self.tid[q]][x.fid]:
                if op != OP_CHOICE:
                    return -1  # the last element can start here
                q += 1  # a choice of terminals takes the token
                spent += 1
                continue
            if self.track:  # ``x`` fails at ``q``
                if terminal:
                    self.fail(q, x.e)
                else:
                    self.fail_first(q, x.e)
            elif q > self.reach:
                self.reach = q
            return spent
        return -1

    def choice(self, e: int, p: int, rec: bool) -> int:
        # before the end, each alternative in the table has a FIRST that allows the
        # token, and a compound one runs unchecked; at the end, ``ev`` checks them all
        checked = p < self.n
        if checked:
            row = self.t.alternatives[e]
            pair = self.tid[p]
            found = row[pair] if pair < len(row) else None
            alternatives = found if found is not None else self.alternatives(e, p)
        else:
            alternatives = self.kids[e]
        if not alternatives and p > self.reach:
            self.reach = p
        exprs = self.exprs
        mark = len(self.stack)
        for k in alternatives:
            x = exprs[k]
            op = x.op
            if not checked or op < OP_RULE or op > OP_AND:
                q = self.ev(k, p, False)
            elif op != OP_RULE:
                q = self.run(op, k, p, False)
            else:  # ``run`` of a rule call written out, as in ``elements_in``
                fuel = self.fuel - 1
                self.fuel = fuel
                depth = self.depth
                if depth < MAX_DEPTH and fuel > 0:
                    self.depth = depth + 1
                    q = self.call_rule(x.rule, p, False)
                    self.depth = depth
                else:
                    q = self.cut_off(p)
            if q >= 0:
                if rec and (self.layout_close and p < self.close_at < q
                            or runs_past_layout_closer(self, p, q)):
                    del self.stack[mark:]  # (``closer_missing_by_layout``)
                    break
                return self.further(e, alternatives, p, q, mark) if rec else q
        return self.furthest_or_lost(e, alternatives, p) if rec else NO_MATCH

    def further(self, e: int, alternatives: tuple[int, ...], p: int, q: int, mark: int
                ) -> int:
        """Recovery mode: an alternative matched as written up to ``q`` (its elements on
        the stack from ``mark``); in recovery mode one may reach further, a mistake
        inside it recovered (``'while' expr 'do' statement?`` whose body lacks a ';'
        does not end before the body; ``a..b := 1`` is an assignment, not the call
        ``a``). The further, unless it ends with a missing element: then what follows
        is likelier to be the rest of that mistake (``f(a b)`` is not ``f(a`` then
        ``b)``), unless the token there can follow the choice (``e``) or the line or
        the file ends there: the choice is complete but for the missing element
        (``{x = 1, y = }`` is a named field whose value is missing, not the field ``y``
        and a stray '='; ``DIM a AS`` at the end of its line is missing its type),
        where that is its one error (``LINE (20, 20)-(620 460)`` is no two)."""
        stack = self.stack
        kept = stack[mark:]
        del stack[mark:]
        r = self.opener_lost(e, p, q)
        if r > q:
            return r
        far, expected = self.far, self.expected[:]  # ``expect`` appends in place
        tried = len(self.tried)
        r = self.furthest(alternatives, p)
        if r > q and (not self.ends_missing(mark) or (
                self.ends_choice(e, q, r) and _errors_in(stack[mark:], 2) == 1)
                or self.t.block_template and missing_at_the_end(self, r)):
            return r
        if r > q and self.t.block_template and _errors_in(stack[mark:], 2) == 1 and (
                j := rest_of_missing(self, recovery_sets_for(self.t)[2][e],
                                     self.first[e] or frozenset(), q, r)) > r:
            self.error_over(r, j, None)  # the rest of the mistake reported at ``r``
            return j
        del stack[mark:]
        stack.extend(kept)
        self.far, self.expected = far, expected  # what it missed is not expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return q

    def furthest_or_lost(self, e: int, alternatives: tuple[int, ...], p: int) -> int:
        """Recovery mode, no alternative of choice ``e`` matched as written: the one
        that reaches furthest (``furthest``), or where that ends at a later word of a
        form whose opening word is missing, that form (``opener_lost``: ``(n == 0) {``
        is an ``if`` without its ``if``, not a statement missing its ';')."""
        stack = self.stack
        mark = len(stack)
        q = self.furthest(alternatives, p)
        if q <= p:
            return q
        kept = stack[mark:]
        del stack[mark:]
        r = self.opener_lost(e, p, q)
        if r > q:
            return r
        stack.extend(kept)
        return q

    def opener_lost(self, e: int, p: int, q: int) -> int:
        """Recovery mode: an alternative of choice ``e`` matched from ``p`` up to ``q``,
        where a word stands that no match of ``e`` can be followed by but that a form of
        ``e`` holds after its opening word (``(a = b) THEN x;``: an expression statement,
        then the ``THEN`` of an ``IF`` whose ``IF`` is missing; ``i := 1 TO n DO``): that
        form from ``p`` without its opening word (``first_form``), kept where that is its
        one error and it runs past ``q`` (one error for the mistake, not an unexpected
        ``THEN`` and then each closer of the construct's body); else NO_MATCH."""
        lit, n = self.lit, self.n
        if q >= n or self.opening or lit[q] not in self.t.literal_keys:
            return NO_MATCH
        word = lit[q]
        if word in recovery_sets_for(self.t)[2][e] and (
                self.bol[q] or word not in (self.first[e] or ())):
            # a word that can follow the match, unless only as the start of another
            # one without a separator, on the match's line (``Square(X: Integer)``
            # after a file's statement that lost its ``function``)
            return NO_MATCH
        fits = self.opener_fits(p)
        self.opening = True  # one at a time: the form's body recovers as it is
        end = self.first_form(e, p, lambda parts: len(parts) > 2 and fits(parts)
                              and word in self.words_after_opener(parts),
                              lambda r: r > q, 5)
        self.opening = False
        return end

    def words_after_opener(self, parts: tuple[int, ...]) -> frozenset[str]:
        """The literals written in a form after its second element and in the rules
        it calls there (the '(' of a routine heading's parameters; not in the rules
        those call), and those its third element can begin with (the '{' of a brace
        language's ``if (x) {``), once per form."""
        found = self.form_words.get(parts)
        if found is None:
            words = set(self.first[parts[2]] or ()) & self.t.literal_keys
            todo = [(k, True) for k in parts[2:]]
            while todo:
                k, called = todo.pop()
                if self.ops[k] == OP_LIT:
                    words.add(self.keys[k])
                elif self.ops[k] != OP_RULE:
                    todo.extend((kid, called) for kid in self.kids[k])
                elif called:
                    todo.append((self.t.rule_expr[self.kids[k][0]], False))
            found = self.form_words[parts] = frozenset(words)
        return found

    def ends_choice(self, e: int, q: int, r: int) -> bool:
        """Token ``r`` is where a match of expression ``e`` can end: one that can
        follow it (the end of the file where that can), or a new line in
        newline-separated items; and the tokens from ``q`` up to it are on one line
        (not a block whose closer is missing further down: ``IF x THEN_`` then lines is
        no block IF that lacks its END IF)."""
        bol = self.bol
        for i in range(q + 1, min(r, self.n)):
            if bol[i]:
                return False
        follow = recovery_sets_for(self.t)[2][e]
        if r >= self.n:
            return END_KEY in follow
        return (self.t.newline_items and self.bol[r]) or self.lit[r] in follow \
            or self.cls[r] in follow

    def furthest(self, alternatives: tuple[int, ...], p: int) -> int:
        """Recovery mode, no alternative matched as written: the one that reaches
        furthest in recovery mode (the first of those), not the first that matches at
        all, which may be one that only shares the start (``'procedure' IDENT ';'
        'forward'`` before ``'procedure' IDENT ';' body``)."""
        stack = self.stack
        mark = len(stack)
        best = NO_MATCH
        kept: list[object] = []
        rank = (0, 0)
        for k in alternatives:
            q = self.ev(k, p, True)
            if q > best:
                best = q
                kept = stack[mark:]
                rank = (-1, 0)  # worked out when another one ends there too
            elif q == best >= 0:
                # as far: the one with fewer errors, then the one that went further
                # before its first (the farthest failure: ``(2, 3, 5 7)`` is an array
                # constant missing a ',', not ``(2)`` missing its ')' at the first ',')
                if rank[0] < 0:
                    rank = _error_rank(kept)
                mine = _error_rank(stack[mark:])
                if mine > rank:
                    kept = stack[mark:]
                    rank = mine
            del stack[mark:]
        stack.extend(kept)
        return best

    def compound(self, op: int, e: int, p: int, rec: bool) -> int:
        kids = self.kids[e]
        if op == OP_OPT:
            q = self.ev(kids[0], p, rec)
            return p if q < 0 else q
        if op in (OP_STAR, OP_PLUS):
            if rec and e in self.t.lists:
                return self.item_list(op, e, p)
            if not rec and e in self.lines_loops:
                return self.lines_repeat(op, kids[0], p, None)
            # worked out on the first recovery only: a file without errors never pays
            recovery = resync_for(self.t).get(e) if rec else None
            if recovery is not None:
                return self.resync_list(op, kids[0], p, recovery)
            return self.repeat(op, kids[0], p, rec)
        if op == OP_SEP:
            return self.separated(kids[0], kids[1], p, rec, e)
        return self.lookahead(op, kids[0], p)

    def alternatives(self, e: int, p: int) -> tuple[int, ...]:
        """The alternatives of choice ``e`` whose FIRST allows token ``p`` (``p`` < n; all
        the others would fail on it at once), from a table filled on first use and keyed
        by the token's (literal key, class key) pair."""
        row = self.t.alternatives[e]
        pair = self.tid[p]
        found = row[pair] if pair < len(row) else None
        if found is None:
            lit, cls = self.lit[p], self.cls[p]
            first = self.first
            found = tuple(k for k in self.kids[e]
                          if first[k] is None or lit in first[k]  # type: ignore[operator]
                          or cls in first[k])  # type: ignore[operator]
            if pair >= len(row):
                row.extend([None] * (pair + 1 - len(row)))
            row[pair] = found
        return found

    def repeat(self, op: int, body: int, p: int, rec: bool) -> int:
        q = p
        count = 0
        n = self.n
        fid = self.fid[body]
        terminal = self.ops[body] in (OP_LIT, OP_CLASS, OP_ANY)
        rows, tid = self.rows, self.tid
        soft = None
        body_is_item = self.ops[body] == OP_RULE and self.rule_of[body] == self.rule_of[
            self.t.item]  # (a list of statements)
        while True:
            if rec and self.t.block_template and closer_remnant(self, q):
                break  # (what is left of the closer of the construct around)
            if fid >= 0 and not terminal and (q >= n or not rows[tid[q]][fid]):
                # what ``ev`` would do: the body cannot start here
                if self.track:
                    self.fail_first(q, body)
                elif q > self.reach:
                    self.reach = q
                break
            mark = len(self.stack)
            if self.at_end is not None and not rec and self.reach < n:
                r = self.ev_short_of_end(body, q, NO_MATCH)  # completion
            elif rec and body in self.lines_bodies and (r := self.written_turn(body, q)) > q:
                pass  # (a turn of a list of items that parses as written, rec25)
            else:
                r = self.ev(body, q, rec)
            if r <= q:  # no match, or an empty one: a loop must consume to go on
                _truncate(self.stack, mark)
                break
            if rec and self.t.block_template and body_is_item:
                r = rest_of_statement(self, q, r, mark)  # (``RETURN s 0.05 *``)
            q = r
            count += 1
            if rec:
                soft = self.soft_stop(mark, r) or soft
                if q == self.close_at and self.layout_close and self.closes_here(p, q):
                    break  # (``closer_missing_by_layout``: its list ends there)
        if rec:
            self.soft = soft
        return NO_MATCH if op == OP_PLUS and count == 0 else q

    def written_turn(self, body: int, q: int) -> int:
        """Recovery mode, a turn of a list of items (a ``lines_repeat`` loop's body) at
        ``q``: as written, as ``lines_repeat`` runs it (an empty memo, a budget of its
        own, on the fast path; its node notes how far it looked, from ``q``), taken where
        the token after it can begin the next turn; else NO_MATCH, nothing pushed (the
        turn is parsed in recovery mode, as if this was never tried). An item that parses
        as written is then the same node, with the same note, whether the step around it
        has an error or not, so an edit near an error reparses only the items around it
        (``incremental``); the turn before a mistake, which the recovery may take part
        of, is recovered. So is a turn that looked past the token after it: a loop inside
        it stopped there at a turn that fails as written (``if x:`` then ``a = 1`` and
        ``b = * 2`` in its block), which the recovery makes an error in that loop."""
        n = self.n
        if q >= n:
            return NO_MATCH
        # a retry's tokens (a doubled opener, a stray closer, a committed sequence, where
        # a list ends instead): a turn that looks at one is recovered, as it decides
        limit = n + 1  # (the end of the tokens is none: a last turn may look at it)
        for at in (self.doubled_at, self.stray_at, self.commit_at, self.close_at):
            if q <= at < limit:
                limit = at
        stack = self.stack
        mark = len(stack)
        reach, fuel, starved, track = self.reach, self.fuel, self.starved, self.track
        self.reach = q
        if self.reuse is not None and (r := self.reuse(self, body, q, self.depth, False)) > q:
            if self.reach < limit:  # (old items, each followed by one: as they were)
                if reach > self.reach:
                    self.reach = reach
                return r
            _truncate(stack, mark)
            self.reach = q
        failed = self.turn_key(body, q)
        if failed in self.failed_turns:
            self.reach = reach  # (it fails as it did: tried in recovery mode instead)
            return NO_MATCH
        # a memo of its own, as the turn's in ``lines_repeat`` (the step's kept: its
        # recovery's evaluations around the list are not made again; the interpreter's
        # lists move ``memo_base``, which the fast path's do not: put back, the step's
        # slots stay valid on both)
        memo, slots, base, exact = self.memo, self.slots, self.memo_base, self.memo_cut_offs
        self.memo = {}
        self.slots = [None] * len(slots)
        self.fuel = STEP_FUEL
        self.track = False
        cut_offs = self.cut_offs
        r = self.ev_fast(body, q)
        self.fuel, self.starved, self.track = fuel, starved, track
        self.memo, self.slots, self.memo_base = memo, slots, base
        self.memo_cut_offs = exact
        if r <= q and cut_offs == self.cut_offs:
            self.failed_turns[failed] = (q, self.reach, False)
        if not (q < r <= n and self.reach <= r and self.reach < limit
                and (r == n or self.goes_on(body, r))):
            _truncate(stack, mark)
            self.reach = reach
            return NO_MATCH
        last = stack[-1] if len(stack) > mark else None
        if isinstance(last, GreenNode) and last.node_count > 1:
            last.lookahead = self.item_lookahead(max(self.reach, r - 1), r, self.depth)
        if reach > self.reach:
            self.reach = reach
        return r

    def turn_key(self, body: int, q: int) -> int:
        """A turn's key in ``failed_turns``: its body and first token, and where an
        ``INDENT`` grammar's turn compares its lines' indentation with (``frame``)."""
        key = body * (self.n + 1) + q
        return key * (self.n + 2) + self.frame + 1 if self.t.indented else key

    def failed_again(self, turn: int) -> int:
        """A turn of a list of items (``lines_repeat``, key ``turn``) that failed as
        written before in this step, in recovery mode (the step tainted already: no
        look into a list before it begins taints it more), taken as failing again
        without its evaluation: ``reach`` as that evaluation leaves it (its own looks,
        where they are known: past where it began, or within ``reach`` now), and what
        it expected noted already (as a memo hit's). NO_MATCH (-1) if so, else 0: the
        turn is evaluated."""
        known = self.failed_turns.get(turn) if self.taint and len(self.failed_turns) else None
        if known is None:
            return 0
        before, after, noted = known
        if self.track and not noted:
            return 0
        if after > before:
            if after > self.reach:
                self.reach = after
            return NO_MATCH
        return NO_MATCH if before <= self.reach else 0

    def goes_on(self, body: int, r: int) -> bool:
        """Can the list of items whose loop has ``body`` go on at token ``r``: a turn
        begin there, or the loop end (what can follow it)?"""
        fid = self.fid[body]
        if fid >= 0 and self.rows[self.tid[r]][fid]:
            return True
        recovery = resync_for(self.t).get(self.lines_bodies[body])
        return recovery is not None and (self.lit[r] in recovery.ends
                                         or self.cls[r] in recovery.ends)

    def soft_stop(self, mark: int, r: int) -> tuple[int, int] | None:
        """Recovery mode: a loop's turn that ended at ``r`` with a missing element (its
        elements on the stack from ``mark``), at a token only an outer level can take
        for sure: the loop may end there instead (``recovering``)."""
        if self.outer_only(r) and self.ends_missing(mark):
            return r, len(self.stack)
        return None

    def lines_repeat(self, op: int, body: int, p: int,
                     resume: Callable[[int], bool] | None) -> int:
        """``repeat`` over a list of items (``PegTables.lines_loops``), each turn an
        item with a budget of its own and an empty memo: what it makes depends only on
        the tokens from its first one up to the furthest it looked at (and its depth),
        so an edit parses again only the items around it (``incremental``). A turn that
        ends with a node notes on it how far the turns since the last such node looked
        (``item_lookahead``). ``resume(r)``, after such a turn ending before token
        ``r``, may stop the loop there (an incremental reparse meeting an old item)."""
        q = p
        count = 0
        n = self.n
        fid = self.fid[body]
        terminal = self.ops[body] in (OP_LIT, OP_CLASS, OP_ANY)
        rows, tid, stack = self.rows, self.tid, self.stack
        depth = self.depth
        looked = -1  # how far the turns before the last noted one looked
        while True:
            if fid >= 0 and not terminal and (q >= n or not rows[tid[q]][fid]):
                if self.track:
                    self.fail_first(q, body)
                elif q > self.reach:
                    self.reach = q
                break
            mark = len(stack)
            if self.reuse is not None and self.reach <= q \
                    and (r := self.reuse(self, body, q, depth, True)) > q:
                # old items, as they were (their notes: how far they looked, from ``q``)
                if self.reach > looked:
                    looked = self.reach
                self.reach = r
                q = r
                count += 1
                continue
            self.clear_turn_memo()
            fuel = self.fuel
            starved = self.starved
            self.fuel = STEP_FUEL
            cut_offs = self.cut_offs
            if resume is not None:
                r = self.ev_fast(body, q)
            elif self.at_end is not None and self.reach < n:
                r = self.ev_short_of_end(body, q, depth)
            elif (r := self.failed_again(self.turn_key(body, q))) >= 0:
                before = self.reach
                r = self.ev(body, q, False)
                if r <= q and cut_offs == self.cut_offs:
                    self.failed_turns[self.turn_key(body, q)] = (before, self.reach, self.track)
            self.fuel = fuel
            self.starved = starved
            if r <= q:
                _truncate(stack, mark)
                break
            q = r
            count += 1
            last = stack[-1] if len(stack) > mark else None
            if isinstance(last, GreenNode) and last.node_count > 1:
                last.lookahead = self.item_lookahead(max(self.reach, r - 1), r, depth)
                if self.reach > looked:
                    looked = self.reach
                self.reach = r
                if resume is not None and resume(r):
                    break
        if looked > self.reach:
            self.reach = looked
        return NO_MATCH if op == OP_PLUS and count == 0 else q

    def separated(self, body: int, separator: int, p: int, rec: bool, e: int = -1) -> int:
        last = len(self.stack)
        q = self.ev(body, p, rec)
        if q < 0:
            return NO_MATCH
        while True:
            mark = len(self.stack)
            r = self.ev(separator, q, rec)
            if r < 0 and rec and q < self.n and not self.bol[q] and self.ends_missing(last) \
                    and (j := self.literal_ahead(separator, q, "")) > q \
                    and (j + 1 >= self.n or self.bol[j + 1]) and e in resync_for(self.t):
                # a list of items (in a ``lines`` rule) whose item ended with a missing
                # element, reported at ``q`` inside its line: the tokens up to the
                # separator that ends the line are the rest of that mistake (a record's
                # ``Corner: : TPoint;``; not a parameter list's ``(N: ): Integer;``)
                self.error_over(q, j, None)
                r = self.ev(separator, j, rec)
            elif r < 0 and rec:
                r = self.separator_after_doubled(separator, q)
            last = mark
            if r >= 0:
                start = r
                r = self.ev(body, start, rec)
                if r < 0 and rec:
                    r = self.separator_after_doubled(body, start)
            if r <= q:
                del self.stack[mark:]
                return q
            q = r

    def separator_after_doubled(self, e: int, q: int, rec: bool = False) -> int:
        """Recovery mode: a list's separator or item (``e``) missing at ``q``, where
        token ``q`` is the one before it written again and ``e`` follows it (``[3.5 3.5,
        1.0]``, ``[1.0, , 2.0]``): the doubled token as the error, ``e`` after it as
        written (``rec``: in recovery mode, a mistake after it its own); else NO_MATCH."""
        if q + 1 >= self.n or not self.written_twice(q) or self.bol[q]:
            return NO_MATCH
        mark = len(self.stack)
        self.error_over(q, q + 1, f"{self.tokens[self.index[q]][1]!r} written twice")
        r = self.ev(e, q + 1, rec)
        if r < 0:
            del self.stack[mark:]
        return r

    def lookahead(self, op: int, body: int, p: int) -> int:
        """``&body`` / ``!body`` at ``p``: matches no token. What ``!body`` looked for
        is no expectation (its body failing is what it wants), nor is what ``&body``
        found missing past the furthest failure so far; what ``&body`` looked for at
        that failure is (the ':' of ``NEWLINE / &':'``). The expectations are put
        back from a copy: ``expect`` adds to the list in place."""
        mark = len(self.stack)
        # (copied only where ``expect`` runs: a parse that notes no expectations
        # leaves the list as it is)
        far, at_end = self.far, self.at_end
        expected = self.expected[:] if self.track else self.expected
        tried = len(self.tried)
        self.at_end = self.maybe_end if at_end is not None else None
        q = self.ev(body, p, False)
        del self.stack[mark:]
        self.at_end = at_end
        if op != OP_AND or self.far != far:
            self.far, self.expected = far, expected
            del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        matched = q >= 0
        if q > self.reach:  # the tokens it matched, then gave back
            self.reach = q
        return p if matched == (op == OP_AND) else NO_MATCH

    def recovering(self, e: int, p: int) -> int:
        """``recovering_sequence``, with the sequence's closer (if it ends with one)
        open while it runs: a closer that only an enclosing sequence takes is that
        one's, where the inner one's is missing (``stray_end``)."""
        closer = self.closer_of(e)
        if closer < 0:
            return self.recovering_sequence(e, p)
        self.open_closers.append(closer)
        q = self.recovering_sequence(e, p)
        self.open_closers.pop()
        return q

    def closer_of(self, e: int) -> int:
        """The last element of sequence ``e`` when it is a closer: what ends a
        sequence that holds a list before it (``'while' expr body end_while``) and is
        no list itself; NO_MATCH if none."""
        closers = self.closers
        if closers is None:
            kept = self.t.closer_ends
            if not kept:
                ops, kids = self.ops, self.kids
                found = [NO_MATCH] * len(ops)
                for x, parts in enumerate(kids):
                    if ops[x] == OP_SEQ and len(parts) > 1 and ops[parts[-1]] != OP_OPT \
                            and self.words_only(parts[-1], 8) \
                            and any(self.list_like(k, 2) for k in parts[:-1]):
                        found[x] = parts[-1]
                with _MODES_LOCK:
                    if not kept:
                        kept.append((found, [c for c in dict.fromkeys(found) if c >= 0]))
            closers, self.closer_list = kept[0]
            self.closers = closers
        return closers[e]

    def words_only(self, e: int, depth: int) -> bool:
        """Expression ``e`` matches literals only (``'END' (!NEWLINE 'IF')?``, a rule
        of those ``depth`` levels down): a closer, not a statement or a name."""
        op = self.ops[e]
        if op in (OP_LIT, OP_NEWLINE):
            return True
        if depth <= 0 or op in (OP_CLASS, OP_ANY, OP_STAR, OP_PLUS, OP_SEP):
            return False
        if op == OP_RULE:
            return self.words_only(self.t.rule_expr[self.rule_of[e]], depth - 1)
        return all(self.words_only(k, depth - 1) for k in self.kids[e])

    def stray_end(self, kids: tuple[int, ...], at: int, began: list[int], q: int) -> int:
        """Recovery mode: the closer ``kids[at]`` of a sequence missing at ``q`` where
        another sequence's closer stands at the start of a line (``END IF`` inside a
        WHILE whose IF lost its header) that no enclosing sequence takes (``open_closers``:
        there it is theirs, and this one's is missing): that closer as one error, the
        index of the list before it to go on from after it (``ends_at``); else -1."""
        if q >= self.n or not self.bol[q]:
            return -1
        end = self.closer_end(q, [kids[at], *self.open_closers])
        if end <= q or self.closer_end(q, [], self.open_closers) >= 0:
            return -1
        j = self.list_before(kids, at, began, q)
        if j >= 0:
            self.taint = True  # which closer is stray depends on the enclosing ones
            words = " ".join(self.tokens[self.index[i]][1] for i in range(q, end))
            message: str | None = self.orphan_message(q) or f"unexpected {words!r}"
            if self.t.block_template and error_at_orphan_body(
                    self, len(self.stack), q, began[j], cast(str, message)):
                message = None  # (reported where its construct began)
            self.error_over(q, end, message)
            self.ends_at = end
        return j

    def list_before(self, kids: tuple[int, ...], at: int, began: list[int], q: int) -> int:
        """The index of the list before ``kids[at]`` that took tokens and ended at ``q``
        with only options and lists that took none between (the body before ``ELSE``
        clauses that are not there); -1 if something else comes between (a routine's
        block between its declarations and its ';')."""
        ops = self.ops
        for j in range(at - 1, -1, -1):
            listed = self.list_like(kids[j], 2)
            if listed and began[j] < q:
                return j
            if not listed and ops[kids[j]] != OP_OPT or began[j] != q:
                return -1
        return -1

    def clause_forms(self) -> dict[str, list[tuple[int, int, int]]]:
        """By a literal: the forms (sequence, index of an element, the rule whose
        expression the sequence is or -1) whose element at that index comes after a
        list, can begin with the literal, and is no closer (``'ELSE' body`` after an
        IF's statements, not its ``END IF``): where a construct goes on past its first
        line (``orphan_clause``). Worked out on first use (only a step with errors
        asks)."""
        if self.clauses is None:
            ops, kids, keys, first = self.ops, self.kids, self.t.literal_keys, self.first
            owner = {x: r for r, x in enumerate(self.t.rule_expr)}
            found: dict[str, list[tuple[int, int, int]]] = {}
            for e, parts in enumerate(kids):
                if ops[e] != OP_SEQ:
                    continue
                for i in range(1, len(parts)):
                    k = parts[i]
                    if not any(self.list_like(x, 2) for x in parts[:i]) \
                            or self.words_only(k, 8):
                        continue
                    lead = kids[k][0] if ops[k] in (OP_OPT, OP_STAR, OP_PLUS) else k
                    for word in first[lead] or ():
                        if word in keys:
                            found.setdefault(word, []).append((e, i, owner.get(e, -1)))
            self.clauses = found
        return self.clauses

    def leads_into(self, x: int, e: int, depth: int) -> bool:
        """Is the expression ``x`` the sequence ``e``, a call of the rule it is the
        expression of, or a choice with such an alternative (``depth`` levels down)?"""
        if x == e:
            return True
        if depth <= 0:
            return False
        op = self.ops[x]
        if op == OP_RULE:
            return self.leads_into(self.t.rule_expr[self.rule_of[x]], e, depth - 1)
        return op == OP_CHOICE and any(self.leads_into(k, e, depth - 1) for k in self.kids[x])

    def orphan_clause(self, e: int, kids: tuple[int, ...], at: int, began: list[int],
                      q: int) -> int:
        """Recovery mode: the closer ``kids[at]`` of the sequence ``e`` missing at ``q``, the
        start of a line whose word goes on a construct past its first line (an
        ``ELSE``, ``sino_si``) where that construct's first line is missing (``IF x THEN``
        deleted inside a FUNCTION: its lines are the function's, then ``ELSE ... END
        IF``): the rest of that construct from its clause, as written, after one
        zero-width error, where the list before the closer then goes on and the closer
        follows with no other error (else the clause is the enclosing construct's
        mistake, not an orphan); the index of that list to go on from after it
        (``ends_at``), or -1."""
        n, stack = self.n, self.stack
        if q >= n or not self.bol[q] or self.opening:
            return -1
        forms = self.clause_forms().get(self.lit[q])
        if forms and any(self.leads_into(self.kids[f][i - 1], e, 3) for f, i, _ in forms):
            # the clause comes right after this sequence in a construct (curly's `{ ... }
            # else`): it goes on the construct around, whose closer is what is missing
            # (``closer_missing``), no orphan
            return -1
        j = self.list_before(kids, at, began, q) if forms else -1
        if j < 0 and forms and self.t.block_template:
            j = clause_before(self, kids, at, began, q)
        if j < 0 or not forms:
            return -1
        line_end = q + 1
        while line_end < n and not self.bol[line_end]:
            line_end += 1
        best, kept = NO_MATCH, cast("list[object]", [])
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        mark = len(stack)
        self.opening = True  # one at a time: the construct's lists recover as they are
        for e, i, rule in forms:
            r = self.clause_rest(self.kids[e][i:], q, rule, self.construct_word(e)
                                 if self.t.block_template else "")
            if r > max(best, line_end - 1) and _errors_in(stack[mark:], 2) == 1 \
                    and self.goes_on_clean(kids[j:], r):
                best, kept = r, stack[mark:]
            del stack[mark:]
        self.opening = False
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        if best < 0:
            return -1
        if self.t.block_template:
            kept = orphan_clause_moved(self, kept, mark, q, began[j])
        stack.extend(kept)
        self.taint = True  # what the clause is depends on the sequence around it
        self.ends_at = best
        return j

    def clause_rest(self, parts: tuple[int, ...], q: int, rule: int, opener: str) -> int:
        """The elements ``parts`` of a construct from its clause at ``q`` on, after a
        zero-width error for the first line that is missing (``opener``: the word it
        began with, if known), in the rule's node (where the sequence is a rule's
        expression); where they ended, or NO_MATCH."""
        self.push_gap(q)
        self.error_here(f"{self.describe(q)} without "
                        f"{opener or 'the line that opens its construct'}")
        saved = self.frame
        self.frame = q
        mark = len(self.stack)
        r = q
        for k in parts:
            r = self.ev(k, r, True)
            if r < 0:
                break
        self.frame = saved
        if r > q and rule >= 0:
            node = GreenNode(self.t.rule_kind[rule], cast(
                "tuple[GreenNode | Token, ...]", tuple(self.stack[mark:])))
            del self.stack[mark:]
            self.stack.append(node)
        return r

    def goes_on_clean(self, parts: tuple[int, ...], r: int) -> bool:
        """The elements ``parts`` (a list and what follows it) match from ``r`` in
        recovery mode with no error (what they push taken back)."""
        mark = len(self.stack)
        q = r
        for k in parts:
            q = self.ev(k, q, True)
            if q < 0:
                break
        clean = q >= 0 and _errors_in(self.stack[mark:], 1) == 0
        del self.stack[mark:]
        return clean

    def recovering_sequence(self, e: int, p: int) -> int:
        """Recovery mode: a sequence goes on past a missing element, each run of them one
        zero-width error, once its first literal matched (it is *committed*: ``'IF'
        expr 'THEN' ...``, ``IDENT '=' type_def ';'``). Before that, an element may be
        missing only where an earlier one ended short of something (a zero-width error)
        at a token that only an outer level can take (an item's first word, the end of
        the file): it misses that because of the one mistake already reported (the
        ``';'`` of ``begin ... end ';'`` whose ``end`` is missing). So a routine whose
        last ``end;`` is missing keeps its body, and the routine after it is one."""
        if p == self.doubled_at:
            return self.opener_doubled(e, p)
        kids = self.kids[e]
        own = NO_MATCH  # where the sequence reported an element of its own missing
        # an operator level's turn (``op operand``) is committed once its operator
        # matched: ``x = 1 +`` at a line's end is missing its operand there, not a stray
        # '+' at the start of a statement that then fails as a whole
        commit = 0 if p == self.commit_at \
            else recovery_sets_for(self.t)[3].get(e, self.t.commits[e])
        ops = self.ops
        stack = self.stack
        mark = len(stack)
        q = p
        failed_at = NO_MATCH
        retry: tuple[int, int, int] | None = None  # a loop's soft stop: (at, position, stack)
        at = 0
        began = [p] * len(kids)  # where each element was last evaluated
        marks = [mark] * len(kids)  # and where its elements began on the stack
        while at < len(kids):
            k = kids[at]
            if q == self.stray_at and at > 0 and (j := self.past_stray(kids, at, q, began)) >= 0:
                at, q = j, self.ends_at
                continue
            if q == self.stray_at and self.option_past_stray(k, q):
                q += 1
            began[at] = q
            marks[at] = len(stack)
            loop = ops[k] == OP_STAR or ops[k] == OP_PLUS
            if loop:
                self.soft = None
            if left_empty_at_close(self, k, at, p, q):
                at += 1
                continue
            if failed_at != q and closer_given_out(self, e, k, p, q):
                self.error_here(missing_before_outer_closer(self, e, k, p, q))
                own = failed_at = q
                at += 1
                continue
            r = self.ev(k, q, True)
            if loop and self.soft is not None and self.soft[0] < r:
                retry = (at, *self.soft)
            if r >= 0:
                q = r
            elif retry is not None and (
                    not 0 <= commit < at or (failed_at != q and not self.ends_missing(mark))):
                # this element would fail the sequence, or be a second error: the loop
                # before it ran on past a turn that ended with a missing element at an
                # outer level's word (a nested routine without its ``end;``, then the
                # routines after it), so it ends there instead, the rest missing there
                # too with no more errors, and the outer level takes what follows
                at, q, size = retry
                del stack[size:]
                retry = None
                failed_at = NO_MATCH
            elif 0 <= commit < at:
                if failed_at != q and self.t.block_template and k == self.closer_of(e) \
                        and closer_remnant(self, q):
                    self.error_over(q, q + 1, remnant_message(self, k, q))
                    q += 1
                    at += 1
                    continue
                if failed_at != q and self.layout_close and q == self.close_at:
                    # (``close_at``: missing there, named as the keyword level does;
                    # once, where an inner block's closer is reported missing there)
                    if not self.ends_missing(mark):
                        self.error_here(self.closer_message(e, at, began, NO_MATCH) or (
                            missing_before_outer_closer(self, e, k, p, q)
                            if k == self.closer_of(e) else self.missing(k, q)))
                        own = q
                    failed_at = q
                    at += 1
                    continue
                if failed_at != q and at == len(kids) - 1 and k == self.closer_of(e) \
                        and ((j := self.stray_end(kids, at, began, q)) >= 0
                             or (j := self.orphan_clause(e, kids, at, began, q)) >= 0):
                    at, q = j, self.ends_at
                    continue
                if failed_at != q and q > p and (j := self.doubled(
                        mark, k, q, self.empty_before(kids, at, began, q))) > q:
                    q = j
                    at += 1
                    continue
                if failed_at != q and (j := self.doubled_next(mark, k, q)) > q:
                    q = j
                    at += 1
                    continue
                if failed_at != q and at > 0 and began[at - 1] == q - 1 > p and (
                        j := self.doubled_start(kids[at - 1:at + 1], q, marks[at - 1])) > q:
                    q = j
                    at += 1
                    continue
                if failed_at != q and (i := self.option_without_opener(
                        kids, at, began, q, mark)) >= 0:
                    at, q = i + 1, self.ends_at
                    continue
                first = kids[commit]
                j = self.literal_ahead(k, q, self.keys[first] if ops[first] == OP_LIT else "")
                if j < 0:
                    j = self.line_ahead(k, q)
                if j > q and self.widen_error(mark, k, q, j, failed_at == q):
                    q = self.ev(k, j, True)  # what the tokens before it stood for
                    failed_at = NO_MATCH
                    at += 1
                    continue
                if failed_at != q and ops[k] == OP_PLUS and (
                        j := self.first_without_name(k, q)) > q:
                    q = j
                    at += 1
                    continue
                if failed_at != q and not self.ends_missing(mark):
                    j = self.without_first(k, q)
                    if j > q:
                        q = j
                        at += 1
                        continue
                    self.error_here(self.closer_message(e, at, began, q) or self.missing(k, q))
                    own = q
                failed_at = q
            elif at == len(kids) - 1 and q > p and self.ends_missing(mark) and (
                    j := self.literal_ahead(k, q, "")) > q:
                # the element before the closing literal ended with a missing element,
                # reported at ``q``: the tokens up to the literal, found further on the
                # line, are the rest of that mistake, no error of their own (``Top: :
                # Integer;``)
                self.error_over(q, j, None)
                q = self.ev(k, j, True)
            elif at == len(kids) - 1 and q > p and ops[k] == OP_LIT and q < self.n \
                    and self.lit[q] in self.t.sync and not self.ends_missing(mark):
                # the closing literal of a sequence that took tokens, missing before a
                # word an item starts with (an object's ``procedure P; virtual`` then
                # ``function``): missing there, the word the next item's (the object
                # failed, and each of its method headings became a routine of its own);
                # unless that word is the token before it written again (``end end;``:
                # the second ``end`` the mistake, not the ';' missing and the ``end``
                # then taken for the unit's)
                j = self.doubled(mark, k, q)
                if j > q:
                    q = j
                    at += 1
                    continue
                self.error_here(self.closer_message(e, at, began, q) or self.missing(k, q))
                own = q
            elif at == len(kids) - 1 and q > p and (j := self.line_rest(p, mark, k, q)) > q:
                q = j  # the rest of a complete statement's line (``END END IF``)
            elif (q == self.block_at or q == p) and at > 0 and failed_at != q and ops[
                    kids[at - 1]] in (OP_STAR, OP_PLUS) and (
                    j := self.after_list(kids, at, q, q != self.block_at)) > q:
                q = j  # a block after a list, without its opener (``after_list``)
            elif self.t.block_template and q > p and failed_at != q and (j := self.doubled(
                    mark, k, q, self.empty_before(kids, at, began, q))) > q:
                q = j  # a token written twice before the sequence committed (``a a := 1``)
            elif q == p or not self.outer_only(q) or not self.ends_missing(mark):
                del stack[mark:]
                return self.doubled_opener(e, p, NO_MATCH, mark, own)
            at += 1
        return self.doubled_opener(e, p, q, mark, own)

    def closer_message(self, e: int, at: int, began: list[int], q: int) -> str:
        """Element ``at`` of sequence ``e`` missing at ``q``: where that is the
        sequence's closer, the message names the construct it closes by its header as
        written ("expected 'fin si' to close 'si a > 1 entonces', found ..."), the line
        before its body's first line (a list's element that begins a line) from that
        line's first token, as the keyword level quotes it; '' for any other element.
        ``q`` NO_MATCH: missing before a line the layout says is the enclosing list's
        (no "found": that line is no mistake)."""
        kids = self.kids[e]
        k = kids[at]
        if not self.t.block_template or k != self.closer_of(e) and not ends_block(self, e, at):
            return ""
        bol = self.bol
        # (a list that begins the sequence is no body after a header: a declaration's
        # names, ``b : integer`` whose ';' is missing)
        body = next((b for j, b in enumerate(began[:at])
                     if j > 0 and 0 < b < self.n and bol[b] and self.list_like(kids[j], 2)),
                    -1)
        wanted = self.t.names[k] or _or_list(self.t.first_names[k]) or closer_names(self, k)
        if body < 0 or not wanted:
            return ""
        first = body - 1
        while first > 0 and not bol[first]:
            first -= 1
        header = self.line_text(first, body - 1)
        if len(header) > 40:
            header = header[:37].rstrip() + "..."
        return closing_message(self, wanted, header, q)

    def doubled_opener(self, e: int, p: int, q: int, mark: int, own: int) -> int:
        """Recovery mode: sequence ``e`` that begins with a literal, parsed from ``p`` up
        to ``q`` (NO_MATCH: it failed) with its elements on the stack from ``mark``,
        with errors. Where an opener is doubled (``begin begin``, ``do do``, ``Clamp(
        (VAR``), the second copy is likelier the mistake than what the errors say: the
        one written at ``p`` (it failed, or gave two errors or more: the second copy as
        the error reaches as far with that one error), or one written inside it where
        the sequence's only error is its own closer missing (the doubled block took
        it: the second copy as the error, and the parse from ``p`` has no other).
        Where ``q`` is, or where the parse with the doubled token as its error ended."""
        t, lit, stack = self.t, self.lit, self.stack
        if self.doubled_at != NO_MATCH or t.commits[e] != 0 or p + 2 >= self.n \
                or self.doubled_tries <= 0:
            return q
        errors = _errors_in(stack[mark:], 2) if q >= 0 else 2
        if errors == 0 or (errors == 1 and own < 0):
            return q
        # where the doubled opener is, and whether its parse must reach as far: a
        # block's opener (``begin``, ``do``) may be doubled anywhere inside, the
        # sequence's own anywhere else (``f( (a, b)``, not ``((a + b) * c`` whose last
        # ')' is missing)
        openers = recovery_sets_for(t)[4]
        at: list[tuple[int, bool]] = []
        if errors == 1:
            at = [(j - 1, False) for j in range(p + 1, min(q, self.n))
                  if lit[j] == lit[j - 1] and lit[j] in openers]
        if lit[p + 1] == lit[p] and (not at or at[0][0] != p):
            at.insert(0, (p, True))
        if not at:
            return q
        kept = stack[mark:]
        del stack[mark:]
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        # a few tries per step, each parse on a budget of its own (it parses what the
        # sequence holds again, without the memo: nested brackets would else try at
        # every level, each parsing the levels inside it again)
        fuel = self.fuel
        starved = self.starved  # what runs out of this budget is not the step's starving
        budget = self.fuel = min(fuel, OPENER_FUEL)
        for j, reach in at[:self.doubled_tries]:
            self.doubled_tries -= 1
            self.clear_memo()
            self.doubled_at = j
            r = self.ev(e, p, True)
            self.doubled_at = NO_MATCH
            self.clear_memo()
            if r > p and _errors_in(stack[mark:], 2) == 1 and (not reach or r >= q):
                self.fuel = fuel - (budget - self.fuel)
                self.starved = starved or self.fuel <= 0
                return r
            del stack[mark:]
        self.fuel = fuel - (budget - self.fuel)
        self.starved = starved or self.fuel <= 0
        stack.extend(kept)
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return q

    def opener_doubled(self, e: int, p: int) -> int:
        """``doubled_opener``'s parse of sequence ``e`` at ``p``: its opening literal,
        the same token after it as an error, the rest after that; NO_MATCH if the
        sequence does not begin with that literal."""
        kids = self.kids[e]
        if self.ops[kids[0]] != OP_LIT or self.lit[p] != self.keys[kids[0]] \
                or self.lit[p + 1] != self.lit[p]:
            return NO_MATCH
        mark = len(self.stack)
        self.push_token(p)
        self.error_over(p + 1, p + 2, f"unexpected {self.describe(p + 1)}")
        q = self.rest_of(kids, p + 2)
        if q < 0:
            del self.stack[mark:]
        return q

    def option_without_opener(self, kids: tuple[int, ...], at: int, began: list[int],
                              p: int, mark: int) -> int:
        """Recovery mode: element ``kids[at]`` of a sequence missing at ``p``, after
        options that matched nothing there: the nearest of them (up to three back)
        that is a form beginning with a literal, its opener missing, whose rest parses
        at ``p`` with no other error and after which the sequence's elements up to
        ``kids[at]`` match as written (``procedure P A: Integer);``: a parameter list
        without its '(', not "expected ';'" and the rest of the heading wrong). Its
        node is on the stack, where it ended in ``ends_at``; the option's index, or
        -1."""
        if self.ends_missing(mark) or p >= self.n:
            return -1
        ops, kids_of, t, stack = self.ops, self.kids, self.t, self.stack
        # what the tries expected is no expectation of the sequence's (``expect``
        # appends in place)
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        found = -1
        i = at - 1
        while i >= 0 and at - i <= 3 and ops[kids[i]] == OP_OPT and began[i] == p:
            body = kids_of[kids[i]][0]
            rule = kids_of[body][0] if ops[body] == OP_RULE else -1
            form = t.rule_expr[rule] if rule >= 0 else body
            parts = kids_of[form]
            first = self.first[parts[1]] if ops[form] == OP_SEQ and len(parts) > 1 \
                and ops[parts[0]] == OP_LIT else frozenset()
            # (None: it may begin empty, or with anything; the checks after it decide)
            if first is None or self.lit[p] in first or self.cls[p] in first:
                base = len(stack)
                q, node_mark = self.rest_without_opener(parts, p, self.describe(p, True))
                if q > p and _errors_in(stack[node_mark:], 2) == 1 \
                        and self.matches_after(kids[i + 1:at + 1], q):
                    if rule >= 0:
                        node = GreenNode(t.rule_kind[rule], cast(
                            "tuple[GreenNode | Token, ...]", tuple(stack[node_mark:])))
                        del stack[node_mark:]
                        stack.append(node)
                    self.ends_at = q
                    found = i
                    break
                del stack[base:]
            i -= 1
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return found

    def rest_without_opener(self, parts: tuple[int, ...], p: int, found: str,
                            skips: bool = False) -> tuple[int, int]:
        """A form (``parts``) whose opening literal is missing at ``p``: its zero-width
        error, then the rest from ``p`` as the start of a node of its own; where the rest
        ended (NO_MATCH: it did not) and where the form's elements begin on the
        stack. Every caller keeps it only where that error is its one (``skips``: nor
        is there a skip without a message), so a list in the rest ends at its first
        error (``spotless``)."""
        self.push_gap(p)
        saved = self.frame
        self.frame = p
        mark = len(self.stack)
        first = parts[0]
        # a choice of literals too many for its name (an object's method heading
        # without its word): each of them
        name = self.t.names[first]
        if not name and self.kids[first]:
            words = [self.t.names[k] for k in self.kids[first]]
            name = ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
        self.error_here(f"expected {name}, found {found}")
        spotless = self.spotless
        self.spotless = SPOTLESS_SKIPS if skips else SPOTLESS
        q = self.rest_of(parts, p)
        self.spotless = spotless
        self.frame = saved
        return q, mark

    def matches_after(self, elements: tuple[int, ...], p: int) -> bool:
        """The elements match as written in order from ``p`` (what they push taken
        back)."""
        stack = self.stack
        mark = len(stack)
        q = p
        for e in elements:
            q = self.ev(e, q, False)
            if q < 0:
                break
        del stack[mark:]
        return q >= 0

    def doubled(self, mark: int, e: int, p: int, rest: tuple[int, ...] = ()) -> int:
        """Recovery mode: element ``e``, missing at ``p``, where token ``p`` is the one
        before it written again (``END END SELECT``, ``if if x then``, a name: ``fn f f(a)``):
        the doubled token as the error, ``e`` parsed after it (``rest``: the elements up
        to ``e`` that matched nothing at ``p``, the parameter list's ``'('`` missing there
        as ``{``'s; parsed again from ``p``'s next token, then ``e``); kept if that takes
        tokens with no other error, else NO_MATCH. Not where the element before it ended
        with an error (``ends_missing``), nor across a line break between items."""
        n = self.n
        if p >= n or not self.written_twice(p) \
                or (self.t.newline_items and self.bol[p]) or self.ends_missing(mark):
            return NO_MATCH
        if p + 1 > self.reach:
            self.reach = p + 1  # it looks at the token after (the end: there is none)
        if p + 1 >= n:
            return NO_MATCH
        stack = self.stack
        at = len(stack)
        # a try that fails expected nothing (``expect`` appends in place)
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        # (with ``rest``, ``e`` is no element missing there: the token is the mistake)
        self.error_over(p, p + 1, f"{self.describe(p)} written twice" if self.t.block_template
                        else f"unexpected {self.describe(p)}" if rest else self.missing(e, p))
        q = p + 1
        for k in (*rest, e):
            q = self.ev(k, q, True)
            if q < 0:
                break
        if q > p + 1 and _errors_in(stack[at:], 2) == 1:
            return q
        del stack[at:]
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return NO_MATCH

    def doubled_next(self, mark: int, e: int, p: int) -> int:
        """Recovery mode: element ``e``, missing at ``p``, where the token after ``p`` is
        ``p`` written again (``VAR X X : REAL;``: the declaration fails at its second
        ``X``): the first copy as the error, ``e`` parsed after it; kept if that takes
        tokens with no other error, else NO_MATCH (as ``doubled``)."""
        if p + 1 >= self.n or not self.written_twice(p + 1) or self.ends_missing(mark) \
                or (self.t.newline_items and self.bol[p + 1]):
            return NO_MATCH
        if p + 1 > self.reach:
            self.reach = p + 1
        stack = self.stack
        at = len(stack)
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        self.error_over(p, p + 1, f"{self.tokens[self.index[p]][1]!r} written twice")
        q = self.ev(e, p + 1, True)
        if q > p + 1 and _errors_in(stack[at:], 2) == 1:
            return q
        del stack[at:]
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return NO_MATCH

    def doubled_start(self, elements: tuple[int, ...], p: int, mark: int) -> int:
        """Recovery mode: the last of ``elements`` missing at ``p``, the first having
        taken only token ``p - 1`` (its elements on the stack from ``mark``), where token
        ``p`` is that one written again (``when score score >= 90:``): the first copy the
        error, the elements parsed again from ``p``; where they ended if that has no
        other error, else NO_MATCH with the stack as it was."""
        if not self.written_twice(p):
            return NO_MATCH
        stack = self.stack
        kept = stack[mark:]
        del stack[mark:]
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        self.error_over(p - 1, p, f"{self.describe(p - 1)} written twice")
        q = p
        for k in elements:
            q = self.ev(k, q, True)
            if q < 0:
                break
        if q > p and _errors_in(stack[mark:], 2) == 1:
            return q
        del stack[mark:]
        stack.extend(kept)
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return NO_MATCH

    @staticmethod
    def empty_before(kids: tuple[int, ...], at: int, began: list[int], p: int
                     ) -> tuple[int, ...]:
        """The elements before ``kids[at]`` (a sequence's, missing at ``p``) that were
        evaluated at ``p`` too, matching nothing there (options): what a doubled token
        at ``p`` may have kept from matching."""
        i = at
        while i > 0 and began[i - 1] == p:
            i -= 1
        return kids[i:at]

    def doubled_message(self, p: int) -> str:
        """A block style's template's error found at token ``p`` inside its line, where
        ``p`` is the token before it written again (``A A.Owner := x``, ``IF n n > 1``):
        named as the keyword level names it, "'A' written twice" (``drop_doubled``), not
        by what was expected there instead; '' elsewhere, and for a ';' (after one, an
        empty statement's: "unexpected ';'", as there)."""
        if p >= self.n or self.bol[p] or self.lit[p] == SEMICOLON_KEY \
                or not self.written_twice(p):
            return ""
        return f"{self.describe(p)} written twice"

    def written_twice(self, p: int) -> bool:
        """Token ``p`` is the one before it written again: the same literal, or the same
        name or number (no literal of the grammar: told by its text)."""
        lit, cls = self.lit, self.cls
        if not 0 < p < self.n or lit[p] != lit[p - 1] or cls[p] != cls[p - 1]:
            return False
        if lit[p]:
            return True
        if not cls[p]:
            return False
        tokens, index = self.tokens, self.index
        return tokens[index[p]][1] == tokens[index[p - 1]][1]

    def without_first(self, e: int, p: int) -> int:
        """Recovery mode: element ``e``, missing at ``p``, a form (or a choice of forms)
        that begins with a literal: the first such form whose rest, parsed at ``p``,
        takes tokens with no error, after a zero-width error for the literal (``IF x >
        1`` and its block on the lines after it, its ``THEN`` missing: the block is
        the IF's, not a run of orphaned ``ELSE`` and ``END IF``); NO_MATCH if none.
        Inside a line of newline-separated items, a rest that can begin with a line
        break is tried first at the next line, the tokens before it the error (``IF x
        > 1 TEHN``: not the one-line IF ``TEHN``, its block's lines orphaned)."""
        ops, kids, stack, n = self.ops, self.kids, self.stack, self.n
        if ops[e] == OP_RULE:
            return self.rule_without_first(kids[e][0], p)
        forms = kids[e] if ops[e] == OP_CHOICE else (e,)
        for form in forms:
            parts = kids[form]
            if ops[form] != OP_SEQ or ops[parts[0]] != OP_LIT:
                continue
            starts = [p]
            if self.t.newline_items and p < n and not self.bol[p] \
                    and self.opens_line(parts[1], set()):
                j = p + 1
                while j < n and not self.bol[j]:
                    j += 1
                if j > self.reach:
                    self.reach = j
                if j < n:
                    starts.insert(0, j)
            for at in starts:
                mark = len(stack)
                if at == p:
                    self.error_here(self.missing(e, p))
                else:
                    self.error_over(p, at, self.missing(e, p))
                q = self.rest_of(parts, at)
                if q > at and _errors_in(stack[mark:], 2) == 1:
                    return q
                del stack[mark:]
        return NO_MATCH

    def rule_without_first(self, r: int, p: int) -> int:
        """``without_first`` for a call of rule ``r`` whose body is a form that begins
        with a literal and holds a list of items (a routine's ``block``, its '{'
        deleted: the lines after the heading are its body, not statements of the file
        and then a stray '}'): the rest parsed from ``p`` in a node of the rule, kept
        where that is its one error; NO_MATCH if not."""
        t, stack = self.t, self.stack
        parts = self.kids[t.rule_expr[r]]
        if self.ops[t.rule_expr[r]] != OP_SEQ or len(parts) < 2 \
                or self.ops[parts[0]] != OP_LIT or not t.rule_lines or not t.rule_lines[r]:
            return NO_MATCH
        base = len(stack)
        q, mark = self.rest_without_opener(parts, p, self.describe(p, True))
        if q > p and _errors_in(stack[mark:], 2) == 1:
            node = GreenNode(t.rule_kind[r], cast("tuple[GreenNode | Token, ...]",
                                                  tuple(stack[mark:])))
            del stack[mark:]
            stack.append(node)
            return q
        del stack[base:]
        return NO_MATCH

    def literal_ahead(self, e: int, p: int, opener: str) -> int:
        """Recovery mode: where a literal element ``e`` (or a choice of literals) that
        is missing at ``p`` comes a few tokens later on the same line: before a ';', a
        word an item starts with or a list's closer, within ``LITERAL_AHEAD`` tokens,
        and not one that closes a nested ``opener`` (the literal its sequence began
        with: the ')' of ``f(a b(c))`` is the second); NO_MATCH if not there."""
        keys = self.literal_keys(e)
        if not keys or opener in keys:
            return NO_MATCH
        # the closer of a bracket its sequence opened (the ')' of a parameter list):
        # the ';' between parameters, and words an item starts with (``var``), are
        # inside the brackets, no place where an item resumes
        bracketed = opener.startswith(PUNCT_PREFIX) and all(
            k.startswith(PUNCT_PREFIX) for k in keys)
        opener = opener or NO_KEY
        t = self.t
        lit, bol = self.lit, self.bol
        n = self.n
        stop = min(n, p + LITERAL_AHEAD)
        nested = 0
        found = NO_MATCH
        j = p
        while j < stop:
            key = lit[j]
            if j > p and (bol[j] or key in keys and not nested):
                if not bol[j]:
                    found = j
                break
            if key in t.closers or not bracketed and (key == SEMICOLON_KEY or key in t.sync):
                break
            if key == opener:
                nested += 1
            elif key in keys:
                nested -= 1
            j += 1
        # the furthest token it looked at (the end, when it ran out of tokens)
        looked = j if j < stop or stop == n else stop - 1
        if looked > self.reach:
            self.reach = looked
        return found

    def line_ahead(self, e: int, p: int) -> int:
        """Recovery mode, newline-separated items: where element ``e``, missing at
        ``p`` inside a line, can begin with the line break it may begin with (``'THEN'
        (NEWLINE item* ... / if_line)`` whose line goes on with a mistake: ``IF x THEN
        THEN`` keeps its block), and does so without an error (a one-line ``IF`` with a
        mistake is no block that runs into the routine's ``END``); NO_MATCH if not."""
        if not self.t.newline_items or p >= self.n or self.bol[p] \
                or not self.opens_line(e, set()):
            return NO_MATCH
        j = p + 1
        while j < self.n and not self.bol[j]:
            j += 1
        if j > self.reach:
            self.reach = j
        if j >= self.n:
            return NO_MATCH
        stack = self.stack
        mark = len(stack)
        r = self.ev(e, j, True)
        clean = r > j and _errors_in(stack[mark:], 1) == 0
        del stack[mark:]
        return j if clean else NO_MATCH

    def line_rest(self, start: int, mark: int, e: int, p: int) -> int:
        """Recovery mode, newline-separated items: a sequence's last element ``e``, the
        end of its line (``inline_statement end_of_statement``), missing at ``p`` inside
        the line after elements that matched with no error (the statement is complete:
        ``END END IF``, ``END SUB SUB``): the rest of the line is one error and ``e``
        matches after it, rather than the statement failing as a whole (its block then
        re-read as the lines of an enclosing one, an error for each of its closers);
        NO_MATCH where that is not so."""
        n, bol, stack = self.n, self.bol, self.stack
        if not self.t.newline_items or p >= n or bol[p] or not self.line_end(e, 2) \
                or _errors_in(stack[mark:], 1) > 0:
            return NO_MATCH
        # only for a statement that begins its line (one that begins after a skip inside
        # it is likelier a piece of that mistake: the skip goes on over it) and is more
        # than a name (``x = = 2``: the line is the mistake, not what follows ``x``)
        if not bol[start] or p - start < 2 and self.cls[start] != CLASS_KEYWORD:
            return NO_MATCH
        # and only at a token written twice (``END END IF``, ``END SUB SUB``): elsewhere
        # (``END TYPE`` of a block whose header failed, the statement ``END`` then its
        # ``TYPE``) the lists around it recover better (measured on qbasic's programs)
        if not self.written_twice(p):
            return NO_MATCH
        j = p + 1
        while j < n and not bol[j]:
            j += 1
        if j > self.reach:
            self.reach = j
        if self.header_line(start, p, j):
            return NO_MATCH
        at = len(stack)
        self.error_over(p, j, f"{self.describe(p)} written twice" if self.written_twice(p)
                        else f"unexpected {self.describe(p)}")
        q = self.ev(e, j, True)
        if q < j:
            del stack[at:]
            return NO_MATCH
        return q

    def header_line(self, start: int, p: int, end: int) -> bool:
        """The line of tokens ``start`` up to ``end`` may be a block's header without
        its first word (``n = 1 TO 10``, ``x > 1 THEN``: ``missing_opener``): its first
        token can begin the rest of such a form, and one of that form's words is among
        the tokens from ``p`` on."""
        lit, cls, first, kids, t = self.lit, self.cls, self.first, self.kids, self.t
        for r, literals in recovery_sets_for(t)[1][0]:
            f = first[kids[t.rule_expr[r]][1]]
            if (f is None or lit[start] in f or cls[start] in f) \
                    and any(lit[i] in literals for i in range(p, end)):
                return True
        return False

    def line_end(self, e: int, depth: int) -> bool:
        """Expression ``e`` is the end of a line (``NEWLINE``), or (``depth`` rules and
        choices down) a rule or a choice with it as a form: ``NEWLINE / ';'``."""
        op = self.ops[e]
        if op == OP_NEWLINE:
            return True
        if depth <= 0:
            return False
        if op == OP_RULE:
            return self.line_end(self.t.rule_expr[self.rule_of[e]], depth - 1)
        return op == OP_CHOICE and any(self.line_end(k, depth - 1) for k in self.kids[e])

    def opens_line(self, e: int, seen: set[int]) -> bool:
        """Expression ``e`` has a form that begins with a line break (``NEWLINE``)."""
        op = self.ops[e]
        if op in ZERO_WIDTH_OPS:
            return True
        if op == OP_RULE:
            r = self.kids[e][0]
            if r in seen:
                return False
            seen.add(r)
            return self.opens_line(self.t.rule_expr[r], seen)
        if op == OP_SEQ:
            return self.opens_line(self.kids[e][0], seen)
        if op == OP_CHOICE:
            return any(self.opens_line(k, seen) for k in self.kids[e])
        return False

    def literal_keys(self, e: int) -> frozenset[str]:
        """The keys of a literal, or of a choice whose alternatives each begin with one
        (``('THEN' ... / 'GOTO' ...)``); empty for anything else."""
        ops, keys = self.ops, self.keys
        if ops[e] == OP_LIT:
            return frozenset((keys[e],))
        first = self.first[e]
        if ops[e] == OP_CHOICE and first and first <= self.t.literal_keys:
            return first
        return frozenset()

    def widen_error(self, mark: int, e: int, p: int, q: int, again: bool) -> bool:
        """The tokens from ``p`` up to ``q``, before element ``e`` that is found there,
        as the error of the element missing at ``p``: the zero-width error just
        reported there (``again``: an element before ``e`` was missing at ``p``), or a
        new one for ``e``. False, with nothing done, where that error is not the last
        element on the stack (it was reported deeper, inside a node)."""
        stack = self.stack
        if again:
            last = stack[-1] if len(stack) > mark else None
            if not (type(last) is GreenNode and last.kind == K.ERROR and not last.children):
                return False
            stack.pop()
            message = last.error or self.missing(e, p)
        elif self.ends_missing(mark):
            return False
        else:
            message = self.missing(e, p)
        self.error_over(p, q, message)
        return True

    def outer_only(self, p: int) -> bool:
        """Token ``p`` is the end of the file, a word an item starts with (what
        recovery resumes at: ``sync``) or a token a loop left to an outer level
        (``left_out``)."""
        return p >= self.n or self.lit[p] in self.t.sync or p in self.left_out

    def ends_missing(self, mark: int) -> bool:
        """What the stack holds above ``mark`` ends with a zero-width error: something
        is missing right there, and was reported (one error per position)."""
        stack = self.stack
        if len(stack) <= mark:
            return False
        last = stack[-1]
        while type(last) is GreenNode:
            if last.kind == K.ERROR:
                return not last.children
            if not last.children:
                return False
            last = last.children[-1]
        return False

    def missing(self, e: int, p: int) -> str:
        """Element ``e`` missing at ``p``: the message names what was expected there:
        at the step's furthest failure when that is ``p``, else what was expected at
        ``p`` (``(2, 3, 5 7)``: "expected ',' or ')'", not only the ')' of the first
        alternative, a parenthesised expression), unless that leaves out a named
        element missing there ("expected expression", not its parts)."""
        if self.t.block_template and (message := item_end_message(self, e, p)
                                      or self.doubled_message(p)):
            return message  # (as the keyword level names a statement's end missing)
        name = first_word_name(self, e, self.t.names[e])
        wanted = self.wanted() if self.far == p else ""
        if wanted and self.t.block_template and (named := rule_named(self, e, name)):
            wanted = named  # ("expected a type", not the tokens it begins with)
        if not wanted and self.ops[e] <= OP_CLASS:
            # a token: the others that could have come there with it (a group keeps
            # its name or its tokens: "expected expression", "expected 'NEXT' or ','")
            names = self.wanted_at(p, name)
            if name in names:  # first: what a quick fix inserts
                names.remove(name)
                names.insert(0, name)
            wanted = _or_list(names)
        wanted = wanted or name or _or_list(self.t.first_names[e])
        if not wanted:
            # nothing to name (a group that can begin with any token): the token is
            # the mistake, or the line or file ended too soon
            found = self.describe(p, True)
            return f"unexpected {found}" if found[:1] in "'\"" else f"expected more, found {found}"
        if self.t.block_template and p < self.n and self.bol[p]:
            return f"expected {wanted}"  # (as the keyword level: the line ended too soon)
        return f"expected {wanted}, found {self.describe(p, True)}"

    def item_list(self, op: int, e: int, p: int) -> int:
        """Recovery mode: items until a token that can close the list; a line that is
        no item becomes one ERROR node and the list goes on."""
        closers = self.t.closers
        lit = self.lit
        q = p
        count = 0
        soft = None
        # what can follow this list: a closer that cannot (an ``ELSE`` ends an IF's
        # list, not a WHILE's) is no end of it, and an item that stopped there stopped
        # short (``IF x THEN`` then a line, taken as a one-line IF, whose block's
        # ``ELSE ELSE`` has a mistake)
        recovery = resync_for(self.t).get(e)
        ends = recovery.stops if recovery is not None else closers
        skipped: list[int] = []  # the lines this list skipped as errors (their first token)
        guarded = self.indent_guarded(self.kids[e][0])
        while True:
            if q > self.reach:
                self.reach = q
            if q >= self.n or guarded and not self.inside_block(q):
                break
            if q == self.close_at and self.closes_here(p, q) or self.t.block_template \
                    and closer_remnant(self, q):
                break
            if q == self.stray_at:
                q = self.skip(q, recovery)  # (a closer of no construct here: ``stray_closer``)
                count += 1
                continue
            if lit[q] in closers:
                if q == p and q > 0 and lit[q - 1] == lit[q]:
                    # the word that opened the list written twice (``ELSE ELSE``): the
                    # second one is the mistake, not the end of an empty list (whose
                    # block then lacked its end, and its end was a stray)
                    self.error_over(q, q + 1, f"unexpected {self.describe(q)}")
                    q += 1
                    count += 1
                    continue
                if skipped and lit[q] not in ends and (r := self.orphan_closer(q, skipped)) > q:
                    q = r
                    count += 1
                    continue
                break
            mark = len(self.stack)
            r = self.item_at(q)
            if r > q:
                if r < self.n and (lit[r] not in closers or lit[r] not in ends) and (
                        self.strands(r) or self.cut_short_noted(r)
                        or guarded and self.left_in_block_noted(q, r)):
                    r = self.item_further(q, r, mark)
                if self.t.block_template:
                    r = rest_of_statement(self, q, r, mark)  # (``RETURN s 0.05 *``)
                soft = self.soft_stop(mark, r) or soft
                q = r
            else:
                r = self.item_cut_short(q, mark) if self.t.block_template else NO_MATCH
                if r <= q:
                    r = self.missing_opener(q)
                if r <= q and self.bol[q]:
                    skipped.append(q)
                q = r if r > q else self.skip_line(q) if guarded else self.skip(q, recovery)
            count += 1
            if self.spotless and _errors_in(self.stack[mark:], 1,
                                            self.spotless == SPOTLESS_SKIPS):
                # (inside a form without its opening word, which this error already
                # lost (``rest_without_opener``): the rest of the file parsed again at
                # each line that fails would cost the square of its length)
                break
        self.soft = soft
        return NO_MATCH if op == OP_PLUS and count == 0 else q

    def indent_guarded(self, body: int) -> bool:
        """A loop's body that begins with ``INDENT`` (``(INDENT statement)+``): its turns
        are the lines of an indented block, which the indentation alone decides."""
        return self.ops[body] == OP_SEQ and len(self.kids[body]) > 1 \
            and self.ops[self.kids[body][0]] == OP_INDENT

    def inside_block(self, q: int) -> bool:
        """Token ``q`` begins a line indented deeper than the line where the current
        rule began: what ``INDENT`` matches there, without noting an expectation."""
        if q > self.reach:
            self.reach = q
        if q >= self.n or not self.bol[q]:
            return False
        lead = self.line_leads()
        start = lead[self.frame] if 0 <= self.frame < self.n else self.outer_lead
        return lead[q] > start

    def skip_line(self, q: int) -> int:
        """One ERROR node over the rest of the line from ``q`` (a line of an indented
        block that is no item: the next line may still be one of the block's)."""
        r = q + 1
        while r < self.n and not self.bol[r]:
            r += 1
        if r > self.reach:
            self.reach = r
        self.error_over(q, r, self.skip_message(q))
        return r

    def orphan_closer(self, q: int, skipped: list[int]) -> int:
        """Inside a list in recovery mode: a closer at ``q`` that cannot end the list,
        at the start of a line indented as one the list skipped as an error: that line
        was the header of the construct this closes (``WHILE x <> 1`` without its
        ``WHILE``: ``x <> 1`` is the error, the body's lines items of the list, and
        the ``WEND`` the rest of that mistake, reported there already). Where the
        closer's line ends (as a skip would), or NO_MATCH."""
        if not self.bol[q]:
            return NO_MATCH
        leads = self.line_leads()
        if all(leads[s] != leads[q] for s in skipped):
            return NO_MATCH
        r = self.skip_to(q)
        self.error_over(q, r, None)
        return r

    def resync_list(self, op: int, body: int, p: int, recovery: LoopRecovery) -> int:
        """Recovery mode: a loop below the items goes on past a token that neither its
        body nor anything after it can start with, skipping up to one that can; at a
        token only its body can start with, an item that fails even in recovery mode
        is parsed committed from its first element (``committed``)."""
        stops, starts = recovery.stops, recovery.starts
        mark = len(self.stack)
        q = self.repeat(OP_STAR, body, p, True)
        soft = self.soft
        took = q > p
        lit, cls = self.lit, self.cls
        n = self.n
        ends = recovery.ends
        guarded = self.indent_guarded(body)
        seen = mark
        while q < n:
            if self.spotless and _errors_in(self.stack[seen:], 1,
                                            self.spotless == SPOTLESS_SKIPS):
                break  # (as in ``item_list``)
            seen = len(self.stack)
            if q == self.close_at and self.closes_here(p, q) or self.t.block_template \
                    and closer_remnant(self, q):
                break  # (``closer_missing``; what is left of the closer around)
            if guarded and self.inside_block(q):
                # a line of this block (its indentation says so) that is no item even
                # in recovery mode: an error, and the block goes on after it
                r = self.item_cut_short(q, len(self.stack)) if self.t.block_template \
                    else NO_MATCH  # (``show(1) show(2)``: its end missing at ``show``)
                q = self.repeat(OP_STAR, body, r if r > q else self.skip_line(q), True)
                soft = self.soft or soft
                took = True
                continue
            if (lit[q] in starts or cls[q] in starts or lit[q] not in ends and lit[q]
                    and not lit[q].startswith(PUNCT_PREFIX)) and self.block_follows(
                    q, recovery):
                self.block_at = q  # (at a word that cannot follow the list, or a token
                break  # only its items can start with: ``for`` or a name after ``var``)
            if lit[q] in stops or cls[q] in stops:
                at = len(self.stack)
                r = self.headless_block(body, q, recovery)
                if r > q:
                    pass
                elif lit[q] in starts or cls[q] in starts:
                    r = self.without_opener(body, q, recovery)
                    if r <= q:
                        r = self.committed(body, q)
                elif lit[q] in recovery.words:
                    r = self.committed_word(body, q, recovery.goes_on)
                else:
                    r = self.stray(body, q, recovery)
                    if r <= q:
                        r = self.turn_committed(body, q)
                if r <= q:
                    break
                if self.t.block_template:
                    r = rest_of_statement(self, q, r, at)  # (``x = x 2 +``)
                q = self.repeat(OP_STAR, body, r, True)
                soft = self.soft or soft
                took = True
                continue
            if self.bol[q] and lit[q] in recovery_sets_for(self.t)[1][1]:
                break  # a word an item starts with, on a line of its own: the list ended
            if self.t.block_template and (r := self.separator_after_doubled(body, q, True)) > q:
                q = self.repeat(OP_STAR, body, r, True)  # (``a := b b;``)
                took = True
                continue
            mark = len(self.stack)
            r = self.without_separator(body, q)
            if q < r and self.bol[q] and not self.list_goes_on(r, recovery):
                # on a line of its own, the item read after the missing separator ends
                # where only an outer level goes on: the list ended before it, its
                # closer is what is missing (a Lua table whose '}' is missing before
                # the next statement)
                del self.stack[mark:]
                break
            if q < r < n and lit[r] not in stops and cls[r] not in stops:
                # the item read after the missing separator ends where the list cannot
                # go on: no separator was missing, the tokens are wrong (``x := a b *
                # c;`` is one mistake, not a ';' before ``b`` and then ``*``)
                del self.stack[mark:]
                r = NO_MATCH
            if q < r and self.t.block_template and (
                    j := rest_after_separator(self, q, r, mark)) > q:
                r = j  # (``a := a 1 +;``: one mistake up to the ';')
            if r <= q:
                r = self.without_name(body, q, recovery)
                if r <= q and self.t.block_template:
                    r = headless_list(self, body, p, q, recovery.goes_on | recovery.ends)
                if r > q:
                    q = self.repeat(OP_STAR, body, r, True)
                    soft = self.soft or soft
                    took = True
                    continue
                r = self.skip_end(q, stops)
                if r >= n:
                    # a skip would take the rest of the file, and leave what encloses
                    # the loop without its closer there: a second error for the one
                    # mistake (``begin ... end.`` whose inner block's ``end`` is missing
                    # took the main block's). The loop ends here instead; the closer is
                    # reported missing once, at this token, which an outer level takes.
                    self.reach = n  # it looked at every token
                    self.left_out.add(q)
                    break
                mark = len(self.stack)
                message = self.skip_message(q)
                self.error_over(q, r, message)
                j = self.items_after_skip(body, r)
                if _errors_in(self.stack[mark:], 2) > 1 or (
                        j == r and (lit[r] in starts or cls[r] in starts)) or (
                        r < j < n and lit[j] not in stops and cls[j] not in stops):
                    # the items after the skip begin with another error (``procedure
                    # P; ; virtual;`` in an object: ``virtual`` taken for a field,
                    # ``committed``), or end where another skip begins (``: array[1..16]
                    # of Integer;`` without its name, ``[1..16]`` an attribute, then
                    # ``of``): a longer skip, if the items after it have none
                    kept = self.stack[mark:]
                    del self.stack[mark:]
                    longer = self.restart(body, q, r, recovery, message)
                    if longer > q:
                        j = longer
                    else:
                        self.stack.extend(kept)
                q = j
                soft = self.soft or soft
                took = True
                continue
            q = self.repeat(OP_STAR, body, r, True)
            soft = self.soft or soft
            took = True
        self.soft = soft
        return NO_MATCH if op == OP_PLUS and not took else q

    def items_after_skip(self, body: int, r: int) -> int:
        """Recovery mode: the loop's turns after tokens skipped up to ``r``; where no
        turn starts there but an item does, the skip stood in its separator's place (a
        stray ``ELSE`` whose ``IF ... THEN`` line is deleted, then ``IF ...``: one
        mistake, not also a ';' missing and the block ended there)."""
        j = self.repeat(OP_STAR, body, r, True)
        if j == r and r < self.n and (w := self.without_separator(body, r)) > r:
            j = self.repeat(OP_STAR, body, w, True)
        return j

    def step_without_opener(self, p: int) -> int:
        """Recovery mode, no item at ``p``, whose token no item can start with: an item
        that lost its opening word (a routine without its ``procedure``: ``Foo(x:
        Integer); var ... begin ... end;`` is "expected 'procedure', ..., found 'Foo'"
        and a routine, not an error for its heading and then one for its ``end;``), as
        ``without_opener`` inside a list; kept where it runs past its first line (as
        ``missing_opener``: ``WriteLn(Total);`` is no ``program`` heading) up to where
        an item can start, or to the end of the file. Forms two rules deeper than a
        list's: the item is a choice of kinds of items (a routine), each a choice of
        rules."""
        if p >= self.n:
            return NO_MATCH
        first = self.item_firsts()
        lit, cls, n, bol = self.lit, self.cls, self.n, self.bol
        if NO_KEY in first or lit[p] in first or cls[p] in first:
            return NO_MATCH
        line_end = p + 1
        while line_end < n and not bol[line_end]:
            line_end += 1
        if line_end > self.reach:
            self.reach = line_end  # what the step's result depends on

        def goes_on(q: int) -> bool:
            if q > self.reach:
                self.reach = q  # the token after it decides too
            return q > line_end and (q >= n or lit[q] in first or cls[q] in first)
        if self.opening:
            return NO_MATCH
        # as ``missing_opener``: one at a time, on a budget of its own (a file whose
        # every line fails would else parse the rest of the file again at each line)
        self.opening = True
        fuel, starved = self.fuel, self.starved
        budget = self.fuel = min(fuel, OPENER_FUEL)
        end = self.first_form(self.t.item, p, self.opener_fits(p), goes_on, 5)
        self.opening = False
        if self.fuel <= 0:
            self.clear_memo()
        self.fuel = fuel - (budget - self.fuel)
        self.starved = starved or self.fuel <= 0
        return end

    def opener_fits(self, p: int) -> Callable[[tuple[int, ...]], bool]:
        """A form that begins with a literal or a choice of literals and whose rest can
        begin at ``p`` (``without_opener``)."""
        ops, kids, lit, cls = self.ops, self.kids, self.lit, self.cls
        return lambda parts: len(parts) > 1 and (
            ops[parts[0]] == OP_LIT or ops[parts[0]] == OP_CHOICE
            and all(ops[k] == OP_LIT for k in kids[parts[0]])) and (
            (first := self.first[parts[1]]) is not None
            and (lit[p] in first or cls[p] in first))

    def after_list(self, kids: tuple[int, ...], at: int, p: int, blocks: bool = False
                   ) -> int:
        """Recovery mode: element ``kids[at]`` of a sequence not yet committed, missing at
        ``p`` right after a list that took tokens and that ended there because a block
        without its opener follows (``block_follows``), or after a list that took none
        at the sequence's start (a routine's body with no declarations, its ``begin``
        lost: the heading's ``;`` and then statements): a form of it (through its choices
        and rules) that begins with a literal, parsed without it from ``p``, kept when
        that is its one error and the sequence's elements after it match (a routine's
        declarations, then statements whose ``begin`` is missing: "expected 'begin'",
        the statements the routine's block); where it ended, or NO_MATCH."""
        ops, kids_of, lit, cls, t = self.ops, self.kids, self.lit, self.cls, self.t
        rest = kids[at + 1:]
        # where no ``block_follows`` vouched for it (``blocks``), only the forms of the
        # blocks that hold items (``opener_rules``): an ``asm`` block's opaque body
        # without its ``asm`` would take any tokens
        held = {kids_of[t.rule_expr[r]] for r, _ in recovery_sets_for(t)[1][0]} \
            if blocks else None
        return self.first_form(kids[at], p, lambda parts: len(parts) > 1 and (
            held is None or parts in held) and (
            ops[parts[0]] == OP_LIT or ops[parts[0]] == OP_CHOICE
            and all(ops[k] == OP_LIT for k in kids_of[parts[0]])) and (
            (first := self.first[parts[1]]) is None or lit[p] in first or cls[p] in first),
            lambda q: self.matches_after(rest, q), 2)

    def block_follows(self, p: int, recovery: LoopRecovery) -> bool:
        """Recovery mode, in a list at ``p`` where no item parses: a block that can follow
        the list (its opening word in the list's FOLLOW set, ``opener_rules``) begins here
        without that word, its rest parsing with no other error past ``p``'s line (a
        routine's ``var`` section, then statements whose ``begin`` is missing: the
        section ended there, the statements are no declarations each wrong, and the
        sequence around the list takes them as that block, ``after_list``)."""
        if self.following or self.opening or p >= self.n:
            return False  # one at a time: the lists inside the block recover as they are
        lit, cls, n, bol, kids, t = self.lit, self.cls, self.n, self.bol, self.kids, self.t
        line_end = p + 1
        while line_end < n and not bol[line_end]:
            line_end += 1
        if line_end > self.reach:
            self.reach = line_end  # what the step's result depends on
        stack = self.stack
        base = len(stack)
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        found = False
        self.following = True
        for r, _ in recovery_sets_for(t)[1][0]:
            parts = kids[t.rule_expr[r]]
            first = self.first[parts[1]]
            # (None: the rest begins with a list, a ``begin``'s statements)
            if t.keys[parts[0]] not in recovery.ends or first is not None and (
                    lit[p] not in first and cls[p] not in first):
                continue
            q, mark = self.rest_without_opener(parts, p, self.describe(p), True)
            # no skip either, not even one taken as the rest of that mistake
            found = q > line_end and _errors_in(stack[mark:], 2, True) == 1
            del stack[base:]
            if found:
                break
        self.following = False
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return found

    def without_opener(self, body: int, p: int, recovery: LoopRecovery) -> int:
        """Recovery mode: a list's item that lost its opening word (a method heading
        without its ``procedure``: ``Grow(By: Integer);`` in an object, not a field
        missing its ':' and then each token after it wrong): a form of the body, or of
        a rule it names, that begins with a literal or a choice of literals and whose
        rest can begin at ``p``, parsed from ``p`` after one zero-width error; kept as
        ``without_name`` keeps its form."""
        return self.first_form(body, p, self.opener_fits(p),
                               lambda q: self.list_goes_on(q, recovery))

    def headless_block(self, body: int, p: int, recovery: LoopRecovery) -> int:
        """Recovery mode, a list's item on a line of its own that lost its opening word
        and whose construct runs past that line (``x > 1 THEN``, its lines and its
        ``END IF``: one error, not the line wrong and then each closer stray): a form
        that begins with a literal, reached through the first element of the item's
        sequence too (a line-separated language's ``statement: inline_statement
        NEWLINE``), parsed without it from ``p`` (``first_form``)."""
        if p >= self.n or not self.bol[p] or self.opening:
            return NO_MATCH
        line_end = p + 1
        while line_end < self.n and not self.bol[line_end]:
            line_end += 1
        if line_end > self.reach:
            self.reach = line_end  # what the step's result depends on
        self.opening = True  # one at a time: its lists recover as they are
        # (six levels: a list's statement, its choice of forms, a loop's choice of
        # forms, each a rule; a block template's construct ends on a line indented as
        # its own or deeper: a closer indented less is an enclosing construct's, as the
        # WEND after ``t = t  i * 5`` in a WHILE's body, rec26)
        leads = self.t.block_template
        end = self.first_form(body, p, self.opener_fits(p), lambda q: q > line_end and (
            not leads or self.lead_of(q - 1) >= self.lead_of(p)) and (
            self.list_goes_on(q, recovery)), 6, True)
        self.opening = False
        return end

    def first_form(self, body: int, p: int, fits: Callable[[tuple[int, ...]], bool],
                   goes_on: Callable[[int], bool], levels: int = 3,
                   leading: bool = False) -> int:
        """The forms of ``body`` (sequences, through choices and rules, ``levels``
        deep) whose elements ``fits``, each parsed without its first element from ``p``
        (one zero-width error): the one that reaches furthest (the first of those) with
        that one error and where the list ``goes_on``, kept in its rule's node
        (``Done; virtual;`` in an object is the heading of a method, not a property's
        ``Done;`` and then a second mistake); where it ended, or NO_MATCH. The tries
        have a budget of their own, as ``missing_opener``'s: a text whose lines each
        lost an opening word would else parse the rest of the text at each line that
        fails (``spotless`` ends most such tries early; this bounds the others)."""
        t, stack = self.t, self.stack
        forms = fitting_forms(t, body, levels, leading, fits)
        if not forms:
            return NO_MATCH
        far, expected, tried = self.far, self.expected[:], len(self.tried)
        found = NO_MATCH
        kept: list[object] = []
        base = len(stack)
        fuel = self.fuel
        starved = self.starved  # what runs out of this budget is not the step's starving
        budget = self.fuel = min(fuel, OPENER_FUEL)
        for rule, parts in forms:
            q, node_mark = self.rest_without_opener(parts, p, self.describe(p, not leading))
            if q > found and _errors_in(stack[node_mark:], 2) == 1 and goes_on(q):
                if rule >= 0:
                    node = GreenNode(t.rule_kind[rule], cast(
                        "tuple[GreenNode | Token, ...]", tuple(stack[node_mark:])))
                    del stack[node_mark:]
                    stack.append(node)
                kept = stack[base:]
                found = q
            del stack[base:]
        if self.fuel <= 0:
            self.clear_memo()  # (what ran out of the budget is not kept)
        self.fuel = fuel - (budget - self.fuel)
        self.starved = starved or self.fuel <= 0
        stack.extend(kept)
        self.far, self.expected = far, expected
        del self.tried[tried:], self.tried_at[tried:], self.tried_depth[tried:]
        return found

    def first_without_name(self, loop: int, p: int) -> int:
        """Recovery mode: a list's ``item+`` whose first item lost its name
        (``without_name``: ``type = ^TNode;``), then the list goes on; else NO_MATCH
        (its FIRST set has no place for the literal, so ``ev`` never gets that far)."""
        recovery = resync_for(self.t).get(loop)
        if recovery is None:
            return NO_MATCH
        body = self.kids[loop][0]
        q = self.without_name(body, p, recovery)
        return q if q <= p else self.resync_list(OP_STAR, body, q, recovery)

    def without_name(self, body: int, p: int, recovery: LoopRecovery) -> int:
        """Recovery mode: a list's item whose first element (a name, not a literal) is
        missing right before the literal that commits it (a type declaration that lost
        its name: ``= object ... end;``, not the object's methods each a routine and
        its ``end;`` the program's): ``first_form`` of the forms that are such a
        sequence."""
        if p >= self.n:
            return NO_MATCH  # the end of the file: no literal to commit a form
        ops, keys, lit = self.ops, self.keys, self.lit[p]
        return self.first_form(body, p, lambda parts: len(parts) > 1
                               and ops[parts[0]] != OP_LIT and ops[parts[1]] == OP_LIT
                               and keys[parts[1]] == lit,
                               lambda q: self.list_goes_on(q, recovery))

    def list_goes_on(self, p: int, recovery: LoopRecovery) -> bool:
        """The token at ``p`` can continue the loop or follow it (not the end of the
        file, nor only a word of an outer level)."""
        if p >= self.n:
            return False
        ways = recovery.goes_on | recovery.ends
        return self.lit[p] in ways or self.cls[p] in ways

    def stray(self, body: int, p: int, recovery: LoopRecovery) -> int:
        """Recovery mode: a loop stopped at token ``p``, which only an outer level can
        take, but which neither its body can start with nor can follow it: a skip from
        there where the loop goes on after it (``restart``); else NO_MATCH, the token
        left to the outer level."""
        if self.lit[p] in recovery.goes_on or self.cls[p] in recovery.goes_on \
                or self.lit[p] in self.t.sync:
            return NO_MATCH
        return self.restart(body, p, p + 1, recovery, self.skip_message(p))

    def restart(self, body: int, p: int, first: int, recovery: LoopRecovery,
                message: str | None) -> int:
        """Recovery mode, a loop that cannot go on at token ``p``: where, from one of
        the next few tokens its body can start with (from ``first`` on), items run up
        to where the loop ends (``recovery.ends``) with no errors, the tokens before
        that one are one skip and the loop goes on there (``procedure P; ; virtual;``
        inside an object: not ``virtual`` taken for a field, nor the object and its
        type section ended at the ``;``); NO_MATCH if there is none (up to a token that
        can follow the loop or a word an item starts with, which are not skipped).
        ``message``: the skip's (``skip_message``)."""
        goes_on, ends, sync = recovery.goes_on, recovery.ends, self.t.sync
        lit, cls, n = self.lit, self.cls, self.n
        stack = self.stack
        mark = len(stack)
        soft = self.soft
        stop = min(n, p + LITERAL_AHEAD)
        for j in range(first, stop):
            if j > first and self.t.block_template and self.next_lines_item(j, goes_on):
                break
            if lit[j] not in goes_on and cls[j] not in goes_on:
                continue
            if lit[j] in ends or cls[j] in ends:
                break  # the loop's end: never skipped
            self.error_over(p, j, message)
            r = self.repeat(OP_STAR, body, j, True)
            if j < r < n and (lit[r] in ends or cls[r] in ends) \
                    and _errors_in(stack[mark:], 2) == 1:
                return r
            del stack[mark:]
            if lit[j] in sync:
                break  # an item's first word: not skipped either
        if stop > self.reach:
            self.reach = stop
        self.soft = soft
        return NO_MATCH

    def next_lines_item(self, j: int, goes_on: frozenset[str]) -> bool:
        """Token ``j`` begins a line after a token that goes on the loop (its separator:
        ``WriteLn(x, x));`` then ``x := 3 +;`` on the next line): the item there is the
        next statement as written, with a mistake of its own; a longer skip (``restart``)
        does not take it to reach a clean run."""
        return self.bol[j] and (self.lit[j - 1] in goes_on or self.cls[j - 1] in goes_on)

    def committed(self, body: int, p: int) -> int:
        """Recovery mode: the loop's body at ``p`` with every sequence that begins there
        committed from its first element (a missing element after it is a zero-width
        error, as after a literal); the memo holds neither what was parsed at ``p``
        before nor what is parsed here."""
        self.clear_memo()
        self.commit_at = p
        mark = len(self.stack)
        r = self.ev(body, p, True)
        self.commit_at = NO_MATCH
        self.clear_memo()
        if r <= p:
            del self.stack[mark:]
            return NO_MATCH
        return r

    def turn_committed(self, body: int, p: int) -> int:
        """Recovery mode: a loop stopped at token ``p``, the first token of a line, which
        its body can start with but which an outer level can take too (a name after a
        ``var`` section's declarations): the body ``committed`` from there, kept where
        it takes the line with one error and the next line is a turn as written (``b
        integer;`` between two declarations: the ':' missing, not the section ended and
        ``b`` and ``integer`` two statements); else NO_MATCH."""
        lit, cls, n = self.lit, self.cls, self.n
        first = self.first[body]
        if p >= n or not self.bol[p] or first is None \
                or (lit[p] not in first and cls[p] not in first):
            return NO_MATCH
        mark = len(self.stack)
        r = self.doubled_next(mark, body, p)
        if r < 0:
            r = self.committed(body, p)
        if p < r < n and self.bol[r] and _errors_in(self.stack[mark:], 2) == 1 \
                and self.matches_after((body,), r):
            return r
        del self.stack[mark:]
        return NO_MATCH

    def committed_word(self, body: int, p: int, goes_on: frozenset[str]) -> int:
        """``committed`` at a word an item starts with that the loop's body can start
        with too (an object's ``procedure``): kept only with one error and ending where
        the list goes on (``goes_on``), else the word is left to the outer level (an
        object whose ``end`` is missing before the routines)."""
        mark = len(self.stack)
        r = self.committed(body, p)
        if r > p and self.t.block_template:
            r = rest_of_statement(self, p, r, mark)  # (``RETURN f - 3) * 5``)
        if r > p and (r >= self.n or self.lit[r] in goes_on or self.cls[r] in goes_on) \
                and _errors_in(self.stack[mark:], 2) == 1:
            return r
        del self.stack[mark:]
        return NO_MATCH

    def without_separator(self, body: int, p: int) -> int:
        """A list's body ``';' item`` whose item starts at ``p`` after all: the
        separator is missing (one zero-width error), not the tokens wrong. The
        separator is a literal, a choice of literals, or a rule that is one (Lua's
        ``field_separator: "',' / ';'"`` between a table's fields)."""
        kids = self.kids[body]
        if self.ops[body] != OP_SEQ or len(kids) < 2:
            return NO_MATCH
        names = self.separator_names(kids[0])
        if not names:
            return NO_MATCH
        wanted = " or ".join(names)
        mark = len(self.stack)
        if not self.after_skip() and not self.ends_missing(self.step_mark):
            # (nor where the item before it ended with something missing right here: one
            # error per position, ``CASE ... ELSE x`` whose ``END;`` is missing)
            # (a block style's template names nothing found on a line of its own, as
            # the keyword level does: the item there is no mistake)
            self.error_here(f"expected {wanted}" if self.t.block_template and self.bol[p]
                            else self.t.block_template and self.doubled_message(p)
                            or f"expected {wanted}, found {self.describe(p, True)}")
        q = self.rest_of(kids, p)
        if q > p:
            return q
        del self.stack[mark:]
        return NO_MATCH

    def after_skip(self) -> bool:
        """The last element on the stack (past trivia) is tokens skipped as an error:
        they stood where the separator is missing, one mistake (``x := 1 ELSE y := 2``
        whose ``IF ... THEN`` line is deleted: the stray ``ELSE``, not also a ';'
        missing before ``y``)."""
        for element in reversed(self.stack):
            if isinstance(element, GreenNode):
                return element.kind == K.ERROR and bool(element.children)
            if cast(Token, element)[0] not in TRIVIA:
                return False
        return False

    def separator_names(self, e: int) -> list[str]:
        """The names of a literal, of a choice of single literals, or of those of a
        rule whose body is one of them; empty for anything else."""
        ops, kids, names = self.ops, self.kids, self.t.names
        if ops[e] == OP_RULE:
            e = self.t.rule_expr[kids[e][0]]
        if ops[e] == OP_LIT:
            return [names[e]]
        if ops[e] == OP_CHOICE and all(ops[k] == OP_LIT for k in kids[e]):
            return [names[k] for k in kids[e]]
        return []

    def rest_of(self, parts: tuple[int, ...], p: int) -> int:
        """Recovery mode: a sequence's elements after its first (``parts``: all of
        them) from ``p``; where they ended, or NO_MATCH."""
        q = p
        for k in parts[1:]:
            q = self.ev(k, q, True)
            if q < 0:
                return NO_MATCH
        return q

    def call_rule(self, r: int, p: int, rec: bool) -> int:
        # its ``RuleInfo`` read once, for the mode and the evaluation (compiled, a list
        # read of an int costs a reference count, a check and an unboxing)
        rule = self.rules[r]
        mode = CALL_MEMO_LISTS
        if not rec:
            mode = rule.mode
            if mode == CALL_PLAIN and not self.track:
                return self.evaluate(rule, p, False)
            if mode == CALL_LINES:
                return self.call_lines_rule(r, p)
        slot = ((r + r + rec) << MEMO_WAYS_SHIFT) | (p & MEMO_WAYS_MASK)
        stack = self.stack
        cell = self.slots[slot]
        found = False
        key: object = None
        end = NO_MATCH
        made: object = None
        if cell is not None and cell.key == self.memo_base + p:
            found = True
            end = cell.end
            if end >= 0:
                end += p
            made = cell.made
        elif len(self.memo):
            # boxed once, for the look-up and the store (compiled, each would box it;
            # assigned to ``key`` itself, it would be narrowed to an int and boxed again)
            boxed: object = ((r * (self.n + 1) + p) << 1) | rec
            key = boxed
            hit = self.memo.get(key)
            if hit is not None:
                found = True
                end, made = hit
        if found:
            if end > p:  # its node, after the trivia before it
                self.push_gap(p)
                stack.append(made)
                if self.lines_mask and isinstance(made, GreenNode) \
                        and made.kinds & self.lines_mask:
                    self.taint = True  # ``note_replay``
            elif end >= 0:
                fragment = cast("tuple[object, ...]", made)
                stack.extend(fragment)
                if self.lines_mask:
                    self.note_replay(fragment)
            return end
        outer = len(stack)
        fuel = self.fuel
        end = self.evaluate(rule, p, rec)
        if end < 0 and mode == CALL_MEMO and not self.track and fuel - self.fuel <= CHEAP_FAILURE \
                and fuel > GUARD_FUEL and self.depth < GUARD_DEPTH:
            # a failure as cheap as a memo hit (``call: IDENT args`` at a name without a
            # '(' fails in its guard), where no limit ended it: evaluated again, should
            # it be called again here, to the same failure (its looks are within those
            # already noted); not a rule that may hold a list of items, whose evaluation
            # would taint the step where the memo's failure does not
            return end
        # what it left: its node after the trivia before it, or (no token taken) its
        # zero-width errors, if any
        value = stack[-1] if end > p else () if end < 0 else tuple(stack[outer:])
        # the memo as it is now: the evaluation may have emptied it (a list of items)
        here = self.memo_base + p
        if cell is None:  # (a slot once filled keeps its entry object: read again only here)
            cell = self.slots[slot]
            if cell is None:
                cell = self.slots[slot] = MemoSlot()
        if cell.key < self.memo_base or cell.key == here:
            cell.key = here
            cell.end = end - p if end >= 0 else NO_MATCH
            cell.made = value
        else:
            if key is None:
                fresh: object = ((r * (self.n + 1) + p) << 1) | rec
                key = fresh
            self.memo[key] = (end, value)
        return end

    def call_lines_rule(self, r: int, p: int) -> int:
        """A list of items (``lines_repeat``), never from the memo: its items note how
        far they looked from where the list begins (what looked past the list's first
        token before it began taints the step: its items then depend on more than their
        tokens; a look at the first token is one at the first item's, which an edit
        there parses again). The list has a budget of its own, as each of its turns
        has (``lines_repeat``): its first item, the part before the loop, then depends
        on nothing before the list, and an edit in it parses the list again from its
        start only (``incremental._ItemRun.first_item``)."""
        if self.reach > p:  # a look at its first token is one at its first item's
            self.taint = True
        outer = self.reach
        self.reach = p
        self.clear_turn_memo()
        fuel = self.fuel
        starved = self.starved
        self.fuel = STEP_FUEL
        end = self.evaluate_rule(r, p, False)
        self.fuel = fuel
        self.starved = starved
        if outer > self.reach:
            self.reach = outer
        return end

    def note_replay(self, fragment: tuple[object, ...]) -> None:
        """A memo hit that replays a list of items taints the step (its items noted how
        far they looked where the list was first parsed, not here)."""
        for element in fragment:
            if isinstance(element, GreenNode) and element.kinds & self.lines_mask:
                self.taint = True

    def evaluate_rule(self, r: int, p: int, rec: bool) -> int:
        return self.evaluate(self.rules[r], p, rec)

    def evaluate(self, rule: RuleInfo, p: int, rec: bool) -> int:
        """A rule call's evaluation (``call_rule`` without the memo): where it ended. It
        leaves on the stack the trivia before it and its node (or its lone child node,
        when the rule has no level of its own: ``expr: term``) when it took a token,
        what it made (zero-width errors) when it took none, and nothing when it failed."""
        stack = self.stack
        outer = len(stack)
        if rule.guard and not rec and rule.chain is None and self.depth < GUARD_DEPTH \
                and self.fuel > GUARD_FUEL:
            spent = self.guard_miss(rule.guard, p)
            if spent >= 0:
                # its sequence fails before it keeps a token, as ``run`` would find it
                # (the same notes and fuel): no trivia pushed and taken back
                self.fuel -= spent + 1
                return NO_MATCH
        if p < self.n and p > self.frame:
            # the trivia before the node (``push_gap``, inline), taken back if it matches
            # no token
            index = self.index
            at = index[p]
            start = index[p - 1] + 1 if p > 0 else 0
            if start < at:
                elements = self.elements
                while start < at:
                    stack.append(elements[start])
                    start += 1
        saved = self.frame
        self.frame = p
        mark = len(stack)
        chain = rule.chain
        if chain is not None and not rec:
            end = self.climb(chain, p)
        elif not rec and (rule.op == OP_CHOICE or rule.op == OP_SEQ and p != self.doubled_at):
            # the expression's ``run`` written out (a call less per rule call): its fuel
            # and depth, then its sequence or choice
            fuel = self.fuel - 1
            self.fuel = fuel
            depth = self.depth
            if depth >= MAX_DEPTH or fuel <= 0:
                end = self.cut_off(p)
            else:
                self.depth = depth + 1
                end = self.choice(rule.expr, p, False) if rule.op == OP_CHOICE \
                    else self.elements_in(cast(Element, rule.x), p)
                self.depth = depth
        else:
            expr = rule.expr  # its FIRST is the call's, checked by the caller
            op = rule.op
            end = self.ev(expr, p, rec) if op < OP_RULE or op > OP_AND \
                else self.run(op, expr, p, rec)
        self.frame = saved
        if end < 0:
            _truncate(stack, outer)
            return NO_MATCH
        if end == p:
            del stack[outer:mark]
            if rule.error is not None:  # a rejected form matching no token: its error there
                inner = cast("tuple[GreenNode | Token, ...]", tuple(stack[outer:]))
                stack[outer:] = [rejected(GreenNode(rule.kind, inner), rule.error)]
            return end
        if len(stack) == mark + 1 and not rule.keep and isinstance(stack[mark], GreenNode):
            return end  # no level of its own: left as is
        bit = rule.bit
        if not bit:
            bit = rule.bit = kind_bit(rule.kind)
        node = GreenNode(rule.kind, cast("tuple[GreenNode | Token, ...]", tuple(stack[mark:])),
                         None, None, False, bit, self.clean)
        if rule.error is not None:
            node = rejected(node, rule.error)
        _truncate(stack, mark)
        stack.append(node)
        return end

    def climb(self, chain: tuple[int, ...], p: int) -> int:
        """Binary operator levels (``sum: term (('+' / '-') term)*``, ``term: ...``)
        from ``chain[0]`` down, as the rules would parse them but in one loop: the
        innermost operand first, then each level from the innermost out takes the
        operators of its own that follow. A level that found none is its operand (the
        rule adds no node), so an operand without operators costs one rule call, not
        one per level. The same tree, messages and completions as the rules; only
        recovery mode (an item parsed again after it failed) runs the rules as written."""
        fuel = self.fuel - 1  # (each read once, as in ``run``)
        self.fuel = fuel
        depth = self.depth
        if depth >= MAX_DEPTH or fuel <= 0:
            return self.cut_off(p)
        self.depth = depth + 1
        mark = len(self.stack)
        q = self.ev(self.level_first[chain[-1]], p, False)
        if q >= 0:
            q = self.climb_levels(chain, mark, q)
        self.depth = depth
        return q

    def climb_levels(self, chain: tuple[int, ...], mark: int, q: int) -> int:
        n = self.n
        rows, tid, bol = self.rows, self.tid, self.bol
        stack = self.stack
        for j in range(len(chain) - 1, -1, -1):
            level = chain[j]
            ops = self.level_fid[level]  # its operators' column in the rows
            ended = True  # the level's loop stopped at a token that is none of its operators
            looped = False
            # ``!NEWLINE op``: an operator on the line of what it follows
            same_line = len(self.kids[self.level_body[level]]) == 3
            while q < n and rows[tid[q]][ops] and not (same_line and bol[q]):
                at = len(stack)
                self.push_token(q)
                r = self.ev(self.level_operand[level], q + 1, False)
                if r < 0:
                    _truncate(stack, at)
                    ended = False
                    break
                q = r
                looped = True
            if ended:
                if same_line:
                    self.level_ended(level, q)
                elif self.track:
                    self.fail_first(q, self.level_body[level])
                elif q > self.reach:
                    self.reach = q
            if looped and j > 0:  # chain[0]'s node is made by call_rule
                children = tuple(stack[mark:])
                _truncate(stack, mark)
                stack.extend(self.fragment(level, children, True))
        return q

    def level_ended(self, level: int, q: int) -> None:
        """The loop of a level whose operator stays on its line (``!NEWLINE op``)
        stopped at ``q``, as its rule's would: after a line break only the lookahead's
        look is noted, else the operator that was looked for."""
        if q > self.reach:
            self.reach = q
        if not self.track or (q < self.n and self.bol[q]) or (q >= self.n
                                                               and self.end_breaks_line):
            return
        op = self.kids[self.level_body[level]][1]
        if self.ops[op] == OP_LIT:
            self.fail(q, op)
        else:
            self.fail_first(q, op)

    def fragment(self, r: int, children: tuple[object, ...], consumed: bool
                 ) -> tuple[object, ...]:
        """A rule's result: its node, or its only child node when the rule has no
        meaning of its own (``expr: term`` adds no level), or nothing when it matched
        no token (zero-width errors stay as they are)."""
        if not children or not consumed:
            return children
        if not self.t.rule_keep[r] and len(children) == 1 \
                and isinstance(children[0], GreenNode):
            return children
        return (GreenNode(self.t.rule_kind[r],
                          cast("tuple[GreenNode | Token, ...]", children)),)


def line_indentations(tokens: list[Token], index: list[int], n: int,
                      before: list[Token] | None = None) -> list[int]:
    """The indentation of each significant token's line (``PegParser.line_leads``): the
    width of the whitespace a line begins with (its whitespace tokens before its first
    significant token, other trivia between them skipped), a tab to the next multiple
    of 8; a line begins after any token that holds a line break. The tokens continue
    ``before``: the tokens of their first line before them (a window's tokens may begin
    inside a line), from one that holds a line break.

    Significant token by significant token, the trivia before each read back to its
    last line break: a token on the line of the one before it (most) costs a look at
    the gap between them, no more (a loop over every token cost more)."""
    leads = [0] * n
    lead, at_start = _lead_before(before)
    width = len(lead.expandtabs(8))
    last = -1  # the token index of the previous significant token
    broke = False  # whether that token holds a line break (a string over lines)
    for k in range(n):
        i = index[k]
        if i != last:  # (a macro's expansion shares its token)
            j = i - 1
            while j > last:
                value = tokens[j][1]
                if "\n" in value or "\r" in value:
                    break
                j -= 1
            if j > last or broke:
                width = _lead_width("", tokens, j + 1, i)
            elif last < 0 and at_start:  # the first line, begun in ``before``
                width = _lead_width(lead, tokens, 0, i)
            value = tokens[i][1]
            broke = "\n" in value or "\r" in value
            last = i
        leads[k] = width
    return leads


def _line_width(tokens: list[Token], start: int, i: int) -> int:
    """The width of the whitespace tokens before token ``i`` after the last token from
    ``start`` that holds a line break (from ``start`` where none does)."""
    j = i - 1
    while j >= start:
        value = tokens[j][1]
        if "\n" in value or "\r" in value:
            break
        j -= 1
    return _lead_width("", tokens, j + 1, i)


def _lead_width(lead: str, tokens: list[Token], start: int, i: int) -> int:
    """The width of ``lead`` and the whitespace tokens from ``start`` to ``i``."""
    for j in range(start, i):
        kind, value = tokens[j]
        if kind == WHITESPACE:
            lead += value
    return len(lead.expandtabs(8))


def _lead_before(before: list[Token] | None) -> tuple[str, bool]:
    """The whitespace that begins the line ``before`` ends in, and whether no
    significant token followed it there."""
    lead = ""
    at_start = True
    for kind, value in before or ():
        if kind == WHITESPACE and at_start:
            lead += value
        elif kind not in TRIVIA:
            at_start = False
        if "\n" in value or "\r" in value:
            at_start = True
            lead = ""
    return lead, at_start


BRACKET_OPENERS: Final = frozenset("([{")
BRACKET_CLOSERS: Final = frozenset(")]}")


def join_bracket_lines(tokens: list[Token], index: list[int], bol: list[bool], n: int
                       ) -> None:
    """``lexical.brackets_join_lines``: a line break inside ``( )``, ``[ ]`` or ``{ }``
    is no line break (Python's implicit line joining), so ``NEWLINE`` does not match
    there and ``INDENT`` compares the line where the brackets opened. A line indented
    no deeper than that one, unless it begins with a closer, ends the joining: its
    bracket's closer is missing, and the rest of the file is not one line."""
    leads = line_indentations(tokens, index, n)
    depth = 0
    line_lead = 0  # the indentation of the current line, joined lines as one
    open_lead = 0  # that of the line where the outermost bracket opened
    for k in range(n):
        text = tokens[index[k]][1]
        if bol[k] and depth:
            if leads[k] > open_lead or text in BRACKET_CLOSERS:
                bol[k] = False
            else:
                depth = 0
        if bol[k]:
            line_lead = leads[k]
        if text in BRACKET_OPENERS:
            if not depth:
                open_lead = line_lead
            depth += 1
        elif text in BRACKET_CLOSERS and depth:
            depth -= 1


def _truncate(stack: list[object], mark: int) -> None:
    """``del stack[mark:]`` where a few elements go: compiled, that statement makes a
    slice object and takes the generic item deletion, a pop is a direct call."""
    while len(stack) > mark:
        stack.pop()


def _errors_in(elements: list[object], limit: int, skips: bool = False) -> int:
    """How many error nodes ``elements`` hold (counted up to ``limit``); ``skips``: also
    those without a message of their own (``rest_of_mistake``)."""
    found = 0
    todo = [e for e in elements if type(e) is GreenNode and (
        e.kinds & HAS_ERROR or skips and e.kind == K.ERROR)]
    while todo and found < limit:
        node = todo.pop()
        if node.error is not None or skips and node.kind == K.ERROR:
            found += 1
        todo.extend(c for c in node.children if type(c) is GreenNode and (
            c.kinds & HAS_ERROR or skips and c.kind == K.ERROR))
    return found


def _error_rank(elements: list[object]) -> tuple[int, int]:
    """How good a recovered parse is among those that end at the same token: fewer
    errors (counted up to 3), then a first error further from its start (characters)."""
    width = 0
    first = -1
    todo: list[object] = list(reversed(elements))
    while todo:
        e = todo.pop()
        if type(e) is not GreenNode:
            width += len(cast(Token, e)[1])
            continue
        if not e.kinds & HAS_ERROR:
            width += e.width
            continue
        if e.error is not None:
            first = width
            break
        todo.extend(reversed(e.children))
    return -_errors_in(elements, 3), first if first >= 0 else width


def _or_list(names: list[str] | tuple[str, ...]) -> str:
    """"'a', 'b' or 'c'", or '' when there are none or too many to name."""
    if not names or len(names) > MAX_EXPECTED or TOO_MANY in names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def words_expected_at(definition: LanguageDefinition, root: SyntaxNode, offset: int,
                      reuse: bool = True) -> list[str]:
    """The grammar's literals that can come next at ``offset``, from the follow sets: the
    top-level item the cursor continues is parsed up to it, and every literal the parse
    tried there is one; where an item may end (or none is open), so is every literal an
    item can start with. ``reuse``: the item's lists' items that end before the cursor
    are taken from ``root`` (``KnownItems``); without, every one is parsed again (the
    same words: the tests compare)."""
    tables = tables_for(definition)
    tokens, item = _item_tokens_and_node(root, offset, tables.newline_items)
    known = KnownItems(tables, item, offset) if item is not None and reuse else None
    wanted: set[str] = set()
    maybe: set[str] = set()
    parser = PegParser(tables, tokens)
    parser.at_end, parser.maybe_end = wanted, maybe
    parser.known = known
    parser.end_breaks_line = _line_ended(tokens)
    if not tokens or parser.ev(tables.item, 0, False) == parser.n:
        starts = PegParser(tables, [])
        starts.at_end, starts.maybe_end = wanted, maybe
        starts.ev(tables.item, 0, False)
    texts = tables.key_texts
    # a word only a lookahead looked for (Lua's `and` after an operand: `simple
    # !binary_operator / or_expr`; QBasic's ELSE in `eos: NEWLINE / &':' / &'ELSE'`)
    # comes next when the item goes on past it; each is a parse of the item again, so
    # only a few are: a guard against many words (`!bare_statement IDENT ':'`) keeps
    # them out of what follows, not in it
    words = [key for key in sorted(maybe - wanted) if texts.get(key, "")[:1].isalpha()]
    if len(words) <= GUARDED_WORDS:
        wanted.update(key for key in words
                      if _goes_on_past(definition, tables, tokens, texts[key], known))
    return sorted({texts[key] for key in wanted if key in texts})


def list_item_ending(root: SyntaxNode, ended: int, kinds: set[str], note: int
                     ) -> tuple[SyntaxNode, int] | None:
    """The list under ``root`` (of one of ``kinds``) whose child node that ends at
    ``ended`` notes a turn's look at depth ``note``, and that child's index; None if
    there is none. (The old items a reparse may take over, and those completion skips.)"""
    node = root
    while True:  # down to the list whose item ends there, bisecting each level
        entry = node.green.node_child_at(ended - 1 - node.start)
        if entry is None:
            return None
        index, rel, child = entry
        if node.start + rel + child.width == ended and node.kind in kinds \
                and child.lookahead >> LINES_SHIFT == note:
            return node, index
        node = SyntaxNode(child, node.start + rel, node, index)


class KnownItems:
    """Completion at ``offset`` in the top-level item ``item`` (of the parsed file): its
    lists' items that end before the cursor and did not look at it (their
    ``GreenNode.lookahead`` notes), which a parse of the item's tokens up to the cursor
    would make the same again. An item depends only on its tokens from its first up to
    the furthest it looked at, and on the depth its list runs at
    (``PegParser.lines_repeat``); so where a turn of a list of the same rule, at that
    depth, begins where an old item of such a list ended, the old items that follow
    are that list's next turns. Completion in a long block then parses only the items
    around the cursor (and each list's first)."""

    def __init__(self, tables: PegTables, item: SyntaxNode, offset: int) -> None:
        self.item, self.offset = item, offset
        self.kinds: dict[int, set[str]] = {}  # a list's loop body -> the lists' kinds
        for r in tables.lines_rules:
            # (its loop may be followed by closers: a block template's 'END')
            loop, _ = list_loop(tables.ops, tables.kids, tables.rule_expr[r])
            self.kinds.setdefault(tables.kids[loop][0], set()).add(tables.rule_kind[r])

    def skip(self, parser: PegParser, body: int, p: int, depth: int) -> int:
        """Where the old items from token ``p`` (the start of a turn of loop body
        ``body`` at ``depth``) end, those that did not look at the cursor; NO_MATCH if
        none do."""
        kinds = self.kinds.get(body)
        if kinds is None or p == 0 or p >= parser.n:
            return NO_MATCH
        ended = self.item.start + parser.end_of(p - 1)  # where the turn before ended
        found = list_item_ending(self.item, ended, kinds, depth + 1)
        if found is None:
            return NO_MATCH
        node, index = found
        entries = node.green.node_children()
        at = bisect_left(entries, index, key=_entry_index) + 1
        end = NO_MATCH
        for _, rel, child in entries[at:]:
            if not child.lookahead:
                continue  # its turn's look is in the note of the next node that has one
            child_end = node.start + rel + child.width
            look = child.lookahead & LINES_CHARS  # (all of it: to the end of the text)
            if look == LINES_CHARS or child_end + look > self.offset:
                break
            end = child_end
        if end < 0:
            return NO_MATCH
        # the token that ends there, after ``p`` (the cursor walks on from the tokens the
        # parse asked about last, near ``p``)
        target = end - self.item.start
        q = p
        while q < parser.n and parser.end_of(q) < target:
            q += 1
        return q + 1 if q < parser.n and parser.end_of(q) == target else NO_MATCH


def _entry_index(entry: tuple[int, int, GreenNode]) -> int:
    return entry[0]


GUARDED_WORDS: Final = 3  # the most words of lookaheads ``words_expected_at`` tries


def _goes_on_past(definition: LanguageDefinition, tables: PegTables, tokens: list[Token],
                  word: str, known: KnownItems | None) -> bool:
    """Does the top-level item, its ``tokens`` followed by ``word``, match ``word`` outside
    a lookahead: end with it, or want something after it?"""
    from .lexer import lex  # the lexer imports this module's tables
    more = [t for t in lex(definition, word)[0] if t[0] not in TRIVIA]
    parser = PegParser(tables, tokens + more)
    parser.known = known
    parser.end_breaks_line = False  # the cursor is after the word, on its line
    after: set[str] = set()
    parser.at_end = after
    ends = parser.ev(tables.item, 0, False) == parser.n
    return ends or bool(after) or any(p >= parser.n for p in parser.tried_at)


def _item_tokens_before(root: SyntaxNode, offset: int, newline_items: bool) -> list[Token]:
    """The tokens of the top-level item the cursor is in or continues, up to it: the last
    one starting before ``offset``, unless a line break (in a newline-separated language)
    comes between its end and the cursor."""
    return _item_tokens_and_node(root, offset, newline_items)[0]


def _item_tokens_and_node(root: SyntaxNode, offset: int, newline_items: bool
                          ) -> tuple[list[Token], SyntaxNode | None]:
    """``_item_tokens_before`` and the item's node (None without tokens)."""
    entries = root.green.node_children()
    at = bisect_left(entries, offset - root.start, key=_entry_offset)  # nodes before offset
    if at == 0:
        return [], None
    index, rel, green = entries[at - 1]
    node = SyntaxNode(green, root.start + rel, root, index)
    if offset > node.end:
        gap: list[str] = []
        position = node.end
        for child in root.green.children[index + 1:]:
            if type(child) is GreenNode or position >= offset:
                break
            text = child[1]  # type: ignore[index]
            gap.append(text[:offset - position])
            position += len(text)
        between = "".join(gap)
        if between.strip():
            return [], None
        tokens = _tokens_up_to(green, offset - node.start)
        if newline_items and "\n" in between and not _open_block(green, tokens):
            return [], None
        tail = [(NEWLINE if "\n" in between else WHITESPACE, between)] if between else []
        return tokens + tail, node
    return _tokens_up_to(green, offset - node.start), node


def _open_block(green: GreenNode, tokens: list[Token]) -> bool:
    """Is the item ``green`` (its ``tokens``) a block still open: over more than one line,
    and ending with a missing element (a ``REPEAT n`` whose ``END`` is not written yet)?
    A line after it goes on with the block, not with a new item."""
    node = green
    while node.error is None:
        last = node.children[-1] if node.children else None
        if type(last) is not GreenNode:
            return False
        node = last
    if node.width:
        return False
    return any(kind == NEWLINE or kind == COMMENT and "\n" in text for kind, text in tokens)


def _tokens_up_to(green: GreenNode, limit: int) -> list[Token]:
    """The tokens of ``green`` that end by character ``limit`` (from its start), read
    off the green tree (a large item has tens of thousands)."""
    out: list[Token] = []
    position = 0
    # (the children being read, the next one's index) of each node around the current
    # one: no recursion, the tree may be deeper than Python's limit
    outer: list[tuple[tuple[GreenNode | Token, ...], int]] = []
    children, at = green.children, 0
    while True:
        if at == len(children):
            if not outer:
                return out
            children, at = outer.pop()
            continue
        child = children[at]
        at += 1
        if type(child) is GreenNode:
            outer.append((children, at))
            children, at = child.children, 0
            continue
        token = cast(Token, child)
        position += len(token[1])
        if position > limit:
            return out
        out.append(token)


def _line_ended(tokens: list[Token]) -> bool:
    """Does a line break come after the last significant one of ``tokens`` (or are there
    none)? Else the cursor they stop at is on that token's line."""
    for kind, text in reversed(tokens):
        if kind == NEWLINE or kind == COMMENT and "\n" in text:
            return True
        if kind not in TRIVIA:
            return False
    return True


def _entry_offset(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1]


def parse_grammar_green(definition: LanguageDefinition, tokens: list[Token]) -> GreenNode:
    """The file's tree from its tokens, through the definition's grammar."""
    return PegParser(tables_for(definition), tokens).parse_file()


def parse_grammar_file(definition: LanguageDefinition, tokens: list[Token]
                       ) -> tuple[GreenNode, tuple[int, ...] | None, tuple[bool, ...] | None]:
    """The file's tree, each top-level node's lookahead (``StepRun.lookahead``) and
    whether its lists' items may be parsed again on their own (``StepRun.clean``); None
    instead when the file's steps are no run of one node each (a part before the item
    loop, an item that makes bare tokens): an edit then parses the file again."""
    tables = tables_for(definition)
    parser = PegParser(tables, tokens)
    if tables.prefix:
        return parser.parse_file(), None, None
    run = run_steps(parser, 0, at_end=True, resume=None)
    assert run is not None  # at the end of the tokens nothing lies past them
    children = cast("tuple[GreenNode | Token, ...]", tuple(run.elements))
    return GreenNode(K.SOURCE_FILE, children), run.lookahead, run.clean


@dataclass
class StepRun:
    """Steps parsed from a token list: the file's elements they make (trivia between
    them included; up to the token where they stopped, or every token), each step's
    lookahead (how many characters past its node's end it looked: to the end of the
    furthest token it examined, one past the end of the text when it looked at the end)
    and the significant token where they stopped; None for ``lookahead`` when a step
    made other than one node. ``clean``: for each step, whether it was parsed as
    written with its lists' items depending only on their own tokens (``PegParser.
    taint``), so that an edit inside one may parse only the items around it."""

    elements: list[object]
    lookahead: tuple[int, ...] | None
    stopped: int
    clean: tuple[bool, ...] = ()


def run_steps(parser: PegParser, starts_at: int, at_end: bool,
              resume: Callable[[int, bool, int], bool] | None) -> StepRun | None:
    """The steps of ``parser``'s tokens (character ``starts_at`` of the text is where
    they begin), until ``resume(offset, starts_line, p)`` says an old step that begins at
    the next token (``p``) can be kept. ``at_end``: the tokens run to the end of the text; when
    they do not, a step that looked past them makes the run None (a bigger window is
    needed)."""
    index, stack, n = parser.index, parser.stack, parser.n
    text_end = parser.text_end
    looks: list[int] | None = []
    clean: list[bool] = []
    p = 0
    while p < n:
        mark = len(stack)
        parser.taint = False
        q = parser.step(p)
        reach = max(parser.reach, q - 1)
        if reach >= n and not at_end:
            return None
        # the trivia before the step's first token, then (mostly) one node
        gap = index[p] - (index[p - 1] + 1 if p else 0)
        if len(stack) - mark == gap + 1 and type(stack[-1]) is GreenNode:
            made = 1
        else:
            made = sum(1 for e in stack[mark:] if type(e) is GreenNode)
        if made == 1 and looks is not None:
            # from the first token: ``starts_at`` added where needed
            end = parser.end_of(q - 1)
            seen = text_end + 1 if reach >= n else parser.end_of(reach)
            looks.append(max(seen - end, 0))
            clean.append(not parser.taint)
        elif made or q < n:  # no node only for the closing part, at the end
            looks = None
        p = q
        if resume is not None and p < n and resume(starts_at + parser.token_start(p),
                                                   parser.bol[p], p):
            stack.extend(parser.elements[index[p - 1] + 1:index[p]])
            return StepRun(stack, None if looks is None else tuple(looks), p, tuple(clean))
    if not at_end:  # the tokens ran out before an old step could be kept
        return None
    stack.extend(parser.elements[index[n - 1] + 1 if n else 0:])
    return StepRun(stack, None if looks is None else tuple(looks), n, tuple(clean))
