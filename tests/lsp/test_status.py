"""Status from the first second: after `initialized` a client that opted in gets one
`craftls/health` and one `experimental/serverStatus` (not quiescent while the index,
the definitions or package installs are busy), then messages on change only; and
`craftls/health` always names every service of the runbook."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import plain

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK_SERVICES = {"syntax", "types", "registry", "lsp", "memory", "cache"}
WAIT_S = 30.0


def as_dict(value: Any) -> dict[str, Any]:
    data = plain(value)
    assert isinstance(data, dict)
    return data


@pytest_lsp.fixture(
    params=["visual_studio_code", "emacs"],
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    """VS Code declares the status notification and asks for health notifications;
    Emacs (eglot) asks for health notifications only."""
    pushed: dict[str, list[dict[str, Any]]] = {"health": [], "status": []}
    lsp_client.pushed = pushed  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        return None

    @lsp_client.feature("craftls/health")
    def on_health(params: Any) -> None:
        pushed["health"].append(as_dict(params))

    @lsp_client.feature("experimental/serverStatus")
    def on_status(params: Any) -> None:
        pushed["status"].append(as_dict(params))

    capabilities = client_capabilities(request.param)
    if request.param == "visual_studio_code":
        capabilities.experimental = {"serverStatusNotification": True}
    folder = Path(tempfile.mkdtemp(prefix="craftls-status-"))  # no craft.toml: no registry
    (folder / "hello.pas").write_text("PROGRAM Hello;\nBEGIN\n  WriteLn(1)\nEND.\n")
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities, root_uri=folder.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name="status")],
        initialization_options={"notifications": {"health": True}}))
    yield request.param
    await lsp_client.shutdown_session()


async def settled(client: LanguageClient) -> dict[str, list[dict[str, Any]]]:
    """The pushed messages once the server reported itself quiescent (or, without the
    status notification, once the first health report arrived), plus a moment for any
    stray repeat to arrive."""
    pushed: dict[str, list[dict[str, Any]]] = client.pushed  # type: ignore[attr-defined]
    status_client = bool((client.capabilities.experimental or {})
                         if client.capabilities else {})
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while loop.time() < deadline:
        done = pushed["health"] and (not status_client or (
            pushed["status"] and pushed["status"][-1]["quiescent"]))
        if done:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    return pushed


@pytest.mark.asyncio
async def test_one_health_and_one_status_after_initialized(client: LanguageClient) -> None:
    pushed = await settled(client)
    assert len(pushed["health"]) == 1, pushed["health"]  # a healthy session: exactly one
    first = pushed["health"][0]
    assert first["status"] == "healthy", first["services"]
    assert set(first["services"]) >= RUNBOOK_SERVICES
    # no document open yet: the probe builds no language's tables at start-up
    assert first["services"]["syntax"]["message"] == "no language in use yet"
    if client.capabilities and client.capabilities.experimental:
        statuses = pushed["status"]
        assert statuses and statuses[-1]["quiescent"] is True
        assert all(s["health"] == "ok" for s in statuses)
        # on change only: no two messages in a row are the same
        assert all(a != b for a, b in zip(statuses, statuses[1:], strict=False))
    else:
        assert pushed["status"] == []  # the client did not declare it


@pytest.mark.asyncio
async def test_health_names_every_service_and_no_registry_is_healthy(
        client: LanguageClient) -> None:
    health = as_dict(await client.protocol.send_request_async("craftls/health", {}))
    assert set(health["services"]) >= RUNBOOK_SERVICES
    registry = health["services"]["registry"]
    assert registry["status"] == "healthy"
    assert registry["message"] == "no registry configured"
    await settled(client)  # also once the package service has started
    health = as_dict(await client.protocol.send_request_async("craftls/health", {}))
    assert health["services"]["registry"]["message"] == "no registry configured"
    assert health["status"] == "healthy"


@pytest.mark.asyncio
async def test_the_syntax_probe_parses_the_languages_in_use(client: LanguageClient) -> None:
    uri = (Path(tempfile.mkdtemp(prefix="craftls-status-")) / "open.lua").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=uri, language_id="lua", version=1, text="local x = 1\n")))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    health = as_dict(await client.protocol.send_request_async("craftls/health", {}))
    syntax = health["services"]["syntax"]
    assert (syntax["status"], syntax["message"]) == ("healthy", "canary parses ok")
    assert syntax["details"]["languages"] == 1


@pytest.mark.asyncio
async def test_status_is_busy_while_work_runs_and_sent_on_change_only() -> None:
    """The adapter alone: nothing before the first health report; then not quiescent
    while any work runs, quiescent after, and each distinct status once."""
    from craftls.lsp.operations import Operations
    ops = Operations()
    # this test process holds every earlier test's data (several hundred MiB under
    # pytest-xdist): a budget it cannot reach keeps the memory check from making the
    # level "degraded", which is not what this test is about
    ops.settings = replace(ops.settings, memory_budget_mb=1_048_576)
    ops.server_status = ops.notify_health = True
    sent: list[tuple[str, dict[str, Any]]] = []
    ops.send = lambda method, payload: sent.append((method, dict(payload)))
    ops.register_checks()
    with ops.working("indexing"):
        assert sent == []  # no status before the first health report
        await ops.monitor.run_checks("start")
        assert [m for m, _ in sent] == ["craftls/health", "experimental/serverStatus"]
        assert sent[0][1]["status"] == "healthy", sent[0][1]
        assert sent[1][1]["quiescent"] is False
        assert "indexing" in sent[1][1]["message"]
        with ops.working("install"):
            assert sent[-1][1]["message"] == "craftls: healthy (indexing, install)"
        assert sent[-1][1]["message"] == "craftls: healthy (indexing)"
    assert sent[-1][1] == {"health": "ok", "quiescent": True, "message": "craftls: healthy"}
    count = len(sent)
    await ops.monitor.run_checks("periodic")  # nothing changed: nothing sent
    assert len(sent) == count
