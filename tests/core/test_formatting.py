from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from benchmarks.common import pascal_program
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features import format_layout, formatting
from craftls.features.formatting import (
    FormatOptions,
    FormattingDeclined,
    diff_edits,
    edits_near,
    format_edits,
    format_text,
    whole_file_edits,
)
from craftls.language.catalog import bundled, bundled_ids
from craftls.language.model import LanguageDefinition
from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit
from craftls.syntax.lexer import lex
from craftls.syntax.parse import ParsedFile, parse
from craftls.syntax.tokens import NEWLINE, PUNCT, Token
from craftls.syntax.tree import GreenNode

from .conftest import EXAMPLES, SAMPLES, served_by


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

def apply(text: str, edits: list[TextEdit]) -> str:
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


# ------------------------------------------------------------ on-type and range formatting
# near the range: only the top-level items around it are laid out, with the same result

def every_sample() -> list[tuple[str, Path]]:
    """Every source file under examples/ in a bundled language (packages included)."""
    root = Path(__file__).resolve().parents[2] / "examples"
    found = []
    for language_id in bundled_ids():
        for ext in bundled(language_id).extensions:
            found += [(language_id, path) for path in sorted(root.rglob(f"*{ext}"))]
    return found


def outcome(fn: Callable[[ParsedFile, FormatOptions, tuple[int, int]], list[TextEdit]],
            parsed: ParsedFile, options: FormatOptions,
            line_range: tuple[int, int]) -> list[TextEdit] | str:
    try:
        return fn(parsed, options, line_range)
    except FormattingDeclined as exc:
        return f"declined: {exc}"


def ranges(text: str, step: int) -> list[tuple[int, int]]:
    """On-type ranges at every ``step``-th line (and one past the end), and some longer
    ranges."""
    count = len(text.splitlines()) + 1
    return [(max(line - 1, 0), line) for line in [*range(0, count, step), count]] \
        + [(line, min(line + span, count)) for line in range(0, count, 11) for span in (0, 3, 20)]


def same_as_whole_file(parsed: ParsedFile, options: FormatOptions,
                       line_range: tuple[int, int]) -> bool:
    """Asserts that the range's edits, when they come from near the range, are the whole
    file's, and returns whether they did (else format_edits takes the whole-file path)."""
    try:
        near = edits_near(parsed, options, line_range)
    except FormattingDeclined as exc:
        near_outcome: list[TextEdit] | str = f"declined: {exc}"
    else:
        if near is None:
            return False
        near_outcome = near
    assert outcome(format_edits, parsed, options, line_range) == near_outcome
    if parsed.errors:
        # the whole file declines; the items around the range are formatted alone when
        # they parse: only whitespace (and keyword case) changes
        if isinstance(near_outcome, list):
            language_id = parsed.definition.id
            assert significant(language_id, apply(parsed.text, near_outcome)) == \
                significant(language_id, parsed.text), line_range
        else:
            assert "syntax errors" in near_outcome
        return True
    assert near_outcome == outcome(whole_file_edits, parsed, options, line_range), \
        line_range
    return True


NEAR_LANGUAGES = {"pascal", "turbopascal", "curly"}  # the others' statements end at line breaks


@pytest.mark.parametrize("language_id, path", every_sample(),
                         ids=lambda v: getattr(v, "name", v))
def test_range_edits_near_the_range_are_the_whole_file_edits(language_id: str,
                                                             path: Path) -> None:
    definition = bundled(language_id)
    near = 0  # ranges served near the range (for line languages: in files without errors)
    line_language = language_id not in NEAR_LANGUAGES
    variants = messy_variants(path.read_text(encoding="utf-8"))
    variants["form feeds"] = "\x0c" + variants["as is"].replace("\n\n", "\n\x0c\n")
    variants["cr"] = variants["as is"].replace("\n", "\r")
    for n, (name, text) in enumerate(variants.items()):
        parsed = parse(definition, text)
        options = OPTIONS[n % len(OPTIONS)]
        for line_range in ranges(text, 1 if name in ("as is", "no indentation") else 3):
            taken = same_as_whole_file(parsed, options, line_range)
            near += taken and not (line_language and parsed.errors)
    # the near path is taken where it can be (or the test would compare nothing); the
    # languages whose statements end at line breaks take it only in files with errors
    assert (near > 0) == (language_id in NEAR_LANGUAGES)


