"""The examples and their expected runs (golden files, checked by hand once).

A golden file holds the exit code, stdout and stderr of one run with empty stdin;
`python -m tests.codegen.goldens` rewrites them (then read the diff before committing)."""

from __future__ import annotations

import io
from pathlib import Path

from craftls.codegen.runner import interpret
from craftls.workspace.manifest import definition_for_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def example_files() -> list[Path]:
    from craftls.language.catalog import all_bundled
    found: list[Path] = []
    for definition in all_bundled():
        for ext in definition.extensions:
            found.extend(sorted((EXAMPLES / definition.id).glob(f"*{ext}")))
    return found


def run_example(path: Path, stdin: str = "") -> str:
    definition = definition_for_file(path)
    assert definition is not None
    out, err = io.StringIO(), io.StringIO()
    rel = path.relative_to(ROOT).as_posix()
    code = interpret(definition, path.read_text(encoding="utf-8"), rel, out, err,
                     io.StringIO(stdin), max_steps=10_000_000)
    return f"exit: {code}\n--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}"


def golden_path(path: Path) -> Path:
    return GOLDEN / f"{path.parent.name}-{path.name}.txt"


def runnable_examples() -> list[Path]:
    """The examples that build: those the back ends are compared with the interpreter on."""
    found = []
    for path in example_files():
        golden = golden_path(path).read_text(encoding="utf-8")
        if "error:" not in golden.split("--- stderr")[1] or "runtime error" in golden:
            found.append(path)
    return found


if __name__ == "__main__":  # pragma: no cover - maintenance
    GOLDEN.mkdir(exist_ok=True)
    for example in example_files():
        golden_path(example).write_text(run_example(example), encoding="utf-8")
