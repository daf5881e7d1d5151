from __future__ import annotations

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import analyze_file
from craftls.semantics.item_walks import ReplayedItem, TemplateCache
from craftls.syntax.parse import parse
from craftls.workspace.imports import import_externals

from .conftest import SAMPLES

PASCAL = """PROGRAM Demo;
VAR
  Total, Unused : INTEGER;
FUNCTION Twice(N : INTEGER) : INTEGER;
BEGIN
  Twice := N * 2
END;
BEGIN
  Total := Twice(3);
  Total := Twice(1, 2);
  WriteLn(Totl);
  WriteLn(Length('a', 'b'));
  WriteLn(Total)
END.
"""


def codes(text: str, language: str = "pascal") -> list[tuple[str, str]]:
    analysis = analyze_file(parse(bundled(language), text))
    return [(d.code, text[d.start:d.end]) for d in analysis.diagnostics]


def test_semantic_diagnostics() -> None:
    found = codes(PASCAL)
    assert ("undefined-name", "Totl") in found
    assert ("unused-variable", "Unused") in found
    assert ("argument-count", "(1, 2)") in found
    assert ("argument-count", "('a', 'b')") in found
    assert not any(code == "undefined-name" and text == "WriteLn" for code, text in found)


def test_duplicate_declaration() -> None:
    found = codes("PROGRAM D;\nVAR A : INTEGER;\n    A : REAL;\nBEGIN\n  WriteLn(A)\nEND.\n")
    assert ("duplicate-declaration", "A") in found


def test_case_insensitive_resolution_binds_uses_to_declarations() -> None:
    analysis = analyze_file(parse(bundled("pascal"), PASCAL))
    offset = PASCAL.index("Twice(3)")
    symbol = analysis.model.symbol_at(offset)
    assert symbol is not None and symbol.name == "Twice" and symbol.kind == "function"
    assert [p.name for p in symbol.params] == ["N"]
    refs = analysis.model.references_to(symbol)
    assert len(refs) == 3  # the result assignment and two calls


def test_samples_have_no_errors_or_warnings() -> None:
    for language_id, path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        parsed = parse(bundled(language_id), text)
        externals, missing = import_externals(parsed, path)
        assert missing == [], f"{path}: unresolved imports {missing}"
        analysis = analyze_file(parsed, externals, missing)
        bad = [(d.code, d.message) for d in analysis.diagnostics
               if d.severity in ("error", "warning")]
        assert bad == [], f"{path}: {bad}"


def test_quick_fixes_did_you_mean_and_protocol_members() -> None:
    from pathlib import Path

    from craftls.features.analysis import analyze_with_types
    from craftls.features.quickfix import quick_fixes
    text = PASCAL
    analysis = analyze_with_types(parse(bundled("pascal"), text))
    at = text.index("Totl")
    fixes = quick_fixes(analysis, at, at + 4)
    assert fixes and fixes[0].title == "Change to 'Total'" and fixes[0].preferred
    wrong = (Path(__file__).resolve().parents[1] / "fixtures" / "types" / "wrong.pas")
    source = wrong.read_text()
    analysis = analyze_with_types(parse(bundled("pascal"), source))
    conformance = [d for d in analysis.diagnostics if d.code == "protocol-conformance"]
    assert conformance
    fixes = quick_fixes(analysis, conformance[0].start, conformance[0].end)
    protocol_fixes = [f for f in fixes if f.title.startswith("Add the members")]
    assert protocol_fixes
    edit = protocol_fixes[0].edits[0]
    fixed = source[:edit.start] + edit.text + source[edit.end:]
    assert parse(bundled("pascal"), fixed).errors == []


def test_hover_on_a_package_export_names_its_module() -> None:
    from pathlib import Path

    from craftls.features.analysis import analyze_with_types
    from craftls.features.hover import hover
    sample = Path(__file__).resolve().parents[2] / "examples" / "pascal" / "matrix.pas"
    text = sample.read_text()
    analysis = analyze_with_types(parse(bundled("pascal"), text), sample)
    info = hover(analysis, text.index("MathLib.") + len("MathLib.") + 1)
    assert info is not None and "MathLib.pas" in info.markdown


def test_semantic_token_legend_covers_every_bundled_keyword_category() -> None:
    from craftls.features.semantic_tokens import LEGEND, categories_of
    from craftls.language.catalog import all_bundled
    assert categories_of(all_bundled()) <= set(LEGEND.modifiers)
    assert len(LEGEND.modifiers) == len(set(LEGEND.modifiers))


