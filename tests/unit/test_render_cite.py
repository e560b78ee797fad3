"""Tests for briefing.render.cite: expected strings are written by hand from the style rules."""

from __future__ import annotations

import json

import jsonschema
import pytest

from briefing.model import Author, BriefingMeta, FuzzyDate
from briefing.render.cite import Citation, cite, highwire_tags, json_ld, open_graph, pinpoint

SITE = "Karabakh Briefings"

# --- the metadata under test -------------------------------------------------------

FULL_URL = "https://minskdialogue.example/en/research/nagorno-karabakh"
FULL_PAGE = "https://briefings.example.org/sub/briefings/markedonov-one-year/"
FULL_TITLE = "Nagorno-Karabakh One Year After the War: Peace, Truce or Anticipation of a New Clash?"
FULL = BriefingMeta(
    slug="markedonov-one-year",
    source="markedonov-one-year.txt",
    title="Nagorno-Karabakh One Year After the War",
    subtitle="Peace, Truce or Anticipation of a New Clash?",
    authors=(Author("Sergey Markedonov", affiliation="MGIMO Institute for International Studies"),),
    publisher="Minsk Dialogue",
    series="Analytical Notes",
    published=FuzzyDate(2021, 11, 10),
    url=FULL_URL,
    summary="One year after the ceasefire,\nneither peace nor war.",
)
ACCESSED = FuzzyDate(2024, 3, 5)

EDITED_PAGE = "https://briefings.example.org/sub/briefings/valiyev-peacekeepers/"
EDITED = BriefingMeta(
    slug="valiyev-peacekeepers",
    source="valiyev-peacekeepers.txt",
    title="Russian Peacekeepers in Karabakh",
    title_status="editor",
    authors=(Author("Anar Valiyev", affiliation="ADA University"), Author("Jean-Paul Dubois")),
    publisher="PONARS Eurasia",
    series="PONARS Eurasia Policy Memo",
    published=FuzzyDate(2021, 9),  # the month is a guess: cited as the year only
    published_approximate=True,
)

HOSTILE_TITLE = 'Breaking out </script><script>alert(1)</script> with "quotes" & {braces}'
HOSTILE_URL = "https://example.org/a_b?x=1&y=%20"
HOSTILE_PAGE = "https://briefings.example.org/briefings/hostile/"
HOSTILE = BriefingMeta(
    slug="hostile",
    source="hostile.txt",
    title=HOSTILE_TITLE,
    authors=(Author("Herodotus"),),
    url=HOSTILE_URL,
)

SPECIAL_TITLE = "Şuşa costs: 100% of $5 #1 a_b ~x^2 \\path"
SPECIAL = BriefingMeta(
    slug="special",
    source="special.txt",
    title=SPECIAL_TITLE,
    title_status="reconstructed",
    authors=(Author("Leyla Əliyeva"),),
    published=FuzzyDate(2020, 12),
    url="https://example.org/x?q={a}",
)

ANONYMOUS_PAGE = "https://briefings.example.org/briefings/memo/"
ANONYMOUS = BriefingMeta(
    slug="memo",
    source="memo.txt",
    title="Untitled Memo",
    publisher="X Institute",
    published=FuzzyDate(2019),
)

ALL = (FULL, EDITED, HOSTILE, SPECIAL, ANONYMOUS)


# --- APA -----------------------------------------------------------------------


def test_apa_fully_known() -> None:
    assert cite(FULL, FULL_PAGE, ACCESSED).apa == (
        "Markedonov, S. (2021). Nagorno-Karabakh One Year After the War: Peace, Truce or Anticipation of "
        "a New Clash? (Analytical Notes). Minsk Dialogue. https://minskdialogue.example/en/research/nagorno-karabakh"
    )


def test_apa_editor_title_approximate_year_two_authors_no_url() -> None:
    assert cite(EDITED, EDITED_PAGE).apa == (
        "Valiyev, A., & Dubois, J.-P. (ca. 2021). [Russian Peacekeepers in Karabakh] "
        "(PONARS Eurasia Policy Memo). PONARS Eurasia. "
        "https://briefings.example.org/sub/briefings/valiyev-peacekeepers/"
    )


