"""Site-wide pages: work many pages share runs once, in the parent, before the pages are spread over workers."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import jinja2

from briefing.output import Staging
from briefing.parallel import FORK_MIN
from briefing.pipeline import _site_wide
from briefing.render.plan import SitePage, SitePlan
from briefing.store import Store, digest


def test_shared_work_runs_once_before_the_workers_fork(tmp_path: Path) -> None:
    runs: list[int] = []  # pids of the processes that ran the shared work
    given: list[str] = []  # the pages it was told are about to be rendered

    def shared(rendered: Sequence[SitePage]) -> None:
        runs.append(os.getpid())
        given.extend(p.path for p in rendered)

    def make(i: int) -> tuple[None, str]:
        # What a worker process sees: the shared result it inherited, and who it is.
        return None, f"page {i}: shared runs {runs}, made by {'parent' if os.getpid() == parent else 'child'}"

    parent = os.getpid()
    pages = tuple(SitePage(f"p{i}/index.html", "t.html", f"d{i}", lambda i=i: make(i), shared)
                  for i in range(FORK_MIN * 2))
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ page }}"}), autoescape=True)
    staging = Staging(tmp_path / "out", {})
    try:
        rendered = _site_wide(SitePlan(pages, ()), env, {"t.html": "x"}, Store(None, "code"), staging)
        texts = [(staging.folder / p.path).read_text("utf-8") for p in pages]
    finally:
        staging.abandon()
    assert rendered == len(pages)
    assert runs == [parent]  # once, here
    assert given == [p.path for p in pages]  # told which pages share it
    assert all(f"shared runs [{parent}]" in t for t in texts), texts  # every worker inherited it
    if len(os.sched_getaffinity(0)) > 1:
        assert any("made by child" in t for t in texts)  # the pages really were spread over processes


def test_cache_entries_a_worker_uses_count_as_used_by_the_build(tmp_path: Path) -> None:
    """A page part kept in the store by a forked worker (a compare row) must survive the parent's sweep."""
    store = Store(tmp_path / "cache", "code")
    store.start()

    def make(i: int) -> tuple[None, str]:
        return None, str(store.memo("part", [str(i)], lambda: f"part {i} of pid {os.getpid()}"))

    pages = tuple(SitePage(f"p{i}/index.html", "t.html", f"d{i}", lambda i=i: make(i)) for i in range(FORK_MIN * 2))
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ page }}"}), autoescape=True)
    staging = Staging(tmp_path / "out", {})
    try:
        _site_wide(SitePlan(pages, ()), env, {"t.html": "x"}, store, staging)
        made = [(staging.folder / p.path).read_text("utf-8") for p in pages]
    finally:
        staging.abandon()
    wanted = {digest("part", "code", str(i)) for i in range(len(pages))}
    assert wanted <= store.used
    store.started_ns = 2**62  # as if the entries had been written by an earlier build: only ``used`` keeps them
    store.sweep()
    again = [store.get("part", [str(i)]) for i in range(len(pages))]
    assert again == made
    if len(os.sched_getaffinity(0)) > 1:
        assert any(f"pid {os.getpid()}" not in t for t in made)  # some were made, and stored, by a worker
