"""Completion in the core: what is offered, in which order, and when the list is cut.

``reference_names`` is the ranking written the plain way (every visible symbol, every
builtin and keyword filtered, then one sort); ``complete`` finds the same answer from
per-snapshot sorted names, and must keep finding it."""

from __future__ import annotations

import gc
import random
import weakref
from pathlib import Path

import pytest
from benchmarks.common import pascal_program

from craftls.features import completion, completion_names
from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse
from craftls.syntax.tokens import COMMENT, STRING

from .conftest import SAMPLES, served_by

STATEMENT_KEYWORDS = completion_names.STATEMENT_KEYWORDS


def analysed(language_id: str, text: str) -> FileAnalysis:
    """The plain ranking below models the keyword-level completion: a keyword-level
    language is asked through the keyword-level parser whichever engine its bundled file
    chooses (through its template it ranks as a grammar-defined language does)."""
    definition = bundled(language_id)
    if definition.keyword_level:
        definition = served_by(language_id, "keywords")
    return analyze_with_types(parse(definition, text))


def reference_names(analysis: FileAnalysis, offset: int, limit: int = 100
                    ) -> tuple[list[tuple[int, str]], bool] | None:
    """(group, label) of what completion offers at ``offset``, and whether it is cut;
    None where it offers nothing or members after a dot."""
    parsed = analysis.parsed
    token = parsed.root.token_at(max(offset - 1, 0))
    if token is not None and token.kind in (COMMENT, STRING) and token.start < offset < token.end:
        return None
    start = offset
    while start > 0 and (parsed.text[start - 1].isalnum() or parsed.text[start - 1] == "_"):
        start -= 1
    if start > 0 and parsed.text[start - 1] == ".":
        return None
    prefix = parsed.text[start:offset]
    fold = prefix.lower()
    ranked: list[tuple[int, str]] = []
    seen: set[str] = set()
    folds = not parsed.definition.lexical.case_sensitive

    def entry(name: str) -> str:  # one entry per name, per folded name where case folds
        return name.lower() if folds else name
    chain = analysis.model.scope_at(offset).chain()
    shadowed: set[str] = set()
    # `VAR n : |`: only types, the definition's own, and the words a type starts with
    types = completion._at_type(analysis, parsed, start, offset)
    for scope in chain:
        for key, symbol in scope.symbols.items():
            if key in shadowed:
                continue
            shadowed.add(key)
            name = symbol.name.lower()
            if name.startswith(fold) and entry(symbol.name) not in seen \
                    and (not types or symbol.kind == "type"):
                seen.add(entry(symbol.name))
                ranked.append((0 if symbol.scope is not chain[-1] else 1, symbol.name))
    definition = parsed.definition
    for builtin in () if types else definition.builtins:
        if builtin.name.lower().startswith(fold) and entry(builtin.name) not in seen:
            seen.add(entry(builtin.name))
            ranked.append((2, builtin.name))
    operand = completion._at_operand(parsed, start)  # `x = |`: no statement keyword
    for concept, spellings in definition.keywords.items():
        if operand and concept not in completion.OPERAND_KEYWORDS or \
                types and concept not in completion.TYPE_KEYWORDS:
            continue
        if spellings[0].lower().startswith(fold) and entry(spellings[0]) not in seen:
            seen.add(entry(spellings[0]))
            ranked.append((3 if concept in STATEMENT_KEYWORDS else 4, spellings[0]))
    ranked.sort(key=lambda r: (r[0], not r[1].startswith(prefix), r[1].lower()))
    if types:  # after the file's types, before the keywords
        at = next((i for i, r in enumerate(ranked) if r[0] > 2), len(ranked))
        own = [(2, name) for name in definition.types
               if name.lower().startswith(fold) and entry(name) not in seen]
        ranked = ranked[:at] + own + ranked[at:]
        return ranked, False
    return ranked[:limit], len(ranked) > limit


def offered(analysis: FileAnalysis, offset: int, limit: int = 100
            ) -> tuple[list[tuple[int, str]], bool]:
    candidates, incomplete = complete(analysis, offset, limit=limit)
    return [(c.sort_group, c.label) for c in candidates], incomplete


