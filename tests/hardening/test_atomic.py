"""Atomic output: ``build.py build`` killed (SIGKILL) at random moments leaves the output folder exactly the old
site or exactly the new one (same files, same bytes), and the next build after the kills is exactly right."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sitekit import BASE_URL, REPO, make_project, site_files

pytestmark = pytest.mark.slow

COPIES = 20  # copies of a real seed, so a build writes some hundreds of files
TRIALS = 10
SEED_COPY = "valiyev-russian-peacekeepers-in-karabakh.txt"
VERSIONS = {"old": "Old Title Of The Site", "new": "New Title Of The Site"}  # changes every page


def command(root: Path, out: Path) -> list[str]:
    return [sys.executable, "build.py", "--root", str(root), "-q", "build", "--out", str(out),
            "--no-search", "--base-url", BASE_URL]


def set_version(root: Path, version: str) -> None:
    site = root / "content" / "site.yaml"
    lines = [f"title: {VERSIONS[version]}" if line.startswith("title:") else line
             for line in site.read_text("utf-8").splitlines()]
    site.write_text("\n".join(lines) + "\n", "utf-8")


def build(root: Path, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command(root, out), cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def start(root: Path, out: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as errors:
        return subprocess.Popen(command(root, out), cwd=REPO, stdout=subprocess.DEVNULL, stderr=errors)


def start_and_watch(root: Path, out: Path, log: Path) -> tuple[subprocess.Popen[bytes], float | None]:
    """Start a build; return it and when (perf_counter) it began writing its temporary folder (None: it
    finished first). The writer's folder is ``.<out>.new-<pid>`` beside the output folder."""
    process = start(root, out, log)
    scratch = out.with_name(f".{out.name}.new-{process.pid}")
    while process.poll() is None:
        if scratch.exists():
            return process, time.perf_counter()
        time.sleep(0.002)
    return process, None


def writing_time(root: Path, out: Path, log: Path) -> float:
    """How long a build spends from creating its temporary folder to exiting."""
    process, began = start_and_watch(root, out, log)
    process.wait(timeout=300)
    assert process.returncode == 0 and began is not None, log.read_text("utf-8", errors="replace")
    return time.perf_counter() - began


def test_a_killed_build_leaves_the_old_site_or_the_new_one(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", with_repo_content=True)
    for i in range(COPIES):
        (root / "seeds" / f"copy-{i}.txt").write_bytes((REPO / "seeds" / SEED_COPY).read_bytes())
    expected: dict[str, dict[str, bytes]] = {}
    took = []
    for version in VERSIONS:
        set_version(root, version)
        took.append(build(root, tmp_path / f"reference-{version}"))
        expected[version] = site_files(tmp_path / f"reference-{version}")
    assert expected["old"] != expected["new"] and len(expected["old"]) > 300
    assert expected["old"].keys() == expected["new"].keys()

    out = tmp_path / "site"
    set_version(root, "old")
    build(root, out)
    assert site_files(out) == expected["old"]
    set_version(root, "new")
    log = tmp_path / "build-errors.txt"
    writing = writing_time(root, out, log)  # also leaves the new site in place for the first trial
    rng = random.Random(9)
    longest = max(took)
    outcomes: Counter[str] = Counter()
    for trial in range(TRIALS):
        now = "old" if site_files(out) == expected["old"] else "new"
        target = "new" if now == "old" else "old"
        set_version(root, target)
        # Odd trials: a kill anywhere in the build. Even trials: a kill while it writes and swaps folders.
        if trial % 2:
            delay = rng.uniform(0, longest)
            process = start(root, out, log)
        else:
            delay = rng.uniform(0, 1.1 * writing)
            process, _ = start_and_watch(root, out, log)
        time.sleep(delay)
        killed = process.poll() is None
        if killed:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        assert killed or process.returncode == 0, log.read_text("utf-8", errors="replace")
        found = site_files(out)
        assert found in (expected["old"], expected["new"]), f"trial {trial}: a mix after a kill at {delay:.2f} s"
        result = "old" if found == expected["old"] else "new"
        outcomes[f"{'killed' if killed else 'finished'}, {'unchanged' if result == now else 'replaced'}"] += 1
    print(f"builds took {took[0]:.2f}/{took[1]:.2f} s, writing {writing:.2f} s; outcomes: {dict(outcomes)}")
    # After all the kills (stale temporary folders, a missing manifest), a build is exactly right.
    set_version(root, "new")
    build(root, out)
    assert site_files(out) == expected["new"]
    set_version(root, "old")
    build(root, out)
    assert site_files(out) == expected["old"]
