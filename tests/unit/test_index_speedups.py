"""The index stage's fast paths give exactly what the slow definitions they replace give.

- dates: each rule is tried only where a match can start (at an anchor or an optional word before
  one), where the definition runs every rule's ``finditer`` over the whole text;
- dates: URLs are looked for only in texts with "://", "@" or "www.";
- timeline: ``_normalise`` lower-cases the whole string at once, where the definition folds one
  character at a time;
- timeline: the event lookup is built once (``EventMatcher``) instead of once per briefing.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index import dates, timeline
from briefing.index.actors import build_matcher
from briefing.index.crossref import cross_reference, index_briefing, targets
from briefing.model import Event, FuzzyDate
from briefing.sources.content import Inputs, read_project

ROOT = Path(__file__).resolve().parents[2]

# Pieces that meet every rule's anchors and optional words, in the spellings the rules accept and in
# near misses: case variants, words glued to other words, other whitespace, other digits, URLs.
DATE_PIECES = st.sampled_from(
    [
        " ", "  ", "\u00a0", "\n", "\t", "-", "–", " – ", "—", ", ", ",", ".", ". ", "/", "(", ")", "'", "’", "_",
        "early ", "Early ", "EARLY ", "mid-", "Mid ", "mid", "late\n", "Late-", "Namid ", "earlyish ",
        "in ", "In ", "IN ", "within ", "of ", "since ", "ſince ", "until ", "by ", "during ", "Throughout ",
        "c. ", "ca. ", "Ca.\u00a0", "circa ", "xc. ",
        "from ", "From ", "FROM ", "between ", "Between ", "to ", " and ", "through ", "till ",
        "last ", "Last ", "this ", "next ", "the ", "The ", "year", "year ", "years", "Year ",
        "May", "May ", "Mayday ", "March", "Marchers ", "Sept. ", "Sep ", "September", "Nov.", "Dec ", "June ",
        "Jan", "January ", "JanuaryX ",
        "1", "3", "12", "27 ", "10th ", "1st of ", "93", "1990", "1990s", "1990’s ", "2020", "2021", "2020-11-10",
        "12345", "1,960 ", "53.91%", "44-day ", "٢٠٢٠", "１２", "p. ", "No. ", "§", "troops ",
        "http://x.org/2020/", "www.", "WWW.a.org ", "a@b.com", "@",
    ]
)  # fmt: skip
# Whole expressions, each with an optional cue (or connective) and qualifier before it.
LEADS = st.sampled_from(
    ["", "in ", "In ", "IN ", "of ", "c. ", "ca. ", "Circa\n", "ſince ", "xc. ", "within ", "from ", "From ",
     "between ", "Between ", "the ", "The ", "no. "]
)  # fmt: skip
QUALIFIERS = st.sampled_from(["", "early ", "Early ", "EARLY ", "mid-", "Mid ", "late\n", "Late-", "Namid "])
EXPRESSIONS = st.sampled_from(
    ["May", "March", "May 2020", "Sept. 2021", "November–December 2020", "May to June 2021", "Dec 2020 – Jan 2021",
     "March 1992 – June 1993", "10 November 2020", "10–12 May", "30 April – 2 May 2021", "September 27, 2020",
     "Nov. 9", "November 30 – December 2", "the 10th of November", "1990s", "1990’s", "2020-11-10", "1992–94",
     "1992 to 1994", "1992 and 1994", "2020", "1990", "last year", "next year", "this  year", "2020 troops"]
)  # fmt: skip
SEPARATORS = st.sampled_from(["", " ", "  ", "\u00a0", "\n", ", ", ". ", "-", "–", "(", ")", "/", "; "])
CHUNKS = st.tuples(LEADS, QUALIFIERS, EXPRESSIONS, SEPARATORS).map("".join)
DATE_TEXTS = st.lists(CHUNKS | DATE_PIECES, max_size=20).map("".join)


def every_rule_everywhere(text: str, publication_year: int | None) -> list[dates._Candidate]:
    """The definition: every rule's ``finditer`` over the whole text, in rule order."""
    found = []
    for rule in dates._RULES:
        for match in rule.pattern.finditer(text):
            cand = rule.read(match, text, publication_year)
            if cand is not None:
                found.append(cand)
    return found


def assert_same_candidates(text: str) -> None:
    for publication_year in (None, 2021):
        assert list(dates._candidates(text, publication_year)) == every_rule_everywhere(text, publication_year)
    assert dates._masked(text) == [m.span() for m in dates._MASK.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(DATE_TEXTS)
def test_anchored_rules_find_what_every_rule_finds_everywhere(text: str) -> None:
    assert_same_candidates(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), DATE_TEXTS)
def test_anchored_rules_on_arbitrary_text(noise: str, text: str) -> None:
    assert_same_candidates(noise + text + noise)


