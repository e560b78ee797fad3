"""Escaping without a browser: the Jinja environment, the Markdown parsers, the URL check, JSON-LD, and the
built XSS corpus site read back as HTML (no handler, no foreign script, no dangerous URL, no raw payload)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from payloads import COMBINED, MARKDOWN_LINKS, PAYLOADS
from sitekit import build_site, make_project
from support.site import BuiltSite

from briefing.errors import SourceErrors
from briefing.model import Author, BriefingMeta, FootnoteRef, Mark
from briefing.render.cite import json_ld
from briefing.render.markup import linkify_urls, paragraph_html, safe_url
from briefing.render.site_view import page_markdown
from briefing.render.templates import template_env
from briefing.sources.content import read_project
from briefing.sources.files import decode
from briefing.sources.markdown import markdown_parser, read_markdown

REPO = Path(__file__).resolve().parents[2]
BROWSER_DROPS = re.compile(r"[\t\n\r]")  # what a browser's URL parser removes anywhere in a URL
DANGEROUS = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)


def browser_scheme_is_dangerous(url: str) -> bool:
    """Would a browser run or inline this URL? (trims C0 controls and spaces, drops tabs and newlines)."""
    seen = BROWSER_DROPS.sub("", url.strip("".join(chr(c) for c in range(0x21))))
    return bool(DANGEROUS.match(seen))


# --- the template environment ---------------------------------------------------------------------


def test_autoescape_is_on_for_every_template() -> None:
    env = template_env(REPO / "templates")
    names = sorted(p.name for p in (REPO / "templates").iterdir() if p.is_file())
    assert names
    for name in [*names, "feed.xml", "anything.txt"]:
        on = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        assert on is True, name
    rendered = env.from_string("{{ v }}|{{ d.k }}").render(v="<script>'\"&", d={"k": "{{ 7*7 }}"})
    assert rendered == "&lt;script&gt;&#39;&#34;&amp;|{{ 7*7 }}"


def test_no_template_switches_escaping_off() -> None:
    # Contexts hand over Markup for the HTML the renderer built, so a template never needs |safe.
    offending = []
    for path in sorted((REPO / "templates").iterdir()):
        text = path.read_text("utf-8")
        for pattern in (r"\|\s*safe\b", r"autoescape\s+false", r"\bMarkup\b"):
            offending += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offending == []


# --- Markdown: raw HTML off, links checked ---------------------------------------------------------


@pytest.mark.parametrize("md", [markdown_parser(), page_markdown()], ids=["seeds", "pages"])
def test_markdown_parsers_never_pass_raw_html(md: object) -> None:
    tokens = md.parse("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> <!-- c -->\n")  # type: ignore[attr-defined]
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not {k for k in kinds if k.startswith("html")}


@pytest.mark.parametrize(("label", "source"), MARKDOWN_LINKS, ids=[label for label, _ in MARKDOWN_LINKS])
def test_markdown_seed_links_never_keep_a_dangerous_url(label: str, source: str) -> None:
    doc = read_markdown(decode("seeds/x.md", f"Before {source} after.\n\n[evil]: javascript:alert(1)\n".encode()))
    paragraph = doc.paragraphs()[0]
    assert label in paragraph.text
    hrefs = [m.href for m in paragraph.marks if m.kind == "link" and m.href]
    assert not any(browser_scheme_is_dangerous(h) for h in hrefs)
    assert not any(browser_scheme_is_dangerous(u) for u in doc.links)
    html = str(paragraph_html(paragraph.text, paragraph.footnotes, paragraph.marks))
    assert not any(browser_scheme_is_dangerous(h) for h in re.findall(r'href="([^"]*)"', html))


@pytest.mark.parametrize(("label", "source"), MARKDOWN_LINKS, ids=[label for label, _ in MARKDOWN_LINKS])
def test_editorial_page_links_never_keep_a_dangerous_url(label: str, source: str) -> None:
    html = page_markdown().render(f"Before {source} after.\n\n[evil]: javascript:alert(1)\n")
    urls = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert not any(browser_scheme_is_dangerous(u.replace("&amp;", "&")) for u in urls)
    assert label.replace('"', "&quot;") in html or label in html


# --- the URL check ---------------------------------------------------------------------------------

REFUSED = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "\tjavascript:alert(1)", "\x00javascript:alert(1)", "\x01\x02javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "java\rscript:alert(1)", "javascript\t:alert(1)", "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)", "javascript&colon;alert(1)", "%6Aavascript:alert(1)", "\u200bjavascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)", "file:///etc/passwd", "ftp://example.org/", "//example.org/x",
    "/relative", "relative/path", "#fragment", "", " ", "https://example.org/\x00x", "https://example.org/\x1bx",
    "ｊavascript:alert(1)", "javascript:https://example.org/",
]
ALLOWED = [
    ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
    ("HTTP://EXAMPLE.ORG/", "HTTP://EXAMPLE.ORG/"),
    (" \thttps://example.org/\n", "https://example.org/"),
    ("ht\ttps://example.org/", "https://example.org/"),
    ("mailto:editor@example.org", "mailto:editor@example.org"),
    ('https://example.org/"onmouseover="alert(1)', 'https://example.org/"onmouseover="alert(1)'),
]


@pytest.mark.parametrize("url", REFUSED, ids=[repr(u) for u in REFUSED])
def test_safe_url_refuses_everything_but_http_and_mailto(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(("url", "seen"), ALLOWED, ids=[repr(u) for u, _ in ALLOWED])
def test_safe_url_passes_web_and_mail_addresses_as_a_browser_reads_them(url: str, seen: str) -> None:
    assert safe_url(url) == seen


def test_link_marks_with_refused_urls_render_as_plain_text() -> None:
    text = "one two three"
    marks = [Mark(0, 3, "link", "javascript:alert(1)"), Mark(4, 7, "link", " JaVa\tScRiPt:alert(1)"),
             Mark(8, 13, "link", 'https://example.org/"><script>alert(1)</script>')]
    html = str(paragraph_html(text, (FootnoteRef(1, 3),), marks))
    assert html == (
        'one<sup class="fnref"><a id="fnref1" href="#fn1" data-note="1" aria-label="Footnote 1" '
        'aria-describedby="footnotes-label">1</a></sup> two '
        '<a href="https://example.org/&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener">three</a>'
    )


def test_text_around_marks_is_escaped() -> None:
    text = "<b>x</b> & y"
    html = str(paragraph_html(text, (), (Mark(0, 8, "em"),)))
    assert html == "<em>&lt;b&gt;x&lt;/b&gt;</em> &amp; y"


def test_urls_found_in_notes_link_only_to_the_web() -> None:
    text = 'See https://example.org/a"onclick=alert(1) and www.example.org/b.'
    www = text.index("www.")
    links = linkify_urls(text)
    assert [(link.href, link.start, link.end) for link in links] == [
        ("https://example.org/a", 4, 4 + len("https://example.org/a")),
        ("https://www.example.org/b", www, www + len("www.example.org/b")),
    ]


# --- JSON-LD -------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", [
    "</script><script>alert(1)</script>", "<!--<script>", "</SCRIPT >x", "a & b < c > d", COMBINED,
    '"}, "injected": {"x": "',
])
def test_json_ld_cannot_end_its_script_block(title: str) -> None:
    meta = BriefingMeta("s", "s.txt", title, authors=(Author(title),), publisher=title, summary=title,
                        url="https://example.org/</script>")
    text = json_ld(meta, "https://example.org/s/", "</script><!--")
    assert not set("<>&") & set(text)
    data = json.loads(text)
    assert data["headline"].startswith(title)
    assert data["author"][0]["name"] == title
    assert data["sameAs"] == "https://example.org/</script>"
    assert "injected" not in data


# --- the built corpus, read as HTML -----------------------------------------------------------------


class Audit(HTMLParser):
    """Collects markup that could act: handlers, inline styles, dangerous URLs, foreign or inline scripts."""

    URL_ATTRS = frozenset({"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href"})
    BANNED = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"<{tag} {name}>")
            icon = tag == "link" and values.get("rel") == "icon" and value.startswith("data:image/svg+xml")
            if name in self.URL_ATTRS and browser_scheme_is_dangerous(value) and not icon:
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in self.BANNED:
            self.found.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "content-security-policy").lower() != "content-security-policy":
            self.found.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "script":
            self.in_script = values.get("type", "") or values.get("src", "") or "inline"
            src = values.get("src", "")
            if values.get("type") != "application/ld+json" and (not src or "//" in src or ":" in src):
                self.found.append(f"<script {values}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = None

    def handle_data(self, data: str) -> None:
        if self.in_script and self.in_script != "application/ld+json" and data.strip():
            self.found.append(f"script body {data[:60]!r}")


def test_the_built_corpus_has_no_markup_that_could_act(xss_site: BuiltSite) -> None:
    found = {}
    for page in xss_site.pages:
        audit = Audit()
        audit.feed((xss_site.root / page).read_text("utf-8"))
        audit.close()
        if audit.found:
            found[page] = audit.found
    assert len(xss_site.pages) > 2 * len(PAYLOADS)
    assert found == {}


def test_no_payload_appears_unescaped_in_any_page_or_feed(xss_site: BuiltSite) -> None:
    raw = [p.text for p in PAYLOADS if "<" in p.text or '"' in p.text]
    files = [*xss_site.pages, "feed.xml", "sitemap.xml"]
    leaks = {}
    for name in files:
        text = (xss_site.root / name).read_text("utf-8")
        hits = [p for p in raw if p in text]
        if hits:
            leaks[name] = hits
    assert len(raw) > 40
    assert leaks == {}


def test_template_syntax_in_content_is_printed_not_evaluated(xss_site: BuiltSite) -> None:
    home = (xss_site.root / "index.html").read_text("utf-8")
    assert "Site {{ 7*7 }}" in home
    assert "Site 49" not in home


# --- URLs given in metadata -------------------------------------------------------------------------

URL_PATTERN = "^https?://[^\\s]+$"
BAD_METADATA_URLS = ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)",
                     "data:text/html;base64,PHNjcmlwdD4=", "//example.org/x", "https://example.org/ javascript:x",
                     "&#106;avascript:alert(1)"]


def yaml_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


@pytest.mark.parametrize("url", BAD_METADATA_URLS, ids=[repr(u) for u in BAD_METADATA_URLS])
def test_a_front_matter_url_that_is_not_http_is_refused(tmp_path: Path, url: str) -> None:
    seed = f"---\ntitle: T\nurl: {yaml_quoted(url)}\n---\n\nBody text.\n"
    root = make_project(tmp_path / "p", {"x.md": seed})
    with pytest.raises(SourceErrors) as caught:
        read_project(root)
    assert [e.headline() for e in caught.value.errors] == [
        f"seeds/x.md:3:6: error: url: {url!r} does not have the expected form ({URL_PATTERN})"
    ]


@pytest.mark.parametrize("url", BAD_METADATA_URLS, ids=[repr(u) for u in BAD_METADATA_URLS])
def test_a_metadata_url_or_link_that_is_not_http_is_refused(tmp_path: Path, url: str) -> None:
    meta = f"source: x.txt\ntitle: T\nurl: {yaml_quoted(url)}\nlinks:\n  a phrase: {yaml_quoted(url)}\n"
    root = make_project(tmp_path / "p", {"x.txt": "Body text with a phrase.\n"}, {"briefings/x.yaml": meta})
    with pytest.raises(SourceErrors) as caught:
        read_project(root)
    assert [e.headline() for e in caught.value.errors] == [
        f"content/briefings/x.yaml:3:6: error: url: {url!r} does not have the expected form ({URL_PATTERN})",
        f"content/briefings/x.yaml:5:13: error: links.a phrase: {url!r} does not have the expected form "
        f"({URL_PATTERN})",
    ]


def test_editorial_page_images_never_come_from_another_host() -> None:
    html = page_markdown().render("![a](https://beacon.invalid/a.png)\n\n![b](//beacon.invalid/b.png)\n")
    assert re.findall(r'<img[^>]*src="(?:[a-z]+:)?//', html) == []


def test_the_linked_sources_list_links_only_to_the_web(tmp_path: Path) -> None:
    seed = ("---\ntitle: T\n---\n\nSee [the annex](annex/notes.md), [mail](mailto:desk@example.org) and "
            "www.example.org/report.\n")
    out = build_site(make_project(tmp_path / "p", {"x.md": seed}), tmp_path / "site")
    page = (out / "briefings" / "x" / "index.html").read_text("utf-8")
    listed = page.split('id="sources-h"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'<li><a class="url" href="([^"]*)"[^>]*>([^<]*)</a></li>', listed) == [
        ("https://www.example.org/report", "www.example.org/report"),  # a bare www. address is a web address
        ("mailto:desk@example.org", "mailto:desk@example.org"),
    ]
    # A relative address would point into this site, not at the source's files: shown, not linked.
    assert '<li><span class="url">annex/notes.md</span></li>' in listed