def test_apa_no_date_one_word_name_keeps_title_text() -> None:
    assert cite(HOSTILE, HOSTILE_PAGE).apa == (
        'Herodotus. (n.d.). Breaking out </script><script>alert(1)</script> with "quotes" & {braces}. '
        "https://example.org/a_b?x=1&y=%20"
    )


def test_apa_reconstructed_title_is_bracketed() -> None:
    assert cite(SPECIAL, "https://s.example/").apa == (
        "Əliyeva, L. (2020). [Şuşa costs: 100% of $5 #1 a_b ~x^2 \\path]. https://example.org/x?q={a}"
    )


def test_apa_without_authors_moves_title_first() -> None:
    assert cite(ANONYMOUS, ANONYMOUS_PAGE).apa == (
        "Untitled Memo. (2019). X Institute. https://briefings.example.org/briefings/memo/"
    )


def test_apa_three_authors_and_multiword_given_names() -> None:
    meta = BriefingMeta(
        slug="s",
        source="s.txt",
        title="T",
        authors=(Author("Ann Able"), Author("Mary Ann Evans"), Author("Cy Cole")),
        published=FuzzyDate(2020),
    )
    assert cite(meta, "https://s.example/").apa == (
        "Able, A., Evans, M. A., & Cole, C. (2020). T. https://s.example/"
    )


def test_apa_more_than_twenty_authors_uses_ellipsis() -> None:
    authors = tuple(Author(f"Given Family{i:02d}") for i in range(1, 22))
    meta = BriefingMeta(slug="s", source="s.txt", title="T", authors=authors)
    listed = ", ".join(f"Family{i:02d}, G." for i in range(1, 20))
    assert (
        cite(meta, "https://s.example/").apa == f"{listed}, . . . Family21, G. (n.d.). T. https://s.example/"
    )


# --- Chicago -------------------------------------------------------------------


def test_chicago_fully_known_with_access_date() -> None:
    assert cite(FULL, FULL_PAGE, ACCESSED).chicago == (
        'Markedonov, Sergey. "Nagorno-Karabakh One Year After the War: Peace, Truce or Anticipation of '
        'a New Clash?" Analytical Notes. Minsk Dialogue, November 10, 2021. Accessed March 5, 2024. '
        "https://minskdialogue.example/en/research/nagorno-karabakh."
    )


def test_chicago_editor_title_approximate_year_two_authors_no_url() -> None:
    assert cite(EDITED, EDITED_PAGE).chicago == (
        "Valiyev, Anar, and Jean-Paul Dubois. [Russian Peacekeepers in Karabakh]. "
        "PONARS Eurasia Policy Memo. PONARS Eurasia, ca. 2021. "
        "https://briefings.example.org/sub/briefings/valiyev-peacekeepers/."
    )


def test_chicago_turns_inner_double_quotes_single() -> None:
    assert cite(HOSTILE, HOSTILE_PAGE).chicago == (
        "Herodotus. \"Breaking out </script><script>alert(1)</script> with 'quotes' & {braces}.\" "
        "n.d. https://example.org/a_b?x=1&y=%20."
    )


def test_chicago_month_precision_without_publisher() -> None:
    assert cite(SPECIAL, "https://s.example/").chicago == (
        "Əliyeva, Leyla. [Şuşa costs: 100% of $5 #1 a_b ~x^2 \\path]. December 2020. "
        "https://example.org/x?q={a}."
    )


def test_chicago_without_authors() -> None:
    assert cite(ANONYMOUS, ANONYMOUS_PAGE).chicago == (
        '"Untitled Memo." X Institute, 2019. https://briefings.example.org/briefings/memo/.'
    )


