"""The progress bar on a terminal: drawn by the steps themselves, in the
caller's thread, since worker processes are forked while it shows and a
process that runs other threads checks its files alone (checking.checker)."""

from __future__ import annotations

import io
import sys
import threading

from tacli.checking import checker as checker_module
from tacli.cli import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_starts_no_thread_and_draws_every_step_it_is_given(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    before = threading.active_count()
    with progress.bar(60, "checking") as step:
        assert threading.active_count() == before
        assert checker_module._only_this_thread()  # so workers may be forked
        for _ in range(60):
            step()
    shown = terminal.getvalue()
    assert "checking" in shown and "60/60" in shown and "30/60" in shown
