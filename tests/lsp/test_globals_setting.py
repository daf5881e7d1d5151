"""The ``globals`` setting through the protocol: names a host provides (LÖVE's ``love``,
Neovim's ``vim``) or another file of the program defines, known in one language's files.
It comes from ``initializationOptions.settings``, the workspace's ``craft.toml`` and
``workspace/didChangeConfiguration``; a value it cannot use is reported by name."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_definition_reload import edit_on_disk, eventually
from .test_protocol import diagnostics_for, uses_pull
from .workspaces import answer_server_requests

SOURCE = "function love.draw()\n  print(vim.fn, game_state, missing)\nend\n"
MANIFEST = '[settings.globals]\nlua = ["game_state"]\nlu = ["typo"]\n'


@pytest_lsp.fixture(
    params=["visual_studio_code", "neovim@v0.11"],  # pull and push diagnostics
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-globals-")).resolve()
    (folder / "craft.toml").write_text(MANIFEST)
    (folder / "main.lua").write_text(SOURCE)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param), root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
        initialization_options={"settings": {"globals": {"lua": ["love", "two words"]}}}))
    yield
    await lsp_client.shutdown_session()


async def undefined(client: LanguageClient, uri: str) -> list[str]:
    """The names the document's undefined-name diagnostics name, as the client sees them."""
    if not uses_pull(client):
        await eventually(lambda: _pushed(client, uri), lambda d: d is not None, "a push")
    return sorted(d.message.split("'")[1] for d in await diagnostics_for(client, uri)
                  if d.code == "undefined-name")


async def _pushed(client: LanguageClient, uri: str) -> object:
    return client.diagnostics.get(uri)


def logged(client: LanguageClient) -> str:
    return "\n".join(m.message for m in client.log_messages)


@pytest.mark.asyncio
async def test_globals_from_the_client_and_craft_toml_are_known_names(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    uri = (folder / "main.lua").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="lua", version=1, text=SOURCE)))
    # love: initializationOptions; game_state: craft.toml's [settings.globals]
    assert await undefined(client, uri) == ["missing", "vim"]
    # what the server could not use is named: a name with a space, a language no one has
    text = await eventually(lambda: _logged(client), lambda t: "lu" in t and "two words" in t,
                            "the unusable values are reported")
    assert "'two words' is not a name" in text
    assert "no language 'lu'" in text and "['typo']" in text

    client.diagnostics.pop(uri, None)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"globals": {"lua": ["love", "vim"]}}}))
    # the open document is analysed again: vim is known now; craft.toml's name stays
    await eventually(lambda: undefined(client, uri), lambda names: names == ["missing"],
                     "the new setting reaches the open document")

    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"globals": ["love"]}}))
    await eventually(lambda: _logged(client), lambda t: "invalid setting 'globals'" in t,
                     "a setting that is no table is reported")
    assert await undefined(client, uri) == ["missing"]  # and the last good one kept

    # craft.toml edited on disk (reported by a watching client, polled otherwise): its
    # names are read again
    edit_on_disk(client, folder / "craft.toml", '[settings.globals]\nlua = ["missing"]\n')
    await eventually(lambda: undefined(client, uri), lambda names: names == ["game_state"],
                     "craft.toml's new globals reach the open document")


async def _logged(client: LanguageClient) -> str:
    return logged(client)
