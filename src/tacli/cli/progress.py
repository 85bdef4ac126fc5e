"""A progress bar on standard error, for long runs that a person watches.

The core takes a plain callback (`done()` once per file); this module is the
only one that draws it, and only when standard error is a terminal."""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

SHOWN_FROM = 50  # files: shorter runs end before a bar would help
REDRAW_SECONDS = 0.1  # the bar is drawn again this often (rich's own pace), between steps too

# Held while the bar is drawn, and by a fork: worker processes are forked while
# the bar shows, and a fork copies the locks a drawing thread held (the
# terminal's, rich's) but not the thread. So the drawing thread holds none at
# a fork (core.forks), and the workers may still be forked.
_DRAWING = threading.Lock()
_HELD_FOR_A_FORK: list = []  # whether the fork under way holds it (a Ctrl+C can stop the wait for it)


def _before_a_fork() -> None:
    from tacli.core.interrupt import held_back

    with held_back():  # a Ctrl+C meanwhile is taken after (core.interrupt notes it): the fork must not copy a drawing under way
        _DRAWING.acquire()
        _HELD_FOR_A_FORK.append(True)


def _after_a_fork() -> None:
    from tacli.core.interrupt import held_back

    with held_back():  # nor leave the lock taken, and the drawing thread waiting for it for ever
        if _HELD_FOR_A_FORK and _HELD_FOR_A_FORK.pop():
            _DRAWING.release()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_a_fork, after_in_parent=_after_a_fork, after_in_child=_after_a_fork)


class _Redraw(threading.Thread):
    """Draws the bar every REDRAW_SECONDS, so it moves while the run waits for its workers."""

    def __init__(self, progress) -> None:
        super().__init__(name="tacli-progress", daemon=True)
        self.progress = progress
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(REDRAW_SECONDS):
                with _DRAWING:
                    if not self.stopped.is_set():
                        self.progress.refresh()
        except Exception:  # noqa: BLE001 - a terminal gone: the bar stops, the run goes on
            return

    def stop(self) -> None:
        self.stopped.set()
        self.join()


@contextmanager
def bar(total: int, label: str, enabled: bool = True) -> Iterator[Callable[[], None]]:
    """A callable to call once per item; draws a bar on a terminal's standard
    error for `total` items, and nothing otherwise. The bar is gone when done.
    Each step stops the run if Ctrl+C came and was caught on the way (core.interrupt)."""
    from tacli.core.interrupt import stop_if_pressed

    if not enabled or total < SHOWN_FROM or not sys.stderr.isatty():
        yield stop_if_pressed
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tacli.core.forks import holds_no_lock_at_a_fork

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True, auto_refresh=False)
    try:
        progress.start()
        started = True
    except OSError:  # the terminal is gone: no bar, and the run goes on
        started = False
    if not started:
        yield stop_if_pressed
        return
    task = progress.add_task(label, total=total)

    def step() -> None:
        stop_if_pressed()
        progress.advance(task)

    redraw = _Redraw(progress)
    holds_no_lock_at_a_fork(redraw)
    redraw.start()
    try:
        yield step
    finally:
        redraw.stop()
        try:
            progress.stop()
        except OSError:  # the terminal went away meanwhile: the bar with it, not the run's results
            pass
