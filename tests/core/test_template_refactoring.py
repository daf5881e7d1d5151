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

from collections.abc import Callable

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.refactor import extract_function, extract_variable, inline_variable
from craftls.features.refactor.actions import refactor_actions
from craftls.features.refactor.errors import RefactorRefused
from craftls.features.refactor.syntax import LanguageSyntax
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
# (language) -> the places whose answers differ (none now: Pascal's template extracts a
# variable into the VAR section and inlines one assigned once, `assign_variable`).
KNOWN: dict[str, set[str]] = {
    "basic": set(),
    "curly": set(),
    "espanol": set(),
    "teachlang": set(),
    "pascal": set(),
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
        if place == "extract":
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


# (program, the statements to extract, what the template writes): a routine's locals,
# a value set and read after the selection returned, a parameter; the keyword level
# writes the same
FUNCTIONS = {
    "pascal": ("PROGRAM Sums;\nVAR\n  Base, Step, Sum : INTEGER;\nBEGIN\n  Base := 2;\n"
               "  Step := Base + 1;\n  Sum := Step * Base;\n  WriteLn(Sum)\nEND.\n",
               "Step := Base + 1;\n  Sum := Step * Base;",
               "PROCEDURE extracted(Base : INTEGER);\nBEGIN\n  Step := Base + 1;\n"
               "  Sum := Step * Base\nEND;\n"),
    "curly": ("fn twice(a: int) -> int {\n    let b: int = a + 1;\n    let c: int = b * 2;\n"
              "    return c;\n}\n", "let b: int = a + 1;\n    let c: int = b * 2;",
              "fn extracted(a: int) -> int {\n    let b: int = a + 1;\n"
              "    let c: int = b * 2;\n    return c;\n}\n\nfn twice(a: int) -> int {\n"
              "    let c: int = extracted(a);\n"),
    "basic": ("FUNCTION Twice(a AS INTEGER) AS INTEGER\n    DIM b AS INTEGER = a + 1\n"
              "    DIM c AS INTEGER = b * 2\n    RETURN c\nEND FUNCTION\n",
              "DIM b AS INTEGER = a + 1\n    DIM c AS INTEGER = b * 2",
              "FUNCTION extracted(a AS INTEGER) AS INTEGER\n    DIM b AS INTEGER = a + 1\n"
              "    DIM c AS INTEGER = b * 2\n    RETURN c\nEND FUNCTION\n"),
}


@pytest.mark.parametrize("language", sorted(FUNCTIONS))
def test_the_template_extracts_a_function(language: str) -> None:
    text, selected, written = FUNCTIONS[language]
    start = text.index(selected)
    keywords, template = engines(language)
    found = answers(template, text, start, start + len(selected))
    assert found == answers(keywords, text, start, start + len(selected))
    assert written in next(edited for title, edited in found.items()
                           if title.endswith(" 'extracted'"))


def test_pascals_template_extracts_and_inlines_through_the_var_section() -> None:
    text = ("PROGRAM Box;\nVAR\n  Side, Area : INTEGER;\nBEGIN\n  Side := 3;\n"
            "  Area := Side * Side + 1;\n  WriteLn(Area)\nEND.\n")
    keywords, template = engines("pascal")
    at = text.index("Side * Side")
    extracted = answers(template, text, at, at + len("Side * Side"))
    assert extracted["Extract to variable 'value'"] == (
        "PROGRAM Box;\nVAR\n  Side, Area : INTEGER;\n  value : INTEGER;\nBEGIN\n"
        "  Side := 3;\n  value := Side * Side;\n  Area := value + 1;\n  WriteLn(Area)\nEND.\n")
    at = text.index("Area)")
    inlined = answers(template, text, at, at)["Inline variable 'Area'"]
    # the grammar's inline puts a value of several tokens in parentheses wherever it goes
    assert inlined == ("PROGRAM Box;\nVAR\n  Side : INTEGER;\nBEGIN\n  Side := 3;\n"
                       "  WriteLn((Side * Side + 1))\nEND.\n")
    assert "Inline variable 'Area'" in answers(keywords, text, at, at)


# round 21: what the template wrote or refused otherwise than the keyword level, each
# (language, program, what to select, the refactoring, a text the result or the refusal
# has). Parameters of one type grouped and a result's ':' spaced as the file spaces it;
# no parentheses where the file declares a routine without them; a lone statement body
# wrapped in BEGIN..END; a statement after another's ';' on its line; the refusals of a
# loop's condition, an else-if's condition and a call inlined twice; an untyped parameter.
SCORE = ("PROGRAM Demo;\nVAR\n  Total : INTEGER;\n\nFUNCTION Score(N, K : INTEGER) : INTEGER;\n"
         "VAR\n  S, T : INTEGER;\nBEGIN\n  S := N * K;\n  T := S + 1;\n  Score := T * 2\n"
         "END;\n\nBEGIN\n  Total := Score(2, 3);\n  WriteLn(Total)\nEND.\n")
LOOPS = ("remember a = 1\nas_long_as a < 10:\n    a = a + 1\nwhen a > 5:\n    show(a)\n"
         "orwhen a > 2:\n    show(0)\n")
ROUND_21 = [
    ("pascal", SCORE, "S := N * K;\n  T := S + 1;", extract_function,
     "FUNCTION extracted(N, K : INTEGER) : INTEGER;\n"),
    ("basic", "SUB Banner\n    PRINT \"hi\"\nEND SUB\n\nBanner\nPRINT \"bye\"\n",
     "PRINT \"bye\"", extract_function, "SUB extracted\n    PRINT \"bye\"\nEND SUB\n\nextracted\n"),
    ("basic", "SUB Banner()\n    PRINT \"hi\"\nEND SUB\n\nBanner()\nPRINT \"bye\"\n",
     "PRINT \"bye\"", extract_function, "SUB extracted()\n"),
    ("pascal", SCORE.replace("  Score := T * 2\n", "  IF T > 0 THEN\n    Score := T * 2\n"),
     "T * 2", extract_variable,
     "  IF T > 0 THEN\n    BEGIN\n      value := T * 2;\n      Score := value\n    END\nEND;"),
    ("pascal", SCORE.replace("  S := N * K;\n  T := S + 1;\n", "  S := N * K; T := S + 1;\n"),
     "S + 1", extract_variable, "  S := N * K; value := S + 1; T := value;\n"),
    ("teachlang", LOOPS, "a < 10", extract_variable, "every turn"),
    ("teachlang", LOOPS, "a > 2", extract_variable, "only when the ones before it fail"),
    ("teachlang", "remember a = ask(\"?\")\nshow(a)\nshow(a)\n", "a", inline_variable,
     "would call it more than once"),
    # parameters whose type is not known, the last statement's ';' left out of the selection
    ("curly", "fn show(n) {\n    let d = n * 2;\n    print(d);\n    print(n);\n}\nshow(2);\n",
     "print(d);\n    print(n)", extract_function,
     "fn extracted(d, n) {\n    print(d);\n    print(n);\n}\n"),
]


@pytest.mark.parametrize(("language", "text", "selected", "refactoring", "written"),
                         ROUND_21, ids=[f"{c[0]}-{c[3].__name__}-{i}"
                                        for i, c in enumerate(ROUND_21)])
def test_the_template_writes_and_refuses_as_the_keyword_level(
        language: str, text: str, selected: str, refactoring: Callable[..., object],
        written: str) -> None:
    at = text.index(selected)
    place = (at,) if refactoring is inline_variable else (at, at + len(selected))
    results = []
    for definition in engines(language):
        analysis = analyze_with_types(parse(definition, text))
        try:
            edits = refactoring(analysis, *place)
        except RefactorRefused as refused:
            results.append(str(refused))
        else:
            assert isinstance(edits, tuple)
            results.append(applied(text, edits))
    assert results[0] == results[1]
    assert written in results[1]


@pytest.mark.parametrize("spaced", [True, False])
def test_the_keyword_writer_spaces_a_symbol_as_the_file_through_the_template(
        spaced: bool) -> None:
    """``LanguageSyntax.spaced_before`` read the keyword level's node kinds only: on a
    template's tree it found none and wrote ``x: T`` whatever the file wrote. It reads the
    text where the tree is a grammar's, and answers as the keyword level does."""
    text = SCORE if spaced else SCORE.replace(" : ", ": ")
    written = []
    for definition in engines("pascal"):
        syntax = LanguageSyntax(analyze_with_types(parse(definition, text)))
        written.append((syntax.annotated("x", "INTEGER", ()), syntax.result_clause("INTEGER")))
    assert written[0] == written[1] == (("x : INTEGER", " : INTEGER") if spaced
                                        else ("x: INTEGER", ": INTEGER"))
