"""Random analyses (hypothesis strategies) -> the same document laid out as clean text, PDF-extracted text and Markdown.

A ``Doc`` is the structure a reader should recover; ``clean_layout``, ``pdf_layout`` and ``markdown_layout``
print it the three ways the readers accept and say, by construction, which source lines each paragraph
occupies and which URLs appear in what order. ``expected`` gives the structure every layout must read back.

The words come from a neutral vocabulary of invented and everyday words (never the seeds' words). Some
inputs are ambiguous in plain text whatever the reader does, so the generator does not make them:

- a paragraph has at least two sentences (a one-line question "Who Pays?" between paragraphs is a heading);
- body text has no colons (a colon at a line end before a page footer may end a paragraph or not);
- a page footer interrupts a paragraph only mid-sentence (after a full stop, a capitalised line after a
  footer may start a new paragraph or continue the old one);
- in the PDF layout a note is cited once, by a bare number after a sentence's last word at a line end;
- a page footer holding only an author note, between two paragraphs, in a text without byline or markers
  ("1 Name is …") could as well be a numbered paragraph, so the note waits for a later footer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import strategies as st

# --- the document --------------------------------------------------------------

VOCABULARY = (
    "river", "council", "harvest", "ledger", "quiet", "bridge", "signal", "market", "winter", "lantern",
    "orchard", "treaty", "pressure", "garden", "engine", "mirror", "anchor", "valley", "timber", "copper",
    "silent", "steady", "narrow", "distant", "formal", "brittle", "gentle", "hollow", "patient", "early",
    "builds", "holds", "turns", "weighs", "carries", "follows", "answers", "shifts", "measures", "opens",
    "and", "but", "of", "the", "a", "with", "under", "toward", "across", "beyond", "while", "since", "once",
    "is", "was", "has", "will", "could", "not", "only", "also", "rather", "still", "then", "there", "it",
    "in", "at", "by", "for", "on", "to", "from", "its", "their", "his", "her", "this", "that", "these",
)  # fmt: skip
NAMES = (
    "Orvath", "Kellin", "Dessaro", "Marnis", "Tolvey", "Quenby", "Arlow", "Vesna", "Brandt", "Ilora",
    "Hollis", "Yarrow", "Penrith", "Calder", "Ostrava", "Lunde", "Merek", "Sabine", "Teodor", "Wynne",
)  # fmt: skip
TITLE_WORDS = (
    "Policy", "Trade", "Borders", "Council", "Harvest", "Bridges", "Signals", "Markets", "Winter", "Power",
    "Lessons", "Options", "Limits", "Rivals", "Allies", "Reform", "Patience", "Balance", "Outlook", "Risks",
)  # fmt: skip
TITLE_LINKS = ("and", "of", "in", "the", "for", "after", "Beyond", "Toward", "Why", "What", "How")
NOTE_OPENERS = ("See", "Quoted in", "Compare", "Reported by", "Cited from", "As argued in")
SENTENCE_ENDS = (".", ".", ".", "?", "!")


@dataclass(frozen=True, slots=True)
class Word:
    """One printed word: ``core`` then ``punct``; a marker for note ``marker`` stands after the core
    (mid-sentence: ``control [2], but``) or after the punctuation (sentence end: ``years.[1]``)."""

    core: str
    punct: str = ""
    marker: int | None = None

    @property
    def text(self) -> str:
        return self.core + self.punct

    @property
    def ends_sentence(self) -> bool:
        return self.punct.rstrip("”") in (".", "?", "!")


@dataclass(frozen=True, slots=True)
class Para:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def refs(self) -> tuple[tuple[int, int], ...]:
        """(note number, offset in ``text`` where the marker stood)."""
        out: list[tuple[int, int]] = []
        pos = 0
        for w in self.words:
            if w.marker is not None:
                out.append((w.marker, pos + len(w.core) if not w.ends_sentence else pos + len(w.text)))
            pos += len(w.text) + 1
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Sec:
    heading: str | None
    paras: tuple[Para, ...]


@dataclass(frozen=True, slots=True)
class Note:
    number: int
    text: str | None  # None: cited in the body, never given in the source
    author: bool = False  # the uncited author note of a page footer / endnote block


@dataclass(frozen=True, slots=True)
class Doc:
    byline: tuple[str, ...]
    bio: str | None
    sections: tuple[Sec, ...]
    notes: tuple[Note, ...]
    urls: tuple[str, ...]  # bare URLs (URL blocks), repeats allowed

    def paragraphs(self) -> tuple[Para, ...]:
        return tuple(p for s in self.sections for p in s.paras)


# --- strategies ------------------------------------------------------------------


# Strategies are built once: building them inside every draw makes generation many times slower.
NUMBER = st.one_of(
    st.integers(1000, 99999).map(lambda n: f"{n:,}"),  # 1,960
    st.tuples(st.integers(1, 99), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}%"),  # 53.91%
    st.integers(1900, 2099).map(str),
    st.integers(10, 99).map(str),
)
ANY_WORD = st.sampled_from(VOCABULARY + NAMES)
PLAIN_WORD = st.one_of(
    st.sampled_from(VOCABULARY),
    st.sampled_from(VOCABULARY),
    st.sampled_from(NAMES),
    st.tuples(ANY_WORD, ANY_WORD).map("-".join),  # hyphenated: "Orvath-Kellin", "river-winter"
    NUMBER,
    st.sampled_from(VOCABULARY).map(lambda w: f"“{w}”"),
    st.just("—"),
)
WORDS = st.lists(PLAIN_WORD, min_size=2, max_size=10)
SMALL = st.integers(0, 6)
END = st.sampled_from(SENTENCE_ENDS)
MID_PUNCT = st.sampled_from(("", "", "", "", ",", ";"))
URL_PATH = st.lists(st.sampled_from((*VOCABULARY[:30], "2021", "05", "a-b-c")), max_size=4)
TITLE_WORD_LIST = st.lists(st.sampled_from(TITLE_WORDS + TITLE_LINKS + NAMES), min_size=1, max_size=7)


@st.composite
def sentence(draw: st.DrawFn, mid_markers: bool) -> tuple[Word, ...]:
    """A sentence: a capitalised first word, words with commas/semicolons, an end mark.

    A word flagged ``-1`` as marker is a marker slot; real numbers are given later in document order.
    """
    first = draw(ANY_WORD)
    cores = [first[:1].upper() + first[1:], *draw(WORDS)]
    words: list[Word] = []
    for i, core in enumerate(cores):
        last = i == len(cores) - 1
        if last:
            core = draw(ANY_WORD) if core == "—" else core  # a dash never ends a sentence
            end = draw(END)
            quoted = core.endswith("”")
            punct = end + "”" if quoted else end
            words.append(Word(core.removesuffix("”") if quoted else core, punct, -1 if draw(SMALL) == 0 else None))
            continue
        punct = draw(MID_PUNCT) if core != "—" else ""
        marker = -1 if mid_markers and punct == "," and draw(SMALL) < 2 else None
        words.append(Word(core, punct, marker))
    return tuple(words)


SENTENCES = {flag: st.lists(sentence(flag), min_size=2, max_size=4) for flag in (False, True)}


@st.composite
def paragraph(draw: st.DrawFn, mid_markers: bool) -> Para:
    sentences = draw(SENTENCES[mid_markers])
    return Para(tuple(w for s in sentences for w in s))


PARAGRAPHS = {flag: st.lists(paragraph(flag), min_size=1, max_size=3) for flag in (False, True)}


@st.composite
def heading(draw: st.DrawFn) -> str:
    words = draw(TITLE_WORD_LIST)
    words[0] = words[0][:1].upper() + words[0][1:]
    if len(words) > 2 and draw(st.booleans()):
        words[1] += ":"  # "Trade Policy: What Next?"
    return " ".join(words) + draw(st.sampled_from(("", "", "?", "!")))


HEADINGS = {opening: st.lists(heading(), min_size=0 if opening else 1, max_size=3, unique_by=str.casefold)
            for opening in (False, True)}


def _name(draw: st.DrawFn) -> str:
    return f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(NAMES))}"


def _url(draw: st.DrawFn) -> str:
    host = draw(st.sampled_from(("example.org", "www.archive-one.net", "news.sample.com", "data.test")))
    path = "/".join(draw(URL_PATH))
    scheme = draw(st.sampled_from(("http", "https")))
    tail = draw(st.sampled_from(("", "/")))
    return f"{scheme}://{host}/{path}{tail}" if path else f"{scheme}://{host}"


@st.composite
def documents(draw: st.DrawFn, mid_markers: bool = True, author_note: bool = True) -> Doc:
    """A random analysis; ``mid_markers`` allows ``[n]`` markers before a comma (not in PDF extractions)."""
    opening = draw(st.booleans())
    sections: list[Sec] = []
    headings = draw(HEADINGS[opening])
    if opening:
        sections.append(Sec(None, tuple(draw(PARAGRAPHS[mid_markers]))))
    for h in headings:
        untitled = bool(sections) and draw(st.integers(0, 5)) == 0  # a wide gap: a new untitled section
        if untitled:
            sections.append(Sec(None, tuple(draw(PARAGRAPHS[mid_markers]))))
        sections.append(Sec(h, tuple(draw(PARAGRAPHS[mid_markers]))))
    has_author_note = author_note and draw(st.booleans())
    number = 2 if has_author_note else 1
    numbered: list[Sec] = []
    for sec in sections:
        paras = []
        for para in sec.paras:
            words = []
            for w in para.words:
                if w.marker == -1:
                    w = Word(w.core, w.punct, number)
                    number += 1
                words.append(w)
            paras.append(Para(tuple(words)))
        numbered.append(Sec(sec.heading, tuple(paras)))
    notes: list[Note] = []
    byline = tuple(_name(draw) for _ in range(draw(st.integers(0, 2))))
    if has_author_note:
        who = byline[0] if byline else _name(draw)
        role, place = draw(st.sampled_from(VOCABULARY)), draw(st.sampled_from(NAMES))
        notes.append(Note(1, f"{who} is a {role} fellow at {place} Institute.", True))
    for n in range(2 if has_author_note else 1, number):
        missing = draw(st.integers(0, 6)) == 0
        notes.append(Note(n, None if missing else _note_text(draw)))
    bio = None
    if byline:
        bio = f"{byline[0]} is {' '.join(draw(st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=30)))}."
    urls = tuple(_url(draw) for _ in range(draw(st.integers(0, 5))))
    if urls and draw(st.booleans()):
        urls = (*urls, draw(st.sampled_from(urls)))  # a repeat, as PDF link residue often has
    return Doc(byline, bio, tuple(numbered), tuple(notes), urls)


def _note_text(draw: st.DrawFn) -> str:
    opener = draw(st.sampled_from(NOTE_OPENERS))
    words = draw(st.lists(st.sampled_from(VOCABULARY + NAMES + ("2004.", "61", "p.")), min_size=1, max_size=25))
    text = f"{opener} {' '.join(words)}"
    if draw(st.integers(0, 3)) == 0:
        text += f" Available at {_url(draw)}"
    return text if text.endswith(".") or "://" in text.rsplit(" ", 1)[-1] else text + "."


# --- expectations --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expected:
    byline: tuple[str, ...]
    bio: str | None
    sections: tuple[tuple[str | None, tuple[str, ...]], ...]  # (heading, paragraph texts)
    refs: tuple[tuple[tuple[int, int], ...], ...]  # per paragraph: (number, offset)
    notes: tuple[tuple[int, str | None, tuple[str, ...], str], ...]  # number, text, cited_in, attached_to


def expected(doc: Doc) -> Expected:
    """What every layout must read back."""
    paras = doc.paragraphs()
    cited: dict[int, list[str]] = {}
    for i, p in enumerate(paras, start=1):
        for number, _ in p.refs():
            cited.setdefault(number, []).append(f"p{i}")
    notes = tuple(
        (n.number, n.text, tuple(cited.get(n.number, ())), "byline" if n.author else "body")
        for n in doc.notes
    )
    return Expected(
        byline=doc.byline,
        bio=doc.bio,
        sections=tuple((s.heading, tuple(p.text for p in s.paras)) for s in doc.sections),
        refs=tuple(p.refs() for p in paras),
        notes=notes,
    )


@dataclass(frozen=True, slots=True)
class Laid:
    """A laid-out source: its text, the lines (first, last) of each paragraph, its URLs in order of appearance."""

    text: str
    lines: tuple[tuple[int, int], ...]
    links: tuple[str, ...]


class _Writer:
    """Lines being written, with line numbers (a cursor living inside one layout call)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.links: list[str] = []

    def put(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)

    def blank(self, n: int = 1) -> None:
        self.lines.extend([""] * n)

    def url(self, url: str) -> None:
        self.links.append(url)

    def laid(self, spans: list[tuple[int, int]]) -> Laid:
        return Laid("\n".join(self.lines) + "\n", tuple(spans), tuple(dict.fromkeys(self.links)))


