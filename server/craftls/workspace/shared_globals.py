"""Globals shared by the files of a workspace (``structure.workspace_globals``).

In a language like Lua, a name one file assigns without declaring it (``Foo = {}``,
``function helper() end``) is a global every other file of the program may read. With
``workspace_globals`` on, such a name (a file-scope symbol declared by a grammar rule
marked ``global``, or ``global_field``: ``_G.x = 1``) is known in the other files of the workspace: no undefined-name
warning there, and definition, references and rename follow it to the file that
assigns it.

``file_globals`` finds a file's own; ``SharedGlobals`` gathers them over many files and
answers, for one file, the names the *other* files assign (name -> the path of the
first file, in path order, that assigns it). Pure core: no LSP.

With ``structure.package_scope: folder`` (Go's package is its folder) every name a file
declares in its file scope but its imports and its program name is shared the same way,
with the other files of its folder that name the same package only (``file_package``):
each folder is a group of its own, so a file's lookup reads one folder's names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path

from ..language.model import LanguageDefinition
from ..semantics.grammar_meaning import global_field_name, meanings_of
from ..semantics.model import SemanticModel
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tree import SyntaxNode, kind_bit

# what the ``externals`` of an analysis say a shared global is (hover, completion)
SHARED_GLOBAL = "a global of {file}"


# what a file's file-scope declarations of these kinds are: its own, never its package's
_UNSHARED_KINDS = frozenset({"module", "program", "label"})


def shares_names(definition: LanguageDefinition) -> bool:
    """Whether files of ``definition``'s language know names other files declare."""
    return definition.structure.workspace_globals or by_folder(definition)


def by_folder(definition: LanguageDefinition) -> bool:
    return definition.structure.package_scope == "folder"


# what changed: (language id, group): the group None is the whole workspace (every file
# of the language reads it), a folder is one package (only that folder's files read it)
GlobalsChange = tuple[str, Path | None]


def group_of(path: Path, package: str | None) -> Path | None:
    """The group whose names a file shares: its folder when it names a package."""
    return None if package is None else path.parent


def sees_change(changes: Collection[GlobalsChange], language: str, path: Path | None) -> bool:
    """Whether a file of ``language`` at ``path`` reads names that ``changes`` touched (a
    folder's change is not seen in another folder, nor by an untitled document)."""
    return (language, None) in changes or (
        path is not None and (language, path.parent) in changes)


def file_package(model: SemanticModel) -> str:
    """The package a file names (its file scope's first ``program`` declaration; "" when
    none): the files of a folder that name the same one share their names."""
    return next((s.name for s in model.symbols
                 if s.scope is model.root_scope and s.kind == "program"), "")


def file_globals(parsed: ParsedFile, model: SemanticModel) -> tuple[str, ...]:
    """The names ``parsed`` shares with other files, in the order first declared: the
    globals it assigns (``workspace_globals``), and with ``package_scope: folder`` all
    its file scope declares but imports, labels and its program name; () otherwise."""
    definition = parsed.definition
    if by_folder(definition):
        root = model.root_scope
        methods = _method_spans(parsed)
        return tuple(dict.fromkeys(
            s.name for s in model.symbols if s.scope is root and s.kind not in _UNSHARED_KINDS
            and not s.implicit and not any(a <= s.start < b for a, b in methods)))
    if not definition.structure.workspace_globals:
        return ()
    meanings = meanings_of(definition)
    kinds = {kind for kind, meaning in meanings.items()
             if meaning.global_scope and meaning.assigns and not meaning.declares}
    # a field of the globals table written (``_G.x = 1``, ``_G["x"] = 1``)
    fields = {kind for kind, meaning in meanings.items()
              if meaning.global_field and meaning.assigns}
    if not kinds and not fields:
        return ()
    starts: set[int] = set()
    for node in _nodes_of_kinds(parsed.root, kinds | fields):
        if node.kind in kinds:
            name = node.child_of_kind(K.NAME_REF)
            token = name.first_token() if name is not None else None
            if token is not None:
                starts.add(token.start)
        elif node.kind in fields:
            found = global_field_name(definition, node)
            if found is not None:
                starts.add(found[2])
    starts -= _in_an_environment(parsed, model, starts)
    root = model.root_scope
    names = [s.name for s in model.symbols if s.scope is root and s.start in starts]
    handed = [name for name, _ in globals_table_fields(parsed, model)]
    return tuple(dict.fromkeys(names + handed))


