"""The build, start to end: read -> cross-reference -> plan -> render -> write.

``build`` is the whole pipeline on one screen:

1. quick path: when the inputs' fingerprint equals the last build's and its files are intact, stop;
2. read ``content/`` (each file's parse cached by its bytes);
3. per briefing (``per_briefing``, spread over the cores): read its seed, index it, render its own
   pages and files straight into the new site folder; a briefing whose key is unchanged since the last
   build is not touched at all (its files are hard-linked, its summary and index come from the cache);
4. group the per-briefing indexes into the site-wide index;
5. plan the site-wide pages (home, actors, timeline, compare, data files) with keys made of the keys
   of the briefings they show; render only those whose key changed, also spread over the cores;
6. swap the new folder in atomically, with a manifest that the next build's steps 1, 3 and 5 read.

A cold and an incremental build give the same bytes (tests/unit/test_incremental.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import importlib.util
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import jinja2

from briefing.cache import Content, cross_reference_cached, read_content_cached, read_project_cached
from briefing.errors import Frozen, SourceError, SourceErrors, fail, freeze, thaw
from briefing.fingerprint import code_version, fingerprint, options_text, record, unchanged_build
from briefing.index.crossref import Index, group_lazily
from briefing.options import Options, Result
from briefing.output import Built, Staging, static_files, write_file
from briefing.parallel import FORK_MIN, fork_map, fork_start
from briefing.per_briefing import OWN_TEMPLATES, Made, Task, Unit, Worker
from briefing.render.chrome import Settings
from briefing.render.html import compile_templates, render_page, render_pages
from briefing.render.plan import (
    Frame,
    Plan,
    PlannedPage,
    SiteFile,
    SitePage,
    SitePlan,
    _check_paths,
    plan_site,
    plan_site_wide,
)
from briefing.render.templates import compiled_folder, sources_digest, template_digests, template_env, template_sources
from briefing.sources import content
from briefing.sources.content import Inputs
from briefing.store import Store, digest, open_store, value_digest

__all__ = ["SEARCH_FOLDER", "Options", "Result", "build", "open_store", "prepare", "render", "settings_for"]

T = TypeVar("T")
LIVE_RELOAD = "static/live-reload.js"
SEARCH_FOLDER = "pagefind"
SITE_WIDE_FORK_MIN = 4  # site-wide items to make before spreading them over the cores (``parallel.FORK_MIN``: 24)
Progress = Callable[[int, int], None]  # (pages done, pages to render)


def settings_for(site_base_url: str | Inputs, options: Options) -> Settings:
    """The link settings: ``options.base_url`` over the site's own (``Inputs`` accepted for ``check``)."""
    configured = site_base_url if isinstance(site_base_url, str) else site_base_url.site.base_url
    base = options.base_url or configured
    return Settings(base if base.endswith("/") else base + "/", options.portable, options.serve)


# --- check's path: everything in memory ------------------------------------------------------------


def prepare(options: Options, store: Store | None = None) -> tuple[Inputs, Index, Plan]:
    """Every input read and every page planned with its context (what ``check`` inspects)."""
    store = store or Store(None, code_version())
    project = read_project_cached(options.root, store)
    index = cross_reference_cached(project, store)
    plan = plan_site(project.inputs, index, settings_for(project.inputs, options))
    return project.inputs, index, plan


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


# --- the build -------------------------------------------------------------------------------------


