"""The globals a host gives a file and the members the definition lists for them
(``structure.host_globals``: ``love``, ``love.graphics``, ``vim.api``, ``ngx.req``), as
they are written at a place of the file: what completion offers after ``love.graphics.``
and what hover shows at ``print`` of ``love.graphics.print``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..language.model import HostGlobals
from ..semantics.diagnostics import FileAnalysis


@dataclass(frozen=True)
class HostMember:
    """A host's global or one of its listed members written at a place: ``path`` its
    dotted path (``love.graphics.print``), ``table`` whether the definition lists members
    of it in turn, ``description`` what the host's ``descriptions`` say of it ('' none)."""

    host: HostGlobals
    path: str
    table: bool
    description: str


def written_path(analysis: FileAnalysis, dot: int) -> str | None:
    """The dotted path of names written right before ``dot`` (``vim.api`` before its
    ``.``), blanks taken out, or None."""
    identifier = analysis.parsed.definition.lexical.identifier
    written = re.search(r"(?<![\w.:])((?:" + identifier + r")(?:\s*\.\s*(?:" + identifier
                        + r"))*)\s*$", analysis.parsed.text[max(0, dot - 200):dot])
    return re.sub(r"\s+", "", written.group(1)) if written is not None else None


def the_global(analysis: FileAnalysis, name: str, at: int) -> bool:
    """Is ``name`` at ``at`` the global itself: no declaration of the file binds it there,
    or a local copies it (``local ngx = ngx``)?"""
    model = analysis.model
    symbol = model.scope_at(at).lookup(model.key(name))
    if symbol is None:
        return True
    assignment = re.escape(analysis.parsed.definition.structure.assignment)
    return re.match(r"\s*" + assignment + r"\s*" + re.escape(name) + r"(?![\w.:\[(])",
                    analysis.parsed.text[symbol.end:symbol.end + 100]) is not None


def host_member_at(analysis: FileAnalysis, offset: int) -> tuple[int, int, HostMember] | None:
    """(start, end, the member) when the name at ``offset`` is a host's global the file
    knows (``love``) or a member the definition lists for the path before it
    (``graphics`` or ``print`` of ``love.graphics.print``; the global may be a local copy
    of it, ``local ngx = ngx``)."""
    if not analysis.host_globals:
        return None
    token = analysis.parsed.root.token_at(offset)
    definition = analysis.parsed.definition
    if token is None or not re.fullmatch(definition.lexical.identifier, token.text):
        return None
    dot = re.search(r"\.\s*$", analysis.parsed.text[max(0, token.start - 100):token.start])
    owner = written_path(analysis, token.start - len(dot.group())) if dot is not None else ""
    if owner is None:
        return None
    path = f"{owner}.{token.text}" if owner else token.text
    head = path.split(".")[0]
    if head not in analysis.host_globals or not the_global(analysis, head, token.start):
        return None
    for host in definition.structure.host_globals:
        if head not in host.names:
            continue
        listed = dict(host.members)
        if owner and token.text not in listed.get(owner, ()):
            continue
        return token.start, token.end, HostMember(host, path, path in listed,
                                                  dict(host.descriptions).get(path, ""))
    return None
