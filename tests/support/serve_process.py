"""``build.py serve`` in a subprocess on a copy of the repo's project, for tests that edit and watch."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_serve(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(the project copy to edit, the site's URL) while ``serve`` runs; its log is printed at the end."""
    root = tmp_path / "project"
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    log = tmp_path / "serve.log"
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", "0", "--no-search"]
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        found = None
        while found is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"serving (http://\S+)", log.read_text())
            time.sleep(0.05)
        if found is None:
            raise AssertionError(f"serve did not start:\n{log.read_text()}")
        yield root, found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
        print(log.read_text())  # shown by pytest when the test fails
