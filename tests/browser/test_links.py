"""The served site crawled from its home page under /briefings-site/: every internal reference answers 200,
every #fragment has its target, nothing escapes the sub-path, and every page is reached by links alone."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import pytest
from support.link_check import Crawl, Problem, crawl_site
from support.site import ARTIFACTS, BuiltSite, directory_form


@pytest.fixture(scope="module")
def crawl(served_site: BuiltSite) -> Crawl:
    return crawl_site(served_site.base_url, served_site.base_url)


def report(problems: Sequence[Problem]) -> str:
    listed = [str(p) for p in problems]
    more = f"\n… and {len(listed) - 40} more" if len(listed) > 40 else ""
    return f"{len(listed)} problem(s):\n" + "\n".join(listed[:40]) + more


def test_every_internal_reference_answers_200(crawl: Crawl) -> None:
    assert not crawl.broken, report(crawl.broken)


def test_every_fragment_has_a_target(crawl: Crawl) -> None:
    assert not crawl.missing_fragments, report(crawl.missing_fragments)


def test_no_reference_escapes_the_sub_path(crawl: Crawl) -> None:
    assert not crawl.escapes, report(crawl.escapes)


def test_no_link_uses_a_scheme_other_than_the_web(crawl: Crawl) -> None:
    assert not crawl.bad_schemes, report(crawl.bad_schemes)


def test_the_crawl_reaches_every_page(crawl: Crawl, served_site: BuiltSite) -> None:
    expected = {served_site.base_url + directory_form(p) for p in served_site.pages if p != "404.html"}
    unreached = sorted(expected - crawl.pages)
    assert not unreached, f"{len(unreached)} page(s) no link leads to:\n" + "\n".join(unreached)


def test_external_links_are_listed_not_fetched(crawl: Crawl) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "external-links.txt").write_text("".join(f"{u}\n" for u in crawl.external), encoding="utf-8")
    # Only web addresses with a host leave the site; anything else would be a mangled link.
    malformed = [u for u in crawl.external if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).hostname]
    assert not malformed
