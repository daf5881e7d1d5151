"""After ``obj:``, the methods of a class another file of the program makes as a global
(``Base = {}`` in base.lua, ``function Base:extend()``): read through the workspace's
shared globals, for the global itself (``Base:``) and for a class made from it
(``Square = Base:extend()``, its ``self:``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.completion import complete
from craftls.features.documents import open_document
from craftls.features.host import AnalysisHost
from craftls.language.catalog import resolve_definition
from craftls.language.model import LanguageDefinition

LUA = resolve_definition("lua")

BASE = """\
Base = {}
Base.__index = Base
function Base:extend()
  local cls = setmetatable({}, self)
  cls.__index = cls
  return cls
end
function Base:is_a(other)
  return getmetatable(self) == other
end
"""

SQUARE = """\
Square = Base:extend()
function Square:area()
  return self.side * self.side
end
function Square:describe()
  return "area " .. self:
end
local unit = Base:
"""


def lua_files(path: Path) -> LanguageDefinition | None:
    return LUA if path.suffix == ".lua" else None


@pytest.fixture
def square(tmp_path: Path) -> tuple[AnalysisHost, str]:
    (tmp_path / "base.lua").write_text(BASE)
    (tmp_path / "square.lua").write_text(SQUARE)
    host = AnalysisHost(lua_files, lambda: [tmp_path])
    list(host.index.build([tmp_path], host.language_of))
    uri = (tmp_path / "square.lua").as_uri()
    host.documents[uri] = open_document(uri, 1, SQUARE, LUA, host.imports, host.caches)
    return host, uri


def labels(host: AnalysisHost, uri: str, offset: int) -> list[str]:
    return [c.label for c in complete(host.documents[uri].analysis(), offset)[0]]


def test_a_global_class_of_another_file_offers_its_methods(square):
    host, uri = square
    at = SQUARE.index("Base:\n") + len("Base:")
    assert labels(host, uri, at) == ["extend", "is_a"]


def test_a_class_made_from_another_files_global_has_its_methods_after_self(square):
    host, uri = square
    at = SQUARE.index("self:\n") + len("self:")
    found = labels(host, uri, at)
    assert found[:2] == ["area", "describe"]
    assert {"extend", "is_a"} <= set(found)


def test_without_the_other_file_nothing_is_made_up(tmp_path: Path):
    (tmp_path / "square.lua").write_text(SQUARE)
    host = AnalysisHost(lua_files, lambda: [tmp_path])
    list(host.index.build([tmp_path], host.language_of))
    uri = (tmp_path / "square.lua").as_uri()
    host.documents[uri] = open_document(uri, 1, SQUARE, LUA, host.imports, host.caches)
    assert "extend" not in labels(host, uri, SQUARE.index("Base:\n") + len("Base:"))
    assert "extend" not in labels(host, uri, SQUARE.index("self:\n") + len("self:"))
