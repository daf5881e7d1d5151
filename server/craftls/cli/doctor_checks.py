"""The checks `craftls doctor` adds beyond folders and the audit log: definitions (they
load and parse), the registry, the package cache, the warm-state cache's format and the
server the editor integrations start. Each returns (name, ok, message). Together they
are the smoke test after an upgrade (docs/runbook.md, "Upgrade and rollback")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from ..language.catalog import bundled_ids
from ..language.loader import load_definition
from ..language.model import LanguageDefinition
from ..language.problems import DefinitionError
from ..workspace.manifest import ManifestError, find_manifest, load_manifest


def definitions_valid() -> tuple[str, bool, str]:
    """Every bundled definition and every one craft.toml names loads, and parses a probe
    text back to itself (what an upgrade of the loader or the parser could break)."""
    from ..language.catalog import bundled
    problems = []
    loaded = []
    for language_id in bundled_ids():
        try:
            loaded.append(bundled(language_id))
        except DefinitionError as exc:
            problems.append(f"{language_id}: {exc}")
    manifest = find_manifest(Path.cwd())
    if manifest is not None:
        try:
            for binding in load_manifest(manifest).languages:
                path = manifest.parent / binding.definition
                if path.suffix in (".yaml", ".yml"):
                    loaded.append(load_definition(path))
        except (ManifestError, DefinitionError) as exc:
            problems.append(str(exc))
    problems += _probe_parses(loaded)
    return ("definitions valid", not problems,
            "; ".join(problems) if problems else f"{len(loaded)} definitions load and parse")


PROBE = "x = 1\n"  # any text: the tree must give it back (the lossless invariant)


def _probe_parses(definitions: list[LanguageDefinition]) -> list[str]:
    from ..syntax.parse import parse
    problems = []
    for definition in definitions:
        try:
            if parse(definition, PROBE).root.text != PROBE:
                problems.append(f"{definition.id}: the tree lost text of a probe")
        except Exception as exc:  # a parser that raises is what this check is for
            problems.append(f"{definition.id}: parsing a probe raised "
                            f"{type(exc).__name__}: {exc}")
    return problems


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


def cache_format_readable() -> tuple[str, bool, str]:
    """The warm-state file the server reloads at start (``ops/state.py``) is of the
    format this version reads; another format (a rollback, or a newer version's file)
    is ignored by the server, which then starts cold and writes its own at shutdown."""
    from ..ops.state import STATE_VERSION, default_state_path
    path = default_state_path()
    label = "cache format readable"
    if not path.exists():
        return label, True, f"no warm state yet ({path})"
    try:
        envelope = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return label, False, f"{path} unreadable ({exc}); the server starts cold and " \
                             f"rewrites it"
    version = envelope.get("version") if isinstance(envelope, dict) else None
    if version != STATE_VERSION:
        return label, False, (f"{path} has format {version!r}, this craftls reads "
                              f"{STATE_VERSION}: the server ignores it and starts cold")
    return label, True, f"{path} (format {STATE_VERSION})"


def editor_finds_server() -> tuple[str, bool, str]:
    """What the editor integrations start (``.venv/bin/craftls`` in the project, else
    ``craftls`` on PATH: editors/neovim, editors/emacs, editors/vscode), and that it is
    this version."""
    from .. import __version__
    label = "editor finds the server"
    venv = Path.cwd() / ".venv" / ("Scripts/craftls.exe" if os.name == "nt" else "bin/craftls")
    found = str(venv) if venv.is_file() else shutil.which("craftls")
    if found is None:
        return label, False, ("no .venv/bin/craftls in this folder and no craftls on PATH: "
                              "editors cannot start the server")
    try:
        done = subprocess.run([found, "--version"], capture_output=True, text=True,
                              timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return label, False, f"{found} does not start: {exc}"
    words = done.stdout.split()
    version = words[1] if len(words) > 1 and words[0] == "craftls" else done.stdout.strip()
    if done.returncode != 0 or version != __version__:
        return label, False, (f"editors start {found}, which is craftls {version or '?'} "
                              f"(exit {done.returncode}); this is {__version__}")
    return label, True, f"{found} (craftls {version})"


def register_doctor_checks() -> None:
    from . import ops_cmd
    for check in (definitions_valid, registry_reachable, cache_integrity,
                  cache_format_readable, editor_finds_server):
        if check not in ops_cmd.DOCTOR_CHECKS:
            ops_cmd.DOCTOR_CHECKS.append(check)
