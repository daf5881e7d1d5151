"""A grammar written from the docs alone, served to the three editors' clients (issue
13): the Oberon-07 fixture bound to `*.ob07` by a workspace's craft.toml, and one round
of requests per client profile: diagnostics, hover, definition, rename, completion after
a dot, an imported module's names, signature help, symbols, folding, semantic tokens and
formatting. tests/core/test_grammar_oberon.py checks each answer in detail; this checks
that they reach a client through the protocol."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_protocol import diagnostics_for
from .workspaces import answer_server_requests, workspace_session

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "grammar"
PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs"]
MANIFEST = '[[languages]]\ndefinition = "lang/oberon07.yaml"\nfiles = ["*.ob07"]\n'


@pytest_lsp.fixture(
    params=PROFILES,
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-oberon-")).resolve()
    (folder / "lang").mkdir()
    shutil.copy(FIXTURES / "oberon07.yaml", folder / "lang" / "oberon07.yaml")
    for program in (FIXTURES / "oberon").glob("*.ob07"):
        shutil.copy(program, folder / program.name)
    (folder / "craft.toml").write_text(MANIFEST)
    lsp_client.folder = folder  # type: ignore[attr-defined]

    answer_server_requests(lsp_client)

    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


def position_of(text: str, snippet: str, into: int = 0) -> lsp.Position:
    offset = text.index(snippet) + into
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=path.as_uri(), language_id="oberon07", version=1,
        text=path.read_text() if text is None else text)))
    return path.as_uri()


def document(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


@pytest.mark.asyncio
async def test_one_round_of_every_feature(client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    shapes = folder / "Shapes.ob07"
    text = shapes.read_text()
    uri = open_file(client, shapes)
    assert await diagnostics_for(client, uri) == []

    found = await client.text_document_hover_async(lsp.HoverParams(
        text_document=document(uri), position=position_of(text, "n.value", 2)))
    assert found is not None and "field value" in str(found.contents)

    target = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=document(uri), position=position_of(text, "END Swap", 4)))
    assert target is not None
    locations = target if isinstance(target, list) else [target]
    assert [(loc.range.start.line, loc.range.start.character) for loc in locations
            if isinstance(loc, lsp.Location)] == [(25, 10)]  # PROCEDURE Swap

    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=document(uri), position=position_of(text, "Swap("),
        new_name="Exchange"))
    assert edit is not None
    changed = edit.changes[uri] if edit.changes else [
        e for change in edit.document_changes or []
        if isinstance(change, lsp.TextDocumentEdit) for e in change.edits]
    assert len(changed) == 3  # the heading, `END Swap` and the call

    tokens = await client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(text_document=document(uri)))
    assert tokens is not None and len(tokens.data) > 0

    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=document(uri)))
    assert symbols is not None and "Push" in [s.name for s in symbols]

    folds = await client.text_document_folding_range_async(
        lsp.FoldingRangeParams(text_document=document(uri)))
    assert folds is not None and (25, 29) in [(f.start_line, f.end_line) for f in folds]

    signature = await client.text_document_signature_help_async(lsp.SignatureHelpParams(
        text_document=document(uri), position=position_of(text, "row, Max", 5)))
    assert signature is not None and signature.signatures[0].label == (
        "procedure Sum(v: ARRAY OF INTEGER, n: INTEGER): INTEGER")
    assert signature.active_parameter == 1
    library = await client.text_document_signature_help_async(lsp.SignatureHelpParams(
        text_document=document(uri), position=position_of(text, "list.value, 0", 12)))
    assert library is not None and library.signatures[0].label.startswith("Out.Int(")
    assert library.active_parameter == 1

    formatted = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=document(uri), options=lsp.FormattingOptions(tab_size=2,
                                                                    insert_spaces=True)))
    assert not formatted  # the fixture is formatted already

    main = folder / "Main.ob07"
    main_text = main.read_text().replace("Counters.Next()", "Counters.()")
    main_uri = open_file(client, main, main_text)
    listed = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=document(main_uri),
        position=position_of(main_text, "Counters.()", len("Counters."))))
    items = listed.items if isinstance(listed, lsp.CompletionList) else listed or []
    assert [i.label for i in items] == ["Next", "count"]  # only the exported names
    # the edit left `Counters.()` without a name: one syntax error, nothing else
    assert [d.code for d in await diagnostics_for(client, main_uri)] == ["syntax"]
