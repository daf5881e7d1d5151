"""Which family a ParserCraft config belongs to, inferred the way ParserCraft behaves.

ParserCraft translates every config's words back to Python's and runs the result,
so a keyword map is Python with renamed keywords unless its keywords say otherwise:
``begin`` and ``end`` make it Pascal-like; BASIC's own words (STEP, GOTO, GOSUB,
WEND, NEXT, ENDIF, DIM, REM) or a ``:`` statement separator make it BASIC-like; an
``end`` keyword without ``begin`` (Ruby, ML) makes it keyword-terminated. Each family
brings the defaults its programs rely on (comments, literals, separators, terminators),
never overriding what the config says.
"""

from __future__ import annotations

from typing import Any, Final

PYTHON: Final = "python"
PASCAL: Final = "pascal"
BASIC: Final = "basic"
TERMINATED: Final = "keyword_terminated"

# keys only a map keyed by Python's keywords has (ParserCraft's default keyword set)
PYTHON_ONLY_CONCEPTS: Final = frozenset({"def", "True", "False", "None", "lambda", "pass",
                                         "yield", "except", "finally", "elif"})
BASIC_CONCEPTS: Final = frozenset({"step", "goto", "gosub", "call", "wend", "next", "endif",
                                   "dim"})
# BASIC names may end in a type sigil: STR$, COUNT%, BIG&, RATIO!, TOTAL#
BASIC_IDENTIFIER: Final = r"[^\W\d]\w*[$%&!#]?"

DEFAULT_LINE_COMMENTS: Final[dict[str, tuple[str, ...]]] = {
    PYTHON: ("#",), PASCAL: ("//",), BASIC: ("REM", "'"), TERMINATED: ("#",),
}
SEPARATORS: Final[dict[str, tuple[str, ...]]] = {
    PYTHON: (), PASCAL: (), BASIC: (":",), TERMINATED: (),
}
STRUCTURE: Final[dict[str, dict[str, Any]]] = {
    PYTHON: {"block_style": "indentation", "block_open": ":", "statements": "newline",
             "result_type": "->", "declarations": "assignment"},
    PASCAL: {"block_style": "begin_end", "statements": "separator"},
    BASIC: {"block_style": "keyword_terminated", "statements": "newline",
            "declarations": "assignment"},
    TERMINATED: {"block_style": "keyword_terminated", "statements": "newline"},
}
# the words a Python-family language keeps when its config does not rename them
PYTHON_KEYWORDS: Final[dict[str, tuple[str, ...]]] = {
    "if": ("if",), "elif": ("elif",), "else": ("else",), "while": ("while",),
    "for": ("for",), "in": ("in",), "break": ("break",), "continue": ("continue",),
    "pass": ("pass",), "return": ("return",), "function": ("def",), "and": ("and",),
    "or": ("or",), "not": ("not",), "true": ("True",), "false": ("False",),
    "null": ("None",), "import": ("import",), "raise": ("raise",), "try": ("try",),
    "except": ("except",), "finally": ("finally",), "as": ("as",), "class": ("class",),
    "lambda": ("lambda",),
}
# the closing words a BASIC-like language keeps when its config leaves them out
BASIC_KEYWORDS: Final[dict[str, tuple[str, ...]]] = {
    "end": ("END",), "next": ("NEXT",), "wend": ("WEND",),
}


def infer(keywords: dict[str, Any], sections: Any) -> str:
    """The family of a config whose keywords were read into ``keywords`` (concept ->
    entry) and whose syntax sections are ``sections`` (``dialects._Sections``)."""
    if "begin" in keywords and "end" in keywords:
        return PASCAL
    separator = (sections.parsing.get("statement_separator"),
                 sections.config.get("statement_separator"),
                 sections.syntax.get("statement_separator"))
    if BASIC_CONCEPTS & set(keywords) or ":" in separator \
            or sections.parsing.get("line_continuation") == "_":
        return BASIC
    if "end" in keywords:
        return TERMINATED
    return PYTHON


def complete_keywords(family: str, keywords: dict[str, Any]) -> None:
    """Add the family's words the config did not rename (never a word already taken)."""
    table = PYTHON_KEYWORDS if family == PYTHON else BASIC_KEYWORDS if family == BASIC else {}
    taken = {s.lower() for entry in keywords.values() for s in entry["spelling"]}
    for concept, spellings in table.items():
        if concept in keywords:
            continue
        free = [s for s in spellings if s.lower() not in taken]
        if free:
            keywords[concept] = {"spelling": free}
            taken.update(s.lower() for s in free)
