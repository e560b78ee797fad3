"""Event matcher: timeline events and dated paragraphs -> the passages that link each event to a paragraph."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import ahocorasick

from briefing.model import DateMention, Event, FuzzyDate, Passage

Precision = Literal["year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")  # coarse to fine
_APOSTROPHES = {"’": "'", "‘": "'", "ʼ": "'"}
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace but the plain space (``\s`` is ``str.isspace``)
_CAPITAL_SIGMA = "Σ"

ParagraphDates = tuple[str, str, tuple[DateMention, ...]]  # paragraph id, text, the dates found in it


@dataclass(frozen=True, slots=True)
class _Target:
    """One date an event can be found by: its own date (or range), or one of its ``also_dated``."""

    event: Event
    first: dt.date
    last: dt.date
    precision: Precision  # the coarser of its two ends
    ends: tuple[FuzzyDate, FuzzyDate] | None  # set for ranges only


@dataclass(frozen=True, slots=True)
class DateIndex:
    """Events by date key, so a mention looks up its events instead of scanning them all.

    ``by_unit`` maps every year, month or day a target covers (at the target's precision) to the
    targets; ``by_span`` maps a range's two ends, cut to each coarser precision, to the range targets.
    """

    by_unit: Mapping[FuzzyDate, tuple[_Target, ...]]
    by_span: Mapping[tuple[FuzzyDate, FuzzyDate], tuple[_Target, ...]]


@dataclass(frozen=True, slots=True)
class _PhraseIndex:
    automaton: ahocorasick.Automaton | None  # over normalised phrases; None when no event has phrases
    events: Mapping[str, tuple[Event, ...]]  # normalised phrase -> the events it names


@dataclass(frozen=True, slots=True)
class EventMatcher:
    """The events with their date index and phrase automaton: build once with ``build_event_matcher``,
    reuse for every briefing (building them costs more than matching one briefing)."""

    events: tuple[Event, ...]
    dates: DateIndex = field(compare=False, repr=False)
    phrases: _PhraseIndex = field(compare=False, repr=False)


def build_event_matcher(events: Sequence[Event]) -> EventMatcher:
    return EventMatcher(tuple(events), index_dates(events), _index_phrases(events))


def _built(events: EventMatcher | Sequence[Event]) -> EventMatcher:
    """``events`` itself when already built, else built from the sequence of events."""
    return events if isinstance(events, EventMatcher) else build_event_matcher(events)


def match_events(
    events: EventMatcher | Sequence[Event], briefing: str, paragraphs: Sequence[ParagraphDates]
) -> tuple[Passage, ...]:
    """Link events to paragraphs by the dates found in them and by each event's ``phrases``.

    Returns one passage per (event, paragraph, matching date or phrase), sorted by event date, event id,
    paragraph order, then position. Cost is linear in paragraphs × mentions plus the text length (plus
    building the matcher when given a plain sequence of events).
    """
    matcher = _built(events)
    found: dict[tuple[str, str, int, int], tuple[tuple[object, ...], Passage]] = {}
    for order, (paragraph_id, text, mentions) in enumerate(paragraphs):
        for mention in mentions:
            for event in events_at(matcher.dates, mention):
                _keep(found, event, order, Passage(event.id, briefing, paragraph_id, *_where(mention)))
        for event, start, end in _phrase_matches(matcher.phrases, text):
            _keep(found, event, order, Passage(event.id, briefing, paragraph_id, start, end, text[start:end]))
    return tuple(passage for _, passage in sorted(found.values(), key=lambda kv: kv[0]))


def unmatched_dates(
    events: EventMatcher | Sequence[Event], date_mentions_by_paragraph: Mapping[str, Sequence[DateMention]]
) -> tuple[tuple[str, DateMention], ...]:
    """The date mentions (with their paragraph id) that link to no event, in paragraph order."""
    index = events.dates if isinstance(events, EventMatcher) else index_dates(events)
    return tuple(
        (paragraph_id, mention)
        for paragraph_id, mentions in date_mentions_by_paragraph.items()
        for mention in mentions
        if not events_at(index, mention)
    )


def index_dates(events: Sequence[Event]) -> DateIndex:
    """Index every event's dates by the years, months or days they cover."""
    by_unit: dict[FuzzyDate, list[_Target]] = {}
    by_span: dict[tuple[FuzzyDate, FuzzyDate], list[_Target]] = {}
    for event in events:
        for target in _targets(event):
            for unit in _units(target.first, target.last, target.precision):
                by_unit.setdefault(unit, []).append(target)
            if target.ends is not None:
                for precision in PRECISIONS[: _rank(target.precision) + 1]:
                    key = (truncate(target.ends[0], precision), truncate(target.ends[1], precision))
                    by_span.setdefault(key, []).append(target)
    return DateIndex({k: tuple(v) for k, v in by_unit.items()}, {k: tuple(v) for k, v in by_span.items()})


def events_at(index: DateIndex, mention: DateMention) -> tuple[Event, ...]:
    """The events a date mention links, each once, in index order.

    A single date links the targets that contain it when it is at least as precise as the target
    (a day inside a month-precision event links; a month never links a day-precision event), and of
    those only the most specific ones: "10 November 2020" links the events of that day, not also the
    weeks-long war around it. A range ("the early 1990s", "November–December 2020") links only a range
    event whose two ends agree with it at the mention's precision — overlap alone says too little.
    """
    first = mention.date.first_day()
    last = (mention.until or mention.date).last_day()
    precision = _coarser(mention.date.precision, (mention.until or mention.date).precision)
    if mention.until is not None:
        span = (truncate(mention.date, precision), truncate(mention.until, precision))
        return tuple({t.event.id: t.event for t in index.by_span.get(span, ())}.values())
    found: dict[str, tuple[int, Event]] = {}
    for coarse in PRECISIONS[: _rank(precision) + 1]:
        for unit in _units(first, last, coarse):
            for target in index.by_unit.get(unit, ()):
                if _links(target, first, last, is_range=False):
                    width = (target.last - target.first).days
                    best = found.get(target.event.id)
                    if best is None or width < best[0]:
                        found[target.event.id] = (width, target.event)
    narrowest = min((width for width, _ in found.values()), default=0)
    return tuple(event for width, event in found.values() if width == narrowest)


def truncate(date: FuzzyDate, precision: Precision) -> FuzzyDate:
    """``date`` cut to ``precision`` (never made finer)."""
    if precision == "year" or date.month is None:
        return FuzzyDate(date.year)
    if precision == "month" or date.day is None:
        return FuzzyDate(date.year, date.month)
    return date


# --- dates --------------------------------------------------------------------------------------


def _targets(event: Event) -> Iterator[_Target]:
    end = event.end or event.date
    ends = (event.date, end) if event.end is not None else None
    precision = _coarser(event.date.precision, end.precision)
    yield _Target(event, event.date.first_day(), end.last_day(), precision, ends)
    for other in event.also_dated:
        yield _Target(event, other.first_day(), other.last_day(), other.precision, None)


def _links(target: _Target, first: dt.date, last: dt.date, *, is_range: bool) -> bool:
    # Lookup keys are at the target's precision and never finer than the mention's, so only the
    # exact bounds remain to check: containment for a single date, overlap for a range.
    if is_range:
        return first <= target.last and target.first <= last
    return target.first <= first and last <= target.last


def _units(first: dt.date, last: dt.date, precision: Precision) -> Iterator[FuzzyDate]:
    """Every year, month or day from ``first`` to ``last`` as a key of that precision."""
    if precision == "year":
        yield from (FuzzyDate(y) for y in range(first.year, last.year + 1))
    elif precision == "month":
        for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
            yield FuzzyDate(index // 12, index % 12 + 1)
    else:
        for ordinal in range(first.toordinal(), last.toordinal() + 1):
            day = dt.date.fromordinal(ordinal)
            yield FuzzyDate(day.year, day.month, day.day)


def _rank(precision: Precision) -> int:
    return PRECISIONS.index(precision)


def _coarser(a: Precision, b: Precision) -> Precision:
    return a if _rank(a) <= _rank(b) else b


def _where(mention: DateMention) -> tuple[int, int, str]:
    return mention.start, mention.end, mention.text


# --- phrases ------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Lower case, straight apostrophes and plain spaces, keeping every character's position."""
    straight = _straighten(text)
    lower = straight.lower()
    # The whole-string lower case is the per-character one unless a character grew ("İ" -> "i̇") or a
    # capital sigma is there: only its lower case depends on the context (final "ς" or "σ").
    if len(lower) != len(straight) or _CAPITAL_SIGMA in straight:
        return _normalise_each(straight)
    if lower.isprintable():  # every whitespace character but the plain space is unprintable
        return lower
    return _OTHER_SPACE.sub(" ", lower)  # no character changes its space-ness with its case


def _normalise_each(text: str) -> str:
    """``_normalise`` by definition, one character at a time (after straightening the apostrophes)."""
    return "".join(_fold(c) for c in text)


def _straighten(text: str) -> str:
    for curly, straight in _APOSTROPHES.items():
        text = text.replace(curly, straight)
    return text


def _fold(char: str) -> str:
    if char.isspace():
        return " "
    lower = char.lower()
    return lower if len(lower) == 1 else char  # "İ".lower() is two characters: keep offsets aligned


def _index_phrases(events: Sequence[Event]) -> _PhraseIndex:
    by_phrase: dict[str, list[Event]] = {}
    for event in events:
        for phrase in event.phrases:
            key = _normalise(" ".join(phrase.split()))
            if key and event not in by_phrase.setdefault(key, []):
                by_phrase[key].append(event)
    if not by_phrase:
        return _PhraseIndex(None, {})
    automaton = ahocorasick.Automaton()
    for key in by_phrase:
        automaton.add_word(key, key)
    automaton.make_automaton()
    return _PhraseIndex(automaton, {k: tuple(v) for k, v in by_phrase.items()})


def _phrase_matches(index: _PhraseIndex, text: str) -> Iterator[tuple[Event, int, int]]:
    """Whole-word occurrences of any phrase; one inside a longer match for the same event is dropped."""
    if index.automaton is None:
        return
    hits: list[tuple[Event, int, int]] = []
    for last, key in index.automaton.iter(_normalise(text)):
        start, end = last - len(key) + 1, last + 1
        if _is_word_edge(text, start - 1, start) and _is_word_edge(text, end, end - 1):
            hits.extend((event, start, end) for event in index.events[key])
    yield from (hit for hit in hits if not any(_inside(hit, other) for other in hits))


def _inside(hit: tuple[Event, int, int], other: tuple[Event, int, int]) -> bool:
    """``hit`` lies within a longer match ``other`` for the same event."""
    (event, start, end), (other_event, other_start, other_end) = hit, other
    longer = other_start <= start and end <= other_end and (start, end) != (other_start, other_end)
    return longer and event.id == other_event.id


def _is_word_edge(text: str, outside: int, inside: int) -> bool:
    """No word continues across the edge: the outside character is absent or not part of a word."""
    if outside < 0 or outside >= len(text):
        return True
    return not (_is_word_char(text[outside]) and _is_word_char(text[inside]))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _keep(
    found: dict[tuple[str, str, int, int], tuple[tuple[object, ...], Passage]],
    event: Event,
    order: int,
    passage: Passage,
) -> None:
    key = (event.id, passage.paragraph, passage.start, passage.end)
    sort_key = (_date_key(event.date), event.id, order, passage.start, passage.end)
    found.setdefault(key, (sort_key, passage))


def _date_key(date: FuzzyDate) -> tuple[int, int, int]:
    # FuzzyDate's own ordering compares None with int for mixed precisions; 0 sorts a year before its months.
    return (date.year, date.month or 0, date.day or 0)
