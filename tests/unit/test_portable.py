"""`build.py build --portable`: an offline copy whose every link and asset resolves on disk (file://)."""

from __future__ import annotations

import csv
import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from briefing.cli import main

ROOT = Path(__file__).resolve().parents[2]
LINK_ATTRS = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
              ("iframe", "src"), ("form", "action"), ("use", "href"), ("image", "href")}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Ref:
    page: str  # output path of the page the reference is on
    tag: str
    url: str


class _Scan(HTMLParser):
    """Collects references (href/src) and every id (and a[name]) of one HTML page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.refs: list[Ref] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            if (tag, name) in LINK_ATTRS:
                self.refs.append(Ref(self.page, tag, value))

    handle_startendtag = handle_starttag


def scan(site: Path) -> tuple[list[Ref], dict[str, set[str]]]:
    """Every reference in every HTML page and CSS file, and the ids each HTML page defines."""
    refs: list[Ref] = []
    ids: dict[str, set[str]] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        parser = _Scan(rel)
        parser.feed(path.read_text("utf-8"))
        refs += parser.refs
        ids[rel] = parser.ids
    for path in sorted(site.rglob("*.css")):
        rel = path.relative_to(site).as_posix()
        refs += [Ref(rel, "css", u) for u in CSS_URL.findall(path.read_text("utf-8")) if not u.startswith("data:")]
    return refs, ids


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def resolve(ref: Ref) -> tuple[str, str]:
    """The output path a relative reference points at, and its fragment ('' for none)."""
    parts = urlsplit(ref.url)
    base = posixpath.dirname(ref.page)
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else ref.page
    return target, unquote(parts.fragment)


def problems(site: Path, base_path: str | None = None) -> list[str]:
    """What would break: missing files and fragments, references that leave the site.

    Without ``base_path`` the copy must work from file://: no absolute paths, no links to folders.
    With it (a served build), folders stand for their index.html, and only 404.html may use absolute
    paths, all under ``base_path``.
    """
    refs, ids = scan(site)
    found: list[str] = []
    for ref in refs:
        if is_external(ref.url):
            continue
        where = f"{ref.page}: <{ref.tag}> {ref.url!r}"
        url = ref.url
        if url.startswith("/"):
            if base_path is None or ref.page != "404.html":
                found.append(f"{where}: absolute path (file:// resolves it against the disk root)")
                continue
            if not url.startswith(base_path):
                found.append(f"{where}: leaves the base path {base_path}")
                continue
            ref = Ref("index.html", ref.tag, url[len(base_path):] or "./")
        target, fragment = resolve(ref)
        if base_path is not None and (site / target).is_dir():
            target = posixpath.join(target, "index.html")
        if target.startswith("../") or target == "..":
            found.append(f"{where}: leaves the site folder")
        elif (site / target).is_dir() or (base_path is None and urlsplit(url).path.endswith("/")):
            found.append(f"{where}: names a folder (file:// shows a listing, not index.html)")
        elif not (site / target).is_file():
            found.append(f"{where}: no file {target}")
        elif fragment and target.endswith(".html") and fragment not in ids.get(target, set()):
            found.append(f"{where}: no id {fragment!r} in {target}")
    return found


def reachable(site: Path) -> set[str]:
    """HTML pages reached by following links from index.html."""
    refs, _ids = scan(site)
    by_page: dict[str, list[Ref]] = {}
    for ref in refs:
        by_page.setdefault(ref.page, []).append(ref)
    seen = {"index.html"}
    todo = ["index.html"]
    while todo:
        page = todo.pop()
        for ref in by_page.get(page, []):
            if ref.tag != "a" or is_external(ref.url) or ref.url.startswith("/"):
                continue
            target = resolve(ref)[0]
            if target.endswith(".html") and target not in seen and (site / target).is_file():
                seen.add(target)
                todo.append(target)
    return seen


@pytest.fixture(scope="module")
def portable_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built exactly as the README says: ``python build.py build --portable`` (search included)."""
    out = tmp_path_factory.mktemp("portable") / "site"
    assert main(["--root", str(ROOT), "-q", "build", "--portable", "--out", str(out)]) == 0
    return out


def test_every_reference_resolves_on_disk(portable_site: Path) -> None:
    assert problems(portable_site) == []


def test_every_page_is_reachable_from_the_home_page(portable_site: Path) -> None:
    pages = {p.relative_to(portable_site).as_posix() for p in portable_site.rglob("*.html")}
    pages -= {"404.html"}  # served only for missing addresses; no page links to it
    pages -= {p for p in pages if p.startswith("pagefind/")}
    assert sorted(pages - reachable(portable_site)) == []


def test_search_page_loads_the_bundle_relatively_and_says_search_needs_a_server(portable_site: Path) -> None:
    html = (portable_site / "search" / "index.html").read_text("utf-8")
    assert '<script src="../pagefind/pagefind-ui.js" defer></script>' in html
    assert (portable_site / "pagefind" / "pagefind-ui.js").is_file()  # pagefind[bin] is a test dependency
    assert "search needs the site served over the web" in html


def test_served_build_stays_inside_its_sub_path(tmp_path: Path) -> None:
    out = tmp_path / "site"
    base = "https://example.github.io/briefings-site/"
    assert main(["--root", str(ROOT), "-q", "build", "--no-search", "--base-url", base, "--out", str(out)]) == 0
    search = "search/index.html"  # its Pagefind bundle is absent from a --no-search build
    assert [p for p in problems(out, "/briefings-site/") if not p.startswith(search)] == []
    not_found = (out / "404.html").read_text("utf-8")
    assert 'href="/briefings-site/static/style.css"' in not_found
    assert 'src="/briefings-site/static/site.js"' in not_found


