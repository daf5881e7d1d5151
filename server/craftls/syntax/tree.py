"""The lossless syntax tree.

Green nodes are immutable and position-free (they store widths, not offsets),
so an incremental reparse shares every untouched subtree with the old tree.
``SyntaxNode`` is the positioned view (a "red" node) made on demand.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from .kinds import ERROR as ERROR_KIND
from .tokens import LEX_ERRORS, NEWLINE, TRIVIA, WHITESPACE, Token

Element = "GreenNode | Token"
FirstToken = tuple[tuple[tuple[int, int], ...], int, str, str]


_KIND_BITS: Final[dict[str, int]] = {}
HAS_ERROR: Final = 1  # bit 0: the subtree holds a parse error or a lexical error token


_NEW_KIND: Final = threading.Lock()  # trees are built on the event loop and on worker threads


def kind_bit(kind: str) -> int:
    """The bit of ``kind`` in ``GreenNode.kinds`` (kinds are a small, fixed vocabulary)."""
    bit = _KIND_BITS.get(kind)
    if bit is None:
        with _NEW_KIND:
            bit = _KIND_BITS.setdefault(kind, 1 << (len(_KIND_BITS) + 1))
    return bit


class GreenNode:
    """An immutable node: kind, children (nodes or (kind, text) tokens), width.

    ``kinds`` is a bit set of the node kinds inside the subtree (plus ``HAS_ERROR``),
    so a search for imports or errors skips the subtrees that cannot hold them: on a
    10,000-line file that is the difference between walking 100,000 nodes and a few."""

    # No __weakref__: compiled with mypyc, GreenNode is a native class and those
    # cannot be weakly referenced; ``anchor`` is what holders of weak references use.
    __slots__ = ("kind", "children", "width", "error", "node_count", "kinds", "entries",
                 "_first", "anchor", "lookahead", "_longest")
    kind: str
    children: tuple[GreenNode | Token, ...]
    width: int
    error: str | None
    node_count: int
    kinds: int
    # (index, offset from this node's start, node) of the child nodes: made with the
    # node by the keyword-level parser (``entries=True``), else on first use
    # (``node_children``)
    entries: tuple[tuple[int, int, GreenNode], ...] | None
    # Made on demand by a cache that must not keep the node alive (item_walks'
    # TemplateCache): only the node refers to it, so a weak reference to the anchor
    # dies with the node. Not part of equality.
    anchor: object | None
    # A step of a statement list (keyword-level parser): how many characters past its
    # end its parse looked (at least through the next significant token; past the
    # last, the rest of the text plus one). 0: not a step. Set once, by the parser;
    # position-free like the rest, since what lies past the node is the same wherever
    # the node is kept. Not part of equality.
    lookahead: int
    # the longest lookahead among the child nodes, or more (an upper bound: a splice
    # keeps the larger of the old and the new); -1: not worked out yet
    _longest: int

    def __init__(self, kind: str, children: tuple[GreenNode | Token, ...],
                 error: str | None = None,
                 known: tuple[int, int, int, tuple[tuple[int, int, GreenNode], ...] | None]
                 | None = None, entries: bool = False, bit: int = 0, clean: bool = False
                 ) -> None:
        """``known``: width, node count, kinds and child entries already worked out
        (by ``replacing_child``), instead of a walk over the children. ``entries``: make
        the child entries (``node_children``) in the walk that sums the widths: the
        keyword-level parser asks for them, as names and types ask nearly every inner
        node of its trees for them (a second walk cost more than the entries do); the
        grammar engine's trees have many more nodes, mostly never asked (made for all,
        they cost its compiled parse ~20 %). ``bit``: ``kind_bit(kind)``, where the
        caller keeps it (the grammar engine's rules), instead of a dict look-up.
        ``clean``: no token child is a lexical error (the grammar engine knows when none
        of its tokens is one), instead of a look-up per token child."""
        self.kind = kind
        self.children = children
        self.error = error
        self._first: FirstToken | None | bool = False  # False: not computed yet
        self.anchor = None
        self.lookahead = 0
        self._longest = -1
        if known is not None:
            self.width, self.node_count, self.kinds, self.entries = known
            return
        width = 0
        count = 1
        kinds = bit or _KIND_BITS.get(kind) or kind_bit(kind)
        if error is not None:
            kinds |= HAS_ERROR
        nodes: list[tuple[int, int, GreenNode]] | None = None  # a list only where needed
        i = 0
        for child in children:
            # isinstance, not type() is: only isinstance narrows the else branch to a
            # token, which mypyc then reads without generic item access
            if isinstance(child, GreenNode):
                if entries:
                    if nodes is None:
                        nodes = [(i, width, child)]
                    else:
                        nodes.append((i, width, child))
                width += child.width
                count += child.node_count
                kinds |= child.kinds
            else:
                kind, text = child
                width += len(text)
                # the blanks and line breaks by identity (the lexer's kinds are these
                # constants): a dict look-up for every other token only
                if not clean and kind is not WHITESPACE and kind is not NEWLINE \
                        and kind in LEX_ERRORS:
                    kinds |= HAS_ERROR
            i += 1  # noqa: SIM113 (enumerate: a tuple per child, ~5 % slower here)
        self.width = width
        self.node_count = count
        self.kinds = kinds
        self.entries = (tuple(nodes) if nodes else _NO_NODES) if entries else None

    def replacing_child(self, index: int, child: GreenNode) -> GreenNode:
        """This node with the node at ``children[index]`` replaced by ``child``.

        Width, count and kinds come from the difference instead of a walk over every
        child: an edit replaces one item of a file node that has thousands of children,
        and this keeps a keystroke's reparse independent of the file's length."""
        old = self.children[index]
        assert isinstance(old, GreenNode)
        children = self.children[:index] + (child,) + self.children[index + 1:]
        kinds = self.kinds | child.kinds
        if old.kinds & ~child.kinds:  # a kind may have left the subtree: count the kinds again
            kinds = self._own_kinds() | _summary(children)[2]
        shift = child.width - old.width
        nodes = None if self.entries is None else _replaced_entry(self.entries, index, child,
                                                                   shift)
        return self._same_step(GreenNode(self.kind, children, self.error,
                                         (self.width + shift, self.node_count - old.node_count
                                          + child.node_count, kinds, nodes)),
                               (child,))

    def _same_step(self, node: GreenNode, new: tuple[GreenNode | Token, ...]) -> GreenNode:
        """``node`` (this node with children replaced by ``new``) keeps this node's
        lookahead (the incremental reparse replaces children only when that leaves it
        unchanged) and a bound on its children's."""
        node.lookahead = self.lookahead
        longest = self._longest
        if longest >= 0:
            for child in new:
                if isinstance(child, GreenNode) and child.lookahead > longest:
                    longest = child.lookahead
            node._longest = longest
        return node

    def longest_lookahead(self) -> int:
        """The longest lookahead among the child nodes (or a bound above it, after
        splices): how far before an offset a child whose parse looked at it can end.
        Worked out once per green node, then carried through splices."""
        longest = self._longest
        if longest < 0:
            longest = 0
            for child in self.children:
                if isinstance(child, GreenNode) and child.lookahead > longest:
                    longest = child.lookahead
            self._longest = longest
        return longest

    def replacing_children(self, start: int, stop: int,
                           new: tuple[GreenNode | Token, ...]) -> GreenNode:
        """This node with ``children[start:stop]`` replaced by ``new``; as
        ``replacing_child``, width, count and kinds come from the difference (an
        incremental reparse of a grammar-defined language replaces a run of top-level
        steps and the trivia between them)."""
        old = self.children[start:stop]
        children = self.children[:start] + new + self.children[stop:]
        old_width, old_count, old_kinds = _summary(old)
        new_width, new_count, new_kinds = _summary(new)
        kinds = self.kinds | new_kinds
        if old_kinds & ~new_kinds:  # a kind may have left the subtree: count the kinds again
            kinds = self._own_kinds() | _summary(children)[2]
        shift = new_width - old_width
        nodes = self.entries
        if nodes is not None:
            nodes = _replaced_entries(self.children, nodes, start, stop, new, shift)
        return self._same_step(GreenNode(self.kind, children, self.error,
                                         (self.width + shift, self.node_count - old_count
                                          + new_count, kinds, nodes)), new)

    def _own_kinds(self) -> int:
        """The kind bits of this node itself (its kind, its error), without its children."""
        kinds = _KIND_BITS.get(self.kind) or kind_bit(self.kind)
        return kinds | HAS_ERROR if self.error is not None else kinds

    def node_child_at(self, offset: int) -> tuple[int, int, GreenNode] | None:
        """The (index, offset, node) of the child node whose range holds ``offset``
        (relative to this node's start), found by bisection."""
        nodes = self.node_children()
        found = bisect_right(nodes, offset, key=_entry_offset) - 1
        if found < 0:
            return None
        entry = nodes[found]
        return entry if offset < entry[1] + entry[2].width else None

    def node_children(self) -> tuple[tuple[int, int, GreenNode], ...]:
        """(index, offset from this node's start, node) of the child nodes (``entries``);
        made once per green node, so shared by every snapshot that shares the node."""
        nodes = self.entries
        if nodes is None:
            found = []
            offset = 0
            for i, child in enumerate(self.children):
                if isinstance(child, GreenNode):
                    found.append((i, offset, child))
                    offset += child.width
                else:
                    offset += len(child[1])
            nodes = self.entries = tuple(found)
        return nodes

    def first_significant(self) -> FirstToken | None:
        """Where the first non-trivia token is: the path of (child index, offset) steps
        down to its parent, its offset from this node, its kind and text. Cached (and
        "none" on the nodes passed on the way). Without recursion: a chain of nodes each
        the first child of the one above (a postfix chain ``x.f.f...``) is as deep as
        the parser made it."""
        first = self._first
        if first is not False:
            return first  # type: ignore[return-value]
        path: list[tuple[GreenNode, int, int]] = []  # (parent, child index, child offset)
        node, i, offset = self, 0, 0
        found: FirstToken | None = None
        while True:
            children = node.children
            if i >= len(children):  # nothing significant in ``node``
                node._first = None
                if not path:
                    break
                parent, j, at = path.pop()
                node, i, offset = parent, j + 1, at + node.width
                continue
            child = children[i]
            if type(child) is GreenNode:
                known = child._first
                if known is None:
                    offset += child.width
                    i += 1
                elif known is False:
                    path.append((node, i, offset))
                    node, i = child, 0
                else:
                    steps, rel, kind, text = known  # type: ignore[misc]
                    found = ((*((j, o) for _, j, o in path), (i, offset),
                              *((j, offset + o) for j, o in steps)),
                             offset + rel, kind, text)
                    break
            elif child[0] not in TRIVIA:  # type: ignore[index]
                found = (tuple((j, o) for _, j, o in path), offset,
                         child[0], child[1])  # type: ignore[index]
                break
            else:
                offset += len(child[1])  # type: ignore[index]
                i += 1
        self._first = found
        return found

    def contains(self, kind: str) -> bool:
        return bool(self.kinds & kind_bit(kind))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GreenNode):
            return NotImplemented
        return (self is other or (self.kind == other.kind and self.width == other.width
                                  and self.error == other.error
                                  and self.children == other.children))

    def __hash__(self) -> int:
        return hash((self.kind, self.width))

    def __repr__(self) -> str:
        return f"GreenNode({self.kind}, width={self.width})"

    def text(self) -> str:
        return "".join(_texts(self))


