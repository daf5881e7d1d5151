"""A block template's recovery tries forms of the grammar without their first element
(``peg.PegParser.first_form``: a block whose opening word was deleted, a declaration that
lost its name). Its walk of the grammar is kept per (body, levels, leading) on the tables
(``peg.fitting_forms``) and the closers of ``closer_of`` once per tables: on every
expression of the five templates, with generated ``fits`` filters, the kept walk gives
the forms (and their order) that walking the grammar as ``first_form``'s definition
reads gives, the first time and every time after; the closers shared by the parses are
the ones a parser works out from the grammar itself."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.conftest import served_by

from craftls.syntax import peg
from craftls.syntax.lexer import lex
from craftls.syntax.peg_tables import OP_CHOICE, OP_OPT, OP_RULE, OP_SEQ, PegTables, tables_for

LANGUAGES = ("basic", "curly", "espanol", "pascal", "teachlang")


@cache
def tables(language: str) -> PegTables:
    definition = served_by(language, "template")
    built = tables_for(definition)
    assert built is not None and built.block_template
    return built


def forms_by_walking(t: PegTables, body: int, levels: int, leading: bool,
                     fits: Callable[[tuple[int, ...]], bool]) -> list[tuple[int, tuple[int, ...]]]:
    """``first_form``'s forms as its definition reads: the grammar walked for each call."""
    forms: list[tuple[int, tuple[int, ...]]] = []
    todo = [(body, -1, 0)]
    while todo:
        e, rule, depth = todo.pop()
        if t.ops[e] == OP_RULE and depth < levels:
            r = t.kids[e][0]
            todo.append((t.rule_expr[r], r, depth + 1))
        elif t.ops[e] == OP_CHOICE and depth < levels:
            todo.extend((k, -1, depth + 1) for k in reversed(t.kids[e]))
        elif t.ops[e] == OP_SEQ and fits(t.kids[e]):
            forms.append((rule, t.kids[e]))
        elif leading and t.ops[e] == OP_SEQ:
            todo.append((t.kids[e][0], -1, depth))
    return forms


def filter_from(t: PegTables, seed: int, share: int) -> Callable[[tuple[int, ...]], bool]:
    """A sequence fits where its elements' hash with ``seed`` falls in ``share`` of 4
    (``share`` 4: every one; and those that begin with a literal, as ``without_name``
    asks the reverse of)."""
    if share == 0:
        return lambda parts: len(parts) > 1 and t.ops[parts[0]] != OP_RULE
    return lambda parts: hash((seed, parts)) % 4 < share


@settings(max_examples=300, deadline=None)
@given(language=st.sampled_from(LANGUAGES), where=st.floats(0, 1, exclude_max=True),
       levels=st.integers(1, 7), leading=st.booleans(), seed=st.integers(0, 1 << 30),
       share=st.integers(0, 4), again=st.integers(1, 3))
def test_kept_walk_gives_the_walked_forms_in_order(language: str, where: float, levels: int,
                                                   leading: bool, seed: int, share: int,
                                                   again: int) -> None:
    t = tables(language)
    # bodies first_form is asked about are sequences, choices and rule calls
    bodies = [e for e, op in enumerate(t.ops) if op in (OP_SEQ, OP_CHOICE, OP_RULE)]
    body = bodies[int(where * len(bodies))]
    fits = filter_from(t, seed, share)
    expected = forms_by_walking(t, body, levels, leading, fits)
    for _ in range(again):  # (the first time walks, then the kept walk answers)
        assert peg.fitting_forms(t, body, levels, leading, fits) == expected
    # the other way of walking (leading or not) of the same body is kept apart
    assert peg.fitting_forms(t, body, levels, not leading, fits) == forms_by_walking(
        t, body, levels, not leading, fits)


def test_leading_walk_offers_sequences_under_a_first_element_that_does_not_fit() -> None:
    """What the generated cases must meet somewhere (else they test little): a leading
    walk that offers forms a plain one does not, and a fitting sequence whose first
    element's forms the walk then leaves out."""
    deeper = hidden = False
    for language in LANGUAGES:
        t = tables(language)
        for e, op in enumerate(t.ops):
            if op not in (OP_SEQ, OP_CHOICE, OP_RULE):
                continue
            assert peg.fitting_forms(t, e, 6, True, lambda parts: False) == []
            longer = peg.fitting_forms(t, e, 6, True, lambda parts: len(parts) > 2)
            plain = peg.fitting_forms(t, e, 6, False, lambda parts: len(parts) > 2)
            deeper = deeper or len(longer) > len(plain)
            every = peg.fitting_forms(t, e, 6, True, lambda parts: True)
            hidden = hidden or len(every) < len(peg.form_walk(t, e, 6, True)[1])
    assert deeper and hidden


def closers_worked_out(parser: peg.PegParser) -> list[int]:
    """``closer_of`` per expression as its definition reads, from the grammar."""
    ops, kids = parser.ops, parser.kids
    return [kids[x][-1] if ops[x] == OP_SEQ and len(kids[x]) > 1
            and ops[kids[x][-1]] != OP_OPT and parser.words_only(kids[x][-1], 8)
            and any(parser.list_like(k, 2) for k in kids[x][:-1]) else peg.NO_MATCH
            for x in range(len(ops))]


def test_closers_kept_per_tables_are_each_parse_s() -> None:
    for language in LANGUAGES:
        definition = served_by(language, "template")
        t = tables_for(definition)
        assert t is not None
        for text in ("x\n", "end\n"):
            parser = peg.PegParser(t, lex(definition, text)[0])
            assert parser.closers is None
            expected = closers_worked_out(parser)
            assert [parser.closer_of(e) for e in range(len(parser.ops))] == expected
            assert parser.closer_list == [c for c in dict.fromkeys(expected) if c >= 0]
        assert parser.closer_list  # (``end``, ``fin``, ``}``: the closers)
