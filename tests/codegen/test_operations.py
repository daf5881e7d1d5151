"""`implements:` on builtins: loaded, checked, and derived for ParserCraft configs."""

from __future__ import annotations

from craftls.language.catalog import all_bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.language.operations import OPERATIONS


def test_every_bundled_language_names_known_operations() -> None:
    for definition in all_bundled():
        runnable = [b for b in definition.builtins if b.implements]
        # every keyword-level language is runnable; a grammar-defined one names the
        # operations of the builtins it has (turbopascal, qbasic) or none yet (lua)
        if definition.keyword_level:
            assert runnable, definition.id
        assert all(b.implements in OPERATIONS for b in runnable), definition.id


def implements(definition: LanguageDefinition, name: str) -> str | None:
    """The operation the builtin ``name`` implements (the builtin must exist)."""
    builtin = definition.builtin(name)
    assert builtin is not None, name
    return builtin.implements


def test_bundled_output_builtins() -> None:
    by_id = {d.id: d for d in all_bundled()}
    assert implements(by_id["pascal"], "writeln") == "write_line"
    assert implements(by_id["teachlang"], "show") == "print_line"
    assert implements(by_id["pascal"], "ReadLn") is None  # not runnable


def test_unknown_operation_is_a_warning_at_its_place() -> None:
    text = ("name: X\nid: x\nbuiltins:\n"
            "  - {name: say, implements: shout}\n"
            "  - {name: put, implements: print_line}\n")
    definition, problems = load_definition_text(text)
    assert definition is not None
    assert [(p.severity, p.line, p.path) for p in problems] == [
        ("warning", 4, "builtins.0.implements")]
    assert "shout" in problems[0].message
    assert implements(definition, "say") is None
    assert implements(definition, "put") == "print_line"


def test_parsercraft_renamed_builtins_keep_their_meaning() -> None:
    text = ("name: T\nversion: '1'\nkeywords: {if: when}\nfunctions:\n"
            "  print: {new_name: say, min_args: 0, max_args: -1}\n"
            "  len: {name: LEN, min_args: 1, max_args: 1}\n"
            "  shuffle: {new_name: mix}\n")
    definition, problems = load_definition_text(text)
    assert definition is not None, problems
    assert implements(definition, "say") == "print_line"
    assert implements(definition, "LEN") == "length"
    assert implements(definition, "mix") is None



def test_protocol_methods_name_operations() -> None:
    text = ("name: X\nid: x\nprotocols:\n  Text:\n    methods:\n"
            "      trim: {implements: strip, params: []}\n"
            "      shout: {implements: yell, params: []}\n")
    definition, problems = load_definition_text(text)
    assert definition is not None
    methods = {m.name: m.implements for m in definition.protocols[0].members}
    assert methods == {"trim": "strip", "shout": None}
    assert [(p.severity, p.path) for p in problems] == [
        ("warning", "protocols.Text.methods.shout.implements")]
