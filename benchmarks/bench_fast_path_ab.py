"""The grammar fast path (``syntax/peg_fast.py``) of a git revision against the working
tree's, in one process: the three grammar-defined 10,000-line files of ``bench_grammar``
parsed in turns with either generated code (CPU time, median and p95), and each
pair of trees compared. On a shared, loaded machine two figures from two runs differ by
more than most single changes; taken in turns in one run they meet the same load.

    python -m benchmarks.bench_fast_path_ab [REVISION] [RUNS]   (default: main, 15)

Only ``peg_fast.py`` is taken from the revision: the rest of the engine (the
interpreter, the tables, the tree) is the working tree's for both."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import types
from typing import Any

from craftls.language.catalog import bundled
from craftls.syntax.parse import parse
from craftls.syntax.peg import MAX_DEPTH, STEP_FUEL
from craftls.syntax.peg_fast import FastItem
from craftls.syntax.peg_tables import tables_for

from .bench_grammar import _definition, minilua_program, templecode_program
from .common import pascal_program, table


def fast_path_module(revision: str) -> types.ModuleType:
    """``peg_fast`` as it was at ``revision``, loaded beside today's."""
    source = subprocess.run(
        ["git", "show", f"{revision}:server/craftls/syntax/peg_fast.py"],
        capture_output=True, text=True, check=True).stdout
    module = types.ModuleType(f"peg_fast_at_{revision}")
    module.__dict__["__package__"] = "craftls.syntax"  # its relative imports: today's
    exec(compile(source, f"peg_fast.py at {revision}", "exec"), module.__dict__)  # noqa: S102
    return module


def summary(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {"median_ms": statistics.median(ms), "p95_ms": p95, "min_ms": ms[0],
            "runs": len(ms)}


def run(revision: str = "main", runs: int = 15) -> dict[str, Any]:
    old = fast_path_module(revision)
    cases = [("turbopascal", bundled("turbopascal"), pascal_program(10_000)),
             ("templecode", _definition("templecode.yaml"), templecode_program(10_000)),
             ("minilua", _definition("minilua.yaml"), minilua_program(10_000))]
    results: dict[str, Any] = {}
    rows = []
    for name, definition, text in cases:
        tables = tables_for(definition)
        makers = {revision: old.FastItem(tables, MAX_DEPTH, STEP_FUEL),
                  "this tree": FastItem(tables, MAX_DEPTH, STEP_FUEL)}
        samples: dict[str, list[float]] = {label: [] for label in makers}
        for _ in range(runs + 1):  # the first round warms up
            trees = []
            for label, fast in makers.items():
                tables.fast[:] = [fast]
                start = time.process_time()
                trees.append(parse(definition, text).green)
                samples[label].append(time.process_time() - start)
            assert trees[0] == trees[1], f"{name}: the two fast paths built different trees"
        tables.fast.clear()  # the next parse makes today's again
        for label, taken in samples.items():
            r = summary(taken[1:])
            results[f"{name}_{label}"] = r
            rows.append((f"{name}: full parse, 10,000 lines, {label} (CPU)", r, ""))
    print(table(rows))
    return results


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else "main",
        int(sys.argv[2]) if len(sys.argv) > 2 else 15)
