"""Work in a child process: results in order, errors raised in the parent, and a
child that is late or dies is stopped, reaped, and named by the item it was on."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tacli.output import isolation
from tacli.output.isolation import Stopped, run_isolated
from tacli.core.outcome import UsageError

pytestmark = pytest.mark.skipif(not isolation.CAN_ISOLATE, reason="no child processes here")


@pytest.fixture(autouse=True)
def short_grace(monkeypatch):
    monkeypatch.setattr(isolation, "GRACE", 0.2)


def test_results_come_back_in_order_from_another_process():
    results = run_isolated(lambda n: (n * n, os.getpid()), [1, 2, 3], 5, None)
    assert [square for square, _ in results] == [1, 4, 9]
    assert {pid for _, pid in results} != {os.getpid()} and len({pid for _, pid in results}) == 1


def test_an_error_in_the_work_is_raised_in_the_parent():
    def work(n):
        if n == 2:
            raise UsageError("two is not allowed")
        return n

    with pytest.raises(UsageError, match="two is not allowed"):
        run_isolated(work, [1, 2, 3], 5, None)


def test_an_error_that_cannot_be_pickled_keeps_its_message():
    class Local(Exception):
        pass

    def work(n):
        raise Local("a local kind of error")

    with pytest.raises(RuntimeError, match="Local: a local kind of error"):
        run_isolated(work, [1], 5, None)


def test_a_late_child_is_stopped_and_reaped(tmp_path):
    marker = tmp_path / "pid"

    def work(n):
        if n == 2:
            marker.write_text(str(os.getpid()))
            while True:
                pass
        return n

    started = time.monotonic()
    with pytest.raises(Stopped) as stopped:
        run_isolated(work, [1, 2, 3], 0.3, None)
    assert time.monotonic() - started < 5
    assert stopped.value.index == 1
    assert stopped.value.reason == "it ran for more than 0.3 seconds and was stopped"
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text()), 0)


def test_a_child_that_dies_is_named_by_its_item():
    def work(n):
        if n == 3:
            os._exit(3)
        return n

    with pytest.raises(Stopped) as stopped:
        run_isolated(work, [1, 2, 3], 5, None)
    assert (stopped.value.index, stopped.value.reason, stopped.value.over_limit) == (2, "its process ended unexpectedly", False)


def test_the_child_may_not_grow_past_its_memory():
    if not isolation.limits_memory():
        pytest.skip("the memory limit needs the process's address space (Linux)")
    with pytest.raises(MemoryError):
        run_isolated(lambda n: len(bytearray(n)), [2**31], 5, 64 * 2**20)
    assert run_isolated(lambda n: len(bytearray(n)), [2**20], 5, 64 * 2**20) == [2**20]


@pytest.mark.parametrize("status, reason, over_limit", [
    (getattr(signal, "SIGXCPU", 24), "it used more than its seconds of processor time and was stopped", True),
    (signal.SIGKILL, "it was killed (the system may have run out of memory)", True),
    (signal.SIGSEGV, "its process died (SIGSEGV)", False),
    (3 << 8, "its process ended unexpectedly", False),
])
def test_a_death_is_explained_by_its_wait_status(status, reason, over_limit):
    stopped = isolation._death(4, status)
    assert (stopped.index, stopped.reason, stopped.over_limit) == (4, reason, over_limit)
