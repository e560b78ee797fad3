"""Briefings, actors, events and the index -> the JSON and CSV downloads (the data contract)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from briefing.index.crossref import Index
from briefing.model import Actor, Briefing, Event


def to_json(data: object) -> bytes:
    """Stable, readable JSON: keys in the order built, UTF-8, a newline at the end."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def actors_csv(actors: Sequence[Actor], briefings: Sequence[Briefing], index: Index) -> bytes:
    """One row per actor: mention counts in total and per briefing; each side's names for contested places."""
    slugs = [b.slug for b in briefings]
    rows = []
    for a in actors:
        mentions = index.by_actor.get(a.id, ())
        per = Counter(m.briefing for m in mentions)  # one pass, not one scan per briefing
        counts = [per[s] for s in slugs]
        names = "; ".join(f"{n.side}: {n.name}" for n in a.names)
        rows.append([a.id, a.name, a.type, a.description, "; ".join(a.aliases), len(mentions), *counts, names])
    header = ["id", "name", "type", "description", "aliases", "mentions", *[f"mentions_{s}" for s in slugs], "names"]
    return _csv(header, rows)


def events_csv(events: Sequence[Event], briefings: Sequence[Briefing], index: Index) -> bytes:
    """One row per event: dates, actor ids and, per briefing, the paragraphs that speak of it."""
    slugs = [b.slug for b in briefings]
    rows = []
    for e in events:
        passages = index.by_event.get(e.id, ())
        paragraphs: dict[str, dict[str, None]] = {}  # briefing -> its paragraphs in order, without repeats
        for p in passages:
            paragraphs.setdefault(p.briefing, {})[p.paragraph] = None
        per = [" ".join(paragraphs.get(s, ())) for s in slugs]
        rows.append([e.id, e.date.iso(), e.end.iso() if e.end else "", e.title, e.description, " ".join(e.actors),
                     e.sources_differ or "", *per, "yes" if e.approximate else "no",
                     " ".join(d.iso() for d in e.also_dated)])
    header = ["id", "date", "end", "title", "description", "actors", "sources_differ",
              *[f"paragraphs_{s}" for s in slugs], "approximate", "also_dated"]
    return _csv(header, rows)


def text_map(briefings: Sequence[Briefing]) -> Mapping[tuple[str, str], str]:
    """(briefing, target id) -> the text that mention offsets point into."""
    from briefing.index.crossref import targets

    return {(b.slug, t): text for b in briefings for t, text in targets(b)}
