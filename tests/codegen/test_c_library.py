"""The C runtime compiled once as a library (codegen/c_library.py, c_objects.py,
native.py): the header declares what the library defines, a generated program links
with the kept object, and a damaged, foreign or refused object, other flags, a full
folder or one that cannot be written cost a compile, never a wrong binary."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from craftls.codegen import c_objects, native
from craftls.codegen.c_emit import generate_c
from craftls.codegen.c_library import PROGRAM_MARK, RUNTIME_SOURCE, library, program_part
from craftls.codegen.native import compile_c, find_compiler, run_c, runtime_key
from craftls.codegen.program import build_program
from craftls.language.catalog import bundled

# the cache's tests compile the runtime a dozen times: at -O0 that is 0.4 s of CPU each,
# at -O2 (CFLAGS, what users get) 1.6 s
FAST = ("-std=c99", "-O0", "-w")
PROGRAM = 'x = 6\nPRINT x * 7\nPRINT MID$("runtime", 2, 3)\n'
EXPECTED = " 42 \nunt\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Iterator[Path]:
    """A cache folder of the test's own, and nothing kept in memory before or after."""
    where = tmp_path / "native"
    c_objects.clear_memory()
    c_objects.use_folder(where)
    yield where
    c_objects.use_folder(None)
    c_objects.clear_memory()


@pytest.fixture()
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the runtime compiles the test causes."""
    seen: list[str] = []
    real = native._compile_runtime

    def counting(compiler: str, flags: tuple[str, ...], key: str, where: str,
                 timeout: float) -> bytes:
        seen.append(key)
        return real(compiler, flags, key, where, timeout)

    monkeypatch.setattr(native, "_compile_runtime", counting)
    return seen


def source() -> str:
    return generate_c(build_program(bundled("qbasic"), PROGRAM, "prog.bas")).text


def run(tmp_path: Path, flags: tuple[str, ...] = FAST) -> str:
    exe = tmp_path / "program"
    compile_c(source(), exe, flags=flags)
    done = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout


def kept_files(where: Path) -> list[Path]:
    return sorted(where.glob(f"{c_objects.PREFIX}*{c_objects.SUFFIX}"))


def test_the_header_declares_every_symbol_the_library_defines(tmp_path: Path) -> None:
    header, lib = library()
    (tmp_path / "lib.c").write_text(lib, encoding="utf-8")
    compiler = find_compiler()
    subprocess.run([compiler, *FAST, "-c", "lib.c", "-o", "lib.o"], cwd=tmp_path, check=True)
    listed = subprocess.run(["nm", "--defined-only", "lib.o"], cwd=tmp_path, check=True,
                            capture_output=True, text=True).stdout
    names = re.findall(r"^\S+ [TDBR] (\w+)$", listed, re.M)
    assert {"rt_fail", "mk_int", "op_sorted", "op_read_token", "RT_FILE", "UNSET"} <= set(names)
    # the small hot functions come whole (gcc inlines them into the program), the rest
    # as prototypes
    assert "static V rt_add(int pos, V a, V b) {" in header
    assert "V op_sorted(int pos, const char *name, V items, int64_t base);" in header
    # an undeclared name is an error in C (a call without a prototype is only a warning,
    # and a function returning V would then be called as one returning int)
    uses = "\n".join(f"void *use_{name}(void) {{ return (void *)&{name}; }}" for name in names)
    (tmp_path / "uses.c").write_text(header + uses + "\n", encoding="utf-8")
    checked = subprocess.run([compiler, "-std=c99", "-fsyntax-only", "uses.c"], cwd=tmp_path,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def test_only_a_generated_file_is_split() -> None:
    text = source()
    body = program_part(text)
    assert body is not None and text == RUNTIME_SOURCE + "\n" + PROGRAM_MARK + "\n" + body
    assert "int main(void)" in body and "rt_fail(int pos" not in body
    assert program_part("int main(void) { return 0; }\n") is None
    assert "#line 2 \"prog.bas\"" in body  # the program keeps its source lines


def test_another_c_file_is_compiled_whole(tmp_path: Path, compiles: list[str]) -> None:
    done = run_c("#include <stdio.h>\nint main(void) { puts(\"whole\"); return 3; }\n",
                 timeout=60)
    assert (done.returncode, done.stdout) == (3, "whole\n")
    assert compiles == []


def test_the_runtime_is_compiled_once_and_kept_in_the_folder(
        tmp_path: Path, folder: Path, compiles: list[str]) -> None:
    assert run(tmp_path) == EXPECTED
    assert run(tmp_path) == EXPECTED  # from memory
    c_objects.clear_memory()  # another process: from the folder
    assert run(tmp_path) == EXPECTED
    assert len(compiles) == 1
    assert [f.name for f in kept_files(folder)] == [f"c-runtime-{compiles[0]}.o"]


def test_a_damaged_object_is_compiled_again_and_rewritten(
        tmp_path: Path, folder: Path, compiles: list[str]) -> None:
    run(tmp_path)
    kept = kept_files(folder)[0]
    good = kept.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2] ^= 0xFF  # one flipped byte in the object's code
    for broken in (bytes(damaged), good[:len(good) // 3], b"not an object at all"):
        kept.write_bytes(broken)
        c_objects.clear_memory()
        assert run(tmp_path) == EXPECTED
        assert kept.read_bytes() == good  # written again, whole
    assert len(compiles) == 4


def test_an_object_of_another_key_is_not_used(tmp_path: Path, folder: Path,
                                              compiles: list[str]) -> None:
    run(tmp_path)
    kept = kept_files(folder)[0]
    key = compiles[0]
    other = "0" * len(key)
    # a whole, checksummed file under this key's name that says it is another key's
    kept.write_bytes(kept.read_bytes().replace(key.encode(), other.encode(), 1))
    c_objects.clear_memory()
    assert run(tmp_path) == EXPECTED
    assert compiles == [key, key]


def test_an_object_the_linker_refuses_is_compiled_again(tmp_path: Path, folder: Path,
                                                        compiles: list[str]) -> None:
    key = runtime_key(find_compiler(), FAST)
    c_objects.put(key, b"checksummed, but no object")  # as if another writer had erred
    c_objects.clear_memory()
    assert run(tmp_path) == EXPECTED
    assert compiles == [key]
    assert c_objects.get(key) not in (None, b"checksummed, but no object")


def test_other_flags_are_another_object(tmp_path: Path, folder: Path,
                                        compiles: list[str]) -> None:
    assert run(tmp_path) == EXPECTED
    assert run(tmp_path, ("-std=c99", "-O1", "-w")) == EXPECTED
    assert run(tmp_path, ("-std=c99", "-O1", "-w")) == EXPECTED
    assert len(set(compiles)) == 2 and len(compiles) == 2
    assert len(kept_files(folder)) == 2


def test_the_folder_is_bounded(tmp_path: Path, folder: Path, compiles: list[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(c_objects, "DISK_ENTRIES", 1)
    run(tmp_path)
    run(tmp_path, (*FAST, "-g"))
    assert [f.name for f in kept_files(folder)] == [f"c-runtime-{compiles[1]}.o"]


def test_a_folder_that_cannot_be_written_costs_only_the_compile(
        tmp_path: Path, compiles: list[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    c_objects.clear_memory()
    c_objects.use_folder(blocker / "native")
    try:
        assert run(tmp_path) == EXPECTED
        c_objects.clear_memory()
        assert run(tmp_path) == EXPECTED
    finally:
        c_objects.use_folder(None)
        c_objects.clear_memory()
    assert len(compiles) == 2
