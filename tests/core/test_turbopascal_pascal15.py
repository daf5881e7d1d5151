"""The bundled Pascal on forms a fifteenth round of real programs showed: a generic
type's method bodies (``function TBox<T>.Get``) see the members of the generic type,
not of a plain type of the same name; Free Pascal's routine directives in brackets
(``[public, alias: '_start']``), ``public name`` and ``alias:``. Each program here is
accepted by fpc 3.2.2."""

from __future__ import annotations

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.semantics.item_walks import ITEM_WALKS
from craftls.semantics.resolve import resolve_names
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

from .test_lang_turbopascal import shown

TP = bundled("turbopascal")

# fpc -Mdelphi accepts it; Item and Size are fields of TBox<T> only
GENERIC_METHODS = """unit Boxes;
{$mode delphi}
interface
type
  TBox = class
    Total: Integer;
  end;
  TBox<T> = class
    Size: Integer;
    Item: T;
    function Get: T;
    procedure Put(const V: T);
  end;
  TBox<K, V> = class
    Key: K;
    function Pick: V;
  end;
implementation
function TBox<T>.Get: T;
begin
  Size := Size + 1;
  Result := Item;
end;
procedure TBox<T>.Put(const V: T);
begin
  Item := V;
end;
function TBox<K, V>.Pick: V;
begin
  Result := Default(V);
  Key := Default(K);
end;
end.
"""


def test_a_generic_types_method_bodies_see_its_own_members() -> None:
    assert shown(GENERIC_METHODS) == []


def test_a_plain_types_method_body_still_sees_the_plain_type() -> None:
    """`TBox.Bump` is a method of the plain TBox: Total is its field, Item is not."""
    text = GENERIC_METHODS.replace("    Total: Integer;\n",
                                   "    Total: Integer;\n    procedure Bump;\n", 1)
    text = text.replace("end.\n", "procedure TBox.Bump;\nbegin\n  Total := Item;\nend;\nend.\n")
    found = [(code, message) for _, _, _, code, message in shown(text)]
    assert found == [("undefined-name", "undefined name 'Item'")]


def test_arity_next_to_opens_or_declares_only() -> None:
    definition, problems = load_definition_text(
        "name: G\nid: g\ngrammar:\n  start: prog\n  rules:\n"
        "    prog: \"item*\"\n"
        "    item:\n      match: \"IDENT args? ';'\"\n      arity: args\n"
        "    args: \"'<' IDENT '>'\"\n")
    assert definition is None
    assert "'arity' in rule 'item' must name a rule, next to 'declares' or 'opens'" \
        in [p.message for p in problems]


BRACKETED = """program Boot;

function Entry(Code: Integer): Integer; cdecl; [public, alias: '_start'];
begin
  Entry := Code;
end;

procedure Exported; public name 'exported_proc';
begin
end;

procedure Other; alias: 'other_alias';
begin
end;

procedure Both; [public, alias: 'both_entry', cdecl];
begin
end;

begin
  Exported;
  Other;
  Both;
  WriteLn(Entry(1));
end.
"""


def test_free_pascals_directives_in_brackets_and_public_name_and_alias() -> None:
    assert shown(BRACKETED) == []


def test_an_attribute_before_the_next_method_is_no_directive() -> None:
    """Delphi's `[Test]` after a method heading's `;` belongs to the next method."""
    text = """unit Suites;
{$mode delphi}
interface
type
  TSuite = class
  public
    procedure Setup; virtual;
    [Test]
    procedure Check;
    [TestCase('a', '1')]
    procedure Case1(const A: string);
  end;
implementation
procedure TSuite.Setup;
begin
end;
procedure TSuite.Check;
begin
end;
procedure TSuite.Case1(const A: string);
begin
end;
end.
"""
    assert shown(text) == []


def test_after_an_edit_the_replayed_items_open_the_generic_type_too() -> None:
    """An edit replays the untouched items from their earlier walks: the method bodies
    still open TBox<T>, as a walk from scratch does."""
    parsed = parse(TP, GENERIC_METHODS)
    assert list(resolve_names(parsed).undefined_names()) == []
    at = GENERIC_METHODS.index("Size + 1") + len("Size + ")
    for digit in "234":
        parsed, _ = apply_edit(parsed, TextEdit(at, at + 1, digit))
        assert list(resolve_names(parsed).undefined_names()) == []
        ITEM_WALKS.clear()
        assert list(resolve_names(parsed).undefined_names()) == []
