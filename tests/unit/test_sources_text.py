"""The plain-text reader on the two seeds (structure pinned by hand from the texts), on small tricky
layouts, and on the fixture cases in tests/cases/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefing.model import Document, Paragraph
from briefing.sources.files import decode, read_source
from briefing.sources.layout import finished, join_lines, looks_like_heading, note_place
from briefing.sources.text import read_text

ROOT = Path(__file__).resolve().parents[2]
MARKEDONOV = "markedonov-karabakh-one-year-after-the-war.txt"
VALIYEV = "valiyev-russian-peacekeepers-in-karabakh.txt"
CASES = sorted((ROOT / "tests" / "cases").glob("*.case"))


def read_seed(name: str, authors: tuple[str, ...] = ()) -> Document:
    return read_text(read_source(ROOT / "seeds" / name, f"seeds/{name}"), authors)


def seed_lines(name: str) -> list[str]:
    return (ROOT / "seeds" / name).read_text(encoding="utf-8").split("\n")


def read(text: str) -> Document:
    return read_text(decode("seeds/t.txt", text.encode()))


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs()]


def para(doc: Document, pid: str) -> Paragraph:
    return next(p for p in doc.paragraphs() if p.id == pid)


@pytest.fixture(scope="module")
def markedonov() -> Document:
    return read_seed(MARKEDONOV)


@pytest.fixture(scope="module")
def valiyev() -> Document:
    return read_seed(VALIYEV)


# --- Markedonov: clean layout ------------------------------------------------------------------


def test_markedonov_sections_in_order(markedonov: Document) -> None:
    assert [(s.heading, len(s.paragraphs)) for s in markedonov.sections] == [
        (None, 1),
        ("Geopolitical Reconfigurations", 9),
        ("Domestic Policy Aspects: Azerbaijan", 5),
        ("Domestic Policy Aspects: Armenia", 6),
        ("Russia as the Chief Mediator", 6),
        (None, 2),  # two blank lines (65-66) and no heading: the untitled closing section
    ]
    assert [s.id for s in markedonov.sections] == [
        "opening",
        "geopolitical-reconfigurations",
        "domestic-policy-aspects-azerbaijan",
        "domestic-policy-aspects-armenia",
        "russia-as-the-chief-mediator",
        "section-6",
    ]


def test_markedonov_paragraph_lines(markedonov: Document) -> None:
    # One line per paragraph: 4, then every other line 8-24, 28-36, 40-50, 54-64, then 67 and 69.
    lines = [4, *range(8, 25, 2), *range(28, 37, 2), *range(40, 51, 2), *range(54, 65, 2), 67, 69]
    assert [(p.id, p.span.line, p.span.end_line) for p in markedonov.paragraphs()] == [
        (f"p{i}", n, n) for i, n in enumerate(lines, start=1)
    ]


def test_markedonov_paragraphs_are_the_lines_themselves(markedonov: Document) -> None:
    # The text carries 16 no-break spaces from its web extraction ("signed\u00a0a bilateral"); they read as spaces.
    lines = [line.replace("\u00a0", " ") for line in seed_lines(MARKEDONOV)]
    for p in markedonov.paragraphs():
        if p.id != "p2":  # the only paragraph with markers
            assert p.text == lines[p.span.line - 1]


def test_markedonov_byline_and_bio(markedonov: Document) -> None:
    assert markedonov.byline == ("Sergey Markedonov",)
    assert markedonov.bio == (
        "Leading Research Fellow, Institute for International Studies, Moscow State Institute of International "
        "Relations of the Foreign Ministry of Russia; Editor-in-Chief, Journal of International Analytics; "
        "Member of the Minsk Dialogue Expert Council"
    )
    assert markedonov.bio_span is not None
    assert (markedonov.bio_span.line, markedonov.bio_span.end_line) == (80, 80)
    assert markedonov.layout == "clean"


def test_markedonov_footnotes(markedonov: Document) -> None:
    assert [(n.number, n.text, n.cited_in, n.attached_to) for n in markedonov.footnotes] == [
        (
            1,
            "Read more in: Storm of the Caucasus. Under the editorship of R.N. Pukhov. Moscow, Centre for the "
            "Analysis of Strategies and Technologies (CAST). 2021. 128 p.",
            ("p2",),
            "body",
        ),
        (
            2,
            "A.S. Abasov, A.T. Khachatrian. Karabakh Conflict. Optional Solutions: Ideas and Reality. Moscow. "
            "International Relations. 2004. 61 p.",
            ("p2",),
            "body",
        ),
    ]
    spans = [(n.span.line, n.span.end_line) if n.span else None for n in markedonov.footnotes]
    assert spans == [(72, 72), (74, 74)]


def test_markedonov_markers_removed_at_the_right_offsets(markedonov: Document) -> None:
    p2 = para(markedonov, "p2")
    assert "[1]" not in p2.text and "[2]" not in p2.text
    assert "status quo of twenty-six years. Azerbaijan got its revenge." in p2.text
    assert "about 13% of its territory beyond its control, but as a result" in p2.text
    first, second = p2.footnotes
    assert first.number == 1 and p2.text[: first.offset].endswith("of twenty-six years.")
    assert p2.text[first.offset :].startswith(" Azerbaijan got its revenge.")
    assert second.number == 2 and p2.text[: second.offset].endswith("beyond its control")
    assert p2.text[second.offset :].startswith(", but as a result of last year’s military campaign")
    assert [r.number for p in markedonov.paragraphs() for r in p.footnotes] == [1, 2]


def test_markedonov_has_no_links(markedonov: Document) -> None:
    assert markedonov.links == ()


def test_markedonov_numbered_challenges_stay_in_the_text(markedonov: Document) -> None:
    # "1) keeping … 2) completing" (line 18) is an enumeration, not two footnote markers.
    assert "two main challenges to handle: 1) keeping Nagorno-Karabakh’s status on the negotiation agenda and 2) " \
        "completing the state border demarcation" in para(markedonov, "p7").text


def test_markedonov_reads_the_same_with_its_author_known() -> None:
    assert read_seed(MARKEDONOV, ("Sergey Markedonov",)) == read_seed(MARKEDONOV)


# --- Valiyev: PDF-extracted layout -------------------------------------------------------------

VALIYEV_LINES = [
    (1, 11),  # opening; line 1 starts with a space (a page start)
    (15, 22),
    (24, 49),  # interrupted by the page footer (29) and the URL block (33-38)
    (51, 62),
    (66, 77),
    (79, 88),
    (90, 96),
    (98, 108),
    (110, 117),
    (121, 131),
    (133, 141),
    (143, 148),
    (150, 162),
    (166, 173),
    (175, 182),
    (186, 196),
]


def test_valiyev_sections_in_order(valiyev: Document) -> None:
    assert [(s.heading, len(s.paragraphs)) for s in valiyev.sections] == [
        (None, 1),
        ("A Deadly War in the South Caucasus", 3),
        ("Russians in Karabakh: We Are Back!", 5),
        ("Azerbaijan’s Stance: Strategic Patience Works", 4),
        ("What Comes Next?", 2),
        ("Conclusion", 1),
    ]
    assert [(s.span.line if s.span else None) for s in valiyev.sections] == [None, 13, 64, 119, 164, 184]
    assert valiyev.layout == "pdf"


def test_valiyev_paragraph_lines(valiyev: Document) -> None:
    assert [(p.span.line, p.span.end_line) for p in valiyev.paragraphs()] == VALIYEV_LINES
    assert [p.id for p in valiyev.paragraphs()] == [f"p{i}" for i in range(1, 17)]
    assert valiyev.paragraphs()[0].span.col == 2  # after the page-start space


def test_valiyev_no_byline_no_bio(valiyev: Document) -> None:
    assert (valiyev.byline, valiyev.bio, valiyev.bio_span) == ((), None, None)


def test_valiyev_footnotes(valiyev: Document) -> None:
    one, two = valiyev.footnotes
    assert (one.number, one.text, one.cited_in, one.attached_to) == (
        1,
        "Anar Valiyev is Associate Professor at ADA University, Baku, Azerbaijan.",
        (),
        "byline",  # the page footer's author note: no marker in the body cites it
    )
    assert one.span is not None and (one.span.line, one.span.end_line) == (29, 29)
    assert (two.number, two.text, two.cited_in, two.attached_to) == (2, None, ("p14",), "body")


def test_valiyev_missing_note_marker(valiyev: Document) -> None:
    p14 = para(valiyev, "p14")
    assert p14.span.line == 166
    (ref,) = p14.footnotes
    assert ref.number == 2
    assert p14.text[: ref.offset].endswith("where the latent confrontation is more pronounced.")
    assert p14.text[ref.offset :].startswith(" Cooperation also allows Azerbaijan")
    assert "pronounced. 2" not in p14.text


def test_valiyev_links_deduplicated_in_order(valiyev: Document) -> None:
    assert valiyev.links == (
        "http://www.ponarseurasia.org",
        "https://www.theguardian.com/world/2020/oct/04/us-armenia-azerbaijan-nagaon-karabakh",
        "https://www.amnesty.org/en/latest/news/2021/01/azerbaijan-armenia-scores-of-civilians-killed-by-"
        "indiscriminate-use-of-weapons-in-conflict-over-nagorno-karabakh/",
        "https://tass.com/world/1277921",
        "http://www.ponarseurasia.org/members/anar-valiyev",
    )


def test_valiyev_paragraph_interrupted_by_the_footer_is_one(valiyev: Document) -> None:
    lines = seed_lines(VALIYEV)
    p3 = para(valiyev, "p3")
    assert p3.text == " ".join([*lines[23:27], *lines[39:49]])  # lines 24-27 and 40-49
    assert "around 4,000 soldiers. The war almost ended on November 8 when Azerbaijani troops took the city" in p3.text
    assert p3.text.endswith("can be seen on maps at the BBC and Caucasian Knot.")


def test_valiyev_page_starts_continue_their_paragraph(valiyev: Document) -> None:
    assert "would like to push Armenia away from partaking in direct negotiation processes and will represent" in (
        para(valiyev, "p6").text
    )
    assert "compete but cooperate. Such cooperative competition puts the South Caucasus" in para(valiyev, "p14").text
    assert "took away Azerbaijan’s full victory. Either way, Azerbaijan’s policies will be concentrated" in (
        para(valiyev, "p10").text
    )
    assert para(valiyev, "p1").text.startswith("After the September-November war of 2020, Azerbaijan liberated")


def test_valiyev_line_end_hyphens_are_real_hyphens(valiyev: Document) -> None:
    assert "interference in Moscow-Baku negotiations" in para(valiyev, "p9").text
    assert "another strongly anti-Russia Georgian scenario" in para(valiyev, "p15").text
    assert "Baku sees the current post-conflict situation" in para(valiyev, "p16").text
    assert "a railroad /highway corridor" in para(valiyev, "p13").text  # a slash inside a line is left alone


def test_valiyev_numbers_stay_in_the_text(valiyev: Document) -> None:
    p3 = para(valiyev, "p3").text
    assert "envisions 1,960 Russian armed troops, 90 armored vehicles, and 380 motor vehicles" in p3
    assert "around 3,000 Azerbaijani soldiers and 92 civilians" in p3
    assert "On September 27, 2020, Baku reported shelling" in para(valiyev, "p2").text


def test_valiyev_reads_the_same_with_its_author_known() -> None:
    assert read_seed(VALIYEV, ("Anar Valiyev",)) == read_seed(VALIYEV)


# --- nothing lost, nothing leaked -----------------------------------------------------------------

# Lines the reader moves out of the body, found by reading the seeds: byline, headings, notes, URLs, bio.
MOVED = {
    MARKEDONOV: {1, 6, 26, 38, 52, 72, 74, 78, 80},
    VALIYEV: {13, 29, *range(33, 39), 64, 119, 164, 184},
}
MARKERS = {MARKEDONOV: [(8, "[1]"), (8, " [2]")], VALIYEV: [(169, " 2")]}


def body_words(name: str) -> list[str]:
    """The seed's body words in order: moved lines left out, markers cut, a line-end hyphen joined."""
    lines = seed_lines(name)
    for number, marker in MARKERS[name]:
        assert marker in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(marker, "", 1)
    words: list[str] = []
    glue = False
    for number, line in enumerate(lines, start=1):
        if number in MOVED[name]:
            continue
        for word in line.split():
            if glue:
                words[-1] += word
            else:
                words.append(word)
            glue = False
        glue = bool(words) and words[-1].endswith("-") and line.rstrip().endswith("-")
    return words


