"""Refactoring code actions through the real protocol, once per client profile:
extract variable/function, inline variable and the declare-variable quick fix, with
versioned documentChanges for clients that take them and `context.only` filtering."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from craftls.language.catalog import bundled
from craftls.semantics.diagnostics import analyze_file
from craftls.syntax.parse import parse

from .conftest import plain, shared_client

# each test opens documents of its own: one server per profile serves them all
SHARED_SERVER = True
client = shared_client()

ROOT = Path(__file__).resolve().parents[2]
CURLY = """fn score(n: int, k: int) -> int {
    let s: int = n * k;
    let t: int = s + 1;
    return t * 2;
}

fn main() {
    print(score(2, 3));
}
"""
TEACH = "remember a = 2\nb = a * 3\nshow(b)\n"


def open_doc(client: LanguageClient, text: str, name: str, language_id: str,
             version: int = 1) -> str:
    uri = (ROOT / "examples" / language_id / name).as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id=language_id, version=version,
                                           text=text)))
    return uri


def position_of(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


def range_of(text: str, needle: str, empty: bool = False) -> lsp.Range:
    start = text.index(needle)
    end = start if empty else start + len(needle)
    return lsp.Range(start=position_of(text, start), end=position_of(text, end))


async def actions_for(client: LanguageClient, uri: str, text: str, needle: str,
                      only: list[lsp.CodeActionKind] | None = None, empty: bool = False,
                      diagnostics: list[lsp.Diagnostic] | None = None
                      ) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=range_of(text, needle, empty),
        context=lsp.CodeActionContext(diagnostics=diagnostics or [], only=only)))
    assert result is not None
    return [a for a in result if isinstance(a, lsp.CodeAction)]


def offset_of(text: str, position: lsp.Position) -> int:
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[:position.line]) + position.character


def edits_of(client: LanguageClient, action: lsp.CodeAction, uri: str, version: int
             ) -> list[lsp.TextEdit]:
    """The action's edits, checking the form the client asked for."""
    edit = action.edit
    assert edit is not None
    caps = client.capabilities
    versioned = bool(caps and caps.workspace and caps.workspace.workspace_edit
                     and caps.workspace.workspace_edit.document_changes)
    if versioned:
        assert edit.changes is None and edit.document_changes is not None
        change = edit.document_changes[0]
        assert isinstance(change, lsp.TextDocumentEdit)
        assert change.text_document.uri == uri and change.text_document.version == version
        return [e for e in change.edits if isinstance(e, lsp.TextEdit)]
    assert edit.document_changes is None and edit.changes is not None
    return list(edit.changes[uri])


