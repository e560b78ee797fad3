"""Project size -> rebuild times: cold, no-change and one-seed-edit builds, in fresh processes and in one.

Run from the project root: ``python bench/rebuild.py --sizes 2,1000 --repeat 3``. Not a test.

N = 2 is the repo's own project; larger N is the synthetic corpus of ``bench/corpus.py``. For each size:

- ``cold``: a new process, no ``.cache/`` and no previous site;
- ``no-change`` / ``one-seed edit``: a new process (``build.py build``) after a build of the same tree,
  so the disk cache and the previous site's manifest are what make it fast;
- ``serve no-change`` / ``serve one-seed edit``: one process keeping its Store in memory, as
  ``build.py serve`` does between rebuilds.

Every edited tree is also built cold and compared byte for byte with the incremental result
(``--no-verify`` skips that). Other sessions editing ``briefing/`` change the code version and so
empty the cache mid-run: for stable numbers run a copy of the repository.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.pipeline import Options, build, open_store  # noqa: E402

WORK = REPO / "bench" / "_work" / "rebuild"


def project(n: int) -> Path:
    """A fresh project folder of size ``n`` under bench/_work/rebuild/."""
    root = WORK / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    if n == 2:
        for folder in ("seeds", "content", "templates", "static"):
            shutil.copytree(REPO / folder, root / folder)
        return root
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import write_corpus  # type: ignore[import-not-found]

    write_corpus(n, root, site=True, peers=False)
    return root / "site"


def edit_one_seed(root: Path, round_: int) -> None:
    """Change one word in the middle of the first seed (a paragraph's text, not its structure)."""
    seed = sorted((root / "seeds").iterdir())[0]
    text = seed.read_text("utf-8")
    middle = len(text) // 2
    cut = text.index(" ", middle)
    seed.write_text(f"{text[:cut]} edited{round_}{text[cut:]}", "utf-8")


def in_new_process(root: Path, out: Path) -> float:
    started = time.perf_counter()
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "-q", "build", "--no-search",
               "--out", str(out)]
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(n: int, repeat: int, verify: bool = True) -> dict[str, float]:
    root = project(n)
    out = root.parent / f"{root.name}-out"
    times: dict[str, list[float]] = {k: [] for k in ("cold", "no-change", "one-seed edit")}
    times["cold"].append(in_new_process(root, out))
    note(f"N={n}: cold build {times['cold'][0]:.2f} s")
    for i in range(repeat):
        times["no-change"].append(in_new_process(root, out))
        edit_one_seed(root, i)
        times["one-seed edit"].append(in_new_process(root, out))
    if verify:
        _verify(root, out)
    note(f"N={n}: new-process rebuilds: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
    options = Options(root, out, search=False)
    store = open_store(options)
    build(options, store)  # warm the in-memory store, as serve's first build does
    serve: dict[str, list[float]] = {"serve no-change": [], "serve one-seed edit": []}
    for i in range(repeat):
        serve["serve no-change"].append(timed(lambda: build(options, store)))
        edit_one_seed(root, 100 + i)
        serve["serve one-seed edit"].append(timed(lambda: build(options, store)))
    if verify:
        _verify(root, out)
    return {k: statistics.median(v) for k, v in {**times, **serve}.items()}


def _verify(root: Path, out: Path) -> None:
    cold = root.parent / f"{root.name}-cold"
    if cold.exists():
        shutil.rmtree(cold)
    build(Options(root, cold, search=False, cache=False))
    if tree(cold) != tree(out):
        raise SystemExit(f"incremental build in {out} differs from the cold build in {cold}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-verify", action="store_true", help="skip the cold builds that check the bytes")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = {n: measure(n, args.repeat, not args.no_verify) for n in sizes}
    names = list(next(iter(rows.values())))
    print("| N | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for n, row in rows.items():
        print(f"| {n} | " + " | ".join(f"{row[k]:.2f} s" for k in names) + " |")


if __name__ == "__main__":
    main()
