"""Resolve a file's imports (USES MathLib, import stats) to workspace files or
installed packages, and collect the names they export.

Sources are looked up next to the importing file first, then among the packages
installed for the workspace (``craft.lock`` + the package store). A ``ModuleResolver``
remembers what it read from disk (folder listings, where the nearest ``craft.toml``
is, installed modules, each module's exports) until it is told that the disk changed:
the session's resolver is invalidated by watched-file events, the server's polling,
saves and installs, so an analysis after the first touches no disk at all. A resolver
without such a source of events (a CLI run) lives only as long as its run.
"""

from __future__ import annotations

import fnmatch
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from cachetools import LRUCache

from ..language.catalog import by_extension
from ..language.model import LanguageDefinition
from ..semantics.diagnostics import default_counts, macro_made_names
from ..semantics.dotted_names import dotted_name
from ..semantics.grammar_meaning import export_parts, meanings_of, nodes_of_kinds
from ..semantics.model import SymbolKind, label_key, other_spellings, spelled_alike
from ..semantics.resolve import Resolver, heading_keys
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile, parse
from ..syntax.tree import SyntaxNode
from .manifest import MANIFEST_NAME

# (a module: FreeBASIC's NAMESPACE ext in a header, named by `USING ext` or `ext.f`)
EXPORTED_KINDS = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE, SymbolKind.VARIABLE,
                  SymbolKind.CONSTANT, SymbolKind.TYPE, SymbolKind.MODULE)
# what changes the installed packages of a workspace, besides an install by the server
PACKAGE_FILES = (MANIFEST_NAME, "craft.lock")
# an included file's includer is looked for in its folder and this many folders above it
# (an includer names it by a path relative to its own folder, or to one above that),
# among at most this many files of its language (in as many folders at most); and an
# includer's includer in turn, this many steps up (``includer_context``)
INCLUDER_LEVELS = 3
MAX_INCLUDER_CANDIDATES = 256
MAX_INCLUDER_DEPTH = 4

