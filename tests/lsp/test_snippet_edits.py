"""A client that takes snippet edits (`workspace.workspaceEdit.snippetEditSupport`,
LSP 3.18) gets the declare-variable quick fix's placeholder type as a tab stop to type
over, when the use does not tell the type; other clients get plain text (the
`test_refactor_actions` profiles, none of which takes snippets)."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .conftest import shared_client
from .test_refactor_actions import actions_for, open_doc, position_of

SHARED_SERVER = True


def snippet_edits(capabilities: lsp.ClientCapabilities) -> None:
    assert capabilities.workspace is not None
    assert capabilities.workspace.workspace_edit is not None
    capabilities.workspace.workspace_edit.snippet_edit_support = True


client = shared_client(snippet_edits)

PASCAL = "program p;\nvar\n  count: integer;\nbegin\n  count := 1;\n  total := count + 1;\n" \
    "  writeln(width, total)\nend.\n"


@pytest.mark.asyncio(loop_scope="module")
async def test_the_placeholder_type_is_a_tab_stop(client: LanguageClient) -> None:
    uri = open_doc(client, PASCAL, "snippet.pas", "turbopascal", version=5)
    actions = await actions_for(client, uri, PASCAL, "width",
                                only=[lsp.CodeActionKind.QuickFix])
    declare = next(a for a in actions if a.title.startswith("Declare variable 'width'"))
    assert declare.edit is not None and declare.edit.document_changes is not None
    change = declare.edit.document_changes[0]
    assert isinstance(change, lsp.TextDocumentEdit) and change.text_document.version == 5
    [edit] = change.edits
    assert isinstance(edit, lsp.SnippetTextEdit)
    assert edit.snippet.value == "\n  width: ${1:Integer};"
    end_of_count = PASCAL.index("count: integer;") + len("count: integer;")
    at = position_of(PASCAL, end_of_count)
    assert edit.range == lsp.Range(start=at, end=at)
    # a type the use tells is plain text, with no tab stop
    typed = await actions_for(client, uri, PASCAL, "total :=", only=[lsp.CodeActionKind.QuickFix])
    declare = next(a for a in typed if a.title == "Declare variable 'total'")
    assert declare.edit is not None and declare.edit.document_changes is not None
    change = declare.edit.document_changes[0]
    assert isinstance(change, lsp.TextDocumentEdit)
    [plain] = change.edits
    assert isinstance(plain, lsp.TextEdit) and not isinstance(plain, lsp.SnippetTextEdit)
    assert plain.new_text == "\n  total: integer;"
