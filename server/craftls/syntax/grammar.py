"""Parser tables derived from a language definition (built once per definition)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..language.model import Associativity, BlockStyle, LanguageDefinition, StatementSeparation
from .tokens import EOF, KEYWORD_PREFIX, PUNCT

RANGE_OPERATOR = ".."
CLOSER_CONCEPTS = ("end", "until", "else", "elif", "endif", "wend", "next", "endfunction",
                   "endprocedure", "except", "finally")
DECLARATION_CONCEPTS = ("let", "var", "const", "dim")
JUMP_CONCEPTS = ("break", "continue", "pass", "exit")
LITERAL_CONCEPTS = ("true", "false", "null")
# keyword concepts with a meaning to the parser; any other keyword at the start of a
# statement is a command (SAY "hi", CLS)
STRUCTURAL_CONCEPTS = frozenset(CLOSER_CONCEPTS + DECLARATION_CONCEPTS + JUMP_CONCEPTS
                                + LITERAL_CONCEPTS + (
    "program", "begin", "type", "function", "procedure", "return", "if", "then", "while", "do",
    "for", "to", "downto", "step", "in", "repeat", "case", "of", "import", "array", "record",
    "and", "or", "not", "xor", "div", "mod", "as", "try",
))


@dataclass(frozen=True)
class Grammar:
    """The parser's tables for one definition (``grammar_for``)."""

    definition: LanguageDefinition
    fold: bool
    style: BlockStyle
    separation: StatementSeparation
    binary: dict[str, tuple[int, bool]]  # folded operator -> (precedence, right associative)
    unary: dict[str, int]  # folded operator -> operand precedence
    unary_precedence: int
    closers: frozenset[str]  # token kinds that end any statement list
    concepts: frozenset[str]
    assignment: str
    type_annotation: str
    result_type: str
    block_open: str
    program_terminator: str
    separators: frozenset[str]  # punctuation that ends a statement: ';' and the language's
    compound_assignments: frozenset[str]
    line_numbers: bool
    # what opens a block right after a condition ('{', an indented block's ':'): after a
    # statement, a header whose keyword was deleted (``Parser.parse_headless``)
    block_marks: frozenset[str]
    # concept -> folded spellings that lex as another concept's keyword but mean this
    # concept where the parser expects it (see language/spellings.py)
    shared: dict[str, frozenset[str]]

    @property
    def newline_sensitive(self) -> bool:
        return self.separation is StatementSeparation.NEWLINE

    def key(self, kind: str, text: str) -> str:
        """How an operator token is looked up: word operators by folded text."""
        if kind == PUNCT:
            return text
        return text.lower() if self.fold else text

    def has(self, concept: str) -> bool:
        return concept in self.concepts


@lru_cache(maxsize=64)
def grammar_for(definition: LanguageDefinition) -> Grammar:
    fold = not definition.lexical.case_sensitive
    binary: dict[str, tuple[int, bool]] = {}
    top = max((op.precedence + 1 for op in definition.operators), default=0)
    unary: dict[str, int] = {}
    for op in definition.operators:
        key = op.symbol.lower() if fold and op.is_word else op.symbol
        if op.binary:
            binary[key] = (op.precedence + 1, op.associativity is Associativity.RIGHT)
        if op.unary:
            # a word operator (NOT) binds at its own level; symbols (-x) bind tightest
            unary[key] = op.precedence + 1 if op.is_word and not op.binary else top + 1
    binary.setdefault(RANGE_OPERATOR, (0, False))
    binary.pop(definition.structure.assignment, None) if "==" in binary else None
    style = definition.structure.block_style
    closers = {KEYWORD_PREFIX + c for c in CLOSER_CONCEPTS if c in definition.keywords}
    if style is BlockStyle.BRACES:
        closers.add("}")
    closers.add(EOF)
    structure = definition.structure
    return Grammar(
        definition=definition,
        fold=fold,
        style=style,
        separation=structure.statements,
        binary=binary,
        unary=unary,
        unary_precedence=top + 1,
        closers=frozenset(closers),
        concepts=frozenset(definition.keywords) | frozenset(definition.shared_spellings),
        assignment=structure.assignment,
        type_annotation=structure.type_annotation,
        result_type=structure.result_type,
        block_open=structure.block_open,
        program_terminator=structure.program_terminator,
        separators=frozenset((";",) + structure.separators),
        compound_assignments=frozenset(structure.compound_assignments),
        line_numbers=structure.line_numbers,
        block_marks=frozenset(["{"] if style is BlockStyle.BRACES else [structure.block_open]
                              if style is BlockStyle.INDENTATION and structure.block_open
                              else []),
        shared={concept: frozenset(s.lower() if fold else s for s in spellings)
                for concept, spellings in definition.shared_spellings.items()},
    )
