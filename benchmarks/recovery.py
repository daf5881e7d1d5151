"""How many syntax errors one mistake gives: every significant token of valid programs
deleted, then doubled (the same token written twice), one at a time; the distribution
of the syntax error counts of the results. Two more kinds, from the program's tree, in
every block style: ``opener``, a construct's opener deleted (the line of an IF, WHILE,
FOR or FUNCTION header whose body begins on a later line, or a block's BEGIN or '{'),
leaving its body and its closer; ``closer``, the closer of a construct inside another
one deleted (END IF, WEND, NEXT i, a block's END or '}').

    python -m benchmarks.recovery --language turbopascal [FOLDER ...] [--limit N]

Without folders, the language's programs in ``examples/<language>`` and
``tests/fixtures/<language>`` are used. A file with syntax errors as it is is left out
(its mistakes are not the one made here). Recovery aims at one error per mistake; 0
means the mutated program is still valid (deleting the ``;`` before ``end``), 2 or more
are cascades. ``--limit`` takes every k-th token so that at most N mutations of each
kind are made per file (the same ones on every run); ``--worst N`` lists the N mutations
with the most errors (file, line, mutation, messages), to find what recovery misses.
Where the errors are: ``near`` is the share of the mutations that give errors whose
first error is within 2 lines of the mutation (a deleted closer's error after the last
statement of its construct is 1 line before it; one at the end of the file is far).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from craftls.language.catalog import resolve_definition
from craftls.language.model import LanguageDefinition
from craftls.syntax import kinds as K
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import KEYWORD_PREFIX, PUNCT, TRIVIA
from craftls.syntax.tree import SyntaxNode, SyntaxToken

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("delete", "double", "opener", "closer")
NEAR_LINES = 2  # a first error at most this many lines from the mutation is ``near``
# constructs with a body (in any block style); their header is the opener
CONSTRUCTS = frozenset({K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.FUNCTION_DECL,
                        K.CLASS_DECL, K.TRY_STMT, K.REPEAT_STMT, K.CASE_STMT})
# the parts of a construct its closer comes after
BODIES = frozenset({K.BLOCK, K.ELSE_CLAUSE, K.ELIF_CLAUSE, K.EXCEPT_CLAUSE, K.FINALLY_CLAUSE,
                    K.CASE_ARM})


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
    openers, closers = structure_spans(text, definition)
    return {"delete": [(s, text[:s] + text[e:]) for s, e in chosen],
            "double": [(s, text[:e] + " " + text[s:e] + text[e:]) for s, e in chosen],
            "opener": [(s, text[:s] + text[e:]) for s, e in _spread(openers, limit)],
            "closer": [(s, text[:s] + text[e:]) for s, e in _spread(closers, limit)]}


def _spread(spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    return spans[::max(1, -(-len(spans) // limit))]


def structure_spans(text: str, definition: LanguageDefinition
                    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where the constructs' openers are (a header line whose body begins on a later
    line; a block's BEGIN or '{') and where the closers of constructs inside another
    construct are, in the parsed ``text``."""
    openers: set[tuple[int, int]] = set()
    closers: set[tuple[int, int]] = set()
    # a grammar-defined language's constructs: its rules marked ``block`` (their nodes
    # are named after the rule) that begin with a keyword
    blocks = frozenset(r.name for r in definition.grammar.rules if r.meaning.block) \
        if definition.grammar is not None else frozenset()
    for node in parse(definition, text).root.descendants():
        if node.kind in blocks:
            first = node.first_token()
            if first is None or not first.kind.startswith(KEYWORD_PREFIX):
                continue
            line_end = text.find("\n", first.start)
            if 0 <= line_end < node.end:
                openers.add((first.start, line_end))
            tail = _keyword_tail(node)
        elif node.kind in CONSTRUCTS:
            first = node.first_token()
            line_end = text.find("\n", first.start) if first is not None else -1
            if first is not None and 0 <= line_end < node.end:
                openers.add((first.start, line_end))
            tail = _closer(node)
        elif node.kind == K.BLOCK and _opener(node) is not None:
            opener = _opener(node)
            assert opener is not None
            openers.add((opener.start, opener.end))
            last = node.last_token()
            tail = [last] if last is not None and last is not opener and (
                last.kind == KEYWORD_PREFIX + "end" or (last.kind == PUNCT
                                                        and last.text == "}")) else []
        else:
            continue
        # inside another construct (a block: besides the one whose body it is)
        around = sum(1 for a in list(node.ancestors())[1:]
                     if _opener(a) is not None or a.kind in CONSTRUCTS or a.kind in blocks)
        if tail and around >= (2 if node.kind == K.BLOCK else 1):
            closers.add((tail[0].start, tail[-1].end))
    return sorted(openers), sorted(closers)


