"""Plain-text analyses (one line per paragraph, or PDF-extracted with hard wraps) -> Document.

The reader works on *blocks* (runs of non-blank lines) and classifies each one:

- ``urls``     every line is a bare URL: moved to the document's links, never body text;
- ``note``     starts with a note number (``1 Text``, ``1. Text``, ``[1] Text``) where a note can stand:
               at the end of the text, or as a page footer (followed by a URL block or another note, or
               interrupting an unfinished paragraph); numbers must increase through the document;
- ``byline``   the first block, a name line that recurs later (or is a known author's name);
- ``bio``      what follows the byline's recurrence after the body;
- ``heading``  one short line that starts with a capital and does not end like a sentence
               (``?`` and ``!`` are allowed), followed by body text;
- ``para``     everything else. A paragraph that starts with a space (a page start) or a lowercase
               letter, or that follows removed footer blocks while the paragraph before is unfinished,
               continues that paragraph.

Footnote markers are ``[n]`` anywhere, or a bare number after sentence punctuation at a line end
(``pronounced. 2``) when it is the next note number expected. Two or more blank lines before a
paragraph start a new, untitled section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from briefing.model import Document, Footnote, FootnoteRef, Paragraph, Section, Span
from briefing.sources.files import SourceText
from briefing.sources.layout import (
    finished,
    join_lines,
    looks_like_heading,
    name_parts,
    section_ids,
    squash,
)

BlockKind = Literal["urls", "note", "byline", "bio", "heading", "para"]

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.IGNORECASE)
BARE_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
NOTE_START = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)]?)\s+(\S.*)$")
BRACKET_MARKER = re.compile(r"[ \t]*\[(\d{1,3})\]")
# A bare marker: sentence punctuation (optionally closed by a quote/bracket), spaces, a small number.
BARE_MARKER_END = re.compile(r"(?<=[.!?;:,”\"’)\]])([ \t]+)(\d{1,3})[ \t]*$")
TRAILING_URL_PUNCT = ".,;:)]”’\"'"


@dataclass(slots=True)
class _Block:
    """A mutable scratch record used only inside ``read_text``."""

    first: int  # 1-based line number of the first line
    lines: list[str]
    gap: int  # blank lines before this block
    kind: BlockKind = "para"
    note_number: int = 0

    @property
    def last(self) -> int:
        return self.first + len(self.lines) - 1


@dataclass(slots=True)
class _Para:
    text: str
    refs: list[FootnoteRef]
    first: int
    col: int
    last: int
    new_section: bool


@dataclass(slots=True)
class _State:
    """Numbering state while walking the body: the highest note number seen so far."""

    highest: int = 0


def read_text(source: SourceText, authors: Sequence[str] = ()) -> Document:
    """Turn a plain-text analysis into a Document. ``authors`` (names from metadata) help find the byline.

    Never raises for odd text: everything that is not a marker, a footer note or a URL ends up in
    a heading, a paragraph, a note, the byline or the bio.
    """
    blocks = _split_blocks(source.text)
    byline = _mark_byline_and_bio(blocks, authors)
    _mark_notes(blocks)
    for b in blocks:
        if b.kind == "para" and all(BARE_URL_LINE.match(line) for line in b.lines):
            b.kind = "urls"
    _mark_headings(blocks)
    state = _State()
    sections = _build_sections(source.label, blocks, state)
    notes = _build_notes(source.label, blocks, sections, byline)
    links = _collect_links(source.text)
    bio_blocks = [b for b in blocks if b.kind == "bio"]
    bio = " ".join(join_lines(b.lines) for b in bio_blocks) or None
    bio_span = Span(source.label, bio_blocks[0].first, 1, bio_blocks[-1].last) if bio_blocks else None
    multi_line = any(len(b.lines) > 1 for b in blocks if b.kind == "para")
    return Document(
        source=source.label,
        layout="pdf" if multi_line else "clean",
        text=source.text,
        sha256=source.sha256,
        byline=name_parts(byline) if byline else (),
        sections=sections,
        footnotes=notes,
        links=links,
        bio=bio,
        bio_span=bio_span,
    )


# --- blocks ------------------------------------------------------------------


def _split_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    gap = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            gap += 1
            continue
        if gap == 0 and blocks and blocks[-1].last == number - 1:
            blocks[-1].lines.append(line)
        else:
            blocks.append(_Block(number, [line], gap))
        gap = 0
    return blocks


def _mark_byline_and_bio(blocks: list[_Block], authors: Sequence[str]) -> str | None:
    """Mark the byline (first block) and the bio (after the byline recurs at the end)."""
    if len(blocks) < 2 or len(blocks[0].lines) != 1:
        return None
    first = squash(blocks[0].lines[0])
    names = name_parts(first)
    known = {squash(a).casefold() for a in authors}
    repeats = [i for i in range(2, len(blocks)) if squash(" ".join(blocks[i].lines)) == first]
    if not names or not (repeats or (known and all(n.casefold() in known for n in names))):
        return None
    blocks[0].kind = "byline"
    if repeats and repeats[-1] < len(blocks) - 1:
        blocks[repeats[-1]].kind = "byline"
        for b in blocks[repeats[-1] + 1 :]:
            b.kind = "bio"
    return first


def _mark_notes(blocks: list[_Block]) -> None:
    """Mark note blocks: trailing endnotes first, then page footers inside the body."""
    body = [i for i, b in enumerate(blocks) if b.kind == "para"]
    tail: list[int] = []
    for i in reversed(body):
        if BARE_URL_LINE.match(blocks[i].lines[0]) and all(BARE_URL_LINE.match(x) for x in blocks[i].lines):
            continue
        if _note_number(blocks[i]) is None:
            break
        tail.append(i)
    candidates = set(tail)
    for pos, i in enumerate(body):
        if i in candidates or _note_number(blocks[i]) is None:
            continue
        nxt = blocks[body[pos + 1]] if pos + 1 < len(body) else None
        prev = blocks[body[pos - 1]] if pos > 0 else None
        followed_by_footer = nxt is not None and (_is_url_block(nxt) or _note_number(nxt) is not None)
        interrupts = prev is not None and len(prev.lines) > 1 and not finished(join_lines(prev.lines))
        if followed_by_footer or interrupts:
            candidates.add(i)
    highest = 0
    for i in sorted(candidates):
        number = _note_number(blocks[i])
        if number is not None and number > highest:
            blocks[i].kind = "note"
            blocks[i].note_number = number
            highest = number


def _note_number(block: _Block) -> int | None:
    m = NOTE_START.match(block.lines[0])
    if not m:
        return None
    rest = m.group(3)
    if rest[0].islower() or URL_RE.match(rest) and not rest.strip().count(" "):
        return None
    return int(m.group(1) or m.group(2))


def _is_url_block(block: _Block) -> bool:
    return all(BARE_URL_LINE.match(line) for line in block.lines)


def _mark_headings(blocks: list[_Block]) -> None:
    content = [b for b in blocks if b.kind in ("para", "heading")]
    for pos, b in enumerate(content):
        if len(b.lines) != 1 or b.lines[0][:1].isspace() or pos + 1 >= len(content):
            continue
        if content[pos + 1].kind != "para":
            continue
        prev = content[pos - 1] if pos > 0 else None
        if prev is not None and prev.kind == "para" and not finished(join_lines(prev.lines)):
            continue  # a short line after an unfinished paragraph continues it
        if looks_like_heading(b.lines[0]):
            b.kind = "heading"


# --- body ----------------------------------------------------------------------


def _build_sections(label: str, blocks: list[_Block], state: _State) -> tuple[Section, ...]:
    groups: list[tuple[_Block | None, list[_Para]]] = [(None, [])]
    removed_since_para = False
    for b in blocks:
        if b.kind == "heading":
            groups.append((b, []))
            removed_since_para = False
            continue
        if b.kind in ("note", "urls"):
            state.highest = max(state.highest, b.note_number)  # a footer note numbers the markers after it
            removed_since_para = True
            continue
        if b.kind != "para":
            continue
        current = groups[-1][1]
        para = _paragraph(b, state)
        prev = current[-1] if current else None
        continues = prev is not None and (
            b.lines[0][:1].isspace() and not finished(prev.text)
            or para.text[:1].islower()
            or removed_since_para and not finished(prev.text)
        )
        if prev is not None and continues:
            _merge(prev, para)
        elif b.gap >= 2 and current and not removed_since_para:
            groups.append((None, [para]))  # a wide gap without a heading: an untitled section
        else:
            current.append(para)
        removed_since_para = False
    groups = [(h, ps) for h, ps in groups if h is not None or ps]
    headings = [squash(h.lines[0]) if h else None for h, _ in groups]
    ids = section_ids(headings)
    sections: list[Section] = []
    number = 0
    for (head, paras), sid, heading in zip(groups, ids, headings, strict=True):
        built = []
        for p in paras:
            number += 1
            built.append(Paragraph(f"p{number}", p.text, Span(label, p.first, p.col, p.last), tuple(p.refs)))
        span = Span(label, head.first, 1, head.first) if head else None
        sections.append(Section(sid, heading, tuple(built), span))
    return tuple(sections)


def _paragraph(block: _Block, state: _State) -> _Para:
    """Join a block's lines, taking footnote markers out and remembering where they stood."""
    lines = [_strip_bare_marker(line, state) for line in block.lines]
    raw = join_lines([text for text, _ in lines])
    text, refs = _take_bracket_markers(raw, state)
    # Bare markers stood at the end of their line; find their offsets in the joined text.
    pos = 0
    for line_text, number in lines:
        piece = squash(line_text)
        found = text.find(piece, pos) if piece else pos
        pos = found + len(piece) if found >= 0 else pos
        if number is not None:
            refs.append(FootnoteRef(number, pos))
    refs.sort(key=lambda r: (r.offset, r.number))
    col = len(block.lines[0]) - len(block.lines[0].lstrip()) + 1
    return _Para(text, refs, block.first, col, block.last, block.gap >= 2)


