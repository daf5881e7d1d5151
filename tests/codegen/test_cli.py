"""`craftls run` and `craftls build` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
PRIMES = ROOT / "examples" / "pascal" / "primes.pas"


def test_run_prints_the_programs_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(PRIMES)]) == 0
    assert capsys.readouterr().out == "some\nSieve: 9\n6\n"


def test_run_reports_a_runtime_error_with_exit_1(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "bad.teach"
    program.write_text("remember xs = [1]\nshow(xs[5])\n", encoding="utf-8")
    assert main(["run", str(program)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{program}:2:9: runtime error: index 5 out of range 0..0\n")


def test_run_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "no/such/file.pas"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_build_c_writes_c_with_line_directives(tmp_path: Path) -> None:
    out = tmp_path / "primes.c"
    assert main(["build", str(PRIMES), "--target", "c", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "int main(void)" in text
    assert f'#line 49 "{PRIMES}"' in text


def test_build_refuses_an_unrunnable_program_at_its_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "dice.teach"
    program.write_text("show(random_between(1, 6))\n", encoding="utf-8")
    assert main(["build", str(program), "--target", "c"]) == 1
    assert f"{program}:1:6: error: the builtin 'random_between' is not runnable" in \
        capsys.readouterr().err


def test_a_missing_compiler_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(PRIMES), "--target", "c", "--cc", "no-such-cc"]) == 1
    assert "the C compiler 'no-such-cc' was not found" in capsys.readouterr().err


def test_build_exe_and_run_target_c(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    exe = tmp_path / "primes"
    assert main(["build", str(PRIMES), "--target", "exe", "-o", str(exe)]) == 0
    assert exe.is_file()
    assert main(["run", str(PRIMES), "--target", "c"]) == 0
    assert capfd.readouterr().out == "some\nSieve: 9\n6\n"
