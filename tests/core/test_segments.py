"""Segments (issue 19, item 4): runs of unchanged items replayed, and type-checked, at
once (``semantics/segments.py``). The answers equal an analysis from scratch, in the
keyword-level languages, in Lua (declarations visible from a point) and in Turbo Pascal
(WITH and object methods); a keystroke's work is per segment plus the edited item, not
per item of the file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.analysis import analyze_with_types
from craftls.features.caches import DEFAULT_CACHES
from craftls.language.catalog import bundled
from craftls.semantics.item_walks import ITEM_WALKS, ReplayedItem, splits_of
from craftls.semantics.resolve import resolve_names
from craftls.semantics.segments import (
    MAX_SEGMENT,
    SEGMENTS,
    SegmentCache,
    item_nodes,
    segment_bounds,
    used_outside_part,
)
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import ParsedFile, parse
from craftls.syntax.tree import GreenNode
from craftls.types.cache import TypeCache

from . import test_lang_lua as lua_tests
from . import test_lang_turbopascal as tp_tests
from .conftest import EXAMPLES, ROOT
from .test_incremental import draw_edits, edit_sequences
from .test_item_walks import describe, describe_lazily

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


@pytest.fixture
def small_segments() -> Iterator[None]:
    """About two items per segment, so that the samples have many."""
    bits = SEGMENTS.bits
    SEGMENTS.bits = 1
    ITEM_WALKS.clear()
    try:
        yield
    finally:
        SEGMENTS.bits = bits
        ITEM_WALKS.clear()


def everything(parsed: ParsedFile) -> tuple[Any, ...]:
    """Names, what a keystroke and the requests read, and types with diagnostics."""
    analysis = analyze_with_types(parsed)
    report = analysis.types
    types = ([(s.start, str(report.type_of_symbol(s))) for s in analysis.model.symbols]
             + [(t.offset, t.text) for t in report.inferred_variable_types()]
             + [(d.start, d.end, d.code, d.message) for d in report.diagnostics])
    return describe_lazily(parsed), describe(resolve_names(parsed)), types


def replayed_equals_fresh(parsed: ParsedFile, edits: list[TextEdit]) -> None:
    """After each edit, the analysis with the earlier snapshots' segments replayed equals
    one from scratch; the next edit replays this snapshot's segments."""
    analyze_with_types(parsed)
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
        replayed = everything(parsed)
        ITEM_WALKS.clear()
        DEFAULT_CACHES.types.clear()
        assert replayed == everything(parsed)
        analyze_with_types(parsed)


SHADOWING = "".join(f"local x = {i}\nprint(x)\nx = x + 1\nlocal function f{i}() return x end\n"
                    f"print(f{i}(), y)\n" for i in range(40))


BITS = st.integers(1, 4)  # segments of about 2 to 16 items, so that the samples have many


@SETTINGS
@given(case=edit_sequences(), bits=BITS)
def test_replayed_segments_equal_a_fresh_analysis(case: tuple[str, str, list[TextEdit]],
                                                  bits: int, small_segments: None) -> None:
    """Every bundled language's examples (the keyword-level ones, Lua, Turbo Pascal,
    QBasic) under random edits."""
    language_id, text, edits = case
    SEGMENTS.bits = bits
    replayed_equals_fresh(parse(bundled(language_id), text), edits)


@SETTINGS
@given(data=st.data(), bits=BITS)
def test_replayed_segments_keep_lua_positional_visibility(data: st.DataObject, bits: int,
                                                          small_segments: None) -> None:
    """Chains of one name's top-level ``local`` declarations, globals from functions and
    implicit self: a segment's references bind by position as a walk binds them."""
    SEGMENTS.bits = bits
    text = lua_tests.SEQUENTIAL + lua_tests.GLOBALS + lua_tests.METHODS + SHADOWING[:400]
    edits = draw_edits(data.draw, text, lua_tests.SCOPING_FRAGMENTS, 16)
    replayed_equals_fresh(parse(bundled("lua"), text), edits)


