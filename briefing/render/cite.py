"""Briefing metadata (``BriefingMeta``) + page URL -> citation strings and embedded citation metadata.

Every function is pure and deterministic: no clock (an access date is passed in), no I/O.
The strings returned are plain text; templates escape them (Jinja autoescape), except
``json_ld`` which is already safe to place verbatim inside ``<script type="application/ld+json">``.

Choices that follow the style manuals rather than the data:

- A name is split on its last space into given and family name (one word: family only).
- An approximate date is cited at year precision only, in every format ("ca. 2021"):
  a guessed month or day would be presented as fact by reference managers.
- APA cites a report by year only (APA 7, reports and grey literature); Chicago gives
  the date as precisely as it is known.
- The citation's URL is the original publication's (``meta.url``) when known, else the
  page on this site; paragraph pinpoints always point at this site, whose numbering they use.
- A title the editor supplied or rebuilt is bracketed in APA/Chicago and noted elsewhere.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from briefing.model import Author, BriefingMeta, FuzzyDate

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
TITLE_NOTES = {
    "editor": "Title supplied by the editor",
    "reconstructed": "Title reconstructed from the original URL",
}
APPROXIMATE_NOTE = "Publication date approximate"

# Characters with a meaning in BibTeX values. Braces become text commands because BibTeX
# counts every brace, escaped or not, when it looks for the end of a field.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Latin letters that Unicode does not decompose into an ASCII base letter plus accents.
ASCII_LETTERS = str.maketrans(
    {"ə": "e", "Ə": "E", "\u0131": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
     "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"}
)  # fmt: skip
# Characters a URL may not contain raw (RFC 3986) and BibTeX cannot take in a verbatim field.
URL_ESCAPES = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})
# Characters that could end or comment out a <script> block; JSON allows \u escapes for them.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@dataclass(frozen=True, slots=True)
class Citation:
    """One briefing cited in five formats (plain text, not HTML-escaped)."""

    apa: str
    chicago: str
    bibtex: str
    ris: str
    csl_json: str  # pretty JSON text of a one-item CSL-JSON array, type "report"


@dataclass(frozen=True, slots=True)
class _PersonName:
    """A name split on its last space; ``given`` is ``None`` for a one-word name."""

    family: str
    given: str | None


def cite(meta: BriefingMeta, page_url: str, accessed: FuzzyDate | None = None) -> Citation:
    """Cite ``meta`` in APA 7, Chicago 17 (bibliography), BibTeX, RIS and CSL-JSON.

    A briefing is cited twice in a row, for its page and for its citation files: the second call
    gets the first's result (the same ``meta`` object, the values are immutable).
    """
    last = _last_cited[0]
    if last is not None and last[0] is meta and last[1] == page_url and last[2] == accessed:
        return last[3]
    url = meta.url or page_url
    citation = Citation(
        apa=_apa(meta, url),
        chicago=_chicago(meta, url, accessed),
        bibtex=_bibtex(meta, url, accessed),
        ris=_ris(meta, url, accessed),
        csl_json=_csl_json(meta, url, accessed),
    )
    _last_cited[0] = (meta, page_url, accessed, citation)
    return citation


_last_cited: list[tuple[BriefingMeta, str, FuzzyDate | None, Citation] | None] = [None]


def pinpoint(meta: BriefingMeta, page_url: str, paragraph_number: int) -> str:
    """A short author-date reference to one paragraph: ``Author (2021), para. 14, <url>#p14``.

    Raises ``ValueError`` if ``paragraph_number`` is below 1.
    """
    if paragraph_number < 1:
        raise ValueError(f"expected a paragraph number of 1 or more, found {paragraph_number}")
    families = [_split_name(a.name).family for a in meta.authors]
    if not families:
        who = _short_title(meta)
    elif len(families) <= 2:
        who = " and ".join(families)
    else:
        who = f"{families[0]} et al."
    anchor = page_url.split("#", 1)[0]
    return f"{who} {_apa_date(meta)}, para. {paragraph_number}, {anchor}#p{paragraph_number}"


# --- shared pieces -------------------------------------------------------------


def _one_line(text: str) -> str:
    """Collapse runs of whitespace (including newlines) so values fit line-based formats."""
    return " ".join(text.split())


def _split_name(name: str) -> _PersonName:
    words = _one_line(name).rsplit(" ", 1)
    if len(words) == 1:
        return _PersonName(words[0], None)
    return _PersonName(words[1], words[0])


def _inverted(name: str) -> str:
    """``Last, First`` (BibTeX, RIS, Highwire); a one-word name unchanged."""
    parts = _split_name(name)
    return parts.family if parts.given is None else f"{parts.family}, {parts.given}"


def _full_title(meta: BriefingMeta) -> str:
    title = _one_line(meta.title)
    if not meta.subtitle:
        return title
    separator = " " if title.endswith(("?", "!", ":")) else ": "
    return f"{title}{separator}{_one_line(meta.subtitle)}"


def _supplied_title(meta: BriefingMeta, title: str) -> str:
    """Square brackets mark a title the work does not carry itself (APA and Chicago convention)."""
    return f"[{title}]" if meta.title_status != "original" else title


def _short_title(meta: BriefingMeta) -> str:
    """The title standing in for a missing author: bracketed if supplied, else quoted."""
    title = _one_line(meta.title)
    return f"[{title}]" if meta.title_status != "original" else f'"{title}"'


def _cited_date(meta: BriefingMeta) -> FuzzyDate | None:
    """The publication date at the precision that may be asserted (year only when approximate)."""
    date = meta.published
    if date is None or not meta.published_approximate:
        return date
    return FuzzyDate(date.year)


def _notes(meta: BriefingMeta) -> tuple[str, ...]:
    found = []
    if meta.title_status in TITLE_NOTES:
        found.append(TITLE_NOTES[meta.title_status])
    if meta.published is not None and meta.published_approximate:
        found.append(APPROXIMATE_NOTE)
    return tuple(found)


def _sentence(text: str) -> str:
    """End ``text`` with a period unless it already ends with terminal punctuation."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _date_parts(date: FuzzyDate) -> list[int]:
    return [p for p in (date.year, date.month, date.day) if p is not None]


