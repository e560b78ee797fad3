"""Paragraph text + footnote markers + formatting marks + links -> safe HTML (markupsafe.Markup).

Every character of source text passes through ``escape``; the only tags are the ones built here.
Annotations that would cross each other are dropped innermost-last so the HTML always nests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefing.model import FootnoteRef, Mark
from briefing.sources.text import TRAILING_URL_PUNCT, URL_RE

SAFE_SCHEMES = ("http://", "https://", "mailto:")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True, slots=True)
class Link:
    """A link over ``text[start:end]`` added by the site (actor names, dates, URLs)."""

    start: int
    end: int
    href: str
    css_class: str
    title: str | None = None


def safe_url(url: str | None) -> str | None:
    """Only http(s) and mailto URLs from sources become links (no javascript:, data:, vbscript:)."""
    if not url:
        return None
    compact = CONTROL.sub("", url).strip()
    lowered = compact.lower()
    if lowered.startswith(SAFE_SCHEMES):
        return compact
    return None


def paragraph_html(
    text: str,
    refs: Sequence[FootnoteRef] = (),
    marks: Sequence[Mark] = (),
    links: Sequence[Link] = (),
    ref_ids: Sequence[str] = (),
) -> Markup:
    """Render one paragraph. ``ref_ids`` gives each marker's element id (``fnref2``, ``fnref2-2``)."""
    spans: list[tuple[int, int, str, str]] = []  # start, end, open tag, close tag
    for m in marks:
        opened = _mark_tag(m)
        if opened is not None:
            spans.append((m.start, m.end, opened[0], opened[1]))
    for link in links:
        attrs = f' href="{escape(link.href)}" class="{escape(link.css_class)}"'
        if link.title:
            attrs += f' title="{escape(link.title)}"'
        spans.append((link.start, link.end, f"<a{attrs}>", "</a>"))
    kept = _nesting(spans, len(text))
    inserts: dict[int, list[str]] = {}
    for pos, html in _events(kept):
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
        out.append(str(escape(text[last:pos])))
        out.extend(inserts[pos])
        last = pos
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _mark_tag(mark: Mark) -> tuple[str, str] | None:
    if mark.kind == "link":
        href = safe_url(mark.href)
        if href is None:
            return None
        return f'<a href="{escape(href)}" rel="noopener">', "</a>"
    tag = {"em": "em", "strong": "strong", "code": "code"}[mark.kind]
    return f"<{tag}>", f"</{tag}>"


def _nesting(spans: list[tuple[int, int, str, str]], length: int) -> list[tuple[int, int, str, str]]:
    """Keep spans that nest properly, earlier (source formatting) first; no link inside a link."""
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        start, end = max(span[0], 0), min(span[1], length)
        if start >= end:
            continue
        crosses = any(s < start < e < end or start < s < end < e for s, e, _, _ in kept)
        nested_link = span[2].startswith("<a") and any(
            o.startswith("<a") and s < end and start < e for s, e, o, _ in kept
        )
        if not crosses and not nested_link:
            kept.append((start, end, span[2], span[3]))
    return kept


def _events(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, str]]:
    """Open and close tags in document order: at one position, closes before opens, outer opens first."""
    events: list[tuple[int, int, int, str]] = []
    for start, end, opened, closed in spans:
        events.append((start, 1, -(end - start), opened))
        events.append((end, 0, end - start, closed))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return [(pos, html) for pos, _, _, html in events]


def linkify_urls(text: str) -> tuple[Link, ...]:
    """Links for bare http(s) URLs inside a text (notes cite sources by URL)."""
    out = []
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(TRAILING_URL_PUNCT)
        href = safe_url(url if "://" in url else f"https://{url}")
        if href:
            out.append(Link(m.start(), m.start() + len(url), href, "url"))
    return tuple(out)
