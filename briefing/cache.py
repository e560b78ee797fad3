"""Input bytes + code version -> cached stage results (parsed seeds, metadata, per-briefing indexes).

A ``Store`` maps content-hash keys to pickled values, in memory (``serve`` keeps one for its whole
run) and in a folder under ``.cache/`` (so a fresh ``build`` reuses the last one). Every key hashes
the raw bytes a value was made from plus ``code_version()``, so an entry can only be stale if the
hash collides; a changed reader, schema or library version changes every key. A value is never
trusted for more than it was made from: the reading stage below follows ``read_project`` step by
step and only memoises the pure parts (a file's bytes -> its model values).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import jinja2
import jinja2.meta

from briefing.errors import Frozen, SourceError, SourceErrors, fail, freeze, thaw
from briefing.index.actors import ActorMatcher, build_matcher
from briefing.index.crossref import BriefingIndex, Index, group, index_briefing
from briefing.index.timeline import EventMatcher, build_event_matcher
from briefing.model import Actor, Briefing, BriefingMeta, Event, Page, SiteConfig
from briefing.parallel import FORK_MIN, fork_map
from briefing.sources import content

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")


def digest(*parts: bytes | str) -> str:
    """A 32-hex-digit key for the given parts (length-prefixed, so parts cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)  # not concatenated first: a text is not copied to be hashed
    return h.hexdigest()


def value_digest(value: object) -> str:
    """A stable digest of a value made of frozen dataclasses, tuples, dicts, strings and numbers.

    Pickled in "fast" mode (no memo), so the bytes depend only on the values and not on which equal
    objects happen to be shared: a context built from cached data digests like one built afresh.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # values here are trees (no cycles); see the docstring for why no memo
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()


def file_digest(path: Path) -> str:
    """Digest of a file's bytes, or a fixed marker when it does not exist (its absence is an input too)."""
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"  # the reader will report it; never cached because reading raises


class Store:
    """Content-addressed values: an in-memory dict in front of an optional folder of pickles.

    ``used`` collects the keys one build touched, so ``sweep`` can drop what the build no longer needs.
    The store is an explicit argument of the stages that use it, never a module global.
    """

    def __init__(self, folder: Path | None, code: str) -> None:
        self.folder = folder
        self.code = code
        self.memory: dict[str, object] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def memo(self, kind: str, parts: Sequence[bytes | str], make: Callable[[], T], persist: bool = True) -> T:
        """The value stored for ``kind`` + ``parts`` + the code version, else ``make()`` (then stored).

        ``persist=False`` keeps the value in memory only (for values that do not pickle, such as a
        Jinja environment with its compiled templates). Exceptions from ``make`` propagate and nothing
        is stored: errors are always recomputed.
        """
        key = digest(kind, self.code, *parts)
        self.used.add(key)
        if key in self.memory:
            self.hits += 1
            return cast(T, self.memory[key])
        loaded = self._load(key) if persist else None
        if loaded is not None:
            self.hits += 1
            self.memory[key] = loaded[0]
            return cast(T, loaded[0])
        self.misses += 1
        value = make()
        self.memory[key] = value
        if persist:
            self._save(key, value)
        return value

    def memo_many(
        self, kind: str, parts: Sequence[Sequence[bytes | str]], make_many: Callable[[list[int]], list[T]]
    ) -> list[T]:
        """``memo`` for many values at once: ``make_many(positions)`` makes every missing one in one batch.

        The batch may run in other processes (see ``briefing.parallel``); results come back in ``parts`` order.
        """
        keys = [digest(kind, self.code, *p) for p in parts]
        values: dict[int, object] = {}
        for i, key in enumerate(keys):
            self.used.add(key)
            loaded = (self.memory[key],) if key in self.memory else self._load(key)
            if loaded is not None:
                self.hits += 1
                self.memory[key] = values[i] = loaded[0]
        missing = [i for i in range(len(keys)) if i not in values]
        if missing:
            for i, value in zip(missing, make_many(missing), strict=True):
                self.misses += 1
                self.memory[keys[i]] = values[i] = value
                self._save(keys[i], value)
        return [cast(T, values[i]) for i in range(len(keys))]

    def get(self, kind: str, parts: Sequence[bytes | str]) -> object | None:
        """The value ``memo`` would find, or None (the key then counts as used only if ``put`` follows)."""
        key = digest(kind, self.code, *parts)
        loaded = (self.memory[key],) if key in self.memory else self._load(key)
        if loaded is None:
            return None
        self.used.add(key)
        self.hits += 1
        self.memory[key] = loaded[0]
        return loaded[0]

    def has(self, kind: str, parts: Sequence[bytes | str]) -> bool:
        """Whether ``memo`` would find a value (without loading it)."""
        key = digest(kind, self.code, *parts)
        path = self._path(key)
        return key in self.memory or (path is not None and path.is_file())

    def put(self, kind: str, parts: Sequence[bytes | str], value: object) -> None:
        """Store a value made elsewhere (a worker process) as ``memo`` would have."""
        self.adopt(kind, parts, value)
        self.save(kind, parts, value)

    def save(self, kind: str, parts: Sequence[bytes | str], value: object) -> None:
        """Write a value to the folder only: for a worker process, whose memory and ``used`` are its own.

        The parent then calls ``adopt`` with the same value, so the pickling and writing happen on every
        core instead of after the workers, in the parent alone.
        """
        self._save(digest(kind, self.code, *parts), value)

    def adopt(self, kind: str, parts: Sequence[bytes | str], value: object) -> None:
        """``put`` for a value a worker has already ``save``d."""
        key = digest(kind, self.code, *parts)
        self.used.add(key)
        self.misses += 1
        self.memory[key] = value

    def start(self) -> None:
        """Begin a build: forget which keys the previous one used, and its counts."""
        self.used = set()
        self.hits = self.misses = 0

    def sweep(self) -> None:
        """Drop every entry the last build did not use (in memory and on disk)."""
        for key in [k for k in self.memory if k not in self.used]:
            del self.memory[key]
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.pickle"

    def _load(self, key: str) -> tuple[object] | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as f:
                return (pickle.load(f),)
        except Exception:  # a cache entry is only an optimisation: any damage to it means "recompute"
            path.unlink(missing_ok=True)
            return None

    def _save(self, key: str, value: object) -> None:
        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=5)
        os.replace(tmp, path)  # readers see the whole pickle or none


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
        lambda: store.memo("site", [file_digest(site_path)], lambda: content._read_site(site_path)),
        content.DEFAULT_SITE,
    )
    actors_key = file_digest(actors_path)
    before = len(errors)
    actors: tuple[Actor, ...] = content._collect(
        errors, lambda: store.memo("actors", [actors_key], lambda: content._read_actors(actors_path)), ()
    )
    # When the actor file is broken its ids are unknown: checking events against none would report
    # every reference as unknown and bury the one real error.
    actor_ids = frozenset(a.id for a in actors) if len(errors) == before else None
    checked = "unchecked" if actor_ids is None else "checked"
    events_key = digest(file_digest(events_path), checked, *sorted(actor_ids or ()))
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
    """Every seed file in name order with its metadata file's values and key ("none" without one)."""
    seeds = root / "seeds"
    metas: dict[str, tuple[BriefingMeta, str]] = {}
    found = content._files(root / "content" / "briefings", ".yaml")
    files = [(path, digest(path.name, file_digest(path))) for path in found]
    _read_metas_ahead(store, files, seeds)
    for path, meta_key in files:
        meta = content._collect(errors, partial(_read_meta, store, path, seeds, meta_key), None)
        if meta is not None:
            metas[meta.source] = (meta, meta_key)
    seed_files = (
        [p for p in sorted(seeds.iterdir()) if p.suffix in content.SEED_SUFFIXES] if seeds.is_dir() else []
    )
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
        (digest(path.name, file_digest(path), meta_key), (path, meta))
        for path, meta, meta_key in seeds
        if not path.is_symlink()
    ]
    _fill_ahead(store, "briefing", jobs, _read_or_none)


