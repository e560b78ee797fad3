"""`build.py serve`: GitHub Pages-like answers under the sub-path, live rebuilds, errors kept visible."""

from __future__ import annotations

import shutil
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from support.serve_process import running_serve

from briefing.pipeline import Options, open_store
from briefing.serve import Live, answer, handler_for, rebuild

ROOT = Path(__file__).resolve().parents[2]
VALIYEV = "valiyev-russian-peacekeepers-in-karabakh"


@pytest.fixture
def live(tmp_path: Path) -> Live:
    site = tmp_path / "site"
    (site / "actors" / "turkey").mkdir(parents=True)
    (site / "index.html").write_bytes(b"<h1>home</h1>")
    (site / "404.html").write_bytes(b"<h1>not found</h1>")
    (site / "actors" / "turkey" / "index.html").write_bytes(b"<h1>Turkey</h1>")
    (site / "feed.xml").write_bytes(b"<feed/>")
    state = Live(site)
    state.succeeded("https://example.github.io/briefings-site/")
    return state


def test_root_redirects_to_the_sub_path(live: Live) -> None:
    reply = answer(live, "/")
    assert (reply.status, reply.location) == (302, "/briefings-site/")
    assert answer(live, "/briefings-site").location == "/briefings-site/"


def test_pages_are_served_under_the_sub_path(live: Live) -> None:
    assert answer(live, "/briefings-site/").body == b"<h1>home</h1>"
    assert answer(live, "/briefings-site/actors/turkey/").body == b"<h1>Turkey</h1>"
    assert answer(live, "/briefings-site/actors/turkey/index.html?x=1").body == b"<h1>Turkey</h1>"
    feed = answer(live, "/briefings-site/feed.xml")
    assert (feed.status, feed.content_type) == (200, "application/xml")


def test_a_folder_without_its_slash_redirects(live: Live) -> None:
    reply = answer(live, "/briefings-site/actors/turkey")
    assert (reply.status, reply.location) == (301, "/briefings-site/actors/turkey/")


@pytest.mark.parametrize("path", ["/briefings-site/nope/", "/elsewhere/", "/briefings-site/../../etc/passwd",
                                  "/briefings-site/%2e%2e/%2e%2e/etc/passwd", "/index.html"])
def test_missing_paths_get_the_404_page_with_status_404(live: Live, path: str) -> None:
    reply = answer(live, path)
    assert (reply.status, reply.body) == (404, b"<h1>not found</h1>")


def test_reload_and_status_endpoints(live: Live) -> None:
    assert answer(live, "/__reload").body == b"1"
    assert answer(live, "/__status").body == b""
    live.failed("content/site.yaml:3:1: error: broken")
    assert answer(live, "/__status").body == b"content/site.yaml:3:1: error: broken"
    assert answer(live, "/__reload").body == b"1"  # a failed build does not reload the page
    assert answer(live, "/briefings-site/").body == b"<h1>home</h1>"  # the last good site stays
    live.succeeded("https://example.github.io/briefings-site/")
    assert (answer(live, "/__reload").body, answer(live, "/__status").body) == (b"2", b"")


def test_a_reload_request_waits_for_the_next_build_and_no_longer(live: Live) -> None:
    def later(change: Callable[[], None]) -> threading.Thread:
        worker = threading.Thread(target=lambda: (time.sleep(0.2), change()))
        worker.start()
        return worker

    started = time.monotonic()
    live.wait(since=0, timeout=5)  # the page saw epoch 0, the server is at 1: answers at once
    assert time.monotonic() - started < 0.1
    for change in (lambda: live.succeeded("https://example.github.io/briefings-site/"),
                   lambda: live.failed("content/site.yaml:3:1: error: broken")):
        worker, started = later(change), time.monotonic()
        live.wait(since=int(answer(live, "/__reload").body), timeout=5)
        waited = time.monotonic() - started
        worker.join()
        assert 0.15 < waited < 4  # woken by the build, not by the timeout
    started = time.monotonic()
    live.wait(since=int(answer(live, "/__reload").body), timeout=0.2)  # nothing happens: the timeout ends it
    assert 0.15 < time.monotonic() - started < 4


def test_a_build_that_changed_nothing_clears_the_error_without_reloading_pages(live: Live) -> None:
    live.failed("content/site.yaml:3:1: error: broken")
    woken = threading.Event()
    waiter = threading.Thread(target=lambda: (live.wait(since=1, timeout=5), woken.set()))
    waiter.start()
    live.succeeded("https://example.github.io/briefings-site/", changed=False)
    waiter.join()
    assert woken.is_set()  # the waiting page learns that the error is gone …
    assert (answer(live, "/__reload").body, answer(live, "/__status").body) == (b"1", b"")  # … and keeps its page


def test_the_first_good_build_opens_the_site_even_when_it_changed_nothing(tmp_path: Path) -> None:
    state = Live(tmp_path / "site")
    state.succeeded("https://example.github.io/briefings-site/", changed=False)  # the last run's site, intact
    assert answer(state, "/__reload").body == b"1"
    assert answer(state, "/").status == 302


def test_a_rebuild_with_nothing_changed_reloads_no_page_and_an_edit_does(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    options = Options(root, root / ".cache" / "serve" / "site", serve=True, search=False)
    store, state, said = open_store(options, "serve/objects"), Live(root / ".cache" / "serve" / "site"), []
    first = rebuild(options, store, state, said.append)
    assert first is not None and not first.unchanged and answer(state, "/__reload").body == b"1"
    again = rebuild(options, store, state, said.append)  # e.g. the second half of a save split in two batches
    assert again is not None and again.unchanged and answer(state, "/__reload").body == b"1"
    seed = root / "seeds" / f"{VALIYEV}.txt"
    seed.write_text(seed.read_text("utf-8").replace("Russian peacekeepers", "Zorbalux peacekeepers", 1), "utf-8")
    edited = rebuild(options, store, state, said.append)
    assert edited is not None and not edited.unchanged and answer(state, "/__reload").body == b"2"
    assert b"Zorbalux peacekeepers" in answer(state, f"/briefings-site/briefings/{VALIYEV}/").body


def test_a_page_that_leaves_while_its_reload_request_waits_is_no_error(
    live: Live, capsys: pytest.CaptureFixture[str]
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(live))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        sockets = []
        for _ in range(3):  # a reloading page drops its waiting /__reload request unanswered
            client = socket.create_connection(server.server_address[:2])
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset on close
            client.sendall(b"GET /__reload?since=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            sockets.append(client)
        time.sleep(0.2)  # the requests are parked in the server
        for client in sockets:
            client.close()
        live.succeeded("https://example.github.io/briefings-site/")  # the build lands: the answers fail to send
        time.sleep(0.3)
        assert fetch(f"http://127.0.0.1:{server.server_address[1]}/__reload") == (200, "2")  # still serving
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capsys.readouterr().err


def test_before_the_first_good_build_every_page_shows_the_error(tmp_path: Path) -> None:
    state = Live(tmp_path / "site")
    state.failed("seeds/x.txt:1:1: error: the file is empty")
    reply = answer(state, "/briefings-site/")
    assert (reply.status, reply.body) == (503, b"seeds/x.txt:1:1: error: the file is empty")


# --- the real server, in a subprocess ------------------------------------------------------------


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def poll(url: str, wanted: str, seconds: float) -> float:
    """Seconds until ``url`` contains ``wanted``; fails after ``seconds``."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if wanted in fetch(url)[1]:
            return time.perf_counter() - started
        time.sleep(0.05)  # each request takes the GIL from the rebuild a moment
    pytest.fail(f"{url} did not show {wanted!r} within {seconds} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    with running_serve(tmp_path) as running:
        yield running


@pytest.mark.slow
def test_serve_shows_an_edit_within_a_second_and_keeps_the_old_site_on_error(server: tuple[Path, str]) -> None:
    root, url = server
    assert url.endswith("/briefings-site/")  # the path of content/site.yaml's base_url
    page = f"{url}briefings/{VALIYEV}/"
    status, html = fetch(page)
    assert status == 200 and "live-reload.js" in html and "Zorbalux" not in html

    seed = root / "seeds" / f"{VALIYEV}.txt"
    text = seed.read_text("utf-8")
    seed.write_text(text.replace("Russian peacekeepers", "Zorbalux peacekeepers", 1), "utf-8")
    poll(page, "Zorbalux peacekeepers", 1.0)

    site = root / "content" / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("language: en\n", "language: en: gb\n"), "utf-8")
    line = site.read_text("utf-8").split("\n").index("language: en: gb") + 1
    poll(url.split("/briefings-site/")[0] + "/__status", f"content/site.yaml:{line}:13: error: YAML syntax error", 5.0)
    assert "Zorbalux peacekeepers" in fetch(page)[1]  # the last good build is still served
    assert fetch(url + "no/such/page/")[0] == 404
