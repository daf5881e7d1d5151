"""A refactoring's or a rename's result parsed once its edits are made
(``features.refactor.verify.edited``): incrementally, edit by edit, while the tree holds
no mistake; with one, the edited text parsed once (near a mistake each incremental
reparse runs the recovery over the step around it: a rename's every edit would cost
about a fresh parse)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.features.refactor import verify
from craftls.syntax import incremental
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import ParsedFile, parse

from .conftest import served_by

ENGINES = ["keywords", "template"]
# T used seven times; the second program leaves its loop's BEGIN without an END
CLEAN = ("PROGRAM R;\nVAR T : INTEGER;\nBEGIN\n  T := 1;\n  WHILE T < 9 DO\n  BEGIN\n"
         "    T := T + 2;\n    WriteLn(T)\n  END;\n  WriteLn(T)\nEND.\n")
WITH_A_MISTAKE = CLEAN.replace("    WriteLn(T)\n  END;\n", "    WriteLn(T);\n")


@pytest.fixture
def incremental_reparses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the edits reparsed incrementally (``incremental.apply_edit``), however
    reached."""
    calls: list[int] = []
    original = incremental.apply_edit

    def counted(parsed: ParsedFile, edit: TextEdit) -> tuple[ParsedFile, object]:
        calls.append(edit.start)
        return original(parsed, edit)

    monkeypatch.setattr(incremental, "apply_edit", counted)
    monkeypatch.setattr(verify, "apply_edit", counted, raising=False)
    yield calls


def renaming(text: str, engine: str) -> Callable[[], list[int]]:
    analysis = analyze_with_types(parse(served_by("pascal", engine), text))
    return lambda: [s.start for s in navigation.rename_spans(analysis, text.index("T :"), "U")]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rename_in_a_file_with_a_mistake_parses_the_renamed_text_once(
        engine: str, incremental_reparses: list[int]) -> None:
    rename = renaming(WITH_A_MISTAKE, engine)
    assert parse(served_by("pascal", engine), WITH_A_MISTAKE).errors
    assert len(rename()) == 7
    assert incremental_reparses == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rename_in_a_file_without_one_reparses_edit_by_edit(
        engine: str, incremental_reparses: list[int]) -> None:
    assert len(renaming(CLEAN, engine)()) == 7
    assert len(incremental_reparses) == 7


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", [CLEAN, WITH_A_MISTAKE])
def test_the_edited_parse_is_a_fresh_parse_of_the_edited_text(engine: str, text: str) -> None:
    definition = served_by("pascal", engine)
    # the last edit first, as a rename makes them; the first one makes a mistake
    edits = [TextEdit(s, s + 1, "U") for s in reversed(
        [i for i, c in enumerate(text) if c == "T" and text[i + 1] in " ;)+<"])]
    edits.insert(0, TextEdit(text.index("END.") - 1, text.index("END.") - 1, " (* "))
    edited = verify.edited(parse(definition, text), edits)
    expected = text
    for edit in edits:
        expected = expected[:edit.start] + edit.text + expected[edit.end:]
    fresh = parse(definition, expected)
    assert edited.text == expected
    assert edited.green == fresh.green
    assert edited.lookahead == fresh.lookahead and edited.clean == fresh.clean
