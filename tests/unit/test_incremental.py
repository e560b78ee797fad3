"""Incremental builds: the content-hash cache and kept pages give the same bytes as a cold build."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import yaml

from briefing import parallel
from briefing.cache import METAS, read_project_cached
from briefing.errors import SourceErrors
from briefing.fingerprint import code_version
from briefing.index.crossref import BriefingIndex
from briefing.parallel import FORK_MIN
from briefing.per_briefing import Task, Unit, Worker
from briefing.pipeline import SEARCH_FOLDER, Options, Result, build, open_store
from briefing.sources import content as content_module
from briefing.sources.content import read_project
from briefing.store import Store, value_digest

ROOT = Path(__file__).resolve().parents[2]
VALIYEV = "seeds/valiyev-russian-peacekeepers-in-karabakh.txt"
T = TypeVar("T")


def copy_project(target: Path) -> Path:
    """A private copy of the repo's inputs (the tests edit it)."""
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def cold(root: Path, out: Path) -> Result:
    return build(Options(root, out, search=False, cache=False))


def edit_seed(root: Path) -> None:
    seed = root / VALIYEV
    text = seed.read_text("utf-8")
    assert "Russian peacekeepers" in text
    seed.write_text(text.replace("Russian peacekeepers", "Russian blue helmets", 1), "utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("incremental"))


@pytest.mark.parametrize("same_process", [True, False], ids=["serve-store", "fresh-store"])
def test_cold_and_incremental_builds_are_byte_identical(tmp_path: Path, same_process: bool) -> None:
    root = copy_project(tmp_path / "p")
    options = Options(root, tmp_path / "b", search=False)
    store = open_store(options)
    first = build(options, store)
    cold(root, tmp_path / "a")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")

    again = build(options, store if same_process else open_store(options))
    assert again.rendered == 0  # nothing changed: every page kept
    assert tree(tmp_path / "a") == tree(tmp_path / "b")

    edit_seed(root)
    edited = build(options, store if same_process else open_store(options))
    cold(root, tmp_path / "c")
    assert 0 < edited.rendered < first.pages
    assert tree(tmp_path / "b") == tree(tmp_path / "c")
    page = tmp_path / "b" / "briefings" / "valiyev-russian-peacekeepers-in-karabakh" / "index.html"
    assert "Russian blue helmets" in page.read_text("utf-8")


def test_a_seed_edit_reparses_only_that_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 1)  # every page made in this process, where misses are counted
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    store = open_store(options)
    slug = "valiyev-russian-peacekeepers-in-karabakh"
    named: dict[str, set[str]] = {}  # "actor-<id>" or "event-<id>" -> this briefing's paragraphs naming it

    def note_paragraphs() -> None:
        for file, key, kind, items in (("actors", "actors", "actor", "mentions"),
                                       ("timeline", "events", "event", "passages")):
            for x in json.loads((out / "data" / f"{file}.json").read_text("utf-8"))[key]:
                named.setdefault(f"{kind}-{x['id']}", set()).update(
                    m["paragraph"] for m in x[items] if m["briefing"] == slug)

    build(options, store)
    note_paragraphs()
    edit_seed(root)
    rows: list[str] = []  # the compare rows made again
    memo = store.memo

    def counting_memo(kind: str, parts: list[str], make: Callable[[], T], persist: bool = True) -> T:
        def made() -> T:
            rows.append(parts[0])  # the row id
            return make()
        return memo(kind, parts, made if kind == "compare-row" else make, persist)

    store.memo = counting_memo  # type: ignore[method-assign]
    build(options, store)
    note_paragraphs()
    # Only the edited seed's unit (read, indexed, rendered) is made again; metadata, actors, timeline,
    # the other seed's unit and the template references all come from the cache. So do the compare
    # page's rows, but those of the actors and events the edited paragraph names.
    assert store.misses == 1 + len(rows)
    doc = json.loads((out / "data" / "briefings" / f"{slug}.json").read_text("utf-8"))
    edited = [p["id"] for s in doc["sections"] for p in s["paragraphs"] if "Russian blue helmets" in p["text"]]
    assert len(edited) == 1
    touched = {row for row, where in named.items() if edited[0] in where}
    assert rows and set(rows) <= touched
    compare = (out / "compare" / "index.html").read_text("utf-8")
    assert sum(f'id="{row}"' in compare for row in named if row not in touched) > 0  # rows kept, not made


