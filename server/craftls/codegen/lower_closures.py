"""Lowering of Lua's function values, closures, varargs, method calls and multiple
results (a grammar's ``function_value``, ``varargs`` and ``several`` annotations):
functions over a ``lower_grammar._GrammarLowering``, whose methods call them.

- A local variable that a function value inside its function uses lives in a *cell*, a
  table of one element (``cell[1]``), made where the variable is declared (or, for a
  parameter, when the function starts): the function and every function value made in it
  share the cell, and the cell outlives the call. A function value that uses variables
  around it is a ``Closure`` whose ``env`` is a table of those cells, passed to it as a
  hidden first parameter; a variable of an enclosing function further out is passed on
  by each function value in between. The top level's locals are the program's globals:
  a function value uses them directly (one declared in a loop or a block is refused,
  as each turn would need a variable of its own).
- In ``several`` mode (Lua's rules), calls of routines, of function values and of
  methods give their results as they are (``ir.Pack`` when a return has other than one
  value), and ``Nth(call, 1)`` takes the first where one value belongs; a call or ``...``
  last in an argument list, a table's items or a return's values is ``Spread``.
- ``...`` is a hidden last parameter holding the pack of the extra arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..language.run_spec import RunSpec
from ..syntax import kinds as K
from ..syntax.tree import SyntaxNode
from . import ir
from .lower import _text

if TYPE_CHECKING:
    from .lower_grammar import _GrammarLowering

CELL = "(cell)"  # the name of a local that holds a cell (never read as a variable)
ENV = "(closure)"  # the hidden first parameter of a closure: its table of cells


@dataclass
class Capture:
    """A function value being lowered: the locals of the function around it (a
    snapshot where it is written), which of them are cells, the capture of that
    function when it is a function value too, and the variables it uses from around it,
    in the order of its ``env`` table."""

    outer: dict[str, int]
    cells: set[int]
    parent: Capture | None
    env_slot: int = -1
    names: list[str] = field(default_factory=list)


def new_cell(pos: int) -> ir.Expr:
    return ir.BuiltinCall(pos, "table_new", "table", (ir.ListLit(pos, ()),))


def cell_value(pos: int, cell: ir.Expr) -> ir.Index:
    return ir.Index(pos, cell, ir.Const(pos, 1))


def is_cell(target: ir.Expr) -> bool:
    """Whether ``target`` is a cell's element (a store there never appends)."""
    if not isinstance(target, ir.Index) or not isinstance(target.index, ir.Const):
        return False
    base = target.base
    return (isinstance(base, ir.Local) and base.name == CELL) or (
        isinstance(base, ir.Index) and isinstance(base.base, ir.Local) and base.base.name == ENV)


def used_inside_function_values(lo: _GrammarLowering, decl: SyntaxNode) -> set[str]:
    """The keys of every name written inside a function value within ``decl`` (not
    ``decl`` itself): the locals of ``decl`` they may name are kept in cells."""
    found: set[str] = set()
    for node in decl.descendants():
        spec = lo.runs.get(node.kind)
        # a routine nested in another takes its outer variables by reference
        # (lower_structured.py), except where routines are values (several mode)
        if node is decl or spec is None or spec.construct not in (
                ("function_value", "function", "procedure") if lo.several
                else ("function_value",)):
            continue
        found.update(lo.key(_text(n)) for n in node.descendants() if n.kind == K.NAME_REF)
    return found


def captured(lo: _GrammarLowering, node: SyntaxNode, key: str) -> ir.Expr | None:
    """The cell of ``key`` when it is a local of a function around the function value
    being lowered (added to its ``env``); None when it is not."""
    ctx = lo.capture
    if ctx is None or key in lo.scope.slots:
        return None
    around: Capture | None = ctx
    while around is not None and key not in around.outer:
        around = around.parent
    if around is None:
        return None
    if around.outer[key] not in around.cells:  # a loop's variable: no cell
        lo.fail(node, f"a function value that uses the loop variable {_text(node)!r} is not "
                "supported by craftls run/build")
        return None
    if key not in ctx.names:
        ctx.names.append(key)
    k = ctx.names.index(key)
    return ir.Index(node.start, ir.Local(node.start, ENV, ctx.env_slot),
                    ir.Const(node.start, k + 1))


def cell_of(lo: _GrammarLowering, node: SyntaxNode, key: str) -> ir.Expr | None:
    """The cell holding the variable ``key`` here: its own, or one from around."""
    slot = lo.scope.slots.get(key) if lo.scope.key else None
    if slot is not None and slot in lo.cells:
        return ir.Local(node.start, CELL, slot)
    return captured(lo, node, key)