def applied(text: str, edits: list[lsp.TextEdit]) -> str:
    spans = sorted(((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@pytest.mark.asyncio(loop_scope="module")
async def test_server_advertises_refactoring_kinds(client: LanguageClient) -> None:
    provider = client.server_capabilities.code_action_provider  # type: ignore[attr-defined]
    assert isinstance(provider, lsp.CodeActionOptions)
    kinds = set(provider.code_action_kinds or [])
    assert {lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorExtract,
            lsp.CodeActionKind.RefactorInline} <= kinds


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_extract_variable_and_function(client: LanguageClient) -> None:
    uri = open_doc(client, CURLY, "refactor.cur", "curly", version=3)
    actions = await actions_for(client, uri, CURLY, "n * k")
    variable = next(a for a in actions if a.title == "Extract to variable 'value'")
    assert variable.kind == lsp.CodeActionKind.RefactorExtract
    result = applied(CURLY, edits_of(client, variable, uri, 3))
    assert "    let value: int = n * k;\n    let s: int = value;\n" in result
    selected = "let s: int = n * k;\n    let t: int = s + 1;"
    actions = await actions_for(client, uri, CURLY, selected)
    function = next(a for a in actions if a.title == "Extract to function 'extracted'")
    result = applied(CURLY, edits_of(client, function, uri, 3))
    assert result.startswith("fn extracted(n: int, k: int) -> int {\n    let s: int = n * k;\n"
                             "    let t: int = s + 1;\n    return t;\n}\n\nfn score(")
    assert "    let t: int = extracted(n, k);\n    return t * 2;\n" in result


LUA = "local width = 3\nlocal scale = width * 2\nprint(scale + 1)\n"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_grammar_defined_language_gets_extract_and_inline_variable(
        client: LanguageClient) -> None:
    """Lua (grammar-defined) through the protocol: the edits are its own syntax."""
    uri = open_doc(client, LUA, "refactor.lua", "lua", version=2)
    actions = await actions_for(client, uri, LUA, "scale + 1")
    variable = next(a for a in actions if a.title == "Extract to variable 'value'")
    assert applied(LUA, edits_of(client, variable, uri, 2)).endswith(
        "local value = scale + 1\nprint(value)\n")
    actions = await actions_for(client, uri, LUA, "scale =", empty=True)
    inline = next(a for a in actions if a.title == "Inline variable 'scale'")
    assert inline.kind == lsp.CodeActionKind.RefactorInline
    assert applied(LUA, edits_of(client, inline, uri, 2)) == \
        "local width = 3\nprint((width * 2) + 1)\n"


@pytest.mark.asyncio(loop_scope="module")
async def test_an_applied_action_is_audited_when_the_client_runs_its_command(
        client: LanguageClient) -> None:
    uri = open_doc(client, CURLY, "audited.cur", "curly", version=1)
    actions = await actions_for(client, uri, CURLY, "n * k")
    variable = next(a for a in actions if a.title == "Extract to variable 'value'")
    assert variable.command is not None  # the client runs it after applying the edit
    before = plain(await client.protocol.send_request_async(
        "craftls/auditLog", {"limit": 100, "eventType": "refactor"}))
    assert not [r for r in before if r["target"] == uri]  # offering is not applying
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command=variable.command.command, arguments=variable.command.arguments))
    records = plain(await client.protocol.send_request_async(
        "craftls/auditLog", {"limit": 100, "eventType": "refactor"}))
    mine = [r for r in records if r["target"] == uri]
    assert [r["action"] for r in mine] == ["refactor.extract"]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_only_filters_by_kind(client: LanguageClient) -> None:
    uri = open_doc(client, CURLY, "inline.cur", "curly")
    inline = await actions_for(client, uri, CURLY, "t * 2", empty=True,
                               only=[lsp.CodeActionKind.RefactorInline])
    assert [a.title for a in inline] == ["Inline variable 't'"]
    result = applied(CURLY, edits_of(client, inline[0], uri, 1))
    assert "    return (s + 1) * 2;\n" in result and "let t" not in result
    broad = await actions_for(client, uri, CURLY, "n * k", only=[lsp.CodeActionKind.Refactor])
    assert {a.kind for a in broad} == {lsp.CodeActionKind.RefactorExtract}
    fixes = await actions_for(client, uri, CURLY, "n * k", only=[lsp.CodeActionKind.QuickFix])
    assert fixes == []


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_declare_variable_quick_fix_and_did_you_mean(client: LanguageClient) -> None:
    text = TEACH + "show(aa)\n"
    uri = open_doc(client, text, "declare.teach", "teachlang")
    actions = await actions_for(client, uri, text, "b = a", only=[lsp.CodeActionKind.QuickFix])
    declare = next(a for a in actions if a.title == "Declare variable 'b'")
    assert declare.kind == lsp.CodeActionKind.QuickFix
    result = applied(text, edits_of(client, declare, uri, 1))
    assert result.startswith("remember a = 2\nremember b = a * 3\nshow(b)\n")
    typo = await actions_for(client, uri, text, "aa)", only=[lsp.CodeActionKind.QuickFix])
    assert [a.title for a in typo] == ["Change to 'a'"]


PASCAL = "program p;\n\nprocedure Show(n: integer);\nbegin\n  total := n * 2;\n" \
    "  writeln(total)\nend;\n\nbegin\n  Show(3)\nend.\n"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_grammar_defined_language_gets_the_declare_variable_quick_fix(
        client: LanguageClient) -> None:
    """Turbo Pascal (grammar-defined) through the protocol: a var section for the routine,
    typed by the assigned value; the result parses clean and has the name declared."""
    uri = open_doc(client, PASCAL, "declare.pas", "turbopascal", version=3)
    actions = await actions_for(client, uri, PASCAL, "total :=",
                                only=[lsp.CodeActionKind.QuickFix])
    declare = next(a for a in actions if a.title == "Declare variable 'total'")
    result = applied(PASCAL, edits_of(client, declare, uri, 3))
    assert "procedure Show(n: integer);\nvar\n  total: integer;\nbegin\n" in result
    after = analyze_file(parse(bundled("turbopascal"), result))
    assert after.parsed.errors == []
    assert [d for d in after.diagnostics if d.code == "undefined-name"] == []


LUA_FUNCTION = "local function area(w, h)\n  local s = w * h\n  print(s)\n  return s + 1\n" \
    "end\nprint(area(2, 3))\n"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_grammar_defined_language_gets_extract_function(client: LanguageClient) -> None:
    """Lua (grammar-defined) through the protocol: a local function above the one the
    statements were in, the local read after them returned; the result parses clean."""
    uri = open_doc(client, LUA_FUNCTION, "extract.lua", "lua", version=4)
    actions = await actions_for(client, uri, LUA_FUNCTION, "local s = w * h\n  print(s)",
                                only=[lsp.CodeActionKind.RefactorExtract])
    function = next(a for a in actions if a.title == "Extract to function 'extracted'")
    result = applied(LUA_FUNCTION, edits_of(client, function, uri, 4))
    assert result == "local function extracted(w, h)\n  local s = w * h\n  print(s)\n" \
        "  return s\nend\n\nlocal function area(w, h)\n  local s = extracted(w, h)\n" \
        "  return s + 1\nend\nprint(area(2, 3))\n"
    after = analyze_file(parse(bundled("lua"), result))
    assert after.parsed.errors == []
    assert [d for d in after.diagnostics if d.severity != "hint"] == []


@pytest.mark.asyncio(loop_scope="module")
async def test_nothing_is_offered_where_nothing_applies(client: LanguageClient) -> None:
    uri = open_doc(client, CURLY, "nothing.cur", "curly")
    assert await actions_for(client, uri, CURLY, "* k") == []
    assert await actions_for(client, uri, CURLY, "fn main", empty=True) == []
