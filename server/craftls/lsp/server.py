"""The pygls server: converts LSP requests to core calls and back.

Handlers are short: they find the document snapshot, convert positions with
``convert``, call a ``features`` function and convert the result. Every
handler is isolated: an exception becomes an error response plus a log line
(pygls answers it), counted in the error statistics, and the next request is
served as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from .. import __version__
from ..features import completion as completion_feature
from ..features import hover as hover_feature
from ..features import navigation, outline, semantic_tokens
from ..features.formatting import FormatOptions, FormattingDeclined, format_edits
from ..features.navigation import RenameRefused
from ..ops.idle_gc import IdleCollector
from ..ops.shutdown import exit_process
from ..workspace.documents import Document, change_document, open_document, reparse_with
from . import codegen, convert, workspace_diagnostics
from .commands import ACTION_APPLIED, INSTALL_PACKAGES
from .document_queue import DocumentQueue
from .file_poll import FilePoller
from .indexing import WorkspaceIndexer, off_loop
from .operations import Operations
from .refusals import RequestFailed
from .session import Session, uri_to_path

log = logging.getLogger("craftls")
F = TypeVar("F", bound=Callable[..., Any])
# how long a request for a document still being opened (or re-parsed) waits for it
# before it is answered from what there is (a 2 MB file parses in a few seconds)
DOCUMENT_WAIT_SECONDS = 20.0


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

    # The server keeps its own documents (workspace/documents.py, with an incremental
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
        self.ops = Operations()
        self.idle_gc = IdleCollector()
        self.idle_gc_task: asyncio.Future[None] | None = None
        self.ops.gc_stats = self.idle_gc.stats
        self.ops.definitions = self.session.all_definitions
        self.ops.cache_stats = self.cache_stats

    def cache_stats(self) -> dict[str, Any]:
        from ..features.analysis import cache_stats
        return {"documents": {"size": len(self.session.documents), "pending": len(self.queue)},
                **cache_stats()}

    def apply_settings(self, raw: Any) -> None:
        for problem in self.ops.update_settings(raw):
            log.warning("setting rejected: %s", problem)
            if self.initialized:
                self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning,
                                                             f"craftls: {problem}"))
        settings = self.ops.settings
        self.debounce_seconds = settings.diagnostics_debounce_ms / 1000
        self.inlay_types = settings.inlay_hints_types
        from ..features.analysis import configure_caches
        configure_caches(settings.ast_cache_size, settings.type_cache_size,
                         settings.type_inference_cache_ttl)

    # ------------------------------------------------------------ helpers

    @property
    def encoding(self) -> str:
        try:
            return convert.encoding_name(self.workspace.position_encoding)
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



server = CraftLanguageServer()
indexer = WorkspaceIndexer(server)  # the workspace index (lsp/indexing.py)


@contextlib.contextmanager
def _accounted(method: str) -> Iterator[None]:
    """Timing, error statistics and the idle-GC clock around one request. A refusal
    (``RequestFailed``) is timed as an answer and counted apart, never as an error."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        yield
    except RequestFailed as exc:
        server.ops.request_refused(method, exc)
        raise
    except Exception as exc:
        error = exc
        log.exception("handler %s failed", method)
        raise
    finally:
        server.idle_gc.touch()
        server.ops.request_finished(method, time.perf_counter() - started, error)


async def _document_settled(params: Any, analysed: bool = True) -> None:
    """A request about a document that is still being opened or changed off the loop
    waits for it (bounded), so it sees the text the client last sent; then for the
    snapshot's analysis, computed on a worker thread if nothing has computed it yet
    (the first analysis of a 10,000-line file takes a few hundred ms: not on the loop)."""
    uri = getattr(getattr(params, "text_document", None), "uri", None)
    if not isinstance(uri, str):
        return
    if server.queue.busy(uri):
        if not await server.queue.settled(uri, DOCUMENT_WAIT_SECONDS):
            log.warning("%s is still being opened; answering from what there is", uri)
    doc = server.document(uri)
    if analysed and doc is not None and doc.cached_analysis() is None:
        await asyncio.get_running_loop().run_in_executor(None, doc.analysis)