def _slashed(date: FuzzyDate) -> str:
    """``YYYY/MM/DD``, ``YYYY/MM`` or ``YYYY`` (Highwire ``citation_publication_date``)."""
    return "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(_date_parts(date)))


def _long_date(date: FuzzyDate) -> str:
    """``November 10, 2021``, ``November 2021`` or ``2021`` (Chicago)."""
    if date.month is None:
        return str(date.year)
    month = MONTHS[date.month - 1]
    return f"{month} {date.year}" if date.day is None else f"{month} {date.day}, {date.year}"


# --- APA 7 ---------------------------------------------------------------------


def _initials(given: str) -> str:
    """``Sergey`` -> ``S.``; ``Mary Ann`` -> ``M. A.``; ``Jean-Paul`` -> ``J.-P.`` (APA 7, 9.8)."""
    words = []
    for word in given.split():
        parts = [p for p in word.split("-") if p]
        words.append("-".join(f"{p[0].upper()}." for p in parts))
    return " ".join(words)


def _apa_name(name: str) -> str:
    parts = _split_name(name)
    return parts.family if parts.given is None else f"{parts.family}, {_initials(parts.given)}"


def _apa_authors(authors: tuple[Author, ...]) -> str:
    """APA 7 (9.8): up to 20 names, ``&`` before the last; beyond 20, 19 names, an ellipsis, the last."""
    names = [_apa_name(a.name) for a in authors]
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        return f"{', '.join(names[:19])}, . . . {names[-1]}"
    return f"{', '.join(names[:-1])}, & {names[-1]}"