def test_chicago_three_and_eleven_authors() -> None:
    three = BriefingMeta(
        slug="s",
        source="s.txt",
        title="T",
        authors=(Author("Ann Able"), Author("Bob Baker"), Author("Cy Cole")),
    )
    assert cite(three, "https://s.example/").chicago == (
        'Able, Ann, Bob Baker, and Cy Cole. "T." n.d. https://s.example/.'
    )
    eleven = BriefingMeta(
        slug="s", source="s.txt", title="T", authors=tuple(Author(f"Given F{i:02d}") for i in range(1, 12))
    )
    assert cite(eleven, "https://s.example/").chicago == (
        "F01, Given, Given F02, Given F03, Given F04, Given F05, Given F06, Given F07, et al. "
        '"T." n.d. https://s.example/.'
    )


# --- BibTeX --------------------------------------------------------------------


def braces_balance(text: str) -> bool:
    """BibTeX counts every brace, backslash or not, so this does too."""
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_fully_known() -> None:
    assert cite(FULL, FULL_PAGE, ACCESSED).bibtex == (
        "@techreport{markedonov2021nagorno,\n"
        "  author = {Markedonov, Sergey},\n"
        "  title = {{Nagorno-Karabakh One Year After the War: "
        "Peace, Truce or Anticipation of a New Clash?}},\n"
        "  institution = {Minsk Dialogue},\n"
        "  type = {Analytical Notes},\n"
        "  year = {2021},\n"
        "  month = nov,\n"
        "  url = {https://minskdialogue.example/en/research/nagorno-karabakh},\n"
        "  urldate = {2024-03-05}\n"
        "}\n"
    )


def test_bibtex_editor_title_approximate_year_two_authors() -> None:
    assert cite(EDITED, EDITED_PAGE).bibtex == (
        "@techreport{valiyev2021russian,\n"
        "  author = {Valiyev, Anar and Dubois, Jean-Paul},\n"
        "  title = {{Russian Peacekeepers in Karabakh}},\n"
        "  institution = {PONARS Eurasia},\n"
        "  type = {PONARS Eurasia Policy Memo},\n"
        "  year = {2021},\n"
        "  url = {https://briefings.example.org/sub/briefings/valiyev-peacekeepers/},\n"
        "  note = {Title supplied by the editor. Publication date approximate}\n"
        "}\n"
    )


def test_bibtex_hostile_title() -> None:
    assert cite(HOSTILE, HOSTILE_PAGE).bibtex == (
        "@techreport{herodotusbreaking,\n"
        "  author = {Herodotus},\n"
        '  title = {{Breaking out </script><script>alert(1)</script> with "quotes" \\& '
        "\\textbraceleft{}braces\\textbraceright{}}},\n"
        "  url = {https://example.org/a_b?x=1&y=%20}\n"
        "}\n"
    )


def test_bibtex_escapes_every_special_and_keeps_utf8() -> None:
    assert cite(SPECIAL, "https://s.example/").bibtex == (
        "@techreport{eliyeva2020susa,\n"
        "  author = {Əliyeva, Leyla},\n"
        "  title = {{Şuşa costs: 100\\% of \\$5 \\#1 a\\_b \\textasciitilde{}x\\textasciicircum{}2 "
        "\\textbackslash{}path}},\n"
        "  year = {2020},\n"
        "  month = dec,\n"
        "  url = {https://example.org/x?q=%7Ba%7D},\n"
        "  note = {Title reconstructed from the original URL}\n"
        "}\n"
    )


def test_bibtex_key_without_authors_or_date() -> None:
    assert cite(ANONYMOUS, ANONYMOUS_PAGE).bibtex.startswith("@techreport{anon2019untitled,\n")


@pytest.mark.parametrize("meta", ALL, ids=lambda m: m.slug)
def test_bibtex_braces_balance(meta: BriefingMeta) -> None:
    text = cite(meta, "https://s.example/{odd}", ACCESSED).bibtex
    assert braces_balance(text)
    assert braces_balance("{" + "}")  # the checker itself
    assert not braces_balance("}{")


# --- RIS -----------------------------------------------------------------------


