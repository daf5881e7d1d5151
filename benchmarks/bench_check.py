"""`craftls check` of a whole file, and start-up (issue 19, item 5); of a folder of
generated Lua files that share globals (``workspace_check``: linear in files).

Start-up is command to exit, as processes (`python -m craftls`), next to `python -c pass`
in the same run: the imports of `check` alone, `--version`, and `check` of a 6-line file
(what every check pays).
The whole check of the 10,000-line Pascal-style file is its process time less that of
the 6-line file, and, in process, as `craftls check` runs it (no cached walks or types,
none recorded, the cyclic collector paused) phase by phase: lex, parse, names, types,
diagnostics, output (the lines printed for them). The bundled definitions come from
the cache folder (a temporary one, filled by a first run), as after any first run.
And the same phases in fresh processes (``check_phases``: imports, definition, read,
parse with lexing, names, diagnostics, types, output), each process's first use of its
memory included, as the command pays it.
Each process's CPU time (user + system, from ``getrusage``) is reported next to its
wall time: on a loaded machine it is the steadier of the two.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from craftls.cli.analysis_cmd import report
from craftls.features.analysis import analyze_with_types
from craftls.features.caches import DEFAULT_CACHES
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import semantic_diagnostics, syntax_diagnostics
from craftls.semantics.item_walks import ITEM_WALKS
from craftls.semantics.resolve import Resolver
from craftls.syntax.lexer import lex
from craftls.syntax.parse import GC_PAUSE, parse
from craftls.types import TypeChecker

from .common import lua_workspace, pascal_program

TINY = "PROGRAM Tiny;\nVAR X : INTEGER;\nBEGIN\n  X := 1;\n  WriteLn(X)\nEND.\n"


def _processes(commands: dict[str, list[str]], env: dict[str, str], rounds: int
               ) -> dict[str, dict[str, float]]:
    """Each command ``rounds`` times, interleaved (a slow moment slows all alike)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=False, timeout=300)
            samples[name].append((time.perf_counter() - started) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append((after.ru_utime - before.ru_utime
                              + after.ru_stime - before.ru_stime) * 1000)
    out = {}
    for name, values in samples.items():
        out[name] = _summary(values)
        used = _summary(cpu[name])
        out[name]["cpu_median_ms"], out[name]["cpu_p95_ms"] = used["median_ms"], used["p95_ms"]
    return out


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": statistics.median(ordered),
            "p95_ms": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
            "runs": len(ordered)}


