"""Rendered files -> the output folder, atomically: a failed or killed build leaves the old site whole.

The new site is written into a temporary folder beside the target and then exchanged with the old
one in a single ``renameat2(RENAME_EXCHANGE)`` call (Linux); elsewhere two renames are used and an
interrupted swap is repaired at the start of the next build. Files whose bytes did not change are
hard-linked from the previous build instead of written again; pages the caller
marks ``Kept`` (their inputs did not change) are linked without being rendered at all.

The site a build replaces is not deleted: it becomes the *spare* (``.<out>.spare``, with a listing of
the files it holds), and the next build starts from it instead of from an empty folder. After a
small change most of the spare's files are already right (they are hard links to the live site's),
so a build rewrites only what changed and deletes what is gone, rather than making every folder and
link of the site again and deleting the old tree: at a thousand briefings that is ~10,000 inodes
made and freed per build, which cost more system time than the change itself.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import posixpath
import shutil
import stat as stat_mode
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from briefing.detached import run_detached
from briefing.errors import fail

RENAME_EXCHANGE = 2
RECORD = "#build "  # the manifest's first line: what the build that wrote it recorded
AT_FDCWD = -100
BACKGROUND_LINKS_MIN = 256  # fewer links than this are made at once: a fork costs more than they do
SPARE_LISTING = ".briefing-spare"  # inside a spare folder: the files it holds (manifest lines)


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


class Built(NamedTuple):
    """One file of a finished build, as its manifest records it.

    ``key`` names what produced the bytes (for a rendered page, a digest of its template and context),
    so the next build can keep the file without rendering it again; ``size`` and ``mtime_ns`` let it
    notice a file someone changed by hand since. A named tuple, not a frozen dataclass: every build
    reads one per file of the site from the manifest and from the spare's listing, and a tuple is made
    in half the time (7,470 of them: 5 ms against 11 ms).
    """

    digest: str
    key: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Kept:
    """An output whose bytes are the previous build's file at the same path (hard-linked, not rewritten)."""

    previous: Built


Output = bytes | Kept


def write_site(
    out: Path,
    files: Mapping[str, Output],
    finish: Callable[[Path], None] | None = None,
    keys: Mapping[str, str] | None = None,
    discard: Callable[[Path], None] = shutil.rmtree,
    previous: Mapping[str, Built] | None = None,
) -> None:
    """Replace ``out`` with exactly ``files`` (output path -> bytes, or Kept from the last build).

    ``finish`` runs on the complete new folder before the swap (the search indexer writes there).
    ``keys`` (output path -> what produced it) go into the manifest for the next build's ``previous_build``.
    ``discard`` receives the replaced site's folder after the swap (removing a tree can be slow; the
    caller may move it aside and delete it later). ``previous`` is ``previous_build(out)`` if the caller
    already has it.
    """
    staging = Staging(out, previous)
    try:
        for rel in sorted(files):
            staging.put(rel, files[rel], (keys or {}).get(rel, ""))
        staging.commit(finish, discard)
    finally:
        staging.abandon()


