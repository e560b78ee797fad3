"""The build, start to end: read -> cross-reference -> plan -> render -> write.

``build`` is the whole pipeline on one screen; each step is a pure function of the step before,
except the first (reads files) and the last (writes the site). A ``Store`` memoises the reading and
indexing steps by the bytes they read, and pages whose template and context are unchanged since the
previous build are kept (hard-linked) instead of rendered: a cold and an incremental build give the
same bytes.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from briefing.cache import (
    Project,
    Store,
    code_version,
    cross_reference_cached,
    digest,
    page_key,
    read_project_cached,
    template_digests,
    value_digest,
)
from briefing.errors import SourceError, fail
from briefing.index.crossref import Index
from briefing.model import Briefing
from briefing.output import Built, Kept, Output, content_digest, previous_build, static_files, write_site
from briefing.render.chrome import Settings
from briefing.render.html import render_page, render_pages, template_env
from briefing.render.plan import (
    BriefingMemo,
    BriefingOutputs,
    DataMemo,
    MakeMany,
    Plan,
    PlannedPage,
    context_digest,
    plan_site,
)
from briefing.sources.content import Inputs

T = TypeVar("T")
LIVE_RELOAD = "static/live-reload.js"
SEARCH_FOLDER = "pagefind"
Progress = Callable[[int, int], None]  # (pages done, pages to render)


@dataclass(frozen=True, slots=True)
class Options:
    root: Path
    out: Path
    base_url: str | None = None  # overrides content/site.yaml
    portable: bool = False
    serve: bool = False
    search: bool = True  # run Pagefind over the new site before it replaces the old one
    keep_search: bool = False  # without search: carry the previous build's index over (serve's rebuilds)
    cache: bool = True  # reuse .cache/ entries and unchanged pages of the previous build


@dataclass(frozen=True, slots=True)
class Result:
    pages: int
    files: int
    warnings: tuple[SourceError, ...]
    rendered: int = 0  # pages rendered this time; the others were kept from the previous build
    steps: tuple[tuple[str, float], ...] = ()  # (step, seconds), for --verbose
    base_url: str = ""  # the address the pages were built for (serve maps its path)


def settings_for(inputs: Inputs, options: Options) -> Settings:
    base = options.base_url or inputs.site.base_url
    return Settings(base if base.endswith("/") else base + "/", options.portable, options.serve)


def open_store(options: Options, folder: str = "build") -> Store:
    """The cache for ``options``: ``.cache/<folder>/`` under the project, or memory only without cache."""
    where = options.root / ".cache" / folder if options.cache else None
    return Store(where, code_version())


def prepare(options: Options, store: Store | None = None) -> tuple[Inputs, Index, Plan]:
    """Everything up to the page plan: the part `check` shares with `build`."""
    store = store or Store(None, code_version())
    project = read_project_cached(options.root, store)
    index = cross_reference_cached(project, store)
    settings = settings_for(project.inputs, options)
    memo, memo_data = briefing_memo(project, settings, store), data_memo(project, store)
    plan = plan_site(project.inputs, index, settings, memo, memo_data)
    return project.inputs, index, plan


def data_memo(project: Project, store: Store) -> DataMemo:
    """The site-wide data exports cached by every briefing's key (in site order), the actors and the events."""
    corpus = digest(*project.briefing_keys, project.actors_key, project.events_key)

    def memo(name: str, make: Callable[[], bytes]) -> bytes:
        return store.memo("data-export", [name, corpus], make)

    return memo


def briefing_memo(project: Project, settings: Settings, store: Store) -> BriefingMemo:
    """Each briefing's own outputs cached by what they are made from (see ``plan_site``).

    The key: the briefing's bytes and metadata (its read key), the actor and event files (its index),
    and the site-wide values the page frame shows.
    """
    inputs = project.inputs
    has_about = any(p.slug == "about" for p in inputs.pages)
    frame_key = value_digest((inputs.site, settings, has_about))
    keys = dict(zip((b.slug for b in inputs.briefings), project.briefing_keys, strict=True))

    def memo(briefings: Sequence[Briefing], make_many: MakeMany) -> list[BriefingOutputs]:
        parts = [[keys[b.slug], project.actors_key, project.events_key, frame_key] for b in briefings]
        return store.memo_many("briefing-outputs", parts, make_many)

    return memo


def render(options: Options, plan: Plan) -> dict[str, bytes]:
    """Every output file in memory (no reuse): what `check` inspects."""
    env = template_env(options.root / "templates")
    files = render_pages(env, plan.pages)
    files.update((f.path, f.data) for f in plan.files)
    files.update(site_static(options))
    return files


def site_static(options: Options) -> dict[str, bytes]:
    """``static/`` as published: the live-reload script only in serve mode (no page loads it otherwise)."""
    files = static_files(options.root / "static")
    if not options.serve:
        files.pop(LIVE_RELOAD, None)
    return files