K_ = TypeVar("K_", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class ModuleExports:
    """What a module file exports, by name."""

    path: Path
    names: dict[str, str]  # exported name -> short description
    # an exported routine's name -> its signature and its parameters (hover, signature
    # help at `Square(` or `MathLib.Square(` in the importing file)
    routines: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # the files this one includes, as written (``structure.includes``): their names are
    # the includer's too
    includes: tuple[str, ...] = ()
    # the library headers (``structure.library_includes``) it includes, or a file it
    # includes does, that no folder holds: names nobody here knows may come from them
    libraries: tuple[str, ...] = ()
    # a routine's key -> how many of its parameters have default values where the file
    # declares it (a FreeBASIC header's `DECLARE SUB Box (w, c = 7)`): the includer's
    # body of that routine may be called with fewer arguments
    defaults: dict[str, int] = field(default_factory=dict)
    # the files it includes, or a file it includes does, that are not found (library
    # headers or not; filled in by ``_with_nested``): names nobody here knows may come
    # from them
    unread: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncluderContext:
    """What a file another one includes sees from where it is included (clangd infers a
    header's compile command from a file that includes it): the names its includer
    declares, with those of every file the includer includes, and so on up the includers'
    includers. ``inputs``: the files read for it (and, when no includer was found, the
    files that were looked at): a change of one of them changes the context."""

    includers: tuple[Path, ...]  # the includer, its includer, ...
    names: dict[str, str]
    inputs: frozenset[Path]
    # an include an includer (or a file it includes) names that is not read (not found, or
    # a library header the compiler ships): (that includer, the include as written, whether
    # it is a library header). Its names are unknown, so none is undefined in the file either
    unread: tuple[Path, str, bool] | None = None


@dataclass(frozen=True)
class Included:
    """A file a file includes: its name as written, where, and its exports (with those
    of the files it includes in turn) or None when it cannot be found or read."""

    name: str
    start: int
    end: int
    path: Path | None
    exports: ModuleExports | None
    # the files it includes in turn, and they include (followed for ``exports``)
    nested: frozenset[Path] = frozenset()
    # a library header the compiler ships (``structure.library_includes``), not found:
    # what it declares is not known, and no warning is due
    library: bool = False


class ModuleResolver:
    """Imported module name -> source file -> exports, with what it read from disk kept
    (bounded) until `invalidate`. Safe to share between worker threads."""

    def __init__(self, max_folders: int = 512, max_modules: int = 256,
                 max_workspaces: int = 64) -> None:
        self._lock = threading.Lock()
        # bumped by every invalidation: a read that started before it is not stored
        self._generation = 0
        # folder -> lower-cased stem -> the source files of a known language, sorted
        self._listings: LRUCache[Path, dict[str, tuple[Path, ...]]] = LRUCache(max_folders)
        self._manifests: LRUCache[Path, Path | None] = LRUCache(max_folders)  # folder -> nearest
        # workspace root (the folder of a craft.toml) -> its installed packages' modules
        self._installed: LRUCache[Path, Mapping[str, Path]] = LRUCache(max_workspaces)
        # (module file, the language it is read in) -> its exports
        self._exports: LRUCache[tuple[Path, str], ModuleExports | None] = \
            LRUCache(max_modules)
        # folder -> its subfolders (where an includer may be: ``includer_of``)
        self._subfolders: LRUCache[Path, tuple[Path, ...]] = LRUCache(max_folders)
        # (file, language) -> the names of the files it includes, as written
        self._include_names: LRUCache[tuple[Path, str], tuple[str, ...]] = \
            LRUCache(max_folders)
        # (included file, language) -> what it sees from its includer (a change of the
        # disk forgets them all: any file may start including another; an edit of an open
        # document, those that read it)
        self._contexts: LRUCache[tuple[Path, str], IncluderContext] = LRUCache(max_modules)
        # open documents' texts (``set_open_text``): read instead of the disk
        self._open: dict[Path, str] = {}
        # per table: lookups answered from memory, and reads of the disk
        self._tables: dict[str, LRUCache[Any, Any]] = {
            "import_folders": self._listings, "import_manifests": self._manifests,
            "installed_packages": self._installed, "module_exports": self._exports,
            "import_subfolders": self._subfolders, "include_names": self._include_names,
            "includer_contexts": self._contexts}
        self._hits: Counter[str] = Counter()
        self._misses: Counter[str] = Counter()

    # ------------------------------------------------------------ queries

    def resolve_imports(self, parsed: ParsedFile, file_path: Path | None
                        ) -> dict[str, ModuleExports | None]:
        """Each imported module name with its exports (None when it cannot be found)."""
        if file_path is None:
            return {}
        found: dict[str, ModuleExports | None] = {}
        standard = {m.lower() for m in parsed.definition.structure.standard_modules}
        own = defined_modules(parsed)
        for module in imported_modules(parsed):
            name = module.name
            if _is_standard(name, standard):
                continue  # the runtime's own (Pascal's Crt): no file to find
            if name.lower() in own:
                continue  # the file defines it (a Fortran module and the program using it)
            location = self.locate(name, file_path, parsed.definition)
            if location is None and module.path is not None:
                location = self.locate_path(module.path, file_path)
            found[name] = self.exports(location, parsed.definition) \
                if location is not None else None
        return found

    def resolve_includes(self, parsed: ParsedFile, file_path: Path | None) -> list[Included]:
        """The files ``parsed`` includes (``structure.includes``), each with what it
        declares in its file scope, and with the names of the files it includes in turn
        (followed once each: a cycle ends). Names are looked up relative to the folder
        of the file that includes them, the last part in any case (DOS programs)."""
        if file_path is None or not parsed.definition.structure.includes:
            return []
        found = []
        shipped = parsed.definition.structure.shipped_includes
        library = parsed.definition.structure.library_includes
        for name, start, end in included_names(parsed.text, parsed.definition, shipped=True):
            location = self.locate_include(name, file_path)
            if location is None and _shipped(name, shipped):
                continue  # the compiler's own header: its names are builtins
            if location is None and _shipped(name, library):
                found.append(Included(name, start, end, None, None, library=True))
                continue
            exports = self._included(location, parsed.definition) \
                if location is not None else None
            seen: set[Path | None] = {location}
            if exports is not None and exports.includes:
                exports = self._with_nested(exports, parsed.definition, seen)
            found.append(Included(name, start, end, location, exports,
                                  frozenset(p for p in seen if p is not None and p != location)))
        found.extend(Included(name, start, end, None, None, library=True)
                     for name, start, end in library_uses(parsed.text, parsed.definition))
        return sorted(found, key=lambda include: include.start)

    def _with_nested(self, exports: ModuleExports, language: LanguageDefinition,
                     seen: set[Path | None]) -> ModuleExports:
        """``exports`` with the names of the files it includes, and they include, added;
        every file followed is added to ``seen``."""
        names = dict(exports.names)
        routines = dict(exports.routines)
        defaults = dict(exports.defaults)
        libraries: dict[str, None] = {}
        unread: dict[str, None] = {}
        pending = [(exports.path, n) for n in exports.includes]
        while pending:
            base, name = pending.pop()
            location = self.locate_include(name, base)
            if location is None and _shipped(name, language.structure.library_includes):
                libraries[name] = None
            if location is None and not _shipped(name, language.structure.shipped_includes):
                unread[name] = None
            if location is None or location in seen:
                continue
            seen.add(location)
            nested = self._included(location, language)
            if nested is None:
                continue
            for key, text in nested.names.items():
                names.setdefault(key, text)
            for key, routine in nested.routines.items():
                routines.setdefault(key, routine)
            for key, count in nested.defaults.items():
                defaults[key] = max(defaults.get(key, 0), count)
            pending.extend((location, n) for n in nested.includes)
        return ModuleExports(exports.path, names, routines, exports.includes,
                             tuple(libraries), defaults, tuple(unread))

    def _included(self, path: Path, language: LanguageDefinition) -> ModuleExports | None:
        """What an included file declares: read in the includer's language whatever its
        extension (its text is the includer's: Pascal's `{$I defs.inc}`)."""
        return self._cached("module_exports", self._exports, (path, language.id),
                            lambda key: _read_exports(key[0], language, self._open.get(path)))

    def includer_context(self, path: Path | None, language: LanguageDefinition
                         ) -> IncluderContext | None:
        """What the file at ``path`` sees from the file that includes it (None when the
        language includes nothing or the file has no place): the nearest includer's names
        and those of everything it includes (the file's siblings: `lib.bm` sees the TYPEs
        and SHARED variables of the `lib.bi` that `main.bas` includes before it), then
        its own includer's, at most ``MAX_INCLUDER_DEPTH`` steps up, each file once."""
        if path is None or not language.structure.includes:
            return None
        return self._cached("includer_contexts", self._contexts, (path, language.id),
                            lambda key: self._read_context(path, language))

    def _read_context(self, path: Path, language: LanguageDefinition) -> IncluderContext:
        names: dict[str, str] = {}
        includers: list[Path] = []
        seen: set[Path | None] = {path}
        inputs: set[Path] = set()
        unread: tuple[Path, str, bool] | None = None
        current = path
        for _ in range(MAX_INCLUDER_DEPTH):
            includer, looked_at = self.includer_of(current, language)
            if includer is None or includer in seen:
                if not includers:  # a file that starts including this one is an input
                    inputs.update(looked_at)
                break
            includers.append(includer)
            seen.add(includer)
            exports = self._cached(
                "module_exports", self._exports, (includer, f"{language.id} (whole)"),
                lambda key: _read_exports(key[0], language, self._open.get(key[0]), whole=True))
            if exports is not None:
                nested = self._with_nested(exports, language, seen)
                for key, text in nested.names.items():
                    names.setdefault(key, text)
                if unread is None and nested.unread:
                    name = nested.unread[0]
                    unread = (includer, name, name in nested.libraries)
            current = includer
        inputs.update(p for p in seen if p is not None and p != path)
        return IncluderContext(tuple(includers), names, frozenset(inputs), unread)

    def includer_of(self, path: Path, language: LanguageDefinition
                    ) -> tuple[Path | None, list[Path]]:
        """A file of ``language`` that includes ``path``, looked for in its folder, then
        up to ``INCLUDER_LEVELS`` folders above, each in name order (at most
        ``MAX_INCLUDER_CANDIDATES`` files read); and the files looked at."""
        wanted = path.name.lower()
        looked_at: list[Path] = []
        for folder in self._includer_folders(path):
            listing = self._cached("import_folders", self._listings, folder, _list_folder)
            for candidate in sorted(p for found in listing.values() for p in found):
                if candidate == path or candidate.suffix.lower() not in language.extensions:
                    continue
                if len(looked_at) >= MAX_INCLUDER_CANDIDATES:
                    return None, looked_at
                looked_at.append(candidate)
                for name in self._included_names(candidate, language):
                    if Path(name.replace("\\", "/")).name.lower() == wanted \
                            and self.locate_include(name, candidate) == path:
                        return candidate, looked_at
        return None, looked_at

    def _includer_folders(self, path: Path) -> Iterator[Path]:
        """The folders an includer of ``path`` may be in, nearest first: its own, then
        each folder above it with that folder's subfolders (a project's programs sit
        beside its library folder: `src_Demo/Demo.bas` includes
        `'dev_framework\\GuiAppFrame.bi'` from the folder above both); of its own folder,
        the subfolders' subfolders too (`src/demo/run.bas` includes `'..\\..\\lib.bm'`)."""
        done: set[Path] = set()
        for level, folder in enumerate(list(path.parents)[:INCLUDER_LEVELS + 1]):
            subfolders = self._cached("import_subfolders", self._subfolders, folder,
                                      _list_subfolders)
            if level == 0:
                subfolders = tuple(f for sub in subfolders for f in (sub, *self._cached(
                    "import_subfolders", self._subfolders, sub, _list_subfolders)))
            for found in (folder, *subfolders):
                if found not in done:
                    done.add(found)
                    yield found
            if len(done) > MAX_INCLUDER_CANDIDATES:
                return

    def _included_names(self, path: Path, language: LanguageDefinition) -> tuple[str, ...]:
        def read(key: tuple[Path, str]) -> tuple[str, ...]:
            text = self._open.get(path)
            if text is None:
                text = _read_text(path)
            if text is None:
                return ()
            return tuple(name for name, _, _ in included_names(text, language))
        return self._cached("include_names", self._include_names, (path, language.id), read)

    def locate_include(self, name: str, includer: Path) -> Path | None:
        """The file ``name`` (``lib/x.bi``, ``LIB\\X.BI``) names from ``includer``'s folder,
        else from the nearest folder above it where it is (QB64 reads a name relative to
        the program's folder, then to its own, which holds the program's project), else
        from a folder in the includer's (in name order: a project's include folder); a
        name with a folder part (``ext/tests.bi``), last, from a folder one or two below
        one of the three above the includer (FreeBASIC's `-i include/freebasic` of a
        program in `tests/containers/`); a name alone (``vregex.bi``) only from those
        below the folder above (`src/vregex.bas` compiled with `-i include/freebasic`)."""
        relative = Path(name.replace("\\", "/"))
        if relative.is_absolute() or not relative.name:
            return None
        # a folder of the includer's own last (FreeBASIC's `#include "mesh3.bi"` of a
        # project compiled with `-i src/inc`: its include folder beside the file)
        below = self._cached("import_subfolders", self._subfolders, includer.parent,
                             _list_subfolders)
        for base in (*includer.parents, *below):
            found = self._in_folder(base, relative, includer)
            if found is not None:
                return found
        levels = 2 if relative.parent == Path(".") else 4
        for above in list(includer.parents)[1:levels]:
            for base in self._folders_below(above, 2):
                found = self._in_folder(base, relative, includer)
                if found is not None:
                    return found
        return None

    def locate_path(self, name: str, importer: Path) -> Path | None:
        """The file an import names by its path (Delphi's ``uses X in 'Units\\X.pas'``):
        relative to the importer's folder only, as the compiler reads it, its last part
        in any case."""
        relative = Path(name.replace("\\", "/"))
        if relative.is_absolute() or not relative.name:
            return None
        return self._in_folder(importer.parent, relative, importer)

    def _in_folder(self, base: Path, relative: Path, includer: Path) -> Path | None:
        """``relative`` in ``base``, its last part in any case."""
        # `..` taken out: `'$INCLUDE: '../lib.bm'` names the file its includer is
        # compared with (the includer of a file in the folder above)
        folder = Path(os.path.normpath(base / relative.parent))
        listing = self._cached("import_folders", self._listings, folder, _list_folder)
        wanted = relative.name.lower()
        for candidate in listing.get(Path(wanted).stem, ()):
            if candidate.name.lower() == wanted and candidate != includer:
                return candidate
        return None

    def _folders_below(self, folder: Path, depth: int) -> list[Path]:
        """The folders ``depth`` levels or fewer below ``folder``, nearest first."""
        level = [folder]
        found: list[Path] = []
        for _ in range(depth):
            level = [sub for f in level for sub in self._cached(
                "import_subfolders", self._subfolders, f, _list_subfolders)]
            found.extend(level)
        return found

    def locate(self, name: str, importer: Path, language: LanguageDefinition | None = None
               ) -> Path | None:
        """The module's source: a file of that name next to the importer, with one of
        the importer's ``language``'s extensions (a definition of the user's own; of two
        such files, the one whose extension the language lists first: Modula-2's
        ``Stacks.def`` before ``Stacks.mod``) or a bundled language's, else an installed
        package's module."""
        siblings = self._cached("import_folders", self._listings, importer.parent,
                                _list_folder)
        own = language.extensions if language is not None else ()
        ranked = [e.lower() for e in own]
        for candidate in sorted(siblings.get(name.lower(), ()), key=lambda c: (
                ranked.index(c.suffix.lower()) if c.suffix.lower() in ranked else len(ranked))):
            if candidate != importer and (candidate.suffix.lower() in own
                                          or by_extension(candidate) is not None):
                return candidate
        manifest = self._cached("import_manifests", self._manifests, importer.parent,
                                _find_manifest)
        if manifest is None:
            return None
        modules = self._cached("installed_packages", self._installed, manifest.parent,
                               _installed_modules)
        return _installed_module(modules, name) if modules else None

    def exports(self, path: Path, importer: LanguageDefinition | None = None
                ) -> ModuleExports | None:
        """What the module at ``path`` exports, read in the importer's language when
        that language has the module's extension (a Turbo Pascal unit is a `.pas` file
        that the bundled `pascal` would claim), else in the one its extension names."""
        definition = importer if importer is not None \
            and path.suffix.lower() in importer.extensions else by_extension(path)
        if definition is None:
            return None
        return self._cached("module_exports", self._exports, (path, definition.id),
                            lambda key: _read_exports(key[0], definition, self._open.get(path)))

    # ------------------------------------------------------------ what it holds

    def stats(self) -> dict[str, dict[str, int]]:
        """Each table as ``{size, maxsize, hits, misses}`` (``AnalysisCaches.stats``)."""
        with self._lock:
            return {name: {"size": len(cache), "maxsize": int(cache.maxsize),
                           "hits": self._hits[name], "misses": self._misses[name]}
                    for name, cache in self._tables.items()}

    # ------------------------------------------------------------ the disk changed

    def set_open_text(self, path: Path, text: str | None) -> None:
        """The editor's text of an open document (None: closed, the disk's again): what
        other files read of it (its exports, its includes) is this text from now on."""
        with self._lock:
            if self._open.get(path) is text:
                return
            if text is None:
                self._open.pop(path, None)
            else:
                self._open[path] = text
            self._generation += 1
            for cache in (self._exports, self._include_names):
                for key in [k for k in cache if k[0] == path]:
                    del cache[key]
            # the contexts that read it (a file's own text is no input of its context)
            for key in [k for k, c in self._contexts.items() if path in c.inputs]:
                del self._contexts[key]

    def invalidate(self, paths: Iterable[Path] | None = None) -> None:
        """Forget what the disk said about ``paths`` (created, changed or deleted files
        or folders), or about everything when ``paths`` is None (an install)."""
        with self._lock:
            self._generation += 1
            if paths is None:
                for cache in self._tables.values():
                    cache.clear()
                return
            for path in paths:
                self._forget(path)

    def _forget(self, path: Path) -> None:
        for folder in (path, path.parent):
            self._listings.pop(folder, None)
            self._subfolders.pop(folder, None)
        for cache in (self._exports, self._include_names):
            for key in [k for k in cache if k[0] == path or path in k[0].parents]:
                del cache[key]
        # any file may start or stop including another one
        self._contexts.clear()
        # a craft.toml, craft.lock or a whole folder may move the nearest manifest or
        # change what is installed; a module file does neither
        if path.name in PACKAGE_FILES or by_extension(path) is None:
            self._manifests.clear()
            self._installed.clear()

    def _cached(self, table: str, cache: LRUCache[K_, V], key: K_,
                read: Callable[[K_], V]) -> V:
        with self._lock:
            if key in cache:
                self._hits[table] += 1
                return cache[key]
            self._misses[table] += 1
            generation = self._generation
        value = read(key)  # outside the lock: reading a module parses it
        with self._lock:
            if generation == self._generation:
                cache[key] = value
        return value


# ---------------------------------------------------------------- disk reads


def _list_folder(folder: Path) -> dict[str, tuple[Path, ...]]:
    found: dict[str, list[Path]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.path)
                # every file: which are modules depends on the importer's language
                if entry.is_file():
                    found.setdefault(path.stem.lower(), []).append(path)
    except OSError:  # gone, or not a folder
        return {}
    return {stem: tuple(sorted(paths)) for stem, paths in found.items()}


def _list_subfolders(folder: Path) -> tuple[Path, ...]:
    """The folders in ``folder`` (not hidden ones), sorted."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted(Path(e.path) for e in entries
                                if not e.name.startswith(".") and e.is_dir()))
    except OSError:
        return ()


def _find_manifest(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / MANIFEST_NAME).is_file():
            return candidate / MANIFEST_NAME
    return None


def _installed_modules(root: Path) -> Mapping[str, Path]:
    """Module -> source file of the packages installed for the workspace at ``root``
    (read once per workspace until an invalidation; none while the install is
    incomplete, which the install's own invalidation ends)."""
    try:
        from ..registry import list_installed_exports
        return list_installed_exports(root)
    except Exception:  # a broken lock file or store must not break analysis
        return {}


def _installed_module(modules: Mapping[str, Path], name: str) -> Path | None:
    from ..registry import module_named
    return module_named(modules, name)


def _read_text(path: Path) -> str | None:
    try:
        # a byte that is no UTF-8 (a DOS program's box drawing, in a string or a comment)
        # changes no name the module declares
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def _read_exports(path: Path, definition: LanguageDefinition, text: str | None = None,
                  whole: bool = False) -> ModuleExports | None:
    """``text``: the file's text when it is open in the editor, else its disk's;
    ``whole``: every name of its file scope, a unit's IMPLEMENTATION's too (what a file
    it includes sees), not only what its exporting parts declare."""
    text = text if text is not None else _read_text(path)
    if text is None:
        return None
    parsed = parse(definition, text)
    resolver = Resolver(parsed)
    model = resolver.run()
    exported = list(model.root_scope.symbols.values())
    parts = [] if whole else export_parts(parsed)
    if parts:  # only what the exporting parts declare or name (a unit's INTERFACE)
        inside = {id(r.symbol) for r in model.references if r.symbol is not None
                  and any(a <= r.start < b for a, b in parts)}
        exported = [s for s in exported if id(s) in inside
                    or any(a <= s.start < b for a, b in parts)]
    names = {s.name: f"{s.kind} from {path.name}" for s in exported
             if s.kind in EXPORTED_KINDS}
    # a label or line number: GOTO / GOSUB in a file the text is included in (or that it
    # includes) may name it; where labels are names of their own, by their own key
    separate = definition.structure.labels == "separate"
    names.update(((label_key(s.name) if separate else s.name), f"label from {path.name}")
                 for s in exported if s.kind == SymbolKind.LABEL)
    routines = {s.name: (s.signature(), tuple(s.parameter_labels())) for s in exported
                if s.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)}
    # a FUNCTION Menu% or CONST Max& is also named without its mark (``type_marks``)
    marks = definition.structure.type_marks
    for s in exported if marks else ():
        unmarked = _unmarked(s.name, marks)
        if unmarked is not None and s.kind in EXPORTED_KINDS \
                and spelled_alike(s.kind, s.type_text):
            names.setdefault(unmarked, names[s.name])
            if s.name in routines:
                routines.setdefault(unmarked, routines[s.name])
    # a routine the file DECLAREs and defines nowhere (a FreeBASIC header's `DECLARE
    # FUNCTION dot OVERLOAD (...)`, a library's): a name the includer may call
    for key in heading_keys(resolver, external=True):
        names.setdefault(key, f"declared in {path.name}")
        # a routine is called with or without its mark (DECLARE FUNCTION RelSize% (...),
        # then RelSize(...)), as one defined in the file is
        unmarked = _unmarked(key, marks) if marks else None
        if unmarked is not None:
            names.setdefault(unmarked, f"declared in {path.name}")
    # a name a token-pasting macro of the file may make: the includer may use it
    for key in macro_made_names(parsed):
        names.setdefault(key, f"made by a macro in {path.name}")
    return ModuleExports(path, names, routines,
                         tuple(name for name, _, _ in included_names(parsed.text,
                                                                     parsed.definition,
                                                                     shipped=True)),
                         defaults=default_counts(resolver))


def _unmarked(name: str, marks: tuple[str, ...]) -> str | None:
    """``name`` without its type mark, or None when it has none."""
    others = other_spellings(name, marks)
    return others[0] if len(others) == 1 and len(others[0]) < len(name) else None


# ---------------------------------------------------------------- one file


@dataclass(frozen=True)
class ImportedModule:
    """A module an import names: its name as written (dotted when the name has member
    parts: Delphi's ``WDCC.Globals``), where the name is, and the file the import gives
    for it (``uses X in 'Units\\X.pas'``: a string in the import; None without one)."""

    name: str
    start: int
    end: int
    path: str | None = None


def imported_modules(parsed: ParsedFile) -> list[ImportedModule]:
    """Every module an import statement names."""
    found = []
    for node in parsed.root.descendants_of_kind(K.IMPORT_STMT):
        for ref in node.children_of_kind(K.NAME_REF):
            found.append(ImportedModule(ref.text.strip(), ref.start, ref.end))
    meanings = meanings_of(parsed.definition)
    importing = {k for k, m in meanings.items() if m.imports}
    members = {k for k, m in meanings.items() if m.member}
    if importing:  # a grammar's: the name of each node annotated `imports`
        for node in nodes_of_kinds(parsed.root, importing):
            name = node.child_of_kind(K.NAME_REF)
            if name is not None:
                dotted, end = dotted_name(node, name, members)
                found.append(ImportedModule(dotted, name.start, end, _import_path(node)))
    return found


def _is_standard(name: str, standard: set[str]) -> bool:
    """Is the module the runtime's: named in ``standard``, or a unit within a namespace
    named there (``System.SysUtils`` of ``System``, ``Generics.Collections``)?"""
    parts = name.lower().split(".")
    return any(".".join(parts[:n]) in standard for n in range(1, len(parts) + 1))


def _import_path(node: SyntaxNode) -> str | None:
    """The text of a quoted string in an import (the module's file), without quotes."""
    literal = node.child_of_kind(K.LITERAL)
    text = literal.text.strip() if literal is not None else ""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1] or None
    return None