def globals_table_fields(parsed: ParsedFile, model: SemanticModel) -> list[tuple[str, int]]:
    """The fields a function of the file assigns to its parameter that a call of it in
    the file passes the globals table for (``structure.globals_table``), each with where
    its name is written (the global's declaration: ``class`` of ``ns.class =``): ``populate(_G)``
    with ``local function populate(ns) ns.class = require("class") end`` makes the global
    ``class`` (an ECS library's "put my names in the globals" switch). Only a call by the
    function's plain name, with the table itself as an argument (not ``_G.t``), and a
    field of the parameter itself (``ns.x =``, not ``ns.t.x =``)."""
    definition = parsed.definition
    table = definition.structure.globals_table
    text = parsed.text
    if table is None or table not in text:
        return []
    identifier = definition.lexical.identifier
    assigned = re.compile(r"\s*\.\s*(" + identifier + r")\s*"
                          + re.escape(definition.structure.assignment) + r"(?!=)")
    found: list[tuple[str, int]] = []
    for place in re.finditer(re.escape(table), text):
        passed = model.reference_starting_at(place.start())
        if passed is None or passed.symbol is not None or passed.end != place.end():
            continue  # a word of a string or comment, a local of that name, a longer name
        for call in model.calls_between(place.start(), place.end()):
            index = next((i for i, (a, b) in enumerate(call.arg_ranges)
                          if (a, b) == (passed.start, passed.end)), None)
            routine = call.callee.symbol
            if index is None or routine is None or index >= len(routine.params):
                continue
            for use in model.references_to(routine.params[index]):
                field = assigned.match(text, use.end)
                if field is not None:
                    found.append((field.group(1), field.start(1)))
    return found


def _nodes_of_kinds(root: SyntaxNode, kinds: Collection[str]) -> Iterator[SyntaxNode]:
    """The nodes of ``kinds`` under ``root`` (itself included), in no particular order:
    a subtree whose kind bits (``GreenNode.kinds``) have none of them is not walked (a
    file's expressions, for its assignments)."""
    mask = 0
    for kind in kinds:
        mask |= kind_bit(kind)
    pending = [root] if root.green.kinds & mask else []
    while pending:
        node = pending.pop()
        if node.kind in kinds:
            yield node
        pending.extend(child for child in node.children() if child.green.kinds & mask)


def _method_spans(parsed: ParsedFile) -> list[tuple[int, int]]:
    """The routine declarations with a ``receiver`` part (Go's `func (r *Rect) Area()`):
    their names are members of the receiver's type, no names of the package."""
    kinds = [kind for kind, meaning in meanings_of(parsed.definition).items() if meaning.receiver]
    return [(node.parent.start, node.parent.end) for kind in kinds
            for node in parsed.root.descendants_of_kind(kind) if node.parent is not None]


def _in_an_environment(parsed: ParsedFile, model: SemanticModel, starts: set[int]) -> set[int]:
    """The assignments where a variable of the definition's ``environment_variable``
    is visible (Lua's ``local _ENV = M`` above them): they set fields of that table, no
    global another file could read."""
    name = parsed.definition.structure.environment_variable
    if name is None or name not in parsed.text:
        return set()
    key = model.key(name)
    return {start for start in starts if model.scope_at(start).lookup(key, start) is not None}


