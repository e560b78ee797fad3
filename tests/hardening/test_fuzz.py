"""Property tests on hostile input: the readers, the YAML reader, the mention finder and the date finder never
raise anything but SourceError/SourceErrors, and the text reader loses no word that is not a marker, a note
number or a URL (URLs must reach the document's links). bench/fuzz.py runs the same properties for longer."""

from __future__ import annotations

import random
import time

import pytest
from fuzz_inputs import (
    any_text,
    encoded,
    markdown_texts,
    missing_links,
    missing_words,
    normalised,
    plain_texts,
    yaml_texts,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.errors import SourceError, SourceErrors
from briefing.index.actors import build_matcher, find_mentions
from briefing.index.dates import find_dates
from briefing.model import Actor, Document
from briefing.render.markup import _nesting
from briefing.sources.files import SourceText, decode
from briefing.sources.markdown import read_markdown
from briefing.sources.text import read_text
from briefing.sources.yamldoc import parse_yaml

CI = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROJECT_ERRORS = (SourceError, SourceErrors)
DATE_TEXT = st.lists(
    st.one_of(
        st.sampled_from((
            "10 November 2020", "November 10, 2020", "November 2020", "2020", "1990s", "the early 1990s",
            "2020-11-10", "2020-13-45", "31 February 2021", "last year", "this year", "November–December 2020",
            "1992–1994", "in 1992", "9999", "0000", "May", "Jan.", "10 Nov", "0 November 2020", "November 99",
            "2019/20", "’90s", "1 000", "³²", "٢٠٢٠", "१९९२",
        )),
        any_text(1, 10),
    ),
    max_size=30,
).map(" ".join)


def check_document(doc: Document) -> None:
    """Structure any reader must give: paragraph ids p1..pN in order, spans inside the file and increasing."""
    paragraphs = doc.paragraphs()
    assert [p.id for p in paragraphs] == [f"p{i}" for i in range(1, len(paragraphs) + 1)]
    lines = doc.text.count("\n") + 1
    for p in paragraphs:
        assert 1 <= p.span.line <= p.span.end_line <= lines
        assert all(0 <= r.offset <= len(p.text) for r in p.footnotes)
        assert all(0 <= m.start < m.end <= len(p.text) for m in p.marks)


# --- decode --------------------------------------------------------------------------------------------


@CI
@given(encoded(plain_texts()))
@example(b"\xef\xbb\xbf\xef\xbb\xbfdouble BOM\r\nline\rline")
@example(b"a\x00b")
@example(b"\xff\xfe\x00t")
@example(b"   \n\t  ")
def test_decode_returns_lf_text_or_a_source_error(data: bytes) -> None:
    try:
        source = decode("seeds/fuzz.txt", data)
    except SourceError as exc:
        assert exc.location.line >= 1 and exc.location.col >= 1
        return
    assert source.text == normalised(data.decode("utf-8"))
    assert "\r" not in source.text


# --- the plain-text reader -----------------------------------------------------------------------------


def read_plain(text: str) -> tuple[SourceText, Document] | None:
    try:
        source = decode("seeds/fuzz.txt", text.encode("utf-8"))
    except SourceError:
        return None
    return source, read_text(source)


@CI
@given(plain_texts())
@example("Sergey Markedonov\n\nBody text. 1\n\nSergey Markedonov\n\nBio here.\n\n1 A note.\n")
@example("https://a.b/c<d\n\nText.\n")  # found by the fuzzer: "<d" was lost with the URL line
@example("[1]\n\n  [1] a\n")  # found by bench/fuzz.py: a marker offset of -1
@example("\ufeffA\r\nB\rC\n\u200f\u202e1 note\u200d\n")
def test_text_reader_never_raises_and_keeps_every_word(text: str) -> None:
    try:
        read = read_plain(text)
    except PROJECT_ERRORS:
        return
    if read is None:
        return
    source, doc = read
    check_document(doc)
    assert missing_words(source.text, doc) == []
    assert missing_links(source.text, doc) == []


@CI
@given(plain_texts(), st.lists(any_text(1, 20), max_size=3))
def test_text_reader_with_author_names_never_raises(text: str, authors: list[str]) -> None:
    try:
        source = decode("seeds/fuzz.txt", text.encode("utf-8"))
        check_document(read_text(source, authors))
    except PROJECT_ERRORS:
        pass


def big_seed(size: int, seed: int = 7) -> tuple[str, int]:
    """A PDF-like seed of about ``size`` characters and its number of body paragraphs.

    Paragraphs are wrapped over several lines, start with a capital and end with a full stop (so none
    continues another); the first 900 carry a bracket marker, and every seventh of those is followed
    by its footer note and a URL block; every eleventh is preceded by a heading.
    """
    rng = random.Random(seed)
    vocabulary = ("the", "peace", "Baku", "Moscow-Baku", "border", "talks", "2020", "November", "Karabakh",
                  "troops,", "said", "mission", "‏", "é")
    out: list[str] = []
    paragraphs = length = 0
    while length < size:
        paragraphs += 1
        start = len(out)
        if paragraphs % 11 == 0:
            out += [f"Heading Number {paragraphs}", ""]
        lines = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 14))) for _ in range(rng.randint(3, 9))]
        lines[0] = "The " + lines[0]
        marker = f"[{paragraphs}]" if paragraphs <= 900 else ""
        out += [*lines[:-1], lines[-1] + "." + marker, ""]
        if marker and paragraphs % 7 == 0:
            out += [f"{paragraphs} A footer note, page {paragraphs}.", f"https://example.org/page/{paragraphs}", ""]
        length += sum(len(line) + 1 for line in out[start:])
    return "\n".join(out) + "\n", paragraphs


@pytest.mark.slow
def test_a_five_megabyte_seed_reads_in_bounded_time() -> None:
    text, paragraphs = big_seed(5 * 1024 * 1024)
    data = text.encode("utf-8")
    assert len(data) >= 5 * 1024 * 1024
    started = time.perf_counter()
    doc = read_text(decode("seeds/big.txt", data))
    took = time.perf_counter() - started
    print(f"5 MB seed: read in {took:.2f} s, {len(doc.paragraphs())} paragraphs")  # for the report, not a bound
    assert len(doc.paragraphs()) == paragraphs
    assert [n.number for n in doc.footnotes if n.text] == list(range(7, 901, 7))
    assert missing_words(normalised(text), doc) == []
    assert missing_links(normalised(text), doc) == []


# --- the Markdown reader ---------------------------------------------------------------------------------


@CI
@given(markdown_texts())
@example("---\ntitle: x\npublished: 2021-02-30\n---\nBody.\n")
@example("---\n- a\n---\nBody.\n")
@example("---\na: &x [*x]\n---\n")
@example("---\n!!python/name:os.system\n---\n")
@example("---\n!!int \n\n---\n")
@example("> " * 50 + "deep\n")
@example("[^1]\n\n[^1]: " + "> " * 30 + "note\n")
def test_markdown_reader_never_raises_anything_else(text: str) -> None:
    try:
        doc = read_markdown(decode("seeds/fuzz.md", text.encode("utf-8")))
    except PROJECT_ERRORS:
        return
    check_document(doc)


# --- YAML -----------------------------------------------------------------------------------------------


@CI
@given(yaml_texts())
@example("a: &x [*x]\n")
@example("a: &a [x, x]\nb: [*a, *a]\n")
@example("a: !!int abc\n")
@example("!!int \n")  # found by bench/fuzz.py (in front matter): an IndexError inside PyYAML
@example("a: 2021-02-30\n")
@example("? [a]\n: b\n")
@example("[" * 3000)
def test_yaml_reader_never_raises_anything_else(text: str) -> None:
    try:
        doc = parse_yaml(decode("content/fuzz.yaml", text.encode("utf-8")))
    except PROJECT_ERRORS:
        return
    for line, col in doc.marks.values():
        assert line >= 1 and col >= 1


# --- the mention finder -------------------------------------------------------------------------------


def quote_folded(text: str) -> str:
    return text.replace("\u2019", "'")


@CI
@given(
    st.lists(st.lists(any_text(1, 12), min_size=1, max_size=4), min_size=1, max_size=5),
    st.lists(st.one_of(any_text(0, 30), st.integers(0, 100)), max_size=20),
)
def test_mention_finder_never_raises_and_finds_only_aliases(aliases: list[list[str]], parts: list[str | int]) -> None:
    actors = [Actor(f"a{i}", names[0], "group", "d", tuple(names[1:])) for i, names in enumerate(aliases)]
    all_names = [n for names in aliases for n in names]
    # Build the text from aliases (picked by index) and arbitrary text, so that matches do occur.
    text = " ".join(all_names[p % len(all_names)] if isinstance(p, int) else p for p in parts)
    try:
        matcher = build_matcher(actors)
    except PROJECT_ERRORS:
        return
    found = find_mentions(matcher, text)
    ends = 0
    by_id = {a.id: a for a in actors}
    for actor, start, end in found:
        assert ends <= start < end <= len(text)
        ends = end
        written = quote_folded(text[start:end])
        forms = {quote_folded(n) for n in by_id[actor].all_names()}
        forms |= {f[0].upper() + f[1:] for f in forms}
        assert written in forms


# --- the date finder ------------------------------------------------------------------------------------


@CI
@given(DATE_TEXT, st.one_of(st.none(), st.integers(-5000, 12000)), st.one_of(st.none(), st.integers(-5000, 12000)))
def test_date_finder_never_raises_and_gives_real_dates(text: str, default: int | None, published: int | None) -> None:
    found = find_dates(text, default_year=default, publication_year=published)
    ends = 0
    for d in found:
        assert ends <= d.start < d.end <= len(text)
        ends = d.end
        assert d.text == text[d.start:d.end]
        first = d.date.first_day()
        if d.until is not None:
            assert d.until.last_day() >= first


# --- the nesting of a paragraph's tags ------------------------------------------------------------------


def nesting_rule(spans: list[tuple[int, int, str, str]], length: int) -> list[tuple[int, int, str, str]]:
    """The rule markup._nesting implements, written the obvious (quadratic) way: in order, keep a span
    unless it crosses a kept span or, being a link, overlaps a kept link."""
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        start, end = max(span[0], 0), min(span[1], length)
        if start >= end:
            continue
        crosses = any(s < start < e < end or start < s < end < e for s, e, _, _ in kept)
        nested_link = span[2].startswith("<a") and any(
            o.startswith("<a") and s < end and start < e for s, e, o, _ in kept)
        if not crosses and not nested_link:
            kept.append((start, end, span[2], span[3]))
    return kept


SPAN = st.tuples(st.integers(-3, 40), st.integers(-3, 40), st.sampled_from(("<em>", "<strong>", "<a href>")))


@CI
@given(st.lists(SPAN, max_size=40), st.integers(0, 40))
def test_fast_nesting_keeps_exactly_what_the_rule_keeps(raw: list[tuple[int, int, str]], length: int) -> None:
    spans = [(s, e, tag, "</x>") for s, e, tag in raw]
    assert _nesting(spans, length) == nesting_rule(spans, length)