def handler(method: str, options: Any = None, accounted: bool = True,
            analysed: bool = True) -> Callable[[F], F]:
    """Register a feature, once its document has settled, with timing and error
    accounting around its work (not around the wait: the latency is the server's work).
    The registered function is a coroutine (pygls cancels it on ``$/cancelRequest``);
    with nothing to wait for, a plain feature runs in the task's first step, before
    pygls reads the next message (its reader awaits a thread for each), as if it were
    called directly. ``accounted=False`` keeps a feature out of the latency statistics;
    ``analysed=False`` is for a feature that reads only the syntax tree (formatting), which
    then does not wait for the snapshot's analysis."""
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        async def wrapped(params: Any) -> Any:
            await _document_settled(params, analysed)
            with _accounted(method) if accounted else contextlib.nullcontext():
                result = fn(params)
                return await result if asyncio.iscoroutine(result) else result
        server.feature(method, options)(wrapped) if options is not None \
            else server.feature(method)(wrapped)
        return fn
    return decorate


# ------------------------------------------------------------ lifecycle

@server.feature(lsp.INITIALIZE)
def initialize(params: lsp.InitializeParams) -> None:
    roots = [uri_to_path(f.uri) for f in params.workspace_folders or []]
    if not roots and params.root_uri:
        roots = [uri_to_path(params.root_uri)]
    options = params.initialization_options if isinstance(params.initialization_options,
                                                          dict) else {}
    server.session.configure(roots, options.get("languages"))
    experimental = params.capabilities.experimental if params.capabilities else None
    for problem in server.ops.configure(options, experimental):
        server.session.config_errors.append(f"setting rejected: {problem}")
    server.apply_settings({})
    if params.client_info is not None:
        server.ops.audit.set_client(params.client_info.name, params.client_info.version)
    if params.process_id:
        server.client_pid = params.process_id


@server.feature(lsp.INITIALIZED)
async def initialized(params: lsp.InitializedParams) -> None:
    server.initialized = True
    ops = server.ops
    ops.send = lambda method, payload: server.protocol.notify(method, payload)
    ops.log_message = lambda text: server.window_log_message(
        lsp.LogMessageParams(lsp.MessageType.Warning, text))
    ops.show_message = lambda text: server.window_show_message(
        lsp.ShowMessageParams(lsp.MessageType.Error, text))
    if ops.notify_audit:
        ops.audit.add_listener(lambda record: ops.send("craftls/audit", record.to_dict()))
    ops.start()  # its first health report is sent to the clients that asked
    with ops.working("loading"):  # quiescent once definitions, index and packages started
        await _start_services()


async def _start_services() -> None:
    """What ``initialized`` starts after the health checks: settings from the client,
    definition watching, the workspace index and the package service."""
    server.idle_gc_task = asyncio.ensure_future(server.idle_gc.run())
    install_shutdown_triggers()
    await pull_configuration()
    for error in server.session.config_errors:
        server.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, error))
    if not await watch_definitions():
        start_polling()
    for binding in server.session.bindings:
        if binding.path is not None:
            publish_definition_problems(binding)
    indexer.start()  # background index of the workspace, with $/progress
    # last, so the registrations above are not delayed: the registry stack (httpx...)
    # takes a few hundred ms to import, done on a worker thread while requests are served
    packages = await asyncio.to_thread(importlib.import_module, f"{__package__}.packages")
    packages.start(server)  # registry service; background install of missing packages


async def watch_definitions() -> bool:
    """Ask the client to report changes of definitions and craft.toml; False when it
    cannot (no dynamic registration) or refuses."""
    if not server.client_supports("workspace.did_change_watched_files.dynamic_registration"):
        return False
    watchers = [lsp.FileSystemWatcher(glob_pattern="**/*.{yaml,yml}"),
                lsp.FileSystemWatcher(glob_pattern="**/craft.toml")]
    try:
        await server.client_register_capability_async(lsp.RegistrationParams(registrations=[
            lsp.Registration(id="craftls-definitions",
                             method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                             register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                 watchers=watchers))]))
    except Exception:
        log.warning("client refused file watching; the server polls the definitions")
        return False
    return True


def files_in_use() -> list[Path]:
    """What a definition reload depends on: the definition files of the bindings and
    each root's craft.toml (present or not: creating it matters too)."""
    definitions = [b.path for b in server.session.bindings if b.path is not None]
    return definitions + [root / "craft.toml" for root in server.session.roots]


def start_polling() -> None:
    """Without a watching client, the server notices edits made outside the editor."""
    server.poller = FilePoller(files_in_use, apply_file_events)
    server.poll_task = asyncio.ensure_future(server.poller.run())


# ------------------------------------------------------------ documents & diagnostics

@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
    """Parsed on a worker thread (a big file takes a second): the loop goes on serving
    requests; changes and requests for this document wait for it (``server.queue``)."""
    item = params.text_document
    if server.session.definition_for(item.uri) is None:
        return
    server.idle_gc.touch()
    server.queue.enqueue(item.uri, functools.partial(_open, item))


