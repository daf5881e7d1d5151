"""One session's caches over many documents of every bundled example language (and the
grammar-extension language of ``examples/curlyplus``), kept for the whole test (never
emptied between hypothesis examples), with the garbage collected between edits so that
dead nodes' identities are reused by new ones: every analysis equals one made with no
cache at all (names, every inferred type, every diagnostic).

Where segments end is drawn too (a hash of each item's text with a drawn salt, in place
of the hash of its identity), so a failure replays as it happened. More examples for a
local hunt: ``CRAFTLS_SHARED_CACHE_EXAMPLES=2000 pytest tests/core/test_shared_caches.py
--hypothesis-seed=N``."""

from __future__ import annotations

import gc
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import MEMOS, AnalysisCaches
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics import segments
from craftls.semantics.item_walks import TemplateCache
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import ParsedFile, parse
from craftls.syntax.tree import GreenNode
from craftls.types.cache import TypeCache

from .conftest import EXAMPLES, SAMPLES
from .test_incremental import FRAGMENTS
from .test_item_walks import describe


def _curlyplus() -> LanguageDefinition:
    definition, problems = load_definition_text(
        (EXAMPLES / "curlyplus" / "curlyplus.yaml").read_text(encoding="utf-8"))
    assert definition is not None, problems
    return definition


CURLYPLUS = _curlyplus()
DOCUMENTS: list[tuple[LanguageDefinition, Path]] = [
    *((bundled(language_id), path) for language_id, path in SAMPLES),
    *((CURLYPLUS, path) for path in sorted((EXAMPLES / "curlyplus").glob("*.cplus")))]
TEXTS = {path: path.read_text(encoding="utf-8") for _, path in DOCUMENTS}
# one session's caches for every example of every run of the test
SESSION = AnalysisCaches(TypeCache(), TemplateCache(), MEMOS)
EXAMPLES_COUNT = int(os.environ.get("CRAFTLS_SHARED_CACHE_EXAMPLES", "12"))


@contextmanager
def segments_ending_by_text(salt: int, bits: int) -> Iterator[None]:
    """Items end a segment where a hash of their text and ``salt`` has ``bits`` low zero
    bits (at most ``MAX_SEGMENT`` items still): the same cut for the same draw. No
    nodes count as the edit's own, so every segment of more than one item is merged."""
    mask = (1 << bits) - 1

    def bounds_and_change(self: segments.SegmentCache, greens: list[GreenNode]
                          ) -> tuple[list[tuple[int, int]], tuple[int, int]]:
        ends = [i + 1 for i, green in enumerate(greens)
                if not zlib.crc32(green.text().encode(), salt) & mask]
        return segments._bounds(ends, len(greens)), (0, 0)

    with mock.patch.object(segments.SegmentCache, "bounds_and_change", bounds_and_change):
        yield


def answers(parsed: ParsedFile, caches: AnalysisCaches) -> tuple[Any, ...]:
    """What a keystroke reads (diagnostics, inferred types), then what requests read."""
    analysis = analyze_with_types(parsed, caches=caches)
    diagnostics = [(d.start, d.end, d.severity, d.code, d.message)
                   for d in analysis.diagnostics]
    report = analysis.types
    assert report is not None
    types = ([(s.start, s.name, report.display(t))
              for s, t in report.symbol_types().items()]
             + [(t.offset, t.label) for t in report.inferred_variable_types()]
             + [(u[0], u[1], sorted((k, str(e)) for k, e in u[2].exports.items()))
                for u in report.units])
    return diagnostics, types, describe(analysis.model)


def from_scratch(parsed: ParsedFile) -> tuple[Any, ...]:
    """``answers`` with caches that keep nothing: nothing replayed, nothing looked up."""
    caches = AnalysisCaches(TypeCache(), TemplateCache(), MEMOS)
    with caches.keeping_nothing():
        return answers(parsed, caches)


@st.composite
def edits(draw: st.DrawFn, text: str) -> TextEdit:
    """Up to 12 characters replaced by a fragment of syntax or a word of the text (a
    name used somewhere else: new dependencies between units, cycles among them)."""
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 12)))
    words = sorted(set(re.findall(r"\w+", text)))
    new = draw(st.sampled_from(FRAGMENTS) | st.sampled_from(words) if words
               else st.sampled_from(FRAGMENTS))
    return TextEdit(start, end, new)


@settings(max_examples=EXAMPLES_COUNT, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), salt=st.integers(0, 2**32 - 1), bits=st.integers(0, 4))
def test_one_sessions_caches_answer_as_no_cache(data: st.DataObject, salt: int,
                                                bits: int) -> None:
    """Two to four documents open at once; each step edits one of them, or closes one
    and opens another example (its old nodes die), then collects the garbage."""
    with segments_ending_by_text(salt, bits):
        opened = data.draw(st.lists(st.sampled_from(DOCUMENTS), min_size=2, max_size=4))
        documents = [parse(definition, TEXTS[path]) for definition, path in opened]
        for parsed in documents:
            analyze_with_types(parsed, caches=SESSION)
        for _ in range(data.draw(st.integers(1, 8))):
            k = data.draw(st.integers(0, len(documents) - 1))
            if data.draw(st.integers(0, 4)) == 0:
                definition, path = data.draw(st.sampled_from(DOCUMENTS))
                documents[k] = parse(definition, TEXTS[path])
            else:
                documents[k], _ = apply_edit(documents[k], data.draw(edits(documents[k].text)))
            gc.collect()
            assert answers(documents[k], SESSION) == from_scratch(documents[k])


def test_text_cut_segments_are_replayed() -> None:
    """The cut by text replays segments (a test that replayed none would prove nothing)."""
    caches = AnalysisCaches(TypeCache(), TemplateCache(), MEMOS)
    definition, path = next(d for d in DOCUMENTS if d[1].name == "textos.esp")
    with segments_ending_by_text(7, 1):
        parsed = parse(definition, TEXTS[path])
        analyze_with_types(parsed, caches=caches)
        cache = segments.segments_for(caches.names)
        hits, reused = cache.hits, caches.types.reused
        at = TEXTS[path].index("subrayar(\"An")
        edited, _ = apply_edit(parsed, TextEdit(at, at, "\n"))
        assert answers(edited, caches) == from_scratch(edited)
        assert cache.hits > hits and caches.types.reused > reused
