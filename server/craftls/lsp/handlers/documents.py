"""The document store's notifications: didOpen, didChange, didClose, didSave, and the
re-parse of open documents whose definition was reloaded. They apply in the order they
were sent (``server.queue``); parsing a whole text runs off the event loop."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ...features.documents import Change, change_document, open_document, path_of, reparse_with
from .. import from_proto, to_proto
from ..indexing import off_loop
from ..routes import notification
from ..session import Binding
from .diagnostics import clear, schedule_diagnostics

if TYPE_CHECKING:
    from ..server import CraftLanguageServer


@notification(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(server: CraftLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    """Parsed on a worker thread (a big file takes a second): the loop goes on serving
    requests; changes and requests for this document wait for it (``server.queue``)."""
    item = params.text_document
    if server.session.definition_for(item.uri) is None:
        return
    server.idle_gc.touch()
    server.queue.enqueue(item.uri, functools.partial(_open, server, item))


async def _open(server: CraftLanguageServer, item: lsp.TextDocumentItem) -> None:
    definition = server.session.definition_for(item.uri)
    if definition is None:
        return
    doc = await off_loop(lambda _: open_document(item.uri, item.version, item.text,
                                                 definition, server.session.imports,
                                                 server.session.host.caches))
    server.session.documents[item.uri] = doc
    await reparse(server, item.uri)  # a definition reloaded during the parse
    schedule_diagnostics(server, item.uri, immediate=True)
    edited(server, item.uri, doc.text)


@notification(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(server: CraftLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    """An edit is applied at once (an incremental re-parse is quick); a whole new text
    is parsed off the loop, and every change waits for the document's earlier steps."""
    uri, version = params.text_document.uri, params.text_document.version
    changes = from_proto.content_changes(params)
    whole = any(rng is None for rng, _ in changes)
    server.idle_gc.touch()
    if whole or server.queue.busy(uri):
        server.queue.enqueue(uri, functools.partial(_change, server, uri, version, changes,
                                                    whole))
        return
    doc = server.document(uri)
    if doc is not None:
        server.session.documents[uri], _ = change_document(doc, version, changes,
                                                           server.encoding)
        schedule_diagnostics(server, uri)
        edited(server, uri, server.session.documents[uri].text)


async def _change(server: CraftLanguageServer, uri: str, version: int, changes: list[Change],
                  whole: bool) -> None:
    doc, encoding = server.document(uri), server.encoding
    if doc is None:
        return
    if whole:
        new_doc, _ = await off_loop(lambda _: change_document(doc, version, changes, encoding))
    else:
        new_doc, _ = change_document(doc, version, changes, encoding)
    server.session.documents[uri] = new_doc
    schedule_diagnostics(server, uri)
    edited(server, uri, new_doc.text)


@notification(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(server: CraftLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if server.queue.busy(uri):
        server.queue.enqueue(uri, functools.partial(_close_later, server, uri))
    else:
        _close(server, uri)


async def _close_later(server: CraftLanguageServer, uri: str) -> None:
    _close(server, uri)


def _close(server: CraftLanguageServer, uri: str) -> None:
    closed = server.session.documents.pop(uri, None)
    if closed is not None:
        edited(server, uri, None)
    server.indexer.document_closed(uri)
    server.token_history.pop(uri, None)
    clear(server, uri)


def edited(server: CraftLanguageServer, uri: str, text: str | None) -> None:
    """Other files read an open document as the editor has it (None: closed, as the disk
    has it): its importers, the files it includes and those its includer includes
    (``ModuleResolver.set_open_text``) are analysed again."""
    path = path_of(uri)
    if path is None:
        return
    server.session.imports.set_open_text(path, text)
    server.reanalyse_dependants([path], keep=uri)


@notification(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(server: CraftLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
    path = path_of(params.text_document.uri) or Path(params.text_document.uri)
    server.session.imports.invalidate([path])  # clients that do not watch files
    if path.suffix in (".yaml", ".yml"):
        reload_definition(server, path)


def reload_definition(server: CraftLanguageServer, path: Path) -> None:
    """A definition file changed: its bindings reload it (keeping the last good one),
    its problems are published and the documents it serves are parsed again."""
    server.definitions_generation += 1
    for binding in server.session.bindings_for_definition_file(path):
        server.session.reload_binding(binding)
        publish_definition_problems(server, binding)
    if server.poller is not None:
        server.poller.remember(path)  # reloaded now (didSave): not again at the next poll
    refresh_open_documents(server)


def publish_definition_problems(server: CraftLanguageServer, binding: Binding) -> None:
    assert binding.path is not None
    server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=binding.path.resolve().as_uri(),
        diagnostics=[to_proto.definition_problem(p) for p in binding.problems]))


async def reparse(server: CraftLanguageServer, uri: str) -> bool:
    """Parse the document again if its definition changed; True when it did."""
    doc = server.document(uri)
    definition = server.session.definition_for(uri)
    if doc is None or definition is None or definition is doc.definition:
        return False
    server.session.documents[uri] = await off_loop(lambda _: reparse_with(doc, definition))
    return True


async def _reparse_and_publish(server: CraftLanguageServer, uri: str) -> None:
    with server.ops.working("definitions"):  # a reloaded definition: not quiescent yet
        if await reparse(server, uri):
            schedule_diagnostics(server, uri, immediate=True)


def refresh_open_documents(server: CraftLanguageServer) -> None:
    """Documents whose definition changed are parsed again, off the loop and in order
    with their edits; requests for them wait for it."""
    for uri, doc in list(server.session.documents.items()):
        definition = server.session.definition_for(uri)
        if definition is not None and definition is not doc.definition:
            server.queue.enqueue(uri, functools.partial(_reparse_and_publish, server, uri))
    if server.client_supports("workspace.semantic_tokens.refresh_support"):
        server.workspace_semantic_tokens_refresh(None)
    if server.client_supports("workspace.inlay_hint.refresh_support"):
        server.workspace_inlay_hint_refresh(None)
    if server.client_supports("workspace.diagnostics.refresh_support"):
        server.workspace_diagnostic_refresh(None)
