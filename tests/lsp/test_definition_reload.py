"""Hot reload of a workspace's language definition and craft.toml through the real
protocol. Clients that watch files for the server (VS Code, eglot: dynamic registration)
report the edits as `workspace/didChangeWatchedFiles`; Neovim 0.11 cannot, so the server
notices them itself by polling. Either way a broken definition is reported on the
definition file, and open documents are parsed again with the new one."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_protocol import uses_pull
from .workspaces import answer_server_requests, workspace_session

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs"]
SOURCE = "PROGRAM P;\nBEGIN\n  WriteLn(1)\nEND.\n"
MANIFEST = '[[languages]]\ndefinition = "lang/{name}.yaml"\nfiles = ["*.hot"]\n'


def definition_text(begin: str = "BEGIN") -> str:
    """The bundled Pascal as a workspace language of its own (``*.hot`` files), its
    ``begin`` keyword spelled ``begin``."""
    text = (ROOT / "server" / "craftls" / "language" / "bundled" / "pascal.yaml").read_text()
    text = text.replace("id: pascal", "id: hot").replace('[".pas", ".pp"]', '[".hot"]')
    return text.replace("begin: BEGIN", f"begin: {begin}")


@pytest_lsp.fixture(
    params=PROFILES,
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-reload-")).resolve()
    (folder / "lang").mkdir()
    (folder / "lang" / "hot.yaml").write_text(definition_text())
    (folder / "lang" / "plain.yaml").write_text(definition_text())
    (folder / "craft.toml").write_text(MANIFEST.format(name="hot"))
    (folder / "main.hot").write_text(SOURCE)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)

    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


def watches_files(client: LanguageClient) -> bool:
    caps = client.capabilities
    watched = caps.workspace.did_change_watched_files if caps and caps.workspace else None
    return bool(watched and watched.dynamic_registration)


def edit_on_disk(client: LanguageClient, path: Path, text: str) -> None:
    """Write ``path`` as an editor or a git checkout would; a watching client reports it."""
    path.write_text(text)
    if watches_files(client):
        client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
            lsp.FileEvent(uri=path.as_uri(), type=lsp.FileChangeType.Changed)]))


async def eventually(get: Callable[[], Awaitable[T]], ok: Callable[[T], bool], what: str) -> T:
    for _ in range(400):  # polling turns come once a second: allow for a busy machine
        value = await get()
        if ok(value):
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


async def document_codes(client: LanguageClient, uri: str) -> list[str]:
    """The diagnostics' codes as the client sees them now (pulled or pushed)."""
    if uses_pull(client):
        report = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)  # no result id sent
        return [str(d.code) for d in report.items]
    return [str(d.code) for d in client.diagnostics.get(uri, [])]


async def pushed(client: LanguageClient, uri: str) -> list[lsp.Diagnostic] | None:
    published = client.diagnostics.get(uri)
    return None if published is None else list(published)


@pytest.mark.asyncio
async def test_definition_and_manifest_edits_on_disk_reach_open_documents(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    definition, main = folder / "lang" / "hot.yaml", (folder / "main.hot").as_uri()
    await eventually(lambda: pushed(client, definition.as_uri()), lambda d: d == [],
                     "the definition's (empty) problems are published at start")
    registrations = client.registrations  # type: ignore[attr-defined]
    assert ("craftls-definitions" in registrations) == watches_files(client)  # asked before
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=main, language_id="hot", version=1, text=SOURCE)))
    if not uses_pull(client):
        await eventually(lambda: pushed(client, main), lambda d: d is not None, "first push")
    assert await document_codes(client, main) == []

    edit_on_disk(client, definition, definition_text() + "\nkeywords: [\n")
    problems = await eventually(lambda: pushed(client, definition.as_uri()), bool,
                                "the broken definition is reported")
    assert problems is not None and problems[0].code == "definition"
    assert "invalid YAML" in problems[0].message
    assert await document_codes(client, main) == []  # the last good definition serves on

    edit_on_disk(client, definition, definition_text(begin="START"))
    await eventually(lambda: pushed(client, definition.as_uri()), lambda d: d == [],
                     "the repaired definition's problems are cleared")
    codes = await eventually(lambda: document_codes(client, main), bool,
                             "the open document is parsed with the new definition")
    assert "syntax" in codes and "undefined-name" in codes  # BEGIN is a name now

    edit_on_disk(client, folder / "craft.toml", MANIFEST.format(name="plain") + "# plain\n")
    await eventually(lambda: document_codes(client, main), lambda c: c == [],
                     "craft.toml now binds the files to the plain definition")
