"""ParserCraft's Pascal-like and TeachScript configs served unchanged, in a workspace
whose craft.toml binds them: diagnostics (the config's warnings on the YAML too),
hover, definition, rename and formatting, for every client profile. One server per
profile serves the module (its tests open documents of their own, under names no other
test uses, and apply no edit), as with ``SHARED_SERVER`` in conftest.py."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_definition_reload import eventually, pushed
from .test_protocol import diagnostics_for, position_of, text_edits
from .workspaces import workspace_session

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT.parent / "shared" / "reference" / "parsercraft-configs"
PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs"]
MANIFEST = ('[[languages]]\ndefinition = "lang/pascal_like.yaml"\nfiles = ["*.pas"]\n\n'
            '[[languages]]\ndefinition = "lang/teachscript.yaml"\nfiles = ["*.teach"]\n\n'
            '[[languages]]\ndefinition = "lang/timewarp_templecode.yaml"\nfiles = ["*.ret"]\n')
PASCAL = """PROGRAM Demo;
(* a comment the config declares *)
VAR
    total : INTEGER;

FUNCTION Twice(n : INTEGER) : INTEGER;
BEGIN
    Twice := n * 2
END;

BEGIN
    total := Twice(3);
    WriteLn(total)
END.
"""
TEACH = """# TeachScript
teach twice(n):
    give_back n * 2

remember answer = twice(3)
when answer equals 6:
    say(answer)
otherwise:
    say(nothing)
"""


@pytest_lsp.fixture(
    scope="module",
    params=PROFILES,
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-parsercraft-")).resolve()
    (folder / "lang").mkdir()
    for name in ("pascal_like.yaml", "teachscript.yaml", "timewarp_templecode.yaml"):
        shutil.copy(CONFIGS / name, folder / "lang" / name)
    (folder / "craft.toml").write_text(MANIFEST)
    lsp_client.folder = folder  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        pass

    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


def open_doc(client: LanguageClient, name: str, text: str) -> str:
    folder: Path = client.folder  # type: ignore[attr-defined]
    path = folder / name
    path.write_text(text)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=path.as_uri(), language_id=path.suffix[1:], version=1, text=text)))
    return path.as_uri()


def doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


def edits_of(edit: lsp.WorkspaceEdit | None, uri: str) -> list[lsp.TextEdit]:
    assert edit is not None
    if edit.document_changes:
        return text_edits(edit.document_changes[0].edits)  # type: ignore[union-attr]
    return list((edit.changes or {})[uri])


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("name, text, callee, declared, old, new", [
    ("demo.pas", PASCAL, "Twice(3)", "Twice(n", "total", "sum"),
    ("demo.teach", TEACH, "twice(3)", "twice(n", "answer", "result"),
])
async def test_configs_serve_every_feature(client: LanguageClient, name: str, text: str,
                                          callee: str, declared: str, old: str,
                                          new: str) -> None:
    uri = open_doc(client, name, text)
    problems = [d for d in await diagnostics_for(client, uri)
                if d.severity in (lsp.DiagnosticSeverity.Error, lsp.DiagnosticSeverity.Warning)]
    assert problems == []
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=doc(uri), position=position_of(text, callee, 1)))
    assert hover is not None and declared[:5] in hover.contents.value  # type: ignore[union-attr]
    definition = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=doc(uri), position=position_of(text, callee, 1)))
    assert isinstance(definition, lsp.Location)
    assert definition.range.start == position_of(text, declared)
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=doc(uri), position=position_of(text, old), new_name=new))
    renamed = edits_of(edit, uri)
    assert len(renamed) == text.count(old) and all(e.new_text == new for e in renamed)
    formatted = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=doc(uri), options=lsp.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert not formatted  # already in the house layout: no edit


@pytest.mark.asyncio(loop_scope="module")
async def test_config_warnings_are_published_on_the_yaml(client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    uri = open_doc(client, "lesson.ret", 'SAY "hi"\n')
    await diagnostics_for(client, uri)
    yaml_uri = (folder / "lang" / "timewarp_templecode.yaml").as_uri()
    published = await eventually(lambda: pushed(client, yaml_uri), bool,
                                 "the config's warnings are published")
    assert published is not None
    messages = {d.message for d in published}
    assert any("'TO' spells both 'function' and 'to'" in m for m in messages)
    # parentheses_required: false is honoured (issue 18), so no longer reported
    assert not any("parentheses_required" in m for m in messages)
    # the grammar block is honoured (issue 13), so it is no longer reported as ignored
    assert not any("'grammar' block" in m for m in messages)
    assert {d.severity for d in published} == {lsp.DiagnosticSeverity.Warning}