def function_value(lo: _GrammarLowering, node: SyntaxNode, name: str) -> ir.Expr:
    """A function value written at ``node``: its routine is lowered here, with the
    locals around it; a ``Closure`` when it uses some of them."""
    key = f"\0function@{node.start}"
    ctx = Capture(dict(lo.scope.slots) if lo.scope.key else {}, set(lo.cells), lo.capture)
    lo.next_capture = ctx
    lo.function(key, node)
    made = lo.functions.get(key)
    if made is None:
        return ir.Const(node.start, None)
    lo.functions[key] = made = ir.Function(
        made.key, name, made.pos, made.params, made.slots, made.body, made.result_slot,
        made.result_type, made.vararg_slot)
    if not ctx.names:
        return ir.FuncRef(node.start, key)
    env_param = ir.Param(ENV, ctx.env_slot, False, ir.ANY)
    lo.functions[key] = ir.Function(
        made.key, made.name, made.pos, (env_param, *made.params), made.slots, made.body,
        made.result_slot, made.result_type, made.vararg_slot)
    cells: list[ir.Expr] = []
    for k in ctx.names:
        cell = cell_of(lo, node, k)
        cells.append(cell if cell is not None else ir.Const(node.start, None))
    return ir.Closure(node.start, key, ir.BuiltinCall(
        node.start, "table_new", "table", (ir.ListLit(node.start, tuple(cells)),)))


