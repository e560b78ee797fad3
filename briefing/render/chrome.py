"""What every page shares: relative links, the header navigation, head metadata and the CSP."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
    return f"{target}#{fragment}" if fragment else target


def _relative(from_page: str, to_page: str) -> str:
    """``posixpath.relpath(to_page, dirname(from_page))`` for plain site paths, without its two getcwd calls.

    The site-wide pages link to many briefings, so this runs a hundred thousand times per build. The
    common cases take no list: a page at the top, a target inside the page's own folder, a target in
    another top folder; the rest walks the folders the two have in common.
    """
    cut = from_page.rfind("/")
    if cut < 0:  # a page at the top: the target's path as it is
        return to_page or "."
    if to_page.startswith(from_page[: cut + 1]):  # inside the page's own folder
        return to_page[cut + 1 :] or "."
    if to_page.partition("/")[0] != from_page[: from_page.find("/")]:  # no folder in common
        return "../" * from_page.count("/") + to_page
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
SCRIPT = "static/site.js"
LIVE_RELOAD = "static/live-reload.js"
# Every page the chrome links to; a page's links depend only on which of these parts its own path shares.
TARGETS = (*(target for _, target in NAV), "static/style.css", "static/theme.js", SCRIPT, LIVE_RELOAD,
           "search/index.html", "feed.xml")
NUL = "\0"  # a folder name no link target has
_TARGET_PARTS = tuple(  # the parts of the targets at each depth
    frozenset(t.split("/")[i] for t in TARGETS if t.count("/") >= i)
    for i in range(max(t.count("/") for t in TARGETS) + 1)
)


@dataclass(frozen=True, slots=True)
class _Links:
    """The chrome's links from one kind of page (the same for every page of the same shape)."""

    home: str
    css: tuple[str, ...]
    theme_js: str
    js: tuple[str, ...]
    nav: tuple[NavItem, ...]
    search_href: str
    feed_href: str


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
    links = _links(_shape(page), settings, section, has_about)
    canonical = settings.base_url + (page[: -len("index.html")] if page.endswith("index.html") else page)
    return Chrome(
        site_title=site_title,
        language=language,
        page_title=title if title == site_title else f"{title} · {site_title}",
        description=description,
        canonical=canonical,
        home=links.home,
        css=links.css,
        theme_js=links.theme_js,
        js=links.js,
        nav=links.nav,
        search_href=links.search_href,
        feed_href=links.feed_href,
        feed_absolute=settings.base_url + "feed.xml",
        csp=SEARCH_CSP if page == SEARCH_PAGE else CSP,
        license=license,
        publisher=publisher,
    )


def _shape(page: str) -> str:
    """A path that every chrome link resolves from exactly as from ``page``.

    A relative link depends on how many folders the page is in and on which of them equal the target's
    parts at the same depth; so each folder that no target has at its depth is replaced by a NUL (which
    no target has either), and the file name, which only matters for the 404 page, by ``index.html``.
    ``briefings/a/index.html`` and ``briefings/b/index.html`` both become ``NUL/NUL/index.html``,
    ``actors/x/index.html`` becomes ``actors/NUL/index.html``.
    """
    parts = page.split("/")
    if len(parts) == 1:
        return page if page == "404.html" else "index.html"
    for i in range(len(parts) - 1):
        if i >= len(_TARGET_PARTS) or parts[i] not in _TARGET_PARTS[i]:
            parts[i] = NUL
    parts[-1] = "index.html"
    return "/".join(parts)


@lru_cache(maxsize=256)
def _links(shape: str, settings: Settings, section: str, has_about: bool) -> _Links:
    """The chrome's links from a page of this shape: made once per shape and section, not once per page."""
    nav = tuple(
        NavItem(label, href(shape, target, settings), target == section)
        for label, target in NAV
        if has_about or label != "About"
    )
    js = (SCRIPT, LIVE_RELOAD) if settings.serve else (SCRIPT,)
    return _Links(
        home=href(shape, "index.html", settings),
        css=(href(shape, "static/style.css", settings),),
        theme_js=href(shape, "static/theme.js", settings),
        js=tuple(href(shape, j, settings) for j in js),
        nav=nav,
        search_href=href(shape, "search/index.html", settings),
        feed_href=href(shape, "feed.xml", settings),
    )
