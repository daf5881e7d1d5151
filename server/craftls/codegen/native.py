"""Compiling generated C with the system compiler and running the executable."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CFLAGS = ("-std=c99", "-O2", "-w")


class CompilerError(Exception):
    """No compiler, or it refused the generated code (a bug of ours: it says so)."""


def find_compiler(explicit: str | None = None) -> str:
    """The C compiler to use: ``explicit`` (--cc), else cc, else gcc."""
    names = [explicit] if explicit else ["cc", "gcc"]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if explicit:
        raise CompilerError(f"the C compiler {explicit!r} was not found")
    raise CompilerError("no C compiler found (looked for cc and gcc); install one "
                        "(e.g. apt-get install gcc) or name it with --cc")


def compile_c(source: str, output: Path, cc: str | None = None, timeout: float = 120) -> None:
    compiler = find_compiler(cc)
    with tempfile.TemporaryDirectory(prefix="craftls-c-") as folder:
        c_file = Path(folder) / "program.c"
        c_file.write_text(source, encoding="utf-8")
        try:
            done = subprocess.run([compiler, *CFLAGS, str(c_file), "-o", str(output), "-lm"],
                                  capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise CompilerError(f"{compiler} took longer than {timeout:.0f} s") from exc
        if done.returncode != 0:
            raise CompilerError(f"{compiler} rejected the generated C (a craftls bug, please "
                                f"report it):\n{done.stderr[-4000:]}")


def run_c(source: str, stdin: str | None = None, cc: str | None = None,
          timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Compile and run with captured output (for tests and benchmarks)."""
    with tempfile.TemporaryDirectory(prefix="craftls-run-") as folder:
        exe = Path(folder) / "program"
        compile_c(source, exe, cc)
        return subprocess.run([str(exe)], input=stdin or "", capture_output=True, text=True,
                              timeout=timeout, check=False)
