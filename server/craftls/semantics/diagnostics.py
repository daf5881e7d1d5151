"""Diagnostics of one file: syntax errors plus what name resolution finds."""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Final

from ..language.defaults import COMMON_TYPE_NAMES
from ..syntax import kinds as K
from ..syntax.lexer import text_mode
from ..syntax.parse import ParsedFile
from ..syntax.preprocess import pasted_names
from ..syntax.tokens import IDENT, LEX_ERRORS, STRING, TRIVIA
from ..syntax.tree import GreenNode, SyntaxError_, SyntaxNode, SyntaxToken, kind_bit
from .doc_comments import DocInfo
from .doc_comments import read as read_doc_comments
from .dotted_names import dotted_name
from .grammar_meaning import HEADING, export_parts, global_reads, meanings_of, nodes_of_kinds
from .grammar_members import declaring_node, symbol_arity, type_member
from .item_walks import TemplateCache
from .model import (
    CallFacts,
    Reference,
    SemanticModel,
    Span,
    Symbol,
    SymbolKind,
    label_key,
    other_spellings,
    visible_at,
)
from .resolve import Resolver, defaults_around, heading_keys, routines_around


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a file, as a text range."""

    start: int
    end: int
    severity: str  # error | warning | information | hint
    message: str
    code: str
    tags: tuple[str, ...] = ()  # "unnecessary", "deprecated"
    related: tuple[tuple[int, int, str], ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class FileAnalysis:
    """One file's tree, names, diagnostics and (once checked) types."""

    parsed: ParsedFile
    model: SemanticModel
    diagnostics: list[Diagnostic]
    types: Any = None  # a types.TypeReport once type checking ran
    modules: dict[str, Any] = field(default_factory=dict)  # imported module -> its exports
    # the names the ``globals`` setting made known in this file (completion offers them)
    extra_globals: frozenset[str] = frozenset()
    # the globals the hosts of ``structure.host_globals`` give this file: name -> what
    # it is (completion offers them)
    host_globals: Mapping[str, str] = field(default_factory=dict)
    # the globals other files of the workspace assign (``workspace_globals``) that this
    # file may read: name -> the path of a file that assigns it
    shared_globals: Mapping[str, str] = field(default_factory=dict)
    # the other files this analysis read (imported modules, included files, the includer
    # of an included file and what it includes): a change of one makes it stale
    inputs: frozenset[Path] = frozenset()
    # the file's path, when it has one: the module files its ``structure.module_call``
    # calls load are looked for from there when completion asks (a module file is read
    # anew when it changed, ``completion_methods``; no cost while typing elsewhere)
    path: Path | None = None
    # the classes and aliases of its annotation comments (``lexical.doc_comments``)
    doc: DocInfo = field(default_factory=DocInfo)


def analyze_file(parsed: ParsedFile, externals: Mapping[str, str] | None = None,
                 missing_modules: list[str] | None = None,
                 templates: TemplateCache | None = None,
                 names_unknown: bool = False,
                 external_defaults: Mapping[str, int] | None = None,
                 included: bool = False) -> FileAnalysis:
    """``templates``: the session's name-resolution templates (see ``Resolver``);
    ``names_unknown``: a file the text includes could not be read (its names are not
    known here, see ``semantic_diagnostics``); ``external_defaults``: routine key -> how
    many parameters have defaults where an included file declares it; ``included``:
    another file includes this one (its top-level names are that file's too)."""
    resolver = Resolver(parsed, externals, templates)
    model = resolver.run()
    missing = _missing_modules(parsed, model, missing_modules or [])
    diagnostics = syntax_diagnostics(parsed) + missing \
        + semantic_diagnostics(resolver, model, names_unknown or bool(missing),
                               external_defaults, included)
    diagnostics.sort(key=lambda d: (d.start, d.end, d.code))
    return FileAnalysis(parsed, model, diagnostics, doc=read_doc_comments(parsed, model))


_LEXICAL_MESSAGES = frozenset(LEX_ERRORS.values())


def syntax_diagnostics(parsed: ParsedFile) -> list[Diagnostic]:
    return [Diagnostic(e.start, e.end, "error", e.message, "syntax")
            for e in first_errors(parsed.text, parsed.errors, parsed.green)] \
        + invalid_escapes(parsed)


def invalid_escapes(parsed: ParsedFile) -> list[Diagnostic]:
    """An error over each backslash in a string literal that what follows it is no escape
    of (the string rule's ``escapes``; Lua 5.4's "invalid escape sequence")."""
    checked = {rule.delimiter[:1]: re.compile(rule.escapes)
               for rule in parsed.definition.lexical.strings
               if rule.escapes and not rule.prefix and rule.ends_at is None}
    text = parsed.text
    if not checked or "\\" not in text:
        return []
    out: list[Diagnostic] = []
    seen: set[int] = set()
    at = text.find("\\")
    while at >= 0:
        token = parsed.root.token_at(at)
        if token is not None and token.start not in seen:
            seen.add(token.start)
            escapes = checked.get(token.text[:1]) if token.kind == STRING else None
            if escapes is not None:
                out += _bad_escapes(token.text, token.start, escapes)
        at = text.find("\\", at + 1 if token is None else max(at + 1, token.end))
    return out


def _bad_escapes(literal: str, start: int, escapes: re.Pattern[str]) -> list[Diagnostic]:
    out = []
    at = literal.find("\\", 1)
    while at >= 0:
        found = escapes.match(literal, at + 1)
        if found is None:
            shown = literal[at:at + 2]
            out.append(Diagnostic(start + at, start + at + len(shown), "error",
                                  f"invalid escape sequence '{shown}'", "syntax"))
        at = literal.find("\\", at + 1 + (len(found.group()) if found else 1))
    return out


