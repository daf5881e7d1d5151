"""Which build of the syntax layer is running.

``pip install .`` compiles the lexer, parser and tree with mypyc where a C compiler
exists (see ``setup.py``); an editable install, or a machine without a compiler, runs
the same modules as pure Python. Both behave the same; the compiled one is ~2.5x
faster (docs/performance.md)."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES

from . import lexer, parser, tree


def syntax_build() -> str:
    """"compiled" when the syntax modules are mypyc extension modules, else "pure"."""
    suffixes = tuple(EXTENSION_SUFFIXES)
    compiled = [module.__file__ is not None and module.__file__.endswith(suffixes)
                for module in (lexer, parser, tree)]
    if all(compiled):
        return "compiled"
    return "pure" if not any(compiled) else "mixed"
