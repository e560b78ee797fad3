"""The 404 page, served as GitHub Pages serves it: for any missing path, at any depth, with status 404.
Its links and assets use the absolute base path, so they must resolve from wherever it is shown."""

from __future__ import annotations

import pytest
from support.browser import OpenPage
from support.link_check import crawl_site, fetch
from support.site import DEEP_MISSING, BuiltSite

MISSING = ("nope", "nope.html", "briefings/nope/", DEEP_MISSING, "static/nope.css", "actors/turkey/extra/deeper/x")


@pytest.mark.parametrize("path", MISSING)
def test_any_missing_path_answers_404_with_the_sites_404_page(path: str, served_site: BuiltSite) -> None:
    answer = fetch(served_site.base_url + path)
    assert answer.status == 404
    assert answer.body == (served_site.root / "404.html").read_bytes()


def test_404_page_references_resolve_from_a_deep_missing_path(served_site: BuiltSite) -> None:
    crawl = crawl_site(served_site.base_url + DEEP_MISSING, served_site.base_url, follow=False)
    problems = [*crawl.broken, *crawl.escapes, *crawl.missing_fragments, *crawl.bad_schemes]
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.mark.browser
def test_404_page_at_a_deep_path_loads_its_stylesheets_and_links_inside_the_site(
    open_page: OpenPage, served_site: BuiltSite
) -> None:
    watched = open_page()
    response = watched.goto(DEEP_MISSING)
    assert response is not None and response.status == 404
    sheets = watched.page.evaluate(
        """() => [...document.querySelectorAll('link[rel~="stylesheet"]')].map(l => ({
             href: l.href, loaded: Boolean(l.sheet), rules: l.sheet ? l.sheet.cssRules.length : 0}))"""
    )
    assert sheets, "the 404 page links no stylesheet"
    assert [s for s in sheets if not (s["loaded"] and s["rules"] > 0)] == []
    links = watched.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    assert links
    assert [u for u in links if not u.startswith(served_site.base_url)] == []
    problems = watched.problems(allow_missing_document=True)
    assert not problems, "\n".join(str(p) for p in problems)
