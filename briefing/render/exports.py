"""Briefings, actors, events and the index -> the JSON and CSV downloads (the data contract)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from briefing.index.crossref import BriefingIndex, Index
from briefing.model import Actor, Briefing, BriefingSummary, Event
from briefing.pickling import compact_pickle

_T = TypeVar("_T")


def to_json(data: object) -> bytes:
    """Stable JSON, keys in the order built, UTF-8: each top-level key, and each item of a top-level
    list, on a line of its own.

    Line by line, so a diff between two builds shows which actor, event or section changed; not
    indented further, because ``json`` only uses its C encoder without ``indent`` (the exports of a
    large collection take seconds to indent in pure Python).
    """
    if not isinstance(data, dict) or not data:
        return (_dumps(data) + "\n").encode("utf-8")
    return _document(
        (key, [_dumps(item) for item in value] if isinstance(value, list) and value else _dumps(value))
        for key, value in data.items()
    )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _document(entries: Iterable[tuple[str, str | list[str]]]) -> bytes:
    """``to_json``'s layout from encoded values: a list's items each on a line of their own."""
    lines = []
    for key, value in entries:
        name = _dumps(key)
        if isinstance(value, list):
            items = ",\n".join("  " + item for item in value)
            lines.append(f" {name}: [\n{items}\n ]")
        else:
            lines.append(f" {name}: {value}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


def briefing_data(b: Briefing) -> dict[str, Any]:
    """``data/briefings/<slug>.json`` exactly as DESIGN.md's contract says, plus added keys."""
    doc = b.document
    return {
        "slug": b.slug,
        "title": b.meta.title,
        "authors": [{"name": a.name, "affiliation": a.affiliation} for a in b.meta.authors],
        "sections": [
            {
                "id": s.id,
                "heading": s.heading,
                "paragraphs": [
                    {
                        "id": p.id,
                        "text": p.text,
                        "footnotes": list(dict.fromkeys(r.number for r in p.footnotes)),
                        "lines": [p.span.line, p.span.end_line],
                    }
                    for p in s.paragraphs
                ],
            }
            for s in doc.sections
        ],
        "footnotes": [
            {"number": n.number, "text": n.text, "cited_in": list(n.cited_in), "attached_to": n.attached_to}
            for n in doc.footnotes
        ],
        "links": [{"url": u} for u in doc.links],
        "title_status": b.meta.title_status,
        "published": b.meta.published.iso() if b.meta.published else None,
        "published_approximate": b.meta.published_approximate,
        "publisher": b.meta.publisher,
        "series": b.meta.series,
        "url": b.meta.url,
        "source": {"file": doc.source, "sha256": doc.sha256, "layout": doc.layout},
        "byline": list(doc.byline),
        "bio": doc.bio,
    }


def actors_data(actors: Sequence[Actor], index: Index) -> dict[str, Any]:
    return {
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "type": a.type,
                "aliases": list(a.aliases),
                "description": a.description,
                "names": [{"side": n.side, "name": n.name} for n in a.names],
                "mentions": [
                    {"briefing": m.briefing, "paragraph": m.paragraph, "start": m.start, "end": m.end, "text": m.text}
                    for m in index.by_actor.get(a.id, ())
                ],
            }
            for a in actors
        ]
    }


def timeline_data(events: Sequence[Event], index: Index) -> dict[str, Any]:
    return {
        "events": [
            {
                "id": e.id,
                "date": e.date.iso(),
                "end": e.end.iso() if e.end else None,
                "title": e.title,
                "description": e.description,
                "actors": list(e.actors),
                "passages": [
                    {"briefing": p.briefing, "paragraph": p.paragraph, "text": p.text, "start": p.start, "end": p.end}
                    for p in index.by_event.get(e.id, ())
                ],
                "approximate": e.approximate,
                "also_dated": [d.iso() for d in e.also_dated],
                "sources_differ": e.sources_differ,
            }
            for e in events
        ]
    }


@compact_pickle
@dataclass(frozen=True, slots=True)
class ExportParts:
    """One briefing's share of the site-wide exports, encoded once when the briefing is built.

    ``data/actors.json`` lists each actor's mentions in every briefing, and ``data/timeline.json``
    each event's passages: both are these shares joined in site order, so a rebuild after one edit
    encodes one briefing's mentions again, not the whole site's (``actors_json``, ``timeline_json``).
    """

    slug: str
    mentions: tuple[tuple[str, str], ...]  # (actor id, its mentions here as JSON items, ", "-joined)
    passages: tuple[tuple[str, str], ...]  # (event id, its passages here as JSON items, ", "-joined)
    counts: tuple[tuple[str, int], ...]  # (actor id, how many times this briefing names it): the CSV tables
    paragraphs: tuple[tuple[str, str], ...]  # (event id, the paragraphs here that speak of it, space-separated)