@SETTINGS
@given(case=tp_tests.edit_sequences(), bits=BITS)
def test_replayed_segments_keep_turbo_pascal_with_and_methods(case: tuple[str, list[TextEdit]],
                                                             bits: int,
                                                             small_segments: None) -> None:
    """WITH statements and method bodies read a type's members from scopes that
    replayed segments make."""
    SEGMENTS.bits = bits
    text, edits = case
    replayed_equals_fresh(parse(tp_tests.TP, text), edits)


@pytest.mark.parametrize("bits", [1, 3, 5])
def test_a_segment_binds_each_reference_to_the_declaration_visible_there(
        bits: int, small_segments: None) -> None:
    """One name declared again and again at the top level: each use is bound to the
    latest declaration before it, also when its segment (of about 2**bits items, so
    that one holds several declarations) is replayed."""
    SEGMENTS.bits = bits
    parsed = parse(bundled("lua"), SHADOWING)
    analyze_with_types(parsed)
    hits = SEGMENTS.hits
    at = SHADOWING.index("local x = 20")
    edited, _ = apply_edit(parsed, TextEdit(at + len("local x = "), at + len("local x = 20"),
                                            "7"))
    replayed = everything(edited)
    assert SEGMENTS.hits > hits  # the segments before and after the edit were replayed
    ITEM_WALKS.clear()
    DEFAULT_CACHES.types.clear()
    assert replayed == everything(edited)
    model = analyze_with_types(edited).model
    use = edited.text.index("print(x)", edited.text.index("local x = 31"))
    ref = model.reference_starting_at(use + len("print("))
    assert ref is not None and ref.symbol is not None
    assert ref.symbol.start == edited.text.index("x = 31")


def test_segment_bounds_depend_on_the_nodes_only() -> None:
    """An edit moves the boundaries around the edited item only."""
    text = lua_tests.SEQUENTIAL * 20
    parsed = parse(bundled("lua"), text)
    greens, _ = item_nodes(parsed.green)
    bounds = segment_bounds(greens)
    assert all(0 < end - first <= MAX_SEGMENT for first, end in bounds)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(greens)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    at = len(text) // 2
    at = text.index("\n", at) + 1
    edited, _ = apply_edit(parsed, TextEdit(at, at, "local extra = 1\n"))
    after, _ = item_nodes(edited.green)
    old = {tuple(map(id, greens[a:b])) for a, b in bounds}
    new = [tuple(map(id, after[a:b])) for a, b in segment_bounds(after)]
    kept = set(map(id, greens))
    made = [node for node in after if id(node) not in kept]
    # The edit makes a few items anew. A boundary is a hash of a node's identity and a run
    # between two is cut every MAX_SEGMENT items, so how many segments change is chance;
    # what holds: the changed ones are one stretch of neighbours holding the new items
    # (every segment before and after it is an old one).
    assert 1 <= len(made) <= 3
    changed = [index for index, segment in enumerate(new) if segment not in old]
    assert changed == list(range(changed[0], changed[-1] + 1))
    assert any(not kept.issuperset(new[index]) for index in changed)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), bits=st.integers(1, 5))
def test_bounds_after_a_change_equal_bounds_from_scratch(data: st.DataObject, bits: int
                                                         ) -> None:
    """``SegmentCache.bounds`` hashes only the nodes between the common first and last
    ones of the last list; the segments equal ``segment_bounds`` of the whole list, after
    edits anywhere (nodes replaced, added, dropped, a list of other nodes)."""
    pool = [GreenNode("ITEM", ()) for _ in range(400)]
    cache = SegmentCache()
    cache.bits = bits
    greens = data.draw(st.lists(st.sampled_from(pool), max_size=300))
    for _ in range(data.draw(st.integers(1, 6))):
        assert cache.bounds(greens) == segment_bounds(greens, bits)
        start = data.draw(st.integers(0, len(greens)))
        end = data.draw(st.integers(start, min(len(greens), start + 40)))
        new = data.draw(st.lists(st.sampled_from(pool), max_size=40))
        greens = greens[:start] + new + greens[end:]
    assert cache.bounds(greens) == segment_bounds(greens, bits)
    cache.bits = bits + 1  # other bits: nothing taken over
    assert cache.bounds(greens) == segment_bounds(greens, bits + 1)


