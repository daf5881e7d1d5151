"""A package that spans its folder (``structure.package_scope: folder``, Go's): the
top-level names one file declares are known in the other files of its folder that name
the same package, in ``craftls check`` over a folder and in the analysis host
(definition, references, rename, completion), and nowhere else: not in a subfolder, not
in a file of the folder naming another package (Go's external `_test` package), not the
file's imports nor its methods (members of their receiver's type)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from craftls.features.completion import complete
from craftls.features.documents import open_document
from craftls.features.host import AnalysisHost
from craftls.features.hover import hover
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition, load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.resolve import resolve_names
from craftls.syntax.parse import parse
from craftls.workspace.index import WorkspaceIndex, make_entry
from craftls.workspace.shared_globals import file_globals, file_package

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
GEO = FIXTURES / "go" / "geo"
GO = load_definition(FIXTURES / "go.yaml")
LUA = bundled("lua")
VEC, WALK = (GEO / "vec.go").read_text(), (GEO / "walk.go").read_text()


def go_files(path: Path) -> LanguageDefinition | None:
    return GO if path.suffix == ".go" else None


def test_a_file_shares_its_top_level_names_but_imports_and_methods() -> None:
    parsed = parse(GO, VEC)
    model = resolve_names(parsed)
    assert file_globals(parsed, model) == ("Vec", "Unit", "origin", "Add")
    assert file_package(model) == "geo"


def test_check_over_a_folder_shares_names_within_each_package(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "craftls", "check", "--language",
                             str(FIXTURES / "go.yaml"), str(GEO)],
                            capture_output=True, text=True, timeout=120)
    found = sorted((Path(line.split(":")[0]).name, line.split("'")[1])
                   for line in result.stdout.splitlines() if "[undefined-name]" in line)
    # walk.go: vec.go's import and method are not its own; main.go is another folder,
    # walk_test.go another package; no file-scope name is reported never used
    assert found == [("main.go", "Add"), ("main.go", "Walk"), ("walk.go", "Len"),
                     ("walk.go", "math"), ("walk_test.go", "Walk")], result.stdout
    assert "never used" not in result.stdout


def test_the_index_groups_files_by_folder_and_package() -> None:
    index = WorkspaceIndex()
    vec, walk, test, main = (Path("/w/geo/vec.go"), Path("/w/geo/walk.go"),
                             Path("/w/geo/walk_test.go"), Path("/w/geo/cmd/main.go"))
    for path in (vec, walk, test, main):
        index.put(make_entry(path, GO, (GEO / path.relative_to("/w/geo")).read_text()))
    assert index.shared_globals("go", walk) == dict.fromkeys(
        ["Vec", "Unit", "origin", "Add"], str(vec))
    assert index.shared_globals("go", vec) == {"Walk": str(walk)}
    assert index.shared_globals("go", test) == {}
    assert index.shared_globals("go", main) == {}
    index.take_globals_changes()
    index.put(make_entry(test, GO, "package geo\n"))  # joins the package: a change
    assert index.take_globals_changes() == {("go", Path("/w/geo"))}  # its folder's only
    assert "Walk" in index.shared_globals("go", test)
    index.remove(walk)
    assert "Walk" not in index.shared_globals("go", vec)


@pytest.fixture
def host(tmp_path: Path) -> AnalysisHost:
    for path in GEO.rglob("*.go"):
        target = tmp_path / path.relative_to(GEO)
        target.parent.mkdir(exist_ok=True)
        target.write_text(path.read_text())
    made = AnalysisHost(go_files, lambda: [tmp_path])
    list(made.index.build([tmp_path], made.language_of))
    return made


def open_file(host: AnalysisHost, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    host.documents[uri] = open_document(uri, 1, path.read_text() if text is None else text,
                                        GO, host.imports, host.caches)
    return uri


def test_definition_hover_and_completion_reach_the_package_s_other_files(
        host: AnalysisHost, tmp_path: Path) -> None:
    uri = open_file(host, tmp_path / "walk.go")
    found = host.definition(uri, WALK.index("Add("))
    assert found is not None and found.uri == (tmp_path / "vec.go").as_uri()
    assert found.start == VEC.index("Add(")
    shown = hover(host.documents[uri].analysis(), WALK.index("origin\n"))
    assert shown is not None and "another file of its package" in shown.markdown
    edited = WALK.replace("at = Add(at, s)", "at = Ad")
    uri = open_file(host, tmp_path / "walk.go", edited)
    items, _ = complete(host.documents[uri].analysis(), edited.index("Ad\n") + 2)
    assert [(c.label, c.detail) for c in items] == [("Add", "from vec.go")]


def test_references_and_rename_stay_in_the_package(host: AnalysisHost, tmp_path: Path) -> None:
    """cmd/main.go's `Add` and walk_test.go's `Walk` are other packages' (undefined)."""
    walk = open_file(host, tmp_path / "walk.go")
    found = sorted((Path(f.uri).name, f.start) for f in host.references(walk, WALK.index("Add(")))
    assert found == [("vec.go", VEC.index("Add(")), ("walk.go", WALK.index("Add("))]
    vec = open_file(host, tmp_path / "vec.go")
    edits = {Path(f.uri).name: [e.start for e in f.edits]
             for f in host.rename(vec, VEC.index("Add("), "Plus")}
    assert edits == {"vec.go": [VEC.index("Add(")], "walk.go": [WALK.index("Add(")]}
    edits = {Path(f.uri).name: [e.start for e in f.edits]
             for f in host.rename(walk, WALK.index("Walk(steps"), "Stroll")}
    assert edits == {"walk.go": [WALK.index("Walk(steps")]}


