"""Names a file imports one by one from a module (Modula-2's ``FROM InOut IMPORT
WriteString, WriteLn;``): a grammar writes them as ``external`` nodes beside the node
that ``imports`` the module, in the same node. When a builtin library of the module's
name (a standard module of the language) lists the name among its ``members``, a use of the name alone is that library function: hover, signature help,
argument counts and semantic tokens treat ``WriteString(s)`` as ``InOut.WriteString(s)``.
A module that is a file of the workspace needs nothing of this: its exported names are
the file's already (``features.analysis``)."""

from __future__ import annotations

from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tree import GreenNode, kind_bit
from .grammar_meaning import meanings_of


def _first_name(green: GreenNode) -> str | None:
    """The text of the first name (``NAME_REF``) directly inside ``green``."""
    name = next((c for _, _, c in green.node_children() if c.kind == K.NAME_REF), None)
    token = name.first_significant() if name is not None else None
    return token[3] if token is not None else None


def imported_library_members(parsed: ParsedFile) -> dict[str, str]:
    """Each name (folded in a case-insensitive language) an ``external`` node imports
    from a builtin library beside it, with the library's qualified name for it
    (``InOut.WriteString``); found in the green tree, entering only the subtrees that
    hold an ``imports`` node."""
    definition = parsed.definition
    meanings = meanings_of(definition)
    fold = not definition.lexical.case_sensitive
    importing = {k for k, m in meanings.items() if m.imports}
    external = {k for k, m in meanings.items() if m.external}
    if not importing or not external:
        return {}
    bits = 0
    for kind in importing:
        bits |= kind_bit(kind)
    found: dict[str, str] = {}
    stack = [parsed.root.green]
    while stack:
        green = stack.pop()
        children = [c for _, _, c in green.node_children()]
        modules = [_first_name(c) for c in children if c.kind in importing]
        if not modules:
            stack.extend(c for c in children if c.kinds & bits)
            continue
        libraries = [b for b in (definition.builtin(m) for m in modules if m) if b is not None
                     and b.members]
        for child in children:
            if child.kind not in external:
                continue
            name = _first_name(child)
            if name is None:
                continue
            for library in libraries:
                key = name.lower() if fold else name
                member = next((m for m in library.members
                               if (m.name.lower() if fold else m.name) == key), None)
                if member is not None:
                    found.setdefault(key, f"{library.name}.{member.name}")
                    break
    return found