class Staging:
    """The new site, filled file by file in a folder beside ``out``, then swapped in by ``commit``.

    Worker processes may write into ``folder`` themselves (``write_file``) and hand back what they
    wrote (``add``). Until ``commit``, the old site is untouched; ``abandon`` removes the folder.

    With ``reuse_spare``, the folder is the spare an earlier build set aside (see the module
    docstring) when there is one: its files that the new site wants under the same key or with the
    same bytes stay as they are, the others are replaced or, at ``commit``, removed. A spare file is a
    hard link to the live site's file more often than not, so nothing is ever written through one:
    new bytes go into a new file, or into the spare's file when no other path shares it (``_own_file``),
    and a path is emptied (``_vacate``) before a link goes there.
    """

    def __init__(self, out: Path, previous: Mapping[str, Built] | None = None, reuse_spare: bool = False) -> None:
        self.out = out.absolute()
        recover(self.out)
        _remove_orphans(self.out)
        self.folder = _staging_folder(self.out)
        listed: dict[str, Built] | None = None
        if previous is None:
            self.previous, listed = _read_build(self.out)
        else:
            self.previous = previous
        self.built: dict[str, Built] = {}
        # What the folder already holds (a spare taken over): trusted path -> record.
        self.spare: dict[str, Built] = {}
        taken = _take_spare(self.out, self.folder) if reuse_spare and listed is not None else None
        self._reused = taken is not None
        if taken is None:
            self.folder.mkdir(parents=True)
        else:
            self.spare = self._trusted(taken, listed or {})
        # ``rpartition``, not ``posixpath.dirname``: the paths are plain relative ones, and this runs for
        # every file of the site.
        self._made: set[str] = {""} | {rel.rpartition("/")[0] for rel in self.spare}
        self._pending: Callable[[], None] | None = None  # waits for ``keep_in_background``'s child
        self._committed = False

    def _trusted(self, taken: dict[str, Built], listed: Mapping[str, Built]) -> dict[str, Built]:
        """The spare's files that may be kept as they are; the others are removed now.

        A spare file with the size and time of the live file at its path is that same file (a link):
        trusted when the live file still matches the manifest (``previous``), not when it was changed
        by hand since. A spare file unlike the live one is its own and was checked when set aside.
        """
        for rel, record in list(taken.items()):
            now, was = self.previous.get(rel), listed.get(rel)
            same_file = was is not None and (was.size, was.mtime_ns) == (record.size, record.mtime_ns)
            if same_file and not (now is not None and (now.size, now.mtime_ns) == (record.size, record.mtime_ns)):
                _remove(f"{self.folder}/{rel}")
                del taken[rel]
        return taken

    def put(self, rel: str, data: Output, key: str = "") -> None:
        """Write ``data`` at ``rel`` (hard-linked from the old site when its bytes are the same)."""
        self._folder_for(rel)
        if isinstance(data, Kept):
            digest, key = data.previous.digest, key or data.previous.key
        else:
            digest = content_digest(data)
        held = self.spare.get(rel)
        if held is not None and held.digest == digest:  # already in the folder
            self.built[rel] = Built(digest, key, held.size, held.mtime_ns)
            return
        previous = self.previous.get(rel)
        if isinstance(data, bytes) and not (previous is not None and previous.digest == digest):
            self.spare.pop(rel, None)  # new bytes: a spare's own file there is rewritten in place
            self.built[rel] = _write_bytes(str(self.folder), rel, data, digest, key)
            return
        self._vacate(rel)
        self.built[rel] = _write_one(self.folder / rel, self.out / rel, data, digest, key)

    def keep(self, rel: str, key: str) -> bool:
        """Keep the file at ``rel`` when the last build (or the spare's) made it from ``key``; False otherwise.

        Plain strings and no stat: a link shares the old file's inode, so its size and time are the ones
        the manifest already holds (an unchanged site of thousands of files is linked on every build).
        """
        held = self.spare.get(rel)
        if held is not None and held.key == key:
            self.built[rel] = held
            return True
        before = self.previous.get(rel)
        if before is None or before.key != key:
            return False
        self._folder_for(rel)
        self._vacate(rel)
        target = f"{self.folder}/{rel}"
        try:
            os.link(f"{self.out}/{rel}", target)
        except OSError:
            self.put(rel, Kept(before), key)
            return True
        self.built[rel] = before  # the same file, under the same key
        return True

    def keep_in_background(self, wanted: Mapping[str, str]) -> None:
        """``keep`` for many files at once (output path -> key), done by a forked child while this process
        goes on, until ``settle`` (which ``commit`` and ``abandon`` call first). Settle before anything
        else writes to those paths: a worker's ``write_file`` must never race a link to the same path.
        Other paths may be written meanwhile (a file's folder may or may not exist yet: ``write_file``
        makes it when missing).

        Files whose previous key differs are skipped; links the child could not make are made (or
        copied) by the parent when it settles. Making the thousands of links and folders of an unchanged
        site is system-call bound (a folder costs 0.1-0.2 ms on ext4): here it overlaps the rest of the
        build instead of preceding it. Files the spare already holds under the same key need nothing.
        """
        self.settle()
        todo = []
        for rel, key in wanted.items():
            held = self.spare.get(rel)
            if held is not None and held.key == key:
                self.built[rel] = held
            elif (b := self.previous.get(rel)) is not None and b.key == key:
                todo.append(rel)
        todo.sort()
        for rel in todo:
            _check_relative(rel)
            self.built[rel] = self.previous[rel]  # the same file once linked
            self._vacate(rel)  # before the child links there: it takes an existing file for its own link
        if not todo:
            return
        folders = sorted({posixpath.dirname(rel) for rel in todo} - self._made)
        self._made.update(folders)
        if not hasattr(os, "fork") or len(todo) < BACKGROUND_LINKS_MIN:
            self._link_now(folders, todo)
            return
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child; its effect is tested
            status = 1
            try:
                os.close(reader)
                failed = self._link_now(folders, todo, report=True)
                with os.fdopen(writer, "w", encoding="utf-8") as out:
                    out.write("\n".join(failed))
                status = 0
            finally:
                os._exit(status)
        os.close(writer)

        def wait() -> None:
            with os.fdopen(reader, "r", encoding="utf-8") as back:
                failed = [line for line in back.read().split("\n") if line]
            _, status = os.waitpid(child, 0)
            if status != 0:  # the child died: make every link here that it did not
                failed = [rel for rel in todo if not (self.folder / rel).exists()]
            self._copy_over(failed)

        self._pending = wait

    def settle(self) -> None:
        """Wait for the links ``keep_in_background`` is making (at once if none)."""
        wait, self._pending = self._pending, None
        if wait is not None:
            wait()

    def _link_now(self, folders: list[str], todo: list[str], report: bool = False) -> list[str]:
        """Make ``folders`` and link ``todo`` from the old site; returns what could not be linked."""
        for parent in folders:
            _make_folder(str(self.folder), parent)
        failed = []
        for rel in todo:
            try:
                os.link(f"{self.out}/{rel}", f"{self.folder}/{rel}")
            except FileExistsError:
                pass
            except OSError:
                failed.append(rel)
        if not report:
            self._copy_over(failed)
        return failed

    def _copy_over(self, paths: list[str]) -> None:
        """Keep files ``os.link`` could not link (another file system): linked or copied by ``put``."""
        for rel in paths:
            _make_folder(str(self.folder), posixpath.dirname(rel))  # the child may have died first
            self.put(rel, Kept(self.previous[rel]), self.previous[rel].key)

    def drop(self, paths: Sequence[str]) -> None:
        """Take files out of the new site (linked in advance, then found not to belong)."""
        for rel in paths:
            self.spare.pop(rel, None)
            if self.built.pop(rel, None) is not None:
                (self.folder / rel).unlink(missing_ok=True)

    def _vacate(self, rel: str) -> None:
        """Clear ``rel`` in a spare taken over: new bytes or a link go there, never through the spare's
        file (a link to the live site's), and a folder the old site had there goes."""
        if self._reused:
            self.spare.pop(rel, None)
            _remove(f"{self.folder}/{rel}")

    def _folder_for(self, rel: str) -> None:
        """Check ``rel`` and make its folder in the new site (one mkdir per folder, not per file)."""
        _check_relative(rel)
        parent = posixpath.dirname(rel)
        if parent not in self._made:
            _make_folder(str(self.folder), parent)
            self._made.add(parent)

    def add(self, built: Mapping[str, Built]) -> None:
        """Record files a worker wrote into ``folder`` itself."""
        self.built.update(built)

    def commit(
        self, finish: Callable[[Path], None] | None = None, discard: Callable[[Path], None] = shutil.rmtree,
        record: str = "",
    ) -> None:
        """Run ``finish`` on the new folder, swap it in, then write the manifest (with ``record``).

        ``discard`` receives the replaced site's folder (``set_aside`` keeps it as the next spare).
        """
        self.settle()
        self._clear_leftovers()
        if finish is not None:
            finish(self.folder)
        # No manifest while the folder changes: a kill between the swap and the new manifest must not
        # leave an old manifest describing the new files.
        _manifest_path(self.out).unlink(missing_ok=True)
        old = _swap(self.folder, self.out)
        self._committed = True  # the folder is the new site's now, or the old site's: not ours to remove
        write_manifest(self.out, self.built, record)
        if old is not None:
            if old != self.folder:  # two renames (no exchange): the old site is under the name ``recover`` uses
                old.rename(self.folder)
            discard(self.folder)

    def set_aside(self, old: Path, then: Callable[[], object] | None = None) -> None:
        """``commit``'s ``discard`` that keeps the replaced site as the next build's spare: ``make_spare``
        in a detached process, which holds a lock on the folder so that no build takes it for an
        orphan meanwhile (``_remove_orphans``). The new site is live by now: whatever goes wrong here
        only costs the next build its spare. ``then``: more work for the same process, after it."""
        try:
            held = _lock(old)
        except OSError:
            held = None
        try:
            run_detached(lambda: _spare_or_delete(self.out, old, self.previous), *([then] if then else []))
        finally:
            if held is not None:
                os.close(held)

    def _clear_leftovers(self) -> None:
        """Delete the spare's files this build did not make, and the folders that leaves empty."""
        emptied = set()
        for rel in self.spare.keys() - self.built.keys():
            try:
                os.unlink(f"{self.folder}/{rel}")
            except OSError:  # gone, or a folder (or under a file) this build made in its place
                continue
            emptied.add(posixpath.dirname(rel))
        for parent in sorted(emptied, key=lambda p: -p.count("/")):
            while parent:
                try:
                    os.rmdir(f"{self.folder}/{parent}")
                except OSError:  # not empty (or already gone)
                    break
                parent = posixpath.dirname(parent)

    def abandon(self) -> None:
        """Remove the folder of a build that did not commit (nothing after ``commit``)."""
        try:
            self.settle()  # the child links into the folder: let it finish before removing it
        finally:
            if not self._committed and self.folder.exists():
                shutil.rmtree(self.folder, ignore_errors=True)


