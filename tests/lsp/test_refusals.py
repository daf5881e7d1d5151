"""A user's mistake is an answer: refusals are ``null`` or RequestFailed (-32803), never
InternalError (-32603), and they are neither counted as errors nor degrade health.

One server serves the module (one start instead of one per test): each test opens its
documents through the ``docs`` fixture, which closes them and waits until the server
holds none, and counts the refusals it caused as the difference from before it ran."""

from __future__ import annotations

import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .client_fixes import answer_refreshes, read_code_actions_with_commands
from .conftest import Opened, plain
from .test_protocol import position_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "pascal" / "primes.pas"
REQUEST_FAILED = -32803
# a sample with what users get wrong: a missing token, an undeclared name, a stray symbol
BROKEN = """PROGRAM Broken;
VAR
  Count, Unused : INTEGER;
BEGIN
  Count := 1 +;
  WriteLn(Cont);
  IF Count > 0 THEN WriteLn(Count) ELSE
  WHILE Count < 3 DO Count := Count + 1 @;
  WriteLn(Count)
END.
"""


@pytest_lsp.fixture(
    scope="module",
    params=["neovim@v0.11"],
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]),
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    read_code_actions_with_commands(lsp_client)
    answer_refreshes(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=(ROOT / "examples").as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=(ROOT / "examples").as_uri(),
                                               name="examples")]))
    yield
    await lsp_client.shutdown_session()


def doc_id(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


async def error_code(request: Awaitable[Any]) -> tuple[int | None, str]:
    """(the JSON-RPC error code, its message), or (None, '') for an answer; any error
    other than RequestFailed fails the test where it is collected."""
    try:
        await request
    except JsonRpcException as exc:
        return exc.code, exc.message
    return None, ""


async def refusal_counts(client: LanguageClient) -> list[int]:
    """The server's refusal count per method, in the order the methods were first
    refused (the test client turns the keys, method names, into field names _0, _1 ...)."""
    stats = plain(await client.protocol.send_request_async("craftls/stats", {}))
    return list(stats["refusals"].values())


@pytest.mark.asyncio(loop_scope="module")
async def test_prepare_rename_answers_null_and_rename_request_failed(
        client: LanguageClient, docs: Opened) -> None:
    before = await refusal_counts(client)
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes.pas")
    for needle in ("WHILE", "WriteLn", "PROGRAM"):  # a keyword, a builtin, a keyword
        where = position_of(text, needle)
        assert await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
            text_document=doc_id(uri), position=where)) is None
        code, message = await error_code(client.text_document_rename_async(lsp.RenameParams(
            text_document=doc_id(uri), position=where, new_name="Other")))
        assert code == REQUEST_FAILED, (needle, code, message)
        assert "keyword" in message or "builtin" in message
        assert "ValueError" not in message
    undeclared = "PROGRAM U;\nBEGIN\n  WriteLn(Nowhere)\nEND.\n"
    uri2 = docs.open(undeclared, "undeclared.pas")
    where = position_of(undeclared, "Nowhere")
    assert await client.text_document_prepare_rename_async(lsp.PrepareRenameParams(
        text_document=doc_id(uri2), position=where)) is None
    code, message = await error_code(client.text_document_rename_async(lsp.RenameParams(
        text_document=doc_id(uri2), position=where, new_name="Somewhere")))
    assert (code, message) == (REQUEST_FAILED, "'Nowhere' is not declared in this workspace")
    # a valid name made invalid: the new name is refused with the reason
    code, message = await error_code(client.text_document_rename_async(lsp.RenameParams(
        text_document=doc_id(uri), position=position_of(text, "Count := 0"),
        new_name="BEGIN")))
    assert code == REQUEST_FAILED and "keyword" in message

    stats = plain(await client.protocol.send_request_async("craftls/stats", {}))
    assert stats["errors"]["total"] == 0, stats["errors"]
    after = await refusal_counts(client)
    before += [0] * (len(after) - len(before))
    assert [a - b for a, b in zip(after, before, strict=True) if a != b] == [5]  # five renames
    health = plain(await client.protocol.send_request_async("craftls/health", {}))
    assert health["services"]["errors"]["status"] == "healthy"
    assert health["services"]["lsp"]["status"] == "healthy"


def tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+|[^\w\s]+", text)]


