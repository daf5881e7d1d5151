"""benchmarks/coverage.py on a tiny corpus of our own (tests/fixtures/coverage): the counts,
the normalized causes with their first place, and the files the real compiler rejects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from benchmarks.coverage import format_report, main, measure

from craftls.language.catalog import bundled

from .conftest import served_by

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "coverage"


def test_counts_clean_files_errors_and_compiler_verdicts() -> None:
    report = measure(CORPUS, bundled("pascal"))
    assert [(f.name, f.errors, f.compiler) for f in report.files] == [
        ("broken.pas", 2, "accepted"), ("clean.pas", 0, "accepted"), ("refused.pas", 1, "rejected")]
    assert report.clean == 1
    assert report.syntax_errors == 3
    assert report.rejected == ["refused.pas"]
    assert report.clean_where_accepted() == (1, 2)


def test_causes_are_normalized_counted_and_located() -> None:
    # the keyword level's messages (its "(at X)" form is normalized too), whichever engine
    # the bundled Pascal's file chooses
    report = measure(CORPUS, served_by("pascal", "keywords"))
    causes = {c.cause: (c.count, sorted(c.files), c.example) for c in report.causes}
    assert causes == {
        # the error sits at the end of line 6; the cause names the next token, a name
        "expected ';' (at <name>)": (1, ["broken.pas"], "broken.pas:6"),
        "expected an expression, found ';'": (1, ["broken.pas"], "broken.pas:5"),
        "expected an expression, found ')'": (1, ["refused.pas"], "refused.pas:3"),
    }


def test_equal_causes_in_different_words_count_together(tmp_path: Path) -> None:
    (tmp_path / "a.pas").write_text("PROGRAM A;\nBEGIN\n  X := Alpha Beta\nEND.\n")
    (tmp_path / "b.pas").write_text("PROGRAM B;\nBEGIN\n  Y := 1;\n  Y := Gamma Delta\nEND.\n")
    report = measure(tmp_path, bundled("pascal"))
    top = report.causes[0]
    assert (top.cause, top.count, sorted(top.files), top.example) == (
        "expected ';', found <name>", 2, ["a.pas", "b.pas"], "a.pas:3")
    assert all(f.compiler == "not-checked" for f in report.files)  # no manifest


def test_report_text_lists_figures_rejected_files_and_causes() -> None:
    text = format_report(measure(CORPUS, bundled("pascal")), top=2)
    assert "files clean: 1/3 (33.3%)" in text
    assert "syntax errors: 3" in text
    assert "real compiler: a stand-in compiler for the tests" in text
    assert "clean where the real compiler does not reject the file: 1/2 (50.0%)" in text
    assert "files the real compiler rejects: 1\n    refused.pas" in text
    assert "undefined-name warnings: 1 in 1 files; most frequent: Missing 1" in text
    assert "top 2 error causes" in text
    assert text.count("[broken.pas:") + text.count("[refused.pas:") == 2


def test_undefined_names_are_counted_per_name(tmp_path: Path) -> None:
    (tmp_path / "a.pas").write_text("PROGRAM A;\nBEGIN\n  Alpha := Beta + Beta\nEND.\n")
    report = measure(tmp_path, bundled("pascal"))
    assert report.undefined == sum(f.undefined for f in report.files) >= 2
    assert report.undefined_names["Beta"] == 2
    assert f"undefined-name warnings: {report.undefined} in 1 files" in format_report(report)


def test_command_line_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"
    assert main([str(CORPUS), "--language", "pascal", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert (figures["files_total"], figures["files_clean"], figures["syntax_errors"]) == (3, 1, 3)
    assert figures["rejected_by_compiler"] == ["refused.pas"]
    assert figures["clean_where_accepted"] == [1, 2]
    assert "files clean: 1/3" in capsys.readouterr().out


def test_definition_file_is_accepted(tmp_path: Path) -> None:
    from craftls.language.catalog import BUNDLED_DIR
    assert main([str(CORPUS), "--language", str(BUNDLED_DIR / "pascal.yaml")]) == 0


@pytest.mark.parametrize("args, message", [
    (["missing-folder", "--language", "pascal"], "no such folder"),
    ([str(CORPUS), "--language", "no-such-language"], "unknown language"),
    ([str(CORPUS), "--language", "curly"], "no files with extensions .cur"),
])
def test_bad_input_is_a_clear_error(args: list[str], message: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_invalid_definition_and_manifest_are_reported(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nkeywordz: {}\n")
    assert main([str(CORPUS), "--language", str(bad)]) == 2
    assert "keywordz" in capsys.readouterr().err
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "MANIFEST.json").write_text('["not", "an", "object"]')
    assert main([str(corpus), "--language", "pascal"]) == 2
    assert "MANIFEST.json" in capsys.readouterr().err


def test_manifest_verdicts_are_checked_and_stale_entries_named(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    manifest = json.loads((corpus / "MANIFEST.json").read_text())
    manifest["files"]["gone.pas"] = {"compiler": "accepted"}
    (corpus / "MANIFEST.json").write_text(json.dumps(manifest))
    report = measure(corpus, bundled("pascal"))
    assert report.missing == ["gone.pas"]
    assert "in the manifest but not in the corpus (or not of this language): gone.pas" in \
        format_report(report)
    manifest["files"]["gone.pas"] = {"compiler": "maybe"}
    (corpus / "MANIFEST.json").write_text(json.dumps(manifest))
    assert main([str(corpus), "--language", "pascal"]) == 2
    assert "file 'gone.pas': 'compiler' must be one of accepted, rejected, not-checked, " \
        "not 'maybe'" in capsys.readouterr().err


def test_undefined_names_are_the_warnings_an_editor_shows(tmp_path: Path) -> None:
    # a routine a DECLARE names and another module defines is no warning, so not counted
    (tmp_path / "main.bas").write_text("DECLARE SUB Other ()\nOther\nPRINT Missing\n")
    report = measure(tmp_path, bundled("qbasic"))
    assert report.undefined_names == {"Missing": 1}


def test_a_file_is_analysed_with_its_path(tmp_path: Path) -> None:
    # the globals a host gives only to test files (Lua's busted in `spec/`) apply there
    # as in the editor; the same program outside `spec/` uses names nothing declares
    program = "describe('shelf', function()\n  it('holds', function() end)\nend)\n"
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "shelf_spec.lua").write_text(program)
    (tmp_path / "shelf.lua").write_text(program)
    report = measure(tmp_path, bundled("lua"))
    assert {f.name: f.undefined for f in report.files} == {"shelf.lua": 2,
                                                          "spec/shelf_spec.lua": 0}