def local_function(lo: _GrammarLowering, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """``local function f() ... end`` inside a function: a local variable ``f``, seen in
    its own body (recursion), holding the function value."""
    name = lo.name_of(lo.one(lo.select(node, spec.part("name"), set())))
    if name is None:
        return lo.missing(node, "name")
    out: list[ir.Stmt] = []
    target = declared(lo, name, ir.ANY, out)
    out.append(ir.Assign(node.start, target, function_value(lo, node, _text(name))))
    return out


def stored_function(lo: _GrammarLowering, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """``function t.a.b() ... end`` / ``function t:m() ... end``: the function value
    stored into the field."""
    parts = lo.parts(node, spec) or {}
    names = lo.flat(parts.get("target"))
    method = lo.flat(parts.get("method"))
    path = [lo.name_of(n) for n in names if n not in method] + [
        lo.name_of(n) for n in method]
    if len(path) < 2 or any(p is None for p in path):
        lo.unsupported(node, "a function stored into something but a field")
        return []
    first = path[0]
    assert first is not None
    place: ir.Expr = lo.expr(first)
    for part in path[1:-1]:
        assert part is not None
        place = ir.Field(part.start, place, lo.key(_text(part)))
    last = path[-1]
    assert last is not None
    title = ".".join(_text(p) for p in path if p is not None)
    if method:
        title = title[::-1].replace(".", ":", 1)[::-1]
    value = function_value(lo, node, title)
    return [ir.Assign(node.start, ir.Field(last.start, place, lo.key(_text(last))), value)]


def method_part(lo: _GrammarLowering, decl: SyntaxNode, spec: RunSpec) -> bool:
    """Whether a function statement is a method (``function t:m()``)."""
    return spec.construct == "function_value" and bool(spec.part("method")) and bool(
        lo.flat((lo.parts(decl, spec) or {}).get("method")))


def parameter_cells(lo: _GrammarLowering, params: list[ir.Param], pos: int) -> list[ir.Stmt]:
    """The cells of the parameters that function values inside use, made when the
    function starts; the parameter's name means its cell from then on."""
    out: list[ir.Stmt] = []
    for param in params:
        key = lo.key(param.name)
        if key not in lo.capturable:
            continue
        slot = lo.scope.add(f"{key}\0cell", CELL)
        lo.scope.slots[key] = slot
        lo.cells.add(slot)
        cell = ir.Local(pos, CELL, slot)
        out.append(ir.Assign(pos, cell, new_cell(pos)))
        out.append(ir.Assign(pos, cell_value(pos, cell), ir.Local(pos, param.name, param.slot)))
    return out


def fresh_cell(lo: _GrammarLowering, name: SyntaxNode, key: str, hidden: str
               ) -> ir.Expr | None:
    """A new variable ``name`` that a function value may use: in a function, a cell
    (made by the statement that declares it, ``take_cell_inits``); None for a loop's
    variable (a function value using it is refused in ``captured``) and at the top
    level (a global, see ``loop_global``)."""
    if not lo.declaring or not lo.scope.key:
        return None
    slot = lo.scope.add(hidden, CELL)
    lo.shadows.append((lo.scope.slots, key, lo.scope.slots.get(key)))
    lo.scope.slots[key] = slot
    lo.cells.add(slot)
    cell = ir.Local(name.start, CELL, slot)
    lo.cell_inits.append(ir.Assign(name.start, cell, new_cell(name.start)))
    return cell_value(name.start, cell)


def around(lo: _GrammarLowering, node: SyntaxNode, key: str) -> ir.Expr | None:
    """The name ``node`` (key ``key``) as a variable in a cell (its value); None for any
    other. A top-level local that is a loop's variable or declared in a loop's body,
    used in a function, is refused (each turn has a variable of its own, the program's
    global is one)."""
    cell = cell_of(lo, node, key)
    if cell is not None:
        return cell_value(node.start, cell)
    if lo.scope.key and key not in lo.scope.slots and \
            lo.global_slots.get(key, -1) in lo.loop_globals:
        lo.fail(node, f"a function that uses {_text(node)!r}, a local variable of a loop "
                "at the top level, is not supported by craftls run/build (declare it "
                "before the loop)")
    return None


def declared(lo: _GrammarLowering, name: SyntaxNode, typ: ir.TypeSpec,
             out: list[ir.Stmt]) -> ir.Target:
    """A new local ``name`` (its cell made first, into ``out``, when it has one)."""
    lo.declaring += 1
    try:
        target = lo.fresh(name, typ)
    finally:
        lo.declaring -= 1
    out.extend(take_cell_inits(lo))
    return target


def declare_list(lo: _GrammarLowering, names: list[SyntaxNode], value_nodes: list[SyntaxNode],
                 typ: ir.TypeSpec) -> list[ir.Stmt]:
    """``local a, b, c = e1, f()``: the values (the last one's all) evaluated first,
    then each name the value in its place, null past the end."""
    values = values_of(lo, value_nodes)
    out: list[ir.Stmt] = []
    if len(names) == 1 and len(values) == 1:
        value = values[0]
        if isinstance(value, ir.Spread):
            value = ir.Nth(value.pos, value.value, 1)
        target = declared(lo, names[0], typ, out)
        return [*out, ir.Assign(names[0].start, target, value)]
    pack = lo.temporary(value_nodes[0])
    out.append(ir.Assign(value_nodes[0].start, pack, ir.Pack(value_nodes[0].start, values)))
    for k, name in enumerate(names):
        target = declared(lo, name, typ, out)
        out.append(ir.Assign(name.start, target, ir.Nth(name.start, pack, k + 1)))
    return out


def assign_list(lo: _GrammarLowering, node: SyntaxNode, targets: list[SyntaxNode],
                value_nodes: list[SyntaxNode], spec: RunSpec) -> list[ir.Stmt]:
    """``a, t[i] = f()``: the values first (the last one's all), then each target."""
    pack = lo.temporary(node)
    out: list[ir.Stmt] = [ir.Assign(node.start, pack, ir.Pack(node.start,
                                                               values_of(lo, value_nodes)))]
    for k, target_node in enumerate(targets):
        out.extend(lo.store(target_node, lo.target(target_node),
                            ir.Nth(target_node.start, pack, k + 1), spec))
    return out


def take_cell_inits(lo: _GrammarLowering) -> list[ir.Stmt]:
    out, lo.cell_inits = lo.cell_inits, []
    return out


def returned(lo: _GrammarLowering, node: SyntaxNode, value_nodes: list[SyntaxNode]
             ) -> ir.Return:
    """``return``, ``return e``, ``return f()`` (all its results), ``return a, b``."""
    values = values_of(lo, value_nodes)
    if len(values) == 1 and not isinstance(values[0], ir.Spread):
        return ir.Return(node.start, values[0])
    if len(values) == 1 and isinstance(values[0], ir.Spread):
        return ir.Return(node.start, values[0].value)
    return ir.Return(node.start, ir.Pack(node.start, values))


def call(lo: _GrammarLowering, node: SyntaxNode, callee: SyntaxNode,
         arg_nodes: list[SyntaxNode]) -> ir.Expr | None:
    """``f(args)`` with Lua's rules: a routine's call (through its value when it takes
    ``...`` or when the number of arguments is not known), or a call of the function
    value a variable holds; None for anything else (a builtin)."""
    key = lo.key(_text(callee))
    cell = cell_of(lo, callee, key)
    if cell is None and key in lo.decls and key not in lo.scope.slots:
        args = values_of(lo, arg_nodes)
        spec = lo.runs[lo.decls[key].kind]
        parts = lo.parts(lo.decls[key], spec) or {}
        takes = sum(len(lo.parameter_names(g)) for g in lo.flat(parts.get("params")))
        varargs = any(vararg_names(lo, spec, g) for g in lo.flat(parts.get("params")))
        if varargs or takes != len(args) or (args and isinstance(args[-1], ir.Spread)):
            return single(lo, ir.CallValue(callee.start, ir.FuncRef(
                callee.start, lo.prefix + key), args))
        return single(lo, ir.Call(callee.start, lo.prefix + key, args))
    if cell is not None or key in lo.scope.slots or key in lo.global_slots:
        return single(lo, ir.CallValue(callee.start, lo.name(callee),
                                       values_of(lo, arg_nodes)))
    return None


def single(lo: _GrammarLowering, call: ir.Expr) -> ir.Expr:
    """A call's first result where one value belongs (``several`` mode)."""
    return ir.Nth(call.pos, call, 1) if lo.several else call


def raw(lo: _GrammarLowering, node: SyntaxNode, value: ir.Expr) -> ir.Expr | None:
    """The whole result of a call or of ``...`` (``value`` lowered from ``node``) where
    all its values are passed on; None when it gives one value (a parenthesised call,
    anything but a call)."""
    if not lo.several or not isinstance(value, ir.Nth) or value.index != 1 \
            or lo.grouped(node):
        return None
    return value.value


def values_of(lo: _GrammarLowering, nodes: list[SyntaxNode],
              sep: ir.Expr | None = None) -> tuple[ir.Expr, ...]:
    """The values of a list: the last, a call or ``...``, spread."""
    out = [lo.expr(n) for n in nodes]
    if out:
        whole = raw(lo, nodes[-1], out[-1])
        if whole is not None:
            out[-1] = ir.Spread(nodes[-1].start, whole, sep)
        else:  # an operation of several results (gsub) passing them all on: refused
            lo.one_value(nodes[-1], out[-1])
            several_selected(lo, nodes[-1], out[-1])
    return tuple(out)


def several_selected(lo: _GrammarLowering, node: SyntaxNode, value: ir.Expr) -> None:
    """``select(n, ...)`` gives every value from the n-th on: where all of them would be
    passed on (last in a list, not in parentheses), refused unless it is one (n is -1)
    or a count ('#')."""
    if not lo.several or not isinstance(value, ir.BuiltinCall) or value.op != "select" \
            or lo.grouped(node) or not value.args:
        return
    n = value.args[0]
    if isinstance(n, ir.Const) and (n.value == "#" or n.value == -1):
        return
    lo.fail(node, "the values of select(n, ...) from the n-th on passed on here are not "
            "supported by craftls run/build (in parentheses it gives the n-th)")


def vararg_names(lo: _GrammarLowering, spec: RunSpec, group: SyntaxNode) -> bool:
    """Whether a parameter node holds the varargs token (``...``)."""
    return bool(spec.varargs) and any(lo.same(t.text, spec.varargs)
                                      for t in lo.tokens(group))


def generic_call_for(lo: _GrammarLowering, node: SyntaxNode, names: list[SyntaxNode],
                     sources: list[SyntaxNode], body_groups: object) -> list[ir.Stmt]:
    """``for a, b in f, s, c do ... end`` (Lua's generic for over an iterator
    function): f, s and c are evaluated once; each turn calls f(s, c), stops at a first
    result nil, else gives the variables the results and c the first."""
    at = node.start
    values = values_of(lo, sources)
    state = [lo.temporary_at(at, k) for k in range(3)]
    out: list[ir.Stmt] = []
    pack = lo.temporary_at(at, 3)
    out.append(ir.Assign(at, pack, ir.Pack(at, values)))
    for k, temp in enumerate(state):
        out.append(ir.Assign(at, temp, ir.Nth(at, pack, k + 1)))
    results = lo.temporary_at(at, 4)
    mark = len(lo.shadows)
    turn: list[ir.Stmt] = [
        ir.Assign(at, results, ir.CallValue(at, state[0], (state[1], state[2]))),
        ir.If(at, ((ir.Binary(at, "eq", ir.Nth(at, results, 1), ir.Const(at, None)),
                    (ir.Jump(at, "break"),)),), None),
        ir.Assign(at, state[2], ir.Nth(at, results, 1))]
    lo.declaring += 1
    try:
        for k, name in enumerate(names):
            target = lo.fresh(name, ir.ANY)
            turn.extend(take_cell_inits(lo))
            turn.append(ir.Assign(name.start, target, ir.Nth(name.start, results, k + 1)))
    finally:
        lo.declaring -= 1
    body = lo.body_of(node, body_groups)  # type: ignore[arg-type]
    lo.unshadow(mark)
    out.append(ir.While(at, ir.Const(at, True), tuple(turn) + body))
    return out
