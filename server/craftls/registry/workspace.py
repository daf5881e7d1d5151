"""``craft.toml``: which registries a workspace uses and which packages it needs.

```toml
[registry]
urls = ["https://registry.example.org/index.json"]   # default: the bundled registry

[dependencies]
mathlib = ">=2"
```
Other sections (``[[languages]]`` ...) belong to other subsystems and are preserved
when ``craftls add`` edits the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_text_atomic
from .config import Secret, token_from_env
from .errors import FormatError
from .format import normalize_name, parse_specifier
from .toml_out import key, string
from .urls import normalize_registry_url

CONFIG_NAME = "craft.toml"
LOCK_NAME = "craft.lock"
_SECTION_RE = re.compile(r"^\s*\[")
_DEPS_HEADER_RE = re.compile(r"^\s*\[\s*dependencies\s*\]\s*(#.*)?$")


@dataclass(frozen=True)
class WorkspaceConfig:
    """The registry-related part of ``craft.toml``."""

    root: Path
    registry_urls: tuple[str, ...] = ()
    dependencies: dict[str, str] = field(default_factory=dict)
    token: Secret | None = None
    cache_dir: Path | None = None

    @property
    def label(self) -> str:
        """How conflict messages name the workspace ("app needs mathlib>=2 ...")."""
        return self.root.name or "the workspace"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"{path}: {exc}") from exc


def load_workspace(root: Path) -> WorkspaceConfig:
    """Read ``root/craft.toml`` (a missing file is an empty workspace)."""
    root = root.resolve()
    data = _read_toml(root / CONFIG_NAME)
    registry = data.get("registry", {})
    deps = data.get("dependencies", {})
    if not isinstance(registry, dict) or not isinstance(deps, dict):
        raise FormatError(f"{root / CONFIG_NAME}: [registry] and [dependencies] must be tables")
    urls = registry.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise FormatError(f"{root / CONFIG_NAME}: registry.urls must be a list of strings")
    dependencies = {}
    for name, req in deps.items():
        parse_specifier(str(req))
        dependencies[normalize_name(name)] = str(req)
    token = registry.get("token")
    cache_dir = registry.get("cache_dir")
    return WorkspaceConfig(
        root=root,
        registry_urls=tuple(normalize_registry_url(u, root) for u in urls),
        dependencies=dependencies,
        token=Secret(str(token)) if token else token_from_env(),
        cache_dir=(root / cache_dir).resolve() if cache_dir else None,
    )


def add_dependency(root: Path, name: str, requirement: str) -> None:
    """Add or replace ``name = "requirement"`` under ``[dependencies]``, keeping the rest."""
    path = root / CONFIG_NAME
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    write_text_atomic(path, with_dependency(text, name, requirement, where=str(path)))


def with_dependency(text: str, name: str, requirement: str, where: str = CONFIG_NAME) -> str:
    """``text`` (a craft.toml) with ``name = "requirement"`` under ``[dependencies]``.

    Only that line changes (or the section is appended); comments, other sections and
    the file's line endings are kept. Raises FormatError if the result is not TOML.
    """
    name = normalize_name(name)
    parse_specifier(requirement)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    line = f"{key(name)} = {string(requirement)}"
    start = next((i for i, ln in enumerate(lines) if _DEPS_HEADER_RE.match(ln)), None)
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += ["[dependencies]", line]
    else:
        end = next((i for i in range(start + 1, len(lines)) if _SECTION_RE.match(lines[i])),
                   len(lines))
        existing = next((i for i in range(start + 1, end) if _names_key(lines[i], name)), None)
        if existing is not None:
            lines[existing] = line
        else:
            insert_at = end
            while insert_at - 1 > start and not lines[insert_at - 1].strip():
                insert_at -= 1
            lines.insert(insert_at, line)
    new_text = newline.join(lines) + newline
    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"{where}: could not add {name}: {exc}") from exc
    return new_text


def dependency_edit(text: str, name: str, requirement: str) -> tuple[int, int, str]:
    """The smallest whole-line replacement ``(start, end, new_text)`` (code-point
    offsets into ``text``) that turns ``text`` into :func:`with_dependency`'s result."""
    old_lines = text.splitlines(keepends=True)
    new_lines = with_dependency(text, name, requirement).splitlines(keepends=True)
    prefix = 0
    while (prefix < min(len(old_lines), len(new_lines))
           and old_lines[prefix] == new_lines[prefix]):
        prefix += 1
    suffix = 0
    while (suffix < min(len(old_lines), len(new_lines)) - prefix
           and old_lines[-1 - suffix] == new_lines[-1 - suffix]):
        suffix += 1
    start = sum(len(line) for line in old_lines[:prefix])
    end = len(text) - sum(len(line) for line in old_lines[len(old_lines) - suffix:])
    return start, end, "".join(new_lines[prefix:len(new_lines) - suffix])


def _names_key(line: str, name: str) -> bool:
    match = re.match(r'^\s*"?([A-Za-z0-9_.-]+)"?\s*=', line)
    if not match:
        return False
    try:
        return normalize_name(match.group(1)) == name
    except FormatError:
        return False
