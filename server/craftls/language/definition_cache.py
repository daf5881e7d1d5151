"""The bundled definitions, loaded once and kept in the cache folder between runs.

Reading a bundled definition means importing PyYAML and composing, converting and
checking ~600 YAML nodes: five of them were most of a `craftls check`'s start-up
(docs/performance.md). A loaded definition is a tree of frozen dataclasses of
``model.py``, so it is stored pickled, one file per language, named by a digest of the
YAML text and of the code that builds and defines it (an upgrade, or an edit of the
loader, makes a new name and the old file is removed). Loading accepts only the classes
of ``model.py`` (``_ModelOnly``): a tampered file fails to load and is rebuilt, it
cannot run code. Any failure to read or write the folder falls back to the YAML.

No pickling library fits better: the standard library's own serialiser is used, with
its documented way of restricting what it may construct (``find_class``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

from . import grammar_spec, model
from .model import LanguageDefinition

log = logging.getLogger(__name__)

_HERE = Path(__file__).parent


def load_cached(path: Path, folder: Path) -> LanguageDefinition:
    """The definition in the bundled YAML file ``path``, from ``folder`` when it is there."""
    data = path.read_bytes()
    target = folder / f"{path.stem}-{_digest(data)}.pickle"
    try:
        with open(target, "rb") as stream:
            found = _ModelOnly(io.BytesIO(stream.read())).load()
        if isinstance(found, LanguageDefinition):
            return found
        log.debug("ignoring %s: not a language definition", target)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - unreadable, truncated, other classes: rebuild
        log.debug("ignoring cached definition %s: %s", target, exc)
    from .loader import load_definition  # imports PyYAML: only when the cache misses
    definition = load_definition(path)
    _store(target, definition)
    return definition


def _digest(data: bytes) -> str:
    """The YAML text, the Python version and every module of this folder (size and
    modification time): what a pickled definition depends on."""
    h = hashlib.sha256(data)
    h.update(sys.version.encode())
    for source in sorted(_HERE.glob("*.py")):
        stat = source.stat()
        h.update(f"{source.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return h.hexdigest()[:24]


def _store(target: Path, definition: LanguageDefinition) -> None:
    """Write atomically, then remove the language's older files (one file per language)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as stream:
                pickle.dump(definition, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
        stem = target.name.rsplit("-", 1)[0]
        for old in target.parent.glob(f"{stem}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full cache folder: the YAML is read next time
        log.debug("cannot cache definition %s: %s", target, exc)


class _ModelOnly(pickle.Unpickler):
    """Constructs the classes of ``model.py`` and ``grammar_spec.py`` and nothing else."""

    def find_class(self, module: str, name: str) -> object:
        for allowed in (model, grammar_spec):  # a grammar is part of its definition
            if module == allowed.__name__ and isinstance(getattr(allowed, name, None), type):
                return getattr(allowed, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a language definition")
