"""The workspace: watched files (or the server's own polling when the client cannot
watch), ``craft.toml`` changes, and ``workspace/symbol`` from the analysis host."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ...features.documents import path_of
from .. import to_proto
from ..file_poll import FilePoller
from ..indexing import off_loop
from ..routes import notification, request
from .documents import refresh_open_documents, reload_definition

if TYPE_CHECKING:
    from ..server import CraftLanguageServer

log = logging.getLogger("craftls")


@request(lsp.WORKSPACE_SYMBOL)
async def workspace_symbol(server: CraftLanguageServer, params: lsp.WorkspaceSymbolParams
                           ) -> list[lsp.SymbolInformation]:
    """From the workspace index: every indexed file, open documents as edited."""
    encoding = server.encoding
    hits = await off_loop(lambda cancelled: server.session.host.workspace_symbols(
        params.query, encoding, cancelled))
    return [to_proto.symbol_information(h) for h in hits]


@notification(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(server: CraftLanguageServer,
                             params: lsp.DidChangeWatchedFilesParams) -> None:
    apply_file_events(server, params.changes)


def apply_file_events(server: CraftLanguageServer, events: Sequence[lsp.FileEvent]) -> None:
    """Reported by a watching client, or found by the server's own polling."""
    changed = [path_of(event.uri) or Path(event.uri) for event in events]
    server.session.imports.invalidate(changed)
    server.reanalyse_dependants(changed)  # what imports or includes them, or includes one
    for event in events:
        path = path_of(event.uri) or Path(event.uri)
        if path.name == "craft.toml":
            server.definitions_generation += 1
            server.session.configure(server.session.roots, None)
            refresh_open_documents(server)
            server.apply_globals()  # craft.toml's [settings] globals
            from .. import packages  # the registry stack: loaded with the package service
            packages.workspace_changed(server)
        elif path.suffix in (".yaml", ".yml"):
            reload_definition(server, path)
    server.indexer.files_changed(events)


async def watch_definitions(server: CraftLanguageServer) -> bool:
    """Ask the client to report changes of definitions and craft.toml; False when it
    cannot (no dynamic registration) or refuses."""
    if not server.client_supports("workspace.did_change_watched_files.dynamic_registration"):
        return False
    watchers = [lsp.FileSystemWatcher(glob_pattern="**/*.{yaml,yml}"),
                lsp.FileSystemWatcher(glob_pattern="**/craft.toml")]
    try:
        await server.client_register_capability_async(lsp.RegistrationParams(registrations=[
            lsp.Registration(id="craftls-definitions",
                             method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                             register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                 watchers=watchers))]))
    except Exception:
        log.warning("client refused file watching; the server polls the definitions")
        return False
    return True


def files_in_use(server: CraftLanguageServer) -> list[Path]:
    """What a definition reload depends on: the definition files of the bindings and
    each root's craft.toml (present or not: creating it matters too)."""
    definitions = [b.path for b in server.session.bindings if b.path is not None]
    return definitions + [root / "craft.toml" for root in server.session.roots]


def start_polling(server: CraftLanguageServer) -> None:
    """Without a watching client, the server notices edits made outside the editor."""
    server.poller = FilePoller(lambda: files_in_use(server),
                               lambda events: apply_file_events(server, events))
    server.poll_task = asyncio.ensure_future(server.poller.run())
