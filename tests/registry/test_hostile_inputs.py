"""Generated craft.toml, craft.lock, index documents and package manifests (valid,
mutated, hostile) through ``lock``, ``install`` and the server's package service:
no traceback, nothing read or written outside the cache and the workspace, and no
credentials to a host the user did not configure. Loopback only."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.registry.errors import RegistryError
from craftls.registry.service import RegistryService

from .conftest import FaultServer
from .test_install_cli import cli

TOKEN = "hypothesis-secret"
PKG = "/packages/mathlib.json"
EVIL = "/archives/evil.tar.gz"


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
hostile_paths = st.sampled_from(["../../victim", "{box}/victim", "/etc/passwd", "",
                                 "{box}/victim/../victim", "A" * 64, "a" * 63])
manifests = st.one_of(
    st.just('[package]\nname = "mathlib"\nversion = "2.0.0"\n'),
    st.builds(lambda n, v: f'[package]\nname = "{n}"\nversion = "{v}"\n',
              st.sampled_from(["mathlib", "other", "BAD NAME"]),
              st.sampled_from(["2.0.0", "9.9", "x.y"])),
    texts)
archives = st.one_of(
    st.builds(lambda m: _tar({"craft-package.toml": m.encode()}), manifests),
    st.builds(lambda m, p: _tar({"craft-package.toml": m.encode(), p: b"pwned"}),
              manifests, st.sampled_from(["../../pwned.txt", "/tmp/pwned-abs.txt",
                                          "src/../../pwned.txt"])),
    st.binary(max_size=64))


@st.composite
def scenarios(draw):
    """One attempt at the client: what craft.toml, craft.lock and the index say."""
    archive = draw(archives)
    good_sha = hashlib.sha256(archive).hexdigest()
    sha = draw(st.one_of(st.just(good_sha), hostile_paths, texts))
    version = draw(st.sampled_from(["2.0.0", "2.0.0", "x.y", "", "1!2"]))
    index_url = draw(st.sampled_from(["{base}" + EVIL, EVIL.lstrip("/"), "{other}" + EVIL,
                                      "file://{box}/victim.tar.gz", "ftp://127.0.0.1/x",
                                      "http://127.0.0.1:99999/x", "{box}/victim"]))
    document = draw(st.sampled_from(["index", "bom", "utf16", "garbage", "truncated"]))
    lock_mode = draw(st.sampled_from(["none", "valid", "mutated"]))
    lock_source = draw(st.sampled_from(["{url}", "{other_url}", "bundled",
                                        "file://{box}/", "{url}"]))
    lock_url = draw(st.sampled_from(["{base}" + EVIL, "{other}" + EVIL,
                                     "file://{box}/victim.tar.gz", "../../victim"]))
    registry = draw(st.sampled_from(['"{url}"', '"{url}", "{box}/nowhere"',
                                     '"ftp://127.0.0.1/r/"', '"{url}"']))
    requirement = draw(st.sampled_from(['">=1"', '"*"', '">>2"', '"==2.0.0"', "1"]))
    extra = draw(st.sampled_from(["", "[settings]\nregistryRequestTimeout = 5\n",
                                  "[settings]\nbogus = true\n", "[registry\n"]))
    how = draw(st.sampled_from(["install", "lock", "install --offline", "service"]))
    return {"archive": archive, "sha": sha, "version": version, "index_url": index_url,
            "document": document, "lock_mode": lock_mode, "lock_source": lock_source,
            "lock_url": lock_url, "registry": registry, "requirement": requirement,
            "extra": extra, "how": how}


def _index(s: dict[str, Any], fill) -> bytes:
    entry = {"version": s["version"], "sha256": fill(s["sha"]), "url": fill(s["index_url"]),
             "dependencies": {}, "size": len(s["archive"])}
    text = json.dumps({"format": 1, "name": "mathlib", "description": "",
                       "versions": [entry]})
    return {"index": text.encode(), "bom": b"\xef\xbb\xbf" + text.encode(),
            "utf16": text.encode("utf-16"), "garbage": b"\x00\xff{" + text.encode()[:20],
            "truncated": text.encode()[: len(text) // 2]}[s["document"]]


def _snapshot(box: Path, skip: tuple[Path, ...]) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for path in sorted(box.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        out[path.relative_to(box).as_posix()] = path.read_bytes() if path.is_file() else None
    return out


@pytest.fixture
def servers(tmp_path):
    root = tmp_path / "served"
    (root / "archives").mkdir(parents=True)
    (root / "index.json").write_text('{"format": 1, "packages": "packages.json"}')
    (root / "packages.json").write_text('{"format": 1, "packages": []}')
    main, other = FaultServer(root), FaultServer(root)
    yield root, main, other
    main.close()
    other.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(s=scenarios())
def test_hostile_inputs_never_escape_crash_or_leak(tmp_path, servers, monkeypatch, capsys, s):
    monkeypatch.setenv("CRAFTLS_REGISTRY_TOKEN", TOKEN)
    served, main, other = servers
    box = Path(tempfile.mkdtemp(dir=tmp_path, prefix="box-"))
    (box / "victim").mkdir()
    (box / "victim" / "keep.txt").write_text("mine")
    (box / "victim.tar.gz").write_bytes(b"mine too")
    ws, cache = box / "ws", box / "cache"
    ws.mkdir()

    def fill(text: str) -> str:
        return (text.replace("{base}", main.base).replace("{other}", other.base)
                .replace("{url}", main.url).replace("{other_url}", other.url)
                .replace("{box}", str(box)))

    (served / EVIL.lstrip("/")).write_bytes(s["archive"])
    (served / PKG.lstrip("/")).parent.mkdir(exist_ok=True)
    (served / PKG.lstrip("/")).write_bytes(_index(s, fill))
    (ws / "craft.toml").write_text(fill(f"[registry]\nurls = [{s['registry']}]\n\n"
                                        f"[dependencies]\nmathlib = {s['requirement']}\n"
                                        f"{s['extra']}"))
    if s["lock_mode"] != "none":
        source = main.url if s["lock_mode"] == "valid" else fill(s["lock_source"])
        url = main.base + EVIL if s["lock_mode"] == "valid" else fill(s["lock_url"])
        sha = hashlib.sha256(s["archive"]).hexdigest() if s["lock_mode"] == "valid" \
            else fill(s["sha"])
        (ws / "craft.lock").write_text(
            f'version = 1\n\n[requirements]\nmathlib = {json.dumps(s["requirement"])}\n\n'
            f'[[package]]\nname = "mathlib"\nversion = "2.0.0"\nsha256 = {json.dumps(sha)}\n'
            f'source = {json.dumps(source)}\nurl = {json.dumps(url)}\nlanguage = ""\n'
            'dependencies = []\n')
    before = _snapshot(box, (ws, cache))
    main.log.clear()
    other.log.clear()
    capsys.readouterr()

    if s["how"] == "service":
        async def run() -> None:
            service = RegistryService.for_workspace(ws, config_overrides={
                "cache_dir": cache, "max_attempts": 1})
            try:
                await service.install(ws)
            except (RegistryError, OSError):
                pass
            finally:
                await service.aclose()
        asyncio.run(run())
    else:
        command, *flags = s["how"].split()
        code = cli(command, "--workspace", str(ws), "--cache-dir", str(cache), *flags)
        assert code in (0, 1)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert _snapshot(box, (ws, cache)) == before  # nothing outside written or removed
    copied = [p for p in cache.rglob("*") if p.is_file() and p.read_bytes() == b"mine too"]
    assert copied == []  # nothing outside was read into the cache
    assert not list(tmp_path.rglob("pwned*.txt")) and not Path("/tmp/pwned-abs.txt").exists()
    assert all("Authorization" not in h for _p, h, _s in other.log)  # never configured
    assert TOKEN not in err
