"""Briefing + its index -> the context of its article page (the source view: ``source_view.py``)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup

from briefing.index.crossref import BriefingIndex
from briefing.model import Actor, Briefing, BriefingMeta, Event, Footnote, Paragraph, Section
from briefing.render.chrome import Settings, href
from briefing.render.cite import Citation, cite, highwire_tags, json_ld, open_graph, pinpoint
from briefing.render.dates import date_label
from briefing.render.markup import Link, escape_html, linkify_urls, paragraph_html, web_href

if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter

WORDS_PER_MINUTE = 230
TOC_WORDS = 6  # an untitled section is listed by the first words of its first paragraph


def briefing_path(slug: str) -> str:
    return f"briefings/{slug}/index.html"


def source_path(slug: str) -> str:
    return f"briefings/{slug}/source/index.html"


# Page views are made, rendered and dropped, never compared or printed: eq=False and repr=False spare
# the generated __eq__, __hash__ and __repr__, whose making is a good part of start-up (bench/README.md).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NoteView:
    number: int
    html: Markup | None  # None: the note is missing in the source
    backrefs: tuple[tuple[str, str], ...]  # (href, label)
    source_href: str | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ParagraphView:
    id: str
    number: int
    html: Markup
    source_href: str
    source_label: str
    notes: tuple[NoteView, ...]  # shown as sidenotes beside the paragraph
    cite_text: str

    @property
    def block(self) -> Markup:
        """The paragraph as the article shows it: its text, its tools (link, source lines, cite button)
        and its notes beside it. Written here rather than in briefing.html's loop over paragraphs: one
        string per paragraph costs a fraction of the template's fifty fragments and a dozen escapes."""
        ident, n, label = escape_html(self.id), self.number, escape_html(self.source_label)
        parts = [
            f'<div class="para{" para--noted" if self.notes else ""}">\n'
            f'        <p id="{ident}" data-cite="{escape_html(self.cite_text)}">{self.html}</p>\n'
            '        <div class="para__tools" data-pagefind-ignore>\n'
            f'          <a class="pilcrow" href="#{ident}"><span aria-hidden="true">¶</span>'
            f'<span class="visually-hidden">Paragraph</span> {n}</a>\n'
            f'          <a class="para__source" href="{escape_html(self.source_href)}" '
            f'aria-label="Source of paragraph {n}, {label}">{label}</a>\n'
            f'          <button type="button" class="cite-para" hidden data-cite-target="{ident}">'
            f'Cite<span class="visually-hidden"> paragraph {n}</span></button>\n'
            "        </div>\n"
        ]
        if self.notes:
            parts.append(f'        <div class="sidenotes" role="note" aria-label="Notes to paragraph {n}" '
                         "data-pagefind-ignore>\n")
            for note in self.notes:
                text = MISSING_SIDENOTE if note.html is None else note.html
                parts.append(f'          <p class="sidenote" data-sidenote="{note.number}">'
                             f'<span class="sidenote__number">{note.number}</span> {text}</p>\n')
            parts.append("        </div>\n")
        parts.append("      </div>")
        return Markup("".join(parts))


MISSING_SIDENOTE = '<em class="missing">Note missing in the source.</em>'


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SectionView:
    id: str
    heading: str | None
    label: str  # the heading, or the opening words of an untitled section (contents, landmark names)
    paragraphs: tuple[ParagraphView, ...]
    source_href: str | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AuthorView:
    name: str
    affiliation: str | None
    bio: str | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ActorChip:
    name: str
    href: str
    count: int
    type: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class EventItem:
    date: str
    iso: str
    title: str
    href: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BriefingPage:
    slug: str
    title: str
    title_note: str | None
    subtitle: str | None
    authors: tuple[AuthorView, ...]
    author_notes: tuple[NoteView, ...]
    bio: str | None
    publisher: str | None
    series: str | None
    published: str | None
    published_iso: str | None
    original_url: str | None
    summary: str | None
    editor_notes: tuple[str, ...]
    editor_note_count: int
    reading_minutes: int
    word_count: int
    toc: tuple[tuple[str, str], ...]
    sections: tuple[SectionView, ...]
    notes: tuple[NoteView, ...]
    links: tuple[tuple[str, str | None], ...]  # (address as printed, href or None when not a safe web link)
    actors: tuple[ActorChip, ...]
    actor_count: int
    events: tuple[EventItem, ...]
    event_count: int
    citation: Citation
    bibtex_html: Markup
    downloads: tuple[tuple[str, str], ...]  # (label, href)
    source_href: str
    sha256: str
    highwire: tuple[tuple[str, str], ...]
    open_graph: tuple[tuple[str, str], ...]
    json_ld: Markup  # escaped for a <script> block by cite.json_ld
    json_href: str
    actors_index_href: str
    timeline_href: str


def title_note(status: str) -> str | None:
    return {
        "editor": "Title supplied by the editor: the original title was not found.",
        "reconstructed": "Title reconstructed from the original web address; the printed form was not seen.",
    }.get(status)