def _note_urls(text: str | None) -> list[str]:
    return [w for w in (text or "").split() if "://" in w]


# --- clean layout ----------------------------------------------------------------------


def clean_layout(doc: Doc, rng: random.Random) -> Laid:
    """One line per paragraph, ``[n]`` markers, headings on their own line, endnotes, byline first and bio last."""
    w = _Writer()
    spans: list[tuple[int, int]] = []
    if doc.byline:
        w.put(" and ".join(doc.byline))
        w.blank(rng.choice((1, 2)))
    for index, sec in enumerate(doc.sections):
        if sec.heading is not None:
            if w.lines:
                w.blank()
            w.put(sec.heading)
        elif index > 0:
            w.blank()  # two blank lines in all before the paragraph: an untitled section
        for para in sec.paras:
            if w.lines:
                w.blank()
            line = w.put(" ".join(_clean_word(word, rng) for word in para.words))
            spans.append((line, line))
    urls = list(doc.urls)
    given = [n for n in doc.notes if n.text is not None]
    if urls and rng.random() < 0.5:
        _url_block(w, urls, rng)
        urls = []
    if given:
        w.blank(rng.choice((1, 2)))
        tight = rng.random() < 0.3  # notes on consecutive lines, one block
        for i, note in enumerate(given):
            if i and not tight:
                w.blank()
            w.put(f"{rng.choice(('{}.', '{}.', '{}', '[{}]')).format(note.number)}{rng.choice((' ', '  '))}{note.text}")
            for u in _note_urls(note.text):
                w.url(u)
    if urls:
        _url_block(w, urls, rng)
    _bio(w, doc, rng, width=None)
    return w.laid(spans)


