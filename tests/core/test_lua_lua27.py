"""Round lua27 of the bundled ``lua``: navigation across files and methods.
Go-to-definition of a method another file declares (``local Q = require("queue")`` ...
``q:push()``), references and rename of a table's function called as a method (declared
``function T:m``, as a key of the table's constructor or by ``T.m = function``), refused
when a use is not sure; hover on the hosts' globals and the members ``host_globals``
lists, with the descriptions a host's ``descriptions`` gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.documents import open_document
from craftls.features.host import AnalysisHost
from craftls.features.hover import hover
from craftls.features.navigation import (
    RenameRefused,
    definition,
    prepare_rename,
    references,
    rename_spans,
)
from craftls.language.catalog import bundled, resolve_definition
from craftls.language.loader import load_definition_text
from craftls.syntax.parse import parse

LUA_YAML = (Path(__file__).parents[2] / "server/craftls/language/bundled/lua.yaml").read_text()

# a queue class of our own in a module file, and a program that loads it
QUEUE = """\
local Queue = {}
Queue.__index = Queue

function Queue.new()
  return setmetatable({first = 1, last = 0, items = {}}, Queue)
end

function Queue:push(value)
  self.last = self.last + 1
  self.items[self.last] = value
end

function Queue:pop()
  local value = self.items[self.first]
  self.first = self.first + 1
  return value
end

function Queue:drain()
  while self.first <= self.last do self:pop() end
end

Queue.size = function(self) return self.last - self.first + 1 end

return Queue
"""

MAIN = """\
local Queue = require("queue")
local jobs = Queue.new()
jobs:push("build")
jobs:push("test")
print(jobs:pop(), jobs:size())
"""

# another table with a function of the same name: never one of the queue's uses
STACK = """\
local stack = {}
function stack:push(x) return x end
stack:push(3)
"""


def nth(text: str, needle: str, n: int = 0) -> int:
    """The offset of the n-th ``needle``'s last part (after its separator)."""
    at = -1
    for _ in range(n + 1):
        at = text.index(needle, at + 1)
    return at + max(needle.rfind(":"), needle.rfind(".")) + 1


@pytest.fixture
def queue_workspace(tmp_path: Path) -> tuple[AnalysisHost, dict[str, str]]:
    files = {"queue.lua": QUEUE, "main.lua": MAIN, "stack.lua": STACK}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    lua = resolve_definition("lua")
    host = AnalysisHost(lambda p: lua if p.suffix == ".lua" else None, lambda: [tmp_path])
    list(host.index.build([tmp_path], host.language_of))
    uris = {name: (tmp_path / name).as_uri() for name in files}
    uri = uris["main.lua"]
    host.documents[uri] = open_document(uri, 1, MAIN, lua, host.imports, host.caches)
    return host, uris


def test_definition_of_a_method_another_file_declares(queue_workspace):
    host, uris = queue_workspace
    for use, declared in (("jobs:push", "Queue:push"), ("jobs:pop", "Queue:pop"),
                          ("Queue.new", "Queue.new"), ("jobs:size", "Queue.size")):
        found = host.definition(uris["main.lua"], nth(MAIN, use) + 1)
        assert found is not None and found.uri == uris["queue.lua"], use
        assert (found.start, found.end) == (nth(QUEUE, declared),
                                            nth(QUEUE, declared) + len(use.split(":")[-1]
                                                                      .split(".")[-1]))
    # its line and column come from that file's text
    push = host.definition(uris["main.lua"], nth(MAIN, "jobs:push"))
    assert push is not None and push.lines.position(push.start, "utf-16") == (7, 15)


def test_hover_on_a_method_another_file_declares(queue_workspace):
    host, uris = queue_workspace
    analysis = host.documents[uris["main.lua"]].analysis()
    shown = hover(analysis, nth(MAIN, "jobs:push"))
    assert shown is not None
    assert "function Queue:push(value)" in shown.markdown
    assert "queue.lua` on line 8" in shown.markdown
    field = hover(analysis, nth(MAIN, "jobs:size"))
    assert field is not None and "field of the table `Queue`" in field.markdown


