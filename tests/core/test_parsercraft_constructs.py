"""Constructs ParserCraft configs rename that need a parser of their own: ``class`` (a
type whose methods are its members) and ``lambda`` (parameters seen only in its body)."""

from __future__ import annotations

from pathlib import Path

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.formatting import format_text
from craftls.language.loader import load_definition
from craftls.semantics.model import SymbolKind
from craftls.syntax import kinds as K
from craftls.syntax.parse import parse

CONFIGS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "parsercraft-configs"

BLUEPRINT = '''blueprint Greeter:
    def __init__(self, name):
        self.name = name
    def hello(self, times: int) -> str:
        return self.name * times

g = Greeter("ann")
shout = lambda text, mark="!": text + mark
print(shout(g.hello(2)))
'''


def messages(config: str, text: str) -> list[str]:
    analysis = analyze_with_types(parse(load_definition(CONFIGS / config), text), None)
    return [f"{d.severity}: {d.message}" for d in analysis.diagnostics if d.severity != "hint"]


def test_a_renamed_class_is_a_type_whose_methods_are_members() -> None:
    parsed = parse(load_definition(CONFIGS / "demo_python_custom.yaml"), BLUEPRINT)
    assert parsed.root.child_of_kind(K.CLASS_DECL) is not None
    analysis = analyze_with_types(parsed, None)
    assert [d.message for d in analysis.diagnostics if d.severity != "hint"] == []
    greeter = next(s for s in analysis.model.symbols if s.name == "Greeter")
    assert greeter.kind == SymbolKind.TYPE
    assert [m.name for m in greeter.params] == ["__init__", "hello"]
    # the class's type has the methods, the receiver dropped: hello(times: int) -> str
    report = analysis.types
    assert report is not None
    found = report.type_at(BLUEPRINT.index("g.hello") + 1)
    assert found is not None
    members = {m.name: report.display(m.type) for m in report.members_of(found.type)}
    assert set(members) == {"__init__", "hello"}
    assert "int" in members["hello"] and "str" in members["hello"]
    text = BLUEPRINT + "g.he\n"
    candidates, _ = complete(analyze_with_types(parse(parsed.definition, text), None), len(text) - 1)
    assert [(c.label, c.kind) for c in candidates] == [("hello", "function")]


def test_a_method_call_is_type_checked_without_its_receiver() -> None:
    text = BLUEPRINT + 'g.hello("twice")\n'
    assert messages("demo_python_custom.yaml", text) == [
        "error: Argument 1 of 'g.hello' (times): expected int, found str"]


def test_lambda_parameters_are_seen_only_in_its_body() -> None:
    text = "twice = lambda n: n * 2\nprint(twice(2), n)\n"
    assert messages("python_like.yaml", text) == ["warning: undefined name 'n'"]


def test_a_class_in_a_keyword_terminated_config_ends_with_end() -> None:
    ok = "class Counter\n  def bump(x)\n    return x + 1\n  end\nend\nputs(Counter)\n"
    assert messages("ruby_like.yaml", ok) == []
    assert messages("ruby_like.yaml", ok.replace("end\nputs", "puts")) == [
        "error: expected 'end' to close 'class'"]


def test_classes_and_lambdas_format_idempotently() -> None:
    definition = load_definition(CONFIGS / "demo_python_custom.yaml")
    messy = BLUEPRINT.replace("lambda text, mark=\"!\": text + mark",
                              "lambda  text,mark=\"!\": text+mark").replace(
        "        return self.name", "        return  self.name")
    once = format_text(parse(definition, messy))
    assert 'shout = lambda text, mark="!": text + mark' in once
    assert "\n        return self.name * times\n" in once
    assert format_text(parse(definition, once)) == once
