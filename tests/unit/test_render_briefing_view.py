"""Source view rows (source_view) and contents labels (briefing_view), expectations worked out by hand."""

from __future__ import annotations

import re

import pytest
from pygments.lexers import MarkdownLexer, TextLexer

from briefing.model import Author, BriefingMeta, FuzzyDate, Paragraph, Section, Span
from briefing.render.briefing_view import pinpointer, toc_label
from briefing.render.cite import pinpoint
from briefing.render.source_view import markdown_lines, source_lines, source_table


def _para(text: str) -> Paragraph:
    return Paragraph("p1", text, Span("seeds/x.txt", 1, 1, 1))


def test_source_lines_one_row_per_line_and_final_newline_ends_the_last_line() -> None:
    assert [str(x) for x in source_lines("alpha\nbeta\n", TextLexer(stripnl=False))] == ["alpha", "beta"]
    assert [str(x) for x in source_lines("alpha\nbeta", TextLexer(stripnl=False))] == ["alpha", "beta"]


def test_source_lines_keeps_leading_and_blank_lines_so_numbers_match_the_file() -> None:
    lines = source_lines("\n\nthird\n\nfifth", TextLexer(stripnl=False))
    assert [str(x) for x in lines] == ["", "", "third", "", "fifth"]


def test_source_lines_escapes_the_text() -> None:
    assert [str(x) for x in source_lines('<b>"A & B"</b>', TextLexer(stripnl=False))] == [
        "&lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt;"
    ]


def test_source_lines_of_an_empty_text_is_empty() -> None:
    assert source_lines("", TextLexer(stripnl=False)) == ()


def test_highlighted_lines_are_each_well_formed() -> None:
    text = "# Title\n\nSome *emphasis* and a [link](https://example.org)\nsecond line\n"
    lines = source_lines(text, MarkdownLexer(stripnl=False))
    assert len(lines) == 4
    for line in lines:
        assert str(line).count("<span") == str(line).count("</span>")
    assert re.sub(r"<[^>]+>", "", str(lines[0])) == "# Title"
    assert re.sub(r"<[^>]+>", "", str(lines[3])) == "second line"


def test_source_table_anchors_each_row_and_links_its_number() -> None:
    html = str(source_table(source_lines("one\ntwo\n", TextLexer(stripnl=False))))
    assert '<tr id="L1"><td class="ln"><a href="#L1">1</a></td><td class="lc">one</td></tr>' in html
    assert '<tr id="L2"><td class="ln"><a href="#L2">2</a></td><td class="lc">two</td></tr>' in html
    assert 'id="L3"' not in html
    assert html.startswith('<table class="source-lines">')


def test_toc_label_is_the_heading_when_there_is_one() -> None:
    assert toc_label(Section("s1", "What Comes Next?", (_para("Text here."),))) == "What Comes Next?"


def test_toc_label_of_an_untitled_section_is_its_opening_words() -> None:
    section = Section("opening", None, (_para("After the war of 2020, Azerbaijan liberated its districts."),))
    assert toc_label(section) == "After the war of 2020, Azerbaijan …"


def test_toc_label_adds_no_ellipsis_when_the_paragraph_is_that_short() -> None:
    section = Section("opening", None, (_para("One two three four five six"),))
    assert toc_label(section) == "One two three four five six"


def test_toc_label_of_an_empty_untitled_section() -> None:
    assert toc_label(Section("s2", None, ())) == "Untitled section"


def test_markdown_lines_one_row_per_line_and_final_newline_ends_the_last_line() -> None:
    assert [re.sub(r"<[^>]+>", "", str(x)) for x in markdown_lines("# A\n\nb *c*\n")] == ["# A", "", "b *c*"]
    assert len(markdown_lines("# A\n\nb *c*")) == 3
    assert markdown_lines("") == ()


def test_markdown_lines_escape_the_text() -> None:
    assert str(markdown_lines('a <b> & "c"')[0]) == "a &lt;b&gt; &amp; &quot;c&quot;"


def test_markdown_lines_front_matter_only_when_it_closes() -> None:
    closed = [str(x) for x in markdown_lines("---\ntitle: A\n---\nText\n")]
    assert closed[1].startswith('<span class="na">title</span>')
    unclosed = [str(x) for x in markdown_lines("---\ntitle: A\nText\n")]
    assert "title" in unclosed[1] and 'class="na"' not in unclosed[1]


NAMES = [(), ("Ann Lee",), ("Ann Lee", "Bo Quenby"), ("A B", "C D", "E F")]
AUTHORS = [tuple(Author(n) for n in names) for names in NAMES]


@pytest.mark.parametrize("authors", AUTHORS)
@pytest.mark.parametrize("url", ["https://e.org/briefings/x/", "https://e.org/b/x/#top", "http://h/, para. 1, /"])
def test_pinpointer_gives_what_pinpoint_gives(authors: tuple[Author, ...], url: str) -> None:
    meta = BriefingMeta("x", "x.txt", "River Councils, para. 1, again", authors=authors,
                        published=FuzzyDate.parse("2021-05"))  # fmt: skip
    cite_para = pinpointer(meta, url)
    assert [cite_para(n) for n in range(1, 30)] == [pinpoint(meta, url, n) for n in range(1, 30)]