def published_label(b: Briefing) -> str | None:
    date = b.meta.published
    if date is None:
        return None
    label = date_label(date)
    return f"{label} (approximate)" if b.meta.published_approximate else label


def toc_label(section: Section) -> str:
    """The section's heading; an untitled one by its opening words ("In the end, Moscow kept …")."""
    if section.heading:
        return section.heading
    first = section.paragraphs[0].text.split() if section.paragraphs else []
    if not first:
        return "Untitled section"
    return " ".join(first[:TOC_WORDS]) + (" …" if len(first) > TOC_WORDS else "")


def word_count(b: Briefing) -> int:
    return sum(len(p.text.split()) for p in b.document.paragraphs())


def reading_minutes(b: Briefing) -> int:
    return max(1, math.ceil(word_count(b) / WORDS_PER_MINUTE))


def build_briefing_page(
    b: Briefing,
    index: BriefingIndex,
    actors: Mapping[str, Actor],
    events: Mapping[str, Event],
    settings: Settings,
) -> BriefingPage:
    page = briefing_path(b.slug)
    url = settings.base_url + f"briefings/{b.slug}/"
    src = href(page, source_path(b.slug), settings)
    notes = {n.number: n for n in b.document.footnotes}
    link_to = _links_from(page, settings)
    links_by_target = _paragraph_links(b, index, actors, events, link_to)
    ref_ids = _ref_ids(b.document.paragraphs())
    backrefs = _backrefs(ref_ids)
    note_views = {
        n.number: _note_view(n, src, backrefs.get(n.number, ()), links_by_target.get(f"fn{n.number}", ()))
        for n in notes.values()
    }
    cite_para = pinpointer(b.meta, url)
    sections = []
    number = 0
    for s in b.document.sections:
        paras = []
        for p in s.paragraphs:
            number += 1
            cited = tuple(dict.fromkeys(r.number for r in p.footnotes))
            paras.append(
                ParagraphView(
                    id=p.id,
                    number=number,
                    html=paragraph_html(p.text, p.footnotes, p.marks, links_by_target.get(p.id, ()), ref_ids[p.id]),
                    source_href=f"{src}#L{p.span.line}",
                    source_label=_lines_label(p.span.line, p.span.end_line),
                    notes=tuple(note_views[n] for n in cited if n in note_views),
                    cite_text=cite_para(number),
                )
            )
        sections.append(
            SectionView(s.id, s.heading, toc_label(s), tuple(paras), f"{src}#L{s.span.line}" if s.span else None)
        )
    counts = Counter(m.actor for m in index.mentions)
    chips = tuple(
        ActorChip(actors[a].name, link_to(f"actors/{a}/index.html"), n, actors[a].type)
        for a, n in sorted(counts.items(), key=lambda kv: (-kv[1], actors[kv[0]].name))
        if a in actors
    )
    event_ids = dict.fromkeys(p.event for p in index.passages)
    event_items = tuple(
        sorted(
            (
                EventItem(date_label(events[e].date), events[e].date.iso(), events[e].title,
                          link_to(f"timeline/{e}/index.html"))
                for e in event_ids
                if e in events
            ),
            key=lambda item: (item.iso, item.title),
        )
    )
    citation = cite(b.meta, url)
    words = word_count(b)
    return BriefingPage(
        slug=b.slug,
        title=b.meta.title,
        title_note=title_note(b.meta.title_status),
        subtitle=b.meta.subtitle,
        authors=tuple(AuthorView(a.name, a.affiliation, a.bio) for a in b.meta.authors),
        author_notes=tuple(note_views[n.number] for n in b.document.footnotes if n.attached_to == "byline"),
        bio=b.document.bio,
        publisher=b.meta.publisher,
        series=b.meta.series,
        published=published_label(b),
        published_iso=b.meta.published.iso() if b.meta.published else None,
        original_url=b.meta.url,
        summary=b.meta.summary,
        editor_notes=b.meta.notes,
        editor_note_count=len(b.meta.notes),
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
        word_count=words,
        toc=tuple((s.id, toc_label(s)) for s in b.document.sections),
        sections=tuple(sections),
        notes=tuple(note_views[n.number] for n in b.document.footnotes if n.attached_to == "body"),
        links=tuple((url, web_href(url)) for url in b.document.links),
        actors=chips,
        actor_count=len(chips),
        events=event_items,
        event_count=len(event_items),
        citation=citation,
        bibtex_html=_bibtex_html(citation.bibtex),
        downloads=(("BibTeX", "cite.bib"), ("RIS", "cite.ris"), ("CSL-JSON", "cite.json")),
        source_href=src,
        sha256=b.document.sha256,
        highwire=highwire_tags(b.meta, url),
        open_graph=open_graph(b.meta, url, ""),
        json_ld=Markup(json_ld(b.meta, url, b.meta.publisher or "")),  # no <, >, & inside (see cite.json_ld)
        json_href=href(page, f"data/briefings/{b.slug}.json", settings),
        actors_index_href=href(page, "actors/index.html", settings),
        timeline_href=href(page, "timeline/index.html", settings),
    )


