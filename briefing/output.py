"""Rendered files -> the output folder, atomically: a failed or killed build leaves the old site whole.

The new site is written into a temporary folder beside the target and then exchanged with the old
one in a single ``renameat2(RENAME_EXCHANGE)`` call (Linux); elsewhere two renames are used and an
interrupted swap is repaired at the start of the next build. Files whose bytes did not change are
hard-linked from the previous build instead of written again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import posixpath
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from briefing.errors import fail

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def static_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``static/`` as output path -> bytes; symlinks that leave the folder are refused."""
    out: dict[str, bytes] = {}
    if not folder.is_dir():
        return out
    root = folder.resolve()
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        try:
            path.resolve().relative_to(root)
        except ValueError:
            raise fail(f"static/{path.relative_to(folder).as_posix()}", 1, 1, "symlink leads outside static/") from None
        out["static/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def write_site(out: Path, files: Mapping[str, bytes], finish: Callable[[Path], None] | None = None) -> None:
    """Replace ``out`` with exactly ``files`` (output path -> bytes).

    ``finish`` runs on the complete new folder before the swap (the search indexer writes there).
    """
    out = out.absolute()
    recover(out)
    tmp = out.with_name(f".{out.name}.new-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    old_hashes = _hashes(out)
    try:
        for rel in sorted(files):
            _check_relative(rel)
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = files[rel]
            previous = out / rel
            if old_hashes.get(rel) == _digest(data) and _link(previous, target):
                continue
            target.write_bytes(data)
        if finish is not None:
            finish(tmp)
        _swap(tmp, out)
        write_manifest(out, files)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def recover(out: Path) -> None:
    """Finish a swap that a kill interrupted between its two renames (non-Linux fallback only)."""
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and old.exists():
        old.rename(out)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _check_relative(rel: str) -> None:
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm.startswith("..") or "\\" in rel or norm != rel:
        raise fail("content", 1, 1, f"refusing to write {rel!r}: it is not a plain path inside the output folder")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _hashes(out: Path) -> dict[str, str]:
    """Content hashes of the previous build, from the manifest it left (no re-reading of files)."""
    manifest = out.with_name(f".{out.name}.manifest")
    if not out.is_dir() or not manifest.is_file():
        return {}
    pairs = (line.split("\t", 1) for line in manifest.read_text("utf-8").splitlines() if "\t" in line)
    return {path: digest for digest, path in pairs}


def write_manifest(out: Path, files: Mapping[str, bytes]) -> None:
    manifest = out.absolute().with_name(f".{out.name}.manifest")
    text = "".join(f"{_digest(files[p])}\t{p}\n" for p in sorted(files))
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, manifest)


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # ``new`` now holds the old site
        return
    old = out.with_name(f".{out.name}.old")
    out.rename(old)
    new.rename(out)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux renameat2; False where that is unavailable."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(result == 0)
