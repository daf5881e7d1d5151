"""The pygls server: the protocol class, the server's state and ``create_server``.

The handlers live in ``lsp/handlers/`` (one module per area); each finds its snapshot
and position with ``routes.document_at``, calls the core (a ``features`` function or
the analysis host) and converts the answer with ``to_proto``. Every handler is
isolated: an exception becomes an error response plus a log line (pygls answers it),
counted in the error statistics, and the next request is served as usual.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Collection
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from .. import __version__
from ..features import semantic_tokens
from ..features.documents import Document
from ..ops.idle_gc import IdleCollector
from ..ops.settings import unknown_languages
from . import codegen, from_proto, routes
from .document_queue import DocumentQueue
from .file_poll import FilePoller
from .indexing import WorkspaceIndexer, off_loop
from .operations import Operations
from .refusals import RequestFailed
from .session import Session

log = logging.getLogger("craftls")


class CraftProtocol(LanguageServerProtocol):
    """pygls drops a request whose params do not match the method's type without any
    response (the client then waits forever); answer it with InvalidParams instead."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if "id" in data and "method" in data:
                error = JsonRpcInvalidParams(f"invalid params for {data['method']}")
                self._send_response(data["id"], error=error.to_response_error())
            return SimpleNamespace(jsonrpc="dropped")  # handle_message ignores it

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        """A refusal (``RequestFailed``) is answered like any JSON-RPC error, without the
        traceback pygls logs for an exception: it is the user's mistake, not ours."""
        if not future.cancelled() and isinstance(future.exception(), RequestFailed):
            self._request_futures.pop(msg_id, None)
            self._send_response(msg_id, error=future.exception().to_response_error())
            return
        super()._send_handler_result(future, msg_id=msg_id)

    # The server keeps its own documents (features/documents.py, with an incremental
    # line index); pygls' own copy would rebuild the whole text on every change and
    # re-split its lines on every lookup (~6 ms per edit at 50,000 lines), on the event
    # loop, for nothing. These replace pygls' built-in handlers, minus that copy.
    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> Any:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Any:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> Any:
        yield from self._user_handler(lsp.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any) -> Any:
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None


class CraftLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("craftls", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=CraftProtocol)
        self.session = Session()
        self.debounce_seconds = 0.15
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.queue = DocumentQueue()  # didOpen/didChange/didClose in order, per document
        # bumped when a definition or craft.toml is reloaded: names the diagnostics of
        # files that are not open (workspace/diagnostic result ids)
        self.definitions_generation = 0
        self.poller: FilePoller | None = None
        self.poll_task: asyncio.Future[None] | None = None
        self.legend = semantic_tokens.LEGEND
        self.initialized = False
        self.published_versions: dict[str, int | None] = {}
        self.inlay_types = True
        self.client_pid: int | None = None
        self.idle_gc = IdleCollector(busy=lambda: bool(self.pending))
        self.ops = Operations(cache_stats=self.cache_stats, gc_stats=self.idle_gc.stats,
                              definitions=self.session.definitions_in_use)
        self.idle_gc_task: asyncio.Future[None] | None = None
        self.indexer = WorkspaceIndexer(self)  # builds the session's workspace index
        # semantic tokens: the last result sent per open document (uri -> (id, data)),
        # what a delta request is computed against; dropped at didClose
        self.token_history: dict[str, tuple[str, list[int]]] = {}
        self._token_ids = itertools.count(1)

    def cache_stats(self) -> dict[str, Any]:
        return {"documents": {"size": len(self.session.documents), "pending": len(self.queue)},
                **self.session.host.caches.stats()}

    def apply_settings(self, raw: Any) -> None:
        for problem in self.ops.update_settings(raw):
            log.warning("setting rejected: %s", problem)
            if self.initialized:
                self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning,
                                                             f"craftls: {problem}"))
        settings = self.ops.settings
        self.debounce_seconds = settings.diagnostics_debounce_ms / 1000
        self.inlay_types = settings.inlay_hints_types
        self.session.host.caches.configure(settings.ast_cache_size,
                                           settings.type_cache_size,
                                           settings.type_inference_cache_ttl)
        self.apply_globals()
        self.apply_modes()

    def warn_setting(self, problem: str) -> None:
        """A setting's problem: logged, and shown to the user (once initialized)."""
        log.warning("%s", problem)
        if self.initialized:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning,
                                                         f"craftls: {problem}"))
        elif problem not in self.session.config_errors:  # shown once initialized
            self.session.config_errors.append(problem)

    def apply_modes(self) -> None:
        """The ``modes`` and ``defines`` settings: open documents whose language's mode
        or build defines changed are parsed again (``refresh_open_documents``)."""
        old = (dict(self.session.modes), dict(self.session.defines))
        for problem in self.session.set_modes(dict(self.ops.settings.modes)):
            self.warn_setting(problem)
        for problem in self.session.set_defines(dict(self.ops.settings.defines)):
            self.warn_setting(problem)
        if (self.session.modes, self.session.defines) != old:
            self.definitions_generation += 1
            if self.initialized:  # before, no document is open and no request may be sent
                from .handlers.documents import refresh_open_documents  # they import this
                refresh_open_documents(self)

    def apply_globals(self) -> None:
        """The ``globals`` setting, the client's with each root's craft.toml's added, into
        the analysis; the open documents are analysed again when it changed."""
        table = {language: set(names) for language, names in self.ops.settings.globals.items()}
        for language, names in self.session.workspace_globals.items():
            table.setdefault(language, set()).update(names)
        known = {d.id for d in self.session.all_definitions()}
        problems = self.session.globals_problems + unknown_languages(table, known)
        table = {language: names for language, names in table.items() if language in known}
        for problem in problems:
            self.warn_setting(problem)
        changed = self.session.host.caches.set_globals(table)
        if changed:
            # unopened files' workspace/diagnostic reports change too
            self.definitions_generation += 1
            self.reanalyse_documents(changed)

    def reanalyse_documents(self, languages: Collection[str] | None = None,
                            keep: str | None = None) -> None:
        """Forget the analysis of every open document but ``keep``, or of those in
        ``languages`` (its inputs changed: imports that resolve now, the ``globals``
        setting) and publish its diagnostics again (or ask pull clients to pull)."""
        self.reanalyse([uri for uri, doc in list(self.session.documents.items())
                        if uri != keep and (languages is None
                                            or doc.definition.id in languages)])

    def reanalyse_dependants(self, paths: Collection[Path], keep: str | None = None) -> None:
        """Analyse again the open documents but ``keep`` whose last analysis read one of
        ``paths`` (``FileAnalysis.inputs``: an imported module, an included file, the
        includer of an included file and what it includes), edited or changed on disk."""
        changed = set(paths)
        stale = [uri for uri, doc in list(self.session.documents.items())
                 if uri != keep and _reads(doc, changed)]
        if stale:
            self.reanalyse(stale, immediate=False)  # edits come in runs: debounced

    def reanalyse(self, stale: list[str], immediate: bool = True) -> None:
        """Forget the analysis of the open documents ``stale`` and publish their
        diagnostics again (or ask pull clients to pull)."""
        session = self.session
        for uri in stale:
            doc = session.documents[uri]
            session.documents[uri] = Document(doc.uri, doc.version, doc.parsed, doc.line_index,
                                              imports=doc.imports, caches=doc.caches)
        if not self.initialized:
            return  # a server without a client (made by a test): nothing to publish to
        from .handlers.diagnostics import schedule_diagnostics  # the handlers import this
        for uri in stale:
            schedule_diagnostics(self, uri, immediate=immediate)
        if self.client_supports("workspace.diagnostics.refresh_support"):
            self.workspace_diagnostic_refresh(None)
        if self.client_supports("workspace.semantic_tokens.refresh_support"):
            self.workspace_semantic_tokens_refresh(None)

    # ------------------------------------------------------------ helpers

    @property
    def encoding(self) -> str:
        try:
            return from_proto.encoding_name(self.workspace.position_encoding)
        except Exception:  # before initialize there is no workspace
            return "utf-16"

    def document(self, uri: str) -> Document | None:
        return self.session.documents.get(uri)

    def client_capability(self, path: str) -> Any:
        """The value the client declared at a dotted capability path, or None."""
        node: Any = self.client_capabilities
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                return None
        return node

    def client_supports(self, path: str) -> bool:
        return bool(self.client_capability(path))

    def pull_diagnostics(self) -> bool:
        """The client pulls diagnostics (``textDocument/diagnostic``): none are pushed."""
        return self.client_supports("text_document.diagnostic")

    def versioned_edits(self) -> bool:
        """The client takes ``documentChanges`` (edits tied to a document version)."""
        return self.client_supports("workspace.workspace_edit.document_changes")

    def remember_tokens(self, uri: str, data: list[int]) -> str:
        """Keep a document's semantic tokens as sent; their result id."""
        result_id = str(next(self._token_ids))
        self.token_history[uri] = (result_id, data)
        return result_id


def _reads(doc: Document, paths: set[Path]) -> bool:
    """Did the document's last finished analysis read one of ``paths``?"""
    last = doc.last_analysis()
    return last is not None and not last.analysis.inputs.isdisjoint(paths)


def create_server() -> CraftLanguageServer:
    """A new server with every handler registered (``craftls serve`` makes one; tests
    make as many as they like)."""
    # the handler modules declare their routes when first imported
    from .handlers import (  # noqa: F401
        diagnostics,
        documents,
        editing,
        navigation,
        operations,
        packages,
        tokens,
        workspace,
    )

    server = CraftLanguageServer()
    routes.install(server, routes.ROUTES)
    codegen.register(server, routes.handler_for(server), off_loop)  # Run / Show C
    return server
