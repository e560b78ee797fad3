"""The spare: the site a build replaces becomes the folder the next build starts from.

Whatever the spare held, the new site must be exactly the files the build made (as a build into an
empty folder gives), the live site must never change before the swap, and nothing changed or added
by hand may be carried over.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from briefing import output
from briefing.output import SPARE_LISTING, Staging, _lock, _remove_orphans, previous_build
from briefing.pipeline import Options, build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the replaced site aside in this process, so that the spare is there when the next build starts."""
    monkeypatch.setattr(output, "run_detached", lambda *works: [work() for work in works])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def spare_of(out: Path) -> Path:
    return out.with_name(f".{out.name}.spare")


def publish(out: Path, files: Mapping[str, bytes], keys: Mapping[str, str] | None = None,
            before_commit: Callable[[Staging], None] | None = None) -> Staging:
    """One build of ``files`` the way the pipeline does it: from the spare, set aside after the swap."""
    staging = Staging(out, reuse_spare=True)
    try:
        for rel, data in sorted(files.items()):
            key = (keys or {}).get(rel, "")
            if not (key and staging.keep(rel, key)):
                staging.put(rel, data, key)
        if before_commit is not None:
            before_commit(staging)
        staging.commit(discard=staging.set_aside)
    finally:
        staging.abandon()
    return staging


def listing(spare: Path) -> set[str]:
    return {line.split("\t")[4] for line in (spare / SPARE_LISTING).read_text("utf-8").splitlines()}


def test_the_replaced_site_becomes_the_spare_and_the_next_build_starts_from_it(tmp_path: Path) -> None:
    out = tmp_path / "site"
    v1 = {"index.html": b"one", "a/b/page.html": b"page", "gone/x.html": b"x", "static/s.css": b"css"}
    publish(out, v1)
    assert not spare_of(out).exists()  # nothing was replaced yet
    v2 = {"index.html": b"two", "a/b/page.html": b"page", "static/s.css": b"css"}
    publish(out, v2)
    spare = spare_of(out)
    assert tree(spare) == {**v1, SPARE_LISTING: (spare / SPARE_LISTING).read_bytes()}
    assert listing(spare) == set(v1)
    reused = spare.stat().st_ino
    same = (spare / "a/b/page.html").stat().st_ino
    v3 = {"index.html": b"three", "a/b/page.html": b"page", "new/n.html": b"n"}
    publish(out, v3)
    assert out.stat().st_ino == reused  # the spare's folder is the site now
    assert tree(out) == v3  # the spare's other files ("gone/x.html", "static/s.css", its listing) removed
    assert folders(out) == {"a", "a/b", "new"}  # and the folders that left empty
    assert (out / "a/b/page.html").stat().st_ino == same  # an unchanged file stays where it was
    assert set(previous_build(out)) == set(v3)


