"""Imports: the modules a program imports, lowered and linked into the one program.

The analysis finds an imported module (a file of that name next to the importer, else
an installed package's module: ``workspace/imports.py``); code generation may not
import the workspace layer, so the caller hands lowering a ``ModuleFinder`` that does
that lookup. Each module is lowered once per build, in the importer's language, into
the same tables as the program: its globals get slots of the one global table, its
functions keys of their own (``module\\0name``), and its top-level statements run
before the program's, in import order. Its positions are offsets past the program's
text (``Program.sources``), so a runtime error in a module names the module's file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from ..language.model import LanguageDefinition
from . import ir
from .errors import Problem

# (module name as written, the importing file's path, its language) -> the module's
# (path, text, language), or None when it cannot be found
ModuleFinder = Callable[[str, str, LanguageDefinition], "tuple[str, str, LanguageDefinition] | None"]


@dataclass
class Module:
    """What a lowered module offers its importers, by the importer's name keys."""

    name: str
    broken: bool = False  # not found or not lowered: its error is reported once, at the import
    functions: dict[str, ir.Function] = field(default_factory=dict)
    globals: dict[str, ir.Global] = field(default_factory=dict)
    consts: dict[str, ir.Expr] = field(default_factory=dict)


@dataclass
class Linker:
    """The state one build shares between the program's lowering and its modules'."""

    find: ModuleFinder | None
    next_base: int
    sources: list[tuple[str, str, int]] = field(default_factory=list)
    modules: dict[str, Module | None] = field(default_factory=dict)  # path -> module
    global_names: list[str] = field(default_factory=list)
    global_types: dict[int, ir.TypeSpec] = field(default_factory=dict)
    functions: dict[str, ir.Function] = field(default_factory=dict)
    init: list[ir.Stmt] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the modules', at their places

    def add_source(self, path: str, text: str) -> int:
        """The base offset of a module's positions (past every earlier text)."""
        base = self.next_base
        self.sources.append((path, text, base))
        self.next_base = base + len(text) + 1
        return base


def shifted(node: Any, base: int) -> Any:
    """``node`` (an ``ir`` tree) with every ``pos`` moved by ``base``."""
    if type(node) is tuple:
        return tuple(shifted(item, base) for item in node)
    if not is_dataclass(node) or isinstance(node, type):
        return node
    changes: dict[str, Any] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if f.name == "pos" and type(value) is int:
            changes["pos"] = value + base
        elif type(value) is tuple or (is_dataclass(value) and not isinstance(value, type)):
            moved = shifted(value, base)
            if moved is not value:
                changes[f.name] = moved
    return replace(node, **changes) if changes else node


def shifted_problems(problems: list[Problem], base: int) -> list[Problem]:
    return [Problem(p.pos + base, p.message) for p in problems]
