"""Spreading work over the cores with fork: the children inherit the parent's data, nothing is pickled in.

``fork_map(work, items)`` deals ``items`` out into one share per core, forks a child per share but
the last (which the parent does itself), and returns every result in ``items`` order. ``work`` may
be any callable, a closure over large values included: a forked child starts with the parent's memory,
so only the results travel back (pickled, through a pipe). Where fork is unavailable, or for few items,
everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

A = TypeVar("A")
R = TypeVar("R")
FORK_MIN = 24  # below this many items, forking workers costs more than it saves
FAILED = "__failed__"  # a child's marker for an item that raised: the parent redoes it to raise here


def cores() -> int:
    """Cores this process may use (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_map(work: Callable[[A], R], items: Sequence[A], minimum: int = FORK_MIN) -> list[R]:
    """``[work(i) for i in items]``, spread over the cores when there are at least ``minimum`` items.

    An item that raises in a child is computed again in the parent, so its exception is raised here
    with its real type and traceback (exceptions do not survive pickling intact).
    """
    workers = min(cores(), len(items))
    if workers < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    # Every workers-th item, not contiguous runs: costly items (a plan lists big pages together)
    # are dealt out evenly instead of landing in one process.
    chunks = [list(items[k::workers]) for k in range(workers)]
    context = multiprocessing.get_context("fork")
    children = []
    for chunk in chunks[:-1]:
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, chunk, writer), daemon=True)
        child.start()
        writer.close()
        children.append((child, reader, chunk))
    results = [_guarded(work, item) for item in chunks[-1]]
    gathered: list[object] = [None] * len(items)
    for k, (child, reader, chunk) in enumerate(children):
        try:
            part = pickle.loads(reader.recv_bytes())
        except (EOFError, OSError):  # the child died (killed, out of memory): redo its chunk here
            part = [FAILED] * len(chunk)
        child.join()
        gathered[k::workers] = part
    gathered[workers - 1 :: workers] = results
    return [work(item) if _failed(r) else cast(R, r) for item, r in zip(items, gathered, strict=True)]


def _child(work: Callable[[A], R], chunk: list[A], writer: object) -> None:
    results = [_guarded(work, item) for item in chunk]
    writer.send_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))  # type: ignore[attr-defined]
    writer.close()  # type: ignore[attr-defined]
    os._exit(0)  # skip the parent's atexit handlers and buffered output, which belong to the parent


def _failed(result: object) -> bool:
    return isinstance(result, str) and result == FAILED


def _guarded(work: Callable[[A], R], item: A) -> R | str:
    try:
        return work(item)
    except Exception:
        return FAILED
