"""The line index, built from scratch or updated after an edit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from craftls.workspace.line_index import UTF8, UTF16, UTF32, LineIndex

PIECES = st.lists(st.sampled_from(["a", "é", "🙂", "\n", "\r\n", " ", "xyz\n"]), max_size=30)


@given(before=PIECES, inserted=PIECES, data=st.data())
def test_an_edited_index_equals_one_built_from_the_new_text(
        before: list[str], inserted: list[str], data: st.DataObject) -> None:
    text = "".join(before)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_text = text[:start] + "".join(inserted) + text[end:]
    edited = LineIndex(text).edited(new_text, start, end, "".join(inserted))
    assert edited.line_starts == LineIndex(new_text).line_starts
    assert edited.text == new_text


def test_positions_in_every_encoding() -> None:
    index = LineIndex("a🙂b\né\n")
    assert index.position(3, UTF32) == (0, 3)
    assert index.position(3, UTF16) == (0, 4)
    assert index.position(3, UTF8) == (0, 6)
    assert index.offset(0, 4, UTF16) == 3
    assert index.offset(1, 2, UTF8) == 5  # after the two bytes of é
    assert index.offset(9, 0) == len(index.text)
