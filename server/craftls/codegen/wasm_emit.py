"""The WebAssembly back end: an ``ir.Program`` as one WAT module over ``wasm_runtime``.

Expressions are emitted as stack code that leaves a value (tag, payload) on the
WebAssembly stack, operands left to right as in the interpreter. A local variable is
a pair of WebAssembly locals, except when the function passes it by reference (a VAR
argument, ``inc``): then it lives in a memory cell, as globals do. Every statement is
preceded by a ``;; @LINE:COL`` comment (the line map) and every runtime check names
the index of its source position in ``positions`` (the source map the host reads to
print ``FILE:LINE:COL: runtime error``). What the back end cannot compile is a
``BuildError`` at its place, never wrong code."""

from __future__ import annotations

import struct
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from . import ir
from .emit_tables import CMP, INT64_MAX, INT64_MIN, arith, is_real
from .errors import BuildError, Problem, locator
from .wasm_runtime import FIXED_NAMES, GLOBALS, HOST_OPS, IMPORTS, RUNTIME
from .wasm_tables import FN_TAG
from .wasm_tables import runtime as tables_runtime

WRITE_MODES = {"print_line": 0, "write": 1, "write_line": 2}
# operations the runtime carries out in WebAssembly, with their argument counts
IN_WASM = {"length": 1, "chr": 1, "ord": 1, "str": 1, "pop": 1, "append": 2}

@dataclass(frozen=True)
class WasmModule:
    """The WAT text, its line map (generated line, source line; both 1-based) and the
    tables the host needs to name places and things in runtime errors."""

    text: str
    line_map: tuple[tuple[int, int], ...]
    positions: tuple[int, ...]  # source offsets, by the index the code passes
    names: tuple[str, ...]  # variables, functions, fields, operations, by id
    options: ir.Options


def _real_bits(value: float) -> int:
    return int(struct.unpack("<q", struct.pack("<d", value))[0])


_FIELDS: dict[type, tuple[str, ...]] = {}
# fields that never hold an expression or a statement (skipped by the walk)
_PLAIN = frozenset({"pos", "name", "op", "slot", "ref", "typ", "func", "kind"})
_LEAVES = (int, float, str, bool, type(None))


def _calls(node: Any, found: list[Any]) -> list[Any]:
    """Every ``Call`` and ``BuiltinCall`` under ``node`` (for finding the locals passed by
    reference). The fields that can hold nodes are looked up once per class; the walk
    is a large part of generation time, so it skips positions, names and types."""
    if isinstance(node, tuple):
        for item in node:
            if not isinstance(item, _LEAVES):
                _calls(item, found)
        return found
    cls = type(node)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(node) if f.name not in _PLAIN) \
            if is_dataclass(node) else ()
    if cls is ir.Call or cls is ir.BuiltinCall:
        found.append(node)
    for name in names:
        value = getattr(node, name)
        if not isinstance(value, _LEAVES):
            _calls(value, found)
    return found


