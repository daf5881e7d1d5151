"""Token kinds. A token is a ``(kind, text)`` tuple: the lexer makes tens of
thousands of them per file, and a plain tuple is the cheapest immutable value
Python can build; trees store no offsets, so reuse never needs shifting."""

from __future__ import annotations

Token = tuple[str, str]

WHITESPACE = "ws"
NEWLINE = "nl"
COMMENT = "comment"
IDENT = "ident"
NUMBER = "number"
STRING = "string"
PUNCT = "punct"
WORD_OP = "wordop"  # an operator spelled as a word that is not a keyword
KEYWORD_PREFIX = "kw_"  # keywords are "kw_<concept>"
# lexical errors: still tokens (the tree stays lossless), reported as syntax errors
UNTERMINATED_STRING = "err_string"
UNTERMINATED_COMMENT = "err_comment"
UNKNOWN_CHAR = "err_char"
EOF = "eof"

TRIVIA = frozenset({WHITESPACE, NEWLINE, COMMENT, UNTERMINATED_COMMENT, UNKNOWN_CHAR})
LEX_ERRORS = {
    UNTERMINATED_STRING: "unterminated string",
    UNTERMINATED_COMMENT: "unterminated comment",
    UNKNOWN_CHAR: "unexpected character",
}


def is_keyword(kind: str) -> bool:
    return kind.startswith(KEYWORD_PREFIX)


def concept(kind: str) -> str:
    """The keyword concept of a keyword kind ("kw_if" -> "if")."""
    return kind[len(KEYWORD_PREFIX):]
