"""Small text rules shared by the readers: joining wrapped lines, sentence ends, headings, names, ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import Literal

SPACES = re.compile(r"[ \t\u00a0]+")
# A line that ends in one of these joins the next line without a space ("Moscow-" + "Baku").
JOINING_ENDS = ("-", "\u2010", "\u2011", "\u2013", "\u2014", "/")
# A paragraph may end in a colon (a list follows); never in a semicolon, so "…;" at a page end goes on.
SENTENCE_END = re.compile(r"[.?!…:][\"”’'»)\]]*$")
SENTENCE_MARKS = ".?!…:"  # SENTENCE_END's two parts, for the fast check in ``finished``
SENTENCE_CLOSERS = "\"”’'»)]"
HEADING_BAD_END = re.compile(r"[.,;:\-–—]$")
# A sentence ending inside the line ("Yes. Why not?"): a paragraph, not a heading. "U.S. Policy" is not one.
INNER_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)”’\"])[.!?…][\"”’)\]]*\s+\S")
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|de|da|del|der|van|von|al|bin|ibn|la|le)$")
NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*")
RESERVED_ID = re.compile(r"^(?:p|fn|fnref|L)\d+$|^(?:bio|byline|notes|contents|top)$")
MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 16


def squash(text: str) -> str:
    """Trim and collapse runs of spaces and tabs to one space."""
    if "  " in text or "\t" in text or "\u00a0" in text:
        return SPACES.sub(" ", text).strip()
    return text.strip()  # nothing to collapse: the regex would replace each single space by itself


def join_lines(lines: Sequence[str]) -> str:
    """Join wrapped lines into one: a single space, or none after a hyphen or dash that ends a word (kept)."""
    return join_squashed([squash(raw) for raw in lines])


def join_squashed(lines: Sequence[str]) -> str:
    """``join_lines`` of lines already squashed (callers that need the squashed lines too squash once)."""
    out = ""
    for line in lines:
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith(JOINING_ENDS) and not out[-2:-1].isspace():
            out += line  # "Moscow-" + "Baku"; a spaced dash ("twice —") keeps its space
        else:
            out += " " + line
    return out


def finished(text: str) -> bool:
    """Does the text end like a sentence (so a following block starts a new paragraph)?"""
    # SENTENCE_END at the end, without a regex scan of the whole text: closers off, then the end mark.
    core = text.rstrip().rstrip(SENTENCE_CLOSERS)
    return core != "" and core[-1] in SENTENCE_MARKS


def looks_like_heading(line: str) -> bool:
    """A short line starting with a capital (or digit/quote) that does not end like a sentence
    and has no sentence end inside. ``?`` and ``!`` are allowed at the end ("What Comes Next?").
    """
    text = squash(line)
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if "://" in text or "www." in text:
        return False  # a heading never carries a web address; a note may
    first = text[0]
    if not (first.isupper() or first.isdigit() or first in "\"“‘'("):
        return False
    return not HEADING_BAD_END.search(text) and not INNER_SENTENCE_END.search(text)


def name_parts(line: str) -> tuple[str, ...]:
    """Split a byline into names if every part looks like a personal name, else ()."""
    if any(ch.isdigit() for ch in line) or finished(line) or len(line) > 120:
        return ()
    names = tuple(p for p in NAME_SPLIT.split(squash(line)) if p)
    for name in names:
        words = name.split()
        if not 2 <= len(words) <= 5 or not all(NAME_WORD.match(w) for w in words):
            return ()
    return names


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def section_ids(headings: Sequence[str | None]) -> tuple[str, ...]:
    """Unique anchors for sections: a slug of the heading, "opening" for an untitled start."""
    ids: list[str] = []
    used: set[str] = set()
    for index, heading in enumerate(headings, start=1):
        if heading is None:
            base = "opening" if index == 1 else f"section-{index}"
        else:
            base = slugify(heading)[:60].strip("-") or f"section-{index}"
        if RESERVED_ID.match(base):
            base = f"section-{base}"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids.append(candidate)
    return tuple(ids)


def note_place(
    number: int, text: str | None, cited: Collection[int], given: Collection[int], byline: Sequence[str]
) -> Literal["body", "byline"]:
    """Where a note belongs: an uncited note that is the lowest given and comes before the first marker,
    or that starts with an author's name, is the author note of the byline; every other note is the body's."""
    if number in cited or text is None:
        return "body"
    lowest = number == min(given, default=number) and (not cited or number < min(cited))
    return "byline" if lowest or any(text.startswith(name) for name in byline) else "body"
