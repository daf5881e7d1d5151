"""Extract variable and inline variable for grammar-defined languages.

A grammar's tree has the rule names as node kinds, so the keyword-level refactorings
(which read ``K.*`` kinds) do not apply. These read the meaning annotations instead: a
statement is a node directly in the file or in a ``block``/``scope`` node that starts
its line; a value moved out of its place must not be inside a ``block``/``scope`` node
of its statement (a body, a loop's or a condition's header: evaluated another number of
times) nor after a short-circuit ``and``/``or``. What is written comes from the
definition (``grammar.refactoring``); a definition without it is offered neither.

Both are checked on the result, beyond ``verified``: the new name must be a read bound
to the new declaration in the same place of the tree, and every name in the moved or
copied value must still mean what it meant.
"""

from __future__ import annotations

import re

from ...language.model import StatementSeparation
from ...semantics.diagnostics import FileAnalysis, analyze_file
from ...semantics.item_walks import is_split
from ...semantics.model import Reference, SemanticModel, Symbol, SymbolKind, visible_at
from ...syntax.incremental import TextEdit
from ...syntax.parse import parse
from ...syntax.tokens import IDENT, KEYWORD_PREFIX, NUMBER, STRING
from ...syntax.tree import SyntaxNode
from .errors import RefactorRefused
from .syntax import LanguageSyntax
from .text import indent_of, line_start, mostly_spaced, remove_lines, starts_line, trim
from .verify import apply_edits, verified

SHORT_CIRCUIT = (KEYWORD_PREFIX + "and", KEYWORD_PREFIX + "or")
# what may follow a use without the value's needing parentheses (a suffix would bind to
# the value's last token: ("s"):upper(), (t).x)
SUFFIXES = (".", ":", "[", "(", "{", "'", '"')
VALUE_LITERALS = (NUMBER, STRING)


def grammar_extract_variable(analysis: FileAnalysis, start: int, end: int,
                             name: str) -> tuple[TextEdit, ...]:
    grammar = analysis.parsed.definition.grammar
    assert grammar is not None
    if not grammar.declare_variable:
        raise RefactorRefused(f"{analysis.parsed.definition.name} says no way to declare a "
                              f"variable (grammar.refactoring.declare_variable)")
    expr, statement, type_text = extraction_site(analysis, start, end, name)
    template = declaration_form(analysis, type_text)
    declaration = _fill(template, name, expr.text)
    edits, before, use_at = placed_statement(analysis, statement, declaration, expr, name)
    name_at = statement.start + before + len(_fill(template[:template.index("{name}")],
                                                   name, expr.text))
    value_at = statement.start + before + len(_fill(template[:template.index("{value}")],
                                                    name, expr.text))
    check_extracted(analysis, edits, expr, name_at, value_at, use_at, statement)
    return verified(analysis, edits, "extracting the variable")


def placed_statement(analysis: FileAnalysis, statement: SyntaxNode, new: str,
                     expr: SyntaxNode, name: str) -> tuple[list[TextEdit], int, int]:
    """The edits that put ``new`` before ``statement`` and ``name`` in place of ``expr``:
    on the line above (``;`` after it where ``;`` separates statements), after the ``;``
    on the same line when the statement follows another one there, or, for a lone
    statement that is a body (``IF c THEN x := v``), both in a block of its own
    (``grammar.refactoring.wrap``) in its place. Also where ``new`` starts, from the
    statement's start, and where the use is in the result."""
    text = analysis.parsed.text
    grammar = analysis.parsed.definition.grammar
    separator = ";" if LanguageSyntax(analysis).separator and not new.endswith(";") else ""
    use = TextEdit(expr.start, expr.end, name)
    if lone_body(analysis, statement):
        wrap = grammar.wrap if grammar is not None else ""
        if not wrap:
            raise RefactorRefused("the expression's statement is a body of its own; put it in "
                                  "a block first")
        indent = indent_of(text, statement.start)
        end = _core_end(analysis, statement)
        unit = " " * analysis.parsed.definition.formatting.indent_width
        head, tail = (part.replace("\n", "\n" + indent) for part in wrap.split("{body}", 1))
        opened = head + unit + new + separator + "\n" + indent + unit
        edits = [TextEdit(statement.start, statement.start, opened), use,
                 TextEdit(end, end, tail)]
        edits += [TextEdit(i + 1, i + 1, unit) for i in range(statement.start, end)
                  if text[i] == "\n" and not expr.start <= i < expr.end]  # one level deeper
        return edits, len(head) + len(unit), _shifted(expr.start, edits)
    if starts_line(text, statement.start):
        inserted = new + separator + "\n" + indent_of(text, statement.start)
    elif after_separator(text, statement.start):
        inserted = new + (";" if not new.endswith(";") else "") + " "  # a; b on one line
    else:
        raise RefactorRefused("the expression's statement shares its line with another "
                              "construct; put it on a line of its own first")
    return ([TextEdit(statement.start, statement.start, inserted), use], 0,
            expr.start + len(inserted))


