"""How the language writes declarations, statements and routines, derived from its
definition and, for spacing choices the definition leaves open, from the file itself."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from ...language.model import Associativity, BlockStyle, LanguageDefinition, StatementSeparation
from ...semantics.diagnostics import FileAnalysis
from ...semantics.model import Symbol, SymbolKind
from ...syntax import kinds as K
from ...syntax.incremental import TextEdit
from ...syntax.tokens import KEYWORD_PREFIX
from ...syntax.tree import SyntaxNode
from .errors import RefactorRefused
from .text import indent_of, line_end, line_start, mostly_spaced, remove_lines, shift
from .tree import core_end

DECLARING = ("let", "var", "dim")
DECLARATION_KINDS = frozenset({K.PARAM_GROUP, K.VAR_DECL, K.LET_STMT, K.CONST_DECL,
                               K.RESULT_TYPE, K.FIELD_DECL})


class LanguageSyntax:
    """How the language writes declarations, statements and routines."""

    def __init__(self, analysis: FileAnalysis) -> None:
        self.analysis = analysis
        self.definition: LanguageDefinition = analysis.parsed.definition
        self.text = analysis.parsed.text
        self.root = analysis.parsed.root
        structure = self.definition.structure
        self.structure = structure
        self.style = structure.block_style
        self.separation = structure.statements
        self.sections = structure.declarations == "sections"
        self.unit = " " * self.definition.formatting.indent_width
        self.fold = not self.definition.lexical.case_sensitive

    # -------------------------------------------------- words

    def keyword(self, concept: str) -> str:
        spelling = self.definition.spelling(concept)
        if spelling is None:
            raise RefactorRefused(f"{self.definition.name} has no '{concept}' construct")
        return spelling

    def key(self, word: str) -> str:
        return word.lower() if self.fold else word

    def check_name(self, name: str) -> None:
        if not re.fullmatch(self.definition.lexical.identifier, name) or self.is_reserved(name):
            raise RefactorRefused(f"'{name}' is not a valid new name in {self.definition.name}")

    def is_reserved(self, name: str) -> bool:
        words = {self.key(s) for spellings in self.definition.keywords.values()
                 for s in spellings}
        return self.key(name) in words or self.definition.builtin(name) is not None

    @property
    def terminator(self) -> str:
        """What ends a simple statement: ';' where every statement is terminated."""
        return ";" if self.separation is StatementSeparation.TERMINATOR else ""

    @property
    def separator(self) -> str:
        """What goes between two statements where ';' separates them (Pascal)."""
        return ";" if self.separation is StatementSeparation.SEPARATOR else ""

    @property
    def entry_end(self) -> str:
        """What ends an entry of a declaration section."""
        return "" if self.separation is StatementSeparation.NEWLINE else ";"

    # -------------------------------------------------- types

    def type_text(self, found: object) -> str | None:
        """The language's spelling of an inferred type, when it can be written down."""
        report = self.analysis.types
        if found is None or report is None:
            return None
        text: str = report.display(found)
        known = {self.key(n) for n in self.definition.types}
        known |= {self.key(s.name) for s in self.analysis.model.symbols
                  if s.kind == SymbolKind.TYPE}
        words = re.findall(self.definition.lexical.identifier, text)
        rest = re.sub(self.definition.lexical.identifier, "", text)
        if not words or any(self.key(w) not in known for w in words) or rest.strip("[] "):
            return None
        return text

    def annotated(self, name: str, type_text: str | None, where: Iterable[str]) -> str:
        symbol = self.structure.type_annotation
        if not type_text or not symbol:
            return name
        space = " " if self.spaced_before(symbol, where) else ""
        return f"{name}{space}{symbol} {type_text}"

    def spaced_before(self, symbol: str, where: Iterable[str]) -> bool:
        """Does this file write a space before ``symbol`` (': ' or ' : ')? Word symbols
        (AS) and arrows always have one; otherwise the file's first use decides, in
        ``where`` if it has one there, else in any declaration."""
        if symbol[:1].isalnum() or len(symbol) > 1:
            return True
        if self.definition.grammar is not None:  # a grammar's tree has no K.* kinds
            return mostly_spaced(self.text, symbol,
                                 r"[\w)]" if K.RESULT_TYPE in where else r"\w")
        for kinds in (set(where), DECLARATION_KINDS):
            found = self._space_before(symbol, kinds)
            if found is not None:
                return found
        return False

    def _space_before(self, symbol: str, kinds: Collection[str]) -> bool | None:
        for node in self.root.descendants():
            if node.kind in kinds:
                token = next((t for t in node.tokens() if t.text == symbol), None)
                if token is not None:
                    return token.start > 0 and self.text[token.start - 1] in " \t"
        return None

    def annotates_declarations(self) -> bool:
        """Do this file's declaration statements mostly spell out their types?"""
        lets = [n for n in self.root.descendants() if n.kind == K.LET_STMT]
        typed = sum(1 for n in lets if n.child_of_kind(K.TYPE_REF, K.LIST_TYPE, K.ARRAY_TYPE))
        return typed * 2 > len(lets)

    # -------------------------------------------------- statements

    def declaring_keyword(self) -> str | None:
        """The keyword of a declaration statement, the file's favourite if it has one."""
        concepts = [c for c in DECLARING if self.definition.has(c)
                    and (c == "let" or not self.sections)]
        if not concepts:
            return None
        used = Counter(t.kind for n in self.root.descendants() if n.kind == K.LET_STMT
                       for t in [n.first_token()] if t is not None)
        best = max(concepts, key=lambda c: (used[KEYWORD_PREFIX + c], -concepts.index(c)))
        return self.keyword(best)

    def declaration(self, name: str, type_text: str | None, value: str | None) -> str:
        keyword = self.declaring_keyword()
        if keyword is None:
            if value is None:
                raise RefactorRefused(f"{self.definition.name} cannot declare a variable "
                                      f"in a statement")
            return self.assignment(name, value) + self.terminator
        shown = type_text if value is None or self.annotates_declarations() else None
        head = f"{keyword} {self.annotated(name, shown, (K.LET_STMT,))}"
        if value is None:
            return head + self.terminator
        return f"{head} {self.structure.assignment} {value}{self.terminator}"

    def assignment(self, target: str, value: str) -> str:
        return f"{target} {self.structure.assignment} {value}"

    def declaring_prefix(self, statement: SyntaxNode, target: SyntaxNode,
                         type_text: str | None) -> TextEdit:
        """Turn ``x = value`` into the language's declaration ``let x = value``."""
        keyword = self.declaring_keyword()
        if keyword is None:
            raise RefactorRefused(f"{self.definition.name} declares variables by assigning "
                                  f"them")
        shown = type_text if self.annotates_declarations() else None
        declared = self.annotated(target.text, shown, (K.LET_STMT,))
        return TextEdit(statement.start, target.end, f"{keyword} {declared}")

    def statement_end(self, statement: SyntaxNode) -> int:
        """Where a statement ends, without the ';' that separates it from the next one."""
        if self.separation is StatementSeparation.TERMINATOR:
            return statement.end
        return core_end(statement)

    def wrapped(self, statements: list[str], indent: str) -> str:
        """Statements as one block statement: BEGIN..END or { }."""
        if self.style is BlockStyle.BRACES:
            opener, closer = "{", "}"
        else:
            opener, closer = self.keyword("begin"), self.keyword("end")
        inner = indent + self.unit
        body = (self.separator + "\n").join(
            inner + shift(s, self.unit) for s in statements)
        return f"{opener}\n{body}\n{indent}{closer}"

    def removal(self, statement: SyntaxNode) -> list[TextEdit]:
        """Remove a statement: its whole line when nothing else is on it."""
        return [remove_lines(self.text, statement.start, statement.end)]

    def declarations_removal(self, symbols: Iterable[Symbol]) -> list[TextEdit]:
        """Remove the declarations of ``symbols``: a name from ``a, b : T``, a whole
        declaration, or a whole section once none of its entries is left."""
        removed = {s.start for s in symbols}
        declarations = {}
        for symbol in symbols:
            node = self.root.covering_node(symbol.decl_start, symbol.decl_end)
            declarations[(node.start, node.end)] = node
        edits, emptied = [], []
        for node in declarations.values():
            names = node.children_of_kind(K.NAME)
            kept = [n.text for n in names if n.start not in removed]
            if kept:
                edits.append(TextEdit(names[0].start, names[-1].end, ", ".join(kept)))
            else:
                emptied.append(node)
        return edits + self._emptied_removal(emptied)

    def _emptied_removal(self, emptied: list[SyntaxNode]) -> list[TextEdit]:
        gone = {(n.start, n.end) for n in emptied}
        edits, sections = [], set()
        for node in emptied:
            section = node.parent
            if section is not None and section.kind in (K.VAR_SECTION, K.CONST_SECTION) \
                    and all((d.start, d.end) in gone
                            for d in section.children_of_kind(K.VAR_DECL, K.CONST_DECL)):
                if (section.start, section.end) not in sections:
                    sections.add((section.start, section.end))
                    edits.append(remove_lines(self.text, section.start, section.end))
            else:
                edits.append(remove_lines(self.text, node.start, node.end))
        return edits

    # -------------------------------------------------- sections (VAR name : TYPE;)

    def add_var_entry(self, routine: SyntaxNode | None, name: str,
                      type_text: str | None) -> TextEdit:
        if type_text is None:
            raise RefactorRefused(f"the type of '{name}' is not known")
        owner = routine if routine is not None else self.root
        entry = self.annotated(name, type_text, (K.VAR_DECL,)) + self.entry_end
        sections = owner.children_of_kind(K.VAR_SECTION)
        if sections and sections[-1].children_of_kind(K.VAR_DECL):
            last = sections[-1].children_of_kind(K.VAR_DECL)[-1]
            indent = indent_of(self.text, last.start)
            at = line_end(self.text, last.end)
            return TextEdit(at, at, "\n" + indent + entry)
        anchor = next((c for c in owner.children() if c.kind in (K.FUNCTION_DECL, K.BLOCK)),
                      None)
        if anchor is None:
            raise RefactorRefused("there is no place for a variable section")
        at, indent = routine_insertion(self, anchor)
        section = f"{indent}{self.keyword('var')}\n{indent}{self.unit}{entry}\n"
        return TextEdit(at, at, section + ("\n" if anchor.kind == K.FUNCTION_DECL else ""))

    # -------------------------------------------------- routines

    def parameter_list(self, params: list[tuple[str, str | None]]) -> str:
        if not params and self.omits_empty_parentheses():
            return ""
        where = (K.PARAM_GROUP,)
        if not self.sections:
            return "(" + ", ".join(self.annotated(n, t, where) for n, t in params) + ")"
        groups: list[tuple[list[str], str | None]] = []
        for name, type_text in params:
            if groups and groups[-1][1] == type_text:
                groups[-1][0].append(name)
            else:
                groups.append(([name], type_text))
        return "(" + "; ".join(self.annotated(", ".join(names), t, where)
                               for names, t in groups) + ")"

    def omits_empty_parentheses(self) -> bool:
        """Does the file declare routines without parameters as ``SUB Banner``?"""
        routines = [n for n in self.root.descendants() if n.kind == K.FUNCTION_DECL]
        return any(n.child_of_kind(K.PARAM_LIST) is None for n in routines)

    def call(self, name: str, args: list[str]) -> str:
        if not args and self.omits_empty_parentheses():
            return name
        return f"{name}({', '.join(args)})"

    def result_clause(self, type_text: str | None) -> str:
        symbol = self.structure.result_type
        if not type_text or not symbol:
            return ""
        space = " " if self.spaced_before(symbol, (K.RESULT_TYPE,)) else ""
        return f"{space}{symbol} {type_text}"

    def result_statement(self, routine: str, value: str) -> str:
        if self.structure.function_result == "name":
            return self.assignment(routine, value) + self.terminator
        return f"{self.keyword('return')} {value}{self.terminator}"

    def routine(self, concept: str, header: str, locals_: list[tuple[str, str | None]],
                body: list[str]) -> str:
        """A whole routine, its lines indented relative to the routine itself."""
        declarations: list[str] = []
        if self.sections and locals_:
            declarations = [self.keyword("var")] + [
                self.unit + self.annotated(n, t, (K.VAR_DECL,)) + self.entry_end
                for n, t in locals_]
        elif locals_:
            body = [self.declaration(n, t, None) for n, t in locals_] + body
        joined = (self.separator + "\n").join(self.unit + shift(s, self.unit) for s in body)
        if self.style is BlockStyle.BEGIN_END:
            return "\n".join([header + ";", *declarations, self.keyword("begin"), joined,
                              self.keyword("end") + self.separator])
        if self.style is BlockStyle.BRACES:
            return "\n".join([header + " {", joined, "}"])
        if self.style is BlockStyle.INDENTATION:
            return "\n".join([header + self.structure.block_open, joined])
        return "\n".join([header, joined, self.routine_terminator(concept)])

    def routine_terminator(self, concept: str) -> str:
        """END FUNCTION, fin función, ENDFUNCTION: what closes a keyword-terminated routine."""
        dedicated = self.definition.spelling("end" + concept)
        if dedicated is not None:
            return dedicated
        return f"{self.keyword('end')} {self.keyword(concept)}"

    # -------------------------------------------------- text

    def is_comment_line(self, line: str) -> bool:
        stripped = line.strip()
        lexical = self.definition.lexical
        if any(stripped.startswith(p) for p in lexical.line_comments):
            return True
        return any(stripped.startswith(c.open) and stripped.endswith(c.close)
                   for c in lexical.block_comments)

    def operator(self, node: SyntaxNode) -> tuple[int, Associativity] | None:
        token = next((t for t in node.tokens()), None)
        if token is None:
            return None
        for op in self.definition.operators:
            if op.binary and self.key(op.symbol) == self.key(token.text):
                return op.precedence, op.associativity
        return (-1, Associativity.NONE) if token.text == ".." else None


def routine_insertion(syntax: LanguageSyntax, anchor: SyntaxNode) -> tuple[int, str]:
    """Where a new routine goes: at the start of the anchor's line, above any comment
    lines right before it; and the anchor's indentation."""
    text = syntax.text
    at = line_start(text, anchor.start)
    while at > 0:
        previous = line_start(text, at - 1)
        if not syntax.is_comment_line(text[previous:at - 1]):
            break
        at = previous
    return at, indent_of(text, anchor.start)
