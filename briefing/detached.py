"""Work nobody waits for: setting the replaced site aside as the next spare, sweeping the cache's unused entries.

Standard library only (the store uses it, and the store is imported before the heavy modules).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable


def run_detached(*works: Callable[[], object]) -> None:
    """Run each of ``works`` in turn in a grandchild process in a session of its own, and return at once.

    A grandchild, so that this process waits only for the short-lived child (no zombie is left behind)
    and not for the work; a process rather than a thread, which would hold the interpreter lock while
    the build goes on. One process for all of them: forking a large build's process costs it 10-25 ms
    each time (its page tables are copied). A work that fails does not stop the next (nobody is there
    to hear of it). Without fork, they run here.
    """
    if not hasattr(os, "fork"):
        _each(works)
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                _each(works)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _each(works: tuple[Callable[[], object], ...]) -> None:
    for work in works:
        with contextlib.suppress(Exception):
            work()