@pytest.mark.parametrize("language_id, path",
                         [(lang, path) for lang, path in every_sample() if lang in NEAR_LANGUAGES],
                         ids=lambda v: getattr(v, "name", v))
def test_typing_a_line_break_formats_as_the_whole_file_does(language_id: str,
                                                            path: Path) -> None:
    """A line break typed at the end of every line (with the editor's indentation, or
    none), then on-type formatting of the new line; applied, the same request gives
    nothing more to do."""
    definition = bundled(language_id)
    text = path.read_text(encoding="utf-8")
    offset = 0
    for line, old in enumerate(text.splitlines(keepends=True)):
        offset += len(old.rstrip("\r\n"))
        for typed in ("\n", "\n      "):
            new_text = text[:offset] + typed + text[offset:]
            parsed = parse(definition, new_text)
            line_range = (line, line + 1)
            same_as_whole_file(parsed, FormatOptions(), line_range)
            edits = outcome(format_edits, parsed, FormatOptions(), line_range)
            if isinstance(edits, list):
                again = parse(definition, apply(new_text, edits))
                assert format_edits(again, FormatOptions(), line_range) == []
        offset += len(old) - len(old.rstrip("\r\n"))


# edits that make the layout around a range vary: misplaced and blank lines, comments,
# line breaks in odd places, top-level items on one line, broken code
PIECES = ["\n", "\n\n\n", "   ", "\n  { c }\n", "{ a\n b }", "// c\n", "/* a\n b */", " ;",
          "\r\n", "\r", "\x0c", "END", "}", "\n        "]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_positions_and_edits_give_the_whole_file_edits(data: st.DataObject) -> None:
    language_id = data.draw(st.sampled_from(["pascal", "curly"]))
    samples = [path for lang, path in every_sample() if lang == language_id]
    text = data.draw(st.sampled_from(samples)).read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(PIECES)) + text[at:]
    lines = len(text.splitlines()) + 2
    first = data.draw(st.integers(0, lines))
    last = data.draw(st.integers(first, lines)) if data.draw(st.booleans()) else first + 1
    options = data.draw(st.sampled_from(OPTIONS))
    same_as_whole_file(parse(bundled(language_id), text), options, (first, last))


def test_on_type_in_a_big_file_lays_out_only_the_items_around_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    definition = bundled("pascal")
    text = pascal_program(2000)
    lines = text.splitlines(keepends=True)
    middle = next(n for n in range(1000, 1100) if "T := A *" in lines[n])
    lines[middle] = "T:=A*3+B DIV 2;\n"  # typed badly, then a line break
    parsed = parse(definition, "".join(lines[:middle + 1]) + "  \n" + "".join(lines[middle + 1:]))
    laid_out: list[int] = []
    real_layout = format_layout.layout
    def layout(*args: Any) -> Any:
        laid_out.append(len(real_layout(*args).tokens))
        return real_layout(*args)

    monkeypatch.setattr(formatting, "layout", layout)
    edits = format_edits(parsed, FormatOptions(), (middle, middle + 1))
    assert [e.text for e in edits] == ["  T := A * 3 + B DIV 2;\n\n"]
    assert len(laid_out) == 1 and laid_out[0] < 200  # one function, not 2,000 lines
    assert edits == whole_file_edits(parsed, FormatOptions(), (middle, middle + 1))


