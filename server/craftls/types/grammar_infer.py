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
from ..semantics.implicit_types import Implicit, implicit_mark
from ..semantics.model import Reference, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.grammar import RANGE_OPERATOR
from ..syntax.tokens import NUMBER, STRING, TRIVIA, UNTERMINATED_STRING
from ..syntax.tree import GreenNode, SyntaxNode, SyntaxToken, kind_bit
from . import model as M
from .assignability import assignable, join
from .infer import numeric, reassigned
from .model import FunctionType, Type, element_of, is_dynamic, strip

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
# the constructs whose condition narrows a name's type in their body (``narrowing``)
_NARROWING = frozenset({"if", "while"})
_ELSE = "kw_else"
Narrowing = dict[Symbol, Type]


def _else_if_arm(spec: RunSpec | None) -> bool:
    """An ``if`` with a condition of its own inside another's children: an else-if arm
    (an ``if`` part without one is the construct's rest: its body and arms)."""
    return spec is not None and spec.construct == "if" \
        and any(name == "condition" for name, _ in spec.parts)
_CONDITIONS = frozenset({"if", "while", "repeat", "loop"})
_COMPOSITE = (M.ListType, M.RecordType)
_PRIMITIVES = frozenset({M.INT, M.FLOAT, M.BOOL, M.STR})
_NUMBERS = (M.INT, M.FLOAT, M.BOOL)  # where numbers convert (BASIC), a truth value is one
_RECORDS = frozenset({"record", "object", "class"})  # types of fields and methods
_OPAQUE = frozenset({SymbolKind.PROGRAM, SymbolKind.MODULE})
_IMPLICIT = frozenset({SymbolKind.VARIABLE, SymbolKind.PARAMETER,  # typed by their letter
                       SymbolKind.LOOP_VARIABLE})
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
        self.overload_bits = 0  # their ``GreenNode.kinds`` bits: is one below a node?
        for kind in self.overloads:
            self.overload_bits |= kind_bit(kind)
        # only the definition's own table: a name it does not list is unknown; but a
        # keyword-level definition served through its block style's template knows the
        # type names its keyword level knows (``int``, ``string``: ``TypeNames.lookup``)
        self.types: dict[str, Type] = {self.key(k): names.parse(v)
                                       for k, v in definition.types.items()}
        self.names = names if definition.structure.engine == "template" else None
        # such a definition is typed by the keyword level's rules where they differ
        # (``keyword_binary``, ``keyword_condition``, builtins' arguments checked, a
        # value of any type or none inferred): its answers are its keyword level's
        self.keyword_rules = self.names is not None
        # a type shown by its own name is an alias of the type it is checked as: a name
        # of ``types:`` or a type word of a ``type_name`` rule (QBasic's DOUBLE)
        words = {self.key(w): t for spec in self.runs.values()
                 if spec.construct == "type_name" for w, t in spec.types}
        self.shown: dict[str, Type] = {}
        for shown in definition.structure.shown_types:
            key = self.key(shown)
            found = self.types.get(key)
            if found is None and key in words:
                found = names.parse(words[key])
            if found is not None:
                self.types[key] = self.shown[key] = M.Alias(shown, found)
        # the result an operator's definition declares (Lua's `..`: a string)
        self.results: dict[str, Type] = {self.key(o.symbol): names.parse(o.result)
                                         for o in definition.operators if o.result}
        self.boolean_conditions = definition.structure.boolean_conditions
        self.numbers_convert = definition.structure.numbers_convert
        self.reference_variables = definition.structure.by_reference_variables
        # the type a name's last character gives it (QBasic's a$: a string; a# the
        # DOUBLE ``shown_types`` shows)
        self.marks: dict[str, Type] = {mark: self.shown.get(self.key(t)) or names.parse(t)
                                       for mark, t in definition.structure.mark_types}
        self.marks_by_length = sorted(self.marks, key=len, reverse=True)
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
        self._selectors: dict[int, dict[str, str]] = {}
        # the prefixes of a character code written as a number token (Pascal's #13)
        self.codes = tuple(sorted({r.code for r in self.runs.values()
                                   if r.construct == "text" and r.code}))

    def marked(self, name: str, implicit: Implicit | None = None) -> Type:
        """The type a name's mark gives it (``structure.mark_types``); else, given the
        file's ``implicit`` marks (``structure.implicit_types``), the type of the mark
        its first letter gives it (QBasic's `x`: SINGLE, `i` after DEFINT I-N: INTEGER);
        else unknown."""
        # the longest mark that ends it, as names are read (QB64's `x~&` is `~&`, not `&`)
        for mark in self.marks_by_length:
            if name.endswith(mark):
                return self.marks[mark]
        if implicit is not None and name:
            return self.marks.get(implicit_mark(implicit, name), M.UNKNOWN)
        return M.UNKNOWN

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

    def selector_rules(self, spec: RunSpec) -> dict[str, str]:
        """An ``index`` or ``assign`` node's selector rules by their role: the rule each
        of its ``index``, ``field``, ``deref`` and ``args`` parts names."""
        found = self._selectors.get(id(spec))
        if found is None:
            found = self._selectors[id(spec)] = {
                step.rule: role for role, selectors in spec.parts
                if role in ("index", "field", "deref", "args")
                for selector in selectors for step in selector[:1] if step.kind == "rule"}
        return found

    def words(self, words: tuple[str, ...]) -> frozenset[str]:
        found = self._words.get(words)
        if found is None:
            found = self._words[words] = frozenset(self.key(w) for w in words)
        return found

    def condition_units(self, root: SyntaxNode, nodes: list[GreenNode], starts: list[int],
                        loops: frozenset[str] = frozenset()) -> list[int]:
        """The units (of ``nodes`` at ``starts``) that are the condition of a loop that
        holds statements (``guarded``) or of a loop split as a guarded one (``loops``:
        ``item_walks.Splits.guarded``), found by descending only into nodes holding one."""
        guarded = self.guarded | loops
        if not guarded or not nodes:
            return []
        bits = 0
        for kind in guarded:
            bits |= kind_bit(kind)
        walk = _Walk(self, None)  # type: ignore[arg-type]  # its parts only
        found = []
        pending = [root]
        while pending:
            node = pending.pop()
            if node.kind in guarded:
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
        node = walk.root = SyntaxNode(green, start)
        if condition:
            walk.condition(node, None)
        else:
            walk.visit(node)


def grammar_types(definition: LanguageDefinition, names: TypeNames) -> GrammarTypes | None:
    """The walk for a grammar-defined language; None for a keyword-level one."""
    return GrammarTypes(definition, names) if definition.grammar is not None else None


class _Returns:
    """A routine being walked: its declared result and the types its returns give."""

    __slots__ = ("symbol", "result", "types")

    def __init__(self, symbol: Symbol, result: Type) -> None:
        self.symbol, self.result = symbol, result
        self.types: list[Type] = []


