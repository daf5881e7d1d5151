"""Go to definition, references, highlights and rename over one file's model."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from ..semantics.diagnostics import FileAnalysis
from ..semantics.grammar_meaning import meanings_of
from ..semantics.grammar_members import (
    Members,
    library_member,
    member_symbol,
    member_uses,
    receiver_of,
)
from ..semantics.model import Reference, Symbol, SymbolKind, label_key
from ..semantics.resolve import resolve_names
from ..syntax.incremental import TextEdit
from ..workspace.shared_globals import globals_table_fields
from .completion_methods import constructor_method_at, method_at
from .method_uses import MethodDeclaration, declaration_at, rename_problem, uses_in
from .refactor.verify import edited

if TYPE_CHECKING:
    from ..language.model import Builtin

# what a member part (``.x``) can name: a record's fields, an object's methods
MEMBER_KINDS = frozenset({SymbolKind.FIELD, SymbolKind.FUNCTION, SymbolKind.PROCEDURE})


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    is_write: bool = False


class RenameRefused(Exception):
    """Rename is not possible here; the message tells the user why."""


def symbol_at(analysis: FileAnalysis, offset: int) -> Symbol | None:
    item = analysis.model.at(offset)
    found = meant(analysis, item) if isinstance(item, Reference) else item
    if found is not None:
        # a method body's routine (`function TCalc.Twice`, a recursive call in it):
        # the declaration in its type, as a forward routine's heading is its body's
        return analysis.model.declaration_of(found)
    member = member_at(analysis, offset)
    token = analysis.parsed.root.token_at(offset)
    if member is not None and token is not None and member in analysis.model.overloads:
        # a method's call through a value (`C.Mix(1, 2, 3)`): the overload it means, as
        # hover shows it
        return meant(analysis, Reference(token.text, token.start, token.end, member)) \
            or member
    return member


def meant(analysis: FileAnalysis, ref: Reference) -> Symbol | None:
    """The declaration ``ref`` means; of overloaded routines, the one its call's
    arguments fit: by their types where the type check chose, else by their number."""
    model = analysis.model
    group = model.overloads.get(ref.symbol) if ref.symbol is not None else None
    if group is not None and analysis.types is not None:
        at: int | None = analysis.types.overload_at(ref.start)
        if at is not None and at < len(group):
            return group[at]
    return model.meant(ref)


def member_at(analysis: FileAnalysis, offset: int) -> Symbol | None:
    """The field or method a member part names (``corner`` in ``box.corner``), for a
    grammar whose member parts (``member: true``) follow a value of a declared type."""
    context = member_context(analysis)
    if context is None:
        return None
    return member_symbol(context, offset, analysis.model.scope_at)


def library_member_at(analysis: FileAnalysis, offset: int) -> tuple[Builtin, Builtin] | None:
    """(library, function) when the name at ``offset`` is a builtin library table's
    function written as a member part (``rep`` in ``string.rep``, ``Int`` in ``Out.Int``)."""
    context = member_context(analysis)
    if context is None:
        return None
    return library_member(context, offset, analysis.model.scope_at)


def member_context(analysis: FileAnalysis) -> Members | None:
    """What reading a grammar's member parts needs (None: not a grammar-defined language)."""
    definition = analysis.parsed.definition
    if definition.grammar is None:
        return None
    model = analysis.model
    return Members(analysis.parsed, meanings_of(definition), model.root_scope, model.fold,
                   model.escape)


def definition(analysis: FileAnalysis, offset: int) -> Span | None:
    symbol = symbol_at(analysis, offset)
    if symbol is None:  # `obj:m` of `function Class:m()`, of obj's class
        symbol = method_at(analysis, offset)
    if symbol is None:  # `self:push` of `T = {push = function(self) ... end}`: its key
        method = constructor_method_at(analysis, offset)
        return Span(method[1].start, method[1].end) if method is not None else None
    return Span(symbol.start, symbol.end)