def located(found) -> list[tuple[str, int]]:
    return sorted((f.uri.rsplit("/", 1)[-1], f.start) for f in found)


def test_references_of_a_method_across_files(queue_workspace):
    host, uris = queue_workspace
    expected = [("main.lua", nth(MAIN, "jobs:push")), ("main.lua", nth(MAIN, "jobs:push", 1)),
                ("queue.lua", nth(QUEUE, "Queue:push"))]
    assert located(host.references(uris["main.lua"], nth(MAIN, "jobs:push"))) == expected
    assert located(host.references(uris["main.lua"], nth(MAIN, "jobs:push"),
                                   include_declaration=False)) == expected[:2]
    # from the declaration, the module's file open too: the same, `self:pop` included
    lua = resolve_definition("lua")
    queue = uris["queue.lua"]
    host.documents[queue] = open_document(queue, 1, QUEUE, lua, host.imports, host.caches)
    assert located(host.references(queue, nth(QUEUE, "Queue:push"))) == expected
    assert located(host.references(queue, nth(QUEUE, "Queue:pop"))) == [
        ("main.lua", nth(MAIN, "jobs:pop")), ("queue.lua", nth(QUEUE, "Queue:pop")),
        ("queue.lua", nth(QUEUE, "self:pop"))]


def test_rename_of_a_method_across_files(queue_workspace):
    host, uris = queue_workspace
    edits = {f.uri: [(e.start, e.end, e.text) for e in f.edits]
             for f in host.rename(uris["main.lua"], nth(MAIN, "jobs:push"), "enqueue")}
    at = nth(MAIN, "jobs:push")
    again = nth(MAIN, "jobs:push", 1)
    assert edits == {uris["main.lua"]: [(at, at + 4, "enqueue"), (again, again + 4, "enqueue")],
                     uris["queue.lua"]: [(nth(QUEUE, "Queue:push"), nth(QUEUE, "Queue:push") + 4,
                                          "enqueue")]}
    # the table has a function of that name already
    with pytest.raises(RenameRefused, match="'Queue' already has a function 'pop'"):
        host.rename(uris["main.lua"], nth(MAIN, "jobs:push"), "pop")
    with pytest.raises(RenameRefused, match="not a valid identifier"):
        host.rename(uris["main.lua"], nth(MAIN, "jobs:push"), "en queue")


def test_a_use_whose_receiver_is_not_known_refuses_the_rename(tmp_path: Path):
    # `pick():push` may be the queue's: the rename could miss it
    unsure = MAIN + "local function pick() return jobs end\npick():push('deploy')\n"
    (tmp_path / "queue.lua").write_text(QUEUE)
    (tmp_path / "main.lua").write_text(unsure)
    lua = resolve_definition("lua")
    host = AnalysisHost(lambda p: lua if p.suffix == ".lua" else None, lambda: [tmp_path])
    list(host.index.build([tmp_path], host.language_of))
    uri = (tmp_path / "main.lua").as_uri()
    host.documents[uri] = open_document(uri, 1, unsure, lua, host.imports, host.caches)
    with pytest.raises(RenameRefused, match="'push' on line 7 may be this function"):
        host.rename(uri, nth(unsure, "jobs:push"), "enqueue")
    # references list the sure uses only
    assert located(host.references(uri, nth(unsure, "jobs:push"))) == [
        ("main.lua", nth(unsure, "jobs:push")), ("main.lua", nth(unsure, "jobs:push", 1)),
        ("queue.lua", nth(QUEUE, "Queue:push"))]


# a class written as a table constructor whose keys are its functions (MoonScript's
# compiled classes are so), of our own
BUFFER = """\
local Buffer = {
  render = function(self)
    return table.concat(self.parts)
  end,
  append = function(self, text)
    self.parts[#self.parts + 1] = text
    return self:render()
  end,
}
Buffer.__index = Buffer
local Log = {render = function(self) return "log" end}
local out = Buffer:render() .. Log:render() .. string.rep("-", 3)
"""