def _clean_word(word: Word, rng: random.Random) -> str:
    if word.marker is None:
        return word.text
    mark = f"[{word.marker}]"
    if word.ends_sentence:
        return word.text + rng.choice(("", " ")) + mark
    return word.core + rng.choice(("", " ")) + mark + word.punct


def _url_block(w: _Writer, urls: list[str], rng: random.Random) -> None:
    w.blank(rng.choice((1, 2, 3)))
    for u in urls:
        w.put(u)
        w.url(u)


def _bio(w: _Writer, doc: Doc, rng: random.Random, width: int | None) -> None:
    if not doc.byline or doc.bio is None:
        return
    w.blank(rng.choice((1, 2, 3)))
    w.put(" and ".join(doc.byline))
    w.blank()
    for line in _wrap([Word(t) for t in doc.bio.split()], width) if width else [doc.bio]:
        w.put(line)


# --- PDF-extracted layout -----------------------------------------------------------------


def _wrap(words: list[Word], width: int | None, pdf_markers: bool = False) -> list[str]:
    return [line for line, _ in _wrap_marked(words, width, pdf_markers)]


def _wrap_marked(words: list[Word], width: int | None, pdf_markers: bool) -> list[tuple[str, tuple[int, ...]]]:
    """Greedy hard wrap; a hyphenated word may break after its hyphen; a bare marker ends its line.

    Returns each line with the note numbers whose bare markers it carries.
    """
    lines: list[tuple[str, tuple[int, ...]]] = []
    line = ""
    for word in words:
        token = word.text + (f" {word.marker}" if pdf_markers and word.marker is not None else "")
        if not line:
            line = token
        elif width is None or len(line) + 1 + len(token) <= width:
            line += " " + token
        else:
            head, sep, rest = token.partition("-")
            if sep and head and rest and "://" not in token and len(line) + 1 + len(head) + 1 <= width:
                lines.append((f"{line} {head}-", ()))  # "Moscow-" / "Baku": the hyphen is real and kept
                line = rest
            else:
                lines.append((line, ()))
                line = token
        if pdf_markers and word.marker is not None:
            lines.append((line, (word.marker,)))  # "pronounced. 2" ends its line
            line = ""
    if line:
        lines.append((line, ()))
    return lines


