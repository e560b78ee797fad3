"""`build.py check`: errors, warnings and coverage notes at path:line, and the exit status they give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.check import check_links, check_project, locate, run_check
from briefing.model import Document, Paragraph, Section, Span

ROOT = Path(__file__).resolve().parents[2]
VALIYEV = "seeds/valiyev-russian-peacekeepers-in-karabakh.txt"

TINY_SEED = """Ann Author


Zembla and Ruritania signed a treaty on 10 November 2020 after a long war.

In March 2019 the Ruritania delegation walked out of the talks.

Ann Author teaches history.
"""
TINY_META = """source: tiny.txt
title: A tiny briefing
authors:
  - name: Ann Author
published: "2021-01-05"
"""
TINY_ACTORS = """- id: ruritania
  name: Ruritania
  type: state
  description: A state.
  aliases:
    - Old Ruritania
"""
TINY_TIMELINE = """- id: treaty
  date: '2020-11-10'
  title: The treaty
  description: A treaty is signed.
  actors: [ruritania]
"""
TINY_SITE = """title: Tiny
description: A tiny site.
base_url: https://example.org/tiny/
"""


def copy_project(target: Path, folders: tuple[str, ...] = ("seeds", "content", "templates", "static")) -> Path:
    for folder in folders:
        shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("check") / "project")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "tiny", ("templates", "static"))
    (root / "seeds").mkdir()
    (root / "content" / "briefings").mkdir(parents=True)
    (root / "seeds" / "tiny.txt").write_text(TINY_SEED, "utf-8")
    (root / "content" / "briefings" / "tiny.yaml").write_text(TINY_META, "utf-8")
    (root / "content" / "actors.yaml").write_text(TINY_ACTORS, "utf-8")
    (root / "content" / "timeline.yaml").write_text(TINY_TIMELINE, "utf-8")
    (root / "content" / "site.yaml").write_text(TINY_SITE, "utf-8")
    return root


def test_the_stray_footnote_marker_in_the_valiyev_seed_is_a_warning_at_its_line(repo: Path) -> None:
    # The seed has a bare marker "2" after "more pronounced." and no note 2 anywhere.
    lines = (ROOT / VALIYEV).read_text("utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.endswith("more pronounced. 2"))
    report = check_project(repo)
    assert report.errors == ()
    assert f"{VALIYEV}:{line}: warning: footnote marker [2] has no note in the source" in [
        w.headline() for w in report.warnings
    ]


def test_warnings_exit_1_only_with_strict(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(repo, strict=False) == 0
    assert run_check(repo, strict=True) == 1
    err = capsys.readouterr().err
    assert "warning: footnote marker [2] has no note in the source" in err


def test_coverage_notes_point_at_seed_and_actor_file_lines(tiny: Path) -> None:
    report = check_project(tiny)
    assert report.errors == () and report.warnings == ()
    assert [n.headline() for n in report.notes] == [
        "content/actors.yaml:6: note: alias 'Old Ruritania' of actor 'ruritania' matches no text",
        "seeds/tiny.txt:1: note: name not in the actor index: 'Ann Author'",
        # 'Zembla' is not reported: a lone word that only ever opens a sentence reads as an ordinary word.
        "seeds/tiny.txt:6: note: date 'March 2019' (2019-03) matches no timeline event",
    ]


def test_names_an_editor_ruled_out_are_not_reported(tiny: Path) -> None:
    (tiny / "content" / "not-actors.yaml").write_text("- Ann Author\n", "utf-8")
    report = check_project(tiny)
    assert not any("Ann Author" in n.headline() for n in report.notes)


def test_a_date_covered_by_an_event_the_paragraph_names_is_not_reported(tiny: Path) -> None:
    timeline = TINY_TIMELINE + (
        "- id: walkout\n  date: '2019-03-15'\n  title: Walkout\n  description: d.\n  phrases: [delegation walked out]\n"
    )
    (tiny / "content" / "timeline.yaml").write_text(timeline, "utf-8")
    report = check_project(tiny)
    assert not any("March 2019" in n.headline() for n in report.notes)


def test_the_seeds_have_no_coverage_gaps() -> None:
    """The shipped actor index and timeline cover every name and date the two seeds hold."""
    report = check_project(Path(__file__).resolve().parents[2])
    assert [n.headline() for n in report.notes] == []


def test_a_clean_project_exits_0_even_with_strict(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(tiny, strict=True) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "check: 0 errors, 0 warnings, 3 coverage notes"


def test_an_uncited_note_is_a_warning(tiny: Path) -> None:
    seed = tiny / "seeds" / "tiny.txt"
    notes = "teaches history.\n\n1 A cited note.\n\n2 A note nobody cites.\n"
    seed.write_text(TINY_SEED.replace("long war.", "long war.[1]").replace("teaches history.\n", notes), "utf-8")
    report = check_project(tiny)
    # Line 8 is the bio, 9 blank, 10 note 1, 11 blank, 12 note 2.
    assert [w.headline() for w in report.warnings] == [
        "seeds/tiny.txt:12: warning: footnote 2 is never cited in the text"
    ]


def test_a_links_phrase_missing_from_the_text_is_a_warning(tiny: Path) -> None:
    meta = tiny / "content" / "briefings" / "tiny.yaml"
    meta.write_text(TINY_META + "links:\n  a phrase not in the text: https://example.org/x\n", "utf-8")
    report = check_project(tiny)
    assert [w.headline() for w in report.warnings] == [
        "content/briefings/tiny.yaml:7: warning: links phrase 'a phrase not in the text' does not occur in the text"
    ]


def test_errors_exit_2(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tiny / "content" / "timeline.yaml").write_text(TINY_TIMELINE.replace("[ruritania]", "[atlantis]"), "utf-8")
    assert run_check(tiny, quiet=True) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/timeline.yaml:5:12: error: unknown actor id 'atlantis'; add it to content/actors.yaml"
    )


PAGE = '<p id="top">x</p><a href="{href}">link</a>'


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        ("../b/", None),
        ("../b/index.html#sec", None),
        ("../b", None),  # a folder without its slash still resolves
        ("#top", None),
        ("https://example.org/elsewhere", None),
        ("mailto:someone@example.org", None),
        ("../pagefind/pagefind-ui.js", None),  # written by the search indexer after rendering
        ("../c/", "link '../c/' leads to 'c/index.html', which the site does not have"),
        ("../b/#nowhere", "link '../b/#nowhere': 'b/index.html' has no element with id 'nowhere'"),
        ("#missing", "link '#missing': 'a/index.html' has no element with id 'missing'"),
        ("/site/b/", None),
        ("/elsewhere/b/", "link '/elsewhere/b/' leaves the site's path '/site/'"),
    ],
)
def test_internal_links_must_resolve(href: str, problem: str | None) -> None:
    files = {
        "a/index.html": PAGE.format(href=href).encode(),
        "b/index.html": b'<h2 id="sec">Section</h2>',
    }
    found = [e.headline() for e in check_links(files, "/site/")]
    assert found == ([] if problem is None else [f"a/index.html:1:1: error: {problem} (in the rendered page)"])


def test_locate_finds_the_line_of_a_word_in_a_wrapped_paragraph() -> None:
    text = "Intro\nThe war ended. After the war\nthe peace came, and the war\nwas remembered.\n"
    joined = "The war ended. After the war the peace came, and the war was remembered."
    paragraph = Paragraph("p1", joined, Span("seeds/x.txt", 2, 1, 4))
    doc = Document("seeds/x.txt", "pdf", text, "", (), (Section("s", None, (paragraph,)),), (), ())
    third_war = joined.rindex("war")
    assert locate(doc, paragraph.span, joined, third_war) == (3, len("the peace came, and the ") + 1)
    assert locate(doc, paragraph.span, joined, joined.index("After")) == (2, len("The war ended. ") + 1)
    assert locate(doc, paragraph.span, joined, joined.index("remembered")) == (4, 5)
