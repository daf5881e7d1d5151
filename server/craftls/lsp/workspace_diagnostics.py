"""``workspace/diagnostic``: the diagnostics of every file of the workspace, open or not,
scheduled and converted here; the files and their analyses come from the analysis host
(``features/host.py``).

Open documents are reported as edited (their snapshot's analysis). The other files are
those the workspace index knows: each is read from disk and analysed on a worker thread,
one file per turn, so a ``$/cancelRequest`` stops the work at the next file. A file is
re-analysed only when its result id differs from the one the client sent in
``previousResultIds``; otherwise it gets an ``unchanged`` report:

- an open document's result id names its snapshot (``Document.result_id``);
- a file on disk's names its (mtime, size) and the server's definition generation
  (``host.disk_result_id``), so a file whose language changed is analysed again.

Bounded: at most the index's files (``WorkspaceIndex.max_files``) each no larger than
``max_file_bytes``; only one file's tree is alive at a time.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from ..features.documents import Document
from ..features.host import AnalysisHost, UnopenedFile, disk_result_id
from . import to_proto
from .indexing import off_loop

Report = lsp.WorkspaceFullDocumentDiagnosticReport | lsp.WorkspaceUnchangedDocumentDiagnosticReport


def full_items(doc: Document, encoding: str) -> list[lsp.Diagnostic]:
    """The snapshot's diagnostics in LSP form (computes its analysis: a worker's job)."""
    return [to_proto.diagnostic(d, doc.line_index, encoding, doc.uri)
            for d in doc.analysis().diagnostics]


async def open_report(doc: Document, previous: str | None, encoding: str) -> Report:
    if previous == doc.result_id:
        return lsp.WorkspaceUnchangedDocumentDiagnosticReport(
            uri=doc.uri, version=doc.version, result_id=doc.result_id)
    items = await off_loop(lambda _: full_items(doc, encoding))
    return lsp.WorkspaceFullDocumentDiagnosticReport(
        uri=doc.uri, version=doc.version, items=items, result_id=doc.result_id)


def disk_report(host: AnalysisHost, file: UnopenedFile, generation: int, encoding: str
                ) -> Report | None:
    """One unopened file's report (worker thread); None when it cannot be read."""
    found = host.file_diagnostics(file)
    if found is None:
        return None
    return lsp.WorkspaceFullDocumentDiagnosticReport(
        uri=found.uri, version=None, result_id=disk_result_id(generation, found.stamp),
        items=[to_proto.diagnostic(d, found.lines, encoding, found.uri)
               for d in found.diagnostics])


async def workspace_report(host: AnalysisHost, previous: dict[str, str], generation: int,
                           encoding: str) -> lsp.WorkspaceDiagnosticReport:
    documents = dict(host.documents)
    reports: list[Any] = []
    for doc in documents.values():
        reports.append(await open_report(doc, previous.get(doc.uri), encoding))
    files = await off_loop(lambda cancelled: host.unopened_files(documents, cancelled))
    for file in files:
        result_id = disk_result_id(generation, file.stamp)
        if previous.get(file.uri) == result_id:
            reports.append(lsp.WorkspaceUnchangedDocumentDiagnosticReport(
                uri=file.uri, version=None, result_id=result_id))
            continue
        report = await off_loop(_one_file(host, file, generation, encoding))
        if report is not None:
            reports.append(report)
    return lsp.WorkspaceDiagnosticReport(items=reports)


def _one_file(host: AnalysisHost, file: UnopenedFile, generation: int, encoding: str
              ) -> Any:
    return lambda _: disk_report(host, file, generation, encoding)