class _Emitter:
    def __init__(self, program: ir.Program) -> None:
        self.p = program
        self.o = program.options
        self.lines: list[str] = []
        self.positions: list[int] = [0]
        self.position_index: dict[int, int] = {0: 0}
        self.names: list[str] = list(FIXED_NAMES)
        self.name_index = {n: i for i, n in enumerate(self.names)}
        self.data = bytearray()
        self.data_base = GLOBALS + 16 * max(1, len(program.globals))
        self.string_index: dict[str, int] = {}
        self.defaults: dict[ir.TypeSpec, int] = {}
        self.default_funcs: list[str] = []
        self.function_ids = {key: i for i, key in enumerate(program.functions)}
        self.fn_values: dict[str, int] = {}  # function key -> its index in the table $fns
        self.problems: list[Problem] = []
        self.current: ir.Function | None = None
        self.boxed: set[int] = set()
        self.value_params: set[int] = set()
        self.ref_params: set[int] = set()
        self.temps: list[tuple[str, str]] = []
        self.loops: list[tuple[str, str]] = []  # (break label, continue label)
        self.label = 0
        self.indent = 2
        self.locate = locator(program.path, program.text, program.sources)
        self.files = [program.path] + [path for path, _, _ in program.sources]

    # ----- tables -----

    def pos(self, offset: int) -> int:
        if offset not in self.position_index:
            self.position_index[offset] = len(self.positions)
            self.positions.append(offset)
        return self.position_index[offset]

    def name(self, text: str) -> int:
        if text not in self.name_index:
            self.name_index[text] = len(self.names)
            self.names.append(text)
        return self.name_index[text]

    def string(self, text: str) -> int:
        """The address of a string constant in the data segment."""
        if text not in self.string_index:
            while len(self.data) % 16:
                self.data.append(0)
            address = self.data_base + len(self.data)
            self.data += struct.pack("<iiii", len(text), address + 16, 0, 0)
            for ch in text:
                self.data += struct.pack("<I", ord(ch))
            self.string_index[text] = address
        return self.string_index[text]

    def static_ids(self, ids: list[int]) -> int:
        while len(self.data) % 16:
            self.data.append(0)
        address = self.data_base + len(self.data)
        for i in ids or [0]:
            self.data += struct.pack("<i", i)
        return address

    def temp(self, kind: str) -> str:
        name = f"$x{len(self.temps)}"
        self.temps.append((name, kind))
        return name

    def new_label(self) -> int:
        self.label += 1
        return self.label

    def emit(self, *code: str) -> None:
        for line in code:
            self.lines.append("  " * self.indent + line)

    def mark(self, offset: int) -> None:
        self.emit(self.place(offset))

    def place(self, offset: int, col: int | None = None) -> str:
        """The source-map comment: ``;; @LINE:COL`` in the program's own file, ``;; in
        FILE @LINE:COL`` in an imported module's (outside the line map)."""
        file, line, at = self.locate(offset)
        where = f"@{line}:{at if col is None else col}"
        return f";; {where}" if file == 0 else f";; in {self.files[file]} {where}"

    def problem(self, offset: int, message: str) -> None:
        self.problems.append(Problem(offset, message))

    # ----- the module -----

    def module(self) -> str:
        funcs: list[str] = []
        for key, fn in self.p.functions.items():
            funcs.extend(self.function(key, fn))
        funcs.extend(self.main())
        if self.problems:
            raise BuildError(sorted(self.problems, key=lambda p: p.pos), self.p.sources)
        heap = self.data_base + len(self.data) + 16
        heap += -heap % 16
        pages = heap // 65536 + 2
        head = [f";; generated by craftls from {self.p.path}",
                "(module",
                IMPORTS.strip("\n"),
                f'  (memory (export "memory") {pages})',
                f"  (global $hp (mut i32) (i32.const {heap}))",
                RUNTIME.strip("\n"),
                tables_runtime({op: HOST_OPS.index(op) for op in HOST_OPS}).strip("\n"),
                *self.function_values(),
                "  ;; ----- the program -----"]
        if self.data:
            head.append(f"  (data (i32.const {self.data_base}) \"{_bytes(self.data)}\")")
        return "\n".join(head + self.default_funcs + funcs + [")"]) + "\n"

    def function_values(self) -> list[str]:
        """The table of the functions used as values and a caller of each: arguments
        from a memory array, missing ones null (Lua's), entered as a call."""
        out = [f"  (table $fns {len(self.fn_values)} funcref)"]
        if self.fn_values:
            out.append("  (elem (table $fns) (i32.const 0) func " + " ".join(
                f"$w{self.function_ids[k]}" for k in self.fn_values) + ")")
        for key in self.fn_values:
            fn = self.p.functions[key]
            count = len(fn.params)
            args = " ".join(
                f"(if (result i32 i64) (i32.gt_u (local.get $n) (i32.const {k})) "
                f"(then (call $cell_get (i32.add (local.get $a) (i32.const {16 * k})))) "
                "(else (i32.const 1) (i64.const 0)))" for k in range(count))
            if fn.vararg_slot is not None:  # the arguments past the others, a pack
                args += (f" (call $rt_pack (i32.add (local.get $a) (i32.const {16 * count})) "
                         f"(select (i32.sub (local.get $n) (i32.const {count})) (i32.const 0) "
                         f"(i32.gt_u (local.get $n) (i32.const {count}))))")
            out.append(f"  (func $w{self.function_ids[key]} (type $fnval) (param $pos i32) "
                       "(param $a i32) (param $n i32) (result i32 i64)")
            out.append(f"    (call $rt_enter (i32.const {self.name(fn.name)}) (local.get $pos))")
            out.append(f"    {args} (call $f{self.function_ids[key]}) (call $rt_pop))")
        return out

    def function(self, key: str, fn: ir.Function) -> list[str]:
        self.current = fn
        self.name(fn.name)
        self.start_body(fn.body)
        by_ref = {p.slot for p in fn.params if p.ref}
        params = {p.slot for p in fn.params}
        self.box_cells(fn, params)
        self.block(fn.body)
        if fn.result_slot is not None:
            self.raw_local(fn.result_slot)
            self.emit("call $or_null")
        else:
            self.emit("i32.const 1", "i64.const 0")
        sig = []
        for p in fn.params:
            sig.append(f"(param $r{p.slot} i32)" if p.ref else
                       f"(param $t{p.slot} i32) (param $v{p.slot} i64)")
        if fn.vararg_slot is not None:
            sig.append(f"(param $t{fn.vararg_slot} i32) (param $v{fn.vararg_slot} i64)")
            params.add(fn.vararg_slot)
        decls = []
        for slot in range(len(fn.slots)):
            if slot in by_ref:
                continue
            if slot in self.boxed:
                decls.append(f"(local $c{slot} i32)")
            if slot not in params:
                decls.append(f"(local $t{slot} i32) (local $v{slot} i64)")
        head = [f"  {self.place(fn.pos, 1)} {fn.name}",
                f"  (func $f{self.function_ids[key]} {' '.join(sig)} (result i32 i64)"]
        return head + self.locals(decls) + self.lines + ["  )"]

    def box_cells(self, fn: ir.Function, params: set[int]) -> None:
        """The memory cells of the locals passed by reference (a parameter's is
        filled with its argument)."""
        for p in fn.params:
            if not p.ref and p.slot in self.boxed:
                self.emit(f"(local.set $c{p.slot} (call $alloc (i32.const 16)))",
                          f"(call $cell_set (local.get $c{p.slot}) (local.get $t{p.slot}) "
                          f"(local.get $v{p.slot}))")
        for slot in sorted(self.boxed - params):
            self.emit(f"(local.set $c{slot} (call $alloc (i32.const 16)))")

    def main(self) -> list[str]:
        self.current = None
        self.start_body(self.p.main)
        self.block(self.p.main)
        head = ['  (func $main (export "main")']
        return head + self.locals([]) + self.lines + ["  )"]

    def start_body(self, body: ir.Body) -> None:
        self.lines, self.temps, self.loops, self.indent = [], [], [], 2
        self.boxed = set()
        params = self.current.params if self.current is not None else ()
        self.value_params = {p.slot for p in params if not p.ref}
        self.ref_params = {p.slot for p in params if p.ref}
        for node in _calls(body, []):
            targets: list[ir.Expr] = []
            if isinstance(node, ir.Call):
                fn = self.p.functions[node.func]
                targets = [a for p, a in zip(fn.params, node.args, strict=False) if p.ref]
            elif isinstance(node, ir.BuiltinCall) and node.op in ("inc", "dec") and node.args:
                targets = [node.args[0]]
            self.boxed.update(t.slot for t in targets if isinstance(t, ir.Local) and not t.ref)

    def locals(self, decls: list[str]) -> list[str]:
        decls = decls + [f"(local {name} {kind})" for name, kind in self.temps]
        return ["    " + " ".join(decls[k:k + 6]) for k in range(0, len(decls), 6)]

    # ----- statements -----

    def block(self, body: ir.Body) -> None:
        for s in body:
            getattr(self, "s_" + type(s).__name__)(s)

    def nested(self, body: ir.Body) -> None:
        self.indent += 1
        self.block(body)
        self.indent -= 1

    def s_Assign(self, s: ir.Assign) -> None:
        self.mark(s.pos)
        self.expr(s.value)
        self.store(s.target)

    def store(self, t: ir.Target, convert: bool = True) -> None:
        """Store the value on the stack into ``t`` (copied; a real variable stays real)."""
        if isinstance(t, (ir.Local, ir.Global)):
            if convert:
                self.emit("call $rt_real_of" if is_real(t.typ) else "call $rt_copy")
            if isinstance(t, ir.Global):
                self.emit(f"i32.const {GLOBALS + 16 * t.slot}", "call $cell_put")
            elif t.ref:
                self.emit(f"local.get $r{t.slot}", "call $cell_put")
            elif t.slot in self.boxed:
                self.emit(f"local.get $c{t.slot}", "call $cell_put")
            else:
                self.emit(f"local.set $v{t.slot}", f"local.set $t{t.slot}")
            return
        if isinstance(t, ir.Index):
            self.emit(f"i32.const {self.pos(t.pos)}")
            self.expr(t.base)
            self.expr(t.index)
            self.emit("call $rt_store_elem")
        elif isinstance(t, ir.Field):
            self.emit(f"i32.const {self.pos(t.pos)}")
            self.expr(t.base)
            self.emit(f"i32.const {self.name(t.name)}", "call $rt_store_field")
        else:
            self.ref(t)
            self.emit("call $rt_store_at")

    def ref(self, t: ir.Expr) -> None:
        """Push the address of a location (VAR arguments, element stores)."""
        if isinstance(t, ir.Local) and t.ref:
            self.emit(f"local.get $r{t.slot}")
        elif isinstance(t, ir.Local) and t.slot in self.boxed:
            self.emit(f"local.get $c{t.slot}")
        elif isinstance(t, ir.Global):
            self.emit(f"i32.const {GLOBALS + 16 * t.slot}")
        elif isinstance(t, ir.Index):
            self.emit(f"i32.const {self.pos(t.pos)}")
            self.expr(t.base)
            self.expr(t.index)
            self.emit("call $rt_elem_ref")
        elif isinstance(t, ir.Field):
            self.emit(f"i32.const {self.pos(t.pos)}")
            self.expr(t.base)
            self.emit(f"i32.const {self.name(t.name)}", "call $rt_field_ref")
        else:
            self.problem(t.pos, "this cannot be passed by reference")
            self.emit("i32.const 0")

    def s_Declare(self, s: ir.Declare) -> None:
        self.mark(s.pos)
        self.default(s.typ)
        self.store(s.target, convert=False)

    def default(self, typ: ir.TypeSpec) -> None:
        if isinstance(typ, ir.Scalar):
            code = {"int": "i32.const 3 i64.const 0", "float": "i32.const 4 i64.const 0",
                    "bool": "i32.const 2 i64.const 0",
                    "str": f"i32.const 5 i64.const {self.string(chr(0) * typ.width)}"}.get(
                typ.name, "i32.const 0 i64.const 0")
            self.emit(code)
            return
        if typ not in self.defaults:
            index = len(self.defaults)
            self.defaults[typ] = index
            self.default_funcs.extend(self.default_function(index, typ))
        self.emit(f"call $dflt{self.defaults[typ]}")

    def default_function(self, index: int, typ: ir.TypeSpec) -> list[str]:
        saved = self.lines, self.indent
        self.lines, self.indent = [], 2
        head = [f"  (func $dflt{index} (result i32 i64) (local $a i32) (local $k i32)"]
        if isinstance(typ, ir.ArraySpec):
            n = max(0, typ.high - typ.low + 1)
            self.emit(f"(local.set $a (call $arr_new (i64.const {typ.low}) (i32.const {n}) "
                      "(i32.const 1)))",
                      "(block $done (loop $next",
                      f"  (br_if $done (i32.ge_u (local.get $k) (i32.const {n})))")
            self.default(typ.elem)
            self.emit("  (call $cell_put (call $item (local.get $a) (local.get $k)))",
                      "  (local.set $k (i32.add (local.get $k) (i32.const 1)))",
                      "  (br $next)))", "(i32.const 6) (i64.extend_i32_u (local.get $a))")
        elif isinstance(typ, ir.RecordSpec):
            n = len(typ.fields)
            ids = self.static_ids([self.name(f) for f, _ in typ.fields])
            self.emit("(local.set $a (call $alloc (i32.const 12)))",
                      f"(i32.store (local.get $a) (i32.const {n}))",
                      f"(i32.store offset=4 (local.get $a) (i32.const {ids}))",
                      f"(i32.store offset=8 (local.get $a) (call $alloc (i32.const "
                      f"{16 * max(n, 1)})))")
            for k, (_, ftyp) in enumerate(typ.fields):
                self.default(ftyp)
                self.emit(f"(call $cell_put (i32.add (i32.load offset=8 (local.get $a)) "
                          f"(i32.const {16 * k})))")
            self.emit("(i32.const 7) (i64.extend_i32_u (local.get $a))")
        else:
            self.emit(f"(i32.const 6) (i64.extend_i32_u (call $arr_new (i64.const "
                      f"{self.o.index_base}) (i32.const 0) (i32.const 0)))")
        body = self.lines
        self.lines, self.indent = saved
        return head + body + ["  )"]

    def s_ExprStmt(self, s: ir.ExprStmt) -> None:
        self.mark(s.pos)
        self.expr(s.expr)
        self.emit("drop", "drop")

    def truth(self, cond: ir.Expr) -> None:
        self.emit(f"i32.const {self.pos(cond.pos)}")
        self.expr(cond)
        self.emit("call $rt_truth")

    def s_If(self, s: ir.If) -> None:
        self.mark(s.pos)
        self.arms(list(s.arms), s.orelse)

    def arms(self, arms: list[tuple[ir.Expr, ir.Body]], orelse: ir.Body | None) -> None:
        cond, body = arms[0]
        self.truth(cond)
        self.emit("if")
        self.nested(body)
        if len(arms) > 1 or orelse is not None:
            self.emit("else")
            self.indent += 1
            if len(arms) > 1:
                self.arms(arms[1:], orelse)
            elif orelse is not None:
                self.block(orelse)
            self.indent -= 1
        self.emit("end")

    def loop_labels(self) -> tuple[str, str, str]:
        k = self.new_label()
        return f"$B{k}", f"$L{k}", f"$C{k}"

    def loop_body(self, body: ir.Body, brk: str, cont: str) -> None:
        self.emit(f"block {cont}")
        self.loops.append((brk, cont))
        self.nested(body)
        self.loops.pop()
        self.emit("end")

    def s_While(self, s: ir.While) -> None:
        self.mark(s.pos)
        brk, top, cont = self.loop_labels()
        self.emit(f"block {brk}", f"loop {top}")
        self.truth(s.cond)
        self.emit("i32.eqz", f"br_if {brk}", f"(call $rt_step (i32.const {self.pos(s.pos)}))")
        self.loop_body(s.body, brk, cont)
        self.emit(f"br {top}", "end", "end")

    def s_Repeat(self, s: ir.Repeat) -> None:
        self.mark(s.pos)
        brk, top, cont = self.loop_labels()
        self.emit(f"block {brk}", f"loop {top}",
                  f"(call $rt_step (i32.const {self.pos(s.pos)}))")
        self.loop_body(s.body, brk, cont)
        self.truth(s.until)
        self.emit(f"br_if {brk}", f"br {top}", "end", "end")

    def whole(self, e: ir.Expr, what: int, into: str) -> None:
        self.emit(f"i32.const {self.pos(e.pos)}", f"i32.const {what}")
        self.expr(e)
        self.emit("call $rt_whole", f"local.set {into}")

    def s_ForBody(self, s: ir.ForBody) -> None:
        loop = s.loop
        self.mark(loop.pos)
        i, last, by, nxt = (self.temp("i64") for _ in range(4))
        self.whole(loop.start, 9, i)
        self.whole(loop.stop, 9, last)
        self.whole(loop.step, 10, by)
        self.emit(f"(if (i64.eqz (local.get {by})) (then (call $fail (i32.const "
                  f"{self.pos(loop.step.pos)}) (i32.const 22) (i64.const 0) (i64.const 0) "
                  "(i64.const 0)) unreachable))")
        brk, top, cont = self.loop_labels()
        self.emit(f"block {brk}", f"loop {top}",
                  f"(br_if {brk} (i32.eqz (select (i64.le_s (local.get {i}) (local.get {last})) "
                  f"(i64.ge_s (local.get {i}) (local.get {last})) (i64.gt_s (local.get {by}) "
                  "(i64.const 0)))))",
                  f"(call $rt_step (i32.const {self.pos(loop.pos)}))",
                  f"i32.const 3 local.get {i}")
        self.store(loop.var)
        self.loop_body(s.body, brk, cont)
        self.emit(f"(local.set {nxt} (i64.add (local.get {i}) (local.get {by})))",
                  f"(br_if {brk} (i64.lt_s (i64.and (i64.xor (local.get {i}) (local.get {nxt})) "
                  f"(i64.xor (local.get {by}) (local.get {nxt}))) (i64.const 0)))",
                  f"(local.set {i} (local.get {nxt}))", f"br {top}", "end", "end")

    def s_ForIn(self, s: ir.ForIn) -> None:
        self.mark(s.pos)
        st, sv, k = self.temp("i32"), self.temp("i64"), self.temp("i32")
        self.emit(f"i32.const {self.pos(s.iterable.pos)}")
        self.expr(s.iterable)
        self.emit("call $rt_iter_seq", f"local.set {sv}", f"local.set {st}",
                  f"(local.set {k} (i32.const 0))")
        brk, top, cont = self.loop_labels()
        self.emit(f"block {brk}", f"loop {top}",
                  f"(br_if {brk} (i32.ge_u (local.get {k}) (call $seq_len (local.get {st}) "
                  f"(local.get {sv}))))",
                  f"(call $rt_step (i32.const {self.pos(s.pos)}))",
                  f"(call $seq_item (local.get {st}) (local.get {sv}) (local.get {k}))")
        self.store(s.var)
        self.loop_body(s.body, brk, cont)
        self.emit(f"(local.set {k} (i32.add (local.get {k}) (i32.const 1)))", f"br {top}",
                  "end", "end")

    def s_Case(self, s: ir.Case) -> None:
        self.mark(s.pos)
        st, sv, m = self.temp("i32"), self.temp("i64"), self.temp("i32")
        self.expr(s.subject)
        self.emit(f"local.set {sv}", f"local.set {st}", f"(local.set {m} (i32.const -1))")
        p = self.pos(s.pos)
        subject = f"(local.get {st}) (local.get {sv})"
        for k, (labels, _) in enumerate(s.arms):
            for lo, hi in labels:
                self.emit(f"(i32.lt_s (local.get {m}) (i32.const 0))", "if")
                self.indent += 1
                if hi is None:
                    self.emit(subject)
                    self.expr(lo)
                    self.emit("call $rt_equal", f"if (local.set {m} (i32.const {k})) end")
                else:
                    self.emit(f"i32.const {p} i32.const 5 {subject}")
                    self.expr(lo)
                    self.emit("call $rt_test", "if", f"  i32.const {p} i32.const 4 {subject}")
                    self.expr(hi)
                    self.emit("  call $rt_test", f"  if (local.set {m} (i32.const {k})) end",
                              "end")
                self.indent -= 1
                self.emit("end")
        arms = [(k, body) for k, (_, body) in enumerate(s.arms)]
        self.case_arms(arms, m, s.orelse)

    def case_arms(self, arms: list[tuple[int, ir.Body]], m: str,
                  orelse: ir.Body | None) -> None:
        if not arms:
            if orelse is not None:
                self.block(orelse)
            return
        k, body = arms[0]
        self.emit(f"(i32.eq (local.get {m}) (i32.const {k}))", "if")
        self.nested(body)
        if len(arms) > 1 or orelse is not None:
            self.emit("else")
            self.indent += 1
            self.case_arms(arms[1:], m, orelse)
            self.indent -= 1
        self.emit("end")

    def s_Return(self, s: ir.Return) -> None:
        self.mark(s.pos)
        fn = self.current
        if s.value is not None:
            self.expr(s.value)
            if fn is None:
                self.emit("drop", "drop")
        elif fn is not None and fn.result_slot is not None:
            self.raw_local(fn.result_slot)
            self.emit("call $or_null")
        elif fn is not None:
            self.emit("i32.const 1", "i64.const 0")
        self.emit("return")

    def s_Jump(self, s: ir.Jump) -> None:
        self.mark(s.pos)
        if not self.loops:
            self.problem(s.pos, f"{s.kind} outside a loop")
            return
        brk, cont = self.loops[-1]
        self.emit(f"br {brk}" if s.kind == "break" else f"br {cont}")

    # ----- expressions: each leaves (tag i32, payload i64) on the stack -----

    def expr(self, e: ir.Expr) -> None:
        getattr(self, "e_" + type(e).__name__)(e)

    def e_Const(self, e: ir.Const) -> None:
        v = e.value
        if v is None:
            self.emit("i32.const 1 i64.const 0")
        elif v is True or v is False:
            self.emit(f"i32.const 2 i64.const {int(v)}")
        elif isinstance(v, int):
            if not INT64_MIN <= v <= INT64_MAX:
                self.problem(e.pos, "this integer does not fit the WebAssembly back end's "
                             "64 bits")
            self.emit(f"i32.const 3 i64.const {v if INT64_MIN <= v <= INT64_MAX else 0}")
        elif isinstance(v, float):
            self.emit(f"i32.const 4 i64.const {_real_bits(v)}  ;; {v!r}")
        else:
            self.emit(f"i32.const 5 i64.const {self.string(v)}")

    def raw_local(self, slot: int) -> None:
        """Push a local's value without the has-a-value check."""
        if slot in self.ref_params:
            self.emit(f"(call $cell_get (local.get $r{slot}))")
        elif slot in self.boxed:
            self.emit(f"(call $cell_get (local.get $c{slot}))")
        else:
            self.emit(f"local.get $t{slot} local.get $v{slot}")

    def e_Local(self, e: ir.Local) -> None:
        if e.slot in self.value_params:
            self.raw_local(e.slot)  # a value parameter always has a value
            return
        self.emit(f"i32.const {self.pos(e.pos)} i32.const {self.name(e.name)}")
        self.raw_local(e.slot)
        self.emit("call $rt_get")

    def e_Global(self, e: ir.Global) -> None:
        self.emit(f"i32.const {self.pos(e.pos)} i32.const {self.name(e.name)}",
                  f"(call $cell_get (i32.const {GLOBALS + 16 * e.slot}))", "call $rt_get")

    def e_Undefined(self, e: ir.Undefined) -> None:
        self.emit(f"(call $fail (i32.const {self.pos(e.pos)}) (i32.const 23) (i64.const "
                  f"{self.name(e.name)}) (i64.const 0) (i64.const 0))", "unreachable")

    def e_Index(self, e: ir.Index) -> None:
        self.emit(f"i32.const {self.pos(e.pos)}")
        self.expr(e.base)
        self.expr(e.index)
        self.emit(f"i64.const {self.o.index_base}", "call $rt_index")

    def e_Field(self, e: ir.Field) -> None:
        self.emit(f"i32.const {self.pos(e.pos)}")
        self.expr(e.base)
        self.emit(f"i32.const {self.name(e.name)}", "call $rt_field_get")

    def e_Call(self, e: ir.Call) -> None:
        fn = self.p.functions[e.func]
        if len(e.args) != len(fn.params):
            self.problem(e.pos, f"{fn.name} takes {len(fn.params)} arguments, not "
                         f"{len(e.args)}")
            self.emit("i32.const 1 i64.const 0")
            return
        for param, arg in zip(fn.params, e.args, strict=True):  # in argument order
            if param.ref:
                self.ref(arg)
            else:
                self.expr(arg)
                self.emit("call $rt_real_of" if is_real(param.typ) else "call $rt_copy")
        self.emit(f"(call $rt_enter (i32.const {self.name(fn.name)}) (i32.const "
                  f"{self.pos(e.pos)}))", f"call $f{self.function_ids[e.func]}",
                  "call $rt_pop")

    def args_array(self, args: tuple[ir.Expr, ...]) -> str:
        """Evaluate ``args`` into a fresh array of cells; the local holding its address."""
        return self.arg_values(args)[0]

    def arg_values(self, args: tuple[ir.Expr, ...]) -> tuple[str, str]:
        """``args`` in a fresh array of cells: the local holding its address and the
        code of their number (a local when a last ``Spread`` gives all of a call's
        values, wasm_tables.py's ``rt_spread``)."""
        spread = args[-1] if args and isinstance(args[-1], ir.Spread) else None
        fixed = args[:-1] if spread is not None else args
        a = self.temp("i32")
        self.emit(f"(local.set {a} (call $alloc (i32.const {16 * max(1, len(fixed))})))")
        for k, arg in enumerate(fixed):
            self.emit(f"(i32.add (local.get {a}) (i32.const {16 * k}))")
            self.expr(arg)
            self.emit("call $cell_set")
        if spread is None:
            return a, f"(i32.const {len(fixed)})"
        n = self.temp("i32")
        self.emit(f"local.get {a}", f"i32.const {len(fixed)}")
        self.expr(spread.value)
        if spread.sep is not None:
            self.expr(spread.sep)
        else:
            self.emit("i32.const 0 i64.const 0")
        self.emit("call $rt_spread", f"local.set {n}", f"local.set {a}")
        return a, f"(local.get {n})"

    def e_BuiltinCall(self, e: ir.BuiltinCall) -> None:
        p, name, op, n = self.pos(e.pos), self.name(e.name), e.op, len(e.args)
        if op in ("inc", "dec"):
            self.bump(e, p, name)
            return
        if op in WRITE_MODES:
            a, count = self.arg_values(e.args)
            self.emit(f"(call $host_write (local.get {a}) {count} "
                      f"(i32.const {WRITE_MODES[op]}))", "i32.const 1 i64.const 0")
            return
        if op in IN_WASM:
            if n != IN_WASM[op]:
                self.arity(e, str(IN_WASM[op]))
                return
            self.emit(f"i32.const {p} i32.const {name}")
            for arg in e.args:
                self.expr(arg)
            # a table's metatable may say its length (__len)
            self.emit(f"call $op_{op}" + ("_meta" if op == "length" else ""))
            return
        if op == "range":
            if n not in (1, 2, 3):
                self.arity(e, "1 to 3")
                return
            a = self.args_array(e.args)
            self.emit(f"(call $op_range (i32.const {p}) (i32.const {name}) (local.get {a}) "
                      f"(i32.const {n}) (i64.const {self.o.index_base}))")
            return
        if op == "sort":  # wasm_tables.py: the comparator is called here
            a = self.args_array(e.args)
            self.emit(f"(call $op_sort (i32.const {p}) (i32.const {name}) (local.get {a}) "
                      f"(i32.const {n}))")
            return
        if op in HOST_OPS:
            a, count = self.arg_values(e.args)
            self.emit(f"(call $host_op (i32.const {HOST_OPS.index(op)}) (i32.const {name}) "
                      f"(i32.const {p}) (local.get {a}) {count})")
            return
        self.problem(e.pos, f"the operation {op!r} is not supported by the WebAssembly "
                     "back end")
        self.emit("i32.const 1 i64.const 0")

    def bump(self, e: ir.BuiltinCall, p: int, name: int) -> None:
        """``inc(x)`` / ``dec(x, n)``: the location first, then the amount."""
        if len(e.args) not in (1, 2):
            self.arity(e, "1 or 2")
            return
        self.emit(f"i32.const {p} i32.const {name}")
        self.ref(e.args[0])
        if len(e.args) > 1:
            self.expr(e.args[1])
        else:
            self.emit("i32.const 3 i64.const 1")
        self.emit(f"i32.const {int(e.op == 'inc')}", "call $op_bump", "i32.const 1 i64.const 0")

    def arity(self, e: ir.BuiltinCall, wanted: str) -> None:
        self.problem(e.pos, f"{e.name} takes {wanted} arguments, not {len(e.args)}")
        self.emit("i32.const 1 i64.const 0")

    def e_Binary(self, e: ir.Binary) -> None:
        p, op = self.pos(e.pos), e.op
        if op in ("and", "or"):
            lt, lv = self.temp("i32"), self.temp("i64")
            self.expr(e.left)
            test = (f"(i64.eqz (local.get {lv}))" if op == "and" else
                    f"(i64.ne (local.get {lv}) (i64.const 0))")
            self.emit(f"local.set {lv}", f"local.set {lt}",
                      f"(i32.and (i32.eq (local.get {lt}) (i32.const 2)) {test})",
                      "if (result i32 i64)", f"  local.get {lt} local.get {lv}", "else",
                      f"  i32.const {p} i32.const {7 if op == 'and' else 8} local.get {lt} "
                      f"local.get {lv}")
            self.indent += 1
            self.expr(e.right)
            self.indent -= 1
            self.emit("  call $rt_bits", "end")
            return
        if op in ("and_operand", "or_operand"):  # Lua: false and null (tag 1) are false
            lt, lv = self.temp("i32"), self.temp("i64")
            self.expr(e.left)
            truthy = (f"(i32.and (i32.ne (local.get {lt}) (i32.const 1)) (i32.eqz (i32.and "
                      f"(i32.eq (local.get {lt}) (i32.const 2)) (i64.eqz (local.get {lv})))))")
            self.emit(f"local.set {lv}", f"local.set {lt}",
                      truthy if op == "and_operand" else f"(i32.eqz {truthy})",
                      "if (result i32 i64)")
            self.indent += 1
            self.expr(e.right)
            self.indent -= 1
            self.emit("else", f"  local.get {lt} local.get {lv}", "end")
            return
        if op == "concat":
            self.expr(e.left)
            self.expr(e.right)
            self.emit("call $rt_concat")
            return
        self.emit(f"i32.const {p}")
        if op in CMP:
            self.emit(f"i32.const {CMP[op]}")
        self.expr(e.left)
        self.expr(e.right)
        found = arith(op, self.o.floor_division)
        if op in CMP:
            self.emit("call $rt_cmp")
        elif found is not None:
            name, extra = found
            self.emit("".join(f"i32.const {a} " for a in extra) + f"call $rt_{name}")
        else:
            self.problem(e.pos, f"the operator {op!r} is not supported by the WebAssembly "
                         "back end")
            self.emit("drop drop drop drop drop", "i32.const 1 i64.const 0")

    def e_Unary(self, e: ir.Unary) -> None:
        if e.op not in ("neg", "pos", "not"):
            self.problem(e.pos, f"the operator {e.op!r} is not supported by the WebAssembly "
                         "back end")
            self.emit("i32.const 1 i64.const 0")
            return
        self.emit(f"i32.const {self.pos(e.pos)}")
        self.expr(e.operand)
        self.emit(f"call $rt_{e.op}")

    def e_FuncRef(self, e: ir.FuncRef) -> None:
        index = self.fn_values.setdefault(e.func, len(self.fn_values))
        self.emit(f"i32.const {FN_TAG} i64.const {index}")

    def e_CallValue(self, e: ir.CallValue) -> None:
        f_t, f_v = self.temp("i32"), self.temp("i64")
        self.expr(e.callee)
        self.emit(f"local.set {f_v}", f"local.set {f_t}")
        a, count = self.arg_values(e.args)
        self.emit(f"(call $rt_call_value (i32.const {self.pos(e.pos)}) (local.get {f_t}) "
                  f"(local.get {f_v}) (local.get {a}) {count})")

    def e_MethodCall(self, e: ir.MethodCall) -> None:
        a, count = self.arg_values((e.receiver, *e.args))
        self.emit(f"(call $rt_method (i32.const {self.pos(e.pos)}) (i32.const "
                  f"{self.name(e.name)}) (local.get {a}) {count})")

    def e_Closure(self, e: ir.Closure) -> None:
        """A function value whose payload's high 32 bits are its table of cells."""
        index = self.fn_values.setdefault(e.func, len(self.fn_values))
        self.emit(f"i32.const {FN_TAG}")
        self.expr(e.env)
        self.emit("i64.const 32 i64.shl", f"i64.const {index} i64.or")
        env_t = self.temp("i64")
        self.emit(f"local.set {env_t}", "drop", f"local.get {env_t}")

    def e_Pack(self, e: ir.Pack) -> None:
        a, count = self.arg_values(e.items)
        self.emit(f"(call $rt_pack (local.get {a}) {count})")

    def e_Nth(self, e: ir.Nth) -> None:
        self.expr(e.value)
        self.emit(f"i32.const {e.index}", "call $rt_nth")

    def e_Spread(self, e: ir.Spread) -> None:
        self.problem(e.pos, "several values where one belongs")  # never: lowering
        self.emit("i32.const 1 i64.const 0")

    def e_ListLit(self, e: ir.ListLit) -> None:
        if e.items and isinstance(e.items[-1], ir.Spread):
            values, count = self.arg_values(e.items)
            k = self.temp("i32")
            made = self.temp("i32")
            self.emit(f"(local.set {made} (call $arr_new (i64.const {self.o.index_base}) "
                      "(i32.const 0) (i32.const 0)))", f"(local.set {k} (i32.const 0))",
                      "(block (loop", f"  (br_if 1 (i32.ge_u (local.get {k}) {count}))",
                      f"  (call $arr_push (local.get {made}) (call $rt_copy (call $cell_get "
                      f"(i32.add (local.get {values}) (i32.shl (local.get {k}) (i32.const 4))))))",
                      f"  (local.set {k} (i32.add (local.get {k}) (i32.const 1)))",
                      "  (br 0)))", f"i32.const 6 (i64.extend_i32_u (local.get {made}))")
            return
        a = self.temp("i32")
        self.emit(f"(local.set {a} (call $arr_new (i64.const {self.o.index_base}) (i32.const 0) "
                  "(i32.const 0)))")
        for item in e.items:
            self.emit(f"local.get {a}")
            self.expr(item)
            self.emit("call $rt_copy", "call $arr_push")
        self.emit(f"i32.const 6 (i64.extend_i32_u (local.get {a}))")

    def e_RangeList(self, e: ir.RangeList) -> None:
        self.emit(f"i32.const {self.pos(e.pos)}")
        self.expr(e.low)
        self.expr(e.high)
        self.emit(f"i64.const {self.o.index_base}", "call $rt_range_list")


def _bytes(data: bytes | bytearray) -> str:
    return "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:02x}"
                   for b in data)


def generate_wat(program: ir.Program) -> WasmModule:
    """The WAT module of ``program`` with its line and source maps; raises BuildError."""
    emitter = _Emitter(program)
    text = emitter.module()
    return WasmModule(text, line_map(text), tuple(emitter.positions), tuple(emitter.names),
                      program.options)


def line_map(text: str) -> tuple[tuple[int, int], ...]:
    """(generated line, source line) for the code after every ``;; @LINE:COL`` mark."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        mark = line.lstrip(" ")
        if mark.startswith(";; @"):
            found.append((number + 1, int(mark[4:].split(":", 1)[0])))
    return tuple(found)
