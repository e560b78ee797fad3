"""The Markdown reader: front matter, headings, ``[^n]`` footnotes, breaks and links -> the same model as plain text."""

from __future__ import annotations

import pytest

from briefing.errors import SourceError, SourceErrors
from briefing.model import Document
from briefing.sources.files import decode
from briefing.sources.markdown import read_markdown
from briefing.sources.text import read_text

DOC = """---
title: River Councils
authors:
  - name: Ann Lee
    affiliation: Orvath Institute
---

The council met twice.[^2] It held *firm* on the [treaty](https://example.org/treaty).

## What Comes Next?

A book says so[^3], then more.[^4]

***

An untitled stretch with https://example.org/plain in it.

[^1]: Ann Lee is a fellow at the Orvath Institute.
[^2]: See the ledger, p. 4.
[^3]: Quoted in https://example.org/book.
"""


def read(text: str) -> Document:
    return read_markdown(decode("seeds/t.md", text.encode()))


@pytest.fixture(scope="module")
def doc() -> Document:
    return read(DOC)


def test_sections_and_paragraphs(doc: Document) -> None:
    assert [(s.id, s.heading, [p.text for p in s.paragraphs]) for s in doc.sections] == [
        ("opening", None, ["The council met twice. It held firm on the treaty."]),
        ("what-comes-next", "What Comes Next?", ["A book says so, then more."]),
        ("section-3", None, ["An untitled stretch with https://example.org/plain in it."]),
    ]
    assert [p.id for p in doc.paragraphs()] == ["p1", "p2", "p3"]
    assert doc.layout == "markdown"


def test_lines_count_the_front_matter(doc: Document) -> None:
    assert [(p.span.line, p.span.end_line) for p in doc.paragraphs()] == [(8, 8), (12, 12), (16, 16)]
    assert doc.sections[1].span is not None and doc.sections[1].span.line == 10


def test_markers_and_offsets(doc: Document) -> None:
    p1, p2, _ = doc.paragraphs()
    assert [(r.number, p1.text[: r.offset]) for r in p1.footnotes] == [(2, "The council met twice.")]
    assert [(r.number, p2.text[: r.offset]) for r in p2.footnotes] == [
        (3, "A book says so"),
        (4, "A book says so, then more."),
    ]


def test_footnotes_cited_missing_and_uncited(doc: Document) -> None:
    assert [(n.number, n.text, n.cited_in, n.attached_to) for n in doc.footnotes] == [
        (1, "Ann Lee is a fellow at the Orvath Institute.", (), "byline"),  # nothing cites it: kept, by the byline
        (2, "See the ledger, p. 4.", ("p1",), "body"),
        (3, "Quoted in https://example.org/book.", ("p2",), "body"),
        (4, None, ("p2",), "body"),  # cited, never defined
    ]
    spans = [(n.span.line, n.span.end_line) if n.span else None for n in doc.footnotes]
    assert spans == [(18, 18), (19, 19), (20, 20), None]


def test_marks_over_the_plain_text(doc: Document) -> None:
    p1 = doc.paragraphs()[0]
    assert [(p1.text[m.start : m.end], m.kind, m.href) for m in p1.marks] == [
        ("firm", "em", None),
        ("treaty", "link", "https://example.org/treaty"),
    ]


def test_links_in_order_of_first_appearance(doc: Document) -> None:
    assert doc.links == ("https://example.org/treaty", "https://example.org/plain", "https://example.org/book")


def test_byline_and_front_matter(doc: Document) -> None:
    assert doc.byline == ("Ann Lee",)
    assert dict(doc.front_matter)["title"] == "River Councils"
    assert doc.bio is None


def test_same_structure_as_the_clean_plain_text() -> None:
    md = read("Opening claim.[^1] More.\n\n# Trade Policy\n\nBody text, cited[^2], here.\n\n[^1]: One.\n[^2]: Two.\n")
    raw = b"Opening claim.[1] More.\n\nTrade Policy\n\nBody text, cited [2], here.\n\n1. One.\n\n2. Two.\n"
    plain = read_text(decode("seeds/t.txt", raw))

    def shape(d: Document) -> object:
        return (
            [(s.heading, [(p.text, p.footnotes) for p in s.paragraphs]) for s in d.sections],
            [(n.number, n.text, n.cited_in) for n in d.footnotes],
        )

    assert shape(md) == shape(plain)


def test_no_front_matter() -> None:
    doc = read("Just a paragraph.\n")
    assert ([p.text for p in doc.paragraphs()], doc.byline, doc.front_matter) == (["Just a paragraph."], (), ())
    assert doc.paragraphs()[0].span.line == 1


def test_break_before_any_paragraph_opens_no_empty_section() -> None:
    doc = read("***\n\nFirst.\n\n---\n\nSecond.\n")
    assert [(s.heading, [p.text for p in s.paragraphs]) for s in doc.sections] == [
        (None, ["First."]),
        (None, ["Second."]),
    ]


def test_raw_html_is_text_not_markup() -> None:
    doc = read("A <script>x()</script> tag.\n")
    assert doc.paragraphs()[0].text == "A <script>x()</script> tag."


UNKNOWN_KEY = (
    "unknown key 'subtitel' in the document; expected one of: authors, language, published, publisher, series, "
    "subtitle, summary, title, url"
)


def unknown_key_error() -> SourceError:
    with pytest.raises(SourceErrors) as caught:
        read("---\ntitle: T\nsubtitel: S\n---\n\nText.\n")
    (error,) = caught.value.errors
    return error


def test_unknown_front_matter_key_is_an_error_on_its_line() -> None:
    error = unknown_key_error()
    assert (error.location.path, error.location.line, error.message) == ("seeds/t.md", 3, UNKNOWN_KEY)


def test_unknown_front_matter_key_points_at_the_key() -> None:
    assert unknown_key_error().headline() == f"seeds/t.md:3:1: error: {UNKNOWN_KEY}"


def test_front_matter_that_is_not_a_mapping_is_an_error() -> None:
    with pytest.raises(SourceError) as caught:
        read("---\n- a\n- b\n---\n\nText.\n")
    assert caught.value.headline() == (
        "seeds/t.md:2:1: error: front matter must be a mapping of keys (title, authors, …)"
    )
