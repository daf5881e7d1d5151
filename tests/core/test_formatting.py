from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.common import pascal_program
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features import format_layout
from craftls.features.formatting import (
    FormatOptions,
    FormattingDeclined,
    TextReplacement,
    diff_edits,
    format_edits,
    format_text,
)
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


# ------------------------------------------------------------ edits from the layout

def apply(text: str, edits: list[TextReplacement]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def messy_variants(text: str) -> dict[str, str]:
    """The same code with the layout problems formatting fixes, and the line breaks and
    file ends it must handle."""
    return {
        "as is": text,
        "blank lines": text.replace("\n", "\n\n\n"),
        "no indentation": "\n\n" + "\n".join(line.lstrip() for line in text.split("\n"))
                          + "\n\n  \n",
        "extra spaces": text.replace(", ", " ,  ").replace("(", "( "),
        "trailing spaces": text.replace("\n", "   \n"),
        "no final newline": text.rstrip("\n"),
        "crlf": text.replace("\n", "\r\n"),
    }


OPTIONS = [FormatOptions(), FormatOptions(indent_width=3),
           FormatOptions(insert_spaces=False, insert_final_newline=False)]


@pytest.mark.parametrize("language_id, path", SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_edits_give_the_formatted_text_and_replace_only_changed_lines(language_id: str,
                                                                       path: Path) -> None:
    definition = bundled(language_id)
    for name, text in messy_variants(path.read_text(encoding="utf-8")).items():
        parsed = parse(definition, text)
        if parsed.errors:  # a variant the language does not allow (indentation blocks)
            continue
        for options in OPTIONS:
            try:
                formatted = format_text(parsed, options)
            except FormattingDeclined:
                continue
            edits = format_edits(parsed, options)
            assert apply(text, edits) == formatted, (name, options)
            # exactly the edits of a line-by-line diff of the two texts: whole lines,
            # only those that change, a multi-line comment's unchanged lines left alone
            assert edits == diff_edits(text, formatted), (name, options)


def test_a_formatted_file_gets_no_edits() -> None:
    definition = bundled("pascal")
    formatted = format_text(parse(definition, pascal_program(300).replace("  T :=", "T:=")))
    assert format_edits(parse(definition, formatted)) == []


def test_only_the_first_line_of_a_moved_multi_line_comment_is_edited() -> None:
    text = ("PROGRAM C;\nBEGIN\n      { first line\n   second line }\n  WriteLn(1)\nEND.\n")
    edits = format_edits(parse(bundled("pascal"), text))
    assert [(text[e.start:e.end], e.text) for e in edits] == [("      { first line\n",
                                                              "  { first line\n")]


def test_comment_lines_take_the_depth_of_the_code_after_them() -> None:
    text = ("PROGRAM C;\nBEGIN\n{ one }\n{ two }\nIF 1 > 0 THEN\n{ three }\nWriteLn(1)\nEND.\n"
            "{ after the end }\n  { and more }\n")
    out = format_text(parse(bundled("pascal"), text))
    assert out.splitlines() == ["PROGRAM C;", "BEGIN", "  { one }", "  { two }",
                                "  IF 1 > 0 THEN", "    { three }", "    WriteLn(1)", "END.",
                                "{ after the end }", "{ and more }"]


def test_range_formatting_returns_only_the_edits_touching_the_range() -> None:
    text = "PROGRAM R;\nVAR x : INTEGER;\nBEGIN\nx:=1;\n  WriteLn(x);\n  x  :=  3\nEND.\n"
    parsed = parse(bundled("pascal"), text)
    assert [(text[e.start:e.end], e.text) for e in format_edits(parsed)] == [
        ("x:=1;\n", "  x := 1;\n"), ("  x  :=  3\n", "  x := 3\n")]
    assert [e.text for e in format_edits(parsed, line_range=(3, 3))] == ["  x := 1;\n"]
    assert [e.text for e in format_edits(parsed, line_range=(5, 5))] == ["  x := 3\n"]
    assert format_edits(parsed, line_range=(0, 1)) == []


def test_formatting_declines_when_a_change_would_merge_tokens(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the check lexes the changed lines again: a layout that glued a keyword to a name
    # (IFa) must be caught, not returned
    monkeypatch.setattr(format_layout, "separator", lambda *args: "")
    parsed = parse(bundled("pascal"), "PROGRAM G;\nBEGIN\nIF a > 1 THEN a := 2\nEND.\n")
    with pytest.raises(FormattingDeclined, match="changed the code"):
        format_edits(parsed)
