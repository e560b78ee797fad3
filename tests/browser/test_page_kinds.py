"""One page of each kind, loaded fresh: axe-core in the dark theme, the phone layout at 390 px,
and the dark theme really being dark. The 404 page is met where readers meet it: a deep missing path."""

from __future__ import annotations

import pytest
from support.browser import PHONE, OpenPage, axe_violations, format_events, format_violations, overflow
from support.site import KINDS, BuiltSite

pytestmark = pytest.mark.browser

# The colour a page shows behind its text: the first non-transparent background from <body> up.
BACKGROUND_JS = """() => {
  for (const el of [document.body, document.documentElement]) {
    const c = getComputedStyle(el).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c;
  }
  return 'rgb(255, 255, 255)';
}"""


def kind_url(site: BuiltSite, kind: str) -> str:
    try:
        return site.kind_url(kind)
    except LookupError as exc:
        pytest.fail(str(exc), pytrace=False)


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an ``rgb(r, g, b)`` / ``rgba(...)`` colour from getComputedStyle."""
    parts = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].replace("/", ",").split(",")
    channels = [float(x) / 255 for x in parts[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("kind", KINDS)
def test_dark_theme_passes_axe(kind: str, open_page: OpenPage, served_site: BuiltSite) -> None:
    # axe's CSS preload is on here, so css-orientation-lock is checked on every page kind.
    watched = open_page(color_scheme="dark")
    watched.goto(kind_url(served_site, kind), wait_until="networkidle")
    violations = axe_violations(watched.page)
    assert not violations, f"axe-core, dark theme, {kind} page:\n{format_violations({kind: violations})}"


@pytest.mark.parametrize("kind", KINDS)
def test_phone_layout_has_no_horizontal_scroll_and_no_error(
    kind: str, open_page: OpenPage, served_site: BuiltSite
) -> None:
    watched = open_page(viewport=PHONE)
    watched.goto(kind_url(served_site, kind), wait_until="networkidle")
    width = overflow(watched.page)
    assert width["scrollWidth"] <= width["clientWidth"], (
        f"{kind} page scrolls sideways at 390 px: {width['scrollWidth']} > {width['clientWidth']}; "
        f"sticking out: {', '.join(width['culprits'])}"
    )
    problems = watched.problems(allow_missing_document=kind == "404")
    assert not problems, format_events(problems)


@pytest.mark.parametrize("kind", ["home", "briefing", "timeline"])
def test_dark_theme_follows_the_system(kind: str, open_page: OpenPage, served_site: BuiltSite) -> None:
    shades = {}
    for scheme in ("light", "dark"):
        watched = open_page(color_scheme=scheme)
        watched.goto(kind_url(served_site, kind))
        shades[scheme] = luminance(watched.page.evaluate(BACKGROUND_JS))
    assert shades["light"] > 0.6, f"light theme background is not light: luminance {shades['light']:.2f}"
    assert shades["dark"] < 0.2, f"dark theme background is not dark: luminance {shades['dark']:.2f}"


def test_theme_toggle_works_by_keyboard_and_is_remembered(open_page: OpenPage, served_site: BuiltSite) -> None:
    watched = open_page(color_scheme="light")
    watched.goto(kind_url(served_site, "briefing"))
    before = luminance(watched.page.evaluate(BACKGROUND_JS))
    toggle = watched.page.locator("[data-theme-toggle]")
    toggle.focus()
    watched.page.keyboard.press("Enter")
    after = luminance(watched.page.evaluate(BACKGROUND_JS))
    assert before > 0.6 > 0.2 > after, f"background luminance {before:.2f} -> {after:.2f} after the toggle"
    assert toggle.get_attribute("aria-pressed") == "true"
    watched.goto(kind_url(served_site, "home"))  # another page, same reader: the choice holds
    assert luminance(watched.page.evaluate(BACKGROUND_JS)) < 0.2
    assert not watched.problems(), format_events(watched.problems())
