"""The C runtime as a library compiled once: its header and its source, both derived
from the runtime text that a standalone generated C file starts with.

``craftls build --target c`` writes one self-contained file (runtime, then program).
To compile, gcc at -O2 spent about 0.4 s on the runtime and a few hundredths on a small
program, every time. So ``native.py`` compiles the runtime apart, once per compiler and
flags (``c_objects.py`` keeps the object), and the program after the header alone:

* the library: the runtime text with the ``static`` of each top-level definition taken
  away (its functions and globals get external linkage; nothing else changes);
* the header: the runtime's preprocessor lines and type definitions as they are, each
  function as its prototype and each global as an ``extern`` declaration; but the few
  small functions that generated code calls for every value and operation (``INLINE``)
  whole, still ``static``: gcc inlines them into the program as it did when the
  runtime was part of the file. Without them a call of fib(27) took 2.7 times as long
  (each ``mk_int``, ``rt_add``, ``rt_push`` a call into the library) and the sieve 1.5
  times; with them the program's compile takes a few hundredths of a second more.

Both are made by reading the runtime's top level (comments and literals skipped, braces
counted), so the runtime stays the one text to edit. A top-level item this does not
know (a global without ``static``, which both files would define) is a ValueError that
the tests meet at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Final

from .c_basic_ops import BASIC_OPS
from .c_chance import CHANCE
from .c_closures import CLOSURES
from .c_extra_ops import EXTRA_OPS
from .c_reading import READING
from .c_runtime import BUILTINS, RUNTIME
from .c_tables import TABLES
from .c_text_ops import TEXT_OPS

# what every generated C file starts with, up to the program's own code
RUNTIME_SOURCE: Final = "\n".join((RUNTIME, BUILTINS, CHANCE, EXTRA_OPS, TABLES, CLOSURES,
                                   TEXT_OPS, READING, BASIC_OPS))
PROGRAM_MARK: Final = "/* ----- the program ----- */"
_PREFIX: Final = RUNTIME_SOURCE + "\n" + PROGRAM_MARK + "\n"
# small, called on every value or operation by generated code, and with no state of
# their own (a function-local static would be a second copy in the program)
INLINE: Final = frozenset({
    "rt_push", "rt_pop", "mk_int", "mk_real", "mk_bool", "mk_str", "mk_arr", "rt_copy",
    "rt_get", "rt_truth", "rt_whole", "num", "cmp_int_real", "cmp_num", "rt_cmp",
    "need_nums", "dbl", "rt_add", "rt_sub", "rt_mul", "rt_slot", "rt_index", "rt_elem_ref",
    "rt_store_into", "rt_seq_len", "rt_seq_item"})
_NAME: Final = re.compile(r"[^(]*?(\w+)\s*\(")
_TYPES: Final = re.compile(r"(typedef|struct|enum|union)\b")
_STATIC: Final = re.compile(r"\bstatic\s+")


def program_part(source: str) -> str | None:
    """The program's own code in a C file ``c_emit`` generated (None: another file)."""
    return source[len(_PREFIX):] if source.startswith(_PREFIX) else None


@lru_cache(maxsize=1)  # the runtime is one fixed text
def library() -> tuple[str, str]:
    """(header, library source) of the runtime."""
    header: list[str] = []
    source: list[str] = []
    inlined = set()
    for kind, text in _top_level(RUNTIME_SOURCE):
        if kind == "gap":
            source.append(text)
        elif kind == "preprocessor" or (kind == "declaration" and _TYPES.match(text)):
            header.append(text)
            source.append(text)
        else:
            found = _STATIC.search(text, 0, _scan(text, 0, "{" if kind == "function" else "=;"))
            if found is None:
                raise ValueError(f"a runtime definition without static: {text[:80]!r}")
            external = text[:found.start()] + text[found.end():]
            source.append(external)
            name = _NAME.match(text, found.end())
            if kind == "function" and name is not None and name.group(1) in INLINE:
                header.append(text)
                inlined.add(name.group(1))
            elif kind == "function":
                header.append(external[:_scan(external, 0, "{")].rstrip() + ";")
            else:
                header.append("extern " + _without_initializers(external[:-1]))
    if inlined != INLINE:
        raise ValueError(f"no runtime functions {sorted(INLINE - inlined)} to inline")
    return "\n".join(header) + "\n", "".join(source)


def _without_initializers(declaration: str) -> str:
    """``const V A = {...}, B = {...}`` (no ``;``) as ``const V A, B;``."""
    parts = []
    start = 0
    while start <= len(declaration):
        comma = _scan(declaration, start, ",")
        part = declaration[start:comma]
        parts.append(part[:_scan(part, 0, "=")].rstrip())
        start = comma + 1
    return ",".join(parts) + ";"


def _scan(text: str, start: int, stops: str) -> int:
    """The index of the first of the ``stops`` characters at bracket depth 0 from ``start``,
    past string and character literals and comments (len(text) when there is none)."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch in "\"'":
            i = _literal_end(text, i)
            continue
        if text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
            continue
        if text.startswith("//", i):
            i = _line_end(text, i)
            continue
        if depth == 0 and ch in stops:
            return i
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        i += 1
    return len(text)


def _literal_end(text: str, i: int) -> int:
    quote = text[i]
    i += 1
    while text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _gap_end(text: str, i: int) -> int:
    """Past the blanks and comments from ``i``."""
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text.startswith("/*", i):
            i = text.index("*/", i + 2) + 2
        elif text.startswith("//", i):
            i = _line_end(text, i)
        else:
            break
    return i


def _top_level(text: str) -> Iterator[tuple[str, str]]:
    """The top-level pieces in order: ("gap", blanks and comments), ("preprocessor",
    a directive with its continuation lines), ("function", a definition with its body),
    ("declaration", up to and with its ``;``)."""
    i = 0
    while i < len(text):
        end = _gap_end(text, i)
        if end > i:
            yield "gap", text[i:end]
        elif text[i] == "#":
            end = _line_end(text, i)
            while text[end - 1] == "\\":
                end = _line_end(text, end + 1)
            yield "preprocessor", text[i:end]
        else:
            kind, item = _item(text, i)
            yield kind, item
            end = i + len(item)
        i = end


def _item(text: str, start: int) -> tuple[str, str]:
    first = _scan(text, start, "{;")
    if first < len(text) and text[first] == "{" and text[start:first].rstrip().endswith(")"):
        return "function", text[start:_scan(text, first + 1, "}") + 1]  # to its closing brace
    end = _scan(text, first, ";")
    if end == len(text):
        raise ValueError(f"a runtime declaration without ';': {text[start:start + 80]!r}")
    return "declaration", text[start:end + 1]
