"""A build's inputs -> one digest, so that a build with nothing changed stops at once.

Standard library only: ``build.py`` imports this before anything heavy, and when the digest equals
the one the last build recorded beside its output (and that output is intact), nothing else is
imported at all. Everything a build reads is in the digest: the code and library versions, the
options, and the path and bytes of every file under the input folders.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sys
from pathlib import Path

import briefing
from briefing.errors import freeze, thaw
from briefing.options import Options, Result
from briefing.output import previous_build, read_record

INPUT_FOLDERS = ("seeds", "content", "templates", "static")
LIBRARIES = (
    "Jinja2",
    "markdown-it-py",
    "mdit-py-plugins",
    "Pygments",
    "PyYAML",
    "pyahocorasick",
    "jsonschema",
    "pagefind",  # a new indexer version must index again even when no page changed
)


@functools.cache
def code_version() -> str:
    """Digest of the package's own sources and schemas, the Python version and the libraries' versions.

    Computed once per process (the first call's answer is kept): a long-running ``serve`` keeps the
    version of the code it actually loaded, so entries it writes never claim to come from code edited
    after it started, and the quick path, the build and its cache all use the same digest.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    versions = library_versions(LIBRARIES)
    for name in LIBRARIES:
        h.update(f"{name}={versions[name]};".encode())
    package = Path(briefing.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def library_versions(names: tuple[str, ...], path: list[str] | None = None) -> dict[str, str]:
    """Each distribution's installed version ("-" when it is not installed), as ``importlib.metadata.version``.

    Read from the ``<name>-<version>.dist-info`` (or ``.egg-info``) folders along ``sys.path``, the first
    one found winning: one directory listing per path entry, where importing ``importlib.metadata``
    (email, zipfile, csv …) would cost more than the rest of a build with nothing to do. Only when the
    path holds an archive (a zip or egg file, which the listing cannot see into) do the names not found
    go to ``importlib.metadata``.
    """
    wanted = {_normalize(n): n for n in names}
    found: dict[str, str] = {}
    archives = False
    for entry in sys.path if path is None else path:
        try:
            children = os.listdir(entry or ".")
        except NotADirectoryError:
            archives = True
            continue
        except OSError:
            continue
        for child in children:
            stem, ext = os.path.splitext(child)
            if ext not in (".dist-info", ".egg-info"):
                continue
            key = _normalize(stem.partition("-")[0])
            if key in wanted and wanted[key] not in found:
                version = _metadata_version(os.path.join(entry or ".", child))
                if version is not None:
                    found[wanted[key]] = version
    missing = [n for n in names if n not in found]
    if missing and archives:
        import importlib.metadata

        for name in missing:
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                found[name] = importlib.metadata.version(name)
    return {n: found.get(n, "-") for n in names}


def _normalize(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503, with underscores)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(info: str) -> str | None:
    """The ``Version:`` header of a .dist-info folder's METADATA, or an .egg-info folder's (or file's) PKG-INFO."""
    if os.path.isdir(info):
        info = os.path.join(info, "METADATA" if info.endswith(".dist-info") else "PKG-INFO")
    try:
        with open(info, encoding="utf-8", errors="replace") as headers:
            for line in headers:
                if not line.strip():
                    break  # the headers end at the first blank line
                if line.startswith("Version:"):
                    return line[len("Version:") :].strip()
    except OSError:
        pass
    return None


def fingerprint(root: Path, code: str, options: str) -> str | None:
    """Digest of ``code``, ``options`` and every input file's path and status, or None.

    A file's status is its size, modification and change times and inode: an edit changes the change
    time (which no tool can set back), so equal digests mean unchanged files without reading them.
    None means "cannot tell cheaply" (a folder is a symlink, a file vanished while listed): the caller
    then builds as usual, and the readers report what is wrong.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{code}\0{options}\0".encode())
    for folder in INPUT_FOLDERS:
        base = os.path.join(root, folder)
        if os.path.islink(base):
            return None
        if not _walk(base, folder, h):
            return None
    return h.hexdigest()


def _walk(path: str, rel: str, h: hashlib._Hash) -> bool:  # type: ignore[name-defined]
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except FileNotFoundError:
        h.update(f"{rel}\0absent\0".encode("utf-8", "surrogateescape"))
        return True
    except OSError:
        return False
    for entry in entries:
        name = f"{rel}/{entry.name}"
        try:
            if entry.is_dir(follow_symlinks=False):
                if not _walk(entry.path, name, h):
                    return False
                continue
            if entry.is_symlink() and os.path.isdir(entry.path):
                return False  # what a linked folder holds may change without any file here changing
            st = entry.stat()
        except OSError:
            return False
        line = f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n"
        h.update(line.encode("utf-8", "surrogateescape"))
    return True


def options_text(options: Options) -> str:
    """The options that change what a build writes, as one string for the fingerprint."""
    o = options
    return repr((str(o.out.absolute()), o.base_url, o.portable, o.serve, o.search, o.keep_search))


def record(fingerprint: str, result: Result) -> str:
    """What the manifest's first line keeps of a finished build, for ``unchanged_build`` to replay."""
    return json.dumps({"fingerprint": fingerprint, "pages": result.pages, "files": result.files,
                       "warnings": freeze(result.warnings), "base_url": result.base_url}, ensure_ascii=True)


def unchanged_build(options: Options, fingerprint: str) -> Result | None:
    """The last build's result when it was made from exactly these inputs and its files are intact.

    Intact: every file its manifest lists still has the size and modification time it was written with
    (the check ``previous_build`` makes before trusting a file).
    """
    found = read_record(options.out)
    if found is None:
        return None
    line, listed = found
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return None
    if len(previous_build(options.out)) != listed:
        return None
    return Result(int(data["pages"]), int(data["files"]), thaw(data["warnings"]), 0, (), str(data["base_url"]),
                  unchanged=True)
