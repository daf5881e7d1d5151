"""``craftls run FILE`` and ``craftls build FILE``: run a program or compile it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .analysis_cmd import load_program


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser("run", help="run a program (reference interpreter, or compiled)")
    r.add_argument("file")
    r.add_argument("--language", metavar="DEF", help="definition file or bundled language id")
    r.add_argument("--target", choices=("interp", "c", "wasm"), default="interp",
                   help="interp (default): the reference interpreter; c: compile with the "
                        "system C compiler and run the executable; wasm: compile to "
                        "WebAssembly and run it with wasmtime")
    r.add_argument("--max-steps", type=int, metavar="N",
                   help="stop after N loop turns and calls (interpreter and wasm)")
    r.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after SECONDS")
    r.add_argument("--cc", metavar="COMPILER", help="the C compiler (default: cc, then gcc)")
    r.set_defaults(func=run_run)


def run_run(args: argparse.Namespace) -> int:
    loaded = load_program(args)
    if isinstance(loaded, int):
        return loaded
    definition, text, path = loaded
    if args.target == "c":
        if args.max_steps is not None:
            print("craftls: --max-steps counts the interpreter's steps; the compiled "
                  "program is bounded by --timeout only", file=sys.stderr)
        from .build_cmd import run_native
        return run_native(definition, text, path, args)
    from ..codegen.runner import interpret
    from ..workspace.imports import module_finder
    code = interpret(definition, text, path, sys.stdout, sys.stderr, sys.stdin,
                     args.max_steps, args.timeout, target=args.target, find=module_finder())
    sys.stdout.flush()
    return code


def demo_runs(folder: Path) -> int:
    """`make run`: one example run three ways (the interpreter, compiled to C, compiled
    to WebAssembly), the same output each time."""
    import io

    from ..codegen.c_emit import generate_c
    from ..codegen.native import CompilerError, run_c
    from ..codegen.program import build_program
    from ..codegen.runner import interpret
    from ..workspace.manifest import definition_for_file
    sample = folder / "pascal" / "bank.pas"
    definition = definition_for_file(sample)
    assert definition is not None
    text = sample.read_text(encoding="utf-8")
    runs: list[str] = []
    for target, title in (("interp", "the reference interpreter"),
                          ("wasm", "compiled to WebAssembly, run with wasmtime")):
        flag = "" if target == "interp" else f" --target {target}"
        print(f"\n== craftls run{flag} {sample.name} ({title})")
        out, err = io.StringIO(), io.StringIO()
        interpret(definition, text, sample.name, out, err, io.StringIO(), target=target)
        runs.append(out.getvalue() + err.getvalue())
        print(runs[-1], end="")
    print(f"\n== craftls run --target c {sample.name} (compiled with the system C compiler)")
    try:
        native = run_c(generate_c(build_program(definition, text, sample.name)).text,
                       timeout=60)
    except CompilerError as exc:
        print(f"craftls: {exc}")
        return 1
    runs.append(native.stdout + native.stderr)
    print(runs[-1], end="")
    same = len(set(runs)) == 1
    print("\nthe three outputs are " + ("identical" if same else "DIFFERENT"))
    return 0 if same else 1