async def _open(item: lsp.TextDocumentItem) -> None:
    definition = server.session.definition_for(item.uri)
    if definition is None:
        return
    doc = await off_loop(lambda _: open_document(item.uri, item.version, item.text,
                                                 definition, server.session.imports))
    server.session.documents[item.uri] = doc
    await _reparse(item.uri)  # a definition reloaded during the parse
    schedule_diagnostics(item.uri, immediate=True)


Changes = list[tuple[tuple[int, int, int, int] | None, str]]


def _content_changes(params: lsp.DidChangeTextDocumentParams) -> Changes:
    changes: Changes = []
    for change in params.content_changes:
        if isinstance(change, lsp.TextDocumentContentChangePartial):
            r = change.range
            changes.append(((r.start.line, r.start.character, r.end.line, r.end.character),
                            change.text))
        else:
            changes.append((None, change.text))
    return changes


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
    """An edit is applied at once (an incremental re-parse is quick); a whole new text
    is parsed off the loop, and every change waits for the document's earlier steps."""
    uri, version = params.text_document.uri, params.text_document.version
    changes = _content_changes(params)
    whole = any(rng is None for rng, _ in changes)
    server.idle_gc.touch()
    if whole or server.queue.busy(uri):
        server.queue.enqueue(uri, functools.partial(_change, uri, version, changes, whole))
        return
    doc = server.document(uri)
    if doc is not None:
        server.session.documents[uri], _ = change_document(doc, version, changes,
                                                           server.encoding)
        schedule_diagnostics(uri)


async def _change(uri: str, version: int, changes: Changes, whole: bool) -> None:
    doc, encoding = server.document(uri), server.encoding
    if doc is None:
        return
    if whole:
        new_doc, _ = await off_loop(lambda _: change_document(doc, version, changes, encoding))
    else:
        new_doc, _ = change_document(doc, version, changes, encoding)
    server.session.documents[uri] = new_doc
    schedule_diagnostics(uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if server.queue.busy(uri):
        server.queue.enqueue(uri, functools.partial(_close_later, uri))
    else:
        _close(uri)


async def _close_later(uri: str) -> None:
    _close(uri)


def _close(uri: str) -> None:
    server.session.documents.pop(uri, None)
    server.published_versions.pop(uri, None)
    indexer.document_closed(uri)
    _last_tokens.pop(uri, None)
    task = server.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    if not pull_diagnostics_client():
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri,
                                                                               diagnostics=[]))


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
    path = uri_to_path(params.text_document.uri)
    server.session.imports.invalidate([path])  # clients that do not watch files
    if path.suffix in (".yaml", ".yml"):
        reload_definition(path)


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
    apply_file_events(params.changes)


def apply_file_events(events: Sequence[lsp.FileEvent]) -> None:
    """Reported by a watching client, or found by the server's own polling."""
    server.session.imports.invalidate(uri_to_path(event.uri) for event in events)
    for event in events:
        path = uri_to_path(event.uri)
        if path.name == "craft.toml":
            server.definitions_generation += 1
            server.session.configure(server.session.roots, None)
            refresh_open_documents()
            from . import packages
            packages.workspace_changed(server)
        elif path.suffix in (".yaml", ".yml"):
            reload_definition(path)
    indexer.files_changed(events)


def pull_diagnostics_client() -> bool:
    return server.client_supports("text_document.diagnostic")


def schedule_diagnostics(uri: str, immediate: bool = False) -> None:
    """Debounced: a newer edit cancels the pending run; stale versions never publish."""
    if pull_diagnostics_client():
        return
    previous = server.pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    server.pending[uri] = asyncio.ensure_future(_publish_later(uri, 0 if immediate
                                                                else server.debounce_seconds))


async def _publish_later(uri: str, delay: float) -> None:
    try:
        await asyncio.sleep(delay)
        doc = server.document(uri)
        if doc is None:
            return
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(None, doc.analysis)
        if server.document(uri) is not doc:
            return  # a newer edit, a re-parse or a close superseded this run
        publish(doc, analysis.diagnostics)
        if delay == 0:  # a document just opened (or re-parsed): its trees will live long
            server.idle_gc.freeze_survivors()
    except asyncio.CancelledError:
        pass
    except Exception:
        log.exception("diagnostics failed for %s", uri)
    finally:
        if server.pending.get(uri) is asyncio.current_task():
            server.pending.pop(uri, None)


