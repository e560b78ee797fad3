"""The checkers themselves, on a tiny hand-made site with one defect of each kind: the sub-path server
answers as GitHub Pages does, and the link checker reports exactly the defects planted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from support.browser import PHONE, axe_violations, overflow, watched_page
from support.link_check import crawl_site, fetch
from support.site_server import SubPathServer, running

PAGES = {
    "index.html": (
        '<a href="a/">a</a> <a href="a/#there">there</a> <a href="a/#nowhere">nowhere</a> '
        '<a href="gone/">gone</a> <a href="a">no slash</a> <a href="/static/x.css">escapes</a> '
        '<a href="https://example.org/x">out</a> <a href="javascript:void(0)">js</a> '
        '<link rel="stylesheet" href="s.css"><img src="data:image/png;base64,AA" alt="">'
        '<a href="#top">top</a> <a href="#self">self</a><p id="self"></p>'
    ),
    "a/index.html": '<p id="there"><a name="named"></a><a href="../#self">back</a> <a href="#named">n</a></p>',
    "orphan/index.html": "<p>no link leads here</p>",
    "404.html": '<a href="/site/a/">a</a> <a href="/elsewhere/">out of scope</a>',
    "s.css": 'body { background: url("img/bg.png"); } p { background: url(data:image/png;base64,AA); }',
    "bad/index.html": (
        '<!DOCTYPE html><html lang="en"><title>bad</title><img src="https://example.org/x.png">'
        '<div style="width: 2000px">wide</div><script>console.error("planted"); notDefined();</script>'
        '<link rel="stylesheet" href="/static/outside.css">'
    ),
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("tiny")
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    server = SubPathServer(root, "/site/")
    with running(server):
        yield server.base_url


def test_server_serves_folders_redirects_and_404s_like_github_pages(tiny_site: str) -> None:
    assert fetch(tiny_site).status == 200
    assert fetch(tiny_site + "a/").body == PAGES["a/index.html"].encode()
    moved = fetch(tiny_site + "a")
    assert (moved.status, moved.location) == (301, "/site/a/")
    assert (fetch(tiny_site[:-1]).status, fetch(tiny_site[:-1]).location) == (301, "/site/")
    for missing in ("nope", "x/y/z/", "a/b/c/d.html", "../etc/passwd"):
        answer = fetch(tiny_site + missing)
        assert (answer.status, answer.body) == (404, PAGES["404.html"].encode()), missing
    outside = fetch(tiny_site.replace("/site/", "/other/"))
    assert outside.status == 404 and outside.body != PAGES["404.html"].encode()
    assert fetch(tiny_site + "s.css").content_type == "text/css"


def test_link_checker_reports_each_planted_defect(tiny_site: str) -> None:
    crawl = crawl_site(tiny_site, tiny_site)
    home = tiny_site
    assert [(p.page, p.reference) for p in crawl.broken] == [
        (home, "gone/"),
        (home, "a"),  # works only through a redirect
        (tiny_site + "s.css", "img/bg.png"),
    ]
    assert [(p.page, p.reference) for p in crawl.missing_fragments] == [(home, "a/#nowhere")]
    assert [(p.page, p.reference) for p in crawl.escapes] == [(home, "/static/x.css")]
    assert [(p.page, p.reference) for p in crawl.bad_schemes] == [(home, "javascript:void(0)")]
    assert crawl.external == ("https://example.org/x",)
    assert crawl.pages == {home, tiny_site + "a/"}  # the orphan is not reached


def test_link_checker_on_a_404_page_resolves_from_where_it_is_shown(tiny_site: str) -> None:
    crawl = crawl_site(tiny_site + "deep/er/missing/", tiny_site, follow=False)
    assert crawl.broken == ()
    assert [p.reference for p in crawl.escapes] == ["/elsewhere/"]


@pytest.mark.browser
def test_page_watch_catches_errors_other_hosts_overflow_and_axe_violations(browser: Browser, tiny_site: str) -> None:
    with watched_page(browser, tiny_site, viewport=PHONE) as watched:
        watched.goto("bad/")
        # The blocked request's own "Failed to load resource" may be logged before or after the planted error.
        assert "console error: planted" in [e.text.split(" [")[0] for e in watched.console_errors]
        assert [e.text for e in watched.page_errors] == ["uncaught: notDefined is not defined"]
        assert [e.text for e in watched.foreign_requests] == [
            "request to another host (blocked): https://example.org/x.png"
        ]
        assert [e.text for e in watched.stray_requests] == [
            f"request outside /site/: {tiny_site.replace('/site/', '/static/')}outside.css"
        ]
        width = overflow(watched.page)
        assert width["scrollWidth"] > width["clientWidth"] == 390
        assert width["culprits"][0].startswith("div")
        assert "image-alt" in {v["id"] for v in axe_violations(watched.page)}