def build(options: Options, store: Store | None = None, progress: Progress | None = None) -> Result:
    """Build the site into ``options.out``. Raises SourceError/SourceErrors; the old site then stays."""
    store = store or open_store(options)
    store.start()
    trash = Trash(options.root / ".cache" / "trash")
    # A one-off build deletes the last replaced site while it works; serve deletes it once the new
    # site is live, so that a rebuild has the machine to itself.
    emptying = None if options.serve else trash.empty()
    try:
        clock = _Clock()
        inputs, _index, plan = clock.step("read, index, plan", lambda: prepare(options, store))
        previous = previous_build(options.out) if options.cache else {}
        files, keys, rendered = clock.step(
            "render", lambda: render_changed(options, plan, store, previous, progress)
        )
        finish = _finish(options, unchanged(files, previous))
        clock.step("write", lambda: write_site(options.out, files, finish, keys, trash.put, previous))
    finally:
        if emptying is not None:
            emptying.join()
    if options.serve:
        trash.empty()  # not waited for: it runs while serve waits for the next change
    store.sweep()
    base_url = settings_for(inputs, options).base_url
    return Result(len(plan.pages), len(files), inputs.warnings, rendered, clock.steps(), base_url)


def _finish(options: Options, same_site: bool) -> Callable[[Path], None] | None:
    """What runs on the new folder before the swap: the search indexer, or carrying its last index over.

    The index is a function of the pages: when every file is what the last build wrote (pages kept
    under unchanged keys, which include the code and library versions), the last index still holds.
    """
    has_index = (options.out / SEARCH_FOLDER).is_dir()
    if options.search and not (same_site and has_index):
        return index_search
    if options.search or options.keep_search:
        return lambda folder: carry_over(options.out, folder, SEARCH_FOLDER)
    return None


def unchanged(files: Mapping[str, Output], previous: Mapping[str, Built]) -> bool:
    """True when every page was kept (same key) and every other file has the previous build's bytes."""
    if set(files) != set(previous):
        return False
    return all(
        isinstance(data, Kept) or (not path.endswith(".html") and content_digest(data) == previous[path].digest)
        for path, data in files.items()
    )


def carry_over(old_site: Path, new_site: Path, folder: str) -> None:
    """Hard-link ``folder`` of the previous site into the new one (for an index not rebuilt each time)."""
    source = old_site / folder
    if source.is_dir() and not (new_site / folder).exists():
        shutil.copytree(source, new_site / folder, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def render_changed(
    options: Options,
    plan: Plan,
    store: Store,
    previous: Mapping[str, Built],
    progress: Progress | None = None,
) -> tuple[dict[str, Output], dict[str, str], int]:
    """Render the pages whose key differs from ``previous`` (the build in ``options.out``); keep the rest.

    Returns (output path -> bytes or Kept, page path -> key, number of pages rendered).
    """
    folder = options.root / "templates"
    digests = template_digests(template_env(folder), folder, store) if folder.is_dir() else {}
    # One environment per set of template sources: a long-running serve compiles each template once.
    env = store.memo("templates", sorted(digests.values()), lambda: template_env(folder), persist=False)
    files: dict[str, Output] = {}
    keys: dict[str, str] = {}
    todo: list[PlannedPage] = []
    for page in plan.pages:
        keys[page.path] = page_key(store, digests.get(page.template, ""), page.template, context_digest(page))
        before = previous.get(page.path)
        if before is not None and before.key == keys[page.path]:
            files[page.path] = Kept(before)
        else:
            todo.append(page)
    for done, page in enumerate(todo, 1):
        files[page.path] = render_page(env, page)
        if progress is not None:
            progress(done, len(todo))
    files.update((f.path, f.data) for f in plan.files)
    files.update(site_static(options))
    return files, keys, len(todo)


class Trash:
    """Replaced site folders, moved aside at once and deleted later in a background thread.

    Deleting a tree of directories is slow on some file systems (ext4 with online discard takes
    milliseconds per directory); moving it is one rename, so the new site is live without waiting.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, path: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            path.rename(self.folder / f"{path.name}-{os.getpid()}-{time.monotonic_ns()}")
        except OSError:  # another file system (an --out elsewhere): delete it now
            shutil.rmtree(path, ignore_errors=True)

    def empty(self) -> threading.Thread:
        """Start deleting what is in the trash now (later arrivals wait for the next call)."""
        present = sorted(self.folder.iterdir()) if self.folder.is_dir() else []
        worker = threading.Thread(target=_remove_all, args=(present,), daemon=True)
        worker.start()
        return worker


def _remove_all(paths: list[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


class _Clock:
    """Times the steps of one build (for --verbose only: nothing timed reaches the output)."""

    def __init__(self) -> None:
        self._steps: list[tuple[str, float]] = []

    def step(self, name: str, run: Callable[[], T]) -> T:
        started = time.perf_counter()
        value = run()
        self._steps.append((name, time.perf_counter() - started))
        return value

    def steps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._steps)


def index_search(folder: Path) -> None:
    """Run Pagefind (from the ``pagefind[bin]`` package) over a finished site folder, if installed."""
    if shutil.which("pagefind") is None and not _has_module("pagefind_bin"):
        return
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise fail("pagefind", 1, 1, f"search indexing failed: {(done.stderr or done.stdout).strip()[:500]}")


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None
