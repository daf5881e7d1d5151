"""Start-up of the command line: a command imports only what it uses, and the bundled
definitions are read from the cache folder once they were loaded (issue 19, item 5;
the times are in docs/performance.md, not here)."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from craftls.language import catalog
from craftls.language.definition_cache import load_cached
from craftls.language.loader import load_definition
from craftls.language.model import LanguageDefinition

# What `craftls check` of a bundled language must not load (the second row: what only a
# craft.toml, a logged failure or a grammar-defined language needs; the third: what only
# help text (the terminal's width), a platform folder that the environment does not set,
# writing a definition or a sha256 digest needs; the last: completion, whose memo tables
# the analysis caches list).
HEAVY = ("yaml", "httpx", "pygls", "lsprotocol", "asyncio", "craftls.registry",
         "craftls.codegen", "craftls.lsp", "craftls.syntax.peg",
         "tomllib", "logging", "craftls.syntax.peg_tables", "craftls.language.grammar_spec",
         "shutil", "bz2", "lzma", "platformdirs", "tempfile", "hashlib", "_hashlib",
         "craftls.features.completion_names")

PROBE = """
import sys
from craftls.cli.main import main
code = main(sys.argv[1:])
heavy = {heavy!r}
loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
print("LOADED", loaded, code)
"""


def _run(args: list[str], cache: Path) -> str:
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.splitlines()[-1]


def test_check_loads_no_yaml_registry_lsp_or_engine_once_cached(tmp_path: Path) -> None:
    program = tmp_path / "p.pas"
    program.write_text("PROGRAM P;\nVAR X : INTEGER;\nBEGIN\n  X := 1;\n  WriteLn(X)\nEND.\n")
    cache = tmp_path / "cache"
    # the keyword-level language: served by its template (``structure.engine``), or a
    # grammar-defined one, it loads the engine (``peg``) and nothing else
    command = ["check", str(program), "--language", "pascal"]
    first = _run(command, cache)
    assert "'httpx'" not in first and "'pygls'" not in first and "'craftls.lsp'" not in first
    assert first.endswith(" 0")
    loaded = _run(command, cache)
    assert loaded.startswith("LOADED [") and loaded.endswith("] 0"), loaded
    engine = {m for m in ast.literal_eval(loaded[len("LOADED "):-len(" 0")])
              if m.startswith(("craftls.syntax.peg", "craftls.language.grammar_spec"))}
    assert loaded == f"LOADED {sorted(engine)} 0"
    assert ("craftls.syntax.peg" in engine) == (catalog.bundled("pascal").grammar is not None)


def test_help_keeps_argparse_width(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from craftls.cli.main import _help_width
    for columns in ("57", "", "oops"):
        monkeypatch.setenv("COLUMNS", columns)
        assert _help_width() == shutil.get_terminal_size().columns - 2


def test_a_cached_file_for_other_text_is_not_used(tmp_path: Path) -> None:
    path = catalog.BUNDLED_DIR / "pascal.yaml"
    load_cached(path, tmp_path)
    (target,) = tmp_path.glob("pascal-*.pickle")
    stamp, data, definition = pickle.loads(target.read_bytes())
    other = load_definition(catalog.BUNDLED_DIR / "basic.yaml")
    # a checksum collision: the name matches, the text it was made from does not
    target.write_bytes(pickle.dumps((stamp, data + b"\n# edited", other)))
    assert load_cached(path, tmp_path) == definition != other
    assert pickle.loads(target.read_bytes())[1] == data  # written again, for this text


def test_version_imports_no_command_group(tmp_path: Path) -> None:
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(tmp_path)}
    probe = ("import sys\nfrom craftls.cli.main import main\ntry:\n    main(['--version'])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('craftls.cli.')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=120)
    assert "craftls " in done.stdout and "(syntax layer:" in done.stdout
    assert done.stdout.splitlines()[-1] == "['craftls.cli.main']"


def test_every_command_still_has_its_help() -> None:
    from craftls.cli.main import ALL_MODULES, COMMAND_MODULES, build_parser
    assert set(COMMAND_MODULES.values()) == set(ALL_MODULES)
    full = build_parser()
    commands = full._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert commands is not None
    assert set(commands) == set(COMMAND_MODULES)  # every command is mapped to its module


@pytest.mark.parametrize("language_id", catalog.bundled_ids())
def test_cached_definition_equals_the_yaml(tmp_path: Path, language_id: str) -> None:
    path = catalog.BUNDLED_DIR / f"{language_id}.yaml"
    first = load_cached(path, tmp_path)
    files = list(tmp_path.glob(f"{language_id}-*.pickle"))
    assert len(files) == 1
    again = load_cached(path, tmp_path)
    assert again == first == load_definition(path)
    assert again is not first  # the second came from the file


# Loads each bundled keyword-level definition through its block style's template
# (``structure.engine: template``, what the flip writes in its YAML) in a fresh process,
# then names the modules of ours outside ``language/`` that loading imported.
TEMPLATE_PROBE = """
import re, sys
from craftls.language.catalog import BUNDLED_DIR
from craftls.language.loader import load_definition_text
before = set(sys.modules)
for path in sorted(BUNDLED_DIR.glob("*.yaml")):
    text = path.read_text(encoding="utf-8")
    if re.search(r"(?m)^  block_style:", text) and not re.search(r"(?m)^grammar:", text):
        text = re.sub(r"(?m)^  engine: .*\\n", "", text)
        text = re.sub(r"(?m)^structure:\\n", "structure:\\n  engine: template\\n", text, count=1)
        definition, problems = load_definition_text(text, str(path))
        assert definition is not None and definition.grammar is not None, problems
