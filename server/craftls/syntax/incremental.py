"""Incremental reparsing: relex and reparse only the item an edit damaged.

An edit strictly inside a statement or declaration (after its first token)
re-lexes that item's text and re-runs ``Parser.parse_item`` on it, with the
real following tokens as lookahead. The result is spliced in when the item
ends on exactly the token where the old one ended (the same token: callers
look at it), with no lookahead beyond the window: the parser is a pure function of the tokens from an item's first
token on, so everything outside the item parses exactly as before. Otherwise
the next enclosing item is tried, and finally the whole file.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from ..language.model import LanguageDefinition
from . import kinds as K
from .grammar import grammar_for
from .lexer import lex
from .parse import GC_PAUSE, ParsedFile, parse_green
from .parser import Parser
from .tokens import NEWLINE, PUNCT, TRIVIA, Token
from .tree import GreenNode, SyntaxNode

# Kinds only ever made by Parser.parse_item, so parse_item can remake them.
REPARSABLE = frozenset({
    K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.REPEAT_STMT, K.CASE_STMT,
    K.RETURN_STMT, K.JUMP_STMT, K.COMMAND_STMT, K.ASSIGN_STMT, K.EXPR_STMT, K.FUNCTION_DECL,
    K.LET_STMT, K.IMPORT_STMT, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
})
LOOKAHEAD_TOKENS = 64


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
    reparsed_items: int = 1  # top-level steps parsed again (grammar-defined languages)


def apply_edit(old: ParsedFile, edit: TextEdit) -> tuple[ParsedFile, ReparseStats]:
    """The new parse after ``edit``; identical to parsing the new text from scratch."""
    text = old.text[:edit.start] + edit.text + old.text[edit.end:]
    delta = len(edit.text) - (edit.end - edit.start)
    root = old.root
    if old.definition.grammar is not None:
        return _apply_grammar_edit(old, edit, text, delta)
    for candidate in _candidates(root, edit):
        green = _reparse_item(old, candidate, text, delta)
        if green is not None:
            new_root = _splice(candidate, green)
            stats = ReparseStats("item", green.node_count, new_root.node_count - green.node_count,
                                 candidate.green.width + delta)
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
    # a macro or a skipped region reaches past any one step: the file is parsed again
    if old.lookahead is not None and not _has_directives(old.definition, old.text, text):
        with GC_PAUSE:  # as a full parse: the collector would walk the whole old tree
            found = _grammar_reparse(old, edit, text, delta)
    if found is not None:
        return found
    from .parse import parse  # the grammar path: the lookahead comes with the tree
    parsed = parse(old.definition, text)
    count = len(parsed.green.node_children())
    return parsed, ReparseStats("full", parsed.green.node_count, 0, len(text), count)


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


def _grammar_reparse(old: ParsedFile, edit: TextEdit, text: str, delta: int
                     ) -> tuple[ParsedFile, ReparseStats] | None:
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
    from .peg import PegParser, run_steps  # as in parse.py: only for a grammar
    from .peg_tables import tables_for
    tables = tables_for(old.definition)
    resumed: list[int] = []

    def resume(offset: int, starts_line: bool) -> bool:
        """May the old step that begins at ``offset`` (new text) be kept?"""
        if offset < edited_end:
            return False
        at = bisect_left(entries, offset - delta, key=_entry_offset)
        if at == len(entries) or entries[at][1] != offset - delta \
                or _top_starts_line(green, entries[at][0]) != starts_line:
            return False
        resumed.append(at)
        return True

    while True:
        tokens, lexed_to = lex(old.definition, text, region_start, min(stop, len(text)))
        at_end = lexed_to >= len(text)
        parser = PegParser(tables, tokens, starts_line=region_start == 0)
        run = run_steps(parser, region_start, at_end, resume)
        if run is not None:
            break
        if at_end:
            return None
        stop = region_start + 2 * (stop - region_start)
    if run.lookahead is None:
        return None
    last = resumed[0] if resumed else len(entries)
    child_start = entries[first - 1][0] + 1 if first else 0
    child_stop = entries[last][0] if resumed else len(green.children)
    new_root = green.replacing_children(child_start, child_stop, cast(
        "tuple[GreenNode | Token, ...]", tuple(run.elements)))
    new_lookahead = lookahead[:first] + run.lookahead + lookahead[last:]
    # an upper bound, not the longest: a node that had the longest may be gone, and a
    # bound that is too large only starts the bisection a little earlier
    new_bound = max(bound, max(run.lookahead, default=0))
    parsed = ParsedFile(old.definition, text, new_root, lookahead=new_lookahead,
                        lookahead_bound=new_bound)
    made = len(run.lookahead)
    reparsed = sum(child.node_count for child in run.elements if type(child) is GreenNode)
    return parsed, ReparseStats("item", reparsed, new_root.node_count - reparsed,
                                lexed_to - region_start, made)


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
    """Does a line break come between child ``index`` of the file node and the
    significant token before it (a node ends with one)?"""
    children = green.children
    for at in range(index - 1, -1, -1):  # no slice: a file node has thousands of children
        child = children[at]
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


def _entry_end(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1] + entry[2].width


def apply_edits(parsed: ParsedFile, edits: list[TextEdit]) -> tuple[ParsedFile, list[ReparseStats]]:
    stats = []
    for edit in edits:
        parsed, s = apply_edit(parsed, edit)
        stats.append(s)
    return parsed, stats


def _candidates(root: SyntaxNode, edit: TextEdit) -> list[SyntaxNode]:
    """Reparsable items containing the edit after their first token, innermost first."""
    found: list[SyntaxNode] = []
    node = root
    while True:
        # bisection over the child nodes: a file node has thousands
        entry = _child_holding(node.green, edit.start - node.start)
        if entry is None:
            break
        index, offset, green = entry
        if edit.end > node.start + offset + green.width:
            break
        node = SyntaxNode(green, node.start + offset, node, index)
        if node.kind in REPARSABLE:
            first = node.first_token()
            if first is not None and edit.start > first.end:
                found.append(node)
    found.reverse()
    return found


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
                    starts_line=_starts_line(node), window=True)
    if parser.n == 0 or parser.kinds[0] != old_first_kind(node):
        return None
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
