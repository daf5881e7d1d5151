"""Completion after ``obj:`` and ``M.`` for values made elsewhere (bundled ``lua``):
by a metatable (``setmetatable``), by a class's function, by a module file ``require``
loads from the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse


def labels(text: str, path: Path | None = None) -> list[str]:
    at = text.index("|")
    text = text.replace("|", "")
    analysis = analyze_with_types(parse(bundled("lua"), text), path)
    return [c.label for c in complete(analysis, at)[0]]


CLASS = """local Stack = {}
Stack.__index = Stack
function Stack.create()
  local self = setmetatable({items = {}}, Stack)
  return self
end
function Stack:push(v) self.items[#self.items + 1] = v end
function Stack:pop() return table.remove(self.items) end
"""


@pytest.mark.parametrize("made", [
    "local s = setmetatable({}, Stack)\n",
    "local s = setmetatable({}, {__index = Stack})\n",
    "local mt = {__index = Stack}\nlocal s = setmetatable({}, mt)\n",
    "local s = {}\nsetmetatable(s, Stack)\n",
    "local s = Stack.create()\n",
])
def test_a_value_made_from_a_class_is_offered_its_methods(made: str) -> None:
    found = labels(CLASS + made + "s:|\n")
    assert "push" in found and "pop" in found


def test_a_value_whose_function_returns_setmetatable_of_self_gets_the_class() -> None:
    text = ("local Point = {}\nfunction Point:new(x)\n  local o = {x = x}\n"
            "  setmetatable(o, self)\n  self.__index = self\n  return o\nend\n"
            "function Point:norm() return self.x end\nlocal p = Point:new(3)\np:|\n")
    assert labels(text) == ["new", "norm"]  # (p.new is Point.new through __index)


def test_a_value_of_no_class_keeps_the_methods_it_is_called_with() -> None:
    text = "local Obj = {}\nfunction Obj.make() return 1 end\nlocal o = Obj.make()\no:go()\no:|\n"
    assert labels(text) == ["go"]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_a_required_module_s_functions_and_class_are_offered(tmp_path: Path) -> None:
    write(tmp_path, {"lib/shapes/stack.lua": CLASS + "return Stack\n",
                     "lib/shapes/util.lua": "local M = {}\nM.version = 1\n"
                                            "function M.clamp(x) return x end\nreturn M\n"})
    main = tmp_path / "app" / "main.lua"
    main.parent.mkdir()
    head = 'local Stack = require("shapes.stack")\nlocal util = require "shapes.util"\n'
    assert labels(head + "local s = Stack.create()\ns:|\n", main) == ["create", "push", "pop"]
    assert labels(head + "util.|\n", main) == ["version", "clamp"]
    assert labels(head + "Stack:|\n", main) == ["create", "push", "pop"]


def test_a_module_not_found_offers_what_the_file_knows(tmp_path: Path) -> None:
    main = tmp_path / "main.lua"
    text = 'local m = require("nowhere")\nm:run()\nm:|\n'
    assert labels(text, main) == ["run"]


def test_a_parameter_offers_the_methods_its_function_calls_on_it() -> None:
    """No type is known for a parameter: the methods called on it in its function are
    offered, not those called on another function's parameter of the same name."""
    text = ("local function a(s)\n  s:open()\nend\n"
            "local function b(s)\n  s:save()\n  s:close(1)\n  s:|\nend\n")
    assert labels(text) == ["save", "close"]
