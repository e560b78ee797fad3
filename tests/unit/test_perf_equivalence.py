"""The fast paths give the same results as the slow definitions they replace.

Each fast finder or formatter is checked against the pattern, library call or formatter that states the
rule, on text made of the characters that matter to that rule.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from importlib import resources
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import BibTeXLexer, MarkdownLexer, TextLexer
from pygments.token import Error

from briefing.index.crossref import BriefingIndex, group
from briefing.model import Actor, ActorName, Event, FuzzyDate, Mention, Passage
from briefing.render.exports import (
    actors_csv,
    actors_data,
    actors_json,
    events_csv,
    export_parts,
    mentions_csv,
    passages_csv,
    timeline_data,
    timeline_json,
    to_json,
)
from briefing.render.markup import _nesting_by_pairs, _nesting_by_trees, escape_text
from briefing.render.source_view import (
    SourceMarkdownLexer,
    html_lines,
    markdown_lines,
    plain_lines,
    source_lines,
)
from briefing.sources.layout import SENTENCE_END, SPACES, finished, squash
from briefing.sources.text import (
    BARE_MARKER_END,
    BRACKET_MARKER,
    URL_RE,
    _bare_marker,
    bracket_markers,
    drop_bracket_markers,
    find_urls,
)
from briefing.sources.yamldoc import conforms, schema

TRICKY = st.text(alphabet=st.sampled_from(list("ab \t&<>\"'\r\n\ufeff\u00e9")), max_size=60)
# Spaces of every kind, sentence marks and closers, digits, brackets: what squash, finished and the markers read.
LINE_CHARS = [*"ab1 2\t\u00a0\u2003.?!…:;,\"”’'»)][x", "  ", "[3]", " [12] ", ". 4", "\n"]
LINES = st.lists(st.sampled_from(LINE_CHARS), max_size=30).map("".join)
# URL pieces in both letter cases (and the long s that case-blind matching reads as "s").
URL_CHARS = ["http", "HTTP", "hTtPs", "https", "httpſ", "://", "www.", "WwW.", "w.", "W.", "ww", "x", ".", "/",
             " ", "\n", "<", "\u201c", "é", "a"]  # fmt: skip
URL_TEXT = st.lists(st.sampled_from(URL_CHARS), max_size=30).map("".join)
MARKDOWN_CHARS = ["# ", "## ", "#", "\n", "\n\n", "---\n", "---", "title: x\n", "- ", "* ", "1. ", "> ", "```\n",
                  "~~~", "`", "*", "**", "_", "__", "[", "]", "(", ")", "[^1]", "[^2]: ", "![", "<", ">",
                  "https://e.org", "\\", " ", "\t", "a", "Word", "é", "&", '"', "'", "=\n", "-\n", "\r",
                  "\ufeff"]  # fmt: skip
MARKDOWN = st.lists(st.sampled_from(MARKDOWN_CHARS), max_size=40).map("".join)


def test_plain_lines_escapes_like_pygments_by_hand() -> None:
    assert [str(x) for x in plain_lines('a<b>&"c\'\nd\n')] == ["a&lt;b&gt;&amp;&quot;c&#39;", "d"]


def test_plain_lines_final_newline_ends_the_last_line() -> None:
    assert [str(x) for x in plain_lines("alpha\nbeta\n")] == ["alpha", "beta"]
    assert [str(x) for x in plain_lines("alpha\n\nbeta")] == ["alpha", "", "beta"]
    assert plain_lines("") == ()


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_plain_lines_equals_the_pygments_text_lexer(text: str) -> None:
    assert plain_lines(text) == source_lines(text, TextLexer(stripnl=False))


# --- the readers' finders ------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_squash_and_finished_equal_their_patterns(text: str) -> None:
    assert squash(text) == SPACES.sub(" ", text).strip()
    assert finished(text) == bool(SENTENCE_END.search(text.rstrip()))


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_bracket_markers_equal_the_pattern(text: str) -> None:
    expected = [(m.start(), m.start() + m.group(0).index("["), m.end(), int(m.group(1)))
                for m in BRACKET_MARKER.finditer(text)]  # fmt: skip
    assert bracket_markers(text) == expected
    assert drop_bracket_markers(text) == BRACKET_MARKER.sub("", text)


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_bare_marker_equals_the_pattern_on_a_line(text: str) -> None:
    line = text.split("\n")[0]
    fast, slow = _bare_marker(line), BARE_MARKER_END.search(line)
    assert (fast and fast.span(), fast and fast.groups()) == (slow and slow.span(), slow and slow.groups())


@settings(max_examples=500, deadline=None)
@given(URL_TEXT)
def test_find_urls_equals_the_pattern(text: str) -> None:
    assert [m.span() for m in find_urls(text)] == [m.span() for m in URL_RE.finditer(text)]


def test_find_urls_in_any_letter_case() -> None:
    text = "see WWW.a.org, wWw.b.org and HTTPS://c.org/x or httpſ://d.org."
    assert [m.group() for m in find_urls(text)] == [m.group() for m in URL_RE.finditer(text)]
    assert len(list(find_urls(text))) == 4


# --- schemas ------------------------------------------------------------------------------------------

READER_SCHEMAS = ("briefing", "front-matter", "site", "actors", "timeline", "page")
WORDS = st.sampled_from(["", "x", "river", "2021", "2021-05-03", "2021-5", "https://e.org/a", "http:// x",
                         "en", "EN", "a-b", "original", "editor", "briefing.txt", "../x.md", "2021\n"])  # fmt: skip


def _keys(rules: Any) -> list[str]:
    """Every property name a schema mentions, at any depth (so generated mappings use real keys too)."""
    found: list[str] = []
    if isinstance(rules, dict):
        found += list(rules.get("properties", {}))
        for value in rules.values():
            found += _keys(value)
    elif isinstance(rules, list):
        for value in rules:
            found += _keys(value)
    return found


ALL_KEYS = sorted({k for name in READER_SCHEMAS for k in _keys(schema(name))} | {"extra"})
VALUES = st.recursive(
    st.one_of(WORDS, st.integers(-2, 2), st.booleans(), st.none(), st.floats(0, 1)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(ALL_KEYS), inner, max_size=5)),
    max_leaves=12,
)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(READER_SCHEMAS), VALUES)
def test_conforms_says_valid_exactly_when_jsonschema_finds_nothing(name: str, data: Any) -> None:
    found = list(jsonschema.Draft202012Validator(schema(name)).iter_errors(data))
    assert conforms(data, schema(name)) == (not found)


def test_conforms_leaves_a_schema_with_other_keywords_to_jsonschema() -> None:
    assert not conforms(["a"], schema("not-actors"))  # uniqueItems: not decided here
    assert not conforms("a", {"type": ["string", "null"]})
    assert not conforms(1, {"type": "integer"})


@pytest.mark.parametrize("name", READER_SCHEMAS)
def test_each_reader_schema_uses_only_keywords_conforms_decides(name: str) -> None:
    text = resources.files("briefing.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    keywords = set(re.findall(r'"(\$?\w+)":', text)) - set(_keys(json.loads(text)))
    assert keywords <= {"type", "properties", "required", "additionalProperties", "items", "pattern",
                        "minLength", "maxLength", "enum", "$schema", "title", "description"}  # fmt: skip


# --- the source view ----------------------------------------------------------------------------------


def _lexed(text: str) -> str:
    """The text as Pygments' lexers see it: a leading BOM dropped, CR LF and CR read as LF, a final LF."""
    body = text[1:] if text.startswith("\ufeff") else text
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body if body.endswith("\n") else body + "\n"


