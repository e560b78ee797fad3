"""Spreading work over the cores with fork: the children inherit the parent's data, nothing is pickled in.

``fork_map(work, items)`` forks a child per core but one (the parent works too); every process takes
the next item not yet taken until none is left, and the results come back in ``items`` order
(``fork_start`` lets the parent do something else first). ``work`` may be any callable, a closure over
large values included: a forked child starts with the parent's memory, so only the results travel
back (pickled, through a pipe). Where fork is unavailable, or for few items, everything runs in this
process.

Items are taken one at a time, not dealt out in advance: two processes on this kind of machine do not
run at the same speed (a cold N = 1,000 build measured one 20-30 % slower than the other, either one),
and with fixed shares the faster then waits for the slower.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

A = TypeVar("A")
R = TypeVar("R")
FORK_MIN = 24  # below this many items, forking workers costs more than it saves
FAILED = "__failed__"  # a child's marker for an item that raised: the parent redoes it to raise here
_MISSING = object()  # no result came back for the item (its child died): the parent does it


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
    page): the costliest are taken first, so that no process starts one late while the others idle.
    Without them items are taken in order. An item that raises in a child is computed again in the
    parent, so its exception is raised here with its real type and traceback (exceptions do not
    survive pickling intact).
    """
    return fork_start(work, items, minimum, weights)()


def fork_start(
    work: Callable[[A], R], items: Sequence[A], minimum: int = FORK_MIN, weights: Sequence[float] | None = None
) -> Callable[[], list[R]]:
    """``fork_map`` in two halves: the children start taking items now, while this process goes on with
    something else; the function returned makes this process take what is left too, waits for the
    children and returns the results in ``items`` order (call it once). One item is enough for a child
    when ``minimum`` is 1. Without fork, or with fewer items, the function does all the work itself.
    """
    children_wanted = min(cores() - 1, len(items))
    if children_wanted < 1 or len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return lambda: [work(item) for item in items]
    order = claim_order(len(items), weights)
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # how many of ``order`` have been taken, shared by every process
    children = []
    for _ in range(children_wanted):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, items, order, taken, writer), daemon=True)
        child.start()
        writer.close()
        children.append((child, reader))

    def finish() -> list[R]:
        gathered: list[object] = [_MISSING] * len(items)
        for i, result in _take(work, items, order, taken):
            gathered[i] = result
        for child, reader in children:
            try:
                done = pickle.loads(reader.recv_bytes())
            except (EOFError, OSError):  # the child died (killed, out of memory): its items are redone here
                done = []
            child.join()
            for i, result in done:
                gathered[i] = result
        return [work(item) if r is _MISSING or _failed(r) else cast(R, r)
                for item, r in zip(items, gathered, strict=True)]

    return finish


def claim_order(count: int, weights: Sequence[float] | None = None) -> list[int]:
    """The order in which the processes take the items: heaviest first (ties in item order), or item order."""
    if weights is None:
        return list(range(count))
    return sorted(range(count), key=lambda i: -weights[i])


def _take(work: Callable[[A], R], items: Sequence[A], order: Sequence[int], taken: Any) -> list[tuple[int, object]]:
    """Take the next item of ``order`` and do it, until every item is taken; (position, result) of each."""
    done: list[tuple[int, object]] = []
    while True:
        with taken.get_lock():
            k = taken.value
            taken.value = k + 1
        if k >= len(order):
            return done
        i = order[k]
        done.append((i, _guarded(work, items[i])))


def _child(work: Callable[[A], R], items: Sequence[A], order: Sequence[int], taken: Any, writer: Any) -> None:
    done = _take(work, items, order, taken)
    writer.send_bytes(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
    writer.close()
    os._exit(0)  # skip the parent's atexit handlers and buffered output, which belong to the parent


def _failed(result: object) -> bool:
    return isinstance(result, str) and result == FAILED


def _guarded(work: Callable[[A], R], item: A) -> R | str:
    try:
        return work(item)
    except Exception:
        return FAILED