def _core_end(analysis: FileAnalysis, statement: SyntaxNode) -> int:
    """Where the statement ends, without a ``;`` that separates it from the next one."""
    text = analysis.parsed.text
    end = statement.end
    if text[end - 1:end] == ";" and analysis.parsed.definition.structure.statements \
            is not StatementSeparation.TERMINATOR:
        end = trim(text, statement.start, end - 1)[1]
    return end


def extraction_site(analysis: FileAnalysis, start: int, end: int, name: str
                    ) -> tuple[SyntaxNode, SyntaxNode, str | None]:
    """The expression selected, the statement it moves before, and its type as the file
    writes it (None: not known); refused when the name or the place does not do."""
    syntax = LanguageSyntax(analysis)
    syntax.check_name(name)
    expr = selected_node(analysis, start, end)
    statement = statement_of(analysis, expr, within_line=True)
    check_evaluated_once(analysis, expr, statement)
    report = analysis.types
    return expr, statement, syntax.type_text(
        report.expression_type(expr.start, expr.end) if report is not None else None)


def declaration_form(analysis: FileAnalysis, type_text: str | None) -> str:
    """The statement a new variable is declared with (``grammar.refactoring.
    declare_variable``), its ``{type}`` filled with ``type_text``: of several forms, the
    one most of the file's lines follow (the first on a tie: none followed), as the keyword
    level writes a declaration as the file writes its others; a typed one only when the
    type is known, else the untyped one that starts as it does."""
    grammar = analysis.parsed.definition.grammar
    assert grammar is not None
    forms = grammar.declare_forms or (grammar.declare_variable,)
    text = analysis.parsed.text
    counts = [sum(1 for _ in _form_pattern(analysis, form).finditer(text)) for form in forms]
    form = forms[max(range(len(forms)), key=lambda i: (counts[i], -i))]
    if "{type}" in form and type_text is None:
        head = form[:form.index("{name}")]
        form = next((f for f in forms if "{type}" not in f and f.startswith(head)),
                    next((f for f in forms if "{type}" not in f), ""))
        if not form:
            raise RefactorRefused("the new variable's type is not known")
    return form.replace("{type}", type_text or "")


def spaced_as_file(analysis: FileAnalysis, form: str, after_name: bool = True) -> str:
    """``form`` with a space before the one-character symbol right after its ``{name}``
    (``{name}: {type};``) when the file mostly writes one there (``Width : INTEGER``),
    as the keyword level follows the file's spacing; not ``after_name``: before the
    symbol ``form`` starts with (a routine's result, ``: {type}``), read after a word or
    a closing parenthesis (``) : INTEGER``)."""
    found = re.search(r"\{name\}([^\w\s{])" if after_name else r"^([^\w\s{])", form)
    if found is None:
        return form
    if not mostly_spaced(analysis.parsed.text, found.group(1),
                         r"\w" if after_name else r"[\w)]"):
        return form
    if not after_name:
        return " " + form
    return form.replace("{name}" + found.group(1), "{name} " + found.group(1), 1)


def _form_pattern(analysis: FileAnalysis, form: str) -> re.Pattern[str]:
    """A line written as ``form`` (any spacing where it has a space)."""
    lexical = analysis.parsed.definition.lexical
    holes = {"{name}": f"(?:{lexical.identifier})", "{type}": r"\S.*?", "{value}": r"\S.*"}
    parts = re.split(r"(\{name\}|\{type\}|\{value\})", form)
    pattern = "".join(holes.get(p) or _spaced(p) for p in parts)
    flags = re.MULTILINE | (0 if lexical.case_sensitive else re.IGNORECASE)
    return re.compile(rf"^[ \t]*{pattern}[ \t]*$", flags)