def references(analysis: FileAnalysis, offset: int, include_declaration: bool = True
               ) -> list[Span]:
    symbol = symbol_at(analysis, offset)
    method = method_declaration(analysis, offset) \
        if symbol is None or _by_path(analysis, symbol) else None
    if method is not None:  # `obj:m`, `function T:m`, `T = {m = function ...}`
        return [Span(a, b, (a, b) == (method.start, method.end)) for a, b
                in uses_in(analysis, method).sure
                if include_declaration or (a, b) != (method.start, method.end)]
    if symbol is None:
        return []
    spans = [Span(r.start, r.end, r.is_write) for r in uses(analysis, symbol)]
    # the names of the bodies that define it apart (``SemanticModel.defined``)
    spans.extend(Span(b.start, b.end, True) for b in analysis.model.defined.get(symbol, ()))
    context = member_context(analysis)
    if context is not None and symbol.kind in MEMBER_KINDS:
        spans.extend(Span(a, b) for a, b in member_uses(context, symbol,
                                                         analysis.model.scope_at))
    if include_declaration:
        spans.insert(0, Span(symbol.start, symbol.end, True))
    return sorted(set(spans), key=lambda s: s.start)


def uses(analysis: FileAnalysis, symbol: Symbol) -> list[Reference]:
    """The references to ``symbol`` and to the bodies that define it apart from its
    declaration (their recursive calls: ``SemanticModel.defined``)."""
    model = analysis.model
    found = model.references_to(symbol)
    bodies = {body for routine in model.overloads.get(symbol, [symbol])
              for body in model.defined.get(routine, ())}
    if bodies:  # a call in a body of one overload may mean another
        found.extend(r for r in model.references if r.symbol in bodies
                     and model.declaration_of(model.meant(r) or r.symbol) is symbol)
    return found


def highlights(analysis: FileAnalysis, offset: int) -> list[Span]:
    return references(analysis, offset, include_declaration=True)


def prepare_rename(analysis: FileAnalysis, offset: int) -> tuple[Span, str]:
    """The range to rename and its current text, or RenameRefused."""
    item = analysis.model.at(offset)
    definition = analysis.parsed.definition
    found = _member_to_rename(analysis, offset, item)
    if found is not None:
        return found
    if item is None:
        token = analysis.parsed.root.token_at(offset)
        if token is not None and token.kind.startswith("kw_"):
            raise RenameRefused(f"'{token.text}' is a keyword of {definition.name} and cannot "
                                f"be renamed")
        raise RenameRefused("there is no symbol to rename here")
    if isinstance(item, Reference) and item.symbol is None:
        if item.builtin is not None:
            raise RenameRefused(f"'{item.name}' is a builtin of {definition.name} and cannot "
                                f"be renamed")
        if item.name in analysis.shared_globals:  # renamed where it is assigned too
            return Span(item.start, item.end), item.name
        raise RenameRefused(f"'{item.name}' is not declared in this workspace")
    symbol = item.symbol if isinstance(item, Reference) else item
    if symbol is not None and symbol.implicit:
        raise RenameRefused(f"'{symbol.name}' is declared implicitly and cannot be renamed")
    if symbol is not None and analysis.parsed.text[symbol.start:symbol.end] != symbol.name:
        raise RenameRefused(f"'{symbol.name}' is named by a path; its parts are fields")
    return Span(item.start, item.end), item.name if isinstance(item, Reference) else item.name


def method_declaration(analysis: FileAnalysis, offset: int) -> MethodDeclaration | None:
    """The table's function whose name is at ``offset`` (``method_uses.declaration_at``)
    when the name is no symbol of the file's or only the last part of one declared by
    a path (``function T:m``), and no global the globals table gets (``ns.class =``)."""
    symbol = analysis.model.symbol_at(offset)
    if (symbol is not None and not _by_path(analysis, symbol)) \
            or globals_table_field_at(analysis, offset) is not None:
        return None
    return declaration_at(analysis, offset)