def publish(doc: Document, diagnostics: list) -> None:
    enc = server.encoding
    server.published_versions[doc.uri] = doc.version
    server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=doc.uri, version=doc.version,
        diagnostics=[convert.diagnostic(d, doc.line_index, enc, doc.uri) for d in diagnostics]))


@handler(lsp.TEXT_DOCUMENT_DIAGNOSTIC, lsp.DiagnosticOptions(
    inter_file_dependencies=False, workspace_diagnostics=True, identifier="craftls"))
async def document_diagnostic(params: lsp.DocumentDiagnosticParams
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
    return lsp.RelatedFullDocumentDiagnosticReport(items=items, result_id=doc.result_id)


@handler(lsp.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(params: lsp.WorkspaceDiagnosticParams
                               ) -> lsp.WorkspaceDiagnosticReport:
    """Open documents as edited, and every indexed file that is not open, from disk."""
    previous = {p.uri: p.value for p in params.previous_result_ids}
    await server.queue.all_settled(DOCUMENT_WAIT_SECONDS)  # documents still opening
    return await workspace_diagnostics.workspace_report(
        server.session.host, previous, server.definitions_generation, server.encoding)


def reload_definition(path: Path) -> None:
    server.definitions_generation += 1
    for binding in server.session.bindings_for_definition_file(path):
        server.session.reload_binding(binding)
        publish_definition_problems(binding)
    if server.poller is not None:
        server.poller.remember(path)  # reloaded now (didSave): not again at the next poll
    refresh_open_documents()


def publish_definition_problems(binding: Any) -> None:
    uri = binding.path.resolve().as_uri()
    diagnostics = [lsp.Diagnostic(
        range=lsp.Range(start=lsp.Position(line=p.line - 1, character=max(p.column - 1, 0)),
                        end=lsp.Position(line=p.line - 1, character=max(p.column - 1, 0) + 1)),
        message=p.message, severity=convert.SEVERITY[p.severity], source="craftls",
        code="definition") for p in binding.problems]
    server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri,
                                                                          diagnostics=diagnostics))


def refresh_open_documents() -> None:
    """Documents whose definition changed are parsed again, off the loop and in order
    with their edits; requests for them wait for it."""
    for uri, doc in list(server.session.documents.items()):
        definition = server.session.definition_for(uri)
        if definition is not None and definition is not doc.definition:
            server.queue.enqueue(uri, functools.partial(_reparse_and_publish, uri))
    if server.client_supports("workspace.semantic_tokens.refresh_support"):
        server.workspace_semantic_tokens_refresh(None)
    if server.client_supports("workspace.inlay_hint.refresh_support"):
        server.workspace_inlay_hint_refresh(None)
    if server.client_supports("workspace.diagnostics.refresh_support"):
        server.workspace_diagnostic_refresh(None)


# ------------------------------------------------------------ language features

async def _reparse(uri: str) -> bool:
    """Parse the document again if its definition changed; True when it did."""
    doc = server.document(uri)
    definition = server.session.definition_for(uri)
    if doc is None or definition is None or definition is doc.definition:
        return False
    server.session.documents[uri] = await off_loop(lambda _: reparse_with(doc, definition))
    return True


async def _reparse_and_publish(uri: str) -> None:
    with server.ops.working("definitions"):  # a reloaded definition: not quiescent yet
        if await _reparse(uri):
            schedule_diagnostics(uri, immediate=True)


def _doc_offset(params: Any) -> tuple[Document, int] | None:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return None
    return doc, convert.offset(doc.line_index, params.position, server.encoding)


@handler(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["."],
                                                            resolve_provider=True))
def completion(params: lsp.CompletionParams) -> lsp.CompletionList | None:
    found = _doc_offset(params)
    if found is None:
        return None
    doc, off = found
    snippets = server.client_supports(
        "text_document.completion.completion_item.snippet_support")
    candidates, incomplete = completion_feature.complete(doc.analysis(), off, snippets)
    items = []
    for c in candidates:
        # the documentation travels in ``data`` for completionItem/resolve, and only
        # when there is some: a 100-item list is built and serialised on every keystroke
        item = lsp.CompletionItem(label=c.label, kind=convert.COMPLETION_KIND.get(c.kind),
                                  detail=c.detail, sort_text=f"{c.sort_group}{c.label.lower()}",
                                  data={"doc": c.documentation} if c.documentation else None)
        if c.snippet:
            item.insert_text = c.snippet
            item.insert_text_format = lsp.InsertTextFormat.Snippet
            item.kind = lsp.CompletionItemKind.Snippet
        items.append(item)
    return lsp.CompletionList(is_incomplete=incomplete, items=items)


