"""Python's cyclic garbage collector, paused while tacli builds many
short-lived objects and no reference cycles worth collecting: reading and
checking files, building views and rendering them. With thousands of
engagements in memory, each of its full passes walks all of them, and it took
a third of a check's time and two thirds of building a report's view."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """The collector off within the block (as it was before, after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_at_exit() -> None:
    """At exit, Python's last garbage collection walks every object still alive
    (the modules, the standards' models, compiled templates, what a run read):
    10 ms of a 110 ms one-file check, 0.07 s of a 1,000-engagement site. Nothing
    tacli holds needs it (each file is closed when written, each cache's
    connection at exit by io.cache), so the objects alive then are frozen
    (gc.freeze), which leaves them out of it. Asked for once per process,
    however often this is called (in-process runs, in tests)."""
    import atexit

    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
