"""Whole files: the samples check clean, the deliberately wrong programs give
exactly the expected diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest
from types_helpers import check

from craftls.language.catalog import bundled, bundled_ids, by_extension
from craftls.semantics.resolve import resolve_names
from craftls.syntax.parse import parse
from craftls.types import TypeChecker
from craftls.workspace.manifest import definition_for_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "types"
# the keyword-level languages whose extensions a grammar-defined one takes by default
KEYWORD_LEVEL = {".pas": "pascal", ".bas": "basic"}


def _samples() -> list[Path]:
    out = []
    for language_id in bundled_ids():
        for ext in bundled(language_id).extensions:
            out.extend(sorted((ROOT / "examples" / language_id).glob(f"*{ext}")))
    out.extend(sorted(p for p in (ROOT / "examples" / "registry-packages").rglob("*")
                      if p.is_file() and by_extension(p) is not None))
    return out


SAMPLES = _samples()


def test_there_are_samples_for_every_language() -> None:
    # a sample's language as `craftls check` finds it: examples/craft.toml (it binds
    # examples/basic and examples/pascal, whose .bas and .pas the bundled qbasic and
    # turbopascal would otherwise take), then the extension
    assert {definition_for_file(p).id for p in SAMPLES} == set(bundled_ids())  # type: ignore[union-attr]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_have_zero_type_diagnostics(path: Path) -> None:
    definition = definition_for_file(path)
    assert definition is not None
    parsed = parse(definition, path.read_text(encoding="utf-8"))
    report = TypeChecker(definition).check(parsed, resolve_names(parsed))
    assert [(d.code, d.message) for d in report.diagnostics] == []
    assert report.inferred_variable_types() is not None


def _diagnostics(name: str) -> tuple[str, list[tuple[str, str, str, str]]]:
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    # the fixtures are programs of the keyword-level languages, one per extension
    definition = bundled(KEYWORD_LEVEL.get(path.suffix, "")) \
        if path.suffix in KEYWORD_LEVEL else by_extension(path)
    assert definition is not None
    report = check(definition.id, text)
    rows = []
    for d in report.diagnostics:
        assert d.start < d.end
        rows.append((d.code, text[d.start:d.end], d.severity, d.message))
    return text, rows


def test_wrong_pascal() -> None:
    text, rows = _diagnostics("wrong.pas")
    assert rows == [
        ("return-type", "'twice'", "error", "Result of 'Twice': expected INTEGER, found STRING"),
        ("type-mismatch", "'many'", "error",
         "Cannot assign to 'Count': expected INTEGER, found STRING"),
        ("argument-type", "'one'", "error",
         "Argument 2 of 'Copy' (index): expected INTEGER, found STRING"),
        ("argument-type", "2.5", "error",
         "Argument 1 of 'Twice' (N): expected INTEGER, found REAL"),
        ("protocol-conformance", "C", "error",
         "Argument 1 of 'Area' (Shape1): Circle does not conform to protocol Shape "
         "(missing method Area; missing property Name)"),
        ("protocol-conformance", "S", "error",
         "Argument 1 of 'Area' (Shape1): Square does not conform to protocol Shape "
         "(missing method Area)"),
        ("condition-type", "Title", "warning",
         "Condition should be BOOLEAN, found STRING (a STRING value is not a truth value)"),
    ]
    report = check("pascal", text)
    first = report.diagnostics[0]
    assert first.start == text.index("'twice'") and first.end == first.start + len("'twice'")
    protocol = report.diagnostics[4]
    assert protocol.data["missing"] == ["Area", "Name"]
    assert protocol.data["record"] == "Circle" and protocol.data["protocol"] == "Shape"
    fix = report.protocol_fix(protocol)
    assert fix is not None
    offset, insert = fix
    assert insert == "\n    Name : STRING;"
    assert text[:offset].endswith("Radius : REAL;")
    assert report.protocol_fix(report.diagnostics[0]) is None


def test_wrong_curly() -> None:
    _, rows = _diagnostics("wrong.cur")
    assert [(code, found) for code, found, _, _ in rows] == [
        ("return-type", "n"),
        ("type-mismatch", "2.5"),
        ("type-mismatch", "null"),
        ("type-mismatch", "42"),
        ("argument-type", '"a"'),
        ("argument-type", "2.0"),
        ("type-mismatch", 'scale("a", 2.0)'),
        ("argument-type", '"nine"'),
        ("condition-type", "name"),
    ]
    assert rows[0][3] == "Return value of 'label': expected string, found int"
    assert rows[2][3] == "Cannot initialize 'maybe': expected int, found void"
    assert rows[7][3] == "Argument 1 of 'sqrt' (x): expected float, found string"


def test_wrong_basic() -> None:
    _, rows = _diagnostics("wrong.bas")
    assert rows == [
        ("return-type", '"half"', "error",
         "Return value of 'Half': expected DOUBLE, found STRING"),
        ("type-mismatch", '"ten"', "error",
         "Cannot initialize 'count': expected INTEGER, found STRING"),
        ("argument-type", "42", "error",
         "Argument 1 of 'LEFT$' (s): expected STRING, found INTEGER"),
        ("type-mismatch", "Half(4)", "error",
         "Cannot assign to 'count': expected INTEGER, found DOUBLE"),
        ("argument-type", "count", "error",
         "Argument 1 of 'UCASE$' (s): expected STRING, found INTEGER"),
    ]


def test_wrong_teachlang() -> None:
    _, rows = _diagnostics("wrong.teach")
    assert [(code, found) for code, found, _, _ in rows] == [
        ("return-type", "times"),
        ("argument-type", "3"),
        ("argument-type", '"twice"'),
        ("condition-type", "message"),
    ]


def test_diagnostic_data_explains_expected_and_found() -> None:
    report = check("curly", "let x: int = \"s\";\n")
    (d,) = report.diagnostics
    assert d.data["expected"] == "int" and d.data["found"] == "string"
    assert d.data["reason"]


def test_types_package_is_pure() -> None:
    import subprocess
    import sys
    code = ("import sys, craftls.types\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol'))\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