def analysed(text: str):
    return analyze_with_types(parse(bundled("lua"), text), None)


def test_references_and_rename_of_a_constructors_function():
    analysis = analysed(BUFFER)
    key = BUFFER.index("render = function")
    uses = [key, nth(BUFFER, "self:render"), nth(BUFFER, "Buffer:render")]
    for at in uses:
        assert [s.start for s in references(analysis, at + 1)] == uses
        assert prepare_rename(analysis, at + 1)[1] == "render"
        assert [s.start for s in rename_spans(analysis, at + 1, "show")] == uses
    # the other table's function of that name is its own
    log = nth(BUFFER, "Log:render")
    assert [s.start for s in references(analysis, log)] == [BUFFER.index("render = function(self)"
                                                                         " return"), log]
    with pytest.raises(RenameRefused, match="'Buffer' already has a function 'append'"):
        rename_spans(analysis, key, "append")


def test_a_constructors_function_called_on_an_unknown_value_refuses_the_rename():
    text = BUFFER + "local function show(view) return view:render() end\n"
    analysis = analysed(text)
    with pytest.raises(RenameRefused, match="'render' on line 13 may be this function"):
        rename_spans(analysis, text.index("render = function"), "show")


STACK_CLASS = """\
local Stack = {}
Stack.__index = Stack
function Stack.new() return setmetatable({items = {}}, Stack) end
function Stack:push(value) self.items[#self.items + 1] = value end
function Stack:twice(value)
  self:push(value)
  self:push(value)
end
local s = Stack.new()
s:push(1)
"""


def test_references_and_rename_of_a_method_the_file_declares():
    analysis = analysed(STACK_CLASS)
    uses = [nth(STACK_CLASS, "Stack:push"), nth(STACK_CLASS, "self:push"),
            nth(STACK_CLASS, "self:push", 1), nth(STACK_CLASS, "s:push")]
    for at in uses:
        assert [s.start for s in references(analysis, at)] == uses
        assert [(s.start, s.end) for s in rename_spans(analysis, at, "add")] == \
            [(u, u + 4) for u in uses]
    assert definition(analysis, nth(STACK_CLASS, "s:push")).start == uses[0]  # type: ignore[union-attr]
    # `Stack.new` is a function of the table too
    new = nth(STACK_CLASS, "Stack.new")
    assert [s.start for s in references(analysis, new)] == [new, nth(STACK_CLASS, "Stack.new", 1)]


# lua27: hover on the hosts' globals and listed members

def hover_text(text: str, needle: str, path: Path | None = None) -> str | None:
    analysis = analyze_with_types(parse(bundled("lua"), text), path)
    shown = hover(analysis, text.index(needle) + len(needle) - 1)
    return shown.markdown if shown is not None else None


GAME = """\
function love.draw()
  love.graphics.print("score", 10, 10)
  love.graphics.rectangle("fill", 0, 0, 4, 4)
  love.grafics.print("typo")
end
"""


def test_hover_on_a_hosts_member_shows_what_the_definition_lists():
    shown = hover_text(GAME, "graphics.print")
    assert shown is not None
    assert shown.startswith("```lua\nlove.graphics.print\n```")
    assert "member of `love.graphics`, which the host LÖVE provides" in shown
    assert "Draws text on the screen" in shown  # the definition's description
    rectangle = hover_text(GAME, "rectangle")
    assert rectangle is not None and rectangle.endswith(
        "member of `love.graphics`, which the host LÖVE provides")  # no description given
    graphics = hover_text(GAME, "love.graphics")
    assert graphics is not None and "table of `love`" in graphics
    love = hover_text(GAME, "  love")
    assert love is not None and "a global the host LÖVE provides" in love
    # a member the host does not list, and a file's own table of that name
    assert hover_text(GAME, "grafics") is None
    assert hover_text(GAME, "grafics.print") is None
    own = "local love = {graphics = {}}\nlove.graphics.print = 1\n"
    assert hover_text(own, "graphics.print") is None
    # a host behind marks: in a module that writes one
    module = "local ngx = ngx\nngx.say('hi')\nngx.req.read_body()\n"
    say = hover_text(module, "ngx.say")
    assert say is not None and "member of `ngx`, which the host OpenResty provides" in say
    body = hover_text(module, "read_body")
    assert body is not None and "member of `ngx.req`" in body


