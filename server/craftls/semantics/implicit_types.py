"""Names typed by their first letter (``structure.implicit_types``).

QuickBASIC 4.5 and QBasic (and FreeBASIC's -lang qb, which follows them): a variable
name without a type mark and without an AS type is of the default type, SINGLE, unless
a DEFtype statement (DEFINT, DEFLNG, DEFSNG, DEFDBL, DEFSTR; QB64's _DEFINE ... AS type)
gives names starting with its letters another. The mark of that type is then part of the
name: `x` and `x!` are one SINGLE variable, `x%` another; after DEFINT A-Z, `i` and `i%`
are one INTEGER variable and `i!` another (QBasic's help, "DEFtype Statements"; FreeBASIC's
manual, "DEFINT": "-lang qb" only).

Read here from the whole file, in text order, a later statement overriding an earlier one
for its letters: QuickBASIC applies a DEFtype to the text after it (programs put theirs at
the top, where the two agree); a name before it is read as after it here.
"""

from __future__ import annotations

import re
from typing import Final

from ..language.model import ImplicitTypes, LanguageDefinition
from ..syntax.lexer import lex
from ..syntax.tokens import COMMENT, NEWLINE, TRIVIA, WHITESPACE

# (the default mark, the marks of the letters a statement sets: '' for a type no mark
# names, which leaves those names untyped)
Implicit = tuple[str, dict[str, str]]

_NONE: Final[Implicit] = ("", {})


def _statements_pattern(spec: ImplicitTypes) -> re.Pattern[str] | None:
    words = [w for w, _ in spec.statements] + list(spec.define)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # (re's own cache keeps the compiled pattern)
    return re.compile(rf"(?<![\w$%&!#]){alternatives}(?![\w$%&!#])", re.IGNORECASE)


def implicit_marks(definition: LanguageDefinition, text: str) -> Implicit | None:
    """The file's implicit marks: None when the language types no name by its letter."""
    spec = definition.structure.implicit_types
    if spec is None:
        return None
    pattern = _statements_pattern(spec)
    if pattern is None or pattern.search(text) is None:
        return (spec.default, {}) if spec.default else _NONE
    letters: dict[str, str] = {}
    statements = {w.upper(): m for w, m in spec.statements}
    define = {w.upper() for w in spec.define}
    define_types = {" ".join(t.upper().split()): m for t, m in spec.define_types}
    tokens = [t for t in lex(definition, text)[0] if t[0] not in (WHITESPACE, COMMENT)]
    i = 0
    while i < len(tokens):
        word = tokens[i][1].upper()
        if tokens[i][0] in TRIVIA or word not in statements and word not in define:
            i += 1
            continue
        ranges, i = _letter_ranges(tokens, i + 1)
        if word in statements:
            mark = statements[word]
        else:
            typed: list[str] = []
            if i < len(tokens) and tokens[i][1].upper() == "AS":
                i += 1
                while i < len(tokens) and tokens[i][0] != NEWLINE and tokens[i][1] != ":":
                    typed.append(tokens[i][1].upper())
                    i += 1
            mark = define_types.get(" ".join(typed), "")
        for first, last in ranges:
            for code in range(ord(first), ord(last) + 1):
                letters[chr(code)] = mark
    return (spec.default, letters)


def _letter_ranges(tokens: list[tuple[str, str]], i: int) -> tuple[list[tuple[str, str]], int]:
    """The letters of `A-Z, m` from ``tokens[i]`` (lower case), and where they end."""
    ranges: list[tuple[str, str]] = []
    while i < len(tokens):
        first = tokens[i][1].lower()
        if len(first) != 1 or not "a" <= first <= "z":
            break
        last = first
        i += 1
        if i + 1 < len(tokens) and tokens[i][1] == "-":
            candidate = tokens[i + 1][1].lower()
            if len(candidate) == 1 and first <= candidate <= "z":
                last = candidate
                i += 2
        ranges.append((first, last))
        if i < len(tokens) and tokens[i][1] == ",":
            i += 1
        else:
            break
    return ranges, i


def implicit_mark(implicit: Implicit, key: str) -> str:
    """The mark an unmarked name ``key`` has by its first letter ('' none)."""
    default, letters = implicit
    return letters.get(key[:1].lower(), default) if letters else default


def implicit_twin(key: str, marks: tuple[str, ...], implicit: Implicit | None) -> str | None:
    """The other spelling of the variable ``key`` names by its first letter: `x!` for `x`
    (SINGLE by default), `i` for `i%` after DEFINT; None when there is none (`x%` while
    `x` is SINGLE: another variable)."""
    if implicit is None or not key:
        return None
    for mark in sorted(marks, key=len, reverse=True):
        if key.endswith(mark):
            if len(key) == len(mark):
                return None
            base = key[:-len(mark)]
            return base if implicit_mark(implicit, base) == mark else None
    mark = implicit_mark(implicit, key)
    return key + mark if mark else None
