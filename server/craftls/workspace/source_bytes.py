"""A source file's bytes as text and back, for the command line and the workspace index
(editors send decoded text). UTF-8 is the default; a file that starts with a UTF-16 or
UTF-32 byte-order mark (Windows editors save BASIC and Pascal sources so) is read in that
encoding and written back in it, mark included. Python's codecs do the decoding; this
module only picks the codec from the mark and remembers it. Pure: no I/O."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# UTF-32's marks first: UTF-32 LE's begins with UTF-16 LE's
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
          (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # the codec the text came from (without its mark)
    mark: bytes = b""  # the byte-order mark the file began with, written back
    exact: bool = True  # False: bytes that are not text in the encoding were replaced

    def encode(self, text: str) -> bytes:
        """``text`` (this file's, changed) as the file held it: same encoding and mark."""
        return self.mark + text.encode(self.encoding)


def decode_source(data: bytes) -> SourceText:
    """The text of a file's bytes: in the encoding its byte-order mark names, else UTF-8;
    undecodable bytes are replaced (``exact`` False: writing it back would lose them).
    A UTF-8 mark stays in the text, as the editors keep it."""
    for mark, encoding in _MARKS:
        if data.startswith(mark):
            return _decoded(data[len(mark):], encoding, mark)
    return _decoded(data, "utf-8", b"")


def _decoded(data: bytes, encoding: str, mark: bytes) -> SourceText:
    try:
        return SourceText(data.decode(encoding), encoding, mark)
    except UnicodeDecodeError:
        return SourceText(data.decode(encoding, errors="replace"), encoding, mark, exact=False)
