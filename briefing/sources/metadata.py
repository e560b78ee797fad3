"""Validated YAML documents -> model values: site settings, briefing metadata, actors, events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefing.errors import SourceError, SourceErrors
from briefing.model import Actor, ActorName, Author, BriefingMeta, Event, FuzzyDate, SiteConfig, Span
from briefing.sources.yamldoc import YamlDoc, validate


def read_site(doc: YamlDoc) -> SiteConfig:
    validate(doc, "site")
    d = doc.data
    return SiteConfig(
        title=d["title"],
        description=d.get("description", ""),
        base_url=d["base_url"].rstrip("/") + "/",
        language=d.get("language", "en"),
        publisher=d.get("publisher"),
        license=d.get("license"),
    )


def read_briefing_meta(doc: YamlDoc, slug: str) -> BriefingMeta:
    """Validate ``content/briefings/<slug>.yaml`` and build its BriefingMeta."""
    if not isinstance(doc.data, dict):
        raise doc.error((), "expected a mapping of metadata keys (source, title, authors, …)")
    validate(doc, "briefing")
    d: dict[str, Any] = doc.data
    published = _date(doc, ("published",), d.get("published")) if "published" in d else None
    return BriefingMeta(
        slug=slug,
        source=d["source"],
        title=d["title"],
        title_status=d.get("title_status", "original"),
        subtitle=d.get("subtitle"),
        authors=tuple(Author(a["name"], a.get("affiliation"), a.get("bio")) for a in d.get("authors", [])),
        publisher=d.get("publisher"),
        series=d.get("series"),
        published=published,
        published_approximate=d.get("published_approximate", False),
        url=d.get("url"),
        summary=d.get("summary"),
        language=d.get("language", "en"),
        links=tuple(d.get("links", {}).items()),
        notes=tuple(d.get("notes", [])),
        span=_span(doc, ()),
    )


def read_actors(doc: YamlDoc) -> tuple[Actor, ...]:
    """Validate ``content/actors.yaml``; duplicate ids are errors at the second occurrence."""
    if doc.data is None:
        return ()
    validate(doc, "actors")
    actors = tuple(_actor(doc, i, d) for i, d in enumerate(doc.data))
    _no_duplicates(doc, (a.id for a in actors), "actor id")
    return actors


def _actor(doc: YamlDoc, index: int, d: dict[str, Any]) -> Actor:
    return Actor(
        id=d["id"],
        name=d["name"],
        type=d["type"],
        description=d["description"],
        aliases=tuple(d.get("aliases", [])),
        names=tuple(ActorName(n["side"], n["name"]) for n in d.get("names", [])),
        note=d.get("note"),
        span=_span(doc, (index,)),
    )


def read_events(doc: YamlDoc, actor_ids: frozenset[str] | None) -> tuple[Event, ...]:
    """Validate ``content/timeline.yaml``: dates must exist, ``end`` follow ``date``, actors be known."""
    if doc.data is None:
        return ()
    validate(doc, "timeline")
    errors: list[SourceError] = []
    events: list[Event] = []
    for i, d in enumerate(doc.data):
        try:
            events.append(_event(doc, i, d, actor_ids))
        except SourceError as exc:
            errors.append(exc)
    _no_duplicates(doc, (e.id for e in events), "event id")
    if errors:
        raise SourceErrors(errors)
    return tuple(events)


def _event(doc: YamlDoc, i: int, d: dict[str, Any], actor_ids: frozenset[str] | None) -> Event:
    date = _date(doc, (i, "date"), d["date"])
    end = _date(doc, (i, "end"), d["end"]) if "end" in d else None
    if end is not None and end.last_day() < date.first_day():
        raise doc.error((i, "end"), f"end {end.iso()} is before date {date.iso()}")
    for j, actor in enumerate(d.get("actors", [])):
        if actor_ids is not None and actor not in actor_ids:
            raise doc.error((i, "actors", j), f"unknown actor id {actor!r}; add it to content/actors.yaml")
    return Event(
        id=d["id"],
        date=date,
        end=end,
        approximate=d.get("approximate", False),
        title=d["title"],
        description=d["description"],
        actors=tuple(d.get("actors", [])),
        phrases=tuple(d.get("phrases", [])),
        also_dated=tuple(_date(doc, (i, "also_dated", k), v) for k, v in enumerate(d.get("also_dated", []))),
        sources_differ=d.get("sources_differ"),
        span=_span(doc, (i,)),
    )


def _date(doc: YamlDoc, path: tuple[str | int, ...], value: object) -> FuzzyDate:
    try:
        return FuzzyDate.parse(str(value))
    except ValueError as exc:
        raise doc.error(path, f"impossible date {value!r}: {exc}") from None


def _no_duplicates(doc: YamlDoc, ids: Iterable[str], what: str) -> None:
    first: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in first:
            line = doc.where((first[item],))[0]
            raise doc.error((index, "id"), f"duplicate {what} {item!r} (first defined on line {line})")
        first[item] = index


def _span(doc: YamlDoc, path: tuple[str | int, ...]) -> Span:
    line, col = doc.where(path)
    return Span(doc.label, line, col, line)
