"""A file that another one includes is analysed where it is included (clangd infers a
header's compile command from a file that includes it): `lib.bm`, which `main.bas`
includes after `lib.bi`, sees the TYPEs, CONSTs and SHARED variables of `lib.bi` and what
`main.bas` declares; a Pascal `{$I body.inc}` sees the types of the `{$I types.inc}`
before it. Driven by ``structure.includes``; bounded (folders, candidates, steps up) and
cycle-safe; an open document's text is what the others read of it."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse
from craftls.workspace.imports import ModuleResolver

LIB_BI = ("TYPE Point\n    x AS INTEGER\n    y AS INTEGER\nEND TYPE\n"
          "CONST Limit = 10\nDIM SHARED Origin AS Point\nDECLARE SUB Move (p AS Point)\n")
LIB_BM = ("SUB Move (p AS Point)\n    p.x = p.x + Step1\n    IF p.x > Limit THEN p.x = Origin.x\n"
          "    Report p.x\nEND SUB\n")
MAIN_BAS = ("'$INCLUDE: 'lib.bi'\nDIM SHARED Step1 AS INTEGER\nDIM a AS Point\nStep1 = 2\n"
            "Move a\nEND\nSUB Report (n AS INTEGER)\n    PRINT n\nEND SUB\n"
            "'$INCLUDE: 'lib.bm'\n")


def undefined(path: Path, resolver: ModuleResolver | None = None,
              text: str | None = None, language: str = "qbasic") -> set[str]:
    text = text if text is not None else path.read_text(encoding="utf-8")
    analysis = analyze_with_types(parse(bundled(language), text), path, resolver=resolver)
    return {d.message.split("'")[1] for d in analysis.diagnostics
            if d.code == "undefined-name"}


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_an_included_file_sees_its_includer_and_the_includer_s_other_includes(
        tmp_path: Path) -> None:
    write(tmp_path, {"lib.bi": LIB_BI, "lib.bm": LIB_BM})
    # alone (no file includes it) its names are undefined, as before
    assert undefined(tmp_path / "lib.bm") == {"Step1", "Limit", "Origin", "Report"}
    write(tmp_path, {"main.bas": MAIN_BAS})
    resolver = ModuleResolver()
    assert undefined(tmp_path / "lib.bm", ModuleResolver()) == set()
    analysis = analyze_with_types(parse(bundled("qbasic"), LIB_BM), tmp_path / "lib.bm",
                                  resolver=resolver)
    assert analysis.inputs == {tmp_path / "main.bas", tmp_path / "lib.bi"}
    context = resolver.includer_context(tmp_path / "lib.bm", bundled("qbasic"))
    assert context is not None and context.includers == (tmp_path / "main.bas",)
    # a name neither the includer nor its includes declare is still undefined
    assert undefined(tmp_path / "lib.bm", text=LIB_BM.replace("Report", "Reprot")) == {"Reprot"}
    # the program itself has no includer: nothing changes for it
    assert undefined(tmp_path / "main.bas") == set()


def test_the_includer_is_found_beside_a_folder_above_and_up_the_includers(
        tmp_path: Path) -> None:
    """A project's program in `demo/` includes `'frame\\lib.bi'` from the folder above
    both (QB64 reads a name from the folders above too); `deep.bm` is included by
    `lib.bm`, itself included by the program: it sees the program's names, two steps up."""
    write(tmp_path, {"frame/lib.bi": LIB_BI,
                     "frame/lib.bm": LIB_BM + "'$INCLUDE: 'deep.bm'\n",
                     "frame/deep.bm": "SUB Deeper\n    Report Limit + Step1\nEND SUB\n",
                     "demo/main.bas": MAIN_BAS.replace("'lib.", "'frame\\lib.")})
    assert undefined(tmp_path / "frame" / "lib.bm") == set()
    resolver = ModuleResolver()
    assert undefined(tmp_path / "frame" / "deep.bm", resolver) == set()
    context = resolver.includer_context(tmp_path / "frame" / "deep.bm", bundled("qbasic"))
    assert context is not None and context.includers == (
        tmp_path / "frame" / "lib.bm", tmp_path / "demo" / "main.bas")


def test_includes_that_include_each_other_end(tmp_path: Path) -> None:
    """`x.bm` is included by `a.bi`, which `b.bi` includes and which includes `b.bi`:
    each file is read once."""
    write(tmp_path, {"a.bi": "'$INCLUDE: 'b.bi'\nCONST A1 = 1\n'$INCLUDE: 'x.bm'\n",
                     "b.bi": "'$INCLUDE: 'a.bi'\nCONST B1 = A1\n",
                     "x.bm": "PRINT A1 + B1\n"})
    resolver = ModuleResolver()
    assert undefined(tmp_path / "x.bm", resolver) == set()
    context = resolver.includer_context(tmp_path / "x.bm", bundled("qbasic"))
    # b.bi, a.bi's includer, was read already as what a.bi includes: the climb ends
    assert context is not None and context.includers == (tmp_path / "a.bi",)


