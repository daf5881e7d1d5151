"""Packages in the editor: the registry service, background installs with
``$/progress``, the ``craftls.install`` command, quick fixes for unresolved imports,
the ``registry`` health check and the registry's part of graceful shutdown.

The logic lives in ``craftls.registry.service`` (lookups, installs, probes, warm
state) and ``craftls.ops.checks.registry_check``; this module connects them to the
protocol. Nothing here waits on the network inside a request: quick fixes answer from
the caches (and say when the answer is the last-known-good copy), fetching and
installing run as background tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from ..features.documents import Document, path_of
from ..features.host import FileEdits
from ..features.quickfix import unresolved_imports
from ..ops.settings import Settings
from ..ops.state import default_state_path, load_state, save_state
from ..registry.breaker import State
from ..registry.errors import RegistryError
from ..registry.fixes import package_fixes
from ..registry.installer import InstallReport
from ..registry.service import RegistryService
from ..registry.tuning import config_overrides, workspace_settings
from ..registry.workspace import CONFIG_NAME, dependency_edit
from ..semantics.diagnostics import Diagnostic
from ..syntax.incremental import TextEdit
from ..workspace.line_index import LineIndex
from ..workspace.manifest import find_manifest
from . import to_proto
from .commands import INSTALL_PACKAGES
from .progress import LspProgress
from .refusals import RequestFailed

log = logging.getLogger("craftls.packages")

INSTALL_COMMAND = INSTALL_PACKAGES
PROGRESS_TITLE = "Installing packages"


class PackageManager:
    """Owned by the server (``server.ops.registry``) from ``initialized`` on."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.service: RegistryService | None = None
        self.state_path = default_state_path()
        self.failed_roots: set[Path] = set()
        self._locks: dict[Path, asyncio.Lock] = {}
        self._queued: dict[Path, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self.restored = 0

    # ------------------------------------------------------------ lifecycle
    def open(self) -> None:
        """Create the service from craft.toml and the settings, reload the warm state,
        register the health check and the shutdown steps."""
        ops = self.server.ops
        root = self.primary_root()
        self.service = RegistryService.for_workspace(
            root, config_overrides=config_overrides(self._settings(ops.settings)),
            audit=ops.audit.record, on_transition=self._on_transition)
        state = load_state(self.state_path)
        self.restored = self.service.restore((state or {}).get("registry"))
        if self.restored:
            log.info("warm start: %d package indexes reloaded from the cache", self.restored)
        self.service.start()
        ops.settings_listeners.append(self.apply_settings)
        ops.shutdown.register("stop package installs", self.stop_installs, order=30)
        ops.shutdown.register("save warm state", self.save_state, order=40)
        ops.shutdown.register("close registry connections", self.close, order=50)

    def _settings(self, settings: Settings) -> Settings:
        """The client's settings with craft.toml's ``[settings]`` over them: the same
        registry settings the CLI reads."""
        merged, problems = workspace_settings(self.primary_root(), settings)
        for problem in problems:
            log.warning("%s", problem)
        return merged

    def primary_root(self) -> Path | None:
        roots = list(self.server.session.roots)
        return next((r for r in roots if (r / CONFIG_NAME).is_file()), roots[0] if roots else None)

    def snapshot(self) -> dict[str, Any] | None:
        """What the ``registry`` health check (registered by ``Operations``) reads; None,
        "no registry configured", while no root has a craft.toml and nothing was asked
        of a registry."""
        if self.service is None:
            return None
        snap = self.service.health_snapshot()
        configured = any((Path(r) / CONFIG_NAME).is_file() for r in self.server.session.roots)
        if not configured and snap.get("lastSuccess") is None \
                and snap.get("lastFailure") is None:
            return None
        return snap

    def client_stats(self) -> dict[str, Any]:
        return self.service.client_stats() if self.service is not None else {}

    def apply_settings(self, settings: Settings) -> None:
        if self.service is None:
            return
        o = config_overrides(self._settings(settings))
        self.service.configure(breaker_failures=o["breaker_failures"],
                               breaker_reset=o["breaker_reset"], rate_limit=o["rate_limit"],
                               rate_period=o["rate_period"], batch_size=o["batch_size"])

    def _on_transition(self, host: str, old: State, new: State) -> None:
        """A breaker changed state: check health now (that notifies the client) and,
        once the registry is back, retry the installs that failed meanwhile."""
        with contextlib.suppress(RuntimeError):  # no running loop: nothing to schedule
            self.server.ops.monitor.trigger(f"circuit breaker {host}: {old.value} -> "
                                            f"{new.value}")
            if new is State.CLOSED:
                for root in sorted(self.failed_roots):
                    self.schedule_install(root, "registry back")

    async def stop_installs(self) -> None:
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def save_state(self) -> None:
        if self.service is None:
            return
        data = {"registry": self.service.warm_state(),
                "workspaceRoots": [str(r) for r in self.server.session.roots]}
        await asyncio.to_thread(save_state, self.state_path, data)

    async def close(self) -> None:
        if self.service is not None:
            await self.service.aclose()

    # ------------------------------------------------------------ installs
    def ensure_installed(self, reason: str) -> list[asyncio.Task[None]]:
        """Install every workspace root whose dependencies are missing, in the background."""
        tasks = []
        for root in self.server.session.roots:
            task = self.schedule_install(Path(root), reason)
            if task is not None:
                tasks.append(task)
        return tasks

    def schedule_install(self, root: Path, reason: str) -> asyncio.Task[None] | None:
        """A background install of ``root`` unless nothing is missing; one queued per root."""
        if self.service is None or not (root / CONFIG_NAME).is_file():
            return None
        queued = self._queued.get(root)
        if queued is not None and not queued.done():
            return queued
        task = self._spawn(self._background_install(root, reason))
        self._queued[root] = task
        return task

    async def _background_install(self, root: Path, reason: str) -> None:
        assert self.service is not None
        async with self._lock(root):
            if self._queued.get(root) is asyncio.current_task():
                del self._queued[root]  # from now on a newer request queues its own run
            try:
                missing = self.service.missing_installation(root)
            except RegistryError as exc:
                log.warning("cannot install for %s: %s", root, exc)
                return
            if missing is None:
                self.failed_roots.discard(root)
                return
            try:
                await self._install_with_progress(root, f"{reason} ({missing})")
            except (RegistryError, OSError) as exc:
                log.warning("background install for %s failed (working from the cache): %s",
                            root, exc)

    async def install(self, root: Path, package: str | None, reason: str) -> InstallReport:
        """An install on request (``craftls.install``); waits for a running one first."""
        async def locked() -> InstallReport:
            async with self._lock(root):
                return await self._install_with_progress(root, reason, package)

        # a task of ours, not the request's: shutdown cancels it (and audits that), a
        # client cancelling its request does not stop an install half-way
        return await asyncio.shield(self._spawn(locked()))

    async def _install_with_progress(self, root: Path, reason: str,
                                     package: str | None = None) -> InstallReport:
        assert self.service is not None
        what = f"'{package}'" if package else f"the dependencies of {root.name or root}"
        with self.server.ops.working("install"):  # not quiescent while it runs
            return await self._install_reporting(root, reason, what, package)

    async def _install_reporting(self, root: Path, reason: str, what: str,
                                 package: str | None) -> InstallReport:
        assert self.service is not None
        progress = await LspProgress.begin(self.server, PROGRESS_TITLE, f"installing {what}")
        try:
            if package:
                report = await self.service.add_and_install(root, package, progress)
            else:
                report = await self.service.install(root, progress, reason)
        except asyncio.CancelledError:
            progress.end("cancelled")
            raise
        except Exception as exc:
            self.failed_roots.add(root)
            progress.end(f"failed: {exc}")
            raise
        self.failed_roots.discard(root)
        progress.end(f"{len(report.locations)} packages installed")
        self.refresh_documents()
        return report

    def _lock(self, root: Path) -> asyncio.Lock:
        return self._locks.setdefault(root, asyncio.Lock())

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def refresh_documents(self) -> None:
        """Imports may resolve now: forget every open document's analysis and publish
        its diagnostics again (or ask pull clients to pull)."""
        # unopened files' workspace/diagnostic result ids carry this generation: after
        # an install their imports may resolve, so their reports must not stay unchanged
        self.server.definitions_generation += 1
        self.server.session.imports.invalidate()
        self.server.reanalyse_documents()


# ---------------------------------------------------------------- server entry points

STARTUP_WAIT_S = 30.0
_started: weakref.WeakKeyDictionary[Any, asyncio.Event] = weakref.WeakKeyDictionary()


def _started_event(server: Any) -> asyncio.Event:
    event = _started.get(server)
    if event is None:
        event = _started[server] = asyncio.Event()
    return event


def manager(server: Any) -> PackageManager | None:
    registry = getattr(server.ops, "registry", None)
    return registry if isinstance(registry, PackageManager) else None


def start(server: Any) -> PackageManager:
    """At ``initialized`` (after the settings were pulled): the service, then a
    background install for every workspace whose dependencies are missing."""
    existing = manager(server)
    if existing is not None:
        return existing
    packages = PackageManager(server)
    server.ops.registry = packages
    packages.open()
    _started_event(server).set()
    packages.ensure_installed("initialized")
    return packages


def workspace_changed(server: Any) -> None:
    """craft.toml changed: install what it now asks for (in the background)."""
    packages = manager(server)
    if packages is not None:
        packages.ensure_installed("craft.toml changed")


async def install_command(server: Any, args: tuple[object, ...]) -> dict[str, Any]:
    """``workspace/executeCommand`` ``craftls.install``: arguments ``[{"root": uri,
    "package": name}]`` (both optional; without ``package`` it installs what craft.toml
    asks for). Answers ``{ok, installed: {name: version}, relocked}`` or
    ``{ok: false, error}`` after showing the error."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        return await _install_command(server, args)
    except RequestFailed as exc:  # the user's to fix: an answer, not an error
        server.ops.request_refused(lsp.WORKSPACE_EXECUTE_COMMAND, exc)
        raise
    except Exception as exc:
        error = exc
        raise
    finally:
        server.ops.request_finished(lsp.WORKSPACE_EXECUTE_COMMAND,
                                    time.perf_counter() - started, error)


async def _install_command(server: Any, args: tuple[object, ...]) -> dict[str, Any]:
    packages = manager(server)
    if packages is None:  # a command sent right after `initialized`, still being handled
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_started_event(server).wait(), STARTUP_WAIT_S)
        packages = manager(server)
    if packages is None:
        raise RequestFailed("the package service is not running (initialized not received)")
    options = args[0] if args and isinstance(args[0], dict) else {}
    root_uri = options.get("root")
    root = path_of(str(root_uri)) or Path(str(root_uri)) if root_uri else packages.primary_root()
    if root is None:
        raise RequestFailed("craftls.install needs a workspace root")
    package = options.get("package")
    try:
        report = await packages.install(Path(root), str(package) if package else None,
                                        f"command {INSTALL_COMMAND}")
    except (RegistryError, OSError) as exc:
        server.window_show_message(lsp.ShowMessageParams(
            lsp.MessageType.Warning, f"craftls: installing failed: {exc}; the server keeps "
                                     "working from its cache"))
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "relocked": report.relocked,
            "installed": {p.name: p.version for p in report.lock.packages}}


# ---------------------------------------------------------------- quick fixes

@dataclass(frozen=True)
class PackageCandidates:
    """What ``package_code_actions`` needs from the file system and the analysis: the
    craft.toml above the document, its text, and the ``unresolved-import`` diagnostics
    in the range, by module."""
    manifest: Path
    text: str
    unresolved: dict[str, Diagnostic]


def package_candidates(server: Any, doc: Document, start: int, end: int
                       ) -> PackageCandidates | None:
    """The file-system and analysis part of ``package_code_actions``, safe on a worker
    thread (the code action handler runs it off the event loop): craft.toml looked for
    up the folder tree and read, the document's analysis asked. None when there is no
    package service, no craft.toml or no unresolved import between ``start`` and ``end``."""
    packages = manager(server)
    path = path_of(doc.uri)
    if packages is None or packages.service is None or path is None:
        return None
    manifest = find_manifest(path)
    if manifest is None:
        return None
    unresolved = unresolved_imports(doc.analysis(), start, end)
    if not unresolved:
        return None
    return PackageCandidates(manifest, manifest.read_text(encoding="utf-8"), unresolved)


def package_fix_actions(server: Any, doc: Document, found: PackageCandidates | None
                        ) -> list[lsp.CodeAction]:
    """The registry part of ``package_code_actions``, on the event loop: the registry
    service belongs to the loop (a cache miss starts a fetch task there)."""
    packages = manager(server)
    if found is None or packages is None or packages.service is None:
        return []
    manifest, unresolved = found.manifest, found.unresolved
    root = manifest.parent
    enc = server.encoding
    actions: list[lsp.CodeAction] = []
    for fix in package_fixes(packages.service, root, unresolved):
        lsp_diag = to_proto.diagnostic(unresolved[fix.module], doc.line_index, enc, doc.uri)
        if fix.requirement is not None:
            suffix = " (from the cached index; registry not reachable)" if fix.stale else ""
            actions.append(lsp.CodeAction(
                title=f"Add dependency '{fix.package}' ({fix.requirement}) to "
                      f"craft.toml{suffix}",
                kind=lsp.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
                edit=_craft_toml_edit(server, manifest, found.text, fix.package,
                                      fix.requirement),
                is_preferred=True,
                data={"package": fix.package, "source": "cache" if fix.stale else "registry"}))
        title = f"Install '{fix.package}'"
        actions.append(lsp.CodeAction(
            title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
            command=lsp.Command(title=title, command=INSTALL_COMMAND,
                                arguments=[{"root": root.as_uri(), "package": fix.package}])))
    return actions


def package_code_actions(server: Any, doc: Document, start: int, end: int
                         ) -> list[lsp.CodeAction]:
    """Quick fixes for ``unresolved-import`` diagnostics between ``start`` and ``end``
    (code points), decided by ``registry.fixes.package_fixes`` from the caches: "Add
    dependency 'x' (^1.2.0) to craft.toml" when a registry has the package (saying when
    the answer is the last-known-good copy), and "Install 'x'" (``craftls.install``).
    Both parts in one call; the code action handler runs ``package_candidates`` on a
    worker thread and ``package_fix_actions`` on the loop."""
    return package_fix_actions(server, doc, package_candidates(server, doc, start, end))


def _craft_toml_edit(server: Any, manifest: Path, text: str, name: str, requirement: str
                     ) -> lsp.WorkspaceEdit:
    start, end, new_text = dependency_edit(text, name, requirement)
    edits = FileEdits(manifest.resolve().as_uri(), None, LineIndex(text),
                      (TextEdit(start, end, new_text),))
    return to_proto.workspace_edit([edits], server.encoding, server.versioned_edits())
