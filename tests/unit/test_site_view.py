"""Home, compare, extra pages, search and 404 contexts, on a small hand-made collection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.index.crossref import BriefingIndex, Index, group
from briefing.model import (
    Actor,
    Author,
    Briefing,
    BriefingMeta,
    Document,
    Event,
    FuzzyDate,
    Mention,
    Page,
    Paragraph,
    Passage,
    Section,
    Span,
)
from briefing.render.chrome import Settings, chrome
from briefing.render.html import render_page, template_env
from briefing.render.plan import PlannedPage
from briefing.render.site_view import (
    build_compare,
    build_home,
    build_not_found,
    build_search,
    build_text_page,
    context,
    newest_publication,
    page_markdown,
    portable_href,
    target_label,
)

ROOT = Path(__file__).resolve().parents[2]
SERVED = Settings("https://example.org/site/")
PORTABLE = Settings("https://example.org/site/", portable=True)

TEXTS = {
    ("alpha", "p1"): "Baku said Azerbaijan would talk to Moscow.",
    ("alpha", "p2"): "On 10 November 2020 Azerbaijan signed.",
    ("alpha", "p3"): "Talks stalled in 2019; the mandate ends in 2025.",
    ("beta", "p1"): "Turkey backed Azerbaijan on 10 November 2020.",
}


def at(slug: str, target: str, words: str) -> tuple[int, int]:
    """Where ``words`` stand in a hand-written paragraph (offsets are read off the text, not computed by code)."""
    start = TEXTS[(slug, target)].index(words)
    return start, start + len(words)


def mention(actor: str, slug: str, target: str, words: str) -> Mention:
    return Mention(actor, slug, target, *at(slug, target, words), words)


def passage(event: str, slug: str, target: str, words: str) -> Passage:
    return Passage(event, slug, target, *at(slug, target, words), words)


def briefing(slug: str, author: str, published: str, approximate: bool, status: str) -> Briefing:
    paragraphs = tuple(
        Paragraph(t, text, Span(f"seeds/{slug}.txt", i + 1, 1, i + 1))
        for i, ((s, t), text) in enumerate(TEXTS.items())
        if s == slug
    )
    document = Document(f"seeds/{slug}.txt", "clean", "", "0" * 64, (), (Section("opening", None, paragraphs),), (), ())
    meta = BriefingMeta(
        slug=slug,
        source=f"{slug}.txt",
        title=f"{slug.title()} title",
        title_status=status,  # type: ignore[arg-type]
        authors=(Author(author),),
        publisher="Pub" if slug == "alpha" else None,
        published=FuzzyDate.parse(published),
        published_approximate=approximate,
        summary=f"{slug} summary",
    )
    return Briefing(meta, document)


BRIEFINGS = (
    briefing("alpha", "Ann Smith", "2021", True, "editor"),
    briefing("beta", "Bo Jones", "2020-06", False, "original"),
)
ACTORS = {
    a.id: a
    for a in (
        Actor("azerbaijan", "Azerbaijan", "state", "A state.", ("Azerbaijan", "Baku")),
        Actor("russia", "Russia", "state", "A state.", ("Russia", "Moscow")),
        Actor("turkey", "Turkey", "state", "A state.", ("Turkey",)),
        Actor("nobody", "Nobody", "person", "Never named."),
    )
}
EVENTS = (
    Event("e-2025", FuzzyDate(2025, 11, 10), "Mandate ends", "d"),
    Event("e-2020", FuzzyDate(2020, 11, 10), "Statement signed", "d"),
    Event("e-2019", FuzzyDate(2019), "Talks stall", "d"),
    Event("e-quiet", FuzzyDate(2020, 1), "Nobody mentions this", "d"),
)
INDEX: Index = group(
    (
        BriefingIndex(
            "alpha",
            (
                mention("azerbaijan", "alpha", "p1", "Baku"),
                mention("azerbaijan", "alpha", "p1", "Azerbaijan"),
                mention("russia", "alpha", "p1", "Moscow"),
                mention("azerbaijan", "alpha", "p2", "Azerbaijan"),
            ),
            (),
            (
                passage("e-2019", "alpha", "p3", "2019"),
                passage("e-2020", "alpha", "p2", "10 November 2020"),
                passage("e-2025", "alpha", "p3", "2025"),
            ),
        ),
        BriefingIndex(
            "beta",
            (mention("turkey", "beta", "p1", "Turkey"), mention("azerbaijan", "beta", "p1", "Azerbaijan")),
            (),
            (passage("e-2020", "beta", "p1", "10 November 2020"),),
        ),
    )
)


def home(settings: Settings = SERVED, has_about: bool = True):  # type: ignore[no-untyped-def]
    return build_home(BRIEFINGS, ACTORS, EVENTS, INDEX, "What it covers.", has_about, settings)


# --- home -----------------------------------------------------------------------------------------


def test_home_cards() -> None:
    alpha, beta = home().cards
    assert (alpha.title, alpha.title_note, alpha.href) == ("Alpha title", "Editor’s title", "briefings/alpha/")
    assert (alpha.authors, alpha.publisher, alpha.published) == ("Ann Smith", "Pub", "2021 (approximate)")
    assert (beta.title_note, beta.publisher, beta.published) == (None, None, "June 2020")
    assert alpha.summary == "alpha summary"
    assert alpha.reading_minutes == 1  # 21 words
    assert (alpha.events, beta.events) == (3, 1)
    # Most named first (Azerbaijan 3 in alpha), then by name.
    assert [(c.label, c.count, c.href) for c in alpha.actors] == [
        ("Azerbaijan", 3, "actors/azerbaijan/"),
        ("Russia", 1, "actors/russia/"),
    ]
    assert [(c.label, c.count) for c in beta.actors] == [("Azerbaijan", 1), ("Turkey", 1)]
    assert alpha.source_href == "briefings/alpha/source/"


def test_home_events_split_at_the_newest_publication() -> None:
    page = home()
    # Newest first; the event nobody discusses is left out; 2025 is after every publication date.
    assert [(e.date, e.title, e.sources) for e in page.recent_events] == [
        ("10 November 2020", "Statement signed", "Smith, Jones"),
        ("2019", "Talks stall", "Smith"),
    ]
    assert [(e.title, e.href, e.iso) for e in page.ahead_events] == [
        ("Mandate ends", "timeline/e-2025/", "2025-11-10")
    ]


def test_home_totals() -> None:
    page = home()
    assert page.counts == (2, 4, 4)
    assert page.shared == (1, 1)  # Azerbaijan; the statement of 10 November 2020
    assert [(c.label, c.count) for c in page.top_actors] == [("Azerbaijan", 4), ("Russia", 1), ("Turkey", 1)]
    assert (page.about_href, page.compare_href) == ("about/", "compare/")
    assert home(has_about=False).about_href is None


def test_home_links_name_index_files_when_portable() -> None:
    page = home(PORTABLE)
    assert page.cards[0].href == "briefings/alpha/index.html"
    assert page.cards[0].actors[0].href == "actors/azerbaijan/index.html"
    assert page.recent_events[0].href == "timeline/e-2020/index.html"
    assert page.timeline_href == "timeline/index.html"


def test_newest_publication() -> None:
    assert newest_publication(BRIEFINGS) == dt.date(2021, 12, 31)
    assert newest_publication(BRIEFINGS[1:]) == dt.date(2020, 6, 30)
    assert newest_publication(()) is None


# --- compare --------------------------------------------------------------------------------------


def test_compare_keeps_only_what_two_briefings_name() -> None:
    page = build_compare(BRIEFINGS, ACTORS, EVENTS, TEXTS, INDEX, SERVED)
    assert [c.short for c in page.briefings] == ["Smith", "Jones"]
    assert [(r.id, r.name, r.href, r.counts) for r in page.actors] == [
        ("actor-azerbaijan", "Azerbaijan", "../actors/azerbaijan/", (3, 1))
    ]
    assert [(r.id, r.name, r.counts) for r in page.events] == [
        ("event-e-2020", "10 November 2020: Statement signed", (1, 1))
    ]
    assert [(o.briefing.slug, o.actors, o.events) for o in page.only] == [("alpha", 1, 2), ("beta", 1, 0)]


def test_compare_quotes_show_the_mention_in_context() -> None:
    row = build_compare(BRIEFINGS, ACTORS, EVENTS, TEXTS, INDEX, SERVED).actors[0]
    alpha, beta = row.quotes
    # One quote per paragraph: the first mention in p1 ("Baku"), then p2.
    assert [(q.before, q.match, q.after, q.label) for q in alpha] == [
        ("", "Baku", " said Azerbaijan would talk to Moscow.", "¶ 1"),
        ("On 10 November 2020 ", "Azerbaijan", " signed.", "¶ 2"),
    ]
    assert [q.href for q in alpha] == ["../briefings/alpha/#p1", "../briefings/alpha/#p2"]
    assert [(q.before, q.match, q.after) for q in beta] == [("Turkey backed ", "Azerbaijan", " on 10 November 2020.")]


def test_context_cuts_at_spaces() -> None:
    text = "one two three four five six"
    assert context(text, 14, 18, 8) == ("…three ", " five…")
    assert context(text, 0, 3, 4) == ("", " two…")
    assert context(text, 24, 27, 100) == ("one two three four five ", "")


def test_target_labels() -> None:
    assert [target_label(t) for t in ("p12", "fn3", "bio", "byline")] == ["¶ 12", "note 3", "author bio", "byline"]


# --- extra pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../actors/", "../actors/index.html"),
        ("../actors/#top", "../actors/index.html#top"),
        ("../a/?q=1#f", "../a/index.html?q=1#f"),
        ("../", "../index.html"),
        ("./", "./index.html"),
        ("../data/actors.json", "../data/actors.json"),
        ("#data", "#data"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("mailto:editor@example.org", "mailto:editor@example.org"),
        ("/site/actors/", "/site/actors/"),
        ("", ""),
    ],
)
def test_portable_href(url: str, expected: str) -> None:
    assert portable_href(url) == expected


BODY = (
    "## Data files\n\n"
    "[actors](../actors/) · [json](../data/a.json) · [web](https://example.org/x/) · [bad](javascript:alert(1))\n"
)


def test_text_page_served() -> None:
    html = str(build_text_page(Page("about", "About", BODY), page_markdown(), SERVED).html)
    assert '<h2 id="data-files">Data files</h2>' in html
    assert 'href="../actors/"' in html
    assert 'href="../data/a.json"' in html
    assert 'href="https://example.org/x/"' in html
    assert "[bad](javascript:alert(1))" in html  # an unsafe scheme stays text, never a link
    assert 'href="javascript' not in html


def test_text_page_portable_links_name_index_files() -> None:
    html = str(build_text_page(Page("about", "About", BODY), page_markdown(), PORTABLE).html)
    assert 'href="../actors/index.html"' in html
    assert 'href="../data/a.json"' in html
    assert 'href="https://example.org/x/"' in html


# --- search and 404 -------------------------------------------------------------------------------


def test_search_page_links_are_relative() -> None:
    page = build_search(SERVED)
    assert (page.bundle_href, page.css_href, page.script_href) == (
        "../pagefind/pagefind-ui.js",
        "../pagefind/pagefind-ui.css",
        "../static/search.js",
    )
    assert (page.actors_href, page.timeline_href, page.offline) == ("../actors/", "../timeline/", False)
    offline = build_search(PORTABLE)
    assert (offline.actors_href, offline.offline) == ("../actors/index.html", True)


def test_not_found_uses_the_absolute_base_path() -> None:
    page = build_not_found(True, SERVED)
    assert page.home_href == "/site/"
    assert page.links == (
        ("Briefings", "/site/"),
        ("Actor index", "/site/actors/"),
        ("Timeline", "/site/timeline/"),
        ("Compare the briefings", "/site/compare/"),
        ("Search", "/site/search/"),
        ("About the sources and method", "/site/about/"),
    )
    assert "About the sources and method" not in dict(build_not_found(False, SERVED).links)
    assert build_not_found(True, Settings("https://user.github.io/")).home_href == "/"


def test_not_found_in_a_portable_copy_links_relatively() -> None:
    page = build_not_found(False, PORTABLE)
    assert page.home_href == "index.html"
    assert dict(page.links)["Actor index"] == "actors/index.html"


# --- templates ------------------------------------------------------------------------------------


def render(template: str, path: str, page: object) -> str:
    frame = chrome(path, "T", "D", "Site", "en", SERVED, path)
    return render_page(template_env(ROOT / "templates"), PlannedPage(path, template, frame, page)).decode()


def test_compare_template_marks_the_match() -> None:
    html = render("compare.html", "compare/index.html", build_compare(BRIEFINGS, ACTORS, EVENTS, TEXTS, INDEX, SERVED))
    assert '<div class="compare-row" id="actor-azerbaijan">' in html
    assert '<a href="#actor-azerbaijan">Azerbaijan</a>' in html
    assert "Turkey backed <mark>Azerbaijan</mark> on 10 November 2020." in html
    assert "alone names 1 actors and discusses 2 events" in html


def test_home_template_shows_cards_and_both_event_lists() -> None:
    html = render("home.html", "index.html", home())
    assert '<a href="briefings/alpha/">Alpha title</a>' in html
    assert "Looking ahead" in html
    assert html.index("Statement signed") < html.index("Talks stall") < html.index("Mandate ends")


def test_search_template_loads_scripts_without_inline_code() -> None:
    html = render("search.html", "search/index.html", build_search(SERVED))
    assert '<script src="../pagefind/pagefind-ui.js" defer></script>' in html
    assert '<script src="../static/search.js" defer></script>' in html
    assert "<script>" not in html
    assert 'id="search"' in html
