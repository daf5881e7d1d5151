"""Refactoring code actions: extract variable, extract function/procedure, inline
variable, and the declare-variable quick fix.

Everything is written in the language's own syntax, derived from the definition's
data (keyword concepts, block style, statement separation, declaration form,
assignment and annotation symbols, formatting indent) and, for spacing choices the
definition leaves open, from the file itself. No language is special-cased: when the
definition lacks what an action needs (no function keyword, no way to declare a
variable), the action is not offered. Every result is re-parsed and re-resolved before
it is offered: an edit that would add a syntax error, an undefined name or a duplicate
declaration is refused instead.

The package: ``actions`` (the dispatcher and the ``Action`` it returns), one module per
refactoring (``extract_variable``, ``extract_function``, ``inline``, ``declare``), their
grammar-defined forms (``grammar_forms``: extract and inline variable, ``grammar_declare``:
the declare-variable quick fix, ``grammar_extract``: extract function; they read the
meaning annotations and write what ``grammar.refactoring`` gives), and what they share:
``syntax`` (the language's own syntax), ``names``, ``verify`` (checking the result),
``tree`` and ``text`` helpers, ``errors``.
"""

from __future__ import annotations

from .actions import EXTRACT, INLINE, QUICKFIX, Action, refactor_actions
from .declare import declare_variable
from .errors import RefactorRefused
from .extract_function import extract_function
from .extract_variable import extract_variable
from .inline import inline_variable
from .names import fresh_name
from .verify import apply_edits

__all__ = [
    "EXTRACT",
    "INLINE",
    "QUICKFIX",
    "Action",
    "RefactorRefused",
    "apply_edits",
    "declare_variable",
    "extract_function",
    "extract_variable",
    "fresh_name",
    "inline_variable",
    "refactor_actions",
]
