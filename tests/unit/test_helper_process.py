"""A warm run that finds a few files changed hands them to one helper process
(checking.checker._Workers.hand_over), which loads the standards' models
itself on the other core while this process looks up the rest in the cache;
the results are those of a run without it. A helper that fails leaves its
files to this process, which works them out (and says what went wrong there)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from test_cache import checker, findings, targets_of
from test_workers_ctrl_c import _copies

from tacli.checking import checker as checker_module
from tacli.checking.checker import FileWork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is a fork")

FILES = 24  # fewer than PARALLEL_FROM: no pool of workers


def named_where(checker, target) -> tuple[str, int]:
    return target.name, os.getpid()


@pytest.fixture
def warm(tmp_path, monkeypatch):
    """A folder whose files are all in the cache (worked out in this process),
    then its first three edited, with a helper allowed while 8 files are still
    to be looked up."""
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(checker_module, "HELPER_FROM", 8)
    monkeypatch.setattr(checker_module, "PROBE", 4)  # files looked up in the cache at a time
    folder = _copies(tmp_path / "engagements", FILES)
    targets = targets_of([folder])
    checker(tmp_path / "cache").map_files(targets, FileWork(named_where, "helper-test"), 1)
    checker(tmp_path / "cache").check(targets, 1)
    for target in targets[:3]:
        with open(target.path, "a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    return tmp_path, targets


def test_the_few_files_changed_are_worked_out_by_one_helper_that_loads_what_they_need(warm, monkeypatch):
    tmp_path, targets = warm
    prepared_here: list[int] = []
    prepare = checker_module.Checker.prepare
    monkeypatch.setattr(checker_module.Checker, "prepare", lambda self, work=None: (prepared_here.append(os.getpid()), prepare(self, work))[1])
    made = checker(tmp_path / "cache")
    results = made.map_files(targets, FileWork(named_where, "helper-test"), 2)
    assert [name for name, _ in results] == [target.name for target in targets]
    helpers = {pid for name, pid in results[:3]}
    assert len(helpers) == 1 and os.getpid() not in helpers, "the edited files, in one helper process"
    assert prepared_here == [], "this process loaded nothing for them"


def test_a_check_with_a_helper_finds_what_one_without_the_cache_finds(warm):
    tmp_path, targets = warm
    helped = checker(tmp_path / "cache").check(targets, 2)
    plain = checker(None).check(targets, 1)
    assert findings(helped) == findings(plain)
    assert [file.name for file in helped.files] == [file.name for file in plain.files]
    again = checker(tmp_path / "cache").map_files(targets, FileWork(named_where, "helper-test"), 1)
    assert [name for name, _ in again] == [target.name for target in targets]


def only_in_this_process(parent: int):
    """Checker.prepare failing in any other process (a helper's standards that cannot be used)."""
    prepare = checker_module.Checker.prepare

    def prepared(self, work=None):
        if os.getpid() != parent:
            raise RuntimeError("standards that cannot be used")
        return prepare(self, work)

    return prepared


def test_a_helper_that_cannot_load_what_the_work_needs_leaves_its_files_to_this_process(warm, monkeypatch):
    tmp_path, targets = warm
    monkeypatch.setattr(checker_module.Checker, "prepare", only_in_this_process(os.getpid()))
    made = checker(tmp_path / "cache")
    results = made.map_files(targets, FileWork(named_where, "helper-test"), 2)
    assert results[:3] == [(target.name, os.getpid()) for target in targets[:3]], "worked out here"
    assert [name for name, _ in results] == [target.name for target in targets]


def test_the_helpers_failure_prints_no_traceback(warm):
    """A pool's initializer that fails is logged with its traceback: the helper
    loads what its work needs with its first files instead, whose failure
    reaches this process with them. Run as a user runs it, outside pytest's
    capture of logging."""
    tmp_path, targets = warm
    code = f"""
        import os, sys
        os.environ["TACLI_CACHE_DIR"] = {str(tmp_path / "cache")!r}
        import tacli.checking.checker as checker
        checker.HELPER_FROM, checker.PROBE = 8, 4
        checker.os.cpu_count = lambda: 2
        parent, prepare = os.getpid(), checker.Checker.prepare
        def prepared(self, work=None):
            if os.getpid() != parent:
                raise RuntimeError("standards that cannot be used")
            return prepare(self, work)
        checker.Checker.prepare = prepared
        sys.argv = ["tacli", "check", "--today", "2026-11-22", "-q", {str(targets[0].path.parent)!r}]
        from tacli.cli.main import main
        main()
        """
    helped = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    plain = subprocess.run([sys.executable, "-m", "tacli", "check", "--today", "2026-11-22", "-q", "--no-cache", str(targets[0].path.parent)], capture_output=True, text=True, timeout=120)
    assert (helped.returncode, helped.stdout) == (plain.returncode, plain.stdout), helped.stderr
    assert helped.stderr == plain.stderr, "no traceback"


def dies_in_a_helper(checker, target) -> tuple[str, int]:
    if os.getpid() != PARENT[0]:
        os._exit(1)
    return target.name, os.getpid()


PARENT = [0]


def test_a_helper_that_dies_mid_run_leaves_the_files_given_it_then_and_later_to_this_process(tmp_path, monkeypatch):
    """The helper dies on the first file it is given, while this process still
    looks up the rest: the files handed to it before and after are worked out here."""
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(checker_module, "HELPER_FROM", 4)
    monkeypatch.setattr(checker_module, "PROBE", 4)
    PARENT[0] = os.getpid()
    targets = targets_of([_copies(tmp_path / "engagements", FILES)])
    checker(tmp_path / "cache").map_files(targets, FileWork(dies_in_a_helper, "helper-dies"), 1)
    edited = [0, 9, 14]  # in three batches of four
    for index in edited:
        with open(targets[index].path, "a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    hand_over = checker_module._Workers.hand_over

    def once_it_is_dead(self, indexes, given):
        """The next files handed over once the pool knows its helper is dead (submit refuses them)."""
        deadline = time.monotonic() + 10
        while self.helper is not None and not getattr(self.helper, "_broken", True) and time.monotonic() < deadline:
            time.sleep(0.01)
        return hand_over(self, indexes, given)

    monkeypatch.setattr(checker_module._Workers, "hand_over", once_it_is_dead)
    results = checker(tmp_path / "cache").map_files(targets, FileWork(dies_in_a_helper, "helper-dies"), 2)
    assert results == [(target.name, os.getpid()) for target in targets]


def _edited_in_every_batch(tmp_path, monkeypatch) -> list:
    """Files all in the cache, then every other one edited: a few missing in
    each batch of 8 looked up, twice PARALLEL_FROM in all (more than the helper
    takes, and the last few), with a helper allowed while 8 are still to be looked up."""
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(checker_module, "HELPER_FROM", 8)
    monkeypatch.setattr(checker_module, "PROBE", 8)
    targets = targets_of([_copies(tmp_path / "engagements", checker_module.PARALLEL_FROM * 4)])
    checker(tmp_path / "cache").map_files(targets, FileWork(named_where, "helper-many"), 1)
    for target in targets[::2]:
        with open(target.path, "a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    return targets


def _taken_by_each_process(results) -> dict[int, int]:
    """How many of the edited files each process worked out."""
    by_process: dict[int, int] = {}
    for _, pid in results[::2]:
        by_process[pid] = by_process.get(pid, 0) + 1
    return by_process


def test_the_helper_takes_fewer_than_a_pool_would_and_worker_processes_take_the_rest(tmp_path, monkeypatch):
    targets = _edited_in_every_batch(tmp_path, monkeypatch)
    results = checker(tmp_path / "cache").map_files(targets, FileWork(named_where, "helper-many"), 2)
    assert [name for name, _ in results] == [target.name for target in targets]
    by_process = _taken_by_each_process(results)
    helper = results[0][1]
    assert helper != os.getpid() and by_process[helper] < checker_module.PARALLEL_FROM, by_process
    assert set(by_process) - {helper, os.getpid()}, "worker processes took the rest"


def test_a_helper_still_busy_takes_none_of_the_files_given_to_worker_processes(tmp_path, monkeypatch):
    """On a busy machine the helper's files were not back when the workers' first
    chunk was given: the chunks in flight were all the helper's, so the worker
    processes were not started yet, and the files left at the end went to the
    helper too (64 of 96, where it should take fewer than PARALLEL_FROM)."""
    targets = _edited_in_every_batch(tmp_path, monkeypatch)
    monkeypatch.setattr(checker_module._Workers, "finished", lambda self: iter(()))  # nothing is back before the end
    results = checker(tmp_path / "cache").map_files(targets, FileWork(named_where, "helper-many"), 2)
    assert [name for name, _ in results] == [target.name for target in targets]
    by_process = _taken_by_each_process(results)
    assert by_process[results[0][1]] < checker_module.PARALLEL_FROM, by_process
