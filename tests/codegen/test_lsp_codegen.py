"""Run and generated code through the real protocol: `craftls serve` in a subprocess."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
PRIMES = ROOT / "examples" / "pascal" / "primes.pas"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "craftls", "serve"]))
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: lsp.RegistrationParams) -> None:
        return None

    params = lsp.InitializeParams(
        capabilities=client_capabilities("visual_studio_code"),
        root_uri=(ROOT / "examples").as_uri(),
        client_info=lsp.ClientInfo(name="visual_studio_code"))
    result = await lsp_client.initialize_session(params)
    lsp_client.server_capabilities = result.capabilities  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
        uri=uri, language_id="pascal", version=1,
        text=path.read_text(encoding="utf-8") if text is None else text)))
    return uri


@pytest.mark.asyncio
async def test_lenses_request_and_commands(client: LanguageClient) -> None:
    caps = client.server_capabilities  # type: ignore[attr-defined]
    assert caps.code_lens_provider is not None
    assert {"craftls.run", "craftls.showGenerated"} <= set(caps.execute_command_provider.commands)
    uri = open_doc(client, PRIMES)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert lenses is not None
    assert [(lens.command.title, lens.range.start.line) for lens in lenses
            if lens.command] == [("Run", 45), ("Show C", 45),
                                 ("Show WebAssembly", 45)]  # the main BEGIN
    generated = plain(await client.protocol.send_request_async(
        "craftls/generatedCode", {"textDocument": {"uri": uri}, "target": "c"}))
    assert isinstance(generated, dict)
    assert "int main(void)" in generated["text"]
    lines = generated["text"].split("\n")
    # every mapped line follows a #line directive naming that source line
    for gen, src in generated["lineMap"]:
        assert lines[gen - 1].startswith(f"#line {src + 1} ")
    run = plain(await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="craftls.run", arguments=[uri])))
    assert run == {"exitCode": 0, "stdout": "some\nSieve: 9\n6\n", "stderr": ""}
    compiled = plain(await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="craftls.run", arguments=[uri, "wasm"])))
    assert compiled == run


@pytest.mark.asyncio
async def test_generated_webassembly_with_its_line_map(client: LanguageClient) -> None:
    uri = open_doc(client, PRIMES)
    generated = plain(await client.protocol.send_request_async(
        "craftls/generatedCode", {"textDocument": {"uri": uri}, "target": "wat"}))
    assert isinstance(generated, dict)
    assert generated["language"] == "wat"
    assert '(func $main (export "main")' in generated["text"]
    lines = generated["text"].split("\n")
    assert len(generated["lineMap"]) > 10
    # every mapped line follows a ";; @LINE:COL" mark naming that source line
    for gen, src in generated["lineMap"]:
        assert lines[gen - 1].strip().startswith(f";; @{src + 1}:")
    shown = plain(await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="craftls.showGenerated", arguments=[uri, "wat"])))
    assert shown == generated


@pytest.mark.asyncio
async def test_a_program_that_cannot_be_built_is_a_refusal(client: LanguageClient) -> None:
    uri = open_doc(client, ROOT / "examples" / "pascal" / "dice.pas",
                   "PROGRAM D;\nBEGIN\n  ReadLn\nEND.\n")
    with pytest.raises(JsonRpcException) as refused:
        await client.protocol.send_request_async(
            "craftls/generatedCode", {"textDocument": {"uri": uri}, "target": "c"})
    assert refused.value.code == -32803
    assert "dice.pas:3:3: error: the builtin 'ReadLn' is not runnable" in refused.value.message
    with pytest.raises(JsonRpcException) as unknown:
        await client.protocol.send_request_async(
            "craftls/generatedCode", {"textDocument": {"uri": uri}, "target": "cobol"})
    assert unknown.value.code == -32803
