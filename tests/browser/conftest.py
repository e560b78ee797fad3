"""Browser fixtures: Debian's Chromium through Playwright, and pages that record what goes wrong on them.

``open_page`` is the reusable entry point for any browser test (accessibility, layout, script hardening):

    def test_something(open_page):
        watched = open_page(viewport=PHONE, color_scheme="dark", init_scripts=["window.__xss = [];"])
        watched.goto("briefings/<slug>/")
        assert not watched.problems()
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack

import pytest
from playwright.sync_api import Browser, ViewportSize
from support.browser import (
    DESKTOP,
    ColorScheme,
    OpenPage,
    WatchedPage,
    chromium_executable,
    watched_page,
)
from support.site import BuiltSite


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium executable; the tests skip without it, except where BRIEFING_REQUIRE_BROWSER is set."""
    executable = chromium_executable()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium); the browser tests need /usr/bin/chromium"
        if os.environ.get("BRIEFING_REQUIRE_BROWSER"):
            pytest.fail(reason + " and BRIEFING_REQUIRE_BROWSER is set (as in CI)", pytrace=False)
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="session")
def browser(chromium: str, shared_browser: Browser) -> Browser:
    """Chromium, headless, driven by Playwright's sync API (the run's one instance, see tests/conftest.py)."""
    return shared_browser


@pytest.fixture
def open_page(browser: Browser, served_site: BuiltSite) -> Iterator[OpenPage]:
    """Factory: ``open_page(viewport=…, color_scheme=…, javascript=…, init_scripts=…)`` -> a fresh WatchedPage.

    Each call gets its own browser context (own storage, own settings); all are closed after the test.
    """
    with ExitStack() as stack:

        def open_one(
            *,
            viewport: ViewportSize | None = None,
            color_scheme: ColorScheme = "light",
            javascript: bool = True,
            init_scripts: Sequence[str] = (),
        ) -> WatchedPage:
            return stack.enter_context(
                watched_page(
                    browser,
                    served_site.base_url,
                    viewport=viewport or DESKTOP,
                    color_scheme=color_scheme,
                    javascript=javascript,
                    init_scripts=init_scripts,
                )
            )

        yield open_one


@pytest.fixture
def browser_page(open_page: OpenPage) -> WatchedPage:
    """A desktop-sized, light-theme page with JavaScript on: ``browser_page.goto("actors/")``."""
    return open_page()
