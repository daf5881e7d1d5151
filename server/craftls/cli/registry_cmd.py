"""CLI for the package registry: ``registry build|serve``, ``add``, ``install``, ``lock``,
``search`` and ``cache stats|verify|backup|restore|clear``.

Every handler is ``func(args) -> int`` (0 ok, 1 failure, 2 usage) and prints errors as
one clear line on stderr, never a traceback. Results go to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from craftls.registry.builder import build_registry
from craftls.registry.cache import DiskDocumentCache
from craftls.registry.client import RegistryClient
from craftls.registry.config import RegistryConfig, default_cache_dir
from craftls.registry.errors import FormatError, RegistryError
from craftls.registry.format import normalize_name, parse_specifier, parse_version
from craftls.registry.installer import install_workspace, lock_workspace, registry_urls_for
from craftls.registry.lockfile import read_lock
from craftls.registry.progress import ProgressBar
from craftls.registry.resolver import gather_indexes
from craftls.registry.static_server import make_server, server_url
from craftls.registry.store import ArchiveStore
from craftls.registry.tuning import config_overrides, workspace_settings
from craftls.registry.workspace import CONFIG_NAME, add_dependency, load_workspace

OK, FAILURE, USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


def _fail(message: str, code: int = FAILURE) -> int:
    print(f"craftls: error: {message}", file=sys.stderr)
    return code


def _guarded(handler: Handler) -> Handler:
    """Turn our exceptions into a one-line message and an exit code."""
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except UsageError as exc:
            return _fail(str(exc), USAGE)
        except RegistryError as exc:
            return _fail(f"{exc}{_hint(exc, args)}")
        except BrokenPipeError:
            raise  # the main CLI treats a closed stdout (| head) as success
        except (OSError, ValueError) as exc:
            return _fail(str(exc))
        except KeyboardInterrupt:
            return _fail("interrupted")
    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def _hint(exc: RegistryError, args: argparse.Namespace) -> str:
    """What to do about a temporary failure, said once; ``--offline`` only when the
    cache holds everything the command needs (today: every archive craft.lock pins)."""
    if not exc.retryable:
        return ""
    if _offline_would_work(args):
        return " (temporary; try again later, or use --offline: the cache has every package)"
    return " (temporary; try again later)"


def _offline_would_work(args: argparse.Namespace) -> bool:
    if getattr(args, "offline", True) or getattr(args, "command", "") != "install":
        return False
    try:
        ws = load_workspace(Path(args.workspace))
        lock = read_lock(ws.root)
        store = ArchiveStore(_cache_dir(args, ws.cache_dir))
        return lock is not None and lock.matches(ws.dependencies) and all(
            store.archive_path(p.sha256).is_file() for p in lock.packages)
    except (RegistryError, OSError):
        return False


def _cache_dir(args: argparse.Namespace, fallback: Path | None = None) -> Path:
    return default_cache_dir(getattr(args, "cache_dir", None) or fallback)


def _client(args: argparse.Namespace, root: Path) -> RegistryClient:
    ws = load_workspace(root)
    settings, problems = workspace_settings(ws.root)  # the same [settings] the server reads
    for problem in problems:
        print(f"craftls: warning: {problem}", file=sys.stderr)
    kwargs: dict[str, Any] = {**config_overrides(settings),
                              "cache_dir": _cache_dir(args, ws.cache_dir),
                              "offline": bool(getattr(args, "offline", False)),
                              # one run: a host that failed is not asked again
                              "remember_failures": True}
    if ws.token is not None:
        kwargs["token"] = ws.token
    return RegistryClient(RegistryConfig(**kwargs))


def _run(make: Callable[[RegistryClient], Awaitable[int]], args: argparse.Namespace,
         root: Path) -> int:
    async def main() -> int:
        async with _client(args, root) as client, \
                client.operation(f"craftls {args.command}", _notice):
            return await make(client)
    return asyncio.run(main())


def _notice(message: str) -> None:
    print(f"craftls: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------ registry
@_guarded
def cmd_registry_build(args: argparse.Namespace) -> int:
    """Pack package folders into a static registry."""
    src, out = Path(args.src), Path(args.out)
    if not src.is_dir():
        return _fail(f"{src} is not a folder", USAGE)
    report = build_registry(src, out)
    print(f"built {report.packages} packages ({report.versions} versions) into {out}")
    return OK


@_guarded
def cmd_registry_serve(args: argparse.Namespace) -> int:
    """Serve a built registry over HTTP (loopback unless --host says otherwise)."""
    server = make_server(Path(args.out), args.host, args.port)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}, reachable from other machines",
              file=sys.stderr)
    print(f"serving {args.out} at {server_url(server)} (Ctrl-C to stop)",
          file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return OK


# ----------------------------------------------------------------------- workspace
def _split_spec(text: str) -> tuple[str, str | None]:
    """``name`` or ``name@requirement``."""
    name, _, req = text.partition("@")
    if not name:
        raise UsageError(f"expected NAME or NAME@REQUIREMENT, got {text!r}")
    try:
        name = normalize_name(name)
        if req:
            parse_specifier(req)
    except FormatError as exc:
        raise UsageError(str(exc)) from exc
    return name, req or None


def _default_requirement(latest: str) -> str:
    """``~=MAJOR.MINOR`` of the newest version: compatible updates only."""
    release = parse_version(latest).release
    return f"~={release[0]}.{release[1] if len(release) > 1 else 0}"


@_guarded
def cmd_add(args: argparse.Namespace) -> int:
    """Add a dependency to craft.toml and re-lock (restoring craft.toml on failure)."""
    root = Path(args.workspace).resolve()
    name, req = _split_spec(args.package)
    config_path = root / CONFIG_NAME
    before = config_path.read_text(encoding="utf-8") if config_path.exists() else None

    async def work(client: RegistryClient) -> int:
        nonlocal req
        urls = registry_urls_for(load_workspace(root), client.config.cache_dir)
        found = (await gather_indexes(client, urls, [name]))[name]
        if found is None:
            return _fail(f"no configured registry has a package named {name!r}")
        if req is None:
            versions = [e.version for e in found.index.versions if not e.yanked]
            req = _default_requirement(str(max(versions)))
        add_dependency(root, name, req)
        try:
            lock = await lock_workspace(root, client)
        except RegistryError:
            _restore(config_path, before)
            raise
        pinned = lock.by_name()[name].version
        print(f"added {name} {req} (locked {pinned}) to {config_path}")
        return OK

    return _run(work, args, root)


def _restore(path: Path, text: str | None) -> None:
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(text, encoding="utf-8")


@_guarded
def cmd_lock(args: argparse.Namespace) -> int:
    """Resolve craft.toml and write craft.lock."""
    root = Path(args.workspace).resolve()

    async def work(client: RegistryClient) -> int:
        lock = await lock_workspace(root, client, upgrade=args.upgrade)
        for pkg in sorted(lock.packages, key=lambda p: p.name):
            print(f"{pkg.name} {pkg.version}")
        return OK

    return _run(work, args, root)


@_guarded
def cmd_install(args: argparse.Namespace) -> int:
    """Install what craft.lock pins (locking first if needed)."""
    root = Path(args.workspace).resolve()
    bar = ProgressBar("installing")

    async def work(client: RegistryClient) -> int:
        try:
            report = await install_workspace(root, client, progress=bar)
        finally:
            bar.close()
        for name, folder in report.locations.items():
            print(f"{name} {report.lock.by_name()[name].version} -> {folder}")
        print(f"{len(report.locations)} packages installed", file=sys.stderr)
        return OK

    return _run(work, args, root)


@_guarded
def cmd_search(args: argparse.Namespace) -> int:
    """Search the configured registries by name or description."""
    root = Path(args.workspace).resolve()

    async def work(client: RegistryClient) -> int:
        urls = registry_urls_for(load_workspace(root), client.config.cache_dir)
        hits = await client.search(urls, args.term)
        for item in hits:
            print(f"{item.name:<20} {item.latest:<10} {item.description}")
        if not hits:
            print(f"no package matches {args.term!r}", file=sys.stderr)
        return OK

    return _run(work, args, root)


# --------------------------------------------------------------------------- cache
@_guarded
def cmd_cache_stats(args: argparse.Namespace) -> int:
    """Print cache sizes as JSON."""
    cache = _cache_dir(args)  # no client: counting must not clean anything up first
    stats = {"cache_dir": str(cache), "store": ArchiveStore(cache).stats(),
             "documents": DiskDocumentCache(cache / "index").stats()}
    print(json.dumps(stats, indent=2))
    return OK


@_guarded
def cmd_cache_verify(args: argparse.Namespace) -> int:
    """Re-hash every cached archive; drop corrupt ones."""
    report = ArchiveStore(_cache_dir(args)).verify_all()
    print(f"checked {report.checked} archives, removed {len(report.removed)} corrupt; "
          f"{len(report.repaired)} extracted packages repaired")
    for sha in report.removed:
        print(f"  removed {sha}")
    for sha in report.repaired:
        print(f"  repaired {sha}")
    return OK if not report.removed and not report.repaired else FAILURE


@_guarded
def cmd_cache_backup(args: argparse.Namespace) -> int:
    """Write the cache (archives + index documents) to a tar.gz."""
    count = ArchiveStore(_cache_dir(args)).backup(Path(args.file))
    print(f"backed up {count} files to {args.file}")
    return OK


@_guarded
def cmd_cache_restore(args: argparse.Namespace) -> int:
    """Restore a backup made by ``cache backup`` (verified after unpacking)."""
    if not Path(args.file).is_file():
        return _fail(f"{args.file} does not exist", USAGE)
    report = ArchiveStore(_cache_dir(args)).restore(Path(args.file))
    print(f"restored {report.checked} archives ({len(report.removed)} corrupt dropped)")
    return OK


@_guarded
def cmd_cache_clear(args: argparse.Namespace) -> int:
    """Delete every cached archive, document and extracted package."""
    cache = _cache_dir(args)
    ArchiveStore(cache).clear()
    print(f"cleared {cache}")
    return OK


# ------------------------------------------------------------------------ register
def _common(parser: argparse.ArgumentParser, workspace: bool = True,
            offline: bool = True) -> None:
    parser.add_argument("--cache-dir", help="cache folder (default: $CRAFTLS_CACHE_DIR or "
                                            "the user cache dir)")
    if workspace:
        parser.add_argument("--workspace", default=".", help="folder holding craft.toml")
    if offline:
        parser.add_argument("--offline", action="store_true",
                            help="use cached data only; never touch the network")


def _sub(subparsers: Any, name: str, func: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text,
                                                            description=help_text)
    parser.set_defaults(func=func)
    return parser


def _needs_sub(parser: argparse.ArgumentParser) -> Handler:
    def usage(_args: argparse.Namespace) -> int:
        parser.print_usage(sys.stderr)
        return USAGE
    return usage


def register(subparsers: Any) -> None:
    """Add the registry commands to the main ``craftls`` argument parser."""
    reg = _sub(subparsers, "registry", cmd_registry_build, "build or serve a static registry")
    reg.set_defaults(func=_needs_sub(reg))
    reg_sub = reg.add_subparsers(dest="registry_command")
    build = _sub(reg_sub, "build", cmd_registry_build, "pack package folders into a registry")
    build.add_argument("src", help="folder with package folders (each has craft-package.toml)")
    build.add_argument("out", help="output folder for index.json, packages/, archives/")
    serve = _sub(reg_sub, "serve", cmd_registry_serve, "serve a built registry over HTTP")
    serve.add_argument("out", help="folder produced by `registry build`")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1")

    add = _sub(subparsers, "add", cmd_add, "add a dependency to craft.toml and lock it")
    add.add_argument("package", metavar="NAME[@REQ]", help="e.g. mathlib or 'mathlib@>=2'")
    _common(add)
    _common(_sub(subparsers, "install", cmd_install, "install the locked dependencies"))
    lock = _sub(subparsers, "lock", cmd_lock, "resolve dependencies into craft.lock")
    lock.add_argument("--upgrade", action="store_true", help="ignore versions already locked")
    _common(lock)
    search = _sub(subparsers, "search", cmd_search, "search packages by name or description")
    search.add_argument("term")
    _common(search)

    cache = _sub(subparsers, "cache", cmd_cache_stats, "inspect or maintain the package cache")
    cache.set_defaults(func=_needs_sub(cache))
    cache_sub = cache.add_subparsers(dest="cache_command")
    for name, func, help_text in (("stats", cmd_cache_stats, "show cache sizes"),
                                  ("verify", cmd_cache_verify, "re-hash cached archives"),
                                  ("clear", cmd_cache_clear, "delete the cache")):
        _common(_sub(cache_sub, name, func, help_text), workspace=False, offline=False)
    for name, func, help_text in (("backup", cmd_cache_backup, "write the cache to FILE"),
                                  ("restore", cmd_cache_restore, "restore the cache from FILE")):
        parser = _sub(cache_sub, name, func, help_text)
        parser.add_argument("file", metavar="FILE")
        _common(parser, workspace=False, offline=False)