# tokens the parser must take after an error before it reports another (yacc's and
# Bison's error recovery: no new message until three tokens were shifted)
RESYNC_TOKENS: Final = 3


def first_errors(text: str, errors: list[SyntaxError_], root: GreenNode | None = None
                 ) -> list[SyntaxError_]:
    """The syntax errors worth showing. With the tree (``root``), an error the parser
    reports before it took ``RESYNC_TOKENS`` tokens since the previous one is a cascade of
    that one and is dropped, as yacc and Bison do (one missing token otherwise gave an
    error on each of the following lines); a lexical error always stays. Then at most one
    per line, as go/parser reports them (recovery reports again at the same place, and
    often at each following token of the line: 22 "expected 'BEGIN'" at one offset). On
    a line, a lexical error (an unterminated string, a stray character) wins, as it is
    what the parser's errors follow from; otherwise the first error, the cause."""
    if len(errors) < 2:
        return list(errors)
    ordered = sorted(errors, key=lambda e: e.start)  # stable: parser order on ties
    if root is not None:
        ordered = _after_recovery(root, ordered)
    line_starts = _line_starts(text)
    chosen: dict[int, SyntaxError_] = {}
    for error in ordered:
        line = bisect.bisect_right(line_starts, error.start) - 1
        kept = chosen.get(line)
        if kept is None or (error.message in _LEXICAL_MESSAGES
                            and kept.message not in _LEXICAL_MESSAGES):
            chosen[line] = error
    return [chosen[line] for line in sorted(chosen)]


def _after_recovery(root: GreenNode, ordered: list[SyntaxError_]) -> list[SyntaxError_]:
    """``ordered`` without the errors reported before the parser took ``RESYNC_TOKENS``
    tokens (outside error nodes) since the previous error, reported or not."""
    taken: list[int] = []
    _taken_tokens(root, 0, ordered[0].start, max(e.end for e in ordered), taken)
    kept = [ordered[0]]
    since = ordered[0].end
    for error in ordered[1:]:
        if error.message in _LEXICAL_MESSAGES or bisect.bisect_left(taken, error.start) \
                - bisect.bisect_left(taken, since) >= RESYNC_TOKENS:
            kept.append(error)
        since = max(since, error.end)
    return kept


def _taken_tokens(node: GreenNode, offset: int, low: int, high: int, out: list[int]) -> None:
    """Appends, in order, where each token the parser took (not trivia, not a line break,
    not a lexical error, not inside an error node) starts, between ``low`` and ``high``."""
    for child in node.children:
        if isinstance(child, GreenNode):
            end = offset + child.width
            if end > low and offset < high and child.error is None:
                _taken_tokens(child, offset, low, high, out)
            offset = end
        else:
            kind = child[0]
            if low <= offset < high and kind not in TRIVIA and kind not in LEX_ERRORS:
                out.append(offset)
            offset += len(child[1])


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


_ROUTINES = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)


def _is_array(resolver: Resolver, symbol: Symbol) -> bool:
    """Does a '(' follow the declared name (``structure.arrays``: DIM a(9), SUB S (a()))?"""
    if symbol.kind not in (SymbolKind.VARIABLE, SymbolKind.PARAMETER):
        return False
    text = resolver.parsed.text
    at = symbol.end
    while at < len(text) and text[at] in " \t":
        at += 1
    return text.startswith("(", at)


def _nowhere(offset: int) -> bool:
    return False


def _environment(resolver: Resolver, model: SemanticModel) -> Callable[[int], bool]:
    """Is an offset where a variable the file declares under the definition's
    ``environment_variable`` (Lua's ``local _ENV = M``) is visible: a name no declaration
    binds there is a field of that variable's table, not an undefined name."""
    name = resolver.definition.structure.environment_variable
    if name is None or name not in resolver.parsed.text:
        return _nowhere
    key = resolver.key(name)
    return lambda offset: model.scope_at(offset).lookup(key, offset) is not None


def _names_a_label(model: SemanticModel, start: int) -> bool:
    item = model.at(start)
    return isinstance(item, Reference) and item.label


def semantic_diagnostics(resolver: Resolver, model: SemanticModel,
                         names_unknown: bool = False,
                         external_defaults: Mapping[str, int] | None = None,
                         included: bool = False) -> list[Diagnostic]:
    """``names_unknown``: a module the file imports, or a file it includes, could not be
    read. Any name may come from it (an import brings all its names), so no name is
    reported undefined: a real program's missing library would otherwise bury the file in
    warnings (hundreds of names from one unit), and the warning at the import says so."""
    out = _undefined(resolver, model, names_unknown)
    overloaded, twins = _duplicates(resolver, out)
    out.extend(_argument_counts(resolver, model, overloaded, external_defaults or {}))
    out.extend(_unused(resolver, model, twins | _branch_twins(resolver, model), included))
    return out


def _branch_twins(resolver: Resolver, model: SemanticModel) -> set[int]:
    """The starts of the declarations that declare again, in another block (``branch``),
    a name of their scope whose first declaration the uses are bound to (``branch``: CASE 1:
    DIM k ... CASE 2: DIM k = 2: PRINT k), where such a use follows them in their block:
    used, though the uses name the first one."""
    pairs = [(symbol, previous) for symbol, previous in resolver.duplicates
             if _other_branches(resolver, symbol, previous)]
    if not pairs:
        return set()
    firsts = {id(previous) for _, previous in pairs}
    uses = [ref for ref in model.references if id(ref.symbol) in firsts]
    found: set[int] = set()
    for symbol, previous in pairs:
        span = _block_span(resolver, symbol.start)
        if span is not None and any(ref.symbol is previous and symbol.end <= ref.start < span[1]
                                    for ref in uses):
            found.add(symbol.start)
    return found


