"""Error recovery of the block-style grammar templates (recov18b): a construct whose
first line is deleted inside another one (an IF's header inside a FUNCTION, a loop's
inside an IF) leaves its clauses and closer behind (``ELSE``, ``sino_si``, ``END IF``):
one error, as at the keyword level, not the enclosing construct's closer missing and
then each orphaned clause unexpected (``orphan_clause`` in the PEG engine). The programs
are written here; each case deletes one line and both parsers must give one error."""

from __future__ import annotations

import pytest
from tests.core.test_block_templates import templated

from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

BASIC = """\
FUNCTION Grade$(mark AS INTEGER) AS STRING
    IF mark >= 90 THEN
        RETURN "top"
    ELSEIF mark >= 50 THEN
        RETURN "pass"
    ELSE
        RETURN "fail"
    END IF
END FUNCTION

SUB Tally(limit AS INTEGER)
    DIM count AS INTEGER = 0
    WHILE count < limit
        IF count MOD 2 = 0 THEN
            PRINT count; " even"
        ELSE
            PRINT count; " odd"
        END IF
        count = count + 1
    WEND
END SUB

Tally 4
PRINT Grade$(75)
"""

ESPANOL = """\
función signo(n: Entero): Texto
    si n > 0 entonces
        retornar "positivo"
    sino_si n < 0 entonces
        retornar "negativo"
    sino
        retornar "cero"
    fin si
fin función

procedimiento contar(tope: Entero)
    variable i = 0
    mientras i < tope hacer
        si i % 3 == 0 entonces
            escribir(i, "múltiplo")
        sino
            escribir(i)
        fin si
        i = i + 1
    fin mientras
fin procedimiento

contar(5)
escribir(signo(2))
"""

# (language, program, the line deleted: its text and its number)
CASES = [
    ("basic", BASIC, "    IF mark >= 90 THEN\n", 2),
    ("basic", BASIC, "        IF count MOD 2 = 0 THEN\n", 14),
    ("espanol", ESPANOL, "    si n > 0 entonces\n", 2),
    ("espanol", ESPANOL, "        si i % 3 == 0 entonces\n", 14),
]


def delete_line(text: str, line: str, number: int) -> str:
    lines = text.splitlines(keepends=True)
    assert lines[number - 1] == line
    return "".join(lines[:number - 1] + lines[number:])


@pytest.mark.parametrize("language", ["basic", "espanol"])
def test_the_programs_parse_clean_both_ways(language: str) -> None:
    text = BASIC if language == "basic" else ESPANOL
    assert parse(bundled(language), text).errors == []
    assert parse(templated(language), text).errors == []


@pytest.mark.parametrize(("language", "text", "line", "number"), CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_a_clause_whose_first_line_is_deleted_is_one_error(
        language: str, text: str, line: str, number: int) -> None:
    mutated = delete_line(text, line, number)
    assert len(parse(bundled(language), mutated).errors) == 1
    errors = parse(templated(language), mutated).errors
    assert len(errors) == 1
    # at the orphaned clause, on one of the lines after the deleted one, not at the
    # enclosing construct's closer
    at = mutated.count("\n", 0, errors[0].start) + 1
    assert number <= at <= number + 2
    assert "without" in errors[0].message


def test_the_orphaned_clause_keeps_its_statements_in_the_tree() -> None:
    mutated = delete_line(BASIC, "    IF mark >= 90 THEN\n", 2)
    tree = parse(templated("basic"), mutated).root
    assert str(tree.text) == mutated
    kinds, todo = set(), [tree]
    while todo:
        node = todo.pop()
        kinds.add(node.kind)
        todo.extend(c for c in node.children() if hasattr(c, "children"))
    assert {"elif_clause", "else_clause", "end_if"} <= kinds


def test_a_clause_of_the_enclosing_construct_is_no_orphan() -> None:
    # the ELSE belongs to the IF around it: a mistake in its body stays one error and
    # the IF keeps its clause
    text = BASIC.replace('        PRINT count; " odd"', '        PRINT count; " odd" +', 1)
    assert len(parse(templated("basic"), text).errors) == 1

