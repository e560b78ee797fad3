"""Date finder on generated input: never raises, offsets slice, no overlaps, every written form read back."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from briefing.index.dates import MONTHS, find_dates
from briefing.model import FuzzyDate

DATES = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2100, 12, 31))
TEXT_PIECES = st.sampled_from(
    [
        " ", ", ", ". ", "–", "-", "in ", "the ", "of ", "since ", "May ", "Nov. ", "September ", "27 ",
        "2020", "1990s", "early ", "last year’s ", "44-day ", "1,960 ", "53.91%", "p. ", "No. ", "12–13 ",
        "http://x.org/2020/", "10th ", "\n", "\u00a0",
    ]
)  # fmt: skip


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def full(d: dt.date) -> str:
    return MONTHS[d.month - 1][1]


def abbreviated(d: dt.date) -> str:
    abbrs = MONTHS[d.month - 1][2]
    return f"{abbrs[0]}." if abbrs else full(d)


# Each written form of a day, and the text a mention of it must cover.
DAY_FORMS: list[Callable[[dt.date], str]] = [
    lambda d: f"{d.day} {full(d)} {d.year}",
    lambda d: f"{full(d)} {d.day}, {d.year}",
    lambda d: f"{full(d)} {d.day} {d.year}",
    lambda d: f"{abbreviated(d)} {d.day}, {d.year}",
    lambda d: f"{ordinal(d.day)} of {full(d)} {d.year}",
    lambda d: f"{ordinal(d.day)} {full(d)} {d.year}",
    lambda d: d.isoformat(),
]


@given(st.text())
def test_arbitrary_text_never_raises_and_offsets_slice(text: str) -> None:
    for publication_year in (None, 2021):
        mentions = find_dates(text, default_year=2020, publication_year=publication_year)
        assert all(text[m.start : m.end] == m.text for m in mentions)
        assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))
        assert all(m.until is None or m.until.last_day() > m.date.last_day() for m in mentions)


@given(st.lists(TEXT_PIECES, max_size=30).map("".join), st.none() | st.integers(0, 3000))
def test_date_like_text_never_raises_and_offsets_slice(text: str, default_year: int | None) -> None:
    mentions = find_dates(text, default_year=default_year, publication_year=default_year)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


@given(DATES, st.sampled_from(DAY_FORMS))
def test_a_written_day_is_found_with_its_value(date: dt.date, form: Callable[[dt.date], str]) -> None:
    written = form(date)
    text = f"It happened on {written}, they said."
    (mention,) = find_dates(text, default_year=None, publication_year=None)
    assert (mention.text, mention.start, mention.until) == (written, 15, None)
    assert mention.date == FuzzyDate(date.year, date.month, date.day)


@given(DATES, st.sampled_from(["{m} {y}", "{m} of {y}", "early {m} {y}", "late {m} {y}", "mid-{m} {y}"]))
def test_a_written_month_is_found_with_its_value(date: dt.date, form: str) -> None:
    written = form.format(m=full(date), y=date.year)
    (mention,) = find_dates(f"Talks resumed in {written}.", default_year=None, publication_year=None)
    assert (mention.text, mention.date, mention.until) == (written, FuzzyDate(date.year, date.month), None)


@given(DATES, st.sampled_from(["in {y}", "since {y}", "until {y}", "the {y} war", "({y})"]))
def test_a_written_year_is_found_with_its_value(date: dt.date, form: str) -> None:
    text = "It was so " + form.format(y=date.year) + "."
    (mention,) = find_dates(text, default_year=None, publication_year=None)
    assert (mention.text, mention.date, mention.until) == (str(date.year), FuzzyDate(date.year), None)


@given(DATES, st.sampled_from([lambda d: f"{d.day} {full(d)}", lambda d: f"{full(d)} {d.day}"]))
def test_a_day_without_year_takes_the_default_year(date: dt.date, form: Callable[[dt.date], str]) -> None:
    written = form(date)
    (mention,) = find_dates(f"On {written} it rained.", default_year=date.year, publication_year=None)
    assert (mention.text, mention.date) == (written, FuzzyDate(date.year, date.month, date.day))


@given(DATES, DATES)
def test_a_day_range_in_one_month_is_found(a: dt.date, b: dt.date) -> None:
    first, last = sorted((a, b.replace(year=a.year, month=a.month, day=min(b.day, 28))))
    if first == last:
        return
    written = f"{first.day}–{last.day} {full(first)} {first.year}"
    (mention,) = find_dates(f"Clashes on {written} left dead.", default_year=None, publication_year=None)
    assert mention.text == written
    assert mention.date == FuzzyDate(first.year, first.month, first.day)
    assert mention.until == FuzzyDate(last.year, last.month, last.day)


@given(
    st.integers(100, 209), st.sampled_from([("", 0, 9), ("early ", 0, 3), ("mid-", 4, 6), ("late ", 7, 9)])
)
def test_a_decade_is_found_as_a_range(tens: int, part: tuple[str, int, int]) -> None:
    prefix, low, high = part
    written = f"{prefix}{tens * 10}s"
    (mention,) = find_dates(f"in the {written}, things changed", default_year=None, publication_year=None)
    base = tens * 10
    assert (mention.text, mention.date, mention.until) == (
        written,
        FuzzyDate(base + low),
        FuzzyDate(base + high),
    )
