"""Type inference and checks for grammar-defined languages, driven by the definition.

A grammar names its own node kinds, so ``Inferencer``'s handlers (keyed by the
keyword-level parser's kinds) find nothing in its trees. This walk reads what the
definition says instead: the ``run:`` annotations say which node is an assignment, a
condition, a binary operation (and by which canonical operator: ``add``, ``fdiv``,
``eq``...), a call, a routine; the ``type: true`` annotations and ``run: text_type``
say which node is a type, named through the definition's ``types:`` table. The results
go into the ``Inferencer`` of the unit (its ``local``/``declared`` symbols, expression
records and diagnostics), so exports, cache keys and messages are the keyword-level
ones, and a unit depends on the declarations it uses exactly as there.

Everything not understood is UNKNOWN and never reported: a user-defined type, a type
name missing from ``types:``, a selector chain (``a[i].f``), an operator with no
canonical meaning."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..language.run_spec import RunSpec, Selector, Step
from ..semantics.grammar_meaning import holds_statements
from ..semantics.model import Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.tokens import NUMBER, STRING, TRIVIA, UNTERMINATED_STRING
from ..syntax.tree import GreenNode, SyntaxNode, kind_bit
from . import model as M
from .model import FunctionType, Type, is_dynamic, strip

if TYPE_CHECKING:
    from ..language.grammar_spec import Meaning
    from ..language.model import LanguageDefinition
    from .infer import Inferencer
    from .names import TypeNames

_COMPARISONS = frozenset({"eq", "ne", "lt", "gt", "le", "ge", "in"})
_LITERAL_TOKENS = {"kw_true": M.BOOL, "kw_false": M.BOOL, "kw_null": M.NONE}
_EXPRESSIONS = frozenset({"binary", "unary", "group", "call", "index", "text", "format",
                          "set", "list", "table", "function_value"})
_ROUTINES = frozenset({SymbolKind.FUNCTION, SymbolKind.PROCEDURE})
_CONDITIONS = frozenset({"if", "while", "repeat", "loop"})
_TYPED = frozenset({SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.FIELD,
                    SymbolKind.CONSTANT})


class GrammarTypes:
    """What one definition's grammar says about types, read once per checker; called
    for each unit (``UnitContext.grammar``)."""

    def __init__(self, definition: LanguageDefinition, names: TypeNames) -> None:
        grammar = definition.grammar
        assert grammar is not None
        self.fold = not definition.lexical.case_sensitive
        self.runs: dict[str, RunSpec] = {p.name: p.run for p in grammar.rules if p.run}
        self.meanings: dict[str, Meaning] = grammar.meanings()
        self.overloads = frozenset(k for k, m in self.meanings.items() if m.overload)
        # only the definition's own table: a name it does not list is unknown
        self.types: dict[str, Type] = {self.key(k): names.parse(v)
                                       for k, v in definition.types.items()}
        self.boolean_conditions = definition.structure.boolean_conditions
        # the kinds whose children are items of their own (``item_walks.splits_of``)
        self.statement_lists = frozenset(kind for kind, meaning in self.meanings.items()
                                         if holds_statements(meaning))
        # of those, the loops with a condition (Pascal's `repeat ... until c`): split into
        # items, their condition is a unit of its own, checked as a condition
        # (``condition_units``)
        self.guarded = frozenset(kind for kind in self.statement_lists
                                 if kind in self.runs
                                 and self.runs[kind].construct in _CONDITIONS
                                 and not self.runs[kind].truthy)
        self._operators: dict[int, tuple[dict[str, str], dict[str, int]]] = {}
        self._words: dict[tuple[str, ...], frozenset[str]] = {}
        # the prefixes of a character code written as a number token (Pascal's #13)
        self.codes = tuple(sorted({r.code for r in self.runs.values()
                                   if r.construct == "text" and r.code}))

    def key(self, name: str) -> str:
        return name.lower() if self.fold else name

    def operators(self, spec: RunSpec) -> tuple[dict[str, str], dict[str, int]]:
        """A binary or unary node's operators by their key: canonical name, level."""
        found = self._operators.get(id(spec))
        if found is None:
            ops = {self.key(text): op for text, op in spec.ops}
            levels: dict[str, int] = {}
            for at, level in enumerate(spec.levels):
                for text in level:
                    levels.setdefault(self.key(text), at)
            found = self._operators[id(spec)] = (ops, levels)
        return found

    def words(self, words: tuple[str, ...]) -> frozenset[str]:
        found = self._words.get(words)
        if found is None:
            found = self._words[words] = frozenset(self.key(w) for w in words)
        return found

    def condition_units(self, root: SyntaxNode, nodes: list[GreenNode], starts: list[int]
                        ) -> list[int]:
        """The units (of ``nodes`` at ``starts``) that are the condition of a loop that
        holds statements (``guarded``), found by descending only into nodes holding one."""
        if not self.guarded or not nodes:
            return []
        bits = 0
        for kind in self.guarded:
            bits |= kind_bit(kind)
        walk = _Walk(self, None)  # type: ignore[arg-type]  # its parts only
        found = []
        pending = [root]
        while pending:
            node = pending.pop()
            if node.kind in self.guarded:
                cond = walk.condition_part(node, self.runs[node.kind])
                if cond is not None:
                    at = bisect_left(starts, cond.start)
                    while at < len(starts) and starts[at] == cond.start:
                        if nodes[at] is cond.green:
                            found.append(at)
                        at += 1
            pending.extend(c for c in node.children() if c.green.kinds & bits)
        return found

    def __call__(self, inf: Inferencer, green: GreenNode, start: int, condition: bool) -> None:
        walk = _Walk(self, inf)
        node = SyntaxNode(green, start)
        if condition:
            walk.condition(node, None)
        else:
            walk.visit(node)


