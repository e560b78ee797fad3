"""Source view rows and contents labels built by briefing_view (expectations worked out by hand)."""

from __future__ import annotations

import re

from pygments.lexers import MarkdownLexer, TextLexer

from briefing.model import Paragraph, Section, Span
from briefing.render.briefing_view import source_lines, source_table, toc_label


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
