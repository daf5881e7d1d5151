"""Lowering for a grammar-defined language: its nodes to the same ``ir`` program the
keyword-level languages lower to, read from the rules' ``run:`` annotations
(``language/run_spec.py``, docs/language-definition.md).

A grammar names its own nodes, so nothing here knows a language: a node's rule says
which construct it is (``while``, ``assign``, ``binary`` ...) and which children are its
parts. Names, calls, builtins, literals and the function scopes are the keyword-level
lowering's (``lower._Lowering``). Whatever a program uses that no annotation explains (a
rule without ``run:``, a child no part takes, an operator the rule does not map, a token
the rule refuses) is a ``BuildError`` at its line and column: never a guess.

The structured constructs extend this lowering in modules of their own, which import
this one: records, labels and nested routines (``lower_structured``), enumerations,
sets, ``case`` and pointers (``lower_ordinals``), objects (``lower_objects``) and
``with`` (``lower_with``, whose ``lower_grammar`` is the entry point)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..language.grammar_spec import Meaning
from ..language.model import LongBrackets
from ..language.operations import ITERATORS
from ..language.run_spec import BINARY_OPS, UNARY_OPS, RunSpec, Step
from ..syntax import kinds as K
from ..syntax.grammar import RANGE_OPERATOR
from ..syntax.parse import ParsedFile
from ..syntax.tokens import STRING
from ..syntax.tree import SyntaxNode, SyntaxToken
from . import ir, lower_print
from . import lower_basic as basic
from . import lower_closures as closures
from .errors import BuildError, Problem
from .link import Linker
from .lower import _Lowering, _Scope, _text
from .run_parts import Groups, _ident

_KEYWORD_LITERALS = {"kw_true": True, "kw_false": False, "kw_null": None}
_STATEMENT_ONLY = frozenset({"none", "import", "block", "declare", "const", "assign", "if", "while",
                             "repeat", "for", "function", "procedure", "return", "print",
                             "halt", "break", "continue", "exit", "loop", "select", "gosub",
                             "label", "input", "refused", "data", "read", "restore", "enum"})
_COMPARISONS = frozenset({"eq", "ne", "lt", "gt", "le", "ge", "in"})
# the value constructs lowered by a method of their name: binary_expr, unary_expr ...
_VALUES = frozenset({"binary", "unary", "call", "index", "list", "table", "function_value"})


@dataclass(frozen=True)
class TextSpec(ir.Scalar):
    """A type a ``text_type`` node names (Pascal's ``string``, ``string[N]``): a string to
    the back ends; what ``Read`` reads a line into (a character type that the
    definition's ``types`` map to strings is not one)."""


TEXT = TextSpec("str")


@dataclass(frozen=True)
class OpenArraySpec(ir.Scalar):
    """An array parameter without bounds (QBasic's ``items() AS T``): any value to the
    back ends (it is passed by reference); ``elem`` is its elements' type, for the
    stores into a fixed-length string field through it."""

    elem: ir.TypeSpec = ir.ANY


# operations that are statements only: a value of them is a build error
_STATEMENT_OPERATIONS = frozenset({"screen_only"})


class _GrammarLowering(_Lowering):
    def __init__(self, parsed: ParsedFile, path: str, linker: Linker,
                 prefix: str = "") -> None:
        # the modules a `run: import` names are linked as the keyword level links them
        super().__init__(parsed, path, linker, prefix)
        grammar = self.d.grammar
        assert grammar is not None
        self.runs: dict[str, RunSpec] = {p.name: p.run for p in grammar.rules if p.run}
        # every global starts as null (Lua: a global never assigned is nil)
        self.null_globals = any(s.construct == "assign" and s.default == "null"
                                for s in self.runs.values())
        self.meanings: dict[str, Meaning] = grammar.meanings()
        self.frozen: set[int] = set()  # parameters that may not be assigned (see function)
        # (function key, name key) of the variables declared: a name declared twice in one
        # function is refused (one assigned before, a loop's variable, is declared so)
        self.declared: set[tuple[str, str]] = set()
        self.all_local = False  # the current function's variables are all its own
        # names a scoped declaration rebound, with what they meant before: undone at the
        # end of the body that holds the declaration
        self.shadows: list[tuple[dict[str, int], str, int | None]] = []
        # GOSUB subroutines (lower_basic): label key -> label, its top-level statements
        self.gosubs: dict[str, tuple[SyntaxNode, list[SyntaxNode]]] = {}
        self.in_gosub = False
        self.data_labels: dict[str, int] = {}  # label key -> its first DATA item's number
        # DIM SHARED: names every routine sees as the global, though its variables are its own
        self.shared: set[str] = set()
        self.sharing = False
        self.printing = False  # lowering a print's items (where TAB means something)
        # function values and closures (lower_closures.py): Lua's rules for several
        # results; the capture of the function value being lowered (and of the next one
        # to lower); the current function's slots that hold cells and the names its
        # function values use; cells made by the declaration being lowered
        # `in` is a set's membership where the grammar has sets, else a list's or string's
        self.has_sets = any(s.construct in ("set", "settype") for s in self.runs.values())
        self.expression_statements = any(s.construct == "block" and s.expressions
                                         for s in self.runs.values())
        self.several = any(s.construct == "return" and s.several for s in self.runs.values())
        self.capture: closures.Capture | None = None
        self.next_capture: closures.Capture | None = None
        self.cells: set[int] = set()
        self.capturable: set[str] = set()
        self.declaring = 0
        self.collect_scoped = False  # collect: inside a scoped block
        self.cell_inits: list[ir.Stmt] = []
        self.loop_depth = 0  # loop bodies open around the statement being lowered
        # the top level's locals declared in a loop (each turn's variable is one global)
        self.loop_globals: set[int] = set()
        self.vararg_slot: int | None = None  # the current function's `...`
        self.varargs: tuple[str, ...] = tuple(t for s in self.runs.values() for t in s.varargs)
        self.headings: dict[str, SyntaxNode] | None = None  # see heading_of

    def construct(self, node: SyntaxNode) -> str:
        spec = self.runs.get(node.kind)
        return spec.construct if spec is not None else ""

    def name_of(self, node: SyntaxNode | None) -> SyntaxNode | None:
        """The name a node stands for: itself, or its first name."""
        if node is None or node.kind == K.NAME_REF:
            return node
        return next((d for d in node.descendants() if d.kind == K.NAME_REF), None)

    def unwrap(self, node: SyntaxNode) -> SyntaxNode:
        """A node without ``run:`` that holds one child node and no token means that
        child (an ``assigned_name`` around a name, an ``operand`` around a call)."""
        while node.kind not in self.runs and node.kind not in (K.NAME_REF, K.LITERAL):
            kids = list(node.children())
            if len(kids) != 1 or self.tokens(node):
                break
            node = kids[0]
        return node

    # ----- the program -----

    def program(self) -> ir.Program:
        root = self.parsed.root
        for error in self.parsed.errors[:10]:
            self.problems.append(Problem(error.start, f"syntax error: {error.message}"))
        if self.problems:
            raise BuildError(self.problems)
        items = list(root.children())
        for item in items:  # imports first: their names are used everywhere
            self.imports_in(item)
        self.capturable = closures.used_inside_function_values(self, root)
        for item in items:  # functions first: calls may come before declarations
            self.collect(item)
        self.function_globals()
        main: list[ir.Stmt] = basic.collect_data(self)
        items = basic.split_subroutines(self, items)
        for item in items:
            main.extend(self.statement(item))
        basic.lower_subroutines(self)
        for key, decl in self.decls.items():
            if key not in self.functions:
                self.function(key, decl)
        if self.null_globals:
            main[:0] = [ir.Assign(0, ir.Global(0, name, slot), ir.Const(0, None))
                        for slot, name in enumerate(self.global_names)]
        return self.finish(main)

    def imports_in(self, node: SyntaxNode) -> None:
        """Link the modules a top-level ``import`` node (or the block holding it) names."""
        node = self.unwrap(node)
        spec = self.runs.get(node.kind)
        if spec is not None and spec.construct == "block":
            for child in node.children():
                self.imports_in(child)
        elif spec is not None and spec.construct == "import":
            parts = self.parts(node, spec)
            names = (self.name_of(m) for m in self.flat(parts.get("modules"))) if parts else ()
            self.link_modules(n for n in names if n is not None)

    def run_import(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return []  # linked before anything else (imports_in)

    def function_globals(self) -> None:
        """The globals functions make (Lua's ``n = 4``), known before the main program
        is lowered (it may read them)."""
        for decl in self.decls.values():
            for node in decl.descendants():
                name = self.name_of(node) if self.meanings.get(
                    node.kind, Meaning()).global_scope else None
                if name is not None and self.key(_text(name)) not in self.global_slots:
                    self.global_slots[self.key(_text(name))] = len(self.global_names)
                    self.global_names.append(_text(name))

    def collect(self, node: SyntaxNode) -> None:
        """Register the functions among the top-level items and the blocks they hold
        (with Lua's rules, a local function in a scoped block is a local variable's
        function value, lowered where it stands: not one of them)."""
        node = self.unwrap(node)
        spec = self.runs.get(node.kind)
        if spec is None:
            return
        if spec.construct in ("function", "procedure"):
            name = self.name_of(self.one(self.select(node, spec.part("name"), set())))
            if name is not None and not (self.several and self.collect_scoped and not
                                         self.meanings.get(node.kind, Meaning()).global_scope):
                self.decls[self.key(_text(name))] = node
        elif spec.construct == "block":
            outer, self.collect_scoped = self.collect_scoped, self.collect_scoped or spec.scoped
            try:
                for child in self.flat(self.select(node, spec.part("body"), set())
                                       if spec.part("body") else [list(node.children())]):
                    self.collect(child)
            finally:
                self.collect_scoped = outer

    def function(self, key: str, decl: SyntaxNode) -> None:
        spec = self.runs[decl.kind]
        parts = self.parts(decl, spec) or {}
        name_node = self.name_of(self.one(parts.get("name")))
        name = _text(name_node) if name_node is not None else key
        outer, outer_frozen, outer_all = self.scope, self.frozen, self.all_local
        saved = (self.capture, self.cells, self.capturable, self.vararg_slot,
                 self.loop_depth)
        self.capture, self.next_capture = self.next_capture, None
        self.cells, self.capturable = set(), closures.used_inside_function_values(self, decl)
        self.vararg_slot, self.loop_depth = None, 0
        mark = len(self.shadows)
        scope = _Scope(None, key)
        self.scope, self.frozen, self.all_local = scope, set(), spec.locals == "all"
        if self.capture is not None:
            self.capture.env_slot = scope.add("\0env", closures.ENV)
        params: list[ir.Param] = []
        if closures.method_part(self, decl, spec):  # function t:m(): `self` first
            params.append(ir.Param("self", scope.add("self", "self"), False, ir.ANY))
        for group in self.param_groups(decl):
            params.extend(self.parameters(group, spec, scope))
        params.extend(self.hidden_params(key, scope))
        result_type = self.type_in(self.result_type_node(decl))
        body: list[ir.Stmt] = closures.parameter_cells(self, params, decl.start)
        if spec.result == "name" and spec.construct == "function":
            scope.result_slot = scope.add("\0result", name, result_type)
            body.append(ir.Declare(decl.start, ir.Local(decl.start, name, scope.result_slot),
                                   result_type))
        for child in self.flat(parts.get("body")):
            body.extend(self.statement(child))
        value = self.one(parts.get("value"))
        if value is not None:  # DEF FNf(x) = expression
            body.append(ir.Return(value.start, self.expr(value)))
        if self.several:  # the end of a function returns no value
            body.append(ir.Return(decl.end, ir.Pack(decl.end, ())))
        ir_key = self.function_key(key)
        self.functions[ir_key] = ir.Function(ir_key, name, decl.start, tuple(params),
                                             tuple(scope.names), tuple(body),
                                             scope.result_slot, result_type,
                                             self.vararg_slot)
        self.unshadow(mark)
        self.scope, self.frozen, self.all_local = outer, outer_frozen, outer_all
        (self.capture, self.cells, self.capturable, self.vararg_slot,
         self.loop_depth) = saved

    def param_groups(self, decl: SyntaxNode) -> list[SyntaxNode]:
        """A routine's parameter nodes: its own, or, when it lists none, its heading's
        (``heading``: Pascal's ``procedure Fill;`` after ``procedure Fill(C: Byte);
        forward;``), as name resolution gives them (``Resolver.take_headings``)."""
        spec = self.runs[decl.kind]
        groups = self.flat(self.select(decl, spec.part("params"), set()))
        if groups or not spec.part("params"):
            return groups
        heading = self.heading_of(decl)
        if heading is None:
            return []
        own = self.runs.get(heading.kind)  # a heading with a run: of its own selects so
        selector = own.part("params") if own is not None and own.part("params") \
            else spec.part("params")
        return self.flat(self.select(heading, selector, set()))

    def result_type_node(self, decl: SyntaxNode) -> SyntaxNode | None:
        """A function's result type: its own, or, when it lists no parameters and no
        type, its heading's (``function Init;`` after ``function Init: Boolean; forward;``)."""
        spec = self.runs[decl.kind]
        found = self.one(self.select(decl, spec.part("type"), set()))
        if found is not None or not spec.part("type") \
                or self.flat(self.select(decl, spec.part("params"), set())):
            return found
        heading = self.heading_of(decl)
        own = self.runs.get(heading.kind) if heading is not None else None
        selector = own.part("type") if own is not None and own.part("type") \
            else spec.part("type")
        return self.one(self.select(heading, selector, set())) if heading is not None \
            else None

    def heading_of(self, decl: SyntaxNode) -> SyntaxNode | None:
        """The first ``heading`` node that names the routine ``decl`` declares."""
        if self.headings is None:  # once per program, and only when a body lists none
            self.headings = {}
            for node in self.parsed.root.descendants():
                if self.meanings.get(node.kind, Meaning()).heading:
                    name = self.name_of(node)
                    if name is not None:
                        self.headings.setdefault(self.key(_text(name)), node)
        spec = self.runs[decl.kind]
        name = self.name_of(self.one(self.select(decl, spec.part("name"), set())))
        return self.headings.get(self.key(_text(name))) if name is not None else None

    def hidden_params(self, key: str, scope: _Scope) -> list[ir.Param]:
        """Parameters a routine gets besides its own (a nested routine's outer variables)."""
        return []

    def function_key(self, key: str) -> str:
        """The key of the routine named ``key`` in ``Program.functions`` (a module's under
        its prefix)."""
        return self.prefix + key

    def parameter_names(self, group: SyntaxNode) -> list[SyntaxNode]:
        """The names a parameter node declares: its own, or its parameter children's."""
        if self.meanings.get(group.kind, Meaning()).declares == "parameter" \
                or group.kind == K.NAME_REF:
            found = self.name_of(group)
            return [found] if found is not None else []
        return [n for d in group.descendants()
                if self.meanings.get(d.kind, Meaning()).declares == "parameter"
                for n in [self.name_of(d)] if n is not None]

    def parameters(self, group: SyntaxNode, spec: RunSpec, scope: _Scope) -> list[ir.Param]:
        toks = self.tokens(group)
        for tok in toks:
            if spec.varargs and self.same(tok.text, spec.varargs):
                self.vararg_slot = scope.add("\0varargs", tok.text)
                continue
            if spec.refuse and self.same(tok.text, spec.refuse):
                self.fail(tok, f"{tok.text!r} in a parameter is not supported by craftls "
                          "run/build")
        array = any(self.same(t.text, spec.arrays) for t in toks)
        ref = array or any(self.same(t.text, spec.by_reference) for t in toks)
        by_value = any(self.same(t.text, spec.by_value) for t in toks)
        typ = self.type_in(next((d for d in group.descendants()
                                 if self.meanings.get(d.kind, Meaning()).type), None))
        if array:  # an array of that type, passed by reference
            typ = OpenArraySpec("any", elem=typ)
        out: list[ir.Param] = []
        for pname in self.parameter_names(group):
            slot = scope.add(self.key(_text(pname)), _text(pname), typ)
            if ref:
                scope.refs.add(slot)
            elif spec.by_value and not by_value:
                # passed by reference unless marked (QBasic): callers may pass any
                # expression, so it runs by value and may not be assigned
                self.frozen.add(slot)
            out.append(ir.Param(_text(pname), slot, ref, typ))
        return out

    def type_in(self, node: SyntaxNode | None) -> ir.TypeSpec:
        """The type a type node names: a scalar, an array (``run: array``), else ANY."""
        if node is None:
            return ir.ANY
        node = self.unwrap(node)
        spec = self.runs.get(node.kind)
        if spec is not None and spec.construct == "array":
            return self.array_in(node, spec)
        if spec is not None and spec.construct == "text_type":
            return TEXT
        if spec is not None and spec.construct == "type_name":
            return self.type_name_in(node, spec)
        return self.named(node.text)

    def named(self, text: str) -> ir.TypeSpec:
        """The type a name (as written) denotes: a declared one, a scalar, else ANY."""
        key = self.key(" ".join(text.split()))
        if key in self.types:
            return self.types[key]
        canonical = self.surface_types.get(key, key)
        return ir.Scalar(canonical) if canonical in ("int", "float", "bool", "str") else ir.ANY

    def type_name_in(self, node: SyntaxNode, spec: RunSpec) -> ir.TypeSpec:
        """A type's name; with a ``width``, a string of that fixed length (STRING * 16)."""
        parts = self.parts(node, spec)
        width = self.one(parts.get("width")) if parts else None
        if width is None:
            word = " ".join(node.text.split())
            return next((ir.Scalar(canonical) for name, canonical in spec.types
                         if self.key(name) == self.key(word)), None) or self.named(node.text)
        size = self.constant(width)
        if size is None or not 1 <= size <= 32767:
            self.fail(width, "a string's fixed length must be a constant whole number from "
                      "1 to 32767")
            return ir.ANY
        return ir.Scalar("str", width=size)

    def range_ends(self, node: SyntaxNode) -> tuple[SyntaxNode, SyntaxNode] | None:
        """The low and high nodes of ``low..high``: a ``range`` node's, or a binary's
        whose one operator is the range operator its ``ops`` give no other meaning."""
        spec = self.runs.get(node.kind)
        kids = list(node.children())
        if spec is None or len(kids) != 2:
            return None
        if spec.construct == "range":
            parts = self.parts(node, spec) or {}
            low, high = self.one(parts.get("low")), self.one(parts.get("high"))
            return (low, high) if low is not None and high is not None else None
        toks = self.tokens(node)
        if spec.construct == "binary" and len(toks) == 1 and toks[0].text == RANGE_OPERATOR \
                and self.operator_of(toks[0], spec) is None:
            return kids[0], kids[1]
        return None

    def array_in(self, node: SyntaxNode, spec: RunSpec) -> ir.TypeSpec:
        parts = self.parts(node, spec)
        if parts is None:
            return ir.ANY
        elem = self.type_in(self.one(parts.get("of")))
        bounds = self.flat(parts.get("bounds"))
        if not spec.part("bounds"):  # a list type ([T]): a list of any length
            return ir.ListSpec()
        if not bounds:
            self.unsupported(node, "an array without bounds")
        return self.bounded(bounds, elem)

    def bounded(self, bounds: list[SyntaxNode], elem: ir.TypeSpec) -> ir.TypeSpec:
        """An array of ``elem`` with these bounds (one per dimension): a node of two
        constants (low and high), or one constant, the high bound over the index base."""
        ends_of: list[tuple[int, int]] = []
        for bound in bounds:
            inner = self.unwrap(bound)
            pair = self.range_ends(inner)
            plain = inner.kind not in (K.NAME_REF, K.LITERAL) and inner.kind not in self.runs
            # a range, a node of the two bounds (QBasic's `1 TO n`), or one constant
            kids = list(pair) if pair is not None else list(inner.children()) if plain \
                else [inner]
            ends = [self.constant(e) for e in kids]
            if len(ends) == 1:
                ends.insert(0, self.d.structure.index_base)
            if len(ends) != 2 or None in ends:
                self.fail(bound, "array bounds must be constant whole numbers")
                return ir.ANY
            ends_of.append((int(ends[0] or 0), int(ends[1] or 0)))
        for low, high in reversed(ends_of):
            elem = ir.ArraySpec(low, high, elem)
        return elem

    # ----- statements -----

    def statement(self, node: SyntaxNode) -> Iterator[ir.Stmt]:
        node = self.unwrap(node)
        spec = self.runs.get(node.kind)
        if self.expression_statements and node.kind != K.NAME_REF and (
                spec is None or spec.construct in _VALUES or spec.construct == "group"):
            return iter([ir.ExprStmt(node.start, self.expr(node))])
        if spec is None:
            if node.kind == K.NAME_REF:  # a routine named alone: a call (Pascal's WriteLn;)
                call = self.name(node)
                if isinstance(call, (ir.Call, ir.BuiltinCall, ir.Undefined)):
                    return iter([ir.ExprStmt(node.start, call)])
                self.fail(node, f"{_text(node)!r} alone is not a statement")
                return iter(())
            self.unsupported(node, f"{self.what(node)} (its rule has no run: annotation)")
            return iter(())
        if spec.construct not in _STATEMENT_ONLY and spec.construct != "call" and not (
                spec.construct == "function_value" and spec.part("target")):
            self.unsupported(node, f"{self.what(node)} as a statement")
            return iter(())
        method = getattr(self, "run_" + spec.construct)
        return iter(method(node, spec))

    def run_none(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return []

    def run_refused(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        self.fail(node, f"{self.what(node)} is not supported by craftls run/build"
                  + (f": {spec.reason}" if spec.reason else ""))
        return []

    def body_of(self, node: SyntaxNode, groups: Groups | None, scoped: bool = True) -> ir.Body:
        """The statements of a body; the scoped declarations in it end with it."""
        mark = len(self.shadows)
        out: list[ir.Stmt] = []
        loop = self.construct(node) in ("while", "repeat", "for", "loop")
        self.loop_depth += loop
        try:
            for child in self.flat(groups):
                out.extend(self.statement(child))
        finally:
            self.loop_depth -= loop
        if scoped:
            self.unshadow(mark)
        return tuple(out)

    def unshadow(self, mark: int) -> None:
        while len(self.shadows) > mark:
            table, key, old = self.shadows.pop()
            if old is None:
                table.pop(key, None)
            else:
                table[key] = old

    def fresh(self, name: SyntaxNode, typ: ir.TypeSpec) -> ir.Local | ir.Global:
        """A new variable for ``name`` until the end of the enclosing body."""
        text, key = _text(name), self.key(_text(name))
        hidden = f"{key}\0{name.start}"
        if key in self.capturable:
            cell = closures.fresh_cell(self, name, key, hidden)
            if cell is not None:
                return cell  # type: ignore[return-value]
        loop_global = not self.scope.key and (self.loop_depth or not self.declaring)
        if self.scope.key:
            table = self.scope.slots
            slot = self.scope.add(hidden, text, typ)
        else:
            table = self.global_slots
            slot = self.global_slots[hidden] = len(self.global_names)
            self.global_names.append(text)
            if typ != ir.ANY:
                self.global_types[slot] = typ
        self.shadows.append((table, key, table.get(key)))
        table[key] = slot
        if loop_global:
            self.loop_globals.add(slot)
        if self.scope.key:
            return self.local(name, key)
        return self.global_(name, key)

    def run_block(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        if spec.shared and any(self.same(t.text, spec.shared) for t in self.tokens(node)):
            if self.scope.key:
                self.fail(node, "a shared declaration inside a routine is not supported by "
                          "craftls run/build")
                return []
            self.sharing = True
            try:
                return self.run_block(node, RunSpec(spec.construct, spec.parts,
                                                    refuse=spec.refuse, ignore=spec.ignore,
                                                    scoped=spec.scoped))
            finally:
                self.sharing = False
        if not spec.part("body"):
            spec = RunSpec(spec.construct, (("body", ((Step("all"),),)),), refuse=spec.refuse,
                           ignore=spec.ignore, scoped=spec.scoped)
        parts = self.parts(node, spec)
        return [] if parts is None else list(self.body_of(node, parts.get("body"),
                                                          spec.scoped))

    def run_declare(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        names = [n for n in (self.name_of(x) for x in self.flat(parts.get("names"))) if n]
        typ = self.type_in(self.one(parts.get("type")))
        bounds = self.one(parts.get("bounds"))
        if bounds is not None:  # DIM a(1 TO n) AS T: an array of T
            typ = self.bounded(list(bounds.children()), typ)
        values = self.flat(parts.get("value"))
        if self.several and spec.scoped and names and values:
            return closures.declare_list(self, names, values, typ)
        if not names or (values and len(names) != len(values)):
            self.unsupported(node, "a declaration of another number of values than names")
            return []
        if len(values) > 1:
            return self.declare_several(names, values, typ, spec)
        out: list[ir.Stmt] = []
        for name in names:
            key = self.key(_text(name))
            if not spec.scoped and (self.scope.key, key) in self.declared:
                self.fail(name, f"a second declaration of {_text(name)!r} in one "
                          "function (or at the top level) is not supported by craftls "
                          "run/build: each name is one variable there")
                continue
            self.declared.add((self.scope.key, key))
            value: ir.Expr | None = self.expr(values[0]) if values else (
                ir.Const(name.start, None) if spec.default == "null" else None)
            target = closures.declared(self, name, typ, out) if spec.scoped \
                else self.declare(name, typ)
            if self.sharing:
                self.shared.add(key)
            if value is None and isinstance(target, (ir.Local, ir.Global)):
                out.append(ir.Declare(name.start, target, typ))
            else:  # a variable in a cell starts as null
                out.append(ir.Assign(name.start, target, self.fitted(
                    target, value if value is not None else ir.Const(name.start, None))))
        return out

    def declare_several(self, names: list[SyntaxNode], values: list[SyntaxNode],
                        typ: ir.TypeSpec, spec: RunSpec) -> list[ir.Stmt]:
        """``local a, b = b, a``: every value first, then every name."""
        out: list[ir.Stmt] = []
        temps = []
        for value_node in values:
            temp = self.temporary(value_node)
            out.append(ir.Assign(value_node.start, temp, self.expr(value_node)))
            temps.append(temp)
        for name, temp in zip(names, temps, strict=True):
            target = self.fresh(name, typ) if spec.scoped else self.declare(name, typ)
            out.append(ir.Assign(name.start, target, temp))
        return out

    def run_const(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        name = self.name_of(self.one(parts.get("name"))) if parts else None
        value = self.one(parts.get("value")) if parts else None
        if parts is not None and (name is None or value is None):
            self.unsupported(node, "this constant")
        elif name is not None and value is not None:
            self.consts[self.key(_text(name))] = self.expr(value)
        return []

    def run_assign(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        targets, values = self.flat(parts.get("target")), self.flat(parts.get("value"))
        if len(targets) > 1 and len(values) == 1 and (spec.part("index") or spec.part("field")):
            # a(i).f = v: the name, then its subscripts and fields in the order written
            place = self.selected_target(targets, parts)
            return [] if place is None else self.store(node, place, self.expr(values[0]), spec)
        if self.several and targets and values and (
                len(targets) != len(values) or len(targets) > 1):
            return closures.assign_list(self, node, targets, values, spec)
        if not targets or len(targets) != len(values):
            self.unsupported(node, "an assignment of another number of values than targets")
            return []
        if len(targets) == 1:
            target = self.target(targets[0])
            return self.store(node, target, self.expr(values[0]), spec)
        # a, b = b, a: every value first (into variables of its own), then every target
        out: list[ir.Stmt] = []
        temps = []
        for value in values:
            temp = self.temporary(value)
            out.append(ir.Assign(value.start, temp, self.expr(value)))
            temps.append(temp)
        for target_node, temp in zip(targets, temps, strict=True):
            out.extend(self.store(target_node, self.target(target_node), temp, spec))
        return out

    def selected_target(self, nodes: list[SyntaxNode], parts: dict[str, Groups]
                        ) -> ir.Target | None:
        """The element or field that a name and its selectors (``index`` and ``field``
        nodes) denote."""
        indexes = {_ident(n) for n in self.flat(parts.get("index"))}
        fields = {_ident(n) for n in self.flat(parts.get("field"))}
        result = self.expr(nodes[0])
        for node in nodes[1:]:
            if _ident(node) in indexes:
                result = self.subscripts(node, result)
            elif _ident(node) in fields and self.name_of(node) is not None:
                name = self.name_of(node)
                assert name is not None
                result = ir.Field(name.start, result, self.key(_text(name)))
            else:
                self.unsupported(node, f"{self.what(node)} in an assignment's target")
                return None
        if not isinstance(result, (ir.Index, ir.Field)):
            self.fail(nodes[0], "this cannot be assigned to")
            return None
        return result

    def static_type(self, e: ir.Expr) -> ir.TypeSpec:
        """The declared type of a variable, an element or a field, as far as the
        declarations say (ANY where they do not)."""
        if isinstance(e, (ir.Local, ir.Global)):
            return e.typ
        if isinstance(e, ir.Index):
            base = self.static_type(e.base)
            return base.elem if isinstance(base, (ir.ArraySpec, OpenArraySpec)) else ir.ANY
        if isinstance(e, ir.Field):
            record = self.static_type(e.base)
            if isinstance(record, ir.RecordSpec):
                return dict(record.fields).get(e.name, ir.ANY)
        return ir.ANY

    def fitted(self, target: ir.Target, value: ir.Expr) -> ir.Expr:
        """``value`` as stored into ``target``: cut or padded with spaces to its length
        when it is a fixed-length string (QBasic's STRING * n)."""
        typ = self.static_type(target)
        if isinstance(typ, ir.Scalar) and typ.width:
            return ir.BuiltinCall(value.pos, "fixed_length", f"STRING * {typ.width}",
                                  (value, ir.Const(value.pos, typ.width)))
        return value

    def store(self, node: SyntaxNode, target: ir.Target, value: ir.Expr,
              spec: RunSpec) -> list[ir.Stmt]:
        """``target := value``; with ``appends``, an element one past the end of its list
        is appended: the list, index and value are each evaluated once, in that order."""
        value = self.fitted(target, value)
        if not spec.appends or not isinstance(target, ir.Index) or closures.is_cell(target):
            return [ir.Assign(node.start, target, value)]
        at = node.start
        out: list[ir.Stmt] = []
        temps = []
        for k, part in enumerate((target.base, target.index, value)):
            temp = self.temporary_at(at, k)
            out.append(ir.Assign(at, temp, part))
            temps.append(temp)
        base, index, item = temps
        end = ir.Binary(at, "add", ir.BuiltinCall(at, "length", "#", (base,)),
                        ir.Const(at, self.d.structure.index_base))
        out.append(ir.If(at, ((ir.Binary(target.pos, "eq", index, end), (ir.ExprStmt(
            at, ir.BuiltinCall(at, "append", "append", (base, item))),)),),
            (ir.Assign(at, ir.Index(target.pos, base, index), item),)))
        return out

    def temporary(self, node: SyntaxNode) -> ir.Local | ir.Global:
        """A variable no name refers to, for a value in flight."""
        return self.temporary_at(node.start)

    def temporary_at(self, start: int, k: int | None = None) -> ir.Local | ir.Global:
        """The temporary of the value at ``start`` (the ``k``-th, when there are several)."""
        hidden = f"\0tmp{start}" + (f".{k}" if k is not None else "")
        if self.scope.key:
            slot = self.scope.add(hidden, "(value)")
            return ir.Local(start, "(value)", slot)
        slot = self.global_slots.setdefault(hidden, len(self.global_names))
        if slot == len(self.global_names):
            self.global_names.append("(value)")
        return ir.Global(start, "(value)", slot)

    def run_if(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        conds = [g[0] for g in parts.get("condition", []) if g]
        thens = parts.get("then", [])
        other = parts.get("else")
        elifs = self.flat(parts.get("elif"))
        inner = self.unwrap(thens[-1][0]) if len(thens) == 1 and len(thens[0]) == 1 else None
        branches = self.runs.get(inner.kind) if inner is not None else None
        if inner is not None and branches is not None and branches.construct == "if" \
                and not branches.part("condition") and not other and not elifs:
            # an `if` without a condition is the branches of the one around it (QBasic's
            # one-line IF c THEN a ELSE b, a block IF's lines)
            inner_parts = self.parts(inner, branches)
            if inner_parts is None:
                return []
            thens, other = [self.flat(inner_parts.get("then"))], inner_parts.get("else")
            elifs = self.flat(inner_parts.get("elif"))
        arms = self.elif_arms(elifs, spec)
        if not conds or len(conds) != len(thens) or arms is None:
            self.unsupported(node, "this form of if")
            return []
        arms[:0] = [(self.condition(c, spec), self.body_of(node, [t]))
                    for c, t in zip(conds, thens, strict=True)]
        return [ir.If(node.start, tuple(arms), self.body_of(node, other) if other else None)]

    def elif_arms(self, elifs: list[SyntaxNode], spec: RunSpec
                  ) -> list[tuple[ir.Expr, ir.Body]] | None:
        """The arms of an if's ``elif`` nodes (each an ``if`` of one condition and its
        branch), in order; None when one is not so."""
        arms: list[tuple[ir.Expr, ir.Body]] = []
        for clause in elifs:
            own = self.runs.get(clause.kind)
            parts = self.parts(clause, own) if own is not None else None
            cond = self.one(parts.get("condition")) if parts else None
            if own is None or parts is None or cond is None:
                return None
            arms.append((self.condition(cond, spec), self.body_of(clause, parts.get("then"))))
        return arms

    def run_while(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        cond = self.one(parts.get("condition")) if parts else None
        if parts is None or cond is None:
            return [] if parts is None else self.missing(node, "condition")
        return [ir.While(node.start, self.condition(cond, spec),
                         self.body_of(node, parts.get("body")))]

    def run_repeat(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        cond = self.one(parts.get("condition")) if parts else None
        if parts is None or cond is None:
            return [] if parts is None else self.missing(node, "condition")
        mark = len(self.shadows)
        body = self.body_of(node, parts.get("body"), scoped=False)
        until = self.condition(cond, spec)  # sees the body's declarations
        self.unshadow(mark)
        return [ir.Repeat(node.start, body, until)]

    def condition(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """A condition; with ``truthy``, one not known to be a boolean holds unless it is
        false or null."""
        cond = self.expr(node)
        if spec.truthy and not _boolean(cond):
            return ir.BuiltinCall(cond.pos, "truthy", "truthy", (cond,))
        return cond

    def missing(self, node: SyntaxNode, part: str) -> list[ir.Stmt]:
        self.unsupported(node, f"{self.what(node)} without its {part}")
        return []

    def run_for(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        var = self.name_of(self.one(parts.get("var")))
        start, stop = self.one(parts.get("start")), self.one(parts.get("stop"))
        if start is None and parts.get("iterable"):
            return self.generic_for(node, parts)
        step_node = self.one(parts.get("step"))
        down = any(self.same(t.text, spec.down) for t in self.tokens(node)) if spec.down \
            else False
        if var is None or start is None or stop is None or (down and step_node is not None):
            return self.missing(node, "variable, bounds or step")
        first, last = self.expr(start), self.expr(stop)
        step = self.expr(step_node) if step_node is not None else ir.Const(
            node.start, -1 if down else 1)
        mark = len(self.shadows)
        target = self.fresh(var, ir.ANY) if spec.scoped else self.target(var)
        loop = ir.For(node.start, target, first, last, step)
        body = self.body_of(node, parts.get("body"))
        self.unshadow(mark)
        return [ir.ForBody(loop, body)]

    def generic_for(self, node: SyntaxNode, parts: dict[str, Groups]) -> list[ir.Stmt]:
        """``for a, b in f(x) do ... end`` of an operation that gives rows (pairs,
        ipairs, gmatch): a loop over the rows, each variable its row's element."""
        names = [n for n in (self.name_of(x) for x in self.flat(parts.get("var"))
                             + self.flat(parts.get("vars"))) if n is not None]
        in_body = {_ident(n) for n in self.flat(parts.get("body"))}
        # the body may follow the iterable in its group (`for x in xs { ... }`)
        sources = [n for n in self.flat(parts.get("iterable")) if _ident(n) not in in_body]
        if not names or (len(sources) != 1 and not self.several):
            self.unsupported(node, "a generic for over several values")
            return []
        rows = self.expr(sources[0]) if len(sources) == 1 else ir.Const(node.start, None)
        if self.several and not (isinstance(rows, ir.BuiltinCall) and rows.op in ITERATORS):
            return closures.generic_call_for(self, node, names, sources, parts.get("body"))
        if not isinstance(rows, ir.BuiltinCall) or rows.op not in ITERATORS:
            if len(names) == 1:  # for x in items: each element (a list's, a string's)
                return [ir.ForIn(node.start, self.target(names[0]), rows,
                                 self.body_of(node, parts.get("body")))]
            self.unsupported(sources[0], "a generic for of several variables over anything "
                             "but pairs, ipairs or gmatch")
            return []
        row = self.temporary_at(sources[0].start, 0)
        mark = len(self.shadows)
        unpack: list[ir.Stmt] = [
            ir.Assign(name.start, self.fresh(name, ir.ANY),
                      ir.Index(name.start, row, ir.Const(name.start, k + 1)))
            for k, name in enumerate(names)]
        body = self.body_of(node, parts.get("body"))
        self.unshadow(mark)
        return [ir.ForIn(node.start, row, rows, tuple(unpack) + body)]

    def run_function(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        known = any(decl is node or (decl.start == node.start and decl.kind == node.kind)
                    for decl in self.decls.values())
        if self.several and not known:  # Lua: a local function of a block
            return closures.local_function(self, node, spec)
        if not known or self.scope.key:
            self.fail(node, "a function inside a function or a block is not supported by "
                      "craftls run/build")
        return []

    run_procedure = run_function

    def run_return(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        values = self.flat(parts.get("value"))
        if not self.scope.key and not self.in_gosub:
            self.fail(node, "a return outside a function")
        if spec.several:
            return [closures.returned(self, node, values)]
        if len(values) > 1:
            self.unsupported(node, "a return of several values")
            return []
        value = self.expr(values[0]) if values else None
        if value is not None:
            self.one_value(values[0], value)
        return [ir.Return(node.start, value)]

    def run_call(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        call = self.call_expr(node, spec)
        if isinstance(call, ir.BuiltinCall) and call.op in lower_print.PRINT_OPERATIONS:
            self.fail(node, f"{call.name} ({call.op}) as a statement is not supported by "
                      "craftls run/build: it is an item of PRINT")
        return [ir.ExprStmt(node.start, call)]

    def run_print(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return lower_print.run_print(self, node, spec)

    def run_halt(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        value = self.one(parts.get("value"))
        args = (self.expr(value),) if value is not None else ()
        name = _text(node).split()[0] if _text(node) else "halt"
        return [ir.ExprStmt(node.start, ir.BuiltinCall(node.start, "halt", name, args))]

    def run_break(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return [ir.Jump(node.start, "break")] if self.parts(node, spec) is not None else []

    def run_continue(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return [ir.Jump(node.start, "continue")] if self.parts(node, spec) is not None else []

    def run_exit(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        if self.parts(node, spec) is None:
            return []
        if spec.loops and any(self.same(t.text, spec.loops) for t in self.tokens(node)):
            return basic.exit_loop(self, node, spec)
        if not self.scope.key:
            self.fail(node, "leaving a function outside a function")
        return [ir.Return(node.start, None)]

    # BASIC-family constructs (lower_basic.py)
    def run_loop(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_loop(self, node, spec)

    def run_select(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_select(self, node, spec)

    def run_gosub(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_gosub(self, node, spec)

    def run_input(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_input(self, node, spec)

    def run_data(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_data(self, node, spec)

    def run_read(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_read(self, node, spec)

    def run_restore(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return basic.run_restore(self, node, spec)

    # ----- names -----

    def target(self, node: SyntaxNode) -> ir.Target:
        wrapper = node
        node = self.unwrap(node)
        kids = list(node.children())
        if len(kids) == 1 and kids[0].kind == K.NAME_REF and not self.tokens(node):
            node = kids[0]  # a selection of a name alone (QBasic's INPUT x) is the name
        if node.kind == K.NAME_REF:
            key = self.key(_text(node))
            shared = closures.around(self, node, key)
            if isinstance(shared, ir.Index):
                return shared
            if key in self.scope.slots and self.scope.slots[key] in self.frozen:
                self.fail(node, f"assigning to the parameter {_text(node)!r}, passed by "
                          "reference unless marked by value, is not supported by craftls "
                          "run/build")
            global_ = any(self.meanings.get(n.kind, Meaning()).global_scope
                          for n in [wrapper, *wrapper.descendants()] if n.end <= node.end)
            if self.scope.key and key not in self.scope.slots and key != self.scope.key \
                    and (self.all_local or global_):
                if self.all_local and key not in self.shared:
                    return self.declare(node, ir.ANY)
                if key not in self.global_slots:  # Lua: a name no local declares is global
                    outer = self.scope
                    self.scope = _Scope(None)
                    try:
                        self.declare(node, ir.ANY)
                    finally:
                        self.scope = outer
                return self.global_(node, key)
            return super().target(node)
        known = len(self.problems)
        expr = self.expr(node)
        if isinstance(expr, (ir.Index, ir.Field, ir.Local, ir.Global)):
            return expr
        if len(self.problems) == known:  # else the reason is reported already
            self.fail(node, "this cannot be assigned to")
        return ir.Global(node.start, _text(node), 0)

    def name(self, node: SyntaxNode) -> ir.Expr:
        key = self.key(_text(node))
        shared = closures.around(self, node, key)
        if shared is not None:
            return shared
        if self.several and key in self.decls and key not in self.scope.slots:
            return ir.FuncRef(node.start, self.prefix + key)  # Lua: a function's value
        if self.all_local and self.scope.key and key in self.global_slots \
                and key not in self.scope.slots and key not in self.consts \
                and key not in self.shared:
            return self.declare(node, ir.ANY)  # its own variable, not yet given a value
        found = super().name(node)
        if isinstance(found, ir.Undefined) and self.null_globals:
            return ir.Const(node.start, None)  # Lua: a global never assigned is nil
        return found

    def make_call(self, node: SyntaxNode, callee: SyntaxNode, arg_nodes: list[SyntaxNode],
                  arg_list: SyntaxNode | None = None, name: str = "") -> ir.Expr:
        """With Lua's rules, a call of a routine or of a variable's function value."""
        found = closures.call(self, node, callee, arg_nodes) if self.several and not name \
            else None
        return found if found is not None else super().make_call(
            node, callee, arg_nodes, arg_list, name)

    def param_refs(self, decl: SyntaxNode) -> list[bool]:
        spec = self.runs[decl.kind]
        refs: list[bool] = []
        for group in self.param_groups(decl):
            ref = any(self.same(t.text, spec.by_reference + spec.arrays)
                      for t in self.tokens(group))
            refs.extend(ref for _ in self.parameter_names(group))
        return refs

    # ----- expressions -----

    def expr(self, node: SyntaxNode, statement: bool = False) -> ir.Expr:
        node = self.unwrap(node)
        kind = node.kind
        if kind == K.LITERAL:
            return self.literal(node)
        if kind == K.NAME_REF:
            return self.usable(node, self.name(node))  # a builtin named alone is a call
        spec = self.runs.get(kind)
        if spec is None:
            toks = self.tokens(node)
            if len(toks) == 1 and toks[0].kind in _KEYWORD_LITERALS \
                    and not any(True for _ in node.children()):
                return ir.Const(node.start, _KEYWORD_LITERALS[toks[0].kind])
            if len(toks) == 1 and self.varargs and self.same(toks[0].text, self.varargs) \
                    and not any(True for _ in node.children()):
                return self.vararg_value(node)
            return self.unsupported(node, f"{self.what(node)} (its rule has no run: "
                                          "annotation)")
        if spec.construct in _VALUES:
            value: ir.Expr = getattr(self, spec.construct + "_expr")(node, spec)
            return self.usable(node, value)
        if spec.construct == "group":
            parts = self.parts(node, spec)
            inner = self.one(parts.get("value")) if parts else None
            return self.expr(inner) if inner is not None else ir.Const(node.start, None)
        return self.unsupported(node, f"{self.what(node)} as a value")

    def usable(self, node: SyntaxNode, value: ir.Expr) -> ir.Expr:
        """``value``, unless it is an operation that gives no value (a screen statement)
        or one that means something only as an item of a print (TAB)."""
        if isinstance(value, ir.BuiltinCall) and (
                value.op in _STATEMENT_OPERATIONS
                or (value.op in lower_print.PRINT_OPERATIONS and not self.printing)):
            where = "a value" if value.op in _STATEMENT_OPERATIONS else \
                "a value outside PRINT's items"
            self.fail(node, f"{value.name} ({value.op}) as {where} is not supported by "
                      "craftls run/build")
        return value

    def list_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """A list of the items' values (Lua's ``{1, 2}``)."""
        parts = self.parts(node, spec)
        items = self.flat(parts.get("items")) if parts else []
        return ir.ListLit(node.start, tuple(self.expr(i) for i in items))

    def table_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """A table (``codegen/tables.py``): the operation ``table_new`` of the list of
        its positional items, then each entry's key and value."""
        parts = self.parts(node, spec)
        items = self.flat(parts.get("items")) if parts else []
        positional: list[ir.Expr] = []
        entries: list[ir.Expr] = []
        for k, item in enumerate(items):
            inner = self.unwrap(item)
            espec = self.runs.get(inner.kind)
            if espec is None or espec.construct != "entry":
                positional.append(self.expr(item))
                if k == len(items) - 1:
                    self.one_value(item, positional[-1])
                    whole = closures.raw(self, item, positional[-1])
                    if whole is not None:  # {f()}, {...}: all its values
                        positional[-1] = ir.Spread(item.start, whole)
                continue
            eparts = self.parts(inner, espec) or {}
            name = self.name_of(self.one(eparts.get("name"))) if eparts.get("name") else None
            key = self.one(eparts.get("key"))
            value = self.one(eparts.get("value"))
            if value is None or (name is None and key is None):
                self.unsupported(inner, "this table field")
                continue
            entries.append(ir.Const(name.start, self.key(_text(name))) if name is not None
                           else self.expr(key))  # type: ignore[arg-type]
            entries.append(self.expr(value))
        return ir.BuiltinCall(node.start, "table_new", "table", (
            ir.ListLit(node.start, tuple(positional)), *entries))

    def function_value_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """A function as a value: a routine of its own, lowered here (the names it uses
        are resolved where it is written; lower_closures.py)."""
        return closures.function_value(self, node, "function")

    def run_function_value(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        """``function t.f() ... end``: a function value stored into a field."""
        return closures.stored_function(self, node, spec)

    def spread_last(self, node: SyntaxNode, value: ir.Expr, takes: int | None,
                    sep: ir.Expr | None = None) -> ir.Expr:
        """A call or ``...`` last among an operation's arguments: all its values for an
        operation that takes any number (``sep`` before each where one belongs); refused
        for one that takes at most ``takes`` (Lua's function may take more, or check
        how many it got)."""
        whole = closures.raw(self, node, value)
        if whole is None:
            closures.several_selected(self, node, value)
            return value
        if takes is None:
            return ir.Spread(node.start, whole, sep)
        self.fail(node, "the results of a call (or '...') passed on as the last argument "
                  "here are not supported by craftls run/build (in parentheses it gives its "
                  "first)")
        return value

    def vararg_value(self, node: SyntaxNode) -> ir.Expr:
        """``...``: the pack of the current function's extra arguments (its first where
        one value belongs)."""
        if self.vararg_slot is None or not self.scope.key:
            self.fail(node, "'...' outside a function that takes extra arguments")
            return ir.Const(node.start, None)
        pack = ir.Local(node.start, "...", self.vararg_slot)
        return ir.Nth(node.start, pack, 1)

    def grouped(self, node: SyntaxNode) -> bool:
        inner = self.unwrap(node)
        return self.construct(inner) == "group"

    def literal(self, node: SyntaxNode) -> ir.Expr:
        tok = self.tokens(node)[0]
        long = self.d.lexical.long_brackets
        body = _long_string(tok.text, long) if tok.kind == STRING and long else None
        if body is not None:
            return ir.Const(node.start, body)
        if tok.kind == STRING and not any(
                tok.text.startswith(r.delimiter) and (
                    r.line_end_closes or r.ends_at is not None or (
                        tok.text.endswith(r.delimiter)
                        and len(tok.text) >= 2 * len(r.delimiter)))
                for r in self.d.lexical.strings):
            return self.unsupported(node, f"the string {tok.text[:20]!r}")
        return super().literal(node)

    def operator_of(self, tok: SyntaxToken, spec: RunSpec) -> str | None:
        key = self.key(tok.text)
        return next((op for symbol, op in spec.ops if self.key(symbol) == key), None)

    def level_of(self, tok: SyntaxToken, spec: RunSpec) -> int | None:
        if not spec.levels:
            return 0
        key = self.key(tok.text)
        return next((i for i, level in enumerate(spec.levels)
                     if any(self.key(s) == key for s in level)), None)

    def binary_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """Operands and operators in a row, grouped by ``levels`` (loosest first; left to
        right within a level). A prefix operator listed in ``levels`` (QBasic's NOT)
        takes everything tighter than its level after it as its operand."""
        seq: list[tuple[str, Any]] = []
        for item in self.items(node):
            if isinstance(item, SyntaxToken):
                seq.append(("op", item))
            else:
                self.flatten_operand(item, spec, seq)
        pos = 0

        def operand() -> ir.Expr:
            nonlocal pos
            kind, value = seq[pos]
            pos += 1
            if kind == "node":
                return self.expr(value)
            if kind == "prefix":
                tok, uspec = value
                level = self.level_of(tok, spec) or 0
                return self.make_unary(tok, uspec, climb(level + 1))
            self.fail(value, f"the operator {value.text!r} where an operand belongs")  # never
            return ir.Const(value.start, None)

        def climb(floor: int) -> ir.Expr:
            nonlocal pos
            left = operand() if pos < len(seq) else ir.Const(node.start, None)
            while pos < len(seq) and seq[pos][0] == "op":
                tok = seq[pos][1]
                level = self.level_of(tok, spec)
                if level is None:
                    self.fail(tok, f"the operator {tok.text!r} is not supported by craftls "
                              "run/build")
                    level = len(spec.levels)
                if level < floor:
                    break
                pos += 1
                right = climb(level + 1) if pos < len(seq) else ir.Const(tok.start, None)
                left = self.make_binary(tok, spec, left, right)
            return left

        result = climb(0)
        return result

    def flatten_operand(self, item: SyntaxNode, spec: RunSpec,
                        seq: list[tuple[str, Any]]) -> None:
        inner = self.unwrap(item)
        uspec = self.runs.get(inner.kind)
        toks = self.tokens(inner)
        kids = list(inner.children())
        if uspec is not None and uspec.construct == "unary" and toks and len(kids) == 1 \
                and spec.levels and self.level_of(toks[0], spec) is not None:
            seq.append(("prefix", (toks[0], uspec)))
            self.flatten_operand(kids[0], spec, seq)
            return
        seq.append(("node", item))

    def make_binary(self, tok: SyntaxToken, spec: RunSpec, left: ir.Expr,
                    right: ir.Expr) -> ir.Expr:
        op = self.operator_of(tok, spec)
        if op is None and tok.text == RANGE_OPERATOR and not self.has_sets:
            return ir.RangeList(tok.start, left, right)  # a..b: the whole numbers a to b
        if op is None:
            self.fail(tok, f"the operator {tok.text!r} is not supported by craftls run/build")
            return ir.Const(tok.start, None)
        if spec.boolean and self.same(tok.text, spec.boolean) \
                and not (_boolean(left) and _boolean(right)):
            self.fail(tok, f"{tok.text!r} runs only on operands known to be booleans "
                      "(comparisons, true, false, not, and, or)")
        if op not in BINARY_OPS:  # a runtime operation (Lua's `&` is bit_and)
            return ir.BuiltinCall(tok.start, op, tok.text, (left, right))
        return ir.Binary(tok.start, op, left, right)

    def unary_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        toks = self.tokens(node)
        kids = list(node.children())
        if not toks and len(kids) == 1:
            return self.expr(kids[0])
        if len(toks) == 1 and not kids and toks[0].kind in _KEYWORD_LITERALS:
            return ir.Const(node.start, _KEYWORD_LITERALS[toks[0].kind])
        if len(toks) != 1 or len(kids) != 1:
            return self.unsupported(node, f"{self.what(node)} in this form")
        return self.make_unary(toks[0], spec, self.expr(kids[0]))

    def make_unary(self, tok: SyntaxToken, spec: RunSpec, operand: ir.Expr) -> ir.Expr:
        op = self.operator_of(tok, spec)
        if op is None:
            self.fail(tok, f"the operator {tok.text!r} is not supported by craftls run/build")
            return ir.Const(tok.start, None)
        if spec.boolean and self.same(tok.text, spec.boolean) and not _boolean(operand):
            self.fail(tok, f"{tok.text!r} runs only on an operand known to be a boolean")
        if op == "neg" and isinstance(operand, ir.Const) and type(operand.value) in (int, float):
            return ir.Const(tok.start, -operand.value)  # type: ignore[operator]
        if op not in UNARY_OPS:  # a runtime operation (Lua's `#` is length)
            return ir.BuiltinCall(tok.start, op, tok.text, (operand,))
        return ir.Unary(tok.start, op, operand)

    def call_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        parts = self.parts(node, spec)
        if parts is None:
            return ir.Const(node.start, None)
        if spec.function:  # a call no child names (its args: what no other part took)
            return self.make_call(node, node, self.flat(parts.get("args")), name=spec.function)
        if spec.operation:  # a statement that is a runtime operation (QBasic's LINE)
            toks = self.tokens(node)
            return ir.BuiltinCall(node.start, spec.operation, toks[0].text if toks else
                                  spec.operation, tuple(self.expr(a) for a in self.flat(
                                      parts.get("args"))))
        callee = self.name_of(self.one(parts.get("callee")))
        if callee is None:
            return self.unsupported(node, "a call without a name")
        args = self.flat(parts.get("args"))
        key = self.key(_text(callee))
        if spec.subscripts and key not in self.decls and (
                key in self.scope.slots or key in self.global_slots):
            # a(i, j): the element; a(): the whole array (an array argument)
            result = self.name(callee)
            for index in args:
                result = ir.Index(index.start, result, self.expr(index))
            return result
        # the node the arguments are in: its separators say whether PRINT a; ends its line
        holder = args[0].parent if args and args[0].parent is not None \
            and _ident(args[0].parent) != _ident(node) else None
        if self.semicolons_refused(callee, holder):
            return ir.Const(node.start, None)
        return self.make_call(node, callee, args, holder)

    def index_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        parts = self.parts(node, spec)
        if parts is None:  # reported
            return ir.Const(node.start, None)
        base = self.one(parts.get("base"))
        indexes = self.flat(parts.get("index"))
        if base is None or not indexes:
            return self.unsupported(node, "this index")
        result = self.expr(base)
        for subscript in indexes:
            result = self.subscripts(subscript, result)
        return result

    def subscripts(self, subscript: SyntaxNode, result: ir.Expr) -> ir.Expr:
        """``result`` indexed by each expression of one index node (``[i, j]``)."""
        odd = [t for t in self.tokens(subscript) if t.text not in ("[", "]", "(", ")", ",")]
        if odd:
            self.fail(odd[0], f"{odd[0].text!r} in a subscript is not supported by "
                      "craftls run/build")
        for index in subscript.children():
            result = ir.Index(index.start, result, self.expr(index))
        return result


def _long_string(text: str, rule: LongBrackets) -> str | None:
    """The text of a levelled long-bracket string (``[[...]]``, ``[==[...]==]``), as is:
    no escapes; a line break right after the opening bracket is not part of it and a
    CR LF inside is a line break (Lua's reading). None for another token."""
    o, c, lv = re.escape(rule.open), re.escape(rule.close), re.escape(rule.level)
    found = re.fullmatch(rf"{o}({lv}*){o}([\s\S]*){c}\1{c}", text)
    if found is None:
        return None
    body = found.group(2).replace("\r\n", "\n")
    return body[1:] if body.startswith("\n") else body


def _boolean(expr: ir.Expr) -> bool:
    """Known to be a boolean without running: what a language whose ``and`` returns an
    operand (Lua) may run as the runtime's boolean ``and``."""
    if isinstance(expr, ir.Const):
        return isinstance(expr.value, bool)
    if isinstance(expr, ir.Binary):
        if expr.op in _COMPARISONS:
            return True
        return expr.op in ("and", "or", "and_operand", "or_operand") \
            and _boolean(expr.left) and _boolean(expr.right)
    if isinstance(expr, ir.Unary):
        return expr.op == "not" and _boolean(expr.operand)
    if isinstance(expr, ir.BuiltinCall):  # the runtime's tests of a value's truth
        return expr.op in ("truthy", "falsy")
    return False

