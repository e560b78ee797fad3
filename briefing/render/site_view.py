"""Inputs + index -> contexts of the home page, extra pages, the compare view, search and 404."""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from markupsafe import Markup, escape

from briefing.index.crossref import BriefingIndex, Index
from briefing.model import Actor, BriefingMeta, BriefingSummary, Event, Page, compact_pickle
from briefing.render.actor_view import (
    PER_BRIEFING_COLUMNS,
    BriefingColumn,
    Roster,
    capped,
    columns,
    roster,
    short_label,
)
from briefing.render.briefing_view import WORDS_PER_MINUTE, briefing_path, source_path
from briefing.render.chrome import Settings, href
from briefing.render.dates import date_label, range_label
from briefing.render.markup import escape_html, safe_url
from briefing.render.timeline_view import ordered, quote_html
from briefing.sources.markdown import keep_deep_nesting

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

TOP_ACTORS_PER_CARD = 6
RECENT_EVENTS = 6
TOP_ACTORS = 12
COMPARE_QUOTES = 3  # passages per briefing and row when the briefings stand side by side
COMPARE_VOICES = 3  # with many briefings, a row quotes the few that name it most ...
VOICE_QUOTES = 2  # ... this many passages each
QUOTE_CONTEXT = 110  # characters of context either side of a compared mention

CARD_TITLE_NOTES = {"editor": "Editor’s title", "reconstructed": "Title rebuilt from the original address"}


# Page views are made, rendered and dropped, never compared or printed: eq=False and repr=False spare
# the generated __eq__, __hash__ and __repr__, whose making is a good part of start-up (bench/README.md).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Chip:
    label: str
    href: str
    count: int

    @property
    def html(self) -> Markup:
        """The chip's link (the home page shows a few on each of its N cards)."""
        return Markup(f'<a class="chip" href="{escape_html(self.href)}">{escape_html(self.label)} '
                      f'<span class="chip__count" title="mentions">{self.count}</span></a>')


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Card:
    """A briefing's card on the home page: made with its briefing (``home_card``) and kept in its unit,
    written (``card_html``), so a rebuild after one edit does not make or write the other N - 1 again."""

    title: str
    title_note: str | None
    href: str
    authors: str
    publisher: str | None
    published: str | None
    summary: str
    reading_minutes: int
    events: int  # timeline events the briefing discusses
    actors: tuple[Chip, ...]
    source_href: str


def card_html(card: Card) -> Markup:
    """A card's list item, written here rather than in a template loop: the home page has N of them."""
    e = escape_html
    note = f'\n        <p class="card__note">{e(card.title_note)}</p>' if card.title_note else ""
    meta = e(card.authors) + "".join(f" · {e(x)}" for x in (card.publisher, card.published) if x)
    chips = ""
    if card.actors:
        chips = ('\n        <p class="card__actors"><span class="card__actors-label">Most named:</span> '
                 + " ".join(c.html for c in card.actors) + "</p>")
    return Markup(
        f'      <li class="card">\n'
        f'        <h3 class="card__title"><a href="{e(card.href)}">{e(card.title)}</a></h3>{note}\n'
        f'        <p class="card__meta">{meta}</p>\n'
        f'        <p class="card__summary">{e(card.summary)}</p>\n'
        f'        <p class="card__facts">{card.reading_minutes} min read · {card.events} timeline events · '
        f'<a href="{e(card.source_href)}">source text</a></p>{chips}\n'
        f'      </li>'
    )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EventLink:
    date: str
    iso: str
    title: str
    href: str
    sources: str  # which briefings discuss it, e.g. "Doe, Roe" or "Doe, Roe, Poe and 7 more"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class HomePage:
    description: str
    cards: tuple[Markup, ...]  # each briefing's card, written (``card_html``)
    recent_events: tuple[EventLink, ...]  # newest first, up to the newest publication date
    ahead_events: tuple[EventLink, ...]  # dated after every briefing was published: what they anticipate
    top_actors: tuple[Chip, ...]
    counts: tuple[int, int, int]  # briefings, actors, events
    shared: tuple[int, int]  # actors and events named by more than one briefing
    timeline_href: str
    actors_href: str
    compare_href: str
    about_href: str | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TextPage:
    title: str
    html: Markup


