"""The GitHub Pages workflow: valid YAML, official actions, and the README's own commands."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def readme_commands() -> list[str]:
    """The command lines of the README's indented code blocks, comments stripped."""
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.startswith("    ") and line.strip()]


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def runs(workflow: dict[Any, Any]) -> list[str]:
    return [line.strip() for s in steps(workflow) if "run" in s for line in s["run"].splitlines()]


def test_runs_on_push_to_main_with_pages_permissions(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"


def test_uses_the_official_pages_actions(workflow: dict[Any, Any]) -> None:
    used = [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]
    assert used == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"


def test_test_step_is_the_readme_test_command_verbatim(workflow: dict[Any, Any]) -> None:
    readme_test = [c for c in readme_commands() if "pytest" in c]
    assert readme_test == ["pip install -e '.[test]' && python -m pytest"]
    assert readme_test[0] in runs(workflow)


def test_build_step_is_the_readme_build_command_with_the_pages_address(workflow: dict[Any, Any]) -> None:
    # The README documents `python build.py build --out DIR --base-url URL`; the workflow keeps --out's default.
    documented = [c for c in readme_commands() if c.startswith("python build.py build") and "--base-url" in c]
    assert documented, "README no longer documents --base-url"
    build = [r for r in runs(workflow) if r.startswith("python build.py build")]
    assert build == ['python build.py build --base-url "${PAGES_BASE_URL%/}/"']
    step = next(s for s in steps(workflow) if "run" in s and s["run"].startswith("python build.py build"))
    assert step["env"]["PAGES_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    order = [s["uses"].split("@")[0] if "uses" in s else s["name"] for s in steps(workflow)]
    assert order.index("Install and test") < order.index(step["name"])  # tests pass before anything is built
    assert order.index("actions/configure-pages") < order.index(step["name"])
    assert order.index(step["name"]) < order.index("actions/upload-pages-artifact")


@pytest.mark.parametrize("given", ["https://user.github.io/repo", "https://user.github.io/repo/", "https://x.org"])
def test_base_url_gets_exactly_one_trailing_slash(workflow: dict[Any, Any], given: str) -> None:
    """Run the build step's argument through bash as the runner would."""
    build = next(r for r in runs(workflow) if r.startswith("python build.py build --base-url "))
    argument = build.removeprefix("python build.py build --base-url ")
    expanded = subprocess.run(
        ["bash", "-c", f"printf %s {argument}"],
        env={"PAGES_BASE_URL": given},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert expanded == given.rstrip("/") + "/"


def test_browser_dependencies_are_found_or_installed(workflow: dict[Any, Any]) -> None:
    script = "\n".join(runs(workflow))
    assert "BRIEFING_CHROMIUM=" in script  # the runner's Chrome, since Ubuntu's chromium is a snap stub
    assert "apt-get install -y -qq chromium" in script
    assert "apt-get install -y -qq default-jre-headless" in script


def test_browser_and_java_tests_may_not_skip_in_the_workflow(workflow: dict[Any, Any]) -> None:
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    env = {k: v for step in steps for k, v in (step.get("env") or {}).items()}
    assert env.get("BRIEFING_REQUIRE_BROWSER") == "1"
    assert env.get("BRIEFING_REQUIRE_JAVA") == "1"
