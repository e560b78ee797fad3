"""``serve`` in Chromium: an open page reloads by itself soon after a seed is saved, and shows a failed
build's error in an overlay without losing the page."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from support.serve_process import running_serve

pytestmark = pytest.mark.browser

VALIYEV = "valiyev-russian-peacekeepers-in-karabakh"
# When the page showed its first text, in ms since the epoch (Paint Timing, on the page's clock).
FIRST_PAINT = """() => performance.timeOrigin + (performance.getEntriesByName('first-contentful-paint')[0]
  || performance.getEntriesByType('navigation')[0]).startTime"""


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_an_open_page_reloads_after_an_edit_and_shows_a_failed_build(browser: Browser, tmp_path: Path) -> None:
    with running_serve(tmp_path) as (root, url):
        context = browser.new_context()
        page = context.new_page()
        try:
            with page.expect_request(lambda request: "/__reload?since=" in request.url):
                page.goto(f"{url}briefings/{VALIYEV}/")  # the script has read the epoch and now waits
            seed = root / "seeds" / f"{VALIYEV}.txt"
            text = seed.read_text("utf-8")
            assert "Zorbalux" not in page.content()
            epoch = int(fetch(f"{origin(url)}/__reload"))
            loads: list[str] = []  # every request for the page itself: one per reload
            page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)

            started, saved = time.monotonic(), time.time()
            with page.expect_request(lambda request: "/__reload?since=" in request.url):  # the new page waits
                seed.write_text(text.replace("Russian peacekeepers", "Zorbalux peacekeepers", 1), "utf-8")
                page.get_by_text("Zorbalux peacekeepers").first.wait_for(timeout=5000)  # no eval: the CSP forbids it
                # The reload follows the rebuild at once (a long poll, not a timer); the watcher's batching
                # and the rebuild take the rest. Generous under load; typically well under half a second.
                elapsed = time.monotonic() - started
            painted = page.evaluate(FIRST_PAINT) / 1000 - saved  # the new page's own clock: no polling in it
            print(f"edit to reload: {elapsed:.2f} s (new page painted {painted:.2f} s after the save)")  # pytest -s
            assert elapsed < 3.0
            builds = int(fetch(f"{origin(url)}/__reload")) - epoch
            assert builds >= 1 and len(loads) == builds, f"{len(loads)} reloads for {builds} new builds: {loads}"

            site = root / "content" / "site.yaml"
            site.write_text(site.read_text("utf-8").replace("language: en\n", "language: en: gb\n"), "utf-8")
            overlay = page.get_by_role("alert")
            overlay.wait_for(timeout=5000)
            assert "content/site.yaml" in overlay.inner_text() and "YAML syntax error" in overlay.inner_text()
            assert "Zorbalux peacekeepers" in page.content()  # still the last good build
        finally:
            context.close()
