"""The workspace index inside the server: background build with ``$/progress``, updates
from open documents and watched files, and the two features that read it
(``workspace/symbol`` and the cross-file part of ``rename``).

Threading: index steps and queries run on worker threads (``run_in_executor``) so the
event loop keeps reading messages; the index takes its own lock. Long work takes a
``cancelled`` callable: when pygls cancels a request's task (``$/cancelRequest``), the
worker sees it at the next file and stops (``off_loop``).

Open documents override the disk: before a query, every open document whose snapshot
changed since the last query is put into the index from its existing parse (and its
analysis when one was already computed), so typing costs nothing here.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from lsprotocol import types as lsp

from ..language.model import LanguageDefinition
from ..workspace.documents import Document, path_of
from ..workspace.index import (
    SKIPPED_DIRS,
    IndexCancelled,
    WorkspaceIndex,
    make_entry,
    read_source,
)
from ..workspace.line_index import LineIndex
from . import convert
from .session import uri_to_path

if TYPE_CHECKING:
    from .server import CraftLanguageServer

log = logging.getLogger("craftls")
T = TypeVar("T")
Cancelled = Callable[[], bool]
PerFile = dict[str, tuple[int | None, list[lsp.TextEdit]]]

MAX_SCAN_FILES = 5000  # the fallback scan of a rename before the index is ready
WATCHER_ID = "craftls-sources"
PROGRESS_CREATE_TIMEOUT = 10.0  # seconds to wait for window/workDoneProgress/create


async def off_loop(work: Callable[[Cancelled], T]) -> T:
    """Run ``work`` on a worker thread; if the awaiting task is cancelled (the client
    sent ``$/cancelRequest``), tell the worker to stop at its next check."""
    stop = threading.Event()
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(None, work, stop.is_set)
    except asyncio.CancelledError:
        stop.set()
        raise


def check(cancelled: Cancelled) -> None:
    if cancelled():
        raise IndexCancelled()


class WorkspaceIndexer:
    def __init__(self, server: CraftLanguageServer) -> None:
        self.server = server
        self.index = WorkspaceIndex()
        self.generation = 0  # a newer build supersedes a running one
        self.task: asyncio.Future[None] | None = None
        self.watching = False
        self._watch_task: asyncio.Future[None] | None = None
        self._flushed: dict[str, Document] = {}  # uri -> the snapshot last put in the index
        self._flush_lock = threading.Lock()
        self._tokens = itertools.count(1)

    # ------------------------------------------------------------ building

    def language_of(self, path: Path) -> LanguageDefinition | None:
        return self.server.session.definition_for(path.as_uri())

    def in_scope(self, path: Path) -> bool:
        """Under a workspace root, outside hidden and build folders (as the build walks)."""
        for root in self.server.session.roots:
            if path.is_relative_to(root):
                parts = path.relative_to(root).parts[:-1]
                return not any(p.startswith(".") or p in SKIPPED_DIRS for p in parts)
        return False

    def start(self, force: bool = False) -> None:
        """(Re)build the index of the workspace roots in the background."""
        self.generation += 1
        if force:
            self.index.ready = False
        self.task = asyncio.ensure_future(self._build_working(self.generation, force))

    async def _build_working(self, generation: int, force: bool) -> None:
        with self.server.ops.working("indexing"):  # not quiescent while it runs
            await self._build(generation, force)

    async def _build(self, generation: int, force: bool) -> None:
        roots = list(self.server.session.roots)
        if not self.watching:
            self.watching = True  # without awaiting: the build must not wait for the client
            self._watch_task = asyncio.ensure_future(self._watch_sources())
        if not roots:
            return
        token = await self._progress_token()
        progress = self.server.work_done_progress
        if token is not None:
            progress.begin(token, lsp.WorkDoneProgressBegin(
                title="craftls: indexing", message="finding files", percentage=0,
                cancellable=False))
        loop = asyncio.get_running_loop()
        steps = self.index.build(roots, self.language_of, force=force,
                                 cancelled=lambda: generation != self.generation)
        shown = 0
        message = "done"
        try:
            while True:
                step = await loop.run_in_executor(None, next, steps, None)
                if step is None:
                    break
                if token is not None and step.phase == "index" and step.percentage > shown:
                    shown = step.percentage
                    progress.report(token, lsp.WorkDoneProgressReport(
                        message=f"{step.done}/{step.total} files", percentage=shown))
                await asyncio.sleep(0)
            message = f"{len(self.index)} files indexed"
            log.info("workspace index: %s", message)
        except IndexCancelled:
            message = "restarted"
        except Exception:
            log.exception("indexing the workspace failed")
            message = "failed (see the server log)"
        finally:
            if token is not None:
                progress.end(token, lsp.WorkDoneProgressEnd(message=message))

    async def _progress_token(self) -> str | None:
        if not self.server.client_supports("window.work_done_progress"):
            return None
        token = f"craftls-index-{next(self._tokens)}"
        try:  # shielded: a late answer must still find its future (pygls #621)
            await asyncio.wait_for(asyncio.shield(
                self.server.work_done_progress.create_async(token)), PROGRESS_CREATE_TIMEOUT)
        except Exception:  # refused or never answered: index without a progress bar
            return None
        return token

    async def _watch_sources(self) -> None:
        """Ask the client to report created/changed/deleted source files."""
        if not self.server.client_supports(
                "workspace.did_change_watched_files.dynamic_registration"):
            return
        extensions = sorted({e.lstrip(".") for d in self.server.session.all_definitions()
                             for e in d.extensions})
        if not extensions:
            return
        pattern = "**/*." + (extensions[0] if len(extensions) == 1
                             else "{" + ",".join(extensions) + "}")
        try:
            await self.server.client_register_capability_async(lsp.RegistrationParams(
                registrations=[lsp.Registration(
                    id=WATCHER_ID, method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[lsp.FileSystemWatcher(glob_pattern=pattern)]))]))
        except Exception:  # without it the index follows open documents only
            log.warning("client refused watching source files; the index may go stale")

    # ------------------------------------------------------------ updates

    def document_closed(self, uri: str) -> None:
        """The disk's version of a closed document replaces the editor's in the index."""
        self._flushed.pop(uri, None)
        path = path_of(uri)
        if path is not None and self.index.is_open(path):
            self.index.release(path)
            self._refresh_later([path])

    def files_changed(self, changes: Iterable[lsp.FileEvent]) -> None:
        """``workspace/didChangeWatchedFiles``: sources are re-read or dropped; a changed
        definition or ``craft.toml`` re-indexes everything."""
        changed: list[Path] = []
        definitions = False
        for event in changes:
            path = uri_to_path(event.uri)
            if path.name == "craft.toml" or path.suffix in (".yaml", ".yml"):
                definitions = True
            elif event.type == lsp.FileChangeType.Deleted:
                self.index.remove(path)
            else:
                changed.append(path)
        if definitions:
            self.start(force=True)
        elif changed:
            self._refresh_later(changed)

    def _refresh_later(self, paths: list[Path]) -> None:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, self._refresh, paths)

        def done(f: asyncio.Future[None]) -> None:
            if not f.cancelled() and f.exception() is not None:
                log.error("index refresh failed: %r", f.exception())
        future.add_done_callback(done)

    def _refresh(self, paths: list[Path]) -> None:
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

    def flush_open(self, documents: dict[str, Document]) -> None:
        """Put open documents whose snapshot changed into the index (worker thread)."""
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
            closed = [u for u in self._flushed if u not in self.server.session.documents]
            for uri in closed:  # closed while this ran: hand them back to the disk
                self._flushed.pop(uri, None)
                path = path_of(uri)
                if path is not None:
                    self.index.release(path)
                    self._refresh([path])

    # ------------------------------------------------------------ features

    async def workspace_symbols(self, query: str, encoding: str
                                ) -> list[lsp.SymbolInformation]:
        documents = dict(self.server.session.documents)
        uris = {path_of(u): u for u in documents}

        def work(cancelled: Cancelled) -> list[lsp.SymbolInformation]:
            self.flush_open(documents)
            out = []
            for match in self.index.symbols(query, cancelled=cancelled):
                line, start, end_line, end = match.symbol.range(encoding)
                out.append(lsp.SymbolInformation(
                    name=match.symbol.name,
                    kind=convert.SYMBOL_KIND.get(match.symbol.kind, lsp.SymbolKind.Variable),
                    container_name=match.symbol.container or None,
                    location=lsp.Location(
                        uri=uris.get(match.entry.path) or match.entry.path.as_uri(),
                        range=lsp.Range(start=lsp.Position(line=line, character=start),
                                        end=lsp.Position(line=end_line, character=end)))))
            return out

        return await off_loop(work)

    async def importer_edits(self, origin: Document, name: str, new_name: str,
                             encoding: str) -> PerFile:
        """Edits renaming ``name`` (exported by ``origin``'s module) in the files that
        import that module: open documents as they are in the editor, other files as
        they are on disk. From the index when it is built, else from a bounded scan."""
        documents = dict(self.server.session.documents)
        return await off_loop(lambda cancelled: self._importer_edits(
            origin, name, new_name, encoding, documents, cancelled))

    def _importer_edits(self, origin: Document, name: str, new_name: str, encoding: str,
                        documents: dict[str, Document], cancelled: Cancelled) -> PerFile:
        self.flush_open(documents)
        origin_path = path_of(origin.uri)
        module = uri_to_path(origin.uri).stem
        language = origin.definition.id
        open_docs = {path_of(u): d for u, d in documents.items() if u != origin.uri}
        from_index = self.index.ready
        if from_index:
            candidates = [e.path for e in self.index.importers(module, language)]
        else:
            candidates = self._scan(origin, open_docs, cancelled)
        per_file: PerFile = {}
        for path in candidates:
            check(cancelled)
            if path == origin_path:
                continue
            doc = open_docs.get(path)
            if doc is not None:
                if doc.definition.id != language:
                    continue
                entry = self.index.get(path)
                if entry is None or entry.version != doc.version:
                    entry = make_entry(path, doc.definition, doc.text, doc.parsed,
                                       version=doc.version, lines=doc.line_index)
                lines, version, uri = doc.line_index, doc.version, doc.uri
            else:
                source = read_source(path, self.index.max_file_bytes)
                if source is None:
                    self.index.remove(path)
                    continue
                text, stamp = source
                if from_index:  # the text read now wins over what the index saw
                    entry = self.index.update_text(path, origin.definition, text, stamp)
                else:
                    entry = make_entry(path, origin.definition, text, stamp=stamp)
                    self.index.put(entry)
                lines, version, uri = LineIndex(text), None, path.as_uri()
            spans = entry.references.to(module, name)
            if spans:
                per_file[uri] = (version, [lsp.TextEdit(
                    range=convert.to_range(lines, start, end, encoding), new_text=new_name)
                    for start, end, _ in spans])
        return per_file

    def _scan(self, origin: Document, open_docs: dict[Path | None, Document],
              cancelled: Cancelled) -> list[Path]:
        """Before the index is ready: every file of the origin's language under the roots
        (or beside the origin), bounded, plus the open documents."""
        extensions = {e.lower() for e in origin.definition.extensions}
        origin_path = path_of(origin.uri)
        roots = list(self.server.session.roots) or (
            [origin_path.parent] if origin_path is not None else [])
        found: list[Path] = [p for p in open_docs if p is not None]
        scanner = WorkspaceIndex(max_files=MAX_SCAN_FILES)
        for batch in scanner.discover(
                roots, lambda p: origin.definition if p.suffix.lower() in extensions else None):
            check(cancelled)
            found.extend(p for p, _ in batch)
        return list(dict.fromkeys(found))

