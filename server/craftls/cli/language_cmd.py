"""``craftls language check FILE`` and ``craftls language list``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..language.catalog import bundled, bundled_ids
from ..language.explain import explain
from ..language.loader import load_definition_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    language = sub.add_parser("language", help="check and list language definitions")
    lang_sub = language.add_subparsers(dest="language_command", metavar="ACTION")
    check = lang_sub.add_parser("check", help="validate a definition file")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--explain", action="store_true",
                       help="print the native definition each file became (YAML on stdout; "
                            "problems go to stderr)")
    check.set_defaults(func=run_check)
    listing = lang_sub.add_parser("list", help="list the bundled languages")
    listing.set_defaults(func=run_list)
    def usage(args: argparse.Namespace) -> int:  # `craftls language` alone
        language.print_help(sys.stderr)
        return 2
    language.set_defaults(func=usage)


def run_check(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{name}:1:1: error: cannot read the definition: {exc}", file=sys.stderr)
            status = 2
            continue
        definition, problems = load_definition_text(text, name)
        for problem in problems:
            print(problem.format(name), file=sys.stderr if args.explain else sys.stdout)
        if definition is None:
            status = 2
        elif args.explain:
            if len(args.files) > 1:
                print(f"# {name}")
            print(explain(definition), end="")
        else:
            print(f"{name}: ok: {definition.name} ({definition.id} {definition.version}), "
                  f"{len(definition.keywords)} keywords, {len(definition.operators)} operators, "
                  f"{len(definition.builtins)} builtins")
    return status


def run_list(args: argparse.Namespace) -> int:
    for language_id in bundled_ids():
        d = bundled(language_id)
        print(f"{d.id:12} {d.name:28} {' '.join(d.extensions)}")
    return 0
