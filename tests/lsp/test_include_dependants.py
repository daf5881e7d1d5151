"""An open file that another one includes is analysed again when what it sees from its
includer changes: an edit of the includer in the editor (its unsaved text is what the
included file reads), its close (the disk's text again), and a disk change of a sibling
include reported by the client. In process, with a push client's capabilities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp

from .test_document_flow import quiet_server, replace, settle

__all__ = ["quiet_server"]  # the fixture, used by name

LIB_BI = "CONST Limit = 10\nDIM SHARED Total AS INTEGER\n"
LIB_BM = "SUB Add (n AS INTEGER)\n    IF n < Limit THEN Total = Total + n * Scale\nEND SUB\n"
MAIN = "'$INCLUDE: 'lib.bi'\nDIM SHARED Scale AS INTEGER\nAdd 3\n'$INCLUDE: 'lib.bm'\n"


def undefined(sent: list[lsp.PublishDiagnosticsParams], uri: str) -> set[str]:
    last = [p for p in sent if p.uri == uri][-1]
    return {d.message.split("'")[1] for d in last.diagnostics if d.code == "undefined-name"}


@pytest.mark.asyncio
async def test_an_included_file_is_analysed_again_when_its_includer_or_a_sibling_changes(
        quiet_server: tuple[Any, list[lsp.PublishDiagnosticsParams]], tmp_path: Path) -> None:
    from craftls.lsp.handlers import documents, workspace

    server, sent = quiet_server
    server.initialized = True
    for name, text in (("lib.bi", LIB_BI), ("lib.bm", LIB_BM), ("main.bas", MAIN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    lib, main = (tmp_path / "lib.bm").as_uri(), (tmp_path / "main.bas").as_uri()
    documents.did_open(server, lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=lib, language_id="qbasic", version=1, text=LIB_BM)))
    await settle(server)
    assert undefined(sent, lib) == set()

    # the includer is opened and edited: its unsaved text no longer declares Scale
    documents.did_open(server, lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=main, language_id="qbasic", version=1, text=MAIN)))
    await settle(server)
    published = len(sent)
    documents.did_change(server, lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=main, version=2),
        content_changes=[replace(MAIN, "DIM SHARED Scale", "DIM SHARED Scope")]))
    await settle(server)
    assert lib in {p.uri for p in sent[published:]}
    assert undefined(sent, lib) == {"Scale"}

    # closed without saving: the disk's text again
    documents.did_close(server, lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=main)))
    await settle(server)
    assert undefined(sent, lib) == set()

    # a sibling include changed on disk (a watched-file event)
    (tmp_path / "lib.bi").write_text(LIB_BI.replace("CONST Limit = 10\n", ""), encoding="utf-8")
    workspace.apply_file_events(server, [lsp.FileEvent(
        uri=(tmp_path / "lib.bi").as_uri(), type=lsp.FileChangeType.Changed)])
    await settle(server)
    assert undefined(sent, lib) == {"Limit"}
