"""The runtime library operations in the reference interpreter (see language/operations.py).

Each operation checks its arguments' types and fails with a runtime error in the
program's own words; the C runtime implements the same checks and messages."""

from __future__ import annotations

import math
import os
import re
import struct
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import ir
from .arith import arithmetic
from .basic_ops import BASIC_OPS, tab_text, zone_text
from .errors import Halt, RunError
from .extra_ops import EXTRA_OPS
from .patterns import PATTERN_OPS
from .reading import READ_OPS
from .tables import TABLE_OPS, absorb, insertion_sort, less_than, raw_field, sort_items
from .text_format import TEXT_OPS
from .values import (
    MAX_DECIMALS,
    MAX_WIDTH,
    Arr,
    copied,
    first,
    fixed_text,
    to_text,
    type_name,
)

if TYPE_CHECKING:
    from .interp import Fn, Interpreter

INT_TEXT = re.compile(r"[ \t]*[+-]?[0-9]+[ \t]*\Z")
REAL_TEXT = re.compile(r"[ \t]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*\Z")


def compile_builtin(interp: Interpreter, e: ir.BuiltinCall) -> Fn:
    o, pos, name = interp.o, e.pos, e.name
    op = e.op
    if op in ("inc", "dec"):
        where = interp.ref(e.args[0])
        by = interp.expr(e.args[1]) if len(e.args) > 1 else (lambda frame: 1)
        sign = 1 if op == "inc" else -1

        def bump(frame: list[Any]) -> None:
            ref = where(frame)
            old, amount = ref.get(), by(frame)
            if type(old) is not int or type(amount) is not int:
                raise RunError(f"{name} needs integers, not {type_name(old)} and "
                               f"{type_name(amount)}", pos)
            ref.set(old + sign * amount)
        return bump
    values = interp.arg_list(e.args)
    out, inp = interp.out, interp.inp

    if op in ("print_line", "write", "write_line"):
        sep = " " if op == "print_line" else ""
        end = "" if op == "write" else "\n"

        def emit(frame: list[Any]) -> None:
            out.write(sep.join(to_text(v, o) for v in values(frame)) + end)
        return emit
    if op == "read_line":
        def read(frame: list[Any]) -> Any:
            vs = values(frame)
            if vs:
                out.write(to_text(vs[0], o))
            out.flush()
            line = inp.readline()
            if not line:
                raise RunError(f"{name}: no more input (stdin has ended)", pos)
            return line[:-1] if line.endswith("\n") else line
        return read
    if op == "random_between":
        def between(frame: list[Any]) -> int:
            return interp.random.between(name, pos, *values(frame))
        return between
    if op == "bell":
        def bell(frame: list[Any]) -> None:
            out.write("\a")
        return bell
    if op == "tab":
        def tab(frame: list[Any]) -> str:
            return tab_text(name, pos, out.column, *values(frame))
        return tab
    if op == "zone":
        width = e.args[0].value if isinstance(e.args[0], ir.Const) else 1

        def zone(frame: list[Any]) -> str:
            return zone_text(out.column, int(width or 1))
        return zone
    if op in ("randomize", "random_real", "timer"):
        def chance(frame: list[Any]) -> Any:
            return random_op(interp.random, op, name, pos, o, values(frame))
        return chance
    if op == "halt":
        def halt(frame: list[Any]) -> None:
            vs = values(frame)
            code = vs[0] if vs else 0
            if type(code) is not int:
                raise RunError(f"{name} needs an integer, not a {type_name(code)}", pos)
            out.flush()
            raise Halt(code)
        return halt
    if op in READ_OPS:
        def read_input(frame: list[Any]) -> Any:
            out.flush()
            return interp.reader.run(op, name, pos)
        return read_input
    if op == "sort":
        return _sort(interp, e, values)
    if op == "length":  # a table's metatable may say its length (__len)
        return _length_of(interp, e, values)
    fn = _PURE[op]

    def pure(frame: list[Any]) -> Any:
        return fn(name, pos, o, *values(frame))
    return pure


