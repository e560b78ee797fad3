"""Input bytes + code version -> cached stage results (parsed seeds, metadata, per-briefing indexes).

The values live in a ``Store`` (``briefing/store.py``) under keys that hash the raw bytes each was
made from. A value is never trusted for more than it was made from: the reading stage below follows
``read_project`` step by step and only memoises the pure parts (a file's bytes -> its model values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from briefing.errors import Frozen, SourceError, SourceErrors, fail, freeze, thaw
from briefing.index.actors import ActorMatcher, build_matcher
from briefing.index.crossref import BriefingIndex, Index, group, index_briefing
from briefing.index.timeline import EventMatcher, build_event_matcher
from briefing.model import Actor, Briefing, BriefingMeta, Event, Page, SiteConfig
from briefing.parallel import FORK_MIN, fork_map
from briefing.sources import content
from briefing.store import Store, digest

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")
METAS = "metas"  # the store's one entry for every metadata file's values: key of the file -> BriefingMeta


# --- the reading stage, memoised per file --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadBriefing:
    """A briefing as read, with the key of the bytes it came from (reused by the index cache)."""

    briefing: Briefing
    key: str


@dataclass(frozen=True, slots=True)
class Project:
    """``content.Inputs`` plus the keys later stages build their own cache keys from."""

    inputs: content.Inputs
    briefing_keys: tuple[str, ...]  # in the order of ``inputs.briefings``
    actors_key: str
    events_key: str


@dataclass(frozen=True, slots=True)
class Content:
    """Everything in ``content/`` read and validated, and the seeds to read (not yet read)."""

    site: SiteConfig
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    seeds: tuple[tuple[Path, BriefingMeta | None, str], ...]  # (seed file, its metadata, the metadata's key)
    actors_key: str
    events_key: str
    errors: tuple[SourceError, ...]  # the build stops after reading the seeds too, to report all at once


def read_content_cached(root: Path, store: Store) -> Content:
    """``content/`` with every file's parse memoised by its bytes, and the list of seeds with their metadata.

    Follows ``content.read_project`` step for step (the same helpers, the same order); the one difference
    is that events are not checked against the actor ids when the actor file itself failed, so a broken
    actor file gives its own error instead of one per event reference.
    """
    errors: list[SourceError] = []
    folder = root / "content"
    site_path, actors_path, events_path = (
        folder / "site.yaml",
        folder / "actors.yaml",
        folder / "timeline.yaml",
    )
    site = content._collect(
        errors,
        lambda: store.memo("site", [store.file_digest(site_path)], lambda: content._read_site(site_path)),
        content.DEFAULT_SITE,
    )
    actors_key = store.file_digest(actors_path)
    before = len(errors)
    actors: tuple[Actor, ...] = content._collect(
        errors, lambda: store.memo("actors", [actors_key], lambda: content._read_actors(actors_path)), ()
    )
    # When the actor file is broken its ids are unknown: checking events against none would report
    # every reference as unknown and bury the one real error.
    actor_ids = frozenset(a.id for a in actors) if len(errors) == before else None
    checked = "unchecked" if actor_ids is None else "checked"
    events_key = digest(store.file_digest(events_path), checked, *sorted(actor_ids or ()))
    events: tuple[Event, ...] = content._collect(
        errors,
        lambda: store.memo("events", [events_key], lambda: _read_events(events_path, actor_ids)),
        (),
    )
    seeds = _seeds_with_meta(root, store, errors)
    pages = tuple(
        page
        for page in (
            content._collect(errors, partial(_read_page, store, f), None)
            for f in content._files(folder / "pages", ".md")
        )
        if page
    )
    return Content(site, actors, events, pages, seeds, actors_key, events_key, tuple(errors))


def read_project_cached(root: Path, store: Store) -> Project:
    """``content.read_project`` with every file's parse memoised by the file's bytes.

    ``tests/unit/test_incremental.py`` checks both readers give equal Inputs. Raises SourceErrors.
    """
    found = read_content_cached(root, store)
    errors = list(found.errors)
    warnings: list[SourceError] = []
    read = _read_briefings(root, store, found.seeds, errors, warnings)
    if errors:
        raise SourceErrors(errors)
    ordered = sorted(read, key=lambda r: content._order(r.briefing))
    inputs = content.Inputs(
        found.site, tuple(r.briefing for r in ordered), found.actors, found.events, found.pages, tuple(warnings)
    )
    return Project(inputs, tuple(r.key for r in ordered), found.actors_key, found.events_key)


def _seeds_with_meta(
    root: Path, store: Store, errors: list[SourceError]
) -> tuple[tuple[Path, BriefingMeta | None, str], ...]:
    """Every seed file in name order with its metadata file's values and key ("none" without one).

    The values of every metadata file read without error are kept in one cache entry, by each file's
    key (``METAS``): a large site has one file per briefing, and a rebuild after an edit to a seed finds
    them all in one read instead of one per file. A changed file is read again and the entry rewritten.
    """
    seeds = root / "seeds"
    found = content._files(root / "content" / "briefings", ".yaml")
    files = [(path, digest(path.name, store.file_digest(path))) for path in found]
    kept = store.get(METAS, [])
    known: dict[str, BriefingMeta] = dict(kept) if isinstance(kept, dict) else {}  # a copy: the store's stays
    _read_metas_ahead([(path, key) for path, key in files if key not in known], seeds, known)
    read: dict[str, BriefingMeta] = {}
    metas: dict[str, tuple[BriefingMeta, str]] = {}
    for path, meta_key in files:
        meta = content._collect(errors, partial(_read_meta, known, path, seeds, meta_key), None)
        if meta is not None:
            read[meta_key] = meta
            metas[meta.source] = (meta, meta_key)
    if not isinstance(kept, dict) or read.keys() != kept.keys():
        store.put(METAS, [], read)
    seed_files = content.seed_paths(seeds)
    return tuple((path, *metas.get(path.name, (None, "none"))) for path in seed_files)


def _read_briefings(
    root: Path,
    store: Store,
    seeds: tuple[tuple[Path, BriefingMeta | None, str], ...],
    errors: list[SourceError],
    warnings: list[SourceError],
) -> list[ReadBriefing]:
    read: list[ReadBriefing] = []
    _read_ahead(store, list(seeds))
    for path, meta, meta_key in seeds:
        one = content._collect(errors, partial(_read_one, store, path, meta, meta_key, warnings), None)
        if one is not None:
            read.append(one)
    slugs: dict[str, str] = {}
    for r in read:
        b = r.briefing
        if b.slug in slugs:
            errors.append(fail(b.document.source, 1, 1, f"slug {b.slug!r} is also used by {slugs[b.slug]}"))
        slugs[b.slug] = b.document.source
    return read


def _read_ahead(store: Store, seeds: list[tuple[Path, BriefingMeta | None, str]]) -> None:
    """Parse the seeds the cache lacks on every core when there are many; the serial pass then finds them.

    Only values are stored: a seed whose parse raises is left for the serial pass to report.
    """
    jobs = [
        (digest(path.name, store.file_digest(path), meta_key), (path, meta))
        for path, meta, meta_key in seeds
        if not path.is_symlink()
    ]
    _fill_ahead(store, "briefing", jobs, _read_or_none)


def _read_metas_ahead(files: list[tuple[Path, str]], seeds: Path, known: dict[str, BriefingMeta]) -> None:
    """Read metadata files (path, key) on every core when there are many, into ``known`` (key -> values);
    the serial pass reads the few others, and reports the files that fail."""
    if len(files) < FORK_MIN:
        return
    values = fork_map(partial(_meta_or_none, seeds=seeds), [path for path, _ in files])
    known.update((key, value) for (_, key), value in zip(files, values, strict=True) if value is not None)


def _fill_ahead(store: Store, kind: str, jobs: list[tuple[str, A]], make: Callable[[A], object | None]) -> None:
    """Make the values of ``jobs`` (key, argument) the store lacks on every core, when there are many.

    ``make`` returns None for an input that fails to read: the serial pass after reads it again and
    reports the error with its location.
    """
    todo = [(key, arg) for key, arg in jobs if not store.has(kind, [key])]
    if len(todo) < FORK_MIN:
        return
    for (key, _), value in zip(todo, fork_map(make, [arg for _, arg in todo]), strict=True):
        if value is not None:
            store.put(kind, [key], value)


def _meta_or_none(path: Path, seeds: Path) -> BriefingMeta | None:
    """A metadata file's values; None when reading fails (the serial pass reports it)."""
    try:
        return content._read_meta(path, seeds)
    except (SourceError, SourceErrors):
        return None


