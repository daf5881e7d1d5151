"""What the protocol tests that need a workspace of their own share: a session
initialized on a temporary folder, and a big generated program."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient


async def workspace_session(client: LanguageClient, folder: Path,
                            capabilities: lsp.ClientCapabilities, client_name: str,
                            ) -> AsyncIterator[None]:
    """Initialize ``client`` on ``folder`` (root and only workspace folder); shut it
    down and remove the folder after the test. Yields once: use it with ``yield from``
    semantics (``async for _ in workspace_session(...): yield``)."""
    await client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities, root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
        client_info=lsp.ClientInfo(name=client_name)))
    try:
        yield
    finally:
        await client.shutdown_session()
        shutil.rmtree(folder, ignore_errors=True)


def answer_server_requests(client: LanguageClient) -> None:
    """Answer the requests a server sends an editor: its registrations are recorded in
    ``client.registrations`` (their ids), its refresh requests (semantic tokens, inlay
    hints: a reload asks clients that declare refreshSupport to ask again) accepted."""
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        client.registrations.extend(r.id for r in params.registrations)  # type: ignore[attr-defined]

    @client.feature(lsp.WORKSPACE_SEMANTIC_TOKENS_REFRESH)
    def semantic_tokens_refresh(params: None) -> None:
        pass

    @client.feature(lsp.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params: None) -> None:
        pass


def big_program(functions: int) -> str:
    """A Pascal program of ``functions`` small functions, ~7 lines each."""
    out = ["PROGRAM Big;", "VAR Total : INTEGER;"]
    for n in range(functions):
        out += [f"FUNCTION F{n}(A, B : INTEGER) : INTEGER;", "VAR T : INTEGER;", "BEGIN",
                f"  T := A * {n % 7 + 1} + B DIV 2;", "  IF T > 100 THEN T := T MOD 100;",
                f"  F{n} := T", "END;"]
    return "\n".join(out + ["BEGIN", "  Total := F0(1, 2);", "  WriteLn(Total)", "END."]) + "\n"
