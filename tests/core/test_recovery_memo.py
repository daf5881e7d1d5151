"""A step in recovery mode evaluates a block's list of items as written more than once
(each choice around it tries its alternatives as written before it recovers them). The
list has a memo of its own (``call_lines_rule``: its items depend on their own tokens
only); in a step in recovery mode the memo around it holds again after it, so what the
recovery evaluated around the list is not evaluated again. Before, the list emptied the
step's memo, and the recovery evaluated the rules around it again, several times a parse
(pascal's ``BEGIN ... END`` blocks: issue 13, speed25). Counted in rule evaluations, not
time."""
from __future__ import annotations

import pytest

from craftls.syntax import peg
from craftls.syntax.parse import parse

from .conftest import served_by
from .test_grammar_items import _in_the_pure_build


def _nested(depth: int) -> str:
    """A program whose mistake (``a := 1 +;``) is in a block ``depth`` blocks deep."""
    lines = ["PROGRAM T;", "VAR", "  a : INTEGER;", "BEGIN"]
    indent = "  "
    for level in range(depth):
        lines += [f"{indent}IF a > {level} THEN", f"{indent}BEGIN"]
        indent += "  "
        lines += [f"{indent}a := a + {level};"]
    lines.append(f"{indent}a := 1 +;")
    for _ in range(depth):
        indent = indent[:-2]
        lines.append(f"{indent}END;")
    return "\n".join([*lines, "  a := 2", "END."]) + "\n"


def test_a_list_in_a_recovered_step_leaves_the_memo_around_it(
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if _in_the_pure_build(request):
        return  # (the compiled engine's methods cannot be wrapped)
    definition = served_by("pascal", "template")
    # every rule evaluation outside the lists, by step, rule, position and mode: one
    # evaluated again in the same step with no other emptying of the memo between (only
    # lists evaluated as written) is one the memo had and lost
    lists = [0]
    seen: dict[tuple[int, int, int, bool], int] = {}
    steps = [0]
    emptied = [0]  # the memo emptied other than by a list (a retry, a new step)
    again = [0]
    evaluate, call_lines_rule, clear_memo = (
        peg.PegParser.evaluate, peg.PegParser.call_lines_rule, peg.PegParser.clear_memo)

    def counted(self: peg.PegParser, rule: peg.RuleInfo, p: int, rec: bool) -> int:
        if lists[0] == 0 and self.taint:
            key = (steps[0], id(rule), p, rec)
            if seen.get(key) == emptied[0]:
                again[0] += 1
            seen[key] = emptied[0]
        return evaluate(self, rule, p, rec)

    def in_list(self: peg.PegParser, r: int, p: int) -> int:
        lists[0] += 1
        try:
            return call_lines_rule(self, r, p)
        finally:
            lists[0] -= 1

    def cleared(self: peg.PegParser) -> None:
        if lists[0] == 0:  # (a list's own clearing is inside it)
            emptied[0] += 1
        clear_memo(self)

    def stepped(self: peg.PegParser) -> None:
        steps[0] += 1
        reset_step(self)

    reset_step = peg.PegParser.reset_step
    with monkeypatch.context() as patch:
        patch.setattr(peg.PegParser, "evaluate", counted)
        patch.setattr(peg.PegParser, "call_lines_rule", in_list)
        patch.setattr(peg.PegParser, "clear_memo", cleared)
        patch.setattr(peg.PegParser, "reset_step", stepped)
        parsed = parse(definition, _nested(4))
    assert len(parsed.errors) == 1  # the one mistake, once
    assert again[0] == 0, again[0]  # before: 468
