"""The XSS corpus built into a site and every page loaded in Chromium: nothing runs, the payloads show as text.

The pages are loaded with the Content-Security-Policy bypassed, so what is tested here is the escaping
alone; the policy is a second wall, tested in test_csp.py. Execution is detected by hooks installed
before any page script (alert/confirm/prompt/print, ``document.title`` assignments, ``window.pwned``),
by dialogs, and by requests to the beacon host; a DOM audit also finds handlers and dangerous URLs
that would only fire on a click or a hover.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import xss_project
from payloads import BEACON_HOST, MARKDOWN_LINKS, PAYLOADS
from playwright.sync_api import Browser, Dialog, Page, Route
from support.site import BuiltSite
from xss_project import MARKDOWN_SLUG, QUOTE_URL, TEXT_SLUG, TEXT_TITLE

pytestmark = pytest.mark.browser

# Runs in every frame before the page's own scripts. Every way a payload could announce itself reports
# through the exposed binding, so frames (srcdoc, javascript: URLs) report too.
HOOKS = """(() => {
  const report = (what) => { try { window.__xssReport(String(what)); } catch (e) {} };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = function (...args) { report(name + '(' + args.join(',') + ')'); };
  }
  Object.defineProperty(window, 'pwned', {set(v) { report('window.pwned=' + v); }, get() { return undefined; }});
  const title = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  Object.defineProperty(Document.prototype, 'title', {
    configurable: true,
    get() { return title.get.call(this); },
    set(v) { report('document.title=' + v); title.set.call(this, v); },
  });
})();"""

# Markup that would act without a script tag: handlers, inline styles, dangerous URLs, frames, plugins,
# <base>, <meta http-equiv>, and scripts other than the site's own files and its JSON-LD.
DOM_AUDIT = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href', 'srcset'];
  const scheme = (v) => v.replace(/[\\u0000-\\u0020\\u007f]/g, '').toLowerCase();
  const describe = (el) => '<' + el.tagName.toLowerCase() + '> ' + el.outerHTML.slice(0, 120);
  const origin = (u) => { try { return new URL(u, location.href).origin; } catch (e) { return 'unparsable'; } };
  const home = origin(location.href);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push('handler ' + name + ' on ' + describe(el));
      if (name === 'style') bad.push('inline style on ' + describe(el));
      if (name === 'srcdoc') bad.push('srcdoc on ' + describe(el));
      if (urlAttrs.includes(name)) {
        const v = scheme(a.value);
        // The site's own: the favicon is an SVG data URL; Pagefind's search form has a void action.
        const icon = tag === 'link' && el.rel === 'icon' && v.startsWith('data:image/svg+xml');
        const pagefind = tag === 'form' && el.closest('.pagefind-ui') && v === 'javascript:void(0);';
        if (/^(javascript|vbscript|data):/.test(v) && !icon && !pagefind) bad.push('dangerous URL in ' + describe(el));
      }
    }
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'math', 'style'].includes(tag)) {
      bad.push('element ' + describe(el));
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')
        && el.getAttribute('http-equiv').toLowerCase() !== 'content-security-policy') {
      bad.push('meta http-equiv ' + describe(el));
    }
    if (tag === 'script') {
      const ok = el.type === 'application/ld+json'
        || (el.src && origin(el.src) === home && el.textContent === '');
      if (!ok) bad.push('script ' + describe(el));
    }
    if (tag === 'link' && el.rel === 'stylesheet' && origin(el.href) !== home) {
      bad.push('foreign stylesheet ' + describe(el));
    }
    if ((tag === 'img' || tag === 'source' || tag === 'video' || tag === 'audio') && el.src
        && origin(el.src) !== home) {
      bad.push('foreign media ' + describe(el));
    }
  }
  return bad;
}"""


@dataclass
class Observed:
    """What the hooks, the dialog listener and the network guard saw, per page path."""

    ran: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.ran or self.requests or self.navigations)


@dataclass
class Crawl:
    observed: Observed
    audit: dict[str, list[str]]
    text: dict[str, str]
    json_ld: dict[str, list[str]]


def normal(text: str) -> str:
    """Whitespace runs as one space, case folded (some labels are shown in capitals by CSS)."""
    return re.sub(r"\s+", " ", text).strip().casefold()


