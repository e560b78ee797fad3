"""Inputs + index -> contexts of the home page, extra pages, the compare view, search and 404."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markupsafe import Markup

from briefing.index.crossref import Index
from briefing.model import Actor, Briefing, Event, Page
from briefing.render.actor_view import BriefingColumn, columns
from briefing.render.briefing_view import briefing_path, chrome_description, published_label, reading_minutes
from briefing.render.chrome import Settings, href
from briefing.render.dates import range_label
from briefing.render.markup import safe_url
from briefing.render.timeline_view import ordered

TOP_ACTORS_PER_CARD = 6
RECENT_EVENTS = 6
TOP_ACTORS = 12
COMPARE_QUOTES = 3


@dataclass(frozen=True, slots=True)
class Chip:
    label: str
    href: str
    count: int


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    title_note: str | None
    href: str
    authors: str
    published: str | None
    summary: str
    reading_minutes: int
    actors: tuple[Chip, ...]


@dataclass(frozen=True, slots=True)
class HomePage:
    description: str
    cards: tuple[Card, ...]
    recent_events: tuple[tuple[str, str, str], ...]  # (date, title, href)
    top_actors: tuple[Chip, ...]
    counts: tuple[int, int, int]  # briefings, actors, events
    timeline_href: str
    actors_href: str
    about_href: str | None


@dataclass(frozen=True, slots=True)
class TextPage:
    title: str
    html: Markup


@dataclass(frozen=True, slots=True)
class CompareQuote:
    text: str
    href: str
    label: str


@dataclass(frozen=True, slots=True)
class CompareRow:
    name: str
    href: str
    counts: tuple[int, ...]
    quotes: tuple[tuple[CompareQuote, ...], ...]  # per briefing


@dataclass(frozen=True, slots=True)
class ComparePage:
    briefings: tuple[BriefingColumn, ...]
    actors: tuple[CompareRow, ...]
    events: tuple[CompareRow, ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    actors_href: str
    timeline_href: str
    bundle_href: str
    css_href: str


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    home_href: str
    links: tuple[tuple[str, str], ...]


def build_home(
    briefings: Sequence[Briefing],
    actors: Mapping[str, Actor],
    events: Sequence[Event],
    index: Index,
    description: str,
    has_about: bool,
    settings: Settings,
) -> HomePage:
    page = "index.html"
    cards = []
    for b in briefings:
        counts = Counter(m.actor for m in index.of(b.slug).mentions if m.actor in actors)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], actors[kv[0]].name))[:TOP_ACTORS_PER_CARD]
        cards.append(
            Card(
                title=b.meta.title,
                title_note="Editor's title" if b.meta.title_status == "editor" else None,
                href=href(page, briefing_path(b.slug), settings),
                authors=", ".join(a.name for a in b.meta.authors) or ", ".join(b.document.byline),
                published=published_label(b),
                summary=chrome_description(b),
                reading_minutes=reading_minutes(b),
                actors=tuple(Chip(actors[a].name, href(page, f"actors/{a}/index.html", settings), n) for a, n in top),
            )
        )
    discussed = [e for e in ordered(events) if index.by_event.get(e.id)]
    recent = tuple(
        (range_label(e.date, e.end, e.approximate), e.title, href(page, f"timeline/{e.id}/index.html", settings))
        for e in reversed(discussed[-RECENT_EVENTS:])
    )
    totals = {a: len(ms) for a, ms in index.by_actor.items() if a in actors}
    top_actors = tuple(
        Chip(actors[a].name, href(page, f"actors/{a}/index.html", settings), n)
        for a, n in sorted(totals.items(), key=lambda kv: (-kv[1], actors[kv[0]].name))[:TOP_ACTORS]
    )
    return HomePage(
        description=description,
        cards=tuple(cards),
        recent_events=recent,
        top_actors=top_actors,
        counts=(len(briefings), len(actors), len(events)),
        timeline_href=href(page, "timeline/index.html", settings),
        actors_href=href(page, "actors/index.html", settings),
        about_href=href(page, "about/index.html", settings) if has_about else None,
    )


def page_markdown() -> MarkdownIt:
    """Markdown for editorial pages: CommonMark, raw HTML off, tables on."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.validateLink = lambda url: safe_url(url) is not None or not (":" in url.split("/", 1)[0])  # type: ignore[method-assign]
    return md


def build_text_page(p: Page, md: MarkdownIt) -> TextPage:
    return TextPage(p.title, Markup(md.render(p.body_markdown)))


def build_compare(
    briefings: Sequence[Briefing],
    actors: Mapping[str, Actor],
    events: Sequence[Event],
    texts: Mapping[tuple[str, str], str],
    index: Index,
    settings: Settings,
) -> ComparePage:
    """Actors and events that more than one briefing names, with counts and passages side by side."""
    page = "compare/index.html"
    cols = columns(briefings, page, settings)
    slugs = [c.slug for c in cols]
    actor_rows = []
    for actor_id, mentions in sorted(index.by_actor.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        per = Counter(m.briefing for m in mentions)
        if actor_id not in actors or sum(1 for s in slugs if per.get(s)) < 2:
            continue
        quotes = tuple(
            tuple(_quote(texts, m.briefing, m.paragraph, page, settings)
                  for m in _first_per_paragraph([m for m in mentions if m.briefing == s])[:COMPARE_QUOTES])
            for s in slugs
        )
        actor_rows.append(CompareRow(actors[actor_id].name, href(page, f"actors/{actor_id}/index.html", settings),
                                     tuple(per.get(s, 0) for s in slugs), quotes))
    event_rows = []
    for e in ordered(events):
        passages = index.by_event.get(e.id, ())
        per = Counter(p.briefing for p in passages)
        if sum(1 for s in slugs if per.get(s)) < 2:
            continue
        quotes = tuple(
            tuple(_quote(texts, p.briefing, p.paragraph, page, settings)
                  for p in _first_per_paragraph([p for p in passages if p.briefing == s])[:COMPARE_QUOTES])
            for s in slugs
        )
        title = f"{range_label(e.date, e.end, e.approximate)}: {e.title}"
        event_rows.append(CompareRow(title, href(page, f"timeline/{e.id}/index.html", settings),
                                     tuple(per.get(s, 0) for s in slugs), quotes))
    return ComparePage(cols, tuple(actor_rows), tuple(event_rows))


def _first_per_paragraph(items: list) -> list:  # type: ignore[type-arg]
    seen: set[str] = set()
    out = []
    for item in items:
        if item.paragraph not in seen:
            seen.add(item.paragraph)
            out.append(item)
    return out


def _quote(texts: Mapping[tuple[str, str], str], slug: str, target: str, page: str, settings: Settings) -> CompareQuote:
    text = texts.get((slug, target), "")
    short = text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + "…"
    label = f"¶ {target[1:]}" if target.startswith("p") else target
    return CompareQuote(short, href(page, briefing_path(slug), settings, target), label)


def build_search(settings: Settings) -> SearchPage:
    page = "search/index.html"
    return SearchPage(
        href(page, "actors/index.html", settings),
        href(page, "timeline/index.html", settings),
        href(page, "pagefind/pagefind-ui.js", settings),
        href(page, "pagefind/pagefind-ui.css", settings),
    )


def build_not_found(has_about: bool, settings: Settings) -> NotFoundPage:
    page = "404.html"
    links = [("Briefings", "index.html"), ("Actor index", "actors/index.html"), ("Timeline", "timeline/index.html"),
             ("Search", "search/index.html")]
    return NotFoundPage(
        href(page, "index.html", settings),
        tuple((label, href(page, target, settings)) for label, target in links),
    )
