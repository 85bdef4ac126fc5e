"""`tacli report` makes the summary in a forked process while it writes every
engagement's reports (commands.report.BACKGROUND_FROM, core.background): the
same files and messages, cache on or off, and a child that fails leaves the
summary to the parent, which says what went wrong as it always did."""

from __future__ import annotations

import os

import pytest
from test_cache_cli import tree
from test_site_background import _nothing_left

from tacli.commands import report as report_command
from tacli.core import background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")

ARGS = ("report", "engagements", "--today", "2026-11-22", "-q", "--verbose")


@pytest.mark.parametrize("cache", ["on", "off"])
def test_the_reports_are_the_same_with_the_summary_made_meanwhile(run_tacli, examples_project, monkeypatch, forks, cache):
    env = {"TACLI_CACHE_DIR": str(examples_project / "cache"), "TACLI_NO_CACHE": "0" if cache == "on" else "1"}
    plain = run_tacli(*ARGS, "--out-dir", "plain", cwd=examples_project, env=env)
    assert forks == [] and plain.returncode in (0, 1), plain.stderr
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    meanwhile = run_tacli(*ARGS, "--out-dir", "meanwhile", cwd=examples_project, env={**env, "TACLI_CACHE_DIR": str(examples_project / "cache2")})
    assert len(forks) == 1
    assert (meanwhile.returncode, meanwhile.stderr) == (plain.returncode, plain.stderr)
    assert meanwhile.stdout.replace("meanwhile", "plain") == plain.stdout
    assert "wrote meanwhile/summary.md" in meanwhile.stdout
    assert tree(examples_project / "meanwhile") == tree(examples_project / "plain")
    checked = run_tacli(*ARGS, "--check", "--out-dir", "meanwhile", cwd=examples_project, env={**env, "TACLI_CACHE_DIR": str(examples_project / "cache3")})
    assert checked.returncode == plain.returncode and "current" in checked.stdout, checked.stdout + checked.stderr
    assert len(forks) == 2  # a --check of a summary the cache does not hold makes it meanwhile too


@pytest.mark.cache_on
def test_a_summary_the_cache_holds_starts_no_child(run_tacli, examples_project, monkeypatch, forks):
    env = {"TACLI_CACHE_DIR": str(examples_project / "cache")}
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    first = run_tacli(*ARGS, "--out-dir", "out", cwd=examples_project, env=env)
    assert len(forks) == 1, first.stderr
    (examples_project / "out" / "summary.md").unlink()
    again = run_tacli(*ARGS, "--out-dir", "out", cwd=examples_project, env=env)
    assert len(forks) == 1 and "wrote out/summary.md" in again.stdout


def test_a_child_that_fails_leaves_the_summary_to_the_parent(run_tacli, examples_project, monkeypatch, forks):
    """The fold fails in the child only: the parent makes the summary itself, the same bytes."""
    from tacli.output import reports

    plain = run_tacli(*ARGS, "--out-dir", "plain", cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / "cache")})
    real = reports._summary_folded

    def fails_in_the_child(loaded):
        if background.in_a_child():
            raise RuntimeError("the child's fold")
        return real(loaded)

    monkeypatch.setattr(reports, "_summary_folded", fails_in_the_child)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    again = run_tacli(*ARGS, "--out-dir", "again", cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / "cache2")})
    assert len(forks) == 1
    assert (again.returncode, again.stderr) == (plain.returncode, plain.stderr)
    assert tree(examples_project / "again") == tree(examples_project / "plain")


def test_a_summary_that_fails_in_the_child_and_the_parent_says_why_once(run_tacli, examples_project, monkeypatch, forks):
    """A bug in the summary is met in the child, then again in the parent, which says what went wrong: exit 3 (a bug in tacli), nothing written."""
    from tacli.output import reports

    def fails(loaded):
        raise RuntimeError("no summary today")

    monkeypatch.setattr(reports, "_summary_folded", fails)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    done = run_tacli(*ARGS, "--out-dir", "out", cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / "cache")})
    assert len(forks) == 1
    assert done.returncode == 3 and done.stderr.count("no summary today") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not (examples_project / "out").exists()


@pytest.mark.cache_on
def test_what_the_child_s_cache_noted_is_shown_with_verbose(run_tacli, examples_project, monkeypatch, forks):
    from tacli.io.cache import Cache

    real_flush = Cache.flush

    def flush(self):
        if background.in_a_child():
            self._note_once("a note made in the child")
        return real_flush(self)

    monkeypatch.setattr(Cache, "flush", flush)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    done = run_tacli(*ARGS, "--out-dir", "out", cwd=examples_project, env={"TACLI_CACHE_DIR": str(examples_project / "cache")})
    assert len(forks) == 1
    assert "tacli: cache: a note made in the child" in done.stdout + done.stderr


def test_a_write_that_fails_first_leaves_no_child(examples_project, monkeypatch, forks, child_pids):
    import tacli.io.writer as writer
    from tacli.commands import CommonOptions
    from tacli.core.outcome import UsageError

    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    monkeypatch.chdir(examples_project)
    monkeypatch.setenv("TACLI_CACHE_DIR", str(examples_project / "cache"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "stage_new", full)
    with pytest.raises(UsageError) as kept:
        report_command.run(report_command.ReportOptions(CommonOptions(today="2026-11-22"), ("engagements",), out_dir="out", quiet=True))
    assert "No space left on device" in str(kept.value)
    _nothing_left(child_pids, examples_project)
