"""Markdown analyses (YAML front matter, ``#`` headings, ``[^n]`` footnotes) -> Document.

markdown-it-py parses the body (raw HTML off); the token stream is flattened into the same model
the plain-text reader makes: plain paragraph text plus ``Mark`` spans for emphasis, code and links.
A thematic break (``***``) starts an untitled section, as a wide gap does in plain text; a footnote
definition nothing cites is kept (the author note of the byline when it is the lowest).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from briefing.model import Document, Footnote, FootnoteRef, Mark, Paragraph, Section, Span
from briefing.sources.files import SourceText
from briefing.sources.layout import note_place, section_ids, squash
from briefing.sources.text import TRAILING_URL_PUNCT, find_urls
from briefing.sources.yamldoc import YamlDoc, parse_yaml, validate

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
LITERAL_REF = re.compile(r"\[\^(\d{1,4})\]")
CODE_BLOCKS = ("fence", "code_block")
MARK_TOKENS = {"em_open": "em", "strong_open": "strong", "link_open": "link"}


def markdown_parser() -> MarkdownIt:
    """CommonMark with footnotes; raw HTML is disabled so nothing from a source runs in a browser."""
    # Imported here: a build that reads no Markdown (a plain-text seed edited, nothing else) skips
    # markdown-it-py, ~25 ms of a rebuild's start.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark", {"html": False}).use(footnote_plugin).enable("table")


@cache
def _reading_parser() -> MarkdownIt:
    """The parser the reader walks: footnote definitions stay where they stand, with their lines,
    and one that nothing cites is kept (the plugin's tail step would drop its words).

    Made once: building one costs as much as parsing a short seed, and ``parse`` keeps its state per
    call (in the ``env`` and state objects it makes), so one parser serves every read.
    """
    md = markdown_parser()
    md.disable("footnote_tail")
    return md.use(keep_deep_nesting)


# Block quotes and lists deeper than this are read as one paragraph of their raw text. markdown-it
# silently drops everything nested past its maxNesting (20 levels); raising that limit instead would
# recurse once per level and exhaust Python's stack on hostile input.
DEEPEST_BLOCK = 16


def keep_deep_nesting(md: MarkdownIt) -> None:
    """Plugin: containers nested past DEEPEST_BLOCK levels become a paragraph of their text (no word lost)."""
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "deep_nesting", _deep_nesting)


def _deep_nesting(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.level < DEEPEST_BLOCK:
        return False
    if silent:
        return True
    last = start + 1
    while last < end and (state.isEmpty(last) or state.sCount[last] >= state.blkIndent):
        last += 1
    while last > start + 1 and state.isEmpty(last - 1):
        last -= 1
    state.push("paragraph_open", "p", 1).map = [start, last]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start, last, state.blkIndent, False).strip()
    inline.map, inline.children = [start, last], []
    state.push("paragraph_close", "p", -1)
    state.line = last
    return True


def split_front_matter(source: SourceText) -> tuple[YamlDoc | None, str, int]:
    """Return (front matter, body, number of lines before the body)."""
    m = FRONT_MATTER.match(source.text)
    if not m:
        return None, source.text, 0
    inner = SourceText(source.label, "\n" + (m.group(1) or ""), source.sha256)  # "\n": keep line numbers true
    doc = parse_yaml(inner)
    if doc.data is None:
        doc = YamlDoc(doc.label, {}, doc.marks, doc.lines, doc.keys)
    return doc, source.text[m.end() :], source.text[: m.end()].count("\n")


def read_markdown(source: SourceText, md: MarkdownIt | None = None) -> Document:
    """Parse a Markdown seed. Front matter is validated against ``front-matter.schema.json``."""
    front, body, offset = split_front_matter(source)
    if front is not None:
        if not isinstance(front.data, dict):
            raise front.error((), "front matter must be a mapping of keys (title, authors, …)")
        validate(front, "front-matter")
    tokens = (md or _reading_parser()).parse(body)
    walker = _Walker(source.label, offset)
    walker.walk(tokens)
    headings = [h for h, _, _ in walker.sections]
    ids = section_ids(headings)
    sections = tuple(
        Section(sid, heading, tuple(paras), span)
        for sid, (heading, span, paras) in zip(ids, walker.sections, strict=True)
        if heading is not None or paras
    )
    cited: dict[int, list[str]] = {}
    for s in sections:
        for p in s.paragraphs:
            for r in p.footnotes:
                cited.setdefault(r.number, [])
                if p.id not in cited[r.number]:
                    cited[r.number].append(p.id)
    data: dict[str, Any] = front.data if front is not None else {}
    byline = tuple(str(a["name"]) for a in data.get("authors", []))
    notes = tuple(
        Footnote(n, text, span, tuple(cited.get(n, ())), note_place(n, text, cited, walker.notes, byline))
        for n in sorted(set(walker.notes) | set(cited))
        for text, span in [walker.notes.get(n, (None, None))]
    )
    links = dict.fromkeys(m.group(0).rstrip(TRAILING_URL_PUNCT) for m in find_urls(body))
    for s in sections:
        for p in s.paragraphs:
            links.update(dict.fromkeys(mark.href for mark in p.marks if mark.href))
    return Document(
        source=source.label,
        layout="markdown",
        text=source.text,
        sha256=source.sha256,
        byline=byline,
        sections=sections,
        footnotes=notes,
        links=tuple(k for k in links if k),
        front_matter=tuple(sorted(data.items())),
    )


class _Walker:
    """Flattens block tokens into sections and paragraphs (a cursor that lives in one read)."""

    def __init__(self, label: str, offset: int) -> None:
        self.label = label
        self.offset = offset
        self.sections: list[tuple[str | None, Span | None, list[Paragraph]]] = [(None, None, [])]
        self.notes: dict[int, tuple[str, Span | None]] = {}
        self.count = 0

    def walk(self, tokens: list[Token]) -> None:
        note: int | None = None
        note_parts: list[str] = []
        note_span: Span | None = None
        for i, tok in enumerate(tokens):
            if tok.type in ("footnote_open", "footnote_reference_open"):
                note, note_parts, note_span = _note_number(tok), [], self._span(tok) if tok.map else None
            elif tok.type in ("footnote_close", "footnote_reference_close") and note is not None:
                self.notes.setdefault(note, (" ".join(note_parts), note_span))
                note = None
            elif tok.type == "heading_open":
                text, _, _ = _flatten(tokens[i + 1].children or [])
                self.sections.append((text, self._span(tok), []))
            elif tok.type == "hr" and note is None and self.sections[-1][2]:
                self.sections.append((None, None, []))  # a thematic break: a new, untitled section
            elif (tok.type == "inline" and tokens[i - 1].type == "paragraph_open") or tok.type in CODE_BLOCKS:
                opener = tok if tok.type in CODE_BLOCKS else tokens[i - 1]
                if note is not None:
                    note_parts.append(_flatten(tok.children or [])[0])
                    note_span = note_span or self._span(opener)
                else:
                    self._paragraph(tok, opener)

    def _paragraph(self, tok: Token, opener: Token) -> None:
        if tok.type in ("fence", "code_block"):
            text = squash(tok.content.replace("\n", " "))
            marks: tuple[Mark, ...] = (Mark(0, len(text), "code"),) if text else ()
            refs: tuple[FootnoteRef, ...] = ()
        else:
            text, marks, refs = _flatten(tok.children or [])
        if not text and not refs:
            return
        self.count += 1
        self.sections[-1][2].append(Paragraph(f"p{self.count}", text, self._span(opener), refs, marks))

    def _span(self, tok: Token) -> Span:
        start, end = tok.map or (0, 1)
        return Span(self.label, start + 1 + self.offset, 1, max(end, start + 1) + self.offset)


def _note_number(tok: Token) -> int:
    label = str((tok.meta or {}).get("label", ""))
    return int(label) if label.isdigit() else int((tok.meta or {}).get("id", 0)) + 1


def _flatten(children: list[Token]) -> tuple[str, tuple[Mark, ...], tuple[FootnoteRef, ...]]:
    """Inline tokens -> plain text, formatting marks and footnote references."""
    out: list[str] = []
    length = 0
    marks: list[Mark] = []
    refs: list[FootnoteRef] = []
    open_marks: list[tuple[str, int, str | None]] = []
    for tok in children:
        piece = ""
        if tok.type == "text":
            piece = tok.content
        elif tok.type in ("softbreak", "hardbreak"):
            piece = " "
        elif tok.type == "code_inline":
            piece = tok.content
            marks.append(Mark(length, length + len(piece), "code"))
        elif tok.type == "image":
            piece = tok.content  # the alt text: words are never dropped
        elif tok.type in MARK_TOKENS:
            href = str(tok.attrs.get("href", "")) or None
            open_marks.append((tok.type, length, href))
        elif tok.type.endswith("_close") and open_marks:
            kind, start, href = open_marks.pop()
            if length > start:
                marks.append(Mark(start, length, MARK_TOKENS[kind], href if kind == "link_open" else None))  # type: ignore[arg-type]
        elif tok.type == "footnote_ref":
            refs.append(FootnoteRef(_note_number(tok), length))
        else:
            piece = tok.content
        out.append(piece)
        length += len(piece)
    text = "".join(out)
    text, refs = _literal_refs(text, marks, refs)
    return text, tuple(sorted(marks, key=lambda m: (m.start, -m.end))), tuple(refs)


def _literal_refs(text: str, marks: list[Mark], refs: list[FootnoteRef]) -> tuple[str, list[FootnoteRef]]:
    """``[^n]`` left as text (no definition anywhere) is still a marker: its note is missing."""
    if "[^" not in text or marks:
        return text, refs
    out: list[str] = []
    removed: list[tuple[int, int]] = []  # (original offset, characters removed up to and including it)
    last = 0
    for m in LITERAL_REF.finditer(text):
        out.append(text[last : m.start()])
        refs.append(FootnoteRef(int(m.group(1)), sum(map(len, out))))
        removed.append((m.start(), (removed[-1][1] if removed else 0) + len(m.group(0))))
        last = m.end()
    out.append(text[last:])
    known = [
        FootnoteRef(r.number, r.offset - max((n for at, n in removed if at < r.offset), default=0))
        for r in refs[: len(refs) - len(removed)]
    ]
    return "".join(out), sorted(known + refs[len(refs) - len(removed) :], key=lambda r: (r.offset, r.number))
