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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from ..language.model import Associativity, BlockStyle, LanguageDefinition, StatementSeparation
from ..semantics.diagnostics import Diagnostic, FileAnalysis, analyze_file
from ..semantics.model import Reference, Scope, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.incremental import TextEdit
from ..syntax.incremental import apply_edits as reparse
from ..syntax.tokens import KEYWORD_PREFIX, PUNCT
from ..syntax.tree import SyntaxNode, SyntaxToken
from .quickfix import Replacement

EXTRACT = "refactor.extract"
INLINE = "refactor.inline"
QUICKFIX = "quickfix"

VALUE_KINDS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.LOOP_VARIABLE,
               SymbolKind.CONSTANT)
LOOPS = frozenset({K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.REPEAT_STMT})
COMPOUND_BODIES = frozenset({K.IF_STMT, K.ELIF_CLAUSE, K.ELSE_CLAUSE, K.WHILE_STMT, K.FOR_STMT,
                             K.FOR_IN_STMT, K.CASE_ARM})
NOT_EXTRACTABLE = frozenset({K.FUNCTION_DECL, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
                             K.IMPORT_STMT, K.PROGRAM_HEADER, K.PROGRAM_END, K.ERROR})
ATOMIC = frozenset({K.LITERAL, K.NAME_REF, K.PAREN_EXPR, K.CALL_EXPR, K.INDEX_EXPR,
                    K.MEMBER_EXPR, K.LIST_EXPR})
DECLARING = ("let", "var", "dim")
DECLARATION_KINDS = frozenset({K.PARAM_GROUP, K.VAR_DECL, K.LET_STMT, K.CONST_DECL,
                               K.RESULT_TYPE, K.FIELD_DECL})
CHECKED_CODES = ("undefined-name", "duplicate-declaration")


class RefactorRefused(Exception):
    """The refactoring does not apply here; the message says why."""


@dataclass(frozen=True)
class Action:
    title: str
    kind: str  # refactor.extract | refactor.inline | quickfix
    edits: tuple[Replacement, ...]
    preferred: bool = False


def refactor_actions(analysis: FileAnalysis, start: int, end: int) -> list[Action]:
    """The refactorings that apply to the range [start, end] (a selection or a cursor)."""
    attempts: list[Callable[[], Action]] = []
    if analysis.parsed.text[start:end].strip():
        attempts += [partial(_extract_variable_action, analysis, start, end),
                     partial(_extract_function_action, analysis, start, end)]
    attempts.append(partial(_inline_action, analysis, start))
    attempts += [partial(_declare_action, analysis, d) for d in analysis.diagnostics
                 if d.code == "undefined-name" and d.start <= end and start <= d.end]
    return [action for action in map(_attempt, attempts) if action is not None]


def _attempt(make: Callable[[], Action]) -> Action | None:
    try:
        return make()
    except RefactorRefused:
        return None


def _extract_variable_action(analysis: FileAnalysis, start: int, end: int) -> Action:
    name = fresh_name(analysis, "value")
    return Action(f"Extract to variable '{name}'", EXTRACT,
                  extract_variable(analysis, start, end, name))


def _extract_function_action(analysis: FileAnalysis, start: int, end: int) -> Action:
    name = fresh_name(analysis, "extracted")
    plan = _FunctionPlan(analysis, start, end, name)
    return Action(f"Extract to {plan.routine_kind()} '{name}'", EXTRACT, plan.edits())


def _inline_action(analysis: FileAnalysis, offset: int) -> Action:
    edits = inline_variable(analysis, offset)
    symbol = analysis.model.symbol_at(offset)
    return Action(f"Inline variable '{symbol.name if symbol else ''}'", INLINE, edits)


def _declare_action(analysis: FileAnalysis, diagnostic: Diagnostic) -> Action:
    edits = declare_variable(analysis, diagnostic)
    return Action(f"Declare variable '{diagnostic.data.get('name', '')}'", QUICKFIX, edits)


# ------------------------------------------------------------------ extract variable

def extract_variable(analysis: FileAnalysis, start: int, end: int,
                     name: str = "value") -> tuple[Replacement, ...]:
    """Declare ``name`` with the selected expression as its value just before the
    statement that uses it, and use ``name`` in its place."""
    syntax = _Syntax(analysis)
    syntax.check_name(name)
    expr = _selected_expression(analysis, start, end)
    statement, placement = _statement_for(syntax, expr)
    value = expr.text
    type_text = syntax.type_text(analysis.types.expression_type(expr.start, expr.end)
                                 if analysis.types is not None else None)
    edits = []
    if syntax.sections:
        edits.append(syntax.add_var_entry(_routine_of(statement), name, type_text))
        new_statement = syntax.assignment(name, value) + syntax.terminator
    else:
        new_statement = syntax.declaration(name, type_text, value)
    edits += _insert_statement(syntax, statement, placement, new_statement, expr, name)
    return _verified(analysis, edits, "extracting the variable")


