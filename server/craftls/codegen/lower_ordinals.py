"""Lowering of a grammar-defined language's ordinal types and what goes with them:
enumerations, sets, ``case``, pointers (``New``, ``Dispose``, ``p^``), typed constants
and array constants, variant records, type casts to ordinals and field widths
(``Write(x:8:2)``). Read from the rules' ``run:`` annotations like the rest of
``lower_grammar.py``, which ``lower_structured.py`` and this extend; nothing here knows a
language. Everything lowers to the same small ``ir`` program:

* an enumeration's values are the constants 0, 1, 2 ... (``Ord`` gives them back);
* a set of small ordinals is an integer whose bit ``e`` is set when ``e`` is in it:
  ``+`` is ``or``, ``*`` ``and``, ``-`` ``a and not b``, ``=``/``<>`` compare the
  integers, ``<=``/``>=`` test inclusion, ``e in s`` tests the bit. Elements run from 0
  to 62 in C and WebAssembly (their integers have 64 bits; beyond is an overflow error);
* a pointer is a list of one element, shared as a pointer is: ``New(p)`` makes one
  holding the default value of the pointed-to type, ``p^`` is that element;
  ``Dispose(p)`` frees nothing (``p`` keeps its value, as in Pascal, and what it points
  to stays readable where Pascal's behaviour is undefined);
* a variant record has every variant's fields side by side (a program that writes one
  variant and reads another sees the other's own value, not the same memory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..language.run_spec import RunSpec, Step
from ..syntax import kinds as K
from ..syntax.tree import SyntaxNode, SyntaxToken
from . import ir
from .lower import _fold, _text
from .lower_reading import READING, bare_read, read_call
from .lower_structured import StructuredLowering


@dataclass(frozen=True)
class _SetSpec(ir.Scalar):
    """A set type: an integer to the back ends (its default 0 is the empty set)."""


@dataclass(frozen=True)
class _PointerSpec(ir.Scalar):
    """A pointer type: a value of any type to the back ends (a pointer variable has no
    value until it is given one, so reading it first is a runtime error, never a
    pointer to nothing); ``to`` is the pointed-to type's key."""

    to: str = ""


@dataclass(frozen=True)
class _EnumSpec(ir.Scalar):
    """An enumeration type: an integer to the back ends, which would write its values
    as numbers where Pascal writes their names (so writing one is refused)."""


SET = _SetSpec("int")
_SET_OPS = {"add": "or", "mul": "and"}
_PRINTING = frozenset({"write", "write_line", "str_to"})


