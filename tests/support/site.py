"""A project folder -> the site built once with ``build.py`` into a folder, with its pages listed by kind."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PREFIX = "/briefings-site/"
ARTIFACTS = REPO / "test-artifacts"

# One page of each kind is checked more deeply (dark theme, fresh 390 px load).
KINDS = ("home", "briefing", "source", "actors", "actor", "timeline", "event", "compare", "about", "search", "404")
# Where GitHub Pages shows 404.html: any missing path, at any depth.
DEEP_MISSING = "a/b/c/missing/"


@dataclass(frozen=True, slots=True)
class BuiltSite:
    """A built site and the address it is served at (``base_url`` ends with the sub-path and a slash)."""

    root: Path
    base_url: str

    @property
    def pages(self) -> tuple[str, ...]:
        """Every HTML file of the site (paths relative to the root), Pagefind's own files excluded."""
        found = (p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))
        return tuple(sorted(p for p in found if not p.startswith("pagefind/")))

    @property
    def briefing_slugs(self) -> tuple[str, ...]:
        return tuple(p.split("/")[1] for p in self.pages if page_kind(p) == "briefing")

    def url(self, page: str) -> str:
        """The address a reader follows to a file: folders as ``dir/``, as the site links them."""
        return self.base_url + directory_form(page)

    def page_of(self, kind: str) -> str | None:
        """The first page (in path order) of a kind, or None when the build has none."""
        return next((p for p in self.pages if page_kind(p) == kind), None)

    def kind_url(self, kind: str) -> str:
        """Where a reader meets a page of this kind; the 404 page at a deep missing path. Raises LookupError."""
        if kind == "404":
            return self.base_url + DEEP_MISSING
        page = self.page_of(kind)
        if page is None:
            raise LookupError(f"the build has no {kind!r} page (kinds expected: {', '.join(KINDS)})")
        return self.url(page)


def directory_form(page: str) -> str:
    """``actors/turkey/index.html`` -> ``actors/turkey/``; ``index.html`` -> ``""``; other files unchanged."""
    if page == "index.html":
        return ""
    return page[: -len("index.html")] if page.endswith("/index.html") else page


def page_kind(page: str) -> str:
    """The kind of page at an output path (the URL scheme of DESIGN.md); ``page`` for extra Markdown pages."""
    match page.split("/"):
        case ["index.html"]:
            return "home"
        case ["404.html"]:
            return "404"
        case ["briefings", _, "index.html"]:
            return "briefing"
        case ["briefings", _, "source", "index.html"]:
            return "source"
        case ["actors" | "timeline" as section, "index.html"]:
            return section
        case ["actors", _, "index.html"]:
            return "actor"
        case ["timeline", _, "index.html"]:
            return "event"
        case [name, "index.html"]:
            return name if name in ("compare", "about", "search") else "page"
        case _:
            return "other"


def build_site(out: Path, base_url: str) -> None:
    """Run the README's build command (with search) into ``out``. Raises RuntimeError with the build's output."""
    command = [sys.executable, "build.py", "build", "--out", str(out), "--base-url", base_url]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}{done.stdout}")
    if not (out / "pagefind" / "pagefind.js").is_file():
        raise RuntimeError(
            "the build wrote no Pagefind index (pagefind/pagefind.js): install the test extra, "
            "`pip install -e '.[test]'`, which brings pagefind[bin]"
        )
