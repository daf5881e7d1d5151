"""Globals a host program provides (``structure.host_globals``): the bundled ``lua``'s
LÖVE ``love``, Neovim ``vim`` and busted's test functions (only in test files); the
key's checks in the loader."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse

LUA_YAML = (Path(__file__).parents[2] / "server/craftls/language/bundled/lua.yaml").read_text()

GAME = """\
local player = {x = 0}
function love.load()
  player.image = love.graphics.newImage("player.png")
end
function love.update(dt)
  player.x = player.x + speed * dt
end
"""

SPEC = """\
local stack = require("stack")
describe("a stack", function()
  before_each(function() stack.clear() end)
  it("pops what was pushed", function()
    stack.push(1)
    assert.are.equal(1, stack.pop())
  end)
end)
"""


def undefined(text: str, path: Path | None) -> list[str]:
    analysis = analyze_with_types(parse(bundled("lua"), text), path)
    return [text[d.start:d.end] for d in analysis.diagnostics if d.code == "undefined-name"]


def test_a_host_global_is_known_in_every_file_and_a_misspelt_name_is_not():
    assert undefined(GAME, Path("/game/main.lua")) == ["speed"]
    assert undefined(GAME, None) == ["speed"]


def test_a_test_runners_globals_are_known_in_its_test_files_only(tmp_path):
    assert undefined(SPEC, tmp_path / "spec" / "stack_spec.lua") == []
    assert undefined(SPEC, tmp_path / "tests" / "stack.lua") == []
    assert undefined(SPEC, tmp_path / "stack_spec.lua") == []
    assert undefined(SPEC, tmp_path / "src" / "stack.lua") == ["describe", "before_each", "it"]


def test_the_loader_checks_host_globals():
    bad = LUA_YAML.replace("    - host: LÖVE\n      names: [love]\n",
                           "    - host: LÖVE\n      names: [love]\n      when: game\n"
                           "    - host: empty\n")
    assert bad != LUA_YAML
    definition, problems = load_definition_text(bad)
    messages = [p.message for p in problems]
    assert any("unknown key 'when'" in m for m in messages)
    assert any("a host needs 'names'" in m for m in messages)
    assert definition is None or definition.structure.host_globals[0].names == ("love",)


def test_a_declaration_taking_the_global_of_its_own_name_when_set_reads_no_undefined_name():
    text = ("local path = path or {}\n"
            "local enabled = enabled and true\n"
            "local view = views or {}\n"
            "local M = {}\n"
            "M.dialog = dialog or {}\n"
            "local rect = rect\n")
    assert undefined(text, None) == ["views", "dialog", "rect"]


# a plug-in of a host whose global functions have common words for names (`each`): they
# are known only in a file that writes one of the host's own names (its ``marks``)
PLUGIN = """\
function plugindef()
  finaleplugin.Notes = "doubles every note"
  return "Double notes"
end
local region = finenv.Region()
for entry in eachentrysaved(region) do
  for note in each(entry) do
    note.Length = note.Length * twice
  end
end
"""

NOT_A_PLUGIN = """\
-- each() and finale are words of a comment here, "finenv" of a string
local items = {1, 2}
for item in each(items) do
  print(item, "finenv")
end
"""


def test_a_hosts_names_are_known_only_in_a_file_that_writes_one_of_its_marks():
    assert undefined(PLUGIN, Path("/plugins/double.lua")) == ["twice"]
    assert undefined(PLUGIN, None) == ["twice"]
    assert undefined(NOT_A_PLUGIN, Path("/lib/list.lua")) == ["each"]


def test_a_hosts_marks_are_names_of_it_and_checked_by_the_loader():
    definition = bundled("lua")
    host = next(h for h in definition.structure.host_globals if h.marks)
    assert set(host.marks) <= set(host.names)
    bad = LUA_YAML.replace("      marks: [finale, finenv, finaleplugin]\n",
                           "      marks: {finale: 1}\n")
    assert bad != LUA_YAML
    _, problems = load_definition_text(bad)
    assert any("'marks' must be a string or a list of strings" in p.message for p in problems)
