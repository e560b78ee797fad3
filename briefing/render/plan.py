"""Inputs + index -> the page plan: every output file, with its template and context or its bytes.

The plan is data, so it can be checked before anything is rendered: two outputs on one path are an
error, and every path stays inside the output folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from briefing.cache import parallel, value_digest
from briefing.errors import fail
from briefing.index.crossref import BriefingIndex, Index
from briefing.model import Actor, Briefing, Event, SiteConfig
from briefing.render.actor_view import build_actor_page, build_actors_index, co_mentions
from briefing.render.briefing_view import (
    briefing_path,
    build_briefing_page,
    build_source_page,
    chrome_description,
    source_path,
)
from briefing.render.chrome import Chrome, Settings, chrome
from briefing.render.cite import cite
from briefing.render.exports import (
    actors_csv,
    actors_data,
    briefing_data,
    events_csv,
    text_map,
    timeline_data,
    to_json,
)
from briefing.render.feeds import atom_feed, robots, sitemap
from briefing.render.site_view import (
    build_compare,
    build_home,
    build_not_found,
    build_search,
    build_text_page,
    page_markdown,
)
from briefing.render.timeline_view import build_event_page, build_timeline_page, ordered
from briefing.sources.content import Inputs

UNSAFE_PATH = re.compile(r"[\\\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class PlannedPage:
    path: str
    template: str
    site: Chrome
    page: object  # the page kind's frozen context dataclass
    inputs: tuple[str, ...] = ()  # names of what the page depends on (for incremental builds)
    digest: str = ""  # value_digest((site, page)) when already known (kept with a cached briefing)


@dataclass(frozen=True, slots=True)
class PlannedFile:
    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Plan:
    pages: tuple[PlannedPage, ...]
    files: tuple[PlannedFile, ...]


@dataclass(frozen=True, slots=True)
class BriefingOutputs:
    """What one briefing alone decides: its article and source pages and its per-briefing files."""

    pages: tuple[PlannedPage, ...]
    files: tuple[PlannedFile, ...]


# (the briefings, how to make the outputs of those at the given positions) -> every briefing's outputs,
# in order; a cache may return some from an earlier build.
MakeMany = Callable[[list[int]], list[BriefingOutputs]]
BriefingMemo = Callable[[Sequence[Briefing], MakeMany], list[BriefingOutputs]]
DataMemo = Callable[[str, Callable[[], bytes]], bytes]  # (output path, how to make it) -> its bytes


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


def context_digest(page: PlannedPage) -> str:
    """The digest of what a page's bytes depend on besides its template (computed unless known)."""
    return page.digest or value_digest((page.site, page.page))