def _apa_date(meta: BriefingMeta) -> str:
    date = _cited_date(meta)
    if date is None:
        return "(n.d.)"
    return f"(ca. {date.year})" if meta.published_approximate else f"({date.year})"


def _apa(meta: BriefingMeta, url: str) -> str:
    """Author, A. (Year). Title (Series). Publisher. URL -- the title moves first without authors."""
    title = _supplied_title(meta, _full_title(meta))
    if meta.series:
        title = f"{title} ({_one_line(meta.series)})"
    title = _sentence(title)
    date = f"{_apa_date(meta)}."
    parts = [_sentence(_apa_authors(meta.authors)), date, title] if meta.authors else [title, date]
    if meta.publisher:
        parts.append(_sentence(_one_line(meta.publisher)))
    parts.append(url)
    return " ".join(parts)


# --- Chicago 17 (bibliography entry) -------------------------------------------


def _chicago_authors(authors: tuple[Author, ...]) -> str:
    """Chicago 17 (14.76): first name inverted, ``and`` before the last; over ten, seven then et al."""
    names = [_one_line(a.name) for a in authors]
    names[0] = _inverted(names[0])
    if len(names) > 10:
        return f"{', '.join(names[:7])}, et al."
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])}, and {names[-1]}"


def _chicago_title(meta: BriefingMeta) -> str:
    title = _full_title(meta)
    if meta.title_status != "original":
        return _sentence(_supplied_title(meta, title))
    # Quotation marks inside a quoted title become single ones (Chicago 17, 14.94).
    title = title.replace('"', "'").replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    return f'"{_sentence(title)}"'


def _chicago_date(meta: BriefingMeta) -> str:
    date = _cited_date(meta)
    if date is None:
        return "n.d."
    return f"ca. {date.year}" if meta.published_approximate else _long_date(date)


def _chicago(meta: BriefingMeta, url: str, accessed: FuzzyDate | None) -> str:
    """Author. "Title." Series. Publisher, Date. Accessed Date. URL."""
    parts = [_sentence(_chicago_authors(meta.authors))] if meta.authors else []
    parts.append(_chicago_title(meta))
    if meta.series:
        parts.append(_sentence(_one_line(meta.series)))
    date = _chicago_date(meta)
    parts.append(f"{_one_line(meta.publisher)}, {date}" if meta.publisher else date)
    parts[-1] = _sentence(parts[-1])
    if accessed is not None:
        parts.append(f"Accessed {_long_date(accessed)}.")
    parts.append(f"{url}.")
    return " ".join(parts)


# --- BibTeX --------------------------------------------------------------------


def _bibtex_escape(text: str) -> str:
    """Escape BibTeX/LaTeX specials; other characters (non-ASCII included) stay as UTF-8."""
    return "".join(BIBTEX_ESCAPES.get(ch, ch) for ch in _one_line(text))


def _ascii_words(text: str) -> list[str]:
    """Lowercase ASCII words of ``text``: accents dropped, ``ə`` -> ``e``, other characters split."""
    folded = unicodedata.normalize("NFKD", text.translate(ASCII_LETTERS))
    return re.findall(r"[a-z0-9]+", folded.encode("ascii", "ignore").decode().lower())


def _bibtex_key(meta: BriefingMeta) -> str:
    """First author's family name + year + first word of the title, e.g. ``author2021title``."""
    family = "".join(_ascii_words(_split_name(meta.authors[0].name).family)) if meta.authors else ""
    date = _cited_date(meta)
    words = _ascii_words(meta.title)
    return f"{family or 'anon'}{date.year if date else ''}{words[0] if words else ''}"


