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


def fork_map(
    work: Callable[[A], R], items: Sequence[A], minimum: int = FORK_MIN, weights: Sequence[float] | None = None
) -> list[R]:
    """``[work(i) for i in items]``, spread over the cores when there are at least ``minimum`` items.

    ``weights``: each item's expected cost, when items differ a lot (a collection page against an actor's
    page); the costliest are dealt out first, each to the least loaded core. Without them every
    workers-th item goes to the same core. An item that raises in a child is computed again in the
    parent, so its exception is raised here with its real type and traceback (exceptions do not
    survive pickling intact).
    """
    workers = min(cores(), len(items))
    if workers < 2 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    shares = deal(len(items), workers, weights)
    context = multiprocessing.get_context("fork")
    children = []
    for share in shares[:-1]:
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, [items[i] for i in share], writer), daemon=True)
        child.start()
        writer.close()
        children.append((child, reader, share))
    gathered: list[object] = [None] * len(items)
    for i in shares[-1]:
        gathered[i] = _guarded(work, items[i])
    for child, reader, share in children:
        try:
            part = pickle.loads(reader.recv_bytes())
        except (EOFError, OSError):  # the child died (killed, out of memory): redo its share here
            part = [FAILED] * len(share)
        child.join()
        for i, result in zip(share, part, strict=True):
            gathered[i] = result
    return [work(item) if _failed(r) else cast(R, r) for item, r in zip(items, gathered, strict=True)]


def deal(count: int, workers: int, weights: Sequence[float] | None = None) -> list[list[int]]:
    """The positions of ``count`` items each of ``workers`` processes takes, each share in item order.

    Without weights, every workers-th item, not contiguous runs: a plan lists big pages together.
    With them, the heaviest first, each to the share with the least weight so far (ties: the first).
    """
    if weights is None:
        return [list(range(k, count, workers)) for k in range(workers)]
    loads = [0.0] * workers
    shares: list[list[int]] = [[] for _ in range(workers)]
    for i in sorted(range(count), key=lambda i: -weights[i]):
        k = loads.index(min(loads))
        shares[k].append(i)
        loads[k] += weights[i]
    return [sorted(share) for share in shares]


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