def test_quick_fix_inserts_a_missing_block_terminator() -> None:
    from craftls.features.analysis import analyze_with_types
    from craftls.features.quickfix import quick_fixes
    for language_id, text in [
        ("basic", 'IF 1 < 2 THEN\n  PRINT "yes"\n'),
        ("pascal", "PROGRAM P;\nBEGIN\n  WriteLn(1)\n"),
        ("curly", "fn f() -> int {\n    return 1;\n"),
    ]:
        definition = bundled(language_id)
        analysis = analyze_with_types(parse(definition, text))
        fixes = [f for f in quick_fixes(analysis, 0, len(text)) if f.title.startswith("Insert")]
        assert fixes, (language_id, [d.message for d in analysis.diagnostics])
        edit = fixes[0].edits[0]
        repaired = text[:edit.start] + edit.text + text[edit.end:]
        assert len(parse(definition, repaired).errors) < len(parse(definition, text).errors)


def test_a_missing_closer_after_a_block_s_last_statement_goes_on_a_line_of_its_own() -> None:
    """At its opener's indentation: ``PRINT "yes"ENDIF`` would be a mistake of its own."""
    from craftls.features.analysis import analyze_with_types
    from craftls.features.quickfix import quick_fixes
    text = 'SUB Show()\n  IF 1 < 2 THEN\n    PRINT "yes"\n'
    analysis = analyze_with_types(parse(bundled("basic"), text))
    fixes = [f for f in quick_fixes(analysis, 0, len(text)) if f.title == "Insert 'ENDIF'"]
    assert fixes
    edit = fixes[0].edits[0]
    assert text[:edit.start] + edit.text + text[edit.end:] == \
        'SUB Show()\n  IF 1 < 2 THEN\n    PRINT "yes"\n  ENDIF\n'


@pytest.mark.parametrize("link, found", [(".f", "unknown"), ("[1]", "unknown"),
                                         ("(1)", "unknown"), (" + y", "INTEGER")])
def test_a_3000_long_chain_is_walked_for_names_and_types(link: str, found: str) -> None:
    """`y.f.f...`, `y[1][1]...`, `y(1)(1)...` and `y + y + ...` nest 3,000 deep (the
    parser does not bound a chain): the name walk and the type inference go down them
    without recursing per level (they raised RecursionError, and a RecursionError in the
    type check drops every type of the file)."""
    text = ("PROGRAM P;\nVAR x, y : INTEGER;\nBEGIN\n  x := y" + link * 3000
            + ";\n  x := 'a'\nEND.\n")
    analysis = analyze_with_types(parse(bundled("pascal"), text))
    reads = [r for r in analysis.model.references if r.name == "y"]
    assert len(reads) == (3001 if link == " + y" else 1)
    assert all(r.symbol is not None and r.symbol.kind == "variable" for r in reads)
    assert analysis.types is not None
    start, end = text.index(":= y") + 3, text.index(";\n  x := 'a'")
    chain_type = analysis.types.expression_type(start, end)
    # a member, index or call of an INTEGER has no type: the keyword level records it as
    # "unknown", a template's grammar walk records none (the same answer to a hover)
    assert (chain_type is None and found == "unknown") or (
        chain_type is not None and analysis.types.display(chain_type) == found)
    assert [(d.code, text[d.start:d.end]) for d in analysis.diagnostics
            if d.code == "type-mismatch"] == [("type-mismatch", "'a'")]


def test_the_whole_file_tables_answer_as_the_item_lookups() -> None:
    """A whole-file type check looks names up in one table per file
    (``SemanticModel.starting_at_tables``): at every offset of every sample it answers
    what the item-by-item lookups answer; with a replayed item there is no table."""
    for language_id, path in SAMPLES:
        parsed = parse(bundled(language_id), path.read_text(encoding="utf-8"))
        model = analyze_file(parsed, templates=TemplateCache(0)).model
        tables = model.starting_at_tables()
        assert tables is not None, path
        references, symbols = tables
        assert references and symbols, path
        for offset in range(len(parsed.text) + 1):
            assert references.get(offset) is model.reference_starting_at(offset), (path, offset)
            assert symbols.get(offset) is model.symbol_starting_at(offset), (path, offset)
    templates = TemplateCache()
    parsed = parse(bundled("pascal"), PASCAL)
    analyze_file(parsed, templates=templates)
    again = analyze_file(parsed, templates=templates).model
    assert any(isinstance(item, ReplayedItem) for item in again.items)
    assert again.starting_at_tables() is None