@compact_pickle  # the store keeps compare rows (``build_compare``'s ``memo``)
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CompareQuote:
    before: str
    match: str
    after: str
    href: str
    label: str

    @property
    def html(self) -> Markup:
        """The quote as compare.html shows it (the page quotes thousands of passages)."""
        return quote_html("quote quote--small", self.before, self.match, self.after, self.href, self.label)


@compact_pickle
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CompareVoice:
    """One briefing's part in a compared row: how often it names the actor or event, and where."""

    briefing: BriefingColumn
    count: int
    quotes: tuple[CompareQuote, ...]


@compact_pickle
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CompareRow:
    id: str  # anchor on the compare page
    name: str
    href: str
    briefings: int  # how many briefings name it
    total: int  # mentions (actors) or passages (events) in all of them
    # Side by side: every briefing in site order, zero counts included. Otherwise the few that name
    # it most, so a row's size does not grow with the number of briefings.
    voices: tuple[CompareVoice, ...]
    more: int  # briefings that name it but are not among ``voices``
    facts: str  # with many briefings: "Named by 12 of 100 briefings, 40 mentions in all. …"
    more_label: str  # "And 9 more briefings"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class OnlyIn:
    """What one briefing names that no other does."""

    briefing: BriefingColumn
    actors: int
    events: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ComparePage:
    side_by_side: bool  # few briefings: a column each; else totals and the briefings that name a row most
    briefings: tuple[BriefingColumn, ...]  # the column heads (empty unless side by side)
    total_briefings: int
    actors: tuple[CompareRow, ...]
    events: tuple[CompareRow, ...]
    # Side by side: every briefing. Otherwise only those that alone name something, most first.
    only: tuple[OnlyIn, ...]
    only_none: int  # briefings left out of ``only`` (none of what they name is theirs alone)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SearchPage:
    actors_href: str
    timeline_href: str
    bundle_href: str
    css_href: str
    script_href: str
    offline: bool  # a portable copy: Pagefind cannot fetch its index from file://


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NotFoundPage:
    home_href: str
    links: tuple[tuple[str, str], ...]


class _Located(Protocol):
    """A mention or a passage: where in which briefing's text something was found."""

    @property
    def briefing(self) -> str: ...
    @property
    def paragraph(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


# --- home ---------------------------------------------------------------------------------------


def build_home(
    briefings: Sequence[BriefingSummary],
    actors: Mapping[str, Actor],
    events: Sequence[Event],
    index: Index,
    description: str,
    has_about: bool,
    settings: Settings,
    cards: Sequence[str] | None = None,
) -> HomePage:
    """The front page: what the collection covers, one card per briefing, recent events, most-named actors.

    ``cards``: the briefings' cards in ``briefings`` order, written (``card_html``), when already made:
    each unit keeps its own, so the page joins N strings.
    """
    page = "index.html"
    known = roster(briefings)
    discussed = [e for e in ordered(events) if index.event_counts.get(e.id)]
    newest = newest_publication(known)
    past = [e for e in discussed if newest is None or e.date.first_day() <= newest]
    ahead = [e for e in discussed if newest is not None and e.date.first_day() > newest]
    shared_actors, shared_events = _shared(index, actors, known)
    return HomePage(
        description=description,
        cards=tuple(Markup(c) for c in cards) if cards is not None
        else tuple(card_html(home_card(b, index.of(b.slug), actors, settings)) for b in known),
        recent_events=tuple(_event_link(e, index, known, settings) for e in reversed(past[-RECENT_EVENTS:])),
        ahead_events=tuple(_event_link(e, index, known, settings) for e in ahead),
        top_actors=_top_actors(actors, index, page, settings),
        counts=(len(known), len(actors), len(events)),
        shared=(len(shared_actors), len(shared_events)),
        timeline_href=href(page, "timeline/index.html", settings),
        actors_href=href(page, "actors/index.html", settings),
        compare_href=href(page, "compare/index.html", settings),
        about_href=href(page, "about/index.html", settings) if has_about else None,
    )


def newest_publication(briefings: Sequence[BriefingSummary]) -> dt.date | None:
    """The last day the newest briefing can have appeared on (a year-only date counts to 31 December)."""
    days = [b.meta.published.last_day() for b in briefings if b.meta.published is not None]
    return max(days, default=None)


def published_label(meta: BriefingMeta) -> str | None:
    """"June 2020", "2021 (approximate)", or None when the date is unknown."""
    if meta.published is None:
        return None
    label = date_label(meta.published)
    return f"{label} (approximate)" if meta.published_approximate else label


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def home_card(b: BriefingSummary, found: BriefingIndex, actors: Mapping[str, Actor], settings: Settings) -> Card:
    """A briefing's card: what it depends on (the briefing, its index, the actors' names, the link settings)
    is all in its unit's key."""
    page = "index.html"
    counts = Counter(m.actor for m in found.mentions if m.actor in actors)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], actors[kv[0]].name))[:TOP_ACTORS_PER_CARD]
    return Card(
        title=b.meta.title,
        title_note=CARD_TITLE_NOTES.get(b.meta.title_status),
        href=href(page, briefing_path(b.slug), settings),
        authors=", ".join(a.name for a in b.meta.authors) or ", ".join(b.byline) or "Author unknown",
        publisher=b.meta.publisher,
        published=published_label(b.meta),
        summary=b.description,
        reading_minutes=reading_minutes(b.words),
        events=len({p.event for p in found.passages}),
        actors=tuple(Chip(actors[a].name, href(page, f"actors/{a}/index.html", settings), n) for a, n in top),
        source_href=href(page, source_path(b.slug), settings),
    )