def at(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


def requests_at(uri: str, position: lsp.Position, end: lsp.Position
                ) -> list[tuple[str, Callable[[LanguageClient], Awaitable[Any]]]]:
    doc = doc_id(uri)
    selection = lsp.Range(start=position, end=end)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    return [
        ("hover", lambda c: c.text_document_hover_async(lsp.HoverParams(
            text_document=doc, position=position))),
        ("completion", lambda c: c.text_document_completion_async(lsp.CompletionParams(
            text_document=doc, position=position))),
        ("signatureHelp", lambda c: c.text_document_signature_help_async(
            lsp.SignatureHelpParams(text_document=doc, position=position))),
        ("definition", lambda c: c.text_document_definition_async(lsp.DefinitionParams(
            text_document=doc, position=position))),
        ("declaration", lambda c: c.text_document_declaration_async(lsp.DeclarationParams(
            text_document=doc, position=position))),
        ("references", lambda c: c.text_document_references_async(lsp.ReferenceParams(
            text_document=doc, position=position,
            context=lsp.ReferenceContext(include_declaration=True)))),
        ("highlight", lambda c: c.text_document_document_highlight_async(
            lsp.DocumentHighlightParams(text_document=doc, position=position))),
        ("prepareRename", lambda c: c.text_document_prepare_rename_async(
            lsp.PrepareRenameParams(text_document=doc, position=position))),
        ("rename", lambda c: c.text_document_rename_async(lsp.RenameParams(
            text_document=doc, position=position, new_name="Renamed"))),
        ("codeAction", lambda c: c.text_document_code_action_async(lsp.CodeActionParams(
            text_document=doc, range=selection,
            context=lsp.CodeActionContext(diagnostics=[])))),
        ("selectionRange", lambda c: c.text_document_selection_range_async(
            lsp.SelectionRangeParams(text_document=doc, positions=[position]))),
        ("inlayHint", lambda c: c.text_document_inlay_hint_async(lsp.InlayHintParams(
            text_document=doc, range=selection))),
        ("semanticTokensRange", lambda c: c.text_document_semantic_tokens_range_async(
            lsp.SemanticTokensRangeParams(text_document=doc, range=selection))),
        ("rangeFormatting", lambda c: c.text_document_range_formatting_async(
            lsp.DocumentRangeFormattingParams(text_document=doc, range=selection,
                                              options=options))),
        ("onTypeFormatting", lambda c: c.text_document_on_type_formatting_async(
            lsp.DocumentOnTypeFormattingParams(text_document=doc, position=position, ch=";",
                                               options=options))),
    ]


def whole_document_requests(uri: str
                            ) -> list[tuple[str, Callable[[LanguageClient], Awaitable[Any]]]]:
    doc = doc_id(uri)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    return [
        ("formatting", lambda c: c.text_document_formatting_async(
            lsp.DocumentFormattingParams(text_document=doc, options=options))),
        ("documentSymbol", lambda c: c.text_document_document_symbol_async(
            lsp.DocumentSymbolParams(text_document=doc))),
        ("foldingRange", lambda c: c.text_document_folding_range_async(
            lsp.FoldingRangeParams(text_document=doc))),
        ("semanticTokens", lambda c: c.text_document_semantic_tokens_full_async(
            lsp.SemanticTokensParams(text_document=doc))),
        ("diagnostic", lambda c: c.text_document_diagnostic_async(
            lsp.DocumentDiagnosticParams(text_document=doc))),
    ]


def broken_teachlang() -> str:
    """An indentation language's sample with a block opener and an operand missing."""
    text = (ROOT / "examples" / "teachlang" / "grades.teach").read_text()
    return text.replace("    orwhen score >= 80:", "    orwhen score >=", 1) \
        .replace("sum = sum + score", "sum = sum +", 1)


SAMPLES = {"primes.pas": lambda: SAMPLE.read_text(), "broken.pas": lambda: BROKEN,
           "broken.teach": broken_teachlang}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("name", list(SAMPLES))
async def test_no_request_over_any_token_is_an_internal_error(
        client: LanguageClient, docs: Opened, name: str) -> None:
    text = SAMPLES[name]()
    uri = docs.open(text, name)
    failures: list[str] = []
    refusals: set[str] = set()

    async def run(label: str, make: Callable[[LanguageClient], Awaitable[Any]]) -> None:
        code, message = await error_code(make(client))
        if code == REQUEST_FAILED:
            refusals.add(label)
        elif code is not None:
            failures.append(f"{label}: {code} {message}")

    for label, make in whole_document_requests(uri):
        await run(label, make)
    for start, stop in tokens(text):
        here = at(text, start)
        for label, make in requests_at(uri, here, at(text, stop)):
            await run(f"{label} at {here.line}:{here.character} {text[start:start + 12]!r}",
                      make)
    assert not failures, failures[:20]
    assert any(r.startswith("rename") for r in refusals)  # keywords were refused
    stats = plain(await client.protocol.send_request_async("craftls/stats", {}))
    assert stats["errors"]["total"] == 0, stats["errors"]