_NO_NODES: Final[tuple[tuple[int, int, GreenNode], ...]] = ()



def _entry_offset(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1]


def _replaced_entry(nodes: tuple[tuple[int, int, GreenNode], ...], index: int,
                    child: GreenNode, shift: int) -> tuple[tuple[int, int, GreenNode], ...]:
    """``node_children`` after the node at ``index`` became ``child`` (``shift`` wider)."""
    at = bisect_left(nodes, index, key=_entry_index)
    _, offset, _ = nodes[at]
    after = nodes[at + 1:]
    if shift:
        after = tuple([(i, rel + shift, node) for i, rel, node in after])
    return (*nodes[:at], (index, offset, child), *after)


def _entry_index(entry: tuple[int, int, GreenNode]) -> int:
    return entry[0]


def _summary(children: tuple[GreenNode | Token, ...]) -> tuple[int, int, int]:
    """Width, node count and kinds of a run of children (as ``GreenNode`` sums them)."""
    width = count = kinds = 0
    for child in children:
        if isinstance(child, GreenNode):
            width += child.width
            count += child.node_count
            kinds |= child.kinds
        else:
            width += len(child[1])
            if child[0] in LEX_ERRORS:
                kinds |= HAS_ERROR
    return width, count, kinds


def _replaced_entries(children: tuple[GreenNode | Token, ...],
                      nodes: tuple[tuple[int, int, GreenNode], ...], start: int, stop: int,
                      new: tuple[GreenNode | Token, ...], shift: int
                      ) -> tuple[tuple[int, int, GreenNode], ...]:
    """``node_children`` after ``children[start:stop]`` became ``new``."""
    first = bisect_left(nodes, start, key=_entry_index)
    last = bisect_left(nodes, stop, key=_entry_index)
    if first:
        index, offset, node = nodes[first - 1]
        offset += node.width + _summary(children[index + 1:start])[0]
    else:
        offset = _summary(children[:start])[0]
    made = []
    for i, child in enumerate(new, start):
        if isinstance(child, GreenNode):
            made.append((i, offset, child))
            offset += child.width
        else:
            offset += len(child[1])
    moved = len(new) - (stop - start)
    after = nodes[last:]
    if shift or moved:
        after = tuple([(i + moved, rel + shift, node) for i, rel, node in after])
    return (*nodes[:first], *made, *after)