def grammar_types(definition: LanguageDefinition, names: TypeNames) -> GrammarTypes | None:
    """The walk for a grammar-defined language; None for a keyword-level one."""
    return GrammarTypes(definition, names) if definition.grammar is not None else None


class _Walk:
    def __init__(self, spec: GrammarTypes, inf: Inferencer) -> None:
        self.spec = spec
        self.inf = inf
        # the routines being walked: (symbol, result type) for `f := value` in f
        self.frames: list[tuple[Symbol, Type]] = []

    # ------------------------------------------------------------ statements

    def visit(self, node: SyntaxNode) -> None:
        spec = self.spec.runs.get(node.kind)
        construct = spec.construct if spec is not None else ""
        meaning = self.spec.meanings.get(node.kind)
        if meaning is not None and meaning.declares in _TYPED and construct != "const":
            self.declared_name(node)
        if spec is None or node.kind in self.spec.statement_lists:
            # a statement list's children are walked alone, as where name resolution
            # analyses each one as an item of its own; the condition of one that is a
            # loop (Pascal's `repeat ... until c`) is checked as a condition, as where
            # it is a unit of its own (``condition_units``)
            cond = self.condition_part(node, spec) if node.kind in self.spec.guarded \
                else None
            if cond is not None:
                self.condition(cond, spec)
            self.children(node, cond)
        elif construct == "assign":
            self.assign(node, spec)
        elif construct in _CONDITIONS:
            cond = self.condition_part(node, spec)
            if cond is not None:
                self.condition(cond, spec)
            self.children(node, cond)
        elif construct in ("function", "procedure"):
            self.routine(node, spec)
        elif construct == "const":
            self.const(node, spec)
        elif construct in _EXPRESSIONS:
            self.expr(node)
        else:
            self.children(node)

    def condition_part(self, node: SyntaxNode, spec: RunSpec | None) -> SyntaxNode | None:
        if spec is None:
            return None
        parts = self.parts(node, spec, ("condition",))
        return self.one(parts.get("condition")) if parts is not None else None

    def children(self, node: SyntaxNode, skip: SyntaxNode | None = None) -> None:
        for child in node.children():
            if skip is None or child.start != skip.start or child.kind != skip.kind:
                self.visit(child)

    def declared_name(self, node: SyntaxNode) -> None:
        """A bare declared name (``n`` of ``n, m: Integer``): the type written after the
        names in the node around it."""
        name = node.child_of_kind(K.NAME_REF)
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        if sym is None or sym in self.inf.local:
            return
        t: Type = M.UNKNOWN
        parent = node.parent
        if parent is not None and all(c.kind == K.NAME_REF for c in node.children()):
            after = next((c for c in parent.children()
                          if c.start >= node.end and c.kind != node.kind), None)
            if after is not None:
                t = self.type_of(after)
        self.inf.declare(sym, t, declared=t is not M.UNKNOWN)

    def type_of(self, node: SyntaxNode) -> Type:
        """The type a type node names: a name the definition's ``types:`` lists (not one
        the file declares), or a ``text_type``; else unknown."""
        spec = self.spec.runs.get(node.kind)
        if spec is not None and spec.construct == "text_type":
            return M.STR
        meaning = self.spec.meanings.get(node.kind)
        if meaning is None or not meaning.type:
            return M.UNKNOWN
        names = list(node.descendants_of_kind(K.NAME_REF)) or [node]
        if len(names) != 1:
            return M.UNKNOWN  # Dos.Registers: a unit's type
        ref = self.inf.ctx.ref_at.get(names[0].start)
        if ref is not None and ref.symbol is not None:
            return M.UNKNOWN  # a type of the program's own (or a name it shadows)
        return self.spec.types.get(self.spec.key(_text(names[0])), M.UNKNOWN)

    def assign(self, node: SyntaxNode, spec: RunSpec) -> None:
        parts = self.parts(node, spec, ("target", "value", "index", "field"))
        if parts is None:
            return self.children(node)
        value = self.one(parts.get("value"))
        target = self.one(parts.get("target"))
        vt = self.expr(value) if value is not None else M.UNKNOWN
        if target is None or target.kind != K.NAME_REF or parts.get("index") \
                or parts.get("field"):
            return
        ref = self.inf.ctx.ref_at.get(target.start)
        sym = ref.symbol if ref is not None else None
        if sym is None or value is None:
            return
        for frame, result in reversed(self.frames):
            if frame is sym:  # a function's result, by its name
                self.inf.check(vt, result, value.start, value.end, "return-type",
                               f"Result of '{sym.name}'")
                return
        if sym.kind not in _TYPED or not self.inf.is_declared(sym):
            return
        current = self.inf.symbol_type(sym)
        self.inf.record(target.start, target.end, current)
        self.inf.check(vt, current, value.start, value.end, "type-mismatch",
                       f"Cannot assign to '{ref.name}'")  # type: ignore[union-attr]

    def condition(self, node: SyntaxNode, spec: RunSpec | None) -> None:
        t = self.expr(node)
        if not self.spec.boolean_conditions or (spec is not None and spec.truthy):
            return
        st = strip(t)
        if st is M.BOOL or st is M.UNKNOWN or is_dynamic(st):
            return
        shown, expected = self.inf.display(t), self.inf.display(M.BOOL)
        self.inf.diag(node.start, node.end, "error",
                      f"Condition should be {expected}, found {shown} (a {shown} value is "
                      "not a truth value)", "condition-type",
                      {"expected": expected, "found": shown})

    def routine(self, node: SyntaxNode, spec: RunSpec) -> None:
        parts = self.parts(node, spec, ("name", "params", "type"))
        if parts is None:
            return self.children(node)
        name = self.one(parts.get("name"))
        if name is not None and name.kind != K.NAME_REF:
            name = name.child_of_kind(K.NAME_REF)
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        for group in self.flat(parts.get("params")):
            self.visit(group)
        if sym is None:
            return self.children(node)
        # a `procedure` construct may have a result type too (a function's heading)
        tnode = self.one(parts.get("type"))
        result: Type = self.type_of(tnode) if tnode is not None \
            else M.UNKNOWN if spec.construct == "function" else M.NONE
        params = tuple(self.inf.local.get(p, M.UNKNOWN) for p in sym.params)
        if self.overloaded(node, parts.get("body")):
            # one of several routines of its name: which one a call means depends on its
            # arguments' types, so neither they nor the result are known
            params, result = tuple(M.UNKNOWN for _ in params), M.UNKNOWN
        optional = sum(1 for group in self.flat(parts.get("params"))
                       if any(text == "=" for _, text in _tokens(group.green)))
        self.inf.declare(sym, FunctionType(params, result, len(params) - optional if
                                           not optional else 0,
                                           names=tuple(p.name for p in sym.params)))
        by_name = spec.result == "name"
        if by_name:
            self.frames.append((sym, result))
        try:
            for child in node.children():
                if name is None or child.start != name.start:
                    self.visit(child)
        finally:
            if by_name:
                self.frames.pop()

    def overloaded(self, node: SyntaxNode, body: object) -> bool:
        """Does the routine declaration hold an ``overload`` node outside its body?"""
        kinds = self.spec.overloads
        if not kinds:
            return False
        skipped = {n.start for n in self.flat(body)} if body else set()  # type: ignore[arg-type]
        return any(child.kind in kinds or any(d.kind in kinds for d in child.descendants())
                   for child in node.children() if child.start not in skipped)

    def const(self, node: SyntaxNode, spec: RunSpec) -> None:
        parts = self.parts(node, spec, ("name", "value", "type"))
        if parts is None:
            return self.children(node)
        name = self.one(parts.get("name"))
        value = self.one(parts.get("value"))
        tnode = self.one(parts.get("type"))
        vt = self.expr(value) if value is not None else M.UNKNOWN
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        if tnode is not None:
            declared = self.type_of(tnode)
            if value is not None and sym is not None:
                self.inf.check(vt, declared, value.start, value.end, "type-mismatch",
                               f"Cannot initialize '{sym.name}'")
            self.inf.declare(sym, declared, declared=declared is not M.UNKNOWN)
        else:
            self.inf.declare(sym, vt)

    # ------------------------------------------------------------ expressions

    def expr(self, node: SyntaxNode) -> Type:
        t = self._expr(node)
        if t is not M.UNKNOWN:
            self.inf.record(node.start, node.end, t)
        return t

    def _expr(self, node: SyntaxNode) -> Type:
        kind = node.kind
        if kind == K.LITERAL:
            return _literal(node, self.spec.codes)
        if kind == K.NAME_REF:
            return self.inf.name_type(node.start, bare=True)
        spec = self.spec.runs.get(kind)
        if spec is None:
            kids = list(node.children())
            if len(kids) == 1 and not _tokens(node.green):
                return self.expr(kids[0])  # a wrapper without meaning
            return M.UNKNOWN
        handler = _EXPRESSION_HANDLERS.get(spec.construct)
        return handler(self, node, spec) if handler is not None else M.UNKNOWN

    def group(self, node: SyntaxNode, spec: RunSpec) -> Type:
        kids = list(node.children())
        return self.expr(kids[0]) if len(kids) == 1 else M.UNKNOWN

    def text(self, node: SyntaxNode, spec: RunSpec) -> Type:
        return M.STR

    def format(self, node: SyntaxNode, spec: RunSpec) -> Type:
        parts = self.parts(node, spec, ("value",))
        value = self.one(parts.get("value")) if parts is not None else None
        return self.expr(value) if value is not None else M.UNKNOWN

    def binary(self, node: SyntaxNode, spec: RunSpec) -> Type:
        """Operands and operators in a row, grouped by ``levels`` (loosest first, left to
        right within one), as ``craftls run`` groups them."""
        seq = _items(node)
        ops, levels = self.spec.operators(spec)
        fold = self.spec.fold
        pos = 0

        def climb(floor: int) -> Type:
            nonlocal pos
            if pos >= len(seq) or type(seq[pos]) is str:
                return M.UNKNOWN
            left = self.expr(seq[pos])  # type: ignore[arg-type]
            pos += 1
            while pos < len(seq) and type(seq[pos]) is str:
                text = str(seq[pos])
                key = text.lower() if fold else text
                at = levels.get(key, len(spec.levels)) if spec.levels else 0
                if at < floor:
                    break
                pos += 1
                right = climb(at + 1)
                left = binary_type(ops.get(key, ""), left, right)
            return left

        return climb(0)

    def unary(self, node: SyntaxNode, spec: RunSpec) -> Type:
        toks = _tokens(node.green)
        kids = list(node.children())
        if not toks and len(kids) == 1:
            return self.expr(kids[0])
        if len(toks) == 1 and not kids:
            return _LITERAL_TOKENS.get(toks[0][0], M.UNKNOWN)
        if len(toks) != 1 or len(kids) != 1:
            return M.UNKNOWN
        t = strip(self.expr(kids[0]))
        op = self.spec.operators(spec)[0].get(self.spec.key(toks[0][1]))
        if op == "not":
            return t if t is M.BOOL or t is M.INT else M.UNKNOWN
        if op in ("neg", "pos"):
            return t if t in M.NUMERIC else M.UNKNOWN
        return M.UNKNOWN

    def call(self, node: SyntaxNode, spec: RunSpec) -> Type:
        parts = self.parts(node, spec, ("callee", "args"))
        if parts is None or spec.function or spec.operation or spec.subscripts:
            return M.UNKNOWN
        callee = self.one(parts.get("callee"))
        args = self.flat(parts.get("args"))
        types = [self.expr(a) for a in args]
        if callee is None or callee.kind != K.NAME_REF:
            return M.UNKNOWN
        ct = self.inf.name_type(callee.start, bare=False)
        ref = self.inf.ctx.ref_at.get(callee.start)
        if ref is not None and ref.symbol is not None and ref.symbol.kind == SymbolKind.TYPE:
            return M.UNKNOWN  # a conversion to a type of the program's own
        ft = strip(ct)
        if not isinstance(ft, FunctionType):
            return M.UNKNOWN
        if ref is not None and ref.symbol is not None and ref.symbol.kind in _ROUTINES:
            # the program's own routine: its parameters' declared types (a builtin's
            # `any` parameters say nothing)
            self.inf.check_arguments(ft, ref.name, [(a.green, a.start) for a in args], types)
        if ft.numeric_generic and types and all(strip(a) is M.INT for a in types):
            return M.INT
        return ft.result

    # ------------------------------------------------------------ reading parts
    #
    # The selectors of ``run_spec`` as ``codegen/run_parts.py`` reads them, for the parts
    # a type needs (that module is codegen's, which depends on this package). A part
    # selected by ``rest`` is left unselected here: unknown, never an error.

    def parts(self, node: SyntaxNode, spec: RunSpec, roles: tuple[str, ...]
              ) -> dict[str, list[list[SyntaxNode]]] | None:
        """The parts named ``roles`` (the others cost time and say nothing of types)."""
        items = _items(node)
        if spec.refuse and any(type(t) is str and self.same(t, spec.refuse) for t in items):
            return None
        return {role: self.select(node, items, selectors) for role, selectors in spec.parts
                if role in roles}

    def select(self, node: SyntaxNode, items: list[SyntaxNode | str],
               selectors: tuple[Selector, ...]) -> list[list[SyntaxNode]]:
        for selector in selectors:
            groups = self.step(items, selector[0])
            for step in selector[1:]:
                groups = [inner for group in groups for n in group
                          for inner in self.step(_items(n), step)]
            if any(groups):
                return groups
        return []

    def step(self, items: list[SyntaxNode | str], step: Step) -> list[list[SyntaxNode]]:
        out: list[list[SyntaxNode]] = []
        if step.kind in ("after", "before", "from"):
            out = self.after_tokens(items, step)
        else:
            kids = [c for c in items if type(c) is not str]
            if step.kind == "nth":
                at = step.number - 1 if step.number > 0 else step.number
                out = [[kids[at]]] if -len(kids) <= at < len(kids) else []  # type: ignore[list-item]
            elif step.kind == "all":
                out = [kids]  # type: ignore[list-item]
            elif step.kind == "rule":
                out = [[c for c in kids if c.kind == step.rule]]  # type: ignore[union-attr,misc]
        if step.group:
            out = out[step.group - 1:step.group]
        return out

    def after_tokens(self, items: list[SyntaxNode | str], step: Step
                     ) -> list[list[SyntaxNode]]:
        """``'tok'``: per occurrence, the nodes up to the next direct token; ``before``:
        the nodes before the first; ``from``: every node after the first."""
        hits = [i for i, item in enumerate(items)
                if type(item) is str and self.same(item, step.tokens)]
        if not hits:
            return []
        if step.kind != "after":
            part = items[:hits[0]] if step.kind == "before" else items[hits[0] + 1:]
            return [[n for n in part if type(n) is not str]]  # type: ignore[misc]
        out: list[list[SyntaxNode]] = []
        for at in hits:
            end = next((i for i in range(at + 1, len(items)) if type(items[i]) is str),
                       len(items))
            out.append(items[at + 1:end])  # type: ignore[arg-type]
        return out

    def same(self, text: str, words: tuple[str, ...]) -> bool:
        return self.spec.key(text) in self.spec.words(words)

    @staticmethod
    def one(groups: list[list[SyntaxNode]] | None) -> SyntaxNode | None:
        for group in groups or []:
            if group:
                return group[0]
        return None

    @staticmethod
    def flat(groups: list[list[SyntaxNode]] | None) -> list[SyntaxNode]:
        return [n for group in groups or [] for n in group]


