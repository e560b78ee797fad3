"""Session fixtures shared by the site-level tests: the site built once and served under a sub-path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
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
