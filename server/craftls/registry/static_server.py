"""``craftls registry serve``: a loopback static file server for a built registry.

Unlike plain ``python -m http.server`` it sends an ETag (so clients can revalidate
with If-None-Match), binds 127.0.0.1 by default and logs through ``logging``.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger(__name__)


def file_etag(path: Path) -> str:
    """A strong-enough validator from size and mtime (the files are immutable once built)."""
    st = path.stat()
    return f'"{st.st_size:x}-{st.st_mtime_ns:x}"'


class RegistryRequestHandler(SimpleHTTPRequestHandler):
    """Serves files under ``directory``; adds ETag / If-None-Match support and keep-alive
    (HTTP/1.1: every answer carries Content-Length)."""

    protocol_version = "HTTP/1.1"
    _etag: str | None = None
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".json": "application/json", ".gz": "application/gzip"}

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_file():
            etag = file_etag(path)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            self._etag = etag
        return super().send_head()

    def end_headers(self) -> None:
        etag = getattr(self, "_etag", None)
        if etag:
            self.send_header("ETag", etag)
            self._etag = None
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.debug("registry serve: %s", format % args)


class RegistryHTTPServer(ThreadingHTTPServer):
    """The stdlib server with a listen backlog that survives a burst of parallel
    downloads (the default of 5 drops SYNs, costing clients seconds of retransmits)."""

    request_queue_size = 256
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        log.debug("registry serve: client %s went away", client_address, exc_info=True)


def make_server(root: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Create (not start) the server; ``port=0`` picks a free port."""
    if not (root / "index.json").is_file():
        raise FileNotFoundError(f"{root} has no index.json; run `craftls registry build` first")
    handler = partial(RegistryRequestHandler, directory=os.fspath(root))
    return RegistryHTTPServer((host, port), handler)


def serve_in_thread(root: Path, host: str = "127.0.0.1", port: int = 0
                    ) -> tuple[ThreadingHTTPServer, str]:
    """Start a server on a daemon thread; returns it and its ``index.json`` URL."""
    server = make_server(root, host, port)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, server_url(server)


def server_url(server: ThreadingHTTPServer) -> str:
    """The ``index.json`` URL a running server answers on."""
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/index.json"
