"""Name resolution replayed from earlier snapshots equals a walk from scratch."""

from __future__ import annotations

import gc
import re
import weakref
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.item_walks import ITEM_WALKS, ReplayedItem, splits_of
from craftls.semantics.model import SemanticModel
from craftls.semantics.resolve import DECLARING_KEYWORDS, resolve_names
from craftls.semantics.segments import item_nodes
from craftls.syntax import kinds as K
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

from .conftest import with_engine
from .test_incremental import draw_edits, edit_sequences


def describe(model: SemanticModel) -> list[tuple[Any, ...]]:
    """Everything a feature can read from a model, with identities turned into positions."""
    def scope_of(scope):
        return None if scope is None else (scope.kind, scope.start, scope.end)
    out: list[tuple[Any, ...]] = []
    for s in model.symbols:
        out.append(("symbol", s.name, s.kind, s.start, s.end, s.decl_start, s.decl_end,
                    scope_of(s.scope), s.type_text, s.result_text, s.reads, s.writes,
                    tuple(p.start for p in s.params), s.visible_from,
                    s.shadowed.start if s.shadowed is not None else None))
    for r in model.references:
        out.append(("ref", r.name, r.start, r.end, r.symbol.start if r.symbol else None,
                    r.builtin, r.is_write, r.is_type, scope_of(r.scope)))

    def scopes(scope, depth=0):
        yield ("scope", depth, scope_of(scope), scope.owner.start if scope.owner else None,
               tuple(sorted((k, v.start) for k, v in scope.symbols.items())))
        for child in scope.children:
            yield from scopes(child, depth + 1)
    out.extend(scopes(model.root_scope))
    return out


def program_end(definition: LanguageDefinition) -> int:
    """1 where the end of a program (Pascal's `END.`) is an item of its own: the keyword
    level's ``PROGRAM_END`` node; a template's main block holds it as tokens (0)."""
    parsed = parse(definition, "PROGRAM P;\nBEGIN\n  X := 1\nEND.\n")
    greens, _ = item_nodes(parsed.green, splits_of(definition))
    return int(greens[-1].kind == K.PROGRAM_END)


def without_declaring_keywords(language_id: str) -> LanguageDefinition:
    """A bundled language without its declaring keywords (its assignments declare),
    served by the engine that serves it: loaded from its text so that a template is
    written from the keywords it has."""
    engine = bundled(language_id).structure.engine
    text = with_engine(language_id, engine)
    for concept in DECLARING_KEYWORDS:
        text = re.sub(rf"(?m)^  {concept}:.*\n", "", text)
    definition, problems = load_definition_text(text, language_id)
    assert definition is not None and problems == [], problems
    assert not any(definition.has(concept) for concept in DECLARING_KEYWORDS)
    return definition


def fresh_model(parsed):
    ITEM_WALKS.clear()
    return resolve_names(parsed)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edit_sequences())
def test_replayed_resolution_equals_a_fresh_walk(case: tuple[str, str, list[TextEdit]]) -> None:
    language_id, text, edits = case
    definition = bundled(language_id)
    parsed = parse(definition, text)
    resolve_names(parsed)  # fills the cache with the walks of the original items
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
        replayed = resolve_names(parsed)
        assert describe(replayed) == describe(fresh_model(parsed))


def describe_lazily(parsed) -> tuple[Any, ...]:
    """What a keystroke reads (the file's diagnostics, with types) and then what requests
    read by offset, from a model whose replayed items have not been made yet."""
    analysis = analyze_with_types(parsed)
    model = analysis.model
    diagnostics = [(d.start, d.end, d.code, d.message) for d in analysis.diagnostics]

    def looked_up(item):
        return None if item is None else (type(item).__name__, item.name, item.start)
    offsets = range(0, len(parsed.text) + 1, 5)
    lookups = [(looked_up(model.at(o)), looked_up(model.reference_starting_at(o)),
                looked_up(model.symbol_starting_at(o)),
                [s.name for s in model.visible_symbols(o)]) for o in offsets]
    return diagnostics, lookups


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edit_sequences())
def test_lazily_made_answers_equal_a_fresh_walk(case: tuple[str, str, list[TextEdit]]) -> None:
    language_id, text, edits = case
    parsed = parse(bundled(language_id), text)
    analyze_with_types(parsed)
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
        replayed = describe_lazily(parsed)
        ITEM_WALKS.clear()
        assert replayed == describe_lazily(parsed)


