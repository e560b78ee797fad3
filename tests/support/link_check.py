"""A served site's address -> every reference its pages make, checked: target 200, fragment present, in scope.

The crawl starts at one page and follows every reference under the scope (the site's sub-path);
references to other hosts are listed, never fetched. Redirects are not followed: a link that only
works through a redirect is reported, since the site's own links should name the final address.
"""

from __future__ import annotations

import http.client
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from support.html_refs import Document, css_references, read_document

NAVIGABLE = frozenset({"a", "area"})
# Fragments that need no target: "#" and "#top" scroll to the top (HTML's "indicated part of the document").
TOP_FRAGMENTS = frozenset({"", "top"})
IGNORED_SCHEMES = frozenset({"mailto", "tel"})


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    content_type: str
    body: bytes
    location: str | None


@dataclass(frozen=True, slots=True)
class Problem:
    page: str
    line: int
    reference: str
    message: str

    def __str__(self) -> str:
        return f"{self.page} line {self.line}: {self.reference!r}: {self.message}"


@dataclass(frozen=True, slots=True)
class Crawl:
    pages: frozenset[str]  # HTML pages reached, as normalised URLs (folders end with "/")
    broken: tuple[Problem, ...]
    missing_fragments: tuple[Problem, ...]
    escapes: tuple[Problem, ...]
    bad_schemes: tuple[Problem, ...]
    external: tuple[str, ...]  # other hosts' URLs, sorted, not fetched


def fetch(url: str) -> Fetched:
    """GET one URL over plain HTTP without following redirects."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=20)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        body = response.read()
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip()
        return Fetched(response.status, kind, body, response.getheader("Location"))
    finally:
        connection.close()


def normalise(url: str) -> str:
    """Drop the fragment and name a folder's index page by the folder: the key one page has once."""
    bare = urldefrag(url)[0]
    return bare[: -len("index.html")] if bare.endswith("/index.html") else bare


@dataclass
class _State:
    """The crawl's working memory: lives inside one ``crawl_site`` call."""

    scope: str
    fetched: dict[str, Fetched] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    queue: deque[str] = field(default_factory=deque)
    fragment_refs: list[tuple[Problem, str, str]] = field(default_factory=list)
    broken: list[Problem] = field(default_factory=list)
    escapes: list[Problem] = field(default_factory=list)
    bad_schemes: list[Problem] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    def get(self, url: str) -> Fetched:
        key = urldefrag(url)[0]
        if key not in self.fetched:
            self.fetched[key] = fetch(key)
        return self.fetched[key]


def crawl_site(start: str, scope: str, follow: bool = True) -> Crawl:
    """Check every reference reachable from ``start`` (only its own references when ``follow`` is False).

    ``start`` is parsed whatever its status, so a 404 page served at a missing path can be checked.
    """
    state = _State(scope)
    origin = _origin(scope)
    state.queue.append(start)
    seen = {normalise(start)}
    reached: set[str] = set()
    while state.queue:
        url = state.queue.popleft()
        fetched = state.get(url)
        if fetched.content_type != "text/html":
            continue
        if fetched.status == 200:
            reached.add(normalise(url))
        document = read_document(fetched.body.decode("utf-8", errors="replace"))
        state.documents[normalise(url)] = document
        for target in _check_page(state, origin, url, document):
            if follow and normalise(target) not in seen:
                seen.add(normalise(target))
                state.queue.append(target)
    return Crawl(
        pages=frozenset(reached),
        broken=tuple(state.broken),
        missing_fragments=tuple(_missing_fragments(state)),
        escapes=tuple(state.escapes),
        bad_schemes=tuple(state.bad_schemes),
        external=tuple(sorted(state.external)),
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_page(fetched: Fetched) -> bool:
    return fetched.status == 200 and fetched.content_type == "text/html"


def _check_page(state: _State, origin: str, page: str, document: Document) -> list[str]:
    """Check one page's references; return the internal HTML targets worth crawling."""
    base = urljoin(page, document.base) if document.base else page
    follow: list[str] = []
    for ref in document.references:
        target = urljoin(base, ref.url)
        where = Problem(page, ref.line, ref.url, "")
        if _check_reference(state, origin, where, target, ref.tag) and ref.tag in NAVIGABLE | {"link"}:
            follow.append(urldefrag(target)[0])
    return follow


def _check_reference(state: _State, origin: str, where: Problem, target: str, tag: str) -> bool:
    """Record what is wrong with one resolved reference; True when it is an internal target that exists."""
    parts = urlsplit(target)
    if parts.scheme in IGNORED_SCHEMES:
        return False
    if parts.scheme not in ("http", "https"):
        # data: is fine for what the page embeds (an icon, an image: CSP allows img-src data:), not for a link.
        if not (parts.scheme == "data" and tag not in NAVIGABLE):
            state.bad_schemes.append(_with(where, f"scheme {parts.scheme!r} is not a web link"))
        return False
    if _origin(target) != origin:
        state.external.add(target)
        return False
    if not parts.path.startswith(urlsplit(state.scope).path):
        state.escapes.append(_with(where, f"resolves to {parts.path}, outside the site's sub-path"))
        return False
    if urldefrag(target)[0] == urldefrag(where.page)[0]:
        # Same document: nothing to fetch (the page itself may be a 404 served at a missing path).
        state.fragment_refs.append((where, where.page, unquote(urldefrag(target)[1])))
        return False
    fetched = state.get(target)
    if fetched.status != 200:
        moved = f" (redirects to {fetched.location})" if fetched.location else ""
        state.broken.append(_with(where, f"{urldefrag(target)[0]} answers HTTP {fetched.status}{moved}"))
        return False
    if fetched.content_type == "text/css":
        _check_stylesheet(state, origin, target, fetched)
    fragment = urldefrag(target)[1]
    if fragment:
        state.fragment_refs.append((where, urldefrag(target)[0], unquote(fragment)))
    return True


def _check_stylesheet(state: _State, origin: str, url: str, fetched: Fetched) -> None:
    key = "css:" + url
    if key in state.documents:
        return
    state.documents[key] = Document(frozenset(), (), None)  # mark as checked
    for ref in css_references(fetched.body.decode("utf-8", errors="replace")):
        _check_reference(state, origin, Problem(url, 0, ref, ""), urljoin(url, ref), "css")


def _missing_fragments(state: _State) -> list[Problem]:
    missing = []
    for where, page, fragment in state.fragment_refs:
        if fragment in TOP_FRAGMENTS:
            continue
        document = state.documents.get(normalise(page))
        if document is None and _is_page(state.get(page)):  # a page reached only with follow=False
            document = read_document(state.get(page).body.decode("utf-8", errors="replace"))
        if document is None:
            missing.append(_with(where, f"#{fragment} points into {page}, which is not an HTML page"))
        elif fragment not in document.targets:
            missing.append(_with(where, f"no element with id or name {fragment!r} in {page}"))
    return missing


def _with(where: Problem, message: str) -> Problem:
    return Problem(where.page, where.line, where.reference, message)
