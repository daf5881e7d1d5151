"""``craftls serve``: the language server on stdio (default) or TCP."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_arguments(sub.add_parser("serve", help="run the language server (stdio by default)"))


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stdio", action="store_true", help="speak LSP on stdin/stdout (default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead, for debugging")
    p.add_argument("--log-file", metavar="FILE", help="also log to this file")
    p.add_argument("--log-level", default="INFO")
    p.set_defaults(func=run_serve)


def configure_logging(level: str, log_file: str | None) -> None:
    """Logs go to stderr and optionally a file, never to stdout (that is the protocol)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO), handlers=handlers,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    # pygls logs every message body at INFO: far too much for a log that must stay bounded
    logging.getLogger("pygls").setLevel(max(logging.WARNING, logging.getLogger().level))


def run_serve(args: argparse.Namespace) -> int:
    configure_logging(args.log_level, args.log_file)
    from ..lsp.server import create_server
    server = create_server()
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not port.isdigit():
            print("craftls: --tcp takes HOST:PORT", file=sys.stderr)
            return 2
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    # the loop has ended (the client closed stdin, or the connection dropped): leave
    # without the interpreter's teardown, as after `exit` (ops/shutdown.exit_process)
    from ..ops.shutdown import exit_process
    exit_process(0)
