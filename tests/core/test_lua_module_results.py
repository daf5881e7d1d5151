"""What a function of another file returns (``features.module_results``): a variable
declared with a call of a loaded module's function annotated ``---@return`` has that
type (hover, members, a method's result in turn); a module that returns
``setmetatable(M, mt)`` gives ``M``'s members to the files that load it."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.hover import hover
from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse

QUEUE = """\
---@class Queue
---@field length integer
local Queue = {}
Queue.__index = Queue

---@param limit integer
---@return Queue
function Queue.create(limit)
  return setmetatable({length = 0, limit = limit, first = nil}, Queue)
end

---@return Job|nil
function Queue:take()
  return nil
end

return Queue
"""

JOB = """\
---@class Job
---@field name string
local Job = {}

function Job:run() end

return Job
"""

MAIN = """\
local Queue = require("queue")
local waiting = Queue.create(8)
local job = waiting:take()
local count = #waiting
"""


def analysed(folder: Path, files: dict[str, str], main: str) -> FileAnalysis:
    for name, text in files.items():
        (folder / name).write_text(text)
    path = folder / main
    return analyze_with_types(parse(bundled("lua"), path.read_text()), path)


def hovered(analysis: FileAnalysis, word: str) -> str:
    text = analysis.parsed.text
    shown = hover(analysis, text.index(word))
    return shown.markdown if shown is not None else ""


def test_a_loaded_modules_annotated_result_types_the_variable(tmp_path):
    (tmp_path / ".git").mkdir()
    analysis = analysed(tmp_path, {"queue.lua": QUEUE, "job.lua": JOB, "main.lua": MAIN},
                        "main.lua")
    assert "waiting: Queue" in hovered(analysis, "waiting =")
    # a method of the other file's class, through the variable's annotated type
    assert "job: Job|nil" in hovered(analysis, "job =")
    at = MAIN.index("#waiting") + len("#waiting")
    text = MAIN[:at] + "." + MAIN[at:]
    path = tmp_path / "main.lua"
    path.write_text(text)
    typed = analyze_with_types(parse(bundled("lua"), text), path)
    assert "length" in [c.label for c in complete(typed, at + 1)[0]]


def test_an_unannotated_constructor_gives_the_class_of_the_table_it_makes_instances_of(
        tmp_path):
    (tmp_path / ".git").mkdir()
    plain = QUEUE.replace("---@return Queue\n", "")
    analysis = analysed(tmp_path, {"queue.lua": plain, "main.lua": MAIN}, "main.lua")
    assert "waiting: Queue" in hovered(analysis, "waiting =")


def test_an_unannotated_result_of_no_class_gives_no_type(tmp_path):
    (tmp_path / ".git").mkdir()
    plain = QUEUE.replace("---@return Queue\n", "").replace("---@class Queue\n", "")
    analysis = analysed(tmp_path, {"queue.lua": plain, "main.lua": MAIN}, "main.lua")
    assert "waiting: Queue" not in hovered(analysis, "waiting =")


CALLABLE = """\
local M = {}

function M.parse(text) return text end

return setmetatable(M, {__call = function(_, text) return M.parse(text) end})
"""


def test_a_module_returning_its_table_with_a_metatable_offers_its_members(tmp_path):
    main = 'local parser = require("parser")\nparser.\n'
    analysis = analysed(tmp_path, {"parser.lua": CALLABLE, "main.lua": main}, "main.lua")
    at = main.index("parser.\n") + len("parser.")
    assert "parse" in [c.label for c in complete(analysis, at)[0]]


def test_a_module_returning_a_variable_that_holds_its_table_with_a_metatable(tmp_path):
    module = CALLABLE.replace("return setmetatable(M,", "local ret = setmetatable(M,") \
        + "return ret\n"
    main = 'local parser = require("parser")\nparser.\n'
    analysis = analysed(tmp_path, {"parser.lua": module, "main.lua": main}, "main.lua")
    at = main.index("parser.\n") + len("parser.")
    assert "parse" in [c.label for c in complete(analysis, at)[0]]


def test_a_field_of_a_loaded_module_is_not_the_module(tmp_path):
    (tmp_path / ".git").mkdir()
    main = 'local Queue = require("queue").Other\nlocal waiting = Queue.create(8)\n'
    analysis = analysed(tmp_path, {"queue.lua": QUEUE, "main.lua": main}, "main.lua")
    assert "waiting: Queue" not in hovered(analysis, "waiting =")