def _texts(node: GreenNode) -> list[str]:
    """The texts of the tokens under ``node``, in order. Without recursion (here and in
    the other walks below): the parsers bound their own depth, but a tree as deep as
    they allow (a 3,000-long postfix chain) is deeper than Python's recursion limit."""
    texts: list[str] = []
    pending = [iter(node.children)]
    while pending:
        for child in pending[-1]:
            if type(child) is GreenNode:
                pending.append(iter(child.children))
                break
            texts.append(child[1])  # type: ignore[index]
        else:
            pending.pop()
    return texts


@dataclass(frozen=True)
class SyntaxError_:
    """A syntax error with a source range (offsets into the text)."""

    message: str
    start: int
    end: int


class SyntaxToken:
    """A positioned token."""

    __slots__ = ("kind", "text", "start", "parent")

    def __init__(self, kind: str, text: str, start: int, parent: SyntaxNode) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.parent = parent

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_trivia(self) -> bool:
        return self.kind in TRIVIA

    def __repr__(self) -> str:
        return f"{self.kind}@{self.start}:{self.text!r}"


class SyntaxNode:
    """A positioned view of a green node; cheap to make, made on demand."""

    __slots__ = ("green", "start", "parent", "index")

    def __init__(self, green: GreenNode, start: int = 0, parent: SyntaxNode | None = None,
                 index: int = 0) -> None:
        self.green = green
        self.start = start
        self.parent = parent
        self.index = index  # position among the parent's children

    @property
    def kind(self) -> str:
        return self.green.kind

    @property
    def end(self) -> int:
        return self.start + self.green.width

    @property
    def text(self) -> str:
        return self.green.text()

    def __repr__(self) -> str:
        return f"{self.kind}@{self.start}..{self.end}"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, SyntaxNode) and self.green is other.green
                and self.start == other.start)

    def __hash__(self) -> int:
        return hash((id(self.green), self.start))

    def children_with_tokens(self) -> Iterator[SyntaxNode | SyntaxToken]:
        offset = self.start
        for i, child in enumerate(self.green.children):
            if type(child) is GreenNode:
                yield SyntaxNode(child, offset, self, i)
                offset += child.width
            else:
                kind, text = child  # type: ignore[misc]
                yield SyntaxToken(kind, text, offset, self)
                offset += len(text)

    def children(self) -> Iterator[SyntaxNode]:
        start = self.start
        for i, rel, child in self.green.node_children():
            yield SyntaxNode(child, start + rel, self, i)

    def tokens(self, trivia: bool = False) -> Iterator[SyntaxToken]:
        """The direct tokens of this node."""
        for child in self.children_with_tokens():
            if isinstance(child, SyntaxToken) and (trivia or not child.is_trivia):
                yield child

    def descendants(self) -> Iterator[SyntaxNode]:
        """This node and every node under it, in order (preorder, without recursion)."""
        yield self
        pending = [self.children()]
        while pending:
            for child in pending[-1]:
                yield child
                pending.append(child.children())
                break
            else:
                pending.pop()

    def descendants_of_kind(self, kind: str) -> Iterator[SyntaxNode]:
        """Nodes of ``kind`` in this subtree, in order; skips subtrees without one."""
        bit = kind_bit(kind)
        if not self.green.kinds & bit:
            return
        if self.kind == kind:
            yield self
        pending = [self.children()]
        while pending:
            for child in pending[-1]:
                if child.green.kinds & bit:
                    if child.kind == kind:
                        yield child
                    pending.append(child.children())
                    break
            else:
                pending.pop()

    def leaves(self) -> Iterator[SyntaxToken]:
        pending = [self.children_with_tokens()]
        while pending:
            for child in pending[-1]:
                if isinstance(child, SyntaxNode):
                    pending.append(child.children_with_tokens())
                    break
                yield child
            else:
                pending.pop()

    def significant_leaves(self) -> Iterator[SyntaxToken]:
        return (t for t in self.leaves() if not t.is_trivia)

    def first_token(self) -> SyntaxToken | None:
        """The first significant token (its parent is the node that holds it)."""
        found = self.green.first_significant()
        if found is None:
            return None
        steps, rel, kind, text = found
        node = self
        for i, offset in steps:
            node = SyntaxNode(node.green.children[i], self.start + offset, node, i)  # type: ignore[arg-type]
        return SyntaxToken(kind, text, self.start + rel, node)

    def first_token_at(self) -> tuple[str, str, int] | None:
        """The first significant token's kind, text and start: ``first_token`` without
        making a node for each of its ancestors (the name walk asks this once per name)."""
        found = self.green.first_significant()
        if found is None:
            return None
        return found[2], found[3], self.start + found[1]

    def last_token(self) -> SyntaxToken | None:
        """The last significant token: found walking back from the end, a node made only
        for the children descended into (reading every leaf made selection ranges, which
        ask it of every node up to the file's, cost the whole file per request)."""
        node: SyntaxNode = self
        end = self.end
        pending: list[tuple[SyntaxNode, int, int]] = []  # (node, next child back, its end)
        i = len(node.green.children) - 1
        while True:
            if i < 0:
                if not pending:
                    return None
                node, i, end = pending.pop()
                continue
            child = node.green.children[i]
            if type(child) is GreenNode:
                start = end - child.width
                pending.append((node, i - 1, start))
                node = SyntaxNode(child, start, node, i)
                i = len(child.children) - 1
                continue
            kind, text = child  # type: ignore[misc]
            if kind not in TRIVIA:
                return SyntaxToken(kind, text, end - len(text), node)
            end -= len(text)
            i -= 1

    def ancestors(self) -> Iterator[SyntaxNode]:
        node: SyntaxNode | None = self
        while node is not None:
            yield node
            node = node.parent

    def child_of_kind(self, *kinds: str) -> SyntaxNode | None:
        start = self.start
        for i, rel, child in self.green.node_children():  # a node only for the match
            if child.kind in kinds:
                return SyntaxNode(child, start + rel, self, i)
        return None

    def children_of_kind(self, *kinds: str) -> list[SyntaxNode]:
        start = self.start
        return [SyntaxNode(child, start + rel, self, i)
                for i, rel, child in self.green.node_children() if child.kind in kinds]

    def covering_node(self, start: int, end: int) -> SyntaxNode:
        """The deepest node whose range contains [start, end]."""
        node = self
        while True:
            for child in node.children():
                if child.start <= start and end <= child.end and child.green.width > 0:
                    node = child
                    break
            else:
                return node

    def token_at(self, offset: int) -> SyntaxToken | None:
        """The token containing ``offset`` (the one starting there wins at a boundary)."""
        node = self
        while True:
            start = node.start
            # walk the green children with running offsets: a red node is made only
            # for the child we descend into. A node with many children (a file node, a
            # main block: thousands) is entered at its last child node starting before
            # ``offset`` (found by bisection): every child before it ends before
            # ``offset``, so none of them is the answer
            children = node.green.children
            first = 0
            if len(children) > _SCAN:
                nodes = node.green.node_children()
                k = bisect_left(nodes, offset - start, key=_child_offset) - 1
                if k >= 0:
                    first, start = nodes[k][0], start + nodes[k][1]
            for i in range(first, len(children)):
                child = children[i]
                is_node = type(child) is GreenNode
                end = start + (child.width if is_node else len(child[1]))  # type: ignore[union-attr,index]
                if start <= offset < end or (offset == end == self.end):
                    if is_node:
                        node = SyntaxNode(child, start, node, i)  # type: ignore[arg-type]
                        break
                    kind, text = child  # type: ignore[misc]
                    return SyntaxToken(kind, text, start, node)
                start = end
            else:
                return None

    def errors(self) -> list[SyntaxError_]:
        return list(collect_errors(self))


