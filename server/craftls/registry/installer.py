"""Lock and install a workspace's dependencies; answer "where is module X?" for the LSP.

Installed packages are extracted once into the content-addressed store shared by
all workspaces; a workspace only records what it uses in ``craft.lock``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from .bundled import bundled_registry_url
from .client import RegistryClient
from .config import default_cache_dir
from .errors import FormatError, IntegrityError, NotFound, TooLarge, UnsafeArchive
from .format import MANIFEST_NAME, PackageManifest, VersionEntry
from .lockfile import LockedPackage, LockFile, read_lock, write_lock
from .progress import Progress
from .resolver import resolve_async
from .store import ArchiveStore
from .urls import resolve as resolve_url
from .workspace import LOCK_NAME, WorkspaceConfig, load_workspace

BUNDLED_SOURCE = "bundled"


@dataclass(frozen=True)
class InstallReport:
    """What ``install`` did: the lock used and where each package now lives."""

    lock: LockFile
    locations: dict[str, Path]
    relocked: bool


def registry_urls_for(config: WorkspaceConfig, cache_dir: Path | None = None) -> list[str]:
    """craft.toml's registries, or the bundled one when none is configured."""
    return list(config.registry_urls) or [bundled_registry_url(cache_dir)]


async def lock_workspace(root: Path, client: RegistryClient, *, upgrade: bool = False
                         ) -> LockFile:
    """Resolve craft.toml's dependencies and write craft.lock (keeping locked versions
    unless ``upgrade``)."""
    config = load_workspace(root)
    previous = None if upgrade else _read_lock_lenient(config.root)
    preferred = {p.name: p.version for p in previous.packages} if previous else {}
    urls = registry_urls_for(config, client.config.cache_dir)
    chosen = await resolve_async(client, urls, config.dependencies, config.label, preferred) \
        if config.dependencies else {}
    bundled = None if config.registry_urls else urls[0]
    lock = LockFile(
        packages=tuple(_locked(c.name, c.version, c.entry, c.source, bundled)
                       for c in chosen.values()),
        requirements=dict(config.dependencies))
    write_lock(config.root, lock)
    return lock


def _locked(name: str, version: object, entry: VersionEntry, source: str,
            bundled: str | None) -> LockedPackage:
    """The bundled registry is recorded as ``bundled`` with a relative URL, so lock files
    stay valid wherever craftls is installed."""
    if source == bundled:
        source, url = BUNDLED_SOURCE, entry.url
    else:
        url = resolve_url(source, entry.url)
    return LockedPackage(name=name, version=str(version), sha256=entry.sha256, source=source,
                         url=url, dependencies=tuple(entry.dependencies),
                         language=entry.language)


def _read_lock_lenient(root: Path) -> LockFile | None:
    try:
        return read_lock(root)
    except FormatError:
        return None


def _read_lock_strict(root: Path) -> LockFile | None:
    """craft.lock, None when absent; a damaged one is an error, never silently replaced."""
    try:
        return read_lock(root)
    except FormatError as exc:
        raise FormatError(f"{exc}; fix craft.lock or delete it and run 'craftls lock'") \
            from exc


async def install_workspace(root: Path, client: RegistryClient,
                            progress: Progress | None = None) -> InstallReport:
    """Install what craft.lock pins (re-locking first if craft.toml changed)."""
    config = load_workspace(root)
    lock = _read_lock_strict(config.root)
    relocked = lock is None or not lock.matches(config.dependencies)
    if relocked:
        lock = await lock_workspace(root, client)
    assert lock is not None
    limit = asyncio.Semaphore(client.config.batch_size)
    if progress:
        progress.start(len(lock.packages))

    registries = set(config.registry_urls) or {BUNDLED_SOURCE}
    for pkg in lock.packages:  # before any download: one bad entry stops them all
        check_source(pkg, registries)

    async def one(pkg: LockedPackage) -> tuple[str, Path]:
        async with limit:
            folder = await install_package(client, pkg, registries)
        if progress:
            progress.advance(f"{pkg.name} {pkg.version}")
        return pkg.name, folder

    pairs = await asyncio.gather(*(one(p) for p in lock.packages))
    return InstallReport(lock, dict(sorted(pairs)), relocked)


def check_source(pkg: LockedPackage, registries: Collection[str]) -> None:
    """A lock entry must come from a registry craft.toml configures (``bundled`` when it
    configures none): a lock file never adds a host to download from or send a token to."""
    if pkg.source not in registries:
        configured = ", ".join(sorted(registries))
        raise FormatError(f"craft.lock: {pkg.name} {pkg.version} comes from {pkg.source!r}, "
                          f"which is not a registry configured in craft.toml ({configured}); "
                          "add it to [registry] urls or run 'craftls lock'")


