"""The compiled fast-path code kept between parses and runs (``syntax/code_cache.py``):
a grammar compiles once, a run with the cache folder set loads what an earlier run
compiled, and a file that is damaged, another grammar's or unwritable costs a compile,
never a wrong parse."""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from craftls.language.catalog import bundled
from craftls.syntax import code_cache, peg
from craftls.syntax.peg_fast import FastItem
from craftls.syntax.peg_tables import tables_for

from .test_peg_fast import assert_same

SOURCE = "def f(x):\n    return x + 1\n"


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts as a new process does: nothing in memory, no folder."""
    code_cache.clear_memory()
    monkeypatch.setattr(code_cache.KEPT, "folder", None)
    yield
    code_cache.clear_memory()


def run(code: CodeType) -> object:
    ns: dict[str, Any] = {}
    exec(code, ns)  # noqa: S102
    return ns["f"](41)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_source_is_compiled_once_per_process() -> None:
    first = code_cache.compiled(SOURCE, "<test>")
    assert code_cache.compiled(SOURCE, "<test>") is first
    assert run(first) == 42
    assert code_cache.compiled(SOURCE.replace("1", "2"), "<test>") is not first


def test_memory_keeps_a_bounded_number_of_grammars() -> None:
    sources = [SOURCE.replace("1", str(i)) for i in range(code_cache.MEMORY_ENTRIES + 3)]
    codes = [code_cache.compiled(s, "<test>") for s in sources]
    assert len(code_cache.KEPT.memory) == code_cache.MEMORY_ENTRIES
    assert code_cache.compiled(sources[-1], "<test>") is codes[-1]  # the newest stay
    assert code_cache.compiled(sources[0], "<test>") is not codes[0]  # the oldest went


def test_a_later_run_loads_the_code_an_earlier_run_compiled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code_cache.use_folder(tmp_path)
    code_cache.compiled(SOURCE, "<test>")
    [name] = files(tmp_path)
    code_cache.clear_memory()  # a new process
    calls: list[str] = []
    monkeypatch.setattr(code_cache, "compile", lambda *a: calls.append("compile"),
                        raising=False)
    loaded = code_cache.compiled(SOURCE, "<test>")
    assert calls == []  # from the file, not compiled
    assert run(loaded) == 42
    assert files(tmp_path) == [name]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "garbage"])
def test_a_damaged_file_is_compiled_again_and_rewritten(tmp_path: Path, damage: str
                                                          ) -> None:
    code_cache.use_folder(tmp_path)
    code_cache.compiled(SOURCE, "<test>")
    [path] = tmp_path.iterdir()
    data = path.read_bytes()
    path.write_bytes({"truncated": data[:len(data) // 2],
                      "flipped": data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:],
                      "empty": b"",
                      "garbage": b"\x00" * 64}[damage])
    code_cache.clear_memory()
    assert run(code_cache.compiled(SOURCE, "<test>")) == 42
    code_cache.clear_memory()
    assert code_cache._load(path, SOURCE) is not None  # rewritten whole


def test_a_file_of_another_source_under_the_same_name_is_not_used(tmp_path: Path) -> None:
    """A checksum collision, or a file from an older Python: the stored source or
    bytecode version differs, so the file is not this grammar's code."""
    code_cache.use_folder(tmp_path)
    code_cache.compiled(SOURCE, "<test>")
    [path] = tmp_path.iterdir()
    other = SOURCE.replace("1", "2")
    payload = marshal.dumps((MAGIC_NUMBER, other, compile(other, "<t>", "exec")))
    path.write_bytes(code_cache._checksum(payload).encode() + payload)
    code_cache.clear_memory()
    assert run(code_cache.compiled(SOURCE, "<test>")) == 42
    payload = marshal.dumps((b"old!", SOURCE, compile(other, "<t>", "exec")))
    path.write_bytes(code_cache._checksum(payload).encode() + payload)
    code_cache.clear_memory()
    assert run(code_cache.compiled(SOURCE, "<test>")) == 42


def test_the_folder_keeps_a_bounded_number_of_files(tmp_path: Path) -> None:
    code_cache.use_folder(tmp_path)
    (tmp_path / "notes.txt").write_text("not ours")
    count = code_cache.DISK_ENTRIES + 4
    for i in range(count):
        source = SOURCE.replace("1", str(i))
        code_cache.compiled(source, "<test>")
        name = f"grammar-{code_cache._checksum(source.encode())}{code_cache.SUFFIX}"
        os.utime(tmp_path / name, ns=(i * 10**9, i * 10**9))  # the order they were used
    kept = [n for n in files(tmp_path) if n.endswith(code_cache.SUFFIX)]
    assert len(kept) == code_cache.DISK_ENTRIES
    assert "notes.txt" in files(tmp_path)  # only its own files are removed
    first = f"grammar-{code_cache._checksum(SOURCE.replace('1', '0').encode())}"
    assert first + code_cache.SUFFIX not in kept  # the least recently used went


def test_an_unwritable_folder_only_costs_a_compile(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code_cache.use_folder(blocker / "grammars")  # cannot be made: a file is in the way
    assert run(code_cache.compiled(SOURCE, "<test>")) == 42
    code_cache.clear_memory()
    assert run(code_cache.compiled(SOURCE, "<test>")) == 42


def test_a_grammar_parses_the_same_with_code_from_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    definition = bundled("turbopascal")
    code_cache.use_folder(tmp_path)
    tables = tables_for(definition)
    FastItem(tables, peg.MAX_DEPTH, peg.STEP_FUEL)  # the first run compiles and stores
    assert len(files(tmp_path)) == 1
    code_cache.clear_memory()  # a new process
    real = compile
    calls: list[str] = []

    def counted(*args: object) -> object:
        calls.append("compile")
        return real(*args)  # type: ignore[call-overload]

    monkeypatch.setattr(code_cache, "compile", counted, raising=False)
    loaded = FastItem(tables, peg.MAX_DEPTH, peg.STEP_FUEL)
    assert calls == []  # loaded from the folder
    saved = list(tables.fast)
    tables.fast[:] = [loaded]  # the tables are shared: put back what they had
    try:
        text = ("program p;\nvar x: integer;\nbegin\n  x := 1 + 2 * (3 - x);\n"
                "  if x > 2 then writeln(x) else x := ;\nend.\n")
        assert_same(definition, text, monkeypatch)
    finally:
        tables.fast[:] = saved


def test_the_command_line_keeps_grammar_code_in_its_cache_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from craftls.cli import main
    from craftls.language import catalog

    monkeypatch.setenv("CRAFTLS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(catalog, "_CACHE_FOLDER", [])
    main._cache_definitions("check")
    assert code_cache.KEPT.folder == tmp_path / "grammars"
    assert run(code_cache.compiled(SOURCE, "<test>")) == 42
    assert files(tmp_path / "grammars") == \
        [f"grammar-{code_cache._checksum(SOURCE.encode())}{code_cache.SUFFIX}"]