def _selected_expression(analysis: FileAnalysis, start: int, end: int) -> SyntaxNode:
    text = analysis.parsed.text
    s, e = _trim(text, start, end)
    node = analysis.parsed.root.covering_node(s, e)
    while node.parent is not None and node.parent.kind in K.EXPRESSIONS \
            and (node.parent.start, node.parent.end) == (node.start, node.end):
        node = node.parent
    if node.kind not in K.EXPRESSIONS or (node.start, node.end) != (s, e):
        raise RefactorRefused("select a whole expression to extract")
    _check_expression_place(node)
    return node


def _check_expression_place(node: SyntaxNode) -> None:
    parent = node.parent
    first = _first_child(parent) if parent is not None else None
    if parent is None:
        raise RefactorRefused("select a whole expression to extract")
    if parent.kind == K.EXPR_STMT:
        raise RefactorRefused("the statement's expression gives no value to extract")
    if _is_assignment_target(node):
        raise RefactorRefused("an assignment's target cannot be extracted")
    if parent.kind == K.CALL_EXPR and first == node:
        raise RefactorRefused("a routine's name cannot be extracted")
    if parent.kind == K.MEMBER_EXPR and first != node:
        raise RefactorRefused("a member's name cannot be extracted")
    if parent.kind == K.CASE_ARM:
        raise RefactorRefused("a case label cannot be extracted")
    if any(a.kind in (K.PARAM_LIST, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
                      K.IMPORT_STMT) for a in node.ancestors()):
        raise RefactorRefused("only expressions inside statements can be extracted")


def _is_assignment_target(node: SyntaxNode) -> bool:
    """``x`` or ``x[i]`` or ``x.f`` left of an assignment (its index is an ordinary value)."""
    while node.parent is not None and node.parent.kind in (K.INDEX_EXPR, K.MEMBER_EXPR) \
            and _first_child(node.parent) == node:
        node = node.parent
    return node.parent is not None and node.parent.kind == K.ASSIGN_STMT \
        and _first_child(node.parent) == node


def _statement_for(syntax: _Syntax, expr: SyntaxNode) -> tuple[SyntaxNode, str]:
    """The statement to declare the variable before, and how: on the line above it
    ("line"), right before it after a ';' on the same line ("inline"), or by wrapping it
    in a block first ("wrap": a lone statement in a BEGIN..END or brace language's body)."""
    child = expr
    for node in expr.ancestors():
        if node is expr:
            continue
        _check_evaluation_order(node, child)
        if node.kind in K.STATEMENTS and node.kind != K.BLOCK:
            return node, _placement(syntax, node)
        child = node
    raise RefactorRefused("the expression is not inside a statement")


def _check_evaluation_order(node: SyntaxNode, child: SyntaxNode) -> None:
    """Moving an expression out of a loop's condition or an ELSE IF condition would
    change how often (or whether) it is evaluated."""
    if child.kind not in K.EXPRESSIONS:
        return
    if node.kind in (K.WHILE_STMT, K.REPEAT_STMT):
        raise RefactorRefused("a loop condition is evaluated on every turn; "
                              "it cannot be extracted before the loop")
    if node.kind == K.ELIF_CLAUSE:
        raise RefactorRefused("this condition is evaluated only when the ones before it "
                              "fail; it cannot be extracted before the statement")
    if node.kind in (K.FOR_STMT, K.FOR_IN_STMT) and _after_body(node, child):
        raise RefactorRefused("select an expression of the loop's header or body")


def _after_body(loop: SyntaxNode, child: SyntaxNode) -> bool:
    return any(c.start < child.start and (c.kind in K.STATEMENTS) for c in loop.children())


def _placement(syntax: _Syntax, statement: SyntaxNode) -> str:
    parent = statement.parent
    if parent is not None and _is_statement_list(parent):
        if _starts_line(syntax.text, statement.start):
            return "line"
        if _after_separator(syntax.text, statement):
            return "inline"
    if parent is not None and parent.kind in COMPOUND_BODIES \
            and syntax.style in (BlockStyle.BEGIN_END, BlockStyle.BRACES):
        return "wrap"
    raise RefactorRefused("the expression's statement shares its line with another "
                          "construct; put it on a line of its own first")


