"""The ``craftls`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..syntax.build import syntax_build
from . import analysis_cmd, language_cmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="craftls",
        description="A language server and tools for languages defined in YAML.")
    parser.add_argument("--version", action="version",
                        version=f"craftls {__version__} (syntax layer: {syntax_build()})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    analysis_cmd.register(sub)
    language_cmd.register(sub)
    for module in _optional_modules():
        module.register(sub)
    return parser


def _optional_modules() -> list:
    """Command groups that live next to their subsystem."""
    from . import (
        build_cmd,
        demo_cmd,
        editor_cmd,
        format_cmd,
        ops_cmd,
        registry_cmd,
        run_cmd,
        serve_cmd,
    )
    from .doctor_checks import register_doctor_checks
    register_doctor_checks()
    return [format_cmd, serve_cmd, editor_cmd, registry_cmd, ops_cmd, demo_cmd, run_cmd,
            build_cmd]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["serve"]:
        # editors start the server often; skip importing every other command group
        # (the registry client, editors, ops) so that `initialize` is answered sooner
        from . import serve_cmd
        serve_parser = argparse.ArgumentParser(prog="craftls serve")
        serve_cmd.add_arguments(serve_parser)
        return int(serve_cmd.run_serve(serve_parser.parse_args(args_list[1:])))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
