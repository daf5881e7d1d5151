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
  step), recursion is depth-limited and every step has a fixed budget of expression
  evaluations, so no grammar and no input can hang the parser or exhaust the stack;
* incremental: a step depends only on the tokens from its first token on (and on
  whether a line break precedes it), so ``peg_incremental`` can parse one step again.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from typing import Final, cast

from ..language.model import LanguageDefinition
from . import kinds as K
from .peg_tables import (
    OP_AND,
    OP_ANY,
    OP_CHOICE,
    OP_CLASS,
    OP_LIT,
    OP_OPT,
    OP_PLUS,
    OP_RULE,
    OP_SEP,
    OP_SEQ,
    OP_STAR,
    PegTables,
    tables_for,
    token_keys,
)
from .tokens import COMMENT, IDENT, NEWLINE, NUMBER, STRING, TRIVIA, Token
from .tree import GreenNode, SyntaxNode

MAX_DEPTH: Final = 400  # nested expression evaluations (each is a few Python frames)
FRAMES_PER_LEVEL: Final = 3  # ev -> compound -> call_rule: the most one level costs
STEP_FUEL: Final = 400_000  # expression evaluations per step: ends any pathological grammar
MAX_EXPECTED: Final = 4
NO_MATCH: Final = -1
TOO_MANY: Final = "*"  # an expected token without a name: the message says "unexpected"


