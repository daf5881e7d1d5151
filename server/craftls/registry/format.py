"""The registry's static file format (version 1): index.json, packages.json,
packages/<name>.json and the ``craft-package.toml`` manifest inside archives.

Versions follow PEP 440 (``packaging``); see docs/registry.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from .errors import FormatError

FORMAT_VERSION = 1
MANIFEST_NAME = "craft-package.toml"
_NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def check_sha256(value: object, where: str) -> str:
    """``value`` if it is exactly 64 lowercase hex digits, else FormatError.

    Hashes name files and folders in the store, so one from a lock file, an index or
    a folder listing is checked before it touches a path (``"../x"`` must never be one).
    """
    if not isinstance(value, str) or not _SHA_RE.fullmatch(value):
        raise FormatError(f"{where}: sha256 {str(value)[:80]!r} is not 64 lowercase hex "
                          "digits")
    return value


def normalize_name(name: str) -> str:
    """Package names are case-insensitive and ``_``/``-`` equivalent (like PyPI)."""
    norm = name.strip().lower().replace("_", "-")
    if not _NAME_RE.match(norm):
        raise FormatError(f"invalid package name {name!r}: use letters, digits, '-' or '_'")
    return norm


def parse_version(text: str) -> Version:
    """Parse a PEP 440 version, turning the library error into ours."""
    try:
        return Version(str(text))
    except InvalidVersion as exc:
        raise FormatError(f"invalid version {text!r} (PEP 440 expected)") from exc


def parse_specifier(text: str) -> SpecifierSet:
    """Parse a requirement: ``""``/``"*"`` = any, a bare version = ``==``, else PEP 440."""
    text = (text or "").strip()
    if text in ("", "*"):
        return SpecifierSet()
    if text.startswith("^"):
        text = _caret_to_pep440(text)
    if text[0].isdigit():
        text = "==" + text
    try:
        return SpecifierSet(text)
    except InvalidSpecifier as exc:
        raise FormatError(f"invalid requirement {text!r} (PEP 440 specifier expected)") from exc


def _caret_to_pep440(text: str) -> str:
    """``^X.Y.Z`` (Cargo/npm): at least X.Y.Z, below the next version that may break it.

    The leftmost non-zero component may not change: ``^2.1.0`` is ``>=2.1.0,<3``,
    ``^0.3.1`` is ``>=0.3.1,<0.4``, ``^0.0.4`` is ``>=0.0.4,<0.0.5``, ``^0`` is ``>=0,<1``.
    """
    base = parse_version(text[1:].strip())
    release = list(base.release)
    pivot = next((i for i, part in enumerate(release) if part != 0), len(release) - 1)
    upper = release[:pivot] + [release[pivot] + 1]
    return f">={base},<{'.'.join(str(p) for p in upper)}"


def caret_requirement(version: str | Version) -> str:
    """The caret requirement that accepts ``version`` and its compatible updates."""
    return f"^{parse_version(str(version))}"


def newest_version(index: PackageIndex) -> Version | None:
    """The newest version worth depending on: not yanked, a final release if there is one."""
    versions = [v.version for v in index.versions if not v.yanked]
    final = [v for v in versions if not v.is_prerelease]
    return max(final or versions, default=None)


def _require(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise FormatError(f"{where}: field {key!r} must be a {kind.__name__}")
    return value


def _check_format(data: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise FormatError(f"{where}: expected a JSON object")
    if data.get("format") != FORMAT_VERSION:
        raise FormatError(f"{where}: unsupported format {data.get('format')!r}")
    return data


@dataclass(frozen=True)
class RootIndex:
    """``index.json``: the entry point of a registry."""

    packages: str

    @classmethod
    def from_json(cls, data: Any, where: str = "index.json") -> RootIndex:
        data = _check_format(data, where)
        return cls(packages=_require(data, "packages", str, where))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT_VERSION, "packages": self.packages}


@dataclass(frozen=True)
class PackageSummary:
    """One line of ``packages.json`` (what ``craftls search`` shows)."""

    name: str
    description: str
    latest: str
    url: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "latest": self.latest, "url": self.url}


def parse_package_list(data: Any, where: str = "packages.json") -> list[PackageSummary]:
    """Validate ``packages.json``."""
    data = _check_format(data, where)
    items = _require(data, "packages", list, where)
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise FormatError(f"{where}: package entries must be objects")
        out.append(PackageSummary(
            name=normalize_name(_require(item, "name", str, where)),
            description=str(item.get("description", "")),
            latest=str(item.get("latest", "")),
            url=_require(item, "url", str, where),
        ))
    return out


@dataclass(frozen=True)
class VersionEntry:
    """One published version in ``packages/<name>.json``."""

    name: str
    version: Version
    dependencies: Mapping[str, str]
    sha256: str
    url: str
    size: int = 0
    yanked: bool = False
    language: str = ""
    exports: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, name: str, data: Any, where: str) -> VersionEntry:
        if not isinstance(data, dict):
            raise FormatError(f"{where}: version entries must be objects")
        sha = check_sha256(_require(data, "sha256", str, where), where)
        deps = data.get("dependencies", {})
        if not isinstance(deps, dict) or not all(isinstance(v, str) for v in deps.values()):
            raise FormatError(f"{where}: dependencies must map names to requirement strings")
        try:
            version = parse_version(_require(data, "version", str, where))
        except FormatError as exc:
            raise FormatError(f"{where}: {exc}") from exc
        return cls(
            name=name,
            version=version,
            dependencies={normalize_name(k): v for k, v in deps.items()},
            sha256=sha,
            url=_require(data, "url", str, where),
            size=int(data.get("size", 0)),
            yanked=bool(data.get("yanked", False)),
            language=str(data.get("language", "")),
            exports=tuple(str(e) for e in data.get("exports", ())),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "version": str(self.version), "dependencies": dict(sorted(self.dependencies.items())),
            "sha256": self.sha256, "size": self.size, "yanked": self.yanked, "url": self.url,
            "language": self.language, "exports": list(self.exports),
        }


@dataclass(frozen=True)
class PackageIndex:
    """``packages/<name>.json``: every version of one package."""

    name: str
    description: str
    versions: tuple[VersionEntry, ...]
    #: why unusable version entries were left out (reported to the user)
    skipped: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_json(cls, data: Any, where: str = "package index") -> PackageIndex:
        data = _check_format(data, where)
        name = normalize_name(_require(data, "name", str, where))
        entries, skipped = [], []
        for number, item in enumerate(_require(data, "versions", list, where), 1):
            label = item.get("version") if isinstance(item, dict) else None
            place = f"{where}: {name} version entry {number}" + \
                (f" ({label!r})" if label is not None else "")
            try:
                entries.append(VersionEntry.from_json(name, item, place))
            except (FormatError, TypeError, ValueError) as exc:
                # one bad line does not take the package down (cargo skips index lines
                # it cannot parse); the entry is reported, never used
                text = str(exc) if isinstance(exc, FormatError) else f"{place}: {exc}"
                skipped.append(f"{text}; entry skipped")
        return cls(name=name, description=str(data.get("description", "")),
                   versions=tuple(entries), skipped=tuple(skipped))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT_VERSION, "name": self.name, "description": self.description,
                "versions": [v.to_json() for v in self.versions]}

    def get(self, version: str | Version) -> VersionEntry | None:
        """The entry for an exact version, if published."""
        wanted = Version(str(version))
        return next((v for v in self.versions if v.version == wanted), None)


@dataclass(frozen=True)
class PackageManifest:
    """``craft-package.toml``: what a package is, which language it is written in, what it exports.

    ``exports`` maps a module name to a source file; the list form (``["MathLib"]``)
    means "the file whose stem equals the module name, ignoring case".
    """

    name: str
    version: Version
    description: str = ""
    license: str = ""
    language: str = ""
    dependencies: Mapping[str, str] = field(default_factory=dict)
    exports: Mapping[str, str | None] = field(default_factory=dict)
    definition: str | None = None

    @classmethod
    def from_toml(cls, text: str, where: str = MANIFEST_NAME) -> PackageManifest:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FormatError(f"{where}: {exc}") from exc
        return cls.from_dict(data, where)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = MANIFEST_NAME) -> PackageManifest:
        section = data.get("package", data)
        deps = data.get("dependencies", section.get("dependencies", {}))
        if not isinstance(deps, dict):
            raise FormatError(f"{where}: [dependencies] must be a table")
        for req in deps.values():
            parse_specifier(str(req))
        raw_exports = section.get("exports", data.get("exports", []))
        if isinstance(raw_exports, list):
            exports: dict[str, str | None] = {str(m): None for m in raw_exports}
        elif isinstance(raw_exports, dict):
            exports = {str(k): str(v) for k, v in raw_exports.items()}
        else:
            raise FormatError(f"{where}: exports must be a list or a table")
        definition = section.get("definition")
        return cls(
            name=normalize_name(_require(section, "name", str, where)),
            version=parse_version(_require(section, "version", str, where)),
            description=str(section.get("description", "")),
            license=str(section.get("license", "")),
            language=str(section.get("language", "")),
            dependencies={normalize_name(k): str(v) for k, v in deps.items()},
            exports=exports,
            definition=str(definition) if definition else None,
        )
