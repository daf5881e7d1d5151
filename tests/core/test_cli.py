from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from craftls.cli import analysis_cmd
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse
from craftls.workspace.imports import ModuleResolver

ROOT = Path(__file__).resolve().parents[2]


def craftls(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "craftls", *args], capture_output=True,
                          text=True, cwd=cwd, env=env or os.environ.copy(), timeout=120)


def test_check_reports_diagnostics_with_positions_and_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pas"
    bad.write_text("PROGRAM B;\nBEGIN\n  WriteLn(Nope);\n  x := ;\nEND.\n")
    result = craftls("check", str(tmp_path))
    assert result.returncode == 1
    assert f"{bad}:3:11: warning: undefined name 'Nope' [undefined-name]" in result.stdout
    assert "[syntax]" in result.stdout
    good = tmp_path / "good"
    good.mkdir()
    (good / "ok.pas").write_text("PROGRAM G;\nBEGIN\n  WriteLn(1)\nEND.\n")
    assert craftls("check", str(good)).returncode == 0
    usage = craftls("check", str(tmp_path / "missing"))
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_check_uses_craft_toml_language_bindings(tmp_path: Path) -> None:
    (tmp_path / "craft.toml").write_text('[[languages]]\ndefinition = "basic"\nfiles = ["*.txt"]\n')
    (tmp_path / "prog.txt").write_text('PRINT "hi"\n')
    result = craftls("check", str(tmp_path / "prog.txt"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: X\nkeywords:\n  if: A\nstructure:\n  block_style: curly\n")
    result = craftls("check", str(tmp_path / "prog.txt"), "--language", str(broken))
    assert result.returncode == 2
    assert "not a valid block_style" in result.stderr and "Traceback" not in result.stderr


def test_check_takes_globals_from_craft_toml_and_the_flag(tmp_path: Path) -> None:
    (tmp_path / "main.lua").write_text("pico.load = nil\nprint(hud, shared, other)\n")
    (tmp_path / "game.pas").write_text("PROGRAM G;\nBEGIN\n  WriteLn(Shared)\nEND.\n")
    (tmp_path / "craft.toml").write_text(
        '[settings.globals]\nlua = ["pico", "shared"]\nlu = ["x"]\npascal = [3]\n')
    result = craftls("check", str(tmp_path), "--global", "hud")
    undefined = [line.split("'")[1] for line in result.stdout.splitlines()
                 if "[undefined-name]" in line]
    # craft.toml's names are the Lua files' only; --global's every file's
    assert undefined == ["Shared", "other"]
    assert "no language 'lu'" in result.stderr and "['x']" in result.stderr
    assert "'pascal': 3 is not a name" in result.stderr
    assert result.stderr.count("no language 'lu'") == 1  # one craft.toml, read once


def test_format_check_diff_and_write(tmp_path: Path) -> None:
    path = tmp_path / "f.pas"
    path.write_text("PROGRAM F;\nBEGIN\nWriteLn(1)\nEND.\n")
    assert craftls("format", "--check", str(path)).returncode == 1
    diff = craftls("format", "--diff", str(path))
    assert diff.returncode == 1 and "+  WriteLn(1)" in diff.stdout
    assert craftls("format", str(path)).returncode == 0
    assert path.read_text() == "PROGRAM F;\nBEGIN\n  WriteLn(1)\nEND.\n"
    assert craftls("format", "--check", str(path)).returncode == 0
    path.write_text("PROGRAM F;\nBEGIN x := END.\n")
    declined = craftls("format", str(path))
    assert declined.returncode == 2 and "syntax errors" in declined.stderr


def test_parse_prints_the_tree() -> None:
    result = craftls("parse", str(ROOT / "examples" / "pascal" / "primes.pas"))
    assert result.returncode == 0
    # the keyword level's FUNCTION_DECL or the template's rule function_decl: whichever
    # engine the bundled file chooses
    assert "function_decl@" in result.stdout.lower() and "SOURCE_FILE" in result.stdout


def test_doctor_finds_a_corrupt_cached_archive(tmp_path: Path) -> None:
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(tmp_path / "cache"),
           "CRAFTLS_LOG_DIR": str(tmp_path / "log"), "CRAFTLS_CONFIG_DIR": str(tmp_path / "cfg")}
    assert craftls("install", "--offline", "--workspace", str(ROOT / "examples"),
                   env=env).returncode == 0
    healthy = craftls("doctor", env=env)
    assert healthy.returncode == 0, healthy.stdout
    archive = next((tmp_path / "cache" / "archives").rglob("*.tar.gz"))
    archive.write_bytes(b"corrupted")
    broken = craftls("doctor", env=env)
    assert broken.returncode == 1
    assert "cache integrity" in broken.stdout and "corrupt" in broken.stdout


def test_check_leaves_a_file_s_objects_to_the_oldest_generation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The collector is paused during a file's check but counts its allocations: the
    check hands what it made to the oldest generation, so no young collection walks
    all of it right after the pause (``analysis_cmd.promote_survivors``)."""
    lines = ["PROGRAM Many;", "VAR Total : INTEGER;"]
    for n in range(150):
        lines += [f"FUNCTION F{n}(A : INTEGER) : INTEGER;", "BEGIN", f"  F{n} := A + {n}",
                  "END;"]
    lines += ["BEGIN", "  Total := F0(1);", "  WriteLn(Total)", "END."]
    path = tmp_path / "many.pas"
    path.write_text("\n".join(lines) + "\n")
    assert gc.get_freeze_count() == 0
    analysis_cmd._check_file(path, bundled("pascal"), ModuleResolver())
    try:
        assert "many.pas" not in capsys.readouterr().out  # a clean file: nothing printed
        root = analysis_cmd._LAST[-1].parsed.green
        assert gc.get_count()[0] < gc.get_threshold()[0]  # no young collection due
        assert not any(o is root for g in (0, 1) for o in gc.get_objects(generation=g))
        assert any(o is root for o in gc.get_objects(generation=2))
        assert gc.get_freeze_count() == 0  # nothing is left out of later collections
    finally:
        analysis_cmd._LAST.clear()


def test_check_of_a_folder_parses_each_file_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """``check`` over several files of a language that shares its globals parses each
    file in a first pass (its globals) and keeps the parse for the check itself (before,
    each file was parsed twice), up to ``KEPT_PARSES`` characters of text: past it, a
    file is parsed again, with the same diagnostics."""
    (tmp_path / "a.lua").write_text("Shared = 1\nprint(missing)\n")
    (tmp_path / "b.lua").write_text("print(Shared, other)\n")
    parsed: list[int] = []
    real = parse

    def counted(definition: object, text: str) -> object:
        parsed.append(len(text))
        return real(definition, text)  # type: ignore[arg-type]
    monkeypatch.setattr(analysis_cmd, "parse", counted)
    args = argparse.Namespace(paths=[str(tmp_path)], language=None, globals=[], mode=None,
                              defines=[])
    try:
        assert analysis_cmd.run_check(args) == 0
        once = capsys.readouterr().out
        assert len(parsed) == 2
        monkeypatch.setattr(analysis_cmd, "KEPT_PARSES", len("Shared = 1\nprint(missing)\n"))
        parsed.clear()
        assert analysis_cmd.run_check(args) == 0
        assert len(parsed) == 3  # b.lua did not fit: parsed again
        assert capsys.readouterr().out == once
    finally:
        analysis_cmd._LAST.clear()
    assert [line.split("'")[1] for line in once.splitlines()] == ["missing", "other"]
