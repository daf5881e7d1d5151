"""Workspace install end to end and the CLI handlers (called directly, never via a shell)."""

from __future__ import annotations

import argparse
import io
import tarfile
from pathlib import Path

import pytest

from craftls.cli.registry_cmd import register
from craftls.registry import (
    list_installed_definitions,
    list_installed_exports,
    resolve_module,
)
from craftls.registry.builder import build_registry
from craftls.registry.installer import install_workspace, lock_workspace
from craftls.registry.lockfile import read_lock
from craftls.registry.progress import ProgressBar
from craftls.registry.store import ArchiveStore

from .conftest import write_package

EXAMPLE_WS = Path(__file__).resolve().parents[2] / "examples"


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="craftls")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    code: int = args.func(args)
    return code


def workspace(tmp_path: Path, deps: str, urls: str = "") -> Path:
    root = tmp_path / "app"
    root.mkdir(exist_ok=True)
    registry = f"[registry]\nurls = [{urls}]\n\n" if urls else ""
    (root / "craft.toml").write_text(f"{registry}[dependencies]\n{deps}\n")
    return root


async def test_bundled_registry_works_offline_out_of_the_box(tmp_path, make_client):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "craft.toml").write_text((EXAMPLE_WS / "craft.toml").read_text())
    cache = tmp_path / "cache"
    async with make_client(offline=True) as client:  # no network needed at all
        report = await install_workspace(root, client)
    assert set(report.locations) == {"basicio", "cadenas", "geometry", "listtools", "mathlib",
                                     "strutils"}
    lock = read_lock(root)
    assert lock is not None
    assert {p.source for p in lock.packages} == {"bundled"}
    assert all(not p.url.startswith("file:") for p in lock.packages)
    path = resolve_module(root, "MathLib", cache)
    assert path is not None and path.name == "MathLib.pas"
    assert "FUNCTION Square(x : INTEGER) : INTEGER;" in path.read_text()
    assert resolve_module(root, "mathlib", cache) == path  # Pascal ignores case
    assert resolve_module(root, "Nope", cache) is None
    exports = list_installed_exports(root, cache)
    assert set(exports) == {"BasicIO", "cadenas", "Geometry", "listtools", "MathLib",
                            "StrUtils"}
    assert exports["listtools"].suffix == ".teach"
    assert exports["BasicIO"].name == "basicio.bas"  # found by stem, ignoring case


async def test_install_over_http_then_offline(server, make_client, tmp_path):
    root = workspace(tmp_path, 'strutils = ">=1"', f'"{server.url}"')
    stream = io.StringIO()
    bar = ProgressBar("installing", stream=stream, enabled=True)
    async with make_client() as client:
        report = await install_workspace(root, client, progress=bar)
    assert report.relocked
    assert {n: p.version for n, p in report.lock.by_name().items()} == {
        "mathlib": "2.0.0", "strutils": "1.1.0"}
    assert "2/2" in stream.getvalue()
    hits = sum(server.hits.values())
    async with make_client(offline=True) as client:
        again = await install_workspace(root, client)
    assert not again.relocked and again.locations == report.locations
    assert sum(server.hits.values()) == hits


async def test_relock_keeps_locked_versions_unless_upgrade(server, make_client, tmp_path,
                                                           registry_dir):
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    async with make_client() as client:
        lock = await lock_workspace(root, client)
    assert lock.by_name()["mathlib"].version == "2.0.0"
    src = tmp_path / "src"
    write_package(src, "mathlib", "2.1.0", module="MathLib")
    build_registry(src, registry_dir)
    async with make_client(index_ttl=0.001) as client:
        kept = await lock_workspace(root, client)
        upgraded = await lock_workspace(root, client, upgrade=True)
    assert kept.by_name()["mathlib"].version == "2.0.0"
    assert upgraded.by_name()["mathlib"].version == "2.1.0"


async def test_definitions_carried_by_packages(tmp_path, make_client):
    src = tmp_path / "defsrc"
    folder = write_package(src, "turtle", "1.0.0", language="turtle", module="Turtle",
                           extra='definition = "turtle.yaml"')
    (folder / "turtle.yaml").write_text("name: turtle\nkeywords: [forward, left]\n")
    build_registry(src, tmp_path / "defreg")
    root = workspace(tmp_path, 'turtle = "*"', f'"{tmp_path / "defreg"}"')
    async with make_client() as client:
        await install_workspace(root, client)
    defs = list_installed_definitions(root, tmp_path / "cache")
    assert defs["turtle"].name == "turtle.yaml"


