"""Incremental reparsing: relex and reparse only the items an edit damaged.

The keyword-level parser, innermost first:

- an edit in a statement list (the file's items, those of a BEGIN/END or brace
  block, or a body without an opener: a REPEAT's, a keyword-terminated WHILE ... WEND
  or block IF's, ``_is_bare_list``) parses that list again step by step from the first step whose
  lookahead extent (``GreenNode.lookahead``: how far past its end its parse
  looked) the edit touches, until a step ends where an old step after the edit
  begins in the same line state; the steps before and after are kept, the same
  green nodes (``_reparse_list``). The way tree-sitter decides what to reuse, and
  what ``_grammar_reparse`` does for grammar-defined languages at the top level.
  A syntax error typed into a statement stays inside the few steps around it.
- an edit strictly inside a statement or declaration that is not a list's step
  (the body of an IF, say), after its first token, re-lexes that item's text and
  re-runs ``Parser.parse_item`` on it, with the real following tokens as
  lookahead. The result is spliced in when the item ends on exactly the token
  where the old one ended (the same token: callers look at it), with no lookahead
  beyond the window: the parser is a pure function of the tokens from an item's
  first token on, so everything outside the item parses exactly as before.

A grammar-defined language (``_apply_grammar_edit``) reparses, innermost first, the
items of a list (a ``lines`` rule's loop, ``_grammar_items_reparse``) around an edit
inside a top-level step, the same way from the items' notes
(``peg.PegParser.lines_repeat``), from the list's start for an edit in its first item
past its first token (``_ItemRun.first_item``); else the top-level steps
(``_grammar_reparse``).

Otherwise the next enclosing candidate is tried, and finally the whole file. A
splice keeps every enclosing step's lookahead (and so the tree equals a fresh
parse's, lookahead included) only when what the new and the old steps looked at
ends within what the enclosing step looks at anyway; else the enclosing step is
parsed again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from ..language.model import BlockStyle, LanguageDefinition, Structure
from . import kinds as K
from .conditionals import follows_text
from .grammar import grammar_for
from .lexer import lex, lexical_mode
from .parse import GC_PAUSE, ParsedFile, parse_green
from .parser import _ALIGNED, IF_ELSE, Parser
from .tokens import KEYWORD_PREFIX, NEWLINE, NUMBER, PUNCT, TRIVIA, Token
from .tree import HAS_ERROR, GreenNode, SyntaxNode, kind_bit

if TYPE_CHECKING:
    from .peg import PegParser
    from .peg_tables import PegTables

# Kinds only ever made by Parser.parse_item, so parse_item can remake them.
REPARSABLE = frozenset({
    K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.REPEAT_STMT, K.CASE_STMT,
    K.RETURN_STMT, K.JUMP_STMT, K.COMMAND_STMT, K.ASSIGN_STMT, K.EXPR_STMT, K.FUNCTION_DECL,
    K.LET_STMT, K.IMPORT_STMT, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
})
LOOKAHEAD_TOKENS = 64
BEGIN_KEYWORD = KEYWORD_PREFIX + "begin"
# characters an edit must keep clear of a step's lookahead extent for the step to be
# kept: the lexer may have read a few characters past the last token the parser looked
# at before it settled on that token (the bundled number patterns read up to three, on
# `1.5e+`; an operator reads one or two, `..` against `...`; a comment opener one, `(*`)
LEXER_MARGIN = 4


@dataclass(frozen=True)
class TextEdit:
    """Replace text[start:end] with ``text`` (offsets in code points)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ReparseStats:
    strategy: str  # "item" or "full"
    reparsed_nodes: int
    reused_nodes: int
    relexed_chars: int
    # steps parsed again: a list's statements (keyword-level parser) or top-level steps
    # (grammar-defined languages)
    reparsed_items: int = 1
    # Where the nodes made anew lie in the new text (start, end), keyword-level parser;
    # None: not known (the whole file, or a grammar-defined language's run). Every node
    # of the new tree outside it, other than the path copied up to the root, is the old
    # green node itself, so a later layer may take the untouched statements as they were.
    made: tuple[int, int] | None = None
    # the windows of tokens a grammar-defined language's top-level steps were parsed in
    # (``_grammar_reparse``): a step that looked past one parses the run again in a
    # bigger one (``WINDOW_GROWTH``)
    windows: int = 1


def apply_edit(old: ParsedFile, edit: TextEdit) -> tuple[ParsedFile, ReparseStats]:
    """The new parse after ``edit``; identical to parsing the new text from scratch."""
    text = old.text[:edit.start] + edit.text + old.text[edit.end:]
    delta = len(edit.text) - (edit.end - edit.start)
    root = old.root
    if old.definition.grammar is not None:
        return _apply_grammar_edit(old, edit, text, delta)
    structure = old.definition.structure
    same_mode = not _mode_changed(old.definition, old.text, text)
    for candidate, is_list in _candidates(root, edit, structure) if same_mode else ():
        if is_list:
            found = _reparse_list(old, candidate, edit, text, delta)
            if found is not None:
                new_root, reparsed, steps, relexed, made = found
                return ParsedFile(old.definition, text, new_root), ReparseStats(
                    "item", reparsed, new_root.node_count - reparsed, relexed, steps, made)
            continue
        green = _reparse_item(old, candidate, text, delta)
        if green is not None:
            new_root = _splice(candidate, green)
            stats = ReparseStats("item", green.node_count, new_root.node_count - green.node_count,
                                 candidate.green.width + delta, 1,
                                 (candidate.start, candidate.start + green.width))
            return ParsedFile(old.definition, text, new_root), stats
    green = parse_green(old.definition, text)
    return ParsedFile(old.definition, text, green), ReparseStats("full", green.node_count, 0,
                                                                 len(text))


def _apply_grammar_edit(old: ParsedFile, edit: TextEdit, text: str, delta: int
                        ) -> tuple[ParsedFile, ReparseStats]:
    """A grammar-defined language: parse again from the first top-level step whose
    lookahead extent the edit touches, step by step, until a step ends where an old step
    after the edit begins (in the same line state); keep the old steps before and after.
    The way tree-sitter and rust-analyzer decide what to reuse: each node keeps how far
    its parse looked (``ParsedFile.lookahead``), and a step is a pure function of the
    tokens from its first one up to there."""
    found = None
    # a macro or a skipped region reaches past any one step, and a change of lexical
    # mode may change every token after its directive: the file is parsed again
    if old.lookahead is not None and not _has_directives(old.definition, old.text, text) \
            and not _mode_changed(old.definition, old.text, text) \
            and not _joining_changed(old, edit):
        with GC_PAUSE:  # as a full parse: the collector would walk the whole old tree
            short: list[bool] = []
            found = _grammar_items_reparse(old, edit, text, delta, short) \
                or _grammar_reparse(old, edit, text, delta, bool(short)
                                    or _in_mistaken_step(old, edit))
    if found is not None:
        return found
    from .parse import parse  # the grammar path: the lookahead comes with the tree
    parsed = parse(old.definition, text)
    count = len(parsed.green.node_children())
    return parsed, ReparseStats("full", parsed.green.node_count, 0, len(text), count)


def _joining_changed(old: ParsedFile, edit: TextEdit) -> bool:
    """With ``lexical.brackets_join_lines``, may the edit change which line breaks are
    joined outside the steps around it? A bracket written or removed, or a file with a
    mistake (a bracket left open joins the lines after it, up to one indented no deeper
    than its statement): the file is parsed again."""
    if not old.definition.lexical.brackets_join_lines:
        return False
    changed = edit.text + old.text[edit.start:edit.end]
    return any(c in changed for c in "()[]{}") or bool(old.green.kinds & HAS_ERROR)


def _mode_changed(definition: LanguageDefinition, old_text: str, text: str) -> bool:
    """Does the edit change the text's lexical mode (``lexer.lexical_mode``)? Every
    token after the directive may change: the file is parsed again."""
    if not definition.lexical.modes and not follows_text(definition.lexical.conditionals):
        return False
    return lexical_mode(definition, old_text) is not lexical_mode(definition, text)


def _has_directives(definition: LanguageDefinition, *texts: str) -> bool:
    """Do the texts hold a preprocessor directive that changes the parse (a macro, a
    skipped region)? Its effect reaches past any one item: the file is parsed again."""
    spec = definition.grammar.preprocessor if definition.grammar is not None else None
    if spec is None:
        return False
    from .preprocess import directive_pattern  # as in parse.py: only for a grammar
    pattern = directive_pattern(spec, not definition.lexical.case_sensitive)
    return any(pattern.search(t) for t in texts)


# characters lexed past the edit (and past the item it ends in) before the first try;
# doubled while a step looks past the window
WINDOW_CHARS = 64
# how much bigger the next window of top-level steps is where a step looked past the
# window (``_grammar_reparse``): each window is parsed from its first step again, and a
# step that looks that far is mostly one in recovery mode, the dearest to parse again (a
# block whose closer went missing reads on for it), so the windows grow fast; the
# lexing of a bigger window costs little beside one more such parse
WINDOW_GROWTH = 8


