"""Running a generated WebAssembly module with wasmtime: the host side of the runtime.

The module imports four functions from ``craftls``: ``fail`` (a runtime error: a
message code and the index of its source position), ``limit`` (--max-steps ran out),
``write`` (print values) and ``op`` (the runtime library operations kept in Python:
input, the text of reals, parsing, the rarer string operations). Values cross as
(tag, payload) pairs; strings, arrays and records are read from and written to the
module's memory. The operations call the interpreter's own functions (``builtins``,
``arith``, ``values.to_text``), so the output is the interpreter's, byte for byte.

``--max-steps`` is counted by the module itself (loop turns and calls, as the
interpreter counts them); ``--timeout`` is wasmtime's epoch interruption."""

from __future__ import annotations

import struct
import threading
from typing import IO, Any

import wasmtime

from . import builtins
from .arith import arithmetic
from .basic_ops import ColumnOut, tab_text, zone_text
from .errors import Halt, RunError
from .interp import Limit
from .reading import READ_OPS, StreamReader
from .values import UNSET, Arr, FnVal, Rec, real_text, to_text, type_name
from .wasm_emit import WasmModule
from .wasm_host_tables import TableHost
from .wasm_runtime import HOST_OPS, MAX_DEPTH, STACK
from .wasm_tables import FN_TAG, TABLE_HOST_OPS

TYPE_NAMES = ("no value", "null", "boolean", "integer", "real", "string", "list", "record",
              "array", "table", "function")
# code: (message, what each argument is: n a name id, t a type code, i an integer,
# r the bits of a real); the codes are those wasm_runtime passes to ``fail``
MESSAGES: dict[int, tuple[str, str]] = {
    1: ("the variable {0!r} has no value yet", "n"),
    2: ("a condition must be a boolean, not a {0}", "t"),
    3: ("{0} must be an integer, not a {1}", "nt"),
    4: ("integer overflow (the WebAssembly back end has 64-bit integers)", ""),
    5: ("cannot compare a {0} with a {1}", "tt"),
    6: ("{0} needs numbers, not {1} and {2}", "ntt"),
    7: ("division by zero", ""),
    8: ("{0} needs integers, not {1} and {2}", "ntt"),
    10: ("cannot negate a {0}", "t"),
    11: ("not needs a boolean, not a {0}", "t"),
    12: ("{0} needs two booleans, not boolean and {1}", "nt"),
    13: ("{0} needs two booleans or two integers, not {1} and {2}", "ntt"),
    14: ("cannot look for a value in a {0}", "t"),
    15: ("index {0} out of range (the list is empty)", "i"),
    16: ("index {0} out of range {1}..{2}", "iii"),
    17: ("index {0} out of range {1}..{2} of a string", "iii"),
    18: ("cannot index a {0}", "t"),
    19: ("cannot assign to an element of a {0}", "t"),
    20: ("no field {0!r} in a {1}", "nt"),
    21: ("cannot loop over a {0}", "t"),
    22: ("the loop step is zero", ""),
    23: ("undefined name {0!r}", "n"),
    24: (f"stack overflow: more than {MAX_DEPTH} nested calls", ""),
    26: ("{0} needs a string, not a {1}", "nt"),
    27: ("{0} needs an integer, not a {1}", "nt"),
    28: ("{0} needs a string or a list, not a {1}", "nt"),
    30: ("{0}: {1} is not a character code", "ni"),
    31: ("{0} needs one character, not {1}", "ni"),
    32: ("{0} needs a list, not a {1}", "nt"),
    33: ("{0}: the list is empty", "n"),
    34: ("{0} needs integers, not {1} and {2}", "ntt"),
    35: ("{0}: the step is zero", "n"),
    36: ("{0}: too many numbers", "n"),
    37: ("out of memory (the WebAssembly back end has 4 GiB)", ""),
    # sort (wasm_tables.py)
    38: ("{0} needs a table, not a {1}", "nt"),
    39: ("{0}: the comparator must be a function, not a {1}", "nt"),
    40: ("{0}: the table has a nil at {1}", "ni"),
    # function values and methods (wasm_tables.py)
    41: ("cannot call a {0}", "t"),
    42: ("cannot call the method {0!r} of a {1}", "nt"),
    43: ("no method {0!r} in the table", "n"),
}
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def engine() -> wasmtime.Engine:
    """An engine per run: its epoch (the --timeout clock) is the run's alone."""
    config = wasmtime.Config()
    config.epoch_interruption = True
    return wasmtime.Engine(config)


