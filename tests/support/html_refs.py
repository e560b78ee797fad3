"""HTML text -> the fragment targets it defines (ids, ``<a name>``) and the URLs it references, with lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# The attributes that make a browser fetch or a reader follow a URL.
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data",),
    "embed": ("src",),
    "form": ("action",),
}
SRCSET = re.compile(r"\s*([^\s,]+)(?:\s+[^,]*)?(?:,|$)")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True, slots=True)
class Reference:
    tag: str
    attribute: str
    url: str
    line: int


@dataclass(frozen=True, slots=True)
class Document:
    targets: frozenset[str]
    references: tuple[Reference, ...]
    base: str | None  # the <base href>, when the page sets one


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: set[str] = set()
        self.references: list[Reference] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        line = self.getpos()[0]
        if "id" in values:
            self.targets.add(values["id"])
        if tag == "a" and "name" in values:
            self.targets.add(values["name"])
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"]
        for attribute in URL_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                self.references.append(Reference(tag, attribute, values[attribute].strip(), line))
        if "srcset" in values:
            for match in SRCSET.finditer(values["srcset"]):
                if match.group(1):
                    self.references.append(Reference(tag, "srcset", match.group(1), line))

    handle_startendtag = handle_starttag


def read_document(html: str) -> Document:
    """Parse one page; ids of every element and names of ``<a name>`` are fragment targets."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return Document(frozenset(collector.targets), tuple(collector.references), collector.base)


def css_references(css: str) -> tuple[str, ...]:
    """Every ``url(...)`` and ``@import`` target in a stylesheet, ``data:`` URLs left out."""
    found = (m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(css))
    return tuple(u.strip() for u in found if u and u.strip() and not u.strip().startswith("data:"))
