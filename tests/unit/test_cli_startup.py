"""What ``build.py`` loads before it builds: a build with nothing to do imports nothing heavy; one with work
compiles the templates in a second process meanwhile, and builds the same site as without it."""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from briefing.cli import main, quiet_collector

ROOT = Path(__file__).resolve().parents[2]


def imported(*args: str, cwd: Path) -> set[str]:
    """The modules a ``python -X importtime …`` run imports (its stderr lists them)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=True)
    return set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", done.stderr, re.MULTILINE))


def test_a_build_with_nothing_to_do_imports_neither_the_pipeline_nor_package_metadata(tmp_path: Path) -> None:
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    build = [str(ROOT / "build.py"), "--root", str(tmp_path), "-q", "build", "--no-search"]
    first = imported(*build, cwd=tmp_path)
    assert "briefing.pipeline" in first  # the first build does the work
    again = imported(*build, cwd=tmp_path) - imported("-c", "pass", cwd=tmp_path)  # less what start-up loads
    assert "briefing.fingerprint" in again
    heavy = {"briefing.pipeline", "jinja2", "yaml", "markdown_it", "importlib.metadata", "importlib.resources"}
    assert not again & heavy


def test_the_heavy_imports_run_without_the_collector_and_are_then_set_aside_once() -> None:
    assert gc.isenabled()
    gc.unfreeze()  # as in a new process (an earlier test may have built in this one)
    try:
        with quiet_collector():
            assert not gc.isenabled()
            made = [[] for _ in range(1000)]  # lists are tracked by the collector
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(made)
        frozen = gc.get_freeze_count()
        with quiet_collector():
            more = [[] for _ in range(1000)]
        # The second time nothing more is set aside. (Frozen objects can still be freed by reference
        # counting in between, so the count may fall, as it did once in CI; it must not grow.)
        assert gc.get_freeze_count() <= frozen and more
        gc.disable()
        with quiet_collector():
            pass
        assert not gc.isenabled()  # a collector switched off before stays off
    finally:
        gc.enable()
        gc.unfreeze()  # back to the test process's usual state


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_cold_build_compiles_the_templates_ahead_and_makes_the_same_site(tmp_path: Path) -> None:
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert main(["--root", str(tmp_path), "-q", "build", "--no-search"]) == 0
    compiled = tmp_path / ".cache" / "templates"
    assert len(list(compiled.glob("ready-*"))) == 1  # the forked compiler finished
    assert len(list(compiled.glob("__jinja2_*.cache"))) == len(list((tmp_path / "templates").iterdir()))
    plain = tmp_path / "plain"
    assert main(["--root", str(tmp_path), "-q", "build", "--no-search", "--no-cache", "--out", str(plain)]) == 0
    assert files_of(tmp_path / "_site") == files_of(plain)


def test_the_command_ends_without_freeing_yet_prints_everything_and_keeps_its_status(tmp_path: Path) -> None:
    """``build.py`` leaves through ``os._exit`` (``cli.run``): its output must still be flushed into a pipe."""
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # pipes then buffer
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(tmp_path), "build", "--no-search", "-v"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    pages = len(list((tmp_path / "_site").rglob("*.html")))
    assert re.fullmatch(rf"wrote {pages} pages into \S+: \d+ warnings?, [\d.]+ s\n", done.stdout)
    assert "  write: " in done.stderr  # the steps (-v), printed after the build
    (tmp_path / "content" / "actors.yaml").write_text("- id: [unclosed\n", "utf-8")
    broken = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert broken.returncode == 2
    assert re.search(r"actors\.yaml:\d+:\d+: error: ", broken.stderr)
    assert broken.stdout == ""


def test_the_build_loads_markdown_it_and_pygments_only_when_it_parses_markdown_or_renders_a_briefing() -> None:
    """Neither library comes with the build's modules (each is ~25 ms of a rebuild's start): after an
    edit, the edited briefing is usually made by a forked child and the editorial pages are kept, so
    the build process itself needs neither."""
    script = (
        "import sys\n"
        "import briefing.pipeline, briefing.per_briefing, briefing.cache, briefing.render.plan\n"
        "def loaded(): return ' '.join(m for m in ('markdown_it', 'pygments') if m in sys.modules) or '-'\n"
        "print(loaded())\n"
        "from briefing.sources.markdown import markdown_parser\n"
        "markdown_parser()\n"
        "print(loaded())\n"
        "from briefing.render.briefing_view import _bibtex_html\n"
        "assert 'highlight' in _bibtex_html('@misc{key, title = {T}}')\n"
        "print(loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.splitlines() == ["-", "markdown_it", "markdown_it pygments"]
