"""Briefings -> Atom feed (RFC 4287), sitemap (sitemaps.org 0.9) and robots.txt, as bytes.

The XML is built with ElementTree, so it is always well formed and every text is escaped. Elements
are written unprefixed under an ``xmlns`` attribute on the root (ElementTree's namespace registry is
global state, and ``default_namespace`` refuses unprefixed attributes).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from briefing.model import BriefingSummary, SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "xml:lang"  # the xml: prefix is bound in every XML document
UNKNOWN_STAMP = "1970-01-01T00:00:00Z"  # no date known: a fixed stamp keeps builds reproducible
GENERATOR = "briefing"


def stamp(b: BriefingSummary) -> str:
    """An RFC 3339 timestamp for a briefing: the first day of its publication date, at midnight UTC."""
    d = b.meta.published
    if d is None:
        return UNKNOWN_STAMP
    return f"{d.first_day().isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def atom_feed(site: SiteConfig, base_url: str, briefings: Sequence[BriefingSummary]) -> bytes:
    """One entry per briefing, linking its page under ``base_url`` (absolute, ending in "/")."""
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: site.language})
    _add(feed, "id", base_url)
    _add(feed, "title", site.title)
    _add(feed, "subtitle", site.description or site.title)
    _add(feed, "link", rel="self", type="application/atom+xml", href=base_url + "feed.xml")
    _add(feed, "link", rel="alternate", type="text/html", href=base_url)
    _add(feed, "updated", max((stamp(b) for b in briefings), default=UNKNOWN_STAMP))
    _add(_add(feed, "author"), "name", site.publisher or site.title)
    if site.license:
        _add(feed, "rights", site.license)
    _add(feed, "generator", GENERATOR)
    for b in briefings:
        _entry(feed, b, base_url)
    return _xml(feed)


def _entry(feed: ET.Element, b: BriefingSummary, base_url: str) -> None:
    url = f"{base_url}briefings/{b.slug}/"
    entry = _add(feed, "entry")
    _add(entry, "id", url)
    _add(entry, "title", b.meta.title)
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    _add(entry, "updated", stamp(b))
    for a in b.meta.authors:
        _add(_add(entry, "author"), "name", a.name)
    _add(entry, "summary", b.meta.summary or b.lead or b.meta.title)


def sitemap(base_url: str, pages: Sequence[str]) -> bytes:
    """``pages`` are output paths of HTML pages; directory pages are listed by their directory URL."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for path in sorted(pages):
        loc = path[: -len("index.html")] if path.endswith("index.html") else path
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = base_url + loc
    return _xml(root)


def _xml(root: ET.Element) -> bytes:
    """An indented UTF-8 document with its XML declaration and a final newline."""
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def robots(base_url: str) -> bytes:
    """Allow everything and point at the sitemap (crawlers read robots.txt only at a host's root)."""
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode()
