"""The type cache: per-declaration reuse, invalidation of dependents, bounds,
and equality with a from-scratch inference after random edits. The cache is the
keyword-level inference's: its definitions are asked for through the keyword-level parser
by name (``served_by``), whichever engine the bundled files choose."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.core.conftest import served_by
from types_helpers import assert_edits_match_a_fresh_check, check_parsed, edit_lists

from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse
from craftls.types import TypeCache, TypeChecker


def big_file(n: int = 200) -> str:
    parts = [f"teach f{i}(x: int):\n    give_back x + {i}\n" for i in range(n)]
    parts.append("teach caller_a(y: int):\n    give_back f50(y)\n")
    parts.append("teach caller_b(y: int) -> int:\n    give_back f50(y) + f7(y)\n")
    parts.append("remember top = f3(1)\n")
    return "".join(parts)


def test_edit_in_one_body_reinfers_that_function_and_its_callers_only() -> None:
    definition = served_by("teachlang", "keywords")
    cache = TypeCache()
    checker = TypeChecker(definition, cache)
    text = big_file()
    parsed = parse(definition, text)
    check_parsed(parsed, checker)
    units = cache.inferred
    assert units == 203
    # the same text again: everything reused
    cache.reset_counters()
    check_parsed(parsed, checker)
    assert (cache.inferred, cache.reused) == (0, 203)
    # an edit that keeps f50's signature: only f50 is inferred again
    at = text.index("x + 50") + len("x + ")
    parsed2, _ = apply_edit(parsed, TextEdit(at, at + 2, "51"))
    cache.reset_counters()
    check_parsed(parsed2, checker)
    assert cache.inferred == 1
    # an edit that changes f50's result type: f50 and its two callers
    at = parsed2.text.index("x + 51")
    parsed3, _ = apply_edit(parsed2, TextEdit(at, at + len("x + 51"), '"text"'))
    cache.reset_counters()
    report = check_parsed(parsed3, checker)
    assert cache.inferred == 3
    assert cache.reused == 200
    symbols = {s.name: t for s, t in report.symbol_types().items()}
    assert report.display(symbols["caller_a"]) == "fn(y: int) -> text"
    assert [d.code for d in report.diagnostics] == ["return-type"]  # caller_b: text + int


def test_moved_declarations_are_reused_with_shifted_offsets() -> None:
    definition = served_by("curly", "keywords")
    cache = TypeCache()
    checker = TypeChecker(definition, cache)
    text = 'fn a() -> int {\n    return 1;\n}\nlet x: int = "no";\n'
    parsed = parse(definition, text)
    before = check_parsed(parsed, checker)
    parsed2, _ = apply_edit(parsed, TextEdit(0, 0, "// a comment\n"))
    cache.reset_counters()
    after = check_parsed(parsed2, checker)
    assert cache.inferred == 0
    shift = len("// a comment\n")
    assert [(d.start - shift, d.end - shift, d.message) for d in after.diagnostics] == \
        [(d.start, d.end, d.message) for d in before.diagnostics]


def test_cache_is_bounded_with_ttl_and_lru() -> None:
    now = [0.0]
    cache = TypeCache(maxsize=3, ttl=10.0, timer=lambda: now[0])
    checker = TypeChecker(served_by("curly", "keywords"), cache)
    parsed = parse(checker.definition, "let a = 1;\nlet b = 2;\nlet c = 3;\nlet d = 4;\n")
    check_parsed(parsed, checker)
    assert len(cache) == 3  # LRU bound
    now[0] = 11.0
    cache.reset_counters()
    check_parsed(parsed, checker)
    assert cache.reused == 0  # all expired
    assert TypeCache().maxsize == 50_000 and TypeCache().ttl == 3600.0


BASE = """const LIMIT: int = 10;
fn twice(n: int) -> int {
    return n * 2;
}
fn pick(xs: [float], i: int) -> float {
    if (i < len(xs)) {
        return xs[i];
    }
    return 0.0;
}
let total = twice(LIMIT);
let name: string = "n";
for v in [1, 2] {
    total = total + pick([1.5], v);
}
"""

SNIPPETS = ["1", "2.5", '"s"', "x", "twice(", ")", ";", "\n", " ", "{", "}", "let q = ",
            "return ", "fn g() -> string {", "null", "+", "name", "LIMIT", "if (", "pick"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_lists(SNIPPETS))
def test_cached_answers_equal_a_from_scratch_inference(edits: list[Any]) -> None:
    assert_edits_match_a_fresh_check("curly", BASE, edits)
