"""Date finder: every written form, year resolution, non-dates, and sentences copied from the seeds."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from briefing.index.dates import find_dates, find_dates_in_order, month_number
from briefing.model import DateMention

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MARKEDONOV = "markedonov-karabakh-one-year-after-the-war.txt"
VALIYEV = "valiyev-russian-peacekeepers-in-karabakh.txt"

Found = list[tuple[str, str, str | None]]  # mention text, date (ISO), end of range (ISO) or None


def found(text: str, *, default_year: int | None = None, publication_year: int | None = None) -> Found:
    mentions = find_dates(text, default_year=default_year, publication_year=publication_year)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.date.iso(), m.until.iso() if m.until else None) for m in mentions]


# --- forms with a year ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It began on 27 September 2020.", [("27 September 2020", "2020-09-27", None)]),
        ("It began on September 27, 2020, at dawn.", [("September 27, 2020", "2020-09-27", None)]),
        ("It began on September 27 2020.", [("September 27 2020", "2020-09-27", None)]),
        ("The month of November 2020 saw it.", [("November 2020", "2020-11", None)]),
        ("Signed in January of 2021 in Baku.", [("January of 2021", "2021-01", None)]),
        ("Before the August 2008 war.", [("August 2008", "2008-08", None)]),
        ("After the resumption in late September 2020, Moscow.", [("late September 2020", "2020-09", None)]),
        ("By early March 2021 it was over.", [("early March 2021", "2021-03", None)]),
        ("Since mid-June 2021 it is calm.", [("mid-June 2021", "2021-06", None)]),
        ("On the 10th of November 2020 it ended.", [("10th of November 2020", "2020-11-10", None)]),
        (
            "The 1st of May 2021 and the 22nd of June 2021.",
            [("1st of May 2021", "2021-05-01", None), ("22nd of June 2021", "2021-06-22", None)],
        ),
        (
            "Talks on Nov. 9, 2020 and on Sept. 3, 2021.",
            [("Nov. 9, 2020", "2020-11-09", None), ("Sept. 3, 2021", "2021-09-03", None)],
        ),
        (
            "Sep 3, 2021 and Dec. 2020 and Jan 2021.",
            [
                ("Sep 3, 2021", "2021-09-03", None),
                ("Dec. 2020", "2020-12", None),
                ("Jan 2021", "2021-01", None),
            ],
        ),
        ("Incursions on 12–13 May 2021 were reported.", [("12–13 May 2021", "2021-05-12", "2021-05-13")]),
        ("Incursions on May 12-13, 2021 were reported.", [("May 12-13, 2021", "2021-05-12", "2021-05-13")]),
        ("From 30 April – 2 May 2021 it rained.", [("30 April – 2 May 2021", "2021-04-30", "2021-05-02")]),
        (
            "Over 30 December – 2 January 2021 it froze.",
            [("30 December – 2 January 2021", "2020-12-30", "2021-01-02")],
        ),
        (
            "Between November 30 – December 2, 2020 it froze.",
            [("November 30 – December 2, 2020", "2020-11-30", "2020-12-02")],
        ),
        (
            "Once it came under control in November–December 2020, troops moved.",
            [("November–December 2020", "2020-11", "2020-12")],
        ),
        (
            "After the September-November war of 2020, Azerbaijan won.",
            [("September-November war of 2020", "2020-09", "2020-11")],
        ),
        (
            "From September to November 2020 they fought.",
            [("September to November 2020", "2020-09", "2020-11")],
        ),
        ("The December 2020–January 2021 winter.", [("December 2020–January 2021", "2020-12", "2021-01")]),
        ("The December–January 2021 winter.", [("December–January 2021", "2020-12", "2021-01")]),
        ("The statement is dated 2020-11-10 in the archive.", [("2020-11-10", "2020-11-10", None)]),
    ],
)
def test_dates_with_a_year(text: str, expected: Found) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia has not set foot there since 1992.", [("1992", "1992", None)]),
        ("It happened in 1992 and in 1994.", [("1992", "1992", None), ("1994", "1994", None)]),
        (
            "It happened in 2019, 2020 and 2021.",
            [("2019", "2019", None), ("2020", "2020", None), ("2021", "2021", None)],
        ),
        ("The elections became the 2021 political highlight.", [("2021", "2021", None)]),
        ("Second, the 2020 war increased dependence.", [("2020", "2020", None)]),
        ("Up until 2020, it was the key moderator.", [("2020", "2020", None)]),
        ("Until 2020 nobody asked.", [("2020", "2020", None)]),
        ("The conflict of 2020 did not cause outbursts.", [("2020", "2020", None)]),
        ("It was rebuilt by mid-2021 at the latest.", [("mid-2021", "2021", None)]),
        ("A book (Moscow, 2004) and a memo (2012).", [("2004", "2004", None), ("2012", "2012", None)]),
        (
            "Years 1992–1994 and 1992–93 were hard.",
            [("1992–1994", "1992", "1994"), ("1992–93", "1992", "1993")],
        ),
        (
            "It ruled between 1992 and 1993, then from 1993 to 2003.",
            [("between 1992 and 1993", "1992", "1993"), ("from 1993 to 2003", "1993", "2003")],
        ),
    ],
)
def test_years(text: str, expected: Found) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in the early 1990s, with which", [("early 1990s", "1990", "1993")]),
        ("during the warfare of the 1990s.", [("1990s", "1990", "1999")]),
        ("the negative experience of the early 2000s, the", [("early 2000s", "2000", "2003")]),
        ("in the mid-1990s they talked", [("mid-1990s", "1994", "1996")]),
        ("in the mid 1990s they talked", [("mid 1990s", "1994", "1996")]),
        ("in the late 1990s they talked", [("late 1990s", "1997", "1999")]),
        ("Late 1980s reforms", [("Late 1980s", "1987", "1989")]),
        ("in the 1990’s there was war", [("1990’s", "1990", "1999")]),
    ],
)
def test_decades(text: str, expected: Found) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as a result of last year’s military campaign", [("last year", "2020", None)]),
        ("as a result of last year's military campaign", [("last year", "2020", None)]),
        ("Last year the war ended.", [("Last year", "2020", None)]),
        ("This year the airport opened.", [("This year", "2021", None)]),
        ("elections are due next year.", [("next year", "2022", None)]),
        ("in the last year of the war", []),  # a stretch of time, not the calendar year before publication
    ],
)
def test_years_relative_to_publication(text: str, expected: Found) -> None:
    assert found(text, publication_year=2021) == expected


def test_relative_years_need_a_publication_year() -> None:
    assert found("as a result of last year’s campaign", default_year=2020) == []


# --- dates without a year ---------------------------------------------------------------------


def test_missing_year_comes_from_the_nearest_preceding_date_in_the_text() -> None:
    text = (
        "On 6 September 2021, the newly built airport welcomed the first test flights, "
        "and on 26 October, the official opening ceremony was held."
    )
    assert found(text, default_year=2020, publication_year=2022) == [
        ("6 September 2021", "2021-09-06", None),
        ("26 October", "2021-10-26", None),
    ]


def test_nearest_preceding_year_wins_over_an_earlier_one() -> None:
    text = "In March 2019 it began; in June 2020 it grew; on 5 May it ended."
    assert found(text)[-1] == ("5 May", "2020-05-05", None)


def test_a_later_year_does_not_reach_back() -> None:
    text = "On November 8 the town fell, as in June 2019."
    assert found(text, default_year=2020) == [
        ("November 8", "2020-11-08", None),
        ("June 2019", "2019-06", None),
    ]


def test_missing_year_falls_back_to_default_year_then_publication_year() -> None:
    assert found("On November 9, the presidents signed.", default_year=2020, publication_year=2021) == [
        ("November 9", "2020-11-09", None)
    ]
    assert found("On November 9, the presidents signed.", publication_year=2021) == [
        ("November 9", "2021-11-09", None)
    ]


def test_missing_year_and_no_fallback_gives_no_mention() -> None:
    assert found("On November 9, the presidents signed.") == []


def test_last_year_sets_the_year_for_later_dates() -> None:
    text = "Last year’s war ended on 10 November."
    assert found(text, publication_year=2021) == [
        ("Last year", "2020", None),
        ("10 November", "2020-11-10", None),
    ]


def test_decade_does_not_set_the_year() -> None:
    assert found("In the 1990s, and on 8 May", default_year=2020)[-1] == ("8 May", "2020-05-08", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("But then the day of 10 November came.", [("10 November", "2020-11-10", None)]),
        ("on 26 October, the ceremony", [("26 October", "2020-10-26", None)]),
        ("the November 10 deal was a victory", [("November 10", "2020-11-10", None)]),
        ("the 10th of November came", [("10th of November", "2020-11-10", None)]),
        ("on Nov. 9 they signed", [("Nov. 9", "2020-11-09", None)]),
        ("the mass public protests of July, triggered by", [("July", "2020-07", None)]),
        ("In May the talks resumed.", [("May", "2020-05", None)]),
        ("It froze in late December.", [("late December", "2020-12", None)]),
        ("incidents on 12–13 May were reported", [("12–13 May", "2020-05-12", "2020-05-13")]),
        ("from September to November they fought", [("September to November", "2020-09", "2020-11")]),
    ],
)
def test_dates_without_a_year_take_the_default_year(text: str, expected: Found) -> None:
    assert found(text, default_year=2020) == expected


def test_paragraphs_in_order_carry_the_last_named_year() -> None:
    texts = [
        "On September 27, 2020, Baku reported shelling.",
        "The war almost ended on November 8 when troops took the city.",
        "Nothing dated here.",
        "On November 9, the presidents signed a joint statement.",
        "In January of 2021 the president announced; on 26 January he spoke.",
        "On 3 July the maps were handed over.",
    ]
    result = find_dates_in_order(texts, publication_year=2022)
    assert [[(m.text, m.date.iso()) for m in ms] for ms in result] == [
        [("September 27, 2020", "2020-09-27")],
        [("November 8", "2020-11-08")],
        [],
        [("November 9", "2020-11-09")],
        [("January of 2021", "2021-01"), ("26 January", "2021-01-26")],
        [("3 July", "2021-07-03")],
    ]


# --- impossible dates and non-dates -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_year"),
    [
        ("It was 30 February 2021, they said.", None),
        ("It was February 30, 2021, they said.", None),
        ("It was 31 April, they said.", 2021),
        ("It was 29 February, they said.", 2021),
        ("It was the 0th of May 2021.", None),
        ("It was 32 May 2021.", None),
    ],
)
def test_impossible_days_are_skipped(text: str, default_year: int | None) -> None:
    assert found(text, default_year=default_year) == []


def test_leap_day_in_a_leap_year_is_found() -> None:
    assert found("It was 29 February, they said.", default_year=2020) == [("29 February", "2020-02-29", None)]


@pytest.mark.parametrize(
    "text",
    [
        "last year’s 44-day war between Azerbaijan and Armenia",
        "envisions 1,960 Russian armed troops",
        "won 53.91% of the vote",
        "Article 5 of the treaty",
        "(CAST). 128 p.",
        "around 3,000 Azerbaijani soldiers",
        "control this 40-km long corridor",
        "as cited on p. 61 of the book",
        "see Policy Memo No. 244 here",
        "On the fifth day of the fighting, Broers tweeted.",
        "a force of 1960 troops arrived",
        "the 2000 soldiers who died",
        "a rise of 2020% in a year",
        "a rise of 1999 % in a year",
        "some 1500 km away",
        "see No. 2020 of the series",
        "as cited on p. 2020.",
        "Article 2020 of the code",
        "https://www.theguardian.com/world/2020/oct/04/us-armenia-azerbaijan",
        "see www.example.org/archive/2019/report.",
        "write to press2020@example.org today",
        "item2020 and A2020B and 2020abc",
        "the ratio was 1.2020 or 3,2020 at most",
        "May the talks succeed.",
        "March the troops home.",
        "the May protests",
        "a 10-day truce and 5 more days",
        "2021 was a hard year",  # a number opening a sentence is too ambiguous without a cue
    ],
)
def test_non_dates(text: str) -> None:
    assert found(text, default_year=2020, publication_year=None) == []


def test_may_is_a_date_with_a_day_or_year() -> None:
    assert found("May 5 was calm; May 2021 too.", default_year=2020) == [
        ("May 5", "2020-05-05", None),
        ("May 2021", "2021-05", None),
    ]


def test_month_names_are_read_from_the_table() -> None:
    names = ("January", "Sept.", "sep", "Nov", "may", "Mayday")
    assert [month_number(n) for n in names] == [1, 9, 9, 11, 5, None]


def test_mentions_are_ordered_and_do_not_overlap() -> None:
    text = "In November–December 2020 and on 10 November 2020, the 2020 war, early 1990s."
    mentions = find_dates(text, default_year=None, publication_year=None)
    assert [m.text for m in mentions] == ["November–December 2020", "10 November 2020", "2020", "early 1990s"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_mention_value_types() -> None:
    (mention,) = find_dates("on 12–13 May 2021.", default_year=None, publication_year=None)
    assert mention == DateMention(3, 17, "12–13 May 2021", mention.date, mention.until)
    assert (mention.date.year, mention.date.month, mention.date.day) == (2021, 5, 12)
    assert mention.until is not None
    assert (mention.until.year, mention.until.month, mention.until.day) == (2021, 5, 13)


# --- sentences copied from the seeds ----------------------------------------------------------


def _in_seed(seed: str, sentence: str) -> bool:
    """The sentence occurs in the seed once line wraps are joined (as the reader does)."""
    text = re.sub(r"\s+", " ", (SEEDS / seed).read_text(encoding="utf-8"))
    return sentence in text


MARKEDONOV_SENTENCES: list[tuple[str, Found]] = [
    (
        "The month of November 2020 saw the hostilities in Nagorno-Karabakh dismantle the military and "
        "political status quo of twenty-six years.",
        [("November 2020", "2020-11", None)],
    ),
    (
        "Before the onset of the Second Karabakh War in September 2020, Azerbaijan had about 13% of its "
        "territory beyond its control [2], but as a result of last year’s military campaign, seven "
        "districts adjacent to the former Nagorno-Karabakh Autonomous District (that were referred to in "
        "Armenia as the “security belt”) came under Baku’s control.",
        [("September 2020", "2020-09", None), ("last year", "2020", None)],
    ),
    (
        "On 6 September 2021, the newly built Fuzuli International Airport welcomed the first test flights "
        "from Baku, and on 26 October, the official opening ceremony was held, attended by Presidents Ilham "
        "Aliyev of Azerbaijan and Recep Tayyip Erdogan of Turkey.",
        [("6 September 2021", "2021-09-06", None), ("26 October", "2021-10-26", None)],
    ),
    (
        "Under the Soviet Union, there used to be exclaves which were ‘mopped up’ by the conflicting parties "
        "during the warfare of the 1990s. Once the Kelbajar District came under Baku’s control in "
        "November–December 2020, Azerbaijani military and border guards moved to the new critical line "
        "(the south of Armenia).",
        [("1990s", "1990", "1999"), ("November–December 2020", "2020-11", "2020-12")],
    ),
    (
        "His Civil Contract party not only won 53.91% of the vote but was also able to form a homogeneous "
        "government on its own.",
        [],
    ),
    (
        "On the fifth day of the fighting, Laurence Broers, a prominent British Caucasus expert and "
        "editor-in-chief of The Caucasus Survey journal, tweeted, ‘Where is Russia?’",
        [],
    ),
    (
        "But then the day of 10 November came, and it was Russia that proved to be the main driver behind "
        "the joint cease-fire declaration, after which shootings stopped and Russian peacekeepers moved to a "
        "new line of contact.",
        [("10 November", "2020-11-10", None)],
    ),
    (
        "For Moscow, last year’s war was marked by a significant complication of its Caucasus region agenda. "
        "Up until 2020, it was the key moderator in the settlement of the conflict between Armenia and "
        "Azerbaijan.",
        [("last year", "2020", None), ("2020", "2020", None)],
    ),
    (
        "The early elections to the National Assembly became the 2021 political highlight for Armenia.",
        [("2021", "2021", None)],
    ),
    (
        "Read more in: Storm of the Caucasus. Under the editorship of R.N. Pukhov. Moscow, Centre for the "
        "Analysis of Strategies and Technologies (CAST). 2021. 128 p.",
        [("2021", "2021", None)],
    ),
]

VALIYEV_SENTENCES: list[tuple[str, Found]] = [
    (
        "After the September-November war of 2020, Azerbaijan liberated its seven occupied territories and "
        "established rule over Karabakh.",
        [("September-November war of 2020", "2020-09", "2020-11")],
    ),
    (
        "One of the most tectonic, paradigm-shifting events impacting the South Caucasus was last year’s "
        "44-day war between Azerbaijan and Armenia. On September 27, 2020, Baku reported shelling of "
        "Azerbaijani villages by Armenian troops located in Karabakh.",
        [("last year", "2020", None), ("September 27, 2020", "2020-09-27", None)],
    ),
    (
        "The war took the lives of around 3,000 Azerbaijani soldiers and 92 civilians, who were mostly "
        "killed by strikes of SCUD-B ballistic missiles, cluster bombs, and shelling of Azerbaijani towns "
        "and villages in Ganja, Barda, Tartar, and other places.",
        [],
    ),
    (
        "On November 9, the presidents of Russia and Azerbaijan and the Armenian prime minister signed a "
        "joint statement, which, among other points, envisions 1,960 Russian armed troops, 90 armored "
        "vehicles, and 380 motor vehicles deployed along the contact line—which includes the Lachin "
        "Corridor that connected Armenia to Nagorno-Karabakh.",
        [("November 9", "2020-11-09", None)],
    ),
    (
        "Russia has not “set foot” on Azerbaijani territory since 1992.",
        [("1992", "1992", None)],
    ),
    (
        "From this perspective, the situation in Karabakh is analogous to that in South Ossetia before the "
        "August 2008 war, where Russian peacekeepers successfully “protected” local populations of the "
        "secessionist republic from Georgia’s reintegration efforts.",
        [("August 2008", "2008-08", None)],
    ),
    (
        "President Ilham Aliyev announced in January of 2021 that “settlements recently liberated from "
        "Armenian occupation will be re-established based on the concept of smart city.”",
        [("January of 2021", "2021-01", None)],
    ),
    (
        "Moscow has hailed this idea and pushed Armenia to unblock transportation and communication lines in "
        "the hopes that it will then control this 40-km long corridor.",
        [],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), MARKEDONOV_SENTENCES)
def test_markedonov_sentences(sentence: str, expected: Found) -> None:
    assert _in_seed(MARKEDONOV, sentence)
    # The caller's default is the year of the last dated paragraph before (2020 here); published in 2021.
    assert found(sentence, default_year=2020, publication_year=2021) == expected


@pytest.mark.parametrize(("sentence", "expected"), VALIYEV_SENTENCES)
def test_valiyev_sentences(sentence: str, expected: Found) -> None:
    assert _in_seed(VALIYEV, sentence)
    assert found(sentence, default_year=2020, publication_year=2021) == expected
