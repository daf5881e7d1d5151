"""Issue 14, "integrity and leftovers": extraction manifests, stale temporaries, the
CLI's settings and cache folder, file modes and all-or-nothing restore."""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile
import time
from pathlib import Path

import pytest

from craftls.registry.store import ArchiveStore

from .test_install_cli import cli, workspace


def read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    content = tar.extractfile(member)
    assert content is not None, member.name  # a regular file
    return content.read()


def _installed(tmp_path: Path, server) -> tuple[Path, str, ArchiveStore]:
    cache = str(tmp_path / "cache")
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("install", "--workspace", str(root), "--cache-dir", cache) == 0
    return root, cache, ArchiveStore(Path(cache))


def _package_folder(store: ArchiveStore) -> Path:
    sha = store.archives()[0].name.removesuffix(".tar.gz")
    return store.package_dir(sha)


# ------------------------------------------------------ 9. extraction manifests
@pytest.mark.parametrize("damage", ["delete-manifest", "edit", "add", "delete-source"])
def test_damaged_extraction_is_extracted_again_on_install(tmp_path, server, capsys, damage):
    root, cache, store = _installed(tmp_path, server)
    folder = _package_folder(store)
    source = folder / "src" / "MathLib.pas"
    original = source.read_text()
    if damage == "delete-manifest":
        (folder / "craft-package.toml").unlink()
    elif damage == "edit":
        source.write_text("tampered")
    elif damage == "add":
        (folder / "src" / "Extra.pas").write_text("not from the archive")
    else:
        source.unlink()
    hits = sum(server.hits.values())
    for offline in ([], ["--offline"]):
        assert cli("install", "--workspace", str(root), "--cache-dir", cache, *offline) == 0
    assert source.read_text() == original
    assert (folder / "craft-package.toml").is_file()
    assert not (folder / "src" / "Extra.pas").exists()
    assert sum(server.hits.values()) == hits  # repaired from the cached archive
    assert "Errno" not in capsys.readouterr().err


def test_cache_verify_checks_and_repairs_extracted_packages(tmp_path, server, capsys):
    _root, cache, store = _installed(tmp_path, server)
    folder = _package_folder(store)
    (folder / "src" / "MathLib.pas").write_text("tampered")
    capsys.readouterr()
    assert cli("cache", "verify", "--cache-dir", cache) == 1
    out = capsys.readouterr().out
    assert "1 extracted packages repaired" in out
    assert (folder / "src" / "MathLib.pas").read_text().startswith("MODULE MathLib;")
    assert cli("cache", "verify", "--cache-dir", cache) == 0


# ------------------------------------------------------------ 10. stale temporaries
def test_stale_temporaries_are_counted_then_cleaned_at_start(tmp_path, server, capsys):
    root, cache, _store = _installed(tmp_path, server)
    tmp = Path(cache) / "tmp"
    old = time.time() - 7 * 86_400
    dead_part = tmp / "download-999999999-abc.part"  # no such process
    dead_part.write_bytes(b"x" * 1000)
    legacy = tmp / "extract-zz12"  # written before owners were recorded
    (legacy / "pkg").mkdir(parents=True)
    (legacy / "pkg" / "f.txt").write_bytes(b"y" * 500)
    live = tmp / f"download-{os.getpid()}-def.part"  # this process: still in use
    live.write_bytes(b"z")
    young = tmp / "download-999999999-new.part"  # too young to be abandoned
    young.write_bytes(b"w")
    for path in (dead_part, legacy / "pkg" / "f.txt", legacy / "pkg", legacy, live):
        os.utime(path, (old, old))
    capsys.readouterr()
    assert cli("cache", "stats", "--cache-dir", cache) == 0
    store = json.loads(capsys.readouterr().out)["store"]
    assert store["tmp_entries"] == 4 and store["tmp_bytes"] == 1502
    assert cli("install", "--workspace", str(root), "--cache-dir", cache, "--offline") == 0
    assert sorted(p.name for p in tmp.iterdir()) == sorted([live.name, young.name])


