"""Every bundled example runs in the interpreter as its golden file says."""

from __future__ import annotations

from pathlib import Path

import pytest

from .goldens import example_files, golden_path, run_example

EXAMPLES = example_files()


def test_every_example_has_a_golden_file() -> None:
    assert len(EXAMPLES) >= 15
    missing = [p.name for p in EXAMPLES if not golden_path(p).is_file()]
    assert not missing


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_runs_as_recorded(path: Path) -> None:
    assert run_example(path) == golden_path(path).read_text(encoding="utf-8")
