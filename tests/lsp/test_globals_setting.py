"""The ``globals`` setting through the protocol: names a host provides (an engine's
``pico``, a window manager's ``wm``: none the definition's ``host_globals`` knows) or another
file of the program defines, known in one language's files.
It comes from ``initializationOptions.settings``, the workspace's ``craft.toml`` and
``workspace/didChangeConfiguration``; a value it cannot use is reported by name. A
global another file of the workspace assigns needs no setting (``workspace_globals``):
it is known once the index has that file, and definition, references and rename
follow it there."""

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
from .test_workspace_index import edits_by_uri, position_of
from .workspaces import answer_server_requests

SOURCE = "function pico.draw()\n  print(wm.fn, game_state, missing)\nend\n"
MANIFEST = '[settings.globals]\nlua = ["game_state"]\nlu = ["typo"]\n'
SHAPES = "Shapes = {}\nfunction Shapes.area(r) return 3 * r * r end\nfunction helper(x) return x end\n"
MAIN = "print(Shapes.area(2), helper(1), missing)\n"


@pytest_lsp.fixture(
    params=["visual_studio_code", "neovim@v0.11"],  # pull and push diagnostics
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-globals-")).resolve()
    (folder / "craft.toml").write_text(MANIFEST)
    (folder / "main.lua").write_text(SOURCE)
    (folder / "shapes.lua").write_text(SHAPES)  # globals other files use (``MAIN``)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param), root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
        initialization_options={"settings": {"globals": {"lua": ["pico", "two words"]}}}))
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
    # pico: initializationOptions; game_state: craft.toml's [settings.globals]
    assert await undefined(client, uri) == ["missing", "wm"]
    # what the server could not use is named: a name with a space, a language no one has
    # both messages: "lu" alone would match the first one's "lua"
    text = await eventually(lambda: _logged(client),
                            lambda t: "no language 'lu'" in t and "two words" in t,
                            "the unusable values are reported")
    assert "'two words' is not a name" in text
    assert "no language 'lu'" in text and "['typo']" in text

    client.diagnostics.pop(uri, None)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"globals": {"lua": ["pico", "wm"]}}}))
    # the open document is analysed again: wm is known now; craft.toml's name stays
    await eventually(lambda: undefined(client, uri), lambda names: names == ["missing"],
                     "the new setting reaches the open document")

    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"globals": ["pico"]}}))
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


@pytest.mark.asyncio
async def test_a_global_of_another_file_is_known_found_and_renamed(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    # main.lua opened with other text: open documents override the disk
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


@pytest.mark.asyncio
async def test_globals_changing_leave_other_languages_documents_alone(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    main = (folder / "main.lua").as_uri()
    other = (folder / "other.pas").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=main, language_id="lua", version=1, text=MAIN)))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=other, language_id="pascal", version=1, text="program P;\nbegin\n  Missing;\nend.\n")))
    await eventually(lambda: undefined(client, main), lambda names: names == ["missing"],
                     "the other file's globals reach the open document")
    params = lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=other))
    first = await client.text_document_diagnostic_async(params)
    assert isinstance(first, lsp.RelatedFullDocumentDiagnosticReport) and first.result_id
    # Lua's globals change: the Lua document is analysed again, the Pascal one is not (the
    # index's shared globals take the same way: ``reanalyse_documents(languages)``)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"globals": {"lua": ["missing"]}}}))
    await eventually(lambda: undefined(client, main), lambda names: names == [],
                     "the new setting reaches the Lua document")
    params.previous_result_id = first.result_id
    again = await client.text_document_diagnostic_async(params)
    assert isinstance(again, lsp.RelatedUnchangedDocumentDiagnosticReport)


@pytest.mark.asyncio
async def test_a_global_an_open_document_gains_reaches_the_other_open_documents(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    main, shapes = (folder / "main.lua").as_uri(), (folder / "shapes.lua").as_uri()
    for uri, text in ((shapes, SHAPES), (main, MAIN + "print(extra)\n")):
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="lua", version=1,
                                               text=text)))
    await eventually(lambda: undefined(client, main),
                     lambda names: names == ["extra", "missing"], "the first analysis")
    # shapes.lua gains a global in the editor, unsaved: main.lua knows it at once
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=shapes, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(
            text=SHAPES + "function extra() end\n")]))
    if uses_pull(client):  # a pull client asks for the edited document's diagnostics
        await diagnostics_for(client, shapes)
    await eventually(lambda: undefined(client, main), lambda names: names == ["missing"],
                     "the edited document's new global reaches the other open document")
