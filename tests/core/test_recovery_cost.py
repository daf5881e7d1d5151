"""What recovery costs on a text whose every line is a mistake grows with the text's
length, not its square (issue 13: no text makes the parser hang). Measured in
expression evaluations (``PegParser.run``), not time: four times the lines may cost
about four times the evaluations. Before, a form without its opening word was tried at
each failing line (``missing_opener``, ``first_form``) and its body's list parsed the
rest of the file again each time, every line of it an error the try had already lost
with (``rest_without_opener``'s ``spotless``)."""
from __future__ import annotations

import pytest

from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition
from craftls.syntax import peg
from craftls.syntax.parse import parse

from .conftest import served_by
from .test_grammar_items import _in_the_pure_build

# each line a mistake, for a language: a header whose opening word is missing (the
# rest of it, and its body, could follow: each try read the rest of the file)
LINES = [
    # QBasic: ``IF`` without its ``IF``, its condition glued to what follows ``THEN``
    ("qbasic", "grammar", "{n} x{n}=1thenb={n}\n"),
    # the basic block style's template: ``FOR`` without its ``FOR``
    ("basic", "template", "I = {n} TO {n}\n"),
    # Lua: ``if`` without its ``if``, a line of its body after it
    ("lua", "grammar", "x{n} == 1 then\n  y = {n}\n"),
]


def _definition(language: str, engine: str) -> LanguageDefinition:
    return bundled(language) if engine == "grammar" else served_by(language, engine)


def _evaluations(monkeypatch: pytest.MonkeyPatch, definition: LanguageDefinition,
                 text: str) -> tuple[int, int]:
    """How many expressions the parse of ``text`` evaluated, and its errors."""
    count = [0]
    run = peg.PegParser.run

    def counted(self: peg.PegParser, op: int, e: int, p: int, rec: bool) -> int:
        count[0] += 1
        return run(self, op, e, p, rec)
    with monkeypatch.context() as patch:
        patch.setattr(peg.PegParser, "run", counted)
        patch.setattr(peg, "FRAMES_PER_DEPTH", peg.FRAMES_PER_DEPTH + 1)  # (its frame)
        errors = len(parse(definition, text).errors)
    return count[0], errors


@pytest.mark.parametrize(("language", "engine", "line"), LINES,
                         ids=[f"{c[0]}-{c[1]}" for c in LINES])
def test_a_text_of_mistakes_costs_linear_time(
        language: str, engine: str, line: str, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    if _in_the_pure_build(request):
        return  # (the compiled engine's methods cannot be counted)
    definition = _definition(language, engine)
    short, short_errors = _evaluations(
        monkeypatch, definition, "".join(line.format(n=n) for n in range(1, 26)))
    long, long_errors = _evaluations(
        monkeypatch, definition, "".join(line.format(n=n) for n in range(1, 101)))
    assert (short_errors, long_errors) == (25, 100)  # one error per line, each time
    # the square of the length would be 16 times as many (before: 15.5 to 15.8)
    assert long < 6 * short, (short, long)
