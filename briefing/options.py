"""What a build is asked to do and what it reports (standard library only: the quick path imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.errors import SourceError


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
    unchanged: bool = False  # nothing to do: the inputs are those of the last build, whose files are intact
