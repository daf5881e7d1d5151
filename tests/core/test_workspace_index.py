"""The workspace index (workspace/index.py): build in steps, updates, deletes, importers,
external references for rename, symbol search and its bounds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.core.conftest import served_by

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled, by_extension, resolve_definition
from craftls.syntax.parse import parse
from craftls.workspace.index import (
    BuildProgress,
    IndexCancelled,
    WorkspaceIndex,
    external_references,
    make_entry,
    match_grade,
)

ROOT = Path(__file__).resolve().parents[2]
PASCAL = resolve_definition("pascal")

MODULE = """{ MathLib: helpers }
FUNCTION Square(x : INTEGER) : INTEGER;
BEGIN
  Square := x * x
END;

FUNCTION Cube(x : INTEGER) : INTEGER;
BEGIN
  Cube := x * Square(x)
END;
"""

USER = """PROGRAM User{n};
USES MathLib;
VAR
  Total : INTEGER;
BEGIN
  Total := Square({n}) + MathLib.Square(2);
  WriteLn('Square(1) is not a call'); {{ Square in a comment }}
  WriteLn(Total)
END.
"""

SHADOW = """PROGRAM Shadow;
USES MathLib;
FUNCTION Square(y : INTEGER) : INTEGER;
BEGIN
  Square := y + y
END;
BEGIN
  WriteLn(Square(3))
END.
"""

LONER = """PROGRAM Loner;
VAR Square : INTEGER;
BEGIN
  Square := 1;
  WriteLn(Square)
END.
"""


def language_of(path: Path):
    # the workspace these tests build is in the keyword-level `pascal` (the grammar-defined
    # `turbopascal` would take `.pas` by extension), as a craft.toml binding would say
    return bundled("pascal") if path.suffix.lower() == ".pas" else by_extension(path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    write(tmp_path / "MathLib.pas", MODULE)
    for n in range(3):
        write(tmp_path / "users" / f"user{n}.pas", USER.format(n=n))
    write(tmp_path / "shadow.pas", SHADOW)
    write(tmp_path / "loner.pas", LONER)
    write(tmp_path / "notes.txt", "USES MathLib; Square(1)\n")
    write(tmp_path / ".hidden" / "secret.pas", USER.format(n=9))
    write(tmp_path / "node_modules" / "dep.pas", USER.format(n=8))
    return tmp_path


def built(root: Path, **kwargs: object) -> tuple[WorkspaceIndex, list[BuildProgress]]:
    index = WorkspaceIndex(**kwargs)  # type: ignore[arg-type]
    steps = list(index.build([root], language_of, chunk=2))
    return index, steps


def bump(path: Path, text: str) -> None:
    """Rewrite a file with a modification time that certainly differs."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_build_runs_in_steps_with_rising_progress(workspace: Path) -> None:
    index, steps = built(workspace)
    assert index.ready
    assert sorted(p.name for p in index.paths()) == [
        "MathLib.pas", "loner.pas", "shadow.pas", "user0.pas", "user1.pas", "user2.pas"]
    indexing = [s for s in steps if s.phase == "index"]
    assert len(indexing) == 3  # six files, two per step
    assert [s.done for s in indexing] == [2, 4, 6]
    assert [s.percentage for s in indexing] == [33, 66, 99]
    assert steps[-1] == BuildProgress("done", 6, 6) and steps[-1].percentage == 100
    entry = index.get(workspace / "users" / "user1.pas")
    assert entry is not None and entry.language == "pascal" and entry.imports == ("MathLib",)
    assert entry.stamp is not None and entry.version is None


def test_build_is_incremental_and_drops_vanished_files(workspace: Path) -> None:
    index, _ = built(workspace)
    before = index.get(workspace / "loner.pas")
    (workspace / "shadow.pas").unlink()
    list(index.build([workspace], language_of))
    assert index.get(workspace / "loner.pas") is before  # same stamp: not re-read
    assert workspace / "shadow.pas" not in index
    assert [e.path.name for e in index.importers("MathLib")] == [
        "user0.pas", "user1.pas", "user2.pas"]


def test_importers_fold_case_as_the_language_does(workspace: Path) -> None:
    index, _ = built(workspace)
    names = [e.path.name for e in index.importers("mathlib")]
    assert names == ["shadow.pas", "user0.pas", "user1.pas", "user2.pas"]
    assert index.importers("MathLib", language="curly") == []
    assert index.importers("Other") == []