def _after_separator(text: str, statement: SyntaxNode) -> bool:
    """Does the statement follow another one and its ';' on the same line?"""
    before = text[_line_start(text, statement.start):statement.start].rstrip()
    return before.endswith(";")


def _insert_statement(syntax: _Syntax, statement: SyntaxNode, placement: str,
                      new_statement: str, expr: SyntaxNode, name: str) -> list[Replacement]:
    text = syntax.text
    use = Replacement(expr.start, expr.end, name)
    if placement == "line":
        indent = _indent_of(text, statement.start)
        return [Replacement(statement.start, statement.start,
                            new_statement + syntax.separator + "\n" + indent), use]
    if placement == "inline":
        joined = new_statement if new_statement.endswith(";") else new_statement + ";"
        return [Replacement(statement.start, statement.start, joined + " "), use]
    end = syntax.statement_end(statement)
    original = (text[statement.start:expr.start] + name + text[expr.end:end])
    return [Replacement(statement.start, end,
                        syntax.wrapped([new_statement, original], _indent_of(text,
                                                                            statement.start)))]


# ------------------------------------------------------------------ extract function

def extract_function(analysis: FileAnalysis, start: int, end: int,
                     name: str = "extracted") -> tuple[Replacement, ...]:
    """Move the selected statements into a new function or procedure placed before the
    enclosing routine (or before the top-level statement), and call it in their place."""
    return _FunctionPlan(analysis, start, end, name).edits()


