"""The analysis host answers cross-file questions as plain data, without the protocol:
definition in another file, references, rename across importers (from a scan before
the index is built, from the index after, the disk's text winning), workspace symbols
with open documents as edited, and the diagnostics of files that are not open."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.documents import open_document
from craftls.features.host import AnalysisHost, FileEdits, disk_result_id
from craftls.features.navigation import RenameRefused
from craftls.language.catalog import resolve_definition
from craftls.language.model import LanguageDefinition
from craftls.workspace.index import IndexCancelled

PASCAL = resolve_definition("pascal")
MODULE = """{ MathLib: helpers used by every user file }
FUNCTION Square(x : INTEGER) : INTEGER;
BEGIN
  Square := x * x
END;

FUNCTION CubeOf(x : INTEGER) : INTEGER;
BEGIN
  CubeOf := x * Square(x)
END;
"""
USER = """PROGRAM User{n};
USES MathLib;
VAR
  Total : INTEGER;
BEGIN
  Total := Square({n}) + MathLib.Square(2);
  WriteLn('Square stays in strings'); {{ and Square in comments }}
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


def pascal_files(path: Path) -> LanguageDefinition | None:
    return PASCAL if path.suffix == ".pas" else None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "MathLib.pas").write_text(MODULE)
    for n in range(3):
        (tmp_path / f"user{n}.pas").write_text(USER.format(n=n))
    (tmp_path / "shadow.pas").write_text(SHADOW)
    return tmp_path


def make_host(folder: Path) -> AnalysisHost:
    return AnalysisHost(pascal_files, lambda: [folder])


def open_file(host: AnalysisHost, path: Path, text: str | None = None, version: int = 1
              ) -> str:
    uri = path.as_uri()
    host.documents[uri] = open_document(uri, version, path.read_text() if text is None
                                        else text, PASCAL, host.imports, host.caches)
    return uri


def edited(files: list[FileEdits]) -> dict[str, list[tuple[int, int, str]]]:
    """uri -> (line, column, new text) of each edit."""
    out = {}
    for f in files:
        out[f.uri] = [(*f.lines.position(e.start, "utf-16"), e.text) for e in f.edits]
    return out


def test_rename_before_the_index_is_ready_scans_and_agrees_with_the_index(
        folder: Path) -> None:
    host = make_host(folder)
    origin = open_file(host, folder / "MathLib.pas")
    offset = MODULE.index("Square")
    assert not host.index.ready
    scanned = edited(host.rename(origin, offset, "Sq"))
    assert list(scanned)[0] == origin  # the document's own edits first
    assert sorted(set(scanned) - {origin}) == [(folder / f"user{n}.pas").as_uri() for n in range(3)]
    assert scanned[(folder / "user1.pas").as_uri()] == [(5, 11, "Sq"), (5, 31, "Sq")]
    list(host.index.build([folder], host.language_of))
    assert host.index.ready and edited(host.rename(origin, offset, "Sq")) == scanned
    # a file edited on disk after indexing: the text read for the rename wins
    user1 = folder / "user1.pas"
    user1.write_text(USER.format(n=1).replace("Total := Square(1) + ", "Total := "))
    assert len(edited(host.rename(origin, offset, "Sq"))[user1.as_uri()]) == 1
    with pytest.raises(IndexCancelled):
        host.rename(origin, offset, "Sq", cancelled=lambda: True)


def test_rename_edits_open_importers_as_edited_with_their_version(folder: Path) -> None:
    host = make_host(folder)
    origin = open_file(host, folder / "MathLib.pas")
    user0 = folder / "user0.pas"
    text = USER.format(n=0).replace("Total := Square(0) + ", "Total := ")
    uri = open_file(host, user0, text, version=7)
    files = {f.uri: f for f in host.rename(origin, MODULE.index("Square"), "Sq")}
    assert files[uri].version == 7 and len(files[uri].edits) == 1
    assert files[origin].version == 1
    assert files[(folder / "user1.pas").as_uri()].version is None  # on disk


def test_a_local_rename_stays_in_its_file_and_a_refusal_says_why(folder: Path) -> None:
    host = make_host(folder)
    origin = open_file(host, folder / "MathLib.pas")
    files = host.rename(origin, MODULE.index("x :"), "y")
    assert [f.uri for f in files] == [origin] and len(files[0].edits) == 3
    with pytest.raises(RenameRefused, match="keyword"):
        host.rename(origin, MODULE.index("BEGIN"), "y")
    assert host.rename((folder / "nowhere.pas").as_uri(), 0, "y") == []


