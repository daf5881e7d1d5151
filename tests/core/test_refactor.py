"""Refactoring code actions over every bundled language: extract variable, extract
function/procedure, inline variable, declare variable, and their refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features.analysis import analyze_with_types
from craftls.features.refactor import (
    EXTRACT,
    INLINE,
    QUICKFIX,
    RefactorRefused,
    apply_edits,
    declare_variable,
    extract_function,
    extract_variable,
    inline_variable,
    refactor_actions,
)
from craftls.language.catalog import BUNDLED_DIR, bundled, bundled_ids
from craftls.language.loader import load_definition_text
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax import kinds as K
from craftls.syntax.parse import parse

from .conftest import SAMPLES, served_by

# The same small routine in every bundled language: two locals, a result, and a call.
PROGRAMS = {
    "pascal": """PROGRAM Demo;
VAR
  Total : INTEGER;

FUNCTION Score(N, K : INTEGER) : INTEGER;
VAR
  S, T : INTEGER;
BEGIN
  S := N * K;
  T := S + 1;
  Score := T * 2
END;

BEGIN
  Total := Score(2, 3);
  WriteLn(Total + 1)
END.
""",
    "curly": """fn score(n: int, k: int) -> int {
    let s: int = n * k;
    let t: int = s + 1;
    return t * 2;
}

fn main() {
    print(score(2, 3));
}
""",
    "basic": """FUNCTION Score(n AS INTEGER, k AS INTEGER) AS INTEGER
    DIM s AS INTEGER = n * k
    DIM t AS INTEGER = s + 1
    RETURN t * 2
END FUNCTION

PRINT Score(2, 3)
""",
    "espanol": """función puntos(n: Entero, k: Entero): Entero
    variable s = n * k
    variable t = s + 1
    retornar t * 2
fin función

escribir(puntos(2, 3))
""",
    "teachlang": """teach score(n: int, k: int) -> int:
    remember s = n * k
    remember t = s + 1
    give_back t * 2

show(score(2, 3))
""",
}

# (what the multiplication becomes, the statement declaring it) per language
EXTRACTED_VARIABLE = {
    "pascal": ("  S, T : INTEGER;\n  value : INTEGER;\nBEGIN\n  value := N * K;\n"
               "  S := value;\n"),
    "curly": "    let value: int = n * k;\n    let s: int = value;\n",
    "basic": "    DIM value AS INTEGER = n * k\n    DIM s AS INTEGER = value\n",
    "espanol": "    variable value = n * k\n    variable s = value\n",
    "teachlang": "    remember value = n * k\n    remember s = value\n",
}

EXTRACTED_FUNCTION = {
    "pascal": """FUNCTION extracted(N, K : INTEGER) : INTEGER;
VAR
  S : INTEGER;
  T : INTEGER;
BEGIN
  S := N * K;
  T := S + 1;
  extracted := T
END;

FUNCTION Score(N, K : INTEGER) : INTEGER;
VAR
  T : INTEGER;
BEGIN
  T := extracted(N, K);
  Score := T * 2
END;
""",
    "curly": """fn extracted(n: int, k: int) -> int {
    let s: int = n * k;
    let t: int = s + 1;
    return t;
}

fn score(n: int, k: int) -> int {
    let t: int = extracted(n, k);
    return t * 2;
}
""",
    "basic": """FUNCTION extracted(n AS INTEGER, k AS INTEGER) AS INTEGER
    DIM s AS INTEGER = n * k
    DIM t AS INTEGER = s + 1
    RETURN t
END FUNCTION

FUNCTION Score(n AS INTEGER, k AS INTEGER) AS INTEGER
    DIM t AS INTEGER = extracted(n, k)
    RETURN t * 2
END FUNCTION
""",
    "espanol": """función extracted(n: Entero, k: Entero): Entero
    variable s = n * k
    variable t = s + 1
    retornar t
fin función

función puntos(n: Entero, k: Entero): Entero
    variable t = extracted(n, k)
    retornar t * 2
