"""Forms that real programs use and the bundled grammars missed, found by measuring fresh
corpora of public programs (docs/coverage.md, "Fresh corpora"). Every program here is our
own, written for the form it shows; each failed before its grammar fix."""

from __future__ import annotations

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

TP = bundled("turbopascal")


def errors(definition_id: str, text: str) -> list[str]:
    return [e.message for e in parse(bundled(definition_id), text).errors]


def kinds(definition_id: str, text: str) -> set[str]:
    parsed = parse(bundled(definition_id), text)
    assert parsed.errors == [], parsed.errors
    return {n.kind for n in parsed.root.descendants()}


# ---------------------------------------------------------------- Turbo Pascal / Free Pascal

# Free Pascal accepts C-style assignment operators and for-in loops in every mode, -Mtp
# included (its default configuration enables them), so the grammar reads them too.
def test_pascal_c_style_assignment_operators_are_statements() -> None:
    text = ("program Tally;\nvar total, step: Integer; ratio: Real;\nbegin\n  total := 10;\n"
            "  step := 3;\n  total += step;\n  total -= 1;\n  total *= 2;\n  ratio := total;\n"
            "  ratio /= 4;\n  if total > 0 then total += 1 else total -= 1;\n"
            "  WriteLn(total, ratio:6:2)\nend.\n")
    assert "compound_assignment" in kinds("turbopascal", text)
    analysis = analyze_with_types(parse(TP, text))
    # the target of `+=` is the variable itself: its references include every update
    uses = [r.start for r in navigation.references(analysis, text.index("total"))]
    assert text.index("total += step") in uses and text.index("total -= 1;") in uses


def test_pascal_for_in_loops_over_a_string_a_set_and_an_array() -> None:
    text = ("program Letters;\ntype Digits = set of 0..9;\n"
            "var c: Char; d: Integer; word: string; odds: Digits;\n"
            "    squares: array[1..3] of Integer;\nbegin\n  word := 'pascal';\n"
            "  odds := [1, 3, 5];\n  for c in word do Write(UpCase(c));\n"
            "  for d in odds do WriteLn(d);\n  for d in squares do\n    WriteLn(d * d)\nend.\n")
    assert "for_in_stmt" in kinds("turbopascal", text)
    analysis = analyze_with_types(parse(TP, text))
    assert [d.message for d in analysis.diagnostics if d.severity == "error"] == []
