"""Inputs + index -> the page plan: every output file, with its template and context or its bytes.

The plan is data, so it can be checked before anything is rendered: two outputs on one path are an
error, and every path stays inside the output folder.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from briefing.errors import fail
from briefing.index.crossref import BriefingIndex, Index
from briefing.model import Actor, Briefing, BriefingSummary, Event, Page, SiteConfig
from briefing.render.actor_view import (
    PER_BRIEFING_COLUMNS,
    build_actor_page,
    build_actors_index,
    co_mentions,
    roster,
)
from briefing.render.briefing_view import briefing_path, build_briefing_page, chrome_description, source_path
from briefing.render.chrome import Chrome, Settings, chrome
from briefing.render.cite import cite
from briefing.render.exports import (
    ExportParts,
    Texts,
    actors_csv,
    actors_json,
    briefing_data,
    events_csv,
    export_parts,
    mentions_csv,
    passages_csv,
    text_map,
    timeline_json,
    to_json,
)
from briefing.render.feeds import atom_feed, robots, sitemap
from briefing.render.site_view import (
    CompareRow,
    build_compare,
    build_home,
    build_not_found,
    build_search,
    build_text_page,
    page_markdown,
)
from briefing.render.summary import PageKeys, summarise
from briefing.render.timeline_view import build_event_page, build_timeline_page, ordered
from briefing.sources.content import Inputs
from briefing.store import digest, value_digest

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

UNSAFE_PATH = re.compile(r"[\\\x00-\x1f\x7f]")
FEW_ACTOR_PAGES = 8  # up to this many actor pages to render, each counts its own co-mentions (``counted_for``)
Memo = Callable[[str, Sequence[str], Callable[[], CompareRow]], CompareRow]  # ``Store.memo``, for the compare rows


# Page views are made, rendered and dropped, never compared or printed: eq=False and repr=False spare
# the generated __eq__, __hash__ and __repr__, whose making is a good part of start-up (bench/README.md).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PlannedPage:
    path: str
    template: str
    site: Chrome
    page: object  # the page kind's frozen context dataclass


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PlannedFile:
    path: str
    data: bytes


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Plan:
    pages: tuple[PlannedPage, ...]
    files: tuple[PlannedFile, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BriefingOutputs:
    """What one briefing alone decides: its article and source pages and its per-briefing files."""

    pages: tuple[PlannedPage, ...]
    files: tuple[PlannedFile, ...]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SitePage:
    """A page made from many briefings, planned without building its context.

    ``depends`` digests everything its bytes depend on besides the code and its template (the keys
    of the briefings it shows, the actor and event files, the page frame), so an incremental build can
    keep the page without making its context; ``make`` builds (chrome, context) when it must render.
    """

    path: str
    template: str
    depends: str
    make: Callable[[], tuple[Chrome, object]]
    # Work many pages of a kind share (the actor pages' co-mention counts): run once, given the pages of
    # that kind about to be rendered, before they are spread over worker processes, so each worker
    # inherits it instead of doing it again.
    shared: Callable[[Sequence[SitePage]], object] | None = None
    weight: int = 1  # how many briefings it shows, which its cost grows with: for sharing out the work


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SiteFile:
    """A data file made from many briefings (exports, feed, sitemap), planned like a ``SitePage``."""

    path: str
    depends: str
    make: Callable[[], bytes]
    weight: int = 1  # as ``SitePage.weight``


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SitePlan:
    pages: tuple[SitePage, ...]
    files: tuple[SiteFile, ...]


@dataclass(frozen=True, slots=True)
class Frame:
    """The page chrome of any page: site values fixed, page values given (picklable, for workers)."""

    site: SiteConfig
    settings: Settings
    has_about: bool

    def __call__(self, path: str, title: str, description: str, section: str) -> Chrome:
        site = self.site
        return chrome(path, title, description or site.description, site.title, site.language, self.settings,
                      section, site.license, site.publisher, self.has_about)


def plan_site(inputs: Inputs, index: Index, settings: Settings) -> Plan:
    """Every output of the site, contexts built (what ``check`` renders in memory).

    Raises SourceError if two outputs claim one path. The build itself does not call this: it makes
    each briefing's outputs in ``per_briefing`` and the rest from ``plan_site_wide``.
    """
    frame = Frame(inputs.site, settings, any(p.slug == "about" for p in inputs.pages))
    actors = {a.id: a for a in inputs.actors}
    events = {e.id: e for e in inputs.events}
    pages: list[PlannedPage] = []
    files: list[PlannedFile] = []
    for b in inputs.briefings:
        made = briefing_outputs(b, index.of(b.slug), actors, events, settings, frame)
        pages += made.pages
        files += made.files
    summaries = [summarise(b, index.of(b.slug)) for b in inputs.briefings]
    wide = plan_site_wide(inputs, summaries, index, frame, [b.slug for b in inputs.briefings], "")
    pages += [PlannedPage(p.path, p.template, *p.make()) for p in wide.pages]
    files += [PlannedFile(f.path, f.make()) for f in wide.files]
    _check_paths([p.path for p in pages] + [f.path for f in files])
    return Plan(tuple(pages), tuple(files))


def plan_site_wide(
    inputs: Inputs,
    summaries: Sequence[BriefingSummary],
    index: Index,
    frame: Frame,
    keys: Sequence[str],
    inputs_key: str,
    parts: Sequence[PageKeys] | None = None,
    exports: Sequence[ExportParts] | None = None,
    cards: Sequence[str] | None = None,
    memo: Memo | None = None,
    texts: Texts | None = None,
) -> SitePlan:
    """The pages and files made from many briefings: home, actors, timeline, compare, extra pages, data.

    ``inputs.briefings`` is not used (the summaries stand for them). ``keys[i]`` names what
    ``summaries[i]`` was made from; ``inputs_key`` the actor and event files and the frame. A page's
    ``depends`` combines those of the briefings it shows, so one edited briefing changes the keys of
    the pages that show it and of the collection-wide pages only. ``exports`` are the briefings'
    encoded shares of the JSON exports, in ``index`` order, and ``cards`` their home cards, written, in
    ``summaries`` order (made here when not given). ``memo(kind, parts, make)`` (``Store.memo``) keeps
    parts of pages between builds: the compare page's rows, each under its actor's or event's page key.
    ``texts(slug)``: a briefing's texts, when the summaries come without them (``exports.text_map``).
    """
    settings = frame.settings
    site = inputs.site
    actors = {a.id: a for a in inputs.actors}
    summaries = roster(summaries)  # made once: actor and event pages look briefings up by slug, not scan all N
    quotable = text_map(summaries, texts)
    chronology = ordered(inputs.events)
    key_of = dict(zip((s.slug for s in summaries), keys, strict=True))
    everything = digest("all", inputs_key, *keys)
    n = len(summaries)
    count = str(n)
    # A page's key is made of each briefing's part of it (``PageKeys``) where the units give them,
    # else of the briefings' whole keys. Few briefings: event pages name the silent ones too.
    # (kind, id) -> "slug<TAB>part" of each briefing naming it, in site order: the order the index
    # counts them in, since both follow ``summaries``.
    parts_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    row_keys: dict[str, str] = {}  # compare row id -> the key of its actor's or event's page
    every_column = ""
    if parts is not None:
        for s, p in zip(summaries, parts, strict=True):
            for a, d in p.actors:
                parts_of["actor", a].append(f"{s.slug}\t{d}")
            for e, d in p.events:
                parts_of["event", e].append(f"{s.slug}\t{d}")
        if len(summaries) <= PER_BRIEFING_COLUMNS:
            every_column = digest("columns", *(p.column for p in parts))

    def from_briefings(kind: str, name: str, slugs: Iterable[str]) -> tuple[str, int]:
        """The key of a page showing these briefings' parts, and how many briefings that is."""
        shown = dict.fromkeys(slugs)
        if parts is None:
            return digest(kind, name, inputs_key, count, *(key_of.get(s, s) for s in shown)), len(shown)
        # One text, not a part per briefing: a popular actor's page is shown by most of the N briefings.
        shown_parts = "\n".join(parts_of.get((kind, name), ()))
        return digest(kind, name, inputs_key, count, every_column, shown_parts), len(shown)

    pages = [
        SitePage("index.html", "home.html", everything, lambda: (
            frame("index.html", site.title, site.description, "index.html"),
            build_home(summaries, actors, inputs.events, index, site.description, frame.has_about, settings, cards)),
            weight=n),
        SitePage("actors/index.html", "actors.html", everything, lambda: (
            frame("actors/index.html", "Actor index", "", "actors/index.html"),
            build_actors_index(inputs.actors, summaries, index, settings)), weight=n),
    ]
    # Co-mentions, counted once for the actor pages: for those about to be rendered (``counted_for``,
    # the pages' shared work, run before forking), else for every actor. A few pages (an edit's) each
    # count their own actor in the worker that renders them instead: the counting loads the indexes
    # of the briefings naming the actor, which that page's quotes need anyway, so it is not done
    # serially in the parent first. (actors counted, or None for all; their counts)
    together: list[tuple[frozenset[str] | None, Mapping[str, Counter[str]]]] = []
    actor_of: dict[str, str] = {}  # page path -> actor id
    alone: list[bool] = []  # set when each page counts for its own actor

    def counted_for(rendered: Sequence[SitePage]) -> None:
        if len(rendered) <= FEW_ACTOR_PAGES:
            alone[:] = [True]
            return
        wanted = frozenset(actor_of[p.path] for p in rendered)
        together[:] = [(wanted, co_mentions(index, wanted))]

    def actor_page(a: Actor) -> tuple[Chrome, object]:
        if alone:
            counts = co_mentions(index, {a.id})
        else:
            if not together or (together[0][0] is not None and a.id not in together[0][0]):
                together[:] = [(None, co_mentions(index))]
            counts = together[0][1]
        path = f"actors/{a.id}/index.html"
        return (frame(path, a.name, a.description, "actors/index.html"),
                build_actor_page(a, summaries, quotable, index, counts, actors, settings))

    for a in inputs.actors:
        key, shown = from_briefings("actor", a.id, (s for s, _ in index.actor_counts.get(a.id, ())))
        row_keys[f"actor-{a.id}"] = key
        actor_of[f"actors/{a.id}/index.html"] = a.id
        pages.append(SitePage(f"actors/{a.id}/index.html", "actor.html", key, partial(actor_page, a),
                              counted_for, shown))
    pages.append(SitePage("timeline/index.html", "timeline.html", everything, lambda: (
        frame("timeline/index.html", "Timeline", "", "timeline/index.html"),
        build_timeline_page(inputs.events, summaries, actors, index, settings)), weight=n))

    def event_page(i: int) -> tuple[Chrome, object]:
        e = chronology[i]
        path = f"timeline/{e.id}/index.html"
        neighbours = (chronology[i - 1] if i else None, chronology[i + 1] if i + 1 < len(chronology) else None)
        return (frame(path, e.title, e.description, "timeline/index.html"),
                build_event_page(e, neighbours, summaries, actors, quotable, index, settings))

    for i, e in enumerate(chronology):
        key, shown = from_briefings("event", e.id, (s for s, _ in index.event_counts.get(e.id, ())))
        row_keys[f"event-{e.id}"] = key
        pages.append(SitePage(f"timeline/{e.id}/index.html", "event.html", key, partial(event_page, i), None, shown))

    def compare_row(row_id: str, make: Callable[[], CompareRow]) -> CompareRow:
        # A row shows part of what its actor's or event's own page shows: it is kept under that page's key.
        if memo is None or parts is None:
            return make()
        return memo("compare-row", [row_id, row_keys[row_id]], make)

    pages.append(SitePage("compare/index.html", "compare.html", everything, lambda: (
        frame("compare/index.html", "Compare the briefings", "", "compare/index.html"),
        build_compare(summaries, actors, inputs.events, quotable, index, settings, compare_row)), weight=n))
    md: list[MarkdownIt] = []

    def text_page(p: Page) -> tuple[Chrome, object]:
        if not md:
            md.append(page_markdown())
        path = f"{p.slug}/index.html"
        return frame(path, p.title, "", path), build_text_page(p, md[0], settings)

    for p in inputs.pages:
        pages.append(SitePage(f"{p.slug}/index.html", "page.html", digest("page", inputs_key, value_digest(p)),
                              partial(text_page, p)))
    pages.append(SitePage("search/index.html", "search.html", inputs_key, lambda: (
        frame("search/index.html", "Search", "", ""), build_search(settings))))
    pages.append(SitePage("404.html", "404.html", inputs_key, lambda: (
        frame("404.html", "Page not found", "", ""), build_not_found(frame.has_about, settings))))
    made: list[Sequence[ExportParts]] = [exports] if exports is not None else []

    def shares() -> Sequence[ExportParts]:  # for ``check``, which has no units: made once, for six files
        if not made:
            made.append([export_parts(b) for b in index.briefings])
        return made[0]

    base = settings.base_url
    listed = [p.path for p in pages if p.path != "404.html"]
    listed += [path for s in summaries for path in (briefing_path(s.slug), source_path(s.slug))]
    files = [
        SiteFile("data/actors.json", everything, lambda: actors_json(inputs.actors, shares()), weight=n),
        SiteFile("data/timeline.json", everything, lambda: timeline_json(chronology, shares()), weight=n),
        SiteFile("data/actors.csv", everything, lambda: actors_csv(inputs.actors, summaries, shares()), weight=n),
        SiteFile("data/events.csv", everything, lambda: events_csv(chronology, summaries, shares()), weight=n),
        SiteFile("data/mentions.csv", everything, lambda: mentions_csv(inputs.actors, summaries, shares()), weight=n),
        SiteFile("data/passages.csv", everything, lambda: passages_csv(chronology, summaries, shares()), weight=n),
        SiteFile("feed.xml", everything, lambda: atom_feed(site, base, summaries), weight=n),
        SiteFile("sitemap.xml", everything, lambda: sitemap(base, listed), weight=n),
        SiteFile("robots.txt", inputs_key, lambda: robots(base)),
        SiteFile(".nojekyll", "", lambda: b""),
    ]
    return SitePlan(tuple(pages), tuple(files))


