"""Worker processes leave Ctrl+C to their parent (checking.checker._leave_ctrl_c_to_the_parent):
one that took it could stop while it held the pool's queue, and the pool would
wait for it for ever. tests/acceptance/test_ctrl_c_with_workers.py presses it."""

from __future__ import annotations

import os
import shutil
import signal

import pytest
from conftest import EXAMPLE_FILES
from test_cache import checker, targets_of

from tacli.checking import checker as checker_module
from tacli.checking.checker import FileWork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")


def _copies(folder, count: int):
    folder.mkdir(parents=True)
    for number in range(count):
        shutil.copy(EXAMPLE_FILES[number % len(EXAMPLE_FILES)], folder / f"{number:03d}.yaml")
    return folder


def ctrl_c_left_to_the_parent(checker, target) -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_workers_leave_ctrl_c_to_their_parent(tmp_path, monkeypatch):
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.PARALLEL_FROM + 8)])
    made = checker(tmp_path / "cache")
    seen = made.map_files(targets, FileWork(ctrl_c_left_to_the_parent, "ctrl-c-test"))
    assert seen and all(seen)
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # the parent still takes it


def answer_or_wait(checker, target) -> str:
    """The first chunk's files answer at once; the others keep their worker busy for a minute."""
    import time

    if int(target.path.stem) >= checker_module.CHUNK:
        time.sleep(60)
    return target.name


def _stopped_while_a_worker_is_busy(tmp_path) -> str:
    """map_files stopped by a failure (as by Ctrl+C) while the second chunk's worker is still busy."""
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.PARALLEL_FROM + 8)])
    made = checker(tmp_path / "cache")

    def done():
        raise RuntimeError("stopped")

    try:
        made.map_files(targets, FileWork(answer_or_wait, "busy-test"), jobs=2, done=done)
    except RuntimeError as exc:
        return str(exc)
    return "not stopped"


def test_a_failure_while_workers_work_stops_them_instead_of_waiting_for_them(tmp_path):
    from conftest import within

    assert within(20, _stopped_while_a_worker_is_busy, tmp_path) == "stopped"


def _asleep() -> None:
    import time

    time.sleep(60)


def test_a_stopped_pool_leaves_nothing_for_python_to_wake_at_exit():
    """Python 3.11's exit wakes every pool's manager thread without a lock; one
    still closing its pipe then made it write to a closed descriptor (a
    traceback after "tacli: interrupted"). _stop lets the thread end first."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))
    pool.submit(_asleep)
    manager, wakeup = pool._executor_manager_thread, pool._executor_manager_thread_wakeup
    checker_module._stop(pool, wait=False)
    assert not manager.is_alive() and wakeup._closed


def _large_result() -> bytes:
    return b"x" * (32 * 2**20)  # a chunk's results as large as rendered pages: sent through the pipe 64 KB at a time


def test_a_worker_killed_while_it_sends_a_result_leaves_no_thread_waiting_for_the_rest():
    """The manager thread reads a result as the worker writes it; one killed
    part-way left it waiting for ever, and Python's exit waited for it (tacli
    never ended after Ctrl+C). This process's end of the pipe is closed too,
    so the thread reads an end of file."""
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    results = pool._result_queue
    try:
        pool.submit(_large_result)
        manager = pool._executor_manager_thread
        busy_until = time.monotonic() + 0.3
        while time.monotonic() < busy_until:  # this thread busy, as when it renders: the manager reads a piece of the result each switch
            pass
        started = time.monotonic()
        checker_module._stop(pool, wait=False)
        assert not manager.is_alive() and time.monotonic() - started < checker_module.STOP_SECONDS
    finally:
        results._writer.close()  # the suite's process must still end if the test failed
