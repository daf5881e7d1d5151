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
                 text: str, interpreted: bool = False) -> tuple[int, int]:
    """How many expressions the parse of ``text`` evaluated, and its errors
    (``interpreted``: every one by the interpreter, as in the compiled build; the
    generated fast path's evaluations are not counted)."""
    count = [0]
    run = peg.PegParser.run

    def counted(self: peg.PegParser, op: int, e: int, p: int, rec: bool) -> int:
        count[0] += 1
        return run(self, op, e, p, rec)
    with monkeypatch.context() as patch:
        if interpreted:
            patch.setattr(peg, "FAST_PATH", False)
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


# blocks opened on every line and never closed, nested as deep as the text is long (up
# to the depth limit: 60 levels are within it for these)
NESTED = [
    # Lua: an assignment, then a ``do`` block on each line
    ("lua", "grammar", "i = {n}, {n} do\n"),
    # the curly block style's template: a block on each line
    ("curly", "template", "{{\n"),
]


@pytest.mark.parametrize(("language", "engine", "line"), NESTED,
                         ids=[f"{c[0]}-{c[1]}" for c in NESTED])
def test_unclosed_blocks_nested_as_deep_as_the_text_cost_linear_time(
        language: str, engine: str, line: str, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """Each level's recovery tried the next level's item as written, and that parse
    read the rest of the text: at each level (``cut_short_noted``: a look in a memo of
    its own; ``written_turn``: a turn of a list of items in a memo of its own; the
    choice's alternatives as written, whose lists of items empty the memo). Now the
    look reads the step's memo, and a turn that failed as written is known to fail
    (``failed_turns``). Counted with the fast path off: its evaluations are not
    ``run`` calls, and the compiled build has none."""
    if _in_the_pure_build(request):
        return
    definition = _definition(language, engine)
    short, short_errors = _evaluations(
        monkeypatch, definition, "".join(line.format(n=n) for n in range(1, 16)), True)
    long, long_errors = _evaluations(
        monkeypatch, definition, "".join(line.format(n=n) for n in range(1, 61)), True)
    # one error (the closers missing at the end of the file), each time
    assert (short_errors, long_errors) == (1, 1)
    # before: 8.9 (Lua) and 11.5 (curly) times as many
    assert long < 6 * short, (short, long)
