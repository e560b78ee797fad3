"""The project folder (seeds/ and content/) -> Inputs: every model value the later stages need.

This is the only module that decides which files exist; readers below it get text, not paths.
Problems are collected and raised together as SourceErrors so an editor sees all of them at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from briefing.errors import SourceError, SourceErrors, fail, warn
from briefing.model import Actor, Author, Briefing, BriefingMeta, Document, Event, FuzzyDate, Page, SiteConfig
from briefing.sources.files import SourceText, read_source
from briefing.sources.markdown import read_markdown, split_front_matter
from briefing.sources.metadata import read_actors, read_briefing_meta, read_events, read_site
from briefing.sources.text import read_text
from briefing.sources.yamldoc import parse_yaml, validate

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEED_SUFFIXES = (".txt", ".md")
# A seed's file name becomes an output file name (its raw copy): no folder separators or control characters.
UNSAFE_NAME = re.compile(r"[\\/\x00-\x1f\x7f]")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything read from disk, validated; ``warnings`` are problems that do not stop a build."""

    site: SiteConfig
    briefings: tuple[Briefing, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    warnings: tuple[SourceError, ...] = ()


DEFAULT_SITE = SiteConfig("Research briefings", "", "http://localhost:8000/")


def read_project(root: Path) -> Inputs:
    """Read ``root/seeds`` and ``root/content``. Raises SourceErrors listing every problem found."""
    errors: list[SourceError] = []
    warnings: list[SourceError] = []
    content = root / "content"
    site = _collect(errors, lambda: _read_site(content / "site.yaml"), DEFAULT_SITE)
    actors = _collect(errors, lambda: _read_actors(content / "actors.yaml"), ())
    actor_ids = frozenset(a.id for a in actors)
    events = _collect(errors, lambda: _read_events(content / "timeline.yaml", actor_ids), ())
    briefings = _read_briefings(root, errors, warnings)
    read_pages = (_collect(errors, lambda f=f: _read_page(f), None) for f in _files(content / "pages", ".md"))
    pages = tuple(p for p in read_pages if p)
    if errors:
        raise SourceErrors(errors)
    return Inputs(site, briefings, actors, events, pages, tuple(warnings))


def _collect(errors: list[SourceError], read: Callable[[], T], fallback: T) -> T:
    try:
        return read()
    except SourceError as exc:
        errors.append(exc)
    except SourceErrors as exc:
        errors.extend(exc.errors)
    return fallback


def _label(path: Path) -> str:
    """How messages name a file: relative to the project root when possible."""
    parts = path.parts
    for anchor in ("content", "seeds", "templates", "static"):
        if anchor in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(anchor) - 1 :])
    return str(path)


def _files(folder: Path, suffix: str) -> list[Path]:
    """The files in ``folder`` named ``*<suffix>`` (as ``Path.glob`` matches them), in name order.

    Listed with ``os.scandir``, whose entries know their type, and sorted by name: for the files of one
    folder that is the order of their paths, which compare part by part at many times the cost.
    """
    try:
        with os.scandir(folder) as listing:
            names = sorted(e.name for e in listing if e.name.endswith(suffix) and e.is_file())
    except OSError:  # no such folder, or not one
        return []
    return [folder / name for name in names]


def seed_paths(seeds: Path) -> list[Path]:
    """The seed files in ``seeds`` in name order (what ``sorted`` gives paths of one folder, sooner)."""
    if not seeds.is_dir():
        return []
    return [p for p in sorted(seeds.iterdir(), key=lambda p: p.name) if p.suffix in SEED_SUFFIXES]


def _source(path: Path) -> SourceText:
    """Read an input file that must stay in its folder: a symlink out of it is an error, not a read."""
    label = _label(path)
    if not _inside(path, path.parent):
        raise fail(label, 1, 1, f"{path.name!r} is a symlink that leads outside {_label(path.parent)}/")
    return read_source(path, label)


def _read_site(path: Path) -> SiteConfig:
    if not path.exists():
        return DEFAULT_SITE
    return read_site(parse_yaml(_source(path)))


def _read_actors(path: Path) -> tuple[Actor, ...]:
    return read_actors(parse_yaml(_source(path))) if path.exists() else ()


def _read_events(path: Path, actor_ids: frozenset[str]) -> tuple[Event, ...]:
    return read_events(parse_yaml(_source(path)), actor_ids) if path.exists() else ()