@handler(lsp.COMPLETION_ITEM_RESOLVE)
def completion_resolve(item: lsp.CompletionItem) -> lsp.CompletionItem:
    data = item.data if isinstance(item.data, dict) else {}
    if data.get("doc"):
        formats = server.client_capability(
            "text_document.completion.completion_item.documentation_format")
        # Markdown only for a client that says it renders it; plain text otherwise
        item.documentation = (lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=data["doc"])
                              if formats and lsp.MarkupKind.Markdown in formats
                              else data["doc"])
    return item


@handler(lsp.TEXT_DOCUMENT_HOVER)
def hover(params: lsp.HoverParams) -> lsp.Hover | None:
    found = _doc_offset(params)
    if found is None:
        return None
    doc, off = found
    info = hover_feature.hover(doc.analysis(), off)
    if info is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=info.markdown),
                     range=convert.to_range(doc.line_index, info.start, info.end, server.encoding))


@handler(lsp.TEXT_DOCUMENT_SIGNATURE_HELP, lsp.SignatureHelpOptions(trigger_characters=["(", ","]))
def signature_help(params: lsp.SignatureHelpParams) -> lsp.SignatureHelp | None:
    found = _doc_offset(params)
    if found is None:
        return None
    doc, off = found
    info = hover_feature.signature_help(doc.analysis(), off)
    if info is None:
        return None
    sig = lsp.SignatureInformation(
        label=info.label, documentation=info.documentation or None,
        parameters=[lsp.ParameterInformation(label=p) for p in info.parameters])
    return lsp.SignatureHelp(signatures=[sig], active_signature=0,
                             active_parameter=info.active_parameter)


@handler(lsp.TEXT_DOCUMENT_DEFINITION)
async def definition(params: lsp.DefinitionParams) -> lsp.Location | None:
    found = _doc_offset(params)
    if found is None:
        return None
    doc, off = found
    encoding = server.encoding
    # another file may be read and parsed: on a worker thread (cancellable), not the loop
    target = await off_loop(lambda _: server.session.host.definition(doc.uri, off))
    return convert.location(target, encoding) if target is not None else None


@handler(lsp.TEXT_DOCUMENT_DECLARATION)
async def declaration(params: lsp.DeclarationParams) -> lsp.Location | None:
    return await definition(params)  # type: ignore[arg-type]


@handler(lsp.TEXT_DOCUMENT_REFERENCES)
def references(params: lsp.ReferenceParams) -> list[lsp.Location]:
    found = _doc_offset(params)
    if found is None:
        return []
    doc, off = found
    encoding = server.encoding
    return [convert.location(f, encoding) for f in server.session.host.references(
        doc.uri, off, params.context.include_declaration)]