def _by_path(analysis: FileAnalysis, symbol: Symbol) -> bool:
    """Is ``symbol`` named by a path whose last part is written at its span (``function
    T:m``, ``function T.m``)?"""
    return analysis.parsed.text[symbol.start:symbol.end] != symbol.name


def _member_to_rename(analysis: FileAnalysis, offset: int, item: Symbol | Reference | None
                      ) -> tuple[Span, str] | None:
    """What ``prepare_rename`` answers for a member: a field or method of a declared type
    (``box.corner``), a global the globals table gets (``ns.class =``), a table's function
    (``obj:m``, ``function T:m``)."""
    member = member_at(analysis, offset) if item is None else None
    token = analysis.parsed.root.token_at(offset)
    if member is not None and token is not None:
        return Span(token.start, token.end), token.text
    field = globals_table_field_at(analysis, offset) if item is None else None
    if field is not None:  # `ns.class =` of populate(_G): the global `class`
        return Span(field[1], field[1] + len(field[0])), field[0]
    method = method_declaration(analysis, offset) if item is None or isinstance(item, Symbol) \
        else None
    if method is not None and token is not None:  # the table's function `m`
        return Span(token.start, token.end), token.text
    return None


def globals_table_field_at(analysis: FileAnalysis, offset: int) -> tuple[str, int] | None:
    """The global (name, where written) when ``offset`` is on a field a function assigns
    to the globals table it is passed (``structure.globals_table``: ``ns.class =`` of
    ``populate(_G)``)."""
    if analysis.parsed.definition.structure.globals_table is None:
        return None
    return next(((name, start) for name, start in
                 globals_table_fields(analysis.parsed, analysis.model)
                 if start <= offset <= start + len(name)), None)


def _declared_key(analysis: FileAnalysis, symbol: Symbol, name: str) -> str:
    """The key ``symbol`` would be declared by if it were called ``name``: a label's own
    (``structure.labels: separate``), where only another label clashes with it."""
    key = analysis.model.key(name)
    separate = analysis.parsed.definition.structure.labels == "separate"
    return label_key(key) if separate and symbol.kind == SymbolKind.LABEL else key


def check_new_name(analysis: FileAnalysis, new_name: str, dotted: bool = False) -> None:
    """RenameRefused when ``new_name`` is no identifier (or, for a ``dotted`` name,
    identifiers joined by periods), a keyword or a builtin."""
    definition = analysis.parsed.definition
    parts = new_name.split(".") if dotted else [new_name]
    if not all(re.fullmatch(definition.lexical.identifier, p) for p in parts):
        raise RenameRefused(f"'{new_name}' is not a valid identifier in {definition.name}")
    fold: Callable[[str], str] = (lambda s: s.lower()) \
        if not definition.lexical.case_sensitive else (lambda s: s)
    for spellings in definition.keywords.values():
        if any(fold(s) == fold(new_name) for s in spellings):
            raise RenameRefused(f"'{new_name}' is a keyword of {definition.name}")
    if definition.builtin(new_name) is not None:
        raise RenameRefused(f"'{new_name}' is a builtin of {definition.name}")


def free_uses(analysis: FileAnalysis, name: str) -> list[Span]:
    """The uses of ``name`` that no declaration of the file resolves (another file's
    global, ``structure.workspace_globals``)."""
    key = analysis.model.key(name)
    return sorted({Span(r.start, r.end, r.is_write) for r in analysis.model.references
                   if r.symbol is None and r.builtin is None
                   and analysis.model.key(r.name) == key}, key=lambda s: s.start)