class OrdinalLowering(StructuredLowering):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.set_values: dict[int, ir.Expr] = {}  # id -> set-valued expressions made here
        self.enum_values: set[str] = set()  # the keys of enumeration values

    # ----- dispatch -----

    def statement(self, node: SyntaxNode) -> Iterator[ir.Stmt]:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct == "case":
            return iter(self.run_case(inner, spec))
        if spec is None and inner.kind == K.NAME_REF:
            made = bare_read(self, inner)
            if made is not None:
                return iter(made)
        if spec is not None and spec.construct == "call":
            made = self.pointer_call(inner, spec)
            if made is None:
                made = read_call(self, inner, spec)
            if made is not None:
                return iter(made)
        return super().statement(node)

    def expr(self, node: SyntaxNode, statement: bool = False) -> ir.Expr:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct == "set":
            return self.set_value(inner, spec)
        if spec is not None and spec.construct == "format":
            return self.format_value(inner, spec)
        if spec is not None and spec.construct in ("range", "aggregate"):
            return self.unsupported(inner, f"{self.what(inner)} here")
        return super().expr(node, statement)

    # ----- types -----

    def type_in(self, node: SyntaxNode | None) -> ir.TypeSpec:
        inner = self.unwrap(node) if node is not None else None
        spec = self.runs.get(inner.kind) if inner is not None else None
        if inner is None or spec is None:
            return super().type_in(node)
        if spec.construct == "enum":
            return self.enum_in(inner, spec)
        if spec.construct == "settype":
            parts = self.parts(inner, spec)
            element = self.type_in(self.one(parts.get("of"))) if parts else ir.ANY
            if parts is not None and not _ordinal(element):
                self.unsupported(inner, "a set of other values than small ordinals "
                                 "(enumerations, integers)")
            return SET
        if spec.construct == "pointer":
            parts = self.parts(inner, spec)
            target = self.one(parts.get("to")) if parts else None
            if target is None:
                if parts is not None:
                    self.unsupported(inner, "this pointer type")
                return ir.ANY
            return _PointerSpec("any", to=self.key(" ".join(_text(target).split())))
        if spec.construct == "range":
            return self.subrange_in(inner, spec)
        return super().type_in(node)

    def run_enum(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        """An enumeration declared as a statement (``enum Color { Red, Green }``): its
        values are the constants 0, 1, 2 ..., every child node unless ``values`` says."""
        if not spec.part("values"):
            spec = RunSpec(spec.construct, (("values", ((Step("all"),),)),), ignore=spec.ignore)
        self.enum_in(node, spec)
        return []

    def enum_in(self, node: SyntaxNode, spec: RunSpec) -> ir.TypeSpec:
        parts = self.parts(node, spec)
        for number, value in enumerate(self.flat((parts or {}).get("values"))):
            name = self.name_of(value)
            if name is None or any(True for _ in value.children()) and value is not name \
                    and len(list(value.children())) > 1:
                self.unsupported(value, "an enumeration value with a value of its own")
                continue
            self.consts[self.key(_text(name))] = ir.Const(name.start, number)
            self.enum_values.add(self.key(_text(name)))
        return _EnumSpec("int")

    def subrange_in(self, node: SyntaxNode, spec: RunSpec) -> ir.TypeSpec:
        """``1..10``, ``'a'..'z'`` as a type: what its bounds are (no range check)."""
        parts = self.parts(node, spec) or {}
        low, high = self.one(parts.get("low")), self.one(parts.get("high"))
        values = [_fold(self.expr(b)) if b is not None else None for b in (low, high)]
        if all(type(v) is int for v in values):
            return ir.Scalar("int")
        if all(type(v) is str for v in values):
            return ir.Scalar("str")
        self.unsupported(node, "a subrange without constant bounds")
        return ir.ANY

    def record_fields(self, nodes: list[SyntaxNode]) -> list[tuple[str, ir.TypeSpec]]:
        fields: list[tuple[str, ir.TypeSpec]] = []
        rest: list[SyntaxNode] = []
        for node in self.field_nodes(nodes):
            spec = self.runs.get(node.kind)
            if spec is None or spec.construct != "variant":
                rest.append(node)
                continue
            parts = self.parts(node, spec)
            if parts is None:
                continue
            tag = self.name_of(self.one(parts.get("tag")))
            if tag is not None:
                fields.append((self.key(_text(tag)), self.type_in(self.one(parts.get("type")))))
            fields.extend(self.record_fields(self.flat(parts.get("arms"))))
        return super().record_fields(rest) + fields

    # ----- typed constants -----

    def run_const(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        if not spec.part("type"):
            return super().run_const(node, spec)
        parts = self.parts(node, spec)
        if parts is None:
            return []
        typ_node = self.one(parts.get("type"))
        if typ_node is None:
            return super().run_const(node, spec)
        name = self.name_of(self.one(parts.get("name")))
        value = self.one(parts.get("value"))
        if name is None or value is None:
            return self.missing(node, "name or value")
        if self.scope.key:  # Turbo Pascal keeps its value from one call to the next
            self.fail(node, "a typed constant inside a routine (a variable that keeps its "
                      "value between calls) is not supported by craftls run/build")
            return []
        typ = self.type_in(typ_node)
        target = self.declare(name, typ)
        inner = self.unwrap(value)
        vspec = self.runs.get(inner.kind)
        if vspec is not None and vspec.construct == "aggregate":
            return [ir.Declare(name.start, target, typ), *self.aggregate(inner, vspec, target,
                                                                         typ)]
        return [ir.Assign(node.start, target, self.expr(value))]

    def aggregate(self, node: SyntaxNode, spec: RunSpec, target: ir.Target,
                  typ: ir.TypeSpec) -> list[ir.Stmt]:
        """``(3, 4, 5)`` into an array variable: one assignment per element."""
        parts = self.parts(node, spec)
        items = self.flat((parts or {}).get("items"))
        if parts is None:
            return []
        if not isinstance(typ, ir.ArraySpec) or len(items) != typ.high - typ.low + 1:
            self.unsupported(node, "a constant of another shape than its array type")
            return []
        out: list[ir.Stmt] = []
        for offset, item in enumerate(items):
            element = ir.Index(item.start, target, ir.Const(item.start, typ.low + offset))
            inner = self.unwrap(item)
            ispec = self.runs.get(inner.kind)
            if ispec is not None and ispec.construct == "aggregate":
                out.extend(self.aggregate(inner, ispec, element, typ.elem))
            else:
                out.append(ir.Assign(item.start, element, self.expr(item)))
        return out

    # ----- case -----

    def run_case(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        subject = self.one(parts.get("subject")) if parts else None
        if parts is None or subject is None:
            return [] if parts is None else self.missing(node, "subject")
        arms: list[tuple[tuple[tuple[ir.Expr, ir.Expr | None], ...], ir.Body]] = []
        for arm in self.flat(parts.get("arms")):
            inner = self.unwrap(arm)
            aspec = self.runs.get(inner.kind)
            aparts = self.parts(inner, aspec) if aspec is not None and \
                aspec.construct == "arm" else None
            if aspec is None or aspec.construct != "arm":
                self.unsupported(arm, f"{self.what(arm)} as a case arm")
                continue
            if aparts is None:
                continue
            labels = tuple(self.case_label(label) for label in self.flat(aparts.get("labels")))
            arms.append((labels, self.body_of(inner, aparts.get("body"))))
        other = parts.get("else")
        return [ir.Case(node.start, self.expr(subject), tuple(arms),
                        self.body_of(node, other) if other else None)]

    def case_label(self, node: SyntaxNode) -> tuple[ir.Expr, ir.Expr | None]:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        ends = self.range_ends(inner)
        if ends is not None:
            return (self.expr(ends[0]), self.expr(ends[1]))
        if spec is not None and spec.construct == "range":
            return (self.unsupported(inner, "a range without its bounds"), None)
        return (self.expr(node), None)

    # ----- sets -----

    def static_type(self, expr: ir.Expr) -> ir.TypeSpec:
        """The declared type of a variable, element or field (a pointer's variable too),
        else ANY."""
        if isinstance(expr, ir.Index):
            base = self.static_type(expr.base)
            if isinstance(base, _PointerSpec):
                return self.types.get(base.to, ir.ANY)
        return super().static_type(expr)

    def is_set(self, expr: ir.Expr) -> bool:
        return id(expr) in self.set_values or isinstance(self.static_type(expr), _SetSpec)

    def as_set(self, expr: ir.Expr) -> ir.Expr:
        self.set_values[id(expr)] = expr  # kept: the id stays this expression's
        return expr

    def bit(self, element: ir.Expr) -> ir.Expr:
        return ir.Binary(element.pos, "pow", ir.Const(element.pos, 2), element)

    def set_value(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        parts = self.parts(node, spec)
        result: ir.Expr = ir.Const(node.start, 0)
        for element in self.flat((parts or {}).get("elements")):
            inner = self.unwrap(element)
            espec = self.runs.get(inner.kind)
            if espec is not None and espec.construct == "range":
                low, high = self.case_label(inner)
                ends = [_fold(low), _fold(high) if high is not None else None]
                if not all(type(v) is int for v in ends):
                    self.unsupported(inner, "a set range without constant whole-number bounds")
                    continue
                first, last = int(ends[0] or 0), int(ends[1] or 0)
                bits: ir.Expr = ir.Const(inner.start, (2 ** (last + 1) - 2 ** first)
                                         if last >= first else 0)
            else:
                bits = self.bit(self.expr(element))
            result = bits if isinstance(result, ir.Const) and result.value == 0 else \
                ir.Binary(element.start, "or", result, bits)
        return self.as_set(result)

    def make_binary(self, tok: SyntaxToken, spec: RunSpec, left: ir.Expr,
                    right: ir.Expr) -> ir.Expr:
        op = self.operator_of(tok, spec)
        if op == "in" and not self.has_sets:  # membership of a list's items, a string's
            return ir.Binary(tok.start, "in", left, right)
        if op == "in":
            if not self.is_set(right):
                self.fail(tok, f"{tok.text!r} runs only on a set (its right operand)")
                return ir.Const(tok.start, None)
            shifted = ir.Binary(tok.start, "idiv", right, self.bit(left))
            return ir.Binary(tok.start, "eq", ir.Binary(tok.start, "mod", shifted,
                                                         ir.Const(tok.start, 2)),
                             ir.Const(tok.start, 1))
        if op is None or not (self.is_set(left) or self.is_set(right)):
            return super().make_binary(tok, spec, left, right)
        if not (self.is_set(left) and self.is_set(right)):
            self.fail(tok, f"{tok.text!r} of a set and a value that is not one")
            return ir.Const(tok.start, None)
        if op in _SET_OPS:
            return self.as_set(ir.Binary(tok.start, _SET_OPS[op], left, right))
        if op == "sub":
            return self.as_set(ir.Binary(tok.start, "and", left,
                                         ir.Unary(tok.start, "not", right)))
        if op in ("eq", "ne"):
            return ir.Binary(tok.start, op, left, right)
        if op in ("le", "ge"):  # inclusion: nothing of the smaller is outside the larger
            small, large = (left, right) if op == "le" else (right, left)
            outside = ir.Binary(tok.start, "and", small, ir.Unary(tok.start, "not", large))
            return ir.Binary(tok.start, "eq", outside, ir.Const(tok.start, 0))
        self.fail(tok, f"the operator {tok.text!r} on sets is not supported by craftls "
                  "run/build")
        return ir.Const(tok.start, None)

    # ----- pointers -----

    def pointer_call(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt] | None:
        """``New(p)``: p := a new list holding the default of p's target type;
        ``Dispose(p)``: reads p. None for other calls."""
        parts = self.parts(node, spec)
        callee = self.name_of(self.one(parts.get("callee"))) if parts else None
        builtin = self.d.builtin(_text(callee)) if callee is not None else None
        if builtin is None or builtin.implements not in ("new", "dispose") or \
                callee is None or parts is None:
            return None
        key = self.key(_text(callee))
        if key in self.scope.slots or key in self.decls:
            return None
        args = self.flat(parts.get("args"))
        if len(args) != 1:
            self.fail(callee, f"{_text(callee)} with {len(args)} arguments is not supported "
                      "by craftls run/build (a pointer alone)")
            return []
        target = self.target(args[0])
        if builtin.implements == "dispose":  # the pointer keeps its value, as in Pascal
            return [ir.ExprStmt(node.start, target)]
        typ = self.static_type(target)
        if not isinstance(typ, _PointerSpec):
            self.fail(args[0], f"{_text(callee)} needs a variable declared as a pointer")
            return []
        pointee = self.types.get(typ.to) or self.type_in_name(typ.to)
        cell = self.temporary(node)
        return [ir.Declare(node.start, cell, pointee),
                ir.Assign(node.start, target, ir.ListLit(node.start, (cell,)))]

    def type_in_name(self, key: str) -> ir.TypeSpec:
        canonical = self.surface_types.get(key, key)
        return ir.Scalar(canonical) if canonical in ("int", "float", "bool", "str") else ir.ANY

    # ----- casts and field widths -----

    def make_call(self, node: SyntaxNode, callee: SyntaxNode, arg_nodes: list[SyntaxNode],
                  arg_list: SyntaxNode | None = None, name: str = "") -> ir.Expr:
        text = name or _text(callee)
        key = self.key(text)
        builtin = self.d.builtin(text)
        if key not in self.scope.slots and key not in self.decls and key not in self.nested:
            # a type named as a value (a builtin without a runtime operation, so that
            # analysis knows the name) called with a value is a cast to it
            if (builtin is None or builtin.implements is None) and (
                    key in self.types or key in self.surface_types):
                return self.cast(callee, key, arg_nodes)
            if builtin is not None and (builtin.implements in ("new", "dispose")
                                        or builtin.implements in READING):
                self.fail(callee, f"{_text(callee)} is a statement, not a value")
                return ir.Const(node.start, None)
            if builtin is None or builtin.implements not in _PRINTING:
                for arg in arg_nodes:
                    aspec = self.runs.get(self.unwrap(arg).kind)
                    if aspec is not None and aspec.construct == "format":
                        self.fail(arg, "a field width is only for writing (Write, WriteLn, "
                                  "Str)")
        result = super().make_call(node, callee, arg_nodes, arg_list, name)
        if isinstance(result, ir.BuiltinCall) and result.op in _PRINTING:
            for arg, value in zip(arg_nodes, result.args, strict=False):
                if self.is_enum(arg, value):
                    self.fail(arg, "writing an enumeration value is not supported by craftls "
                              "run/build (Pascal writes its name)")
        return result

    def is_enum(self, node: SyntaxNode, value: ir.Expr) -> bool:
        """Known to be an enumeration's value: a variable, field or element so declared,
        one of its names, a cast to it or a function that returns one."""
        if isinstance(value, ir.BuiltinCall) and value.op == "pad" and value.args:
            inner = self.unwrap(node)
            first = next(iter(inner.children()), inner)
            return self.is_enum(first, value.args[0])
        if isinstance(self.static_type(value), _EnumSpec):
            return True
        inner = self.unwrap(node)
        if isinstance(value, ir.Const) and inner.kind == K.NAME_REF:
            return self.key(_text(inner)) in self.enum_values
        if isinstance(value, ir.BuiltinCall) and value.op == "ordinal":
            return isinstance(self.types.get(self.key(value.name)), _EnumSpec)
        if isinstance(value, ir.Call) and value.func in self.decls:
            decl = self.decls[value.func]
            spec = self.runs.get(decl.kind)
            typ_node = self.one(self.select(decl, spec.part("type"), set())) if spec else None
            return typ_node is not None and isinstance(self.type_in(typ_node), _EnumSpec)
        return False

    def cast(self, callee: SyntaxNode, key: str, arg_nodes: list[SyntaxNode]) -> ir.Expr:
        """``TKind(n)``, ``Integer(b)``: to an ordinal type, the ordinal number."""
        typ = self.types.get(key) or self.type_in_name(key)
        if len(arg_nodes) != 1 or not _ordinal(typ):
            self.fail(callee, f"a type cast to {_text(callee)} is not supported by craftls "
                      "run/build (only to an integer or enumeration type, of one value)")
            return ir.Const(callee.start, None)
        return ir.BuiltinCall(callee.start, "ordinal", _text(callee),
                              (self.expr(arg_nodes[0]),))

    def format_value(self, node: SyntaxNode, spec: RunSpec) -> ir.Expr:
        parts = self.parts(node, spec) or {}
        value, width = self.one(parts.get("value")), self.one(parts.get("width"))
        decimals = self.one(parts.get("decimals"))
        if value is None or width is None:
            return self.unsupported(node, "a field width without its value")
        args = (self.expr(value), self.expr(width)) + (
            (self.expr(decimals),) if decimals is not None else ())
        return ir.BuiltinCall(node.start, "pad", "Write", args)


def _ordinal(typ: ir.TypeSpec) -> bool:
    """An integer type (an enumeration's too)."""
    return isinstance(typ, ir.Scalar) and typ.name == "int"
