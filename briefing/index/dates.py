"""Date finder: a paragraph's text -> the date expressions in it, each resolved to a date or a date range."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from briefing.model import DateMention, FuzzyDate

MIN_YEAR = 1000
MAX_YEAR = 2100

# (number, full name, abbreviations). Only these tables name months; every pattern is built from them.
MONTHS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "January", ("Jan",)),
    (2, "February", ("Feb",)),
    (3, "March", ("Mar",)),
    (4, "April", ("Apr",)),
    (5, "May", ()),
    (6, "June", ("Jun",)),
    (7, "July", ("Jul",)),
    (8, "August", ("Aug",)),
    (9, "September", ("Sept", "Sep")),
    (10, "October", ("Oct",)),
    (11, "November", ("Nov",)),
    (12, "December", ("Dec",)),
)

# Parts of a decade that "early", "mid" and "late" cover (first and last year digit).
DECADE_PARTS: tuple[tuple[str, int, int], ...] = (("early", 0, 3), ("mid", 4, 6), ("late", 7, 9))

# Words that, right after a four-digit number, make it a count or a measure rather than a year.
_COUNT_WORDS_TEXT = """
soldiers troops servicemen personnel people persons men women children civilians residents refugees
casualties deaths dead victims killed wounded votes voters members households families homes houses
buildings villages vehicles tanks units km kilometres kilometers miles metres meters m kg tons tonnes
hectares ha dollars euros rubles roubles manat usd eur rub p pp pages words cases times hours minutes
days weeks months years
"""
COUNT_WORDS = frozenset(_COUNT_WORDS_TEXT.split())

_FULL = "|".join(name for _, name, _ in MONTHS)
_ABBR = "|".join(sorted((a for _, _, abbrs in MONTHS for a in abbrs), key=len, reverse=True))
# An abbreviation may carry its full stop; a full name never swallows the sentence's full stop.
_MONTH = rf"(?:(?:{_FULL})\b|(?:{_ABBR})(?:\.|\b))"
_DAY = r"[0-3]?\d(?!\d)(?:st|nd|rd|th)?\b"
_YEAR = r"\d{4}(?![\w%]|[.,]\d)"
_DASH = r"\s*[-–—]\s*"
_QUAL = r"(?:(?P<q>[Ee]arly|[Mm]id|[Ll]ate)(?:\s+|-))"
_START = r"(?<![\w.,])"  # not inside a word or a number such as 1,960 or 53.91
_CUES = "in|of|since|until|till|by|from|during|before|after|through|throughout|circa|c\\.|ca\\."

_DAY_FIRST = re.compile(
    rf"{_START}(?P<d1>{_DAY})(?:(?:\s+(?P<m1>{_MONTH}))?{_DASH}(?P<d2>{_DAY}))?"
    rf"\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"
)
_MONTH_FIRST = re.compile(
    rf"{_START}(?P<m>{_MONTH})\s+(?P<d1>{_DAY})(?![.,]\d)"
    rf"(?:{_DASH}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY})(?![.,]\d))?(?:,?\s+(?P<y>{_YEAR}))?"
)
_MONTH_RANGE = re.compile(
    rf"{_START}{_QUAL}?(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?(?:{_DASH}|\s+(?:to|until|till|through)\s+)"
    rf"(?P<m2>{_MONTH})(?:(?:(?:\s+[a-z]+)?\s+of)?\s+(?P<y>{_YEAR}))?"
)
_MONTH_YEAR = re.compile(rf"{_START}{_QUAL}?(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})")
_BARE_MONTH = re.compile(rf"(?:\b(?P<cue>(?i:{_CUES}))\s+)?{_QUAL}?(?P<m>(?:{_FULL})\b)")
_DECADE = re.compile(rf"{_START}{_QUAL}?(?P<dec>\d{{3}}0)(?P<apos>['’])?s\b")
_ISO = re.compile(r"(?<![\w/.,-])(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)(?![\w/-]|[.,]\d)")
_YEAR_RANGE = re.compile(
    rf"(?:\b(?P<conn>[Ff]rom|[Bb]etween)\s+)?(?<![\w.,/])(?P<y1>\d{{4}})"
    rf"(?:{_DASH}|\s+(?P<word>to|and|until|till|through)\s+)(?P<y2>\d{{4}}|\d\d)(?![\w%]|[.,]\d)"
)
_BARE_YEAR = re.compile(rf"{_QUAL}?\b(?P<y>\d{{4}})\b")
_RELATIVE = re.compile(r"(?<![Tt]he\s)\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+year\b")
_MASK = re.compile(  # URLs and e-mail addresses: their digits are never dates
    r"(?<![\w.])(?:[a-z][a-z0-9+.-]*://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)

# Context that makes a bare four-digit number read as a year.
_YEAR_CUE_BEFORE = re.compile(rf"\b(?i:{_CUES}|the|year|spring|summer|autumn|fall|winter)\s+$")
_LIST_BEFORE = re.compile(r"\d{4}s?(?:,\s*|,?\s+(?:and|or)\s+)$")
_OPEN_BEFORE = re.compile(r"(?:[(\[.;:!?]\s*|,\s+)$")
_CLOSE_AFTER = re.compile(r"\s*(?:[.,;:!?)\]]|$)")
_NOT_YEAR_AFTER = re.compile(r"\s*%|[.,:/]\d|-[^\W\d_]")
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?i:no|nos|nr|p|pp|pages?|art|article|vol|ch|chapter|section|para|number|memo)\.?|[§#№])\s*$"
)
_WORD = re.compile(r"[^\W\d_]+")

Parts = tuple[int | None, int | None, int | None]  # year (None: from context), month, day


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A matched expression before its missing year is filled in from the context."""

    start: int
    end: int
    first: Parts
    last: Parts | None = None  # the end of a range
    names_year: bool = False  # a year is written (or "last year"): later year-less dates take it


