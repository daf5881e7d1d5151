"""The examples and their expected runs (golden files, checked by hand once).

A golden file holds the exit code, stdout and stderr of one run, with the stdin of the
example's `.stdin` file next to it (empty when there is none), the modules it imports
found as `craftls run` finds them (next to it, else installed for examples/);
`python -m tests.codegen.goldens` rewrites them (then read the diff before committing)."""

from __future__ import annotations

import io
from pathlib import Path

from craftls.codegen.runner import interpret
from craftls.workspace.imports import module_finder
from craftls.workspace.manifest import definition_for_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
# the seconds since midnight the programs' clock reads in the goldens (noon; conftest.py)
CLOCK = "43200"


def example_files() -> list[Path]:
    from craftls.language.catalog import all_bundled
    found: list[Path] = []
    for definition in all_bundled():
        for ext in definition.extensions:
            found.extend(sorted((EXAMPLES / definition.id).glob(f"*{ext}")))
    return found


# the modules an example imports, read from the repository whatever the current folder
FIND = module_finder(root=ROOT)


def run_example(path: Path, target: str = "interp") -> str:
    """The example's run as its golden file records it, in the interpreter or
    (``target`` "wasm") compiled to WebAssembly."""
    definition = definition_for_file(path)
    assert definition is not None
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, path.read_text(encoding="utf-8"), relative(path), out, err,
                     io.StringIO(example_stdin(path)), max_steps=10_000_000, target=target,
                     find=FIND)
    return recorded(code, out.getvalue(), err.getvalue())


def recorded(code: int, stdout: str, stderr: str) -> str:
    return f"exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def golden_path(path: Path) -> Path:
    return GOLDEN / f"{path.parent.name}-{path.name}.txt"


def example_stdin(path: Path) -> str:
    """What the example reads (an interactive one's answers), or nothing."""
    given = GOLDEN / f"{path.parent.name}-{path.name}.stdin"
    return given.read_text(encoding="utf-8") if given.is_file() else ""


def runnable_examples() -> list[Path]:
    """The examples that build: those the back ends are compared with the interpreter on."""
    found = []
    for path in example_files():
        golden = golden_path(path).read_text(encoding="utf-8")
        if "error:" not in golden.split("--- stderr")[1] or "runtime error" in golden:
            found.append(path)
    return found


if __name__ == "__main__":  # pragma: no cover - maintenance
    import os
    os.environ["CRAFTLS_CLOCK"] = CLOCK
    GOLDEN.mkdir(exist_ok=True)
    for example in example_files():
        golden_path(example).write_text(run_example(example), encoding="utf-8")