class Guard:
    """A browser context with the CSP bypassed, the hooks installed and every request off ``host`` stopped."""

    def __init__(self, browser: Browser, host: str) -> None:
        self.observed = Observed()
        self.where = ""  # the page being visited, for the messages
        self.context = browser.new_context(bypass_csp=True)
        self.host = host
        self.context.expose_binding("__xssReport", lambda source, what: self.note(what))
        self.context.add_init_script(HOOKS)
        self.context.route("**/*", self.on_route)
        self.context.on("page", lambda page: page.on("dialog", self.on_dialog))

    def note(self, what: str) -> None:
        self.observed.ran.append(f"{self.where}: {what}")

    def on_dialog(self, dialog: Dialog) -> None:
        self.note(f"dialog {dialog.type} {dialog.message}")
        dialog.dismiss()

    def on_route(self, route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.host:
            self.observed.requests.append(f"{self.where}: request to {route.request.url}")
            route.abort()
            return
        route.continue_()


@pytest.fixture(scope="module")
def guard(chromium: Browser, xss_site: BuiltSite) -> Iterator[Guard]:
    made = Guard(chromium, urlsplit(xss_site.base_url).netloc)
    try:
        yield made
    finally:
        made.context.close()


def visit(page: Page, site: BuiltSite, path: str, observed: Observed) -> None:
    url = site.url(path)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(30)  # SVG animations and media errors fire just after load
    if page.url != url:
        observed.navigations.append(f"{path}: the page navigated to {page.url}")


@pytest.fixture(scope="module")
def crawl(guard: Guard, xss_site: BuiltSite) -> Crawl:
    page = guard.context.new_page()
    audit: dict[str, list[str]] = {}
    text: dict[str, str] = {}
    json_ld: dict[str, list[str]] = {}
    for path in xss_site.pages:
        guard.where = path
        visit(page, xss_site, path, guard.observed)
        found = page.evaluate(DOM_AUDIT)
        if found:
            audit[path] = found
        text[path] = page.inner_text("body")
        json_ld[path] = page.eval_on_selector_all(
            'script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    page.close()
    return Crawl(guard.observed, audit, text, json_ld)


def test_the_corpus_is_large_and_reaches_every_kind_of_page(xss_site: BuiltSite) -> None:
    assert len(PAYLOADS) + len(MARKDOWN_LINKS) >= 40
    expected = set(xss_project.places())
    assert expected <= set(xss_site.pages), sorted(expected - set(xss_site.pages))


def test_no_payload_runs_on_any_page(crawl: Crawl, xss_site: BuiltSite) -> None:
    assert len(crawl.text) == len(xss_site.pages)
    assert crawl.observed.ran == []
    assert crawl.observed.navigations == []


def test_no_payload_makes_a_request_off_the_site(crawl: Crawl) -> None:
    assert crawl.observed.requests == []


def test_no_payload_reaches_the_dom_as_markup(crawl: Crawl) -> None:
    assert crawl.audit == {}, "\n".join(f"{path}: {item}" for path, items in crawl.audit.items() for item in items)


@pytest.mark.parametrize("path", sorted(xss_project.places()))
def test_payloads_are_shown_literally(crawl: Crawl, path: str) -> None:
    shown = normal(crawl.text[path])
    missing = [s for s in xss_project.places()[path] if normal(s) not in shown]
    assert missing == []


def test_json_ld_keeps_hostile_titles_inside_its_block(crawl: Crawl) -> None:
    blocks = crawl.json_ld[f"briefings/{TEXT_SLUG}/index.html"]
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["headline"].startswith(TEXT_TITLE)
    assert data["sameAs"] == QUOTE_URL
    md = json.loads(crawl.json_ld[f"briefings/{MARKDOWN_SLUG}/index.html"][0])
    assert md["headline"].startswith(xss_project.MD_TITLE)


def test_opening_a_footnote_preview_runs_nothing(guard: Guard, xss_site: BuiltSite) -> None:
    before = len(guard.observed.ran)
    page = guard.context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})  # narrow: notes open as previews, not sidenotes
    for slug in (TEXT_SLUG, MARKDOWN_SLUG):
        guard.where = f"briefings/{slug}/ (note preview)"
        visit(page, xss_site, f"briefings/{slug}/index.html", guard.observed)
        page.locator('a[data-note="1"]').first.click()
        page.wait_for_timeout(50)
        assert page.locator(".fn-pop").count() == 1
        assert "onerror=alert(1)" in page.inner_text(".fn-pop")
    page.close()
    assert guard.observed.ran[before:] == []


def test_searching_for_payloads_runs_nothing(guard: Guard, xss_site: BuiltSite) -> None:
    if not (xss_site.root / "pagefind" / "pagefind-ui.js").is_file():
        pytest.skip("Pagefind is not installed: the build has no search index (pip install -e '.[test]')")
    before = len(guard.observed.ran), len(guard.observed.requests)
    page = guard.context.new_page()
    guard.where = "search/ (queries)"
    visit(page, xss_site, "search/index.html", guard.observed)
    for query in ("alert", "onerror", "script", "svg onload"):
        page.fill("#search input", query)
        page.wait_for_function(  # Pagefind's message names the query once its results are shown
            "q => (document.querySelector('.pagefind-ui__message') || {}).textContent?.includes(q)", arg=query)
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)  # results load after the message
        page.wait_for_timeout(100)
    audit = page.evaluate(DOM_AUDIT)
    page.close()
    assert (len(guard.observed.ran), len(guard.observed.requests)) == before
    assert audit == []


def test_the_hooks_catch_a_payload_that_does_run(chromium: Browser) -> None:
    """Control: the same hooks, audit and guard on a page that really is vulnerable."""
    control = Guard(chromium, "127.0.0.1")
    control.where = "control"
    try:
        page = control.context.new_page()
        page.set_content(
            "<p>x</p><img src=x onerror=alert(1)><script>document.title='XSS-RAN'; window.pwned=1</script>"
            f"<img src=https://{BEACON_HOST}/control.png><a href='javascript:alert(2)'>y</a>"
        )
        page.wait_for_timeout(100)
        audit = page.evaluate(DOM_AUDIT)
    finally:
        control.context.close()
    assert "control: alert(1)" in control.observed.ran
    assert "control: document.title=XSS-RAN" in control.observed.ran
    assert "control: window.pwned=1" in control.observed.ran
    assert control.observed.requests == [f"control: request to https://{BEACON_HOST}/control.png"]
    assert any(a.startswith("handler onerror") for a in audit)
    assert any(a.startswith("dangerous URL") for a in audit)
