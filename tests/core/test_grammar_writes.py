"""The ``writes`` annotation: an assignment's target in a grammar-defined language is a
write, so document highlights mark it Write as they do in a keyword-level language (the
bundled Turbo Pascal, a grammar, against Pascal, keyword-level, on the same program)."""

from __future__ import annotations

import pytest

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

PROGRAM = ("program P;\nvar x: integer;\nbegin\n  x := 1;\n  x := x + 1;\n"
           "  writeln(x)\nend.\n")


@pytest.mark.parametrize("language", ["pascal", "turbopascal"])
def test_an_assignments_target_highlights_as_a_write(language: str) -> None:
    result = analyze_with_types(parse(bundled(language), PROGRAM))
    found = navigation.highlights(result, PROGRAM.index("x := 1"))
    assert [(PROGRAM.count("\n", 0, h.start) + 1, h.is_write) for h in found] == [
        (2, True), (4, True), (5, True), (5, False), (6, False)]


def test_a_written_name_that_is_not_declared_stays_undefined() -> None:
    """``writes`` marks a use, unlike ``assigns``, which would declare the name."""
    text = PROGRAM.replace("  x := 1;\n", "  y := 1;\n")
    result = analyze_with_types(parse(bundled("turbopascal"), text))
    assert "undefined name 'y'" in [d.message for d in result.diagnostics]
