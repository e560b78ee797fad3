"""Date finder: a paragraph's text -> the date expressions in it, each resolved to a date or a date range."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

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


def _month_numbers() -> dict[str, int]:
    """Case-folded name or abbreviation -> its month (the first month naming it, as a scan in order)."""
    numbers: dict[str, int] = {}
    for number, full, abbrs in MONTHS:
        for name in (full, *abbrs):
            numbers.setdefault(name.casefold(), number)
    return numbers


_MONTH_NUMBERS = _month_numbers()

# Words that may stand before a date, each matched with its first letter in either case (the cues in any case).
_QUALIFIERS = tuple(name for name, _, _ in DECADE_PARTS)  # "early May", "mid-1990s"
_CONNECTIVES = ("from", "between")  # "from 1992 to 1994"
_SHIFTS = {"last": -1, "this": 0, "next": 1}  # "last year": years from the publication year
_CUE_WORDS = ("in", "of", "since", "until", "till", "by", "from", "during", "before", "after", "through")
_CUE_WORDS += ("throughout", "circa", "c.", "ca.")
_YEAR_WORD = "year"


def _either_case(words: Iterable[str]) -> str:
    """An alternation of ``words`` whose first letters may be capitals ("[Ee]arly|[Mm]id")."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" for w in words)


_FULL = "|".join(name for _, name, _ in MONTHS)
_ABBR = "|".join(sorted((a for _, _, abbrs in MONTHS for a in abbrs), key=len, reverse=True))
# An abbreviation may carry its full stop; a full name never swallows the sentence's full stop.
_MONTH = rf"(?:(?:{_FULL})\b|(?:{_ABBR})(?:\.|\b))"
_DAY = r"[0-3]?\d(?!\d)(?:st|nd|rd|th)?\b"
_YEAR = r"\d{4}(?![\w%]|[.,]\d)"
_DASH = r"\s*[-–—]\s*"
_QUAL = rf"(?:(?P<q>{_either_case(_QUALIFIERS)})(?:\s+|-))"
_START = r"(?<![\w.,])"  # not inside a word or a number such as 1,960 or 53.91
_CUES = "|".join(re.escape(w) for w in _CUE_WORDS)

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
    rf"(?:\b(?P<conn>{_either_case(_CONNECTIVES)})\s+)?(?<![\w.,/])(?P<y1>\d{{4}})"
    rf"(?:{_DASH}|\s+(?P<word>to|and|until|till|through)\s+)(?P<y2>\d{{4}}|\d\d)(?![\w%]|[.,]\d)"
)
_BARE_YEAR = re.compile(rf"{_QUAL}?\b(?P<y>\d{{4}})\b")
_RELATIVE = re.compile(rf"(?<![Tt]he\s)\b(?P<rel>{_either_case(_SHIFTS)})\s+{_YEAR_WORD}\b")
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

# Anchors. Every month name and abbreviation starts with one of these heads. A head opens with the name's
# only capital, so no head can start inside another (nor "year" inside itself): the scans miss none.
_MONTH_NAMES = tuple(n for _, full, abbrs in MONTHS for n in (full, *abbrs))
_MONTH_HEAD = re.compile("|".join(sorted({n[: min(map(len, _MONTH_NAMES))] for n in _MONTH_NAMES})))
_DIGIT_RUN = re.compile(r"\d(?<!\d\d)")  # a run's first digit; opening with ``\d`` lets the engine skip ahead
_YEAR_ANCHOR = re.compile(_YEAR_WORD)

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
    found = list(_candidates(text, publication_year))
    masked = _masked(text) if found else []
    candidates = (c for c in found if not _overlaps_any(c, masked))
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
    return _MONTH_NUMBERS.get(name.rstrip(".").casefold())


# --- candidates ---------------------------------------------------------------------------------


# Every rule's match holds an anchor (a digit run, a month name or the word "year") that only optional
# words (a qualifier, a cue) joined by whitespace or a hyphen may precede. So a match can only start at an
# anchor or at such a word before one: trying each rule there alone (``Pattern.match``) finds what
# ``Pattern.finditer`` finds, without the engine trying every position of the text — patterns that open
# with an optional group or a lookbehind get no fast scan for a first character. A new rule must say where
# its matches can start (``_Where``); tests/unit/test_index_speedups.py compares the result with finditer.


@dataclass(frozen=True, slots=True)
class _Lead:
    """An optional word that may stand right before a rule's anchor (or before another lead)."""

    spellings: frozenset[str]  # how it is written, case and all; empty: any whole word (a cue, in any case)
    hyphen: bool  # joined by whitespace or by one hyphen ("mid-1990s"), else by whitespace only
    last_letters: frozenset[str] = frozenset()  # of the spellings: a quick test before comparing them


@dataclass(frozen=True, slots=True, eq=False)  # eq=False: hashed by identity, a cheap key per paragraph
class _Where:
    """Where a rule's matches can start: at its anchor, or at one of its optional leads before it."""

    anchor: Literal["digits", "month", "year"]
    leads: tuple[_Lead, ...] = ()  # nearest to the anchor first


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    read: Rule
    where: _Where


