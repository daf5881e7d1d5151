"""The compiled C runtime (``c_library``) kept, so that compiling a program pays for the
program alone: the runtime took gcc about 0.4 s of CPU at -O2, a small program a few
hundredths (docs/performance.md).

``native.py`` names an object by a key: a SHA-256 of the library's source, the compiler
(its resolved path, size, modification time and what its ``--version`` says) and the
flags. So an edited runtime, another compiler, an upgraded one or other flags find
nothing and compile. Two levels, both bounded:
* in memory, for the process (the tests and a server compile many programs);
* on disk, when a folder is set (``use_folder``; the commands' cache folder,
  ``$CRAFTLS_CACHE_DIR/native``): one file per key, ``c-runtime-KEY.o``, holding a first
  line ``craftls-c-runtime 1 KEY CHECKSUM`` and then the object, written atomically. A
  file is used only when its line names this key and the object's SHA-256 is the
  checksum: a truncated, damaged or foreign file costs a compile (and is written
  again), never a wrong binary. Any failure to read or write the folder falls back to
  compiling.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from pathlib import Path
from typing import Final

from ..syntax.kept_files import KeptFiles, debug, prune, touch, write_file

MEMORY_ENTRIES: Final = 4  # objects a process keeps (about 60 KB each)
DISK_ENTRIES: Final = 8  # files kept in the folder; the least recently used go first
PREFIX: Final = "c-runtime-"
SUFFIX: Final = ".o"
MAGIC: Final = b"craftls-c-runtime 1"

KEPT: Final[KeptFiles[bytes]] = KeptFiles(MEMORY_ENTRIES)


def use_folder(folder: Path | None) -> None:
    """Keep compiled objects in ``folder`` between runs (None: in memory only)."""
    KEPT.use_folder(folder)


def clear_memory() -> None:
    """Forget the objects kept in memory (the tests' fresh process)."""
    KEPT.clear_memory()


def path_of(key: str) -> Path | None:
    """The file that holds ``key``'s object (None: no folder is set)."""
    return KEPT.folder / f"{PREFIX}{key}{SUFFIX}" if KEPT.folder else None


def get(key: str) -> bytes | None:
    """The object kept under ``key``, from memory or the folder; None: compile it."""
    data = KEPT.recall(key)
    if data is not None:
        return data
    target = path_of(key)
    data = _load(target, key) if target is not None else None
    if data is not None:
        KEPT.remember(key, data)
    return data


def put(key: str, data: bytes) -> None:
    """Keep a freshly compiled object in memory and, when there is one, in the folder."""
    KEPT.remember(key, data)
    target = path_of(key)
    if target is None:
        return
    head = b" ".join((MAGIC, key.encode(), hashlib.sha256(data).hexdigest().encode()))
    try:
        write_file(target, head + b"\n" + data)
        prune(target.parent, PREFIX, SUFFIX, DISK_ENTRIES)
    except OSError as exc:  # a read-only or full folder: compiled again next time
        debug(__name__, "cannot keep the compiled C runtime in %s: %s", target, exc)


def forget(key: str) -> None:
    """Drop ``key``'s object everywhere (it was kept but the compiler refused it)."""
    KEPT.forget(key)
    target = path_of(key)
    if target is not None:
        with suppress(OSError):
            os.unlink(target)


def _load(target: Path, key: str) -> bytes | None:
    try:
        raw = target.read_bytes()
    except OSError:  # not there (the first compile), or unreadable
        return None
    head, _, data = raw.partition(b"\n")
    parts = head.split(b" ")
    if parts[:-1] != [*MAGIC.split(b" "), key.encode()] \
            or parts[-1] != hashlib.sha256(data).hexdigest().encode():
        debug(__name__, "ignoring %s: damaged or not this runtime's object", target)
        return None
    touch(target)  # recently used: the last to be removed
    return data
