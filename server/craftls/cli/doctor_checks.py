"""The checks `craftls doctor` adds beyond folders and the audit log: definitions,
the registry and the package cache. Each returns (name, ok, message)."""

from __future__ import annotations

from pathlib import Path

from ..language.catalog import bundled_ids
from ..language.loader import load_definition
from ..language.problems import DefinitionError
from ..workspace.manifest import ManifestError, find_manifest, load_manifest


def definitions_valid() -> tuple[str, bool, str]:
    problems = []
    count = 0
    for language_id in bundled_ids():
        count += 1
        try:
            from ..language.catalog import bundled
            bundled(language_id)
        except DefinitionError as exc:
            problems.append(f"{language_id}: {exc}")
    manifest = find_manifest(Path.cwd())
    if manifest is not None:
        try:
            for binding in load_manifest(manifest).languages:
                path = manifest.parent / binding.definition
                if path.suffix in (".yaml", ".yml"):
                    count += 1
                    load_definition(path)
        except (ManifestError, DefinitionError) as exc:
            problems.append(str(exc))
    return ("definitions valid", not problems,
            "; ".join(problems) if problems else f"{count} definitions load")


def registry_reachable() -> tuple[str, bool, str]:
    """Offline: the default (bundled) registry's root document can be read."""
    from ..registry.bundled import bundled_registry_url
    url = bundled_registry_url()
    path = Path(url.removeprefix("file://"))
    index = path if path.name == "index.json" else path / "index.json"
    ok = index.is_file()
    return ("registry reachable", ok, f"bundled registry at {index}" if ok
            else f"bundled registry missing at {index}")


def cache_integrity(cache_dir: str | None = None) -> tuple[str, bool, str]:
    """Re-hash the archives and check the extracted packages of ``--cache-dir`` (else
    ``$CRAFTLS_CACHE_DIR``, else the user cache), the folder the registry commands use."""
    from ..registry.config import default_cache_dir
    from ..registry.store import ArchiveStore
    cache = default_cache_dir(cache_dir)
    report = ArchiveStore(cache).verify_all()
    ok = not report.removed and not report.repaired
    if ok:
        return "cache integrity", True, f"{report.checked} archives verified in {cache}"
    return ("cache integrity", False,
            f"{cache}: {len(report.removed)} corrupt archives removed, "
            f"{len(report.repaired)} extracted packages repaired; run 'craftls install'")


def register_doctor_checks() -> None:
    from . import ops_cmd
    for check in (definitions_valid, registry_reachable, cache_integrity):
        if check not in ops_cmd.DOCTOR_CHECKS:
            ops_cmd.DOCTOR_CHECKS.append(check)
