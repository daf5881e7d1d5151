"""`make bench-check`: run the parser and wire benchmarks and fail when a figure regresses
more than 25% against the committed baseline (`benchmarks/baseline.json`).

A figure is a ratio measured within one run, so a slow or busy machine slows both sides
and does not trip the check: the parser against tree-sitter-pascal on the same text, and
each request over the wire against the do-nothing pygls server (`null_server.py`, the
transport floor) in the same session shape. Medians, not p95s: the check must be stable.
The baseline holds one set of ratios per syntax build (compiled and pure differ ~2x).

    python -m benchmarks.check                 # run, compare, exit 1 on a regression
    python -m benchmarks.check --results F     # compare saved results (run_all's JSON)
    python -m benchmarks.check --update        # run and record the new baseline
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BASELINE = Path(__file__).with_name("baseline.json")
TOLERANCE = 0.25  # a ratio more than 25% above its baseline is a regression
PARSE_SIZES = (1_000, 10_000, 50_000)
# over the wire: craftls against the null server in the same session shape
WIRE_FIGURES = ("initialize_ms", "completion", "completion_at_start", "hover", "definition",
                "keystroke_to_diagnostics", "keystroke_to_type_diagnostics",
                "format_1000_lines", "rename_100_files")
# craftls waits this long before analysing a keystroke (diagnostics_debounce_ms) and the
# null server does not: the wait is taken off, or a slower analysis would hide behind it
DEBOUNCED = {"keystroke_to_diagnostics": 150.0, "keystroke_to_type_diagnostics": 150.0}


def _median(value: Any) -> float | None:
    if isinstance(value, Mapping):
        value = value.get("median_ms")
    return float(value) if isinstance(value, int | float) else None


def _ratio(numerator: Any, denominator: Any, offset: float = 0.0) -> float | None:
    a, b = _median(numerator), _median(denominator)
    if a is None or b is None or b <= 0:
        return None
    return max(a - offset, 0.0) / b


def ratios(results: Mapping[str, Any]) -> dict[str, float | None]:
    """Every figure the check compares (None: not measured in this run)."""
    out: dict[str, float | None] = {}
    parse = results.get("parse") or {}
    for lines in PARSE_SIZES:
        out[f"parse_{lines}_lines/tree_sitter"] = _ratio(parse.get(f"parse_{lines}_lines"),
                                                         parse.get(f"tree_sitter_{lines}_lines"))
    out["incremental_10000_lines/tree_sitter"] = _ratio(
        parse.get("incremental_10000_lines"), parse.get("tree_sitter_incremental_10000_lines"))
    wire = results.get("lsp") or {}
    craft, null = wire.get("craftls") or {}, wire.get("null") or {}
    for key in WIRE_FIGURES:
        out[f"{key}/null_server"] = _ratio(craft.get(key), null.get(key),
                                           DEBOUNCED.get(key, 0.0))
    return out


def compare(current: Mapping[str, float | None], baseline: Mapping[str, float],
            tolerance: float = TOLERANCE) -> tuple[list[str], list[str]]:
    """(problems, notes): a regression or a baseline figure not measured is a problem; a
    figure much better than its baseline, or not in it, is a note (update the baseline)."""
    problems, notes = [], []
    for name, base in sorted(baseline.items()):
        now = current.get(name)
        if now is None:
            problems.append(f"{name}: not measured in this run (baseline {base:.2f})")
        elif now > base * (1 + tolerance):
            problems.append(f"{name}: {now:.2f} against the baseline {base:.2f} "
                            f"(+{(now / base - 1) * 100:.0f}%, more than "
                            f"{tolerance * 100:.0f}%)")
        elif now < base * (1 - tolerance):
            notes.append(f"{name}: {now:.2f}, {(1 - now / base) * 100:.0f}% better than the "
                         f"baseline {base:.2f}: record it (--update) so it stays")
    for name, now in sorted(current.items()):
        if name not in baseline:
            notes.append(f"{name}: {'not measured' if now is None else f'{now:.2f}'}, not in "
                         f"the baseline")
    return problems, notes


def run_benchmarks() -> dict[str, Any]:
    from . import bench_lsp, bench_parse
    print("### parse")
    parse = bench_parse.run()
    print("\n### lsp")
    return {"parse": parse, "lsp": bench_lsp.run()}


def build_name(results: Mapping[str, Any]) -> str:
    build = (results.get("parse") or {}).get("syntax_build")
    if isinstance(build, str):
        return build
    from craftls.syntax.build import syntax_build
    return syntax_build()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.check")
    parser.add_argument("--results", type=Path, help="saved results (JSON) instead of a run")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--update", action="store_true", help="record the baseline")
    args = parser.parse_args(argv)
    if args.results:
        results = json.loads(args.results.read_text())
    else:
        results = run_benchmarks()
        saved = Path(__file__).with_name("results") / "check-latest.json"
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(json.dumps(results, indent=2, default=str))
        print(f"\nraw results: {saved}")
    build = build_name(results)
    current = ratios(results)
    stored = json.loads(args.baseline.read_text()) if args.baseline.exists() else {}
    if args.update:
        measured = {k: round(v, 3) for k, v in current.items() if v is not None}
        stored[build] = {"recorded": time.strftime("%Y-%m-%d %H:%M"), "ratios": measured,
                         "load_average": round(os.getloadavg()[0], 1)}
        args.baseline.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
        print(f"\nbaseline for the {build} build written to {args.baseline}")
        missing = sorted(k for k, v in current.items() if v is None)
        if missing:
            print("not measured, so not in the baseline: " + ", ".join(missing))
        return 0
    entry = stored.get(build)
    if not entry:
        print(f"\nno baseline for the {build} build in {args.baseline}: record one with "
              f"`python -m benchmarks.check --update` (see docs/performance.md)")
        return 1
    problems, notes = compare(current, entry["ratios"])
    print(f"\nbench-check ({build} build, baseline of {entry.get('recorded', '?')} at load "
          f"{entry.get('load_average', '?')}, now {os.getloadavg()[0]:.1f}; tolerance "
          f"{TOLERANCE * 100:.0f}%):")
    for name, value in sorted(current.items()):
        base = entry["ratios"].get(name)
        shown = "-" if value is None else f"{value:.2f}"
        print(f"  {name:48} {shown:>8}  baseline {base if base is not None else '-'}")
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(f"REGRESSION: {problem}")
    print("bench-check failed" if problems else "bench-check passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
