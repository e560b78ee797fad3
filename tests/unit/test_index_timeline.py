"""Event matcher: which date mentions and phrases link which events, and in what order."""

from __future__ import annotations

import pytest

from briefing.index.timeline import Precision, events_at, index_dates, match_events, truncate, unmatched_dates
from briefing.model import DateMention, Event, FuzzyDate, Passage


def day(y: int, m: int, d: int) -> FuzzyDate:
    return FuzzyDate(y, m, d)


def month(y: int, m: int) -> FuzzyDate:
    return FuzzyDate(y, m)


def year(y: int) -> FuzzyDate:
    return FuzzyDate(y)


def event(
    id: str,
    date: FuzzyDate,
    end: FuzzyDate | None = None,
    *,
    also: tuple[FuzzyDate, ...] = (),
    phrases: tuple[str, ...] = (),
) -> Event:
    return Event(id, date, id.title(), "", end=end, also_dated=also, phrases=phrases)


def mention(text: str, date: FuzzyDate, until: FuzzyDate | None = None, start: int = 0) -> DateMention:
    return DateMention(start, start + len(text), text, date, until)


EVENTS = (
    event("war", day(2020, 9, 27), day(2020, 11, 10)),
    event("shusha", day(2020, 11, 8)),
    event("statement", day(2020, 11, 10), also=(day(2020, 11, 9),)),
    event("protests", month(2020, 11), month(2021, 2)),
    event("captures", month(2020, 12)),
    event("elchibey", year(1992), year(1993)),
    event("withdrawal", year(1992)),
    event("june-coup", month(1993, 6)),
    event("airport", day(2021, 1, 14), month(2021, 10)),  # a range whose coarser end is a month
)


def linked(m: DateMention, events: tuple[Event, ...] = EVENTS) -> set[str]:
    return {e.id for e in events_at(index_dates(events), m)}


# --- single dates ---------------------------------------------------------------------------


def test_day_links_only_the_most_specific_events_containing_it() -> None:
    # "war" (a 44-day range) and "protests" (four months) contain 8 November too, but "shusha" is that day.
    assert linked(mention("8 November 2020", day(2020, 11, 8))) == {"shusha"}
    assert linked(mention("7 November 2020", day(2020, 11, 7))) == {"war"}


def test_day_links_an_also_dated_day() -> None:
    assert linked(mention("November 9", day(2020, 11, 9))) == {"statement"}


def test_day_inside_a_month_event_links_it() -> None:
    assert linked(mention("11 December 2020", day(2020, 12, 11))) == {"captures"}


def test_month_does_not_link_day_events_but_links_month_events() -> None:
    # "war", "shusha" and "statement" fall in November 2020 but are known to the day: a month is too broad.
    assert linked(mention("November 2020", month(2020, 11))) == {"protests"}
    assert linked(mention("December 2020", month(2020, 12))) == {"captures"}


def test_month_links_a_range_whose_coarser_end_is_a_month_only_inside_its_days() -> None:
    # "airport" runs 14 January – 31 October 2021: February is inside, January only partly.
    assert linked(mention("February 2021", month(2021, 2))) == {"protests"}  # narrower than "airport"
    assert linked(mention("January 2021", month(2021, 1))) == {"protests"}
    assert linked(mention("March 2021", month(2021, 3))) == {"airport"}


def test_year_links_only_year_events() -> None:
    assert linked(mention("1992", year(1992))) == {"withdrawal"}
    assert linked(mention("1993", year(1993))) == {"elchibey"}
    assert linked(mention("2020", year(2020))) == set()


def test_finer_dates_link_year_events() -> None:
    assert linked(mention("June 1993", month(1993, 6))) == {"june-coup"}
    assert linked(mention("16 June 1992", day(1992, 6, 16))) == {"withdrawal"}
    assert linked(mention("16 June 1993", day(1993, 6, 16))) == {"june-coup"}
    assert linked(mention("16 July 1993", day(1993, 7, 16))) == {"elchibey"}


def test_dates_outside_every_event_link_nothing() -> None:
    assert linked(mention("26 September 2020", day(2020, 9, 26))) == set()
    assert linked(mention("March 2021", month(2021, 3))) == {"airport"}
    assert linked(mention("1994", year(1994))) == set()


# --- ranges ---------------------------------------------------------------------------------


def test_decade_links_only_range_events_with_the_same_ends() -> None:
    # Overlap says too little: "the warfare of the 1990s" is not about every event of the decade.
    assert linked(mention("early 1990s", year(1990), year(1993))) == set()
    assert linked(mention("1992–1993", year(1992), year(1993))) == {"elchibey"}
    assert linked(mention("late 1990s", year(1997), year(1999))) == set()


def test_decade_does_not_link_finer_events() -> None:
    assert "june-coup" not in linked(mention("1990s", year(1990), year(1999)))


def test_month_range_does_not_link_events_it_merely_overlaps() -> None:
    assert linked(mention("November–December 2020", month(2020, 11), month(2020, 12))) == set()
    assert linked(mention("November 2020 – February 2021", month(2020, 11), month(2021, 2))) == {"protests"}


def test_range_links_a_range_event_with_the_same_ends_at_its_precision() -> None:
    # 27 September – 10 November 2020 is "September–November 2020" at month precision.
    found = linked(mention("September-November war of 2020", month(2020, 9), month(2020, 11)))
    assert found == {"war"}
    assert linked(mention("October–November 2020", month(2020, 10), month(2020, 11))) == set()