@handler(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
def document_highlight(params: lsp.DocumentHighlightParams) -> list[lsp.DocumentHighlight]:
    found = _doc_offset(params)
    if found is None:
        return []
    doc, off = found
    return [lsp.DocumentHighlight(
        range=convert.to_range(doc.line_index, s.start, s.end, server.encoding),
        kind=lsp.DocumentHighlightKind.Write if s.is_write else lsp.DocumentHighlightKind.Read)
        for s in navigation.highlights(doc.analysis(), off)]


@handler(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return []
    enc = server.encoding

    def convert_item(item: outline.OutlineItem) -> lsp.DocumentSymbol:
        return lsp.DocumentSymbol(
            name=item.name, detail=item.detail,
            kind=convert.SYMBOL_KIND.get(item.kind, lsp.SymbolKind.Variable),
            range=convert.to_range(doc.line_index, item.start, item.end, enc),
            selection_range=convert.to_range(doc.line_index, item.name_start, item.name_end, enc),
            children=[convert_item(c) for c in item.children])
    return [convert_item(i) for i in outline.document_symbols(doc.analysis())]


@handler(lsp.WORKSPACE_SYMBOL)
async def workspace_symbol(params: lsp.WorkspaceSymbolParams) -> list[lsp.SymbolInformation]:
    """From the workspace index: every indexed file, open documents as edited."""
    encoding = server.encoding
    hits = await off_loop(lambda cancelled: server.session.host.workspace_symbols(
        params.query, encoding, cancelled))
    return [convert.symbol_information(h) for h in hits]


@handler(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_range(params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange]:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return []
    out = []
    for fold in outline.folding_ranges(doc.analysis()):
        start_line = doc.line_index.line_of(fold.start)
        end_line = doc.line_index.line_of(fold.end)
        if end_line > start_line:
            out.append(lsp.FoldingRange(
                start_line=start_line, end_line=end_line,
                kind=lsp.FoldingRangeKind.Comment if fold.kind == "comment"
                else lsp.FoldingRangeKind.Region))
    return out


@handler(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
def selection_range(params: lsp.SelectionRangeParams) -> list[lsp.SelectionRange]:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return []
    enc = server.encoding
    result = []
    for pos in params.positions:
        off = convert.offset(doc.line_index, pos, enc)
        parent: lsp.SelectionRange | None = None
        for start, end in reversed(outline.selection_ranges(doc.analysis(), off)):
            parent = lsp.SelectionRange(range=convert.to_range(doc.line_index, start, end, enc),
                                        parent=parent)
        if parent is not None:
            result.append(parent)
    return result


@handler(lsp.TEXT_DOCUMENT_INLAY_HINT)
def inlay_hint(params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return []
    enc = server.encoding
    start, end = convert.range_offsets(doc.line_index, params.range, enc)
    return [lsp.InlayHint(position=convert.position(doc.line_index, h.offset, enc),
                          label=h.label,
                          kind=lsp.InlayHintKind.Parameter if h.kind == "parameter"
                          else lsp.InlayHintKind.Type,
                          padding_right=h.kind == "parameter")
            for h in outline.inlay_hints(doc.analysis(), start, end, server.inlay_types)]


def _encode_tokens(doc: Document, tokens: list[semantic_tokens.ClassifiedToken]) -> list[int]:
    data: list[int] = []
    prev_line = prev_col = 0
    enc = server.encoding
    types_index = {t: i for i, t in enumerate(server.legend.types)}
    mod_index = {m: i for i, m in enumerate(server.legend.modifiers)}
    for token in tokens:
        line, col = doc.line_index.position(token.start, enc)
        end_line, end_col = doc.line_index.position(token.start + token.length, enc)
        if end_line != line:  # multi-line tokens are not portable; mark the first line only
            end_col = col + len(doc.line_index.line_text(line)) - col
        length = end_col - col
        if length <= 0:
            continue
        bits = 0
        for m in token.modifiers:
            if m in mod_index:
                bits |= 1 << mod_index[m]
        data.extend([line - prev_line, col - prev_col if line == prev_line else col, length,
                     types_index.get(token.type, 0), bits])
        prev_line, prev_col = line, col
    return data


# semantic tokens stay out of the latency statistics (and so of the health levels), as
# they have always been; they only gained the wait for a document that is opening
@handler(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, lsp.SemanticTokensRegistrationOptions(
    legend=lsp.SemanticTokensLegend(token_types=semantic_tokens.LEGEND.types,
                                    token_modifiers=semantic_tokens.LEGEND.modifiers),
    full=lsp.SemanticTokensFullDelta(delta=True), range=True), accounted=False)
def semantic_tokens_full(params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return lsp.SemanticTokens(data=[])
    data = _encode_tokens(doc, semantic_tokens.classify(doc.analysis()))
    result_id = _remember_tokens(doc.uri, data)
    return lsp.SemanticTokens(data=data, result_id=result_id)


_last_tokens: dict[str, tuple[str, list[int]]] = {}  # uri -> (result id, data); one per doc
_token_ids = iter(range(1, 1 << 62))


def _remember_tokens(uri: str, data: list[int]) -> str:
    result_id = str(next(_token_ids))
    _last_tokens[uri] = (result_id, data)
    return result_id


@handler(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, accounted=False)
def semantic_tokens_delta(params: lsp.SemanticTokensDeltaParams
                          ) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return lsp.SemanticTokens(data=[])
    data = _encode_tokens(doc, semantic_tokens.classify(doc.analysis()))
    previous = _last_tokens.get(doc.uri)
    result_id = _remember_tokens(doc.uri, data)
    if previous is None or previous[0] != params.previous_result_id:
        return lsp.SemanticTokens(data=data, result_id=result_id)
    old = previous[1]
    start = 0  # one edit covering what changed between the common prefix and suffix
    while start < len(old) and start < len(data) and old[start] == data[start]:
        start += 1
    end_old, end_new = len(old), len(data)
    while end_old > start and end_new > start and old[end_old - 1] == data[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    edits = [] if (start == end_old and start == end_new) else [lsp.SemanticTokensEdit(
        start=start, delete_count=end_old - start, data=data[start:end_new])]
    return lsp.SemanticTokensDelta(edits=edits, result_id=result_id)


@handler(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, accounted=False)
def semantic_tokens_range(params: lsp.SemanticTokensRangeParams) -> lsp.SemanticTokens:
    doc = server.document(params.text_document.uri)
    if doc is None:
        return lsp.SemanticTokens(data=[])
    start, end = convert.range_offsets(doc.line_index, params.range, server.encoding)
    return lsp.SemanticTokens(data=_encode_tokens(
        doc, semantic_tokens.classify(doc.analysis(), start, end)))


# ------------------------------------------------------------ formatting & refactoring

def _format_reply(doc: Document, line_range: tuple[int, int] | None,
                  result: list[Any] | FormattingDeclined) -> list[lsp.TextEdit] | None:
    """The edits (or FormattingDeclined) made off the loop, as the client gets them: a
    declined whole-document request is explained in a message, a range one is silent."""
    if isinstance(result, FormattingDeclined):
        if line_range is None:
            server.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Info,
                                                             str(result)))
        return None
    enc = server.encoding
    server.ops.audit.record("format", "range" if line_range else "document", target=doc.uri,
                            details={"edits": len(result)})
    return [lsp.TextEdit(range=convert.to_range(doc.line_index, e.start, e.end, enc),
                         new_text=e.text) for e in result]


async def _format_off_loop(uri: str, options: lsp.FormattingOptions,
                           line_range: tuple[int, int] | None) -> list[lsp.TextEdit] | None:
    """Formatted on a worker thread, so it can be cancelled and never holds the loop (a
    range in a language whose check parses the whole text costs the whole file)."""
    doc = server.document(uri)
    if doc is None:
        return None
    fmt = FormatOptions(indent_width=options.tab_size, insert_spaces=options.insert_spaces)

    def work(_: Any) -> Any:
        try:
            return format_edits(doc.parsed, fmt, line_range)
        except FormattingDeclined as exc:
            return exc
    return _format_reply(doc, line_range, await off_loop(work))


@handler(lsp.TEXT_DOCUMENT_FORMATTING, analysed=False)
async def formatting(params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
    return await _format_off_loop(params.text_document.uri, params.options, None)


@handler(lsp.TEXT_DOCUMENT_RANGE_FORMATTING, analysed=False)
async def range_formatting(params: lsp.DocumentRangeFormattingParams
                           ) -> list[lsp.TextEdit] | None:
    return await _format_off_loop(params.text_document.uri, params.options,
                                  (params.range.start.line, params.range.end.line))


@handler(lsp.TEXT_DOCUMENT_ON_TYPE_FORMATTING, lsp.DocumentOnTypeFormattingOptions(
    first_trigger_character="\n", more_trigger_character=[";", "}"]), analysed=False)
async def on_type_formatting(params: lsp.DocumentOnTypeFormattingParams
                             ) -> list[lsp.TextEdit] | None:
    line = params.position.line
    return await _format_off_loop(params.text_document.uri, params.options,
                                  (max(line - 1, 0), line))


@handler(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
    found = _doc_offset(params)
    if found is None:
        return None
    doc, off = found
    try:
        span, name = navigation.prepare_rename(doc.analysis(), off)
    except RenameRefused:
        return None  # the specification's "no rename here"; rename itself says why
    return lsp.PrepareRenamePlaceholder(
        range=convert.to_range(doc.line_index, span.start, span.end, server.encoding),
        placeholder=name)


@handler(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
async def rename(params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    found = _doc_offset(params)
    if found is None:
        return None
    doc, off = found
    try:  # importers from the workspace index (a bounded scan until it is built)
        files = await off_loop(lambda cancelled: server.session.host.rename(
            doc.uri, off, params.new_name, cancelled))
    except RenameRefused as exc:
        raise RequestFailed(str(exc)) from exc
    total = sum(len(f.edits) for f in files)
    server.ops.audit.record("refactor", "rename", target=doc.uri,
                            details={"newName": params.new_name, "edits": total,
                                     "files": len(files)})
    return convert.workspace_edit(files, server.encoding, server.client_supports(
        "workspace.workspace_edit.document_changes"))


@handler(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorExtract,
                       lsp.CodeActionKind.RefactorInline]))
def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """Quick fixes and refactorings for the range; each edit is versioned when the client
    takes documentChanges. Each action carries the ``craftls.actionApplied`` command,
    which the client runs after applying the edit: that is when it is audited."""
    doc = server.document(params.text_document.uri)
    if doc is None:
        return []
    from ..features.quickfix import quick_fixes
    from ..features.refactor import refactor_actions
    enc = server.encoding
    start, end = convert.range_offsets(doc.line_index, params.range, enc)
    analysis = doc.analysis()
    proposed = [(f.title, lsp.CodeActionKind.QuickFix.value, f.edits, f.preferred)
                for f in quick_fixes(analysis, start, end)]
    proposed += [(a.title, a.kind, a.edits, a.preferred)
                 for a in refactor_actions(analysis, start, end)]
    only = [str(getattr(k, "value", k)) for k in params.context.only or []]
    if not only or any(k == "quickfix" or "quickfix".startswith(k + ".") for k in only):
        from .packages import package_code_actions  # registry stack: loaded when needed
        ready_made = package_code_actions(server, doc, start, end)
    else:
        ready_made = []
    versioned = server.client_supports("workspace.workspace_edit.document_changes")
    actions = []
    for title, kind, replacements, preferred in proposed:
        if only and not any(kind == k or kind.startswith(k + ".") for k in only):
            continue
        edits = [lsp.TextEdit(range=convert.to_range(doc.line_index, e.start, e.end, enc),
                              new_text=e.text) for e in replacements]
        edit = lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                uri=doc.uri, version=doc.version), edits=edits)]) if versioned \
            else lsp.WorkspaceEdit(changes={doc.uri: edits})
        applied = lsp.Command(title=title, command=ACTION_APPLIED, arguments=[{
            "title": title, "kind": kind, "uri": doc.uri, "edits": len(edits)}])
        actions.append(lsp.CodeAction(title=title, kind=kind, edit=edit,
                                      is_preferred=preferred, command=applied))
    return actions + ready_made


# ------------------------------------------------------------ operations

@server.command(ACTION_APPLIED)
def action_applied(ls: object, *args: object) -> None:
    details = args[0] if args and isinstance(args[0], dict) else {}
    kind = str(details.get("kind", ""))
    server.ops.audit.record("refactor" if kind.startswith("refactor") else "quickfix",
                            kind or "code_action", target=str(details.get("uri", "")),
                            details={"title": details.get("title"),
                                     "edits": details.get("edits")})


@server.command(INSTALL_PACKAGES)
async def install_packages(ls: object, *args: object) -> dict[str, Any]:
    # pygls passes the server first (a parameter named `ls`), then the arguments
    from . import packages
    return await packages.install_command(server, args)


codegen.register(server, handler, off_loop)  # Run / Show C: lsp/codegen.py


@server.feature("craftls/health")
async def health_request(params: Any) -> dict[str, Any]:
    return await server.ops.health(params)


@server.feature("craftls/stats")
def stats_request(params: Any) -> dict[str, Any]:
    return server.ops.stats()


@server.feature("craftls/auditLog")
def audit_log_request(params: Any) -> list[dict[str, Any]]:
    return server.ops.audit_log(params)


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(params: lsp.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and settings.get("craftls") is not None:
        server.apply_settings(settings["craftls"])
    else:
        await pull_configuration()
    server.ops.audit.record("config", "changed")


async def pull_configuration() -> None:
    if not server.client_supports("workspace.configuration"):
        return
    try:
        result = await server.workspace_configuration_async(lsp.ConfigurationParams(
            items=[lsp.ConfigurationItem(section="craftls")]))
    except Exception:  # a client without an answer keeps the current settings
        return
    if result and isinstance(result[0], dict):
        server.apply_settings(result[0])


@server.feature(lsp.SHUTDOWN)
async def on_shutdown(params: Any) -> None:
    if server.poll_task is not None:
        server.poll_task.cancel()
    server.queue.cancel_all()
    await server.ops.stop("shutdown request")


@server.feature(lsp.EXIT)
async def on_exit(params: Any) -> None:
    """Leave at once (`ops.shutdown.exit_process`): the shutdown steps are what matters;
    code 1 for an `exit` without `shutdown`, as LSP says, after running them."""
    code = 0 if server.ops.shutdown.started else 1
    if not server.ops.shutdown.started:
        await server.ops.stop("exit without shutdown")
    exit_process(code)


def install_shutdown_triggers() -> None:
    """SIGTERM/SIGINT and the death of the editor's process end the server gracefully."""
    from ..ops.shutdown import install_signal_handlers, watch_parent_process
    loop = asyncio.get_running_loop()

    def stop(reason: str) -> None:
        async def run() -> None:
            await server.ops.stop(reason)
            loop.stop()
            exit_process(0)  # pygls' reader thread blocks on stdin: do not wait for it
        asyncio.ensure_future(run())

    install_signal_handlers(loop, lambda name: stop(f"signal {name}"))
    pid = getattr(server, "client_pid", None)
    if pid:
        watch_parent_process(pid, lambda: stop("client process exited"))
