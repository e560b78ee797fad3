"""Briefing + its index -> the contexts of its article page and its source view."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer, RegexLexer, bygroups, default
from pygments.lexers import BibTeXLexer
from pygments.token import STANDARD_TYPES, Generic, Keyword, Name, Punctuation, String, Text, _TokenType

from briefing.index.crossref import BriefingIndex
from briefing.model import Actor, Briefing, BriefingMeta, Event, Footnote, Paragraph, Section
from briefing.render.chrome import Settings, href
from briefing.render.cite import Citation, cite, highwire_tags, json_ld, open_graph, pinpoint
from briefing.render.dates import date_label
from briefing.render.markup import Link, escape_html, linkify_urls, paragraph_html, web_href

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


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SourcePage:
    slug: str
    title: str
    source_name: str
    sha256: str
    line_count: int
    html: Markup  # a table, one row per source line, each row anchored #L<N>
    briefing_href: str
    raw_href: str


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
        bibtex_html=Markup(highlight(citation.bibtex, BibTeXLexer(), _bibtex_formatter())),
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


@cache
def _bibtex_formatter() -> HtmlFormatter:
    """Made once: building a formatter costs more than formatting an entry with it (it keeps no state)."""
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


def build_source_page(b: Briefing, settings: Settings) -> SourcePage:
    page = source_path(b.slug)
    text = b.document.text
    lines = _markdown_lines(text) if b.document.layout == "markdown" else _plain_lines(text)
    return SourcePage(
        slug=b.slug,
        title=b.meta.title,
        source_name=b.meta.source,
        sha256=b.document.sha256,
        line_count=len(lines),
        html=source_table(lines),
        briefing_href=href(page, briefing_path(b.slug), settings),
        raw_href=b.meta.source,
    )


def source_lines(text: str, lexer: Lexer) -> tuple[Markup, ...]:
    """Pygments HTML per line of ``text``; a final newline ends the last line, it does not start another.

    The lexer must keep leading and trailing newlines (``stripnl=False``) or line numbers shift.
    Pygments closes its token spans at every line end, so each line is well-formed on its own.
    """
    if not text:
        return ()
    html = highlight(text, lexer, HtmlFormatter(nowrap=True))
    lines = html.split("\n")
    count = len(text.split("\n")) - (1 if text.endswith("\n") else 0)
    return tuple(Markup(line) for line in lines[:count])


def _escape(text: str) -> str:
    """Pygments' HTML escape (its quotes differ from markupsafe's: &quot; not &#34;), so the views give
    the very bytes Pygments' formatter gave. ``str.replace`` five times: Pygments' ``str.translate``
    with a table takes ~100 ns a character on non-ASCII text, twenty times as long; and only when one of
    the five characters is there (looking costs less than replacing, and most tokens have none)."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace(
            "'", "&#39;"
        )
    return text


def plain_lines(text: str) -> tuple[Markup, ...]:
    """``source_lines(text, TextLexer(stripnl=False))`` without Pygments, which only escapes plain text.

    Follows the lexer's input preparation (a leading BOM dropped, CR LF and lone CR read as line ends)
    and ``source_lines``' line count (from the text as given), so the output is the same string.
    """
    return tuple(Markup(line) for line in _plain_lines(text))


def _plain_lines(text: str) -> list[str]:
    """``plain_lines`` as HTML strings (the source view joins them into one Markup)."""
    if not text:
        return []
    count = text.count("\n") + 1 - (1 if text.endswith("\n") else 0)
    body = text[1:] if text.startswith("\ufeff") else text
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return _escape(body).split("\n")[:count]


def markdown_lines(text: str) -> tuple[Markup, ...]:
    """``source_lines(text, SourceMarkdownLexer(stripnl=False))``, formatted without HtmlFormatter's slow escape."""
    return tuple(Markup(line) for line in _markdown_lines(text))


def _markdown_lines(text: str) -> list[str]:
    """``markdown_lines`` as HTML strings (the source view joins them into one Markup)."""
    if not text:
        return []
    count = text.count("\n") + 1 - (1 if text.endswith("\n") else 0)
    return html_lines(SourceMarkdownLexer(stripnl=False).get_tokens(text))[:count]


def html_lines(tokens: Iterable[tuple[_TokenType, str]]) -> list[str]:
    """The lines ``HtmlFormatter(nowrap=True)`` makes of a token stream (same spans, same merging of a
    span across tokens of one class), for ``markdown_lines``; tests pin it to the formatter."""
    lines: list[str] = []
    line: list[str] = []
    lspan = ""  # the span open at the end of ``line``
    for ttype, value in tokens:
        cspan = _span_opener(ttype)
        parts = _escape(value).split("\n")
        for part in parts[:-1]:  # each ends a line
            if line:
                if lspan != cspan and part:
                    line.extend((lspan and "</span>", cspan, part, cspan and "</span>"))
                else:
                    line.extend((part, lspan and "</span>"))
                lines.append("".join(line))
                line = []
            else:
                lines.append(f"{cspan}{part}</span>" if cspan and part else part)
        last = parts[-1]
        if line and last:
            if lspan != cspan:
                line.extend((lspan and "</span>", cspan, last))
                lspan = cspan
            else:
                line.append(last)
        elif last:
            line = [cspan, last]
            lspan = cspan
    if line:
        line.append(lspan and "</span>")
        lines.append("".join(line))
    return lines


@cache
def _span_opener(ttype: _TokenType) -> str:
    """HtmlFormatter's opening tag for a token type: its class, and its parents' up to a standard type."""
    classes = [_type_class(ttype)]
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
        classes.insert(0, _type_class(ttype))
    css = " ".join(classes)
    return f'<span class="{css}">' if css else ""