# how an expression construct's node is typed
_EXPRESSION_HANDLERS: dict[str, Callable[[_Walk, SyntaxNode, RunSpec], Type]] = {
    "binary": _Walk.binary, "unary": _Walk.unary, "group": _Walk.group, "text": _Walk.text,
    "call": _Walk.call, "format": _Walk.format,
}


def binary_type(op: str, left: Type, right: Type) -> Type:
    """The type of a binary operation by its canonical operator (``run_spec.BINARY_OPS``);
    unknown for an operator the definition gives no meaning to and for operands that do
    not fit it (the operation's own error is not the assignment's)."""
    if op in _COMPARISONS:
        return M.BOOL
    ls, rs = strip(left), strip(right)
    if ls is M.UNKNOWN or rs is M.UNKNOWN or is_dynamic(ls) or is_dynamic(rs):
        return M.ANY if ls is M.ANY or rs is M.ANY else M.UNKNOWN
    if op in ("and", "or"):
        if ls is M.BOOL and rs is M.BOOL:
            return M.BOOL
        return M.INT if ls is M.INT and rs is M.INT else M.UNKNOWN
    if op == "concat" or op == "add" and (ls is M.STR or rs is M.STR):
        return M.STR
    return _arithmetic(op, ls, rs)


def _arithmetic(op: str, ls: Type, rs: Type) -> Type:
    if ls not in M.NUMERIC or rs not in M.NUMERIC:
        return M.UNKNOWN
    if op == "fdiv":
        return M.FLOAT
    ints = ls is M.INT and rs is M.INT
    if op in ("idiv", "mod"):
        return M.INT if ints else M.UNKNOWN
    if op in ("add", "sub", "mul", "pow"):
        return M.INT if ints and op != "pow" else M.FLOAT
    return M.UNKNOWN


