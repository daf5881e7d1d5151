"""Every bundled example runs as its golden file says (checked by hand once), in the
interpreter, compiled to C and compiled to WebAssembly: the three agree byte for byte.

The keyword-level examples (those of a language without a grammar) all run, each
named below: an example that stops running, or one that disappears, fails here rather
than dropping out of the comparison."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from craftls.codegen.c_emit import generate_c
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.loader import load_definition_text
from craftls.workspace.manifest import definition_for_file

from .goldens import (
    FIND,
    example_files,
    example_stdin,
    golden_path,
    recorded,
    relative,
    run_example,
    runnable_examples,
)

EXAMPLES = example_files()
RUNNABLE = runnable_examples()
# every example of a keyword-level bundled language: each runs to its end (exit 0)
KEYWORD_LEVEL = {
    "basic/invoice.bas", "basic/menu.bas", "basic/primes.bas",
    "curly/report.cur", "curly/stats.cur", "curly/strings.cur",
    "espanol/estadisticas.esp", "espanol/inventario.esp", "espanol/textos.esp",
    "pascal/bank.pas", "pascal/matrix.pas", "pascal/primes.pas",
    "teachlang/grades.teach", "teachlang/guessing.teach", "teachlang/words.teach",
}


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_every_example_has_a_golden_file() -> None:
    assert len(EXAMPLES) >= 24
    missing = [p.name for p in EXAMPLES if not golden_path(p).is_file()]
    assert not missing


def test_every_keyword_level_example_runs_to_its_end() -> None:
    keyword_level = set()
    for path in EXAMPLES:
        definition = definition_for_file(path)
        assert definition is not None
        if definition.keyword_level:
            keyword_level.add(_id(path))
    assert keyword_level == KEYWORD_LEVEL
    for path in (p for p in EXAMPLES if _id(p) in KEYWORD_LEVEL):
        assert golden_path(path).read_text(encoding="utf-8").startswith("exit: 0\n"), path
        assert path in RUNNABLE


# one example of each keyword-level language
ONE_EACH = sorted({_id(p).split("/")[0]: p for p in reversed(EXAMPLES)
                   if _id(p) in KEYWORD_LEVEL}.values())


@pytest.mark.parametrize("path", ONE_EACH, ids=_id)
def test_a_keyword_level_example_runs_alike_through_either_engine(path: Path) -> None:
    """Which engine parses a keyword-level language (``structure.engine``) does not
    change what its programs do: served through its template, a program runs as the
    keyword level reads it."""
    definition = definition_for_file(path)
    assert definition is not None and definition.source_path is not None
    text = re.sub(r"(?m)^  engine: .*\n", "", Path(definition.source_path).read_text("utf-8"))
    for engine in ("keywords", "template"):
        served, problems = load_definition_text(
            text.replace("structure:\n", f"structure:\n  engine: {engine}\n", 1), definition.id)
        assert served is not None and problems == [], problems
        assert (served.grammar is not None) == (engine == "template")
        out, err = io.StringIO(), io.StringIO()
        code = interpret(served, path.read_text(encoding="utf-8"), relative(path), out, err,
                         io.StringIO(example_stdin(path)), max_steps=10_000_000, find=FIND)
        assert recorded(code, out.getvalue(), err.getvalue()) == \
            golden_path(path).read_text(encoding="utf-8"), engine


def test_every_example_builds_for_every_target() -> None:
    """No example is left out of the comparisons below (lua/queue.lua was the last)."""
    assert [_id(p) for p in EXAMPLES if p not in RUNNABLE] == []


@pytest.mark.parametrize("path", EXAMPLES, ids=_id)
def test_example_runs_as_recorded(path: Path) -> None:
    assert run_example(path) == golden_path(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", RUNNABLE, ids=_id)
def test_example_compiled_to_c_runs_as_recorded(path: Path) -> None:
    definition = definition_for_file(path)
    assert definition is not None
    program = build_program(definition, path.read_text(encoding="utf-8"), relative(path),
                            FIND)
    native = run_c(generate_c(program).text, example_stdin(path), timeout=60)
    assert recorded(native.returncode, native.stdout, native.stderr) == \
        golden_path(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", RUNNABLE, ids=_id)
def test_example_compiled_to_wasm_runs_as_recorded(path: Path) -> None:
    assert run_example(path, target="wasm") == golden_path(path).read_text(encoding="utf-8")
