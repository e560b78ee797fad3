"""Seeds and content files -> a throwaway project (with the repo's templates and static files) and its built site."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefing.pipeline import Options, build

REPO = Path(__file__).resolve().parents[2]
BASE_URL = "http://127.0.0.1/hardening/"

# Runs one build in a fresh interpreter and reports its wall time and peak resident memory (its own only).
MEASURED_BUILD = """
import json, resource, sys, time
from briefing.cli import main
started = time.perf_counter()
code = main(["--root", sys.argv[1], "-q", "build", "--out", sys.argv[2], "--no-search", "--base-url", sys.argv[3]])
print(json.dumps({"code": code, "seconds": time.perf_counter() - started,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@dataclass(frozen=True, slots=True)
class Measured:
    seconds: float
    peak_rss_mb: float


def make_project(
    root: Path,
    seeds: dict[str, str | bytes] | None = None,
    content: dict[str, str] | None = None,
    with_repo_content: bool = False,
    repo_files: tuple[str, ...] = (),
) -> Path:
    """A project folder: the repo's templates/ and static/, then (optionally) its content/ and seeds/ or
    some of its files (``repo_files``, paths relative to the repo), then the given files (paths relative
    to seeds/ and content/)."""
    root.mkdir(parents=True, exist_ok=True)
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    if with_repo_content:
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "seeds", root / "seeds")
    for name in repo_files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, root / name)
    for name, data in (seeds or {}).items():
        _write(root / "seeds" / name, data)
    for name, text in (content or {}).items():
        _write(root / "content" / name, text)
    return root


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, "utf-8")


def to_yaml(data: object) -> str:
    """YAML for content files; PyYAML quotes whatever needs quoting, so any payload survives as written."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def build_site(root: Path, out: Path, search: bool = False, base_url: str = BASE_URL) -> Path:
    """Build in this process (raises SourceError/SourceErrors on bad input)."""
    build(Options(root=root, out=out, base_url=base_url, search=search))
    return out


def measured_build(root: Path, out: Path, timeout: float = 600) -> Measured:
    """Build in a child interpreter; raises AssertionError with the build's output when it fails."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURED_BUILD, str(root), str(out), BASE_URL],
        cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"build failed ({done.returncode}):\n{done.stderr[-3000:]}"
    report = json.loads(lines[-1])
    assert report["code"] == 0, f"build exited {report['code']}:\n{done.stderr[-3000:]}"
    return Measured(report["seconds"], report["peak_rss_mb"])


def site_files(out: Path) -> dict[str, bytes]:
    """Every file of a built site: path relative to the site folder -> bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def html_pages(out: Path) -> list[str]:
    """Every HTML page of a built site (Pagefind's own files excluded), in path order."""
    found = (p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    return sorted(p for p in found if not p.startswith("pagefind/"))


def briefing_json(out: Path, slug: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "data" / "briefings" / f"{slug}.json").read_text("utf-8"))
    return data
