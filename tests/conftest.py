"""Session fixtures shared by the site-level tests: the site built once and served under a sub-path."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright
from support.browser import CHROMIUM_ARGS, chromium_executable
from support.site import PREFIX, BuiltSite, build_site
from support.site_server import SubPathServer, running


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The site built once (search included) with its real base URL, served at 127.0.0.1/<port>/briefings-site/."""
    out = tmp_path_factory.mktemp("build") / "site"
    # Bind first: the free port is part of the base URL the build writes into canonical links.
    server = SubPathServer(out, PREFIX)
    try:
        build_site(out, server.base_url)
    except RuntimeError as exc:
        server.server_close()
        pytest.fail(f"building the site failed:\n{exc}", pytrace=False)
    with running(server):
        yield BuiltSite(out, server.base_url)


@pytest.fixture(scope="session")
def shared_browser() -> Iterator[Browser]:
    """One Playwright and one headless Chromium for the whole run, shared by tests/browser and tests/hardening:
    Playwright's sync API allows one running instance per thread, so two session fixtures would collide."""
    executable = chromium_executable()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium); the browser tests need /usr/bin/chromium"
        if os.environ.get("BRIEFING_REQUIRE_BROWSER"):
            pytest.fail(reason + " and BRIEFING_REQUIRE_BROWSER is set (as in CI)", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)
        try:
            yield launched
        finally:
            launched.close()
