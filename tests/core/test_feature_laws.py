"""What an editor takes for granted of each feature's answer, on the bundled grammar
languages: selection ranges grow around the cursor, folding ranges nest as lines,
rename and go-to-definition agree. Each case is a shape real programs have that broke
one of these (measured over public Pascal, Lua and BASIC programs)."""

from __future__ import annotations

import pytest

from craftls.features import navigation, outline
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse
from craftls.workspace.line_index import LineIndex


def analysis(language_id: str, text: str) -> FileAnalysis:
    return analyze_with_types(parse(bundled(language_id), text))


def line_folds(a: FileAnalysis) -> list[tuple[int, int]]:
    """The folds as an editor gets them: lines, those within one line left out."""
    lines = LineIndex(a.parsed.text)
    spans = ((lines.line_of(f.start), lines.line_of(f.end)) for f in outline.folding_ranges(a))
    return sorted((s, e) for s, e in spans if e > s)


def assert_nested(folds: list[tuple[int, int]]) -> None:
    """Each fold inside or after the ones before it (VS Code drops one that starts
    inside another and ends after it, and all but one of those starting on a line)."""
    starts = [s for s, _ in folds]
    assert len(starts) == len(set(starts)), folds
    for k, (s, e) in enumerate(folds):
        for s2, e2 in folds[:k]:
            assert e2 < s or e <= e2, ((s2, e2), (s, e))


@pytest.mark.parametrize(("text", "folds"), [
    # a loop over a table written in its heading: one fold from that line
    ("for i, v in ipairs({\n  1,\n  2,\n}) do\n  print(i, v)\nend\n", [(0, 5)]),
    # a table argument, then a function on the line it ends: the table ends a line early
    ("call({\n  a = 1,\n  b = 2,\n}, function(x)\n  print(x)\nend)\n",
     [(0, 2), (3, 5)]),
    ("local t = {\n  {\n    1,\n  }, {\n    2,\n  },\n}\n", [(0, 6), (1, 2), (3, 5)]),
])
def test_lua_folds_never_start_on_one_line_nor_end_where_the_next_starts(
        text: str, folds: list[tuple[int, int]]) -> None:
    """VS Code drops one of two folds starting on a line, and one that starts inside
    another and ends after it (`}, function(x)`): the outer fold is the line's, and a
    fold whose last line another starts on ends on the line before."""
    found = line_folds(analysis("lua", text))
    assert_nested(found)
    assert found == folds


def test_selection_in_a_comment_starts_at_the_comment_and_holds_the_cursor() -> None:
    for language_id, text, comment in [
            ("lua", "-- header\n-- more\nlocal x = 1\nprint(x)  -- tail\n", "-- more"),
            ("turbopascal", "{ about }\nprogram p;\nbegin\n  writeln(1); { note }\nend.\n",
             "{ note }"),
            ("qbasic", "' about\nPRINT 1\n' last\n", "' last")]:
        a = analysis(language_id, text)
        at = text.index(comment) + 2
        ranges = outline.selection_ranges(a, at)
        assert ranges[0] == (text.index(comment), text.index(comment) + len(comment))
        assert all(s <= at <= e for s, e in ranges), ranges
        assert all(o[0] <= i[0] and i[1] <= o[1] and o != i
                   for i, o in zip(ranges, ranges[1:], strict=False)), ranges


def test_selection_in_white_space_holds_the_cursor() -> None:
    text = "\n\nlocal x = 1\n\nprint(x)\n"
    for at in (0, text.index("\n\np") + 1):
        ranges = outline.selection_ranges(analysis("lua", text), at)
        assert all(s <= at <= e for s, e in ranges), ranges


