"""Briefings + actors + events -> Index: every actor mention, date mention and event passage.

Each briefing is indexed on its own (a pure function of the briefing, the alias automaton and the
events), so the work spreads over processes and caches per briefing; the site-wide views (mentions
per actor, passages per event) are then grouped from those results in one pass — never by
rescanning briefings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.index.actors import ActorMatcher, build_matcher, mentions_in
from briefing.index.dates import find_dates
from briefing.index.timeline import match_events
from briefing.model import Actor, Briefing, DateMention, Event, Mention, Passage


@dataclass(frozen=True, slots=True)
class BriefingIndex:
    """What one briefing says about actors and events, in reading order."""

    slug: str
    mentions: tuple[Mention, ...]
    dates: tuple[tuple[str, DateMention], ...]  # (target id, date)
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class Index:
    briefings: tuple[BriefingIndex, ...]
    by_actor: dict[str, tuple[Mention, ...]]
    by_event: dict[str, tuple[Passage, ...]]

    def of(self, slug: str) -> BriefingIndex:
        for b in self.briefings:
            if b.slug == slug:
                return b
        return BriefingIndex(slug, (), (), ())


def targets(briefing: Briefing) -> tuple[tuple[str, str], ...]:
    """The texts searched for names and dates: byline, body paragraphs, notes and bio, with their anchors."""
    doc = briefing.document
    out = [("byline", " and ".join(doc.byline))] if doc.byline else []
    out += [(p.id, p.text) for p in doc.paragraphs()]
    out += [(f"fn{n.number}", n.text) for n in doc.footnotes if n.text]
    if doc.bio:
        out.append(("bio", doc.bio))
    return tuple(out)


def index_briefing(briefing: Briefing, matcher: ActorMatcher, events: Sequence[Event]) -> BriefingIndex:
    """Find mentions, dates and event passages in one briefing."""
    found = targets(briefing)
    mentions = mentions_in(matcher, briefing.slug, found)
    published = briefing.meta.published.year if briefing.meta.published else None
    dates: list[tuple[str, DateMention]] = []
    per_target: list[tuple[str, str, tuple[DateMention, ...]]] = []
    year = published
    for target, text in found:
        in_target = find_dates(text, default_year=year, publication_year=published)
        if not target.startswith("p"):
            in_target = ()  # notes cite books and dates of publication, not events
        full = [d.date.year for d in in_target if d.until is None and d.date.precision == "day"]
        year = full[-1] if full else year
        dates.extend((target, d) for d in in_target)
        per_target.append((target, text, in_target))
    passages = match_events(events, briefing.slug, [t for t in per_target if t[0].startswith("p")])
    return BriefingIndex(briefing.slug, mentions, tuple(dates), passages)


def cross_reference(briefings: Sequence[Briefing], actors: Sequence[Actor], events: Sequence[Event]) -> Index:
    matcher = build_matcher(actors)
    return group(tuple(index_briefing(b, matcher, events) for b in briefings))


def group(indexes: tuple[BriefingIndex, ...]) -> Index:
    """Site-wide views from per-briefing results (briefings in site order, mentions in text order)."""
    by_actor: dict[str, list[Mention]] = defaultdict(list)
    by_event: dict[str, list[Passage]] = defaultdict(list)
    for b in indexes:
        for m in b.mentions:
            by_actor[m.actor].append(m)
        for p in b.passages:
            by_event[p.event].append(p)
    return Index(
        indexes,
        {k: tuple(v) for k, v in by_actor.items()},
        {k: tuple(v) for k, v in by_event.items()},
    )
