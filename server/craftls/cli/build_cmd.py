"""``craftls build FILE --target c|exe|wat|wasm`` and the compiled side of ``craftls run``."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from ..codegen.c_emit import generate_c
from ..codegen.errors import BuildError
from ..codegen.native import CompilerError, compile_c
from ..codegen.program import build_program
from ..language.model import LanguageDefinition
from ..workspace.imports import module_finder
from .analysis_cmd import load_program


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("build", help="compile a program to C (and an executable) or to "
                                     "WebAssembly (text or binary)")
    b.add_argument("file")
    b.add_argument("--language", metavar="DEF", help="definition file or bundled language id")
    b.add_argument("--target", choices=("c", "exe", "wat", "wasm"), default="c",
                   help="c: C99 source; exe: an executable built with the system C compiler; "
                        "wat: WebAssembly text; wasm: a WebAssembly binary module")
    b.add_argument("-o", "--output", metavar="OUT",
                   help="where to write (c and wat: default stdout; exe and wasm: default "
                        "the file's name without (exe) or with .wasm (wasm) as extension)")
    b.add_argument("--cc", metavar="COMPILER", help="the C compiler (default: cc, then gcc)")
    b.set_defaults(func=run_build)


def generate(definition: LanguageDefinition, text: str, path: str) -> str | None:
    """The C source, or None after printing why it cannot be built."""
    try:
        return generate_c(build_program(definition, text, path, module_finder())).text
    except BuildError as exc:
        print(exc.format(path, text), file=sys.stderr)
        return None


def run_build(args: argparse.Namespace) -> int:
    loaded = load_program(args)
    if isinstance(loaded, int):
        return loaded
    definition, text, path = loaded
    if args.target in ("wat", "wasm"):
        return build_wasm(definition, text, path, args)
    source = generate(definition, text, path)
    if source is None:
        return 1
    if args.target == "c":
        if args.output:
            Path(args.output).write_text(source, encoding="utf-8")
        else:
            sys.stdout.write(source)
        return 0
    output = Path(args.output or Path(path).with_suffix(""))
    try:
        compile_c(source, output, args.cc)
    except CompilerError as exc:
        print(f"craftls: {exc}", file=sys.stderr)
        return 1
    return 0


def build_wasm(definition: LanguageDefinition, text: str, path: str,
               args: argparse.Namespace) -> int:
    """``--target wat|wasm``: the module's text, or the binary wasmtime assembles."""
    from ..codegen.wasm_emit import generate_wat
    from ..codegen.wasm_host import assemble
    try:
        module = generate_wat(build_program(definition, text, path, module_finder()))
    except BuildError as exc:
        print(exc.format(path, text), file=sys.stderr)
        return 1
    if args.target == "wat":
        if args.output:
            Path(args.output).write_text(module.text, encoding="utf-8")
        else:
            sys.stdout.write(module.text)
        return 0
    Path(args.output or Path(path).with_suffix(".wasm")).write_bytes(assemble(module))
    return 0


def run_native(definition: LanguageDefinition, text: str, path: str,
               args: argparse.Namespace) -> int:
    """``craftls run --target c``: compile to a temporary executable and run it."""
    source = generate(definition, text, path)
    if source is None:
        return 1
    with tempfile.TemporaryDirectory(prefix="craftls-run-") as folder:
        exe = Path(folder) / "program"
        try:
            compile_c(source, exe, args.cc)
        except CompilerError as exc:
            print(f"craftls: {exc}", file=sys.stderr)
            return 1
        sys.stdout.flush()
        try:
            return subprocess.run([str(exe)], timeout=args.timeout, check=False).returncode
        except subprocess.TimeoutExpired:
            print(f"{path}: stopped: the program ran past its time limit", file=sys.stderr)
            return 1
