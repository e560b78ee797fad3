"""``data/briefings/<slug>.json`` for the two seeds: the DESIGN.md contract, nothing lost, byte-identical rebuilds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_sources_text import MARKEDONOV, VALIYEV, body_words

from briefing.pipeline import Options, build
from briefing.render.exports import briefing_data, to_json
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