def _read_or_none(seed: tuple[Path, BriefingMeta | None]) -> tuple[Briefing, tuple[Frozen, ...]] | None:
    """A seed's briefing with its warnings (frozen, as the cache keeps them); None when reading fails."""
    found: list[SourceError] = []
    try:
        return content._read_briefing(seed[0], seed[1], found), freeze(found)
    except (SourceError, SourceErrors):
        return None


def _read_events(path: Path, actor_ids: frozenset[str] | None) -> tuple[Event, ...]:
    """``content._read_events``, which also accepts None (skip the actor check) though typed narrower."""
    return content._read_events(path, actor_ids)  # type: ignore[arg-type]


def _read_page(store: Store, path: Path) -> Page:
    return store.memo("page", [path.name, store.file_digest(path)], lambda: content._read_page(path))


def _read_meta(known: dict[str, BriefingMeta], path: Path, seeds: Path, key: str) -> BriefingMeta:
    """A metadata file's values depend on its bytes alone (``key``); whether its seed exists is checked
    every time."""
    meta = known.get(key)
    if meta is None:
        return content._read_meta(path, seeds)
    seed = seeds / meta.source
    if not (seed.is_file() and content._inside(seed, seeds)):
        return content._read_meta(path, seeds)  # raises the reader's own message for a missing seed
    return meta


