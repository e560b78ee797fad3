"""Hypothesis strategies for hostile and broken input, and the word-preservation oracle for the text reader.

Shared by tests/hardening/test_fuzz.py (a moderate number of examples, in CI) and bench/fuzz.py (a long
session by hand). The text strategies mix arbitrary Unicode (controls, bidi marks, joiners, combining
marks, unassigned code points) with the pieces the readers treat specially (note numbers, markers,
URLs, Markdown and YAML syntax), so that both the odd and the structural paths are reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hypothesis import strategies as st

from briefing.model import Document

# Characters that break naive text handling.
SPECIAL_CHARS = (
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi marks and overrides
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, (non-)joiners, word joiner, BOM
    "\u0301\u0308\u0327\u20dd\u0489\u1ab0"  # combining marks
    "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\u00a0\u3000\u2003"  # unusual whitespace and separators
    "\x01\x07\x1b\x7f\x9b"  # controls
    "\ufffd\uffff\U0001f600\U0001f469\u200d\U0001f52c\U000e0001"  # replacement, noncharacter, emoji, tag
)
NEWLINES = ("\n", "\r\n", "\r")
# Pieces the plain-text reader gives meaning to.
TEXT_PIECES = (
    "[1]", "[2]", "[12]", "[999]", "[1000]", "1", "2.", "3)", "[4]", " 5", ". 6", ".” 7", "https://example.org/a",
    "http://x.y/z.", "www.example.com/p?q=1,", "HTTPS://EXAMPLE.ORG", "https://a.b/c<d", "https://a.b/\"e\"",
    "Moscow-", "Baku", "—", "-", "/", ".", "?", "!", ":", ";", ",", "’s", "“", "”", "(", ")", "and", "&",
    "Sergey Markedonov", "Anar Valiyev", "The", "Heading", "Why Now?", "2020", "10 November 2020",
)
MARKDOWN_PIECES = (
    "# ", "## ", "> ", "- ", "* ", "1. ", "2) ", "    ", "```", "~~~", "---", "***", "___", "[^1]", "[^1]: ",
    "[^x]", "[^9999]", "[a](http://x.org)", "[a](javascript:alert(1))", "![i](x.png)", "<b>", "</p>", "<!--",
    "`code`", "*em*", "**strong**", "_u_", "|", "| a | b |\n|---|---|", "\\", "&amp;", "&#0;", "&#x110000;",
    "[ref]: http://x.org", "[ref]", "<http://x.org>", "title: x\n", "\n---\n",
)
YAML_PIECES = (
    ": ", "- ", "? ", "---", "...", "&a ", "*a", "!!str ", "!!int ", "!!binary ", "!!timestamp ",
    "!!python/name:os.system", "!foo ", "[", "]", "{", "}", ",", "'", "\"", "|", ">", "#", "%YAML 1.1", "<<: ",
    "2021-02-30", "2021-13-01", "title", "source", "id", "aliases", "0x1F", "1e999", ".nan", "~", "null", "yes", "\t",
)


def any_text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any Unicode except lone surrogates (which cannot be UTF-8 encoded), weighted to odd characters."""
    return st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=min_size, max_size=max_size),
        st.text(st.sampled_from(SPECIAL_CHARS), min_size=min_size, max_size=max_size),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), min_size=min_size, max_size=max_size),
    )


def _lines(pieces: Iterable[str], max_lines: int) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(tuple(pieces)), any_text(1, 12), st.just(" "), st.just("  "))
    line = st.one_of(
        st.lists(piece, max_size=14).map(lambda ps: " ".join(ps)),
        st.lists(piece, max_size=8).map("".join),
        st.just(""),
        st.sampled_from(("   ", "\t", " \u00a0 ", "\u3000")),  # lines with only spaces
        st.tuples(st.sampled_from(("word ", "Lorem ipsum. ", "x")), st.integers(200, 3000)).map(lambda t: t[0] * t[1]),
    )
    return st.tuples(
        st.lists(st.tuples(line, st.sampled_from(NEWLINES)), max_size=max_lines),
        st.booleans(),
    ).map(lambda t: ("\ufeff" if t[1] else "") + "".join(text + end for text, end in t[0]))


def plain_texts(max_lines: int = 40) -> st.SearchStrategy[str]:
    """Seeds for the plain-text reader: lines of words, markers, notes and URLs, any line ends, maybe a BOM."""
    return st.one_of(_lines(TEXT_PIECES, max_lines), any_text(0, 400))


def markdown_texts(max_lines: int = 40) -> st.SearchStrategy[str]:
    """Markdown seeds: block and inline syntax between arbitrary text, sometimes behind front matter."""
    body = _lines(MARKDOWN_PIECES + TEXT_PIECES, max_lines)
    front = _lines(YAML_PIECES, 6).map(lambda y: f"---\n{y}\n---\n")
    return st.one_of(body, st.tuples(front, body).map("".join), any_text(0, 400))