def _bibtex_fields(meta: BriefingMeta, url: str, accessed: FuzzyDate | None) -> list[tuple[str, str]]:
    """``(field, value as written)``; values are braced except the month macro."""
    fields = []
    if meta.authors:
        fields.append(
            ("author", "{" + " and ".join(_bibtex_escape(_inverted(a.name)) for a in meta.authors) + "}")
        )
    # Double braces keep the capitals of proper nouns from being lowercased by styles.
    fields.append(("title", "{{" + _bibtex_escape(_full_title(meta)) + "}}"))
    if meta.publisher:
        fields.append(("institution", "{" + _bibtex_escape(meta.publisher) + "}"))
    if meta.series:
        fields.append(("type", "{" + _bibtex_escape(meta.series) + "}"))
    date = _cited_date(meta)
    if date is not None:
        fields.append(("year", f"{{{date.year}}}"))
        if date.month is not None:
            fields.append(("month", BIBTEX_MONTHS[date.month - 1]))
    # url is a verbatim field (url package, biblatex): LaTeX escapes would end up in the link,
    # so only the characters that would unbalance the entry are percent-encoded instead.
    fields.append(("url", "{" + url.translate(URL_ESCAPES) + "}"))
    if accessed is not None:
        fields.append(("urldate", f"{{{accessed.iso()}}}"))
    if _notes(meta):
        fields.append(("note", "{" + _bibtex_escape(". ".join(_notes(meta))) + "}"))
    return fields


def _bibtex(meta: BriefingMeta, url: str, accessed: FuzzyDate | None) -> str:
    """A ``@techreport`` entry (institution = publisher, type = series), ending with a newline."""
    body = ",\n".join(f"  {name} = {value}" for name, value in _bibtex_fields(meta, url, accessed))
    return f"@techreport{{{_bibtex_key(meta)},\n{body}\n}}\n"


# --- RIS -----------------------------------------------------------------------


def _ris(meta: BriefingMeta, url: str, accessed: FuzzyDate | None) -> str:
    """A ``TY  - RPRT`` record, one tag per line, ending with ``ER  - `` and a newline."""
    lines = [("TY", "RPRT")]
    lines += [("AU", _inverted(a.name)) for a in meta.authors]
    lines.append(("TI", _full_title(meta)))
    date = _cited_date(meta)
    if date is not None:
        lines.append(("PY", f"{date.year:04d}"))
        if date.month is not None:
            # RIS DA is YYYY/MM/DD/other, with unknown parts left empty.
            day = f"{date.day:02d}" if date.day is not None else ""
            lines.append(("DA", f"{date.year:04d}/{date.month:02d}/{day}/"))
    if meta.publisher:
        lines.append(("PB", _one_line(meta.publisher)))
    if meta.series:
        lines.append(("T3", _one_line(meta.series)))
    lines.append(("UR", url))
    if accessed is not None:
        lines.append(("Y2", f"{accessed.iso().replace('-', '/')}/"))
    lines.append(("LA", meta.language))
    lines += [("N1", note) for note in _notes(meta)]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


# --- CSL-JSON ------------------------------------------------------------------


def _csl_name(name: str) -> dict[str, str]:
    parts = _split_name(name)
    return {"family": parts.family} if parts.given is None else {"family": parts.family, "given": parts.given}


def _csl_item(meta: BriefingMeta, url: str, accessed: FuzzyDate | None) -> dict[str, object]:
    item: dict[str, object] = {"type": "report", "id": meta.slug, "title": _full_title(meta)}
    if meta.authors:
        item["author"] = [_csl_name(a.name) for a in meta.authors]
    date = _cited_date(meta)
    if date is not None:
        issued: dict[str, object] = {"date-parts": [_date_parts(date)]}
        if meta.published_approximate:
            issued["circa"] = True
        item["issued"] = issued
    if meta.publisher:
        item["publisher"] = _one_line(meta.publisher)
    if meta.series:
        item["collection-title"] = _one_line(meta.series)
    item["URL"] = url
    if accessed is not None:
        item["accessed"] = {"date-parts": [_date_parts(accessed)]}
    item["language"] = meta.language
    if _notes(meta):
        item["note"] = ". ".join(_notes(meta))
    return item