Rule = Callable[[re.Match[str], str, int | None], _Candidate | None]


def find_dates(
    text: str, *, default_year: int | None, publication_year: int | None
) -> tuple[DateMention, ...]:
    """Find every date expression in ``text``, in order and without overlaps.

    A date written without a year takes the year of the nearest preceding date in ``text`` that names
    one, else ``default_year``, else ``publication_year``; "last year" and "this year" count from
    ``publication_year``. Expressions that cannot be resolved, or name impossible days, are skipped.
    Never raises.
    """
    return _find(text, default_year, publication_year)[0]


def find_dates_in_order(
    texts: Iterable[str], *, publication_year: int | None
) -> tuple[tuple[DateMention, ...], ...]:
    """``find_dates`` over consecutive paragraphs; each defaults to the last year named before it."""
    found: list[tuple[DateMention, ...]] = []
    year: int | None = None
    for text in texts:
        mentions, year = _find(text, year, publication_year)
        found.append(mentions)
    return tuple(found)


def _find(
    text: str, default_year: int | None, publication_year: int | None
) -> tuple[tuple[DateMention, ...], int | None]:
    """The mentions in ``text`` and the last year it names (``default_year`` when it names none)."""
    masked = [m.span() for m in _MASK.finditer(text)]
    candidates = (c for c in _candidates(text, publication_year) if not _overlaps_any(c, masked))
    mentions: list[DateMention] = []
    context: int | None = None
    for cand in _leftmost_longest(candidates):
        year = next((y for y in (context, default_year, publication_year) if y is not None), None)
        mention = _resolve(cand, text, year)
        if mention is None:
            continue
        mentions.append(mention)
        if cand.names_year:
            context = (mention.until or mention.date).year
    return tuple(mentions), context if context is not None else default_year


def month_number(name: str) -> int | None:
    """The month a full or abbreviated English month name (a trailing full stop allowed) stands for."""
    key = name.rstrip(".").casefold()
    for number, full, abbrs in MONTHS:
        if key == full.casefold() or key in (a.casefold() for a in abbrs):
            return number
    return None


# --- candidates ---------------------------------------------------------------------------------


def _candidates(text: str, publication_year: int | None) -> Iterator[_Candidate]:
    for pattern, rule in _RULES:
        for match in pattern.finditer(text):
            cand = rule(match, text, publication_year)
            if cand is not None:
                yield cand


