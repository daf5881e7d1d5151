"""Imported modules are linked into the program: the interpreter, C and WebAssembly
run them alike, name a module's file in its runtime errors, and refuse what cannot be
linked (a missing module, a cycle, a module of another language) at its place."""

from __future__ import annotations

import io
from pathlib import Path

from craftls.codegen.c_emit import generate_c
from craftls.codegen.errors import BuildError
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.codegen.wasm_emit import generate_wat
from craftls.language.catalog import bundled
from craftls.workspace.imports import module_finder

Run = tuple[int, str, str]


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def three(folder: Path, language: str, main: str, stdin: str = "") -> list[Run]:
    """The run of ``folder/main`` in the interpreter, in WebAssembly and in C."""
    definition, find = bundled(language), module_finder(root=folder)
    text = (folder / main).read_text(encoding="utf-8")
    runs = []
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(definition, text, main, out, err, io.StringIO(stdin), target=target,
                         find=find)
        runs.append((code, out.getvalue(), err.getvalue()))
    native = run_c(generate_c(build_program(definition, text, main, find)).text, stdin,
                   timeout=60)
    runs.append((native.returncode, native.stdout, native.stderr))
    return runs


def build_errors(folder: Path, language: str, main: str) -> str:
    text = (folder / main).read_text(encoding="utf-8")
    try:
        build_program(bundled(language), text, main, module_finder(root=folder))
    except BuildError as exc:
        return exc.format(main, text)
    raise AssertionError("the program built")


def test_a_runtime_error_in_a_module_names_the_module_file_in_every_back_end(
        tmp_path: Path) -> None:
    write(tmp_path, {"lib.cur": "// helpers\nfn half(n: int) -> int {\n    return 10 / n;\n}\n",
                     "main.cur": "import lib;\nprint(lib.half(5));\nprint(half(0));\n"})
    runs = three(tmp_path, "curly", "main.cur")
    assert runs[0] == (1, "2\n", "lib.cur:3:15: runtime error: division by zero\n"
                       "traceback (most recent call last):\n"
                       "  main.cur:3:7: in the main program\n  lib.cur:3:15: in half\n")
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_a_module_runs_its_statements_first_and_shares_its_values(tmp_path: Path) -> None:
    write(tmp_path, {
        "counter.teach": 'remember count = 10\nshow("counter ready")\n\n'
                         "teach bump(by: int) -> int:\n    count = count + by\n"
                         "    give_back count\n",
        "prog.teach": "use counter\nshow(counter.bump(5), bump(1), counter.count)\n"
                      "teach bump(by: int) -> int:\n    give_back -by\n"})
    runs = three(tmp_path, "teachlang", "prog.teach")
    # the program's own bump hides the module's; the module's global keeps its value
    assert runs[0] == (0, "counter ready\n15 -1 15\n", "")
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_a_module_function_hides_a_builtin_of_the_same_name(tmp_path: Path) -> None:
    write(tmp_path, {
        "Util.pas": "FUNCTION Abs(X : INTEGER) : INTEGER;\nBEGIN\n  Abs := 100 + X\nEND;\n\n"
                    "FUNCTION Twice(X : INTEGER) : INTEGER;\nBEGIN\n  Twice := Abs(X) * 2\nEND;\n",
        "main.pas": "PROGRAM P;\nUSES Util;\nBEGIN\n  WriteLn(Util.Twice(-1), ' ', Twice(1), ' ', "
                    "Util.Abs(-5))\nEND.\n"})
    runs = three(tmp_path, "pascal", "main.pas")
    assert runs[0] == (0, "198 202 95\n", "")
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_a_missing_module_is_a_build_error_at_its_name(tmp_path: Path) -> None:
    write(tmp_path, {"main.cur": "// uses a module that is nowhere\nimport nowhere;\nprint(1);\n"})
    assert build_errors(tmp_path, "curly", "main.cur") == (
        "main.cur:2:8: error: module 'nowhere' not found (no file of that name next to this "
        "one, nor an installed package's module: craftls install)")


def test_without_a_finder_an_import_is_a_build_error(tmp_path: Path) -> None:
    try:
        build_program(bundled("curly"), "import lib;\n", "main.cur")
    except BuildError as exc:
        assert exc.format("main.cur", "import lib;\n").startswith(
            "main.cur:1:8: error: module 'lib' not found")
    else:
        raise AssertionError("the program built")


def test_a_build_error_inside_a_module_names_the_module_file(tmp_path: Path) -> None:
    write(tmp_path, {"lib.cur": "fn f() -> int {\n    return nope(1);\n}\nfn g() -> int {\n"
                                "    return 1 +;\n}\n",
                     "main.cur": "import lib;\nprint(lib.f());\n"})
    assert build_errors(tmp_path, "curly", "main.cur").startswith("lib.cur:5:15: error: syntax error")


def test_an_import_cycle_is_a_build_error(tmp_path: Path) -> None:
    write(tmp_path, {"a.cur": "import b;\nfn one() -> int { return 1; }\n",
                     "b.cur": "import a;\nfn two() -> int { return 2; }\n",
                     "main.cur": "import a;\nprint(a.one());\n"})
    assert build_errors(tmp_path, "curly", "main.cur") == (
        "b.cur:1:8: error: module 'a' imports itself (through a.cur)")


def test_a_module_of_another_language_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"lib.teach": "teach f() -> int:\n    give_back 1\n",
                     "main.cur": "import lib;\nprint(lib.f());\n"})
    assert build_errors(tmp_path, "curly", "main.cur") == (
        "main.cur:1:8: error: module 'lib' is written in TeachLang: linking a module of "
        "another language is not supported")


def test_an_unknown_member_of_a_module_is_a_build_error(tmp_path: Path) -> None:
    write(tmp_path, {"lib.cur": "fn f() -> int { return 1; }\n",
                     "main.cur": "import lib;\nprint(lib.g());\n"})
    assert build_errors(tmp_path, "curly", "main.cur") == (
        "main.cur:2:11: error: module 'lib' has no 'g'")


def test_line_maps_hold_only_the_program_own_lines(tmp_path: Path) -> None:
    write(tmp_path, {"lib.cur": "\n\n\n\n\n\n\n\nfn f() -> int {\n    return 1;\n}\n",
                     "main.cur": "import lib;\nprint(lib.f());\n"})
    text = (tmp_path / "main.cur").read_text(encoding="utf-8")
    program = build_program(bundled("curly"), text, "main.cur", module_finder(root=tmp_path))
    c, wat = generate_c(program), generate_wat(program)
    assert '#line 10 "lib.cur"' in c.text and ";; in lib.cur @10:" in wat.text
    assert {line for _, line in c.line_map} == {2}
    assert {line for _, line in wat.line_map} == {2}