class _FunctionPlan:
    """What the extracted routine needs: its statements, parameters, locals, result."""

    def __init__(self, analysis: FileAnalysis, start: int, end: int, name: str) -> None:
        self.analysis = analysis
        self.syntax = syntax = _Syntax(analysis)
        self.model = analysis.model
        self.name = name
        syntax.check_name(name)
        self.container, self.statements = _selected_statements(syntax, start, end)
        self.start = self.statements[0].start
        self.end = syntax.statement_end(self.statements[-1])
        self.routine = _routine_of(self.container)
        self.anchor = self.routine if self.routine is not None else _top_level_item(
            self.statements[0])
        self.place = self._insertion_scope()
        self._check_jumps()
        self._classify()

    # -------------------------------------------------- analysis

    def _insertion_scope(self) -> Scope:
        if self.routine is None:
            return self.model.root_scope
        name = self.routine.child_of_kind(K.NAME)
        symbol = self.model.symbol_at(name.start) if name is not None else None
        if symbol is None:
            raise RefactorRefused("the enclosing routine has no name")
        return symbol.scope

    def _check_jumps(self) -> None:
        for statement in self.statements:
            for node in statement.descendants():
                if node.kind == K.RETURN_STMT:
                    raise RefactorRefused("the selection returns from the routine")
                if node.kind == K.JUMP_STMT and _escapes_selection(node, statement):
                    raise RefactorRefused(f"'{node.text.strip()}' would leave the "
                                          f"extracted code")

    def _classify(self) -> None:
        inside = [r for r in self.model.references if self.start <= r.start < self.end]
        self._check_result_assignment(inside)
        accesses: dict[Symbol, list[Reference]] = {
            s: [] for s in self.model.symbols
            if self.start <= s.start < self.end and s.kind in VALUE_KINDS}
        for ref in inside:
            if ref.symbol is not None and ref.symbol.kind in VALUE_KINDS:
                accesses.setdefault(ref.symbol, []).append(ref)
        self.params: list[Symbol] = []
        self.locals: list[Symbol] = []
        results: list[Symbol] = []
        for symbol, refs in accesses.items():
            role = self._role(symbol, refs)
            if role in ("param", "param+result"):
                self.params.append(symbol)
            if role in ("local", "local+result"):
                self.locals.append(symbol)
            if role.endswith("+result"):
                results.append(symbol)
        if len(results) > 1:
            names = ", ".join(s.name for s in results)
            raise RefactorRefused(f"more than one value ({names}) would need returning")
        self.result = results[0] if results else None
        self.moved = [s for s in self.locals if s is not self.result and self._moves(s)]

    def _moves(self, symbol: Symbol) -> bool:
        """Is a variable used only by the selection, and declared without a value? Its
        declaration then moves into the new routine."""
        declaration = self.analysis.parsed.root.covering_node(symbol.decl_start,
                                                               symbol.decl_end)
        return symbol.kind == SymbolKind.VARIABLE \
            and declaration.kind in (K.VAR_DECL, K.LET_STMT) \
            and _initializer(declaration) is None \
            and all(self._inside(r) for r in self.model.references_to(symbol))

    def _check_result_assignment(self, inside: list[Reference]) -> None:
        for ref in inside:
            symbol = ref.symbol
            if ref.is_write and symbol is not None and symbol.kind == SymbolKind.FUNCTION:
                raise RefactorRefused(f"the selection sets the result of '{symbol.name}'")

    def _role(self, symbol: Symbol, refs: list[Reference]) -> str:
        """declared[+result] | shared | param[+result] | local[+result]."""
        if self.start <= symbol.start < self.end:
            used_after = any(not self._inside(r) for r in self.model.references_to(symbol))
            return "declared+result" if used_after else "declared"
        written = any(r.is_write or _may_change(self.analysis, r) for r in refs)
        if self._visible(symbol):
            shared = written or symbol.kind == SymbolKind.CONSTANT
            return "shared" if shared else "param"
        read_first = not self._accessed_in_order(refs)[0].is_write
        role = "param" if read_first else "local"
        return role + "+result" if written and self._escapes(symbol) else role

    def _inside(self, ref: Reference) -> bool:
        return self.start <= ref.start < self.end

    def _visible(self, symbol: Symbol) -> bool:
        return any(symbol.scope is scope for scope in self.place.chain())

    def _accessed_in_order(self, refs: list[Reference]) -> list[Reference]:
        """A write to a plain assignment's target happens after its right-hand side."""
        root = self.analysis.parsed.root

        def when(ref: Reference) -> int:
            if not ref.is_write:
                return ref.start
            node = root.covering_node(ref.start, ref.end)
            assign = next((a for a in node.ancestors() if a.kind == K.ASSIGN_STMT), None)
            return assign.end if assign is not None else ref.start
        return sorted(refs, key=when)

    def _escapes(self, symbol: Symbol) -> bool:
        """Is the value written in the selection read later (after it, or on the next
        turn of a loop around it)?"""
        loops = [a for a in self.container.ancestors() if a.kind in LOOPS]
        for ref in self.model.references_to(symbol):
            if self._inside(ref):
                continue
            if ref.start >= self.end or any(loop.start <= ref.start < loop.end
                                            for loop in loops):
                return True
        return False

    # -------------------------------------------------- text

    def routine_kind(self) -> str:
        if self.result is None and self.syntax.definition.has("procedure"):
            return "procedure"
        return "function"

    def edits(self) -> tuple[Replacement, ...]:
        syntax = self.syntax
        at, indent = _routine_insertion(syntax, self.anchor)
        routine = self._routine_text()
        new_text = "".join(indent + line + "\n" if line else "\n"
                           for line in routine.splitlines()) + "\n"
        if at > 0 and syntax.text[_line_start(syntax.text, at - 1):at].strip():
            new_text = "\n" + new_text
        edits = [Replacement(at, at, new_text),
                 Replacement(self.start, self.end, self._call_statement())]
        edits += syntax.declarations_removal(self.moved)
        return _verified(self.analysis, edits, "extracting the routine")

    def _routine_text(self) -> str:
        syntax = self.syntax
        concept = "procedure" if self.routine_kind() == "procedure" else "function"
        keyword = syntax.keyword(concept)
        params = syntax.parameter_list([(p.name, self.type_of(p, required=False))
                                        for p in self.params])
        result_type = self.type_of(self.result, required=False) if self.result else None
        header = f"{keyword} {self.name}{params}{syntax.result_clause(result_type)}"
        body = [_dedent(syntax.text, self.start, self.end)]
        if self.result is not None:
            body.append(syntax.result_statement(self.name, self.result.name))
        locals_ = [(s.name, self.type_of(s, required=syntax.sections)) for s in self.locals]
        return syntax.routine(concept, header, locals_, body)

    def _call_statement(self) -> str:
        syntax = self.syntax
        call = syntax.call(self.name, [p.name for p in self.params])
        if self.result is None:
            return call + syntax.terminator
        result = self.result
        if self.start <= result.start < self.end:
            return syntax.declaration(result.name, self.type_of(result, required=False), call)
        return syntax.assignment(result.name, call) + syntax.terminator

    def type_of(self, symbol: Symbol | None, required: bool) -> str | None:
        if symbol is None:
            return None
        found = symbol.type_text
        if found is None and self.analysis.types is not None:
            found = self.syntax.type_text(self.analysis.types.type_of_symbol(symbol))
        if found is None and required:
            raise RefactorRefused(f"the type of '{symbol.name}' is not known")
        return found


