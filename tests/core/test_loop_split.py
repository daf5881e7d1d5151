"""A top-level loop analysed statement by statement (issue 19, item 4): its condition and
its body's statements are items (``item_walks.Splits.guarded``), unless the condition
may narrow a type; the answers equal those of the loop analysed whole."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import DEFAULT_CACHES
from craftls.language.catalog import bundled
from craftls.semantics import item_walks
from craftls.semantics.item_walks import ITEM_WALKS, splits_of
from craftls.semantics.resolve import resolve_names
from craftls.semantics.segments import item_nodes
from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

from .test_incremental import program_edits
from .test_item_walks import _types, describe, describe_lazily
from .test_segments import replayed_equals_fresh


def big_while(statements: int) -> str:
    body = "".join(f"  t = t + i * {i % 9 + 1}\n  IF t > {1000 + i} THEN t = t MOD 1000\n"
                   for i in range(statements // 2))
    return f"DIM t AS INTEGER\nDIM i AS INTEGER\nWHILE i < 10\n{body}  i = i + 1\nWEND\n" \
           "PRINT t\n"


def _kinds(text: str, language_id: str = "basic") -> list[str]:
    parsed = parse(bundled(language_id), text)
    greens, _ = item_nodes(parsed.green, splits_of(parsed.definition))
    return [g.kind for g in greens]


def _items(text: str, language_id: str = "basic") -> list[str]:
    """The text of each item (without the separator after it), whichever engine serves
    the language: the keyword level's kinds and a template's rules name the same
    statements differently, their items cover the same text."""
    parsed = parse(bundled(language_id), text)
    greens, offsets = item_nodes(parsed.green, splits_of(parsed.definition))
    return [text[at:at + g.width].strip().rstrip(";").strip()
            for g, at in zip(greens, offsets, strict=True)]


def _whole_loops(text: str, language_id: str = "basic") -> list[str]:
    """The items that are a whole loop (its word and what follows it)."""
    return [item for item in _items(text, language_id) if item.upper().startswith("WHILE ")]


def test_a_loop_s_condition_and_body_statements_are_items() -> None:
    assert _items("DIM t AS INTEGER\nWHILE t < 3\n  t = t + 1\n  PRINT t\nWEND\n") == [
        "DIM t AS INTEGER", "t < 3", "t = t + 1", "PRINT t"]
    # in a main block, the body a compound statement or one statement (before them the
    # header and the declarations, after them the program's end: items as the engine's
    # tree has them)
    main = "PROGRAM P;\nVAR T : INTEGER;\nBEGIN\n  WHILE T < 3 DO\n  BEGIN\n    T := T + 1;\n" \
           "    WriteLn(T)\n  END;\n  WHILE (T > 0) DO T := T - 1\nEND.\n"
    items = _items(main, "pascal")
    assert items[:1] == ["PROGRAM P"] and items[1].endswith("T : INTEGER")
    assert items[2:7] == ["T < 3", "T := T + 1", "WriteLn(T)", "(T > 0)", "T := T - 1"]
    assert items[7:] in ([], ["."])


def test_a_condition_that_may_narrow_keeps_the_loop_one_item() -> None:
    main = "PROGRAM P;\nVAR Q : INTEGER;\nBEGIN\n  WHILE NOT (Q <> NIL) DO\n  BEGIN\n" \
           "    Q := 1\n  END\nEND.\n"
    assert _whole_loops(main, "pascal") == ["WHILE NOT (Q <> NIL) DO\n  BEGIN\n    Q := 1\n  END"]
    assert _whole_loops("PROGRAM P;\nBEGIN\n  WHILE NIL DO\nEND.\n", "pascal") == ["WHILE NIL DO"]


def test_a_loop_that_may_declare_a_name_is_one_item() -> None:
    """An undeclared name's type is widened by the later assignments of its own unit:
    ``n`` is an integer after the loop analysed whole, so the loop is not split."""
    text = "WHILE 1 < 2\n  DIM n\n  n = 1\nWEND\nPRINT n\n"
    assert _whole_loops(text) == ["WHILE 1 < 2\n  DIM n\n  n = 1\nWEND"]
    analysis = analyze_with_types(parse(bundled("basic"), text))
    assert [str(analysis.types.type_of_symbol(s)) for s in analysis.model.symbols] == ["int"]


def test_every_kind_name_resolution_declares_at_keeps_a_loop_whole() -> None:
    from craftls.semantics.resolve import _HANDLERS
    walking = {K.ASSIGN_STMT, K.MEMBER_EXPR, K.CALL_EXPR, K.NAME_REF, K.TYPE_REF}
    assert set(_HANDLERS) - walking == item_walks.DECLARING_KINDS


def test_a_split_loop_s_condition_is_still_checked_as_a_condition() -> None:
    text = 'DIM t AS INTEGER\nWHILE "yes"\n  t = t + 1\nWEND\n'
    assert _items(text) == ["DIM t AS INTEGER", '"yes"', "t = t + 1"]
    codes = [d.code for d in analyze_with_types(parse(bundled("basic"), text)).diagnostics]
    assert codes == ["condition-type"]
    # the same expression as a statement of its own is no condition
    codes = [d.code for d in analyze_with_types(parse(bundled("basic"), 'PRINT "yes"\n'))
             .diagnostics]
    assert "condition-type" not in codes


def test_a_keystroke_in_a_long_loop_body_walks_and_infers_only_its_statement_again() -> None:
    definition = bundled("basic")
    text = big_while(600)
    parsed = parse(definition, text)
    first = analyze_with_types(parsed)
    target = text.index("t = t + i * 4\n  IF t > 1156 ") + len("t = t + i * ")
    edited, stats = apply_edit(parsed, TextEdit(target, target + 1, "7000"))
    assert stats.strategy == "item"
    misses, inferred = ITEM_WALKS.misses, DEFAULT_CACHES.types.inferred
    second = analyze_with_types(edited)
    assert ITEM_WALKS.misses - misses == 1
    assert DEFAULT_CACHES.types.inferred - inferred == 1
    assert [d.code for d in second.diagnostics] == [d.code for d in first.diagnostics]
    unit = second.types._unit(target)  # what was inferred again: the statement alone
    assert unit is not None and text[unit[0]:unit[1]].startswith("t = t + i * ")
    assert unit[1] - unit[0] < 30


def test_a_name_ending_where_items_of_no_width_start_is_found_there() -> None:
    """``T := T WHILE + K;`` in a loop body: a loop whose condition is ``+ K`` and two
    errors of no width after it, each an item; the end of ``K`` still finds ``K``
    (found by the differential below)."""
    text = "PROGRAM L;\nVAR T, K : INTEGER;\nBEGIN\n  WHILE T < 10 DO\n  BEGIN\n" \
           "    T := T WHILE + K;\n    K := 1\n  END\nEND.\n"
    parsed = parse(bundled("pascal"), text)
    assert _kinds(text, "pascal").count(K.ERROR) >= 2
    assert "+ K" in _items(text, "pascal")  # the inner loop split too: its condition
    model = analyze_with_types(parsed).model
    end_of_k = text.index("+ K;") + 3
    found = model.at(end_of_k)
    assert found is not None and found.name == "K" and found.end == end_of_k


# Top-level loops with declarations and uses in their bodies, conditions of the wrong
# type, conditions that may narrow, loops in loops, and statements after them.
LOOP_PROGRAMS = {
    "basic": "DIM t AS INTEGER\nDIM s AS STRING\nDIM k AS INTEGER\nWHILE t < 10\n"
             "  k = t * 2\n  t = t + k\n  WHILE k > 0\n    k = k - 1\n    s = s + \"x\"\n"
             "  WEND\n  IF t > 3 THEN t = t MOD 7\nWEND\nWHILE s\n  DIM n\n  n = 1\n"
             "  n = \"a\"\n  PRINT k + t + n\nWEND\nPRINT s, k\n",
    "pascal": "PROGRAM L;\nVAR T, K : INTEGER;\n  S : STRING;\n  P : ^INTEGER;\nBEGIN\n"
              "  WHILE T < 10 DO\n  BEGIN\n    K := T * 2;\n    T := T + K;\n"
              "    WHILE K > 0 DO K := K - 1;\n    S := S + 'x'\n  END;\n"
              "  WHILE S DO T := T + 1;\n  WHILE P <> NIL DO\n  BEGIN\n    P := NIL;\n"
              "    T := 0\n  END;\n  WriteLn(S, K)\nEND.\n",
}
LOOP_FRAGMENTS = ["", "7", "+", " ", "\n", "k", "t", '"', "'", "(", ")", "WEND\n", "WHILE ",
                  "DIM x AS INTEGER\n", "x = 1\n", "x := 1;", "NIL", "nothing", "<>", " DO ",
                  "BEGIN ", "END;", ";", "\"a\"", "IF "]


def _everything(parsed: Any) -> tuple[Any, ...]:
    return describe_lazily(parsed), describe(resolve_names(parsed)), _types(parsed)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=program_edits(LOOP_PROGRAMS, LOOP_FRAGMENTS))
def test_loops_analysed_statement_by_statement_equal_loops_analysed_whole(
        case: tuple[str, str, list[TextEdit]], monkeypatch) -> None:
    """After each edit the analysis replayed from the earlier snapshots' equals one from
    scratch; after the last, the analysis (diagnostics, names, lookups, types) equals
    one with loops kept whole."""
    language_id, text, edits = case
    parsed = parse(bundled(language_id), text)
    replayed_equals_fresh(parsed, edits)
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
    split = _everything(parsed)
    with monkeypatch.context() as patch:
        patch.setattr(item_walks, "SPLIT_GUARDED", False)
        ITEM_WALKS.clear()
        DEFAULT_CACHES.types.clear()
        whole = _everything(parsed)
    ITEM_WALKS.clear()
    DEFAULT_CACHES.types.clear()
    assert split == whole
