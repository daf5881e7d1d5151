"""Lowering of the structured constructs of a grammar-defined language: named types and
records, field selection, labels and forward ``goto``, routines nested in routines,
string literals joined from character codes, and procedures that store their result in
a variable argument (Pascal's ``Str``). Read from the rules' ``run:`` annotations
(``language/run_spec.py``) like everything in ``lower_grammar.py``, which this extends;
nothing here knows a language.

The program these lower to is the same small ``ir`` program: a record is an
``ir.RecordSpec`` value, a field an ``ir.Field``; a nested routine becomes a routine of
its own whose outer variables are extra parameters passed by reference (what it reads
and assigns is its enclosing routine's variable, as with a static link); a forward
``goto`` sets a flag that skips the statements up to its label. What they cannot express
is a build error at its place: a ``goto`` backwards, into a statement, out of a loop or
over another label's jump."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..language.grammar_spec import Meaning
from ..language.run_spec import RunSpec
from ..syntax import kinds as K
from ..syntax.tree import SyntaxNode, SyntaxToken
from . import ir
from . import lower_closures as closures
from .lower import _Scope, _text
from .lower_grammar import _GrammarLowering
from .run_parts import Groups, _ident

_ROUTINES = frozenset({"function", "procedure"})


@dataclass(frozen=True)
class _Nested:
    """A routine declared inside another: its key in ``Program.functions`` and the
    outer variables (keys, in order) it takes as hidden parameters."""

    ir_key: str
    decl: SyntaxNode
    captured: tuple[str, ...]


class StructuredLowering(_GrammarLowering):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.nested: dict[str, _Nested] = {}  # the nested routines in scope, by key
        self.outer_scopes: dict[str, _Scope] = {}  # a nested routine's key -> outer scope
        # the labels of the enclosing statement lists: label key -> its flag variable;
        # None is a loop, which no goto leaves
        self.goto_frames: list[dict[str, ir.Local | ir.Global] | None] = []
        self.nesting: list[str] = []  # the nested routines being lowered, innermost last
        self.record_name = ""  # the type being declared (names a record)
        self.codes = tuple(spec.code for spec in self.runs.values()
                           if spec.construct == "text" and spec.code)

    # ----- dispatch -----

    def statement(self, node: SyntaxNode) -> Iterator[ir.Stmt]:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct in ("typedef", "label", "goto"):
            return iter(getattr(self, "run_" + spec.construct)(inner, spec))
        if spec is not None and spec.construct == "record" and spec.part("name"):
            return iter(self.run_named_record(inner, spec))
        if spec is not None and spec.construct == "call":
            stored = self.stored_call(inner, spec)
            if stored is not None:
                return iter(stored)
        return super().statement(node)

    def expr(self, node: SyntaxNode, statement: bool = False) -> ir.Expr:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct == "text":
            return self.text_expr(inner, spec)
        return super().expr(node, statement)

    # ----- types and records -----

    def run_typedef(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        name = self.name_of(self.one(parts.get("name"))) if parts else None
        typ = self.one(parts.get("type")) if parts else None
        if parts is not None and (name is None or typ is None):
            self.unsupported(node, "this type declaration")
        elif name is not None and typ is not None:
            self.record_name = _text(name)
            self.types[self.key(_text(name))] = self.type_in(typ)
            self.record_name = ""
        return []

    def run_named_record(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        """A record type declared as a statement, its name among its parts (QBasic's
        TYPE Name ... END TYPE): known to the declarations after it."""
        parts = self.parts(node, spec)
        name = self.name_of(self.one(parts.get("name"))) if parts else None
        if parts is not None and name is not None:
            self.record_name = _text(name)
            self.types[self.key(_text(name))] = self.record_in(node, spec)
        return []

    def type_in(self, node: SyntaxNode | None) -> ir.TypeSpec:
        inner = self.unwrap(node) if node is not None else None
        spec = self.runs.get(inner.kind) if inner is not None else None
        if inner is not None and spec is not None and spec.construct == "record":
            return self.record_in(inner, spec)
        return super().type_in(node)

    def record_in(self, node: SyntaxNode, spec: RunSpec) -> ir.TypeSpec:
        """A record type: its field nodes (a ``block`` among them holds more of them),
        each a ``declare`` of names and a type."""
        parts = self.parts(node, spec)
        if parts is None:
            return ir.ANY
        if parts.get("parent"):
            self.unsupported(node, "a record that extends another")
            return ir.ANY
        name, self.record_name = self.record_name or "record", ""
        return ir.RecordSpec(name, tuple(self.record_fields(self.flat(parts.get("fields")))))

    def record_fields(self, nodes: list[SyntaxNode]) -> list[tuple[str, ir.TypeSpec]]:
        fields: list[tuple[str, ir.TypeSpec]] = []
        for field in self.field_nodes(nodes):
            fspec = self.runs.get(field.kind)
            if fspec is None or fspec.construct != "declare":
                self.unsupported(field, f"{self.what(field)} in a record")
                continue
            fparts = self.parts(field, fspec)
            if fparts is None:
                continue
            typ = self.type_in(self.one(fparts.get("type")))
            for name_node in self.flat(fparts.get("names")):
                found = self.name_of(name_node)
                if found is not None:
                    fields.append((self.key(_text(found)), typ))
        return fields

    def field_nodes(self, nodes: list[SyntaxNode]) -> list[SyntaxNode]:
        out: list[SyntaxNode] = []
        for node in nodes:
            inner = self.unwrap(node)
            spec = self.runs.get(inner.kind)
            if spec is not None and spec.construct == "block":
                parts = self.parts(inner, spec) if spec.part("body") else {
                    "body": [list(inner.children())]}
                out.extend(self.field_nodes(self.flat((parts or {}).get("body"))))
            else:
                out.append(inner)
        return out

    def index_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        """``base[i].field[j]``: the subscripts and fields in the order written."""
        if not spec.part("field"):
            return super().index_expr(node, spec)
        parts = self.parts(node, spec)
        base = self.one(parts.get("base")) if parts else None
        if parts is None or base is None:
            return ir.Const(node.start, None) if parts is None else self.unsupported(
                node, "this selection")
        fields = {_ident(n) for n in self.flat(parts.get("field"))}
        derefs = {_ident(n) for n in self.flat(parts.get("deref"))}
        calls = {_ident(n) for n in self.flat(parts.get("args"))}
        methods = {_ident(n) for n in self.flat(parts.get("method"))}
        children = [c for c in node.children() if _ident(c) != _ident(base)]
        result, children = self.selection_start(base, children, fields, calls)
        skip = False
        for i, child in enumerate(children):
            if skip:
                skip = False
                continue
            if _ident(child) in derefs:  # p^: the one element of the pointer's list
                result = ir.Index(child.start, result,
                                  ir.Const(child.start, self.d.structure.index_base))
            elif _ident(child) in fields:
                after = children[i + 1] if i + 1 < len(children) else None
                args = after if after is not None and _ident(after) in calls else None
                result, skip = self.field_step(child, result, args)
            elif _ident(child) in methods:
                result = self.library_method(child, result, spec)
            elif _ident(child) in calls and self.several:  # Lua: a function value's call
                result = closures.single(self, ir.CallValue(
                    child.start, result, closures.values_of(self, list(child.children()))))
            elif _ident(child) in calls:
                return self.unsupported(child, "a call of this value")
            else:
                result = self.subscripts(child, result)
        return result

    def selection_start(self, base: SyntaxNode, children: list[SyntaxNode],
                        fields: set[tuple[object, ...]], calls: set[tuple[object, ...]]
                        ) -> tuple[ir.Expr, list[SyntaxNode]]:
        """The value a selection starts from and the selectors after it: a library
        function's call takes the field and the arguments after the library's name."""
        library = self.library_call(base, children, fields, calls)
        if library is not None:
            return library, children[2:]
        member = self.name_of(children[0]) if children and _ident(children[0]) in fields \
            else None
        found = self.qualified([base, member]) if member is not None else None
        if found is not None and member is not None:  # module.name, module.f(args)
            module, key = found
            args = children[1] if len(children) > 1 and _ident(children[1]) in calls \
                else None
            if args is not None and key in module.functions:
                return self.module_call(args, member, module.functions[key],
                                        list(args.children())), children[2:]
            # no such function: the error is said once (or is the broken import's)
            value = self.module_member(member, member, module, key)
            return value, children[2 if args is not None else 1:]
        return self.expr(base), children

    def library_call(self, base: SyntaxNode, children: list[SyntaxNode],
                     fields: set[tuple[object, ...]], calls: set[tuple[object, ...]]
                     ) -> ir.Expr | None:
        """``table.concat(t)``: a call of a function of a builtin library (a builtin's
        ``members``), when ``base`` names the builtin, not a variable; else None."""
        name = self.unwrap(base)
        if name.kind != K.NAME_REF or len(children) < 2 or _ident(children[0]) not in fields \
                or _ident(children[1]) not in calls:
            return None
        key = self.key(_text(name))
        if key in self.scope.slots or key in self.global_slots or key in self.decls \
                or key in self.consts:
            return None
        library = self.d.builtin(_text(name))
        field = self.name_of(children[0])
        if library is None or field is None:
            return None
        member = library.member(_text(field))
        if member is None or member.implements is None:  # (a member listed for completion)
            self.fail(field, f"the library function {_text(name)}.{_text(field)} is not "
                      "runnable: the builtin's members do not name it with a runtime "
                      "operation (implements:)")
            return ir.Const(field.start, None)
        return self.builtin_call(children[1], field, member, f"{_text(name)}.{_text(field)}",
                                 list(children[1].children()), children[1])

    def field_step(self, child: SyntaxNode, result: ir.Expr, args: SyntaxNode | None
                   ) -> tuple[ir.Expr, bool]:
        """``result.name`` (a field), or ``result.name(args)`` when ``name`` is a method
        of its type; whether the arguments were taken."""
        name = self.name_of(child)
        if name is None:
            return self.unsupported(child, "a field without a name"), False
        call = self.member_call(result, name, args)
        if call is not None:
            return call, args is not None
        if args is not None and not self.several and self.protocol_methods(_text(name)):
            # x.m(args) of a method the definition's protocols declare (s.upper())
            return self.protocol_call(child, name, result, list(args.children()),
                                      _text(name)), True
        return ir.Field(name.start, result, self.key(_text(name))), False

    def library_method(self, child: SyntaxNode, receiver: ir.Expr, spec: RunSpec) -> ir.Expr:
        """``x:m(args)``: the member ``m`` of the builtin library ``run.methods`` with
        ``x`` first (Lua's ``s:upper()`` is ``string.upper(s)``); a method the library
        does not have (a table's own) is refused."""
        name = self.name_of(child)
        args = next((c for c in child.children() if c.kind != K.NAME_REF), None)
        library = self.d.builtin(spec.methods) if spec.methods else None
        member = library.member(_text(name)) if library is not None and name else None
        member = member if member is not None and member.implements is not None else None
        if name is not None and member is None and args is not None and self.several:
            # a table's method (Lua's obj:m(args)): found through its metatable
            return closures.single(self, ir.MethodCall(name.start, receiver, self.key(
                _text(name)), closures.values_of(self, list(args.children()))))
        if name is None or member is None or args is None:
            return self.unsupported(child, f"{self.what(child)} (a method that is not one "
                                    f"of the {spec.methods or 'library'} functions)")
        return self.builtin_call(child, name, member, f"{spec.methods}.{_text(name)}",
                                 list(args.children()), args, receiver=receiver)

    def member_call(self, receiver: ir.Expr, name: SyntaxNode,
                    args: SyntaxNode | None) -> ir.Expr | None:
        """``x.m(args)`` when ``m`` is a method of ``x``'s type; None for a field."""
        return None

    # ----- string literals of quoted parts and character codes -----

    def text_expr(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        out: list[str] = []
        for item in self.items(node):
            if isinstance(item, SyntaxToken):
                toks = [item]
            elif item.kind == K.LITERAL:
                toks = self.tokens(item)
            else:
                return self.unsupported(item, f"{self.what(item)} in {self.what(node)}")
            for tok in toks:
                piece = self.text_of(tok)
                if piece is None:
                    self.fail(tok, f"{tok.text!r} in {self.what(node)} is not text")
                    return ir.Const(node.start, None)
                out.append(piece)
        return ir.Const(node.start, "".join(out))

    def text_of(self, tok: SyntaxToken) -> str | None:
        """A quoted string's text, or a run of character codes and quoted strings
        (``#13'a'#$0A``) when a ``text`` rule declares the code prefix."""
        text = tok.text
        for rule in self.d.lexical.strings:
            d = rule.delimiter
            if text.startswith(d) and text.endswith(d) and len(text) >= 2 * len(d):
                return self.string(text)
        code = next((c for c in self.codes if text.startswith(c)), None)
        if code is None:
            return None
        out: list[str] = []
        pos = 0
        while pos < len(text):
            if text.startswith(code, pos):
                pos += len(code)
                end = pos
                hex_ = text.startswith("$", pos)
                end += hex_
                while end < len(text) and (text[end].isdigit() or hex_ and text[end] in
                                           "abcdefABCDEF"):
                    end += 1
                digits = text[pos + hex_:end]
                if not digits or int(digits, 16 if hex_ else 10) > 0x10FFFF:
                    return None
                out.append(chr(int(digits, 16 if hex_ else 10)))
                pos = end
                continue
            quoted = self.quoted_at(text, pos)
            if quoted is None:
                return None
            out.append(self.string(text[pos:quoted]))
            pos = quoted
        return "".join(out)

    def quoted_at(self, text: str, pos: int) -> int | None:
        """The end of the quoted string that starts at ``pos`` (doubled delimiters stay
        inside it)."""
        for rule in self.d.lexical.strings:
            d = rule.delimiter
            if not text.startswith(d, pos):
                continue
            end = pos + len(d)
            while True:
                found = text.find(d, end)
                if found < 0:
                    return None
                if rule.escape == "doubled" and text.startswith(d, found + len(d)):
                    end = found + 2 * len(d)
                    continue
                return found + len(d)
        return None

    def literal(self, node: SyntaxNode) -> ir.Expr:
        tok = self.tokens(node)[0]
        if self.codes and any(tok.text.startswith(c) for c in self.codes):
            piece = self.text_of(tok)
            if piece is not None:
                return ir.Const(node.start, piece)
        return super().literal(node)

    # ----- procedures that store into a variable argument -----

    def stored_call(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt] | None:
        """``Str(x, s)`` (operation ``str_to``): ``s := str(x)``; None for other calls."""
        parts = self.parts(node, spec)
        callee = self.name_of(self.one(parts.get("callee"))) if parts else None
        builtin = self.d.builtin(_text(callee)) if callee is not None else None
        if builtin is None or builtin.implements != "str_to" or callee is None or parts is None:
            return None
        if self.key(_text(callee)) in self.scope.slots or self.key(_text(callee)) in self.decls:
            return None
        args = self.flat(parts.get("args"))
        if len(args) != 2:
            self.fail(callee, f"{_text(callee)} takes 2 argument(s), {len(args)} given")
            return []
        value = ir.BuiltinCall(callee.start, "str", _text(callee), (self.expr(args[0]),))
        return [ir.Assign(node.start, self.target(args[1]), value)]

    def make_call(self, node: SyntaxNode, callee: SyntaxNode, arg_nodes: list[SyntaxNode],
                  arg_list: SyntaxNode | None = None, name: str = "") -> ir.Expr:
        text = name or _text(callee)  # name: a call no child names (run.function)
        key = self.key(text)
        if key in self.nested and key not in self.scope.slots:
            return self.nested_call(callee, self.nested[key], arg_nodes)
        builtin = self.d.builtin(text)
        if builtin is not None and builtin.implements == "str_to" and key not in self.decls \
                and key not in self.scope.slots:
            self.fail(callee, f"{text} stores into its last argument: it is a "
                      "statement, not a value")
            return ir.Const(node.start, None)
        return super().make_call(node, callee, arg_nodes, arg_list, name)

    # ----- routines inside routines -----

    def name(self, node: SyntaxNode) -> ir.Expr:
        key = self.key(_text(node))
        if key in self.nested and key not in self.scope.slots:
            return self.make_call(node, node, [])  # a call without parentheses
        return super().name(node)

    def function(self, key: str, decl: SyntaxNode) -> None:
        nested, frames = dict(self.nested), self.goto_frames
        self.goto_frames = []
        try:
            super().function(key, decl)
        finally:  # the routines it declares are its own
            self.nested, self.goto_frames = nested, frames

    def function_key(self, key: str) -> str:
        if self.nesting and self.nesting[-1] == key:
            return self.nested[key].ir_key
        return self.prefix + key

    def run_function(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        if not self.scope.key:
            return super().run_function(node, spec)
        if self.several:  # Lua: a local variable holding a function value
            return closures.local_function(self, node, spec)
        name = self.name_of(self.one(self.select(node, spec.part("name"), set())))
        if name is None:
            return self.missing(node, "name")
        key = self.key(_text(name))
        ir_key = f"{self.function_key(self.scope.key)}.{key}"
        own = {self.key(_text(n)) for d in node.descendants()
               if self.meanings.get(d.kind, Meaning()).declares in (
                   "parameter", "variable", "constant")
               for n in [self.name_of(d)] if n is not None}
        used = {self.key(_text(d)) for d in node.descendants() if d.kind == K.NAME_REF}
        captured = tuple(k for k in self.scope.slots
                         if k in used and k not in own and not k.startswith("\0"))
        self.nested[key] = _Nested(ir_key, node, captured)
        self.outer_scopes[key] = self.scope
        outer_shadows = len(self.shadows)
        self.lower_nested(key, node)
        self.unshadow(outer_shadows)
        return []

    run_procedure = run_function

    def lower_nested(self, key: str, node: SyntaxNode) -> None:
        outer = self.scope
        self.nesting.append(key)
        try:
            self.function(key, node)
        finally:
            self.nesting.pop()
            self.scope = outer

    def hidden_params(self, key: str, scope: _Scope) -> list[ir.Param]:
        found = self.nested.get(key)
        outer = self.outer_scopes.get(key)
        if found is None or outer is None or scope.key != key:
            return []
        params = []
        for captured in found.captured:
            outer_slot = outer.slots[captured]
            typ = outer.types.get(outer_slot, ir.ANY)
            slot = scope.add(captured, outer.names[outer_slot], typ)
            scope.refs.add(slot)
            params.append(ir.Param(outer.names[outer_slot], slot, True, typ))
        return params

    def nested_call(self, callee: SyntaxNode, found: _Nested,
                    arg_nodes: list[SyntaxNode]) -> ir.Expr:
        refs = self.param_refs(found.decl)
        if len(arg_nodes) != len(refs):
            self.fail(callee, f"{_text(callee)} takes {len(refs)} argument(s), "
                      f"{len(arg_nodes)} given")
        args: list[ir.Expr] = [self.target(a) if ref else self.expr(a)
                               for a, ref in zip(arg_nodes, refs, strict=False)]
        if args:
            self.one_value(arg_nodes[len(args) - 1], args[-1])
        for captured in found.captured:
            slot = self.scope.slots.get(captured)
            if slot is None:  # never: the caller is inside the routine that declares it
                self.fail(callee, f"{_text(callee)} is called where its outer variables "
                          "are not in scope")
                continue
            args.append(ir.Local(callee.start, self.scope.names[slot], slot,
                                 slot in self.scope.refs, self.scope.types.get(slot, ir.ANY)))
        return ir.Call(callee.start, found.ir_key, tuple(args))

    # ----- labels and forward goto -----

    def label_key(self, node: SyntaxNode, spec: RunSpec) -> tuple[str, SyntaxNode | None]:
        """The label a ``label``/``goto`` node names, and the statement it labels."""
        part = "name" if spec.construct == "label" else "label"
        parts = self.parts(node, spec) or {}
        name = self.one(parts.get(part))
        body = self.one(parts.get("body")) if spec.construct == "label" else None
        return (self.key(" ".join(_text(name).split())) if name is not None else "", body)

    def labels_in(self, items: list[SyntaxNode]) -> dict[str, int]:
        found: dict[str, int] = {}
        for i, item in enumerate(items):
            inner = self.unwrap(item)
            spec = self.runs.get(inner.kind)
            if spec is not None and spec.construct == "label":
                found.setdefault(self.label_key(inner, spec)[0], i)
        return found

    def gotos_in(self, node: SyntaxNode) -> set[str]:
        """The labels the ``goto`` statements in ``node`` jump to (not in its routines)."""
        out: set[str] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            spec = self.runs.get(current.kind)
            if spec is not None and spec.construct in _ROUTINES and current is not node:
                continue
            if spec is not None and spec.construct == "goto":
                parts = self.select(current, spec.part("label"), set())
                name = self.one(parts)
                if name is not None:
                    out.add(self.key(" ".join(_text(name).split())))
                continue
            stack.extend(current.children())
        return out

    def body_of(self, node: SyntaxNode, groups: Groups | None, scoped: bool = True) -> ir.Body:
        items = self.flat(groups)
        labels = self.labels_in(items)
        if not labels and not self.active_jumps(items):
            return super().body_of(node, groups, scoped)
        mark = len(self.shadows)
        frame: dict[str, ir.Local | ir.Global] = {}
        out: list[ir.Stmt] = []
        for key, index in labels.items():
            if any(key in self.gotos_in(item) for item in items[:index]):
                flag = self.temporary_named(items[index], f"\0goto {key}")
                frame[key] = flag
                out.append(ir.Assign(items[index].start, flag, ir.Const(items[index].start,
                                                                         False)))
        self.goto_frames.append(frame)
        try:
            out.extend(self.guarded(items, frame))
        finally:
            self.goto_frames.pop()
        if scoped:
            self.unshadow(mark)
        return tuple(out)

    def active_jumps(self, items: list[SyntaxNode]) -> bool:
        return any(frame for frame in self.goto_frames if frame) and any(
            self.gotos_in(item) for item in items)

    def temporary_named(self, node: SyntaxNode, hidden: str) -> ir.Local | ir.Global:
        if self.scope.key:
            slot = self.scope.add(hidden, "(label)")
            return ir.Local(node.start, "(label)", slot)
        slot = self.global_slots.setdefault(hidden, len(self.global_names))
        if slot == len(self.global_names):
            self.global_names.append("(label)")
        return ir.Global(node.start, "(label)", slot)

    def flag_of(self, key: str) -> ir.Local | ir.Global | None:
        """The flag of a label a goto here may jump to: in the enclosing lists, not past
        a loop."""
        for frame in reversed(self.goto_frames):
            if frame is None:
                return None
            if key in frame:
                return frame[key]
        return None

    def guarded(self, items: list[SyntaxNode], frame: dict[str, ir.Local | ir.Global]
                ) -> list[ir.Stmt]:
        """The statements of a list; after one that may jump, those up to the label (or
        to the end of the list, when the label is in an enclosing one) run only when it
        did not."""
        out: list[ir.Stmt] = []
        for i, item in enumerate(items):
            out.extend(self.labelled(item, frame))
            jumps = sorted(k for k in self.gotos_in(item) if self.flag_of(k) is not None)
            if not jumps:
                continue
            if len(jumps) > 1:
                self.unsupported(item, "a statement that jumps to several labels")
                return out
            flag = self.flag_of(jumps[0])
            assert flag is not None
            rest = items[i + 1:]
            labels = self.labels_in(rest)
            end = labels.get(jumps[0], len(rest)) if jumps[0] in frame else len(rest)
            skipped, after = rest[:end], rest[end:]
            if skipped:
                if any(k in frame and k != jumps[0] for k in self.labels_in(skipped)):
                    self.unsupported(item, "a goto over another label")
                inner = tuple(self.guarded(skipped, frame))
                out.append(ir.If(skipped[0].start, ((ir.Unary(skipped[0].start, "not", flag),
                                                      inner),), None))
            out.extend(self.guarded(after, frame))
            return out
        return out

    def labelled(self, item: SyntaxNode, frame: dict[str, ir.Local | ir.Global]
                 ) -> list[ir.Stmt]:
        inner = self.unwrap(item)
        spec = self.runs.get(inner.kind)
        if spec is None or spec.construct != "label":
            return list(self.statement(item))
        key, body = self.label_key(inner, spec)
        out: list[ir.Stmt] = []
        if key in frame:  # arriving here by the jump or not, the jump is over
            out.append(ir.Assign(inner.start, frame[key], ir.Const(inner.start, False)))
        if body is not None:
            out.extend(self.statement(body))
        return out

    def run_label(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        _, body = self.label_key(node, spec)
        return list(self.statement(body)) if body is not None else []

    def run_goto(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        key = next(iter(self.gotos_in(node)), "")
        flag = self.flag_of(key)
        if flag is None:
            self.fail(node, "this goto is not supported by craftls run/build: only a jump "
                      "forward to a label of an enclosing statement list, not out of a loop")
            return []
        return [ir.Assign(node.start, flag, ir.Const(node.start, True))]

    def run_while(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return self.in_loop(lambda: super(StructuredLowering, self).run_while(node, spec))

    def run_repeat(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return self.in_loop(lambda: super(StructuredLowering, self).run_repeat(node, spec))

    def run_for(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        return self.in_loop(lambda: super(StructuredLowering, self).run_for(node, spec))

    def in_loop(self, lower: Callable[[], list[ir.Stmt]]) -> list[ir.Stmt]:
        """A loop's statements: no goto leaves it (the loop would go on)."""
        self.goto_frames.append(None)
        try:
            return lower()
        finally:
            self.goto_frames.pop()
