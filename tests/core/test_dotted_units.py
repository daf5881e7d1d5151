"""Units named within a namespace (Delphi, Free Pascal 3.2: ``uses Shop.Prices``): the
module is the whole dotted name, looked for as a file of that name or as the file the
import names (``uses Shop.Prices in 'Lib\\Shop.Prices.pas'``), reported missing by its
whole name, and its first part is no name of its own (a program of that name is no
duplicate of it)."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse
from craftls.workspace.imports import ModuleResolver, imported_modules

TP = bundled("turbopascal")

PROGRAM = """program Shop;

uses
  Shop.Prices in 'Lib\\Shop.Prices.pas',
  Shop.Tax,
  System.SysUtils;

begin
  WriteLn(Total(3), Rate, Missing);
end.
"""

PRICES = "unit Shop.Prices;\n\ninterface\n\nfunction Total(N: Integer): Integer;\n\n" \
         "implementation\n\nfunction Total(N: Integer): Integer;\nbegin\n  Total := N * 2;\n" \
         "end;\n\nend.\n"
TAX = "unit Shop.Tax;\n\ninterface\n\nconst Rate = 7;\n\nimplementation\n\nend.\n"


def shown(folder: Path, text: str = PROGRAM) -> list[tuple[str, str, str]]:
    analysis = analyze_with_types(parse(TP, text), folder / "shop.dpr",
                                  resolver=ModuleResolver())
    return [(d.code or "", d.message, text[d.start:d.end]) for d in analysis.diagnostics]


def test_dotted_units_are_found_by_their_whole_name_or_their_path(tmp_path: Path) -> None:
    (tmp_path / "Lib").mkdir()
    (tmp_path / "Lib" / "Shop.Prices.pas").write_text(PRICES, encoding="utf-8")
    (tmp_path / "Shop.Tax.pas").write_text(TAX, encoding="utf-8")
    # both units found: their names are known, the one undefined name is reported
    assert shown(tmp_path) == [("undefined-name", "undefined name 'Missing'", "Missing")]


def test_a_missing_dotted_unit_is_reported_by_its_whole_name(tmp_path: Path) -> None:
    (tmp_path / "Shop.Tax.pas").write_text(TAX, encoding="utf-8")
    found = shown(tmp_path)
    assert [(code, spanned) for code, _, spanned in found] == [
        ("unresolved-import", "Shop.Prices")]
    assert "module 'Shop.Prices' is not in the workspace" in found[0][1]
    # a file of the first part's name is not the unit
    (tmp_path / "Shop.pas").write_text(TAX.replace("Shop.Tax", "Shop"), encoding="utf-8")
    assert [spanned for _, _, spanned in shown(tmp_path)] == ["Shop.Prices"]


def test_a_namespace_is_no_duplicate_of_a_program_but_a_unit_named_twice_is(
        tmp_path: Path) -> None:
    (tmp_path / "Lib").mkdir()
    (tmp_path / "Lib" / "Shop.Prices.pas").write_text(PRICES, encoding="utf-8")
    (tmp_path / "Shop.Tax.pas").write_text(TAX, encoding="utf-8")
    assert [c for c, _, _ in shown(tmp_path)] == ["undefined-name"]
    twice = PROGRAM.replace("System.SysUtils;", "System.SysUtils, Crt, Crt;")
    assert [(c, s) for c, _, s in shown(tmp_path, twice) if c == "duplicate-declaration"] \
        == [("duplicate-declaration", "Crt")]


def test_imported_modules_give_the_dotted_name_and_the_path() -> None:
    parsed = parse(TP, PROGRAM)
    assert [(m.name, PROGRAM[m.start:m.end], m.path) for m in imported_modules(parsed)] == [
        ("Shop.Prices", "Shop.Prices", "Lib\\Shop.Prices.pas"),
        ("Shop.Tax", "Shop.Tax", None), ("System.SysUtils", "System.SysUtils", None)]