def test_ris_fully_known() -> None:
    assert cite(FULL, FULL_PAGE, ACCESSED).ris == (
        "TY  - RPRT\n"
        "AU  - Markedonov, Sergey\n"
        "TI  - Nagorno-Karabakh One Year After the War: Peace, Truce or Anticipation of a New Clash?\n"
        "PY  - 2021\n"
        "DA  - 2021/11/10/\n"
        "PB  - Minsk Dialogue\n"
        "T3  - Analytical Notes\n"
        "UR  - https://minskdialogue.example/en/research/nagorno-karabakh\n"
        "Y2  - 2024/03/05/\n"
        "LA  - en\n"
        "ER  - \n"
    )


def test_ris_editor_title_approximate_year_two_authors() -> None:
    assert cite(EDITED, EDITED_PAGE).ris == (
        "TY  - RPRT\n"
        "AU  - Valiyev, Anar\n"
        "AU  - Dubois, Jean-Paul\n"
        "TI  - Russian Peacekeepers in Karabakh\n"
        "PY  - 2021\n"
        "PB  - PONARS Eurasia\n"
        "T3  - PONARS Eurasia Policy Memo\n"
        "UR  - https://briefings.example.org/sub/briefings/valiyev-peacekeepers/\n"
        "LA  - en\n"
        "N1  - Title supplied by the editor\n"
        "N1  - Publication date approximate\n"
        "ER  - \n"
    )


def test_ris_month_precision_date() -> None:
    lines = cite(SPECIAL, "https://s.example/").ris.splitlines()
    assert "PY  - 2020" in lines
    assert "DA  - 2020/12//" in lines


# --- CSL-JSON ------------------------------------------------------------------

# The parts of the official CSL-JSON schema (citation-style-language/schema,
# schemas/input/csl-data.json) that cover the variables this module writes.
CSL_DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "items": {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 1, "maxItems": 3},
            "minItems": 1,
            "maxItems": 2,
        },
        "circa": {"type": ["string", "number", "boolean"]},
    },
    "additionalProperties": False,
}
CSL_NAME = {
    "type": "object",
    "properties": {"family": {"type": "string"}, "given": {"type": "string"}},
    "additionalProperties": False,
}
CSL_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "type": {"enum": ["report"]},
            "id": {"type": ["string", "number"]},
            "title": {"type": "string"},
            "author": {"type": "array", "items": CSL_NAME},
            "issued": CSL_DATE,
            "accessed": CSL_DATE,
            "publisher": {"type": "string"},
            "collection-title": {"type": "string"},
            "URL": {"type": "string"},
            "language": {"type": "string"},
            "note": {"type": "string"},
        },
        "required": ["type", "id"],
        "additionalProperties": False,
    },
    "minItems": 1,
    "maxItems": 1,
}


@pytest.mark.parametrize("meta", ALL, ids=lambda m: m.slug)
def test_csl_json_matches_schema(meta: BriefingMeta) -> None:
    data = json.loads(cite(meta, "https://s.example/", ACCESSED).csl_json)
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(data)


def test_csl_json_fully_known() -> None:
    text = cite(FULL, FULL_PAGE, ACCESSED).csl_json
    assert text.startswith('[\n  {\n    "type": "report",\n')
    assert text.endswith("}\n]\n")
    assert json.loads(text) == [
        {
            "type": "report",
            "id": "markedonov-one-year",
            "title": FULL_TITLE,
            "author": [{"family": "Markedonov", "given": "Sergey"}],
            "issued": {"date-parts": [[2021, 11, 10]]},
            "publisher": "Minsk Dialogue",
            "collection-title": "Analytical Notes",
            "URL": FULL_URL,
            "accessed": {"date-parts": [[2024, 3, 5]]},
            "language": "en",
        }
    ]


