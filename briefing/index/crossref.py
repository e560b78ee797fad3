"""Briefings + actors + events -> Index: every actor mention, date mention and event passage.

Each briefing is indexed on its own (a pure function of the briefing, the alias automaton and the
events), so the work spreads over processes and caches per briefing; the site-wide views (mentions
per actor, passages per event) are then grouped from those results in one pass — never by
rescanning briefings. A rebuild groups from each briefing's ``Tally`` alone (``group_lazily``) and
loads a briefing's mentions only for the pages that show them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from briefing.index.actors import ActorMatcher, build_matcher, mentions_in
from briefing.index.dates import find_dates_in_order
from briefing.index.timeline import EventMatcher, build_event_matcher, match_events
from briefing.model import Actor, Briefing, DateMention, Event, Mention, Passage, compact_pickle

T = TypeVar("T")


@compact_pickle
@dataclass(frozen=True, slots=True)
class BriefingIndex:
    """What one briefing says about actors and events, in reading order."""

    slug: str
    mentions: tuple[Mention, ...]
    dates: tuple[tuple[str, DateMention], ...]  # (target id, date)
    passages: tuple[Passage, ...]


@compact_pickle
@dataclass(frozen=True, slots=True)
class Tally:
    """How often one briefing names each actor and speaks of each event (first-seen order).

    Pages that show every briefing (home, actor index, timeline, compare) need only these counts, so
    a rebuild can group the whole site from tallies and load a briefing's mentions only for the pages
    it must render again.
    """

    slug: str
    actors: tuple[tuple[str, int], ...]  # (actor id, mentions here)
    events: tuple[tuple[str, int], ...]  # (event id, passages here)


def tally(found: BriefingIndex) -> Tally:
    actors: dict[str, int] = {}
    for m in found.mentions:
        actors[m.actor] = actors.get(m.actor, 0) + 1
    events: dict[str, int] = {}
    for p in found.passages:
        events[p.event] = events.get(p.event, 0) + 1
    return Tally(found.slug, tuple(actors.items()), tuple(events.items()))


Counts = Mapping[str, tuple[tuple[str, int], ...]]  # actor or event id -> (briefing slug, how many), site order


class Index:
    """The site-wide index: per actor its mentions, per event its passages, briefings in site order.

    Made from each briefing's ``Tally`` and a way to load its ``BriefingIndex`` (``group_lazily``), or
    from the indexes themselves (``group``). The counts are always at hand; mentions and passages are
    gathered on first use, loading only the briefings that have some: after one edit, only the pages
    of single actors and events, and a few compare quotes, need them.
    """

    __slots__ = ("_known", "_load", "_loaded", "_mentions", "_passages", "actor_counts", "actor_totals", "by_actor",
                 "by_event", "event_counts", "slugs")

    def __init__(self, tallies: Sequence[Tally], load: Callable[[str], BriefingIndex]) -> None:
        actors: dict[str, list[tuple[str, int]]] = defaultdict(list)
        events: dict[str, list[tuple[str, int]]] = defaultdict(list)
        totals: dict[str, int] = defaultdict(int)
        for t in tallies:
            for a, n in t.actors:
                actors[a].append((t.slug, n))
                totals[a] += n
            for e, n in t.events:
                events[e].append((t.slug, n))
        self.slugs = tuple(t.slug for t in tallies)
        self.actor_counts: Counts = {k: tuple(v) for k, v in actors.items()}
        self.event_counts: Counts = {k: tuple(v) for k, v in events.items()}
        # Counted once here, before the build forks, not by each page that ranks actors (home, compare).
        self.actor_totals: Mapping[str, int] = dict(totals)  # actor -> its mentions in every briefing
        self._known = frozenset(self.slugs)
        self._load = load
        self._loaded: dict[str, BriefingIndex] = {}
        self._mentions: dict[str, dict[str, tuple[Mention, ...]]] = {}  # slug -> actor -> its mentions there
        self._passages: dict[str, dict[str, tuple[Passage, ...]]] = {}
        self.by_actor: Mapping[str, tuple[Mention, ...]] = _Gathered(self.actor_counts, self.mentions_in)
        self.by_event: Mapping[str, tuple[Passage, ...]] = _Gathered(self.event_counts, self.passages_in)

    def of(self, slug: str) -> BriefingIndex:
        """One briefing's index (an empty one for a slug not on the site), loaded once."""
        found = self._loaded.get(slug)
        if found is None:
            found = self._load(slug) if slug in self._known else BriefingIndex(slug, (), (), ())
            self._loaded[slug] = found
        return found

    @property
    def briefings(self) -> tuple[BriefingIndex, ...]:
        """Every briefing's index, in site order (loads them all)."""
        return tuple(self.of(s) for s in self.slugs)

    def mentions_in(self, slug: str, actor: str) -> tuple[Mention, ...]:
        """One briefing's mentions of one actor (its mentions are split by actor once)."""
        split = self._mentions.get(slug)
        if split is None:
            split = self._mentions[slug] = _split(self.of(slug).mentions, lambda m: m.actor)
        return split.get(actor, ())

    def passages_in(self, slug: str, event: str) -> tuple[Passage, ...]:
        """One briefing's passages on one event."""
        split = self._passages.get(slug)
        if split is None:
            split = self._passages[slug] = _split(self.of(slug).passages, lambda p: p.event)
        return split.get(event, ())


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


def group(indexes: Sequence[BriefingIndex]) -> Index:
    """The site-wide index of these briefings' indexes (in site order; the first of a repeated slug wins)."""
    by_slug = {b.slug: b for b in reversed(indexes)}
    return Index([tally(b) for b in indexes], by_slug.__getitem__)


def group_lazily(tallies: Sequence[Tally], load: Callable[[str], BriefingIndex]) -> Index:
    """The site-wide index from the briefings' tallies (site order); ``load`` is called once per slug, when needed."""
    return Index(tallies, load)


def _split(items: Sequence[T], key: Callable[[T], str]) -> dict[str, tuple[T, ...]]:
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return {k: tuple(v) for k, v in out.items()}


class _Gathered(Mapping[str, tuple[T, ...]]):
    """id -> its items from every briefing that has some, in site order, gathered on first access."""

    def __init__(self, counts: Counts, items_in: Callable[[str, str], tuple[T, ...]]) -> None:
        self._counts = counts
        self._items_in = items_in
        self._gathered: dict[str, tuple[T, ...]] = {}

    def __getitem__(self, key: str) -> tuple[T, ...]:
        found = self._gathered.get(key)
        if found is None:
            found = self._gathered[key] = tuple(
                item for slug, _ in self._counts[key] for item in self._items_in(slug, key)
            )
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)
