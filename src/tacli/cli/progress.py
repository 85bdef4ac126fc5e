"""A progress bar on standard error, for long runs that a person watches.

The core takes a plain callback (`done()` once per file); this module is the
only one that draws it, and only when standard error is a terminal."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator

SHOWN_FROM = 50  # files: shorter runs end before a bar would help
REDRAW_SECONDS = 0.1  # the bar is drawn again at most this often (rich's own pace)


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

    # Drawn by the steps, not by rich's refresh thread: worker processes are
    # forked while the bar shows, and a fork copies no thread but the locks
    # one holds (checking.checker runs its files in this process alone then).
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True, auto_refresh=False) as progress:
        task = progress.add_task(label, total=total)
        drawn = [time.monotonic()]

        def step() -> None:
            stop_if_pressed()
            progress.advance(task)
            now = time.monotonic()
            if now - drawn[0] >= REDRAW_SECONDS:
                drawn[0] = now
                progress.refresh()

        yield step
