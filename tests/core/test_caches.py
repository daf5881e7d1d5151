"""The analysis caches in one object: every cache reported in the health check's shape,
resized by the settings, emptied by ``reset``."""

from __future__ import annotations

import shutil
from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import DEFAULT_CACHES
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
USES_MATHLIB = "PROGRAM Main;\nUSES MathLib;\nBEGIN\n  WriteLn(1)\nEND.\n"
PROGRAM = "PROGRAM P;\nVAR x : INTEGER;\nBEGIN\n  x := 1 + 2;\n  WriteLn(x)\nEND.\n"


def test_every_cache_is_reported_and_reset_empties_them_all() -> None:
    kept = analyze_with_types(parse(bundled("pascal"), PROGRAM))  # templates live with their tree
    stats = DEFAULT_CACHES.stats()
    assert {"names", "types", "lexer_tables", "parser_tables", "type_names",
            "assignable", "conformance", "bundled_definitions"} <= set(stats)
    for name, entry in stats.items():
        assert {"size", "maxsize", "hits", "misses"} <= set(entry), name
    assert stats["lexer_tables"]["size"] >= 1 and stats["names"]["size"] >= 1
    bounds = {name: entry["maxsize"] for name, entry in stats.items()}
    DEFAULT_CACHES.reset()
    del kept
    after = DEFAULT_CACHES.stats()
    assert all(entry["size"] == 0 for entry in after.values()), after
    assert {name: entry["maxsize"] for name, entry in after.items()} == bounds
    analyze_with_types(parse(bundled("pascal"), PROGRAM))  # and they fill again
    assert DEFAULT_CACHES.stats()["lexer_tables"]["size"] >= 1


def test_keeping_nothing_records_no_template_or_unit_and_changes_no_result() -> None:
    from benchmarks.common import pascal_program

    text = pascal_program(300) + "BEGIN\n  Missing := 1\nEND.\n"  # a diagnostic or two
    DEFAULT_CACHES.reset()
    cached = analyze_with_types(parse(bundled("pascal"), text))
    names, types = DEFAULT_CACHES.names.maxsize, DEFAULT_CACHES.types.maxsize
    DEFAULT_CACHES.reset()
    with DEFAULT_CACHES.keeping_nothing():
        once = analyze_with_types(parse(bundled("pascal"), text))
        assert DEFAULT_CACHES.stats()["names"]["size"] == 0 and len(DEFAULT_CACHES.types) == 0
        assert DEFAULT_CACHES.names.maxsize == DEFAULT_CACHES.types.maxsize == 0
    assert (DEFAULT_CACHES.names.maxsize, DEFAULT_CACHES.types.maxsize) == (names, types)
    assert once.diagnostics == cached.diagnostics and once.diagnostics
    assert [(s.name, s.kind, s.start, s.reads) for s in once.model.symbols] == \
        [(s.name, s.kind, s.start, s.reads) for s in cached.model.symbols]
    assert [u[:2] for u in once.types.units] == [u[:2] for u in cached.types.units]
    assert [u[2] for u in once.types.units] == [u[2] for u in cached.types.units]


def test_a_sessions_caches_report_and_reset_its_module_resolver(tmp_path: Path) -> None:
    """The resolver's tables (folder listings, manifests, installed packages, module
    exports) are the session's: reported with the other caches, emptied by ``reset``,
    and not shared with another session."""
    from craftls.features.caches import new_analysis_caches

    for name in ("craft.toml", "craft.lock"):  # MathLib, installed for the examples
        shutil.copy(EXAMPLES / name, tmp_path / name)
    main = tmp_path / "main.pas"
    main.write_text(USES_MATHLIB, encoding="utf-8")
    caches, other = new_analysis_caches(), new_analysis_caches()
    assert caches.imports is not None and caches.imports is not other.imports
    parsed = parse(bundled("pascal"), USES_MATHLIB)
    analysis = analyze_with_types(parsed, main, resolver=caches.imports)
    assert "mathlib" in analysis.modules
    stats = caches.stats()
    tables = ("import_folders", "import_manifests", "installed_packages", "module_exports")
    assert all(stats[t]["size"] == 1 and stats[t]["misses"] == 1 for t in tables), stats
    analyze_with_types(parsed, main, resolver=caches.imports)  # answered from memory
    assert all(caches.stats()[t]["hits"] >= 1 for t in tables)
    assert all(other.stats()[t]["size"] == 0 for t in tables)
    caches.reset()
    assert all(caches.stats()[t]["size"] == 0 for t in tables)
    assert "mathlib" in analyze_with_types(parsed, main, resolver=caches.imports).modules
    assert caches.stats()["installed_packages"]["misses"] == 2  # read again after reset
