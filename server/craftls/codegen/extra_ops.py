"""Runtime operations added for Lua's operators and library: the integer bit operations,
``float_power`` (Lua's ``^``, always a real), ``floor_divide`` and ``floor_modulo``
(``//`` and ``%`` of reals too), ``truthy`` and ``falsy`` (conditions and ``not``),
``join`` (``table.concat``) and ``number_type`` (``math.type``), for the interpreter and the WebAssembly host
(``builtins`` registers them). Lua's integers are 64-bit and its bit operators wrap; the
interpreter's integers are unbounded, so each result is taken to 64 bits here, as the C
runtime's ``c_extra_ops.EXTRA_OPS`` does, with the same messages."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from . import ir
from .arith import arithmetic
from .errors import RunError
from .values import Arr, to_text, type_name

_MASK = (1 << 64) - 1


def _signed(u: int) -> int:
    """The 64 bits of ``u`` as a signed integer."""
    u &= _MASK
    return u - (1 << 64) if u >> 63 else u


def _ints(name: str, pos: int, *values: Any) -> list[int]:
    if any(type(v) is not int for v in values):
        raise RunError(f"{name} needs integers, not "
                       f"{' and '.join(type_name(v) for v in values)}", pos)
    return [v & _MASK for v in values]


def _bit_and(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> int:
    x, y = _ints(name, pos, a, b)
    return _signed(x & y)


def _bit_or(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> int:
    x, y = _ints(name, pos, a, b)
    return _signed(x | y)


def _bit_xor(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> int:
    x, y = _ints(name, pos, a, b)
    return _signed(x ^ y)


def _bit_not(name: str, pos: int, o: ir.Options, a: Any) -> int:
    return _signed(~_ints(name, pos, a)[0])


def _shift(x: int, by: int) -> int:
    """``x`` (64 bits) moved ``by`` places left, right when negative: Lua's logical shift."""
    if by <= -64 or by >= 64:
        return 0
    return _signed(x << by if by >= 0 else x >> -by)


def _shift_left(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> int:
    _ints(name, pos, a, b)
    return _shift(a & _MASK, b)


def _shift_right(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> int:
    _ints(name, pos, a, b)
    return _shift(a & _MASK, -b)


def _real(v: Any) -> Any:
    return float(v) if type(v) is int else v


def _float_power(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> Any:
    try:
        return arithmetic("pow", _real(a), _real(b), pos, o)
    except OverflowError:  # an integer beyond the reals (only the interpreter has one)
        raise RunError("the power is too large", pos) from None


def _floor_args(name: str, pos: int, a: Any, b: Any) -> tuple[Any, Any]:
    if type(a) not in (int, float) or type(b) not in (int, float):
        raise RunError(f"{name} needs numbers, not {type_name(a)} and {type_name(b)}", pos)
    if b == 0:
        raise RunError("division by zero", pos)
    return a, b


def _floor_divide(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> Any:
    a, b = _floor_args(name, pos, a, b)
    if type(a) is int and type(b) is int:
        return a // b
    return float(math.floor(a / b))


def _floor_modulo(name: str, pos: int, o: ir.Options, a: Any, b: Any) -> Any:
    a, b = _floor_args(name, pos, a, b)
    if type(a) is int and type(b) is int:
        return a % b
    m = math.fmod(a, b)  # then towards b's sign, as C Lua does
    return m + b if (m > 0 and b < 0) or (m < 0 and b > 0) else m


def _truthy(name: str, pos: int, o: ir.Options, v: Any) -> bool:
    return v is not None and v is not False


def _falsy(name: str, pos: int, o: ir.Options, v: Any) -> bool:
    return v is None or v is False


def _plain_text(name: str, pos: int, o: ir.Options, v: Any) -> str:
    text = to_text(v, o)
    return text[:-2] if type(v) is float and o.real_digits and text.endswith(".0") \
        and "e" not in text else text


def _joinable(name: str, pos: int, o: ir.Options, v: Any, what: str) -> str:
    if type(v) not in (str, int, float):
        raise RunError(f"{name}: {what} is a {type_name(v)}, not a string or a number", pos)
    return to_text(v, o)


def _join(name: str, pos: int, o: ir.Options, items: Any, *separator: Any) -> str:
    if type(items) is not Arr:
        raise RunError(f"{name} needs a list, not a {type_name(items)}", pos)
    sep = _joinable(name, pos, o, separator[0], "the separator") if separator else ""
    return sep.join(_joinable(name, pos, o, v, f"the element at {k + items.low}")
                    for k, v in enumerate(items.items))


def _number_type(name: str, pos: int, o: ir.Options, v: Any) -> Any:
    return "integer" if type(v) is int else "float" if type(v) is float else None


EXTRA_OPS: dict[str, Callable[..., Any]] = {
    "bit_and": _bit_and, "bit_or": _bit_or, "bit_xor": _bit_xor, "bit_not": _bit_not,
    "shift_left": _shift_left, "shift_right": _shift_right, "float_power": _float_power,
    "join": _join, "number_type": _number_type, "floor_divide": _floor_divide,
    "floor_modulo": _floor_modulo, "truthy": _truthy, "falsy": _falsy,
    "plain_text": _plain_text,
}
