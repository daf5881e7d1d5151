"""The operators' meaning on runtime values, shared by the interpreter and the runtime
library (``builtins.py``): equality, arithmetic with each language's division rules,
concatenation and membership."""

from __future__ import annotations

from typing import Any

from . import ir
from .errors import RunError
from .values import Arr, Rec, copied, to_text, type_name


def equal(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta in (int, float) and tb in (int, float):
        return bool(a == b)
    if ta is not tb:
        return False
    if ta is Arr and (a.hash is not None or b.hash is not None):
        return a is b  # tables are equal only to themselves (Lua's)
    if ta is Arr:
        return len(a.items) == len(b.items) and all(
            equal(x, y) for x, y in zip(a.items, b.items, strict=True))
    if ta is Rec:
        return a.fields.keys() == b.fields.keys() and all(
            equal(a.fields[k], b.fields[k]) for k in a.fields)
    return bool(a == b)


def arithmetic(op: str, a: Any, b: Any, pos: int, o: ir.Options) -> Any:
    ta, tb = type(a), type(b)
    nums = (int, float)
    if op == "add":
        if ta is str and tb is str:
            return a + b
        if ta is Arr and tb is Arr and not a.fixed and not b.fixed:
            return Arr([copied(v) for v in a.items + b.items], a.low, False)
    if op == "concat":
        return to_text(a, o) + to_text(b, o)
    if op == "in":
        if tb is str and ta is str:
            return a in b
        if tb is Arr:
            return any(equal(a, v) for v in b.items)
        raise RunError(f"cannot look for a value in a {type_name(b)}", pos)
    if ta not in nums or tb not in nums:
        raise RunError(f"{_OP_WORDS.get(op, op)} needs numbers, not {type_name(a)} and "
                       f"{type_name(b)}", pos)
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op in ("fdiv", "cdiv"):
        if b == 0:
            raise RunError("division by zero", pos)
        if op == "cdiv" and ta is int and tb is int:
            return _trunc_div(a, b)
        return a / b
    if op in ("idiv", "mod"):
        if ta is not int or tb is not int:
            raise RunError(f"{_OP_WORDS[op]} needs integers, not {type_name(a)} and "
                           f"{type_name(b)}", pos)
        if b == 0:
            raise RunError("division by zero", pos)
        q = a // b if o.floor_division else _trunc_div(a, b)
        return q if op == "idiv" else a - q * b
    if op == "pow":
        if ta is int and tb is int and b >= 0:
            if abs(a) > 1 and b > 100_000:
                raise RunError("the power is too large", pos)
            return a ** b
        if a == 0 and b < 0:
            raise RunError("division by zero", pos)
        try:
            result = float(a) ** float(b)
        except OverflowError:
            raise RunError("the power is too large", pos) from None
        if isinstance(result, complex):
            raise RunError("a negative number to a fractional power", pos)
        return result
    raise RunError(f"unknown operator {op}", pos)


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


_OP_WORDS = {"add": "+", "sub": "-", "mul": "*", "fdiv": "/", "cdiv": "/", "idiv": "integer "
             "division", "mod": "the remainder", "pow": "the power", "neg": "-"}
