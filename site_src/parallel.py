"""A second worker process for CPU-bound stages (this is a 2-core class of machine).

Forked, so the worker inherits imported modules and needs no re-import; only plain data
crosses the boundary. ``parallel(False)`` yields None and callers run inline, which keeps
small sites free of process start-up costs and keeps results identical either way.
"""

from __future__ import annotations

import os
from contextlib import contextmanager


def workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


@contextmanager
def parallel(enabled: bool = True, processes: int = 1):
    if not enabled or workers() < 2 or os.environ.get("RESEARCHMAP_SERIAL"):
        yield None
        return
    import multiprocessing  # here: a build that renders a page or two never needs them
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool
