"""The project folder -> a local preview: build, serve on loopback under the site's sub-path, rebuild on change.

The site is built into ``.cache/serve/site`` (never the user's ``_site``) with the live-reload script
on every page. The server answers like GitHub Pages for a project site: pages live under the path of
the site's ``base_url`` ("/" redirects there), a folder without its slash redirects, and a missing
path gets the body of ``404.html`` with status 404. Two endpoints feed the script: ``/__reload``
(the build epoch, bumped after each good build) and ``/__status`` (the last build's error text, empty
when it succeeded). A failed rebuild keeps the last good site in place.
"""

from __future__ import annotations

import argparse
import gc
import mimetypes
import posixpath
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefing.errors import SourceError, SourceErrors
from briefing.pipeline import Options, Result, build, open_store
from briefing.store import Store

WATCHED = ("seeds", "content", "templates", "static")
RELOAD, STATUS = "/__reload", "/__status"
LONG_POLL = 20.0  # seconds a /__reload?since=N request may wait for a new build
WATCH_STEP = 10  # ms between the watcher's checks for file events (see ``watch``)


class Live:
    """What the request threads read and the builder writes: epoch, last error, where the site is."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._lock = threading.Condition()
        self._epoch = 0
        self._error = ""
        self._base_path = "/"

    def succeeded(self, base_url: str, changed: bool = True) -> None:
        """A good build: a new epoch (open pages reload) unless it ``changed`` nothing; any error is cleared.

        The first good build always starts epoch 1, which opens the site, even when it found the site
        of an earlier run of serve intact.
        """
        path = urlsplit(base_url).path or "/"
        with self._lock:
            if changed or self._epoch == 0:
                self._epoch += 1
            self._error = ""
            self._base_path = path if path.endswith("/") else path + "/"
            self._lock.notify_all()

    def failed(self, text: str) -> None:
        with self._lock:
            self._error = text
            self._lock.notify_all()

    def wait(self, since: int, timeout: float) -> None:
        """Block until the epoch differs from ``since`` or the error text changes, at most ``timeout`` s.

        The reload script's request waits here (a long poll), so a page reloads the moment a build
        lands instead of at its next poll.
        """
        with self._lock:
            error = self._error
            self._lock.wait_for(lambda: self._epoch != since or self._error != error, timeout)

    def snapshot(self) -> tuple[int, str, str]:
        """(epoch, error text, base path) read together."""
        with self._lock:
            return self._epoch, self._error, self._base_path


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def answer(live: Live, raw_path: str) -> Reply:
    """The reply for a GET of ``raw_path``: a pure function of the live state and the site folder."""
    epoch, error, base = live.snapshot()
    path = unquote(urlsplit(raw_path).path)
    if path == RELOAD:
        return Reply(200, str(epoch).encode(), "text/plain; charset=utf-8")
    if path == STATUS:
        return Reply(200, error.encode("utf-8"), "text/plain; charset=utf-8")
    if epoch == 0:  # no good build yet: there is no site, only the error
        body = (error or "building…").encode("utf-8")
        return Reply(503, body, "text/plain; charset=utf-8")
    if path in ("/", base.rstrip("/")) and path != base:
        return Reply(302, b"", location=base)
    if not path.startswith(base):
        return _not_found(live.site)
    return _file(live.site, path, path[len(base) :])


def _file(site: Path, path: str, rel: str) -> Reply:
    norm = posixpath.normpath(rel) if rel else "."
    if norm.startswith("..") or norm.startswith("/") or "\0" in norm:
        return _not_found(site)
    target = site / norm
    if target.is_dir():
        if not path.endswith("/"):
            return Reply(301, b"", location=path + "/")  # as GitHub Pages does for a folder
        target = target / "index.html"
    if not target.is_file():
        return _not_found(site)
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return Reply(200, target.read_bytes(), kind)


def _not_found(site: Path) -> Reply:
    page = site / "404.html"
    return Reply(404, page.read_bytes() if page.is_file() else b"Not found")


def handler_for(live: Live) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one ``Live`` (http.server instantiates it per request)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            since = _since(self.path)
            if since is not None:
                live.wait(since, LONG_POLL)
            self._send(answer(live, self.path), body=True)

        def do_HEAD(self) -> None:
            self._send(answer(live, self.path), body=False)

        def _send(self, reply: Reply, body: bool) -> None:
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Cache-Control", "no-store")  # a reload must show the new build
                if reply.location:
                    self.send_header("Location", reply.location)
                self.end_headers()
                if body:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the page went away (a reload drops its waiting /__reload request): nobody to answer

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per request would bury the build messages

    return Handler


def _since(raw_path: str) -> int | None:
    """The epoch a ``/__reload?since=N`` request has seen (None for any other request)."""
    parts = urlsplit(raw_path)
    if parts.path != RELOAD or not parts.query.startswith("since="):
        return None
    value = parts.query[len("since=") :]
    return int(value) if value.isdigit() else None


def error_text(exc: SourceError | SourceErrors) -> str:
    errors = exc.errors if isinstance(exc, SourceErrors) else (exc,)
    return "\n".join(str(e) for e in errors)


def rebuild(
    options: Options,
    store: Store,
    live: Live,
    say: Callable[[str], None],
    verbose: bool = False,
    templates_ready: Callable[[], None] | None = None,
) -> Result | None:
    """One build; on success bump the epoch, on failure keep the old site and publish the error."""
    started = time.perf_counter()
    try:
        result = build(options, store, templates_ready=templates_ready)
    except (SourceError, SourceErrors) as exc:
        text = error_text(exc)
        live.failed(text)
        print(text, file=sys.stderr, flush=True)
        return None
    # A build that found nothing to do (a second batch of events from one save, a file touched but
    # not changed) wrote nothing: the open pages already show it, so they are not reloaded.
    live.succeeded(result.base_url, changed=not result.unchanged)
    for w in result.warnings:
        say(w.headline())
    took = time.perf_counter() - started
    if verbose:
        say("  " + ", ".join(f"{step} {seconds:.3f} s" for step, seconds in result.steps))
    say(f"built: {result.rendered} of {result.pages} pages rendered, {len(result.warnings)} warnings, {took:.2f} s")
    return result


def serve(args: argparse.Namespace, templates_ready: Callable[[], None] | None = None) -> int:
    """``build.py serve``: returns when interrupted (Ctrl-C). ``templates_ready``: see ``pipeline.build``."""
    root: Path = args.root
    site = root / ".cache" / "serve" / "site"
    live = Live(site)
    server = ThreadingHTTPServer((args.host, args.port), handler_for(live))
    server.daemon_threads = True
    port = server.server_address[1]  # the one the system chose for --port 0
    first = Options(root, site, args.base_url, args.portable, serve=True, search=not args.no_search,
                    cache=not args.no_cache)
    later = Options(root, site, args.base_url, args.portable, serve=True, search=False, keep_search=True,
                    cache=not args.no_cache)
    store = open_store(first, "serve/objects")

    def say(line: str) -> None:
        if not args.quiet:
            print(line, flush=True)

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()  # listening at once: until the first build ends, pages answer 503 "building…"
    try:
        rebuild(first, store, live, say, args.verbose, templates_ready)
        # What the first build leaves (the cache in memory, compiled templates, the automata) lives as
        # long as serve: set it aside once, so that the rebuilds' collections do not scan it each time.
        gc.collect()
        gc.freeze()
        _, _, base = live.snapshot()
        print(f"serving http://{args.host}:{port}{base} (Ctrl-C to stop)", flush=True)
        watch(root, lambda: rebuild(later, store, live, say, args.verbose), say)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


def watch(root: Path, on_change: Callable[[], object], say: Callable[[str], None]) -> None:
    """Call ``on_change`` after every batch of changes under the watched folders (blocks)."""
    import watchfiles

    folders = [root / name for name in WATCHED if (root / name).is_dir()]
    # watchfiles checks for events every ``step`` ms and ends a batch at the first check that finds no
    # new ones, so a save is seen 1 to 2 steps after it lands: 10 to 20 ms. An editor's save (write,
    # rename, delete a backup) takes well under a step; a batch split in two rebuilds the second time
    # at the quick path's cost and reloads nothing (see ``rebuild``).
    for changes in watchfiles.watch(*folders, step=WATCH_STEP, debounce=800):
        names = sorted({Path(p).relative_to(root.absolute()).as_posix() for _, p in changes if _inside(p, root)})
        say(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
        on_change()


def _inside(path: str, root: Path) -> bool:
    try:
        Path(path).relative_to(root.absolute())
    except ValueError:
        return False
    return True