def _opener(node: SyntaxNode) -> SyntaxToken | None:
    """A block's opening BEGIN or '{' (its first token), if it has one."""
    if node.kind != K.BLOCK:
        return None
    first = next(node.tokens(), None)
    if first is not None and (first.kind == KEYWORD_PREFIX + "begin"
                              or (first.kind == PUNCT and first.text == "{")):
        return first
    return None


def _keyword_tail(node: SyntaxNode) -> list[SyntaxToken]:
    """The keywords a grammar construct ends with, on its last line (``end``, ``END
    IF``); none where it ends otherwise (a REPEAT's UNTIL condition, a ``;``)."""
    leaves = list(node.significant_leaves())
    tail: list[SyntaxToken] = []
    while leaves and leaves[-1].kind.startswith(KEYWORD_PREFIX) \
            and leaves[-1].kind != KEYWORD_PREFIX + "until":
        tail.insert(0, leaves.pop())
    return tail if len(leaves) > 0 else []


def _closer(node: SyntaxNode) -> list[SyntaxToken]:
    """The tokens after a construct's last body (END IF, WEND, NEXT i); none where its
    last body ends it (a single statement, a block of its own, an indented body)."""
    after: list[SyntaxToken] = []
    seen = False  # a body
    for child in node.children_with_tokens():
        if isinstance(child, SyntaxNode):
            if child.kind in BODIES:
                after, seen = [], True
            elif after:
                after.extend(child.significant_leaves())
        elif seen and not child.is_trivia:
            after.append(child)
    # only a keyword-closed tail (not a REPEAT's UNTIL condition)
    if not after or not after[0].kind.startswith(KEYWORD_PREFIX) \
            or after[0].kind == KEYWORD_PREFIX + "until":
        return []
    return after


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
            ) -> tuple[dict[str, Counter[int]], list[str], list[Case], dict[str, Counter[bool]]]:
    counts: dict[str, Counter[int]] = {kind: Counter() for kind in KINDS}
    # per kind, of the mutations with errors: is the first one near the mutation?
    near: dict[str, Counter[bool]] = {kind: Counter() for kind in KINDS}
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
                if errors:
                    first = min(e.start for e in errors)
                    lines = abs(mutated.count("\n", 0, first) - mutated.count("\n", 0, at))
                    near[kind][lines <= NEAR_LINES] += 1
                if len(errors) >= 2:
                    start = mutated.rfind("\n", 0, at) + 1
                    end = mutated.find("\n", at)
                    line = mutated[start:end if end >= 0 else len(mutated)].strip()
                    row = mutated.count("\n", 0, at) + 1
                    cases.append(Case(len(errors), kind, f"{path.name}:{row}", line,
                                      [f"{mutated.count(chr(10), 0, e.start) + 1}: "
                                       f"{e.message}" for e in errors]))
    return counts, skipped, cases, near


def report(counts: dict[str, Counter[int]],
           near: dict[str, Counter[bool]] | None = None) -> str:
    lines = ["mutation  total      0      1      2     3+   mean   near"]
    for kind in KINDS:
        c = counts[kind]
        total = sum(c.values())
        many = sum(v for k, v in c.items() if k >= 3)
        mean = sum(k * v for k, v in c.items()) / total if total else 0.0
        n = near[kind] if near is not None else Counter()
        share = f"{100 * n[True] / (n[True] + n[False]):>5.0f}%" if n else "     -"
        lines.append(f"{kind:<8} {total:>6} {c[0]:>6} {c[1]:>6} {c[2]:>6} {many:>6} "
                     f"{mean:>6.2f} {share}")
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
    counts, skipped, cases, near = measure(definition, files, args.limit)
    print(f"{definition.id}: {len(files) - len(skipped)} files"
          + (f" ({len(skipped)} with errors as they are left out)" if skipped else ""))
    print(report(counts, near))
    for case in sorted(cases, reverse=True)[:args.worst]:
        print(f"\n{case.errors} errors, {case.kind} at {case.where}: {case.line}")
        for message in case.messages[:6]:
            print(f"    {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
