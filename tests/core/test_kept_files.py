"""The bounded memory and folder that the compiled-code caches share
(``syntax/kept_files.py``)."""

from __future__ import annotations

import os
from pathlib import Path

from craftls.syntax.kept_files import KeptFiles, prune, write_file


def test_memory_keeps_the_most_recently_used_within_its_bound() -> None:
    kept: KeptFiles[int] = KeptFiles(2)
    kept.remember("a", 1)
    kept.remember("b", 2)
    assert kept.recall("a") == 1  # a is now the most recently used
    kept.remember("c", 3)
    assert kept.recall("b") is None
    assert (kept.recall("a"), kept.recall("c")) == (1, 3)
    kept.forget("a")
    assert kept.recall("a") is None
    kept.clear_memory()
    assert kept.recall("c") is None


def test_write_file_replaces_whole_and_prune_removes_the_least_recently_used(
        tmp_path: Path) -> None:
    folder = tmp_path / "made"
    for i in range(5):
        target = folder / f"x-{i}.o"
        write_file(target, b"%d" % i)
        os.utime(target, ns=(i * 10**9, i * 10**9))
    write_file(folder / "x-0.o", b"new")  # the newest now
    (folder / "other.txt").write_bytes(b"not ours")
    prune(folder, "x-", ".o", 2)
    assert sorted(p.name for p in folder.iterdir()) == ["other.txt", "x-0.o", "x-4.o"]
    assert (folder / "x-0.o").read_bytes() == b"new"
    assert not list(folder.glob("*.tmp"))