def _grammar_reparse(old: ParsedFile, edit: TextEdit, text: str, delta: int,
                     wide: bool = False) -> tuple[ParsedFile, ReparseStats] | None:
    """``wide``: the step the edit is in is likely parsed in recovery mode (it held a
    mistake, or a list's items around the edit ended elsewhere than they did,
    ``_grammar_items_reparse``): its first window is ``WINDOW_GROWTH`` times as big,
    since such a step mostly looks past the usual one."""
    green = old.green
    lookahead = old.lookahead
    assert lookahead is not None
    entries = green.node_children()
    bound = old.lookahead_bound
    if bound is None:
        bound = max(lookahead, default=0)
    first = _first_touched(entries, lookahead, bound, edit.start)
    region_start = entries[first - 1][1] + entries[first - 1][2].width if first else 0
    edited_end = edit.start + len(edit.text)  # where the new text's unchanged tail begins
    stop = max(edited_end, _end_of_entry_at(entries, edit.end) + delta) + WINDOW_CHARS
    stop = region_start + (WINDOW_GROWTH if wide else 1) * (stop - region_start)
    from .peg import PegParser, run_steps  # as in parse.py: only for a grammar
    from .peg_tables import tables_for
    tables = tables_for(old.definition)
    resumed: list[int] = []
    window: list[PegParser] = []
    windows = 1
    # a big step (a long block with a mistake typed into it, or mended): its lists' old
    # items around the edit are taken as they were, and it is lexed whole at once
    reuse = _reuse_for(old, first, edit, region_start, delta, tables)
    stop = stop if reuse is None else max(stop, _entry_end(entries[first]) + delta
                                          + WINDOW_CHARS)

    def resume(offset: int, starts_line: bool, p: int) -> bool:
        """May the old step that begins at ``offset`` (new text, token ``p`` of the
        window) be kept?"""
        if offset < edited_end:
            return False
        at = bisect_left(entries, offset - delta, key=_entry_offset)
        if at == len(entries) or entries[at][1] != offset - delta \
                or _top_starts_line(green, entries[at][0]) != starts_line \
                or not _same_lead(old.root, offset - delta, window[-1], p) \
                or not _same_lead_before(old.root, offset - delta, window[-1], p) \
                or not _line_kept(window[-1], p, region_start, edited_end):
            return False
        resumed.append(at)
        return True

    while True:
        tokens, lexed_to = lex(old.definition, text, region_start, min(stop, len(text)))
        at_end = lexed_to >= len(text)
        parser = PegParser(tables, tokens, starts_line=region_start == 0)
        _continue_line(parser, old.root, region_start)
        if tables.block_template:  # (its first step's look back, as a whole parse's)
            parser.lead_before = _lead_before(old.root, region_start)
        window.append(parser)
        _take_old(parser, reuse, region_start)
        run = run_steps(parser, region_start, at_end, resume)
        if run is not None:
            break
        if at_end:
            return None
        stop = region_start + WINDOW_GROWTH * (stop - region_start)
        windows += 1
    if run.lookahead is None:
        return None
    last = resumed[0] if resumed else len(entries)
    child_start = entries[first - 1][0] + 1 if first else 0
    child_stop = entries[last][0] if resumed else len(green.children)
    new_root = green.replacing_children(child_start, child_stop, cast(
        "tuple[GreenNode | Token, ...]", tuple(run.elements)))
    new_lookahead = lookahead[:first] + run.lookahead + lookahead[last:]
    clean = old.clean
    new_clean = None if clean is None else clean[:first] + run.clean + clean[last:]
    # an upper bound, not the longest: a node that had the longest may be gone, and a
    # bound that is too large only starts the bisection a little earlier
    new_bound = max(bound, max(run.lookahead, default=0))
    parsed = ParsedFile(old.definition, text, new_root, lookahead=new_lookahead,
                        lookahead_bound=new_bound, clean=new_clean)
    reparsed, span = _made(run.elements, region_start, reuse)
    return parsed, ReparseStats("item", reparsed, new_root.node_count - reparsed,
                                lexed_to - region_start, len(run.lookahead), span, windows)


def _take_old(parser: PegParser, reuse: _OldItems | None, start: int) -> None:
    """``parser`` (of a window from ``start``) takes ``reuse``'s old items, if any."""
    if reuse is not None:
        reuse.start = start
        reuse.taken.clear()
        parser.reuse = reuse


def _made(elements: list[object], start: int, reuse: _OldItems | None
          ) -> tuple[int, tuple[int, int] | None]:
    """How many nodes a run of steps made anew (its ``elements``, from ``start``), and
    where a big step's lists' new items lie (``_OldItems.made_anew``; else None)."""
    if reuse is None or not reuse.taken:
        return sum(e.node_count for e in elements if isinstance(e, GreenNode)), None
    reuse.share(elements, start)
    return reuse.made_anew(elements, start)


# a top-level step of this many nodes or more is parsed again taking its lists' old
# items (``_OldItems``): below, the fast path parses it whole sooner
REUSE_NODES = 512


def _reuse_for(old: ParsedFile, first: int, edit: TextEdit, region_start: int, delta: int,
               tables: PegTables) -> _OldItems | None:
    """The old items top-level step ``first`` may take (``_OldItems``), when it is a big
    one with lists of items; else None."""
    entries = old.green.node_children()
    if first >= len(entries) or not tables.lines_rules:
        return None
    step = entries[first][2]
    if step.node_count < REUSE_NODES or not step.kinds & _lines_mask(tables):
        return None
    return _OldItems(old, edit, region_start, delta, tables)


def _lines_mask(tables: PegTables) -> int:
    """The kind bits of the nodes of lists of items (``PegParser.lines_mask``)."""
    mask = 0
    for r in tables.lines_rules:
        mask |= kind_bit(tables.rule_kind[r])
    return mask


class _OldItems:
    """``PegParser.reuse`` for a top-level step parsed again (``_grammar_reparse``): at
    the start of a turn of a list of items, the old items that follow, as they were,
    where they looked neither at the edit nor near it. An item depends only on its
    tokens from its first to the furthest it looked at, its depth and its line state
    (``PegParser.lines_repeat``); the turns of a list in recovery mode that parse as
    written are run as ``lines_repeat`` runs them and noted the same way (``PegParser.
    written_turn``), so the same items are taken whether the step around them has a
    mistake or not. Only items whose note is their own turn's (the node before them
    ends a turn too) are taken, each followed by another such item (its turn looked at
    that item's first token to go on), and, where the step may be parsed as written
    (``lines_repeat``), only items without lists inside (whose parse could taint the
    step, ``PegParser.taint``)."""

    def __init__(self, old: ParsedFile, edit: TextEdit, start: int, delta: int,
                 tables: PegTables) -> None:
        from .peg_tables import list_loop
        self.root = old.root
        self.edit, self.start, self.delta = edit, start, delta
        self.edited_end = edit.start + len(edit.text)
        self.kinds: dict[int, set[str]] = {}  # a list's loop body -> the lists' kinds
        for r in tables.lines_rules:
            loop, _ = list_loop(tables.ops, tables.kids, tables.rule_expr[r])
            self.kinds.setdefault(tables.kids[loop][0], set()).add(tables.rule_kind[r])
        self.lists = {kind for kinds in self.kinds.values() for kind in kinds}
        self.taken: dict[int, GreenNode] = {}  # the old nodes pushed, by id

    def old_offset(self, offset: int) -> int:
        """Where new offset ``offset`` was in the old text; -1 inside the edit."""
        if offset < self.edit.start:
            return offset
        return offset - self.delta if offset >= self.edited_end else -1

    def __call__(self, parser: PegParser, body: int, q: int, depth: int,
                 written: bool) -> int:
        """Where the old items taken at significant token ``q`` (a turn of loop body
        ``body`` at ``depth``; ``written``: the step may still be parsed as written) end,
        pushed onto ``parser``'s stack; NO_MATCH (nothing pushed) if none."""
        from .peg import NO_MATCH
        kinds = self.kinds.get(body)
        if kinds is None or q == 0 or q >= parser.n:
            return NO_MATCH
        ended = self.old_offset(self.start + parser.end_of(q - 1))
        if ended < 0:
            return NO_MATCH
        after = ended >= self.edit.end and ended > self.edit.start - LEXER_MARGIN
        if not after and ended + LEXER_MARGIN >= self.edit.start:
            return NO_MATCH
        note = depth + 1
        found = self.list_ending(ended, kinds, note)
        if found is None or not _ends_with(parser.stack, found[0].green.children[found[1]]) \
                or after and not _same_lead(
                    self.root, self.start + parser.token_start(q) - self.delta, parser, q):
            return NO_MATCH
        node, index = found
        entries = node.green.node_children()
        last, seen = self.clear_items(node, entries, index, note, after,
                                      parser.lines_mask if written else 0)
        if last < 0:
            return NO_MATCH
        shift = self.delta if after else 0
        end = node.start + entries[last][1] + entries[last][2].width + shift - self.start
        r = _token_ending(parser, end, q)
        if r + 1 >= parser.n or parser.end_of(r) != end:
            return NO_MATCH
        looked = _token_ending(parser, seen + shift - self.start, r)
        if looked > parser.reach:
            parser.reach = looked
        stack = parser.stack
        taken = self.taken
        for element in node.green.children[index + 1:entries[last][0] + 1]:
            stack.append(element)
            if type(element) is GreenNode:
                taken[id(element)] = element
        return r + 1

    def share(self, elements: list[object], start: int) -> None:
        """The old nodes for the new ones of ``elements`` (the run's, from ``start``) that
        are the same (down to their notes) at the same place, outside the edit: a step
        parsed again is made anew but for the items it took (``taken``); its other
        unchanged parts (a heading, declarations, a list's first and last items) are
        the old nodes too."""
        todo: list[tuple[GreenNode, int]] = []
        offset = start
        for element in elements:
            if type(element) is GreenNode:
                todo.append((element, offset))
                offset += element.width
            else:
                offset += len(cast(Token, element)[1])
        while todo:
            node, at = todo.pop()
            if id(node) in self.taken:
                continue
            children = list(node.children)
            changed = False
            for index, rel, child in node.node_children():
                if id(child) in self.taken:
                    continue
                old = self.old_node(at + rel, child, node.kind)
                if old is not None and _same_notes(child, old):
                    children[index] = old
                    self.taken[id(old)] = old
                    changed = True
                else:
                    todo.append((child, at + rel))
            if changed:  # (a node of this run: no one else holds it yet)
                node.children = tuple(children)
                node.entries = None
                node._first = False
                node._longest = -1

    def old_node(self, offset: int, new: GreenNode, parent: str) -> GreenNode | None:
        """The old node of ``new``'s kind and width, in a node of kind ``parent``, where
        ``new`` (at new offset ``offset``) lay in the old text, outside the edit; None if
        none."""
        start = self.old_offset(offset)
        end = self.old_offset(offset + new.width)
        if start < 0 or end < 0 or end - start != new.width:
            return None
        node = self.root
        while True:
            entry = node.green.node_child_at(start - node.start)
            if entry is None:
                return None
            index, rel, child = entry
            if node.start + rel == start and child.kind == new.kind \
                    and child.width == new.width and node.kind == parent:
                return child
            if node.start + rel > start or node.start + rel + child.width < start:
                return None
            node = SyntaxNode(child, node.start + rel, node, index)

    def list_ending(self, ended: int, kinds: set[str], note: int
                    ) -> tuple[SyntaxNode, int] | None:
        """The old list (of one of ``kinds``) whose child node that ends at ``ended``
        (old text) notes a turn's look at depth ``note``, and that child's index."""
        from .peg import list_item_ending
        return list_item_ending(self.root, ended, kinds, note)

    def clear_items(self, node: SyntaxNode, entries: tuple[tuple[int, int, GreenNode], ...],
                    index: int, note: int, after: bool, mask: int) -> tuple[int, int]:
        """The last of the entries of list ``node`` after child ``index`` that may be
        taken (each noted at depth ``note``, clear of the edit, without the kinds of
        ``mask``, and followed by another such one), and the furthest (old text) those
        looked at; -1 when none may."""
        from .peg_fast import LINES_CHARS, LINES_SHIFT
        at = bisect_left(entries, index, key=_entry_index) + 1
        last = -1
        seen = reach = 0  # how far the items taken looked; the next one
        while at < len(entries):
            _, rel, child = entries[at]
            look = child.lookahead & LINES_CHARS
            start = node.start + rel
            if child.lookahead >> LINES_SHIFT != note or look == LINES_CHARS \
                    or child.kinds & mask or not (
                        start >= self.edit.end if after
                        else start + child.width + look + LEXER_MARGIN < self.edit.start):
                break
            if entries[at - 1][0] > index:  # the one before is followed by it
                last = at - 1
                seen = max(seen, reach)
            reach = start + child.width + look
            at += 1
        return last, seen

    def made_anew(self, elements: list[object], start: int) -> tuple[int, tuple[int, int]]:
        """The nodes of ``elements`` (the run's, from ``start``) made anew, not taken
        from the old tree, and where those inside the lists that took old items lie."""
        taken = self.taken
        count = 0
        low, high = -1, -1
        todo: list[tuple[GreenNode, int, bool]] = []
        offset = start
        for element in elements:
            if type(element) is GreenNode:
                todo.append((element, offset, False))
                offset += element.width
            else:
                offset += len(cast(Token, element)[1])
        while todo:
            node, at, listed = todo.pop()
            if id(node) in taken:
                continue
            count += 1
            if listed:  # a new item of a list that took old ones
                low = at if low < 0 else min(low, at)
                high = max(high, at + node.width)
            # (a list's new items, where it took old ones: what lies between those)
            holds = node.kind in self.lists and any(
                id(child) in taken for child in node.children if type(child) is GreenNode)
            for _, rel, child in node.node_children():
                todo.append((child, at + rel, holds))
        return count, (low, high) if low >= 0 else (start, start)


