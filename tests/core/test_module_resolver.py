"""The session's module resolver: an analysis after the first reads nothing from disk,
and an invalidation (a file event, a save, an install) makes the next one read again."""

from __future__ import annotations

import builtins
import io
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.documents import open_document
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse
from craftls.workspace.imports import ModuleResolver, imported_modules

from .conftest import SAMPLES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

MAIN = "PROGRAM Main;\nUSES Shapes, MathLib;\nBEGIN\n  WriteLn(Area(2));\n  WriteLn(Gone)\nEND.\n"
SHAPES = "UNIT Shapes;\nFUNCTION Area(R : INTEGER) : INTEGER;\nBEGIN\n  Area := R * R\nEND;\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with an installed package (MathLib, from the examples' lock) and a
    module next to the program."""
    for name in ("craft.toml", "craft.lock"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.pas").write_text(MAIN, encoding="utf-8")
    (tmp_path / "src" / "shapes.pas").write_text(SHAPES, encoding="utf-8")
    return tmp_path / "src"


@pytest.fixture
def disk_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts the calls that read the disk: listing folders, stat (is_file, exists),
    opening files."""
    calls: Counter[str] = Counter()

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    for module, name in ((os, "scandir"), (os, "listdir"), (os, "stat"),
                         (io, "open"), (builtins, "open")):
        monkeypatch.setattr(module, name, counting(name, getattr(module, name)))
    yield calls


def errors_about(analysis: Any, name: str) -> list[str]:
    return [d.message for d in analysis.diagnostics if name in d.message]


def test_an_analysis_after_the_first_touches_no_disk(workspace: Path,
                                                     disk_calls: Counter[str]) -> None:
    resolver = ModuleResolver()
    main = workspace / "main.pas"
    parsed = parse(bundled("pascal"), MAIN)
    first = analyze_with_types(parsed, main, resolver=resolver)
    assert set(first.modules) == {"shapes", "mathlib"}  # a sibling and a package
    assert not errors_about(first, "Area") and errors_about(first, "Gone")
    assert disk_calls["scandir"] and disk_calls["stat"]  # it did read: the counting works
    disk_calls.clear()
    again = analyze_with_types(parse(bundled("pascal"), MAIN + "\n"), main, resolver=resolver)
    assert set(again.modules) == {"shapes", "mathlib"}
    assert disk_calls == Counter()


def test_documents_analyse_with_the_session_resolver(workspace: Path,
                                                     disk_calls: Counter[str]) -> None:
    resolver = ModuleResolver()
    uri = (workspace / "main.pas").as_uri()
    open_document(uri, 1, MAIN, bundled("pascal"), resolver).analysis()
    disk_calls.clear()
    doc = open_document(uri, 2, MAIN, bundled("pascal"), resolver)
    assert set(doc.analysis().modules) == {"shapes", "mathlib"}
    assert disk_calls == Counter()


def test_invalidation_makes_the_next_analysis_read_again(workspace: Path) -> None:
    resolver = ModuleResolver()
    main, shapes = workspace / "main.pas", workspace / "shapes.pas"
    parsed = parse(bundled("pascal"), MAIN)
    assert not errors_about(analyze_with_types(parsed, main, resolver=resolver), "Area")
    shapes.write_text(SHAPES.replace("Area", "Surface"), encoding="utf-8")
    # until told, the resolver answers from what it read (no disk access per analysis)
    assert not errors_about(analyze_with_types(parsed, main, resolver=resolver), "Area")
    resolver.invalidate([shapes])
    assert errors_about(analyze_with_types(parsed, main, resolver=resolver), "Area")
    # a module created next to the program: its folder's listing is read again
    (workspace / "gone.pas").write_text("UNIT Gone;\nVAR Gone : INTEGER;\n", encoding="utf-8")
    text = MAIN.replace("USES Shapes, MathLib;", "USES Shapes, MathLib, Gone;")
    assert "gone" not in analyze_with_types(parse(bundled("pascal"), text), main,
                                 resolver=resolver).modules
    resolver.invalidate([workspace / "gone.pas"])
    assert "gone" in analyze_with_types(parse(bundled("pascal"), text), main, resolver=resolver).modules


def test_an_install_forgets_the_installed_modules(workspace: Path) -> None:
    resolver = ModuleResolver()
    main = workspace / "main.pas"
    parsed = parse(bundled("pascal"), MAIN)
    assert "mathlib" in analyze_with_types(parsed, main, resolver=resolver).modules
    (workspace.parent / "craft.lock").unlink()
    assert "mathlib" in analyze_with_types(parsed, main, resolver=resolver).modules
    resolver.invalidate()  # what the server does after an install
    assert "mathlib" not in analyze_with_types(parsed, main, resolver=resolver).modules


@pytest.mark.parametrize("language_id, path", [s for s in SAMPLES
                                               if bundled(s[0]).grammar is not None])
def test_a_grammars_imports_are_found_as_a_walk_of_every_node_finds_them(
        language_id: str, path: Path) -> None:
    """``imported_modules`` skips the subtrees without an ``imports`` node (a keystroke's
    analysis asks): it finds what looking at every node finds, in the same order, also
    in a unit whose `uses` sits inside its interface and implementation parts."""
    definition = bundled(language_id)
    assert definition.grammar is not None
    texts = [path.read_text(encoding="utf-8")]
    if language_id == "turbopascal":
        texts.append("unit U;\ninterface\nuses Crt, Dos;\nimplementation\nuses Strings;\n"
                     "begin\nend.\n")
    importing = {k for k, m in definition.grammar.meanings().items() if m.imports}
    for text in texts:
        parsed = parse(definition, text)
        every = [(n.child_of_kind("NAME_REF"), n) for n in parsed.root.descendants()
                 if n.kind in importing]
        expected = [(name.text.strip(), name.start) for name, _ in every
                    if name is not None]
        # (a dotted name's first part: the module is the whole name, test_dotted_units.py)
        assert [(m.name.split(".")[0], m.start) for m in imported_modules(parsed)] \
            == expected
    assert expected or language_id != "turbopascal"