def test_on_type_formats_its_lines_when_an_error_is_elsewhere_in_the_file() -> None:
    text = pascal_program(300)
    messy = text.replace("  T := A * 3 + B DIV 2;", "T:=A*3+B DIV 2;")
    broken = messy.replace("END;\n", "END\n", 1)  # far from the end, where one types
    parsed = parse(bundled("pascal"), broken)
    assert parsed.errors
    with pytest.raises(FormattingDeclined, match="syntax errors"):
        format_edits(parsed)  # the whole file is still declined
    last = messy.splitlines().index("T:=A*3+B DIV 2;", len(messy.splitlines()) - 40)
    edits = format_edits(parsed, FormatOptions(), (last - 1, last))
    assert [e.text for e in edits] == ["  T := A * 3 + B DIV 2;\n"]
    good = format_edits(parse(bundled("pascal"), messy), FormatOptions(), (last - 1, last))
    shift = len(messy) - len(broken)  # the error is before: offsets moved by it
    assert [(e.start + shift, e.end + shift, e.text) for e in edits] == \
        [(e.start, e.end, e.text) for e in good]


# (language, sample, a line made messy, another line made wrong, far from the first)
LINE_LANGUAGE_CASES = [
    ("basic", "basic/invoice.bas", '    PRINT STRING$(size, "-")\n',
     'PRINT   STRING$(size,"-")\n', "price AS DOUBLE) AS DOUBLE", "price AS DOUBLE AS DOUBLE"),
    ("teachlang", "teachlang/grades.teach", "        sum = sum + score\n",
     "        sum =  sum+score\n", "letter_for(score: int)", "letter_for(score: int"),
]


@pytest.mark.parametrize("language_id, sample, good, messy, right, wrong", LINE_LANGUAGE_CASES,
                         ids=[case[0] for case in LINE_LANGUAGE_CASES])
def test_line_languages_format_a_range_when_an_error_is_elsewhere(
        language_id: str, sample: str, good: str, messy: str, right: str, wrong: str) -> None:
    """Statements that end at line breaks: range and on-type formatting of lines whose
    items parse, with a syntax error in another item of the file (issue 19, item 7)."""
    text = (EXAMPLES / sample).read_text(encoding="utf-8")
    assert good in text and right in text
    definition = bundled(language_id)
    broken = text.replace(good, messy).replace(right, wrong, 1)
    parsed = parse(definition, broken)
    assert parsed.errors
    with pytest.raises(FormattingDeclined, match="syntax errors"):
        format_edits(parsed)  # the whole file is still declined
    line = broken.splitlines().index(messy.rstrip("\n"))
    edits = format_edits(parsed, FormatOptions(), (line - 1, line))
    assert [e.text for e in edits] == [good]
    assert apply(broken, edits) == text.replace(right, wrong, 1)
    # without the error, the same lines get the same edit (offsets shifted by it)
    fine = format_edits(parse(definition, text.replace(good, messy)), FormatOptions(),
                        (line - 1, line))
    shift = len(wrong) - len(right)
    assert [(e.start + shift, e.end + shift, e.text) for e in fine] == \
        [(e.start, e.end, e.text) for e in edits]
    # an error in the lines around the range still declines
    around = broken.replace(messy, messy.rstrip("\n") + " )\n")
    with pytest.raises(FormattingDeclined, match="syntax errors"):
        format_edits(parse(definition, around), FormatOptions(), (line - 1, line))


def test_on_type_declines_when_the_error_is_in_the_lines_around_it() -> None:
    text = pascal_program(300)
    lines = text.splitlines(keepends=True)
    target = len(lines) - 20
    while not lines[target].startswith("  T := "):
        target += 1
    lines[target] = lines[target].replace(" DIV ", " DIV DIV ", 1).lstrip()  # broken, messy
    broken = "".join(lines)
    parsed = parse(bundled("pascal"), broken)
    assert parsed.errors
    with pytest.raises(FormattingDeclined, match="syntax errors"):
        format_edits(parsed, FormatOptions(), (target, target))


