"""Types through a block style's template (issue 13, one engine): the template's
``run:`` annotations (``syntax/template_runs.py``) let the grammar's type walk type a
keyword-level language as its keyword level does. Programs written for this test, with
typed declarations, arithmetic, comparisons and logic, calls, returns, string
concatenation, arrays and lists, each with type errors: every name's hover (its type
paragraph included) and every diagnostic are the same through both engines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from craftls.features import hover
from craftls.features.analysis import analyze_with_types
from craftls.language.model import LanguageDefinition
from craftls.syntax.parse import parse
from craftls.syntax.tokens import IDENT

from .test_engine_switch import engines

# (language) -> (program, the type errors the keyword level reports in it)
PROGRAMS = {
    "pascal": (
        "PROGRAM Sums;\n"
        "CONST\n"
        "  Base = 10;\n"
        "  Name = 'sums';\n"
        "VAR\n"
        "  Total, K : INTEGER;\n"
        "  Ratio : REAL;\n"
        "  Ok : BOOLEAN;\n"
        "  Word : STRING;\n"
        "  Marks : ARRAY [1..5] OF INTEGER;\n"
        "\n"
        "FUNCTION Half(X : REAL) : REAL;\n"
        "BEGIN\n"
        "  Half := X / 2\n"
        "END;\n"
        "\n"
        "FUNCTION Greet(Who : STRING) : STRING;\n"
        "BEGIN\n"
        "  Greet := 'hi ' + Who\n"
        "END;\n"
        "\n"
        "FUNCTION Count(N : INTEGER) : INTEGER;\n"
        "BEGIN\n"
        "  Count := 'many'\n"
        "END;\n"
        "\n"
        "BEGIN\n"
        "  Total := Base * 2 + 1;\n"
        "  Ratio := Half(Total);\n"
        "  Ok := (Total > 2) AND (Ratio < 9.5);\n"
        "  Word := Greet(Name) + '!';\n"
        "  Total := 'text';\n"
        "  Marks[1] := Total DIV 2;\n"
        "  Ok := NOT Ok;\n"
        "  FOR K := 1 TO 5 DO\n"
        "    Marks[K] := K MOD 2;\n"
        "  WriteLn(Count(Total), Word, Ok)\n"
        "END.\n",
        ["Result of 'Count': expected INTEGER, found STRING",
         "Cannot assign to 'Total': expected INTEGER, found STRING"]),
    "basic": (
        "FUNCTION Half(x AS DOUBLE) AS DOUBLE\n"
        "    RETURN x / 2\n"
        "END FUNCTION\n"
        "\n"
        "FUNCTION Greet(who AS STRING) AS STRING\n"
        "    RETURN \"hi \" & who\n"
        "END FUNCTION\n"
        "\n"
        "FUNCTION Count(n AS INTEGER) AS INTEGER\n"
        "    RETURN \"many\"\n"
        "END FUNCTION\n"
        "\n"
        "DIM total AS INTEGER = 3\n"
        "DIM ratio AS DOUBLE = Half(total)\n"
        "DIM name AS STRING = Greet(\"Ann\")\n"
        "DIM ok AS BOOLEAN = total > 2 AND ratio < 9\n"
        "LET guess = total * 2 + 1\n"
        "LET words = name + \"!\"\n"
        "total = \"text\"\n"
        "DIM flag AS BOOLEAN = NOT ok\n"
        "DIM items AS LIST\n"
        "PRINT Count(total) MOD 3; LEN(name); words\n",
        ["Return value of 'Count': expected INTEGER, found STRING",
         "Cannot assign to 'total': expected INTEGER, found STRING"]),
    "curly": (
        "fn half(x: float) -> float {\n"
        "    return x / 2;\n"
        "}\n"
        "\n"
        "fn greet(who: string) -> string {\n"
        "    return \"hi \" + who;\n"
        "}\n"
        "\n"
        "fn count(n: int) -> int {\n"
        "    return \"many\";\n"
        "}\n"
        "\n"
        "fn twice(n: int) {\n"
        "    return n * 2;\n"
        "}\n"
        "\n"
        "let total: int = 3;\n"
        "let ratio: float = half(total);\n"
        "let name: string = greet(\"Ann\");\n"
        "let ok: bool = total > 2 && ratio < 9.5;\n"
        "let guess = total * 2 + 1;\n"
        "let words = name + \"!\";\n"
        "total = \"text\";\n"
        "let flag = !ok;\n"
        "let items = [1, 2, 3];\n"
        "for item in items {\n"
        "    print(item % 2, twice(item));\n"
        "}\n"
        "let wrong: int = greet(\"Bo\");\n"
        "print(count(total), words, flag);\n",
        ["Return value of 'count': expected int, found string",
         "Cannot assign to 'total': expected int, found string",
         "Cannot initialize 'wrong': expected int, found string"]),
    "espanol": (
        "función mitad(x: Real): Real\n"
        "    retornar x / 2\n"
        "fin función\n"
        "\n"
        "función saludo(quien: Texto): Texto\n"
        "    retornar \"hola \" + quien\n"
        "fin función\n"
        "\n"
        "función cuenta(n: Entero): Entero\n"
        "    retornar \"muchos\"\n"
        "fin función\n"
        "\n"
        "variable total: Entero = 3\n"
        "variable razón: Real = mitad(total)\n"
        "variable nombre: Texto = saludo(\"Ana\")\n"
        "variable bien: Lógico = total > 2 y razón < 9\n"
        "variable doble = total * 2 + 1\n"
        "variable palabras = nombre + \"!\"\n"
        "total = \"texto\"\n"
        "variable lista = [1, 2, 3]\n"
        "para elemento en lista hacer\n"
        "    escribir(elemento % 2)\n"
        "fin para\n"
        "variable mal: Entero = saludo(\"Bo\")\n"
        "escribir(cuenta(total), palabras, bien)\n",
        ["Return value of 'cuenta': expected Entero, found Texto",
         "Cannot assign to 'total': expected Entero, found Texto",
         "Cannot initialize 'mal': expected Entero, found Texto"]),
    "teachlang": (
        "teach half(x: decimal) -> decimal:\n"
        "    give_back x / 2\n"
        "\n"
        "teach greet(who: text) -> text:\n"
        "    give_back \"hi \" + who\n"
        "\n"
        "teach count(n: int) -> int:\n"
        "    give_back \"many\"\n"
        "\n"
        "teach twice(n: int):\n"
        "    give_back n * 2\n"
        "\n"
        "remember total: int = 3\n"
        "remember ratio: decimal = half(total)\n"
        "remember name: text = greet(\"Ann\")\n"
        "remember ok = total > 2 and ratio < 9.5\n"
        "remember guess = total * 2 + 1\n"
        "remember words = name + \"!\"\n"
        "total = \"text\"\n"
        "remember flag = not ok\n"
        "remember items = [1, 2, 3]\n"
        "repeat_for item inside items:\n"
        "    show(item % 2, twice(item), item // 2)\n"
        "remember wrong: int = greet(\"Bo\")\n"
        "show(count(total), words, flag)\n",
        ["Return value of 'count': expected int, found text",
         "Cannot assign to 'total': expected int, found text",
         "Cannot initialize 'wrong': expected int, found text"]),
}


def hovers(definition: LanguageDefinition, text: str) -> dict[tuple[int, str], str | None]:
    analysis = analyze_with_types(parse(definition, text))
    found = {}
    for token in analysis.parsed.root.leaves():
        if token.kind == IDENT:
            info = hover.hover(analysis, token.start)
            found[token.start, token.text] = info.markdown if info else None
    return found


def diagnostics(definition: LanguageDefinition, text: str) -> list[tuple[int, int, str, str]]:
    return [(d.start, d.end, d.severity, d.message)
            for d in analyze_with_types(parse(definition, text)).diagnostics]


@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_the_template_types_as_the_keyword_level(language: str) -> None:
    text, errors = PROGRAMS[language]
    keywords, template = engines(language)
    found = diagnostics(template, text)
    assert found == diagnostics(keywords, text)
    assert [d[3] for d in found if d[2] == "error"] == errors
    expected = hovers(keywords, text)
    assert hovers(template, text) == expected
    assert sum("\n\ntype: `" in (h or "") for h in expected.values()) >= 10


# the bundled examples and type fixtures of the five languages: their diagnostics and
# the type each name's hover shows are the same through both engines, but where the
# keyword level narrows a variable by a comparison with null (`si aviso == nulo
# entonces ... sino`: a Texto there, Texto? through the template, whose type walk does
# not narrow)
ROOT = Path(__file__).resolve().parents[2]
EXTENSIONS = {"basic": "bas", "curly": "cur", "espanol": "esp", "teachlang": "teach",
              "pascal": "pas"}
EXAMPLES = sorted((language, path.relative_to(ROOT).as_posix())
                  for language, extension in EXTENSIONS.items()
                  for folder in (ROOT / "examples" / language, ROOT / "tests/fixtures/types")
                  for path in folder.glob(f"*.{extension}"))
NARROWED = {("examples/espanol/inventario.esp", "aviso"): ("Texto", "Texto?")}


def type_paragraphs(definition: LanguageDefinition, text: str) -> dict[tuple[int, str], str]:
    return {at: found.group(1) for at, markdown in hovers(definition, text).items()
            if (found := re.search(r"\n\ntype: `([^`]*)`", markdown or ""))}


@pytest.mark.parametrize(("language", "path"), EXAMPLES)
def test_the_examples_type_alike(language: str, path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    keywords, template = engines(language)
    assert diagnostics(template, text) == diagnostics(keywords, text)
    expected, found = type_paragraphs(keywords, text), type_paragraphs(template, text)
    differing = {(path, word): (expected[at, word], found.get((at, word)))
                 for at, word in expected if found.get((at, word)) != expected[at, word]}
    assert differing == {k: v for k, v in NARROWED.items() if k[0] == path}
    assert len(expected) >= 5