def test_a_live_file_edited_by_hand_is_not_carried_over_by_the_spare(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {"page.html": b"rendered", "other.html": b"other"}
    keys = {"page.html": "k1", "other.html": "k1"}
    publish(out, files, keys)
    publish(out, files, keys)  # the spare and the site now share page.html (one inode, two names)
    assert (out / "page.html").stat().st_ino == (spare_of(out) / "page.html").stat().st_ino
    (out / "page.html").write_bytes(b"edited by hand, in place")  # through the link: the spare's copy too
    publish(out, files, keys)
    assert tree(out) == files


def test_files_added_by_hand_and_the_search_index_are_not_carried_over(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {"index.html": b"i", "briefings/a/index.html": b"a"}
    publish(out, files)
    for extra in ("pagefind/pagefind.js", "briefings/a/notes.txt", "CNAME"):
        (out / extra).parent.mkdir(parents=True, exist_ok=True)
        (out / extra).write_bytes(b"by hand")
    publish(out, files)  # the site with the extras is replaced and set aside
    assert listing(spare_of(out)) == set(files)
    assert tree(spare_of(out)).keys() == {*files, SPARE_LISTING}
    publish(out, files)
    assert tree(out) == files


@pytest.mark.parametrize("first, second", [
    ({"static/fonts": b"a file"}, {"static/fonts/a.woff2": b"font"}),
    ({"static/fonts/a.woff2": b"font"}, {"static/fonts": b"a file"}),
], ids=["file-becomes-folder", "folder-becomes-file"])
def test_a_path_that_changes_between_file_and_folder(tmp_path: Path, first: dict[str, bytes],
                                                    second: dict[str, bytes]) -> None:
    out = tmp_path / "site"
    publish(out, {"index.html": b"i", **first})
    publish(out, {"index.html": b"i"})  # the spare holds ``first``
    assert spare_of(out).exists()
    publish(out, {"index.html": b"i", **second})
    assert tree(out) == {"index.html": b"i", **second}


def test_a_worker_writing_over_a_spare_file_never_changes_the_live_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {"page.html": b"old"}
    publish(out, files, {"page.html": "k1"})
    publish(out, files, {"page.html": "k1"})  # spare and site share page.html
    staging = Staging(out, reuse_spare=True)
    assert staging.spare  # the spare was taken
    output.write_file(staging.folder, "page.html", b"new", "k2")
    assert (out / "page.html").read_bytes() == b"old"
    staging.put("page.html", b"newer", "k3")
    assert (out / "page.html").read_bytes() == b"old"
    staging.abandon()


def test_a_file_only_the_spare_holds_is_rewritten_in_place(tmp_path: Path) -> None:
    """Every page changes twice (a template edit, then another): the second build writes into the files
    of the site before last, which nothing else links to any more, instead of deleting them and making
    new ones. The parent's ``put`` and a worker's ``write_file`` both do; the live site never changes."""
    out = tmp_path / "site"
    v1 = {"index.html": b"one, the longest of the three versions", "a/page.html": b"page one", "b.html": b"b1"}
    publish(out, v1)
    v2 = {"index.html": b"two", "a/page.html": b"page two", "b.html": b"b2"}
    publish(out, v2)
    # v1's files, now the spare's only: held open, so that their inodes stay theirs (a file system may
    # give a deleted file's number to the next new file)
    held = {rel: os.open(spare_of(out) / rel, os.O_RDONLY) for rel in v1}
    v3 = {"index.html": b"three", "a/page.html": b"page three", "b.html": b"b3"}
    staging = Staging(out, reuse_spare=True)
    try:
        staging.put("index.html", v3["index.html"])
        staging.put("a/page.html", v3["a/page.html"])
        staging.add({"b.html": output.write_file(staging.folder, "b.html", v3["b.html"])})
        assert tree(out) == v2  # the live site is untouched until the swap
        staging.commit(discard=staging.set_aside)
    finally:
        staging.abandon()
    try:
        assert tree(out) == v3  # shorter bytes than the file held: truncated
        assert {rel: (out / rel).stat().st_ino for rel in v3} == {rel: os.fstat(fd).st_ino for rel, fd in held.items()}
        assert {rel: os.pread(fd, 100, 0) for rel, fd in held.items()} == v3
    finally:
        for fd in held.values():
            os.close(fd)
    assert set(previous_build(out)) == set(v3)  # the manifest matches the rewritten files


def test_a_spare_file_that_is_a_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not the site's")
    folder = tmp_path / "staging"
    folder.mkdir()
    (folder / "page.html").symlink_to(outside)
    output.write_file(folder, "page.html", b"new page")
    assert outside.read_bytes() == b"not the site's"
    assert not (folder / "page.html").is_symlink()
    assert (folder / "page.html").read_bytes() == b"new page"


def test_a_failed_build_that_took_the_spare_leaves_the_site_and_the_next_build_right(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = {"index.html": b"i", "a/page.html": b"p"}
    publish(out, files)
    publish(out, files)

    def fail(staging: Staging) -> None:
        raise RuntimeError("a build that fails after writing")

    with pytest.raises(RuntimeError):
        publish(out, {"index.html": b"half", "b/new.html": b"n"}, before_commit=fail)
    assert tree(out) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.manifest", "site"]  # spare used up, no leftovers
    publish(out, {"index.html": b"new"})
    assert tree(out) == {"index.html": b"new"}


def test_a_folder_being_set_aside_is_not_taken_for_an_orphan(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(gone.stdout)  # a process that has exited
    busy, orphan = tmp_path / f".site.new-{pid}", tmp_path / f".site.new-{pid + 1_000_000}"
    for folder in (busy, orphan):
        (folder / "briefings").mkdir(parents=True)
    held = _lock(busy)  # what ``Staging.set_aside`` holds while a detached process prunes the folder
    try:
        _remove_orphans(tmp_path / "site")
    finally:
        if held is not None:
            os.close(held)
    assert busy.exists()
    assert not orphan.exists()


def test_edits_built_from_the_spare_equal_cold_builds(tmp_path: Path) -> None:
    root = tmp_path / "p"
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    seed = root / "seeds" / "valiyev-russian-peacekeepers-in-karabakh.txt"
    text = seed.read_text("utf-8")
    build(options)
    for round_ in range(3):  # the second build finds no spare yet; the later ones start from it
        taken = spare_of(out).stat().st_ino if spare_of(out).exists() else None
        seed.write_text(text.replace("Russian peacekeepers", f"Russian peacekeepers (round {round_})", 1), "utf-8")
        build(options)
        build(Options(root, tmp_path / f"cold-{round_}", search=False, cache=False))
        assert tree(out) == tree(tmp_path / f"cold-{round_}")
        assert folders(out) == folders(tmp_path / f"cold-{round_}")
        if taken is not None:
            assert out.stat().st_ino == taken
    assert round_ == 2 and taken is not None


def test_a_spare_that_cannot_be_made_costs_only_the_spare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    publish(out, {"index.html": b"one"})

    def full_disk(out: Path, old: Path, files: Mapping[str, output.Built]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "make_spare", full_disk)
    publish(out, {"index.html": b"two"})  # commits; the replaced site is deleted instead of set aside
    assert tree(out) == {"index.html": b"two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.manifest", "site"]


def test_one_detached_process_sets_the_old_site_aside_and_sweeps_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def detached(*works: Callable[[], object]) -> None:
        calls.append(len(works))
        for work in works:
            work()

    monkeypatch.setattr(output, "run_detached", detached)
    root = tmp_path / "p"
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    options = Options(root, tmp_path / "out", search=False)
    build(options)
    assert calls == []  # nothing replaced: the first build sweeps on its own
    unused = root / ".cache" / "build" / "zz" / ("zz" + "0" * 62 + ".pickle")  # an entry no build uses
    unused.parent.mkdir(parents=True, exist_ok=True)
    unused.write_bytes(b"old")
    os.utime(unused, ns=(0, 0))
    seed = root / "seeds" / "valiyev-russian-peacekeepers-in-karabakh.txt"
    seed.write_text(seed.read_text("utf-8").replace("Russian peacekeepers", "Russian peacekeepers (edited)", 1),
                    "utf-8")
    build(options)
    assert calls == [2]  # the spare and the sweep, in one process
    assert not unused.exists()
    assert spare_of(options.out).is_dir()


def test_a_new_build_in_the_same_process_leaves_the_folder_being_set_aside_alone(tmp_path: Path) -> None:
    """serve (and the tests) build again in one process: the last build's old site may still be set
    aside from the folder name this process used, while the next build starts."""
    out = tmp_path / "site"
    publish(out, {"index.html": b"one"})
    held_path = tmp_path / f".site.new-{os.getpid()}"
    held_path.mkdir()
    (held_path / "old.html").write_bytes(b"old site")
    held = _lock(held_path)
    try:
        staging = Staging(out)
        assert staging.folder != held_path and staging.folder.is_dir()
        assert (held_path / "old.html").read_bytes() == b"old site"
        staging.abandon()
    finally:
        if held is not None:
            os.close(held)
    again = Staging(out)  # no longer held: a leftover, removed, and its name used again
    assert again.folder == held_path and not (held_path / "old.html").exists()
    again.abandon()
