"""The VS Code extension (editors/vscode): generated language files up to date, its own
test suite (`npm test`: unit tests with a mocked vscode module, the TextMate grammars run
with vscode-textmate + vscode-oniguruma over every sample, an end-to-end LSP session with
`craftls serve`), and the .vsix package."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from craftls.cli.editor_cmd import textmate_grammar, write_vscode
from craftls.language.catalog import all_bundled
from craftls.syntax.lexer import lex

from .conftest import ROOT, sandbox_env

EXTENSION = ROOT / "editors" / "vscode"
GENERATED = ("syntaxes", "language-configuration")


def npm() -> str:
    found = shutil.which("npm")
    if found is None:
        pytest.fail("npm is not installed (Node 20 + npm are needed for the VS Code tests)")
    if not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        pytest.fail("editors/vscode/node_modules is missing: run .ci/install-editors.sh "
                    "(npm ci in editors/vscode)")
    return found


def test_generated_files_are_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "ext"
    out.mkdir()
    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    (out / "package.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    write_vscode(all_bundled(), out)
    for folder in GENERATED:
        want = sorted(p.name for p in (out / folder).iterdir())
        have = sorted(p.name for p in (EXTENSION / folder).iterdir())
        assert have == want, folder
        for name in want:
            assert (EXTENSION / folder / name).read_text(encoding="utf-8") == \
                (out / folder / name).read_text(encoding="utf-8"), \
                f"{folder}/{name} is stale: run craftls editor vscode ... --out editors/vscode"
    regenerated = json.loads((out / "package.json").read_text(encoding="utf-8"))
    assert regenerated["contributes"] == package["contributes"], "package.json contributes stale"
    assert (EXTENSION / "package.json").read_text(encoding="utf-8") == \
        (out / "package.json").read_text(encoding="utf-8")


def test_generate_needs_out_and_writes_fragment_without_package_json(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "craftls", "editor", "vscode", "pascal"]
    missing = subprocess.run(cli, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "--out" in missing.stderr
    done = subprocess.run([*cli, "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    fragment = json.loads((tmp_path / "contributes.json").read_text(encoding="utf-8"))
    assert fragment["languages"][0]["id"] == "pascal"
    assert fragment["grammars"][0]["scopeName"] == "source.craftls.pascal"
    bad = subprocess.run([sys.executable, "-m", "craftls", "editor", "vscode", "nosuchlang",
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "cannot load definition" in bad.stderr


def test_npm_test(tmp_path: Path) -> None:
    env = sandbox_env(tmp_path)
    env["CRAFTLS_PYTHON"] = sys.executable
    env.pop("NODE_OPTIONS", None)
    # bounded, but above the end-to-end test's own start-up bound (120 s per server,
    # e2e.test.js), so a slow start-up fails there with the server's stderr, not here
    proc = subprocess.run([npm(), "test"], cwd=EXTENSION, env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    assert "ℹ fail 0" in output and "ℹ skipped 0" in output, output[-3000:]
    passed = [line for line in output.splitlines() if line.startswith("ℹ pass ")]
    assert passed and int(passed[0].split()[-1]) >= 20, output[-3000:]


def test_vsix_packages(tmp_path: Path) -> None:
    env = os.environ.copy()
    proc = subprocess.run([npm(), "run", "package"], cwd=EXTENSION, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    with zipfile.ZipFile(EXTENSION / "craftls.vsix") as vsix:
        names = set(vsix.namelist())
    assert "extension/dist/extension.js" in names
    assert "extension/package.json" in names
    for definition in all_bundled():
        assert f"extension/syntaxes/{definition.id}.tmLanguage.json" in names
        assert f"extension/language-configuration/{definition.id}.json" in names
    assert not any(n.startswith("extension/src/") or "node_modules" in n for n in names)


def _words_rule_at(grammar: dict[str, Any], line: str, col: int) -> tuple[str | None, str]:
    """The scope and text of the first `words` rule matching at ``col`` (TextMate tries a
    repository's patterns in order at the same position)."""
    for rule in grammar["repository"]["words"]["patterns"]:
        found = re.compile(rule["match"]).match(line, col)
        if found is not None:
            return rule.get("name"), found.group()
    return None, ""


def test_a_keyword_joined_to_a_name_is_a_name_as_the_server_lexes_it() -> None:
    """`lexical.keyword_name_joiner`: QB64's `String.concat$` is one name token for the
    server, so the TextMate grammar gives `String` no keyword scope there; a keyword with
    a blank before the period (`PRINT .x` in a WITH block) stays the keyword."""
    definition = next(d for d in all_bundled() if d.id == "qbasic")
    grammar = textmate_grammar(definition)
    tokens, _ = lex(definition, "x$ = String.concat$(a$, b$)\nPRINT .x\n")
    assert ("ident", "String.concat$") in tokens
    assert _words_rule_at(grammar, "x$ = String.concat$(a$, b$)", 5) == (None, "String.concat$")
    assert _words_rule_at(grammar, "string.trim$ s$", 0) == (None, "string.trim$")
    scope, text = _words_rule_at(grammar, "PRINT .x", 0)
    assert text == "PRINT" and scope is not None and scope.startswith("keyword.")
    generated = json.loads((EXTENSION / "syntaxes" / "qbasic.tmLanguage.json")
                           .read_text(encoding="utf-8"))
    assert generated["repository"]["words"] == grammar["repository"]["words"]


def test_a_symbol_holding_letters_is_coloured_in_any_case() -> None:
    """Fortran's `.AND.` in a language that ignores case: the server lexes `.and.` as the
    operator, and the TextMate grammar scopes it so (its pattern matched `.AND.` only)."""
    from craftls.language.loader import load_definition
    definition = load_definition(ROOT / "tests" / "fixtures" / "grammar" / "fortran.yaml")
    rule = textmate_grammar(definition)["repository"]["symbols"]
    pattern = re.compile(rule["match"])
    for spelling in (".and.", ".AND.", ".Eq."):
        found = pattern.match(spelling)
        assert found is not None and found.group(0) == spelling
        index = found.lastindex
        assert index is not None and rule["captures"][str(index)]["name"].startswith(
            "keyword.operator")
