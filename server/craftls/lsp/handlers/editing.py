"""Changing a document: formatting (whole, range, on type), rename and code actions
(quick fixes, refactorings and the package fixes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from ...features import navigation
from ...features.documents import Document
from ...features.formatting import FormatOptions, FormattingDeclined, format_edits
from ...features.host import FileEdits
from ...features.navigation import RenameRefused
from ...syntax.incremental import TextEdit
from .. import from_proto, to_proto
from ..commands import ACTION_APPLIED
from ..indexing import off_loop
from ..refusals import RequestFailed
from ..routes import document_at, request

if TYPE_CHECKING:
    from ..packages import PackageCandidates
    from ..server import CraftLanguageServer


def _format_reply(server: CraftLanguageServer, doc: Document,
                  line_range: tuple[int, int] | None,
                  result: list[TextEdit] | FormattingDeclined) -> list[lsp.TextEdit] | None:
    """The edits (or FormattingDeclined) made off the loop, as the client gets them: a
    declined whole-document request is explained in a message, a range one is silent."""
    if isinstance(result, FormattingDeclined):
        if line_range is None:
            server.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Info,
                                                             str(result)))
        return None
    server.ops.audit.record("format", "range" if line_range else "document", target=doc.uri,
                            details={"edits": len(result)})
    return to_proto.text_edits(doc.line_index, result, server.encoding)


async def _format_off_loop(server: CraftLanguageServer, uri: str,
                           options: lsp.FormattingOptions,
                           line_range: tuple[int, int] | None) -> list[lsp.TextEdit] | None:
    """Formatted on a worker thread, so it can be cancelled and never holds the loop (a
    range in a language whose check parses the whole text costs the whole file)."""
    doc = server.document(uri)
    if doc is None:
        return None
    fmt = FormatOptions(indent_width=options.tab_size, insert_spaces=options.insert_spaces)

    def work(_: Any) -> Any:
        try:
            return format_edits(doc.parsed, fmt, line_range)
        except FormattingDeclined as exc:
            return exc
    return _format_reply(server, doc, line_range, await off_loop(work))


@request(lsp.TEXT_DOCUMENT_FORMATTING, analysed=False)
async def formatting(server: CraftLanguageServer, params: lsp.DocumentFormattingParams
                     ) -> list[lsp.TextEdit] | None:
    return await _format_off_loop(server, params.text_document.uri, params.options, None)


@request(lsp.TEXT_DOCUMENT_RANGE_FORMATTING, analysed=False)
async def range_formatting(server: CraftLanguageServer,
                           params: lsp.DocumentRangeFormattingParams
                           ) -> list[lsp.TextEdit] | None:
    return await _format_off_loop(server, params.text_document.uri, params.options,
                                  (params.range.start.line, params.range.end.line))


@request(lsp.TEXT_DOCUMENT_ON_TYPE_FORMATTING, lsp.DocumentOnTypeFormattingOptions(
    first_trigger_character="\n", more_trigger_character=[";", "}"]), analysed=False)
async def on_type_formatting(server: CraftLanguageServer,
                             params: lsp.DocumentOnTypeFormattingParams
                             ) -> list[lsp.TextEdit] | None:
    line = params.position.line
    return await _format_off_loop(server, params.text_document.uri, params.options,
                                  (max(line - 1, 0), line))


@request(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(server: CraftLanguageServer, params: lsp.PrepareRenameParams
                   ) -> lsp.PrepareRenamePlaceholder | None:
    found = document_at(server, params)
    if found is None:
        return None
    doc, off = found
    try:
        span, name = navigation.prepare_rename(doc.analysis(), off)
    except RenameRefused:
        return None  # the specification's "no rename here"; rename itself says why
    return lsp.PrepareRenamePlaceholder(
        range=to_proto.to_range(doc.line_index, span.start, span.end, server.encoding),
        placeholder=name)


@request(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
async def rename(server: CraftLanguageServer, params: lsp.RenameParams
                 ) -> lsp.WorkspaceEdit | None:
    found = document_at(server, params)
    if found is None:
        return None
    doc, off = found
    try:  # importers from the workspace index (a bounded scan until it is built)
        files = await off_loop(lambda cancelled: server.session.host.rename(
            doc.uri, off, params.new_name, cancelled))
    except RenameRefused as exc:
        raise RequestFailed(str(exc)) from exc
    total = sum(len(f.edits) for f in files)
    server.ops.audit.record("refactor", "rename", target=doc.uri,
                            details={"newName": params.new_name, "edits": total,
                                     "files": len(files)})
    return to_proto.workspace_edit(files, server.encoding, server.versioned_edits())


def _kind_wanted(kind: str, only: list[str]) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


# title, kind, edits, preferred, the placeholder to fill in (a snippet's tab stop)
Proposed = tuple[str, str, tuple[TextEdit, ...], bool, tuple[int, int] | None]


def _proposed_actions(server: CraftLanguageServer, doc: Document, start: int, end: int,
                      packages_wanted: bool
                      ) -> tuple[list[Proposed], PackageCandidates | None]:
    """On a worker thread: the quick fixes and refactorings of the range, and the package
    fixes' candidates (``packages.package_candidates``: craft.toml found and read)."""
    from ...features.quickfix import quick_fixes
    from ...features.refactor import refactor_actions
    analysis = doc.analysis()
    proposed: list[Proposed] = [
        (f.title, lsp.CodeActionKind.QuickFix.value, f.edits, f.preferred, None)
        for f in quick_fixes(analysis, start, end)]
    proposed += [(a.title, a.kind, a.edits, a.preferred, a.placeholder)
                 for a in refactor_actions(analysis, start, end)]
    candidates: PackageCandidates | None = None
    if packages_wanted:
        from ..packages import package_candidates  # registry stack: loaded when needed
        candidates = package_candidates(server, doc, start, end)
    return proposed, candidates