def _leftmost_longest(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Keep the earliest-starting, then longest, candidate wherever several overlap."""
    ordered = sorted(enumerate(candidates), key=lambda ic: (ic[1].start, ic[1].start - ic[1].end, ic[0]))
    kept: list[_Candidate] = []
    for _, cand in ordered:
        if not kept or cand.start >= kept[-1].end:
            kept.append(cand)
    return kept


def _overlaps_any(cand: _Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(cand.start < end and start < cand.end for start, end in spans)


def _int(match: re.Match[str], group: str) -> int | None:
    value = match.group(group)
    return None if value is None else int(value.rstrip("stndrh"))


def _month(match: re.Match[str], group: str) -> int | None:
    value = match.group(group)
    return None if value is None else month_number(value)


def _start(match: re.Match[str], *groups: str) -> int:
    """Where the mention begins: at the first of ``groups`` that took part in the match."""
    return next(match.start(g) for g in groups if match.group(g) is not None)


def _day_first(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate:
    """``12 May 2021``, ``the 10th of November``, ``12–13 May``, ``30 April – 2 May 2021``."""
    year, month, d1, d2 = _int(match, "y"), _month(match, "m"), _int(match, "d1"), _int(match, "d2")
    first_month = _month(match, "m1") or month
    last = (year, month, d2) if d2 is not None else None
    first = (_year_before(year, first_month, month), first_month, d1)
    return _Candidate(match.start(), match.end(), first, last, year is not None)


def _month_first(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate:
    """``September 27, 2020``, ``Nov. 9``, ``May 12–13, 2021``, ``November 30 – December 2, 2020``."""
    year, month, d1, d2 = _int(match, "y"), _month(match, "m"), _int(match, "d1"), _int(match, "d2")
    last_month = _month(match, "m2") or month
    last = (year, last_month, d2) if d2 is not None else None
    first = (_year_before(year, month, last_month), month, d1)
    return _Candidate(match.start(), match.end(), first, last, year is not None)


def _year_before(year: int | None, first_month: int | None, last_month: int | None) -> int | None:
    """The year a range starts in when its one written year is at the end ("30 December – 2 January 2021")."""
    if year is not None and first_month is not None and last_month is not None and first_month > last_month:
        return year - 1
    return year


def _month_range(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate | None:
    y1, y, m1, m2 = _int(match, "y1"), _int(match, "y"), _month(match, "m1"), _month(match, "m2")
    if y1 is not None and y is None:
        return None
    first_year = y1 if y1 is not None else _year_before(y, m1, m2)
    return _Candidate(match.start(), match.end(), (first_year, m1, None), (y, m2, None), y is not None)


def _month_year(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate:
    return _Candidate(match.start(), match.end(), (_int(match, "y"), _month(match, "m"), None), None, True)


def _bare_month(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate | None:
    # Alone, "May" or "March" is as likely a verb; a preposition or "early/late" before it makes it a month.
    if match.group("cue") is None and match.group("q") is None:
        return None
    return _Candidate(_start(match, "q", "m"), match.end(), (None, _month(match, "m"), None))


def _decade(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate | None:
    base = int(match.group("dec"))
    if not MIN_YEAR <= base <= MAX_YEAR:
        return None
    # "1990’s" is a decade after "the" or a qualifier; otherwise it is more likely a possessive.
    after_the = text.endswith(("the ", "The "), 0, match.start())
    if match.group("apos") and match.group("q") is None and not after_the:
        return None
    part = (match.group("q") or "").casefold()
    low, high = next(((lo, hi) for name, lo, hi in DECADE_PARTS if name == part), (0, 9))
    return _Candidate(match.start(), match.end(), (base + low, None, None), (base + high, None, None))


def _iso(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate:
    first = (_int(match, "y"), _int(match, "mo"), _int(match, "d"))
    return _Candidate(match.start(), match.end(), first, None, True)


def _year_range(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate | None:
    y1, y2_text = int(match.group("y1")), match.group("y2")
    y2 = int(y2_text) if len(y2_text) == 4 else y1 - y1 % 100 + int(y2_text)  # "1992–93"
    between, word = (match.group("conn") or "").casefold() == "between", match.group("word")
    # "between 1992 and 1994" is a range; "1992 and 1994" are two years.
    if (word == "and") != between and not (between and word is None):
        return None
    if not MIN_YEAR <= y1 < y2 <= MAX_YEAR:
        return None
    if _is_reference(text, match.start("y1")) or _count_follows(text, match.end()):
        return None
    return _Candidate(match.start(), match.end(), (y1, None, None), (y2, None, None), True)


def _bare_year(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate | None:
    start, end = match.start("y"), match.end("y")
    qualified = match.group("q") is not None
    if not MIN_YEAR <= int(match.group("y")) <= MAX_YEAR or not _reads_as_year(text, start, end, qualified):
        return None
    return _Candidate(match.start(), end, (int(match.group("y")), None, None), None, True)


def _relative(match: re.Match[str], text: str, publication_year: int | None) -> _Candidate | None:
    if publication_year is None:
        return None
    shift = {"last": -1, "this": 0, "next": 1}[match.group("rel").casefold()]
    return _Candidate(match.start(), match.end(), (publication_year + shift, None, None), None, True)


def _reads_as_year(text: str, start: int, end: int, qualified: bool) -> bool:
    """Whether a bare four-digit number reads as a year, judged from the words around it."""
    before = text[max(0, start - 40) : start]
    if not qualified and _glued_to_number_or_symbol(before):
        return False
    if _NOT_YEAR_AFTER.match(text, end) or _is_reference(text, start) or _count_follows(text, end):
        return False
    if qualified or _YEAR_CUE_BEFORE.search(before) or _LIST_BEFORE.search(before):
        return True
    # A number standing alone between punctuation, as in a reference "(CAST). 2021. 128 p."
    opens = _OPEN_BEFORE.search(before) is not None or (start <= 40 and not before.strip())
    return opens and _CLOSE_AFTER.match(text, end) is not None


def _glued_to_number_or_symbol(before: str) -> bool:
    """Digits glued to a symbol or number ("$2020", "a/2020", "COVID-2020", "11,2020") are no year."""
    last, previous = before[-1:], before[-2:-1]
    return (last != "" and last in "/:#@$€£¥-") or (last in (".", ",") and previous.isalnum())


def _is_reference(text: str, start: int) -> bool:
    return bool(_REFERENCE_BEFORE.search(text[max(0, start - 12) : start]))


def _count_follows(text: str, end: int) -> bool:
    """Whether one of the next two words (in the same clause) names what the number counts."""
    after = re.split(r"[.,;:!?()\[\]]", text[end : end + 40], maxsplit=1)[0]
    return any(w.casefold() in COUNT_WORDS for w in _WORD.findall(after)[:2])


_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (_DAY_FIRST, _day_first),
    (_MONTH_FIRST, _month_first),
    (_MONTH_RANGE, _month_range),
    (_MONTH_YEAR, _month_year),
    (_BARE_MONTH, _bare_month),
    (_DECADE, _decade),
    (_ISO, _iso),
    (_YEAR_RANGE, _year_range),
    (_BARE_YEAR, _bare_year),
    (_RELATIVE, _relative),
)


# --- resolution ---------------------------------------------------------------------------------


def _resolve(cand: _Candidate, text: str, context_year: int | None) -> DateMention | None:
    """Fill in a missing year and check the date exists; ``None`` when it cannot be resolved."""
    first = _fuzzy(cand.first, context_year)
    if first is None:
        return None
    last = None if cand.last is None else _fuzzy(cand.last, context_year)
    if cand.last is not None:
        if last is None:
            return None
        if last.first_day() < first.first_day() and cand.last[0] is None and last.year < MAX_YEAR:
            last = _fuzzy((last.year + 1, last.month, last.day), None)  # "December–January": into next year
        if last is None or last.first_day() < first.first_day() or last.last_day() <= first.last_day():
            return None
    return DateMention(cand.start, cand.end, text[cand.start : cand.end], first, last)


def _fuzzy(parts: Parts, context_year: int | None) -> FuzzyDate | None:
    year, month, day = parts
    year = context_year if year is None else year
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return None
    if day is not None and month is None:
        return None
    return FuzzyDate(year, month, day)