@pytest.mark.parametrize("name", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_every_body_word_reaches_a_paragraph_in_order(name: str) -> None:
    doc = read_seed(name)
    assert " ".join(texts(doc)).split() == body_words(name)


@pytest.mark.parametrize("name", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_every_moved_line_is_somewhere_else(name: str) -> None:
    doc = read_seed(name)
    elsewhere = " ".join(
        [
            *doc.byline,
            doc.bio or "",
            *(s.heading or "" for s in doc.sections),
            *(f"{n.number} {n.text}" for n in doc.footnotes if n.text),
            *doc.links,
        ]
    )
    lines = seed_lines(name)
    for number in MOVED[name]:
        line = re.sub(r"^(\d+)\.\s+", r"\1 ", lines[number - 1].strip())  # "1.  Read" is note 1 "Read"
        assert line in elsewhere, number


@pytest.mark.parametrize("name", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_nothing_from_footers_urls_or_bios_leaks_into_the_body(name: str) -> None:
    body = " ".join(texts(read_seed(name)))
    for leak in ("http", "www.", "ponarseurasia", "Associate Professor", "Leading Research Fellow",
                 "Markedonov", "Valiyev", "Read more in", "Abasov", "[1]", "[2]", "  "):
        assert leak not in body, leak


@pytest.mark.parametrize("name", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_reading_twice_gives_equal_documents(name: str) -> None:
    assert read_seed(name) == read_seed(name)


# --- small layouts (each found by the property test or by reading the seeds) ---------------------


def test_one_line_paragraph_ending_in_a_marker_is_not_a_heading() -> None:
    doc = read("Intro\n\nShort claim here.[1] Another one.[2]\n\nMore text follows here.\n\n1. A note.\n\n2. B note.\n")
    assert [s.heading for s in doc.sections] == ["Intro"]
    assert texts(doc) == ["Short claim here. Another one.", "More text follows here."]


def test_two_sentence_question_is_a_paragraph_not_a_heading() -> None:
    doc = read("Trade Outlook\n\nIt holds. Who pays?\n\nThe council answers.\n")
    assert [(s.heading, [p.text for p in s.paragraphs]) for s in doc.sections] == [
        ("Trade Outlook", ["It holds. Who pays?", "The council answers."])
    ]


def test_heading_after_paragraph_ending_with_a_marker() -> None:
    doc = read("Opening words here.[1]\n\nPolicy\n\nBody text here.\n\n1. Note.\n")
    assert [s.heading for s in doc.sections] == [None, "Policy"]


def test_endnotes_on_consecutive_lines_are_separate_notes() -> None:
    doc = read("Body one.[1] Body two.[2] Body three.[3]\n\n1. First note.\n2. Second note.\n3. Third note.\n")
    assert [(n.number, n.text) for n in doc.footnotes] == [(1, "First note."), (2, "Second note."), (3, "Third note.")]


def test_spaced_dash_at_a_line_end_keeps_its_space() -> None:
    doc = read("The protests peaked twice —\nin December and February. The road is Goris–\nKapan now.\n")
    assert texts(doc) == ["The protests peaked twice — in December and February. The road is Goris–Kapan now."]


def test_semicolon_at_a_page_footer_does_not_end_the_paragraph() -> None:
    doc = read("The talks stalled;\n\n1 Kellin Orvath is a fellow at the council.\n\nhttp://example.org\n\n"
               "Brandt said so. 2\nThen more.\n")
    assert texts(doc) == ["The talks stalled; Brandt said so. Then more."]
    assert [(n.number, n.text, n.cited_in) for n in doc.footnotes] == [
        (1, "Kellin Orvath is a fellow at the council.", ()),
        (2, None, ("p1",)),
    ]


def test_bare_marker_before_the_footer_with_the_author_note() -> None:
    # Page one ends with its footer: the author note 1 and the note 2 whose marker stands above it.
    doc = read("The river council met in the winter.\nIt did not meet again. 2\nThe market held\n\n"
               "1 Ann Lee is a fellow.\n2 See the ledger.\n\n on its own.\n")
    assert texts(doc) == ["The river council met in the winter. It did not meet again. The market held on its own."]
    assert [(n.number, n.text, n.cited_in, n.attached_to) for n in doc.footnotes] == [
        (1, "Ann Lee is a fellow.", (), "byline"),
        (2, "See the ledger.", ("p1",), "body"),
    ]


def test_number_opening_a_page_after_a_url_block_is_text() -> None:
    doc = read("The count reached\n\nhttp://example.org\n\n 10 Orvath villages. 1\n\n1 See the ledger.\n")
    assert texts(doc) == ["The count reached 10 Orvath villages."]
    assert [(n.number, n.text, n.cited_in) for n in doc.footnotes] == [(1, "See the ledger.", ("p1",))]


def test_heading_at_a_page_start_keeps_its_leading_space_out() -> None:
    doc = read("First paragraph ends here.\n\n Conclusion\n\nLast paragraph.\n")
    assert [(s.heading, len(s.paragraphs)) for s in doc.sections] == [(None, 1), ("Conclusion", 1)]


def test_first_line_followed_by_a_footer_is_a_paragraph_not_a_heading() -> None:
    doc = read("River council and the market\n\n1 Ann Lee is a fellow at the council.\n\nhttp://example.org\n\n"
               " held steady. Then it fell.\n")
    assert texts(doc) == ["River council and the market held steady. Then it fell."]
    assert doc.sections[0].heading is None


def test_number_after_a_comma_at_a_line_end_is_not_a_marker() -> None:
    doc = read("The brigade brought troops, 1\nmore than expected.\n")
    assert texts(doc) == ["The brigade brought troops, 1 more than expected."]
    assert doc.footnotes == ()


# --- the shared rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("What Comes Next?", True),
        ("Russians in Karabakh: We Are Back!", True),
        ("U.S. Policy in the Caucasus", True),
        ("Conclusion", True),
        ("It holds. Who pays?", False),  # a sentence ends inside
        ("See the ledger at http://example.org", False),  # a web address
        ("the war almost ended", False),  # lowercase
        ("Domestic Policy Aspects:", False),  # ends like a lead-in
    ],
)
def test_looks_like_heading(line: str, heading: bool) -> None:
    assert looks_like_heading(line) is heading


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["Moscow-", "Baku talks"], "Moscow-Baku talks"),
        (["peaked twice —", "in December"], "peaked twice — in December"),
        (["challenge—", "today"], "challenge—today"),
        (["  a page start ", " goes on"], "a page start goes on"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


def test_semicolon_does_not_finish_a_paragraph_but_a_colon_may() -> None:
    endings = ("held.", "held;", "as follows:", "“held.”", "held")
    assert [finished(t) for t in endings] == [True, False, True, True, False]


def test_note_place() -> None:
    assert note_place(1, "Ann Lee is a fellow.", cited={2}, given={1, 2}, byline=()) == "byline"
    assert note_place(3, "Ann Lee is a fellow.", cited={2}, given={2, 3}, byline=("Ann Lee",)) == "byline"
    assert note_place(3, "An uncited note.", cited={2}, given={2, 3}, byline=("Ann Lee",)) == "body"
    assert note_place(2, "A cited note.", cited={2}, given={2}, byline=()) == "body"
    assert note_place(2, None, cited={2}, given=set(), byline=()) == "body"


# --- fixture cases ------------------------------------------------------------------------------


def parse_case(path: Path) -> tuple[str, str, dict[str, Any]]:
    """``title`` line, ``----- input`` then the raw text, ``----- expected`` then JSON."""
    raw = path.read_text(encoding="utf-8")
    title, rest = raw.split("\n", 1)
    head, rest = rest.split("----- input\n", 1)
    assert not head.strip(), f"{path.name}: text between the title and the input"
    text, expected = rest.split("\n----- expected\n", 1)
    return title, text + "\n", json.loads(expected)


def as_case(doc: Document) -> dict[str, Any]:
    return {
        "sections": [
            {
                "heading": s.heading,
                "paragraphs": [
                    {"text": p.text, "footnotes": [[r.number, r.offset] for r in p.footnotes],
                     "lines": [p.span.line, p.span.end_line]}
                    for p in s.paragraphs
                ],
            }
            for s in doc.sections
        ],
        "footnotes": [
            {"number": n.number, "text": n.text, "cited_in": list(n.cited_in), "attached_to": n.attached_to}
            for n in doc.footnotes
        ],
        "links": list(doc.links),
        "byline": list(doc.byline),
        "bio": doc.bio,
    }


def test_there_are_cases() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    title, text, expected = parse_case(path)
    got = as_case(read_text(decode(f"tests/cases/{path.name}", text.encode())))
    assert {k: got[k] for k in expected} == expected, title
