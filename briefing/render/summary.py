"""A briefing and its index -> the ``BriefingSummary`` the site-wide pages are built from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from briefing.cache import digest, value_digest
from briefing.index.crossref import BriefingIndex, targets
from briefing.model import Briefing, BriefingSummary, compact_pickle

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


@compact_pickle
@dataclass(frozen=True, slots=True)
class PageKeys:
    """For each actor and event one briefing names: a digest of all that briefing shows on its page.

    An actor's page shows, per briefing naming it, the briefing's title and author (its column), the
    mentions with the text of their paragraphs, and which other actors share those paragraphs; an
    event's page the passages with their paragraphs' texts. A page's key combines these parts, so an
    edit re-renders only the pages of the actors and events in the paragraphs it touched, not of every
    actor the briefing names (most edits change a word count and a few paragraphs, nothing else).
    """

    actors: tuple[tuple[str, str], ...]  # (actor id, digest of this briefing's part of its page)
    events: tuple[tuple[str, str], ...]
    column: str  # digest of what names the briefing in a column (slug, metadata, byline)


def page_keys(s: BriefingSummary, found: BriefingIndex) -> PageKeys:
    """The ``PageKeys`` of one briefing, from its summary and its index."""
    texts = dict(s.texts)
    column = value_digest((s.slug, s.meta, s.byline))
    in_target: dict[str, list[str]] = defaultdict(list)  # target -> every mention in it, as text
    per_actor: dict[str, dict[str, None]] = defaultdict(dict)  # actor -> its targets, in order
    for m in found.mentions:
        in_target[m.paragraph].append(f"{m.actor}\t{m.start}\t{m.end}\t{m.text}")
        per_actor[m.actor][m.paragraph] = None
    actors = tuple(
        (actor, digest("actor-part", column, *(part for t in named for part in (t, texts.get(t, ""), *in_target[t]))))
        for actor, named in per_actor.items()
    )
    per_event: dict[str, list[str]] = defaultdict(list)
    for p in found.passages:
        per_event[p.event] += (p.paragraph, texts.get(p.paragraph, ""), f"{p.start}\t{p.end}\t{p.text}")
    events = tuple((event, digest("event-part", column, *parts)) for event, parts in per_event.items())
    return PageKeys(actors, events, column)
