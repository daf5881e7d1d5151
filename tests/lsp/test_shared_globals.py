"""Globals shared by a workspace's files through the protocol (``workspace_globals``,
Lua's): an open file knows the globals another file of the workspace assigns once the
index has them (no undefined-name warning, with pull and push diagnostics), goes to
their definition in that file, and renames them there too."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_definition_reload import eventually
from .test_globals_setting import undefined
from .test_workspace_index import edits_by_uri, position_of
from .workspaces import answer_server_requests, workspace_session

SHAPES = "Shapes = {}\nfunction Shapes.area(r) return 3 * r * r end\nfunction helper(x) return x end\n"
MAIN = "print(Shapes.area(2), helper(1), missing)\n"


@pytest_lsp.fixture(
    params=["visual_studio_code", "neovim@v0.11"],  # pull and push diagnostics
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-shared-")).resolve()
    (folder / "shapes.lua").write_text(SHAPES)
    (folder / "main.lua").write_text(MAIN)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


@pytest.mark.asyncio
async def test_a_global_of_another_file_is_known_found_and_renamed(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    main, shapes = (folder / "main.lua").as_uri(), (folder / "shapes.lua").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=main, language_id="lua", version=1, text=MAIN)))
    # once the index has shapes.lua, the open file is analysed again
    await eventually(lambda: undefined(client, main), lambda names: names == ["missing"],
                     "the other file's globals reach the open document")
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=main),
        position=position_of(MAIN, "helper")))
    assert isinstance(found, lsp.Location) and found.uri == shapes
    assert found.range.start == position_of(SHAPES, "helper")
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=main),
        position=position_of(MAIN, "Shapes"),
        context=lsp.ReferenceContext(include_declaration=True)))
    assert sorted((r.uri, r.range.start.line) for r in refs or []) == [
        (main, 0), (shapes, 0), (shapes, 1)]
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=main),
        position=position_of(MAIN, "helper"), new_name="assist"))
    assert edit is not None
    files = edits_by_uri(edit)
    assert set(files) == {main, shapes}
    assert [e.range.start for e in files[shapes]] == [position_of(SHAPES, "helper")]