def _sort(interp: Interpreter, e: ir.BuiltinCall, values: Fn) -> Fn:
    """``table.sort(t[, less])``: the comparator is a function value, called as a call
    at the sort's place (a step, a traceback entry)."""
    name, pos = e.name, e.pos

    def run(frame: list[Any]) -> None:
        vs = values(frame)
        t = sort_items(name, pos, vs[0], vs[1] if len(vs) > 1 else None)
        if len(vs) < 2 or vs[1] is None:
            insertion_sort(t.items, lambda a, b: less_than(name, pos, a, b))
            return
        call = interp.call_value(vs[1], pos)
        insertion_sort(t.items, lambda a, b: first(call([a, b])) not in (None, False))
    return run


def _length_of(interp: Interpreter, e: ir.BuiltinCall, values: Fn) -> Fn:
    name, pos, o = e.name, e.pos, interp.o

    def run(frame: list[Any]) -> Any:
        v = values(frame)[0]
        if type(v) is Arr and v.meta is not None:
            handler = raw_field(v.meta, "__len")
            if handler is not None:
                return first(interp.invoke(handler, [v, v], pos))
        return _length(name, pos, o, v)
    return run


def _num(name: str, pos: int, v: Any) -> Any:
    if type(v) not in (int, float):
        raise RunError(f"{name} needs a number, not a {type_name(v)}", pos)
    return v


def _whole(name: str, pos: int, v: Any) -> int:
    if type(v) is not int:
        raise RunError(f"{name} needs an integer, not a {type_name(v)}", pos)
    return int(v)


def _text(name: str, pos: int, v: Any) -> str:
    if type(v) is not str:
        raise RunError(f"{name} needs a string, not a {type_name(v)}", pos)
    return str(v)


def _finite(name: str, pos: int, v: Any) -> float:
    x = float(_num(name, pos, v))
    if math.isinf(x) or math.isnan(x):
        raise RunError(f"{name} of {to_text(x, ir.Options())} has no integer value", pos)
    return x


def _length(name: str, pos: int, o: ir.Options, v: Any) -> int:
    if type(v) is str:
        return len(v)
    if type(v) is Arr:
        return len(v.items)
    raise RunError(f"{name} needs a string or a list, not a {type_name(v)}", pos)


def _abs(name: str, pos: int, o: ir.Options, v: Any) -> Any:
    return abs(_num(name, pos, v))


def _sqr(name: str, pos: int, o: ir.Options, v: Any) -> Any:
    x = _num(name, pos, v)
    return x * x


def _sqrt(name: str, pos: int, o: ir.Options, v: Any) -> float:
    x = float(_num(name, pos, v))
    if x < 0:
        raise RunError(f"{name} of a negative number", pos)
    return math.sqrt(x)


def _round(name: str, pos: int, o: ir.Options, v: Any) -> int:
    if type(v) is int:
        return int(v)
    x = _finite(name, pos, v)
    whole = math.floor(abs(x))
    if abs(x) - whole >= 0.5:  # exact: halves away from zero, as C's round()
        whole += 1
    return whole if x >= 0 else -whole


def _trunc(name: str, pos: int, o: ir.Options, v: Any) -> int:
    return int(v) if type(v) is int else math.trunc(_finite(name, pos, v))


def _floor(name: str, pos: int, o: ir.Options, v: Any) -> int:
    return int(v) if type(v) is int else math.floor(_finite(name, pos, v))


def _odd(name: str, pos: int, o: ir.Options, v: Any) -> bool:
    return _whole(name, pos, v) % 2 == 1


def _chr(name: str, pos: int, o: ir.Options, v: Any) -> str:
    n = _whole(name, pos, v)
    if not (0 <= n <= 0x10FFFF) or 0xD800 <= n <= 0xDFFF:
        raise RunError(f"{name}: {n} is not a character code", pos)
    return chr(n)


def _ord(name: str, pos: int, o: ir.Options, v: Any) -> int:
    s = _text(name, pos, v)
    if len(s) != 1:
        raise RunError(f"{name} needs one character, not {len(s)}", pos)
    return ord(s)


