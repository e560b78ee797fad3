"""A briefing and its index -> the ``BriefingSummary`` the site-wide pages are built from."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from briefing.index.crossref import BriefingIndex, targets
from briefing.model import Briefing, BriefingSummary, compact_pickle
from briefing.store import value_digest

DESCRIPTION_CHARS = 200


def summarise(b: Briefing, found: BriefingIndex) -> BriefingSummary:
    """Keep the metadata, a few figures and only the texts that snippets on other pages quote."""
    paragraphs = b.document.paragraphs()
    lead = paragraphs[0].text if paragraphs else ""
    quoted = {m.paragraph for m in found.mentions} | {p.paragraph for p in found.passages}
    return BriefingSummary(
        slug=b.slug,
        meta=b.meta,
        byline=b.document.byline,
        description=description(b.meta.summary, lead if paragraphs else None, b.meta.title),
        lead=lead,
        words=sum(len(p.text.split()) for p in paragraphs),
        texts=tuple((t, text) for t, text in targets(b) if t in quoted),
    )


def description(summary: str | None, lead: str | None, title: str) -> str:
    """The metadata summary, else the opening paragraph (cut with "…" past 200 characters), else the title."""
    if summary:
        return summary
    if lead is None:
        return title
    return lead[:DESCRIPTION_CHARS] + "…" if len(lead) > DESCRIPTION_CHARS else lead


@compact_pickle
@dataclass(frozen=True, slots=True)
class PageKeys:
    """For each actor and event one briefing names: a digest of all that briefing shows on its page.

    An actor's page shows, per briefing naming it, the briefing's title and author (its column), the
    mentions with the text of their paragraphs, and which other actors share those paragraphs; an
    event's page the passages with their paragraphs' texts. A page's key combines these parts, so an
    edit re-renders only the pages of the actors and events in the paragraphs it touched, not of every
    actor the briefing names (most edits change a word count and a few paragraphs, nothing else).
    """

    actors: tuple[tuple[str, str], ...]  # (actor id, digest of this briefing's part of its page)
    events: tuple[tuple[str, str], ...]
    column: str  # digest of what names the briefing in a column (slug, metadata, byline)


def page_keys(s: BriefingSummary, found: BriefingIndex) -> PageKeys:
    """The ``PageKeys`` of one briefing, from its summary and its index."""
    column = value_digest((s.slug, s.meta, s.byline))
    texts = dict(s.texts)
    in_target: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)  # target -> its mentions
    per_actor: dict[str, dict[str, None]] = defaultdict(dict)  # actor -> its targets, in order
    for m in found.mentions:
        in_target[m.paragraph].append((m.actor, m.start, m.end, m.text))
        per_actor[m.actor][m.paragraph] = None
    # Each target (its text and every mention in it) is hashed once, however many actors it names.
    target_part = {t: _hash((t, here), texts.get(t, "")) for t, here in in_target.items()}
    actors = tuple(
        (actor, _hash(("actor-part", column, [target_part[t] for t in named]))) for actor, named in per_actor.items()
    )
    per_event: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
    for p in found.passages:
        per_event[p.event].append((p.paragraph, p.start, p.end, p.text))
    events = tuple(
        (event, _hash(("event-part", column, here), *dict.fromkeys(texts.get(p[0], "") for p in here)))
        for event, here in per_event.items()
    )
    return PageKeys(actors, events, column)


def _hash(value: object, *texts: str) -> str:
    """A digest of a value made of strings, numbers, tuples and lists, then of long ``texts``.

    ``repr`` is unambiguous for such values and ends where it ends, so the texts can follow it as they
    are (each prefixed by its length): encoding them is far cheaper than escaping them with ``repr``.
    """
    h = hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16)
    for text in texts:
        data = text.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()
