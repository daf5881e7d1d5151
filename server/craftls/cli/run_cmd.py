"""``craftls run FILE`` and ``craftls build FILE``: run a program or compile it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..codegen import ir
from ..codegen.errors import BuildError, RunError
from ..codegen.program import build_program
from .analysis_cmd import UsageError, _definition, _read


def register(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("run", help="run a program (reference interpreter, or compiled)")
    r.add_argument("file")
    r.add_argument("--language", metavar="DEF", help="definition file or bundled language id")
    r.add_argument("--target", choices=("interp", "c"), default="interp",
                   help="interp (default): the reference interpreter; c: compile with the "
                        "system C compiler and run the executable")
    r.add_argument("--max-steps", type=int, metavar="N",
                   help="stop after N loop turns and calls (interpreter)")
    r.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after SECONDS")
    r.add_argument("--cc", metavar="COMPILER", help="the C compiler (default: cc, then gcc)")
    r.set_defaults(func=run_run)


def load(args: argparse.Namespace) -> tuple[ir.Program, str] | int:
    """The program, or the exit code after an error was printed."""
    path = Path(args.file)
    try:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        definition = _definition(path, args.language)
        if definition is None:
            raise UsageError(f"{path}: no language for this file (use --language)")
    except UsageError as exc:
        print(f"craftls: {exc}", file=sys.stderr)
        return 2
    text = _read(path)
    try:
        return build_program(definition, text, str(path)), text
    except BuildError as exc:
        print(exc.format(str(path), text), file=sys.stderr)
        return 1


def run_run(args: argparse.Namespace) -> int:
    loaded = load(args)
    if isinstance(loaded, int):
        return loaded
    program, text = loaded
    if args.target == "c":
        from .build_cmd import run_native
        return run_native(program, args)
    from ..codegen.interp import Limit, run_program
    try:
        code = run_program(program, sys.stdout, sys.stdin, args.max_steps, args.timeout)
    except RunError as exc:
        sys.stdout.flush()
        print(exc.format(program.path, text), file=sys.stderr)
        return 1
    except Limit as exc:
        sys.stdout.flush()
        print(f"{program.path}: stopped: {exc}", file=sys.stderr)
        return 1
    sys.stdout.flush()
    return code