def test_crlf_stays_crlf_and_each_line_keeps_its_break() -> None:
    text = "PROGRAM F;\r\nVAR x : INTEGER;\r\nBEGIN\r\nx:=1;\r\n  WriteLn(x)\r\nEND."
    parsed = parse(bundled("pascal"), text)
    formatted = format_text(parsed)
    assert formatted == "PROGRAM F;\r\nVAR x : INTEGER;\r\nBEGIN\r\n  x := 1;\r\n" \
                        "  WriteLn(x)\r\nEND.\r\n"  # the added final break is CRLF too
    edits = format_edits(parsed)
    assert apply(text, edits) == formatted
    assert all("\n" not in e.text.replace("\r\n", "") for e in edits)
    ranged = format_edits(parsed, FormatOptions(), (3, 3))
    assert [e.text for e in ranged] == ["  x := 1;\r\n"]
    mixed = "PROGRAM F;\nVAR x : INTEGER;\r\nBEGIN\nx:=1;\r\nEND.\n"
    assert format_text(parse(bundled("pascal"), mixed)) == \
        "PROGRAM F;\nVAR x : INTEGER;\r\nBEGIN\n  x := 1;\r\nEND.\n"


def test_the_cli_formats_a_crlf_file_in_place_keeping_crlf(tmp_path: Path) -> None:
    import subprocess
    import sys
    path = tmp_path / "f.pas"
    path.write_bytes(b"PROGRAM F;\r\nVAR x : INTEGER;\r\nBEGIN\r\nx:=1\r\nEND.\r\n")
    done = subprocess.run([sys.executable, "-m", "craftls", "format", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == b"PROGRAM F;\r\nVAR x : INTEGER;\r\nBEGIN\r\n  x := 1\r\n" \
                                b"END.\r\n"
    check = subprocess.run([sys.executable, "-m", "craftls", "format", "--check", str(path)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout


def test_range_edits_grow_the_part_until_a_changed_run_ends_inside_it() -> None:
    # every line of several items is badly indented: the runs touching the range cross
    # item boundaries, and come back whole
    definition = bundled("curly")
    text = "\n".join(f"fn f{n}() {{\nlet x = {n};\n}}" for n in range(40)) + "\n"
    parsed = parse(definition, text)
    assert parsed.errors == []
    for line in (1, 30, 60, 100, 119):
        line_range = (line - 1, line)
        assert edits_near(parsed, FormatOptions(), line_range) \
            == whole_file_edits(parsed, FormatOptions(), line_range) != []


# The parser makes none of these trees today; the part must still start where the whole
# file's layout and rendering carry nothing over. In each, the line at the start of the
# part renders otherwise in the whole file, and joins the changed run of the line after
# it, which touches the range (the line before it) and starts at the part's first item.

def rebuilt(language_id: str, text: str,
            change: Callable[[list[GreenNode | Token]], None],
            definition: LanguageDefinition | None = None) -> ParsedFile:
    """``text`` parsed, with its top-level children changed in place by ``change``
    (``definition``: the language's, else whichever engine serves it)."""
    definition = definition or bundled(language_id)
    children = list(parse(definition, text).green.children)
    change(children)
    green = GreenNode(K.SOURCE_FILE, tuple(children))
    parsed = ParsedFile(definition, green.text(), green)
    assert parsed.errors == []
    return parsed


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_a_statement_without_tokens_moves_the_start_of_the_part(engine: str) -> None:
    # an empty statement at the end of an item: its depth goes to the next token laid out
    # (here one of the root's own, which no statement starts); placed where a statement
    # of the if is one deeper: in the keyword level's IF_STMT, in a template's block (its
    # if_stmt lays its parts out at its own depth); of the kind of `print(a);`
    def empty_statement_in_the_if(children: list[GreenNode | Token]) -> None:
        node, statement = children[2], children[4]
        assert isinstance(node, GreenNode) and node.text().startswith("if (a > 0)")
        assert isinstance(statement, GreenNode) and statement.text() == "print(a);"
        empty = GreenNode(statement.kind, ())
        if engine == "keywords":
            assert node.kind == K.IF_STMT and statement.kind == K.EXPR_STMT
            children[2] = GreenNode(node.kind, (*node.children, empty))
        else:
            body = node.children[-1]
            assert isinstance(body, GreenNode) and body.text().startswith("{")
            children[2] = GreenNode(node.kind, (*node.children[:-1],
                                                GreenNode(body.kind, (*body.children, empty))))
        children[4:5] = [(PUNCT, ";")]
    parsed = rebuilt("curly", "let a = 1;\nif (a > 0) {\n    print(a);\n}\nprint(a);\n"
                     "let b  =  2;\nlet c = 3;\n", empty_statement_in_the_if,
                     served_by("curly", engine))
    assert parsed.text.splitlines()[4] == ";"
    assert [e.text for e in whole_file_edits(parsed, FormatOptions(), (6, 7))] \
        == ["    ;\nlet b = 2;\n"]
    assert same_as_whole_file(parsed, FormatOptions(), (6, 7))


def test_a_part_starts_after_a_line_with_code_only() -> None:
    # an item that ends with its line break: the line after it is blank, and the second
    # blank line is one too many
    def line_break_in_the_item(children: list[GreenNode | Token]) -> None:
        node = children[0]
        assert isinstance(node, GreenNode)
        children[0:2] = [GreenNode(node.kind, (*node.children, (NEWLINE, "\n")))]
    text = "let a = 1;\n\n\nlet b  =  2;\nlet c = 3;\n"
    parsed = rebuilt("curly", text, line_break_in_the_item)
    assert parsed.text == text
    assert [e.text for e in whole_file_edits(parsed, FormatOptions(), (4, 5))] \
        == ["let b = 2;\n"]
    assert [text[e.start:e.end] for e in whole_file_edits(parsed, FormatOptions(), (4, 5))] \
        == ["\nlet b  =  2;\n"]
    assert same_as_whole_file(parsed, FormatOptions(), (4, 5))


def test_tokens_of_the_root_keep_their_depth_in_a_part() -> None:
    # the root's first own token is at depth 0, the others one deeper
    def semicolons_at_the_top(children: list[GreenNode | Token]) -> None:
        children[2:2] = [(PUNCT, ";"), (NEWLINE, "\n")]
        children[6:6] = [(PUNCT, ";"), (NEWLINE, "\n")]
    parsed = rebuilt("curly", "let a = 1;\nlet b = 2;\nlet c  =  3;\n", semicolons_at_the_top)
    assert parsed.text == "let a = 1;\n;\nlet b = 2;\n;\nlet c  =  3;\n"
    assert [e.text for e in whole_file_edits(parsed, FormatOptions(), (5, 6))] \
        == ["    ;\nlet c = 3;\n"]
    assert same_as_whole_file(parsed, FormatOptions(), (5, 6))


@pytest.mark.parametrize(("language_id", "text"), [
    ("lua", "function f()\n  if x then\n    y = 1\n    -- last\n  end\n  -- end of f\nend\n"),
    ("turbopascal", "program P;\nbegin\n  if True then\n  begin\n    Writeln(1);\n"
                    "    { last }\n  end;\n  { end of P }\nend.\n"),
    ("qbasic", "SUB S\n  ' before\n  IF x THEN\n    y = 1\n    ' last\n  END IF\n"
               "  ' end of S\nEND SUB\n")])
def test_a_comment_before_a_grammar_block_s_closer_is_indented_as_its_body(
        language_id: str, text: str) -> None:
    """The comment is the body's last line, not the closer's (`END IF`, `end.`, `end`);
    one before a block's opening statement stays at the statement's depth."""
    flat = "".join(line.lstrip() for line in text.splitlines(True))
    options = FormatOptions(indent_width=2)
    assert format_text(parse(bundled(language_id), flat), options) == text
