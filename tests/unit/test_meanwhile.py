"""What the parent does while its worker processes work (Checker.meanwhile):
once, only when workers were started, and a failure there changes nothing."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import EXAMPLE_FILES
from test_cache import checker, targets_of

from tacli.checking import checker as checker_module

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes")


def _copies(tmp_path, count: int) -> list:
    folder = tmp_path / "engagements"
    folder.mkdir(parents=True)
    for number in range(count):
        shutil.copy(EXAMPLE_FILES[number % len(EXAMPLE_FILES)], folder / f"{number:03d}.yaml")
    return targets_of([folder])


def _checked(tmp_path, monkeypatch, count: int, meanwhile) -> list:
    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    made = checker(tmp_path / "cache")
    made.meanwhile = meanwhile
    return made.check(_copies(tmp_path, count)).findings


def test_it_runs_once_while_workers_work(tmp_path, monkeypatch):
    calls = []
    _checked(tmp_path, monkeypatch, checker_module.PARALLEL_FROM + 8, lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]


def test_it_does_not_run_without_workers(tmp_path, monkeypatch):
    calls = []
    _checked(tmp_path, monkeypatch, 3, lambda: calls.append(1))
    assert calls == []


def test_a_failure_there_changes_no_finding(tmp_path, monkeypatch):
    def fails():
        raise RuntimeError("a template that cannot be compiled")

    count = checker_module.PARALLEL_FROM + 8
    failed = _checked(tmp_path / "a", monkeypatch, count, fails)
    plain = _checked(tmp_path / "b", monkeypatch, count, None)
    assert failed and [_shown(f, tmp_path / "a") for f in failed] == [_shown(f, tmp_path / "b") for f in plain]


def _shown(found, folder) -> tuple:
    """A finding as it reads, without the folder its file was in (the copies share ids: the messages name each other)."""
    return tuple(str(part).replace(str(folder), "") for part in (found.path, found.line, found.column, found.rule, found.message))


def test_report_compiles_the_summary_s_template_while_workers_check(tmp_path, monkeypatch):
    """`tacli report` renders the summary once every file is read: its template is compiled before, meanwhile."""
    from conftest import run_in_process

    from tacli.output import reports

    monkeypatch.setattr(checker_module.os, "cpu_count", lambda: 2)
    compiled = []
    real = reports.compile_templates
    monkeypatch.setattr(reports, "compile_templates", lambda renderer, kinds: compiled.append((os.getpid(), kinds)) or real(renderer, kinds))
    folder = _copies(tmp_path, checker_module.PARALLEL_FROM + 8)[0].path.parent
    run = run_in_process("report", "--today", "2026-11-22", "-q", "--out-dir", str(tmp_path / "out"), str(folder), env={"TACLI_CACHE_DIR": str(tmp_path / "cache")})
    assert run.returncode in (0, 1), run.stderr
    assert (tmp_path / "out" / "summary.md").is_file()
    assert (os.getpid(), ("summary",)) in compiled
