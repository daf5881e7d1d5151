"""Resolve a file's imports (USES MathLib, import stats) to workspace files or
installed packages, and collect the names they export.

Sources are looked up next to the importing file first, then among the
packages installed for the workspace (``craft.lock`` + the package store).
Results are cached by path and modification time, so a keystroke costs a dict
lookup per import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cachetools import LRUCache

from ..language.catalog import by_extension
from ..semantics.model import SymbolKind
from ..semantics.resolve import analyze
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile, parse
from .manifest import find_manifest

EXPORTED_KINDS = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE, SymbolKind.VARIABLE,
                  SymbolKind.CONSTANT, SymbolKind.TYPE)


@dataclass(frozen=True)
class ModuleExports:
    path: Path
    names: dict[str, str]  # exported name -> short description


_exports_cache: LRUCache[tuple[str, float], ModuleExports] = LRUCache(maxsize=256)


def imported_modules(parsed: ParsedFile) -> list[tuple[str, int, int]]:
    """(module name, start, end) of every module an import statement names."""
    found = []
    for node in parsed.root.descendants_of_kind(K.IMPORT_STMT):
        for ref in node.children_of_kind(K.NAME_REF):
            found.append((ref.text.strip(), ref.start, ref.end))
    return found


def locate_module(name: str, importer: Path) -> Path | None:
    folder = importer.parent
    if folder.is_dir():
        lowered = name.lower()
        for candidate in folder.iterdir():
            if candidate.stem.lower() == lowered and candidate.is_file() \
                    and candidate != importer and by_extension(candidate) is not None:
                return candidate
    manifest = find_manifest(importer)
    if manifest is None:
        return None
    try:
        from ..registry import resolve_module
        return resolve_module(manifest.parent, name)
    except Exception:  # a broken lock file or store must not break analysis
        return None


def module_exports(path: Path) -> ModuleExports | None:
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError:
        return None
    cached = _exports_cache.get(key)
    if cached is not None:
        return cached
    definition = by_extension(path)
    if definition is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    model = analyze(parse(definition, text))
    names = {s.name: f"{s.kind} from {path.name}" for s in model.root_scope.symbols.values()
             if s.kind in EXPORTED_KINDS}
    exports = ModuleExports(path, names)
    _exports_cache[key] = exports
    return exports


def import_externals(parsed: ParsedFile, file_path: Path | None) -> tuple[dict[str, str],
                                                                           list[str]]:
    """Names provided by the file's imports, and the modules that could not be found."""
    externals: dict[str, str] = {}
    missing: list[str] = []
    for name, exports in resolve_imports(parsed, file_path).items():
        if exports is None:
            missing.append(name)
        else:
            externals.update(exports.names)
    return externals, missing


def resolve_imports(parsed: ParsedFile, file_path: Path | None
                    ) -> dict[str, ModuleExports | None]:
    """Each imported module name with its exports (None when it cannot be found)."""
    if file_path is None:
        return {}
    found: dict[str, ModuleExports | None] = {}
    for name, _, _ in imported_modules(parsed):
        location = locate_module(name, file_path)
        found[name] = module_exports(location) if location is not None else None
    return found
