"""A file edited while a run reads it, after its stat and before its bytes are
read (reading.stored: the stat shortcut): the check found it usable, and
what is read for its reports or pages is not. The run stops with one line
naming the file (exit 2), never an internal error."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import EXAMPLE_FILES

import tacli.reading.stored as stored

TODAY = ("--today", "2026-11-22")
EDITED = "elm-street-data-teams.yaml"
pytestmark = pytest.mark.cache_on  # these tests are about what the cache does


@pytest.fixture
def project(tmp_path, run_tacli):
    folder = tmp_path / "engagements"
    folder.mkdir()
    for example in EXAMPLE_FILES:
        shutil.copy(example, folder / example.name)
    assert run_tacli("check", "engagements", *TODAY, cwd=tmp_path, env=own_cache(tmp_path)).returncode in (0, 1)
    time.sleep(0.15)  # the files' stat entries settled (io.filestat.RACY_NS)
    run_tacli("check", "engagements", *TODAY, cwd=tmp_path, env=own_cache(tmp_path))
    return tmp_path


def own_cache(project) -> dict:
    """A cache of the test's own: in the suite's, another test may have kept these
    files' reports already, and then no run would read the file edited."""
    return {"TACLI_CACHE_DIR": str(project / "cache")}


def edited_after_its_stat(monkeypatch):
    """The engagement file broken just after the run takes its stat (and trusts it)."""
    original = stored.source_of
    done: list = []

    def stat_then_edit(target, context, remembered=None):
        source = original(target, context, remembered)
        if source.shortcut and not done and target.name.endswith(EDITED):
            done.append(target.path)
            with open(target.path, "ab") as handle:
                handle.write(b"\nservices: [unclosed\n")
        return source

    monkeypatch.setattr(stored, "source_of", stat_then_edit)
    return done


@pytest.mark.parametrize("command", [("report", "engagements", "--out-dir", "reports"),
                                     ("report", "--check", "engagements", "--out-dir", "reports"),
                                     ("site", "engagements", "--out-dir", "site")], ids=lambda c: "-".join(c[:2]))
def test_a_file_broken_during_the_run_is_named_not_a_bug(run_tacli, project, monkeypatch, command):
    done = edited_after_its_stat(monkeypatch)
    result = run_tacli(*command, *TODAY, cwd=project, env=own_cache(project))
    assert done, "the file was not edited during the run"
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == f"tacli: error: engagements/{EDITED} changed while tacli was reading it: run the command again\n"
    monkeypatch.undo()
    again = run_tacli(*command, *TODAY, cwd=project, env=own_cache(project))  # run again: the file as it is now, left out with its findings
    assert again.returncode == 1 and "internal" not in again.stdout + again.stderr, again.stdout + again.stderr


def test_source_changed_is_one_line_and_pickles():
    import pickle

    from tacli.core.outcome import UsageError

    changed = pickle.loads(pickle.dumps(stored.SourceChanged("a.yaml")))
    assert isinstance(changed, UsageError)
    assert changed.messages == ("a.yaml changed while tacli was reading it: run the command again",)


def test_a_worker_started_without_fork_knows_the_files_found_usable(tmp_path):
    """On Windows the workers are new processes (checker._init_worker): they learn
    which files the parent's check found usable, so that one changed since is told as
    such there too; and they leave Ctrl+C to the parent."""
    import signal
    from datetime import date

    from tacli.checking import checker
    from tacli.core.paths import shipped_standards
    from tacli.reading.pipeline import Target

    usable = frozenset({Target(tmp_path / "a.yaml", "a.yaml", False)})
    previous, handler = checker._WORKER, signal.getsignal(signal.SIGINT)
    try:
        checker._init_worker(shipped_standards(), date(2026, 11, 22), None, None, (), usable)
        assert checker._WORKER._usable == set(usable)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        checker._WORKER = previous
        signal.signal(signal.SIGINT, handler)