def _spaced(literal: str) -> str:
    """A literal part of a form, any spacing (or none) where it has a space."""
    words = r"\s*".join(map(re.escape, literal.split()))
    return (r"\s*" if literal[:1].isspace() else "") + words + (
        r"\s*" if literal[-1:].isspace() and words else "")


def grammar_inline_variable(analysis: FileAnalysis, offset: int) -> tuple[TextEdit, ...]:
    grammar = analysis.parsed.definition.grammar
    assert grammar is not None
    if not grammar.inline_variable:
        raise RefactorRefused(f"{analysis.parsed.definition.name} does not offer inline "
                              f"variable (grammar.refactoring.inline_variable)")
    model = analysis.model
    symbol = model.symbol_at(offset)
    if symbol is None or symbol.kind not in (SymbolKind.VARIABLE, SymbolKind.CONSTANT) \
            or symbol.implicit:
        raise RefactorRefused("there is no variable to inline here")
    uses = model.references_to(symbol)
    writes = [r for r in uses if r.is_write]
    removed = []
    if grammar.assign_variable and len(writes) == 1 and _valueless(analysis, symbol):
        # declared in a section, given its one value by an assignment (Pascal's VAR)
        statement, value = _assignment_value(analysis, writes[0])
        declared = analysis.parsed.root.covering_node(symbol.decl_start, symbol.decl_end)
        while declared.parent is not None and declared.parent.parent is not None \
                and (declared.parent.start, declared.parent.end) \
                == (declared.start, declared.end):
            declared = declared.parent  # the name's node in its declaration
        if declared.parent is None:
            raise RefactorRefused(f"'{symbol.name}' is not declared alone")
        removed.append(names_removed(analysis, declared.parent, [declared]))
    elif writes:
        raise RefactorRefused(f"'{symbol.name}' is assigned more than once")
    else:
        statement, value = _declaration_value(analysis, symbol)
    reads = [r for r in uses if not r.is_write]
    if not reads:
        raise RefactorRefused(f"'{symbol.name}' is never read")
    if len(reads) > 1 and any(_is_call(analysis, n) for n in value.descendants()):
        raise RefactorRefused("the value calls a routine; inlining it would call it "
                              "more than once")
    _check_pure(analysis, value)
    for read in reads:
        _check_same_meaning(analysis, value, statement, read, symbol)
    text = analysis.parsed.text
    edits = [TextEdit(r.start, r.end, _operand(text, value, r)) for r in reads]
    edits.append(remove_lines(text, statement.start, statement.end))
    return verified(analysis, edits + removed, f"inlining '{symbol.name}'")


def _valueless(analysis: FileAnalysis, symbol: Symbol) -> bool:
    """Is the variable declared without a value (no ``=`` or assignment symbol in its
    declaration)?"""
    declared = analysis.parsed.root.covering_node(symbol.decl_start, symbol.decl_end)
    holder = declared.parent if declared.parent is not None else declared
    valued = {"=", analysis.parsed.definition.structure.assignment}
    return not any(t.text in valued for t in holder.significant_leaves())


def _assignment_value(analysis: FileAnalysis, write: Reference
                      ) -> tuple[SyntaxNode, SyntaxNode]:
    """The statement of the variable's one assignment (its line's own, the name first),
    and the value after the assignment symbol."""
    text = analysis.parsed.text
    target = analysis.parsed.root.covering_node(write.start, write.end)
    statement = statement_of(analysis, target)
    assignment = analysis.parsed.definition.structure.assignment
    sign = next((t for t in statement.leaves() if not t.is_trivia and t.text == assignment),
                None)
    if statement.start != write.start or sign is None or sign.start < write.end \
            or text[write.end:sign.start].strip():
        raise RefactorRefused(f"'{write.name}' is not given its value by an assignment")
    return statement, _one_value(analysis, *trim(text, sign.end, statement.end), write.name)