def _block_span(resolver: Resolver, offset: int) -> tuple[int, int] | None:
    """Where the innermost block around ``offset`` (``_branch_at``) is: its ``branch``
    node, or the part of its ``branches_at`` node up to the next dividing token."""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(offset, offset)
    while node is not None:
        meaning = resolver.meanings.get(node.kind)
        if meaning is not None and meaning.branch:
            return node.start, node.end
        if meaning is not None and meaning.branches_at:
            keys = {resolver.key(word) for word in meaning.branches_at}
            ends = [child.start for child in node.children_with_tokens()
                    if isinstance(child, SyntaxToken) and child.start > offset
                    and resolver.key(child.text) in keys]
            return offset, min(ends, default=node.end)
        node = node.parent
    return None


_START: Final = operator.itemgetter(1)


def _undefined(resolver: Resolver, model: SemanticModel, names_unknown: bool
               ) -> list[Diagnostic]:
    """An ``undefined-name`` (or ``undefined-global``) for each name nothing declares, but
    types, names of other files, an includer's labels and names other modules define."""
    definition = resolver.definition
    out: list[Diagnostic] = []
    known_types = {resolver.key(t) for t in (*definition.types, *definition.structure.known_types)
                   } | set(COMMON_TYPE_NAMES)
    undefined_severity = "error" if definition.structure.environment_complete else "warning"
    elsewhere = heading_keys(resolver, external=True)  # DECLAREd, defined in another module
    marks = definition.structure.type_marks
    quiet = global_reads(definition, resolver.parsed.root) if definition.grammar is not None \
        else frozenset()
    in_environment = _environment(resolver, model)
    made = macro_made_names(resolver.parsed)
    guarded = _self_guard(resolver)
    names: Iterable[Span] = model.undefined_names()
    if definition.structure.undefined_types:
        # a type name no builtin names either (builtins are not looked up for types)
        types = _QualifiedTypes(resolver)
        qualified = types.unchecked
        names = sorted([*names, *(span for span in model.undefined_type_names()
                                  if resolver.builtin_name(span[0]) is None
                                  and not qualified(*span)),
                        *types.units_after_units(model)],
                       key=_START)
    for name, start, end in names:
        key = resolver.key(name)
        if in_environment(start) or guarded(name, start, end):
            continue
        if start in quiet:
            # `_G.x` read: a field of the globals table may be anything, but where a
            # file-scope local of its name is visible (and no other file assigns the
            # global), the program likely meant that local (not `local x = _G.x`)
            if visible_at(resolver.root_scope.symbols.get(key), start) is not None \
                    and key not in resolver.externals:
                out.append(Diagnostic(start, end, undefined_severity, f"no global '{name}' "
                                      f"is assigned: the local '{name}' is not a global",
                                      "undefined-global"))
            continue
        if key in known_types or key.lower() in known_types or key in resolver.externals \
                or key in made:
            continue  # (made: a name a token-pasting macro may make, never expanded here)
        if resolver.labels and label_key(key) in resolver.externals \
                and _names_a_label(model, start):
            continue  # a label of the includer (GOSUB Handler in an included file)
        if elsewhere and (key in elsewhere
                          or any(k in elsewhere for k in other_spellings(key, marks))):
            continue
        if names_unknown:
            continue
        out.append(Diagnostic(start, end, undefined_severity, f"undefined name '{name}'",
                              "undefined-name", data={"name": name}))
    return out


def _qualified_type_part(resolver: Resolver) -> Callable[[str, int, int], bool]:
    """Is the type name at ``start``..``end`` a part of a qualified one (a ``type`` node
    of several names: Pascal's `Dos.Registers`, `TOuter.TInner`) that is not checked: a
    part after the first is a member of a type or of a unit whose members are not known
    here, the first a module's name (one the file declares or imports, or one of the
    runtime's ``structure.standard_modules``)? The name after a module's (`SysUtils.
    TExeption`, the file's own `MyUnit.TThang`, `MyUnit.TOuter.TInner`'s TOuter) is
    checked as the bare name is: a unit's types are the file's, the definition's, or
    those a read unit exports (while a used unit cannot be read, nothing is reported in
    the file). A longer name after a dotted unit's first name (`Generics.Collections.
    TList`, `System.SysUtils.Exception` with `uses System.SysUtils`) may begin with a
    namespace of units: its later parts are not checked; after a standard module that
    begins no dotted unit the file names, the second part is checked as the bare name
    (and a unit's name there is reported: ``units_after_units``). A part after a type the file
    declares (`TOuter.TInnr`, `MyUnit.TOuter.TInnr`) is checked against that type's
    members when they are all known (its ancestors' declarations are in the file)."""
    return _QualifiedTypes(resolver).unchecked


