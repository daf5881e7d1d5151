"""Globals shared by a workspace's files (``structure.workspace_globals``, Lua's): a
global one file assigns is known in the others, in ``craftls check`` over a folder and
in the analysis host (definition, references and rename follow it across files); a
language without the key keeps its files apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from craftls.cli.main import main as cli_main
from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.documents import open_document
from craftls.features.host import AnalysisHost, FileLocation
from craftls.features.hover import hover
from craftls.features.navigation import RenameRefused, references, rename_spans
from craftls.language.catalog import resolve_definition
from craftls.language.model import LanguageDefinition
from craftls.semantics.item_walks import ITEM_WALKS
from craftls.semantics.resolve import resolve_names
from craftls.syntax.parse import parse
from craftls.workspace import shared_globals
from craftls.workspace.index import WorkspaceIndex, make_entry
from craftls.workspace.shared_globals import SharedGlobals, describe, file_globals

LUA = resolve_definition("lua")
SHAPES = """Shapes = {}
function Shapes.area(r) return 3 * r * r end
function helper(x) return x end
local hidden = 2
local function private() return hidden end
function init()
  Config = {debug = false}
  local scratch = 1
  return scratch, private()
end
"""
MAIN = """local total = Shapes.area(2) + helper(1)
if Config.debug then print(total, missing, hidden) end
Shapes.count = helper(Shapes.count or 0)
"""
# its own `helper` (a local): none of the shared global's uses is its
OWN = """local function helper(y) return y end
print(helper(2))
"""


def undefined(text: str, shared: dict[str, str] | None = None) -> list[str]:
    analysis = analyze_with_types(parse(LUA, text), shared_globals=shared)
    return sorted(d.message.split("'")[1] for d in analysis.diagnostics
                  if d.code == "undefined-name")


def test_a_file_s_globals_are_what_it_assigns_without_a_local() -> None:
    parsed = parse(LUA, SHAPES)
    # Config is assigned inside a function: a global all the same; locals are not
    assert file_globals(parsed, resolve_names(parsed)) == ("Shapes", "helper", "init", "Config")
    used = parse(LUA, MAIN)
    assert file_globals(used, resolve_names(used)) == ()  # Shapes.count = ... is a field


@pytest.mark.parametrize(("text", "shared"), [
    ("Before = 1\nlocal _ENV = {print = print}\nAfter = 2\nfunction helper() end\n",
     ("Before",)),
    ("local function sandbox(_ENV)\n  Inside = 1\nend\nOutside = 2\n", ("Outside",)),
    ("do\n  local _ENV = {}\n  Hidden = 1\nend\nSeen = 2\n", ("Seen",)),
])
def test_an_assignment_under_a_local_environment_shares_no_global(
        text: str, shared: tuple[str, ...]) -> None:
    """After ``local _ENV = t`` a name assigned is t's field: no other file sees it."""
    parsed = parse(LUA, text)
    assert file_globals(parsed, resolve_names(parsed)) == shared


def test_a_language_without_the_key_shares_nothing() -> None:
    pascal = resolve_definition("turbopascal")
    assert not pascal.structure.workspace_globals
    parsed = parse(pascal, "PROGRAM P;\nVAR x : INTEGER;\nBEGIN\n  x := 1\nEND.\n")
    assert file_globals(parsed, resolve_names(parsed)) == ()


def test_another_file_s_globals_are_known_names() -> None:
    assert undefined(MAIN) == ["Config", "Shapes", "Shapes", "Shapes", "helper", "helper",
                               "hidden", "missing"]
    shared = {"Shapes": "/w/shapes.lua", "helper": "/w/shapes.lua", "Config": "/w/shapes.lua"}
    assert undefined(MAIN, shared) == ["hidden", "missing"]
    analysis = analyze_with_types(parse(LUA, MAIN), shared_globals=shared)
    shown = hover(analysis, MAIN.index("helper"))
    assert shown is not None and "assigned in `/w/shapes.lua`" in shown.markdown