@dataclass(slots=True)
class _Unit:
    kind: str  # "heading" | "para"
    lines: list[tuple[str, tuple[int, ...]]]
    para: int = -1  # paragraph index for "para"
    gap: int = 1  # blank lines before it


def pdf_layout(doc: Doc, rng: random.Random, width: int) -> Laid:
    """Hard-wrapped at ``width``; page starts with a leading space; page footers (notes, URL blocks) that
    may interrupt a paragraph mid-sentence; bare trailing-number markers; byline first and bio last."""
    units: list[_Unit] = []
    index = 0
    for pos, sec in enumerate(doc.sections):
        if sec.heading is not None:
            units.append(_Unit("heading", [(sec.heading, ())]))
        for k, para in enumerate(sec.paras):
            gap = 2 if sec.heading is None and pos > 0 and k == 0 else 1
            units.append(_Unit("para", _wrap_marked(list(para.words), width, True), index, gap))
            index += 1
    w = _Writer()
    spans: list[tuple[int, int]] = [(0, 0)] * index
    pending = [n for n in doc.notes if n.author and n.text is not None]
    urls = list(doc.urls)
    by_number = {n.number: n for n in doc.notes}
    markers_cited = any(not n.author for n in doc.notes)
    if doc.byline:
        w.put(" and ".join(doc.byline))
        w.blank(rng.choice((1, 2)))
    page_start = rng.random() < 0.3
    for u, unit in enumerate(units):
        if u:
            w.blank(unit.gap)
        for i, (line, markers) in enumerate(unit.lines):
            first = w.put((" " if page_start else "") + line)
            page_start = False
            if unit.kind == "para":
                start = spans[unit.para][0] if i else first
                spans[unit.para] = (start, first)
            pending.extend(by_number[n] for n in markers if by_number[n].text is not None)
            last_line = i == len(unit.lines) - 1
            if rng.random() >= 0.12:
                continue
            # A page ends here.
            mid = not last_line
            next_is_untitled = last_line and u + 1 < len(units) and units[u + 1].gap > 1
            sentence_end = _ends_sentence(line)
            footer_ok = (pending or urls) and not next_is_untitled and not (mid and sentence_end)
            if unit.kind == "heading" or (u + 1 >= len(units) and last_line):
                footer_ok = False  # print keeps a heading with its paragraph
            if not mid and not urls and [n.author for n in pending] == [True] and not (markers_cited or doc.byline):
                footer_ok = False  # a lone "1 Name is …" between two paragraphs reads as a numbered paragraph
            if footer_ok and rng.random() < 0.7:
                _footer(w, pending, urls, rng, width)
                pending, urls = [], []
                if mid:
                    w.blank(1)
            page_start = rng.random() < 0.8
    if pending or urls:
        _footer(w, pending, urls, rng, width)
    _bio(w, doc, rng, width)
    return w.laid(spans)