class _Walk:
    def __init__(self, spec: GrammarTypes, inf: Inferencer) -> None:
        self.spec = spec
        self.inf = inf
        # the routines being walked: (symbol, result type) for `f := value` in f
        self.frames: list[tuple[Symbol, Type]] = []
        # the unit's root, and its type declarations walked (or being walked): a type
        # named before its declaration in the same unit is walked first (`PNode = ^TNode`
        # before TNode), as where each is a unit of its own (a cycle is cut alike)
        self.root: SyntaxNode | None = None
        self.typedefs: set[Symbol] = set()
        # the routines being walked, for the values their return statements give
        self.returns: list[_Returns] = []

    # ------------------------------------------------------------ statements

    def visit(self, node: SyntaxNode) -> None:
        if node.kind == K.NAME_REF and self.spec.keyword_rules:
            self.expr(node)  # a statement of a name alone: a call of it without arguments
            return
        spec = self.spec.runs.get(node.kind)
        construct = spec.construct if spec is not None else ""
        meaning = self.spec.meanings.get(node.kind)
        if meaning is not None:
            self.declaring(node, meaning, construct)
        if spec is None or node.kind in self.spec.statement_lists:
            # a statement list's children are walked alone, as where name resolution
            # analyses each one as an item of its own; the condition of one that is a
            # loop (Pascal's `repeat ... until c`) is checked as a condition, as where
            # it is a unit of its own (``condition_units``)
            self.conditional(node, spec if node.kind in self.spec.guarded else None)
        elif construct in _STATEMENT_HANDLERS:
            _STATEMENT_HANDLERS[construct](self, node, spec)
        elif construct in _CONDITIONS:
            self.conditional(node, spec)
        elif construct == "typedef" or construct == "record" and spec.part("name"):
            self.typedef(node, spec)
        elif construct == "declare" and spec.part("value"):
            self.declaration(node, spec)
        elif construct in _EXPRESSIONS:
            self.expr(node)
        else:
            self.children(node)

    def declaring(self, node: SyntaxNode, meaning: Meaning, construct: str) -> None:
        """What a node's meaning declares, typed before its children are walked."""
        if meaning.implicit_parameter and meaning.opens:
            self.receiver(node)
        if construct != "const" and (
                meaning.declares in _TYPED or meaning.assigns and construct == "declare"):
            # a declared name; or a declaration that assigns (QBasic's DIM a(9) AS LONG:
            # an array may be dimensioned again)
            self.declared_name(node)
        elif meaning.declares in _OPAQUE and self.spec.keyword_rules:
            self.opaque(node)
        elif meaning.assigns and self.spec.marks:
            self.loop_variable(node)

    def loop_variable(self, node: SyntaxNode) -> None:
        """A loop's variable without a written type where names are typed by their mark
        or letter (QBasic's FOR i%, or FOR i after DEFINT I): of that type."""
        name = node.child_of_kind(K.NAME_REF)
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        if name is None or sym is None or sym.kind != SymbolKind.LOOP_VARIABLE \
                or sym in self.inf.local \
                or any(self.is_type(c) for c in node.children()):
            return
        named = self.spec.marked(_text(name), self.implicit_for(sym))
        if named is not M.UNKNOWN:
            self.inf.declare(sym, named, declared=True)
            self.inf.record(name.start, name.end, named)

    def opaque(self, node: SyntaxNode) -> None:
        """A program's or an imported module's name is a type of its own, as the keyword
        level has it (a template's, whose keyword level shows it)."""
        name = node.child_of_kind(K.NAME_REF)
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        if sym is not None and sym not in self.inf.local:
            self.inf.declare(sym, M.Opaque(sym.name))

    def declaration(self, node: SyntaxNode, spec: RunSpec) -> None:
        """Variables with values (Lua's ``local a, b = 1, "x"``): a name without a written
        type (nor a mark) is of its value's type, shown as an inlay hint (``inferred``)."""
        parts = self.parts(node, spec, ("names", "type", "value"))
        values = self.flat(parts.get("value")) if parts is not None else []
        if parts is None or not values:
            return self.children(node)
        if parts.get("type"):
            return self.initialized(node, parts, values)
        starts = {(v.start, v.kind) for v in values}
        for child in node.children():
            if (child.start, child.kind) not in starts:
                self.visit(child)
        types = [self.value_type(v) for v in values]
        # by place: a name past the values takes a call's further results, or nil
        for name, t in zip(self.flat(parts.get("names")), types, strict=False):
            ref = name if name.kind == K.NAME_REF else name.child_of_kind(K.NAME_REF)
            self.inferred(ref, t)

    def initialized(self, node: SyntaxNode, parts: dict[str, list[list[SyntaxNode]]],
                    values: list[SyntaxNode]) -> None:
        """Variables of a written type with initial values (Free Pascal's ``var n:
        Integer = 5;``): each value, by place, is checked against its variable's type as
        a typed constant's is."""
        starts = {(v.start, v.kind) for v in values}
        for child in node.children():
            if (child.start, child.kind) not in starts:
                self.visit(child)  # the names and their type first: the values' targets
        types = [self.value_type(v) for v in values]
        names = self.flat(parts.get("names"))
        for name, value, vt in zip(names, values, types, strict=False):
            ref = name if name.kind == K.NAME_REF else name.child_of_kind(K.NAME_REF)
            sym = self.inf.ctx.sym_at.get(ref.start) if ref is not None else None
            if sym is None or not self.inf.is_declared(sym):
                continue
            declared = self.inf.symbol_type(sym)
            if declared is not M.UNKNOWN:
                self.check(vt, declared, value, "type-mismatch", f"Cannot initialize '{sym.name}'")

    def inferred(self, name: SyntaxNode | None, t: Type) -> None:
        """The variable ``name`` declares, no type written for it, holds a ``t`` value:
        it is of that type (not declared: its other values are not checked against it),
        shown as an inlay hint. Not where numbers convert: there a number takes the
        variable's own type, which its mark or the program's defaults give (QBasic's
        ``x = 1`` makes a SINGLE, or whatever DEFINT says)."""
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        if sym is None or self.inf.is_declared(sym) \
                or self.inf.local.get(sym, M.UNKNOWN) is not M.UNKNOWN:
            return
        st = strip(t)
        if st is M.UNKNOWN or not self.spec.keyword_rules and (st is M.NONE or is_dynamic(st)) \
                or self.spec.numbers_convert and st in _NUMBERS:
            return
        if self.spec.marks and self.spec.marked(_text(name)) is not M.UNKNOWN:  # type: ignore[arg-type]
            return
        self.inf.declare(sym, t, inlay=True)

    def value_type(self, node: SyntaxNode) -> Type:
        """An initial value's type, walked as ``visit`` walks it."""
        spec = self.spec.runs.get(node.kind)
        if node.kind in (K.LITERAL, K.NAME_REF) or spec is not None \
                and spec.construct in _EXPRESSIONS:
            return self.expr(node)
        kids = list(node.children())
        if spec is None and len(kids) == 1 and not _tokens(node.green):
            return self.value_type(kids[0])
        self.visit(node)
        return M.UNKNOWN

    def counted_for(self, node: SyntaxNode, spec: RunSpec) -> None:
        """A counted loop whose variable it declares (Lua's ``for i = 1, 10``): of the
        type of its start and step."""
        parts = self.parts(node, spec, ("var", "start", "step", "vars", "iterable"))
        var = self.one(parts.get("var")) if parts is not None else None
        start = self.one(parts.get("start")) if parts is not None else None
        if parts is not None and start is None and parts.get("iterable"):
            return self.iterated(node, parts)
        if parts is None or var is None or start is None:
            return self.children(node)
        ref = var if var.kind == K.NAME_REF else var.child_of_kind(K.NAME_REF)
        sym = self.inf.ctx.sym_at.get(ref.start) if ref is not None else None
        if sym is None or sym.kind != SymbolKind.LOOP_VARIABLE:
            return self.children(node)  # a variable declared elsewhere (Pascal's)
        step = self.one(parts.get("step"))
        skip = {(n.start, n.kind) for n in (start, step) if n is not None}
        types = [strip(self.value_type(n)) for n in (start, step) if n is not None]
        if all(t in M.NUMERIC for t in types):
            self.inferred(ref, M.INT if all(t is M.INT for t in types) else M.FLOAT)
        for child in node.children():
            if (child.start, child.kind) not in skip:
                self.visit(child)

    def iterated(self, node: SyntaxNode, parts: dict[str, list[list[SyntaxNode]]]) -> None:
        """``for x in xs``: the one variable the loop declares is of the type of the
        elements of what it goes through (an array's, a text's characters), where known."""
        iterable = self.one(parts.get("iterable"))
        names = self.flat(parts.get("vars"))
        if iterable is None:
            return self.children(node)
        elem = element_of(strip(self.value_type(iterable)))
        if len(names) == 1 and elem is not M.UNKNOWN:
            ref = names[0] if names[0].kind == K.NAME_REF \
                else names[0].child_of_kind(K.NAME_REF)
            sym = self.inf.ctx.sym_at.get(ref.start) if ref is not None else None
            if sym is not None and sym.kind == SymbolKind.LOOP_VARIABLE:
                self.inferred(ref, elem)
        self.children(node, iterable)

    def conditional(self, node: SyntaxNode, spec: RunSpec | None) -> Narrowing:
        """A node with a condition (none when ``spec`` is None) and other children;
        returns the narrowing that holds where its condition is false."""
        cond = self.condition_part(node, spec)
        if cond is not None:
            self.condition(cond, spec)
        if cond is None or spec is None or spec.construct not in _NARROWING \
                or not self.spec.keyword_rules:
            self.children(node, cond)
            return {}
        yes, no = self.narrowing(cond)
        return self.branches(node, cond, yes, no)

    def branches(self, node: SyntaxNode, cond: SyntaxNode | None, yes: Narrowing,
                 no: Narrowing) -> Narrowing:
        """The children of a construct whose condition narrows (a template's, as the
        keyword level's ``Inferencer.if_stmt`` has it): its body sees ``yes``, what
        follows its ``else`` word and each else-if arm see ``no`` (and an arm's own
        narrowing when false after it); a wrapper holding those is walked alike."""
        narrowed, otherwise = self.inf.narrowed, False
        for child in node.children_with_tokens():
            if isinstance(child, SyntaxToken):
                otherwise = otherwise or child.kind == _ELSE
                continue
            if cond is not None and child.start == cond.start and child.kind == cond.kind:
                continue
            spec = self.spec.runs.get(child.kind)
            if _else_if_arm(spec):
                narrowed.append(no)
                no = {**no, **self.conditional(child, spec)}
                narrowed.pop()
            elif (spec is None or spec.construct == "if") and self.holds_branches(child):
                # a wrapper, or the template's if part without a condition of its own
                # (its body, else-if arms and else part: `run: {is: if, then, elif, else}`)
                no = self.branches(child, None, yes, no)
            else:
                first = child.first_token()
                otherwise = otherwise or first is not None and first.kind == _ELSE
                narrowed.append(no if otherwise else yes)
                self.visit(child)
                narrowed.pop()
        return no

    def holds_branches(self, node: SyntaxNode) -> bool:
        """A node without meaning that holds a construct's else part or an else-if arm
        (a block of lines up to the construct's closer)."""
        for child in node.children_with_tokens():
            if child.kind == _ELSE:
                return True
            spec = self.spec.runs.get(child.kind)
            if isinstance(child, SyntaxNode) and (
                    _else_if_arm(spec)
                    or (first := child.first_token()) is not None and first.kind == _ELSE):
                return True
        return False

    def narrowing(self, cond: SyntaxNode) -> tuple[Narrowing, Narrowing]:
        """Symbols narrowed by a condition, (when true, when false): a name compared
        with null (``x <> nil``, ``x == nulo``) whose type holds none, as the keyword
        level's ``Inferencer.narrowing`` has it; ``not`` swaps them."""
        while len(kids := list(cond.children())) == 1 and not _tokens(cond.green):
            cond = kids[0]  # a wrapper without meaning
        spec = self.spec.runs.get(cond.kind)
        items = _items(cond)
        if spec is not None and spec.construct == "group" and len(kids) == 1:
            return self.narrowing(kids[0])
        if spec is not None and spec.construct == "unary" and len(items) == 2 \
                and isinstance(items[1], SyntaxNode) \
                and self.spec.operators(spec)[0].get(self.spec.key(str(items[0]))) == "not":
            yes, no = self.narrowing(items[1])
            return no, yes
        if spec is None or spec.construct != "binary" or len(items) != 3 \
                or not isinstance(items[0], SyntaxNode) or not isinstance(items[2], SyntaxNode):
            return {}, {}
        op = self.spec.operators(spec)[0].get(self.spec.key(str(items[1])))
        name = items[0] if _is_null(items[2]) else items[2] if _is_null(items[0]) else None
        if op not in ("eq", "ne") or name is None or name.kind != K.NAME_REF:
            return {}, {}
        ref = self.inf.ctx.ref_at.get(name.start)
        if ref is None or ref.symbol is None:
            return {}, {}
        t = self.inf.symbol_type(ref.symbol)
        st = strip(t)
        if not (isinstance(st, M.UnionType) and M.NONE in st.members):
            return {}, {}
        present: Narrowing = {ref.symbol: M.without_none(t)}
        absent: Narrowing = {ref.symbol: M.NONE}
        return (present, absent) if op == "ne" else (absent, present)

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
        """A declared name: the type its own ``declare`` node names (QBasic's ``DIM a(9)
        AS INTEGER``: with bounds, an array of it), or, for a bare name (``n`` of ``n, m:
        Integer``), the type written after the names in the node around it (before
        them: ``DIM AS STRING a, b``)."""
        name = node.child_of_kind(K.NAME_REF)
        sym = self.inf.ctx.sym_at.get(name.start) if name is not None else None
        if sym is None or sym in self.inf.local:
            return
        t: Type = M.UNKNOWN
        spec = self.spec.runs.get(node.kind)
        parent = node.parent
        if spec is not None and spec.construct == "declare":
            # what `craftls run` refuses (a field's default value) still has its type
            parts = self.parts(node, spec, ("type", "bounds"), refused=True)
            tnode = self.one(parts.get("type")) if parts is not None else None
            t = self.type_of(tnode) if tnode is not None else M.UNKNOWN
            if t is M.UNKNOWN and name is not None and self.spec.marks:
                # DIM a$(9): an array of texts; DIM n(9), no type written: of its letter's
                t = self.spec.marked(_text(name), None if tnode is not None
                                     else self.implicit_for(sym))
            if parts is not None:
                t = self.dimensioned(t, parts.get("bounds"))
            written = tnode is not None
        elif parent is not None and _bare_name(node):
            kids = list(parent.children())
            after = next((c for c in kids if c.start >= node.end and c.kind != node.kind),
                         None)
            if after is None:
                after = next((c for c in reversed(kids)
                              if c.end <= node.start and c.kind != node.kind), None)
            if after is not None:
                t = self.type_of(after)
            written = after is not None
        else:  # a type node of its own (QBasic's parameter `c AS INTEGER`)
            own = next((c for c in node.children() if self.is_type(c)), None)
            if own is not None:
                t = self.type_of(own)
            written = own is not None
        if t is M.UNKNOWN and name is not None and self.spec.marks:
            # no type written (QBasic's parameter `n`): of its letter's
            t = self.spec.marked(_text(name), None if written else self.implicit_for(sym))
        self.inf.declare(sym, t, declared=t is not M.UNKNOWN)

    def by_default(self, name: str) -> bool:
        """Is ``name`` typed by the default of ``structure.implicit_types`` alone: no mark,
        no DEFtype statement of the file for its first letter?"""
        implicit = self.inf.ctx.implicit
        return implicit is not None and bool(name) and name[:1].lower() not in implicit[1] \
            and not any(name.endswith(mark) for mark in self.spec.marks_by_length)

    def implicit_for(self, sym: Symbol | None) -> Implicit | None:
        """The file's marks by first letter (``structure.implicit_types``) where they type
        ``sym``: a variable or parameter, no other name."""
        return self.inf.ctx.implicit if sym is not None and sym.kind in _IMPLICIT else None

    def receiver(self, node: SyntaxNode) -> None:
        """The parameter an ``opens`` node declares with ``implicit_parameter`` (Pascal's
        Self in the body of ``procedure T.M``) is a value of the type the node names."""
        sym = self.inf.ctx.sym_at.get(node.start)
        if sym is None or not sym.implicit or sym in self.inf.local:
            return
        t = self.named_type(node)
        names = list(node.descendants_of_kind(K.NAME_REF))
        if t is M.UNKNOWN and len(names) > 1:
            # a nested type's method (`procedure TOuter.TInner.M`): each name a type
            # declared inside the one before it
            ref = self.inf.ctx.ref_at.get(names[0].start)
            found = ref.symbol if ref is not None else None
            for name in names[1:]:
                found = _nested_type(found, self.spec.key(_text(name)), self.spec.key) \
                    if found is not None and found.kind == SymbolKind.TYPE else None
            if found is not None and found.kind == SymbolKind.TYPE:
                t = self.declared_type(found)
        self.inf.declare(sym, t, declared=t is not M.UNKNOWN)

    def is_type(self, node: SyntaxNode) -> bool:
        """Is the node a type annotation (``type: true``, a text or type-name ``run:``)?"""
        meaning = self.spec.meanings.get(node.kind)
        spec = self.spec.runs.get(node.kind)
        return meaning is not None and meaning.type or spec is not None and \
            spec.construct in ("text_type", "type_name")

    @staticmethod
    def dimensioned(t: Type, bounds: list[list[SyntaxNode]] | None) -> Type:
        """``t`` with the dimensions of a ``bounds`` part: an array of it per bound."""
        if t is M.UNKNOWN or not bounds:
            return t
        for group in bounds:
            for bound in group:
                for _ in list(bound.children()) or [bound]:
                    t = M.ListType(t)
        return t

    def type_of(self, node: SyntaxNode, name: str = "") -> Type:
        """The type a type node names: by its ``run:`` (a text type, a type word of a
        ``type_name``'s ``types``, an array, a record or object, a subrange, a pointer,
        an enumeration named ``name``), a name the definition's ``types:`` lists, a type
        the program declares; else unknown."""
        spec = self.spec.runs.get(node.kind)
        if spec is not None:
            found = self.constructed_type(node, spec, name)
            if found is not None:
                return found
        meaning = self.spec.meanings.get(node.kind)
        if meaning is None or not meaning.type:
            kids = list(node.children())
            if len(kids) == 1 and not _tokens(node.green):
                return self.type_of(kids[0], name)  # a wrapper without meaning
            return M.UNKNOWN
        return self.named_type(node)

    def named_type(self, node: SyntaxNode) -> Type:
        """The type the one name in ``node`` names: a type of the program's own, else a
        name of the definition's ``types:``; else unknown."""
        names = list(node.descendants_of_kind(K.NAME_REF)) or [node]
        if len(names) != 1:
            return M.UNKNOWN  # Dos.Registers: a unit's type
        ref = self.inf.ctx.ref_at.get(names[0].start)
        if ref is not None and ref.symbol is not None:
            # a type of the program's own (its alias, record, array...), else unknown
            if ref.symbol.kind != SymbolKind.TYPE:
                return M.UNKNOWN
            return self.declared_type(ref.symbol)
        text = _text(names[0])
        found = self.spec.types.get(self.spec.key(text))
        if found is None:
            return self.spec.names.lookup(text) if self.spec.names is not None else M.UNKNOWN
        return found

    def declared_type(self, sym: Symbol) -> Type:
        """The type a type of the program's own stands for: one declared later in this
        unit is walked now (unless it is being walked: a cycle, unknown)."""
        inf = self.inf
        if sym not in inf.local and inf.base <= sym.start < inf.end \
                and sym not in self.typedefs and self.root is not None:
            node = self.root
            while node.start != sym.decl_start or node.end != sym.decl_end:
                inner = next((c for c in node.children()
                              if c.start <= sym.decl_start < c.end
                              or c.start == sym.decl_start == c.end), None)
                if inner is None:
                    return M.UNKNOWN
                node = inner
            spec = self.spec.runs.get(node.kind)
            if spec is None or not (spec.construct == "typedef" or spec.construct == "record"):
                return M.UNKNOWN
            self.typedef(node, spec)
        return inf.symbol_type(sym)

    def constructed_type(self, node: SyntaxNode, spec: RunSpec, name: str) -> Type | None:
        """The type a type construct's node stands for; None: not a type construct."""
        construct = spec.construct
        if construct == "text_type":
            return M.STR
        if construct == "type_name" and spec.types:
            words = _significant(node.green)
            word = self.spec.key(words[0][1]) if words else ""
            found = next((t for w, t in spec.types if self.spec.key(w) == word), None)
            if found is None:
                return None
            return self.spec.shown.get(word) or self.inf.parse(found)
        if construct in _RECORDS:
            return self.record_type(node, spec, name)
        if construct == "enum":
            return M.Opaque(name) if name else M.UNKNOWN
        made = _TYPE_CONSTRUCTS.get(construct)
        return made(self, node, spec) if made is not None else None

    def array_type(self, node: SyntaxNode, spec: RunSpec) -> Type:
        """An array of its element type per bound (``array[1..2, 1..3] of T``)."""
        parts = self.parts(node, spec, ("bounds", "of"))
        of = self.one(parts.get("of")) if parts is not None else None
        if of is None:
            return M.UNKNOWN
        t = self.type_of(of)
        groups = parts.get("bounds") or [[]]  # type: ignore[union-attr]
        # the first bound is the outermost: `a[i]` of `array[1..3, 1..4]` is a row 1..4
        for bound, known in reversed([(b, bool(g)) for g in groups for b in g or [node]]):
            t = M.ListType(t, *self.bounds(bound)) if known else M.ListType(t)
        return t

    def bounds(self, bound: SyntaxNode) -> tuple[int | None, int | None]:
        """An array's bounds written as whole numbers (``1..5``), where the keyword
        level knows them (a template's); else not known."""
        words = _significant(bound.green)
        if not self.spec.keyword_rules or len(words) != 3 or words[1][1] != "..":
            return None, None
        low, high = words[0][1], words[2][1]
        if not (words[0][0] == words[2][0] == NUMBER and low.isdigit() and high.isdigit()):
            return None, None
        return int(low), int(high)

    def range_type(self, node: SyntaxNode, spec: RunSpec) -> Type:
        """A subrange: its bounds' type (an integer or a character)."""
        parts = self.parts(node, spec, ("low",))
        low = self.one(parts.get("low")) if parts is not None else None
        t = strip(self.expr(low)) if low is not None else M.UNKNOWN
        return t if t is M.INT or t is M.STR else M.UNKNOWN

    def pointer_type(self, node: SyntaxNode, spec: RunSpec) -> Type:
        parts = self.parts(node, spec, ("to",))
        to = self.one(parts.get("to")) if parts is not None else None
        return M.PointerType(self.type_of(to) if to is not None else M.UNKNOWN)

    def record_type(self, node: SyntaxNode, spec: RunSpec, name: str) -> Type:
        """A record's (an object's) fields and methods, then its parent's; a member
        whose type is not known is left out (asking for it: unknown)."""
        fields: list[tuple[str, Type]] = []
        methods: list[tuple[str, FunctionType]] = []
        pending = list(node.children())
        pending.reverse()
        while pending:
            child = pending.pop()
            meaning = self.spec.meanings.get(child.kind)
            declares = meaning.declares if meaning is not None else None
            if declares == SymbolKind.FIELD:
                self.declared_name(child)
                ref = child.child_of_kind(K.NAME_REF)
                sym = self.inf.ctx.sym_at.get(ref.start) if ref is not None else None
                t = self.inf.local.get(sym, M.UNKNOWN) if sym is not None else M.UNKNOWN
                if sym is not None and t is not M.UNKNOWN:
                    fields.append((sym.name, t))
                continue
            if declares in _ROUTINES:
                ref = child.child_of_kind(K.NAME_REF)
                sym = self.inf.ctx.sym_at.get(ref.start) if ref is not None else None
                ft = self.inf.local.get(sym) if sym is not None else None
                if sym is not None and isinstance(ft, FunctionType):
                    methods.append((sym.name, ft))
                continue
            inner = self.spec.runs.get(child.kind)
            if inner is not None and inner.construct in _RECORDS:
                continue  # a nested record's fields are its own
            kids = list(child.children())
            kids.reverse()
            pending.extend(kids)
        # its own members first: one of a name overrides the parent's (``member``)
        # a parent `craftls run` refuses (FreeBASIC's TYPE T EXTENDS Base) is still one
        parts = self.parts(node, spec, ("parent",), refused=True)
        parent = self.one(parts.get("parent")) if parts is not None else None
        inherited = strip(self.type_of(parent)) if parent is not None else M.UNKNOWN
        if isinstance(inherited, M.RecordType):
            fields.extend(inherited.fields)
            methods.extend(inherited.methods)
        return M.RecordType(name, tuple(fields), tuple(methods), fold=self.spec.fold)

    def named(self, parts: dict[str, list[list[SyntaxNode]]]
              ) -> tuple[SyntaxNode | None, Symbol | None]:
        """A declaration's ``name`` part (its name, within it) and the symbol declared."""
        name = self.one(parts.get("name"))
        if name is not None and name.kind != K.NAME_REF:
            name = name.child_of_kind(K.NAME_REF)
        return name, self.inf.ctx.sym_at.get(name.start) if name is not None else None

    def typedef(self, node: SyntaxNode, spec: RunSpec) -> None:
        """A type declaration: its name stands for the type (a record by its own name,
        another type as an alias of it), once its members are declared."""
        parts = self.parts(node, spec, ("name", "type"), refused=True)
        if parts is None:
            return self.children(node)
        name, sym = self.named(parts)
        if sym is not None and sym in self.typedefs:
            return  # walked already, where a type before it named it
        if sym is not None:
            self.typedefs.add(sym)
        self.children(node)
        if sym is None or sym.kind != SymbolKind.TYPE:
            return
        if spec.construct == "record":
            t = self.record_type(node, spec, sym.name)
        else:
            tnode = self.one(parts.get("type"))
            t = self.type_of(tnode, sym.name) if tnode is not None else M.UNKNOWN
        if t is M.UNKNOWN:
            return
        if not isinstance(t, (M.RecordType, M.Opaque)):
            t = M.Alias(sym.name, t)
        elif isinstance(t, M.Opaque) and not isinstance(t, M.PointerType):
            self.enumeration(node, t)
        self.inf.declare(sym, t, declared=True)

    def enumeration(self, node: SyntaxNode, t: Type) -> None:
        """An enumeration's values (the constants declared in it) are of its type."""
        for value in node.descendants():
            meaning = self.spec.meanings.get(value.kind)
            if meaning is not None and meaning.declares == SymbolKind.CONSTANT:
                ref = value.child_of_kind(K.NAME_REF)
                member = self.inf.ctx.sym_at.get(ref.start) if ref is not None else None
                self.inf.declare(member, t)

    def assign(self, node: SyntaxNode, spec: RunSpec) -> None:
        parts = self.parts(node, spec, ("target", "value", "index", "field"))
        if parts is None:
            return self.children(node)
        value = self.one(parts.get("value"))
        targets = self.flat(parts.get("target"))
        target = targets[0] if targets else None
        vt = self.expr(value) if value is not None else M.UNKNOWN
        if target is None or value is None:
            return
        target = _plain_name(target) if len(targets) == 1 else target
        if target.kind != K.NAME_REF or len(targets) > 1:
            # an element or a field (`a[i] := v`, `r.f := v`, QBasic's `a(i) = v`): the
            # type its selectors give, when they give one
            tt = self.expr(target) if len(targets) == 1 else self.selected(targets, spec)
            if tt is not M.UNKNOWN:
                shown = "".join(_text(t) for t in targets)
                self.check(vt, tt, value, "type-mismatch", f"Cannot assign to '{shown}'")
            return
        ref = self.inf.ctx.ref_at.get(target.start)
        # where assignments declare, the first one's target is the declaration
        sym = ref.symbol if ref is not None else self.inf.ctx.sym_at.get(target.start)
        if sym is None:
            return
        for frame, result in reversed(self.frames):
            if frame is sym:  # a function's result, by its name
                self.inf.record(target.start, target.end, result)
                self.check(vt, result, value, "return-type", f"Result of '{sym.name}'")
                return
        if sym.kind not in _TYPED:
            return
        current = self.assigned_type(target, sym, vt, ref is None)
        if current is M.UNKNOWN:
            self.untyped_assigned(target, sym, ref is None, vt)
            return
        self.inf.record(target.start, target.end, current)
        self.check(vt, current, value, "type-mismatch",
                   f"Cannot assign to '{ref.name if ref is not None else sym.name}'")

    def assigned_type(self, target: SyntaxNode, sym: Symbol, vt: Type, declares: bool) -> Type:
        """The type of the variable ``target`` names, assigned a ``vt`` value: its
        declared one, else its mark's or its first letter's (``implicit_for``); unknown
        where neither says, and where only the default of ``implicit_types`` would and the
        value is no number (`s = "hi"`, no DEFtype for s: a text variable, as before).
        The assignment that ``declares`` it declares it of that type (QBasic's `i = 1`
        after DEFINT I-N), as hover shows it where it is used: declared, as its name
        fixes it (another unit's value does not widen it)."""
        if self.inf.is_declared(sym):
            return self.inf.symbol_type(sym)
        if not self.spec.marks:
            return M.UNKNOWN
        current = self.spec.marked(_text(target), self.implicit_for(sym))
        held = strip(vt)
        if current is not M.UNKNOWN and held not in _NUMBERS and held is not M.UNKNOWN \
                and self.by_default(_text(target)):
            return M.UNKNOWN
        if declares and current is not M.UNKNOWN and sym not in self.inf.local:
            self.inf.declare(sym, current, declared=True)
        return current

    def untyped_assigned(self, target: SyntaxNode, sym: Symbol, declares: bool,
                         vt: Type) -> None:
        """A variable without a written type assigned a ``vt`` value: where assignments
        declare, the first one gives its type (``inferred``); another in the same unit
        widens a type so inferred, as on a keyword-level language (not a written type
        not understood: Pascal's `reader := nil` of a class from another unit). A value
        of a type not known (a table constructor, a call) makes it ``any``
        (``infer.reassigned``, shared with the keyword level): it may now hold anything,
        so its earlier type must not check later uses (`a = "s"`, then `a = {}`, then
        `a[{}] = 1`)."""
        held = M.UNKNOWN if declares else self.inf.symbol_type(sym)
        if held is not M.UNKNOWN:  # what it holds before (another unit's: `any`)
            self.inf.record(target.start, target.end, held)
        if declares:
            self.inferred(target, vt)
        elif sym in self.inf.inlay_symbols or self.spec.keyword_rules and sym in self.inf.local:
            # a template's: any variable of this unit without a written type (`DIM n`
            # then `n = 1`), as the keyword level's ``Inferencer.assign`` widens it
            old = self.inf.local[sym]
            self.inf.local[sym] = reassigned(old, vt)

    def check(self, src: Type, dst: Type, at: SyntaxNode, code: str, subject: str) -> None:
        """``Inferencer.check``, but for whole arrays and records: their types here are
        structural, the language's are by name (and a text may fill an array of
        characters), so only their elements and fields are checked."""
        s, d = strip(src), strip(dst)
        if isinstance(s, _COMPOSITE) or isinstance(d, M.ListType) \
                or isinstance(d, M.RecordType) and s is M.STR:
            return
        if s is M.NONE and not self.spec.keyword_rules:
            return  # a builtin the data says gives nothing (FreeBASIC's Width())
        if self.spec.numbers_convert and s in _NUMBERS and d in M.NUMERIC:
            return  # BASIC's comparisons give -1 or 0: a number
        self.inf.check(src, dst, at.start, at.end, code, subject)

    def selected(self, nodes: list[SyntaxNode], spec: RunSpec) -> Type:
        """The type of a name followed by selector nodes (an assignment's target: QBasic's
        `a(i).f`), read by the node's ``index`` and ``field`` parts."""
        t = self.expr(nodes[0])
        roles = self.spec.selector_rules(spec)
        name = _text(nodes[0])
        for at in range(1, len(nodes)):
            node = nodes[at]
            role = roles.get(node.kind, "")
            t = self.select_step(t, role, node, name)
            if role == "field":
                ref = node.child_of_kind(K.NAME_REF)
                name = _text(ref) if ref is not None else name
                st = strip(t)
                if isinstance(st, FunctionType) and self.inf.bare_calls \
                        and (at + 1 == len(nodes) or roles.get(nodes[at + 1].kind) != "args"):
                    # a method called without parentheses (Pascal's o.Name); one that
                    # takes arguments is named, not called, or is an overload of it the
                    # type does not show (an ancestor's of another unit): unknown
                    t = st.result if st.required == 0 else M.UNKNOWN
        return t

    def select_step(self, t: Type, role: str, node: SyntaxNode, name: str) -> Type:
        """The type one selector gives from a value of type ``t``: an element (``index``;
        ``args`` of an array: QBasic's a(i)), a field or method (``field``), a pointer's
        target (``deref``), a method's result (``args``)."""
        st = strip(t)
        if role == "index" or role == "args" and isinstance(st, M.ListType):
            for index in node.children():
                self.expr(index)
                t = _element(strip(t))
            return t
        if role == "field":
            ref = node.child_of_kind(K.NAME_REF)
            if ref is not None and self.spec.keyword_rules:  # a text's methods too
                return self.inf.member_type(t, _text(ref))
            member = st.member(_text(ref)) if ref is not None and \
                isinstance(st, M.RecordType) else None
            return member[1] if member is not None else M.UNKNOWN
        if role == "deref":
            return st.target if isinstance(st, M.PointerType) else M.UNKNOWN
        if role == "args":
            args = list(node.children())
            types = [self.expr(a) for a in args]
            if not isinstance(st, FunctionType):
                return M.UNKNOWN
            self.arguments(st, name, args, types)
            return st.result
        for child in node.children():
            self.expr(child)
        return M.UNKNOWN

    def condition(self, node: SyntaxNode, spec: RunSpec | None) -> None:
        t = self.expr(node)
        if self.spec.keyword_rules:
            return self.keyword_condition(node, t)
        if not self.spec.boolean_conditions or (spec is not None and spec.truthy):
            return
        st = strip(t)
        if st is M.BOOL or st is M.UNKNOWN or is_dynamic(st):
            return
        self.not_a_truth_value(node, t, "error")

    def keyword_condition(self, node: SyntaxNode, t: Type) -> None:
        """A condition as the keyword level checks it (``Inferencer.condition``): a
        text, a real, none or a composite value is no truth value (a warning, an error
        where conditions are truth values only, and there a number too)."""
        st = strip(t)
        strict = self.spec.boolean_conditions
        if st in (M.STR, M.FLOAT, M.NONE) or strict and st is M.INT or isinstance(
                st, (M.ListType, M.MapType, M.RecordType, FunctionType)):
            while len(kids := list(node.children())) == 1 and node.kind in self.spec.runs \
                    and self.spec.runs[node.kind].construct == "group":
                node = kids[0]  # reported inside its parentheses
            self.not_a_truth_value(node, t, "error" if strict else "warning")

    def not_a_truth_value(self, node: SyntaxNode, t: Type, severity: str) -> None:
        shown, expected = self.inf.display(t), self.inf.display(M.BOOL)
        self.inf.diag(node.start, node.end, severity,
                      f"Condition should be {expected}, found {shown} (a {shown} value is "
                      "not a truth value)", "condition-type",
                      {"expected": expected, "found": shown})

    def routine(self, node: SyntaxNode, spec: RunSpec) -> None:
        parts = self.parts(node, spec, ("name", "params", "type"))
        if parts is None:
            return self.children(node)
        name, sym = self.named(parts)
        for group in self.flat(parts.get("params")):
            self.visit(group)
        if sym is None:
            return self.children(node)
        result = self.result_type(node, self.one(parts.get("type")), spec, name)
        groups = self.flat(parts.get("params"))
        self.array_parameters(groups, spec, sym)
        params = tuple(self.inf.local.get(p, M.UNKNOWN) for p in sym.params)
        optional = sum(1 for group in groups
                       if any(text == "=" for _, text in _tokens(group.green)))
        required = len(params) - optional if not optional else 0
        names = tuple(p.name for p in sym.params)
        by_reference = self.by_reference(groups, spec, sym)
        own_overload = self.overloaded(node, parts.get("body"))
        if sym in self.inf.ctx.overloads or own_overload:
            # one of several routines of its name: which one a call means depends on its
            # arguments (``call`` chooses), so to any other reader neither its parameters
            # nor its result are known
            own = FunctionType(params, result, required, names=names,
                               by_reference=by_reference)
            self.inf.declare(sym, FunctionType(tuple(M.UNKNOWN for _ in params), M.UNKNOWN,
                                               required, names=names, own=own))
        else:
            self.inf.declare(sym, FunctionType(params, result, required, names=names,
                                               by_reference=by_reference))
        returned = self.routine_body(node, spec, sym, result, name)
        if returned is not None and not (sym in self.inf.ctx.overloads or own_overload):
            self.inf.declare(sym, FunctionType(params, returned, required, names=names,
                                               by_reference=by_reference))

    def routine_body(self, node: SyntaxNode, spec: RunSpec, sym: Symbol, result: Type,
                     name: SyntaxNode | None) -> Type | None:
        """Walks a routine's children but its name; returns the result its return
        statements give, where the keyword level infers one (a template's function with
        no result type written), else None."""
        by_name = spec.result == "name"
        if by_name:
            self.frames.append((sym, result))
        self.returns.append(_Returns(sym, result))
        try:
            for child in node.children():
                if name is None or child.start != name.start:
                    self.visit(child)
        finally:
            if by_name:
                self.frames.pop()
            frame = self.returns.pop()
        if result is not M.UNKNOWN or spec.construct != "function" or not self.spec.keyword_rules:
            return None
        if not frame.types and by_name:
            return None  # a function whose name holds its result
        found: Type = M.NONE
        for t in frame.types:
            found = t if found is M.NONE and t is not M.NONE else join(found, t)
        return found

    def returned(self, node: SyntaxNode, spec: RunSpec) -> None:
        """``return value``: of the result type of the routine it is in (where several
        values may be returned, Lua's, not checked)."""
        parts = self.parts(node, spec, ("value",))
        value = self.one(parts.get("value")) if parts is not None else None
        if value is None or spec.several or not self.returns:
            return self.children(node)
        vt = self.expr(value)
        frame = self.returns[-1]
        frame.types.append(vt)
        if frame.result is not M.UNKNOWN:
            self.check(vt, frame.result, value, "return-type",
                       f"Return value of '{frame.symbol.name}'")

    def result_type(self, node: SyntaxNode, tnode: SyntaxNode | None, spec: RunSpec,
                    name: SyntaxNode | None) -> Type:
        """A routine's result: the type its ``type`` part names (a ``procedure`` construct
        may have one: a function's heading), or its name's mark (QBasic's FUNCTION
        Menu$); a procedure's none, but a constructor's unknown (Turbo Pascal's `if not
        Init then Fail`)."""
        constructor = bool(spec.constructor) and any(
            self.same(text, spec.constructor) for _, text in _tokens(node.green))
        result: Type = self.type_of(tnode) if tnode is not None \
            else M.UNKNOWN if spec.construct == "function" or constructor else M.NONE
        if result is M.UNKNOWN and name is not None and self.spec.marks:
            result = self.spec.marked(_text(name))
        return result

    def array_parameters(self, groups: list[SyntaxNode], spec: RunSpec, sym: Symbol) -> None:
        """A parameter whose group holds one of the ``arrays`` tokens (QBasic's items()
        AS T) is an array of its type."""
        if not spec.arrays:
            return
        local = self.inf.local
        for group in groups:
            if any(self.same(text, spec.arrays) for _, text in _tokens(group.green)):
                for p in sym.params:
                    t = local.get(p, M.UNKNOWN)
                    if group.start <= p.start < group.end and t is not M.UNKNOWN:
                        local[p] = M.ListType(t)

    def by_reference(self, groups: list[SyntaxNode], spec: RunSpec, sym: Symbol
                     ) -> tuple[int, ...]:
        """The indexes of the parameters a ``by_reference`` token marks (Pascal's var)."""
        if not spec.by_reference:
            return ()
        return tuple(at for group in groups
                     if any(self.same(text, spec.by_reference) for _, text in _tokens(group.green))
                     for at, p in enumerate(sym.params) if group.start <= p.start < group.end)

    def overloaded(self, node: SyntaxNode, body: object) -> bool:
        """Does the routine declaration hold an ``overload`` node outside its body?"""
        kinds = self.spec.overloads
        if not kinds:
            return False
        bits = self.spec.overload_bits
        if not node.green.kinds & bits:
            return False
        skipped = {n.start for n in self.flat(body)} if body else set()  # type: ignore[arg-type]
        return any(child.green.kinds & bits
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
                self.check(vt, declared, value, "type-mismatch", f"Cannot initialize '{sym.name}'")
            self.inf.declare(sym, declared, declared=declared is not M.UNKNOWN)
        elif sym is not None and self.spec.marks and name is not None \
                and self.spec.marked(_text(name)) is not M.UNKNOWN:
            self.inf.declare(sym, vt)  # its type is written in its name (QBasic's t$)
        else:  # a constant of its value's type, shown as an inlay hint
            st = strip(vt)
            self.inf.declare(sym, vt, inlay=st is not M.NONE and not is_dynamic(st))

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
            t = self.inf.name_type(node.start, bare=True)
            if isinstance(t, FunctionType):
                return M.UNKNOWN  # a routine named, not called (QBasic's TIMER, a ... b)
            if t is not M.UNKNOWN or not self.spec.marks:
                return t
            ref = self.inf.ctx.ref_at.get(node.start)
            sym = ref.symbol if ref is not None else self.inf.ctx.sym_at.get(node.start)
            return self.spec.marked(_text(node), self.implicit_for(sym))
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

    def list_value(self, node: SyntaxNode, spec: RunSpec) -> Type:
        """A list of its items' values: a list of the type that takes them all."""
        parts = self.parts(node, spec, ("items",))
        types = [self.expr(item) for item in self.flat(parts.get("items") if parts else None)]
        elem = types[0] if types else M.ANY
        for t in types[1:]:
            elem = join(elem, t)
        return M.ListType(elem)

    def format(self, node: SyntaxNode, spec: RunSpec) -> Type:
        parts = self.parts(node, spec, ("value",))
        value = self.one(parts.get("value")) if parts is not None else None
        return self.expr(value) if value is not None else M.UNKNOWN

    def index(self, node: SyntaxNode, spec: RunSpec) -> Type:
        """A name with its selectors (Pascal's designator ``a[i].f^``): each one's type
        from the one before (``select_step``)."""
        kids = list(node.children())
        if not kids:
            return M.UNKNOWN
        return self.selected(kids, spec)

    def binary(self, node: SyntaxNode, spec: RunSpec) -> Type:
        """Operands and operators in a row, grouped by ``levels`` (loosest first, left to
        right within one), as ``craftls run`` groups them."""
        return self.climb(_items(node), [0], 0, spec)

    def climb(self, seq: list[SyntaxNode | str], pos: list[int], floor: int,
              spec: RunSpec) -> Type:
        """The operation starting at ``seq[pos[0]]`` whose operators are at ``floor`` or
        tighter (``pos``: where the next item is, moved past what was read). A method,
        not a recursive closure: one holds itself, and through ``self`` the unit's
        context and the semantic model, in a cycle only the collector frees."""
        if pos[0] >= len(seq) or type(seq[pos[0]]) is str:
            return M.UNKNOWN
        ops, levels = self.spec.operators(spec)
        fold = self.spec.fold
        left = self.expr(seq[pos[0]])  # type: ignore[arg-type]
        pos[0] += 1
        while pos[0] < len(seq) and type(seq[pos[0]]) is str:
            text = str(seq[pos[0]])
            key = text.lower() if fold else text
            at = levels.get(key, len(spec.levels)) if spec.levels else 0
            if at < floor:
                break
            pos[0] += 1
            right = self.climb(seq, pos, at + 1, spec)
            left = self.keyword_binary(key, ops.get(key, ""), left, right) \
                if self.spec.keyword_rules else self.declared_result(
                    key, left, right, binary_type(ops.get(key, ""), left, right))
        return left

    def keyword_binary(self, key: str, op: str, left: Type, right: Type) -> Type:
        """A binary operation's type as the keyword level gives it
        (``Inferencer.binary_result``): a comparison a truth value, ``and``/``or`` a
        number of two numbers' bits else a truth value, then the result the operator's
        definition declares, a whole division a whole number, ``/`` a real, ``+`` a text
        of a text or a list of two lists, else the numbers' type."""
        if op in _COMPARISONS:
            return M.BOOL
        if key == RANGE_OPERATOR:  # a .. b: the list of the values between
            return M.ListType(join(left, right))
        ls, rs = strip(left), strip(right)
        if op in ("and", "or"):
            return M.INT if ls is M.INT and rs is M.INT else M.BOOL
        declared = self.spec.results.get(key)
        if declared is not None:
            return declared
        if op in ("idiv", "mod"):
            return M.INT
        if op in ("fdiv", "cdiv"):
            return M.FLOAT
        if op in ("add", "concat") and (ls is M.STR or rs is M.STR):
            return M.STR
        if op == "add" and isinstance(ls, M.ListType) and isinstance(rs, M.ListType):
            return M.ListType(join(ls.elem, rs.elem))
        return numeric(ls, rs)

    def declared_result(self, key: str, left: Type, right: Type, found: Type) -> Type:
        """``found``, or where an operand is unknown and the other has the result type
        the operator's definition declares (`x .. "y"`), that type: a value of another
        type (an object whose metamethod answers the operator) seldom meets one of it."""
        result = self.spec.results.get(key)
        if result is None or strip(found) not in (M.UNKNOWN, M.ANY):
            return found
        ls, rs = strip(left), strip(right)
        if (ls is M.UNKNOWN or is_dynamic(ls)) and rs is strip(result) \
                or (rs is M.UNKNOWN or is_dynamic(rs)) and ls is strip(result):
            return result
        return found

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
        if parts is None or spec.function or spec.operation:
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
        if spec.subscripts and isinstance(ft, M.ListType):
            element: Type = ft
            for _ in args:  # a call of an array is its element (QBasic's a(i, j))
                element = _element(strip(element))
            return element
        if not isinstance(ft, FunctionType):
            return M.UNKNOWN
        if ref is not None and ref.symbol is not None and ref.symbol in self.inf.ctx.overloads:
            return self.overloaded_call(ref.symbol, ref.name, callee.start, args, types)
        if ref is not None and ref.symbol is not None and ref.symbol.kind in _ROUTINES:
            # the program's own routine: its parameters' declared types (a builtin's
            # `any` parameters say nothing)
            self.arguments(ft, ref.name, args, types)
        elif ref is not None and self.spec.keyword_rules:  # a builtin's, as there
            self.inf.check_arguments(ft, ref.name, [(a.green, a.start) for a in args], types)
        return _call_result(ft, ref, types)

    def overloaded_call(self, symbol: Symbol, name: str, at: int, args: list[SyntaxNode],
                        types: list[Type]) -> Type:
        """A call of one of several routines of its name: the result of the one its
        arguments choose (``overload``), recorded for navigation by its callee's offset."""
        place, chosen, only = self.overload(symbol, types)
        if chosen is None:
            return M.UNKNOWN  # none fits for sure: a count is reported, types are not
        self.inf.result.overloads[at - self.inf.base] = place
        if only:  # the one that takes that many: its arguments are checked as usual
            self.arguments(chosen, name, args, types)
        return _bound_result(chosen, types)

    def overload(self, symbol: Symbol, types: list[Type]
                 ) -> tuple[int, FunctionType | None, bool]:
        """The overload a call with arguments of ``types`` means (its place among the
        routines of its name, its signature) and whether it is the only one that takes
        that many arguments: that one, or, of several, the first whose every parameter
        takes its argument (None: none)."""
        fitting: list[tuple[int, FunctionType]] = []
        for at, sym in enumerate(self.inf.ctx.overloads[symbol]):
            ft = strip(self.inf.symbol_type(sym))
            own = ft.own if isinstance(ft, FunctionType) else None
            if own is not None and own.required <= len(types) <= len(own.params):
                fitting.append((at, own))
        if len(fitting) < 2:
            return (fitting[0][0], fitting[0][1], True) if fitting else (0, None, True)
        for at, own in fitting:
            if all(t is p or strip(t) is M.UNKNOWN or strip(p) is M.UNKNOWN
                   or assignable(strip(t), strip(p)) is None
                   for t, p in zip(types, own.params, strict=False)):
                return at, own, False
        return 0, None, False

    def arguments(self, ft: FunctionType, callee: str, args: list[SyntaxNode],
                  types: list[Type]) -> None:
        """The arguments of a call of the program's own routine: each of its parameter's
        type; one passed by reference a variable (not an expression) of its very type
        (an integer is no real there: the routine stores a real into it)."""
        if self.spec.numbers_convert:  # a number (or a truth value) converts to the parameter's
            types = [M.UNKNOWN if strip(t) in _NUMBERS and at < len(ft.params)
                     and strip(ft.params[at]) in M.NUMERIC else t
                     for at, t in enumerate(types)]
        # an array parameter says no number of dimensions (QBasic's `a()`): an array of
        # the same elements fills it, however many dimensions it has
        types = [M.UNKNOWN if at < len(ft.params) and _elements(t) is not None
                 and _elements(t) == _elements(ft.params[at]) else t
                 for at, t in enumerate(types)]
        self.inf.check_arguments(ft, callee, [(a.green, a.start) for a in args], types)
        for at in ft.by_reference:
            if at >= len(args) or at >= len(ft.params):
                continue
            arg, t, pt = args[at], strip(types[at]), strip(ft.params[at])
            pname = ft.names[at] if at < len(ft.names) else ""
            subject = f"Argument {at + 1} of '{callee}'" + (f" ({pname})" if pname else "")
            data = {"callee": callee, "parameter": pname, "index": at}
            if not self.variable(arg) and self.spec.reference_variables:
                self.inf.diag(arg.start, arg.end, "error",
                              f"{subject} must be a variable: its parameter is passed by "
                              "reference", "var-argument", data)
            elif t is not pt and t in _PRIMITIVES and pt in _PRIMITIVES \
                    and assignable(t, pt) is None:  # else reported as any argument
                shown, expected = self.inf.display(t), self.inf.display(pt)
                self.inf.diag(arg.start, arg.end, "error",
                              f"{subject}: expected {expected}, found {shown} (a parameter "
                              "passed by reference takes a variable of its own type only)",
                              "argument-type", {**data, "expected": expected, "found": shown})

    def variable(self, node: SyntaxNode) -> bool:
        """Can the node be a variable? No for a literal, a text, an operation or a call of
        the program's own function; yes for anything else (a name, a selector chain, a
        conversion, whatever is not known)."""
        if node.kind == K.LITERAL:
            return False
        spec = self.spec.runs.get(node.kind)
        if spec is None:
            kids = list(node.children())
            return self.variable(kids[0]) if len(kids) == 1 and not _tokens(node.green) \
                else True
        if spec.construct == "text":
            return False
        if spec.construct in ("binary", "unary"):
            ops = self.spec.operators(spec)[0]
            if any(self.spec.key(text) in ops for _, text in _tokens(node.green)):
                return False
            kids = list(node.children())
            return self.variable(kids[0]) if len(kids) == 1 else True
        if spec.construct == "call" and not spec.subscripts:
            callee = node.child_of_kind(K.NAME_REF)
            ref = self.inf.ctx.ref_at.get(callee.start) if callee is not None else None
            return ref is None or ref.symbol is None or ref.symbol.kind != SymbolKind.FUNCTION
        return True

    # ------------------------------------------------------------ reading parts
    #
    # The selectors of ``run_spec`` as ``codegen/run_parts.py`` reads them, for the parts
    # a type needs (that module is codegen's, which depends on this package). A part
    # selected by ``rest`` is left unselected here: unknown, never an error.

    def parts(self, node: SyntaxNode, spec: RunSpec, roles: tuple[str, ...],
              refused: bool = False) -> dict[str, list[list[SyntaxNode]]] | None:
        """The parts named ``roles`` (the others cost time and say nothing of types);
        None for a node its run refuses, unless ``refused`` (a declared type is known
        where what runs is not)."""
        items = _items(node)
        if spec.refuse and not refused and any(type(t) is str and self.same(t, spec.refuse) for t in items):
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


# how a type construct's node gives its type (besides records, objects, enumerations)
_TYPE_CONSTRUCTS: dict[str, Callable[[_Walk, SyntaxNode, RunSpec], Type]] = {
    "array": _Walk.array_type, "range": _Walk.range_type, "pointer": _Walk.pointer_type,
}

# how a statement construct's node is walked (besides conditions, types, declarations)
_STATEMENT_HANDLERS: dict[str, Callable[[_Walk, SyntaxNode, RunSpec], None]] = {
    "assign": _Walk.assign, "function": _Walk.routine, "procedure": _Walk.routine,
    "const": _Walk.const, "for": _Walk.counted_for, "return": _Walk.returned,
}

# how an expression construct's node is typed
_EXPRESSION_HANDLERS: dict[str, Callable[[_Walk, SyntaxNode, RunSpec], Type]] = {
    "binary": _Walk.binary, "unary": _Walk.unary, "group": _Walk.group, "text": _Walk.text,
    "call": _Walk.call, "format": _Walk.format, "index": _Walk.index, "list": _Walk.list_value,
}


def _elements(t: Type) -> Type | None:
    """The innermost element type of an array (of arrays); None for no array."""
    t = strip(t)
    if not isinstance(t, M.ListType):
        return None
    while isinstance(t, M.ListType):
        t = strip(t.elem)
    return t


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


def _call_result(ft: FunctionType, ref: Reference | None, types: list[Type]) -> Type:
    """The result of a call of ``ft`` with arguments of ``types``. A builtin called with
    a record is the program's overload of it (FreeBASIC's OPERATOR INT (v AS Vector2) AS
    Vector2): its result is not the builtin's."""
    if (ref is None or ref.symbol is None) \
            and any(isinstance(strip(a), M.RecordType) for a in types):
        return M.UNKNOWN
    if ft.numeric_generic and types and all(strip(a) is M.INT for a in types):
        return M.INT
    return _bound_result(ft, types)


def _bound_result(ft: FunctionType, types: list[Type]) -> Type:
    """A result named by a type name nothing defines that a parameter's type names too
    (a builtin's ``{name: x, type: T}``, ``returns: T``: Pascal's Succ): the type of
    that argument; else the result as declared."""
    result = ft.result
    if type(result) is M.Opaque:
        for param, t in zip(ft.params, types, strict=False):
            if param is result or param == result:
                return t
    return result


def _element(t: Type) -> Type:
    """An element of an array, a character of a text; else unknown."""
    return t.elem if isinstance(t, M.ListType) else M.STR if t is M.STR else M.UNKNOWN


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


def _is_null(node: SyntaxNode) -> bool:
    """A literal ``nil``/``null``/``nulo`` alone."""
    return [kind for kind, _ in _significant(node.green)] == ["kw_null"]


def _bare_name(node: SyntaxNode) -> bool:
    """Is ``node`` only names, or a name and its initial value (``w = 1`` of FreeBASIC's
    ``AS LONG w = 1, h``): names typed by the node around them?"""
    if all(c.kind == K.NAME_REF for c in node.children()):
        return True
    items = _items(node)
    return len(items) > 2 and isinstance(items[0], SyntaxNode) \
        and items[0].kind == K.NAME_REF and items[1] == "="


def _plain_name(node: SyntaxNode) -> SyntaxNode:
    """A plain name in a node of its own (Lua's assigned_name), else the node."""
    if node.kind == K.NAME_REF or _tokens(node.green):
        return node
    inner = list(node.children())
    return inner[0] if len(inner) == 1 and inner[0].kind == K.NAME_REF else node


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


def _nested_type(outer: Symbol, key: str, fold: Callable[[str], str]) -> Symbol | None:
    """The type named ``key`` declared inside the declaration of the type ``outer`` (a
    class's `type` section): found in the scopes within that declaration."""
    if outer.scope is None:
        return None
    todo = [c for c in outer.scope.children
            if outer.decl_start <= c.start and c.end <= outer.decl_end]
    while todo:
        scope = todo.pop()
        for sym in scope.symbols.values():
            if sym.kind == SymbolKind.TYPE and fold(sym.name) == key:
                return sym
        todo.extend(scope.children)
    return None
