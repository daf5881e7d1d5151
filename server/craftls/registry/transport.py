"""One HTTP (or file) GET, no policy: the bottom layer under retry, breaker and cache.

Bodies are exposed as raw bytes (``aiter_raw``): a ``.tar.gz`` labelled
``Content-Encoding: gzip`` must be hashed as sent, not transparently decompressed.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

import httpx

from .errors import FormatError, TooLarge
from .urls import file_path, is_file_url

CHUNK = 64 * 1024
T = TypeVar("T")


@dataclass
class Reply:
    """Status, headers and a raw body stream, whatever the scheme."""

    status: int
    headers: Mapping[str, str]
    chunks: AsyncIterator[bytes]

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.chunks])

    async def read_document(self, url: str, max_bytes: int) -> bytes:
        """The body decoded from ``Content-Encoding`` (gzip or deflate), read until
        ``max_bytes`` of decoded data and not a byte further (a gzip bomb stops there).

        Documents only: archives are hashed exactly as sent (see the module doc)."""
        decoder = _decoder(url, self.headers.get("Content-Encoding", ""))
        parts: list[bytes] = []
        size = 0

        def keep(piece: bytes) -> None:
            nonlocal size
            size += len(piece)
            if size > max_bytes:
                raise TooLarge(f"{url} is larger than the {max_bytes}-byte limit for "
                               "registry documents (setting registryMaxDocumentBytes); "
                               "stopped reading")
            parts.append(piece)

        async for chunk in self.chunks:
            if decoder is None:
                keep(chunk)
                continue
            data = chunk
            while data:
                keep(_inflate(url, decoder, data, max_bytes - size + 1))
                data = decoder.unconsumed_tail
        if decoder is not None:
            keep(decoder.flush())
            if not decoder.eof:
                raise FormatError(f"{url}: compressed body ends early")
        return b"".join(parts)


def _decoder(url: str, encoding: str) -> zlib._Decompress | None:
    """A streaming decoder for ``Content-Encoding``; zlib's ``wbits | 32`` accepts both
    the gzip and the zlib ("deflate") header."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)
    raise FormatError(f"{url}: unsupported Content-Encoding {encoding!r}")


def _inflate(url: str, decoder: zlib._Decompress, data: bytes, limit: int) -> bytes:
    try:
        return decoder.decompress(data, max(limit, 1))
    except zlib.error as exc:
        raise FormatError(f"{url}: body is not valid {exc}") from exc


async def _file_chunks(path: str) -> AsyncIterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
            await asyncio.sleep(0)


async def _no_chunks() -> AsyncIterator[bytes]:
    return
    yield b""  # pragma: no cover - makes this an async generator


def _file_reply(url: str, headers: Mapping[str, str]) -> Reply:
    """Serve a ``file://`` URL like a tiny HTTP server, including ETag/304."""
    path = file_path(url)
    try:
        st = path.stat()
    except FileNotFoundError:
        return Reply(404, {}, _no_chunks())
    if not path.is_file():
        return Reply(404, {}, _no_chunks())
    etag = f'W/"{st.st_size:x}-{st.st_mtime_ns:x}"'
    if headers.get("If-None-Match") == etag:
        return Reply(304, {"ETag": etag}, _no_chunks())
    return Reply(200, {"ETag": etag, "Content-Length": str(st.st_size)},
                 _file_chunks(str(path)))


async def _http_chunks(resp: httpx.Response) -> AsyncIterator[bytes]:
    async for chunk in resp.aiter_raw():
        yield chunk


class Transport:
    """Performs a single GET and hands the reply to ``consume`` while the stream is open."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    @asynccontextmanager
    async def _open(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[Reply]:
        if is_file_url(url):
            yield _file_reply(url, headers)
            return
        async with self.http.stream("GET", url, headers=dict(headers)) as resp:
            yield Reply(resp.status_code, resp.headers, _http_chunks(resp))

    async def get(self, url: str, headers: Mapping[str, str],
                  consume: Callable[[Reply], Awaitable[T]]) -> T:
        """GET ``url`` and return ``consume(reply)``; transport errors propagate as httpx's."""
        async with self._open(url, headers) as reply:
            return await consume(reply)


def make_http_client(connect_timeout: float, read_timeout: float,
                     max_connections: int = 100) -> httpx.AsyncClient:
    """An AsyncClient with explicit timeouts; TLS verification stays on (httpx default)."""
    timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
    limits = httpx.Limits(max_connections=max_connections,
                          max_keepalive_connections=max_connections)
    return httpx.AsyncClient(timeout=timeout, limits=limits, follow_redirects=True,
                             headers={"User-Agent": "craftls-registry/1"})