def test_a_change_reanalyses_only_the_documents_of_its_folder(
        host: AnalysisHost, tmp_path: Path) -> None:
    """An edit of vec.go's top-level names: walk.go (same folder) is stale; cmd/main.go
    (another folder, another package) and a Lua document are not, nor vec.go itself."""
    walk, main = open_file(host, tmp_path / "walk.go"), open_file(host, tmp_path / "cmd/main.go")
    lua = (tmp_path / "cmd/tool.lua").as_uri()
    host.documents[lua] = open_document(lua, 1, "Tool = {}\n", LUA, host.imports, host.caches)
    host.index.take_globals_changes()
    vec = open_file(host, tmp_path / "vec.go", VEC.replace("func Add(", "func Plus("))
    host.documents[vec].analysis()
    assert host.note_open_globals(host.documents[vec])
    changes = host.index.take_globals_changes()
    assert changes == {("go", tmp_path)}
    assert host.documents_seeing(changes, keep=vec) == [walk]
    assert sorted(host.documents_seeing(changes | {("lua", None)})) == sorted([walk, lua, vec])
    assert host.documents_seeing({("go", tmp_path / "cmd")}) == [main]


def test_without_the_key_each_file_keeps_its_names() -> None:
    source = (FIXTURES / "go.yaml").read_text()
    alone, problems = load_definition_text(source.replace("  package_scope: folder\n", ""))
    assert problems == [] and alone is not None and alone.structure.package_scope == "file"
    parsed = parse(alone, VEC)
    assert file_globals(parsed, resolve_names(parsed)) == ()
    index = WorkspaceIndex()
    for name, text in (("vec.go", VEC), ("walk.go", WALK)):
        index.put(make_entry(Path("/w") / name, alone, text))
    assert index.shared_globals("go", Path("/w/walk.go")) == {}
    _, problems = load_definition_text(source.replace("package_scope: folder",
                                                      "package_scope: tree"))
    assert any("package_scope" in p.message for p in problems)


def test_a_document_analysed_before_its_package_was_indexed_is_stale(tmp_path: Path) -> None:
    """walk.go is analysed while the index holds none of its package; vec.go is indexed
    next. walk.go's own first note then takes the folder's change with vec.go's: walk.go
    must be analysed again although its own note made the change (the race a workspace
    build opened: the package's names never reached the open file)."""
    for name in ("walk.go", "vec.go"):
        (tmp_path / name).write_text((GEO / name).read_text())
    host = AnalysisHost(go_files, lambda: [tmp_path])
    walk = open_file(host, tmp_path / "walk.go")
    assert "Add" not in host.documents[walk].analysis().shared_globals
    host.refresh([tmp_path / "vec.go"])
    assert host.note_open_globals(host.documents[walk])
    assert host.documents_seeing(host.index.take_globals_changes(), keep=walk) == [walk]
    fresh = open_file(host, tmp_path / "walk.go")  # analysed with vec.go's names
    assert "Add" in host.documents[fresh].analysis().shared_globals
    host.refresh([tmp_path / "vec.go"])
    assert host.documents_seeing({("go", tmp_path)}, keep=walk) == []
