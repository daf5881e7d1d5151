"""The Python fixture (an indentation grammar with `lexical.brackets_join_lines`) through
the protocol: bound to `*.py` by a workspace's craft.toml, an open program gets its
diagnostics, hover, definition, references, rename, completion, symbols, folding and
formatting. tests/core/test_grammar_python.py checks each answer in detail."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_definition_reload import document_codes, eventually
from .test_workspace_index import edits_by_uri, position_of
from .workspaces import answer_server_requests, workspace_session

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "grammar"
MANIFEST = '[[languages]]\ndefinition = "lang/python.yaml"\nfiles = ["*.py"]\n'


@pytest_lsp.fixture(
    params=["visual_studio_code", "neovim@v0.11"],  # pull and push diagnostics
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-python-")).resolve()
    (folder / "lang").mkdir()
    shutil.copy(FIXTURES / "python.yaml", folder / "lang" / "python.yaml")
    shutil.copy(FIXTURES / "python" / "inventory.py.txt", folder / "inventory.py")
    (folder / "craft.toml").write_text(MANIFEST)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


@pytest.mark.asyncio
async def test_an_indentation_grammar_gets_the_editor_features(
        client: LanguageClient) -> None:
    path: Path = client.folder / "inventory.py"  # type: ignore[attr-defined]
    text, uri = path.read_text(), path.as_uri()
    doc = lsp.TextDocumentIdentifier(uri=uri)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))
    await eventually(lambda: document_codes(client, uri), lambda codes: codes == [],
                     "the program checks clean")
    shown = await client.text_document_hover_async(lsp.HoverParams(
        text_document=doc, position=position_of(text, "totals([shelf])")))
    assert shown is not None and "function totals(shelves)" in str(shown.contents)
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=doc, position=position_of(text, "= capacity", 2)))
    assert isinstance(found, lsp.Location) and found.range.start.line == 20
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=doc, position=position_of(text, "LIMIT"),
        context=lsp.ReferenceContext(include_declaration=True)))
    assert refs is not None and [r.range.start.line for r in refs] == [8, 20, 55, 69]
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=doc, position=position_of(text, "count=1"), new_name="amount"))
    assert edit is not None and len(edits_by_uri(edit)[uri]) == 3
    offered = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=doc, position=position_of(text, "total = 0", 5)))
    labels = [c.label for c in (offered.items if isinstance(offered, lsp.CompletionList)
                                else offered or [])]
    assert "total" in labels and "totals" in labels
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=doc))
    assert symbols is not None and {"Shelf", "totals", "run"} <= {s.name for s in symbols}
    folds = await client.text_document_folding_range_async(
        lsp.FoldingRangeParams(text_document=doc))
    assert folds is not None and (17, 47) in {(f.start_line, f.end_line) for f in folds}
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=doc, options=lsp.FormattingOptions(tab_size=4, insert_spaces=True)))
    # the program is laid out as black writes it, closers of its bracketed lists at their
    # statement's depth included: the formatter agrees on every line
    assert edits is not None and list(edits) == []