def test_external_references_are_scope_correct_and_skip_strings_and_comments(
        workspace: Path) -> None:
    index, _ = built(workspace)
    user = index.get(workspace / "users" / "user0.pas")
    assert user is not None
    text = USER.format(n=0)
    spans = user.references.to("MathLib", "Square")
    assert [text[s:e] for s, e, _ in spans] == ["Square", "Square"]
    line = text.index("Total := Square")
    assert [s for s, _, _ in spans] == [line + len("Total := "),
                                        text.index("MathLib.Square") + len("MathLib.")]
    shadow = index.get(workspace / "shadow.pas")
    assert shadow is not None and shadow.references.to("MathLib", "Square") == []
    loner = index.get(workspace / "loner.pas")
    assert loner is not None and loner.references.to("MathLib", "Square") == []  # no USES


def test_references_match_the_full_analysis() -> None:
    """The index's references (names only, no types) are those of a full analysis."""
    report = ROOT / "examples" / "curly" / "report.cur"
    text = report.read_text(encoding="utf-8")
    definition = by_extension(report)
    assert definition is not None
    entry = make_entry(report, definition, text)
    analysis = analyze_with_types(parse(definition, text), report)
    for name in ("mean", "median", "variance", "describe"):
        full = external_references(analysis.parsed, analysis.model)
        expected = [(s, e) for s, e, _ in full.to("stats", name)]
        assert [(s, e) for s, e, _ in entry.references.to("stats", name)] == expected
        assert len(expected) == text.count(f"stats.{name}(")


def test_refresh_follows_a_changed_file(workspace: Path) -> None:
    index, _ = built(workspace)
    loner = workspace / "loner.pas"
    bump(loner, LONER.replace("PROGRAM Loner;", "PROGRAM Loner;\nUSES MathLib;"))
    entry = index.refresh(loner, PASCAL)
    assert entry is not None and entry.imports == ("MathLib",)
    assert "loner.pas" in [e.path.name for e in index.importers("MathLib")]
    user = workspace / "users" / "user2.pas"
    bump(user, "PROGRAM User2;\nBEGIN\n  WriteLn(1)\nEND.\n")
    index.refresh(user, PASCAL)
    assert "user2.pas" not in [e.path.name for e in index.importers("MathLib")]


def test_delete_removes_files_and_folders(workspace: Path) -> None:
    index, _ = built(workspace)
    (workspace / "loner.pas").unlink()
    assert index.refresh(workspace / "loner.pas", PASCAL) is None
    assert workspace / "loner.pas" not in index
    assert index.remove(workspace / "users") == 3
    assert index.importers("MathLib")[0].path.name == "shadow.pas"
    assert len(index.importers("MathLib")) == 1
    assert index.remove(workspace / "nothing-here") == 0


def test_open_documents_override_the_disk_until_released(workspace: Path) -> None:
    index, _ = built(workspace)
    path = workspace / "loner.pas"
    edited = LONER.replace("PROGRAM Loner;", "PROGRAM Loner;\nUSES MathLib;")
    index.put_open(make_entry(path, PASCAL, edited, version=7))
    assert index.is_open(path)
    bump(path, LONER + "\n")
    assert index.refresh(path, PASCAL, force=True).version == 7  # type: ignore[union-attr]
    list(index.build([workspace], language_of, force=True))
    assert index.get(path).version == 7  # type: ignore[union-attr]
    assert "loner.pas" in [e.path.name for e in index.importers("MathLib")]
    index.release(path)
    entry = index.refresh(path, PASCAL)
    assert entry is not None and entry.version is None and entry.imports == ()


def test_update_text_reuses_an_entry_with_the_same_digest(workspace: Path) -> None:
    index, _ = built(workspace)
    path = workspace / "users" / "user0.pas"
    entry = index.get(path)
    assert index.update_text(path, PASCAL, USER.format(n=0), None) is entry
    changed = index.update_text(path, PASCAL, USER.format(n=0).replace("USES MathLib;", ""),
                                None)
    assert changed is not entry and changed.imports == ()
    assert index.get(path) is changed


