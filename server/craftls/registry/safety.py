"""Safe extraction of package archives.

Archives come from the network, so extraction refuses absolute paths, ``..``,
symlinks, hard links, devices and FIFOs, and stops a decompression bomb by counting
the bytes that come *out* of gzip, not the sizes the headers claim. Files are written
with mode 0644: nothing from a package is ever made executable or run.
"""

from __future__ import annotations

import gzip
import shutil
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from .config import Limits
from .errors import FormatError, UnsafeArchive

_TAR_OVERHEAD_PER_FILE = 1024  # header block plus padding


class _LimitedReader:
    """Wraps a binary stream and raises UnsafeArchive once ``limit`` bytes were read."""

    def __init__(self, inner: gzip.GzipFile, limit: int) -> None:
        self._inner = inner
        self._limit = limit
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        self.count += len(data)
        if self.count > self._limit:
            raise UnsafeArchive(f"archive expands beyond {self._limit} bytes "
                                "(decompression bomb?)")
        return data


def check_member(member: tarfile.TarInfo) -> PurePosixPath:
    """The safe relative path of a member, or UnsafeArchive explaining the refusal."""
    name = member.name
    if member.issym() or member.islnk():
        raise UnsafeArchive(f"archive entry {name!r} is a link; links are not allowed")
    if not (member.isfile() or member.isdir()):
        raise UnsafeArchive(f"archive entry {name!r} is a device, FIFO or special file")
    if "\x00" in name or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"archive entry {name!r} has an unsafe name")
    path = PurePosixPath(name)
    if path.is_absolute():
        raise UnsafeArchive(f"archive entry {name!r} is an absolute path")
    if ".." in path.parts:
        raise UnsafeArchive(f"archive entry {name!r} escapes the package folder")
    parts = [p for p in path.parts if p not in ("", ".")]
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def safe_extract(archive: Path, dest: Path, limits: Limits) -> list[str]:
    """Extract ``archive`` (tar.gz) into the empty folder ``dest``; returns the file names.

    On any refusal the partial folder is removed before the error propagates.
    """
    dest.mkdir(parents=True, exist_ok=False)
    budget = limits.max_total_bytes + _TAR_OVERHEAD_PER_FILE * (limits.max_files + 2)
    try:
        with open(archive, "rb") as raw, gzip.GzipFile(fileobj=raw) as gz:
            reader = _LimitedReader(gz, budget)
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                return _extract_members(tar, dest, limits)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise FormatError(f"{archive.name} is not a valid .tar.gz: {exc}") from exc
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


def _extract_members(tar: tarfile.TarFile, dest: Path, limits: Limits) -> list[str]:
    names: list[str] = []
    total = 0
    root = dest.resolve()
    for member in tar:
        rel = check_member(member)
        if member.isdir():
            continue
        if len(names) >= limits.max_files:
            raise UnsafeArchive(f"archive has more than {limits.max_files} files")
        total += member.size
        if total > limits.max_total_bytes:
            raise UnsafeArchive(f"archive expands beyond {limits.max_total_bytes} bytes")
        target = (dest / rel).resolve()
        if root not in target.parents:
            raise UnsafeArchive(f"archive entry {member.name!r} escapes the package folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        if source is None:
            raise UnsafeArchive(f"archive entry {member.name!r} has no data")
        with open(target, "xb") as out:  # "x": a duplicate entry cannot overwrite
            shutil.copyfileobj(source, out)
        target.chmod(0o644)
        names.append(rel.as_posix())
    return names