def yaml_texts(max_lines: int = 30) -> st.SearchStrategy[str]:
    return st.one_of(_lines(YAML_PIECES, max_lines), any_text(0, 300))


def encoded(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """UTF-8 bytes of the texts, sometimes with a byte flipped (invalid UTF-8, a NUL)."""
    return st.one_of(
        texts.map(lambda t: t.encode("utf-8")),
        st.tuples(texts, st.integers(0, 10_000), st.integers(0, 255)).map(_flip),
        st.binary(max_size=300),
    )


def _flip(t: tuple[str, int, int]) -> bytes:
    data = bytearray(t[0].encode("utf-8"))
    if data:
        data[t[1] % len(data)] = t[2]
    return bytes(data)


# --- the word oracle --------------------------------------------------------------------------------

# The input grammar the reader documents (module docstring of briefing/sources/text.py and DESIGN.md):
# a marker is [n] (1-3 digits) anywhere, or a bare 1-3 digit number at a line end; a note starts with
# n, n., n) or [n] at the start of a line; a URL starts with http://, https:// or www. and runs to a
# space or one of < > " “ ”, less trailing punctuation. Everything else is a word the reader must keep.
BRACKET_MARKER = re.compile(r"\[\d{1,3}\]")
NUMBER_TOKEN = re.compile(r"\d{1,3}[.)]?")
URL_START = re.compile(r"https?://|www\.", re.IGNORECASE)
URL_END = re.compile(r"[<>\"“”]")
URL_TRAILING = ".,;:)]”’\"'"
BYLINE_SEPARATORS = re.compile(r"^(?:,|&|and)$")


def normalised(text: str) -> str:
    """The decoded text as DESIGN.md specifies it: one leading BOM dropped, CRLF and CR as LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def kept_text(doc: Document) -> str:
    """Everything the reader keeps, one part per line (a word cannot straddle two parts)."""
    parts = [s.heading or "" for s in doc.sections]
    parts += [p.text for p in doc.paragraphs()]
    parts += [n.text for n in doc.footnotes if n.text]
    parts += [*list(doc.byline), doc.bio or "", *list(doc.links)]
    return "\n".join(parts)


def split_urls(word: str) -> tuple[list[str], list[str]]:
    """A whitespace-free word -> (its pieces outside URLs, its URLs less trailing punctuation)."""
    texts: list[str] = []
    urls: list[str] = []
    pos = 0
    while (m := URL_START.search(word, pos)) is not None:
        end_match = URL_END.search(word, m.end())
        end = end_match.start() if end_match else len(word)
        if end == m.end():  # a bare "https://" or "www." with nothing after it is text
            texts.append(word[pos:end])
            pos = end
            continue
        texts.append(word[pos:m.start()])
        urls.append(word[m.start():end].rstrip(URL_TRAILING))
        pos = end
    texts.append(word[pos:])
    return [t for t in texts if t], urls


def required_words(text: str, doc: Document) -> list[str]:
    """Words of ``text`` (already normalised) that must appear in ``kept_text(doc)``.

    A word loses its ``[n]`` markers; a 1-3 digit number (with . or )) may vanish at the start of a
    line (a note number) or at its end (a bare marker); a URL may leave the text for ``doc.links``
    (checked apart, by ``missing_links``), but what is around it in the same word stays. On the
    byline's lines (when the reader found a byline) the separators ", & and" may go.
    """
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    byline = " ".join(first.split()) if doc.byline else None
    required: list[str] = []
    for line in lines:
        words = line.split()
        on_byline = byline is not None and " ".join(words) == byline
        for j, word in enumerate(words):
            pieces, _ = split_urls(BRACKET_MARKER.sub("", word))
            for piece in pieces:
                if NUMBER_TOKEN.fullmatch(piece) and j in (0, len(words) - 1):
                    continue
                if on_byline:
                    piece = piece.rstrip(",")
                    if not piece or BYLINE_SEPARATORS.match(piece):
                        continue
                required.append(piece)
    return required


def expected_links(text: str) -> list[str]:
    """Every URL in the text by the grammar above."""
    return [url for word in text.split() for url in split_urls(word)[1]]


def missing_words(text: str, doc: Document) -> list[str]:
    """Required words found neither as a word of the kept text nor inside one (a joined "Moscow-Baku").

    Markers are taken out of the kept text too: required words have lost theirs, while a reader may
    rightly keep a ``[n]`` it did not take for a marker (inside a note's own text, say).
    """
    kept = BRACKET_MARKER.sub("", kept_text(doc))
    words = set(kept.split())
    return [w for w in required_words(text, doc) if w not in words and w not in kept]


def missing_links(text: str, doc: Document) -> list[str]:
    return [u for u in expected_links(text) if u not in doc.links]
