"""Run a source file in the reference interpreter (or compiled to WebAssembly), with
its errors written as the command line shows them: the one path shared by
``craftls run``, the tests and the editor commands."""

from __future__ import annotations

from typing import IO

from ..language.model import LanguageDefinition
from .errors import BuildError, RunError
from .interp import Limit, run_program
from .link import ModuleFinder
from .program import build_program


def interpret(definition: LanguageDefinition, text: str, path: str, out: IO[str],
              err: IO[str], inp: IO[str], max_steps: int | None = None,
              timeout: float | None = None, target: str = "interp",
              find: ModuleFinder | None = None) -> int:
    """The exit code: the program's own, 1 after a build or runtime error or a limit.
    ``target`` "wasm" compiles to WebAssembly and runs that instead of interpreting;
    ``find`` locates the modules the program imports."""
    try:
        program = build_program(definition, text, path, find)
        if target == "wasm":
            from .wasm_emit import generate_wat
            module = generate_wat(program)
    except BuildError as exc:
        err.write(exc.format(path, text) + "\n")
        return 1
    try:
        if target == "wasm":
            from .wasm_host import run_module
            return run_module(module, out, inp, max_steps, timeout)
        return run_program(program, out, inp, max_steps, timeout)
    except RunError as exc:
        out.flush()
        err.write(exc.format(path, text, sources=program.sources) + "\n")
    except Limit as exc:
        out.flush()
        err.write(f"{path}: stopped: {exc}\n")
    return 1
