"""The render shortcuts give the very bytes of the plain way they replace.

- relative links: ``_relative``'s quick cases against the folder-walking definition;
- the page chrome: its links, made once per page shape, against links made for the page itself, at
  several depths, on the 404 and search pages, served, portable and in serve mode;
- list items written in Python (actor snippets, quotes, chips, article paragraphs) against the
  template markup they replaced, rendered by Jinja with autoescape, on text full of HTML;
- a paragraph whose marks and links lie apart, tagged without the nesting checks;
- a briefing cited twice in a row, and the source view's lines as strings.
"""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape
from pygments.lexers import TextLexer

from briefing.model import Author, BriefingMeta, FootnoteRef, FuzzyDate, Mark
from briefing.render import markup
from briefing.render.actor_view import Snippet
from briefing.render.briefing_view import NoteView, ParagraphView
from briefing.render.chrome import NAV, SEARCH_CSP, Settings, _relative, chrome, href
from briefing.render.cite import cite
from briefing.render.markup import Link, escape_html, paragraph_html
from briefing.render.site_view import Chip, CompareQuote
from briefing.render.source_view import (
    _markdown_lines,
    _plain_lines,
    markdown_lines,
    plain_lines,
    source_lines,
    source_table,
)
from briefing.render.timeline_view import Quote

HTML_TEXT = st.text(alphabet=st.sampled_from(list("ab <>&\"'¶é\u00a0#/")), max_size=20)
PART = st.sampled_from(["a", "b", "actors", "static", "index.html", "style.css", "feed.xml", "", "x.y", ".."])
PATH = st.lists(PART, min_size=1, max_size=5).map("/".join)


def relative_by_folders(from_page: str, to_page: str) -> str:
    """The definition: walk the folders the two paths share, then up and down."""
    source = from_page.split("/")[:-1]
    target = to_page.split("/")
    common = 0
    while common < min(len(source), len(target)) and source[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + target[common:]) or "."


@given(PATH, PATH)
def test_relative_link_quick_cases_equal_the_definition(from_page: str, to_page: str) -> None:
    assert _relative(from_page, to_page) == relative_by_folders(from_page, to_page)


@pytest.mark.parametrize(
    ("from_page", "to_page", "expected"),
    [
        ("index.html", "actors/x/index.html", "actors/x/index.html"),
        ("briefings/a/index.html", "actors/x/index.html", "../../actors/x/index.html"),
        ("briefings/a/index.html", "briefings/a/source/index.html", "source/index.html"),
        ("briefings/a/source/index.html", "briefings/a/index.html", "../index.html"),
        ("actors/x/index.html", "actors/index.html", "../index.html"),
        ("actors/x/index.html", "actors/x/index.html", "index.html"),
    ],
)
def test_relative_links_by_hand(from_page: str, to_page: str, expected: str) -> None:
    assert _relative(from_page, to_page) == expected


PAGES = [
    "index.html",
    "404.html",
    "search/index.html",
    "actors/index.html",
    "actors/turkey/index.html",
    "timeline/e1/index.html",
    "compare/index.html",
    "about/index.html",
    "briefings/a/index.html",
    "briefings/b/index.html",
    "briefings/a/source/index.html",
    "static/index.html",  # pages in or under a folder that a link target is in
    "static/style.css/index.html",
    "feed.xml/index.html",
    "notes/index.html",
]
SETTINGS = [
    Settings("https://example.org/site/"),
    Settings("https://example.org/site/", portable=True),
    Settings("https://example.org/", serve=True),
    Settings("http://localhost:8000/", portable=True, serve=True),
]


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("has_about", [True, False])
def test_chrome_links_made_once_per_shape_are_the_pages_own(settings: Settings, has_about: bool) -> None:
    for page in PAGES:
        for section in ("index.html", "actors/index.html", "timeline/index.html", ""):
            made = chrome(page, "T <&>", "D", "Site", "en", settings, section, "CC", "Pub", has_about)
            assert made.home == href(page, "index.html", settings)
            assert made.css == (href(page, "static/style.css", settings),)
            assert made.theme_js == href(page, "static/theme.js", settings)
            scripts = ["static/site.js", "static/live-reload.js"] if settings.serve else ["static/site.js"]
            assert made.js == tuple(href(page, s, settings) for s in scripts)
            assert [(n.label, n.href, n.current) for n in made.nav] == [
                (label, href(page, target, settings), target == section)
                for label, target in NAV
                if has_about or label != "About"
            ]
            assert made.search_href == href(page, "search/index.html", settings)
            assert made.feed_href == href(page, "feed.xml", settings)
            assert made.canonical.startswith(settings.base_url)
            assert (made.csp == SEARCH_CSP) == (page == "search/index.html")
            assert made.page_title == "T <&> · Site"


