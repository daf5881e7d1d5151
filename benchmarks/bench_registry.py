"""Registry benchmarks: cached index lookup, resolving a 100-package graph, installing
100 packages from a loopback registry. ``run()`` returns median / p95 figures.

Run: ``python -m benchmarks.bench_registry``. Everything happens on 127.0.0.1 in a
temporary folder; the user's cache is never touched.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from craftls.registry.builder import build_registry
from craftls.registry.client import RegistryClient
from craftls.registry.config import RegistryConfig
from craftls.registry.installer import install_workspace
from craftls.registry.resolver import gather_indexes, resolve
from craftls.registry.static_server import serve_in_thread

PACKAGES = 100
TARGETS_MS = {"cached_index_lookup_us": 10.0, "resolve_100_ms": 100.0,
              "install_100_s": 5.0}


def _figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "repeats": len(ordered)}


def _write_graph(src: Path, count: int = PACKAGES) -> None:
    """pkg000..pkg099, three versions each; pkgN depends on up to three lower packages."""
    for n in range(count):
        name = f"pkg{n:03d}"
        for minor in range(3):
            folder = src / name / f"1.{minor}.0"
            folder.mkdir(parents=True)
            deps = [f"pkg{d:03d}" for d in (n - 1, n // 2, n // 3) if 0 <= d < n]
            dep_lines = "\n".join(f'{d} = ">=1.{minor % 2}"' for d in sorted(set(deps)))
            (folder / "craft-package.toml").write_text(
                f'[package]\nname = "{name}"\nversion = "1.{minor}.0"\n'
                f'language = "pascal"\nexports = ["M{name}"]\n\n[dependencies]\n{dep_lines}\n')
            (folder / f"M{name}.pas").write_text(
                f"FUNCTION F{n}(x : INTEGER) : INTEGER;\nBEGIN\n  F{n} := x + {n}\nEND;\n")


async def _lookup_us(client: RegistryClient, url: str, rounds: int, per_round: int
                     ) -> tuple[list[float], list[float]]:
    await client.package_index(url, "pkg050")
    sync_samples, async_samples = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            client.cached_package_index(url, "pkg050")
        sync_samples.append((time.perf_counter() - start) / per_round * 1e6)
        start = time.perf_counter()
        for _ in range(per_round):
            await client.package_index(url, "pkg050")
        async_samples.append((time.perf_counter() - start) / per_round * 1e6)
    return sync_samples, async_samples


async def _resolve_ms(client: RegistryClient, url: str, rounds: int) -> list[float]:
    requirements = {f"pkg{n:03d}": ">=1.0" for n in range(PACKAGES)}
    await gather_indexes(client, [url], requirements)  # warm the memory cache
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        indexes = await gather_indexes(client, [url], requirements)
        chosen = resolve(requirements, indexes)
        samples.append((time.perf_counter() - start) * 1e3)
        assert len(chosen) == PACKAGES
    return samples


async def _install_s(url: str, work: Path, repeat: int) -> float:
    root = work / f"ws{repeat}"
    root.mkdir()
    deps = "\n".join(f'pkg{n:03d} = ">=1.0"' for n in range(PACKAGES))
    (root / "craft.toml").write_text(f'[registry]\nurls = ["{url}"]\n\n[dependencies]\n{deps}\n')
    config = RegistryConfig(cache_dir=work / f"cache{repeat}", token=None)
    start = time.perf_counter()
    async with RegistryClient(config) as client:
        report = await install_workspace(root, client)
    elapsed = time.perf_counter() - start
    assert len(report.locations) == PACKAGES
    return elapsed


def run(install_repeats: int = 5, resolve_repeats: int = 20) -> dict[str, Any]:
    """Measure everything; returns {figure: {median, p95, repeats, target}}."""
    with tempfile.TemporaryDirectory(prefix="craftls-bench-") as tmp:
        work = Path(tmp)
        _write_graph(work / "src")
        build_registry(work / "src", work / "registry")
        server, url = serve_in_thread(work / "registry")
        try:
            async def cached() -> tuple[list[float], list[float], list[float]]:
                config = RegistryConfig(cache_dir=work / "cache-lookup", token=None)
                async with RegistryClient(config) as client:
                    sync_us, async_us = await _lookup_us(client, url, 20, 5000)
                    resolve_ms = await _resolve_ms(client, url, resolve_repeats)
                return sync_us, async_us, resolve_ms

            sync_us, async_us, resolve_ms = asyncio.run(cached())
            install = [asyncio.run(_install_s(url, work, i)) for i in range(install_repeats)]
        finally:
            server.shutdown()
            server.server_close()
    results = {
        "cached_index_lookup_us": _figures(sync_us),
        "cached_index_lookup_async_us": _figures(async_us),
        "resolve_100_ms": _figures(resolve_ms),
        "install_100_s": _figures(install),
    }
    for name, figures in results.items():
        figures["target"] = TARGETS_MS.get(name, TARGETS_MS["cached_index_lookup_us"])
    return results


def main() -> None:
    results = run()
    print(f"{'benchmark':<30} {'median':>10} {'p95':>10} {'target':>8}  ok")
    for name, f in results.items():
        ok = "yes" if f["p95"] <= f["target"] else "NO"
        print(f"{name:<30} {f['median']:>10.3f} {f['p95']:>10.3f} {f['target']:>8g}  {ok}")


if __name__ == "__main__":
    main()