def _selected_statements(syntax: _Syntax, start: int, end: int
                         ) -> tuple[SyntaxNode, list[SyntaxNode]]:
    s, e = _trim(syntax.text, start, end)
    if s >= e:
        raise RefactorRefused("select the statements to extract")
    for container in syntax.root.covering_node(s, e).ancestors():
        if not _is_statement_list(container):
            continue
        chosen = [c for c in container.children() if c.end > s and c.start < e]
        if chosen and chosen[0].start == s and _core_end(chosen[-1]) <= e <= chosen[-1].end:
            bad = next((c for c in chosen if c.kind in NOT_EXTRACTABLE), None)
            if bad is not None:
                raise RefactorRefused("only statements can be extracted, not declarations")
            return container, chosen
    raise RefactorRefused("the selection must be whole statements of one block")


def _escapes_selection(jump: SyntaxNode, statement: SyntaxNode) -> bool:
    token = jump.first_token()
    if token is None or token.kind not in ("kw_break", "kw_continue"):
        return token is not None and token.kind == "kw_exit"
    for node in jump.ancestors():
        if node.kind in LOOPS:
            return not (statement.start <= node.start and node.end <= statement.end)
    return True


def _may_change(analysis: FileAnalysis, ref: Reference) -> bool:
    """May a call change the variable given to it bare? A VAR parameter of a routine of
    the file, or a fixed-arity builtin without a result (Inc(x), ReadLn(x)) may; a
    variadic output builtin (WriteLn, PRINT) does not."""
    node = analysis.parsed.root.covering_node(ref.start, ref.end)
    if node.kind != K.NAME_REF or node.parent is None or node.parent.kind != K.ARG_LIST:
        return False
    call = node.parent.parent
    callee = _first_child(call) if call is not None else None
    if callee is None or callee.kind != K.NAME_REF:
        return False
    builtin = analysis.parsed.definition.builtin(callee.text.strip())
    if builtin is not None:
        return builtin.returns == "none" and builtin.max_args is not None
    routine = analysis.model.symbol_at(callee.start)
    index = [c.start for c in node.parent.children()].index(node.start)
    if routine is None or index >= len(routine.params):
        return False
    group = analysis.parsed.root.covering_node(routine.params[index].decl_start,
                                               routine.params[index].decl_end)
    first = group.first_token()
    return first is not None and first.kind == "kw_var"


def _top_level_item(node: SyntaxNode) -> SyntaxNode:
    for ancestor in node.ancestors():
        if ancestor.parent is not None and ancestor.parent.kind == K.SOURCE_FILE:
            return ancestor
    return node


def _routine_insertion(syntax: _Syntax, anchor: SyntaxNode) -> tuple[int, str]:
    """Where a new routine goes: at the start of the anchor's line, above any comment
    lines right before it; and the anchor's indentation."""
    text = syntax.text
    at = _line_start(text, anchor.start)
    while at > 0:
        previous = _line_start(text, at - 1)
        if not syntax.is_comment_line(text[previous:at - 1]):
            break
        at = previous
    return at, _indent_of(text, anchor.start)


# ------------------------------------------------------------------ inline variable

def inline_variable(analysis: FileAnalysis, offset: int) -> tuple[Replacement, ...]:
    """Replace every use of the variable at ``offset`` by the expression it is assigned
    (once), and remove that assignment and its declaration."""
    syntax = _Syntax(analysis)
    symbol = analysis.model.symbol_at(offset)
    if symbol is None or symbol.kind not in (SymbolKind.VARIABLE, SymbolKind.CONSTANT):
        raise RefactorRefused("there is no variable to inline here")
    declaration = syntax.root.covering_node(symbol.decl_start, symbol.decl_end)
    assignment, value = _single_assignment(analysis, symbol, declaration)
    reads = [r for r in analysis.model.references_to(symbol) if not r.is_write]
    _check_inlinable(analysis, symbol, assignment, value, reads)
    edits = [Replacement(r.start, r.end, _operand_text(syntax, value, r)) for r in reads]
    edits += syntax.removal(assignment)
    if assignment != declaration:
        edits += syntax.declarations_removal([symbol])
    return _verified(analysis, edits, f"inlining '{symbol.name}'")


def _single_assignment(analysis: FileAnalysis, symbol: Symbol, declaration: SyntaxNode
                       ) -> tuple[SyntaxNode, SyntaxNode]:
    """The statement that gives the variable its only value, and that value."""
    initializer = _initializer(declaration)
    writes = [r for r in analysis.model.references_to(symbol) if r.is_write]
    if initializer is not None and not writes:
        if len(declaration.children_of_kind(K.NAME)) > 1:
            raise RefactorRefused("the declaration declares more than one name")
        return declaration, initializer
    if initializer is not None or len(writes) != 1:
        raise RefactorRefused(f"'{symbol.name}' is assigned more than once")
    target = analysis.parsed.root.covering_node(writes[0].start, writes[0].end)
    statement = target.parent
    value = _initializer(statement) if statement is not None else None
    if statement is None or statement.kind != K.ASSIGN_STMT or value is None \
            or _first_child(statement) != target:
        raise RefactorRefused(f"'{symbol.name}' is not given its value by an assignment")
    return statement, value


