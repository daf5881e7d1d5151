"""``structure.engine: template`` (issue 13, "one engine"): a keyword-level definition
served through its block style's grammar template. The key is read and checked as data;
and each bundled keyword-level language, loaded with the key, answers a program written
for this test as the keyword-level parser does: diagnostics, hover, definition,
references, rename, signature help, completion, symbols, folding, semantic tokens,
formatting and an incremental edit. The differences that remain are pinned here, each
by what it is (``KNOWN``), so that fixing one makes this test fail."""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

import pytest
import yaml

from craftls.cli.editor_cmd import claimed_extensions
from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.catalog import bundled, by_extension
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.block_templates import dump_yaml, eject
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse
from craftls.syntax.tokens import IDENT

from .conftest import with_engine

LANGUAGES = ["pascal", "basic", "curly", "espanol", "teachlang"]


@cache
def engines(language: str) -> tuple[LanguageDefinition, LanguageDefinition]:
    """(keyword level, template) of one bundled language."""
    found = []
    for engine in ("keywords", "template"):
        definition, problems = load_definition_text(with_engine(language, engine), language)
        assert [p.message for p in problems] == [] and definition is not None
        found.append(definition)
    assert found[0].grammar is None and found[1].grammar is not None
    return found[0], found[1]


# ---------------------------------------------------------------- the key


def problems_of(text: str) -> list[tuple[str, int, int, str]]:
    _, problems = load_definition_text(text)
    return [(p.message, p.line, p.column, p.severity) for p in problems]


def test_an_unknown_engine_is_an_error_at_its_value() -> None:
    text = with_engine("curly", "grammar")
    line = text.splitlines().index("  engine: grammar") + 1
    assert problems_of(text) == [
        ("'engine' must be one of keywords, template, not 'grammar'", line, 11, "error")]


def test_the_default_engine_is_the_keyword_level() -> None:
    definition, problems = load_definition_text(with_engine("curly", None))
    assert problems == [] and definition is not None
    assert definition.grammar is None and definition.structure.engine == "keywords"


def test_a_template_served_definition_does_not_take_an_extension_from_a_grammar() -> None:
    """Which engine serves a keyword-level definition does not decide who opens a file:
    a `.pas` file is still the grammar-defined Pascal's (and the editor files agree)."""
    template = engines("pascal")[1]
    grammar = bundled("turbopascal")
    assert ".pas" in template.extensions and ".pas" in grammar.extensions
    assert by_extension("a.pas", [template, grammar]) is grammar
    assert claimed_extensions([template, grammar])[template.id] == tuple(
        e for e in template.extensions if e not in grammar.extensions)


def test_a_template_and_a_grammar_section_are_an_error() -> None:
    text = with_engine("curly", "template") + "grammar:\n  start: file\n  rules:\n    file: IDENT*\n"
    line = text.splitlines().index("  engine: template") + 1
    found = problems_of(text)
    assert len(found) == 1 and found[0][1:] == (line, 11, "error"), found
    assert "its own 'grammar' section" in found[0][0]


def test_what_the_template_cannot_write_is_reported_at_the_key() -> None:
    text = with_engine("basic", "template").replace("structure:\n",
                                                    "structure:\n  line_numbers: true\n", 1)
    line = text.splitlines().index("  engine: template") + 1
    assert problems_of(text) == [("engine 'template': line_numbers has no template yet",
                                  line, 11, "error")]
    text = with_engine("curly", "template").replace(
        "structure:\n", "structure:\n  block_end_required: false\n", 1)
    found = problems_of(text)
    assert [f[3] for f in found] == ["warning"]
    assert "block_end_required: false is not in the template yet" in found[0][0]


def test_ejecting_a_templated_definition_writes_its_grammar_without_the_key() -> None:
    source = yaml.safe_load(with_engine("espanol", "template"))
    ejected, notes = eject(source, engines("espanol")[1])
    assert notes == [] and "engine" not in ejected["structure"]
    definition, problems = load_definition_text(dump_yaml(ejected))
    assert problems == [] and definition is not None
    assert definition.grammar is not None
    assert [(p.name, p.meaning) for p in definition.grammar.rules] == [
        (p.name, p.meaning) for p in engines("espanol")[1].grammar.rules]  # type: ignore[union-attr]