def rename_spans(analysis: FileAnalysis, offset: int, new_name: str) -> list[Span]:
    """Every span to replace with ``new_name`` (declaration included), or RenameRefused."""
    prepare_rename(analysis, offset)
    item = analysis.model.at(offset)
    method = method_declaration(analysis, offset) if item is None or isinstance(item, Symbol) \
        else None
    if method is not None:  # a table's function: its uses through the values it reaches
        return _method_rename_spans(analysis, method, new_name)
    named = item.symbol if isinstance(item, Reference) else item
    # a routine declared under a dotted name (grammar annotation ``dotted``) written out
    check_new_name(analysis, new_name, named is not None and "." in named.name)
    if isinstance(item, Reference) and item.symbol is None:  # another file's global
        return free_uses(analysis, item.name)
    symbol = symbol_at(analysis, offset)
    assert symbol is not None  # prepare_rename checked it
    key = _declared_key(analysis, symbol, new_name)
    for named in (symbol, *analysis.model.defined.get(symbol, ())):
        clash = named.scope.symbols.get(key)
        if clash is not None and clash is not named:
            raise RenameRefused(f"'{new_name}' is already declared in this scope "
                                f"({clash.kind})")
    for ref in uses(analysis, symbol):
        # a use inside a scope that declares the new name would be captured by it
        captured = ref.scope.lookup(key, ref.start) if ref.scope is not None else None
        if captured is not None and captured is not symbol:
            raise RenameRefused(f"renaming to '{new_name}' would make a use of "
                                f"'{symbol.name}' refer to the {captured.kind} '{captured.name}'")
    for ref in analysis.model.references:
        # a use of another declaration of the new name that the renamed one would hide
        if ref.symbol is not None and ref.symbol is not symbol \
                and analysis.model.key(ref.name) == key and _would_hide(symbol, ref):
            raise RenameRefused(f"renaming to '{new_name}' would make a use of the "
                                f"{ref.symbol.kind} '{ref.name}' refer to '{symbol.name}'")
    spans = _keeping_marks(analysis, references(analysis, offset, include_declaration=True),
                           new_name)
    _check_meanings(analysis, symbol, spans, new_name)
    return spans


def _method_rename_spans(analysis: FileAnalysis, method: MethodDeclaration,
                         new_name: str) -> list[Span]:
    """The spans renaming a table's function changes in this file, or RenameRefused."""
    check_new_name(analysis, new_name)
    method_uses = uses_in(analysis, method)
    problem = rename_problem(analysis, method, method_uses, new_name)
    if problem is not None:
        raise RenameRefused(problem)
    if method.analysis is not analysis:
        raise RenameRefused(f"'{method.name}' is declared in another file")
    return [Span(a, b, (a, b) == (method.start, method.end)) for a, b in method_uses.sure]


def _check_meanings(analysis: FileAnalysis, symbol: Symbol, spans: list[Span],
                    new_name: str) -> None:
    """RenameRefused unless, renamed, every use of the old or the new name means what it
    meant: the names of the result are resolved again. The checks above read the scopes
    a use is inside; a name can also be seen from elsewhere (a method written outside
    its class sees the class's fields and methods, a unit's interface its
    implementation), and a use no declaration of the file resolved (another unit's
    name) would be taken by the renamed one."""
    model = analysis.model
    text = analysis.parsed.text
    ordered = sorted(spans, key=lambda s: s.start)
    edits = [TextEdit(s.start, s.end, new_name) for s in reversed(ordered)]
    parsed = edited(analysis.parsed, edits)
    renamed = [s.start for s in ordered]
    shifts = list(accumulate((len(new_name) - (s.end - s.start) for s in ordered), initial=0))

    def moved(offset: int) -> int:
        return offset + shifts[bisect_left(renamed, offset)]

    marks = analysis.parsed.definition.structure.type_marks
    keys = {model.key(symbol.name), model.key(new_name)}
    after = {r.start: r for r in resolve_names(parsed).references}
    for ref in model.references:
        name = ref.name[:len(ref.name) - len(_mark_of(ref.name, marks))] if marks else ref.name
        if model.key(ref.name) not in keys and model.key(name) not in keys:
            continue
        now = after.get(moved(ref.start))
        meant = moved(ref.symbol.start) if ref.symbol is not None else None
        if now is not None and (now.symbol.start if now.symbol is not None else None) == meant \
                and (meant is not None or now.builtin == ref.builtin):
            continue
        line = text.count("\n", 0, ref.start) + 1
        target = "nothing" if now is None or now.symbol is None \
            else f"the {now.symbol.kind} declared on line {_line_at(parsed.text, now.symbol.start)}"
        raise RenameRefused(f"renaming to '{new_name}' would make the use of '{ref.name}' on "
                            f"line {line} refer to {target}")


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _keeping_marks(analysis: FileAnalysis, spans: list[Span], new_name: str) -> list[Span]:
    """``spans`` without the type mark each is written with (``structure.type_marks``),
    when ``new_name`` has none: a name written with and without its mark is one name
    (``DIM n AS INTEGER`` used as ``n%``), and each use keeps its own spelling; replacing
    ``n%`` by the bare new name would leave a name of another type."""
    marks = analysis.parsed.definition.structure.type_marks
    if not marks or _mark_of(new_name, marks):
        return spans
    text = analysis.parsed.text
    return [Span(s.start, s.end - len(_mark_of(text[s.start:s.end], marks)), s.is_write)
            for s in spans]


