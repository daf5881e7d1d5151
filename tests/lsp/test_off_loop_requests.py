"""Hover, signature help and completion run their feature on a worker thread, not on the
event loop: each may read and analyse another file (the module of `M.f`, the file that
declares the class of `obj:m`, a workspace's annotated classes), which would stall every
other request and notification while it lasts. In process, on a server without a client:
the feature functions are wrapped to note the thread they run on. Completion is asked
twice: from the snapshot's analysis, then after an edit from the last finished analysis
(the diagnostics debounce keeps the new one pending, as in test_stale_completion.py).
Code actions make their fixes, refactorings and the package fixes' craft.toml search on
a worker thread too; the registry's part stays on the loop."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp

from craftls.features import completion as completion_feature
from craftls.features import hover as hover_feature
from craftls.lsp.handlers import documents

LUA = """local Stack = {}
Stack.__index = Stack

function Stack.new()
  return setmetatable({items = {}}, Stack)
end

function Stack:push(value, times)
  self.items[#self.items + 1] = value
end

local s = Stack.new()
s:push(1, 2)
s:p
"""


def _position(text: str, marker: str, after: int = 0) -> lsp.Position:
    at = text.index(marker) + after
    line = text.count("\n", 0, at)
    return lsp.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def _noting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str,
            threads: dict[str, int]) -> None:
    """Replace ``module.name`` by a wrapper that notes the thread it runs on."""
    original: Callable[..., Any] = getattr(module, name)

    def noted(*args: Any, **kwargs: Any) -> Any:
        threads[name] = threading.get_ident()
        return original(*args, **kwargs)
    monkeypatch.setattr(module, name, noted)


@pytest.mark.asyncio
async def test_hover_signature_help_and_completion_run_their_feature_off_the_loop(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from craftls.lsp.server import create_server

    server = create_server()
    server.protocol.client_capabilities = lsp.ClientCapabilities()  # what initialize sets
    monkeypatch.setattr(server, "text_document_publish_diagnostics", lambda params: None)
    server.debounce_seconds = 60.0  # the edited snapshot's analysis stays pending
    uri = (tmp_path / "stack.lua").as_uri()
    documents.did_open(server, lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="lua", version=1, text=LUA)))
    await server.queue.all_settled(120)
    threads: dict[str, int] = {}
    for module, name in ((hover_feature, "hover"), (hover_feature, "signature_help"),
                         (completion_feature, "complete"),
                         (completion_feature, "complete_from")):
        _noting(monkeypatch, module, name, threads)
    features = server.protocol.fm.features
    ident = lsp.TextDocumentIdentifier(uri=uri)

    hover = await features[lsp.TEXT_DOCUMENT_HOVER](lsp.HoverParams(
        text_document=ident, position=_position(LUA, "s:push", 3)))
    assert hover is not None and "push" in hover.contents.value
    help_ = await features[lsp.TEXT_DOCUMENT_SIGNATURE_HELP](lsp.SignatureHelpParams(
        text_document=ident, position=_position(LUA, "s:push(1, 2)", 10)))
    assert help_ is not None and help_.active_parameter == 1
    found = await features[lsp.TEXT_DOCUMENT_COMPLETION](lsp.CompletionParams(
        text_document=ident, position=_position(LUA, "s:p\n", 3)))
    assert "push" in [item.label for item in found.items]

    documents.did_change(server, lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=0, character=0),
                            end=lsp.Position(line=0, character=0)),
            text="-- a stack\n")]))
    try:
        found = await features[lsp.TEXT_DOCUMENT_COMPLETION](lsp.CompletionParams(
            text_document=ident, position=_position("-- a stack\n" + LUA, "s:p\n", 3)))
    finally:
        for pending in server.pending.values():
            pending.cancel()
    assert "push" in [item.label for item in found.items]

    loop_thread = threading.get_ident()  # the event loop runs the test
    assert set(threads) == {"hover", "signature_help", "complete", "complete_from"}
    assert all(thread != loop_thread for thread in threads.values()), threads


PASCAL = "PROGRAM P;\nUSES MathLib;\nVAR x: Integer;\nBEGIN\n  x := 1;\nEND.\n"


@pytest.mark.asyncio
async def test_code_action_makes_its_fixes_and_reads_craft_toml_off_the_loop(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Quick fixes, refactorings and the package fixes' craft.toml (looked for up the
    folder tree and read, the analysis's unresolved imports) are made on a worker thread;
    the registry's part (``package_fixes``: its caches, a fetch task on a miss) stays on
    the loop, which the registry service belongs to. The package service is stood in
    for: only where each part runs is looked at here (test_registry_session.py has
    what the fixes say)."""
    from craftls.features import quickfix, refactor
    from craftls.lsp import packages
    from craftls.lsp.server import create_server

    server = create_server()
    server.protocol.client_capabilities = lsp.ClientCapabilities()  # what initialize sets
    monkeypatch.setattr(server, "text_document_publish_diagnostics", lambda params: None)
    (tmp_path / "craft.toml").write_text("[dependencies]\n", encoding="utf-8")
    folder = tmp_path / "src"
    folder.mkdir()
    uri = (folder / "uses.pas").as_uri()
    documents.did_open(server, lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="pascal", version=1, text=PASCAL)))
    await server.queue.all_settled(120)
    doc = server.document(uri)
    assert doc is not None
    assert "unresolved-import" in {d.code for d in doc.analysis().diagnostics}

    threads: dict[str, int] = {}
    for module, name in ((quickfix, "quick_fixes"), (refactor, "refactor_actions"),
                         (packages, "find_manifest"), (packages, "unresolved_imports")):
        _noting(monkeypatch, module, name, threads)
    asked: list[tuple[Path, list[str]]] = []

    def package_fixes(service: object, root: Path, modules: Any) -> list[Any]:
        threads["package_fixes"] = threading.get_ident()
        asked.append((root, list(modules)))
        return []
    monkeypatch.setattr(packages, "package_fixes", package_fixes)
    monkeypatch.setattr(packages, "manager",
                        lambda server: type("Packages", (), {"service": object()})())

    features = server.protocol.fm.features
    actions = await features[lsp.TEXT_DOCUMENT_CODE_ACTION](lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0),
                        end=_position(PASCAL, "1;", 1)),
        context=lsp.CodeActionContext(diagnostics=[])))
    assert isinstance(actions, list)
    assert asked == [(tmp_path, ["MathLib"])]  # craft.toml found above the file

    loop_thread = threading.get_ident()  # the event loop runs the test
    assert set(threads) == {"quick_fixes", "refactor_actions", "find_manifest",
                            "unresolved_imports", "package_fixes"}
    assert threads["package_fixes"] == loop_thread
    off = {name: t for name, t in threads.items() if name != "package_fixes"}
    assert all(thread != loop_thread for thread in off.values()), threads
