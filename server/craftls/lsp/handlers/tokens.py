"""Semantic tokens: full, delta against the last result sent, and range. They stay out
of the latency statistics (and so of the health levels), as they always have; they only
gained the wait for a document that is opening."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ...features import semantic_tokens
from ...features.documents import Document
from .. import from_proto, to_proto
from ..routes import document_at, request

if TYPE_CHECKING:
    from ..server import CraftLanguageServer

OPTIONS = lsp.SemanticTokensRegistrationOptions(
    legend=lsp.SemanticTokensLegend(token_types=semantic_tokens.LEGEND.types,
                                    token_modifiers=semantic_tokens.LEGEND.modifiers),
    full=lsp.SemanticTokensFullDelta(delta=True), range=True)


def _encoded(server: CraftLanguageServer, doc: Document, start: int = 0,
             end: int | None = None) -> list[int]:
    tokens = semantic_tokens.classify(doc.analysis(), start, end)
    return to_proto.semantic_tokens(tokens, server.legend, doc.line_index, server.encoding)


@request(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, OPTIONS, accounted=False)
def semantic_tokens_full(server: CraftLanguageServer, params: lsp.SemanticTokensParams
                         ) -> lsp.SemanticTokens:
    found = document_at(server, params)
    if found is None:
        return lsp.SemanticTokens(data=[])
    doc, _ = found
    data = _encoded(server, doc)
    return lsp.SemanticTokens(data=data, result_id=server.remember_tokens(doc.uri, data))


@request(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, accounted=False)
def semantic_tokens_delta(server: CraftLanguageServer, params: lsp.SemanticTokensDeltaParams
                          ) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
    found = document_at(server, params)
    if found is None:
        return lsp.SemanticTokens(data=[])
    doc, _ = found
    data = _encoded(server, doc)
    previous = server.token_history.get(doc.uri)
    result_id = server.remember_tokens(doc.uri, data)
    if previous is None or previous[0] != params.previous_result_id:
        return lsp.SemanticTokens(data=data, result_id=result_id)
    return lsp.SemanticTokensDelta(edits=to_proto.semantic_tokens_edits(previous[1], data),
                                   result_id=result_id)


@request(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, accounted=False)
def semantic_tokens_range(server: CraftLanguageServer, params: lsp.SemanticTokensRangeParams
                          ) -> lsp.SemanticTokens:
    found = document_at(server, params)
    if found is None:
        return lsp.SemanticTokens(data=[])
    doc, _ = found
    start, end = from_proto.range_offsets(doc.line_index, params.range, server.encoding)
    return lsp.SemanticTokens(data=_encoded(server, doc, start, end))