def _read_metas_ahead(store: Store, files: list[tuple[Path, str]], seeds: Path) -> None:
    """``_read_ahead`` for metadata files."""
    _fill_ahead(store, "meta", [(key, path) for path, key in files], partial(_meta_or_none, seeds=seeds))


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
    return store.memo("page", [path.name, file_digest(path)], lambda: content._read_page(path))


def _read_meta(store: Store, path: Path, seeds: Path, key: str) -> BriefingMeta:
    """A metadata file's values depend on its bytes alone; whether its seed exists is checked every time."""
    meta = store.memo("meta", [key], lambda: content._read_meta(path, seeds))
    seed = seeds / meta.source
    if not (seed.is_file() and content._inside(seed, seeds)):
        return content._read_meta(path, seeds)  # raises the reader's own message for a missing seed
    return meta


def _read_one(
    store: Store, path: Path, meta: BriefingMeta | None, meta_key: str, warnings: list[SourceError]
) -> ReadBriefing:
    if path.is_symlink():  # where a link points is not in its bytes: read it afresh every time
        key = digest("link", str(path.resolve()), file_digest(path), meta_key)
        return ReadBriefing(content._read_briefing(path, meta, warnings), key)
    key = digest(path.name, file_digest(path), meta_key)

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


# --- template keys: a page is kept when the templates it uses are unchanged ----------------------


def template_sources(folder: Path) -> dict[str, bytes]:
    """Every file under ``templates/`` by its name there (none when the folder is missing)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sources_digest(sources: dict[str, bytes]) -> str:
    """One digest of all the template sources (names and bytes)."""
    return digest(*(part for name, data in sources.items() for part in (name, data)))


def template_digests(env: jinja2.Environment, sources: dict[str, bytes], store: Store) -> dict[str, str]:
    """Template name -> digest of its source and every template it extends, includes or imports.

    A template that cannot be parsed, or names another by a runtime expression, depends on all of
    them (rendering will report a syntax error at its line anyway).
    """
    every = sources_digest(sources)
    refs = {
        name: store.memo("template-refs", [name, data], partial(_references, env, data, name))
        for name, data in sources.items()
    }
    out: dict[str, str] = {}
    for name in sources:
        closure = _closure(name, refs)
        out[name] = every if closure is None else digest(*(p for n in closure for p in (n, sources[n])))
    return out


def _references(env: jinja2.Environment, data: bytes, name: str) -> tuple[str, ...] | None:
    try:
        names = tuple(jinja2.meta.find_referenced_templates(env.parse(data.decode("utf-8"), name)))
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return None
    return None if any(n is None for n in names) else cast(tuple[str, ...], names)


def _closure(name: str, refs: dict[str, tuple[str, ...] | None]) -> list[str] | None:
    """``name`` and every template it reaches, sorted; None when one of them is unknown or dynamic."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        found = refs.get(current)
        if found is None:
            return None
        seen.add(current)
        todo.extend(found)
    return sorted(seen)
