"""Defaults that a definition may leave out (ParserCraft configs leave out a lot)."""

from __future__ import annotations

from .model import Associativity, Operator

# Common type names mean the canonical types unless a definition says otherwise.
COMMON_TYPE_NAMES: dict[str, str] = {
    "integer": "int", "int": "int", "longint": "int", "shortint": "int", "byte": "int",
    "word": "int", "long": "int", "entero": "int", "number": "float",
    "real": "float", "float": "float", "double": "float", "single": "float", "decimal": "float",
    "string": "str", "str": "str", "char": "str", "text": "str", "cadena": "str", "texto": "str",
    "boolean": "bool", "bool": "bool", "booleano": "bool",
    "void": "none", "none": "none", "nil": "none", "nothing": "none",
    "any": "any", "list": "[any]", "array": "[any]", "lista": "[any]", "map": "{str: any}",
    "dict": "{str: any}",
}

# Keyword concepts that are operators when spelled as words.
WORD_OPERATOR_CONCEPTS: dict[str, tuple[int, bool, bool, str | None]] = {
    # concept: (precedence, binary, unary, result type)
    "or": (1, True, False, "bool"),
    "xor": (1, True, False, "bool"),
    "and": (2, True, False, "bool"),
    "not": (3, False, True, "bool"),
    "in": (4, True, False, "bool"),
    "div": (6, True, False, "int"),
    "mod": (6, True, False, "int"),
}

DEFAULT_OPERATORS: tuple[Operator, ...] = (
    Operator("==", 4, Associativity.NONE, result="bool"),
    Operator("!=", 4, Associativity.NONE, result="bool"),
    Operator("<", 4, Associativity.NONE, result="bool"),
    Operator(">", 4, Associativity.NONE, result="bool"),
    Operator("<=", 4, Associativity.NONE, result="bool"),
    Operator(">=", 4, Associativity.NONE, result="bool"),
    Operator("+", 5, unary=True),
    Operator("-", 5, unary=True),
    Operator("*", 6),
    Operator("/", 6),
    Operator("%", 6),
)

# ParserCraft operators given without a precedence (a list without one, the
# ``syntax.operators`` map, a keyword spelling an operator) bind as in Python
PYTHON_OPERATOR_PRECEDENCE: dict[str, tuple[int, str]] = {
    "==": (4, "none"), "!=": (4, "none"), "<": (4, "none"), ">": (4, "none"),
    "<=": (4, "none"), ">=": (4, "none"), "<>": (4, "none"), "=": (4, "none"),
    "+": (5, "left"), "-": (5, "left"), "*": (6, "left"), "/": (6, "left"),
    "//": (6, "left"), "%": (6, "left"), "**": (7, "right"),
}

COMPARISON_SYMBOLS = {"=", "==", "!=", "<>", "<", ">", "<=", ">=", "≠", "≤", "≥"}

# ParserCraft's concept names that mean one of ours.
CONCEPT_ALIASES: dict[str, str] = {
    "def": "function", "func": "function", "fn": "function", "sub": "procedure",
    "elseif": "elif", "else_if": "elif", "elsif": "elif", "endwhile": "wend", "end_while": "wend",
    "end_if": "endif", "endfor": "next", "end_for": "next", "uses": "import",
    "none": "null", "nil": "null", "println": "print",
    "assign": "let",
}
