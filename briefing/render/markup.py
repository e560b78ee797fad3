"""Paragraph text + footnote markers + formatting marks + links -> safe HTML (markupsafe.Markup).

Every character of source text passes through ``escape``; the only tags are the ones built here.
Annotations that would cross each other are dropped innermost-last so the HTML always nests.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from briefing.model import FootnoteRef, Mark
from briefing.sources.text import TRAILING_URL_PUNCT, find_urls

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# A browser trims C0 controls and spaces from both ends of a URL and drops tabs and newlines
# anywhere in it ("java\tscript:" is javascript:), so the check looks at the URL as the browser will.
URL_EDGES = "".join(chr(c) for c in range(0x21))
URL_DROPPED = re.compile(r"[\t\n\r]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True, slots=True)
class Link:
    """A link over ``text[start:end]`` added by the site (actor names, dates, URLs)."""

    start: int
    end: int
    href: str
    css_class: str
    title: str | None = None


def safe_url(url: str | None) -> str | None:
    """The URL as a browser reads it if its scheme is http, https or mailto, else None.

    An allow-list, so javascript:, data:, vbscript: and any other scheme fail in any letter case,
    with tabs, newlines or controls inside, and behind entities (``&#106;`` is not a scheme letter).
    A URL with any other control character is refused too. Relative URLs give None.
    """
    if not url:
        return None
    seen = URL_DROPPED.sub("", url.strip(URL_EDGES))
    scheme = SCHEME.match(seen)
    if CONTROL.search(seen) or scheme is None or scheme.group(1).lower() not in SAFE_SCHEMES:
        return None
    return seen


def paragraph_html(
    text: str,
    refs: Sequence[FootnoteRef] = (),
    marks: Sequence[Mark] = (),
    links: Sequence[Link] = (),
    ref_ids: Sequence[str] = (),
) -> Markup:
    """Render one paragraph. ``ref_ids`` gives each marker's element id (``fnref2``, ``fnref2-2``)."""
    esc = _escaper(text)
    if not (refs or marks or links):
        return Markup(esc(text))
    spans: list[tuple[int, int, str, str]] = []  # start, end, open tag, close tag
    for m in marks:
        opened = _mark_tag(m)
        if opened is not None:
            spans.append((m.start, m.end, opened[0], opened[1]))
    for link in links:
        spans.append((link.start, link.end, _link_tag(link.href, link.css_class, link.title), "</a>"))
    inserts: dict[int, list[str]] = {}
    if spans:
        ordered = sorted(spans)
        if _apart(ordered, len(text)):  # the usual case: nothing to drop, tags in start order
            for start, end, opened, closed in ordered:
                inserts.setdefault(start, []).append(opened)
                inserts.setdefault(end, []).append(closed)
        else:  # which span is dropped depends on the order given (formatting before links)
            for pos, html in _events(_nesting(spans, len(text))):
                inserts.setdefault(pos, []).append(html)
    for i, ref in enumerate(refs):
        ident = ref_ids[i] if i < len(ref_ids) else f"fnref{ref.number}"
        html = (
            f'<sup class="fnref"><a id="{ident}" href="#fn{ref.number}" data-note="{ref.number}" '
            f'aria-label="Footnote {ref.number}" aria-describedby="footnotes-label">{ref.number}</a></sup>'
        )
        inserts.setdefault(min(max(ref.offset, 0), len(text)), []).append(html)
    out: list[str] = []
    last = 0
    for pos in sorted(inserts):
        out.append(esc(text[last:pos]))
        out.extend(inserts[pos])
        last = pos
    out.append(esc(text[last:]))
    return Markup("".join(out))


def _escaper(text: str) -> Callable[[str], str]:
    """How to escape the pieces of ``text``: not at all when it has nothing to escape (most prose)."""
    if type(text) is not str:
        return escape_html
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        return escape_text
    return str


def escape_text(text: str) -> str:
    """``str(markupsafe.escape(text))`` for a plain ``str`` (the same five replacements, in its order),
    without making a Markup for each piece of a paragraph. Most text has none of the five characters:
    looking for them first takes a third of the time of the replacements."""
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace(
            '"', "&#34;"
        )
    return text


def escape_html(value: object) -> str:
    """``str(markupsafe.escape(value))``, what ``{{ value }}`` writes in a template: the quick way for a
    plain ``str``, markupsafe's for anything else (a ``Markup`` stays as it is, a number becomes text).

    For views that write the HTML of many small items (a list of quotes) in Python rather than in a
    template loop, where escaping each field into a Markup of its own costs more than the text.
    """
    return escape_text(value) if type(value) is str else str(escape(value))


@lru_cache(maxsize=4096, typed=True)  # typed: a Markup and an equal str escape differently
def _link_tag(href: str, css_class: str, title: str | None) -> str:
    """The opening tag of a site link; remembered, as a page links the same actors and events again and again."""
    attrs = f' href="{escape_html(href)}" class="{escape_html(css_class)}"'
    if title:
        attrs += f' title="{escape_html(title)}"'
    return f"<a{attrs}>"


def _mark_tag(mark: Mark) -> tuple[str, str] | None:
    if mark.kind == "link":
        href = safe_url(mark.href)
        if href is None:
            return None
        return f'<a href="{escape(href)}" rel="noopener">', "</a>"
    tag = {"em": "em", "strong": "strong", "code": "code"}[mark.kind]
    return f"<{tag}>", f"</{tag}>"


def _apart(spans: list[tuple[int, int, str, str]], length: int) -> bool:
    """Whether the spans, sorted, are each non-empty, inside the text and end before (or where) the
    next starts: then ``_nesting`` keeps them all and ``_events`` gives their tags in this order
    (at a position where one ends and the next starts, the close comes first in both orders)."""
    last = 0
    for start, end, _, _ in spans:
        if start < last or end <= start:
            return False
        last = end
    return last <= length


# Up to this many spans ``_nesting`` compares each with the kept ones: quicker than building two trees
# of the paragraph's length, which a typical paragraph (a few marks and links) does not repay.
FEW_SPANS = 24


def _nesting(spans: list[tuple[int, int, str, str]], length: int) -> list[tuple[int, int, str, str]]:
    """Keep spans that nest properly, earlier (source formatting) first; no link inside a link.

    A span is dropped when it crosses a kept span (one starts inside the other and ends outside it)
    or, being a link, overlaps a kept link.
    """
    return _nesting_by_pairs(spans, length) if len(spans) <= FEW_SPANS else _nesting_by_trees(spans, length)


def _nesting_by_pairs(spans: list[tuple[int, int, str, str]], length: int) -> list[tuple[int, int, str, str]]:
    """``_nesting`` by comparing each span with every kept one (for a few spans)."""
    kept: list[tuple[int, int, str, str]] = []
    links: list[tuple[int, int]] = []
    for span in spans:
        start, end = max(span[0], 0), min(span[1], length)
        if start >= end:
            continue
        is_link = span[2].startswith("<a")
        if any(s < start < e < end or start < s < end < e for s, e, _, _ in kept):
            continue
        if is_link and any(s < end and e > start for s, e in links):
            continue
        kept.append((start, end, span[2], span[3]))
        if is_link:
            links.append((start, end))
    return kept


def _nesting_by_trees(spans: list[tuple[int, int, str, str]], length: int) -> list[tuple[int, int, str, str]]:
    """``_nesting`` for many spans. The kept spans always nest, so the spans that contain a point form
    a chain and only the innermost one needs checking: the checks cost log(length) each, and a
    paragraph with tens of thousands of links renders in time linear in them.
    """
    kept: list[tuple[int, int, str, str]] = []
    every, links = _Starts(length), _Starts(length)
    for span in spans:
        start, end = max(span[0], 0), min(span[1], length)
        if start >= end:
            continue
        is_link = span[2].startswith("<a")
        if every.crosses(start, end) or (is_link and links.last_reaching(end, start) is not None):
            continue
        kept.append((start, end, span[2], span[3]))
        every.add(start, end)
        if is_link:
            links.add(start, end)
    return kept


class _Starts:
    """Kept spans by start offset, for the two questions ``_nesting`` asks (a mutable helper of one call).

    ``tree`` is a max segment tree over start offsets holding the furthest end of the spans starting at
    each offset; ``ends`` keeps, per start, the ends of the spans starting there (nested, so sorted).
    """

    def __init__(self, length: int) -> None:
        self.size = 1 << (length + 1).bit_length()
        self.tree = [-1] * (2 * self.size)
        self.ends: dict[int, list[int]] = {}

    def add(self, start: int, end: int) -> None:
        insort(self.ends.setdefault(start, []), end)
        i = start + self.size
        self.tree[i] = max(self.tree[i], end)
        while i > 1:
            i //= 2
            self.tree[i] = max(self.tree[2 * i], self.tree[2 * i + 1])

    def last_reaching(self, before: int, past: int) -> int | None:
        """The largest start below ``before`` of a span that ends after ``past``, or None."""
        return self._search(1, 0, self.size, before, past)

    def _search(self, node: int, lo: int, hi: int, before: int, past: int) -> int | None:
        if lo >= before or self.tree[node] <= past:
            return None
        if hi - lo == 1:
            return lo
        mid = (lo + hi) // 2
        right = self._search(2 * node + 1, mid, hi, before, past)
        return right if right is not None else self._search(2 * node, lo, mid, before, past)

    def crosses(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` cross a span? One that holds ``start`` strictly inside and ends before
        ``end``, or one that holds ``end`` strictly inside and starts after ``start``."""
        holder = self.last_reaching(start, start)  # the innermost span with start strictly inside
        if holder is not None:
            ends = self.ends[holder]
            if ends[bisect_right(ends, start)] < end:
                return True
        holder = self.last_reaching(end, end)  # the innermost span with end strictly inside
        return holder is not None and holder > start


def _events(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, str]]:
    """Open and close tags in document order: at one position, closes before opens, outer opens first."""
    events: list[tuple[int, int, int, str]] = []
    for start, end, opened, closed in spans:
        events.append((start, 1, -(end - start), opened))
        events.append((end, 0, end - start, closed))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return [(pos, html) for pos, _, _, html in events]


def web_href(url: str) -> str | None:
    """Where an address printed in a text may point: a bare ``www.`` address gets ``https://``; then
    ``safe_url`` (only http(s) and mailto)."""
    return safe_url(f"https://{url}" if url[:4].lower() == "www." else url)


def linkify_urls(text: str) -> tuple[Link, ...]:
    """Links for bare http(s) URLs inside a text (notes cite sources by URL)."""
    out = []
    for m in find_urls(text):
        url = m.group(0).rstrip(TRAILING_URL_PUNCT)
        href = web_href(url)
        if href:
            out.append(Link(m.start(), m.start() + len(url), href, "url"))
    return tuple(out)
