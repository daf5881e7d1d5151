"""A source file to a runnable ``ir.Program`` (the shared first step of every target)."""

from __future__ import annotations

from ..language.model import LanguageDefinition
from ..syntax.parse import parse
from . import ir
from .link import ModuleFinder
from .lower import lower


def build_program(definition: LanguageDefinition, text: str, path: str,
                  find: ModuleFinder | None = None) -> ir.Program:
    """Parse and lower, linking the modules it imports (``find`` locates them; without
    it an import is a build error); raises ``errors.BuildError`` when the program cannot
    run."""
    return lower(parse(definition, text), path, find)
