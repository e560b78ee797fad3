"""Random documents laid out as clean text, PDF-extracted text and Markdown read back to the same structure."""

from __future__ import annotations

import os
import random
from dataclasses import replace

from documents import Doc, Expected, Laid, clean_layout, documents, expected, markdown_layout, pdf_layout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.model import Document
from briefing.sources.files import decode
from briefing.sources.markdown import read_markdown
from briefing.sources.text import read_text

# CI runs a moderate number of examples; READER_EXAMPLES=2000 runs a deep search locally.
EXAMPLES = int(os.environ.get("READER_EXAMPLES", "120"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def structure(doc: Document) -> Expected:
    """The reader's result in the generator's terms."""
    return Expected(
        byline=doc.byline,
        bio=doc.bio,
        sections=tuple((s.heading, tuple(p.text for p in s.paragraphs)) for s in doc.sections),
        refs=tuple(tuple((r.number, r.offset) for r in p.footnotes) for p in doc.paragraphs()),
        notes=tuple((n.number, n.text, n.cited_in, n.attached_to) for n in doc.footnotes),
    )


def check_lines(doc: Document, laid: Laid) -> None:
    """Each paragraph's span is the lines the layout put it on; spans increase through the file."""
    spans = tuple((p.span.line, p.span.end_line) for p in doc.paragraphs())
    assert spans == laid.lines
    ids = [p.id for p in doc.paragraphs()]
    assert ids == [f"p{i}" for i in range(1, len(ids) + 1)]


def read_plain(laid: Laid) -> Document:
    return read_text(decode("seeds/generated.txt", laid.text.encode("utf-8")))


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_clean_layout_reads_back(doc: Doc, rng: random.Random) -> None:
    laid = clean_layout(doc, rng)
    got = read_plain(laid)
    assert structure(got) == expected(doc)
    assert got.links == laid.links
    check_lines(got, laid)


@SETTINGS
@given(documents(mid_markers=False), st.randoms(use_true_random=False), st.integers(60, 95))
def test_pdf_layout_reads_back(doc: Doc, rng: random.Random, width: int) -> None:
    laid = pdf_layout(doc, rng, width)
    got = read_plain(laid)
    assert structure(got) == expected(doc)
    assert got.links == laid.links
    check_lines(got, laid)


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_markdown_layout_reads_back(doc: Doc, rng: random.Random) -> None:
    laid = markdown_layout(doc, rng)
    got = read_markdown(decode("seeds/generated.md", laid.text.encode("utf-8")))
    assert structure(got) == replace(expected(doc), bio=None)  # a bio lives in front matter
    assert got.links == laid.links
    check_lines(got, laid)


@SETTINGS
@given(documents(mid_markers=False), st.randoms(use_true_random=False), st.integers(60, 95))
def test_layouts_agree_and_reading_is_deterministic(doc: Doc, rng: random.Random, width: int) -> None:
    clean = read_plain(clean_layout(doc, rng))
    pdf = read_plain(pdf_layout(doc, rng, width))
    assert structure(clean) == structure(pdf)
    laid = pdf_layout(doc, random.Random(7), width)
    assert read_plain(laid) == read_plain(laid)
