"""Emacs (Debian's emacs-nox 28 + elpa-eglot 1.9) with editors/emacs: the generated major
modes and craftls.el. A batch Emacs opens a Pascal sample with a deliberate error in a git
project and checks font-lock, diagnostics (flymake), completion at point, formatting,
rename (also after non-ASCII text) and the health shown in the mode line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from craftls.cli.editor_cmd import claimed_extensions, emacs_mode
from craftls.language.catalog import all_bundled

from .conftest import (
    ESPANOL_RENAMED,
    ROOT,
    make_own_language_project,
    make_project,
    sandbox_env,
)

EMACS_DIR = ROOT / "editors" / "emacs"
ELPA = Path("/usr/share/emacs/site-lisp/elpa")


def emacs_binary() -> str:
    emacs = shutil.which("emacs")
    if emacs is None or not any(ELPA.glob("eglot-*")):
        pytest.fail("emacs-nox and elpa-eglot are not installed: run .ci/install-editors.sh")
    return emacs


def test_generated_modes_are_up_to_date() -> None:
    claimed = claimed_extensions(all_bundled())
    for definition in all_bundled():
        path = EMACS_DIR / f"craftls-{definition.id}.el"
        assert path.read_text(encoding="utf-8") == emacs_mode(definition, claimed[definition.id]), \
            path
        assert f"(require 'craftls-{definition.id})" in \
            (EMACS_DIR / "craftls-languages.el").read_text(encoding="utf-8")


def test_emacs_byte_compiles_cleanly(tmp_path: Path) -> None:
    emacs = emacs_binary()
    for f in EMACS_DIR.glob("*.el"):
        shutil.copy(f, tmp_path / f.name)
    setup = ("(progn (dolist (d (file-expand-wildcards \"/usr/share/emacs/site-lisp/elpa/*\"))"
             " (add-to-list 'load-path d)) (add-to-list 'load-path \".\")"
             " (setq byte-compile-error-on-warn t))")
    files = ["craftls.el", *sorted(p.name for p in tmp_path.glob("craftls-*.el"))]
    proc = subprocess.run([emacs, "-Q", "--batch", "--eval", setup, "-f", "batch-byte-compile",
                           *files], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_emacs_eglot_end_to_end(tmp_path: Path) -> None:
    emacs = emacs_binary()
    work = make_project(tmp_path)
    result_file = tmp_path / "result.json"
    env = sandbox_env(tmp_path)
    env.update({"CRAFTLS_REPO": str(ROOT), "CRAFTLS_PYTHON": sys.executable,
                "CRAFTLS_WORK": str(work), "CRAFTLS_RESULT": str(result_file),
                "HOME": str(tmp_path / "home")})
    proc = subprocess.run([emacs, "-Q", "--batch", "-l",
                           str(Path(__file__).parent / "emacs_check.el")],
                          cwd=work, env=env, capture_output=True, text=True, timeout=90,
                          stdin=subprocess.DEVNULL)
    log_path = work / "server.log"
    log = log_path.read_text(encoding="utf-8") if log_path.exists() else ""
    assert result_file.exists(), f"emacs wrote no result\n{proc.stdout}\n{proc.stderr}\n{log}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    steps = result["steps"]
    assert result["errors"] == [], (result, proc.stderr[-3000:], log[-3000:])

    assert steps["mode"] == "craftls-pascal-mode"
    assert steps["contact"][1:4] == ["-m", "craftls", "serve"]

    assert steps["face_keyword"] == "font-lock-keyword-face"
    assert "comment" in steps["face_comment_brace"]
    assert "comment" in steps["face_comment_paren"]
    assert steps["face_string"] == "font-lock-string-face"
    assert steps["face_builtin"] == "font-lock-builtin-face"
    assert "comment" in steps["basic_rem"]
    assert steps["basic_if_lower"] == "font-lock-keyword-face"  # case-insensitive
    assert steps["basic_string"] == "font-lock-string-face"
    assert "comment" in steps["basic_quote_comment"]
    assert "comment" not in steps["basic_remx"]

    assert "Missing" in steps["diagnostic_text"]
    assert steps["diagnostic_at"] == "Missing"

    # the first value is pushed by the server (the check turns polling off until then)
    assert steps["pushed_mode_line"] == " craftls:healthy", steps
    print("mode line value pushed", steps["pushed_ms"], "ms after opening the file")
    assert steps["mode_line"] == " craftls:healthy"
    assert steps["mode_line_in_misc_info"] is True
    assert steps["mode_line_after_notification"] == " craftls:degraded"

    for label in ("WriteLn", "Count", "IsPrime", "Flags"):
        assert label in steps["completion"], steps["completion"][:40]

    assert steps["formatted_fixed"] is True
    assert steps["formatted_broken"] is None

    assert steps["left"] == 0 and steps["renamed"] >= 5, steps

    assert steps["wat_has_main"] is True and steps["wat_read_only"] is True
    assert steps["wat_maps_back"][0] == steps["wat_maps_back"][1]
    assert steps["c_has_main"] is True and steps["c_mode"] == "c-mode"
    assert steps["run_command"][-2:] == ["run", "x.pas"]
    output = steps["run_output"]
    assert "--target wasm" in output, output
    assert "primes.pas:" in output and "runtime error: undefined name 'Missing'" in output
    assert steps["run_exit"] == 1

    assert steps["esp_mode"] == "craftls-espanol-mode"
    assert steps["same_server"] is True
    assert steps["esp_text"] == ESPANOL_RENAMED


def test_a_keyword_joined_to_a_name_is_no_keyword_in_font_lock(tmp_path: Path) -> None:
    """QB64's `String.concat$` is one name for the server (`lexical.keyword_name_joiner`):
    the generated mode leaves `String` there in the default face, and `PRINT .x` keeps
    its keyword face."""
    emacs = emacs_binary()
    script = tmp_path / "faces.el"
    script.write_text(f"""
