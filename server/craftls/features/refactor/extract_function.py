"""Extract function/procedure: move the selected statements into a new routine."""

from __future__ import annotations

from ...semantics.diagnostics import FileAnalysis
from ...semantics.model import Reference, Scope, Symbol, SymbolKind
from ...syntax import kinds as K
from ...syntax.incremental import TextEdit
from ...syntax.tree import SyntaxNode
from .errors import RefactorRefused
from .grammar_extract import GrammarFunctionPlan
from .syntax import LanguageSyntax, routine_insertion
from .text import dedent, line_start, trim
from .tree import LOOPS, core_end, first_child, initializer_of, is_statement_list, routine_of
from .verify import verified

VALUE_KINDS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.LOOP_VARIABLE,
               SymbolKind.CONSTANT)
NOT_EXTRACTABLE = frozenset({K.FUNCTION_DECL, K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION,
                             K.IMPORT_STMT, K.PROGRAM_HEADER, K.PROGRAM_END, K.ERROR})


def extract_function(analysis: FileAnalysis, start: int, end: int,
                     name: str = "extracted") -> tuple[TextEdit, ...]:
    """Move the selected statements into a new function or procedure placed before the
    enclosing routine (or before the top-level statement), and call it in their place."""
    return function_plan(analysis, start, end, name).edits()


def function_plan(analysis: FileAnalysis, start: int, end: int, name: str
                  ) -> FunctionPlan | GrammarFunctionPlan:
    """The grammar's own writer when its definition gives ``extract_function``; else the
    keyword-level one (a grammar without it: QBasic's main-module statements)."""
    grammar = analysis.parsed.definition.grammar
    if grammar is not None and grammar.extract_function is not None:
        return GrammarFunctionPlan(analysis, start, end, name)
    return FunctionPlan(analysis, start, end, name)


class FunctionPlan:
    """What the extracted routine needs: its statements, parameters, locals, result."""

    def __init__(self, analysis: FileAnalysis, start: int, end: int, name: str) -> None:
        self.analysis = analysis
        self.syntax = syntax = LanguageSyntax(analysis)
        self.model = analysis.model
        self.name = name
        syntax.check_name(name)
        self.container, self.statements = _selected_statements(syntax, start, end)
        self.start = self.statements[0].start
        self.end = syntax.statement_end(self.statements[-1])
        self.routine = routine_of(self.container)
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
            and initializer_of(declaration) is None \
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

    def edits(self) -> tuple[TextEdit, ...]:
        syntax = self.syntax
        at, indent = routine_insertion(syntax, self.anchor)
        routine = self._routine_text()
        new_text = "".join(indent + line + "\n" if line else "\n"
                           for line in routine.splitlines()) + "\n"
        if at > 0 and syntax.text[line_start(syntax.text, at - 1):at].strip():
            new_text = "\n" + new_text
        edits = [TextEdit(at, at, new_text),
                 TextEdit(self.start, self.end, self._call_statement())]
        edits += syntax.declarations_removal(self.moved)
        return verified(self.analysis, edits, "extracting the routine")

    def _routine_text(self) -> str:
        syntax = self.syntax
        concept = "procedure" if self.routine_kind() == "procedure" else "function"
        keyword = syntax.keyword(concept)
        params = syntax.parameter_list([(p.name, self.type_of(p, required=False))
                                        for p in self.params])
        result_type = self.type_of(self.result, required=False) if self.result else None
        header = f"{keyword} {self.name}{params}{syntax.result_clause(result_type)}"
        body = [dedent(syntax.text, self.start, self.end)]
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


def _selected_statements(syntax: LanguageSyntax, start: int, end: int
                         ) -> tuple[SyntaxNode, list[SyntaxNode]]:
    s, e = trim(syntax.text, start, end)
    if s >= e:
        raise RefactorRefused("select the statements to extract")
    for container in syntax.root.covering_node(s, e).ancestors():
        if not is_statement_list(container):
            continue
        chosen = [c for c in container.children() if c.end > s and c.start < e]
        if chosen and chosen[0].start == s and core_end(chosen[-1]) <= e <= chosen[-1].end:
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
    callee = first_child(call) if call is not None else None
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
