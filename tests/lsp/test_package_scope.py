"""A package that spans its folder (``structure.package_scope: folder``) through the
protocol: the Go fixture bound to `*.go` by a workspace's craft.toml; once the index has
the package's files, an open file knows its siblings' top-level names (diagnostics,
definition, references, rename, completion), and not another folder's.
tests/core/test_package_scope.py checks each answer in detail."""

from __future__ import annotations

import shutil
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

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "grammar"
MANIFEST = '[[languages]]\ndefinition = "lang/go.yaml"\nfiles = ["*.go"]\n'


@pytest_lsp.fixture(
    params=["visual_studio_code", "neovim@v0.11"],  # pull and push diagnostics
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-package-")).resolve()
    (folder / "lang").mkdir()
    shutil.copy(FIXTURES / "go.yaml", folder / "lang" / "go.yaml")
    shutil.copytree(FIXTURES / "go" / "geo", folder / "geo")
    (folder / "craft.toml").write_text(MANIFEST)
    lsp_client.folder = folder  # type: ignore[attr-defined]
    answer_server_requests(lsp_client)
    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


def open_file(client: LanguageClient, path: Path) -> tuple[str, str]:
    text = path.read_text()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=path.as_uri(), language_id="go", version=1, text=text)))
    return path.as_uri(), text


@pytest.mark.asyncio
async def test_a_package_s_files_share_their_names(client: LanguageClient) -> None:
    geo: Path = client.folder / "geo"  # type: ignore[attr-defined]
    walk, text = open_file(client, geo / "walk.go")
    vec = (geo / "vec.go").as_uri()
    await eventually(lambda: undefined(client, walk), lambda names: names == ["Len", "math"],
                     "the package's other files' names reach the open document")
    found = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=walk), position=position_of(text, "Add(")))
    assert isinstance(found, lsp.Location) and found.uri == vec
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=walk), position=position_of(text, "Add("),
        new_name="Plus"))
    assert edit is not None and set(edits_by_uri(edit)) == {walk, vec}
    main, _ = open_file(client, geo / "cmd" / "main.go")  # a subfolder: another package
    await eventually(lambda: undefined(client, main), lambda names: names == ["Add", "Walk"],
                     "a subfolder's file does not see the package's names")
