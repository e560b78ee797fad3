"""A corpus folder -> wall and CPU times of a cold, a no-change and a one-edit build, and a cProfile table.

Run from the project root: ``python -m bench.profile --n 100`` (generates ``/tmp/briefing-corpus-100``
with ``bench/corpus.py`` if missing) or ``python -m bench.profile --site DIR`` for any project folder.
Every build is a fresh ``build.py build --no-search`` process, as a user runs it. ``--profile`` adds a
cProfile of the cold build (top functions by cumulative time). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_build(site: Path, out: Path, profile: Path | None = None) -> tuple[float, float]:
    """One build in a new process: (wall seconds, CPU seconds of it and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    prefix = [sys.executable] + (["-m", "cProfile", "-o", str(profile)] if profile else [])
    command = [*prefix, str(REPO / "build.py"), "--root", str(site), "build", "--no-search", "--out", str(out), "-q"]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def edit_one(site: Path) -> None:
    """Add a sentence to the first seed's last line (a change every stage sees)."""
    seed = sorted((site / "seeds").iterdir())[0]
    text = seed.read_text("utf-8")
    seed.write_text(text.rstrip("\n") + " One sentence added for the benchmark.\n", "utf-8")


def fresh_site(args: argparse.Namespace) -> Path:
    """A private copy of the project (the edit must not touch the original), with the repo's templates."""
    if args.site:
        source = Path(args.site)
    else:
        corpus = Path(tempfile.gettempdir()) / f"briefing-corpus-{args.n}"
        if not (corpus / "site").is_dir():
            subprocess.run([sys.executable, "-m", "bench.corpus", "--n", str(args.n), "--out", str(corpus),
                            "--no-peers"], check=True, cwd=REPO)
        source = corpus / "site"
    work = Path(tempfile.mkdtemp(prefix="briefing-profile-"))
    shutil.copytree(source, work / "site", ignore=shutil.ignore_patterns(".cache", "_site"))
    for folder in ("templates", "static"):  # measure this checkout's templates, whatever the corpus copied
        shutil.rmtree(work / "site" / folder, ignore_errors=True)
        shutil.copytree(REPO / folder, work / "site" / folder)
    return work


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=100, help="synthetic corpus size (ignored with --site)")
    p.add_argument("--site", help="a project folder to measure instead of a synthetic corpus")
    p.add_argument("--profile", action="store_true", help="also print a cProfile of the cold build")
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args()
    work = fresh_site(args)
    site, out = work / "site", work / "out"
    prof = work / "cold.prof" if args.profile else None
    rows = [("cold", run_build(site, out, prof)), ("no-change", run_build(site, out))]
    edit_one(site)
    rows.append(("one-edit", run_build(site, out)))
    print(f"project: {args.site or f'N = {args.n}'} (copy in {work})")
    for name, (wall, cpu) in rows:
        print(f"{name:10} wall {wall:7.2f} s   cpu {cpu:7.2f} s")
    if prof is not None:
        pstats.Stats(str(prof)).sort_stats("cumtime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
