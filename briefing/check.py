"""The project folder -> a report of errors, warnings and coverage notes, each at path:line (writes nothing).

Errors are what stops a build (schemas, references, templates) plus internal links that lead nowhere;
warnings are problems a build tolerates (a footnote marker without its note, a note never cited, a
``links`` phrase the text never uses, a seed without metadata); notes are the coverage reports an
editor works through (capitalised names the actor index misses, aliases that match nothing, dates
that match no event). Notes never change the exit status.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefing.errors import SourceError, SourceErrors, fail, warn
from briefing.index.actors import build_matcher, unindexed_names, unmatched_aliases
from briefing.index.crossref import Index, targets
from briefing.index.timeline import unmatched_dates
from briefing.model import Briefing, DateMention, Document, Span
from briefing.sources.content import Inputs
from briefing.sources.files import read_source
from briefing.sources.yamldoc import parse_yaml, validate

EXIT_OK, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2
_WORD = re.compile(r"[^\W_]+")
# Files the search indexer adds after rendering: links to them cannot be checked in memory.
GENERATED_LATER = ("pagefind/",)


@dataclass(frozen=True, slots=True, order=True)
class Note:
    """A coverage finding: informative, never a failure."""

    path: str
    line: int
    message: str

    def headline(self) -> str:
        return f"{self.path}:{self.line}: note: {self.message}"


@dataclass(frozen=True, slots=True)
class Report:
    errors: tuple[SourceError, ...]
    warnings: tuple[SourceError, ...]
    notes: tuple[Note, ...]

    def status(self, strict: bool) -> int:
        if self.errors:
            return EXIT_ERRORS
        return EXIT_WARNINGS if strict and self.warnings else EXIT_OK


def run_check(root: Path, strict: bool = False, quiet: bool = False, verbose: bool = False) -> int:
    """Print the report for the project at ``root``; return the exit status (0, 1 with --strict, 2)."""
    report = check_project(root)
    for e in report.errors:
        print(e, file=sys.stderr)
    if not quiet:
        for w in report.warnings:
            print(w.headline(), file=sys.stderr)
        for n in report.notes:
            print(n.headline())
        print(f"check: {_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}, "
              f"{_count(report.notes, 'coverage note')}")
    return report.status(strict)


def _count(items: tuple[object, ...], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def check_project(root: Path) -> Report:
    """Validate everything a build reads and renders, without writing anything."""
    from briefing.pipeline import Options, open_store, prepare, render, settings_for

    options = Options(root, root / "_site", search=False)
    try:
        inputs, index, plan = prepare(options, open_store(options))
        files = render(options, plan)
    except SourceErrors as exc:
        return Report(exc.errors, (), ())
    except SourceError as exc:
        return Report((exc,), (), ())
    base_path = settings_for(inputs, options).base_path
    errors = sorted(check_links(files, base_path), key=SourceError.sort_key)
    warnings = [*inputs.warnings, *check_footnotes(inputs.briefings), *check_link_phrases(root, inputs.briefings)]
    notes = sorted(coverage(root, inputs, index))
    return Report(tuple(errors), tuple(sorted(warnings, key=SourceError.sort_key)), tuple(notes))


# --- seed locations ------------------------------------------------------------------------------


def locate(document: Document, span: Span, text: str, offset: int) -> tuple[int, int]:
    """The seed line and column where the word at ``text[offset]`` (or the one before) came from.

    A paragraph's text joins its lines, so the word at ``offset`` is looked up in the span's lines:
    if it is the k-th occurrence of that word in the text, the k-th whole-word occurrence in the lines
    is the place. Falls back to the span's first line (a word hyphenated across lines, say).
    """
    words = list(_WORD.finditer(text))
    before = [w for w in words if w.start() <= offset]  # the word at offset, else the nearest before it
    at = before[-1] if before else (words[0] if words else None)
    if at is None:
        return span.line, span.col
    k = sum(1 for w in words if w.group() == at.group() and w.start() < at.start())
    lines = document.text.split("\n")
    pattern = re.compile(rf"(?<![^\W_]){re.escape(at.group())}(?![^\W_])")
    for number in range(span.line, min(span.end_line, len(lines)) + 1):
        for match in pattern.finditer(lines[number - 1]):
            if k == 0:
                return number, match.start() + 1
            k -= 1
    return span.line, span.col


def _target_span(briefing: Briefing, target: str) -> Span | None:
    doc = briefing.document
    if target.startswith("p"):
        return next((p.span for p in doc.paragraphs() if p.id == target), None)
    if target.startswith("fn"):
        return next((n.span for n in doc.footnotes if f"fn{n.number}" == target), None)
    return doc.bio_span if target == "bio" else None


def _where(briefing: Briefing, target: str, text: str, offset: int) -> tuple[str, int]:
    doc = briefing.document
    # Without a span of its own (the byline), the target's words are looked up in the whole seed.
    span = _target_span(briefing, target) or Span(doc.source, 1, 1, doc.text.count("\n") + 1)
    return span.path, locate(doc, span, text, offset)[0]


# --- footnotes and link phrases ------------------------------------------------------------------


def check_footnotes(briefings: Sequence[Briefing]) -> Iterator[SourceError]:
    """A marker whose note the source never gives; a note no marker cites (nor the byline)."""
    for b in briefings:
        doc = b.document
        for p in doc.paragraphs():
            for ref in p.footnotes:
                note = next((n for n in doc.footnotes if n.number == ref.number), None)
                if note is None or note.text is None:
                    line, _ = locate(doc, p.span, p.text, max(ref.offset - 1, 0))
                    yield warn(p.span.path, line, f"footnote marker [{ref.number}] has no note in the source")
        for n in doc.footnotes:
            if n.text is not None and not n.cited_in and n.attached_to == "body":
                span = n.span
                yield warn(span.path if span else doc.source, span.line if span else 1,
                           f"footnote {n.number} is never cited in the text")


def check_link_phrases(root: Path, briefings: Sequence[Briefing]) -> Iterator[SourceError]:
    """Each ``links`` phrase of a briefing's metadata must occur in its text (else the URL is lost)."""
    for b in briefings:
        if not b.meta.links:
            continue
        texts = [t for _, t in targets(b)]
        label = b.meta.span.path if b.meta.span else f"content/briefings/{b.slug}.yaml"
        lines = _lines(root / label)
        for phrase, _url in b.meta.links:
            if not any(phrase in t for t in texts):
                yield warn(label, _line_of(lines, phrase, 1), f"links phrase {phrase!r} does not occur in the text")


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: Sequence[str], needle: str, start: int) -> int:
    """First line at or after ``start`` containing ``needle`` (else ``start``): YAML keeps phrases on one line."""
    for number in range(max(start, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return start


# --- internal links ------------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """Collects ids and the (line, URL) of every href/src in one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in ("href", "src") and not (tag == "link" and ("rel", "canonical") in attrs):
                self.links.append((self.getpos()[0], value))


def check_links(files: Mapping[str, bytes], base_path: str = "/") -> Iterator[SourceError]:
    """Every href/src in the HTML pages must name a planned file, and its #fragment an id there.

    Relative links resolve against the page; absolute paths (404.html uses them, as it is served at
    any depth) must start with ``base_path``, the path of the site's base URL.
    """
    pages = {path: _parse(data) for path, data in files.items() if path.endswith(".html")}
    for path, page in sorted(pages.items()):
        for line, url in page.links:
            problem = _broken(path, url, files, pages, base_path)
            if problem:
                yield fail(path, line, 1, f"{problem} (in the rendered page)")


def _parse(data: bytes) -> _Anchors:
    parser = _Anchors()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return parser


def _broken(page: str, url: str, files: Mapping[str, bytes], pages: Mapping[str, _Anchors], base: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # another host or a scheme (mailto:, data:): not ours to resolve
    if parts.path.startswith("/"):
        if not parts.path.startswith(base):
            return f"link {url!r} leaves the site's path {base!r}"
        target = parts.path[len(base):]
    else:
        joined = posixpath.join(posixpath.dirname(page), unquote(parts.path))
        target = posixpath.normpath(joined) if parts.path else page
    if parts.path.endswith("/") or target in (".", ""):
        target = posixpath.join(target, "index.html") if target not in (".", "") else "index.html"
    if target.startswith(GENERATED_LATER):
        return None
    if target not in files:
        if posixpath.join(target, "index.html") in files:
            return None
        return f"link {url!r} leads to {target!r}, which the site does not have"
    if parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
        return f"link {url!r}: {target!r} has no element with id {parts.fragment!r}"
    return None


# --- coverage ------------------------------------------------------------------------------------


def reviewed_not_actors(root: Path) -> frozenset[str]:
    """``content/not-actors.yaml``: capitalised words an editor has ruled out as actors (optional)."""
    path = root / "content" / "not-actors.yaml"
    if not path.exists():
        return frozenset()
    doc = parse_yaml(read_source(path, "content/not-actors.yaml"))
    validate(doc, "not-actors")
    return frozenset(doc.data or ())


def coverage(root: Path, inputs: Inputs, index: Index) -> Iterator[Note]:
    """Names the actor index misses, aliases that match nothing, dates that match no event."""
    matcher = build_matcher(inputs.actors)
    reviewed = reviewed_not_actors(root)
    for b in inputs.briefings:
        seen: set[str] = set(reviewed)
        for target, text in targets(b):
            for name, offset in unindexed_names(matcher, text):
                if name not in seen:  # the first place per briefing is enough to act on
                    seen.add(name)
                    path, line = _where(b, target, text, offset)
                    yield Note(path, line, f"name not in the actor index: {name!r}")
        yield from _unmatched_dates(b, index, inputs)
    texts = [text for b in inputs.briefings for _, text in targets(b)]
    actors = {a.id: a for a in inputs.actors}
    lines = _lines(root / "content" / "actors.yaml")
    for actor_id, alias in unmatched_aliases(matcher, texts):
        # Display names and the other side's names need not occur; an alias that only occurs inside
        # a longer name of the same actor ("CAST" in "… Technologies (CAST)") is still in use.
        if alias not in actors[actor_id].aliases or any(alias in t for t in texts):
            continue
        span = actors[actor_id].span
        start = span.line if span else 1
        path = span.path if span else "content/actors.yaml"
        yield Note(path, _line_of(lines, alias, start), f"alias {alias!r} of actor {actor_id!r} matches no text")


def _unmatched_dates(b: Briefing, index: Index, inputs: Inputs) -> Iterator[Note]:
    """Date mentions that link no event, unless the paragraph already links an event (by a phrase)
    whose dates overlap the mention: "the early 1990s" beside "Popular Front … Elchibey" is covered."""
    found = index.of(b.slug)
    by_paragraph: dict[str, list[DateMention]] = {}
    for target, mention in found.dates:
        by_paragraph.setdefault(target, []).append(mention)
    events = {e.id: e for e in inputs.events}
    linked: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for p in found.passages:
        e = events.get(p.event)
        if e is not None:
            spans = [(e.date.first_day(), (e.end or e.date).last_day())]
            spans += [(d.first_day(), d.last_day()) for d in e.also_dated]
            linked.setdefault(p.paragraph, []).extend(spans)
    texts = dict(targets(b))
    for target, mention in unmatched_dates(inputs.events, by_paragraph):
        first, last = mention.date.first_day(), (mention.until or mention.date).last_day()
        if any(a <= last and first <= z for a, z in linked.get(target, ())):
            continue
        path, line = _where(b, target, texts.get(target, ""), mention.start)
        until = f"–{mention.until.iso()}" if mention.until else ""
        yield Note(path, line, f"date {mention.text!r} ({mention.date.iso()}{until}) matches no timeline event")