def test_definition_in_the_file_and_in_an_imported_module_on_disk(folder: Path) -> None:
    host = make_host(folder)
    user = folder / "user1.pas"
    uri = open_file(host, user)
    text = USER.format(n=1)
    found = host.definition(uri, text.index("Total :="))
    assert found is not None and found.uri == uri
    assert (found.start, found.end) == (text.index("Total"), text.index("Total") + 5)
    elsewhere = host.definition(uri, text.index("Square(1)"))
    assert elsewhere is not None and elsewhere.uri == (folder / "MathLib.pas").as_uri()
    assert elsewhere.lines.position(elsewhere.start, "utf-16") == (1, 9)
    qualified = host.definition(uri, text.index("Square(2)"))
    assert qualified == elsewhere
    assert host.definition(uri, text.index("WriteLn")) is None  # a builtin


def test_references_in_the_file(folder: Path) -> None:
    host = make_host(folder)
    uri = open_file(host, folder / "MathLib.pas")
    found = host.references(uri, MODULE.index("Square"), include_declaration=True)
    assert [f.lines.position(f.start, "utf-16") for f in found] == [(1, 9), (3, 2), (8, 16)]
    without = host.references(uri, MODULE.index("Square"), include_declaration=False)
    assert len(without) == 2


def test_workspace_symbols_read_open_documents_as_edited(folder: Path) -> None:
    host = make_host(folder)
    list(host.index.build([folder], host.language_of))
    hits = host.workspace_symbols("CubeOf", "utf-16")
    assert [(h.name, h.kind, h.uri, h.range) for h in hits] == [
        ("CubeOf", "function", (folder / "MathLib.pas").as_uri(), (6, 9, 6, 15))]
    uri = open_file(host, folder / "MathLib.pas", MODULE.replace("CubeOf", "Cube"))
    assert host.workspace_symbols("CubeOf", "utf-16") == []
    assert [h.uri for h in host.workspace_symbols("Cube", "utf-16")] == [uri]
    del host.documents[uri]
    host.refresh(host.document_closed(uri))  # the disk's version again
    assert [h.name for h in host.workspace_symbols("CubeOf", "utf-16")] == ["CubeOf"]


def test_diagnostics_of_files_that_are_not_open(folder: Path) -> None:
    (folder / "broken.pas").write_text("PROGRAM Broken;\nBEGIN\n  WriteLn(Missing)\nEND.\n")
    host = make_host(folder)
    list(host.index.build([folder], host.language_of))
    opened = open_file(host, folder / "user0.pas")
    files = host.unopened_files(host.documents)
    assert opened not in [f.uri for f in files]
    assert sorted(f.path.name for f in files) == ["MathLib.pas", "broken.pas", "shadow.pas",
                                                  "user1.pas", "user2.pas"]
    broken = next(f for f in files if f.path.name == "broken.pas")
    found = host.file_diagnostics(broken)
    assert found is not None and found.stamp == broken.stamp
    assert [d.code for d in found.diagnostics] == ["undefined-name"]
    assert found.lines.position(found.diagnostics[0].start, "utf-16") == (2, 10)
    assert disk_result_id(3, broken.stamp) == f"disk.3.{broken.stamp[0]}.{broken.stamp[1]}"
    (folder / "broken.pas").unlink()
    assert host.file_diagnostics(broken) is None
    with pytest.raises(IndexCancelled):
        host.unopened_files({}, cancelled=lambda: True)


def test_each_host_owns_its_type_cache_and_templates(folder: Path) -> None:
    from craftls.semantics.item_walks import ITEM_WALKS

    first, second = make_host(folder), make_host(folder)
    assert first.caches is not second.caches and first.caches.types is not second.caches.types
    assert first.caches.names is not second.caches.names
    assert ITEM_WALKS not in (first.caches.names, second.caches.names)  # not the CLI's
    list(first.index.build([folder], first.language_of))
    broken = next(f for f in first.unopened_files({}) if f.path.name == "MathLib.pas")
    shared = ITEM_WALKS.stats()
    assert first.file_diagnostics(broken) is not None
    assert first.caches.types.inferred > 0  # the analysis inferred into the host's cache
    assert second.caches.types.inferred == 0 and len(second.caches.types) == 0
    # and resolved names through the host's templates, recording them there only
    walked = first.caches.stats()["names"]
    assert walked["misses"] > 0 and walked["size"] > 0
    assert second.caches.stats()["names"] == {"size": 0, "maxsize": walked["maxsize"],
                                              "hits": 0, "misses": 0}
    assert ITEM_WALKS.stats() == shared
    # one host's settings and reset leave the other's caches alone
    second_doc = open_file(second, folder / "MathLib.pas")
    assert second.documents[second_doc].analysis().diagnostics is not None
    kept = second.caches.stats()["names"]["size"]
    assert kept > 0
    first.caches.configure(5, 10, 60.0)
    assert first.caches.stats()["types"]["maxsize"] == 10
    assert first.caches.stats()["names"]["maxsize"] == 5
    assert second.caches.stats()["types"]["maxsize"] != 10
    assert second.caches.stats()["names"]["maxsize"] != 5
    first.caches.reset()
    assert first.caches.stats()["names"]["size"] == 0 and len(first.caches.types) == 0
    assert second.caches.stats()["names"]["size"] == kept and len(second.caches.types) > 0
