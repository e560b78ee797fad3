"""Plain-text analyses (one line per paragraph, or PDF-extracted with hard wraps) -> Document.

The reader works on *blocks* (runs of non-blank lines; a run of note lines "1. …" / "2. …" is split
into one block per note) and classifies each one:

- ``urls``     every line is a bare URL: moved to the document's links, never body text;
- ``note``     starts with a note number (``1 Text``, ``1. Text``, ``[1] Text``) where a note can stand:
               at the end of the text, or as a page footer (followed by a URL block or another note,
               after a note, interrupting an unfinished paragraph, carrying a number the body cited, or
               an uncited author note below the first cited number); numbers increase through the
               document, each the next one or one that a marker cites;
- ``byline``   the first block, a name line that recurs later (or is a known author's name);
- ``bio``      what follows the byline's recurrence after the body;
- ``heading``  one short line that starts with a capital, does not end like a sentence (``?`` and ``!``
               are allowed) and has no sentence end inside, right before a paragraph that starts a
               sentence, after a finished one (a page-start space before it is fine);
- ``para``     everything else. A paragraph that starts with a space (a page start) or a lowercase
               letter, or that follows removed footer blocks while the paragraph before is unfinished,
               continues that paragraph.

Footnote markers are ``[n]`` anywhere, or a bare number after sentence punctuation at a line end
(``pronounced. 2``) when it is the next note number expected (skipping only numbers whose notes are
given, such as an uncited author note). Markers are set aside before asking whether a line ends a
sentence. Two or more blank lines before a paragraph start a new, untitled section.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from briefing.model import Document, Footnote, FootnoteRef, Paragraph, Section, Span
from briefing.sources.files import SourceText
from briefing.sources.layout import (
    finished,
    join_lines,
    join_squashed,
    looks_like_heading,
    name_parts,
    note_place,
    section_ids,
    squash,
)

BlockKind = Literal["urls", "note", "byline", "bio", "heading", "para"]

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.IGNORECASE)
BARE_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)[^\s<>\"“”]+\s*$", re.IGNORECASE)
NOTE_START = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)]?)\s+(\S.*)$")
BRACKET_MARKER = re.compile(r"[ \t]*\[(\d{1,3})\]")
# A bare marker: sentence punctuation (or a closing quote/bracket), spaces, a small number. Not after a comma:
# "troops, 90" at a line end is text.
BARE_MARKER_END = re.compile(r"(?<=[.!?…”\"’)\]])([ \t]+)(\d{1,3})[ \t]*$")
TRAILING_URL_PUNCT = ".,;:)]”’\"'"
# The patterns above state the rules; the finders below give the same matches without letting ``re``
# try every position of a long line (a pattern that opens with a character class does that): they
# find a literal first ("[", "://", "www.") and match only there.
BRACKET_CORE = re.compile(r"\[(\d{1,3})\]")  # BRACKET_MARKER without the spaces before it
WW_SPELLINGS = frozenset("".join(w) for w in itertools.product("wW", repeat=2))  # URL_RE is case-blind


@dataclass(slots=True)
class _Block:
    """A mutable scratch record used only inside ``read_text``."""

    first: int  # 1-based line number of the first line
    lines: list[str]
    gap: int  # blank lines before this block
    kind: BlockKind = "para"
    note_number: int = 0
    # Found once, when first asked for (a block's lines never change): each line's bare end marker and
    # [n] numbers (_line_markers), and every marker number of the block (_marker_numbers).
    line_markers: list[tuple[re.Match[str] | None, tuple[int, ...]]] | None = None
    markers: frozenset[int] | None = None

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
    """Numbering state while walking the body: the highest note number seen so far, the notes given."""

    given: frozenset[int]
    highest: int = 0

    def takes_bare(self, number: int) -> bool:
        """A bare number is the next marker, or skips only numbers whose notes exist (an uncited author note)."""
        return number > self.highest and all(n in self.given for n in range(self.highest + 1, number))


def read_text(source: SourceText, authors: Sequence[str] = ()) -> Document:
    """Turn a plain-text analysis into a Document. ``authors`` (names from metadata) help find the byline.

    Never raises for odd text: everything that is not a marker, a footer note or a URL ends up in
    a heading, a paragraph, a note, the byline or the bio.
    """
    blocks = _split_note_runs(_split_blocks(source.text))
    byline = _mark_byline_and_bio(blocks, authors)
    _mark_notes(blocks, byline)
    for b in blocks:
        if b.kind == "para" and all(BARE_URL_LINE.match(line) for line in b.lines):
            b.kind = "urls"
    _mark_headings(blocks)
    state = _State(frozenset(b.note_number for b in blocks if b.kind == "note"))
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
        if gap == 0 and blocks:  # the line before was not blank, so it ended the last block
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
    if not names:
        return None
    known = {squash(a).casefold() for a in authors}
    repeats = [i for i in range(2, len(blocks)) if squash(" ".join(blocks[i].lines)) == first]
    if not (repeats or (known and all(n.casefold() in known for n in names))):
        return None
    blocks[0].kind = "byline"
    if repeats and repeats[-1] < len(blocks) - 1:
        blocks[repeats[-1]].kind = "byline"
        for b in blocks[repeats[-1] + 1 :]:
            b.kind = "bio"
    return first


def _mark_notes(blocks: list[_Block], byline: str | None) -> None:
    """Mark note blocks: trailing endnotes, then page footers inside the body.

    Note numbers increase through the document, each the next number or one that some marker cites
    (so "10 Orvath villages" opening a page after a URL block stays text).
    """
    body = [i for i, b in enumerate(blocks) if b.kind == "para"]
    numbers = {i: _note_number(blocks[i]) for i in body}
    markers = frozenset().union(*(_marker_numbers(blocks[i]) for i in body))
    candidates = _footer_notes(blocks, body, numbers, byline, markers) | _trailing_notes(blocks, body, numbers)
    highest = 0
    for i in sorted(candidates):
        number = numbers[i]
        if number is not None and number > highest and (number == highest + 1 or number in markers):
            blocks[i].kind = "note"
            blocks[i].note_number = number
            highest = number


def _trailing_notes(blocks: list[_Block], body: list[int], numbers: dict[int, int | None]) -> set[int]:
    """The numbered blocks at the end of the body (URL blocks among them are skipped): the endnotes."""
    tail: set[int] = set()
    for i in reversed(body):
        if _is_url_block(blocks[i]):
            continue
        if numbers[i] is None:
            break
        tail.add(i)
    return tail


def _footer_notes(
    blocks: list[_Block],
    body: list[int],
    numbers: dict[int, int | None],
    byline: str | None,
    markers: frozenset[int],
) -> set[int]:
    """Numbered blocks inside the body that are page-footer notes.

    One is when it is followed by a URL block or another numbered block, follows a footer note,
    interrupts an unfinished paragraph, or carries a number the body already cited (or, below the
    lowest number the body cites or naming the byline's author, an uncited author note) and does
    not read as a heading ("2 Background"). ``markers``: every number the body's blocks carry as a marker.
    """
    lowest = min(markers, default=None)
    found: set[int] = set()
    cited: set[int] = set()
    for pos, i in enumerate(body):
        n = numbers[i]
        nxt = body[pos + 1] if pos + 1 < len(body) else None
        prev = body[pos - 1] if pos > 0 else None
        if n is None:
            cited.update(_marker_numbers(blocks[i]))
            continue
        rest = NOTE_START.match(blocks[i].lines[0])
        text = rest.group(3) if rest else ""
        note_like = len(blocks[i].lines) > 1 or not looks_like_heading(text)
        followed_by_footer = nxt is not None and (_is_url_block(blocks[nxt]) or numbers[nxt] is not None)
        interrupts = prev is not None and not _is_url_block(blocks[prev]) and not _block_finished(blocks[prev])
        author = (lowest is None or n < lowest) and _names_author(text, byline)
        expected = n in cited or (lowest is not None and n < lowest) or author
        if followed_by_footer or prev in found or (note_like and (interrupts or expected)):
            found.add(i)
        else:
            cited.update(_marker_numbers(blocks[i]))
    return found


def _marker_numbers(block: _Block) -> frozenset[int]:
    """Numbers that look like footnote markers in a block: ``[n]`` anywhere, a bare number at a line end."""
    if block.markers is None:
        found: set[int] = set()
        for bare, brackets in _line_markers(block):
            found.update(brackets)
            if bare is not None:
                found.add(int(bare.group(2)))
        block.markers = frozenset(found)
    return block.markers


def _line_markers(block: _Block) -> list[tuple[re.Match[str] | None, tuple[int, ...]]]:
    """Each line's bare end marker (``BARE_MARKER_END``'s match) and the numbers of its ``[n]`` markers."""
    if block.line_markers is None:
        block.line_markers = [
            (_bare_marker(line), tuple(number for _, _, _, number in bracket_markers(line))) for line in block.lines
        ]
    return block.line_markers


def _bare_marker(line: str) -> re.Match[str] | None:
    """``BARE_MARKER_END.search(line)``, skipping the scan of the line when it does not end in a digit."""
    end = line.rstrip(" \t")[-1:]
    return BARE_MARKER_END.search(line) if end.isdigit() else None


def _split_note_runs(blocks: list[_Block]) -> list[_Block]:
    """Split a block of notes on consecutive lines ("1. …" / "2. …") into one block per note.

    A line starts a new note when it opens with a number above the previous note's and the line before
    it ends a note (a sentence end or a URL), so a wrapped line that happens to start with "128 Pages"
    stays in its note.
    """
    out: list[_Block] = []
    for block in blocks:
        number = _note_number(block)
        if number is None or len(block.lines) == 1:
            out.append(block)
            continue
        start = 0
        for k in range(1, len(block.lines)):
            nxt = _note_number(_Block(block.first + k, block.lines[k : k + 1], 0))
            ends_note = finished(block.lines[k - 1]) or bool(BARE_URL_LINE.match(block.lines[k - 1].split()[-1]))
            if nxt is not None and nxt > number and ends_note:
                out.append(_Block(block.first + start, block.lines[start:k], block.gap if start == 0 else 0))
                start, number = k, nxt
        out.append(_Block(block.first + start, block.lines[start:], block.gap if start == 0 else 0))
    return out


def _note_number(block: _Block) -> int | None:
    m = NOTE_START.match(block.lines[0])
    if not m:
        return None
    rest = m.group(3)
    if rest[0].islower() or (URL_RE.match(rest) and not rest.strip().count(" ")):
        return None
    return int(m.group(1) or m.group(2))


def _block_finished(block: _Block) -> bool:
    """Does the block end a sentence once footnote markers ("end.[3]", "end. 3") are set aside?"""
    last = drop_bracket_markers(block.lines[-1])
    bare = _bare_marker(last)
    return finished(last[: bare.start()] if bare else last)


def _is_url_block(block: _Block) -> bool:
    return all(BARE_URL_LINE.match(line) for line in block.lines)


def _mark_headings(blocks: list[_Block]) -> None:
    """A one-line block that looks like a heading, right before a paragraph that starts a sentence.

    Not a heading: a line after an unfinished paragraph (it continues it), a line followed by a page
    footer (print never ends a page on a heading, so it is a paragraph's first line), a line whose next
    paragraph starts in lowercase (the sentence goes on).
    """
    for pos, b in enumerate(blocks):
        if b.kind != "para" or len(b.lines) != 1 or pos + 1 >= len(blocks):
            continue
        nxt = blocks[pos + 1]
        if nxt.kind != "para" or nxt.lines[0].lstrip()[:1].islower():  # squash()'s first character
            continue
        prev = next((c for c in reversed(blocks[:pos]) if c.kind in ("para", "heading")), None)
        if prev is not None and prev.kind == "para" and not _block_finished(prev):
            continue  # a short line after an unfinished paragraph continues it
        if looks_like_heading(drop_bracket_markers(b.lines[0])):  # "… conflict.[3]" is a sentence
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
            (b.lines[0][:1].isspace() and not finished(prev.text))
            or para.text[:1].islower()
            or (removed_since_para and not finished(prev.text))
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
    found = _line_markers(block)
    if any(bare or brackets for bare, brackets in found):
        lines = [_strip_bare_marker(line, *markers, state) for line, markers in zip(block.lines, found, strict=True)]
    else:  # no marker on these lines: nothing to strip, the state stays as it is
        lines = [(line, None) for line in block.lines]
    pieces = [squash(text) for text, _ in lines]
    raw = join_squashed(pieces)
    text, refs = _take_bracket_markers(raw, state)
    # A marker that opened the paragraph ("[1] and then") leaves the space after it in front.
    lead = len(text) - len(text.lstrip(" "))
    text, refs = text[lead:], [FootnoteRef(r.number, max(r.offset - lead, 0)) for r in refs]
    # Bare markers stood at the end of their line; find their offsets in the joined text (the lines
    # after the last marker cannot move one, so the walk stops there).
    marked = [k for k, (_, number) in enumerate(lines) if number is not None]
    pos = 0
    for (_, number), piece in zip(lines[: marked[-1] + 1] if marked else (), pieces, strict=False):
        found = text.find(piece, pos) if piece else pos
        pos = found + len(piece) if found >= 0 else pos
        if number is not None:
            refs.append(FootnoteRef(number, pos))
    refs.sort(key=lambda r: (r.offset, r.number))
    col = len(block.lines[0]) - len(block.lines[0].lstrip()) + 1
    return _Para(text, refs, block.first, col, block.last, block.gap >= 2)


def _strip_bare_marker(
    line: str, bare: re.Match[str] | None, brackets: tuple[int, ...], state: _State
) -> tuple[str, int | None]:
    """The line without its bare end marker when that is the next marker expected, and the marker's number."""
    if bare and state.takes_bare(int(bare.group(2))):
        state.highest = int(bare.group(2))
        return line[: bare.start()], int(bare.group(2))
    for number in brackets:
        state.highest = max(state.highest, number)
    return line, None


def _take_bracket_markers(text: str, state: _State) -> tuple[str, list[FootnoteRef]]:
    refs: list[FootnoteRef] = []
    out: list[str] = []
    last = 0
    length = 0
    for start, core, end, number in bracket_markers(text):
        piece = text[last:start]
        out.append(piece)
        length += len(piece)
        nxt = text[end : end + 1]
        if start < core and nxt.isalnum():
            out.append(" ")  # "foo [2] bar" keeps one space between the words
            length += 1
            refs.append(FootnoteRef(number, length - 1))
        else:
            refs.append(FootnoteRef(number, length))
        state.highest = max(state.highest, number)
        last = end
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
    names = name_parts(byline) if byline else ()
    notes = []
    for n in sorted(set(given) | set(cited)):
        note = given.get(n, Footnote(n, None))
        place = note_place(n, note.text, cited, given, names)
        notes.append(Footnote(n, note.text, note.span, tuple(cited.get(n, ())), place))
    return tuple(notes)


def _names_author(text: str, byline: str | None) -> bool:
    """Does a note start with a name from the byline ("1 Ann Lee is a fellow at …")?"""
    return bool(byline) and any(text.startswith(name) for name in name_parts(byline or ""))


def _collect_links(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in find_urls(text):
        seen.setdefault(m.group(0).rstrip(TRAILING_URL_PUNCT), None)
    return tuple(seen)


# --- fast finders (the same matches as the patterns at the top) ----------------------------------


def bracket_markers(text: str) -> list[tuple[int, int, int, int]]:
    """``BRACKET_MARKER.finditer(text)`` as (start, start of ``[``, end, number).

    A match takes every space and tab before its ``[``: none of them can belong to an earlier match,
    which ends in ``]``.
    """
    if "[" not in text:
        return []
    found = []
    for m in BRACKET_CORE.finditer(text):
        core = start = m.start()
        while start and text[start - 1] in " \t":
            start -= 1
        found.append((start, core, m.end(), int(m.group(1))))
    return found


def drop_bracket_markers(text: str) -> str:
    """``BRACKET_MARKER.sub("", text)``."""
    found = bracket_markers(text)
    if not found:
        return text
    ends = [0] + [end for _, _, end, _ in found]
    starts = [start for start, _, _, _ in found] + [len(text)]
    return "".join(text[a:b] for a, b in zip(ends, starts, strict=True))


def find_urls(text: str) -> Iterator[re.Match[str]]:
    """``URL_RE.finditer(text)``: URL_RE matched only where a URL can start.

    That is four or five characters before a "://" (http, https) or at a "www." in any letter case
    ("www." ends in "w." or "W.", rare in prose, found by ``str.find``, which is much faster than ``re``).
    Taking the candidates in order and skipping those inside the last match is what ``finditer`` does.
    """
    starts: set[int] = set()
    for q in _positions(text, "://"):
        starts.update(start for start in (q - 5, q - 4) if start >= 0)
    for dot in ("w.", "W."):  # two scans for the end of "www." instead of one per spelling
        starts.update(p - 2 for p in _positions(text, dot) if p >= 2 and text[p - 2 : p] in WW_SPELLINGS)
    end = 0
    for start in sorted(starts):
        if start >= end and (m := URL_RE.match(text, start)):
            end = m.end()
            yield m


def _positions(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)
