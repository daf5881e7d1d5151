"""Lowering of a grammar-defined language's object types (Turbo Pascal's ``object``):
fields, methods, constructors, virtual methods and ``inherited`` calls, read from the
rules' ``run:`` annotations (``object``, ``inherited``, and ``function``/``procedure``
with an ``owner`` part for a method's body); nothing here knows a language.

An object is an ``ir.RecordSpec`` record: its ancestors' fields, its own, and a hidden
class field that says which object type it was constructed as. A method is a routine
of its own (``Type.method``) that takes the object by reference as its last parameter
``Self``; a constructor also takes the class number to store, so ``inherited Init``
keeps the class the outer constructor gave. A call of a virtual method goes through a
dispatcher routine that chooses, by the class field, the implementation of the
object's own type; calling one on an object that no constructor initialised is a
runtime error (in Turbo Pascal it is undefined)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..language.run_spec import RunSpec
from ..syntax.tree import SyntaxNode
from . import ir
from .lower import _Scope, _text
from .lower_ordinals import OrdinalLowering

CLASS = "\0class"  # the hidden field: which object type the object was constructed as


@dataclass
class _Method:
    name: str
    owner: str  # the key of the object type that declares it
    virtual: bool
    constructor: bool
    heading: SyntaxNode  # in its object type: a body that lists no parameters has its


@dataclass
class _Object:
    key: str
    name: str
    parent: str | None
    number: int  # the value of its objects' class field (from 1)
    spec: ir.RecordSpec
    methods: dict[str, _Method] = field(default_factory=dict)


class ObjectLowering(OrdinalLowering):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.objects: dict[str, _Object] = {}
        self.bodies: dict[str, tuple[str, str]] = {}  # "type.method" -> (type, method)
        self.method: tuple[str, str] | None = None  # the method being lowered
        self.dispatchers: set[tuple[str, str]] = set()  # (type, method) called virtually

    # ----- declarations -----

    def collect(self, node: SyntaxNode) -> None:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is None or spec.construct not in ("function", "procedure") \
                or not spec.part("owner"):
            super().collect(node)
            return
        pair = self.body_pair(inner, spec)
        if pair is None:
            return
        key = f"{pair[0]}.{pair[1]}"  # no name of the program has a dot: its own key
        self.decls[key] = inner
        self.bodies[key] = pair

    def body_pair(self, decl: SyntaxNode, spec: RunSpec) -> tuple[str, str] | None:
        """(type, method) keys of a method's body (``procedure TCounter.Add``)."""
        owner = self.name_of(self.one(self.select(decl, spec.part("owner"), set())))
        name = self.name_of(self.one(self.select(decl, spec.part("name"), set())))
        if owner is None or name is None:
            return None
        return self.key(_text(owner)), self.key(_text(name))

    def type_in(self, node: SyntaxNode | None) -> ir.TypeSpec:
        inner = self.unwrap(node) if node is not None else None
        spec = self.runs.get(inner.kind) if inner is not None else None
        if inner is not None and spec is not None and spec.construct == "object":
            return self.object_in(inner, spec)
        return super().type_in(node)

    def object_in(self, node: SyntaxNode, spec: RunSpec) -> ir.TypeSpec:
        parts = self.parts(node, spec)
        if parts is None:
            return ir.ANY
        name, self.record_name = self.record_name, ""
        if not name:
            self.unsupported(node, "an object type without a name")
            return ir.ANY
        parent_node = self.one(parts.get("parent"))
        parent = self.objects.get(self.key(_text(parent_node))) if parent_node else None
        if parent_node is not None and parent is None:
            self.fail(parent_node, f"{_text(parent_node)!r} is not an object type declared "
                      "before")
        fields: list[tuple[str, ir.TypeSpec]] = list(parent.spec.fields) if parent else [
            (CLASS, ir.Scalar("int"))]
        obj = _Object(self.key(name), name, parent.key if parent else None,
                      len(self.objects) + 1, ir.RecordSpec(name, ()),
                      dict(parent.methods) if parent else {})
        members = self.field_nodes(self.flat(parts.get("members")))
        for member in members:
            mspec = self.runs.get(member.kind)
            if mspec is not None and mspec.construct in ("function", "procedure"):
                self.method_heading(member, mspec, obj)
            else:
                fields.extend(self.record_fields([member]))
        obj.spec = ir.RecordSpec(name, tuple(fields))
        self.objects[obj.key] = obj
        return obj.spec

    def method_heading(self, node: SyntaxNode, spec: RunSpec, obj: _Object) -> None:
        name = self.name_of(self.one(self.select(node, spec.part("name"), set())))
        if name is None:
            self.unsupported(node, "a method without a name")
            return
        key = self.key(_text(name))
        words = [t.text for d in [node, *node.descendants()] for t in self.tokens(d)]
        inherited = obj.methods.get(key)
        virtual = any(self.same(w, spec.virtual) for w in words) if spec.virtual else False
        obj.methods[key] = _Method(
            _text(name), obj.key, virtual or bool(inherited and inherited.virtual),
            bool(spec.constructor) and any(self.same(w, spec.constructor) for w in words),
            node)

    # ----- method bodies -----

    def heading_of(self, decl: SyntaxNode) -> SyntaxNode | None:
        spec = self.runs[decl.kind]
        pair = self.body_pair(decl, spec) if spec.part("owner") else None
        obj = self.objects.get(pair[0]) if pair is not None else None
        method = obj.methods.get(pair[1]) if obj is not None and pair is not None else None
        return method.heading if method is not None else super().heading_of(decl)

    def function(self, key: str, decl: SyntaxNode) -> None:
        pair = self.bodies.get(key)
        if pair is None or self.nesting:
            super().function(key, decl)
            return
        obj = self.objects.get(pair[0])
        method = obj.methods.get(pair[1]) if obj is not None else None
        if obj is None or method is None:
            self.fail(decl, f"{key!r} is no method of an object type declared before")
            return
        outer, self.method = self.method, pair
        try:
            super().function(pair[1], decl)
        finally:
            self.method = outer
        lowered = self.functions[key]
        typed = self.result_type_node(decl) is not None
        self_slot = next(p.slot for p in lowered.params if p.name == "\0self")
        body = lowered.body
        if method.constructor:  # the object is of the class its constructor is given
            class_slot = lowered.params[-1].slot
            body = (ir.Assign(decl.start, ir.Field(decl.start, ir.Local(
                decl.start, "Self", self_slot, True, obj.spec), CLASS), ir.Local(
                decl.start, "(class)", class_slot)),) + body
        self.functions[key] = dataclasses.replace(
            lowered, key=key, name=f"{obj.name}.{method.name}", body=body,
            params=tuple(dataclasses.replace(p, name="Self") if p.name == "\0self" else p
                         for p in lowered.params),
            result_slot=lowered.result_slot if typed else None)

    def function_key(self, key: str) -> str:
        if self.method is not None and not self.nesting and key == self.method[1]:
            return f"{self.method[0]}.{key}"
        return super().function_key(key)

    def hidden_params(self, key: str, scope: _Scope) -> list[ir.Param]:
        found = super().hidden_params(key, scope)
        if self.method is None or self.nesting or key != self.method[1]:
            return found
        obj = self.objects[self.method[0]]
        slot = scope.add("self", "Self", obj.spec)
        scope.refs.add(slot)
        params = found + [ir.Param("\0self", slot, True, obj.spec)]
        if obj.methods[self.method[1]].constructor:
            params.append(ir.Param("(class)", scope.add("\0class", "(class)"), False, ir.ANY))
        return params

    # ----- calls -----

    def object_of(self, expr: ir.Expr) -> _Object | None:
        typ = self.static_type(expr)
        if isinstance(typ, ir.RecordSpec):
            return self.objects.get(self.key(typ.name))
        return None

    def member_call(self, receiver: ir.Expr, name: SyntaxNode,
                    args: SyntaxNode | None) -> ir.Expr | None:
        obj = self.object_of(receiver)
        key = self.key(_text(name))
        if obj is None or key not in obj.methods:
            return super().member_call(receiver, name, args)
        arg_nodes = list(args.children()) if args is not None else []
        return self.object_call(name, receiver, obj, key, arg_nodes, inherited=False)

    def object_call(self, at: SyntaxNode, receiver: ir.Expr, obj: _Object, key: str,
                    arg_nodes: list[SyntaxNode], inherited: bool) -> ir.Expr:
        method = obj.methods[key]
        impl = f"{method.owner}.{key}"
        decl = self.decls.get(impl)
        if decl is None:
            self.fail(at, f"the method {obj.name}.{method.name} has no body")
            return ir.Const(at.start, None)
        if not isinstance(receiver, (ir.Local, ir.Global, ir.Index, ir.Field)):
            self.fail(at, "a method of a value that is not a variable")
            return ir.Const(at.start, None)
        refs = self.param_refs(decl)
        if len(arg_nodes) != len(refs):
            self.fail(at, f"{method.name} takes {len(refs)} argument(s), "
                      f"{len(arg_nodes)} given")
        args: list[ir.Expr] = [self.target(a) if ref else self.expr(a)
                               for a, ref in zip(arg_nodes, refs, strict=False)]
        args.append(receiver)
        if method.constructor:
            args.append(ir.Field(at.start, receiver, CLASS) if inherited
                        else ir.Const(at.start, obj.number))
        elif method.virtual and not inherited:
            self.dispatchers.add((obj.key, key))
            impl = f"{obj.key}.{key}\0virtual"
        return ir.Call(at.start, impl, tuple(args))

    def run_inherited(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        parts = self.parts(node, spec)
        name = self.name_of(self.one(parts.get("name"))) if parts else None
        if parts is None or name is None:
            return ir.Const(node.start, None) if parts is None else self.unsupported(
                node, "inherited without a method's name")
        owner = self.objects.get(self.method[0]) if self.method else None
        parent = self.objects.get(owner.parent) if owner and owner.parent else None
        key = self.key(_text(name))
        if parent is None or key not in parent.methods:
            return self.unsupported(node, "inherited outside a method whose ancestor has "
                                    "this method")
        self_slot = self.scope.slots["self"]
        receiver = ir.Local(node.start, "Self", self_slot, True, owner.spec if owner else
                            ir.ANY)
        args = [n for g in parts.get("args") or [] for a in g for n in a.children()]
        return self.object_call(name, receiver, parent, key, args, inherited=True)

    def statement(self, node: SyntaxNode) -> Iterator[ir.Stmt]:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct in ("inherited", "index"):
            known = len(self.problems)
            value = self.expr(inner)
            if isinstance(value, ir.Nth) and isinstance(
                    value.value, (ir.Call, ir.CallValue, ir.MethodCall)):
                value = value.value  # Lua: a call's results as a statement are dropped
            if isinstance(value, (ir.Call, ir.BuiltinCall, ir.CallValue, ir.MethodCall)):
                return iter([ir.ExprStmt(inner.start, value)])
            if len(self.problems) == known:
                self.unsupported(inner, f"{self.what(inner)} as a statement")
            return iter(())
        return super().statement(node)

    def expr(self, node: SyntaxNode, statement: bool = False) -> ir.Expr:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct == "inherited":
            return self.run_inherited(inner, spec)
        return super().expr(node, statement)

    def own_object(self) -> _Object | None:
        """The object type of the method being lowered (not of a routine inside it)."""
        if self.method is None or self.nesting or "self" not in self.scope.slots:
            return None
        return self.objects.get(self.method[0])

    def name(self, node: SyntaxNode) -> ir.Expr:
        """In a method, its object's fields and methods by their bare names."""
        obj = self.own_object()
        key = self.key(_text(node))
        if obj is not None and key not in self.scope.slots:
            receiver = self.local(node, "self")
            if key in obj.methods and key != self.method_key():
                return self.object_call(node, receiver, obj, key, [], inherited=False)
            if key in dict(obj.spec.fields):
                return ir.Field(node.start, receiver, key)
        return super().name(node)

    def method_key(self) -> str:
        return self.method[1] if self.method else ""

    def target(self, node: SyntaxNode) -> ir.Target:
        obj = self.own_object()
        inner = self.unwrap(node)
        key = self.key(_text(inner))
        if obj is not None and inner.kind == "NAME_REF" and key not in self.scope.slots \
                and key in dict(obj.spec.fields):
            return ir.Field(inner.start, self.local(inner, "self"), key)
        return super().target(node)

    def make_call(self, node: SyntaxNode, callee: SyntaxNode, arg_nodes: list[SyntaxNode],
                  arg_list: SyntaxNode | None = None, name: str = "") -> ir.Expr:
        obj = self.own_object()
        text = name or _text(callee)  # name: a call no child names (run.function)
        key = self.key(text)
        if obj is not None and key in obj.methods and key not in self.scope.slots:
            return self.object_call(callee, self.local(callee, "self"), obj, key, arg_nodes,
                                    inherited=False)
        builtin = self.d.builtin(text)
        if builtin is not None and builtin.implements in ("high", "low") \
                and key not in self.scope.slots and key not in self.decls:
            return self.bound(callee, builtin.implements, arg_nodes)
        return super().make_call(node, callee, arg_nodes, arg_list, name)

    def bound(self, callee: SyntaxNode, which: str, arg_nodes: list[SyntaxNode]) -> ir.Expr:
        """``High(a)``, ``Low(a)`` of an array variable: its declared bound."""
        typ = self.static_type(self.expr(arg_nodes[0])) if len(arg_nodes) == 1 else ir.ANY
        if not isinstance(typ, ir.ArraySpec):
            self.fail(callee, f"{_text(callee)} runs only on an array variable declared with "
                      "its bounds")
            return ir.Const(callee.start, None)
        return ir.Const(callee.start, typ.high if which == "high" else typ.low)

    # ----- virtual dispatch -----

    def program(self) -> ir.Program:
        result = super().program()
        for obj_key, key in sorted(self.dispatchers):
            self.dispatcher(obj_key, key)
        return result

    def dispatcher(self, obj_key: str, key: str) -> None:
        """``type.method\\0virtual``: the implementation of the object's own class."""
        obj = self.objects[obj_key]
        impl = self.functions[f"{obj.methods[key].owner}.{key}"]
        params = impl.params
        slots = tuple(p.name for p in params)
        pos = impl.pos
        self_param = params[-1]
        receiver = ir.Local(pos, "Self", self_param.slot, True, self_param.typ)
        args = tuple(ir.Local(pos, p.name, p.slot, p.ref, p.typ) for p in params)
        arms = []
        for other in self.objects.values():
            if self.descends(other, obj_key):
                target = f"{other.methods[key].owner}.{key}"
                arms.append((((ir.Const(pos, other.number), None),),
                             (ir.Return(pos, ir.Call(pos, target, args)),)))
        failure = ir.ExprStmt(pos, ir.BuiltinCall(pos, "assert", obj.methods[key].name, (
            ir.Const(pos, False), ir.Const(pos, "a virtual method of an object that no "
                                               "constructor initialised"))))
        self.functions[f"{obj_key}.{key}\0virtual"] = ir.Function(
            f"{obj_key}.{key}\0virtual", impl.name, pos, params, slots,
            (ir.Case(pos, ir.Field(pos, receiver, CLASS), tuple(arms), (failure,)),),
            None, impl.result_type)

    def descends(self, obj: _Object, ancestor: str) -> bool:
        current: _Object | None = obj
        while current is not None:
            if current.key == ancestor:
                return True
            current = self.objects.get(current.parent) if current.parent else None
        return False


