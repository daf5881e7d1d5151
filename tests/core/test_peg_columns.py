"""The PEG engine's token columns (``PegParser``) on a text whose tokens are all
significant, and its lexical-error flag (``GreenNode``'s ``clean``: the test per token
child skipped where the parser's tokens hold no lexical error), with the interpreter
alone and with the fast path."""

from __future__ import annotations

import pytest

from craftls.language.catalog import bundled
from craftls.syntax import peg
from craftls.syntax.parse import parse
from craftls.syntax.tree import HAS_ERROR, SyntaxNode

HEAD = "PROGRAM P;\nVAR x: INTEGER;\nBEGIN\n"


def statements(count: int, blank: str) -> str:
    """``count`` assignments, separated by ``blank`` (none: every token significant)."""
    return HEAD + blank.join(f"x{blank}:={blank}x{blank}+{blank}{i};" for i in range(count)) \
        + "\nEND.\n"


def shape(node: SyntaxNode) -> list[tuple[str, int, int]]:
    return [(n.kind, n.start, n.end) for n in node.descendants()]


@pytest.mark.parametrize("fast", [False, True])
def test_a_text_with_no_blanks_parses_to_the_same_tree(
        fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # every token of the statements is significant
    monkeypatch.setattr(peg, "FAST_PATH", fast)
    definition = bundled("turbopascal")
    dense = statements(400, "")
    parsed = parse(definition, dense)
    assert parsed.errors == []
    assert parsed.root.text == dense
    spaced = parse(definition, statements(400, " "))
    assert [n.kind for n in spaced.root.descendants()] == \
        [n.kind for n in parsed.root.descendants()]


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("mistake", ["'abc", "1 & + 2"])
def test_a_lexical_error_is_found_on_every_parse_of_a_text(
        fast: bool, mistake: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the second parse finds the tokens' keys known from the first: a lexical error's
    # are never kept there, so the flag still sees it
    monkeypatch.setattr(peg, "FAST_PATH", fast)
    definition = bundled("turbopascal")
    text = HEAD + f"  x := {mistake}\nEND.\n"
    for _ in range(2):
        # the token is a child of the assignment's nodes, which hold no other error
        parsed = parse(definition, text)
        assert parsed.root.green.kinds & HAS_ERROR
        assert [e.message for e in parsed.errors] == \
            ["unterminated string" if "'" in mistake else "unexpected character"]
    clean = parse(definition, HEAD + "  x := 1 + 2\nEND.\n")
    assert clean.errors == []
    assert not clean.root.green.kinds & HAS_ERROR
