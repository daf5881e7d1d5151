"""Inside a string, closed or still open, completion offers nothing (a string is not
code), while right after a closed string and in a metacommand it still offers words."""

from __future__ import annotations

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse


def labels(language: str, text: str) -> list[str]:
    analysis = analyze_with_types(parse(bundled(language), text))
    return [c.label for c in complete(analysis, len(text), limit=1000)[0]]


@pytest.mark.parametrize(("language", "text"), [
    ("qbasic", 'DY = 1\nPRINT "$DY'),  # the line's end closes it: no closing quote yet
    ("qbasic", 'DY = 1\nPRINT "'),
    ("lua", 'local dy = 1\nprint("$dy'),
    ("lua", 'local dy = 1\nprint([[ dy'),
    ("lua", 'local dy = 1\nprint("a dy b'),
    ("turbopascal", "program p; var dy: integer;\nbegin writeln('dy"),
])
def test_nothing_inside_a_string_left_open(language: str, text: str) -> None:
    assert labels(language, text) == []


def test_nothing_inside_a_closed_string() -> None:
    text = 'DY = 1\nPRINT "$DY"\n'
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    assert complete(analysis, text.index('"\n'))[0] == []


@pytest.mark.parametrize(("language", "text", "wanted"), [
    ("qbasic", 'DY = 1\nPRINT "x" + DY', "DY"),
    ("qbasic", 'DY = 1\nPRINT "x"; DY', "DY"),
    ("lua", 'local dy = 1\nprint("x" .. dy', "dy"),
    ("qbasic", "'$DY", "DYNAMIC"),  # a metacommand in a comment still completes
])
def test_names_after_a_string_and_metacommands_still_complete(language: str, text: str,
                                                               wanted: str) -> None:
    assert wanted in labels(language, text)
