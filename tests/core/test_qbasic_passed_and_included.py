"""QBasic names that come from elsewhere in the program: a FUNCTION named as a
by-reference argument before its definition (no new variable, no duplicate), and the
names a `'$INCLUDE:` / `$INCLUDE:` file declares (the definition's `includes`)."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import MEMOS, AnalysisCaches
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.item_walks import TemplateCache
from craftls.semantics.model import SymbolKind
from craftls.syntax.parse import parse
from craftls.types.cache import TypeCache

PASSED = """CALL Show(Later%)
Show Later%
y = Later%
PRINT y
FUNCTION Later%
    Later% = 3
END FUNCTION
SUB Show (v%)
    PRINT v%
END SUB
"""


def check(text: str, path: Path | None = None, caches: AnalysisCaches | None = None
          ) -> FileAnalysis:
    return analyze_with_types(parse(bundled("qbasic"), text), path, caches=caches)


def problems(analysis: FileAnalysis) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in analysis.diagnostics
            if d.severity in ("error", "warning")]


def test_a_function_passed_by_reference_before_its_definition_is_that_function() -> None:
    analysis = check(PASSED)
    assert problems(analysis) == []
    later = [s for s in analysis.model.symbols if s.name.lower() == "later%"]
    assert [s.kind for s in later] == [SymbolKind.FUNCTION]
    # both arguments and the read are uses of the FUNCTION
    assert len([r for r in analysis.model.references if r.symbol is later[0]]) >= 3


def test_without_the_function_the_argument_is_a_variable_again_after_an_edit() -> None:
    """The answer depends on the whole file: a session that analysed the file with the
    FUNCTION and then without it answers as a fresh analysis (no replayed walk)."""
    caches = AnalysisCaches(TypeCache(), TemplateCache(), MEMOS)
    without = PASSED.replace("FUNCTION Later%\n    Later% = 3\nEND FUNCTION\n", "")
    check(PASSED, caches=caches)
    edited = check(without, caches=caches)
    assert problems(edited) == problems(check(without))
    kinds = {s.kind for s in edited.model.symbols if s.name.lower() == "later%"}
    assert kinds == {SymbolKind.VARIABLE}
    again = check(PASSED, caches=caches)
    assert problems(again) == []