def assemble(module: WasmModule) -> bytes:
    """The binary module (``wasmtime.wat2wasm``)."""
    return bytes(wasmtime.wat2wasm(module.text))


class _Host(TableHost):
    def __init__(self, module: WasmModule, out: IO[str], inp: IO[str]) -> None:
        super().__init__()
        self.m = module
        self.o = module.options
        self.out = ColumnOut(out)  # TAB counts from its column
        self.inp = inp
        self.store: Any = None
        self.memory: Any = None
        self.alloc: Any = None
        self.arr_push: Any = None
        self.random = builtins.Random()
        self.reader = StreamReader(inp)

    # ----- memory -----

    def read(self, start: int, size: int) -> bytes:
        return bytes(self.memory.read(self.store, start, start + size))

    def decode(self, tag: int, payload: int) -> Any:
        if tag == 3:
            return payload
        if tag == 4:
            return struct.unpack("<d", struct.pack("<q", payload))[0]
        if tag == 2:
            return payload != 0
        if tag == 1:
            return None
        address = payload & 0xFFFFFFFF
        if tag == 5:
            length, cp = struct.unpack("<ii", self.read(address, 8))
            return self.read(cp, 4 * length).decode("utf-32-le", "surrogatepass")
        if tag == 6:
            return self.decode_array(address)
        if tag == FN_TAG:
            return FnVal(str(payload), "function")
        if tag == 7:
            n, ids, vals = struct.unpack("<iii", self.read(address, 12))
            names = struct.unpack(f"<{n}i", self.read(ids, 4 * n))
            return Rec(dict(zip((self.m.names[i] for i in names), self.cells(vals, n),
                                strict=True)))
        return UNSET

    def decode_array(self, address: int) -> Arr:
        """An array, a list, or a table (fixed 2 or 3) with its hash part; a table met
        before in this operation is that same table."""
        if address in self.memo:
            return self.memo[address]  # type: ignore[no-any-return]
        low, length, _, fixed, items = struct.unpack("<qiiii", self.read(address, 24))
        arr = Arr([], low, fixed == 1, None if fixed < 2 else {})
        if fixed >= 2:
            self.memo[address] = arr
            self.origin[id(arr)] = address
            arr.hash = self.hash_of(address)
            meta = self.metas.get(address)
            if meta is not None:  # ipairs follows its __index (tables.table_get)
                arr.meta = self.decode_array(meta)
        arr.items = self.cells(items, length)
        return arr

    def cells(self, address: int, count: int) -> list[Any]:
        raw = self.read(address, 16 * count)
        return [self.decode(*struct.unpack_from("<i4xq", raw, 16 * k)) for k in range(count)]

    def encode(self, value: Any, pos: int) -> tuple[int, int]:
        if value is None:
            return 1, 0
        if value is True or value is False:
            return 2, int(value)
        if isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                raise RunError(MESSAGES[4][0], pos)
            return 3, value
        if isinstance(value, float):
            return 4, struct.unpack("<q", struct.pack("<d", value))[0]
        if isinstance(value, str):
            data = value.encode("utf-32-le", "surrogatepass")
            address = self.alloc(self.store, 16 + len(data))
            self.memory.write(self.store, struct.pack("<iiii", len(value), address + 16, 0, 0)
                              + data, address)
            return 5, address
        if isinstance(value, FnVal):
            return FN_TAG, int(value.key)
        if isinstance(value, Arr) and id(value) in self.origin:
            return 6, self.origin[id(value)]
        if isinstance(value, Arr):
            cells = b"".join(struct.pack("<i4xq", *self.encode(v, pos)) for v in value.items)
            items = self.alloc(self.store, max(16, len(cells)))
            self.memory.write(self.store, cells, items)
            address = self.alloc(self.store, 24)
            fixed = int(value.fixed) if value.hash is None else self.register(
                address, value.hash, lambda v: self.encode(v, pos))
            self.memory.write(self.store, struct.pack("<qiiii", value.low, len(value.items),
                                                      max(1, len(value.items)),
                                                      fixed, items), address)
            return 6, address
        raise RunError(f"the WebAssembly back end cannot return a {type(value).__name__}", pos)

    # ----- the imports -----

    def fail(self, pos: int, code: int, *args: int) -> None:
        template, kinds = MESSAGES[code]
        shown: list[Any] = []
        for kind, arg in zip(kinds, args, strict=False):
            if kind == "n":
                shown.append(self.m.names[arg])
            elif kind == "t":
                shown.append(TYPE_NAMES[arg])
            elif kind == "r":
                shown.append(real_text(self.decode(4, arg)))
            else:
                shown.append(arg)
        raise RunError(template.format(*shown), self.m.positions[pos])

    def limit(self, pos: int) -> None:
        raise Limit("the program ran more than the allowed number of steps (at offset "
                    f"{self.m.positions[pos]})")

    def write(self, args: int, n: int, mode: int) -> None:
        sep = " " if mode == 0 else ""
        end = "" if mode == 1 else "\n"
        try:
            self.out.write(sep.join(to_text(v, self.o) for v in self.cells(args, n)) + end)
        finally:
            self.forget()

    def op(self, code: int, name_id: int, pos_index: int, args: int, n: int) -> tuple[int, int]:
        try:
            if HOST_OPS[code] == "setmetatable":
                return self.set_meta(self.m.names[name_id], self.m.positions[pos_index],
                                     args, n)
            if HOST_OPS[code] in TABLE_HOST_OPS:
                return self.table_op(HOST_OPS[code], self.m.positions[pos_index], args, n)
            return self.run_op(code, name_id, pos_index, args, n)
        finally:
            self.forget()

    def run_op(self, code: int, name_id: int, pos_index: int, args: int, n: int
               ) -> tuple[int, int]:
        op, name, pos = HOST_OPS[code], self.m.names[name_id], self.m.positions[pos_index]
        values = self.cells(args, n)
        if op == "read_line" or op in READ_OPS:
            return self.encode(self.read_input(op, name, pos, values), pos)
        if op == "halt":
            code_value = values[0] if values else 0
            if type(code_value) is not int:
                raise RunError(f"{name} needs an integer, not a "
                               f"{type_name(code_value)}", pos)
            self.out.flush()
            raise Halt(code_value)
        if op == "pow":
            return self.encode(arithmetic("pow", values[0], values[1], pos, self.o), pos)
        if op == "str":
            return self.encode(to_text(values[0], self.o), pos)
        if op == "random_between":
            return self.encode(self.random.between(name, pos, *values), pos)
        if op in ("bell", "tab", "zone"):
            return self.encode(self.stream_op(op, name, pos, values), pos)
        if op in ("randomize", "random_real", "timer"):
            return self.encode(builtins.random_op(self.random, op, name, pos, self.o, values),
                               pos)
        try:
            result = builtins._PURE[op](name, pos, self.o, *values)
        except TypeError:  # a call with the wrong number of arguments
            raise RunError(f"{name} cannot take {len(values)} arguments", pos) from None
        return self.encode(result, pos)

    def stream_op(self, op: str, name: str, pos: int, values: list[Any]) -> str | None:
        """BEEP writes the bell; TAB's spaces count from the output's column."""
        if op == "tab":
            return tab_text(name, pos, self.out.column, *values)
        if op == "zone":
            return zone_text(self.out.column, values[0])
        self.out.write("\a")
        return None

    def read_input(self, op: str, name: str, pos: int, values: list[Any]) -> str | None:
        if op == "read_line":
            return self.read_line(name, pos, values)
        self.out.flush()
        return self.reader.run(op, name, pos)  # Pascal's Read and ReadLn

    def read_line(self, name: str, pos: int, values: list[Any]) -> str:
        if values:
            self.out.write(to_text(values[0], self.o))
        self.out.flush()
        line = self.inp.readline()
        if not line:
            raise RunError(f"{name}: no more input (stdin has ended)", pos)
        return line[:-1] if line.endswith("\n") else line

    def imports(self, store: wasmtime.Store) -> list[wasmtime.Func]:
        i32, i64 = wasmtime.ValType.i32(), wasmtime.ValType.i64()

        def func(params: list[Any], results: list[Any], fn: Any) -> wasmtime.Func:
            return wasmtime.Func(store, wasmtime.FuncType(params, results), fn)
        return [func([i32, i32, i64, i64, i64], [], self.fail),
                func([i32], [], self.limit),
                func([i32, i32, i32], [], self.write),
                func([i32, i32, i32, i32, i32], [i32, i64], self.op)]

    def trace(self, exports: Any) -> list[tuple[str, int]]:
        """The active calls (function name, call position), outermost first."""
        depth = min(exports["depth"].value(self.store), MAX_DEPTH)
        raw = self.read(STACK, 8 * depth)
        return [(self.m.names[fn], self.m.positions[pos])
                for fn, pos in struct.iter_unpack("<ii", raw)]