def _initializer(node: SyntaxNode) -> SyntaxNode | None:
    """The value of a declaration (``let x = value``) or an assignment."""
    if node.kind not in (K.LET_STMT, K.VAR_DECL, K.CONST_DECL, K.ASSIGN_STMT):
        return None
    children = list(node.children())
    if node.kind == K.ASSIGN_STMT:
        children = children[1:]
    values = [c for c in children if c.kind in K.EXPRESSIONS]
    return values[-1] if values else None


def _check_inlinable(analysis: FileAnalysis, symbol: Symbol, assignment: SyntaxNode,
                     value: SyntaxNode, reads: list[Reference]) -> None:
    if not reads:
        raise RefactorRefused(f"'{symbol.name}' is never read")
    if any(r.start < assignment.end for r in reads):
        raise RefactorRefused(f"'{symbol.name}' is read before it is assigned")
    if len(reads) > 1 and any(n.kind == K.CALL_EXPR for n in value.descendants()):
        raise RefactorRefused("the value calls a routine; inlining it would call it "
                              "more than once")
    used = [r for r in analysis.model.references if value.start <= r.start < value.end]
    for read in reads:
        for name in used:
            _check_same_binding(analysis, name, read)
            _check_unchanged(analysis, name, assignment, read)


def _check_same_binding(analysis: FileAnalysis, name: Reference, read: Reference) -> None:
    scope = read.scope or analysis.model.root_scope
    if scope.lookup(analysis.model.key(name.name)) is not name.symbol:
        raise RefactorRefused(f"'{name.name}' means something else where the variable "
                              f"is used")


def _check_unchanged(analysis: FileAnalysis, name: Reference, assignment: SyntaxNode,
                     read: Reference) -> None:
    if name.symbol is None:
        return
    root = analysis.parsed.root
    loops = [a for a in root.covering_node(read.start, read.end).ancestors()
             if a.kind in LOOPS and not (a.start <= assignment.start < a.end)]
    for write in analysis.model.references_to(name.symbol):
        if not write.is_write:
            continue
        if assignment.end <= write.start < read.start or any(
                loop.start <= write.start < loop.end for loop in loops):
            raise RefactorRefused(f"'{name.name}' changes between the assignment and a use")


def _operand_text(syntax: _Syntax, value: SyntaxNode, read: Reference) -> str:
    site = syntax.root.covering_node(read.start, read.end)
    text = value.text
    return f"({text})" if _needs_parentheses(syntax, value, site) else text


def _needs_parentheses(syntax: _Syntax, value: SyntaxNode, site: SyntaxNode) -> bool:
    parent = site.parent
    if value.kind in ATOMIC or parent is None:
        return False
    if parent.kind in (K.CALL_EXPR, K.INDEX_EXPR, K.MEMBER_EXPR, K.UNARY_EXPR):
        return parent.kind == K.UNARY_EXPR or _first_child(parent) == site
    if parent.kind not in (K.BINARY_EXPR, K.RANGE_EXPR):
        return False
    if value.kind != K.BINARY_EXPR:
        return True
    outer = syntax.operator(parent)
    inner = syntax.operator(value)
    if outer is None or inner is None:
        return True
    if inner[0] != outer[0]:
        return inner[0] < outer[0]
    left = _first_child(parent) == site
    return outer[1] is Associativity.NONE or left == (outer[1] is Associativity.RIGHT)


# ------------------------------------------------------------------ declare variable

def declare_variable(analysis: FileAnalysis, diagnostic: Diagnostic) -> tuple[Replacement, ...]:
    """For an undefined name that is assigned: declare it, in the enclosing scope, with
    the type of the assigned value when it is known."""
    if diagnostic.code != "undefined-name":
        raise RefactorRefused("not an undefined name")
    syntax = _Syntax(analysis)
    ref = _first_unresolved_write(analysis, diagnostic)
    target = syntax.root.covering_node(ref.start, ref.end)
    statement = target.parent
    value = _initializer(statement) if statement is not None else None
    if statement is None or value is None:
        raise RefactorRefused(f"'{ref.name}' is not assigned here")
    type_text = syntax.type_text(analysis.types.expression_type(value.start, value.end)
                                 if analysis.types is not None else None)
    if syntax.sections:
        edits = [syntax.add_var_entry(_routine_of(statement), ref.name, type_text)]
    else:
        edits = [syntax.declaring_prefix(statement, target, type_text)]
    return _verified(analysis, edits, f"declaring '{ref.name}'")


