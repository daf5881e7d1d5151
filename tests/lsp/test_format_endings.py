"""Formatting over the wire keeps the document's line breaks, and range / on-type
formatting works when only another part of the file is broken. One server serves the
module (``SHARED_SERVER``, conftest.py); each test opens its documents through ``docs``."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .conftest import Opened, shared_client

SHARED_SERVER = True
client = shared_client()
OPTIONS = lsp.FormattingOptions(tab_size=2, insert_spaces=True)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_crlf_document_gets_crlf_edits(client: LanguageClient, docs: Opened) -> None:
    text = "PROGRAM F;\r\nVAR x : INTEGER;\r\nBEGIN\r\nx:=1;\r\n  WriteLn(x)\r\nEND.\r\n"
    uri = docs.open(text, "crlf.pas")
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), options=OPTIONS))
    assert edits and [e.new_text for e in edits] == ["  x := 1;\r\n"]
    assert edits[0].range.start == lsp.Position(line=3, character=0)
    assert edits[0].range.end == lsp.Position(line=4, character=0)


@pytest.mark.asyncio(loop_scope="module")
async def test_range_formatting_with_an_error_elsewhere(client: LanguageClient,
                                                        docs: Opened) -> None:
    text = ("PROGRAM F;\nVAR x : INTEGER;\nPROCEDURE Broken;\nBEGIN\n  x := (1 +\nEND;\n"
            "PROCEDURE Fine;\nBEGIN\nx:=2\nEND;\nBEGIN\n  Fine\nEND.\n")
    uri = docs.open(text, "range_error.pas")
    doc = lsp.TextDocumentIdentifier(uri=uri)
    whole = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        text_document=doc, options=OPTIONS))
    assert whole is None  # the file has a syntax error: not formatted as a whole
    ranged = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(text_document=doc, options=OPTIONS, range=lsp.Range(
            start=lsp.Position(line=8, character=0), end=lsp.Position(line=8, character=4))))
    assert ranged and [e.new_text for e in ranged] == ["  x := 2\n"]
    typed = await client.text_document_on_type_formatting_async(
        lsp.DocumentOnTypeFormattingParams(text_document=doc, options=OPTIONS, ch="\n",
                                           position=lsp.Position(line=9, character=0)))
    assert typed and [e.new_text for e in typed] == ["  x := 2\n"]
    broken_range = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(text_document=doc, options=OPTIONS, range=lsp.Range(
            start=lsp.Position(line=4, character=0), end=lsp.Position(line=4, character=4))))
    assert broken_range is None  # the range itself is broken: declined, silently
