"""workspace/diagnostic through the real protocol: files of the workspace that were never
opened are read from disk and reported, open documents as edited, and the result ids a
client sends back give `unchanged` reports until a file changes (on disk or in the
editor)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .test_document_flow import replace
from .workspaces import workspace_session

PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs"]
GOOD = "PROGRAM Good;\nVAR N : INTEGER;\nBEGIN\n  N := 1;\n  WriteLn(N)\nEND.\n"
BAD = "PROGRAM Bad{n};\nBEGIN\n  WriteLn(Missing{n})\nEND.\n"
OPENED = "PROGRAM Opened;\nBEGIN\n  WriteLn(Absent)\nEND.\n"

Report = lsp.WorkspaceFullDocumentDiagnosticReport | lsp.WorkspaceUnchangedDocumentDiagnosticReport


@pytest_lsp.fixture(
    params=PROFILES,
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    folder = Path(tempfile.mkdtemp(prefix="craftls-wsdiag-")).resolve()
    (folder / "good.pas").write_text(GOOD)
    (folder / "src").mkdir()
    for n in range(2):
        (folder / "src" / f"bad{n}.pas").write_text(BAD.format(n=n))
    (folder / "opened.pas").write_text(OPENED)
    (folder / "notes.txt").write_text("not a source file\n")
    lsp_client.folder = folder  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        pass

    async for _ in workspace_session(lsp_client, folder, client_capabilities(request.param),
                                     request.param):
        yield


async def indexed(client: LanguageClient, programs: set[str]) -> None:
    """The background index knows every file (each one's program is a symbol)."""
    for _ in range(400):
        found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query=""))
        if programs <= {s.name for s in found or []}:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the workspace was never indexed")


async def workspace_reports(client: LanguageClient, previous: dict[str, str]
                            ) -> dict[str, Report]:
    result = await client.workspace_diagnostic_async(lsp.WorkspaceDiagnosticParams(
        previous_result_ids=[lsp.PreviousResultId(uri=u, value=v) for u, v in previous.items()]))
    return {r.uri: r for r in result.items}


def result_ids(reports: dict[str, Report]) -> dict[str, str]:
    return {uri: r.result_id for uri, r in reports.items() if r.result_id}


def messages(report: Report) -> list[str]:
    assert isinstance(report, lsp.WorkspaceFullDocumentDiagnosticReport)
    return [d.message for d in report.items if d.code == "undefined-name"]


@pytest.mark.asyncio
async def test_workspace_diagnostics_cover_unopened_files_and_honour_result_ids(
        client: LanguageClient) -> None:
    folder: Path = client.folder  # type: ignore[attr-defined]
    opened, bad0, bad1 = (folder / "opened.pas", folder / "src" / "bad0.pas",
                          folder / "src" / "bad1.pas")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=opened.as_uri(), language_id="pascal", version=1, text=OPENED)))
    await indexed(client, {"Good", "Bad0", "Bad1", "Opened"})

    first = await workspace_reports(client, {})
    assert set(first) == {(folder / "good.pas").as_uri(), bad0.as_uri(), bad1.as_uri(),
                          opened.as_uri()}
    assert messages(first[(folder / "good.pas").as_uri()]) == []
    assert len(messages(first[bad0.as_uri()])) == 1 and "Missing0" in messages(
        first[bad0.as_uri()])[0]
    assert first[bad0.as_uri()].version is None  # from disk
    assert first[opened.as_uri()].version == 1 and "Absent" in messages(
        first[opened.as_uri()])[0]

    again = await workspace_reports(client, result_ids(first))
    assert set(again) == set(first)
    assert all(isinstance(r, lsp.WorkspaceUnchangedDocumentDiagnosticReport)
               for r in again.values())
    assert result_ids(again) == result_ids(first)

    # a file fixed on disk (not open, no watcher event) and an edit in the editor
    bad1.write_text(GOOD.replace("Good", "Fixed"))
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=opened.as_uri(), version=2),
        content_changes=[replace(OPENED, "Absent", "Gone")]))
    third = await workspace_reports(client, result_ids(first))
    assert messages(third[bad1.as_uri()]) == []
    assert third[bad1.as_uri()].result_id != first[bad1.as_uri()].result_id
    assert third[opened.as_uri()].version == 2 and "Gone" in messages(third[opened.as_uri()])[0]
    unchanged = {u for u, r in third.items()
                 if isinstance(r, lsp.WorkspaceUnchangedDocumentDiagnosticReport)}
    assert unchanged == {(folder / "good.pas").as_uri(), bad0.as_uri()}

    # a closed document is reported from the disk again
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=opened.as_uri())))
    closed = await workspace_reports(client, result_ids(third))
    assert closed[opened.as_uri()].version is None
    assert "Absent" in messages(closed[opened.as_uri()])[0]
