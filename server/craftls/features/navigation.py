"""Go to definition, references, highlights and rename over one file's model."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import Reference, Symbol


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    is_write: bool = False


class RenameRefused(Exception):
    """Rename is not possible here; the message tells the user why."""


def symbol_at(analysis: FileAnalysis, offset: int) -> Symbol | None:
    return analysis.model.symbol_at(offset)


def definition(analysis: FileAnalysis, offset: int) -> Span | None:
    symbol = symbol_at(analysis, offset)
    return Span(symbol.start, symbol.end) if symbol is not None else None


def references(analysis: FileAnalysis, offset: int, include_declaration: bool = True
               ) -> list[Span]:
    symbol = symbol_at(analysis, offset)
    if symbol is None:
        return []
    spans = [Span(r.start, r.end, r.is_write) for r in analysis.model.references_to(symbol)]
    if include_declaration:
        spans.insert(0, Span(symbol.start, symbol.end, True))
    return sorted(set(spans), key=lambda s: s.start)


def highlights(analysis: FileAnalysis, offset: int) -> list[Span]:
    return references(analysis, offset, include_declaration=True)


def prepare_rename(analysis: FileAnalysis, offset: int) -> tuple[Span, str]:
    """The range to rename and its current text, or RenameRefused."""
    item = analysis.model.at(offset)
    definition = analysis.parsed.definition
    if item is None:
        token = analysis.parsed.root.token_at(offset)
        if token is not None and token.kind.startswith("kw_"):
            raise RenameRefused(f"'{token.text}' is a keyword of {definition.name} and cannot "
                                f"be renamed")
        raise RenameRefused("there is no symbol to rename here")
    if isinstance(item, Reference) and item.symbol is None:
        if item.builtin is not None:
            raise RenameRefused(f"'{item.name}' is a builtin of {definition.name} and cannot "
                                f"be renamed")
        raise RenameRefused(f"'{item.name}' is not declared in this workspace")
    return Span(item.start, item.end), item.name if isinstance(item, Reference) else item.name


def rename_spans(analysis: FileAnalysis, offset: int, new_name: str) -> list[Span]:
    """Every span to replace with ``new_name`` (declaration included), or RenameRefused."""
    prepare_rename(analysis, offset)
    definition = analysis.parsed.definition
    if not re.fullmatch(definition.lexical.identifier, new_name):
        raise RenameRefused(f"'{new_name}' is not a valid identifier in {definition.name}")
    fold: Callable[[str], str] = (lambda s: s.lower()) \
        if not definition.lexical.case_sensitive else (lambda s: s)
    for spellings in definition.keywords.values():
        if any(fold(s) == fold(new_name) for s in spellings):
            raise RenameRefused(f"'{new_name}' is a keyword of {definition.name}")
    if definition.builtin(new_name) is not None:
        raise RenameRefused(f"'{new_name}' is a builtin of {definition.name}")
    symbol = symbol_at(analysis, offset)
    assert symbol is not None  # prepare_rename checked it
    key = analysis.model.key(new_name)
    clash = symbol.scope.symbols.get(key)
    if clash is not None and clash is not symbol:
        raise RenameRefused(f"'{new_name}' is already declared in this scope ({clash.kind})")
    for ref in analysis.model.references_to(symbol):
        # a use inside a scope that declares the new name would be captured by it
        captured = ref.scope.lookup(key) if ref.scope is not None else None
        if captured is not None and captured is not symbol:
            raise RenameRefused(f"renaming to '{new_name}' would make a use of "
                                f"'{symbol.name}' refer to the {captured.kind} '{captured.name}'")
    return references(analysis, offset, include_declaration=True)



def external_target(analysis: FileAnalysis, offset: int) -> tuple[str, str] | None:
    """(module file path, name) when the name at ``offset`` comes from an imported module:
    an unqualified use (``Square(2)`` after ``USES MathLib``) or ``module.name``."""
    from ..syntax import kinds as K
    token = analysis.parsed.root.token_at(offset)
    if token is None or token.kind != "ident":
        return None
    fold = str.lower if not analysis.parsed.definition.lexical.case_sensitive else str
    parent = token.parent
    member = parent.parent if parent is not None else None
    if member is not None and member.kind == K.MEMBER_EXPR:
        parts = member.children_of_kind(K.NAME_REF)
        if len(parts) == 2 and parts[1].start == token.start:
            exports = analysis.modules.get(parts[0].text.strip().lower())
            if exports is not None:
                return str(exports.path), token.text
    item = analysis.model.at(offset)
    if isinstance(item, Reference) and item.symbol is None:
        for exports in analysis.modules.values():
            if any(fold(n) == fold(item.name) for n in exports.names):
                return str(exports.path), item.name
    return None
