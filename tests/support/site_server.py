"""A built site folder -> an HTTP server on 127.0.0.1 that serves it under a sub-path, as GitHub Pages does.

GitHub Pages rules copied here: ``/<prefix>/dir/`` serves ``dir/index.html``; ``/<prefix>/dir`` redirects
(301) to ``/<prefix>/dir/``; any missing path at any depth gets the site's ``404.html`` body with status 404.
Paths outside the prefix belong to another site: a bare 404 that is not ours.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# mimetypes depends on the host's /etc/mime.types; pin what the site and Pagefind ship.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".csv": "text/csv; charset=utf-8",
    ".bib": "text/plain; charset=utf-8",
    ".ris": "text/plain; charset=utf-8",
}
HOST = "127.0.0.1"
OUTSIDE_BODY = b"404: outside the site's sub-path (on GitHub Pages this is another site)\n"


def content_type(path: Path) -> str:
    """The Content-Type header for a file, by its suffix."""
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class SubPathServer(ThreadingHTTPServer):
    """Serves ``root`` at ``http://127.0.0.1:<free port><prefix>``; the folder may be filled after binding."""

    daemon_threads = True

    def __init__(self, root: Path, prefix: str) -> None:
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefix must start and end with '/', got {prefix!r}")
        self.root = root
        self.prefix = prefix
        super().__init__((HOST, 0), SubPathHandler)  # port 0: the system picks a free one

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}{self.prefix}"

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that aborts a request mid-response is normal, not a test failure.
        return None


class SubPathHandler(BaseHTTPRequestHandler):
    """GET and HEAD with GitHub Pages' lookup rules; everything else is 405."""

    server: SubPathServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        return None  # keep test output readable

    def _respond(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        prefix = self.server.prefix
        if path == prefix.rstrip("/"):
            return self._redirect(prefix)
        if not path.startswith(prefix):
            return self._send(404, "text/plain; charset=utf-8", OUTSIDE_BODY, send_body)
        target = self._lookup(path[len(prefix) :])
        if target is None:
            return self._not_found(send_body)
        if target.is_dir():
            return self._redirect(path + "/")
        return self._send(200, content_type(target), target.read_bytes(), send_body)

    def _lookup(self, rel: str) -> Path | None:
        """The file (or folder needing a slash) for a path inside the site; None when missing."""
        clean = posixpath.normpath("/" + rel).lstrip("/")
        if clean.startswith(".."):
            return None
        target = self.server.root / clean if clean not in ("", ".") else self.server.root
        if rel.endswith("/") or rel == "":
            index = target / "index.html"
            return index if index.is_file() else None
        if target.is_file() or target.is_dir():
            return target
        return None

    def _not_found(self, send_body: bool) -> None:
        page = self.server.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"404\n"
        self._send(404, "text/html; charset=utf-8", body, send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, kind: str, body: bytes, send_body: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away; nothing to report


@contextmanager
def running(server: SubPathServer) -> Iterator[SubPathServer]:
    """Serve in a background thread for the duration of the block, then shut down and close the socket."""
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