def test_csl_json_editor_title_approximate_year() -> None:
    assert json.loads(cite(EDITED, EDITED_PAGE).csl_json) == [
        {
            "type": "report",
            "id": "valiyev-peacekeepers",
            "title": "Russian Peacekeepers in Karabakh",
            "author": [{"family": "Valiyev", "given": "Anar"}, {"family": "Dubois", "given": "Jean-Paul"}],
            "issued": {"date-parts": [[2021]], "circa": True},
            "publisher": "PONARS Eurasia",
            "collection-title": "PONARS Eurasia Policy Memo",
            "URL": EDITED_PAGE,
            "language": "en",
            "note": "Title supplied by the editor. Publication date approximate",
        }
    ]


def test_csl_json_keeps_non_ascii_and_one_word_names() -> None:
    hostile = json.loads(cite(HOSTILE, HOSTILE_PAGE).csl_json)[0]
    assert hostile["author"] == [{"family": "Herodotus"}]
    assert hostile["title"] == HOSTILE_TITLE
    assert "issued" not in hostile
    assert "Əliyeva" in cite(SPECIAL, "https://s.example/").csl_json  # UTF-8, not \u escapes


def test_cite_returns_citation_and_is_deterministic() -> None:
    first = cite(EDITED, EDITED_PAGE)
    assert isinstance(first, Citation)
    assert first == cite(EDITED, EDITED_PAGE)


# --- pinpoint ------------------------------------------------------------------


def test_pinpoint_one_author() -> None:
    assert pinpoint(FULL, FULL_PAGE, 14) == (
        "Markedonov (2021), para. 14, https://briefings.example.org/sub/briefings/markedonov-one-year/#p14"
    )


def test_pinpoint_two_authors_approximate_year_and_existing_fragment() -> None:
    assert pinpoint(EDITED, EDITED_PAGE + "#top", 3) == (
        "Valiyev and Dubois (ca. 2021), para. 3, "
        "https://briefings.example.org/sub/briefings/valiyev-peacekeepers/#p3"
    )


def test_pinpoint_three_authors_no_author_and_no_date() -> None:
    three = BriefingMeta(
        slug="s", source="s.txt", title="T", authors=(Author("A Able"), Author("B Baker"), Author("C Cole"))
    )
    assert pinpoint(three, "https://s.example/", 2) == "Able et al. (n.d.), para. 2, https://s.example/#p2"
    assert pinpoint(ANONYMOUS, ANONYMOUS_PAGE, 1) == (
        '"Untitled Memo" (2019), para. 1, https://briefings.example.org/briefings/memo/#p1'
    )


def test_pinpoint_rejects_paragraph_zero() -> None:
    with pytest.raises(ValueError, match="expected a paragraph number of 1 or more, found 0"):
        pinpoint(FULL, FULL_PAGE, 0)


# --- Highwire Press tags -------------------------------------------------------


def test_highwire_fully_known_with_pdf() -> None:
    assert highwire_tags(FULL, FULL_PAGE, "https://briefings.example.org/sub/x.pdf") == (
        ("citation_title", FULL_TITLE),
        ("citation_author", "Markedonov, Sergey"),
        ("citation_publication_date", "2021/11/10"),
        ("citation_publisher", "Minsk Dialogue"),
        ("citation_series_title", "Analytical Notes"),
        ("citation_public_url", FULL_URL),
        ("citation_language", "en"),
        ("citation_technical_report_institution", "Minsk Dialogue"),
        ("citation_abstract_html_url", FULL_PAGE),
        ("citation_pdf_url", "https://briefings.example.org/sub/x.pdf"),
    )


def test_highwire_approximate_two_authors_no_url() -> None:
    assert highwire_tags(EDITED, EDITED_PAGE) == (
        ("citation_title", "Russian Peacekeepers in Karabakh"),
        ("citation_author", "Valiyev, Anar"),
        ("citation_author", "Dubois, Jean-Paul"),
        ("citation_publication_date", "2021"),
        ("citation_publisher", "PONARS Eurasia"),
        ("citation_series_title", "PONARS Eurasia Policy Memo"),
        ("citation_public_url", EDITED_PAGE),
        ("citation_language", "en"),
        ("citation_technical_report_institution", "PONARS Eurasia"),
        ("citation_abstract_html_url", EDITED_PAGE),
    )


