"""Reading a node's parts from a ``run:`` annotation (``language/run_spec.py``): the
selectors that say which children of a grammar rule's node are its condition, body,
operands... Shared by the lowering of grammar-defined languages (``lower_grammar.py``)
and of a keyword-level language's grammar extension forms (``lower_extension.py``)."""

from __future__ import annotations

from typing import Any

from ..language.run_spec import RunSpec, Selector, Step
from ..syntax import kinds as K
from ..syntax.tokens import TRIVIA
from ..syntax.tree import GreenNode, SyntaxNode, SyntaxToken
from .errors import Problem

Groups = list[list[SyntaxNode]]
# parts that are one node per group (the rest of a group may be another part: QBasic's
# `WHILE cond` is followed by the body's items)
_SINGLE = frozenset({"condition", "var", "start", "stop", "step", "callee", "name", "type",
                     "base", "of", "subject", "tests", "label", "prompt", "low", "high",
                     "width", "decimals", "to", "tag", "owner", "parent"})


def _ident(node: SyntaxNode) -> tuple[Any, ...]:
    return (node.start, node.kind, node.end)


def describe(kind: str) -> str:
    """A node kind as a message names it (``while_stmt``: "while statement")."""
    return kind.lower().replace("_stmt", " statement").replace("_expr", " expression") \
        .replace("_", " ")


class RunParts:
    """What a lowering needs to read annotated nodes: name keys in the language's case,
    a node's significant tokens, a build error at a place, and the selectors."""

    fold: bool  # the language ignores case
    problems: list[Problem]

    def key(self, name: str) -> str:
        return name.lower() if self.fold else name

    def fail(self, node: SyntaxNode | SyntaxToken, message: str) -> None:
        self.problems.append(Problem(node.start, message))

    @staticmethod
    def tokens(node: SyntaxNode) -> list[SyntaxToken]:
        """The significant direct tokens of ``node``. Read from the green node, without
        the positioned view of every child that ``SyntaxNode.tokens`` makes: lowering
        asks this of most nodes, and those views were a third of its time."""
        found = []
        offset = node.start
        for child in node.green.children:
            if type(child) is GreenNode:
                offset += child.width
            else:
                kind, text = child  # type: ignore[misc]
                if kind not in TRIVIA:
                    found.append(SyntaxToken(kind, text, offset, node))
                offset += len(text)
        return found

    def what(self, node: SyntaxNode) -> str:
        return {K.NAME_REF: "a name", K.LITERAL: "a literal"}.get(
            node.kind, f"'{describe(node.kind)}'")


    # ----- reading a node's parts -----

    def same(self, text: str, words: tuple[str, ...]) -> bool:
        key = self.key(text)
        return any(self.key(w) == key for w in words)

    @staticmethod
    def items(node: SyntaxNode) -> list[SyntaxNode | SyntaxToken]:
        return [c for c in node.children_with_tokens()
                if isinstance(c, SyntaxNode) or c.kind not in TRIVIA]

    def groups(self, node: SyntaxNode, step: Step, taken: set[tuple[Any, ...]]) -> Groups:
        items = self.items(node)
        nodes = [c for c in items if isinstance(c, SyntaxNode)]
        out: Groups
        if step.kind in ("after", "before", "from"):
            out = self.token_groups(items, step)
        elif step.kind == "nth":
            n = step.number - 1 if step.number > 0 else step.number
            out = [[nodes[n]]] if nodes and -len(nodes) <= n < len(nodes) else []
        elif step.kind == "all":
            out = [nodes]
        elif step.kind == "rest":
            out = [[c for c in nodes if _ident(c) not in taken]]
        else:
            out = [[c for c in nodes if c.kind == step.rule]]
        if step.group:
            out = out[step.group - 1:step.group]
        return out

    def token_groups(self, items: list[SyntaxNode | SyntaxToken], step: Step) -> Groups:
        """``'tok'``: the nodes after each occurrence, up to the next token; ``before``:
        the nodes before the first; ``from``: every node after the first."""
        out: Groups = []
        current: list[SyntaxNode] | None = [] if step.kind == "before" else None
        for item in items:
            if isinstance(item, SyntaxNode):
                if current is not None:
                    current.append(item)
                continue
            hit = self.same(item.text, step.tokens)
            if step.kind == "before":
                if hit:
                    return [current or []]
            elif step.kind == "from":
                if hit and current is None:
                    current = []
                    out.append(current)
            else:
                current = [] if hit else None
                if current is not None:
                    out.append(current)
        return [] if step.kind == "before" else out

    def select(self, node: SyntaxNode, selectors: tuple[Selector, ...],
               taken: set[tuple[Any, ...]], first_only: bool = False) -> Groups:
        """The groups of the first selector that selects something. The children of
        ``node`` it went through are marked as taken: all of them, or (``first_only``,
        a part that is one node per group) those of each group's first node."""
        for selector in selectors:
            first = self.groups(node, selector[0], taken)
            if not any(first):  # the next selector, if any
                continue
            result: list[list[tuple[SyntaxNode, SyntaxNode]]] = [
                [(n, n) for n in group] for group in first]
            for step in selector[1:]:
                result = [[(x, root) for x in g] for group in result for n, root in group
                          for g in self.groups(n, step, set())]
            if len(selector) > 1:  # a path takes the children it went through (f())
                taken.update(_ident(n) for group in first for n in group)
            for group in result:
                used = group[:1] if first_only else group
                taken.update(_ident(root) for _, root in used)
            return [[n for n, _ in group] for group in result]
        return []

    def parts(self, node: SyntaxNode, spec: RunSpec) -> dict[str, Groups] | None:
        """Each part's groups; None (after a build error) when the node cannot run as
        written: a refused token or a child that no part takes."""
        for tok in self.tokens(node):
            if spec.refuse and self.same(tok.text, spec.refuse):
                self.fail(tok, f"{tok.text!r} in {self.what(node)} is not supported by "
                          "craftls run/build")
                return None
        taken: set[tuple[Any, ...]] = set()
        order = sorted(spec.parts, key=lambda kv: any(
            step.kind == "rest" for selector in kv[1] for step in selector))
        found: dict[str, Groups] = {}
        for role, selectors in order:
            if role == order[-1][0] and any(s.kind == "rest" for sel in selectors for s in sel):
                for selector in spec.ignore:  # before `rest`, which takes what is left
                    self.select(node, (selector,), taken)
            found[role] = self.select(node, selectors, taken, role in _SINGLE)
        for selector in spec.ignore:
            self.select(node, (selector,), taken)
        complete = True
        for child in node.children():
            if _ident(child) not in taken:
                self.fail(child, f"{self.what(child)} in {self.what(node)} is not supported "
                          "by craftls run/build")
                complete = False
        return found if complete else None

    @staticmethod
    def one(groups: Groups | None) -> SyntaxNode | None:
        for group in groups or []:
            if group:
                return group[0]
        return None

    @staticmethod
    def flat(groups: Groups | None) -> list[SyntaxNode]:
        return [n for group in groups or [] for n in group]
