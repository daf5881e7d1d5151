"""Token kinds. A token is a ``(kind, text)`` tuple: the lexer makes tens of
thousands of them per file, and a plain tuple is the cheapest immutable value
Python can build; trees store no offsets, so reuse never needs shifting."""

from __future__ import annotations

from typing import Final

Token = tuple[str, str]

WHITESPACE: Final = "ws"
NEWLINE: Final = "nl"
COMMENT: Final = "comment"
IDENT: Final = "ident"
NUMBER: Final = "number"
STRING: Final = "string"
PUNCT: Final = "punct"
WORD_OP: Final = "wordop"  # an operator spelled as a word that is not a keyword
KEYWORD_PREFIX: Final = "kw_"  # keywords are "kw_<concept>"
# lexical errors: still tokens (the tree stays lossless), reported as syntax errors
UNTERMINATED_STRING: Final = "err_string"
UNTERMINATED_COMMENT: Final = "err_comment"
UNKNOWN_CHAR: Final = "err_char"
EOF: Final = "eof"

TRIVIA: Final = frozenset({WHITESPACE, NEWLINE, COMMENT, UNTERMINATED_COMMENT, UNKNOWN_CHAR})
LEX_ERRORS: Final = {
    UNTERMINATED_STRING: "unterminated string",
    UNTERMINATED_COMMENT: "unterminated comment",
    UNKNOWN_CHAR: "unexpected character",
}


def is_keyword(kind: str) -> bool:
    return kind.startswith(KEYWORD_PREFIX)


def concept(kind: str) -> str:
    """The keyword concept of a keyword kind ("kw_if" -> "if")."""
    return kind[len(KEYWORD_PREFIX):]
