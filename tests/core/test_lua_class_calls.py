"""Completion after ``obj:`` for classes a class library makes
(``structure.class_calls``: ``class("C", Base)``, ``Base:extend()``), across module
files, and for parameters: only a method's implicit parameter, or the first parameter
of a class's function (``function T.f(p)`` called as ``x:f()``), is the class's."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.parse import parse


def labels(text: str, path: Path | None = None,
           definition: LanguageDefinition | None = None) -> list[str]:
    at = text.index("|")
    text = text.replace("|", "")
    analysis = analyze_with_types(parse(definition or bundled("lua"), text), path)
    return [c.label for c in complete(analysis, at)[0]]


ANIMALS = ('local class = require("middleclass")\nlocal Animal = class("Animal")\n'
           'function Animal:speak() end\nlocal Dog = class("Dog", Animal)\n'
           'function Dog:fetch() end\n')


@pytest.mark.parametrize("made", ["local d = Dog()\nd:|\n", "local d = Dog:new()\nd:|\n",
                                  "function Dog:run()\n  self:|\nend\n"])
def test_a_class_made_by_a_library_call_has_its_base_s_methods(made: str) -> None:
    found = labels(ANIMALS + made)
    assert "fetch" in found and "speak" in found


def test_a_base_s_extend_method_makes_a_class_of_its_receiver() -> None:
    text = ('local Object = require("classic")\nlocal Point = Object:extend()\n'
            'function Point:len() end\nlocal Point3 = Point:extend()\n'
            'function Point3:z() end\nlocal p = Point3()\np:|\n')
    found = labels(text)
    assert found[:2] == ["z", "len"]  # its own first, then the base's


def test_the_base_is_a_name_argument_of_a_field_call() -> None:
    text = ('local Emitter = {}\nfunction Emitter:emit() end\n'
            'local Socket = Class.InheritsFrom(Emitter)\n'
            'function Socket:bind()\n  self:|\nend\n')
    assert labels(text) == ["bind", "emit"]


def test_a_call_of_no_class_library_makes_no_base() -> None:
    """``class_calls`` is the definition's: without it, a call of ``class`` is an
    ordinary call and the argument no base."""
    lua = Path(bundled("lua").source_path or "").read_text(encoding="utf-8")
    assert "  class_calls: [" in lua
    without, _ = load_definition_text(lua.replace("  class_calls: [", "  # class_calls: ["))
    assert without is not None
    text = ANIMALS + "local d = Dog()\nd:|\n"
    assert "speak" not in labels(text, definition=without)
    assert "speak" in labels(text)


def test_a_class_module_chain_is_followed_through_each_module(tmp_path: Path) -> None:
    """Each class file makes its class from the one it loads (``local v = v or
    Base()``): the modules a loaded module loads are found from its own folder."""
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "object.lua").write_text("local object = {}\nfunction object:new() end\n"
                                   "return object\n")
    (ui / "view.lua").write_text('local object = require("ui.object")\n'
                                 "local view = view or object()\n"
                                 "function view:draw() end\nreturn view\n")
    (ui / "panel.lua").write_text('local view = require("ui.view")\n'
                                  "local panel = panel or view()\n"
                                  "function panel:insert() end\nreturn panel\n")
    text = 'local panel = require("ui.panel")\nlocal p = panel()\np:|\n'
    assert labels(text, tmp_path / "main.lua") == ["insert", "draw", "new"]


def test_an_explicit_parameter_of_a_method_is_not_its_object() -> None:
    """``node`` of ``function C:grow(node)`` is no C: only what its function calls."""
    text = ("local C = {}\nfunction C:a() end\nfunction C:grow(node)\n"
            "  node:split()\n  node:|\nend\n")
    assert labels(text) == ["split"]


def test_the_first_parameter_of_a_class_s_function_is_an_instance() -> None:
    text = ("local V = {}\nlocal mt = {}\nmt.__index = V\n"
            "function V.new(x) return setmetatable({x = x}, mt) end\n"
            "function V.len(a) return a.x end\nfunction V.scale(a, k)\n  a:|\nend\n")
    assert labels(text) == ["new", "len", "scale"]
    metamethod = ("local V = {}\nlocal mt = {}\nmt.__index = V\n"
                  "function V.len(a) return a.x end\nfunction mt.__add(a, b)\n  a:|\nend\n")
    assert "len" in labels(metamethod)


def test_a_field_function_s_self_parameter_is_the_table_s() -> None:
    text = ("local M = {}\nM.wait = function(self) end\n"
            "M.go = function(self, n)\n  self:|\nend\n")
    assert labels(text) == ["wait", "go"]


def test_the_first_parameter_of_a_plain_table_s_function_is_not_the_table() -> None:
    """``M`` is no class (no metatable's ``__index``) and ``s`` is no ``self``."""
    text = ("local M = {}\nfunction M.trim(s)\n  return s:match('x')\nend\n"
            "function M.upper(s)\n  s:|\nend\n")
    assert "trim" not in labels(text)


def test_a_text_offers_the_string_library_s_functions_after_its_own() -> None:
    """A method call on a text runs the grammar's ``methods`` library (`s:upper()` is
    `string.upper(s)`): its functions are offered, once, after the calls the file makes."""
    found = labels('local s = "a" .. "b"\ns:gsub("a", "b")\nlocal n = s:|\n')
    assert found[0] == "gsub" and found.count("gsub") == 1
    assert {"upper", "match", "format", "sub"} <= set(found)


def test_a_table_or_an_unknown_value_is_offered_no_string_function() -> None:
    for text in ("local t = {}\nt:|\n", "local function f(p)\n  return p:|\nend\n"):
        assert "upper" not in labels(text)
