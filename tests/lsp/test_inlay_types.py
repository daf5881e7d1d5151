"""Inferred-type inlay hints through the protocol, on both kinds of language (issue 13):
a Lua document (grammar-defined) and a Teachlang one (keyword-level) show the type of a
variable declared without one, and the one setting (``inlayHints.types``) turns both
off."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .workspaces import answer_server_requests

DOCUMENTS = {
    "file:///inlay/main.lua": ("lua", 'local width = 3\nlocal name = "box"\nprint(width, name)\n'),
    "file:///inlay/main.teach": ("teachlang", "remember width = 3\nshow(width)\n"),
}


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(lsp_client: LanguageClient):
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual_studio_code")))
    yield
    await lsp_client.shutdown_session()


async def type_hints(client: LanguageClient, uri: str) -> list[tuple[int, int, str]]:
    end = lsp.Position(line=10, character=0)
    hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=end)))
    return [(h.position.line, h.position.character, str(h.label)) for h in hints or []
            if h.kind == lsp.InlayHintKind.Type]


@pytest.mark.asyncio
async def test_both_kinds_show_inferred_types_under_one_setting(client: LanguageClient) -> None:
    for uri, (language, text) in DOCUMENTS.items():
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=1,
                                               text=text)))
    assert await type_hints(client, "file:///inlay/main.lua") == [
        (0, 11, ": integer"), (1, 10, ": string")]
    assert await type_hints(client, "file:///inlay/main.teach") == [(0, 14, ": int")]
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"inlayHints": {"types": False}}}))
    for uri in DOCUMENTS:
        assert await type_hints(client, uri) == []
