"""The workspace manifest ``craft.toml``: which definition serves which files."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..language.catalog import by_extension, resolve_definition
from ..language.model import LanguageDefinition

MANIFEST_NAME = "craft.toml"


@dataclass(frozen=True)
class LanguageBinding:
    """A ``[[language]]`` entry of ``craft.toml``: a definition and its file patterns."""

    definition: str  # a file path or a bundled language id
    files: tuple[str, ...]  # glob patterns


@dataclass
class Manifest:
    """A parsed ``craft.toml``."""

    root: Path
    languages: list[LanguageBinding] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


class ManifestError(Exception):
    pass


def find_manifest(start: Path) -> Path | None:
    """The nearest craft.toml at or above ``start``."""
    current = start if start.is_dir() else start.parent
    for folder in [current, *current.parents]:
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            return candidate
    return None


def parse_bindings(entries: Any, where: str) -> list[LanguageBinding]:
    """``[{definition, files}]`` from craft.toml or initializationOptions."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ManifestError(f"{where}: 'languages' must be a list of tables")
    bindings = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("definition"), str):
            raise ManifestError(f"{where}: languages[{i}] needs a 'definition' string")
        files = entry.get("files", [])
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ManifestError(f"{where}: languages[{i}].files must be a list of globs")
        bindings.append(LanguageBinding(entry["definition"], tuple(files)))
    return bindings


def load_manifest(path: Path) -> Manifest:
    import tomllib  # only where a craft.toml exists: `craftls check` starts sooner without

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: {exc}") from exc
    settings = data.get("settings", {})
    return Manifest(path.parent, parse_bindings(data.get("languages"), str(path)),
                    settings if isinstance(settings, dict) else {}, data)


def matches(binding: LanguageBinding, path: Path, root: Path) -> bool:
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = path.name
    return any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(path.name, g)
               for g in binding.files)


def definition_for_file(path: Path, explicit: str | None = None) -> LanguageDefinition | None:
    """The language of ``path``: --language, else craft.toml, else the file extension."""
    if explicit:
        return resolve_definition(explicit, Path.cwd())
    manifest_path = find_manifest(path.resolve())
    if manifest_path is not None:
        manifest = load_manifest(manifest_path)
        for binding in manifest.languages:
            if matches(binding, path, manifest.root):
                return resolve_definition(binding.definition, manifest.root)
    return by_extension(path)
