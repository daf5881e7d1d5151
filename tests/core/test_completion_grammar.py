"""Completion on grammar-defined languages: the words the grammar accepts at the cursor
(``peg.words_expected_at``), in long blocks and in blocks still open, then the names."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from benchmarks.common import pascal_main_block, pascal_nested_main_block

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


def lua_function(statements: int) -> str:
    body = []
    for i in range(statements):
        body += [f"  total = total + t[{i % 9 + 1}] * n", f"  if total > {1000 + i} then",
                 "    total = total % 1000", "  elseif total < 0 then",
                 "    for k, v in pairs(t) do t[k] = v + 1 end", "  end"]
    return "local M = {}\nfunction M.run(t, n)\n  local total = 0\n" + "\n".join(body) + \
        "\n  return total\nend\nreturn M\n"


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
    "lua function": ("lua", lua_function(8)),
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
