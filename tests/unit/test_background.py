"""Work in a forked child while the parent does something else
(core.background.Background): its result comes back whole, or the work is
done in the parent when it is asked for; no child is left behind."""

from __future__ import annotations

import os
import signal

import pytest

from tacli.core.background import Background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")


def test_the_result_comes_from_the_child():
    parent = os.getpid()
    pending = Background(lambda: (os.getpid(), "x" * 300_000))  # more than a pipe holds at once
    pid, text = pending.result()
    assert pid != parent and text == "x" * 300_000
    assert pending.result() is pending.result(), "asked once"


def test_work_that_fails_in_the_child_is_done_again_in_the_parent_and_raises_there():
    calls = []

    def work():
        calls.append(os.getpid())
        raise ValueError("a bug")

    pending = Background(work)
    with pytest.raises(ValueError, match="a bug"):
        pending.result()
    assert calls == [os.getpid()], "the parent's own try is the one it sees"


def test_a_child_killed_before_it_sends_its_result_costs_only_time():
    parent = os.getpid()
    pending = Background(lambda: (__import__("time").sleep(30 if os.getpid() != parent else 0), os.getpid())[1])
    os.kill(pending._pid, signal.SIGKILL)
    assert pending.result() == os.getpid()


def test_a_result_not_wanted_leaves_no_child(monkeypatch):
    pending = Background(lambda: __import__("time").sleep(30))
    pid = pending._pid
    pending.abandon()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    del pending  # abandoned twice: nothing happens


def test_without_fork_the_work_is_done_when_asked(monkeypatch):
    monkeypatch.delattr(os, "fork")
    calls = []
    pending = Background(lambda: calls.append(1) or "done")
    assert calls == []
    assert pending.result() == "done" and calls == [1]


def test_the_child_knows_it_is_one_and_starts_no_worker(tmp_path, monkeypatch):
    from conftest import EXAMPLE_FILES
    from test_cache import checker, targets_of

    from tacli.checking import checker as checker_module
    from tacli.core.background import in_a_child

    started = []
    monkeypatch.setattr(checker_module._Workers, "_start", lambda self, *args, **kwargs: started.append(os.getpid()) or pytest.fail("a worker started"))
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(checker_module, "PARALLEL_FROM", 1)
    targets = targets_of(EXAMPLE_FILES)
    made = checker(None)

    def work():
        return in_a_child(), len(made.check(targets).findings), started

    assert Background(work).result()[0] is True and in_a_child() is False
    inside, findings, workers = Background(work).result()
    assert workers == [] and findings > 0


def test_an_interrupt_while_the_result_comes_stops_the_child_and_closes_the_pipe_once(monkeypatch):
    parent = os.getpid()
    pending = Background(lambda: __import__("time").sleep(30 if os.getpid() != parent else 0))
    pid, reader = pending._pid, pending._reader

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "read", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pending.result()
    monkeypatch.undo()
    assert pending._pid == 0 and pending._reader == -1
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(OSError):
        os.fstat(reader)  # closed
    other = os.open(os.devnull, os.O_RDONLY)  # may take the same number
    try:
        pending.abandon()
        pending.__del__()
        os.fstat(other)  # still open: nothing closed twice
    finally:
        os.close(other)
