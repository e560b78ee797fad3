"""``data/briefings/<slug>.json`` for the two seeds: the DESIGN.md contract, nothing lost, byte-identical rebuilds;
the CSV tables (actors, events, mentions, passages) agreeing with the JSON exports."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_sources_text import MARKEDONOV, VALIYEV, body_words

from briefing.pipeline import Options, build
from briefing.render.exports import (
    ACTORS_CSV_COLUMNS,
    EVENTS_CSV_COLUMNS,
    MENTIONS_CSV_COLUMNS,
    PASSAGES_CSV_COLUMNS,
    briefing_data,
    to_json,
)
from briefing.sources.content import read_project

ROOT = Path(__file__).resolve().parents[2]
SLUGS = {MARKEDONOV: MARKEDONOV.removesuffix(".txt"), VALIYEV: VALIYEV.removesuffix(".txt")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    build(Options(root=ROOT, out=out, search=False))
    return out


def exported(site: Path, seed: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "data" / "briefings" / f"{SLUGS[seed]}.json").read_text("utf-8"))
    return data


def paragraphs(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for s in data["sections"] for p in s["paragraphs"]]


@pytest.mark.parametrize("seed", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_contract_keys_and_types(site: Path, seed: str) -> None:
    data = exported(site, seed)
    assert data["slug"] == SLUGS[seed]
    assert isinstance(data["title"], str) and data["title"]
    for author in data["authors"]:
        assert set(author) == {"name", "affiliation"}
        assert isinstance(author["name"], str) and isinstance(author["affiliation"], (str, type(None)))
    for section in data["sections"]:
        assert {"id", "heading", "paragraphs"} <= set(section)
        assert isinstance(section["id"], str) and isinstance(section["heading"], (str, type(None)))
        for p in section["paragraphs"]:
            assert {"id", "text", "footnotes"} <= set(p)
            assert isinstance(p["text"], str) and all(isinstance(n, int) for n in p["footnotes"])
    for note in data["footnotes"]:
        assert {"number", "text"} <= set(note)
        assert isinstance(note["number"], int) and isinstance(note["text"], (str, type(None)))
    assert all(set(link) >= {"url"} and isinstance(link["url"], str) for link in data["links"])


def test_markedonov_export(site: Path) -> None:
    data = exported(site, MARKEDONOV)
    assert [a["name"] for a in data["authors"]] == ["Sergey Markedonov"]
    assert [(s["id"], s["heading"], len(s["paragraphs"])) for s in data["sections"]] == [
        ("opening", None, 1),
        ("geopolitical-reconfigurations", "Geopolitical Reconfigurations", 9),
        ("domestic-policy-aspects-azerbaijan", "Domestic Policy Aspects: Azerbaijan", 5),
        ("domestic-policy-aspects-armenia", "Domestic Policy Aspects: Armenia", 6),
        ("russia-as-the-chief-mediator", "Russia as the Chief Mediator", 6),
        ("section-6", None, 2),
    ]
    cited = [(p["id"], p["footnotes"]) for p in paragraphs(data) if p["footnotes"]]
    assert cited == [("p2", [1, 2])]
    assert [(n["number"], n["text"][:13]) for n in data["footnotes"]] == [(1, "Read more in:"), (2, "A.S. Abasov, ")]
    assert data["links"] == []
    assert data["byline"] == ["Sergey Markedonov"]
    assert data["bio"].startswith("Leading Research Fellow, Institute for International Studies")


def test_valiyev_export(site: Path) -> None:
    data = exported(site, VALIYEV)
    assert [a["name"] for a in data["authors"]] == ["Anar Valiyev"]
    assert [(s["heading"], len(s["paragraphs"])) for s in data["sections"]] == [
        (None, 1),
        ("A Deadly War in the South Caucasus", 3),
        ("Russians in Karabakh: We Are Back!", 5),
        ("Azerbaijan’s Stance: Strategic Patience Works", 4),
        ("What Comes Next?", 2),
        ("Conclusion", 1),
    ]
    assert [(p["id"], p["footnotes"]) for p in paragraphs(data) if p["footnotes"]] == [("p14", [2])]
    assert [(n["number"], n["text"]) for n in data["footnotes"]] == [
        (1, "Anar Valiyev is Associate Professor at ADA University, Baku, Azerbaijan."),
        (2, None),
    ]
    assert [n["attached_to"] for n in data["footnotes"]] == ["byline", "body"]
    assert [n["cited_in"] for n in data["footnotes"]] == [[], ["p14"]]
    assert [link["url"] for link in data["links"]] == [
        "http://www.ponarseurasia.org",
        "https://www.theguardian.com/world/2020/oct/04/us-armenia-azerbaijan-nagaon-karabakh",
        "https://www.amnesty.org/en/latest/news/2021/01/azerbaijan-armenia-scores-of-civilians-killed-by-"
        "indiscriminate-use-of-weapons-in-conflict-over-nagorno-karabakh/",
        "https://tass.com/world/1277921",
        "http://www.ponarseurasia.org/members/anar-valiyev",
    ]
    p3 = paragraphs(data)[2]
    assert p3["lines"] == [24, 49]
    assert "The war almost ended on November 8 when Azerbaijani troops" in p3["text"]
    assert [p["lines"] for p in paragraphs(data)][:2] == [[1, 11], [15, 22]]


@pytest.mark.parametrize("seed", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_every_body_word_is_in_the_json_paragraphs_in_order(site: Path, seed: str) -> None:
    words = " ".join(p["text"] for p in paragraphs(exported(site, seed))).split()
    assert words == body_words(seed)


@pytest.mark.parametrize("seed", [MARKEDONOV, VALIYEV], ids=["markedonov", "valiyev"])
def test_json_body_carries_no_footer_url_or_bio_text(site: Path, seed: str) -> None:
    body = " ".join(p["text"] for p in paragraphs(exported(site, seed)))
    for leak in ("http", "ponarseurasia", "Associate Professor at ADA", "Leading Research Fellow", "Read more in"):
        assert leak not in body


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "_site"
    build(Options(root=ROOT, out=again, search=False))
    first = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_export_bytes_are_the_data_serialised(site: Path) -> None:
    inputs = read_project(ROOT)
    for b in inputs.briefings:
        path = site / "data" / "briefings" / f"{b.slug}.json"
        assert path.read_bytes() == to_json(briefing_data(b))
        assert path.read_bytes().endswith(b"}\n")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or ()), list(reader)


def site_order() -> list[str]:
    """The briefing slugs in site order (the order the content gives them)."""
    return [b.slug for b in read_project(ROOT).briefings]


def test_actors_csv_has_one_row_per_actor_that_agrees_with_the_json(site: Path) -> None:
    header, rows = read_csv(site / "data" / "actors.csv")
    assert header == list(ACTORS_CSV_COLUMNS)
    exported = json.loads((site / "data" / "actors.json").read_bytes())["actors"]
    assert [r["id"] for r in rows] == [a["id"] for a in exported]  # one row each, the JSON's order
    for r, a in zip(rows, exported, strict=True):
        per = Counter(m["briefing"] for m in a["mentions"])
        assert (r["name"], r["type"], r["description"], r["aliases"]) == (
            a["name"], a["type"], a["description"], "; ".join(a["aliases"])
        ), a["id"]
        assert (int(r["mentions"]), int(r["briefings"])) == (len(a["mentions"]), len(per)), a["id"]
        assert r["names"] == "; ".join(f"{n['side']}: {n['name']}" for n in a["names"])
    # Contested names, as content/actors.yaml gives them for Stepanakert.
    assert [r["names"] for r in rows if r["id"] == "stepanakert"] == ["Armenian: Stepanakert; Azerbaijani: Khankendi"]


def test_mentions_csv_has_a_row_per_actor_and_briefing_that_agrees_with_the_json(site: Path) -> None:
    header, rows = read_csv(site / "data" / "mentions.csv")
    assert header == list(MENTIONS_CSV_COLUMNS)
    exported = json.loads((site / "data" / "actors.json").read_bytes())["actors"]
    slugs = site_order()
    expected = [
        {"actor": a["id"], "briefing": b, "mentions": str(n)}
        for a in exported
        for b, n in sorted(Counter(m["briefing"] for m in a["mentions"]).items(), key=lambda kv: slugs.index(kv[0]))
    ]
    assert rows == expected  # actor order, then site order; only pairs with mentions
    assert all(int(r["mentions"]) >= 1 for r in rows)
    # Joined to actors.csv, the per-briefing rows add up to its totals.
    _, actors = read_csv(site / "data" / "actors.csv")
    total: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for r in rows:
        total[r["actor"]] += int(r["mentions"])
        named[r["actor"]] += 1
    assert {a["id"]: (int(a["mentions"]), int(a["briefings"])) for a in actors} == {
        a["id"]: (total[a["id"]], named[a["id"]]) for a in actors
    }


def test_events_csv_has_one_row_per_event_that_agrees_with_the_json(site: Path) -> None:
    header, rows = read_csv(site / "data" / "events.csv")
    assert header == list(EVENTS_CSV_COLUMNS)
    exported = json.loads((site / "data" / "timeline.json").read_bytes())["events"]
    assert [r["id"] for r in rows] == [e["id"] for e in exported]  # one row each, the JSON's order
    for r, e in zip(rows, exported, strict=True):
        assert (r["date"], r["end"], r["title"], r["description"]) == (
            e["date"], e["end"] or "", e["title"], e["description"]
        ), e["id"]
        assert r["actors"] == " ".join(e["actors"]) and r["also_dated"] == " ".join(e["also_dated"])
        assert r["sources_differ"] == (e["sources_differ"] or "")
        assert r["approximate"] == ("yes" if e["approximate"] else "no")
        assert int(r["briefings"]) == len({p["briefing"] for p in e["passages"]}), e["id"]


def test_passages_csv_has_a_row_per_event_and_briefing_that_agrees_with_the_json(site: Path) -> None:
    header, rows = read_csv(site / "data" / "passages.csv")
    assert header == list(PASSAGES_CSV_COLUMNS)
    exported = json.loads((site / "data" / "timeline.json").read_bytes())["events"]
    slugs = site_order()
    expected = []
    for e in exported:
        paragraphs: dict[str, list[str]] = {}
        for p in e["passages"]:
            if p["paragraph"] not in paragraphs.setdefault(p["briefing"], []):
                paragraphs[p["briefing"]].append(p["paragraph"])
        for b in sorted(paragraphs, key=slugs.index):
            expected.append({"event": e["id"], "briefing": b, "paragraphs": " ".join(paragraphs[b])})
    assert rows == expected  # event order, then site order; only pairs with passages
    assert all(r["paragraphs"] for r in rows)
    # Joined to events.csv, each event has as many rows as its "briefings" count.
    _, events = read_csv(site / "data" / "events.csv")
    per = Counter(r["event"] for r in rows)
    assert {e["id"]: int(e["briefings"]) for e in events} == {e["id"]: per[e["id"]] for e in events}


ACTORS_LIKE = {"actors": [{"id": "x", "name": "Şuşa’s"}, {"id": "y"}], "n": 2}


@pytest.mark.parametrize("data", [{}, [], "x", {"a": {"b": [1]}}, ACTORS_LIKE])
def test_json_exports_round_trip_with_one_list_item_per_line(data: object) -> None:
    text = to_json(data).decode("utf-8")
    assert json.loads(text) == data
    assert text.endswith("\n") and "\\u" not in text  # UTF-8, not escapes
    if isinstance(data, dict) and isinstance(data.get("actors"), list):
        lines = text.splitlines()
        assert [json.loads(line.strip().rstrip(",")) for line in lines[2:4]] == data["actors"]
