"""The store's own bookkeeping: file digests remembered by file status, and sweeping unused entries."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing import store as store_module
from briefing.store import Store, file_digest


def counting_hashes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file the store hashes (rather than finds by its status)."""
    hashed: list[Path] = []

    def counted(path: Path) -> str:
        hashed.append(path)
        return file_digest(path)

    monkeypatch.setattr(store_module, "file_digest", counted)
    return hashed


def test_a_settled_file_is_hashed_once_then_known_by_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SETTLED_NS", -1)  # every status counts as settled
    seed = tmp_path / "seed.txt"
    seed.write_text("Baku and Yerevan", "utf-8")
    hashed = counting_hashes(monkeypatch)
    first = Store(tmp_path / "cache", "v1")
    assert first.file_digest(seed) == file_digest(seed)
    first.sweep()  # the end of a build: the statuses seen are kept
    again = Store(tmp_path / "cache", "v1")
    assert again.file_digest(seed) == file_digest(seed)
    assert hashed == [seed]  # the second store found it by its status
    seed.write_text("Yerevan and Baku, at length", "utf-8")
    assert again.file_digest(seed) == file_digest(seed)  # a write changes the status
    assert hashed == [seed, seed]


def test_a_file_written_just_now_is_hashed_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The racy case: a second write within one tick of the file system's clock, with the same size, could
    leave the status as it was; so a status is remembered only once it is older than any such tick."""
    seed = tmp_path / "seed.txt"
    seed.write_text("AAAA", "utf-8")
    first = Store(tmp_path / "cache", "v1")
    assert first.file_digest(seed) == file_digest(seed)
    first.sweep()
    hashed = counting_hashes(monkeypatch)
    again = Store(tmp_path / "cache", "v1")
    assert again.file_digest(seed) == file_digest(seed)
    assert again.file_digest(seed) == file_digest(seed)
    assert hashed == [seed, seed]


def test_statuses_of_files_no_build_saw_are_forgotten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SETTLED_NS", -1)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one", "utf-8")
    b.write_text("two", "utf-8")
    store = Store(tmp_path / "cache", "v1")
    store.file_digest(a), store.file_digest(b)
    store.sweep()
    store.start()
    store.file_digest(a)
    store.sweep()
    hashed = counting_hashes(monkeypatch)
    fresh = Store(tmp_path / "cache", "v1")
    fresh.file_digest(a), fresh.file_digest(b)
    assert hashed == [b]


def test_a_missing_file_has_the_missing_marker(tmp_path: Path) -> None:
    assert Store(tmp_path / "cache", "v1").file_digest(tmp_path / "absent.txt") == "missing"


def pickles(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*/*.pickle")}


def test_a_background_sweep_removes_unused_entries_but_not_newer_ones(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    store = Store(folder, "v1")
    store.memo("kind", ["old"], lambda: 1)
    time.sleep(0.05)  # the entries' times are the file system's, coarser than the build's clock
    store.start()
    store.memo("kind", ["kept"], lambda: 2)
    before = pickles(folder)
    assert len(before) == 2
    other = Store(folder, "v1")  # another build, writing while the sweep may still run
    other.memo("kind", ["newer"], lambda: 3)
    store.sweep(background=True)
    deadline = time.monotonic() + 30
    while len(pickles(folder)) != 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(pickles(folder)) == 2
    assert Store(folder, "v1").memo("kind", ["kept"], lambda: 0) == 2
    assert Store(folder, "v1").memo("kind", ["newer"], lambda: 0) == 3
    assert Store(folder, "v1").memo("kind", ["old"], lambda: 0) == 0
