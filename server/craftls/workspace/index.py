"""The workspace index: what every file of the workspace declares and imports, without
keeping its tree.

Per file it holds the language, a stamp of the disk file (mtime, size) and a digest of
the text, the declared symbols (name, kind, offsets and line/column in every position
encoding), the modules it imports, and its *external references*: the uses of names it
does not declare itself (``Square(2)`` after ``USES MathLib``) and qualified uses of an
imported module (``stats.mean``). Those are exactly what a cross-file rename needs, so a
rename reads the index and the candidate files' text instead of parsing them.

The index is built in small steps (``build`` is a generator: one chunk of files per
step) so a server can run a step at a time off its event loop and report progress.
Open documents override the disk (``put_open``); ``release`` hands a closed document
back to the disk. Every mutation and query takes one lock, so steps may run on a worker
thread while the event loop queries. Everything is bounded: files, file size, symbols
and references per file, and query results.

Pure core: no pygls, no LSP types; offsets are code points.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..language.model import LanguageDefinition
from ..semantics.grammar_meaning import meanings_of, nodes_of_kinds
from ..semantics.model import SemanticModel, SymbolKind
from ..semantics.resolve import resolve_names
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile, parse
from ..syntax.tree import SyntaxNode
from .imports import imported_modules
from .line_index import UTF8, UTF16, UTF32, LineIndex
from .shared_globals import (
    GlobalsChange,
    SharedGlobals,
    by_folder,
    file_globals,
    file_package,
    group_of,
)
from .source_bytes import decode_source

LanguageOf = Callable[[Path], LanguageDefinition | None]
Cancelled = Callable[[], bool]

MAX_FILES = 20_000
MAX_FILE_BYTES = 2_000_000
MAX_SYMBOLS_PER_FILE = 2_000
MAX_REFERENCES_PER_FILE = 20_000
MAX_RESULTS = 500
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "build", "dist", "target"})

# symbols worth finding by name across the workspace: declarations at the top level, and
# callables and types wherever they are declared (not locals, parameters or loop variables)
_TOP_LEVEL_KINDS = frozenset({SymbolKind.PROGRAM, SymbolKind.CONSTANT, SymbolKind.VARIABLE,
                              SymbolKind.TYPE, SymbolKind.FUNCTION, SymbolKind.PROCEDURE})
_NESTED_KINDS = frozenset({SymbolKind.TYPE, SymbolKind.FUNCTION, SymbolKind.PROCEDURE})


class IndexCancelled(Exception):
    """A long index operation stopped because its caller no longer wants the result."""


Ref = tuple[int, int, bool]  # start, end, is_write


@dataclass(frozen=True)
class IndexedSymbol:
    name: str
    kind: str
    start: int  # the name's offsets
    end: int
    line: int
    # (start, end) column of the name in utf-8, utf-16 and utf-32 (code points)
    columns: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    container: str = ""  # the enclosing declaration's name, "" at the top level
    detail: str = ""

    def range(self, encoding: str) -> tuple[int, int, int, int]:
        """(line, start column, line, end column) in ``encoding``; names are one line."""
        start, end = self.columns[(UTF8, UTF16, UTF32).index(encoding)
                                  if encoding in (UTF8, UTF16, UTF32) else 1]
        return self.line, start, self.line, end


@dataclass(frozen=True)
class ExternalReferences:
    """The uses of names a file does not declare (keys folded as its language folds)."""

    case_sensitive: bool
    imports: tuple[str, ...]  # module names as written
    free: Mapping[str, tuple[Ref, ...]]  # folded name -> unresolved references
    qualified: Mapping[tuple[str, str], tuple[Ref, ...]]  # (module, name) folded

    def fold(self, text: str) -> str:
        return text if self.case_sensitive else text.lower()

    def imports_module(self, module: str) -> bool:
        key = self.fold(module)
        return any(self.fold(m) == key for m in self.imports)

    def to(self, module: str, name: str) -> list[Ref]:
        """Spans that refer to ``module``'s ``name``: unqualified uses that resolve to
        nothing in this file, and ``module.name``; none unless the file imports it."""
        if not self.imports_module(module):
            return []
        key = self.fold(name)
        found = set(self.free.get(key, ())) | set(self.qualified.get((self.fold(module), key),
                                                                     ()))
        return sorted(found)


def _member_uses(parsed: ParsedFile) -> Iterator[tuple[str, str, int, int]]:
    """(object, member, member's span) of each ``a.b`` whose object is a plain name: the
    keyword level's MEMBER_EXPR, or a grammar's node annotated ``member`` right after a
    name (``stats.mean``: a NAME_REF, then ``.mean``)."""
    for node in parsed.root.descendants_of_kind(K.MEMBER_EXPR):
        parts = node.children_of_kind(K.NAME_REF)
        token = parts[1].first_token() if len(parts) == 2 else None
        if token is not None:
            yield parts[0].text.strip(), parts[1].text.strip(), token.start, token.end
    member_kinds = {k for k, m in meanings_of(parsed.definition).items() if m.member}
    if not member_kinds:
        return
    # the nodes that hold a member node, each once (a chain ``a.b.c`` shares one): only
    # their children are read, not every node of the file
    holders = {m.parent: None for m in nodes_of_kinds(parsed.root, member_kinds)
               if m.parent is not None}
    for holder in holders:
        yield from _members_after_names(holder, member_kinds)


def _members_after_names(holder: SyntaxNode, member_kinds: set[str],
                         ) -> Iterator[tuple[str, str, int, int]]:
    before: SyntaxNode | None = None
    for child in holder.children():
        if child.kind in member_kinds and before is not None and before.kind == K.NAME_REF:
            name = child.child_of_kind(K.NAME_REF)
            token = name.first_token() if name is not None else None
            if name is not None and token is not None:
                yield before.text.strip(), name.text.strip(), token.start, token.end
        before = child


def external_references(parsed: ParsedFile, model: SemanticModel,
                        limit: int = MAX_REFERENCES_PER_FILE) -> ExternalReferences:
    case_sensitive = parsed.definition.lexical.case_sensitive

    def fold(text: str) -> str:
        return text if case_sensitive else text.lower()

    # the keyword level's import statements and a grammar's `imports` nodes alike
    imports = [module.name for module in imported_modules(parsed)]
    members = list(_member_uses(parsed))
    free: dict[str, set[Ref]] = {}
    count = 0
    for ref in model.references:
        if ref.symbol is None and count < limit:
            free.setdefault(fold(ref.name), set()).add((ref.start, ref.end, ref.is_write))
            count += 1
    modules = {fold(m) for m in imports}
    qualified: dict[tuple[str, str], set[Ref]] = {}
    for module, name, start, end in members:
        if fold(module) in modules and count < limit:
            qualified.setdefault((fold(module), fold(name)), set()).add((start, end, False))
            count += 1
    return ExternalReferences(case_sensitive, tuple(imports),
                              {k: tuple(sorted(v)) for k, v in free.items()},
                              {k: tuple(sorted(v)) for k, v in qualified.items()})


def declared_symbols(model: SemanticModel, lines: LineIndex,
                     limit: int = MAX_SYMBOLS_PER_FILE) -> tuple[IndexedSymbol, ...]:
    found: list[IndexedSymbol] = []
    for symbol in model.symbols:
        top = symbol.scope is model.root_scope
        if not (symbol.kind in _TOP_LEVEL_KINDS if top else symbol.kind in _NESTED_KINDS):
            continue
        line, s32 = lines.position(symbol.start, UTF32)
        _, e32 = lines.position(symbol.end, UTF32)
        s16, e16 = lines.position(symbol.start, UTF16)[1], lines.position(symbol.end, UTF16)[1]
        s8, e8 = lines.position(symbol.start, UTF8)[1], lines.position(symbol.end, UTF8)[1]
        owner = symbol.scope.owner
        found.append(IndexedSymbol(symbol.name, symbol.kind, symbol.start, symbol.end, line,
                                   ((s8, e8), (s16, e16), (s32, e32)),
                                   owner.name if owner is not None and not top else "",
                                   symbol.signature()))
        if len(found) >= limit:
            break
    return tuple(found)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileEntry:
    path: Path
    language: str
    digest: str
    stamp: tuple[int, int] | None  # (mtime_ns, size) of the disk file it was read from
    version: int | None  # the open document's version when it came from the editor
    symbols: tuple[IndexedSymbol, ...]
    references: ExternalReferences
    # the globals it assigns that the workspace's other files see (``workspace_globals``)
    globals: tuple[str, ...] = ()
    # the package it names, when its language shares names by folder (``package_scope``)
    package: str | None = None

    @property
    def imports(self) -> tuple[str, ...]:
        return self.references.imports


def make_entry(path: Path, definition: LanguageDefinition, text: str,
               parsed: ParsedFile | None = None, model: SemanticModel | None = None,
               stamp: tuple[int, int] | None = None, version: int | None = None,
               lines: LineIndex | None = None) -> FileEntry:
    """An entry for ``text``; pass the parse and model when the caller already has them."""
    parsed = parsed if parsed is not None else parse(definition, text)
    model = model if model is not None else resolve_names(parsed)
    lines = lines if lines is not None else LineIndex(text)
    return FileEntry(path, definition.id, digest(text), stamp, version,
                     declared_symbols(model, lines), external_references(parsed, model),
                     file_globals(parsed, model),
                     file_package(model) if by_folder(definition) else None)


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def read_source(path: Path, max_bytes: int = MAX_FILE_BYTES
                ) -> tuple[str, tuple[int, int]] | None:
    """The text and stamp of a source file, or None (gone, too big, not UTF-8 nor the
    encoding its byte-order mark names)."""
    stamp = file_stamp(path)
    if stamp is None or stamp[1] > max_bytes:
        return None
    try:
        source = decode_source(path.read_bytes())
    except OSError:
        return None
    # as read_text did: universal newlines (the index's positions are the editor's)
    return (source.text.replace("\r\n", "\n").replace("\r", "\n"), stamp) \
        if source.exact else None


@dataclass(frozen=True)
class BuildProgress:
    phase: str  # "discover" | "index" | "done"
    done: int
    total: int | None  # None while files are still being discovered

    @property
    def percentage(self) -> int:
        if self.phase == "done":
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)


@dataclass(frozen=True)
class SymbolMatch:
    entry: FileEntry
    symbol: IndexedSymbol
    rank: tuple[int, int, str, str]


@dataclass
class WorkspaceIndex:
    max_files: int = MAX_FILES
    max_file_bytes: int = MAX_FILE_BYTES
    max_results: int = MAX_RESULTS
    ready: bool = False  # a full build has finished (queries may still run before it)
    truncated: bool = False  # the workspace had more files than ``max_files``
    _entries: dict[Path, FileEntry] = field(default_factory=dict)
    _importers: dict[str, set[Path]] = field(default_factory=dict)  # lower(module) -> files
    _open: set[Path] = field(default_factory=set)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _globals: SharedGlobals = field(default_factory=SharedGlobals)
    # bumped when a file's shared globals change (analyses that read them are stale)
    globals_generation: int = 0
    # the (language, group) whose shared globals changed since ``take_globals_changes``
    _globals_changed: set[GlobalsChange] = field(default_factory=set)

    # ------------------------------------------------------------ contents

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, path: object) -> bool:
        return path in self._entries

    def get(self, path: Path) -> FileEntry | None:
        return self._entries.get(path)

    def paths(self) -> list[Path]:
        with self._lock:
            return list(self._entries)

    def is_open(self, path: Path) -> bool:
        return path in self._open

    def put(self, entry: FileEntry) -> bool:
        """Store an entry read from disk; an open document's entry is not replaced, and a
        new file beyond ``max_files`` is refused. True when stored."""
        with self._lock:
            if entry.path in self._open:
                return False
            return self._store(entry)

    def put_open(self, entry: FileEntry) -> None:
        """Store the entry of an open document: it overrides the disk until released."""
        with self._lock:
            self._open.add(entry.path)
            if not self._store(entry, force=True):
                self._open.discard(entry.path)

    def release(self, path: Path) -> None:
        """The document was closed: the disk's version may replace its entry again."""
        with self._lock:
            self._open.discard(path)

    def remove(self, path: Path) -> int:
        """Forget a file, or every file under a folder; the number of entries removed."""
        with self._lock:
            doomed = [path] if path in self._entries else \
                [p for p in self._entries if p.is_relative_to(path)]
            for p in doomed:
                if self._entries[p].globals:
                    self._note_globals_change(self._entries[p])
                self._unlink(p)
                del self._entries[p]
                self._open.discard(p)
            return len(doomed)

    def _store(self, entry: FileEntry, force: bool = False) -> bool:
        if entry.path not in self._entries and len(self._entries) >= self.max_files \
                and not force:
            self.truncated = True
            return False
        old = self._entries.get(entry.path)
        same = old is not None and (old.language, old.globals, old.package) == \
            (entry.language, entry.globals, entry.package)
        if ((old.globals, old.package) if old is not None else ((), None)) \
                != (entry.globals, entry.package):
            self._note_globals_change(entry)
            if old is not None:
                self._note_globals_change(old)
        # the same globals again (an open document stored at each query): the shared
        # globals' tables stay made (``SharedGlobals.seen_from``)
        self._unlink(entry.path, keep_globals=same)
        self._entries[entry.path] = entry
        for module in entry.imports:
            self._importers.setdefault(module.lower(), set()).add(entry.path)
        if not same:
            self._globals.add(entry.language, entry.path, entry.globals, entry.package)
        return True

    def _note_globals_change(self, entry: FileEntry) -> None:
        self.globals_generation += 1
        self._globals_changed.add((entry.language, group_of(entry.path, entry.package)))

    def take_globals_changes(self) -> set[GlobalsChange]:
        """The (language, group) whose shared globals changed since the last call: the
        open documents that see them (``sees_change``) have stale analyses, others not."""
        with self._lock:
            changed, self._globals_changed = self._globals_changed, set()
            return changed

    def _unlink(self, path: Path, keep_globals: bool = False) -> None:
        old = self._entries.get(path)
        if old is None:
            return
        if not keep_globals:
            self._globals.remove(old.language, path, old.globals)
        for module in old.imports:
            holders = self._importers.get(module.lower())
            if holders is not None:
                holders.discard(path)
                if not holders:
                    del self._importers[module.lower()]

    # ------------------------------------------------------------ updating from disk

    def refresh(self, path: Path, definition: LanguageDefinition | None,
                force: bool = False) -> FileEntry | None:
        """Re-read one file if its stamp (or language) changed; removes it when it is gone
        or no longer a source file. The current entry (None when there is none)."""
        if path in self._open:
            return self._entries.get(path)
        if definition is None:
            self.remove(path)
            return None
        current = self._entries.get(path)
        stamp = file_stamp(path)
        if not force and current is not None and stamp is not None \
                and current.stamp == stamp and current.language == definition.id:
            return current
        source = read_source(path, self.max_file_bytes)
        if source is None:
            self.remove(path)
            return None
        text, stamp = source
        entry = make_entry(path, definition, text, stamp=stamp)
        return entry if self.put(entry) else self._entries.get(path)

    def update_text(self, path: Path, definition: LanguageDefinition, text: str,
                    stamp: tuple[int, int] | None) -> FileEntry:
        """The entry for a disk file whose text the caller has read (e.g. to convert
        positions): reused when the digest matches, re-made otherwise."""
        current = self._entries.get(path)
        if current is not None and current.language == definition.id \
                and current.digest == digest(text):
            return current
        entry = make_entry(path, definition, text, stamp=stamp)
        self.put(entry)
        return entry

    def discover(self, roots: Iterable[Path], language_of: LanguageOf,
                 step: int = 512) -> Iterator[list[tuple[Path, LanguageDefinition]]]:
        """Source files under ``roots`` (hidden and build folders skipped, symlinks not
        followed, at most ``max_files``), in batches so the caller can pause between."""
        batch: list[tuple[Path, LanguageDefinition]] = []
        seen = 0
        found = 0
        for root in roots:
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs
                                 if not d.startswith(".") and d not in SKIPPED_DIRS)
                for name in sorted(files):
                    seen += 1
                    path = Path(folder, name)
                    definition = language_of(path)
                    if definition is not None:
                        found += 1
                        if found > self.max_files:
                            self.truncated = True
                            if batch:
                                yield batch
                            return
                        batch.append((path, definition))
                    if seen % step == 0:
                        yield batch
                        batch = []
        if batch:
            yield batch

    def build(self, roots: Iterable[Path], language_of: LanguageOf, chunk: int = 16,
              force: bool = False, cancelled: Cancelled | None = None
              ) -> Iterator[BuildProgress]:
        """Index every source file under ``roots``, one chunk of files per step; files
        that vanished since the last build are dropped. Unchanged files (same stamp)
        are not re-read unless ``force``."""
        files: list[tuple[Path, LanguageDefinition]] = []
        for batch in self.discover(roots, language_of):
            files.extend(batch)
            yield BuildProgress("discover", len(files), None)
            if cancelled is not None and cancelled():
                raise IndexCancelled()
        wanted = {path for path, _ in files}
        for path in self.paths():
            if path not in wanted and path not in self._open:
                self.remove(path)
        total = len(files)
        for i in range(0, total, chunk):
            for path, definition in files[i:i + chunk]:
                self.refresh(path, definition, force)
            if cancelled is not None and cancelled():
                raise IndexCancelled()
            yield BuildProgress("index", min(i + chunk, total), total)
        self.ready = True
        yield BuildProgress("done", total, total)

    # ------------------------------------------------------------ queries

    def shared_globals(self, language: str, path: Path | None) -> dict[str, str]:
        """The globals the indexed files of ``language`` other than ``path`` assign:
        name -> a file's path (``structure.workspace_globals``)."""
        with self._lock:
            return self._globals.seen_from(language, path)

    def global_holders(self, language: str, name: str, origin: Path | None = None
                       ) -> list[FileEntry]:
        """The indexed files of ``language`` that assign the shared global ``name`` or
        use it without declaring it, in path order; when files share names by folder,
        only those of ``origin``'s folder and package."""
        with self._lock:
            entries = list(self._entries.values())
            package = None if origin is None else self._globals.package_of(language, origin)
        return sorted((e for e in entries if e.language == language
                       and (package is None or (origin is not None and e.package == package
                                                and e.path.parent == origin.parent))
                       and (name in e.globals or e.references.fold(name) in e.references.free)),
                      key=lambda e: e.path)

    def importers(self, module: str, language: str | None = None) -> list[FileEntry]:
        """Files that import ``module`` (matched as the importing file's language folds
        case), optionally only those of one language."""
        with self._lock:
            paths = sorted(self._importers.get(module.lower(), ()))
            entries = [self._entries[p] for p in paths]
        return [e for e in entries
                if (language is None or e.language == language)
                and e.references.imports_module(module)]

    def symbols(self, query: str, limit: int | None = None,
                cancelled: Cancelled | None = None) -> list[SymbolMatch]:
        """Symbols whose name matches ``query``: exact, then prefix, then substring, then
        in-order letters (fuzzy), case-insensitively; shorter names first. At most
        ``limit`` (default ``max_results``)."""
        limit = self.max_results if limit is None else limit
        q = query.strip().lower()
        with self._lock:
            entries = list(self._entries.values())
        matches: list[SymbolMatch] = []
        for n, entry in enumerate(entries):
            if cancelled is not None and n % 256 == 0 and cancelled():
                raise IndexCancelled()
            for symbol in entry.symbols:
                grade = match_grade(q, symbol.name.lower())
                if grade is not None:
                    matches.append(SymbolMatch(entry, symbol, (
                        grade, len(symbol.name), symbol.name.lower(), str(entry.path))))
        matches.sort(key=lambda m: (m.rank, m.symbol.start))
        return matches[:limit]


def match_grade(query: str, name: str) -> int | None:
    """0 exact, 1 prefix, 2 substring, 3 letters in order; None when it does not match."""
    if not query:
        return 3
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    if query in name:
        return 2
    i = 0
    for ch in name:
        if ch == query[i]:
            i += 1
            if i == len(query):
                return 3
    return None
