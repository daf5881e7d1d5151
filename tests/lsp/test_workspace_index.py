"""The workspace index through the real protocol: `craftls serve` indexes a generated
workspace in the background (with `$/progress` for clients that support it), answers
workspace/symbol and cross-file rename for files that were never opened, follows watched
file events, and honours `$/cancelRequest`. Once per client profile, plus a VS Code
profile without work-done progress."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcRequestCancelled
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_protocol import text_edits
from .workspaces import big_program, workspace_session

PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs", "visual_studio_code/no-progress"]
USERS = 12
MODULE = """{ MathLib: helpers used by every user file }
FUNCTION Square(x : INTEGER) : INTEGER;
BEGIN
  Square := x * x
END;

FUNCTION CubeOf(x : INTEGER) : INTEGER;
BEGIN
  CubeOf := x * Square(x)
END;
"""
USER = """PROGRAM User{n};
USES MathLib;
VAR
  Total : INTEGER;
BEGIN
  Total := Square({n}) + MathLib.Square(2);
  WriteLn('Square stays in strings'); {{ and Square in comments }}
  WriteLn(Total)
END.
"""
SHADOW = """PROGRAM Shadow;
USES MathLib;
FUNCTION Square(y : INTEGER) : INTEGER;
BEGIN
  Square := y + y
END;
BEGIN
  WriteLn(Square(3))
END.
"""


# One server per profile for the whole module (a server start is most of a test's
# cost): the tests only add to the generated workspace what they take away again, and
# none needs a server that has seen nothing else.
@pytest_lsp.fixture(
    params=PROFILES,
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-index-")).resolve()
    (folder / "MathLib.pas").write_text(MODULE)
    (folder / "users").mkdir()
    for n in range(USERS):
        (folder / "users" / f"user{n}.pas").write_text(USER.format(n=n))
    (folder / "shadow.pas").write_text(SHADOW)
    # the programs are the keyword-level `pascal`'s (`.pas` is `turbopascal`'s by extension)
    (folder / "craft.toml").write_text('[[languages]]\ndefinition = "pascal"\nfiles = ["*.pas"]\n')
    lsp_client.folder = folder  # type: ignore[attr-defined]
    lsp_client.registrations = []  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    profile, _, variant = request.param.partition("/")
    capabilities = client_capabilities(profile)
    if variant == "no-progress" and capabilities.window is not None:
        capabilities.window.work_done_progress = False
    async for _ in workspace_session(lsp_client, folder, capabilities, profile):
        yield


def folder_of(client: LanguageClient) -> Path:
    return client.folder  # type: ignore[attr-defined,no-any-return]


def supports_progress(client: LanguageClient) -> bool:
    caps = client.capabilities
    return bool(caps and caps.window and caps.window.work_done_progress)


async def symbols(client: LanguageClient, query: str) -> list[lsp.SymbolInformation]:
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query=query))
    return [s for s in found or [] if isinstance(s, lsp.SymbolInformation)]


async def wait_for_symbol(client: LanguageClient, query: str, present: bool = True
                          ) -> list[lsp.SymbolInformation]:
    for _ in range(200):
        found = [s for s in await symbols(client, query) if s.name == query]
        if bool(found) == present:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"workspace/symbol never {'found' if present else 'lost'} {query}")


async def index_ready(client: LanguageClient) -> None:
    """Every user file indexed: each one's program symbol is found."""
    for _ in range(200):
        found = {s.name for s in await symbols(client, "User")}
        if {f"User{n}" for n in range(USERS)} <= found:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the workspace was never fully indexed")


def position_of(text: str, needle: str, delta: int = 0) -> lsp.Position:
    offset = text.index(needle) + delta
    return lsp.Position(line=text.count("\n", 0, offset),
                        character=offset - (text.rfind("\n", 0, offset) + 1))


def edits_by_uri(edit: lsp.WorkspaceEdit) -> dict[str, list[lsp.TextEdit]]:
    if edit.document_changes:
        return {c.text_document.uri: text_edits(c.edits)  # type: ignore[union-attr]
                for c in edit.document_changes}
    return {uri: list(edits) for uri, edits in (edit.changes or {}).items()}


def text_at(text: str, rng: lsp.Range) -> str:
    lines = text.splitlines()
    assert rng.start.line == rng.end.line
    return lines[rng.start.line][rng.start.character:rng.end.character]


@pytest.mark.asyncio(loop_scope="module")
async def test_workspace_symbol_finds_symbols_of_unopened_files(client: LanguageClient) -> None:
    folder = folder_of(client)
    found = await wait_for_symbol(client, "CubeOf")
    assert len(found) == 1
    assert found[0].kind == lsp.SymbolKind.Function
    assert found[0].location.uri == (folder / "MathLib.pas").as_uri()
    assert found[0].location.range.start == position_of(MODULE, "CubeOf(x")
    await index_ready(client)
    users = [s for s in await symbols(client, "User") if s.name.startswith("User")]
    assert len(users) == USERS
    assert {s.location.uri for s in users} == {
        (folder / "users" / f"user{n}.pas").as_uri() for n in range(USERS)}
    assert [s.name for s in await symbols(client, "cubeof")] == ["CubeOf"]


