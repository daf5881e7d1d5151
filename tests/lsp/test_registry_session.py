"""The registry through the real protocol: `craftls serve` in a subprocess, a real
loopback registry (stopped and restarted mid-session), background installs with
`$/progress`, `craftls.install`, health, stats, audit and SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
import pytest_asyncio
from lsprotocol import types as lsp
from pygls.protocol import JsonRPCNotification, JsonRPCResponseMessage
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from craftls.registry.builder import build_registry
from craftls.registry.static_server import RegistryHTTPServer, RegistryRequestHandler

from .client_fixes import answer_refreshes, read_code_actions_with_commands
from .conftest import plain

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "examples" / "registry-packages"
MAIN = """PROGRAM Main;
USES MathLib;
VAR X : INTEGER;
BEGIN
  X := MathLib.Square(3);
  WriteLn(X)
END.
"""
T = TypeVar("T")


class LoopbackRegistry:
    """A built registry served on 127.0.0.1 that can be stopped (listening socket and
    open keep-alive connections closed: a real outage) and restarted on the same port.
    ``delay`` holds every archive download that long (a slow registry)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = 0
        self.delay = 0.0
        self.httpd: RegistryHTTPServer | None = None
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        owner = self

        class Handler(RegistryRequestHandler):
            def setup(self) -> None:
                super().setup()
                with owner.lock:
                    owner.connections.add(self.connection)

            def finish(self) -> None:
                with owner.lock:
                    owner.connections.discard(self.connection)
                super().finish()

            def do_GET(self) -> None:  # noqa: N802
                if owner.delay and self.path.endswith(".tar.gz"):
                    time.sleep(owner.delay)
                super().do_GET()

        self.httpd = RegistryHTTPServer(("127.0.0.1", self.port),
                                        partial(Handler, directory=os.fspath(self.root)))
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/index.json"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.httpd is None:
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.lock:
            open_connections = list(self.connections)
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.httpd = None


@pytest.fixture
def registry(tmp_path: Path) -> Any:
    src = tmp_path / "packages"
    for name in ("mathlib", "strutils"):
        shutil.copytree(PACKAGES / name, src / name)
    build_registry(src, tmp_path / "registry")
    served = LoopbackRegistry(tmp_path / "registry")
    served.start()
    yield served
    served.stop()


def make_workspace(tmp_path: Path, registry: LoopbackRegistry, deps: dict[str, str]) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    lines = ["[registry]", f'urls = ["{registry.url}"]', "", "[dependencies]"]
    lines += [f'{name} = "{req}"' for name, req in deps.items()]
    (ws / "craft.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (ws / "main.pas").write_text(MAIN, encoding="utf-8")
    return ws


class Session:
    """A pytest-lsp client for one workspace, with the dirs the server writes to."""

    def __init__(self, client: LanguageClient, ws: Path, cache: Path, log: Path) -> None:
        self.client = client
        self.ws = ws
        self.cache = cache
        self.log = log
        self.health_notes: list[dict[str, Any]] = []

    async def request(self, method: str, params: Any) -> Any:
        return plain(await self.client.protocol.send_request_async(method, params))

    async def audit(self, event_type: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = await self.request(
            "craftls/auditLog", {"limit": 500, "eventType": event_type})
        return records


async def eventually(probe: Callable[[], Awaitable[T]], ok: Callable[[T], bool],
                     what: str, seconds: float = 30.0) -> T:
    """Ask until the answer is right; fail with the last answer (no timing assertion:
    the deadline only keeps a broken server from hanging the test run)."""
    deadline = time.monotonic() + seconds
    last: T = await probe()
    while not ok(last):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: last answer {last!r}")
        await asyncio.sleep(0.1)
        last = await probe()
    return last


@pytest_asyncio.fixture
async def open_session(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[Session]]]:
    clients: list[LanguageClient] = []

    async def start(ws: Path, settings: dict[str, Any] | None = None) -> Session:
        cache, log = tmp_path / "cache", tmp_path / "log"
        env = {**os.environ, "CRAFTLS_CACHE_DIR": str(cache), "CRAFTLS_LOG_DIR": str(log),
               "CRAFTLS_CONFIG_DIR": str(tmp_path / "config")}
        env.pop("CRAFTLS_REGISTRY_TOKEN", None)
        config = ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"],
                                    server_env=env)
        client = await config.start()
        assert isinstance(client, LanguageClient)
        read_code_actions_with_commands(client)
        answer_refreshes(client)
        # keep craftls/* answers as plain JSON: pygls would turn objects into named
        # tuples, renaming keys such as "127.0.0.1:8765" (a breaker's host) to "_0"
        converter = client.protocol._converter
        converter.register_structure_hook(JsonRPCResponseMessage, lambda obj, cls: cls(**obj))
        converter.register_structure_hook(JsonRPCNotification, lambda obj, cls: cls(**obj))
        clients.append(client)
        session = Session(client, ws, cache, log)

        @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register_capability(params: lsp.RegistrationParams) -> None:
            pass

        @client.feature("craftls/health")
        def health_notification(params: Any) -> None:
            session.health_notes.append(plain(params))

        await client.initialize_session(lsp.InitializeParams(
            capabilities=client_capabilities("visual_studio_code"),
            root_uri=ws.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=ws.as_uri(), name="ws")],
            initialization_options={"settings": settings or {},
                                    "notifications": {"health": True}},
            client_info=lsp.ClientInfo(name="pytest-lsp")))
        return session

    yield start
    for client in clients:
        if client._server is not None and client._server.returncode is None:
            await client.shutdown_session()
        await client.stop()