def _one_value(analysis: FileAnalysis, start: int, end: int, name: str) -> SyntaxNode:
    """The outermost node that is exactly [start, end): the value ``name`` is given."""
    value = analysis.parsed.root.covering_node(start, end)
    while value.parent is not None and (value.parent.start, value.parent.end) == (start, end):
        value = value.parent
    if (value.start, value.end) != (start, end):
        raise RefactorRefused(f"'{name}' is not given one value")
    return value


# ---------------------------------------------------------------- the tree


def holds_statements(analysis: FileAnalysis, node: SyntaxNode) -> bool:
    """The file, a main block split into items, or a body."""
    if node.parent is None or node.parent.parent is None and is_split(node.green):
        return True
    return _is_body(analysis, node)


def _is_body(analysis: FileAnalysis, node: SyntaxNode) -> bool:
    """A scope node, or a block node that a keyword opens or whose items are lines (a
    brace block ``{ ... }``; a table constructor is a block for formatting, not a body):
    what is inside it may run another number of times, or later, or not at all."""
    grammar = analysis.parsed.definition.grammar
    meaning = grammar.meanings().get(node.kind) if grammar is not None else None
    if meaning is None or not (meaning.block or meaning.scope):
        return False
    return meaning.scope or meaning.lines \
        or any(t.kind.startswith(KEYWORD_PREFIX) for t in node.tokens())


def selected_node(analysis: FileAnalysis, start: int, end: int) -> SyntaxNode:
    s, e = trim(analysis.parsed.text, start, end)
    node = analysis.parsed.root.covering_node(s, e)
    while node.parent is not None and (node.parent.start, node.parent.end) == (s, e):
        node = node.parent
    if (node.start, node.end) != (s, e) or node.parent is None:
        raise RefactorRefused("select a whole expression to extract")
    grammar = analysis.parsed.definition.grammar
    meaning = grammar.meanings().get(node.kind) if grammar is not None else None
    if meaning is not None and (meaning.declares or meaning.assigns or meaning.member
                                or meaning.type):
        raise RefactorRefused("a declaration, a member or a type cannot be extracted")
    production = grammar.rule(node.parent.kind) if grammar is not None else None
    if production is not None and production.run is not None \
            and production.run.construct == "assign" and next(node.parent.children()) == node:
        raise RefactorRefused("an assignment's target cannot be extracted")
    if holds_statements(analysis, node.parent) and starts_line(analysis.parsed.text, s):
        raise RefactorRefused("a whole statement gives no value to extract")
    if any(_is_body(analysis, n) for n in node.descendants()):
        raise RefactorRefused("the selection holds a body; it cannot move")
    return node


def statement_of(analysis: FileAnalysis, node: SyntaxNode, itself: bool = False,
                 within_line: bool = False) -> SyntaxNode:
    """The statement ``node`` is in (or is, with ``itself``); ``within_line``: also one
    after another on its line (``a; b``) or a lone statement that is a body."""
    text = analysis.parsed.text
    for ancestor in node.ancestors():
        parent = ancestor.parent
        if (itself or ancestor is not node) and parent is not None \
                and (holds_statements(analysis, parent)
                     and (starts_line(text, ancestor.start)
                          or within_line and after_separator(text, ancestor.start))
                     or within_line and lone_body(analysis, ancestor)):
            return ancestor
    raise RefactorRefused("the expression is not inside a statement of its own line")


BODY_PARTS = ("then", "else", "body")


def after_separator(text: str, offset: int) -> bool:
    """Does ``offset`` follow another statement and its ``;`` on its line?"""
    return text[line_start(text, offset):offset].rstrip().endswith(";")


def lone_body(analysis: FileAnalysis, node: SyntaxNode) -> bool:
    """Is the node a body of a ``run:`` construct (its ``then``, ``else`` or ``body``
    part, directly or as the one child of a node without a run, an ELSE clause), not a
    block: one statement where several would need a block around them?"""
    grammar = analysis.parsed.definition.grammar
    if grammar is None or node.parent is None or _is_body(analysis, node) \
            or holds_statements(analysis, node) or holds_statements(analysis, node.parent):
        return False
    child, parent = node, node.parent
    while parent is not None and parent.parent is not None:
        production = grammar.rule(parent.kind)
        if production is not None and production.run is not None:
            return _part_of(analysis, parent, child) in BODY_PARTS
        if len(list(parent.children())) != 1:
            return False
        child, parent = parent, parent.parent
    return False


