"""The ``craftls`` command line."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any, Final, NoReturn

from .. import __version__

# Each command's module, so that a command imports only its own group: `craftls check`
# does not load the registry client, httpx, asyncio or the C code generator (start-up is
# a figure of docs/performance.md). A command missing here still works: an unknown first
# word builds the full parser, which also prints the usage errors and --help.
COMMAND_MODULES = {
    "parse": "analysis_cmd", "check": "analysis_cmd", "language": "language_cmd",
    "format": "format_cmd", "serve": "serve_cmd", "editor": "editor_cmd",
    "registry": "registry_cmd", "add": "registry_cmd", "install": "registry_cmd",
    "lock": "registry_cmd", "search": "registry_cmd", "cache": "registry_cmd",
    "audit": "ops_cmd", "doctor": "ops_cmd", "demo": "demo_cmd", "run": "run_cmd",
    "build": "build_cmd",
}
ALL_MODULES = ("analysis_cmd", "language_cmd", "format_cmd", "serve_cmd", "editor_cmd",
               "registry_cmd", "ops_cmd", "demo_cmd", "run_cmd", "build_cmd")


def _help_width() -> int:
    """The width argparse's help takes by default (the terminal's, as
    ``shutil.get_terminal_size`` finds it, less 2), found without importing ``shutil``
    (and with it ``bz2``, ``lzma``): argparse makes a formatter, and so asks for the
    width, for every argument it adds, on every command's start-up."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _help_width() if width is None else width)


class Parser(argparse.ArgumentParser):
    """An argument parser whose help formatter is ``_Formatter`` unless told otherwise
    (its sub-command parsers are of this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


class _Version(argparse.Action):
    """``--version``: the syntax build is looked up only when asked for (it imports the
    syntax layer)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from ..syntax.build import syntax_build
        print(f"craftls {__version__} (syntax layer: {syntax_build()})")
        parser.exit()


def build_parser(modules: Sequence[str] = ALL_MODULES) -> argparse.ArgumentParser:
    """The argument parser with the command groups of ``modules`` (all by default)."""
    parser = Parser(
        prog="craftls",
        description="A language server and tools for languages defined in YAML.")
    parser.add_argument("--version", action=_Version,
                        help="show the version and the syntax build, then exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        if name == "ops_cmd":  # doctor's checks live next to what they check
            from .doctor_checks import register_doctor_checks
            register_doctor_checks()
        import_module(f"{__package__}.{name}").register(sub)
    return parser


# the commands that may compile a program to C (``serve``: the editor's Run code lens)
NATIVE_COMMANDS: Final = frozenset({"run", "build", "demo", "serve"})


def _cache_definitions(command: str | None) -> None:
    """Bundled definitions are kept, loaded, in the cache folder (``$CRAFTLS_CACHE_DIR``
    or the user's cache folder): a command then starts without reading their YAML; and
    so is a grammar's compiled fast path (``syntax/code_cache.py``): its first parse then
    does not compile it; and, for the commands that compile C, the compiled C runtime
    (``codegen/c_objects.py``): compiling a program to C then compiles the program alone.
    The other commands do not import the code generator at all (start-up)."""
    from ..language.catalog import use_definition_cache
    from ..ops.paths import cache_dir
    from ..syntax.code_cache import use_folder
    folder = cache_dir()
    use_definition_cache(folder / "definitions")
    use_folder(folder / "grammars")
    if command in NATIVE_COMMANDS:
        from ..codegen import c_objects
        c_objects.use_folder(folder / "native")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["serve"]:
        # editors start the server often; skip importing every other command group
        # (the registry client, editors, ops) so that `initialize` is answered sooner
        from . import serve_cmd
        serve_parser = Parser(prog="craftls serve")
        serve_cmd.add_arguments(serve_parser)
        _cache_definitions("serve")
        return int(serve_cmd.run_serve(serve_parser.parse_args(args_list[1:])))
    first = args_list[0] if args_list else None
    wanted = COMMAND_MODULES.get(first) if first is not None else None
    parser = build_parser((wanted,) if wanted is not None else
                          () if first == "--version" else ALL_MODULES)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    _cache_definitions(first)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


# Commands that leave nothing behind when they return (no thread, no open file, nothing
# registered with `atexit`): their process ends at once (see ``run``).
QUICK_EXIT = frozenset({"check", "parse", "--version"})


def run() -> NoReturn:
    """The ``craftls`` command and ``python -m craftls``: ``main``, then the exit.

    After a command of ``QUICK_EXIT``, with no other thread running, the streams (and
    the log handlers, if a warning was logged) are flushed and the process ends with
    ``os._exit``: the interpreter's own exit would then only free every module's objects
    and run a last full garbage collection, ~15 % of a `craftls check` of a small file
    (docs/performance.md). ``ops.shutdown.exit_process`` does the same for the server;
    it is not imported here because it imports ``asyncio`` and ``logging``. Every other
    command exits the ordinary way."""
    code = main()
    if sys.argv[1:2] and sys.argv[1] in QUICK_EXIT and _alone():
        if "logging" in sys.modules:
            sys.modules["logging"].shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # closed, or the reader is gone
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _alone() -> bool:
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


if __name__ == "__main__":  # pragma: no cover
    run()
