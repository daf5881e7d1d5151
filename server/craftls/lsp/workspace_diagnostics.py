"""``workspace/diagnostic``: the diagnostics of every file of the workspace, open or not.

Open documents are reported as edited (their snapshot's analysis). The other files are
those the workspace index knows (files of a configured language under the roots): each
is read from disk and analysed on a worker thread, one file per turn, so a
``$/cancelRequest`` stops the work at the next file. A file is re-analysed only when its
result id differs from the one the client sent in ``previousResultIds``; otherwise it
gets an ``unchanged`` report:

- an open document's result id names its snapshot (``Document.result_id``);
- a file on disk's names its (mtime, size) and the server's definition generation
  (bumped when a definition or ``craft.toml`` is reloaded), so a file whose language
  changed is analysed again.

Bounded: at most the index's files (``WorkspaceIndex.max_files``) each no larger than
``max_file_bytes``; only one file's tree is alive at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ..language.model import LanguageDefinition
from ..workspace.documents import Document, open_document, path_of
from ..workspace.imports import ModuleResolver
from ..workspace.index import file_stamp, read_source
from . import convert
from .indexing import Cancelled, check, off_loop

if TYPE_CHECKING:
    from .indexing import WorkspaceIndexer

Report = lsp.WorkspaceFullDocumentDiagnosticReport | lsp.WorkspaceUnchangedDocumentDiagnosticReport
STAT_BATCH = 256  # the survey of the files looks for a cancellation this often


def disk_result_id(generation: int, stamp: tuple[int, int]) -> str:
    return f"disk.{generation}.{stamp[0]}.{stamp[1]}"


def full_items(doc: Document, encoding: str) -> list[lsp.Diagnostic]:
    """The snapshot's diagnostics in LSP form (computes its analysis: a worker's job)."""
    return [convert.diagnostic(d, doc.line_index, encoding, doc.uri)
            for d in doc.analysis().diagnostics]


async def open_report(doc: Document, previous: str | None, encoding: str) -> Report:
    if previous == doc.result_id:
        return lsp.WorkspaceUnchangedDocumentDiagnosticReport(
            uri=doc.uri, version=doc.version, result_id=doc.result_id)
    items = await off_loop(lambda _: full_items(doc, encoding))
    return lsp.WorkspaceFullDocumentDiagnosticReport(
        uri=doc.uri, version=doc.version, items=items, result_id=doc.result_id)


def disk_report(path: Path, definition: LanguageDefinition, generation: int,
                max_bytes: int, encoding: str, imports: ModuleResolver | None = None
                ) -> Report | None:
    """Read and analyse one unopened file (worker thread); None when it cannot be read."""
    source = read_source(path, max_bytes)
    if source is None:
        return None
    text, stamp = source
    doc = open_document(path.as_uri(), 0, text, definition, imports)
    return lsp.WorkspaceFullDocumentDiagnosticReport(
        uri=doc.uri, version=None, items=full_items(doc, encoding),
        result_id=disk_result_id(generation, stamp))


def survey(indexer: WorkspaceIndexer, open_paths: set[Path | None], cancelled: Cancelled
           ) -> list[tuple[Path, LanguageDefinition, tuple[int, int]]]:
    """The indexed files that are not open, with their language and current stamp
    (worker thread: a stat per file); files deleted since they were indexed are left
    out (the index hears of it from the watcher)."""
    found = []
    for n, path in enumerate(indexer.index.paths()[:indexer.index.max_files]):
        if n % STAT_BATCH == 0:
            check(cancelled)
        definition = indexer.language_of(path) if path not in open_paths else None
        stamp = file_stamp(path) if definition is not None else None
        if definition is not None and stamp is not None:
            found.append((path, definition, stamp))
    return found


async def workspace_report(indexer: WorkspaceIndexer, documents: dict[str, Document],
                           previous: dict[str, str], generation: int, encoding: str,
                           ) -> lsp.WorkspaceDiagnosticReport:
    reports: list[Any] = []
    for doc in documents.values():
        reports.append(await open_report(doc, previous.get(doc.uri), encoding))
    open_paths = {path_of(uri) for uri in documents}
    files = await off_loop(lambda cancelled: survey(indexer, open_paths, cancelled))
    max_bytes = indexer.index.max_file_bytes
    for path, definition, stamp in files:
        uri = path.as_uri()
        result_id = disk_result_id(generation, stamp)
        if previous.get(uri) == result_id:
            reports.append(lsp.WorkspaceUnchangedDocumentDiagnosticReport(
                uri=uri, version=None, result_id=result_id))
            continue
        report = await off_loop(_one_file(path, definition, generation, max_bytes, encoding,
                                          indexer.server.session.imports))
        if report is not None:
            reports.append(report)
    return lsp.WorkspaceDiagnosticReport(items=reports)


def _one_file(path: Path, definition: LanguageDefinition, generation: int, max_bytes: int,
              encoding: str, imports: ModuleResolver) -> Callable[[Cancelled], Report | None]:
    return lambda _: disk_report(path, definition, generation, max_bytes, encoding, imports)
