"""Work nobody waits for: setting the replaced site aside as the next spare, sweeping the cache's unused entries.

Standard library only (the store uses it, and the store is imported before the heavy modules).
"""

from __future__ import annotations

import os
from collections.abc import Callable


def run_detached(work: Callable[[], object]) -> None:
    """Run ``work`` in a grandchild process in a session of its own, and return at once.

    A grandchild, so that this process waits only for the short-lived child (no zombie is left behind)
    and not for the work; a process rather than a thread, which would hold the interpreter lock while
    the build goes on. Without fork, ``work`` runs here.
    """
    if not hasattr(os, "fork"):
        work()
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                work()
        finally:
            os._exit(0)
    os.waitpid(child, 0)