def _ends_sentence(line: str) -> bool:
    text = line.rstrip()
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isdigit() and parts[0].rstrip("”").endswith((".", "?", "!")):
        return True  # "pronounced. 2"
    return text.rstrip("”").endswith((".", "?", "!"))


def _footer(w: _Writer, notes: list[Note], urls: list[str], rng: random.Random, width: int) -> None:
    """A page footer: note lines (wrapped), a few blank lines, then a block of bare URLs."""
    if notes:
        w.blank(1)
        tight = rng.random() < 0.3
        for i, note in enumerate(notes):
            if i and not tight:
                w.blank()
            for line in _wrap([Word(t) for t in f"{note.number} {note.text}".split()], width):
                w.put(line)
            for u in _note_urls(note.text):
                w.url(u)
    if urls:
        take = rng.randint(1, len(urls))
        w.blank(rng.choice((1, 2, 3, 4)))
        for u in urls[:take]:
            w.put(u)
            w.url(u)
        del urls[take:]  # the rest goes to a later footer


# --- Markdown -----------------------------------------------------------------------------


def markdown_layout(doc: Doc, rng: random.Random) -> Laid:
    """Front matter with the authors, ``#`` headings, ``[^n]`` markers and definitions (the author note a
    definition nothing cites), a thematic break for an untitled section. The bio is not printed: in
    Markdown it belongs in the front matter."""
    w = _Writer()
    spans: list[tuple[int, int]] = []
    w.put("---")
    w.put("title: Generated briefing")
    if doc.byline:
        w.put("authors:")
        for name in doc.byline:
            w.put(f"  - name: {name}")
    w.put("---")
    for index, sec in enumerate(doc.sections):
        w.blank()
        if sec.heading is not None:
            w.put(f"{rng.choice(('#', '##', '###'))} {sec.heading}")
            w.blank()
        elif index > 0:
            w.put(rng.choice(("***", "---", "* * *")))
            w.blank()
        for k, para in enumerate(sec.paras):
            if k:
                w.blank()
            line = w.put(" ".join(_md_word(word) for word in para.words))
            spans.append((line, line))
    for note in doc.notes:
        if note.text is None:
            continue
        w.blank()
        w.put(f"[^{note.number}]: {note.text}")
        for u in _note_urls(note.text):
            w.url(u)
    return w.laid(spans)


def _md_word(word: Word) -> str:
    if word.marker is None:
        return word.text
    if word.ends_sentence:
        return f"{word.text}[^{word.marker}]"
    return f"{word.core}[^{word.marker}]{word.punct}"
