"""`tacli report` makes the summary in a forked process while it writes every
engagement's reports (commands.report.BACKGROUND_FROM, core.background): the
same files and messages, cache on or off, and a child that fails leaves the
summary to the parent, which says what went wrong as it always did."""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLES
from test_cache_cli import tree

from tacli.commands import report as report_command
from tacli.core import background

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")

ARGS = ("report", "engagements", "--today", "2026-11-22", "-q", "--verbose")


@pytest.fixture
def folder(tmp_path):
    engagements = tmp_path / "engagements"
    engagements.mkdir()
    for source in sorted(EXAMPLES.glob("*.yaml")):
        (engagements / source.name).write_bytes(source.read_bytes())
    return tmp_path


@pytest.fixture
def forks(monkeypatch):
    """The works started in a forked process."""
    started = []
    real = background.Background.__init__

    def counted(self, work):
        started.append(work)
        real(self, work)

    monkeypatch.setattr(background.Background, "__init__", counted)
    return started


@pytest.mark.parametrize("cache", ["on", "off"])
def test_the_reports_are_the_same_with_the_summary_made_meanwhile(run_tacli, folder, monkeypatch, forks, cache):
    env = {"TACLI_CACHE_DIR": str(folder / "cache"), "TACLI_NO_CACHE": "0" if cache == "on" else "1"}
    plain = run_tacli(*ARGS, "--out-dir", "plain", cwd=folder, env=env)
    assert forks == [] and plain.returncode in (0, 1), plain.stderr
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    meanwhile = run_tacli(*ARGS, "--out-dir", "meanwhile", cwd=folder, env={**env, "TACLI_CACHE_DIR": str(folder / "cache2")})
    assert len(forks) == 1
    assert (meanwhile.returncode, meanwhile.stderr) == (plain.returncode, plain.stderr)
    assert meanwhile.stdout.replace("meanwhile", "plain") == plain.stdout
    assert "wrote meanwhile/summary.md" in meanwhile.stdout
    assert tree(folder / "meanwhile") == tree(folder / "plain")
    checked = run_tacli(*ARGS, "--check", "--out-dir", "meanwhile", cwd=folder, env={**env, "TACLI_CACHE_DIR": str(folder / "cache3")})
    assert checked.returncode == plain.returncode and "current" in checked.stdout, checked.stdout + checked.stderr
    assert len(forks) == 2  # a --check of a summary the cache does not hold makes it meanwhile too


@pytest.mark.cache_on
def test_a_summary_the_cache_holds_starts_no_child(run_tacli, folder, monkeypatch, forks):
    env = {"TACLI_CACHE_DIR": str(folder / "cache")}
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    first = run_tacli(*ARGS, "--out-dir", "out", cwd=folder, env=env)
    assert len(forks) == 1, first.stderr
    (folder / "out" / "summary.md").unlink()
    again = run_tacli(*ARGS, "--out-dir", "out", cwd=folder, env=env)
    assert len(forks) == 1 and "wrote out/summary.md" in again.stdout


def test_a_child_that_fails_leaves_the_summary_to_the_parent(run_tacli, folder, monkeypatch, forks):
    """The fold fails in the child only: the parent makes the summary itself, the same bytes."""
    from tacli.output import reports

    plain = run_tacli(*ARGS, "--out-dir", "plain", cwd=folder, env={"TACLI_CACHE_DIR": str(folder / "cache")})
    real = reports._summary_folded

    def fails_in_the_child(loaded):
        if background.in_a_child():
            raise RuntimeError("the child's fold")
        return real(loaded)

    monkeypatch.setattr(reports, "_summary_folded", fails_in_the_child)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    again = run_tacli(*ARGS, "--out-dir", "again", cwd=folder, env={"TACLI_CACHE_DIR": str(folder / "cache2")})
    assert len(forks) == 1
    assert (again.returncode, again.stderr) == (plain.returncode, plain.stderr)
    assert tree(folder / "again") == tree(folder / "plain")


def test_a_summary_that_fails_in_the_child_and_the_parent_says_why_once(run_tacli, folder, monkeypatch, forks):
    """A bug in the summary is met in the child, then again in the parent, which says what went wrong: exit 3 (a bug in tacli), nothing written."""
    from tacli.output import reports

    def fails(loaded):
        raise RuntimeError("no summary today")

    monkeypatch.setattr(reports, "_summary_folded", fails)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    done = run_tacli(*ARGS, "--out-dir", "out", cwd=folder, env={"TACLI_CACHE_DIR": str(folder / "cache")})
    assert len(forks) == 1
    assert done.returncode == 3 and done.stderr.count("no summary today") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not (folder / "out").exists()


@pytest.mark.cache_on
def test_what_the_child_s_cache_noted_is_shown_with_verbose(run_tacli, folder, monkeypatch, forks):
    from tacli.io.cache import Cache

    real_flush = Cache.flush

    def flush(self):
        if background.in_a_child():
            self._note_once("a note made in the child")
        return real_flush(self)

    monkeypatch.setattr(Cache, "flush", flush)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    done = run_tacli(*ARGS, "--out-dir", "out", cwd=folder, env={"TACLI_CACHE_DIR": str(folder / "cache")})
    assert len(forks) == 1
    assert "tacli: cache: a note made in the child" in done.stdout + done.stderr


def test_a_write_that_fails_first_leaves_no_child(folder, monkeypatch, forks):
    import tacli.io.writer as writer
    from tacli.commands import CommonOptions
    from tacli.core.outcome import UsageError

    pids = []
    real_start = background.Background._start

    def start(self):
        real_start(self)
        pids.append(self._pid)

    monkeypatch.setattr(background.Background, "_start", start)
    monkeypatch.setattr(report_command, "BACKGROUND_FROM", 1)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TACLI_CACHE_DIR", str(folder / "cache"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "stage_new", full)
    with pytest.raises(UsageError) as kept:
        report_command.run(report_command.ReportOptions(CommonOptions(today="2026-11-22"), ("engagements",), out_dir="out", quiet=True))
    assert "No space left on device" in str(kept.value)
    assert pids and pids[0] > 0
    with pytest.raises(ChildProcessError):
        os.waitpid(pids[0], os.WNOHANG)  # stopped and reaped: not running, not a zombie
    assert not (folder / "out").exists()
