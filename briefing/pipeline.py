"""The build, start to end: read -> cross-reference -> plan -> render -> write.

``build`` is the whole pipeline on one screen; each step is a pure function of the step before,
except the first (reads files) and the last (writes the site).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import SourceError, fail
from briefing.index.crossref import Index, cross_reference
from briefing.output import static_files, write_site
from briefing.render.chrome import Settings
from briefing.render.html import render_pages, template_env
from briefing.render.plan import Plan, plan_site
from briefing.sources.content import Inputs, read_project


@dataclass(frozen=True, slots=True)
class Options:
    root: Path
    out: Path
    base_url: str | None = None  # overrides content/site.yaml
    portable: bool = False
    serve: bool = False
    search: bool = True  # run Pagefind over the new site before it replaces the old one


@dataclass(frozen=True, slots=True)
class Result:
    pages: int
    files: int
    warnings: tuple[SourceError, ...]


def settings_for(inputs: Inputs, options: Options) -> Settings:
    base = options.base_url or inputs.site.base_url
    return Settings(base if base.endswith("/") else base + "/", options.portable, options.serve)


def prepare(options: Options) -> tuple[Inputs, Index, Plan]:
    """Everything up to the page plan: the part `check` shares with `build`."""
    inputs = read_project(options.root)
    index = cross_reference(inputs.briefings, inputs.actors, inputs.events)
    plan = plan_site(inputs, index, settings_for(inputs, options))
    return inputs, index, plan


def render(options: Options, plan: Plan) -> dict[str, bytes]:
    env = template_env(options.root / "templates")
    files = render_pages(env, plan.pages)
    files.update((f.path, f.data) for f in plan.files)
    files.update(static_files(options.root / "static"))
    return files


def build(options: Options) -> Result:
    """Build the site into ``options.out``. Raises SourceError/SourceErrors; the old site then stays."""
    inputs, _index, plan = prepare(options)
    files = render(options, plan)
    write_site(options.out, files, index_search if options.search else None)
    return Result(len(plan.pages), len(files), inputs.warnings)


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