# ------------------------------------------------- 11. doctor --cache-dir, [settings]
def test_doctor_checks_the_cache_dir_it_is_given(tmp_path, server, capsys, monkeypatch):
    import argparse

    from craftls.cli.doctor_checks import register_doctor_checks
    from craftls.cli.ops_cmd import doctor_cmd

    _root, cache, store = _installed(tmp_path, server)
    store.archives()[0].write_bytes(b"corrupt")
    monkeypatch.setenv("CRAFTLS_CACHE_DIR", str(tmp_path / "elsewhere"))
    register_doctor_checks()
    args = argparse.Namespace(log_dir=str(tmp_path / "logs"), cache_dir=cache,
                              config_dir=str(tmp_path / "cfg"), json=True)
    capsys.readouterr()
    doctor_cmd(args)
    results = {r["check"]: r for r in json.loads(capsys.readouterr().out)}
    check = results["cache integrity"]
    assert not check["ok"] and cache in check["message"]
    assert "1 corrupt archives removed" in check["message"]
    assert store.archives() == []


def test_cli_reads_settings_from_craft_toml(tmp_path, server, capsys):
    from .conftest import Fault
    server.add("/packages/mathlib.json", Fault("status", 503, {"Retry-After": "30"}))
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    config = root / "craft.toml"
    config.write_text(config.read_text() + "\n[settings]\nregistryRetryAfterCap = 5\n"
                      "registryBogus = 1\n")
    assert cli("lock", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 1
    err = capsys.readouterr().err
    assert "asks us to retry in 30 s (HTTP 503); we wait at most 5 s" in err
    assert "unknown setting 'registryBogus' ignored" in err and "craft.toml" in err


# ------------------------------------------------------------------ 12. file modes
def test_lock_and_add_keep_the_file_modes(tmp_path, server):
    root = workspace(tmp_path, "", f'"{server.url}"')
    config = root / "craft.toml"
    config.chmod(0o644)
    old = os.umask(0o027)
    try:
        assert cli("add", "mathlib", "--workspace", str(root),
                   "--cache-dir", str(tmp_path / "c")) == 0
        assert stat.S_IMODE((root / "craft.lock").stat().st_mode) == 0o640  # umask's
        (root / "craft.lock").chmod(0o664)
        assert cli("add", "strutils", "--workspace", str(root),
                   "--cache-dir", str(tmp_path / "c")) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(config.stat().st_mode) == 0o644
    assert stat.S_IMODE((root / "craft.lock").stat().st_mode) == 0o664


# ----------------------------------------------------------- 13. restore is atomic
def _backup_with(tmp_path: Path, cache: str, extra: str | None) -> Path:
    backup = tmp_path / "backup.tar.gz"
    assert cli("cache", "backup", str(backup), "--cache-dir", cache) == 0
    if extra is None:
        return backup
    with tarfile.open(backup) as tar:
        members = [(m, read_member(tar, m)) for m in tar.getmembers() if m.isfile()]
    with tarfile.open(backup, "w:gz") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data))
        info = tarfile.TarInfo(extra)  # last, after the good entries
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    return backup


def test_rejected_restore_restores_nothing(tmp_path, server, capsys):
    _root, cache, store = _installed(tmp_path, server)
    backup = _backup_with(tmp_path, cache, "packages/sneaky.txt")
    fresh = tmp_path / "fresh"
    assert cli("cache", "restore", str(backup), "--cache-dir", str(fresh)) == 1
    assert "nothing was restored" in capsys.readouterr().err
    assert ArchiveStore(fresh).archives() == []
    assert not (fresh / "index").exists() or not any((fresh / "index").rglob("*.json"))


def test_restore_failing_midway_puts_back_what_was_there(tmp_path, server):
    _root, cache, store = _installed(tmp_path, server)
    backup = _backup_with(tmp_path, cache, None)
    with tarfile.open(backup) as tar:
        names = [m.name for m in tar.getmembers() if m.isfile()]
    target = tmp_path / "target"
    kept = target / names[0]
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"what was there")
    assert names[0].startswith("archives/") and names[-1].startswith("index/")
    (target / "index").write_text("a file where a folder must go: the last move fails")
    assert cli("cache", "restore", str(backup), "--cache-dir", str(target)) == 1
    assert kept.read_bytes() == b"what was there"
    for name in names[1:-1]:
        assert not (target / name).exists()
