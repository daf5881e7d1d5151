"""The WebAssembly back end agrees with the interpreter, byte for byte: on every example
the C back end is compared on, on random programs in the Pascal-style language and
TeachLang, on runtime errors (at the source position, with the traceback) and limits.
wasmtime is a dependency of craftls: these tests never skip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition
from craftls.workspace.manifest import definition_for_file

from .goldens import ROOT, runnable_examples
from .programs import Pascal, Teach, programs

Run = tuple[int, str, str]


def both(definition: LanguageDefinition, text: str, path: str, stdin: str = "",
         max_steps: int | None = None) -> tuple[Run, Run]:
    runs = []
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(definition, text, path, out, err, io.StringIO(stdin), max_steps,
                         target=target)
        runs.append((code, out.getvalue(), err.getvalue()))
    return runs[0], runs[1]


@pytest.mark.parametrize("path", runnable_examples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_compiled_to_wasm_prints_what_the_interpreter_prints(path: Path) -> None:
    definition = definition_for_file(path)
    assert definition is not None
    rel = path.relative_to(ROOT).as_posix()
    interpreted, wasm = both(definition, path.read_text(encoding="utf-8"), rel)
    assert wasm == interpreted


@pytest.mark.parametrize("renderer", [Pascal(), Teach()], ids=["pascal", "teachlang"])
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(program=programs())
def test_random_programs_agree(renderer: Pascal, program: dict) -> None:
    language = "pascal" if renderer.ext == ".pas" else "teachlang"
    text = renderer.render(program)
    interpreted, wasm = both(bundled(language), text, "random" + renderer.ext)
    assert interpreted[0] == 0, (text, interpreted)
    assert wasm == interpreted, text