def _strip_bare_marker(line: str, state: _State) -> tuple[str, int | None]:
    m = BARE_MARKER_END.search(line)
    if m and int(m.group(2)) == state.highest + 1:
        state.highest += 1
        return line[: m.start()], int(m.group(2))
    for bracket in BRACKET_MARKER.finditer(line):
        state.highest = max(state.highest, int(bracket.group(1)))
    return line, None


def _take_bracket_markers(text: str, state: _State) -> tuple[str, list[FootnoteRef]]:
    refs: list[FootnoteRef] = []
    out: list[str] = []
    last = 0
    length = 0
    for m in BRACKET_MARKER.finditer(text):
        piece = text[last : m.start()]
        out.append(piece)
        length += len(piece)
        number = int(m.group(1))
        nxt = text[m.end() : m.end() + 1]
        if m.group(0)[:1] in " \t" and nxt.isalnum():
            out.append(" ")  # "foo [2] bar" keeps one space between the words
            length += 1
            refs.append(FootnoteRef(number, length - 1))
        else:
            refs.append(FootnoteRef(number, length))
        state.highest = max(state.highest, number)
        last = m.end()
    out.append(text[last:])
    return "".join(out), refs


def _merge(prev: _Para, nxt: _Para) -> None:
    joined = join_lines([prev.text, nxt.text])
    shift = len(joined) - len(nxt.text)
    prev.refs.extend(FootnoteRef(r.number, r.offset + shift) for r in nxt.refs)
    prev.text = joined
    prev.last = nxt.last


