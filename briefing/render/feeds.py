"""Briefings -> Atom feed (RFC 4287), sitemap (sitemaps.org 0.9) and robots.txt, as bytes.

The XML is written as text, element by element, the way ElementTree writes the same tree (its
escaping, its two-space indentation, ``<empty />`` elements): ElementTree built a thousand entries
ten times slower, and the test suite checks the bytes against it for any text (tests/unit/test_feeds.py).
Every text goes through ``_text`` and every attribute through ``_attr``, so the document is always
well formed.
"""

from __future__ import annotations

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


# What ElementTree escapes, in its order: in character data, and in attribute values (where line ends
# and tabs become character references).
TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
ATTR_ESCAPES = (*TEXT_ESCAPES, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, reference in escapes:
        if char in text:  # looking costs less than replacing, and most texts have none
            text = text.replace(char, reference)
    return text


def _text(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    return _escaped(text, TEXT_ESCAPES)


def _attr(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    return _escaped(text, ATTR_ESCAPES)


def _leaf(indent: str, tag: str, text: str) -> str:
    """An element holding only text, on a line of its own (an empty one closes itself, as ElementTree's)."""
    return f"{indent}<{tag}>{_text(text)}</{tag}>\n" if text else f"{indent}<{tag} />\n"


def _link(indent: str, rel: str, href: str) -> str:
    kind = "application/atom+xml" if rel == "self" else "text/html"
    return f'{indent}<link rel="{rel}" type="{kind}" href="{_attr(href)}" />\n'


def _document(root: str, attrs: str, body: str) -> bytes:
    """The XML declaration, the root element around ``body`` (its children, indented), a final newline."""
    element = f"<{root} {attrs}>\n{body}</{root}>" if body else f"<{root} {attrs} />"
    return f"<?xml version='1.0' encoding='utf-8'?>\n{element}\n".encode()


def atom_feed(site: SiteConfig, base_url: str, briefings: Sequence[BriefingSummary]) -> bytes:
    """One entry per briefing, linking its page under ``base_url`` (absolute, ending in "/")."""
    i = "  "
    head = [
        _leaf(i, "id", base_url),
        _leaf(i, "title", site.title),
        _leaf(i, "subtitle", site.description or site.title),
        _link(i, "self", base_url + "feed.xml"),
        _link(i, "alternate", base_url),
        _leaf(i, "updated", max((stamp(b) for b in briefings), default=UNKNOWN_STAMP)),
        f"{i}<author>\n{_leaf(i * 2, 'name', site.publisher or site.title)}{i}</author>\n",
    ]
    if site.license:
        head.append(_leaf(i, "rights", site.license))
    head.append(_leaf(i, "generator", GENERATOR))
    body = "".join(head) + "".join(_entry(b, base_url) for b in briefings)
    return _document("feed", f'xmlns="{ATOM}" {XML_LANG}="{_attr(site.language)}"', body)


def _entry(b: BriefingSummary, base_url: str) -> str:
    url = f"{base_url}briefings/{b.slug}/"
    i, ii, iii = "  ", "    ", "      "
    authors = "".join(f"{ii}<author>\n{_leaf(iii, 'name', a.name)}{ii}</author>\n" for a in b.meta.authors)
    return (f"{i}<entry>\n{_leaf(ii, 'id', url)}{_leaf(ii, 'title', b.meta.title)}{_link(ii, 'alternate', url)}"
            f"{_leaf(ii, 'updated', stamp(b))}{authors}"
            f"{_leaf(ii, 'summary', b.meta.summary or b.lead or b.meta.title)}{i}</entry>\n")


def sitemap(base_url: str, pages: Sequence[str]) -> bytes:
    """``pages`` are output paths of HTML pages; directory pages are listed by their directory URL."""
    urls = []
    for path in sorted(pages):
        loc = path[: -len("index.html")] if path.endswith("index.html") else path
        urls.append(f"  <url>\n{_leaf('    ', 'loc', base_url + loc)}  </url>\n")
    return _document("urlset", f'xmlns="{SITEMAP}"', "".join(urls))


def robots(base_url: str) -> bytes:
    """Allow everything and point at the sitemap (crawlers read robots.txt only at a host's root)."""
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode()
