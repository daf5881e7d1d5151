"""Every editor feature at many places of every bundled example, whole and cut short at
several lines (a half-typed program): each answers or refuses, never raises, never hangs.

Real programs found what fixtures did not (a call whose last argument ends the file made
signature help loop forever): this walks each feature over many places of many
texts, the way a user's cursor does."""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, quickfix, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import FormattingDeclined, format_text
from craftls.features.navigation import RenameRefused
from craftls.features.refactor.actions import refactor_actions
from craftls.features.refactor.errors import RefactorRefused
from craftls.language.catalog import bundled, bundled_ids
from craftls.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [(folder.name, path) for folder in sorted((ROOT / "examples").iterdir())
            if folder.name in bundled_ids() for path in sorted(folder.iterdir())
            if path.is_file() and path.suffix != ".yaml"]
REFUSALS = (RenameRefused, RefactorRefused, FormattingDeclined)
PLACES = 40  # token places per text, besides its last line and its end
SECONDS = 120  # a hang fails the test instead of stalling the suite


CUTS = 20  # at most, evenly spread over the lines


def texts(text: str) -> list[tuple[str, bool]]:
    """The text (probed at many places), and the text cut after some of its lines, with
    and without the line break (probed on its last line: where the cut is)."""
    lines = text.splitlines(keepends=True)
    stride = max(1, len(lines) // CUTS)
    out = [(text, True)]
    for cut in range(1, len(lines), stride):
        head = "".join(lines[:cut])
        out += [(head, False), (head.rstrip("\r\n"), False)]
    return out


def places(text: str, starts: list[int], ends: list[int], sampled: bool) -> list[int]:
    """A sample of token starts (``sampled``), every token start and end on the last
    line, and the end of the text."""
    rng = random.Random(len(text))
    last_line = text.rstrip("\r\n").rfind("\n") + 1
    chosen = set(rng.sample(starts, min(PLACES, len(starts)))) if sampled else set()
    chosen |= {o for o in starts + ends if o >= last_line}
    return sorted(chosen | {len(text)})


def sweep(language_id: str, text: str, sampled: bool) -> None:
    parsed = parse(bundled(language_id), text)
    analysis = analyze_with_types(parsed)
    outline.folding_ranges(analysis)
    outline.document_symbols(analysis)
    outline.inlay_hints(analysis, 0, len(text))
    semantic_tokens.classify(analysis)
    with contextlib.suppress(FormattingDeclined):
        format_text(parsed)
    leaves = [t for t in parsed.root.leaves() if not t.is_trivia]
    for at in places(text, [t.start for t in leaves], [t.end for t in leaves], sampled):
        asks: list[tuple[Callable[..., object], tuple[object, ...]]] = [
            (hover.hover, (at,)), (hover.signature_help, (at,)),
            (navigation.definition, (at,)), (navigation.references, (at,)),
            (navigation.highlights, (at,)), (navigation.prepare_rename, (at,)),
            (navigation.rename_spans, (at, "renamed")), (completion.complete, (at,)),
            (outline.selection_ranges, (at,)),
            (refactor_actions, (at, min(at + 3, len(text)))),
            (quickfix.quick_fixes, (at, at))]
        for ask, args in asks:
            with contextlib.suppress(*REFUSALS):
                ask(analysis, *args)


@pytest.mark.parametrize("language_id, path", EXAMPLES,
                         ids=[f"{lang}-{path.name}" for lang, path in EXAMPLES])
def test_every_feature_answers_everywhere_in_whole_and_cut_examples(language_id: str,
                                                                    path: Path) -> None:
    failures: list[BaseException] = []
    done: list[str] = []

    def run() -> None:
        for text, sampled in texts(path.read_text(encoding="utf-8")):
            try:
                sweep(language_id, text, sampled)
            except BaseException as exc:  # reported below, with the text it came from
                failures.append(exc)
                return
            done.append(text)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(SECONDS)
    assert not worker.is_alive(), f"a feature did not answer within {SECONDS} s"
    if failures:
        raise failures[0]
