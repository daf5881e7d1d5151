"""A grammar's statement lists analysed statement by statement (issue 19, item 4): the
nodes whose meaning is a block or a list of lines and nothing else (Turbo Pascal's main
block and its statements, QBasic's top-level WHILE) are split into items like the
keyword-level BLOCK (``item_walks.splits_of``). A keystroke walks and infers its
statement only; the answers equal a fresh analysis and the block analysed whole."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import DEFAULT_CACHES
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics import item_walks
from craftls.semantics.item_walks import ITEM_WALKS, Splits, splits_of
from craftls.semantics.resolve import resolve_names
from craftls.semantics.segments import item_nodes
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import ParsedFile, parse
from craftls.syntax.tree import GreenNode

from .conftest import served_by
from .test_item_walks import describe
from .test_segments import (  # small_segments: a fixture, segments of about two items
    everything,
    replayed_equals_fresh,
    small_segments,  # noqa: F401
)

# Turbo Pascal: a main block with nested lists (a compound, REPEAT, CASE arms), WITH
# (whose record's fields are names in its body), labels and GOTO, calls of the file's
# routines, and a unit-level variable used only there
TURBO_PASCAL = """program P;
label 10;
type
  Point = record X, Y: Integer end;
var
  T, I: Integer;
  R: Point;
  Unused: Integer;

function Twice(N: Integer): Integer;
begin
  Twice := N * 2
end;

procedure Show(N: Integer);
begin
  WriteLn(N)
end;

begin
  T := 0;
  I := Twice(1);
  begin
    T := T + I;
    begin
      I := I - 1
    end
  end;
  with R do
    X := T;
  repeat
    T := T div 2;
    I := I + 1
  until I > 3;
  case I of
    1: T := 1;
    2, 3: T := R.Y
  else
    T := 0
  end;
10:
  if T > 100 then
    goto 10;
  Show(Twice(T))
end.
"""

# QBasic: top-level IF, WHILE, FOR and WITH (blocks that split) around statements
QBASIC = """TYPE Point
  x AS INTEGER
  y AS INTEGER
END TYPE
DIM p AS Point
DIM total AS INTEGER
total = 0
i = 1
WHILE i < 10
  total = total + i * 3
  IF total > 100 THEN
    total = total MOD 100
    k = 2
  END IF
  FOR j = 1 TO 3
    total = total + j
  NEXT j
  i = i + 1
WEND
WITH p
  .x = total
END WITH
PRINT total, k
"""

FRAGMENTS = {
    "turbopascal": ["", "x", "7", " ", "\n", ";", "begin ", "end", "end;", ":=", "if T then ",
                    "else ", "(", ")", "'", "until ", "T := I;", "Twice(", "R.", "X", "with R do ",
                    "goto 10;", "Unused := 1;"],
    "qbasic": ["", "x", "7", " ", "\n", "WEND\n", "WHILE i < 3\n", "IF k THEN\n", "END IF\n",
               "total = ", "k = 1\n", "DIM q AS INTEGER\n", "q = q + 1\n", ".y", "(", ")",
               "\"", "NEXT j\n", "PRINT total\n"],
}
PROGRAMS = {"turbopascal": TURBO_PASCAL, "qbasic": QBASIC}
MAIN = {"turbopascal": "begin\n  T := 0;", "qbasic": "total = 0"}  # where the edits go

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@st.composite
def main_block_edits(draw: st.DrawFn) -> tuple[str, str, list[TextEdit]]:
    """One to six edits in the main block (or the script's statements), each replacing
    up to 12 characters with one of the language's fragments."""
    language_id = draw(st.sampled_from(sorted(PROGRAMS)))
    text = PROGRAMS[language_id]
    first = text.index(MAIN[language_id])
    edits = []
    length = len(text)
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(first, length))
        end = draw(st.integers(start, min(length, start + 12)))
        new = draw(st.sampled_from(FRAGMENTS[language_id]))
        edits.append(TextEdit(start, end, new))
        length += len(new) - (end - start)
    return language_id, text, edits


@pytest.mark.usefixtures("small_segments")
@SETTINGS
@given(case=main_block_edits())
def test_typing_in_a_main_block_analyses_as_from_scratch(
        case: tuple[str, str, list[TextEdit]]) -> None:
    """After each edit, the analysis that replays the unchanged statements (and
    segments of them) equals a fresh one: diagnostics, lookups by offset, symbols,
    references, scopes and types."""
    language_id, text, edits = case
    replayed_equals_fresh(parse(bundled(language_id), text), edits)


