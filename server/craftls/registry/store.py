"""Content-addressed archive store and extracted package folders.

Layout under the cache dir::

    archives/sha256/<hh>/<hash>.tar.gz    verified archives (immutable)
    packages/sha256/<hh>/<hash>/          extracted sources (immutable)
    tmp/                                  downloads in progress

A download is hashed while it streams into ``tmp/`` and renamed into place only if
the sha256 matches, so a corrupt or partial file is never visible under its hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Limits
from .errors import FormatError, IntegrityError, UnsafeArchive
from .format import check_sha256
from .safety import safe_extract

log = logging.getLogger(__name__)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    removed: tuple[str, ...]


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
        shutil.rmtree(self.package_dir(sha), ignore_errors=True)
        return False

    async def put_stream(self, sha: str, chunks: AsyncIterator[bytes]) -> Path:
        """Hash ``chunks`` into a temp file; rename into place only if the hash matches."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.limits.max_archive_bytes:
                        raise UnsafeArchive(f"archive larger than "
                                            f"{self.limits.max_archive_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha:
                raise IntegrityError(f"sha256 mismatch: expected {sha}, got "
                                     f"{digest.hexdigest()} ({size} bytes); not cached")
            final = self.archive_path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
            return final
        finally:
            Path(tmp_name).unlink(missing_ok=True)

    def extract(self, sha: str) -> Path:
        """Extract a verified archive once; later calls return the existing folder."""
        target = self.package_dir(sha)
        if target.is_dir():
            return target
        staging = Path(tempfile.mkdtemp(dir=self._tmp(), prefix="extract-")) / "pkg"
        try:
            safe_extract(self.archive_path(sha), staging, self.limits)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(staging, target)
            except OSError:
                if not target.is_dir():  # another process won the race: fine
                    raise
        finally:
            shutil.rmtree(staging.parent, ignore_errors=True)
        return target

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
        return VerifyReport(len(archives), tuple(removed))

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
        """Safely unpack a backup into the cache, then verify every archive."""
        staging = Path(tempfile.mkdtemp(dir=self._tmp(), prefix="restore-")) / "data"
        try:
            big = Limits(max_archive_bytes=self.limits.max_archive_bytes,
                         max_total_bytes=self.limits.max_total_bytes * 20,
                         max_files=self.limits.max_files * 20)
            for rel in safe_extract(src, staging, big):
                if rel.split("/", 1)[0] not in ("archives", "index"):
                    raise UnsafeArchive(f"unexpected entry {rel!r} in cache backup")
                target = self.root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / rel, target)
        finally:
            shutil.rmtree(staging.parent, ignore_errors=True)
        return self.verify_all()

    def clear(self) -> None:
        """Remove everything this store and the document cache wrote."""
        for sub in ("archives", "packages", "index", "tmp"):
            shutil.rmtree(self.root / sub, ignore_errors=True)

    def stats(self) -> dict[str, Any]:
        archives = self.archives()
        return {"archives": len(archives), "bytes": sum(p.stat().st_size for p in archives)}
