"""A file saved as UTF-16 or UTF-32 with a byte-order mark is read as text by the command
line and the workspace index, and `craftls format` writes it back in its own encoding; a
file that is not text in its encoding is not rewritten (its bytes would be lost)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from craftls.cli.main import main
from craftls.workspace.index import read_source
from craftls.workspace.source_bytes import decode_source

PROGRAM = "PROGRAM Hello;\r\nBEGIN\r\n  WriteLn('ñ')\r\nEND.\r\n"


@pytest.mark.parametrize(("mark", "codec"), [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_a_marked_file_reads_as_its_text_and_writes_back_as_it_was(mark: bytes,
                                                                    codec: str) -> None:
    data = mark + PROGRAM.encode(codec)
    source = decode_source(data)
    assert (source.text, source.encoding, source.exact) == (PROGRAM, codec, True)
    assert source.encode(source.text) == data


def test_utf8_is_the_default_and_bad_bytes_are_marked_inexact() -> None:
    assert decode_source(PROGRAM.encode()).encoding == "utf-8"
    broken = decode_source(b"PROGRAM \x81;\n")
    assert not broken.exact and "\ufffd" in broken.text


def test_check_and_index_read_a_utf16_file(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hello.pas"
    path.write_bytes(PROGRAM.encode("utf-16"))
    assert main(["check", str(path)]) == 0
    assert "0 errors" in capsys.readouterr().err
    read = read_source(path)
    assert read is not None and read[0] == PROGRAM.replace("\r\n", "\n")


def test_format_keeps_the_encoding_and_refuses_undecodable_bytes(tmp_path: Path) -> None:
    marked = tmp_path / "messy.pas"
    marked.write_bytes("program Hello;\nbegin\nwriteln('ñ')\nend.\n".encode("utf-16"))
    assert main(["format", str(marked)]) == 0
    formatted = marked.read_bytes()
    assert formatted.startswith(codecs.BOM_UTF16_LE)
    assert formatted.decode("utf-16") == "program Hello;\nbegin\n  writeln('ñ')\nend.\n"
    code_page = tmp_path / "dos.pas"
    original = b"program Hello;\nbegin\nwriteln('\x81')\nend.\n"
    code_page.write_bytes(original)
    assert main(["format", str(code_page)]) == 2
    assert code_page.read_bytes() == original