def test_highwire_omits_unknown_values() -> None:
    assert highwire_tags(HOSTILE, HOSTILE_PAGE) == (
        ("citation_title", HOSTILE_TITLE),
        ("citation_author", "Herodotus"),
        ("citation_public_url", HOSTILE_URL),
        ("citation_language", "en"),
        ("citation_abstract_html_url", HOSTILE_PAGE),
    )
    assert ("citation_publication_date", "2020/12") in highwire_tags(SPECIAL, "https://s.example/")


@pytest.mark.parametrize("meta", ALL, ids=lambda m: m.slug)
def test_highwire_and_open_graph_never_emit_empty_content(meta: BriefingMeta) -> None:
    tags = highwire_tags(meta, "https://s.example/") + open_graph(meta, "https://s.example/", SITE)
    for _, content in tags:
        assert content.strip() == content != ""


# --- Open Graph ----------------------------------------------------------------


def test_open_graph_fully_known() -> None:
    assert open_graph(FULL, FULL_PAGE, SITE) == (
        ("og:type", "article"),
        ("og:title", FULL_TITLE),
        ("og:url", FULL_PAGE),
        ("og:site_name", "Karabakh Briefings"),
        ("og:description", "One year after the ceasefire, neither peace nor war."),
        ("article:published_time", "2021-11-10"),
        ("article:author", "Sergey Markedonov"),
    )


def test_open_graph_without_summary_two_authors() -> None:
    assert open_graph(EDITED, EDITED_PAGE, SITE) == (
        ("og:type", "article"),
        ("og:title", "Russian Peacekeepers in Karabakh"),
        ("og:url", EDITED_PAGE),
        ("og:site_name", "Karabakh Briefings"),
        ("article:published_time", "2021"),
        ("article:author", "Anar Valiyev"),
        ("article:author", "Jean-Paul Dubois"),
    )


# --- JSON-LD -------------------------------------------------------------------


def test_json_ld_fully_known() -> None:
    assert json.loads(json_ld(FULL, FULL_PAGE, SITE)) == {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": FULL_TITLE,
        "name": FULL_TITLE,
        "author": [
            {
                "@type": "Person",
                "name": "Sergey Markedonov",
                "affiliation": {"@type": "Organization", "name": "MGIMO Institute for International Studies"},
            }
        ],
        "datePublished": "2021-11-10",
        "description": "One year after the ceasefire, neither peace nor war.",
        "publisher": {"@type": "Organization", "name": "Minsk Dialogue"},
        "url": FULL_PAGE,
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": FULL_PAGE,
            "isPartOf": {"@type": "WebSite", "name": "Karabakh Briefings"},
        },
        "inLanguage": "en",
        "isPartOf": {"@type": "CreativeWorkSeries", "name": "Analytical Notes"},
        "sameAs": FULL_URL,
    }


def test_json_ld_approximate_without_url_or_affiliation() -> None:
    data = json.loads(json_ld(EDITED, EDITED_PAGE, SITE))
    assert data["datePublished"] == "2021"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Anar Valiyev",
            "affiliation": {"@type": "Organization", "name": "ADA University"},
        },
        {"@type": "Person", "name": "Jean-Paul Dubois"},
    ]
    assert "sameAs" not in data
    assert "description" not in data


def test_json_ld_is_safe_inside_a_script_element() -> None:
    text = json_ld(HOSTILE, HOSTILE_PAGE, "Sites & <Things>")
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in text
    data = json.loads(text)
    assert data["headline"] == HOSTILE_TITLE
    assert data["name"] == HOSTILE_TITLE
    assert data["sameAs"] == HOSTILE_URL
    assert data["mainEntityOfPage"]["isPartOf"]["name"] == "Sites & <Things>"
    assert "datePublished" not in data
    assert "publisher" not in data