def compile_module(module: WasmModule) -> tuple[wasmtime.Engine, wasmtime.Module]:
    """Assembled and compiled to machine code by wasmtime, on an engine of its own."""
    runtime = engine()
    return runtime, wasmtime.Module(runtime, assemble(module))


def run_module(module: WasmModule, out: IO[str], inp: IO[str], max_steps: int | None = None,
               timeout: float | None = None,
               compiled: tuple[wasmtime.Engine, wasmtime.Module] | None = None) -> int:
    """Run the module's main (``compiled`` once by ``compile_module``, or now); its
    exit code. Raises RunError or Limit as the interpreter does (on its own thread, as
    the interpreter runs)."""
    result: list[Any] = []
    runtime, binary = compiled or compile_module(module)

    def target() -> None:
        try:
            result.append(_run(module, runtime, binary, out, inp, max_steps, timeout))
        except BaseException as exc:  # handed to the caller's thread
            result.append(exc)
    thread = threading.Thread(target=target, name="craftls-wasm", daemon=True)
    thread.start()
    thread.join()
    outcome = result[0] if result else 1
    if isinstance(outcome, BaseException):
        raise outcome
    return int(outcome)


def _run(module: WasmModule, runtime: wasmtime.Engine, binary: wasmtime.Module, out: IO[str], inp: IO[str],
         max_steps: int | None, timeout: float | None) -> int:
    store = wasmtime.Store(runtime)
    store.set_epoch_deadline(1)
    host = _Host(module, out, inp)
    host.store = store
    instance = wasmtime.Instance(store, binary, host.imports(store))
    exports: Any = instance.exports(store)
    host.memory, host.alloc = exports["memory"], exports["alloc"]
    host.arr_push = exports["arr_push"]
    if max_steps is not None:
        exports["steps"].set_value(store, wasmtime.Val.i64(max_steps))
    timer = threading.Timer(timeout, runtime.increment_epoch) if timeout else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        exports["main"](store)
    except Halt as h:
        return h.code
    except RunError as e:
        e.trace = host.trace(exports)
        raise
    except wasmtime.Trap as trap:
        if trap.trap_code == wasmtime.TrapCode.INTERRUPT:
            raise Limit("the program ran past its time limit") from None
        if trap.trap_code == wasmtime.TrapCode.STACK_OVERFLOW:
            raise _stack_overflow(host.trace(exports)) from None
        raise
    finally:
        if timer is not None:
            timer.cancel()
    return 0


def _stack_overflow(trace: list[tuple[str, int]]) -> RunError:
    """wasmtime's stack (2 MiB, the most its Python binding allows) ran out before
    ``MAX_DEPTH`` calls: a runtime error at the innermost call."""
    pos = trace[-1][1] if trace else 0
    error = RunError(f"stack overflow: the program nests too deeply for the WebAssembly "
                     f"stack ({len(trace)} nested calls)", pos)
    error.trace = trace[:-1]
    return error
