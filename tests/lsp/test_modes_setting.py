"""The ``modes`` setting through the protocol: the lexical mode of a language's files
that have no mode directive (Free Pascal's default mode nests ``{ }`` comments, the
bundled Pascal's default, Delphi's, does not). It comes from
``initializationOptions.settings`` and ``workspace/didChangeConfiguration``; an open
document is parsed again when it changes, and a mode or language no definition has is
reported by name."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_definition_reload import eventually
from .test_globals_setting import _logged, _pushed
from .test_protocol import diagnostics_for, uses_pull
from .workspaces import answer_server_requests

# no {$mode}: a unit whose commented-out function holds a comment of its own
SOURCE = """unit Shapes;
interface
function Area(Side: Integer): Integer;
implementation
{ the old one:
function Area(Side: Integer): Integer;
begin
  Area := Side * Side; { squares only }
end;
}
function Area(Side: Integer): Integer;
begin
  Result := Side * Side;
end;
end.
"""


@pytest_lsp.fixture(
    params=["neovim@v0.11"],  # push diagnostics
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-modes-")).resolve()
    (folder / "shapes.pas").write_text(SOURCE)
    lsp_client.uri = (folder / "shapes.pas").as_uri()  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param), root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
        initialization_options={"settings": {"modes": {"turbopascal": "fpc",
                                                       "pascl": "fpc"}}}))
    yield
    await lsp_client.shutdown_session()


async def syntax_errors(client: LanguageClient, uri: str) -> int:
    if not uses_pull(client):
        await eventually(lambda: _pushed(client, uri), lambda d: d is not None, "a push")
    return sum(d.code == "syntax" for d in await diagnostics_for(client, uri))


@pytest.mark.asyncio
async def test_the_chosen_mode_reads_the_open_document_and_a_change_reparses_it(
        client: LanguageClient) -> None:
    uri: str = client.uri  # type: ignore[attr-defined]
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="pascal", version=1, text=SOURCE)))
    assert await syntax_errors(client, uri) == 0  # fpc: the comment nests
    await eventually(lambda: _logged(client), lambda t: "no language 'pascl'" in t,
                     "a language no definition has is reported")

    client.diagnostics.pop(uri, None)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"modes": {"turbopascal": "delphi"}}}))
    await eventually(lambda: syntax_errors(client, uri), lambda n: n > 0,
                     "the open document is read again in Delphi's mode")

    client.diagnostics.pop(uri, None)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"modes": {"turbopascal": "FPC"}}}))
    await eventually(lambda: syntax_errors(client, uri), lambda n: n == 0,
                     "and again in Free Pascal's")

    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"modes": {"turbopascal": "objfcp"}}}))
    text = await eventually(lambda: _logged(client), lambda t: "no mode 'objfcp'" in t,
                            "a mode the definition does not name is reported")
    assert "turbopascal has no mode 'objfcp' (its modes: objfpc, fpc, delphi, tp, macpas, " \
           "iso); its default is used" in text
    await eventually(lambda: syntax_errors(client, uri), lambda n: n > 0,
                     "the definition's default, Delphi's, reads it")