def plan_site(
    inputs: Inputs,
    index: Index,
    settings: Settings,
    memo: BriefingMemo | None = None,
    memo_data: DataMemo | None = None,
) -> Plan:
    """Every output of the site. Raises SourceError if two outputs claim one path.

    ``memo`` may supply a briefing's own outputs from a cache: they depend only on the briefing, its
    index, the actors, the events, the site settings and whether an about page exists, which the
    caller's key must cover. ``memo_data`` may supply the site-wide data exports (JSON and CSV) by
    name: they depend only on the briefings, the actors and the events.
    """
    site = inputs.site
    actors = {a.id: a for a in inputs.actors}
    events = {e.id: e for e in inputs.events}
    briefings = inputs.briefings
    texts = text_map(briefings)
    has_about = any(p.slug == "about" for p in inputs.pages)

    frame = Frame(site, settings, has_about)

    pages: list[PlannedPage] = []
    files: list[PlannedFile] = []
    home = build_home(briefings, actors, inputs.events, index, site.description, has_about, settings)
    home_frame = frame("index.html", site.title, site.description, "index.html")
    pages.append(PlannedPage("index.html", "home.html", home_frame, home))
    def make_many(positions: list[int]) -> list[BriefingOutputs]:
        todo = [(briefings[i], index.of(briefings[i].slug)) for i in positions]
        made = parallel(partial(outputs_many, actors, events, settings, frame), todo)
        # An item that failed in a worker is redone here, so its error is raised as usual.
        return [outputs_many(actors, events, settings, frame, [t])[0] if isinstance(m, str) else m
                for t, m in zip(todo, made, strict=True)]

    everything = memo(briefings, make_many) if memo is not None else make_many(list(range(len(briefings))))
    for made in everything:
        pages += made.pages
        files += made.files
    pages.append(PlannedPage("actors/index.html", "actors.html",
                             frame("actors/index.html", "Actor index", "", "actors/index.html"),
                             build_actors_index(inputs.actors, briefings, index, settings)))
    together = co_mentions(index)
    for a in inputs.actors:
        path = f"actors/{a.id}/index.html"
        pages.append(PlannedPage(path, "actor.html", frame(path, a.name, a.description, "actors/index.html"),
                                 build_actor_page(a, briefings, texts, index, together, actors, settings)))
    pages.append(PlannedPage("timeline/index.html", "timeline.html",
                             frame("timeline/index.html", "Timeline", "", "timeline/index.html"),
                             build_timeline_page(inputs.events, briefings, actors, index, settings)))
    chronology = ordered(inputs.events)
    for i, e in enumerate(chronology):
        path = f"timeline/{e.id}/index.html"
        neighbours = (chronology[i - 1] if i else None, chronology[i + 1] if i + 1 < len(chronology) else None)
        pages.append(PlannedPage(path, "event.html", frame(path, e.title, e.description, "timeline/index.html"),
                                 build_event_page(e, neighbours, briefings, actors, texts, index, settings)))
    pages.append(PlannedPage("compare/index.html", "compare.html",
                             frame("compare/index.html", "Compare the briefings", "", "compare/index.html"),
                             build_compare(briefings, actors, inputs.events, texts, index, settings)))
    md = page_markdown()
    for p in inputs.pages:
        path = f"{p.slug}/index.html"
        pages.append(PlannedPage(path, "page.html", frame(path, p.title, "", path), build_text_page(p, md, settings)))
    pages.append(PlannedPage("search/index.html", "search.html", frame("search/index.html", "Search", "", ""),
                             build_search(settings)))
    pages.append(PlannedPage("404.html", "404.html", frame("404.html", "Page not found", "", ""),
                             build_not_found(has_about, settings)))
    base = settings.base_url
    exports: dict[str, Callable[[], bytes]] = {
        "data/actors.json": lambda: to_json(actors_data(inputs.actors, index)),
        "data/timeline.json": lambda: to_json(timeline_data(chronology, index)),
        "data/actors.csv": lambda: actors_csv(inputs.actors, briefings, index),
        "data/events.csv": lambda: events_csv(chronology, briefings, index),
    }
    files += [PlannedFile(name, memo_data(name, make) if memo_data else make()) for name, make in exports.items()]
    files += [
        PlannedFile("feed.xml", atom_feed(site, base, briefings)),
        PlannedFile("sitemap.xml", sitemap(base, [p.path for p in pages if p.path != "404.html"])),
        PlannedFile("robots.txt", robots(base)),
        PlannedFile(".nojekyll", b""),
    ]
    _check_paths([p.path for p in pages] + [f.path for f in files])
    return Plan(tuple(pages), tuple(files))


def outputs_many(
    actors: Mapping[str, Actor],
    events: Mapping[str, Event],
    settings: Settings,
    frame: Frame,
    todo: list[tuple[Briefing, BriefingIndex]],
) -> list[BriefingOutputs]:
    """``briefing_outputs`` over a chunk (the unit of work a worker process gets)."""
    return [briefing_outputs(b, found, actors, events, settings, frame) for b, found in todo]


def briefing_outputs(
    b: Briefing,
    found: BriefingIndex,
    actors: Mapping[str, Actor],
    events: Mapping[str, Event],
    settings: Settings,
    frame: Frame,
) -> BriefingOutputs:
    """A briefing's article page, source view, citations, raw source and JSON export."""
    path = briefing_path(b.slug)
    ctx = build_briefing_page(b, found, actors, events, settings)
    spath = source_path(b.slug)
    pages = (
        _page(path, "briefing.html", frame(path, b.meta.title, chrome_description(b), "index.html"), ctx, b.slug),
        _page(spath, "source.html", frame(spath, f"Source of {b.meta.title}", "", "index.html"),
              build_source_page(b, settings), b.slug),
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


def _page(path: str, template: str, site: Chrome, page: object, slug: str) -> PlannedPage:
    # The digest is taken here so a cached briefing carries it: hashing big contexts is costly.
    return PlannedPage(path, template, site, page, (f"briefing:{slug}",), value_digest((site, page)))


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