async def install_package(client: RegistryClient, pkg: LockedPackage,
                          registries: Collection[str]) -> Path:
    """Download (if needed), verify and extract one locked package; returns its folder.

    ``registries``: the sources craft.toml allows (see :func:`check_source`)."""
    check_source(pkg, registries)
    source, url = pkg.source, pkg.url
    if source == BUNDLED_SOURCE:
        source = bundled_registry_url(client.config.cache_dir)
        url = resolve_url(source, pkg.url)
    try:
        await client.fetch_archive_url(url, pkg.sha256, registry_url=source)
        folder = await asyncio.to_thread(client.store.extract, pkg.sha256)
    except (IntegrityError, UnsafeArchive, TooLarge, NotFound) as exc:
        # the same class, now naming what the user installs and where it came from
        raise type(exc)(f"{pkg.name} {pkg.version} ({url}): {exc}") from exc
    if not (folder / MANIFEST_NAME).is_file():
        raise FormatError(f"{pkg.name} {pkg.version}: the archive {url} has no "
                          f"{MANIFEST_NAME}; it is not a craftls package (ask the "
                          "registry's maintainer)")
    manifest = _manifest(folder)
    if manifest.name != pkg.name or str(manifest.version) != pkg.version:
        raise FormatError(f"archive for {pkg.name} {pkg.version} contains "
                          f"{manifest.name} {manifest.version}")
    return folder


def missing_installation(root: Path, cache_dir: Path | None = None) -> str | None:
    """Why ``root``'s dependencies are not usable yet, or None when they are.

    Reads only craft.toml, craft.lock and the store (no network): the language server
    calls it to decide whether a background install is needed.
    """
    config = load_workspace(root)
    if not config.dependencies:
        return None
    try:
        lock = read_lock(config.root)
    except FormatError as exc:
        return f"craft.lock is invalid: {exc}"
    if lock is None:
        return "craft.lock is missing"
    if not lock.matches(config.dependencies):
        return "craft.lock does not match craft.toml"
    store = ArchiveStore(default_cache_dir(cache_dir or config.cache_dir))
    absent = [p.name for p in lock.packages
              if not (store.package_dir(p.sha256) / MANIFEST_NAME).is_file()]
    return f"not installed: {', '.join(sorted(absent))}" if absent else None


# ---------------------------------------------------------------- LSP-facing lookups
# Nothing here is cached: the session's module resolver (workspace/imports.py) keeps
# what it read per workspace until a file event, polling or an install says otherwise,
# and reports it with the session's analysis caches.


def _manifest(folder: Path) -> PackageManifest:
    return PackageManifest.from_toml((folder / MANIFEST_NAME).read_text(encoding="utf-8"),
                              where=str(folder / MANIFEST_NAME))


def _inside(folder: Path, rel: str) -> Path | None:
    path = (folder / rel).resolve()
    return path if folder.resolve() in path.parents and path.is_file() else None


def _find_module_file(folder: Path, module: str, skip: set[str]) -> Path | None:
    wanted = module.casefold()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.stem.casefold() == wanted and path.name not in skip:
            return path
    return None


def package_exports(folder: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """(module -> source file, language id -> definition file) of an installed package."""
    manifest = _manifest(folder)
    skip = {MANIFEST_NAME, manifest.definition or ""}
    modules = {}
    for module, rel in manifest.exports.items():
        path = _inside(folder, rel) if rel else _find_module_file(folder, module, skip)
        if path is not None:
            modules[module] = path
    definitions = {}
    if manifest.definition and manifest.language:
        path = _inside(folder, manifest.definition)
        if path is not None:
            definitions[manifest.language] = path
    return modules, definitions


def _installed(workspace_root: Path, cache_dir: Path | None
               ) -> tuple[dict[str, Path], dict[str, Path]]:
    root = Path(workspace_root).resolve()
    if not (root / LOCK_NAME).is_file():
        return {}, {}
    lock = _read_lock_lenient(root)
    store = ArchiveStore(default_cache_dir(cache_dir))
    modules: dict[str, Path] = {}
    definitions: dict[str, Path] = {}
    for pkg in lock.packages if lock else ():
        folder = store.package_dir(pkg.sha256)
        if not (folder / MANIFEST_NAME).is_file():
            continue  # not installed (yet): an install invalidates the resolver
        pkg_modules, pkg_defs = package_exports(folder)
        for module, path in pkg_modules.items():
            modules.setdefault(module, path)
        definitions.update(pkg_defs)
    return modules, definitions


def list_installed_exports(workspace_root: Path, cache_dir: Path | None = None
                           ) -> dict[str, Path]:
    """Every module exported by the workspace's installed packages -> its source file."""
    return dict(_installed(workspace_root, cache_dir)[0])


def list_installed_definitions(workspace_root: Path, cache_dir: Path | None = None
                               ) -> dict[str, Path]:
    """Language id -> definition YAML for packages that carry one (never executed)."""
    return dict(_installed(workspace_root, cache_dir)[1])


def resolve_module(workspace_root: Path, module_name: str, cache_dir: Path | None = None
                   ) -> Path | None:
    """Source file of an installed module (exact name first, then ignoring case)."""
    return module_named(_installed(workspace_root, cache_dir)[0], module_name)


def module_named(modules: Mapping[str, Path], name: str) -> Path | None:
    """The module ``name`` among installed ``modules`` (exact name first, then ignoring
    case: Pascal's units)."""
    if name in modules:
        return modules[name]
    folded = name.casefold()
    return next((p for m, p in modules.items() if m.casefold() == folded), None)
