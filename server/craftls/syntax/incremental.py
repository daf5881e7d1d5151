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

from ..language.model import LanguageDefinition
from . import kinds as K
from .grammar import grammar_for
from .lexer import lex
from .parse import ParsedFile, parse_green
from .parser import Parser
from .tokens import NEWLINE, PUNCT, TRIVIA, Token
from .tree import HAS_ERROR, GreenNode, SyntaxNode

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
    """A grammar-defined language: parse again the top-level item the edit is in (after
    its first token) together with the item before it, whose parse may have looked
    ahead into the edited one; splice both if they end where they ended before."""
    root = old.root
    found = None if _has_directives(old.definition, old.text, text) \
        else _grammar_reparse(old, root, edit, text, delta)
    if found is not None:
        new_root, reparsed, relexed = found
        return ParsedFile(old.definition, text, new_root), ReparseStats(
            "item", reparsed, new_root.node_count - reparsed, relexed)
    green = parse_green(old.definition, text)
    return ParsedFile(old.definition, text, green), ReparseStats("full", green.node_count, 0,
                                                                 len(text))


def _has_directives(definition: LanguageDefinition, *texts: str) -> bool:
    """Do the texts hold a preprocessor directive that changes the parse (a macro, a
    skipped region)? Its effect reaches past any one item: the file is parsed again."""
    spec = definition.grammar.preprocessor if definition.grammar is not None else None
    if spec is None:
        return False
    from .preprocess import directive_pattern  # as in parse.py: only for a grammar
    pattern = directive_pattern(spec, not definition.lexical.case_sensitive)
    return any(pattern.search(t) for t in texts)


def _grammar_reparse(old: ParsedFile, root: SyntaxNode, edit: TextEdit, text: str,
                     delta: int) -> tuple[GreenNode, int, int] | None:
    entry = root.green.node_child_at(edit.start)
    if entry is None:
        return None
    index, offset, green = entry
    node = SyntaxNode(green, offset, root, index)
    first = node.first_token()
    if first is None or edit.start <= first.end or edit.end > node.end:
        return None
    items = [node]
    previous = _previous_item(root, index)
    if previous is not None:
        items.insert(0, previous)
    if root.green.kinds & HAS_ERROR and _error_before(root, index + 1):
        return None  # a failed item's parse may reach items ahead, into this one
    region_start, region_end = items[0].start, node.end + delta
    tokens, stop = lex(old.definition, text, region_start, region_end)
    if stop != region_end or not tokens or tokens[-1][0] in TRIVIA:
        return None  # the edit left trivia at the item's end: it belongs outside
    following = _following_tokens(node, LOOKAHEAD_TOKENS)
    boundaries = _step_boundaries(tokens, items[0].green.width if previous else None)
    if boundaries is None:
        return None
    from .peg import reparse_steps  # as in parse.py: only for a grammar
    made = reparse_steps(old.definition, tokens + following, _starts_line(items[0]),
                         len(following) < LOOKAHEAD_TOKENS, boundaries)
    if made is None:
        return None
    new_root = root.green
    for item, replacement in zip(items, made, strict=True):
        if replacement != item.green:
            new_root = new_root.replacing_child(item.index, replacement)
    return new_root, made[-1].node_count, region_end - region_start


def _error_before(root: SyntaxNode, index: int) -> bool:
    """Does a top-level node before child ``index`` hold a syntax error? A failed item
    is parsed to its furthest failure, which can lie items ahead, and its recovery can
    split what a clean parse makes one item: the old step boundaries are then no guide,
    so an edit at or after it parses the file again. A file without errors never pays
    for this walk. (Keeping each step's lookahead extent with the tree would let the
    reparse start at the first step that looked at the edit instead.)"""
    return any(entry[0] < index and entry[2].kinds & HAS_ERROR
               for entry in root.green.node_children())


def _previous_item(root: SyntaxNode, index: int) -> SyntaxNode | None:
    """The top-level node before child ``index``, when only trivia lie between (found
    among the cached child entries: the file node has thousands of children)."""
    entries = root.green.node_children()
    at = bisect_left(entries, index, key=_entry_index)
    if at == 0:
        return None
    i, offset, green = entries[at - 1]
    if any(child[0] not in TRIVIA  # type: ignore[index]
           for child in root.green.children[i + 1:index]):
        return None
    return SyntaxNode(green, root.start + offset, root, i)


def _entry_index(entry: tuple[int, int, GreenNode]) -> int:
    return entry[0]


def _step_boundaries(tokens: list[Token], first_width: int | None) -> tuple[int, ...] | None:
    """Counts of significant tokens at the end of each old step in the region: the
    first item's (when the previous item is parsed again too) and the region's."""
    total = sum(1 for kind, _ in tokens if kind not in TRIVIA)
    if first_width is None:
        return (total,)
    seen = width = 0
    for kind, value in tokens:
        if width >= first_width:
            break
        width += len(value)
        seen += kind not in TRIVIA
    return (seen, total) if width == first_width else None


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
