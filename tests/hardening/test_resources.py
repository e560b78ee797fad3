"""Pathological inputs build in bounded time and memory, and lose nothing: a million-character paragraph,
ten thousand footnotes, and Markdown nested ten thousand levels deep.

Each project is built by ``build.py`` in a child interpreter so its peak memory is its own. The bounds
asserted here are loose ceilings (a slow CI machine must pass); the measured values are in the report.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest
from sitekit import Measured, briefing_json, make_project, measured_build

from briefing.render.site_view import page_markdown

pytestmark = pytest.mark.slow

CONTENT = ("content/actors.yaml", "content/timeline.yaml", "content/site.yaml")  # the real index: names, dates
CEILING_SECONDS = 120.0
CEILING_MB = 1024.0
DEPTH = 10_000
VOCABULARY = ("Baku", "Moscow", "peace", "10 November 2020", "the", "of", "Armenia", "Russian peacekeepers",
              "war", "Karabakh", "talks", "border", "Turkey", "in 1994", "Minsk Group")


def within_bounds(measured: Measured) -> bool:
    print(f"build: {measured.seconds:.1f} s, peak RSS {measured.peak_rss_mb:.0f} MB")  # for the report
    return measured.seconds < CEILING_SECONDS and measured.peak_rss_mb < CEILING_MB


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_a_million_character_paragraph(tmp_path: Path) -> None:
    rng = random.Random(1)
    words, length = ["The"], 3
    while length < 1_000_000:
        words.append(rng.choice(VOCABULARY))
        length += len(words[-1]) + 1
    paragraph = " ".join(words) + "."
    assert len(paragraph) >= 1_000_000
    root = make_project(tmp_path / "p", {"million.txt": f"A Million Characters\n\n{paragraph}\n"}, repo_files=CONTENT)
    out = tmp_path / "site"
    assert within_bounds(measured_build(root, out))
    data = briefing_json(out, "million")
    assert [(s["heading"], [p["text"] for p in s["paragraphs"]]) for s in data["sections"]] == [
        ("A Million Characters", [paragraph])
    ]
    assert paragraph in visible_text((out / "briefings" / "million" / "index.html").read_text("utf-8"))


def test_ten_thousand_footnotes(tmp_path: Path) -> None:
    count = 10_000
    body = "\n\n".join(f"Paragraph {i} cites its note.[^{i}]" for i in range(1, count + 1))
    notes = "\n\n".join(f"[^{i}]: Note {i} text." for i in range(1, count + 1))
    root = make_project(tmp_path / "p", {"notes.md": f"# Notes\n\n{body}\n\n{notes}\n"}, repo_files=CONTENT)
    out = tmp_path / "site"
    assert within_bounds(measured_build(root, out))
    data = briefing_json(out, "notes")
    notes_read = [(n["number"], n["text"]) for n in data["footnotes"]]
    assert notes_read == [(i, f"Note {i} text.") for i in range(1, count + 1)]
    paragraphs = [p for s in data["sections"] for p in s["paragraphs"]]
    assert [(p["text"], p["footnotes"]) for p in paragraphs] == [
        (f"Paragraph {i} cites its note.", [i]) for i in range(1, count + 1)
    ]
    page = (out / "briefings" / "notes" / "index.html").read_text("utf-8")
    assert len(re.findall(r'id="fn\d+"', page)) == count
    assert len(re.findall(r'href="#fnref\d+"', page)) == count  # every note links back to its marker


NESTED = {
    "quote": "> " * DEPTH + "deepword-quote",
    "list": "- " * DEPTH + "deepword-list",
    "ordered": "1. " * DEPTH + "deepword-ordered",
    "mixed": "> - " * (DEPTH // 2) + "deepword-mixed",
    "quote-lines": "".join(">" * i + f" level{i}\n" for i in range(1, 40)),
    "emphasis": "*" * DEPTH + "deepword-emphasis" + "*" * DEPTH,
    "underscore": "_" * DEPTH + "deepword-underscore" + "_" * DEPTH,
    "brackets": "[" * DEPTH + "deepword-brackets" + "](http://example.org)" * DEPTH,
    "backticks": "Text " + "`" * DEPTH + "deepword-backticks",  # not at a line start: that would open a fence
    "footnote": "Text.[^1]\n\n[^1]: " + "> " * DEPTH + "deepword-footnote",
}
DEEP_WORDS = [*(f"deepword-{name}" for name in NESTED if name != "quote-lines"), *(f"level{i}" for i in range(1, 40))]


def test_markdown_nested_ten_thousand_levels_deep(tmp_path: Path) -> None:
    seed = "\n\n".join(NESTED.values()) + "\n"
    root = make_project(tmp_path / "p", {"deep.md": seed}, repo_files=CONTENT)
    out = tmp_path / "site"
    assert within_bounds(measured_build(root, out))
    data = briefing_json(out, "deep")
    kept = " ".join([p["text"] for s in data["sections"] for p in s["paragraphs"]]
                    + [n["text"] or "" for n in data["footnotes"]])
    assert [w for w in DEEP_WORDS if not re.search(rf"{w}\b", kept)] == []


def test_an_editorial_page_nested_deeply_loses_nothing() -> None:
    rendered = page_markdown().render("\n\n".join(NESTED.values()) + "\n")
    shown = visible_text(rendered)
    assert [w for w in DEEP_WORDS if w != "deepword-footnote" and not re.search(rf"{w}\b", shown)] == []