def test_the_open_text_of_an_includer_is_read_and_a_disk_change_is_seen(
        tmp_path: Path) -> None:
    """The editor's unsaved text of the includer is what the included file sees
    (``set_open_text``); a file that starts including it is found after the disk change
    is reported (``invalidate``)."""
    write(tmp_path, {"lib.bi": LIB_BI, "lib.bm": LIB_BM})
    resolver = ModuleResolver()
    assert "Limit" in undefined(tmp_path / "lib.bm", resolver)
    write(tmp_path, {"main.bas": MAIN_BAS})
    assert "Limit" in undefined(tmp_path / "lib.bm", resolver)  # not told yet: remembered
    resolver.invalidate([tmp_path / "main.bas"])
    assert undefined(tmp_path / "lib.bm", resolver) == set()
    edited = MAIN_BAS.replace("DIM SHARED Step1 AS INTEGER\n", "").replace("Step1 = 2\n", "")
    resolver.set_open_text(tmp_path / "main.bas", edited)
    assert undefined(tmp_path / "lib.bm", resolver) == {"Step1"}
    resolver.set_open_text(tmp_path / "main.bas", None)  # closed: the disk's again
    assert undefined(tmp_path / "lib.bm", resolver) == set()


def test_a_pascal_include_sees_the_includes_before_it(tmp_path: Path) -> None:
    write(tmp_path, {
        "types.inc": "type\n  TPoint = record\n    X, Y: Integer;\n  end;\nconst\n  Limit = 10;\n",
        "body.inc": "procedure Move(var P: TPoint);\nbegin\n  if P.X < Limit then\n"
                    "    P.X := P.X + 1\nend;\n",
        "main.pas": "program Main;\n{$I types.inc}\nvar A: TPoint;\n{$I body.inc}\n"
                    "begin\n  Move(A)\nend.\n"})
    found = undefined(tmp_path / "body.inc", language="turbopascal")
    assert found == set()
    (tmp_path / "main.pas").unlink()
    assert undefined(tmp_path / "body.inc", language="turbopascal") == {"Limit"}


def test_a_pascal_include_in_a_unit_s_implementation_sees_the_implementation(
        tmp_path: Path) -> None:
    """The includer's whole file scope, not only what a unit exports (its INTERFACE)."""
    write(tmp_path, {
        "body.inc": "procedure Bump;\nbegin\n  Count := Count + Step\nend;\n",
        "counter.pas": "unit Counter;\ninterface\nvar Count: Integer;\nprocedure Bump;\n"
                       "implementation\nconst Step = 2;\n{$I body.inc}\nend.\n"})
    assert undefined(tmp_path / "body.inc", language="turbopascal") == set()


def test_labels_and_line_numbers_are_known_across_an_include(tmp_path: Path) -> None:
    """QuickBASIC's '$INCLUDE is textual: a GOSUB in the included file may name a label
    or line number of its includer, and the includer one of the included file; a
    variable read of the label's name is still undefined (labels are names of their own,
    ``structure.labels: separate``)."""
    write(tmp_path, {
        "main.bas": "'$INCLUDE: 'lib.bm'\nGOSUB Shared1\nEND\nHandler:\nRETURN\n100 PRINT 2\n",
        "lib.bm": "GOSUB Handler\nGOTO 100\nPRINT Handler\nEND\nShared1:\nRETURN\n",
    })
    assert undefined(tmp_path / "lib.bm") == {"Handler"}
    assert undefined(tmp_path / "main.bas") == set()


def test_an_includer_in_a_folder_below_the_included_file_is_found(tmp_path: Path) -> None:
    """`src/main.bas` includes `'../lib.bm'` (and `src/deep/run.bas` `'..\\..\\lib.bm'`):
    the included file, in the folder above, is analysed where it is included."""
    write(tmp_path, {
        "lib.bm": "SUB Hello\n    PRINT Greeting\nEND SUB\n",
        "src/main.bas": "DIM SHARED Greeting AS STRING\n'$INCLUDE: '../lib.bm'\n",
    })
    assert undefined(tmp_path / "lib.bm") == set()
    (tmp_path / "src" / "main.bas").unlink()
    write(tmp_path, {"src/deep/run.bas":
                     "DIM SHARED Greeting AS STRING\n'$INCLUDE: '..\\..\\lib.bm'\n"})
    assert undefined(tmp_path / "lib.bm") == set()