# ---------------------------------------------------------------- both engines

# (program, a call's argument, a statement start in a body): written for this test; each
# has an undefined name and a call with an argument missing
PROGRAMS = {
    "pascal": ("PROGRAM Tally;\n{ counts the even numbers below a limit }\nCONST\n"
               "  Limit = 20;\nTYPE\n  Pair = RECORD\n    Low : INTEGER;\n"
               "    High : INTEGER;\n  END;\nVAR\n  Count, K : INTEGER;\n  Range : Pair;\n\n"
               "FUNCTION IsEven(N : INTEGER) : BOOLEAN;\nBEGIN\n  IsEven := N MOD 2 = 0\nEND;\n\n"
               "PROCEDURE Bump(VAR Total : INTEGER; Step : INTEGER);\nBEGIN\n"
               "  Total := Total + Step\nEND;\n\nBEGIN\n  Count := 0;\n  Range.Low := 1;\n"
               "  FOR K := 1 TO Limit DO\n  BEGIN\n    IF IsEven(K) THEN\n"
               "      Bump(Count, 1)\n    ELSE\n      Bump(Count, 0)\n  END;\n"
               "  WHILE Count > 100 DO\n    Count := Count - Missing;\n  REPEAT\n"
               "    Count := Count - 1\n  UNTIL Count < 5;\n  WriteLn('even: ', Count);\n"
               "  Bump(Count)\nEND.\n", "Bump(Count, 1", "  Total := Total"),
    "basic": ("CONST LIMIT = 20 ' counts the even numbers below a limit\n\n"
              "FUNCTION IsEven(n AS INTEGER) AS INTEGER\n    RETURN n MOD 2 = 0\nEND FUNCTION\n\n"
              "SUB Bump(total AS INTEGER, stepSize AS INTEGER)\n    PRINT total + stepSize\n"
              "END SUB\n\nDIM count AS INTEGER = 0\nFOR k = 1 TO LIMIT\n    IF IsEven(k) THEN\n"
              "        count = count + 1\n    ELSEIF k > 15 THEN\n"
              "        count = count + missing\n    ELSE\n        Bump count, 1\n    END IF\n"
              "NEXT k\nWHILE count > 100\n    count = count - 1\nWEND\n"
              "PRINT \"even: \"; count\nBump(count)\n", "Bump count, 1", "    PRINT total"),
    "curly": ("// counts the even numbers below a limit\nconst LIMIT: int = 20;\n\n"
              "fn is_even(n: int) -> bool {\n    return n % 2 == 0;\n}\n\n"
              "fn bump(total: int, step: int) -> int {\n    return total + step;\n}\n\n"
              "let count: int = 0;\nfor k in range(0, LIMIT) {\n    if (is_even(k)) {\n"
              "        count = bump(count, 1);\n    } else {\n"
              "        count = count + missing;\n    }\n}\nwhile (count > 100) {\n"
              "    count = count - 1;\n}\nprint(\"even: \", count);\nbump(count);\n",
              "bump(count, 1", "    return total"),
    "espanol": ("-- cuenta los números pares bajo un límite\nconstante LÍMITE = 20\n\n"
                "función es_par(n: Entero): Lógico\n    retornar n % 2 == 0\nfin función\n\n"
                "procedimiento sumar_uno(total: Entero)\n    escribir(total + 1)\n"
                "fin procedimiento\n\nvariable cuenta = 0\npara k = 1 hasta LÍMITE hacer\n"
                "    si es_par(k) entonces\n        cuenta = cuenta + 1\n"
                "    sino_si k > 15 entonces\n        cuenta = cuenta + falta\n    sino\n"
                "        sumar_uno(cuenta)\n    fin si\nfin para\nmientras cuenta > 100 hacer\n"
                "    cuenta = cuenta - 1\nfin mientras\nescribir(\"pares: \", cuenta)\n"
                "sumar_uno()\n", "escribir(\"pares: \", c", "    escribir(total"),
    "teachlang": ("# counts the even numbers below a limit\nremember limit = 20\n\n"
                  "teach is_even(n: int) -> bool:\n    give_back n % 2 == 0\n\n"
                  "teach bump(total: int, step: int) -> int:\n    give_back total + step\n\n"
                  "remember count = 0\nrepeat_for k inside range(1, limit):\n"
                  "    when is_even(k):\n        count = bump(count, 1)\n"
                  "    orwhen k > 15:\n        count = count + missing\n    otherwise:\n"
                  "        show(k)\nas_long_as count > 100:\n    count = count - 1\n"
                  "show(\"even: \", count)\nbump(count)\n", "bump(count, 1", "    give_back total"),
}