def pascal_main_block(statements: int) -> str:
    body = "\n".join(f"  Total := Total + I * {i % 9 + 1};\n  IF Total > {1000 + i} THEN\n"
                     f"    Total := Total MOD 1000;" for i in range(statements))
    return (f"PROGRAM Main;\nVAR Total, I : INTEGER;\nFUNCTION F(A : INTEGER) : INTEGER;\n"
            f"BEGIN\n  F := A * 2\nEND;\nBEGIN\n  Total := 0;\n  I := F(1);\n{body}\n"
            f"  WriteLn(Total)\nEND.\n")


def teachlang_script(statements: int) -> str:
    body = "\n".join(f"total = total + i * {i % 9 + 1}\nwhen total > {1000 + i}:\n"
                     f"    total = total % 1000" for i in range(statements))
    return f"remember total = 0\nremember i = 1\n{body}\nshow(total)\n"


def basic_script(statements: int) -> str:
    body = "\n".join(f"total = total + i * {i % 9 + 1}\n"
                     f"IF total > {1000 + i} THEN total = total MOD 1000"
                     for i in range(statements))
    return f"DIM total AS INTEGER\nDIM i AS INTEGER\ntotal = 0\ni = 1\n{body}\nPRINT total\n"


def lua_script(statements: int) -> str:
    body = "\n".join(f"total = total + i * {i % 9 + 1}\n"
                     f"if total > {1000 + i} then total = total % 1000 end"
                     for i in range(statements))
    return f"local total = 0\nlocal i = 1\n{body}\nprint(total)\n"


SCRIPTS = {"pascal": pascal_main_block, "teachlang": teachlang_script,
           "basic": basic_script, "lua": lua_script,
           # the grammar-defined Turbo Pascal: its main block's statement list splits
           "turbopascal": pascal_main_block}


def segments_of(parsed: ParsedFile) -> list[list[GreenNode]]:
    """The file's items, cut into segments as the analysis cuts them."""
    greens, _ = item_nodes(parsed.green, splits_of(parsed.definition))
    return [greens[first:end] for first, end in segment_bounds(greens, SEGMENTS.bits)]