def _mark_of(name: str, marks: tuple[str, ...]) -> str:
    """The type mark ``name`` ends with ('' for none); ``marks`` are longest first."""
    return next((m for m in marks if len(name) > len(m) and name.endswith(m)), "")


def _would_hide(symbol: Symbol, ref: Reference) -> bool:
    """Would ``symbol``, under the name ``ref`` uses, be what ``ref`` finds?"""
    if ref.scope is None or ref.start < symbol.visible_from:
        return False
    chain = ref.scope.chain()
    if symbol.scope not in chain:
        return False
    target = ref.symbol
    assert target is not None
    if target.scope not in chain or target.scope is symbol.scope:
        return target.scope is symbol.scope and symbol.visible_from > target.visible_from
    return chain.index(symbol.scope) < chain.index(target.scope)



def external_target(analysis: FileAnalysis, offset: int) -> tuple[str, str] | None:
    """(module file path, name) when the name at ``offset`` comes from an imported module:
    an unqualified use (``Square(2)`` after ``USES MathLib``) or ``module.name``."""
    from ..syntax import kinds as K
    token = analysis.parsed.root.token_at(offset)
    if token is None or token.kind != "ident":
        return None
    fold = str.lower if not analysis.parsed.definition.lexical.case_sensitive else str
    parent = token.parent
    member = parent.parent if parent is not None else None
    if member is not None and member.kind == K.MEMBER_EXPR:
        parts = member.children_of_kind(K.NAME_REF)
        if len(parts) == 2 and parts[1].start == token.start:
            exports = analysis.modules.get(parts[0].text.strip().lower())
            if exports is not None:
                return str(exports.path), token.text
    context = member_context(analysis)
    written = receiver_of(context, offset) if context is not None else None
    if written is not None:  # a grammar's member part: `Counters.Next`
        return _exported(analysis, *written)
    item = analysis.model.at(offset)
    if isinstance(item, Reference) and item.symbol is None:
        for exports in analysis.modules.values():
            if any(fold(n) == fold(item.name) for n in exports.names):
                return str(exports.path), item.name
        if item.name in analysis.shared_globals:  # another file's global
            return analysis.shared_globals[item.name], item.name
    return None


def _exported(analysis: FileAnalysis, receiver: str, name: str, at: int
              ) -> tuple[str, str] | None:
    """(module file path, name) when ``receiver`` at offset ``at`` is an imported module
    (a symbol of kind module) that exports ``name``."""
    model = analysis.model
    symbol = model.scope_at(at).lookup(model.key(receiver))
    exports = analysis.modules.get(receiver.lower()) \
        if symbol is not None and symbol.kind == SymbolKind.MODULE else None
    if exports is None:
        return None
    key = model.key(name)
    exported = next((n for n in exports.names if model.key(n) == key), None)
    return (str(exports.path), exported) if exported is not None else None
