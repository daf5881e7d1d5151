"""A source file to a runnable ``ir.Program`` (the shared first step of every target)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

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
    run."""
    definition = _lowered_definition(definition)
    parsed = parse(definition, text)
    if definition.grammar is not None:  # its rules' run: annotations say what runs
        return lower_grammar(parsed, path)
    return lower(parsed, path, find)


@lru_cache(maxsize=16)
def _lowered_definition(definition: LanguageDefinition) -> LanguageDefinition:
    """The definition whose tree is lowered: one served through its block style's
    template (``structure.engine: template``) runs as the keyword-level parser reads it,
    whose lowering knows every block style; the template is the same language (its
    equivalence is tested), and its ``run:`` annotations (``syntax/template_runs.py``)
    type its tree but do not yet lower every construct of it (END FUNCTION, loops)."""
    if definition.structure.engine != "template" or definition.grammar is None:
        return definition
    return replace(definition, grammar=None,
                   structure=replace(definition.structure, engine="keywords"))