def export_parts(found: BriefingIndex) -> ExportParts:
    """``found``'s mentions and passages as ``actors_data`` and ``timeline_data`` encode them."""
    mentions: dict[str, list[dict[str, object]]] = {}
    for m in found.mentions:
        item = {"briefing": m.briefing, "paragraph": m.paragraph, "start": m.start, "end": m.end, "text": m.text}
        mentions.setdefault(m.actor, []).append(item)
    passages: dict[str, list[dict[str, object]]] = {}
    for p in found.passages:
        item = {"briefing": p.briefing, "paragraph": p.paragraph, "text": p.text, "start": p.start, "end": p.end}
        passages.setdefault(p.event, []).append(item)
    paragraphs: dict[str, dict[str, None]] = {}
    for p in found.passages:
        paragraphs.setdefault(p.event, {})[p.paragraph] = None
    # One list encoded per actor or event, its brackets cut off: json joins items with ", " itself.
    return ExportParts(
        found.slug,
        tuple((k, _dumps(v)[1:-1]) for k, v in mentions.items()),
        tuple((k, _dumps(v)[1:-1]) for k, v in passages.items()),
        tuple((k, len(v)) for k, v in mentions.items()),
        tuple((k, " ".join(v)) for k, v in paragraphs.items()),
    )


def actors_json(actors: Sequence[Actor], parts: Sequence[ExportParts]) -> bytes:
    """``to_json(actors_data(actors, index))``, from the briefings' ``ExportParts`` in site order."""
    joined = _joined(p.mentions for p in parts)
    lines = []
    for a in actors:
        head = _dumps({"id": a.id, "name": a.name, "type": a.type, "aliases": list(a.aliases),
                       "description": a.description, "names": [{"side": n.side, "name": n.name} for n in a.names]})
        lines.append(f'{head[:-1]}, "mentions": [{joined.get(a.id, "")}]}}')
    return _document([("actors", lines or "[]")])


def timeline_json(events: Sequence[Event], parts: Sequence[ExportParts]) -> bytes:
    """``to_json(timeline_data(events, index))``, from the briefings' ``ExportParts`` in site order."""
    joined = _joined(p.passages for p in parts)
    lines = []
    for e in events:
        head = _dumps({"id": e.id, "date": e.date.iso(), "end": e.end.iso() if e.end else None, "title": e.title,
                       "description": e.description, "actors": list(e.actors)})
        tail = _dumps({"approximate": e.approximate, "also_dated": [d.iso() for d in e.also_dated],
                       "sources_differ": e.sources_differ})
        lines.append(f'{head[:-1]}, "passages": [{joined.get(e.id, "")}], {tail[1:]}')
    return _document([("events", lines or "[]")])


def _joined(shares: Iterable[tuple[tuple[str, str], ...]]) -> dict[str, str]:
    """id -> every briefing's encoded items for it, in the order of ``shares``."""
    found: dict[str, list[str]] = {}
    for share in shares:
        for key, items in share:
            found.setdefault(key, []).append(items)
    return {key: ", ".join(items) for key, items in found.items()}


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# The CSV files are normalised tables, so their columns stay fixed and their size grows with the
# number of rows, however many briefings there are: actors.csv and events.csv hold one row per actor
# or event; mentions.csv and passages.csv hold one row per (actor, briefing) or (event, briefing)
# pair, joined to the first two by the actor or event id and to data/briefings/<slug>.json by the
# briefing slug. The header names every column:
ACTORS_CSV_COLUMNS = (
    "id",  # the actor's id, as in data/actors.json and the page address actors/<id>/
    "name",
    "type",
    "description",
    "aliases",  # "; "-separated
    "names",  # each side's names for a contested place: "Armenian: X; Azerbaijani: Y"
    "mentions",  # mentions of the actor in all briefings
    "briefings",  # how many briefings name the actor
)
EVENTS_CSV_COLUMNS = (
    "id",  # the event's id, as in data/timeline.json and the page address timeline/<id>/
    "date",  # YYYY, YYYY-MM or YYYY-MM-DD
    "end",
    "title",
    "description",
    "actors",  # actor ids, space-separated
    "sources_differ",
    "approximate",  # "yes" or "no"
    "also_dated",  # other dates the sources give, space-separated
    "briefings",  # how many briefings discuss the event
)
MENTIONS_CSV_COLUMNS = (
    "actor",  # the actor's id (actors.csv "id")
    "briefing",  # the slug of a briefing that names it
    "mentions",  # mentions of the actor in that briefing (at least 1)
)
PASSAGES_CSV_COLUMNS = (
    "event",  # the event's id (events.csv "id")
    "briefing",  # the slug of a briefing that discusses it
    "paragraphs",  # that briefing's paragraph ids that speak of it, space-separated, in order
)