def test_day_range_links_only_a_range_event_with_the_same_ends() -> None:
    assert linked(mention("7–8 November 2020", day(2020, 11, 7), day(2020, 11, 8))) == set()
    assert linked(mention("27 September – 10 November 2020", day(2020, 9, 27), day(2020, 11, 10))) == {"war"}


def test_year_range_does_not_link_events_it_merely_overlaps() -> None:
    assert linked(mention("1993–1995", year(1993), year(1995))) == set()


# --- match_events -----------------------------------------------------------------------------


def test_passages_carry_the_mention_and_are_sorted_by_event_date_id_then_paragraph() -> None:
    events = (
        event("b-statement", day(2020, 11, 10)),
        event("a-statement", day(2020, 11, 10)),
        event("war", day(2020, 9, 27), day(2020, 11, 10)),
        event("year", year(2020)),
    )
    p1 = "On 10 November 2020 it ended."
    p2 = "Up until 2020 and on 10 November, twice: 10 November."
    paragraphs = [
        ("p1", p1, (mention("10 November 2020", day(2020, 11, 10), start=3),)),
        (
            "p2",
            p2,
            (
                mention("2020", year(2020), start=9),
                mention("10 November", day(2020, 11, 10), start=21),
                mention("10 November", day(2020, 11, 10), start=41),
            ),
        ),
    ]
    result = match_events(events, "brief", paragraphs)
    assert [(p.event, p.paragraph, p.start, p.text) for p in result] == [
        ("year", "p2", 9, "2020"),  # the day mentions link only the day events, the most specific
        ("a-statement", "p1", 3, "10 November 2020"),
        ("a-statement", "p2", 21, "10 November"),
        ("a-statement", "p2", 41, "10 November"),
        ("b-statement", "p1", 3, "10 November 2020"),
        ("b-statement", "p2", 21, "10 November"),
        ("b-statement", "p2", 41, "10 November"),
    ]
    assert result[0] == Passage("year", "brief", "p2", 9, 13, "2020")
    assert all(p2[p.start : p.end] == p.text for p in result if p.paragraph == "p2")


def test_phrases_match_whole_words_ignoring_case_and_apostrophe_style() -> None:
    events = (event("war", day(2020, 9, 27), phrases=("44-day war", "Karabakh’s war")),)
    text = "The 44-Day War, Karabakh's war and the 44-day warfare; a 144-day war."
    result = match_events(events, "b", [("p1", text, ())])
    assert [(p.start, p.end, p.text) for p in result] == [(4, 14, "44-Day War"), (16, 30, "Karabakh's war")]


def test_phrase_inside_a_longer_phrase_of_the_same_event_is_not_repeated() -> None:
    events = (
        event("war", day(2020, 9, 27), phrases=("Second Karabakh War", "Karabakh War")),
        event("first-war", year(1992), phrases=("Karabakh War",)),
    )
    text = "The Second Karabakh War; the Karabakh War."
    result = match_events(events, "b", [("p1", text, ())])
    assert [(p.event, p.text, p.start) for p in result] == [
        ("first-war", "Karabakh War", 11),
        ("first-war", "Karabakh War", 29),
        ("war", "Second Karabakh War", 4),
        ("war", "Karabakh War", 29),
    ]


def test_a_phrase_shared_by_two_events_links_both() -> None:
    events = (
        event("a", day(2021, 6, 15), phrases=("Shusha declaration",)),
        event("b", year(2021), phrases=("Shusha Declaration",)),
    )
    result = match_events(events, "b", [("p9", "the Shusha declaration signed", ())])
    assert [(p.event, p.paragraph, p.text) for p in result] == [
        ("b", "p9", "Shusha declaration"),
        ("a", "p9", "Shusha declaration"),
    ]


def test_date_and_phrase_in_one_paragraph_give_two_passages() -> None:
    events = (event("statement", day(2020, 11, 10), phrases=("November 10 deal",)),)
    text = "the November 10 deal"
    result = match_events(events, "b", [("p1", text, (mention("November 10", day(2020, 11, 10), start=4),))])
    assert [(p.start, p.end, p.text) for p in result] == [(4, 15, "November 10"), (4, 20, "November 10 deal")]


def test_no_events_no_passages() -> None:
    dated = (mention("10 November 2020", day(2020, 11, 10), start=3),)
    assert match_events((), "b", [("p1", "On 10 November 2020.", dated)]) == ()


# --- unmatched_dates --------------------------------------------------------------------------


def test_unmatched_dates_lists_mentions_that_link_no_event_in_order() -> None:
    stray_year = mention("2004", year(2004))
    stray_month = mention("November 2020", month(2020, 11))
    linked_day = mention("8 November 2020", day(2020, 11, 8))
    result = unmatched_dates(EVENTS[:3], {"p1": [stray_year, linked_day], "p2": [stray_month]})
    assert result == (("p1", stray_year), ("p2", stray_month))


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        (day(2020, 11, 10), "month", month(2020, 11)),
        (day(2020, 11, 10), "year", year(2020)),
        (month(2020, 11), "day", month(2020, 11)),
        (year(2020), "month", year(2020)),
    ],
)
def test_truncate(date: FuzzyDate, precision: Precision, expected: FuzzyDate) -> None:
    assert truncate(date, precision) == expected
