"""What recovery costs on a text whose every line is a mistake grows with the text's
length, not its square (issue 13: no text makes the parser hang). Measured in
expression evaluations (``PegParser.run``), not time: four times the lines may cost
about four times the evaluations. Before, a form without its opening word was tried at
each failing line (``missing_opener``, ``first_form``) and its body's list parsed the
rest of the file again each time, every line of it an error the try had already lost
with (``rest_without_opener``'s ``spotless``)."""
from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled, bundled_ids
from craftls.language.model import LanguageDefinition
from craftls.syntax import peg
from craftls.syntax.parse import parse

from .conftest import SAMPLES, served_by
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


@cache
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


# every bundled grammar, and each keyword-level language's template
SERVED = [(language, "grammar" if bundled(language).grammar is not None else "template")
          for language in bundled_ids()]
# tokens most languages have, for lines of a language's own words in any order
PUNCTUATION = ["x", "1", "(", ")", "{", "}", "[", "]", ";", ":", "=", ",", '"s"', "+", "."]


@cache
def _foreign_lines(language: str) -> list[str]:
    """The lines of the other bundled languages' examples (never empty ones)."""
    return [line for other, path in SAMPLES if other != language
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(("language", "engine"), SERVED, ids=[f"{c[0]}-{c[1]}" for c in SERVED])
@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_garbage_costs_linear_time(
        language: str, engine: str, data: st.DataObject, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """Twenty lines drawn from other languages' examples and from the language's own
    words in any order, written twice, four and eight times over: each copy costs
    about as much as the one before (what the first copies leave open, the next ones
    nest in: the first copies may cost less), and no parse fails (issue 13: no text
    hangs the parser)."""
    if _in_the_pure_build(request):
        return
    definition = _definition(language, engine)
    words = sorted(definition.keywords) + PUNCTUATION
    own = st.lists(st.sampled_from(words), min_size=1, max_size=7).map(" ".join)
    lines = data.draw(st.lists(st.one_of(st.sampled_from(_foreign_lines(language)), own),
                               min_size=20, max_size=20))
    text = "\n".join(lines) + "\n"
    two, _ = _evaluations(monkeypatch, definition, text * 2, True)
    four, _ = _evaluations(monkeypatch, definition, text * 4, True)
    eight, _ = _evaluations(monkeypatch, definition, text * 8, True)
    # the four copies after the fourth cost about twice the two after the second (the
    # square of the length: four times)
    assert eight - four < 3 * (four - two) + 1_000, (two, four, eight)
