"""The Content-Security-Policy: on every page, strict (no 'unsafe-inline', no 'unsafe-eval'), needed by no
page in a weaker form, and Chromium reports no violation anywhere on the real site, search included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from support.site import BuiltSite

from briefing.render.chrome import CSP, SEARCH_CSP

# Records violations in every frame before the page's own scripts run.
LISTENER = """(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
      + ' at ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
})();"""
SEARCH_PAGE = "search/index.html"


def directives(policy: str) -> dict[str, list[str]]:
    """A policy as directive -> its sources (CSP Level 3 syntax: ';'-separated, whitespace-split)."""
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


class Head(HTMLParser):
    """The CSP meta tags of a page, whether each came before any script or stylesheet, and inline code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []
        self.policy_first: list[bool] = []
        self.loaded_before = False
        self.inline: list[str] = []
        self.in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policies.append(values.get("content", ""))
            self.policy_first.append(not self.loaded_before)
        if tag == "script" or (tag == "link" and values.get("rel") == "stylesheet"):
            self.loaded_before = True
        if tag == "style":
            self.inline.append("<style>")
        self.inline += [f"<{tag} {name}>" for name in values if name.startswith("on") or name == "style"]
        if tag == "script":
            self.in_script = values.get("type", "") if not values.get("src") else "src"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None

    def handle_data(self, data: str) -> None:
        if self.in_script not in (None, "src", "application/ld+json") and data.strip():
            self.inline.append(f"inline script {data[:50]!r}")


def head_of(site: BuiltSite, page: str) -> Head:
    head = Head()
    head.feed((site.root / page).read_text("utf-8"))
    head.close()
    return head


# --- the policy itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [CSP, SEARCH_CSP], ids=["pages", "search"])
def test_the_policy_is_strict(policy: str) -> None:
    d = directives(policy)
    every_source = [s.lower() for sources in d.values() for s in sources]
    assert "'unsafe-inline'" not in every_source
    assert "'unsafe-eval'" not in every_source
    assert "'unsafe-hashes'" not in every_source
    assert d["default-src"] == ["'self'"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'none'"]
    assert set(d["script-src"]) <= {"'self'", "'wasm-unsafe-eval'"}
    assert d["style-src"] == ["'self'"]
    assert not [s for s in every_source if s == "*" or s.endswith(("http:", "https:")) or "://" in s]
    assert "frame-ancestors" not in d  # ignored in a <meta> tag, and Chromium logs an error saying so


def test_only_the_search_page_may_compile_webassembly() -> None:
    assert "'wasm-unsafe-eval'" not in directives(CSP)["script-src"]
    assert directives(SEARCH_CSP)["script-src"] == ["'self'", "'wasm-unsafe-eval'"]


def test_every_page_carries_the_policy_before_anything_loads(served_site: BuiltSite) -> None:
    wrong = {}
    for page in served_site.pages:
        head = head_of(served_site, page)
        expected = SEARCH_CSP if page == SEARCH_PAGE else CSP
        if head.policies != [expected] or head.policy_first != [True]:
            wrong[page] = (head.policies, head.policy_first)
    assert len(served_site.pages) > 100
    assert wrong == {}


def test_no_page_needs_a_weaker_policy(served_site: BuiltSite) -> None:
    # Inline scripts, inline styles and handler attributes are what would force 'unsafe-inline'.
    inline = {page: found for page in served_site.pages if (found := head_of(served_site, page).inline)}
    assert inline == {}


# --- Chromium ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def watched(chromium: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = chromium.new_context()
    context.add_init_script(LISTENER)
    page = context.new_page()
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            console.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    try:
        yield page, console
    finally:
        context.close()


@pytest.mark.browser
def test_chromium_reports_no_violation_on_any_page(watched: tuple[Page, list[str]], served_site: BuiltSite) -> None:
    page, console = watched
    violations = {}
    for path in served_site.pages:
        page.goto(served_site.url(path), wait_until="load")
        found = page.evaluate("window.__cspViolations")
        if found:
            violations[path] = found
    assert violations == {}
    assert console == []


@pytest.mark.browser
def test_search_works_under_the_policy(watched: tuple[Page, list[str]], served_site: BuiltSite) -> None:
    page, console = watched
    page.goto(served_site.url(SEARCH_PAGE) + "?q=Karabakh", wait_until="load")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    assert page.locator(".pagefind-ui__result-link").count() > 0
    page.fill("#search input", "peacekeepers")
    page.wait_for_function(
        "() => (document.querySelector('.pagefind-ui__message') || {}).textContent?.includes('peacekeepers')")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []


@pytest.mark.browser
def test_the_listener_sees_a_violation_when_there_is_one(chromium: Browser, served_site: BuiltSite) -> None:
    """Control: an inline script and an inline style under the site's own policy are reported."""
    context = chromium.new_context()
    context.add_init_script(LISTENER)
    try:
        page = context.new_page()
        body = (f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{CSP}">'
                "<script>window.ran = 1</script><p style='color:red'>x</p>")
        control = served_site.base_url + "csp-control.html"
        page.route(control, lambda route: route.fulfill(body=body, content_type="text/html"))
        page.goto(control, wait_until="load")
        page.wait_for_timeout(100)
        found = page.evaluate("window.__cspViolations")
        ran = page.evaluate("window.ran")
    finally:
        context.close()
    assert ran is None
    assert any(re.match(r"script-src-elem blocked inline", f) for f in found)
    assert any(re.match(r"style-src-attr blocked inline", f) for f in found)