def _str(name: str, pos: int, o: ir.Options, v: Any) -> str:
    return to_text(v, o)


def _int(name: str, pos: int, o: ir.Options, v: Any) -> int:
    if type(v) is str:
        if not INT_TEXT.match(v):
            raise RunError(f"{name}: not a whole number: {v}", pos)
        return int(v)
    return _trunc(name, pos, o, v)


def _float(name: str, pos: int, o: ir.Options, v: Any) -> float:
    if type(v) is str:
        if not REAL_TEXT.match(v):
            raise RunError(f"{name}: not a number: {v}", pos)
        return float(v)
    return float(_num(name, pos, v))


def _range(name: str, pos: int, o: ir.Options, *vs: Any) -> Arr:
    ns = [_whole(name, pos, v) for v in vs]
    start, stop, step = (0, ns[0], 1) if len(ns) == 1 else (ns[0], ns[1], ns[2] if len(ns) > 2
                                                              else 1)
    if step == 0:
        raise RunError(f"{name}: the step is zero", pos)
    if abs(stop - start) // abs(step) > 10_000_000:
        raise RunError(f"{name}: too many numbers", pos)
    return Arr(list(range(start, stop, step)), o.index_base, False)


def _append(name: str, pos: int, o: ir.Options, items: Any, item: Any) -> None:
    if type(items) is not Arr or items.fixed:
        raise RunError(f"{name} needs a list, not a {type_name(items)}", pos)
    if items.hash is not None:  # a table: t[#t + 1] = nil stores nothing
        if item is not None:
            items.items.append(item)
            absorb(items)
        return
    items.items.append(copied(item))


def _copy(name: str, pos: int, o: ir.Options, s: Any, start: Any, count: Any) -> str:
    text = _text(name, pos, s)
    begin = max(_whole(name, pos, start) - o.index_base, 0)
    return text[begin:begin + max(_whole(name, pos, count), 0)]


def _mid(name: str, pos: int, o: ir.Options, s: Any, start: Any, count: Any = None) -> str:
    """BASIC's MID$: strings count from 1 whatever the arrays' index base (QBasic fails
    with "Illegal function call" where this fails)."""
    text, begin = _text(name, pos, s), _whole(name, pos, start)
    if begin < 1:
        raise RunError(f"{name}: the start must be 1 or more, not {begin}", pos)
    if count is None:
        return text[begin - 1:]
    n = _whole(name, pos, count)
    if n < 0:
        raise RunError(f"{name}: the length must be 0 or more, not {n}", pos)
    return text[begin - 1:begin - 1 + n]


def _screen_only(name: str, pos: int, o: ir.Options, *values: Any) -> None:
    """COLOR, CLS: a text stream has no colours and no screen to clear, so nothing is
    written (as QBasic writes nothing of them to a file)."""
    return None


def _upper(name: str, pos: int, o: ir.Options, v: Any) -> str:
    return _ascii_case(name, pos, v, str.upper)


def _lower(name: str, pos: int, o: ir.Options, v: Any) -> str:
    return _ascii_case(name, pos, v, str.lower)


def _ascii_case(name: str, pos: int, v: Any, change: Callable[[str], str]) -> str:
    """Letters A-Z change case; others are kept (the same rule in every back end,
    where the Unicode case tables of Python and C differ)."""
    text = _text(name, pos, v)
    return "".join(change(c) if c.isascii() else c for c in text)