@request(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.RefactorExtract,
                       lsp.CodeActionKind.RefactorInline]))
async def code_action(server: CraftLanguageServer, params: lsp.CodeActionParams
                      ) -> list[lsp.CodeAction]:
    """Quick fixes and refactorings for the range; each edit is versioned when the client
    takes documentChanges. Each action carries the ``craftls.actionApplied`` command,
    which the client runs after applying the edit: that is when it is audited. The
    fixes, the refactorings and the craft.toml looked for above the file (and read) are
    made on a worker thread, not the loop; the registry's part of the package fixes
    (its caches, a fetch started on a miss) on the loop."""
    found = document_at(server, params)
    if found is None:
        return []
    doc, _ = found
    enc = server.encoding
    start, end = from_proto.range_offsets(doc.line_index, params.range, enc)
    only = [str(getattr(k, "value", k)) for k in params.context.only or []]
    packages_wanted = not only or any(k == "quickfix" or "quickfix".startswith(k + ".")
                                      for k in only)
    proposed, candidates = await off_loop(
        lambda _: _proposed_actions(server, doc, start, end, packages_wanted))
    snippets = server.versioned_edits() \
        and server.client_supports("workspace.workspace_edit.snippet_edit_support")
    if packages_wanted:
        from ..packages import package_fix_actions  # registry stack: loaded when needed
        ready_made = package_fix_actions(server, doc, candidates)
    else:
        ready_made = []
    actions = []
    for title, kind, replacements, preferred, placeholder in proposed:
        if not _kind_wanted(kind, only):
            continue
        file = FileEdits(doc.uri, doc.version, doc.line_index, tuple(replacements))
        if snippets and placeholder is not None:
            edit = to_proto.snippet_workspace_edit(file, enc, placeholder)
        else:
            edit = to_proto.workspace_edit([file], enc, server.versioned_edits())
        applied = lsp.Command(title=title, command=ACTION_APPLIED, arguments=[{
            "title": title, "kind": kind, "uri": doc.uri, "edits": len(replacements)}])
        actions.append(lsp.CodeAction(title=title, kind=kind, edit=edit,
                                      is_preferred=preferred, command=applied))
    return actions + ready_made