def _event_link(e: Event, index: Index, known: Roster, settings: Settings) -> EventLink:
    speaking = known.pick(s for s, _ in index.event_counts.get(e.id, ()))  # looked up, not a scan of all N
    return EventLink(
        date=range_label(e.date, e.end, e.approximate),
        iso=e.date.iso(),
        title=e.title,
        href=href("index.html", f"timeline/{e.id}/index.html", settings),
        sources=capped([short_label(b) for b in speaking]),
    )


def _top_actors(actors: Mapping[str, Actor], index: Index, page: str, settings: Settings) -> tuple[Chip, ...]:
    totals = {a: n for a, n in index.actor_totals.items() if a in actors}
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], actors[kv[0]].name))[:TOP_ACTORS]
    return tuple(Chip(actors[a].name, href(page, f"actors/{a}/index.html", settings), n) for a, n in ranked)


# --- extra pages --------------------------------------------------------------------------------


def _local_image(self: object, tokens: list, idx: int, options: object, env: object) -> str:  # type: ignore[type-arg]
    """Images only from the site itself: one from another host (or protocol-relative) stays its alt text."""
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    alt = escape(token.content)
    if src.startswith("//") or ":" in src.split("/", 1)[0]:
        return str(alt)
    return f'<img src="{escape(src)}" alt="{alt}">'


def page_markdown() -> MarkdownIt:
    """Markdown for editorial pages: CommonMark, raw HTML off, tables on, ids on headings h2–h3."""
    from markdown_it import MarkdownIt  # here: only a build that renders an editorial page needs it
    from mdit_py_plugins.anchors import anchors_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(keep_deep_nesting)
    md.use(anchors_plugin, min_level=2, max_level=3)
    md.add_render_rule("image", _local_image)
    # Relative links (no scheme) pass; absolute ones only with a safe scheme.
    md.validateLink = lambda url: safe_url(url) is not None or ":" not in url.split("/", 1)[0]  # type: ignore[method-assign]
    return md


def build_text_page(p: Page, md: MarkdownIt, settings: Settings | None = None) -> TextPage:
    """Render an editorial page; in a portable build, relative links to folders point at their index.html."""
    tokens = md.parse(p.body_markdown)
    if settings is not None and settings.portable:
        _link_index_files(tokens)
    return TextPage(p.title, Markup(md.renderer.render(tokens, md.options, {})))


def _link_index_files(tokens: Sequence[Token]) -> None:
    # Tokens are markdown-it's own mutable parse result, local to build_text_page.
    for token in tokens:
        if token.children:
            _link_index_files(token.children)
        if token.type == "link_open":
            token.attrSet("href", portable_href(str(token.attrGet("href") or "")))


def portable_href(url: str) -> str:
    """A relative link to a folder ("../actors/", "../actors/#x") made to name its index.html."""
    if not url or url.startswith(("#", "/")) or ":" in url.split("/", 1)[0]:
        return url
    path, hash_, fragment = url.partition("#")
    path, mark, query = path.partition("?")
    if path == "" or not path.endswith("/"):
        return url
    return path + "index.html" + mark + query + hash_ + fragment


# --- compare ------------------------------------------------------------------------------------


RowMemo = Callable[[str, Callable[[], "CompareRow"]], "CompareRow"]


