"""What every page shares: relative links, the header navigation, head metadata and the CSP."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

# No inline script or style anywhere, no other host: the policy every page carries.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Pagefind runs its index as WebAssembly; 'wasm-unsafe-eval' allows that and nothing else (no eval of JS).


@dataclass(frozen=True, slots=True)
class Settings:
    """How this build links: where the site lives and whether it must work from file://."""

    base_url: str  # absolute, ends with "/"
    portable: bool = False
    serve: bool = False  # add the live-reload script (never in a published build)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. "/briefings-site/" (used only by 404.html)."""
        rest = self.base_url.split("://", 1)[-1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return path if path.endswith("/") else path + "/"


def href(from_page: str, to_page: str, settings: Settings, fragment: str = "") -> str:
    """Relative link from one output file to another (paths like "actors/turkey/index.html").

    Directory pages link as "actors/turkey/" unless the build is portable (file:// needs index.html).
    """
    if from_page == "404.html":
        target = settings.base_path + to_page
    else:
        target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    if not settings.portable and (target == "index.html" or target.endswith("/index.html")):
        target = target[: -len("index.html")] or "./"
    return target + (f"#{fragment}" if fragment else "")


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    current: bool


@dataclass(frozen=True, slots=True)
class Chrome:
    """Context shared by all HTML templates (``site`` in templates)."""

    site_title: str
    language: str
    page_title: str
    description: str
    canonical: str
    home: str
    css: tuple[str, ...]
    js: tuple[str, ...]
    nav: tuple[NavItem, ...]
    search_href: str
    feed_href: str
    feed_absolute: str
    csp: str
    license: str | None
    publisher: str | None


NAV = (
    ("Briefings", "index.html"),
    ("Actors", "actors/index.html"),
    ("Timeline", "timeline/index.html"),
    ("Compare", "compare/index.html"),
    ("About", "about/index.html"),
)


def chrome(
    page: str,
    title: str,
    description: str,
    site_title: str,
    language: str,
    settings: Settings,
    section: str,
    license: str | None = None,
    publisher: str | None = None,
    has_about: bool = True,
) -> Chrome:
    """Build the shared context for the page at output path ``page``."""
    nav = tuple(
        NavItem(label, href(page, target, settings), target == section)
        for label, target in NAV
        if has_about or label != "About"
    )
    js = ["static/site.js"]
    if settings.serve:
        js.append("static/live-reload.js")
    canonical = settings.base_url + (page[: -len("index.html")] if page.endswith("index.html") else page)
    return Chrome(
        site_title=site_title,
        language=language,
        page_title=title if title == site_title else f"{title} · {site_title}",
        description=description,
        canonical=canonical,
        home=href(page, "index.html", settings),
        css=(href(page, "static/style.css", settings),),
        js=tuple(href(page, j, settings) for j in js),
        nav=nav,
        search_href=href(page, "search/index.html", settings),
        feed_href=href(page, "feed.xml", settings),
        feed_absolute=settings.base_url + "feed.xml",
        csp=CSP,
        license=license,
        publisher=publisher,
    )
