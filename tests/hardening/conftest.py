"""Fixtures for the hardening tests: Chromium (as the browser tests launch it) and the XSS corpus site, served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import xss_project
from playwright.sync_api import Browser
from sitekit import build_site
from support.site import BuiltSite
from support.site_server import SubPathServer, running

XSS_PREFIX = "/xss-site/"


@pytest.fixture(scope="session")
def chromium(shared_browser: Browser) -> Browser:
    """Headless Chromium: the run's one Playwright instance (tests/conftest.py), skipped or failed there."""
    return shared_browser


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
