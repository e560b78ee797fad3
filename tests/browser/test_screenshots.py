"""Both briefings photographed for review at 390 px and 1280 px, light and dark, and in print (screenshot and
PDF), under test-artifacts/screenshots/; the print stylesheet drops the navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import ViewportSize
from support.browser import DESKTOP, PHONE, OpenPage, format_events
from support.site import ARTIFACTS, BuiltSite

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
VISIBLE_NAVS_JS = """() => [...document.querySelectorAll('nav')].filter(n => n.checkVisibility())
  .map(n => n.getAttribute('aria-label') || n.className || 'nav')"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_screenshots_of_the_briefings(
    viewport: ViewportSize, scheme: str, open_page: OpenPage, served_site: BuiltSite
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for slug in served_site.briefing_slugs:
        watched = open_page(viewport=viewport, color_scheme=scheme)
        watched.goto(f"briefings/{slug}/")
        watched.page.evaluate("document.fonts.ready.then(() => true)")
        shot = SHOTS / f"{slug}-{viewport['width']}-{scheme}.png"
        watched.page.screenshot(path=shot, full_page=True)
        assert shot.stat().st_size > 10_000
        assert not watched.problems(), format_events(watched.problems())


def test_print_preview_of_the_briefings_has_no_navigation(open_page: OpenPage, served_site: BuiltSite) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for slug in served_site.briefing_slugs:
        watched = open_page(viewport={"width": 794, "height": 1123})  # A4 at 96 px per inch
        watched.goto(f"briefings/{slug}/")
        watched.page.emulate_media(media="print")
        watched.page.evaluate("document.fonts.ready.then(() => true)")
        watched.page.screenshot(path=SHOTS / f"{slug}-print.png", full_page=True)
        watched.page.pdf(path=SHOTS / f"{slug}.pdf", format="A4", print_background=False)
        assert (SHOTS / f"{slug}.pdf").stat().st_size > 10_000
        assert watched.page.evaluate(VISIBLE_NAVS_JS) == [], f"{slug}: navigation shown in print"