def actors_csv(actors: Sequence[Actor], briefings: Sequence[BriefingSummary], parts: Sequence[ExportParts]) -> bytes:
    """One row per actor, in the order given: its fields, its mentions in all briefings and how many name it."""
    per = _per_briefing(((p.slug, p.counts) for p in parts), _positions(briefings))
    rows = []
    for a in actors:
        counts = per.get(a.id, {})
        names = "; ".join(f"{n.side}: {n.name}" for n in a.names)
        rows.append([a.id, a.name, a.type, a.description, "; ".join(a.aliases), names, sum(counts.values()),
                     len(counts)])
    return _csv(ACTORS_CSV_COLUMNS, rows)


def mentions_csv(actors: Sequence[Actor], briefings: Sequence[BriefingSummary], parts: Sequence[ExportParts]) -> bytes:
    """One row per actor and briefing that names it: actors in the order given, briefings in site order."""
    per = _per_briefing(((p.slug, p.counts) for p in parts), _positions(briefings))
    return _csv(MENTIONS_CSV_COLUMNS, [[a.id, slug, n] for a in actors for slug, n in per.get(a.id, {}).items()])


def events_csv(events: Sequence[Event], briefings: Sequence[BriefingSummary], parts: Sequence[ExportParts]) -> bytes:
    """One row per event, in the order given: its fields and how many briefings discuss it."""
    per = _per_briefing(((p.slug, p.paragraphs) for p in parts), _positions(briefings))
    rows = []
    for e in events:
        rows.append([e.id, e.date.iso(), e.end.iso() if e.end else "", e.title, e.description, " ".join(e.actors),
                     e.sources_differ or "", "yes" if e.approximate else "no",
                     " ".join(d.iso() for d in e.also_dated), len(per.get(e.id, {}))])
    return _csv(EVENTS_CSV_COLUMNS, rows)


def passages_csv(events: Sequence[Event], briefings: Sequence[BriefingSummary], parts: Sequence[ExportParts]) -> bytes:
    """One row per event and briefing that discusses it: events in the order given, briefings in site order."""
    per = _per_briefing(((p.slug, p.paragraphs) for p in parts), _positions(briefings))
    return _csv(PASSAGES_CSV_COLUMNS, [[e.id, slug, ps] for e in events for slug, ps in per.get(e.id, {}).items()])


def _per_briefing(
    shares: Iterable[tuple[str, tuple[tuple[str, _T], ...]]], place: Mapping[str, int]
) -> dict[str, dict[str, _T]]:
    """id -> {slug: that briefing's value for it}, briefings in site order; briefings not on the site left out."""
    on_site = sorted(((place[slug], slug, share) for slug, share in shares if slug in place), key=lambda t: t[0])
    found: dict[str, dict[str, _T]] = {}
    for _, slug, share in on_site:
        for key, value in share:
            found.setdefault(key, {}).setdefault(slug, value)
    return found


def _positions(briefings: Sequence[BriefingSummary]) -> dict[str, int]:
    """slug -> place on the site (a repeated slug: the first)."""
    place: dict[str, int] = {}
    for i, b in enumerate(briefings):
        place.setdefault(b.slug, i)
    return place


Texts = Callable[[str], Sequence[tuple[str, str]]]  # a briefing's slug -> its summary's texts


def text_map(briefings: Sequence[BriefingSummary], texts: Texts | None = None) -> Mapping[tuple[str, str], str]:
    """(briefing, target id) -> the text that mention offsets point into (the targets a summary kept).

    ``texts``: where to get a briefing's texts when its summary was loaded without them (a unit keeps
    them apart, since after one edit the pages that quote them quote only a few briefings).
    """
    return _TextMap(briefings, texts)


class _TextMap(Mapping[tuple[str, str], str]):
    """``text_map``, filled per briefing on first lookup: a rebuild after one edit renders a few actor
    and event pages, which quote a few briefings, and need not index every text of a large site."""

    def __init__(self, briefings: Sequence[BriefingSummary], load: Texts | None = None) -> None:
        self._summaries = {b.slug: b for b in briefings}  # slugs are unique in a site that builds
        self._load = load
        self._texts: dict[str, dict[str, str]] = {}

    def _of(self, slug: str) -> dict[str, str]:
        texts = self._texts.get(slug)
        if texts is None:
            texts = self._texts[slug] = dict(self._found(slug))
        return texts

    def _found(self, slug: str) -> Sequence[tuple[str, str]]:
        b = self._summaries.get(slug)
        if b is None:
            return ()
        return b.texts if self._load is None else self._load(slug)

    def __getitem__(self, key: tuple[str, str]) -> str:
        return self._of(key[0])[key[1]]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((slug, t) for slug in self._summaries for t in self._of(slug))

    def __len__(self) -> int:
        return sum(len(self._of(slug)) for slug in self._summaries)
