"""lua27 through the protocol: go-to-definition of a method a module file declares
(``local Queue = require("queue")`` ... ``jobs:push()``) answers a location in that file,
references and rename reach both files (one WorkspaceEdit), prepareRename answers at the
method's name, and hover shows a host's member (``love.graphics.print``)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_workspace_index import edits_by_uri, position_of
from .workspaces import answer_server_requests

QUEUE = """\
local Queue = {}
Queue.__index = Queue
function Queue.new() return setmetatable({items = {}}, Queue) end
function Queue:push(value) self.items[#self.items + 1] = value end
return Queue
"""
MAIN = """\
local Queue = require("queue")
local jobs = Queue.new()
jobs:push("build")
function love.draw() love.graphics.print(#jobs.items, 0, 0) end
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-lua27-")).resolve()
    (folder / "queue.lua").write_text(QUEUE)
    (folder / "main.lua").write_text(MAIN)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual_studio_code"), root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)]))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_method_another_file_declares_is_found_renamed_and_hovered(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    main, queue = (folder / "main.lua").as_uri(), (folder / "queue.lua").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=main, language_id="lua", version=1, text=MAIN)))
    at = lsp.TextDocumentIdentifier(uri=main)
    push = position_of(MAIN, "jobs:push", 6)
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=at, position=push))
    assert isinstance(found, lsp.Location) and found.uri == queue
    assert found.range.start == position_of(QUEUE, "push")
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=at, position=push, context=lsp.ReferenceContext(include_declaration=True)))
    assert sorted((r.uri, r.range.start.line) for r in refs or []) == [(main, 2), (queue, 3)]
    prepared = await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=at, position=push))
    assert prepared is not None
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=at, position=push, new_name="enqueue"))
    assert edit is not None
    files = edits_by_uri(edit)
    assert set(files) == {main, queue}
    assert [e.range.start for e in files[queue]] == [position_of(QUEUE, "push")]
    assert [e.new_text for e in files[main]] == ["enqueue"]
    shown = await client.text_document_hover_async(lsp.HoverParams(
        text_document=at, position=position_of(MAIN, "print", 1)))
    assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
    assert "love.graphics.print" in shown.contents.value
    assert "Draws text on the screen" in shown.contents.value
