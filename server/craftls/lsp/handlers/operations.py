"""The server's life and operations: initialize, initialized (what it starts),
settings, health, statistics, the audit log, shutdown and exit."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ...features.documents import path_of
from ...ops.shutdown import exit_process
from ..commands import ACTION_APPLIED
from ..routes import command, notification
from .documents import publish_definition_problems
from .workspace import start_polling, watch_definitions

if TYPE_CHECKING:
    from ..server import CraftLanguageServer


@notification(lsp.INITIALIZE)
def initialize(server: CraftLanguageServer, params: lsp.InitializeParams) -> None:
    roots = [path_of(f.uri) or Path(f.uri) for f in params.workspace_folders or []]
    if not roots and params.root_uri:
        roots = [path_of(params.root_uri) or Path(params.root_uri)]
    options = params.initialization_options if isinstance(params.initialization_options,
                                                          dict) else {}
    server.session.configure(roots, options.get("languages"))
    experimental = params.capabilities.experimental if params.capabilities else None
    for problem in server.ops.configure(options, experimental):
        server.session.config_errors.append(f"setting rejected: {problem}")
    server.apply_settings({})
    if params.client_info is not None:
        server.ops.audit.set_client(params.client_info.name, params.client_info.version)
    if params.process_id:
        server.client_pid = params.process_id


@notification(lsp.INITIALIZED)
async def initialized(server: CraftLanguageServer, params: lsp.InitializedParams) -> None:
    server.initialized = True
    ops = server.ops
    ops.connect(
        send=lambda method, payload: server.protocol.notify(method, payload),
        log_message=lambda text: server.window_log_message(
            lsp.LogMessageParams(lsp.MessageType.Warning, text)),
        show_message=lambda text: server.window_show_message(
            lsp.ShowMessageParams(lsp.MessageType.Error, text)))
    if ops.notify_audit:
        ops.audit.add_listener(lambda record: server.protocol.notify(
            "craftls/audit", record.to_dict()))
    ops.start()  # its first health report is sent to the clients that asked
    with ops.working("loading"):  # quiescent once definitions, index and packages started
        await _start_services(server)


async def _start_services(server: CraftLanguageServer) -> None:
    """What ``initialized`` starts after the health checks: settings from the client,
    definition watching, the workspace index and the package service."""
    server.idle_gc_task = asyncio.ensure_future(server.idle_gc.run())
    install_shutdown_triggers(server)
    await pull_configuration(server)
    for error in server.session.config_errors:
        server.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, error))
    if not await watch_definitions(server):
        start_polling(server)
    for binding in server.session.bindings:
        if binding.path is not None:
            publish_definition_problems(server, binding)
    server.indexer.start()  # background index of the workspace, with $/progress
    # last, so the registrations above are not delayed: the registry stack (httpx...)
    # takes a few hundred ms to import, done on a worker thread while requests are served
    packages = await asyncio.to_thread(importlib.import_module, "craftls.lsp.packages")
    packages.start(server)  # registry service; background install of missing packages


@notification(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(server: CraftLanguageServer,
                                   params: lsp.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and settings.get("craftls") is not None:
        server.apply_settings(settings["craftls"])
    else:
        await pull_configuration(server)
    server.ops.audit.record("config", "changed")


async def pull_configuration(server: CraftLanguageServer) -> None:
    if not server.client_supports("workspace.configuration"):
        return
    try:
        result = await server.workspace_configuration_async(lsp.ConfigurationParams(
            items=[lsp.ConfigurationItem(section="craftls")]))
    except Exception:  # a client without an answer keeps the current settings
        return
    if result and isinstance(result[0], dict):
        server.apply_settings(result[0])


@command(ACTION_APPLIED)
def action_applied(server: CraftLanguageServer, *args: object) -> None:
    """Run by the client after it applied a code action's edit: audited then."""
    details = args[0] if args and isinstance(args[0], dict) else {}
    kind = str(details.get("kind", ""))
    server.ops.audit.record("refactor" if kind.startswith("refactor") else "quickfix",
                            kind or "code_action", target=str(details.get("uri", "")),
                            details={"title": details.get("title"),
                                     "edits": details.get("edits")})


@notification("craftls/health")
async def health_request(server: CraftLanguageServer, params: Any) -> dict[str, Any]:
    return await server.ops.health(params)


@notification("craftls/stats")
def stats_request(server: CraftLanguageServer, params: Any) -> dict[str, Any]:
    return server.ops.stats()


@notification("craftls/auditLog")
def audit_log_request(server: CraftLanguageServer, params: Any) -> list[dict[str, Any]]:
    return server.ops.audit_log(params)


@notification(lsp.SHUTDOWN)
async def on_shutdown(server: CraftLanguageServer, params: Any) -> None:
    if server.poll_task is not None:
        server.poll_task.cancel()
    server.queue.cancel_all()
    await server.ops.stop("shutdown request")


@notification(lsp.EXIT)
async def on_exit(server: CraftLanguageServer, params: Any) -> None:
    """Leave at once (`ops.shutdown.exit_process`): the shutdown steps are what matters;
    code 1 for an `exit` without `shutdown`, as LSP says, after running them."""
    code = 0 if server.ops.shutdown.started else 1
    if not server.ops.shutdown.started:
        await server.ops.stop("exit without shutdown")
    exit_process(code)


def install_shutdown_triggers(server: CraftLanguageServer) -> None:
    """SIGTERM/SIGINT and the death of the editor's process end the server gracefully."""
    from ...ops.shutdown import install_signal_handlers, watch_parent_process
    loop = asyncio.get_running_loop()

    def stop(reason: str) -> None:
        async def run() -> None:
            await server.ops.stop(reason)
            loop.stop()
            exit_process(0)  # pygls' reader thread blocks on stdin: do not wait for it
        asyncio.ensure_future(run())

    install_signal_handlers(loop, lambda name: stop(f"signal {name}"))
    pid = getattr(server, "client_pid", None)
    if pid:
        watch_parent_process(pid, lambda: stop("client process exited"))