def many_functions(count: int, variables: str, statement: Callable[[int], str],
                   main: str) -> str:
    """A Pascal program of ``count`` one-statement functions F0, F1, ..."""
    functions = "\n".join(
        f"FUNCTION F{i}(A : INTEGER) : INTEGER;\nVAR {variables} : INTEGER;\nBEGIN\n"
        f"  {statement(i)};\n  F{i} := T\nEND;\n" for i in range(count))
    return f"PROGRAM Big;\n{functions}\nBEGIN\n  {main}\nEND.\n"


def test_a_keystroke_makes_the_objects_of_the_edited_item_only() -> None:
    definition = bundled("pascal")
    text = many_functions(200, "T, U", lambda i: f"T := A + F{max(i - 1, 0)}(1)",
                          "WriteLn(F1(2), Nope)")
    parsed = parse(definition, text)
    analyze_with_types(parsed)
    target = text.index("T := A + F99") + len("T := A + ")
    edited, _ = apply_edit(parsed, TextEdit(target, target, "1 + "))
    analysis = analyze_with_types(edited)
    codes = sorted({d.code for d in analysis.diagnostics})
    assert codes == ["undefined-name", "unused-variable"]
    assert len([d for d in analysis.diagnostics if d.code == "unused-variable"]) == 200
    made = [item for item in analysis.model.items
            if isinstance(item, ReplayedItem) and item._complete]
    assert made == []
    assert sum(not isinstance(item, ReplayedItem) for item in analysis.model.items) == 1


def test_an_edit_in_one_function_walks_only_that_function_again() -> None:
    definition = bundled("pascal")
    text = many_functions(200, "T", lambda i: f"T := A + {i}", "WriteLn(F1(2))")
    parsed = parse(definition, text)
    resolve_names(parsed)
    target = text.index("T := A + 100;") + len("T := A + 10")
    edited, _ = apply_edit(parsed, TextEdit(target, target + 1, "77"))
    misses, hits = ITEM_WALKS.misses, ITEM_WALKS.hits
    resolve_names(edited)
    assert ITEM_WALKS.misses - misses == 1
    # every other item replayed: the header, 199 functions, the main block's statement,
    # and the program's end where it is an item of its own (``program_end``)
    items, _ = item_nodes(edited.green, splits_of(definition))
    assert len(items) == 1 + 200 + 1 + program_end(definition)
    assert ITEM_WALKS.hits - hits == len(items) - 1


def test_a_new_global_changes_the_replayed_answers() -> None:
    """In a language that declares by assignment, whether `x = 1` inside a later item
    declares or assigns depends on the items before it, so that walk is redone."""
    definition = without_declaring_keywords("teachlang")
    text = "when 0 < 1:\n    y = 0 + 2\nwhen 1 < 2:\n    x = 1\nprint(x)\n"
    parsed = parse(definition, text)
    first = resolve_names(parsed)
    assert [s.name for s in first.symbols] == ["y", "x"]
    at = text.index("y = 0")
    edited, stats = apply_edit(parsed, TextEdit(at, at + 1, "x"))
    assert stats.strategy == "item"
    misses = ITEM_WALKS.misses
    second = resolve_names(edited)
    assert ITEM_WALKS.misses - misses == 2  # the new item, and the `if` whose answer changed
    assert describe(second) == describe(fresh_model(edited))
    assert [s.name for s in second.symbols] == ["x"]
    assert [r.is_write for r in second.references if r.name == "x"] == [True, False]


