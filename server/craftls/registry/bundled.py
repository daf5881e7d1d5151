"""The registry that ships with craftls, so ``craftls install`` works offline out of the box.

A prebuilt copy lives in ``craftls/registry/bundled/``. If it is missing (a source
checkout that never built it), it is built once from ``examples/registry-packages``
into ``<cache>/bundled-registry`` and rebuilt when the sources change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .builder import build_registry, find_package_dirs
from .config import default_cache_dir
from .errors import RegistryError

PREBUILT_DIR = Path(__file__).resolve().parent / "bundled"
EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples" / "registry-packages"
_STAMP = ".source-hash"


def _source_hash(src: Path) -> str:
    digest = hashlib.sha256()
    for pkg in find_package_dirs(src):
        for path in sorted(p for p in pkg.rglob("*") if p.is_file()):
            digest.update(path.relative_to(src).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_bundled_registry(cache_dir: Path | None = None, *, prebuilt: Path = PREBUILT_DIR,
                            examples: Path = EXAMPLES_DIR) -> Path:
    """The folder of the bundled registry, building it into the cache if needed."""
    if (prebuilt / "index.json").is_file():
        return prebuilt
    if not examples.is_dir():
        raise RegistryError("the bundled registry is missing and examples/registry-packages "
                            "is not available to build it; configure [registry] urls")
    out = default_cache_dir(cache_dir) / "bundled-registry"
    wanted = _source_hash(examples)
    stamp = out / _STAMP
    if not (out / "index.json").is_file() or not stamp.is_file() or \
            stamp.read_text().strip() != wanted:
        build_registry(examples, out)
        stamp.write_text(wanted + "\n")
    return out


def bundled_registry_url(cache_dir: Path | None = None) -> str:
    """``file://`` URL of the bundled registry's index.json."""
    return (ensure_bundled_registry(cache_dir) / "index.json").as_uri()
