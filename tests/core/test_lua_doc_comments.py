"""Annotation comments (``lexical.doc_comments``; the bundled ``lua`` reads LuaLS /
EmmyLua tags): their types in hover, member completion and signature help; the key's
checks in the loader; loop variables over annotated collections; ``..`` gives a string;
signature help after ``obj:m(`` without the receiver's parameter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.hover import hover, signature_help
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.doc_comments import element_types, type_prefix
from craftls.syntax.parse import parse

CURSOR = "\u2038"  # where completion, hover or signature help is asked (no `|`: a type has it)
LUA_YAML = (Path(__file__).parents[2] / "server/craftls/language/bundled/lua.yaml").read_text()


def analysed(text: str, path: Path | None = None,
             definition: LanguageDefinition | None = None) -> tuple[FileAnalysis, int]:
    at = text.index(CURSOR)
    text = text.replace(CURSOR, "")
    return analyze_with_types(parse(definition or bundled("lua"), text), path), at


def labels(text: str, path: Path | None = None) -> list[str]:
    analysis, at = analysed(text, path)
    return [c.label for c in complete(analysis, at)[0]]


def hovered_type(text: str) -> str | None:
    analysis, at = analysed(text)
    info = hover(analysis, at)
    found = re.search(r"type: `([^`]*)`", info.markdown) if info is not None else None
    return found.group(1) if found else None


SHAPES = """---@class Base
---@field id string
local Base = {}
function Base:describe() end

---A point on a grid.
---@class Point: Base
---@field x number the column
---@field y? integer
local Point = {}

---@param dx number
---@param dy number how far down
---@return Point moved
function Point:moved(dx, dy) end

