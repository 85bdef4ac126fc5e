"""A warm run that finds a few files changed hands them to one helper process
(checking.checker._Workers.hand_over), which loads the standards' models
itself on the other core while this process looks up the rest in the cache;
the results are those of a run without it. A helper that fails leaves its
files to this process, which works them out (and says what went wrong there)."""

from __future__ import annotations

import os

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


def test_a_helper_that_fails_leaves_its_files_to_this_process(warm, monkeypatch):
    tmp_path, targets = warm
    forked = checker_module._forked_worker

    def failing(parent, work=None):
        forked(parent)
        if work is not None:
            raise RuntimeError("standards that cannot be used")

    monkeypatch.setattr(checker_module, "_forked_worker", failing)
    made = checker(tmp_path / "cache")
    results = made.map_files(targets, FileWork(named_where, "helper-test"), 2)
    assert results[:3] == [(target.name, os.getpid()) for target in targets[:3]], "worked out here"
    assert [name for name, _ in results] == [target.name for target in targets]