# The template's ``run:`` annotations (``syntax/template_runs.py``) give the grammar's
# type walk what the keyword level types: hovers are compared with their "type: `T`"
# paragraph, and the type checks are the same (BASIC's return of a truth value from an
# INTEGER function); ``test_template_types.py`` compares more programs.
# (language) -> what else differs, by name (nothing now: formatting, hover and the rest
# answer alike)
KNOWN: dict[str, dict[str, set[str]]] = {}
# (language) -> where the keyword level is wrong and the template right, by name: Pascal's
# record member `Range.Low` is its field's (definition, references, rename, hover, a
# property's colour) with the template; the keyword level finds no symbol there and
# colours it as a variable's declaration. ``test_a_record_member_is_its_field`` checks
# the template's answers
KEYWORD_LEVEL_WRONG: dict[str, dict[str, set[str]]] = {
    "pascal": {"navigation": {"Low"}, "hover": {"Low"}, "tokens": {"Low"}},
}


def answers(definition: LanguageDefinition, text: str, call: str, line: str
            ) -> dict[str, Any]:
    """What every compared feature answers for ``text``."""
    analysis = analyze_with_types(parse(definition, text))
    at_call = text.index(call) + len(call)
    at_line = text.index(line)
    names: dict[tuple[int, str], Any] = {}
    for token in analysis.parsed.root.leaves():
        if token.kind != IDENT:
            continue
        found = navigation.definition(analysis, token.start)
        info = hover.hover(analysis, token.start)
        try:
            renamed = sorted(s.start for s in navigation.rename_spans(analysis, token.start,
                                                                      "renamed9"))
        except navigation.RenameRefused as refused:
            renamed = [str(refused)]  # type: ignore[list-item]
        names[token.start, token.text] = {
            "navigation": (found.start if found else None,
                           [(s.start, s.is_write) for s in navigation.references(
                               analysis, token.start)], renamed),
            "hover": info.markdown if info else None,
        }

    def symbols(items: list[outline.OutlineItem]) -> list[Any]:
        return [(i.name, i.kind, i.name_start, symbols(i.children)) for i in items]

    signature = hover.signature_help(analysis, at_call)
    return {
        "diagnostics": [(d.start, d.end, d.severity, d.message) for d in analysis.diagnostics],
        "names": names,
        "signature": (signature.label, signature.parameters, signature.active_parameter)
        if signature else None,
        "completion": {c.label for c in completion.complete(analysis, at_line)[0]},
        "symbols": symbols(outline.document_symbols(analysis)),
        "folds": sorted((text.count("\n", 0, f.start), text.count("\n", 0, f.end))
                        for f in outline.folding_ranges(analysis)),
        "tokens": {t.start: (t.length, t.type, t.modifiers)
                   for t in semantic_tokens.classify(analysis)},
        "format": format_text(analysis.parsed),
    }