class PegParser:
    def __init__(self, tables: PegTables, tokens: list[Token], starts_line: bool = True,
                 window: bool = False) -> None:
        self.t = tables
        self.tokens = tokens
        self.elements = cast("list[object]", tokens)
        lit: list[str] = []
        cls: list[str] = []
        index: list[int] = []
        bol: list[bool] = []
        newline_seen = starts_line
        fold = tables.fold
        literal_keys = tables.literal_keys
        for i, (kind, value) in enumerate(tokens):
            if kind in TRIVIA:
                if kind == NEWLINE or (kind == COMMENT and "\n" in value):
                    newline_seen = True
                continue
            key, klass = token_keys(kind, value, fold)
            lit.append(key if key in literal_keys else "")  # "": matches no literal
            cls.append(klass)
            index.append(i)
            bol.append(newline_seen)
            newline_seen = False
        self.lit, self.cls, self.index, self.bol = lit, cls, index, bol
        self.n = len(lit)
        self.window = window
        self.touched = 0  # the furthest significant token looked at (window mode)
        self.stack: list[object] = []
        self.memo: dict[int, tuple[int, tuple[object, ...]]] = {}
        self.leaves: dict[object, GreenNode] = {}
        self.frame = -1  # where the node being built starts (trivia before it is outside)
        self.depth = 0
        self.fuel = STEP_FUEL
        self.far = -1
        self.expected: list[str] = []
        self.at_end: set[str] | None = None  # literal keys wanted at the end (completion)
        # table columns read on every step
        self.ops = tables.ops
        self.keys = tables.keys
        self.kids = tables.kids
        self.first = tables.first

    @property
    def exhausted(self) -> bool:
        """Did the parse look past the window's last token?"""
        return self.window and self.touched >= self.n

    # ------------------------------------------------------------ the file

    def parse_file(self) -> GreenNode:
        p = 0
        if self.t.prefix:
            p = self.parse_prefix()
        while p < self.n:
            p = self.step(p)
        self.stack.extend(self.elements[self.index[-1] + 1 if self.n else 0:])
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

    def reset_step(self) -> None:
        self.memo.clear()
        self.fuel = STEP_FUEL
        self.far = -1
        self.expected = []

    def step(self, p: int) -> int:
        """One top-level step from significant token ``p``; returns where it ended."""
        self.reset_step()
        end = self.item_at(p)
        if end > p:
            return end
        if self.t.suffix:
            mark = len(self.stack)
            far, expected = self.far, self.expected  # the closing part is no expectation
            q = p
            for e in self.t.suffix:
                q = self.ev(e, q, False)
                if q < 0:
                    break
            if q > p and q >= self.n:
                self.touched = max(self.touched, q)
                return q
            del self.stack[mark:]
            self.far, self.expected = far, expected
        return self.skip(p)

    def item_at(self, p: int) -> int:
        """An item at ``p``: as written, else in recovery mode; NO_MATCH if neither
        consumes a token."""
        mark = len(self.stack)
        item = self.t.item
        for rec in (False, True):
            end = self.ev(item, p, rec)
            if end > p:
                return end
            del self.stack[mark:]
        return NO_MATCH

    def skip(self, p: int) -> int:
        """One ERROR node from ``p`` up to the next place an item can start."""
        message = self.message(p)
        t = self.t
        lit, bol = self.lit, self.bol
        q = p + 1
        while q < self.n:
            if (t.newline_items and bol[q]) or lit[q - 1] == "p:;" or lit[q] in t.closers \
                    or lit[q] in t.sync:
                break
            q += 1
        self.touched = max(self.touched, q)
        self.push_gap(p)
        first = self.index[p]
        children = self.elements[first:self.index[q - 1] + 1]
        self.stack.append(GreenNode(K.ERROR, cast("tuple[GreenNode | Token, ...]",
                                                  tuple(children)), message))
        return q

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
        names = self.expected
        if not names or len(names) > MAX_EXPECTED or TOO_MANY in names:
            return ""
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]

    def message(self, p: int) -> str:
        wanted = self.wanted() if self.far >= p else ""
        if wanted:
            return f"expected {wanted}, found {self.describe(self.far, self.far > p)}"
        return f"unexpected {self.describe(p)}"

    def fail(self, p: int, e: int) -> None:
        """A terminal did not match at ``p``: remember it for the message."""
        if self.at_end is not None and p >= self.n and self.ops[e] == OP_LIT:
            self.at_end.add(self.keys[e])
        self.expect(p, self.t.names[e])

    def fail_first(self, p: int, e: int) -> None:
        """No token expression ``e`` can start with: each is expected."""
        first = self.first[e]
        if self.at_end is not None and p >= self.n and first is not None:
            self.at_end.update(first)
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
        self.push_gap(p)
        self.stack.append(self.elements[self.index[p]])

    def push_leaf(self, p: int, kind: str) -> None:
        """A name or literal token as its shared leaf node (as in the other parser)."""
        self.push_gap(p)
        token = self.elements[self.index[p]]
        leaf = self.leaves.get(token)
        if leaf is None:
            leaf = self.leaves[token] = GreenNode(kind, (cast(Token, token),))
        self.stack.append(leaf)

    def error_here(self, message: str) -> None:
        self.stack.append(GreenNode(K.ERROR, (), message))

    # ------------------------------------------------------------ evaluation

    def ev(self, e: int, p: int, rec: bool) -> int:
        """Match expression ``e`` at significant token ``p``; its elements go on the
        stack. Returns the position after the match, or NO_MATCH (stack unchanged)."""
        op = self.ops[e]
        self.touched = max(self.touched, p)
        if op == OP_LIT:
            if p < self.n and self.lit[p] == self.keys[e]:
                self.push_token(p)
                return p + 1
            self.fail(p, e)
            return NO_MATCH
        if op == OP_CLASS:
            if p < self.n and self.cls[p] == self.keys[e]:
                kind = self.tokens[self.index[p]][0]
                if kind == IDENT:
                    self.push_leaf(p, K.NAME_REF)
                elif kind in (NUMBER, STRING):
                    self.push_leaf(p, K.LITERAL)
                else:
                    self.push_token(p)
                return p + 1
            self.fail(p, e)
            return NO_MATCH
        if op == OP_ANY:
            if p < self.n:
                self.push_token(p)
                return p + 1
            self.fail(p, e)
            return NO_MATCH
        first = self.first[e]
        if first is not None and (p >= self.n or (self.lit[p] not in first
                                                  and self.cls[p] not in first)):
            self.fail_first(p, e)
            return NO_MATCH
        self.fuel -= 1
        if self.depth >= MAX_DEPTH or self.fuel <= 0:
            return NO_MATCH
        self.depth += 1
        end = self.compound(op, e, p, rec)
        self.depth -= 1
        return end

    def compound(self, op: int, e: int, p: int, rec: bool) -> int:
        kids = self.kids[e]
        if op == OP_RULE:
            return self.call_rule(kids[0], p, rec)
        if op == OP_SEQ:
            if rec and self.t.commits[e]:
                return self.committed(e, p)
            mark = len(self.stack)
            q = p
            for k in kids:
                q = self.ev(k, q, rec)
                if q < 0:
                    del self.stack[mark:]
                    return NO_MATCH
            return q
        if op == OP_CHOICE:
            alternatives = self.alternatives(e, p)
            for k in alternatives:
                q = self.ev(k, p, False)
                if q >= 0:
                    return q
            if rec:
                for k in alternatives:
                    q = self.ev(k, p, True)
                    if q >= 0:
                        return q
            return NO_MATCH
        if op == OP_OPT:
            q = self.ev(kids[0], p, rec)
            return p if q < 0 else q
        if op in (OP_STAR, OP_PLUS):
            if rec and e in self.t.lists:
                return self.item_list(op, p)
            return self.repeat(op, kids[0], p, rec)
        if op == OP_SEP:
            return self.separated(kids[0], kids[1], p, rec)
        return self.lookahead(op, kids[0], p)

    def alternatives(self, e: int, p: int) -> tuple[int, ...]:
        """The alternatives of choice ``e`` whose FIRST allows token ``p`` (all the
        others would fail on it at once), from a table filled on first use."""
        if p >= self.n:
            return self.kids[e]
        key = (e, self.lit[p], self.cls[p])
        found = self.t.alternatives.get(key)
        if found is None:
            lit, cls = self.lit[p], self.cls[p]
            first = self.first
            found = tuple(k for k in self.kids[e]
                          if first[k] is None or lit in first[k]  # type: ignore[operator]
                          or cls in first[k])  # type: ignore[operator]
            self.t.alternatives[key] = found
        return found

    def repeat(self, op: int, body: int, p: int, rec: bool) -> int:
        q = p
        count = 0
        while True:
            mark = len(self.stack)
            r = self.ev(body, q, rec)
            if r <= q:  # no match, or an empty one: a loop must consume to go on
                del self.stack[mark:]
                break
            q = r
            count += 1
        return NO_MATCH if op == OP_PLUS and count == 0 else q

    def separated(self, body: int, separator: int, p: int, rec: bool) -> int:
        q = self.ev(body, p, rec)
        if q < 0:
            return NO_MATCH
        while True:
            mark = len(self.stack)
            r = self.ev(separator, q, rec)
            if r >= 0:
                r = self.ev(body, r, rec)
            if r <= q:
                del self.stack[mark:]
                return q
            q = r

    def lookahead(self, op: int, body: int, p: int) -> int:
        mark = len(self.stack)
        far, expected, at_end = self.far, self.expected, self.at_end
        self.at_end = None
        q = self.ev(body, p, False)
        del self.stack[mark:]
        # what a lookahead missed is not expected
        self.far, self.expected, self.at_end = far, expected, at_end
        matched = q >= 0
        return p if matched == (op == OP_AND) else NO_MATCH

    def committed(self, e: int, p: int) -> int:
        """Recovery mode: a sequence whose leading literal matched goes on past missing
        elements, each run of them one zero-width error."""
        kids = self.kids[e]
        q = self.ev(kids[0], p, True)
        if q < 0:
            return NO_MATCH
        failed_at = NO_MATCH
        for k in kids[1:]:
            r = self.ev(k, q, True)
            if r < 0:
                if failed_at != q:
                    self.error_here(self.missing(k, q))
                failed_at = q
                continue
            q = r
        return q

    def missing(self, e: int, p: int) -> str:
        wanted = (self.wanted() if self.far == p else "") or self.t.names[e]
        return f"expected {wanted}, found {self.describe(p, True)}"

    def item_list(self, op: int, p: int) -> int:
        """Recovery mode: items until a token that can close the list; a line that is
        no item becomes one ERROR node and the list goes on."""
        closers = self.t.closers
        q = p
        count = 0
        while True:
            if q >= self.n:
                self.touched = max(self.touched, q)
                break
            if self.lit[q] in closers:
                break
            r = self.item_at(q)
            q = r if r > q else self.skip(q)
            count += 1
        return NO_MATCH if op == OP_PLUS and count == 0 else q

    def call_rule(self, r: int, p: int, rec: bool) -> int:
        key = ((r * (self.n + 1) + p) << 1) | rec
        hit = self.memo.get(key)
        if hit is not None:
            end, fragment = hit
            if end >= 0:
                self.push_fragment(p, end, fragment)
            return end
        saved = self.frame
        self.frame = p
        mark = len(self.stack)
        end = self.ev(self.t.rule_expr[r], p, rec)
        self.frame = saved
        if end < 0:
            del self.stack[mark:]
            self.memo[key] = (NO_MATCH, ())
            return NO_MATCH
        children = tuple(self.stack[mark:])
        del self.stack[mark:]
        fragment = self.fragment(r, children, end > p)
        self.memo[key] = (end, fragment)
        self.push_fragment(p, end, fragment)
        return end

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

    def push_fragment(self, p: int, end: int, fragment: tuple[object, ...]) -> None:
        if end > p:
            self.push_gap(p)
        self.stack.extend(fragment)