def _part_of(analysis: FileAnalysis, node: SyntaxNode, child: SyntaxNode) -> str | None:
    """The part of ``node``'s ``run:`` that ``child`` is (its first selector's first step:
    the n-th child, the children of a rule, those after or before a token), or None."""
    grammar = analysis.parsed.definition.grammar
    production = grammar.rule(node.kind) if grammar is not None else None
    if production is None or production.run is None:
        return None
    kids = list(node.children())
    fold = not analysis.parsed.definition.lexical.case_sensitive
    for role, selectors in production.run.parts:
        for selector in selectors[:1]:
            step = selector[0]
            if step.kind == "nth":
                at = step.number - 1 if step.number > 0 else step.number
                chosen = kids[at:at + 1] if -len(kids) <= at < len(kids) else []
            elif step.kind == "rule":
                chosen = [c for c in kids if c.kind == step.rule]
            elif step.kind == "all":
                chosen = kids
            elif step.kind in ("after", "before", "from"):
                words = {w.lower() if fold else w for w in step.tokens}
                marks = [t.start for t in node.tokens()
                         if (t.text.lower() if fold else t.text) in words]
                if not marks:
                    continue
                chosen = [c for c in kids if (c.end <= marks[0] if step.kind == "before"
                                              else c.start >= marks[0])]
            else:
                continue
            if any(c.start == child.start and c.end == child.end and c.kind == child.kind
                   for c in chosen):
                return role
    return None


def check_evaluated_once(analysis: FileAnalysis, expr: SyntaxNode,
                          statement: SyntaxNode) -> None:
    """Moved before its statement, the value is computed once, first: not so for one in
    a body or a header of its statement (a loop's condition, an if's), or after an
    ``and``/``or`` that may skip it."""
    child = expr
    for ancestor in expr.ancestors():
        if ancestor is expr:
            continue
        if _is_body(analysis, ancestor):
            raise RefactorRefused("the expression is part of a block's header or body; "
                                  "moving it before the statement would change how often "
                                  "it is evaluated")
        _check_part(analysis, ancestor, child)
        child = ancestor
        if any(t.kind in SHORT_CIRCUIT and t.start < expr.start for t in ancestor.tokens()):
            raise RefactorRefused("the expression follows an 'and'/'or' that may skip it")
        if ancestor is statement:
            return


LOOP_CONSTRUCTS = ("while", "repeat", "loop")


def _check_part(analysis: FileAnalysis, node: SyntaxNode, child: SyntaxNode) -> None:
    """A loop's condition is evaluated on every turn; a condition after an ELSE only when
    the ones before it fail (``run:`` parts, as the keyword level tells them)."""
    grammar = analysis.parsed.definition.grammar
    production = grammar.rule(node.kind) if grammar is not None else None
    if production is None or production.run is None:
        return
    part = _part_of(analysis, node, child)
    construct = production.run.construct
    if construct in LOOP_CONSTRUCTS and part == "condition":
        raise RefactorRefused("a loop condition is evaluated on every turn; "
                              "it cannot be extracted before the loop")
    if construct == "if" and part in ("elif", "else"):
        raise RefactorRefused("this condition is evaluated only when the ones before it "
                              "fail; it cannot be extracted before the statement")


def _declaration_value(analysis: FileAnalysis, symbol: Symbol
                       ) -> tuple[SyntaxNode, SyntaxNode]:
    """The statement that declares ``symbol`` with its one value, and that value."""
    text = analysis.parsed.text
    declared = analysis.parsed.root.covering_node(symbol.decl_start, symbol.decl_end)
    statement = statement_of(analysis, declared, itself=True)
    others = [s for s in analysis.model.symbols
              if statement.start <= s.start < statement.end and s is not symbol]
    assignment = analysis.parsed.definition.structure.assignment
    sign = next((t for t in statement.leaves() if not t.is_trivia and t.text == assignment
                 and t.start >= symbol.end), None)
    if sign is None or others:
        raise RefactorRefused(f"'{symbol.name}' is not declared alone with a value")
    between = text[symbol.end:sign.start].strip()
    if between and not _annotation(analysis, between):  # <close>: more than a value
        raise RefactorRefused(f"'{symbol.name}' is declared with more than its value")
    start, end = trim(text, sign.end, statement.end)
    if text[end - 1:end] == ";" and analysis.parsed.definition.structure.statements \
            is StatementSeparation.TERMINATOR:  # `let x: int = 4;`: the value is before it
        start, end = trim(text, start, end - 1)
    return statement, _one_value(analysis, start, end, symbol.name)


