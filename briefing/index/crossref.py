"""Briefings + actors + events -> Index: every actor mention, date mention and event passage.

Each briefing is indexed on its own (a pure function of the briefing, the alias automaton and the
events), so the work spreads over processes and caches per briefing; the site-wide views (mentions
per actor, passages per event) are then grouped from those results in one pass — never by
rescanning briefings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.index.actors import ActorMatcher, build_matcher, mentions_in
from briefing.index.dates import find_dates_in_order
from briefing.index.timeline import EventMatcher, build_event_matcher, match_events
from briefing.model import Actor, Briefing, DateMention, Event, Mention, Passage, compact_pickle


@compact_pickle
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
    # slug -> its index, filled by ``group`` so ``of`` is one lookup (a scan per briefing is O(N^2)).
    by_slug: dict[str, BriefingIndex] = field(default_factory=dict, compare=False, repr=False)

    def of(self, slug: str) -> BriefingIndex:
        found = self.by_slug.get(slug)
        if found is not None:
            return found
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


def index_briefing(
    briefing: Briefing, matcher: ActorMatcher, events: EventMatcher | Sequence[Event]
) -> BriefingIndex:
    """Find mentions, dates and event passages in one briefing.

    Pass ``build_event_matcher(events)`` built once for many briefings: given plain events, the event
    lookup is built again for this briefing alone.
    """
    found = targets(briefing)
    mentions = mentions_in(matcher, briefing.slug, found)
    published = briefing.meta.published.year if briefing.meta.published else None
    # Only body paragraphs carry events: notes cite books and their dates of publication.
    body = [(t, text) for t, text in found if t.startswith("p")]
    in_order = find_dates_in_order([text for _, text in body], publication_year=published)
    per_paragraph = [(t, text, ds) for (t, text), ds in zip(body, in_order, strict=True)]
    dates = tuple((t, d) for t, _, ds in per_paragraph for d in ds)
    passages = match_events(events, briefing.slug, per_paragraph)
    return BriefingIndex(briefing.slug, mentions, dates, passages)


def cross_reference(briefings: Sequence[Briefing], actors: Sequence[Actor], events: Sequence[Event]) -> Index:
    matcher, event_matcher = build_matcher(actors), build_event_matcher(events)
    return group(tuple(index_briefing(b, matcher, event_matcher) for b in briefings))


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
        {b.slug: b for b in reversed(indexes)},  # reversed: the first of a repeated slug wins, as in a scan
    )
