"""Programs of our own for every ParserCraft config: the right ones use the config's
keywords and check clean (no error, no warning) and format idempotently; the wrong
ones give exactly the expected diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.loader import load_definition
from craftls.syntax.parse import parse
from craftls.workspace.line_index import LineIndex

CONFIGS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "parsercraft-configs"
PROGRAMS = Path(__file__).resolve().parents[1] / "fixtures" / "parsercraft" / "programs"
ALL = sorted([*CONFIGS.glob("*.yaml"), *CONFIGS.glob("*.json")])
WRONG = sorted(PROGRAMS.glob("*.wrong"))


def diagnostics(config: Path, program: Path) -> list[str]:
    text = program.read_text(encoding="utf-8")
    analysis = analyze_with_types(parse(load_definition(config), text), program)
    index = LineIndex(text)
    found = []
    for d in analysis.diagnostics:
        line, column = index.position(d.start)
        found.append(f"{line + 1}:{column + 1}: {d.severity}: {d.message} [{d.code}]")
    return found


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_every_config_has_a_program_that_checks_clean(config: Path) -> None:
    program = PROGRAMS / f"{config.name}.ok"
    assert program.exists(), f"no program for {config.name}"
    found = [d for d in diagnostics(config, program) if ": hint: " not in d]
    assert found == []


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_every_program_formats_idempotently(config: Path) -> None:
    program = PROGRAMS / f"{config.name}.ok"
    definition = load_definition(config)
    once = format_text(parse(definition, program.read_text(encoding="utf-8")))
    assert format_text(parse(definition, once)) == once
    assert [d for d in diagnostics_of_text(config, once) if ": hint: " not in d] == []


def diagnostics_of_text(config: Path, text: str) -> list[str]:
    analysis = analyze_with_types(parse(load_definition(config), text), None)
    return [f"{d.severity}: {d.message}" for d in analysis.diagnostics]


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_every_config_has_a_wrong_program_with_errors(config: Path) -> None:
    program = PROGRAMS / f"{config.name}.wrong"
    assert program.exists(), f"no wrong program for {config.name}"
    assert any(": error: " in d for d in diagnostics(config, program))


@pytest.mark.parametrize("program", WRONG, ids=lambda p: p.name)
def test_wrong_programs_give_exactly_the_expected_diagnostics(program: Path) -> None:
    config = CONFIGS / program.name.removesuffix(".wrong")
    expected = Path(f"{program}.expected").read_text(encoding="utf-8").splitlines()
    assert diagnostics(config, program) == expected


@pytest.mark.parametrize("config", ALL, ids=lambda p: p.name)
def test_an_edit_reparses_to_the_tree_of_a_full_parse(config: Path) -> None:
    """Line numbers, separators, continuations, try/except and END keep the
    incremental reparse equal to a whole parse."""
    from craftls.syntax.incremental import TextEdit, apply_edit
    definition = load_definition(config)
    text = (PROGRAMS / f"{config.name}.ok").read_text(encoding="utf-8")
    for at in range(0, len(text), max(1, len(text) // 25)):
        for insert in ("x", "1 ", "\n"):
            edited, _ = apply_edit(parse(definition, text), TextEdit(at, at, insert))
            assert edited.green == parse(definition, edited.text).green, (at, insert)
