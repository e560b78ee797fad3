"""Events + passages -> contexts of the timeline page (with its SVG overview) and one page per event."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from briefing.index.crossref import Index
from briefing.model import Actor, BriefingSummary, Event, Passage
from briefing.render.actor_view import PER_BRIEFING_COLUMNS, BriefingColumn, Roster, columns, roster
from briefing.render.chrome import Settings, href
from briefing.render.dates import range_label
from briefing.render.markup import escape_html

QUOTE_CHARS = 320
STRIP_WIDTH = 960
LANE_HEIGHT = 28
AXIS_HEIGHT = 26
LABEL_WIDTH = 110
STRIP_LANES = 12  # a lane per briefing up to this many; beyond, one lane with marks sized by briefings
DOT_RADIUS = 5
DOT_RADIUS_MAX = 10
SOURCES_SHOWN = 6  # briefings linked from an event on the timeline before "and K more"


# Page views are made, rendered and dropped, never compared or printed: eq=False and repr=False spare
# the generated __eq__, __hash__ and __repr__, whose making is a good part of start-up (bench/README.md).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EventRow:
    id: str
    date: str
    iso: str
    title: str
    description: str
    href: str
    briefings: tuple[BriefingColumn, ...]  # which briefings discuss it (the first SOURCES_SHOWN)
    more: int  # how many more discuss it than ``briefings`` lists
    actor_ids: str  # space-separated, for the filter script (data attribute)
    briefing_ids: str
    differ: bool


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class YearGroup:
    year: str
    events: tuple[EventRow, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Dot:
    x: float
    y: float
    title: str
    href: str
    r: float = DOT_RADIUS


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Lane:
    label: str
    y: float
    label_y: float  # text baseline: a little below the lane line so the label sits on it visually


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Strip:
    width: int
    height: int
    label_width: int
    axis_y: int
    tick_y: int  # baseline of the year labels, above the axis
    ticks: tuple[Tick, ...]
    lanes: tuple[Lane, ...]
    dots: tuple[Dot, ...]
    description: str
    caption: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FilterOption:
    value: str
    label: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TimelinePage:
    groups: tuple[YearGroup, ...]
    strip: Strip
    actor_options: tuple[FilterOption, ...]
    briefing_options: tuple[FilterOption, ...]
    total: int
    from_label: str  # "both analyses", "the 40 analyses"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Quote:
    before: str
    match: str
    after: str
    href: str
    label: str

    @property
    def html(self) -> Markup:
        """The quote as event.html shows it (a page can quote hundreds of passages: one string each
        costs less than the template's fragments and escapes)."""
        return quote_html("quote", self.before, self.match, self.after, self.href, self.label)


def quote_html(css_class: str, before: str, match: str, after: str, link: str, label: str) -> Markup:
    """A passage with its match marked and a link to where it is: the event and compare pages' quotes."""
    return Markup(
        f'<blockquote class="{css_class}"><p>{escape_html(before)}<mark>{escape_html(match)}</mark>'
        f'{escape_html(after)}</p><footer><a href="{escape_html(link)}">{escape_html(label)}</a></footer></blockquote>'
    )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class QuoteColumn:
    briefing: BriefingColumn
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ActorLink:
    name: str
    href: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EventPage:
    id: str
    date: str
    iso: str
    title: str
    description: str
    also_dated: tuple[str, ...]
    sources_differ: str | None
    actors: tuple[ActorLink, ...]
    columns: tuple[QuoteColumn, ...]
    silent: tuple[BriefingColumn, ...]  # briefings that do not mention it (listed only when there are few)
    silent_count: int  # how many briefings do not mention it
    index_href: str
    previous: tuple[str, str] | None  # (title, href)
    following: tuple[str, str] | None


def ordered(events: Sequence[Event]) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: (e.date.first_day(), e.date.precision != "year", e.id)))


