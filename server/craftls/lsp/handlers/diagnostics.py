"""Diagnostics: pushed after each change (debounced, never stale), or pulled per
document and for the whole workspace."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ...features.documents import Document
from ...semantics.diagnostics import Diagnostic
from .. import to_proto, workspace_diagnostics
from ..indexing import off_loop
from ..routes import DOCUMENT_WAIT_SECONDS, request

if TYPE_CHECKING:
    from ..server import CraftLanguageServer

log = logging.getLogger("craftls")
QUEUE_WAIT_SECONDS = 30.0  # bounded: a step slower than this schedules its own run


def schedule_diagnostics(server: CraftLanguageServer, uri: str, immediate: bool = False
                         ) -> None:
    """Debounced: a newer edit cancels the pending run; stale versions never publish."""
    if server.pull_diagnostics():
        return
    previous = server.pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    server.pending[uri] = asyncio.ensure_future(_publish_later(
        server, uri, 0 if immediate else server.debounce_seconds))


async def _publish_later(server: CraftLanguageServer, uri: str, delay: float) -> None:
    try:
        await asyncio.sleep(delay)
        # Steps still queued for the document (a whole new text parsing off the loop)
        # will make this version stale, and each schedules its own run, cancelling this
        # one: publishing now would show the client a version it has already replaced.
        # The step that scheduled this run may itself still be finishing, so wait.
        if not await server.queue.settled(uri, QUEUE_WAIT_SECONDS):
            return  # still parsing: the step that finishes will schedule a run
        doc = server.document(uri)
        if doc is None:
            return
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(None, doc.analysis)
        if server.document(uri) is not doc:
            return  # a newer edit, a re-parse or a close superseded this run
        publish(server, doc, analysis.diagnostics)
        doc.release_retired()  # freeing the snapshot before this one waited for the answer
        await note_open_globals(server, doc)
        server.idle_gc.touch()  # idle is measured from the answer, not from the edit
        if delay == 0:  # a document just opened (or re-parsed): its trees will live long
            server.idle_gc.freeze_survivors()
    except asyncio.CancelledError:
        pass
    except Exception:
        log.exception("diagnostics failed for %s", uri)
    finally:
        if server.pending.get(uri) is asyncio.current_task():
            server.pending.pop(uri, None)


async def note_open_globals(server: CraftLanguageServer, doc: Document) -> None:
    """An edit that changes the globals an open document shares with the workspace
    (``workspace_globals``): the language's other open documents are analysed again, as
    when a file changes on disk."""
    host = server.session.host
    if await asyncio.get_running_loop().run_in_executor(None, host.note_open_globals, doc):
        server.indexer.globals_changed(keep=doc.uri)


def publish(server: CraftLanguageServer, doc: Document, diagnostics: list[Diagnostic]
            ) -> None:
    enc = server.encoding
    server.published_versions[doc.uri] = doc.version
    server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=doc.uri, version=doc.version,
        diagnostics=[to_proto.diagnostic(d, doc.line_index, enc, doc.uri)
                     for d in diagnostics]))


def clear(server: CraftLanguageServer, uri: str) -> None:
    """A closed document: its pending run is dropped and a push client's list emptied."""
    server.published_versions.pop(uri, None)
    task = server.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    if not server.pull_diagnostics():
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=[]))


@request(lsp.TEXT_DOCUMENT_DIAGNOSTIC, lsp.DiagnosticOptions(
    inter_file_dependencies=False, workspace_diagnostics=True, identifier="craftls"))
async def document_diagnostic(server: CraftLanguageServer, params: lsp.DocumentDiagnosticParams
                              ) -> lsp.DocumentDiagnosticReport:
    """Analysed on a worker thread (cancellable); ``unchanged`` when the client already
    has this snapshot's diagnostics."""
    doc = server.document(params.text_document.uri)
    if doc is None:
        return lsp.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id == doc.result_id:
        return lsp.RelatedUnchangedDocumentDiagnosticReport(result_id=doc.result_id)
    encoding = server.encoding
    items = await off_loop(lambda _: workspace_diagnostics.full_items(doc, encoding))
    await note_open_globals(server, doc)
    return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=doc.result_id)


@request(lsp.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(server: CraftLanguageServer,
                               params: lsp.WorkspaceDiagnosticParams
                               ) -> lsp.WorkspaceDiagnosticReport:
    """Open documents as edited, and every indexed file that is not open, from disk."""
    previous = {p.uri: p.value for p in params.previous_result_ids}
    await server.queue.all_settled(DOCUMENT_WAIT_SECONDS)  # documents still opening
    return await workspace_diagnostics.workspace_report(
        server.session.host, previous, server.definitions_generation, server.encoding)
