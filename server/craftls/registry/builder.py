"""``craftls registry build``: pack package folders into a static registry.

Archives are byte-for-byte reproducible (sorted entries, fixed mtimes, owner 0,
gzip header without name or time) so the same sources always give the same sha256.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_bytes_atomic
from .errors import FormatError
from .format import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    PackageIndex,
    PackageManifest,
    PackageSummary,
    RootIndex,
    VersionEntry,
)

FIXED_MTIME = 315532800  # 1980-01-01, the earliest time every archive format accepts
_SKIP_NAMES = {"__pycache__", ".git", ".DS_Store"}


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    out: Path
    packages: int
    versions: int
    archives: tuple[Path, ...]


def find_package_dirs(src: Path) -> list[Path]:
    """Every folder under ``src`` holding a manifest, sorted for reproducibility."""
    return sorted(p.parent for p in src.rglob(MANIFEST_NAME) if p.is_file())


def _package_files(pkg_dir: Path) -> list[Path]:
    files = []
    for path in sorted(pkg_dir.rglob("*")):
        rel = path.relative_to(pkg_dir)
        if any(part in _SKIP_NAMES or part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink():
            raise FormatError(f"{path}: symlinks are not allowed in packages")
        if path.is_file():
            files.append(path)
    return files


def pack_archive(pkg_dir: Path) -> bytes:
    """Return the deterministic ``.tar.gz`` bytes of one package folder."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path in _package_files(pkg_dir):
            data = path.read_bytes()
            info = tarfile.TarInfo(path.relative_to(pkg_dir).as_posix())
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def _read_manifest(pkg_dir: Path) -> tuple[PackageManifest, bool]:
    text = (pkg_dir / MANIFEST_NAME).read_text(encoding="utf-8")
    manifest = PackageManifest.from_toml(text, where=str(pkg_dir / MANIFEST_NAME))
    section = tomllib.loads(text).get("package", {})
    if manifest.definition and not (pkg_dir / manifest.definition).is_file():
        raise FormatError(f"{pkg_dir}: definition {manifest.definition!r} is missing")
    return manifest, bool(section.get("yanked", False))


def _dump_json(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _latest(entries: list[VersionEntry]) -> str:
    good = [e.version for e in entries if not e.yanked and not e.version.is_prerelease]
    pool = good or [e.version for e in entries]
    return str(max(pool))


def build_registry(src: Path, out: Path) -> BuildReport:
    """Pack every package under ``src`` and write the index files into ``out``."""
    by_name: dict[str, list[VersionEntry]] = {}
    descriptions: dict[str, str] = {}
    archives: list[Path] = []
    for pkg_dir in find_package_dirs(src):
        manifest, yanked = _read_manifest(pkg_dir)
        data = pack_archive(pkg_dir)
        rel_url = f"archives/{manifest.name}/{manifest.name}-{manifest.version}.tar.gz"
        if any(e.version == manifest.version for e in by_name.get(manifest.name, [])):
            raise FormatError(f"{manifest.name} {manifest.version} appears twice under {src}")
        write_bytes_atomic(out / rel_url, data)
        archives.append(out / rel_url)
        by_name.setdefault(manifest.name, []).append(VersionEntry(
            name=manifest.name, version=manifest.version,
            dependencies=dict(manifest.dependencies), sha256=hashlib.sha256(data).hexdigest(),
            url=rel_url, size=len(data), yanked=yanked, language=manifest.language,
            exports=tuple(manifest.exports),
        ))
        descriptions[manifest.name] = manifest.description
    summaries = []
    for name in sorted(by_name):
        entries = sorted(by_name[name], key=lambda e: e.version)
        index = PackageIndex(name=name, description=descriptions[name], versions=tuple(entries))
        write_bytes_atomic(out / "packages" / f"{name}.json", _dump_json(index.to_json()))
        summaries.append(PackageSummary(name, descriptions[name], _latest(entries),
                                        f"packages/{name}.json"))
    listing = {"format": FORMAT_VERSION, "packages": [s.to_json() for s in summaries]}
    write_bytes_atomic(out / "packages.json", _dump_json(listing))
    write_bytes_atomic(out / "index.json", _dump_json(RootIndex("packages.json").to_json()))
    _remove_stale(out, set(archives), {out / "packages" / f"{n}.json" for n in by_name})
    return BuildReport(out, len(by_name), sum(len(v) for v in by_name.values()), tuple(archives))


def _remove_stale(out: Path, archives: set[Path], indexes: set[Path]) -> None:
    """Drop files a previous build left behind, so the folder mirrors the sources."""
    for path in (out / "archives").rglob("*.tar.gz"):
        if path not in archives:
            path.unlink()
    for path in (out / "packages").glob("*.json"):
        if path not in indexes:
            path.unlink()