def reindented(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_engines_answer_alike(language: str) -> None:
    text, call, line = PROGRAMS[language]
    keywords, template = engines(language)
    expected, found = (answers(keywords, text, call, line),
                       answers(template, text, call, line))
    known = {what: KNOWN.get(language, {}).get(what, set())
             | KEYWORD_LEVEL_WRONG.get(language, {}).get(what, set())
             for what in ("navigation", "hover", "tokens")}
    assert [d for d in expected["diagnostics"] if d not in found["diagnostics"]] == []
    assert [d for d in found["diagnostics"] if d not in expected["diagnostics"]] == []
    assert len(found["diagnostics"]) >= 2  # the undefined name and the missing argument
    for what in ("navigation", "hover"):
        differing = {word for (start, word), facts in expected["names"].items()
                     if facts[what] != found["names"][start, word][what]}
        assert differing == known[what], what
    assert found["signature"] == expected["signature"] and found["signature"] is not None
    # the program's names the keyword level offers at a statement's start (its keywords
    # there are all the statement keywords, the grammar's only those that may follow)
    words = {w.lower() for spellings in keywords.keywords.values() for w in spellings}
    assert found["completion"] >= {label for label in expected["completion"]
                                   if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)
                                   and label.lower() not in words}
    assert found["symbols"] == expected["symbols"]
    assert found["folds"] == expected["folds"]
    differing_tokens = {text[start:start + expected["tokens"][start][0]]
                        for start in expected["tokens"]
                        if expected["tokens"][start] != found["tokens"].get(start)}
    assert differing_tokens == known["tokens"]
    # laid out alike, and the programs are laid out as the formatter lays them out
    assert found["format"] == expected["format"] == text
    messy = reindented(text) if language != "teachlang" else text.replace(" = ", " =  ")
    assert format_text(parse(template, messy)) == format_text(parse(keywords, messy)) == text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edit_reparses_alike_in_both(language: str) -> None:
    """An edit inside a body: the incremental reparse gives what a full parse gives, and
    the two engines the same diagnostics and outline."""
    text, _, line = PROGRAMS[language]
    at = text.index(line) + len(line)
    edit = TextEdit(at, at, "1")
    edited = text[:at] + "1" + text[at:]
    results = []
    for definition in engines(language):
        incremental, _ = apply_edit(parse(definition, text), edit)
        assert incremental.green == parse(definition, edited).green
        analysis = analyze_with_types(incremental)
        results.append(([(d.start, d.message) for d in analysis.diagnostics],
                        [(i.name, i.name_start) for i in outline.document_symbols(analysis)]))
    assert results[0] == results[1]


# (language) -> the keyword level's selection ranges the template has no node for, by
# their text: a function's result type annotation (the template's node is the type's
# name only); and Pascal's
# statements, whose range at the keyword level takes the ';' after them (a separator
# between statements, which the template's statement leaves out)
SELECTION_GAP = {
    "pascal": {": BOOLEAN"},
    "basic": {"AS INTEGER"},
    "curly": {"-> int", "-> bool"},
    "espanol": {": Lógico"},
    "teachlang": {"-> int", "-> bool"},
}


def _selection_gap(text: str, at: int, wanted: list[tuple[int, int]],
                   found: list[tuple[int, int]]) -> set[str]:
    gap = set()
    for start, end in wanted:
        # a statement and its ';' (from the ';' itself: the ';' is no statement's part)
        separated = text[end - 1:end] == ";" and ((start, end - 1) in found or at == end - 1)
        if (start, end) in found or separated:
            continue
        gap.add(text[start:end])
    return gap


@pytest.mark.parametrize("language", LANGUAGES)
def test_selection_ranges_hold_the_keyword_levels(language: str) -> None:
    """From every token, the template's selection ranges grow outwards and hold every
    range of the keyword level's (statements, blocks, expressions), but for those
    ``SELECTION_GAP`` names."""
    text = PROGRAMS[language][0]
    keywords, template = (analyze_with_types(parse(d, text)) for d in engines(language))
    gap: set[str] = set()
    for token in keywords.parsed.root.leaves():
        if token.is_trivia:
            continue
        found = outline.selection_ranges(template, token.start)
        assert all(a[0] >= b[0] and a[1] <= b[1] and a != b for a, b in pairwise(found))
        gap |= _selection_gap(text, token.start,
                              outline.selection_ranges(keywords, token.start), found)
    assert gap == SELECTION_GAP.get(language, set())


def test_a_list_result_type_is_shown_whole_by_both_engines() -> None:
    """A routine's result written around a type name (curly's `-> [float]`) is the whole
    `[float]` in its hover's signature through the template too (it showed the element
    type, `float`: the template's result was the type name inside the list type)."""
    text = ("fn firsts(xs: [float]) -> [float] {\n    return xs;\n}\n"
            "let ys: [float] = firsts([1.0]);\n")
    shown = []
    for definition in engines("curly"):
        analysis = analyze_with_types(parse(definition, text))
        info = hover.hover(analysis, text.index("firsts", 60))
        assert info is not None
        shown.append(info.markdown.split("\n")[1])
    assert shown == ["function firsts(xs: [float]): [float]"] * 2