def test_a_body_without_its_parameter_list_follows_edits_of_its_heading() -> None:
    """A Pascal body that leaves out its parameter list names the parameters of a heading
    in another item (a unit's interface): an edit there changes what the unchanged body's
    names are, so its walk is never replayed from a template."""
    text = ("unit Areas;\ninterface\nfunction Area(W, H: Integer): Integer;\n"
            "implementation\nfunction Area;\nbegin\n  Area := W * H\nend;\nend.\n")
    parsed = parse(bundled("turbopascal"), text)
    first = resolve_names(parsed)
    assert [name for name, _, _ in first.undefined_names()] == []
    found = first.symbol_at(text.index("W * H"))
    assert found is not None and found.start == text.index("W,")
    at = text.index("W,")
    heading = TextEdit(text.index("(W"), text.index("): Integer;") + 1, "")
    for edit, undefined in ((TextEdit(at, at + 1, "Q"), ["W"]), (TextEdit(at, at + 1, "W"), []),
                            (heading, ["W", "H"])):
        parsed, _ = apply_edit(parsed, edit)
        replayed = resolve_names(parsed)
        assert describe(replayed) == describe(fresh_model(parsed))
        assert [name for name, _, _ in replayed.undefined_names()] == undefined
    # a body walked while no heading gave its name is replayed only while none does
    at = text.index("Area(")
    parsed = parse(bundled("turbopascal"), text[:at] + "Zone" + text[at + 4:])
    # (a heading naming no routine of the file: its name is undefined)
    assert [name for name, _, _ in resolve_names(parsed).undefined_names()] \
        == ["Zone", "W", "H"]
    for name, undefined in (("Area", []), ("Zone", ["Zone", "W", "H"])):
        parsed, _ = apply_edit(parsed, TextEdit(at, at + 4, name))
        replayed = resolve_names(parsed)
        assert describe(replayed) == describe(fresh_model(parsed))
        assert [name for name, _, _ in replayed.undefined_names()] == undefined


def test_the_cache_bounds_come_from_the_settings() -> None:
    from craftls.features.caches import DEFAULT_CACHES
    from craftls.ops.settings import Settings
    defaults = Settings()
    try:
        DEFAULT_CACHES.configure(3, 7, 60)
        definition = bundled("pascal")
        functions = "\n".join(f"PROCEDURE P{i};\nBEGIN\n  WriteLn({i})\nEND;\n"
                              for i in range(10))
        resolve_names(parse(definition, f"PROGRAM Few;\n{functions}\nBEGIN\nEND.\n"))
        stats = DEFAULT_CACHES.stats()
        assert stats["names"]["maxsize"] == 3 and stats["names"]["size"] <= 3
        assert stats["types"]["maxsize"] == 7 and DEFAULT_CACHES.types.ttl == 60
    finally:
        DEFAULT_CACHES.configure(defaults.ast_cache_size, defaults.type_cache_size,
                         defaults.type_inference_cache_ttl)
    assert DEFAULT_CACHES.stats()["names"]["maxsize"] == defaults.ast_cache_size


def test_templates_leave_with_their_syntax_nodes() -> None:
    ITEM_WALKS.clear()
    definition = bundled("pascal")
    parsed = parse(definition, "PROGRAM P;\nVAR X : INTEGER;\nBEGIN\n  X := 1\nEND.\n")
    resolve_names(parsed)
    # header, VAR section, main block (its statement), the program's end if an item
    items = len(item_nodes(parsed.green, splits_of(definition))[0])
    assert items == 3 + program_end(definition)
    assert ITEM_WALKS.stats()["size"] == items
    del parsed
    gc.collect()
    assert ITEM_WALKS.stats()["size"] == 0