def reparse_steps(definition: LanguageDefinition, window: list[Token], starts_line: bool,
                  at_end: bool, boundaries: tuple[int, ...]) -> list[GreenNode] | None:
    """Parse the window's steps again for an incremental reparse: ``boundaries`` are
    the counts of significant tokens where the old steps ended (cumulative). Returns
    one node per old step, or None when a step ends elsewhere, makes anything but one
    node, or looked past the window."""
    tables = tables_for(definition)
    if not tables.steps_reparsable:
        return None
    ensure_stack_room()
    parser = PegParser(tables, window, starts_line, window=not at_end)
    nodes: list[GreenNode] = []
    p = 0
    for boundary in boundaries:
        mark = len(parser.stack)
        p = parser.step(p)
        made = [e for e in parser.stack[mark:] if isinstance(e, GreenNode)]
        if p != boundary or len(made) != 1 or parser.exhausted:
            return None
        nodes.append(made[0])
    return nodes


def words_expected_at(definition: LanguageDefinition, root: SyntaxNode, offset: int
                      ) -> list[str]:
    """The grammar's literals that can come next at ``offset``, from the follow sets: the
    top-level item the cursor continues is parsed up to it, and every literal the parse
    tried there is one; where an item may end (or none is open), so is every literal an
    item can start with."""
    tables = tables_for(definition)
    ensure_stack_room()
    tokens = _item_tokens_before(root, offset, tables.newline_items)
    wanted: set[str] = set()
    parser = PegParser(tables, tokens)
    parser.at_end = wanted
    if not tokens or parser.ev(tables.item, 0, False) == parser.n:
        starts = PegParser(tables, [])
        starts.at_end = wanted
        starts.ev(tables.item, 0, False)
    texts = tables.key_texts
    return sorted({texts[key] for key in wanted if key in texts})


