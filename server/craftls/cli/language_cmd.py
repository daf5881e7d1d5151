"""``craftls language check FILE``, ``craftls language list`` and ``craftls language
grammar DEF``."""

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
    grammar = lang_sub.add_parser(
        "grammar", help="print a keyword-level definition as the equivalent grammar-defined "
                        "one (YAML on stdout): its block style as a grammar to take over")
    grammar.add_argument("definition", metavar="DEF",
                         help="a definition file or a bundled language id")
    grammar.set_defaults(func=run_grammar)
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


def run_grammar(args: argparse.Namespace) -> int:
    """``craftls language grammar DEF``: the definition with its block style written out
    as a grammar (``block_templates.eject``); what the template leaves out goes to stderr."""
    import yaml

    from ..language import dialects
    from ..language.catalog import BUNDLED_DIR
    from ..syntax.block_templates import TemplateRefused, dump_yaml, eject

    name = args.definition
    path = Path(name)
    if not path.is_file() and (BUNDLED_DIR / f"{name}.yaml").is_file():
        path = BUNDLED_DIR / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{name}:1:1: error: cannot read the definition: {exc}", file=sys.stderr)
        return 2
    definition, problems = load_definition_text(text, str(path))
    if definition is None:
        for problem in problems:
            print(problem.format(name), file=sys.stderr)
        return 2
    source = yaml.safe_load(text)
    if dialects.is_parsercraft(source):  # the native definition it became
        source = yaml.safe_load(explain(definition))
    try:
        ejected, notes = eject(source, definition)
    except TemplateRefused as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"{name}: warning: {note}", file=sys.stderr)
    print(dump_yaml(ejected), end="")
    return 0
