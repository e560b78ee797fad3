"""404.html as GitHub Pages serves it: for a missing path at any depth under the sub-path, with its
stylesheet and scripts loaded and every link leading to a real page of the site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from support.browser import WatchedPage, format_events
from support.site import BuiltSite

pytestmark = pytest.mark.browser

MISSING = ["nope", "x/y/z/", "briefings/no-such-briefing/", "actors/nobody/index.html"]


@pytest.mark.parametrize("missing", MISSING)
def test_not_found_page_at_any_depth(browser_page: WatchedPage, served_site: BuiltSite, missing: str) -> None:
    response = browser_page.goto(missing)
    assert response is not None and response.status == 404
    page = browser_page.page
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet and the scripts came from the site's own base path and loaded.
    base_path = urlsplit(served_site.base_url).path
    sheets = page.evaluate(
        "[...document.querySelectorAll('link[rel=stylesheet]')].map(l => [l.href, l.sheet !== null])"
    )
    assert sheets and all(urlsplit(href).path.startswith(base_path) and ok for href, ok in sheets), sheets
    scripts: list[str] = page.eval_on_selector_all("script[src]", "els => els.map(s => s.src)")
    assert scripts and all(urlsplit(src).path.startswith(base_path) for src in scripts)
    loaded = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
    assert {h for h, _ in sheets} | set(scripts) <= set(loaded)
    # Nothing failed except the missing document itself (its 404 is the point).
    problems = browser_page.problems(allow_missing_document=True)
    assert not problems, format_events(problems)


def test_not_found_links_resolve(browser_page: WatchedPage, served_site: BuiltSite) -> None:
    browser_page.goto("x/y/z/")
    page = browser_page.page
    links: list[list[str]] = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => [a.getAttribute('href'), a.href])"
    )
    for attribute, _href in links:
        if attribute.startswith("#"):  # the skip link: its target is on this page
            assert page.locator(f"[id='{attribute[1:]}']").count() == 1, attribute
    targets = sorted({href.split("#", 1)[0] for attribute, href in links if not attribute.startswith("#")})
    assert served_site.base_url in targets  # home
    assert served_site.base_url + "actors/" in targets
    for href in targets:
        assert href.startswith(served_site.base_url), f"{href} leaves the site"
        assert page.request.get(href, max_redirects=0).status == 200, href


def test_following_a_link_from_the_404_page(browser_page: WatchedPage, served_site: BuiltSite) -> None:
    browser_page.goto("x/y/z/")
    page = browser_page.page
    page.locator("main").get_by_role("link", name="Actor index").click()
    page.wait_for_url(served_site.base_url + "actors/")
    assert page.locator("h1").inner_text() == "Actor index"