def make_spare(out: Path, old: Path, files: Mapping[str, Built]) -> None:
    """Make ``old``, the site folder a build of ``out`` just replaced, the spare the next build starts from.

    ``files``: what that site's manifest said, checked when the build began. Every file in the folder
    that they do not vouch for (changed by hand, added by hand, the search index) and every folder
    left empty is removed, the listing of what remains is written inside, and the folder is renamed
    to the spare's name (an older spare is deleted first).
    """
    kept: dict[str, Built] = {}
    _prune(str(old), "", files, kept)
    (old / SPARE_LISTING).write_text(_manifest_text(kept), "utf-8")
    spare = _spare_path(out)
    gone = out.with_name(f".{out.name}.new-{os.getpid()}")  # removed by a later build if this one dies
    try:
        os.rename(spare, gone)  # one rename: a build taking the spare at this moment gets it whole or not at all
    except OSError:
        pass
    else:
        shutil.rmtree(gone, ignore_errors=True)
    try:
        os.rename(old, spare)
    except OSError:  # a concurrent build set its own aside first
        shutil.rmtree(old, ignore_errors=True)


def _spare_or_delete(out: Path, old: Path, files: Mapping[str, Built]) -> None:
    """``make_spare``, or, when it fails (a full disk, a folder someone locked), the old site deleted."""
    try:
        make_spare(out, old, files)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def _prune(folder: str, prefix: str, files: Mapping[str, Built], kept: dict[str, Built]) -> bool:
    """Remove from ``folder`` what ``files`` does not vouch for (see ``make_spare``); True if it is left empty."""
    empty = True
    with os.scandir(folder) as entries:
        found = list(entries)
    for entry in found:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if _prune(entry.path, rel + "/", files, kept):
                os.rmdir(entry.path)
            else:
                empty = False
            continue
        record = files.get(rel)
        info = entry.stat(follow_symlinks=False)
        if (record is not None and stat_mode.S_ISREG(info.st_mode)
                and (info.st_size, info.st_mtime_ns) == (record.size, record.mtime_ns)):
            kept[rel] = record
            empty = False
        else:
            os.unlink(entry.path)
    return empty


