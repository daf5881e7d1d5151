"""What the whole-file analysis does when the type checker cannot finish."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

PROGRAM = "program P;\nvar x: integer;\nbegin\n  x := 1;\n  y := 2\nend.\n"


def test_a_type_checker_out_of_stack_is_a_warning_not_a_silent_loss(monkeypatch):
    class TooDeep:  # a stand-in: the real checker may be compiled (its class is closed)
        def __init__(self, *args, **kwargs):
            pass

        def check(self, parsed, model):
            raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr("craftls.features.analysis.TypeChecker", TooDeep)
    analysis = analyze_with_types(parse(bundled("pascal"), PROGRAM))
    codes = [d.code for d in analysis.diagnostics]
    assert "types-not-checked" in codes  # said, not dropped
    assert "undefined-name" in codes  # the names' results are kept
    assert analysis.types is None


def test_a_checked_file_has_no_such_warning():
    analysis = analyze_with_types(parse(bundled("pascal"), PROGRAM))
    assert analysis.types is not None
    assert "types-not-checked" not in [d.code for d in analysis.diagnostics]