def test_a_dropped_analysis_is_freed_without_the_cycle_collector() -> None:
    """No reference cycles in a model: a replaced snapshot's analysis goes at once (the
    cyclic collector, which would free it otherwise, stalled typing for ~0.5 s)."""
    definition = bundled("pascal")
    text = many_functions(20, "T", lambda i: f"T := A + {i}", "WriteLn(F1(2))")
    parsed = parse(definition, text)
    analyze_with_types(parsed)
    target = text.index("T := A + 10;") + len("T := A + ")
    edited, _ = apply_edit(parsed, TextEdit(target, target, "1 + "))
    gc.collect()
    gc.disable()
    try:
        for make_everything in (False, True):
            analysis = analyze_with_types(edited)
            if make_everything:  # every replayed item's scopes, symbols and references
                assert analysis.model.references and analysis.model.root_scope.children
                analysis.types.symbol_types()
            model, scope = weakref.ref(analysis.model), weakref.ref(analysis.model.file_scope)
            del analysis
            assert model() is None and scope() is None
    finally:
        gc.enable()


def main_block(count: int) -> str:
    """A Pascal program whose main block holds ``count`` statements."""
    body = ";\n".join(f"  T := T + {i};\n  IF T > {i} THEN\n    WriteLn(T, U)" for i in range(count))
    return f"PROGRAM Main;\nVAR T, U : INTEGER;\nBEGIN\n  T := 0;\n{body}\nEND.\n"


def test_a_keystroke_in_a_main_block_walks_and_infers_only_its_statement_again() -> None:
    from craftls.features.caches import DEFAULT_CACHES
    definition = bundled("pascal")
    text = main_block(300)
    parsed = parse(definition, text)
    first = analyze_with_types(parsed)
    # header, VAR, statements, the program's end if an item of its own
    assert len(first.model.items) == 2 + 1 + 600 + program_end(definition)
    target = text.index("T := T + 150;") + len("T := T + 15")
    edited, stats = apply_edit(parsed, TextEdit(target, target + 1, "7000"))
    assert stats.strategy == "item" and stats.reparsed_nodes < 20
    misses, inferred = ITEM_WALKS.misses, DEFAULT_CACHES.types.inferred
    second = analyze_with_types(edited)
    assert ITEM_WALKS.misses - misses == 1
    assert DEFAULT_CACHES.types.inferred - inferred == 1
    assert [d.code for d in second.diagnostics] == [d.code for d in first.diagnostics]


def _whole_blocks(monkeypatch):
    from craftls.semantics import item_walks
    monkeypatch.setattr(item_walks, "SPLIT_KINDS", frozenset())
    monkeypatch.setattr(item_walks, "SPLIT_GRAMMAR_BLOCKS", False)
    monkeypatch.setattr(item_walks, "SPLIT_GUARDED", False)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=edit_sequences())
def test_a_block_analysed_statement_by_statement_equals_the_block_whole(
        case: tuple[str, str, list[TextEdit]], monkeypatch) -> None:
    """The split of a top-level block into items (``SPLIT_KINDS``) changes no answer:
    names, lookups by offset, diagnostics and types, after edits of every sample."""
    from craftls.features.caches import DEFAULT_CACHES
    language_id, text, edits = case
    parsed = parse(bundled(language_id), text)
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
    split = describe_lazily(parsed), describe(resolve_names(parsed)), _types(parsed)
    with monkeypatch.context() as patch:
        _whole_blocks(patch)
        ITEM_WALKS.clear()
        DEFAULT_CACHES.types.clear()
        whole = describe_lazily(parsed), describe(resolve_names(parsed)), _types(parsed)
    ITEM_WALKS.clear()
    DEFAULT_CACHES.types.clear()
    assert split == whole


def _types(parsed) -> list[tuple[Any, ...]]:
    analysis = analyze_with_types(parsed)
    report = analysis.types
    return ([(s.start, str(report.type_of_symbol(s))) for s in analysis.model.symbols]
            + [(t.offset, t.text) for t in report.inferred_variable_types()])


