"""Run and generated code through the real protocol: `craftls serve` in a subprocess.

One server serves the module (``SHARED_SERVER``, conftest.py): each test opens its
documents through the ``docs`` fixture, which closes them when the test ends. (This
module was tests/codegen/test_lsp_codegen.py; here it also gets the ``protocol`` marker,
so ``make check`` leaves it out as it does every test that starts a server.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from .conftest import Opened, plain, shared_client

ROOT = Path(__file__).resolve().parents[2]
PRIMES = ROOT / "examples" / "pascal" / "primes.pas"
SHARED_SERVER = True
client = shared_client()


@pytest.mark.asyncio(loop_scope="module")
async def test_lenses_request_and_commands(client: LanguageClient, docs: Opened) -> None:
    caps = client.server_capabilities  # type: ignore[attr-defined]
    assert caps.code_lens_provider is not None
    assert {"craftls.run", "craftls.showGenerated"} <= set(caps.execute_command_provider.commands)
    uri = docs.open_file(PRIMES, "pascal")
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


@pytest.mark.asyncio(loop_scope="module")
async def test_generated_webassembly_with_its_line_map(client: LanguageClient,
                                                       docs: Opened) -> None:
    uri = docs.open_file(PRIMES, "pascal")
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


@pytest.mark.asyncio(loop_scope="module")
async def test_a_program_that_cannot_be_built_is_a_refusal(client: LanguageClient,
                                                           docs: Opened) -> None:
    uri = docs.open("PROGRAM D;\nBEGIN\n  ReadLn\nEND.\n", "dice.pas")
    with pytest.raises(JsonRpcException) as refused:
        await client.protocol.send_request_async(
            "craftls/generatedCode", {"textDocument": {"uri": uri}, "target": "c"})
    assert refused.value.code == -32803
    assert "dice.pas:3:3: error: the builtin 'ReadLn' is not runnable" in refused.value.message
    with pytest.raises(JsonRpcException) as unknown:
        await client.protocol.send_request_async(
            "craftls/generatedCode", {"textDocument": {"uri": uri}, "target": "cobol"})
    assert unknown.value.code == -32803
