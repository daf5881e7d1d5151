"""Lua's string patterns, the subset craftls runs: ``gsub``, ``gmatch`` and ``match``.

Written here rather than taken from a library: Python's ``re`` has other classes, other
escapes and another backtracking order, and the C runtime (``c_patterns.py``) must do
exactly the same steps, so both follow this one small matcher.

The subset: single characters (``.``, a plain character, ``%x`` for a non-alphanumeric
``x``), the classes ``%a %c %d %g %l %p %s %u %w %x`` (ASCII, as C's ``isalpha`` ...
in the C locale) and their complements in upper case, sets ``[...]`` (ranges, classes,
``^`` for the complement), the quantifiers ``* + - ?``, ``^`` at the start (an anchor
in ``gsub`` and ``match``; a plain character in ``gmatch``, as in Lua 5.4) and ``$`` at
the end. Captures, ``%b``, ``%f`` and back references are a runtime error naming them,
never a match of something else. A pattern is checked whole before it is used, so a
malformed one fails even where Lua would not have reached the fault. Strings are code
points: ``.`` matches one character where Lua matches one byte."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import ir
from .errors import RunError
from .tables import new_table
from .values import to_text, type_name

_CLASSES = "acdglpsuwx"
# ASCII punctuation, as C's ispunct
_PUNCT = frozenset(range(33, 48)) | frozenset(range(58, 65)) | frozenset(range(91, 97)) \
    | frozenset(range(123, 127))


def class_holds(letter: str, c: int) -> bool:
    """Whether code point ``c`` is in the class ``%letter`` (lower case)."""
    alpha = 65 <= c <= 90 or 97 <= c <= 122
    digit = 48 <= c <= 57
    if letter == "a":
        return alpha
    if letter == "d":
        return digit
    if letter == "l":
        return 97 <= c <= 122
    if letter == "u":
        return 65 <= c <= 90
    if letter == "s":
        return 9 <= c <= 13 or c == 32
    if letter == "w":
        return alpha or digit
    if letter == "x":
        return digit or 65 <= c <= 70 or 97 <= c <= 102
    if letter == "p":
        return c in _PUNCT
    if letter == "c":
        return c < 32 or c == 127
    return 33 <= c <= 126  # g


@dataclass(frozen=True)
class Single:
    """One character's test: ``kind`` is any, char (``c``), class (``c`` its letter,
    ``negate`` for upper case) or set (``members``: (low, high) ranges and class
    letters, as strings)."""

    kind: str
    c: int = 0
    negate: bool = False
    members: tuple[tuple[int, int] | str, ...] = ()

    def holds(self, c: int) -> bool:
        if self.kind == "any":
            return True
        if self.kind == "char":
            return c == self.c
        if self.kind == "class":
            return class_holds(chr(self.c).lower(), c) != self.negate
        found = False
        for m in self.members:
            if isinstance(m, str):
                found = class_holds(m.lower(), c) != m.isupper()
            else:
                found = m[0] <= c <= m[1]
            if found:
                break
        return found != self.negate


@dataclass(frozen=True)
class Pattern:
    items: tuple[tuple[Single, str], ...]  # each test and its quantifier ("" for one)
    anchored: bool
    at_end: bool


def _unsupported(name: str, pos: int, what: str) -> RunError:
    return RunError(f"{name}: {what} in a pattern is not supported by craftls (captures, "
                    "%b, %f and back references are not)", pos)


def _escape(name: str, pos: int, p: str, k: int) -> tuple[Single, int]:
    """The test of ``%x`` at ``p[k]`` (the ``%``) and the index after it."""
    if k + 1 >= len(p):
        raise RunError(f"{name}: malformed pattern (ends with '%')", pos)
    x = p[k + 1]
    if x in "bf":
        raise _unsupported(name, pos, f"'%{x}'")
    if x.isdigit() and x.isascii():
        raise _unsupported(name, pos, f"the back reference '%{x}'")
    if x.lower() in _CLASSES and x.isascii():
        return Single("class", ord(x), x.isupper()), k + 2
    return Single("char", ord(x)), k + 2


def _set(name: str, pos: int, p: str, k: int) -> tuple[Single, int]:
    """The set ``[...]`` that starts at ``p[k]`` and the index after it."""
    k += 1
    negate = k < len(p) and p[k] == "^"
    k += negate
    members: list[tuple[int, int] | str] = []
    first = True
    while True:
        if k >= len(p):
            raise RunError(f"{name}: malformed pattern (missing ']')", pos)
        c = p[k]
        if c == "]" and not first:
            return Single("set", negate=negate, members=tuple(members)), k + 1
        first = False
        if c == "%":
            if k + 1 >= len(p):
                raise RunError(f"{name}: malformed pattern (missing ']')", pos)
            x = p[k + 1]
            members.append(x if x.lower() in _CLASSES and x.isascii() else (ord(x), ord(x)))
            k += 2
        elif k + 2 < len(p) and p[k + 1] == "-" and p[k + 2] != "]":
            members.append((ord(c), ord(p[k + 2])))
            k += 3
        else:
            members.append((ord(c), ord(c)))
            k += 1


def compile_pattern(name: str, pos: int, p: Any, anchors: bool = True) -> Pattern:
    if type(p) is not str:
        raise RunError(f"{name} needs a string pattern, not a {type_name(p)}", pos)
    anchored = anchors and p.startswith("^")
    k = 1 if anchored else 0
    items: list[tuple[Single, str]] = []
    at_end = False
    while k < len(p):
        c = p[k]
        if c == "$" and k == len(p) - 1:
            at_end = True
            break
        if c in "()":
            raise _unsupported(name, pos, "a capture")
        if c == "%":
            single, k = _escape(name, pos, p, k)
        elif c == "[":
            single, k = _set(name, pos, p, k)
        else:
            single, k = (Single("any") if c == "." else Single("char", ord(c))), k + 1
        quant = p[k] if k < len(p) and p[k] in "*+-?" else ""
        k += bool(quant)
        items.append((single, quant))
    return Pattern(tuple(items), anchored, at_end)


def match_at(pat: Pattern, s: str, si: int, ii: int = 0) -> int:
    """The end of a match of ``pat.items[ii:]`` starting at ``s[si]``, or -1 (Lua's
    backtracking: ``*`` and ``+`` longest first, ``-`` shortest first)."""
    n, items = len(s), pat.items
    while ii < len(items):
        single, quant = items[ii]
        if quant == "":
            if si < n and single.holds(ord(s[si])):
                si, ii = si + 1, ii + 1
                continue
            return -1
        if quant != "?":
            return _repeat(pat, s, si, ii)
        if si < n and single.holds(ord(s[si])):
            end = match_at(pat, s, si + 1, ii + 1)
            if end >= 0:
                return end
        ii += 1
    return -1 if pat.at_end and si != n else si


def _repeat(pat: Pattern, s: str, si: int, ii: int) -> int:
    """The match of the item ``ii`` quantified by ``*``, ``+`` or ``-``, and the rest."""
    single, quant = pat.items[ii]
    n = len(s)
    if quant == "-":
        while True:
            end = match_at(pat, s, si, ii + 1)
            if end >= 0:
                return end
            if si < n and single.holds(ord(s[si])):
                si += 1
            else:
                return -1
    count = 0
    while si + count < n and single.holds(ord(s[si + count])):
        count += 1
    while count >= (1 if quant == "+" else 0):
        end = match_at(pat, s, si + count, ii + 1)
        if end >= 0:
            return end
        count -= 1
    return -1


def _subject(name: str, pos: int, o: ir.Options, s: Any) -> str:
    if type(s) in (int, float):  # Lua's string functions take numbers as their text
        return to_text(s, o)
    if type(s) is not str:
        raise RunError(f"{name} needs a string, not a {type_name(s)}", pos)
    return str(s)


def _expand(name: str, pos: int, repl: str, whole: str) -> str:
    out: list[str] = []
    k = 0
    while k < len(repl):
        c = repl[k]
        if c != "%":
            out.append(c)
            k += 1
            continue
        x = repl[k + 1] if k + 1 < len(repl) else ""
        if x in ("0", "1"):  # no captures: %1 is the whole match, as in Lua
            out.append(whole)
        elif x == "%":
            out.append("%")
        elif x.isdigit() and x.isascii():
            raise RunError(f"{name}: invalid capture index %{x} in replacement string", pos)
        else:
            raise RunError(f"{name}: invalid use of '%' in replacement string", pos)
        k += 2
    return "".join(out)


def gsub_both(name: str, pos: int, o: ir.Options, s: Any, p: Any, repl: Any,
              *limit: Any) -> tuple[str, int]:
    """Lua's ``string.gsub`` with a string replacement: the new string and the count."""
    text = _subject(name, pos, o, s)
    pat = compile_pattern(name, pos, p)
    if type(repl) in (int, float):
        repl = to_text(repl, o)
    if type(repl) is not str:
        raise RunError(f"{name}: a replacement that is a {type_name(repl)} is not supported "
                       "by craftls (a string or a number is)", pos)
    most = limit[0] if limit and limit[0] is not None else len(text) + 1
    if type(most) is not int:
        raise RunError(f"{name}: the number of replacements must be an integer, not a "
                       f"{type_name(most)}", pos)
    out: list[str] = []
    src, last, count = 0, -1, 0
    while count < most:
        end = match_at(pat, text, src)
        if end >= 0 and end != last:
            count += 1
            out.append(_expand(name, pos, repl, text[src:end]))
            src = last = end
        elif src < len(text):
            out.append(text[src])
            src += 1
        else:
            break
        if pat.anchored:
            break
    out.append(text[src:])
    return "".join(out), count


