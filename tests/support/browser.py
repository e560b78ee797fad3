"""A Playwright page on the served site -> what went wrong while it loaded: console and page errors,
requests to other hosts or outside the sub-path, axe-core violations, horizontal overflow."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, Route, ViewportSize

ColorScheme = Literal["light", "dark"]

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

# Overflow: how wide the document is against the viewport, and the outermost elements that stick out.
OVERFLOW_JS = """() => {
  const d = document.documentElement;
  const out = [];
  if (d.scrollWidth > d.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > d.clientWidth + 0.5 && !out.some((o) => o.contains(el))) {
        out.push(el);
        if (out.length >= 5) break;
      }
    }
  }
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ' px)';
  return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, culprits: out.map(describe)};
}"""


def chromium_executable() -> str | None:
    """Debian's Chromium (``BRIEFING_CHROMIUM`` overrides); None when it is not installed."""
    for candidate in (os.environ.get("BRIEFING_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@dataclass(frozen=True, slots=True)
class Event:
    """Something a page did that a check may object to, with the page address it happened on."""

    page: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.text}"


@dataclass(frozen=True, slots=True)
class WatchedPage:
    """A page plus everything observed on it; the lists grow while the page is used."""

    page: Page
    base_url: str
    console_errors: list[Event] = field(default_factory=list)
    page_errors: list[Event] = field(default_factory=list)
    foreign_requests: list[Event] = field(default_factory=list)  # other hosts: aborted
    stray_requests: list[Event] = field(default_factory=list)  # this host, outside the sub-path
    failed_responses: list[Event] = field(default_factory=list)  # HTTP status >= 400

    def goto(self, url: str, wait_until: Literal["load", "networkidle"] = "load") -> Response | None:
        """Open an address (absolute, or relative to the site's base URL)."""
        target = url if "://" in url else self.base_url + url
        return self.page.goto(target, wait_until=wait_until)

    def problems(self, allow_missing_document: bool = False) -> list[Event]:
        """Everything that should not happen on a finished page.

        ``allow_missing_document``: the page is a 404 served on purpose, so the document's own 404
        (and the console line Chromium prints for it) is expected.
        """
        page_url = self.page.url
        found = [*self.console_errors, *self.page_errors, *self.foreign_requests, *self.stray_requests]
        found += self.failed_responses
        if allow_missing_document:
            found = [e for e in found if not _is_document_404(e, page_url)]
        return found


def _is_document_404(event: Event, page_url: str) -> bool:
    if event.text == f"HTTP 404 for {page_url}":
        return True
    text = event.text
    failed = text.startswith("console error: Failed to load resource") and "404" in text
    return failed and text.endswith(f"[{page_url}]")


def watch(page: Page, base_url: str) -> WatchedPage:
    """Attach the observers and the network guard to a fresh page."""
    watched = WatchedPage(page, base_url)
    scope = urlsplit(base_url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            watched.console_errors.append(Event(page.url, f"console error: {message.text} [{where}]"))

    def on_response(response: Response) -> None:
        if response.status >= 400:
            watched.failed_responses.append(Event(page.url, f"HTTP {response.status} for {response.url}"))

    def on_route(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != scope.netloc:
            watched.foreign_requests.append(Event(page.url, f"request to another host (blocked): {route.request.url}"))
            route.abort()
            return
        if url.netloc == scope.netloc and not url.path.startswith(scope.path):
            watched.stray_requests.append(Event(page.url, f"request outside {scope.path}: {route.request.url}"))
        route.continue_()

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.page_errors.append(Event(page.url, f"uncaught: {error}")))
    page.on("response", on_response)
    page.route("**/*", on_route)
    return watched


# The ``open_page`` fixture: keyword arguments as ``watched_page`` takes them.
OpenPage = Callable[..., "WatchedPage"]


@contextmanager
def watched_page(
    browser: Browser,
    base_url: str,
    *,
    viewport: ViewportSize | None = None,
    color_scheme: ColorScheme = "light",
    javascript: bool = True,
    init_scripts: Sequence[str] = (),
) -> Iterator[WatchedPage]:
    """A page in its own fresh context (no shared storage), closed at the end of the block."""
    context = browser.new_context(viewport=viewport or DESKTOP, java_script_enabled=javascript)
    try:
        for script in init_scripts:
            context.add_init_script(script)
        page = context.new_page()
        page.emulate_media(color_scheme=color_scheme)
        yield watch(page, base_url)
    finally:
        context.close()


def axe_violations(page: Page, preload: bool = True) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds in the page as it is now.

    ``preload=False`` skips axe fetching the stylesheets again (a sixth of its time on a small page);
    only css-orientation-lock needs them.
    """
    options = AXE_OPTIONS if preload else {**AXE_OPTIONS, "preload": False}
    response = Axe().run(page, options=options).response
    return [v for v in response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def overflow(page: Page) -> dict[str, Any]:
    """``scrollWidth``, ``clientWidth`` and the outermost elements wider than the viewport."""
    result: dict[str, Any] = page.evaluate(OVERFLOW_JS)
    return result


def format_violations(found: dict[str, list[dict[str, Any]]], limit: int = 3) -> str:
    """Violations per page -> one block per rule: which pages, and the first few elements with axe's reason."""
    by_rule: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for where, violations in found.items():
        for violation in violations:
            by_rule.setdefault(violation["id"], []).append((where, violation))
    blocks = []
    for rule, hits in sorted(by_rule.items()):
        first = hits[0][1]
        lines = [f"{rule} ({first['impact']}): {first['help']} — on {len(hits)} page(s). {first['helpUrl']}"]
        for where, violation in hits[:limit]:
            lines.append(f"  {where}: {len(violation['nodes'])} element(s)")
            lines.extend(f"    {_describe_node(node)}" for node in violation["nodes"][:limit])
        if len(hits) > limit:
            lines.append(
                f"  … and {len(hits) - limit} more page(s): {', '.join(w for w, _ in hits[limit : limit + 10])}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _describe_node(node: dict[str, Any]) -> str:
    target = " ".join(str(t) for t in node.get("target", []))
    reasons = [c["message"] for c in node.get("any", []) + node.get("all", []) + node.get("none", [])]
    snippet = " ".join(node.get("html", "").split())[:160]
    return f"{target}: {'; '.join(reasons)[:300]}\n      {snippet}"


def format_events(events: Sequence[Event], limit: int = 40) -> str:
    lines = [str(e) for e in events[:limit]]
    if len(events) > limit:
        lines.append(f"… and {len(events) - limit} more")
    return "\n".join(lines)
