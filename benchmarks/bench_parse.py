"""Parser speed on the bundled Pascal-style language, with tree-sitter-pascal on the
same generated files in the same run as the reference."""

from __future__ import annotations

from functools import partial
from typing import Any

from craftls.language.catalog import bundled
from craftls.syntax.build import syntax_build
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

from .common import measure, pascal_program, statements, table


def _tree_sitter() -> Any:
    try:
        import tree_sitter_pascal
        from tree_sitter import Language, Parser
    except ImportError:
        return None
    return Parser(Language(tree_sitter_pascal.language()))


def run() -> dict[str, Any]:
    definition = bundled("pascal")
    results: dict[str, Any] = {"syntax_build": syntax_build()}
    print(f"syntax layer: {syntax_build()} (see docs/performance.md)")
    rows = []
    small = statements(100)
    results["parse_100_statements"] = r = measure(lambda: parse(definition, small), repeat=200)
    rows.append(("full parse, 100 statements", r, "median <= 1 ms"))
    ts = _tree_sitter()
    for lines in (1_000, 10_000, 50_000):
        text = pascal_program(lines)
        repeat = 15 if lines <= 10_000 else 5
        r = measure(partial(parse, definition, text), repeat=repeat, warmup=1)
        results[f"parse_{lines}_lines"] = r
        rows.append((f"full parse, {lines:,} lines", r,
                     "<= 250 ms" if lines == 10_000 else "linear"))
        if ts is not None:
            data = text.encode()
            t = measure(partial(ts.parse, data), repeat=repeat, warmup=1)
            results[f"tree_sitter_{lines}_lines"] = t
            rows.append((f"  tree-sitter-pascal, {lines:,} lines", t,
                         f"craftls/tree-sitter = {r['median_ms'] / t['median_ms']:.1f}x"))
    text = pascal_program(10_000)
    parsed = parse(definition, text)
    middle = text.index(":= A *", len(text) // 2) + len(":= A * ")
    flip = False

    def one_edit() -> None:
        nonlocal parsed, flip
        # alternate a digit so every run is a real one-character change
        digit = "7" if flip else "3"
        flip = not flip
        parsed, stats = apply_edit(parsed, TextEdit(middle, middle + 1, digit))
        assert stats.strategy == "item"

    results["incremental_10000_lines"] = r = measure(one_edit, repeat=200)
    rows.append(("incremental reparse after a 1-char edit, 10,000 lines", r, "median <= 1 ms"))
    if ts is not None:
        buffer = bytearray(text.encode())
        tree = ts.parse(bytes(buffer))

        def ts_edit() -> None:
            from tree_sitter import Point
            buffer[middle] = ord("3") if buffer[middle] != ord("3") else ord("7")
            line = text.count("\n", 0, middle)
            col = middle - (text.rfind("\n", 0, middle) + 1)
            tree.edit(start_byte=middle, old_end_byte=middle + 1, new_end_byte=middle + 1,
                      start_point=Point(line, col), old_end_point=Point(line, col + 1),
                      new_end_point=Point(line, col + 1))
            ts.parse(bytes(buffer), tree)

        results["tree_sitter_incremental_10000_lines"] = t = measure(ts_edit, repeat=200)
        rows.append(("  tree-sitter-pascal incremental, 10,000 lines", t,
                     f"craftls/tree-sitter = {r['median_ms'] / t['median_ms']:.1f}x"))
    l1, l10, l50 = (results[f"parse_{n}_lines"]["median_ms"] for n in (1_000, 10_000, 50_000))
    results["linearity"] = {"10k_over_1k": l10 / l1, "50k_over_10k": l50 / l10}
    print(table(rows))
    print(f"linearity: 10k/1k = {l10 / l1:.1f} (10 = linear), 50k/10k = {l50 / l10:.1f} (5 = linear)")
    return results


if __name__ == "__main__":
    run()
