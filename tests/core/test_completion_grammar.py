"""Completion: the words a grammar accepts at the cursor (``peg.words_expected_at``), in
long blocks and in blocks still open; members after a dot; types after a declaration's
type annotation."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from benchmarks.common import lua_long_function, pascal_main_block, pascal_nested_main_block

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse
from craftls.syntax.peg import words_expected_at

GRAMMARS = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"


@cache
def templecode() -> LanguageDefinition:
    text = (GRAMMARS / "templecode.yaml").read_text(encoding="utf-8")
    definition, problems = load_definition_text(text)
    assert definition is not None, problems
    return definition


def labels(analysis: FileAnalysis, offset: int) -> list[str]:
    return [c.label for c in complete(analysis, offset)[0]]


def qbasic_sub(statements: int) -> str:
    body = []
    for i in range(statements):
        body += [f"  total = total + n * {i % 9 + 1}", f"  IF total > {1000 + i} THEN",
                 "    total = total MOD 1000", "  ELSE", "    PRINT total", "  END IF"]
    return "DECLARE SUB Work (n AS INTEGER)\nSUB Work (n AS INTEGER)\n  DIM total AS LONG\n" + \
        "\n".join(body) + "\nEND SUB\nWork 3\n"


LONG_BLOCKS = {
    "pascal main block": ("turbopascal", pascal_main_block(150, 90)),
    "pascal nested blocks": ("turbopascal", pascal_nested_main_block(150, 90, 30)),
    "lua function": ("lua", lua_long_function(8)),
    "qbasic sub": ("qbasic", qbasic_sub(8)),
}


@pytest.mark.parametrize("name", sorted(LONG_BLOCKS))
def test_words_from_the_old_items_before_the_cursor_are_those_of_a_full_parse(name: str
                                                                               ) -> None:
    """The items of a long block that end before the cursor are taken from the tree
    (``KnownItems``) instead of parsed again: at every cursor position (each word's
    start and end, each line's start, after each '.', ':', '(' and ','), the words are
    those of parsing every item again."""
    language_id, text = LONG_BLOCKS[name]
    definition = bundled(language_id)
    root = parse(definition, text).root
    places = sorted({m.start() for m in re.finditer(r"\b\w|[.:(,]|^", text, re.M)}
                    | {m.end() for m in re.finditer(r"\w\b|[.:(,]", text)})
    for offset in places[::5]:
        assert words_expected_at(definition, root, offset) == \
            words_expected_at(definition, root, offset, reuse=False), (offset, text[:offset][-60:])


def test_a_block_not_closed_yet_is_offered_its_closing_word_on_the_next_line() -> None:
    """A newline-separated grammar (TempleCode's ``'REPEAT' expr statement+ 'END'``): on the
    line after a block's last statement, the block goes on (a statement or its closer),
    whether or not the closer is written below yet."""
    for opener, closers in (("REPEAT 4", {"END"}), ("WHILE x < 3", {"WEND"}),
                            ("FOR i = 1 TO 3", {"NEXT"}),
                            ("IF x > 1 THEN", {"ENDIF", "ELSE", "ELSEIF"})):
        for after in ("", "\n", "  \n"):
            text = f"{opener}\n  FORWARD 10\n  " + after
            offset = len(text) - len(after)
            offered = labels(analyze_with_types(parse(templecode(), text)), offset)
            assert closers <= set(offered), (text, offered)
            assert {"SAY", "REPEAT", "FORWARD"} <= set(offered)
    # a closed block: the next line starts a statement (or the program's END)
    closed = "REPEAT 4\n  FORWARD 10\nEND\n"
    offered = labels(analyze_with_types(parse(templecode(), closed)), len(closed))
    assert "SAY" in offered and not {"WEND", "NEXT", "ENDIF"} & set(offered)


def completed(language_id: str, marked: str) -> list[tuple[str, str]]:
    """(label, kind) offered at the ``|`` of ``marked``."""
    offset = marked.index("|")
    text = marked.replace("|", "")
    analysis = analyze_with_types(parse(bundled(language_id), text))
    return [(c.label, c.kind) for c in complete(analysis, offset)[0]]


def test_after_a_dot_on_a_line_of_its_own_the_declared_type_s_fields() -> None:
    """``p.`` alone on a line is an error the parse holds as bare tokens: the receiver is
    the name in scope there, and its declared type's fields are offered."""
    types = "TYPE Pt\n  x AS INTEGER\n  y AS INTEGER\nEND TYPE\n"
    assert completed("qbasic", types + "DIM p AS Pt\np.|\n") == [("x", "field"), ("y", "field")]
    inside = types + "SUB Show\n  DIM q AS Pt\n  IF 1 THEN\n    q.|\n  END IF\nEND SUB\n"
    assert completed("qbasic", inside) == [("x", "field"), ("y", "field")]


def test_after_a_dot_a_table_s_fields_from_its_constructor_and_its_uses() -> None:
    """A Lua table has no declared type: its fields are the keys of the constructor it is
    declared with (not those of a table nested in it) and the members written after it
    elsewhere in the file, in the order they come; the one being typed is not one."""
    text = "local t = {alpha = 1, beta = {g = 2}}\nt.gamma = 3\nprint(t.|)\nt.delta = 4\n" \
        "local u = {}\nu.other = 1\n"
    assert completed("lua", text) == [("alpha", "field"), ("beta", "field"),
                                      ("gamma", "field"), ("delta", "field")]
    assert completed("lua", "local t = {alpha = 1}\nt.al|\n") == [("alpha", "field")]
    parameter = "local function f(opts)\n  opts.size = 1\n  return opts.|\nend\n"
    assert completed("lua", parameter) == [("size", "field")]
    # a library table keeps its own functions
    assert ("upper", "function") in completed("lua", "print(string.|)\n")


def test_after_a_declaration_s_type_annotation_only_types_in_keyword_level_languages() -> None:
    """``VAR n : |``, ``DIM n AS |``, a parameter's type: the file's types, the
    definition's own types and the words a type starts with; not statement keywords,
    variables or functions. Where the same symbol is no type annotation (a CASE label,
    a write format, ``OPEN ... AS``) the names are offered as before."""
    record = "PROGRAM P;\nTYPE TPoint = RECORD X, Y : INTEGER; END;\n"
    offered = completed("pascal", record + "VAR N : |\nBEGIN\nEND.\n")
    assert offered == [("TPoint", "type"), ("INTEGER", "type"), ("REAL", "type"),
                       ("BOOLEAN", "type"), ("STRING", "type"), ("CHAR", "type"),
                       ("ARRAY", "keyword"), ("RECORD", "keyword")]
    assert completed("pascal", record + "VAR N : TP|\nBEGIN\nEND.\n") == [("TPoint", "type")]
    parameter = record + "PROCEDURE Q(A : |);\nBEGIN\nEND;\nBEGIN\nEND.\n"
    assert completed("pascal", parameter)[0] == ("TPoint", "type")
    assert completed("basic", "FUNCTION F(a AS |)\nEND FUNCTION\n")[0] == ("INTEGER", "type")
    assert {label for label, _ in completed("basic", "DIM n AS |\n")} == \
        {"INTEGER", "LONG", "DOUBLE", "SINGLE", "STRING", "BOOLEAN", "LIST"}
    assert ("int", "type") in completed("curly", "let n: |\n")
    case_label = "PROGRAM P;\nVAR N : INTEGER;\nBEGIN\n  CASE N OF 1: |\nEND.\n"
    assert ("N", "variable") in completed("pascal", case_label)
    # (a function: the names, not only types; the keyword level also reads `FOR INPUT` as
    # a loop declaring a variable INPUT, a template as no loop)
    assert ("ABS", "function") in completed("basic", 'OPEN "f" FOR INPUT AS |\n')


def test_after_a_type_annotation_in_a_grammar_only_the_grammar_s_words_and_types() -> None:
    """A grammar-defined language: where a name typed at the cursor would be in a node
    annotated ``type``, the grammar's words there come first, then only the file's types
    and the definition's own (no variables or functions); elsewhere the names stay."""
    record = "program P;\ntype TPoint = record X, Y: Integer; end;\n"
    offered = completed("turbopascal", record + "var N: |\nbegin\nend.\n")
    names = [item for item in offered if item[1] != "keyword"]
    assert names[:3] == [("TPoint", "type"), ("INTEGER", "type"), ("SHORTINT", "type")]
    assert {kind for _, kind in names} == {"type"}
    assert ("record", "keyword") in offered
    parameter = completed("turbopascal", record + "procedure Q(A: |);\nbegin\nend;\nbegin\nend.\n")
    assert {kind for _, kind in parameter if kind != "keyword"} == {"type"}
    case_label = "program P;\nvar N: Integer;\nbegin\n  case N of 1: |\nend.\n"
    assert ("N", "variable") in completed("turbopascal", case_label)
    dim = completed("qbasic", "TYPE Pt\n  x AS INTEGER\nEND TYPE\nDIM p AS |\n")
    assert [item for item in dim if item[1] != "keyword"] == [("Pt", "type")]
    assert ("INTEGER", "keyword") in dim
