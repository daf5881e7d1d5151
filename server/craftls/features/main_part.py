"""Where a program's main part starts: the first top-level item that is no declaration
(what the "Run" code lens stands above). The keyword level's declarations are node kinds;
a grammar's are what its annotations say (``declares``, ``imports``, ``type``), so a
grammar-defined or template-served language answers as the keyword level does, with no
language named here."""

from __future__ import annotations

from ..language.grammar_spec import Meaning
from ..semantics.grammar_meaning import meanings_of
from ..semantics.model import SymbolKind
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tree import SyntaxNode

# the symbol kinds whose declaration is a declaration item of its own (a routine, a type,
# the program's or module's heading); variables, constants and labels are declared by
# statements too (``let``, ``DIM``, ``CONST``) or in a section
DECLARED_BY_ITSELF = frozenset({SymbolKind.FUNCTION, SymbolKind.PROCEDURE, SymbolKind.TYPE,
                                SymbolKind.PROGRAM, SymbolKind.MODULE})
# the keyword level's top-level declarations
DECLARATIONS = frozenset({K.FUNCTION_DECL, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
                          K.PROGRAM_HEADER, K.IMPORT_STMT})


def main_start(parsed: ParsedFile) -> int:
    """The offset of the first top-level item that is no declaration (0: none is)."""
    meanings = meanings_of(parsed.definition)
    for item in parsed.root.children():
        if not (item.kind in DECLARATIONS or (meanings and _declares(item, meanings))):
            return item.start
    return 0


def _declares(node: SyntaxNode, meanings: dict[str, Meaning]) -> bool:
    """Whether a grammar's ``node`` is a declaration as the keyword level counts them: a
    routine or its heading, a type, the program's heading, an import, or a section of
    declarations (a node of ``lines`` whose first line declares: Pascal's VAR part); the
    wrapper rules around one. A single variable or constant with its value (``let x =
    f()``) is a statement of the main part, as at the keyword level."""
    while True:
        meaning = meanings.get(node.kind)
        if meaning is not None:
            if meaning.declares:
                return meaning.declares in DECLARED_BY_ITSELF
            if meaning.imports or meaning.heading or meaning.external:
                return True  # an import, a routine's heading (FORWARD, DECLARE SUB)
            if meaning.lines or meaning.recover_lines:
                return _first_declared(node, meanings)
        first = next(node.children(), None)
        if first is None:
            return False
        node = first


def _first_declared(node: SyntaxNode, meanings: dict[str, Meaning]) -> bool:
    """Whether the first node down from ``node`` that means anything declares a name."""
    for first in _first_nodes(node):
        meaning = meanings.get(first.kind)
        if meaning is not None and meaning.declares:
            return True
    return False


def _first_nodes(node: SyntaxNode) -> list[SyntaxNode]:
    found = []
    first = next(node.children(), None)
    while first is not None:
        found.append(first)
        first = next(first.children(), None)
    return found
