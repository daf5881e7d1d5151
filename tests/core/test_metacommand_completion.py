"""Metacommand words (``structure.metacommands``) are offered where they are written:
right after a comment's opening and the marker (QuickBASIC's `'$DYNAMIC`, `REM $INCLUDE:`,
Pascal's `{$MODE`), and, for QB64's, at a line's start (`$CONSOLE:ONLY`); nowhere else
(a string, a comment's other words, `a$` after a name)."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse


def offered(language: str, text: str) -> list[str]:
    """The labels completion offers at the end of ``text`` (then a new line)."""
    analysis = analyze_with_types(parse(bundled(language), text + "\n"))
    found, _ = complete(analysis, len(text))
    return [c.label for c in found]


def test_quickbasic_metacommands_after_a_comment_s_opening() -> None:
    assert offered("qbasic", "'$DY") == ["DYNAMIC"]
    assert offered("qbasic", "PRINT 1\nREM $in") == ["INCLUDE"]
    assert offered("qbasic", "  ' $") == ["INCLUDE", "DYNAMIC", "STATIC"]
    # QB64's own are no comment metacommands
    assert offered("qbasic", "'$CON") == []


def test_qb64_metacommands_at_a_line_s_start() -> None:
    assert offered("qbasic", "$CON") == ["CONSOLE"]
    assert offered("qbasic", "SCREEN 12\n    $RES") == ["RESIZE"]
    assert offered("qbasic", "$E") == ["ELSEIF", "ELSE", "END IF", "ERROR", "EXEICON", "EMBED"]
    analysis = analyze_with_types(parse(bundled("qbasic"), "$SCREENH\n"))
    found, _ = complete(analysis, len("$SCREENH"))
    assert [(c.kind, c.detail) for c in found] == [("keyword", "metacommand")]
    assert "hidden" in found[0].documentation


def test_no_metacommand_elsewhere() -> None:
    assert "CONSOLE" not in offered("qbasic", "PRINT a$")
    assert offered("qbasic", "' see $DY") == []  # a comment's other words
    # a string (unterminated here: the builtins DYLIBLOAD... may be offered, no metacommand)
    assert "DYNAMIC" not in offered("qbasic", 'PRINT "$DY')
    assert "DYNAMIC" not in offered("qbasic", "x = y + $DY")


def test_pascal_directives_after_an_opening_brace() -> None:
    assert offered("turbopascal", "program P;\n{$MO") == ["MODE", "MODESWITCH"]
    assert offered("turbopascal", "program P;\n{ $MO") == ["MODE", "MODESWITCH"]
    assert offered("turbopascal", "program P;\n{ see $MO") == []


def test_a_definition_s_metacommands_are_checked() -> None:
    base = "name: M\nextensions: [.m]\nstructure:\n  metacommands:\n"
    definition, problems = load_definition_text(
        base + "    marker: '%'\n    in_comments: [ONE, TWO]\n    at_line_start: {X: an x}\n")
    assert definition is not None and definition.structure.metacommands is not None
    spec = definition.structure.metacommands
    assert (spec.marker, spec.in_comments, spec.at_line_start) == (
        "%", (("ONE", ""), ("TWO", "")), (("X", "an x"),))
    _, problems = load_definition_text(base + "    in_comments: 3\n    other: 1\n")
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "unknown key 'other' in 'metacommands' (ignored)"),
        ("error", "'in_comments' must map each word to its description (or list the words)")]
