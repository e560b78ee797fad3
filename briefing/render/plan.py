"""Inputs + index -> the page plan: every output file, with its template and context or its bytes.

The plan is data, so it can be checked before anything is rendered: two outputs on one path are an
error, and every path stays inside the output folder.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from briefing.errors import fail
from briefing.index.crossref import Index
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


@dataclass(frozen=True, slots=True)
class PlannedFile:
    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Plan:
    pages: tuple[PlannedPage, ...]
    files: tuple[PlannedFile, ...]


def plan_site(inputs: Inputs, index: Index, settings: Settings) -> Plan:
    """Every output of the site. Raises SourceError if two outputs claim one path."""
    site = inputs.site
    actors = {a.id: a for a in inputs.actors}
    events = {e.id: e for e in inputs.events}
    briefings = inputs.briefings
    texts = text_map(briefings)
    has_about = any(p.slug == "about" for p in inputs.pages)

    def frame(path: str, title: str, description: str, section: str) -> Chrome:
        return chrome(path, title, description or site.description, site.title, site.language, settings, section,
                      site.license, site.publisher, has_about)

    pages: list[PlannedPage] = []
    files: list[PlannedFile] = []
    home = build_home(briefings, actors, inputs.events, index, site.description, has_about, settings)
    home_frame = frame("index.html", site.title, site.description, "index.html")
    pages.append(PlannedPage("index.html", "home.html", home_frame, home))
    for b in briefings:
        path = briefing_path(b.slug)
        ctx = build_briefing_page(b, index.of(b.slug), actors, events, settings)
        pages.append(PlannedPage(path, "briefing.html", frame(path, b.meta.title, chrome_description(b), "index.html"),
                                 ctx, (f"briefing:{b.slug}",)))
        spath = source_path(b.slug)
        pages.append(PlannedPage(spath, "source.html", frame(spath, f"Source of {b.meta.title}", "", "index.html"),
                                 build_source_page(b, settings), (f"briefing:{b.slug}",)))
        folder = posixpath.dirname(path)
        citation = cite(b.meta, settings.base_url + f"briefings/{b.slug}/")
        files += [
            PlannedFile(f"{folder}/cite.bib", citation.bibtex.encode("utf-8")),
            PlannedFile(f"{folder}/cite.ris", citation.ris.encode("utf-8")),
            PlannedFile(f"{folder}/cite.json", citation.csl_json.encode("utf-8")),
            PlannedFile(f"{posixpath.dirname(spath)}/{b.meta.source}", b.document.text.encode("utf-8")),
            PlannedFile(f"data/briefings/{b.slug}.json", to_json(briefing_data(b))),
        ]
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
    files += [
        PlannedFile("data/actors.json", to_json(actors_data(inputs.actors, index))),
        PlannedFile("data/timeline.json", to_json(timeline_data(chronology, index))),
        PlannedFile("data/actors.csv", actors_csv(inputs.actors, briefings, index)),
        PlannedFile("data/events.csv", events_csv(chronology, briefings, index)),
        PlannedFile("feed.xml", atom_feed(site, base, briefings)),
        PlannedFile("sitemap.xml", sitemap(base, [p.path for p in pages if p.path != "404.html"])),
        PlannedFile("robots.txt", robots(base)),
        PlannedFile(".nojekyll", b""),
    ]
    _check_paths([p.path for p in pages] + [f.path for f in files])
    return Plan(tuple(pages), tuple(files))


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