def test_symbol_query_ranks_and_caps(tmp_path: Path) -> None:
    write(tmp_path / "a.pas", """PROGRAM A;
VAR Count, Counter, Discount, AccountNumber : INTEGER;
FUNCTION CountAll(x : INTEGER) : INTEGER;
VAR Inner : INTEGER;
BEGIN
  Inner := x;
  CountAll := Inner
END;
BEGIN
  Count := 0; Counter := 0; Discount := 0; AccountNumber := 0;
  WriteLn(CountAll(1))
END.
""")
    index, _ = built(tmp_path)
    names = [m.symbol.name for m in index.symbols("count")]
    assert names == ["Count", "Counter", "CountAll", "Discount", "AccountNumber"]
    assert [m.symbol.name for m in index.symbols("cnr")] == ["Counter", "AccountNumber"]
    assert "Inner" not in [m.symbol.name for m in index.symbols("")]  # locals are not listed
    assert [m.symbol.kind for m in index.symbols("CountAll")] == ["function"]
    assert len(index.symbols("", limit=2)) == 2
    small = WorkspaceIndex(max_results=3)
    list(small.build([tmp_path], language_of))
    assert len(small.symbols("")) == 3


def test_symbol_positions_in_every_encoding(tmp_path: Path) -> None:
    text = "PROGRAM P;\n{ 🙂 } FUNCTION Smile(x : INTEGER) : INTEGER;\nBEGIN\n  Smile := x\nEND;\n" \
           "BEGIN\n  WriteLn(Smile(1))\nEND.\n"
    entry = make_entry(tmp_path / "p.pas", PASCAL, text)
    smile = next(s for s in entry.symbols if s.name == "Smile")
    column = len("{ 🙂 } FUNCTION ")
    assert smile.range("utf-32") == (1, column, 1, column + 5)
    assert smile.range("utf-16") == (1, column + 1, 1, column + 6)
    assert smile.range("utf-8") == (1, column + 3, 1, column + 8)


def test_match_grades() -> None:
    assert match_grade("abc", "abc") == 0
    assert match_grade("ab", "abc") == 1
    assert match_grade("bc", "abc") == 2
    assert match_grade("ac", "abc") == 3
    assert match_grade("ca", "abc") is None


def test_bounds_on_files_and_file_size(workspace: Path) -> None:
    index, _ = built(workspace, max_files=2)
    assert len(index) == 2 and index.truncated
    big = write(workspace / "big.pas", "PROGRAM Big;\nBEGIN\nEND.\n" + "{ padding }\n" * 500)
    small, _ = built(workspace, max_file_bytes=1000)
    assert big not in small and workspace / "MathLib.pas" in small
    assert not small.truncated


def test_build_can_be_cancelled_between_steps(workspace: Path) -> None:
    index = WorkspaceIndex()
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(IndexCancelled):
        list(index.build([workspace], language_of, chunk=1, cancelled=cancelled))
    assert not index.ready and 0 < len(index) < 6
    with pytest.raises(IndexCancelled):
        index.symbols("", cancelled=lambda: True)


@pytest.mark.parametrize("language, engine", [("pascal", "keywords"), ("pascal", "template"),
                                              ("turbopascal", None)])
def test_a_grammar_s_imports_and_qualified_names_are_external_references(
        language: str, engine: str | None) -> None:
    """A grammar's `imports` nodes name the modules and its `member` nodes after a name
    are qualified uses (``MathLib.Square``), as the keyword level's import statements and
    member expressions: a rename in the module reaches its importers either way."""
    definition = served_by(language, engine) if engine is not None else bundled(language)
    text = USER.format(n=0)
    analysis = analyze_with_types(parse(definition, text), None)
    found = external_references(analysis.parsed, analysis.model)
    assert found.imports == ("MathLib",)
    assert [s for s, _, _ in found.to("MathLib", "Square")] == [
        text.index("Total := Square") + len("Total := "),
        text.index("MathLib.Square") + len("MathLib.")]


def test_a_template_served_module_s_qualified_uses_are_found() -> None:
    report = ROOT / "examples" / "curly" / "report.cur"
    text = report.read_text(encoding="utf-8")
    for engine in ("keywords", "template"):
        analysis = analyze_with_types(parse(served_by("curly", engine), text), report)
        found = external_references(analysis.parsed, analysis.model)
        for name in ("mean", "median", "variance", "describe"):
            assert len(found.to("stats", name)) == text.count(f"stats.{name}("), engine
