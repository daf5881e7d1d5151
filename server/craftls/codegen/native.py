"""Compiling generated C with the system compiler and running the executable.

A file ``c_emit`` generated is compiled in two parts: the runtime once, as a library
(``c_library``) whose object is kept (``c_objects``), and the program after the
runtime's header alone, linked with that object. Any other C file is compiled whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from . import c_objects
from .c_library import PROGRAM_MARK, library, program_part

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


def compile_c(source: str, output: Path, cc: str | None = None, timeout: float = 120,
              flags: Sequence[str] = CFLAGS) -> None:
    """Compile ``source`` to the executable ``output``; raises ``CompilerError``."""
    compiler = find_compiler(cc)
    body = program_part(source)
    with tempfile.TemporaryDirectory(prefix="craftls-c-") as folder:
        c_file = Path(folder) / "program.c"
        if body is None:
            c_file.write_text(source, encoding="utf-8")
            _compile(compiler, [*flags, str(c_file), "-o", str(output), "-lm"], timeout)
            return
        header, _ = library()
        c_file.write_text(header + PROGRAM_MARK + "\n" + body, encoding="utf-8")
        key = runtime_key(compiler, flags)
        obj = Path(folder) / "runtime.o"
        kept = c_objects.get(key)
        obj.write_bytes(kept if kept is not None else _compile_runtime(compiler, flags, key,
                                                                        folder, timeout))
        link = [*flags, str(c_file), str(obj), "-o", str(output), "-lm"]
        try:
            _compile(compiler, link, timeout)
        except CompilerError:
            if kept is None:
                raise
            # a kept object the linker refuses (it passed its checksum, so it was written
            # so): compiled again, never trusted twice
            c_objects.forget(key)
            obj.write_bytes(_compile_runtime(compiler, flags, key, folder, timeout))
            _compile(compiler, link, timeout)


def runtime_key(compiler: str, flags: Sequence[str]) -> str:
    """What the runtime's object depends on: its source, the compiler, the flags."""
    _, source = library()
    digest = hashlib.sha256(source.encode())
    for part in (*_compiler_identity(compiler), *flags):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def _compiler_identity(compiler: str) -> tuple[str, ...]:
    real = os.path.realpath(compiler)
    try:
        info = os.stat(real)
    except OSError:
        return (real,)
    return (real, str(info.st_size), str(info.st_mtime_ns), _version(real, info.st_mtime_ns))


@lru_cache(maxsize=8)
def _version(compiler: str, mtime_ns: int) -> str:
    """What ``compiler --version`` says (once per compiler and process)."""
    try:
        done = subprocess.run([compiler, "--version"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


def _compile_runtime(compiler: str, flags: Sequence[str], key: str, folder: str,
                     timeout: float) -> bytes:
    _, source = library()
    lib = Path(folder) / "craftls-runtime.c"
    lib.write_text(source, encoding="utf-8")
    obj = Path(folder) / "craftls-runtime.o"
    _compile(compiler, [*flags, "-c", str(lib), "-o", str(obj)], timeout)
    data = obj.read_bytes()
    c_objects.put(key, data)
    return data


def _compile(compiler: str, arguments: list[str], timeout: float) -> None:
    try:
        done = subprocess.run([compiler, *arguments], capture_output=True, text=True,
                              timeout=timeout, check=False)
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
