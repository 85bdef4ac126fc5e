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
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0001)  # drawing all the time
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # and a fork often comes in the middle of a drawing
    try:
        with progress.bar(60, "checking") as step:
            assert only_this_thread()  # so the workers may be forked
            for _ in range(50):
                step()
                child = os.fork()
                if child == 0:  # the lock the drawing thread takes is free here
                    os._exit(0 if progress._DRAWING.acquire(timeout=5) else 1)
                assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
    finally:
        sys.setswitchinterval(switching)
