"""The analysis host: the inputs of every cross-file answer, and those answers.

rust-analyzer's ``AnalysisHost`` is the model: one core object owns the open documents'
snapshots, the workspace index and the module resolver, and answers the questions that
need more than one file (definition in another file, rename across importers, workspace
symbols, the diagnostics of files that are not open) as plain data: code-point offsets
with the ``LineIndex`` of the file they are in, never protocol types. The protocol layer
schedules the calls (worker threads, cancellation, ``$/progress``) and converts.

Threading: the answers run on worker threads while the event loop replaces snapshots
in ``documents``; each call copies the dict first, and the index takes its own lock.
Long calls take a ``cancelled`` callable and stop at the next file when it says so
(``IndexCancelled``).

Open documents override the disk: before a query, every open document whose snapshot
changed since the last query is put into the index from its existing parse (and its
analysis when one was already computed), so typing costs nothing here.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..language.model import LanguageDefinition
from ..semantics.diagnostics import Diagnostic, FileAnalysis
from ..semantics.model import Reference
from ..semantics.resolve import resolve_names
from ..syntax.incremental import TextEdit
from ..workspace.imports import ModuleResolver
from ..workspace.index import (
    SKIPPED_DIRS,
    IndexCancelled,
    WorkspaceIndex,
    file_stamp,
    make_entry,
    read_source,
)
from ..workspace.line_index import LineIndex
from ..workspace.shared_globals import (
    GlobalsChange,
    by_folder,
    file_globals,
    file_package,
    globals_table_fields,
    sees_change,
    shares_names,
)
from . import method_uses, navigation
from .caches import AnalysisCaches, new_analysis_caches
from .documents import Document, open_document, path_of
from .method_uses import MethodDeclaration, Uses

LanguageOf = Callable[[Path], LanguageDefinition | None]
Cancelled = Callable[[], bool]
Stamp = tuple[int, int]

MAX_METHOD_FILES = 400  # the files a table's function's references and rename read
MAX_READ_DOCUMENTS = 32  # of them, the unopened ones kept analysed
MAX_SCAN_FILES = 5000  # the fallback scan of a rename before the index is ready
STAT_BATCH = 256  # the survey of unopened files looks for a cancellation this often


def never() -> bool:
    return False


def check(cancelled: Cancelled) -> None:
    if cancelled():
        raise IndexCancelled()


@dataclass(frozen=True)
class FileLocation:
    """A span in a file (open or not), with what converts its offsets."""

    uri: str
    lines: LineIndex = field(compare=False, repr=False)  # the file's, for its positions
    start: int
    end: int


@dataclass(frozen=True)
class FileEdits:
    """Edits of one file; ``version`` is the open document's, None for a file on disk."""

    uri: str
    version: int | None
    lines: LineIndex
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True)
class SymbolHit:
    """A workspace symbol: its file and its name's (line, column, line, column) in the
    position encoding that was asked for."""

    name: str
    kind: str
    container: str
    uri: str
    range: tuple[int, int, int, int]


@dataclass(frozen=True)
class UnopenedFile:
    """A file of the workspace that is not open, as the survey found it."""

    path: Path
    definition: LanguageDefinition
    stamp: Stamp

    @property
    def uri(self) -> str:
        return self.path.as_uri()


@dataclass(frozen=True)
class FileDiagnostics:
    """One unopened file's diagnostics, read and analysed from disk."""

    uri: str
    lines: LineIndex
    diagnostics: tuple[Diagnostic, ...]
    stamp: Stamp


def disk_result_id(generation: int, stamp: Stamp) -> str:
    """Names an unopened file's diagnostics: its (mtime, size) and the generation of the
    definitions (bumped by every definition, ``craft.toml`` or package change)."""
    return f"disk.{generation}.{stamp[0]}.{stamp[1]}"


def is_exported(analysis: FileAnalysis, offset: int) -> bool:
    """The symbol at ``offset`` is declared at the top level of its file (so files that
    import the module may use it)."""
    symbol = analysis.model.symbol_at(offset)
    return symbol is not None and symbol.scope is analysis.model.root_scope \
        and symbol.kind not in ("module", "program")