def build_timeline_page(
    events: Sequence[Event],
    briefings: Sequence[BriefingSummary],
    actors: Mapping[str, Actor],
    index: Index,
    settings: Settings,
) -> TimelinePage:
    page = "timeline/index.html"
    known = roster(briefings)
    cols = columns(known, page, settings)
    by_year: dict[str, list[EventRow]] = defaultdict(list)
    for e in ordered(events):
        # The discussing briefings looked up by position, not by testing each of the N columns per event.
        used = tuple(cols[known.position(b.slug)] for b in known.pick(s for s, _ in index.event_counts.get(e.id, ())))
        row = EventRow(
            e.id, range_label(e.date, e.end, e.approximate), e.date.iso(), e.title, e.description,
            href(page, f"timeline/{e.id}/index.html", settings), used[:SOURCES_SHOWN],
            max(0, len(used) - SOURCES_SHOWN), " ".join(a for a in e.actors if a in actors),
            " ".join(c.slug for c in used), bool(e.sources_differ),
        )
        by_year[str(e.date.year)].append(row)
    used_actors = sorted({a for e in events for a in e.actors if a in actors}, key=lambda a: actors[a].name.casefold())
    return TimelinePage(
        groups=tuple(YearGroup(y, tuple(rows)) for y, rows in by_year.items()),
        strip=_strip(ordered(events), known, cols, index, page, settings),
        actor_options=tuple(FilterOption(a, actors[a].name) for a in used_actors),
        briefing_options=tuple(FilterOption(c.slug, c.short) for c in cols),
        total=len(events),
        from_label={1: "the analysis", 2: "both analyses"}.get(len(cols), f"the {len(cols)} analyses"),
    )


def _strip(
    events: Sequence[Event], known: Roster, cols: Sequence[BriefingColumn], index: Index, page: str,
    settings: Settings,
) -> Strip:
    """Years on an axis and a mark per event: a lane per briefing when few, else one lane for all."""
    mentioned = [e for e in events if index.event_counts.get(e.id)]
    years = [e.date.year for e in mentioned] or [e.date.year for e in events] or [2000]
    first, last = min(years), max(years) + 1
    span = max(last - first, 1)
    plot = STRIP_WIDTH - LABEL_WIDTH - 20

    def x(e: Event) -> float:
        d = e.date.first_day()
        return round(LABEL_WIDTH + (d.year - first + (d.timetuple().tm_yday - 1) / 366) / span * plot, 1)

    step = max(1, round(span / 10))
    ticks = tuple(
        Tick(round(LABEL_WIDTH + (y - first) / span * plot, 1), str(y)) for y in range(first, last + 1, step)
    )
    # Which briefings speak of each event, found once: testing every lane against every passage is O(N^2).
    speakers = {e.id: {s for s, _ in index.event_counts.get(e.id, ()) if s in known} for e in mentioned}
    lanes_for = _lanes if len(cols) <= STRIP_LANES else _one_lane
    lanes, dots, description, caption = lanes_for(mentioned, speakers, cols, x, page, settings)
    description = f"Overview: {len(mentioned)} events between {first} and {last - 1}, " + description
    return Strip(STRIP_WIDTH, AXIS_HEIGHT + LANE_HEIGHT * max(len(lanes), 1) + 8, LABEL_WIDTH, AXIS_HEIGHT - 8,
                 AXIS_HEIGHT - 14, ticks, lanes, dots, description, caption)


_Marks = tuple[tuple[Lane, ...], tuple[Dot, ...], str, str]  # lanes, dots, description, caption


def _lane(i: int, label: str) -> Lane:
    y = AXIS_HEIGHT + i * LANE_HEIGHT + LANE_HEIGHT / 2
    return Lane(label, y, y + 4)


def _lanes(
    mentioned: Sequence[Event], speakers: Mapping[str, set[str]], cols: Sequence[BriefingColumn],
    x: Callable[[Event], float], page: str, settings: Settings,
) -> _Marks:
    """One lane per briefing, a mark where it discusses an event."""
    lanes = tuple(_lane(i, c.short) for i, c in enumerate(cols))
    dots = []
    per_lane: Counter[int] = Counter()
    for i, c in enumerate(cols):
        for e in mentioned:
            if c.slug in speakers[e.id]:
                target = href(page, f"timeline/{e.id}/index.html", settings)
                dots.append(Dot(x(e), lanes[i].y, f"{e.title} ({e.date.iso()})", target))
                per_lane[i] += 1
    description = "one row per briefing: " + "; ".join(
        f"{c.short} discusses {per_lane[i]}" for i, c in enumerate(cols)
    )
    caption = "Years run left to right; each row is one briefing and each mark an event it discusses."
    return lanes, tuple(dots), description, caption