class SharedGlobals:
    """The globals of many files, per language id (case folded as the language folds),
    per group: the whole workspace (``package`` None), or one folder (``package_scope:
    folder``: a file's package is the one it names)."""

    def __init__(self) -> None:
        # language id -> group (None, or a folder) -> name -> the paths that assign it
        self._by_language: dict[str, dict[Path | None, dict[str, set[Path]]]] = {}
        # (language id, path) -> the package the file names (files grouped by folder)
        self._packages: dict[tuple[str, Path], str] = {}
        # (language id, path) -> the names the file assigns (``seen_from`` takes them out)
        self._own: dict[tuple[str, Path], set[str]] = {}
        # language id -> (group, package) -> the table every file of that group and
        # package starts from (``_Seen``): made once after a change, not once per file
        self._seen: dict[str, dict[tuple[Path | None, str | None], _Seen]] = {}
        # how many of those tables were made (a test checks it does not grow per file)
        self.tables_made = 0

    def add(self, language: str, path: Path, names: Iterable[str],
            package: str | None = None) -> None:
        """``package``: the one the file names when its language groups files by folder."""
        group = group_of(path, package)
        if package is not None:
            self._packages[(language, path)] = package
        table = self._by_language.setdefault(language, {}).setdefault(group, {})
        own = self._own.setdefault((language, path), set())
        for name in names:
            table.setdefault(name, set()).add(path)
            own.add(name)
        self._seen.pop(language, None)

    def remove(self, language: str, path: Path, names: Iterable[str]) -> None:
        package = self._packages.pop((language, path), None)
        table = self._by_language.get(language, {}).get(group_of(path, package), {})
        own = self._own.get((language, path), set())
        self._seen.pop(language, None)
        for name in names:
            own.discard(name)
            holders = table.get(name)
            if holders is not None:
                holders.discard(path)
                if not holders:
                    del table[name]
        if not own:
            self._own.pop((language, path), None)

    def package_of(self, language: str, path: Path) -> str | None:
        return self._packages.get((language, path))

    def seen_from(self, language: str, path: Path | None) -> dict[str, str]:
        """The globals the files other than ``path`` assign (of its group, and when it
        names a package, of that package): name -> the first such file's path (in path
        order). The group's table (each name's first two files) is made once after a
        change; a file's answer is a copy of it with its own names taken out: checking
        or analysing each of n files is not n times a pass over every file's names."""
        groups = self._by_language.get(language, {})
        group: Path | None = None
        if path is not None and path.parent in groups:
            group = path.parent
        package = None if path is None else self._packages.get((language, path))
        seen = self._seen.setdefault(language, {})
        base = seen.get((group, package))
        if base is None:
            base = seen[(group, package)] = self._table(language, groups.get(group, {}), package)
        found = SeenGlobals(base.first)
        found.described = dict(base.described)
        own = self._own.get((language, path)) if path is not None else None
        if own:
            for name in own:
                firsts = base.firsts.get(name)
                if firsts is None or firsts[0] != path:
                    continue  # not in this table, or another file assigns it first
                if firsts[1] is None:
                    del found[name]
                    del found.described[name]
                else:
                    found[name] = str(firsts[1])
                    found.described[name] = _described(found[name])
        return found

    def _table(self, language: str, table: Mapping[str, set[Path]], package: str | None
               ) -> _Seen:
        """Each name's first two files in path order (of ``package`` when not None), in
        the order the names were first assigned."""
        self.tables_made += 1
        made = _Seen()
        for name, holders in table.items():
            ordered = sorted(p for p in holders if package is None
                             or self._packages.get((language, p)) == package)
            if ordered:
                first = str(ordered[0])
                made.firsts[name] = (ordered[0], ordered[1] if len(ordered) > 1 else None)
                made.first[name] = first
                made.described[name] = _described(first)
        return made


class _Seen:
    """A group's table for ``seen_from``: each name's first two files, the first's path
    and what ``describe`` says of it."""

    __slots__ = ("firsts", "first", "described")

    def __init__(self) -> None:
        self.firsts: dict[str, tuple[Path, Path | None]] = {}
        self.first: dict[str, str] = {}
        self.described: dict[str, str] = {}


class SeenGlobals(dict[str, str]):
    """``seen_from``'s answer, name -> path, with ``describe``'s entries for it made
    already (from the group's table: no pass over the names per file)."""

    __slots__ = ("described",)

    def __init__(self, *args: Mapping[str, str]) -> None:
        super().__init__(*args)
        self.described: dict[str, str] = {}


def _described(path: str) -> str:
    return SHARED_GLOBAL.format(file=Path(path).name)


def describe(found: Mapping[str, str]) -> dict[str, str]:
    """``externals`` entries for shared globals: name -> what it is."""
    if isinstance(found, SeenGlobals):
        return found.described
    return {name: _described(path) for name, path in found.items()}