@pytest.mark.parametrize("language_id", sorted(SCRIPTS))
def test_a_keystroke_in_a_long_script_works_per_segment(
        language_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing a digit in the middle of 3,000 top-level (or main-block) statements: one
    walk, one inference, and otherwise work per segment. Were the unchanged items
    replayed (or their type results looked up) one by one again, the counts would be
    in the thousands."""
    text = SCRIPTS[language_id](1_500)
    parsed = parse(bundled(language_id), text)
    first = analyze_with_types(parsed)
    units = len(first.model.items)  # the first analysis walks every item: one per item
    assert units > 3_000
    at = text.index("+ I * 3" if "pascal" in language_id else "+ i * 3", len(text) // 2) + 6
    lookups: list[int] = []
    for_node = TypeCache.for_node

    def counted(self, green, context):
        lookups.append(1)
        return for_node(self, green, context)

    monkeypatch.setattr(TypeCache, "for_node", counted)
    types = DEFAULT_CACHES.types
    for typed in ("7", ""):  # type a digit, then take it back
        before = {tuple(map(id, nodes)) for nodes in segments_of(parsed)}
        parsed, _ = apply_edit(parsed, TextEdit(at, at + (0 if typed else 1), typed))
        after = segments_of(parsed)
        # the items of the segments this edit made: the edited one, and a neighbour
        # where the edit moved a boundary. Boundaries come from the nodes' identities,
        # so how many items that is varies from run to run (usually under 2 x 32; at
        # most a few times MAX_SEGMENT when a removed boundary shifts forced splits)
        cut_again = sum(len(nodes) for nodes in after if tuple(map(id, nodes)) not in before)
        assert cut_again <= 4 * MAX_SEGMENT
        misses, inferred = ITEM_WALKS.misses, types.inferred
        lookups.clear()
        analysis = analyze_with_types(parsed)
        assert ITEM_WALKS.misses - misses == 1
        assert types.inferred - inferred <= 1  # taken back: the old text's result
        items = analysis.model.items
        # the new segments' items one by one, every other segment as one item (a
        # segment of one item is that item's own template)
        assert len(items) < units // 8
        alone = sum(len(nodes) == 1 for nodes in after)
        assert sum(not isinstance(i, ReplayedItem) or i.template.parts is None
                   for i in items) <= cut_again + alone
        assert len(lookups) <= cut_again + len(after)
        assert [d.code for d in analysis.diagnostics] == [d.code for d in first.diagnostics]


def cut_at(monkeypatch: pytest.MonkeyPatch, cuts: list[int]) -> None:
    """Segments that end after the items ``cuts`` (indexes of the file's items), not
    where the nodes' identities hash to (those change from run to run). No nodes count
    as the edit's own, so every segment of more than one item is merged."""

    def bounds_and_change(self: SegmentCache, greens: list[GreenNode]
                          ) -> tuple[list[tuple[int, int]], tuple[int, int]]:
        ends = [*(c for c in cuts if 0 < c < len(greens)), len(greens)]
        return list(zip([0, *ends[:-1]], ends, strict=True)), (0, 0)

    monkeypatch.setattr(SegmentCache, "bounds_and_change", bounds_and_change)


# ``q`` is inferred from ``p`` and ``p`` from ``q``: a dependency cycle, cut where the
# check first comes back to a unit it is inferring (that one sees the other as unknown).
# From scratch ``p`` is inferred first: ``q = p + 1`` sees ``p`` as unknown.
CYCLE = """variable r = 0
variable p = longitud(q)
variable a = 1
variable q = p + 1
variable b = 2
escribir(r)
"""


@pytest.mark.parametrize("cuts", [[2], [1, 3], [2, 4], [4], [3], [1]])
def test_a_dependency_cycle_is_cut_where_a_fresh_check_cuts_it(
        cuts: list[int], monkeypatch: pytest.MonkeyPatch, small_segments: None) -> None:
    """A replayed segment's dependencies outside it are inferred before its own units;
    were they inferred then in that order, a cycle through the segment (``p`` in the
    first segment, ``q`` outside it) would be cut at ``q`` instead of ``p``, and ``q``
    would be ``int`` where an analysis from scratch says unknown. Which items share a
    segment comes from the nodes' identities, so under random edits this shows now and
    then only; here the cuts are fixed."""
    cut_at(monkeypatch, cuts)
    at = CYCLE.index("b = 2") + len("b = ")
    replayed_equals_fresh(parse(bundled("espanol"), CYCLE), [TextEdit(at, at + 1, "3")])


def test_a_parameter_deleted_in_textos_esp_makes_a_cycle_cut_as_from_scratch(
        monkeypatch: pytest.MonkeyPatch, small_segments: None) -> None:
    """The failure seen on ``examples/espanol/textos.esp``: deleting ``frase: Texto``
    (12 characters) from ``primera_eñe`` binds its body's ``frase`` to the loop
    ``para frase en frases`` below, which calls ``primera_eñe``: a cycle. From scratch
    ``primera_eñe`` comes first and the loop sees it as unknown (``posición_eñe``:
    unknown). After a second edit, with ``primera_eñe`` in a replayed segment (items 4
    and 5) and the loop outside it, the loop was inferred first and ``posición_eñe``
    became ``int``."""
    cut_at(monkeypatch, [4, 6])
    text = (EXAMPLES / "espanol" / "textos.esp").read_text(encoding="utf-8")
    at = text.index("primera_eñe(frase: Texto)") + len("primera_eñe(")
    deleted = TextEdit(at, at + len("frase: Texto"), "")
    end = text.index("Barra invertida") - len("frase: Texto")
    replayed_equals_fresh(parse(bundled("espanol"), text),
                          [deleted, TextEdit(end, end + 5, "x")])


def _segment_holding(parsed: ParsedFile, offset: int) -> tuple[list[GreenNode], list[int]]:
    """The nodes and offsets of the segment whose items hold ``offset``."""
    greens, offsets = item_nodes(parsed.green)
    for first, end in segment_bounds(greens, SEGMENTS.bits):
        if offsets[first] <= offset < offsets[end - 1] + greens[end - 1].width:
            return greens[first:end], offsets[first:end]
    raise LookupError(offset)


def test_the_segment_a_keystroke_made_is_merged_only_once_the_typing_moves_on() -> None:
    """Typing goes on in the statement it changed, so the segment holding the node the
    edit made is not merged (the next keystroke would make that node again); once an
    edit elsewhere leaves its nodes as they were, it is merged, and replayed at once."""
    definition = bundled("basic")
    text = basic_script(1_500)
    parsed = parse(definition, text)
    analyze_with_types(parsed)
    there = text.index("+ i * 3", 2 * len(text) // 3) + 6
    after = len(text) // 3
    while True:  # a statement whose new node is not a segment alone (one in ~1,000)
        here = text.index("+ i * 3", after) + 6
        parsed, _ = apply_edit(parsed, TextEdit(here, here, "7"))
        analyze_with_types(parsed)
        nodes, offsets = _segment_holding(parsed, here)
        if len(nodes) > 1:
            break
        parsed, _ = apply_edit(parsed, TextEdit(here, here + 1, ""))
        after = here
    assert SEGMENTS.get(nodes, offsets, definition) is None
    parsed, _ = apply_edit(parsed, TextEdit(there, there, "7"))
    analyze_with_types(parsed)
    assert SEGMENTS.get(nodes, offsets, definition) is not None
    parsed, _ = apply_edit(parsed, TextEdit(there, there + 1, ""))
    analysis = analyze_with_types(parsed)
    start = parsed.root.start + offsets[0]
    replayed = next(i for i in analysis.model.items if i.start == start)
    assert isinstance(replayed, ReplayedItem) and replayed.template.parts is not None
    assert len(replayed.template.parts) == len(nodes)


def test_a_unit_that_starts_where_an_empty_error_item_does_names_what_it_uses() -> None:
    """`WHILE S DO T := T + +` leaves a zero-width error item where the next WHILE starts.
    Replayed as one segment, that WHILE's part is the one with its own extent: its uses of
    `P` and `T` (declared outside it) key its type results. The empty part answered for
    it, so its result was kept under no dependencies and came back after `VAR` was
    deleted (found by test_loop_split's differential in CI). Since the keyword-level
    parser reports the missing operand inside the first WHILE (one error per mistake),
    no empty part is left; the WHILE's own part must still name what it uses."""
    text = ("PROGRAM L;\nVAR T, K : INTEGER;\n  S : STRING;\n  P : ^INTEGER;\nBEGIN\n"
            "  WHILE S DO T := T + +\n  WHILE P <> NIL DO\n  BEGIN\n 7P := NIL;\n"
            "    T := 0\n  END;\n  WriteLn(S, K)\nEND.\n")
    parsed = parse(bundled("pascal"), text)
    bits = SEGMENTS.bits
    SEGMENTS.bits = 40  # no boundary (they fall by hashed node identity): one segment
    ITEM_WALKS.clear()
    try:
        analyze_with_types(parsed)  # records the templates the next walk replays
        model = analyze_with_types(parsed).model
    finally:
        SEGMENTS.bits = bits
    start = text.index("WHILE P")
    end = text.index("END;\n  WriteLn") + len("END;")  # the statement with its `;`
    [segment] = [item for item in model.items_between(start, end)
                 if isinstance(item, ReplayedItem)]
    parts = segment.template.parts  # one merged segment: the WHILE's part has its extent
    rel = start - segment.base
    assert parts is not None and any(a == rel and b > rel for a, b, _ in parts)
    assert (rel, rel, []) not in parts
    assert {s.name for s in used_outside_part(segment, start, end)} == {"P", "T"}
    ITEM_WALKS.clear()


def test_a_units_name_takes_no_type_from_the_steps_after_it(small_segments: None) -> None:
    """`;ximplementation` joins a unit's heading to what follows; the unit's name is a
    module, which has no type, and its item must not read the steps after it (a replayed
    walk of the item does not see them: it gave None where a fresh one gave the whole
    interface section as the name's type)."""
    text = (ROOT / "tests" / "fixtures" / "turbopascal" / "units.pp").read_text(encoding="utf-8")
    at = text.index("\n\nimplementation")
    replayed_equals_fresh(parse(tp_tests.TP, text), [TextEdit(at, at + 2, "x")])
