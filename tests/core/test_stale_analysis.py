"""The last finished analysis of a document and the edits since (issue 19, item 6):
what completion answers from while the current snapshot is analysed."""

from __future__ import annotations

import weakref

from hypothesis import given, settings
from hypothesis import strategies as st

from craftls.features.completion import complete, complete_from
from craftls.features.documents import (
    MAX_STALE_STEPS,
    Change,
    Document,
    StaleAnalysis,
    change_document,
    open_document,
)
from craftls.language.catalog import bundled

PROGRAM = """PROGRAM Stale;
VAR
  Total, Count : INTEGER;

FUNCTION Twice(Amount : INTEGER) : INTEGER;
BEGIN
  Twice := Amount * 2
END;

BEGIN
  Total := 0;
  WriteLn(Total)
END.
"""


def at(text: str, needle: str, delta: int = 0) -> tuple[int, int]:
    offset = text.index(needle) + delta
    return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1)


def insert(doc: Document, needle: str, text: str, delta: int = 0) -> Document:
    line, column = at(doc.text, needle, delta)
    change: Change = ((line, column, line, column), text)
    new, _ = change_document(doc, doc.version + 1, [change], "utf-16")
    return new


def test_an_unanalysed_snapshot_answers_from_the_last_analysed_one() -> None:
    doc = open_document("file:///stale.pas", 1, PROGRAM, bundled("pascal"))
    assert doc.last_analysis() is None  # nothing analysed yet, and nothing is computed
    analysis = doc.analysis()
    first = insert(doc, "FUNCTION", "{ note }\n")
    second = insert(first, "WriteLn", "T")
    stale = second.last_analysis()
    assert stale is not None and stale.analysis is analysis
    assert stale.steps == ((PROGRAM.index("FUNCTION"), PROGRAM.index("FUNCTION"), 9),
                           (PROGRAM.index("WriteLn") + 9, PROGRAM.index("WriteLn") + 9, 1))
    # offsets after both edits map back; one inside inserted text goes to its start
    assert stale.offset(second.text.index("Amount * 2")) == PROGRAM.index("Amount * 2")
    assert stale.offset(second.text.index("TWriteLn") + 1) == PROGRAM.index("WriteLn")
    assert stale.offset(second.text.index("note")) == PROGRAM.index("FUNCTION")
    # once the newer snapshot is analysed, it answers itself and lets go of the older
    assert second.analysis() is not analysis
    assert second.last_analysis() == StaleAnalysis(second.analysis(), ())
    assert second.previous is None


def test_the_analysed_predecessor_is_freed_after_the_answer_and_never_piles_up() -> None:
    """Freeing an analysed snapshot waits for ``release_retired`` (after the diagnostics
    are published); at most one waits, whatever calls the analysis."""
    doc = open_document("file:///retire.pas", 1, PROGRAM, bundled("pascal"))
    doc.analysis()
    first = insert(doc, "END.", " ")
    gone = weakref.ref(doc)
    del doc
    first.analysis()
    assert first.previous is None and gone() is not None  # not freed before the answer
    first.release_retired()
    assert gone() is None
    # no release (a pull client, or a request analysed it): the next cut frees it
    second = insert(first, "END.", " ")
    second.analysis()
    third = insert(second, "END.", " ")
    older = weakref.ref(first)
    del first
    third.analysis()
    assert older() is None and weakref.ref(second)() is not None


def test_the_chain_of_unanalysed_snapshots_is_bounded() -> None:
    doc = open_document("file:///long.pas", 1, PROGRAM, bundled("pascal"))
    doc.analysis()
    for _ in range(MAX_STALE_STEPS + 1):
        doc = insert(doc, "END.", " ")
    assert doc.last_analysis() is None and doc.previous is None


def test_completion_from_a_stale_analysis_uses_the_current_prefix_and_scope() -> None:
    doc = open_document("file:///complete.pas", 1, PROGRAM, bundled("pascal"))
    doc.analysis()
    typed = insert(insert(doc, "FUNCTION", "{ a comment }\n"), "  WriteLn", "  To;\n")
    stale = typed.last_analysis()
    assert stale is not None and stale.steps
    offset = typed.text.index("To;") + 2
    candidates, incomplete = complete_from(stale, typed.parsed, offset)
    labels = [c.label for c in candidates]
    assert incomplete and "Total" in labels and "Count" not in labels
    # the same names as a fresh analysis of the current text offers there
    fresh, _ = complete(typed.analysis(), offset)
    assert labels == [c.label for c in fresh]
    inside = typed.text.index("Amount * 2")
    names = {c.label for c in complete_from(stale, typed.parsed, inside)[0]}
    assert {"Amount", "Twice", "Total"} <= names


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 5), st.integers(0, 5)),
                min_size=1, max_size=6), st.integers(0, 400))
def test_mapping_an_offset_back_lands_where_the_text_is_the_same(
        edits: list[tuple[int, int, int]], probe: int) -> None:
    """An offset outside every inserted text maps to the same character of the old text."""
    old = "".join(chr(ord("a") + i % 26) for i in range(200))
    text, steps, marks = old, [], list(range(len(old)))  # marks: old offset per character
    for start, removed, added in edits:
        start = min(start, len(text))
        end = min(len(text), start + removed)
        text = text[:start] + "#" * added + text[end:]
        marks = marks[:start] + [-1] * added + marks[end:]
        steps.append((start, end, added))
    offset = min(probe, len(text) - 1) if text else 0
    if text and marks[offset] >= 0:
        stale = StaleAnalysis(None, tuple(steps))  # type: ignore[arg-type]
        assert stale.offset(offset) == marks[offset]
