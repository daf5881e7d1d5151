"""Issue 14, "availability": compressed documents, size limits, deadlines, rate-limit
pauses, remembered host failures and bad version entries, against the loopback server."""

from __future__ import annotations

import gzip
import zlib

import pytest

from craftls.registry.config import Limits
from craftls.registry.errors import FormatError, TooLarge

from .conftest import Fault

PKG = "/packages/mathlib.json"


# ------------------------------------------------------------ 4. compressed documents
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_compressed_json_is_decoded(server, make_client, registry_dir, encoding):
    raw = (registry_dir / "packages" / "mathlib.json").read_bytes()
    body = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    server.add(PKG, Fault("body", body=body, headers={"Content-Encoding": encoding}))
    async with make_client() as client:
        index = await client.package_index(server.url, "mathlib")
    assert [str(v.version) for v in index.versions] == ["1.0.0", "2.0.0"]
    sent = [h for p, h, _s in server.log if p == PKG][0]
    assert "gzip" in sent["Accept-Encoding"]


async def test_archive_stays_byte_exact_when_documents_are_compressed(server, make_client):
    server.add(PKG, Fault("compress"))
    async with make_client() as client:
        entry = (await client.package_index(server.url, "mathlib")).get("2.0.0")
        path = await client.fetch_archive(server.url, entry)  # sha256 of the raw bytes
    assert path.is_file()
    sent = [h for p, h, _s in server.log if p == "/" + entry.url][0]
    assert sent["Accept-Encoding"] == "identity"


async def test_broken_compressed_body_is_a_format_error(server, make_client):
    server.add(PKG, Fault("body", body=b"\x1f\x8b\x08garbage",
                          headers={"Content-Encoding": "gzip"}))
    async with make_client() as client:
        with pytest.raises(FormatError, match="mathlib.json"):
            await client.package_index(server.url, "mathlib")


# ------------------------------------------------------------------ 6. size limits
async def test_huge_document_stops_at_the_limit(server, make_client):
    server.add(PKG, Fault("huge", size=50 * 1024 * 1024, body=b" "))
    async with make_client(limits=Limits(max_document_bytes=1024 * 1024)) as client:
        with pytest.raises(TooLarge, match="1048576-byte limit"):
            await client.package_index(server.url, "mathlib")


async def test_gzip_bomb_stops_at_the_limit(server, make_client):
    bomb = gzip.compress(b" " * (64 * 1024 * 1024))  # ~64 KB on the wire
    server.add(PKG, Fault("body", body=bomb, headers={"Content-Encoding": "gzip"}))
    async with make_client(limits=Limits(max_document_bytes=1024 * 1024)) as client:
        with pytest.raises(TooLarge):
            await client.package_index(server.url, "mathlib")
