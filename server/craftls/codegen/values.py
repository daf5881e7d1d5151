"""Runtime values of the reference interpreter and how they are written as text.

Integers are Python ints (unbounded), reals are floats (IEEE doubles, written as
their shortest round-trip form, as Python's ``repr``), strings are ``str`` (code
points). Arrays and lists are ``Arr``: fixed arrays (declared with bounds) are values,
copied on assignment and when passed by value; lists are shared references. Records
are ``Rec`` values. The C runtime (``c_runtime.py``) writes every value the same way,
byte for byte."""

from __future__ import annotations

import math
from typing import Any

from .ir import Options


class Unset:
    """The value of a variable that was never given one."""

    __slots__ = ()


UNSET = Unset()


class Arr:
    """An array, a list, or (with ``hash``) a table: a list whose elements are its array
    part and whose other keys live in ``hash`` (``codegen/tables.py``)."""

    __slots__ = ("items", "low", "fixed", "hash", "meta", "is_meta")

    def __init__(self, items: list[Any], low: int, fixed: bool,
                 hash: dict[Any, Any] | None = None) -> None:
        self.items = items
        self.low = low
        self.fixed = fixed
        self.hash = hash
        self.meta: Arr | None = None  # a table's metatable (setmetatable, tables.py)
        self.is_meta = False  # some table's metatable: its metamethods are checked


class FnVal:
    """A function as a value (Lua's ``function (a, b) ... end``): the key of the
    routine in ``Program.functions`` and its name for tracebacks."""

    __slots__ = ("key", "name", "env")

    def __init__(self, key: str, name: str, env: Any = None) -> None:
        self.key = key
        self.name = name
        self.env = env  # a closure's table of cells (ir.Closure), passed first


class Packed:
    """Several results of one call (ir.Pack): never stored, only taken apart."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def first(value: Any) -> Any:
    """The first value of a pack (null when it is empty); any other value itself."""
    if type(value) is Packed:
        return value.items[0] if value.items else None
    return value


class Rec:
    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields


class Ref:
    """A location a VAR parameter stands for: ``container[key]``."""

    __slots__ = ("container", "key")

    def __init__(self, container: Any, key: Any) -> None:
        self.container = container
        self.key = key

    def get(self) -> Any:
        return self.container[self.key]

    def set(self, value: Any) -> None:
        self.container[self.key] = value


def copied(value: Any) -> Any:
    """A value-semantics copy of fixed arrays and records (lists stay shared)."""
    if isinstance(value, Arr) and value.fixed:
        return Arr([copied(v) for v in value.items], value.low, True)
    if isinstance(value, Rec):
        return Rec({k: copied(v) for k, v in value.fields.items()})
    return value


def real_text(value: float, digits: int = 0) -> str:
    """The shortest text that reads back as ``value`` (Python's repr); with ``digits``,
    C's ``%.<digits>g`` and ".0" after a whole number, as Lua writes a float."""
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if digits:
        text = f"{value:.{digits}g}"
        return text if any(c in text for c in ".en") else text + ".0"
    return repr(value)


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, Arr):
        return "array" if value.fixed else "list" if value.hash is None else "table"
    if isinstance(value, Rec):
        return "record"
    if isinstance(value, FnVal):
        return "function"
    return "no value"


def to_text(value: Any, options: Options, nested: bool = False) -> str:
    if value is True:
        return options.true_text
    if value is False:
        return options.false_text
    if value is None:
        return options.null_text
    t = type(value)
    if t is int:
        return str(value)
    if t is float:
        return real_text(value, options.real_digits)
    if t is str:
        text: str = value
        return '"' + text + '"' if nested else text
    if t is Arr:
        return "[" + ", ".join(to_text(v, options, True) for v in value.items) + "]"
    if t is Rec:
        return "(" + ", ".join(to_text(v, options, True) for v in value.fields.values()) + ")"
    if t is FnVal:
        return "function"
    return "?"


# ----- decimals (Pascal's Write(x:W:D), QBasic's PRINT USING) -----

MAX_WIDTH = 100_000_000  # a field width's bound: the same in every back end
MAX_DECIMALS = 100


def fixed_text(x: float, places: int) -> str:
    """A finite real with ``places`` decimals as Pascal writes it (Free Pascal's
    ``x:0:places``): the number is taken to 15 significant digits (more when the field
    asks for more), then rounded half away from zero at the last decimal, so 1.005:0:2
    is 1.01 and -2.5:0:0 is -3. The C runtime's rt_fixed is the same algorithm."""
    digits, exp = _significant(abs(x), 15)
    needed = exp + 1 + places
    if needed > 15:
        digits, exp = _significant(abs(x), needed)
        needed = exp + 1 + places
    kept = [int(c) for c in digits[:max(needed, 0)]]
    if 0 <= needed < len(digits) and digits[needed] >= "5":  # carry up through the nines
        k = len(kept) - 1
        while k >= 0 and kept[k] == 9:
            kept[k] = 0
            k -= 1
        if k >= 0:
            kept[k] += 1
        else:
            kept.insert(0, 1)
            exp += 1
    units = exp + 1  # digits before the point
    body = "".join(map(str, kept)).ljust(units + places, "0")
    if units <= 0:
        body = "0" * (1 - units) + body
        units = 1
    text = body[:units] + ("." + body[units:units + places] if places else "")
    return ("-" if math.copysign(1.0, x) < 0 else "") + text


def _significant(x: float, count: int) -> tuple[str, int]:
    """The first ``count`` significant digits of ``x`` (correctly rounded, as printf's
    %e) and its decimal exponent."""
    mantissa, _, exponent = f"{x:.{count - 1}e}".partition("e")
    return mantissa.replace(".", ""), int(exponent)
