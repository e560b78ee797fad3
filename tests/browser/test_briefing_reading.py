"""Reading a briefing: every paragraph and footnote link works with JavaScript off; with it on, on a phone,
a footnote marker opens its note in place from the keyboard and Escape closes it."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import Page
from support.browser import PHONE, OpenPage, format_events
from support.keyboard import tab_to
from support.site import BuiltSite

pytestmark = pytest.mark.browser

# Body paragraphs (ids p<N>, the URL scheme's paragraph anchors) and whether each is on screen.
PARAGRAPHS_JS = """() => [...document.querySelectorAll('p[id]')].filter(p => /^p\\d+$/.test(p.id)).map(p => ({
  id: p.id,
  shown: p.checkVisibility({opacityProperty: true, visibilityProperty: true})
         && p.getBoundingClientRect().height > 0 && p.innerText.trim().length > 0,
}))"""
# Footnote markers inside body paragraphs: where they point and whether that target exists and shows.
MARKERS_JS = """() => [...document.querySelectorAll('p[id] a[href^="#fn"]')]
  .filter(a => /^p\\d+$/.test(a.closest('p[id]').id))
  .map(a => {
    const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    return {id: a.id, hash: a.hash, exists: Boolean(target),
            shown: Boolean(target) && target.checkVisibility() && target.getBoundingClientRect().height > 0};
  })"""
IN_VIEW_JS = """(id) => { const r = document.getElementById(id).getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight; }"""
VISIBLE_BUTTONS_JS = """() => [...document.querySelectorAll('button')]
  .filter(b => !b.closest('form') && b.checkVisibility()).map(b => b.outerHTML.slice(0, 120))"""
# The smallest visible elements, outside the notes list and its ancestors, whose rendered text contains a snippet.
HOLDERS_JS = """([snippet, listId]) => {
  const norm = (s) => s.replace(/\\s+/g, ' ');
  const list = document.getElementById(listId).parentElement;
  const hits = [...document.body.querySelectorAll('*')].filter(el =>
    !list.contains(el) && !el.contains(list) && el.checkVisibility() && norm(el.innerText || '').includes(snippet));
  return hits.filter(el => !hits.some(other => other !== el && el.contains(other)))
             .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
}"""
# The first body marker whose note is in the numbered notes list with some text: its id, number, opening words.
FIRST_NOTE_JS = """() => {
  for (const a of document.querySelectorAll('p[id] a[href^="#fn"]')) {
    if (!/^p\\d+$/.test(a.closest('p[id]').id)) continue;
    const li = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!li || li.tagName !== 'LI') continue;
    const text = li.textContent.replace(/\\s+/g, ' ').trim();
    if (text.length >= 12) return {marker: a.id, note: li.id, snippet: text.slice(0, 30)};
  }
  return null;
}"""


def in_view(page: Page, element_id: str) -> bool:
    """Whether the element is (or, after a smooth scroll, comes) within the viewport within five seconds.

    Polled from here: page-side polling (wait_for_function) needs the page's own JavaScript, which some
    of these tests turn off.
    """
    deadline = time.monotonic() + 5
    while not page.evaluate(IN_VIEW_JS, element_id):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def export_paragraph_ids(site: BuiltSite, slug: str) -> list[str]:
    data = json.loads((site.root / "data" / "briefings" / f"{slug}.json").read_text(encoding="utf-8"))
    return [p["id"] for section in data["sections"] for p in section["paragraphs"]]


def test_briefings_read_without_javascript(open_page: OpenPage, served_site: BuiltSite) -> None:
    assert served_site.briefing_slugs
    for slug in served_site.briefing_slugs:
        watched = open_page(javascript=False)
        watched.goto(f"briefings/{slug}/")
        paragraphs = watched.page.evaluate(PARAGRAPHS_JS)
        # Every paragraph of the JSON export is on the page, in order, and on screen.
        assert [p["id"] for p in paragraphs] == export_paragraph_ids(served_site, slug)
        assert [p["id"] for p in paragraphs if not p["shown"]] == [], slug
        markers = watched.page.evaluate(MARKERS_JS)
        assert [m for m in markers if not (m["exists"] and m["shown"])] == [], f"{slug}: footnote targets"
        # A button that does nothing without its script must not be shown.
        assert watched.page.evaluate(VISIBLE_BUTTONS_JS) == [], f"{slug}: buttons shown without JavaScript"
        if markers:
            first = markers[0]
            watched.page.click(f"#{first['id']}")
            assert watched.page.evaluate("location.hash") == first["hash"]
            assert in_view(watched.page, first["hash"][1:]), f"{slug}: {first['hash']} not scrolled into view"
        assert not watched.problems(), format_events(watched.problems())


def test_footnote_preview_opens_in_place_and_closes_by_keyboard(open_page: OpenPage, served_site: BuiltSite) -> None:
    tried = 0
    for slug in served_site.briefing_slugs:
        watched = open_page(viewport=PHONE)
        watched.goto(f"briefings/{slug}/")
        first = watched.page.evaluate(FIRST_NOTE_JS)
        if first is None:
            continue
        tried += 1
        holders = [first["snippet"], first["note"]]
        assert watched.page.evaluate(HOLDERS_JS, holders) == [], f"{slug}: note shown before it is asked for"
        tab_to(watched.page, watched.page.locator(f"#{first['marker']}"))
        watched.page.keyboard.press("Enter")
        opened = watched.page.evaluate(HOLDERS_JS, holders)
        assert opened, f"{slug}: Enter on marker #{first['marker']} showed no note text outside the notes list"
        assert in_view(watched.page, first["marker"]), f"{slug}: the page jumped away from the marker"
        watched.page.keyboard.press("Escape")
        assert watched.page.evaluate(HOLDERS_JS, holders) == [], f"{slug}: Escape left the note open: {opened}"
        focused = watched.page.evaluate("document.activeElement && document.activeElement.id")
        assert focused == first["marker"], f"{slug}: focus after Escape is on {focused!r}, not the marker"
        assert not watched.problems(), format_events(watched.problems())
    assert tried, "no briefing has a footnote marker with a note to preview"
