"""Modules loaded by a call (``structure.module_call``: Lua's ``require("a.b")``).

Such a module is no import the grammar declares: the call is an expression like any
other, and its name a string. What a variable it initialises holds is the table the
module file returns, so completion after ``M.`` or ``M:`` can offer that table's
functions. The file is looked for as the Lua loader's ``package.path`` templates would
find it from a folder of the workspace: each of ``module_paths`` ("?" the name, its dots
folders), in the importing file's folder and each folder above it, nearest first (the
root a program runs from is not known; a Neovim plugin's ``lua/`` folder and a
project's root are both above the file).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..language.model import LanguageDefinition

MAX_FOLDERS_UP = 12  # a module is looked for no further above the importing file


@lru_cache(maxsize=16)
def _call_pattern(call: str) -> re.Pattern[str]:
    """``require("a.b")``, ``require 'a.b'``, ``require("a.b").x`` counted as the module."""
    return re.compile(r"\b" + re.escape(call) + r"\s*\(?\s*([\"'])([\w.\-/]+)\1")


def module_file(name: str, importer: Path, definition: LanguageDefinition) -> Path | None:
    """The file ``name`` loads for a file at ``importer``, or None when none is found."""
    relative = name.replace(".", "/")
    folder = importer.parent
    for _ in range(MAX_FOLDERS_UP):
        for template in definition.structure.module_paths:
            candidate = folder / template.replace("?", relative)
            if candidate != importer and candidate.is_file():
                return candidate
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def module_name_at(text: str, start: int, definition: LanguageDefinition) -> str | None:
    """The module a value that starts at ``start`` loads (``require("a.b")``), or None."""
    call = definition.structure.module_call
    if not call:
        return None
    found = _call_pattern(call).match(text, start)
    return found.group(2) if found is not None else None
