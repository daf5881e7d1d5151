"""Which meaning a spelling has when a definition gives it several.

ParserCraft accepts a word that spells two keywords (TempleCode's ``TO`` is both
``to`` and ``function``) and a keyword spelled like an operator (``is: "="``), so
craftls loads them too, with a warning, by these rules:

1. A spelling shared by two keyword concepts lexes as the concept that starts a
   statement (``function`` before ``to``; between equals, the one listed first).
   The other concept keeps the spelling as a *shared spelling*: where the parser
   expects that concept (``TO`` after ``FOR i = 1``), the word means it.
2. A keyword spelled like an operator (or like the assignment symbol) loses that
   spelling: the operator wins, because expressions need it everywhere.
3. A keyword spelled like punctuation the syntax needs (parentheses, brackets, the
   comma, ';', a statement separator, the ':' that opens an indented block) loses
   that spelling: the punctuation wins. ParserCraft translates only whole words, so
   such a keyword never meant anything to it either.
"""

from __future__ import annotations

from collections.abc import Callable

from .defaults import WORD_OPERATOR_CONCEPTS
from .model import Operator

# concepts that begin a statement or declaration: they win a shared spelling
STATEMENT_CONCEPTS: frozenset[str] = frozenset({
    "if", "while", "for", "repeat", "case", "return", "function", "procedure", "import",
    "begin", "var", "const", "type", "let", "dim", "program", "break", "continue", "class",
    "try", "print",
})

Warn = Callable[..., None]


def resolve_spellings(warn: Warn, keywords: dict[str, tuple[str, ...]],
                      operators: tuple[Operator, ...], assignment: str, fold: bool,
                      punctuation: frozenset[str] = frozenset()) -> tuple[
    dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]
]:
    """Keywords with every spelling owned by one concept, and the shared spellings."""
    def key(spelling: str) -> str:
        return spelling.lower() if fold else spelling

    symbols = {key(op.symbol): op.symbol for op in operators}
    result: dict[str, list[str]] = {concept: [] for concept in keywords}
    owner: dict[str, str] = {}
    shared: dict[str, list[str]] = {}
    ranked = sorted(keywords, key=lambda c: 0 if c in STATEMENT_CONCEPTS else 1)
    for concept in ranked:
        for spelling in keywords[concept]:
            k = key(spelling)
            if spelling in punctuation:
                warn(("keywords", concept),
                     f"keyword '{concept}' is spelled {spelling!r}, which the syntax needs as "
                     f"punctuation: the punctuation wins and '{concept}' loses that spelling")
                continue
            if concept not in WORD_OPERATOR_CONCEPTS and (k in symbols or k == key(assignment)):
                what = "the assignment symbol" if k == key(assignment) else "an operator"
                warn(("keywords", concept),
                     f"keyword '{concept}' is spelled {spelling!r}, which is also {what}: "
                     f"the operator wins and '{concept}' loses that spelling")
                continue
            first = owner.get(k)
            if first is None:
                owner[k] = concept
                result[concept].append(spelling)
            elif first != concept:
                warn(("keywords", concept),
                     f"{spelling!r} spells both '{first}' and '{concept}': it is '{first}', "
                     f"and '{concept}' where the syntax expects a '{concept}'")
                shared.setdefault(concept, []).append(spelling)
    kept = {c: tuple(result[c]) for c in keywords if result[c]}
    lost = {c: tuple(s) for c, s in shared.items() if c not in kept or s}
    return kept, lost
