"""`make bench-check` compares same-run ratios with the committed baseline: a ratio more
than 25% worse fails, a figure the baseline has but the run did not measure fails, and
a slower machine (both sides slower) passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.check import compare, main, ratios


def results(parse_ms: float, ts_ms: float, completion_ms: float, null_ms: float,
            build: str = "pure") -> dict[str, Any]:
    def fig(ms: float) -> dict[str, float]:
        return {"median_ms": ms, "p95_ms": ms * 2}
    parse = {"syntax_build": build}
    for lines in (1_000, 10_000, 50_000):
        parse[f"parse_{lines}_lines"] = fig(parse_ms * lines / 1000)  # type: ignore[assignment]
        parse[f"tree_sitter_{lines}_lines"] = fig(ts_ms * lines / 1000)  # type: ignore[assignment]
    parse["incremental_10000_lines"] = fig(0.5)  # type: ignore[assignment]
    parse["tree_sitter_incremental_10000_lines"] = fig(0.1)  # type: ignore[assignment]
    craft = {"completion": fig(completion_ms), "initialize_ms": 400.0,
             "keystroke_to_diagnostics": fig(150 + 10 * completion_ms)}
    null = {"completion": fig(null_ms), "initialize_ms": 200.0,
            "keystroke_to_diagnostics": fig(null_ms)}
    return {"parse": parse, "lsp": {"craftls": craft, "null": null}}


def test_ratios_are_same_run_quotients() -> None:
    figures = ratios(results(10, 2, 3, 1))
    assert figures["parse_10000_lines/tree_sitter"] == 5
    assert figures["incremental_10000_lines/tree_sitter"] == 5
    assert figures["completion/null_server"] == 3
    assert figures["initialize_ms/null_server"] == 2
    # craftls's 150 ms debounce is not work: taken off before dividing
    assert figures["keystroke_to_diagnostics/null_server"] == 30
    assert figures["hover/null_server"] is None  # not in these results


def test_a_slower_machine_passes_and_a_regression_fails(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps(results(10, 2, 3, 1)))
    assert main(["--results", str(saved), "--baseline", str(baseline), "--update"]) == 0
    recorded = json.loads(baseline.read_text())["pure"]["ratios"]
    assert "hover/null_server" not in recorded  # not measured: not recorded
    saved.write_text(json.dumps(results(30, 6, 9, 3)))  # everything 3x slower: same ratios
    assert main(["--results", str(saved), "--baseline", str(baseline)]) == 0
    saved.write_text(json.dumps(results(10, 2, 4, 1)))  # completion 33% worse
    assert main(["--results", str(saved), "--baseline", str(baseline)]) == 1
    saved.write_text(json.dumps(results(10, 2, 3.6, 1)))  # 20% worse: within the tolerance
    assert main(["--results", str(saved), "--baseline", str(baseline)]) == 0
    saved.write_text(json.dumps(results(10, 2, 3, 1, build="compiled")))
    assert main(["--results", str(saved), "--baseline", str(baseline)]) == 1  # no baseline


def test_a_figure_missing_from_the_run_is_a_problem() -> None:
    problems, notes = compare({"a": None, "b": 1.0, "c": 2.0}, {"a": 1.0, "b": 2.0})
    assert problems == ["a: not measured in this run (baseline 1.00)"]
    assert any(n.startswith("b: 1.00, 50% better") for n in notes)
    assert any(n.startswith("c: 2.00, not in the baseline") for n in notes)
