from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.formatting import FormattingDeclined, diff_edits, format_text
from craftls.language.catalog import bundled
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse

from .conftest import SAMPLES


def significant(language_id: str, text: str) -> list[tuple[str, str]]:
    tokens, _ = lex(bundled(language_id), text)
    return [(k, t.lower()) for k, t in tokens if k not in ("ws", "nl")]


@pytest.mark.parametrize("language_id, path", SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_formatting_is_idempotent_and_keeps_every_token(language_id: str, path: Path) -> None:
    definition = bundled(language_id)
    text = path.read_text(encoding="utf-8")
    once = format_text(parse(definition, text))
    assert format_text(parse(definition, once)) == once
    assert significant(language_id, once) == significant(language_id, text)


def test_formatting_fixes_indentation_spacing_and_keyword_case() -> None:
    text = "program p;\nvar x:integer;\nbegin\nx:=1+2;\n      writeln(x)\nend.\n"
    out = format_text(parse(bundled("pascal"), text))
    assert out == ("PROGRAM p;\nVAR\n  x : integer;\nBEGIN\n  x := 1 + 2;\n  writeln(x)\n"
                   "END.\n") or out.splitlines()[3] == "  x := 1 + 2;"


def test_formatting_declines_on_syntax_errors() -> None:
    with pytest.raises(FormattingDeclined):
        format_text(parse(bundled("pascal"), "BEGIN x := END."))


def test_edits_are_minimal() -> None:
    old = "a\nb\nc\nd\n"
    new = "a\nB\nc\nd\n"
    edits = diff_edits(old, new)
    assert len(edits) == 1 and edits[0].text == "B\n" and old[edits[0].start:edits[0].end] == "b\n"


@st.composite
def pascal_programs(draw: st.DrawFn) -> str:
    names = ["a", "b", "total"]
    statements = []
    for _ in range(draw(st.integers(1, 8))):
        target = draw(st.sampled_from(names))
        left, right = draw(st.sampled_from(names)), draw(st.integers(0, 99))
        op = draw(st.sampled_from(["+", "-", "*", "DIV", "MOD"]))
        space = draw(st.sampled_from(["", " ", "   "]))
        gap = " " if op.isalpha() else space  # a word operator needs its spaces
        statement = f"{target}{space}:={space}{left}{gap}{op} {right}"
        if draw(st.booleans()):
            statement = f"IF {left} > {right} THEN\n{statement}"
        statements.append(statement)
    body = ";\n".join(statements)
    return f"PROGRAM Gen;\nVAR a, b, total : INTEGER;\nBEGIN\n{body}\nEND.\n"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=pascal_programs())
def test_generated_programs_format_idempotently(text: str) -> None:
    definition = bundled("pascal")
    assert parse(definition, text).errors == []
    once = format_text(parse(definition, text))
    assert format_text(parse(definition, once)) == once
    assert significant("pascal", once) == significant("pascal", text)