def _literal(node: SyntaxNode, codes: tuple[str, ...]) -> Type:
    for kind, text in _significant(node.green):
        if kind == NUMBER:
            if codes and text.startswith(codes):
                return M.STR  # a character code (Pascal's #13): a text's `code`
            return _number(text)
        if kind in (STRING, UNTERMINATED_STRING):
            return M.STR
        return _LITERAL_TOKENS.get(kind, M.UNKNOWN)
    return M.UNKNOWN


_DECIMAL = re.compile(r"\d+")
_REAL = re.compile(r"\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+")
_PREFIXED = re.compile(r"(?:\$|0[xX]|&[hH])[0-9A-Fa-f]+|(?:%|0[bB])[01]+|(?:&[oO]?|0[oO])[0-7]+")


def _number(text: str) -> Type:
    """A number token's type: a form this module knows, else unknown (a language's own
    suffixes and marks: QBasic's 1#, 2&)."""
    if _DECIMAL.fullmatch(text) or _PREFIXED.fullmatch(text):
        return M.INT
    return M.FLOAT if _REAL.fullmatch(text) else M.UNKNOWN


def _items(node: SyntaxNode) -> list[SyntaxNode | str]:
    """A node's child nodes and the texts of its significant direct tokens, in order
    (read from the green node: no positioned view of a token)."""
    out: list[SyntaxNode | str] = []
    offset = node.start
    trivia = TRIVIA
    for child in node.green.children:
        if type(child) is GreenNode:
            out.append(SyntaxNode(child, offset, node))
            offset += child.width
        else:
            if child[0] not in trivia:  # type: ignore[index]
                out.append(child[1])  # type: ignore[index]
            offset += len(child[1])  # type: ignore[index]
    return out


def _tokens(green: GreenNode) -> list[tuple[str, str]]:
    """The significant direct tokens of a node: (kind, text)."""
    return [c for c in green.children  # type: ignore[misc]
            if type(c) is not GreenNode and c[0] not in TRIVIA]  # type: ignore[index]


def _significant(green: GreenNode) -> list[tuple[str, str]]:
    out = []
    for child in green.children:
        if type(child) is GreenNode:
            out.extend(_significant(child))
        elif child[0] not in TRIVIA:  # type: ignore[index]
            out.append(child)  # type: ignore[arg-type]
    return out


def _text(node: SyntaxNode) -> str:
    return "".join(text for _, text in _significant(node.green))


__all__ = ["GrammarTypes", "binary_type", "grammar_types"]