def installs(records: list[dict[str, Any]], outcome: str) -> list[dict[str, Any]]:
    return [r for r in records if r["action"] == "install" and r["outcome"] == outcome]


async def completion_labels(session: Session, uri: str, text: str, needle: str) -> set[str]:
    offset = text.index(needle) + len(needle)
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    result = await session.client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=lsp.Position(line=line, character=col)))
    assert result is not None
    items = result.items if isinstance(result, lsp.CompletionList) else result
    return {item.label for item in items}


def install_progress(client: LanguageClient) -> list[list[Any]]:
    """The `$/progress` values of every install (other work reports progress too)."""
    return [list(values) for values in client.progress_reports.values()
            if values and isinstance(values[0], lsp.WorkDoneProgressBegin)
            and values[0].title == "Installing packages"]


def progress_kinds(client: LanguageClient) -> list[list[str]]:
    return [[v.kind for v in values] for values in install_progress(client)]


@pytest.mark.asyncio
async def test_outage_mid_session_degrades_then_recovers(
        tmp_path: Path, registry: LoopbackRegistry, open_session: Any) -> None:
    ws = make_workspace(tmp_path, registry, {"mathlib": ">=2.0"})
    session = await open_session(ws, {"circuitBreakerThreshold": 1})
    client = session.client

    # initialized: mathlib is not installed, so it is installed in the background
    records = await eventually(lambda: session.audit("package"),
                               lambda rs: bool(installs(rs, "success")), "background install")
    assert installs(records, "success")[0]["details"]["packages"] == {"mathlib": "2.0.0"}
    assert any(kinds[0] == "begin" and kinds[-1] == "end" for kinds in progress_kinds(client))
    healthy = await session.request("craftls/health", {})
    assert healthy["services"]["registry"]["status"] == "healthy"

    uri = (ws / "main.pas").as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="pascal", version=1, text=MAIN)))
    assert "Square" in await completion_labels(session, uri, MAIN, "MathLib.")

    # the registry goes away; craft.toml now asks for a package nobody has cached
    registry.stop()
    toml = ws / "craft.toml"
    toml.write_text(toml.read_text() + 'strutils = ">=1.1"\n', encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[
        lsp.FileEvent(uri=toml.as_uri(), type=lsp.FileChangeType.Changed)]))

    def registry_degraded(health: dict[str, Any]) -> bool:
        return bool(health["services"].get("registry", {}).get("status") == "degraded")

    health = await eventually(lambda: session.request("craftls/health", {}), registry_degraded,
                              "registry degraded")
    assert health["status"] == "degraded"  # never unhealthy: the cache keeps serving
    service = health["services"]["registry"]
    assert service["details"]["breakers"] == {registry.host: "open"}
    assert "circuit open" in service["message"] and "cache" in service["message"]
    stats = await session.request("craftls/stats", {})
    assert stats["circuitBreakers"][registry.host]["state"] == "open"
    assert stats["circuitBreakers"][registry.host]["failure_count"] >= 1
    assert registry.host in stats["rateLimiters"]
    breaker_records = await session.audit("circuit_breaker")
    assert [r["action"] for r in breaker_records] == ["open"]
    assert installs(await session.audit("package"), "failure")
    # the breaker event pushed a health notification on its own
    await eventually(lambda: asyncio.sleep(0, session.health_notes),
                     lambda notes: any(registry_degraded(n) for n in notes),
                     "craftls/health notification")

    # completion still works from the installed packages
    text2 = MAIN.replace("WriteLn(X)", "WriteLn(MathLib.Max(X, 1))")
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text2)]))
    assert {"Square", "Max"} <= await completion_labels(session, uri, text2, "MathLib.")

    # the registry comes back; a short reset timeout lets the probe go out now
    registry.start()
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"craftls": {"circuitBreakerResetTimeout": 1}}))
    health = await eventually(
        lambda: session.request("craftls/health", {}),
        lambda h: h["services"]["registry"]["status"] == "healthy", "registry healthy again")
    assert health["services"]["registry"]["details"]["breakers"] == {registry.host: "closed"}
    # the install that failed during the outage is retried once the breaker closes
    records = await eventually(lambda: session.audit("package"),
                               lambda rs: any("strutils" in r["details"].get("packages", {})
                                              for r in installs(rs, "success")),
                               "install retried after recovery")
    actions = [r["action"] for r in await session.audit("circuit_breaker")]
    assert actions[0] == "open" and actions[-1] == "closed"


