"""The pytest-lsp client every protocol test module shares (a module may define its
own ``client`` to change the profiles): `craftls serve` in a subprocess, once per
client profile, initialized on the examples workspace."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .client_fixes import read_code_actions_with_commands

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs"]


@pytest_lsp.fixture(
    params=PROFILES,
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    read_code_actions_with_commands(lsp_client)

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        lsp_client.registrations = [r.method for r in params.registrations]  # type: ignore[attr-defined]

    params = lsp.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=(ROOT / "examples").as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=(ROOT / "examples").as_uri(),
                                               name="examples")],
        client_info=lsp.ClientInfo(name=request.param),
    )
    result = await lsp_client.initialize_session(params)
    lsp_client.server_capabilities = result.capabilities  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