class AnalysisHost:
    """Owns the analysis inputs (open documents, the workspace index, the module
    resolver) and answers cross-file questions as plain data.

    ``language_of`` says which definition serves a file (None: not ours); ``roots`` the
    workspace folders, asked at each call (a ``craft.toml`` change reconfigures them)."""

    def __init__(self, language_of: LanguageOf, roots: Callable[[], Sequence[Path]],
                 index: WorkspaceIndex | None = None,
                 caches: AnalysisCaches | None = None) -> None:
        self.language_of = language_of
        self.roots = roots
        self.documents: dict[str, Document] = {}
        self.index = index if index is not None else WorkspaceIndex()
        # the analysis caches (configured from the settings, reported by craftls/stats)
        self.caches = caches if caches is not None else new_analysis_caches()
        if self.caches.imports is None:
            raise ValueError("a host's caches need their own module resolver "
                             "(new_analysis_caches())")
        # what analyses read from disk about imports, until a file event, save or install
        self.imports: ModuleResolver = self.caches.imports
        # an analysis knows the globals the workspace's other files assign from the index
        self.caches.shared_globals = self.index.shared_globals
        self._flushed: dict[str, Document] = {}  # uri -> the snapshot last put in the index
        self._flush_lock = threading.Lock()
        # unopened files a table's function's references and rename read, by their text
        # (the last MAX_READ_DOCUMENTS: one question after another reads the same files)
        self._read: OrderedDict[Path, Document] = OrderedDict()
        self._read_lock = threading.Lock()

    def document(self, uri: str) -> Document | None:
        return self.documents.get(uri)

    # ------------------------------------------------------------ the index's inputs

    def in_scope(self, path: Path) -> bool:
        """Under a workspace root, outside hidden and build folders (as the build walks)."""
        for root in self.roots():
            if path.is_relative_to(root):
                parts = path.relative_to(root).parts[:-1]
                return not any(p.startswith(".") or p in SKIPPED_DIRS for p in parts)
        return False

    def flush_open(self, documents: dict[str, Document] | None = None) -> None:
        """Put open documents whose snapshot changed into the index (worker thread)."""
        documents = dict(self.documents) if documents is None else documents
        with self._flush_lock:
            for uri, doc in documents.items():
                path = path_of(uri)
                if path is None or self._flushed.get(uri) is doc:
                    continue
                analysis = doc.cached_analysis()
                self.index.put_open(make_entry(
                    path, doc.definition, doc.text, doc.parsed,
                    analysis.model if analysis is not None else None,
                    version=doc.version, lines=doc.line_index))
                self._flushed[uri] = doc
            closed = [u for u in self._flushed if u not in self.documents]
            for uri in closed:  # closed while this ran: hand them back to the disk
                self._flushed.pop(uri, None)
                path = path_of(uri)
                if path is not None:
                    self.index.release(path)
                    self.refresh([path])

    def note_open_globals(self, doc: Document) -> bool:
        """After ``doc``'s analysis (worker thread): when it assigns other shared globals
        than the index holds for its file (``workspace_globals``), its entry is stored now,
        so the language's other open documents can be analysed again (True)."""
        analysis = doc.cached_analysis()
        path = path_of(doc.uri)
        if analysis is None or path is None or self.documents.get(doc.uri) is not doc \
                or not shares_names(doc.definition):
            return False  # a newer snapshot notes its own
        entry = self.index.get(path)
        held = (entry.globals, entry.package) if entry is not None else ((), None)
        package = file_package(analysis.model) if by_folder(doc.definition) else None
        if held == (file_globals(doc.parsed, analysis.model), package):
            return False
        self.flush_open({doc.uri: doc})
        return True

    def documents_seeing(self, changes: Collection[GlobalsChange], keep: str | None = None
                         ) -> list[str]:
        """The open documents that read shared globals ``changes`` touched
        (``WorkspaceIndex.take_globals_changes``): every one of a language whose globals
        are the workspace's, only those of the folder with ``package_scope: folder``;
        ``keep``, whose own edit made them, only when it is stale as well."""
        return [uri for uri, doc in list(self.documents.items())
                if sees_change(changes, doc.definition.id, path_of(uri))
                and (uri != keep or self._read_other_globals(doc))]

    def _read_other_globals(self, doc: Document) -> bool:
        """Whether ``doc``'s analysis was given other shared globals than the index holds
        now: ``changes`` are per folder, not per file, so the edit that changed ``doc``'s
        own globals may take, in the same call, another file's change made since ``doc``
        was analysed (a file indexed while the workspace is built): ``doc`` is stale too."""
        analysis = doc.cached_analysis()
        return analysis is not None and dict(analysis.shared_globals) != \
            self.index.shared_globals(doc.definition.id, path_of(doc.uri))

    def document_closed(self, uri: str) -> list[Path]:
        """The disk's version of a closed document replaces the editor's in the index:
        the paths to ``refresh`` (off the event loop)."""
        self._flushed.pop(uri, None)
        path = path_of(uri)
        if path is not None and self.index.is_open(path):
            self.index.release(path)
            return [path]
        return []

    def forget(self, deleted: Iterable[Path]) -> None:
        """Source files deleted on disk leave the index."""
        self._forget_read()
        for path in deleted:
            self.index.remove(path)

    def _forget_read(self) -> None:
        """A file changed on disk: the files read for a table's function are analysed
        again (they may read the changed one)."""
        with self._read_lock:
            self._read.clear()

    def refresh(self, paths: Iterable[Path]) -> None:
        """Re-read files (or folders) from disk into the index (worker thread)."""
        self._forget_read()
        for path in paths:
            if not self.in_scope(path):
                if not self.index.is_open(path):
                    self.index.remove(path)
            elif path.is_dir():
                for batch in self.index.discover([path], self.language_of):
                    for file, definition in batch:
                        self.index.refresh(file, definition)
            else:
                self.index.refresh(path, self.language_of(path))

    # ------------------------------------------------------------ navigation

    def definition(self, uri: str, offset: int) -> FileLocation | None:
        """Where the name at ``offset`` is declared: in the file, or in an imported
        module's source (a workspace file or a package), whose names are resolved (no
        types needed). May read another file: call it off the event loop."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        analysis = doc.analysis()
        span = navigation.definition(analysis, offset)
        if span is not None:
            return FileLocation(uri, doc.line_index, span.start, span.end)
        field = navigation.globals_table_field_at(analysis, offset)
        if field is not None:  # `ns.class = ...` of populate(_G): the declaration itself
            return FileLocation(uri, doc.line_index, field[1], field[1] + len(field[0]))
        target = navigation.external_target(analysis, offset)
        if target is not None:
            return self._declaration_in(Path(target[0]), target[1])
        method = navigation.method_declaration(analysis, offset)
        if method is not None and method.analysis.path is not None:
            # `M:foo` of `local M = require("m")`: `function M:foo` in m's file
            return FileLocation(method.analysis.path.as_uri(),
                                LineIndex(method.analysis.parsed.text), method.start,
                                method.end)
        return None

    def _declaration_in(self, path: Path, name: str) -> FileLocation | None:
        definition = self.language_of(path)
        if definition is None:
            return None
        try:
            other = open_document(path.as_uri(), 0, path.read_text(encoding="utf-8"),
                                  definition, caches=self.caches)
        except (OSError, UnicodeDecodeError):
            return None
        model = resolve_names(other.parsed, templates=self.caches.names)
        symbol = model.file_scope.symbols.get(model.key(name))
        if symbol is None:  # a field of the globals table a function is passed (`ns.class =`)
            at = next((start for field, start in globals_table_fields(other.parsed, model)
                       if model.key(field) == model.key(name)), None)
            return FileLocation(path.as_uri(), other.line_index, at, at + len(name)) \
                if at is not None else None
        return FileLocation(path.as_uri(), other.line_index, symbol.start, symbol.end)

    def references(self, uri: str, offset: int, include_declaration: bool = True,
                   cancelled: Cancelled = never) -> list[FileLocation]:
        """The uses of the symbol at ``offset`` in its file, and in the other files of
        the workspace when it is a global they share (``workspace_globals``)."""
        doc = self.documents.get(uri)
        if doc is None:
            return []
        analysis = doc.analysis()
        method = navigation.method_declaration(analysis, offset)
        if method is not None:  # `obj:m`: a table's function, in every file that reaches it
            return [FileLocation(file_uri, lines, start, end)
                    for file_uri, lines, _, uses in self.method_uses(doc, method, cancelled)
                    for start, end in uses.sure
                    if include_declaration or (start, end, file_uri) != (
                        method.start, method.end, self._uri_of(method, doc))]
        shared = self.shared_global_at(doc, offset)
        spans = navigation.free_uses(analysis, shared) if shared is not None \
            and analysis.model.symbol_at(offset) is None \
            else navigation.references(analysis, offset, include_declaration)
        found = [FileLocation(uri, doc.line_index, s.start, s.end) for s in spans]
        if shared is not None and include_declaration:  # `ns.class =` of populate(_G)
            key = analysis.model.key(shared)
            found += [FileLocation(uri, doc.line_index, start, start + len(name))
                      for name, start in globals_table_fields(analysis.parsed, analysis.model)
                      if analysis.model.key(name) == key]
        if shared is not None:
            for edits in self.global_edits(doc, shared, shared, cancelled):
                found.extend(FileLocation(edits.uri, edits.lines, e.start, e.end)
                             for e in edits.edits)
        return found

    def method_uses(self, origin: Document, method: MethodDeclaration,
                    cancelled: Cancelled = never
                    ) -> list[tuple[str, LineIndex, FileAnalysis, Uses]]:
        """(uri, lines, analysis, uses) of the table's function ``method`` in each file
        that may use it: ``origin``, the file that declares it, and the indexed files of
        its language that write its name after a separator (at most
        ``MAX_METHOD_FILES``; open documents as edited, other files as on disk)."""
        documents = dict(self.documents)
        self.flush_open(documents)
        open_docs = {path_of(u): d for u, d in documents.items()}
        declared_in = method.analysis.path
        word = re.compile(r"[.:]\s*" + re.escape(method.name) + r"\b")
        paths = [path_of(origin.uri)]
        if declared_in is not None:
            paths.append(Path(declared_in))
        paths += [p for p in self.index.paths()
                  if self.language_of(p) is not None
                  and self.language_of(p).id == origin.definition.id]  # type: ignore[union-attr]
        found = []
        seen: set[Path | None] = set()
        for path in paths:
            check(cancelled)
            if path in seen or len(seen) >= MAX_METHOD_FILES:
                continue
            seen.add(path)
            doc = origin if path == path_of(origin.uri) else open_docs.get(path)
            if doc is None and path is not None:
                source = read_source(path, self.index.max_file_bytes)
                if source is None or not word.search(source[0]):
                    continue
                doc = self._read_document(path, source[0], origin.definition)
            if doc is None:
                continue
            analysis = doc.analysis()
            uses = method_uses.uses_in(analysis, method)
            if uses.sure or uses.unsure:
                found.append((doc.uri, doc.line_index, analysis, uses))
        return found

    def _read_document(self, path: Path, text: str, definition: LanguageDefinition
                       ) -> Document:
        """The document of an unopened file's ``text``, the one made before for that
        text when it is still kept."""
        with self._read_lock:
            kept = self._read.get(path)
            if kept is not None and kept.text == text and kept.definition is definition:
                self._read.move_to_end(path)
                return kept
        doc = open_document(path.as_uri(), 0, text, definition, self.imports, self.caches)
        with self._read_lock:
            self._read[path] = doc
            while len(self._read) > MAX_READ_DOCUMENTS:
                self._read.popitem(last=False)
        return doc

    @staticmethod
    def _uri_of(method: MethodDeclaration, origin: Document) -> str:
        path = method.analysis.path
        return path.as_uri() if path is not None else origin.uri

    def shared_global_at(self, doc: Document, offset: int) -> str | None:
        """The name at ``offset`` when it is a global the workspace's files share: one
        another file assigns, or one this file assigns (``workspace_globals``)."""
        if not shares_names(doc.definition):
            return None
        analysis = doc.analysis()
        field = navigation.globals_table_field_at(analysis, offset)
        if field is not None:
            return field[0]
        item = analysis.model.at(offset)
        if isinstance(item, Reference) and item.symbol is None:
            return item.name if item.name in analysis.shared_globals else None
        symbol = analysis.model.symbol_at(offset)
        if symbol is None or symbol.scope is not analysis.model.root_scope:
            return None
        return symbol.name if symbol.name in file_globals(analysis.parsed, analysis.model) \
            else None

    def global_edits(self, origin: Document, name: str, new_name: str,
                     cancelled: Cancelled = never) -> list[FileEdits]:
        """Edits renaming the shared global ``name`` in the other indexed files of
        ``origin``'s language: where they assign it and where they use it (open
        documents as edited, other files as on disk)."""
        documents = dict(self.documents)
        self.flush_open(documents)
        open_docs = {path_of(u): d for u, d in documents.items()}
        origin_path = path_of(origin.uri)
        found: list[FileEdits] = []
        for entry in self.index.global_holders(origin.definition.id, name, origin_path):
            check(cancelled)
            if entry.path == origin_path:
                continue
            doc = open_docs.get(entry.path)
            if doc is None:
                source = read_source(entry.path, self.index.max_file_bytes)
                if source is None:
                    continue
                doc = open_document(entry.path.as_uri(), 0, source[0], origin.definition,
                                    caches=self.caches)
                version = None
            else:
                version = doc.version
            model = resolve_names(doc.parsed, templates=self.caches.names)
            key = model.key(name)
            symbol = model.file_scope.symbols.get(key)
            spans = {(r.start, r.end) for r in model.references
                     if (r.symbol is None and r.builtin is None and model.key(r.name) == key)
                     or (symbol is not None and r.symbol is symbol)}
            if symbol is not None:
                spans.add((symbol.start, symbol.end))
            spans |= {(start, start + len(field))
                      for field, start in globals_table_fields(doc.parsed, model)
                      if model.key(field) == key}
            if spans:
                found.append(FileEdits(doc.uri, version, doc.line_index, tuple(
                    TextEdit(start, end, new_name) for start, end in sorted(spans))))
        return found

    # ------------------------------------------------------------ rename

    def rename(self, uri: str, offset: int, new_name: str, cancelled: Cancelled = never
               ) -> list[FileEdits]:
        """The edits renaming the symbol at ``offset`` to ``new_name``, the document's
        own first; an exported symbol is renamed in the files importing its module too
        (open documents as edited, other files as on disk). ``RenameRefused`` says why
        not; empty when the document is not open."""
        doc = self.documents.get(uri)
        if doc is None:
            return []
        analysis = doc.analysis()
        method = navigation.method_declaration(analysis, offset)
        if method is not None:  # `obj:m`: a table's function, in every file that reaches it
            return self._method_rename(doc, method, new_name, cancelled)
        field = navigation.globals_table_field_at(analysis, offset)
        if field is not None:  # `ns.class` of populate(_G): the global `class`
            navigation.check_new_name(analysis, new_name)
            spans = navigation.free_uses(analysis, field[0]) + [
                navigation.Span(start, start + len(name))
                for name, start in globals_table_fields(analysis.parsed, analysis.model)
                if analysis.model.key(name) == analysis.model.key(field[0])]
        else:
            spans = navigation.rename_spans(analysis, offset, new_name)
        result = [FileEdits(uri, doc.version, doc.line_index,
                            tuple(TextEdit(s.start, s.end, new_name)
                                  for s in sorted(spans, key=lambda s: s.start)))]
        shared = self.shared_global_at(doc, offset)
        if shared is not None:
            result.extend(self.global_edits(doc, shared, new_name, cancelled))
            return result
        symbol = analysis.model.symbol_at(offset)
        if symbol is not None and is_exported(analysis, offset):
            seen = {uri}
            for edits in self.importer_edits(doc, symbol.name, new_name, cancelled):
                if edits.uri not in seen:
                    seen.add(edits.uri)
                    result.append(edits)
        return result

    def _method_rename(self, origin: Document, method: MethodDeclaration, new_name: str,
                       cancelled: Cancelled) -> list[FileEdits]:
        """Rename of a table's function: every sure use in the files that reach it and
        its declaration; refused while a use in one of those files, or in the declaring
        file, is unsure (its receiver's value is not known), or the table has a function
        of the new name."""
        navigation.check_new_name(origin.analysis(), new_name)
        files = self.method_uses(origin, method, cancelled)
        declared = self._uri_of(method, origin)
        result = []
        for uri, lines, analysis, uses in files:
            reaches = bool(uses.sure) or uri in (origin.uri, declared)
            problem = method_uses.rename_problem(analysis, method, uses, new_name) \
                if reaches else None
            if problem is not None:
                where = "" if uri == origin.uri else f" (in {uri.rsplit('/', 1)[-1]})"
                raise navigation.RenameRefused(problem + where)
            if uses.sure:
                version = self.documents[uri].version if uri in self.documents else None
                result.append(FileEdits(uri, version, lines, tuple(
                    TextEdit(start, end, new_name) for start, end in uses.sure)))
        if not any(f.uri == declared for f in result):
            raise navigation.RenameRefused(f"the declaration of '{method.name}' was not found "
                                           f"in the workspace")
        result.sort(key=lambda f: f.uri != origin.uri)
        return result

    def importer_edits(self, origin: Document, name: str, new_name: str,
                       cancelled: Cancelled = never) -> list[FileEdits]:
        """Edits renaming ``name`` (exported by ``origin``'s module) in the files that
        import that module. From the index when it is built, else from a bounded scan."""
        documents = dict(self.documents)
        self.flush_open(documents)
        origin_path = path_of(origin.uri)
        module = (origin_path or Path(origin.uri)).stem
        language = origin.definition.id
        open_docs = {path_of(u): d for u, d in documents.items() if u != origin.uri}
        from_index = self.index.ready
        candidates = ([e.path for e in self.index.importers(module, language)] if from_index
                      else self._scan(origin, open_docs, cancelled))
        found: list[FileEdits] = []
        for path in candidates:
            check(cancelled)
            if path == origin_path:
                continue
            edits = self._importer_file_edits(path, open_docs.get(path), origin, from_index,
                                              module, name, new_name)
            if edits is not None:
                found.append(edits)
        return found

    def _importer_file_edits(self, path: Path, doc: Document | None, origin: Document,
                             from_index: bool, module: str, name: str, new_name: str
                             ) -> FileEdits | None:
        if doc is not None:
            if doc.definition.id != origin.definition.id:
                return None
            entry = self.index.get(path)
            if entry is None or entry.version != doc.version:
                entry = make_entry(path, doc.definition, doc.text, doc.parsed,
                                   version=doc.version, lines=doc.line_index)
            lines, version, uri = doc.line_index, doc.version, doc.uri
        else:
            source = read_source(path, self.index.max_file_bytes)
            if source is None:
                self.index.remove(path)
                return None
            text, stamp = source
            if from_index:  # the text read now wins over what the index saw
                entry = self.index.update_text(path, origin.definition, text, stamp)
            else:
                entry = make_entry(path, origin.definition, text, stamp=stamp)
                self.index.put(entry)
            lines, version, uri = LineIndex(text), None, path.as_uri()
        spans = entry.references.to(module, name)
        if not spans:
            return None
        return FileEdits(uri, version, lines,
                         tuple(TextEdit(start, end, new_name) for start, end, _ in spans))

    def _scan(self, origin: Document, open_docs: dict[Path | None, Document],
              cancelled: Cancelled) -> list[Path]:
        """Before the index is ready: every file of the origin's language under the roots
        (or beside the origin), bounded, plus the open documents."""
        extensions = {e.lower() for e in origin.definition.extensions}
        origin_path = path_of(origin.uri)
        roots = list(self.roots()) or ([origin_path.parent] if origin_path is not None
                                       else [])
        found: list[Path] = [p for p in open_docs if p is not None]
        scanner = WorkspaceIndex(max_files=MAX_SCAN_FILES)
        for batch in scanner.discover(
                roots, lambda p: origin.definition if p.suffix.lower() in extensions else None):
            check(cancelled)
            found.extend(p for p, _ in batch)
        return list(dict.fromkeys(found))

    # ------------------------------------------------------------ workspace queries

    def workspace_symbols(self, query: str, encoding: str, cancelled: Cancelled = never
                          ) -> list[SymbolHit]:
        """The index's symbols matching ``query``, ranked; open documents as edited."""
        documents = dict(self.documents)
        uris = {path_of(u): u for u in documents}
        self.flush_open(documents)
        return [SymbolHit(m.symbol.name, m.symbol.kind, m.symbol.container,
                          uris.get(m.entry.path) or m.entry.path.as_uri(),
                          m.symbol.range(encoding))
                for m in self.index.symbols(query, cancelled=cancelled)]

    def unopened_files(self, open_uris: Iterable[str], cancelled: Cancelled = never
                       ) -> list[UnopenedFile]:
        """The indexed files that are not open, with their language and current stamp
        (a stat per file); files deleted since they were indexed are left out (the index
        hears of it from the watcher)."""
        open_paths = {path_of(uri) for uri in open_uris}
        found = []
        for n, path in enumerate(self.index.paths()[:self.index.max_files]):
            if n % STAT_BATCH == 0:
                check(cancelled)
            definition = self.language_of(path) if path not in open_paths else None
            stamp = file_stamp(path) if definition is not None else None
            if definition is not None and stamp is not None:
                found.append(UnopenedFile(path, definition, stamp))
        return found

    def file_diagnostics(self, file: UnopenedFile) -> FileDiagnostics | None:
        """Read and analyse one unopened file (its tree is dropped after it); None when
        it cannot be read."""
        source = read_source(file.path, self.index.max_file_bytes)
        if source is None:
            return None
        text, stamp = source
        doc = open_document(file.uri, 0, text, file.definition, self.imports,
                            self.caches)
        return FileDiagnostics(doc.uri, doc.line_index, tuple(doc.analysis().diagnostics),
                               stamp)