def briefing_outputs(
    b: Briefing,
    found: BriefingIndex,
    actors: Mapping[str, Actor],
    events: Mapping[str, Event],
    settings: Settings,
    frame: Frame,
) -> BriefingOutputs:
    """A briefing's article page, source view, citations, raw source and JSON export."""
    # Imported here, with Pygments (~25 ms): a rebuild whose briefings all come from the cache needs neither.
    from briefing.render.source_view import build_source_page

    path = briefing_path(b.slug)
    ctx = build_briefing_page(b, found, actors, events, settings)
    spath = source_path(b.slug)
    pages = (
        PlannedPage(path, "briefing.html", frame(path, b.meta.title, chrome_description(b), "index.html"), ctx),
        PlannedPage(spath, "source.html", frame(spath, f"Source of {b.meta.title}", "", "index.html"),
                    build_source_page(b, settings)),
    )
    folder = posixpath.dirname(path)
    citation = cite(b.meta, settings.base_url + f"briefings/{b.slug}/")
    files = (
        PlannedFile(f"{folder}/cite.bib", citation.bibtex.encode("utf-8")),
        PlannedFile(f"{folder}/cite.ris", citation.ris.encode("utf-8")),
        PlannedFile(f"{folder}/cite.json", citation.csl_json.encode("utf-8")),
        PlannedFile(f"{posixpath.dirname(spath)}/{b.meta.source}", b.document.text.encode("utf-8")),
        PlannedFile(f"data/briefings/{b.slug}.json", to_json(briefing_data(b))),
    )
    return BriefingOutputs(pages, files)


def _check_paths(paths: list[str]) -> None:
    """Every output path is a plain relative path inside the output folder, and no two are equal.

    Backslashes and control characters are refused too: a backslash is a folder separator on
    Windows, and a NUL would end the path early in the operating system.
    """
    seen: set[str] = set()
    for path in paths:
        norm = posixpath.normpath(path)
        unsafe = UNSAFE_PATH.search(path) or norm.startswith(("../", "/")) or norm in ("..", ".")
        if unsafe or norm != path:
            raise fail("content", 1, 1, f"output path {path!r} would leave the output folder")
        if path in seen:
            raise fail("content", 1, 1, f"two outputs claim the path {path!r} (a page slug repeats a built-in page?)")
        seen.add(path)