@settings(max_examples=400, deadline=None)
@given(MARKDOWN)
def test_the_source_lexer_keeps_every_character_and_never_errs(text: str) -> None:
    tokens = list(SourceMarkdownLexer(stripnl=False).get_tokens(text))
    assert "".join(value for _, value in tokens) == _lexed(text)
    assert not [value for kind, value in tokens if kind in Error]


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_markdown_lines_are_pygments_html_and_show_the_text(text: str) -> None:
    lines = markdown_lines(text)
    assert lines == source_lines(text, SourceMarkdownLexer(stripnl=False))
    shown = [html.unescape(re.sub(r"<[^>]+>", "", str(line))) for line in lines]
    assert shown == _lexed(text).split("\n")[: len(lines)]
    for line in lines:
        assert str(line).count("<span") == str(line).count("</span>")


@settings(max_examples=60, deadline=None)
@given(MARKDOWN)
def test_html_lines_equal_the_pygments_formatter_for_other_lexers(text: str) -> None:
    for lexer in (MarkdownLexer(stripnl=False), BibTeXLexer(stripnl=False)):
        expected = highlight(text, lexer, HtmlFormatter(nowrap=True)).split("\n")[:-1]
        assert html_lines(lexer.get_tokens(text)) == expected


def test_the_source_lexer_marks_headings_notes_links_and_front_matter() -> None:
    text = "---\ntitle: T\n---\n# Top\n## Part\nSee [x](https://e.org).[^1] *a* **b** `c`\n\n[^1]: Note.\n"
    lines = [str(line) for line in markdown_lines(text)]
    assert lines[1] == '<span class="na">title</span><span class="p">:</span><span class="s"> T</span>'
    assert lines[3] == '<span class="gh"># Top</span>'
    assert lines[4] == '<span class="gu">## Part</span>'
    assert '<span class="nt">x</span>' in lines[5] and '<span class="na">https://e.org</span>' in lines[5]
    assert '<span class="nl">[^1]</span>' in lines[5]
    for css in ("ge", "gs", "sb"):
        assert f'<span class="{css}">' in lines[5]
    assert lines[7].startswith('<span class="nl">[^1]:</span>')


