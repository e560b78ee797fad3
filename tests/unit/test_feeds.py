"""Atom feed, sitemap and robots.txt: well-formed XML, RFC 4287 structure, every briefing listed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.crossref import BriefingIndex
from briefing.model import (
    Author,
    Briefing,
    BriefingMeta,
    BriefingSummary,
    Document,
    FuzzyDate,
    Paragraph,
    Section,
    SiteConfig,
    Span,
)
from briefing.pipeline import Options, prepare
from briefing.render import feeds
from briefing.render.feeds import GENERATOR, UNKNOWN_STAMP, atom_feed, robots, sitemap
from briefing.render.summary import summarise

ROOT = Path(__file__).resolve().parents[2]
A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://example.org/project/"
# RFC 3339 date-time as RFC 4287 §3.3 requires it (upper-case T and Z, offset or Z mandatory).
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")
ABSOLUTE_IRI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")

SITE = SiteConfig(
    title="Test <Briefings> & Co",
    description="What the collection covers.",
    base_url=BASE,
    language="en",
    publisher="The Editors",
    license="CC BY 4.0",
)


def briefing(
    slug: str, title: str, published: str | None, authors: tuple[str, ...], summary: str | None
) -> BriefingSummary:
    """What the feed is made from: the summary of a one-paragraph briefing."""
    paragraph = Paragraph("p1", f"First paragraph of {slug}.", Span(f"seeds/{slug}.txt", 1, 1, 1))
    document = Document(
        source=f"seeds/{slug}.txt",
        layout="clean",
        text=paragraph.text + "\n",
        sha256="0" * 64,
        byline=(),
        sections=(Section("opening", None, (paragraph,)),),
        footnotes=(),
        links=(),
    )
    meta = BriefingMeta(
        slug=slug,
        source=f"{slug}.txt",
        title=title,
        authors=tuple(Author(a) for a in authors),
        published=FuzzyDate.parse(published) if published else None,
        summary=summary,
    )
    return summarise(Briefing(meta, document), BriefingIndex(slug, (), (), ()))


BRIEFINGS = (
    briefing("alpha", "Alpha & the <war>", "2021-05", ("Ann Author",), "Alpha summary."),
    briefing("beta", "Beta", "2020", ("Bo One", "Cy Two"), None),
)


def atom_problems(feed: ET.Element) -> list[str]:
    """Violations of RFC 4287's element rules (§4.1.1 feed, §4.1.2 entry, §3.3 dates, §4.2.6 ids)."""
    problems: list[str] = []
    if feed.tag != f"{A}feed":
        return [f"root is {feed.tag}, expected {A}feed"]
    entries = feed.findall(f"{A}entry")
    for where, element in [("feed", feed), *((f"entry {i}", e) for i, e in enumerate(entries))]:
        for tag in ("id", "title", "updated"):
            found = element.findall(f"{A}{tag}")
            if len(found) != 1:
                problems.append(f"{where}: {len(found)} atom:{tag}, expected exactly 1")
        for stamp in element.findall(f"{A}updated") + element.findall(f"{A}published"):
            if not RFC3339.match(stamp.text or ""):
                problems.append(f"{where}: date {stamp.text!r} is not RFC 3339")
        for ident in element.findall(f"{A}id"):
            if not ABSOLUTE_IRI.match(ident.text or ""):
                problems.append(f"{where}: id {ident.text!r} is not an absolute IRI")
        alternates = [(x.get("type"), x.get("hreflang")) for x in element.findall(f"{A}link")
                      if x.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{where}: two alternate links with the same type and hreflang")
        for link in element.findall(f"{A}link"):
            if not link.get("href"):
                problems.append(f"{where}: atom:link without href")
        for author in element.findall(f"{A}author"):
            if len(author.findall(f"{A}name")) != 1:
                problems.append(f"{where}: atom:author needs exactly one atom:name")
    if not feed.findall(f"{A}author"):
        problems += [f"entry {i}: no atom:author and the feed has none" for i, e in enumerate(entries)
                     if not e.findall(f"{A}author")]
    for i, e in enumerate(entries):
        has_alternate = any(x.get("rel", "alternate") == "alternate" for x in e.findall(f"{A}link"))
        if not e.findall(f"{A}content") and not has_alternate:
            problems.append(f"entry {i}: neither atom:content nor an alternate link")
    return problems


def test_feed_is_valid_atom() -> None:
    feed = ET.fromstring(atom_feed(SITE, BASE, BRIEFINGS))
    assert atom_problems(feed) == []


def test_feed_head_elements() -> None:
    feed = ET.fromstring(atom_feed(SITE, BASE, BRIEFINGS))
    assert feed.get(XML_LANG) == "en"
    assert feed.findtext(f"{A}id") == BASE
    assert feed.findtext(f"{A}title") == "Test <Briefings> & Co"  # escaped on the way out, back on parse
    links = {x.get("rel"): x.get("href") for x in feed.findall(f"{A}link")}
    assert links == {"self": BASE + "feed.xml", "alternate": BASE}
    assert feed.findtext(f"{A}author/{A}name") == "The Editors"
    assert feed.findtext(f"{A}rights") == "CC BY 4.0"
    # The newest briefing (alpha, May 2021) dates the feed, from the first day of its month.
    assert feed.findtext(f"{A}updated") == "2021-05-01T00:00:00Z"


def test_feed_entries_one_per_briefing() -> None:
    feed = ET.fromstring(atom_feed(SITE, BASE, BRIEFINGS))
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["Alpha & the <war>", "Beta"]
    pages = [BASE + "briefings/alpha/", BASE + "briefings/beta/"]
    assert [e.findtext(f"{A}id") for e in entries] == pages
    assert [[x.get("href") for x in e.findall(f"{A}link")] for e in entries] == [[pages[0]], [pages[1]]]
    assert [e.findtext(f"{A}updated") for e in entries] == ["2021-05-01T00:00:00Z", "2020-01-01T00:00:00Z"]
    names = [[a.text for a in e.findall(f"{A}author/{A}name")] for e in entries]
    assert names == [["Ann Author"], ["Bo One", "Cy Two"]]
    # Without a summary, the first paragraph stands in.
    assert [e.findtext(f"{A}summary") for e in entries] == ["Alpha summary.", "First paragraph of beta."]


def test_feed_without_dates_is_still_valid_and_stable() -> None:
    undated = (briefing("gamma", "Gamma", None, (), None),)
    first = atom_feed(SITE, BASE, undated)
    assert first == atom_feed(SITE, BASE, undated)
    feed = ET.fromstring(first)
    assert atom_problems(feed) == []  # no entry author, but the feed's author covers it
    assert feed.findtext(f"{A}entry/{A}updated") == "1970-01-01T00:00:00Z"
    assert atom_problems(ET.fromstring(atom_feed(SITE, BASE, ()))) == []


def test_atom_checker_catches_a_broken_feed() -> None:
    broken = ET.fromstring(
        f'<feed xmlns="{A[1:-1]}"><title>t</title><updated>2020-01-01</updated>'
        "<entry><id>x</id><title>e</title></entry></feed>"
    )
    assert atom_problems(broken) == [
        "feed: 0 atom:id, expected exactly 1",
        "feed: date '2020-01-01' is not RFC 3339",
        "entry 0: 0 atom:updated, expected exactly 1",
        "entry 0: id 'x' is not an absolute IRI",
        "entry 0: no atom:author and the feed has none",
        "entry 0: neither atom:content nor an alternate link",
    ]


def test_sitemap_lists_directory_urls_absolute_and_sorted() -> None:
    pages = ["timeline/index.html", "index.html", "briefings/a/index.html", "x.html"]
    root = ET.fromstring(sitemap(BASE, pages))
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert locs == [BASE + "briefings/a/", BASE, BASE + "timeline/", BASE + "x.html"]


def test_robots_points_at_the_sitemap() -> None:
    assert robots(BASE) == b"User-agent: *\nAllow: /\nSitemap: https://example.org/project/sitemap.xml\n"


# --- the real site --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_files() -> tuple[dict[str, bytes], list[str]]:
    _inputs, _index, plan = prepare(Options(ROOT, ROOT / "_unused", base_url=BASE))
    return {f.path: f.data for f in plan.files}, [p.path for p in plan.pages]


def briefing_slugs() -> list[str]:
    """The briefings the project declares: one metadata file per slug (read here, not by the code tested)."""
    return sorted(p.stem for p in (ROOT / "content" / "briefings").glob("*.yaml"))


def test_real_feed_is_valid_and_lists_every_briefing(plan_files: tuple[dict[str, bytes], list[str]]) -> None:
    feed = ET.fromstring(plan_files[0]["feed.xml"])
    assert atom_problems(feed) == []
    ids = sorted(e.findtext(f"{A}id") or "" for e in feed.findall(f"{A}entry"))
    assert ids == [f"{BASE}briefings/{s}/" for s in briefing_slugs()]


def test_real_sitemap_lists_every_page_absolute(plan_files: tuple[dict[str, bytes], list[str]]) -> None:
    files, pages = plan_files
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") or "" for u in root.findall(f"{SM}url")]
    assert all(loc.startswith(BASE) for loc in locs)
    for slug in briefing_slugs():
        assert f"{BASE}briefings/{slug}/" in locs
    expected = {BASE + p.removesuffix("index.html") for p in pages if p != "404.html"}
    assert set(locs) == expected
    assert len(locs) == len(set(locs))
    assert BASE + "404.html" not in locs


def test_real_robots_and_nojekyll(plan_files: tuple[dict[str, bytes], list[str]]) -> None:
    files = plan_files[0]
    assert files["robots.txt"].decode().splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"
    assert files[".nojekyll"] == b""


# --- the bytes ElementTree writes --------------------------------------------------------------------
# ``feeds.py`` writes its XML as text for speed; ElementTree, which it replaced, is the reference here:
# the same tree built element by element, indented and serialised, must give the very same bytes.


def _et_add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _et_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def et_atom_feed(site: SiteConfig, base_url: str, briefings: tuple[BriefingSummary, ...]) -> bytes:
    feed = ET.Element("feed", {"xmlns": A[1:-1], "xml:lang": site.language})
    _et_add(feed, "id", base_url)
    _et_add(feed, "title", site.title)
    _et_add(feed, "subtitle", site.description or site.title)
    _et_add(feed, "link", rel="self", type="application/atom+xml", href=base_url + "feed.xml")
    _et_add(feed, "link", rel="alternate", type="text/html", href=base_url)
    _et_add(feed, "updated", max((feeds.stamp(b) for b in briefings), default=UNKNOWN_STAMP))
    _et_add(_et_add(feed, "author"), "name", site.publisher or site.title)
    if site.license:
        _et_add(feed, "rights", site.license)
    _et_add(feed, "generator", GENERATOR)
    for b in briefings:
        url = f"{base_url}briefings/{b.slug}/"
        entry = _et_add(feed, "entry")
        _et_add(entry, "id", url)
        _et_add(entry, "title", b.meta.title)
        _et_add(entry, "link", rel="alternate", type="text/html", href=url)
        _et_add(entry, "updated", feeds.stamp(b))
        for a in b.meta.authors:
            _et_add(_et_add(entry, "author"), "name", a.name)
        _et_add(entry, "summary", b.meta.summary or b.lead or b.meta.title)
    return _et_bytes(feed)


def et_sitemap(base_url: str, pages: list[str]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SM[1:-1]})
    for path in sorted(pages):
        loc = path[: -len("index.html")] if path.endswith("index.html") else path
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = base_url + loc
    return _et_bytes(root)


