"""Semantic tokens: every significant token classified, with a legend derived
from the definition (keyword categories become modifiers)."""

from __future__ import annotations

from dataclasses import dataclass

from ..language.model import LanguageDefinition
from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import Reference, SymbolKind
from ..syntax import kinds as K
from ..syntax.tokens import COMMENT, IDENT, NUMBER, PUNCT, STRING, UNTERMINATED_STRING, WORD_OP
from ..syntax.tree import SyntaxToken

TOKEN_TYPES = ["keyword", "comment", "string", "number", "operator", "variable", "parameter",
               "function", "type", "namespace", "property", "enumMember"]
BASE_MODIFIERS = ["declaration", "readonly", "defaultLibrary", "modification"]
# Keyword categories become modifiers. The legend is fixed when the server starts (LSP
# has no way to change it later), so it lists the bundled definitions' categories
# (a test keeps this in sync); a category outside the legend is simply not sent.
CATEGORY_MODIFIERS = ["bloque", "bucle", "control", "declaración", "declaration_category",
                      "literal", "loop", "operador", "operator"]


@dataclass(frozen=True)
class Legend:
    types: list[str]
    modifiers: list[str]


LEGEND = Legend(TOKEN_TYPES, BASE_MODIFIERS + CATEGORY_MODIFIERS)


def category_modifier(category: str) -> str:
    """The modifier a keyword category is sent as ("declaration" is taken by LSP)."""
    return "declaration_category" if category == "declaration" else category


def categories_of(definitions: list[LanguageDefinition]) -> set[str]:
    return {category_modifier(c) for d in definitions for c in d.keyword_categories.values()}


@dataclass(frozen=True)
class ClassifiedToken:
    start: int
    length: int
    type: str
    modifiers: tuple[str, ...] = ()


_SYMBOL_TYPES = {SymbolKind.FUNCTION: "function", SymbolKind.PROCEDURE: "function",
                 SymbolKind.PARAMETER: "parameter", SymbolKind.TYPE: "type",
                 SymbolKind.MODULE: "namespace", SymbolKind.FIELD: "property",
                 SymbolKind.CONSTANT: "variable", SymbolKind.PROGRAM: "namespace"}


def classify(analysis: FileAnalysis, start: int = 0, end: int | None = None
             ) -> list[ClassifiedToken]:
    definition = analysis.parsed.definition
    model = analysis.model
    grammar = definition.grammar is not None
    placeholders = frozenset(definition.structure.placeholders)
    end = len(analysis.parsed.text) if end is None else end
    out: list[ClassifiedToken] = []
    for token in analysis.parsed.root.leaves():
        if token.end <= start or token.start >= end:
            continue
        kind = token.kind
        if kind.startswith("kw_"):
            category = definition.keyword_categories.get(kind[3:])
            out.append(ClassifiedToken(token.start, len(token.text), "keyword",
                                       (category_modifier(category),) if category else ()))
        elif kind == COMMENT:
            out.append(ClassifiedToken(token.start, len(token.text), "comment"))
        elif kind in (STRING, UNTERMINATED_STRING):
            out.append(ClassifiedToken(token.start, len(token.text), "string"))
        elif kind == NUMBER:
            out.append(ClassifiedToken(token.start, len(token.text), "number"))
        elif kind in (WORD_OP,) or (kind == PUNCT and token.text not in "()[]{},;."):
            out.append(ClassifiedToken(token.start, len(token.text), "operator"))
        elif kind == IDENT:
            item = model.at(token.start)
            out.append(_unnamed(token, placeholders) if item is None and grammar
                       else _identifier(item, token.start, len(token.text)))
    return out


def _unnamed(token: SyntaxToken, placeholders: frozenset[str]) -> ClassifiedToken:
    """A grammar's word that declares and names nothing: one the grammar matches by its
    text (Fortran's INTENT, REAL), a keyword, but a placeholder (Go's `_`, a variable
    written to and never read); else a member (`%radius`, `.size`), a property (not
    looked up: resolving each member of a file took ten times the rest)."""
    kind = "property" if token.parent.kind == K.NAME_REF \
        else "variable" if token.text in placeholders else "keyword"
    return ClassifiedToken(token.start, len(token.text), kind)


def _identifier(item: object, start: int, length: int) -> ClassifiedToken:
    if isinstance(item, Reference):
        if item.builtin is not None:
            return ClassifiedToken(start, length, "function", ("defaultLibrary",))
        symbol = item.symbol
        if symbol is None and item.is_type:  # a type the language provides (INTEGER, int)
            return ClassifiedToken(start, length, "type", ("defaultLibrary",))
        modifiers: tuple[str, ...] = ("modification",) if item.is_write else ()
    else:
        symbol = item  # type: ignore[assignment]
        modifiers = ("declaration",)
    if symbol is None:
        return ClassifiedToken(start, length, "variable", modifiers)
    kind = getattr(symbol, "kind", "")
    if kind == SymbolKind.CONSTANT:
        modifiers += ("readonly",)
    return ClassifiedToken(start, length, _SYMBOL_TYPES.get(kind, "variable"), modifiers)
