"""`make bench`: every benchmark in one run (median and p95 of repeated runs)."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

from . import (
    bench_check,
    bench_codegen,
    bench_editing,
    bench_grammar,
    bench_lsp,
    bench_parse,
    bench_registry,
    bench_types,
)


def main() -> int:
    print(f"machine: {platform.machine()} {platform.processor() or ''} python "
          f"{platform.python_version()} on {platform.system()}; started {time.ctime()}")
    results = {}
    for name, module in (("parse", bench_parse), ("types", bench_types),
                         ("registry", bench_registry), ("editing", bench_editing),
                         ("lsp", bench_lsp), ("check", bench_check), ("grammar", bench_grammar),
                         ("codegen", bench_codegen)):
        print(f"\n### {name}")
        results[name] = module.run()
        if name in ("types", "registry"):  # these return figures without printing them
            print_figures(results[name])
    out = Path("benchmarks/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"\nraw results: {out / 'latest.json'}")
    return 0


def print_figures(figures: dict[str, dict[str, float]]) -> None:
    print(f"{'benchmark':34} {'median':>10} {'p95':>10} {'target':>8}")
    for name, f in figures.items():
        print(f"{name:34} {f['median']:10.3f} {f['p95']:10.3f} {f.get('target', ''):>8}")


if __name__ == "__main__":
    sys.exit(main())