function Point.make(self, scale) end
"""


def test_a_parameter_has_its_annotated_type():
    text = SHAPES + "---@param p Point\nlocal function norm(p)\n  return ‸p\nend\n"
    assert hovered_type(text) == "Point"


def test_a_function_shows_its_annotated_parameters_and_result():
    analysis, at = analysed(SHAPES.replace("function Point:moved", "function Point:‸moved"))
    info = hover(analysis, at)
    assert info is not None
    assert "function Point:moved(dx: number, dy: number): Point" in info.markdown


def test_member_completion_after_an_annotated_parameter():
    text = SHAPES + "---@param p Point\nlocal function norm(p)\n  return p.‸\nend\n"
    found = labels(text)
    assert found[:2] == ["x", "y"]
    assert {"moved", "make", "id", "describe"} <= set(found)


def test_methods_after_the_separator_of_a_variable_of_annotated_type():
    text = SHAPES + "---@type Point\nlocal here = nil\nhere:‸\n"
    found = labels(text)
    assert {"moved", "make", "describe"} <= set(found)
    assert "x" not in found  # a field of no function type is no method


def test_a_field_of_function_type_is_offered_after_the_separator():
    text = "---@class Job\n---@field run fun(self: Job)\n---@field name string\n" \
           "local Job = {}\n---@type Job\nlocal j = nil\nj:‸\n"
    assert labels(text) == ["run"]


def test_an_alias_names_the_class():
    text = SHAPES + "---@alias MaybePoint Point|nil\n---@param p MaybePoint\n" \
                    "local function f(p) return p.‸ end\n"
    assert {"x", "y"} <= set(labels(text))


@pytest.mark.parametrize("written", ["Point?", "nil|Point", "Point | nil"])
def test_an_optional_type_has_the_class_members(written):
    text = SHAPES + f"---@param p {written}\nlocal function f(p) return p.‸ end\n"
    assert {"x", "y"} <= set(labels(text))


def test_a_blank_line_after_the_block_detaches_it():
    text = "---@param p string\n\nlocal function f(p) return ‸p end\n"
    assert hovered_type(text) is None


def test_unknown_tags_are_no_errors_and_the_known_ones_still_apply():
    text = "---@deprecated use g\n---@see other\n---@nodiscard\n---@param n integer\n" \
           "local function f(n) return ‸n end\n"
    analysis, at = analysed(text)
    assert [d for d in analysis.diagnostics if d.severity == "error"] == []
    assert hovered_type(text) == "integer"


def test_description_lines_are_the_declarations_documentation():
    analysis, at = analysed("---Adds one.\n---@param n integer\nlocal function ‸inc(n) end\n")
    info = hover(analysis, at)
    assert info is not None and "Adds one." in info.markdown


def test_a_class_in_another_file_of_the_workspace(tmp_path):
    (tmp_path / "lua" / "shop").mkdir(parents=True)
    (tmp_path / "lua" / "shop" / "types.lua").write_text(
        "---@class shop.Item\n---@field price number\nlocal Item = {}\n"
        "function Item:total(n) return self.price * n end\nreturn Item\n")
    user = tmp_path / "lua" / "shop" / "cart.lua"
    text = "---@param item shop.Item\nlocal function add(item)\n  item.‸\nend\n"
    user.write_text(text.replace(CURSOR, ""))
    assert labels(text, user) == ["price", "total"]


def test_loop_variables_over_an_annotated_list_and_map():
    text = SHAPES + "---@param points Point[]\n---@param named table<string, Point>\n" \
                    "local function f(points, named)\n" \
                    "  for i, p in ipairs(points) do p.‸ end\n" \
                    "  for k, q in pairs(named) do print(k, q) end\nend\n"
    assert {"x", "y"} <= set(labels(text))
    plain = text.replace(CURSOR, "")
    at_k = plain.index("print(k") + len("print(")
    assert hovered_type(plain[:at_k] + CURSOR + plain[at_k:]) == "string"


def test_method_signature_help_leaves_out_the_receiver():
    analysis, at = analysed(SHAPES + "---@type Point\nlocal p = nil\np:moved(1, ‸)\n")
    help_ = signature_help(analysis, at)
    assert help_ is not None
    assert help_.parameters == ["dx: number", "dy: number"] and help_.active_parameter == 1


def test_signature_help_for_a_function_declared_with_a_dot_called_with_the_separator():
    analysis, at = analysed(SHAPES + "Point:make(‸)\n")
    help_ = signature_help(analysis, at)
    assert help_ is not None and help_.parameters == ["scale"]


def test_signature_help_for_a_method_of_a_metatable_class():
    text = "local A = {}\nA.__index = A\nfunction A.new() return setmetatable({}, A) end\n" \
           "function A:put(key, value) end\nlocal a = A.new()\na:put(‸)\n"
    analysis, at = analysed(text)
    help_ = signature_help(analysis, at)
    assert help_ is not None and help_.label == "function A:put(key, value)"


def test_concatenation_with_a_string_is_a_string():
    text = "local function f(x)\n  local s = x .. \"!\"\n  return ‸s\nend\n"
    assert hovered_type(text) == "string"


def test_string_methods_after_an_annotated_string():
    found = labels("---@param s string\nlocal function f(s) return s:‸ end\n")
    assert {"upper", "sub", "find"} <= set(found)


@pytest.mark.parametrize("text, prefix", [
    ("string|nil the name", "string|nil"),
    ("table<string, integer> counts", "table<string, integer>"),
    ("fun(a: string, b: number): boolean called back", "fun(a: string, b: number): boolean"),
    ("string | nil", "string | nil"),
    ("{x: number, y: number}", "{x: number, y: number}"),
])
def test_a_type_is_read_up_to_its_description(text, prefix):
    assert type_prefix(text) == prefix


@pytest.mark.parametrize("written, rows", [
    ("Item[]", ("integer", "Item")),
    ("table<string, Item>", ("string", "Item")),
    ("Item", None),
    ("Item[]|nil", None),
])
def test_element_types(written, rows):
    assert element_types(written) == rows


def test_the_marker_and_tags_are_the_definitions_data():
    changed = LUA_YAML.replace('marker: "---"', 'marker: "--:"')
    definition, problems = load_definition_text(changed, "lua-colon")
    assert definition is not None and not [p for p in problems if p.severity == "error"]
    text = "--:@param n integer\nlocal function f(n) return ‸n end\n"
    analysis, at = analysed(text, definition=definition)
    info = hover(analysis, at)
    assert info is not None and "type: `integer`" in info.markdown
    analysis, at = analysed(text.replace("--:", "---"), definition=definition)
    info = hover(analysis, at)
    assert info is not None and "integer" not in info.markdown


@pytest.mark.parametrize("tags, message", [
    ("[{means: colour, pattern: '@c (?P<name>\\w+)'}]", "'means' must be one of"),
    ("[{means: parameter, pattern: '@param (?P<name>\\w+)'}]", "(?P<type>...)"),
    ("[{means: type, pattern: '(?P<type>'}]", "invalid pattern"),
])
def test_a_bad_tag_is_a_definition_error(tags, message):
    changed = re.sub(r"    tags:\n(      - .*\n)+", lambda _: f"    tags: {tags}\n", LUA_YAML)
    assert changed != LUA_YAML
    _, problems = load_definition_text(changed, "lua-bad")
    assert any(message in p.message and p.severity == "error" for p in problems)


def test_an_unknown_key_is_a_warning():
    changed = LUA_YAML.replace('marker: "---"', 'marker: "---"\n    colour: red')
    _, problems = load_definition_text(changed, "lua-key")
    assert any("doc_comments.colour" in p.message and p.severity == "warning"
               for p in problems)


def test_members_of_a_field_chain_are_those_written_after_the_same_chain():
    text = "local M = {}\nM.cache = {size = 0}\nM.cache.hits = 1\n" \
           "function M.cache.clear() end\nlocal cache = {other = 1}\nprint(M.cache.‸)\n"
    assert sorted(labels(text)) == ["clear", "hits", "size"]


def test_a_name_after_the_concatenation_operator_is_no_chain():
    text = "local util = {}\nfunction util.camel(s) return s end\nprint(\"x\" .. util.‸)\n"
    assert labels(text) == ["camel"]


WINDOWS = """---@class Window
---@field width integer
local Window = {}
function Window:focus() end

---@class View
---@field win Window
---@field title string
local View = {}
"""


def test_a_fields_annotated_type_gives_the_members_after_it():
    text = WINDOWS + "function View:open()\n  self.win.‸\nend\n"
    assert labels(text) == ["width", "focus"]


def test_methods_of_a_fields_annotated_type_after_the_separator():
    text = WINDOWS + "function View:open()\n  self.win:‸\nend\n"
    assert labels(text) == ["focus"]


def test_self_in_a_method_of_an_annotated_class_has_its_fields():
    text = WINDOWS + "function View:open()\n  return self.‸\nend\n"
    assert {"win", "title", "open"} <= set(labels(text))


def test_a_full_stop_ending_a_comment_is_no_field_access():
    text = "local log = {}\nfunction log.error(m) end\n-- it is closed.\nlog.‸\n"
    assert labels(text) == ["error"]


def test_a_variable_made_by_a_function_of_annotated_result_has_its_type():
    text = SHAPES + "---@return Point\nfunction Point.origin() end\n" \
                    "local o = Point.origin()\nlocal m = o:moved(1, 2)\nprint(m.‸)\n"
    assert {"x", "y"} <= set(labels(text))