def pinpointer(meta: BriefingMeta, url: str) -> Callable[[int], str]:
    """``pinpoint(meta, url, n)`` for every paragraph n from one call: only the number at its end changes
    (the author and date part is the same for each); if the text does not end that way, each is asked for."""
    suffix = f", para. 1, {url.split('#', 1)[0]}#p1"
    first = pinpoint(meta, url, 1)
    if not first.endswith(suffix):
        return lambda number: pinpoint(meta, url, number)
    head, anchor = first[: -len(suffix)], url.split("#", 1)[0]
    return lambda number: f"{head}, para. {number}, {anchor}#p{number}"


def _bibtex_html(bibtex: str) -> Markup:
    """The BibTeX entry, coloured by Pygments.

    Pygments is imported here, not with the module (~25 ms, most of it ``importlib.metadata`` for its
    plugins): a rebuild whose briefings all come from the cache renders no briefing page."""
    from pygments import highlight
    from pygments.lexers import BibTeXLexer

    return Markup(highlight(bibtex, BibTeXLexer(), _bibtex_formatter()))


@cache
def _bibtex_formatter() -> HtmlFormatter:
    """Made once: building a formatter costs more than formatting an entry with it (it keeps no state)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=False, cssclass="highlight")


def _lines_label(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}–{last}"


def _ref_ids(paragraphs: Sequence[Paragraph]) -> dict[str, tuple[str, ...]]:
    """Unique ids for markers: the first citation of note 2 is fnref2, the next fnref2-2."""
    seen: Counter[int] = Counter()
    out: dict[str, tuple[str, ...]] = {}
    for p in paragraphs:
        ids = []
        for r in p.footnotes:
            seen[r.number] += 1
            ids.append(f"fnref{r.number}" if seen[r.number] == 1 else f"fnref{r.number}-{seen[r.number]}")
        out[p.id] = tuple(ids)
    return out


def _backrefs(ref_ids: Mapping[str, tuple[str, ...]]) -> dict[int, tuple[tuple[str, str], ...]]:
    """Note number -> links back to each marker citing it, in reading order (one pass over the markers)."""
    out: dict[int, list[tuple[str, str]]] = {}
    for pid, ids in ref_ids.items():
        for ident in ids:
            number = int(ident[len("fnref"):].split("-", 1)[0])
            out.setdefault(number, []).append((f"#{ident}", f"Back to paragraph {pid[1:]}"))
    return {n: tuple(links) for n, links in out.items()}


def _note_view(note: Footnote, src: str, backrefs: tuple[tuple[str, str], ...], links: Sequence[Link]) -> NoteView:
    html = paragraph_html(note.text, links=tuple(links) + linkify_urls(note.text)) if note.text is not None else None
    source = f"{src}#L{note.span.line}" if note.span else None
    return NoteView(note.number, html, backrefs, source)


def _links_from(page: str, settings: Settings) -> Callable[[str], str]:
    """``href(page, target, settings)``, remembered per target: a page links each actor and event many times."""
    known: dict[str, str] = {}

    def link_to(target: str) -> str:
        found = known.get(target)
        if found is None:
            found = known[target] = href(page, target, settings)
        return found

    return link_to


def _paragraph_links(
    b: Briefing,
    index: BriefingIndex,
    actors: Mapping[str, Actor],
    events: Mapping[str, Event],
    link_to: Callable[[str], str],
) -> dict[str, tuple[Link, ...]]:
    """Actor names (first mention per section) and dates that match an event, as links."""
    section_of = {p.id: s.id for s in b.document.sections for p in s.paragraphs}
    linked: set[tuple[str, str]] = set()
    out: dict[str, list[Link]] = {}
    for m in index.mentions:
        key = (section_of.get(m.paragraph, m.paragraph), m.actor)
        if key in linked or m.actor not in actors:
            continue
        linked.add(key)
        actor = actors[m.actor]
        out.setdefault(m.paragraph, []).append(
            Link(m.start, m.end, link_to(f"actors/{m.actor}/index.html"), "actor", actor.name)
        )
    dated = {(t, d.start, d.end) for t, d in index.dates}  # a set: one lookup per passage, not a scan
    for p in index.passages:
        event = events.get(p.event)
        if event is None or (p.paragraph, p.start, p.end) not in dated:
            continue
        out.setdefault(p.paragraph, []).append(
            Link(p.start, p.end, link_to(f"timeline/{p.event}/index.html"), "date", event.title)
        )
    return {k: tuple(sorted(v, key=lambda link: (link.start, -link.end))) for k, v in out.items()}


def chrome_description(b: Briefing) -> str:
    if b.meta.summary:
        return b.meta.summary
    first = next(iter(b.document.paragraphs()), None)
    return (first.text[:200] + "…") if first and len(first.text) > 200 else (first.text if first else b.meta.title)
