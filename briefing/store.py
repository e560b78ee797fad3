"""Content-hash keys and the ``Store`` of cached values: what every cached stage is built on.

A ``Store`` maps content-hash keys to pickled values, in memory (``serve`` keeps one for its whole
run) and in a folder under ``.cache/`` (so a fresh ``build`` reuses the last one). Every key hashes
the raw bytes a value was made from plus ``code_version()``, so an entry can only be stale if the
hash collides; a changed reader, schema or library version changes every key.

Standard library only, so that a process can open the store before the heavy imports (the template
compiler forked at start-up, ``render/templates.py: compile_ahead``, writes into it).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from briefing.detached import run_detached
from briefing.fingerprint import code_version
from briefing.output import content_digest

if TYPE_CHECKING:
    from briefing.options import Options

T = TypeVar("T")
SETTLED_NS = 2_000_000_000  # a status this old is remembered with its digest (``Store.file_digest``)
Status = tuple[str, int, int, int, int]  # path, size, modification and change times (ns), inode


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
    return content_digest(buffer.getvalue())  # bulk data: SHA-256, as the manifest's


def file_digest(path: Path) -> str:
    """Digest of a file's bytes, or a fixed marker when it does not exist (its absence is an input too)."""
    try:
        return content_digest(path.read_bytes())
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"  # the reader will report it; never cached because reading raises


_MARKERS = ("missing", "unreadable")


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
        self.started_ns = time.time_ns()
        self._statuses: dict[Status, str] | None = None  # file status -> digest, loaded on first use
        self._statuses_used: set[Status] = set()
        self._statuses_added = False

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
        return key in self.memory or (path is not None and os.path.isfile(path))

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

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[str]]:
        """The keys used inside the block: a forked worker hands them back for its parent to ``keep``."""
        outer, self.used = self.used, set()
        try:
            yield self.used
        finally:
            self.used = outer | self.used

    def keep(self, keys: Iterable[str]) -> None:
        """Count keys a worker process used (``recording``) as used by this build, so ``sweep`` keeps them."""
        self.used.update(keys)

    def start(self) -> None:
        """Begin a build: forget which keys the previous one used, and its counts."""
        self.used = set()
        self.hits = self.misses = 0
        self.started_ns = time.time_ns()
        self._statuses_used = set()

    def file_digest(self, path: Path) -> str:
        """``file_digest(path)``, remembered across builds by the file's status (as git's index does).

        Hashing every seed to find the one that changed costs a large rebuild more than its edit. A
        file's status (path, size, modification and change times, inode) changes with every write, and
        the change time cannot be set back; so a digest recorded under a status still holds whenever the
        file shows that status again. Only statuses older than ``SETTLED_NS`` are recorded: a write in the
        same tick of the file system's clock as the recorded one could otherwise leave the status as it was.
        """
        try:
            st = os.stat(path)
        except OSError:
            return file_digest(path)
        status = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        known = self._known_statuses()
        self._statuses_used.add(status)
        found = known.get(status)
        if found is None:
            found = file_digest(path)
            if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > SETTLED_NS and found not in _MARKERS:
                known[status] = found
                self._statuses_added = True
        return found

    def _known_statuses(self) -> dict[Status, str]:
        if self._statuses is None:
            self._statuses = {}
            path = self._statuses_path()
            loaded = _read_pickle(path) if path is not None else None
            if loaded is not None and isinstance(loaded[0], dict):
                self._statuses = loaded[0]
        return self._statuses

    def _statuses_path(self) -> str | None:
        return None if self.folder is None else os.path.join(self.folder, "statuses.pickle")

    def sweep(self, background: bool = False) -> None:
        """Drop every entry the last build did not use (in memory and on disk).

        ``background``: delete the files in a detached process (``run_detached``): a large site's cache
        holds thousands, and nothing waits for their removal. Files written since this build started
        are kept in both cases, so a sweep still running when the next build writes is harmless.
        """
        work = self.sweep_later()
        if work is None:
            return
        if background:
            run_detached(work)
        else:
            work()

    def sweep_later(self) -> Callable[[], None] | None:
        """``sweep`` in memory now; the files' part returned, for the caller to run where it likes (the
        build runs it in the detached process that sets the replaced site aside). None: no folder."""
        for key in [k for k in self.memory if k not in self.used]:
            del self.memory[key]
        self._save_statuses()
        if self.folder is None or not self.folder.is_dir():
            return None
        folder, used, started = self.folder, frozenset(self.used), self.started_ns
        return partial(_sweep_folder, folder, used, started)

    def _save_statuses(self) -> None:
        """Keep the statuses this build saw (what it did not see is for files gone or changed since)."""
        known, path = self._statuses, self._statuses_path()
        if known is None or path is None or not (self._statuses_added or len(known) > len(self._statuses_used)):
            return
        self._statuses = {s: d for s, d in known.items() if s in self._statuses_used}
        self._statuses_added = False
        _write_pickle(path, self._statuses)

    def _path(self, key: str) -> str | None:
        # A string, not a Path: a rebuild looks up thousands of entries, and joining Paths costs more
        # than opening the file.
        return None if self.folder is None else os.path.join(self.folder, key[:2], key + ".pickle")

    def _load(self, key: str) -> tuple[object] | None:
        path = self._path(key)
        return None if path is None else _read_pickle(path)

    def _save(self, key: str, value: object) -> None:
        path = self._path(key)
        if path is not None:
            _write_pickle(path, value)


def _read_pickle(path: str) -> tuple[object] | None:
    """The value pickled at ``path``, or None when there is none or it is damaged (then it is removed)."""
    try:
        with open(path, "rb") as f:
            return (pickle.load(f),)
    except FileNotFoundError:
        return None
    except Exception:  # a cache entry is only an optimisation: any damage to it means "recompute"
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None


def _write_pickle(path: str, value: object) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        pickle.dump(value, f, protocol=5)
    os.replace(tmp, path)  # readers see the whole pickle or none


def _sweep_folder(folder: Path, used: frozenset[str], started_ns: int) -> None:
    for path in folder.glob("*/*.pickle"):
        if path.stem not in used:
            with contextlib.suppress(OSError):
                if path.stat().st_mtime_ns < started_ns:
                    path.unlink()


def store_folder(root: Path, name: str = "build") -> Path:
    """The folder of the project's store called ``name`` (the build's, or serve's own)."""
    return root / ".cache" / name


def open_store(options: Options, folder: str = "build") -> Store:
    """The cache for ``options``: ``.cache/<folder>/`` under the project, or memory only without cache."""
    return Store(store_folder(options.root, folder) if options.cache else None, code_version())