@cache
def seeds() -> Inputs:
    return read_project(ROOT)


def test_anchored_rules_on_every_text_of_the_seeds() -> None:
    texts = [text for b in seeds().briefings for _, text in targets(b)]
    assert texts
    for text in texts:
        assert_same_candidates(text)


@given(st.text(alphabet=st.sampled_from("0123456789a ٢１.-"), max_size=30))
def test_digit_anchors_are_the_starts_of_digit_runs(text: str) -> None:
    assert dates._anchors(text)["digits"] == [m.start() for m in re.finditer(r"\d+", text)]


def can_start_inside(words: list[str]) -> bool:
    """Whether an occurrence of one of ``words`` can start inside an occurrence of another (or itself)."""
    return any(
        other.startswith(word[cut:]) or word[cut:].startswith(other)
        for word in words
        for cut in range(1, len(word))
        for other in words
    )


def test_anchor_scans_miss_no_occurrence() -> None:
    # The anchor scans are non-overlapping: an occurrence starting inside another would be missed.
    heads = dates._MONTH_HEAD.pattern.split("|")
    assert not can_start_inside(heads)
    assert not can_start_inside([dates._YEAR_WORD])
    assert can_start_inside(["ab", "ba"])
    names = [n for _, full, abbrs in dates.MONTHS for n in (full, *abbrs)]
    assert all(any(name.startswith(head) for head in heads) for name in names)


def test_month_number_is_the_first_month_naming_it_in_any_case() -> None:
    for number, full, abbrs in dates.MONTHS:
        for name in (full, *abbrs):
            for written in (name, name.upper(), name.lower(), name + "."):
                assert dates.month_number(written) == number
    assert dates.month_number("Mayo") is None
    assert dates.month_number("") is None


# --- _normalise ------------------------------------------------------------------------------------


def normalise_by_definition(text: str) -> str:
    """The definition: straight apostrophes, then each character folded on its own."""
    return "".join(timeline._fold(c) for c in text.translate(str.maketrans(timeline._APOSTROPHES)))


TRICKY = "aZ ΣσςİIıßẞǅ’‘ʼ'\t\n\r\u00a0\u2028\u3000\u200b\u00ad\u0301KΩÅ"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=40) | st.text(max_size=60))
def test_normalise_equals_the_per_character_definition(text: str) -> None:
    assert timeline._normalise(text) == normalise_by_definition(text)


def test_normalise_equals_the_definition_on_every_code_point() -> None:
    for first in range(0, sys.maxunicode + 1, 4096):
        block = "".join(map(chr, range(first, min(first + 4096, sys.maxunicode + 1))))
        # Without the characters that send the whole block down the per-character path.
        plain = "".join(c for c in block if len(c.lower()) == 1 and c != "Σ")
        assert timeline._normalise(plain) == normalise_by_definition(plain), hex(first)
        assert timeline._normalise(block) == normalise_by_definition(block), hex(first)


def test_normalise_keeps_offsets_where_lower_case_is_longer() -> None:
    assert timeline._normalise("İSTANBUL’S\u00a0ΣΟΦΟΣ") == "İstanbul's σοφοσ"


# --- EventMatcher ----------------------------------------------------------------------------------


def test_a_built_event_matcher_gives_what_plain_events_give() -> None:
    project = seeds()
    actors, events = build_matcher(project.actors), timeline.build_event_matcher(project.events)
    for b in project.briefings:
        assert index_briefing(b, actors, events) == index_briefing(b, actors, project.events)
    index = cross_reference(project.briefings, project.actors, project.events)
    assert index.briefings == tuple(index_briefing(b, actors, project.events) for b in project.briefings)


def test_unmatched_dates_takes_a_built_matcher_too() -> None:
    events = (Event("e", FuzzyDate(2020, 11, 10), "E", "", phrases=("the statement",)),)
    mentions = dates.find_dates("On 10 November 2020 and in March 2019.", default_year=None, publication_year=None)
    by_paragraph = {"p1": mentions}
    built = timeline.build_event_matcher(events)
    assert timeline.unmatched_dates(built, by_paragraph) == timeline.unmatched_dates(events, by_paragraph)
    assert [m.text for _, m in timeline.unmatched_dates(built, by_paragraph)] == ["March 2019"]
    paragraphs = [("p1", "On 10 November 2020 the Statement was read.", mentions)]
    assert timeline.match_events(built, "b", paragraphs) == timeline.match_events(events, "b", paragraphs)


@pytest.mark.parametrize("events", [(), (Event("e", FuzzyDate(2020), "E", ""),)])
def test_event_matcher_compares_by_its_events(events: tuple[Event, ...]) -> None:
    assert timeline.build_event_matcher(events) == timeline.build_event_matcher(list(events))
