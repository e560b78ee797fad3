"""Every HTML page of the built site, loaded once in Chromium: accessibility (axe-core, light theme),
no console or page errors, no request leaving 127.0.0.1 or the sub-path, no horizontal scroll at 390 px."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from support.browser import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    Event,
    axe_violations,
    format_events,
    format_violations,
    overflow,
    watched_page,
)
from support.site import KINDS, BuiltSite, page_kind

pytestmark = pytest.mark.browser


@dataclass(frozen=True, slots=True)
class PageReport:
    page: str
    status: int | None
    violations: list[dict[str, Any]]
    problems: list[Event]
    overflow: dict[str, Any]


def visit(chromium: str, site: BuiltSite, pages: Sequence[str]) -> list[PageReport]:
    """Load each page at 1280 px and run axe, then narrow the same page to 390 px and measure its width.

    Runs in a worker thread, so it starts its own Playwright (the sync API is per thread).
    axe's CSS preload is off here: it only serves css-orientation-lock, which depends on the
    stylesheets alone, and those are checked with preload on, once per page kind, in test_page_kinds.
    """
    reports = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS), headless=True)
        with watched_page(browser, site.base_url, viewport=DESKTOP) as watched:
            for page in pages:
                already = len(watched.problems())
                response = watched.goto(site.url(page))
                violations = axe_violations(watched.page, preload=False)
                watched.page.set_viewport_size(PHONE)
                narrow = overflow(watched.page)
                watched.page.set_viewport_size(DESKTOP)
                status = response.status if response else None
                reports.append(PageReport(page, status, violations, watched.problems()[already:], narrow))
        browser.close()
    return reports


@pytest.fixture(scope="module")
def reports(chromium: str, served_site: BuiltSite) -> dict[str, PageReport]:
    """All pages, shared between one Chromium per core (largest pages first, dealt round-robin)."""
    workers = int(os.environ.get("BRIEFING_BROWSER_WORKERS") or min(4, os.cpu_count() or 1))
    by_size = sorted(served_site.pages, key=lambda p: -(served_site.root / p).stat().st_size)
    chunks = [by_size[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        done = pool.map(lambda chunk: visit(chromium, served_site, chunk), chunks)
        return {r.page: r for chunk in done for r in chunk}


def test_the_crawl_covers_the_whole_site(reports: dict[str, PageReport], served_site: BuiltSite) -> None:
    # The page list comes from the output folder, so a page missing from the build cannot hide here.
    assert set(reports) == set(served_site.pages)
    assert {page_kind(p) for p in reports} >= set(KINDS)
    assert {p: r.status for p, r in reports.items() if r.status != 200} == {}


def test_every_page_passes_axe_in_the_light_theme(reports: dict[str, PageReport]) -> None:
    failing = {page: r.violations for page, r in sorted(reports.items()) if r.violations}
    assert not failing, f"axe-core (WCAG 2.1 A/AA), serious or critical, light theme:\n{format_violations(failing)}"


def test_no_console_error_no_page_error_no_foreign_request(reports: dict[str, PageReport]) -> None:
    events = [e for _, r in sorted(reports.items()) for e in r.problems]
    assert not events, f"{len(events)} problem(s) while loading the pages:\n{format_events(events)}"


def test_no_horizontal_overflow_at_390px_on_any_page(reports: dict[str, PageReport]) -> None:
    wide = {p: r.overflow for p, r in sorted(reports.items()) if r.overflow["scrollWidth"] > r.overflow["clientWidth"]}
    lines = [
        f"{p}: scrollWidth {o['scrollWidth']} > {o['clientWidth']}; sticking out: {', '.join(o['culprits'])}"
        for p, o in wide.items()
    ]
    assert not wide, f"{len(wide)} page(s) scroll sideways at 390 px:\n" + "\n".join(lines[:30])
