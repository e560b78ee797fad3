"""Bad input: one clear `path:line:col: error:` line, exit status 2, and the previous _site untouched.

Each test copies the repo's project (built once), breaks one thing, and runs ``build.py build``.
Expected lines and columns are counted from the text the test itself wrote.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from briefing.cli import EXIT_ERRORS, main

ROOT = Path(__file__).resolve().parents[2]
VALIYEV = "valiyev-russian-peacekeepers-in-karabakh"
HEADLINE = re.compile(r"^\S+:\d+:\d+: error: ")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's project with a good _site built once (copied per test)."""
    root = tmp_path_factory.mktemp("good") / "project"
    for folder in ("seeds", "content", "templates", "static"):
        shutil.copytree(ROOT / folder, root / folder)
    assert main(["--root", str(root), "-q", "build", "--no-search"]) == 0
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def line_of(path: Path, text: str) -> int:
    """1-based number of the first line of ``path`` that contains ``text``."""
    lines = path.read_text("utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def fails_with(project: Path, capsys: pytest.CaptureFixture[str], expected: str) -> None:
    """Build the broken project: exactly the expected error line, status 2, the old _site unchanged."""
    before = tree(project / "_site")
    status = main(["--root", str(project), "build", "--no-search"])
    err = capsys.readouterr().err
    headlines = [line for line in err.splitlines() if HEADLINE.match(line)]
    assert status == EXIT_ERRORS
    assert headlines == [expected]
    assert err.splitlines()[0] == expected
    assert tree(project / "_site") == before


def test_yaml_syntax_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project / "content" / "site.yaml"
    replace(site, "language: en\n", "language: en: gb\n")
    line = line_of(site, "language: en: gb")
    # The second colon (column 13) is where a plain value cannot hold a mapping.
    fails_with(project, capsys,
               f"content/site.yaml:{line}:13: error: YAML syntax error: mapping values are not allowed here")


def test_a_broken_actor_file_is_one_error_not_one_per_event_reference(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actors = project / "content" / "actors.yaml"
    first = line_of(actors, "- id: russia")
    replace(actors, "- id: russia\n", "- id: russia\n  : [\n")
    # The line after "- id: russia" starts with ":" in column 3, where the mapping expected a key.
    fails_with(project, capsys, f"content/actors.yaml:{first + 1}:3: error: YAML syntax error: "
                                "expected <block end>, but found ':'")


def test_duplicate_actor_id(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    actors = project / "content" / "actors.yaml"
    first = line_of(actors, "- id: russia")
    text = actors.read_text("utf-8")
    actors.write_text(text + "\n- id: russia\n  name: Russia again\n  type: state\n  description: A repeat.\n", "utf-8")
    line = text.count("\n") + 2  # after the file's last line and the blank line written before the entry
    fails_with(project, capsys,
               f"content/actors.yaml:{line}:7: error: duplicate actor id 'russia' (first defined on line {first})")


def test_impossible_date(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    timeline = project / "content" / "timeline.yaml"
    replace(timeline, "  date: '1991-12-26'\n", "  date: '2021-02-30'\n")
    line = line_of(timeline, "date: '2021-02-30'")
    fails_with(project, capsys,
               f"content/timeline.yaml:{line}:9: error: impossible date '2021-02-30': day is out of range for month")


def test_unknown_actor_in_an_event(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    timeline = project / "content" / "timeline.yaml"
    replace(timeline, "actors: [soviet-union, armenia, azerbaijan]", "actors: [soviet-union, armenia, atlantis]")
    line = line_of(timeline, "atlantis")
    col = "  actors: [soviet-union, armenia, atlantis]".index("atlantis") + 1
    fails_with(project, capsys,
               f"content/timeline.yaml:{line}:{col}: error: unknown actor id 'atlantis'; add it to content/actors.yaml")


def test_metadata_naming_a_missing_seed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meta = project / "content" / "briefings" / f"{VALIYEV}.yaml"
    replace(meta, f"source: {VALIYEV}.txt", "source: missing.txt")
    line = line_of(meta, "source: missing.txt")
    fails_with(project, capsys,
               f"content/briefings/{VALIYEV}.yaml:{line}:9: error: source 'missing.txt' not found in seeds/")


SEED = f"seeds/{VALIYEV}.txt"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"A title\nsome text\0 and more\n", f"{SEED}:2:10: error: the file is binary (it contains a NUL byte); "
                                             "expected UTF-8 text"),
        (b"A title\nsome \xff text\n", f"{SEED}:2:6: error: byte 0xff is not valid UTF-8; save the file as UTF-8"),
        (b"", f"{SEED}:1:1: error: the file is empty; expected the text of an analysis"),
        (b"  \n\n \t\n", f"{SEED}:1:1: error: the file is empty; expected the text of an analysis"),
    ],
    ids=["binary", "not-utf8", "empty", "blank"],
)
def test_unreadable_seed(project: Path, capsys: pytest.CaptureFixture[str], data: bytes, expected: str) -> None:
    (project / SEED).write_bytes(data)
    fails_with(project, capsys, expected)


def test_unknown_metadata_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meta = project / "content" / "briefings" / f"{VALIYEV}.yaml"
    text = meta.read_text("utf-8")
    meta.write_text(text + "titel: A typo\n", "utf-8")
    line = text.count("\n") + 1
    schema = json.loads((ROOT / "briefing" / "schemas" / "briefing.schema.json").read_text("utf-8"))
    allowed = ", ".join(sorted(schema["properties"]))
    fails_with(project, capsys, f"content/briefings/{VALIYEV}.yaml:{line}:1: error: unknown key 'titel' in the "
                                f"document; expected one of: {allowed}")


def test_unknown_key_inside_an_actor_points_at_the_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    actors = project / "content" / "actors.yaml"
    text = actors.read_text("utf-8")
    actors.write_text(text + "\n- id: zz-test\n  name: Test\n  type: state\n  description: A test.\n  alias: Test\n",
                      "utf-8")
    line = text.count("\n") + 6  # the fifth line of the entry, after the blank line written before it
    entry = text.count("\n- id: ")  # its place in the list, counted from 0
    fails_with(project, capsys, f"content/actors.yaml:{line}:3: error: unknown key 'alias' in [{entry}]; expected one "
                                "of: aliases, description, id, name, names, note, type")  # column 3: "  alias"


def _break_template(project: Path, after: str, insert: str) -> int:
    template = project / "templates" / "404.html"
    replace(template, after, after + insert)
    return line_of(template, insert.strip())


def test_template_syntax_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _break_template(project, "{% block main %}\n", "{% if %}\n")
    fails_with(project, capsys, f"templates/404.html:{line}:1: error: template syntax error: "
                                "Expected an expression, got 'end of statement block'")


def test_template_undefined_variable(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _break_template(project, "{% block main %}\n", "<p>{{ no_such_variable }}</p>\n")
    fails_with(project, capsys,
               f"templates/404.html:{line}:1: error: undefined value in template: 'no_such_variable' is undefined")


def test_errors_in_two_files_are_all_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(project / "content" / "site.yaml", "language: en\n", "language: en: gb\n")
    (project / SEED).write_bytes(b"")
    status = main(["--root", str(project), "build", "--no-search"])
    headlines = [line for line in capsys.readouterr().err.splitlines() if HEADLINE.match(line)]
    assert status == EXIT_ERRORS
    assert [h.split(":")[0] for h in headlines] == ["content/site.yaml", SEED]



# --- what a good build prints ---------------------------------------------------------------------


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.written += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_is_drawn_on_a_terminal_only() -> None:
    from briefing.cli import ProgressLine

    for tty in (True, False):
        stream = FakeTerminal(tty)
        bar = ProgressLine(stream)  # type: ignore[arg-type]
        for done in range(1, 5):
            bar.update(done, 4)
        bar.clear()
        if tty:
            assert "\rrendering [" + "#" * 30 + "] 4/4" in stream.written
            assert stream.written.endswith("\r\033[K")
        else:
            assert stream.written == ""


def test_a_good_build_ends_with_one_summary_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "build", "--no-search"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert re.fullmatch(rf"wrote \d+ pages \(\d+ unchanged\) into {re.escape(str(project / '_site'))}: "
                        r"0 warnings, \d+\.\d\d s", out[0])


def test_quiet_prints_nothing_on_success(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "build", "--no-search", "-q"]) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        ([], ["build"]),
        (["--no-search"], ["build", "--no-search"]),
        (["--root", "x", "-q", "--out", "o"], ["--root", "x", "-q", "build", "--out", "o"]),
        (["--root=x", "check", "--strict"], ["--root=x", "check", "--strict"]),
        (["--help"], ["--help"]),
    ],
)
def test_build_is_the_default_command(given: list[str], parsed: list[str]) -> None:
    from briefing.cli import with_command

    assert with_command(given) == parsed