def _read_one(
    store: Store, path: Path, meta: BriefingMeta | None, meta_key: str, warnings: list[SourceError]
) -> ReadBriefing:
    if path.is_symlink():  # where a link points is not in its bytes: read it afresh every time
        key = digest("link", str(path.resolve()), store.file_digest(path), meta_key)
        return ReadBriefing(content._read_briefing(path, meta, warnings), key)
    key = digest(path.name, store.file_digest(path), meta_key)

    def make() -> tuple[Briefing, tuple[Frozen, ...]]:
        found: list[SourceError] = []
        return content._read_briefing(path, meta, found), freeze(found)

    briefing, frozen = store.memo("briefing", [key], make)
    warnings.extend(thaw(frozen))
    return ReadBriefing(briefing, key)


# --- the index stage, memoised per briefing ------------------------------------------------------


def cross_reference_cached(project: Project, store: Store) -> Index:
    """``crossref.cross_reference`` with each briefing's index memoised by its bytes and the index files."""
    inputs = project.inputs
    matcher: list[ActorMatcher] = []  # built on the first miss only: most rebuilds need none

    def matcher_once() -> ActorMatcher:
        if not matcher:
            matcher.append(build_matcher(inputs.actors))
        return matcher[0]

    events: list[EventMatcher] = []

    def events_once() -> EventMatcher:
        if not events:
            events.append(build_event_matcher(inputs.events))
        return events[0]

    def index_one(b: Briefing) -> BriefingIndex:
        return index_briefing(b, matcher_once(), events_once())

    if not inputs.briefings:
        matcher_once()  # still validates the aliases (two actors claiming one alias is an error)

    def make_many(positions: list[int]) -> list[BriefingIndex]:
        todo = [inputs.briefings[i] for i in positions]
        if todo:  # the automaton and event lookup are made before forking, not in each worker
            matcher_once(), events_once()
        return fork_map(index_one, todo)

    parts = [[key, project.actors_key, project.events_key] for key in project.briefing_keys]
    return group(tuple(store.memo_many("index", parts, make_many)))