def _take_spare(out: Path, folder: Path) -> dict[str, Built] | None:
    """Move the spare to ``folder`` and return its listing; None when there is no usable spare."""
    try:
        os.rename(_spare_path(out), folder)
    except OSError:
        return None
    listing = folder / SPARE_LISTING
    try:
        text = listing.read_text("utf-8")
        listing.unlink()
    except (OSError, UnicodeDecodeError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return _parse_manifest(text)


def _spare_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.spare")


def _make_folder(folder: str, parent: str) -> None:
    """``os.makedirs`` of ``folder/parent``; a file in the way (a spare may hold one where a folder now
    goes) is removed first."""
    try:
        os.makedirs(f"{folder}/{parent}", exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    path = folder
    for part in parent.split("/"):
        path = f"{path}/{part}"
        if os.path.lexists(path) and not os.path.isdir(path):
            os.unlink(path)
            break
    os.makedirs(f"{folder}/{parent}", exist_ok=True)


def _remove(path: str) -> None:
    """Remove a file, or a folder where a file now goes; nothing if neither is there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):  # Linux says EISDIR for a folder, macOS EPERM
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            raise
    except NotADirectoryError:  # a file where a folder on the way was
        pass


def _lock(folder: Path) -> int | None:
    """An open descriptor holding an exclusive lock on ``folder`` (None where locks are unavailable)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return fd


def _busy(folder: Path) -> bool:
    """True while a process holds ``_lock`` on ``folder``."""
    try:
        fd = _lock(folder)
    except OSError:
        return True
    if fd is not None:
        os.close(fd)
    return False


def write_file(folder: Path, rel: str, data: bytes, key: str = "") -> Built:
    """Write one new file into a staging folder (the part of ``Staging.put`` a worker process does)."""
    _check_relative(rel)
    return _write_bytes(str(folder), rel, data, content_digest(data), key)


def _write_bytes(folder: str, rel: str, data: bytes, digest: str, key: str) -> Built:
    """Put ``data`` at ``rel`` in ``folder``: into a new file, or into the file already there when it
    is the folder's own (``_own_file``); never through a link to the live site's file."""
    target = f"{folder}/{rel}"
    # A new file (O_EXCL), so a path linked from the previous site is replaced, never written through;
    # the folder is made only when the open says it is missing (most already exist).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    reused = False
    try:
        fd = os.open(target, flags, 0o666)
    except FileExistsError:
        own = _own_file(target)
        if own is None:
            _remove(target)
            fd = os.open(target, flags, 0o666)
        else:
            fd, reused = own, True
    except (FileNotFoundError, NotADirectoryError):
        _make_folder(folder, posixpath.dirname(rel))
        fd = os.open(target, flags, 0o666)
    try:
        with memoryview(data) as view:
            done = 0
            while done < len(view):
                done += os.write(fd, view[done:])
        if reused:
            os.ftruncate(fd, len(data))
        stat = os.fstat(fd)
    finally:
        os.close(fd)
    return Built(digest, key, stat.st_size, stat.st_mtime_ns)


def _own_file(path: str) -> int | None:
    """A descriptor open for writing on ``path`` when it is a regular file that no other path shares
    (one link: a spare's file that the live site no longer has); None for anything else.

    Such a file is rewritten in place rather than deleted and made again. On ext4 without a journal
    (the benchmark machine), an inode freed less than a minute or so ago is not reused, and every file
    made meanwhile walks past the recently freed ones: a build that deletes and remakes thousands of
    files (a template edit, which changes every page) paid for that in system time. Anything linked
    elsewhere (the live site's file) is never written through.
    """
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    if not nofollow:  # without it a symlink would be followed: always make a new file
        return None
    try:  # O_NONBLOCK: a named pipe there fails at once instead of waiting for a reader
        fd = os.open(path, os.O_WRONLY | nofollow | os.O_NONBLOCK)
    except OSError:  # a folder, a symlink, a pipe
        return None
    info = os.fstat(fd)
    if stat_mode.S_ISREG(info.st_mode) and info.st_nlink == 1:
        return fd
    os.close(fd)
    return None


def _staging_folder(out: Path) -> Path:
    """A free name for a new build's folder: ``.<out>.new-<pid>``, or with a count before the process id
    when a detached process is still setting this process's last site aside from there (a process that
    builds again and again, as ``serve`` does). A leftover folder no process holds is removed."""
    for n in itertools.count():
        folder = out.with_name(f".{out.name}.new-{n}-{os.getpid()}" if n else f".{out.name}.new-{os.getpid()}")
        if not folder.exists():
            return folder
        if not _busy(folder):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                return folder
    raise AssertionError("unreachable")  # pragma: no cover


def _remove_orphans(out: Path) -> None:
    """Delete staging folders that killed builds left behind (their process is gone, and no detached
    ``make_spare`` is at work on the folder)."""
    for path in out.parent.glob(f".{out.name}.new-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)) and not _busy(path):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _write_one(target: Path, old: Path, data: Output, digest: str, key: str) -> Built:
    """Link ``target`` to the old site's file ``old`` (the same bytes, ``digest``), or copy it when
    linking fails (another file system); bytes that cannot be linked are written."""
    if not _link(old, target):
        if isinstance(data, Kept):
            shutil.copyfile(old, target)
        else:
            target.write_bytes(data)
    stat = target.stat()
    return Built(digest, key, stat.st_size, stat.st_mtime_ns)


def recover(out: Path) -> None:
    """Finish a swap that a kill interrupted between its two renames (non-Linux fallback only)."""
    old = out.with_name(f".{out.name}.old")
    if not out.exists() and old.exists():
        old.rename(out)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _check_relative(rel: str) -> None:
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm.startswith("..") or "\\" in rel or "\0" in rel or norm != rel:
        raise fail("content", 1, 1, f"refusing to write {rel!r}: it is not a plain path inside the output folder")


def content_digest(data: bytes) -> str:
    """The digest the manifest records for a file's bytes (32 hex digits).

    SHA-256 rather than BLAKE2b: a build hashes every byte it writes, and OpenSSL's SHA-256 runs on the
    SHA extensions most CPUs now have (x86 SHA-NI, ARMv8), about three times BLAKE2b's speed here.
    """
    return hashlib.sha256(data).hexdigest()[:32]


def _manifest_path(out: Path) -> Path:
    return out.absolute().with_name(f".{out.name}.manifest")


def read_record(out: Path) -> tuple[str, int] | None:
    """The record the last build left in its manifest, with the number of files it lists; None if none.

    Only the first line is trusted by itself; whether the listed files are intact is ``previous_build``'s
    business.
    """
    try:
        with _manifest_path(out).open("r", encoding="utf-8") as f:
            first = f.readline()
            count = sum(1 for _ in f)
    except OSError:
        return None
    if not first.startswith(RECORD):
        return None
    return first[len(RECORD) :].rstrip("\n"), count


def previous_build(out: Path) -> dict[str, Built]:
    """The files of the build now in ``out`` that still match its manifest (size and mtime unchanged).

    Read from the manifest the build left beside the folder; a file changed or removed by hand since is
    left out, so it is rendered or written again rather than trusted.
    """
    return _read_build(out)[0]


def _read_build(out: Path) -> tuple[dict[str, Built], dict[str, Built] | None]:
    """``previous_build``, and every file the manifest lists (None without a site and its manifest)."""
    manifest = _manifest_path(out)
    if not out.is_dir() or not manifest.is_file():
        return {}, None
    listed = _parse_manifest(manifest.read_text("utf-8"))
    found: dict[str, Built] = {}
    base = str(out) + os.sep  # plain strings: this runs for every file of the site on every build
    for rel, b in listed.items():
        try:
            stat = os.stat(base + rel)
        except OSError:
            continue
        if stat.st_size == b.size and stat.st_mtime_ns == b.mtime_ns:
            found[rel] = b
    return found, listed


def _parse_manifest(text: str) -> dict[str, Built]:
    """Manifest lines (``_manifest_text``) -> path -> record; other lines (the record line) are skipped."""
    found: dict[str, Built] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 5:
            digest, key, size, mtime, rel = fields
            found[rel] = Built(digest, key, int(size), int(mtime))
    return found


def _manifest_text(built: Mapping[str, Built], record: str = "") -> str:
    head = f"{RECORD}{record}\n" if record else ""
    return head + "".join(f"{b.digest}\t{b.key}\t{b.size}\t{b.mtime_ns}\t{p}\n" for p, b in sorted(built.items()))


def write_manifest(out: Path, built: Mapping[str, Built], record: str = "") -> None:
    """One line per file; ``record`` (one line, no tabs: see ``read_record``) goes first."""
    manifest = _manifest_path(out)
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(_manifest_text(built, record), "utf-8")
    os.replace(tmp, manifest)


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _swap(new: Path, out: Path) -> Path | None:
    """Put ``new`` in place of ``out``; return where the old site now is (None when there was none)."""
    if not out.exists():
        new.rename(out)
        return None
    if _exchange(new, out):
        return new  # ``new`` now holds the old site
    old = out.with_name(f".{out.name}.old")
    out.rename(old)
    new.rename(out)
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux renameat2; False where that is unavailable."""
    import ctypes  # here: only the swap needs it, and importing it is ~2 ms of every build's start

    try:
        # The symbols the interpreter is linked with, libc's among them: ``ctypes.util.find_library``
        # would look for the library's name by running ``ldconfig`` first.
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # TypeError: no dlopen(NULL) (Windows)
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return bool(result == 0)
