from __future__ import annotations

import gc
from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled, bundled_ids
from craftls.semantics.resolve import Resolver
from craftls.syntax import kinds as K
from craftls.syntax.grammar import grammar_for
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.parser import Parser
from craftls.syntax.tree import GreenNode, SyntaxNode, collect_errors, dump

from .conftest import SAMPLES, served_by


@pytest.mark.parametrize("language_id, path", SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_every_sample_parses_without_errors_and_losslessly(language_id: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = parse(bundled(language_id), text)
    assert parsed.root.text == text
    assert parsed.errors == []


def test_each_language_has_several_samples() -> None:
    for language_id in bundled_ids():
        assert sum(1 for lang, _ in SAMPLES if lang == language_id) >= 3, language_id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_raises_and_stays_lossless(text: str) -> None:
    for language_id in bundled_ids():
        parsed = parse(bundled(language_id), text)
        assert parsed.root.text == text
        for error in parsed.errors:
            assert 0 <= error.start <= error.end <= len(text)


def test_deep_nesting_does_not_overflow() -> None:
    text = "x := " + "(" * 5000 + "1" + ")" * 5000
    parsed = parse(bundled("pascal"), text)
    assert parsed.root.text == text
    assert parsed.errors


@pytest.mark.parametrize("language_id, text", [
    ("pascal", "program P;\nbegin\n  x := y" + ".f" * 3000 + "\nend.\n"),
    ("pascal", "program P;\nbegin\n  x := y" + "[1]" * 3000 + ";\n  x := " + "(" * 3000
     + "\nend.\n"),
    ("turbopascal", "program P;\nbegin\n  x := y" + "[1]" * 3000 + "\nend.\n"),
    ("lua", "x = y" + ":f()" * 3000 + "\n"),
])
def test_the_tree_api_walks_a_tree_as_deep_as_the_parser_makes_it(
        language_id: str, text: str) -> None:
    """A 3,000-long postfix chain makes a node 3,000 deep with the keyword-level parser:
    every walk of the tree API answers on it (none recurses per level)."""
    parsed = parse(bundled(language_id), text)
    root = parsed.root
    assert root.text == text
    assert "".join(t.text for t in root.leaves()) == text
    nodes = list(root.descendants())
    assert len(nodes) == root.green.node_count
    deepest = max(nodes, key=lambda n: sum(1 for _ in n.ancestors()))
    assert deepest.text == text[deepest.start:deepest.end]
    assert [n.kind for n in root.descendants_of_kind(deepest.kind)] \
        == [n.kind for n in nodes if n.kind == deepest.kind]
    assert len(parsed.errors) == len(list(collect_errors(root)))
    first = root.first_token()
    assert first is not None and text[first.start:].startswith(first.text)
    last = root.last_token()
    assert last is not None and text[:last.end].endswith(last.text)
    middle = len(text) // 2
    token = root.token_at(middle)
    assert token is not None and token.start <= middle < token.end
    assert root.covering_node(middle, middle + 1).start <= middle
    assert dump(root).count("\n") + 1 >= len(nodes)


def test_one_mistake_gives_one_error() -> None:
    text = ("PROGRAM P;\nVAR a : INTEGER;\nBEGIN\n  a := 1;\n  a := * 2;\n  a := 3;\n"
            "  WriteLn(a)\nEND.\n")
    parsed = parse(bundled("pascal"), text)
    assert len(parsed.errors) == 1
    assert "expected an expression" in parsed.errors[0].message
    assert text[:parsed.errors[0].start].rstrip().endswith("a :=")


def test_missing_block_terminator_is_reported_not_cascaded() -> None:
    text = "PROGRAM P;\nBEGIN\n  WHILE TRUE DO\n  BEGIN\n    WriteLn(1)\nEND.\n"
    parsed = parse(bundled("pascal"), text)
    assert 1 <= len(parsed.errors) <= 2
    assert any("END" in e.message for e in parsed.errors)


def test_precedence_climbing_follows_the_operator_table() -> None:
    # the keyword-level parser's climb (its node kinds), whichever engine Pascal's file chooses
    parsed = parse(served_by("pascal", "keywords"), "x := 1 + 2 * 3 = 7")
    assign = next(n for n in parsed.root.descendants() if n.kind == K.ASSIGN_STMT)
    top = next(c for c in assign.children() if c.kind == K.BINARY_EXPR)
    operators = [t.text for t in top.tokens()]
    assert operators == ["="]  # comparison binds loosest


@pytest.mark.parametrize("language_id, path",
                         list({language: (language, path) for language, path in SAMPLES}.values()),
                         ids=lambda v: getattr(v, "name", v))
def test_node_lookups_without_red_nodes_agree_with_the_red_walk(language_id: str,
                                                                path: Path) -> None:
    """``first_token_at``, ``child_of_kind`` and ``children_of_kind`` skip making nodes
    they do not return (the name walk's per-name cost); they answer as the red tree."""
    root = parse(bundled(language_id), path.read_text()).root
    for node in root.descendants():
        token = node.first_token()
        assert node.first_token_at() == (None if token is None else
                                         (token.kind, token.text, token.start))
        kinds = {child.kind for child in node.children()}
        for wanted in [(kind,) for kind in kinds] + [tuple(kinds), ("no such kind",)]:
            matching = [c for c in node.children() if c.kind in wanted]
            assert node.children_of_kind(*wanted) == matching
            found = node.child_of_kind(*wanted)
            assert found == (matching[0] if matching else None)
            assert found is None or (found.parent is node and found.index == matching[0].index)


def _token_at_by_walking(root: SyntaxNode, offset: int) -> tuple[int, str] | None:
    """``token_at`` as a walk over every leaf: the first containing ``offset``, or ending
    there at the end of the file."""
    for leaf in root.leaves():
        if leaf.start <= offset < leaf.end or offset == leaf.end == root.end:
            return leaf.start, leaf.text
    return None


@pytest.mark.parametrize("language_id", ["pascal", "turbopascal", "qbasic"])
def test_token_at_enters_many_children_by_bisection_and_answers_as_a_walk(
        language_id: str) -> None:
    # a main block of many statements, empty statements, an error at the end: a node with
    # more children than are walked one by one, zero-width nodes among them
    lines = [f"  x := x + {i};" if i % 7 else "  ;" for i in range(60)]
    if language_id == "qbasic":
        text = "x = 0\n" + "\n".join(f"x = x + {i}" if i % 7 else "" for i in range(60)) \
            + "\nPRINT x +\n"
    else:
        text = "program P;\nvar x: Integer;\nbegin\n" + "\n".join(lines) + "\n  x := \nend.\n"
    root = parse(bundled(language_id), text).root
    assert max(len(n.green.children) for n in root.descendants()) > 32
    for offset in range(len(text) + 1):
        token = root.token_at(offset)
        assert (None if token is None else (token.start, token.text)) \
            == _token_at_by_walking(root, offset), offset
def _generation_of(target: object) -> int | None:
    for generation in range(3):
        if any(o is target for o in gc.get_objects(generation)):
            return generation
    return None


def test_a_big_parse_leaves_its_tree_past_the_young_generations() -> None:
    """What a parse made skips the young collections (``parse.promote_young``): the one
    due right after it walked the whole new tree (the tree outlives the parse), and so
    did the next generation's. A small parse's objects stay young."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        lines = gc.get_threshold()[0] + 10  # two tracked objects per line or more
        big = parse(bundled("pascal"), "PROGRAM P;\nBEGIN\n" + "  X := 1;\n" * lines + "END.\n")
        assert _generation_of(big.green) == 2
        assert gc.get_freeze_count() == 0  # nothing was left frozen
        gc.collect()
        small = parse(bundled("pascal"), "PROGRAM P;\nBEGIN\n  X := 1\nEND.\n")
        assert _generation_of(small.green) in (0, 1)
    finally:
        if not was_enabled:
            gc.disable()


def test_a_big_parse_joins_the_frozen_objects_where_the_server_froze_them() -> None:
    """Where the server keeps its long-lived objects frozen (``ops.idle_gc``), a parse's
    tree joins them (their idle collection reclaims any garbage among them) and they
    stay frozen: an unfreeze would hand all of them to the next full collection."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        gc.freeze()
        frozen = gc.get_freeze_count()
        lines = gc.get_threshold()[0] + 10
        big = parse(bundled("pascal"), "PROGRAM P;\nBEGIN\n" + "  X := 1;\n" * lines + "END.\n")
        assert gc.get_freeze_count() > frozen
        assert _generation_of(big.green) is None  # in the permanent generation
    finally:
        gc.unfreeze()
        if not was_enabled:
            gc.disable()
def _green_nodes(root: GreenNode) -> list[GreenNode]:
    found, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        stack.extend(c for c in node.children if isinstance(c, GreenNode))
    return found


def test_a_declared_name_and_a_one_word_type_are_shared_nodes_as_names_read_are() -> None:
    text = "PROGRAM P;\nVAR A, B : INTEGER;\nFUNCTION F(A : INTEGER) : INTEGER;\nBEGIN\n" \
           "  F := A\nEND;\nBEGIN\n  A := F(B)\nEND.\n"
    # the keyword-level parser's sharing (its node kinds), whichever engine the file chooses
    parsed = parse(served_by("pascal", "keywords"), text)
    assert parsed.root.text == text and parsed.errors == []
    nodes = _green_nodes(parsed.green)
    for kind, count in ((K.NAME, 4), (K.TYPE_REF, 1)):  # P, A (twice), B, F; INTEGER (3x)
        distinct = [n for n in nodes if n.kind == kind]
        assert len(distinct) == count, kind
    # each occurrence is still its own syntax node, at its own place
    names = [n for n in parsed.root.descendants() if n.kind == K.NAME]
    assert [(n.text, n.start) for n in names] == [
        ("P", 8), ("A", 15), ("B", 18), ("F", 40), ("A", 42)]


@pytest.mark.parametrize("language_id, path", SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_child_entries_made_with_the_node_are_the_children_and_their_offsets(
        language_id: str, path: Path) -> None:
    parsed = parse(bundled(language_id), path.read_text(encoding="utf-8"))
    for node in _green_nodes(parsed.green):
        starts = [0, *accumulate(c.width if isinstance(c, GreenNode) else len(c[1])
                                 for c in node.children)]
        assert node.node_children() == tuple(
            (i, starts[i], c) for i, c in enumerate(node.children) if isinstance(c, GreenNode))


def test_the_parser_and_the_name_walk_keep_their_attributes_in_slots() -> None:
    """More than 30 attributes in an instance dict, uncompiled, and CPython 3.11 stops
    specializing their reads (docs/performance.md, issue 19 item 5): both have slots."""
    definition = bundled("pascal")
    text = "PROGRAM P;\nBEGIN\nEND.\n"
    tokens, _ = lex(definition, text)
    parser = Parser(grammar_for(definition), text, tokens)
    parser.parse_file()
    resolver = Resolver(parse(definition, text))
    resolver.run()
    for made in (parser, resolver):
        assert not hasattr(made, "__dict__"), type(made).__name__
