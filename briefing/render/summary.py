"""A briefing and its index -> the ``BriefingSummary`` the site-wide pages are built from."""

from __future__ import annotations

from briefing.index.crossref import BriefingIndex, targets
from briefing.model import Briefing, BriefingSummary

DESCRIPTION_CHARS = 200


def summarise(b: Briefing, found: BriefingIndex) -> BriefingSummary:
    """Keep the metadata, a few figures and only the texts that snippets on other pages quote."""
    paragraphs = b.document.paragraphs()
    lead = paragraphs[0].text if paragraphs else ""
    quoted = {m.paragraph for m in found.mentions} | {p.paragraph for p in found.passages}
    return BriefingSummary(
        slug=b.slug,
        meta=b.meta,
        byline=b.document.byline,
        description=description(b.meta.summary, lead if paragraphs else None, b.meta.title),
        lead=lead,
        words=sum(len(p.text.split()) for p in paragraphs),
        texts=tuple((t, text) for t, text in targets(b) if t in quoted),
    )


def description(summary: str | None, lead: str | None, title: str) -> str:
    """The metadata summary, else the opening paragraph (cut with "…" past 200 characters), else the title."""
    if summary:
        return summary
    if lead is None:
        return title
    return lead[:DESCRIPTION_CHARS] + "…" if len(lead) > DESCRIPTION_CHARS else lead
