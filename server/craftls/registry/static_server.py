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
    """Serves files under ``directory``; adds ETag / If-None-Match support."""

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
        log.debug("registry serve: " + format, *args)


def make_server(root: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Create (not start) the server; ``port=0`` picks a free port."""
    if not (root / "index.json").is_file():
        raise FileNotFoundError(f"{root} has no index.json; run `craftls registry build` first")
    handler = partial(RegistryRequestHandler, directory=os.fspath(root))
    return ThreadingHTTPServer((host, port), handler)


def serve_in_thread(root: Path, host: str = "127.0.0.1", port: int = 0
                    ) -> tuple[ThreadingHTTPServer, str]:
    """Start a server on a daemon thread; returns it and its ``index.json`` URL."""
    server = make_server(root, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bound_host, bound_port = server.server_address[:2]
    return server, f"http://{bound_host}:{bound_port}/index.json"