def build(
    options: Options,
    store: Store | None = None,
    progress: Progress | None = None,
    inputs_digest: str | None = None,
    templates_ready: Callable[[], None] | None = None,
    keep: list[object] | None = None,
) -> Result:
    """Build the site into ``options.out``. Raises SourceError/SourceErrors; the old site then stays.

    ``inputs_digest``: the inputs' fingerprint when the caller has just computed it (and found the
    last build out of date), so it is not computed twice. ``templates_ready``: waits for the caller's
    ``render.templates.compile_ahead``, called before the templates are first used. ``keep``: a
    process about to end without freeing anything (``cli.run``) passes a list to receive the build's
    large values, so that they are not freed one by one when this returns.
    """
    clock = _Clock()
    code = store.code if store is not None else code_version()
    if inputs_digest is None and options.cache:
        inputs_digest = fingerprint(options.root, code, options_text(options))
        done = None if inputs_digest is None else unchanged_build(options, inputs_digest)
        if done is not None:
            return done
    store = store or open_store(options)
    store.start()
    staging = Staging(options.out, None if options.cache else {}, reuse_spare=options.cache)
    try:
        found = clock.step("read content", lambda: read_content_cached(options.root, store))
        if found.errors:
            read_project_cached(options.root, store)  # raises every error, the seeds' included
        settings = settings_for(found.site.base_url, options)
        frame = Frame(found.site, settings, any(p.slug == "about" for p in found.pages))
        folder = options.root / "templates"
        compiled = compiled_folder(options.root) if options.cache else None
        if templates_ready is not None:
            templates_ready()
        sources = template_sources(folder)
        # One compiled environment per set of template sources: serve reuses it between rebuilds.
        env = store.memo("templates", [sources_digest(sources)], lambda: template_env(folder, compiled), persist=False)
        templates = template_digests(env, sources, store)
        inputs_key = digest(found.actors_key, found.events_key, value_digest(frame))
        units, made = clock.step("briefings", lambda: _briefings(found, frame, env, templates, inputs_key,
                                                                  store, staging))
        by_slug = {u.summary.slug: u for u in units}
        index = group_lazily([u.tally for u in units], lambda slug: by_slug[slug].index())
        inputs = Inputs(found.site, (), found.actors, found.events, found.pages)
        wide = plan_site_wide(inputs, [u.summary for u in units], index, frame, [u.key for u in units], inputs_key,
                              [u.parts for u in units], [u.exports for u in units], [u.card for u in units],
                              store.memo, lambda slug: by_slug[slug].texts())
        static = site_static(options)
        _check_paths([p for u in units for p in u.files] + [p.path for p in wide.pages]
                     + [f.path for f in wide.files] + list(static))
        rendered = clock.step("site pages", lambda: _site_wide(wide, env, templates, store, staging))
        for path, data in static.items():
            staging.put(path, data)
        warnings = tuple(sorted(thaw(w for u in units for w in u.warnings), key=SourceError.sort_key))
        pages = sum(len(u.pages) for u in units) + len(wide.pages)
        if progress is not None:
            progress(made + rendered, made + rendered)
        result = Result(pages, len(staging.built), warnings, made + rendered, (), settings.base_url)
        finish = _finish(options, _same_site(staging))
        line = record(inputs_digest, result) if inputs_digest is not None else ""
        swept: list[bool] = []

        def set_aside(old: Path) -> None:  # one detached process for the old site and the cache's sweep
            swept.append(True)
            staging.set_aside(old, store.sweep_later())

        clock.step("write", lambda: staging.commit(finish, set_aside, line))
    finally:
        staging.abandon()
    if not swept:  # no site was replaced
        store.sweep(background=True)
    if keep is not None:
        keep.extend((store, staging, found, units, index, wide))
    return dataclasses.replace(result, steps=clock.steps())


def _briefings(
    found: Content,
    frame: Frame,
    env: jinja2.Environment,
    templates: dict[str, str],
    inputs_key: str,
    store: Store,
    staging: Staging,
) -> tuple[list[Unit], int]:
    """Every briefing's unit in site order, made (and written) where its key changed; and how many pages were made.

    Raises SourceErrors with every seed's problems at once.
    """
    own = digest(*(templates.get(t, "") for t in OWN_TEMPLATES))
    tasks = [Task(path, meta, _unit_key(store, path, meta_key, inputs_key, own))
             for path, meta, meta_key in found.seeds]
    # The last build's files of every briefing whose key is unchanged are linked into the new site by a
    # child process while this one loads the cached units (each names the files it made).
    keys = {t.key for t in tasks}
    linked = {rel: b.key for rel, b in staging.previous.items() if b.key in keys}
    staging.keep_in_background(linked)  # settled when needed, or when the new site is committed
    worker = Worker(found.actors, found.events, frame, env)

    def work(i: int) -> Made | tuple[Frozen, ...]:
        try:
            made = worker.build(tasks[i], staging.folder)
            store.save("unit", [made.unit.key], made.unit)
            return made
        except SourceError as exc:
            return freeze([exc])
        except SourceErrors as exc:
            return freeze(exc.errors)

    def start(todo: list[int], minimum: int) -> Callable[[], list[Made | tuple[Frozen, ...]]]:
        # A briefing made again (its cached unit was missing or from other code) may make fewer files
        # than the last build did under the same key: those must not stay linked. A briefing made under
        # a new key writes only paths whose old files were not linked, so the links need not be waited for.
        stale = {tasks[i].key for i in todo} & set(linked.values())
        if stale:
            staging.settle()
            staging.drop([rel for rel, key in linked.items() if key in stale])
        if todo:  # made once here, before forking, rather than once in every worker process
            worker.prepare(OWN_TEMPLATES)
        return fork_start(work, todo, minimum)

    # Briefings with no cached unit (after an edit, the edited one) are made by a child process from now
    # on, while this one loads the others' units; then this one takes what is left of them too.
    fresh = [i for i, t in enumerate(tasks) if not store.has("unit", [t.key])]
    finish = start(fresh, 1)
    units: dict[int, Unit] = {}
    again: list[int] = []  # cached, but a file of it is not there to keep (or the entry was damaged)
    skip = set(fresh)
    with loading_long_lived():
        for i, task in enumerate(tasks):
            if i in skip:
                continue
            unit = store.get("unit", [task.key])
            if isinstance(unit, Unit) and all(linked.get(path) == unit.key for path in unit.files):
                units[i] = unit
            else:
                again.append(i)
    results = list(zip(fresh, finish(), strict=True))
    results += zip(again, start(again, FORK_MIN)(), strict=True)
    results.sort(key=lambda r: r[0])  # errors in site order
    errors: list[SourceError] = []
    made = 0
    for i, result in results:
        if isinstance(result, Made):
            store.adopt("unit", [result.unit.key], result.unit)
            staging.add(dict(result.written))
            units[i] = result.unit
            made += len(result.unit.pages)
        else:
            errors.extend(thaw(result))
    ordered = [units[i] for i in sorted(units)]
    errors += _repeated_slugs(ordered, tasks, sorted(units))
    if errors:
        raise SourceErrors(errors)
    return sorted(ordered, key=lambda u: content._order(u.summary)), made  # type: ignore[arg-type]  # duck: meta, slug