# --- notes and links -------------------------------------------------------------


def _build_notes(
    label: str, blocks: list[_Block], sections: tuple[Section, ...], byline: str | None
) -> tuple[Footnote, ...]:
    given: dict[int, Footnote] = {}
    for b in blocks:
        if b.kind != "note":
            continue
        m = NOTE_START.match(b.lines[0])
        assert m is not None  # guaranteed by _mark_notes
        text = join_lines([m.group(3), *b.lines[1:]])
        given.setdefault(b.note_number, Footnote(b.note_number, text, Span(label, b.first, 1, b.last)))
    cited: dict[int, list[str]] = {}
    for section in sections:
        for p in section.paragraphs:
            for ref in p.footnotes:
                cited.setdefault(ref.number, [])
                if p.id not in cited[ref.number]:
                    cited[ref.number].append(p.id)
    first_marker = min(cited) if cited else None
    notes = []
    for n in sorted(set(given) | set(cited)):
        note = given.get(n, Footnote(n, None))
        uncited = n not in cited and note.text is not None
        # An uncited note before the first marker is the conventional author note of a page footer.
        lowest = n == min(given, default=n) and (first_marker is None or n < first_marker)
        author_note = uncited and (lowest or _names_author(note.text, byline))
        place: Literal["body", "byline"] = "byline" if author_note else "body"
        notes.append(Footnote(n, note.text, note.span, tuple(cited.get(n, ())), place))
    return tuple(notes)


def _names_author(text: str | None, byline: str | None) -> bool:
    return bool(text and byline) and any(text.startswith(name) for name in name_parts(byline or ""))


def _collect_links(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in URL_RE.finditer(text):
        seen.setdefault(m.group(0).rstrip(TRAILING_URL_PUNCT), None)
    return tuple(seen)
