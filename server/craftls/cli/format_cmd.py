"""``craftls format [--check | --diff] PATH...`` (exit codes like ``ruff format``:
0 formatted or already formatted, 1 --check/--diff found files to change,
2 usage error or a file that could not be formatted)."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from ..features.formatting import FormattingDeclined, format_text
from ..syntax.parse import parse
from ..workspace.source_bytes import SourceText
from .analysis_cmd import UsageError, _definition, _files, read_source_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("format", help="format files in place (or check/diff)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    mode.add_argument("--diff", action="store_true", help="print a diff, change nothing")
    p.add_argument("--language", metavar="DEF")
    p.set_defaults(func=run_format)


def run_format(args: argparse.Namespace) -> int:
    changed = failed = 0
    try:
        paths = list(_files(args.paths, args.language))
        for path in paths:
            definition = _definition(path, args.language)
            if definition is None:
                continue
            source = read_source_file(path)
            text = source.text
            if not source.exact:  # written back, its undecodable bytes would be lost
                print(f"{path}: not {source.encoding} text: left unchanged", file=sys.stderr)
                failed += 1
                continue
            try:
                formatted = format_text(parse(definition, text))
            except FormattingDeclined as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                failed += 1
                continue
            if formatted == text:
                continue
            changed += 1
            if args.diff:
                sys.stdout.writelines(difflib.unified_diff(
                    text.splitlines(True), formatted.splitlines(True), str(path), str(path)))
            elif args.check:
                print(f"would reformat: {path}")
            else:
                _write(path, source, formatted)
    except UsageError as exc:
        print(f"craftls: {exc}", file=sys.stderr)
        return 2
    verb = "would be reformatted" if (args.check or args.diff) else "reformatted"
    print(f"{changed} file{'s' if changed != 1 else ''} {verb}", file=sys.stderr)
    if failed:
        return 2
    return 1 if changed and (args.check or args.diff) else 0


def _write(path: Path, source: SourceText, text: str) -> None:
    temp = path.with_name(path.name + ".craftls-tmp")
    # in the file's own encoding; line breaks as formatted: CRLF stays CRLF
    temp.write_bytes(source.encode(text))
    temp.replace(path)
