"""Atomic output: the new site replaces the old one whole, unchanged files are linked, the manifest is honest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.errors import SourceError, fail
from briefing.output import (
    BACKGROUND_LINKS_MIN,
    Kept,
    Staging,
    _exchange,
    previous_build,
    static_files,
    write_file,
    write_site,
)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_exactly_the_files_given_and_removes_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one", "a/b.txt": b"two"})
    write_site(out, {"index.html": b"three"})
    assert tree(out) == {"index.html": b"three"}


def test_unchanged_bytes_are_hard_linked_from_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"same.txt": b"same", "new.txt": b"old"})
    same, changed = (out / "same.txt").stat().st_ino, (out / "new.txt").stat().st_ino
    write_site(out, {"same.txt": b"same", "new.txt": b"new"})
    assert (out / "same.txt").stat().st_ino == same
    assert (out / "new.txt").stat().st_ino != changed
    assert tree(out) == {"same.txt": b"same", "new.txt": b"new"}


def test_the_manifest_records_keys_and_kept_files_reuse_them(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"page.html": b"<p>rendered</p>"}, keys={"page.html": "k1"})
    previous = previous_build(out)
    assert previous["page.html"].key == "k1"
    write_site(out, {"page.html": Kept(previous["page.html"])})
    assert tree(out) == {"page.html": b"<p>rendered</p>"}
    assert previous_build(out)["page.html"].key == "k1"


def test_a_file_changed_by_hand_is_not_trusted(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"page.html": b"<p>rendered</p>", "other.html": b"x"}, keys={"page.html": "k1"})
    (out / "page.html").write_bytes(b"<p>edited by hand, longer</p>")
    assert set(previous_build(out)) == {"other.html"}


def test_a_failing_finish_step_leaves_the_old_site_whole(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})

    def finish(folder: Path) -> None:
        raise fail("pagefind", 1, 1, "search indexing failed")

    with pytest.raises(SourceError):
        write_site(out, {"index.html": b"new"}, finish)
    assert tree(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["site"]  # no temporary folder left


def test_discard_receives_the_replaced_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    aside: list[Path] = []

    def keep_aside(old: Path) -> None:
        target = tmp_path / "trash"
        old.rename(target)
        aside.append(target)

    write_site(out, {"index.html": b"new"}, discard=keep_aside)
    assert tree(aside[0]) == {"index.html": b"old"}
    assert tree(out) == {"index.html": b"new"}


@pytest.mark.parametrize("path", ["../escape.html", "/abs.html", "a/../../b.html", "a\\b.html"])
def test_paths_outside_the_output_folder_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(SourceError) as caught:
        write_site(tmp_path / "site", {path: b"x"})
    assert caught.value.headline() == (
        f"content:1:1: error: refusing to write {path!r}: it is not a plain path inside the output folder"
    )


def test_static_files_keep_their_folder_structure(tmp_path: Path) -> None:
    (tmp_path / "static" / "fonts").mkdir(parents=True)
    (tmp_path / "static" / "style.css").write_bytes(b"body{}")
    (tmp_path / "static" / "fonts" / "a.woff2").write_bytes(b"\0font")
    assert static_files(tmp_path / "static") == {"static/fonts/a.woff2": b"\0font", "static/style.css": b"body{}"}


def test_staging_folders_of_killed_builds_are_removed_but_not_a_running_ones(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f".site.new-{int(gone.stdout)}"  # the process has exited: its folder is an orphan
    running = tmp_path / f".site.new-{os.getppid()}"  # a live process (pytest's parent) may still be writing
    for folder in (dead, running):
        (folder / "briefings").mkdir(parents=True)
    write_site(tmp_path / "site", {"index.html": b"new"})
    assert not dead.exists()
    assert running.exists()
    assert tree(tmp_path / "site") == {"index.html": b"new"}


def test_a_worker_never_writes_through_a_link_into_the_old_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"page.html": b"old"}, keys={"page.html": "k1"})
    staging = Staging(out)
    assert staging.keep("page.html", "k1")  # linked from the old site
    write_file(staging.folder, "page.html", b"new", "k2")  # a worker makes it again
    assert (out / "page.html").read_bytes() == b"old"
    staging.abandon()
    assert not staging.folder.exists()
    assert (out / "page.html").read_bytes() == b"old"


@pytest.mark.parametrize("count", [3, BACKGROUND_LINKS_MIN + 5], ids=["in-process", "forked-child"])
def test_files_kept_in_the_background_are_links_to_the_old_site(tmp_path: Path, count: int) -> None:
    out = tmp_path / "site"
    files = {f"briefings/b{i}/index.html": f"page {i}".encode() for i in range(count)}
    write_site(out, {**files, "changed.html": b"old"}, keys={**dict.fromkeys(files, "k1"), "changed.html": "k1"})
    first = next(iter(files))
    inode = (out / first).stat().st_ino
    staging = Staging(out)
    # Asked for: every briefing page under its key, one under a key that changed, one never built.
    wanted = {**dict.fromkeys(files, "k1"), "changed.html": "k2", "missing.html": "k1"}
    staging.keep_in_background(wanted)
    assert set(staging.built) == set(files)  # not the changed page, not the missing one
    staging.put("changed.html", b"new", "k2")  # another path: written while the links are being made
    staging.commit()  # waits for them first
    assert tree(out) == {**files, "changed.html": b"new"}
    assert previous_build(out)[first].key == "k1"
    assert (out / first).stat().st_ino == inode  # the old site's file, linked, not written again


def test_files_dropped_after_linking_are_not_in_the_new_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"a.html": b"a", "b.html": b"b"}, keys={"a.html": "k", "b.html": "k"})
    staging = Staging(out)
    staging.keep_in_background({"a.html": "k", "b.html": "k"})
    staging.settle()
    staging.drop(["b.html"])
    staging.commit()
    assert tree(out) == {"a.html": b"a"}
    assert set(previous_build(out)) == {"a.html"}


def test_abandoning_waits_for_the_links_then_leaves_the_old_site_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {f"briefings/b{i}/index.html": f"page {i}".encode() for i in range(BACKGROUND_LINKS_MIN + 5)}
    write_site(out, files, keys=dict.fromkeys(files, "k"))
    staging = Staging(out)
    staging.keep_in_background(dict.fromkeys(files, "k"))
    staging.abandon()  # a build that failed while the child was linking
    assert not staging.folder.exists()  # nothing the child made is left behind
    assert tree(out) == files


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_swap_is_one_atomic_exchange_on_linux(tmp_path: Path) -> None:
    """On Linux the new site and the old change places in one renameat2 call: no moment without a site."""
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "index.html").write_text("new", "utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old", "utf-8")
    assert _exchange(tmp_path / "new", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text("utf-8") == "new"
    assert (tmp_path / "new" / "index.html").read_text("utf-8") == "old"