def test_chrome_links_by_hand() -> None:
    served, portable = SETTINGS[0], SETTINGS[1]
    deep = chrome("briefings/a/source/index.html", "T", "D", "S", "en", served, "index.html")
    assert deep.home == "../../../" and deep.nav[1].href == "../../../actors/" and deep.nav[0].current
    actor = chrome("actors/x/index.html", "T", "D", "S", "en", portable, "actors/index.html")
    assert actor.nav[1].href == "../index.html" and actor.nav[1].current
    assert actor.css == ("../../static/style.css",)
    missing = chrome("404.html", "T", "D", "S", "en", served, "")
    assert missing.home == "/site/" and missing.search_href == "/site/search/"


def render(source: str, **values: object) -> str:
    """A piece of template rendered as the site's templates are (autoescape on)."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    return env.from_string(source).render(**values)


@given(HTML_TEXT, HTML_TEXT, HTML_TEXT, HTML_TEXT, HTML_TEXT)
def test_snippet_html_is_the_template_item(before: str, match: str, after: str, link: str, label: str) -> None:
    s = Snippet(before, match, after, link, label)
    item = ('<li><a class="kwic__where" href="{{ s.href }}">{{ s.paragraph_label }}</a> <span class="kwic__text">'
            "{{ s.before }}<mark>{{ s.match }}</mark>{{ s.after }}</span></li>")
    assert isinstance(s.html, Markup)
    assert str(s.html) == render(item, s=s)


@given(HTML_TEXT, HTML_TEXT, HTML_TEXT, HTML_TEXT, HTML_TEXT)
def test_quotes_html_are_the_template_items(before: str, match: str, after: str, link: str, label: str) -> None:
    item = ('<blockquote class="{cls}"><p>{{{{ q.before }}}}<mark>{{{{ q.match }}}}</mark>{{{{ q.after }}}}</p>'
            '<footer><a href="{{{{ q.href }}}}">{{{{ q.label }}}}</a></footer></blockquote>')
    event = Quote(before, match, after, link, label)
    assert str(event.html) == render(item.format(cls="quote"), q=event)
    compared = CompareQuote(before, match, after, link, label)
    assert str(compared.html) == render(item.format(cls="quote quote--small"), q=compared)


@given(HTML_TEXT, HTML_TEXT, st.integers(0, 10_000))
def test_chip_html_is_the_template_item(label: str, link: str, count: int) -> None:
    chip = Chip(label, link, count)
    item = ('<a class="chip" href="{{ chip.href }}">{{ chip.label }} '
            '<span class="chip__count" title="mentions">{{ chip.count }}</span></a>')
    assert str(chip.html) == render(item, chip=chip)


PARAGRAPH_TEMPLATE = """\
      <div class="para{% if p.notes %} para--noted{% endif %}">
        <p id="{{ p.id }}" data-cite="{{ p.cite_text }}">{{ p.html }}</p>
        <div class="para__tools" data-pagefind-ignore>
          <a class="pilcrow" href="#{{ p.id }}"><span aria-hidden="true">¶</span><span class="visually-hidden">Paragraph</span> {{ p.number }}</a>
          <a class="para__source" href="{{ p.source_href }}" aria-label="Source of paragraph {{ p.number }}, {{ p.source_label }}">{{ p.source_label }}</a>
          <button type="button" class="cite-para" hidden data-cite-target="{{ p.id }}">Cite<span class="visually-hidden"> paragraph {{ p.number }}</span></button>
        </div>
        {% if p.notes %}
        <div class="sidenotes" role="note" aria-label="Notes to paragraph {{ p.number }}" data-pagefind-ignore>
          {% for note in p.notes %}
          <p class="sidenote" data-sidenote="{{ note.number }}"><span class="sidenote__number">{{ note.number }}</span> {% if note.html is not none %}{{ note.html }}{% else %}<em class="missing">Note missing in the source.</em>{% endif %}</p>
          {% endfor %}
        </div>
        {% endif %}
      </div>
