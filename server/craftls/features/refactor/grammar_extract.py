"""Extract function for grammar-defined languages, written as
``grammar.refactoring.extract_function`` says.

The selection is whole statements of one statement list (the file, a body, a ``lines``
node), each starting its line. They move into a new routine put on the lines above the
routine around them (the outermost node that starts on its line), or above their
top-level statement. The names they use are sorted by the model: one visible where the
new routine goes stays as it is; a variable, parameter or constant of the routine around
them that they read before setting becomes a parameter; one they set that is read after
them (or again on the next turn of a loop around them) comes back, by reference
(``by_reference``: Pascal's ``var x: T``) or returned (``returns``/``assign``: Lua's
``return x`` and ``x = f(...)``); one they set that nothing else reads is a ``local``
of the new routine; a local they declare that is read after them is declared by the call
(``declare``: ``local x = f(...)``). A ``return``, ``goto``, label, ``exit`` or
``continue`` (their ``run:``), a ``break`` outside a loop of the selection, a call of one
of ``leaves`` (Pascal's ``Exit``, ``Break``), a setting of a routine's result or a use of
the routine's extra arguments (a function's ``run: varargs``, Lua's ``...``) refuse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...language.model import StatementSeparation
from ...semantics.diagnostics import FileAnalysis
from ...semantics.model import Reference, Scope, Symbol, SymbolKind
from ...syntax.incremental import TextEdit
from ...syntax.tree import SyntaxNode
from .errors import RefactorRefused
from .grammar_declare import written_type
from .grammar_forms import (
    declaration_form,
    names_removed,
    spaced_as_file,
    statement_of,
)
from .syntax import LanguageSyntax, routine_insertion
from .text import dedent, line_start, starts_line, trim
from .verify import verified

VALUE_KINDS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.LOOP_VARIABLE,
               SymbolKind.CONSTANT)
ROUTINE_KINDS = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)
JUMPS = frozenset({"return", "goto", "label", "exit", "continue", "gosub"})
LOOPS = frozenset({"while", "repeat", "for", "loop"})
ROUTINE_CONSTRUCTS = frozenset({"function", "procedure", "function_value"})


@dataclass(frozen=True)
class Parameter:
    name: str
    type_text: str | None
    by_reference: bool = False


class GrammarFunctionPlan:
    """The statements to move, and how the names they use cross into the new routine."""

    def __init__(self, analysis: FileAnalysis, start: int, end: int, name: str) -> None:
        grammar = analysis.parsed.definition.grammar
        spec = grammar.extract_function if grammar is not None else None
        if grammar is None or spec is None:
            raise RefactorRefused(f"{analysis.parsed.definition.name} says no way to write a "
                                  f"routine (grammar.refactoring.extract_function)")
        self.analysis, self.grammar, self.spec, self.name = analysis, grammar, spec, name
        self.text = analysis.parsed.text
        self.model = analysis.model
        LanguageSyntax(analysis).check_name(name)
        self.statements = self._selected(start, end)
        self.start, self.end = self.statements[0].start, self.statements[-1].end
        routine = self._routine_around(self.statements[0])
        self.anchor = self._anchor(routine if routine is not None else self.statements[0],
                                   top=routine is None)
        self.place = self._scope_before(self.anchor)
        self._check_jumps()
        self._classify()

    # -------------------------------------------------- the tree

    def _meaning_of(self, node: SyntaxNode) -> tuple[bool, bool, str]:
        """(scope, holds lines or a body, run construct) of a node."""
        meaning = self.grammar.meanings().get(node.kind)
        production = self.grammar.rule(node.kind)
        construct = production.run.construct if production is not None \
            and production.run is not None else ""
        holds = meaning is not None and (meaning.lines or meaning.block or meaning.scope)
        return bool(meaning and meaning.scope), holds, construct

    def _selected(self, start: int, end: int) -> list[SyntaxNode]:
        s, e = trim(self.text, start, end)
        if s >= e:
            raise RefactorRefused("select the statements to extract")
        for container in self.analysis.parsed.root.covering_node(s, e).ancestors():
            if container.parent is not None and not self._meaning_of(container)[1]:
                continue
            chosen = [c for c in container.children() if c.end > s and c.start < e]
            # the last statement's own ';' may be left out of the selection (`print(n)`
            # of `print(n);`), as the keyword level takes it
            if chosen and chosen[0].start == s \
                    and (chosen[-1].end <= e and self.text[chosen[-1].end:e].strip() in ("", ";")
                         or self.text[e:chosen[-1].end].strip() == ";") \
                    and all(starts_line(self.text, c.start) for c in chosen):
                if any(self._is_routine(n) for c in chosen for n in c.descendants()):
                    raise RefactorRefused("only statements can be extracted, not routines")
                return chosen
        raise RefactorRefused("the selection must be whole statements of one block")

    def _is_routine(self, node: SyntaxNode) -> bool:
        scope, _, construct = self._meaning_of(node)
        return scope and (construct in ROUTINE_CONSTRUCTS or self._declares_routine(node))

    def _declares_routine(self, node: SyntaxNode) -> bool:
        """Does the node (or a child of it: a method body's name) declare a routine?"""
        meanings = self.grammar.meanings()
        declared = [m.declares or m.assigns for m in
                    [meanings.get(node.kind), *(meanings.get(c.kind) for c in node.children())]
                    if m is not None]
        return any(d in ("function", "procedure") for d in declared)

    def _routine_around(self, node: SyntaxNode) -> SyntaxNode | None:
        return next((a for a in node.ancestors() if a != node and self._is_routine(a)),
                    None)

    def _anchor(self, node: SyntaxNode, top: bool) -> SyntaxNode:
        """What the new routine goes above: the routine around the selection with what
        starts on its line (``local function``), the statement that holds it when it is
        a function value (a table's field), or the selection's top-level statement."""
        if not top and not self._declares_routine(node):
            anchor = statement_of(self.analysis, node, itself=True)
        else:
            anchor = node
            for ancestor in node.ancestors():
                if ancestor.parent is None:
                    break
                same_line = line_start(self.text, ancestor.start) \
                    == line_start(self.text, node.start)
                if not (top or same_line):
                    break
                anchor = ancestor
        if not starts_line(self.text, anchor.start):
            raise RefactorRefused("the routine around the selection does not start its line")
        return anchor

    def _scope_before(self, anchor: SyntaxNode) -> Scope:
        """The scope the new routine is declared in: the one around the anchor, not one
        the anchor opens."""
        scope = self.model.scope_at(anchor.start)
        while scope.parent is not None and scope.start >= anchor.start:
            scope = scope.parent
        return scope

    def _check_jumps(self) -> None:
        leaves = {self.model.key(n) for n in self.spec.leaves}
        for statement in self.statements:
            for node in statement.descendants():
                construct = self._meaning_of(node)[2]
                if construct == "return":
                    raise RefactorRefused(f"'{node.text.strip()}' would leave the extracted "
                                          f"code: the selection returns from the routine")
                if construct in JUMPS or construct == "break" and not self._loop_inside(node):
                    raise RefactorRefused(f"'{node.text.strip()}' would leave the extracted "
                                          f"code")
        varargs = {v for p in self.grammar.rules if p.run is not None for v in p.run.varargs}
        for statement in self.statements:
            token = next((t for t in statement.significant_leaves() if t.text in varargs), None)
            if token is not None:
                raise RefactorRefused(f"'{token.text}' is the extra arguments of the routine "
                                      f"around the selection")
        for ref in self._inside_refs():
            if ref.builtin is not None and self.model.key(ref.name) in leaves:
                raise RefactorRefused(f"'{ref.name}' would leave the extracted code")
            if ref.is_write and ref.symbol is not None and ref.symbol.kind in ROUTINE_KINDS:
                raise RefactorRefused(f"the selection sets the result of '{ref.name}'")

    def _loop_inside(self, node: SyntaxNode) -> bool:
        for ancestor in node.ancestors():
            if ancestor.start < self.start:
                return False
            if ancestor != node and self._meaning_of(ancestor)[2] in LOOPS:
                return True
        return False

    # -------------------------------------------------- the names

    def _inside_refs(self) -> list[Reference]:
        return [r for r in self.model.references if self.start <= r.start < self.end]

    def _inside(self, offset: int) -> bool:
        return self.start <= offset < self.end

    def _classify(self) -> None:
        accesses: dict[Symbol, list[Reference]] = {}
        for ref in self._inside_refs():
            if ref.symbol is not None and ref.symbol.kind in VALUE_KINDS:
                accesses.setdefault(ref.symbol, []).append(ref)
        self.params: list[Parameter] = []
        self.locals: list[Parameter] = []
        self.moved: list[Symbol] = []  # variables that become the new routine's own
        self.results: list[Symbol] = []
        for symbol, refs in accesses.items():
            written = any(self._writes(r) or self._may_change(r) for r in refs)
            if self._inside(symbol.start) or self._visible(symbol):
                if self.spec.pass_read and not self._inside(symbol.start) and not written \
                        and symbol.kind != SymbolKind.CONSTANT:
                    self.params.append(Parameter(symbol.name, self._type(symbol)))
                continue
            ordered = sorted(refs, key=self._when)
            read_first = not self._writes(ordered[0])
            needed = written and self._read_later(symbol)
            by_reference = needed and bool(self.spec.by_reference)
            if read_first or by_reference:
                self.params.append(Parameter(symbol.name, self._type(symbol), by_reference))
            elif not needed:
                self.locals.append(Parameter(symbol.name, self._type(symbol)))
                self.moved.append(symbol)
            if needed and not by_reference:
                self.results.append(symbol)
                if not read_first:  # set first: the new routine's own, returned
                    self.locals.append(Parameter(symbol.name, self._type(symbol)))
        self._check_results()

    def _may_change(self, ref: Reference) -> bool:
        """Is the variable given bare to a builtin without a result and of a fixed
        number of arguments (Inc(x), ReadLn(x))? It may change it: a variadic output
        builtin (WriteLn, PRINT) does not."""
        node = self.analysis.parsed.root.covering_node(ref.start, ref.end)
        arguments = node.parent
        call = arguments.parent if arguments is not None else None
        callee = next(call.children(), None) if call is not None else None
        if arguments is None or callee is None or callee.end > arguments.start:
            return False
        builtin = self.analysis.parsed.definition.builtin(callee.text.strip())
        return builtin is not None and builtin.returns == "none" \
            and builtin.max_args is not None

    def _check_results(self) -> None:
        """The locals the selection declares that are read after it are declared by the
        call; they cannot come back with values it sets of variables declared before."""
        declared_results = [s for s in self.model.symbols
                            if self._inside(s.start) and s.kind in VALUE_KINDS
                            and any(not self._inside(r.start)
                                    for r in self.model.references_to(s))]
        if declared_results and self.results:
            raise RefactorRefused("the selection both declares and sets values used after it")
        self.declared = bool(declared_results)
        self.results += declared_results
        if self.spec.one_result and len(self.results) > 1:
            names = ", ".join(s.name for s in self.results)
            raise RefactorRefused(f"more than one value ({names}) would need returning")
        declares = self.spec.declare or self.grammar.declare_variable
        if self.results and not (self.spec.returns and self.spec.assign
                                 and (declares or not self.declared)):
            names = ", ".join(s.name for s in self.results)
            raise RefactorRefused(f"{names} would need returning, which "
                                  f"grammar.refactoring.extract_function does not write")

    def _visible(self, symbol: Symbol) -> bool:
        """Does the name mean the same where the new routine goes?"""
        return self.place.lookup(self.model.key(symbol.name), self.anchor.start) is symbol

    def _writes(self, ref: Reference) -> bool:
        """A write, or a counted loop's control variable (the first name of a ``run:
        for`` node, which sets it)."""
        if ref.is_write:
            return True
        node = self.analysis.parsed.root.covering_node(ref.start, ref.end)
        while node.parent is not None and (node.parent.start, node.parent.end) \
                == (node.start, node.end):
            node = node.parent
        parent = node.parent
        if parent is None or self._meaning_of(parent)[2] != "for":
            return False
        first = next((r for r in self.model.references
                      if parent.start <= r.start < parent.end), None)
        return first is ref

    def _when(self, ref: Reference) -> int:
        """An assignment (``run: assign``) writes after its value is computed; a loop's
        control variable before its body runs."""
        if not self._writes(ref):
            return ref.start
        node = self.analysis.parsed.root.covering_node(ref.start, ref.end)
        assignment = next((a for a in node.ancestors()
                           if self._meaning_of(a)[2] == "assign"), None)
        return assignment.end if assignment is not None else ref.start

    def _read_later(self, symbol: Symbol) -> bool:
        """Is a value set in the selection read after it, or on a later turn of a loop
        around it?"""
        loops = [a for a in self.statements[0].ancestors()
                 if a != self.statements[0] and self._meaning_of(a)[2] in LOOPS]
        for ref in self.model.references_to(symbol):
            if self._inside(ref.start):
                continue
            if ref.start >= self.end or any(loop.start <= ref.start < loop.end
                                            for loop in loops):
                return True
        return False

    def _type(self, symbol: Symbol) -> str | None:
        found = symbol.type_text
        report = self.analysis.types
        if found is None and report is not None:
            inferred = report.type_of_symbol(symbol)
            found = written_type(self.analysis, report.display(inferred)) \
                if inferred is not None else None
        return found

    # -------------------------------------------------- the text

    def _form(self) -> str:
        """The routine's text: ``function`` when a value comes back and it is given."""
        return self.spec.function if self.results and self.spec.function else self.spec.routine

    def routine_kind(self) -> str:
        form = self._form()
        first = form.split(None, 1)[0] if form.strip() else ""
        procedure = self.analysis.parsed.definition.spelling("procedure")
        same = procedure is not None and self.model.key(first) == self.model.key(procedure)
        return "procedure" if same else "function"

    def edits(self) -> tuple[TextEdit, ...]:
        at, indent = routine_insertion(LanguageSyntax(self.analysis), self.anchor)
        new_text = "".join(line + "\n" if line.strip() else "\n"
                           for line in self._routine_lines(indent)) + "\n"
        if at > 0 and self.text[line_start(self.text, at - 1):at].strip():
            new_text = "\n" + new_text
        edits = [TextEdit(at, at, new_text), TextEdit(self.start, self.end, self._call())]
        edits += self._declarations_removed()
        return verified(self.analysis, edits, "extracting the routine")

    def _declarations_removed(self) -> list[TextEdit]:
        """The declarations of the variables that become the new routine's own, when
        nothing else uses them and they are declared without a value: their names out of
        a list of several (``a, b, i: Integer``), else the declaration's lines, with the
        node around it when it holds nothing else (a ``var`` section, ``local x``)."""
        root = self.analysis.parsed.root
        holders: dict[SyntaxNode, list[SyntaxNode]] = {}
        for symbol in self.moved:
            if symbol.kind != SymbolKind.VARIABLE or not all(
                    self._inside(r.start) for r in self.model.references_to(symbol)):
                continue
            declared = root.covering_node(symbol.decl_start, symbol.decl_end).parent
            holder = declared.parent if declared is not None else None
            if declared is None or holder is None:
                continue
            valued = {"=", self.analysis.parsed.definition.structure.assignment}
            if not any(t.text in valued for t in holder.significant_leaves()):
                holders.setdefault(holder, []).append(declared)
        return [names_removed(self.analysis, holder, removed)
                for holder, removed in holders.items()]

    def _routine_lines(self, indent: str) -> list[str]:
        spec = self.spec
        unit = " " * self.analysis.parsed.definition.formatting.indent_width
        body = dedent(self.text, self.start, self.end).split("\n")
        if self.results:
            if self.analysis.parsed.definition.structure.statements \
                    is StatementSeparation.SEPARATOR:  # Pascal's ';' between two statements
                body[-1] = body[-1].rstrip() + ";"
            body.append(_fill(spec.returns, name=self.name,
                              results=", ".join(s.name for s in self.results)))
        local = spaced_as_file(self.analysis, spec.local)
        locals_ = [_fill(local, name=p.name,
                         type=self._typed(p) if "{type}" in spec.local else "")
                   for p in self.locals]
        if locals_ and not spec.local:
            raise RefactorRefused("the new routine would need locals, which "
                                  "grammar.refactoring.extract_function does not write")
        parameter = spaced_as_file(self.analysis, spec.parameter)
        written: list[tuple[str, list[str], Parameter]] = []  # template, names, the first
        for p in self.params:
            template = spec.by_reference if p.by_reference else parameter
            if p.type_text is None and spec.untyped and not p.by_reference:
                template = spec.untyped  # its type not known: the name alone (`fn f(d)`)
            previous = written[-1] if written else None
            if spec.group_parameters and "{type}" in template and previous is not None \
                    and previous[0] == template and previous[2].type_text == p.type_text:
                previous[1].append(p.name)  # one type for both: N, K: INTEGER
            else:
                written.append((template, [p.name], p))
        params = spec.separator.join(
            _fill(template, name=", ".join(names),
                  type=self._typed(p, named=True) if "{type}" in template else "")
            for template, names, p in written)
        lines = []
        for line in self._form().split("\n"):
            placeholder = line.strip()
            if placeholder in ("{body}", "{locals}"):
                deeper = unit if line[:1].isspace() else ""
                items = body if placeholder == "{body}" else locals_
                if placeholder == "{locals}" and locals_ and spec.local_heading:
                    lines.append(indent + spec.local_heading)
                lines += [indent + deeper + item if item.strip() else "" for item in items]
            else:
                lines.append(indent + _fill(line, name=self.name, result=self._result(),
                                            parameters=self._listed(params)))
        return lines

    def _result(self) -> str:
        """``result`` with the returned value's type, when there is one value whose type
        is known; else nothing."""
        if len(self.results) != 1 or not self.spec.result:
            return ""
        found = self._type(self.results[0])
        result = spaced_as_file(self.analysis, self.spec.result, after_name=False)
        return _fill(result, type=found.strip()) if found else ""

    def _typed(self, parameter: Parameter, named: bool = False) -> str:
        """The type to write; for a parameter (``named``) a type's name, as a parameter
        cannot declare a type of its own (Pascal's ``array[1..4] of Integer``)."""
        found = parameter.type_text
        if found is None:
            raise RefactorRefused(f"the type of '{parameter.name}' is not known")
        identifier = self.analysis.parsed.definition.lexical.identifier
        if named and not re.fullmatch(f"{identifier}(\\.{identifier})*", found.strip()):
            raise RefactorRefused(f"the type of '{parameter.name}' has no name to pass it by")
        return found.strip()

    def _listed(self, items: str) -> str:
        if not self.spec.list:
            return items
        if items:
            return _fill(self.spec.list, list=items)
        return self.spec.empty_list if self.spec.empty_list and not self._omits_list() else ""

    def _omits_list(self) -> bool:
        """Does the file declare a routine without a list (``SUB Banner``): its declared
        name followed by something other than what opens ``list``, as the keyword level
        writes a routine without parameters as the file does?"""
        opener = self.spec.list[:self.spec.list.index("{list}")].strip()
        if not opener:
            return False
        return any(s.kind in ROUTINE_KINDS and not s.implicit and s.end <= len(self.text)
                   and not self.text[s.end:].lstrip(" \t").startswith(opener)
                   for s in self.model.symbols)

    def _call(self) -> str:
        spec = self.spec
        call = _fill(spec.call, name=self.name,
                     arguments=self._listed(", ".join(p.name for p in self.params)))
        if not self.results:
            return call
        results = ", ".join(s.name for s in self.results)
        if self.declared and not spec.declare:  # declared as the file declares its others
            found = self._type(self.results[0]) if len(self.results) == 1 else None
            template = declaration_form(self.analysis, found.strip() if found else None)
            if template.rstrip().endswith(";"):  # the declaration's own terminator
                call = call.removesuffix(";")
            return re.sub(r"\{(name|value)\}",
                          lambda m: results if m.group(1) == "name" else call, template)
        template = spec.declare if self.declared else spec.assign
        return _fill(template, results=results, call=call)


def _fill(template: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
