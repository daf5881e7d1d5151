"""The bundled definitions, loaded once and kept in the cache folder between runs.

Reading a bundled definition means importing PyYAML and composing, converting and
checking ~600 YAML nodes: five of them were most of a `craftls check`'s start-up
(docs/performance.md). A loaded definition is a tree of frozen dataclasses of
``model.py``, so it is stored pickled, one file per language, named by a checksum of the
YAML text and of the code that builds and defines it (an upgrade, or an edit of the
loader, makes a new name and the old file is removed). The file also holds that text and
that code stamp, and is used only when both are equal to the current ones: the name finds
the file, the comparison makes a checksum collision harmless (a CRC, not ``hashlib``, whose
OpenSSL import was a noticeable part of a `craftls check`'s start-up). Loading accepts only the classes
of ``model.py`` (``_ModelOnly``): a tampered file fails to load and is rebuilt, it
cannot run code. Any failure to read or write the folder falls back to the YAML.

No pickling library fits better: the standard library's own serialiser is used, with
its documented way of restricting what it may construct (``find_class``).
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import zlib
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from . import model
from .model import LanguageDefinition

_HERE = Path(__file__).parent


def load_cached(path: Path, folder: Path) -> LanguageDefinition:
    """The definition in the bundled YAML file ``path``, from ``folder`` when it is there."""
    data = path.read_bytes()
    target = folder / f"{path.stem}-{_digest(data)}.pickle"
    try:
        with open(target, "rb") as stream:
            found = _ModelOnly(io.BytesIO(stream.read())).load()
        if isinstance(found, tuple) and len(found) == 3 and found[:2] == (_code_stamp(), data) \
                and isinstance(found[2], LanguageDefinition):
            return found[2]
        _debug("ignoring %s: not this language definition", target)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - unreadable, truncated, other classes: rebuild
        _debug("ignoring cached definition %s: %s", target, exc)
    from .loader import load_definition  # imports PyYAML: only when the cache misses
    definition = load_definition(path)
    _store(target, definition, data)
    return definition


def _digest(data: bytes) -> str:
    """A checksum of the YAML text, the Python version and every module of this folder
    (size and modification time): what a pickled definition depends on."""
    return f"{zlib.crc32(_code_stamp(), zlib.crc32(data)):08x}"


@lru_cache(maxsize=1)
def _code_stamp() -> bytes:
    """The Python version and this folder's modules, once per process (a command loads
    several definitions; ``os.scandir``, not ``Path.glob``, which compiles a pattern)."""
    parts = [sys.version]
    with os.scandir(_HERE) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py") and entry.is_file():
                stat = entry.stat()
                parts.append(f"{entry.name}:{stat.st_size}:{stat.st_mtime_ns};")
    # a definition served through its block style's template (``structure.engine:
    # template``) holds the grammar those modules of the syntax layer wrote (source or
    # compiled, whichever is there)
    try:
        with os.scandir(_HERE.parent / "syntax") as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.split(".")[0] in _TEMPLATE_MODULES and entry.is_file():
                    stat = entry.stat()
                    parts.append(f"syntax/{entry.name}:{stat.st_size}:{stat.st_mtime_ns};")
    except OSError:
        pass
    return "".join(parts).encode()


# the modules of the syntax layer that build such a grammar: ``block_templates`` writes
# it from ``grammar``'s operator table and the token kinds of ``tokens``, its ``run:``
# annotations with ``template_runs`` (a file kept when one of them had changed would
# serve the old template until the YAML changed; tests/core/test_startup.py checks that
# loading a template-served definition imports no other module outside ``language/``)
_TEMPLATE_MODULES = ("block_templates", "grammar", "template_runs", "tokens")


def _store(target: Path, definition: LanguageDefinition, data: bytes) -> None:
    """Write atomically, then remove the language's older files (one file per language)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when a definition is written (the first run)

        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as stream:
                pickle.dump((_code_stamp(), data, definition), stream,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
        stem = target.name.rsplit("-", 1)[0]
        for old in target.parent.glob(f"{stem}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full cache folder: the YAML is read next time
        _debug("cannot cache definition %s: %s", target, exc)


class _ModelOnly(pickle.Unpickler):
    """Constructs the classes of ``model.py``, ``grammar_spec.py``,
    ``grammar_extension.py`` and ``run_spec.py`` and nothing else."""

    def find_class(self, module: str, name: str) -> object:
        allowed: ModuleType | None = None
        if module == model.__name__:
            allowed = model
        elif module == f"{__package__}.grammar_spec":  # a grammar is part of its definition
            from . import grammar_spec  # imported by the definitions that have one

            allowed = grammar_spec
        elif module == f"{__package__}.grammar_extension":  # so is a grammar extension
            from . import grammar_extension

            allowed = grammar_extension
        elif module == f"{__package__}.run_spec":  # a grammar rule's ``run:`` annotation
            from . import run_spec

            allowed = run_spec
        if allowed is not None and isinstance(getattr(allowed, name, None), type):
            return getattr(allowed, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a language definition")


def _debug(message: str, *args: object) -> None:
    """A debug log line; ``logging`` is imported only then (`craftls check` starts
    without it when the cache works)."""
    import logging

    logging.getLogger(__name__).debug(message, *args)
