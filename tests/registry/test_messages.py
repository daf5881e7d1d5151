"""Issue 14, "messages": every failure is one line naming what failed and what to do."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from craftls.registry.errors import UnsafeArchive
from craftls.registry.lockfile import LockedPackage

from .conftest import Fault, FaultServer
from .test_install_cli import cli, workspace
from .test_safety import make_tar, regular

PKG = "/packages/mathlib.json"


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("craftls: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return str(lines[0])


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:99999/", "invalid port"),
    ("ftp://127.0.0.1/registry/", "unsupported URL scheme 'ftp://'"),
])
def test_bad_registry_urls_are_one_line_errors(tmp_path, capsys, url, expected):
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{url}"')
    assert cli("lock", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 1
    line = _one_line_error(capsys)
    assert expected in line and "temporary" not in line  # not retried as "temporary"


def test_redirect_loop_is_a_one_line_error(tmp_path, server, capsys):
    server.add(PKG, *[Fault("status", 302, {"Location": PKG})] * 50)
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("lock", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 1
    assert "too many redirects" in _one_line_error(capsys)


@pytest.mark.parametrize("encode, expected", [
    (lambda t: codecs.BOM_UTF8 + t.encode(), "UTF-8 with a byte-order mark"),
    (lambda t: t.encode("utf-16"), "encoded as UTF-16"),
    (lambda t: t.encode("utf-16-le"), "looks like UTF-16"),
    (lambda t: t.encode("latin-1") + b"\xe9", "is not UTF-8"),
])
def test_documents_that_are_not_plain_utf8_get_a_clear_message(tmp_path, server,
                                                                registry_dir, capsys,
                                                                encode, expected):
    text = (registry_dir / "packages" / "mathlib.json").read_text()
    server.add(PKG, Fault("body", body=encode(text)))
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("lock", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 1
    line = _one_line_error(capsys)
    assert expected in line and "mathlib.json" in line


def test_integrity_error_names_package_version_and_url(tmp_path, server, capsys):
    archive = "/archives/mathlib/mathlib-2.0.0.tar.gz"
    server.add(archive, *[Fault("body", body=b"not the archive")] * 2)
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("install", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 1
    line = _one_line_error(capsys)
    assert f"mathlib 2.0.0 ({server.base}{archive})" in line and "sha256 mismatch" in line


def test_try_again_later_once_and_no_offline_when_the_cache_cannot_help(tmp_path, server,
                                                                        capsys):
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    server.add(PKG, *[Fault("status", 503)] * 4)  # never fetched: nothing cached
    assert cli("lock", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 1
    line = _one_line_error(capsys)
    assert line.count("try again later") == 1 and "--offline" not in line


async def test_unsafe_archive_error_names_the_package(tmp_path, make_client):
    from craftls.registry.installer import install_package

    root = tmp_path / "evil-registry"
    archive = make_tar(tmp_path / "evil.tar.gz", [regular("../../pwned.txt")])
    (root / "archives").mkdir(parents=True)
    data = archive.read_bytes()
    (root / "archives/evil-1.0.0.tar.gz").write_bytes(data)
    srv = FaultServer(root)
    try:
        pkg = LockedPackage("evil", "1.0.0", hashlib.sha256(data).hexdigest(), srv.url,
                            f"{srv.base}/archives/evil-1.0.0.tar.gz")
        async with make_client() as client:
            with pytest.raises(UnsafeArchive, match=r"^evil 1\.0\.0 \(http://127"):
                await install_package(client, pkg, {srv.url})
    finally:
        srv.close()
    assert not list(Path(tmp_path).rglob("pwned.txt"))