def _lead(words: Iterable[str], *, hyphen: bool = False) -> _Lead:
    """A lead written as in ``_either_case``: one of ``words``, its first letter in either case."""
    spellings = frozenset(s for w in words for s in (w, w[0].upper() + w[1:]))
    return _Lead(spellings, hyphen, frozenset(s[-1] for s in spellings))


def _candidates(text: str, publication_year: int | None) -> Iterator[_Candidate]:
    anchors = _anchors(text)
    starts: dict[_Where, list[int]] = {}  # rules with the same anchor and leads share their starts
    for rule in _RULES:
        where = rule.where
        if anchors[where.anchor]:
            if where not in starts:
                starts[where] = _starts(text, anchors[where.anchor], where.leads)
            for match in _matches(rule.pattern, text, starts[where]):
                cand = rule.read(match, text, publication_year)
                if cand is not None:
                    yield cand


def _anchors(text: str) -> dict[str, list[int]]:
    """Where each kind of anchor starts in ``text``: digit runs, month names, the word "year"."""
    return {
        "digits": [m.start() for m in _DIGIT_RUN.finditer(text)],
        "month": [m.start() for m in _MONTH_HEAD.finditer(text)],
        "year": [m.start() for m in _YEAR_ANCHOR.finditer(text)] if _YEAR_WORD in text else [],
    }


def _starts(text: str, anchors: list[int], leads: tuple[_Lead, ...]) -> list[int]:
    """Every position where a match whose anchor is at one of ``anchors`` can start, in order."""
    starts = set(anchors)
    for lead in leads:
        starts.update([start for at in starts for start in _lead_starts(text, at, lead)])
    return sorted(starts)


def _lead_starts(text: str, at: int, lead: _Lead) -> list[int]:
    """Where ``lead`` can start if it stands right before ``at``."""
    end = at
    if lead.hyphen and text[at - 1 : at] == "-":
        end = at - 1
    else:
        # A lead ends in a letter or a full stop, so it ends where the whole whitespace run begins.
        while end > 0 and text[end - 1].isspace():
            end -= 1
    if end == at:
        return []
    if lead.spellings:
        if text[end - 1] not in lead.last_letters:
            return []
        return [end - len(s) for s in lead.spellings if text.endswith(s, 0, end)]
    return [_word_start(text, end)]


def _word_start(text: str, end: int) -> int:
    """Where the word ending at ``end`` starts: a cue opens at a word boundary and may end in a full stop."""
    start = end - 1 if text[end - 1] == "." else end
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    return start


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` and ``\b`` take for a word character


def _matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, given every position where a match can start (in order)."""
    reached = 0  # finditer resumes where the last match ended; no rule matches the empty string
    for start in starts:
        if start >= reached:
            match = pattern.match(text, start)
            if match is not None:
                reached = match.end()
                yield match


def _masked(text: str) -> list[tuple[int, int]]:
    """The spans of URLs and e-mail addresses; each needs "://", "@" or "www." (in any case)."""
    # ``_MASK`` matches a "w" in any case, and only "w" and "W" lower-case to "w".
    if "://" not in text and "@" not in text and "www." not in text.lower():
        return []
    return [m.span() for m in _MASK.finditer(text)]


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
    shift = _SHIFTS[match.group("rel").casefold()]
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


_QUALIFIER = _lead(_QUALIFIERS, hyphen=True)
_CUE = _Lead(frozenset(), hyphen=False)  # read in any case, so only its word boundary is sure
_AT_DIGITS, _AT_MONTH = _Where("digits"), _Where("month")
_QUALIFIED_DIGITS, _QUALIFIED_MONTH = _Where("digits", (_QUALIFIER,)), _Where("month", (_QUALIFIER,))

# In this order: a candidate's place among those starting and ending alike decides which one is kept.
_RULES: tuple[_Rule, ...] = (
    _Rule(_DAY_FIRST, _day_first, _AT_DIGITS),
    _Rule(_MONTH_FIRST, _month_first, _AT_MONTH),
    _Rule(_MONTH_RANGE, _month_range, _QUALIFIED_MONTH),
    _Rule(_MONTH_YEAR, _month_year, _QUALIFIED_MONTH),
    _Rule(_BARE_MONTH, _bare_month, _Where("month", (_QUALIFIER, _CUE))),
    _Rule(_DECADE, _decade, _QUALIFIED_DIGITS),
    _Rule(_ISO, _iso, _AT_DIGITS),
    _Rule(_YEAR_RANGE, _year_range, _Where("digits", (_lead(_CONNECTIVES),))),
    _Rule(_BARE_YEAR, _bare_year, _QUALIFIED_DIGITS),
    _Rule(_RELATIVE, _relative, _Where("year", (_lead(_SHIFTS),))),
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