@pytest.mark.asyncio(loop_scope="module")
async def test_indexing_reports_progress_only_to_clients_that_support_it(
        client: LanguageClient) -> None:
    await index_ready(client)
    if not supports_progress(client):
        assert client.progress_reports == {}
        return
    for _ in range(200):  # the end notification may trail the last indexed file
        reports = [r for r in client.progress_reports.values() if r]
        if reports and isinstance(reports[0][-1], lsp.WorkDoneProgressEnd):
            break
        await asyncio.sleep(0.05)
    assert len(reports) == 1
    begin, *middle, end = reports[0]
    assert isinstance(begin, lsp.WorkDoneProgressBegin) and "index" in begin.title
    assert isinstance(end, lsp.WorkDoneProgressEnd) and end.message == f"{USERS + 2} files indexed"
    percentages = [r.percentage for r in middle if isinstance(r, lsp.WorkDoneProgressReport)]
    assert percentages and percentages == sorted(percentages)
    assert all(0 < p <= 100 for p in percentages if p is not None)


@pytest.mark.asyncio(loop_scope="module")
async def test_rename_reaches_unopened_importers(client: LanguageClient) -> None:
    folder = folder_of(client)
    module = folder / "MathLib.pas"
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=module.as_uri(), language_id="pascal", version=1, text=MODULE)))
    await index_ready(client)
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=module.as_uri()),
        position=position_of(MODULE, "Square(x"), new_name="Sq"))
    assert edit is not None
    files = edits_by_uri(edit)
    users = {(folder / "users" / f"user{n}.pas").as_uri() for n in range(USERS)}
    assert set(files) == users | {module.as_uri()}  # not shadow.pas: it declares its own
    assert len(files[module.as_uri()]) == 3
    for n in range(USERS):
        edits = files[(folder / "users" / f"user{n}.pas").as_uri()]
        text = USER.format(n=n)
        assert [e.range.start for e in edits] == [
            position_of(text, "Square("), position_of(text, "MathLib.Square", len("MathLib."))]
        assert all(text_at(text, e.range) == "Square" and e.new_text == "Sq" for e in edits)


@pytest.mark.asyncio(loop_scope="module")
async def test_open_edits_and_watched_files_update_the_index(client: LanguageClient) -> None:
    folder = folder_of(client)
    await index_ready(client)
    if client.capabilities and client.capabilities.workspace and \
            client.capabilities.workspace.did_change_watched_files and \
            client.capabilities.workspace.did_change_watched_files.dynamic_registration:
        patterns = [w["globPattern"] for r in client.registrations  # type: ignore[attr-defined]
                    if r.id == "craftls-sources"
                    for w in r.register_options["watchers"]]  # options arrive as plain JSON
        assert len(patterns) == 1 and ".pas" not in patterns[0] and "pas" in patterns[0]
    extra = folder / "extra.pas"
    extra.write_text("PROGRAM Extra;\nFUNCTION FreshlyMade : INTEGER;\nBEGIN\n"
                     "  FreshlyMade := 1\nEND;\nBEGIN\nEND.\n")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=extra.as_uri(), type=lsp.FileChangeType.Created)]))
    await wait_for_symbol(client, "FreshlyMade")
    extra.unlink()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=extra.as_uri(), type=lsp.FileChangeType.Deleted)]))
    await wait_for_symbol(client, "FreshlyMade", present=False)
    # an open document overrides the disk while it is open, and gives it back on close
    user0 = folder / "users" / "user0.pas"
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=user0.as_uri(), language_id="pascal", version=1, text=USER.format(n=0))))
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=user0.as_uri(), version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(
            text=USER.format(n=0).replace("PROGRAM User0;", "PROGRAM Renamed0;"))]))
    found = await wait_for_symbol(client, "Renamed0")
    assert found[0].location.uri == user0.as_uri()
    await wait_for_symbol(client, "User0", present=False)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=user0.as_uri())))
    await wait_for_symbol(client, "User0")
    await wait_for_symbol(client, "Renamed0", present=False)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_cancelled_request_is_answered_as_cancelled_and_the_next_one_normally(
        client: LanguageClient) -> None:
    folder = folder_of(client)
    big = folder / "big.pas"
    text = big_program(2500)  # ~17,500 lines: its analysis takes well over a second
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=big.as_uri(), language_id="pascal", version=1, text=text)))
    msg_id = str(uuid.uuid4())
    # pygls' send_request writes the request now (pytest-lsp's async wrapper would only
    # send it when awaited, after the cancellation); then cancel it by its id
    pending = asyncio.wrap_future(client.protocol.send_request(
        lsp.WORKSPACE_DIAGNOSTIC,
        lsp.WorkspaceDiagnosticParams(previous_result_ids=[]), msg_id=msg_id))
    client.cancel_request(lsp.CancelParams(id=msg_id))
    with pytest.raises(JsonRpcRequestCancelled):
        await pending
    found = await wait_for_symbol(client, "CubeOf")  # the server goes on answering
    assert found[0].location.uri == (folder / "MathLib.pas").as_uri()
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=big.as_uri()),
        position=position_of(text, "F0(1, 2)")))
    assert hover is not None
