"""``build.py serve`` on the two-seed site: start-up, and edit -> reload signal -> new page, without a browser.

Run from the project root: ``python bench/reload.py --repeat 10``. Not a test.

A copy of the repo's project (``seeds/ content/ templates/ static/``) is served by ``build.py serve
--no-search -v`` in a new process (with bytecode caching on, as Python's default). Measured:

- ``start``: process start until the server prints its address (the first, cold build included);
- per edit, one sentence changed in a seed while a ``/__reload?since=N`` long poll waits, as the
  page's script does:
  - ``signal``: the write until the long poll answers with the new epoch (what makes the page reload),
  - ``build``: the rebuild's own time as serve prints it (``built: … s``), so ``signal - build`` is the
    watcher's batching plus the hand-over to the request thread,
  - ``page``: fetching the edited briefing's page after the signal (it must hold the new sentence).

With ``--browser``, the same edits are watched in headless Chromium (Playwright) with the edited
briefing open, as a writer previewing it does; per edit:

- ``painted``: the write until the reloaded page's first contentful paint (Paint Timing, on the
  page's own clock), the issue's "edit-to-reload";
- ``build`` as above.

``tests/browser/test_live_reload.py`` checks the same loop once (``pytest -s`` prints its time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = "valiyev-russian-peacekeepers-in-karabakh"


def fetch(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def serve_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # Python's default: cached bytecode
    return env


def measure(code: Path, repeat: int, work: Path) -> dict[str, list[float]]:
    root = work / "project"
    for folder in ("seeds", "content", "templates", "static"):  # the checkout's own, which its code can build
        shutil.copytree((code if (code / folder).is_dir() else REPO) / folder, root / folder)
    log = work / "serve.log"
    command = [sys.executable, str(code / "build.py"), "--root", str(root), "serve", "--port", "0", "--no-search", "-v"]
    times: dict[str, list[float]] = {"start": [], "signal": [], "build": [], "page": []}
    started = time.perf_counter()
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, text=True, env=serve_env())
    try:
        found = None
        while found is None and process.poll() is None and time.perf_counter() - started < 60:
            found = re.search(r"serving (http://\S+)", log.read_text())
            time.sleep(0.002)
        if found is None:
            raise SystemExit(f"serve did not start:\n{log.read_text()}")
        times["start"].append(time.perf_counter() - started)
        url = found.group(1)
        seed = root / "seeds" / f"{SEED}.txt"
        original = seed.read_text("utf-8")
        page = f"{url}briefings/{SEED}/"
        base = url.split("/", 3)[:3]
        reload_url = "/".join(base) + "/__reload"
        for k in range(repeat):
            time.sleep(0.3)  # let the last build's trash and sweep settle, as between two saves
            epoch = int(fetch(reload_url))
            answer: list[str] = []
            waiting = threading.Thread(target=lambda got=answer, url=f"{reload_url}?since={epoch}": got.append(
                fetch(url)))
            waiting.start()
            time.sleep(0.05)  # the long poll is parked in the server
            marker = f"Benchmark revision {k}"
            builds_before = log.read_text().count("built:")
            t0 = time.perf_counter()
            seed.write_text(original.replace("Russian peacekeepers", f"{marker} peacekeepers", 1), "utf-8")
            waiting.join()
            t1 = time.perf_counter()
            try:
                html = fetch(page)
            except urllib.error.HTTPError as exc:
                raise SystemExit(f"round {k}: {page} answered {exc.code}; serve's output:\n{log.read_text()}") from None
            t2 = time.perf_counter()
            if marker not in html or int(answer[0]) <= epoch:
                raise SystemExit(f"round {k}: the page does not show the edit (epoch {answer})")
            times["signal"].append(t1 - t0)
            times["page"].append(t2 - t1)
            deadline = time.perf_counter() + 5
            while log.read_text().count("built:") == builds_before and time.perf_counter() < deadline:
                time.sleep(0.005)
            times["build"].append(float(re.findall(r"built: .*?, ([\d.]+) s", log.read_text())[-1]))
    finally:
        process.terminate()
        process.wait(timeout=10)
    return times


FIRST_PAINT = """() => performance.timeOrigin + (performance.getEntriesByName('first-contentful-paint')[0]
  || performance.getEntriesByType('navigation')[0]).startTime"""

RESPONSE_END = "() => performance.timeOrigin + performance.getEntriesByType('navigation')[0].responseEnd"


def measure_in_browser(code: Path, repeat: int, work: Path) -> dict[str, list[float]]:
    """Edit -> reloaded page painted, in Chromium, ``repeat`` times (the first edit included)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO / "tests"))
    from support.browser import CHROMIUM_ARGS, chromium_executable

    root = work / "project"
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree((code if (code / folder).is_dir() else REPO) / folder, root / folder)
    log = work / "serve.log"
    command = [sys.executable, str(code / "build.py"), "--root", str(root), "serve", "--port", "0", "--no-search", "-v"]
    times: dict[str, list[float]] = {"painted": [], "build": [], "navigation": [], "response": []}
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, text=True, env=serve_env())
    try:
        found = None
        deadline = time.perf_counter() + 60
        while found is None and process.poll() is None and time.perf_counter() < deadline:
            found = re.search(r"serving (http://\S+)", log.read_text())
            time.sleep(0.01)
        if found is None:
            raise SystemExit(f"serve did not start:\n{log.read_text()}")
        seed = root / "seeds" / f"{SEED}.txt"
        original = seed.read_text("utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
            page = browser.new_page()
            with page.expect_request(lambda request: "/__reload?since=" in request.url):
                page.goto(f"{found.group(1)}briefings/{SEED}/")
            for k in range(repeat):
                time.sleep(0.5)  # between two saves: the last build's clean-up done, the page idle
                marker = f"Benchmark revision {k}"
                builds_before = log.read_text().count("built:")
                with page.expect_request(lambda request: "/__reload?since=" in request.url, timeout=10000):
                    saved = time.time()
                    seed.write_text(original.replace("Russian peacekeepers", f"{marker} peacekeepers", 1), "utf-8")
                    page.get_by_text(marker).first.wait_for(timeout=10000)
                times["painted"].append(page.evaluate(FIRST_PAINT) / 1000 - saved)
                times["navigation"].append(page.evaluate("() => performance.timeOrigin") / 1000 - saved)
                times["response"].append(page.evaluate(RESPONSE_END) / 1000 - saved)
                deadline = time.perf_counter() + 5
                while log.read_text().count("built:") == builds_before and time.perf_counter() < deadline:
                    time.sleep(0.005)
                times["build"].append(float(re.findall(r"built: .*?, ([\d.]+) s", log.read_text())[-1]))
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="edits to time (the median is reported)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose build.py serves")
    parser.add_argument("--log", action="store_true", help="print serve's output at the end")
    parser.add_argument("--browser", action="store_true", help="time edit -> reloaded page painted in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        how = measure_in_browser if args.browser else measure
        times = how(args.code.resolve(), args.repeat, Path(tmp))
        if args.log:
            print((Path(tmp) / "serve.log").read_text())
    for name, values in times.items():
        spread = f" (min {min(values):.3f}, max {max(values):.3f}, n = {len(values)})" if len(values) > 1 else ""
        print(f"{name:7} median {statistics.median(values):.3f} s{spread}")
    if args.browser:
        print(f"{'each':7} " + " ".join(f"{v:.3f}" for v in times["painted"]) + " (painted, in order)")
        return
    gap = [s - b for s, b in zip(times["signal"], times["build"], strict=True)]
    print(f"{'watch':7} median {statistics.median(gap):.3f} s (signal - build: batching and hand-over)")


if __name__ == "__main__":
    main()