# Text with everything XML escapes, line ends and tabs, quotes, and non-ASCII letters.
XML_TEXT = st.text(alphabet=st.sampled_from(list("aZ <>&\"'\r\n\t é—")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(title=XML_TEXT, description=XML_TEXT, publisher=XML_TEXT, license=XML_TEXT, language=XML_TEXT,
       base=XML_TEXT, titles=st.lists(XML_TEXT, max_size=3), authors=st.lists(XML_TEXT, max_size=2),
       summary=st.none() | XML_TEXT)
def test_the_feed_is_byte_for_byte_what_elementtree_writes(
    title: str, description: str, publisher: str, license: str, language: str, base: str, titles: list[str],
    authors: list[str], summary: str | None,
) -> None:
    site = SiteConfig(title=title, description=description, base_url=base, language=language,
                      publisher=publisher or None, license=license or None)
    briefings = tuple(briefing(f"b{i}", t or "untitled", "2021-05" if i % 2 else None,
                               tuple(a for a in authors if a), summary) for i, t in enumerate(titles))
    assert atom_feed(site, base, briefings) == et_atom_feed(site, base, briefings)


@settings(max_examples=100, deadline=None)
@given(base=XML_TEXT, pages=st.lists(XML_TEXT.map(lambda t: t + "/index.html") | XML_TEXT, max_size=5))
def test_the_sitemap_is_byte_for_byte_what_elementtree_writes(base: str, pages: list[str]) -> None:
    assert sitemap(base, pages) == et_sitemap(base, pages)


def test_the_real_feed_and_sitemap_are_what_elementtree_writes() -> None:
    inputs, index, plan = prepare(Options(ROOT, ROOT / "_unused", base_url=BASE))
    files = {f.path: f.data for f in plan.files}
    briefings = tuple(summarise(b, i) for b, i in zip(inputs.briefings, index.briefings, strict=True))
    assert files["feed.xml"] == et_atom_feed(inputs.site, BASE, briefings)
    listed = [p.path for p in plan.pages if p.path.endswith(".html") and p.path != "404.html"]
    assert files["sitemap.xml"] == et_sitemap(BASE, listed)