class _QualifiedTypes:
    """``_qualified_type_part``'s answers for one file."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        structure = resolver.definition.structure
        self.standard = {resolver.key(m) for m in structure.standard_modules}
        # a standard module's name names it in a type name only where the file imports
        # it, or every file uses it (`SysUtils.Exception` with no `uses SysUtils`: fpc
        # 3.2.2 "Identifier not found")
        self.implicit = {resolver.key(m) for m in structure.implicit_modules} \
            if structure.implicit_modules else self.standard
        self._imported: set[str] | None = None

    def declared_module(self, name: str) -> Symbol | None:
        symbol = self.resolver.root_scope.symbols.get(self.resolver.key(name))
        return symbol if symbol is not None and symbol.kind == SymbolKind.MODULE else None

    def module(self, name: str) -> bool:
        key = self.resolver.key(name)
        if key in self.implicit or key.lower() in self.implicit \
                or self.declared_module(name) is not None:
            return True
        return (key in self.standard or key.lower() in self.standard) \
            and key in self.imported()

    def imported(self) -> set[str]:
        """The names the file's imports are written with, each part of a dotted one
        (`SysUtils` of `uses System.SysUtils`, whose module is named by its first)."""
        if self._imported is None:
            resolver = self.resolver
            kinds = {kind for kind, meaning in resolver.meanings.items() if meaning.imports}
            self._imported = {resolver.key(token.text)
                              for node in resolver.parsed.root.descendants()
                              if node.kind in kinds
                              for inner in node.descendants() for token in inner.tokens()
                              if token.kind == IDENT}
        return self._imported

    def owner_of(self, parts: list[SyntaxNode], at: int) -> Symbol | None:
        """The type the parts before ``at`` name (after a unit's name), when the file
        declares it."""
        resolver = self.resolver
        first = 1 if self.module(parts[0].text) else 0
        if first >= at:
            return None
        owner = resolver.root_scope.symbols.get(resolver.key(parts[first].text))
        for part in parts[first + 1:at]:
            if owner is None or owner.kind != SymbolKind.TYPE:
                return None
            found = type_member(resolver, owner, resolver.key(part.text))
            owner = found if isinstance(found, Symbol) else None
        return owner if owner is not None and owner.kind == SymbolKind.TYPE else None

    def units_after_units(self, model: SemanticModel) -> list[Span]:
        """The names of units written as the second part of a qualified type name after a
        unit's name that begins no dotted unit the file names (`System.SysUtils.
        Exception` with `uses SysUtils`: a unit is no member of another; fpc 3.2.2
        "Identifier not found"; with `uses System.SysUtils` it names that unit)."""
        found: list[Span] = []
        for ref in model.references:
            symbol = ref.symbol
            if not ref.is_type or symbol is None or symbol.kind != SymbolKind.MODULE:
                continue
            node = self.resolver.parsed.root.covering_node(ref.start, ref.end)
            parent = node.parent if node.kind == K.NAME_REF else None
            parts = parent.children_of_kind(K.NAME_REF) if parent is not None else []
            if len(parts) < 2 or parts[1].start != ref.start \
                    or not self.module(parts[0].text):
                continue
            head = self.declared_module(parts[0].text)
            if head is None or not _qualified_module(self.resolver, head):
                found.append((ref.name, ref.start, ref.end))
        return found

    def unchecked(self, name: str, start: int, end: int) -> bool:
        node = self.resolver.parsed.root.covering_node(start, end)
        parent = node.parent if node.kind == K.NAME_REF else None
        if parent is None:
            return False
        parts = parent.children_of_kind(K.NAME_REF)
        if len(parts) < 2:
            return False
        at = next((i for i, p in enumerate(parts) if p.start == start), 0)
        if at == 0:
            return self.module(name)
        head = self.declared_module(parts[0].text)
        # a namespace of units (`Generics.` of a dotted unit, a standard unit's longer
        # name `System.SysUtils.`): the parts after it may be units' names
        namespace = head is not None and _qualified_module(self.resolver, head)
        if at == 1 and self.module(parts[0].text):
            return namespace  # else a unit's type: checked as the bare name
        if namespace:
            return True
        owner = self.owner_of(parts, at)
        return owner is None \
            or type_member(self.resolver, owner, self.resolver.key(name)) is not False


def _self_guard(resolver: Resolver) -> Callable[[str, int, int], bool]:
    """Is the name at ``start``..``end`` the global a declaration of its own name takes
    when set, tested by a binary operator that is a word (Lua's ``local path = path or
    {}``: a module that may be loaded as a global already)? Such a read of an unset
    global is the program's test for it, not a mistake: the operator short-circuits."""
    definition = resolver.definition
    words = [re.escape(op.symbol) for op in definition.operators if op.binary and op.is_word]
    if not words:
        return lambda name, start, end: False
    text = resolver.parsed.text
    # (not a field's name: `M.path = path or {}` reads the global path for no path)
    before = re.compile(r"(?<![\w.])(" + definition.lexical.identifier + r")\s*"
                        + re.escape(definition.structure.assignment) + r"\s*$")
    after = re.compile(r"\s+(?:" + "|".join(words) + r")\b")

    def guarded(name: str, start: int, end: int) -> bool:
        declared = before.search(text, max(0, start - len(name) - 16), start)
        return declared is not None and declared.group(1) == name \
            and after.match(text, end) is not None
    return guarded


def macro_made_names(parsed: ParsedFile) -> frozenset[str]:
    """The names the file's token-pasting macros may make (``preprocess.pasted_names``)."""
    definition = parsed.definition
    spec = definition.grammar.preprocessor if definition.grammar is not None else None
    return pasted_names(spec, parsed.text, not definition.lexical.case_sensitive)


def _unused(resolver: Resolver, model: SemanticModel, twins: set[int],
            included: bool = False) -> list[Diagnostic]:
    """An ``unused-variable`` hint for each name declared and never used, but placeholders,
    array twins, what a unit's INTERFACE declares and, in a file another includes, what its
    file scope declares (the includer's names too: a header's CONSTs and ENUMs)."""
    definition = resolver.definition
    out: list[Diagnostic] = []
    placeholders = {resolver.key(name) for name in definition.structure.placeholders}
    exported: list[tuple[int, int]] | None = None
    # a package's files use each other's top-level names (``package_scope: folder``)
    shared = {s.start for s in model.symbols if s.scope is model.root_scope
              and s.kind != "module"} if definition.structure.package_scope == "folder" else ()
    for name, start, end in model.unused_names():
        if resolver.key(name) in placeholders or start in twins or start in shared:
            continue
        if included and _top_level(resolver, name, start):
            continue  # a header's CONST: the file that includes it may use it
        if exported is None:
            exported = export_parts(resolver.parsed) if definition.grammar is not None else []
        if any(low <= start < high for low, high in exported):
            continue  # a unit's INTERFACE: the files that import it may use the name
        if resolver.key(name) in resolver.externals and _assigned(resolver, start, end):
            continue  # SPRITEFLIP s, HORIZONTAL: a CONST an included file declares, passed
        if resolver.meanings and _type_member(resolver, start, end):
            continue  # a CONST in a TYPE: read through the type (Grid.ROWS), not bound
        out.append(Diagnostic(start, end, "hint", f"'{name}' is never used", "unused-variable",
                              tags=("unnecessary",), data={"name": name}))
    return out


def _type_member(resolver: Resolver, start: int, end: int) -> bool:
    """Is the name declared at ``start``..``end`` a member of a type (FreeBASIC's CONST
    or ENUM in a TYPE), which its uses through the type's name or values do not bind?
    The first node around it with a scope of its own declares a type (read from the
    tree: a replayed item's objects are not made for it)."""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(start, end)
    while node is not None:
        meaning = resolver.meanings.get(node.kind)
        if meaning is not None and meaning.scope and node.start < start:
            return meaning.declares == "type"
        node = node.parent
    return False


def _top_level(resolver: Resolver, name: str, start: int) -> bool:
    """Is the name declared at ``start`` one of the file scope's?"""
    symbol = resolver.root_scope.symbols.get(resolver.key(name))
    return symbol is not None and symbol.start == start


def _assigned(resolver: Resolver, start: int, end: int) -> bool:
    """Is the name at ``start``..``end`` declared by an assignment (an ``assigns`` node:
    `x = 1`, a name passed alone by reference), not by a declaration?"""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(start, end)
    while node is not None:
        meaning = resolver.meanings.get(node.kind)
        if meaning is not None and (meaning.declares or meaning.assigns):
            return not meaning.declares
        node = node.parent
    return False


def _duplicates(resolver: Resolver, out: list[Diagnostic]) -> tuple[set[str], set[int]]:
    """A ``duplicate-declaration`` for each name declared twice in one scope (into
    ``out``), but overloads and namespaces; the names of the overloaded routines, and the
    starts of the second of an array and a variable of one name (``structure.arrays``)."""
    overloads, marked = _overloads(resolver) if resolver.duplicates \
        else (frozenset(), frozenset())
    overloading: set[tuple[int, int]] | None = None  # found on the first pair of routines
    headed_twice: frozenset[str] = frozenset()  # found with it
    everywhere = False  # and whether the text's mode needs no mark in any scope
    overloaded: set[str] = set()
    arrays_apart = resolver.definition.structure.arrays == "separate"
    # the second of an array and a variable of one name: its uses are the first one's here
    twins: set[int] = set()
    for symbol, previous in resolver.duplicates:
        if arrays_apart and _is_array(resolver, symbol) != _is_array(resolver, previous):
            twins.add(symbol.start)  # DIM a(9) and DIM a: two variables
            continue
        routines = symbol.kind in _ROUTINES and previous.kind in _ROUTINES
        # two routines, one of them marked (Free Pascal wants the mark on one of them
        # only: a body may leave out the `overload` its heading has), or of a scope
        # whose routines need no mark
        if routines and ((symbol.decl_start, symbol.decl_end) in overloads
                         or (previous.decl_start, previous.decl_end) in overloads
                         or resolver.key(symbol.name) in marked):
            overloaded.add(resolver.key(symbol.name))
            continue
        if routines:
            if overloading is None:
                overloading = _overloading_scopes(resolver)
                headed_twice = _headed_twice(resolver)
                everywhere = _mode_overloads(resolver)
            if everywhere and not _same_parameters(symbol, previous) \
                    or (symbol.scope.start, symbol.scope.end) in overloading \
                    or resolver.key(symbol.name) in headed_twice:
                overloaded.add(resolver.key(symbol.name))
                continue
        if _declared_apart(resolver, symbol, previous):
            continue
        out.append(Diagnostic(symbol.start, symbol.end, "error",
                              f"'{symbol.name}' is already declared in this scope",
                              "duplicate-declaration",
                              related=((previous.start, previous.end, "first declared here"),)))
    return overloaded, twins


def _declared_apart(resolver: Resolver, symbol: Symbol, previous: Symbol) -> bool:
    """Two declarations of a name in one scope that are no duplicate: in two blocks, a
    namespace opened again, or modules named apart."""
    if _other_branches(resolver, symbol, previous):
        return True  # CASE 1: DIM k ... CASE 2: DIM k (FreeBASIC: two blocks)
    if symbol_arity(resolver, symbol) != symbol_arity(resolver, previous):
        return True  # TBox = class ... and TBox<T> = class ...: two types (Delphi)
    if _reopened(resolver, symbol) and _reopened(resolver, previous):
        return True  # NAMESPACE ext ... END NAMESPACE, then NAMESPACE ext again
    if _in_prototype(resolver, symbol):
        return True  # SUB DrawLineV (BYVAL v AS _FLOAT, BYVAL v AS _FLOAT) in a library
    # uses System.SysUtils, System.Classes: one namespace, two units; `program WDCC;`
    # then `uses WDCC.Globals`: a program and a namespace of its units (Delphi)
    if any(s.kind == SymbolKind.MODULE and _qualified_module(resolver, s)
           for s in (symbol, previous)):
        return True
    # FROM M IMPORT a; ... FROM M IMPORT b: one module named twice
    return symbol.kind == previous.kind == SymbolKind.MODULE \
        and _imports_apart(resolver, symbol, previous)


def _other_branches(resolver: Resolver, symbol: Symbol, previous: Symbol) -> bool:
    """Are the two declarations in two different blocks (``branch`` nodes, the parts of a
    ``branches_at`` node), or one in a block and the other outside it (a block's DIM
    shadows the name around it)?"""
    if not any(m.branch or m.branches_at for m in resolver.meanings.values()):
        return False
    return _branch_at(resolver, previous.start) != _branch_at(resolver, symbol.start)


def _reopened(resolver: Resolver, symbol: Symbol) -> bool:
    """Is the symbol declared by a ``reopens`` node (the innermost declaring node around
    its name)?"""
    node = declaring_node(resolver, symbol)
    meaning = resolver.meanings.get(node.kind) if node is not None else None
    return meaning is not None and meaning.reopens


def _in_prototype(resolver: Resolver, symbol: Symbol) -> bool:
    """Is the symbol a parameter of a ``prototype`` node's scope (a heading that never
    has a body: its parameters' names mean nothing)?"""
    if symbol.kind != SymbolKind.PARAMETER:
        return False
    scope = symbol.scope
    node: SyntaxNode | None = resolver.parsed.root.covering_node(scope.start, scope.end)
    while node is not None and node.start == scope.start:
        meaning = resolver.meanings.get(node.kind)
        if meaning is not None and meaning.scope:
            return meaning.prototype
        node = node.parent
    return False


def _branch_at(resolver: Resolver, offset: int) -> tuple[int, int] | None:
    """The innermost block around ``offset``: the start of its ``branch`` or
    ``branches_at`` node, and which part of the node it is (the number of dividing
    tokens before ``offset``)."""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(offset, offset)
    while node is not None:
        meaning = resolver.meanings.get(node.kind)
        if meaning is not None and meaning.branch:
            return node.start, 0
        if meaning is not None and meaning.branches_at:
            keys = {resolver.key(word) for word in meaning.branches_at}
            part = sum(1 for child in node.children_with_tokens()
                       if isinstance(child, SyntaxToken) and child.start < offset
                       and resolver.key(child.text) in keys)
            return node.start, part
        node = node.parent
    return None


def _mode_overloads(resolver: Resolver) -> bool:
    """Does the text's lexical mode let the routines of every scope share a name with no
    ``overload`` node (``overloading`` on a mode: Free Pascal's fpc and objfpc)?"""
    mode = text_mode(resolver.definition, resolver.parsed.text)
    return mode is not None and mode.overloading


def _same_parameters(symbol: Symbol, previous: Symbol) -> bool:
    """Do two routines take parameters of the same types, as written? Routines no mark
    need tell apart must differ there (fpc: "overloaded functions have the same
    parameter list")."""
    def written(routine: Symbol) -> list[str]:
        return ["".join((p.type_text or "").split()).lower() for p in routine.params]
    return written(symbol) == written(previous)


def _overloading_scopes(resolver: Resolver) -> set[tuple[int, int]]:
    """The (start, end) of the nodes annotated ``overloading``: the scopes whose routines
    may share a name unmarked. Only subtrees holding one are entered."""
    bits = 0
    for kind, meaning in resolver.meanings.items():
        if meaning.overloading:
            bits |= kind_bit(kind)
    found: set[tuple[int, int]] = set()
    if not bits:
        return found
    pending = [resolver.parsed.root]
    while pending:
        node = pending.pop()
        found_meaning = resolver.meanings.get(node.kind)
        if found_meaning is not None and found_meaning.overloading:
            found.add((node.start, node.end))
        pending.extend(c for c in node.children() if c.green.kinds & bits)
    return found


def _qualified_module(resolver: Resolver, symbol: Symbol) -> bool:
    """Is the module a name declares only the first part of a longer name (a ``member``
    part follows it in its declaration: Delphi's `System.SysUtils`)?"""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(symbol.decl_start,
                                                                 symbol.decl_end)
    while node is not None and node.start >= symbol.decl_start:
        for child in node.children():
            meaning = resolver.meanings.get(child.kind)
            if child.start >= symbol.end and meaning is not None and meaning.member:
                return True
        if node.start == symbol.decl_start and node.end == symbol.decl_end:
            return False
        node = node.parent
    return False


def _imports_apart(resolver: Resolver, symbol: Symbol, previous: Symbol) -> bool:
    """Are both modules declared by imports of two statements (`FROM M IMPORT a;` then
    `FROM M IMPORT b;`, Fortran's two `use m, only:` lines: one module), not twice in one
    list (Pascal's `uses Crt, Crt`, which compilers refuse as a duplicate)?"""
    first, second = _import_list(resolver, previous), _import_list(resolver, symbol)
    return first is not None and second is not None and first != second


def _import_list(resolver: Resolver, symbol: Symbol) -> SyntaxNode | None:
    """The node around the import that declares the module (around a grammar's node
    annotated ``imports``), or the keyword-level import statement itself; None when no
    import declares it."""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(symbol.decl_start,
                                                                 symbol.decl_end)
    while node is not None and node.start >= symbol.decl_start:
        if node.start == symbol.decl_start and node.end == symbol.decl_end:
            meaning = resolver.meanings.get(node.kind)
            if node.kind == K.IMPORT_STMT:
                return node
            if meaning is not None and meaning.imports:
                return node.parent
        node = node.parent
    return None


def _headed_twice(resolver: Resolver) -> frozenset[str]:
    """The names two or more routine ``heading`` nodes outside any scope declare (the
    file's own): a unit's interface that
    overloads a routine with no ``overload`` mark (Free Pascal's objfpc mode); its
    bodies are the overloads the headings announce, no duplicates."""
    kinds = {kind for kind, m in resolver.meanings.items() if m.heading}
    seen: set[str] = set()
    twice: set[str] = set()
    for node in resolver.parsed.root.descendants() if kinds else ():
        if node.kind not in kinds or any(
                (m := resolver.meanings.get(a.kind)) is not None and m.scope
                for a in islice(node.ancestors(), 1, None)):
            continue  # a method's heading in a class: the class's names, not the file's
        name = node.child_of_kind(K.NAME, K.NAME_REF)
        token = name.first_token() if name is not None else None
        if token is not None:
            key = resolver.key(token.text)
            (twice if key in seen else seen).add(key)
    return frozenset(twice)


def _overloads(resolver: Resolver) -> tuple[frozenset[tuple[int, int]], frozenset[str]]:
    """The (start, end) of each routine declaration that holds an ``overload`` node (its
    innermost routine-declaring node): one of several routines of the same name; and the
    names of the headings that hold one (a unit's interface marks, its bodies need not)."""
    kinds = {kind for kind, m in resolver.meanings.items() if m.overload}
    if not kinds:
        return frozenset(), frozenset()
    found: set[tuple[int, int]] = set()
    names: set[str] = set()
    for outer, heading in routines_around(resolver, kinds):
        if not heading:
            found.add((outer.start, outer.end))
            continue
        name = outer.child_of_kind(K.NAME, K.NAME_REF)
        token = name.first_token() if name is not None else None
        if token is not None:
            names.add(resolver.key(token.text))
    return frozenset(found), frozenset(names)


def default_counts(resolver: Resolver) -> dict[str, int]:
    """Routine name -> how many of its parameters have default values (``default_value``
    nodes inside its declaration or a heading that names it), the most of any routine of
    that name: found in the tree only when a call passes too few arguments."""
    kinds = {kind for kind, m in resolver.meanings.items() if m.default_value}
    found: dict[str, int] = {}
    if not kinds:
        return found
    per_routine: dict[int, tuple[SyntaxNode, int]] = {}
    for outer, _, covered in defaults_around(resolver, kinds):
        seen = per_routine.get(outer.start)
        per_routine[outer.start] = (outer, seen[1] + covered if seen else covered)
    for outer, count in per_routine.values():
        name = outer.child_of_kind(K.NAME, K.NAME_REF)
        token = name.first_token() if name is not None else None
        if token is not None:
            key = resolver.key(token.text)
            found[key] = max(found.get(key, 0), count)
    return found


def _argument_counts(resolver: Resolver, model: SemanticModel, overloaded: set[str],
                     external_defaults: Mapping[str, int]) -> list[Diagnostic]:
    counts = _CallCounts(resolver, model, overloaded, external_defaults)
    found = [(facts, d) for facts in model.call_facts()
             if (d := counts.check(*facts)) is not None]
    if any(facts[4] == 0 for facts, _ in found):
        mode = text_mode(resolver.definition, resolver.parsed.text)
        if mode is not None and mode.empty_call_value:
            builtin_args = {(f[5], f[6]) for f in model.call_facts() if f[0] is not None}
            return [d for facts, d in found
                    if facts[4] != 0
                    or not _passed_itself(resolver, model, facts, builtin_args)]
    return [d for _, d in found]


def _passed_itself(resolver: Resolver, model: SemanticModel, facts: CallFacts,
                   builtin_args: set[tuple[int, int]]) -> bool:
    """Is a call with an empty argument list a whole argument of another call, whose
    arguments are the same kind of node as its own (``empty_call_value`` on the text's
    mode: Free Pascal's delphi mode passes ``OnEnter`` itself in
    ``Subscribe(OnEnter())``)? Not when that call is a builtin's (``WriteLn``, whose
    parameters take no routine), nor a routine's of the file whose parameter there is
    of a type the definition's ``types`` names (``Show(N: Integer)``), nor when the
    empty list is the name alone."""
    args_start, args_end = facts[5], facts[6]
    node = resolver.parsed.root.covering_node(args_start, args_end)
    call = node.parent
    outer = call.parent if call is not None else None
    if (node.start, node.end) != (args_start, args_end) or call is None or outer is None \
            or outer.kind != node.kind:
        return False
    if (outer.start, outer.end) in builtin_args:
        return False
    value_types = {resolver.key(t) for t in resolver.definition.types}
    for site in model.calls_between(outer.start, outer.end):
        symbol = site.callee.symbol
        if (site.args_start, site.args_end) != (outer.start, outer.end) or symbol is None:
            continue
        at = next((i for i, (s, e) in enumerate(site.arg_ranges)
                   if (s, e) == (call.start, call.end)), None)
        if at is not None and at < len(symbol.params):
            written = symbol.params[at].type_text
            if written is not None and resolver.key(written.strip()) in value_types:
                return False
    return True


class _CallCounts:
    """Argument counts of calls against their routines or builtins; what the checks
    need of the whole file is found once, when a call first needs it."""

    def __init__(self, resolver: Resolver, model: SemanticModel, overloaded: set[str],
                 external_defaults: Mapping[str, int]) -> None:
        self.resolver, self.model = resolver, model
        # defaults an included header's declarations give (FreeBASIC's DECLARE in a .bi)
        self.external_defaults = external_defaults
        self.definition = resolver.definition
        self._headings: dict[str, set[int]] | None = None
        self._defaults: dict[str, int] | None = None
        self._variadic: frozenset[str] | None = None
        # the overloads of each routine name (several routines of one name in one scope)
        self.groups: dict[str, list[list[Symbol]]] = {}
        for symbol, group in model.overloads.items():
            if symbol is group[0]:
                self.groups.setdefault(model.key(symbol.name), []).append(group)
        self.overloaded = overloaded | set(self.groups)

    def defaults(self) -> dict[str, int]:
        if self._defaults is None:
            found = default_counts(self.resolver)
            for key, count in self.external_defaults.items():
                found[key] = max(found.get(key, 0), count)
            self._defaults = found
        return self._defaults

    def variadic(self) -> frozenset[str]:
        """The names of routines that take more arguments than their parameters
        (``variadic``), found in the tree only when a call passes more."""
        if self._variadic is None:
            kinds = {kind for kind, m in self.resolver.meanings.items() if m.variadic}
            self._variadic = frozenset(
                self.resolver.key(token.text)
                for outer, _, _ in (defaults_around(self.resolver, kinds) if kinds else ())
                if (name := outer.child_of_kind(K.NAME, K.NAME_REF)) is not None
                and (token := name.first_token()) is not None)
        return self._variadic

    def headings(self) -> dict[str, set[int]]:
        if self._headings is None:
            self._headings = _heading_arities(self.model)
        return self._headings

    def check(self, builtin_name: str | None, kind: str | None, callee: str, params: int,
              args: int, args_start: int, args_end: int) -> Diagnostic | None:
        model, definition = self.model, self.definition
        if builtin_name is not None:
            builtin = definition.builtin(builtin_name)
            if builtin is None:
                return None
            low, high, name = builtin.min_args, builtin.max_args, builtin.name
        elif kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE) \
                and definition.structure.argument_counts == "exact":
            key = model.key(callee)
            if key in self.overloaded and not self.outside_groups(key, params):
                return self.overloads_error(callee, args, args_start, args_end)
            low = high = params
            name = callee
        else:
            return None
        if builtin_name is None and args != low:
            # parameters with default values may be left out (``default_value``)
            low -= min(self.defaults().get(model.key(callee), 0), low)
        if builtin_name is None and args > low and model.key(callee) in self.variadic():
            high = None  # a C function's `varargs`: more arguments are its to take
        if low <= args and (high is None or args <= high):
            return None
        if builtin_name is None and params == 0 \
                and args in self.headings().get(model.key(callee), ()):
            # a body that leaves out the parameter list its heading gave (Pascal's
            # `function Init;` after `function Init(a: PArea): Boolean; forward;`)
            return None
        expected = (f"{low}" if low == high else
                    f"at least {low}" if high is None else f"{low} to {high}")
        surplus = high is not None and args > high
        severity = definition.structure.surplus_arguments if surplus else "error"
        return Diagnostic(args_start, args_end, severity,
                          f"'{name}' takes {expected} argument"
                          f"{'' if expected == '1' else 's'}, {args} given",
                          "argument-count")

    def outside_groups(self, key: str, params: int) -> bool:
        """Is a routine of ``params`` parameters named ``key`` none of the overloads of
        that name (a class's single Add beside another class's two): no routine of the
        groups takes that many. Its call is counted against it alone."""
        groups = self.groups.get(key)
        return groups is not None and all(len(s.params) != params
                                          for group in groups for s in group)

    def overloads_error(self, callee: str, args: int, start: int, end: int
                        ) -> Diagnostic | None:
        """A call of an overloaded routine: an error only when none of its routines
        takes that many arguments (default values, and those a heading of the name
        gives, count)."""
        model = self.model
        key = model.key(callee)
        counts: set[int] = set()
        for group in self.groups.get(key, ()):
            if model.overloads_taking(group[0], args):
                return None
            counts.update(len(s.params) for s in group)
        if not counts:  # a name marked overloaded whose routines lie in other scopes
            return None
        spare = self.defaults().get(key, 0)  # defaults a heading of the name gives
        if any(n - spare <= args <= n for n in counts):
            return None
        shown = sorted(counts)
        expected = (", ".join(str(n) for n in shown[:-1]) + f" or {shown[-1]}"
                    if len(shown) > 1 else str(shown[0]))
        return Diagnostic(start, end, "error",
                          f"no routine '{callee}' takes {args} argument"
                          f"{'' if args == 1 else 's'} (its overloads take {expected})",
                          "argument-count")


def _heading_arities(model: SemanticModel) -> dict[str, set[int]]:
    """Routine name -> the parameter counts of the headings that name it: a heading
    without a body (a FORWARD or INTERFACE one) is a scope of its own whose first name,
    before its parameters, refers to the routine its body declares."""
    first: dict[int, Reference] = {}
    for ref in model.references:
        scope = ref.scope
        if scope is None or scope.owner is not None or scope.kind != HEADING:
            continue
        seen = first.get(id(scope))
        if seen is None or ref.start < seen.start:
            first[id(scope)] = ref
    found: dict[str, set[int]] = {}
    for ref in first.values():
        symbol = ref.symbol
        if ref.scope is None or symbol is None or symbol.kind not in (SymbolKind.FUNCTION,
                                                                      SymbolKind.PROCEDURE):
            continue
        params = [s for s in ref.scope.symbols.values()
                  if s.kind == SymbolKind.PARAMETER and not s.implicit]
        if all(p.start > ref.start for p in params):
            found.setdefault(model.key(ref.name), set()).add(len(params))
    return found


def _missing_modules(parsed: ParsedFile, model: SemanticModel, missing: list[str]
                     ) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not missing:
        return out
    wanted = {m.lower() for m in missing}
    meanings = meanings_of(parsed.definition)
    importing = {k for k, m in meanings.items() if m.imports}
    if importing:
        # a grammar's modules: the names its `imports` nodes give, dotted with their
        # member parts (`uses DW.Consts`), not the file's own (`unit DW.Helpers;`)
        members = {k for k, m in meanings.items() if m.member}
        for node in nodes_of_kinds(parsed.root, importing):
            first = node.child_of_kind(K.NAME_REF)
            if first is None:
                continue
            name, end = dotted_name(node, first, members)
            if name.lower() in wanted:
                out.append(_missing_module(first.start, end, name))
        return out
    for symbol in model.symbols:
        if symbol.kind == SymbolKind.MODULE and symbol.name.lower() in wanted:
            out.append(_missing_module(symbol.start, symbol.end, symbol.name))
    return out


def _missing_module(start: int, end: int, name: str) -> Diagnostic:
    return Diagnostic(start, end, "warning",
                      f"module '{name}' is not in the workspace or the installed packages "
                      f"(run 'craftls install'); while it is missing, no name is reported "
                      f"undefined in this file", "unresolved-import", data={"module": name})