def test_the_loader_checks_a_hosts_descriptions():
    definition = bundled("lua")
    love = next(h for h in definition.structure.host_globals if h.host == "LÖVE")
    assert dict(love.descriptions)["love.graphics.print"].startswith("Draws text")
    anchor = '      descriptions:\n        love: "'
    assert anchor in LUA_YAML
    unlisted = LUA_YAML.replace(anchor, '      descriptions:\n        love.graphics.prnt: x\n'
                                        '        love: "')
    _, problems = load_definition_text(unlisted)
    assert any("'descriptions' of 'love.graphics.prnt', which is neither one of the host's "
               "names nor a member its 'members' list" in p.message for p in problems)
    not_a_text = LUA_YAML.replace(anchor, '      descriptions:\n        love.quit: [1]\n'
                                          '        love: "')
    _, problems = load_definition_text(not_a_text)
    assert any("the description of 'love.quit' must be a text" in p.message for p in problems)
    not_a_mapping = LUA_YAML.replace(anchor, '      descriptions: [love]\n      x:\n'
                                             '        love: "')
    _, problems = load_definition_text(not_a_mapping)
    assert any("'descriptions' must be a mapping" in p.message for p in problems)


# lua27: a class given another table's functions by a mixin's call (structure.mixin_calls)

MIXED = """\
local Shape = {}
function Shape:area() return 0 end
function Shape:describe() return "a shape" end
local Box = Object:extend()
Box:implement(Shape)
function Box:init(w) self.w = w; self:area() end
local b = Box(2)
print(b:describe(), b:area())
"""


def test_a_mixins_functions_are_the_classs():
    analysis = analysed(MIXED)
    area = MIXED.index("area")
    found = definition(analysis, nth(MIXED, "self:area"))
    assert found is not None and found.start == area
    assert [s.start for s in references(analysis, area)] == [
        area, nth(MIXED, "self:area"), nth(MIXED, "b:area")]
    describe = definition(analysis, nth(MIXED, "b:describe"))
    assert describe is not None and describe.start == MIXED.index("describe")
    offered = offered_after(MIXED.replace("print(b:describe(), b:area())", "b:@"))
    assert {"area", "describe", "init"} <= set(offered)
    # without the mixin's call, Shape's functions are not Box's
    alone = MIXED.replace("Box:implement(Shape)\n", "")
    assert definition(analysed(alone), nth(alone, "b:describe")) is None


def offered_after(marked: str) -> list[str]:
    from craftls.features.completion import complete
    at = marked.index("@")
    text = marked.replace("@", "")
    return [c.label for c in complete(analysed(text), at)[0]]


def test_the_loader_checks_mixin_calls():
    assert bundled("lua").structure.mixin_calls == ("implement", "include")
    alone = LUA_YAML.replace('  method_separator: ":"\n', "")
    assert alone != LUA_YAML
    _, problems = load_definition_text(alone)
    assert any("'mixin_calls' does nothing without 'method_separator'" in p.message
               for p in problems)


def test_a_receiver_after_the_concatenation_operator_is_a_receiver():
    # `..M.clean(...)`: `..` is an operator, not a member's separator; `t.M.clean` is a
    # member of something else (not sure to be M's: a rename is refused)
    text = "local M = {}\nfunction M.clean(s) return s end\nlocal x = 'a'..M.clean('b')\n"
    analysis = analysed(text)
    clean = text.index("clean")
    found = definition(analysis, nth(text, "..M.clean"))
    assert found is not None and found.start == clean
    assert [s.start for s in rename_spans(analysis, clean, "tidy")] == [
        clean, nth(text, "..M.clean")]
    chained = text + "local y = t.M.clean('c')\n"
    with pytest.raises(RenameRefused, match="'clean' on line 4 may be this function"):
        rename_spans(analysed(chained), clean, "tidy")
