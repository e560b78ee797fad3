"""The fast paths of the render step give the same output as the slow ones they replace."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.lexers import TextLexer

from briefing.render.briefing_view import plain_lines, source_lines

TRICKY = st.text(alphabet=st.sampled_from(list("ab \t&<>\"'\r\n\ufeff\u00e9")), max_size=60)


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
