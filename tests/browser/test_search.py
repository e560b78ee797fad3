"""Search in Chromium on the site served under a sub-path: briefings by a phrase, actors by an alias,
events by their title; by keyboard; linkable with ?q=; plain links when JavaScript is off."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from support.browser import WatchedPage, format_events
from support.site import BuiltSite

pytestmark = pytest.mark.browser

INPUT = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result-link"

# Phrases copied by hand from each seed text, with the page each must find.
BRIEFING_PHRASES = [
    ("future-oriented socioeconomic projects", "briefings/markedonov-karabakh-one-year-after-the-war/"),
    ("trading cards with all stakeholders", "briefings/valiyev-russian-peacekeepers-in-karabakh/"),
]
# Aliases from content/actors.yaml that are not the actor's display name.
ALIASES = [
    ("Khankendi", "actors/stepanakert/"),  # shown as "Stepanakert / Khankendi"
    ("Kremlin", "actors/russia/"),  # the metonym rule: the Kremlin is indexed under Russia
    ("Nakhichevan", "actors/nakhchivan/"),  # Markedonov's spelling of Nakhchivan
]
# Titles from content/timeline.yaml.
EVENT_TITLES = [
    ("Shusha Declaration on allied relations between Azerbaijan and Turkey", "timeline/shusha-declaration-2021/"),
    ("Fuzuli International Airport officially opened", "timeline/fuzuli-airport-opening-2021/"),
]


def result_pages(watched: WatchedPage) -> list[str]:
    """The pages the results link to, in order, as paths under the site's base URL (fragments dropped)."""
    hrefs: list[str] = watched.page.eval_on_selector_all(RESULT, "links => links.map(a => a.href)")
    base = urlsplit(watched.base_url).path
    pages = []
    for href in hrefs:
        path = urlsplit(href).path
        assert path.startswith(base), f"result {href} leaves the sub-path {base}"
        page = path[len(base) :]
        if page not in pages:
            pages.append(page)
    return pages


def search(watched: WatchedPage, query: str) -> list[str]:
    watched.goto("search/")
    watched.page.fill(INPUT, query)
    message = watched.page.locator(".pagefind-ui__message")
    message.filter(has_text=query).wait_for(timeout=15_000)
    watched.page.wait_for_selector(RESULT, timeout=15_000)
    return result_pages(watched)


@pytest.mark.parametrize(("phrase", "page"), BRIEFING_PHRASES)
def test_a_phrase_finds_its_briefing(browser_page: WatchedPage, phrase: str, page: str) -> None:
    found = search(browser_page, phrase)
    assert found[0] == page, f"{phrase!r} should find {page} first, found {found}"
    # Actor and event pages quote the briefings; the quotes are kept out of the index, so the
    # copies do not compete with the text they were taken from.
    assert not [p for p in found if p.startswith(("actors/", "timeline/"))], found
    assert not browser_page.problems(), format_events(browser_page.problems())


@pytest.mark.parametrize(("alias", "page"), ALIASES)
def test_an_alias_finds_its_actor(browser_page: WatchedPage, alias: str, page: str) -> None:
    found = search(browser_page, alias)
    assert page in found[:3], f"{alias!r} should find {page} among the first results, found {found}"


@pytest.mark.parametrize(("title", "page"), EVENT_TITLES)
def test_a_title_finds_its_event(browser_page: WatchedPage, title: str, page: str) -> None:
    found = search(browser_page, title)
    assert found[0] == page, f"{title!r} should find {page} first, found {found}"


def test_every_briefing_has_a_phrase_here(served_site: BuiltSite) -> None:
    # A new briefing must add its phrase above, or this file stops covering "a phrase from each briefing".
    assert sorted(f"briefings/{s}/" for s in served_site.briefing_slugs) == sorted(p for _, p in BRIEFING_PHRASES)


def test_results_work_by_keyboard(browser_page: WatchedPage) -> None:
    page = browser_page.page
    browser_page.goto("search/")
    page.wait_for_selector(INPUT)
    assert page.evaluate("document.activeElement.matches('.pagefind-ui__search-input')"), "the search box has focus"
    page.keyboard.type("Kremlin")
    page.wait_for_selector(RESULT, timeout=15_000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('.pagefind-ui__result-link')")
    first = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(first)
    assert urlsplit(page.url).path.endswith("/actors/russia/")
    # Back: the address kept the query, so the results come back without typing again.
    page.go_back()
    page.wait_for_selector(RESULT, timeout=15_000)
    assert page.input_value(INPUT) == "Kremlin"
    assert not browser_page.problems(), format_events(browser_page.problems())


def test_tab_reaches_the_results(browser_page: WatchedPage) -> None:
    page = browser_page.page
    browser_page.goto("search/?q=Khankendi")
    page.wait_for_selector(RESULT, timeout=15_000)
    page.focus(INPUT)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.pagefind-ui__result-link')"):
            break
    assert page.evaluate("document.activeElement.matches('.pagefind-ui__result-link')")


def test_the_result_count_is_announced(browser_page: WatchedPage) -> None:
    page = browser_page.page
    search(browser_page, "Kremlin")
    status = page.locator("[role=status][aria-live=polite]").filter(has_text="Kremlin")
    status.wait_for(state="attached", timeout=5_000)
    assert "result" in status.inner_text()


def test_without_javascript_the_page_links_the_index_and_timeline(
    open_page: Callable[..., WatchedPage], served_site: BuiltSite
) -> None:
    watched = open_page(javascript=False)
    watched.goto("search/")
    page = watched.page
    # innerText holds only rendered text: the <noscript> message shows because scripting is off.
    assert "Search needs JavaScript." in page.inner_text("main")
    actors = page.get_by_role("link", name="actor index")
    timeline = page.get_by_role("link", name="timeline", exact=True).last
    assert actors.first.is_visible() and timeline.is_visible()
    for link in (actors.first, timeline):
        href = link.evaluate("a => a.href")
        assert href in (served_site.base_url + "actors/", served_site.base_url + "timeline/")
        assert page.request.get(href).status == 200