def _ends_with(stack: list[object], item: GreenNode | Token) -> bool:
    """Does the parser's ``stack`` end with old list item ``item``, or a node like it
    (kind, width and note: the turn before this one ended with the same item)? Where
    two lists of the same loop nest, an old item of the outer one may end where the new
    turn's list's last item ends, noted at the depth the new list runs at (an indented
    routine's header deleted: its blocks one level up); the outer list's next items are
    then no items of this list (an indented template's line back at the outer block's
    indentation would be taken into the inner block)."""
    last = stack[-1] if stack else None
    if last is item:
        return True
    return type(last) is GreenNode and type(item) is GreenNode and last.kind == item.kind \
        and last.width == item.width and last.lookahead == item.lookahead


def _same_notes(a: GreenNode, b: GreenNode) -> bool:
    """Equal nodes (``GreenNode.__eq__``) with equal notes (``lookahead``) throughout."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if x is y:
            continue
        if x.kind != y.kind or x.width != y.width or x.error != y.error \
                or x.lookahead != y.lookahead or len(x.children) != len(y.children):
            return False
        for c, d in zip(x.children, y.children, strict=True):
            if isinstance(c, GreenNode):
                if not isinstance(d, GreenNode):
                    return False
                todo.append((c, d))
            elif c != d:
                return False
    return True


def _token_ending(parser: PegParser, offset: int, p: int) -> int:
    """The first significant token of ``parser`` from ``p`` on that ends at ``offset``
    (characters from its first token) or after it; ``parser.n`` if none does."""
    ends = parser.ends
    if ends:
        return min(bisect_left(ends, offset, max(p, 0), parser.n), parser.n)
    while p < parser.n and parser.end_of(p) < offset:
        p += 1
    return p


def _continue_line(parser: PegParser, root: SyntaxNode, offset: int) -> None:
    """A grammar that reads the lines' indentation (``INDENT``, or a block template's
    recovery, ``_reads_layout``): the window's tokens (``parser``'s) begin at ``offset``
    (a token boundary before the edit), where the old tree's tokens before them on their
    line give the indentation of its line."""
    if _reads_layout(parser):
        parser.line_before = _line_before(root, offset)


def _reads_layout(parser: PegParser) -> bool:
    """Does a parse with ``parser``'s grammar read the lines' indentation? ``INDENT``
    does, and a block template's recovery (the keyword level's layout evidence, on
    every step: ``peg_block_recovery.orphan_after``)."""
    return parser.t.indented or parser.t.block_template


def _lead_before(root: SyntaxNode, offset: int) -> int:
    """The indentation of the line of the last significant token of ``root`` that ends
    by ``offset`` (a token boundary), as a parse measures it; 0 where none does (the
    file's start): ``peg.PegParser.lead_before``."""
    at = offset
    while at > 0:
        token = root.token_at(at - 1)
        if token is None:
            break
        if token.kind not in TRIVIA:
            return _lead_at(root, token.start)
        at = token.start
    return 0


def _line_before(root: SyntaxNode, offset: int) -> list[Token]:
    """The tokens of ``root`` that end by ``offset`` (a token boundary) on its line, from
    the last one that holds a line break (what ``peg.line_indentations`` needs of the text
    before a window)."""
    found: list[Token] = []
    at = offset
    while at > 0:
        token = root.token_at(at - 1)
        if token is None:
            break
        found.append((token.kind, token.text))
        if "\n" in token.text or "\r" in token.text:
            break
        at = token.start
    found.reverse()
    return found


def _lead_at(root: SyntaxNode, offset: int) -> int:
    """The indentation of the line of the old tree's token at ``offset``, as a parse
    measures it (``peg.line_indentations``)."""
    from .peg import line_indentations  # as in parse.py: only for a grammar
    token = root.token_at(offset)
    if token is None:
        return -1
    return line_indentations([(token.kind, token.text)], [0], 1, _line_before(root, offset))[0]


def _same_lead(root: SyntaxNode, offset: int, parser: PegParser, p: int) -> bool:
    """Is the old token at ``offset`` (the first of a step or an item to keep) on a line
    indented as token ``p`` of the new window is? Where a grammar reads the layout
    (``_reads_layout``), a step's parse depends on its first line's indentation too (a
    text before the step)."""
    return not _reads_layout(parser) or parser.line_leads()[p] == _lead_at(root, offset)


def _same_lead_before(root: SyntaxNode, offset: int, parser: PegParser, p: int) -> bool:
    """Is the line of the significant token before the old step at ``offset`` indented
    as the line of the token before token ``p`` of the new window is? A block
    template's step looks back that far (``peg_block_recovery.orphan_after`` compares
    its line with that one): an edit before the step may change it (the line before
    indented otherwise, or another line in between), and the old step, its lookahead
    with it, is then no longer what a parse finds."""
    if not parser.t.block_template:
        return True
    new = parser.line_leads()[p - 1] if p > 0 else parser.lead_before
    return new == _lead_before(root, offset)


def _line_kept(parser: PegParser, p: int, starts_at: int, edited_end: int) -> bool:
    """A block template's step that begins no line (token ``p`` of the window, which
    begins at ``starts_at``) quotes its line from its first token in a message
    (``peg.PegParser.line_text``): may the old step be kept, its line's part before it
    (and the line break that begins the line) past the edit? Always where the step
    begins a line, or the grammar is no block template."""
    if not parser.t.block_template or p >= parser.n or parser.bol[p]:
        return True
    bol = parser.bol
    first = p - 1
    while first > 0 and not bol[first]:
        first -= 1
    if first == 0:  # (the line began in the window's leading trivia, or before it)
        return False
    # where the trivia before the line's first token begin: the line break among them
    return starts_at + parser.end_of(first - 1) >= edited_end


def _grammar_items_reparse(old: ParsedFile, edit: TextEdit, text: str, delta: int,
                           short: list[bool]) -> tuple[ParsedFile, ReparseStats] | None:
    """An edit inside a top-level step of a grammar-defined language, in a list of items
    (a ``lines`` rule's loop, ``peg.PegParser.lines_repeat``): parse again only the items
    around it, innermost list first, as ``_reparse_list`` does for the keyword-level
    parser. Each item notes how far it looked and at what depth it ran, and depends on
    nothing else; the step must have been parsed as written, with nothing outside its
    lists looking into them (``ParsedFile.clean``), and no item of an enclosing list
    before the edit may have looked at it. ``short`` gets True when a list's items
    parsed again ended elsewhere than the list did (a turn that fails as written, or a
    construct left open: the edit made a mistake, mostly)."""
    from .peg_tables import tables_for  # as in parse.py: only for a grammar
    tables = tables_for(old.definition)
    clean = old.clean
    if not tables.lines_rules or clean is None:
        return None
    root = old.root
    at = _clean_step_at(old, edit)
    if at < 0:
        return None
    index, offset, top = root.green.node_children()[at]
    rules = {tables.rule_kind[r]: r for r in tables.lines_rules}
    lists: list[SyntaxNode] = []
    node = SyntaxNode(top, offset, root, index)
    while True:  # down to the innermost node that holds the edit, bisecting each level
        if node.kind in rules:
            if lists and not _untouched_before(lists[-1], node, edit.start):
                break  # an item before the edit looked at it: no list inside it
            lists.append(node)
        entry = node.green.node_child_at(edit.start - node.start)
        if entry is None or edit.end > node.start + entry[1] + entry[2].width:
            break
        node = SyntaxNode(entry[2], node.start + entry[1], node, entry[0])
    for holder in reversed(lists):
        found = _ItemRun(old, holder, rules[holder.kind], edit, text, delta, short).run()
        if found is not None and tables.block_template and tables.indented \
                and _deeper_lines(old, text, offset, top.width + delta, tables):
            return None
        if found is not None:
            new_root, steps, taint, span = found
            parsed = ParsedFile(old.definition, text, new_root, lookahead=old.lookahead,
                                lookahead_bound=old.lookahead_bound,
                                clean=clean[:at] + (not taint,) + clean[at + 1:])
            reparsed = span[2]
            return parsed, ReparseStats("item", reparsed, new_root.node_count - reparsed,
                                        span[1] - span[0], steps, (span[0], span[1]))
    return None


def _in_mistaken_step(old: ParsedFile, edit: TextEdit) -> bool:
    """Is the top-level node the edit begins in (or ends) one with an error, or one
    not parsed as written (``ParsedFile.clean``)? Its step is then parsed in recovery
    mode again, mostly."""
    entries = old.green.node_children()
    at = bisect_left(entries, edit.start, key=_entry_end)
    if at == len(entries) or entries[at][1] > edit.start:
        return False
    return bool(entries[at][2].kinds & HAS_ERROR) or old.clean is not None \
        and not old.clean[at]


def _deeper_lines(old: ParsedFile, text: str, start: int, width: int, tables: PegTables
                  ) -> bool:
    """Whether an indented block template's step (``start``, ``width``: the new text)
    has a run of lines indented too deep (``peg_block_recovery.deeper_runs``): the whole
    step's parse reports each ("unexpected indentation", ``PegParser.step``), a run of
    items parsed as written does not (``give_back`` deleted before ``stars``: a line one
    column deeper than its block)."""
    from .peg import PegParser  # as in parse.py: only for a grammar
    from .peg_block_recovery import deeper_runs
    tokens, _ = lex(old.definition, text, start, start + width)
    parser = PegParser(tables, tokens, starts_line=start == 0)
    _continue_line(parser, old.root, start)
    parser.lead_before = _lead_before(old.root, start)
    return parser.n > 0 and bool(deeper_runs(parser, 0, parser.n))


def _clean_step_at(old: ParsedFile, edit: TextEdit) -> int:
    """The index of the top-level node that holds ``edit`` strictly inside, when its
    step is clean (``ParsedFile.clean``), has no error, and no step before it looked at
    the edit (a failed one, mostly: it may parse otherwise now, and its lookahead is
    kept only when it is parsed again); else -1."""
    clean, lookahead = old.clean, old.lookahead
    assert clean is not None and lookahead is not None
    entries = old.green.node_children()
    at = bisect_left(entries, edit.start, key=_entry_end)
    if at == len(entries) or not clean[at]:
        return -1
    _, offset, top = entries[at]
    if not offset < edit.start or edit.end >= offset + top.width or top.kinds & HAS_ERROR:
        return -1
    bound = old.lookahead_bound
    if _first_touched(entries, lookahead, max(lookahead, default=0) if bound is None
                      else bound, edit.start - LEXER_MARGIN) < at:
        return -1
    return at


def _item_look(node: GreenNode) -> int:
    """How many characters past its end an item's turns looked (``peg_fast.
    item_lookahead``); -1 when no item ends with this node."""
    from .peg_fast import LINES_CHARS
    if node.lookahead == 0:
        return -1
    look = node.lookahead & LINES_CHARS
    return 1 << 62 if look == LINES_CHARS else look


def _first_item_touched(green: GreenNode, offset: int) -> int:
    """The index (among ``green``'s child entries) of the first node that ends an item
    of the list whose turns looked at ``offset`` or near it (``LEXER_MARGIN``), or
    len(entries). As ``_first_touched``: only the items that end within the longest
    look before ``offset`` need a look."""
    entries = green.node_children()
    from .peg_fast import LINES_CHARS
    longest = green.longest_lookahead() & LINES_CHARS
    at = bisect_left(entries, offset - longest - LEXER_MARGIN, key=_entry_end)
    while at < len(entries):
        _, rel, child = entries[at]
        look = _item_look(child)
        if look >= 0 and rel + child.width + look + LEXER_MARGIN >= offset:
            break
        at += 1
    return at


def _untouched_before(holder: SyntaxNode, inner: SyntaxNode, offset: int) -> bool:
    """No item of the list ``holder`` that ends before the child holding ``inner``
    looked at ``offset``: the items of the list ``inner`` may then be reparsed."""
    child = inner
    while child.parent is not None and child.parent.green is not holder.green:
        child = child.parent
    entries = holder.green.node_children()
    touched = _first_item_touched(holder.green, offset - holder.start)
    return touched == len(entries) or entries[touched][0] >= child.index


class _ItemRun:
    """The items of one list (``_grammar_items_reparse``) parsed again from the last
    item before the edit that did not look at it (none: from the list's start,
    ``first_item``), with the interpreter's ``lines_repeat`` (each turn on the fast
    path), until an item ends where an old one after the edit began, or the list ends
    where it ended."""

    def __init__(self, old: ParsedFile, holder: SyntaxNode, rule: int, edit: TextEdit,
                 text: str, delta: int, short: list[bool]) -> None:
        self.old, self.holder, self.rule, self.edit = old, holder, rule, edit
        self.text, self.delta = text, delta
        self.edited_end = edit.start + len(edit.text)
        self.entries = holder.green.node_children()
        self.resumed = -1
        self.closers = 0
        self.short = short  # gets True where the loop ended elsewhere than the list did

    def run(self) -> tuple[GreenNode, int, bool, tuple[int, int, int]] | None:
        """The new root, the items made, whether the step is now tainted, and where the
        made elements lie (start, end) with their node count; None when the change
        reaches past this list."""
        from .peg import PegParser  # as in parse.py: only for a grammar
        from .peg_fast import LINES_SHIFT
        from .peg_tables import OP_STAR, list_loop, tables_for
        holder, entries, edit = self.holder, self.entries, self.edit
        green = holder.green
        touched = _first_item_touched(green, edit.start - holder.start)
        start = next((i for i in range(min(touched, len(entries)) - 1, -1, -1)
                      if _item_look(entries[i][2]) >= 0), -1)
        tables = tables_for(self.old.definition)
        expr = tables.rule_expr[self.rule]
        loop, at = list_loop(tables.ops, tables.kids, expr)
        # the closing literals after the loop (a block template's 'END'), kept as they
        # were when the loop ends at the old closer (``splice``)
        self.closers = 0 if at < 0 else len(tables.kids[expr]) - 1 - at
        if start >= 0:  # from the end of an item before the edit: the loop runs on
            child_start, rel, node = entries[start]
            child_start += 1
            region_start = holder.start + rel + node.width
            before: tuple[int, ...] = ()
            op, starts_line = OP_STAR, False  # ``+`` is met: the loop took items before
        else:
            noted = self.first_item()
            if noted is None:
                return None
            child_start, region_start, node = 0, holder.start, noted
            before = () if at < 0 else tables.kids[expr][:at]
            op, starts_line = tables.ops[loop], _line_break_before(holder)
        depth = (node.lookahead >> LINES_SHIFT) - 1
        holding = self.window_end(edit.end - holder.start)
        stop = max(self.edited_end + WINDOW_CHARS, holder.start + holding + self.delta)
        while True:
            tokens, lexed_to = lex(self.old.definition, self.text, region_start,
                                   min(stop, len(self.text)))
            at_end = lexed_to >= len(self.text)
            parser = PegParser(tables, tokens, starts_line=starts_line)
            parser.track = False
            parser.reach = 0
            _continue_line(parser, self.old.root, region_start)
            if tables.indented:  # the list's rule began on the line of its first token
                parser.outer_lead = _lead_at(self.old.root, holder.start)
            self.resumed = -1

            def resume(r: int, parser: PegParser = parser, base: int = region_start
                       ) -> bool:
                return r < parser.n and self.resume(base + parser.token_start(r),
                                                    parser.bol[r], parser, r)

            q = self.before_loop(parser, before, depth - 1) if before else 0
            if q >= 0:
                parser.depth = depth
                q = parser.lines_repeat(op, tables.kids[loop][0], q, resume)
            if parser.reach < parser.n or at_end:
                break
            # it looked past the window (a construct left open, mostly: as for steps)
            stop = region_start + WINDOW_GROWTH * (stop - region_start)
        if q < 0:
            return None
        return self.splice(parser, q, child_start, region_start)

    @staticmethod
    def before_loop(parser: PegParser, before: tuple[int, ...], depth: int) -> int:
        """The list's own part before its loop, from its first token, as its rule's
        sequence runs it: a level above the loop, on the budget the list starts with
        (``PegParser.call_lines_rule``) less the sequence's own unit. Where it ended,
        or NO_MATCH (also when no unit is left for the loop: it would be cut off)."""
        from .peg import STEP_FUEL  # as in parse.py: only for a grammar
        parser.frame = 0
        parser.depth = depth
        parser.fuel = STEP_FUEL - 1
        if len(before) == 1:  # one part: the fast path (it starts with an empty memo)
            q = parser.ev_fast(before[0], 0)
        else:  # several: the interpreter, whose memo the parts share as in the rule
            q = 0
            for k in before:
                q = parser.ev(k, q, False)
                if q < 0:
                    break
        return q if q < 0 or parser.fuel > 1 else -1

    def first_item(self) -> GreenNode | None:
        """An edit in the list's first item (before any node that ends an item, where
        the part of its rule before the loop may lie too): the node that ends the list's
        first item and notes the items' depth, when the list may be parsed again from
        its start; else None. What came before the list in its step looked at the list's
        first token at most (else the step is not clean: ``PegParser.call_lines_rule``),
        so an edit past that token (and the characters the lexer read after it) leaves
        it as it was; an edit in that token parses the step again (what the step chose
        before the list, or an error there, may hang on it)."""
        if self.edit.start <= _first_token_end(self.holder) + LEXER_MARGIN:
            return None
        return next((child for _, _, child in self.entries if _item_look(child) >= 0), None)

    def window_end(self, rel: int) -> int:
        """Where the first try's tokens may end (relative to the list): past the first
        node at or after ``rel`` that ends an item (a run stops only after one; the
        first item's part before the loop ends none) by as much as its turns looked
        before, and the lexer's margin (the next item's first token, mostly, where the
        run stops); a run that looks further lexes again, twice as far."""
        entries = self.entries
        at = bisect_left(entries, rel, key=_entry_end)
        while at < len(entries):
            _, offset, child = entries[at]
            look = _item_look(child)
            if look >= 0:
                return offset + child.width + min(look, WINDOW_CHARS) + LEXER_MARGIN
            at += 1
        return rel + WINDOW_CHARS

    def resume(self, offset: int, starts_line: bool, parser: PegParser, r: int) -> bool:
        """May the old item that begins at ``offset`` (new text, token ``r`` of the
        window) be kept? It must begin after the edit, right after a node that ended an
        item, in the same line state (and indentation: ``_same_lead``)."""
        if offset < self.edited_end or not _same_lead(self.old.root, offset - self.delta,
                                                      parser, r):
            return False
        rel = offset - self.delta - self.holder.start
        entries = self.entries
        at = bisect_left(entries, rel + 1, key=_entry_end) - 1
        if at < 0 or _item_look(entries[at][2]) < 0:
            return False
        children = self.holder.green.children
        index, position = entries[at][0] + 1, entries[at][1] + entries[at][2].width
        newline = False
        while index < len(children):
            child = children[index]
            if isinstance(child, GreenNode) or child[0] not in TRIVIA:
                break
            newline = newline or child[0] == NEWLINE or (child[0] == "comment"
                                                        and "\n" in child[1])
            position += len(child[1])
            index += 1
        if position != rel or index == len(children) or newline != starts_line:
            return False
        self.resumed = index
        return True

    def stopped(self, moved: bool) -> None:
        """Note that the loop ended elsewhere than the list did, if ``moved``."""
        if moved:
            self.short.append(True)

    def closer(self) -> tuple[int, int, str] | None:
        """The list's first closing literal (``closers`` of them end its node): its index
        among the node's children, where it starts and its text; None when the node does
        not end with that many tokens (no closer there)."""
        children = self.holder.green.children
        end = self.holder.end
        left = self.closers
        index = len(children)
        value = ""
        while left:
            index -= 1
            if index < 0:
                return None
            child = children[index]
            if type(child) is GreenNode:
                return None
            kind, value = child  # type: ignore[misc]
            end -= len(value)
            if kind not in TRIVIA:
                left -= 1
        return index, end, value

    def splice(self, parser: PegParser, q: int, child_start: int, region_start: int
               ) -> tuple[GreenNode, int, bool, tuple[int, int, int]] | None:
        holder, delta = self.holder, self.delta
        index = parser.index
        elements = cast("list[GreenNode | Token]", parser.stack)
        bound = _next_token_end(holder, len(self.old.text))
        if self.resumed >= 0:
            elements.extend(parser.tokens[index[q - 1] + 1:index[q]])
            child_stop = self.resumed
        elif self.closers:  # the loop ended: at the old closer, after the edit
            closer = self.closer()
            self.stopped(closer is not None and (
                q >= parser.n or region_start + parser.token_start(q) != closer[1] + delta))
            if closer is None or q >= parser.n:
                return None
            child_stop, closer_start, closer_text = closer
            after = region_start + parser.token_start(q)
            if after != closer_start + delta or after < self.edited_end \
                    or parser.tokens[index[q]][1] != closer_text \
                    or not _same_lead(self.old.root, closer_start, parser, q):
                return None
            elements.extend(parser.tokens[index[q - 1] + 1 if q else 0:index[q]])
            # what the list looked at before its closers: up to its first closer, which
            # its loop looked at to end (and its rule to match it)
            bound = closer_start + len(closer_text)
        else:  # the list ended: where it ended, after the edit
            end = region_start + (parser.end_of(q - 1) if q else 0)
            self.stopped(end != holder.end + delta)
            if q >= parser.n or end != holder.end + delta or end < self.edited_end:
                return None
            # what follows is kept as it was: the line it goes on with (an edit may have
            # made a line begin inside the list) must be indented as it was
            after = region_start + parser.token_start(q)
            if not _same_lead(self.old.root, after - delta, parser, q):
                return None
            child_stop = len(holder.green.children)
        # what the old and the new items looked at lies within what the list looks at
        # anyway (the token after it, or its first closer), so every enclosing item's and
        # step's look stays
        reach = parser.reach
        seen = region_start + (parser.text_end + 1 if reach >= parser.n else parser.end_of(reach))
        if seen > bound + delta:
            return None
        entries = self.entries
        for _, rel, child in entries[bisect_left(entries, child_start, key=_entry_index):
                                     bisect_left(entries, child_stop, key=_entry_index)]:
            look = _item_look(child)
            if look >= 0 and holder.start + rel + child.width + look > bound:
                return None
        made = tuple(elements)
        new = holder.green.replacing_children(child_start, child_stop, made)
        nodes = [e for e in made if isinstance(e, GreenNode)]
        width = sum(e.width if isinstance(e, GreenNode) else len(e[1]) for e in made)
        return _splice(holder, new), len(nodes), parser.taint, \
            (region_start, region_start + width, sum(e.node_count for e in nodes))


def _first_touched(entries: tuple[tuple[int, int, GreenNode], ...],
                   lookahead: tuple[int, ...], longest: int, offset: int) -> int:
    """The first top-level node whose parse looked at ``offset`` or past it (the end of
    its lookahead at or after it), or len(entries). Nodes end in order; their lookahead
    does not, but none is longer than ``longest`` (a bound), so only the nodes that end
    within that distance before ``offset`` need a look."""
    at = bisect_left(entries, offset - longest, key=_entry_end)
    while at < len(entries):
        _, rel, node = entries[at]
        if rel + node.width + lookahead[at] >= offset:
            break
        at += 1
    return at


def _end_of_entry_at(entries: tuple[tuple[int, int, GreenNode], ...], offset: int) -> int:
    """The end of the top-level node that holds ``offset`` (else ``offset``)."""
    at = bisect_left(entries, offset, key=_entry_end)
    if at < len(entries) and entries[at][1] <= offset:
        return entries[at][1] + entries[at][2].width
    return offset


def _top_starts_line(green: GreenNode, index: int) -> bool:
    """Does a line break come between child ``index`` of ``green`` and the significant
    token before it among ``green``'s children (a node ends with one)? True when none
    comes before it there: for the file node, the file's start."""
    children = green.children
    for i in range(index - 1, -1, -1):  # no slice: a block may have thousands of children
        child = children[i]
        if type(child) is GreenNode:
            return False
        kind, value = child  # type: ignore[misc]
        if kind == NEWLINE or (kind == "comment" and "\n" in value):
            return True
        if kind not in TRIVIA:
            return False
    return True


def _entry_offset(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1]


def _entry_index(entry: tuple[int, int, GreenNode]) -> int:
    return entry[0]


def _entry_end(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1] + entry[2].width


def apply_edits(parsed: ParsedFile, edits: list[TextEdit]) -> tuple[ParsedFile, list[ReparseStats]]:
    stats = []
    for edit in edits:
        parsed, s = apply_edit(parsed, edit)
        stats.append(s)
    return parsed, stats


def _candidates(root: SyntaxNode, edit: TextEdit, structure: Structure
                ) -> list[tuple[SyntaxNode, bool]]:
    """Innermost first: the statement lists holding the edit (True), and the reparsable
    items holding it after their first token (False) that are not a list's steps (the
    list's reparse covers those, and looks at the steps around them too)."""
    found: list[tuple[SyntaxNode, bool]] = [(root, True)]
    node = root
    while True:
        # bisection over the child nodes: a file node has thousands
        entry = _child_holding(node.green, edit.start - node.start)
        if entry is None:
            break
        index, offset, green = entry
        if edit.end > node.start + offset + green.width:
            break
        in_list = node.parent is None or _is_list(node, structure)
        if _looked_at_by_a_step_before(node.green, index, edit.start - node.start):
            # that step's lookahead changes too: only a list around it is parsed again
            # (not only a list's: an IF's first part, a block whose orphan closer read
            # the layout past it, may have looked into its ELSE part)
            break
        if not in_list and _missing_before(node.green, index):
            break  # its header looked for the missing token in this child: parse it again
        if green.kind == K.ERROR:
            break  # items inside a mistake were parsed in its context (Parser.floor)
        node = SyntaxNode(green, node.start + offset, node, index)
        if _is_list(node, structure):
            found.append((node, True))
        elif node.kind in REPARSABLE and not in_list:
            first = node.first_token()
            if first is not None and edit.start > first.end:
                found.append((node, False))
    found.reverse()
    return found


def _looked_at_by_a_step_before(green: GreenNode, index: int, rel: int) -> bool:
    """Did a step of the list ``green`` before its child ``index`` look at ``rel`` (or
    near it, ``_first_step_touched``)? A list inside the child may then not be parsed
    alone: the step before it would keep a lookahead that a fresh parse measures anew
    (an edit that joins the token it looked at with the next one lengthens it)."""
    entries = green.node_children()
    at = _first_step_touched(green, rel)
    return at < len(entries) and entries[at][0] < index


def _missing_before(green: GreenNode, index: int) -> bool:
    """Does a construct report a token missing before its child ``index`` (an empty
    ``ERROR``: `IF x` with no `THEN`)? Looking for it, its header read on over the tokens
    that its child now holds (``Parser.skip_to_expected``), so an edit there may make it
    find the token (the `THEN` typed again) and the child may not be parsed alone."""
    return (green.kinds & HAS_ERROR) != 0 and any(
        i < index and child.kind == K.ERROR and child.width == 0
        for i, _, child in green.node_children())


def _cut_by_layout(node: SyntaxNode, bare: bool, closers: frozenset[str]) -> bool:
    """Did the list of ``node`` (a block) end before a token that is not its closer,
    though the file goes on: with no closer of its own (``bare``: no closer after it)?"""
    if node.parent is None:
        return False
    after = next((t for t in _leaves_after(node) if t[0] not in TRIVIA), None)
    if after is None:
        return False
    if bare:
        return not (after[0] in closers or (after[0] == PUNCT and after[1] in closers))
    last = node.green.children[-1]
    return type(last) is GreenNode or cast("Token", last)[0] in TRIVIA \
        or cast("Token", last) is node.green.children[0]


def _is_wrap(green: GreenNode) -> bool:
    """Is ``green`` a step that wraps an orphan closer and the steps before it that were
    its construct's body (``Parser.wrap_orphan``): a block that begins with its error?
    Where it begins depends on the step before it: a list's run that would begin at it
    begins a step earlier."""
    if green.kind != K.BLOCK or green.lookahead == 0 or not green.children:
        return False
    first = green.children[0]
    return type(first) is GreenNode and first.kind == K.ERROR and first.width == 0


def _step_depth(node: SyntaxNode) -> int:
    """The recursion depth the steps of the list ``node`` are parsed at: one for each
    step around them (the block ``Parser.wrap_orphan`` makes of steps is none)."""
    return sum(1 for n in node.ancestors() if n.green.lookahead > 0 and not _is_wrap(n.green))


def _is_list(node: SyntaxNode, structure: Structure) -> bool:
    """Is ``node`` a block whose body is a statement list (``Parser.list_step`` steps):
    BEGIN ... END, { ... } in a language whose blocks are braces (the opener is its
    first child), or an opener-less body (``_is_bare_list``)?"""
    green = node.green
    if green.kind != K.BLOCK or not green.children:
        return False
    first = green.children[0]
    if type(first) is GreenNode:
        return _is_bare_list(node, structure)
    kind, value = first  # type: ignore[misc]
    return kind == BEGIN_KEYWORD or (structure.block_style is BlockStyle.BRACES
                                     and kind == PUNCT and value == "{")


def _is_bare_list(node: SyntaxNode, structure: Structure) -> bool:
    """Is ``node`` (a block that begins with a node) a statement list without an opener
    of its own, ended by a closer outside it: a REPEAT's body, or in a keyword-terminated
    language whose blocks must be closed, a compound statement's body
    (``Parser.parse_terminated_list``: IF ... END IF, WHILE ... WEND, FOR ... NEXT)? Not
    the one statement after THEN on the IF's own line (``Parser.parse_item_inline``), nor
    its ELSE part: the IF's first block then does not start a line."""
    first = node.green.children[0]
    parent = node.parent
    if cast(GreenNode, first).lookahead == 0 or parent is None:
        return False  # not a step: an error where a statement was expected
    if parent.kind == K.REPEAT_STMT:
        return True
    if structure.block_style is not BlockStyle.KEYWORD_TERMINATED \
            or not structure.block_end_required:
        return False  # indented bodies, and bodies a dedent may end: other loops
    if parent.kind == K.ELSE_CLAUSE and parent.parent is not None:
        parent = parent.parent
        node = next((SyntaxNode(g, parent.start + o, parent, i)
                     for i, o, g in parent.green.node_children() if g.kind == K.BLOCK), node)
    elif parent.kind != K.IF_STMT:
        return True
    return _starts_line(node)


def _line_break_before(node: SyntaxNode) -> bool:
    """``_starts_line`` without copying a parent's children (a list has thousands)."""
    current = node
    while current.parent is not None:
        found = _break_among(current.parent.green.children, current.index)
        if found is not None:
            return found
        current = current.parent
    return True


def _line_break_ends(green: GreenNode, index: int) -> bool:
    """Does a line break come between child ``index`` of ``green`` and the significant
    token before it, looking into the nodes before it (a step may end with trivia: a
    header whose block is missing took the line break after it)? True when no token
    comes before it in ``green``."""
    found = _break_among(green.children, index)
    return True if found is None else found


def _break_among(children: tuple[GreenNode | Token, ...], index: int) -> bool | None:
    """What comes last before child ``index`` of ``children``, leaves of nodes included:
    a line break (True), a significant token (False) or only trivia (None: the answer is
    further out)."""
    for i in range(index - 1, -1, -1):  # no slice: a block may have thousands of children
        child = children[i]
        leaves = _green_leaves_reversed(child) if type(child) is GreenNode \
            else (cast("Token", child),)
        for kind, value in leaves:
            if kind == NEWLINE or (kind == "comment" and "\n" in value):
                return True
            if kind not in TRIVIA:
                return False
    return None


def _first_token_end(node: SyntaxNode) -> int:
    """Where the first significant token of ``node`` ends (its start when it has none)."""
    token = node.first_token_at()  # (kind, text, start)
    return token[2] + len(token[1]) if token is not None else node.start


def _child_holding(green: GreenNode, rel: int) -> tuple[int, int, GreenNode] | None:
    """The child node an edit at ``rel`` is in, or ends: typing at the end of a statement
    (the end of a line, in the line-based languages) is an edit of that statement, which
    the reparse may extend (the lexer and parser checks decide)."""
    entry = green.node_child_at(rel)
    if rel > 0 and (entry is None or entry[1] == rel):
        before = green.node_child_at(rel - 1)
        if before is not None and before[1] + before[2].width == rel:
            return before
    return entry


def _reparse_list(old: ParsedFile, node: SyntaxNode, edit: TextEdit, text: str, delta: int
                  ) -> tuple[GreenNode, int, int, int, tuple[int, int]] | None:
    """Parse the statement list of ``node`` (the file, a BEGIN/END or brace block, or a
    body without an opener, ``_is_bare_list``) again from the first step whose lookahead
    extent the edit touches, step by step, until a step ends where an old step after the
    edit begins (or the list ends at its old closing token). Returns the new root, the
    nodes made, the steps parsed and the characters lexed, and where the new children
    lie; None when the change reaches past the list."""
    green = node.green
    base = node.start
    is_file = node.parent is None
    entries = green.node_children()
    bare = not is_file and type(green.children[0]) is GreenNode
    opener = None if is_file or bare else cast("Token", green.children[0])
    list_start = 0 if opener is None else len(opener[1])
    first = _first_step_touched(green, edit.start - base)
    first -= 0 < first < len(entries) and _is_wrap(entries[first][2])  # (``_is_wrap``)
    if bare and first == 0 and edit.start <= _first_token_end(node) + LEXER_MARGIN:
        # what comes before the body (outside it) looked through the body's first token:
        # an error there quotes it ("expected a name, found '\" LineTotal...'")
        return None
    if first > 0:
        child_start = entries[first - 1][0] + 1
        region_start = base + entries[first - 1][1] + entries[first - 1][2].width
        lex_from = region_start
    else:  # from the list's start: the opener is lexed again (its end may have changed)
        child_start = 0 if opener is None else 1
        region_start = base + list_start
        lex_from = base
    edited_end = edit.start + len(edit.text)
    holding = _end_of_entry_at(entries, edit.end - base)
    stop = max(edited_end, base + holding + delta) + WINDOW_CHARS
    while True:
        tokens, lexed_to = lex(old.definition, text, lex_from, min(stop, len(text)))
        at_end = lexed_to >= len(text)
        if opener is not None and lex_from == base:
            if not tokens or tokens[0] != opener:
                return None
            tokens = tokens[1:]
        run = _ListRun(old, node, edit, text, delta, tokens, region_start, at_end, bare,
                       first > 0, child_start)
        result = run.run(is_file)
        if not run.window_too_small:
            break
        if at_end:
            return None
        stop = lex_from + 2 * (stop - lex_from)
    if result is None:
        return None
    elements, child_stop = result
    if not _keeps_enclosing_lookahead(old, node, entries, child_start, child_stop,
                                      elements, region_start, delta):
        return None
    new = green.replacing_children(child_start, child_stop, elements)
    made = [e for e in elements if isinstance(e, GreenNode)]
    reparsed = sum(e.node_count for e in made)
    span = (region_start, region_start + sum(
        e.width if isinstance(e, GreenNode) else len(e[1]) for e in elements))
    return _splice(node, new), reparsed, len(made), lexed_to - lex_from, span


def _first_step_touched(green: GreenNode, offset: int) -> int:
    """The first step of a list whose parse looked at ``offset`` or near it (the end of
    its lookahead, plus the lexer's margin, at or after it); the first node that is not
    a step (a block's closing part) or len(entries) when none did. As
    ``_first_touched``: steps end in order, their lookahead does not, so only the steps
    that end within the longest lookahead before ``offset`` need a look."""
    entries = green.node_children()
    longest = green.longest_lookahead()
    at = bisect_left(entries, offset - longest - LEXER_MARGIN, key=_entry_end)
    while at < len(entries):
        _, rel, child = entries[at]
        if child.lookahead == 0 or rel + child.width + child.lookahead + LEXER_MARGIN >= offset:
            break
        at += 1
    return at


class _ListRun:
    """One run of a list's steps over a lexed window (``_reparse_list``)."""

    def __init__(self, old: ParsedFile, node: SyntaxNode, edit: TextEdit, text: str,
                 delta: int, tokens: list[Token], region_start: int, at_end: bool,
                 bare: bool = False, partial: bool = False, child_start: int = 0) -> None:
        self.old, self.node, self.text, self.delta = old, node, text, delta
        # a body without an opener: its first step starts it, and its closer (with the
        # trivia before it) lies outside it, in the statement that holds it
        self.bare = bare
        self.closer = _next_token_start(node) if bare else None
        self.edited_end = edit.start + len(edit.text)
        self.entries = node.green.node_children()
        structure = old.definition.structure
        # the parser reads columns (the leading blanks of a step's first line): in every
        # block style, where a closer lines up (``Parser.layout_verdict``)
        self.columns = True
        # a run after a step: that step may end with the line break (a header whose
        # block is missing, ``teach hin``, takes the line's end), which the run's
        # tokens then lack
        starts_line = region_start == 0 or (bare and region_start == node.start
                                            and _starts_line(node)) \
            or (partial and _line_break_ends(node.green, child_start))
        self.parser = Parser(grammar_for(old.definition), text, tokens, base=region_start,
                             starts_line=starts_line, window=not at_end,
                             file_start=region_start == 0)
        # the recursion depth the list's steps begin at, as in a parse of the whole file
        self.parser.depth = _step_depth(node)
        self.parser.open, self.parser.open_at = open_constructs(node, structure, text)
        if partial:  # the list's steps began before the run's (``Parser.wrap_orphan``)
            self.parser.list_mark = -1
        self.window_too_small = False  # a step looked past the lexed tokens
        # a list that ended before a closer of its own, at a statement back at its
        # construct's indentation (``Parser.parse_statement_list``): where it ends
        # depends on the steps' columns and on a closer past them, so no old step of it
        # is kept (the run goes to its end, which is not the old one: its parent parses)
        self.cut = _cut_by_layout(node, bare, grammar_for(old.definition).closers)

    def run(self, is_file: bool) -> tuple[tuple[GreenNode | Token, ...], int] | None:
        """The new children and the index of the old child where they stop (the old
        children from there on are kept); None when the list changed beyond this run."""
        parser = self.parser
        children = self.node.green.children
        # where the block ends in the new text (a bare body: where its closer begins)
        limit = self.node.end + self.delta if self.closer is None \
            else self.closer[0] + self.delta
        ran = 0
        while True:
            if ran and parser.p < parser.n:
                kept = self.resume(parser.offset(parser.p), parser.bol[parser.p])
                if kept >= 0:
                    return self.elements(), kept
            more = parser.file_step() if is_file else parser.list_step()
            if parser.exhausted:
                self.window_too_small = True
                return None
            if parser.unsure:
                return None  # an orphan's block may begin before the run: parse more
            if not more:
                break
            ran += 1
            if parser.p < parser.n and parser.offset(parser.p) > limit:
                return None  # the block's end moved: its parent must parse again
        if is_file:
            parser._flush(len(parser.tokens))
            return tuple(cast("list[GreenNode | Token]", parser.stack)), len(children)
        return self.list_end()

    def list_end(self) -> tuple[tuple[GreenNode | Token, ...], int] | None:
        """A block's run that ended at a closing token: the old one, in the same place?"""
        parser = self.parser
        if parser.p >= parser.n:
            return None
        if self.bare:
            return self.bare_end()
        if parser.layout != _ALIGNED:
            return None  # a closer that does not line up: its construct parses again
        closer, offset = self.old_closer()
        at = parser.offset(parser.p)
        if closer < 0 or at < self.edited_end or at - self.delta != self.node.start + offset \
                or _top_starts_line(self.node.green, closer) != parser.bol[parser.p]:
            return None
        return self.elements(), closer

    def bare_end(self) -> tuple[tuple[GreenNode | Token, ...], int] | None:
        """A bare body's run that ended at a closer: its steps, if the closer is the
        old one in the same line state (the trivia before it stay the holder's)."""
        parser = self.parser
        at = parser.offset(parser.p)
        if self.closer is None or at < self.edited_end or parser.layout != _ALIGNED \
                or (at - self.delta, parser.bol[parser.p]) != self.closer:
            return None
        elements = tuple(cast("list[GreenNode | Token]", parser.stack))
        # ending where it ended: a step that took the trivia after it (an error's) would
        # take what the holder keeps
        end = parser.base + sum(e.width if isinstance(e, GreenNode) else len(e[1])
                                for e in elements)
        if end != self.node.end + self.delta:
            return None
        return elements, len(self.node.green.children)

    def elements(self) -> tuple[GreenNode | Token, ...]:
        """What the run made, with the trivia up to the token it stopped at."""
        parser = self.parser
        parser._flush(parser.index[parser.p])  # a step may have taken some (an error's)
        return tuple(cast("list[GreenNode | Token]", parser.stack))

    def resume(self, offset: int, starts_line: bool) -> int:
        """The index (among the list node's children) of the old step that begins at
        ``offset`` (new text) and may be kept as it is, or -1."""
        if offset < self.edited_end or self.cut:
            return -1
        rel = offset - self.delta - self.node.start
        entries = self.entries
        at = bisect_left(entries, rel, key=_entry_offset)
        if at == len(entries) or entries[at][1] != rel or entries[at][2].lookahead == 0 \
                or entries[at][2].kinds & HAS_ERROR:
            # (an orphan closer's step, wrapped or not: the steps before it decide what
            # it wraps, ``Parser.wrap_orphan``; the steps after one with no error need
            # none of those before it)
            return -1
        index = entries[at][0]
        green = self.node.green
        # the old step began a step of the old parse (not after a line number that the
        # list took) in the same line state
        before = _previous_significant(green, index)
        if not (isinstance(before, GreenNode) and before.lookahead > 0) \
                or _top_starts_line(green, index) != starts_line:
            return -1
        # the leading blanks of its line may have changed, or where the line starts: an
        # edit that ends with a line break starts a new line at its end, whose blanks
        # were another line's part in the old text (` =when x:` was `t =when x:`)
        if self.columns and self.text.rfind("\n", 0, offset) + 1 <= self.edited_end:
            return -1
        return index

    def old_closer(self) -> tuple[int, int]:
        """The index of the token that closed the old list (a child of the block) and its
        offset in the block, or (-1, -1): the list ended at the end of the file or at a
        token outside the block."""
        green = self.node.green
        # the last step, from the end (a main block has thousands; its closing part few)
        last = next((entry for entry in reversed(self.entries) if entry[2].lookahead > 0),
                    None)
        index, offset = (last[0] + 1, last[1] + last[2].width) if last is not None \
            else (1, len(cast("Token", green.children[0])[1]))
        for child in green.children[index:]:
            if isinstance(child, GreenNode):
                break
            if child[0] not in TRIVIA:
                return index, offset
            index += 1
            offset += len(child[1])
        return -1, -1


# what a keyword-terminated construct's node was open as (``Parser.open``)
_TERMINATED_OPEN = {K.IF_STMT: "if", K.WHILE_STMT: "while", K.FOR_STMT: "for",
                    K.FOR_IN_STMT: "for", K.CLASS_DECL: "class", K.TRY_STMT: "try"}


def open_constructs(node: SyntaxNode, structure: Structure, text: str
                    ) -> tuple[list[str], list[int]]:
    """``Parser.open`` and ``Parser.open_at`` where the children of ``node`` are parsed:
    the constructs that ``node`` and its ancestors were open as, outermost first (each
    node is made after its children, so every ancestor was open while they were
    parsed), and the indentation of the line each opened on (as -1 - it)."""
    found: list[str] = []
    lines: list[int] = []
    child: SyntaxNode | None = None
    for ancestor in node.ancestors():
        entry = _open_as(ancestor, structure)
        if entry == "if" and child is not None and child.kind == K.ELSE_CLAUSE:
            entry = IF_ELSE  # (its ELSE part: another ELSE is no part of it)
        child = ancestor
        if entry:
            found.append(entry)
            # its opener starts it (leading trivia are the parent's), but a routine's
            # body without one opened at the routine's heading
            opener = ancestor.parent if ancestor.green.kind == K.BLOCK \
                and type(ancestor.green.children[0]) is GreenNode else ancestor
            assert opener is not None
            start = text.rfind("\n", 0, opener.start) + 1
            end = start
            while end < opener.start and text[end] in " \t":
                end += 1
            lines.append(-1 - len(text[start:end].expandtabs(8)))
    found.reverse()
    lines.reverse()
    return found, lines


def _open_as(node: SyntaxNode, structure: Structure) -> str:
    """What the parse of ``node`` pushed on ``Parser.open`` ("": nothing)."""
    green = node.green
    kind = green.kind
    style = structure.block_style
    if kind == K.BLOCK:
        return _block_open_as(node, structure)
    if kind == K.REPEAT_STMT:
        return "repeat"
    if kind == K.CASE_STMT:
        return "case"
    if style is BlockStyle.KEYWORD_TERMINATED:
        if kind == K.FUNCTION_DECL:
            # FUNCTION or SUB (procedure): its keyword, after a line number if any
            keyword = next((k for k, _ in _green_leaves(green)
                            if k not in TRIVIA and k != NUMBER), "")
            return keyword[len(KEYWORD_PREFIX):]
        return _TERMINATED_OPEN.get(kind, "")
    if kind == K.IF_STMT and style is not BlockStyle.INDENTATION:
        return "then"  # (``Parser.if_entry``)
    return ""


def _block_open_as(node: SyntaxNode, structure: Structure) -> str:
    """``_open_as`` for a block: "begin" or "{" where it has (or, a routine's body,
    lacks) such an opener."""
    green = node.green
    style = structure.block_style
    first = green.children[0] if green.children else None
    if first is None:
        return ""
    if type(first) is GreenNode:
        # a routine's body without its opener (``Parser.parse_body_without_opener``)
        if node.parent is None or node.parent.kind != K.FUNCTION_DECL:
            return ""
        return "{ " if style is BlockStyle.BRACES else \
            "begin " if style is BlockStyle.BEGIN_END else ""
    token_kind, value = cast("Token", first)
    if token_kind == BEGIN_KEYWORD or (style is BlockStyle.BEGIN_END
                                       and token_kind.startswith(KEYWORD_PREFIX)):
        return "begin"  # (or a shared spelling of it)
    return "{" if token_kind == PUNCT and value == "{" and style is BlockStyle.BRACES \
        else ""


def _previous_significant(green: GreenNode, index: int) -> GreenNode | Token | None:
    children = green.children
    for i in range(index - 1, -1, -1):  # no slice: a block may have thousands of children
        child = children[i]
        if isinstance(child, GreenNode) or child[0] not in TRIVIA:
            return child
    return None


def _keeps_enclosing_lookahead(old: ParsedFile, node: SyntaxNode,
                               entries: tuple[tuple[int, int, GreenNode], ...],
                               child_start: int, child_stop: int,
                               elements: tuple[GreenNode | Token, ...], region_start: int,
                               delta: int) -> bool:
    """Do the replaced steps and the new ones look no further than the nearest step
    that holds them (``node`` or an ancestor) looks anyway, through the token after it?
    Then that step's lookahead, and its ancestors', stay what a fresh parse gives."""
    holder = next((n for n in node.ancestors() if n.green.lookahead > 0), None)
    if holder is None:
        return True
    bound = _next_token_end(holder, len(old.text))
    if holder.end + holder.green.lookahead > bound:
        # the holder's own parse looked further (where its closer stands, read by the
        # layout: ``Parser.layout_verdict``), from what may be inside the edited list:
        # only a fresh parse of the holder knows how far it looks now
        return False
    for _, rel, child in entries[bisect_left(entries, child_start, key=_entry_index):
                                 bisect_left(entries, child_stop, key=_entry_index)]:
        if node.start + rel + child.width + child.lookahead > bound:
            return False
    offset = region_start
    for element in elements:
        if isinstance(element, GreenNode):
            if offset + element.width + element.lookahead > bound + delta:
                return False
            offset += element.width
        else:
            offset += len(element[1])
    return True


def _next_token_start(node: SyntaxNode) -> tuple[int, bool] | None:
    """Where the first significant token after ``node`` begins, and whether a line break
    comes before it there; None at the end of the text."""
    offset, newline = node.end, False
    for kind, value in _leaves_after(node):
        if kind not in TRIVIA:
            return offset, newline
        newline = newline or kind == NEWLINE or (kind == "comment" and "\n" in value)
        offset += len(value)
    return None


def _next_token_end(node: SyntaxNode, text_length: int) -> int:
    """Where the first significant token after ``node`` ends (past the last: the text's
    length plus one, as ``Parser.end_step`` counts a look at the end)."""
    offset = node.end
    for kind, value in _leaves_after(node):
        offset += len(value)
        if kind not in TRIVIA:
            return offset
    return text_length + 1


def _reparse_item(old: ParsedFile, node: SyntaxNode, text: str, delta: int) -> GreenNode | None:
    definition = old.definition
    region_start, region_end = node.start, node.end + delta
    tokens, stop = lex(definition, text, region_start, region_end)
    if stop != region_end or not tokens:
        return None
    region_count = len(tokens)
    region_significant = sum(1 for kind, _ in tokens if kind not in TRIVIA)
    window: list[Token] = tokens + _following_tokens(node, LOOKAHEAD_TOKENS)
    parser = Parser(grammar_for(definition), text, window, base=region_start,
                    starts_line=_starts_line(node), window=True, file_start=False)
    if parser.n == 0 or parser.kinds[0] != old_first_kind(node):
        return None
    assert node.parent is not None
    parser.depth = _step_depth(node.parent)
    parser.open, parser.open_at = open_constructs(node.parent, definition.structure, text)
    parser.parse_item()
    if parser.exhausted or parser.p != region_significant or parser.flushed != region_count:
        return None
    if len(parser.stack) != 1:
        return None
    result = parser.stack[0]
    if not isinstance(result, GreenNode):
        return None
    # Callers look at an item's last token (a statement already ended by ';' needs no
    # separator of its own: ``Parser.end_statement``), so the item must end with a token
    # of the same kind as before, and the same punctuation. A changed name or number at
    # the end of a statement is fine: in the line-based languages that is the end of a
    # line, where most typing happens (before, it re-parsed the whole file).
    if not _same_ending(_last_significant(result), _last_significant(node.green)):
        return None
    parent = node.parent
    if not _keeps_enclosing_lookahead(old, parent, parent.green.node_children(), node.index,
                                      node.index + 1, (result,), node.start, delta):
        return None
    return result


def _same_ending(new: Token | None, old: Token | None) -> bool:
    if new is None or old is None:
        return new is old
    return new[0] == old[0] and (new[0] != PUNCT or new[1] == old[1])


def _last_significant(green: GreenNode) -> Token | None:
    for child in reversed(green.children):
        if type(child) is GreenNode:
            found = _last_significant(child)
            if found is not None:
                return found
        elif child[0] not in TRIVIA:  # type: ignore[index]
            return child  # type: ignore[return-value]
    return None


def old_first_kind(node: SyntaxNode) -> str | None:
    first = node.first_token()
    return first.kind if first is not None else None


def _following_tokens(node: SyntaxNode, limit: int) -> list[Token]:
    out: list[Token] = []
    for token in _leaves_after(node):
        out.append(token)
        if len(out) >= limit:
            break
    return out


def _leaves_after(node: SyntaxNode) -> Iterator[Token]:
    current: SyntaxNode | None = node
    while current is not None and current.parent is not None:
        siblings = current.parent.green.children
        for child in siblings[current.index + 1:]:
            if type(child) is GreenNode:
                yield from _green_leaves(child)
            else:
                yield child  # type: ignore[misc]
        current = current.parent


def _leaves_before(node: SyntaxNode) -> Iterator[Token]:
    current: SyntaxNode | None = node
    while current is not None and current.parent is not None:
        siblings = current.parent.green.children
        for child in reversed(siblings[:current.index]):
            if type(child) is GreenNode:
                yield from _green_leaves_reversed(child)
            else:
                yield child  # type: ignore[misc]
        current = current.parent


def _green_leaves(green: GreenNode) -> Iterator[Token]:
    for child in green.children:
        if type(child) is GreenNode:
            yield from _green_leaves(child)
        else:
            yield child  # type: ignore[misc]


def _green_leaves_reversed(green: GreenNode) -> Iterator[Token]:
    for child in reversed(green.children):
        if type(child) is GreenNode:
            yield from _green_leaves_reversed(child)
        else:
            yield child  # type: ignore[misc]


def _starts_line(node: SyntaxNode) -> bool:
    """Did a line break come between the previous significant token and this node?"""
    for kind, value in _leaves_before(node):
        if kind not in TRIVIA:
            return False
        if kind == NEWLINE or (kind == "comment" and "\n" in value):
            return True
    return True


def _splice(node: SyntaxNode, replacement: GreenNode) -> GreenNode:
    green = replacement
    current = node
    while current.parent is not None:
        parent = current.parent
        green = parent.green.replacing_child(current.index, green)
        current = parent
    return green
