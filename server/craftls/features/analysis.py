"""The full analysis of one file: syntax, names, imports and types, in one pass.

This is what diagnostics, hover, inlay hints and completion read. It lives above
``semantics`` and ``types`` so neither needs the other's diagnostics."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..semantics.diagnostics import Diagnostic, FileAnalysis, analyze_file
from ..semantics.item_walks import ITEM_WALKS
from ..syntax.parse import ParsedFile
from ..types import TypeCache, TypeChecker
from ..workspace.imports import ModuleResolver, resolve_imports

# One bounded cache for every file and language: results are keyed by content.
TYPE_CACHE = TypeCache()


def configure_caches(ast_cache_size: int, type_cache_size: int, type_ttl: float) -> None:
    """Apply the tuning settings to the process-wide caches."""
    ITEM_WALKS.resize(ast_cache_size)
    TYPE_CACHE.resize(type_cache_size, type_ttl)


def cache_stats() -> dict[str, dict[str, int | float]]:
    """In the shape the health check reads: size, maxsize, hits, misses."""
    types = TYPE_CACHE.stats()
    return {"names": ITEM_WALKS.stats(),
            "types": {"size": types["entries"], "maxsize": types["maxsize"],
                      "ttl": types["ttl"], "hits": types["reused"],
                      "misses": types["inferred"]}}


def analyze(parsed: ParsedFile, path: Path | None = None,
            externals: Mapping[str, str] | None = None,
            resolver: ModuleResolver | None = None) -> FileAnalysis:
    """``resolver``: the session's, which keeps what it read from disk between analyses
    (without one, imports are read from disk for this analysis only)."""
    missing: list[str] = []
    modules = resolve_imports(parsed, path, resolver)
    if externals is None:
        externals = {}
        for name, exports in modules.items():
            if exports is None:
                missing.append(name)
            else:
                externals.update(exports.names)
    analysis = analyze_file(parsed, externals, missing)
    analysis.modules = {name.lower(): exports for name, exports in modules.items() if exports}
    try:
        report = TypeChecker(parsed.definition, cache=TYPE_CACHE).check(parsed, analysis.model)
    except RecursionError:  # pathological nesting: keep the other results
        return analysis
    analysis.types = report
    analysis.diagnostics.extend(
        Diagnostic(d.start, d.end, d.severity, d.message, d.code, data=d.data)
        for d in report.diagnostics)
    analysis.diagnostics.sort(key=lambda d: (d.start, d.end, d.code))
    return analysis
