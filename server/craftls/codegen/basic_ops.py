"""Runtime operations for QBasic's output and numbers: ``print_using`` (PRINT USING's
format strings), ``tab`` (TAB(n): the spaces to a column, from the output's column),
``fixed_length`` (a value stored into a STRING * n: padded with spaces or cut), ``sin`` and
``cos``, for the interpreter and the WebAssembly host (``builtins`` registers the pure
ones, as it does ``extra_ops``); the C runtime's ``c_basic_ops.BASIC_OPS`` does the same steps with the same
messages.

PRINT USING is written here, not taken from a library: no Python library formats QBasic's
field syntax, and the C runtime must follow the same steps byte for byte."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from . import ir
from .errors import RunError
from .values import MAX_DECIMALS, MAX_WIDTH, fixed_text, type_name


class ColumnOut:
    """An output stream that knows its column: the characters written since the last
    line break (what TAB counts from)."""

    __slots__ = ("stream", "column")

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.column = 0

    def write(self, text: str) -> int:
        if text:
            cut = text.rfind("\n")
            self.column = len(text) - cut - 1 if cut >= 0 else self.column + len(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def tab_text(name: str, pos: int, column: int, n: Any) -> str:
    """TAB(n): spaces up to column n (1 is the first); past it, a line break first, as
    QBasic does. A column below 1 is 1."""
    want: int = _need(name, pos, n, (int,), "an integer")
    if want > MAX_WIDTH:
        raise RunError(f"{name}: the column must be at most {MAX_WIDTH}, not {want}", pos)
    want = max(want, 1)
    here = column + 1
    if here <= want:
        return " " * (want - here)
    return "\n" + " " * (want - 1)


def zone_text(column: int, width: int) -> str:
    """PRINT's ``,``: spaces up to the start of the next zone of ``width`` columns (QBasic's
    zones of 14 start at columns 1, 15, 29 ...; a stream has no line width to wrap at)."""
    return " " * (width - column % width)


def _need(name: str, pos: int, v: Any, kinds: tuple[type, ...], what: str) -> Any:
    """``v`` when it is of one of ``kinds``, else the runtime error the other operations
    give (``builtins._num`` and its siblings)."""
    if type(v) not in kinds:
        raise RunError(f"{name} needs {what}, not a {type_name(v)}", pos)
    return v


def _fixed_length(name: str, pos: int, o: ir.Options, v: Any, width: Any) -> str:
    """A value stored into a STRING * width: cut, or padded with spaces, to width."""
    text: str = _need(name, pos, v, (str,), "a string")
    return text[:width].ljust(width)


def _sin(name: str, pos: int, o: ir.Options, v: Any) -> float:
    return math.sin(_real_arg(name, pos, v))


def _cos(name: str, pos: int, o: ir.Options, v: Any) -> float:
    return math.cos(_real_arg(name, pos, v))


def _real_arg(name: str, pos: int, v: Any) -> float:
    try:
        x = float(_need(name, pos, v, (int, float), "a number"))
    except OverflowError:  # an integer beyond the reals (only the interpreter has one)
        raise RunError(f"{name}: the number is too large for a real", pos) from None
    if math.isinf(x):
        raise RunError(f"{name} needs a finite number", pos)
    return x


# ----- PRINT USING -----

@dataclass(frozen=True)
class _Field:
    kind: str  # number | first (!) | fixed (\  \) | whole (&)
    width: int = 0  # fixed: the characters; number: positions before the point
    decimals: int = -1  # number: digits after the point; -1: no point
    commas: bool = False
    dollar: bool = False
    text: str = ""  # as written, for messages


def _is_number_start(fmt: str, i: int) -> bool:
    return fmt[i] == "#" or fmt.startswith("$$", i) or (
        fmt[i] == "." and i + 1 < len(fmt) and fmt[i + 1] == "#")


def parse_format(name: str, pos: int, fmt: str) -> list[str | _Field]:
    """The format's literal texts and fields, in order. The fields QBasic has and the
    runtime does not (``**`` fill, ``^^^^`` exponents, ``+`` and trailing ``-`` signs)
    are runtime errors, never written some other way."""
    items: list[str | _Field] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "_":
            items.append(fmt[i + 1] if i + 1 < n else "_")
            i += 2
        elif c == "!":
            items.append(_Field("first", 1, text="!"))
            i += 1
        elif c == "&":
            items.append(_Field("whole", text="&"))
            i += 1
        elif c == "\\" and fmt.find("\\", i + 1) > i and not fmt[i + 1:fmt.find(
                "\\", i + 1)].strip(" "):
            end = fmt.find("\\", i + 1)
            items.append(_Field("fixed", end - i + 1, text=fmt[i:end + 1]))
            i = end + 1
        elif c == "*" and fmt.startswith("**", i):
            raise RunError(f"{name}: the format's ** (asterisk fill) is not supported by "
                           "craftls run/build", pos)
        elif c == "+" and i + 1 < n and _is_number_start(fmt, i + 1):
            raise RunError(f"{name}: the format's + (a sign before a field) is not supported "
                           "by craftls run/build", pos)
        elif _is_number_start(fmt, i):
            field, i = _number_field(name, pos, fmt, i)
            items.append(field)
        else:
            items.append(c)
            i += 1
    if not any(isinstance(item, _Field) for item in items):
        raise RunError(f"{name}: the format has no field (#, !, \\ \\ or &)", pos)
    return items


def _number_field(name: str, pos: int, fmt: str, i: int) -> tuple[_Field, int]:
    start, n = i, len(fmt)
    dollar = fmt.startswith("$$", i)
    i += 2 * dollar
    digits, commas = 0, False
    while i < n and (fmt[i] == "#" or (fmt[i] == "," and i + 1 < n and fmt[i + 1] in "#,.")):
        commas = commas or fmt[i] == ","
        digits += 1
        i += 1
    decimals = -1
    if i < n and fmt[i] == ".":
        i += 1
        decimals = 0
        while i < n and fmt[i] == "#":
            decimals += 1
            i += 1
    text = fmt[start:i]
    if fmt.startswith("^^^^", i):
        raise RunError(f"{name}: the format's ^^^^ (an exponent) is not supported by craftls "
                       "run/build", pos)
    if i < n and fmt[i] in "+-":
        raise RunError(f"{name}: the format's {fmt[i]} after a field (a trailing sign) is not "
                       "supported by craftls run/build", pos)
    if decimals > MAX_DECIMALS:
        raise RunError(f"{name}: a field may have at most {MAX_DECIMALS} decimals", pos)
    return _Field("number", digits + 2 * dollar, decimals, commas, dollar, text), i


def format_number(name: str, pos: int, field: _Field, v: Any) -> str:
    """A number in a numeric field: rounded to the field's decimals (as ``pad`` rounds),
    right-aligned in the positions before the point, ``-`` and ``$`` before the digits,
    commas between thousands; ``%`` before a number the field cannot hold."""
    if type(v) not in (int, float):
        raise RunError(f"{name}: the field {field.text} needs a number, not a "
                       f"{type_name(v)}", pos)
    places = max(field.decimals, 0)
    if type(v) is int:
        digits = str(abs(v)) + ("." + "0" * places if places else "")
    else:
        if not math.isfinite(v):
            raise RunError(f"{name}: the field {field.text} needs a finite number", pos)
        digits = fixed_text(abs(v), places)
    whole, _, fraction = digits.partition(".")
    if field.commas:
        whole = _thousands(whole)
    sign = "-" if v < 0 else ""
    dollar = "$" if field.dollar else ""
    if whole == "0" and field.width - 2 * field.dollar == 0:
        whole = ""  # no digit position before the point: .50
    body = sign + dollar + whole
    if len(body) > field.width and whole == "0":
        body = sign + dollar  # no room for the 0 before the point: -.50
    body = "%" + body if len(body) > field.width else body.rjust(field.width)
    return body + ("." + fraction if field.decimals >= 0 else "")


def _thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[k:k + 3] for k in range(head, len(digits), 3)])


def format_text(name: str, pos: int, field: _Field, v: Any) -> str:
    if type(v) is not str:
        raise RunError(f"{name}: the field {field.text} needs a string, not a "
                       f"{type_name(v)}", pos)
    if field.kind == "whole":
        return v
    return v[:field.width].ljust(field.width)


def _print_using(name: str, pos: int, o: ir.Options, fmt: Any, *values: Any) -> str:
    """PRINT USING fmt; values: each value in the next field, the format started again
    when its fields run out; the literal text after the last value's field is written,
    up to the next field."""
    items = parse_format(name, pos, _need(name, pos, fmt, (str,), "a string"))
    out: list[str] = []
    p = 0
    for v in values:
        while True:
            if p == len(items):
                p = 0
            item = items[p]
            p += 1
            if isinstance(item, str):
                out.append(item)
                continue
            out.append(format_number(name, pos, item, v) if item.kind == "number"
                       else format_text(name, pos, item, v))
            break
    while p < len(items) and isinstance(items[p], str):
        out.append(str(items[p]))
        p += 1
    return "".join(out)


BASIC_OPS: dict[str, Callable[..., Any]] = {"print_using": _print_using, "fixed_length": _fixed_length, "sin": _sin,
             "cos": _cos}
