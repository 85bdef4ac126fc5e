"""Python's cyclic garbage collector, paused while tacli builds many
short-lived objects and no reference cycles worth collecting: reading and
checking files, building views and rendering them. With thousands of
engagements in memory, each of its full passes walks all of them, and it took
a third of a check's time and two thirds of building a report's view."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


class Pause:
    """A pause of the collector (`paused`), which a generator lifts while its caller has what it yields."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    @contextmanager
    def lifted(self) -> Iterator[None]:
        """The collector as it was before the pause within the block: a
        generator that yields here does not leave it off in its caller's work."""
        if self.enabled:
            gc.enable()
        try:
            yield
        finally:
            if self.enabled:
                gc.disable()

    def lifted_over(self, items: Iterable[T]) -> Iterator[T]:
        """Each of `items`, the collector as it was while the caller has it."""
        for item in items:
            with self.lifted():
                yield item


@contextmanager
def paused() -> Iterator[Pause]:
    """The collector off within the block (as it was before, after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield Pause(enabled)
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