def defined_modules(parsed: ParsedFile) -> set[str]:
    """The names, in lower case, of the modules the file defines itself: the name of
    each node that declares a module without importing it (Fortran's `module shapes`
    ... `end module`, which a `use shapes` further down the file imports)."""
    kinds = {k for k, m in meanings_of(parsed.definition).items()
             if m.declares == "module" and not m.imports}
    found: set[str] = set()
    for node in nodes_of_kinds(parsed.root, kinds) if kinds else ():
        name = node.child_of_kind(K.NAME_REF)
        if name is not None:
            found.add(name.text.strip().lower())
    return found


def included_files(parsed: ParsedFile) -> list[tuple[str, int, int]]:
    """(file name as written, start, end) of every file the text includes
    (``structure.includes``), in order."""
    return included_names(parsed.text, parsed.definition)


def included_names(text: str, definition: LanguageDefinition, shipped: bool = False
                   ) -> list[tuple[str, int, int]]:
    """``included_files`` of a text (no parse needed: the patterns read the text); with
    ``shipped``, also those ``structure.shipped_includes`` and ``library_includes`` names
    (looked for all the same: a project may hold its own copy, found first as the
    compiler's `-i` path is)."""
    found = []
    ships = () if shipped else \
        definition.structure.shipped_includes + definition.structure.library_includes
    for pattern in definition.structure.includes:
        compiled = _include_pattern(pattern, definition.lexical.case_sensitive)
        for match in compiled.finditer(text):
            name = match.group(1)
            if name is not None and name.strip() and not _shipped(name.strip(), ships):
                found.append((name.strip(), match.start(1), match.end(1)))
    found.sort(key=lambda f: f[1])
    return found


