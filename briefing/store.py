"""Content-hash keys and the ``Store`` of cached values: what every cached stage is built on.

A ``Store`` maps content-hash keys to pickled values, in memory (``serve`` keeps one for its whole
run) and in a folder under ``.cache/`` (so a fresh ``build`` reuses the last one). Every key hashes
the raw bytes a value was made from plus ``code_version()``, so an entry can only be stale if the
hash collides; a changed reader, schema or library version changes every key.

Standard library only, so that a process can open the store before the heavy imports (the template
compiler forked at start-up, ``render/templates.py: compile_ahead``, writes into it).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from briefing.fingerprint import code_version

if TYPE_CHECKING:
    from briefing.options import Options

T = TypeVar("T")


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


def store_folder(root: Path, name: str = "build") -> Path:
    """The folder of the project's store called ``name`` (the build's, or serve's own)."""
    return root / ".cache" / name


def open_store(options: Options, folder: str = "build") -> Store:
    """The cache for ``options``: ``.cache/<folder>/`` under the project, or memory only without cache."""
    return Store(store_folder(options.root, folder) if options.cache else None, code_version())
