"""``craftls editor neovim|emacs DEF...``: editor snippets generated from definitions."""

from __future__ import annotations

import argparse
import re
import sys

from ..language.catalog import resolve_definition
from ..language.problems import DefinitionError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("editor", help="generate editor integration snippets")
    p.add_argument("editor", choices=["neovim", "emacs"])
    p.add_argument("definitions", nargs="+", metavar="DEF")
    p.set_defaults(func=run_editor)


def run_editor(args: argparse.Namespace) -> int:
    try:
        definitions = [resolve_definition(d) for d in args.definitions]
    except (DefinitionError, KeyError) as exc:
        print(f"craftls: cannot load definition: {exc}", file=sys.stderr)
        return 2
    if args.editor == "neovim":
        lines = ["vim.filetype.add({", "  extension = {"]
        for d in definitions:
            for ext in d.extensions:
                lines.append(f"    [{ext.lstrip('.')!r}] = {d.id!r},")
        lines += ["  },", "})"]
        print("\n".join(lines).replace("'", '"'))
    else:
        for d in definitions:
            mode = re.sub(r"[^a-z0-9]+", "-", d.id.lower())
            words = sorted({s for spellings in d.keywords.values() for s in spellings
                            if s[:1].isalpha()})
            print(f'(define-derived-mode {mode}-mode prog-mode "{d.name}"\n'
                  f'  (setq-local font-lock-defaults\n'
                  f"              '(({' '.join(_elisp_regexp(w) for w in words[:1])}"
                  f" . font-lock-keyword-face)) nil {'nil' if d.lexical.case_sensitive else 't'})))")
            for ext in d.extensions:
                print(f"(add-to-list 'auto-mode-alist '(\"\\\\{ext}\\\\'\" . {mode}-mode))")
    return 0


def _elisp_regexp(word: str) -> str:
    return '"\\\\_<' + re.escape(word).replace("\\", "\\\\") + '\\\\_>"'
