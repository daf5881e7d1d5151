"""Compiled fast-path code of a grammar (``peg_fast``), kept so that a grammar's first
parse does not pay for Python's compiler again: turbopascal's 14,000 generated lines take
190-300 ms to compile and 10-20 ms to load (docs/performance.md).

Two levels, both bounded and keyed by the generated source itself (the source follows
from the grammar's tables, so an edited grammar, or an upgrade that writes other code,
finds nothing and compiles):
* in memory, for the process: a definition loaded again (a hot reload, another workspace
  with the same language) makes new tables with the same source;
* on disk, between runs, when the command line set a folder (``use_folder``; the
  server's and the commands' cache folder, ``$CRAFTLS_CACHE_DIR/grammars``): one file per
  grammar, named by a checksum of the source and of Python's bytecode version, holding
  that bytecode version, the source and the code object (``marshal``). A file is used
  only when the version and the whole source equal the current ones (a checksum
  collision is harmless) and the payload's checksum is right (a truncated or damaged file
  is compiled again and rewritten). It is trusted as Python trusts its own ``__pycache__``
  files in a folder of the user's: ``marshal`` is what those are made of. Any failure to
  read or write the folder falls back to compiling.

No library fits: this is the part of Python's own bytecode cache (``importlib``) that
applies to code that is no module file.
"""

from __future__ import annotations

import marshal
import zlib
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Final

from .kept_files import KeptFiles, debug, prune, touch, write_file

MEMORY_ENTRIES: Final = 8  # grammars whose code a process keeps (a few MB each at most)
DISK_ENTRIES: Final = 32  # files kept in the folder; the least recently used go first
SUFFIX: Final = ".pyfast"

KEPT: Final[KeptFiles[CodeType]] = KeptFiles(MEMORY_ENTRIES)  # keyed by the source


def use_folder(folder: Path | None) -> None:
    """Keep compiled code in ``folder`` between runs (None: in memory only)."""
    KEPT.use_folder(folder)


def clear_memory() -> None:
    """Forget the code kept in memory (the tests' fresh process)."""
    KEPT.clear_memory()


def compiled(source: str, filename: str) -> CodeType:
    """``compile(source, filename, "exec")``, from memory or the folder when it is there."""
    code = KEPT.recall(source)
    if code is not None:
        return code
    folder = KEPT.folder
    target = folder / f"grammar-{_checksum(source.encode())}{SUFFIX}" if folder else None
    code = _load(target, source) if target is not None else None
    if code is None:
        code = compile(source, filename, "exec")
        if target is not None:
            _store(target, source, code)
    KEPT.remember(source, code)
    return code


def _checksum(data: bytes) -> str:
    return f"{zlib.crc32(data, zlib.crc32(MAGIC_NUMBER)):08x}"


def _load(target: Path, source: str) -> CodeType | None:
    try:
        data = target.read_bytes()
    except OSError:  # not there (the first run), or unreadable
        return None
    head, payload = data[:8], data[8:]
    if head != _checksum(payload).encode():
        debug(__name__, "ignoring %s: damaged", target)
        return None
    try:
        found = marshal.loads(payload)
    except (ValueError, EOFError, TypeError) as exc:
        debug(__name__, "ignoring %s: %s", target, exc)
        return None
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == MAGIC_NUMBER
            and found[1] == source and isinstance(found[2], CodeType)):
        debug(__name__, "ignoring %s: not this grammar's code", target)
        return None
    touch(target)  # recently used: the last to be removed
    return found[2]


def _store(target: Path, source: str, code: CodeType) -> None:
    """Write atomically, then remove the least recently used files past ``DISK_ENTRIES``."""
    payload = marshal.dumps((MAGIC_NUMBER, source, code))
    try:
        write_file(target, _checksum(payload).encode() + payload)
        prune(target.parent, "grammar-", SUFFIX, DISK_ENTRIES)
    except OSError as exc:  # a read-only or full folder: compiled again next time
        debug(__name__, "cannot keep compiled grammar code in %s: %s", target, exc)
