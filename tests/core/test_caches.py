"""The analysis caches in one object: every cache reported in the health check's shape,
resized by the settings, emptied by ``reset``."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import DEFAULT_CACHES
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
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


# memo tables outside the analysis, which AnalysisCaches leaves alone (docs/architecture.md,
# "Where state lives"): what each is keyed by makes sharing it across sessions harmless
NOT_ANALYSIS_MEMOS = {
    ("craftls.registry.urls", "package_index_url"),  # a URL from two strings
    ("craftls.codegen.errors", "_line_starts"),  # a program text's line starts
    ("craftls.language.python_builtins", "python_builtins"),  # Python's own builtins
    ("craftls.language.definition_cache", "_code_stamp"),  # this installation's modules
    ("craftls.syntax.lexer", "_word_comment_ending"),  # one fixed pattern, parsed once
    ("craftls.codegen.c_library", "library"),  # the C runtime, one fixed text, split once
    ("craftls.codegen.native", "_version"),  # a compiler's --version, by path and stamp
    ("craftls.workspace.imports", "_include_pattern"),  # a definition's include pattern
    ("craftls.codegen.program", "_lowered_definition"),  # a definition as codegen reads it
}


def _memo_tables() -> Iterator[tuple[str, str, ast.expr | None]]:
    """(module, function, the ``maxsize`` given) of every ``lru_cache``/``cache`` in the
    package, read from the source (a module a test never imports is found too)."""
    for path in sorted((ROOT / "server" / "craftls").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT / "server").with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                target = call.func if call else decorator
                name = target.attr if isinstance(target, ast.Attribute) else \
                    getattr(target, "id", "")
                if name in ("lru_cache", "cache"):
                    size = next((k.value for k in call.keywords if k.arg == "maxsize"),
                                call.args[0] if call.args else None) if call else None
                    yield module, node.name, size


def test_every_memo_table_is_bounded_and_reported_by_the_caches_or_listed_apart() -> None:
    """The process-wide memo tables are safe to share because each memoises a pure
    function of immutable inputs and has a bound; a new one must be bounded and either
    reported and reset through ``MEMOS`` or listed here as not the analysis's."""
    from craftls.features.caches import MEMOS, _Unimported

    in_memos = {(m.module, m.name) if isinstance(m, _Unimported)
                else (m.__module__, m.__name__) for m in MEMOS.values()}  # type: ignore[attr-defined]
    found = list(_memo_tables())
    assert len(found) >= len(in_memos)
    for module, name, size in found:
        assert isinstance(size, ast.Constant) and isinstance(size.value, int), \
            f"{module}.{name}: an lru_cache needs a bound (maxsize)"
        assert (module, name) in in_memos | NOT_ANALYSIS_MEMOS, \
            f"{module}.{name} is a memo table: add it to features/caches.MEMOS"
    assert in_memos <= {(module, name) for module, name, _ in found}
