"""Opening, changing and closing documents while a big document parses off the event
loop, and pull diagnostics with result ids, through the real protocol (each client
profile); then the ordering and staleness rules in process.

One server per profile serves the protocol tests: each opens its documents under URIs
of its own and the ``docs`` fixture closes them after it, waiting until the server
holds no document, so the counts a test reads are its own documents'."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcRequestCancelled
from pytest_lsp import LanguageClient

from . import workspaces
from .conftest import Opened, plain, shared_client
from .test_protocol import BROKEN, diagnostics_for, position_of, uses_pull

SHARED_SERVER = True
client = shared_client()

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = 2500  # ~17,500 lines: its parse takes ~0.27 s (pure Python), its analysis more


def big_program(functions: int = FUNCTIONS) -> str:
    return workspaces.big_program(functions)


def replace(text: str, old: str, new: str) -> lsp.TextDocumentContentChangePartial:
    """The incremental change that replaces the first ``old`` (ASCII, on one line)."""
    start = position_of(text, old)
    end = lsp.Position(line=start.line, character=start.character + len(old))
    return lsp.TextDocumentContentChangePartial(range=lsp.Range(start=start, end=end),
                                                text=new)


async def stats(client: LanguageClient) -> Any:
    return plain(await client.protocol.send_request_async("craftls/stats", {}))


async def published_about(client: LanguageClient, uri: str, name: str
                          ) -> list[lsp.Diagnostic]:
    """What a push client holds for ``uri`` once a diagnostic mentions ``name``."""
    for _ in range(1200):  # the analysis of a big document takes seconds on a busy machine
        if any(name in d.message for d in client.diagnostics.get(uri, [])):
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostic about {name} was published")


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_a_big_document_opens_off_the_loop_and_keeps_its_edits_in_order(
        client: LanguageClient, docs: Opened) -> None:
    text = big_program()
    uri = docs.open(text, "big_open.pas")
    # sent right after didOpen: answered while the document is still being parsed
    documents = (await stats(client))["caches"]["documents"]
    assert documents == {"size": 0, "pending": 1}
    # an edit made during the parse is applied after it, and a request waits for both
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[replace(text, "WriteLn(Total)", "WriteLn(Later)"),
                         replace(text, "Total := F0(", "Total := F7(")]))
    changed = text.replace("WriteLn(Total)", "WriteLn(Later)").replace(
        "Total := F0(", "Total := F7(")
    location = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(changed, "F7(1, 2)")))
    assert isinstance(location, lsp.Location)
    assert location.range.start == position_of(changed, "F7(A, B")
    if uses_pull(client):
        diagnostics = await diagnostics_for(client, uri)
    else:
        diagnostics = await published_about(client, uri, "Later")
    undefined = [d for d in diagnostics if d.code == "undefined-name"]
    assert [d.range.start for d in undefined] == [position_of(changed, "Later")]
    assert (await stats(client))["caches"]["documents"] == {"size": 1, "pending": 0}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_a_document_closed_while_it_opens_is_not_served(client: LanguageClient,
                                                             docs: Opened) -> None:
    uri = docs.open(big_program(), "big_closed.pas")
    docs.close(uri)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert symbols == []  # waited for the open and the close, in that order
    assert (await stats(client))["caches"]["documents"] == {"size": 0, "pending": 0}
    if not uses_pull(client):
        assert list(client.diagnostics[uri]) == []  # what didClose publishes


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_pull_diagnostics_answer_unchanged_for_the_current_result_id(
        client: LanguageClient, docs: Opened) -> None:
    uri = docs.open(BROKEN, "pulled.pas")
    params = lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    first = await client.text_document_diagnostic_async(params)
    assert isinstance(first, lsp.RelatedFullDocumentDiagnosticReport) and first.result_id
    assert "undefined-name" in {d.code for d in first.items}
    params.previous_result_id = first.result_id
    again = await client.text_document_diagnostic_async(params)
    assert isinstance(again, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == first.result_id
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[replace(BROKEN, "WriteLn(Cont)", "WriteLn(Count)")]))
    changed = await client.text_document_diagnostic_async(params)
    assert isinstance(changed, lsp.RelatedFullDocumentDiagnosticReport)
    assert changed.result_id != first.result_id
    assert "undefined-name" not in {d.code for d in changed.items}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_a_pull_diagnostic_request_can_be_cancelled(client: LanguageClient,
                                                          docs: Opened) -> None:
    text = big_program()
    uri = docs.open(text, "big_pulled.pas")
    # A pull client's document is analysed only when pulled: once it is parsed (about a
    # second), the request below starts its analysis (more than a second), and the
    # cancel arrives during it. A push client's analysis starts when the parse ends and
    # may be done before a request after it: there the request is sent during the parse,
    # and the cancel arrives while it waits for the document.
    for _ in range(1200 if uses_pull(client) else 0):
        if (await stats(client))["caches"]["documents"] == {"size": 1, "pending": 0}:
            break
        await asyncio.sleep(0.05)
    msg_id = str(uuid.uuid4())
    # written now (pytest-lsp's async wrapper would send it only when awaited), then
    # cancelled while the server analyses the document off the loop
    pending = asyncio.wrap_future(client.protocol.send_request(
        lsp.TEXT_DOCUMENT_DIAGNOSTIC,
        lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=uri)),
        msg_id=msg_id))
    client.cancel_request(lsp.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcRequestCancelled):
        await pending
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "F0(1, 2)")))
    assert hover is not None and "F0" in hover.contents.value  # type: ignore[union-attr]


# ------------------------------------------------------------ in process


@pytest.fixture
def quiet_server(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[lsp.PublishDiagnosticsParams]]:
    """A fresh server without a client: a push client's capabilities, and publishes
    recorded instead of written."""
    from craftls.lsp.server import create_server

    server = create_server()
    sent: list[lsp.PublishDiagnosticsParams] = []
    server.protocol.client_capabilities = lsp.ClientCapabilities()  # what initialize sets
    monkeypatch.setattr(server, "text_document_publish_diagnostics", sent.append)
    server.debounce_seconds = 0.001  # 0 would freeze the gc
    return server, sent


async def settle(server: Any) -> None:
    await server.queue.all_settled(120)
    while server.pending:
        await asyncio.gather(*server.pending.values(), return_exceptions=True)


def open_in_process(server: Any, name: str) -> str:
    """didOpen of BROKEN, called directly on the handler; its URI."""
    from craftls.lsp.handlers import documents

    uri = (ROOT / "examples" / "pascal" / name).as_uri()
    documents.did_open(server, lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="pascal", version=1, text=BROKEN)))
    return uri


@pytest.mark.asyncio
async def test_edits_during_the_open_publish_only_the_last_version(
        quiet_server: tuple[Any, list[lsp.PublishDiagnosticsParams]]) -> None:
    from craftls.lsp.handlers import documents

    server, sent = quiet_server
    uri = open_in_process(server, "in_process.pas")
    assert server.document(uri) is None and server.queue.busy(uri)
    documents.did_change(server, lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[replace(BROKEN, "Cont)", "Gone)")]))
    documents.did_change(server, lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(
            text=BROKEN.replace("Cont)", "Lost)"))]))
    await settle(server)
    doc = server.document(uri)
    assert doc is not None and doc.version == 3 and "WriteLn(Lost)" in doc.text
    assert [p.version for p in sent] == [3]
    assert any("Lost" in d.message for d in sent[0].diagnostics)
    documents.did_close(server, lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert server.document(uri) is None


@pytest.mark.asyncio
async def test_a_document_closed_while_it_opens_publishes_nothing_but_the_clearing(
        quiet_server: tuple[Any, list[lsp.PublishDiagnosticsParams]]) -> None:
    from craftls.lsp.handlers import documents

    server, sent = quiet_server
    uri = open_in_process(server, "in_process_closed.pas")
    documents.did_close(server, lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    await settle(server)
    assert server.document(uri) is None
    assert [(p.uri, p.diagnostics) for p in sent] == [(uri, [])]


@pytest.mark.asyncio
async def test_the_queue_runs_each_documents_steps_in_order() -> None:
    from craftls.lsp.document_queue import DocumentQueue

    queue = DocumentQueue()
    ran: list[str] = []
    gate = asyncio.Event()

    def step(name: str, wait: bool = False, fail: bool = False) -> Any:
        async def run() -> None:
            if wait:
                await gate.wait()
            ran.append(name)
            if fail:
                raise RuntimeError(name)
        return run

    queue.enqueue("a", step("a-open", wait=True))
    queue.enqueue("a", step("a-change", fail=True))
    queue.enqueue("a", step("a-close"))
    queue.enqueue("b", step("b-open"))
    assert await queue.settled("b", 10)
    assert ran == ["b-open"] and queue.busy("a") and not queue.busy("b")
    assert not await queue.settled("a", 0.01)  # bounded: the open is still waiting
    gate.set()
    assert await queue.all_settled(10)
    assert ran == ["b-open", "a-open", "a-change", "a-close"]  # a failed step ends alone
    assert len(queue) == 0


def test_the_poller_reports_created_changed_and_deleted_files(tmp_path: Path) -> None:
    from craftls.lsp.file_poll import MAX_POLLED_FILES, FilePoller, _stamps

    definition, manifest = tmp_path / "lang.yaml", tmp_path / "craft.toml"
    definition.write_text("id: x\n")
    poller = FilePoller(lambda: [definition, manifest, definition], lambda events: None)
    assert poller.watched() == [definition, manifest]

    def turn() -> list[tuple[str, lsp.FileChangeType]]:
        return [(e.uri, e.type) for e in poller.compare(_stamps(poller.watched()))]

    assert turn() == []  # the first look only remembers
    assert turn() == []
    definition.write_text("id: changed\n")
    manifest.write_text("[[languages]]\n")
    assert turn() == [(definition.as_uri(), lsp.FileChangeType.Changed),
                      (manifest.as_uri(), lsp.FileChangeType.Created)]
    definition.unlink()
    assert turn() == [(definition.as_uri(), lsp.FileChangeType.Deleted)]
    manifest.write_text("[[languages]]\n# more\n")
    poller.remember(manifest)  # the server already reloaded it (didSave)
    assert turn() == []
    many = FilePoller(lambda: [tmp_path / f"{n}.yaml" for n in range(1000)],
                      lambda events: None)
    assert len(many.watched()) == MAX_POLLED_FILES


def test_each_server_from_the_factory_has_every_handler_and_its_own_state() -> None:
    from craftls.lsp.server import create_server

    first, second = create_server(), create_server()
    for server in (first, second):
        features = server.protocol.fm.features
        for method in (lsp.INITIALIZE, lsp.TEXT_DOCUMENT_DID_OPEN, lsp.TEXT_DOCUMENT_HOVER,
                       lsp.TEXT_DOCUMENT_RENAME, lsp.WORKSPACE_SYMBOL,
                       lsp.WORKSPACE_DIAGNOSTIC, lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
                       lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.TEXT_DOCUMENT_CODE_LENS,
                       "craftls/health", lsp.SHUTDOWN):
            assert method in features, method
        assert {"craftls.install", "craftls.actionApplied", "craftls.run"} <= set(
            server.protocol.fm.commands)
    assert first.session is not second.session
    assert first.session.host.index is not second.session.host.index
    assert first.token_history is not second.token_history
