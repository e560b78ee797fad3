"""The code version's library versions: read from the installed metadata folders, as importlib.metadata reads them."""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from pathlib import Path

from briefing.fingerprint import LIBRARIES, code_version, library_versions


def _metadata(folder: Path, name: str, version: str, kind: str = "dist-info") -> None:
    info = folder / f"{name}-{version}.{kind}"
    info.mkdir(parents=True)
    headers = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nVersion: not-a-header\n"
    (info / ("METADATA" if kind == "dist-info" else "PKG-INFO")).write_text(headers, "utf-8")


def test_the_installed_libraries_have_the_versions_importlib_metadata_reports() -> None:
    names = (*LIBRARIES, "watchfiles", "MarkupSafe", "no-such-distribution-here")
    expected = {}
    for name in names:
        try:
            expected[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            expected[name] = "-"
    assert library_versions(names) == expected
    assert expected["no-such-distribution-here"] == "-"


def test_names_are_compared_normalised_and_the_first_entry_on_the_path_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _metadata(first, "markdown_it_py", "4.1.0")
    _metadata(second, "markdown_it_py", "3.0.0")
    _metadata(second, "PyYAML", "6.0.1", kind="egg-info")
    (second / "Old.Package-0.9-py3.11.egg-info").write_text("Name: Old.Package\nVersion: 0.9\n", "utf-8")
    found = library_versions(("markdown-it-py", "pyyaml", "old-package", "jinja2"), [str(first), str(second)])
    assert found == {"markdown-it-py": "4.1.0", "pyyaml": "6.0.1", "old-package": "0.9", "jinja2": "-"}


def test_a_distribution_inside_an_archive_on_the_path_is_still_found(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("zipped_lib-1.2.3.dist-info/METADATA", "Name: zipped-lib\nVersion: 1.2.3\n")
    sys.path.insert(0, str(archive))  # importlib.metadata searches sys.path
    try:
        assert library_versions(("zipped-lib",), [str(archive), str(tmp_path)]) == {"zipped-lib": "1.2.3"}
    finally:
        sys.path.remove(str(archive))


def test_the_code_version_is_stable_within_a_process() -> None:
    assert code_version() == code_version()
