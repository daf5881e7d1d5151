"""The Python builtins a Python-family ParserCraft config's programs may call.

ParserCraft runs such a program as Python: its batch runner and TeachScript's runtime
``exec`` the translated text with Python's ``__builtins__``, so ``print``, ``len``,
``sorted``, ``object`` or ``ValueError`` work whether or not the config lists them.
The running Python's ``builtins`` module is that list (craftls and ParserCraft both run
on CPython 3), so it is read rather than copied; ``inspect`` gives the argument counts
where CPython records a signature, and the others take any number of arguments.
"""

from __future__ import annotations

import builtins
import inspect
from functools import lru_cache
from typing import Any

# A Python builtin's runtime operation (operations.py), where craftls's runtime has one.
PYTHON_OPERATIONS = {
    "print": "print_line", "input": "read_line", "len": "length", "abs": "abs",
    "round": "round", "chr": "chr", "ord": "ord", "str": "str", "int": "int",
    "float": "float", "range": "range", "min": "min", "max": "max", "upper": "upper",
    "lower": "lower", "append": "append",
}


@lru_cache(maxsize=1)
def python_builtins() -> tuple[dict[str, Any], ...]:
    """Native ``builtins`` entries for every public name of Python's builtins."""
    entries = []
    for name in sorted(n for n in dir(builtins) if not n.startswith("_")):
        low, high = _arity(getattr(builtins, name))
        entry: dict[str, Any] = {"name": name, "min_args": low, "max_args": high,
                                 "description": "Python builtin (ParserCraft runs the "
                                                "program as Python)"}
        if name in PYTHON_OPERATIONS:
            entry["implements"] = PYTHON_OPERATIONS[name]
        entries.append(entry)
    return tuple(entries)


def _arity(value: object) -> tuple[int, int | None]:
    """Positional arguments a call may pass: (at least, at most; None: any number)."""
    try:
        signature = inspect.signature(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # no recorded signature (print, max, int, ...)
        return 0, None
    low, high = 0, 0
    for p in signature.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            return low, None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            high += 1
            if p.default is p.empty:
                low += 1
    return low, high