def _first_unresolved_write(analysis: FileAnalysis, diagnostic: Diagnostic) -> Reference:
    model = analysis.model
    here = model.at(diagnostic.start)
    if not isinstance(here, Reference) or here.symbol is not None:
        raise RefactorRefused("there is no undefined name here")
    key = model.key(here.name)
    writes = [r for r in model.references if r.symbol is None and r.is_write
              and model.key(r.name) == key and r.scope is here.scope]
    if not writes:
        raise RefactorRefused(f"'{here.name}' is never assigned")
    return min(writes, key=lambda r: r.start)


# ------------------------------------------------------------------ the language's syntax

class _Syntax:
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
        text = report.display(found)
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
                         type_text: str | None) -> Replacement:
        """Turn ``x = value`` into the language's declaration ``let x = value``."""
        keyword = self.declaring_keyword()
        if keyword is None:
            raise RefactorRefused(f"{self.definition.name} declares variables by assigning "
                                  f"them")
        shown = type_text if self.annotates_declarations() else None
        declared = self.annotated(target.text, shown, (K.LET_STMT,))
        return Replacement(statement.start, target.end, f"{keyword} {declared}")

    def statement_end(self, statement: SyntaxNode) -> int:
        """Where a statement ends, without the ';' that separates it from the next one."""
        if self.separation is StatementSeparation.TERMINATOR:
            return statement.end
        return _core_end(statement)

    def wrapped(self, statements: list[str], indent: str) -> str:
        """Statements as one block statement: BEGIN..END or { }."""
        if self.style is BlockStyle.BRACES:
            opener, closer = "{", "}"
        else:
            opener, closer = self.keyword("begin"), self.keyword("end")
        inner = indent + self.unit
        body = (self.separator + "\n").join(
            inner + _shift(s, self.unit) for s in statements)
        return f"{opener}\n{body}\n{indent}{closer}"

    def removal(self, statement: SyntaxNode) -> list[Replacement]:
        """Remove a statement: its whole line when nothing else is on it."""
        return [_remove_lines(self.text, statement.start, statement.end)]

    def declarations_removal(self, symbols: Iterable[Symbol]) -> list[Replacement]:
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
                edits.append(Replacement(names[0].start, names[-1].end, ", ".join(kept)))
            else:
                emptied.append(node)
        return edits + self._emptied_removal(emptied)

    def _emptied_removal(self, emptied: list[SyntaxNode]) -> list[Replacement]:
        gone = {(n.start, n.end) for n in emptied}
        edits, sections = [], set()
        for node in emptied:
            section = node.parent
            if section is not None and section.kind in (K.VAR_SECTION, K.CONST_SECTION) \
                    and all((d.start, d.end) in gone
                            for d in section.children_of_kind(K.VAR_DECL, K.CONST_DECL)):
                if (section.start, section.end) not in sections:
                    sections.add((section.start, section.end))
                    edits.append(_remove_lines(self.text, section.start, section.end))
            else:
                edits.append(_remove_lines(self.text, node.start, node.end))
        return edits

    # -------------------------------------------------- sections (VAR name : TYPE;)

    def add_var_entry(self, routine: SyntaxNode | None, name: str,
                      type_text: str | None) -> Replacement:
        if type_text is None:
            raise RefactorRefused(f"the type of '{name}' is not known")
        owner = routine if routine is not None else self.root
        entry = self.annotated(name, type_text, (K.VAR_DECL,)) + self.entry_end
        sections = owner.children_of_kind(K.VAR_SECTION)
        if sections and sections[-1].children_of_kind(K.VAR_DECL):
            last = sections[-1].children_of_kind(K.VAR_DECL)[-1]
            indent = _indent_of(self.text, last.start)
            at = _line_end(self.text, last.end)
            return Replacement(at, at, "\n" + indent + entry)
        anchor = next((c for c in owner.children() if c.kind in (K.FUNCTION_DECL, K.BLOCK)),
                      None)
        if anchor is None:
            raise RefactorRefused("there is no place for a variable section")
        at, indent = _routine_insertion(self, anchor)
        section = f"{indent}{self.keyword('var')}\n{indent}{self.unit}{entry}\n"
        return Replacement(at, at, section + ("\n" if anchor.kind == K.FUNCTION_DECL else ""))

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
        joined = (self.separator + "\n").join(self.unit + _shift(s, self.unit) for s in body)
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


