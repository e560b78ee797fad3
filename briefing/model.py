"""The data model: frozen dataclasses that every pipeline stage passes along.

Readers (``briefing.sources``) build ``Document``, ``BriefingMeta``, ``Actor``
and ``Event`` values; the index stage adds ``Mention`` and ``Passage`` values;
render stages only read them. Nothing here is mutated after construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from briefing.pickling import compact_pickle

Layout = Literal["clean", "pdf", "markdown"]
ActorType = Literal["person", "state", "organisation", "party", "place", "group"]
ACTOR_TYPES: tuple[ActorType, ...] = ("person", "state", "organisation", "party", "place", "group")
MarkKind = Literal["em", "strong", "code", "link"]




@compact_pickle
@dataclass(frozen=True, slots=True)
class Span:
    """Lines of an input file (1-based, inclusive), as printed in messages."""

    path: str
    line: int
    col: int
    end_line: int


# --- documents -------------------------------------------------------------


@compact_pickle
@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A footnote marker that was removed from a paragraph's text.

    ``offset`` is the character position in ``Paragraph.text`` where the marker stood
    (the marker is rendered just before that character).
    """

    number: int
    offset: int


@compact_pickle
@dataclass(frozen=True, slots=True)
class Mark:
    """Inline formatting over ``Paragraph.text[start:end]`` (from Markdown sources)."""

    start: int
    end: int
    kind: MarkKind
    href: str | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class Paragraph:
    """One body paragraph: its text on one line, markers removed, with its source lines."""

    id: str
    text: str
    span: Span
    footnotes: tuple[FootnoteRef, ...] = ()
    marks: tuple[Mark, ...] = ()


@compact_pickle
@dataclass(frozen=True, slots=True)
class Section:
    """A heading (``None`` for an untitled stretch) and the paragraphs under it."""

    id: str
    heading: str | None
    paragraphs: tuple[Paragraph, ...]
    span: Span | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class Footnote:
    """A note; ``text`` is ``None`` when the body cites a number the source never gives."""

    number: int
    text: str | None
    span: Span | None = None
    cited_in: tuple[str, ...] = ()  # paragraph ids that cite this note, in order
    attached_to: Literal["body", "byline"] = "body"


@compact_pickle
@dataclass(frozen=True, slots=True)
class Document:
    """What a reader makes of one seed file, before any editorial metadata."""

    source: str  # path relative to the project, e.g. "seeds/x.txt"
    layout: Layout
    text: str  # the raw seed text (decoded), kept for the source view and hashing
    sha256: str
    byline: tuple[str, ...]  # author names printed at the top of the text
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...]
    links: tuple[str, ...]  # distinct URLs in order of first appearance
    bio: str | None = None  # author bio printed after the body
    bio_span: Span | None = None
    front_matter: tuple[tuple[str, object], ...] = ()  # Markdown sources only

    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for s in self.sections for p in s.paragraphs)


# --- editorial metadata ------------------------------------------------------


@compact_pickle
@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliation: str | None = None
    bio: str | None = None


@compact_pickle
@dataclass(frozen=True, slots=True, order=True)
class FuzzyDate:
    """A date known to the year, the month or the day (``month``/``day`` may be ``None``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @staticmethod
    def parse(value: str) -> FuzzyDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` if impossible."""
        parts = value.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
            raise ValueError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, found {value!r}")
        if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
            raise ValueError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, found {value!r}")
        nums = [int(p) for p in parts]
        date = FuzzyDate(*nums)  # type: ignore[arg-type]
        dt.date(nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1)
        return date


@compact_pickle
@dataclass(frozen=True, slots=True)
class BriefingMeta:
    """``content/briefings/<slug>.yaml``, validated."""

    slug: str
    source: str  # seed file name relative to seeds/
    title: str
    title_status: Literal["original", "reconstructed", "editor"] = "original"
    subtitle: str | None = None
    authors: tuple[Author, ...] = ()
    publisher: str | None = None
    series: str | None = None
    published: FuzzyDate | None = None
    published_approximate: bool = False
    url: str | None = None
    summary: str | None = None
    language: str = "en"
    links: tuple[tuple[str, str], ...] = ()  # phrase -> URL
    notes: tuple[str, ...] = ()  # editor's notes shown on the page
    span: Span | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class Briefing:
    """A document with its metadata: the unit every later stage works on."""

    meta: BriefingMeta
    document: Document

    @property
    def slug(self) -> str:
        return self.meta.slug


@compact_pickle
@dataclass(frozen=True, slots=True)
class BriefingSummary:
    """What the site-wide pages (home, actors, timeline, compare, feeds) need of one briefing.

    Made once per briefing next to its own pages (``render.summary.summarise``) and cached with them,
    so a rebuild after one edit never loads or keeps every briefing's whole text: only the texts of
    the targets (paragraphs, notes, byline, bio) that name an actor or an event, for the snippets.
    """

    slug: str
    meta: BriefingMeta
    byline: tuple[str, ...]  # as the text has it (used when the metadata names no authors)
    description: str  # the metadata summary, else the opening paragraph cut to ~200 characters
    lead: str  # the first body paragraph in full ("" when there is none), e.g. for the feed
    words: int  # body words, for the reading time
    texts: tuple[tuple[str, str], ...]  # (target id, text) for targets with a mention or a passage


# --- actors and events -------------------------------------------------------


@compact_pickle
@dataclass(frozen=True, slots=True)
class ActorName:
    """A name one side uses for a contested place (``side`` e.g. "Armenian", "Azerbaijani")."""

    side: str
    name: str


@compact_pickle
@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    type: ActorType
    description: str
    aliases: tuple[str, ...] = ()
    names: tuple[ActorName, ...] = ()
    note: str | None = None
    span: Span | None = None

    def all_names(self) -> tuple[str, ...]:
        """The canonical name, aliases, then per-side names, without repeats."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias, None)
        for n in self.names:
            seen.setdefault(n.name, None)
        return tuple(seen)


@compact_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """``text`` is exactly ``paragraph.text[start:end]`` (a possessive ’s is outside)."""

    actor: str
    briefing: str
    paragraph: str
    start: int
    end: int
    text: str


@compact_pickle
@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: FuzzyDate
    title: str
    description: str
    end: FuzzyDate | None = None
    approximate: bool = False
    actors: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    also_dated: tuple[FuzzyDate, ...] = ()  # other dates the sources give for it
    sources_differ: str | None = None  # shown as a "sources differ" note
    span: Span | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a paragraph, resolved to a ``FuzzyDate`` range."""

    start: int
    end: int
    text: str
    date: FuzzyDate
    until: FuzzyDate | None = None  # for ranges ("the early 1990s", "November–December 2020")


@compact_pickle
@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph that speaks of an event; ``text`` is the date or phrase that linked it."""

    event: str
    briefing: str
    paragraph: str
    start: int
    end: int
    text: str


# --- site --------------------------------------------------------------------


@compact_pickle
@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    description: str
    base_url: str
    language: str = "en"
    publisher: str | None = None
    license: str | None = None


@compact_pickle
@dataclass(frozen=True, slots=True)
class Page:
    """An extra page from ``content/pages/<slug>.md``."""

    slug: str
    title: str
    body_markdown: str
    span: Span | None = None
    front_matter: tuple[tuple[str, object], ...] = field(default=())
