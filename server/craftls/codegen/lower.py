"""From a parsed file to the ``ir`` program that the interpreter and back ends run.

Names are resolved here, once: a function's parameters, declared variables and the
names it assigns are its locals (one scope per function, as in Python and Pascal);
everything else is a global, a function, a constant or a builtin. What cannot be run
(syntax errors, a builtin without ``implements``, a module that cannot be found, a
method call no protocol declares) is a ``BuildError`` at its line and column, before
anything runs. Imported modules are lowered into the same program (``link.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..language.model import Builtin, LanguageDefinition
from ..language.operations import OPERATIONS, RESULTS
from ..language.run_spec import ARITHMETIC, COMPARISONS, WORD_OPERATORS
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile, parse
from ..syntax.tokens import STRING
from ..syntax.tree import GreenNode, SyntaxNode, SyntaxToken
from ..types.infer import number_value
from . import ir
from .errors import BuildError, Problem
from .link import Linker, Module, ModuleFinder, shifted, shifted_problems
from .lower_extension import ExtensionLowering
from .run_parts import RunParts
from .run_parts import describe as _describe


def lower(parsed: ParsedFile, path: str, find: ModuleFinder | None = None) -> ir.Program:
    """The program of ``parsed``, with the modules it imports (found by ``find``) linked
    in; raises ``BuildError`` listing what cannot run."""
    linker = Linker(find, len(parsed.text) + 1)
    try:
        program = _Lowering(parsed, path, linker).program()
    except BuildError as exc:
        raise BuildError(sorted(exc.problems + linker.problems, key=lambda p: p.pos),
                         tuple(linker.sources)) from None
    if linker.problems:
        raise BuildError(sorted(linker.problems, key=lambda p: p.pos), tuple(linker.sources))
    return replace(program, main=tuple(linker.init) + program.main,
                   sources=tuple(linker.sources))


def _text(node: SyntaxNode) -> str:
    """``node``'s text without surrounding whitespace; a node of tokens alone (a name, a
    type) is joined directly, without the generator walk of ``SyntaxNode.text``."""
    parts = []
    for child in node.green.children:
        if type(child) is GreenNode:
            return node.text.strip()
        parts.append(child[1])  # type: ignore[index]
    return "".join(parts).strip()




@dataclass
class _Scope:
    """The locals of one function (or none, at the top level)."""

    function: ir.Function | None
    key: str = ""
    slots: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    refs: set[int] = field(default_factory=set)
    types: dict[int, ir.TypeSpec] = field(default_factory=dict)
    result_slot: int | None = None

    def add(self, key: str, name: str, typ: ir.TypeSpec = ir.ANY) -> int:
        if key not in self.slots:
            self.slots[key] = len(self.names)
            self.names.append(name)
        slot = self.slots[key]
        if typ != ir.ANY:
            self.types[slot] = typ
        return slot


class _Lowering(RunParts):
    def __init__(self, parsed: ParsedFile, path: str, linker: Linker, prefix: str = "") -> None:
        self.parsed = parsed
        self.d: LanguageDefinition = parsed.definition
        self.path = path
        self.problems: list[Problem] = []
        self.fold = not self.d.lexical.case_sensitive
        self.global_slots: dict[str, int] = {}
        # the tables a program shares with its modules; a module's functions are keyed
        # under its prefix ("module\0")
        self.linker = linker
        self.prefix = prefix
        self.global_names = linker.global_names
        self.global_types = linker.global_types
        self.functions = linker.functions
        self.imports: dict[str, Module] = {}  # module name key -> what it offers
        self.consts: dict[str, ir.Expr] = {}
        self.types: dict[str, ir.TypeSpec] = {}
        self.decls: dict[str, SyntaxNode] = {}
        self.scope = _Scope(None)
        self.surface_types = {self.key(k): v for k, v in self.d.types.items()}
        self.floor = any(o.symbol == "//" for o in self.d.operators)
        slash = next((o for o in self.d.operators if o.symbol == "/"), None)
        self.slash_real = slash is None or slash.result not in ("int",)
        self.slash_declared = slash is not None and slash.result is not None
        # a grammar extension's forms: their nodes are statements and expressions too
        extension = self.d.grammar_extension
        self.extension = ExtensionLowering(self, extension) if extension is not None else None
        self.statements = K.STATEMENTS | (extension.statement_kinds() if extension else set())
        self.expressions = K.EXPRESSIONS | (extension.expression_kinds() if extension
                                            else set())

    # ----- helpers -----

    def unsupported(self, node: SyntaxNode, what: str | None = None) -> ir.Const:
        self.fail(node, f"{what or _describe(node.kind)} is not supported by craftls run/build")
        return ir.Const(node.start, None)

    # ----- the program -----

    def program(self) -> ir.Program:
        root = self.parsed.root
        for error in self.parsed.errors[:10]:
            self.problems.append(Problem(error.start, f"syntax error: {error.message}"))
        if self.problems:
            raise BuildError(self.problems)
        items = list(root.children())
        for item in items:  # imports first: their names are used everywhere
            if item.kind == K.IMPORT_STMT:
                self.import_modules(item)
        for item in items:  # functions first: calls may come before declarations
            if item.kind == K.FUNCTION_DECL:
                name = item.child_of_kind(K.NAME)
                if name is not None:
                    self.decls[self.key(_text(name))] = item
        for item in items:  # constants and types first: array bounds use constants
            if item.kind == K.CONST_SECTION:
                self.stmt_const_section(item)
            elif item.kind == K.TYPE_SECTION:
                self.type_section(item)
        main: list[ir.Stmt] = []
        for item in items:
            if item.kind == K.FUNCTION_DECL:
                continue
            main.extend(self.statement(item))
        for key, decl in self.decls.items():
            if self.prefix + key not in self.functions:
                self.function(key, decl)
        return self.finish(main)

    def finish(self, main: list[ir.Stmt]) -> ir.Program:
        """The program of the lowered functions and main statements, or the build errors
        found, in source order (every lowering ends so)."""
        if self.problems:
            raise BuildError(sorted(self.problems, key=lambda p: p.pos))
        options = ir.Options(
            true_text=self.d.spelling("true") or "true",
            false_text=self.d.spelling("false") or "false",
            null_text=self.d.spelling("null") or "null",
            index_base=self.d.structure.index_base, floor_division=self.floor,
            real_digits=self.d.structure.real_digits)
        return ir.Program(self.path, self.parsed.text, options, tuple(self.global_names),
                          self.functions, tuple(main))

    def function(self, key: str, decl: SyntaxNode) -> None:
        name_node = decl.child_of_kind(K.NAME)
        assert name_node is not None
        name = _text(name_node)
        outer = self.scope
        scope = _Scope(None, key)
        self.scope = scope
        params: list[ir.Param] = []
        plist = decl.child_of_kind(K.PARAM_LIST)
        for group in plist.children_of_kind(K.PARAM_GROUP) if plist else []:
            ref = any(t.kind == "kw_var" for t in self.tokens(group))
            typ = self.type_of(group)
            for pname in group.children_of_kind(K.NAME):
                slot = scope.add(self.key(_text(pname)), _text(pname), typ)
                if ref:
                    scope.refs.add(slot)
                params.append(ir.Param(_text(pname), slot, ref, typ))
        result_type = self.type_of(decl.child_of_kind(K.RESULT_TYPE) or decl)
        if self.d.structure.function_result == "name" and decl.child_of_kind(K.RESULT_TYPE):
            scope.result_slot = scope.add("\0result", name, result_type)
        body: list[ir.Stmt] = []
        if scope.result_slot is not None:
            body.append(ir.Declare(decl.start, ir.Local(decl.start, name, scope.result_slot),
                                   result_type))
        for child in decl.children():
            if child.kind in (K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION, K.BLOCK):
                body.extend(self.statement(child))
            elif child.kind == K.FUNCTION_DECL:
                self.fail(child, "a function inside a function is not supported by "
                          "craftls run/build")
        self.functions[self.prefix + key] = ir.Function(
            self.prefix + key, name, decl.start, tuple(params),
                                          tuple(scope.names), tuple(body), scope.result_slot,
                                          result_type)
        self.scope = outer

    # ----- types -----

    def type_section(self, section: SyntaxNode) -> None:
        for decl in section.children_of_kind(K.TYPE_DECL):
            name = decl.child_of_kind(K.NAME)
            if name is not None:
                self.types[self.key(_text(name))] = self.type_of(decl)

    def type_of(self, node: SyntaxNode) -> ir.TypeSpec:
        """The declared type among ``node``'s children (ANY when none is written)."""
        for child in node.children():
            if child.kind == K.TYPE_REF:
                return self.named_type(child)
            if child.kind == K.LIST_TYPE:
                return ir.ListSpec()
            if child.kind == K.ARRAY_TYPE:
                return self.array_type(child)
            if child.kind == K.RECORD_TYPE:
                fields: list[tuple[str, ir.TypeSpec]] = []
                for fdecl in child.children_of_kind(K.FIELD_DECL):
                    typ = self.type_of(fdecl)
                    fields.extend((self.key(_text(n)), typ)
                                  for n in fdecl.children_of_kind(K.NAME))
                return ir.RecordSpec(node.text.split("=")[0].strip(), tuple(fields))
        return ir.ANY

    def named_type(self, ref: SyntaxNode) -> ir.TypeSpec:
        key = self.key(_text(ref))
        if key in self.types:
            return self.types[key]
        canonical = self.surface_types.get(key, key)
        if canonical in ("int", "float", "bool", "str"):
            return ir.Scalar(canonical)
        if canonical.startswith("["):
            return ir.ListSpec()
        return ir.ANY

    def array_type(self, node: SyntaxNode) -> ir.TypeSpec:
        elem = self.type_of(node)
        bounds: list[tuple[int, int]] = []
        for rng in node.children_of_kind(K.RANGE_EXPR):
            parts = [self.constant(e) for e in rng.children()]
            if len(parts) != 2 or None in parts:
                self.fail(rng, "array bounds must be constant whole numbers")
                return ir.ANY
            bounds.append((int(parts[0] or 0), int(parts[1] or 0)))
        spec: ir.TypeSpec = elem
        for low, high in reversed(bounds):
            spec = ir.ArraySpec(low, high, spec)
        return spec

    def constant(self, node: SyntaxNode) -> int | None:
        expr = self.expr(node)
        value = _fold(expr)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    # ----- statements -----

    def body(self, node: SyntaxNode | None) -> ir.Body:
        if node is None:
            return ()
        out: list[ir.Stmt] = []
        for child in ([node] if node.kind != K.BLOCK else list(node.children())):
            out.extend(self.statement(child))
        return tuple(out)

    def statement(self, node: SyntaxNode) -> Iterator[ir.Stmt]:
        kind = node.kind
        if self.extension is not None and kind in self.extension.kinds:
            return iter(self.extension.statement(node))
        method = getattr(self, "stmt_" + kind.lower(), None)
        if method is None:
            self.unsupported(node)
            return iter(())
        result = method(node)
        return iter(result if isinstance(result, list) else [result])

    def stmt_program_header(self, node: SyntaxNode) -> list[ir.Stmt]:
        return []

    def stmt_program_end(self, node: SyntaxNode) -> list[ir.Stmt]:
        return []

    def stmt_block(self, node: SyntaxNode) -> list[ir.Stmt]:
        return list(self.body(node))

    def stmt_type_section(self, node: SyntaxNode) -> list[ir.Stmt]:
        self.type_section(node)
        return []

    def stmt_const_section(self, node: SyntaxNode) -> list[ir.Stmt]:
        for decl in node.children_of_kind(K.CONST_DECL):
            name = decl.child_of_kind(K.NAME)
            value = [c for c in decl.children() if c.kind in self.expressions]
            if name is not None and value:
                self.consts[self.key(_text(name))] = self.expr(value[0])
        return []

    def stmt_var_section(self, node: SyntaxNode) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for decl in node.children_of_kind(K.VAR_DECL):
            typ = self.type_of(decl)
            for name in decl.children_of_kind(K.NAME):
                target = self.declare(name, typ)
                out.append(ir.Declare(name.start, target, typ))
        return out

    def declare(self, name: SyntaxNode, typ: ir.TypeSpec) -> ir.Local | ir.Global:
        text = _text(name)
        key = self.key(text)
        if self.scope.key:
            slot = self.scope.add(key, text, typ)
            return ir.Local(name.start, text, slot, False, self.scope.types.get(slot, ir.ANY))
        if key not in self.global_slots:
            self.global_slots[key] = len(self.global_names)
            self.global_names.append(text)
        slot = self.global_slots[key]
        if typ != ir.ANY:
            self.global_types[slot] = typ
        return ir.Global(name.start, text, slot, self.global_types.get(slot, ir.ANY))

    def stmt_let_stmt(self, node: SyntaxNode) -> list[ir.Stmt]:
        name = node.child_of_kind(K.NAME)
        if name is None:
            return [self.unsupported(node)]  # type: ignore[list-item]
        typ = self.type_of(node)
        values = [c for c in node.children() if c.kind in self.expressions]
        is_const = any(t.kind == "kw_const" for t in self.tokens(node))
        if is_const and values and self.scope.key == "":
            self.consts[self.key(_text(name))] = self.expr(values[0])
            return []
        target = self.declare(name, typ)
        if not values:
            return [ir.Declare(node.start, target, typ)]
        return [ir.Assign(node.start, target, self.expr(values[0]))]

    def stmt_assign_stmt(self, node: SyntaxNode) -> list[ir.Stmt]:
        parts = [c for c in node.children() if c.kind in self.expressions]
        if len(parts) != 2:
            return [self.unsupported(node, "this assignment")]  # type: ignore[list-item]
        target = self.target(parts[0])
        return [ir.Assign(node.start, target, self.expr(parts[1]))]

    def target(self, node: SyntaxNode) -> ir.Target:
        if node.kind in (K.NAME_REF, K.NAME):
            text = _text(node)
            key = self.key(text)
            scope = self.scope
            if scope.result_slot is not None and key == scope.key:
                return ir.Local(node.start, text, scope.result_slot, False,
                                scope.types.get(scope.result_slot, ir.ANY))
            if key in scope.slots:
                return self.local(node, key)
            if key in self.global_slots:
                return self.global_(node, key)
            if key in self.consts or key in self.decls or self.d.builtin(text):
                self.fail(node, f"cannot assign to {text!r}")
                return ir.Global(node.start, text, 0)
            return self.declare_name(node)
        expr = self.expr(node)
        if isinstance(expr, (ir.Index, ir.Field, ir.Local, ir.Global)):
            return expr
        self.fail(node, "this cannot be assigned to")
        return ir.Global(node.start, _text(node), 0)

    def declare_name(self, node: SyntaxNode) -> ir.Local | ir.Global:
        return self.declare(node, ir.ANY)

    def stmt_expr_stmt(self, node: SyntaxNode) -> list[ir.Stmt]:
        parts = [c for c in node.children() if c.kind in self.expressions]
        if len(parts) != 1:
            return [self.unsupported(node, "this statement")]  # type: ignore[list-item]
        return [ir.ExprStmt(node.start, self.expr(parts[0], statement=True))]

    def stmt_if_stmt(self, node: SyntaxNode) -> ir.Stmt:
        arms: list[tuple[ir.Expr, ir.Body]] = []
        orelse: ir.Body | None = None
        for clause in [node] + node.children_of_kind(K.ELIF_CLAUSE):
            cond = next((c for c in clause.children() if c.kind in self.expressions), None)
            body = [c for c in clause.children()
                    if c.kind in self.statements and c.kind not in (K.ELIF_CLAUSE,)]
            if cond is None:
                self.unsupported(clause, "a condition this shape")
                continue
            arms.append((self.expr(cond), self.stmts(body)))
        other = node.child_of_kind(K.ELSE_CLAUSE)
        if other is not None:
            orelse = self.stmts([c for c in other.children() if c.kind in self.statements])
        return ir.If(node.start, tuple(arms), orelse)

    def stmts(self, nodes: list[SyntaxNode]) -> ir.Body:
        out: list[ir.Stmt] = []
        for n in nodes:
            out.extend(self.statement(n))
        return tuple(out)

    def stmt_while_stmt(self, node: SyntaxNode) -> ir.Stmt:
        cond = next((c for c in node.children() if c.kind in self.expressions), None)
        if cond is None:
            return self.unsupported(node)  # type: ignore[return-value]
        body = [c for c in node.children() if c.kind in self.statements]
        return ir.While(node.start, self.expr(cond), self.stmts(body))

    def stmt_repeat_stmt(self, node: SyntaxNode) -> ir.Stmt:
        cond = next((c for c in node.children() if c.kind in self.expressions), None)
        if cond is None:
            return self.unsupported(node)  # type: ignore[return-value]
        body = [c for c in node.children() if c.kind in self.statements]
        return ir.Repeat(node.start, self.stmts(body), self.expr(cond))

    def stmt_for_stmt(self, node: SyntaxNode) -> ir.Stmt:
        name = node.child_of_kind(K.NAME)
        exprs = [c for c in node.children() if c.kind in self.expressions]
        toks = {t.kind for t in self.tokens(node)}
        if name is None or len(exprs) < 2:
            return self.unsupported(node, "this FOR loop")  # type: ignore[return-value]
        var = self.target(name)
        step: ir.Expr = ir.Const(node.start, -1 if "kw_downto" in toks else 1)
        if "kw_step" in toks and len(exprs) >= 3:
            step = self.expr(exprs[2])
        loop = ir.For(node.start, var, self.expr(exprs[0]), self.expr(exprs[1]), step)
        body = [c for c in node.children() if c.kind in self.statements]
        return ir.ForBody(loop, self.stmts(body))

    def stmt_for_in_stmt(self, node: SyntaxNode) -> ir.Stmt:
        name = node.child_of_kind(K.NAME)
        exprs = [c for c in node.children() if c.kind in self.expressions]
        if name is None or not exprs:
            return self.unsupported(node, "this loop")  # type: ignore[return-value]
        var = self.target(name)
        body = [c for c in node.children() if c.kind in self.statements]
        return ir.ForIn(node.start, var, self.expr(exprs[0]), self.stmts(body))

    def stmt_case_stmt(self, node: SyntaxNode) -> ir.Stmt:
        subject = next((c for c in node.children() if c.kind in self.expressions), None)
        if subject is None:
            return self.unsupported(node)  # type: ignore[return-value]
        arms = []
        for arm in node.children_of_kind(K.CASE_ARM):
            labels: list[tuple[ir.Expr, ir.Expr | None]] = []
            for label in (c for c in arm.children() if c.kind in self.expressions):
                if label.kind == K.RANGE_EXPR:
                    ends = list(label.children())
                    labels.append((self.expr(ends[0]), self.expr(ends[-1])))
                else:
                    labels.append((self.expr(label), None))
            body = [c for c in arm.children() if c.kind in self.statements]
            arms.append((tuple(labels), self.stmts(body)))
        other = node.child_of_kind(K.ELSE_CLAUSE)
        orelse = None if other is None else self.stmts(
            [c for c in other.children() if c.kind in self.statements])
        return ir.Case(node.start, self.expr(subject), tuple(arms), orelse)

    def stmt_return_stmt(self, node: SyntaxNode) -> ir.Stmt:
        value = next((c for c in node.children() if c.kind in self.expressions), None)
        if not self.scope.key:
            self.fail(node, "a return outside a function")
        return ir.Return(node.start, None if value is None else self.expr(value))

    def stmt_jump_stmt(self, node: SyntaxNode) -> list[ir.Stmt]:
        tok = self.tokens(node)[0]
        concept = tok.kind[3:]
        if concept == "pass":
            return []
        if concept == "exit":
            return [ir.Return(node.start, None)]
        return [ir.Jump(node.start, concept)]

    def stmt_import_stmt(self, node: SyntaxNode) -> list[ir.Stmt]:
        return []  # linked before anything else (import_modules)

    # ----- imported modules -----

    def import_modules(self, node: SyntaxNode) -> None:
        standard = {self.key(m) for m in self.d.structure.standard_modules}
        for ref in node.children_of_kind(K.NAME_REF):
            name = _text(ref)
            if self.key(name) in standard:
                continue  # the language's runtime's own (Pascal's Crt): nothing to link
            found = self.linker.find(name, self.path, self.d) if self.linker.find else None
            if found is None:
                self.fail(ref, f"module {name!r} not found (no file of that name next to "
                          "this one, nor an installed package's module: craftls install)")
                module = Module(name, broken=True)
            elif found[2].id != self.d.id:
                self.fail(ref, f"module {name!r} is written in {found[2].name}: linking a "
                          "module of another language is not supported")
                module = Module(name, broken=True)
            else:
                module = self.load_module(name, found[0], found[1], ref)
            self.imports[self.key(name)] = module

    def load_module(self, name: str, path: str, text: str, ref: SyntaxNode) -> Module:
        """The module at ``path``, lowered once per build into the shared tables; its
        problems go to the linker's list (a module's nested imports' are there already)."""
        linker = self.linker
        if path in linker.modules:
            module = linker.modules[path]
            if module is None:
                self.fail(ref, f"module {name!r} imports itself (through {path})")
                return Module(name, broken=True)
            return module
        linker.modules[path] = None  # loading: a cycle finds None
        base = linker.add_source(path, text)
        prefix = f"{path}\0"
        sub = _Lowering(parse(self.d, text), path, linker, prefix)
        try:
            program = sub.program()
        except BuildError as exc:
            linker.problems.extend(shifted_problems(exc.problems, base))
            broken = linker.modules[path] = Module(name, broken=True)
            return broken
        for key in [k for k in linker.functions if k.startswith(prefix)]:
            linker.functions[key] = shifted(linker.functions[key], base)
        linker.init.extend(shifted(program.main, base))
        module = Module(name)
        module.functions = {k: linker.functions[prefix + k] for k in sub.decls}
        module.globals = {k: ir.Global(0, sub.global_names[slot], slot,
                                       sub.global_types.get(slot, ir.ANY))
                          for k, slot in sub.global_slots.items()}
        module.consts = {k: shifted(v, base) for k, v in sub.consts.items()}
        linker.modules[path] = module
        return module

    def imported(self, key: str) -> tuple[Module, str] | None:
        """The first imported module that offers ``key`` (a name used unqualified)."""
        for module in self.imports.values():
            if key in module.functions or key in module.globals or key in module.consts:
                return module, key
        return None

    def module_value(self, node: SyntaxNode, module: Module, key: str) -> ir.Expr:
        if key in module.consts:
            value = module.consts[key]
            return ir.Const(node.start, value.value) if isinstance(value, ir.Const) else value
        if key in module.globals:
            return replace(module.globals[key], pos=node.start)
        return self.module_call(node, node, module.functions[key], [])

    def module_call(self, node: SyntaxNode, callee: SyntaxNode, fn: ir.Function,
                    arg_nodes: list[SyntaxNode]) -> ir.Expr:
        if len(arg_nodes) != len(fn.params):
            self.fail(callee, f"{_text(callee)} takes {len(fn.params)} argument(s), "
                      f"{len(arg_nodes)} given")
        args = tuple(self.target(a) if p.ref else self.expr(a)
                     for a, p in zip(arg_nodes, fn.params, strict=False))
        return ir.Call(callee.start, fn.key, args)

    def qualified(self, parts: list[SyntaxNode]) -> tuple[Module, str] | None:
        """``module.name``: the module an import named, and the name's key in it."""
        if len(parts) != 2 or parts[0].kind != K.NAME_REF or parts[1].kind != K.NAME_REF:
            return None
        owner = self.key(_text(parts[0]))
        if owner not in self.imports or owner in self.scope.slots or owner in self.global_slots:
            return None
        return self.imports[owner], self.key(_text(parts[1]))

    # ----- expressions -----

    def expr(self, node: SyntaxNode, statement: bool = False) -> ir.Expr:
        kind = node.kind
        if kind == K.LITERAL:
            return self.literal(node)
        if self.extension is not None and kind in self.extension.kinds:
            return self.extension.expr(node)
        if kind == K.PAREN_EXPR:
            inner = next(iter(node.children()), None)
            return self.expr(inner) if inner is not None else self.unsupported(node)
        if kind == K.NAME_REF:
            return self.name(node)
        if kind == K.BINARY_EXPR:
            return self.binary(node)
        if kind == K.UNARY_EXPR:
            return self.unary(node)
        if kind == K.CALL_EXPR:
            return self.call(node)
        if kind == K.INDEX_EXPR:
            return self.index(node)
        if kind == K.MEMBER_EXPR:
            parts = list(node.children())
            found = self.qualified(parts)
            if found is not None:
                return self.module_member(node, parts[1], *found)
            if len(parts) != 2 or parts[1].kind != K.NAME_REF:
                return self.unsupported(node)
            return ir.Field(parts[1].start, self.expr(parts[0]), self.key(_text(parts[1])))
        if kind == K.LIST_EXPR:
            return ir.ListLit(node.start, tuple(self.expr(c) for c in node.children()))
        if kind == K.RANGE_EXPR:
            ends = list(node.children())
            if len(ends) != 2:
                return self.unsupported(node)
            return ir.RangeList(node.start, self.expr(ends[0]), self.expr(ends[1]))
        return self.unsupported(node)

    def module_member(self, node: SyntaxNode, name: SyntaxNode, module: Module,
                      key: str) -> ir.Expr:
        if key in module.functions or key in module.globals or key in module.consts:
            return self.module_value(name, module, key)
        if not module.broken:
            self.fail(name, f"module {module.name!r} has no {_text(name)!r}")
        return ir.Const(node.start, None)

    def literal(self, node: SyntaxNode) -> ir.Expr:
        tok = self.tokens(node)[0]
        if tok.kind == "kw_true":
            return ir.Const(node.start, True)
        if tok.kind == "kw_false":
            return ir.Const(node.start, False)
        if tok.kind == "kw_null":
            return ir.Const(node.start, None)
        if tok.kind == STRING:
            return ir.Const(node.start, self.string(tok.text))
        whole = number_value(tok.text)
        if whole is not None:
            return ir.Const(node.start, whole)
        try:
            if tok.text[:2] in ("0x", "0X"):  # a hexadecimal real: 0x1p4, 0xA.8 (C99, Lua)
                return ir.Const(node.start, float.fromhex(tok.text))
            return ir.Const(node.start, float(tok.text))
        except ValueError:
            return self.unsupported(node, f"the literal {tok.text!r}")

    def string(self, text: str) -> str:
        for rule in self.d.lexical.strings:
            d = rule.delimiter
            closed = text.endswith(d) and len(text) >= 2 * len(d) and rule.ends_at is None
            if text.startswith(d) and (closed or rule.line_end_closes
                                       or rule.ends_at is not None):
                body = text[len(d):-len(d)] if closed else text[len(d):]
                if rule.escape == "doubled":
                    return body.replace(d + d, d)
                if rule.escape == "backslash" and rule.ends_at is not None:
                    return re.sub(r"\\(.)", r"\1", body)  # a quoted word's "a\ b: a b
                if rule.escape == "backslash":
                    return _unescape(body)
                return body
        return text

    def name(self, node: SyntaxNode) -> ir.Expr:
        text = _text(node)
        key = self.key(text)
        scope = self.scope
        if key in scope.slots:
            return self.local(node, key)
        if key in self.consts:
            value = self.consts[key]
            return ir.Const(node.start, value.value) if isinstance(value, ir.Const) else value
        if key in self.global_slots:
            return self.global_(node, key)
        if key in self.decls:
            return self.make_call(node, node, [])  # a call without parentheses
        found = self.imported(key)
        if found is not None:
            return self.module_value(node, *found)
        if self.d.builtin(text):
            return self.make_call(node, node, [])
        return ir.Undefined(node.start, text)

    def local(self, node: SyntaxNode, key: str) -> ir.Local:
        slot = self.scope.slots[key]
        return ir.Local(node.start, _text(node), slot, slot in self.scope.refs,
                        self.scope.types.get(slot, ir.ANY))

    def global_(self, node: SyntaxNode, key: str) -> ir.Global:
        slot = self.global_slots[key]
        return ir.Global(node.start, _text(node), slot, self.global_types.get(slot, ir.ANY))

    def binary(self, node: SyntaxNode) -> ir.Expr:
        operands = list(node.children())
        ops = self.tokens(node)
        if len(operands) != 2 or not ops:
            return self.unsupported(node)
        tok = ops[0]
        op = self.operator(tok)
        if op is None:
            return self.unsupported(node, f"the operator {tok.text!r}")
        return ir.Binary(tok.start, op, self.expr(operands[0]), self.expr(operands[1]))

    def operator(self, tok: SyntaxToken) -> str | None:
        text = tok.text
        if text in COMPARISONS:
            return COMPARISONS[text]
        if tok.kind.startswith("kw_") and tok.kind[3:] in WORD_OPERATORS:
            return WORD_OPERATORS[tok.kind[3:]]
        if text.lower() in WORD_OPERATORS:
            return WORD_OPERATORS[text.lower()]
        if text == "/":
            if self.slash_declared:
                return "fdiv" if self.slash_real else "idiv"
            return "cdiv"  # undeclared: whole numbers divide as in C, else reals
        return ARITHMETIC.get(text)

    def unary(self, node: SyntaxNode) -> ir.Expr:
        operand = next(iter(node.children()), None)
        toks = self.tokens(node)
        if operand is None or not toks:
            return self.unsupported(node)
        text = toks[0].text
        if text == "-":
            inner = self.expr(operand)
            if isinstance(inner, ir.Const) and isinstance(inner.value, (int, float)) \
                    and not isinstance(inner.value, bool):
                return ir.Const(node.start, -inner.value)
            return ir.Unary(toks[0].start, "neg", inner)
        if text == "+":
            return ir.Unary(toks[0].start, "pos", self.expr(operand))
        if toks[0].kind == "kw_not" or text.lower() == "not" or text == "!":
            return ir.Unary(toks[0].start, "not", self.expr(operand))
        return self.unsupported(node, f"the operator {text!r}")

    def call(self, node: SyntaxNode) -> ir.Expr:
        parts = list(node.children())
        callee = parts[0] if parts else None
        args = node.child_of_kind(K.ARG_LIST)
        arg_nodes = [c for c in args.children() if c.kind in self.expressions] if args else []
        if callee is not None and callee.kind == K.MEMBER_EXPR:
            return self.method_call(node, callee, arg_nodes)
        if callee is None or callee.kind != K.NAME_REF:
            return self.unsupported(node, "this call")
        builtin = self.d.builtin(_text(callee))
        printing = builtin is not None and builtin.implements == "print_items"
        if args is not None and not printing and any(t.text == ";" for t in self.tokens(args)):
            return self.unsupported(args, "arguments separated by ';'")
        return self.make_call(node, callee, arg_nodes, args)

    def method_call(self, node: SyntaxNode, callee: SyntaxNode,
                    arg_nodes: list[SyntaxNode]) -> ir.Expr:
        """``x.m(args)``: the runtime operation the definition's protocols give ``m``,
        with the receiver as its first argument."""
        parts = list(callee.children())
        found = self.qualified(parts)
        if found is not None:
            module, key = found
            if key in module.functions:
                return self.module_call(node, parts[1], module.functions[key], arg_nodes)
            return self.module_member(node, parts[1], module, key)
        if len(parts) != 2 or parts[1].kind != K.NAME_REF:
            return self.unsupported(node, "this call")
        text = _text(parts[1])
        members = [m for p in self.d.protocols for m in p.members
                   if m.kind == "method" and self.key(m.name) == self.key(text)]
        op = next((m.implements for m in members if m.implements), None)
        if op is None:
            what = (f"the method {text!r} is not runnable: its definition names no runtime "
                    "operation (implements:)") if members else (
                f"the call {_text(callee)}(...) (a method no protocol declares, or a "
                "module's function) is not supported by craftls run/build")
            self.fail(parts[1], what)
            return ir.Const(node.start, None)
        low, high, _ = OPERATIONS[op]
        given = len(arg_nodes) + 1
        if given < low or (high is not None and given > high):
            self.fail(parts[1], f"{text} takes {low - 1}" + ("" if high == low else
                      f" to {high - 1}" if high is not None else " or more")
                      + f" argument(s), {len(arg_nodes)} given")
        args = (self.expr(parts[0]),) + tuple(self.expr(a) for a in arg_nodes)
        return ir.BuiltinCall(parts[1].start, op, text, args)

    def make_call(self, node: SyntaxNode, callee: SyntaxNode, arg_nodes: list[SyntaxNode],
                  arg_list: SyntaxNode | None = None, name: str = "") -> ir.Expr:
        """A call of what ``callee`` names (or ``name``, a call no child names: an
        extension form's ``run.function``)."""
        text = name or _text(callee)
        key = self.key(text)
        if key in self.decls and key not in self.scope.slots:
            decl = self.decls[key]
            params = self.param_refs(decl)
            if len(arg_nodes) != len(params):
                self.fail(callee, f"{text} takes {len(params)} argument(s), "
                          f"{len(arg_nodes)} given")
            args = tuple(self.target(a) if ref else self.expr(a)
                         for a, ref in zip(arg_nodes, params, strict=False))
            if args and arg_nodes:
                self.one_value(arg_nodes[len(args) - 1], args[-1])
            return ir.Call(callee.start, self.prefix + key, args)
        found = self.imported(key) if key not in self.scope.slots else None
        if found is not None and key in found[0].functions:
            return self.module_call(node, callee, found[0].functions[key], arg_nodes)
        builtin = self.d.builtin(text)
        if builtin is not None:
            return self.builtin_call(node, callee, builtin, text, arg_nodes, arg_list)
        if key in self.scope.slots or key in self.global_slots:
            self.fail(callee, f"{text!r} is a variable, not a function")
            return ir.Const(node.start, None)
        return ir.Undefined(callee.start, text)

    def builtin_call(self, node: SyntaxNode, callee: SyntaxNode, builtin: Builtin, text: str,
                     arg_nodes: list[SyntaxNode], arg_list: SyntaxNode | None = None,
                     receiver: ir.Expr | None = None) -> ir.Expr:
        """A call of ``builtin``, which the program spells ``text`` (with ``receiver``,
        a method call: the receiver is the first argument)."""
        if builtin.implements is None:
            self.fail(callee, f"the builtin {builtin.name!r} is not runnable: its "
                      "definition names no runtime operation (implements:)")
            return ir.Const(node.start, None)
        low, high, _ = OPERATIONS[builtin.implements]
        count = len(arg_nodes) + (receiver is not None)
        if count < low or (high is not None and count > high):
            self.fail(callee, f"{text} takes {low}" + ("" if high == low else
                      f" to {high}" if high is not None else " or more")
                      + f" argument(s), {count} given")
        op = builtin.implements
        if op in ("read_values", "read_values_line"):  # lower_reading.py's
            self.fail(callee, f"{text} ({op}) is not supported by craftls run/build in "
                      "this language: it is lowered by a grammar's run annotations, "
                      "from its variables' declared types")
            return ir.Const(node.start, None)
        if op == "print_items":  # PRINT a; b; -> write; PRINT a; b -> write_line
            last = arg_nodes[-1].end if arg_nodes else None
            trailing = arg_list is not None and last is not None and any(
                t.start >= last and t.text in (";", ",") for t in self.tokens(arg_list))
            op = "write" if trailing else "write_line"
        if op == "print_tabs":  # Lua's print: a tab between the values
            tabbed: list[ir.Expr] = []
            for k, a in enumerate(arg_nodes):
                tabbed.extend([ir.Const(a.start, "\t")] * bool(k) + [self.expr(a)])
            if arg_nodes:
                self.one_value(arg_nodes[-1], tabbed[-1])
                spread = self.spread_last(arg_nodes[-1], tabbed[-1], None,
                                          ir.Const(arg_nodes[-1].start, "\t"))
                if isinstance(spread, ir.Spread):  # its values each after a tab
                    tabbed[-2 if len(arg_nodes) > 1 else -1:] = [spread]
            return ir.BuiltinCall(callee.start, "write_line", text, tuple(tabbed))
        if op == "write_plain":  # Lua's io.write: a real as %.14g, without ".0"
            plain = [self.expr(a) for a in arg_nodes]
            if arg_nodes:
                self.one_value(arg_nodes[-1], plain[-1])
                # each value is written as text of its own: all of a call's are refused
                self.spread_last(arg_nodes[-1], plain[-1], len(plain))
            return ir.BuiltinCall(callee.start, "write", text, tuple(
                ir.BuiltinCall(a.start, "plain_text", text, (v,))
                for a, v in zip(arg_nodes, plain, strict=True)))
        if builtin.implements in ("inc", "dec") and arg_nodes:
            args = (self.target(arg_nodes[0]),) + tuple(self.expr(a) for a in arg_nodes[1:])
        else:
            args = tuple(self.expr(a) for a in arg_nodes)
            if receiver is not None:
                args = (receiver,) + args
        if arg_nodes and args:
            args += self.spread(arg_nodes[-1], args, op)
            args = args[:-1] + (self.spread_last(arg_nodes[-1], args[-1], high),)
        return ir.BuiltinCall(callee.start, op, text, args)

    def spread_last(self, node: SyntaxNode, value: ir.Expr, takes: int | None,
                    sep: ir.Expr | None = None) -> ir.Expr:
        """A last argument that gives all its values (grammar lowering, Lua's rules),
        ``takes`` the most the operation takes: the value itself here."""
        return value

    def results(self, node: SyntaxNode, expr: ir.Expr) -> int:
        """How many values ``expr`` gives where Lua passes all of a call's results on
        (a call of an operation with several results, not in parentheses)."""
        if isinstance(expr, ir.BuiltinCall) and not self.grouped(node):
            return RESULTS.get(expr.op, 1)
        return 1

    def grouped(self, node: SyntaxNode) -> bool:
        """Whether ``node`` is a parenthesised expression (which keeps one value)."""
        return False

    def one_value(self, node: SyntaxNode, expr: ir.Expr) -> None:
        """Refuse a call of several results where all of them would be passed on."""
        many = self.results(node, expr)
        if many > 1:
            self.fail(node, f"the {many} results of {getattr(expr, 'name', 'this call')} "
                      "passed on here are not supported by craftls run/build (in "
                      "parentheses it gives its first; select('#', ...) counts them)")

    def spread(self, last: SyntaxNode, args: tuple[ir.Expr, ...], op: str
               ) -> tuple[ir.Expr, ...]:
        """The values a last argument of several results adds: ``select('#', ...)``
        counts them (they are nulls in its place), anything else refuses them."""
        many = self.results(last, args[-1])
        counting = op == "select" and isinstance(args[0], ir.Const) and args[0].value == "#"
        if many > 1 and counting:
            return (ir.Const(last.start, None),) * (many - 1)
        self.one_value(last, args[-1])
        return ()

    def param_refs(self, decl: SyntaxNode) -> list[bool]:
        refs: list[bool] = []
        plist = decl.child_of_kind(K.PARAM_LIST)
        for group in plist.children_of_kind(K.PARAM_GROUP) if plist else []:
            ref = any(t.kind == "kw_var" for t in self.tokens(group))
            refs.extend(ref for _ in group.children_of_kind(K.NAME))
        return refs

    def index(self, node: SyntaxNode) -> ir.Expr:
        parts = list(node.children())
        args = node.child_of_kind(K.ARG_LIST)
        if not parts or args is None:
            return self.unsupported(node)
        result = self.expr(parts[0])
        for index in (c for c in args.children() if c.kind in self.expressions):
            result = ir.Index(index.start, result, self.expr(index))
        return result


def _fold(expr: ir.Expr) -> ir.Value:
    """The value of a constant expression (array bounds), or None."""
    if isinstance(expr, ir.Const):
        return expr.value
    if isinstance(expr, ir.Binary):
        left, right = _fold(expr.left), _fold(expr.right)
        if isinstance(left, int) and isinstance(right, int):
            if expr.op == "add":
                return left + right
            if expr.op == "sub":
                return left - right
            if expr.op == "mul":
                return left * right
    return None


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}


def _unescape(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and body[i + 1:i + 2] == "u" and _code_point(body[i + 2:i + 6]):
            out.append(chr(int(body[i + 2:i + 6], 16)))  # \u00e9: a code point
            i += 6
            continue
        if ch == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], "\\" + body[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _code_point(digits: str) -> bool:
    """Four hex digits naming a character (not half of a surrogate pair)."""
    return len(digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in digits) \
        and not 0xD800 <= int(digits, 16) <= 0xDFFF
