"""What a cache of compiled things keeps, in memory and in a folder: the part that the
grammar fast path's code cache (``code_cache.py``) and the compiled C runtime
(``codegen/c_objects.py``) share. Each of them says what a file holds and how it is
checked; this module holds the bounded memory, the folder setting, and the atomic write
and least-recently-used pruning of the folder's files.

No library fits: ``cachetools.LRUCache`` would serve the memory but not the folder, and
``diskcache`` brings SQLite for a handful of files that must each be checked on reading.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptFiles(Generic[V]):
    """A bounded least-recently-used memory (key -> value), thread-safe, and the folder
    where its owner keeps files between runs (none: in memory only)."""

    def __init__(self, memory_entries: int) -> None:
        self.memory_entries = memory_entries
        self.lock = threading.Lock()
        self.memory: OrderedDict[str, V] = OrderedDict()
        self.folder: Path | None = None

    def use_folder(self, folder: Path | None) -> None:
        """Keep files in ``folder`` between runs (None: in memory only)."""
        self.folder = folder

    def clear_memory(self) -> None:
        """Forget what is kept in memory (the tests' fresh process)."""
        with self.lock:
            self.memory.clear()

    def recall(self, key: str) -> V | None:
        """The value kept in memory under ``key``, now the most recently used."""
        with self.lock:
            value = self.memory.get(key)
            if value is not None:
                self.memory.move_to_end(key)
            return value

    def remember(self, key: str, value: V) -> None:
        """Keep ``value`` in memory; the least recently used go past the bound."""
        with self.lock:
            self.memory[key] = value
            self.memory.move_to_end(key)
            while len(self.memory) > self.memory_entries:
                self.memory.popitem(last=False)

    def forget(self, key: str) -> None:
        with self.lock:
            self.memory.pop(key, None)


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (a reader sees the old file or the whole
    new one); the folder is made when missing. Raises OSError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # only when a file is written (a first run)

    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def prune(folder: Path, prefix: str, suffix: str, keep: int) -> None:
    """Remove the least recently used files named ``prefix...suffix`` past ``keep``."""
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(suffix):
                try:
                    files.append((entry.stat().st_mtime_ns, entry.path))
                except OSError:  # removed meanwhile by another process
                    continue
    files.sort()
    for _, path in files[:max(len(files) - keep, 0)]:
        try:
            os.unlink(path)
        except OSError:
            continue


def touch(target: Path) -> None:
    """Mark a file recently used (the last to be pruned); a failure costs nothing."""
    try:
        os.utime(target)
    except OSError:
        return


def debug(name: str, message: str, *args: object) -> None:
    import logging  # only when something is ignored

    logging.getLogger(name).debug(message, *args)
