"""craft.toml editing, craft.lock round trip, format validation, builder determinism."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from craftls.registry.builder import build_registry, pack_archive
from craftls.registry.bundled import PREBUILT_DIR, ensure_bundled_registry
from craftls.registry.errors import FormatError
from craftls.registry.format import PackageIndex, PackageManifest, parse_specifier
from craftls.registry.lockfile import LockedPackage, LockFile, dumps, loads, read_lock, write_lock
from craftls.registry.workspace import add_dependency, load_workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "registry-packages"

names = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@given(st.lists(st.builds(
    LockedPackage, name=names, version=st.sampled_from(["1.0", "2.3.4", "0.1rc1"]),
    sha256=st.text("0123456789abcdef", min_size=64, max_size=64), source=texts, url=texts,
    dependencies=st.lists(names, max_size=3).map(lambda d: tuple(sorted(d))),
    language=texts), max_size=5, unique_by=lambda p: p.name),
    st.dictionaries(names, st.sampled_from(["*", ">=1", "~=2.0", "==1.0"])))
def test_lock_round_trip(packages, requirements):
    lock = LockFile(tuple(sorted(packages, key=lambda p: p.name)), requirements)
    assert loads(dumps(lock)) == lock


def test_lock_written_atomically(tmp_path):
    lock = LockFile((LockedPackage("m", "1.0", "a" * 64, "src", "url"),), {"m": "*"})
    write_lock(tmp_path, lock)
    assert read_lock(tmp_path) == lock
    assert [p.name for p in tmp_path.iterdir()] == ["craft.lock"]
    assert read_lock(tmp_path / "nowhere") is None


def test_bad_lock_is_a_format_error():
    with pytest.raises(FormatError):
        loads("version = 7\n")
    with pytest.raises(FormatError):
        loads('version = 1\n[[package]]\nname = "x"\n')


def test_add_dependency_keeps_other_sections(tmp_path):
    (tmp_path / "craft.toml").write_text(
        '[registry]\nurls = ["reg"]\n\n[dependencies]\nmathlib = ">=1"\n\n'
        '[[languages]]\nid = "pascal"\nfile = "pascal.yaml"\n')
    add_dependency(tmp_path, "strutils", ">=1.1")
    add_dependency(tmp_path, "MathLib", ">=2")
    data = tomllib.loads((tmp_path / "craft.toml").read_text())
    assert data["dependencies"] == {"mathlib": ">=2", "strutils": ">=1.1"}
    assert data["languages"] == [{"id": "pascal", "file": "pascal.yaml"}]
    config = load_workspace(tmp_path)
    assert config.registry_urls == ((tmp_path / "reg" / "index.json").resolve().as_uri(),)


def test_add_dependency_creates_file(tmp_path):
    add_dependency(tmp_path, "listtools", "*")
    assert load_workspace(tmp_path).dependencies == {"listtools": "*"}
    with pytest.raises(FormatError):
        add_dependency(tmp_path, "bad name!", "*")
    with pytest.raises(FormatError):
        add_dependency(tmp_path, "ok", ">>>1")


def test_specifier_forms():
    assert str(parse_specifier("")) == ""
    assert str(parse_specifier("*")) == ""
    assert str(parse_specifier("1.2")) == "==1.2"
    assert parse_specifier("~=1.2").contains("1.9")


def test_manifest_forms():
    flat = PackageManifest.from_toml('name = "A_b"\nversion = "1.0"\nexports = ["X"]\n')
    assert flat.name == "a-b" and flat.exports == {"X": None}
    table = PackageManifest.from_toml('[package]\nname = "a"\nversion = "1"\n'
                               'definition = "lang.yaml"\n[package.exports]\nX = "src/x.p"\n'
                               '[dependencies]\nb = ">=1"\n')
    assert table.exports == {"X": "src/x.p"} and table.definition == "lang.yaml"
    assert table.dependencies == {"b": ">=1"}
    with pytest.raises(FormatError):
        PackageManifest.from_toml('name = "a"\nversion = "not a version"\n')


def test_index_skips_an_entry_with_a_bad_hash():
    bad = {"format": 1, "name": "a", "versions": [
        {"version": "1.0", "sha256": "xyz", "url": "a.tar.gz"}]}
    index = PackageIndex.from_json(bad)
    assert index.versions == ()
    assert "sha256 'xyz' is not 64 lowercase hex" in index.skipped[0]


def test_builds_are_reproducible(tmp_path):
    first = build_registry(EXAMPLES, tmp_path / "one")
    second = build_registry(EXAMPLES, tmp_path / "two")
    assert first.versions == 8 and first.packages == 6
    for a, b in zip(first.archives, second.archives, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "one/packages.json").read_bytes() == \
        (tmp_path / "two/packages.json").read_bytes()


def test_prebuilt_bundled_registry_matches_examples(tmp_path):
    """Fails when examples change without rebuilding server/craftls/registry/bundled."""
    build_registry(EXAMPLES, tmp_path / "fresh")

    def digest(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert digest(PREBUILT_DIR) == digest(tmp_path / "fresh")


def test_bundled_registry_built_into_cache_when_prebuilt_missing(tmp_path):
    out = ensure_bundled_registry(tmp_path / "cache", prebuilt=tmp_path / "missing")
    assert out == tmp_path / "cache" / "bundled-registry"
    stamp = (out / ".source-hash").read_text()
    mtime = (out / "index.json").stat().st_mtime_ns
    assert ensure_bundled_registry(tmp_path / "cache", prebuilt=tmp_path / "missing") == out
    assert (out / "index.json").stat().st_mtime_ns == mtime  # not rebuilt
    assert (out / ".source-hash").read_text() == stamp


def test_pack_skips_hidden_and_rejects_symlinks(tmp_path):
    pkg = tmp_path / "p"
    pkg.mkdir()
    (pkg / "craft-package.toml").write_text('name = "p"\nversion = "1"\n')
    (pkg / ".secret").write_text("x")
    data = pack_archive(pkg)
    import gzip
    import io
    import tarfile
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as tar:
        assert tar.getnames() == ["craft-package.toml"]
    (pkg / "link").symlink_to("/etc/passwd")
    with pytest.raises(FormatError, match="symlink"):
        pack_archive(pkg)
