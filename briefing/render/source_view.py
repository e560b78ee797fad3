"""A briefing's source text -> the context of its source view: the text line by line, numbered and
anchored (``#L<N>``) so that every paragraph of the article can point at the lines it came from.

Plain text is escaped as it is; Markdown is coloured by a small Pygments lexer written for prose
(``SourceMarkdownLexer``), and the HTML Pygments' formatter would make is written by ``html_lines``
without its slow escaping (tests pin both to Pygments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer, RegexLexer, bygroups, default
from pygments.token import STANDARD_TYPES, Generic, Keyword, Name, Punctuation, String, Text, _TokenType

from briefing.model import Briefing
from briefing.render.briefing_view import briefing_path, source_path
from briefing.render.chrome import Settings, href


# A page view: made, rendered and dropped, never compared or printed (see briefing_view.py).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class SourcePage:
    slug: str
    title: str
    source_name: str
    sha256: str
    line_count: int
    html: Markup  # a table, one row per source line, each row anchored #L<N>
    briefing_href: str
    raw_href: str


def build_source_page(b: Briefing, settings: Settings) -> SourcePage:
    page = source_path(b.slug)
    text = b.document.text
    lines = _markdown_lines(text) if b.document.layout == "markdown" else _plain_lines(text)
    return SourcePage(
        slug=b.slug,
        title=b.meta.title,
        source_name=b.meta.source,
        sha256=b.document.sha256,
        line_count=len(lines),
        html=source_table(lines),
        briefing_href=href(page, briefing_path(b.slug), settings),
        raw_href=b.meta.source,
    )


def source_lines(text: str, lexer: Lexer) -> tuple[Markup, ...]:
    """Pygments HTML per line of ``text``; a final newline ends the last line, it does not start another.

    The lexer must keep leading and trailing newlines (``stripnl=False``) or line numbers shift.
    Pygments closes its token spans at every line end, so each line is well-formed on its own.
    """
    if not text:
        return ()
    html = highlight(text, lexer, HtmlFormatter(nowrap=True))
    lines = html.split("\n")
    count = len(text.split("\n")) - (1 if text.endswith("\n") else 0)
    return tuple(Markup(line) for line in lines[:count])


def _escape(text: str) -> str:
    """Pygments' HTML escape (its quotes differ from markupsafe's: &quot; not &#34;), so the views give
    the very bytes Pygments' formatter gave. ``str.replace`` five times: Pygments' ``str.translate``
    with a table takes ~100 ns a character on non-ASCII text, twenty times as long; and only when one of
    the five characters is there (looking costs less than replacing, and most tokens have none)."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace(
            "'", "&#39;"
        )
    return text


def plain_lines(text: str) -> tuple[Markup, ...]:
    """``source_lines(text, TextLexer(stripnl=False))`` without Pygments, which only escapes plain text.

    Follows the lexer's input preparation (a leading BOM dropped, CR LF and lone CR read as line ends)
    and ``source_lines``' line count (from the text as given), so the output is the same string.
    """
    return tuple(Markup(line) for line in _plain_lines(text))


def _plain_lines(text: str) -> list[str]:
    """``plain_lines`` as HTML strings (the source view joins them into one Markup)."""
    if not text:
        return []
    count = text.count("\n") + 1 - (1 if text.endswith("\n") else 0)
    body = text[1:] if text.startswith("\ufeff") else text
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return _escape(body).split("\n")[:count]


def markdown_lines(text: str) -> tuple[Markup, ...]:
    """``source_lines(text, SourceMarkdownLexer(stripnl=False))``, formatted without HtmlFormatter's slow escape."""
    return tuple(Markup(line) for line in _markdown_lines(text))


def _markdown_lines(text: str) -> list[str]:
    """``markdown_lines`` as HTML strings (the source view joins them into one Markup)."""
    if not text:
        return []
    count = text.count("\n") + 1 - (1 if text.endswith("\n") else 0)
    return html_lines(SourceMarkdownLexer(stripnl=False).get_tokens(text))[:count]


def html_lines(tokens: Iterable[tuple[_TokenType, str]]) -> list[str]:
    """The lines ``HtmlFormatter(nowrap=True)`` makes of a token stream (same spans, same merging of a
    span across tokens of one class), for ``markdown_lines``; tests pin it to the formatter."""
    lines: list[str] = []
    line: list[str] = []
    lspan = ""  # the span open at the end of ``line``
    for ttype, value in tokens:
        cspan = _span_opener(ttype)
        parts = _escape(value).split("\n")
        for part in parts[:-1]:  # each ends a line
            if line:
                if lspan != cspan and part:
                    line.extend((lspan and "</span>", cspan, part, cspan and "</span>"))
                else:
                    line.extend((part, lspan and "</span>"))
                lines.append("".join(line))
                line = []
            else:
                lines.append(f"{cspan}{part}</span>" if cspan and part else part)
        last = parts[-1]
        if line and last:
            if lspan != cspan:
                line.extend((lspan and "</span>", cspan, last))
                lspan = cspan
            else:
                line.append(last)
        elif last:
            line = [cspan, last]
            lspan = cspan
    if line:
        line.append(lspan and "</span>")
        lines.append("".join(line))
    return lines


@cache
def _span_opener(ttype: _TokenType) -> str:
    """HtmlFormatter's opening tag for a token type: its class, and its parents' up to a standard type."""
    classes = [_type_class(ttype)]
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
        classes.insert(0, _type_class(ttype))
    css = " ".join(classes)
    return f'<span class="{css}">' if css else ""


