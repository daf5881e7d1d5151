"""Shared helpers of the editor tests: temp projects, bounded subprocesses."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

# A Pascal sample with a deliberate error (an undefined name) and a line to format.
PASCAL_ERROR = ("  Count := 0;", "  Count := Missing + 0;")
PASCAL_FORMAT = ("  D := 2;", "  D:=2;")

# Non-ASCII text before a name, to check position encodings.
ESPANOL_TEXT = """-- Ñandú: prueba de codificación
variable cañón = 1
variable ñu = "árbol" + "ó"; variable ü = cañón + 2
escribir(cañón)
"""
ESPANOL_RENAMED = ESPANOL_TEXT.replace("cañón", "campana")


def pascal_with_error() -> str:
    text = (EXAMPLES / "pascal" / "primes.pas").read_text(encoding="utf-8")
    for old, new in (PASCAL_ERROR, PASCAL_FORMAT):
        assert old in text
        text = text.replace(old, new, 1)
    return text


def make_project(tmp_path: Path) -> Path:
    """A git repository (project.el needs a VC root) with the test files."""
    work = tmp_path / "project"
    work.mkdir()
    (work / "primes.pas").write_text(pascal_with_error(), encoding="utf-8")
    (work / "texto.esp").write_text(ESPANOL_TEXT, encoding="utf-8")
    # the sample is the keyword-level `pascal`'s; by extension `.pas` is `turbopascal`'s,
    # so the project binds it (the editors choose the mode as a user does: see the checks)
    (work / "craft.toml").write_text('[[languages]]\ndefinition = "pascal"\nfiles = ["*.pas"]\n',
                                     encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(work)], check=True, timeout=30)
    return work


def sandbox_env(tmp_path: Path) -> dict[str, str]:
    env = os.environ.copy()
    for name in ("CACHE", "LOG", "CONFIG"):
        env[f"CRAFTLS_{name}_DIR"] = str(tmp_path / name.lower())
    return env


def make_own_language_project(tmp_path: Path) -> tuple[Path, str]:
    """A project with a language of its own, as docs/editors.md tells: the grammar-defined
    Modula-2 fixture's YAML in `langs/`, bound in craft.toml, and its program with one
    undefined name (`Missing`) next to the definition module it imports from. Returns the
    project and the fixture program's text."""
    fixtures = ROOT / "tests" / "fixtures" / "grammar"
    work = tmp_path / "project"
    (work / "langs").mkdir(parents=True)
    (work / "langs" / "modula2.yaml").write_text(
        (fixtures / "modula2.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (work / "craft.toml").write_text('[[languages]]\ndefinition = "langs/modula2.yaml"\n'
                                     'files = ["*.mod", "*.def"]\n', encoding="utf-8")
    program = (fixtures / "modula2" / "Tally.mod").read_text(encoding="utf-8")
    (work / "Tally.mod").write_text(program.replace("   WriteLn\n", "   WriteLn;\n   Missing\n"),
                                    encoding="utf-8")
    (work / "Stacks.def").write_text((fixtures / "modula2" / "Stacks.def").read_text(
        encoding="utf-8"), encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(work)], check=True, timeout=30)
    return work, program
