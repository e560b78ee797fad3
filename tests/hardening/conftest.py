"""Fixtures for the hardening tests: Chromium (as the browser tests launch it) and the XSS corpus site, served."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import xss_project
from playwright.sync_api import Browser, sync_playwright
from sitekit import build_site
from support.browser import CHROMIUM_ARGS, chromium_executable
from support.site import BuiltSite
from support.site_server import SubPathServer, running

XSS_PREFIX = "/xss-site/"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Headless Chromium; skipped without it unless BRIEFING_REQUIRE_BROWSER is set (CI), then it fails."""
    executable = chromium_executable()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium); the hardening browser tests need it"
        if os.environ.get("BRIEFING_REQUIRE_BROWSER"):
            pytest.fail(reason + " and BRIEFING_REQUIRE_BROWSER is set", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The corpus project built once (with the search index when Pagefind is installed) and served."""
    base = tmp_path_factory.mktemp("xss")
    root = xss_project.write_project(base / "project")
    out = base / "site"
    server = SubPathServer(out, XSS_PREFIX)
    try:
        build_site(root, out, search=True, base_url=server.base_url)
    except Exception:
        server.server_close()
        raise
    with running(server):
        yield BuiltSite(Path(out), server.base_url)
