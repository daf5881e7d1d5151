"""A source file to a runnable ``ir.Program`` (the shared first step of every target)."""

from __future__ import annotations

from ..language.model import LanguageDefinition
from ..syntax.parse import parse
from . import ir
from .link import ModuleFinder
from .lower import lower
from .lower_with import lower_grammar


def build_program(definition: LanguageDefinition, text: str, path: str,
                  find: ModuleFinder | None = None) -> ir.Program:
    """Parse and lower, linking the modules it imports (``find`` locates them; without
    it an import is a build error); raises ``errors.BuildError`` when the program cannot
    run. A grammar's tree (a grammar-defined language's, or the block style's template
    serving a keyword-level definition: ``structure.engine: template``) runs as its
    rules' ``run:`` annotations say; a keyword-level tree, as ``lower.py`` reads it."""
    parsed = parse(definition, text)
    if definition.grammar is not None:
        return lower_grammar(parsed, path, find)
    return lower(parsed, path, find)
