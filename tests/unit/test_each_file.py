"""Checker.each_file gives each file's result as it is ready, a chunk at a time
(a site's pages are written as they come, not held until every file's are
made): every file once, the results map_files gives in order, from the
cache and from worker processes alike; a caller that stops early stops the
workers, and is not kept waiting for them."""

from __future__ import annotations

import multiprocessing
import os
import time
from contextlib import closing

import pytest
from test_cache import checker, targets_of
from test_workers_ctrl_c import _copies

from tacli.checking import checker as checker_module
from tacli.checking.checker import FileWork
from tacli.core.forks import only_this_thread


def named(checker, target) -> str:
    return target.name


def slow_after_the_first_chunk(checker, target) -> str:
    if int(target.path.stem) >= checker_module.CHUNK:
        time.sleep(60)
    return target.name


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_file_once_as_map_files_gives_them(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.PARALLEL_FROM + 40)])
    work = FileWork(named, "each-file-test")
    for run in ("cold", "warm"):
        made = checker(tmp_path / "cache")
        seen: dict[int, str] = {}
        chunks = 0
        for indexes, found in made.each_file(targets, work, jobs, probe_size=16):
            chunks += 1
            for index, result in zip(indexes, found):
                assert index not in seen, f"{run}: a file given twice"
                seen[index] = result
        assert [seen[index] for index in range(len(targets))] == [target.name for target in targets], run
        assert chunks >= 3, f"{run}: given a chunk at a time"
        assert checker(tmp_path / "cache").map_files(targets, work, jobs) == [target.name for target in targets]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_caller_that_stops_early_stops_the_workers(tmp_path, monkeypatch):
    from conftest import within

    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.PARALLEL_FROM + 8)])
    made = checker(tmp_path / "cache")

    def first_chunk_then_stop() -> tuple[list, int]:
        """The first chunk's indexes, and the workers still running a while after stopping."""
        with closing(made.each_file(targets, FileWork(slow_after_the_first_chunk, "each-file-stop"), 2)) as chunks:
            indexes = next(chunks)[0]
        deadline = time.monotonic() + 10
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)
        return indexes, len(multiprocessing.active_children())

    indexes, running = within(20, first_chunk_then_stop)
    assert indexes and running == 0, "no worker left running"


@pytest.mark.parametrize("enabled", [True, False])
def test_the_caller_has_the_collector_as_it_was_and_it_is_paused_again_inside(tmp_path, monkeypatch, enabled):
    import gc

    targets = targets_of([_copies(tmp_path / "engagements", 20)])
    made = checker(tmp_path / "cache")
    seen_by_the_caller, seen_inside = set(), set()

    def noted(checker, target) -> str:
        seen_inside.add(gc.isenabled())
        return target.name

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        for _ in made.each_file(targets, FileWork(noted, "each-file-gc"), 1, probe_size=4):
            seen_by_the_caller.add(gc.isenabled())
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen_by_the_caller == {enabled}, "the caller's work runs with the collector as it was"
    assert seen_inside == {False}, "the files are worked out with it paused"
    assert after is enabled


def many_objects(checker, target) -> list:
    return [[index] for index in range(2000)]  # tracked by the collector: enough to start its passes


def test_map_files_gathers_the_results_with_the_collector_paused(tmp_path):
    """Each pass it made between two files worked out here walked every result
    gathered so far (what a `report --no-cache` keeps of each file)."""
    import gc

    targets = targets_of([_copies(tmp_path / "engagements", 20)])
    passes: list[int] = []

    def counted(phase, info):
        if phase == "start":
            passes.append(info["generation"])

    was = gc.isenabled()
    gc.enable()
    gc.callbacks.append(counted)
    try:
        results = checker(None).map_files(targets, FileWork(many_objects, "each-file-many"), 1)
    finally:
        gc.callbacks.remove(counted)
        (gc.enable if was else gc.disable)()
    assert len(results) == len(targets) and results[0][1999] == [1999]
    assert len(passes) <= 1, f"no pass of the collector while the results were gathered (one when it resumes): {passes}"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_slow_caller_holds_a_few_chunks_not_every_result(tmp_path, monkeypatch):
    """Worker processes faster than the caller that writes their results wait:
    at most `in_flight` chunks are submitted and not yet taken, the rest
    wait in this process as file names, not as results (every page of a
    site, without the cache)."""
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.CHUNK * 12)])
    made = checker(None)
    most = [0]
    real_top_up = checker_module._Workers._top_up

    def counted(self) -> None:
        real_top_up(self)
        most[0] = max(most[0], len(self.futures))
        assert self.in_flight == 5

    monkeypatch.setattr(checker_module._Workers, "_top_up", counted)
    seen = []
    with closing(made.each_file(targets, FileWork(named, "each-file-test"), 2, probe_size=checker_module.LARGE_PROBE)) as chunks:
        for indexes, found in chunks:
            time.sleep(0.05)  # the caller writes them, slower than the workers make them
            seen.extend(found)
    assert sorted(seen) == sorted(target.name for target in targets)
    assert 2 <= most[0] <= 5, most[0]


def process_of(checker, target) -> int:
    return os.getpid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_process_that_runs_other_threads_is_not_forked_and_gets_the_same_results(tmp_path, monkeypatch):
    """tacli serve asks from a thread while others run: a fork would copy the
    locks they hold, not the threads, and a worker could wait on one for ever.
    The files are worked out in this process instead."""
    import threading

    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.PARALLEL_FROM + 40)])
    names, processes = FileWork(named, "each-file-test"), FileWork(process_of, "each-file-process")
    alone = checker(None).map_files(targets, names, 2)
    assert set(checker(None).map_files(targets, processes, 2)) - {os.getpid()}  # forked workers, by default

    found: dict[str, list] = {}
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        asking = threading.Thread(target=lambda: found.update(names=checker(None).map_files(targets, names, 2), processes=checker(None).map_files(targets, processes, 2)))
        asking.start()
        asking.join(120)
    finally:
        stop.set()
        other.join()
    assert found["names"] == alone == [target.name for target in targets]
    assert set(found["processes"]) == {os.getpid()}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_only_the_pools_own_manager_threads_leave_forking_safe():
    import threading
    from concurrent.futures import ProcessPoolExecutor

    assert only_this_thread()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(os.getpid).result() != os.getpid()
        assert only_this_thread()  # its manager and queue feeder threads run
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert not only_this_thread()
    finally:
        stop.set()
        other.join()
