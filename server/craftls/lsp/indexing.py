"""The workspace index inside the server: its background build with ``$/progress``,
the registration of source-file watching, and updates from open documents and watched
files, run off the event loop. The index and the answers that read it belong to the
analysis host (``features/host.py``); this module only schedules.

Threading: index steps and queries run on worker threads (``run_in_executor``) so the
event loop keeps reading messages; the index takes its own lock. Long work takes a
``cancelled`` callable: when pygls cancels a request's task (``$/cancelRequest``), the
worker sees it at the next file and stops (``off_loop``).
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

from ..features.documents import path_of
from ..features.host import AnalysisHost
from ..workspace.index import IndexCancelled, WorkspaceIndex

if TYPE_CHECKING:
    from .server import CraftLanguageServer

log = logging.getLogger("craftls")
T = TypeVar("T")
Cancelled = Callable[[], bool]

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


class WorkspaceIndexer:
    def __init__(self, server: CraftLanguageServer) -> None:
        self.server = server
        self.generation = 0  # a newer build supersedes a running one
        self.task: asyncio.Future[None] | None = None
        self.watching = False
        self._watch_task: asyncio.Future[None] | None = None
        self._tokens = itertools.count(1)

    @property
    def host(self) -> AnalysisHost:
        return self.server.session.host

    @property
    def index(self) -> WorkspaceIndex:
        return self.server.session.host.index

    # ------------------------------------------------------------ building

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
        steps = self.index.build(roots, self.host.language_of, force=force,
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
            self.globals_changed()
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
        paths = self.host.document_closed(uri)
        if paths:
            self._refresh_later(paths)

    def files_changed(self, changes: Iterable[lsp.FileEvent]) -> None:
        """``workspace/didChangeWatchedFiles``: sources are re-read or dropped; a changed
        definition or ``craft.toml`` re-indexes everything."""
        changed: list[Path] = []
        deleted: list[Path] = []
        definitions = False
        for event in changes:
            path = path_of(event.uri) or Path(event.uri)
            if path.name == "craft.toml" or path.suffix in (".yaml", ".yml"):
                definitions = True
            elif event.type == lsp.FileChangeType.Deleted:
                deleted.append(path)
            else:
                changed.append(path)
        self.host.forget(deleted)
        if definitions:
            self.start(force=True)
        elif changed:
            self._refresh_later(changed)

    def _refresh_later(self, paths: list[Path]) -> None:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, self.host.refresh, paths)

        def done(f: asyncio.Future[None]) -> None:
            if not f.cancelled() and f.exception() is not None:
                log.error("index refresh failed: %r", f.exception())
            self.globals_changed()
        future.add_done_callback(done)

    def globals_changed(self, keep: str | None = None) -> None:
        """When the globals the workspace's files share changed since the open documents
        were analysed (``workspace_globals``, ``package_scope``), analyse again the open
        documents that see them (event loop: the host says which); a document of another
        language or package keeps its analysis and its diagnostics' result id, and so
        does ``keep``, the open document whose own edit changed them (a file's own
        globals are not among those it is given; should a disk change come in the same
        turn, its next edit catches up)."""
        changes = self.index.take_globals_changes()
        if changes:
            self.server.definitions_generation += 1  # unopened files' reports change too
            self.server.reanalyse(self.host.documents_seeing(changes, keep))