def build_compare(
    briefings: Sequence[BriefingSummary],
    actors: Mapping[str, Actor],
    events: Sequence[Event],
    texts: Mapping[tuple[str, str], str],
    index: Index,
    settings: Settings,
    memo: RowMemo | None = None,
) -> ComparePage:
    """Actors and events that more than one briefing names, with counts and passages.

    With few briefings they stand side by side, a column each. With more, each row gives how many
    briefings name it and quotes the few that name it most: its size does not grow with N.

    ``memo(row_id, make)``: a row is ``make()``, a function of its actor or event and of what each
    briefing naming it shows of it (all its own page shows, in site order), so a caller that knows
    those parts can keep rows between builds; a kept row is not even counted again.
    """
    page = "compare/index.html"
    known = roster(briefings)
    side_by_side = len(known) <= PER_BRIEFING_COLUMNS
    cols = columns(known, page, settings)
    shared_actors, shared_events = _shared(index, actors, known)

    def row(row_id: str, name: str, link: str, counted: Sequence[tuple[str, int]],
            found_in: Callable[[str], Sequence[_Located]]) -> CompareRow:
        def make() -> CompareRow:
            per = {slug: n for slug, n in counted if slug in known}
            if side_by_side:
                chosen = list(cols)
            else:  # the briefings that name it most (ties in site order), looked up, not scanned
                most = heapq.nsmallest(COMPARE_VOICES, per, key=lambda slug: (-per[slug], known.position(slug)))
                chosen = [cols[known.position(slug)] for slug in most]
            return _compare_row(row_id, name, link, per, chosen, found_in, len(known), side_by_side, texts)

        return make() if memo is None else memo(row_id, make)

    actor_rows = tuple(
        row(f"actor-{a}", actors[a].name, href(page, f"actors/{a}/index.html", settings), index.actor_counts[a],
            partial(index.mentions_in, actor=a))
        for a in shared_actors
    )
    event_rows = tuple(
        row(f"event-{e.id}", f"{range_label(e.date, e.end, e.approximate)}: {e.title}",
            href(page, f"timeline/{e.id}/index.html", settings), index.event_counts[e.id],
            partial(index.passages_in, event=e.id))
        for e in ordered(events)
        if e.id in shared_events
    )
    only = _only_in(index, actors, events, cols)
    if not side_by_side:
        only = sorted((o for o in only if o.actors or o.events), key=lambda o: -(o.actors + o.events))
    return ComparePage(side_by_side, cols if side_by_side else (), len(known), actor_rows, event_rows,
                       tuple(only), len(cols) - len(only))


def _shared(index: Index, actors: Mapping[str, Actor], known: Roster) -> tuple[list[str], set[str]]:
    """Actor ids (most mentioned first) and event ids that at least two briefings name."""
    totals = index.actor_totals
    # In a build every briefing of the index is on the site: then how many name one is its count's length.
    spread = len if all(slug in known for slug in index.slugs) else partial(_spread, known=known)
    ranked = sorted(index.actor_counts.items(), key=lambda kv: (-totals[kv[0]], kv[0]))
    shared_actors = [a for a, per in ranked if a in actors and spread(per) >= 2]
    shared_events = {e for e, per in index.event_counts.items() if spread(per) >= 2}
    return shared_actors, shared_events


def _spread(per: Sequence[tuple[str, int]], known: Roster) -> int:
    """How many of the briefings counted in ``per`` (slug, how many) are on the site."""
    return sum(1 for slug, _ in per if slug in known)


def _compare_row(
    row_id: str,
    name: str,
    link: str,
    per: Mapping[str, int],
    chosen: Sequence[BriefingColumn],
    found_in: Callable[[str], Sequence[_Located]],
    of: int,
    side_by_side: bool,
    texts: Mapping[tuple[str, str], str],
) -> CompareRow:
    """``per``: how often each briefing names it; ``found_in(slug)``: where one does, asked only of the
    ``chosen`` briefings (with many briefings, the rest are only counted)."""
    limit = COMPARE_QUOTES if side_by_side else VOICE_QUOTES
    voices = tuple(
        CompareVoice(c, per.get(c.slug, 0),
                     tuple(_quote(texts, f, c.href) for f in _first_per_paragraph(found_in(c.slug))[:limit])
                     if c.slug in per else ())
        for c in chosen
    )
    more = len(per) - sum(1 for v in voices if v.count)
    total = sum(per.values())
    return CompareRow(row_id, name, link, len(per), total, voices, more,
                      _facts(row_id.startswith("actor-"), len(per), of, total, len(voices)),
                      f"And {more} more {_plural(more, 'briefing')}")