def test_about_page_links_every_data_download(portable_site: Path) -> None:
    slugs = sorted(p.stem for p in (ROOT / "content" / "briefings").glob("*.yaml"))
    expected = {f"data/briefings/{s}.json" for s in slugs}
    expected |= {"data/actors.json", "data/timeline.json", "data/actors.csv", "data/events.csv",
                 "data/mentions.csv", "data/passages.csv"}
    scanner = _Scan("about/index.html")
    scanner.feed((portable_site / "about" / "index.html").read_text("utf-8"))
    linked = {resolve(r)[0] for r in scanner.refs if r.tag == "a" and not is_external(r.url)}
    assert expected <= linked
    assert all((portable_site / path).is_file() for path in expected)


def test_csv_downloads_match_the_content_and_the_json(portable_site: Path) -> None:
    slugs = sorted(p.stem for p in (ROOT / "content" / "briefings").glob("*.yaml"))
    actors_yaml = yaml.safe_load((ROOT / "content" / "actors.yaml").read_text("utf-8"))
    events_yaml = yaml.safe_load((ROOT / "content" / "timeline.yaml").read_text("utf-8"))

    def table(name: str) -> list[dict[str, str]]:
        with (portable_site / "data" / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    actors, events = table("actors.csv"), table("events.csv")
    mentions, passages = table("mentions.csv"), table("passages.csv")
    # One row per actor and per event: the ids are the content's, each once.
    assert sorted(r["id"] for r in actors) == sorted(a["id"] for a in actors_yaml)
    assert sorted(r["id"] for r in events) == sorted(e["id"] for e in events_yaml)
    # The pair tables name only known actors, events and briefings, each pair once.
    assert {r["actor"] for r in mentions} <= {r["id"] for r in actors}
    assert {r["event"] for r in passages} <= {r["id"] for r in events}
    assert {r["briefing"] for r in mentions} | {r["briefing"] for r in passages} <= set(slugs)
    assert len({(r["actor"], r["briefing"]) for r in mentions}) == len(mentions)
    assert len({(r["event"], r["briefing"]) for r in passages}) == len(passages)
    # Per-briefing mention counts sum to actors.csv's totals and match the mentions in actors.json.
    exported = json.loads((portable_site / "data" / "actors.json").read_bytes())["actors"]
    in_json = {a["id"]: Counter(m["briefing"] for m in a["mentions"]) for a in exported}
    for row in actors:
        per_briefing = {r["briefing"]: int(r["mentions"]) for r in mentions if r["actor"] == row["id"]}
        assert per_briefing == dict(in_json[row["id"]]), row["id"]
        assert int(row["mentions"]) == sum(per_briefing.values()) == in_json[row["id"]].total(), row["id"]
        assert int(row["briefings"]) == len(per_briefing), row["id"]
    # Each event's passage rows: one per briefing that discusses it, as in timeline.json.
    timeline = json.loads((portable_site / "data" / "timeline.json").read_bytes())["events"]
    discussed = {e["id"]: {p["briefing"] for p in e["passages"]} for e in timeline}
    for row in events:
        briefings = [r["briefing"] for r in passages if r["event"] == row["id"]]
        assert set(briefings) == discussed[row["id"]] and int(row["briefings"]) == len(briefings), row["id"]
    assert all(re.fullmatch(r"p\d+( p\d+)*", r["paragraphs"]) for r in passages)
    # Contested names, as content/actors.yaml gives them for Stepanakert.
    stepanakert = next(r for r in actors if r["id"] == "stepanakert")
    assert stepanakert["names"] == "Armenian: Stepanakert; Azerbaijani: Khankendi"
    assert all(re.fullmatch(r"\d{4}(-\d\d){0,2}", r["date"]) for r in events)
    assert {r["approximate"] for r in events} <= {"yes", "no"}


# --- the checker itself ---------------------------------------------------------------------------


def test_checker_reports_each_kind_of_break(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="here">x</p>', "utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/index.html#here">ok</a><a href="https://example.org/">external</a>'
        '<a href="a/">folder</a><a href="/a/index.html">absolute</a><a href="b.html">missing</a>'
        '<a href="a/index.html#gone">fragment</a><link href="../x.css"><a href="#top">self</a>',
        "utf-8",
    )
    assert problems(tmp_path) == [
        "index.html: <a> 'a/': names a folder (file:// shows a listing, not index.html)",
        "index.html: <a> '/a/index.html': absolute path (file:// resolves it against the disk root)",
        "index.html: <a> 'b.html': no file b.html",
        "index.html: <a> 'a/index.html#gone': no id 'gone' in a/index.html",
        "index.html: <link> '../x.css': leaves the site folder",
        "index.html: <a> '#top': no id 'top' in index.html",
    ]
    assert reachable(tmp_path) == {"index.html", "a/index.html"}
    (tmp_path / "404.html").write_text('<a href="/base/a/#here">ok</a><a href="/elsewhere/">out</a>', "utf-8")
    served = [p for p in problems(tmp_path, "/base/") if p.startswith("404.html")]
    assert served == ["404.html: <a> '/elsewhere/': leaves the base path /base/"]