def library_uses(text: str, definition: LanguageDefinition) -> list[tuple[str, int, int]]:
    """(name, start, end) of each library of the compiler's installation the text pulls
    in (``structure.library_uses``: QB64-PE's $USELIBRARY:'author/name')."""
    return [(match.group(1).strip(), match.start(1), match.end(1))
            for pattern in definition.structure.library_uses
            for match in _include_pattern(pattern, definition.lexical.case_sensitive)
            .finditer(text) if match.group(1) is not None and match.group(1).strip()]


def _shipped(name: str, shipped: tuple[str, ...]) -> bool:
    """Whether ``name`` is a file the compiler ships (``structure.shipped_includes``)."""
    if not shipped:
        return False
    written = name.replace("\\", "/").lower()
    return any(fnmatch.fnmatchcase(written, pattern.lower()) for pattern in shipped)


@lru_cache(maxsize=64)  # a few patterns per definition, compiled once
def _include_pattern(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE | (0 if case_sensitive else re.IGNORECASE))


def import_externals(parsed: ParsedFile, file_path: Path | None,
                     resolver: ModuleResolver | None = None) -> tuple[dict[str, str], list[str]]:
    """Names provided by the file's imports, and the modules that could not be found."""
    externals: dict[str, str] = {}
    missing: list[str] = []
    for name, exports in resolve_imports(parsed, file_path, resolver).items():
        if exports is None:
            missing.append(name)
        else:
            externals.update(exports.names)
    return externals, missing


