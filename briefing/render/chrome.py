"""What every page shares: relative links, the header navigation, head metadata and the CSP."""

from __future__ import annotations

from dataclasses import dataclass

# No inline script or style anywhere, no other host: the policy every page carries. frame-ancestors is
# left out because browsers ignore it in a <meta> tag (and say so in the console on every page).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
# Pagefind runs its index as WebAssembly: the search page alone may compile it ('wasm-unsafe-eval'
# allows WebAssembly and nothing else; eval of JavaScript stays blocked).
SEARCH_PAGE = "search/index.html"
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


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
    if from_page == "404.html" and not settings.portable:
        target = settings.base_path + to_page
    else:
        target = _relative(from_page, to_page)
    if not settings.portable and (target == "index.html" or target.endswith("/index.html")):
        target = target[: -len("index.html")] or "./"
    return target + (f"#{fragment}" if fragment else "")


def _relative(from_page: str, to_page: str) -> str:
    """``posixpath.relpath(to_page, dirname(from_page))`` for plain site paths, without its two getcwd calls.

    Every page links to every nav target, so this runs thousands of times per build.
    """
    source = from_page.split("/")[:-1]
    target = to_page.split("/")
    common = 0
    while common < min(len(source), len(target)) and source[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + target[common:]) or "."


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
    theme_js: str  # loaded without defer in <head>: sets the remembered theme before first paint
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
        theme_js=href(page, "static/theme.js", settings),
        js=tuple(href(page, j, settings) for j in js),
        nav=nav,
        search_href=href(page, "search/index.html", settings),
        feed_href=href(page, "feed.xml", settings),
        feed_absolute=settings.base_url + "feed.xml",
        csp=SEARCH_CSP if page == SEARCH_PAGE else CSP,
        license=license,
        publisher=publisher,
    )