# ------------------------------------------------------------------ names

def fresh_name(analysis: FileAnalysis, base: str) -> str:
    """``base``, or ``base2``, ``base3``... when the file or the language already uses it."""
    syntax = _Syntax(analysis)
    taken = {syntax.key(s.name) for s in analysis.model.symbols}
    taken |= {syntax.key(r.name) for r in analysis.model.references}
    name, n = base, 1
    while syntax.key(name) in taken or syntax.is_reserved(name):
        n += 1
        name = f"{base}{n}"
    return name


# ------------------------------------------------------------------ checking the result

def apply_edits(text: str, edits: Iterable[Replacement]) -> str:
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[:edit.start] + edit.text + out[edit.end:]
    return out


def _verified(analysis: FileAnalysis, edits: list[Replacement], what: str
              ) -> tuple[Replacement, ...]:
    """The edits, if the result parses and resolves no worse than the file did."""
    ordered = tuple(sorted(edits, key=lambda e: (e.start, e.end)))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise RefactorRefused(f"{what} would need overlapping edits")
    parsed, _ = reparse(analysis.parsed, [TextEdit(e.start, e.end, e.text)
                                          for e in reversed(ordered)])
    if len(parsed.errors) > len(analysis.parsed.errors):
        raise RefactorRefused(f"{what} would not give valid "
                              f"{analysis.parsed.definition.name}: {parsed.errors[0].message}")
    externals: dict[str, str] = {}
    for exports in analysis.modules.values():
        externals.update(exports.names)
    before = _problem_counts(analysis.diagnostics)
    after = _problem_counts(analyze_file(parsed, externals).diagnostics)
    for code in CHECKED_CODES:
        if after[code] > before[code]:
            raise RefactorRefused(f"{what} would add a problem ({code.replace('-', ' ')})")
    return ordered


def _problem_counts(diagnostics: Iterable[Diagnostic]) -> Counter[str]:
    return Counter(d.code for d in diagnostics if d.code in CHECKED_CODES)


# ------------------------------------------------------------------ tree and text helpers

def _is_statement_list(node: SyntaxNode) -> bool:
    if node.kind in (K.BLOCK, K.SOURCE_FILE):
        return True
    return node.kind == K.ELSE_CLAUSE and node.parent is not None \
        and node.parent.kind == K.CASE_STMT


def _routine_of(node: SyntaxNode) -> SyntaxNode | None:
    return next((a for a in node.ancestors() if a.kind == K.FUNCTION_DECL), None)


def _first_child(node: SyntaxNode) -> SyntaxNode | None:
    return next(node.children(), None)


def _core_end(node: SyntaxNode) -> int:
    """The end of a statement without its trailing ';'."""
    tokens = list(_significant(node))
    if len(tokens) > 1 and tokens[-1].kind == PUNCT and tokens[-1].text == ";":
        return tokens[-2].end
    return tokens[-1].end if tokens else node.end


def _significant(node: SyntaxNode) -> Iterator[SyntaxToken]:
    return node.significant_leaves()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def _indent_of(text: str, offset: int) -> str:
    start = _line_start(text, offset)
    line = text[start:_line_end(text, start)]
    return line[:len(line) - len(line.lstrip(" \t"))]


def _starts_line(text: str, offset: int) -> bool:
    return not text[_line_start(text, offset):offset].strip()


def _shift(text: str, unit: str) -> str:
    """Indent every line but the first by ``unit`` (the first is placed by the caller)."""
    return "\n".join([text.split("\n")[0]] + [unit + line if line.strip() else line
                                               for line in text.split("\n")[1:]])


def _dedent(text: str, start: int, end: int) -> str:
    """The text of [start, end) with its continuation lines moved left by the
    indentation of the line it starts on."""
    base = _indent_of(text, start)
    lines = text[start:end].split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        out.append(line[len(base):] if line.startswith(base) else line.lstrip(" \t"))
    return "\n".join(out)


def _remove_lines(text: str, start: int, end: int) -> Replacement:
    """Remove [start, end), with its line when nothing else (but a ';') is on it."""
    line_start = _line_start(text, start)
    line_end = _line_end(text, end)
    rest = text[end:line_end].strip()
    if not text[line_start:start].strip() and rest in ("", ";"):
        return Replacement(line_start, min(line_end + 1, len(text)), "")
    while end < len(text) and text[end] in " \t":
        end += 1
    return Replacement(start, end, "")
