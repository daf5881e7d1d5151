"""The reference interpreter: runs an ``ir.Program``; the back ends must agree with it.

Each node is turned once into a Python closure (``frame -> value``), so a run does
not dispatch on node types; statements return ``None`` or a jump signal. Runs are
bounded: ``max_steps`` counts loop turns and calls, ``timeout`` is checked every few
thousand steps, nested calls stop at ``MAX_DEPTH`` (the C runtime uses the same)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from . import ir
from .arith import arithmetic, equal
from .basic_ops import ColumnOut
from .builtins import Random
from .errors import Halt, RunError
from .reading import StreamReader
from .tables import table_get, table_set
from .values import UNSET, Arr, FnVal, Packed, Rec, Ref, copied, type_name

MAX_DEPTH = 10_000
BREAK, CONTINUE, RETURN = 1, 2, 3
Fn = Callable[[list[Any]], Any]


class Limit(Exception):
    """The run went past --max-steps or --timeout."""


class Interpreter:
    def __init__(self, program: ir.Program, out: IO[str], inp: IO[str],
                 max_steps: int | None = None, timeout: float | None = None) -> None:
        self.p = program
        self.o = program.options
        self.out = ColumnOut(out)  # TAB counts from its column
        self.inp = inp
        self.g: list[Any] = [UNSET] * len(program.globals)
        self.steps_left = max_steps if max_steps is not None else -1
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.tick = 4096
        self.stack: list[tuple[str, int]] = []
        self.retval: Any = None
        self.funcs: dict[str, Callable[[list[Any]], Any]] = {}
        self.fn_values: dict[str, FnVal] = {}
        self.random = Random()
        self.reader = StreamReader(inp)  # Pascal's Read and ReadLn

    # ----- running -----

    def run(self) -> int:
        """Run the program; its exit code. Raises RunError or Limit."""
        for key, fn in self.p.functions.items():
            self.funcs[key] = self.function(fn)
        main = self.body(self.p.main)
        try:
            main([])
        except Halt as h:
            return h.code
        except RunError as e:
            if e.trace is None:
                e.trace = []
            raise
        return 0

    def step(self, pos: int) -> None:
        """One loop turn or call: count it against the limits."""
        if self.steps_left == 0:
            raise Limit(f"the program ran more than the allowed number of steps (at "
                        f"offset {pos})")
        self.steps_left -= 1
        self.tick -= 1
        if self.tick <= 0:
            self.tick = 4096
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise Limit("the program ran past its time limit")

    # ----- functions -----

    def function(self, fn: ir.Function) -> Callable[[list[Any]], Any]:
        body = self.body(fn.body)
        nslots = len(fn.slots)
        result_slot = fn.result_slot
        params = fn.params
        rest = fn.vararg_slot

        def call(args: list[Any]) -> Any:
            frame: list[Any] = [UNSET] * nslots
            if rest is not None:  # the pack of the arguments past the others, last
                frame[rest] = args.pop()
            for param, arg in zip(params, args, strict=True):
                frame[param.slot] = arg
            signal = body(frame)
            if signal == RETURN:
                value = self.retval
                self.retval = None
                if value is not None or result_slot is None:
                    return value
            if result_slot is not None and frame[result_slot] is not UNSET:
                return frame[result_slot]
            return None
        return call

    # ----- statements -----

    def body(self, stmts: ir.Body) -> Fn:
        compiled = [self.stmt(s) for s in stmts]
        if len(compiled) == 1:
            return compiled[0]

        def run(frame: list[Any]) -> Any:
            for s in compiled:
                signal = s(frame)
                if signal:
                    return signal
            return None
        return run

    def stmt(self, s: ir.Stmt) -> Fn:
        fn: Fn = getattr(self, "s_" + type(s).__name__)(s)
        return fn

    def s_Assign(self, s: ir.Assign) -> Fn:
        value = self.expr(s.value)
        store = self.store(s.target)

        def run(frame: list[Any]) -> None:
            store(frame, copied(value(frame)))
        return run

    def s_Declare(self, s: ir.Declare) -> Fn:
        store = self.store(s.target, convert=False)
        typ = s.typ

        def run(frame: list[Any]) -> None:
            store(frame, default(typ, self.o.index_base))
        return run

    def s_ExprStmt(self, s: ir.ExprStmt) -> Fn:
        value = self.expr(s.expr)

        def run(frame: list[Any]) -> None:
            value(frame)
        return run

    def s_If(self, s: ir.If) -> Fn:
        arms = [(self.cond(c), self.body(b)) for c, b in s.arms]
        orelse = self.body(s.orelse) if s.orelse is not None else None

        def run(frame: list[Any]) -> Any:
            for cond, body in arms:
                if cond(frame):
                    return body(frame)
            if orelse is not None:
                return orelse(frame)
            return None
        return run

    def s_While(self, s: ir.While) -> Fn:
        cond, body, step, pos = self.cond(s.cond), self.body(s.body), self.step, s.pos

        def run(frame: list[Any]) -> Any:
            while cond(frame):
                step(pos)
                signal = body(frame)
                if signal == BREAK:
                    break
                if signal == RETURN:
                    return signal
            return None
        return run

    def s_Repeat(self, s: ir.Repeat) -> Fn:
        cond, body, step, pos = self.cond(s.until), self.body(s.body), self.step, s.pos

        def run(frame: list[Any]) -> Any:
            while True:
                step(pos)
                signal = body(frame)
                if signal == BREAK:
                    break
                if signal == RETURN:
                    return signal
                if cond(frame):
                    break
            return None
        return run

    def s_ForBody(self, s: ir.ForBody) -> Fn:
        loop = s.loop
        start, stop, stepv = self.expr(loop.start), self.expr(loop.stop), self.expr(loop.step)
        store, body, step, pos = self.store(loop.var), self.body(s.body), self.step, loop.pos

        def run(frame: list[Any]) -> Any:
            i = self.whole(start(frame), loop.start.pos, "a loop bound")
            last = self.whole(stop(frame), loop.stop.pos, "a loop bound")
            by = self.whole(stepv(frame), loop.step.pos, "a loop step")
            if by == 0:
                raise RunError("the loop step is zero", loop.step.pos)
            while (i <= last) if by > 0 else (i >= last):
                step(pos)
                store(frame, i)
                signal = body(frame)
                if signal == BREAK:
                    break
                if signal == RETURN:
                    return signal
                i += by
            return None
        return run

    def s_ForIn(self, s: ir.ForIn) -> Fn:
        items, store, body, step, pos = (self.expr(s.iterable), self.store(s.var),
                                         self.body(s.body), self.step, s.pos)

        def run(frame: list[Any]) -> Any:
            seq = items(frame)
            if isinstance(seq, Arr):
                source: Any = seq.items
            elif isinstance(seq, str):
                source = seq
            else:
                raise RunError(f"cannot loop over a {type_name(seq)}", s.iterable.pos)
            i = 0
            while i < len(source):  # the list may grow in the loop, as in Python
                step(pos)
                store(frame, copied(source[i]))
                signal = body(frame)
                if signal == BREAK:
                    break
                if signal == RETURN:
                    return signal
                i += 1
            return None
        return run

    def s_Case(self, s: ir.Case) -> Fn:
        subject = self.expr(s.subject)
        arms = [([(self.expr(lo), None if hi is None else self.expr(hi)) for lo, hi in labels],
                 self.body(body)) for labels, body in s.arms]
        orelse = self.body(s.orelse) if s.orelse is not None else None

        def run(frame: list[Any]) -> Any:
            value = subject(frame)
            for labels, body in arms:
                for lo, hi in labels:
                    if hi is None:
                        if equal(value, lo(frame)):
                            return body(frame)
                    elif self.compare("ge", value, lo(frame), s.pos) and \
                            self.compare("le", value, hi(frame), s.pos):
                        return body(frame)
            return orelse(frame) if orelse is not None else None
        return run

    def s_Return(self, s: ir.Return) -> Fn:
        value = self.expr(s.value) if s.value is not None else None

        def run(frame: list[Any]) -> int:
            self.retval = value(frame) if value is not None else None
            return RETURN
        return run

    def s_Jump(self, s: ir.Jump) -> Fn:
        signal = BREAK if s.kind == "break" else CONTINUE

        def run(frame: list[Any]) -> int:
            return signal
        return run

    # ----- storing -----

    def store(self, t: ir.Target, convert: bool = True) -> Callable[[list[Any], Any], None]:
        to_real = convert and _is_real(getattr(t, "typ", ir.ANY))
        if isinstance(t, ir.Local):
            slot = t.slot
            if t.ref:
                def put_ref(frame: list[Any], v: Any) -> None:
                    frame[slot].set(_real(v) if to_real else v)
                return put_ref

            def put_local(frame: list[Any], v: Any) -> None:
                frame[slot] = _real(v) if to_real else v
            return put_local
        if isinstance(t, ir.Global):
            slot, g = t.slot, self.g

            def put_global(frame: list[Any], v: Any) -> None:
                g[slot] = _real(v) if to_real else v
            return put_global
        where = self.ref(t)

        def put_element(frame: list[Any], v: Any) -> None:
            where(frame).set(v)
        return put_element

    def ref(self, t: ir.Expr) -> Callable[[list[Any]], Ref]:
        """The location of a target, for VAR parameters and stores into containers."""
        if isinstance(t, ir.Local):
            slot = t.slot
            if t.ref:
                return lambda frame: frame[slot]
            return lambda frame: Ref(frame, slot)
        if isinstance(t, ir.Global):
            g, slot = self.g, t.slot
            return lambda frame: Ref(g, slot)
        if isinstance(t, ir.Index):
            base, index, pos = self.expr(t.base), self.expr(t.index), t.pos

            def element(frame: list[Any]) -> Ref:
                arr = base(frame)
                if not isinstance(arr, Arr):
                    raise RunError(f"cannot assign to an element of a {type_name(arr)}", pos)
                if arr.hash is not None:
                    return _TableSlot(arr, index(frame), pos)
                i = self.position(arr, index(frame), pos)
                return _Slot(arr.items, i)
            return element
        if isinstance(t, ir.Field):
            base, name, pos = self.expr(t.base), t.name, t.pos

            def field(frame: list[Any]) -> Ref:
                rec = base(frame)
                if type(rec) is Arr and rec.hash is not None:
                    return _TableSlot(rec, name, pos)
                if not isinstance(rec, Rec) or name not in rec.fields:
                    raise RunError(f"no field {name!r} in a {type_name(rec)}", pos)
                return _Slot(rec.fields, name)
            return field
        raise RunError("this cannot be assigned to", t.pos)

    def position(self, arr: Arr, index: Any, pos: int) -> int:
        i = self.whole(index, pos, "an index")
        k = i - arr.low
        if not 0 <= k < len(arr.items):
            if not arr.items:
                raise RunError(f"index {i} out of range (the list is empty)", pos)
            raise RunError(f"index {i} out of range {arr.low}..{arr.low + len(arr.items) - 1}",
                           pos)
        return k

    @staticmethod
    def whole(value: Any, pos: int, what: str) -> int:
        if type(value) is not int:
            raise RunError(f"{what} must be an integer, not a {type_name(value)}", pos)
        return int(value)

    # ----- expressions -----

    def cond(self, e: ir.Expr) -> Fn:
        value, pos = self.expr(e), e.pos

        def test(frame: list[Any]) -> bool:
            v = value(frame)
            if v is True or v is False:
                return v
            raise RunError(f"a condition must be a boolean, not a {type_name(v)}", pos)
        return test

    def expr(self, e: ir.Expr) -> Fn:
        fn: Fn = getattr(self, "e_" + type(e).__name__)(e)
        return fn

    def e_Const(self, e: ir.Const) -> Fn:
        value = e.value
        return lambda frame: value

    def e_Local(self, e: ir.Local) -> Fn:
        slot, name, pos = e.slot, e.name, e.pos

        def read(frame: list[Any]) -> Any:
            v = frame[slot]
            if e.ref:
                v = v.get()
            if v is UNSET:
                raise RunError(f"the variable {name!r} has no value yet", pos)
            return v
        return read

    def e_Global(self, e: ir.Global) -> Fn:
        slot, name, pos, g = e.slot, e.name, e.pos, self.g

        def read(frame: list[Any]) -> Any:
            v = g[slot]
            if v is UNSET:
                raise RunError(f"the variable {name!r} has no value yet", pos)
            return v
        return read

    def e_Undefined(self, e: ir.Undefined) -> Fn:
        def fail(frame: list[Any]) -> Any:
            raise RunError(f"undefined name {e.name!r}", e.pos)
        return fail

    def e_Index(self, e: ir.Index) -> Fn:
        base, index, pos, o = self.expr(e.base), self.expr(e.index), e.pos, self.o

        def read(frame: list[Any]) -> Any:
            b = base(frame)
            if type(b) is Arr:
                if b.hash is not None:
                    return table_get(b, index(frame), "index", pos)
                return b.items[self.position(b, index(frame), pos)]
            if type(b) is str:
                i = self.whole(index(frame), pos, "an index")
                if not 0 <= i - o.index_base < len(b):
                    raise RunError(f"index {i} out of range {o.index_base}.."
                                   f"{o.index_base + len(b) - 1} of a string", pos)
                return b[i - o.index_base]
            raise RunError(f"cannot index a {type_name(b)}", pos)
        return read

    def e_Field(self, e: ir.Field) -> Fn:
        base, name, pos = self.expr(e.base), e.name, e.pos

        def read(frame: list[Any]) -> Any:
            r = base(frame)
            if type(r) is Arr and r.hash is not None:
                return table_get(r, name, "field", pos)
            if type(r) is not Rec or name not in r.fields:
                raise RunError(f"no field {name!r} in a {type_name(r)}", pos)
            return r.fields[name]
        return read

    def e_Call(self, e: ir.Call) -> Fn:
        fn = self.p.functions[e.func]
        target = fn.name
        makers: list[Fn] = []
        for param, arg in zip(fn.params, e.args, strict=False):
            if param.ref:
                makers.append(self.ref(arg))
            else:
                makers.append(self.by_value(arg, param.typ))
        funcs, stack, pos, step = self.funcs, self.stack, e.pos, self.step
        key = e.func

        def call(frame: list[Any]) -> Any:
            args = [m(frame) for m in makers]
            step(pos)
            if len(stack) >= MAX_DEPTH:
                raise RunError(f"stack overflow: more than {MAX_DEPTH} nested calls", pos)
            stack.append((target, pos))
            try:
                return funcs[key](args)
            except RunError as err:
                if err.trace is None:
                    err.trace = list(stack)
                raise
            finally:
                stack.pop()
        return call

    def e_FuncRef(self, e: ir.FuncRef) -> Fn:
        # one value per function: two references to it are equal (as in the back ends)
        value = self.fn_values.setdefault(e.func, FnVal(e.func, self.p.functions[e.func].name))
        return lambda frame: value

    def call_value(self, fn: FnVal, pos: int) -> Callable[[list[Any]], Any]:
        """A call of a function value from an operation at ``pos`` (sort's comparator)."""
        return lambda args: self.invoke(fn, args, pos)

    def invoke(self, fn: Any, args: list[Any], pos: int) -> Any:
        """Call the function value ``fn`` as Lua does: a closure's cells first, missing
        arguments null, extra ones dropped (or packed for ``...``); counted and traced as
        a call. Its result as it is (maybe a pack)."""
        if type(fn) is not FnVal:
            raise RunError(f"cannot call a {type_name(fn)}", pos)
        target = self.p.functions[fn.key]
        if fn.env is not None:
            args = [fn.env, *args]
        count = len(target.params)
        fitted = (args + [None] * count)[:count]
        if target.vararg_slot is not None:
            fitted.append(Packed(args[count:]))
        self.step(pos)
        if len(self.stack) >= MAX_DEPTH:
            raise RunError(f"stack overflow: more than {MAX_DEPTH} nested calls", pos)
        self.stack.append((target.name, pos))
        try:
            return self.funcs[fn.key](fitted)
        except RunError as err:
            if err.trace is None:
                err.trace = list(self.stack)
            raise
        finally:
            self.stack.pop()

    def arg_list(self, exprs: tuple[ir.Expr, ...]) -> Callable[[list[Any]], list[Any]]:
        """The values of an argument list, a last ``Spread`` giving all its values."""
        spread = exprs[-1] if exprs and type(exprs[-1]) is ir.Spread else None
        fixed = [self.expr(a) for a in (exprs[:-1] if spread is not None else exprs)]
        if spread is None:
            return lambda frame: [a(frame) for a in fixed]
        last = self.expr(spread.value)
        sep = self.expr(spread.sep) if spread.sep is not None else None

        def values(frame: list[Any]) -> list[Any]:
            out = [a(frame) for a in fixed]
            v = last(frame)
            for item in v.items if type(v) is Packed else [v]:
                if sep is not None and out:
                    out.append(sep(frame))
                out.append(item)
            return out
        return values

    def e_CallValue(self, e: ir.CallValue) -> Fn:
        callee, args, pos = self.expr(e.callee), self.arg_list(e.args), e.pos

        def call(frame: list[Any]) -> Any:
            f = callee(frame)
            return self.invoke(f, args(frame), pos)
        return call

    def e_MethodCall(self, e: ir.MethodCall) -> Fn:
        receiver, args, name, pos = self.expr(e.receiver), self.arg_list(e.args), e.name, e.pos

        def call(frame: list[Any]) -> Any:
            r = receiver(frame)
            if type(r) is not Arr or r.hash is None:
                raise RunError(f"cannot call the method {name!r} of a {type_name(r)}", pos)
            f = table_get(r, name, "method", pos)
            if f is None:
                raise RunError(f"no method {name!r} in the table", pos)
            return self.invoke(f, [r, *args(frame)], pos)
        return call

    def e_Closure(self, e: ir.Closure) -> Fn:
        env, key, name = self.expr(e.env), e.func, self.p.functions[e.func].name
        return lambda frame: FnVal(key, name, env(frame))

    def e_Pack(self, e: ir.Pack) -> Fn:
        items = self.arg_list(e.items)
        return lambda frame: Packed(items(frame))

    def e_Nth(self, e: ir.Nth) -> Fn:
        value, k = self.expr(e.value), e.index

        def nth(frame: list[Any]) -> Any:
            v = value(frame)
            if type(v) is Packed:
                return v.items[k - 1] if k <= len(v.items) else None
            return v if k == 1 else None
        return nth

    def e_Spread(self, e: ir.Spread) -> Fn:
        raise RunError("several values where one belongs", e.pos)  # never: lowering

    def by_value(self, arg: ir.Expr, typ: ir.TypeSpec) -> Fn:
        value = self.expr(arg)
        if _is_real(typ):
            return lambda frame: _real(value(frame))
        return lambda frame: copied(value(frame))

    def e_BuiltinCall(self, e: ir.BuiltinCall) -> Fn:
        from .builtins import compile_builtin
        return compile_builtin(self, e)

    def e_Binary(self, e: ir.Binary) -> Fn:
        left, right, op, pos = self.expr(e.left), self.expr(e.right), e.op, e.pos
        if op in ("and", "or"):
            return self.logical(op, left, right, pos)
        if op in ("and_operand", "or_operand"):  # Lua: false and null are false
            want = op == "and_operand"

            def operand(frame: list[Any]) -> Any:
                a = left(frame)
                return right(frame) if (a is not None and a is not False) == want else a
            return operand
        apply = self.binary_op(op, pos)
        return lambda frame: apply(left(frame), right(frame))

    def logical(self, op: str, left: Fn, right: Fn, pos: int) -> Fn:
        def run(frame: list[Any]) -> Any:
            a = left(frame)
            if a is True or a is False:
                if (op == "and") != a:  # short circuit
                    return a
                b = right(frame)
                if b is True or b is False:
                    return b
                raise RunError(f"{op} needs two booleans, not boolean and {type_name(b)}", pos)
            b = right(frame)
            if type(a) is int and type(b) is int:
                return a & b if op == "and" else a | b
            raise RunError(f"{op} needs two booleans or two integers, not "
                           f"{type_name(a)} and {type_name(b)}", pos)
        return run

    def binary_op(self, op: str, pos: int) -> Callable[[Any, Any], Any]:
        o = self.o

        def arith(a: Any, b: Any) -> Any:
            return arithmetic(op, a, b, pos, o)
        if op in ("eq", "ne", "lt", "gt", "le", "ge"):
            return lambda a, b: self.compare(op, a, b, pos)
        return arith

    def compare(self, op: str, a: Any, b: Any, pos: int) -> bool:
        if op == "eq":
            return equal(a, b)
        if op == "ne":
            return not equal(a, b)
        ta, tb = type(a), type(b)
        if not ((ta in (int, float) and tb in (int, float)) or (ta is str and tb is str)):
            raise RunError(f"cannot compare a {type_name(a)} with a {type_name(b)}", pos)
        if op == "lt":
            return bool(a < b)
        if op == "gt":
            return bool(a > b)
        if op == "le":
            return bool(a <= b)
        return bool(a >= b)

    def e_Unary(self, e: ir.Unary) -> Fn:
        operand, op, pos = self.expr(e.operand), e.op, e.pos

        def run(frame: list[Any]) -> Any:
            v = operand(frame)
            t = type(v)
            if op == "not":
                if t is bool:
                    return not v
                if t is int:
                    return ~v
                raise RunError(f"not needs a boolean, not a {type_name(v)}", pos)
            if t is int or t is float:
                return -v if op == "neg" else v
            raise RunError(f"cannot negate a {type_name(v)}", pos)
        return run

    def e_ListLit(self, e: ir.ListLit) -> Fn:
        items, base = self.arg_list(e.items), self.o.index_base
        return lambda frame: Arr([copied(v) for v in items(frame)], base, False)

    def e_RangeList(self, e: ir.RangeList) -> Fn:
        low, high, base = self.expr(e.low), self.expr(e.high), self.o.index_base

        def run(frame: list[Any]) -> Any:
            a = self.whole(low(frame), e.pos, "a range bound")
            b = self.whole(high(frame), e.pos, "a range bound")
            return Arr(list(range(a, b + 1)), base, False)
        return run


class _Slot(Ref):
    """A store into a container element: a real element stays real."""

    __slots__ = ()

    def set(self, value: Any) -> None:
        old = self.container[self.key]
        if type(old) is float and type(value) is int:
            value = float(value)
        self.container[self.key] = copied(value)


class _TableSlot(Ref):
    """A store into a table: ``container`` the table, ``key`` any key (tables.py)."""

    __slots__ = ("pos",)

    def __init__(self, container: Any, key: Any, pos: int) -> None:
        super().__init__(container, key)
        self.pos = pos

    def get(self) -> Any:
        return table_get(self.container, self.key, "index", self.pos)

    def set(self, value: Any) -> None:
        table_set(self.container, self.key, value, "index", self.pos)


def _is_real(typ: ir.TypeSpec) -> bool:
    return isinstance(typ, ir.Scalar) and typ.name == "float"


def _real(v: Any) -> Any:
    return float(v) if type(v) is int else v


def default(typ: ir.TypeSpec, base: int) -> Any:
    """The value a declared variable starts with."""
    if isinstance(typ, ir.Scalar):
        return {"int": 0, "float": 0.0, "bool": False, "str": "\0" * typ.width}.get(
            typ.name, UNSET)
    if isinstance(typ, ir.ArraySpec):
        return Arr([default(typ.elem, base) for _ in range(max(0, typ.high - typ.low + 1))],
                   typ.low, True)
    if isinstance(typ, ir.RecordSpec):
        return Rec({name: default(t, base) for name, t in typ.fields})
    return Arr([], base, False)


def run_program(program: ir.Program, out: IO[str] | None = None, inp: IO[str] | None = None,
                max_steps: int | None = None, timeout: float | None = None) -> int:
    """Run on a thread with a deep stack (recursive programs nest Python calls)."""
    interp = Interpreter(program, out or sys.stdout, inp or sys.stdin, max_steps, timeout)
    result: list[Any] = []

    def target() -> None:
        try:
            result.append(interp.run())
        except BaseException as exc:  # handed to the caller's thread
            result.append(exc)
    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    sys.setrecursionlimit(max(old_limit, MAX_DEPTH * 12))
    threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=target, name="craftls-run", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old_size)
    thread.join()
    sys.setrecursionlimit(old_limit)
    outcome = result[0] if result else 1
    if isinstance(outcome, RecursionError):
        raise RunError("stack overflow: the program nests too deeply", 0)
    if isinstance(outcome, BaseException):
        raise outcome
    return int(outcome)