def _item_tokens_before(root: SyntaxNode, offset: int, newline_items: bool) -> list[Token]:
    """The tokens of the top-level item the cursor is in or continues, up to it: the last
    one starting before ``offset``, unless a line break (in a newline-separated language)
    comes between its end and the cursor."""
    entries = root.green.node_children()
    at = bisect_left(entries, offset - root.start, key=_entry_offset)  # nodes before offset
    if at == 0:
        return []
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
        if (newline_items and "\n" in between) or between.strip():
            return []
    return [(t.kind, t.text) for t in node.leaves() if t.end <= offset]


def _entry_offset(entry: tuple[int, int, GreenNode]) -> int:
    return entry[1]


def parse_grammar_green(definition: LanguageDefinition, tokens: list[Token]) -> GreenNode:
    """The file's tree from its tokens, through the definition's grammar."""
    ensure_stack_room()
    return PegParser(tables_for(definition), tokens).parse_file()


def ensure_stack_room() -> None:
    """Let the interpreter's recursion limit hold MAX_DEPTH levels above the caller.

    Real programs nest deeply (a call in a call in a statement of a WITH in an IF ...
    costs a dozen levels per construct), so MAX_DEPTH is above what Python's default
    limit of 1,000 frames leaves room for when the caller's own stack is deep (a
    server thread). Python-to-Python calls do not use the C stack, so raising the
    limit is safe; it is only ever raised, never lowered."""
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    needed = depth + MAX_DEPTH * FRAMES_PER_LEVEL + 100
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)
