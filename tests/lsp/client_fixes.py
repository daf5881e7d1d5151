"""Work-arounds for the test client (pytest-lsp over lsprotocol), not for the server."""

from __future__ import annotations

from typing import Any, Union

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

CodeActionResult = Union[lsp.Command, lsp.CodeAction]  # noqa: UP007 (the converter's key)


def read_code_actions_with_commands(client: LanguageClient) -> None:
    """lsprotocol's converter takes any `Command | CodeAction` that has a `command` key
    for a Command, so a CodeAction carrying a command (an edit plus the command to run
    after it) comes back as a broken Command. Editors tell them apart by the type of
    `command` (a string in a Command, an object in a CodeAction); do the same."""
    converter = client.protocol._converter

    def structure(obj: Any, _: Any) -> lsp.Command | lsp.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, lsp.Command)
        return converter.structure(obj, lsp.CodeAction)

    converter.register_structure_hook(CodeActionResult, structure)


def answer_refreshes(client: LanguageClient) -> None:
    """Answer the server's refresh requests as the editors do (pytest-lsp's client has no
    handler for them, although the profiles it copies declare them: Neovim's declares
    `workspace.semanticTokens.refreshSupport`). The server sends them when what it told
    the client changes without an edit: the workspace's shared globals once the index
    is built, a reloaded definition, the `globals` setting."""
    for method in (lsp.WORKSPACE_SEMANTIC_TOKENS_REFRESH, lsp.WORKSPACE_INLAY_HINT_REFRESH,
                   lsp.WORKSPACE_DIAGNOSTIC_REFRESH):
        if method not in client.protocol.fm.features:  # pytest-lsp answers some itself
            client.feature(method)(_refreshed)


def _refreshed(params: None = None) -> None:
    return None
