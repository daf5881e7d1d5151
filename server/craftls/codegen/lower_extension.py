"""Lowering a keyword-level language's grammar extension forms (``grammar.extends:
keywords``, ``language/grammar_extension.py``): the nodes its forms make sit in the
keyword-level tree, and their rules' ``run:`` annotations say what they mean.

The keyword-level lowering (``lower._Lowering``) asks here for every node a form made;
the form's parts are read with the same selectors as a grammar-defined language's
(``run_parts.py``), and the nodes inside them (the language's own statements and
expressions, or other forms) go back to the keyword-level lowering. A form whose rule
has no ``run:``, or whose construct has no meaning as an extension form, is a build
error at its line and column: never a guess, never a node dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..language.run_spec import RunSpec, Step
from ..syntax import kinds as K
from ..syntax.tree import SyntaxNode
from . import ir
from .run_parts import Groups

if TYPE_CHECKING:  # the lowering imports this module; a type-only import back
    from ..language.grammar_extension import GrammarExtension
    from .lower import _Lowering

# what an extension form may mean: statements, and the expression constructs
STATEMENT_CONSTRUCTS = frozenset({"none", "block", "repeat", "while", "if", "enum"})
EXPRESSION_CONSTRUCTS = frozenset({"binary", "unary", "group", "call"})
_ALL = ((Step("all"),),)  # a part that is every child node


class ExtensionLowering:
    """The extension forms of one lowering (its scopes, constants and problems)."""

    def __init__(self, low: _Lowering, extension: GrammarExtension) -> None:
        self.low = low
        self.runs: dict[str, RunSpec] = {p.name: p.run for p in extension.spec.rules
                                          if p.run is not None}
        self.statement_kinds = extension.statement_kinds()
        self.expression_kinds = extension.expression_kinds()
        self.kinds = self.statement_kinds | self.expression_kinds

    def refuse(self, node: SyntaxNode, why: str) -> None:
        self.low.fail(node, f"the form '{node.kind}' {why}: it is not supported by craftls "
                            "run/build")

    def spec_of(self, node: SyntaxNode) -> RunSpec | None:
        spec = self.runs.get(node.kind)
        if spec is None:
            self.refuse(node, f"has no meaning when the program runs (its rule "
                              f"grammar.rules.{node.kind} has no run: annotation)")
        return spec

    # ----- statements -----

    def statement(self, node: SyntaxNode) -> list[ir.Stmt]:
        spec = self.spec_of(node)
        if spec is None:
            return []
        construct = spec.construct
        if construct in EXPRESSION_CONSTRUCTS:
            return [ir.ExprStmt(node.start, self.expr(node))]
        if construct not in STATEMENT_CONSTRUCTS:
            self.refuse(node, f"means '{construct}', which an extension form cannot mean "
                              f"(statements: {', '.join(sorted(STATEMENT_CONSTRUCTS))})")
            return []
        if construct == "none":  # a declaration without runtime meaning: its children too
            return []
        if construct == "enum":
            return self.enum(node, spec)
        if construct == "block" and not spec.part("body"):
            spec = RunSpec(construct, (("body", _ALL),), ignore=spec.ignore)
        parts = self.low.parts(node, spec)
        if parts is None:  # a child no part takes, or a refused token: reported
            return []
        if construct == "block":
            return list(self.body(parts.get("body")))
        return self.conditional(node, construct, parts)

    def conditional(self, node: SyntaxNode, construct: str,
                    parts: dict[str, Groups]) -> list[ir.Stmt]:
        """``repeat``, ``while`` and ``if``: a condition and bodies."""
        cond = self.low.one(parts.get("condition"))
        if cond is None:
            self.refuse(node, f"has no condition (run.condition of "
                              f"grammar.rules.{node.kind} selects nothing here)")
            return []
        if construct == "repeat":
            return [ir.Repeat(node.start, self.body(parts.get("body")), self.low.expr(cond))]
        if construct == "while":
            return [ir.While(node.start, self.low.expr(cond), self.body(parts.get("body")))]
        orelse = parts.get("else")
        arms = ((self.low.expr(cond), self.body(parts.get("then"))),)
        return [ir.If(node.start, arms, self.body(orelse) if self.low.flat(orelse) else None)]

    def body(self, groups: Groups | None) -> ir.Body:
        return self.low.stmts(self.low.flat(groups))

    def enum(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        """Its values are constants 0, 1, 2 ... in order (what they print as)."""
        if not spec.part("values"):
            spec = RunSpec(spec.construct, (("values", _ALL),), ignore=spec.ignore)
        parts = self.low.parts(node, spec)
        if parts is None:
            return []
        for number, member in enumerate(self.low.flat(parts.get("values"))):
            name = member if member.kind == K.NAME_REF else next(
                (d for d in member.descendants() if d.kind == K.NAME_REF), None)
            if name is None:
                self.refuse(member, "names no constant (an enum member needs a name)")
                continue
            self.low.consts[self.low.key(name.text.strip())] = ir.Const(name.start, number)
        return []

    # ----- expressions -----

    def expr(self, node: SyntaxNode) -> ir.Expr:
        spec = self.spec_of(node)
        if spec is None:
            return ir.Const(node.start, None)
        if spec.construct not in EXPRESSION_CONSTRUCTS:
            self.refuse(node, f"means '{spec.construct}', which is not a value (values: "
                              f"{', '.join(sorted(EXPRESSION_CONSTRUCTS))})")
            return ir.Const(node.start, None)
        if spec.construct in ("binary", "unary"):
            return self.operator(node, spec)
        if spec.construct == "group":
            if not spec.part("value"):
                spec = RunSpec("group", (("value", _ALL),), ignore=spec.ignore)
            parts = self.low.parts(node, spec)
            values = self.low.flat(parts.get("value")) if parts is not None else []
            if parts is not None and len(values) != 1:
                self.refuse(node, f"has {len(values)} values where 'group' takes one")
            return self.low.expr(values[0]) if len(values) == 1 else ir.Const(node.start, None)
        return self.call(node, spec)

    def operator(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """An infix form: its left operand, its tokens, its right operand; a prefix or
        postfix form: its tokens and one operand. The tokens, as written and joined by a
        space, are looked up in ``run.ops``."""
        operands = list(node.children())
        tokens = self.low.tokens(node)
        wanted = 2 if spec.construct == "binary" else 1
        if len(operands) != wanted or not tokens:
            self.refuse(node, f"has {len(operands)} operand(s) where '{spec.construct}' "
                              f"takes {wanted}")
            return ir.Const(node.start, None)
        text = " ".join(t.text for t in tokens)
        op = next((meaning for symbol, meaning in spec.ops
                   if self.low.key(symbol) == self.low.key(text)), None)
        if op is None:
            self.low.fail(tokens[0], f"the operator {text!r} is not supported by craftls "
                                     f"run/build (run.ops of grammar.rules.{node.kind} does "
                                     "not name it)")
            return ir.Const(node.start, None)
        values = [self.low.expr(o) for o in operands]
        if wanted == 2:
            return ir.Binary(tokens[0].start, op, values[0], values[1])
        return ir.Unary(tokens[0].start, op, values[0])

    def call(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """A call of the function a child names (``callee``), or of the one ``run.function``
        names, with the ``args`` (every other child node by default)."""
        if not spec.part("args"):
            spec = RunSpec("call", spec.parts + (("args", ((Step("rest"),),)),),
                           ignore=spec.ignore, function=spec.function)
        parts = self.low.parts(node, spec)
        if parts is None:
            return ir.Const(node.start, None)
        args = self.low.flat(parts.get("args"))
        if spec.function:
            return self.low.make_call(node, node, args, name=spec.function)
        callee = self.low.one(parts.get("callee"))
        if callee is None or callee.kind != K.NAME_REF:
            self.refuse(node, "names no function (give run.callee, a child that is a name, "
                              "or run.function)")
            return ir.Const(node.start, None)
        return self.low.make_call(node, callee, args)
