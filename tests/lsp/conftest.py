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
on the module's event loop (``@pytest.mark.asyncio(loop_scope="module")``). The
``docs`` fixture (`Opened`) opens a test's documents and closes them when it ends,
waiting until the server holds none: what keeps such tests apart when they read the
server's document counts or a push client's diagnostics."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .client_fixes import answer_refreshes, read_code_actions_with_commands

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


def _client_fixture(scope: str, capabilities: Callable[[lsp.ClientCapabilities], None]
                    | None = None) -> Any:
    """The examples-workspace client, one server per test (``function``) or per module
    and profile (``module``); ``capabilities`` changes the profile's."""

    @pytest_lsp.fixture(
        scope=scope,
        config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
    )
    async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
        profile = request.param
        read_code_actions_with_commands(lsp_client)
        answer_refreshes(lsp_client)

        @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register_capability(params: lsp.RegistrationParams) -> None:
            lsp_client.registrations = [r.method for r in params.registrations]  # type: ignore[attr-defined]

        declared = client_capabilities(profile)
        if capabilities is not None:
            capabilities(declared)
        params = lsp.InitializeParams(
            capabilities=declared,
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


def shared_client(capabilities: Callable[[lsp.ClientCapabilities], None] | None = None
                  ) -> Any:
    """A module's ``client`` served by one server per profile (see the docstring), with
    the profile's capabilities as ``capabilities`` changes them."""
    return _client_fixture("module", capabilities)


def plain(value: Any) -> Any:
    """Custom responses arrive as named tuples; compare them as plain data."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def open_doc(client: LanguageClient, text: str, name: str = "test.pas") -> str:
    uri = (ROOT / "examples" / "pascal" / name).as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="pascal", version=1, text=text)))
    return uri


def close_doc(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))


async def open_documents(client: LanguageClient) -> Any:
    """The server's count of open documents and of documents still being opened."""
    stats = plain(await client.protocol.send_request_async("craftls/stats", {}))
    return stats["caches"]["documents"]


class Opened:
    """The documents one test opens on the module's shared server; ``close_all`` (the
    ``docs`` fixture's teardown) closes them and waits until the server holds none."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.uris: list[str] = []

    def open(self, text: str, name: str) -> str:
        """A Pascal document at examples/pascal/``name`` (a name no other test uses)."""
        uri = open_doc(self.client, text, name)
        self.uris.append(uri)
        return uri

    def open_file(self, path: Path, language_id: str) -> str:
        """A file of the examples as it is on disk, under its own URI."""
        uri = path.as_uri()
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language_id, version=1,
                                               text=path.read_text())))
        self.uris.append(uri)
        return uri

    def close(self, uri: str) -> None:
        close_doc(self.client, uri)
        self.uris.remove(uri)

    async def close_all(self) -> None:
        for uri in self.uris:
            close_doc(self.client, uri)
        for _ in range(600):  # a close is queued behind the document's open and changes
            if await open_documents(self.client) == {"size": 0, "pending": 0}:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the server still holds documents after closing {self.uris}")


@pytest_asyncio.fixture(loop_scope="module")
async def docs(client: LanguageClient) -> AsyncIterator[Opened]:
    opened = Opened(client)
    yield opened
    await opened.close_all()