# the plain ranking above models the keyword-level completion; a grammar-defined language
# offers the grammar's words at the cursor first (tests/core/test_lang_lua.py)
KEYWORD_LEVEL_SAMPLES = [(i, p) for i, p in SAMPLES if bundled(i).keyword_level]


@pytest.mark.parametrize("language_id, path", KEYWORD_LEVEL_SAMPLES,
                         ids=lambda v: getattr(v, "name", v))
def test_the_ranking_matches_the_plain_one_everywhere(language_id: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    analysis = analysed(language_id, text)
    rnd = random.Random(path.name)
    offsets = {0, len(text)} | {rnd.randrange(len(text) + 1) for _ in range(120)}
    for offset in sorted(offsets):
        expected = reference_names(analysis, offset, 100)
        if expected is not None:
            assert offered(analysis, offset) == expected, offset
            assert offered(analysis, offset, limit=7) == reference_names(analysis, offset, 7)


@pytest.mark.parametrize("prefix", ["", "f", "F1", "t", "T", "wr", "Wr", "e", "zz", "_"])
def test_typed_prefixes_in_a_big_file_match_the_plain_ranking(prefix: str) -> None:
    text = pascal_program(400)
    at = text.index("T := A *", len(text) // 2) + len("T := ")
    text = text[:at] + prefix + text[at:]
    analysis = analysed("pascal", text)
    for limit in (100, 3):
        assert offered(analysis, at + len(prefix), limit) == \
            reference_names(analysis, at + len(prefix), limit)


CROWDED = """PROGRAM Crowded;
VAR
  aa1, aa2, aa3, aa4, aa5, Ab, ac : INTEGER;

FUNCTION Trunc(X : INTEGER) : INTEGER;
BEGIN
  Trunc := X
END;

BEGIN
  aa1 := Trunc(1);
  A
END.
"""


@pytest.mark.parametrize("limit", [1, 3, 6, 100])
def test_a_name_typed_in_its_case_ranks_first_however_many_come_before_it(limit: int) -> None:
    # "Ab" sorts after five names in lower case; the global Trunc hides the builtin
    analysis = analysed("pascal", CROWDED)
    after_a = CROWDED.index("  A\n") + len("  A")
    after_tr = CROWDED.index("Trunc(1)") + len("Tr")
    for offset in (after_a, after_tr):
        assert offered(analysis, offset, limit) == reference_names(analysis, offset, limit)
    assert offered(analysis, after_a, limit)[0][0] == (1, "Ab")
    assert [label for _, label in offered(analysis, after_tr)[0]].count("Trunc") == 1


PROGRAM = """PROGRAM Ranks;
VAR
  Total, Tally : INTEGER;

FUNCTION Twice(Tiny : INTEGER) : INTEGER;
VAR
  Temp : INTEGER;
BEGIN
  Temp := Tiny * 2;
  Twice := Temp
END;

BEGIN
  { a comment about Total }
  WriteLn('Total: ');
  Total := Twice(3)
END.
"""


def labels_at(text: str, needle: str, shift: int = 0, **options: object) -> list[str]:
    analysis = analysed("pascal", text)
    candidates, _ = complete(analysis, text.index(needle) + shift, **options)  # type: ignore[arg-type]
    return [c.label for c in candidates]


def test_locals_rank_before_globals_then_builtins_then_keywords() -> None:
    labels = labels_at(PROGRAM, "Tiny * 2", len("T"))
    assert labels[:2] == ["Temp", "Tiny"]  # the function's own names first
    assert labels.index("Tally") < labels.index("Trunc") < labels.index("TRUE")
    assert "THEN" not in labels  # an operand: only the keywords an expression starts with
    assert "Total" in labels and "Twice" in labels


def test_names_filtered_by_prefix_ignoring_case_with_the_typed_case_first() -> None:
    text = PROGRAM.replace("Total := Twice(3)", "Total := Twice(3);\n  tw")
    assert labels_at(text, "  tw\n", len("  tw")) == ["Twice"]
    lower = PROGRAM.replace("VAR\n  Total", "VAR\n  tango, Total")
    labels = labels_at(lower.replace("Total := Twice(3)", "Total := Twice(3);\n  t"),
                       "  t\nEND", len("  t"))
    assert labels[0] == "tango"  # the only global spelled with a lower-case t


def test_names_differing_in_case_are_two_names_where_case_counts() -> None:
    """Lua tells `shelf` from `Shelf`: a local `shelf` does not hide the global function
    `Shelf` (both offered at `sh`); Pascal folds case, so its local `total` hides the
    global `Total`."""
    text = "function Shelf() return 1 end\nlocal function f()\n  local shelf = 2\n  sh\nend\n"
    labels = [c.label for c in complete(analysed("lua", text), text.index("sh\nend") + 2)[0]]
    assert "shelf" in labels and "Shelf" in labels
    pascal = PROGRAM.replace("Total := Twice(3)", "Total := Twice(3);\n  tot")
    labels = labels_at(pascal, "  tot\n", len("  tot"))
    assert [label.lower() for label in labels].count("total") == 1


def test_the_list_is_cut_at_the_limit_and_says_so() -> None:
    analysis = analysed("pascal", PROGRAM)
    offset = PROGRAM.index("Total := Twice")
    everything, cut = complete(analysis, offset)
    assert not cut
    first, cut = complete(analysis, offset, limit=3)
    assert cut and first == everything[:3]


def test_nothing_is_offered_inside_comments_and_strings() -> None:
    assert labels_at(PROGRAM, "about Total", len("about T")) == []
    assert labels_at(PROGRAM, "Total: ", len("Tot")) == []
    assert labels_at(PROGRAM, "{ a comment", 0) != []  # just before the comment


def test_snippets_only_when_the_client_supports_them() -> None:
    text = PROGRAM.replace("Total := Twice(3)", "Total := Twice(3);\n  WHI")
    analysis = analysed("pascal", text)
    offset = text.index("WHI\n") + len("WHI")
    plain, _ = complete(analysis, offset)
    snippet, _ = complete(analysis, offset, snippets=True)
    assert [c.label for c in plain] == [c.label for c in snippet] == ["WHILE"]
    assert plain[0].snippet is None
    assert snippet[0].snippet is not None and "${1:condition}" in snippet[0].snippet


def test_a_new_snapshot_offers_its_own_names() -> None:
    before = analysed("pascal", PROGRAM)
    after_text = PROGRAM.replace("BEGIN\n  {", "FUNCTION Triple(N : INTEGER) : INTEGER;\n"
                                 "BEGIN\n  Triple := N * 3\nEND;\n\nBEGIN\n  {")
    after = analysed("pascal", after_text)
    at_before = PROGRAM.index("Total := Twice")
    at_after = after_text.index("Total := Twice")
    assert "Triple" not in [c.label for c in complete(before, at_before)[0]]
    assert "Triple" in [c.label for c in complete(after, at_after)[0]]
    assert "Triple" not in [c.label for c in complete(before, at_before)[0]]


def test_a_snapshot_with_the_same_names_offers_its_own_symbols() -> None:
    # the order of the file's names is shared between snapshots with the same names;
    # what is offered must still come from the snapshot asked
    before = analysed("pascal", PROGRAM)
    after_text = PROGRAM.replace("Twice(Tiny : INTEGER)", "Twice(Tiny, Extra : INTEGER)")
    after = analysed("pascal", after_text)

    def twice_detail(analysis: FileAnalysis, text: str) -> str:
        candidates, _ = complete(analysis, text.index("Total := Twice"))
        return next(c.detail for c in candidates if c.label == "Twice")

    assert "Extra" not in twice_detail(before, PROGRAM)
    assert "Extra" in twice_detail(after, after_text)
    assert "Extra" not in twice_detail(before, PROGRAM)


def test_the_sorted_names_of_a_snapshot_go_with_it() -> None:
    analysis = analysed("pascal", PROGRAM)
    complete(analysis, PROGRAM.index("Total := Twice"))
    assert analysis.model in completion_names._FILE_NAMES
    model = weakref.ref(analysis.model)
    del analysis
    gc.collect()
    assert model() is None  # the cache keeps no snapshot alive (its entry went with it)