def _annotation(analysis: FileAnalysis, text: str) -> bool:
    """Is ``text`` (between a declared name and its value) the name's type annotation
    (``: int``, ``AS INTEGER``)? Its uses, given the value, need no type."""
    definition = analysis.parsed.definition
    symbol = definition.structure.type_annotation
    fold = not definition.lexical.case_sensitive
    head = text[:len(symbol)]
    return bool(symbol) and (head.lower() == symbol.lower() if fold else head == symbol) \
        and bool(re.fullmatch(r"[\w\s.\[\]]+", text[len(symbol):], re.UNICODE))


# ---------------------------------------------------------------- checks


def _check_pure(analysis: FileAnalysis, value: SyntaxNode) -> None:
    """Only names, literals and the definition's operators: computing the value again
    where it is used gives the same result when its names are unchanged. A call may
    have effects, a table constructor makes a new table, and a name used with an index
    or a member may be a table whose contents change: those are refused."""
    definition = analysis.parsed.definition
    operators = {op.symbol for op in definition.operators} | {"(", ")"}
    previous = None
    for token in value.leaves():
        if token.is_trivia:
            continue
        grouping = token.text != "(" or previous is None or previous.text in operators \
            and previous.text != ")"
        plain = token.kind in (IDENT, *VALUE_LITERALS) or token.kind.startswith(KEYWORD_PREFIX)
        if not grouping or not (plain or token.text in operators):
            raise RefactorRefused("the value is more than names, literals and operators "
                                  "(a call, a table, an index); inlining could change it")
        previous = token
    for ref in analysis.model.references:
        if value.start <= ref.start < value.end and ref.symbol is not None \
                and _indexed(analysis, ref.symbol):
            raise RefactorRefused(f"'{ref.name}' is used as a table; its contents may "
                                  f"change before a use")


def _is_call(analysis: FileAnalysis, node: SyntaxNode) -> bool:
    """Is the node a call (its rule's ``call`` annotation)?"""
    grammar = analysis.parsed.definition.grammar
    meaning = grammar.meanings().get(node.kind) if grammar is not None else None
    return meaning is not None and meaning.call


def _indexed(analysis: FileAnalysis, symbol: Symbol) -> bool:
    text = analysis.parsed.text
    return any(text[r.end:r.end + 1] in (".", "[", ":")
               for r in analysis.model.references_to(symbol))


def _meaning_without(model: SemanticModel, read: Reference, name: str,
                     removed: Symbol) -> Symbol | None:
    """What ``name`` means at ``read`` once the declaration ``removed`` is gone."""
    key = model.key(name)
    found = (read.scope or model.file_scope).lookup(key, read.start)
    if found is not removed:
        return found
    hidden = visible_at(removed.shadowed, read.start)
    if hidden is not None:
        return hidden
    parent = removed.scope.parent
    return parent.lookup(key, read.start) if parent is not None else None


def _check_same_meaning(analysis: FileAnalysis, value: SyntaxNode, statement: SyntaxNode,
                        read: Reference, symbol: Symbol) -> None:
    """Each name in the value means the same at ``read`` and is not written between the
    declaration and it (nor anywhere after it when the use is in a body that may run
    later or again)."""
    model = analysis.model
    if read.start < statement.end:
        raise RefactorRefused(f"'{read.name}' is read before it is assigned")
    site = analysis.parsed.root.covering_node(read.start, read.end)
    nested = any(_is_body(analysis, a) and not (a.start <= statement.start < a.end)
                 for a in site.ancestors())
    for name in model.references:
        if not value.start <= name.start < value.end:
            continue
        if _meaning_without(model, read, name.name, symbol) is not name.symbol:
            raise RefactorRefused(f"'{name.name}' means something else where the variable "
                                  f"is used")
        if name.symbol is None:
            continue
        for write in model.references_to(name.symbol):
            if write.is_write and write.start >= statement.end \
                    and (nested or write.start < read.start):
                raise RefactorRefused(f"'{name.name}' changes between the declaration "
                                      f"and a use")


