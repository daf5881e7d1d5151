"""Reading a document: completion, hover, signature help, definition, references,
highlights, document symbols, folding, selection ranges and inlay hints."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from ...features import completion as completion_feature
from ...features import hover as hover_feature
from ...features import navigation, outline
from ...language.catalog import all_bundled, metacommand_triggers
from .. import from_proto, to_proto
from ..indexing import off_loop
from ..routes import document_at, request

if TYPE_CHECKING:
    from ..server import CraftLanguageServer


def _completion_options() -> lsp.CompletionOptions:
    """`.` (a member) and the end of each bundled language's metacommand marker (`$`:
    QBasic's `'$DYNAMIC`, Pascal's `{$MODE`)."""
    return lsp.CompletionOptions(
        trigger_characters=[".", *metacommand_triggers(all_bundled())], resolve_provider=True)


@request(lsp.TEXT_DOCUMENT_COMPLETION, _completion_options, analysed=False)
async def completion(server: CraftLanguageServer, params: lsp.CompletionParams
                     ) -> lsp.CompletionList | None:
    """From the snapshot's analysis when it is done; while it is not, from the last
    finished analysis of an earlier snapshot (issue 19, item 6: typing in a big file
    must not wait for the new snapshot's analysis), and the newer one is started."""
    found = document_at(server, params)
    if found is None:
        return None
    doc, off = found
    context = params.context
    if context is not None and context.trigger_character not in (None, ".") \
            and completion_feature.metacommand_words(doc.parsed, off) is None:
        return lsp.CompletionList(is_incomplete=False, items=[])  # a$: no metacommand
    snippets = server.client_supports(
        "text_document.completion.completion_item.snippet_support")
    stale = doc.last_analysis()
    if stale is not None and stale.steps \
            and stale.analysis.parsed.definition is doc.definition:
        if params.text_document.uri not in server.pending and not doc.analysing():
            asyncio.get_running_loop().run_in_executor(None, doc.analysis)  # the newer one
        parsed = doc.parsed
        # the methods after `M.`/`obj:` may be read from a module file or another file's
        # class (the workspace's annotated classes): on a worker thread, not the loop
        candidates, incomplete = await off_loop(
            lambda _: completion_feature.complete_from(stale, parsed, off, snippets))
    else:
        if doc.cached_analysis() is None:  # a first analysis: off the loop
            await asyncio.get_running_loop().run_in_executor(None, doc.analysis)
        analysis = doc.analysis()
        candidates, incomplete = await off_loop(
            lambda _: completion_feature.complete(analysis, off, snippets))
    return lsp.CompletionList(is_incomplete=incomplete,
                              items=[to_proto.completion_item(c) for c in candidates])


@request(lsp.COMPLETION_ITEM_RESOLVE)
def completion_resolve(server: CraftLanguageServer, item: lsp.CompletionItem
                       ) -> lsp.CompletionItem:
    data = item.data if isinstance(item.data, dict) else {}
    if data.get("doc"):
        item.documentation = to_proto.documentation(data["doc"], server.client_capability(
            "text_document.completion.completion_item.documentation_format"))
    return item


@request(lsp.TEXT_DOCUMENT_HOVER)
async def hover(server: CraftLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = document_at(server, params)
    if found is None:
        return None
    doc, off = found
    analysis = doc.analysis()
    # `obj:m` may name a function another file declares (a module file read and
    # analysed, a workspace's annotated classes found): on a worker thread, not the loop
    info = await off_loop(lambda _: hover_feature.hover(analysis, off))
    return to_proto.hover(info, doc.line_index, server.encoding) if info is not None else None


@request(lsp.TEXT_DOCUMENT_SIGNATURE_HELP,
         lsp.SignatureHelpOptions(trigger_characters=["(", ","]))
async def signature_help(server: CraftLanguageServer, params: lsp.SignatureHelpParams
                         ) -> lsp.SignatureHelp | None:
    found = document_at(server, params)
    if found is None:
        return None
    doc, off = found
    analysis = doc.analysis()
    # a method of a loaded module or of another file's class is read from its file
    info = await off_loop(lambda _: hover_feature.signature_help(analysis, off))
    return to_proto.signature_help(info) if info is not None else None


@request(lsp.TEXT_DOCUMENT_DEFINITION)
async def definition(server: CraftLanguageServer, params: lsp.DefinitionParams
                     ) -> lsp.Location | None:
    found = document_at(server, params)
    if found is None:
        return None
    doc, off = found
    encoding = server.encoding
    # another file may be read and parsed: on a worker thread (cancellable), not the loop
    target = await off_loop(lambda _: server.session.host.definition(doc.uri, off))
    return to_proto.location(target, encoding) if target is not None else None


@request(lsp.TEXT_DOCUMENT_DECLARATION)
async def declaration(server: CraftLanguageServer, params: lsp.DeclarationParams
                      ) -> lsp.Location | None:
    return await definition(server, params)  # type: ignore[arg-type]


@request(lsp.TEXT_DOCUMENT_REFERENCES)
async def references(server: CraftLanguageServer, params: lsp.ReferenceParams
                     ) -> list[lsp.Location]:
    found = document_at(server, params)
    if found is None:
        return []
    doc, off = found
    encoding = server.encoding
    # a global the workspace's files share is looked for in other files: off the loop
    spans = await off_loop(lambda cancelled: server.session.host.references(
        doc.uri, off, params.context.include_declaration, cancelled))
    return [to_proto.location(f, encoding) for f in spans]


@request(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
def document_highlight(server: CraftLanguageServer, params: lsp.DocumentHighlightParams
                       ) -> list[lsp.DocumentHighlight]:
    found = document_at(server, params)
    if found is None:
        return []
    doc, off = found
    return [to_proto.highlight(s, doc.line_index, server.encoding)
            for s in navigation.highlights(doc.analysis(), off)]


@request(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(server: CraftLanguageServer, params: lsp.DocumentSymbolParams
                    ) -> list[lsp.DocumentSymbol]:
    found = document_at(server, params)
    if found is None:
        return []
    doc, _ = found
    return [to_proto.document_symbol(i, doc.line_index, server.encoding)
            for i in outline.document_symbols(doc.analysis())]


@request(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_range(server: CraftLanguageServer, params: lsp.FoldingRangeParams
                  ) -> list[lsp.FoldingRange]:
    found = document_at(server, params)
    if found is None:
        return []
    doc, _ = found
    folds = (to_proto.folding_range(f, doc.line_index)
             for f in outline.folding_ranges(doc.analysis()))
    return [f for f in folds if f is not None]


@request(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
def selection_range(server: CraftLanguageServer, params: lsp.SelectionRangeParams
                    ) -> list[lsp.SelectionRange]:
    found = document_at(server, params)
    if found is None:
        return []
    doc, _ = found
    enc = server.encoding
    result = []
    for pos in params.positions:
        off = from_proto.offset(doc.line_index, pos, enc)
        ranges = to_proto.selection_range(outline.selection_ranges(doc.analysis(), off),
                                          doc.line_index, enc)
        if ranges is not None:
            result.append(ranges)
    return result


@request(lsp.TEXT_DOCUMENT_INLAY_HINT)
def inlay_hint(server: CraftLanguageServer, params: lsp.InlayHintParams
               ) -> list[lsp.InlayHint]:
    found = document_at(server, params)
    if found is None:
        return []
    doc, _ = found
    enc = server.encoding
    start, end = from_proto.range_offsets(doc.line_index, params.range, enc)
    return [to_proto.inlay_hint(h, doc.line_index, enc)
            for h in outline.inlay_hints(doc.analysis(), start, end, server.inlay_types)]
