"""Home, compare, actor, timeline, extra pages, search and 404 contexts, on a small hand-made collection,
and the site-wide pages on synthetic collections of many briefings: their size grows linearly with N."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
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
from briefing.render.actor_view import (
    PER_BRIEFING_COLUMNS,
    Roster,
    build_actor_page,
    build_actors_index,
    capped,
    co_mentions,
    roster,
)
from briefing.render.chrome import Settings, chrome
from briefing.render.exports import actors_csv, events_csv, export_parts, mentions_csv, passages_csv, text_map
from briefing.render.html import render_page
from briefing.render.plan import PlannedPage
from briefing.render.site_view import (
    COMPARE_VOICES,
    build_compare,
    build_home,
    build_not_found,
    build_search,
    build_text_page,
    card_html,
    context,
    home_card,
    newest_publication,
    page_markdown,
    portable_href,
    published_label,
    reading_minutes,
    target_label,
)
from briefing.render.summary import summarise
from briefing.render.templates import template_env
from briefing.render.timeline_view import STRIP_LANES, build_event_page, build_timeline_page, ordered

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


SUMMARIES = tuple(summarise(b, INDEX.of(b.slug)) for b in BRIEFINGS)


def home(settings: Settings = SERVED, has_about: bool = True):  # type: ignore[no-untyped-def]
    return build_home(SUMMARIES, ACTORS, EVENTS, INDEX, "What it covers.", has_about, settings)


def compare():  # type: ignore[no-untyped-def]
    return build_compare(SUMMARIES, ACTORS, EVENTS, text_map(SUMMARIES), INDEX, SERVED)


# --- home -----------------------------------------------------------------------------------------


def cards(settings: Settings = SERVED):  # type: ignore[no-untyped-def]
    return [home_card(b, INDEX.of(b.slug), ACTORS, settings) for b in SUMMARIES]


def test_home_cards() -> None:
    alpha, beta = cards()
    assert (alpha.title, alpha.title_note, alpha.href) == ("Alpha title", "Editor’s title", "briefings/alpha/")
    assert (alpha.authors, alpha.publisher, alpha.published) == ("Ann Smith", "Pub", "2021 (approximate)")
    assert (beta.title_note, beta.publisher, beta.published) == (None, None, "June 2020")
    assert alpha.summary == "alpha summary"
    assert alpha.reading_minutes == 1  # 22 words
    assert (alpha.events, beta.events) == (3, 1)
    # Most named first (Azerbaijan 3 in alpha), then by name.
    assert [(c.label, c.count, c.href) for c in alpha.actors] == [
        ("Azerbaijan", 3, "actors/azerbaijan/"),
        ("Russia", 1, "actors/russia/"),
    ]
    assert [(c.label, c.count) for c in beta.actors] == [("Azerbaijan", 1), ("Turkey", 1)]
    assert alpha.source_href == "briefings/alpha/source/"


def test_a_home_card_writes_every_field_escaped() -> None:
    alpha = cards()[0]
    hostile = dataclasses.replace(alpha, title="<script>alert(1)</script>", authors='Ann "A" & Co',
                                  summary="a < b", title_note=None, publisher=None)
    html = str(card_html(hostile))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Ann &#34;A&#34; &amp; Co · 2021 (approximate)</p>" in html  # no publisher, no dangling " · "
    assert "a &lt; b" in html and "card__note" not in html
    chips = re.search(r'<p class="card__actors">.*?</p>', html)
    assert chips is not None and chips.group(0).count('class="chip"') == 2
    note = str(card_html(alpha))
    assert '<p class="card__note">Editor’s title</p>' in note and "Ann Smith · Pub · 2021 (approximate)" in note
    bare = dataclasses.replace(alpha, actors=())
    assert "card__actors" not in str(card_html(bare))


def test_home_takes_cards_made_ahead_in_briefing_order() -> None:
    made = home().cards
    assert list(made) == [card_html(c) for c in cards()]
    again = build_home(SUMMARIES, ACTORS, EVENTS, INDEX, "What it covers.", True, SERVED, ["<li>b</li>", "<li>a</li>"])
    assert again.cards == ("<li>b</li>", "<li>a</li>")  # taken as given, not made again
    html = render("home.html", "index.html", home())
    assert html.count('<li class="card">') == len(made) and all(c in html for c in made)


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


def test_what_two_briefings_name_counts_only_briefings_on_the_site() -> None:
    """An index may hold a briefing the page does not show (``check`` on part of a site): an actor or
    event it shares with one shown briefing is named by one briefing here, not two."""
    alone = SUMMARIES[:1]  # alpha; beta, which names Azerbaijan and the statement too, is left out
    page = build_home(alone, ACTORS, EVENTS, INDEX, "What it covers.", True, SERVED)
    assert page.shared == (0, 0)
    assert build_compare(alone, ACTORS, EVENTS, text_map(alone), INDEX, SERVED).actors == ()
    assert home().shared == (1, 1)


def test_home_links_name_index_files_when_portable() -> None:
    page = home(PORTABLE)
    alpha = cards(PORTABLE)[0]
    assert alpha.href == "briefings/alpha/index.html" and alpha.actors[0].href == "actors/azerbaijan/index.html"
    assert card_html(alpha) == page.cards[0]
    assert page.recent_events[0].href == "timeline/e-2020/index.html"
    assert page.timeline_href == "timeline/index.html"


def test_newest_publication() -> None:
    assert newest_publication(SUMMARIES) == dt.date(2021, 12, 31)
    assert newest_publication(SUMMARIES[1:]) == dt.date(2020, 6, 30)
    assert newest_publication(()) is None


def test_published_label_and_reading_minutes_from_the_summary() -> None:
    alpha, beta = SUMMARIES
    assert (published_label(alpha.meta), published_label(beta.meta)) == ("2021 (approximate)", "June 2020")
    assert published_label(BriefingMeta("x", "x.txt", "X")) is None
    assert (alpha.words, reading_minutes(alpha.words)) == (22, 1)  # 7 + 6 + 9 words
    assert [reading_minutes(w) for w in (0, 230, 231, 460)] == [1, 1, 2, 2]


def test_text_map_holds_the_quoted_targets_of_every_summary() -> None:
    assert text_map(SUMMARIES) == TEXTS
    assert text_map(()) == {}


# --- compare --------------------------------------------------------------------------------------


def counts(row) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(v.count for v in row.voices)


def test_compare_keeps_only_what_two_briefings_name() -> None:
    page = compare()
    assert page.side_by_side and page.total_briefings == 2
    assert [c.short for c in page.briefings] == ["Smith", "Jones"]
    assert [(r.id, r.name, r.href, counts(r), r.briefings, r.total, r.more) for r in page.actors] == [
        ("actor-azerbaijan", "Azerbaijan", "../actors/azerbaijan/", (3, 1), 2, 4, 0)
    ]
    assert [(r.id, r.name, counts(r)) for r in page.events] == [
        ("event-e-2020", "10 November 2020: Statement signed", (1, 1))
    ]
    assert [(o.briefing.slug, o.actors, o.events) for o in page.only] == [("alpha", 1, 2), ("beta", 1, 0)]
    assert page.only_none == 0


def test_compare_quotes_show_the_mention_in_context() -> None:
    row = compare().actors[0]
    alpha, beta = (v.quotes for v in row.voices)
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


@functools.cache
def templates() -> jinja2.Environment:
    return template_env(ROOT / "templates")


def render(template: str, path: str, page: object) -> str:
    frame = chrome(path, "T", "D", "Site", "en", SERVED, path)
    return render_page(templates(), PlannedPage(path, template, frame, page)).decode()


def test_compare_template_marks_the_match() -> None:
    html = render("compare.html", "compare/index.html", compare())
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


# --- many briefings -------------------------------------------------------------------------------
# A synthetic collection whose actors and events grow with N, as a real one does: a page with a
# column per briefing for every actor (N x N) then grows four times faster than N, not as fast.

POPULAR = 6  # actors every few briefings name, so shared rows are named by many briefings


@dataclass(frozen=True)
class Corpus:
    summaries: Roster
    actors: dict[str, Actor]
    events: tuple[Event, ...]
    index: Index

    def texts(self) -> dict[tuple[str, str], str]:
        return dict(text_map(self.summaries))


def synthetic(n: int) -> Corpus:
    """N briefings; each names four actors (two of the popular few) and discusses two events."""
    rng = random.Random(n)
    ids = [f"a{i:04d}" for i in range(n // 2 + POPULAR)]
    actors = {a: Actor(a, f"Actor {a[1:]}", "state", f"State {a[1:]}.") for a in ids}
    events = tuple(Event(f"e{i:04d}", FuzzyDate(1990 + i % 30, i % 12 + 1), f"Event {i:04d}", "d")
                   for i in range(n // 4 + 2))
    briefings, indexes = [], []
    for i in range(n):
        slug = f"b{i:04d}"
        cast = rng.sample(ids[:POPULAR], 2) + rng.sample(ids[POPULAR:], 2)
        told = rng.sample(events, 2)
        pairs = zip(cast, cast[1:] + cast[:1], strict=True)
        texts = [f"{actors[a].name} met {actors[b].name} again." for a, b in pairs]
        texts += [f"In {e.date.iso()} came {e.title}." for e in told]
        paragraphs = tuple(Paragraph(f"p{j + 1}", t, Span(f"seeds/{slug}.txt", j + 1, 1, j + 1))
                           for j, t in enumerate(texts))
        mentions = tuple(Mention(a, slug, p.id, p.text.index(actors[a].name), p.text.index(actors[a].name) + 10,
                                 actors[a].name)
                         for p in paragraphs[:4] for a in cast if actors[a].name in p.text)
        passages = tuple(Passage(e.id, slug, p.id, 3, 3 + len(e.date.iso()), e.date.iso())
                         for p, e in zip(paragraphs[4:], told, strict=True))
        document = Document(f"seeds/{slug}.txt", "clean", "", "0" * 64, (),
                            (Section("opening", None, paragraphs),), (), ())
        meta = BriefingMeta(slug, f"{slug}.txt", f"Briefing {i}", authors=(Author(f"Ann Author{i}"),),
                            published=FuzzyDate(2021, 1 + i % 12))
        briefings.append(Briefing(meta, document))
        indexes.append(BriefingIndex(slug, mentions, (), passages))
    index = group(tuple(indexes))
    summaries = Roster(summarise(b, index.of(b.slug)) for b in briefings)
    return Corpus(summaries, actors, events, index)


def test_compare_with_many_briefings_quotes_the_few_that_name_a_row_most() -> None:
    c = synthetic(12)
    assert len(c.summaries) > PER_BRIEFING_COLUMNS
    page = build_compare(c.summaries, c.actors, c.events, c.texts(), c.index, SERVED)
    assert not page.side_by_side and page.briefings == () and page.total_briefings == 12
    assert page.actors, "the popular actors are shared"
    for row in page.actors + page.events:
        assert row.briefings >= 2 and len(row.voices) == min(COMPARE_VOICES, row.briefings)
        assert row.more == row.briefings - len(row.voices)
        got = [v.count for v in row.voices]
        assert got == sorted(got, reverse=True) and all(got)
        assert all(1 <= len(v.quotes) <= 2 for v in row.voices)
    top = page.actors[0]
    named = {m.briefing for m in c.index.by_actor[top.id.removeprefix("actor-")]}
    assert top.briefings == len(named) and top.total == len(c.index.by_actor[top.id.removeprefix("actor-")])
    assert top.facts.startswith(f"Named by {top.briefings} of 12 briefings, {top.total} mentions in all.")
    # Only the briefings that alone name something are listed, most first; the rest are counted.
    assert all(o.actors + o.events for o in page.only)
    assert len(page.only) + page.only_none == 12
    html = render("compare.html", "compare/index.html", page)
    assert f"And {top.more} more briefings" in html
    assert "<th scope=\"col\" class=\"num\">Briefings</th>" in html


def test_actor_index_with_many_briefings_gives_totals_not_a_column_each() -> None:
    c = synthetic(12)
    page = build_actors_index(tuple(c.actors.values()), c.summaries, c.index, SERVED)
    assert page.briefings == () and page.total_briefings == 12
    rows = {r.id: r for g in page.groups for r in g.rows}
    for a, ms in c.index.by_actor.items():
        assert (rows[a].counts, rows[a].briefings, rows[a].total) == ((), len({m.briefing for m in ms}), len(ms))
    few = build_actors_index(tuple(c.actors.values()), c.summaries[:2], c.index, SERVED)
    assert len(few.briefings) == 2 and all(len(r.counts) == 2 for g in few.groups for r in g.rows)
    assert "how many of the 12 briefings name each" in render("actors.html", "actors/index.html", page)


def test_event_page_with_many_briefings_counts_the_silent_ones() -> None:
    c = synthetic(12)
    e = next(e for e in c.events if c.index.by_event.get(e.id))
    speaking = {p.briefing for p in c.index.by_event[e.id]}
    page = build_event_page(e, (None, None), c.summaries, c.actors, c.texts(), c.index, SERVED)
    assert [q.briefing.slug for q in page.columns] == sorted(speaking)  # in site order
    assert (page.silent, page.silent_count) == ((), 12 - len(speaking))
    few = build_event_page(e, (None, None), list(c.summaries)[:3], c.actors, c.texts(), c.index, SERVED)
    assert few.silent_count == len(few.silent) == 3 - len({s for s in speaking if s < "b0003"})


def test_timeline_with_many_briefings_draws_one_lane_and_caps_the_sources() -> None:
    c = synthetic(STRIP_LANES + 20)
    page = build_timeline_page(c.events, c.summaries, c.actors, c.index, SERVED)
    assert [lane.label for lane in page.strip.lanes] == [f"All {STRIP_LANES + 20}"]
    discussed = [e for e in c.events if c.index.by_event.get(e.id)]
    assert len(page.strip.dots) == len(discussed)
    assert max(d.r for d in page.strip.dots) == 10
    rows = {r.id: r for g in page.groups for r in g.events}
    for e in discussed:
        slugs = sorted({p.briefing for p in c.index.by_event[e.id]})
        row = rows[e.id]
        assert row.briefing_ids.split() == slugs  # the filter sees every briefing
        assert [b.slug for b in row.briefings] == slugs[:6] and row.more == max(0, len(slugs) - 6)
    assert page.from_label == f"the {STRIP_LANES + 20} analyses"


def test_actor_page_looks_up_only_the_briefings_that_name_it() -> None:
    c = synthetic(12)
    a = c.actors["a0000"]
    page = build_actor_page(a, c.summaries, c.texts(), c.index, co_mentions(c.index), c.actors, SERVED)
    named = sorted({m.briefing for m in c.index.by_actor["a0000"]})
    assert [g.briefing.slug for g in page.groups] == named
    assert page.names[0].used_by == capped(sorted(f"Author{int(s[1:])}" for s in named))


def test_home_caps_the_sources_of_an_event() -> None:
    c = synthetic(12)
    page = build_home(c.summaries, c.actors, c.events, c.index, "", False, SERVED)
    for link in page.recent_events:
        assert len(link.sources.split(", ")) <= 3
    e = max(c.events, key=lambda e: len({p.briefing for p in c.index.by_event.get(e.id, ())}))
    speaking = len({p.briefing for p in c.index.by_event[e.id]})
    assert speaking > 3
    listed = [x for x in page.recent_events + page.ahead_events if x.title == e.title]
    assert [x.sources.endswith(f" and {speaking - 3} more") for x in listed] == [True]


def test_roster_and_capped() -> None:
    r = roster(SUMMARIES)
    assert roster(r) is r and len(r) == 2 and list(r) == list(SUMMARIES)
    assert [s.slug for s in r.pick(["beta", "nobody", "alpha", "beta"])] == ["alpha", "beta"]
    assert (r.position("beta"), "alpha" in r, "nobody" in r) == (1, True, False)
    assert capped([]) == "" and capped(["A", "B", "C"]) == "A, B, C"
    assert capped(["A", "B", "C", "D", "E"]) == "A, B, C and 2 more"


def site_wide_bytes(c: Corpus) -> dict[str, int]:
    """The sizes of the site-wide pages and exports that once had a column per briefing."""
    texts = c.texts()
    actors = tuple(c.actors.values())
    chronology = ordered(c.events)
    together = co_mentions(c.index)
    pages = {
        "compare": render("compare.html", "compare/index.html",
                          build_compare(c.summaries, c.actors, c.events, texts, c.index, SERVED)),
        "actors": render("actors.html", "actors/index.html", build_actors_index(actors, c.summaries, c.index, SERVED)),
        "timeline": render("timeline.html", "timeline/index.html",
                           build_timeline_page(c.events, c.summaries, c.actors, c.index, SERVED)),
        "home": render("home.html", "index.html",
                       build_home(c.summaries, c.actors, c.events, c.index, "", False, SERVED)),
        "actor pages": "".join(
            render("actor.html", f"actors/{a.id}/index.html",
                   build_actor_page(a, c.summaries, texts, c.index, together, c.actors, SERVED))
            for a in actors
        ),
        "event pages": "".join(
            render("event.html", f"timeline/{e.id}/index.html",
                   build_event_page(e, (None, None), c.summaries, c.actors, texts, c.index, SERVED))
            for e in chronology
        ),
    }
    sizes = {name: len(html.encode()) for name, html in pages.items()}
    shares = [export_parts(b) for b in c.index.briefings]
    sizes["actors.csv"] = len(actors_csv(actors, c.summaries, shares))
    sizes["events.csv"] = len(events_csv(chronology, c.summaries, shares))
    sizes["mentions.csv"] = len(mentions_csv(actors, c.summaries, shares))
    sizes["passages.csv"] = len(passages_csv(chronology, c.summaries, shares))
    return sizes


def test_site_wide_pages_and_exports_grow_linearly_with_the_briefings() -> None:
    small, large = site_wide_bytes(synthetic(40)), site_wide_bytes(synthetic(120))
    ratios = {name: round(large[name] / small[name], 2) for name in small}
    # Three times the briefings (and actors and events): about three times the bytes, not nine.
    assert all(r <= 3.5 for r in ratios.values()), ratios


def test_csv_exports_are_normalised_tables_with_fixed_columns() -> None:
    c = synthetic(12)
    actors_in, chronology = tuple(c.actors.values()), ordered(c.events)
    shares = [export_parts(b) for b in c.index.briefings]

    def table(data: bytes) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(data.decode())))

    actors = table(actors_csv(actors_in, c.summaries, shares))
    events = table(events_csv(chronology, c.summaries, shares))
    mentions = table(mentions_csv(actors_in, c.summaries, shares))
    passages = table(passages_csv(chronology, c.summaries, shares))
    assert list(actors[0]) == ["id", "name", "type", "description", "aliases", "names", "mentions", "briefings"]
    assert list(events[0])[-1] == "briefings"
    assert (list(mentions[0]), list(passages[0])) == (["actor", "briefing", "mentions"],
                                                      ["event", "briefing", "paragraphs"])
    # One row per actor and per event, in the order given.
    assert [r["id"] for r in actors] == [a.id for a in actors_in]
    assert [r["id"] for r in events] == [e.id for e in chronology]
    # One row per (actor, briefing) and (event, briefing) pair that the index holds, and no other.
    pairs = {(m.actor, m.briefing) for ms in c.index.by_actor.values() for m in ms}
    assert {(r["actor"], r["briefing"]) for r in mentions} == pairs and len(mentions) == len(pairs)
    for r in mentions:
        found = [m for m in c.index.by_actor[r["actor"]] if m.briefing == r["briefing"]]
        assert int(r["mentions"]) == len(found) >= 1
    told = {(p.event, p.briefing): p.paragraph for ps in c.index.by_event.values() for p in ps}
    assert {(r["event"], r["briefing"]): r["paragraphs"] for r in passages} == told and len(passages) == len(told)
    # The totals in actors.csv and events.csv are the sums over the pair tables.
    for r in actors:
        mine = [int(m["mentions"]) for m in mentions if m["actor"] == r["id"]]
        assert (int(r["mentions"]), int(r["briefings"])) == (sum(mine), len(mine))
    for r in events:
        assert int(r["briefings"]) == len([p for p in passages if p["event"] == r["id"]])
    # Grouped by actor or event in the order given, briefings in site order within each.
    slugs = [s.slug for s in c.summaries]
    for rows, key, order in ((mentions, "actor", [a.id for a in actors_in]),
                             (passages, "event", [e.id for e in chronology])):
        assert [(order.index(r[key]), slugs.index(r["briefing"])) for r in rows] == sorted(
            (order.index(r[key]), slugs.index(r["briefing"])) for r in rows
        )


def test_co_mentions_for_a_few_actors_equal_those_counted_over_every_actor() -> None:
    c = synthetic(60)
    every = co_mentions(c.index)
    rng = random.Random(7)
    for size in (1, 3, 10):
        few = frozenset(rng.sample(sorted(c.actors), size))
        counted = co_mentions(c.index, few)
        assert set(counted) <= few  # nothing counted for the actors not asked for
        assert {a: counted.get(a) for a in few} == {a: every.get(a) for a in few}
    popular = sorted(c.actors)[0]
    assert sum(every[popular].values()) > 0  # the comparison above covers actors that share paragraphs