# --- paragraph markup -----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_escape_text_equals_markupsafe(text: str) -> None:
    assert escape_text(text) == str(escape(text))


SPAN = st.tuples(st.integers(-3, 40), st.integers(-3, 40), st.sampled_from(("<em>", "<strong>", "<a href>")))


@settings(max_examples=400, deadline=None)
@given(st.lists(SPAN, max_size=30), st.integers(0, 40))
def test_nesting_by_pairs_equals_nesting_by_trees(raw: list[tuple[int, int, str]], length: int) -> None:
    spans = [(s, e, tag, "</x>") for s, e, tag in raw]
    assert _nesting_by_pairs(spans, length) == _nesting_by_trees(spans, length)


# --- the JSON exports joined from per-briefing shares equal the exports of the whole index -----------

IDS = st.sampled_from(["a", "b", "c-d", "e1"])
WORDS = st.text(alphabet=st.sampled_from(list('ab "\\/\n\t\x00\x1f\u2028é€😀<>&')), max_size=12)


@st.composite
def shares_and_index(draw: st.DrawFn) -> tuple[list[Actor], list[Event], tuple[BriefingIndex, ...]]:
    actors = [Actor(i, draw(WORDS), "state", draw(WORDS), tuple(draw(st.lists(WORDS, max_size=2))),
                    tuple(ActorName(draw(WORDS), draw(WORDS)) for _ in range(draw(st.integers(0, 2)))))
              for i in draw(st.lists(IDS, unique=True))]
    dates = st.builds(FuzzyDate, st.integers(1900, 2030), st.none() | st.integers(1, 12), st.none())
    events = [Event(i, draw(dates), draw(WORDS), draw(WORDS), draw(st.none() | dates), draw(st.booleans()),
                    tuple(draw(st.lists(IDS, max_size=2))), (), tuple(draw(st.lists(dates, max_size=2))),
                    draw(st.none() | WORDS))
              for i in draw(st.lists(IDS, unique=True))]
    indexes = []
    for slug in draw(st.lists(st.sampled_from(["s1", "s2", "s3", "s4"]), unique=True)):
        where = st.tuples(IDS, st.sampled_from(["p1", "p2", "fn1"]), st.integers(0, 50), st.integers(0, 50), WORDS)
        mentions = tuple(Mention(a, slug, p, s, e, t) for a, p, s, e, t in draw(st.lists(where, max_size=6)))
        passages = tuple(Passage(v, slug, p, s, e, t) for v, p, s, e, t in draw(st.lists(where, max_size=6)))
        indexes.append(BriefingIndex(slug, mentions, (), passages))
    return actors, events, tuple(indexes)


@settings(max_examples=300, deadline=None)
@given(shares_and_index())
def test_actor_and_timeline_json_from_shares_equal_the_whole_index_serialised(
    drawn: tuple[list[Actor], list[Event], tuple[BriefingIndex, ...]],
) -> None:
    actors, events, indexes = drawn
    index, shares = group(indexes), [export_parts(b) for b in indexes]
    assert actors_json(actors, shares) == to_json(actors_data(actors, index))
    assert timeline_json(events, shares) == to_json(timeline_data(events, index))


@settings(max_examples=200, deadline=None)
@given(shares_and_index())
def test_csv_tables_from_shares_count_what_the_whole_index_holds(
    drawn: tuple[list[Actor], list[Event], tuple[BriefingIndex, ...]],
) -> None:
    actors, events, indexes = drawn
    index, shares = group(indexes), [export_parts(b) for b in indexes]
    summaries: Any = [SimpleNamespace(slug=b.slug) for b in indexes]  # the tables read only the slugs: the site order
    # The rule, stated over the whole index: per actor, its mentions counted per briefing in site order;
    # per event, the paragraphs speaking of it per briefing, in text order without repeats.
    counted = {a.id: Counter(m.briefing for m in index.by_actor.get(a.id, ())) for a in actors}
    spoken = {e.id: {} for e in events}
    for e in events:
        for p in index.by_event.get(e.id, ()):
            spoken[e.id].setdefault(p.briefing, {})[p.paragraph] = None
    mentions = rows(mentions_csv(actors, summaries, shares))
    assert mentions[1:] == [[a.id, s, str(n)] for a in actors for s, n in counted[a.id].items()]
    assert [r[-2:] for r in rows(actors_csv(actors, summaries, shares))[1:]] == [
        [str(sum(counted[a.id].values())), str(len(counted[a.id]))] for a in actors]
    assert rows(passages_csv(events, summaries, shares))[1:] == [
        [e.id, s, " ".join(ps)] for e in events for s, ps in spoken[e.id].items()]
    assert [r[-1] for r in rows(events_csv(events, summaries, shares))[1:]] == [str(len(spoken[e.id])) for e in events]


def rows(table: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.decode("utf-8"), newline="")))
