"""Path safety: slugs, page names, actor and event ids, ``source:`` paths and input files that try to leave their
folder are refused with an error naming the file and line; no output is ever written outside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitekit import build_site, make_project, site_files

from briefing.errors import SourceError, SourceErrors
from briefing.output import _check_relative, write_site
from briefing.render.plan import _check_paths
from briefing.sources.content import read_project

ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
SOURCE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*\\.(txt|md)$"
SEED = "A paragraph of the seed, long enough to read as body text.\n"
LEAVING = ["../outside", "/etc/passwd", "a/../../b", "a\\b", "..\\..\\x", "a\x00b", "C:\\x", "~/x", "a/b", "."]


def headlines(root: Path) -> list[str]:
    """The headline of every error reading the project gives (and fail if it reads cleanly)."""
    with pytest.raises((SourceError, SourceErrors)) as caught:
        read_project(root)
    errors = caught.value.errors if isinstance(caught.value, SourceErrors) else (caught.value,)
    return [e.headline() for e in errors]


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (NUL and backslash escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0") + '"'


# --- slugs and page names (file names) ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["..yaml", "a\\b.yaml", "Evil Slug.yaml", "x\x01y.yaml", "-a.yaml", "a_b.yaml"])
def test_a_metadata_file_name_that_is_not_a_slug_is_refused(tmp_path: Path, name: str) -> None:
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {f"briefings/{name}": "source: x.txt\ntitle: T\n"})
    assert headlines(root) == [
        f"content/briefings/{name}:1:1: error: file name {name!r} is not a valid slug "
        "(lowercase letters, digits, hyphens)"
    ]


@pytest.mark.parametrize("name", ["..md", "a\\b.md", "About.md", "a\x1bb.md", "a.b.md"])
def test_a_page_file_name_that_is_not_a_slug_is_refused(tmp_path: Path, name: str) -> None:
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {f"pages/{name}": "---\ntitle: T\n---\nBody.\n"})
    assert headlines(root) == [f"content/pages/{name}:1:1: error: page file name {name!r} is not a valid slug"]


# --- ids ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [*LEAVING, "", "A", "a b"])
def test_an_actor_id_that_is_not_a_slug_is_refused(tmp_path: Path, bad: str) -> None:
    actors = f"- name: X\n  id: {yaml_string(bad)}\n  type: place\n  description: d\n"
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {"actors.yaml": actors})
    assert headlines(root) == [
        f"content/actors.yaml:2:7: error: [0].id: {bad!r} does not have the expected form ({ID_PATTERN})"
    ]


@pytest.mark.parametrize("bad", LEAVING)
def test_an_event_id_that_is_not_a_slug_is_refused(tmp_path: Path, bad: str) -> None:
    events = f"- date: '2020'\n  title: T\n  description: d\n  id: {yaml_string(bad)}\n"
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {"timeline.yaml": events})
    assert headlines(root) == [
        f"content/timeline.yaml:4:7: error: [0].id: {bad!r} does not have the expected form ({ID_PATTERN})"
    ]


# --- source: paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [*LEAVING, "../outside.txt", "/etc/passwd.txt", "sub/x.txt", "a\\b.txt",
                                 "x\x00.txt", "C:\\x.txt", ".hidden.txt"])
def test_a_source_path_that_leaves_seeds_is_refused(tmp_path: Path, bad: str) -> None:
    (tmp_path / "outside.txt").write_text(SEED)
    meta = f"title: T\nsource: {yaml_string(bad)}\n"
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {"briefings/x.yaml": meta})
    assert headlines(root) == [
        f"content/briefings/x.yaml:2:9: error: source: {bad!r} does not have the expected form ({SOURCE_PATTERN})"
    ]


def test_a_source_that_is_a_symlink_out_of_seeds_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text(SEED)
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {"briefings/x.yaml": "title: T\nsource: link.txt\n"})
    (root / "seeds" / "link.txt").symlink_to(tmp_path / "outside.txt")
    assert headlines(root) == [
        "content/briefings/x.yaml:2:9: error: source 'link.txt' leaves the seeds/ folder",
        "seeds/link.txt:1:1: error: 'link.txt' is a symlink that leads outside seeds/",
    ]


def test_a_seed_that_is_a_symlink_out_of_seeds_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("A secret outside the project.\n")
    root = make_project(tmp_path / "p", {"x.txt": SEED})
    (root / "seeds" / "evil.txt").symlink_to(tmp_path / "secret.txt")
    assert headlines(root) == ["seeds/evil.txt:1:1: error: 'evil.txt' is a symlink that leads outside seeds/"]


def test_a_symlink_inside_seeds_is_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"x.txt": SEED}, {"briefings/y.yaml": "title: T\nsource: y.txt\n"})
    (root / "seeds" / "y.txt").symlink_to(root / "seeds" / "x.txt")
    assert sorted(b.slug for b in read_project(root).briefings) == ["x", "y"]


@pytest.mark.parametrize("name", ["a\\b.txt", "tab\there.txt", "bell\x07.md"])
def test_a_seed_file_name_with_a_backslash_or_control_character_is_refused(tmp_path: Path, name: str) -> None:
    root = make_project(tmp_path / "p", {name: SEED})
    assert headlines(root) == [
        f"seeds/{name}:1:1: error: seed file name {name!r} has a backslash or a control character"
    ]


@pytest.mark.parametrize("where", ["pages/about.md", "briefings/x.yaml", "actors.yaml", "timeline.yaml", "site.yaml"])
def test_a_content_file_that_is_a_symlink_out_of_content_is_refused(tmp_path: Path, where: str) -> None:
    (tmp_path / "secret").write_text("title: stolen\n")
    root = make_project(tmp_path / "p", {"x.txt": SEED})
    link = root / "content" / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(tmp_path / "secret")
    folder = "content/" + where.rsplit("/", 1)[0] if "/" in where else "content"
    assert headlines(root) == [
        f"content/{where}:1:1: error: {link.name!r} is a symlink that leads outside {folder}/"
    ]


# --- output paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p in LEAVING if p not in ("~/x", "a/b")]
                         + ["", "/abs/index.html", "a//b.html", "a/./b.html", "a/", "tab\t.html"])
def test_the_plan_refuses_output_paths_that_leave_the_output_folder(path: str) -> None:
    with pytest.raises(SourceError) as caught:
        _check_paths(["index.html", path])
    assert str(caught.value) == f"content:1:1: error: output path {path!r} would leave the output folder"


def test_the_plan_accepts_plain_paths_and_refuses_two_on_one() -> None:
    _check_paths(["index.html", "briefings/x/index.html", "briefings/x/source/x.txt", ".nojekyll"])
    with pytest.raises(SourceError, match=r"two outputs claim the path 'a/index\.html'"):
        _check_paths(["a/index.html", "a/index.html"])


@pytest.mark.parametrize("path", ["../outside", "/etc/passwd", "a/../../b", "a\\b", "..\\..\\x", "a//b", "a/./b", ""])
def test_the_writer_refuses_paths_that_leave_the_output_folder(path: str) -> None:
    with pytest.raises(SourceError, match="it is not a plain path inside the output folder"):
        _check_relative(path)


def test_the_writer_refuses_a_nul_in_a_path() -> None:
    with pytest.raises(SourceError):
        _check_relative("a\x00b")


@pytest.mark.parametrize("path", ["../escaped.txt", "/tmp/escaped-absolute.txt", "a/../../escaped.txt"])
def test_a_write_that_would_leave_the_folder_writes_nothing_and_keeps_the_old_site(tmp_path: Path, path: str) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SourceError):
        write_site(out, {"index.html": b"new", "z.html": b"z", path: b"escaped"})
    assert site_files(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/escaped-absolute.txt").exists()


def test_a_built_site_stays_inside_its_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"x.txt": SEED})
    out = tmp_path / "deep" / "site"
    build_site(root, out)
    siblings = sorted(p.name for p in out.parent.iterdir())
    assert siblings == [".site.manifest", "site"]
    for path in site_files(out):
        assert (out / path).resolve().is_relative_to(out.resolve())
        assert not os.path.islink(out / path)
