"""Shared helpers: repeated timing with median and p95, generated Pascal sources."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def measure(fn: Callable[[], object], repeat: int = 20, warmup: int = 2,
            clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Run ``fn`` repeatedly; milliseconds as median, p95 and min. ``clock``
    ``time.process_time`` gives this process's CPU time (what a loaded machine's
    waiting for a core does not inflate)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = clock()
        fn()
        samples.append((clock() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return {"median_ms": statistics.median(samples), "p95_ms": p95, "min_ms": samples[0],
            "runs": len(samples)}


def pascal_program(lines: int) -> str:
    """A realistic Pascal-style program of about ``lines`` lines (functions of ~10 lines)."""
    out = ["PROGRAM Generated;", "VAR", "  Total, I : INTEGER;", ""]
    n = 0
    while len(out) < lines - 8:
        out += [
            f"FUNCTION F{n}(A, B : INTEGER) : INTEGER;",
            "VAR",
            "  T : INTEGER;",
            "BEGIN",
            f"  T := A * {n % 7 + 1} + B DIV 2;",
            "  IF T > 100 THEN",
            "    T := T MOD 100",
            "  ELSE",
            "    T := T + 1;",
            f"  F{n} := T",
            "END;",
            "",
        ]
        n += 1
    out += ["BEGIN", "  Total := 0;", "  FOR I := 1 TO 10 DO", "    Total := Total + F0(I, 2);",
            "  WriteLn(Total)", "END."]
    return "\n".join(out) + "\n"


def pascal_main_block(lines: int, main_lines: int) -> str:
    """A Pascal-style program of about ``lines`` lines whose main block is ``main_lines``
    long: ``pascal_program``'s functions, then statements of three lines each."""
    head = pascal_program(lines - main_lines).rsplit("BEGIN\n", 1)[0]
    body: list[str] = []
    i = 0
    while len(body) < main_lines - 4:
        body += [f"  Total := Total + I * {i % 9 + 1};", f"  IF Total > {1000 + i} THEN",
                 "    Total := Total MOD 1000;"]
        i += 1
    return head + "BEGIN\n  Total := 0;\n  I := 1;\n" + "\n".join(body) + \
        "\n  WriteLn(Total)\nEND.\n"


def pascal_nested_main_block(lines: int, main_lines: int, group: int = 100) -> str:
    """``pascal_main_block`` with the main block's statements in compound statements
    (BEGIN ... END) of about ``group`` lines each: lists inside a list."""
    head = pascal_program(lines - main_lines).rsplit("BEGIN\n", 1)[0]
    out: list[str] = []
    i = 0
    while len(out) < main_lines - 8:
        body: list[str] = []
        while len(body) < group - 5 and len(out) + len(body) < main_lines - 8:
            body += [f"    Total := Total + I * {i % 9 + 1};", f"    IF Total > {1000 + i} THEN",
                     "      Total := Total MOD 1000;"]
            i += 1
        body[-1] = body[-1].rstrip(";")
        out += ["  BEGIN", *body, "  END;"]
    return head + "BEGIN\n  Total := 0;\n  I := 1;\n" + "\n".join(out) + \
        "\n  WriteLn(Total)\nEND.\n"


def teachlang_script(lines: int) -> str:
    """A TeachLang (indentation) script of ``lines`` lines of top-level statements."""
    out = ["remember total = 0", "remember i = 1"]
    n = 0
    while len(out) < lines - 1:
        out += [f"total = total + i * {n % 9 + 1}", f"when total > {1000 + n}:",
                "    total = total % 1000"]
        n += 1
    return "\n".join(out + ["show(total)"]) + "\n"


def basic_script(lines: int) -> str:
    """A BASIC-style script of ``lines`` lines of top-level statements."""
    out = ["DIM total AS INTEGER", "DIM i AS INTEGER", "total = 0", "i = 1"]
    n = 0
    while len(out) < lines - 1:
        out += [f"total = total + i * {n % 9 + 1}",
                f"IF total > {1000 + n} THEN total = total MOD 1000"]
        n += 1
    return "\n".join(out + ["PRINT total"]) + "\n"


def basic_while_script(lines: int, body: int) -> str:
    """A BASIC-style script of ``lines`` lines whose middle ``body`` lines are the body
    of one WHILE ... WEND (a block inside a statement, not top-level statements)."""
    head = ["DIM total AS INTEGER", "DIM i AS INTEGER", "total = 0", "i = 1"]
    outside = (lines - body - len(head) - 3) // 2
    before = basic_script(outside + 1).splitlines()[4:-1]
    inside = ["  " + line for line in basic_script(body + 5).splitlines()[4:-1]]
    return "\n".join(head + before + ["WHILE i < 10", *inside, "  i = i + 1", "WEND"]
                     + before + ["PRINT total"]) + "\n"


def lua_long_function(statements: int) -> str:
    """A Lua module whose one function holds ``statements`` groups of six lines (an
    assignment, an if/elseif with a for loop): one top-level item of that size."""
    body: list[str] = []
    for i in range(statements):
        body += [f"  total = total + t[{i % 9 + 1}] * n", f"  if total > {1000 + i} then",
                 "    total = total % 1000", "  elseif total < 0 then",
                 "    for k, v in pairs(t) do t[k] = v + 1 end", "  end"]
    return "local M = {}\nfunction M.run(t, n)\n  local total = 0\n" + "\n".join(body) + \
        "\n  return total\nend\nreturn M\n"


# Where a keystroke lands in each large block or script: inside an expression in the middle
def lua_workspace(folder: Path, count: int, names: int = 8) -> None:
    """``count`` Lua files in ``folder`` that share globals, as a repository's modules do:
    each assigns a table and ``names`` functions of its own (globals), and reads those of
    two other files (none undefined)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        lines = [f"-- generated module {i}", f"Mod{i} = {{}}"]
        for j in range(names):
            lines += [f"function Mod{i}.f{j}(x)",
                      f"  local y = x * {j} + helper{(i + 1) % count}_{j}(x)", "  return y", "end",
                      f"function helper{i}_{j}(a)", f"  if a > {j} then return a - 1 end",
                      f"  return Mod{(i + 7) % count}.f{j}(a) + count{i}", "end"]
        lines += [f"count{i} = 0", "local function tick()", f"  count{i} = count{i} + 1", "end",
                  "tick()", ""]
        (folder / f"m{i:04d}.lua").write_text("\n".join(lines))


TYPED_AT = {"pascal": "+ I *", "turbopascal": "+ I *", "teachlang": "+ i *", "basic": "+ i *"}


def statements(count: int) -> str:
    body = ";\n".join(f"  X := X + {i} * (Y - {i % 5})" for i in range(count))
    return f"PROGRAM S;\nVAR X, Y : INTEGER;\nBEGIN\n{body}\nEND.\n"


def table(rows: list[tuple[str, dict[str, float], str]]) -> str:
    lines = [f"{'benchmark':58} {'median':>10} {'p95':>10}  target"]
    for name, result, target in rows:
        lines.append(f"{name:58} {result['median_ms']:9.3f}ms {result['p95_ms']:9.3f}ms  {target}")
    return "\n".join(lines)