def test_cli_full_flow(tmp_path, server, capsys, monkeypatch, registry_dir):
    cache = str(tmp_path / "cli-cache")
    root = workspace(tmp_path, "", f'"{server.url}"')
    assert cli("search", "math", "--workspace", str(root), "--cache-dir", cache) == 0
    assert "mathlib" in capsys.readouterr().out
    assert cli("add", "strutils", "--workspace", str(root), "--cache-dir", cache) == 0
    assert 'strutils = "~=1.1"' in (root / "craft.toml").read_text()
    assert cli("install", "--workspace", str(root), "--cache-dir", cache) == 0
    out = capsys.readouterr().out
    assert "strutils 1.1.0" in out and "mathlib 2.0.0" in out
    assert cli("lock", "--workspace", str(root), "--cache-dir", cache) == 0
    assert cli("cache", "stats", "--cache-dir", cache) == 0
    assert '"archives": 2' in capsys.readouterr().out

    # verify drops a corrupt archive
    store = ArchiveStore(Path(cache))
    victim = store.archives()[0]
    victim.write_bytes(b"corrupt")
    assert cli("cache", "verify", "--cache-dir", cache) == 1
    assert not victim.exists() and len(store.archives()) == 1
    assert cli("cache", "verify", "--cache-dir", cache) == 0

    # backup / clear / restore round trip
    backup = tmp_path / "backup.tar.gz"
    assert cli("cache", "backup", str(backup), "--cache-dir", cache) == 0
    before = sorted(p.name for p in store.archives())
    assert cli("cache", "clear", "--cache-dir", cache) == 0
    assert store.archives() == []
    assert cli("cache", "restore", str(backup), "--cache-dir", cache) == 0
    assert sorted(p.name for p in store.archives()) == before
    # reinstall offline from the restored cache (re-downloads the dropped archive? no: offline)
    capsys.readouterr()
    assert cli("install", "--workspace", str(root), "--cache-dir", cache, "--offline") == 1
    assert "offline" in capsys.readouterr().err
    assert cli("install", "--workspace", str(root), "--cache-dir", cache) == 0


def test_cli_errors_are_one_line_with_exit_codes(tmp_path, server, capsys):
    cache = str(tmp_path / "c")
    root = workspace(tmp_path, "", f'"{server.url}"')
    assert cli("add", "bad name!", "--workspace", str(root), "--cache-dir", cache) == 2
    assert cli("add", "mathlib@>>2", "--workspace", str(root), "--cache-dir", cache) == 2
    assert cli("add", "nosuch", "--workspace", str(root), "--cache-dir", cache) == 1
    assert cli("add", "mathlib@>=5", "--workspace", str(root), "--cache-dir", cache) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "app needs mathlib>=5, but the registry only has mathlib 1.0.0, 2.0.0" in err
    assert "mathlib" not in (root / "craft.toml").read_text()  # restored after failure
    assert cli("registry") == 2
    assert cli("cache") == 2
    assert cli("cache", "restore", str(tmp_path / "missing.tgz"), "--cache-dir", cache) == 2
    assert cli("registry", "build", str(tmp_path / "nope"), str(tmp_path / "out")) == 2
    with pytest.raises(SystemExit) as info:
        cli("add")
    assert info.value.code == 2


def test_cli_restore_refuses_malicious_backup(tmp_path, capsys):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("archives/../../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    assert cli("cache", "restore", str(evil), "--cache-dir", str(tmp_path / "c")) == 1
    assert "escapes" in capsys.readouterr().err
    assert not list(tmp_path.rglob("escape.txt"))


def test_cli_registry_build(tmp_path, capsys):
    src = tmp_path / "src"
    write_package(src, "solo", "0.1.0")
    assert cli("registry", "build", str(src), str(tmp_path / "out")) == 0
    assert (tmp_path / "out/packages/solo.json").is_file()
    assert "built 1 packages" in capsys.readouterr().out


def test_static_server_binds_loopback_and_sends_etag(registry_dir, tmp_path):
    import httpx

    from craftls.registry.static_server import make_server, serve_in_thread

    server, url = serve_in_thread(registry_dir)
    try:
        assert server.server_address[0] == "127.0.0.1"
        first = httpx.get(url.replace("index.json", "packages/mathlib.json"))
        etag = first.headers["ETag"]
        again = httpx.get(url.replace("index.json", "packages/mathlib.json"),
                          headers={"If-None-Match": etag})
        assert (first.status_code, again.status_code) == (200, 304)
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(FileNotFoundError):
        make_server(tmp_path)
