"""Editor features on the bundled grammar-defined languages, checked the way the audit of
real programs checks them: a rename keeps the program's meaning, completion offers what
the grammar accepts at the cursor."""

from __future__ import annotations

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse


def analysed(language_id: str, text: str) -> FileAnalysis:
    return analyze_with_types(parse(bundled(language_id), text))


def renamed(analysis: FileAnalysis, offset: int, new_name: str) -> str:
    text = analysis.parsed.text
    for span in sorted(navigation.rename_spans(analysis, offset, new_name),
                       key=lambda s: s.start, reverse=True):
        text = text[:span.start] + new_name + text[span.end:]
    return text


MARKED = ("DIM count AS INTEGER\ncount% = 1\nPRINT count\n"
          "FUNCTION Twice% (n%)\n  Twice = n% * 2\nEND FUNCTION\nPRINT Twice%(count%)\n")


def test_a_rename_keeps_the_type_mark_each_use_is_written_with() -> None:
    a = analysed("qbasic", MARKED)
    assert a.diagnostics == []
    assert renamed(a, MARKED.index("count"), "total") == MARKED.replace("count", "total")
    assert renamed(a, MARKED.index("Twice%"), "Dbl") == MARKED.replace("Twice", "Dbl")
    assert renamed(a, MARKED.index("n%"), "k") == MARKED.replace("n%", "k%")
    # a new name with its own mark is written as given
    assert renamed(a, MARKED.index("count%"), "total%") == MARKED.replace(
        "count%", "total%").replace("count", "total%")


def completed_words(language_id: str, text: str, at: int) -> set[str]:
    from craftls.features.completion import complete
    return {c.label for c in complete(analysed(language_id, text), at)[0]
            if c.kind == "keyword"}


def test_completion_offers_the_operator_words_an_operand_may_go_on_with() -> None:
    # Lua's `simple !binary_operator / or_expr`: the words are looked for by a lookahead
    text = "local found = seen\n  and ready\nprint(found)\n"
    at = text.index("and")
    assert {"and", "or"} <= completed_words("lua", text, at)
    assert {"and", "or", "then"} <= completed_words("lua", "if a ", len("if a "))
    # a statement start does not go on an operand
    start = "local x = 1\nprint(x)\n"
    assert not {"and", "or"} & completed_words("lua", start, start.index("print"))


def test_completion_in_the_middle_of_a_line_goes_on_with_the_line() -> None:
    # QBasic: the end of the text before the cursor is no line break there, so the
    # operators after an operand (`same_line op operand`) and a one-line IF's ELSE
    # (`eos: NEWLINE / &':' / &'ELSE'`) are offered
    text = "x = 5\nIF x MOD 2 = 0 THEN x = 1 ELSE x = 2\n"
    assert "MOD" in completed_words("qbasic", text, text.index("MOD") + 1)
    assert "ELSE" in completed_words("qbasic", text, text.index("ELSE") + 1)
    loop = "DO\n  x = x + 1\nLOOP UNTIL x > 3\n"
    assert {"UNTIL", "WHILE"} <= completed_words("qbasic", loop, loop.index("UNTIL"))
    # at the start of a line, a statement starts, and no operator goes on the last one
    assert not {"MOD", "ELSE"} & completed_words("qbasic", text, text.index("IF"))
