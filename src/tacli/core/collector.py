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
