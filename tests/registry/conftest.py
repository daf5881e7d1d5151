"""Fixtures: a real loopback HTTP server that injects faults, synthetic registries and
a fake clock. Nothing here contacts anything but 127.0.0.1."""

from __future__ import annotations

import gzip
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from craftls.registry.builder import build_registry
from craftls.registry.client import RegistryClient
from craftls.registry.config import RegistryConfig
from craftls.registry.static_server import RegistryHTTPServer, RegistryRequestHandler
from craftls.registry.timing import FakeTiming


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user cache or a developer's token."""
    monkeypatch.setenv("CRAFTLS_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.delenv("CRAFTLS_REGISTRY_TOKEN", raising=False)


@dataclass
class Fault:
    """What the server does instead of (or before) serving the file."""

    # status | sleep | truncate | gzip (header only) | compress (really gzipped) |
    # body | drip (``body`` or the file, ``chunk`` bytes every ``seconds``) |
    # huge (``size`` bytes of ``body`` repeated, streamed without Content-Length)
    kind: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    body: bytes = b""
    chunk: int = 1
    size: int = 0


class FaultServer:
    """ThreadingHTTPServer rooted at a folder; per-path fault queues; request log."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.hits: dict[str, int] = defaultdict(int)
        self.log: list[tuple[str, dict[str, str], int]] = []
        self.lock = threading.Lock()
        self.closing = threading.Event()
        owner = self

        class Handler(RegistryRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=os.fspath(owner.root), **kwargs)

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                with owner.lock:
                    owner.hits[path] += 1
                    queue = owner.faults.get(path)
                    fault = queue.pop(0) if queue else None
                owner.apply(self, path, fault)

            def send_response(self, code: int, message: str | None = None) -> None:
                # logged before any byte is sent, so a test reading the log after its
                # response arrived never races the server thread
                with owner.lock:
                    owner.log.append((self.path.split("?")[0], dict(self.headers), code))
                super().send_response(code, message)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = RegistryHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)
        self.thread.start()
        host, port = self.httpd.server_address[:2]
        assert isinstance(host, str)
        self.base = f"http://{host}:{port}"
        self.url = f"{self.base}/index.json"

    def add(self, path: str, *faults: Fault) -> None:
        with self.lock:
            self.faults[path].extend(faults)

    def apply(self, handler: RegistryRequestHandler, path: str, fault: Fault | None) -> None:
        if fault is None or fault.kind == "sleep":
            if fault is not None:
                time.sleep(fault.seconds)
            self.serve_file(handler)
            return
        if fault.kind == "status":
            handler.send_response(fault.status)
            for k, v in fault.headers.items():
                handler.send_header(k, v)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if fault.kind == "huge":
            self.stream_huge(handler, fault)
            return
        data = fault.body or (self.root / path.lstrip("/")).read_bytes()
        if fault.kind == "compress":
            data = gzip.compress(data)
        handler.send_response(fault.status)
        for k, v in fault.headers.items():
            handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(data)))
        if fault.kind in ("gzip", "compress"):
            handler.send_header("Content-Encoding", "gzip")
        handler.end_headers()
        if fault.kind == "drip":
            self.drip(handler, data, fault)
            return
        if fault.kind == "truncate":
            handler.wfile.write(data[: len(data) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(data)

    def drip(self, handler: RegistryRequestHandler, data: bytes, fault: Fault) -> None:
        """A slow server: ``chunk`` bytes, then ``seconds`` of silence, until closed."""
        try:
            for start in range(0, len(data), fault.chunk):
                if self.closing.wait(fault.seconds):
                    return
                handler.wfile.write(data[start:start + fault.chunk])
                handler.wfile.flush()
        except OSError:  # the client gave up: that is what the test wants
            pass

    @staticmethod
    def stream_huge(handler: RegistryRequestHandler, fault: Fault) -> None:
        """``size`` bytes of ``body`` repeated, chunked (no Content-Length to refuse)."""
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        block = (fault.body or b"x") * max(1, 65536 // max(1, len(fault.body or b"x")))
        sent = 0
        try:
            while sent < fault.size:
                part = block[: fault.size - sent]
                handler.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                sent += len(part)
            handler.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        handler.close_connection = True

    @staticmethod
    def serve_file(handler: RegistryRequestHandler) -> None:
        RegistryRequestHandler.do_GET(handler)

    def statuses(self, path: str) -> list[int]:
        return [s for p, _h, s in self.log if p == path]

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def write_package(src: Path, name: str, version: str, deps: dict[str, str] | None = None,
                  language: str = "pascal", module: str | None = None,
                  extra: str = "") -> Path:
    """Create a small package folder under ``src``."""
    folder = src / name / version
    (folder / "src").mkdir(parents=True, exist_ok=True)
    module = module or name.capitalize()
    lines = ["[package]", f'name = "{name}"', f'version = "{version}"',
             f'description = "{name} test package"', f'language = "{language}"',
             f'exports = ["{module}"]', extra, "", "[dependencies]"]
    lines += [f'{k} = "{v}"' for k, v in (deps or {}).items()]
    (folder / "craft-package.toml").write_text("\n".join(lines) + "\n")
    (folder / "src" / f"{module}.pas").write_text(
        f"MODULE {module};\nFUNCTION Id(x : INTEGER) : INTEGER;\nBEGIN\n  Id := x\nEND;\nEND.\n")
    return folder


@pytest.fixture
def registry_dir(tmp_path: Path) -> Path:
    """A built registry: mathlib 1.0/2.0, strutils 1.0 (mathlib<2) and 1.1 (mathlib>=2)."""
    src = tmp_path / "src"
    write_package(src, "mathlib", "1.0.0", module="MathLib")
    write_package(src, "mathlib", "2.0.0", module="MathLib")
    write_package(src, "strutils", "1.0.0", {"mathlib": ">=1,<2"}, module="StrUtils")
    write_package(src, "strutils", "1.1.0", {"mathlib": ">=2"}, module="StrUtils")
    out = tmp_path / "registry"
    build_registry(src, out)
    return out


@pytest.fixture
def server(registry_dir: Path) -> Iterator[FaultServer]:
    srv = FaultServer(registry_dir)
    yield srv
    srv.close()


@pytest.fixture
def fake() -> FakeTiming:
    return FakeTiming()


@pytest.fixture
def make_client(tmp_path: Path, fake: FakeTiming):
    """Factory for clients with fast settings, a fake clock and a test cache dir."""
    clients: list[RegistryClient] = []

    def make(listener: Any = None, **overrides: Any) -> RegistryClient:
        settings: dict[str, Any] = {"cache_dir": tmp_path / "cache", "token": None,
                                    "read_timeout": 2.0, "connect_timeout": 2.0}
        settings.update(overrides)
        client = RegistryClient(RegistryConfig(**settings), timing=fake.timing(),
                                breaker_listener=listener)
        clients.append(client)
        return client

    return make