_SCAN: Final = 16  # children walked one by one; more are entered by bisection


def _child_offset(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1]


def collect_errors(node: SyntaxNode) -> Iterator[SyntaxError_]:
    """The errors in ``node``'s subtree, in order (without recursion: ``_texts``)."""
    if not node.green.kinds & HAS_ERROR:
        return
    if node.green.error is not None:
        yield SyntaxError_(node.green.error, node.start, _error_end(node))
    pending = [node.children_with_tokens()]
    while pending:
        for child in pending[-1]:
            if isinstance(child, SyntaxNode):
                if child.green.kinds & HAS_ERROR:
                    if child.green.error is not None:
                        yield SyntaxError_(child.green.error, child.start, _error_end(child))
                    pending.append(child.children_with_tokens())
                    break
            elif child.kind in LEX_ERRORS:
                yield SyntaxError_(LEX_ERRORS[child.kind], child.start, child.end)
        else:
            pending.pop()


def _error_end(node: SyntaxNode) -> int:
    """Where a node's own error ends: a form the language rejects (a rule's ``error``,
    a node of its rule's kind) is underlined over its first line only, the heading that
    is wrong (`local f(a, b)` without `function`), not the body under it; what recovery
    skipped (``ERROR`` nodes) is underlined whole."""
    if node.kind == ERROR_KIND:
        return node.end
    text = node.text
    newline = text.find("\n")
    return node.end if newline < 0 else node.start + len(text[:newline].rstrip())


def dump(node: SyntaxNode, indent: int = 0, trivia: bool = False) -> str:
    """A readable outline of the tree, for `craftls parse` and tests."""
    lines = [_dump_line(node, indent)]
    pending = [(node.children_with_tokens(), indent + 1)]
    while pending:
        children, depth = pending[-1]
        for child in children:
            if isinstance(child, SyntaxNode):
                lines.append(_dump_line(child, depth))
                pending.append((child.children_with_tokens(), depth + 1))
                break
            if trivia or not child.is_trivia:
                lines.append(f"{'  ' * depth}{child.kind}@{child.start} {child.text!r}")
        else:
            pending.pop()
    return "\n".join(lines)


def _dump_line(node: SyntaxNode, indent: int) -> str:
    return (f"{'  ' * indent}{node.kind}@{node.start}..{node.end}"
            + (f" !{node.green.error}" if node.green.error else ""))