def _type_class(ttype: _TokenType) -> str:
    suffix = ""
    while ttype not in STANDARD_TYPES:
        suffix = "-" + ttype[-1] + suffix
        ttype = ttype.parent
    return STANDARD_TYPES[ttype] + suffix if STANDARD_TYPES[ttype] else ""


def _setext_heading(lexer: RegexLexer, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
    """A line underlined with ``=`` is a heading, with ``-`` a subheading (as Pygments' Markdown lexer has it)."""
    yield match.start(), Generic.Heading if match.group(1) == "=" else Generic.Subheading, match.group()


class SourceMarkdownLexer(RegexLexer):
    """Markdown for the source view, fast on prose: Pygments' MarkdownLexer tries some twenty patterns at
    every word (~30 ms for a 2,500-word seed); here a line start tries the block rules once and the rest
    of the line goes in runs of plain text up to the next character that can open inline markup.

    Token types are the ones static/style.css colours: headings (gh, gu), emphasis (ge, gs), list and
    quote markers (k), footnote labels (nl), link text and targets (nt, na), code (sb), front matter
    keys (na) and values (s). Every rule keeps to one line except front matter and fenced code.
    """

    name = "Markdown (source view)"
    aliases: list[str] = []  # noqa: RUF012 (Pygments reads these class attributes)
    filenames: list[str] = []  # noqa: RUF012
    flags = re.MULTILINE
    tokens = {  # noqa: RUF012
        "root": [  # at the start of a line
            (r"\n", Text),
            (r"\A---[ \t]*\n(?=(?:[^\n]*\n)*?---[ \t]*\n)", Punctuation, "front"),
            # fenced code, to its closing fence or the end (a backtick fence's info string has no backtick)
            (r"[ ]{0,3}(`{3,})[^`\n]*\n(?:(?![ ]{0,3}\1)[^\n]*\n)*(?:[ ]{0,3}\1[^\n]*\n)?", String.Backtick),
            (r"[ ]{0,3}(~{3,})[^\n]*\n(?:(?![ ]{0,3}\1)[^\n]*\n)*(?:[ ]{0,3}\1[^\n]*\n)?", String.Backtick),
            (r"[ ]{0,3}#(?=[ \t\n])[^\n]*", Generic.Heading),
            (r"[ ]{0,3}#{2,6}(?=[ \t\n])[^\n]*", Generic.Subheading),
            (r"[ ]{0,3}\[[^\]\n]+\]:", Name.Label, "line"),  # a footnote or link reference definition
            (r"[ ]{0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}(?=\n)", Punctuation),  # a thematic break
            (r"(?:[ \t]*>)+[ \t]?", Keyword, "line"),
            (r"[ \t]*(?:[*+-]|\d{1,9}[.)])(?=[ \t\n])", Keyword, "line"),
            (r"[^\n]+\n[ ]{0,3}(=|-)+[ \t]*(?=\n)", _setext_heading),
            default("line"),
        ],
        "line": [  # the rest of a line; no pattern reads past the next bracket, so a line lexes in linear time
            (r"[^\n\\`*_\[!<]+", Text),
            (r"\n", Text, "#pop"),
            (r"\\[^\n]?", Text),
            (r"`[^`\n]+`", String.Backtick),
            (r"\*\*(?![\s*])[^*\n]*?(?<!\s)\*\*|__(?![\s_])[^_\n]*?(?<!\s)__", Generic.Strong),
            (r"\*(?![\s*])[^*\n]*?(?<!\s)\*|(?<!\w)_(?![\s_])[^_\n]*?(?<!\s)_(?!\w)", Generic.Emph),
            (r"\[\^[^\[\]\n]+\]", Name.Label),
            (r"(!?\[)([^\[\]\n]*)(\]\()([^()\n]*)(\))", bygroups(Text, Name.Tag, Text, Name.Attribute, Text)),
            (r"(\[)([^\[\]\n]+)(\]\[)([^\[\]\n]*)(\])", bygroups(Text, Name.Tag, Text, Name.Label, Text)),
            (r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*>", Name.Attribute),
            (r"[^\n]", Text),
        ],
        "front": [  # YAML front matter: keys and list dashes at line starts, values as strings
            (r"^---[ \t]*\n", Punctuation, "#pop"),
            (r"^([ \t]*)(-[ \t]+)?([^\s:#][^:\n]*)(:)(?=[ \t\n])",
             bygroups(Text, Keyword, Name.Attribute, Punctuation)),
            (r"^[ \t]*-(?=[ \t\n])", Keyword),
            (r"[^\n]+", String),
            (r"\n", Text),
        ],
    }


def source_table(lines: Sequence[str]) -> Markup:
    """One table row per line, anchored ``#L<N>``, so long lines wrap beside their number.

    ``lines`` are HTML already (``Markup``, or the strings ``_plain_lines`` and ``_markdown_lines`` give).
    """
    rows = "".join([
        f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td><td class="lc">{line}</td></tr>\n'
        for n, line in enumerate(lines, start=1)
    ])
    head = '<thead class="visually-hidden"><tr><th scope="col">Line</th><th scope="col">Text</th></tr></thead>'
    return Markup(f'<table class="source-lines">{head}<tbody>\n{rows}</tbody></table>')


def chrome_description(b: Briefing) -> str:
    if b.meta.summary:
        return b.meta.summary
    first = next(iter(b.document.paragraphs()), None)
    return (first.text[:200] + "…") if first and len(first.text) > 200 else (first.text if first else b.meta.title)
