"""``string.format`` and ``string.rep`` (Lua's), for the interpreter and the WebAssembly
host; the C runtime's ``op_format`` (``c_text_ops.py``) follows the same rules.

A directive is ``%[flags][width][.precision]conversion`` with the flags ``-+ #0``, a
width and a precision of at most two digits each (as Lua checks). ``d i`` take an
integer (a real with an integer value too), ``x X o`` write its 64 bits unsigned, ``c``
the character of a code point, ``e E f F g G`` a number as C's printf writes it, ``s``
any value as ``tostring`` writes it (width and precision count characters, where Lua
counts bytes), ``%%`` a percent sign. ``%q``, ``%a`` and anything else is a runtime
error naming it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from . import ir
from .errors import RunError
from .values import to_text, type_name

DIRECTIVE = re.compile(r"%([-+ #0]*)(\d{0,2})(?:\.(\d{0,2}))?([a-zA-Z%]?)")
_MASK = (1 << 64) - 1
MAX_TEXT = 100_000_000


def _bad(name: str, pos: int, k: int, what: str) -> RunError:
    return RunError(f"{name}: bad argument #{k} ({what})", pos)


def _integer(name: str, pos: int, k: int, v: Any) -> int:
    if type(v) is float and v.is_integer():
        return int(v)
    if type(v) is float:
        raise _bad(name, pos, k, "number has no integer representation")
    if type(v) is not int:
        raise _bad(name, pos, k, f"number expected, got {type_name(v)}")
    return int(v)


def _one(name: str, pos: int, o: ir.Options, k: int, spec: re.Match[str], v: Any) -> str:
    flags, width, precision, conv = spec.groups()
    signed = "+" in flags or " " in flags
    if conv in "sc" and "0" in flags or conv in "scxXo" and signed \
            or "#" in flags and conv not in "xXeEfFgG":
        raise RunError(f"{name}: invalid conversion '{spec.group(0)}' to 'format'", pos)
    head = "%" + flags + width + ("." + precision if precision is not None else "")
    if conv in "dixXo":
        return _whole(name, pos, k, v, spec)
    if conv == "c":
        code = _integer(name, pos, k, v)
        if not 0 <= code <= 0x10FFFF:
            raise _bad(name, pos, k, "value out of range")
        return (head + "s") % chr(code)
    if conv in "eEfFgG":
        if type(v) not in (int, float) or type(v) is bool:
            raise _bad(name, pos, k, f"number expected, got {type_name(v)}")
        x = float(v)
        if math.isinf(x) or math.isnan(x):  # one text in every target (printf's vary)
            return _special(x, flags, width, conv)
        return (head + conv) % x
    return (head + "s") % to_text(v, o)


def _whole(name: str, pos: int, k: int, v: Any, spec: re.Match[str]) -> str:
    """``%d %i %x %X %o`` as C writes them (``x X o`` the 64 bits unsigned)."""
    flags, width, precision, conv = spec.groups()
    value = _integer(name, pos, k, v)
    if conv in "xXo":
        value &= _MASK
    if value == 0 and precision is not None and precision in ("", "0"):
        return _no_digits(flags, width, conv)
    # C writes 0 without the 0x that Python's # puts before it, and ignores the 0 flag
    # when a precision is given
    shown = flags.replace("#", "") if value == 0 else flags
    if precision is not None:
        head = "%" + shown.replace("0", "") + width + "." + precision
    else:
        head = "%" + shown + width
    return (head + ("d" if conv == "i" else conv)) % value


def _no_digits(flags: str, width: str, conv: str) -> str:
    """C's zero with a precision of 0: no digits (a sign by the flags for d and i, a 0
    for #o), padded with spaces (the 0 flag is ignored with a precision)."""
    text = ("+" if "+" in flags else " " if " " in flags else "") if conv in "di" else \
        "0" if conv == "o" and "#" in flags else ""
    size = int(width or 0)
    return text.ljust(size) if "-" in flags else text.rjust(size)


def _special(x: float, flags: str, width: str, conv: str) -> str:
    """An infinity or NaN: its sign (``+`` or space by the flags; none for NaN), the
    word in the conversion's case, padded with spaces to the width."""
    sign = "-" if x < 0 else "+" if "+" in flags else " " if " " in flags else ""
    text = ("" if math.isnan(x) else sign) + ("nan" if math.isnan(x) else "inf")
    text = text if conv.islower() else text.upper()
    size = int(width or 0)
    return text.ljust(size) if "-" in flags else text.rjust(size)


def _format(name: str, pos: int, o: ir.Options, fmt: Any, *args: Any) -> str:
    if type(fmt) is not str:
        raise RunError(f"{name} needs a string, not a {type_name(fmt)}", pos)
    out: list[str] = []
    k = 0
    used = 0
    while k < len(fmt):
        at = fmt.find("%", k)
        if at < 0:
            out.append(fmt[k:])
            break
        out.append(fmt[k:at])
        spec = DIRECTIVE.match(fmt, at)
        assert spec is not None
        conv = spec.group(4)
        if conv == "%" and spec.end() == at + 2:
            out.append("%")
        elif conv == "" or conv not in "diuxXocseEfFgG" or conv == "u":
            raise RunError(f"{name}: invalid conversion '{spec.group(0)}' to 'format'"
                           + (" (craftls)" if conv and conv in "qaA" else ""), pos)
        else:
            used += 1
            if used > len(args):
                raise _bad(name, pos, used + 1, "no value")
            out.append(_one(name, pos, o, used + 1, spec, args[used - 1]))
            if sum(len(p) for p in out) > MAX_TEXT:
                raise RunError(f"{name}: the result is too long", pos)
        k = spec.end()
    return "".join(out)


def _rep(name: str, pos: int, o: ir.Options, s: Any, n: Any, *sep: Any) -> str:
    text = to_text(s, o) if type(s) in (int, float) else s
    if type(text) is not str:
        raise RunError(f"{name} needs a string, not a {type_name(s)}", pos)
    count = _integer(name, pos, 2, n)
    between = sep[0] if sep and sep[0] is not None else ""
    if type(between) in (int, float):
        between = to_text(between, o)
    if type(between) is not str:
        raise RunError(f"{name} needs a string separator, not a {type_name(between)}", pos)
    if count <= 0 or not text and not between:
        return ""
    if count * len(text) + (count - 1) * len(between) > MAX_TEXT:
        raise RunError(f"{name}: the result is too long (more than {MAX_TEXT:,} "
                       "characters)", pos)
    return between.join([text] * count)


TEXT_OPS: dict[str, Callable[..., Any]] = {"format": _format, "rep": _rep}