def _min(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> Any:
    return b if _num(name, pos, b) < _num(name, pos, a) else a


def _max(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> Any:
    return b if _num(name, pos, b) > _num(name, pos, a) else a


_BLANKS = " \t\n\r\f\v"


def _strip(name: str, pos: int, o: ir.Options, v: Any) -> str:
    return _text(name, pos, v).strip(_BLANKS)


def _starts_with(name: str, pos: int, o: ir.Options, v: Any, prefix: Any) -> bool:
    return _text(name, pos, v).startswith(_text(name, pos, prefix))


def _split(name: str, pos: int, o: ir.Options, v: Any, sep: Any) -> Arr:
    text, separator = _text(name, pos, v), _text(name, pos, sep)
    if not separator:
        raise RunError(f"{name}: the separator is empty", pos)
    return Arr(list(text.split(separator)), o.index_base, False)


def _replace(name: str, pos: int, o: ir.Options, v: Any, old: Any, new: Any) -> str:
    return _text(name, pos, v).replace(_text(name, pos, old), _text(name, pos, new))


def _pop(name: str, pos: int, o: ir.Options, items: Any) -> Any:
    if type(items) is not Arr or items.fixed:
        raise RunError(f"{name} needs a list, not a {type_name(items)}", pos)
    if not items.items:
        raise RunError(f"{name}: the list is empty", pos)
    return items.items.pop()


def _contains(name: str, pos: int, o: ir.Options, items: Any, item: Any) -> bool:
    return bool(arithmetic("in", item, items, pos, o))


def _left(name: str, pos: int, o: ir.Options, s: Any, n: Any) -> str:
    text, count = _text(name, pos, s), _whole(name, pos, n)
    return text[:max(count, 0)]


def _right(name: str, pos: int, o: ir.Options, s: Any, n: Any) -> str:
    text, count = _text(name, pos, s), _whole(name, pos, n)
    return text[len(text) - min(max(count, 0), len(text)):]


MAX_STRING = 100_000_000  # string_of's bound: the same in every back end


def _string_of(name: str, pos: int, o: ir.Options, n: Any, s: Any) -> str:
    count, text = _whole(name, pos, n), _text(name, pos, s)
    if max(count, 0) * len(text) > MAX_STRING:
        raise RunError(f"{name}: the string would be too long", pos)
    return text * max(count, 0)


def _assert(name: str, pos: int, o: ir.Options, cond: Any, *message: Any) -> None:
    if type(cond) is not bool:
        raise RunError(f"{name} needs a boolean, not a {type_name(cond)}", pos)
    if not cond:
        raise RunError("assertion failed" + (": " + to_text(message[0], o) if message else ""),
                       pos)


def _sorted(name: str, pos: int, o: ir.Options, items: Any) -> Arr:
    if type(items) is not Arr:
        raise RunError(f"{name} needs a list, not a {type_name(items)}", pos)
    numbers = bool(items.items) and type(items.items[0]) in (int, float)
    for v in items.items:  # checked before sorting, so every back end fails alike
        if (type(v) in (int, float)) != numbers or (not numbers and type(v) is not str):
            raise RunError(f"{name} needs a list of numbers or of strings, not one holding "
                           f"a {type_name(v)}", pos)
    return Arr(sorted(items.items), o.index_base, False)  # stable, by `<` alone


class Random:
    """``random_between``'s generator: xorshift64* from a fixed seed, so a run is
    reproducible and the C and WebAssembly programs draw the same numbers."""

    MASK = (1 << 64) - 1

    def __init__(self) -> None:
        self.state = 88172645463325252

    def next(self) -> int:
        x = self.state
        x ^= x >> 12
        x ^= (x << 25) & self.MASK
        x ^= x >> 27
        self.state = x
        return (x * 0x2545F4914F6CDD1D) & self.MASK

    def between(self, name: str, pos: int, low: Any, high: Any) -> int:
        a, b = _whole(name, pos, low), _whole(name, pos, high)
        if a > b:
            raise RunError(f"{name}: {a} is above {b}", pos)
        if b - a >= 1 << 63:
            raise RunError(f"{name}: the range is too wide", pos)
        return a + self.next() % (b - a + 1)

    def seed(self, name: str, pos: int, value: Any) -> None:
        """RANDOMIZE: the state from the bits of the number as a double, so an integer
        and the equal real seed alike and every back end computes the same state."""
        bits = struct.unpack("<Q", struct.pack("<d", float(_num(name, pos, value))))[0]
        self.state = (bits ^ 88172645463325252) or 88172645463325252

    def real(self) -> float:
        """A real in [0, 1): the top 53 bits of the next number, exactly."""
        return (self.next() >> 11) * 2.0 ** -53


def random_op(random: Random, op: str, name: str, pos: int, o: ir.Options,
              args: list[Any]) -> Any:
    """``randomize``, ``random_real`` and ``timer``: the operations with state or a
    clock, shared by the interpreter and the WebAssembly host."""
    if op == "randomize":
        random.seed(name, pos, args[0])
        return None
    if op == "random_real":
        return random.real()
    fixed = os.environ.get("CRAFTLS_CLOCK")
    if fixed is not None:  # reproducible runs (tests): the C runtime reads it too
        return _float(name, pos, o, fixed)
    now = time.localtime()  # whole seconds, as the C runtime's time() gives them
    return float(now.tm_hour * 3600 + now.tm_min * 60 + now.tm_sec)


def _print_spaced(name: str, pos: int, o: ir.Options, v: Any) -> str:
    text = to_text(v, o)
    if type(v) not in (int, float):
        return text
    return ("" if text.startswith("-") else " ") + text + " "


# ----- Pascal's ordinals and field widths (Ord, Write(x:W:D)) -----

def _ordinal(name: str, pos: int, o: ir.Options, v: Any) -> int:
    if type(v) is bool:
        return int(v)
    if type(v) is int:
        return v
    if type(v) is not str:
        raise RunError(f"{name} needs an integer, a boolean or one character, not a "
                       f"{type_name(v)}", pos)
    return _ord(name, pos, o, v)


def _pad(name: str, pos: int, o: ir.Options, v: Any, width: Any, *decimals: Any) -> str:
    size = _whole(name, pos, width)
    if not 0 <= size <= MAX_WIDTH:
        raise RunError(f"{name}: a field width must be from 0 to {MAX_WIDTH}, not {size}", pos)
    if decimals:
        places = _whole(name, pos, decimals[0])
        if not 0 <= places <= MAX_DECIMALS:
            raise RunError(f"{name}: decimals must be from 0 to {MAX_DECIMALS}, not {places}",
                           pos)
        try:
            x = float(_num(name, pos, v))
        except OverflowError:  # an integer beyond the reals (only the interpreter has one)
            raise RunError(f"{name}: the number is too large for a real", pos) from None
        text = fixed_text(x, places) if math.isfinite(x) else to_text(x, o)
    elif type(v) is float:
        raise RunError(f"{name}: a real written with a width needs its number of decimals "
                       "(x:width:decimals)", pos)
    else:
        text = to_text(v, o)
    return text.rjust(size)


def _pi(name: str, pos: int, o: ir.Options) -> float:
    return math.pi


_PURE: dict[str, Callable[..., Any]] = {
    "print_spaced": _print_spaced,
    "ordinal": _ordinal, "pad": _pad, "pi": _pi,
    "left": _left, "right": _right, "string_of": _string_of, "assert": _assert,
    "sorted": _sorted,
    "strip": _strip, "starts_with": _starts_with, "split": _split, "replace": _replace,
    "pop": _pop, "contains": _contains,
    "length": _length, "abs": _abs, "sqr": _sqr, "sqrt": _sqrt, "round": _round,
    "trunc": _trunc, "floor": _floor, "odd": _odd, "chr": _chr, "ord": _ord, "str": _str,
    "int": _int, "float": _float, "range": _range, "append": _append, "copy": _copy,
    "mid": _mid, "screen_only": _screen_only,
    "upper": _upper, "lower": _lower, "min": _min, "max": _max,
}
_PURE.update(EXTRA_OPS)  # Lua's bit operators, ^ and library (extra_ops.py)
_PURE.update(BASIC_OPS)  # PRINT USING, STRING * n, SIN, COS (basic_ops.py)
_PURE.update(TABLE_OPS)  # tables.py, patterns.py, text_format.py: Lua's tables and strings
_PURE.update(PATTERN_OPS)
_PURE.update(TEXT_OPS)
