"""End-to-end tests through the real protocol: `craftls serve` in a subprocess,
driven by pytest-lsp once per client profile (VS Code, Neovim 0.11, Emacs eglot).

One server per profile serves the whole module: each test opens its documents under
URIs of its own (`conftest.Opened`, the ``docs`` fixture) and closes them when it ends, waiting
until the server holds no document, so no test sees another's documents, diagnostics
or versions."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .conftest import Opened, plain, shared_client

SHARED_SERVER = True
client = shared_client()

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "pascal" / "primes.pas"
BROKEN = """PROGRAM Broken;
VAR
  Count, Unused : INTEGER;
BEGIN
  Count := 1;
  WriteLn(Cont);
  WriteLn(Count)
END.
"""


def uses_pull(client: LanguageClient) -> bool:
    caps = client.capabilities
    return bool(caps and caps.text_document and caps.text_document.diagnostic)


async def diagnostics_for(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    if uses_pull(client):
        report = await client.text_document_diagnostic_async(lsp.DocumentDiagnosticParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri)))
        assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)  # no result id sent
        return list(report.items)
    for _ in range(100):
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.05)
    raise AssertionError("no diagnostics published")


def text_edits(edits: Sequence[object]) -> list[lsp.TextEdit]:
    """A workspace edit's edits of one document, which craftls sends as text edits
    (annotated or not, never snippets)."""
    found = [e for e in edits if isinstance(e, lsp.TextEdit)]
    assert len(found) == len(edits), edits
    return found


def position_of(text: str, needle: str, delta: int = 0) -> lsp.Position:
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_diagnostics(client: LanguageClient, docs: Opened) -> None:
    uri = docs.open(BROKEN, "diagnostics.pas")
    found = {(d.code, d.severity) for d in await diagnostics_for(client, uri)}
    assert ("undefined-name", lsp.DiagnosticSeverity.Warning) in found
    assert ("unused-variable", lsp.DiagnosticSeverity.Hint) in found


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_hover_definition_references(client: LanguageClient, docs: Opened) -> None:
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes_navigation.pas")
    pos = position_of(text, "Inc(Count)", 4)
    result = await client.text_document_completion_async(lsp.CompletionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos))
    assert isinstance(result, lsp.CompletionList)
    labels = [item.label for item in result.items]
    assert "Count" in labels and "IsPrime" in labels and "WriteLn" in labels
    # an argument: the keywords an operand starts with, no statement's
    assert "NOT" in labels and "WHILE" not in labels
    writeln = next(item for item in result.items if item.label == "WriteLn")
    assert writeln.documentation is None  # it comes with completionItem/resolve
    resolved = await client.completion_item_resolve_async(writeln)
    documentation = resolved.documentation
    if isinstance(documentation, lsp.MarkupContent):  # for clients that render Markdown
        documentation = documentation.value
    assert documentation is not None and documentation.strip()
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "IsPrime(I)", 2)))
    assert hover is not None and "IsPrime" in hover.contents.value  # type: ignore[union-attr]
    definition = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "IsPrime(I)", 2)))
    assert isinstance(definition, lsp.Location)
    assert definition.range.start == position_of(text, "IsPrime(N")
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "Count :=", 0),
        context=lsp.ReferenceContext(include_declaration=True)))
    assert refs is not None and len(refs) >= 5


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_rename_and_refusals(client: LanguageClient, docs: Opened) -> None:
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes_rename.pas")
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "Count := 0"), new_name="Total"))
    assert edit is not None
    if edit.document_changes:
        edits = text_edits(edit.document_changes[0].edits)  # type: ignore[union-attr]
    else:
        edits = text_edits(edit.changes[uri])  # type: ignore[index]
    assert len(edits) == text.count("Count")
    assert all(e.new_text == "Total" for e in edits)
    with pytest.raises(Exception, match="keyword"):
        await client.text_document_rename_async(lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=position_of(text, "WHILE"), new_name="Loop"))


@pytest.mark.asyncio(loop_scope="module")
async def test_formatting_returns_minimal_edits(client: LanguageClient, docs: Opened) -> None:
    text = "PROGRAM F;\nVAR x : INTEGER;\nBEGIN\nx:=1;\n  WriteLn(x)\nEND.\n"
    uri = docs.open(text, "fmt.pas")
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits
    assert any(e.new_text == "  x := 1;\n" for e in edits)
    assert all(e.range.start.line >= 1 for e in edits)  # the header line is untouched


@pytest.mark.asyncio(loop_scope="module")
async def test_range_and_on_type_formatting_edit_around_their_lines(
        client: LanguageClient, docs: Opened) -> None:
    """A run of consecutive changed lines is one edit: a range gets the runs that touch
    it (here `x:=1;` and `y:=2;` together), and lines away from it stay as they are."""
    text = ("PROGRAM F;\nVAR x, y : INTEGER;\nBEGIN\nx:=1;\ny:=2;\n  WriteLn(x)\nEND.\n"
            "PROCEDURE Far;\nBEGIN\nx:=3\nEND;\n")
    uri = docs.open(text, "fmt_range.pas")
    doc = lsp.TextDocumentIdentifier(uri=uri)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    ranged = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(text_document=doc, options=options, range=lsp.Range(
            start=lsp.Position(line=4, character=0), end=lsp.Position(line=4, character=5))))
    assert ranged and all(e.range.start.line >= 3 and e.range.end.line <= 5 for e in ranged)
    assert "".join(e.new_text for e in ranged) == "  x := 1;\n  y := 2;\n"
    typed = await client.text_document_on_type_formatting_async(
        lsp.DocumentOnTypeFormattingParams(text_document=doc, options=options, ch="\n",
                                           position=lsp.Position(line=4, character=0)))
    assert typed and all(e.range.end.line <= 5 for e in typed)  # not `x:=3` in Far
    assert "x := 1;" in "".join(e.new_text for e in typed)


@pytest.mark.asyncio(loop_scope="module")
async def test_symbols_and_folding(client: LanguageClient, docs: Opened) -> None:
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes_symbols.pas")
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    names = [s.name for s in symbols or []]
    assert {"IsPrime", "Report", "Gcd", "Flags"} <= set(names)
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert folds and any(f.end_line - f.start_line >= 5 for f in folds)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_incremental_edits_and_utf16_positions(client: LanguageClient, docs: Opened) -> None:
    text = "PROGRAM U;\nVAR s : STRING;\nBEGIN\n  s := '🙂 año';\n  WriteLn(s)\nEND.\n"
    uri = docs.open(text, "utf.pas")
    # insert a statement after the emoji string, using the client's position encoding
    line = 3
    col = len("  s := '🙂 año';".encode("utf-16-le")) // 2
    caps = client.capabilities
    encodings = (caps.general.position_encodings if caps and caps.general else None) or []
    if encodings and encodings[0] == lsp.PositionEncodingKind.Utf8:
        col = len("  s := '🙂 año';".encode())
    elif encodings and encodings[0] == lsp.PositionEncodingKind.Utf32:
        col = len("  s := '🙂 año';")
    await diagnostics_for(client, uri)
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=line, character=col),
                            end=lsp.Position(line=line, character=col)),
            text=" WriteLn(Missing);")]))
    diags = await diagnostics_for(client, uri)
    undefined = [d for d in diags if d.code == "undefined-name"]
    assert len(undefined) == 1
    assert undefined[0].range.start.line == line


@pytest.mark.asyncio(loop_scope="module")
async def test_health_request(client: LanguageClient, docs: Opened) -> None:
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes_health.pas")
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "IsPrime(I)", 2)))
    assert hover is not None
    health = plain(await client.protocol.send_request_async("craftls/health", {}))
    status = health["status"]
    assert status in ("healthy", "degraded")
    assert {"syntax", "types", "lsp", "memory", "cache"} <= set(health["services"])
    assert health["services"]["types"]["status"] == "healthy"


@pytest.mark.asyncio(loop_scope="module")
async def test_stats_audit_and_configuration(client: LanguageClient, docs: Opened) -> None:
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes_stats.pas")
    await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "Count := 0"), new_name="Tally"))
    records = plain(await client.protocol.send_request_async(
        "craftls/auditLog", {"limit": 50, "eventType": "refactor"}))
    assert any(r["action"] == "rename" and r["target"] == uri for r in records)
    stats = plain(await client.protocol.send_request_async("craftls/stats", {}))
    assert any(entry["count"] >= 1 for entry in stats["latency"].values())
    assert {"errors", "circuitBreakers", "rateLimiters", "caches", "gc"} <= set(stats)
    assert stats["caches"]["names"]["size"] >= 1  # the document's items, kept for reuse
    # the session's module resolver and the process's memo tables, with the others
    assert {"import_folders", "import_manifests", "installed_packages", "module_exports",
            "lexer_tables", "parser_tables", "type_names"} <= set(stats["caches"])
    assert {"idleCollections", "lastCollectionMs", "frozenObjects"} <= set(stats["gc"])
    health = plain(await client.protocol.send_request_async(
        "craftls/health", {"service": "syntax", "historyLimit": 5}))
    assert health["services"]["syntax"]["status"] == "healthy"
    assert 1 <= len(health["history"]) <= 5


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.every_client
async def test_rename_reaches_files_that_import_the_module(client: LanguageClient, docs: Opened) -> None:
    stats = ROOT / "examples" / "curly" / "stats.cur"
    report = ROOT / "examples" / "curly" / "report.cur"
    text = stats.read_text()
    uri = docs.open_file(stats, "curly")
    edit = await client.text_document_rename_async(lsp.RenameParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "fn mean", 3), new_name="average"))
    assert edit is not None
    if edit.document_changes:
        files = {c.text_document.uri: c.edits for c in edit.document_changes}  # type: ignore[union-attr]
    else:
        files = dict(edit.changes or {})
    assert report.as_uri() in files
    report_text = report.read_text()
    assert len(files[report.as_uri()]) == report_text.count("stats.mean")


@pytest.mark.asyncio(loop_scope="module")
async def test_semantic_tokens_full_and_delta(client: LanguageClient, docs: Opened) -> None:
    caps = client.capabilities
    if not (caps and caps.text_document and caps.text_document.semantic_tokens):
        return  # this client (eglot) never asks for semantic tokens
    text = SAMPLE.read_text()
    uri = docs.open(text, "primes_tokens.pas")
    full = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert full is not None and len(full.data) % 5 == 0 and len(full.data) > 500
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=0, character=0),
                            end=lsp.Position(line=0, character=0)), text="// note\n")]))
    delta = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=lsp.TextDocumentIdentifier(uri=uri),
                                      previous_result_id=full.result_id or ""))
    assert isinstance(delta, lsp.SemanticTokensDelta) and len(delta.edits) == 1
    edit = delta.edits[0]
    patched = list(full.data)
    patched[edit.start:edit.start + edit.delete_count] = list(edit.data or [])
    fresh = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert fresh is not None and patched == list(fresh.data)
    assert len(fresh.data) == len(full.data) + 5  # exactly one more token: the comment


@pytest.mark.asyncio(loop_scope="module")
async def test_definition_jumps_into_an_installed_package(client: LanguageClient, docs: Opened) -> None:
    sample = ROOT / "examples" / "pascal" / "matrix.pas"
    text = sample.read_text()
    uri = docs.open_file(sample, "pascal")
    location = await client.text_document_definition_async(lsp.DefinitionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        position=position_of(text, "MathLib.", len("MathLib.") + 1)))
    assert isinstance(location, lsp.Location)
    assert location.uri.endswith("MathLib.pas") and location.uri != uri
    package_text = Path(location.uri.removeprefix("file://")).read_text()
    name = text[text.index("MathLib.") + len("MathLib."):].split("(")[0]
    line = package_text.splitlines()[location.range.start.line]
    assert line[location.range.start.character:].startswith(name)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_metacommand_marker_triggers_completion_only_where_one_goes(
        client: LanguageClient, docs: Opened) -> None:
    """`$` is a trigger character (the bundled definitions' metacommand markers): typed
    after a comment's opening (`'$`) it offers QuickBASIC's metacommands; typed as a
    name's type mark (`a$`) it offers nothing."""
    caps = client.server_capabilities  # type: ignore[attr-defined]
    assert "$" in caps.completion_provider.trigger_characters
    text = "'$\na$ = \"x\"\n"
    uri = docs.open(text, "meta_trigger.bi")
    await diagnostics_for(client, uri)

    async def labels(line: int, character: int) -> list[str]:
        result = await client.text_document_completion_async(lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=line, character=character),
            context=lsp.CompletionContext(trigger_kind=lsp.CompletionTriggerKind.TriggerCharacter,
                                          trigger_character="$")))
        assert isinstance(result, lsp.CompletionList)
        return [item.label for item in result.items]
    assert "DYNAMIC" in await labels(0, 2)
    assert await labels(1, 2) == []