def start_up_and_check(rounds: int = 7) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "tiny.pas").write_text(TINY)
        (folder / "big.pas").write_text(pascal_program(10_000))
        env = {**os.environ, "CRAFTLS_CACHE_DIR": str(folder / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code is cached
        python = [sys.executable]
        commands = {"python": [*python, "-c", "pass"],
                    # what `check` imports, without running it: start-up's share of imports
                    "imports": [*python, "-c", "import craftls.cli.main, "
                                "craftls.cli.analysis_cmd"],
                    "version": [*python, "-m", "craftls", "--version"],
                    # the keyword-level `pascal` (by extension, `.pas` is `turbopascal`'s)
                    "check_tiny": [*python, "-m", "craftls", "check", str(folder / "tiny.pas"),
                                   "--language", "pascal"],
                    "check_10000_lines": [*python, "-m", "craftls", "check",
                                          str(folder / "big.pas"), "--language", "pascal"],
                    # what a `.pas` file gets by extension: the grammar-defined Pascal
                    "check_tiny_turbopascal": [*python, "-m", "craftls", "check",
                                               str(folder / "tiny.pas")]}
        for warm in ("check_tiny", "check_tiny_turbopascal"):  # fill the definition cache
            subprocess.run(commands[warm], env=env, capture_output=True, timeout=300)
        figures = _processes(commands, env, rounds)
    figures["check_beyond_start_up_ms"] = (figures["check_10000_lines"]["median_ms"]
                                           - figures["check_tiny"]["median_ms"])
    figures["check_beyond_start_up_cpu_ms"] = (figures["check_10000_lines"]["cpu_median_ms"]
                                               - figures["check_tiny"]["cpu_median_ms"])
    return figures


ROOT = Path(__file__).resolve().parents[1]


def process_phases(rounds: int = 7) -> dict[str, dict[str, float]]:
    """`craftls check` of the 10,000-line file phase by phase, each run in a fresh
    process (``benchmarks.check_phases``): CPU medians of ``rounds``."""
    samples: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "big.pas").write_text(pascal_program(10_000))
        env = {**os.environ, "CRAFTLS_CACHE_DIR": str(folder / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        command = [sys.executable, "-m", "benchmarks.check_phases", str(folder / "big.pas")]
        for i in range(rounds + 1):  # the first fills the definition cache
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                                  check=True, timeout=300)
            if i:
                for name, value in json.loads(done.stdout).items():
                    samples.setdefault(name, []).append(value)
    return {name: {"cpu_median_ms": statistics.median(values)}
            for name, values in samples.items()}


def _cpu(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    """Median wall and CPU (this thread) time of ``fn``, cold caches each time."""
    wall, cpu = [], []
    for _ in range(repeat):
        ITEM_WALKS.clear()
        DEFAULT_CACHES.types.clear()
        gc.collect()
        started, started_cpu = time.perf_counter(), time.thread_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return {"median_ms": statistics.median(wall), "cpu_median_ms": statistics.median(cpu)}


def phases(repeat: int = 7) -> dict[str, Any]:
    """The in-process check of the 10,000-line file, phase by phase, cold, as
    `craftls check` runs it: the caches record nothing, the collector is paused."""
    with DEFAULT_CACHES.keeping_nothing(), GC_PAUSE:
        return _phases(repeat)


def _phases(repeat: int) -> dict[str, Any]:
    definition = bundled("pascal")
    text = pascal_program(10_000)
    parsed = parse(definition, text)
    state: dict[str, Any] = {}

    def names() -> None:
        state["resolver"] = resolver = Resolver(parsed)
        state["model"] = resolver.run()

    names()

    def types() -> None:
        TypeChecker(definition, cache=DEFAULT_CACHES.types).check(parsed, state["model"])

    def diagnostics() -> None:
        names()  # the model's counts are made by its walk; then the diagnostics alone
        started = time.thread_time()
        syntax_diagnostics(parsed)
        semantic_diagnostics(state["resolver"], state["model"])
        state["diagnostics_cpu"] = (time.thread_time() - started) * 1000

    found = analyze_with_types(parsed).diagnostics

    def output() -> None:  # what check prints for them
        with contextlib.redirect_stdout(io.StringIO()):
            report(Path("big.pas"), text, found)

    figures = {"lex": _cpu(lambda: lex(definition, text), repeat),
               "parse": _cpu(lambda: parse(definition, text), repeat),
               "names": _cpu(names, repeat),
               "types": _cpu(types, repeat)}
    samples = []
    for _ in range(repeat):
        diagnostics()
        samples.append(state["diagnostics_cpu"])
    figures["diagnostics"] = {"cpu_median_ms": statistics.median(samples)}
    figures["output"] = _cpu(output, repeat)
    figures["parse"]["cpu_median_ms"] -= figures["lex"]["cpu_median_ms"]  # parse alone
    figures["parse"]["median_ms"] -= figures["lex"]["median_ms"]
    return figures


# the sizes of the generated Lua workspace `craftls check` runs over (``workspace_check``)
WORKSPACE_FILES = (100, 200, 400)


def workspace_check(counts: tuple[int, ...] = WORKSPACE_FILES, rounds: int = 5
                    ) -> dict[str, Any]:
    """`craftls check` of a folder of ``n`` generated Lua files that share globals
    (``common.lua_workspace``), one process per run, interleaved: CPU median / p95,
    files per CPU second, and the process's peak RSS (``wait4``). ``per_file_growth``:
    the largest folder's CPU per file over the smallest's (1.0 when the check is linear
    in files; the quadratic shared-globals pass made it 1.7 from 100 to 400)."""
    samples: dict[int, list[float]] = {n: [] for n in counts}
    peaks: dict[int, list[float]] = {n: [] for n in counts}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "CRAFTLS_CACHE_DIR": str(root / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for n in counts:
            lua_workspace(root / f"n{n}", n)
        subprocess.run([sys.executable, "-m", "craftls", "check", str(root / f"n{counts[0]}")],
                       env=env, capture_output=True, timeout=600)  # fill the definition cache
        for _ in range(rounds):
            for n in counts:
                child = subprocess.Popen([sys.executable, "-m", "craftls", "check",
                                          str(root / f"n{n}")], env=env,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)
                if child.returncode != 0:
                    raise RuntimeError(f"check of {n} generated files failed")
                samples[n].append((usage.ru_utime + usage.ru_stime) * 1000)
                peaks[n].append(usage.ru_maxrss / 1024)
    figures: dict[str, Any] = {}
    for n in counts:
        f = _summary(samples[n])
        f["files_per_cpu_s"] = n / (f["median_ms"] / 1000)
        f["peak_rss_mb"] = max(peaks[n])
        figures[str(n)] = f
    first, last = figures[str(counts[0])], figures[str(counts[-1])]
    figures["per_file_growth"] = (last["median_ms"] / counts[-1]) / (first["median_ms"] / counts[0])
    return figures


def run() -> dict[str, Any]:
    load = os.getloadavg()[0]
    start = start_up_and_check()
    split = phases()
    fresh = process_phases()
    workspace = workspace_check()
    print(f"processes (median / p95 of 7, interleaved; 1-minute load average {load:.1f})")
    for name in ("python", "imports", "version", "check_tiny", "check_10000_lines",
                 "check_tiny_turbopascal"):
        f = start[name]
        print(f"  {name:26} {f['median_ms']:9.1f} / {f['p95_ms']:9.1f} ms"
              f"   CPU {f['cpu_median_ms']:9.1f} / {f['cpu_p95_ms']:9.1f} ms")
    print(f"  check of 10,000 lines beyond start-up: {start['check_beyond_start_up_ms']:.1f} ms"
          f" (CPU {start['check_beyond_start_up_cpu_ms']:.1f} ms)"
          "  (target <= 100 ms compiled, <= 200 ms pure; start-up <= 200 ms)")
    total = sum(f["cpu_median_ms"] for f in split.values())
    print("in process, cold, CPU median (wall):")
    for name, f in split.items():
        wall = f" ({f['median_ms']:.1f})" if "median_ms" in f else ""
        print(f"  {name:12} {f['cpu_median_ms']:8.1f} ms{wall}")
    print(f"  {'total':12} {total:8.1f} ms")
    print("in a fresh process each, as `craftls check` runs (CPU median of 7):")
    for name, f in fresh.items():
        print(f"  {name:12} {f['cpu_median_ms']:8.1f} ms")
    beyond = sum(f["cpu_median_ms"] for name, f in fresh.items() if name != "imports")
    print(f"  {'all but imports':12} {beyond:8.1f} ms")
    print("`craftls check` of n generated Lua files sharing globals (CPU median / p95 of 5, "
          "a process each, start-up included):")
    for n in WORKSPACE_FILES:
        f = workspace[str(n)]
        print(f"  {n:5} files {f['median_ms']:9.1f} / {f['p95_ms']:9.1f} ms"
              f"  {f['files_per_cpu_s']:6.1f} files/s  peak RSS {f['peak_rss_mb']:.0f} MB")
    print(f"  CPU per file, {WORKSPACE_FILES[-1]} files over {WORKSPACE_FILES[0]}: "
          f"{workspace['per_file_growth']:.2f} (1.0 is linear)")
    return {"processes": start, "phases": split, "process_phases": fresh,
            "workspace_check": workspace, "load_average": load}


if __name__ == "__main__":
    run()