def check_extracted(analysis: FileAnalysis, edits: list[TextEdit], expr: SyntaxNode,
                     name_at: int, value_at: int, use_at: int,
                     statement: SyntaxNode | None = None) -> None:
    """In the result, the use is a read of the new declaration where the expression was
    (the same nodes around it), and the moved value's names mean what they meant."""
    definition = analysis.parsed.definition
    text = apply_edits(analysis.parsed.text, edits)
    parsed = parse(definition, text)
    model = analyze_file(parsed).model
    use = model.reference_starting_at(use_at)
    if use is None or use.is_write or use.symbol is None or use.symbol.start != name_at:
        raise RefactorRefused("the new variable would not be read where the expression was")
    was = _outer_kinds(expr)
    now = _outer_kinds(parsed.root.covering_node(use.start, use.end))
    if statement is not None and lone_body(analysis, statement):  # now in a block of its own
        inside = len(was) - len(_outer_kinds(statement))
        was, now = was[:inside], now[:inside]
    if now != was:
        raise RefactorRefused("the new variable would not stand where the expression was")
    for ref in analysis.model.references:
        inside = expr.start <= ref.start < expr.end
        at = value_at + ref.start - expr.start if inside else _shifted(ref.start, edits)
        _check_kept(ref, model.reference_starting_at(at), edits)


def _check_kept(ref: Reference, now: Reference | None, edits: list[TextEdit]) -> None:
    """A name binds to the same declaration in the result: one in the moved value (a
    declaration between its new place and its old one), or outside (a new local could
    hide one declared before it)."""
    was = _shifted(ref.symbol.start, edits) if ref.symbol is not None else ref.builtin
    bound = None if now is None else (
        now.symbol.start if now.symbol is not None else now.builtin)
    if now is None or bound != was:
        raise RefactorRefused(f"the new name would change what '{ref.name}' refers to")


def _outer_kinds(node: SyntaxNode) -> list[str]:
    """The kinds of the nodes around ``node`` that are larger than it."""
    return [a.kind for a in node.ancestors() if (a.start, a.end) != (node.start, node.end)]


def _shifted(offset: int, edits: list[TextEdit]) -> int:
    """Where ``offset`` of the old text is in the new one."""
    return offset + sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= offset)


def _operand(text: str, value: SyntaxNode, read: Reference) -> str:
    """The value as written at a use: in parentheses unless it is one token and no
    suffix follows the use (a call's extra results are dropped as the variable dropped
    them: Lua's (f()))."""
    tokens = [t for t in value.leaves() if not t.is_trivia]
    after = text[read.end:read.end + 1]
    if len(tokens) == 1 and after not in SUFFIXES:
        return value.text
    return f"({value.text})"


def _fill(template: str, name: str, value: str) -> str:
    return re.sub(r"\{(name|value)\}", lambda m: name if m.group(1) == "name" else value,
                  template)


def names_removed(analysis: FileAnalysis, holder: SyntaxNode,
                  removed: list[SyntaxNode]) -> TextEdit:
    """The declared names ``removed`` out of their declaration ``holder``: out of a list
    of several (``a, b, i: Integer`` becomes ``a, b: Integer``), else the declaration's
    lines, with the nodes around it that hold nothing else (a ``var`` section of that one
    entry, Lua's ``local x`` statement)."""
    names = [c for c in holder.children() if c.kind == removed[0].kind]
    kept = [n.text.strip() for n in names if all(n != r for r in removed)]
    if kept:
        return TextEdit(names[0].start, names[-1].end, ", ".join(kept))
    grammar = analysis.parsed.definition.grammar
    meanings = grammar.meanings() if grammar is not None else {}
    gone = holder
    while gone.parent is not None and gone.parent.parent is not None \
            and not ((m := meanings.get(gone.parent.kind)) is not None and m.scope) \
            and len(list(gone.parent.children())) == 1:
        gone = gone.parent
    return remove_lines(analysis.parsed.text, gone.start, gone.end)