def test_an_edit_rerenders_only_the_actor_pages_of_the_paragraph_it_touched(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    slug = "valiyev-russian-peacekeepers-in-karabakh"
    named: dict[str, set[str]] = {}  # actor -> the paragraphs of this briefing that name it, before or after

    def note_mentions() -> None:
        for a in json.loads((out / "data" / "actors.json").read_text("utf-8"))["actors"]:
            named.setdefault(a["id"], set()).update(m["paragraph"] for m in a["mentions"] if m["briefing"] == slug)

    build(options)
    note_mentions()
    before = inodes(out / "actors")
    edit_seed(root)  # one paragraph of Valiyev's text
    build(options)
    note_mentions()
    doc = json.loads((out / "data" / "briefings" / f"{slug}.json").read_text("utf-8"))
    edited = [p["id"] for s in doc["sections"] for p in s["paragraphs"] if "Russian blue helmets" in p["text"]]
    assert len(edited) == 1
    touched = {a for a, where in named.items() if edited[0] in where}
    untouched = {a for a, where in named.items() if where and edited[0] not in where}
    assert touched and untouched
    after = inodes(out / "actors")
    for a in touched:
        assert after[f"{a}/index.html"] != before[f"{a}/index.html"], f"{a} names the edited paragraph"
    for a in untouched:
        assert after[f"{a}/index.html"] == before[f"{a}/index.html"], f"{a} is not in the edited paragraph"
    cold(root, tmp_path / "cold")
    assert tree(out) == tree(tmp_path / "cold")


def test_a_template_change_rerenders_only_the_pages_that_use_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    options = Options(root, tmp_path / "out", search=False)
    build(options)
    template = root / "templates" / "event.html"
    template.write_text(template.read_text("utf-8") + "{# a comment changes the source, not the output #}\n")
    result = build(options)
    events = yaml.safe_load((root / "content" / "timeline.yaml").read_text("utf-8"))
    assert result.rendered == len(events)  # one page per event, nothing else uses event.html


def test_a_css_change_writes_one_file_and_links_the_rest(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    build(options)
    before = inodes(out)
    css = root / "static" / "style.css"
    css.write_bytes(css.read_bytes() + b"\n/* edited */\n")
    result = build(options)
    after = inodes(out)
    assert result.rendered == 0
    assert set(after) == set(before)
    assert [p for p in sorted(after) if after[p] != before[p]] == ["static/style.css"]


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    build(options)
    page = out / "timeline" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    result = build(options)
    assert result.rendered == 1
    assert page.read_bytes() == original


def test_cached_reading_equals_the_plain_reader(project: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", code_version())
    plain = read_project(project)
    for _ in range(2):  # the first read fills the cache, the second reads from it
        cached = read_project_cached(project, store).inputs
        assert (cached.site, cached.briefings, cached.actors, cached.events, cached.pages) == (
            plain.site, plain.briefings, plain.actors, plain.events, plain.pages,
        )
        assert [w.headline() for w in cached.warnings] == [w.headline() for w in plain.warnings]


def test_many_metadata_files_read_on_every_core_equal_the_plain_reader(tmp_path: Path) -> None:
    # Past FORK_MIN metadata files the cache reads them in forked workers first: the values and the
    # errors must be those of the plain reader, the broken file reported at its own line.
    root = copy_project(tmp_path / "p")
    seed = (root / VALIYEV).read_text("utf-8")
    meta = (root / "content" / "briefings" / "valiyev-russian-peacekeepers-in-karabakh.yaml").read_text("utf-8")
    source = "source: valiyev-russian-peacekeepers-in-karabakh.txt"
    assert source in meta
    for i in range(FORK_MIN + 6):
        (root / "seeds" / f"copy-{i:02d}.txt").write_text(seed, "utf-8")
        text = meta.replace(source, f"source: copy-{i:02d}.txt")
        (root / "content" / "briefings" / f"copy-{i:02d}.yaml").write_text(text, "utf-8")
    plain = read_project(root)
    cached = read_project_cached(root, Store(tmp_path / "cache", code_version())).inputs
    assert len(plain.briefings) == FORK_MIN + 8
    assert cached.briefings == plain.briefings
    broken = root / "content" / "briefings" / "copy-07.yaml"
    broken.write_text(broken.read_text("utf-8").replace("published:", "published: [", 1), "utf-8")
    with pytest.raises(SourceErrors) as plain_error:
        read_project(root)
    with pytest.raises(SourceErrors) as cached_error:
        read_project_cached(root, Store(tmp_path / "cache2", code_version()))
    headlines = [e.headline() for e in cached_error.value.errors]
    assert headlines == [e.headline() for e in plain_error.value.errors]
    assert any(h.startswith("content/briefings/copy-07.yaml:") for h in headlines), headlines


def test_warnings_survive_the_cache(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "content" / "briefings" / "valiyev-russian-peacekeepers-in-karabakh.yaml").unlink()
    store = Store(tmp_path / "cache", code_version())
    expected = f"{VALIYEV}:1: warning: no content/briefings/valiyev-russian-peacekeepers-in-karabakh.yaml: " \
        "using what the text itself says"
    for _ in range(2):
        store.memory.clear()  # the second round reads the pickles from disk
        inputs = read_project_cached(root, store).inputs
        assert [w.headline() for w in inputs.warnings] == [expected]


def test_a_briefing_made_again_under_its_old_key_keeps_none_of_its_old_extra_files(tmp_path: Path) -> None:
    # The last build's files of an unchanged briefing are linked before its cached unit is loaded. When
    # that unit is gone (or was made by other code), the briefing is made again, and a file the last
    # build listed under the same key but the new one does not make must not survive into the site.
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    build(Options(root, out, search=False))
    manifest = tmp_path / ".out.manifest"
    lines = manifest.read_text("utf-8").splitlines(keepends=True)
    page = "briefings/valiyev-russian-peacekeepers-in-karabakh/index.html"
    digest_, key, _, _, _ = next(line for line in lines if line.rstrip("\n").endswith("\t" + page)).split("\t")
    extra = out / "briefings" / "valiyev-russian-peacekeepers-in-karabakh" / "leftover.html"
    extra.write_bytes(b"made by an older version")
    stat = extra.stat()
    lines.append(f"{digest_}\t{key}\t{stat.st_size}\t{stat.st_mtime_ns}\t{extra.relative_to(out).as_posix()}\n")
    manifest.write_text("".join(lines), "utf-8")
    shutil.rmtree(root / ".cache" / "build")  # every cached unit gone: every briefing is made again
    os.utime(root / VALIYEV)  # the same bytes, so the same key, but not the last build's file status
    build(Options(root, out, search=False))
    cold(root, tmp_path / "cold")
    assert not extra.exists()
    assert tree(out) == tree(tmp_path / "cold")


def test_a_damaged_cache_entry_is_recomputed(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "v1")
    assert store.memo("kind", ["a"], lambda: 41) == 41
    for entry in (tmp_path / "cache").glob("*/*.pickle"):
        entry.write_bytes(b"not a pickle")
    fresh = Store(tmp_path / "cache", "v1")
    assert fresh.memo("kind", ["a"], lambda: 42) == 42
    assert fresh.misses == 1


def test_a_new_code_version_misses(tmp_path: Path) -> None:
    Store(tmp_path / "cache", "v1").memo("kind", ["a"], lambda: 1)
    assert Store(tmp_path / "cache", "v2").memo("kind", ["a"], lambda: 2) == 2


def test_errors_are_never_cached(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "v1")

    def broken() -> int:
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        store.memo("kind", ["a"], broken)
    assert store.memo("kind", ["a"], lambda: 7) == 7


def test_sweep_drops_what_the_last_build_did_not_use(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache", "v1")
    store.memo("kind", ["old"], lambda: 1)
    store.start()
    store.memo("kind", ["new"], lambda: 2)
    store.sweep()
    assert len(list((tmp_path / "cache").glob("*/*.pickle"))) == 1
    assert Store(tmp_path / "cache", "v1").memo("kind", ["new"], lambda: 3) == 2


def test_value_digest_ignores_which_equal_objects_are_shared() -> None:
    word = "".join(["Ba", "ku"])
    shared = (word, word)
    separate = ("".join(["Ba", "ku"]), "".join(["B", "aku"]))
    assert shared[0] is shared[1] and separate[0] is not separate[1]
    assert value_digest(shared) == value_digest(separate)
    assert value_digest(("Baku", "Yerevan")) != value_digest(("Yerevan", "Baku"))


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_a_build_with_nothing_changed_writes_nothing_and_reports_the_same(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "content" / "briefings" / "valiyev-russian-peacekeepers-in-karabakh.yaml").unlink()  # a warning
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    first = build(options)
    before, manifest = mtimes(out), (tmp_path / ".out.manifest").read_bytes()
    again = build(options)
    assert mtimes(out) == before  # not even swapped: the same folder, files and times
    assert (tmp_path / ".out.manifest").read_bytes() == manifest
    assert (again.pages, again.files, again.rendered) == (first.pages, first.files, 0)
    assert [w.headline() for w in again.warnings] == [w.headline() for w in first.warnings]
    assert len(again.warnings) == 1


@pytest.mark.parametrize("change", ["input", "output", "option"])
def test_any_change_to_inputs_output_or_options_builds_again(tmp_path: Path, change: str) -> None:
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    build(Options(root, out, search=False))
    options = Options(root, out, search=False)
    if change == "input":
        (root / "content" / "pages" / "about.md").write_text(
            (root / "content" / "pages" / "about.md").read_text("utf-8") + "\nOne more line.\n", "utf-8")
    elif change == "output":
        (out / "robots.txt").write_text("tampered", "utf-8")
    else:
        options = Options(root, out, base_url="https://example.org/elsewhere/", search=False)
    result = build(options)
    if change == "option":
        assert "https://example.org/elsewhere/" in (out / "robots.txt").read_text("utf-8")
    else:
        cold(root, tmp_path / "cold")
        assert tree(out) == tree(tmp_path / "cold")  # the tampered file is written again
    assert result.rendered == (1 if change == "input" else 0 if change == "output" else result.pages)


@pytest.mark.skipif(importlib.util.find_spec("pagefind_bin") is None, reason="needs pagefind[bin]")
def test_a_no_change_build_keeps_the_search_index_and_an_edit_rebuilds_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    out = tmp_path / "out"
    options = Options(root, out, search=True)
    build(options)
    index = tree(out / SEARCH_FOLDER)
    assert index  # pagefind wrote its files
    before = inodes(out / SEARCH_FOLDER)
    build(options)
    assert inodes(out / SEARCH_FOLDER) == before  # linked from the last build, not indexed again
    edit_seed(root)
    build(options)
    assert inodes(out / SEARCH_FOLDER) != before


def test_index_values_pickle_by_their_fields_and_round_trip() -> None:
    import pickle

    from briefing.index.crossref import BriefingIndex
    from briefing.model import DateMention, FuzzyDate, Mention, Passage

    date = DateMention(3, 19, "10 November 2020", FuzzyDate(2020, 11, 10), None)
    index = BriefingIndex("s", (Mention("russia", "s", "p1", 0, 6, "Russia"),), (("p1", date),),
                          (Passage("e", "s", "p1", 3, 19, "10 November 2020"),))
    assert pickle.loads(pickle.dumps(index)) == index
    assert Mention.__reduce__(index.mentions[0]) == (Mention, ("russia", "s", "p1", 0, 6, "Russia"))


def test_an_edit_loads_the_mentions_of_only_the_briefings_that_share_its_actors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages showing every briefing are made from counts; a briefing's mentions are unpickled only for
    # the pages that quote it and must be made again: those of the actors the edited paragraph names.
    root = copy_project(tmp_path / "p")
    shutil.rmtree(root / "seeds")
    shutil.rmtree(root / "content" / "briefings")
    (root / "seeds").mkdir()
    actors = yaml.safe_load((root / "content" / "actors.yaml").read_text("utf-8"))
    names = [a["name"] for a in actors if a["name"].isalpha()][:12]
    assert len(names) == 12
    n = FORK_MIN + 8
    cast = [(names[i % 12], names[(i // 12 + i + 1) % 12]) for i in range(n)]  # each pair differs
    for i, (first, second) in enumerate(cast):
        (root / "seeds" / f"b{i:02}.md").write_text(
            f"---\ntitle: Briefing {i}\nauthors:\n- name: Author {i}\npublished: '2021-03-{i % 28 + 1:02}'\n---\n\n"
            f"## One\n\nThe first paragraph speaks of {first} at length.\n\n"
            f"## Two\n\nThe second paragraph speaks of {second} and of {first} again.\n", "utf-8")
    out = tmp_path / "out"
    options = Options(root, out, search=False)
    build(options)
    seed = root / "seeds" / "b00.md"
    seed.write_text(seed.read_text("utf-8").replace("at length", "at some length"), "utf-8")
    loaded: list[str] = []
    index = Unit.index

    def counting_index(unit: Unit) -> BriefingIndex:
        loaded.append(unit.summary.slug)
        return index(unit)

    monkeypatch.setattr(Unit, "index", counting_index)
    monkeypatch.setattr(parallel, "cores", lambda: 1)  # every page made in this process, where loads are counted
    build(options)
    sharing = {f"b{i:02}" for i, pair in enumerate(cast) if cast[0][0] in pair}  # the edited paragraph's actor
    assert loaded and set(loaded) <= sharing and len(sharing) < n
    assert len(loaded) == len(set(loaded))  # each at most once
    cold(root, tmp_path / "cold")
    assert tree(out) == tree(tmp_path / "cold")


@pytest.mark.skipif(parallel.cores() < 2, reason="needs two processes")
def test_an_edited_briefing_is_made_by_a_child_while_the_cached_units_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p")
    options = Options(root, tmp_path / "out", search=False)
    build(options)
    edit_seed(root)
    makers = tmp_path / "makers"
    build_unit = Worker.build

    def recording_build(self: Worker, task: Task, folder: Path) -> object:
        with makers.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return build_unit(self, task, folder)

    get = Store.get

    def slow_get(self: Store, kind: str, parts: list[str]) -> object:
        if kind == "unit":
            time.sleep(0.5)  # the other briefing's cached unit loads slowly: the child has begun by then
        return get(self, kind, parts)

    monkeypatch.setattr(Worker, "build", recording_build)
    monkeypatch.setattr(Store, "get", slow_get)
    build(options)
    assert makers.read_text("utf-8").split() not in ([], [str(os.getpid())])  # one briefing, made elsewhere
    assert len(makers.read_text("utf-8").split()) == 1
    build(Options(root, tmp_path / "cold", search=False, cache=False))
    assert tree(tmp_path / "out") == tree(tmp_path / "cold")


def test_metadata_files_are_read_again_only_when_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every metadata file's values are kept in one cache entry: a rebuild reads none of the files, an
    edit to one reads that one, and a file that fails to read is read (and reported) every time."""
    root = copy_project(tmp_path / "p")
    options = Options(root, tmp_path / "out", search=False)
    build(options)
    read: list[str] = []
    real = content_module._read_meta

    def counting(path: Path, seeds: Path) -> object:
        read.append(path.name)
        return real(path, seeds)

    monkeypatch.setattr(content_module, "_read_meta", counting)
    kept = open_store(options).get(METAS, [])  # one entry holds both files' values
    assert isinstance(kept, dict) and sorted(m.slug for m in kept.values()) == sorted(
        p.stem for p in (root / "content" / "briefings").glob("*.yaml"))
    edit_seed(root)
    build(options)
    assert read == []
    meta = root / "content" / "briefings" / "valiyev-russian-peacekeepers-in-karabakh.yaml"
    meta.write_text(meta.read_text("utf-8").replace("Russian Peacekeepers in Karabakh", "Peacekeepers in Karabakh", 1),
                    "utf-8")
    build(options)
    assert read == [meta.name]
    page = tmp_path / "out" / "briefings" / "valiyev-russian-peacekeepers-in-karabakh" / "index.html"
    assert "Peacekeepers in Karabakh after the 2020 War" in page.read_text("utf-8")
    read.clear()
    good = meta.read_text("utf-8")
    meta.write_text(good.replace("title:", "title: [unclosed", 1), "utf-8")
    for _ in range(2):
        with pytest.raises(SourceErrors):
            build(options)
    assert set(read) == {meta.name} and len(read) >= 2  # read by each build, not kept; no other file read
    meta.write_text(good, "utf-8")
    read.clear()
    build(options)
    build(options)  # nothing changed: the quick path, nothing read
    edit_seed(root)
    build(options)
    assert read == [meta.name]  # once, when mended (the entry keeps only the files that read cleanly)
