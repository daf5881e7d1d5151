"""Which build of the syntax layer is running.

``pip install .`` compiles the lexer, parser and tree with mypyc where a C compiler
exists (see ``setup.py``); an editable install, or a machine without a compiler, runs
the same modules as pure Python. Both behave the same; the compiled one is ~2.5x
faster (docs/performance.md)."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from importlib.util import find_spec


def syntax_build() -> str:
    """"compiled" when the syntax modules are mypyc extension modules, else "pure".

    Read from where the import system finds them (an imported module's own spec), not by
    importing them: the PEG engine asks at its import, and the parser imports the engine
    (through grammar extensions), so an import here would be a cycle."""
    suffixes = tuple(EXTENSION_SUFFIXES)
    compiled = []
    for name in ("lexer", "parser", "tree"):
        spec = find_spec(f"{__package__}.{name}")
        origin = spec.origin if spec is not None else None
        compiled.append(origin is not None and origin.endswith(suffixes))
    if all(compiled):
        return "compiled"
    return "pure" if not any(compiled) else "mixed"