def test_comment_lines_after_a_trailing_comment_fold_from_their_own_line() -> None:
    text = ("if p == 36 then  -- a dollar\n  -- print it\n  -- and more\n  local s = 1\n"
            "else\n  return nil\nend  -- done\n-- one\n-- two\nprint(1)\n")
    folds = line_folds(analysis("lua", text))
    assert (1, 2) in folds and (7, 8) in folds
    assert_nested(folds)
    pascal = ("program p;\nbegin\n  if x then begin  { yes }\n    { really }\n    { sure }\n"
              "    y := 1\n  end\nend.\n")
    folds = line_folds(analysis("turbopascal", pascal))
    assert (3, 4) in folds
    assert_nested(folds)


def test_a_member_of_self_is_not_the_methods_local_of_that_name() -> None:
    text = ("Fire = {}\nfunction Fire:update(dt)\n  if dt then\n    local cx = self.cx\n"
            "    while cx == self.cx do cx = cx + 1 end\n  end\nend\n")
    a = analysis("lua", text)
    member = text.index("self.cx") + len("self.")
    assert navigation.definition(a, member) is None
    spans = navigation.rename_spans(a, text.index("cx ="), "px")
    assert len(spans) == 4 and all(text[s.start - 1] == " " for s in spans), spans


def test_rename_refuses_to_capture_a_use_the_file_does_not_declare() -> None:
    text = "local function f() end\nprint(g)\nf()\n"
    a = analysis("lua", text)
    with pytest.raises(navigation.RenameRefused, match="use of 'g' on line 2"):
        navigation.rename_spans(a, text.index("f()"), "g")


def test_rename_refuses_a_method_name_an_inherited_scope_would_give_a_global_use() -> None:
    text = ("program p;\nvar\n  HasKey: Boolean;\ntype\n  TPlace = class\n"
            "    constructor Create;\n  end;\n  TCastle = class(TPlace)\n"
            "    function Enter: Boolean;\n  end;\n"
            "constructor TPlace.Create;\nbegin\nend;\n"
            "function TCastle.Enter: Boolean;\nbegin\n  Result := HasKey\nend;\n"
            "begin\n  HasKey := False\nend.\n")
    a = analysis("turbopascal", text)
    with pytest.raises(navigation.RenameRefused, match="use of 'HasKey' on line 16"):
        navigation.rename_spans(a, text.index("Create;"), "HasKey")


def test_a_crlf_text_ending_in_a_line_comment_is_formatted_and_stays_formatted() -> None:
    for language_id, text in [("turbopascal", "program p;\r\nbegin\r\nend.\r\n// x"),
                              ("turbopascal", "program p;\r\nbegin\r\nend.\r\n\x1a\x1a"),
                              ("lua", "print(1)\r\n-- x"), ("qbasic", "PRINT 1\r\n' x")]:
        definition = bundled(language_id)
        formatted = format_text(parse(definition, text))
        assert formatted == text + "\r\n"
        assert format_text(parse(definition, formatted)) == formatted


def test_a_member_of_an_untyped_parameter_is_not_the_routines_local_of_that_name() -> None:
    # the node around `opts` is the routine: its last block (the `if`) is no type
    text = ("local M = {}\nfunction M.f(opts)\n  if opts then\n    local mode = opts.mode\n"
            "    return opts.mode, mode\n  end\nend\nreturn M\n")
    a = analysis("lua", text)
    for use in (text.index("opts.mode"), text.rindex("opts.mode")):
        assert navigation.definition(a, use + len("opts.")) is None
    spans = navigation.rename_spans(a, text.index("mode ="), "kind")
    assert len(spans) == 2 and all(text[s.start - 1] == " " for s in spans), spans


def test_every_span_a_rename_of_a_global_rewrites_goes_to_it() -> None:
    # the globals table read by name in a string is a use of the global: go-to-definition
    # on the string's text reaches the global that rename rewrites it with
    text = ('_port = rawget(_G, "_port") or false\nif _U then\n  _port = true\nend\n'
            'print(_G["_port"], _G._port)\n')
    a = analysis("lua", text)
    spans = navigation.rename_spans(a, 0, "port")
    assert len(spans) == 5
    for span in spans:
        found = navigation.definition(a, span.start)
        assert found is not None and found.start == 0, (span, found)
