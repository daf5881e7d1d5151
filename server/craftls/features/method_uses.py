"""The declaration of a table's function called as a method, and its uses: what
go-to-definition across files, references and rename read for ``obj:m`` / ``obj.m``.

A function is declared on a table by a qualified name (``function T:m()``, ``function
T.m()``), as a key of the table's constructor (``T = {m = function(self) ... end}``) or
by a field assignment (``T.m = function ...``, a module's ``M.m = other.m``). A use
``obj:m`` means the declaration that obj's value reaches (``completion_methods``' links:
the class it was made from, the table a loaded module returns, ``self`` of a method), in
this file or another one. Each ``.m`` / ``:m`` of a file is sure (it reaches the
declaration, or another one, or a builtin library or a host's global) or unsure (its
receiver is no name, or a name whose value craftls cannot follow): a rename is refused
while one is unsure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import ROUTINE_KINDS, Symbol
from ..syntax.tokens import IDENT
from .completion_methods import (
    constructor_key_at,
    constructor_method_at,
    made_from,
    member_written_at,
    method_declaration_at,
    method_names,
    receiver_written,
)
from .module_tables import split_qualified


@dataclass(frozen=True)
class MethodDeclaration:
    """Where the function ``name`` of the table ``owner`` is declared: its name's span in
    ``analysis``'s file (this one or another); ``symbol``: the declared function, None for
    a constructor's key or a field assignment."""

    analysis: FileAnalysis = field(compare=False, repr=False)
    start: int
    end: int
    name: str
    owner: str
    symbol: Symbol | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[object, int]:
        """Tells two declarations apart across analyses of one file (a module's
        analysis made for an importer and the open document's)."""
        path = self.analysis.path
        return (str(path) if path is not None else id(self.analysis), self.start)


def declaration_at(analysis: FileAnalysis, offset: int) -> MethodDeclaration | None:
    """The declaration of the table's function whose name is at ``offset``: a use
    (``obj:m``, ``obj.m``, ``self:m``) or a declaration itself (``function T:m``, the key
    ``m`` of ``T = {m = function ...}``, ``T.m = function``)."""
    token = analysis.parsed.root.token_at(offset)
    if token is None or token.kind != IDENT or analysis.parsed.definition.grammar is None:
        return None
    symbol = analysis.model.symbol_at(offset)
    if symbol is not None and symbol.kind in ROUTINE_KINDS and symbol.start == token.start:
        return _of_symbol(analysis, symbol)  # `function T:m`
    key = constructor_key_at(analysis, offset)
    if key is not None:
        return MethodDeclaration(analysis, key[1].start, key[1].end, key[1].text, key[0])
    written = member_written_at(analysis, offset)
    if written is None or symbol is not None:
        return None
    found = method_declaration_at(analysis, offset)
    if found is not None:
        return _of_symbol(*found)
    method = constructor_method_at(analysis, offset)
    if method is not None:
        table, key_token, _ = method
        return MethodDeclaration(analysis, key_token.start, key_token.end, key_token.text,
                                 table.name)
    return _assigned_field(analysis, written[0], token.text)


def _of_symbol(analysis: FileAnalysis, symbol: Symbol) -> MethodDeclaration | None:
    separator = analysis.parsed.definition.structure.method_separator or "."
    owner, sep, name = split_qualified(symbol.name, separator)
    return MethodDeclaration(analysis, symbol.start, symbol.end, name, owner, symbol) \
        if sep else None


def _assigned_field(analysis: FileAnalysis, receiver: Symbol, name: str
                    ) -> MethodDeclaration | None:
    """The first ``T.name = ...`` of the receiver's table or of a table its value was made
    from (a module's ``M.compose = fun.compose``): the field's declaration."""
    model = analysis.model
    if receiver.kind not in ROUTINE_KINDS:
        for where, table in [(analysis, receiver)] + made_from(analysis, receiver):
            text = where.parsed.text
            field_ = re.compile(r"\s*\.\s*(" + re.escape(name) + r")\s*"
                                + re.escape(where.parsed.definition.structure.assignment)
                                + r"(?!=)")
            found = [m for ref in where.model.references_to(table)
                     if (m := field_.match(text, ref.end)) is not None
                     and where.model.key(m.group(1)) == model.key(name)]
            if found:
                first = min(found, key=lambda m: m.start(1))
                return MethodDeclaration(where, first.start(1), first.end(1), name,
                                         table.name)
    return None