fin función
""",
    "teachlang": """teach extracted(n: int, k: int) -> int:
    remember s = n * k
    remember t = s + 1
    give_back t

teach score(n: int, k: int) -> int:
    remember t = extracted(n, k)
    give_back t * 2
""",
}

# inlining t (t = s + 1) into "t * 2" needs parentheses
INLINED = {
    "pascal": "VAR\n  S : INTEGER;\nBEGIN\n  S := N * K;\n  Score := (S + 1) * 2\nEND;\n",
    "curly": "    let s: int = n * k;\n    return (s + 1) * 2;\n}\n",
    "basic": "    DIM s AS INTEGER = n * k\n    RETURN (s + 1) * 2\nEND FUNCTION\n",
    "espanol": "    variable s = n * k\n    retornar (s + 1) * 2\nfin función\n",
    "teachlang": "    remember s = n * k\n    give_back (s + 1) * 2\n\n",
}


def analysis_of(language_id: str, text: str) -> FileAnalysis:
    return analyze_with_types(parse(bundled(language_id), text))


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def undefined_names(language_id: str, text: str) -> list[str]:
    return [d.data["name"] for d in analysis_of(language_id, text).diagnostics
            if d.code == "undefined-name"]


def assert_clean(language_id: str, before: str, after: str) -> None:
    """The result parses without errors and resolves every name the original did."""
    assert parse(bundled(language_id), after).errors == []
    assert len(undefined_names(language_id, after)) <= len(undefined_names(language_id, before))


def statements_span(text: str, first: str, last: str) -> tuple[int, int]:
    return text.index(first), text.index(last) + len(last)


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_extract_variable(language_id: str) -> None:
    text = PROGRAMS[language_id]
    needle = "N * K" if language_id == "pascal" else "n * k"
    result = apply_edits(text, extract_variable(analysis_of(language_id, text),
                                                *span(text, needle)))
    assert EXTRACTED_VARIABLE[language_id] in result
    assert result.count(needle) == 1
    assert_clean(language_id, text, result)


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_extract_function_with_parameters_and_a_result(language_id: str) -> None:
    text = PROGRAMS[language_id]
    lines = [line.strip() for line in text.splitlines()]
    first = next(line for line in lines if "* k" in line.lower() and "(" not in line)
    last = next(line for line in lines if "+ 1" in line)
    result = apply_edits(text, extract_function(analysis_of(language_id, text),
                                                *statements_span(text, first, last)))
    assert EXTRACTED_FUNCTION[language_id] in result
    assert_clean(language_id, text, result)


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_inline_variable_parenthesizes_by_precedence(language_id: str) -> None:
    text = PROGRAMS[language_id]
    use = text.index("T * 2" if language_id == "pascal" else "t * 2")
    edits = inline_variable(analysis_of(language_id, text), use)
    result = apply_edits(text, edits)
    assert INLINED[language_id] in result
    assert "+ 1" in result and result.count("+ 1") == text.count("+ 1")
    assert_clean(language_id, text, result)


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_actions_are_offered_at_a_selection(language_id: str) -> None:
    text = PROGRAMS[language_id]
    analysis = analysis_of(language_id, text)
    needle = "N * K" if language_id == "pascal" else "n * k"
    titles = {(a.kind, a.title) for a in refactor_actions(analysis, *span(text, needle))}
    assert (EXTRACT, "Extract to variable 'value'") in titles
    whole = span(text, needle)
    statement_end = text.index("\n", whole[1])
    statement_start = text.rindex("\n", 0, whole[0]) + 1
    kinds = [a.kind for a in refactor_actions(analysis, statement_start, statement_end)]
    assert EXTRACT in kinds
    cursor = text.index("t * 2" if language_id != "pascal" else "T * 2")
    inline = [a for a in refactor_actions(analysis, cursor, cursor) if a.kind == INLINE]
    assert [a.title for a in inline] == [
        f"Inline variable '{'T' if language_id == 'pascal' else 't'}'"]


PROCEDURES = {
    "pascal": ("BEGIN\n  Total := Score(2, 3);\n  WriteLn(Total + 1)\nEND.",
               "WriteLn(Total + 1)", "PROCEDURE extracted(Total : INTEGER);\nBEGIN\n"
               "  WriteLn(Total + 1)\nEND;\n\nBEGIN\n  Total := Score(2, 3);\n"
               "  extracted(Total)\nEND."),
    "basic": ("PRINT Score(2, 3)", "PRINT Score(2, 3)",
              "SUB extracted()\n    PRINT Score(2, 3)\nEND SUB\n\nextracted()\n"),
    "espanol": ("escribir(puntos(2, 3))", "escribir(puntos(2, 3))",
                "procedimiento extracted()\n    escribir(puntos(2, 3))\nfin procedimiento\n\n"
                "extracted()\n"),
    "curly": ("print(score(2, 3));", "print(score(2, 3));",
              "fn extracted() {\n    print(score(2, 3));\n}\n\nfn main() {\n    extracted();\n"
              "}\n"),
    "teachlang": ("show(score(2, 3))", "show(score(2, 3))",
                  "teach extracted():\n    show(score(2, 3))\n\nextracted()\n"),
}


@pytest.mark.parametrize("language_id", sorted(PROCEDURES))
def test_extract_procedure_without_a_result(language_id: str) -> None:
    text = PROGRAMS[language_id]
    _, selected, expected = PROCEDURES[language_id]
    analysis = analysis_of(language_id, text)
    result = apply_edits(text, extract_function(analysis, *span(text, selected)))
    assert expected in result
    assert_clean(language_id, text, result)


DECLARE = {
    "pascal": ("PROGRAM D;\nVAR\n  A : INTEGER;\nBEGIN\n  A := 2;\n  B := A * 3;\n"
               "  WriteLn(B)\nEND.\n", "  A : INTEGER;\n  B : INTEGER;\nBEGIN"),
    "curly": ("fn main() {\n    let a: int = 2;\n    b = a * 3;\n    print(b);\n}\n",
              "    let b: int = a * 3;\n"),
    "basic": ("DIM a AS INTEGER = 2\nb = a * 3 + 1\nPRINT b\n",
              "DIM b AS INTEGER = a * 3 + 1\n"),
    "espanol": ("variable a = 2\nb = a * 3\nescribir(b)\n", "variable b = a * 3\n"),
    "teachlang": ("remember a = 2\nb = a * 3\nshow(b)\nb = 4\n",
                  "remember b = a * 3\nshow(b)\nb = 4\n"),
}


@pytest.mark.parametrize("language_id", sorted(DECLARE))
def test_declare_variable_quick_fix(language_id: str) -> None:
    text, expected = DECLARE[language_id]
    analysis = analysis_of(language_id, text)
    diagnostic = next(d for d in analysis.diagnostics if d.code == "undefined-name")
    result = apply_edits(text, declare_variable(analysis, diagnostic))
    assert expected in result
    assert undefined_names(language_id, result) == []
    assert_clean(language_id, text, result)
    offered = refactor_actions(analysis, diagnostic.start, diagnostic.end)
    assert [a.kind for a in offered if a.title.startswith("Declare")] == [QUICKFIX]


def test_declare_variable_in_a_routine_without_a_var_section() -> None:
    text = "PROGRAM D;\nPROCEDURE P;\nBEGIN\n  B := 'x';\n  WriteLn(B)\nEND;\nBEGIN\n  P\nEND.\n"
    analysis = analysis_of("pascal", text)
    diagnostic = next(d for d in analysis.diagnostics if d.code == "undefined-name")
    result = apply_edits(text, declare_variable(analysis, diagnostic))
    assert "PROCEDURE P;\nVAR\n  B: STRING;\nBEGIN" in result
    assert_clean("pascal", text, result)


# ------------------------------------------------------------------ particular cases

def test_extract_variable_wraps_a_lone_statement_in_a_block() -> None:
    text = PROGRAMS["pascal"].replace("  Score := T * 2\n",
                                      "  IF T > 0 THEN\n    Score := T * 2\n")
    result = apply_edits(text, extract_variable(analysis_of("pascal", text),
                                                *span(text, "T * 2")))
    assert ("  IF T > 0 THEN\n    BEGIN\n      value := T * 2;\n      Score := value\n"
            "    END\nEND;") in result
    assert_clean("pascal", text, result)


def test_extract_variable_after_a_separator_on_the_same_line() -> None:
    text = PROGRAMS["pascal"].replace("  S := N * K;\n  T := S + 1;\n",
                                      "  S := N * K; T := S + 1;\n")
    result = apply_edits(text, extract_variable(analysis_of("pascal", text),
                                                *span(text, "S + 1")))
    assert "  S := N * K; value := S + 1; T := value;\n" in result
    assert_clean("pascal", text, result)


def test_extract_function_keeps_shared_variables_shared() -> None:
    # Count is changed through a VAR-parameter builtin: it must not become a copy.
    text = ("PROGRAM D;\nVAR\n  Count, Limit : INTEGER;\nBEGIN\n  Limit := 3;\n"
            "  Count := 0;\n  Inc(Count);\n  WriteLn(Count, Limit)\nEND.\n")
    result = apply_edits(text, extract_function(analysis_of("pascal", text),
                                                *span(text, "Inc(Count);")))
    assert "PROCEDURE extracted();\nBEGIN\n  Inc(Count)\nEND;" in result
    assert_clean("pascal", text, result)


def test_extract_function_returns_a_variable_changed_in_a_loop() -> None:
    text = PROGRAMS["curly"].replace(
        "    return t * 2;", "    let acc: int = 0;\n    for x in range(0, t) {\n"
        "        acc = acc + x;\n    }\n    return acc;")
    selected = "for x in range(0, t) {\n        acc = acc + x;\n    }"
    result = apply_edits(text, extract_function(analysis_of("curly", text),
                                                *span(text, selected)))
    assert ("fn extracted(t: int, acc: int) -> int {\n    for x in range(0, t) {\n"
            "        acc = acc + x;\n    }\n    return acc;\n}\n") in result
    assert "    acc = extracted(t, acc);\n" in result
    assert_clean("curly", text, result)


def test_extract_function_uses_the_files_paren_less_routines() -> None:
    text = "SUB Banner\n    PRINT \"hi\"\nEND SUB\n\nBanner\nPRINT \"bye\"\n"
    result = apply_edits(text, extract_function(analysis_of("basic", text),
                                                *span(text, "PRINT \"bye\"")))
    assert result.endswith("Banner\n\nSUB extracted\n    PRINT \"bye\"\nEND SUB\n\nextracted\n")
    assert_clean("basic", text, result)


def test_fresh_names_avoid_existing_ones() -> None:
    text = PROGRAMS["teachlang"].replace("remember s = n * k", "remember value = n * k") \
        .replace("remember t = s + 1", "remember t = value + 1")
    analysis = analysis_of("teachlang", text)
    titles = [a.title for a in refactor_actions(analysis, *span(text, "t * 2"))]
    assert "Extract to variable 'value2'" in titles


# ------------------------------------------------------------------ refusals

def refused(call: object, *args: object) -> str:
    with pytest.raises(RefactorRefused) as info:
        call(*args)  # type: ignore[operator]
    return str(info.value)


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_extract_variable_refuses_what_is_not_a_whole_expression(language_id: str) -> None:
    text = PROGRAMS[language_id]
    analysis = analysis_of(language_id, text)
    needle = "* K" if language_id == "pascal" else "* k"
    assert "whole expression" in refused(extract_variable, analysis, *span(text, needle))
    if language_id == "pascal":
        assert "target" in refused(extract_variable, analysis, *span(text, "S", 2))


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_extract_function_refuses_partial_statements_and_returns(language_id: str) -> None:
    text = PROGRAMS[language_id]
    analysis = analysis_of(language_id, text)
    needle = "N * K" if language_id == "pascal" else "n * k"
    assert "whole statements" in refused(extract_function, analysis, *span(text, needle))
    returning = {"pascal": "Score := T * 2", "curly": "return t * 2;", "basic": "RETURN t * 2",
                 "espanol": "retornar t * 2", "teachlang": "give_back t * 2"}[language_id]
    message = refused(extract_function, analysis, *span(text, returning))
    assert "result of 'Score'" in message or "returns from the routine" in message


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_extract_function_refuses_two_results(language_id: str) -> None:
    text = PROGRAMS[language_id]
    returning = {"pascal": "T * 2", "curly": "t * 2", "basic": "t * 2", "espanol": "t * 2",
                 "teachlang": "t * 2"}[language_id]
    text = text.replace(returning, returning.replace("2", "S" if language_id == "pascal"
                                                     else "s"))
    first = "S := N * K;" if language_id == "pascal" else next(
        line.strip() for line in text.splitlines() if "= n * k" in line)
    last = "T := S + 1;" if language_id == "pascal" else next(
        line.strip() for line in text.splitlines() if "= s + 1" in line)
    message = refused(extract_function, analysis_of(language_id, text),
                      *statements_span(text, first, last))
    assert "more than one value" in message


@pytest.mark.parametrize("language_id", sorted(PROGRAMS))
def test_inline_refuses_a_variable_assigned_twice(language_id: str) -> None:
    text = PROGRAMS[language_id]
    again = {"pascal": ("  Score := T * 2", "  T := T + 1;\n  Score := T * 2"),
             "curly": ("    return t * 2;", "    t = t + 1;\n    return t * 2;"),
             "basic": ("    RETURN t * 2", "    t = t + 1\n    RETURN t * 2"),
             "espanol": ("    retornar t * 2", "    t = t + 1\n    retornar t * 2"),
             "teachlang": ("    give_back t * 2", "    t = t + 1\n    give_back t * 2")}
    old, new = again[language_id]
    text = text.replace(old, new)
    offset = text.index("T * 2" if language_id == "pascal" else "t * 2")
    assert "assigned more than once" in refused(inline_variable,
                                                analysis_of(language_id, text), offset)


def test_inline_refuses_when_an_operand_changes_before_the_use() -> None:
    text = PROGRAMS["teachlang"].replace("    give_back t * 2",
                                         "    s = 0\n    give_back t * 2")
    message = refused(inline_variable, analysis_of("teachlang", text), text.index("t * 2"))
    assert "'s' changes" in message


def test_inline_refuses_when_a_name_would_be_rebound() -> None:
    text = ("remember n = 1\nremember r = n * 2\nteach f(n):\n    give_back n + r\n"
            "show(f(3))\n")
    message = refused(inline_variable, analysis_of("teachlang", text), text.index("r ="))
    assert "'n' means something else" in message


def test_inline_refuses_a_value_that_calls_a_routine_twice() -> None:
    text = "remember a = ask(\"?\")\nshow(a)\nshow(a)\n"
    assert "more than once" in refused(inline_variable, analysis_of("teachlang", text), 9)


def test_loop_conditions_and_else_if_conditions_are_not_extracted() -> None:
    text = "remember a = 1\nas_long_as a < 10:\n    a = a + 1\nwhen a > 5:\n    show(a)\n" \
           "orwhen a > 2:\n    show(0)\n"
    analysis = analysis_of("teachlang", text)
    assert "every turn" in refused(extract_variable, analysis, *span(text, "a < 10"))
    assert "only when" in refused(extract_variable, analysis, *span(text, "a > 2"))
    assert extract_variable(analysis, *span(text, "a > 5"))


def test_invalid_names_are_refused() -> None:
    text = PROGRAMS["curly"]
    analysis = analysis_of("curly", text)
    assert "not a valid new name" in refused(extract_variable, analysis,
                                             *span(text, "n * k"), "return")
    assert "not a valid new name" in refused(extract_function, analysis,
                                             *span(text, "let s: int = n * k;"), "print")


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_nothing_is_offered_without_the_constructs_it_needs(engine: str) -> None:
    # the definition loaded without them, so that its template (engine: template) is
    # written without them too, as the keyword level reads its keywords
    yaml = re.sub(r"(?m)^  (function|procedure|let|dim|const): .*\n", "",
                  (BUNDLED_DIR / "basic.yaml").read_text(encoding="utf-8"))
    yaml = re.sub(r"(?m)^  engine: .*\n", "", yaml)
    yaml = yaml.replace("structure:\n", f"structure:\n  engine: {engine}\n", 1)
    bare, problems = load_definition_text(yaml, "bare-basic.yaml")
    assert bare is not None, problems
    text = "b = 2\nc = b * 3\nPRINT c\n"
    analysis = analyze_with_types(parse(bare, text))
    kinds = [a.kind for a in refactor_actions(analysis, *span(text, "c = b * 3"))]
    assert EXTRACT not in kinds
    message = refused(extract_function, analysis, *span(text, "c = b * 3"))
    assert "has no 'function' construct" in message
    # assignment declares here: extracting a variable is a plain assignment
    result = apply_edits(text, extract_variable(analysis, *span(text, "b * 3")))
    assert result == "b = 2\nvalue = b * 3\nc = value\nPRINT c\n"


# ------------------------------------------------------------------ the samples

def sample_ranges(analysis: FileAnalysis, kinds: frozenset[str], limit: int
                  ) -> list[tuple[int, int]]:
    nodes = [n for n in analysis.parsed.root.descendants() if n.kind in kinds]
    step = max(1, len(nodes) // limit)
    return [(n.start, n.end) for n in nodes[::step]]


# these refactorings read the keyword-level parser's node kinds; a grammar-defined
# language gets extract and inline variable from its annotations and its
# `grammar.refactoring` (tests/core/test_refactor_grammar.py); the test below checks every
# bundled language: what is offered is clean. The keyword-level samples are asked through
# the keyword-level parser, whichever engine their bundled file chooses.
KEYWORD_LEVEL_SAMPLES = [(i, p) for i, p in SAMPLES if bundled(i).keyword_level]


@pytest.mark.parametrize("language_id, path", KEYWORD_LEVEL_SAMPLES,
                         ids=lambda v: getattr(v, "name", v))
def test_every_offered_refactoring_of_a_sample_is_clean(language_id: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    definition = served_by(language_id, "keywords")
    analysis = analyze_with_types(parse(definition, text), path)
    before = [d for d in analysis.diagnostics if d.code == "undefined-name"]
    ranges = sample_ranges(analysis, K.EXPRESSIONS, 12)
    ranges += sample_ranges(analysis, K.STATEMENTS - {K.FUNCTION_DECL}, 8)
    ranges += [(s.start, s.start) for s in analysis.model.symbols if s.kind == "variable"]
    offered = 0
    for start, end in ranges:
        for action in refactor_actions(analysis, start, end):
            offered += 1
            result = apply_edits(text, action.edits)
            after = analyze_with_types(parse(definition, result), path)
            assert after.parsed.errors == [], (action.title, result)
            assert len([d for d in after.diagnostics if d.code == "undefined-name"]) \
                <= len(before), action.title
    assert offered >= 5


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(language_id=st.sampled_from(sorted(bundled_ids())), data=st.data())
def test_any_range_of_any_text_gives_clean_actions_or_none(language_id: str,
                                                           data: st.DataObject) -> None:
    """Refactorings never fail with anything but a refusal, even on broken text, and
    never leave more syntax errors than they found."""
    path = next(p for lang, p in SAMPLES if lang == language_id)
    text = path.read_text(encoding="utf-8")
    at = data.draw(st.integers(0, len(text)))
    text = text[:at] + data.draw(st.sampled_from(["", "", "(", "\n", ";", "x =", "1 +"])) \
        + text[at:]
    analysis = analyze_with_types(parse(bundled(language_id), text), path)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 200)))
    for action in refactor_actions(analysis, start, end):
        result = apply_edits(text, action.edits)
        errors = parse(bundled(language_id), result).errors
        assert len(errors) <= len(analysis.parsed.errors), action.title
