"""A file's tables as modules see them: the functions it declares on a table by a
qualified name (Lua's ``function obj.m()``), the members a table gets, and the analysis of
a module file a completion reads (a memo: a few modules, asked at every completion in
their importers). Apart from ``completion_methods`` so that the annotation classes
(``doc_classes``) reach them without an import cycle."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..language.model import LanguageDefinition
from ..semantics.diagnostics import FileAnalysis, analyze_file
from ..semantics.model import ROUTINE_KINDS, Symbol
from ..syntax.parse import parse


def declared_functions(analysis: FileAnalysis, receiver: str) -> list[tuple[int, str]]:
    """The names of the functions the file declares on ``receiver`` by a qualified name
    (Lua's ``function obj.m()``, ``function obj:m()``), in the order written."""
    model = analysis.model
    separator = analysis.parsed.definition.structure.method_separator or "."
    identifier = re.compile(analysis.parsed.definition.lexical.identifier)
    found = []
    for symbol in sorted(model.symbols, key=lambda s: s.start):
        if symbol.kind not in ROUTINE_KINDS:
            continue
        owner, sep, name = split_qualified(symbol.name, separator)
        if sep and model.key(owner) == model.key(receiver) and identifier.fullmatch(name):
            found.append((symbol.start, name))
    return found


def split_qualified(name: str, separator: str) -> tuple[str, str, str]:
    at = max(name.rfind("."), name.rfind(separator))
    if at < 0:
        return name, "", ""
    sep = "." if name[at] == "." else separator
    return name[:at], sep, name[at + len(sep):]


@lru_cache(maxsize=32)  # a few modules, asked at every completion in their importers
def module_analysis(path: Path, mtime: int, size: int, definition: LanguageDefinition
                     ) -> FileAnalysis | None:
    """A module file's names (no types): ``mtime`` and ``size`` tell a changed file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    loaded = analyze_file(parse(definition, text))
    loaded.path = path  # the modules it loads in turn are found from its folder
    return loaded


def table_members(analysis: FileAnalysis, symbol: Symbol) -> list[str]:
    text = analysis.parsed.text
    field = re.compile(r"\s*\.\s*(" + analysis.parsed.definition.lexical.identifier
                       + r")\s*=(?!=)")
    found = [(ref.end, m.group(1)) for ref in analysis.model.references_to(symbol)
             if (m := field.match(text, ref.end)) is not None]
    return [n for _, n in sorted(found + declared_functions(analysis, symbol.name))]
