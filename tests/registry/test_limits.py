"""Issue 14, "availability": compressed documents, size limits, deadlines, rate-limit
pauses, remembered host failures and bad version entries, against the loopback server."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib

import pytest

from craftls.registry.config import Limits
from craftls.registry.errors import FormatError, RateLimited, RegistryUnavailable, TooLarge

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


# ------------------------------------------------------------ 5. 429 pauses the queue
async def test_429_pause_delays_queued_requests_instead_of_failing_them(server,
                                                                        make_client, fake):
    server.add(PKG, Fault("status", 429, {"Retry-After": "30"}))
    notices: list[str] = []
    async with make_client(max_attempts=1) as client, \
            client.operation("test", notices.append):
        with pytest.raises(RateLimited):
            await client.package_index(server.url, "mathlib")  # its own 429, no retry
        # queued while the host is paused: waits the 30 s, then asks
        index = await client.package_index(server.url, "strutils")
    assert index.name == "strutils"
    assert fake.slept == [30.0]
    assert server.statuses("/packages/strutils.json") == [200]
    assert notices == [f"registry {server.base[7:]} asked us to wait 30 s (429); waiting"]


async def test_429_pause_past_the_operation_deadline_fails_with_the_wait(server,
                                                                         make_client, fake):
    server.add(PKG, Fault("status", 429, {"Retry-After": "30"}))
    async with make_client(max_attempts=1) as client, client.operation("t", seconds=20):
        with pytest.raises(RateLimited):
            await client.package_index(server.url, "mathlib")
        with pytest.raises(RateLimited, match="wait 30 s"):
            await client.package_index(server.url, "strutils")
    assert fake.slept == [] and server.hits["/packages/strutils.json"] == 0


def test_cli_prints_the_rate_limit_wait_on_stderr(tmp_path, server, capsys):
    from .test_install_cli import cli, workspace
    server.add(PKG, Fault("status", 429, {"Retry-After": "1"}))
    root = workspace(tmp_path, 'mathlib = ">=1"', f'"{server.url}"')
    assert cli("lock", "--workspace", str(root), "--cache-dir", str(tmp_path / "c")) == 0
    err = capsys.readouterr().err
    assert err.count("asked us to wait 1 s (429); waiting") == 1


# ------------------------------------------------------------------ 6. deadlines
async def test_dripping_server_hits_the_request_deadline(server, make_client):
    server.add(PKG, Fault("drip", seconds=0.2))
    async with make_client(request_timeout=0.5, max_attempts=1) as client:
        with pytest.raises(RegistryUnavailable, match="no complete answer within 0.5 s"):
            await asyncio.wait_for(client.package_index(server.url, "mathlib"), 10)


async def test_operation_deadline_bounds_everything_inside(server, make_client):
    server.add(PKG, *[Fault("drip", seconds=0.2)] * 4)
    async with make_client(request_timeout=60) as client:
        with pytest.raises(RegistryUnavailable, match="did not finish within 1 s"):
            async with client.operation("looking up mathlib", seconds=1):
                await asyncio.wait_for(client.package_index(server.url, "mathlib"), 10)


# ------------------------------------------------- 7. long waits, remembered failures
async def test_retry_after_3600_fails_fast_with_the_hint(server, make_client, fake):
    server.add(PKG, Fault("status", 503, {"Retry-After": "3600"}))
    async with make_client() as client:
        with pytest.raises(RegistryUnavailable, match="asks us to retry in 3600 s"):
            await client.package_index(server.url, "mathlib")
    assert fake.slept == [] and server.hits[PKG] == 1


async def test_short_retry_after_is_announced(server, make_client, fake):
    server.add(PKG, Fault("status", 503, {"Retry-After": "7"}))
    notices: list[str] = []
    async with make_client() as client, client.operation("t", notices.append):
        await client.package_index(server.url, "mathlib")
    assert fake.slept == [7.0]
    assert notices == [f"registry {server.base[7:]} asked us to wait 7 s (503); waiting"]


async def test_a_dead_host_is_remembered_for_the_run(server, make_client, fake):
    async with make_client() as client:
        await client.package_index(server.url, "mathlib")
        await client.package_index(server.url, "strutils")
    server.close()  # the port now refuses connections
    async with make_client(remember_failures=True) as client:
        first = await client.package_document(server.url, "mathlib")
        waits = len(fake.slept)
        second = await client.package_document(server.url, "strutils")
        with pytest.raises(RegistryUnavailable, match="already failed in this run"):
            await client.package_index(server.url, "nosuch")
    assert first.stale and second.stale
    assert waits == 3 and len(fake.slept) == waits  # the second cost no attempt


# ----------------------------------------------------------- 8. one bad version entry
@pytest.mark.parametrize("bad", [{"version": "2.x"}, {"sha256": "abc123"},
                                 {"sha256": "../../x"}, {"dependencies": [1]}])
async def test_one_invalid_version_entry_is_skipped_and_reported(server, make_client,
                                                                 registry_dir, bad):
    path = registry_dir / "packages" / "mathlib.json"
    data = json.loads(path.read_text())
    data["versions"][1].update(bad)  # 2.0.0 goes bad, 1.0.0 stays usable
    server.add(PKG, Fault("body", body=json.dumps(data).encode()))
    notices: list[str] = []
    async with make_client() as client, client.operation("t", notices.append):
        index = await client.package_index(server.url, "mathlib")
    assert [str(v.version) for v in index.versions] == ["1.0.0"]
    assert len(notices) == 1 and "entry skipped" in notices[0]
    assert "mathlib.json" in notices[0] and "mathlib version entry 2" in notices[0]