"""  # noqa: E501 (briefing.html's loop body before ParagraphView.block, line for line)


@given(HTML_TEXT, HTML_TEXT, HTML_TEXT, HTML_TEXT, st.integers(1, 999), st.integers(0, 3))
def test_paragraph_block_is_the_template_loop_body(
    ident: str, cite_text: str, link: str, label: str, number: int, notes: int
) -> None:
    sidenotes = tuple(
        NoteView(n + 1, None if n == 1 else Markup(f"note <em>{n}</em> &amp; more"), (), None) for n in range(notes)
    )
    p = ParagraphView(ident, number, Markup("Text <a href='x'>A &amp; B</a>"), link, label, sidenotes, cite_text)
    assert "      " + str(p.block) + "\n" == render(PARAGRAPH_TEMPLATE, p=p)


@given(st.one_of(HTML_TEXT, st.integers(), st.builds(Markup, HTML_TEXT), st.none()))
def test_escape_html_writes_what_a_template_writes(value: object) -> None:
    assert escape_html(value) == str(escape(value))


def test_a_briefing_cited_twice_in_a_row_is_cited_once() -> None:
    meta = BriefingMeta("a", "a.txt", "A <title>", authors=(Author("Ann Smith"),), published=FuzzyDate(2021, 3))
    first = cite(meta, "https://example.org/briefings/a/")
    assert cite(meta, "https://example.org/briefings/a/") is first
    other = cite(meta, "https://example.org/elsewhere/")
    assert other is not first and other.apa != first.apa
    assert cite(BriefingMeta("a", "a.txt", "A <title>", authors=(Author("Ann Smith"),), published=FuzzyDate(2021, 3)),
                "https://example.org/elsewhere/") == other
    later = cite(meta, "https://example.org/elsewhere/", FuzzyDate(2024, 1, 2))
    assert later != other


@given(st.text(alphabet=st.sampled_from(list("ab <>&\"'\n\r\ufeff")), max_size=40))
def test_source_view_lines_as_strings_are_the_lines(text: str) -> None:
    assert tuple(Markup(line) for line in _plain_lines(text)) == plain_lines(text)
    assert tuple(Markup(line) for line in _markdown_lines(text)) == markdown_lines(text)
    assert source_table(_plain_lines(text)) == source_table(plain_lines(text))


def test_source_table_takes_lines_as_markup_or_as_strings() -> None:
    lines = source_lines("one <b>\ntwo\n", TextLexer(stripnl=False))
    assert source_table(lines) == source_table([str(line) for line in lines])
    assert "one &lt;b&gt;" in source_table(_plain_lines("one <b>\ntwo\n"))


SPAN = st.tuples(st.integers(-2, 14), st.integers(-2, 14))
MARKS = st.lists(st.builds(lambda se, kind: Mark(se[0], se[1], kind), SPAN, st.sampled_from(["em", "strong", "code"])),
                 max_size=4)
LINKS = st.lists(st.builds(lambda se, n: Link(se[0], se[1], f"../../actors/a{n}/", "actor", f"A{n} <&>"), SPAN,
                           st.integers(0, 3)), max_size=5)
REFS = st.lists(st.builds(FootnoteRef, st.integers(1, 3), st.integers(-1, 13)), max_size=2)


@given(st.text(alphabet=st.sampled_from(list("ab <&\"é")), min_size=0, max_size=12), MARKS, LINKS, REFS)
def test_spans_apart_are_tagged_as_the_nesting_checks_tag_them(
    text: str, marks: list[Mark], links: list[Link], refs: list[FootnoteRef]
) -> None:
    quick = paragraph_html(text, tuple(refs), tuple(marks), tuple(links))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup, "_apart", lambda spans, length: False)
        checked = paragraph_html(text, tuple(refs), tuple(marks), tuple(links))
    assert quick == checked


def test_spans_apart_by_hand() -> None:
    links = (Link(0, 2, "x", "actor"), Link(2, 4, "y", "date"))
    assert str(paragraph_html("abcd", links=links)) == '<a href="x" class="actor">ab</a><a href="y" class="date">cd</a>'
    assert markup._apart([(0, 2, "", ""), (2, 4, "", "")], 4)
    assert not markup._apart([(0, 2, "", ""), (1, 4, "", "")], 4)  # overlapping
    assert not markup._apart([(0, 2, "", ""), (3, 5, "", "")], 4)  # past the end
    assert not markup._apart([(-1, 2, "", "")], 4) and not markup._apart([(2, 2, "", "")], 4)  # before, empty
