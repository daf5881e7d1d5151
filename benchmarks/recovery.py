"""How many syntax errors one mistake gives: every significant token of valid programs
deleted, then doubled (the same token written twice), one at a time; the distribution
of the syntax error counts of the results.

    python -m benchmarks.recovery --language turbopascal [FOLDER ...] [--limit N]

Without folders, the language's programs in ``examples/<language>`` and
``tests/fixtures/<language>`` are used. A file with syntax errors as it is is left out
(its mistakes are not the one made here). Recovery aims at one error per mistake; 0
means the mutated program is still valid (deleting the ``;`` before ``end``), 2 or more
are cascades. ``--limit`` takes every k-th token so that at most N mutations of each
kind are made per file (the same ones on every run); ``--worst N`` lists the N mutations
with the most errors (file, line, mutation, messages), to find what recovery misses.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from craftls.language.catalog import resolve_definition
from craftls.language.model import LanguageDefinition
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import TRIVIA

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("delete", "double")


def mutations(text: str, definition: LanguageDefinition, limit: int
              ) -> dict[str, list[tuple[int, str]]]:
    """``text`` with one significant token deleted, and with one doubled: at most
    ``limit`` of each, spread evenly over the file; each with the offset of the token."""
    tokens, _ = lex(definition, text)
    spans: list[tuple[int, int]] = []
    at = 0
    for kind, value in tokens:
        if kind not in TRIVIA:
            spans.append((at, at + len(value)))
        at += len(value)
    stride = max(1, -(-len(spans) // limit))
    chosen = spans[::stride]
    return {"delete": [(s, text[:s] + text[e:]) for s, e in chosen],
            "double": [(s, text[:e] + " " + text[s:e] + text[e:]) for s, e in chosen]}


def programs(definition: LanguageDefinition, folders: list[Path]) -> list[Path]:
    extensions = set(definition.extensions)
    found = []
    for folder in folders:
        found += sorted(p for p in folder.rglob("*") if p.suffix.lower() in extensions)
    return found


@dataclass(order=True)
class Case:
    """One mutation's result, for ``--worst``."""

    errors: int
    kind: str
    where: str  # file:line
    line: str  # the mutated line
    messages: list[str]


def measure(definition: LanguageDefinition, files: list[Path], limit: int
            ) -> tuple[dict[str, Counter[int]], list[str], list[Case]]:
    counts: dict[str, Counter[int]] = {kind: Counter() for kind in KINDS}
    skipped = []
    cases: list[Case] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if parse(definition, text).errors:
            skipped.append(path.name)
            continue
        for kind, texts in mutations(text, definition, limit).items():
            for at, mutated in texts:
                errors = parse(definition, mutated).errors
                counts[kind][len(errors)] += 1
                if len(errors) >= 2:
                    start = mutated.rfind("\n", 0, at) + 1
                    end = mutated.find("\n", at)
                    line = mutated[start:end if end >= 0 else len(mutated)].strip()
                    row = mutated.count("\n", 0, at) + 1
                    cases.append(Case(len(errors), kind, f"{path.name}:{row}", line,
                                      [f"{mutated.count(chr(10), 0, e.start) + 1}: "
                                       f"{e.message}" for e in errors]))
    return counts, skipped, cases


def report(counts: dict[str, Counter[int]]) -> str:
    lines = ["mutation  total      0      1      2     3+   mean"]
    for kind in KINDS:
        c = counts[kind]
        total = sum(c.values())
        many = sum(v for k, v in c.items() if k >= 3)
        mean = sum(k * v for k, v in c.items()) / total if total else 0.0
        lines.append(f"{kind:<8} {total:>6} {c[0]:>6} {c[1]:>6} {c[2]:>6} {many:>6} "
                     f"{mean:>6.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--language", required=True)
    parser.add_argument("--limit", type=int, default=400,
                        help="at most this many mutations of each kind per file")
    parser.add_argument("--worst", type=int, default=0,
                        help="list this many mutations with the most errors")
    args = parser.parse_args(argv)
    definition = resolve_definition(args.language)
    folders = args.folders or [ROOT / "examples" / definition.id,
                               ROOT / "tests" / "fixtures" / definition.id]
    files = programs(definition, [f for f in folders if f.is_dir()])
    counts, skipped, cases = measure(definition, files, args.limit)
    print(f"{definition.id}: {len(files) - len(skipped)} files"
          + (f" ({len(skipped)} with errors as they are left out)" if skipped else ""))
    print(report(counts))
    for case in sorted(cases, reverse=True)[:args.worst]:
        print(f"\n{case.errors} errors, {case.kind} at {case.where}: {case.line}")
        for message in case.messages[:6]:
            print(f"    {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
