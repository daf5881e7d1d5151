"""Run and compile: the reference interpreter against the compiled C program and the
WebAssembly module, and the time to generate C and WAT for a 1,000-line program.
``run()`` returns median / p95 figures.

Programs: recursive Fibonacci (n = 27), a nested-loop sieve and a string-building loop,
each in the Pascal-style language and in TeachLang. The interpreter runs in process;
the C program is compiled once (not timed) and its runs are timed as processes; the
WebAssembly module is generated, assembled and compiled by wasmtime once (timed apart,
``wasm_compile_ms``) and its runs (a fresh instance each) are timed in process.

Run: ``python -m benchmarks.bench_codegen [NAME-PART]`` (e.g. ``strings``; a name no
program has, e.g. ``generation-only``, gives the generation figures alone). Generation
is timed by the wall clock and by CPU time (``time.process_time``), since on a loaded
machine the wall clock mostly measures the wait for a core.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from craftls.codegen.c_emit import generate_c
from craftls.codegen.interp import run_program
from craftls.codegen.lower import lower
from craftls.codegen.native import compile_c
from craftls.codegen.program import build_program
from craftls.codegen.wasm_emit import generate_wat
from craftls.codegen.wasm_host import compile_module, run_module
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

from .common import measure, pascal_program

TARGETS = {"c_speedup": 20.0, "wasm_speedup": 5.0, "generate_1000_lines_ms": 200.0}

PROGRAMS: dict[str, tuple[str, str]] = {
    "fib27 pascal": ("pascal", """PROGRAM Fib;
FUNCTION Fib(N : INTEGER) : INTEGER;
BEGIN
  IF N < 2 THEN Fib := N ELSE Fib := Fib(N - 1) + Fib(N - 2)
END;
BEGIN
  WriteLn(Fib(27))
END.
"""),
    "fib27 teachlang": ("teachlang", """teach fib(n: int) -> int:
    when n < 2:
        give_back n
    give_back fib(n - 1) + fib(n - 2)

show(fib(27))
"""),
    "sieve pascal": ("pascal", """PROGRAM Sieve;
CONST Limit = 200000;
VAR Flags : ARRAY [1..Limit] OF BOOLEAN; I, J, Count : INTEGER;
BEGIN
  FOR I := 2 TO Limit DO Flags[I] := TRUE;
  I := 2;
  WHILE I * I <= Limit DO
  BEGIN
    IF Flags[I] THEN
    BEGIN
      J := I * I;
      WHILE J <= Limit DO BEGIN Flags[J] := FALSE; J := J + I END
    END;
    I := I + 1
  END;
  Count := 0;
  FOR I := 2 TO Limit DO IF Flags[I] THEN Count := Count + 1;
  WriteLn(Count)
END.
"""),
    "sieve teachlang": ("teachlang", """remember limit = 200000
remember flags = []
repeat_for i inside range(limit + 1):
    add_to(flags, yes)
remember i = 2
as_long_as i * i <= limit:
    when flags[i]:
        remember j = i * i
        as_long_as j <= limit:
            flags[j] = no
            j = j + i
    i = i + 1
remember count = 0
repeat_for k inside range(2, limit + 1):
    when flags[k]:
        count = count + 1
show(count)
"""),
    "strings pascal": ("pascal", """PROGRAM Strings;
VAR S : STRING; I, Vowels : INTEGER;
BEGIN
  S := '';
  FOR I := 1 TO 30000 DO
    S := S + Chr(97 + I MOD 26);
  Vowels := 0;
  FOR I := 1 TO Length(S) DO
    IF (S[I] = 'a') OR (S[I] = 'e') THEN Vowels := Vowels + 1;
  WriteLn(Length(S), ' ', Vowels)
END.
"""),
    "strings teachlang": ("teachlang", """remember s = ""
repeat_for i inside range(30000):
    s = s + to_text(i % 10)
remember sevens = 0
repeat_for c inside s:
    when c == "7":
        sevens = sevens + 1
