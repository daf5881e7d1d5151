"""Round lua26 of the bundled ``lua``: OpenResty's API tables as a host behind marks
(``structure.host_globals``), known in a module that writes ``ngx`` and nowhere else; the
fields a function assigns to the globals table it is passed (``structure.globals_table``)
are globals of the workspace; the functions of a table constructor are its methods, and
``self:`` inside one of them offers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.documents import open_document
from craftls.features.host import AnalysisHost
from craftls.features.hover import hover
from craftls.features.navigation import Span, definition, prepare_rename
from craftls.language.catalog import bundled, resolve_definition
from craftls.language.loader import load_definition_text
from craftls.semantics.resolve import resolve_names
from craftls.syntax.parse import parse
from craftls.workspace.shared_globals import SharedGlobals, file_globals

LUA_YAML = (Path(__file__).parents[2] / "server/craftls/language/bundled/lua.yaml").read_text()

# an OpenResty module of our own: a counter kept in a shared dictionary
MODULE = """\
local ngx = ngx
local shared = ngx.shared
local _M = {}

function _M.bump(key)
  local dict = shared.counters
  local n, err = dict:incr(key, 1, 0)
  if not n then
    ngx.log(ngx.ERR, "could not count ", key, ": ", err)
    return ngx.exit(ngx.HTTP_INTERNAL_SERVER_ERROR)
  end
  ndk.set_var.set_quote_sql_str(key)
  return n + limit
end

return _M
"""

PLAIN = """\
local total = 0
for i = 1, 10 do
  total = total + i
end

"""


def undefined(text: str, path: Path | None) -> list[str]:
    analysis = analyze_with_types(parse(bundled("lua"), text), path)
    return [text[d.start:d.end] for d in analysis.diagnostics if d.code == "undefined-name"]


def test_openresty_names_are_known_in_a_module_that_writes_ngx():
    assert undefined(MODULE, Path("/srv/lib/resty/counter.lua")) == ["limit"]
    assert undefined(MODULE, None) == ["limit"]


def test_a_misspelt_openresty_name_is_still_undefined():
    assert undefined(PLAIN + "print(ngxx.var)\n", Path("/tool/sum.lua")) == ["ngxx"]
    assert undefined(MODULE.replace("ngx.ERR", "ngz.ERR"), None) == ["ngz", "limit"]


# an entity library of our own whose switch puts its names in the globals
LIBRARY = """\
local ecs = {}

local function export(into, prefix)
  into.World = require(prefix .. "world")
  into.Query = function(...) return {...} end
  into.cache.size = 10
  local seen = into.Seen
  if into.Ready == nil then print("export(_G)") end
end

function ecs.setup(options)
  export(ecs, "ecs.")
  if options.globals then
    export(_G, "ecs.")
  end
end