def _whole(parsed: ParsedFile, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    """``everything`` with a grammar's blocks analysed whole (one item each)."""
    with monkeypatch.context() as patch:
        patch.setattr(item_walks, "SPLIT_GRAMMAR_BLOCKS", False)
        ITEM_WALKS.clear()
        DEFAULT_CACHES.types.clear()
        try:
            return everything(parsed)
        finally:
            ITEM_WALKS.clear()
            DEFAULT_CACHES.types.clear()


@SETTINGS
@given(case=main_block_edits())
def test_a_main_block_split_into_statements_equals_the_block_whole(
        case: tuple[str, str, list[TextEdit]], monkeypatch: pytest.MonkeyPatch) -> None:
    language_id, text, edits = case
    parsed = parse(bundled(language_id), text)
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
    ITEM_WALKS.clear()
    DEFAULT_CACHES.types.clear()
    assert everything(parsed) == _whole(parsed, monkeypatch)


def _kinds(parsed: ParsedFile) -> list[str]:
    greens, _ = item_nodes(parsed.green, splits_of(parsed.definition))
    return [g.kind for g in greens]


def test_the_split_follows_the_grammar_annotations() -> None:
    """Blocks and lists of lines without other meaning split; a routine (a scope), the
    interface part (it exports), a record (a scope) do not; neither does a block holding
    an ``opens`` node (a record's fields are names after it)."""
    tp = splits_of(bundled("turbopascal"))
    assert {"main_block", "statements", "compound", "var_section"} <= tp.kinds
    assert not {"function_decl", "interface_section", "record_type", "if_stmt"} & tp.kinds
    # the keyword level's (whichever engine the bundled Pascal's file chooses)
    assert splits_of(served_by("pascal", "keywords")).kinds == \
        item_walks.SPLIT_KINDS | item_walks.GUARDED_KINDS
    kinds = _kinds(parse(bundled("turbopascal"), TURBO_PASCAL))
    assert "main_block" not in kinds and "statements" not in kinds and "compound" not in kinds
    assert kinds.count("function_decl") == 1 and "with_stmt" in kinds
    qbasic = _kinds(parse(bundled("qbasic"), QBASIC))
    assert not {"while_stmt", "if_stmt", "for_stmt", "with_stmt"} & set(qbasic)
    # a block holding a node that opens a scope for its siblings after it is one walk
    opens = Splits(frozenset({"blk"}), frozenset({"with_target"}))
    plain = GreenNode("blk", (GreenNode("stmt", ()), GreenNode("stmt", ())))
    assert opens.splits(plain)
    assert not opens.splits(GreenNode("blk", (GreenNode("with_target", ()),
                                              GreenNode("stmt", ()))))
    assert not opens.splits(GreenNode("blk", ()))  # nothing to split into


def _keystroke(definition: LanguageDefinition, text: str, needle: str) -> None:
    """Typing a digit after ``needle`` (and taking it back) walks and infers one item:
    the statement it changed, not the block around it."""
    parsed = parse(definition, text)
    first = analyze_with_types(parsed)
    at = text.index(needle) + len(needle)
    for typed in ("7", ""):
        parsed, _ = apply_edit(parsed, TextEdit(at, at + (0 if typed else 1), typed))
        misses, inferred = ITEM_WALKS.misses, DEFAULT_CACHES.types.inferred
        analysis = analyze_with_types(parsed)
        assert ITEM_WALKS.misses - misses == 1
        assert DEFAULT_CACHES.types.inferred - inferred <= 1  # taken back: the old result
        assert [d.code for d in analysis.diagnostics] == [d.code for d in first.diagnostics]


def test_a_keystroke_in_a_turbo_pascal_main_block_walks_its_statement_only() -> None:
    body = ";\n".join(f"  T := T + I * {i % 9 + 1};\n  if T > {1000 + i} then\n"
                      f"    T := T mod 1000" for i in range(300))
    text = f"program M;\nvar T, I: Integer;\nbegin\n  T := 0;\n{body}\nend.\n"
    _keystroke(bundled("turbopascal"), text, "T := T + I * 3")


# A block of statements whose declarations are visible from the next statement on
# (Lua's `local`): where its statements are items of their own, `local x = x` reads
# the outer x, as where the block is walked whole.
AFTER_STATEMENT = """name: Steps
lexical:
  case_sensitive: true
keywords:
  begin: begin
  end: end
  local: local
  show: show
grammar:
  start: file
  rules:
    file: "item*"
    item: "block / local_stmt / show_stmt"
    block:
      match: "'begin' steps 'end'"
      block: true
    steps:
      match: "item*"
      lines: true
    local_stmt: "'local' local_name '=' value"
    local_name:
      match: "IDENT"
      declares: variable
      visible: after_statement
    show_stmt: "'show' value"
    value:
      match: "IDENT / NUMBER"
"""


def test_a_split_block_keeps_declarations_visible_after_their_statement(
        monkeypatch: pytest.MonkeyPatch) -> None:
    definition, problems = load_definition_text(AFTER_STATEMENT)
    assert definition is not None, problems
    text = "local x = 1\nbegin\n  local x = x\n  show x\n  begin local y = x show y end\nend\n"
    parsed = parse(definition, text)
    assert not parsed.errors
    assert "block" in splits_of(definition).kinds
    ITEM_WALKS.clear()
    split = describe(resolve_names(parsed))
    with monkeypatch.context() as patch:
        patch.setattr(item_walks, "SPLIT_GRAMMAR_BLOCKS", False)
        ITEM_WALKS.clear()
        whole = describe(resolve_names(parsed))
    ITEM_WALKS.clear()
    assert split == whole
    model = resolve_names(parsed)
    inner = text.index("x = x") + len("x = ")
    read = model.reference_starting_at(inner)
    assert read is not None and read.symbol is not None
    assert read.symbol.start == text.index("x = 1")  # the outer x
    shown = model.reference_starting_at(text.index("show x") + len("show "))
    assert shown is not None and shown.symbol is not None
    assert shown.symbol.start == text.index("x = x")  # the inner one, from its end on
