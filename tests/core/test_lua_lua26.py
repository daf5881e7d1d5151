"""Round lua26 of the bundled ``lua``: OpenResty's API tables as a host behind marks
(``structure.host_globals``), known in a module that writes ``ngx`` and nowhere else."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

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