return ecs
"""

GAME_FILE = """\
local world = World()
local movers = Query("position", "velocity")
print(Seen, cache, Wrld, Ready)
"""


def shared_names(text: str) -> tuple[str, ...]:
    parsed = parse(bundled("lua"), text)
    return file_globals(parsed, resolve_names(parsed))


def test_fields_a_function_assigns_to_the_globals_table_it_is_passed_are_globals():
    assert shared_names(LIBRARY) == ("World", "Query")
    shared = SharedGlobals()
    shared.add("lua", Path("/game/lib/ecs.lua"), shared_names(LIBRARY))
    parsed = parse(bundled("lua"), GAME_FILE)
    path = Path("/game/main.lua")
    analysis = analyze_with_types(parsed, path, shared_globals=shared.seen_from("lua", path))
    found = [GAME_FILE[d.start:d.end] for d in analysis.diagnostics if d.code == "undefined-name"]
    assert found == ["Seen", "cache", "Wrld", "Ready"]


def test_only_the_globals_table_itself_passed_to_a_function_of_the_file_counts():
    other_table = LIBRARY.replace("export(_G, ", "export(_G.ecs, ")
    assert shared_names(other_table) == ()
    local_of_that_name = "local _G = {}\n" + LIBRARY
    assert shared_names(local_of_that_name) == ()
    in_a_table = LIBRARY.replace("export(_G, ", "export({_G}, ")
    assert shared_names(in_a_table) == ()
    second_argument = LIBRARY.replace("export(_G, ", 'export("ecs.", _G, ')
    assert shared_names(second_argument) == ()


def test_the_loader_checks_globals_table():
    definition = bundled("lua")
    assert definition.structure.globals_table == "_G"
    alone = LUA_YAML.replace("  workspace_globals: true\n", "")
    assert alone != LUA_YAML
    _, problems = load_definition_text(alone)
    assert any("'globals_table' does nothing without" in p.message for p in problems)
    bad = LUA_YAML.replace("  globals_table: _G\n", "  globals_table: [_G]\n")
    assert bad != LUA_YAML
    _, problems = load_definition_text(bad)
    assert any("'globals_table' must be a string" in p.message for p in problems)


# a class whose methods are written as functions in its table constructor (MoonScript's
# compiled classes are so), of our own
CONSTRUCTOR_CLASS = """\
local Buffer = {
  size = 0,
  render = function(self)
    return table.concat(self.parts)
  end,
  append = function(self, text)
    self.parts[#self.parts + 1] = text
    return self:@
  end,
  nested = {
    inner = function(item) return item end,
  },
}
Buffer.__index = Buffer
local function fresh() return setmetatable({parts = {}}, Buffer) end
local b = fresh()
Buffer:@
"""


def offered_at(marked: str, which: int) -> list[str]:
    offsets = [i for i, c in enumerate(marked) if c == "@"]
    text = marked.replace("@", "")
    offset = offsets[which] - which
    analysis = analyze_with_types(parse(bundled("lua"), text), None)
    return [c.label for c in complete(analysis, offset)[0]]


def test_self_in_a_function_of_a_table_constructor_has_the_tables_methods():
    assert offered_at(CONSTRUCTOR_CLASS, 0) == ["render", "append"]


def test_a_table_constructors_functions_are_its_methods():
    assert offered_at(CONSTRUCTOR_CLASS, 1) == ["render", "append"]


# lua26b: completion offers the hosts' globals where a name goes, and the members the
# definition lists for them after `vim.`, `love.graphics.`, `ngx.req.`

def test_completion_offers_a_hosts_global_where_a_name_goes():
    game = "local speed = 10\nfunction update(dt)\n  lo@\nend\n"
    assert "love" in offered_at(game, 0)
    assert "vim" in offered_at("local opts = {}\nvi@\n", 0)
    text = "local opts = {}\nvi\n"
    found = complete(analyze_with_types(parse(bundled("lua"), text), None), len(text) - 1)[0]
    vim = next(c for c in found if c.label == "vim")
    assert (vim.kind, vim.detail) == ("module", "a global the host Neovim provides")
    spec = "describe('sum', function()\n  it('adds', function() end)\nend)\nbef\n"
    found = complete(analyze_with_types(parse(bundled("lua"), spec), Path("/p/sum_spec.lua")),
                     len(spec) - 1)[0]
    assert [(c.label, c.kind) for c in found if c.label == "before_each"] == \
        [("before_each", "variable")]


def test_a_host_behind_marks_is_offered_only_in_a_file_that_writes_one():
    assert "ngx" in offered_at("local ngx = ngx\nlocal n = ng@\n", 0)
    assert "ngx" in offered_at("ngx.say('hi')\nng@\n", 0)
    assert "ngx" not in offered_at(PLAIN + "ng@\n", 0)
    busted_only = offered_at(PLAIN + "desc@\n", 0)
    assert "describe" not in busted_only


def test_completion_offers_a_hosts_members_after_its_global():
    assert offered_at("vim.api.nvim_buf_get_l@\n", 0) == ["nvim_buf_get_lines"]
    graphics = offered_at("function love.draw()\n  love.graphics.@\nend\n", 0)
    assert {"rectangle", "setColor", "print"} <= set(graphics)
    assert "keypressed" in offered_at("love.@\n", 0)
    # a local copy of the global, as every OpenResty module makes one
    requests = offered_at("local ngx = ngx\nlocal h = ngx.req.@\n", 0)
    assert {"get_headers", "read_body"} <= set(requests)
    assert "HTTP_NOT_FOUND" in offered_at("local ngx = ngx\nngx.exit(ngx.HTTP_N@)\n", 0)


def test_a_local_of_a_hosts_name_is_the_files_own():
    own = offered_at("local vim = {mode = 1}\nvim.@\n", 0)
    assert own == ["mode"]
    # a local copy of the global: the listed members, then the fields the file writes
    copied = offered_at("local vim = vim\nvim.my_helper = 1\nvim.@\n", 0)
    assert copied[0] == "api" and copied[-1] == "my_helper"


def test_the_loader_checks_a_hosts_members():
    definition = bundled("lua")
    neovim = next(h for h in definition.structure.host_globals if h.host == "Neovim")
    assert "api" in dict(neovim.members)["vim"]
    stray = LUA_YAML.replace("        vim.keymap: [set, del]\n",
                             "        vim.keymap: [set, del]\n        nvim.ui: [input]\n")
    assert stray != LUA_YAML
    _, problems = load_definition_text(stray)
    assert any("'members' of 'nvim.ui', which is not one of the host's names" in p.message
               for p in problems)
    not_a_mapping = LUA_YAML.replace("      names: [vim]\n      members:\n",
                                     "      names: [vim]\n      members: [api]\n      x:\n")
    assert not_a_mapping != LUA_YAML
    _, problems = load_definition_text(not_a_mapping)
    assert any("'members' must be a mapping" in p.message for p in problems)


# lua26b: the field a function assigns to the globals table it is passed is the global's
# declaration, for go-to-definition and rename, from the files that use it and from itself

@pytest.fixture
def ecs_workspace(tmp_path: Path) -> tuple[AnalysisHost, str, str]:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "ecs.lua").write_text(LIBRARY)
    (tmp_path / "main.lua").write_text(GAME_FILE)
    lua = resolve_definition("lua")
    host = AnalysisHost(lambda p: lua if p.suffix == ".lua" else None, lambda: [tmp_path])
    list(host.index.build([tmp_path], host.language_of))
    library, game = (tmp_path / "lib" / "ecs.lua").as_uri(), (tmp_path / "main.lua").as_uri()
    for uri, text in ((library, LIBRARY), (game, GAME_FILE)):
        host.documents[uri] = open_document(uri, 1, text, lua, host.imports, host.caches)
    return host, library, game


def test_definition_of_a_global_the_globals_table_gets_is_its_assignment(ecs_workspace):
    host, library, game = ecs_workspace
    found = host.definition(game, GAME_FILE.index("Query"))
    assert found is not None and found.uri == library
    assert LIBRARY[found.start:found.end] == "Query"
    assert LIBRARY[found.start - len("into."):found.start] == "into."
    # from the assignment itself: itself
    at = LIBRARY.index("World")
    here = host.definition(library, at + 2)
    assert here is not None and (here.uri, here.start) == (library, at)


def test_rename_of_a_global_the_globals_table_gets(ecs_workspace):
    host, library, game = ecs_workspace
    for uri, offset in ((game, GAME_FILE.index("World")), (library, LIBRARY.index("World"))):
        edits = {f.uri: f for f in host.rename(uri, offset, "Universe")}
        assert set(edits) == {library, game}
        spans = [(e.start, e.end) for e in edits[library].edits]
        assert spans == [(LIBRARY.index("World"), LIBRARY.index("World") + 5)]
        assert [GAME_FILE[e.start:e.end] for e in edits[game].edits] == ["World"]
    # the editor asks first what the rename would rename (textDocument/prepareRename)
    at = LIBRARY.index("Query")
    assert prepare_rename(host.documents[library].analysis(), at + 1) == (Span(at, at + 5),
                                                                         "Query")
    # a field of the parameter the globals table is not passed for is no global
    assert host.definition(game, GAME_FILE.index("Seen")) is None


# lua26b: hover and go-to-definition on a method written in the table constructor

def analysed(text: str):
    return analyze_with_types(parse(bundled("lua"), text), None)


def test_definition_of_a_constructor_function_called_as_a_method():
    text = CONSTRUCTOR_CLASS.replace("return self:@", "return self:render()") \
        .replace("Buffer:@", "print(Buffer:append('x'), b.render(b))")
    analysis = analysed(text)
    render_key = text.index("render = function")
    append_key = text.index("append = function")
    for use, key in ((text.index("self:render") + 5, render_key),
                     (text.index("Buffer:append") + 7, append_key)):
        found = definition(analysis, use + 2)
        assert found is not None and (found.start, found.end) == (key, key + 6)
    # `b.render`: b is no constructor's table (the methods come through its metatable)
    assert definition(analysis, text.index("b.render") + 3) is None
    # a key whose value is no function, and the inner table's function, are no methods
    size = text.replace("print(Buffer:append('x')", "print(Buffer:size()")
    assert definition(analysed(size), size.index("Buffer:size") + 8) is None
    inner = text.replace("print(Buffer:append('x')", "print(Buffer:inner()")
    assert definition(analysed(inner), inner.index("Buffer:inner") + 8) is None


def test_hover_on_a_constructor_function_called_as_a_method():
    text = CONSTRUCTOR_CLASS.replace("return self:@", "return self:render()") \
        .replace("Buffer:@", "Buffer:append('x')")
    shown = hover(analysed(text), text.index("Buffer:append") + 8)
    assert shown is not None
    assert "function Buffer.append(self, text)" in shown.markdown
    assert "declared in its constructor on line 6" in shown.markdown


# lua26b: the same for a function the file declares on the receiver's class

DECLARED_CLASS = """\
local Stack = {}
Stack.__index = Stack

function Stack.new()
  return setmetatable({items = {}}, Stack)
end

function Stack:push(value, times)
  self.items[#self.items + 1] = value
end

function Stack:drain()
  self:push(nil)
end

local s = Stack.new()
s:push(1)
s:missing()
"""


def test_definition_and_hover_of_a_method_the_file_declares_on_the_class():
    analysis = analysed(DECLARED_CLASS)
    declared = DECLARED_CLASS.index("push(value")
    for use in (DECLARED_CLASS.index("self:push") + 6, DECLARED_CLASS.index("s:push") + 3,
                DECLARED_CLASS.index("= Stack.new") + 9):
        found = definition(analysis, use)
        assert found is not None
        assert DECLARED_CLASS[found.start:found.end] in ("push", "new")
    found = definition(analysis, DECLARED_CLASS.index("s:push") + 3)
    assert found is not None and found.start == declared
    shown = hover(analysis, DECLARED_CLASS.index("s:push") + 3)
    assert shown is not None and "Stack:push(value, times)" in shown.markdown
    assert "declared on line 8" in shown.markdown
    assert definition(analysis, DECLARED_CLASS.index("s:missing") + 3) is None