show(length(s), sevens)
"""),
}


def interpret(program: Any) -> str:
    out = io.StringIO()
    run_program(program, out, io.StringIO())
    return out.getvalue()


def run_wasm(program: Any, compiled: Any) -> str:
    out = io.StringIO()
    run_module(program, out, io.StringIO(), compiled=compiled)
    return out.getvalue()


def run(only: str = "") -> dict[str, dict[str, float]]:
    """Every program (or those whose name contains ``only``) and the generation time."""
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="craftls-bench-") as folder:
        for name, (language, text) in PROGRAMS.items():
            if only not in name:
                continue
            program = build_program(bundled(language), text, name)
            exe = Path(folder) / name.replace(" ", "_")
            compile_c(generate_c(program).text, exe)
            expected = interpret(program)
            native = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
            assert native.stdout == expected, (name, native.stdout, expected)
            slow = measure(lambda p=program: interpret(p), repeat=3, warmup=0)
            fast = measure(lambda e=exe: subprocess.run([str(e)], capture_output=True,
                                                        check=True), repeat=10, warmup=1)
            start = time.perf_counter()
            module = generate_wat(program)
            compiled = compile_module(module)
            compile_ms = (time.perf_counter() - start) * 1000
            assert run_wasm(module, compiled) == expected, name
            wasm = measure(lambda m=module, c=compiled: run_wasm(m, c), repeat=10, warmup=1)
            speedup = slow["median_ms"] / fast["median_ms"]
            wasm_speedup = slow["median_ms"] / wasm["median_ms"]
            figures[name] = {"interp_median_ms": slow["median_ms"],
                             "interp_p95_ms": slow["p95_ms"],
                             "c_median_ms": fast["median_ms"], "c_p95_ms": fast["p95_ms"],
                             "speedup": speedup, "target": TARGETS["c_speedup"],
                             "wasm_median_ms": wasm["median_ms"], "wasm_p95_ms": wasm["p95_ms"],
                             "wasm_compile_ms": compile_ms, "wasm_speedup": wasm_speedup,
                             "wasm_target": TARGETS["wasm_speedup"]}
            print(f"{name:20} interpreter {slow['median_ms']:9.1f} / {slow['p95_ms']:9.1f} ms"
                  f"   C {fast['median_ms']:7.2f} / {fast['p95_ms']:7.2f} ms"
                  f"   {speedup:7.1f}x (target >= {TARGETS['c_speedup']:.0f}x)"
                  f"   WASM {wasm['median_ms']:7.2f} / {wasm['p95_ms']:7.2f} ms"
                  f"   {wasm_speedup:6.1f}x (target >= {TARGETS['wasm_speedup']:.0f}x;"
                  f" compiled once in {compile_ms:.0f} ms)")
    figures.update(generation())
    return figures


def generation() -> dict[str, dict[str, float]]:
    """Generating C and WAT for the 1,006-line program (parse included), wall clock and
    CPU time, and each phase apart (parse, lowering, emission) in CPU time."""
    source = pascal_program(1000)
    definition = bundled("pascal")
    target = TARGETS["generate_1000_lines_ms"]
    figures: dict[str, dict[str, float]] = {}
    lines = source.count(chr(10))
    for label, emit in (("C", generate_c), ("WAT", generate_wat)):
        def whole(e: Any = emit) -> object:
            return e(build_program(definition, source, "g.pas"))
        wall = measure(whole, repeat=20)
        cpu = measure(whole, repeat=20, clock=time.process_time)
        figures[f"generate {label}, 1000 lines"] = {
            "median": wall["median_ms"], "p95": wall["p95_ms"], "cpu_median": cpu["median_ms"],
            "cpu_p95": cpu["p95_ms"], "target": target}
        print(f"generate {label} for {lines} lines: wall {wall['median_ms']:.1f} / "
              f"{wall['p95_ms']:.1f} ms, CPU {cpu['median_ms']:.1f} / {cpu['p95_ms']:.1f} ms"
              f" (target <= {target:.0f} ms)")
    parsed = parse(definition, source)
    program = lower(parsed, "g.pas")
    phases = {"parse": lambda: parse(definition, source), "lower": lambda: lower(parsed, "g.pas"),
              "emit C": lambda: generate_c(program), "emit WAT": lambda: generate_wat(program)}
    for name, fn in phases.items():
        cpu = measure(fn, repeat=20, clock=time.process_time)
        figures[f"phase {name}"] = {"cpu_median": cpu["median_ms"], "cpu_p95": cpu["p95_ms"]}
        print(f"  {name:9} CPU {cpu['median_ms']:6.1f} / {cpu['p95_ms']:6.1f} ms")
    return figures


if __name__ == "__main__":
    import sys
    start = time.perf_counter()
    run(sys.argv[1] if len(sys.argv) > 1 else "")
    print(f"total {time.perf_counter() - start:.1f} s")
