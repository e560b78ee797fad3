"""Briefings -> Atom feed, sitemap and robots.txt (XML built with ElementTree, so it is always well formed)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from briefing.model import Briefing, SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _stamp(b: Briefing) -> str:
    d = b.meta.published
    if d is None:
        return "1970-01-01T00:00:00Z"  # unknown: a fixed stamp keeps builds reproducible
    return f"{d.first_day().isoformat()}T00:00:00Z"


def atom_feed(site: SiteConfig, base_url: str, briefings: Sequence[Briefing]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": site.language})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = site.title
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = site.description or site.title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = base_url
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base_url + "feed.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base_url})
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max((_stamp(b) for b in briefings), default="1970-01-01T00:00:00Z")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site.publisher or site.title
    for b in briefings:
        url = f"{base_url}briefings/{b.slug}/"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = b.meta.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(b)
        for a in b.meta.authors or ():
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = a.name
        summary = b.meta.summary or (b.document.paragraphs()[0].text if b.document.paragraphs() else b.meta.title)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def sitemap(base_url: str, pages: Sequence[str]) -> bytes:
    """``pages`` are output paths of HTML pages; directory pages are listed by their directory URL."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in sorted(pages):
        loc = path[: -len("index.html")] if path.endswith("index.html") else path
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = base_url + loc
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode()