def resolve_includes(parsed: ParsedFile, file_path: Path | None,
                     resolver: ModuleResolver | None = None) -> list[Included]:
    """The files the file includes, each with its exports (``ModuleResolver``)."""
    return (resolver or ModuleResolver()).resolve_includes(parsed, file_path)


def resolve_imports(parsed: ParsedFile, file_path: Path | None,
                    resolver: ModuleResolver | None = None
                    ) -> dict[str, ModuleExports | None]:
    """Each imported module name with its exports; without a resolver, one that lives
    for this call only (nothing tells it when the disk changes)."""
    return (resolver or ModuleResolver()).resolve_imports(parsed, file_path)


def module_finder(resolver: ModuleResolver | None = None, root: Path | None = None
                  ) -> Callable[[str, str, LanguageDefinition],
                                tuple[str, str, LanguageDefinition] | None]:
    """What ``craftls run``/``build`` link an import with (``codegen.link.ModuleFinder``):
    (module name, importing file's path, its language) -> the module's (path, text,
    language), found as the analysis finds it (next to the importer, else installed).
    Relative paths are read from ``root`` (default: the current folder), and a module
    inside it is named relative to it, as the importer is."""
    resolver = resolver or ModuleResolver()

    def find(name: str, importer: str, definition: LanguageDefinition
             ) -> tuple[str, str, LanguageDefinition] | None:
        base = (root or Path.cwd()).absolute()
        location = resolver.locate(name, base / importer, definition)
        if location is None:
            return None
        language = definition if location.suffix.lower() in definition.extensions \
            else by_extension(location)
        try:
            text = location.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if language is None:
            return None
        shown = location.absolute()
        return (shown.relative_to(base).as_posix() if base in shown.parents else str(shown),
                text, language)
    return find