@dataclass(frozen=True)
class Uses:
    """A file's uses of a declaration: ``sure`` spans (the declaration's own when it is in
    this file), and the offsets of the ``.m`` / ``:m`` whose receiver's value is not
    known (``unsure``), each maybe the declaration's."""

    sure: list[tuple[int, int]]
    unsure: list[int]


def uses_in(analysis: FileAnalysis, declared: MethodDeclaration) -> Uses:
    """The uses of ``declared`` in ``analysis``'s file."""
    text = analysis.parsed.text
    definition = analysis.parsed.definition
    separators = {".", definition.structure.method_separator or "."}
    sure: list[tuple[int, int]] = []
    unsure: list[int] = []
    here = _same_file(analysis, declared)
    if here:
        sure.append((declared.start, declared.end))
    pattern = re.compile(r"(?:" + "|".join(re.escape(s) for s in sorted(separators))
                         + r")\s*(" + re.escape(declared.name) + r")\b",
                         0 if definition.lexical.case_sensitive else re.IGNORECASE)
    # what a receiver's `.m` means depends on the receiver only: asked once for each
    by_receiver: dict[int, MethodDeclaration | None] = {}
    for found in pattern.finditer(text):
        at = found.start(1)
        token = analysis.parsed.root.token_at(at)
        if token is None or token.start != at or token.kind != IDENT \
                or (here and at == declared.start):
            continue
        written = member_written_at(analysis, at) \
            if analysis.model.symbol_at(at) is None else None
        if written is not None and written[0].start in by_receiver:
            meant = by_receiver[written[0].start]
        else:
            meant = declaration_at(analysis, at)
            if written is not None:
                by_receiver[written[0].start] = meant
        if meant is not None:
            if meant.key == _key_here(analysis, declared, here):
                sure.append((at, token.end))
            continue
        if _known_elsewhere(analysis, at):
            continue
        unsure.append(at)
    return Uses(sorted(set(sure)), unsure)


def _same_file(analysis: FileAnalysis, declared: MethodDeclaration) -> bool:
    if declared.analysis is analysis:
        return True
    return analysis.path is not None and declared.analysis.path is not None \
        and str(analysis.path) == str(declared.analysis.path)


def _key_here(analysis: FileAnalysis, declared: MethodDeclaration, here: bool
              ) -> tuple[object, int]:
    """``declared``'s key as a use of ``analysis``'s file finds it (the file's own
    analysis when it is declared there)."""
    if here and declared.analysis is not analysis:
        path = analysis.path
        return (str(path) if path is not None else id(analysis), declared.start)
    return declared.key


def _known_elsewhere(analysis: FileAnalysis, at: int) -> bool:
    """Is the receiver of the member at ``at`` a name whose members are no table's
    functions of the workspace: a builtin library (``string.rep``), a host's global
    (``love.draw``), both not declared in the file?"""
    definition = analysis.parsed.definition
    name = receiver_written(analysis, at, r"\S")
    if name is None:
        return False
    model = analysis.model
    if model.scope_at(at).lookup(model.key(name), at) is not None:
        return False
    return definition.builtin(name) is not None or name in analysis.host_globals


def rename_problem(analysis: FileAnalysis, declared: MethodDeclaration, uses: Uses,
                   new_name: str) -> str | None:
    """Why renaming ``declared`` to ``new_name`` with ``uses`` (this file's) is refused,
    or None: a use craftls is not sure of, or a function of that name the table has."""
    if uses.unsure:
        line = analysis.parsed.text.count("\n", 0, uses.unsure[0]) + 1
        return (f"'{declared.name}' on line {line} may be this function: the value before "
                f"it is not known, so a rename could miss it")
    model = declared.analysis.model
    owners = [s for s in model.symbols if s.start <= declared.start
              and model.key(s.name) == model.key(declared.owner)]
    known = method_names(declared.analysis, max(owners, key=lambda s: s.start), -1) \
        if owners else []
    if any(model.key(n) == model.key(new_name) for n in known):
        return f"'{declared.owner}' already has a function '{new_name}'"
    return None
