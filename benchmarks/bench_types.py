"""Type-system benchmarks: inferring 50 variable declarations (cold and from the
type cache) and checking one record against 10 protocols (cold and memoized).
``run()`` returns median / p95 figures.

Run: ``python -m benchmarks.bench_types``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from craftls.language.catalog import bundled
from craftls.semantics.resolve import resolve_names
from craftls.syntax.parse import parse
from craftls.types import (
    FLOAT,
    INT,
    STR,
    FunctionType,
    Member,
    ProtocolType,
    RecordType,
    TypeCache,
    TypeChecker,
)
from craftls.types.assignability import assignable, conformance

REPEATS = 200
# targets (and the old baselines they replace: 50 variables ~5 ms, 10 protocols ~5 ms)
TARGETS = {"infer_50_vars_cold_ms": 1.0, "infer_50_vars_cached_us": 50.0,
           "infer_50_vars_heavy_cold_ms": 1.0, "infer_50_vars_heavy_cached_us": 50.0,
           "protocols_10_cold_ms": 0.5, "protocols_10_memoized_us": 10.0}


def _figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "repeats": len(ordered)}


def _time(fn: Callable[[], Any], repeats: int, setup: Callable[[], Any] | None = None,
          scale: float = 1e3) -> dict[str, float]:
    samples = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * scale)
    return _figures(samples)


def fifty_variables(heavy: bool = False) -> str:
    """A function declaring 50 variables: typical declarations (a literal, a name or one
    operator, half of them annotated), or heavy ones (calls, several operators each)."""
    lines = ["fn compute(seed: int) -> float {"]
    for i in range(50):
        previous = f"v{i - 1}" if i else "seed"
        if heavy:
            if i % 3 == 0:
                lines.append(f"    let v{i}: int = len(\"ab\") + {i} * 2;")
            elif i % 3 == 1:
                lines.append(f"    let v{i} = {previous} * 2.5;")
            else:
                lines.append(f"    let v{i}: float = sqrt({previous}) + len(\"abc\");")
        elif i % 4 == 0:
            lines.append(f"    let v{i}: int = {i};")
        elif i % 4 == 1:
            lines.append(f"    let v{i} = {previous} + 1;")
        elif i % 4 == 2:
            lines.append(f"    let v{i}: float = {previous} * 0.5;")
        else:
            lines.append(f"    let v{i} = \"s{i}\";")
    lines.append("    return v48;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def bench_inference(repeats: int = REPEATS, heavy: bool = False) -> dict[str, dict[str, float]]:
    definition = bundled("curly")
    parsed = parse(definition, fifty_variables(heavy))
    model = resolve_names(parsed)
    holder: dict[str, TypeChecker] = {}

    def fresh() -> None:
        holder["c"] = TypeChecker(definition, TypeCache())

    cold = _time(lambda: holder["c"].check(parsed, model), repeats, fresh)
    warm = TypeChecker(definition, TypeCache())
    report = warm.check(parsed, model)
    assert not report.diagnostics, report.diagnostics
    cached = _time(lambda: warm.check(parsed, model), repeats, scale=1e6)
    suffix = "_heavy" if heavy else ""
    return {f"infer_50_vars{suffix}_cold_ms": cold, f"infer_50_vars{suffix}_cached_us": cached}


def ten_protocols() -> tuple[RecordType, list[ProtocolType]]:
    record = RecordType("Widget", tuple((f"field{i}", STR if i % 2 else FLOAT)
                                        for i in range(12)),
                        (("area", FunctionType((), INT)),
                         ("scale", FunctionType((FLOAT,), FLOAT)),
                         ("describe", FunctionType((INT, STR), STR))))
    protocols = []
    for p in range(10):
        members = [Member("area", "method", FunctionType((), FLOAT)),
                   Member("scale", "method", FunctionType((INT,), FLOAT)),
                   Member(f"field{p}", "property", STR if p % 2 else FLOAT, readonly=True),
                   Member(f"field{p + 1}", "property", STR if (p + 1) % 2 else FLOAT)]
        protocols.append(ProtocolType(f"P{p}", tuple(members)))
    return record, protocols


def bench_protocols(repeats: int = REPEATS) -> dict[str, dict[str, float]]:
    record, protocols = ten_protocols()

    def check_all() -> None:
        for p in protocols:
            assert conformance(record, p).ok

    def clear() -> None:
        conformance.cache_clear()
        assignable.cache_clear()

    cold = _time(check_all, repeats, clear)
    check_all()
    memo = _time(check_all, repeats, scale=1e6)
    return {"protocols_10_cold_ms": cold, "protocols_10_memoized_us": memo}


def run(repeats: int = REPEATS) -> dict[str, Any]:
    results: dict[str, Any] = {}
    results.update(bench_inference(repeats))
    results.update(bench_inference(repeats, heavy=True))
    results.update(bench_protocols(repeats))
    for name, target in TARGETS.items():
        results[name]["target"] = target
        results[name]["ok"] = results[name]["p95"] <= target
    return results


def main() -> None:
    results = run()
    print(f"{'benchmark':28} {'median':>10} {'p95':>10} {'target':>8}  ok")
    for name, r in results.items():
        print(f"{name:28} {r['median']:10.3f} {r['p95']:10.3f} {r['target']:8.2f}  "
              f"{'yes' if r['ok'] else 'NO'}")


if __name__ == "__main__":
    main()