def _facts(actor: bool, named_by: int, of: int, total: int, shown: int) -> str:
    """A compared row's figures in words, for the layout that quotes only a few briefings."""
    verb, unit, names = ("Named", "mention", "name") if actor else ("Discussed", "passage", "discuss")
    most = "" if shown == named_by else " most"
    return (f"{verb} by {named_by} of {of} briefings, {total} {_plural(total, unit)} in all. "
            f"Passages from the {shown} that {names} it{most}:")


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _only_in(
    index: Index, actors: Mapping[str, Actor], events: Sequence[Event], cols: Sequence[BriefingColumn]
) -> list[OnlyIn]:
    known_events = {e.id for e in events}
    # Counted once per actor/event by its one briefing, not by comparing every set with every column.
    only_actor = Counter(_sole_briefing(per) for a, per in index.actor_counts.items() if a in actors)
    only_event = Counter(_sole_briefing(per) for e, per in index.event_counts.items() if e in known_events)
    return [OnlyIn(c, only_actor[c.slug], only_event[c.slug]) for c in cols]


def _sole_briefing(per: Sequence[tuple[str, int]]) -> str | None:
    """The one briefing counted in ``per`` (slug, how many), else None."""
    slugs = {slug for slug, _ in per}
    return slugs.pop() if len(slugs) == 1 else None


def _first_per_paragraph(items: Sequence[_Located]) -> list[_Located]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.paragraph not in seen:
            seen.add(item.paragraph)
            out.append(item)
    return out


def _quote(texts: Mapping[tuple[str, str], str], found: _Located, briefing_href: str) -> CompareQuote:
    """``found`` in its context; ``briefing_href`` links its briefing from the compare page."""
    text = texts.get((found.briefing, found.paragraph), "")
    before, after = context(text, found.start, found.end, QUOTE_CONTEXT)
    link = f"{briefing_href}#{found.paragraph}" if found.paragraph else briefing_href
    return CompareQuote(before, text[found.start : found.end], after, link, target_label(found.paragraph))


def context(text: str, start: int, end: int, room: int) -> tuple[str, str]:
    """Up to ``room`` characters either side of ``text[start:end]``, cut at a space, "…" where cut."""
    lo, hi = max(0, start - room), min(len(text), end + room)
    before, after = text[lo:start], text[end:hi]
    if lo > 0:
        if text[lo - 1] != " " and " " in before:  # the window starts inside a word: drop that part
            before = before.split(" ", 1)[1]
        before = "…" + before
    if hi < len(text):
        if text[hi] != " " and " " in after:
            after = after.rsplit(" ", 1)[0]
        after += "…"
    return before, after


def target_label(target: str) -> str:
    """How a reader names an anchor: "¶ 12", "note 3", "byline", "author bio"."""
    if target.startswith("fn"):
        return f"note {target[2:]}"
    if target.startswith("p") and target[1:].isdigit():
        return f"¶ {target[1:]}"
    return {"bio": "author bio"}.get(target, target)


# --- search and 404 -----------------------------------------------------------------------------


def build_search(settings: Settings) -> SearchPage:
    page = "search/index.html"
    return SearchPage(
        actors_href=href(page, "actors/index.html", settings),
        timeline_href=href(page, "timeline/index.html", settings),
        bundle_href=href(page, "pagefind/pagefind-ui.js", settings),
        css_href=href(page, "pagefind/pagefind-ui.css", settings),
        script_href=href(page, "static/search.js", settings),
        offline=settings.portable,
    )


def build_not_found(has_about: bool, settings: Settings) -> NotFoundPage:
    """404.html: GitHub Pages serves it at any depth, so ``href`` gives it absolute paths from base_url."""
    page = "404.html"
    links = [
        ("Briefings", "index.html"),
        ("Actor index", "actors/index.html"),
        ("Timeline", "timeline/index.html"),
        ("Compare the briefings", "compare/index.html"),
        ("Search", "search/index.html"),
    ]
    if has_about:
        links.append(("About the sources and method", "about/index.html"))
    return NotFoundPage(
        href(page, "index.html", settings),
        tuple((label, href(page, target, settings)) for label, target in links),
    )

