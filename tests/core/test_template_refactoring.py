"""Refactorings through a block style's template (issue 13, one engine): the template
writes a ``grammar.refactoring`` section from the definition's data
(``syntax/template_runs.py``), so extract variable, inline variable and the
declare-variable quick fix are offered through the template as at the keyword level.
Each bundled keyword-level language, on a program written for this test, is asked at the
same four places through both engines; the answers (each action's title and the text its
edits make) are the same but for the differences pinned in ``KNOWN``, each by what it
is, so that fixing one makes this test fail. A declaration is written as the file writes
its others (its favourite declaring word, a type when most of them have one), and the
quick fix turns the name's assignment into its declaration, through both engines."""

from __future__ import annotations

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.refactor.actions import refactor_actions
from craftls.language.model import LanguageDefinition
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse

from .test_engine_switch import LANGUAGES, engines

# (program, an expression to extract, a variable to inline, a statement to extract as a
# routine); each assigns the undefined name `total` (or `Total`)
PROGRAMS = {
    "basic": ("DIM width AS INTEGER = 4\nDIM area AS INTEGER = width * 3\nPRINT area + 1\n"
              "total = area * 2\nPRINT total\n", "width * 3", "width", "PRINT area + 1"),
    "curly": ("let width: int = 4;\nlet area: int = width * 3;\nprint(area + 1);\n"
              "total = area * 2;\nprint(total);\n", "width * 3", "width", "print(area + 1);"),
    "espanol": ("variable ancho: Entero = 4\nvariable area: Entero = ancho * 3\n"
                "escribir(area + 1)\ntotal = area * 2\nescribir(total)\n", "ancho * 3",
                "ancho", "escribir(area + 1)"),
    "teachlang": ("remember width = 4\nremember area = width * 3\nshow(area + 1)\n"
                  "total = area * 2\nshow(total)\n", "width * 3", "width", "show(area + 1)"),
    "pascal": ("PROGRAM Area;\nVAR\n  Width, Area : INTEGER;\nBEGIN\n  Width := 4;\n"
               "  Area := Width * 3;\n  WriteLn(Area + 1);\n  Total := Area * 2;\n"
               "  WriteLn(Total)\nEND.\n", "Width * 3", "Width", "WriteLn(Area + 1)"),
}
# (language) -> the places whose answers differ. Pascal's sections: the keyword level
# extracts a variable into the VAR section and inlines one assigned once, the grammar's
# refactorings need a declaration with its value (the template offers neither).
KNOWN = {
    "basic": set(),
    "curly": set(),
    "espanol": set(),
    "teachlang": set(),
    "pascal": {"extract", "inline"},
}


def applied(text: str, edits: tuple[TextEdit, ...]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def answers(definition: LanguageDefinition, text: str, start: int, end: int
            ) -> dict[str, str]:
    analysis = analyze_with_types(parse(definition, text))
    return {action.title: applied(text, action.edits)
            for action in refactor_actions(analysis, start, end)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_refactorings_answer_alike(language: str) -> None:
    text, expression, variable, statement = PROGRAMS[language]
    at = text.index(expression)
    undefined = text.lower().index("total")
    places = {"extract": (at, at + len(expression)),
              "inline": (text.index(variable),) * 2,
              "declare": (undefined, undefined),
              "function": (text.index(statement), text.index(statement) + len(statement))}
    keywords, template = engines(language)
    differing = set()
    for place, (start, end) in places.items():
        expected = answers(keywords, text, start, end)
        found = answers(template, text, start, end)
        if found != expected:
            differing.add(place)
        if place == "extract" and language != "pascal":
            # offered through the template too, with the same title
            assert set(found) == set(expected) and found
    assert differing == KNOWN[language]


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "pascal"])
def test_the_template_inlines_a_typed_declaration(language: str) -> None:
    """Inline variable through the template: the variable's uses take its value, and
    its declaration (with its type written or not) goes, as at the keyword level."""
    text, _, variable, _ = PROGRAMS[language]
    at = text.index(variable)
    title = f"Inline variable '{variable}'"
    found = answers(engines(language)[1], text, at, at)
    assert found[title] == answers(engines(language)[0], text, at, at)[title]
    assert variable not in found[title]


# files whose declarations write no type, or use another declaring word: extract
# variable and the quick fix follow them (the second assigns `total` a value whose type
# is not known)
OTHER_STYLES = {
    "basic": ("LET width = 4\nLET area = width * 3\ntotal = area * 2\nPRINT total\n",
              "width * 3"),
    "curly": ("let width = 4;\nlet area = width * 3;\ntotal = area * 2;\nprint(total);\n",
              "width * 3"),
    "espanol": ("variable ancho = 4\nvariable area = ancho * 3\ntotal = area * 2\n"
                "escribir(total)\n", "ancho * 3"),
    "teachlang": ("remember width: int = 4\nremember area: int = width * 3\n"
                  "total = area * 2\nshow(total)\n", "width * 3"),
}


@pytest.mark.parametrize("language", sorted(OTHER_STYLES))
def test_a_declaration_is_written_as_the_files_others(language: str) -> None:
    text, expression = OTHER_STYLES[language]
    at, undefined = text.index(expression), text.lower().index("total")
    keywords, template = engines(language)
    for start, end in ((at, at + len(expression)), (undefined, undefined)):
        expected = answers(keywords, text, start, end)
        assert answers(template, text, start, end) == expected and expected
    first = text.split()[0]
    extracted = answers(template, text, at, at + len(expression))["Extract to variable 'value'"]
    declared = answers(template, text, undefined, undefined)["Declare variable 'total'"]
    assert f"{first} value" in extracted and f"{first} total" in declared
    assert (": int" in text) == (": int" in declared)