def _gsub(name: str, pos: int, o: ir.Options, *args: Any) -> str:
    return gsub_both(name, pos, o, *args)[0]


def gmatch_all(name: str, pos: int, o: ir.Options, s: Any, p: Any) -> list[str]:
    """Every match ``string.gmatch`` gives, in order (Lua 5.4's steps: a match that is
    empty where the last one ended is skipped)."""
    text = _subject(name, pos, o, s)
    pat = compile_pattern(name, pos, p, anchors=False)
    found: list[str] = []
    src, last = 0, -1
    while src <= len(text):
        end = match_at(pat, text, src)
        if end >= 0 and end != last:
            found.append(text[src:end])
            src = last = end
        else:
            src += 1
    return found


def _gmatch(name: str, pos: int, o: ir.Options, s: Any, p: Any) -> Any:
    """The rows of a generic ``for`` over ``gmatch``: one per match."""
    return new_table([new_table([m]) for m in gmatch_all(name, pos, o, s, p)])


def _match(name: str, pos: int, o: ir.Options, s: Any, p: Any, *init: Any) -> Any:
    """Lua's ``string.match`` without captures: the first match, or nil."""
    text = _subject(name, pos, o, s)
    pat = compile_pattern(name, pos, p)
    start = init[0] if init and init[0] is not None else 1
    if type(start) is not int:
        raise RunError(f"{name}: the start must be an integer, not a {type_name(start)}", pos)
    src = start - 1 if start > 0 else 0 if start == 0 else max(0, len(text) + start)
    while src <= len(text):
        end = match_at(pat, text, src)
        if end >= 0:
            return text[src:end]
        if pat.anchored:
            break
        src += 1
    return None


PATTERN_OPS: dict[str, Callable[..., Any]] = {"gsub": _gsub, "gmatch": _gmatch, "match": _match}