def _type_class(ttype: _TokenType) -> str:
    suffix = ""
    while ttype not in STANDARD_TYPES:
        suffix = "-" + ttype[-1] + suffix
        ttype = ttype.parent
    return STANDARD_TYPES[ttype] + suffix if STANDARD_TYPES[ttype] else ""


def _setext_heading(lexer: RegexLexer, match: re.Match[str]) -> Iterator[tuple[int, _TokenType, str]]:
    """A line underlined with ``=`` is a heading, with ``-`` a subheading (as Pygments' Markdown lexer has it)."""
    yield match.start(), Generic.Heading if match.group(1) == "=" else Generic.Subheading, match.group()


class SourceMarkdownLexer(RegexLexer):
    """Markdown for the source view, fast on prose: Pygments' MarkdownLexer tries some twenty patterns at
    every word (~30 ms for a 2,500-word seed); here a line start tries the block rules once and the rest
    of the line goes in runs of plain text up to the next character that can open inline markup.

    Token types are the ones static/style.css colours: headings (gh, gu), emphasis (ge, gs), list and
    quote markers (k), footnote labels (nl), link text and targets (nt, na), code (sb), front matter
    keys (na) and values (s). Every rule keeps to one line except front matter and fenced code.
    """

    name = "Markdown (source view)"
    aliases: list[str] = []  # noqa: RUF012 (Pygments reads these class attributes)
    filenames: list[str] = []  # noqa: RUF012
    flags = re.MULTILINE
    tokens = {  # noqa: RUF012
        "root": [  # at the start of a line
            (r"\n", Text),
            (r"\A---[ \t]*\n(?=(?:[^\n]*\n)*?---[ \t]*\n)", Punctuation, "front"),
            # fenced code, to its closing fence or the end (a backtick fence's info string has no backtick)
            (r"[ ]{0,3}(`{3,})[^`\n]*\n(?:(?![ ]{0,3}\1)[^\n]*\n)*(?:[ ]{0,3}\1[^\n]*\n)?", String.Backtick),
            (r"[ ]{0,3}(~{3,})[^\n]*\n(?:(?![ ]{0,3}\1)[^\n]*\n)*(?:[ ]{0,3}\1[^\n]*\n)?", String.Backtick),
            (r"[ ]{0,3}#(?=[ \t\n])[^\n]*", Generic.Heading),
            (r"[ ]{0,3}#{2,6}(?=[ \t\n])[^\n]*", Generic.Subheading),
            (r"[ ]{0,3}\[[^\]\n]+\]:", Name.Label, "line"),  # a footnote or link reference definition
            (r"[ ]{0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}(?=\n)", Punctuation),  # a thematic break
            (r"(?:[ \t]*>)+[ \t]?", Keyword, "line"),
            (r"[ \t]*(?:[*+-]|\d{1,9}[.)])(?=[ \t\n])", Keyword, "line"),
            (r"[^\n]+\n[ ]{0,3}(=|-)+[ \t]*(?=\n)", _setext_heading),
            default("line"),
        ],
        "line": [  # the rest of a line; no pattern reads past the next bracket, so a line lexes in linear time
            (r"[^\n\\`*_\[!<]+", Text),
            (r"\n", Text, "#pop"),
            (r"\\[^\n]?", Text),
            (r"`[^`\n]+`", String.Backtick),
            (r"\*\*(?![\s*])[^*\n]*?(?<!\s)\*\*|__(?![\s_])[^_\n]*?(?<!\s)__", Generic.Strong),
            (r"\*(?![\s*])[^*\n]*?(?<!\s)\*|(?<!\w)_(?![\s_])[^_\n]*?(?<!\s)_(?!\w)", Generic.Emph),
            (r"\[\^[^\[\]\n]+\]", Name.Label),
            (r"(!?\[)([^\[\]\n]*)(\]\()([^()\n]*)(\))", bygroups(Text, Name.Tag, Text, Name.Attribute, Text)),
            (r"(\[)([^\[\]\n]+)(\]\[)([^\[\]\n]*)(\])", bygroups(Text, Name.Tag, Text, Name.Label, Text)),
            (r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*>", Name.Attribute),
            (r"[^\n]", Text),
        ],
        "front": [  # YAML front matter: keys and list dashes at line starts, values as strings
            (r"^---[ \t]*\n", Punctuation, "#pop"),
            (r"^([ \t]*)(-[ \t]+)?([^\s:#][^:\n]*)(:)(?=[ \t\n])",
             bygroups(Text, Keyword, Name.Attribute, Punctuation)),
            (r"^[ \t]*-(?=[ \t\n])", Keyword),
            (r"[^\n]+", String),
            (r"\n", Text),
        ],
    }


def source_table(lines: Sequence[str]) -> Markup:
    """One table row per line, anchored ``#L<N>``, so long lines wrap beside their number.

    ``lines`` are HTML already (``Markup``, or the strings ``_plain_lines`` and ``_markdown_lines`` give).
    """
    rows = "".join([
        f'<tr id="L{n}"><td class="ln"><a href="#L{n}">{n}</a></td><td class="lc">{line}</td></tr>\n'
        for n, line in enumerate(lines, start=1)
    ])
    head = '<thead class="visually-hidden"><tr><th scope="col">Line</th><th scope="col">Text</th></tr></thead>'
    return Markup(f'<table class="source-lines">{head}<tbody>\n{rows}</tbody></table>')