@pytest.mark.asyncio
async def test_install_command_reports_progress_and_audits(
        tmp_path: Path, registry: LoopbackRegistry, open_session: Any) -> None:
    ws = make_workspace(tmp_path, registry, {})
    session = await open_session(ws)
    client = session.client
    result = plain(await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="craftls.install", arguments=[{"root": ws.as_uri(), "package": "strutils"}])))
    assert result["ok"] is True
    assert result["installed"] == {"mathlib": "2.0.0", "strutils": "1.1.0"}
    assert 'strutils = "^1.1.0"' in (ws / "craft.toml").read_text()
    reports = install_progress(client)
    assert len(reports) == 1
    values = reports[0]
    assert isinstance(values[-1], lsp.WorkDoneProgressEnd)
    assert values[-1].message == "2 packages installed"
    assert [v.percentage for v in values if isinstance(v, lsp.WorkDoneProgressReport)][-1] == 100
    records = await session.audit("package")
    assert [r["action"] for r in records] == ["fetch", "add", "install"]
    install = records[-1]
    assert install["outcome"] == "success" and install["target"] == str(ws)
    assert install["details"]["packages"] == {"mathlib": "2.0.0", "strutils": "1.1.0"}

    # a package no registry has: an answer, not an error; craft.toml unchanged
    before = (ws / "craft.toml").read_text()
    result = plain(await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="craftls.install", arguments=[{"root": ws.as_uri(), "package": "nosuch"}])))
    assert result["ok"] is False and "nosuch" in result["error"]
    assert (ws / "craft.toml").read_text() == before
    assert any("installing failed" in m.message for m in client.messages)