print(sorted(m for m in set(sys.modules) - before if m.startswith("craftls.")
             and not m.startswith("craftls.language") and hasattr(sys.modules[m], "__file__")
             and not hasattr(sys.modules[m], "__path__")))
"""


def test_a_cached_definition_is_stamped_with_every_module_its_template_is_made_by() -> None:
    """A definition served through its template holds the grammar the syntax layer's
    modules wrote: the code stamp that names its cache file covers each of them, so an
    edit of one (``template_runs.py``'s annotations) makes the next run load the YAML
    again instead of serving the old template (a fresh cache folder and a used one
    would answer differently)."""
    from craftls.language.definition_cache import _code_stamp

    done = subprocess.run([sys.executable, "-c", TEMPLATE_PROBE], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    used = ast.literal_eval(done.stdout.splitlines()[-1])
    assert "craftls.syntax.block_templates" in used
    stamp = _code_stamp().decode()
    for module in used:
        package, _, name = module.rpartition(".")
        assert package == "craftls.syntax" and f"syntax/{name}." in stamp, (module, used)


# Programs whose check reads other files: a Pascal unit (``uses``), a QBasic include
# (``'$INCLUDE``), a global another Lua file assigns (the files checked together); each
# with diagnostics that the other file decides. (language, files, the files to check)
CROSS_FILE = {
    "turbopascal": ({
        "mathu.pas": "unit MathU;\n\ninterface\n\nfunction Twice(X: Integer): Integer;\n\n"
                     "implementation\n\nfunction Twice(X: Integer): Integer;\nbegin\n"
                     "  Twice := X * 2;\nend;\n\nend.\n",
        "main.pas": "program Main;\n\nuses MathU;\n\nvar\n  N: Integer;\nbegin\n"
                    "  N := Twice(Missing);\n  N := Twice(1, 2);\n  WriteLn(N)\nend.\n"},
        ["main.pas"]),
    "qbasic": ({
        "lib.bi": "DECLARE SUB Greet (who AS STRING)\nCONST LIMIT = 10\n",
        "main.bas": "'$INCLUDE: 'lib.bi'\nDIM total AS INTEGER\ntotal = LIMIT + unknownvar\n"
                    "CALL Greet(\"x\", 2)\nPRINT total\n\nSUB Greet (who AS STRING)\n"
                    "    PRINT who\nEND SUB\n"},
        ["main.bas"]),
    "lua": ({
        "colors.lua": "Palette = { red = 1 }\n\nfunction Palette.name(code)\n"
                      "  return code\nend\n",
        "shapes.lua": "local M = {}\n\nfunction M.area(w, h)\n  return w * h\nend\n\n"
                      "return M\n",
        "main.lua": "local shapes = require(\"shapes\")\n\nprint(shapes.area(2, 3))\n"
                    "print(Palette.name(Palette.red))\nprint(undefined_name)\n"},
        ["main.lua", "shapes.lua", "colors.lua"]),
}


@pytest.mark.parametrize("language_id", sorted(CROSS_FILE))
def test_a_fresh_cache_folder_and_a_used_one_check_alike(tmp_path: Path,
                                                         language_id: str) -> None:
    """`craftls check` with an empty cache folder (the definition read from its YAML
    and kept, the grammar's code compiled and kept) prints what the next run, which
    loads both from the folder, prints."""
    files, checked = CROSS_FILE[language_id]
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    cache = tmp_path / "cache"
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(cache)}

    def check() -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-m", "craftls", "check", "--language",
                               language_id, *checked], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout, done.stderr

    first = check()
    assert list(cache.glob(f"definitions/{language_id}-*.pickle"))
    assert catalog.bundled(language_id).grammar is None or list(cache.glob("grammars/*"))
    assert check() == first
    # the other file decided some of the diagnostics
    assert "undefined name" in first[0] and "unresolved" not in first[0]


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("this must never run",))


def test_a_tampered_or_stale_cache_file_is_rebuilt(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = catalog.BUNDLED_DIR / "pascal.yaml"
    load_cached(path, tmp_path)
    (target,) = tmp_path.glob("pascal-*.pickle")
    target.write_bytes(pickle.dumps(_Boom()))  # not a class of the model: refused
    assert load_cached(path, tmp_path) == load_definition(path)
    assert "never run" not in capsys.readouterr().out
    target.write_bytes(b"truncated")
    assert load_cached(path, tmp_path) == load_definition(path)
    stale = tmp_path / "pascal-000000000000000000000000.pickle"
    stale.write_bytes(b"old")  # an older version's file: removed when the new one is written
    target.unlink()
    load_cached(path, tmp_path)
    assert not stale.exists() and target.exists()


def test_an_unwritable_cache_folder_falls_back_to_the_yaml(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    path = catalog.BUNDLED_DIR / "basic.yaml"
    assert load_cached(path, blocked / "definitions") == load_definition(path)


def test_by_extension_loads_only_definitions_that_mention_the_suffix(
        monkeypatch: pytest.MonkeyPatch) -> None:
    definitions = catalog.all_bundled()
    for definition in definitions:
        text = (catalog.BUNDLED_DIR / f"{definition.id}.yaml").read_text().lower()
        for extension in definition.extensions:
            assert extension.lower() in text  # spelled plainly: what `_mentions` relies on
            first = next(d for d in catalog.extension_order(definitions)
                         if extension.lower() in (e.lower() for e in d.extensions))
            assert catalog.by_extension(f"a{extension.upper()}") == first
    loaded: list[str] = []
    real = catalog.bundled
    def bundled(language_id: str) -> LanguageDefinition:
        loaded.append(language_id)
        return real(language_id)

    monkeypatch.setattr(catalog, "bundled", bundled)
    found = catalog.by_extension("a.pas")
    # the two that list .pas, the keyword-level `pascal` and the grammar that takes it
    assert found is not None and found.id == "turbopascal" and loaded == ["pascal", "turbopascal"]
    loaded.clear()
    found = catalog.by_extension("a.lua")
    assert found is not None and loaded == [found.id]  # no other one mentions .lua



QUICK = """
import atexit, runpy, sys
atexit.register(lambda: print("interpreter exit", file=sys.stderr))
sys.argv = ["craftls", *sys.argv[1:]]
runpy.run_module("craftls", run_name="__main__")
"""


@pytest.mark.parametrize("command", ["check", "parse"])
def test_a_quick_exit_loses_no_output(tmp_path: Path, command: str) -> None:
    """`python -m craftls check` ends with `os._exit` (``cli.main.run``): the interpreter's
    exit does not run (the `atexit` hook prints nothing), yet what it wrote to a pipe
    (block-buffered, here many buffers) arrives whole, with the exit code of ``main``."""
    program = tmp_path / "p.pas"
    program.write_text("PROGRAM P;\nBEGIN\n" + "".join(f"  Undeclared{i} := {i};\n"
                                                      for i in range(400)) + "END.\n")
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(tmp_path / "cache")}
    ordinary = ("import sys\nfrom craftls.cli.main import main\n"
                "sys.exit(main(sys.argv[1:]))\n")
    runs = [subprocess.run([sys.executable, "-c", code, command, str(program)],
                           capture_output=True, text=True, env=env, timeout=120)
            for code in (ordinary, QUICK)]
    assert runs[0].stdout == runs[1].stdout and runs[0].stderr == runs[1].stderr
    assert runs[0].returncode == runs[1].returncode == 0
    assert "interpreter exit" not in runs[1].stderr
    assert len(runs[1].stdout) > 20_000
    if command == "check":
        assert runs[1].stdout.count("undefined name") == 400
        assert runs[1].stderr == "checked 1 file: 0 errors, 400 warnings\n"


def test_other_commands_exit_the_ordinary_way(tmp_path: Path) -> None:
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", QUICK, "language", "list"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and "pascal" in done.stdout
    assert done.stderr.endswith("interpreter exit\n")


def test_no_quick_exit_while_another_thread_runs() -> None:
    import threading

    from craftls.cli import main as cli
    started, stop = threading.Event(), threading.Event()

    def wait() -> None:
        started.set()
        stop.wait(10)

    worker = threading.Thread(target=wait)
    worker.start()
    try:
        started.wait(10)
        assert not cli._alone()
    finally:
        stop.set()
        worker.join()