def test_check_over_a_folder_shares_the_globals_of_the_files_it_checks(tmp_path: Path) -> None:
    (tmp_path / "shapes.lua").write_text(SHAPES)
    (tmp_path / "main.lua").write_text(MAIN)
    (tmp_path / "own.lua").write_text(OWN)
    result = subprocess.run([sys.executable, "-m", "craftls", "check", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    names = [line.split("'")[1] for line in result.stdout.splitlines()
             if "[undefined-name]" in line]
    assert names == ["missing", "hidden"], result.stdout + result.stderr
    alone = subprocess.run([sys.executable, "-m", "craftls", "check",
                            str(tmp_path / "main.lua")], capture_output=True, text=True,
                           timeout=120)
    assert alone.stdout.count("[undefined-name]") == 8  # one file is its own workspace


def test_the_index_tracks_each_file_s_globals() -> None:
    index = WorkspaceIndex()
    shapes, main = Path("/w/shapes.lua"), Path("/w/main.lua")
    index.put(make_entry(shapes, LUA, SHAPES))
    index.put(make_entry(main, LUA, MAIN))
    assert index.shared_globals("lua", main) == dict.fromkeys(
        ["Shapes", "helper", "init", "Config"], str(shapes))
    assert index.shared_globals("lua", shapes) == {}  # a file's own are not "shared"
    assert index.shared_globals("pascal", main) == {}
    generation = index.globals_generation
    assert index.take_globals_changes() == {("lua", None)}  # every Lua file sees them
    index.put(make_entry(main, LUA, MAIN + "\n"))  # same globals: analyses stay valid
    assert index.globals_generation == generation
    assert index.take_globals_changes() == set()
    index.put(make_entry(shapes, LUA, SHAPES.replace("function helper", "local function helper")))
    assert "helper" not in index.shared_globals("lua", main)
    assert index.globals_generation > generation
    assert index.take_globals_changes() == {("lua", None)}  # only Lua's documents are stale
    assert index.take_globals_changes() == set()
    index.remove(shapes)
    assert index.shared_globals("lua", main) == {}
    assert index.take_globals_changes() == {("lua", None)}


def lua_files(path: Path) -> LanguageDefinition | None:
    return LUA if path.suffix == ".lua" else None


@pytest.fixture
def host(tmp_path: Path) -> AnalysisHost:
    for name, text in (("shapes.lua", SHAPES), ("main.lua", MAIN), ("own.lua", OWN)):
        (tmp_path / name).write_text(text)
    made = AnalysisHost(lua_files, lambda: [tmp_path])
    list(made.index.build([tmp_path], made.language_of))
    return made


def open_file(host: AnalysisHost, path: Path) -> str:
    uri = path.as_uri()
    host.documents[uri] = open_document(uri, 1, path.read_text(), LUA, host.imports,
                                        host.caches)
    return uri


def spans(found: list[FileLocation], texts: dict[str, str]) -> list[tuple[str, str]]:
    return sorted((Path(f.uri[len("file://"):]).name, texts[f.uri][f.start:f.end])
                  for f in found)


def test_an_open_file_knows_the_indexed_globals_and_goes_to_their_definition(
        host: AnalysisHost, tmp_path: Path) -> None:
    uri = open_file(host, tmp_path / "main.lua")
    analysis = host.documents[uri].analysis()
    assert sorted(d.message.split("'")[1] for d in analysis.diagnostics
                  if d.code == "undefined-name") == ["hidden", "missing"]
    found = host.definition(uri, MAIN.index("helper"))
    assert found is not None and found.uri == (tmp_path / "shapes.lua").as_uri()
    assert SHAPES[found.start:found.end] == "helper" and found.start == SHAPES.index("helper")
    config = host.definition(uri, MAIN.index("Config"))
    assert config is not None and config.start == SHAPES.index("Config")


def test_references_and_rename_of_a_shared_global_reach_every_file_that_shares_it(
        host: AnalysisHost, tmp_path: Path) -> None:
    texts = {(tmp_path / n).as_uri(): t for n, t in
             (("shapes.lua", SHAPES), ("main.lua", MAIN), ("own.lua", OWN))}
    main = open_file(host, tmp_path / "main.lua")
    from_use = spans(host.references(main, MAIN.index("helper")), texts)
    assert from_use == [("main.lua", "helper")] * 2 + [("shapes.lua", "helper")]
    shapes = open_file(host, tmp_path / "shapes.lua")
    assert spans(host.references(shapes, SHAPES.index("helper")), texts) == from_use
    files = {f.uri: f for f in host.rename(main, MAIN.index("helper"), "assist")}
    assert set(files) == {main, shapes}  # not own.lua: its helper is a local
    assert [SHAPES[e.start:e.end] for e in files[shapes].edits] == ["helper"]
    assert len(files[main].edits) == 2 and all(e.text == "assist" for e in files[main].edits)
    renamed = {f.uri for f in host.rename(shapes, SHAPES.index("Shapes"), "Geometry")}
    assert renamed == {main, shapes}
    with pytest.raises(RenameRefused, match="keyword"):
        host.rename(main, MAIN.index("helper"), "end")
    # a local of the same name stays in its file
    own = open_file(host, tmp_path / "own.lua")
    assert [f.uri for f in host.rename(own, OWN.index("helper"), "h")] == [own]


# fields of the globals table written (lua.yaml's `global_field` rules): globals too
SETUP = """local function setup()
  local verbose = true
  _G.Verbose = verbose
  _G["Palette"] = {"red"}
  rawset(_G, 'Reset', function() return verbose end)
  _G["not a name"] = 1
  _G.Palette.size = 1
end
setup()
print(Verbose, Palette, Reset(), Missing)
"""


def test_a_field_of_the_globals_table_written_is_a_global_of_the_file() -> None:
    """``_G.x = v``, ``_G["x"] = v`` and ``rawset(_G, "x", v)``, even inside a function,
    declare the global x (before, every use of it was an undefined name); a string that
    is no name declares nothing, and ``_G.x.y = v`` is a field of x."""
    assert undefined(SETUP) == ["Missing"]
    parsed = parse(LUA, SETUP)
    assert file_globals(parsed, resolve_names(parsed)) == ("Verbose", "Palette", "Reset")
    model = resolve_names(parsed)
    palette = next(s for s in model.symbols if s.name == "Palette")
    assert SETUP[palette.start:palette.end] == "Palette"  # inside the quotes
    assert palette.scope is model.root_scope


def test_a_field_of_the_globals_table_is_the_global_whatever_local_is_visible() -> None:
    """``local x ... _G.x = 1`` writes the global x, not the local: a read of x outside
    the local's scope is no undefined name, and the local keeps only its own uses."""
    text = ("do\n  local Level = 1\n  _G.Level = Level + 1\nend\nprint(Level)\n")
    assert undefined(text) == []
    model = resolve_names(parse(LUA, text))
    levels = [s for s in model.symbols if s.name == "Level"]
    assert [s.scope is model.root_scope for s in levels] == [False, True]


def test_globals_table_fields_are_shared_with_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "setup.lua").write_text(SETUP)
    (tmp_path / "main.lua").write_text("Reset()\nprint(Verbose, Palette[1], Other)\n")
    result = subprocess.run([sys.executable, "-m", "craftls", "check", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    names = [line.split("'")[1] for line in result.stdout.splitlines()
             if "[undefined-name]" in line]
    assert sorted(names) == ["Missing", "Other"], result.stdout + result.stderr
    index = WorkspaceIndex()
    index.put(make_entry(tmp_path / "setup.lua", LUA, SETUP))
    assert index.shared_globals("lua", tmp_path / "main.lua") == dict.fromkeys(
        ["Verbose", "Palette", "Reset"], str(tmp_path / "setup.lua"))


def test_the_globals_table_and_rawset_are_completed_as_builtins_not_keywords() -> None:
    """The rules that name `_G` and `rawset` by their text make them words the grammar
    accepts at a statement's start; a word that is a builtin and no keyword is still
    completed as the builtin (with its signature), not as a keyword."""
    text = "local a = 1\n\nprint(a)\n"
    items, _ = complete(analyze_with_types(parse(LUA, text)), text.index("\n\n") + 1)
    kinds = {item.label: item.kind for item in items}
    assert kinds["_G"] == "function" and kinds["rawset"] == "function"
    assert kinds["local"] == "keyword"


# rawset(_G, "x", v) where a value is (its result read, returned): the string still
# names the global x it makes
REGISTRY = """local ok = rawset(_G, "Registry", {})
local function install()
  return rawset(_G, 'Install', function() return ok end)
end
install()
"""


def test_rawset_of_the_globals_table_as_a_value_declares_the_global_at_its_string(
        tmp_path: Path) -> None:
    """Before, only a statement ``rawset(_G, "x", v)`` declared x: as a value (``local ok
    = rawset(...)``, ``return rawset(...)``) x was no global, a use of it an undefined
    name with no definition, references or rename reaching the string."""
    parsed = parse(LUA, REGISTRY)
    assert file_globals(parsed, resolve_names(parsed)) == ("Registry", "Install")
    (tmp_path / "registry.lua").write_text(REGISTRY)
    use = "Install()\nprint(Registry)\n"
    (tmp_path / "use.lua").write_text(use)
    host = AnalysisHost(lua_files, lambda: [tmp_path])
    list(host.index.build([tmp_path], host.language_of))
    texts = {(tmp_path / n).as_uri(): t for n, t in (("registry.lua", REGISTRY), ("use.lua", use))}
    main = open_file(host, tmp_path / "use.lua")
    assert not [d for d in host.documents[main].analysis().diagnostics
                if d.code == "undefined-name"]
    found = host.definition(main, use.index("Registry"))
    assert found is not None and found.uri == (tmp_path / "registry.lua").as_uri()
    assert found.start == REGISTRY.index("Registry")  # inside the quotes
    assert spans(host.references(main, use.index("Install")), texts) == [
        ("registry.lua", "Install"), ("use.lua", "Install")]
    registry = open_file(host, tmp_path / "registry.lua")
    edits = {f.uri: f for f in host.rename(registry, REGISTRY.index("Install"), "Setup")}
    assert set(edits) == {registry, main}
    assert [REGISTRY[e.start:e.end] for e in edits[registry].edits] == ["Install"]
    assert [use[e.start:e.end] for e in edits[main].edits] == ["Install"]


# the globals table read: _G.x, _G["x"], rawget(_G, "x") are uses of the global x
READS = """Theme = "dark"
local function current()
  local Theme = "light"
  return _G.Theme, _G["Theme"], rawget(_G, "Theme"), Theme
end
print(current(), _G.Unknown, rawget(_G, "Nowhere"), _G.Theme.len)
"""


def test_a_read_of_the_globals_table_is_a_use_of_the_global_whatever_local_is_visible(
        ) -> None:
    """Before, ``_G.x`` read was a field of `_G` and no use of x: references and rename
    of the global x missed it (a rename left ``_G.Theme`` reading nil). It is the global
    even where a local of that name is visible, and a name nothing assigns is no
    undefined name (a field of the globals table may be anything, as in luacheck)."""
    analysis = analyze_with_types(parse(LUA, READS))
    assert [d for d in analysis.diagnostics if d.severity in ("error", "warning")] == []
    found = [READS[s.start:s.end] + "@" + str(READS.count("\n", 0, s.start) + 1)
             for s in references(analysis, READS.index("Theme"))]
    assert found == ["Theme@1"] + ["Theme@4"] * 3 + ["Theme@6"]
    local = READS.index("local Theme") + len("local ")
    assert [s.start for s in references(analysis, local)] == [local, READS.rindex("Theme\n")]
    renamed = rename_spans(analysis, 0, "Mode")
    assert len(renamed) == 5 and all(READS[s.start:s.end] == "Theme" for s in renamed)


# a file-scope local and the global of its name: Lua's `_G.x` is always the global
TOP_LEVEL = """local Mode = "local"
_G.Mode = "global"
print(Mode, _G.Mode, _G["Mode"], rawget(_G, "Mode"))
local Level = 1
print(_G.Level, rawget(_G, "Level"))
Size = 1
local Size = 2
print(Size, _G.Size)
local Debug = rawget(_G, "Debug")
print(Debug)
"""


@pytest.mark.parametrize("turn", ["walked", "replayed"])
def test_the_globals_table_is_not_a_file_scope_local_of_the_same_name(turn: str) -> None:
    """Before, after a file-scope ``local x``, ``_G.x`` (read or written) was taken for
    that local: the local counted as used, the global it writes unknown. Now it is the
    global: the local keeps its own uses, ``_G.Mode = v`` declares the global Mode, and
    a read of a global nothing assigns where a local of its name is visible is a warning
    (not the local's own value: `local Debug = rawget(_G, "Debug")`). The
    second analysis replays the items' walks (the name templates): the same answers."""
    parsed = parse(LUA, TOP_LEVEL)
    analysis = analyze_with_types(parsed)  # walks every item and keeps its template
    if turn == "replayed":
        hits = ITEM_WALKS.hits
        analysis = analyze_with_types(parsed)  # the same green items: replayed
        assert ITEM_WALKS.hits - hits == len(parsed.root.green.node_children())
    found = [(d.code, TOP_LEVEL.count("\n", 0, d.start) + 1, d.message)
             for d in analysis.diagnostics]
    assert found == [
        ("unused-variable", 4, "'Level' is never used"),
        ("undefined-global", 5, "no global 'Level' is assigned: the local 'Level' is not a global"),
        ("undefined-global", 5, "no global 'Level' is assigned: the local 'Level' is not a global"),
    ]
    line3 = TOP_LEVEL.index("print(Mode")
    local_uses = [TOP_LEVEL.count("\n", 0, s.start) + 1
                  for s in references(analysis, TOP_LEVEL.index("Mode"))]
    assert local_uses == [1, 3]  # `local Mode` and `print(Mode`
    global_uses = [s.start for s in references(analysis, TOP_LEVEL.index("Mode", line3 + 8))]
    assert [TOP_LEVEL[s:s + 4] for s in global_uses] == ["Mode"] * 4
    assert global_uses[0] == TOP_LEVEL.index("_G.Mode") + 3
    size = [TOP_LEVEL.count("\n", 0, s.start) + 1
            for s in references(analysis, TOP_LEVEL.rindex("_G.Size") + 3)]
    assert size == [6, 8]  # the global Size, not the local of line 7


# ---------------------------------------------------------------- a workspace of many files


def seen_by_every_file(shared: SharedGlobals, language: str, paths: list[Path]
                       ) -> dict[Path, list[tuple[str, str]]]:
    return {p: list(shared.seen_from(language, p).items()) for p in paths}


def reference_seen_from(holders: dict[str, set[Path]], packages: dict[Path, str],
                        path: Path) -> list[tuple[str, str]]:
    """What a file sees, worked out name by name: the first other file (in path order)
    of its package that assigns each name, in the order the names were first assigned."""
    package = packages.get(path)
    found = []
    for name, paths in holders.items():
        others = sorted(p for p in paths if p != path and (
            package is None or packages.get(p) == package))
        if others:
            found.append((name, str(others[0])))
    return found


def test_each_file_sees_the_first_other_file_of_each_name_in_assignment_order() -> None:
    shared = SharedGlobals()
    files = {Path("/w/c.lua"): ["Alpha", "beta", "Gamma"], Path("/w/a.lua"): ["beta", "Delta"],
             Path("/w/b.lua"): ["Gamma", "Alpha", "only_b"], Path("/w/d.lua"): []}
    holders: dict[str, set[Path]] = {}
    for path, names in files.items():
        shared.add("lua", path, names)
        for name in names:
            holders.setdefault(name, set()).add(path)
    paths = [*files, Path("/w/unindexed.lua")]
    for path in paths:
        assert list(shared.seen_from("lua", path).items()) == \
            reference_seen_from(holders, {}, path), path
    assert shared.seen_from("lua", None) == {"Alpha": "/w/b.lua", "beta": "/w/a.lua",
                                             "Gamma": "/w/b.lua", "Delta": "/w/a.lua",
                                             "only_b": "/w/b.lua"}
    # a file's names removed and given again: every file's answer follows
    shared.remove("lua", Path("/w/a.lua"), files[Path("/w/a.lua")])
    holders["beta"].discard(Path("/w/a.lua"))
    del holders["Delta"]
    for path in paths:
        assert list(shared.seen_from("lua", path).items()) == \
            reference_seen_from(holders, {}, path), path
    shared.add("lua", Path("/w/a.lua"), ["Alpha"])
    holders["Alpha"].add(Path("/w/a.lua"))
    for path in paths:
        assert list(shared.seen_from("lua", path).items()) == \
            reference_seen_from(holders, {}, path), path
    # what describe makes of an answer is what it makes of a plain copy of it
    for path in paths:
        found = shared.seen_from("lua", path)
        assert describe(found) == describe(dict(found))


def test_files_grouped_by_folder_see_only_their_package_s_names() -> None:
    shared = SharedGlobals()
    files = {Path("/g/geo/b.go"): ("geo", ["Vec", "Len"]), Path("/g/geo/a.go"): ("geo", ["Walk"]),
             Path("/g/geo/a_test.go"): ("geo_test", ["TestWalk", "Vec"]),
             Path("/g/geo/c.go"): ("geo", ["Len", "Norm"]),
             Path("/g/other/x.go"): ("other", ["Vec"])}
    for path, (package, names) in files.items():
        shared.add("go", path, names, package)
    for path in files:
        holders: dict[str, set[Path]] = {}
        for other, (_, names) in files.items():
            if other.parent == path.parent:
                for name in names:
                    holders.setdefault(name, set()).add(other)
        packages = {p: pkg for p, (pkg, _) in files.items()}
        assert list(shared.seen_from("go", path).items()) == \
            reference_seen_from(holders, packages, path), path


def generated_workspace(folder: Path, count: int, names: int) -> None:
    """``count`` Lua files, each assigning ``names`` globals of its own and reading two
    other files' (none undefined)."""
    for i in range(count):
        lines = [f"function g{i}_{j}(x) return x + g{(i + 1) % count}_{j}(x) end"
                 for j in range(names)]
        lines.append(f"print(g{(i + 2) % count}_0(1))")
        (folder / f"m{i:03d}.lua").write_text("\n".join(lines) + "\n")


def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts of the cross-file work: the tables made (a pass over every file's names)
    and the names described, however ``seen_from`` is reached."""
    counts = {"tables": 0, "described": 0}
    table, described = SharedGlobals._table, shared_globals._described

    def counted_table(self: SharedGlobals, *args: Any) -> Any:
        counts["tables"] += 1
        return table(self, *args)

    def counted_described(path: str) -> str:
        counts["described"] += 1
        return described(path)

    monkeypatch.setattr(SharedGlobals, "_table", counted_table)
    monkeypatch.setattr(shared_globals, "_described", counted_described)
    return counts


@pytest.mark.parametrize("count", [6, 24])
def test_check_of_many_files_reads_every_file_s_globals_once_not_once_per_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        count: int) -> None:
    """The quadratic pass (each file's answer made by a pass over all files' names) would
    make ``count`` tables and describe ``count * (count - 1) * names`` names."""
    names = 3
    generated_workspace(tmp_path, count, names)
    counts = counting(monkeypatch)
    assert cli_main(["check", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert f"checked {count} files: 0 errors, 0 warnings" in out.err
    assert "[undefined-name]" not in out.out  # every global read is another file's
    assert counts["tables"] == 1
    assert counts["described"] <= 2 * count * names


def test_a_document_analysed_again_and_again_reads_the_index_s_globals_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keystrokes that change no global make no pass over the workspace's names; one that
    changes a global makes one."""
    generated_workspace(tmp_path, 20, 3)
    made = AnalysisHost(lua_files, lambda: [tmp_path])
    list(made.index.build([tmp_path], made.language_of))
    counts = counting(monkeypatch)
    path = tmp_path / "m005.lua"
    text = path.read_text()
    for version in range(1, 6):
        uri = path.as_uri()
        made.documents[uri] = open_document(uri, version, text + "-- typed\n" * version, LUA,
                                            made.imports, made.caches)
        analysis = made.documents[uri].analysis()
        assert not [d for d in analysis.diagnostics if d.code == "undefined-name"]
        made.note_open_globals(made.documents[uri])
        made.flush_open()  # as a workspace query does: stored with the same globals
        stored = made.index.get(path)
        assert stored is not None and stored.version == version
    assert counts["tables"] == 1
    made.documents[uri] = open_document(uri, 9, text + "function fresh() end\n", LUA,
                                        made.imports, made.caches)
    made.documents[uri].analysis()
    assert made.note_open_globals(made.documents[uri])  # a new global: stored in the index
    assert made.index.shared_globals("lua", tmp_path / "m006.lua")["fresh"] == str(path)
    assert counts["tables"] == 2