@pytest.mark.asyncio
async def test_sigterm_during_install_request_flushes_audit_and_saves_state(
        tmp_path: Path, registry: LoopbackRegistry, open_session: Any) -> None:
    ws = make_workspace(tmp_path, registry, {})
    session = await open_session(ws)
    client = session.client
    registry.delay = 60.0  # the archive download hangs: the request stays in flight
    pending = asyncio.ensure_future(client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="craftls.install",
                                 arguments=[{"root": ws.as_uri(), "package": "mathlib"}])))
    try:
        await eventually(lambda: asyncio.sleep(0, progress_kinds(client)),
                         lambda kinds: any("report" in k for k in kinds),
                         "install in progress")
        assert not pending.done()
        server = client._server
        assert server is not None
        server.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(server.wait(), 20) == 0
    finally:
        pending.cancel()
    lines = [json.loads(line) for path in sorted(session.log.glob("audit-*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    stop = [r for r in lines if r["event_type"] == "server" and r["action"] == "stop"]
    assert stop and stop[-1]["details"]["reason"] == "signal SIGTERM"
    cancelled = [r for r in lines if r["event_type"] == "package" and r["action"] == "install"]
    assert cancelled and cancelled[-1]["outcome"] == "failure"
    assert "cancelled" in cancelled[-1]["details"]["error"]
    assert "mathlib" not in (ws / "craft.toml").read_text()  # the half-done add is undone
    state = json.loads((session.cache / "warm-state.json").read_text(encoding="utf-8"))
    assert state["data"]["registry"]["packages"] == {registry.url: ["mathlib"]}
    assert state["data"]["registry"]["counters"]["installFailures"] == 1
    assert state["data"]["workspaceRoots"] == [str(ws)]


# ---------------------------------------------------------------- quick fixes (function level)

def server_with_doc(ws: Path, text: str) -> tuple[Any, Any]:
    """A fresh server object (not the running singleton) with one open document."""
    from craftls.features.documents import open_document
    from craftls.lsp.packages import PackageManager
    from craftls.lsp.server import CraftLanguageServer

    server = CraftLanguageServer()
    server.protocol.client_capabilities = lsp.ClientCapabilities()  # what initialize sets
    server.session.configure([ws], None)
    uri = (ws / "uses.pas").as_uri()
    definition = server.session.definition_for(uri)
    assert definition is not None
    doc = open_document(uri, 1, text, definition)
    server.session.documents[uri] = doc
    packages = PackageManager(server)
    server.ops.registry = packages
    packages.open()
    return server, doc


def apply_edit(text: str, edit: lsp.WorkspaceEdit, uri: str) -> str:
    from craftls.workspace.line_index import LineIndex

    assert edit.changes is not None and list(edit.changes) == [uri]
    for change in edit.changes[uri]:
        index = LineIndex(text)
        start = index.offset(change.range.start.line, change.range.start.character, "utf-16")
        end = index.offset(change.range.end.line, change.range.end.character, "utf-16")
        text = text[:start] + change.new_text + text[end:]
    return text


USES = "PROGRAM P;\nUSES MathLib;\nUSES Nothing;\nBEGIN\nEND.\n"


@pytest.mark.asyncio
async def test_quick_fixes_for_unresolved_imports(tmp_path: Path, registry: LoopbackRegistry,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from craftls.lsp.packages import package_code_actions

    monkeypatch.setenv("CRAFTLS_CACHE_DIR", str(tmp_path / "cache"))
    ws = make_workspace(tmp_path, registry, {})
    toml = ws / "craft.toml"
    server, doc = server_with_doc(ws, USES)
    unresolved = [d for d in doc.analysis().diagnostics if d.code == "unresolved-import"]
    assert [d.data["module"] for d in unresolved] == ["MathLib", "Nothing"]
    service = server.ops.registry.service
    urls = [registry.url]

    # nothing cached yet: no fix now (no waiting on the network), a fetch starts instead
    assert package_code_actions(server, doc, 0, len(USES)) == []
    await service.lookup("mathlib", urls)
    await service.lookup("nothing", urls)
    actions = package_code_actions(server, doc, 0, len(USES))
    assert [a.title for a in actions] == ["Add dependency 'mathlib' (^2.0.0) to craft.toml",
                                          "Install 'mathlib'"]
    add, install = actions
    assert add.kind == lsp.CodeActionKind.QuickFix and add.is_preferred
    assert add.diagnostics and add.diagnostics[0].code == "unresolved-import"
    assert add.data == {"package": "mathlib", "source": "registry"}
    assert add.edit is not None
    new_toml = apply_edit(toml.read_text(), add.edit, toml.resolve().as_uri())
    assert new_toml == toml.read_text() + 'mathlib = "^2.0.0"\n'
    assert install.command is not None and install.command.command == "craftls.install"
    assert install.command.arguments == [{"root": ws.as_uri(), "package": "mathlib"}]

    # only the diagnostics inside the asked range count
    line3 = USES.index("USES Nothing")
    assert package_code_actions(server, doc, line3, line3 + 4) == []

    # declared but not installed: only "Install"
    toml.write_text(new_toml, encoding="utf-8")
    assert [a.title for a in package_code_actions(server, doc, 0, len(USES))] == [
        "Install 'mathlib'"]
    toml.write_text(new_toml.replace('mathlib = "^2.0.0"\n', ""), encoding="utf-8")

    # warm start with the registry down: answered at once from the saved state + cache
    await server.ops.registry.save_state()
    await server.ops.registry.close()
    registry.stop()
    later, later_doc = server_with_doc(ws, USES)
    assert later.ops.registry.restored == 1
    (warm,) = [a for a in package_code_actions(later, later_doc, 0, len(USES))
               if a.edit is not None]
    assert warm.title == ("Add dependency 'mathlib' (^2.0.0) to craft.toml (from the cached "
                          "index; registry not reachable)")
    assert warm.data == {"package": "mathlib", "source": "cache"}
    await later.ops.registry.close()


@pytest.mark.asyncio
async def test_code_action_offers_add_dependency_and_install(
        tmp_path: Path, registry: LoopbackRegistry, open_session: Any) -> None:
    """Through textDocument/codeAction: the first request starts a background fetch and
    answers without waiting; a later one offers the package's fixes."""
    ws = make_workspace(tmp_path, registry, {})
    session = await open_session(ws)
    uri = (ws / "main.pas").as_uri()
    session.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="pascal", version=1,
                                           text=MAIN)))
    uses = lsp.Range(start=lsp.Position(line=1, character=0),
                     end=lsp.Position(line=1, character=len("USES MathLib;")))

    async def titles() -> list[str]:
        actions = await session.client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), range=uses,
            context=lsp.CodeActionContext(diagnostics=[])))
        return [a.title for a in actions or []]

    found = await eventually(titles, lambda ts: "Install 'mathlib'" in ts, "package fixes")
    assert "Add dependency 'mathlib' (^2.0.0) to craft.toml" in found
    refactors_only = await session.client.text_document_code_action_async(
        lsp.CodeActionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), range=uses,
                             context=lsp.CodeActionContext(
                                 diagnostics=[], only=[lsp.CodeActionKind.Refactor])))
    assert not any("mathlib" in a.title for a in refactors_only or [])
