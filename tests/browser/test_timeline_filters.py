"""The timeline's filters: choosing an actor or a briefing with the keyboard hides every event that does not
match, without a reload; with JavaScript off the whole list shows."""

from __future__ import annotations

import pytest
from support.browser import OpenPage, format_events
from support.keyboard import tab_to

pytestmark = pytest.mark.browser

EVENTS_JS = """(attribute) => [...document.querySelectorAll('[data-' + attribute + ']')]
  .filter(el => el.tagName === 'LI')
  .map(el => ({id: el.id, values: el.getAttribute('data-' + attribute).split(' '), shown: el.checkVisibility()}))"""


@pytest.mark.parametrize(("label", "attribute"), [("Actor", "actors"), ("Briefing", "briefings")])
def test_filter_by_keyboard_hides_events_that_do_not_match(label: str, attribute: str, open_page: OpenPage) -> None:
    watched = open_page()
    watched.goto("timeline/")
    url = watched.page.url
    select = watched.page.get_by_label(label, exact=True)
    tab_to(watched.page, select)
    for _ in range(10):  # the first option that leaves some events out and keeps some
        watched.page.keyboard.press("ArrowDown")
        chosen = select.evaluate("el => el.value")
        events = watched.page.evaluate(EVENTS_JS, attribute)
        matching = {e["id"] for e in events if chosen in e["values"]}
        if chosen and 0 < len(matching) < len(events):
            break
    else:
        pytest.fail(f"no {label.lower()} option leaves out some events but not all")
    shown = {e["id"] for e in events if e["shown"]}
    assert shown == matching, (
        f"{label} {chosen!r}: shown but not matching {sorted(shown - matching)}, "
        f"matching but hidden {sorted(matching - shown)}"
    )
    assert watched.page.url == url  # no reload, no navigation
    assert not watched.problems(), format_events(watched.problems())


def test_without_javascript_the_timeline_lists_every_event(open_page: OpenPage) -> None:
    watched = open_page(javascript=False)
    watched.goto("timeline/")
    events = watched.page.evaluate(EVENTS_JS, "actors")
    assert len(events) > 10
    assert [e["id"] for e in events if not e["shown"]] == []
    assert not watched.page.get_by_label("Actor", exact=True).is_visible(), "a filter that cannot work is shown"