def _read_briefings(root: Path, errors: list[SourceError], warnings: list[SourceError]) -> tuple[Briefing, ...]:
    seeds = root / "seeds"
    metas: dict[str, BriefingMeta] = {}
    for path in _files(root / "content" / "briefings", ".yaml"):
        meta = _collect(errors, lambda path=path: _read_meta(path, seeds), None)
        if meta is not None:
            metas[meta.source] = meta
    briefings: list[Briefing] = []
    seed_files = seed_paths(seeds)
    for path in seed_files:
        meta = metas.pop(path.name, None)
        briefing = _collect(errors, lambda path=path, meta=meta: _read_briefing(path, meta, warnings), None)
        if briefing is not None:
            briefings.append(briefing)
    slugs: dict[str, str] = {}
    for b in briefings:
        if b.slug in slugs:
            errors.append(fail(b.document.source, 1, 1, f"slug {b.slug!r} is also used by {slugs[b.slug]}"))
        slugs[b.slug] = b.document.source
    return tuple(sorted(briefings, key=_order))


def _order(b: Briefing) -> tuple[str, str]:
    """Newest first on the home page and in feeds; the slug breaks ties so output is stable."""
    published = b.meta.published.iso() if b.meta.published else "0000"
    return (_invert(published), b.slug)


def _invert(iso: str) -> str:
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in iso)


def _read_meta(path: Path, seeds: Path) -> BriefingMeta:
    label = _label(path)
    slug = path.stem
    if not SLUG.match(slug):
        raise fail(label, 1, 1, f"file name {path.name!r} is not a valid slug (lowercase letters, digits, hyphens)")
    doc = parse_yaml(_source(path))
    meta = read_briefing_meta(doc, slug)
    seed = seeds / meta.source
    if not _inside(seed, seeds):
        raise doc.error(("source",), f"source {meta.source!r} leaves the seeds/ folder")
    if not seed.is_file():
        raise doc.error(("source",), f"source {meta.source!r} not found in seeds/")
    return meta


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (after following symlinks) stays inside ``folder``."""
    if path.parent == folder and path.name not in ("", ".", "..") and not path.is_symlink():
        return True  # a plain entry of the folder resolves to one of the folder's: no need to resolve both
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _read_briefing(path: Path, meta: BriefingMeta | None, warnings: list[SourceError]) -> Briefing:
    if UNSAFE_NAME.search(path.name):
        raise fail(_label(path), 1, 1, f"seed file name {path.name!r} has a backslash or a control character")
    source = _source(path)
    if path.suffix == ".md":
        document = read_markdown(source)
    else:
        document = read_text(source, tuple(a.name for a in meta.authors) if meta else ())
    if meta is None:
        meta = _meta_from_document(path, document, source)
        message = f"no content/briefings/{meta.slug}.yaml: using what the text itself says"
        warnings.append(warn(_label(path), 1, message))
    return Briefing(meta, document)


def _meta_from_document(path: Path, document: Document, source: SourceText) -> BriefingMeta:
    """Metadata for a seed without a YAML file: Markdown front matter, else the file name."""
    front = dict(document.front_matter)
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "briefing"
    authors = tuple(
        Author(str(a["name"]), a.get("affiliation"), a.get("bio"))
        for a in front.get("authors", [])  # type: ignore[union-attr]
        if isinstance(a, dict)
    ) or tuple(Author(n) for n in document.byline)
    return BriefingMeta(
        slug=slug,
        source=path.name,
        title=str(front.get("title") or path.stem.replace("-", " ").replace("_", " ").strip().capitalize()),
        title_status="original" if front.get("title") else "editor",
        subtitle=_opt(front.get("subtitle")),
        authors=authors,
        publisher=_opt(front.get("publisher")),
        series=_opt(front.get("series")),
        published=_front_date(source, front.get("published")),
        url=_opt(front.get("url")),
        summary=_opt(front.get("summary")),
    )


def _front_date(source: SourceText, value: object) -> FuzzyDate | None:
    """The front matter's ``published`` date; the schema checked its shape, this checks the day exists."""
    if not value:
        return None
    try:
        return FuzzyDate.parse(str(value))
    except ValueError as exc:
        front, _, _ = split_front_matter(source)
        if front is None:
            raise fail(source.label, 1, 1, f"impossible date {value!r}: {exc}") from None
        raise front.error(("published",), f"impossible date {value!r}: {exc}") from None


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _read_page(path: Path) -> Page:
    label = _label(path)
    if not SLUG.match(path.stem):
        raise fail(label, 1, 1, f"page file name {path.name!r} is not a valid slug")
    source = _source(path)
    front, body, _ = split_front_matter(source)
    if front is None:
        raise fail(label, 1, 1, "a page needs front matter with a title (--- title: … ---)")
    validate(front, "page")
    return Page(path.stem, front.data["title"], body, None, tuple(sorted(front.data.items())))
