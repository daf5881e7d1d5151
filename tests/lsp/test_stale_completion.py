"""Completion while a newer analysis is pending (issue 19, item 6): the server answers
from the last finished analysis, with positions mapped through the edits made since,
instead of analysing the new snapshot first. The diagnostics debounce is set to its
maximum (10 s), so the new snapshot's analysis stays pending while the test asks."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import open_doc
from .test_protocol import position_of, uses_pull

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """PROGRAM Stale;
VAR
  Total, Count : INTEGER;

FUNCTION Twice(Amount : INTEGER) : INTEGER;
BEGIN
  Twice := Amount * 2
END;

BEGIN
  Total := 0;
  Count := Twice(Total);
  WriteLn(Total)
END.
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(lsp_client: LanguageClient):
    """A push client (VS Code's profile) whose diagnostics wait 10 s after each change."""
    settings = {"diagnostics_debounce_ms": 10_000}
    lsp_client.set_configuration(settings, section="craftls")  # asked after initialized

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        return None
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual_studio_code"),
        root_uri=(ROOT / "examples").as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=(ROOT / "examples").as_uri(),
                                               name="examples")],
        initialization_options={"settings": settings}))
    yield
    await lsp_client.shutdown_session()


async def first_diagnostics(client: LanguageClient, uri: str) -> None:
    """An opened document is analysed at once (no debounce): wait for that analysis."""
    for _ in range(600):
        if client.diagnostics.get(uri) is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the opened document's diagnostics never came")


def insert(at: lsp.Position, text: str) -> lsp.TextDocumentContentChangePartial:
    return lsp.TextDocumentContentChangePartial(range=lsp.Range(start=at, end=at), text=text)


async def complete(client: LanguageClient, uri: str, at: lsp.Position) -> lsp.CompletionList:
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=at))
    assert isinstance(result, lsp.CompletionList)
    return result


@pytest.mark.asyncio
async def test_completion_answers_from_the_last_analysis_while_a_newer_one_is_pending(
        client: LanguageClient) -> None:
    assert not uses_pull(client)
    uri = open_doc(client, PROGRAM, "stale_completion.pas")
    await first_diagnostics(client, uri)
    # three lines above the function, then `  To` on a new line of the main block
    header = "{ one }\n{ two }\n{ three }\n"
    before_function = position_of(PROGRAM, "FUNCTION Twice")
    main_end = position_of(PROGRAM, "END.")
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[insert(main_end, "  ;\n"), insert(before_function, header)]))
    text = PROGRAM.replace("END.", "  ;\nEND.").replace("FUNCTION Twice",
                                                         header + "FUNCTION Twice")
    line = position_of(text, "  ;\nEND.").line
    for version, typed in enumerate(("T", "o"), start=3):
        at = lsp.Position(line=line, character=2 + version - 3)
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[insert(at, typed)]))
    result = await complete(client, uri, lsp.Position(line=line, character=4))
    labels = [item.label for item in result.items]
    # the file's names, filtered by the prefix typed since the analysis; marked
    # incomplete so that the client asks again once the newer analysis is there
    assert labels[0] == "Total" and "Count" not in labels and "Twice" not in labels
    assert result.is_incomplete
    # inside the function, whose offsets moved with the three lines above it: its
    # parameter is in scope (the cursor was mapped into the analysed text)
    inside = position_of(text, "Amount * 2")
    names = {item.label for item in (await complete(client, uri, inside)).items}
    assert {"Amount", "Twice", "Total", "Count"} <= names


@pytest.mark.asyncio
async def test_completion_reads_the_current_analysis_once_it_is_done(
        client: LanguageClient) -> None:
    uri = open_doc(client, PROGRAM, "fresh_completion.pas")
    await first_diagnostics(client, uri)
    result = await complete(client, uri, position_of(PROGRAM, "Total := 0", 2))
    assert [item.label for item in result.items][:1] == ["Total"]
    assert not result.is_incomplete
