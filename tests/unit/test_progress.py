"""The progress bar on a terminal: drawn on a thread of its own every
REDRAW_SECONDS, which holds no lock when the process forks (worker processes
are forked while it shows: a fork copies the locks a thread held, not the
thread), so checking.checker still forks its workers."""

from __future__ import annotations

import io
import os
import sys
import time

import pytest
from conftest import constructed

from tacli.cli import progress
from tacli.core.forks import only_this_thread


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_moves_between_steps_and_ends_at_the_total(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress.bar(60, "checking") as step:
        for _ in range(30):
            step()
        time.sleep(5 * progress.REDRAW_SECONDS)  # waiting for the workers: no step, yet the bar shows where it is
        assert "30/60" in terminal.getvalue()
        for _ in range(30):
            step()
    assert "60/60" in terminal.getvalue()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_the_bars_thread_leaves_forking_safe_and_holds_no_lock_in_the_child(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    bars = constructed(monkeypatch, progress._Redraw)
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0001)  # drawing all the time
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # and a fork often comes in the middle of a drawing
    try:
        with progress.bar(60, "checking") as step:
            assert only_this_thread()  # so the workers may be forked
            for _ in range(50):
                step()
                child = os.fork()
                if child == 0:  # the locks a drawing takes (tacli's, rich's, the console's) are free here
                    free = all(lock.acquire(timeout=2) for lock in (progress._DRAWING, bars[0].live._lock, bars[0].live.console._lock))
                    os._exit(0 if free else 1)
                assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
    finally:
        sys.setswitchinterval(switching)


class GoneTerminal(Terminal):
    """A terminal that stops taking output (closed, hung up): writing fails with EIO."""

    gone = False

    def write(self, text):
        if self.gone:
            raise OSError(5, "Input/output error")
        return super().write(text)


@pytest.mark.parametrize("gone_at_start", [False, True])
def test_a_terminal_that_goes_away_ends_the_bar_not_the_run(monkeypatch, gone_at_start):
    terminal = GoneTerminal()
    terminal.gone = gone_at_start
    monkeypatch.setattr(sys, "stderr", terminal)
    steps = 0
    with progress.bar(60, "checking") as step:
        for _ in range(30):
            step()
            steps += 1
        terminal.gone = True
        time.sleep(3 * progress.REDRAW_SECONDS)  # the drawing thread meets it
        for _ in range(30):
            step()
            steps += 1
    assert steps == 60  # and no error came out of the bar
