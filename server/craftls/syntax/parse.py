"""Parse a whole text: the entry point of the syntax layer."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..language.model import LanguageDefinition
from .grammar import grammar_for
from .lexer import lex
from .parser import Parser
from .tree import GreenNode, SyntaxError_, SyntaxNode, collect_errors


@dataclass(frozen=True)
class ParsedFile:
    """An immutable parse result: the text, its definition and its green tree."""

    definition: LanguageDefinition
    text: str
    green: GreenNode
    _errors: list[SyntaxError_] = field(default_factory=list, compare=False, repr=False)

    @property
    def root(self) -> SyntaxNode:
        return SyntaxNode(self.green)

    @property
    def errors(self) -> list[SyntaxError_]:
        if not self._errors:
            self._errors.extend(collect_errors(self.root))
            if not self._errors:
                self._errors.append(_NO_ERRORS)
        return [e for e in self._errors if e is not _NO_ERRORS]


_NO_ERRORS = SyntaxError_("", -1, -1)


def parse_green(definition: LanguageDefinition, text: str) -> GreenNode:
    tokens, _ = lex(definition, text)
    return Parser(grammar_for(definition), text, tokens).parse_file()


def parse(definition: LanguageDefinition, text: str) -> ParsedFile:
    """Parse ``text``; never raises, whatever the input."""
    return ParsedFile(definition, text, parse_green(definition, text))
