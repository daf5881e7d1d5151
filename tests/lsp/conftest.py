"""The pytest-lsp client every protocol test module shares (a module may define its
own ``client`` to change the profiles): `craftls serve` in a subprocess, initialized on
the examples workspace.

The profiles differ in what the server does for them: pull or push diagnostics,
versioned workspace edits (``documentChanges``) or not, the position encoding, watched
files or polling. A test that exercises one of those differences is marked
``every_client`` and runs once per profile; the others run with the first profile only
(each run starts a server process).

A module whose tests each open documents of their own (distinct URIs) and read nothing
the others change sets ``SHARED_SERVER = True`` and takes ``client =
shared_client()``: one server per profile serves the whole module, and its tests run
on the module's event loop (``@pytest.mark.asyncio(loop_scope="module")``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .client_fixes import read_code_actions_with_commands

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ["visual_studio_code", "neovim@v0.11", "emacs"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the shared ``client`` by profile (a module's own ``client`` chooses
    its profiles itself, unless it is ``shared_client()``)."""
    shared = getattr(metafunc.module, "SHARED_SERVER", False)
    if "client" not in metafunc.fixturenames or \
            (hasattr(metafunc.module, "client") and not shared):
        return
    every = metafunc.definition.get_closest_marker("every_client") is not None
    metafunc.parametrize("client", PROFILES if every else PROFILES[:1], indirect=True,
                         scope="module" if shared else "function")


def _client_fixture(scope: str) -> Any:
    """The examples-workspace client, one server per test (``function``) or per module
    and profile (``module``)."""

    @pytest_lsp.fixture(
        scope=scope,
        config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
    )
    async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
        profile = request.param
        read_code_actions_with_commands(lsp_client)

        @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register_capability(params: lsp.RegistrationParams) -> None:
            lsp_client.registrations = [r.method for r in params.registrations]  # type: ignore[attr-defined]

        params = lsp.InitializeParams(
            capabilities=client_capabilities(profile),
            root_uri=(ROOT / "examples").as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=(ROOT / "examples").as_uri(),
                                                   name="examples")],
            client_info=lsp.ClientInfo(name=profile),
        )
        result = await lsp_client.initialize_session(params)
        lsp_client.server_capabilities = result.capabilities  # type: ignore[attr-defined]
        yield
        await lsp_client.shutdown_session()

    return client


client = _client_fixture("function")


def shared_client() -> Any:
    """A module's ``client`` served by one server per profile (see the docstring)."""
    return _client_fixture("module")
