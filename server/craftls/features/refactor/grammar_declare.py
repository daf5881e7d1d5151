"""Declare variable for grammar-defined languages: the quick fix for an undefined name,
written as ``grammar.refactoring.declare_undefined`` says.

Two forms. A ``statement`` ("local {name} = nil", "DIM {name} AS {type}") goes on the
line above the statement that first uses the name, in the body that holds it. An
``entry`` ("{name}: {type};") goes into the last ``section`` (a rule: ``var_section``)
of the routine or file around the use, or into a new one started by ``heading`` before
that routine's body when it has none. The routine is the innermost ``scope`` node from
which the grammar reaches the section's rule without entering another scope rule.

``{type}`` is the type the use tells (the assigned value's, or the other operand's of a
binary operator), else ``placeholder``, which the user is to replace (the action's title
says so); a name with a type mark (``structure.type_marks``) is written with ``marked``
when the definition gives it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ...language.grammar_spec import RULE, DeclareUndefined, GrammarSpec, Meaning, walk
from ...semantics.diagnostics import Diagnostic, FileAnalysis
from ...semantics.model import Reference, SymbolKind
from ...syntax.incremental import TextEdit
from ...syntax.tokens import KEYWORD_PREFIX
from ...syntax.tree import SyntaxNode
from ...types import model as M
from .errors import RefactorRefused
from .grammar_forms import (
    check_extracted,
    declaration_form,
    extraction_site,
    placed_statement,
    spaced_as_file,
    statement_of,
)
from .syntax import LanguageSyntax
from .text import indent_of, line_end, line_start, starts_line
from .verify import verified

CONDITIONS = frozenset({"if", "while", "repeat"})  # run: constructs with a truth condition


@dataclass(frozen=True)
class Declaration:
    edits: tuple[TextEdit, ...]
    placeholder: str | None  # the type written for the user to replace, if any
    # where it is: [start, end) in the text of the first edit (a snippet's tab stop)
    placeholder_at: tuple[int, int] | None = None


def grammar_declare_variable(analysis: FileAnalysis, diagnostic: Diagnostic) -> Declaration:
    grammar = analysis.parsed.definition.grammar
    assert grammar is not None
    if grammar.declare_assigned:
        return _assignment_declared(analysis, diagnostic)
    spec = grammar.declare_undefined
    if spec is None:
        raise RefactorRefused(f"{analysis.parsed.definition.name} says no way to declare a "
                              f"variable (grammar.refactoring.declare_undefined)")
    ref = first_unresolved_use(analysis, diagnostic, writes_only=False)
    use = analysis.parsed.root.covering_node(ref.start, ref.end)
    _check_variable_use(grammar, use, ref)
    marks = analysis.parsed.definition.structure.type_marks
    marked = spec.marked and any(ref.name.endswith(m) for m in marks)
    template = spec.marked if spec.marked and marked else spec.statement \
        or spaced_as_file(analysis, spec.entry)
    type_text = placeholder = None
    if "{type}" in template:
        type_text = _use_type(analysis, use, ref)
        if type_text is None:
            if not spec.placeholder:
                raise RefactorRefused(f"the type of '{ref.name}' is not known")
            type_text = placeholder = spec.placeholder
    text = _fill(template, ref.name, type_text or "")
    if spec.statement:
        statement = statement_of(analysis, use)
        indent = indent_of(analysis.parsed.text, statement.start)
        edit, at = TextEdit(statement.start, statement.start, text + "\n" + indent), 0
    else:
        edit, at = _section_entry(analysis, grammar, spec, use, text)
    edits = verified(analysis, [edit], f"declaring '{ref.name}'")
    if placeholder is None:
        return Declaration(edits, None)
    at += len(_fill(template[:template.index("{type}")], ref.name, placeholder))
    return Declaration(edits, placeholder, (at, at + len(placeholder)))


def _assignment_declared(analysis: FileAnalysis, diagnostic: Diagnostic) -> Declaration:
    """``declare_assigned``: the name's first assignment, a statement of its own that
    starts with the name, becomes its declaration (``total = 1`` -> ``let total = 1``,
    typed as the file's declarations are), as the keyword level declares one."""
    ref = first_unresolved_use(analysis, diagnostic, writes_only=True)
    use = analysis.parsed.root.covering_node(ref.start, ref.end)
    value = _assigned_value(analysis, use, terminated=True)
    # the assignment starts with the name and its line with the assignment
    statement = next((a for a in use.ancestors() if a.start < ref.start
                      or value is not None and a.end >= value[1]), use)
    if value is None or statement.start != ref.start \
            or not starts_line(analysis.parsed.text, ref.start):
        raise RefactorRefused(f"'{ref.name}' is not assigned here")
    report = analysis.types
    found = report.expression_type(*value) if report is not None else None
    form = declaration_form(analysis, LanguageSyntax(analysis).type_text(found))
    head = form[:form.index("{value}")].rstrip()
    assignment = analysis.parsed.definition.structure.assignment
    if not head.endswith(assignment) or "{name}" not in head:
        raise RefactorRefused("the declaration does not end its name's part with "
                              f"'{assignment}'")
    declared = head[:-len(assignment)].rstrip().replace("{name}", ref.name)
    edit = TextEdit(ref.start, ref.end, declared)
    return Declaration(verified(analysis, [edit], f"declaring '{ref.name}'"), None)


def first_unresolved_use(analysis: FileAnalysis, diagnostic: Diagnostic,
                         writes_only: bool) -> Reference:
    """The first use of the undefined name in the scope of the one ``diagnostic`` is on
    (its first assignment, with ``writes_only``)."""
    model = analysis.model
    here = model.at(diagnostic.start)
    if not isinstance(here, Reference) or here.symbol is not None:
        raise RefactorRefused("there is no undefined name here")
    key = model.key(here.name)
    uses = [r for r in model.references if r.symbol is None and r.builtin is None
            and (r.is_write or not writes_only) and model.key(r.name) == key
            and r.scope is here.scope]
    if not uses:
        raise RefactorRefused(f"'{here.name}' is never assigned")
    return min(uses, key=lambda r: r.start)


def _check_variable_use(grammar: GrammarSpec, use: SyntaxNode, ref: Reference) -> None:
    """A name that is called (the first name of a ``call`` node) or whose members are
    read (a ``member`` node after it: a unit's, a table's) is no variable to declare."""
    whole = _whole(use)
    parent = whole.parent
    if parent is None:
        return
    meanings = grammar.meanings()
    meaning = meanings.get(parent.kind)
    first = next(parent.children(), None)
    if meaning is not None and meaning.call and first == whole:
        raise RefactorRefused(f"'{ref.name}' is called: it is no variable")
    after = next((c for c in parent.children() if c.start >= whole.end), None)
    member = meanings.get(after.kind) if after is not None else None
    if member is not None and member.member and after is not None \
            and not parent.text[whole.end - parent.start:after.start - parent.start].strip():
        raise RefactorRefused(f"'{ref.name}' has members: it is no plain variable")


# ---------------------------------------------------------------- the type


def _use_type(analysis: FileAnalysis, use: SyntaxNode, ref: Reference) -> str | None:
    """The type the use tells: an assignment's value's, or the other operand's of the
    binary operator it is an operand of."""
    report = analysis.types
    if report is None:
        return None
    if not ref.is_write and _is_condition(analysis, use):
        return written_type(analysis, report.display(M.BOOL))
    other = _assigned_value(analysis, use) if ref.is_write else _other_operand(analysis, use)
    if other is None:
        return None
    found = report.expression_type(other[0], other[1])
    return written_type(analysis, report.display(found)) if found is not None else None


def written_type(analysis: FileAnalysis, shown: str) -> str | None:
    """``shown`` when each of its words is a type the language knows (its ``types:``, a
    type the file declares, or a keyword: QBasic's INTEGER), spelt as the file spells
    it where it writes the word."""
    definition = analysis.parsed.definition
    syntax = LanguageSyntax(analysis)
    known = {syntax.key(n) for n in definition.types}
    known |= {syntax.key(s.name) for s in analysis.model.symbols if s.kind == SymbolKind.TYPE}
    known |= {syntax.key(w) for words in definition.keywords.values() for w in words}
    identifier = definition.lexical.identifier
    words = re.findall(identifier, shown)
    if not words or any(syntax.key(w) not in known for w in words) \
            or re.sub(identifier, "", shown).strip("[] "):
        return None
    if not syntax.fold:
        return shown
    spellings = Counter(w for w in re.findall(identifier, analysis.parsed.text)
                        if syntax.key(w) in {syntax.key(x) for x in words})
    for word in words:
        written = [w for w, _ in spellings.most_common() if syntax.key(w) == syntax.key(word)]
        if written:
            shown = shown.replace(word, written[0])
    return shown


def _assigned_value(analysis: FileAnalysis, use: SyntaxNode, terminated: bool = False
                    ) -> tuple[int, int] | None:
    """The value assigned to ``use``: the one element after the assignment symbol (with
    ``terminated``, the statement's ';' may follow it)."""
    assignment = analysis.parsed.definition.structure.assignment
    for ancestor in use.ancestors():
        sign = next((t for t in ancestor.tokens() if t.text == assignment
                     and t.start >= use.end), None)
        if sign is not None:
            after = _elements(ancestor, sign.end)
            if terminated and len(after) == 2 and analysis.parsed.text[slice(*after[1])] == ";":
                after.pop()
            return after[0] if len(after) == 1 else None
    return None


def _is_condition(analysis: FileAnalysis, use: SyntaxNode) -> bool:
    """Is the use the whole condition of an ``if``, ``while`` or ``repeat`` (what its
    ``run:`` says), right after the keyword that starts it?"""
    grammar = analysis.parsed.definition.grammar
    operand = _whole(use)
    parent = operand.parent
    production = grammar.rule(parent.kind) if grammar is not None and parent else None
    if parent is None or production is None or production.run is None \
            or production.run.construct not in CONDITIONS:
        return False
    before = [t for t in parent.tokens() if t.end <= operand.start and not t.is_trivia]
    return bool(before) and before[-1].kind.startswith(KEYWORD_PREFIX) \
        and not any(c.end <= operand.start and c.start >= before[-1].end
                    for c in parent.children())


def _whole(use: SyntaxNode) -> SyntaxNode:
    """The largest node that is just the use."""
    operand = use
    while operand.parent is not None and (operand.parent.start, operand.parent.end) \
            == (operand.start, operand.end):
        operand = operand.parent
    return operand


def _other_operand(analysis: FileAnalysis, use: SyntaxNode) -> tuple[int, int] | None:
    """The operand on the other side of the binary operator next to the use (a node or a
    literal token of the same node)."""
    definition = analysis.parsed.definition
    binary = {op.symbol.lower() for op in definition.operators if op.binary}
    operand = _whole(use)
    if operand.parent is None:
        return None
    parts = _elements(operand.parent, operand.parent.start)
    at = parts.index((operand.start, operand.end))
    text = analysis.parsed.text
    for step in (1, -1):
        sign, other = at + step, at + 2 * step
        if 0 <= other < len(parts) and text[slice(*parts[sign])].lower() in binary:
            return parts[other]
    return None


def _elements(node: SyntaxNode, start: int) -> list[tuple[int, int]]:
    """The spans of ``node``'s child nodes and own tokens from ``start`` on, in order."""
    spans = [(c.start, c.end) for c in node.children() if c.start >= start]
    spans += [(t.start, t.end) for t in node.tokens() if t.start >= start and not t.is_trivia]
    return sorted(spans)


# ---------------------------------------------------------------- sections


def section_extract_variable(analysis: FileAnalysis, start: int, end: int,
                             name: str) -> tuple[TextEdit, ...]:
    """Extract variable where declarations carry no value (``assign_variable``): the
    name is declared as ``declare_undefined``'s entry in the section of the routine
    around the expression, typed by it, and given its value by a statement on the line
    above the expression's (``value := N * K;``), as the keyword level does."""
    grammar = analysis.parsed.definition.grammar
    spec = grammar.declare_undefined if grammar is not None else None
    if grammar is None or spec is None or not spec.entry:
        raise RefactorRefused(f"{analysis.parsed.definition.name} says no way to declare a "
                              f"variable (grammar.refactoring.declare_undefined)")
    expr, statement, type_text = extraction_site(analysis, start, end, name)
    if type_text is None and "{type}" in spec.entry:
        raise RefactorRefused("the new variable's type is not known")
    form = spaced_as_file(analysis, spec.entry)
    entry = _fill(form, name, type_text or "")
    section, entry_at = _section_entry(analysis, grammar, spec, expr, entry)
    template = grammar.assign_variable
    assigned = template.replace("{name}", name).replace("{value}", expr.text)
    placed, before, use_at = placed_statement(analysis, statement, assigned, expr, name)
    edits = [section, *placed]
    name_at = section.start + entry_at + len(_fill(form[:form.index("{name}")],
                                                   name, type_text or ""))
    head = template[:template.index("{value}")].replace("{name}", name)
    shift = len(section.text)
    check_extracted(analysis, edits, expr, name_at,
                    statement.start + shift + before + len(head), use_at + shift, statement)
    return verified(analysis, edits, "extracting the variable")


def _section_entry(analysis: FileAnalysis, grammar: GrammarSpec, spec: DeclareUndefined,
                   use: SyntaxNode, entry: str) -> tuple[TextEdit, int]:
    """The edit, and where the entry starts in its text."""
    text = analysis.parsed.text
    holders = section_holders(grammar, spec.section)
    meanings = grammar.meanings()

    def is_scope(node: SyntaxNode) -> bool:
        meaning = meanings.get(node.kind)
        return node.parent is None or meaning is not None and meaning.scope

    between: list[SyntaxNode] = []  # the use's ancestors inside the owner, innermost first
    for node in use.ancestors():
        if node.parent is None or node.kind in holders and is_scope(node):
            owner = node
            break
        between.append(node)
    if owner.parent is None and grammar.start not in holders:
        raise RefactorRefused(f"there is no place for a {spec.section} around the name")
    sections = [n for n in owner.descendants() if n.kind == spec.section and n.end <= use.start
                and next(a for a in n.ancestors() if a != n and is_scope(a)) == owner]
    entries = list(sections[-1].children()) if sections else []
    if entries:
        last = entries[-1]
        indent = indent_of(text, last.start) if starts_line(text, last.start) \
            else indent_of(text, sections[-1].start) + _unit(analysis)
        at = line_end(text, last.end)
        return TextEdit(at, at, "\n" + indent + entry), 1 + len(indent)
    # the owner's body: the outermost block around the use that no other scope holds
    inner_scopes = [i for i, node in enumerate(between) if is_scope(node)]
    outside = between[inner_scopes[-1] + 1:] if inner_scopes else between
    body = [n for n in outside if (m := meanings.get(n.kind)) is not None and m.block]
    if not body or not starts_line(text, body[-1].start):
        raise RefactorRefused(f"there is no line to start a {spec.section} on")
    at = line_start(text, body[-1].start)
    indent = indent_of(text, body[-1].start)
    before = f"{indent}{spec.heading}\n{indent}{_unit(analysis)}"
    return TextEdit(at, at, f"{before}{entry}\n"), len(before)


def section_holders(grammar: GrammarSpec, section: str) -> frozenset[str]:
    """The rules from which the grammar reaches ``section`` without entering a scope
    rule on the way (a routine's body holds its var sections; a nested routine's are
    its own)."""
    meanings = grammar.meanings()
    calls = {p.name: {e.text for e in walk(p.expr) if e.op == RULE} for p in grammar.rules}
    reaching: set[str] = {section}
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if name in reaching:
                continue
            if any(c in reaching and (c == section or not _is_scope_rule(meanings, c))
                   for c in called):
                reaching.add(name)
                changed = True
    return frozenset(reaching)


def _is_scope_rule(meanings: Mapping[str, Meaning], name: str) -> bool:
    meaning = meanings.get(name)
    return meaning is not None and meaning.scope


def _unit(analysis: FileAnalysis) -> str:
    return " " * analysis.parsed.definition.formatting.indent_width


def _fill(template: str, name: str, type_text: str) -> str:
    return re.sub(r"\{(name|type)\}", lambda m: name if m.group(1) == "name" else type_text,
                  template)