def _csl_json(meta: BriefingMeta, url: str, accessed: FuzzyDate | None) -> str:
    """Pretty JSON text of a one-item CSL-JSON array, ending with a newline."""
    return json.dumps([_csl_item(meta, url, accessed)], ensure_ascii=False, indent=2) + "\n"


# --- embedded metadata ---------------------------------------------------------


def highwire_tags(
    meta: BriefingMeta, page_url: str, pdf_url: str | None = None
) -> tuple[tuple[str, str], ...]:
    """``<meta name content>`` pairs read by Google Scholar and Zotero; unknown values are left out."""
    date = _cited_date(meta)
    tags = [("citation_title", _full_title(meta))]
    tags += [("citation_author", _inverted(a.name)) for a in meta.authors]
    tags.append(("citation_publication_date", _slashed(date) if date else ""))
    tags.append(("citation_publisher", _one_line(meta.publisher or "")))
    tags.append(("citation_series_title", _one_line(meta.series or "")))
    tags.append(("citation_public_url", meta.url or page_url))
    tags.append(("citation_language", meta.language))
    # Zotero saves the page as a report only when this tag is present.
    tags.append(("citation_technical_report_institution", _one_line(meta.publisher or "")))
    tags.append(("citation_abstract_html_url", page_url))
    tags.append(("citation_pdf_url", pdf_url or ""))
    return tuple((name, content) for name, content in tags if content)


def open_graph(meta: BriefingMeta, page_url: str, site_name: str) -> tuple[tuple[str, str], ...]:
    """``<meta property content>`` pairs for link previews; unknown values are left out."""
    date = _cited_date(meta)
    tags = [
        ("og:type", "article"),
        ("og:title", _full_title(meta)),
        ("og:url", page_url),
        ("og:site_name", _one_line(site_name)),
        ("og:description", _one_line(meta.summary or "")),
        ("article:published_time", date.iso() if date else ""),
    ]
    tags += [("article:author", _one_line(a.name)) for a in meta.authors]
    return tuple((name, content) for name, content in tags if content)


def _json_ld_person(author: Author) -> dict[str, object]:
    person: dict[str, object] = {"@type": "Person", "name": _one_line(author.name)}
    if author.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": _one_line(author.affiliation)}
    return person


def _json_ld_data(meta: BriefingMeta, page_url: str, site_name: str) -> dict[str, object]:
    """The schema.org ScholarlyArticle; the site is the WebPage's WebSite, not the article's publisher."""
    title = _full_title(meta)
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "ScholarlyArticle"}
    data.update(headline=title, name=title)
    if meta.authors:
        data["author"] = [_json_ld_person(a) for a in meta.authors]
    date = _cited_date(meta)
    if date is not None:
        data["datePublished"] = date.iso()
    if meta.summary:
        data["description"] = _one_line(meta.summary)
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": _one_line(meta.publisher)}
    data["url"] = page_url
    website = {"@type": "WebSite", "name": _one_line(site_name)}
    data["mainEntityOfPage"] = {"@type": "WebPage", "@id": page_url, "isPartOf": website}
    data["inLanguage"] = meta.language
    if meta.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": _one_line(meta.series)}
    if meta.url:
        data["sameAs"] = meta.url
    return data


def json_ld(meta: BriefingMeta, page_url: str, site_name: str) -> str:
    """JSON-LD text safe inside ``<script type="application/ld+json">`` (no raw ``<``, ``>``, ``&``).

    The three characters only occur inside JSON strings, where ``\\u`` escapes mean the same
    characters, so the text still parses to the same data.
    """
    text = json.dumps(_json_ld_data(meta, page_url, site_name), ensure_ascii=False, indent=2)
    return text.translate(SCRIPT_ESCAPES)
