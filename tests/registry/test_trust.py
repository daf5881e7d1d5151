"""Issue 14, "unsafe": nothing from the lock file or the network is trusted as a path,
a credential target or a URL scheme. Every case runs against the loopback server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from craftls.registry.errors import FormatError
from craftls.registry.installer import install_workspace, missing_installation
from craftls.registry.lockfile import read_lock
from craftls.registry.store import ArchiveStore

from .conftest import FaultServer
from .test_install_cli import cli, workspace


def _locked_workspace(tmp_path: Path, server, cache: str) -> Path:
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("install", "--workspace", str(root), "--cache-dir", cache) == 0
    return root


def _edit_lock(root: Path, field: str, value: str) -> None:
    lock = root / "craft.lock"
    text = re.sub(rf'^{field} = ".*"$', f'{field} = "{value}"', lock.read_text(),
                  flags=re.MULTILINE)
    lock.write_text(text)


@pytest.mark.parametrize("offline", [False, True])
@pytest.mark.parametrize("evil", ["{victim}", "../../../victim", "{victim}/../victim"])
def test_lock_sha256_is_never_used_as_a_path(tmp_path, server, capsys, offline, evil):
    cache = str(tmp_path / "cache")
    root = _locked_workspace(tmp_path, server, cache)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    (tmp_path / "victim.tar.gz").write_text("mine too")
    _edit_lock(root, "sha256", evil.format(victim=victim))
    capsys.readouterr()
    argv = ["install", "--workspace", str(root), "--cache-dir", cache]
    assert cli(*argv, *(["--offline"] if offline else [])) == 1
    err = capsys.readouterr().err
    assert "is not 64 lowercase hex digits" in err and "mathlib" in err
    assert "Traceback" not in err and "corrupt" not in err
    assert (victim / "keep.txt").read_text() == "mine"
    assert (tmp_path / "victim.tar.gz").read_text() == "mine too"
    problem = missing_installation(root, Path(cache))  # the server's check
    assert problem is not None and "invalid" in problem


async def test_server_install_refuses_a_bad_lock_hash(tmp_path, server, make_client):
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    async with make_client() as client:
        await install_workspace(root, client)
    _edit_lock(root, "sha256", "A" * 64)  # uppercase is not a name the store writes
    async with make_client() as client:
        with pytest.raises(FormatError, match="craft.lock"):
            await install_workspace(root, client)
    with pytest.raises(FormatError):
        read_lock(root)


def test_store_refuses_other_names_by_construction(tmp_path):
    store = ArchiveStore(tmp_path / "cache")
    for bad in ("", "../x", "/etc/passwd", "a" * 63, "a" * 65, "g" * 64, "A" * 64,
                "a" * 64 + "\n"):
        with pytest.raises(FormatError):
            store.archive_path(bad)
        with pytest.raises(FormatError):
            store.package_dir(bad)
    assert store.archive_path("a" * 64).name == "a" * 64 + ".tar.gz"


def test_verify_removes_a_stray_store_file_without_following_its_name(tmp_path):
    cache = tmp_path / "cache"
    outside = tmp_path / "outside"
    outside.mkdir()
    stray = cache / "archives" / "sha256" / "..".replace(".", "x") / "..x.tar.gz"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    report = ArchiveStore(cache).verify_all()
    assert report.checked == 1 and len(report.removed) == 1
    assert not stray.exists() and outside.is_dir()


# ------------------------------------------------------------------ 2. credentials
TOKEN = "s3cret-token"


def _auth_seen(srv) -> list[str]:
    return [h.get("Authorization", "") for _p, h, _s in srv.log]


@pytest.fixture
def other(registry_dir):
    """A second loopback registry on another port: "another host" for credentials."""
    srv = FaultServer(registry_dir)
    yield srv
    srv.close()


def test_lock_source_that_is_not_configured_is_an_error(tmp_path, server, other, capsys,
                                                        monkeypatch):
    monkeypatch.setenv("CRAFTLS_REGISTRY_TOKEN", TOKEN)
    cache = str(tmp_path / "cache")
    root = _locked_workspace(tmp_path, server, cache)
    assert f"Bearer {TOKEN}" in _auth_seen(server)  # the configured registry gets it
    _edit_lock(root, "source", other.url)
    _edit_lock(root, "url", f"{other.base}/archives/mathlib/mathlib-2.0.0.tar.gz")
    cli("cache", "clear", "--cache-dir", cache)
    capsys.readouterr()
    assert cli("install", "--workspace", str(root), "--cache-dir", cache) == 1
    err = capsys.readouterr().err
    assert other.url in err and "not a registry configured in craft.toml" in err
    assert other.log == []  # not even asked, let alone with the token


def test_archive_on_another_host_gets_no_credentials(tmp_path, server, other, registry_dir,
                                                     monkeypatch):
    monkeypatch.setenv("CRAFTLS_REGISTRY_TOKEN", TOKEN)
    index = registry_dir / "packages" / "mathlib.json"
    index.write_text(index.read_text().replace('"archives/', f'"{other.base}/archives/'))
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("install", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 0
    assert other.statuses("/archives/mathlib/mathlib-2.0.0.tar.gz") == [200]
    assert _auth_seen(other) == [""]
    assert set(_auth_seen(server)) == {f"Bearer {TOKEN}"}


# --------------------------------------------------------------- 3. URL schemes
def test_http_index_cannot_point_an_archive_at_a_local_file(tmp_path, server, registry_dir,
                                                            capsys):
    archive = registry_dir / "archives" / "mathlib" / "mathlib-2.0.0.tar.gz"
    local = tmp_path / "local-copy.tar.gz"
    local.write_bytes(archive.read_bytes())  # same bytes, so the hash would match
    index = registry_dir / "packages" / "mathlib.json"
    index.write_text(index.read_text().replace(
        '"archives/mathlib/mathlib-2.0.0.tar.gz"', f'"{local.as_uri()}"'))
    root = workspace(tmp_path, 'mathlib = "==2.0.0"', f'"{server.url}"')
    cache = tmp_path / "c"
    assert cli("install", "--workspace", str(root), "--cache-dir", str(cache)) == 1
    err = capsys.readouterr().err
    assert "refusing archive file://" in err and server.url in err
    assert ArchiveStore(cache).archives() == []


def test_lock_cannot_point_an_http_registry_archive_at_a_local_file(tmp_path, server,
                                                                     capsys):
    cache = str(tmp_path / "cache")
    root = _locked_workspace(tmp_path, server, cache)
    store = ArchiveStore(Path(cache))
    local = tmp_path / "local.tar.gz"
    local.write_bytes(store.archives()[0].read_bytes())
    _edit_lock(root, "url", local.as_uri())
    cli("cache", "clear", "--cache-dir", cache)
    capsys.readouterr()
    assert cli("install", "--workspace", str(root), "--cache-dir", cache) == 1
    assert "refusing archive file://" in capsys.readouterr().err
    assert store.archives() == []


def test_local_path_registry_still_reads_file_urls(tmp_path, registry_dir):
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{registry_dir}"')
    assert cli("install", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 0
