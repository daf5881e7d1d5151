"""Type inference for one *unit*: a top-level item of a file (a function, a
declaration section, a statement).

A unit's results depend only on its own syntax and on the exported types of
the outer symbols it uses (``UnitContext.external``), so ``check`` can cache
them per unit. Results are stored relative to the unit's start, so a unit
that merely moved is reused as is. Everything unknown stays unknown, silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple, Protocol, TypeVar

from ..language.defaults import COMPARISON_SYMBOLS
from ..language.model import BlockStyle, LanguageDefinition, Operator
from ..semantics.model import Reference, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.tokens import NUMBER, STRING, TRIVIA, UNTERMINATED_STRING, Token
from ..syntax.tree import GreenNode
from .assignability import assignable, join
from .model import (
    ANY,
    BOOL,
    FLOAT,
    INT,
    NONE,
    NUMERIC,
    STR,
    UNKNOWN,
    Alias,
    FunctionType,
    ListType,
    MapType,
    Opaque,
    ProtocolType,
    RecordType,
    Type,
    UnionType,
    element_of,
    is_dynamic,
    render,
    strip,
    without_none,
)
from .names import TypeNames
from .protocols import builtin_members, conforms

TYPE_KINDS = frozenset({K.TYPE_REF, K.ARRAY_TYPE, K.LIST_TYPE, K.RECORD_TYPE})
EXPRESSIONS = K.EXPRESSIONS
_NOT_EQUAL = frozenset({"!=", "<>", "≠", "~="})
_EQUAL = frozenset({"=", "=="})


class Export(NamedTuple):
    """What other units see of a file-level symbol."""

    type: Type
    kind: str
    declared: bool = False  # its type was written down (assignments are checked)
    value: int | None = None  # the value of an integer constant (array bounds)


class RelDiagnostic(NamedTuple):
    start: int  # relative to the unit
    end: int
    severity: str
    message: str
    code: str
    data: dict[str, Any]


@dataclass
class UnitResult:
    """Everything inferred for a unit, with offsets relative to its start."""

    exports: dict[int, Export] = field(default_factory=dict)  # by name offset
    symbol_types: dict[int, Type] = field(default_factory=dict)  # by name offset
    exprs: list[tuple[int, int, Type]] = field(default_factory=list)
    diagnostics: list[RelDiagnostic] = field(default_factory=list)
    inlays: list[tuple[int, Type, str]] = field(default_factory=list)  # after-name offset
    # the overload each call of an overloaded routine means, by its callee's offset: its
    # place among the routines of its name (``SemanticModel.overloads``)
    overloads: dict[int, int] = field(default_factory=dict)


T_co = TypeVar("T_co", covariant=True)


class ByStart(Protocol[T_co]):
    """What starts at an offset (a dict, or a lookup through the model's items)."""

    def get(self, offset: int, /) -> T_co | None: ...


@dataclass
class UnitContext:
    """What a unit's inference may consult besides its own syntax."""

    definition: LanguageDefinition
    names: TypeNames
    ref_at: ByStart[Reference]
    sym_at: ByStart[Symbol]
    external: Callable[[Symbol], Export | None]
    operators: dict[str, Operator]
    fold: bool
    # a grammar-defined language's walk of a unit (``grammar_infer.GrammarTypes``): the
    # handlers below know the keyword-level parser's node kinds only
    grammar: Callable[[Inferencer, GreenNode, int, bool], None] | None = None
    # overloaded routines: each -> all routines of its name in its scope (the model's)
    overloads: Mapping[Symbol, list[Symbol]] = field(default_factory=dict)
    # the file's marks by first letter (``structure.implicit_types``; the model's): an
    # unmarked name has the type of the mark its letter gives it
    implicit: tuple[str, dict[str, str]] | None = None


def operator_table(definition: LanguageDefinition) -> dict[str, Operator]:
    fold = not definition.lexical.case_sensitive
    table: dict[str, Operator] = {}
    for op in definition.operators:
        key = op.symbol.lower() if (fold or op.is_word) else op.symbol
        table.setdefault(key, op)
    return table


def _parts(g: GreenNode, s: int) -> tuple[list[tuple[GreenNode, int]], list[tuple[str, str, int]]]:
    """The child nodes (with starts) and significant direct tokens of a node."""
    nodes: list[tuple[GreenNode, int]] = []
    toks: list[tuple[str, str, int]] = []
    off = s
    trivia = TRIVIA
    for c in g.children:
        if type(c) is GreenNode:
            nodes.append((c, off))
            off += c.width
        else:
            if c[0] not in trivia:  # type: ignore[index]
                toks.append((c[0], c[1], off))  # type: ignore[index]
            off += len(c[1])  # type: ignore[index]
    return nodes, toks


def _nodes(g: GreenNode, s: int) -> list[tuple[GreenNode, int]]:
    """The child nodes with their starts (from the offsets kept on the node). A loop,
    not a comprehension: uncompiled, a comprehension is a call of its own, and most of
    these lists are of one to three nodes."""
    nodes = []
    for _, rel, c in g.node_children():
        nodes.append((c, s + rel))
    return nodes


def _binary_parts(g: GreenNode, s: int) -> tuple[list[tuple[GreenNode, int]], tuple[str, str] | None]:
    """Operands and the operator token of a binary or unary expression (the operands
    from the node's cached offsets, the operator by the first significant token)."""
    nodes = _nodes(g, s)
    for c in g.children:
        if type(c) is not GreenNode and c[0] not in TRIVIA:  # type: ignore[index]
            return nodes, c  # type: ignore[return-value]
    return nodes, None


def _first_in(nodes: list[tuple[GreenNode, int]], kinds: frozenset[str]
              ) -> tuple[GreenNode, int] | None:
    """The first of ``nodes`` of one of ``kinds`` (a loop: no generator per question)."""
    for node in nodes:
        if node[0].kind in kinds:
            return node
    return None


def _first_token(g: GreenNode) -> tuple[str, str] | None:
    for c in g.children:
        if type(c) is GreenNode:
            found = _first_token(c)
            if found is not None:
                return found
        elif c[0] not in TRIVIA:  # type: ignore[index]
            return c  # type: ignore[return-value]
    return None


def _significant_text(g: GreenNode) -> str:
    """The node's text without trivia; with a list, not recursion (a chain is as deep as
    it is long)."""
    children = g.children
    if len(children) == 1 and type(children[0]) is not GreenNode:  # a name: one token
        token = children[0]
        return "" if token[0] in TRIVIA else token[1]  # type: ignore[index]
    out: list[str] = []
    stack: list[GreenNode | Token] = [g]
    while stack:
        c = stack.pop()
        if type(c) is GreenNode:
            stack.extend(reversed(c.children))
        elif c[0] not in TRIVIA:  # type: ignore[index]
            out.append(c[1])  # type: ignore[index]
    return "".join(out)


def number_type(text: str) -> Type:
    lowered = text.lower()
    if lowered.startswith(("$", "0x", "&h", "0b", "0o")):
        return INT
    return FLOAT if ("." in text or "e" in lowered) else INT


def number_value(text: str) -> int | None:
    lowered = text.lower()
    try:
        if lowered.startswith("$"):
            return int(lowered[1:], 16)
        if lowered.startswith("&h"):
            return int(lowered[2:], 16)
        if lowered.startswith(("0x", "0b", "0o")):
            return int(lowered, 0)
        return int(text)
    except ValueError:
        return None


class _Frame:
    __slots__ = ("symbol", "name", "result", "returns")

    def __init__(self, symbol: Symbol | None, name: str, result: Type | None) -> None:
        self.symbol, self.name, self.result = symbol, name, result
        self.returns: list[Type] = []


_ROUTINE_KINDS = frozenset({SymbolKind.FUNCTION, SymbolKind.PROCEDURE})
_MEMBER_KINDS = frozenset({SymbolKind.FIELD, SymbolKind.TYPE})


class Inferencer:
    """Infers and checks one unit."""

    def __init__(self, ctx: UnitContext, start: int, end: int) -> None:
        self.ctx = ctx
        self.base = start
        self.end = end
        self.local: dict[Symbol, Type] = {}
        self.declared: set[Symbol] = set()
        self.values: dict[Symbol, int] = {}
        self.narrowed: list[dict[Symbol, Type]] = []
        self.frames: list[_Frame] = []
        self.pending: dict[Symbol, tuple[GreenNode, int]] = {}
        self.inlay_symbols: list[Symbol] = []
        self.result = UnitResult()
        d = ctx.definition
        self.pascal_result = d.structure.function_result == "name"
        self.bare_calls = d.structure.block_style in (BlockStyle.BEGIN_END,
                                                      BlockStyle.KEYWORD_TERMINATED)
        self.index_base = d.structure.index_base
        self.paren_index = d.structure.index_open == "("
        self.display = ctx.names.display
        self._parsed_results: dict[str, Type] = {}
        # a grammar extension's operand and operator forms are expressions too: their
        # operands are checked, and the form itself is of the type its ``result_type``
        # gives, else unknown (no false errors)
        extension = d.grammar_extension
        self.expressions: frozenset[str] = EXPRESSIONS if extension is None \
            else EXPRESSIONS | extension.expression_kinds()
        self.form_results: dict[str, str] = {} if extension is None \
            else dict(extension.results)

    # ------------------------------------------------------------ entry

    def run(self, green: GreenNode, condition: bool = False) -> UnitResult:
        """``condition``: the unit is the condition of a loop split into items
        (``item_walks.Splits.guarded``), checked as its loop checks it."""
        if self.ctx.grammar is not None:
            self.ctx.grammar(self, green, self.base, condition)
        elif condition:
            self.condition(green, self.base)
        else:
            self.stmt(green, self.base)
        r = self.result
        base = self.base
        # a grammar's record fields and methods too: a `with r do` or a method's body
        # names them; and the types declared inside a type (`procedure TOuter.TInner.M`)
        fields = self.ctx.grammar is not None
        for sym, t in self.local.items():
            r.symbol_types[sym.start - base] = t
            if sym.scope.parent is None and sym.kind != SymbolKind.FIELD or fields and (
                    sym.kind in _MEMBER_KINDS or sym.kind in _ROUTINE_KINDS):
                r.exports[sym.start - base] = Export(t, sym.kind, sym in self.declared,
                                                     self.values.get(sym))
        for sym in self.inlay_symbols:
            t = self.local.get(sym, UNKNOWN)
            if t is not UNKNOWN:
                r.inlays.append((sym.end - base, t, sym.name))
        return r

    # ------------------------------------------------------------ helpers

    def diag(self, start: int, end: int, severity: str, message: str, code: str,
             data: dict[str, Any]) -> None:
        self.result.diagnostics.append(RelDiagnostic(start - self.base, end - self.base,
                                                     severity, message, code, data))

    def check(self, src: Type | None, dst: Type, start: int, end: int, code: str,
              subject: str | Callable[[], str],
              extra: dict[str, Any] | Callable[[], dict[str, Any]] | None = None) -> None:
        """Report when a ``src`` value cannot go where ``dst`` is expected."""
        if src is None or src is dst or is_dynamic(src) or is_dynamic(dst):
            return
        if not isinstance(strip(dst), ProtocolType) and assignable(src, dst) is None:
            return  # the common case, before building any message
        if callable(subject):
            subject = subject()
        if callable(extra):
            extra = extra()
        d = strip(dst)
        data: dict[str, Any] = dict(extra or {})
        if isinstance(d, ProtocolType) and isinstance(strip(src), (RecordType, ProtocolType)):
            conf = conforms(src, d, self.ctx.definition)
            if conf.ok:
                return
            data.update(expected=self.display(dst), found=self.display(src), protocol=d.name,
                        record=render(strip(src)), missing=list(conf.missing),
                        problems=[p.message for p in conf.problems])
            reasons = "; ".join(
                f"missing {d.member(p.member).kind} {p.member}"  # type: ignore[union-attr]
                if p.kind == "missing" else p.message for p in conf.problems)
            self.diag(start, end, "error",
                      f"{subject}: {self.display(src)} does not conform to protocol {d.name} "
                      f"({reasons})", "protocol-conformance", data)
            return
        why = assignable(src, dst)
        if why is None:
            return
        expected, found = self.display(dst), self.display(src)
        data.update(expected=expected, found=found, reason=why)
        message = f"{subject}: expected {expected}, found {found}"
        if not why.startswith(f"{render(src)} is not"):
            message += f" ({why})"
        self.diag(start, end, "error", message, code, data)

    def symbol_type(self, sym: Symbol) -> Type:
        for layer in reversed(self.narrowed):
            t = layer.get(sym)
            if t is not None:
                return t
        t = self.local.get(sym)
        if t is not None:
            return t
        if self.base <= sym.start < self.end:
            if sym in self.pending:
                return self.define_type(sym)
            return UNKNOWN
        exp = self.ctx.external(sym)
        return exp.type if exp is not None else UNKNOWN

    def is_declared(self, sym: Symbol) -> bool:
        if sym in self.local:
            return sym in self.declared
        if self.base <= sym.start < self.end:
            return False
        exp = self.ctx.external(sym)
        return exp is not None and exp.declared

    def declare(self, sym: Symbol | None, t: Type, declared: bool = False,
                inlay: bool = False) -> None:
        if sym is None:
            return
        self.local[sym] = t
        if declared:
            self.declared.add(sym)
        elif inlay:
            self.inlay_symbols.append(sym)

    def parse(self, text: str) -> Type:
        t = self._parsed_results.get(text)
        if t is None:
            t = self._parsed_results[text] = self.ctx.names.parse(text)
        return t

    # ------------------------------------------------------------ statements

    def stmt(self, g: GreenNode, s: int) -> None:
        handler = _STATEMENTS.get(g.kind)
        if handler is not None:
            handler(self, g, s)
        elif g.kind in self.expressions:
            self.expr(g, s)
        else:
            for _, rel, c in g.node_children():  # without ``_nodes``' list
                self.stmt(c, s + rel)

    def declaration(self, g: GreenNode, s: int) -> None:
        nodes, toks = _parts(g, s)
        names = [(c, cs) for c, cs in nodes if c.kind == K.NAME]
        tnode = _first_in(nodes, TYPE_KINDS)
        init = _first_in(nodes, self.expressions)
        declared = self.type_of_node(*tnode) if tnode is not None else None
        it = self.expr(*init) if init is not None else None
        is_const = g.kind == K.CONST_DECL or bool(toks and toks[0][0] == "kw_const")
        if declared is not None and init is not None and names:
            self.check(it, declared, init[1], init[1] + init[0].width, "type-mismatch",
                       lambda: "Cannot initialize " + ", ".join(
                           f"'{_significant_text(n)}'" for n, _ in names))
        value = self.const_value(*init) if is_const and init is not None else None
        for _, ns in names:
            sym = self.ctx.sym_at.get(ns)
            if sym is None:
                continue
            if declared is not None:
                self.declare(sym, declared, declared=True)
            else:
                self.declare(sym, it if it is not None else UNKNOWN, inlay=it is not None)
            if value is not None:
                self.values[sym] = value

    def type_section(self, g: GreenNode, s: int) -> None:
        nodes = _nodes(g, s)
        for c, cs in nodes:
            if c.kind == K.TYPE_DECL:
                name = next((n for n in _nodes(c, cs) if n[0].kind == K.NAME), None)
                sym = self.ctx.sym_at.get(name[1]) if name is not None else None
                if sym is not None:
                    self.pending[sym] = (c, cs)
        for c, cs in nodes:
            if c.kind == K.TYPE_DECL:
                self.type_decl(c, cs)
            else:
                self.stmt(c, cs)

    def type_decl(self, g: GreenNode, s: int) -> None:
        name = next((n for n in _nodes(g, s) if n[0].kind == K.NAME), None)
        sym = self.ctx.sym_at.get(name[1]) if name is not None else None
        if sym is None:
            tnode = _first_in(_nodes(g, s), TYPE_KINDS)
            if tnode is not None:
                self.type_of_node(*tnode)
            return
        if sym not in self.local:
            self.pending[sym] = (g, s)
            self.define_type(sym)

    def define_type(self, sym: Symbol) -> Type:
        g, s = self.pending.pop(sym)
        tnode = _first_in(_nodes(g, s), TYPE_KINDS)
        if tnode is None:
            t: Type = Opaque(sym.name)
        else:
            inner = self.type_of_node(*tnode, name=sym.name)
            t = inner if isinstance(inner, RecordType) else Alias(sym.name, inner)
        self.declare(sym, t, declared=True)
        return t

    def function(self, g: GreenNode, s: int) -> None:
        nodes, toks = _parts(g, s)
        is_procedure = bool(toks and toks[0][0] == "kw_procedure")
        sym: Symbol | None = None
        fname = ""
        params: list[Type] = []
        pnames: list[str] = []
        required = 0
        result: Type | None = NONE if is_procedure else None
        for c, cs in nodes:
            if c.kind == K.NAME:
                sym = self.ctx.sym_at.get(cs)
                fname = _significant_text(c)
            elif c.kind == K.PARAM_LIST:
                for group, gs in _nodes(c, cs):
                    if group.kind != K.PARAM_GROUP:
                        continue
                    parts = _nodes(group, gs)
                    tnode = _first_in(parts, TYPE_KINDS)
                    default = _first_in(parts, self.expressions)
                    pt = self.type_of_node(*tnode) if tnode is not None else None
                    dt = self.expr(*default) if default is not None else None
                    if pt is not None and default is not None:
                        self.check(dt, pt, default[1], default[1] + default[0].width,
                                   "type-mismatch", "Default value")
                    ptype = pt if pt is not None else (dt if dt is not None else ANY)
                    for p, ps in parts:
                        if p.kind != K.NAME:
                            continue
                        params.append(ptype)
                        pnames.append(_significant_text(p))
                        if default is None:
                            required = len(params)
                        self.declare(self.ctx.sym_at.get(ps), ptype, declared=pt is not None)
            elif c.kind == K.RESULT_TYPE:
                tnode = _first_in(_nodes(c, cs), TYPE_KINDS)
                if tnode is not None:
                    result = self.type_of_node(*tnode)
        partial = FunctionType(tuple(params), result if result is not None else UNKNOWN,
                               required, names=tuple(pnames))
        self.declare(sym, partial)
        frame = _Frame(sym, fname, result)
        self.frames.append(frame)
        saved = self.narrowed
        self.narrowed = []
        for c, cs in nodes:
            if c.kind not in (K.NAME, K.PARAM_LIST, K.RESULT_TYPE):
                self.stmt(c, cs)
        self.narrowed = saved
        self.frames.pop()
        if result is None:
            result = NONE
            for t in frame.returns:
                result = t if result is NONE and t is not NONE else join(result, t)
            if not frame.returns:
                result = UNKNOWN if self.pascal_result else NONE
        self.declare(sym, FunctionType(tuple(params), result, required, names=tuple(pnames)))

    def class_decl(self, g: GreenNode, s: int) -> None:
        """A class is a record type whose methods are the functions of its body; in an
        indentation (Python-family) language a method's first parameter is the receiver,
        which a call through an instance does not pass."""
        nodes = _nodes(g, s)
        name = next(((c, cs) for c, cs in nodes if c.kind == K.NAME), None)
        sym = self.ctx.sym_at.get(name[1]) if name is not None else None
        for c, cs in nodes:
            if c.kind != K.NAME:
                self.stmt(c, cs)
        if sym is None:
            return
        receiver = self.ctx.definition.structure.block_style is BlockStyle.INDENTATION
        methods: list[tuple[str, FunctionType]] = []
        for method in sym.params:
            ft = self.local.get(method)
            if not isinstance(ft, FunctionType):
                continue
            if receiver and ft.params:
                ft = FunctionType(ft.params[1:], ft.result, max(0, ft.required - 1),
                                  ft.variadic, ft.names[1:])
            methods.append((method.name, ft))
        self.declare(sym, RecordType(sym.name, (), tuple(methods), self.ctx.fold), declared=True)

    def assign(self, g: GreenNode, s: int) -> None:
        nodes = _nodes(g, s)
        if not nodes:
            return
        target, ts = nodes[0]
        value = nodes[1] if len(nodes) > 1 else None
        vt = self.expr(*value) if value is not None else None
        vs, ve = (value[1], value[1] + value[0].width) if value is not None else (s, s)
        if target.kind != K.NAME_REF:
            tt = self.expr(target, ts)
            if vt is not None and self.root_declared(target, ts):
                self.check(vt, tt, vs, ve, "type-mismatch",
                           f"Cannot assign to '{_significant_text(target)}'")
            return
        ref = self.ctx.ref_at.get(ts)
        if ref is None:
            sym = self.ctx.sym_at.get(ts)  # a declaration by assignment
            if sym is not None:
                old = self.local.get(sym)
                if vt is None:
                    new = old if old is not None else UNKNOWN
                else:
                    new = vt if old is None else reassigned(old, vt)
                self.declare(sym, new, inlay=old is None and vt is not None)
                self.record(ts, ts + target.width, self.local[sym])
            return
        sym = ref.symbol
        if sym is None:
            return
        name = ref.name
        if self.pascal_result:
            frame = next((f for f in reversed(self.frames) if f.symbol is sym), None)
            if frame is not None:
                if vt is not None:
                    frame.returns.append(vt)
                    if frame.result is not None:
                        self.check(vt, frame.result, vs, ve, "return-type",
                                   f"Result of '{frame.name}'")
                        self.record(ts, ts + target.width, frame.result)
                return
        current = self.symbol_type(sym)
        self.record(ts, ts + target.width, current)
        if vt is None:
            return
        if self.is_declared(sym):
            self.check(vt, current, vs, ve, "type-mismatch", f"Cannot assign to '{name}'")
        elif sym in self.local:
            self.local[sym] = reassigned(self.local[sym], vt)

    def root_declared(self, g: GreenNode, s: int) -> bool:
        """Is the variable at the root of ``a[i].f`` one whose type was written down?"""
        while g.kind in (K.INDEX_EXPR, K.MEMBER_EXPR, K.PAREN_EXPR):
            nodes = _nodes(g, s)
            if not nodes:
                return False
            g, s = nodes[0]
        if g.kind != K.NAME_REF:
            return False
        ref = self.ctx.ref_at.get(s)
        return ref is not None and ref.symbol is not None and self.is_declared(ref.symbol)

    def for_counted(self, g: GreenNode, s: int) -> None:
        for c, cs in _nodes(g, s):
            if c.kind == K.NAME:
                sym = self.ctx.sym_at.get(cs)
                if sym is not None:
                    self.declare(sym, INT, inlay=True)
            elif c.kind in self.expressions:
                self.expr(c, cs)
            else:
                self.stmt(c, cs)

    def for_in(self, g: GreenNode, s: int) -> None:
        nodes = _nodes(g, s)
        loop_sym = None
        for c, cs in nodes:
            if c.kind == K.NAME:
                loop_sym = self.ctx.sym_at.get(cs)
            elif c.kind in self.expressions:
                elem = element_of(self.expr(c, cs))
                if loop_sym is not None and loop_sym not in self.local:
                    self.declare(loop_sym, elem, inlay=True)
            else:
                self.stmt(c, cs)

    def condition(self, g: GreenNode, s: int) -> tuple[dict[Symbol, Type], dict[Symbol, Type]]:
        t = self.expr(g, s)
        st = strip(t)
        strict = self.ctx.definition.structure.boolean_conditions  # an integer is no truth
        if st in (STR, FLOAT, NONE) or isinstance(st, (ListType, MapType, RecordType,
                                                       FunctionType)) or strict and st is INT:
            shown = self.display(t)
            ig, is_ = g, s
            while ig.kind == K.PAREN_EXPR and _nodes(ig, is_):
                ig, is_ = _nodes(ig, is_)[0]
            self.diag(is_, is_ + ig.width, "error" if strict else "warning",
                      f"Condition should be {self.display(BOOL)}, found {shown} "
                      f"(a {shown} value is not a truth value)", "condition-type",
                      {"expected": self.display(BOOL), "found": shown})
        return self.narrowing(g, s)

    def narrowing(self, g: GreenNode, s: int) -> tuple[dict[Symbol, Type], dict[Symbol, Type]]:
        """Symbols narrowed by a condition: (when true, when false). ``x <> nil`` only."""
        while g.kind == K.PAREN_EXPR:
            inner = _nodes(g, s)
            if not inner:
                return {}, {}
            g, s = inner[0]
        nodes, toks = _parts(g, s)
        if g.kind == K.UNARY_EXPR and toks and (toks[0][0] == "kw_not" or toks[0][1] == "!") \
                and nodes:
            yes, no = self.narrowing(*nodes[0])
            return no, yes
        if g.kind != K.BINARY_EXPR or len(nodes) != 2 or not toks:
            return {}, {}
        op = toks[0][1]
        if op not in _NOT_EQUAL and op not in _EQUAL:
            return {}, {}
        (a, as_), (b, bs) = nodes
        if _is_null(b):
            name, ns = a, as_
        elif _is_null(a):
            name, ns = b, bs
        else:
            return {}, {}
        if name.kind != K.NAME_REF:
            return {}, {}
        ref = self.ctx.ref_at.get(ns)
        if ref is None or ref.symbol is None:
            return {}, {}
        t = self.symbol_type(ref.symbol)
        st = strip(t)
        if not (isinstance(st, UnionType) and NONE in st.members):
            return {}, {}
        present: dict[Symbol, Type] = {ref.symbol: without_none(t)}
        absent: dict[Symbol, Type] = {ref.symbol: NONE}
        return (present, absent) if op in _NOT_EQUAL else (absent, present)

    def if_stmt(self, g: GreenNode, s: int) -> None:
        nodes = _nodes(g, s)
        cond = _first_in(nodes, self.expressions)
        yes: dict[Symbol, Type] = {}
        otherwise: dict[Symbol, Type] = {}
        if cond is not None:
            yes, otherwise = self.condition(*cond)
        for c, cs in nodes:
            if cond is not None and cs == cond[1] and c is cond[0]:
                continue
            if c.kind == K.ELIF_CLAUSE:
                self.narrowed.append(otherwise)
                eno = self.guarded(_nodes(c, cs))
                self.narrowed.pop()
                otherwise = {**otherwise, **eno}
            elif c.kind == K.ELSE_CLAUSE:
                self.narrowed.append(otherwise)
                self.stmt(c, cs)
                self.narrowed.pop()
            else:
                self.narrowed.append(yes)
                self.stmt(c, cs)
                self.narrowed.pop()

    def while_stmt(self, g: GreenNode, s: int) -> None:
        self.guarded(_nodes(g, s))

    def guarded(self, nodes: list[tuple[GreenNode, int]]) -> dict[Symbol, Type]:
        """The statements of a construct guarded by its condition (a while loop, an
        else-if arm), checked with the condition's narrowing; returns the narrowing
        that holds when the condition is false."""
        cond = _first_in(nodes, self.expressions)
        yes: dict[Symbol, Type] = {}
        no: dict[Symbol, Type] = {}
        if cond is not None:
            yes, no = self.condition(*cond)
        self.narrowed.append(yes)
        for c, cs in nodes:
            if cond is None or c is not cond[0]:
                self.stmt(c, cs)
        self.narrowed.pop()
        return no

    def repeat_stmt(self, g: GreenNode, s: int) -> None:
        for c, cs in _nodes(g, s):
            if c.kind in self.expressions:
                self.condition(c, cs)
            else:
                self.stmt(c, cs)

    def return_stmt(self, g: GreenNode, s: int) -> None:
        value = _first_in(_nodes(g, s), self.expressions)
        t = self.expr(*value) if value is not None else None
        if not self.frames or t is None or value is None:
            return
        frame = self.frames[-1]
        frame.returns.append(t)
        if frame.result is not None:
            self.check(t, frame.result, value[1], value[1] + value[0].width, "return-type",
                       f"Return value of '{frame.name}'")

    def import_stmt(self, g: GreenNode, s: int) -> None:
        for _c, cs in _nodes(g, s):
            sym = self.ctx.sym_at.get(cs)
            if sym is not None:
                self.declare(sym, Opaque(sym.name))

    def program_header(self, g: GreenNode, s: int) -> None:
        for c, cs in _nodes(g, s):
            if c.kind == K.NAME:
                sym = self.ctx.sym_at.get(cs)
                if sym is not None:
                    self.declare(sym, Opaque(sym.name))


    # ------------------------------------------------------------ types written down

    def type_of_node(self, g: GreenNode, s: int, name: str | None = None) -> Type:
        kind = g.kind
        if kind == K.TYPE_REF:
            ref = self.ctx.ref_at.get(s)
            if ref is not None and ref.symbol is not None \
                    and ref.symbol.kind == SymbolKind.TYPE:
                return self.symbol_type(ref.symbol)
            return self.ctx.names.lookup(_significant_text(g))
        nodes, toks = _parts(g, s)
        if kind == K.LIST_TYPE:
            inner = _first_in(nodes, TYPE_KINDS)
            return ListType(self.type_of_node(*inner) if inner is not None else UNKNOWN)
        if kind == K.ARRAY_TYPE:
            dims: list[tuple[int | None, int | None]] = []
            elem: Type = UNKNOWN
            for c, cs in nodes:
                if c.kind in TYPE_KINDS:
                    elem = self.type_of_node(c, cs)
                elif c.kind == K.RANGE_EXPR:
                    self.expr(c, cs)
                    ends = _nodes(c, cs)
                    lo = self.const_value(*ends[0]) if ends else None
                    hi = self.const_value(*ends[1]) if len(ends) > 1 else None
                    dims.append((lo, hi))
                elif c.kind in self.expressions:
                    self.expr(c, cs)
                    size = self.const_value(c, cs)
                    base = self.index_base
                    dims.append((base, base + size - 1 if size is not None else None))
            t = elem
            for lo, hi in reversed(dims or [(self.index_base, None)]):
                t = ListType(t, lo, hi) if hi is not None else ListType(t)
            return t
        if kind == K.RECORD_TYPE:
            fields: list[tuple[str, Type]] = []
            for c, cs in nodes:
                if c.kind != K.FIELD_DECL:
                    continue
                parts = _nodes(c, cs)
                tnode = _first_in(parts, TYPE_KINDS)
                ft = self.type_of_node(*tnode) if tnode is not None else UNKNOWN
                for p, ps in parts:
                    if p.kind == K.NAME:
                        fields.append((_significant_text(p), ft))
                        self.declare(self.ctx.sym_at.get(ps), ft, declared=True)
            return RecordType(name or "record", tuple(fields), (), self.ctx.fold)
        return UNKNOWN

    def const_value(self, g: GreenNode, s: int) -> int | None:
        kind = g.kind
        if kind == K.LITERAL:
            tok = _first_token(g)
            return number_value(tok[1]) if tok is not None and tok[0] == NUMBER else None
        nodes, toks = _parts(g, s)
        if kind == K.PAREN_EXPR and nodes:
            return self.const_value(*nodes[0])
        if kind == K.UNARY_EXPR and nodes and toks:
            v = self.const_value(*nodes[0])
            if v is None:
                return None
            return -v if toks[0][1] == "-" else v if toks[0][1] == "+" else None
        if kind == K.BINARY_EXPR and len(nodes) == 2 and toks:
            a, b = self.const_value(*nodes[0]), self.const_value(*nodes[1])
            if a is None or b is None:
                return None
            op = toks[0][1].lower()
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return None
        if kind == K.NAME_REF:
            ref = self.ctx.ref_at.get(s)
            if ref is None or ref.symbol is None:
                return None
            if ref.symbol in self.values:
                return self.values[ref.symbol]
            if self.base <= ref.symbol.start < self.end:
                return None
            exp = self.ctx.external(ref.symbol)
            return exp.value if exp is not None else None
        return None

    # ------------------------------------------------------------ expressions

    def record(self, start: int, end: int, t: Type) -> None:
        self.result.exprs.append((start - self.base, end - self.base, t))

    def expr(self, g: GreenNode, s: int) -> Type:
        """The type of an expression, recorded. A chain (`a.f.f`, `a[1][1]`, `f(1)(2)`,
        `a + b + c`) nests along its first operand as deep as it is long, which the parser
        does not bound: its levels are unwound with a list, innermost first, as the
        recursion through each handler would (same types, same records, same order)."""
        if g.kind not in _CHAIN_STEPS:  # a name, a literal: no chain
            return self._expr_level(g, s)
        spine: list[tuple[GreenNode, int, Any]] = []
        while True:
            step = _CHAIN_STEPS.get(g.kind)
            parts = step(g, s) if step is not None else None
            if parts is None:
                break
            spine.append((g, s, parts))
            g, s = parts[0]  # the first operand's node and start
        t = self._expr_level(g, s)
        while spine:
            g, s, parts = spine.pop()
            t = _CHAIN_RESTS[g.kind](self, g, s, parts[1], t)
            self.result.exprs.append((s - self.base, s + g.width - self.base, t))
        return t

    def _expr_level(self, g: GreenNode, s: int) -> Type:
        handler = _EXPRESSIONS.get(g.kind)
        if handler is None:
            operands = [self.expr(c, cs) for c, cs in _nodes(g, s) if c.kind in self.expressions]
            result = self.form_results.get(g.kind)
            if result is None:
                return UNKNOWN
            t = self.form_result(result, operands)
        else:
            t = handler(self, g, s)
        self.result.exprs.append((s - self.base, s + g.width - self.base, t))
        return t

    def form_result(self, result: str, operands: list[Type]) -> Type:
        """A grammar extension form's value: its ``result_type``, a type or ``operand N``
        (the type of its N-th operand; unknown when it has fewer)."""
        if result.startswith("operand "):
            at = int(result[len("operand "):]) - 1
            return operands[at] if at < len(operands) else UNKNOWN
        return self.parse(result)

    def literal(self, g: GreenNode, s: int) -> Type:
        tok = _first_token(g)
        if tok is None:
            return UNKNOWN
        kind = tok[0]
        if kind == NUMBER:
            return number_type(tok[1])
        if kind in (STRING, UNTERMINATED_STRING):
            return STR
        if kind in ("kw_true", "kw_false"):
            return BOOL
        if kind == "kw_null":
            return NONE
        return UNKNOWN

    def name_ref(self, g: GreenNode, s: int) -> Type:
        return self.name_type(s, bare=True)

    def name_type(self, s: int, bare: bool) -> Type:
        ref = self.ctx.ref_at.get(s)
        if ref is None:
            sym = self.ctx.sym_at.get(s)
            return self.symbol_type(sym) if sym is not None else UNKNOWN
        t: Type
        if ref.symbol is not None:
            t = self.symbol_type(ref.symbol)
            if ref.symbol.kind not in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
                return t
        elif ref.builtin is not None:
            found = self.ctx.names.builtin_named(ref.builtin)
            if found is None:
                return UNKNOWN
            t = found
        else:
            return UNKNOWN
        if bare and self.bare_calls and isinstance(t, FunctionType) and t.required == 0:
            return t.result  # a call without parentheses (Pascal, BASIC)
        return t

    def binary(self, g: GreenNode, s: int) -> Type:
        nodes, op = _binary_parts(g, s)
        if len(nodes) != 2 or op is None:
            for c, cs in nodes:
                self.expr(c, cs)
            return UNKNOWN
        return self.binary_rest(g, s, (nodes, op), self.expr(*nodes[0]))

    def binary_rest(self, g: GreenNode, s: int,
                    parts: tuple[list[tuple[GreenNode, int]], tuple[str, str]], lt: Type) -> Type:
        """A binary expression once its left operand's type is known."""
        nodes, op = parts
        rt = self.expr(*nodes[1])
        return self.binary_result(op[0], op[1], lt, rt)

    def binary_result(self, kind: str, text: str, lt: Type, rt: Type) -> Type:
        concept = kind[3:] if kind.startswith("kw_") else None
        if text in COMPARISON_SYMBOLS or concept == "in":
            return BOOL
        ls, rs = strip(lt), strip(rt)
        lowered = text.lower()
        if concept in ("and", "or", "xor") or text in ("&&", "||") or lowered in ("and", "or",
                                                                                  "xor"):
            if ls is INT and rs is INT:
                return INT  # bitwise on integers (Pascal, BASIC)
            return BOOL
        key = lowered if (self.ctx.fold or text[:1].isalpha()) else text
        op = self.ctx.operators.get(key) or self.ctx.operators.get(text)
        if op is not None and op.result:
            return self.parse(op.result)
        if concept in ("div", "mod") or lowered in ("div", "mod"):
            return INT
        if text == "/":
            return FLOAT
        if text == "+":
            if ls is STR or rs is STR:
                return STR
            if isinstance(ls, ListType) and isinstance(rs, ListType):
                return ListType(join(ls.elem, rs.elem))
        return numeric(ls, rs)

    def range_expr(self, g: GreenNode, s: int) -> Type:
        types = [self.expr(c, cs) for c, cs in _nodes(g, s)]
        if len(types) != 2:
            return ListType(UNKNOWN)
        return ListType(join(types[0], types[1]))

    def unary(self, g: GreenNode, s: int) -> Type:
        nodes, toks = _parts(g, s)
        if not nodes:
            return UNKNOWN
        t = self.expr(*nodes[0])
        if not toks:
            return t
        kind, text = toks[0][0], toks[0][1]
        st = strip(t)
        if kind == "kw_not" or text.lower() == "not":
            return INT if st is INT else BOOL
        if text == "!":
            return BOOL
        if text in ("-", "+"):
            return t if st in NUMERIC else (ANY if st is ANY else UNKNOWN)
        op = self.ctx.operators.get(text.lower() if self.ctx.fold else text)
        if op is not None and op.result:
            return self.parse(op.result)
        return UNKNOWN

    def paren(self, g: GreenNode, s: int) -> Type:
        nodes = _nodes(g, s)
        return self.expr(*nodes[0]) if nodes else UNKNOWN

    def call(self, g: GreenNode, s: int) -> Type:
        nodes = _nodes(g, s)
        if not nodes:
            return UNKNOWN
        callee, cs = nodes[0]
        if callee.kind != K.NAME_REF:
            return self.call_rest(g, s, nodes, self.expr(callee, cs))
        ct = self.name_type(cs, bare=False)
        self.record(cs, cs + callee.width, ct)
        ref = self.ctx.ref_at.get(cs)
        cname = ref.name if ref is not None else _significant_text(callee)
        return self.call_args(nodes, ct, ref, cname)

    def call_rest(self, g: GreenNode, s: int, nodes: list[tuple[GreenNode, int]],
                  ct: Type) -> Type:
        """A call whose callee is an expression, once the callee's type is known."""
        return self.call_args(nodes, ct, None, None)

    def call_args(self, nodes: list[tuple[GreenNode, int]], ct: Type, ref: Reference | None,
                  cname: str | None) -> Type:
        """The arguments of a call and its type (``cname``: None for the callee's text,
        made only when an argument is checked against a parameter)."""
        args: list[tuple[GreenNode, int]] = []
        for c, a in nodes[1:]:
            if c.kind == K.ARG_LIST:
                args.extend((x, xs) for x, xs in _nodes(c, a) if x.kind in self.expressions)
        arg_types = [self.expr(x, xs) for x, xs in args]
        if ref is not None and ref.symbol is not None and ref.symbol.kind == SymbolKind.TYPE:
            return ct  # a conversion to a named type
        ft = strip(ct)
        if self.paren_index and (isinstance(ft, (ListType, MapType)) or ft is STR):
            for _ in args:  # BASIC's a(i): an index, one level per argument
                ct = index_of(ct)
            return ct
        if isinstance(ft, FunctionType):
            if cname is None:
                cname = _significant_text(nodes[0][0])
            self.check_arguments(ft, cname, args, arg_types)
            if ft.numeric_generic and arg_types and all(strip(a) is INT for a in arg_types):
                return INT
            return ft.result
        return ANY if ft is ANY else UNKNOWN

    def check_arguments(self, ft: FunctionType, callee: str, args: list[tuple[GreenNode, int]],
                        types: list[Type]) -> None:
        for i, ((a, s), t) in enumerate(zip(args, types, strict=True)):
            if i < len(ft.params):
                pt = ft.params[i]
            elif ft.variadic and ft.params:
                pt = ft.params[-1]
            else:
                break
            if t is pt:
                continue
            pname = ft.names[min(i, len(ft.names) - 1)] if ft.names else ""
            self.check(t, pt, s, s + a.width, "argument-type",
                       lambda i=i, pname=pname: f"Argument {i + 1} of '{callee}'"  # type: ignore[misc]
                       + (f" ({pname})" if pname else ""),
                       {"callee": callee, "parameter": pname, "index": i})

    def index(self, g: GreenNode, s: int) -> Type:
        nodes = _nodes(g, s)
        if not nodes:
            return UNKNOWN
        return self.index_rest(g, s, nodes, self.expr(*nodes[0]))

    def index_rest(self, g: GreenNode, s: int, nodes: list[tuple[GreenNode, int]],
                   t: Type) -> Type:
        """An index expression once the indexed value's type is known."""
        for c, cs in nodes[1:]:
            if c.kind == K.ARG_LIST:
                for x, xs in _nodes(c, cs):
                    if x.kind in self.expressions:
                        self.expr(x, xs)
                        t = index_of(t)
        return t

    def member(self, g: GreenNode, s: int) -> Type:
        nodes = _nodes(g, s)
        if not nodes:
            return UNKNOWN
        return self.member_rest(g, s, nodes, self.expr(*nodes[0]))

    def member_rest(self, g: GreenNode, s: int, nodes: list[tuple[GreenNode, int]],
                    bt: Type) -> Type:
        """A member access once the receiver's type is known."""
        if len(nodes) < 2:
            return UNKNOWN
        m, ms = nodes[1]
        t = self.member_type(bt, _significant_text(m))
        self.record(ms, ms + m.width, t)
        return t

    def member_type(self, t: Type, name: str) -> Type:
        st = without_none(t)
        if isinstance(st, RecordType):
            found = st.member(name)
            return found[1] if found is not None else UNKNOWN
        if isinstance(st, ProtocolType):
            member = st.member(name)
            return member.type if member is not None else UNKNOWN
        if st is ANY:
            return ANY
        if is_dynamic(st):
            return UNKNOWN
        fold = self.ctx.fold
        key = name.lower() if fold else name
        for m in builtin_members(self.ctx.definition, st):
            if (m.name.lower() if fold else m.name) == key:
                return m.type
        return UNKNOWN

    def list_expr(self, g: GreenNode, s: int) -> Type:
        types = [self.expr(c, cs) for c, cs in _nodes(g, s) if c.kind in self.expressions]
        if not types:
            return ListType(ANY)
        elem = types[0]
        for t in types[1:]:
            elem = join(elem, t)
        return ListType(elem)


# The handlers by node kind: tables at module level, not in the class (compiled with
# mypyc, a class attribute holding methods is not supported).
_STATEMENTS: Final[dict[str, Callable[[Inferencer, GreenNode, int], None]]] = {
    K.LET_STMT: Inferencer.declaration,
    K.VAR_DECL: Inferencer.declaration,
    K.CONST_DECL: Inferencer.declaration,
    K.TYPE_SECTION: Inferencer.type_section,
    K.TYPE_DECL: Inferencer.type_decl,
    K.FUNCTION_DECL: Inferencer.function,
    K.CLASS_DECL: Inferencer.class_decl,
    K.ASSIGN_STMT: Inferencer.assign,
    K.FOR_STMT: Inferencer.for_counted,
    K.FOR_IN_STMT: Inferencer.for_in,
    K.IF_STMT: Inferencer.if_stmt,
    K.WHILE_STMT: Inferencer.while_stmt,
    K.REPEAT_STMT: Inferencer.repeat_stmt,
    K.RETURN_STMT: Inferencer.return_stmt,
    K.IMPORT_STMT: Inferencer.import_stmt,
    K.PROGRAM_HEADER: Inferencer.program_header,
}

_EXPRESSIONS: Final[dict[str, Callable[[Inferencer, GreenNode, int], Type]]] = {
    K.LITERAL: Inferencer.literal,
    K.NAME_REF: Inferencer.name_ref,
    K.BINARY_EXPR: Inferencer.binary,
    K.RANGE_EXPR: Inferencer.range_expr,
    K.UNARY_EXPR: Inferencer.unary,
    K.PAREN_EXPR: Inferencer.paren,
    K.CALL_EXPR: Inferencer.call,
    K.INDEX_EXPR: Inferencer.index,
    K.MEMBER_EXPR: Inferencer.member,
    K.LIST_EXPR: Inferencer.list_expr,
}


def _member_step(g: GreenNode, s: int
                 ) -> tuple[tuple[GreenNode, int], list[tuple[GreenNode, int]]] | None:
    """A member access or an index: its first operand (evaluated first) and its child
    nodes (None: not a chain step)."""
    nodes = _nodes(g, s)
    return (nodes[0], nodes) if nodes else None


def _call_step(g: GreenNode, s: int
               ) -> tuple[tuple[GreenNode, int], list[tuple[GreenNode, int]]] | None:
    """A call by an expression (a call by name is one level: not a chain step)."""
    nodes = _nodes(g, s)
    return (nodes[0], nodes) if nodes and nodes[0][0].kind != K.NAME_REF else None


def _binary_step(g: GreenNode, s: int) -> tuple[tuple[GreenNode, int], tuple[
        list[tuple[GreenNode, int]], tuple[str, str]]] | None:
    nodes, op = _binary_parts(g, s)
    return (nodes[0], (nodes, op)) if len(nodes) == 2 and op is not None else None


# ``Inferencer.expr``'s chains: how a level is split (its first operand first in what
# the step gives) and how its type is made once the first operand's type is known
_CHAIN_STEPS: Final[dict[str, Callable[[GreenNode, int], Any]]] = {
    K.MEMBER_EXPR: _member_step,
    K.INDEX_EXPR: _member_step,
    K.CALL_EXPR: _call_step,
    K.BINARY_EXPR: _binary_step,
}
_CHAIN_RESTS: Final[dict[str, Callable[[Inferencer, GreenNode, int, Any, Type], Type]]] = {
    K.MEMBER_EXPR: Inferencer.member_rest,
    K.INDEX_EXPR: Inferencer.index_rest,
    K.CALL_EXPR: Inferencer.call_rest,
    K.BINARY_EXPR: Inferencer.binary_rest,
}


def _is_null(g: GreenNode) -> bool:
    if g.kind != K.LITERAL:
        return False
    tok = _first_token(g)
    return tok is not None and tok[0] == "kw_null"


def numeric(ls: Type, rs: Type) -> Type:
    if ls is INT and rs is INT:
        return INT
    if ls in NUMERIC and rs in NUMERIC:
        return FLOAT
    if ls is ANY or rs is ANY:
        return ANY
    return UNKNOWN


def index_of(t: Type) -> Type:
    st = strip(t)
    if isinstance(st, ListType):
        return st.elem
    if st is STR:
        return STR
    if isinstance(st, MapType):
        return st.value
    return ANY if st is ANY else UNKNOWN


def reassigned(old: Type, new: Type) -> Type:
    """The type of an unannotated variable assigned ``new`` again: a value whose type is
    not known (a call giving any, an opaque value) makes it ``any``, as the grammar
    level has it (``grammar_infer.untyped_assigned``): it may now hold anything, so the
    type it had must not check later uses."""
    if old is not UNKNOWN and is_dynamic(new):
        return ANY
    return widen(old, new)


def widen(old: Type, new: Type) -> Type:
    """The type of an unannotated variable after another assignment (flow-insensitive)."""
    if old is UNKNOWN or old is NONE and is_dynamic(new):
        return new
    if is_dynamic(new) or is_dynamic(old):
        return old
    return join(old, new)
