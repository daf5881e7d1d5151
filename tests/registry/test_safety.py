"""Malicious archives are refused before anything lands outside the target folder."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from craftls.registry.config import Limits
from craftls.registry.errors import FormatError, UnsafeArchive
from craftls.registry.lockfile import LockedPackage
from craftls.registry.safety import safe_extract

from .conftest import FaultServer


def make_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    return path


def regular(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes | None]:
    return tarfile.TarInfo(name), data


def special(name: str, kind: bytes, target: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


GOOD = [regular("craft-package.toml", b'name="a"\nversion="1.0"\n'), regular("src/a.pas")]


def test_good_archive_extracts(tmp_path):
    names = safe_extract(make_tar(tmp_path / "a.tar.gz", GOOD), tmp_path / "out", Limits())
    assert names == ["craft-package.toml", "src/a.pas"]
    assert (tmp_path / "out/src/a.pas").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("members, reason", [
    ([regular("../evil.txt")], "escapes"),
    ([regular("src/../../evil.txt")], "escapes"),
    ([regular("/tmp/evil.txt")], "absolute"),
    ([special("link", tarfile.SYMTYPE, "/etc/passwd")], "link"),
    ([regular("a.txt"), special("hard", tarfile.LNKTYPE, "a.txt")], "link"),
    ([special("dev", tarfile.CHRTYPE)], "device"),
    ([special("fifo", tarfile.FIFOTYPE)], "device"),
])
def test_unsafe_members_are_refused(tmp_path, members, reason):
    archive = make_tar(tmp_path / "bad.tar.gz", GOOD + members)
    with pytest.raises(UnsafeArchive, match=reason):
        safe_extract(archive, tmp_path / "out", Limits())
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_decompression_bomb_is_stopped(tmp_path):
    archive = make_tar(tmp_path / "bomb.tar.gz", [regular("zeros.bin", b"\0" * 5_000_000)])
    assert archive.stat().st_size < 20_000  # tiny on the wire
    with pytest.raises(UnsafeArchive, match="beyond"):
        safe_extract(archive, tmp_path / "out", Limits(max_total_bytes=1_000_000))
    assert not (tmp_path / "out").exists()


def test_lying_size_header_is_caught_by_byte_count(tmp_path):
    # many small files whose sum exceeds the limit: the running total catches it
    members = [regular(f"f{i}.txt", b"a" * 1000) for i in range(50)]
    with pytest.raises(UnsafeArchive):
        safe_extract(make_tar(tmp_path / "m.tar.gz", members), tmp_path / "out",
                     Limits(max_total_bytes=10_000))


def test_too_many_files(tmp_path):
    members = [regular(f"f{i}.txt") for i in range(20)]
    with pytest.raises(UnsafeArchive, match="more than 10 files"):
        safe_extract(make_tar(tmp_path / "n.tar.gz", members), tmp_path / "out",
                     Limits(max_files=10))


def test_duplicate_entry_cannot_overwrite(tmp_path):
    members = [regular("a.txt", b"one"), regular("a.txt", b"two")]
    with pytest.raises(FileExistsError):
        safe_extract(make_tar(tmp_path / "d.tar.gz", members), tmp_path / "out", Limits())


def test_not_a_tarball(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"hello")
    with pytest.raises(FormatError):
        safe_extract(bogus, tmp_path / "out", Limits())


async def test_install_refuses_malicious_package_from_registry(tmp_path, make_client):
    """A registry listing a traversal archive with a matching hash still cannot escape."""
    root = tmp_path / "evil-registry"
    archive = make_tar(tmp_path / "evil.tar.gz", GOOD + [regular("../../pwned.txt")])
    (root / "archives").mkdir(parents=True)
    data = archive.read_bytes()
    (root / "archives/evil-1.0.0.tar.gz").write_bytes(data)
    (root / "index.json").write_text('{"format": 1, "packages": "packages.json"}')
    sha = hashlib.sha256(data).hexdigest()
    srv = FaultServer(root)
    try:
        from craftls.registry.installer import install_package

        pkg = LockedPackage("evil", "1.0.0", sha, srv.url,
                            f"{srv.base}/archives/evil-1.0.0.tar.gz")
        async with make_client() as client:
            with pytest.raises(UnsafeArchive):
                await install_package(client, pkg, {srv.url})
            assert not client.store.package_dir(sha).exists()
    finally:
        srv.close()
    assert not list(tmp_path.rglob("pwned.txt"))