def _unit_key(store: Store, path: Path, meta_key: str, inputs_key: str, templates: str) -> str:
    if path.is_symlink():  # where a link points is not in its bytes
        return digest("unit-link", str(path.resolve()), store.file_digest(path), meta_key, inputs_key, templates)
    return digest("unit", path.name, store.file_digest(path), meta_key, inputs_key, templates)


def _repeated_slugs(units: Sequence[Unit], tasks: Sequence[Task], positions: Sequence[int]) -> list[SourceError]:
    seen: dict[str, str] = {}
    errors = []
    for unit, i in zip(units, positions, strict=True):
        label = content._label(tasks[i].path)
        slug = unit.summary.slug
        if slug in seen:
            errors.append(fail(label, 1, 1, f"slug {slug!r} is also used by {seen[slug]}"))
        seen[slug] = label
    return errors


def _site_wide(
    plan: SitePlan, env: jinja2.Environment, templates: dict[str, str], store: Store, staging: Staging
) -> int:
    """Render (or keep) the site-wide pages and files; returns how many pages were rendered."""
    code = store.code
    todo: list[tuple[SitePage | SiteFile, str]] = []
    for item in (*plan.pages, *plan.files):
        if isinstance(item, SitePage):
            key = digest("page", code, item.template, templates.get(item.template, ""), item.depends)
        else:
            key = digest("file", code, item.depends)
        if not staging.keep(item.path, key):
            todo.append((item, key))

    compile_templates(env, sorted({item.template for item, _ in todo if isinstance(item, SitePage)}))
    sharing: dict[Callable[[Sequence[SitePage]], object], list[SitePage]] = {}
    for item, _ in todo:
        if isinstance(item, SitePage) and item.shared is not None:
            sharing.setdefault(item.shared, []).append(item)
    for shared, pages in sharing.items():
        shared(pages)  # before forking: every worker inherits the result

    def work(job: tuple[SitePage | SiteFile, str]) -> tuple[str, Built, tuple[str, ...]]:
        item, key = job
        with store.recording() as used:  # the parts of pages it kept (compare rows), maybe in a worker
            if isinstance(item, SitePage):
                chrome, context = item.make()
                data = render_page(env, PlannedPage(item.path, item.template, chrome, context))
            else:
                data = item.make()
        return item.path, write_file(staging.folder, item.path, data, key), tuple(used)

    # Few items are still worth two processes here: a collection page or export shows every briefing
    # (after a one-briefing edit at N=1,000: ~16 items, 0.8 s in one process).
    weights = [item.weight for item, _ in todo]
    made = fork_map(work, todo, minimum=SITE_WIDE_FORK_MIN, weights=weights)
    staging.add({path: built for path, built, _ in made})
    for _, _, used in made:
        store.keep(used)
    return sum(1 for item, _ in todo if isinstance(item, SitePage))


def _same_site(staging: Staging) -> bool:
    """True when the new folder holds exactly the previous build's files with the same bytes."""
    before, now = staging.previous, staging.built
    return set(before) == set(now) and all(now[p].digest == before[p].digest for p in now)


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


@contextlib.contextmanager
def loading_long_lived() -> Iterator[None]:
    """For loading many objects that all stay alive until the build ends (the cached units).

    The cyclic garbage collector runs every 700 allocations, and a full collection walks every object
    loaded so far: no collections inside. Afterwards the loaded objects are set aside (``gc.freeze``),
    or the collections the rest of the build triggers would walk them all again, each time (about 0.13 s
    of a one-briefing rebuild at N=1000). Set aside, they are still freed by reference counting when
    dropped; a collection first, so that no garbage of earlier work is set aside with them (serve and
    the tests build many times in one process).
    """
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


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
    """Run Pagefind (from the ``pagefind[bin]`` package, or one on PATH) over a finished site folder, if installed."""
    executable = _pagefind()
    if executable is None:
        return
    done = subprocess.run([executable, "--site", str(folder), "--silent"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise fail("pagefind", 1, 1, f"search indexing failed: {(done.stderr or done.stdout).strip()[:500]}")


def _pagefind() -> str | None:
    """The Pagefind executable: the wheel's own binary, run directly (``python -m pagefind`` would start a
    second interpreter only to exec it), else one on PATH."""
    if _has_module("pagefind_bin"):
        import pagefind_bin

        try:
            return str(pagefind_bin.get_executable())
        except FileNotFoundError:
            pass
    return shutil.which("pagefind")


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None
