"""Content-addressed archive store and extracted package folders.

Layout under the cache dir::

    archives/sha256/<hh>/<hash>.tar.gz    verified archives (immutable)
    packages/sha256/<hh>/<hash>/          extracted sources
    packages/sha256/<hh>/<hash>.files.json  what the extraction wrote (path -> sha256)
    tmp/                                  downloads in progress

A download is hashed while it streams into ``tmp/`` and renamed into place only if
the sha256 matches, so a corrupt or partial file is never visible under its hash.
An extracted folder is checked against its manifest before it is used; a folder that
differs (a file edited, deleted or added) is extracted again from its archive.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_text_atomic
from .config import Limits
from .errors import FormatError, IntegrityError, TooLarge, UnsafeArchive
from .format import check_sha256
from .safety import safe_extract

log = logging.getLogger(__name__)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def tree_manifest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative POSIX path -> sha256); links count as
    differences, since a safe extraction never writes one."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            files[rel] = "symlink"
        elif path.is_file():
            files[rel] = sha256_file(path)
    return files


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    removed: tuple[str, ...]
    #: extracted packages that differed from their manifest and were extracted again
    repaired: tuple[str, ...] = ()


class ArchiveStore:
    """Puts, verifies, extracts, backs up and clears cached archives."""

    def __init__(self, cache_dir: Path, limits: Limits | None = None) -> None:
        self.root = cache_dir
        self.limits = limits or Limits()

    def archive_path(self, sha: str) -> Path:
        sha = check_sha256(sha, "archive store")  # the store names nothing else
        return self.root / "archives" / "sha256" / sha[:2] / f"{sha}.tar.gz"

    def package_dir(self, sha: str) -> Path:
        sha = check_sha256(sha, "package store")
        return self.root / "packages" / "sha256" / sha[:2] / sha

    def has_valid(self, sha: str) -> bool:
        """True if the archive is present with the right hash; a bad copy is deleted."""
        path = self.archive_path(sha)
        if not path.is_file():
            return False
        if sha256_file(path) == sha:
            return True
        log.warning("cached archive %s is corrupt; removing it", path)
        path.unlink(missing_ok=True)
        self._remove_extraction(sha)
        return False

    async def put_stream(self, sha: str, chunks: AsyncIterator[bytes]) -> Path:
        """Hash ``chunks`` into a temp file; rename into place only if the hash matches."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=_owner_prefix("download"),
                                        suffix=".part")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.limits.max_archive_bytes:
                        raise TooLarge(f"archive larger than the "
                                       f"{self.limits.max_archive_bytes}-byte limit "
                                       "(setting registryMaxArchiveBytes); stopped reading")
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha:
                raise IntegrityError(f"sha256 mismatch: expected {sha}, got "
                                     f"{digest.hexdigest()} ({size} bytes); not cached. "
                                     "The registry or something between us changed the "
                                     "archive: tell the registry's maintainer")
            final = self.archive_path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
            return final
        finally:
            Path(tmp_name).unlink(missing_ok=True)

    def manifest_path(self, sha: str) -> Path:
        folder = self.package_dir(sha)  # checks the name
        return folder.with_name(f"{folder.name}.files.json")

    def extracted_intact(self, sha: str) -> bool:
        """The extracted folder holds exactly the files its extraction wrote."""
        target = self.package_dir(sha)
        try:
            recorded = json.loads(self.manifest_path(sha).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return target.is_dir() and recorded.get("files") == tree_manifest(target)

    def extract(self, sha: str) -> Path:
        """Extract a verified archive; later calls return the existing folder once it
        matches its manifest, and extract again when it does not."""
        target = self.package_dir(sha)
        if self.extracted_intact(sha):
            return target
        if target.exists():
            log.warning("extracted package %s differs from its archive; extracting again",
                        target)
            self._remove_extraction(sha)
        staging = Path(tempfile.mkdtemp(dir=self._tmp(),
                                        prefix=_owner_prefix("extract"))) / "pkg"
        try:
            safe_extract(self.archive_path(sha), staging, self.limits)
            files = tree_manifest(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(staging, target)
            except OSError:
                if not target.is_dir():  # another process won the race: fine
                    raise
            write_text_atomic(self.manifest_path(sha),
                              json.dumps({"format": 1, "files": files}, indent=0))
        finally:
            shutil.rmtree(staging.parent, ignore_errors=True)
        return target

    def _remove_extraction(self, sha: str) -> None:
        self.manifest_path(sha).unlink(missing_ok=True)
        target = self.package_dir(sha)
        if target.is_symlink() or target.is_file():
            target.unlink()
        else:
            shutil.rmtree(target, ignore_errors=True)

    def _tmp(self) -> Path:
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def archives(self) -> list[Path]:
        base = self.root / "archives" / "sha256"
        return sorted(base.rglob("*.tar.gz")) if base.exists() else []

    def verify_all(self) -> VerifyReport:
        """Re-hash every archive; drop corrupt ones and their extracted folders."""
        removed = []
        archives = self.archives()
        for path in archives:
            sha = path.name.removesuffix(".tar.gz")
            try:
                valid = self.has_valid(sha)
            except FormatError:  # not a name the store writes: a stray file in our folder
                log.warning("unexpected file %s in the archive store; removing it", path)
                path.unlink(missing_ok=True)
                valid = False
            if not valid:
                removed.append(sha)
        return VerifyReport(len(archives), tuple(removed), self._repair_extractions())

    def _repair_extractions(self) -> tuple[str, ...]:
        """Extract again every package folder that differs from its manifest (or drop it
        when its archive is gone: the next install fetches it)."""
        base = self.root / "packages" / "sha256"
        repaired = []
        for folder in sorted(base.glob("*/*")) if base.exists() else []:
            sha = folder.name.removesuffix(".files.json")
            try:
                check_sha256(sha, "package store")
            except FormatError:
                log.warning("unexpected entry %s in the package store; left alone", folder)
                continue
            if folder.name.endswith(".files.json") and self.package_dir(sha).exists():
                continue  # seen with its folder
            if self.extracted_intact(sha):
                continue
            if self.archive_path(sha).is_file():
                self.extract(sha)
            else:
                self._remove_extraction(sha)
            repaired.append(sha)
        return tuple(repaired)

    def backup(self, dest: Path) -> int:
        """Write archives and cached index documents to a tar.gz; returns the file count."""
        count = 0
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(dest, "w:gz") as tar:
            for sub in ("archives", "index"):
                base = self.root / sub
                for path in sorted(base.rglob("*")) if base.exists() else []:
                    if path.is_file():
                        tar.add(path, arcname=path.relative_to(self.root).as_posix())
                        count += 1
        return count

    def restore(self, src: Path) -> VerifyReport:
        """Safely unpack a backup into the cache, all or nothing, then verify.

        Every entry is unpacked and checked in ``tmp/`` first; only then are they moved
        in, and a failure while moving puts back what was there before."""
        staging = Path(tempfile.mkdtemp(dir=self._tmp(),
                                        prefix=_owner_prefix("restore"))) / "data"
        try:
            big = Limits(max_archive_bytes=self.limits.max_archive_bytes,
                         max_total_bytes=self.limits.max_total_bytes * 20,
                         max_files=self.limits.max_files * 20)
            names = safe_extract(src, staging, big)
            for rel in names:
                if rel.split("/", 1)[0] not in ("archives", "index"):
                    raise UnsafeArchive(f"unexpected entry {rel!r} in cache backup "
                                        f"{src}; nothing was restored")
                if rel.startswith("archives/"):
                    check_sha256(Path(rel).name.removesuffix(".tar.gz"),
                                 f"cache backup {src}: {rel}")
            self._move_all_in(staging, names)
        finally:
            shutil.rmtree(staging.parent, ignore_errors=True)
        return self.verify_all()

    def _move_all_in(self, staging: Path, names: list[str]) -> None:
        """Move ``names`` from ``staging`` into the cache; on any error undo every move."""
        saved = staging.parent / "replaced"
        done: list[tuple[Path, Path | None]] = []
        try:
            for number, rel in enumerate(names):
                target = self.root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                previous = None
                if target.exists() or target.is_symlink():
                    previous = saved / str(number)
                    previous.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(target, previous)
                done.append((target, previous))
                os.replace(staging / rel, target)
        except BaseException:
            for target, previous in reversed(done):
                target.unlink(missing_ok=True)
                if previous is not None:
                    os.replace(previous, target)
            raise

    def clear(self) -> None:
        """Remove everything this store and the document cache wrote."""
        for sub in ("archives", "packages", "index", "tmp"):
            shutil.rmtree(self.root / sub, ignore_errors=True)

    def stats(self) -> dict[str, Any]:
        archives = self.archives()
        entries, size = self._tmp_usage()
        return {"archives": len(archives), "bytes": sum(p.stat().st_size for p in archives),
                "tmp_entries": entries, "tmp_bytes": size}

    def _tmp_usage(self) -> tuple[int, int]:
        base = self.root / "tmp"
        if not base.is_dir():
            return 0, 0
        entries = list(base.iterdir())
        size = sum(p.lstat().st_size for entry in entries
                   for p in ([entry] if not entry.is_dir() else entry.rglob("*"))
                   if not p.is_dir())
        return len(entries), size

    def clean_stale_tmp(self, max_age: float) -> int:
        """Remove downloads and extractions left in ``tmp/`` by a killed process: older
        than ``max_age`` seconds (the longest an operation may run) and not owned by
        a live process on this machine. Returns how many were removed."""
        base = self.root / "tmp"
        if not base.is_dir():
            return 0
        now = time.time()
        removed = 0
        for entry in list(base.iterdir()):
            try:
                age = now - entry.lstat().st_mtime
            except FileNotFoundError:
                continue
            if age < max_age or _owner_alive(entry.name):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        if removed:
            log.info("removed %d stale temporary entries from %s", removed, base)
        return removed


def _owner_prefix(kind: str) -> str:
    """Temporaries carry their process id, so a cleaner can tell a live owner."""
    return f"{kind}-{os.getpid()}-"


def _owner_alive(name: str) -> bool:
    parts = name.split("-", 2)
    if len(parts) < 3 or not parts[1].isdigit():
        return False  # no owner recorded (older craftls): age alone decides
    try:
        os.kill(int(parts[1]), 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # alive, another user's
        return True
    return True