def _one_lane(
    mentioned: Sequence[Event], speakers: Mapping[str, set[str]], cols: Sequence[BriefingColumn],
    x: Callable[[Event], float], page: str, settings: Settings,
) -> _Marks:
    """Many briefings: one lane, a mark per event, its area growing with how many briefings discuss it."""
    lane = _lane(0, f"All {len(cols)}")
    most = max((len(speakers[e.id]) for e in mentioned), default=1) or 1
    dots = tuple(
        Dot(x(e), lane.y, f"{e.title} ({e.date.iso()}): {_briefings(len(speakers[e.id]))}",
            href(page, f"timeline/{e.id}/index.html", settings),
            round(DOT_RADIUS / 2 + (DOT_RADIUS_MAX - DOT_RADIUS / 2) * math.sqrt(len(speakers[e.id]) / most), 1))
        for e in mentioned
    )
    description = f"one row for all {len(cols)} briefings, the larger a mark the more briefings discuss the event"
    caption = (f"Years run left to right; each mark is an event, larger when more of the {len(cols)} briefings "
               "discuss it.")
    return (lane,), dots, description, caption


def _briefings(n: int) -> str:
    return "1 briefing" if n == 1 else f"{n} briefings"


def build_event_page(
    event: Event,
    neighbours: tuple[Event | None, Event | None],
    briefings: Sequence[BriefingSummary],
    actors: Mapping[str, Actor],
    texts: Mapping[tuple[str, str], str],
    index: Index,
    settings: Settings,
) -> EventPage:
    """Pass a ``Roster`` as ``briefings`` when building every event's page: it is looked up, not scanned."""
    page = f"timeline/{event.id}/index.html"
    known = roster(briefings)
    passages = index.by_event.get(event.id, ())
    per_briefing: dict[str, list[Passage]] = {}  # grouped once, not filtered per column
    for p in passages:
        per_briefing.setdefault(p.briefing, []).append(p)
    quote_cols = []
    for c in columns(known.pick(per_briefing), page, settings):
        quotes = []
        seen: set[str] = set()
        for p in per_briefing.get(c.slug, ()):
            if p.paragraph in seen:
                continue
            seen.add(p.paragraph)
            text = texts.get((p.briefing, p.paragraph), "")
            before, after = _around(text, p.start, p.end)
            link = f"{c.href}#{p.paragraph}" if p.paragraph else c.href  # c.href: the briefing from this page
            quotes.append(Quote(before, text[p.start : p.end], after, link, f"¶ {p.paragraph[1:]}"))
        if quotes:
            quote_cols.append(QuoteColumn(c, tuple(quotes)))
    speaking = {q.briefing.slug for q in quote_cols}
    # Silent briefings are named only when few: listing all the others on every event page is O(events x N).
    few = len(known) <= PER_BRIEFING_COLUMNS
    silent = columns((b for b in known if b.slug not in speaking), page, settings) if few else ()
    prev, nxt = neighbours
    return EventPage(
        id=event.id,
        date=range_label(event.date, event.end, event.approximate),
        iso=event.date.iso(),
        title=event.title,
        description=event.description,
        also_dated=tuple(range_label(d, None) for d in event.also_dated),
        sources_differ=event.sources_differ,
        actors=tuple(
            ActorLink(actors[a].name, href(page, f"actors/{a}/index.html", settings))
            for a in event.actors
            if a in actors
        ),
        columns=tuple(quote_cols),
        silent=silent,
        silent_count=len(known) - len(speaking),
        index_href=href(page, "timeline/index.html", settings),
        previous=(prev.title, href(page, f"timeline/{prev.id}/index.html", settings)) if prev else None,
        following=(nxt.title, href(page, f"timeline/{nxt.id}/index.html", settings)) if nxt else None,
    )


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """Context for a quote: the sentence(s) around the match, up to QUOTE_CHARS."""
    room = max(0, (QUOTE_CHARS - (end - start)) // 2)
    lo = max(0, start - room)
    hi = min(len(text), end + room)
    before, after = text[lo:start], text[end:hi]
    if lo > 0:
        before = "…" + (before.split(" ", 1)[-1] if " " in before else before)
    if hi < len(text):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    return before, after