(dolist (d (file-expand-wildcards "{ELPA}/*")) (add-to-list 'load-path d))
(add-to-list 'load-path "{EMACS_DIR}")
(require 'craftls-qbasic)
(with-temp-buffer
  (insert "x$ = String.concat$(a$, b$)\\nPRINT .x\\nstring.trim$ s$\\n")
  (craftls-qbasic-mode)
  (font-lock-ensure)
  (princ (format "%S %S %S %S" (get-text-property 6 'face) (get-text-property 13 'face)
                 (get-text-property 30 'face) (get-text-property 38 'face))))
""", encoding="utf-8")
    proc = subprocess.run([emacs, "-Q", "--batch", "-l", str(script)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["default", "default", "font-lock-keyword-face", "default"]


def test_a_users_own_grammar_language(tmp_path: Path) -> None:
    """docs/editors.md's steps for a language of one's own in Emacs: the project binds
    its YAML in craft.toml and `craftls editor emacs` generates its mode; a Modula-2
    program (tests/fixtures/grammar/modula2) then gets its mode, eglot, diagnostics,
    hover and member completion."""
    emacs = emacs_binary()
    work, _ = make_own_language_project(tmp_path)
    modes = tmp_path / "modes"
    generated = subprocess.run(
        [sys.executable, "-m", "craftls", "editor", "emacs",
         str(work / "langs" / "modula2.yaml"), "--out", str(modes)],
        capture_output=True, text=True, timeout=120, env=sandbox_env(tmp_path))
    assert generated.returncode == 0, generated.stderr
    result_file = tmp_path / "result.json"
    env = sandbox_env(tmp_path)
    env.update({"CRAFTLS_REPO": str(ROOT), "CRAFTLS_PYTHON": sys.executable,
                "CRAFTLS_WORK": str(work), "CRAFTLS_RESULT": str(result_file),
                "CRAFTLS_MODES": str(modes), "HOME": str(tmp_path / "home")})
    proc = subprocess.run([emacs, "-Q", "--batch", "-l",
                           str(Path(__file__).parent / "emacs_new_language.el")],
                          cwd=work, env=env, capture_output=True, text=True, timeout=90,
                          stdin=subprocess.DEVNULL)
    assert result_file.exists(), f"emacs wrote no result\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    steps = result["steps"]
    assert result["errors"] == [], (result, proc.stderr[-3000:])
    assert steps["mode"] == "craftls-modula2-mode"
    # flymake's text names the source and the code
    assert steps["diagnostics"] == ["craftls [undefined-name]: undefined name 'Missing'"]
    assert "InOut.WriteString(s: str)" in steps["hover"]
    assert steps["completion"][:2] == ["x", "y"]