def test_a_type_marked_spelling_is_walked_again_when_its_declaration_changes() -> None:
    """`s$ = "a"` writes `s` declared AS STRING, or declares `s$` when `s` has no type
    (`structure.type_marks`): a replayed walk of it checks that answer too."""
    text = 'DIM s AS STRING\nDIM t\ns$ = "a"\nt$ = "b"\nPRINT s$; t$\n'
    parsed = parse(bundled("qbasic"), text)
    first = resolve_names(parsed)
    assert [s.name for s in first.symbols] == ["s", "t", "t$"]
    for old, new in ((" AS STRING", ""), ("DIM t", "DIM t AS STRING")):
        at = parsed.text.index(old)
        parsed, _ = apply_edit(parsed, TextEdit(at, at + len(old), new))
        assert describe(resolve_names(parsed)) == describe(fresh_model(parsed))
    assert [s.name for s in resolve_names(parsed).symbols] == ["s", "t", "s$"]


def test_labels_of_their_own_replay_as_a_fresh_walk_finds_them() -> None:
    """`structure.labels: separate`: a label is declared and looked up by its own key, in
    the file scope and inside a SUB, replayed or walked afresh."""
    text = "d = 0\nGOSUB d\nEND\nd:\nd = d + 1\nRETURN\nSUB s\n    GOTO d\n    d:\nEND SUB\n"
    parsed = parse(bundled("qbasic"), text)
    resolve_names(parsed)
    for old, new in (("d:\nd", "e:\nd"), ("GOSUB d", "GOSUB e"), ("    d:", "    e:"),
                     ("GOTO d", "GOTO e"), ("d = 0", "e = 0")):
        at = parsed.text.index(old)
        parsed, _ = apply_edit(parsed, TextEdit(at, at + len(old), new))
        assert describe(resolve_names(parsed)) == describe(fresh_model(parsed))
    model = resolve_names(parsed)
    assert sorted(model.root_scope.symbols) == ["d", "e", "e:", "s"]
    assert [(r.name, r.symbol.kind if r.symbol else None) for r in model.references] == [
        ("e", "label"), ("d", "variable"), ("e", "label")]


NAMED = ('DECLARE FUNCTION Menu% ()\nDIM s AS STRING\nd = Menu\ns$ = "a"\nGOSUB d\nEND\n'
         'd:\nd = d + s$\nRETURN\nFUNCTION Menu%\n    Menu = 1\n    GOTO d\n    d:\n'
         'END FUNCTION\n')
NAME_FRAGMENTS = ["", "$", "%", " AS STRING", "d:\n", "GOTO d\n", "d = 1\n", "s", "\n",
                  "Menu", "DIM t AS LONG\n", "t& = 1\n", "CONST Menu = 2\n"]


@st.composite
def named_edits(draw: st.DrawFn) -> tuple[str, list[TextEdit]]:
    return NAMED, draw_edits(draw, NAMED, NAME_FRAGMENTS, 8)


ISOLATED = ('DIM SHARED t AS INTEGER\nDIM a AS STRING\nn = 2\nFOR i = 1 TO n\nNEXT\n'
            'CALL Show\nSUB Show\n    SHARED n\n    a = 1\n    PRINT a, n, t, i\nEND SUB\n'
            'FUNCTION F (k)\n    i = k\n    F = i + t\nEND FUNCTION\n')
ISOLATED_FRAGMENTS = ["", "SHARED ", "DIM ", "DIM SHARED i\n", "SHARED a\n", "n", "a",
                      "i = 1\n", "\n", "COMMON SHARED a\n", "REDIM SHARED i(3)\n", "t"]


@st.composite
def isolated_edits(draw: st.DrawFn) -> tuple[str, list[TextEdit]]:
    """A SUB sees the module's variables only when shared (``isolated``, ``shared``):
    edits that share and unshare them."""
    return ISOLATED, draw_edits(draw, ISOLATED, ISOLATED_FRAGMENTS, 8)


@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(named_edits(), isolated_edits()))
def test_type_marks_labels_and_isolated_scopes_replay_as_a_fresh_walk(
        case: tuple[str, list[TextEdit]]) -> None:
    text, edits = case
    parsed = parse(bundled("qbasic"), text)
    resolve_names(parsed)
    for edit in edits:
        parsed, _ = apply_edit(parsed, edit)
        assert describe(resolve_names(parsed)) == describe(fresh_model(parsed))
